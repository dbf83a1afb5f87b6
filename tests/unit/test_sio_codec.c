/*
 * transport/sio_codec: Socket.IO v5 packets decoded as socket.io-parser
 * 4.2.7 decodes them (the cases of its test suite and of the protocol
 * notes), header encoding, and placeholder counting.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "transport/sio_codec.h"
#include "util/jsonutil.h"

static struct sio_packet	p;
static const char		*why;

static int
dec(const char *s)
{
	return (sio_packet_decode((const uint8_t *)s, strlen(s), &p, &why));
}

static void
fini(void)
{
	sio_packet_clear(&p);
}

/* Decodes `s`, which must be refused, and checks the reason is given. */
static void
refused(const char *s)
{
	cr_expect_eq(dec(s), -1, "accepted: %s", s);
	cr_expect_not_null(why, "no reason for %s", s);
	cr_expect_null(p.data, "payload kept for %s", s);
}

TestSuite(sio_codec, .fini = fini);

Test(sio_codec, connect_forms)
{
	cr_assert_eq(dec("0"), 0);
	cr_expect_eq(p.type, SIO_CONNECT);
	cr_expect_str_eq(p.nsp, "/");
	cr_expect_eq(p.ack_id, -1);
	cr_expect_eq(p.attachments, 0);
	cr_expect_null(p.data);

	cr_assert_eq(dec("0{\"token\":\"t0k\"}"), 0);
	cr_expect_str_eq(json_string(p.data, "token"), "t0k");
	sio_packet_clear(&p);

	cr_assert_eq(dec("0/admin,{\"token\":\"123\"}"), 0);
	cr_expect_str_eq(p.nsp, "/admin");
	cr_expect_str_eq(json_string(p.data, "token"), "123");
	sio_packet_clear(&p);

	cr_assert_eq(dec("0/custom,"), 0);
	cr_expect_str_eq(p.nsp, "/custom");
	cr_expect_null(p.data);

	/* No ',' needed: the namespace runs to the end. */
	cr_assert_eq(dec("0/random"), 0);
	cr_expect_str_eq(p.nsp, "/random");
}

Test(sio_codec, connect_with_non_object_is_refused)
{
	refused("0[]");
	refused("0\"x\"");
	refused("0null");
	refused("0/admin,[\"a\"]");
	refused("0{");
	refused("0{\"a\":1}x");
}

Test(sio_codec, disconnect)
{
	cr_assert_eq(dec("1"), 0);
	cr_expect_eq(p.type, SIO_DISCONNECT);
	cr_assert_eq(dec("1/admin,"), 0);
	cr_expect_str_eq(p.nsp, "/admin");
	refused("1{}");
	refused("1/admin,{}");
	refused("1[]");
	refused("1\"bye\"");
}

Test(sio_codec, event_ack_ids_and_namespaces)
{
	cr_assert_eq(dec("2[\"ping-me\",42]"), 0);
	cr_expect_eq(p.type, SIO_EVENT);
	cr_expect_eq(p.ack_id, -1);
	cr_expect_eq(p.data->u.array.len, 2);
	cr_expect_str_eq(p.data->u.array.values[0]->u.string, "ping-me");
	sio_packet_clear(&p);

	cr_assert_eq(dec("20[\"ping-me\",42]"), 0);
	cr_expect_eq(p.ack_id, 0);
	sio_packet_clear(&p);

	cr_assert_eq(dec("2/admin,13[\"x\"]"), 0);
	cr_expect_str_eq(p.nsp, "/admin");
	cr_expect_eq(p.ack_id, 13);
	sio_packet_clear(&p);

	cr_assert_eq(dec("2/,7[\"x\"]"), 0);
	cr_expect_str_eq(p.nsp, "/");
	cr_expect_eq(p.ack_id, 7);
	sio_packet_clear(&p);

	/* A number is a valid event name for socket.io-parser. */
	cr_assert_eq(dec("2[1,2]"), 0);
	cr_expect(YAJL_IS_NUMBER(p.data->u.array.values[0]));
	sio_packet_clear(&p);

	cr_assert_eq(dec("2 [\"spaced\"]"), 0);	/* JSON.parse skips it */
	sio_packet_clear(&p);
}

Test(sio_codec, event_invalid_payload_shapes)
{
	refused("2{}");
	refused("2abc[\"x\"]");
	refused("2[]");
	refused("2[{}]");
	refused("2[null]");
	refused("2[[\"x\"]]");
	refused("2[true]");
	refused("2\"x\"");
	refused("2[\"x\"");
	refused("2[\"x\"]]");
	refused("2/admin,1{}");
	refused("5-[\"x\"]");
}

