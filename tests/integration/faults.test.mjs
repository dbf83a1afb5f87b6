// Fault injection, bounded in time: a Kore worker killed under its
// clients (they reconnect and recover), a client that never reads
// (dropped past the send-queue limit; the server stays healthy), and a
// socket that sends without pause (the others are still served).

import assert from 'node:assert/strict';
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';

import { close, closeAll, connect, emitAck, once, waitConnect } from './lib/client.mjs';
import { assertSeqContinuous, join, ok, player, setupGame } from './lib/game.mjs';
import { validToken } from './lib/jwt.mjs';
import { ROOT, startServer } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function workerPids(server) {
	const out = execFileSync('pgrep', ['-g', String(server.proc.pid), '-f', 'kore \\[wrk'],
	    { encoding: 'utf8' }).trim();
	return out.split('\n').filter(Boolean).map(Number);
}

function rssKiB(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

describe('a worker killed', () => {
	let server;
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('its clients reconnect and recover, nothing lost', async () => {
		server = await startServer({ workers: 2, name: 'worker-kill', env: { RATE_LIMITS: 'off' } });
		const g = await setupGame(server);
		const away = await player(server, g.away);
		await join(away, g.game_id);
		const w = connect(server.url, { token: g.spectator.token, reconnection: true,
		    reconnectionDelay: 100, reconnectionDelayMax: 300, transports: ['websocket'] });
		w.roomEvents = [];
		w.onAny((event, data) => {
			if (data?.seq !== undefined && event !== 'game_joined') w.roomEvents.push({ event, data });
		});
		await waitConnect(w);
		await join(w, g.game_id, 'spectator');

		const pids = workerPids(server);
		assert.equal(pids.length, 2, `workers: ${pids}`);
		const reconnected = once(w, 'connect', 15_000);
		for (const pid of pids) process.kill(pid, 'SIGKILL');
		await reconnected;
		assert.equal(w.recovered, true, 'socket.recovered');

		// The managers' sockets were on those workers too.
		const away2 = await player(server, g.away);
		await join(away2, g.game_id);
		await ok(away2, 'roll_dice', { game_id: g.game_id });
		const resolved = once(w, 'play_resolved');
		await ok(away2, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'single' });
		await resolved;
		assertSeqContinuous(w.roomEvents, 'spectator across the kill');
		close(w);
		close(away);
		close(away2);
	});
});

describe('a client that never reads', () => {
	let server;
	after(async () => {
		closeAll();
		await server?.stop();
	});

	test('is dropped past the send-queue limit; memory stays bounded', async () => {
		server = await startServer({ workers: 1, name: 'slow-reader',
		    env: { RATE_LIMITS: 'off', SEND_QUEUE_LIMIT: String(256 * 1024) } });
		const g = await setupGame(server);
		const away = await player(server, g.away);
		await join(away, g.game_id);

		// A raw WebSocket client that joins, then stops reading.
		const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
		await once(ws, 'open');
		const closed = new Promise((r) => ws.once('close', r));
		ws.send(`40${JSON.stringify({ token: g.spectator.token })}`);
		await sleep(100);
		ws.send(`42${JSON.stringify(['join_game', { game_id: g.game_id, role: 'spectator' }])}`);
		await sleep(100);
		ws._socket.pause();

		const pid = workerPids(server)[0];
		const before = rssKiB(pid);
		let dropped = false;
		closed.then(() => { dropped = true; });
		for (let i = 0; i < 3000 && !dropped; i++) {
			await ok(away, 'roll_dice', { game_id: g.game_id });
			await ok(away, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'walk' });
			if (i % 100 === 0 && server.logTail(20).includes('does not read')) break;
		}
		assert.ok(server.logTail(50).includes('does not read'), 'the slow client was not dropped');
		// AddressSanitizer keeps freed memory in quarantine: no bound there.
		const grown = rssKiB(pid) - before;
		if (!process.env.TEST_SANITIZED) {
			assert.ok(grown < 64 * 1024, `worker grew by ${grown} KiB`);
		}
		// The others are still served.
		const hb = await emitAck(away, 'heartbeat', undefined, 5000);
		assert.equal(hb.ok, true);
		ws.terminate();
	});
});

describe('a socket that sends without pause, rate limits off', () => {
	let server;
	const flooders = [];
	after(async () => {
		for (const f of flooders) f.kill('SIGKILL');
		closeAll();
		await server?.stop();
	});

	test('does not keep the worker from the other connections', async () => {
		server = await startServer({ workers: 1, name: 'flood', env: { RATE_LIMITS: 'off' } });
		const g = await setupGame(server);
		const other = await player(server, g.home);
		await join(other, g.game_id);
		// Three strangers to the game, each sending roll_dice for it.
		const url = `${server.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
		const packet = `42["roll_dice",{"game_id":"${g.game_id}"}]`;
		await Promise.all([0, 1, 2].map(() => {
			const f = fork(pathJoin(ROOT, 'tests/integration/lib/flooder.mjs'),
			    [url, validToken(server.secret).token, packet]);
			flooders.push(f);
			return new Promise((resolve, reject) => {
				f.once('message', resolve);
				f.once('exit', (c) => reject(new Error(`flooder exited ${c}`)));
			});
		}));
		await sleep(300);
		// Served while the flood goes on: every ack comes, and a play too.
		for (let i = 0; i < 20; i++) {
			const ack = await emitAck(other, 'heartbeat', undefined, 10_000);
			assert.equal(ack.ok, true);
		}
		const state = await ok(other, 'request_game_state', { game_id: g.game_id });
		assert.equal(state.state.game_id, g.game_id);
		const counts = await Promise.all(flooders.map((f) => {
			const p = new Promise((r) => f.once('message', r));
			f.send('stop');
			return p;
		}));
		const sent = counts.reduce((n, c) => n + c.sent, 0);
		assert.ok(sent > 10_000, `the flood was a flood (${sent} frames)`);
	});
});
