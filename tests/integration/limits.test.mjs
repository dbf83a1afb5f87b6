// Limits over time (CONTRACT.md sections 3, 5 and 6): rate limits per
// connection and event class, roll expiry, and a connection that does
// not outlive its token.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { close, closeAll, connect, emitAck, once, waitConnect } from './lib/client.mjs';
import { api, join, ok, player, refused, setupGame } from './lib/game.mjs';
import { sign, nowSeconds, validToken } from './lib/jwt.mjs';
import { startServer } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('rate limits (defaults)', () => {
	let server, g;
	before(async () => {
		server = await startServer({ name: 'ratelimit' });
		g = await setupGame(server);
	});
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('20 events a second with 5 roll_dice are never refused', async () => {
		const s = await player(server, g.away);
		await join(s, g.game_id);
		const codes = [];
		for (let i = 0; i < 40; i++) {
			const event = i % 4 === 0 ? 'roll_dice' : 'heartbeat';
			const ack = await emitAck(s, event, { game_id: g.game_id });
			if (!ack.ok) codes.push(ack.error.code);
			await sleep(50);
		}
		assert.ok(!codes.includes('RATE_LIMITED'), codes.join());
		close(s);
	});

	test('a flood is refused with retry_after_ms, then disconnected; others unaffected', async () => {
		const flooder = await player(server, g.home);
		const other = await player(server, g.away);
		const errors = [];
		flooder.on('error', (e) => errors.push(e));
		const gone = once(flooder, 'disconnect', 10_000);
		for (let i = 0; i < 200; i++) flooder.emit('heartbeat');
		// Meanwhile another connection is served as usual.
		const ack = await emitAck(other, 'heartbeat', undefined, 5000);
		assert.equal(ack.ok, true);
		assert.equal(await gone, 'io server disconnect');
		const limited = errors.filter((e) => e.code === 'RATE_LIMITED');
		assert.ok(limited.length > 0, 'no RATE_LIMITED');
		assert.ok(limited.every((e) => e.retry_after_ms > 0), JSON.stringify(limited[0]));
		const again = await emitAck(other, 'heartbeat', undefined, 5000);
		assert.equal(again.ok, true);
	});
});

describe('roll expiry', () => {
	let server, g;
	before(async () => {
		server = await startServer({ name: 'rollttl', env: { ROLL_TTL_SECONDS: '1' } });
		g = await setupGame(server);
	});
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('an expired roll is refused with ROLL_EXPIRED; a new roll may follow', async () => {
		const s = await player(server, g.away);
		await join(s, g.game_id);
		const first = await ok(s, 'roll_dice', { game_id: g.game_id });
		await sleep(1300);
		const rejected = once(s, 'outcome_rejected');
		await refused(s, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'single' },
		    'ROLL_EXPIRED');
		const r = await rejected;
		assert.equal(r.message, 'Roll expired - please roll again');
		assert.equal(r.field, 'game_state');
		const second = await ok(s, 'roll_dice', { game_id: g.game_id });
		// The audit tells what became of each roll (the admin reads it).
		const rolls = async () => (await api(server, 'GET', `/api/games/${g.game_id}/audit`,
		    { token: g.away.token })).body.entries.filter((e) => e.type === 'roll')
		    .map((e) => [e.ref, e.status]);
		assert.deepEqual(await rolls(), [[first.roll_id, 'expired'], [second.roll_id, 'pending']]);
		await ok(s, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'single' });
		assert.deepEqual(await rolls(), [[first.roll_id, 'expired'], [second.roll_id, 'used']]);
	});
});

describe('token lifetime on a live socket', () => {
	let server;
	before(async () => {
		server = await startServer({ name: 'tokens' });
	});
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('at expiry: token_expired, then a server disconnect', async () => {
		const t = sign({ sub: 'short-lived', iat: nowSeconds(), exp: nowSeconds() + 2 },
		    server.secret);
		const s = connect(server.url, { token: t });
		const expired = once(s, 'token_expired', 5000);
		const gone = once(s, 'disconnect', 6000);
		await waitConnect(s);
		await expired;
		assert.equal(await gone, 'io server disconnect');
	});

	test('refresh_token extends the connection; another sub is refused', async () => {
		const sub = 'refresher';
		const t = sign({ sub, iat: nowSeconds(), exp: nowSeconds() + 2 }, server.secret);
		const s = connect(server.url, { token: t });
		await waitConnect(s);
		const fresh = sign({ sub, iat: nowSeconds(), exp: nowSeconds() + 3600 }, server.secret);
		const refreshed = once(s, 'token_refreshed');
		const ack = await emitAck(s, 'refresh_token', { token: fresh });
		assert.equal(ack.ok, true, JSON.stringify(ack));
		const r = await refreshed;
		assert.equal(r.user_id, sub);
		assert.ok(Date.parse(r.expires_at) > Date.now() + 3000 * 1000, r.expires_at);
		const other = validToken(server.secret).token;
		const bad = await emitAck(s, 'refresh_token', { token: other });
		assert.equal(bad.ok, false);
		assert.equal(bad.error.code, 'AUTH_INVALID');
		await sleep(2500);
		assert.equal(s.connected, true, 'disconnected despite the refresh');
		close(s);
	});
});
