// The authorization matrix (CONTRACT.md sections 4 and 6): each action by
// each role (home manager, away manager, admin, spectator, stranger) in
// each half-inning is allowed or refused with NOT_AUTHORIZED /
// NOT_YOUR_TURN, and a refusal changes nothing.  Spectators never receive
// what is addressed to one user.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { closeAll, emitAck, once } from './lib/client.mjs';
import { api, createTeam, join, ok, player, register } from './lib/game.mjs';
import { validToken } from './lib/jwt.mjs';
import { startServer } from './lib/server.mjs';

describe('authorization matrix', () => {
	let server, gid, sock, state, teams;

	before(async () => {
		server = await startServer({ name: 'authz', env: { RATE_LIMITS: 'off' } });
		// The admin creates the game and manages the away team; home is
		// someone else's.  A stranger has a team, but not in this game.
		const admin = await register(server, 'admin');
		const homeMgr = await register(server, 'home');
		const stranger = await register(server, 'stranger');
		const awayTeam = await createTeam(server, admin, 'ADM');
		const homeTeam = await createTeam(server, homeMgr, 'HME');
		await createTeam(server, stranger, 'STR');
		const res = await api(server, 'POST', '/api/games', { token: admin.token,
		    body: { away_team_id: awayTeam.team_id, home_team_id: homeTeam.team_id } });
		assert.equal(res.status, 201);
		gid = res.body.game_id;
		teams = { away: awayTeam.team_id, home: homeTeam.team_id };
		const spec = validToken(server.secret);
		sock = {
			admin: await player(server, admin),
			home: await player(server, homeMgr),
			stranger: await player(server, stranger),
			spectator: await player(server, { token: spec.token }),
		};
		await join(sock.admin, gid);
		await join(sock.home, gid);
		await join(sock.spectator, gid, 'spectator');
		state = res.body.state;
	});

	after(async () => {
		closeAll();
		await server?.stop();
	});

	async function current() {
		return (await ok(sock.spectator, 'request_game_state', { game_id: gid })).state;
	}

	// Asserts that `who` doing `event` gets `code` (or succeeds when null)
	// and that a refusal leaves the state as it was.
	async function expect(who, event, data, code) {
		const before = await current();
		const ack = await emitAck(sock[who], event, { game_id: gid, ...data }, 5000);
		if (code === null) {
			assert.equal(ack.ok, true, `${who} ${event}: ${JSON.stringify(ack)}`);
			return ack;
		}
		assert.equal(ack.ok, false, `${who} ${event} should be refused`);
		assert.equal(ack.error.code, code, `${who} ${event}: ${JSON.stringify(ack)}`);
		const after = await current();
		assert.deepEqual({ ...after, seq: 0 }, { ...before, seq: 0 }, `${who} ${event} changed the game`);
		return ack;
	}

	const sub = (team) => ({ team_id: team, player_out_lineup_id: 1, player_in_card_id: 999999 });

	test('top of the first: the away side (the admin) bats', async () => {
		assert.equal(state.batting_team_id, teams.away);
		// defensive decision: only the fielding (home) manager.
		for (const [who, code] of [['spectator', 'NOT_AUTHORIZED'], ['stranger', 'NOT_AUTHORIZED'],
		    ['admin', 'NOT_YOUR_TURN']]) {
			await expect(who, 'submit_defensive_decision', { alignment: 'normal' }, code);
		}
		await expect('home', 'submit_defensive_decision', { alignment: 'normal' }, null);
		// offensive decision, roll: the batting manager or the admin.
		for (const [who, code] of [['spectator', 'NOT_AUTHORIZED'], ['stranger', 'NOT_AUTHORIZED'],
		    ['home', 'NOT_YOUR_TURN']]) {
			await expect(who, 'submit_offensive_decision', { approach: 'normal' }, code);
			await expect(who, 'roll_dice', {}, code);
		}
		await expect('admin', 'roll_dice', {}, null);
		for (const [who, code] of [['spectator', 'NOT_AUTHORIZED'], ['stranger', 'NOT_AUTHORIZED'],
		    ['home', 'NOT_YOUR_TURN']]) {
			await expect(who, 'submit_manual_outcome', { outcome: 'strikeout' }, code);
		}
		// substitutions: the manager of team_id only.
		for (const [who, team, code] of [['spectator', teams.away, 'NOT_AUTHORIZED'],
		    ['stranger', teams.home, 'NOT_AUTHORIZED'], ['home', teams.away, 'NOT_YOUR_TURN'],
		    ['admin', teams.home, 'NOT_YOUR_TURN']]) {
			await expect(who, 'request_pinch_hitter', sub(team), code);
		}
		// reads: anyone.
		for (const who of ['spectator', 'stranger', 'home', 'admin']) {
			await expect(who, 'get_box_score', {}, null);
			await expect(who, 'get_lineup', { team_id: teams.home }, null);
		}
		await expect('admin', 'submit_manual_outcome', { outcome: 'strikeout' }, null);
	});

	test('bottom of the first: home bats; the admin still may act for the offense', async () => {
		for (let i = 0; i < 2; i++) {
			await ok(sock.admin, 'roll_dice', { game_id: gid });
			await ok(sock.admin, 'submit_manual_outcome', { game_id: gid, outcome: 'strikeout' });
		}
		state = await current();
		assert.equal(state.half, 'bottom');
		assert.equal(state.batting_team_id, teams.home);
		await expect('home', 'submit_defensive_decision', { alignment: 'normal' }, 'NOT_YOUR_TURN');
		await expect('admin', 'submit_defensive_decision', { alignment: 'normal' }, null);
		await expect('home', 'submit_offensive_decision', { approach: 'contact' }, null);
		await expect('admin', 'roll_dice', {}, null);
		await expect('home', 'submit_manual_outcome', { outcome: 'walk' }, null);
		await expect('home', 'roll_dice', {}, null);
		await expect('admin', 'submit_manual_outcome', { outcome: 'single' }, null);
	});

	test('when several checks fail, the first in the contract order is reported', async () => {
		const none = '00000000-0000-4000-8000-000000000000';
		const cases = [
			// (1) shape, then always-required fields, before (2) formats
			['admin', 'submit_manual_outcome', 'not an object', 'INVALID_PAYLOAD'],
			['admin', 'submit_manual_outcome', { game_id: 'bad' }, 'MISSING_FIELD'],
			['admin', 'submit_manual_outcome', { game_id: 'bad', outcome: 'x' }, 'INVALID_FORMAT'],
			['admin', 'request_pinch_hitter', { game_id: 'bad', team_id: 1 }, 'MISSING_FIELD'],
			// (3) the game's existence before (6) the request's validity
			['admin', 'submit_manual_outcome', { game_id: none, outcome: 'x' }, 'GAME_NOT_FOUND'],
			// (4) authorization before (6)
			['stranger', 'submit_manual_outcome', { game_id: gid, outcome: 'x' }, 'NOT_AUTHORIZED'],
			['stranger', 'submit_defensive_decision', { game_id: gid, alignment: 'x' }, 'NOT_AUTHORIZED'],
			// (6) validity before (7) the moment (no roll is pending)
			['home', 'submit_manual_outcome', { game_id: gid, outcome: 'x' }, 'INVALID_OUTCOME'],
			['home', 'submit_manual_outcome', { game_id: gid, outcome: 'groundball_c' }, 'MISSING_FIELD'],
			['home', 'submit_manual_outcome', { game_id: gid, outcome: 'strikeout' }, 'NO_PENDING_ROLL'],
		];
		for (const [who, event, data, code] of cases) {
			const rejected = event === 'submit_manual_outcome' ? once(sock[who], 'outcome_rejected') : null;
			const ack = await emitAck(sock[who], event, data, 5000);
			assert.equal(ack.ok, false, `${event} ${JSON.stringify(data)}`);
			assert.equal(ack.error.code, code, `${event} ${JSON.stringify(data)}: ${JSON.stringify(ack)}`);
			if (rejected) assert.equal((await rejected).code, code);
		}
	});

	test('the admin reads the audit trail, refused actions included; nobody else does', async () => {
		const admin = sock.admin.auth.token;
		const res = await api(server, 'GET', `/api/games/${gid}/audit`, { token: admin });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		const types = new Set(res.body.entries.map((e) => e.type));
		for (const t of ['roll', 'decision', 'submission', 'refused']) {
			assert.ok(types.has(t), `no ${t} in the audit`);
		}
		const refused = res.body.entries.filter((e) => e.type === 'refused');
		assert.ok(refused.some((e) => e.status === 'NOT_AUTHORIZED' && e.ref === 'roll_dice'));
		assert.ok(refused.every((e) => e.user_id && e.at));
		const home = await api(server, 'GET', `/api/games/${gid}/audit`,
		    { token: sock.home.auth.token });
		assert.equal(home.status, 403);
	});

	test('a stranger\'s refusals are audited, the first 3 of each connection', async () => {
		const admin = sock.admin.auth.token;
		const who = validToken(server.secret, { name: 'Prober' });
		const mine = async () => (await api(server, 'GET', `/api/games/${gid}/audit`, { token: admin }))
		    .body.entries.filter((e) => e.type === 'refused' && e.user_id === who.sub);
		const probe = async () => {
			const s = await player(server, { token: who.token });
			for (let i = 0; i < 8; i++) {
				const ack = await emitAck(s, 'roll_dice', { game_id: gid }, 5000);
				assert.equal(ack.error?.code, 'NOT_AUTHORIZED', JSON.stringify(ack));
			}
			s.close();
		};
		const settled = async (n) => {
			// Refusals are written after the answer: wait for them.
			for (let t = 0; t < 40 && (await mine()).length < n; t++) await new Promise((r) => setTimeout(r, 50));
			await new Promise((r) => setTimeout(r, 200));
			return (await mine()).length;
		};
		await probe();
		assert.equal(await settled(3), 3, 'one connection: 3 of 8 recorded');
		await probe();
		assert.equal(await settled(6), 6, 'a second connection: 3 more');
		assert.ok((await mine()).every((e) => e.status === 'NOT_AUTHORIZED' && e.ref === 'roll_dice'));
	});

	test('spectators get room events but nothing addressed to one user', async () => {
		const seen = [];
		sock.spectator.onAny((e) => seen.push(e));
		await ok(sock.home, 'roll_dice', { game_id: gid });
		await ok(sock.home, 'submit_manual_outcome', { game_id: gid, outcome: 'strikeout' });
		await emitAck(sock.stranger, 'roll_dice', { game_id: gid });
		await new Promise((r) => setTimeout(r, 200));
		assert.ok(seen.includes('dice_rolled') && seen.includes('play_resolved'), seen.join());
		for (const e of ['outcome_accepted', 'error', 'substitution_confirmed', 'game_joined']) {
			assert.ok(!seen.includes(e), `spectator received ${e}`);
		}
		// A stranger who never joined gets no room events.
		const strangerSeen = [];
		sock.stranger.onAny((e) => strangerSeen.push(e));
		await ok(sock.home, 'roll_dice', { game_id: gid });
		await new Promise((r) => setTimeout(r, 200));
		assert.ok(!strangerSeen.includes('dice_rolled'), strangerSeen.join());
	});
});
