/*
 * gamestore: games in PostgreSQL, see gamestore.h.
 *
 * Each call is one statement through the db layer (src/store/db.c),
 * which reports lost connections and timeouts as failures.  A struct
 * gs_call carries the caller's callback to the db callback.
 */
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
static void		 load_done(const struct pd_db_result *, void *);
static void		 commit_done(const struct pd_db_result *, void *);
static void		 version_done(const struct pd_db_result *, void *);
static void		 refusal_done(const struct pd_db_result *, void *);
static void		 text_done(const struct pd_db_result *, void *);
static int		 text_query(const char *, const char *, const char *,
			    int, void (*)(void *, enum gs_result, const char *,
			    size_t), void *);

/* A roll is committed without a new snapshot: it comes from rolls. */
static const char sql_load[] =
    "SELECT g.snapshot, g.version, g.seq, g.admin_user_id, "
    "a.owner_user_id, h.owner_user_id, (SELECT r.data::text FROM rolls r "
    "WHERE r.game_id = g.id AND r.status = 'pending') "
    "FROM games g JOIN teams a ON a.id = g.away_team_id "
    "JOIN teams h ON h.id = g.home_team_id WHERE g.id = $1::uuid";

/*
 * One change, one transaction: pd_commit() (migrations/0005) moves the
 * row to the next version and writes the action and the events, or does
 * nothing when the version moved on.  A function, so that it is planned
 * once per connection.
 */
static const char sql_commit[] =
    "SELECT pd_commit($1::uuid, $2::bigint, $3::bigint, $4, $5, $6::jsonb, "
    "$7, $8, $9::jsonb, $10::jsonb, $11)";

static const char sql_refusal[] =
    "INSERT INTO refusals (game_id, user_id, event, code, payload) "
    "VALUES ($1::uuid, $2, $3, $4, $5::jsonb)";

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
	pd_buf_init(&c->events, 0);
	pd_buf_init(&c->action, 0);
	pd_buf_init(&c->lineup, 0);
	c->kind = "";
}

void
gs_commit_free(struct gs_commit *c)
{
	free(c->snapshot);
	c->snapshot = NULL;
	pd_buf_free(&c->events);
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
	if (pd_db_exec(sql_load, 1, params, load_done, c) == NULL) {
		free(c);
		return (-1);
	}
	return (0);
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
	if (pd_db_exec(sql_version, 1, params, version_done, c) == NULL) {
		free(c);
		return (-1);
	}
	return (0);
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

int
gs_commit(const struct gs_commit *cm, void (*cb)(void *, enum gs_result),
    void *arg)
{
	struct gs_call	*c;
	const char	*params[11];
	char		 version[24], seq[24];

	if ((c = call_new(arg)) == NULL)
		return (-1);
	c->commit_cb = cb;
	(void)snprintf(version, sizeof(version), "%lld",
	    (long long)cm->version);
	(void)snprintf(seq, sizeof(seq), "%lld", (long long)cm->seq);
	params[0] = cm->game_id;
	params[1] = version;
	params[2] = seq;
	params[3] = cm->snapshot;
	params[4] = cm->status;
	params[5] = cm->events.len ?
	    pd_buf_cstr((struct pd_buf *)&cm->events) : "[]";
	params[6] = cm->kind;
	params[7] = cm->user_id;
	params[8] = cm->action.len ?
	    pd_buf_cstr((struct pd_buf *)&cm->action) : "{}";
	params[9] = cm->lineup.len ?
	    pd_buf_cstr((struct pd_buf *)&cm->lineup) : "[]";
	params[10] = cm->expired_roll;
	if (pd_db_exec(sql_commit, 11, params, commit_done, c) == NULL) {
		free(c);
		return (-1);
	}
	return (0);
}

static void
commit_done(const struct pd_db_result *r, void *arg)
{
	struct gs_call	*c = arg;
	enum gs_result	 rc;

	if ((rc = db_result(r)) == GS_OK && (r->ntuples != 1 ||
	    strcmp(pd_db_value(r, 0, 0), "1") != 0))
		rc = GS_CONFLICT;
	c->commit_cb(c->arg, rc);
	free(c);
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
	if (pd_db_exec(sql, 2, params, text_done, c) == NULL) {
		free(c);
		return (-1);
	}
	return (0);
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
