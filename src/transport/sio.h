/*
 * sio: the Socket.IO v5 server on top of eio.
 *
 * Owns namespaces, sockets (one per engine session and namespace), acks,
 * binary attachments and rooms.  Room membership is kept per worker; a
 * room emit is encoded once, delivered to this worker's members and sent
 * to the other workers, which deliver to theirs, so every member gets it
 * exactly once whichever worker its session lives on.
 *
 * The application registers namespaces with callbacks and never sees
 * Engine.IO.  Payloads are passed as JSON text: an emit takes the whole
 * argument array, event name first (see sio_emit_event() for the usual
 * case of one object argument).
 */
#ifndef PD_TRANSPORT_SIO_H
#define PD_TRANSPORT_SIO_H

#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "transport/eio.h"
#include "transport/sio_codec.h"

#define SIO_ID_LEN		20
#define SIO_PID_MAX		64

/* What a namespace's connect callback answers. */
#define SIO_CONNECT_REFUSE	-1
#define SIO_CONNECT_OK		0
#define SIO_CONNECT_PENDING	1
#define SIO_MSG_ROOM		203

struct sio_socket;

struct sio_attachment {
	const uint8_t	*data;
	size_t		 len;
};

struct sio_connect_error {
	char		message[128];
	char		code[32];	/* data.code; empty: no data */
};

struct sio_namespace_ops {
	/*
	 * A CONNECT: `auth` is its payload (NULL when absent), and
	 * `authorization` the handshake's Authorization header or NULL.
	 * Return SIO_CONNECT_OK, SIO_CONNECT_REFUSE with `err`, or
	 * SIO_CONNECT_PENDING and answer later with sio_connect_accept() or
	 * sio_connect_refuse() (work to do first, e.g. a state recovery).
	 */
	int	(*connect)(struct sio_socket *, yajl_val auth,
		    const char *authorization, struct sio_connect_error *err);
	/* After the CONNECT reply went out. */
	void	(*connected)(struct sio_socket *);
	/*
	 * `args` is the whole array, name first; ack is -1 without one.  It
	 * is freed after the call, but for an element the handler took out
	 * of it (its slot set to NULL), which is then the handler's.
	 */
	void	(*event)(struct sio_socket *, const char *name, yajl_val args,
		    const struct sio_attachment *, int nattach, int64_t ack);
	/* Called once; the socket is freed when it returns. */
	void	(*disconnect)(struct sio_socket *, const char *reason);
};

struct sio_config {
	unsigned int	connect_timeout;	/* ms */
};

void	sio_init(const struct sio_config *);
void	sio_namespace(const char *nsp, const struct sio_namespace_ops *);

/* Emit to one socket: `json` is the argument array, name first. */
int	sio_emit(struct sio_socket *, const char *json, size_t len);
int	sio_emit_event(struct sio_socket *, const char *name,
	    const char *data_json, size_t len);
/* Acknowledge: `json` is the array of ack arguments. */
int	sio_ack(struct sio_socket *, int64_t ack, const char *json,
	    size_t len);
/* Emit or ack with binary attachments (placeholders already in json). */
int	sio_emit_binary(struct sio_socket *, enum sio_type, int64_t ack,
	    const char *json, size_t len, const struct sio_attachment *,
	    int nattach);

void	sio_join(struct sio_socket *, const char *room);
void	sio_leave(struct sio_socket *, const char *room);
int	sio_in_room(const struct sio_socket *, const char *room);
/*
 * Every member of `room` in namespace `nsp`, on every worker.  `offset`
 * (or NULL) is the connection state recovery offset, for the clients that
 * take one (the JS client; not python-socketio).  `note` (or NULL) is
 * opaque bytes for the layer above in the other workers: each hands it to
 * the hook of sio_room_note_hook() before it delivers the packet.
 */
#define SIO_NOTE_MAX	128
void	sio_room_emit(const char *nsp, const char *room, const char *json,
	    size_t len, const char *offset, const void *note,
	    size_t note_len);
void	sio_room_note_hook(void (*)(const void *, size_t));
/* Whether a socket's client takes recovery offsets. */
int	sio_socket_offsets(const struct sio_socket *);

/*
 * The answer to a pending CONNECT.  Room packets that arrived meanwhile
 * were held (the socket may already be in rooms); they go out before the
 * CONNECT reply, those that `keep` refuses dropped.
 */
void	sio_connect_accept(struct sio_socket *);
void	sio_connect_accept_held(struct sio_socket *,
	    int (*keep)(const char *packet, size_t len, void *), void *);
void	sio_connect_refuse(struct sio_socket *,
	    const struct sio_connect_error *);
int	sio_socket_pending(const struct sio_socket *);
/*
 * Connection state recovery (socket.io >= 4.6): a socket may take back
 * its old id before it is accepted, and announces a private session id
 * (pid) in the CONNECT reply when one is set.
 */
int	sio_socket_set_id(struct sio_socket *, const char *);
void	sio_socket_set_pid(struct sio_socket *, const char *);

/* Server-side disconnect; close_engine also ends the connection. */
void	sio_disconnect(struct sio_socket *, int close_engine);

struct sio_socket	*sio_socket_find(const char *id);
const char		*sio_socket_id(const struct sio_socket *);
const char		*sio_socket_nsp(const struct sio_socket *);
const char		*sio_socket_transport(const struct sio_socket *);
void			*sio_udata(const struct sio_socket *);
void			 sio_set_udata(struct sio_socket *, void *);

/* The eio hooks this layer provides, for eio_init(). */
extern const struct eio_hooks	sio_eio_hooks;

#endif
