/*
 * recovery: Socket.IO connection state recovery, backed by the durable
 * event log, so that it survives a server restart.
 *
 * Every socket is given a private session id, pid = "<sid>.<mac>", the
 * mac binding the socket id to the user with the JWT key: no server
 * state is needed to recognise it later.  Every room event carries an
 * offset "<game_id>:<seq>" as its last argument; the stock client sends
 * the last one back with its pid when it reconnects.  The socket then
 * gets its old id back, the room events after that seq are replayed from
 * game_events before the CONNECT reply, and it is in the game's room
 * again: socket.recovered is true and nothing was lost.
 *
 * A client that was in several games recovers the room of its last room
 * event; request_game_state {last_seq} covers the others.  When anything
 * fails the connection is an ordinary new one (a new pid).
 */
#include <kore/kore.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "service/ev_common.h"
#include "service/recovery.h"
#include "util/jsonutil.h"

#define MAC_BYTES	12

struct recover_ctx {
	char		sid[SIO_ID_LEN + 1];
	char		game_id[GAME_ID_LEN + 1];
	char		user_id[JWT_SUB_MAX];
	long long	last_seq;	/* the last event replayed */
};

static void	make_mac(const char *, const char *, char *, size_t);
static void	recover_done(void *, enum gs_result, const char *, size_t);
static long long replay(struct sio_socket *, const char *, yajl_val);
static int	held_is_new(const char *, size_t, void *);

