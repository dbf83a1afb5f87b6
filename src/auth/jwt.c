/*
 * jwt: HS256 verification and signing, see jwt.h.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/jwt.h"
#include "util/jsonutil.h"

#define B64URL	sodium_base64_VARIANT_URLSAFE_NO_PADDING

static int	b64url_decode(const char *, size_t, uint8_t **, size_t *);
static int	b64url_append(struct pd_buf *, const void *, size_t);
static void	hmac(const uint8_t *, size_t, const char *, size_t,
		    uint8_t *);
static int	header_ok(const uint8_t *, size_t);
static enum jwt_result claims_parse(const uint8_t *, size_t,
		    struct jwt_claims *, const char **);
static int64_t	claim_time(yajl_val);

/* NumericDates are clamped to year 9999: a double out of int64 is UB. */
#define JWT_TIME_MAX	253402300799LL

static int
b64url_decode(const char *s, size_t len, uint8_t **out, size_t *outlen)
{
	uint8_t		*p;

	if ((p = malloc(len + 1)) == NULL)
		return (-1);
	if (sodium_base642bin(p, len + 1, s, len, NULL, outlen, NULL,
	    B64URL) != 0) {
		free(p);
		return (-1);
	}
	*out = p;
	return (0);
}

static int
b64url_append(struct pd_buf *b, const void *data, size_t len)
{
	char		*tmp;
	size_t		 n;
	int		 rc;

	n = sodium_base64_ENCODED_LEN(len, B64URL);
	if ((tmp = malloc(n)) == NULL)
		return (-1);
	(void)sodium_bin2base64(tmp, n, data, len, B64URL);
	rc = pd_buf_appends(b, tmp);
	free(tmp);
	return (rc);
}

static void
hmac(const uint8_t *key, size_t keylen, const char *msg, size_t len,
    uint8_t *mac)
{
	crypto_auth_hmacsha256_state	st;

	(void)crypto_auth_hmacsha256_init(&st, key, keylen);
	(void)crypto_auth_hmacsha256_update(&st, (const uint8_t *)msg, len);
	(void)crypto_auth_hmacsha256_final(&st, mac);
}

static int
header_ok(const uint8_t *json, size_t len)
{
	yajl_val	 v;
	const char	*alg;
	int		 ok;

	if ((v = json_parse((const char *)json, len, NULL, 0)) == NULL)
		return (0);
	alg = json_string(v, "alg");
	ok = YAJL_IS_OBJECT(v) && alg != NULL && strcmp(alg, "HS256") == 0;
	yajl_tree_free(v);
	return (ok);
}

static int64_t
claim_time(yajl_val v)
{
	double	d;

	if (YAJL_IS_INTEGER(v))
		d = (double)YAJL_GET_INTEGER(v);
	else
		d = YAJL_GET_DOUBLE(v);
	if (!(d > -JWT_TIME_MAX))	/* NaN too */
		return (-JWT_TIME_MAX);
	if (d > JWT_TIME_MAX)
		return (JWT_TIME_MAX);
	return (YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : (int64_t)d);
}

