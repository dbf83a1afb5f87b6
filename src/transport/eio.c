/*
 * eio: Engine.IO v4 sessions on Kore, see eio.h.
 *
 * The HTTP handler sorts a request into handshake, polling GET, polling
 * POST or WebSocket, and hands it to the session's owner: directly when
 * that is this worker, through eio_relay.c otherwise.  The eio_owner_*
 * functions are the session logic proper; they answer through an
 * endpoint (struct eio_ep) and so never care where the client is.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <kore/kore.h>
#include <kore/http.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "transport/eio_internal.h"
#include "util/hash.h"

#define SESSION_BUCKETS		4096
#define CLOSING_GRACE_MS	10000
#define WS_LINGER_MS		2000
#define WS_FRAMES_PER_TURN	64	/* frames read before other connections */

static const char sid_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const char *error_text[] = {
	"Transport unknown",
	"Session ID unknown",
	"Bad handshake method",
	"Bad request",
	"Forbidden",
	"Unsupported protocol version"
};

static struct eio_config		 cfg;
static LIST_HEAD(, eio_session)		 buckets[SESSION_BUCKETS];
static struct pd_deadline_list		 ping_list, pong_list, misc_list;
static struct pd_deadline_list		 linger_list;
static struct pd_buf			 scratch;
static int				 kick_armed;

const struct eio_config			*eio_cfg = &cfg;

static void		sid_make(char *);
static int		query_get(const char *, const char *, char *, size_t);
static void		cors_headers(struct http_request *);
static int		http_upgrade_requested(struct http_request *);
static int		http_websocket(struct http_request *, const char *,
			    const struct eio_hooks *);
static int		http_polling(struct http_request *, const char *);
static int		http_handshake(struct http_request *,
			    const struct eio_hooks *);
static int		http_finish(struct http_request *,
			    struct eio_reqstate *);
static int		http_error(struct http_request *, int);
static struct eio_session *session_new(enum eio_transport,
			    const struct eio_hooks *);
static void		session_destroy(struct eio_session *);
static void		session_close(struct eio_session *, const char *,
			    int);
static int		session_packet(void *, const struct eio_packet *);
static int		session_enqueue(struct eio_session *, enum eio_type,
			    const void *, size_t);
static void		session_flush_get(struct eio_session *, int);
static void		session_open_info(struct eio_session *,
			    const char *, const char *, const char *);
static void		ep_reply(struct eio_ep *, const struct eio_reply *);
static void		ep_send(const struct eio_ep *, enum eio_type,
			    const void *, size_t);
static int		ws_drop_backlogged(struct connection *);
static void		ep_close(struct eio_ep *);
static int		ep_same(const struct eio_ep *, const struct eio_ep *);
static void		upgrade_abort(struct eio_session *);
static void		upgrade_finish(struct eio_session *);
static void		ping_fire(struct pd_deadline *);
static void		pong_fire(struct pd_deadline *);
static void		misc_fire(struct pd_deadline *);
static void		linger_fire(struct pd_deadline *);
static void		reply_text(struct eio_reply *, const char *);
static void		addr_text(struct connection *, char *, size_t);
static void		kick_run(void *, u_int64_t);

/* The session being fed a POST or frame; packets name it. */
struct packet_ctx {
	struct eio_session	*s;
	int			 via_probe;
	int			 stop;
};

void
eio_init(const struct eio_config *c)
{
	size_t		i;

	cfg = *c;
	for (i = 0; i < SESSION_BUCKETS; i++)
		LIST_INIT(&buckets[i]);
	pd_deadline_list_init(&ping_list, ping_fire);
	pd_deadline_list_init(&pong_list, pong_fire);
	pd_deadline_list_init(&misc_list, misc_fire);
	pd_deadline_list_init(&linger_list, linger_fire);
	pd_buf_init(&scratch, 0);
	eio_relay_init();
}

/*
 * Session ids: the first character names the owning worker, the other
 * nineteen are random (114 bits).
 */
static void
sid_make(char *sid)
{
	uint8_t		rnd[EIO_SID_LEN];
	size_t		i;

	randombytes_buf(rnd, sizeof(rnd));
	sid[0] = sid_alphabet[worker->id & 63];
	for (i = 1; i < EIO_SID_LEN; i++)
		sid[i] = sid_alphabet[rnd[i] & 63];
	sid[EIO_SID_LEN] = '\0';
}

uint16_t
eio_sid_owner(const char *sid)
{
	const char	*p;

	if (strlen(sid) != EIO_SID_LEN)
		return (0);
	if ((p = strchr(sid_alphabet, sid[0])) == NULL)
		return (0);
	return ((uint16_t)(p - sid_alphabet));
}

struct eio_session *
eio_session_find(const char *sid)
{
	struct eio_session	*s;

	LIST_FOREACH(s, &buckets[(pd_hash_str(sid) % SESSION_BUCKETS)], hash) {
		if (strcmp(s->sid, sid) == 0 && s->state != EIO_S_DEAD)
			return (s);
	}
	return (NULL);
}

void
eio_session_ref(struct eio_session *s)
{
	s->refs++;
}

