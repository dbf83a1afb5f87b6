/*
 * state_manager: games in memory over PostgreSQL, see state_manager.h.
 */
#include <kore/kore.h>

#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "service/events.h"
#include "service/state_manager.h"
#include "util/hash.h"
#include "util/jsonutil.h"

#define ENTRY_BUCKETS		1024
#define EVICT_INTERVAL_MS	60000
#define IDLE_MS			(10 * 60 * 1000)
/* Conflicts end when one writer wins each round; many join at once. */
#define MAX_RETRIES		20
#define GAMES_MSG_STALE		204

/* "Game id is at version v": sent to the other workers on a commit. */
struct stale_note {
	char		id[GAME_ID_LEN + 1];
	int64_t		version;
};

static LIST_HEAD(, pd_entry)	entries[ENTRY_BUCKETS];

static struct pd_entry	*entry_get(const char *, int);
static void		 entry_free(struct pd_entry *);
static void		 entry_pump(struct pd_entry *);
static void		 entry_fail_all(struct pd_entry *, const char *,
			    const char *);
static void		 load_done(void *, enum gs_result,
			    const struct gs_row *);
static void		 commit_done(void *, enum gs_result);
static void		 job_free(struct pd_job *);
static int		 pending_roll_apply(struct pd_game *, const char *);
static void		 job_reset(struct pd_job *);
static void		 verify_done(void *, enum gs_result, int64_t);
static void		 stale_msg(struct kore_msg *, const void *);
static void		 stale_note(const void *, size_t);
static void		 note_fill(struct stale_note *, const struct pd_entry *);
static void		 announce(const struct pd_entry *);
static void		 evict_run(void *, u_int64_t);

void
pd_games_init(void)
{
	size_t	i;

	for (i = 0; i < ENTRY_BUCKETS; i++)
		LIST_INIT(&entries[i]);
	(void)kore_timer_add(evict_run, EVICT_INTERVAL_MS, NULL, 0);
	(void)kore_msg_register(GAMES_MSG_STALE, stale_msg);
	sio_room_note_hook(stale_note);
}


static struct pd_entry *
entry_get(const char *id, int create)
{
	struct pd_entry	*e;

	LIST_FOREACH(e, &entries[(pd_hash_str(id) % ENTRY_BUCKETS)], hash) {
		if (strcmp(e->id, id) == 0)
			return (e);
	}
	if (!create)
		return (NULL);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return (NULL);
	if ((e->g = calloc(1, sizeof(*e->g))) == NULL) {
		free(e);
		return (NULL);
	}
	(void)snprintf(e->id, sizeof(e->id), "%s", id);
	TAILQ_INIT(&e->jobs);
	e->last_used = kore_time_ms();
	LIST_INSERT_HEAD(&entries[(pd_hash_str(id) % ENTRY_BUCKETS)], e, hash);
	return (e);
}

static void
entry_free(struct pd_entry *e)
{
	LIST_REMOVE(e, hash);
	free(e->g);
	free(e);
}

int64_t
pd_games_next_seq(const struct pd_entry *e)
{
	return (e->g->seq + 1);
}

static void
submit(const char *sock_id, const char *user_id, const char *game_id,
    const char *event, int64_t ack, yajl_val data, pd_job_fn fn, int verify)
{
	struct pd_entry	*e;
	struct pd_job	*job;

	if ((e = entry_get(game_id, 1)) == NULL ||
	    (job = calloc(1, sizeof(*job))) == NULL) {
		pd_job_error_ids(sock_id, event, ack, "INTERNAL_ERROR",
		    "Server out of memory", NULL);
		yajl_tree_free(data);
		return;
	}
	(void)snprintf(job->sock_id, sizeof(job->sock_id), "%s", sock_id);
	(void)snprintf(job->user_id, sizeof(job->user_id), "%s", user_id);
	(void)snprintf(job->game_id, sizeof(job->game_id), "%s", game_id);
	job->event = event;
	job->ack = ack;
	job->fn = fn;
	job->entry = e;
	job->verify = verify;
	job->data = data;
	gs_commit_init(&job->commit);
	TAILQ_INSERT_TAIL(&e->jobs, job, link);
	entry_pump(e);
}

void
pd_games_submit(const char *sock_id, const char *user_id,
    const char *game_id, const char *event, int64_t ack, yajl_val data,
    pd_job_fn fn)
{
	submit(sock_id, user_id, game_id, event, ack, data, fn, 0);
}

void
pd_games_submit_verified(const char *sock_id, const char *user_id,
    const char *game_id, const char *event, int64_t ack, yajl_val data,
    pd_job_fn fn)
{
	submit(sock_id, user_id, game_id, event, ack, data, fn, 1);
}

/*
 * Runs the jobs of `e` in order.  A job may finish synchronously (reads)
 * or later (commits); `pumping` keeps this a loop rather than a
 * recursion when they finish at once.
 */
