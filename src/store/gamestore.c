/*
 * gamestore: games in PostgreSQL, see gamestore.h.
 *
 * Each call is one statement through the db layer (src/store/db.c),
 * which reports lost connections and timeouts as failures.  A struct
 * gs_call carries the caller's callback to the db callback.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/gamestore.h"

struct gs_call {
	void	(*load_cb)(void *, enum gs_result, const struct gs_row *);
	void	(*version_cb)(void *, enum gs_result, int64_t);
	void	(*commit_cb)(void *, enum gs_result);
	void	(*text_cb)(void *, enum gs_result, const char *, size_t);
	void	*arg;
	int	 reverse;
};

static struct gs_call	*call_new(void *);
static int		 call_exec(struct gs_call *, const char *, int,
			    const char **, pd_db_cb);
static void		 load_done(const struct pd_db_result *, void *);
static void		 version_done(const struct pd_db_result *, void *);
static void		 refusal_done(const struct pd_db_result *, void *);
static void		 text_done(const struct pd_db_result *, void *);
static int		 text_query(const char *, const char *, const char *,
			    int, void (*)(void *, enum gs_result, const char *,
			    size_t), void *);

/* A roll is committed without a new snapshot: it is the row's pending_roll. */
static const char sql_load[] =
    "SELECT g.snapshot, g.version, g.seq, g.admin_user_id, "
    "a.owner_user_id, h.owner_user_id, g.pending_roll::text "
    "FROM games g JOIN teams a ON a.id = g.away_team_id "
    "JOIN teams h ON h.id = g.home_team_id WHERE g.id = $1::uuid";

/*
 * A change moves the games row to the next version and writes the action
 * and the events, or does nothing when the version moved on.  Changes to
 * several games share a transaction, one pd_commit_many() call
 * (migrations/0011): see "Group commit" below.  A function, so that its
 * statements are planned once per connection.
 */
#define BATCH_CHANGE_ARGS 9	/* pd_commit_many()'s arrays per change */
#define BATCH_ARGS	13	/* ... and per event */
#define BATCH_MAX	64	/* commits in one transaction */
#define BATCHES_MAX	1	/* transactions in flight per worker */

/* Written without waiting for the WAL flush (migrations/0012). */
static const char sql_refusal[] =
    "SELECT pd_refusal($1::uuid, $2::text, $3::text, $4::text, $5::jsonb)";

static const char sql_version[] =
    "SELECT version FROM games WHERE id = $1::uuid";

static const char sql_events[] =
    "SELECT json_build_object('event', event, 'data', data)::text "
    "FROM game_events WHERE game_id = $1::uuid AND seq > $2::bigint "
    "ORDER BY seq LIMIT 10000";

static const char sql_plays[] =
    "SELECT result::text FROM plays WHERE game_id = $1::uuid "
    "ORDER BY play_number DESC LIMIT $2::int";

void
gs_commit_init(struct gs_commit *c)
{
	memset(c, 0, sizeof(*c));
	pd_buf_init(&c->action, 0);
	pd_buf_init(&c->lineup, 0);
	c->kind = "";
}

void
gs_commit_free(struct gs_commit *c)
{
	free(c->snapshot);
	c->snapshot = NULL;
	pd_buf_free(&c->action);
	pd_buf_free(&c->lineup);
}

static struct gs_call *
call_new(void *arg)
{
	struct gs_call	*c;

	if ((c = calloc(1, sizeof(*c))) != NULL)
		c->arg = arg;
	return (c);
}

/* Runs the statement for `c`; on failure `c` is freed and -1 returned. */
static int
call_exec(struct gs_call *c, const char *sql, int n, const char **params,
    pd_db_cb done)
{
	if (pd_db_exec(sql, n, params, done, c) == NULL) {
		free(c);
		return (-1);
	}
	return (0);
}

static enum gs_result
db_result(const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		if (r->status == PD_DB_ERROR)
			fprintf(stderr, "gamestore: %s\n", r->error);
		return (GS_ERROR);
	}
	return (GS_OK);
}

int
gs_load(const char *game_id,
    void (*cb)(void *, enum gs_result, const struct gs_row *), void *arg)
{
	struct gs_call	*c;
	const char	*params[1];

	if ((c = call_new(arg)) == NULL)
		return (-1);
	c->load_cb = cb;
	params[0] = game_id;
	return (call_exec(c, sql_load, 1, params, load_done));
}

