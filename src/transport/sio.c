/*
 * sio: Socket.IO v5 on eio, see sio.h.
 *
 * A client is one engine session; it holds the sockets of the namespaces
 * it connected, the packet being completed by binary attachments, and
 * the connect timeout.  A packet the decoder refuses closes the whole
 * engine session, as socket.io does.
 */
#include <kore/kore.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "transport/deadline.h"
#include "transport/eio.h"
#include "transport/sio.h"
#include "util/hash.h"
#include "util/jsonutil.h"

#define SOCKET_BUCKETS		4096
#define ROOM_BUCKETS		4096

struct sio_namespace {
	char				 name[SIO_NSP_MAX];
	const struct sio_namespace_ops	*ops;
	TAILQ_ENTRY(sio_namespace)	 link;
};

struct sio_client {
	struct eio_session		*eio;
	int				 refs;
	int				 dead;
	int				 offsets;	/* takes recovery offsets */
	char				*authorization;
	TAILQ_HEAD(, sio_socket)	 sockets;
	struct pd_deadline		 connect_dl;

	/* A binary packet waiting for its attachments. */
	struct sio_packet		 pending;
	int				 have_pending;
	int				 nattach;
	struct pd_buf			 attach[SIO_MAX_ATTACHMENTS];
};

struct sio_member {
	struct sio_room			*room;
	struct sio_socket		*sock;
	TAILQ_ENTRY(sio_member)		 room_link;
	TAILQ_ENTRY(sio_member)		 sock_link;
};

struct sio_room {
	char				*name;	/* "<nsp>\n<room>" */
	TAILQ_HEAD(, sio_member)	 members;
	size_t				 count;
	LIST_ENTRY(sio_room)		 hash;
};

/* A room packet held for a socket whose CONNECT is not answered yet. */
struct sio_held {
	TAILQ_ENTRY(sio_held)		 link;
	size_t				 len;
	char				 data[];
};

struct sio_socket {
	char				 id[SIO_ID_LEN + 1];
	char				 pid[SIO_PID_MAX];
	int				 pending;	/* CONNECT not answered */
	TAILQ_HEAD(, sio_held)		 held;
	struct sio_client		*client;
	struct sio_namespace		*nsp;
	void				*udata;
	TAILQ_HEAD(, sio_member)	 rooms;
	TAILQ_ENTRY(sio_socket)		 link;
	LIST_ENTRY(sio_socket)		 hash;
};

#define ROOM_KEY_MAX	512		/* "nsp\nroom"; rooms are short */
#define ROOM_OUT_MAX	(64 * 1024)	/* bytes held for the other workers */

/* A room event between workers: the header, the key, the note, the packet. */
struct room_msg_hdr {
	uint16_t	key_len;
	uint16_t	note_len;
	uint32_t	packet_len;
	uint32_t	short_len;	/* the packet without its offset */
};

static void	client_open(struct eio_session *, const struct eio_open_info *);
static void	client_message(struct eio_session *, const uint8_t *, size_t,
		    int);
static void	client_close(struct eio_session *, const char *);
static void	client_unref(struct sio_client *);
static void	client_protocol_error(struct sio_client *, const char *);
static void	client_packet(struct sio_client *, struct sio_packet *,
		    const struct sio_attachment *, int);
static void	client_connect(struct sio_client *, struct sio_packet *);
static void	pending_clear(struct sio_client *);
static void	connect_fire(struct pd_deadline *);
static struct sio_namespace *namespace_find(const char *);
static struct sio_socket *socket_find_nsp(struct sio_client *, const char *);
static struct sio_socket *socket_new(struct sio_client *,
		    struct sio_namespace *);
static void	socket_free(struct sio_socket *, const char *);
static int	socket_send(struct sio_socket *, enum sio_type, int64_t,
		    const char *, size_t, const struct sio_attachment *, int);
static void	socket_hold(struct sio_socket *, const char *, size_t);
static void	room_key(struct pd_buf *, const char *, const char *);
static struct sio_room *room_find(const char *, int);
static void	room_deliver(const char *, const char *, size_t, size_t);
static int	room_out_add(const struct pd_buf *, const void *, size_t,
		    const struct pd_buf *, size_t);
static void	room_out_flush(void *, u_int64_t);
static void	room_out_send(void);
static void	room_record(const uint8_t *, const struct room_msg_hdr *);
static void	room_msg(struct kore_msg *, const void *);