void
eio_session_unref(struct eio_session *s)
{
	struct eio_out	*o;

	if (--s->refs > 0 || s->state != EIO_S_DEAD)
		return;
	while ((o = TAILQ_FIRST(&s->outq)) != NULL) {
		TAILQ_REMOVE(&s->outq, o, link);
		free(o);
	}
	free(s->close_reason);
	free(s);
}

const char *
eio_sid(const struct eio_session *s)
{
	return (s->sid);
}

const char *
eio_transport_name(const struct eio_session *s)
{
	return (s->transport == EIO_WEBSOCKET ? "websocket" : "polling");
}

void *
eio_udata(const struct eio_session *s)
{
	return (s->udata);
}

void
eio_set_udata(struct eio_session *s, void *udata)
{
	s->udata = udata;
}


/*
 * Wakes a parked request.  Kore runs it on its next loop turn but sleeps
 * until the next timer first, which may be a ping many seconds away; a
 * zero-delay timer makes that turn come at once.
 */
void
eio_wakeup(struct http_request *req)
{
	http_request_wakeup(req);
	if (!kick_armed) {
		kick_armed = 1;
		(void)kore_timer_add(kick_run, 0, NULL, KORE_TIMER_ONESHOT);
	}
}

static void
kick_run(void *arg, u_int64_t now)
{
	kick_armed = 0;
}

/*
 * HTTP entry point.
 */

static int
query_get(const char *qs, const char *key, char *out, size_t outlen)
{
	size_t		klen, vlen;
	const char	*p, *end;

	if (qs == NULL)
		return (0);
	klen = strlen(key);
	for (p = qs; *p != '\0'; p = (*end == '&') ? end + 1 : end) {
		if ((end = strchr(p, '&')) == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			vlen = (size_t)(end - p) - klen - 1;
			/* Present but too long: an empty value matches nothing. */
			if (vlen >= outlen) {
				out[0] = '\0';
				return (1);
			}
			memcpy(out, p + klen + 1, vlen);
			out[vlen] = '\0';
			return (1);
		}
		if (*end == '\0')
			break;
	}
	return (0);
}

/* Browsers need the exact origin to allow credentials; see the notes. */
static void
cors_headers(struct http_request *req)
{
	const char	*origin;

	if (!http_request_header(req, "origin", &origin))
		return;
	http_response_header(req, "access-control-allow-origin", origin);
	http_response_header(req, "access-control-allow-credentials", "true");
	http_response_header(req, "vary", "Origin");
}

static int
http_upgrade_requested(struct http_request *req)
{
	const char	*v;

	return (http_request_header(req, "upgrade", &v) &&
	    strcasecmp(v, "websocket") == 0);
}

void
eio_error_reply(struct eio_reply *r, int code)
{
	pd_buf_reset(&scratch);
	(void)pd_buf_appendf(&scratch, "{\"code\":%d,\"message\":\"%s\"}",
	    code, error_text[code]);
	r->status = HTTP_STATUS_BAD_REQUEST;
	r->ctype = "application/json";
	r->body = scratch.data;
	r->len = scratch.len;
}

static void
reply_text(struct eio_reply *r, const char *text)
{
	r->status = HTTP_STATUS_OK;
	r->ctype = "text/plain; charset=UTF-8";
	r->body = text;
	r->len = strlen(text);
}

void
eio_reply_write(struct http_request *req, const struct eio_reply *r)
{
	cors_headers(req);
	if (r->ctype != NULL)
		http_response_header(req, "content-type", r->ctype);
	if (r->status == HTTP_STATUS_OK)
		http_response_header(req, "cache-control", "no-store");
	http_response(req, r->status, r->body, r->len);
}

static int
http_error(struct http_request *req, int code)
{
	struct eio_reply	r;

	eio_error_reply(&r, code);
	eio_reply_write(req, &r);
	return (KORE_RESULT_OK);
}

int
eio_http(struct http_request *req, const struct eio_hooks *hooks)
{
	struct eio_reqstate	*st;
	const char		*hdr;
	char			 eio[8], transport[16], sid[EIO_SID_LEN + 8];
	int			 has_sid;

	if ((st = http_state_get(req)) != NULL)
		return (http_finish(req, st));

	if (req->method == HTTP_METHOD_OPTIONS) {
		cors_headers(req);
		http_response_header(req, "access-control-allow-methods",
		    "GET,HEAD,PUT,PATCH,POST,DELETE");
		if (http_request_header(req, "access-control-request-headers",
		    &hdr))
			http_response_header(req,
			    "access-control-allow-headers", hdr);
		http_response(req, HTTP_STATUS_NO_CONTENT, NULL, 0);
		return (KORE_RESULT_OK);
	}

	if (!query_get(req->query_string, "EIO", eio, sizeof(eio)) ||
	    strcmp(eio, "4") != 0)
		return (http_error(req, 5));
	if (!query_get(req->query_string, "transport", transport,
	    sizeof(transport)) || (strcmp(transport, "polling") != 0 &&
	    strcmp(transport, "websocket") != 0))
		return (http_error(req, 0));
	has_sid = query_get(req->query_string, "sid", sid, sizeof(sid));

	if (http_upgrade_requested(req)) {
		if (strcmp(transport, "websocket") != 0)
			return (http_error(req, 3));
		return (http_websocket(req, has_sid ? sid : NULL, hooks));
	}
	if (strcmp(transport, "polling") != 0)
		return (http_error(req, 3));
	if (!has_sid) {
		if (req->method != HTTP_METHOD_GET)
			return (http_error(req, 2));
		return (http_handshake(req, hooks));
	}
	return (http_polling(req, sid));
}

