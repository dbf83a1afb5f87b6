/*
 * eio_relay: Engine.IO requests that reach a worker other than the
 * session's owner.
 *
 * The receiving worker (the "edge") parks the request, or keeps the
 * WebSocket, and forwards what the client sends to the owner in Kore
 * messages; the owner answers through the same channel.  Kore routes
 * worker messages through the parent in order, so a relayed session sees
 * its packets in the order the client sent them.
 *
 * Every message is a struct relay_hdr followed by `len` bytes of data.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "transport/eio_internal.h"

struct relay_hdr {
	uint8_t		op;
	uint8_t		close_now;
	uint16_t	status;
	uint16_t	src;
	uint32_t	token;
	char		sid[EIO_SID_LEN + 1];
	char		ctype[48];
	uint32_t	len;
};

static TAILQ_HEAD(, eio_reqstate)	requests =
    TAILQ_HEAD_INITIALIZER(requests);
static TAILQ_HEAD(, eio_wsconn)		sockets =
    TAILQ_HEAD_INITIALIZER(sockets);
static uint32_t				next_token = 1;
static struct pd_buf			msgbuf;

static void	relay_send(uint16_t, uint8_t, const struct relay_hdr *,
		    const void *, size_t);
static void	relay_to_owner(struct kore_msg *, const void *);
static void	relay_to_edge(struct kore_msg *, const void *);
static void	relay_reqstate_free(struct http_request *);
static void	owner_handle(const struct relay_hdr *, const uint8_t *);
static void	owner_accept_ws(const struct relay_hdr *, int);
static int	valid_message(const void *, size_t);
static void	edge_reply(const struct relay_hdr *, const uint8_t *);
static struct eio_wsconn *edge_socket(uint32_t);

void
eio_relay_init(void)
{
	pd_buf_init(&msgbuf, 0);
	(void)kore_msg_register(EIO_MSG_TO_OWNER, relay_to_owner);
	(void)kore_msg_register(EIO_MSG_TO_EDGE, relay_to_edge);
}

static void
relay_send(uint16_t dst, uint8_t id, const struct relay_hdr *h,
    const void *data, size_t len)
{
	struct relay_hdr	hdr = *h;

	hdr.src = worker->id;
	hdr.len = (uint32_t)len;
	pd_buf_reset(&msgbuf);
	if (pd_buf_append(&msgbuf, &hdr, sizeof(hdr)) == -1 ||
	    pd_buf_append(&msgbuf, data, len) == -1)
		return;
	kore_msg_send(dst, id, msgbuf.data, msgbuf.len);
}

static int
valid_message(const void *data, size_t len)
{
	const struct relay_hdr	*h = data;

	return (data != NULL && len >= sizeof(*h) &&
	    h->len == len - sizeof(*h) &&
	    memchr(h->sid, '\0', sizeof(h->sid)) != NULL);
}

/*
 * Edge side.
 */

int
eio_relay_request(struct http_request *req, const char *sid, int op)
{
	struct eio_reqstate	*st;
	struct eio_reply	 r;
	struct relay_hdr	 h;
	struct pd_buf		 body;
	uint16_t		 owner;
	uint8_t			 chunk[8192];
	ssize_t			 n;

	owner = eio_sid_owner(sid);
	if (owner == 0 || owner > worker_count - KORE_WORKER_BASE) {
		eio_error_reply(&r, 1);
		eio_reply_write(req, &r);
		return (KORE_RESULT_OK);
	}

	pd_buf_init(&body, eio_cfg->max_payload);
	if (op == EIO_OP_POST) {
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
	}

	st = http_state_create(req, sizeof(*st), relay_reqstate_free);
	st->req = req;
	st->op = op;
	st->token = next_token++;
	pd_buf_init(&st->body, 0);
	TAILQ_INSERT_TAIL(&requests, st, link);

	memset(&h, 0, sizeof(h));
	h.op = (uint8_t)op;
	h.token = st->token;
	(void)snprintf(h.sid, sizeof(h.sid), "%s", sid);
	relay_send(owner, EIO_MSG_TO_OWNER, &h, body.data, body.len);
	pd_buf_free(&body);

	http_request_sleep(req);
	return (KORE_RESULT_RETRY);
}

static void
relay_reqstate_free(struct http_request *req)
{
	struct eio_reqstate	*st;
	struct relay_hdr	 h;
	const char		*sid;
	char			 buf[EIO_SID_LEN + 1];

	if ((st = http_state_get(req)) == NULL)
		return;
	TAILQ_REMOVE(&requests, st, link);
	if (st->op == EIO_OP_GET && !st->done &&
	    req->query_string != NULL &&
	    (sid = strstr(req->query_string, "sid=")) != NULL) {
		/* The client left: the owner must not answer into the void. */
		(void)snprintf(buf, sizeof(buf), "%.*s", EIO_SID_LEN, sid + 4);
		memset(&h, 0, sizeof(h));
		h.op = EIO_OP_GET_GONE;
		h.token = st->token;
		(void)snprintf(h.sid, sizeof(h.sid), "%s", buf);
		relay_send(eio_sid_owner(buf), EIO_MSG_TO_OWNER, &h, NULL, 0);
	}
	pd_buf_free(&st->body);
}

