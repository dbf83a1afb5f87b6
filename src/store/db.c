/*
 * db: asynchronous queries on Kore's pgsql pool, see db.h.
 *
 * A query waits in `waiting` until fewer than pgsql_conn_max of ours run,
 * then runs on a Kore pgsql handle bound to pg_cb.  It ends in finish(),
 * which reports once and frees it, from one of three places:
 *   - pg_cb in COMPLETE (the normal end, after Kore released the
 *     connection: cleaning up earlier would make Kore cancel with a
 *     blocking PQcancel);
 *   - pg_cb in ERROR on a broken connection, after dropping it;
 *   - the tick timer: queries that failed before reaching Kore, queries
 *     Kore dropped without a word (a connection error event frees the
 *     connection and never calls back), and queries past their deadline.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "app/metrics.h"
#include "store/db.h"

#define DB_TICK_MS		20
#define DB_QUEUE_MAX		10000
#define DB_CONNINFO_MAX		1400
#define DB_SETUP_TRIES		32	/* dead pooled connections skipped */

enum q_state {
	Q_WAITING,		/* in `waiting` */
	Q_RUNNING,		/* in `running`, on Kore */
	Q_DONE			/* in `done`, reported at the next tick */
};

struct pd_db_query {
	struct kore_pgsql	 pg;
	TAILQ_ENTRY(pd_db_query) list;
	enum q_state		 state;
	char			*sql;		/* in mem */
	char			**params;	/* nparams, in mem */
	void			*mem;		/* owned: the above, one block */
	int			 nparams;
	pd_db_cb		 cb;
	void			*arg;
	struct http_request	*req;
	int			 cancelled;
	int			 errors;	/* ERROR callbacks seen */
	uint64_t		 queued_us;
	uint64_t		 deadline_ms;
	enum pd_db_status	 status;
	PGresult		*result;
	char			*error;
};

TAILQ_HEAD(q_list, pd_db_query);

static struct q_list	 waiting, running, done;
static int		 nrunning, nwaiting;
static int		 db_ready;
static int		 db_is_up = 1;
static char		 conninfo[DB_CONNINFO_MAX];

static struct pd_db_query *query_new(const char *, int, const char *const *,
			    pd_db_cb, void *);
static void		 pump(void);
static void		 start(struct pd_db_query *);
static void		 setup_and_send(struct pd_db_query *);
static void		 pg_cb(struct kore_pgsql *, void *);
static void		 fail(struct pd_db_query *, enum pd_db_status,
			    const char *);
static void		 drop_conn(struct pd_db_query *);
static void		 finish(struct pd_db_query *);
static void		 tick(void *, u_int64_t);
static int		 conn_alive(PGconn *);
static uint64_t		 now_us(void);

static uint64_t
now_us(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

/*
 * libpq accepts a URL (postgresql://...?k=v&k=v) or a "k=v k=v" string;
 * keys already present are left alone.  sslmode and gssencmode avoid the
 * probes that trip Kore's seccomp filter and slow every connect.
 */
int
pd_db_make_conninfo(const char *in, char *out, size_t outlen)
{
	static const char *const	 keys[] = {
		"sslmode", "disable", "gssencmode", "disable",
		"connect_timeout", "5",
	};
	const char			*q;
	char				 probe[64];
	size_t				 i, len;
	int				 url, first;

	if (in == NULL || *in == '\0')
		return (-1);
	url = strncmp(in, "postgresql://", 13) == 0 ||
	    strncmp(in, "postgres://", 11) == 0;
	if (strchr(in, '#') != NULL)
		return (-1);
	if ((size_t)snprintf(out, outlen, "%s", in) >= outlen)
		return (-1);
	q = strchr(out, '?');
	first = (q == NULL);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i += 2) {
		(void)snprintf(probe, sizeof(probe), "%s=", keys[i]);
		if (url) {
			if (q != NULL && (strstr(q, probe) == q + 1 ||
			    strstr(q, probe) != NULL))
				continue;
		} else if (strstr(out, probe) != NULL)
			continue;
		len = strlen(out);
		if ((size_t)snprintf(out + len, outlen - len, "%s%s=%s",
		    url ? (first ? "?" : "&") : " ", keys[i], keys[i + 1]) >=
		    outlen - len)
			return (-1);
		first = 0;
	}
	return (0);
}

