/*
 * db: a small asynchronous query layer over Kore's pgsql pool.
 *
 * One call, one parameterized statement (text parameters, text results;
 * NULL parameter = SQL NULL), answered through a callback exactly once,
 * always later from the event loop (never from inside pd_db_exec), unless
 * the query was cancelled first.  The result is valid only during the
 * callback; copy what you keep.
 *
 * Two bindings: to a plain callback (work started from a socket event),
 * or to an http_request (pd_db_exec_req), which is also woken after the
 * callback.  Whoever holds a handle must pd_db_cancel() it when the
 * callback's argument goes away (an http_request's onfree, say).
 *
 * Kore's pool silently drops a query whose connection breaks and keeps a
 * dead connection for the next query; this layer notices both, reports
 * the query as PD_DB_UNAVAILABLE and closes the dead connection, so the
 * next query connects again: the server reconnects by itself once
 * PostgreSQL is back.  Every query also has a deadline.
 */
#ifndef PD_STORE_DB_H
#define PD_STORE_DB_H

#include <stdint.h>

struct http_request;

/* The Kore database name; others may use Kore's pgsql on it directly. */
#define PD_DB_NAME		"db"
#define PD_DB_MAX_PARAMS	2048	/* a group commit: 9 a change, 4 an event */
#define PD_DB_TIMEOUT_MS	15000

enum pd_db_status {
	PD_DB_OK = 0,		/* the statement ran */
	PD_DB_ERROR,		/* the statement failed (sqlstate says why) */
	PD_DB_UNAVAILABLE	/* no connection, lost connection, timeout */
};

struct pd_db_result {
	enum pd_db_status	 status;
	const char		*error;		/* "" when OK */
	const char		*sqlstate;	/* e.g. "23505", or "" */
	int			 ntuples;
	int			 nfields;
	uint64_t		 elapsed_us;
	void			*pg;		/* PGresult, internal */
};

typedef void	(*pd_db_cb)(const struct pd_db_result *, void *);

struct pd_db_query;

/* Registers PD_DB_NAME from pd_cfg.database_url; kore_worker_configure. */
void			 pd_db_init(void);

/* NULL when the query could not even be queued; cb is then never called. */
struct pd_db_query	*pd_db_exec(const char *sql, int nparams,
			    const char *const *params, pd_db_cb cb, void *arg);
struct pd_db_query	*pd_db_exec_req(struct http_request *, const char *sql,
			    int nparams, const char *const *params, pd_db_cb cb,
			    void *arg);
/* The callback will not be called; the query still finishes quietly. */
void			 pd_db_cancel(struct pd_db_query *);

/* Result access; a NULL column reads as "" (pd_db_isnull tells). */
const char		*pd_db_value(const struct pd_db_result *, int, int);
int			 pd_db_isnull(const struct pd_db_result *, int, int);
int			 pd_db_length(const struct pd_db_result *, int, int);
int			 pd_db_unique_violation(const struct pd_db_result *);

/* This worker's last connection outcome: 1 up, 0 down (see /healthz). */
int			 pd_db_up(void);

/* The conninfo handed to libpq (for logs and tests); "" before init. */
const char		*pd_db_conninfo(void);
/* Appends sslmode/gssencmode/connect_timeout to a URL or a conninfo. */
int			 pd_db_make_conninfo(const char *, char *, size_t);

#endif
