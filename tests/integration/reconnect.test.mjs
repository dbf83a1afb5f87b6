// Lossless reconnection (CONTRACT.md section 5, sequencing): a dropped
// client and a restarted server, through request_game_state {last_seq}
// and through the stock client's connection state recovery, with no room
// event lost or duplicated.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { close, closeAll, connect, once, waitConnect } from './lib/client.mjs';
import { assertSeqContinuous, join, ok, player, setupGame } from './lib/game.mjs';
import { startServer } from './lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const workers of [1, 2]) {
	describe(`reconnect, WORKERS=${workers}`, () => {
		let server, g, away, home;

		before(async () => {
			server = await startServer({ workers, name: 'reconnect',
			    env: { RATE_LIMITS: 'off' } });
			g = await setupGame(server);
			away = await player(server, g.away);
			home = await player(server, g.home);
			await join(away, g.game_id);
			await join(home, g.game_id);
		});

		after(async () => {
			closeAll();
			await server?.stop();
		});

		// One plate appearance by the away side (top of the first).
		async function pa(outcome = 'single') {
			await ok(away, 'roll_dice', { game_id: g.game_id });
			return ok(away, 'submit_manual_outcome', { game_id: g.game_id, outcome });
		}

		// A spectator that records room events, auto-reconnecting.
		async function watcher() {
			const s = connect(server.url, { token: g.spectator.token, reconnection: true,
			    reconnectionDelay: 200, reconnectionDelayMax: 500 });
			s.roomEvents = [];
			s.onAny((event, data) => {
				if (data && typeof data === 'object' && typeof data.seq === 'number' &&
				    !['game_joined', 'game_state_sync', 'lineup_data'].includes(event)) {
					s.roomEvents.push({ event, data });
				}
			});
			await waitConnect(s);
			await join(s, g.game_id, 'spectator');
			return s;
		}

		test('a dropped client catches up with request_game_state {last_seq}', async () => {
			const w = await watcher();
			await pa();
			await sleep(100);
			const last = w.roomEvents[w.roomEvents.length - 1].data.seq;
			close(w);
			await pa('walk');
			await pa('strikeout');
			const w2 = await player(server, g.spectator);
			const sync = await ok(w2, 'request_game_state', { game_id: g.game_id, last_seq: last });
			// Its own user_disconnected, then two rolls and two plays.
			const seqs = sync.missed_events.map((m) => m.data.seq);
			assert.deepEqual(seqs, seqs.map((_, i) => last + 1 + i), `missed: ${seqs}`);
			assert.deepEqual(sync.missed_events.map((m) => m.event), ['user_disconnected',
			    'dice_rolled', 'play_resolved', 'dice_rolled', 'play_resolved']);
			assert.equal(sync.state.seq, seqs[seqs.length - 1]);
			close(w2);
		});

		test('connection state recovery: the stock client gets the gap replayed', async () => {
			const w = await watcher();
			await pa();
			await sleep(100);
			assert.equal(w.recovered, false);
			const before = w.roomEvents.length;
			// A transport loss: the client reconnects by itself with pid+offset.
			const reconnected = once(w, 'connect', 10_000);
			w.io.engine.close();
			await pa('walk');
			await pa('strikeout');
			await reconnected;
			assert.equal(w.recovered, true, 'socket.recovered');
			for (let i = 0; i < 100 && w.roomEvents.length < before + 4; i++) await sleep(20);
			assertSeqContinuous(w.roomEvents, 'after recovery');
			assert.ok(w.roomEvents.length >= before + 4, `got ${w.roomEvents.length - before} of 4`);
			// Still in the room: new events arrive.
			const next = once(w, 'play_resolved');
			await pa('single');
			await next;
			close(w);
		});

		test('a restarted server: recovery and last_seq both work from the log', async () => {
			const w = await watcher();
			await pa();
			await sleep(100);
			const last = w.roomEvents[w.roomEvents.length - 1].data.seq;
			const reconnected = once(w, 'connect', 20_000);
			const port = server.port;
			await server.kill();
			server = await startServer({ workers, name: 'reconnect', port, secret: server.secret,
			    env: { RATE_LIMITS: 'off' } });
			// The managers were cut off too: they come back as new sockets.
			away = await player(server, g.away);
			home = await player(server, g.home);
			await join(away, g.game_id);
			await pa('walk');
			await reconnected;
			assert.equal(w.recovered, true, 'recovered across a restart');
			for (let i = 0; i < 100 && !w.roomEvents.some((e) => e.event === 'play_resolved' &&
			    e.data.seq > last); i++) await sleep(20);
			assertSeqContinuous(w.roomEvents, 'across the restart');
			const fresh = await player(server, g.spectator);
			const sync = await ok(fresh, 'request_game_state', { game_id: g.game_id, last_seq: last });
			assert.deepEqual(sync.missed_events.map((m) => m.data),
			    w.roomEvents.filter((e) => e.data.seq > last).map((e) => e.data));
			close(w);
			close(fresh);
		});
	});
}