static void
edge_reply(const struct relay_hdr *h, const uint8_t *data)
{
	struct eio_reqstate	*st;

	TAILQ_FOREACH(st, &requests, link) {
		if (st->token == h->token)
			break;
	}
	if (st == NULL || st->done)
		return;
	st->done = 1;
	st->status = h->status;
	/* Content types are a fixed set; keep a static string. */
	if (strcmp(h->ctype, "application/json") == 0)
		st->ctype = "application/json";
	else if (strcmp(h->ctype, "text/html") == 0)
		st->ctype = "text/html";
	else if (h->ctype[0] != '\0')
		st->ctype = "text/plain; charset=UTF-8";
	else
		st->ctype = NULL;
	if (st->op == EIO_OP_WS_CHECK && h->status ==
	    HTTP_STATUS_SWITCHING_PROTOCOLS) {
		st->upgrade = 1;
		st->close_now = h->close_now;
	} else if (pd_buf_append(&st->body, data, h->len) == -1) {
		st->status = HTTP_STATUS_INTERNAL_ERROR;
	}
	eio_wakeup(st->req);
}

void
eio_relay_ws_handshake(struct http_request *req, struct eio_reqstate *st)
{
	struct eio_wsconn	*wc;
	struct relay_hdr	 h;
	const char		*sid;

	wc = kore_calloc(1, sizeof(*wc));
	wc->edge = 1;
	wc->token = st->token;
	wc->close_now = st->close_now;
	if (req->query_string != NULL &&
	    (sid = strstr(req->query_string, "sid=")) != NULL)
		(void)snprintf(wc->sid, sizeof(wc->sid), "%.*s", EIO_SID_LEN,
		    sid + 4);
	wc->owner = eio_sid_owner(wc->sid);
	req->owner->hdlr_extra = wc;
	kore_websocket_handshake(req, "eio_ws_connect", "eio_ws_message",
	    "eio_ws_disconnect");

	if (req->owner->proto != CONN_PROTO_WEBSOCKET) {
		/* The handshake failed: the owner drops its probe. */
		memset(&h, 0, sizeof(h));
		h.op = EIO_OP_WS_CLOSED;
		h.token = wc->token;
		(void)snprintf(h.sid, sizeof(h.sid), "%s", wc->sid);
		relay_send(wc->owner, EIO_MSG_TO_OWNER, &h, NULL, 0);
		req->owner->hdlr_extra = NULL;
		kore_free(wc);
	}
}

int
eio_relay_ws_connect(struct connection *c)
{
	struct eio_wsconn	*wc = c->hdlr_extra;

	wc->c = c;
	TAILQ_INSERT_TAIL(&sockets, wc, link);
	if (wc->close_now)
		eio_ws_close_conn(c);
	return (0);
}

int
eio_relay_ws_message(struct connection *c, uint8_t op, const void *data,
    size_t len)
{
	struct eio_wsconn	*wc = c->hdlr_extra;
	struct relay_hdr	 h;

	if (wc->close_now)
		return (0);
	memset(&h, 0, sizeof(h));
	h.op = op == WEBSOCKET_OP_BINARY ? EIO_OP_WS_BINARY : EIO_OP_WS_TEXT;
	h.token = wc->token;
	(void)snprintf(h.sid, sizeof(h.sid), "%s", wc->sid);
	relay_send(wc->owner, EIO_MSG_TO_OWNER, &h, data, len);
	return (0);
}

int
eio_relay_ws_disconnect(struct connection *c)
{
	struct eio_wsconn	*wc = c->hdlr_extra;
	struct relay_hdr	 h;

	if (wc->c != NULL)
		TAILQ_REMOVE(&sockets, wc, link);
	wc->c = NULL;
	if (wc->close_now)
		return (0);
	memset(&h, 0, sizeof(h));
	h.op = EIO_OP_WS_CLOSED;
	h.token = wc->token;
	(void)snprintf(h.sid, sizeof(h.sid), "%s", wc->sid);
	relay_send(wc->owner, EIO_MSG_TO_OWNER, &h, NULL, 0);
	return (0);
}

static struct eio_wsconn *
edge_socket(uint32_t token)
{
	struct eio_wsconn	*wc;

	TAILQ_FOREACH(wc, &sockets, link) {
		if (wc->token == token)
			return (wc);
	}
	return (NULL);
}