static void
load_done(const struct pd_db_result *r, void *arg)
{
	struct gs_call	*c = arg;
	struct gs_row	 row;
	enum gs_result	 rc;

	memset(&row, 0, sizeof(row));
	if ((rc = db_result(r)) == GS_OK && r->ntuples == 0)
		rc = GS_NOT_FOUND;
	if (rc == GS_OK) {
		row.snapshot = (char *)pd_db_value(r, 0, 0);
		row.version = strtoll(pd_db_value(r, 0, 1), NULL, 10);
		row.seq = strtoll(pd_db_value(r, 0, 2), NULL, 10);
		(void)snprintf(row.admin, sizeof(row.admin), "%s",
		    pd_db_value(r, 0, 3));
		(void)snprintf(row.away_owner, sizeof(row.away_owner), "%s",
		    pd_db_value(r, 0, 4));
		(void)snprintf(row.home_owner, sizeof(row.home_owner), "%s",
		    pd_db_value(r, 0, 5));
		row.pending_roll = pd_db_isnull(r, 0, 6) ? NULL :
		    pd_db_value(r, 0, 6);
	}
	c->load_cb(c->arg, rc, rc == GS_OK ? &row : NULL);
	free(c);
}

static void
refusal_done(const struct pd_db_result *r, void *arg)
{
	(void)db_result(r);
}

void
gs_record_refusal(const char *game_id, const char *user_id,
    const char *event, const char *code, const char *payload)
{
	const char	*params[5];

	params[0] = game_id;
	params[1] = user_id;
	params[2] = event;
	params[3] = code;
	params[4] = payload;
	(void)pd_db_exec(sql_refusal, 5, params, refusal_done, NULL);
}

int
gs_version(const char *game_id, void (*cb)(void *, enum gs_result, int64_t),
    void *arg)
{
	struct gs_call	*c;
	const char	*params[1];

	if ((c = call_new(arg)) == NULL)
		return (-1);
	c->version_cb = cb;
	params[0] = game_id;
	return (call_exec(c, sql_version, 1, params, version_done));
}

static void
version_done(const struct pd_db_result *r, void *arg)
{
	struct gs_call	*c = arg;
	enum gs_result	 rc;
	int64_t		 version;

	version = -1;
	if ((rc = db_result(r)) == GS_OK && r->ntuples == 0)
		rc = GS_NOT_FOUND;
	if (rc == GS_OK)
		version = strtoll(pd_db_value(r, 0, 0), NULL, 10);
	c->version_cb(c->arg, rc, version);
	free(c);
}

/*
 * Group commit.  Commits queue here; up to BATCHES_MAX batches run at a
 * time, each one statement (one transaction) of up to BATCH_MAX commits:
 * whatever queued while the previous batch ran goes in the next.  When
 * the database is idle a commit goes at once, alone; when it is busy,
 * the cost of a transaction (its statement, its WAL flush, the round
 * trips) is shared by everything that waited.  Each commit still gets
 * its own answer: whether its own game moved on.  pd_commit_many() locks
 * a batch's games in game id order, so batches of two workers or two
 * servers cannot deadlock.  A batch that fails as a whole (an error, not
 * a lost database) is tried again one commit at a time, so a bad commit
 * fails alone.
 */
struct gs_pending {
	TAILQ_ENTRY(gs_pending)	 link;
	const struct gs_commit	*cm;
	void			(*cb)(void *, enum gs_result);
	void			*arg;
	int			 alone;		/* retry of a failed batch */
	char			 version[24];
	char			 seq[24];
};

TAILQ_HEAD(gs_pending_list, gs_pending);

struct gs_batch {
	int			 n;
	struct gs_pending	*items[BATCH_MAX];
	/* The statement's values, by argument; numbers as text. */
	const char		*vals[BATCH_ARGS][BATCH_MAX * GS_EVENTS_MAX];
	char			 evnum[BATCH_MAX * GS_EVENTS_MAX][2][24];
};

static struct gs_pending_list	queue = TAILQ_HEAD_INITIALIZER(queue);
static int			inflight;	/* batches sent */
static int			delivering;	/* batch_done() answering */

static int	append_param(struct pd_buf *, int);
static int	batch_statement(struct pd_buf *, const char ***, int *,
		    struct gs_batch *);
static void	batch_pump(void);
static void	batch_send(struct gs_batch *);
static void	batch_done(const struct pd_db_result *, void *);
static void	batch_answer(struct gs_pending *, enum gs_result);

int
gs_commit(const struct gs_commit *cm, void (*cb)(void *, enum gs_result),
    void *arg)
{
	struct gs_pending	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (-1);
	p->cm = cm;
	p->cb = cb;
	p->arg = arg;
	(void)snprintf(p->version, sizeof(p->version), "%lld",
	    (long long)cm->version);
	(void)snprintf(p->seq, sizeof(p->seq), "%lld", (long long)cm->seq);
	TAILQ_INSERT_TAIL(&queue, p, link);
	batch_pump();
	return (0);
}

