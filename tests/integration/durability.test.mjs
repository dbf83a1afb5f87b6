// Durability (CONTRACT.md section 5): a server killed with SIGKILL at
// random moments restarts into exactly the acknowledged state; two
// server processes on one database never lose or duplicate an update;
// PostgreSQL restarted mid-game costs a clear transient error and nothing
// acknowledged.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join as pathJoin } from 'node:path';
import { after, describe, test } from 'node:test';

import { close, closeAll, emitAck } from './lib/client.mjs';
import { api, join, ok, player, setupGame } from './lib/game.mjs';
import { ROOT, startServer } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const OUTCOMES = ['single', 'walk', 'strikeout', 'groundball_b', 'double', 'flyball_a',
    'homerun', 'popout', 'error_1', 'lineout'];

// The state without what a committed but unacknowledged roll changes.
function core(state) {
	const { seq, pending_roll, decisions, ...rest } = state;
	return rest;
}

describe('SIGKILL at random moments, 20 times', () => {
	let server;
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('every acknowledged play is there after each restart', async () => {
		server = await startServer({ name: 'crash', env: { RATE_LIMITS: 'off' } });
		const g = await setupGame(server);
		const acked = [];	// play_resolved payloads, acknowledged
		let lastState = g.state;

		for (let round = 0; round < 20; round++) {
			const s = await player(server, g.away);
			const h = await player(server, g.home);
			await join(s, g.game_id);
			const sync = await ok(s, 'request_game_state', { game_id: g.game_id });
			const st = sync.state;
			// Committed but not acknowledged: at most the one in flight.
			assert.ok(st.play_number === lastState.play_number ||
			    st.play_number === lastState.play_number + 1,
			    `round ${round}: play ${st.play_number}, acked ${lastState.play_number}`);
			if (st.play_number === lastState.play_number) {
				assert.deepEqual(core(st), core(lastState), `round ${round}: state`);
				if (!st.pending_roll === !lastState.pending_roll) {
					assert.deepEqual(st.decisions, lastState.decisions,
					    `round ${round}: decisions`);
				}
			}
			lastState = st;
			if (st.status === 'final') break;

			// Play until the kill lands, somewhere in the middle of it.
			const killAt = Date.now() + 20 + Math.floor(Math.random() * 120);
			const killer = (async () => {
				while (Date.now() < killAt) await sleep(2);
				await server.kill();
			})();
			try {
				for (let i = 0; Date.now() < killAt + 50 && i < 50; i++) {
					const sock = lastState.batting_team_id === g.awayTeam.team_id ? s : h;
					if (!lastState.pending_roll) {
						const r = await emitAck(sock, 'roll_dice', { game_id: g.game_id }, 2000);
						if (!r.ok) assert.ok(['ROLL_PENDING'].includes(r.error.code), JSON.stringify(r));
					}
					const outcome = OUTCOMES[(acked.length + i) % OUTCOMES.length];
					const payload = { game_id: g.game_id, outcome };
					if (['groundball_b', 'flyball_a', 'popout', 'error_1', 'lineout'].includes(outcome)) {
						payload.hit_location = 'CF';
					}
					const a = await emitAck(sock, 'submit_manual_outcome', payload, 2000);
					if (a.ok) {
						acked.push(a);
						lastState = a.state;
					} else {
						lastState = { ...lastState, pending_roll: a.error.code === 'NO_PENDING_ROLL' ? null : lastState.pending_roll };
					}
					if (lastState.status === 'final') break;
				}
			} catch {
				// the server died under us: that is the point
			}
			await killer;
			close(s);
			close(h);
			server = await startServer({ name: 'crash', port: server.port, secret: server.secret,
			    env: { RATE_LIMITS: 'off' } });
		}

		// Every acknowledged play is in the log, in order, exactly once.
		const plays = await api(server, 'GET', `/api/games/${g.game_id}/plays`,
		    { token: g.away.token });
		assert.equal(plays.status, 200);
		const list = Array.isArray(plays.body) ? plays.body : plays.body.plays;
		const numbers = list.map((p) => p.play_number ?? p.result?.play_number);
		assert.deepEqual(numbers, numbers.map((_, i) => i + 1), 'play numbers');
		for (const a of acked) {
			const p = list[a.play_number - 1];
			assert.equal(p.roll_id ?? p.result?.roll_id, a.roll_id, `play ${a.play_number}`);
		}
		assert.ok(acked.length >= 10, `only ${acked.length} plays acknowledged`);
	});
});

