/*
 * gamestore: the games' rows in PostgreSQL, the truth behind the cache.
 *
 * Every change to a game is one entry of pd_commit_many(): the games row
 * moves from `version` to version + 1 (or nothing happens, when another
 * worker or process got there first), and the action rows and the room
 * events with their seq are written with it, so a change is either
 * wholly committed or not at all.  Changes that wait while the database is busy
 * are committed together, several games in one transaction (group
 * commit); each still gets its own answer, after the transaction
 * committed.
 *
 * All calls are asynchronous (Kore's pgsql) and answer through a
 * callback, exactly once.
 */
#ifndef PD_STORE_GAMESTORE_H
#define PD_STORE_GAMESTORE_H

#include <stdint.h>

#include "util/buf.h"

#define GS_ID_MAX	128
#define GS_EVENTS_MAX	4	/* room events of one change */

/* What a loaded game row gives. */
struct gs_row {
	char		*snapshot;	/* owned by the store; valid in cb */
	const char	*pending_roll;	/* its JSON, or NULL; valid in cb */
	int64_t		 version;
	int64_t		 seq;
	char		 admin[GS_ID_MAX];
	char		 away_owner[GS_ID_MAX];
	char		 home_owner[GS_ID_MAX];
};

enum gs_result {
	GS_OK = 0,
	GS_NOT_FOUND,		/* load: no such game */
	GS_CONFLICT,		/* commit: the version moved on */
	GS_ERROR		/* the database failed */
};

/* One change: its room events and the action row that records it. */
struct gs_commit {
	const char	*game_id;
	int64_t		 version;	/* expected current version */
	int64_t		 seq;		/* seq after the events */
	char		*snapshot;	/* owned; NULL: state unchanged */
	const char	*status;	/* NULL: unchanged */
	/* Its room events in seq order, in the caller's arrays. */
	int		 nevents;	/* at most GS_EVENTS_MAX */
	const int64_t	*ev_seq;
	const char *const *ev_name;
	const struct pd_buf *ev_data;	/* JSON objects */
	const char	*kind;		/* "roll", "decision", "play", "sub", "" */
	const char	*user_id;
	struct pd_buf	 action;	/* JSON object of the action */
	struct pd_buf	 lineup;	/* JSON array of lineup entries, subs */
};

void	gs_commit_init(struct gs_commit *);
void	gs_commit_free(struct gs_commit *);

int	gs_load(const char *game_id,
	    void (*cb)(void *, enum gs_result, const struct gs_row *), void *);
/* The commit is read until cb runs: keep it unchanged until then. */
int	gs_commit(const struct gs_commit *,
	    void (*cb)(void *, enum gs_result), void *);
/* The game's current version, to tell whether a cached copy is fresh. */
int	gs_version(const char *game_id,
	    void (*cb)(void *, enum gs_result, int64_t), void *);
/* Records a refused action for the audit trail; fire and forget. */
void	gs_record_refusal(const char *game_id, const char *user_id,
	    const char *event, const char *code, const char *payload);

/* Room events after `last_seq`, as a JSON array of {event, data}. */
int	gs_events_since(const char *game_id, int64_t last_seq,
	    void (*cb)(void *, enum gs_result, const char *, size_t), void *);
/* The last `n` play results, oldest first, as a JSON array. */
int	gs_recent_plays(const char *game_id, int n,
	    void (*cb)(void *, enum gs_result, const char *, size_t), void *);

#endif
