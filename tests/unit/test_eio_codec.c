/* transport/eio_codec: Engine.IO v4 packets, polling payloads, handshake. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "transport/eio_codec.h"
#include "util/jsonutil.h"

#define MAXP	16

struct got {
	int		 n;
	enum eio_type	 type[MAXP];
	char		 data[MAXP][64];
	size_t		 len[MAXP];
	int		 stop_at;	/* return -1 at this packet (0: never) */
};

static int
collect(void *arg, const struct eio_packet *p)
{
	struct got	*g = arg;

	cr_assert_lt(g->n, MAXP);
	cr_assert_lt(p->len, sizeof(g->data[0]));
	g->type[g->n] = p->type;
	memcpy(g->data[g->n], p->data, p->len);
	g->data[g->n][p->len] = '\0';
	g->len[g->n] = p->len;
	g->n++;
	return (g->stop_at != 0 && g->n == g->stop_at ? -1 : 0);
}

static int
decode(const char *s, struct got *g)
{
	memset(g, 0, sizeof(*g));
	return (eio_payload_decode((const uint8_t *)s, strlen(s), collect, g));
}

Test(eio_codec, packet_every_type)
{
	struct eio_packet	p;
	char			s[16];
	int			t;

	for (t = EIO_OPEN; t <= EIO_NOOP; t++) {
		(void)snprintf(s, sizeof(s), "%dxy", t);
		cr_assert_eq(eio_packet_decode((uint8_t *)s, 3, 0, &p), 0);
		cr_expect_eq(p.type, (enum eio_type)t);
		cr_expect_eq(p.len, 2);
		cr_expect_eq(p.data, (uint8_t *)s + 1);
	}
}

Test(eio_codec, packet_type_only_and_probe)
{
	struct eio_packet	p;

	cr_assert_eq(eio_packet_decode((uint8_t *)"2", 1, 0, &p), 0);
	cr_expect_eq(p.type, EIO_PING);
	cr_expect_eq(p.len, 0);
	cr_assert_eq(eio_packet_decode((uint8_t *)"2probe", 6, 0, &p), 0);
	cr_expect_eq(p.type, EIO_PING);
	cr_expect_eq(memcmp(p.data, "probe", 5), 0);
}

