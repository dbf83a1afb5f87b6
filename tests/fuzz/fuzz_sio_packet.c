/*
 * Fuzzes the Socket.IO decoder.  A packet it accepts must satisfy what
 * socket.io-parser guarantees (a known type, a namespace starting with
 * '/', at most SIO_MAX_ATTACHMENTS, a payload of the right shape), and
 * its header encoded again plus its regenerated payload must decode to
 * the same packet.
 */
#include <string.h>

#include "fuzz.h"
#include "transport/sio_codec.h"
#include "util/jsonutil.h"

static void
payload_text(yajl_val v, struct pd_buf *b)
{
	yajl_gen	g;

	if (v == NULL)
		return;
	FUZZ_CHECK((g = yajl_gen_alloc(NULL)) != NULL);
	FUZZ_CHECK(json_gen_value(g, v) == 0);
	FUZZ_CHECK(json_gen_flush(g, b) == 0);
	yajl_gen_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sio_packet	 a, b;
	struct pd_buf		 enc, pa, pb;
	const char		*why;
	yajl_val		 first;

	if (sio_packet_decode(data, size, &a, &why) == -1) {
		FUZZ_CHECK(why != NULL && a.data == NULL);
		return (0);
	}
	FUZZ_CHECK(a.type >= SIO_CONNECT && a.type <= SIO_BINARY_ACK);
	FUZZ_CHECK(a.nsp[0] == '/' && memchr(a.nsp, '\0', sizeof(a.nsp)));
	FUZZ_CHECK(strchr(a.nsp, ',') == NULL);
	FUZZ_CHECK(a.ack_id >= -1);
	FUZZ_CHECK(a.attachments >= 0 &&
	    a.attachments <= SIO_MAX_ATTACHMENTS);
	FUZZ_CHECK(a.attachments == 0 || a.type == SIO_BINARY_EVENT ||
	    a.type == SIO_BINARY_ACK);
	switch (a.type) {
	case SIO_DISCONNECT:
		FUZZ_CHECK(a.data == NULL);
		break;
	case SIO_CONNECT:
		FUZZ_CHECK(a.data == NULL || YAJL_IS_OBJECT(a.data));
		break;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		FUZZ_CHECK(YAJL_IS_ARRAY(a.data) && a.data->u.array.len > 0);
		first = a.data->u.array.values[0];
		FUZZ_CHECK(YAJL_IS_STRING(first) || YAJL_IS_NUMBER(first));
		break;
	case SIO_ACK:
	case SIO_BINARY_ACK:
		FUZZ_CHECK(YAJL_IS_ARRAY(a.data));
		break;
	case SIO_CONNECT_ERROR:
		FUZZ_CHECK(YAJL_IS_STRING(a.data) || YAJL_IS_OBJECT(a.data));
		break;
	}
	FUZZ_CHECK(sio_count_placeholders(a.data) >= 0);

	pd_buf_init(&enc, 0);
	pd_buf_init(&pa, 0);
	pd_buf_init(&pb, 0);
	FUZZ_CHECK(sio_header_encode(&enc, a.type, a.nsp, a.attachments,
	    a.ack_id) == 0);
	payload_text(a.data, &pa);
	FUZZ_CHECK(pd_buf_append(&enc, pa.data, pa.len) == 0);
	if (sio_packet_decode(enc.data, enc.len, &b, &why) == -1) {
		fprintf(stderr, "re-encoded packet refused (%s): %.*s\n", why,
		    (int)enc.len, (const char *)enc.data);
		abort();
	}
	FUZZ_CHECK(a.type == b.type && a.ack_id == b.ack_id &&
	    a.attachments == b.attachments && strcmp(a.nsp, b.nsp) == 0);
	payload_text(b.data, &pb);
	FUZZ_CHECK(pa.len == pb.len &&
	    (pa.len == 0 || memcmp(pa.data, pb.data, pa.len) == 0));

	sio_packet_clear(&b);
	sio_packet_clear(&a);
	pd_buf_free(&enc);
	pd_buf_free(&pa);
	pd_buf_free(&pb);
	return (0);
}