static int
http_finish(struct http_request *req, struct eio_reqstate *st)
{
	struct eio_reply	r;

	if (!st->done) {
		http_request_sleep(req);
		return (KORE_RESULT_RETRY);
	}
	if (st->op == EIO_OP_WS_CHECK && st->upgrade) {
		/* A relayed WebSocket the owner accepted. */
		eio_relay_ws_handshake(req, st);
		return (KORE_RESULT_OK);
	}
	r.status = st->status;
	r.ctype = st->ctype;
	r.body = st->body.data;
	r.len = st->body.len;
	eio_reply_write(req, &r);
	return (KORE_RESULT_OK);
}

void
eio_reqstate_free(struct http_request *req)
{
	struct eio_reqstate	*st;
	struct eio_ep		 ep;

	if ((st = http_state_get(req)) == NULL)
		return;
	if (st->s != NULL && st->s->get.kind == EIO_EP_LOCAL &&
	    st->s->get.req == req) {
		/* The client went away while its GET was parked. */
		memset(&ep, 0, sizeof(ep));
		ep.kind = EIO_EP_LOCAL;
		ep.req = req;
		eio_owner_get_gone(st->s, &ep);
	}
	pd_buf_free(&st->body);
}

static void
addr_text(struct connection *c, char *out, size_t len)
{
	out[0] = '\0';
	if (c == NULL)
		return;
	if (c->family == AF_INET)
		(void)inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, out, len);
	else if (c->family == AF_INET6)
		(void)inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, out, len);
}

static void
session_open_info(struct eio_session *s, const char *auth, const char *addr,
    const char *t)
{
	struct eio_open_info	info;

	info.authorization = auth;
	info.addr = addr;
	info.timestamp = t;
	eio_session_ref(s);
	s->hooks->open(s, &info);
	eio_session_unref(s);
}

static int
http_handshake(struct http_request *req, const struct eio_hooks *hooks)
{
	struct eio_session	*s;
	struct eio_reply	 r;
	struct pd_buf		 body;
	const char		*auth;
	char			 addr[64], t[32];

	s = session_new(EIO_POLLING, hooks);
	pd_buf_init(&body, 0);
	if (pd_buf_appendc(&body, '0') == -1 ||
	    eio_handshake_json(&body, s->sid, 1, cfg.ping_interval,
	    cfg.ping_timeout, cfg.max_payload) == -1) {
		pd_buf_free(&body);
		session_close(s, "server error", 0);
		http_response(req, HTTP_STATUS_INTERNAL_ERROR, NULL, 0);
		return (KORE_RESULT_OK);
	}
	r.status = HTTP_STATUS_OK;
	r.ctype = "text/plain; charset=UTF-8";
	r.body = body.data;
	r.len = body.len;
	eio_reply_write(req, &r);
	pd_buf_free(&body);

	if (!http_request_header(req, "authorization", &auth))
		auth = NULL;
	addr_text(req->owner, addr, sizeof(addr));
	if (!query_get(req->query_string, "t", t, sizeof(t)))
		t[0] = '\0';
	session_open_info(s, auth, addr, t);
	return (KORE_RESULT_OK);
}

static int
http_polling(struct http_request *req, const char *sid)
{
	struct eio_session	*s;
	struct eio_reqstate	*st;
	struct eio_reply	 r;
	struct eio_ep		 ep;
	struct pd_buf		 body, reply;
	uint8_t			 chunk[8192];
	ssize_t			 n;

	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_POST)
		return (http_error(req, 2));
	if (eio_sid_owner(sid) != worker->id)
		return (eio_relay_request(req, sid, req->method ==
		    HTTP_METHOD_GET ? EIO_OP_GET : EIO_OP_POST));
	if ((s = eio_session_find(sid)) == NULL)
		return (http_error(req, 1));

	if (req->method == HTTP_METHOD_POST) {
		pd_buf_init(&body, cfg.max_payload);
		for (;;) {
			if ((n = http_body_read(req, chunk, sizeof(chunk))) < 0 ||
			    (n > 0 && pd_buf_append(&body, chunk, n) == -1)) {
				pd_buf_free(&body);
				http_response(req,
				    HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, 0);
				return (KORE_RESULT_OK);
			}
			if (n == 0)
				break;
		}
		pd_buf_init(&reply, 0);
		eio_session_ref(s);
		eio_owner_post(s, body.data, body.len, &r, &reply);
		eio_reply_write(req, &r);
		eio_session_unref(s);
		pd_buf_free(&reply);
		pd_buf_free(&body);
		return (KORE_RESULT_OK);
	}

	st = http_state_create(req, sizeof(*st), eio_reqstate_free);
	st->req = req;
	st->s = s;
	pd_buf_init(&st->body, 0);
	memset(&ep, 0, sizeof(ep));
	ep.kind = EIO_EP_LOCAL;
	ep.req = req;
	eio_session_ref(s);
	eio_owner_get(s, &ep);
	eio_session_unref(s);
	return (http_finish(req, st));
}

