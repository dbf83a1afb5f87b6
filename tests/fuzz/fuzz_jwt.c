/*
 * Fuzzes the JWT verifier two ways, chosen by the first byte:
 *
 *   even: the rest is a token, verified as is against a fixed key;
 *   odd:  the rest is "<header JSON>\n<claims JSON>", which the target
 *         encodes and signs with the key itself, so the fuzzer reaches
 *         the header and claims checks past the signature.
 *
 * A token that verifies must have sane claims, and signing those claims
 * again must give a token that verifies to the same claims.
 */
#include <string.h>

#include <sodium.h>

#include "auth/jwt.h"
#include "fuzz.h"

#define NOW	1700000000LL

static const uint8_t	key[] = "fuzz-key-0123456789abcdef";

static void
b64url(struct pd_buf *b, const uint8_t *data, size_t len)
{
	char	*tmp;
	size_t	 n;

	n = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	FUZZ_CHECK((tmp = malloc(n)) != NULL);
	(void)sodium_bin2base64(tmp, n, data, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	FUZZ_CHECK(pd_buf_appends(b, tmp) == 0);
	free(tmp);
}

static void
build_signed(struct pd_buf *tok, const uint8_t *data, size_t size)
{
	crypto_auth_hmacsha256_state	 st;
	const uint8_t			*nl;
	uint8_t				 mac[crypto_auth_hmacsha256_BYTES];
	size_t				 hlen;

	nl = memchr(data, '\n', size);
	hlen = nl != NULL ? (size_t)(nl - data) : size;
	b64url(tok, data, hlen);
	FUZZ_CHECK(pd_buf_appendc(tok, '.') == 0);
	if (nl != NULL)
		b64url(tok, nl + 1, size - hlen - 1);
	(void)crypto_auth_hmacsha256_init(&st, key, sizeof(key) - 1);
	(void)crypto_auth_hmacsha256_update(&st, tok->data, tok->len);
	(void)crypto_auth_hmacsha256_final(&st, mac);
	FUZZ_CHECK(pd_buf_appendc(tok, '.') == 0);
	b64url(tok, mac, sizeof(mac));
}

static void
check_claims(const struct jwt_claims *c)
{
	FUZZ_CHECK(memchr(c->sub, '\0', sizeof(c->sub)) != NULL);
	FUZZ_CHECK(c->sub[0] != '\0');
	FUZZ_CHECK(memchr(c->name, '\0', sizeof(c->name)) != NULL);
	FUZZ_CHECK(c->exp > NOW);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_buf		 tok, again;
	struct jwt_claims	 c, c2;
	const char		*why;
	enum jwt_result		 rc;

	if (size == 0)
		return (0);
	pd_buf_init(&tok, 0);
	if (data[0] & 1)
		build_signed(&tok, data + 1, size - 1);
	else
		FUZZ_CHECK(pd_buf_append(&tok, data + 1, size - 1) == 0);

	rc = jwt_verify((const char *)tok.data, tok.len, key,
	    sizeof(key) - 1, NOW, &c, &why);
	FUZZ_CHECK(rc >= JWT_OK && rc <= JWT_EXPIRED);
	FUZZ_CHECK((rc == JWT_OK) == (why == NULL));
	if (rc == JWT_OK) {
		check_claims(&c);
		pd_buf_init(&again, 0);
		FUZZ_CHECK(jwt_sign(&again, &c, key, sizeof(key) - 1) == 0);
		rc = jwt_verify((const char *)again.data, again.len, key,
		    sizeof(key) - 1, NOW, &c2, &why);
		if (rc != JWT_OK) {
			fprintf(stderr, "re-signed token refused: %s\n", why);
			abort();
		}
		FUZZ_CHECK(strcmp(c.sub, c2.sub) == 0 &&
		    strcmp(c.name, c2.name) == 0 && c.exp == c2.exp &&
		    c.iat == c2.iat);
		pd_buf_free(&again);
	}
	pd_buf_free(&tok);
	return (0);
}