const struct eio_hooks sio_eio_hooks = {
	client_open,
	client_message,
	client_close
};

static struct sio_config			 cfg;
static TAILQ_HEAD(, sio_namespace)		 namespaces =
    TAILQ_HEAD_INITIALIZER(namespaces);
static LIST_HEAD(, sio_socket)			 socket_table[SOCKET_BUCKETS];
static LIST_HEAD(, sio_room)			 room_table[ROOM_BUCKETS];
static struct pd_deadline_list			 connect_list;
static struct pd_buf				 out;
/* Takes the note of a room event from another worker. */
static void					(*note_hook)(const void *, size_t);
/*
 * Room events for the other workers, sent as one Kore message when the
 * event loop's turn ends: a group commit's answers make many room events
 * at once, and every message crosses Kore's parent.
 */
static struct pd_buf				 room_out;
static int					 room_out_armed;

void
sio_init(const struct sio_config *c)
{
	size_t		i;

	cfg = *c;
	for (i = 0; i < SOCKET_BUCKETS; i++)
		LIST_INIT(&socket_table[i]);
	for (i = 0; i < ROOM_BUCKETS; i++)
		LIST_INIT(&room_table[i]);
	pd_deadline_list_init(&connect_list, connect_fire);
	pd_buf_init(&out, 0);
	pd_buf_init(&room_out, 0);
	(void)kore_msg_register(SIO_MSG_ROOM, room_msg);
}

void
sio_namespace(const char *name, const struct sio_namespace_ops *ops)
{
	struct sio_namespace	*n;

	n = kore_calloc(1, sizeof(*n));
	(void)snprintf(n->name, sizeof(n->name), "%s", name);
	n->ops = ops;
	TAILQ_INSERT_TAIL(&namespaces, n, link);
}

static struct sio_namespace *
namespace_find(const char *name)
{
	struct sio_namespace	*n;

	TAILQ_FOREACH(n, &namespaces, link) {
		if (strcmp(n->name, name) == 0)
			return (n);
	}
	return (NULL);
}

/*
 * Engine hooks.
 */

static void
client_open(struct eio_session *eio, const struct eio_open_info *info)
{
	struct sio_client	*c;
	int			 i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("sio: out of memory");
	c->eio = eio;
	c->refs = 1;
	/*
	 * Recovery offsets travel as an extra last argument, which the JS
	 * client expects and python-socketio hands to its handlers as one
	 * argument too many.  python-engineio stamps its requests with a
	 * float time, the JS client with a yeast id: that tells them apart.
	 */
	c->offsets = info->timestamp == NULL ||
	    strchr(info->timestamp, '.') == NULL;
	if (info->authorization != NULL)
		c->authorization = strdup(info->authorization);
	TAILQ_INIT(&c->sockets);
	for (i = 0; i < SIO_MAX_ATTACHMENTS; i++)
		pd_buf_init(&c->attach[i], 0);
	eio_set_udata(eio, c);
	pd_deadline_set(&connect_list, &c->connect_dl,
	    kore_time_ms() + cfg.connect_timeout);
}

static void
client_unref(struct sio_client *c)
{
	int	i;

	if (--c->refs > 0)
		return;
	pending_clear(c);
	for (i = 0; i < SIO_MAX_ATTACHMENTS; i++)
		pd_buf_free(&c->attach[i]);
	free(c->authorization);
	free(c);
}

static void
client_close(struct eio_session *eio, const char *reason)
{
	struct sio_client	*c = eio_udata(eio);
	struct sio_socket	*sock;

	if (c == NULL)
		return;
	c->dead = 1;
	pd_deadline_cancel(&c->connect_dl);
	while ((sock = TAILQ_FIRST(&c->sockets)) != NULL)
		socket_free(sock, reason);
	eio_set_udata(eio, NULL);
	client_unref(c);
}

static void
connect_fire(struct pd_deadline *d)
{
	struct sio_client	*c;

	c = (struct sio_client *)((char *)d -
	    offsetof(struct sio_client, connect_dl));
	if (TAILQ_EMPTY(&c->sockets))
		eio_close(c->eio, "connect timeout");
}

static void
client_protocol_error(struct sio_client *c, const char *why)
{
	kore_log(LOG_NOTICE, "socket.io: closing %s: %s", eio_sid(c->eio),
	    why);
	eio_close(c->eio, "parse error");
}