/* Starts batches while fewer than BATCHES_MAX run. */
static void
batch_pump(void)
{
	struct gs_batch		*b;
	struct gs_pending	*p, *next;
	int			 i, dup;

	while (!delivering && inflight < BATCHES_MAX &&
	    !TAILQ_EMPTY(&queue)) {
		if ((b = calloc(1, sizeof(*b))) == NULL) {
			p = TAILQ_FIRST(&queue);
			TAILQ_REMOVE(&queue, p, link);
			batch_answer(p, GS_ERROR);
			continue;
		}
		for (p = TAILQ_FIRST(&queue); p != NULL && b->n < BATCH_MAX;
		    p = next) {
			next = TAILQ_NEXT(p, link);
			if (p->alone && b->n > 0)
				break;
			/* One change per game in a statement. */
			for (dup = 0, i = 0; i < b->n && !dup; i++)
				dup = strcmp(b->items[i]->cm->game_id,
				    p->cm->game_id) == 0;
			if (dup)
				continue;
			TAILQ_REMOVE(&queue, p, link);
			b->items[b->n++] = p;
			if (p->alone)
				break;
		}
		batch_send(b);
	}
}

/*
 * The batch as "SELECT pd_commit_many(ARRAY[$1::uuid, $2::uuid]::uuid[],
 * ...)": one array per argument, an element per change (per event for the
 * last four), and each element its own text parameter, so that no value
 * is ever quoted.  An empty array is '{}'.
 */
static const char *const batch_types[BATCH_ARGS] = {
	"uuid", "bigint", "bigint", "text", "text", "text", "text", "jsonb",
	"jsonb",					/* per change */
	"int", "bigint", "text", "json"			/* per event */
};

/* "$n", without printf: a batch has some thousand of them. */
static int
append_param(struct pd_buf *sql, int n)
{
	char	buf[16], *p;

	p = buf + sizeof(buf);
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	*--p = '$';
	return (pd_buf_append(sql, p, (size_t)(buf + sizeof(buf) - p)));
}

static int
batch_statement(struct pd_buf *sql, const char ***params, int *nparams,
    struct gs_batch *b)
{
	const char		*(*v)[BATCH_MAX * GS_EVENTS_MAX] = b->vals;
	const struct gs_commit	*cm;
	int			 len[BATCH_ARGS], i, j, k, e, next;

	memset(len, 0, sizeof(len));
	for (i = 0, e = 0; i < b->n; i++) {
		cm = b->items[i]->cm;
		v[0][i] = cm->game_id;
		v[1][i] = b->items[i]->version;
		v[2][i] = b->items[i]->seq;
		v[3][i] = cm->snapshot;
		v[4][i] = cm->status;
		v[5][i] = cm->kind;
		v[6][i] = cm->user_id;
		v[7][i] = cm->action.len ?
		    pd_buf_cstr((struct pd_buf *)&cm->action) : "{}";
		/* NULL: pd_commit_many() skips the lineup step (0010). */
		v[8][i] = cm->lineup.len ?
		    pd_buf_cstr((struct pd_buf *)&cm->lineup) : NULL;
		for (j = 0; j < cm->nevents && j < GS_EVENTS_MAX; j++, e++) {
			(void)snprintf(b->evnum[e][0], sizeof(b->evnum[e][0]),
			    "%d", i + 1);
			(void)snprintf(b->evnum[e][1], sizeof(b->evnum[e][1]),
			    "%lld", (long long)cm->ev_seq[j]);
			v[9][e] = b->evnum[e][0];
			v[10][e] = b->evnum[e][1];
			v[11][e] = cm->ev_name[j];
			v[12][e] = pd_buf_cstr((struct pd_buf *)&cm->ev_data[j]);
		}
	}
	for (k = 0; k < BATCH_ARGS; k++)
		len[k] = k < BATCH_CHANGE_ARGS ? b->n : e;
	*nparams = BATCH_CHANGE_ARGS * b->n + (BATCH_ARGS -
	    BATCH_CHANGE_ARGS) * e;
	if ((*params = calloc(*nparams, sizeof(**params))) == NULL ||
	    pd_buf_appends(sql, "SELECT pd_commit_many(") == -1)
		return (-1);
	for (k = 0, next = 0; k < BATCH_ARGS; k++) {
		if (k > 0 && pd_buf_appends(sql, ", ") == -1)
			return (-1);
		if (len[k] == 0) {
			if (pd_buf_appendf(sql, "'{}'::%s[]", batch_types[k]) ==
			    -1)
				return (-1);
			continue;
		}
		if (pd_buf_appends(sql, "ARRAY[") == -1)
			return (-1);
		for (i = 0; i < len[k]; i++) {
			(*params)[next] = v[k][i];
			if ((i > 0 && pd_buf_appends(sql, ", ") == -1) ||
			    append_param(sql, ++next) == -1)
				return (-1);
		}
		if (pd_buf_appendf(sql, "]::%s[]", batch_types[k]) == -1)
			return (-1);
	}
	return (pd_buf_appendc(sql, ')'));
}

