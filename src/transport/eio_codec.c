/*
 * eio_codec: Engine.IO v4 wire format, see eio_codec.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "transport/eio_codec.h"

static int	payload_record(const uint8_t *, size_t,
		    int (*)(void *, const struct eio_packet *), void *);

int
eio_packet_decode(const uint8_t *s, size_t len, int binary,
    struct eio_packet *pkt)
{
	if (binary) {
		pkt->type = EIO_BINARY;
		pkt->data = s;
		pkt->len = len;
		return (0);
	}
	if (len == 0 || s[0] < '0' || s[0] > '6')
		return (-1);
	pkt->type = (enum eio_type)(s[0] - '0');
	pkt->data = s + 1;
	pkt->len = len - 1;
	return (0);
}

static int
payload_record(const uint8_t *s, size_t len,
    int (*cb)(void *, const struct eio_packet *), void *arg)
{
	struct eio_packet	 pkt;
	uint8_t			*bin;
	size_t			 binlen;
	int			 rc;

	if (len == 0)
		return (-1);
	if (s[0] != 'b') {
		if (eio_packet_decode(s, len, 0, &pkt) == -1)
			return (-1);
		return (cb(arg, &pkt));
	}

	/* Base64 never grows the data: len bytes are enough. */
	if ((bin = malloc(len)) == NULL)
		return (-1);
	if (sodium_base642bin(bin, len, (const char *)s + 1, len - 1, NULL,
	    &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		return (-1);
	}
	pkt.type = EIO_BINARY;
	pkt.data = bin;
	pkt.len = binlen;
	rc = cb(arg, &pkt);
	free(bin);
	return (rc);
}

int
eio_payload_decode(const uint8_t *s, size_t len,
    int (*cb)(void *, const struct eio_packet *), void *arg)
{
	const uint8_t	*end, *sep;

	if (len == 0)
		return (-1);
	end = s + len;
	for (;;) {
		sep = memchr(s, EIO_RECORD_SEP, (size_t)(end - s));
		if (sep == NULL)
			sep = end;
		if (payload_record(s, (size_t)(sep - s), cb, arg) == -1)
			return (-1);
		if (sep == end)
			return (0);
		s = sep + 1;
	}
}

int
eio_payload_append(struct pd_buf *b, enum eio_type type, const void *data,
    size_t len)
{
	char		*b64;
	size_t		 b64len, start;
	int		 rc;

	start = b->len;
	if (b->len > 0 && pd_buf_appendc(b, EIO_RECORD_SEP) == -1)
		return (-1);

	if (type != EIO_BINARY) {
		if (pd_buf_appendc(b, '0' + (int)type) == -1 ||
		    pd_buf_append(b, data, len) == -1) {
			b->len = start;
			return (-1);
		}
		return (0);
	}

	b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = malloc(b64len)) == NULL) {
		b->len = start;
		return (-1);
	}
	(void)sodium_bin2base64(b64, b64len, data, len,
	    sodium_base64_VARIANT_ORIGINAL);
	rc = 0;
	if (pd_buf_appendc(b, 'b') == -1 ||
	    pd_buf_append(b, b64, b64len - 1) == -1) {
		b->len = start;
		rc = -1;
	}
	free(b64);
	return (rc);
}

int
eio_handshake_json(struct pd_buf *b, const char *sid, int upgrades,
    unsigned int ping_interval, unsigned int ping_timeout, size_t max_payload)
{
	return (pd_buf_appendf(b, "{\"sid\":\"%s\",\"upgrades\":[%s],"
	    "\"pingInterval\":%u,\"pingTimeout\":%u,\"maxPayload\":%zu}",
	    sid, upgrades ? "\"websocket\"" : "", ping_interval, ping_timeout,
	    max_payload));
}
