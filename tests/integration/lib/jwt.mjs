// HS256 JSON Web Tokens for tests (RFC 7519), made with node:crypto only, so
// the tests do not trust the server's own JWT code.  Also the broken tokens
// the server must refuse.

import { createHmac, randomUUID } from 'node:crypto';

export function b64url(data) {
	return Buffer.from(data).toString('base64url');
}

export function nowSeconds() {
	return Math.floor(Date.now() / 1000);
}

/** Signs any claims with HS256; header fields can be overridden. */
export function sign(claims, secret, header = {}) {
	const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...header }));
	const body = b64url(JSON.stringify(claims));
	const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
	return `${head}.${body}.${mac}`;
}

/** Claims of a fresh valid token: a new user unless sub is given. */
export function claims({ sub = `test-${randomUUID()}`, name, ttl = 3600, iat } = {}) {
	const t = iat ?? nowSeconds();
	const c = { sub, iat: t, exp: t + ttl };
	if (name !== undefined) c.name = name;
	return c;
}

/** A valid token; returns { token, sub, claims }. */
export function validToken(secret, opts = {}) {
	const c = claims(opts);
	return { token: sign(c, secret), sub: c.sub, claims: c };
}

/** Correctly signed, but exp is in the past. */
export function expiredToken(secret, opts = {}) {
	const iat = nowSeconds() - 7200;
	const c = claims({ ...opts, iat, ttl: 3600 });
	return { token: sign(c, secret), sub: c.sub, claims: c };
}

/**
 * Signed with another key.  (Changing the last character of a good token is
 * not enough: base64url's padding bits can make two strings decode alike.)
 */
export function badSignatureToken(secret, opts = {}) {
	const c = claims(opts);
	return { token: sign(c, `${secret}-but-not-quite`), sub: c.sub, claims: c };
}

/** Tokens that are not JWTs at all, or not ones we accept. */
export function malformedTokens(secret) {
	const good = validToken(secret).token;
	const [h, b] = good.split('.');
	return {
		garbage: 'not-a-jwt',
		twoParts: `${h}.${b}`,
		notBase64: '%%%.###.!!!',
		headerNotJson: `${b64url('nope')}.${b}.${good.split('.')[2]}`,
		algNone: `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b}.`,
	};
}

/** The one malformed token the tests use by default. */
export function malformedToken() {
	return 'this.is-not-a.jwt';
}
