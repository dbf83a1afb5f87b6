/*
 * eio_internal: what eio.c (sessions) and eio_relay.c (cross-worker
 * relay) share.  Nothing outside src/transport includes this.
 */
#ifndef PD_TRANSPORT_EIO_INTERNAL_H
#define PD_TRANSPORT_EIO_INTERNAL_H

#include <sys/queue.h>

#include "transport/deadline.h"
#include "transport/eio.h"

#define EIO_SID_LEN		20

/* Kore message ids (application ids start above KORE_MSG_APP_BASE). */
#define EIO_MSG_TO_OWNER	201
#define EIO_MSG_TO_EDGE		202

enum eio_transport {
	EIO_POLLING = 0,
	EIO_WEBSOCKET
};

enum eio_state {
	EIO_S_OPEN = 0,
	EIO_S_CLOSING,		/* waiting to hand the close to a GET */
	EIO_S_DEAD
};

/*
 * Where a parked GET or a WebSocket of a session is: a request or
 * connection on this worker, or a token on another worker (an "edge").
 */
enum eio_ep_kind {
	EIO_EP_NONE = 0,
	EIO_EP_LOCAL,
	EIO_EP_REMOTE
};

struct eio_ep {
	enum eio_ep_kind	 kind;
	struct http_request	*req;		/* LOCAL GET */
	struct connection	*c;		/* LOCAL WebSocket */
	uint16_t		 worker;	/* REMOTE */
	uint32_t		 token;		/* REMOTE */
};

struct eio_reqstate;

struct eio_out {
	TAILQ_ENTRY(eio_out)	 link;
	enum eio_type		 type;
	size_t			 len;
	uint8_t			 data[];
};

struct eio_session {
	char			 sid[EIO_SID_LEN + 1];
	enum eio_transport	 transport;
	enum eio_state		 state;
	int			 refs;
	int			 upgrading;	/* probe answered */
	int			 close_noop;	/* client asked to close */
	char			*close_reason;
	void			*udata;
	const struct eio_hooks	*hooks;

	struct eio_ep		 get;		/* parked polling GET */
	struct eio_ep		 ws;		/* active WebSocket */
	struct eio_ep		 probe;		/* WebSocket being upgraded */

	TAILQ_HEAD(, eio_out)	 outq;
	size_t			 outq_bytes;

	struct pd_deadline	 ping_dl;	/* next ping */
	struct pd_deadline	 pong_dl;	/* ping timeout */
	struct pd_deadline	 misc_dl;	/* upgrade or closing timeout */

	LIST_ENTRY(eio_session)	 hash;
};

/* The HTTP answer for a polling request, local or relayed. */
struct eio_reply {
	int		 status;
	const char	*ctype;
	const void	*body;
	size_t		 len;
};

extern const struct eio_config	*eio_cfg;

struct eio_session	*eio_session_find(const char *);
void			 eio_session_ref(struct eio_session *);
void			 eio_session_unref(struct eio_session *);
uint16_t		 eio_sid_owner(const char *);

/* Requests the owner handles, whoever received them. */
void	eio_owner_get(struct eio_session *, const struct eio_ep *);
void	eio_owner_post(struct eio_session *, const uint8_t *, size_t,
	    struct eio_reply *, struct pd_buf *);
int	eio_owner_probe(struct eio_session *, const struct eio_ep *,
	    struct eio_reply *);
void	eio_owner_ws_frame(struct eio_session *, const struct eio_ep *,
	    const uint8_t *, size_t, int binary);
void	eio_owner_ws_closed(struct eio_session *, const struct eio_ep *);
void	eio_owner_get_gone(struct eio_session *, const struct eio_ep *);

/* Answers an error in the protocol's JSON shape. */
void	eio_error_reply(struct eio_reply *, int code);

/* eio_relay.c */
void	eio_relay_init(void);
int	eio_relay_request(struct http_request *, const char *sid, int op);
void	eio_relay_reply(const struct eio_ep *, const struct eio_reply *);
void	eio_relay_ws_send(const struct eio_ep *, enum eio_type,
	    const void *, size_t);
void	eio_relay_ws_close(const struct eio_ep *);
void	eio_relay_ws_handshake(struct http_request *, struct eio_reqstate *);
int	eio_relay_ws_connect(struct connection *);
int	eio_relay_ws_message(struct connection *, uint8_t, const void *,
	    size_t);
int	eio_relay_ws_disconnect(struct connection *);

/* Relay operations, edge -> owner. */
#define EIO_OP_GET		1
#define EIO_OP_POST		2
#define EIO_OP_GET_GONE		3
#define EIO_OP_WS_CHECK		4
#define EIO_OP_WS_TEXT		5
#define EIO_OP_WS_BINARY	6
#define EIO_OP_WS_CLOSED	7
/* owner -> edge */
#define EIO_OP_REPLY		8
#define EIO_OP_SEND_TEXT	9
#define EIO_OP_SEND_BINARY	10
#define EIO_OP_CLOSE		11

#endif

/* State of a polling request parked here: our own, or relayed. */
struct eio_reqstate {
	struct eio_session	*s;		/* LOCAL GET: its session */
	int			 op;		/* EIO_OP_*, relayed requests */
	uint32_t		 token;		/* relayed requests */
	int			 done;
	int			 status;
	const char		*ctype;
	struct pd_buf		 body;
	int			 upgrade;	/* relayed WS check passed */
	int			 close_now;	/* ... but close at once */
	TAILQ_ENTRY(eio_reqstate) link;
	struct http_request	*req;
};

/* What Kore's c->hdlr_extra holds for one of our WebSockets. */
struct eio_wsconn {
	struct eio_session	*s;		/* local session, or NULL */
	const struct eio_hooks	*hooks;		/* for a new session */
	int			 edge;		/* relays to another worker */
	int			 close_now;	/* second WS of an upgrade */
	uint16_t		 owner;
	uint32_t		 token;
	char			 sid[EIO_SID_LEN + 1];
	char			*auth;		/* until the session opens */
	char			 addr[64];
	char			 t[32];		/* the "t" query parameter */
	struct connection	*c;		/* edge: our connection */
	struct connection	*conn;		/* closing: to force it */
	struct pd_deadline	 linger;	/* closing: the deadline */
	unsigned int		 sends;		/* for the backlog check */
	unsigned int		 frames;	/* read, for the turn budget */
	TAILQ_ENTRY(eio_wsconn)	 link;		/* edge: relay list */
};

void	eio_reply_write(struct http_request *, const struct eio_reply *);
void	eio_wakeup(struct http_request *);
void	eio_ws_close_conn(struct connection *);
/* A client past max_queue unsent bytes, to be dropped. */
int	eio_ws_backlogged(struct connection *);
void	eio_reqstate_free(struct http_request *);
