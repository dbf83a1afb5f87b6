/*
 * state_manager: the games in memory.  Memory is a cache, PostgreSQL the truth.
 *
 * A game is loaded from its row on first use and kept here, evicted when
 * idle.  Work on a game is a job: jobs of one game run one at a time, in
 * arrival order, each against the cached state.  A job that changes the
 * game works on a copy, commits it (gamestore), and only then swaps the
 * copy in and tells the room: nothing unconfirmed is ever broadcast, and
 * a failed commit leaves the game as it was.  When another worker or
 * process changed the game first (a version conflict) the game is
 * reloaded and the job runs again.
 */
#ifndef PD_SERVICE_STATE_MANAGER_H
#define PD_SERVICE_STATE_MANAGER_H

#include <stdint.h>
#include <sys/queue.h>
#include <yajl/yajl_tree.h>

#include "engine/engine.h"
#include "store/gamestore.h"
#include "transport/sio.h"

#define GAME_ID_LEN	36
#define PD_JOB_EVENTS	GS_EVENTS_MAX

struct pd_entry;
struct pd_job;

/* What a job does once its game is loaded and its turn has come. */
typedef void	(*pd_job_fn)(struct pd_job *, struct pd_entry *);

struct pd_entry {
	char			 id[GAME_ID_LEN + 1];
	int			 loaded;
	int			 loading;
	int			 busy;		/* a job is running */
	int			 stale;		/* reload before next use */
	int			 pumping;	/* entry_pump() is running */
	struct pd_game		*g;		/* owned; swapped on commit */
	int64_t			 version;
	char			 admin[GS_ID_MAX];
	char			 away_owner[GS_ID_MAX];
	char			 home_owner[GS_ID_MAX];
	uint64_t		 last_used;
	TAILQ_HEAD(, pd_job)	 jobs;
	LIST_ENTRY(pd_entry)	 hash;
};

struct pd_job {
	char			 sock_id[SIO_ID_LEN + 1];
	char			 user_id[GS_ID_MAX];
	char			 game_id[GAME_ID_LEN + 1];
	const char		*event;		/* static name */
	int64_t			 ack;
	yajl_val		 data;		/* owned copy of the payload */
	pd_job_fn		 fn;
	int			 retries;
	int			 verify;	/* check the cache first */
	int			 verified;	/* ... and it was fresh */
	struct pd_entry		*entry;

	/* A commit in flight: the new state and what to say after it. */
	struct pd_game		*next;
	struct gs_commit	 commit;
	void			(*done)(struct pd_job *, struct pd_entry *,
				    enum gs_result);
	void			*ctx;

	/* The other workers are yet to hear that their copy is stale. */
	int			 announce;

	/* The room events of the commit, broadcast once it succeeded. */
	int			 nout;
	const char		*out_name[PD_JOB_EVENTS];
	int64_t			 out_seq[PD_JOB_EVENTS];
	struct pd_buf		 out_data[PD_JOB_EVENTS];
	TAILQ_ENTRY(pd_job)	 link;
};

void		 pd_games_init(void);

/*
 * Queues `fn` for the game; it runs when the game is loaded and every
 * earlier job of it has finished.  A missing game answers GAME_NOT_FOUND
 * to the requester without running fn.  The job takes the payload over
 * (pd_req_take_data()): game_id may point into it.
 */
void		 pd_games_submit(const char *sock_id, const char *user_id,
		    const char *game_id, const char *event, int64_t ack,
		    yajl_val data, pd_job_fn fn);

/* The same, checking first that the cached game is the latest (reads). */
void		 pd_games_submit_verified(const char *sock_id,
		    const char *user_id, const char *game_id, const char *event,
		    int64_t ack, yajl_val data, pd_job_fn fn);

/*
 * From inside fn, before refusing: when the cache was not checked, runs
 * the job again once it is known to be the latest (1); 0 when it was.
 * A refusal must never come from a copy another worker has outdated.
 */
int		 pd_games_recheck(struct pd_job *);

/* From inside fn: commit `next` (a changed copy) with `commit`'s rows. */
void		 pd_games_commit(struct pd_job *, struct pd_entry *,
		    void (*done)(struct pd_job *, struct pd_entry *,
		    enum gs_result));

/*
 * From done: the note that tells the other workers their copy of the game
 * is stale, to send with the room events (sio_room_emit()).  Returns
 * its length, 0 if there is nothing to tell.  A job that finishes without
 * taking it sends it by itself.
 */
size_t		 pd_games_take_note(struct pd_job *, void *, size_t);

/* From inside fn or done: this job is over; the next one may run. */
void		 pd_games_finish(struct pd_job *);

/* The seq the next room event of `e` gets. */
int64_t		 pd_games_next_seq(const struct pd_entry *);

#endif
