/*
 * router: the /api/ dispatcher, the request state and the helpers every
 * route shares (responses, JSON bodies, Bearer auth, queries), see api.h.
 *
 * Checks run in this order, so the first failing one is reported: the
 * route (404), the method (405), the token (401), the body's size (413)
 * and JSON shape (400), then the route's own checks.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "app/config.h"
#include "app/metrics.h"
#include "util/jsonutil.h"

#define USER_CACHE	1024

struct route {
	int		 method;
	const char	*path;		/* "{}" matches one segment */
	int		 auth;
	void		(*start)(struct api_ctx *);
};

static const struct route	routes[] = {
	{ HTTP_METHOD_POST, "/api/auth/register", 0, api_register },
	{ HTTP_METHOD_POST, "/api/auth/login", 0, api_login },
	{ HTTP_METHOD_GET, "/api/openapi.json", 0, api_openapi },
	{ HTTP_METHOD_POST, "/api/teams", 1, api_teams_create },
	{ HTTP_METHOD_GET, "/api/teams", 1, api_teams_list },
	{ HTTP_METHOD_GET, "/api/teams/{}", 1, api_teams_get },
	{ HTTP_METHOD_POST, "/api/games", 1, api_games_create },
	{ HTTP_METHOD_GET, "/api/games", 1, api_games_list },
	{ HTTP_METHOD_GET, "/api/games/{}", 1, api_games_get },
	{ HTTP_METHOD_GET, "/api/games/{}/plays", 1, api_games_plays },
	{ HTTP_METHOD_GET, "/api/games/{}/box-score", 1, api_games_box_score },
	{ HTTP_METHOD_GET, "/api/games/{}/lineup", 1, api_games_lineup },
	{ HTTP_METHOD_GET, "/api/games/{}/audit", 1, api_games_audit },
};

/* Subs whose users row this worker has already made sure of. */
static uint64_t		user_cache[USER_CACHE];

int		pd_api(struct http_request *);

static void	api_onfree(struct http_request *);
static void	dispatch(struct api_ctx *);
static int	match(const char *, const char *, char *, size_t);
static int	authenticate(struct api_ctx *);
static void	db_cb(const struct pd_db_result *, void *);
static void	user_ready(struct api_ctx *, const struct pd_db_result *);
static void	run_start(struct api_ctx *, const struct pd_db_result *);
static uint64_t	user_hash(const char *);
static const char *method_name(int);

int
pd_api(struct http_request *req)
{
	return (api_run(req, dispatch));
}

/* Runs `start` on a new request, then its chain until the response. */
int
api_run(struct http_request *req, void (*start)(struct api_ctx *))
{
	struct api_ctx	*ctx;

	if (!http_state_exists(req)) {
		ctx = http_state_create(req, sizeof(*ctx), api_onfree);
		ctx->req = req;
		ctx->ctype = "application/json; charset=utf-8";
		pd_buf_init(&ctx->out, 1024 * 1024 * 16);
		pd_buf_init(&ctx->tmp, 0);
		start(ctx);
	}
	ctx = http_state_get(req);

	if (ctx->task_started && !ctx->task_handled &&
	    kore_task_state(&ctx->task) == KORE_TASK_STATE_FINISHED) {
		ctx->task_handled = 1;
		ctx->task_ok = kore_task_result(&ctx->task) == KORE_RESULT_OK;
		ctx->task_done(ctx);
	}
	if (!ctx->done) {
		if (ctx->q != NULL || (ctx->task_started &&
		    !ctx->task_handled)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "The request stalled");
	}

	http_response_header(req, "content-type", ctx->ctype);
	http_response_header(req, "cache-control", "no-store");
	if (ctx->retry_after[0] != '\0')
		http_response_header(req, "retry-after", ctx->retry_after);
	if (ctx->status == HTTP_STATUS_UNAUTHORIZED)
		http_response_header(req, "www-authenticate", "Bearer");
	pd_metrics_http(ctx->status);
	http_response(req, ctx->status, ctx->out.data, ctx->out.len);
	return (KORE_RESULT_OK);
}