static void
pending_clear(struct sio_client *c)
{
	if (c->have_pending)
		sio_packet_clear(&c->pending);
	c->have_pending = 0;
	c->nattach = 0;
}

static void
client_message(struct eio_session *eio, const uint8_t *data, size_t len,
    int binary)
{
	struct sio_client	*c = eio_udata(eio);
	struct sio_attachment	 att[SIO_MAX_ATTACHMENTS];
	struct sio_packet	 pkt;
	const char		*why;
	int			 i;

	if (c == NULL || c->dead)
		return;
	c->refs++;

	if (binary) {
		if (!c->have_pending) {
			client_protocol_error(c, "unexpected binary message");
			goto out;
		}
		pd_buf_reset(&c->attach[c->nattach]);
		if (pd_buf_append(&c->attach[c->nattach], data, len) == -1) {
			client_protocol_error(c, "attachment too large");
			goto out;
		}
		if (++c->nattach < c->pending.attachments)
			goto out;
		for (i = 0; i < c->nattach; i++) {
			att[i].data = c->attach[i].data;
			att[i].len = c->attach[i].len;
		}
		pkt = c->pending;
		c->have_pending = 0;
		client_packet(c, &pkt, att, c->nattach);
		c->nattach = 0;
		sio_packet_clear(&pkt);
		goto out;
	}

	if (c->have_pending) {
		client_protocol_error(c, "text while awaiting attachments");
		goto out;
	}
	if (sio_packet_decode(data, len, &pkt, &why) == -1) {
		client_protocol_error(c, why);
		goto out;
	}
	if (pkt.attachments > 0) {
		c->pending = pkt;
		c->have_pending = 1;
		c->nattach = 0;
		goto out;
	}
	client_packet(c, &pkt, NULL, 0);
	sio_packet_clear(&pkt);
out:
	client_unref(c);
}

static void
client_packet(struct sio_client *c, struct sio_packet *pkt,
    const struct sio_attachment *att, int natt)
{
	struct sio_socket	*sock;
	yajl_val		 first;
	char			 name[64];

	if (pkt->type == SIO_CONNECT) {
		client_connect(c, pkt);
		return;
	}
	if ((sock = socket_find_nsp(c, pkt->nsp)) == NULL) {
		client_protocol_error(c, "packet for an unconnected namespace");
		return;
	}
	if (sock->pending)
		return;

	switch (pkt->type) {
	case SIO_DISCONNECT:
		socket_free(sock, "client namespace disconnect");
		break;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		first = pkt->data->u.array.values[0];
		if (YAJL_IS_STRING(first))
			(void)snprintf(name, sizeof(name), "%s",
			    YAJL_GET_STRING(first));
		else
			(void)snprintf(name, sizeof(name), "%s",
			    first->u.number.r);
		sock->nsp->ops->event(sock, name, pkt->data, att, natt,
		    pkt->ack_id);
		break;
	case SIO_ACK:
	case SIO_BINARY_ACK:
		/* The server asks for no acks; nothing is waiting. */
		break;
	default:
		client_protocol_error(c, "unexpected packet type");
		break;
	}
}

static void
client_connect(struct sio_client *c, struct sio_packet *pkt)
{
	struct sio_namespace		*n;
	struct sio_socket		*sock;
	struct sio_connect_error	 err;

	pd_buf_reset(&out);
	if ((n = namespace_find(pkt->nsp)) == NULL) {
		if (sio_header_encode(&out, SIO_CONNECT_ERROR, pkt->nsp, 0,
		    -1) == 0 &&
		    pd_buf_appends(&out, "{\"message\":\"Invalid namespace\"}")
		    == 0)
			(void)eio_send(c->eio, EIO_MESSAGE, out.data, out.len);
		return;
	}
	if (socket_find_nsp(c, pkt->nsp) != NULL)
		return;

	sock = socket_new(c, n);
	memset(&err, 0, sizeof(err));
	switch (n->ops->connect(sock, pkt->data, c->authorization, &err)) {
	case SIO_CONNECT_OK:
		sio_connect_accept(sock);
		break;
	case SIO_CONNECT_PENDING:
		/* The application answers later, or the client goes. */
		sock->pending = 1;
		break;
	default:
		sio_connect_refuse(sock, &err);
		break;
	}
}

/*
 * Room packets that reach a socket still being recovered wait here; the
 * application decides on acceptance which of them its replay already
 * covered.
 */
