// A second, independent client: Debian's python-socketio 5.7 (socketio.Client
// under /usr/bin/python3) connects with auth={'token'} over polling and over
// WebSocket, receives `connected` and gets `heartbeat_ack`.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { closeAll } from './lib/client.mjs';
import { join as joinGame, ok, player, setupGame } from './lib/game.mjs';
import { validToken } from './lib/jwt.mjs';
import { ROOT, startServer } from './lib/server.mjs';

// Debian's python packages are seen only by Debian's python, not by a pyenv
// python3 that may come first on PATH.
const PYTHON = process.env.TEST_PYTHON || '/usr/bin/python3';
const SCRIPT = join(ROOT, 'tests', 'integration', 'lib', 'python_client.py');

function runClient(url, token, transport) {
	return new Promise((resolveRun) => {
		execFile(PYTHON, [SCRIPT, url, token, transport], { timeout: 40_000 },
		    (err, stdout, stderr) => resolveRun({ err, stdout, stderr }));
	});
}

for (const workers of [1, 2]) {
	describe(`python-socketio client, WORKERS=${workers}`, () => {
		let server;

		before(async () => {
			server = await startServer({ workers, name: 'python' });
		});

		after(async () => {
			closeAll();
			await server?.stop();
		});

		for (const transport of ['polling', 'websocket']) {
			test(`${transport}: a spectator receives room events with one-argument handlers`, async () => {
				const g = await setupGame(server);
				const away = await player(server, g.away);
				await joinGame(away, g.game_id);
				const proc = spawn(PYTHON, [SCRIPT, server.url, g.spectator.token, transport,
				    g.game_id]);
				let stdout = '';
				let stderr = '';
				proc.stderr.on('data', (d) => { stderr += d; });
				const joined = new Promise((res) => proc.stdout.on('data', (d) => {
					stdout += d;
					if (stdout.includes('joined')) res();
				}));
				const exited = new Promise((res) => proc.on('exit', res));
				await Promise.race([joined, exited]);
				await ok(away, 'roll_dice', { game_id: g.game_id });
				await ok(away, 'submit_manual_outcome', { game_id: g.game_id, outcome: 'single' });
				await exited;
				const result = JSON.parse(stdout.trim().split('\n').pop());
				assert.equal(result.ok, true, `python client: ${result.error}\n${stderr}`);
				assert.equal(result.play.play_number, 1);
				assert.ok(!/handler error|Traceback/.test(stderr), stderr);
			});
		}

		for (const transport of ['polling', 'websocket']) {
			test(`${transport}: connects, receives connected, gets heartbeat_ack`, async () => {
				const { token, sub } = validToken(server.secret);
				const { err, stdout, stderr } = await runClient(server.url, token, transport);
				const line = stdout.trim().split('\n').pop() || '';
				let result;
				try {
					result = JSON.parse(line);
				} catch {
					assert.fail(`python client printed no result (${err?.message ?? 'exit 0'}):\n${stdout}\n${stderr}`);
				}
				assert.equal(result.ok, true, `python client: ${result.error}\n${stderr}`);
				assert.equal(result.transport_used, transport);
				assert.equal(result.connected?.user_id, sub);
				assert.ok(result.heartbeat_ack && result.heartbeat_ack.timestamp !== undefined,
				    `heartbeat_ack: ${JSON.stringify(result.heartbeat_ack)}`);
				assert.equal(result.ack?.ok, true, `ack: ${JSON.stringify(result.ack)}`);
			});
		}
	});
}
