/*
 * The conformance server: the transport module configured as the
 * official engine.io-protocol and socket.io-protocol test suites expect.
 *
 *	/engine.io/	a bare Engine.IO echo
 *	/socket.io/	namespaces "/" and "/custom": "auth" sent on connect,
 *			"message" answered with "message-back", and
 *			"message-with-ack" acknowledged, both with the same
 *			arguments (binary ones included)
 *
 * pingInterval 300, pingTimeout 200, maxPayload 1000000, connectTimeout
 * 1000.  Run it with `make conformance`.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "transport/eio.h"
#include "transport/sio.h"
#include "util/jsonutil.h"

int	conformance_engineio(struct http_request *);
int	conformance_socketio(struct http_request *);
void	kore_worker_configure(void);

static void	echo_open(struct eio_session *, const struct eio_open_info *);
static void	echo_message(struct eio_session *, const uint8_t *, size_t,
		    int);
static void	echo_close(struct eio_session *, const char *);
static int	ns_connect(struct sio_socket *, yajl_val, const char *,
		    struct sio_connect_error *);
static void	ns_connected(struct sio_socket *);
static void	ns_event(struct sio_socket *, const char *, yajl_val,
		    const struct sio_attachment *, int, int64_t);
static void	ns_disconnect(struct sio_socket *, const char *);
static int	args_tail(yajl_val, const char *, struct pd_buf *);

static const struct eio_hooks echo_hooks = {
	echo_open, echo_message, echo_close
};

static const struct sio_namespace_ops ns_ops = {
	ns_connect, ns_connected, ns_event, ns_disconnect
};

void
kore_worker_configure(void)
{
	struct eio_config	ecfg;
	struct sio_config	scfg;

	memset(&ecfg, 0, sizeof(ecfg));
	ecfg.ping_interval = 300;
	ecfg.ping_timeout = 200;
	ecfg.upgrade_timeout = 10000;
	ecfg.max_payload = 1000000;
	ecfg.max_queue = 8 * 1024 * 1024;
	eio_init(&ecfg);

	scfg.connect_timeout = 1000;
	sio_init(&scfg);
	sio_namespace("/", &ns_ops);
	sio_namespace("/custom", &ns_ops);
}

int
conformance_engineio(struct http_request *req)
{
	return (eio_http(req, &echo_hooks));
}

int
conformance_socketio(struct http_request *req)
{
	return (eio_http(req, &sio_eio_hooks));
}

static void
echo_open(struct eio_session *s, const struct eio_open_info *info)
{
}

static void
echo_message(struct eio_session *s, const uint8_t *data, size_t len,
    int binary)
{
	(void)eio_send(s, binary ? EIO_BINARY : EIO_MESSAGE, data, len);
}

static void
echo_close(struct eio_session *s, const char *reason)
{
}

/* Keeps the CONNECT payload so that "auth" can echo it. */
static int
ns_connect(struct sio_socket *sock, yajl_val auth, const char *authz,
    struct sio_connect_error *err)
{
	struct pd_buf	b;
	yajl_gen	g;

	pd_buf_init(&b, 0);
	if (auth == NULL) {
		(void)pd_buf_appends(&b, "{}");
	} else if ((g = yajl_gen_alloc(NULL)) != NULL) {
		if (json_gen_value(g, auth) == 0)
			(void)json_gen_flush(g, &b);
		yajl_gen_free(g);
	}
	(void)pd_buf_cstr(&b);
	sio_set_udata(sock, b.data);
	return (0);
}

static void
ns_connected(struct sio_socket *sock)
{
	const char	*auth = sio_udata(sock);

	(void)sio_emit_event(sock, "auth", auth, strlen(auth));
}

static void
ns_disconnect(struct sio_socket *sock, const char *reason)
{
	free(sio_udata(sock));
	sio_set_udata(sock, NULL);
}

/* Writes `[name?, args[1..]]`: the arguments after the event name. */
static int
args_tail(yajl_val args, const char *name, struct pd_buf *out)
{
	yajl_gen	g;
	size_t		i;
	int		rc;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return (-1);
	rc = -1;
	if (yajl_gen_array_open(g) != yajl_gen_status_ok)
		goto out;
	if (name != NULL && json_gen_str(g, name) == -1)
		goto out;
	for (i = 1; i < args->u.array.len; i++) {
		if (json_gen_value(g, args->u.array.values[i]) == -1)
			goto out;
	}
	if (yajl_gen_array_close(g) != yajl_gen_status_ok)
		goto out;
	rc = json_gen_flush(g, out);
out:
	yajl_gen_free(g);
	return (rc);
}

static void
ns_event(struct sio_socket *sock, const char *name, yajl_val args,
    const struct sio_attachment *att, int natt, int64_t ack)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	if (strcmp(name, "message") == 0) {
		if (args_tail(args, "message-back", &b) == 0)
			(void)sio_emit_binary(sock, natt > 0 ?
			    SIO_BINARY_EVENT : SIO_EVENT, -1,
			    (const char *)b.data, b.len, att, natt);
	} else if (strcmp(name, "message-with-ack") == 0 && ack >= 0) {
		if (args_tail(args, NULL, &b) == 0)
			(void)sio_emit_binary(sock, natt > 0 ?
			    SIO_BINARY_ACK : SIO_ACK, ack,
			    (const char *)b.data, b.len, att, natt);
	}
	pd_buf_free(&b);
}
