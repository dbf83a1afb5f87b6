/*
 * connmgr: who is connected, as whom, and in which games (the seed's
 * ConnectionManager), for the sockets of this worker.
 *
 * Pure bookkeeping with no Kore or Socket.IO include, so it is unit
 * tested on its own: sessions by socket id and by user, game rooms with
 * each member's role.  The service layer does the emitting; broadcasts
 * themselves go through Socket.IO rooms, which span the workers.
 */
#ifndef PD_SERVICE_CONNMGR_H
#define PD_SERVICE_CONNMGR_H

#include <stddef.h>

#define CONNMGR_ID_MAX		128
#define CONNMGR_GAME_MAX	40

enum pd_role {
	PD_ROLE_NONE = 0,
	PD_ROLE_PLAYER,
	PD_ROLE_SPECTATOR
};

struct pd_connmgr;

struct pd_connmgr	*pd_connmgr_new(void);
void			 pd_connmgr_free(struct pd_connmgr *);

/* 0 ok, -1 when sid is already known or an argument is too long. */
int		pd_connmgr_connect(struct pd_connmgr *, const char *sid,
		    const char *user_id);
/*
 * Forgets `sid`, calling `left` once for each game it was in (so the
 * caller can tell the room), before the record goes.
 */
void		pd_connmgr_disconnect(struct pd_connmgr *, const char *sid,
		    void (*left)(void *, const char *game_id,
		    const char *user_id), void *);

int		pd_connmgr_join(struct pd_connmgr *, const char *sid,
		    const char *game_id, enum pd_role);
int		pd_connmgr_leave(struct pd_connmgr *, const char *sid,
		    const char *game_id);

const char	*pd_connmgr_user(const struct pd_connmgr *, const char *sid);
enum pd_role	 pd_connmgr_role(const struct pd_connmgr *, const char *sid,
		    const char *game_id);

/* Fill `out` with up to `max` ids; return how many there are in all. */
size_t		pd_connmgr_participants(const struct pd_connmgr *,
		    const char *game_id, const char **out, size_t max);
size_t		pd_connmgr_user_sids(const struct pd_connmgr *,
		    const char *user_id, const char **out, size_t max);
size_t		pd_connmgr_games_of(const struct pd_connmgr *,
		    const char *sid, const char **out, size_t max);

size_t		pd_connmgr_session_count(const struct pd_connmgr *);
size_t		pd_connmgr_game_count(const struct pd_connmgr *);

#endif
