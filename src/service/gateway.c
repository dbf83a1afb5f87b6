/*
 * gateway: the game namespace, see gateway.h.
 */
#include <kore/kore.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/config.h"
#include "app/metrics.h"
#include "service/events.h"
#include "service/gateway.h"
#include "service/ratelimit.h"
#include "service/recovery.h"
#include "util/jsonutil.h"

static int	gw_connect(struct sio_socket *, yajl_val, const char *,
		    struct sio_connect_error *);
static void	gw_connected(struct sio_socket *);
static void	gw_event(struct sio_socket *, const char *, yajl_val,
		    const struct sio_attachment *, int, int64_t);
static void	gw_disconnect(struct sio_socket *, const char *);
static void	gw_user_left(void *, const char *, const char *);
static void	expiry_fire(struct pd_deadline *);
static void	expiry_arm(struct pd_client *);
static const char *token_check(const char *, struct jwt_claims *,
		    const char **);

static const struct sio_namespace_ops gateway_ops = {
	gw_connect, gw_connected, gw_event, gw_disconnect
};

static struct pd_connmgr	*connmgr;
static struct pd_deadline_list	 expiry_list;

void
pd_gateway_init(void)
{
	if ((connmgr = pd_connmgr_new()) == NULL)
		fatal("gateway: out of memory");
	pd_deadline_list_init(&expiry_list, expiry_fire);
	sio_namespace("/", &gateway_ops);
}

struct pd_connmgr *
pd_gateway_connmgr(void)
{
	return (connmgr);
}

void
pd_room_user(char *buf, size_t len, const char *user_id)
{
	(void)snprintf(buf, len, "user:%s", user_id);
}

void
pd_room_game(char *buf, size_t len, const char *game_id)
{
	(void)snprintf(buf, len, "game:%s", game_id);
}

/* Returns NULL when valid, or the CONNECT_ERROR / error code. */
static const char *
token_check(const char *token, struct jwt_claims *claims, const char **why)
{
	switch (jwt_verify(token, strlen(token), pd_cfg.jwt_key,
	    pd_cfg.jwt_key_len, (int64_t)time(NULL), claims, why)) {
	case JWT_OK:
		return (NULL);
	case JWT_EXPIRED:
		return ("AUTH_EXPIRED");
	default:
		return ("AUTH_INVALID");
	}
}

static int
gw_connect(struct sio_socket *sock, yajl_val auth, const char *authz,
    struct sio_connect_error *err)
{
	struct pd_client	*c;
	struct jwt_claims	 claims;
	const char		*token, *code, *why;
	char			 room[JWT_SUB_MAX + 8];
	int			 rc;

	token = json_string(auth, "token");
	if (token == NULL && authz != NULL &&
	    strncasecmp(authz, "Bearer ", 7) == 0)
		token = authz + 7;
	if (token == NULL || *token == '\0') {
		(void)snprintf(err->message, sizeof(err->message),
		    "Authentication token missing");
		(void)snprintf(err->code, sizeof(err->code), "AUTH_MISSING");
		return (SIO_CONNECT_REFUSE);
	}
	if ((code = token_check(token, &claims, &why)) != NULL) {
		(void)snprintf(err->message, sizeof(err->message),
		    "Authentication failed: %s", why);
		(void)snprintf(err->code, sizeof(err->code), "%s", code);
		return (SIO_CONNECT_REFUSE);
	}

	c = kore_calloc(1, sizeof(*c));
	c->sock = sock;
	c->limits = kore_calloc(1, sizeof(struct pd_rl));
	pd_rl_init(c->limits, kore_time_ms());
	(void)snprintf(c->user_id, sizeof(c->user_id), "%s", claims.sub);
	(void)snprintf(c->name, sizeof(c->name), "%s", claims.name);
	c->token_exp = claims.exp;
	sio_set_udata(sock, c);

	/* A recovery takes the old socket id back: do it before the rest. */
	rc = SIO_CONNECT_OK;
	if (pd_recovery_start(c, json_string(auth, "pid"),
	    json_string(auth, "offset")) == 0)
		rc = SIO_CONNECT_PENDING;
	else
		pd_recovery_set_pid(c);

	if (pd_connmgr_connect(connmgr, sio_socket_id(sock), c->user_id) ==
	    -1) {
		sio_set_udata(sock, NULL);
		kore_free(c->limits);
		kore_free(c);
		(void)snprintf(err->message, sizeof(err->message),
		    "Server error");
		(void)snprintf(err->code, sizeof(err->code), "INTERNAL_ERROR");
		return (SIO_CONNECT_REFUSE);
	}
	pd_metrics_connection(1);
	pd_room_user(room, sizeof(room), c->user_id);
	sio_join(sock, room);
	expiry_arm(c);
	return (rc);
}

static void
gw_connected(struct sio_socket *sock)
{
	struct pd_client	*c = sio_udata(sock);
	struct pd_buf		 b;

	pd_buf_init(&b, 0);
	if (pd_buf_appends(&b, "{\"user_id\":") == 0 &&
	    json_append_string(&b, c->user_id, strlen(c->user_id)) == 0 &&
	    pd_buf_appendc(&b, '}') == 0)
		(void)sio_emit_event(sock, "connected", (const char *)b.data,
		    b.len);
	pd_buf_free(&b);
}

static void
gw_event(struct sio_socket *sock, const char *name, yajl_val args,
    const struct sio_attachment *att, int natt, int64_t ack)
{
	pd_events_dispatch(sio_udata(sock), name, args, ack);
}

static void
gw_user_left(void *arg, const char *game_id, const char *user_id)
{
	pd_metrics_room(-1);
	pd_events_user_disconnected(game_id, user_id);
}

static void
gw_disconnect(struct sio_socket *sock, const char *reason)
{
	struct pd_client	*c = sio_udata(sock);

	if (c == NULL)
		return;
	pd_connmgr_disconnect(connmgr, sio_socket_id(sock), gw_user_left, c);
	pd_deadline_cancel(&c->expiry);
	pd_metrics_connection(-1);
	sio_set_udata(sock, NULL);
	kore_free(c->limits);
	kore_free(c);
}

static void
expiry_arm(struct pd_client *c)
{
	uint64_t	now_ms, at;

	now_ms = kore_time_ms();
	at = now_ms + (uint64_t)(c->token_exp - (int64_t)time(NULL)) * 1000;
	pd_deadline_set(&expiry_list, &c->expiry, at);
}

/* A connection does not outlive its token. */
static void
expiry_fire(struct pd_deadline *d)
{
	struct pd_client	*c;
	static const char	 msg[] =
	    "{\"message\":\"Token expired - please reconnect with a new token\"}";

	c = (struct pd_client *)((char *)d - offsetof(struct pd_client,
	    expiry));
	(void)sio_emit_event(c->sock, "token_expired", msg, sizeof(msg) - 1);
	sio_disconnect(c->sock, 1);
}

const char *
pd_gateway_refresh(struct pd_client *c, const char *token, const char **why)
{
	struct jwt_claims	 claims;
	const char		*code;

	if ((code = token_check(token, &claims, why)) != NULL)
		return (code);
	if (strcmp(claims.sub, c->user_id) != 0) {
		*why = "token is for another user";
		return ("AUTH_INVALID");
	}
	c->token_exp = claims.exp;
	expiry_arm(c);
	return (NULL);
}