static int
http_websocket(struct http_request *req, const char *sid,
    const struct eio_hooks *hooks)
{
	struct eio_session	*s;
	struct eio_wsconn	*wc;
	const char		*auth;

	if (sid != NULL && eio_sid_owner(sid) != worker->id)
		return (eio_relay_request(req, sid, EIO_OP_WS_CHECK));

	s = NULL;
	if (sid != NULL && (s = eio_session_find(sid)) == NULL)
		return (http_error(req, 1));
	if (s != NULL && (s->state != EIO_S_OPEN || s->probe.kind !=
	    EIO_EP_NONE))
		return (http_error(req, 3));

	wc = kore_calloc(1, sizeof(*wc));
	wc->hooks = hooks;
	if (sid != NULL)
		(void)snprintf(wc->sid, sizeof(wc->sid), "%.*s", EIO_SID_LEN, sid);
	/* A second WebSocket after the upgrade: accept, then close. */
	wc->close_now = (s != NULL && s->transport == EIO_WEBSOCKET);
	/* Only a new session needs the header (eio_ws_connect frees it). */
	if (sid == NULL && http_request_header(req, "authorization", &auth))
		wc->auth = kore_strdup(auth);
	if (!query_get(req->query_string, "t", wc->t, sizeof(wc->t)))
		wc->t[0] = '\0';
	addr_text(req->owner, wc->addr, sizeof(wc->addr));
	req->owner->hdlr_extra = wc;
	kore_websocket_handshake(req, "eio_ws_connect", "eio_ws_message",
	    "eio_ws_disconnect");
	if (req->owner->proto != CONN_PROTO_WEBSOCKET) {
		/* Refused (no key, say): the connection stays plain HTTP. */
		req->owner->hdlr_extra = NULL;
		kore_free(wc->auth);
		kore_free(wc);
	}
	return (KORE_RESULT_OK);
}

/*
 * Kore WebSocket callbacks.
 */

void
eio_ws_connect(struct connection *c)
{
	struct eio_wsconn	*wc = c->hdlr_extra;
	struct eio_session	*s;
	struct pd_buf		 open;

	if (wc->edge) {
		(void)eio_relay_ws_connect(c);
		return;
	}
	if (wc->close_now) {
		eio_ws_close_conn(c);
		return;
	}

	if (wc->sid[0] != '\0') {
		/* A probe for an existing polling session. */
		if ((s = eio_session_find(wc->sid)) == NULL ||
		    s->state != EIO_S_OPEN || s->probe.kind != EIO_EP_NONE) {
			eio_ws_close_conn(c);
			return;
		}
		s->probe.kind = EIO_EP_LOCAL;
		s->probe.c = c;
		wc->s = s;
		return;
	}

	s = session_new(EIO_WEBSOCKET, wc->hooks);
	s->ws.kind = EIO_EP_LOCAL;
	s->ws.c = c;
	wc->s = s;
	(void)snprintf(wc->sid, sizeof(wc->sid), "%s", s->sid);

	pd_buf_init(&open, 0);
	if (eio_handshake_json(&open, s->sid, 0, cfg.ping_interval,
	    cfg.ping_timeout, cfg.max_payload) == 0)
		ep_send(&s->ws, EIO_OPEN, open.data, open.len);
	pd_buf_free(&open);
	session_open_info(s, wc->auth, wc->addr, wc->t);
	/* Kore frees wc itself, but not what it points to. */
	kore_free(wc->auth);
	wc->auth = NULL;
}

void
eio_ws_message(struct connection *c, uint8_t op, const void *data,
    size_t len)
{
	struct eio_wsconn	*wc = c->hdlr_extra;
	struct eio_ep		 ep;

	/*
	 * Kore reads a connection until the socket would block, so a client
	 * that sends without pause would hold the worker for ever.  Every
	 * WS_FRAMES_PER_TURN frames it stops reading and asks epoll again,
	 * which reports the unread data after the other connections' turns.
	 */
	if (++wc->frames % WS_FRAMES_PER_TURN == 0) {
		c->evt.flags &= ~KORE_EVENT_READ;
		kore_platform_event_all(c->fd, c);
	}
	if (wc->edge) {
		(void)eio_relay_ws_message(c, op, data, len);
		return;
	}
	if (wc->s == NULL)
		return;
	memset(&ep, 0, sizeof(ep));
	ep.kind = EIO_EP_LOCAL;
	ep.c = c;
	eio_owner_ws_frame(wc->s, &ep, data, len, op == WEBSOCKET_OP_BINARY);
}

void
eio_ws_disconnect(struct connection *c)
{
	struct eio_wsconn	*wc = c->hdlr_extra;
	struct eio_session	*s;
	struct eio_ep		 ep;

	if (wc == NULL)
		return;
	/* Kore frees wc with the connection. */
	pd_deadline_cancel(&wc->linger);
	if (wc->edge) {
		(void)eio_relay_ws_disconnect(c);
		return;
	}
	if ((s = wc->s) == NULL)
		return;
	wc->s = NULL;
	memset(&ep, 0, sizeof(ep));
	ep.kind = EIO_EP_LOCAL;
	ep.c = c;
	eio_owner_ws_closed(s, &ep);
}