static void
entry_pump(struct pd_entry *e)
{
	struct pd_job	*job;

	if (e->pumping)
		return;
	e->pumping = 1;
	while (!e->busy && !e->loading && (job = TAILQ_FIRST(&e->jobs)) !=
	    NULL) {
		if (!e->loaded || e->stale) {
			e->loading = 1;
			if (gs_load(e->id, load_done, e) == -1) {
				e->loading = 0;
				entry_fail_all(e, "INTERNAL_ERROR",
				    "Database unavailable - try again");
			}
			break;
		}
		e->busy = 1;
		e->last_used = kore_time_ms();
		if (job->verify && !job->verified) {
			if (gs_version(e->id, verify_done, job) == 0)
				break;
			job->verified = 1;
		}
		job->fn(job, e);
	}
	e->pumping = 0;
	/* A job that finished while we were looping left more to run. */
	if (!e->busy && !e->loading && e->loaded && !e->stale &&
	    !TAILQ_EMPTY(&e->jobs))
		entry_pump(e);
}

static void
entry_fail_all(struct pd_entry *e, const char *code, const char *message)
{
	struct pd_job	*job;

	while ((job = TAILQ_FIRST(&e->jobs)) != NULL) {
		pd_job_error(job, code, message, NULL);
		TAILQ_REMOVE(&e->jobs, job, link);
		job_free(job);
	}
}

static void
load_done(void *arg, enum gs_result rc, const struct gs_row *row)
{
	struct pd_entry	*e = arg;
	struct pd_job	*job;
	struct pd_error	 err;
	char		 msg[128];

	e->loading = 0;
	if (rc == GS_NOT_FOUND) {
		(void)snprintf(msg, sizeof(msg), "Game %s not found", e->id);
		entry_fail_all(e, "GAME_NOT_FOUND", msg);
		if (!e->busy)
			entry_free(e);
		return;
	}
	if (rc != GS_OK || pd_snapshot_read(e->g, row->snapshot, &err) ==
	    PD_ERR) {
		if (rc == GS_OK)
			kore_log(LOG_ERR, "game %s: bad snapshot: %s", e->id,
			    err.message);
		e->loaded = 0;
		entry_fail_all(e, "INTERNAL_ERROR",
		    "Database unavailable - try again");
		return;
	}
	if (row->pending_roll != NULL &&
	    pending_roll_apply(e->g, row->pending_roll) == -1)
		kore_log(LOG_ERR, "game %s: bad pending roll", e->id);
	e->g->seq = row->seq;
	e->version = row->version;
	(void)snprintf(e->admin, sizeof(e->admin), "%s", row->admin);
	(void)snprintf(e->away_owner, sizeof(e->away_owner), "%s",
	    row->away_owner);
	(void)snprintf(e->home_owner, sizeof(e->home_owner), "%s",
	    row->home_owner);
	e->loaded = 1;
	e->stale = 0;
	/* What waited for this load sees the latest state already. */
	TAILQ_FOREACH(job, &e->jobs, link)
		job->verified = 1;
	entry_pump(e);
}

static void
verify_done(void *arg, enum gs_result rc, int64_t version)
{
	struct pd_job	*job = arg;
	struct pd_entry	*e = job->entry;

	job->verified = 1;
	e->busy = 0;
	/* A database that does not answer leaves the cache as good as any. */
	if (rc == GS_OK && version != e->version)
		e->stale = 1;
	entry_pump(e);
}

int
pd_games_recheck(struct pd_job *job)
{
	struct pd_entry	*e = job->entry;

	if (job->verified)
		return (0);
	job_reset(job);
	job->verify = 1;
	e->busy = 0;
	entry_pump(e);
	return (1);
}

/*
 * Puts the pending roll (games.pending_roll, as pd_json_roll wrote it)
 * back into a game read from its snapshot, which rolls do not rewrite.
 */
static int
pending_roll_apply(struct pd_game *g, const char *json)
{
	struct pd_roll	 roll;
	struct pd_error	 err;
	yajl_val	 v, red;
	const char	*id, *ts;
	int64_t		 ts_ms;
	int		 rc;

	if ((v = json_parse(json, strlen(json), NULL, 0)) == NULL)
		return (-1);
	rc = -1;
	id = json_string(v, "roll_id");
	ts = json_string(v, "timestamp");
	red = json_get(v, "d6_two");
	if (id == NULL || ts == NULL || red == NULL || !YAJL_IS_ARRAY(red) ||
	    red->u.array.len != 2 || pd_dice_parse_timestamp(ts, &ts_ms) != 0)
		goto out;
	if (g->has_roll && strcmp(g->roll.roll_id, id) == 0) {
		rc = 0;		/* an older snapshot that has it already */
		goto out;
	}
	if (pd_dice_from_values(&roll, id,
	    (int)YAJL_GET_INTEGER(json_get(v, "d6_one")),
	    (int)YAJL_GET_INTEGER(red->u.array.values[0]),
	    (int)YAJL_GET_INTEGER(red->u.array.values[1]),
	    (int)YAJL_GET_INTEGER(json_get(v, "chaos_d20")),
	    (int)YAJL_GET_INTEGER(json_get(v, "resolution_d20")), ts_ms,
	    pd_game_runners_mask(g) != 0, &err) == PD_ERR ||
	    pd_game_apply_roll(g, &roll, ts_ms, &err) == PD_ERR)
		goto out;
	g->roll_expires_ms = ts_ms + pd_cfg.roll_ttl_ms;
	rc = 0;
out:
	yajl_tree_free(v);
	return (rc);
}