/*
 * socket.io-parser skips validation when there is no payload at all
 * ("2", "3": data undefined, and the server ignores the packet).  This
 * decoder refuses them, so such a packet closes the connection; no client
 * sends one.
 */
Test(sio_codec, event_and_ack_without_payload_are_refused)
{
	refused("2");
	refused("21");
	refused("2/admin,");
	refused("3");
	refused("4");
}

Test(sio_codec, reserved_event_names)
{
	const char	*names[] = { "connect", "connect_error", "disconnect",
	    "disconnecting", "newListener", "removeListener" };
	char		 s[64];
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(s, sizeof(s), "2[\"%s\",1]", names[i]);
		refused(s);
		(void)snprintf(s, sizeof(s), "51-[\"%s\",{\"_placeholder\":"
		    "true,\"num\":0}]", names[i]);
		refused(s);
	}
	/* Only the exact names. */
	cr_expect_eq(dec("2[\"Connect\"]"), 0);
	sio_packet_clear(&p);
	cr_expect_eq(dec("2[\"connected\"]"), 0);
	sio_packet_clear(&p);
	/* Acks carry no event name. */
	cr_expect_eq(dec("30[\"connect\"]"), 0);
}

Test(sio_codec, ack)
{
	cr_assert_eq(dec("30[{\"got\":42}]"), 0);
	cr_expect_eq(p.type, SIO_ACK);
	cr_expect_eq(p.ack_id, 0);
	sio_packet_clear(&p);
	cr_assert_eq(dec("3/admin,13[\"bar\"]"), 0);
	cr_expect_str_eq(p.nsp, "/admin");
	cr_expect_eq(p.ack_id, 13);
	sio_packet_clear(&p);
	cr_assert_eq(dec("31[]"), 0);
	cr_expect_eq(p.data->u.array.len, 0);
	sio_packet_clear(&p);
	refused("30{}");
	refused("30\"x\"");
}

Test(sio_codec, connect_error)
{
	cr_assert_eq(dec("4{\"message\":\"unauthorized\",\"data\":"
	    "{\"code\":401}}"), 0);
	cr_expect_eq(p.type, SIO_CONNECT_ERROR);
	cr_expect_str_eq(json_string(p.data, "message"), "unauthorized");
	sio_packet_clear(&p);
	cr_assert_eq(dec("4/random,{\"message\":\"Invalid namespace\"}"), 0);
	cr_expect_str_eq(p.nsp, "/random");
	sio_packet_clear(&p);
	cr_assert_eq(dec("4\"Unable to connect\""), 0);
	sio_packet_clear(&p);
	refused("4abc");
	refused("4[]");
	refused("4/x,12");
}

Test(sio_codec, binary_event_and_ack)
{
	cr_assert_eq(dec("51-1[\"bin\",{\"_placeholder\":true,\"num\":0}]"), 0);
	cr_expect_eq(p.type, SIO_BINARY_EVENT);
	cr_expect_eq(p.attachments, 1);
	cr_expect_eq(p.ack_id, 1);
	cr_expect_eq(sio_count_placeholders(p.data), 1);
	sio_packet_clear(&p);

	cr_assert_eq(dec("52-/admin,[\"m\",{\"_placeholder\":true,\"num\":0},"
	    "{\"_placeholder\":true,\"num\":1}]"), 0);
	cr_expect_eq(p.attachments, 2);
	cr_expect_str_eq(p.nsp, "/admin");
	sio_packet_clear(&p);

	cr_assert_eq(dec("61-1[{\"_placeholder\":true,\"num\":0},4]"), 0);
	cr_expect_eq(p.type, SIO_BINARY_ACK);
	cr_expect_eq(p.attachments, 1);
	sio_packet_clear(&p);

	cr_assert_eq(dec("50-[\"none\"]"), 0);
	cr_expect_eq(p.attachments, 0);
	sio_packet_clear(&p);

	cr_assert_eq(dec("510-[\"ten\"]"), 0);
	cr_expect_eq(p.attachments, SIO_MAX_ATTACHMENTS);
}

Test(sio_codec, illegal_and_too_many_attachments)
{
	refused("511-[\"x\"]");
	cr_expect_str_eq(why, "too many attachments");
	refused("59999-[\"x\"]");
	refused("599999999999-[\"x\"]");
	refused("51[\"x\"]");		/* no '-' */
	refused("5a-[\"x\"]");
	refused("5");
	refused("51");
	refused("51-");			/* no payload */
	refused("6-1[]");
	refused("61-{}");
}

Test(sio_codec, unknown_types)
{
	const char	*bad[] = { "", "7", "8[\"x\"]", "9", "a", "/", "-1",
	    " 2[\"x\"]" };
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i]);
	cr_expect_eq(sio_packet_decode((const uint8_t *)"", 0, &p, &why), -1);
	cr_expect_str_eq(why, "unknown packet type");
}

