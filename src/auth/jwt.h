/*
 * jwt: HS256 JSON Web Tokens (RFC 7519) with libsodium.
 *
 * Only HS256 is accepted; the signature is compared in constant time.
 * Claims used: sub (string, required), exp (required), iat, name.
 */
#ifndef PD_AUTH_JWT_H
#define PD_AUTH_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JWT_SUB_MAX		128
#define JWT_NAME_MAX		128
#define JWT_TOKEN_MAX		4096

enum jwt_result {
	JWT_OK = 0,
	JWT_MALFORMED,		/* not a JWT, bad JSON, bad claims */
	JWT_BAD_SIGNATURE,
	JWT_EXPIRED
};

struct jwt_claims {
	char		sub[JWT_SUB_MAX];
	char		name[JWT_NAME_MAX];
	int64_t		exp;
	int64_t		iat;
};

/* Verifies `token` against `key` at time `now` (seconds). */
enum jwt_result	jwt_verify(const char *token, size_t len, const uint8_t *key,
		    size_t keylen, int64_t now, struct jwt_claims *,
		    const char **why);

/* Appends a signed token for `claims` (empty name: no name claim). */
int		jwt_sign(struct pd_buf *, const struct jwt_claims *,
		    const uint8_t *key, size_t keylen);

#endif