void
pd_db_init(void)
{
	if (pd_db_make_conninfo(pd_cfg.database_url, conninfo,
	    sizeof(conninfo)) == -1)
		fatal("db: DATABASE_URL is unset or unusable");
	if (!kore_pgsql_register(PD_DB_NAME, conninfo))
		fatal("db: cannot register database '%s'", PD_DB_NAME);
	TAILQ_INIT(&waiting);
	TAILQ_INIT(&running);
	TAILQ_INIT(&done);
	(void)kore_timer_add(tick, DB_TICK_MS, NULL, 0);
	db_ready = 1;
}

const char *
pd_db_conninfo(void)
{
	return (conninfo);
}

int
pd_db_up(void)
{
	return (db_is_up);
}

static struct pd_db_query *
query_new(const char *sql, int nparams, const char *const *params,
    pd_db_cb cb, void *arg)
{
	struct pd_db_query	*q;
	size_t			 size, n;
	char			*p;
	int			 i;

	if (!db_ready || nparams < 0 || nparams > PD_DB_MAX_PARAMS)
		return (NULL);
	if (nwaiting >= DB_QUEUE_MAX)
		return (NULL);
	/* One block for the statement and its parameters (a batch has ~1,000). */
	size = sizeof(char *) * (size_t)nparams + strlen(sql) + 1;
	for (i = 0; i < nparams; i++) {
		if (params[i] == NULL)
			continue;
		n = strlen(params[i]) + 1;
		if (n > SIZE_MAX - size)
			return (NULL);
		size += n;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return (NULL);
	if ((q->mem = malloc(size)) == NULL) {
		free(q);
		return (NULL);
	}
	q->params = q->mem;
	p = (char *)(q->params + nparams);
	q->sql = p;
	n = strlen(sql) + 1;
	memcpy(p, sql, n);
	p += n;
	for (i = 0; i < nparams; i++) {
		q->params[i] = NULL;
		if (params[i] == NULL)
			continue;
		n = strlen(params[i]) + 1;
		memcpy(p, params[i], n);
		q->params[i] = p;
		p += n;
	}
	q->nparams = nparams;
	q->cb = cb;
	q->arg = arg;
	q->queued_us = now_us();
	q->deadline_ms = kore_time_ms() + PD_DB_TIMEOUT_MS;
	q->state = Q_WAITING;
	TAILQ_INSERT_TAIL(&waiting, q, list);
	nwaiting++;
	return (q);
}

struct pd_db_query *
pd_db_exec(const char *sql, int nparams, const char *const *params,
    pd_db_cb cb, void *arg)
{
	struct pd_db_query	*q;

	if ((q = query_new(sql, nparams, params, cb, arg)) != NULL)
		pump();
	return (q);
}

struct pd_db_query *
pd_db_exec_req(struct http_request *req, const char *sql, int nparams,
    const char *const *params, pd_db_cb cb, void *arg)
{
	struct pd_db_query	*q;

	if ((q = query_new(sql, nparams, params, cb, arg)) == NULL)
		return (NULL);
	q->req = req;
	http_request_sleep(req);
	pump();
	return (q);
}

void
pd_db_cancel(struct pd_db_query *q)
{
	if (q == NULL)
		return;
	q->cancelled = 1;
	q->req = NULL;
	/* A query that has not started yet need not start at all. */
	if (q->state == Q_WAITING) {
		TAILQ_REMOVE(&waiting, q, list);
		nwaiting--;
		q->state = Q_DONE;
		TAILQ_INSERT_TAIL(&done, q, list);
	}
}

/* Starts waiting queries while we hold fewer than pgsql_conn_max. */
static void
pump(void)
{
	struct pd_db_query	*q;
	int			 max;

	max = pgsql_conn_max > 0 ? pgsql_conn_max : 2;
	while (nrunning < max && (q = TAILQ_FIRST(&waiting)) != NULL) {
		TAILQ_REMOVE(&waiting, q, list);
		nwaiting--;
		start(q);
	}
}

static void
start(struct pd_db_query *q)
{
	q->state = Q_RUNNING;
	TAILQ_INSERT_TAIL(&running, q, list);
	nrunning++;
	kore_pgsql_init(&q->pg);
	kore_pgsql_bind_callback(&q->pg, pg_cb, q);
	setup_and_send(q);
}

/*
 * An idle connection has nothing to read.  A closed one has the server's
 * FATAL message, then EOF: the first read takes the message, a second
 * one sees the EOF and marks the connection bad.
 */
static int
conn_alive(PGconn *db)
{
	int	i;

	for (i = 0; i < 3; i++) {
		if (!PQconsumeInput(db) || PQstatus(db) != CONNECTION_OK)
			return (0);
	}
	return (1);
}

/*
 * Also the re-setup when Kore's full pool wakes us in INIT.  A pooled
 * connection that PostgreSQL closed while it sat idle (a restart) is
 * found before sending: libpq's socket is non-blocking, so
 * PQconsumeInput just reads the server's goodbye and the EOF.  Such a
 * connection is dropped and the next one tried, so queries after a
 * restart succeed instead of failing once per dead connection.
 */
static void
setup_and_send(struct pd_db_query *q)
{
	int	tries;

	for (tries = 0;; tries++) {
		if (!kore_pgsql_setup(&q->pg, PD_DB_NAME, KORE_PGSQL_ASYNC)) {
			/* Queued by Kore: pg_cb comes back in INIT. */
			if (q->pg.state == KORE_PGSQL_STATE_INIT)
				return;
			fail(q, PD_DB_UNAVAILABLE, q->pg.error);
			return;
		}
		if (conn_alive(q->pg.conn->db))
			break;
		drop_conn(q);
		if (tries == DB_SETUP_TRIES) {
			fail(q, PD_DB_UNAVAILABLE, "connections keep failing");
			return;
		}
		if (q->pg.error != NULL) {
			kore_free(q->pg.error);
			q->pg.error = NULL;
		}
		q->pg.state = KORE_PGSQL_STATE_INIT;
	}
	/* Text parameters: libpq needs neither lengths nor formats. */
	if (!kore_pgsql_query_param_fields(&q->pg, q->sql, 0, q->nparams,
	    (const char **)q->params, NULL, NULL)) {
		/* A dead pooled connection: PQsendQueryParams refused. */
		drop_conn(q);
		fail(q, PD_DB_UNAVAILABLE, q->pg.error);
	}
}

/* Records a failure and queues the report for the next tick. */
static void
fail(struct pd_db_query *q, enum pd_db_status st, const char *why)
{
	if (q->state != Q_RUNNING)
		return;
	q->status = st;
	if (q->error == NULL)
		q->error = strdup(why != NULL ? why : "database error");
	if (q->pg.conn != NULL)
		drop_conn(q);
	TAILQ_REMOVE(&running, q, list);
	nrunning--;
	q->state = Q_DONE;
	TAILQ_INSERT_TAIL(&done, q, list);
}

/*
 * Closes the query's connection without PQcancel: Kore's error path
 * (kore_pgsql_handle with err) frees it and detaches the query, and the
 * pool makes a new connection for the next query.
 */
static void
drop_conn(struct pd_db_query *q)
{
	if (q->pg.conn == NULL)
		return;
	kore_pgsql_handle(q->pg.conn, 1);
	q->pg.conn = NULL;
}

static void
pg_cb(struct kore_pgsql *pg, void *arg)
{
	struct pd_db_query	*q = arg;

	switch (pg->state) {
	case KORE_PGSQL_STATE_INIT:
		setup_and_send(q);
		return;
	case KORE_PGSQL_STATE_WAIT:
		return;
	case KORE_PGSQL_STATE_COMPLETE:
		if (q->state == Q_RUNNING) {
			TAILQ_REMOVE(&running, q, list);
			nrunning--;
			q->state = Q_DONE;
			finish(q);
		}
		return;
	case KORE_PGSQL_STATE_ERROR:
		q->errors++;
		if (pg->conn == NULL || PQstatus(pg->conn->db) != CONNECTION_OK ||
		    q->errors > 2) {
			fail(q, PD_DB_UNAVAILABLE, pg->error);
			return;
		}
		if (q->error == NULL) {
			q->status = PD_DB_ERROR;
			q->error = strdup(pg->error ? pg->error : "error");
			if (pg->result != NULL && q->result == NULL) {
				q->result = pg->result;
				pg->result = NULL;
			}
		}
		break;
	case KORE_PGSQL_STATE_RESULT:
		if (q->result == NULL) {
			q->result = pg->result;
			pg->result = NULL;
		}
		break;
	default:
		break;
	}
	/* Last: it may complete the query, which frees q. */
	kore_pgsql_continue(pg);
}

/* Reports the query (unless cancelled) and frees it. */
static void
finish(struct pd_db_query *q)
{
	struct pd_db_result	 res;
	const char		*st;

	memset(&res, 0, sizeof(res));
	res.status = q->status;
	res.error = q->error != NULL ? q->error : "";
	res.sqlstate = "";
	res.elapsed_us = now_us() - q->queued_us;
	if (q->result != NULL) {
		res.pg = q->result;
		if (PQresultStatus(q->result) == PGRES_TUPLES_OK) {
			res.ntuples = PQntuples(q->result);
			res.nfields = PQnfields(q->result);
		}
		if ((st = PQresultErrorField(q->result,
		    PG_DIAG_SQLSTATE)) != NULL)
			res.sqlstate = st;
	}
	if (q->status == PD_DB_ERROR && q->result == NULL)
		res.status = PD_DB_ERROR;
	db_is_up = (q->status != PD_DB_UNAVAILABLE) ? 1 : 0;
	if (!q->cancelled)
		pd_metrics_db(res.elapsed_us, q->status == PD_DB_OK);
	if (q->status != PD_DB_OK && !q->cancelled)
		kore_log(LOG_NOTICE, "db: %s: %s",
		    q->status == PD_DB_ERROR ? "error" : "unavailable",
		    res.error);

	if (!q->cancelled && q->cb != NULL)
		q->cb(&res, q->arg);
	if (!q->cancelled && q->req != NULL)
		http_request_wakeup(q->req);

	kore_pgsql_cleanup(&q->pg);
	if (q->result != NULL)
		PQclear(q->result);
	free(q->mem);
	free(q->error);
	free(q);
	pump();
}

static void
tick(void *arg, u_int64_t now)
{
	struct pd_db_query	*q, *next;

	for (q = TAILQ_FIRST(&running); q != NULL; q = next) {
		next = TAILQ_NEXT(q, list);
		/* Kore freed the connection under us and said nothing. */
		if (q->pg.state == KORE_PGSQL_STATE_ERROR &&
		    q->pg.conn == NULL)
			fail(q, PD_DB_UNAVAILABLE, (q->pg.error != NULL &&
			    q->pg.error[0] != '\0') ? q->pg.error :
			    "connection lost");
		else if (now >= q->deadline_ms)
			fail(q, PD_DB_UNAVAILABLE, "query timed out");
	}
	for (q = TAILQ_FIRST(&waiting); q != NULL; q = next) {
		next = TAILQ_NEXT(q, list);
		if (now >= q->deadline_ms) {
			TAILQ_REMOVE(&waiting, q, list);
			nwaiting--;
			q->state = Q_RUNNING;	/* for fail() */
			TAILQ_INSERT_TAIL(&running, q, list);
			nrunning++;
			fail(q, PD_DB_UNAVAILABLE, "query timed out in queue");
		}
	}
	while ((q = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, q, list);
		finish(q);
	}
	pump();
}

const char *
pd_db_value(const struct pd_db_result *r, int row, int col)
{
	if (r->pg == NULL || row < 0 || row >= r->ntuples || col < 0 ||
	    col >= r->nfields)
		return ("");
	return (PQgetvalue(r->pg, row, col));
}

int
pd_db_isnull(const struct pd_db_result *r, int row, int col)
{
	if (r->pg == NULL || row < 0 || row >= r->ntuples || col < 0 ||
	    col >= r->nfields)
		return (1);
	return (PQgetisnull(r->pg, row, col));
}

int
pd_db_length(const struct pd_db_result *r, int row, int col)
{
	if (r->pg == NULL || row < 0 || row >= r->ntuples || col < 0 ||
	    col >= r->nfields)
		return (0);
	return (PQgetlength(r->pg, row, col));
}

int
pd_db_unique_violation(const struct pd_db_result *r)
{
	return (r->status == PD_DB_ERROR && strcmp(r->sqlstate, "23505") == 0);
}