/*
 * Closes one of our WebSockets.  Closing the socket at once would make
 * the kernel answer what the client still sends with a reset, which
 * throws away what the client has not read yet (the last events, the
 * Socket.IO disconnect).  So: send the close frame, let the client's own
 * close frame end the connection (Kore does that), and only force it
 * when that does not come.
 */
void
eio_ws_close_conn(struct connection *c)
{
	struct eio_wsconn	*wc = c->hdlr_extra;

	if (!(c->flags & CONN_WS_CLOSE_SENT)) {
		c->flags |= CONN_WS_CLOSE_SENT;
		kore_websocket_send(c, WEBSOCKET_OP_CLOSE, NULL, 0);
	}
	if (wc == NULL) {
		kore_connection_disconnect(c);
		return;
	}
	wc->s = NULL;
	wc->conn = c;
	pd_deadline_set(&linger_list, &wc->linger,
	    kore_time_ms() + WS_LINGER_MS);
}

static void
linger_fire(struct pd_deadline *d)
{
	struct eio_wsconn	*wc;

	wc = (struct eio_wsconn *)((char *)d - offsetof(struct eio_wsconn,
	    linger));
	kore_connection_disconnect(wc->conn);
}

/*
 * Session logic, wherever the request came from.
 */

static struct eio_session *
session_new(enum eio_transport transport, const struct eio_hooks *hooks)
{
	struct eio_session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("eio: out of memory");
	do {
		sid_make(s->sid);
	} while (eio_session_find(s->sid) != NULL);
	s->transport = transport;
	s->hooks = hooks;
	s->state = EIO_S_OPEN;
	TAILQ_INIT(&s->outq);
	LIST_INSERT_HEAD(&buckets[(pd_hash_str(s->sid) % SESSION_BUCKETS)], s, hash);
	s->refs = 1;		/* the table's reference */
	pd_deadline_set(&ping_list, &s->ping_dl,
	    kore_time_ms() + cfg.ping_interval);
	return (s);
}

static int
ep_same(const struct eio_ep *a, const struct eio_ep *b)
{
	if (a->kind != b->kind)
		return (0);
	if (a->kind == EIO_EP_REMOTE)
		return (a->worker == b->worker && a->token == b->token);
	return (a->req == b->req && a->c == b->c);
}

static void
ep_reply(struct eio_ep *ep, const struct eio_reply *r)
{
	struct eio_reqstate	*st;

	if (ep->kind == EIO_EP_LOCAL) {
		st = http_state_get(ep->req);
		st->done = 1;
		st->s = NULL;
		st->status = r->status;
		st->ctype = r->ctype;
		pd_buf_reset(&st->body);
		if (pd_buf_append(&st->body, r->body, r->len) == -1)
			st->status = HTTP_STATUS_INTERNAL_ERROR;
		eio_wakeup(ep->req);
	} else if (ep->kind == EIO_EP_REMOTE) {
		eio_relay_reply(ep, r);
	}
	memset(ep, 0, sizeof(*ep));
}

/*
 * A client that does not read makes Kore queue without end; past
 * max_queue unsent bytes it is dropped.  Summing the queue is linear, so
 * it is done every few sends only, and never for a client that took all
 * it was sent (most of them: the check then touches nothing new).
 */
int
eio_ws_backlogged(struct connection *c)
{
	struct eio_wsconn	*wc = c->hdlr_extra;
	struct netbuf		*nb;
	size_t			 queued;

	if (TAILQ_EMPTY(&c->send_queue) || wc == NULL ||
	    (++wc->sends & 31) != 0)
		return (0);
	queued = 0;
	TAILQ_FOREACH(nb, &c->send_queue, list)
		queued += nb->b_len - nb->s_off;
	return (queued > cfg.max_queue);
}

/* 1 when `c` was dropped for not reading: send nothing more to it. */
static int
ws_drop_backlogged(struct connection *c)
{
	if (!eio_ws_backlogged(c))
		return (0);
	kore_log(LOG_NOTICE, "eio: dropping a client that does not read");
	kore_connection_disconnect(c);
	return (1);
}

static void
ep_send(const struct eio_ep *ep, enum eio_type type, const void *data,
    size_t len)
{
	if (ep->kind == EIO_EP_REMOTE) {
		eio_relay_ws_send(ep, type, data, len);
		return;
	}
	if (ep->kind != EIO_EP_LOCAL)
		return;
	if (ws_drop_backlogged(ep->c))
		return;
	if (type == EIO_BINARY) {
		kore_websocket_send(ep->c, WEBSOCKET_OP_BINARY, data, len);
		return;
	}
	pd_buf_reset(&scratch);
	if (pd_buf_appendc(&scratch, '0' + (int)type) == -1 ||
	    pd_buf_append(&scratch, data, len) == -1)
		return;
	kore_websocket_send(ep->c, WEBSOCKET_OP_TEXT, scratch.data,
	    scratch.len);
}