static void
socket_hold(struct sio_socket *s, const char *packet, size_t len)
{
	struct sio_held	*h;

	if ((h = malloc(sizeof(*h) + len)) == NULL)
		return;
	h->len = len;
	memcpy(h->data, packet, len);
	TAILQ_INSERT_TAIL(&s->held, h, link);
}

void
sio_connect_accept(struct sio_socket *sock)
{
	sio_connect_accept_held(sock, NULL, NULL);
}

void
sio_connect_accept_held(struct sio_socket *sock,
    int (*keep)(const char *, size_t, void *), void *arg)
{
	struct sio_client	*c = sock->client;
	struct sio_held		*h;

	while ((h = TAILQ_FIRST(&sock->held)) != NULL) {
		TAILQ_REMOVE(&sock->held, h, link);
		if (keep == NULL || keep(h->data, h->len, arg))
			(void)eio_send(c->eio, EIO_MESSAGE, h->data, h->len);
		free(h);
	}
	sock->pending = 0;
	pd_deadline_cancel(&c->connect_dl);
	pd_buf_reset(&out);
	if (sio_header_encode(&out, SIO_CONNECT, sio_socket_nsp(sock), 0,
	    -1) == 0 && pd_buf_appendf(&out, "{\"sid\":\"%s\"", sock->id) == 0 &&
	    (sock->pid[0] == '\0' || pd_buf_appendf(&out, ",\"pid\":\"%s\"",
	    sock->pid) == 0) && pd_buf_appendc(&out, '}') == 0)
		(void)eio_send(c->eio, EIO_MESSAGE, out.data, out.len);
	sock->nsp->ops->connected(sock);
}

void
sio_connect_refuse(struct sio_socket *sock, const struct sio_connect_error *err)
{
	struct sio_client	*c = sock->client;

	pd_buf_reset(&out);
	if (sio_header_encode(&out, SIO_CONNECT_ERROR, sio_socket_nsp(sock), 0,
	    -1) == 0 && pd_buf_appends(&out, "{\"message\":") == 0 &&
	    json_append_string(&out, err->message,
	    strlen(err->message)) == 0) {
		if (err->code[0] != '\0') {
			(void)pd_buf_appends(&out, ",\"data\":{\"code\":");
			(void)json_append_string(&out, err->code,
			    strlen(err->code));
			(void)pd_buf_appendc(&out, '}');
		}
		if (pd_buf_appendc(&out, '}') == 0)
			(void)eio_send(c->eio, EIO_MESSAGE, out.data, out.len);
	}
	/* Refused before it existed: no disconnect callback. */
	sock->nsp = NULL;
	socket_free(sock, NULL);
}

int
sio_socket_set_id(struct sio_socket *s, const char *id)
{
	if (strlen(id) != SIO_ID_LEN || sio_socket_find(id) != NULL)
		return (-1);
	LIST_REMOVE(s, hash);
	(void)snprintf(s->id, sizeof(s->id), "%s", id);
	LIST_INSERT_HEAD(&socket_table[pd_hash_str(s->id) % SOCKET_BUCKETS], s,
	    hash);
	return (0);
}

void
sio_socket_set_pid(struct sio_socket *s, const char *pid)
{
	(void)snprintf(s->pid, sizeof(s->pid), "%s", pid);
}

int
sio_socket_pending(const struct sio_socket *s)
{
	return (s->pending);
}

/*
 * Sockets.
 */

static struct sio_socket *
socket_find_nsp(struct sio_client *c, const char *nsp)
{
	struct sio_socket	*s;

	TAILQ_FOREACH(s, &c->sockets, link) {
		if (s->nsp != NULL && strcmp(s->nsp->name, nsp) == 0)
			return (s);
	}
	return (NULL);
}

static struct sio_socket *
socket_new(struct sio_client *c, struct sio_namespace *n)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	struct sio_socket	*s;
	uint8_t			 rnd[SIO_ID_LEN];
	int			 i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("sio: out of memory");
	do {
		randombytes_buf(rnd, sizeof(rnd));
		for (i = 0; i < SIO_ID_LEN; i++)
			s->id[i] = alphabet[rnd[i] & 63];
		s->id[SIO_ID_LEN] = '\0';
	} while (sio_socket_find(s->id) != NULL);
	s->client = c;
	s->nsp = n;
	TAILQ_INIT(&s->rooms);
	TAILQ_INIT(&s->held);
	TAILQ_INSERT_TAIL(&c->sockets, s, link);
	LIST_INSERT_HEAD(&socket_table[pd_hash_str(s->id) % SOCKET_BUCKETS], s,
	    hash);
	return (s);
}