static void
batch_send(struct gs_batch *b)
{
	struct pd_buf	  sql;
	const char	**params;
	int		  i, n, rc;

	pd_buf_init(&sql, 0);
	params = NULL;
	rc = batch_statement(&sql, &params, &n, b);
	if (rc == -1 || pd_db_exec(pd_buf_cstr(&sql), n, params, batch_done,
	    b) == NULL) {
		for (i = 0; i < b->n; i++)
			batch_answer(b->items[i], GS_ERROR);
		free(b);
	} else
		inflight++;
	free(params);
	pd_buf_free(&sql);
}

static void
batch_done(const struct pd_db_result *r, void *arg)
{
	struct gs_batch		*b = arg;
	enum gs_result		 rc[BATCH_MAX];
	long			 n;
	int			 i;

	inflight--;
	delivering = 1;
	if (r->status == PD_DB_ERROR && b->n > 1) {
		fprintf(stderr, "gamestore: a batch of %d commits failed, "
		    "trying each alone: %s\n", b->n, r->error);
		/* Find the bad one: each again, alone, first in line. */
		for (i = b->n - 1; i >= 0; i--) {
			b->items[i]->alone = 1;
			TAILQ_INSERT_HEAD(&queue, b->items[i], link);
		}
		b->n = 0;
	}
	if (r->status == PD_DB_ERROR && b->n == 1)
		fprintf(stderr, "gamestore: %s\n", r->error);
	/* The rows are the (1-based) indexes of the changes written. */
	for (i = 0; i < b->n; i++)
		rc[i] = r->status == PD_DB_OK ? GS_CONFLICT : GS_ERROR;
	for (i = 0; r->status == PD_DB_OK && i < r->ntuples; i++) {
		n = strtol(pd_db_value(r, i, 0), NULL, 10);
		if (n >= 1 && n <= b->n)
			rc[n - 1] = GS_OK;
	}
	for (i = 0; i < b->n; i++)
		batch_answer(b->items[i], rc[i]);
	free(b);
	delivering = 0;
	batch_pump();
}

/* The callback may commit again (the game's next job): it queues. */
static void
batch_answer(struct gs_pending *p, enum gs_result rc)
{
	p->cb(p->arg, rc);
	free(p);
}

static int
text_query(const char *sql, const char *game_id, const char *second,
    int reverse, void (*cb)(void *, enum gs_result, const char *, size_t),
    void *arg)
{
	struct gs_call	*c;
	const char	*params[2];

	if ((c = call_new(arg)) == NULL)
		return (-1);
	c->text_cb = cb;
	c->reverse = reverse;
	params[0] = game_id;
	params[1] = second;
	return (call_exec(c, sql, 2, params, text_done));
}

/* Rows of one JSON column each, joined into a JSON array. */
static void
text_done(const struct pd_db_result *r, void *arg)
{
	struct gs_call	*c = arg;
	struct pd_buf	 out;
	enum gs_result	 rc;
	int		 i, n;

	pd_buf_init(&out, 0);
	if ((rc = db_result(r)) == GS_OK) {
		n = r->ntuples;
		if (pd_buf_appendc(&out, '[') == -1)
			rc = GS_ERROR;
		for (i = 0; i < n && rc == GS_OK; i++) {
			if ((i > 0 && pd_buf_appendc(&out, ',') == -1) ||
			    pd_buf_appends(&out, pd_db_value(r,
			    c->reverse ? n - 1 - i : i, 0)) == -1)
				rc = GS_ERROR;
		}
		if (rc == GS_OK && pd_buf_appendc(&out, ']') == -1)
			rc = GS_ERROR;
	}
	c->text_cb(c->arg, rc, (const char *)out.data, out.len);
	pd_buf_free(&out);
	free(c);
}

int
gs_events_since(const char *game_id, int64_t last_seq,
    void (*cb)(void *, enum gs_result, const char *, size_t), void *arg)
{
	char	seq[24];

	(void)snprintf(seq, sizeof(seq), "%lld", (long long)last_seq);
	return (text_query(sql_events, game_id, seq, 0, cb, arg));
}

int
gs_recent_plays(const char *game_id, int n,
    void (*cb)(void *, enum gs_result, const char *, size_t), void *arg)
{
	char	count[16];

	(void)snprintf(count, sizeof(count), "%d", n);
	return (text_query(sql_plays, game_id, count, 1, cb, arg));
}