describe('two server processes on one database', () => {
	let a, b;
	after(async () => {
		closeAll();
		await a?.stop();
		await b?.stop();
	});

	test('concurrent actions on one game: none lost, none duplicated', async () => {
		a = await startServer({ name: 'twin-a', env: { RATE_LIMITS: 'off' } });
		b = await startServer({ name: 'twin-b', secret: a.secret, env: { RATE_LIMITS: 'off' } });
		const g = await setupGame(a);
		const sa = await player(a, g.away);
		const sb = await player(b, g.away);
		await join(sa, g.game_id);
		await join(sb, g.game_id);
		let plays = 0;
		for (let i = 0; i < 15; i++) {
			// Both processes roll at once: exactly one roll wins.
			const rolls = await Promise.all([sa, sb].map((s) =>
			    emitAck(s, 'roll_dice', { game_id: g.game_id }, 5000)));
			const won = rolls.filter((r) => r.ok);
			assert.equal(won.length, 1, `round ${i}: ${JSON.stringify(rolls)}`);
			assert.equal(rolls.find((r) => !r.ok).error.code, 'ROLL_PENDING');
			// Both submit at once: exactly one play resolves.
			const outs = await Promise.all([sa, sb].map((s) => emitAck(s, 'submit_manual_outcome',
			    { game_id: g.game_id, outcome: 'single' }, 5000)));
			const done = outs.filter((r) => r.ok);
			assert.equal(done.length, 1, `round ${i}: ${JSON.stringify(outs)}`);
			assert.equal(outs.find((r) => !r.ok).error.code, 'NO_PENDING_ROLL');
			plays++;
			assert.equal(done[0].state.play_number, plays);
		}
		const res = await api(b, 'GET', `/api/games/${g.game_id}/plays`, { token: g.away.token });
		const list = Array.isArray(res.body) ? res.body : res.body.plays;
		assert.equal(list.length, plays);
	});
});

describe('PostgreSQL restarted in the middle of a game', () => {
	let server;
	after(async () => {
		execFileSync(pathJoin(ROOT, 'scripts', 'pg.sh'), ['start'], { stdio: 'ignore' });
		closeAll();
		await server?.stop();
	});

	test('a transient error while it is down; nothing acknowledged lost; no server restart', async () => {
		server = await startServer({ name: 'pg-restart', env: { RATE_LIMITS: 'off' } });
		const g = await setupGame(server);
		const s = await player(server, g.away);
		await join(s, g.game_id);
		await ok(s, 'roll_dice', { game_id: g.game_id });
		const first = await ok(s, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'single' });

		execFileSync(pathJoin(ROOT, 'scripts', 'pg.sh'), ['stop'], { stdio: 'ignore' });
		const down = await emitAck(s, 'roll_dice', { game_id: g.game_id }, 20_000);
		assert.equal(down.ok, false);
		assert.equal(down.error.code, 'INTERNAL_ERROR');
		const health = await fetch(`${server.url}/healthz`);
		assert.equal(health.status, 503);

		execFileSync(pathJoin(ROOT, 'scripts', 'pg.sh'), ['start'], { stdio: 'ignore' });
		let r;
		for (let i = 0; i < 50; i++) {
			r = await emitAck(s, 'roll_dice', { game_id: g.game_id }, 20_000);
			if (r.ok || r.error.code === 'ROLL_PENDING') break;
			await sleep(200);
		}
		assert.ok(r.ok || r.error.code === 'ROLL_PENDING', JSON.stringify(r));
		const second = await ok(s, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'walk' });
		assert.equal(second.state.play_number, first.state.play_number + 1);
		const healthy = await fetch(`${server.url}/healthz`);
		assert.equal(healthy.status, 200);
	});
});

describe('a pending roll across a restart', () => {
	let server;
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('is still pending, still single-use, and resolves the next outcome', async () => {
		server = await startServer({ name: 'roll-restart', env: { RATE_LIMITS: 'off' } });
		const g = await setupGame(server);
		let s = await player(server, g.away);
		await join(s, g.game_id);
		const rolled = await ok(s, 'roll_dice', { game_id: g.game_id });
		await server.kill();
		server = await startServer({ name: 'roll-restart', port: server.port,
		    secret: server.secret, env: { RATE_LIMITS: 'off' } });
		s = await player(server, g.away);
		const sync = await ok(s, 'request_game_state', { game_id: g.game_id });
		assert.equal(sync.state.pending_roll?.roll_id, rolled.roll_id);
		assert.equal(sync.state.decisions?.pending_decision ?? 'resolution', 'resolution');
		const again = await emitAck(s, 'roll_dice', { game_id: g.game_id });
		assert.equal(again.error?.code, 'ROLL_PENDING');
		const play = await ok(s, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'walk' });
		assert.equal(play.roll_id, rolled.roll_id);
		const after2 = await ok(s, 'request_game_state', { game_id: g.game_id });
		assert.equal(after2.state.pending_roll, null);
	});
});