Test(sio_codec, huge_ack_ids)
{
	cr_assert_eq(dec("2999999999999999[\"x\"]"), 0);	/* 15 digits */
	cr_expect_eq(p.ack_id, 999999999999999LL);
	sio_packet_clear(&p);
	refused("21234567890123456[\"x\"]");		/* 16 digits */
	cr_expect_str_eq(why, "ack id too large");
	refused("399999999999999999999999999999999999[]");
	cr_assert_eq(dec("2007[\"x\"]"), 0);
	cr_expect_eq(p.ack_id, 7);
}

Test(sio_codec, namespace_bounds)
{
	char	s[512];

	(void)snprintf(s, sizeof(s), "2/%0*d,[\"x\"]", SIO_NSP_MAX - 2, 0);
	cr_assert_eq(dec(s), 0);		/* 127 bytes + NUL fits */
	cr_expect_eq(strlen(p.nsp), SIO_NSP_MAX - 1);
	sio_packet_clear(&p);
	(void)snprintf(s, sizeof(s), "2/%0*d,[\"x\"]", SIO_NSP_MAX - 1, 0);
	refused(s);
	cr_expect_str_eq(why, "namespace too long");
	(void)snprintf(s, sizeof(s), "0/%0*d", 400, 0);
	refused(s);
}

Test(sio_codec, payload_depth_and_comments)
{
	char	s[256];
	int	i, k;

	k = sprintf(s, "2[\"x\",");
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		s[k++] = '[';
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		s[k++] = ']';
	s[k++] = ']';
	s[k] = '\0';
	refused(s);				/* 33 levels */
	refused("20/*\"*/[\"x\",[[[[]]]]]");
	refused("2[\"x\"]//");
	refused("2[\"x\",\"\xff\"]");		/* not UTF-8 */
	cr_expect_eq(sio_packet_decode((const uint8_t *)"2[\"x\"]\0", 7, &p,
	    &why), -1);
}

Test(sio_codec, header_encode)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	cr_assert_eq(sio_header_encode(&b, SIO_CONNECT, "/", 0, -1), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "0");
	pd_buf_reset(&b);
	cr_assert_eq(sio_header_encode(&b, SIO_CONNECT, NULL, 0, -1), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "0");
	pd_buf_reset(&b);
	cr_assert_eq(sio_header_encode(&b, SIO_CONNECT_ERROR, "/random", 0,
	    -1), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "4/random,");
	pd_buf_reset(&b);
	cr_assert_eq(sio_header_encode(&b, SIO_EVENT, "/admin", 0, 13), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "2/admin,13");
	pd_buf_reset(&b);
	cr_assert_eq(sio_header_encode(&b, SIO_ACK, "/", 3, 0), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "30");	/* no count on ACK */
	pd_buf_reset(&b);
	cr_assert_eq(sio_header_encode(&b, SIO_BINARY_EVENT, "/", 2, -1), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "52-");
	pd_buf_reset(&b);
	cr_assert_eq(sio_header_encode(&b, SIO_BINARY_ACK, "/x", 1,
	    9007199254740991LL), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "61-/x,9007199254740991");
	pd_buf_free(&b);
}

Test(sio_codec, header_encode_then_decode)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	cr_assert_eq(sio_header_encode(&b, SIO_BINARY_EVENT, "/admin", 1, 5),
	    0);
	cr_assert_eq(pd_buf_appends(&b, "[\"e\",{\"_placeholder\":true,"
	    "\"num\":0}]"), 0);
	cr_assert_eq(sio_packet_decode(b.data, b.len, &p, &why), 0);
	cr_expect_eq(p.type, SIO_BINARY_EVENT);
	cr_expect_str_eq(p.nsp, "/admin");
	cr_expect_eq(p.attachments, 1);
	cr_expect_eq(p.ack_id, 5);
	pd_buf_free(&b);
}

Test(sio_codec, count_placeholders)
{
	cr_assert_eq(dec("2[\"x\",{\"_placeholder\":true,\"num\":0},"
	    "[{\"a\":{\"_placeholder\":true,\"num\":1}}],"
	    "{\"_placeholder\":false,\"num\":2},"
	    "{\"_placeholder\":true,\"num\":\"3\"},"
	    "{\"_placeholder\":true}]"), 0);
	cr_expect_eq(sio_count_placeholders(p.data), 2);
	cr_expect_eq(sio_count_placeholders(NULL), 0);
}

Test(sio_codec, clear_twice_is_harmless)
{
	cr_assert_eq(dec("2[\"x\"]"), 0);
	sio_packet_clear(&p);
	sio_packet_clear(&p);
	cr_expect_null(p.data);
}
