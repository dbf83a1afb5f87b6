/*
 * sio_codec: Socket.IO v5 wire format, see sio_codec.h.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "transport/sio_codec.h"
#include "util/jsonutil.h"

static int	payload_valid(enum sio_type, yajl_val);
static int	reserved_event(const char *);

static const char *reserved[] = {
	"connect", "connect_error", "disconnect", "disconnecting",
	"newListener", "removeListener", NULL
};

static int
reserved_event(const char *name)
{
	int	i;

	for (i = 0; reserved[i] != NULL; i++) {
		if (strcmp(name, reserved[i]) == 0)
			return (1);
	}
	return (0);
}

static int
payload_valid(enum sio_type type, yajl_val v)
{
	yajl_val	first;

	switch (type) {
	case SIO_CONNECT:
		return (v == NULL || YAJL_IS_OBJECT(v));
	case SIO_DISCONNECT:
		return (v == NULL);
	case SIO_CONNECT_ERROR:
		return (v != NULL && (YAJL_IS_STRING(v) || YAJL_IS_OBJECT(v)));
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		if (v == NULL || !YAJL_IS_ARRAY(v) || v->u.array.len == 0)
			return (0);
		first = v->u.array.values[0];
		if (YAJL_IS_NUMBER(first))
			return (1);
		return (YAJL_IS_STRING(first) &&
		    !reserved_event(YAJL_GET_STRING(first)));
	case SIO_ACK:
	case SIO_BINARY_ACK:
		return (v != NULL && YAJL_IS_ARRAY(v));
	}
	return (0);
}

int
sio_packet_decode(const uint8_t *s, size_t len, struct sio_packet *p,
    const char **why)
{
	size_t		i, start;
	int64_t		n;
	char		err[128];

	memset(p, 0, sizeof(*p));
	p->ack_id = -1;
	p->nsp[0] = '/';
	*why = NULL;

	if (len == 0 || s[0] < '0' || s[0] > '6') {
		*why = "unknown packet type";
		return (-1);
	}
	p->type = (enum sio_type)(s[0] - '0');
	i = 1;

	if (p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK) {
		n = 0;
		start = i;
		while (i < len && isdigit(s[i]) && i - start < 4)
			n = n * 10 + (s[i++] - '0');
		if (i == start || i >= len || s[i] != '-') {
			*why = "illegal attachments";
			return (-1);
		}
		if (n > SIO_MAX_ATTACHMENTS) {
			*why = "too many attachments";
			return (-1);
		}
		p->attachments = (int)n;
		i++;
	}

	if (i < len && s[i] == '/') {
		start = i;
		while (i < len && s[i] != ',')
			i++;
		if (i - start >= sizeof(p->nsp)) {
			*why = "namespace too long";
			return (-1);
		}
		memcpy(p->nsp, s + start, i - start);
		p->nsp[i - start] = '\0';
		if (i < len)
			i++;		/* the ',' */
	}

	if (i < len && isdigit(s[i])) {
		n = 0;
		start = i;
		while (i < len && isdigit(s[i])) {
			if (i - start >= 15) {
				*why = "ack id too large";
				return (-1);
			}
			n = n * 10 + (s[i++] - '0');
		}
		p->ack_id = n;
	}

	if (i < len) {
		p->data = json_parse((const char *)s + i, len - i,
		    err, sizeof(err));
		if (p->data == NULL) {
			*why = "invalid payload";
			return (-1);
		}
	}

	if (!payload_valid(p->type, p->data)) {
		sio_packet_clear(p);
		*why = "invalid payload";
		return (-1);
	}
	return (0);
}

void
sio_packet_clear(struct sio_packet *p)
{
	if (p->data != NULL)
		yajl_tree_free(p->data);
	p->data = NULL;
}

int
sio_header_encode(struct pd_buf *b, enum sio_type type, const char *nsp,
    int attachments, int64_t ack_id)
{
	if (pd_buf_appendc(b, '0' + (int)type) == -1)
		return (-1);
	if ((type == SIO_BINARY_EVENT || type == SIO_BINARY_ACK) &&
	    pd_buf_appendf(b, "%d-", attachments) == -1)
		return (-1);
	if (nsp != NULL && strcmp(nsp, "/") != 0 &&
	    pd_buf_appendf(b, "%s,", nsp) == -1)
		return (-1);
	if (ack_id >= 0 && pd_buf_appendf(b, "%" PRId64, ack_id) == -1)
		return (-1);
	return (0);
}

int
sio_count_placeholders(yajl_val v)
{
	size_t		i;
	int		n;
	yajl_val	ph;

	if (v == NULL)
		return (0);
	n = 0;
	if (YAJL_IS_ARRAY(v)) {
		for (i = 0; i < v->u.array.len; i++)
			n += sio_count_placeholders(v->u.array.values[i]);
	} else if (YAJL_IS_OBJECT(v)) {
		ph = json_get(v, "_placeholder");
		if (ph != NULL && YAJL_IS_TRUE(ph) &&
		    YAJL_IS_INTEGER(json_get(v, "num")))
			return (1);
		for (i = 0; i < v->u.object.len; i++)
			n += sio_count_placeholders(v->u.object.values[i]);
	}
	return (n);
}
