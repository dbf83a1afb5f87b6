/*
 * eio: the Engine.IO v4 server on Kore.
 *
 * Owns sessions, their long-polling and WebSocket transports, the probe
 * upgrade, the server's pings, and the protocol's errors.  A session lives
 * on the worker that made its handshake; its sid names that worker.  A
 * request that lands on another worker is relayed to the owner over Kore
 * messages (see eio_relay.c), so that no packet is lost, duplicated or
 * reordered whichever worker a polling request or WebSocket reaches.
 *
 * The layer above (Socket.IO) sees a session through three hooks and
 * eio_send()/eio_close(); it never sees a Kore connection.
 */
#ifndef PD_TRANSPORT_EIO_H
#define PD_TRANSPORT_EIO_H

#include <stddef.h>
#include <stdint.h>

#include "transport/eio_codec.h"

struct http_request;
struct connection;
struct eio_session;

struct eio_config {
	unsigned int	ping_interval;		/* ms */
	unsigned int	ping_timeout;		/* ms */
	unsigned int	upgrade_timeout;	/* ms */
	size_t		max_payload;		/* bytes per POST or frame */
	size_t		max_queue;		/* unsent bytes before a drop */
};

struct eio_open_info {
	const char	*authorization;		/* the handshake's header */
	const char	*addr;			/* peer address, text */
	const char	*timestamp;		/* its "t" parameter, or "" */
};

struct eio_hooks {
	void	(*open)(struct eio_session *, const struct eio_open_info *);
	void	(*message)(struct eio_session *, const uint8_t *, size_t,
		    int binary);
	/* Called once; the session is gone when it returns. */
	void	(*close)(struct eio_session *, const char *reason);
};

/* Called from kore_worker_configure. */
void		 eio_init(const struct eio_config *);

/*
 * The route handler's body for an Engine.IO path (polling and WebSocket);
 * `hooks` is the layer that path serves.
 */
int		 eio_http(struct http_request *, const struct eio_hooks *);

/* Queues a message (EIO_MESSAGE) or binary message (EIO_BINARY). */
int		 eio_send(struct eio_session *, enum eio_type, const void *,
		    size_t);
/*
 * One message for many sessions (a room): encoded once, as the WebSocket
 * frame that carries it, and sent from that one buffer to every session
 * on a WebSocket of this worker; other sessions get eio_send().  The
 * frame is reference counted: release it when done sending, the sends
 * still queued keep it alive.
 */
struct eio_frame;
struct eio_frame *eio_frame_new(enum eio_type, const void *, size_t);
int		 eio_send_frame(struct eio_session *, struct eio_frame *);
void		 eio_frame_release(struct eio_frame *);

/* Closes from the server side; queued packets are still delivered. */
void		 eio_close(struct eio_session *, const char *reason);

const char	*eio_sid(const struct eio_session *);
const char	*eio_transport_name(const struct eio_session *);
void		*eio_udata(const struct eio_session *);
void		 eio_set_udata(struct eio_session *, void *);

/* Kore WebSocket callbacks, found by symbol name. */
void		 eio_ws_connect(struct connection *);
void		 eio_ws_message(struct connection *, uint8_t, const void *,
		    size_t);
void		 eio_ws_disconnect(struct connection *);

#endif
