/*
 * auth/jwt: HS256 verification (every refusal and its reason), the claims
 * rules, and sign-then-verify.  Tokens with odd headers or claims are
 * built here with libsodium, correctly signed, so each test reaches the
 * check it is about.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "auth/jwt.h"

#define NOW	1700000000LL
#define B64URL	sodium_base64_VARIANT_URLSAFE_NO_PADDING

static const uint8_t	key[] = "test-secret-0123456789";
#define KEYLEN		(sizeof(key) - 1)

static struct pd_buf		tok;
static struct jwt_claims	c;
static const char		*why;

static void
init(void)
{
	pd_buf_init(&tok, 0);
	cr_assert(sodium_init() >= 0);
}

static void
fini(void)
{
	pd_buf_free(&tok);
}

TestSuite(jwt, .init = init, .fini = fini);

static void
b64(struct pd_buf *b, const void *data, size_t len)
{
	char	tmp[8192];

	cr_assert_lt(sodium_base64_ENCODED_LEN(len, B64URL), sizeof(tmp));
	(void)sodium_bin2base64(tmp, sizeof(tmp), data, len, B64URL);
	cr_assert_eq(pd_buf_appends(b, tmp), 0);
}

static void
mac(struct pd_buf *b, const uint8_t *k, size_t klen)
{
	crypto_auth_hmacsha256_state	st;
	uint8_t				m[crypto_auth_hmacsha256_BYTES];

	(void)crypto_auth_hmacsha256_init(&st, k, klen);
	(void)crypto_auth_hmacsha256_update(&st, b->data, b->len);
	(void)crypto_auth_hmacsha256_final(&st, m);
	cr_assert_eq(pd_buf_appendc(b, '.'), 0);
	b64(b, m, sizeof(m));
}

/* header.claims.signature, signed with `k`. */
static const char *
make(const char *header, const char *claims, const uint8_t *k, size_t klen)
{
	pd_buf_reset(&tok);
	b64(&tok, header, strlen(header));
	cr_assert_eq(pd_buf_appendc(&tok, '.'), 0);
	b64(&tok, claims, strlen(claims));
	mac(&tok, k, klen);
	return (pd_buf_cstr(&tok));
}

static const char *
signed_claims(const char *claims)
{
	return (make("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, key,
	    KEYLEN));
}

static enum jwt_result
verify(const char *t)
{
	return (jwt_verify(t, strlen(t), key, KEYLEN, NOW, &c, &why));
}

static void
expect(const char *t, enum jwt_result want, const char *reason)
{
	enum jwt_result	got;

	got = verify(t);
	cr_expect_eq(got, want, "%s: got %d (%s)", t, got, why ? why : "ok");
	if (reason != NULL && why != NULL)
		cr_expect_str_eq(why, reason, "%s", t);
}

Test(jwt, valid_token)
{
	cr_assert_eq(verify(signed_claims("{\"sub\":\"user-1\",\"iat\":"
	    "1699990000,\"exp\":1700003600,\"name\":\"Ann \\\"A\\\" \\u00e9\"}")),
	    JWT_OK, "%s", why);
	cr_expect_null(why);
	cr_expect_str_eq(c.sub, "user-1");
	cr_expect_eq(c.exp, 1700003600);
	cr_expect_eq(c.iat, 1699990000);
	cr_expect_str_eq(c.name, "Ann \"A\" \xc3\xa9");
}

Test(jwt, valid_token_minimal_claims)
{
	cr_assert_eq(verify(signed_claims("{\"sub\":\"u\",\"exp\":1700000001}")),
	    JWT_OK);
	cr_expect_eq(c.iat, 0);
	cr_expect_str_eq(c.name, "");
	/* Unknown claims and a header without "typ" are fine. */
	expect(make("{\"alg\":\"HS256\"}", "{\"sub\":\"u\",\"exp\":1800000000,"
	    "\"aud\":\"x\",\"roles\":[1,2]}", key, KEYLEN), JWT_OK, NULL);
}

