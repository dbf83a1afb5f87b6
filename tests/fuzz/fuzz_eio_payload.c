/*
 * Fuzzes the Engine.IO decoders: a polling body (eio_payload_decode) and a
 * WebSocket frame, text and binary (eio_packet_decode).  When a body
 * decodes, its packets are encoded again with eio_payload_append and the
 * result must decode to the same packets.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "transport/eio_codec.h"

#define MAXPKT	256

struct pkts {
	size_t		 n;
	int		 overflow;
	enum eio_type	 type[MAXPKT];
	uint8_t		*data[MAXPKT];
	size_t		 len[MAXPKT];
	const uint8_t	*in;		/* the body, to check text bounds */
	size_t		 inlen;
};

static int
collect(void *arg, const struct eio_packet *p)
{
	struct pkts	*c = arg;

	FUZZ_CHECK(p->type >= EIO_OPEN && p->type <= EIO_BINARY);
	if (p->type != EIO_BINARY && c->in != NULL) {
		FUZZ_CHECK(p->data >= c->in && p->data + p->len <=
		    c->in + c->inlen);
		FUZZ_CHECK(memchr(p->data, EIO_RECORD_SEP, p->len) == NULL);
	}
	if (c->n == MAXPKT) {
		c->overflow = 1;
		return (0);
	}
	c->type[c->n] = p->type;
	c->len[c->n] = p->len;
	c->data[c->n] = malloc(p->len ? p->len : 1);
	FUZZ_CHECK(c->data[c->n] != NULL);
	if (p->len > 0)
		memcpy(c->data[c->n], p->data, p->len);
	c->n++;
	return (0);
}

static void
pkts_free(struct pkts *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		free(c->data[i]);
	c->n = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkts		 a, b;
	struct eio_packet	 p;
	struct pd_buf		 out;
	size_t			 i;

	if (eio_packet_decode(data, size, 0, &p) == 0) {
		FUZZ_CHECK(size > 0 && p.type == (enum eio_type)(data[0] - '0'));
		FUZZ_CHECK(p.data == data + 1 && p.len == size - 1);
	}
	FUZZ_CHECK(eio_packet_decode(data, size, 1, &p) == 0 &&
	    p.type == EIO_BINARY && p.len == size);

	memset(&a, 0, sizeof(a));
	a.in = data;
	a.inlen = size;
	if (eio_payload_decode(data, size, collect, &a) == 0 && !a.overflow) {
		FUZZ_CHECK(a.n > 0);
		pd_buf_init(&out, 0);
		for (i = 0; i < a.n; i++)
			FUZZ_CHECK(eio_payload_append(&out, a.type[i],
			    a.data[i], a.len[i]) == 0);
		memset(&b, 0, sizeof(b));
		FUZZ_CHECK(eio_payload_decode(out.data, out.len, collect,
		    &b) == 0);
		FUZZ_CHECK(b.n == a.n);
		for (i = 0; i < a.n; i++) {
			FUZZ_CHECK(a.type[i] == b.type[i]);
			FUZZ_CHECK(a.len[i] == b.len[i]);
			FUZZ_CHECK(a.len[i] == 0 ||
			    memcmp(a.data[i], b.data[i], a.len[i]) == 0);
		}
		pkts_free(&b);
		pd_buf_free(&out);
	}
	pkts_free(&a);
	return (0);
}