Test(eio_codec, packet_invalid_types)
{
	struct eio_packet	p;
	const char		*bad[] = { "7", "9x", "a", "b", "/", " 4", "-1" };
	size_t			 i;

	cr_expect_eq(eio_packet_decode((uint8_t *)"", 0, 0, &p), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(eio_packet_decode((uint8_t *)bad[i],
		    strlen(bad[i]), 0, &p), -1, "%s", bad[i]);
}

Test(eio_codec, packet_binary_frame_is_raw)
{
	struct eio_packet	p;
	const uint8_t		raw[] = { '4', 0, 0xff };

	cr_assert_eq(eio_packet_decode(raw, sizeof(raw), 1, &p), 0);
	cr_expect_eq(p.type, EIO_BINARY);
	cr_expect_eq(p.data, raw);
	cr_expect_eq(p.len, 3);
	cr_assert_eq(eio_packet_decode(raw, 0, 1, &p), 0);
	cr_expect_eq(p.len, 0);
}

Test(eio_codec, payload_single_and_batch)
{
	struct got	g;

	cr_assert_eq(decode("4hello", &g), 0);
	cr_expect_eq(g.n, 1);
	cr_expect_eq(g.type[0], EIO_MESSAGE);
	cr_expect_str_eq(g.data[0], "hello");

	cr_assert_eq(decode("40{\"token\":\"x\"}\x1e" "42[\"a\"]\x1e" "3\x1e"
	    "1", &g), 0);
	cr_assert_eq(g.n, 4);
	cr_expect_eq(g.type[0], EIO_MESSAGE);
	cr_expect_str_eq(g.data[0], "0{\"token\":\"x\"}");
	cr_expect_str_eq(g.data[1], "2[\"a\"]");
	cr_expect_eq(g.type[2], EIO_PONG);
	cr_expect_eq(g.len[2], 0);
	cr_expect_eq(g.type[3], EIO_CLOSE);
}

Test(eio_codec, payload_binary_records)
{
	struct got	g;

	cr_assert_eq(decode("451-[\"m\",{\"_placeholder\":true,\"num\":0}]"
	    "\x1e" "bAQIDBA==\x1e" "bAQID\x1e" "b", &g), 0);
	cr_assert_eq(g.n, 4);
	cr_expect_eq(g.type[0], EIO_MESSAGE);
	cr_expect_eq(g.type[1], EIO_BINARY);
	cr_expect_eq(g.len[1], 4);
	cr_expect_eq(memcmp(g.data[1], "\x01\x02\x03\x04", 4), 0);
	cr_expect_eq(g.len[2], 3);
	cr_expect_eq(g.type[3], EIO_BINARY);	/* "b": empty binary */
	cr_expect_eq(g.len[3], 0);
}

/*
 * Standard alphabet with padding.  Node's Buffer.from(s, "base64") takes
 * anything; this decoder refuses what is not canonical base64, which
 * closes the session (the client never sends such records).
 */
Test(eio_codec, payload_binary_base64_strict)
{
	struct got	g;

	cr_assert_eq(decode("b+/+/", &g), 0);
	cr_expect_eq(g.len[0], 3);
	cr_expect_eq(memcmp(g.data[0], "\xfb\xff\xbf", 3), 0);
	cr_expect_eq(decode("bAQI=", &g), 0);
	cr_expect_eq(g.len[0], 2);
	cr_expect_eq(decode("bAQI", &g), -1);		/* unpadded */
	cr_expect_eq(decode("b-_-_", &g), -1);		/* url-safe */
	cr_expect_eq(decode("b!!!!", &g), -1);
	cr_expect_eq(decode("bA", &g), -1);
	cr_expect_eq(decode("4a\x1e" "b%%%%\x1e" "4b", &g), -1);
	cr_expect_eq(g.n, 1);
}

Test(eio_codec, payload_empty_and_bad_records)
{
	struct got	g;

	cr_expect_eq(decode("", &g), -1);
	cr_expect_eq(decode("\x1e", &g), -1);
	cr_expect_eq(decode("4a\x1e\x1e" "4b", &g), -1);
	cr_expect_eq(g.n, 1);		/* stops at the empty record */
	cr_expect_eq(decode("4a\x1e", &g), -1);
	cr_expect_eq(g.n, 1);
	cr_expect_eq(decode("\x1e" "4a", &g), -1);
	cr_expect_eq(g.n, 0);
	cr_expect_eq(decode("4a\x1e" "7x\x1e" "4b", &g), -1);
	cr_expect_eq(g.n, 1);
	cr_expect_eq(decode("abc", &g), -1);
}

Test(eio_codec, payload_callback_stops_decoding)
{
	struct got	g;

	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	cr_expect_eq(eio_payload_decode((const uint8_t *)"4a\x1e" "4b\x1e" "4c",
	    8, collect, &g), -1);
	cr_expect_eq(g.n, 2);
}

Test(eio_codec, payload_append_round_trip)
{
	struct pd_buf	b;
	struct got	g;
	const uint8_t	bin[] = { 1, 2, 3, 0, 0xff };

	pd_buf_init(&b, 0);
	cr_assert_eq(eio_payload_append(&b, EIO_MESSAGE, "0{\"sid\":\"x\"}", 12),
	    0);
	cr_expect_str_eq(pd_buf_cstr(&b), "40{\"sid\":\"x\"}");
	cr_assert_eq(eio_payload_append(&b, EIO_BINARY, bin, sizeof(bin)), 0);
	cr_assert_eq(eio_payload_append(&b, EIO_PING, NULL, 0), 0);
	cr_assert_eq(eio_payload_append(&b, EIO_NOOP, "", 0), 0);
	cr_expect_str_eq(pd_buf_cstr(&b),
	    "40{\"sid\":\"x\"}\x1e" "bAQIDAP8=\x1e" "2\x1e" "6");

	cr_assert_eq(decode(pd_buf_cstr(&b), &g), 0);
	cr_assert_eq(g.n, 4);
	cr_expect_eq(g.type[1], EIO_BINARY);
	cr_expect_eq(g.len[1], sizeof(bin));
	cr_expect_eq(memcmp(g.data[1], bin, sizeof(bin)), 0);
	cr_expect_eq(g.type[2], EIO_PING);
	cr_expect_eq(g.type[3], EIO_NOOP);
	pd_buf_free(&b);
}

Test(eio_codec, payload_append_empty_binary)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	cr_assert_eq(eio_payload_append(&b, EIO_BINARY, "", 0), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "b");
	pd_buf_free(&b);
}

Test(eio_codec, payload_append_bound_rolls_back)
{
	struct pd_buf	b;

	pd_buf_init(&b, 8);
	cr_assert_eq(eio_payload_append(&b, EIO_MESSAGE, "abc", 3), 0);
	cr_expect_eq(eio_payload_append(&b, EIO_MESSAGE, "defgh", 5), -1);
	cr_expect_eq(b.len, 4);
	cr_expect_eq(eio_payload_append(&b, EIO_BINARY, "\1\2\3\4", 4), -1);
	cr_expect_eq(b.len, 4);
	cr_expect_str_eq(pd_buf_cstr(&b), "4abc");
	pd_buf_free(&b);
}

Test(eio_codec, handshake_json)
{
	struct pd_buf	 b;
	yajl_val	 v, up;

	pd_buf_init(&b, 0);
	cr_assert_eq(eio_handshake_json(&b, "lv_VI97HAXpY6yYWAAAC", 1, 25000,
	    20000, 1000000), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\","
	    "\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
	    "\"pingTimeout\":20000,\"maxPayload\":1000000}");
	cr_assert_not_null(v = json_parse((char *)b.data, b.len, NULL, 0));
	up = json_get(v, "upgrades");
	cr_expect(YAJL_IS_ARRAY(up) && up->u.array.len == 1);
	yajl_tree_free(v);

	pd_buf_reset(&b);
	cr_assert_eq(eio_handshake_json(&b, "abc", 0, 300, 200, 1000000), 0);
	cr_assert_not_null(v = json_parse((char *)b.data, b.len, NULL, 0));
	up = json_get(v, "upgrades");
	cr_expect(YAJL_IS_ARRAY(up) && up->u.array.len == 0);
	cr_expect_eq(YAJL_GET_INTEGER(json_get(v, "pingInterval")), 300);
	cr_expect_eq(YAJL_GET_INTEGER(json_get(v, "pingTimeout")), 200);
	cr_expect_eq(YAJL_GET_INTEGER(json_get(v, "maxPayload")), 1000000);
	yajl_tree_free(v);
	pd_buf_free(&b);
}