/* Called by Kore when the request goes, possibly more than once. */
static void
api_onfree(struct http_request *req)
{
	struct api_ctx	*ctx = http_state_get(req);

	if (ctx == NULL)
		return;
	if (ctx->q != NULL) {
		pd_db_cancel(ctx->q);
		ctx->q = NULL;
	}
	if (ctx->body != NULL) {
		yajl_tree_free(ctx->body);
		ctx->body = NULL;
	}
	pd_buf_free(&ctx->out);
	pd_buf_free(&ctx->tmp);
	/* The task thread may still read the password until it finishes. */
	if (!ctx->task_started || kore_task_finished(&ctx->task))
		sodium_memzero(ctx->password, sizeof(ctx->password));
}

static const char *
method_name(int m)
{
	switch (m) {
	case HTTP_METHOD_GET:
		return ("GET");
	case HTTP_METHOD_POST:
		return ("POST");
	default:
		return ("?");
	}
}

/* Matches `path` against `pat`; copies the one {} segment into id. */
static int
match(const char *pat, const char *path, char *id, size_t idlen)
{
	size_t	n;

	while (*pat != '\0' && *path != '\0') {
		if (pat[0] == '{' && pat[1] == '}') {
			n = strcspn(path, "/");
			if (n == 0 || n >= idlen)
				return (0);
			memcpy(id, path, n);
			id[n] = '\0';
			path += n;
			pat += 2;
			continue;
		}
		if (*pat != *path)
			return (0);
		pat++;
		path++;
	}
	return (*pat == '\0' && *path == '\0');
}

static void
dispatch(struct api_ctx *ctx)
{
	struct http_request	*req = ctx->req;
	const struct route	*r, *found;
	char			 allow[64];
	size_t			 i;
	int			 path_known;

	found = NULL;
	path_known = 0;
	allow[0] = '\0';
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r = &routes[i];
		if (!match(r->path, req->path, ctx->id, sizeof(ctx->id)))
			continue;
		path_known = 1;
		if (r->method == req->method) {
			found = r;
			break;
		}
		(void)snprintf(allow + strlen(allow), sizeof(allow) -
		    strlen(allow), "%s%s", allow[0] ? ", " : "",
		    method_name(r->method));
	}
	if (found == NULL) {
		if (path_known) {
			http_response_header(req, "allow", allow);
			api_error(ctx, 405, "METHOD_NOT_ALLOWED",
			    "%s is not allowed here (allowed: %s)",
			    http_method_text(req->method), allow);
		} else
			api_error(ctx, HTTP_STATUS_NOT_FOUND, "NOT_FOUND",
			    "No such route: %s", req->path);
		return;
	}
	if (found->auth && authenticate(ctx) == -1)
		return;
	if (found->method == HTTP_METHOD_POST && api_body(ctx) == -1)
		return;
	ctx->start = found->start;
	if (found->auth)
		api_ensure_user(ctx, run_start);
	else
		found->start(ctx);
}

static void
run_start(struct api_ctx *ctx, const struct pd_db_result *r)
{
	ctx->start(ctx);
}

static int
authenticate(struct api_ctx *ctx)
{
	struct jwt_claims	 claims;
	const char		*h, *why;
	enum jwt_result		 r;

	if (!http_request_header(ctx->req, "authorization", &h) ||
	    *h == '\0') {
		api_error(ctx, HTTP_STATUS_UNAUTHORIZED, "AUTH_MISSING",
		    "Missing Authorization: Bearer <token>");
		return (-1);
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		api_error(ctx, HTTP_STATUS_UNAUTHORIZED, "AUTH_INVALID",
		    "Authorization must use the Bearer scheme");
		return (-1);
	}
	h += 7;
	while (*h == ' ')
		h++;
	why = NULL;
	r = jwt_verify(h, strlen(h), pd_cfg.jwt_key, pd_cfg.jwt_key_len,
	    (int64_t)time(NULL), &claims, &why);
	switch (r) {
	case JWT_OK:
		break;
	case JWT_EXPIRED:
		api_error(ctx, HTTP_STATUS_UNAUTHORIZED, "AUTH_EXPIRED",
		    "Token expired");
		return (-1);
	default:
		api_error(ctx, HTTP_STATUS_UNAUTHORIZED, "AUTH_INVALID",
		    "Invalid token: %s", why != NULL ? why :
		    (r == JWT_BAD_SIGNATURE ? "bad signature" : "malformed"));
		return (-1);
	}
	(void)snprintf(ctx->user_id, sizeof(ctx->user_id), "%s", claims.sub);
	(void)snprintf(ctx->user_name, sizeof(ctx->user_name), "%s",
	    claims.name);
	return (0);
}