static void
ep_close(struct eio_ep *ep)
{
	if (ep->kind == EIO_EP_LOCAL)
		eio_ws_close_conn(ep->c);
	else if (ep->kind == EIO_EP_REMOTE)
		eio_relay_ws_close(ep);
	memset(ep, 0, sizeof(*ep));
}

static int
session_enqueue(struct eio_session *s, enum eio_type type, const void *data,
    size_t len)
{
	struct eio_out	*o;

	if (s->outq_bytes + len > cfg.max_queue)
		return (-1);
	if ((o = malloc(sizeof(*o) + len)) == NULL)
		return (-1);
	o->type = type;
	o->len = len;
	if (len > 0)
		memcpy(o->data, data, len);
	TAILQ_INSERT_TAIL(&s->outq, o, link);
	s->outq_bytes += len;
	return (0);
}

/* Hands every queued packet (and the close, if asked) to the GET. */
static void
session_flush_get(struct eio_session *s, int with_close)
{
	struct eio_out		*o;
	struct eio_reply	 r;
	struct pd_buf		 body;

	if (s->get.kind == EIO_EP_NONE)
		return;
	pd_buf_init(&body, 0);
	while ((o = TAILQ_FIRST(&s->outq)) != NULL) {
		if (eio_payload_append(&body, o->type, o->data, o->len) == -1)
			break;
		TAILQ_REMOVE(&s->outq, o, link);
		s->outq_bytes -= o->len;
		free(o);
	}
	if (with_close)
		(void)eio_payload_append(&body,
		    s->close_noop ? EIO_NOOP : EIO_CLOSE, NULL, 0);
	r.status = HTTP_STATUS_OK;
	r.ctype = "text/plain; charset=UTF-8";
	r.body = body.data;
	r.len = body.len;
	ep_reply(&s->get, &r);
	pd_buf_free(&body);
}

int
eio_send(struct eio_session *s, enum eio_type type, const void *data,
    size_t len)
{
	if (s->state != EIO_S_OPEN)
		return (-1);
	if (s->transport == EIO_WEBSOCKET) {
		ep_send(&s->ws, type, data, len);
		return (0);
	}
	if (session_enqueue(s, type, data, len) == -1) {
		/* A client that never reads is dropped, not buffered. */
		session_close(s, "transport error", 0);
		return (-1);
	}
	if (s->get.kind != EIO_EP_NONE)
		session_flush_get(s, 0);
	return (0);
}

/*
 * An RFC 6455 server frame (FIN, never masked) around the Engine.IO
 * packet: its type digit, then the data; a binary message is the data.
 */
struct eio_frame {
	int		 refs;
	enum eio_type	 type;
	size_t		 len;		/* bytes of the frame */
	size_t		 data_off;	/* where the message's data starts */
	uint8_t		 bytes[];
};

struct eio_frame *
eio_frame_new(enum eio_type type, const void *data, size_t len)
{
	struct eio_frame	*f;
	size_t			 plen, hlen, i;
	uint8_t			*p;

	plen = len + (type == EIO_BINARY ? 0 : 1);
	hlen = plen < 126 ? 2 : (plen <= 0xffff ? 4 : 10);
	if (len > SIZE_MAX - hlen - sizeof(*f) - 1 ||
	    (f = malloc(sizeof(*f) + hlen + plen)) == NULL)
		return (NULL);
	f->refs = 1;
	f->type = type;
	f->len = hlen + plen;
	p = f->bytes;
	*p++ = 0x80 | (type == EIO_BINARY ? WEBSOCKET_OP_BINARY :
	    WEBSOCKET_OP_TEXT);
	if (plen < 126) {
		*p++ = (uint8_t)plen;
	} else if (plen <= 0xffff) {
		*p++ = 126;
		*p++ = (uint8_t)(plen >> 8);
		*p++ = (uint8_t)plen;
	} else {
		*p++ = 127;
		for (i = 0; i < 8; i++)
			*p++ = (uint8_t)((uint64_t)plen >> (56 - 8 * i));
	}
	if (type != EIO_BINARY)
		*p++ = (uint8_t)('0' + (int)type);
	f->data_off = (size_t)(p - f->bytes);
	if (len > 0)
		memcpy(p, data, len);
	return (f);
}

void
eio_frame_release(struct eio_frame *f)
{
	if (f != NULL && --f->refs == 0)
		free(f);
}

/* Kore is done with a send of the frame: sent, or its connection gone. */
static int
frame_sent(struct netbuf *nb)
{
	eio_frame_release(nb->extra);
	nb->extra = NULL;
	return (KORE_RESULT_OK);
}

int
eio_send_frame(struct eio_session *s, struct eio_frame *f)
{
	struct netbuf	*nb;

	if (s->state != EIO_S_OPEN)
		return (-1);
	if (s->transport != EIO_WEBSOCKET || s->ws.kind != EIO_EP_LOCAL)
		return (eio_send(s, f->type, f->bytes + f->data_off,
		    f->len - f->data_off));
	if (ws_drop_backlogged(s->ws.c))
		return (-1);
	net_send_stream(s->ws.c, f->bytes, f->len, frame_sent, &nb);
	nb->extra = f;
	f->refs++;
	net_send_flush(s->ws.c);
	return (0);
}