/* `reason` NULL: the socket never connected, so no callback. */
static void
socket_free(struct sio_socket *s, const char *reason)
{
	struct sio_member	*m;
	struct sio_held		*h;

	if (reason != NULL && s->nsp != NULL)
		s->nsp->ops->disconnect(s, reason);
	while ((h = TAILQ_FIRST(&s->held)) != NULL) {
		TAILQ_REMOVE(&s->held, h, link);
		free(h);
	}
	while ((m = TAILQ_FIRST(&s->rooms)) != NULL)
		sio_leave(s, strchr(m->room->name, '\n') + 1);
	TAILQ_REMOVE(&s->client->sockets, s, link);
	LIST_REMOVE(s, hash);
	free(s);
}

struct sio_socket *
sio_socket_find(const char *id)
{
	struct sio_socket	*s;

	LIST_FOREACH(s, &socket_table[pd_hash_str(id) % SOCKET_BUCKETS], hash) {
		if (strcmp(s->id, id) == 0)
			return (s);
	}
	return (NULL);
}

const char *
sio_socket_id(const struct sio_socket *s)
{
	return (s->id);
}

const char *
sio_socket_nsp(const struct sio_socket *s)
{
	return (s->nsp != NULL ? s->nsp->name : "/");
}

const char *
sio_socket_transport(const struct sio_socket *s)
{
	return (eio_transport_name(s->client->eio));
}

void *
sio_udata(const struct sio_socket *s)
{
	return (s->udata);
}

void
sio_set_udata(struct sio_socket *s, void *udata)
{
	s->udata = udata;
}

int
sio_socket_offsets(const struct sio_socket *s)
{
	return (s->client->offsets);
}


static int
socket_send(struct sio_socket *s, enum sio_type type, int64_t ack,
    const char *json, size_t len, const struct sio_attachment *att,
    int natt)
{
	int	i;

	if (s->client->dead)
		return (-1);
	pd_buf_reset(&out);
	if (sio_header_encode(&out, type, sio_socket_nsp(s), natt, ack) == -1 ||
	    pd_buf_append(&out, json, len) == -1)
		return (-1);
	if (eio_send(s->client->eio, EIO_MESSAGE, out.data, out.len) == -1)
		return (-1);
	for (i = 0; i < natt; i++) {
		if (eio_send(s->client->eio, EIO_BINARY, att[i].data,
		    att[i].len) == -1)
			return (-1);
	}
	return (0);
}

int
sio_emit(struct sio_socket *s, const char *json, size_t len)
{
	return (socket_send(s, SIO_EVENT, -1, json, len, NULL, 0));
}

int
sio_emit_event(struct sio_socket *s, const char *name, const char *data,
    size_t len)
{
	struct pd_buf	b;
	int		rc;

	pd_buf_init(&b, 0);
	rc = -1;
	if (pd_buf_appendc(&b, '[') == 0 &&
	    json_append_string(&b, name, strlen(name)) == 0 &&
	    (len == 0 || (pd_buf_appendc(&b, ',') == 0 &&
	    pd_buf_append(&b, data, len) == 0)) &&
	    pd_buf_appendc(&b, ']') == 0)
		rc = sio_emit(s, (const char *)b.data, b.len);
	pd_buf_free(&b);
	return (rc);
}

int
sio_ack(struct sio_socket *s, int64_t ack, const char *json, size_t len)
{
	if (ack < 0)
		return (0);
	return (socket_send(s, SIO_ACK, ack, json, len, NULL, 0));
}

int
sio_emit_binary(struct sio_socket *s, enum sio_type type, int64_t ack,
    const char *json, size_t len, const struct sio_attachment *att,
    int natt)
{
	return (socket_send(s, type, ack, json, len, att, natt));
}

void
sio_disconnect(struct sio_socket *s, int close_engine)
{
	struct sio_client	*c = s->client;

	if (c->dead)
		return;
	pd_buf_reset(&out);
	if (sio_header_encode(&out, SIO_DISCONNECT, sio_socket_nsp(s), 0,
	    -1) == 0)
		(void)eio_send(c->eio, EIO_MESSAGE, out.data, out.len);
	c->refs++;
	socket_free(s, "server namespace disconnect");
	if (close_engine && !c->dead)
		eio_close(c->eio, "forced close");
	client_unref(c);
}