static uint64_t
user_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h | 1);
}

/*
 * A sub the server has never seen is a valid user: its row is made on
 * its first request (CONTRACT 3), before the route runs, so every route
 * may reference users(id).  A small per-worker cache skips the statement
 * for subs already seen.
 */
void
api_ensure_user(struct api_ctx *ctx, api_step next)
{
	static const char	sql[] =
	    "INSERT INTO users (id, display_name) VALUES ($1, NULLIF($2, '')) "
	    "ON CONFLICT (id) DO UPDATE SET display_name = "
	    "EXCLUDED.display_name WHERE EXCLUDED.display_name IS NOT NULL "
	    "AND users.display_name IS DISTINCT FROM EXCLUDED.display_name";
	const char		*p[2];
	uint64_t		 h;

	h = user_hash(ctx->user_id);
	if (user_cache[h % USER_CACHE] == h) {
		next(ctx, NULL);
		return;
	}
	p[0] = ctx->user_id;
	p[1] = ctx->user_name;
	ctx->after_user = next;
	api_query(ctx, sql, 2, p, user_ready);
}

static void
user_ready(struct api_ctx *ctx, const struct pd_db_result *r)
{
	uint64_t	h;

	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	h = user_hash(ctx->user_id);
	user_cache[h % USER_CACHE] = h;
	ctx->after_user(ctx, r);
}

void
api_query(struct api_ctx *ctx, const char *sql, int n,
    const char *const *params, api_step next)
{
	ctx->next = next;
	ctx->q = pd_db_exec_req(ctx->req, sql, n, params, db_cb, ctx);
	if (ctx->q == NULL)
		api_error(ctx, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "DATABASE_UNAVAILABLE", "The database is busy");
}

static void
db_cb(const struct pd_db_result *r, void *arg)
{
	struct api_ctx	*ctx = arg;
	api_step	 next;

	ctx->q = NULL;
	next = ctx->next;
	ctx->next = NULL;
	if (r->status == PD_DB_UNAVAILABLE && !ctx->see_unavailable) {
		api_db_error(ctx, r);
		return;
	}
	next(ctx, r);
}

void
api_db_error(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r != NULL && r->status == PD_DB_UNAVAILABLE) {
		api_error(ctx, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "DATABASE_UNAVAILABLE", "The database is unavailable");
		return;
	}
	api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
	    "Database error");
}

void
api_json(struct api_ctx *ctx, int status, const char *data, size_t len)
{
	pd_buf_reset(&ctx->out);
	if (pd_buf_append(&ctx->out, data, len) == -1) {
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Response too large");
		return;
	}
	ctx->status = status;
	ctx->done = 1;
}

void
api_reply_wrapped(struct api_ctx *ctx, const char *game_id, const char *key,
    const char *json, size_t len)
{
	pd_buf_reset(&ctx->tmp);
	if (pd_buf_appendc(&ctx->tmp, '{') == -1 ||
	    (game_id != NULL && pd_buf_appendf(&ctx->tmp,
	    "\"game_id\":\"%s\",", game_id) == -1) ||
	    pd_buf_appendf(&ctx->tmp, "\"%s\":", key) == -1 ||
	    pd_buf_append(&ctx->tmp, json, len) == -1 ||
	    pd_buf_appendc(&ctx->tmp, '}') == -1) {
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Out of memory");
		return;
	}
	api_json_buf(ctx, HTTP_STATUS_OK, &ctx->tmp);
}

void
api_json_buf(struct api_ctx *ctx, int status, struct pd_buf *b)
{
	api_json(ctx, status, (const char *)b->data, b->len);
}

void
api_error(struct api_ctx *ctx, int status, const char *code,
    const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pd_buf_reset(&ctx->out);
	(void)pd_buf_appends(&ctx->out, "{\"error\":{\"code\":");
	(void)json_append_string(&ctx->out, code, strlen(code));
	(void)pd_buf_appends(&ctx->out, ",\"message\":");
	(void)json_append_string(&ctx->out, msg, strlen(msg));
	(void)pd_buf_appends(&ctx->out, "}}");
	ctx->status = status;
	ctx->done = 1;
	ctx->ctype = "application/json; charset=utf-8";
	if (status >= 500)
		pd_metrics_error(code);
}