Test(jwt, expired)
{
	expect(signed_claims("{\"sub\":\"u\",\"exp\":1600000000}"), JWT_EXPIRED,
	    "token has expired");
	/* exp is the first second at which the token is no longer valid. */
	expect(signed_claims("{\"sub\":\"u\",\"exp\":1700000000}"), JWT_EXPIRED,
	    NULL);
	expect(signed_claims("{\"sub\":\"u\",\"exp\":1700000000.9}"),
	    JWT_EXPIRED, NULL);
	expect(signed_claims("{\"sub\":\"u\",\"exp\":-1e300}"), JWT_EXPIRED,
	    NULL);
}

/*
 * An exp beyond int64 used to be converted with a plain (int64_t) cast of
 * the double: undefined behaviour (UBSan: float-cast-overflow).  It is
 * clamped now: such a token simply does not expire before year 9999.
 */
Test(jwt, huge_exp_is_clamped)
{
	cr_assert_eq(verify(signed_claims("{\"sub\":\"u\",\"exp\":1e300,"
	    "\"iat\":-1e300}")), JWT_OK, "%s", why);
	cr_expect_eq(c.exp, 253402300799LL);
	cr_expect_eq(c.iat, -253402300799LL);
	cr_assert_eq(verify(signed_claims("{\"sub\":\"u\",\"exp\":"
	    "9223372036854775807}")), JWT_OK);
	cr_expect_eq(c.exp, 253402300799LL);
	cr_assert_eq(verify(signed_claims("{\"sub\":\"u\",\"exp\":1e999}")),
	    JWT_OK);
	cr_expect_eq(c.exp, 253402300799LL);
}

Test(jwt, bad_signature)
{
	const uint8_t	other[] = "test-secret-0123456788";
	char		t[1024];
	size_t		n;

	expect(make("{\"alg\":\"HS256\"}", "{\"sub\":\"u\",\"exp\":1800000000}",
	    other, sizeof(other) - 1), JWT_BAD_SIGNATURE,
	    "token signature is invalid");

	/* Every byte of the signing input is covered. */
	(void)snprintf(t, sizeof(t), "%s",
	    signed_claims("{\"sub\":\"u\",\"exp\":1800000000}"));
	n = (size_t)(strchr(t, '.') - t);
	t[n + 2] = t[n + 2] == 'A' ? 'B' : 'A';
	cr_expect_neq(verify(t), JWT_OK);

	/* A truncated or padded signature. */
	(void)snprintf(t, sizeof(t), "%s",
	    signed_claims("{\"sub\":\"u\",\"exp\":1800000000}"));
	t[strlen(t) - 4] = '\0';
	expect(t, JWT_BAD_SIGNATURE, NULL);
	(void)snprintf(t, sizeof(t), "%sAAAA",
	    signed_claims("{\"sub\":\"u\",\"exp\":1800000000}"));
	expect(t, JWT_BAD_SIGNATURE, NULL);
}