static void
make_mac(const char *sid, const char *user, char *out, size_t outlen)
{
	crypto_auth_hmacsha256_state	st;
	uint8_t				mac[crypto_auth_hmacsha256_BYTES];

	(void)crypto_auth_hmacsha256_init(&st, pd_cfg.jwt_key,
	    pd_cfg.jwt_key_len);
	(void)crypto_auth_hmacsha256_update(&st, (const uint8_t *)"pid\n", 4);
	(void)crypto_auth_hmacsha256_update(&st, (const uint8_t *)sid,
	    strlen(sid));
	(void)crypto_auth_hmacsha256_update(&st, (const uint8_t *)"\n", 1);
	(void)crypto_auth_hmacsha256_update(&st, (const uint8_t *)user,
	    strlen(user));
	(void)crypto_auth_hmacsha256_final(&st, mac);
	(void)sodium_bin2base64(out, outlen, mac, MAC_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
pd_recovery_set_pid(struct pd_client *c)
{
	char	pid[SIO_PID_MAX], mac[32];

	if (!pd_cfg.recovery)
		return;
	make_mac(sio_socket_id(c->sock), c->user_id, mac, sizeof(mac));
	(void)snprintf(pid, sizeof(pid), "%s.%s", sio_socket_id(c->sock), mac);
	sio_socket_set_pid(c->sock, pid);
}

/* Checks the pid and offset; 0 when recovery is under way (pending). */
int
pd_recovery_start(struct pd_client *c, const char *pid, const char *offset)
{
	struct recover_ctx	*ctx;
	const char		*dot, *colon;
	char			 sid[SIO_ID_LEN + 1], mac[32], room[64];
	char			*end;
	long long		 seq;

	if (!pd_cfg.recovery || pid == NULL || offset == NULL)
		return (-1);
	if ((dot = strchr(pid, '.')) == NULL || dot - pid != SIO_ID_LEN)
		return (-1);
	memcpy(sid, pid, SIO_ID_LEN);
	sid[SIO_ID_LEN] = '\0';
	make_mac(sid, c->user_id, mac, sizeof(mac));
	if (strlen(dot + 1) != strlen(mac) ||
	    sodium_memcmp(dot + 1, mac, strlen(mac)) != 0)
		return (-1);

	if ((colon = strchr(offset, ':')) == NULL ||
	    colon - offset != GAME_ID_LEN)
		return (-1);
	seq = strtoll(colon + 1, &end, 10);
	if (*end != '\0' || seq < 0)
		return (-1);

	/* The old socket id must be free: a live duplicate keeps its own. */
	if (sio_socket_set_id(c->sock, sid) == -1)
		return (-1);
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return (-1);
	memcpy(ctx->sid, sid, sizeof(ctx->sid));
	memcpy(ctx->game_id, offset, GAME_ID_LEN);
	ctx->game_id[GAME_ID_LEN] = '\0';
	if (!ev_is_uuid(ctx->game_id)) {
		free(ctx);
		return (-1);
	}
	(void)snprintf(ctx->user_id, sizeof(ctx->user_id), "%s", c->user_id);
	ctx->last_seq = seq;
	sio_socket_set_pid(c->sock, pid);

	/*
	 * In the room before reading the log: what is broadcast meanwhile
	 * is held by Socket.IO until the replay is out, so nothing falls
	 * between the two.
	 */
	pd_room_game(room, sizeof(room), ctx->game_id);
	sio_join(c->sock, room);
	if (gs_events_since(ctx->game_id, seq, recover_done, ctx) == -1) {
		sio_leave(c->sock, room);
		free(ctx);
		pd_recovery_set_pid(c);
		return (-1);
	}
	return (0);
}

/* Emits one missed room event exactly as it was broadcast; its seq. */
static long long
replay(struct sio_socket *sock, const char *game_id, yajl_val ev)
{
	struct pd_buf	 pkt;
	yajl_gen	 g;
	yajl_val	 data, seq;
	const char	*name;

	name = json_string(ev, "event");
	data = json_get(ev, "data");
	seq = json_get(data, "seq");
	if (name == NULL || data == NULL || seq == NULL || !YAJL_IS_INTEGER(seq))
		return (-1);
	pd_buf_init(&pkt, 0);
	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return (-1);
	if (pd_buf_appendc(&pkt, '[') == 0 &&
	    json_append_string(&pkt, name, strlen(name)) == 0 &&
	    pd_buf_appendc(&pkt, ',') == 0 && json_gen_value(g, data) == 0 &&
	    json_gen_flush(g, &pkt) == 0 &&
	    pd_buf_appendf(&pkt, ",\"%s:%lld\"]", game_id,
	    (long long)YAJL_GET_INTEGER(seq)) == 0)
		(void)sio_emit(sock, (const char *)pkt.data, pkt.len);
	yajl_gen_free(g);
	pd_buf_free(&pkt);
	return (YAJL_GET_INTEGER(seq));
}

/* A held room packet ends with its offset, "...,\"<game>:<seq>\"]". */
static int
held_is_new(const char *pkt, size_t len, void *arg)
{
	struct recover_ctx	*ctx = arg;
	const char		*p;
	long long		 seq;

	if (len < 3 || pkt[len - 1] != ']' || pkt[len - 2] != '"')
		return (1);
	for (p = pkt + len - 3; p > pkt && *p != ':' && *p != '"'; p--)
		;
	if (*p != ':')
		return (1);
	seq = strtoll(p + 1, NULL, 10);
	return (seq > ctx->last_seq);
}

static void
recover_done(void *arg, enum gs_result rc, const char *json, size_t len)
{
	struct recover_ctx	*ctx = arg;
	struct sio_socket	*sock;
	struct pd_client	*c;
	yajl_val		 events;
	long long		 seq;
	size_t			 i;
	char			 room[64];

	if ((sock = sio_socket_find(ctx->sid)) == NULL ||
	    !sio_socket_pending(sock) || (c = sio_udata(sock)) == NULL) {
		free(ctx);
		return;
	}
	events = rc == GS_OK ? json_parse(json, len, NULL, 0) : NULL;
	if (events == NULL || !YAJL_IS_ARRAY(events)) {
		/* Not recovered: say so with a new pid, and leave the room. */
		pd_recovery_set_pid(c);
		if (events != NULL)
			yajl_tree_free(events);
		pd_room_game(room, sizeof(room), ctx->game_id);
		sio_leave(sock, room);
		sio_connect_accept(sock);
		free(ctx);
		return;
	}
	for (i = 0; i < events->u.array.len; i++) {
		seq = replay(sock, ctx->game_id, events->u.array.values[i]);
		if (seq > ctx->last_seq)
			ctx->last_seq = seq;
	}
	yajl_tree_free(events);

	(void)pd_connmgr_join(pd_gateway_connmgr(), ctx->sid, ctx->game_id,
	    PD_ROLE_PLAYER);
	sio_connect_accept_held(sock, held_is_new, ctx);
	free(ctx);
}
