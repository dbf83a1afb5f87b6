/*
 * auth: POST /api/auth/register and /api/auth/login (CONTRACT 3).
 *
 * Passwords are hashed and checked with libsodium's Argon2id
 * (crypto_pwhash_str, interactive limits) in a Kore task, so the ~0.1 s
 * of work runs on a task thread while the worker serves other clients.
 * Login attempts are limited per client address in a fixed window,
 * counted in shared memory so the limit holds across all workers.
 */
#include <sys/mman.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "app/config.h"
#include "util/jsonutil.h"

#define RL_SLOTS	1024
#define RL_ADDR_MAX	48

struct rl_entry {
	char		addr[RL_ADDR_MAX];
	int64_t		window_start;
	uint32_t	count;
};

struct rl_table {
	volatile char	lock;
	struct rl_entry	e[RL_SLOTS];
};

static struct rl_table	*rl;
static long		 rl_limit = 10;		/* LOGIN_RATE_LIMIT */
static long		 rl_window = 60;	/* LOGIN_RATE_WINDOW, s */

static void	rl_map(void) __attribute__((constructor));
static long	rl_check(struct api_ctx *);
static int	valid_username(const char *);
static int	hash_task(struct kore_task *);
static int	verify_task(struct kore_task *);
static void	register_hashed(struct api_ctx *);
static void	register_inserted(struct api_ctx *,
		    const struct pd_db_result *);
static void	login_found(struct api_ctx *, const struct pd_db_result *);
static void	login_verified(struct api_ctx *);
static void	issue_token(struct api_ctx *, int);

static void
rl_map(void)
{
	void	*p;

	p = mmap(NULL, sizeof(*rl), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	rl = (p == MAP_FAILED) ? NULL : p;
}

static long
env_num(const char *name, long def, long min, long max)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0')
		return (def);
	n = strtol(v, &end, 10);
	return ((*end != '\0' || n < min || n > max) ? def : n);
}

void
api_auth_init(void)
{
	rl_limit = env_num("LOGIN_RATE_LIMIT", 10, 1, 1000000);
	rl_window = env_num("LOGIN_RATE_WINDOW", 60, 1, 86400);
	if (rl == NULL)
		rl_map();
}

/* Counts an attempt; returns 0, or the seconds to wait when limited. */
static long
rl_check(struct api_ctx *ctx)
{
	struct connection	*c = ctx->req->owner;
	struct rl_entry		*e, *oldest;
	char			 addr[RL_ADDR_MAX];
	int64_t			 now = (int64_t)time(NULL);
	long			 wait = 0;
	size_t			 i, h;

	if (rl == NULL || c == NULL)
		return (0);
	addr[0] = '\0';
	if (c->family == AF_INET)
		(void)inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, addr,
		    sizeof(addr));
	else if (c->family == AF_INET6)
		(void)inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, addr,
		    sizeof(addr));
	else
		(void)snprintf(addr, sizeof(addr), "local");

	for (h = 5381, i = 0; addr[i] != '\0'; i++)
		h = h * 33 + (unsigned char)addr[i];

	while (__atomic_test_and_set(&rl->lock, __ATOMIC_ACQUIRE))
		;
	/* Open addressing over 8 slots; the stalest one is reused. */
	oldest = NULL;
	e = NULL;
	for (i = 0; i < 8; i++) {
		e = &rl->e[(h + i) % RL_SLOTS];
		if (strcmp(e->addr, addr) == 0)
			break;
		if (oldest == NULL || e->window_start < oldest->window_start)
			oldest = e;
		e = NULL;
	}
	if (e == NULL) {
		e = oldest;
		(void)snprintf(e->addr, sizeof(e->addr), "%s", addr);
		e->window_start = now;
		e->count = 0;
	}
	if (now - e->window_start >= rl_window) {
		e->window_start = now;
		e->count = 0;
	}
	if (e->count >= (uint32_t)rl_limit) {
		wait = (long)(e->window_start + rl_window - now);
		if (wait < 1)
			wait = 1;
	} else
		e->count++;
	__atomic_clear(&rl->lock, __ATOMIC_RELEASE);
	return (wait);
}

static int
valid_username(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++) {
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' &&
		    s[n] != '.' && s[n] != '-')
			return (0);
	}
	return (n >= 3 && n <= 32);
}

/* Shared field checks; 0 when username and password are usable. */
static int
credentials(struct api_ctx *ctx, int strict)
{
	const char	*u, *p;
	size_t		 plen;

	if (api_body_string(ctx, "username", &u) != 0 ||
	    api_body_string(ctx, "password", &p) != 0)
		return (-1);
	if (!valid_username(u)) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "username must be 3-32 letters, digits, '_', '.' or '-'");
		return (-1);
	}
	plen = strlen(p);
	if (plen > API_PASSWORD_MAX || (strict && plen < 8) || plen == 0) {
		api_error(ctx, HTTP_STATUS_BAD_REQUEST, "INVALID_FORMAT",
		    "password must be 8-%d bytes", API_PASSWORD_MAX);
		return (-1);
	}
	(void)snprintf(ctx->username, sizeof(ctx->username), "%s", u);
	memcpy(ctx->password, p, plen + 1);
	return (0);
}

void
api_task_start(struct api_ctx *ctx, int (*entry)(struct kore_task *),
    void (*done)(struct api_ctx *))
{
	ctx->task_done = done;
	ctx->task_started = 1;
	kore_task_create(&ctx->task, entry);
	kore_task_bind_request(&ctx->task, ctx->req);
	kore_task_run(&ctx->task);
}

