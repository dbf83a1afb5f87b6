// The REST API (CONTRACT.md sections 3, 4 and 7) against the real server and
// PostgreSQL: every route, every error status, the box score against the
// engine's own replay of the same game, the login rate limit, malformed
// input that must never take a worker down, and /healthz following
// PostgreSQL down and up again (on a private cluster of its own, so other
// test files keep their database).

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pjoin } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { closeAll, once } from './lib/client.mjs';
import { api, join, ok, player, register } from './lib/game.mjs';
import { badSignatureToken, expiredToken, malformedToken, validToken } from './lib/jwt.mjs';
import { ROOT, freePort, startServer } from './lib/server.mjs';

const POSITIONS = ['C', '1B', '2B', '3B', 'SS', 'LF', 'CF', 'RF'];

async function raw(server, method, path, { headers = {}, body } = {}) {
	const res = await fetch(`${server.url}${path}`, { method, headers, body });
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, headers: res.headers, text, body: json };
}

function assertError(res, status, code) {
	assert.equal(res.status, status, JSON.stringify(res.body));
	assert.ok(res.body && res.body.error, `no error object: ${JSON.stringify(res.body)}`);
	assert.equal(res.body.error.code, code, res.body.error.message);
	assert.equal(typeof res.body.error.message, 'string');
	assert.ok(res.body.error.message.length > 0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('REST API', () => {
	let server, alice, bob, aliceTeam, bobTeam, game;
	const stranger = () => validToken(server.secret, { name: 'Stranger' });

	before(async () => {
		server = await startServer({ workers: 2, name: 'rest', env: { RATE_LIMITS: 'off' } });
		alice = await register(server, 'alice');
		bob = await register(server, 'bob');
	});

	after(async () => {
		closeAll();
		const log = server?.logTail(400) ?? '';
		await server?.stop();
		assert.ok(!/died|sandbox violation|SIGSEGV|SIGABRT/.test(log), `a worker died:\n${log}`);
	});

	describe('documents and health', () => {
		test('GET /api/openapi.json: OpenAPI 3.0 describing every route', async () => {
			const res = await raw(server, 'GET', '/api/openapi.json');
			assert.equal(res.status, 200);
			assert.match(res.headers.get('content-type'), /application\/json/);
			assert.match(res.body.openapi, /^3\.0\./);
			assert.equal(res.text, readFileSync(pjoin(ROOT, 'conf/openapi.json'), 'utf8'));
			const want = {
				'/api/auth/register': ['post'], '/api/auth/login': ['post'],
				'/api/teams': ['get', 'post'], '/api/teams/{team_id}': ['get'],
				'/api/games': ['get', 'post'], '/api/games/{game_id}': ['get'],
				'/api/games/{game_id}/plays': ['get'], '/api/games/{game_id}/box-score': ['get'],
				'/api/games/{game_id}/lineup': ['get'], '/api/games/{game_id}/audit': ['get'],
				'/api/openapi.json': ['get'], '/healthz': ['get'], '/metrics': ['get'],
			};
			for (const [p, methods] of Object.entries(want)) {
				for (const m of methods) assert.ok(res.body.paths[p]?.[m], `${m} ${p} missing`);
			}
		});

		test('GET /healthz: 200 {status, database}', async () => {
			const res = await raw(server, 'GET', '/healthz');
			assert.equal(res.status, 200);
			assert.deepEqual(res.body, { status: 'ok', database: 'up' });
		});

		test('GET /metrics: Prometheus text with database latency and REST counts', async () => {
			const res = await raw(server, 'GET', '/metrics');
			assert.equal(res.status, 200);
			assert.match(res.headers.get('content-type'), /^text\/plain/);
			for (const name of ['pd_connections', 'pd_rooms', 'pd_events_total',
			    'pd_errors_total', 'pd_http_responses_total',
			    'pd_db_query_duration_seconds_bucket', 'pd_db_query_duration_seconds_count']) {
				assert.match(res.text, new RegExp(`^# TYPE ${name.replace(/_bucket|_count/, '')} `, 'm'), name);
			}
			const count = Number(/^pd_db_query_duration_seconds_count (\d+)/m.exec(res.text)[1]);
			assert.ok(count >= 2, `db count ${count}`);
			const ok2xx = Number(/^pd_http_responses_total\{class="2xx"\} (\d+)/m.exec(res.text)[1]);
			assert.ok(ok2xx >= 2);
		});

		test('/metrics sums all workers: counts never go down between requests', async () => {
			let last = 0;
			for (let i = 0; i < 8; i++) {
				await raw(server, 'GET', '/healthz');
				const res = await raw(server, 'GET', '/metrics');
				const n = Number(/^pd_http_responses_total\{class="2xx"\} (\d+)/m.exec(res.text)[1]);
				assert.ok(n > last, `2xx ${n} after ${last}`);
				last = n;
			}
		});
	});

	describe('routing', () => {
		test('unknown /api/ route: 404 NOT_FOUND', async () => {
			assertError(await raw(server, 'GET', '/api/nope'), 404, 'NOT_FOUND');
			assertError(await raw(server, 'GET', '/api/games/x/y/z'), 404, 'NOT_FOUND');
		});

		test('known route, wrong method: 405 with Allow', async () => {
			const res = await raw(server, 'DELETE', '/api/teams');
			assertError(res, 405, 'METHOD_NOT_ALLOWED');
			assert.match(res.headers.get('allow'), /GET/);
			assertError(await raw(server, 'GET', '/api/auth/login'), 405, 'METHOD_NOT_ALLOWED');
		});
	});

	describe('register and login', () => {
		test('register: 201 {user_id, token, expires_at}; the token works', async () => {
			const username = `reg_${randomUUID().slice(0, 8)}`;
			const res = await api(server, 'POST', '/api/auth/register', { body: { username, password: 'a long password' } });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			assert.equal(typeof res.body.user_id, 'string');
			assert.equal(typeof res.body.token, 'string');
			assert.ok(Date.parse(res.body.expires_at) > Date.now());
			const claims = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url'));
			assert.equal(claims.sub, res.body.user_id);
			const teams = await api(server, 'GET', '/api/teams', { token: res.body.token });
			assert.equal(teams.status, 200);
		});

		test('register a taken username: 409 USERNAME_TAKEN', async () => {
			const res = await api(server, 'POST', '/api/auth/register', { body: { username: alice.username, password: 'something else' } });
			assertError(res, 409, 'USERNAME_TAKEN');
		});

		test('register: missing fields, wrong types and bad values are 400', async () => {
			const post = (body) => raw(server, 'POST', '/api/auth/register', { body, headers: { 'content-type': 'application/json' } });
			assertError(await post('{"password":"abcdefgh"}'), 400, 'MISSING_FIELD');
			assertError(await post('{"username":"someone"}'), 400, 'MISSING_FIELD');
			assertError(await post('{"username":7,"password":"abcdefgh"}'), 400, 'INVALID_FORMAT');
			assertError(await post('{"username":"a b","password":"abcdefgh"}'), 400, 'INVALID_FORMAT');
			assertError(await post('{"username":"okname","password":"short"}'), 400, 'INVALID_FORMAT');
			assertError(await post('{"username":'), 400, 'INVALID_JSON');
			assertError(await post('[1,2]'), 400, 'INVALID_PAYLOAD');
			assertError(await post(''), 400, 'INVALID_JSON');
		});

		test('a body over 64 KiB: 413 PAYLOAD_TOO_LARGE', async () => {
			const body = JSON.stringify({ username: 'x'.repeat(70000), password: 'abcdefgh' });
			const res = await raw(server, 'POST', '/api/auth/register', { body, headers: { 'content-type': 'application/json' } });
			assertError(res, 413, 'PAYLOAD_TOO_LARGE');
		});

		test('login: 200 with a token for the same user', async () => {
			const res = await api(server, 'POST', '/api/auth/login', { body: { username: alice.username, password: 'correct horse battery' } });
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.equal(res.body.user_id, alice.user_id);
			assert.ok(Date.parse(res.body.expires_at) > Date.now());
		});

		test('login: wrong password or unknown user is 401 INVALID_CREDENTIALS', async () => {
			assertError(await api(server, 'POST', '/api/auth/login', { body: { username: alice.username, password: 'wrong password' } }), 401, 'INVALID_CREDENTIALS');
			assertError(await api(server, 'POST', '/api/auth/login', { body: { username: `nobody_${randomUUID().slice(0, 6)}`, password: 'whatever1' } }), 401, 'INVALID_CREDENTIALS');
			assertError(await api(server, 'POST', '/api/auth/login', { body: { username: alice.username } }), 400, 'MISSING_FIELD');
		});

		test('Argon2id runs off the event loop: other requests are served meanwhile', async () => {
			const slow = Array.from({ length: 4 }, () => api(server, 'POST', '/api/auth/register', {
				body: { username: `par_${randomUUID().slice(0, 8)}`, password: 'parallel pass' } }));
			const t0 = Date.now();
			const h = await raw(server, 'GET', '/healthz');
			const fast = Date.now() - t0;
			assert.equal(h.status, 200);
			for (const r of await Promise.all(slow)) assert.equal(r.status, 201);
			assert.ok(fast < 1000, `healthz took ${fast} ms during hashing`);
		});
	});

	describe('bearer authentication', () => {
		test('missing token: 401 AUTH_MISSING', async () => {
			const res = await raw(server, 'GET', '/api/teams');
			assertError(res, 401, 'AUTH_MISSING');
			assert.match(res.headers.get('www-authenticate'), /Bearer/);
		});

		test('malformed, badly signed, wrong scheme: 401 AUTH_INVALID; expired: AUTH_EXPIRED', async () => {
			const get = (h) => raw(server, 'GET', '/api/games', { headers: { authorization: h } });
			assertError(await get(`Bearer ${malformedToken()}`), 401, 'AUTH_INVALID');
			assertError(await get(`Bearer ${badSignatureToken(server.secret).token}`), 401, 'AUTH_INVALID');
			assertError(await get(`Basic ${validToken(server.secret).token}`), 401, 'AUTH_INVALID');
			assertError(await get(`Bearer ${expiredToken(server.secret).token}`), 401, 'AUTH_EXPIRED');
		});

		test('a sub the server has never seen is a valid user', async () => {
			const { token, sub } = validToken(server.secret, { name: 'Newcomer' });
			const res = await api(server, 'POST', '/api/teams', { token, body: { abbrev: 'NEW', name: 'Newcomers' } });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			assert.equal(res.body.owner_user_id, sub);
		});
	});

	describe('teams', () => {
		test('POST /api/teams: 201 with a starter roster (13+ position players, every position, 9+ pitchers)', async () => {
			const res = await api(server, 'POST', '/api/teams', { token: alice.token, body: { abbrev: 'alc', name: 'Alice Aces' } });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			aliceTeam = res.body;
			assert.equal(aliceTeam.abbrev, 'ALC');
			assert.equal(aliceTeam.name, 'Alice Aces');
			assert.equal(aliceTeam.owner_user_id, alice.user_id);
			assert.ok(Number.isInteger(aliceTeam.team_id));
			const batters = aliceTeam.roster.filter((c) => !c.is_pitcher);
			const pitchers = aliceTeam.roster.filter((c) => c.is_pitcher);
			assert.ok(batters.length >= 13, `${batters.length} position players`);
			assert.ok(pitchers.length >= 9, `${pitchers.length} pitchers`);
			for (const p of POSITIONS) assert.ok(batters.some((c) => c.positions.includes(p)), `no ${p}`);
			assert.equal(new Set(aliceTeam.roster.map((c) => c.card_id)).size, aliceTeam.roster.length);
			for (const c of aliceTeam.roster) {
				assert.ok(['L', 'R', 'S'].includes(c.bats));
				assert.ok(['L', 'R'].includes(c.throws));
				assert.equal(typeof c.name, 'string');
			}
			const b = await api(server, 'POST', '/api/teams', { token: bob.token, body: { abbrev: 'BOB', name: 'Bob Bombers' } });
			assert.equal(b.status, 201);
			bobTeam = b.body;
		});

		test('POST /api/teams errors: 400 fields, 409 duplicate abbrev, 401 no token', async () => {
			const post = (body, token = alice.token) => api(server, 'POST', '/api/teams', { token, body });
			assertError(await post({ name: 'No Abbrev' }), 400, 'MISSING_FIELD');
			assertError(await post({ abbrev: 'ZZ' }), 400, 'MISSING_FIELD');
			assertError(await post({ abbrev: 'TOOLONG', name: 'x' }), 400, 'INVALID_FORMAT');
			assertError(await post({ abbrev: 'A!', name: 'x' }), 400, 'INVALID_FORMAT');
			assertError(await post({ abbrev: 'OK', name: '' }), 400, 'INVALID_FORMAT');
			assertError(await post({ abbrev: 12, name: 'x' }), 400, 'INVALID_FORMAT');
			assertError(await post({ abbrev: 'ALC', name: 'Again' }), 409, 'TEAM_EXISTS');
			assertError(await api(server, 'POST', '/api/teams', { body: { abbrev: 'X1', name: 'x' } }), 401, 'AUTH_MISSING');
		});

		test('GET /api/teams: the caller\'s; ?all=1 and ?owner= list others\' teams', async () => {
			const mine = await api(server, 'GET', '/api/teams', { token: alice.token });
			assert.equal(mine.status, 200);
			assert.ok(mine.body.teams.every((t) => t.owner_user_id === alice.user_id));
			assert.ok(mine.body.teams.some((t) => t.team_id === aliceTeam.team_id));
			const all = await api(server, 'GET', '/api/teams?all=1', { token: alice.token });
			assert.ok(all.body.teams.some((t) => t.team_id === bobTeam.team_id));
			const bobs = await api(server, 'GET', `/api/teams?owner=${encodeURIComponent(bob.user_id)}`, { token: alice.token });
			assert.deepEqual(bobs.body.teams.map((t) => t.team_id), [bobTeam.team_id]);
		});

		test('GET /api/teams/{id}: the team with its roster; 400 bad id, 404 unknown', async () => {
			const res = await api(server, 'GET', `/api/teams/${aliceTeam.team_id}`, { token: bob.token });
			assert.equal(res.status, 200);
			assert.deepEqual(res.body.roster, aliceTeam.roster);
			assertError(await api(server, 'GET', '/api/teams/abc', { token: bob.token }), 400, 'INVALID_FORMAT');
			assertError(await api(server, 'GET', '/api/teams/0', { token: bob.token }), 400, 'INVALID_FORMAT');
			assertError(await api(server, 'GET', '/api/teams/2000000000', { token: bob.token }), 404, 'TEAM_NOT_FOUND');
		});
	});

	describe('games', () => {
		test('POST /api/games: 201 {game_id, state}, pending at seq 0, the caller is admin', async () => {
			const res = await api(server, 'POST', '/api/games', { token: alice.token,
			    body: { away_team_id: aliceTeam.team_id, home_team_id: bobTeam.team_id } });
			assert.equal(res.status, 201, JSON.stringify(res.body));
			game = res.body;
			assert.match(game.game_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			const s = game.state;
			assert.equal(s.game_id, game.game_id);
			assert.equal(s.status, 'pending');
			assert.equal(s.seq, 0);
			assert.equal(s.inning, 1);
			assert.equal(s.half, 'top');
			assert.deepEqual(s.score, { away: 0, home: 0 });
			assert.equal(s.away_team_id, aliceTeam.team_id);
			assert.equal(s.home_team_id, bobTeam.team_id);
			assert.equal(s.batting_team_id, aliceTeam.team_id);
			assert.equal(s.play_number, 0);
			assert.equal(s.pending_roll, null);
		});

		test('POST /api/games errors: 400, 403 stranger, 404 unknown team', async () => {
			const post = (body, token = alice.token) => api(server, 'POST', '/api/games', { token, body });
			assertError(await post({ home_team_id: bobTeam.team_id }), 400, 'MISSING_FIELD');
			assertError(await post({ away_team_id: 'one', home_team_id: bobTeam.team_id }), 400, 'INVALID_FORMAT');
			assertError(await post({ away_team_id: -4, home_team_id: bobTeam.team_id }), 400, 'INVALID_FORMAT');
			assertError(await post({ away_team_id: aliceTeam.team_id, home_team_id: aliceTeam.team_id }), 400, 'INVALID_FORMAT');
			assertError(await post({ away_team_id: aliceTeam.team_id, home_team_id: bobTeam.team_id }, stranger().token), 403, 'NOT_AUTHORIZED');
			assertError(await post({ away_team_id: aliceTeam.team_id, home_team_id: 2000000000 }), 404, 'TEAM_NOT_FOUND');
		});

		test('GET /api/games: the caller\'s games; ?all=1 everyone\'s; ?status filters', async () => {
			for (const who of [alice, bob]) {
				const res = await api(server, 'GET', '/api/games', { token: who.token });
				assert.equal(res.status, 200);
				const g = res.body.games.find((x) => x.game_id === game.game_id);
				assert.ok(g, 'game not listed');
				assert.equal(g.status, 'pending');
				assert.deepEqual(g.score, { away: 0, home: 0 });
				assert.equal(g.inning, 1);
				assert.equal(g.admin_user_id, alice.user_id);
				assert.equal(g.away_team.team_id, aliceTeam.team_id);
				assert.equal(g.home_team.abbrev, 'BOB');
			}
			const s = stranger();
			const none = await api(server, 'GET', '/api/games', { token: s.token });
			assert.ok(!none.body.games.some((x) => x.game_id === game.game_id));
			const all = await api(server, 'GET', '/api/games?all=1', { token: s.token });
			assert.ok(all.body.games.some((x) => x.game_id === game.game_id));
			const fin = await api(server, 'GET', '/api/games?status=final', { token: alice.token });
			assert.ok(!fin.body.games.some((x) => x.game_id === game.game_id));
			assertError(await api(server, 'GET', '/api/games?status=bogus', { token: alice.token }), 400, 'INVALID_FORMAT');
		});

		test('GET /api/games/{id}: the state with seq, for spectators too', async () => {
			const res = await api(server, 'GET', `/api/games/${game.game_id}`, { token: stranger().token });
			assert.equal(res.status, 200);
			assert.deepEqual(res.body, game.state);
		});

		test('game reads: 400 for a non-UUID id, 404 for an unknown one, 401 without token', async () => {
			const unknown = randomUUID();
			for (const suffix of ['', '/plays', '/box-score', '/lineup?team_id=1', '/audit']) {
				assertError(await api(server, 'GET', `/api/games/not-a-uuid${suffix}`, { token: alice.token }), 400, 'INVALID_FORMAT');
				assertError(await api(server, 'GET', `/api/games/${unknown}${suffix}`, { token: alice.token }), 404, 'GAME_NOT_FOUND');
				assertError(await api(server, 'GET', `/api/games/${game.game_id}${suffix}`), 401, 'AUTH_MISSING');
			}
		});

		test('GET lineup: lineup_data for each team; 400 without or with a bad team_id, 404 other team', async () => {
			for (const team of [aliceTeam, bobTeam]) {
				const res = await api(server, 'GET', `/api/games/${game.game_id}/lineup?team_id=${team.team_id}`, { token: bob.token });
				assert.equal(res.status, 200);
				assert.equal(res.body.game_id, game.game_id);
				assert.equal(res.body.team_id, team.team_id);
				const players = res.body.players;
				assert.deepEqual(players.map((p) => p.card_id).sort(), team.roster.map((c) => c.card_id).sort());
				const active = players.filter((p) => p.status === 'active');
				assert.equal(active.length, 10, '9 batters with a DH plus the pitcher');
				assert.deepEqual(active.filter((p) => p.batting_order).map((p) => p.batting_order).sort(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
				assert.ok(active.some((p) => p.position === 'DH'));
				assert.ok(active.some((p) => p.position === 'P' && p.batting_order === null));
				for (const p of players) {
					assert.equal(p.is_active, p.status === 'active');
					assert.equal(p.is_starter, p.status === 'active');
				}
			}
			assertError(await api(server, 'GET', `/api/games/${game.game_id}/lineup`, { token: bob.token }), 400, 'MISSING_FIELD');
			assertError(await api(server, 'GET', `/api/games/${game.game_id}/lineup?team_id=x`, { token: bob.token }), 400, 'INVALID_FORMAT');
			assertError(await api(server, 'GET', `/api/games/${game.game_id}/lineup?team_id=2000000000`, { token: bob.token }), 404, 'TEAM_NOT_FOUND');
		});

		test('GET plays, box-score and audit of a new game', async () => {
			const plays = await api(server, 'GET', `/api/games/${game.game_id}/plays`, { token: bob.token });
			assert.equal(plays.status, 200);
			assert.deepEqual(plays.body, { game_id: game.game_id, plays: [] });
			const box = await api(server, 'GET', `/api/games/${game.game_id}/box-score`, { token: bob.token });
			assert.equal(box.status, 200);
			assert.equal(box.body.game_id, game.game_id);
			assert.equal(box.body.status, 'pending');
			assert.deepEqual(Object.keys(box.body.box_score.line_score).sort(), ['away', 'home']);
			const audit = await api(server, 'GET', `/api/games/${game.game_id}/audit`, { token: alice.token });
			assert.equal(audit.status, 200);
			assert.deepEqual(audit.body, { game_id: game.game_id, entries: [] });
			assertError(await api(server, 'GET', `/api/games/${game.game_id}/audit`, { token: bob.token }), 403, 'NOT_AUTHORIZED');
		});
	});

	describe('a played game over REST equals the engine\'s replay', () => {
		const OUTCOMES = [
			['single_1'], ['walk'], ['double_2'], ['strikeout'], ['groundball_a', 'SS'],
			['flyball_b', 'CF'], ['homerun'], ['triple'], ['error_1', '2B'], ['groundball_c', '1B'],
			['strikeout'], ['strikeout'], ['hit_by_pitch'], ['flyball_a', 'LF'], ['lineout', '3B'],
		];
		let g, a, b, rolls;

		before(async () => {
			const res = await api(server, 'POST', '/api/games', { token: bob.token,
			    body: { away_team_id: aliceTeam.team_id, home_team_id: bobTeam.team_id } });
			assert.equal(res.status, 201);
			g = res.body;
			a = await player(server, alice);
			b = await player(server, bob);
			await join(a, g.game_id);
			await join(b, g.game_id);
			rolls = [];
			let state = g.state;
			for (const [outcome, hit_location] of OUTCOMES) {
				const off = state.batting_team_id === aliceTeam.team_id ? a : b;
				const rolled = once(off, 'dice_rolled');
				await ok(off, 'roll_dice', { game_id: g.game_id });
				rolls.push(await rolled);
				const resolved = once(off, 'play_resolved');
				await ok(off, 'submit_manual_outcome', { game_id: g.game_id, outcome, ...(hit_location ? { hit_location } : {}) });
				state = (await resolved).state;
			}
		});

		test('GET /api/games/{id}/plays lists every play in order', async () => {
			const res = await api(server, 'GET', `/api/games/${g.game_id}/plays`, { token: alice.token });
			assert.equal(res.status, 200);
			assert.equal(res.body.plays.length, OUTCOMES.length);
			res.body.plays.forEach((p, i) => {
				assert.equal(p.play_number, i + 1);
				assert.equal(p.roll_id, rolls[i].roll_id);
			});
		});

		test('box score and state equal build/pd-replay of the same rosters, rolls and outcomes', async () => {
			const team = async (t) => (await api(server, 'GET', `/api/teams/${t.team_id}`, { token: alice.token })).body;
			const roster = (t) => ({ team_id: t.team_id, roster: t.roster.map((c) => ({
				card_id: c.card_id, name: c.name, positions: c.positions,
				hand: c.is_pitcher ? c.throws : c.bats, is_pitcher: c.is_pitcher })) });
			const dir = mkdtempSync(pjoin(tmpdir(), 'pd-rest-'));
			try {
				writeFileSync(pjoin(dir, 'setup.json'), JSON.stringify({ game_id: g.game_id,
				    away: roster(await team(aliceTeam)), home: roster(await team(bobTeam)) }));
				const actions = [];
				OUTCOMES.forEach(([outcome, hit_location], i) => {
					const r = rolls[i];
					actions.push({ action: 'roll', values: { roll_id: r.roll_id, d6_one: r.d6_one,
					    d6_two: r.d6_two, chaos_d20: r.chaos_d20, resolution_d20: r.resolution_d20 } });
					actions.push({ action: 'outcome', outcome, ...(hit_location ? { hit_location } : {}) });
				});
				writeFileSync(pjoin(dir, 'actions.jsonl'), actions.map((x) => JSON.stringify(x)).join('\n'));
				const out = execFileSync(pjoin(ROOT, 'build/pd-replay'), [pjoin(dir, 'setup.json'), pjoin(dir, 'actions.jsonl')], { encoding: 'utf8' });
				const lines = out.trim().split('\n').map((l) => JSON.parse(l));
				for (const l of lines.slice(0, -1)) assert.equal(l.ok, true, JSON.stringify(l.error));
				const final = lines.at(-1).final;
				const box = await api(server, 'GET', `/api/games/${g.game_id}/box-score`, { token: alice.token });
				assert.equal(box.status, 200);
				assert.deepEqual(box.body.box_score, final.box_score);
				assert.equal(box.body.status, final.state.status);
				const st = await api(server, 'GET', `/api/games/${g.game_id}`, { token: alice.token });
				const { seq, pending_roll, ...mine } = st.body;
				const { seq: _s, pending_roll: _p, ...theirs } = final.state;
				assert.deepEqual(mine, theirs);
				assert.ok(seq >= 2 * OUTCOMES.length, `seq ${seq}`);
				for (const side of ['away', 'home']) {
					const t = side === 'away' ? aliceTeam : bobTeam;
					const lu = await api(server, 'GET', `/api/games/${g.game_id}/lineup?team_id=${t.team_id}`, { token: bob.token });
					assert.deepEqual(lu.body.players, final.lineups[side]);
				}
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});

		test('box score totals prove (OBR 9.03(c)) and match the state', async () => {
			const box = (await api(server, 'GET', `/api/games/${g.game_id}/box-score`, { token: alice.token })).body.box_score;
			const st = (await api(server, 'GET', `/api/games/${g.game_id}`, { token: alice.token })).body;
			const teams = { away: aliceTeam.team_id, home: bobTeam.team_id };
			for (const [side, tid] of Object.entries(teams)) {
				const other = side === 'away' ? teams.home : teams.away;
				const bat = box.batting.filter((r) => r.team_id === tid);
				const sum = (rows, k) => rows.reduce((n, r) => n + r[k], 0);
				const oppPitch = box.pitching.filter((r) => r.team_id === other);
				// Runners still on base in the half being played are not
				// left on base yet.
				const onBase = st.batting_team_id === tid ?
				    ['1', '2', '3'].filter((k) => st.runners[k]).length : 0;
				assert.equal(sum(bat, 'ab') + sum(bat, 'bb') + sum(bat, 'hbp') + sum(bat, 'sh') + sum(bat, 'sf'),
				    sum(bat, 'r') + box.line_score[side].lob + onBase + sum(oppPitch, 'outs'), side);
				assert.equal(sum(bat, 'h'), sum(oppPitch, 'h'));
				assert.equal(box.line_score[side].r, st.score[side]);
			}
			const allPa = box.batting.reduce((n, r) => n + r.pa, 0);
			assert.equal(box.pitching.reduce((n, r) => n + r.bf, 0), allPa);
		});

		test('GET audit: every roll and submission with user and time, admin only', async () => {
			const res = await api(server, 'GET', `/api/games/${g.game_id}/audit`, { token: bob.token });
			assert.equal(res.status, 200);
			const rollsSeen = res.body.entries.filter((e) => e.type === 'roll');
			const subs = res.body.entries.filter((e) => e.type === 'submission');
			assert.equal(rollsSeen.length, OUTCOMES.length);
			assert.equal(subs.length, OUTCOMES.length);
			for (const e of res.body.entries) {
				assert.ok([alice.user_id, bob.user_id].includes(e.user_id));
				assert.ok(!Number.isNaN(Date.parse(e.at)));
			}
			assert.deepEqual(rollsSeen.map((e) => e.ref), rolls.map((r) => r.roll_id));
			assertError(await api(server, 'GET', `/api/games/${g.game_id}/audit`, { token: alice.token }), 403, 'NOT_AUTHORIZED');
		});

		test('GET /api/games lists the score and inning of a game in progress', async () => {
			const st = (await api(server, 'GET', `/api/games/${g.game_id}`, { token: alice.token })).body;
			const list = await api(server, 'GET', '/api/games', { token: alice.token });
			const row = list.body.games.find((x) => x.game_id === g.game_id);
			assert.equal(row.status, st.status);
			assert.deepEqual(row.score, st.score);
			assert.equal(row.inning, st.inning);
			assert.equal(row.half, st.half);
			assert.equal(row.seq, st.seq);
		});
	});

	describe('malformed input never takes a worker down', () => {
		test('garbage bodies, deep nesting, bad UTF-8, long paths and odd headers', async () => {
			const t = alice.token;
			const h = { authorization: `Bearer ${t}`, 'content-type': 'application/json' };
			const bodies = ['{', '}', 'null', '"str"', '1e999999', '{"abbrev":', '[' .repeat(5000),
				'{"a":'.repeat(3000), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
				'{"abbrev":"AB","name":"\\u0000"}', '{"abbrev":"AB","name":"' + 'n'.repeat(100) + '"}',
				'{"away_team_id":1e30,"home_team_id":2}', '{"away_team_id":1.5,"home_team_id":2}'];
			for (const path of ['/api/teams', '/api/games', '/api/auth/register', '/api/auth/login']) {
				for (const body of bodies) {
					const res = await raw(server, 'POST', path, { headers: h, body });
					assert.ok(res.status >= 400 && res.status < 500, `${path} ${String(body).slice(0, 20)}: ${res.status} ${res.text}`);
					assert.ok(res.body?.error?.code, res.text);
				}
			}
			// Past Kore's http_header_max (4 KiB) Kore itself drops the
			// connection before any handler runs; the server stays up.
			await raw(server, 'GET', `/api/games/${'a'.repeat(5000)}`, { headers: h }).catch(() => null);
			for (const path of [`/api/games/${'a'.repeat(3000)}`, '/api/teams/99999999999999999999',
				'/api/games/%00', '/api/teams/-1', `/api/games/${randomUUID()}/lineup?team_id=%zz&team_id=`]) {
				const res = await raw(server, 'GET', path, { headers: h });
				assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
			}
			const res = await raw(server, 'GET', '/api/teams', { headers: { authorization: `Bearer ${'x'.repeat(3000)}` } });
			assert.equal(res.status, 401);
			assert.equal((await raw(server, 'GET', '/healthz')).status, 200);
		});
	});
});

describe('login rate limit per address', () => {
	let server;

	before(async () => {
		server = await startServer({ workers: 2, name: 'rest-ratelimit', env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW: '60' } });
	});

	after(async () => {
		await server?.stop();
	});

	test('the 4th attempt in a window is 429 RATE_LIMITED with Retry-After, on any worker', async () => {
		const user = await register(server, 'rl');
		for (let i = 0; i < 3; i++) {
			const res = await api(server, 'POST', '/api/auth/login', { body: { username: user.username, password: i === 0 ? 'correct horse battery' : 'wrong one' } });
			assert.ok([200, 401].includes(res.status), JSON.stringify(res.body));
		}
		for (let i = 0; i < 3; i++) {
			const res = await raw(server, 'POST', '/api/auth/login', { body: JSON.stringify({ username: user.username, password: 'correct horse battery' }) });
			assertError(res, 429, 'RATE_LIMITED');
			const after = Number(res.headers.get('retry-after'));
			assert.ok(after >= 1 && after <= 60, `Retry-After ${after}`);
		}
		// Other routes are not limited.
		assert.equal((await api(server, 'POST', '/api/auth/register', { body: { username: `rl2_${randomUUID().slice(0, 6)}`, password: 'another pass' } })).status, 201);
	});
});

// A PostgreSQL cluster of this test's own, so stopping it disturbs no
// other test file.
function privateCluster() {
	const bin = process.env.PGBIN || '/usr/lib/postgresql/15/bin';
	const dir = mkdtempSync(pjoin(tmpdir(), 'pd-rest-pg-'));
	const asOwner = (cmd, args) => {
		const root = process.getuid() === 0;
		const r = spawnSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, { encoding: 'utf8', cwd: '/' });
		if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
		return r.stdout;
	};
	if (process.getuid() === 0) {
		chmodSync(dir, 0o777);
	}
	return {
		dir,
		async init(port) {
			this.port = port;
			asOwner(`${bin}/initdb`, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
			this.start();
			return `postgresql://postgres@127.0.0.1:${port}/postgres`;
		},
		start() {
			asOwner(`${bin}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/log`, '-w', '-t', '60', '-o',
			    `-p ${this.port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
		},
		stop() {
			asOwner(`${bin}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'fast', '-w', 'stop']);
		},
		destroy() {
			try { this.stop(); } catch { /* not running */ }
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

describe('database down and back, without restarting the server', () => {
	let server, pg, url, token;

	before(async () => {
		pg = privateCluster();
		url = await pg.init(await freePort());
		execFileSync(pjoin(ROOT, 'scripts/migrate.sh'), { env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore' });
		server = await startServer({ workers: 2, name: 'rest-dbdown', databaseUrl: url });
		token = validToken(server.secret).token;
	});

	after(async () => {
		const log = server?.logTail(400) ?? '';
		await server?.stop();
		pg?.destroy();
		assert.ok(!/died|sandbox violation/.test(log), `a worker died:\n${log}`);
	});

	test('/healthz: 200, then 503 while PostgreSQL is stopped, then 200 again', async () => {
		// Warm up pooled connections on both workers.
		await Promise.all(Array.from({ length: 12 }, () => api(server, 'GET', '/api/teams', { token })));
		assert.equal((await raw(server, 'GET', '/healthz')).status, 200);
		pg.stop();
		for (let i = 0; i < 4; i++) {
			const res = await raw(server, 'GET', '/healthz');
			assert.equal(res.status, 503);
			assert.deepEqual(res.body, { status: 'unavailable', database: 'down' });
		}
		const res = await api(server, 'GET', '/api/teams', { token });
		assertError(res, 503, 'DATABASE_UNAVAILABLE');
		pg.start();
		let up = 0;
		for (let i = 0; i < 50 && up === 0; i++) {
			if ((await raw(server, 'GET', '/healthz')).status === 200) up = 1;
			else await sleep(100);
		}
		assert.equal(up, 1, 'healthz never came back');
		// Every pooled connection died with the old server; none may fail now.
		const after = await Promise.all(Array.from({ length: 12 }, () => api(server, 'GET', '/api/teams', { token })));
		for (const r of after) assert.equal(r.status, 200, JSON.stringify(r.body));
	});
});