void
eio_close(struct eio_session *s, const char *reason)
{
	session_close(s, reason, 1);
}

/*
 * Ends a session.  `graceful` (a server-side close) lets a polling
 * client still collect what was queued, and the close packet, with its
 * next GET.
 */
static void
session_close(struct eio_session *s, const char *reason, int graceful)
{
	if (s->state != EIO_S_OPEN)
		return;
	s->state = EIO_S_CLOSING;
	s->close_reason = strdup(reason);
	pd_deadline_cancel(&s->ping_dl);
	pd_deadline_cancel(&s->pong_dl);
	pd_deadline_cancel(&s->misc_dl);
	if (s->probe.kind != EIO_EP_NONE)
		ep_close(&s->probe);

	eio_session_ref(s);
	s->hooks->close(s, reason);
	eio_session_unref(s);

	/*
	 * A graceful close over polling hands out what is queued first and
	 * the close packet with a later GET, as node does: a client that
	 * read both in one payload would see its transport close before
	 * the Socket.IO disconnect.
	 */
	if (s->transport == EIO_POLLING && graceful) {
		if (s->get.kind != EIO_EP_NONE && !TAILQ_EMPTY(&s->outq))
			session_flush_get(s, 0);
		if (s->get.kind == EIO_EP_NONE) {
			pd_deadline_set(&misc_list, &s->misc_dl,
			    kore_time_ms() + CLOSING_GRACE_MS);
			return;
		}
	}
	session_destroy(s);
}

/* Only from EIO_S_CLOSING: a parked GET still gets the close packet. */
static void
session_destroy(struct eio_session *s)
{
	if (s->state != EIO_S_CLOSING)
		return;
	pd_deadline_cancel(&s->misc_dl);
	if (s->get.kind != EIO_EP_NONE)
		session_flush_get(s, 1);
	s->state = EIO_S_DEAD;
	if (s->probe.kind != EIO_EP_NONE)
		ep_close(&s->probe);
	if (s->ws.kind != EIO_EP_NONE)
		ep_close(&s->ws);
	LIST_REMOVE(s, hash);
	eio_session_unref(s);
}

void
eio_owner_get(struct eio_session *s, const struct eio_ep *ep)
{
	struct eio_reply	r;
	struct eio_ep		e = *ep;

	if (s->transport == EIO_WEBSOCKET) {
		eio_error_reply(&r, 3);
		ep_reply(&e, &r);
		return;
	}
	if (s->get.kind != EIO_EP_NONE) {
		/* A second concurrent GET: refuse it, then close. */
		r.status = HTTP_STATUS_BAD_REQUEST;
		r.ctype = NULL;
		r.body = NULL;
		r.len = 0;
		ep_reply(&e, &r);
		session_close(s, "transport error", 0);
		return;
	}
	s->get = *ep;
	if (s->state == EIO_S_CLOSING) {
		if (!TAILQ_EMPTY(&s->outq))
			session_flush_get(s, 0);
		else
			session_destroy(s);
		return;
	}
	if (!TAILQ_EMPTY(&s->outq))
		session_flush_get(s, 0);
	else if (s->upgrading) {
		reply_text(&r, "6");
		ep_reply(&s->get, &r);
	}
}

void
eio_owner_get_gone(struct eio_session *s, const struct eio_ep *ep)
{
	if (ep_same(&s->get, ep))
		memset(&s->get, 0, sizeof(s->get));
}

void
eio_owner_post(struct eio_session *s, const uint8_t *body, size_t len,
    struct eio_reply *r, struct pd_buf *out)
{
	struct packet_ctx	ctx;

	if (s->state != EIO_S_OPEN) {
		eio_error_reply(r, 1);
		return;
	}
	if (s->transport == EIO_WEBSOCKET) {
		eio_error_reply(r, 3);
		return;
	}
	if (len > cfg.max_payload) {
		r->status = HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE;
		r->ctype = NULL;
		r->body = NULL;
		r->len = 0;
		return;
	}
	ctx.s = s;
	ctx.via_probe = 0;
	ctx.stop = 0;
	if (eio_payload_decode(body, len, session_packet, &ctx) == -1 &&
	    !ctx.stop) {
		session_close(s, "parse error", 0);
		eio_error_reply(r, 3);
		return;
	}
	(void)pd_buf_appends(out, "ok");
	r->status = HTTP_STATUS_OK;
	r->ctype = "text/html";
	r->body = out->data;
	r->len = out->len;
}

/*
 * A WebSocket for session `s` arrived: -1 refused (answer `r`), 0 it is
 * the upgrade probe, 1 accept it and close it at once (the session was
 * upgraded already).
 */
int
eio_owner_probe(struct eio_session *s, const struct eio_ep *ep,
    struct eio_reply *r)
{
	if (s->state != EIO_S_OPEN || s->probe.kind != EIO_EP_NONE) {
		eio_error_reply(r, 3);
		return (-1);
	}
	if (s->transport == EIO_WEBSOCKET)
		return (1);
	s->probe = *ep;
	return (0);
}