void
pd_games_commit(struct pd_job *job, struct pd_entry *e,
    void (*done)(struct pd_job *, struct pd_entry *, enum gs_result))
{
	job->done = done;
	job->commit.game_id = e->id;
	job->commit.version = e->version;
	job->commit.user_id = job->user_id;
	if (gs_commit(&job->commit, commit_done, job) == -1)
		done(job, e, GS_ERROR);
}

static void
commit_done(void *arg, enum gs_result rc)
{
	struct pd_job	*job = arg;
	struct pd_entry	*e = job->entry;

	switch (rc) {
	case GS_OK:
		/* The job's copy becomes the state: no copy back. */
		if (job->next != NULL) {
			free(e->g);
			e->g = job->next;
			job->next = NULL;
		}
		e->g->seq = job->commit.seq;
		e->version++;
		/* Told with the room events, or at the finish. */
		job->announce = 1;
		job->done(job, e, GS_OK);
		return;
	case GS_CONFLICT:
		/* Someone else moved the game on: reload, run again. */
		e->stale = 1;
		if (job->retries++ < MAX_RETRIES) {
			job_reset(job);
			e->busy = 0;
			entry_pump(e);
			return;
		}
		job->done(job, e, GS_CONFLICT);
		return;
	default:
		/* Committed or not, we cannot tell: the database decides. */
		e->stale = 1;
		job->done(job, e, rc);
		return;
	}
}

void
pd_games_finish(struct pd_job *job)
{
	struct pd_entry	*e = job->entry;

	if (job->announce)
		announce(e);
	TAILQ_REMOVE(&e->jobs, job, link);
	job_free(job);
	e->busy = 0;
	e->last_used = kore_time_ms();
	entry_pump(e);
}

/* Forgets what a run of the job prepared, so that it can run again. */
static void
job_reset(struct pd_job *job)
{
	free(job->next);
	job->next = NULL;
	gs_commit_free(&job->commit);
	gs_commit_init(&job->commit);
	while (job->nout > 0)
		pd_buf_free(&job->out_data[--job->nout]);
	job->done = NULL;
}

size_t
pd_games_take_note(struct pd_job *job, void *buf, size_t size)
{
	struct stale_note	note;

	if (!job->announce || size < sizeof(note))
		return (0);
	note_fill(&note, job->entry);
	memcpy(buf, &note, sizeof(note));
	job->announce = 0;
	return (sizeof(note));
}

static void
note_fill(struct stale_note *note, const struct pd_entry *e)
{
	memset(note, 0, sizeof(*note));
	(void)snprintf(note->id, sizeof(note->id), "%s", e->id);
	note->version = e->version;
}

/* Tells the other workers that their copy of `e` is out of date. */
static void
announce(const struct pd_entry *e)
{
	struct stale_note	note;
	u_int16_t		id, n;

	note_fill(&note, e);
	n = worker_count - KORE_WORKER_BASE;
	for (id = 1; id <= n; id++) {
		if (id != worker->id)
			kore_msg_send(id, GAMES_MSG_STALE, &note, sizeof(note));
	}
}

static void
stale_msg(struct kore_msg *m, const void *data)
{
	if (data != NULL)
		stale_note(data, m->length);
}

static void
stale_note(const void *data, size_t len)
{
	struct stale_note	note;
	struct pd_entry		*e;

	if (len != sizeof(note))
		return;
	memcpy(&note, data, sizeof(note));
	note.id[GAME_ID_LEN] = '\0';
	if ((e = entry_get(note.id, 0)) != NULL && e->loaded &&
	    e->version < note.version)
		e->stale = 1;
}

static void
job_free(struct pd_job *job)
{
	int	i;

	for (i = 0; i < job->nout; i++)
		pd_buf_free(&job->out_data[i]);
	if (job->data != NULL)
		yajl_tree_free(job->data);
	free(job->next);
	gs_commit_free(&job->commit);
	free(job);
}

static void
evict_run(void *arg, u_int64_t now)
{
	struct pd_entry	*e, *next;
	size_t		 i;

	for (i = 0; i < ENTRY_BUCKETS; i++) {
		for (e = LIST_FIRST(&entries[i]); e != NULL; e = next) {
			next = LIST_NEXT(e, hash);
			if (!e->busy && !e->loading &&
			    TAILQ_EMPTY(&e->jobs) &&
			    now - e->last_used > IDLE_MS)
				entry_free(e);
		}
	}
}