/*
 * Rooms.
 */

static void
room_key(struct pd_buf *b, const char *nsp, const char *room)
{
	pd_buf_reset(b);
	(void)pd_buf_appendf(b, "%s\n%s", nsp, room);
	(void)pd_buf_cstr(b);
}

static struct sio_room *
room_find(const char *key, int create)
{
	struct sio_room		*r;
	unsigned int		 h;

	h = pd_hash_str(key) % ROOM_BUCKETS;
	LIST_FOREACH(r, &room_table[h], hash) {
		if (strcmp(r->name, key) == 0)
			return (r);
	}
	if (!create)
		return (NULL);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->name = strdup(key)) == NULL)
		fatal("sio: out of memory");
	TAILQ_INIT(&r->members);
	LIST_INSERT_HEAD(&room_table[h], r, hash);
	return (r);
}

int
sio_in_room(const struct sio_socket *s, const char *room)
{
	struct sio_member	*m;
	const char		*name;

	TAILQ_FOREACH(m, &s->rooms, sock_link) {
		name = strchr(m->room->name, '\n') + 1;
		if (strcmp(name, room) == 0)
			return (1);
	}
	return (0);
}

void
sio_join(struct sio_socket *s, const char *room)
{
	struct sio_member	*m;
	struct pd_buf		 key;

	if (sio_in_room(s, room))
		return;
	pd_buf_init(&key, 0);
	room_key(&key, sio_socket_nsp(s), room);
	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("sio: out of memory");
	m->room = room_find((const char *)key.data, 1);
	m->sock = s;
	TAILQ_INSERT_TAIL(&m->room->members, m, room_link);
	TAILQ_INSERT_TAIL(&s->rooms, m, sock_link);
	m->room->count++;
	pd_buf_free(&key);
}

void
sio_leave(struct sio_socket *s, const char *room)
{
	struct sio_member	*m;
	struct sio_room		*r;

	TAILQ_FOREACH(m, &s->rooms, sock_link) {
		if (strcmp(strchr(m->room->name, '\n') + 1, room) == 0)
			break;
	}
	if (m == NULL)
		return;
	r = m->room;
	TAILQ_REMOVE(&r->members, m, room_link);
	TAILQ_REMOVE(&s->rooms, m, sock_link);
	free(m);
	if (--r->count == 0) {
		LIST_REMOVE(r, hash);
		free(r->name);
		free(r);
	}
}


/*
 * Sends an encoded packet to this worker's members of room `key`.  With
 * an offset, `len` is the packet with it and `short_len` without it (the
 * packet then ends "...,\"<offset>\"]" and its short form is rebuilt).
 */
static void
room_deliver(const char *key, const char *packet, size_t len,
    size_t short_len)
{
	struct sio_room		*r;
	struct sio_member	*m, *next;
	struct eio_frame	*full, *bare, *f;
	struct pd_buf		 b;
	const char		*p;
	size_t			 n;

	if ((r = room_find(key, 0)) == NULL)
		return;
	/* Encoded once for all members; "bare" leaves the offset out. */
	pd_buf_init(&b, 0);
	if (short_len < len && (pd_buf_append(&b, packet, short_len) == -1 ||
	    pd_buf_appendc(&b, ']') == -1))
		short_len = len;
	full = eio_frame_new(EIO_MESSAGE, packet, len);
	bare = short_len < len ? eio_frame_new(EIO_MESSAGE, b.data, b.len) :
	    NULL;
	for (m = TAILQ_FIRST(&r->members); m != NULL; m = next) {
		next = TAILQ_NEXT(m, room_link);
		p = packet;
		n = len;
		f = full;
		if (short_len < len && !m->sock->client->offsets) {
			p = (const char *)b.data;
			n = b.len;
			f = bare;
		}
		if (m->sock->pending)
			socket_hold(m->sock, p, n);
		else if (f != NULL)
			(void)eio_send_frame(m->sock->client->eio, f);
		else
			(void)eio_send(m->sock->client->eio, EIO_MESSAGE, p, n);
	}
	eio_frame_release(full);
	eio_frame_release(bare);
	pd_buf_free(&b);
}

void
sio_room_note_hook(void (*hook)(const void *, size_t))
{
	note_hook = hook;
}

