/*
 * api: the REST routes under /api/ (CONTRACT sections 3 and 7).
 *
 * One Kore handler (pd_api, kore.conf) dispatches every /api/ path
 * through the table in router.c.  Each request gets a struct api_ctx as
 * its Kore state; a route is a chain of steps: its start function, then
 * one step per database query (api_query) or Argon2id task, each of which
 * either starts the next or ends the chain with api_json / api_error.
 * The handler sends the response when the chain has ended, so nothing is
 * ever written to a connection outside Kore's handler call.
 */
#ifndef PD_API_API_H
#define PD_API_API_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include <sodium.h>
#include <yajl/yajl_tree.h>

#include "auth/jwt.h"
#include "store/db.h"
#include "util/buf.h"

#define API_BODY_MAX		65536
#define API_ID_MAX		64
#define API_PASSWORD_MAX	256

struct api_ctx;
typedef void	(*api_step)(struct api_ctx *, const struct pd_db_result *);

struct api_ctx {
	struct http_request	*req;
	int			 done;
	int			 status;
	struct pd_buf		 out;
	char			 retry_after[24];
	const char		*ctype;		/* response content-type */

	struct pd_db_query	*q;
	api_step		 next;		/* gets the pending query's result */
	api_step		 after_user;	/* api_ensure_user's continuation */
	void			(*start)(struct api_ctx *);
	int			 see_unavailable; /* next gets those too */

	/* Argon2id runs in a Kore task: inputs and outputs live here. */
	struct kore_task	 task;
	int			 task_started;
	int			 task_handled;
	int			 task_ok;
	void			(*task_done)(struct api_ctx *);
	char			 password[API_PASSWORD_MAX + 1];
	char			 hash[crypto_pwhash_STRBYTES];

	/* The caller (Bearer token, or the account just logged in). */
	char			 user_id[JWT_SUB_MAX];
	char			 user_name[JWT_NAME_MAX];

	/* The request. */
	yajl_val		 body;
	char			 id[API_ID_MAX];	/* {id} in the path */
	char			 username[64];
	int64_t			 n1, n2;		/* route numbers */
	int			 flag;
	int			 attempt;
	struct pd_buf		 tmp;		/* kept across a query */
};

/* Kore handler body: creates the state, runs `start`, then the chain. */
int	api_run(struct http_request *, void (*start)(struct api_ctx *));

/* Responses: end the chain. */
void	api_json(struct api_ctx *, int status, const char *, size_t);
void	api_json_buf(struct api_ctx *, int status, struct pd_buf *);
/* 200 {game_id (unless NULL), key: json}; json is a JSON value. */
void	api_reply_wrapped(struct api_ctx *, const char *game_id,
	    const char *key, const char *json, size_t len);
void	api_error(struct api_ctx *, int status, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	api_db_error(struct api_ctx *, const struct pd_db_result *);

/* Runs one statement; `next` gets the result (on any status). */
void	api_query(struct api_ctx *, const char *sql, int n,
	    const char *const *params, api_step next);
/* Makes sure the users row of the caller exists, then calls `next`. */
void	api_ensure_user(struct api_ctx *, api_step next);

/* Request helpers. */
int	api_body(struct api_ctx *);		/* parses the JSON object */
int	api_body_string(struct api_ctx *, const char *, const char **);
int	api_body_int(struct api_ctx *, const char *, int64_t *);
int	api_query_arg(struct api_ctx *, const char *, char *, size_t);
int	api_is_uuid(const char *);
void	api_uuid4(char *);			/* 37 bytes */

/* Routes (auth.c, teams.c, games.c, health.c). */
void	api_register(struct api_ctx *);
void	api_login(struct api_ctx *);
void	api_teams_create(struct api_ctx *);
void	api_teams_list(struct api_ctx *);
void	api_teams_get(struct api_ctx *);
void	api_games_create(struct api_ctx *);
void	api_games_list(struct api_ctx *);
void	api_games_get(struct api_ctx *);
void	api_games_plays(struct api_ctx *);
void	api_games_box_score(struct api_ctx *);
void	api_games_lineup(struct api_ctx *);
void	api_games_audit(struct api_ctx *);
void	api_openapi(struct api_ctx *);
void	api_health_init(void);

/* Per-worker set-up of the REST layer; from kore_worker_configure. */
void	pd_api_init(void);
void	api_auth_init(void);
void	api_task_start(struct api_ctx *, int (*)(struct kore_task *),
	    void (*)(struct api_ctx *));

#endif