/* Reads and parses the body; it must be a JSON object. */
int
api_body(struct api_ctx *ctx)
{
	struct pd_buf	 b;
	char		 chunk[4096], err[128];
	ssize_t		 n;

	if (ctx->req->http_body_length > API_BODY_MAX) {
		api_error(ctx, HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE,
		    "PAYLOAD_TOO_LARGE", "The body exceeds %d bytes",
		    API_BODY_MAX);
		return (-1);
	}
	pd_buf_init(&b, API_BODY_MAX);
	for (;;) {
		n = http_body_read(ctx->req, chunk, sizeof(chunk));
		if (n == -1) {
			pd_buf_free(&b);
			api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_BODY",
			    "The body could not be read");
			return (-1);
		}
		if (n == 0)
			break;
		if (pd_buf_append(&b, chunk, (size_t)n) == -1) {
			pd_buf_free(&b);
			api_error(ctx, HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE,
			    "PAYLOAD_TOO_LARGE", "The body exceeds %d bytes",
			    API_BODY_MAX);
			return (-1);
		}
	}
	if (b.len == 0) {
		pd_buf_free(&b);
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_JSON",
		    "The body must be a JSON object");
		return (-1);
	}
	err[0] = '\0';
	ctx->body = json_parse((const char *)b.data, b.len, err, sizeof(err));
	pd_buf_free(&b);
	if (ctx->body == NULL) {
		err[strcspn(err, "\n")] = '\0';
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_JSON",
		    "Malformed JSON: %s", err[0] ? err : "parse error");
		return (-1);
	}
	if (!YAJL_IS_OBJECT(ctx->body)) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_PAYLOAD",
		    "The body must be a JSON object");
		return (-1);
	}
	return (0);
}

/* 0 ok, -1 missing (400 sent), -2 not a string (400 sent). */
int
api_body_string(struct api_ctx *ctx, const char *key, const char **out)
{
	yajl_val	v = json_get(ctx->body, key);

	if (v == NULL || YAJL_IS_NULL(v)) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "MISSING_FIELD",
		    "Missing field: %s", key);
		return (-1);
	}
	if (!YAJL_IS_STRING(v)) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "%s must be a string", key);
		return (-2);
	}
	*out = YAJL_GET_STRING(v);
	return (0);
}

int
api_body_int(struct api_ctx *ctx, const char *key, int64_t *out)
{
	yajl_val	v = json_get(ctx->body, key);

	if (v == NULL || YAJL_IS_NULL(v)) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "MISSING_FIELD",
		    "Missing field: %s", key);
		return (-1);
	}
	if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) <= 0 ||
	    YAJL_GET_INTEGER(v) > 2147483647) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "%s must be a positive integer", key);
		return (-2);
	}
	*out = YAJL_GET_INTEGER(v);
	return (0);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* The decoded value of `name` in the query string; 0 when present. */
int
api_query_arg(struct api_ctx *ctx, const char *name, char *out, size_t len)
{
	const char	*qs = ctx->req->query_string, *p, *end, *eq;
	size_t		 nlen = strlen(name), o;
	int		 hi, lo;

	if (qs == NULL)
		return (-1);
	for (p = qs; *p != '\0'; p = (*end == '&') ? end + 1 : end) {
		end = p + strcspn(p, "&");
		eq = memchr(p, '=', (size_t)(end - p));
		if ((size_t)((eq ? eq : end) - p) != nlen ||
		    strncmp(p, name, nlen) != 0)
			continue;
		o = 0;
		for (p = eq ? eq + 1 : end; p < end && o + 1 < len; p++) {
			if (*p == '+')
				out[o++] = ' ';
			else if (*p == '%' && p + 2 < end + 0 + 1 &&
			    (hi = hexval(p[1])) >= 0 &&
			    (lo = hexval(p[2])) >= 0) {
				out[o++] = (char)(hi * 16 + lo);
				p += 2;
			} else
				out[o++] = *p;
		}
		out[o] = '\0';
		return (0);
	}
	return (-1);
}

int
api_is_uuid(const char *s)
{
	int	i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (!isxdigit((unsigned char)s[i]))
			return (0);
	}
	return (s[36] == '\0');
}

void
api_uuid4(char *out)
{
	unsigned char	b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	(void)snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
	    b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
	    b[14], b[15]);
}