Test(jwt, alg_none_and_other_algorithms)
{
	const char	*claims = "{\"sub\":\"u\",\"exp\":1800000000}";

	/* The classic attack: alg "none" and an empty signature. */
	pd_buf_reset(&tok);
	b64(&tok, "{\"alg\":\"none\"}", 14);
	cr_assert_eq(pd_buf_appendc(&tok, '.'), 0);
	b64(&tok, claims, strlen(claims));
	cr_assert_eq(pd_buf_appendc(&tok, '.'), 0);
	expect(pd_buf_cstr(&tok), JWT_MALFORMED, "token header is not HS256");

	/* Correctly "signed", but not with the algorithm we accept. */
	expect(make("{\"alg\":\"none\"}", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, "token header is not HS256");
	expect(make("{\"alg\":\"HS512\"}", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, "token header is not HS256");
	expect(make("{\"alg\":\"hs256\"}", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, NULL);
	expect(make("{\"typ\":\"JWT\"}", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, NULL);
	expect(make("{\"alg\":[\"HS256\"]}", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, NULL);
	expect(make("[\"HS256\"]", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, NULL);
	expect(make("nope", "{\"sub\":\"u\",\"exp\":1800000000}",
	    key, KEYLEN), JWT_MALFORMED, NULL);
}

Test(jwt, not_a_jwt)
{
	const char	*bad[] = { "", "not-a-jwt", "a.b", "a.b.c.d", "..",
	    "%%%.###.!!!", "this.is-not-a.jwt" };
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect(bad[i], JWT_MALFORMED, NULL);
}

Test(jwt, malformed_base64)
{
	char	t[1024], *p;

	(void)snprintf(t, sizeof(t), "%s", signed_claims(
	    "{\"sub\":\"u\",\"exp\":1800000000}"));
	/* Standard-alphabet characters are not base64url. */
	p = strchr(t, '.') + 1;
	*p = '+';
	expect(t, JWT_MALFORMED, "token is not a JWT");
	(void)snprintf(t, sizeof(t), "%s", signed_claims(
	    "{\"sub\":\"u\",\"exp\":1800000000}"));
	t[0] = '/';
	expect(t, JWT_MALFORMED, NULL);
	/* Padding is not allowed either. */
	(void)snprintf(t, sizeof(t), "%s=", signed_claims(
	    "{\"sub\":\"u\",\"exp\":1800000000}"));
	expect(t, JWT_MALFORMED, NULL);
	/* A single base64 character cannot be decoded. */
	expect("e.e.e", JWT_MALFORMED, NULL);
}

Test(jwt, claims_rules)
{
	char	claims[512];

	expect(signed_claims("{\"exp\":1800000000}"), JWT_MALFORMED,
	    "token has no valid sub claim");
	expect(signed_claims("{\"sub\":\"\",\"exp\":1800000000}"),
	    JWT_MALFORMED, "token has no valid sub claim");
	expect(signed_claims("{\"sub\":42,\"exp\":1800000000}"),
	    JWT_MALFORMED, "token has no valid sub claim");
	expect(signed_claims("{\"sub\":null,\"exp\":1800000000}"),
	    JWT_MALFORMED, NULL);
	expect(signed_claims("{\"sub\":[\"u\"],\"exp\":1800000000}"),
	    JWT_MALFORMED, NULL);
	expect(signed_claims("{\"sub\":\"u\"}"), JWT_MALFORMED,
	    "token has no exp claim");
	expect(signed_claims("{\"sub\":\"u\",\"exp\":\"1800000000\"}"),
	    JWT_MALFORMED, "token has no exp claim");
	expect(signed_claims("{\"sub\":\"u\",\"exp\":null}"), JWT_MALFORMED,
	    NULL);
	expect(signed_claims("[\"u\",1800000000]"), JWT_MALFORMED,
	    "token claims are not a JSON object");
	expect(signed_claims("not json"), JWT_MALFORMED,
	    "token claims are not a JSON object");
	expect(signed_claims("{\"sub\":\"u\",\"exp\":1800000000"),
	    JWT_MALFORMED, NULL);

	/* A non-string name or iat is ignored. */
	cr_assert_eq(verify(signed_claims("{\"sub\":\"u\",\"exp\":1800000000,"
	    "\"name\":7,\"iat\":\"x\"}")), JWT_OK);
	cr_expect_str_eq(c.name, "");
	cr_expect_eq(c.iat, 0);

	/* sub: 127 bytes fit, 128 do not. */
	(void)snprintf(claims, sizeof(claims), "{\"sub\":\"%0*d\",\"exp\":"
	    "1800000000}", JWT_SUB_MAX - 1, 0);
	expect(signed_claims(claims), JWT_OK, NULL);
	cr_expect_eq(strlen(c.sub), JWT_SUB_MAX - 1);
	(void)snprintf(claims, sizeof(claims), "{\"sub\":\"%0*d\",\"exp\":"
	    "1800000000}", JWT_SUB_MAX, 0);
	expect(signed_claims(claims), JWT_MALFORMED,
	    "token has no valid sub claim");
}

/*
 * The name claim is cut to JWT_NAME_MAX - 1 bytes; it used to be cut in
 * the middle of a UTF-8 sequence, which then made invalid JSON text
 * wherever the name was written (found by fuzz_jwt).
 */
Test(jwt, long_name_is_cut_on_a_character_boundary)
{
	char	claims[1024], name[512];
	size_t	i, k;

	k = 0;
	for (i = 0; i < 126; i++)
		name[k++] = 'n';
	name[k++] = '\xd5';			/* U+0572, bytes 127-128 */
	name[k++] = '\xb2';
	name[k++] = 'x';
	name[k] = '\0';
	(void)snprintf(claims, sizeof(claims), "{\"sub\":\"u\",\"exp\":"
	    "1800000000,\"name\":\"%s\"}", name);
	cr_assert_eq(verify(signed_claims(claims)), JWT_OK);
	cr_expect_eq(strlen(c.name), 126);
	cr_expect_eq(memcmp(c.name, name, 126), 0);

	/* Exactly 127 bytes ending in a whole character: kept. */
	name[125] = '\xd5';
	name[126] = '\xb2';
	name[127] = '\0';
	(void)snprintf(claims, sizeof(claims), "{\"sub\":\"u\",\"exp\":"
	    "1800000000,\"name\":\"%s\"}", name);
	cr_assert_eq(verify(signed_claims(claims)), JWT_OK);
	cr_expect_str_eq(c.name, name);
}

Test(jwt, claims_are_cleared_on_failure)
{
	(void)verify(signed_claims("{\"sub\":\"u\",\"exp\":1800000000}"));
	cr_assert_str_eq(c.sub, "u");
	expect("garbage", JWT_MALFORMED, NULL);
	cr_expect_str_eq(c.sub, "");
}

Test(jwt, too_long)
{
	char	*t;
	size_t	 n;

	n = JWT_TOKEN_MAX + 1;
	cr_assert_not_null(t = malloc(n + 1));
	memset(t, 'A', n);
	t[10] = '.';
	t[20] = '.';
	t[n] = '\0';
	expect(t, JWT_MALFORMED, "token is not a JWT");
	free(t);
}

Test(jwt, sign_then_verify)
{
	struct jwt_claims	in;
	struct pd_buf		b;

	memset(&in, 0, sizeof(in));
	(void)snprintf(in.sub, sizeof(in.sub), "user \"quoted\" \\ \x01 \xc3\xa9");
	(void)snprintf(in.name, sizeof(in.name), "Name </script>");
	in.iat = NOW - 10;
	in.exp = NOW + 3600;
	pd_buf_init(&b, 0);
	cr_assert_eq(jwt_sign(&b, &in, key, KEYLEN), 0);
	cr_assert_eq(jwt_verify((char *)b.data, b.len, key, KEYLEN, NOW, &c,
	    &why), JWT_OK, "%s", why);
	cr_expect_str_eq(c.sub, in.sub);
	cr_expect_str_eq(c.name, in.name);
	cr_expect_eq(c.iat, in.iat);
	cr_expect_eq(c.exp, in.exp);
	/* Three base64url parts, no padding. */
	(void)pd_buf_cstr(&b);
	cr_expect_null(strchr((char *)b.data, '='));
	cr_expect_null(strchr((char *)b.data, '+'));
	cr_expect_null(strchr((char *)b.data, '/'));

	/* The same token with another key, or later, is refused. */
	cr_expect_eq(jwt_verify((char *)b.data, b.len, (const uint8_t *)"k", 1,
	    NOW, &c, &why), JWT_BAD_SIGNATURE);
	cr_expect_eq(jwt_verify((char *)b.data, b.len, key, KEYLEN, NOW + 3600,
	    &c, &why), JWT_EXPIRED);

	/* Without a name, no name claim. */
	pd_buf_reset(&b);
	in.name[0] = '\0';
	cr_assert_eq(jwt_sign(&b, &in, key, KEYLEN), 0);
	cr_assert_eq(jwt_verify((char *)b.data, b.len, key, KEYLEN, NOW, &c,
	    &why), JWT_OK);
	cr_expect_str_eq(c.name, "");
	pd_buf_free(&b);
}

/* A token from node's jsonwebtoken-style signer (tests/integration/lib/jwt.mjs). */
Test(jwt, interoperates_with_a_known_token)
{
	/* HS256, key "secret", {"sub":"1234567890","name":"John Doe",
	 * "iat":1516239022,"exp":9999999999}. */
	const char	*t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
	    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
	    "MjM5MDIyLCJleHAiOjk5OTk5OTk5OTl9.";
	pd_buf_reset(&tok);
	cr_assert_eq(pd_buf_appends(&tok, t), 0);
	tok.len--;	/* drop the '.'; mac() adds it */
	mac(&tok, (const uint8_t *)"secret", 6);
	cr_assert_eq(jwt_verify((char *)tok.data, tok.len, (const uint8_t *)
	    "secret", 6, NOW, &c, &why), JWT_OK, "%s", why);
	cr_expect_str_eq(c.sub, "1234567890");
	cr_expect_str_eq(c.name, "John Doe");
}