void
sio_room_emit(const char *nsp, const char *room, const char *json,
    size_t len, const char *offset, const void *note, size_t note_len)
{
	struct pd_buf		 key, packet;
	size_t			 short_len;

	pd_buf_init(&key, 0);
	pd_buf_init(&packet, 0);
	room_key(&key, nsp, room);
	if (len < 2 || json[len - 1] != ']' ||
	    sio_header_encode(&packet, SIO_EVENT, nsp, 0, -1) == -1 ||
	    pd_buf_append(&packet, json, len - 1) == -1)
		goto out;
	short_len = packet.len;
	if (offset != NULL && (pd_buf_appendc(&packet, ',') == -1 ||
	    json_append_string(&packet, offset, strlen(offset)) == -1))
		goto out;
	if (pd_buf_appendc(&packet, ']') == -1)
		goto out;
	if (offset == NULL)
		short_len = packet.len;

	room_deliver((const char *)key.data, (const char *)packet.data,
	    packet.len, short_len);

	if (worker_count - KORE_WORKER_BASE > 1 &&
	    room_out_add(&key, note, note_len, &packet, short_len) == 0 &&
	    !room_out_armed) {
		/* A 0 ms timer runs once the turn's events are handled. */
		(void)kore_timer_add(room_out_flush, 0, NULL,
		    KORE_TIMER_ONESHOT);
		room_out_armed = 1;
	}
out:
	pd_buf_free(&key);
	pd_buf_free(&packet);
}

/* Appends one record for the other workers; all of it or nothing. */
static int
room_out_add(const struct pd_buf *key, const void *note, size_t note_len,
    const struct pd_buf *packet, size_t short_len)
{
	struct room_msg_hdr	h;
	size_t			mark;

	if (note_len > SIO_NOTE_MAX)
		note_len = 0;
	memset(&h, 0, sizeof(h));
	h.key_len = (uint16_t)key->len;
	h.note_len = (uint16_t)note_len;
	h.packet_len = (uint32_t)packet->len;
	h.short_len = (uint32_t)short_len;
	mark = room_out.len;
	if (key->len >= ROOM_KEY_MAX ||
	    pd_buf_append(&room_out, &h, sizeof(h)) == -1 ||
	    pd_buf_append(&room_out, key->data, key->len) == -1 ||
	    (note_len > 0 &&
	    pd_buf_append(&room_out, note, note_len) == -1) ||
	    pd_buf_append(&room_out, packet->data, packet->len) == -1) {
		room_out.len = mark;
		return (-1);
	}
	if (room_out.len >= ROOM_OUT_MAX)
		room_out_send();
	return (0);
}

static void
room_out_flush(void *arg, u_int64_t now)
{
	room_out_armed = 0;
	room_out_send();
}

static void
room_out_send(void)
{
	u_int16_t	id, nworkers;

	if (room_out.len == 0)
		return;
	nworkers = worker_count - KORE_WORKER_BASE;
	for (id = 1; id <= nworkers; id++) {
		if (id != worker->id)
			kore_msg_send(id, SIO_MSG_ROOM, room_out.data,
			    room_out.len);
	}
	pd_buf_reset(&room_out);
}

static void
room_msg(struct kore_msg *m, const void *data)
{
	struct room_msg_hdr	 h;
	const uint8_t		*p = data;
	size_t			 left, len;

	if (data == NULL)
		return;
	/* One or more records, as room_out_add() wrote them. */
	for (left = m->length; left >= sizeof(h); p += len, left -= len) {
		memcpy(&h, p, sizeof(h));
		len = sizeof(h) + (size_t)h.key_len + h.note_len +
		    h.packet_len;
		if (len > left || h.key_len >= ROOM_KEY_MAX)
			return;
		room_record(p, &h);
	}
}

static void
room_record(const uint8_t *p, const struct room_msg_hdr *hp)
{
	struct room_msg_hdr	h = *hp;
	char			key[ROOM_KEY_MAX];

	memcpy(key, p + sizeof(h), h.key_len);
	key[h.key_len] = '\0';
	if (h.short_len > h.packet_len)
		h.short_len = h.packet_len;
	p += sizeof(h) + h.key_len;
	if (h.note_len > 0 && note_hook != NULL)
		note_hook(p, h.note_len);
	room_deliver(key, (const char *)p + h.note_len, h.packet_len,
	    h.short_len);
}
