/*
 * ev_common: what the game event handlers share: the first checks of a
 * request (payload shape, game_id format), roles, and building the room
 * events of a commit.
 *
 * The order of checks is CONTRACT section 6: shape and always-required
 * fields, formats, the game's existence (the state manager), then
 * authorization (ev_authorize), GAME_OVER, the request's own validity
 * and the game's moment (the engine).
 */
#ifndef PD_SERVICE_EV_COMMON_H
#define PD_SERVICE_EV_COMMON_H

#include <yajl/yajl_gen.h>

#include "service/events.h"
#include "service/state_manager.h"

/* Who may do an action. */
enum ev_who {
	EV_ANYONE,		/* reads: spectators included */
	EV_FIELDING,		/* the fielding team's manager */
	EV_BATTING,		/* the batting team's manager or the admin */
	EV_TEAM			/* the manager of a given team */
};

/*
 * Checks the payload shape, game_id and the other always-required
 * fields, then game_id's format; replies and returns -1 on failure.
 */
int	ev_game_id(const struct pd_req *, const char **,
	    const char *const *required);
int	ev_is_uuid(const char *);

/* Authorization of a job's user: -1 with `err` filled when refused. */
int	ev_authorize(const struct pd_job *, const struct pd_entry *,
	    enum ev_who, int team_side, struct pd_error *err);
int	ev_manages(const struct pd_entry *, const char *user, int side);

/* GAME_OVER for a finished game: -1 with `err` filled. */
int	ev_game_over(const struct pd_entry *, struct pd_error *err);

/*
 * Refuses a job's request and ends the job, once the state it was judged
 * on is known to be the latest (otherwise the job runs again first).
 */
void	ev_refuse(struct pd_job *, const struct pd_error *);

/*
 * JSON objects as text: ev_gen() and ev_gen_take() capture what an
 * engine function writes; ev_obj_put_*() add a field before the closing
 * brace; ev_event_add() adds seq and records the object as a room event
 * of the job's commit.  ev_gen_take(g, written, out) frees g whatever
 * happened, so the write goes in as its second argument:
 *
 *	g = ev_gen();
 *	if (ev_gen_take(g, g != NULL && pd_json_x(g, ...) == PD_OK, &out) ...
 */
yajl_gen ev_gen(void);
int	ev_gen_take(yajl_gen, int, struct pd_buf *);
int	ev_obj_put_raw(struct pd_buf *, const char *, const char *, size_t);
int	ev_obj_put_str(struct pd_buf *, const char *, const char *);
int	ev_obj_put_int(struct pd_buf *, const char *, long long);
int	ev_event_add(struct pd_job *, const char *name, struct pd_buf *obj,
	    int64_t seq);
/* The game's state with `seq`, as a JSON object. */
int	ev_state_json(const struct pd_game *, int64_t seq, struct pd_buf *);
/* Sends the recorded events to the game's room, in order. */
void	ev_broadcast(struct pd_job *);

/* Replies to a job's requester: event + ack, or ack only. */
void	ev_job_reply(struct pd_job *, const char *event, const char *json,
	    size_t len);
void	ev_job_ack(struct pd_job *, const char *json, size_t len);

/* After a failed commit: the requester learns, the job ends. */
void	ev_commit_failed(struct pd_job *, enum gs_result);

/* A job's working copy of the state, and the commit of it. */
struct pd_game	*ev_state_copy(struct pd_job *, struct pd_entry *);
int	ev_snapshot_into(struct pd_job *, const struct pd_game *);
/* Commit callback: broadcast, ack with the last event, end the job. */
void	ev_room_done(struct pd_job *, struct pd_entry *, enum gs_result);


#endif