void
eio_owner_ws_frame(struct eio_session *s, const struct eio_ep *ep,
    const uint8_t *data, size_t len, int binary)
{
	struct eio_packet	pkt;
	struct packet_ctx	ctx;

	ctx.s = s;
	ctx.stop = 0;
	if (ep_same(&s->probe, ep))
		ctx.via_probe = 1;
	else if (ep_same(&s->ws, ep))
		ctx.via_probe = 0;
	else
		return;

	eio_session_ref(s);
	if (eio_packet_decode(data, len, binary, &pkt) == -1 ||
	    session_packet(&ctx, &pkt) == -1) {
		if (!ctx.stop) {
			if (ctx.via_probe)
				upgrade_abort(s);
			else
				session_close(s, "parse error", 0);
		}
	}
	eio_session_unref(s);
}

void
eio_owner_ws_closed(struct eio_session *s, const struct eio_ep *ep)
{
	if (ep_same(&s->probe, ep)) {
		memset(&s->probe, 0, sizeof(s->probe));
		upgrade_abort(s);
	} else if (ep_same(&s->ws, ep)) {
		memset(&s->ws, 0, sizeof(s->ws));
		session_close(s, "transport close", 0);
	}
}

/*
 * One packet from the client.  Returns -1 to stop the rest of a POST:
 * with ctx->stop set when that is not an error (a close).
 */
static int
session_packet(void *arg, const struct eio_packet *pkt)
{
	struct packet_ctx	*ctx = arg;
	struct eio_session	*s = ctx->s;

	if (s->state != EIO_S_OPEN) {
		ctx->stop = 1;
		return (-1);
	}

	if (ctx->via_probe) {
		if (pkt->type == EIO_PING && pkt->len == 5 &&
		    memcmp(pkt->data, "probe", 5) == 0) {
			ep_send(&s->probe, EIO_PONG, "probe", 5);
			s->upgrading = 1;
			pd_deadline_set(&misc_list, &s->misc_dl,
			    kore_time_ms() + cfg.upgrade_timeout);
			if (s->get.kind != EIO_EP_NONE) {
				struct eio_reply	r;

				reply_text(&r, "6");
				ep_reply(&s->get, &r);
			}
			return (0);
		}
		if (pkt->type == EIO_UPGRADE && s->upgrading) {
			upgrade_finish(s);
			return (0);
		}
		return (-1);
	}

	switch (pkt->type) {
	case EIO_PONG:
		pd_deadline_cancel(&s->pong_dl);
		pd_deadline_set(&ping_list, &s->ping_dl,
		    kore_time_ms() + cfg.ping_interval);
		return (0);
	case EIO_MESSAGE:
		s->hooks->message(s, pkt->data, pkt->len, 0);
		return (0);
	case EIO_BINARY:
		s->hooks->message(s, pkt->data, pkt->len, 1);
		return (0);
	case EIO_CLOSE:
		/* Node answers the GET that may still come with a noop. */
		s->close_noop = 1;
		session_close(s, "transport close", 1);
		ctx->stop = 1;
		return (-1);
	case EIO_NOOP:
		return (0);
	default:
		return (-1);
	}
}

static void
upgrade_abort(struct eio_session *s)
{
	s->upgrading = 0;
	if (s->probe.kind != EIO_EP_NONE)
		ep_close(&s->probe);
	if (s->state == EIO_S_OPEN)
		pd_deadline_cancel(&s->misc_dl);
}

static void
upgrade_finish(struct eio_session *s)
{
	struct eio_out		*o;
	struct eio_reply	 r;

	pd_deadline_cancel(&s->misc_dl);
	if (s->get.kind != EIO_EP_NONE) {
		reply_text(&r, "6");
		ep_reply(&s->get, &r);
	}
	s->transport = EIO_WEBSOCKET;
	s->ws = s->probe;
	memset(&s->probe, 0, sizeof(s->probe));
	s->upgrading = 0;
	while ((o = TAILQ_FIRST(&s->outq)) != NULL) {
		TAILQ_REMOVE(&s->outq, o, link);
		s->outq_bytes -= o->len;
		ep_send(&s->ws, o->type, o->data, o->len);
		free(o);
	}
}

static void
ping_fire(struct pd_deadline *d)
{
	struct eio_session	*s;

	s = (struct eio_session *)((char *)d -
	    offsetof(struct eio_session, ping_dl));
	pd_deadline_set(&pong_list, &s->pong_dl,
	    kore_time_ms() + cfg.ping_timeout);
	(void)eio_send(s, EIO_PING, NULL, 0);
}

static void
pong_fire(struct pd_deadline *d)
{
	struct eio_session	*s;

	s = (struct eio_session *)((char *)d -
	    offsetof(struct eio_session, pong_dl));
	eio_session_ref(s);
	session_close(s, "ping timeout", 0);
	eio_session_unref(s);
}

static void
misc_fire(struct pd_deadline *d)
{
	struct eio_session	*s;

	s = (struct eio_session *)((char *)d -
	    offsetof(struct eio_session, misc_dl));
	eio_session_ref(s);
	if (s->state == EIO_S_CLOSING)
		session_destroy(s);
	else if (s->upgrading || s->probe.kind != EIO_EP_NONE)
		upgrade_abort(s);
	eio_session_unref(s);
}