/* Task threads: libsodium only, no Kore allocations. */
static int
hash_task(struct kore_task *t)
{
	struct api_ctx	*ctx = (struct api_ctx *)((char *)t -
			    offsetof(struct api_ctx, task));

	if (crypto_pwhash_str(ctx->hash, ctx->password,
	    strlen(ctx->password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (KORE_RESULT_ERROR);
	return (KORE_RESULT_OK);
}

static int
verify_task(struct kore_task *t)
{
	struct api_ctx	*ctx = (struct api_ctx *)((char *)t -
			    offsetof(struct api_ctx, task));

	if (crypto_pwhash_str_verify(ctx->hash, ctx->password,
	    strlen(ctx->password)) != 0)
		return (KORE_RESULT_ERROR);
	return (KORE_RESULT_OK);
}

void
api_register(struct api_ctx *ctx)
{
	if (credentials(ctx, 1) == -1)
		return;
	api_task_start(ctx, hash_task, register_hashed);
}

static void
register_hashed(struct api_ctx *ctx)
{
	static const char	sql[] =
	    "INSERT INTO users (id, username, password_hash, display_name) "
	    "VALUES (gen_random_uuid()::text, $1, $2, $1) "
	    "ON CONFLICT (username) DO NOTHING RETURNING id";
	const char		*p[2];

	sodium_memzero(ctx->password, sizeof(ctx->password));
	if (!ctx->task_ok) {
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Could not hash the password");
		return;
	}
	p[0] = ctx->username;
	p[1] = ctx->hash;
	api_query(ctx, sql, 2, p, register_inserted);
}

static void
register_inserted(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (r->ntuples == 0) {
		api_error(ctx, HTTP_STATUS_CONFLICT, "USERNAME_TAKEN",
		    "The username '%s' is taken", ctx->username);
		return;
	}
	(void)snprintf(ctx->user_id, sizeof(ctx->user_id), "%s",
	    pd_db_value(r, 0, 0));
	issue_token(ctx, HTTP_STATUS_CREATED);
}

void
api_login(struct api_ctx *ctx)
{
	static const char	sql[] =
	    "SELECT id, password_hash FROM users WHERE username = $1";
	const char		*p[1];
	long			 wait;

	if ((wait = rl_check(ctx)) > 0) {
		(void)snprintf(ctx->retry_after, sizeof(ctx->retry_after),
		    "%ld", wait);
		api_error(ctx, 429, "RATE_LIMITED",
		    "Too many login attempts; retry in %ld s", wait);
		return;
	}
	if (credentials(ctx, 0) == -1)
		return;
	p[0] = ctx->username;
	api_query(ctx, sql, 1, p, login_found);
}

static void
login_found(struct api_ctx *ctx, const struct pd_db_result *r)
{
	if (r->status != PD_DB_OK) {
		api_db_error(ctx, r);
		return;
	}
	if (r->ntuples == 0 || pd_db_isnull(r, 0, 1) ||
	    (size_t)pd_db_length(r, 0, 1) >= sizeof(ctx->hash)) {
		sodium_memzero(ctx->password, sizeof(ctx->password));
		api_error(ctx, HTTP_STATUS_UNAUTHORIZED, "INVALID_CREDENTIALS",
		    "Wrong username or password");
		return;
	}
	(void)snprintf(ctx->user_id, sizeof(ctx->user_id), "%s",
	    pd_db_value(r, 0, 0));
	(void)snprintf(ctx->hash, sizeof(ctx->hash), "%s",
	    pd_db_value(r, 0, 1));
	api_task_start(ctx, verify_task, login_verified);
}

static void
login_verified(struct api_ctx *ctx)
{
	sodium_memzero(ctx->password, sizeof(ctx->password));
	if (!ctx->task_ok) {
		api_error(ctx, HTTP_STATUS_UNAUTHORIZED, "INVALID_CREDENTIALS",
		    "Wrong username or password");
		return;
	}
	issue_token(ctx, HTTP_STATUS_OK);
}

static void
issue_token(struct api_ctx *ctx, int status)
{
	struct jwt_claims	 c;
	struct pd_buf		 tok, out;
	struct tm		 tm;
	time_t			 exp;
	char			 when[32];

	memset(&c, 0, sizeof(c));
	(void)snprintf(c.sub, sizeof(c.sub), "%s", ctx->user_id);
	(void)snprintf(c.name, sizeof(c.name), "%s", ctx->username);
	c.iat = (int64_t)time(NULL);
	c.exp = c.iat + pd_cfg.token_ttl;
	exp = (time_t)c.exp;
	(void)gmtime_r(&exp, &tm);
	(void)strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);

	pd_buf_init(&tok, JWT_TOKEN_MAX);
	pd_buf_init(&out, 0);
	if (jwt_sign(&tok, &c, pd_cfg.jwt_key, pd_cfg.jwt_key_len) == -1 ||
	    pd_buf_appends(&out, "{\"user_id\":") == -1 ||
	    json_append_string(&out, c.sub, strlen(c.sub)) == -1 ||
	    pd_buf_appends(&out, ",\"username\":") == -1 ||
	    json_append_string(&out, c.name, strlen(c.name)) == -1 ||
	    pd_buf_appends(&out, ",\"token\":") == -1 ||
	    json_append_string(&out, (const char *)tok.data, tok.len) == -1 ||
	    pd_buf_appendf(&out, ",\"expires_at\":\"%s\"}", when) == -1)
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Could not issue a token");
	else
		api_json_buf(ctx, status, &out);
	pd_buf_free(&tok);
	pd_buf_free(&out);
}