static void
relay_to_edge(struct kore_msg *m, const void *data)
{
	const struct relay_hdr	*h = data;
	const uint8_t		*payload;
	struct eio_wsconn	*wc;

	if (!valid_message(data, m->length))
		return;
	payload = (const uint8_t *)data + sizeof(*h);

	switch (h->op) {
	case EIO_OP_REPLY:
		edge_reply(h, payload);
		break;
	case EIO_OP_SEND_TEXT:
	case EIO_OP_SEND_BINARY:
		if ((wc = edge_socket(h->token)) == NULL)
			break;
		if (eio_ws_backlogged(wc->c)) {
			/* Its disconnect tells the owner (WS_CLOSED). */
			kore_connection_disconnect(wc->c);
			break;
		}
		kore_websocket_send(wc->c, h->op == EIO_OP_SEND_TEXT ?
		    WEBSOCKET_OP_TEXT : WEBSOCKET_OP_BINARY, payload, h->len);
		break;
	case EIO_OP_CLOSE:
		if ((wc = edge_socket(h->token)) != NULL) {
			/* The owner knows already: no WS_CLOSED back. */
			wc->close_now = 1;
			eio_ws_close_conn(wc->c);
		}
		break;
	}
}

/*
 * Owner side.
 */

void
eio_relay_reply(const struct eio_ep *ep, const struct eio_reply *r)
{
	struct relay_hdr	h;

	memset(&h, 0, sizeof(h));
	h.op = EIO_OP_REPLY;
	h.token = ep->token;
	h.status = (uint16_t)r->status;
	if (r->ctype != NULL)
		(void)snprintf(h.ctype, sizeof(h.ctype), "%s", r->ctype);
	relay_send(ep->worker, EIO_MSG_TO_EDGE, &h, r->body, r->len);
}

void
eio_relay_ws_send(const struct eio_ep *ep, enum eio_type type,
    const void *data, size_t len)
{
	struct relay_hdr	h;
	struct pd_buf		frame;

	memset(&h, 0, sizeof(h));
	h.token = ep->token;
	if (type == EIO_BINARY) {
		h.op = EIO_OP_SEND_BINARY;
		relay_send(ep->worker, EIO_MSG_TO_EDGE, &h, data, len);
		return;
	}
	h.op = EIO_OP_SEND_TEXT;
	pd_buf_init(&frame, 0);
	if (pd_buf_appendc(&frame, '0' + (int)type) == 0 &&
	    pd_buf_append(&frame, data, len) == 0)
		relay_send(ep->worker, EIO_MSG_TO_EDGE, &h, frame.data,
		    frame.len);
	pd_buf_free(&frame);
}

void
eio_relay_ws_close(const struct eio_ep *ep)
{
	struct relay_hdr	h;

	memset(&h, 0, sizeof(h));
	h.op = EIO_OP_CLOSE;
	h.token = ep->token;
	relay_send(ep->worker, EIO_MSG_TO_EDGE, &h, NULL, 0);
}

static void
relay_to_owner(struct kore_msg *m, const void *data)
{
	if (!valid_message(data, m->length))
		return;
	owner_handle(data, (const uint8_t *)data + sizeof(struct relay_hdr));
}

/* Tells the edge to complete its WebSocket handshake. */
static void
owner_accept_ws(const struct relay_hdr *req, int close_now)
{
	struct relay_hdr	h;

	memset(&h, 0, sizeof(h));
	h.op = EIO_OP_REPLY;
	h.token = req->token;
	h.status = HTTP_STATUS_SWITCHING_PROTOCOLS;
	h.close_now = (uint8_t)close_now;
	relay_send(req->src, EIO_MSG_TO_EDGE, &h, NULL, 0);
}

static void
owner_handle(const struct relay_hdr *h, const uint8_t *payload)
{
	struct eio_session	*s;
	struct eio_reply	 r;
	struct eio_ep		 ep;
	struct pd_buf		 out;
	int			 rc;

	memset(&ep, 0, sizeof(ep));
	ep.kind = EIO_EP_REMOTE;
	ep.worker = h->src;
	ep.token = h->token;

	if ((s = eio_session_find(h->sid)) == NULL) {
		if (h->op == EIO_OP_GET || h->op == EIO_OP_POST ||
		    h->op == EIO_OP_WS_CHECK) {
			eio_error_reply(&r, 1);
			eio_relay_reply(&ep, &r);
		} else if (h->op == EIO_OP_WS_TEXT ||
		    h->op == EIO_OP_WS_BINARY) {
			eio_relay_ws_close(&ep);
		}
		return;
	}

	eio_session_ref(s);
	switch (h->op) {
	case EIO_OP_GET:
		eio_owner_get(s, &ep);
		break;
	case EIO_OP_POST:
		pd_buf_init(&out, 0);
		eio_owner_post(s, payload, h->len, &r, &out);
		eio_relay_reply(&ep, &r);
		pd_buf_free(&out);
		break;
	case EIO_OP_GET_GONE:
		eio_owner_get_gone(s, &ep);
		break;
	case EIO_OP_WS_CHECK:
		rc = eio_owner_probe(s, &ep, &r);
		if (rc == -1) {
			eio_relay_reply(&ep, &r);
			break;
		}
		owner_accept_ws(h, rc == 1);
		break;
	case EIO_OP_WS_TEXT:
	case EIO_OP_WS_BINARY:
		eio_owner_ws_frame(s, &ep, payload, h->len,
		    h->op == EIO_OP_WS_BINARY);
		break;
	case EIO_OP_WS_CLOSED:
		eio_owner_ws_closed(s, &ep);
		break;
	}
	eio_session_unref(s);
}