static enum jwt_result
claims_parse(const uint8_t *json, size_t len, struct jwt_claims *c,
    const char **why)
{
	yajl_val	 v, exp, iat;
	const char	*sub, *name;
	size_t		 n;
	enum jwt_result	 rc;

	if ((v = json_parse((const char *)json, len, NULL, 0)) == NULL ||
	    !YAJL_IS_OBJECT(v)) {
		*why = "token claims are not a JSON object";
		rc = JWT_MALFORMED;
		goto out;
	}
	sub = json_string(v, "sub");
	exp = json_get(v, "exp");
	iat = json_get(v, "iat");
	name = json_string(v, "name");
	rc = JWT_MALFORMED;
	if (sub == NULL || sub[0] == '\0' || strlen(sub) >= sizeof(c->sub)) {
		*why = "token has no valid sub claim";
		goto out;
	}
	if (exp == NULL || !YAJL_IS_NUMBER(exp)) {
		*why = "token has no exp claim";
		goto out;
	}
	(void)snprintf(c->sub, sizeof(c->sub), "%s", sub);
	c->exp = claim_time(exp);
	c->iat = (iat != NULL && YAJL_IS_NUMBER(iat)) ? claim_time(iat) : 0;
	c->name[0] = '\0';
	if (name != NULL) {
		/* A long name is cut, but never inside a UTF-8 sequence. */
		n = strlen(name);
		if (n >= sizeof(c->name)) {
			n = sizeof(c->name) - 1;
			while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(c->name, name, n);
		c->name[n] = '\0';
	}
	rc = JWT_OK;
out:
	if (v != NULL)
		yajl_tree_free(v);
	return (rc);
}

enum jwt_result
jwt_verify(const char *tok, size_t len, const uint8_t *key, size_t keylen,
    int64_t now, struct jwt_claims *claims, const char **why)
{
	const char	*dot1, *dot2, *end;
	uint8_t		*hdr, *body, *sig, mac[crypto_auth_hmacsha256_BYTES];
	size_t		 hdrlen, bodylen, siglen;
	enum jwt_result	 rc;

	hdr = body = sig = NULL;
	memset(claims, 0, sizeof(*claims));
	*why = "token is not a JWT";
	if (len == 0 || len > JWT_TOKEN_MAX)
		return (JWT_MALFORMED);

	end = tok + len;
	if ((dot1 = memchr(tok, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1))) == NULL ||
	    memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)) != NULL)
		return (JWT_MALFORMED);

	rc = JWT_MALFORMED;
	if (b64url_decode(tok, (size_t)(dot1 - tok), &hdr, &hdrlen) == -1 ||
	    b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &body,
	    &bodylen) == -1 ||
	    b64url_decode(dot2 + 1, (size_t)(end - dot2 - 1), &sig,
	    &siglen) == -1)
		goto out;
	if (!header_ok(hdr, hdrlen)) {
		*why = "token header is not HS256";
		goto out;
	}

	hmac(key, keylen, tok, (size_t)(dot2 - tok), mac);
	if (siglen != sizeof(mac) || crypto_verify_32(mac, sig) != 0) {
		*why = "token signature is invalid";
		rc = JWT_BAD_SIGNATURE;
		goto out;
	}

	if ((rc = claims_parse(body, bodylen, claims, why)) != JWT_OK)
		goto out;
	if (now >= claims->exp) {
		*why = "token has expired";
		rc = JWT_EXPIRED;
		goto out;
	}
	*why = NULL;
	rc = JWT_OK;
out:
	free(hdr);
	free(body);
	free(sig);
	return (rc);
}

int
jwt_sign(struct pd_buf *out, const struct jwt_claims *c, const uint8_t *key,
    size_t keylen)
{
	static const char	 header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	struct pd_buf		 claims;
	uint8_t			 mac[crypto_auth_hmacsha256_BYTES];
	size_t			 start;
	int			 rc;

	pd_buf_init(&claims, 0);
	rc = -1;
	if (pd_buf_appends(&claims, "{\"sub\":") == -1 ||
	    json_append_string(&claims, c->sub, strlen(c->sub)) == -1 ||
	    pd_buf_appendf(&claims, ",\"iat\":%lld,\"exp\":%lld",
	    (long long)c->iat, (long long)c->exp) == -1)
		goto out;
	if (c->name[0] != '\0' && (pd_buf_appends(&claims, ",\"name\":") ==
	    -1 || json_append_string(&claims, c->name,
	    strlen(c->name)) == -1))
		goto out;
	if (pd_buf_appendc(&claims, '}') == -1)
		goto out;

	start = out->len;
	if (b64url_append(out, header, sizeof(header) - 1) == -1 ||
	    pd_buf_appendc(out, '.') == -1 ||
	    b64url_append(out, claims.data, claims.len) == -1)
		goto out;
	hmac(key, keylen, (const char *)out->data + start, out->len - start,
	    mac);
	if (pd_buf_appendc(out, '.') == -1 ||
	    b64url_append(out, mac, sizeof(mac)) == -1)
		goto out;
	rc = 0;
out:
	pd_buf_free(&claims);
	return (rc);
}
