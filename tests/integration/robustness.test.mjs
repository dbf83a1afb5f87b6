// Robustness of the transport over the wire (CONTRACT.md section 2, the
// protocol notes in docs/testing.md): malformed Engine.IO and Socket.IO
// packets, oversized payloads, unknown or closed sids, half-open
// connections, a second concurrent GET, clients that never answer pings.
// Each gets the protocol's answer or a clean close, never a crash: after
// every abuse a normal socket.io-client connection must still work, and
// the server log must show no dead or restarted worker.  With one Kore
// worker and with two; pingInterval 300 ms and pingTimeout 200 ms.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';

import { closeAll, close, connect, emitAck, once, waitConnect } from './lib/client.mjs';
import { validToken } from './lib/jwt.mjs';
import { RS, closedWithin, eioUrl, handshake, nextFrame, poll, post, rawTcp,
    rawWebSocket, request, sleep } from './lib/raw.mjs';
import { startServer } from './lib/server.mjs';

const PING_INTERVAL = 300;
const PING_TIMEOUT = 200;
const MAX_PAYLOAD = 1_000_000;

// A payload whose brackets a comment used to hide from the JSON depth
// bound: one request made yajl_tree_free overflow the worker's stack.
function deepCommentPayload(levels = 300_000) {
	return ` /*"*/{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

for (const workers of [1, 2]) {
	describe(`robustness, WORKERS=${workers}`, () => {
		let server;
		const sockets = [];

		before(async () => {
			server = await startServer({
				workers,
				name: 'robustness',
				env: { PING_INTERVAL_MS: String(PING_INTERVAL), PING_TIMEOUT_MS: String(PING_TIMEOUT) },
			});
		});

		afterEach(async () => {
			for (const ws of sockets.splice(0)) ws.terminate();
			// Every abuse is followed by a normal client and a log check.
			await assertHealthy();
		});

		after(async () => {
			closeAll();
			await server?.stop();
		});

		function track(ws) {
			sockets.push(ws);
			return ws;
		}

		// Only the lines logged since the last check, so that a crash
		// fails the test that caused it.
		let logSeen = 0;
		function assertLogClean() {
			const log = readFileSync(server.logFile, 'utf8');
			const fresh = log.slice(logSeen);
			logSeen = log.length;
			const bad = fresh.split('\n').filter((l) =>
			    /sandbox violation|restarting worker|worker \d+ .*gone|died|AddressSanitizer|segfault/i.test(l));
			assert.deepEqual(bad, [], `server log shows a worker crash:\n${bad.join('\n')}`);
		}

		// A real client connects (over both transports), is accepted, and
		// gets an ack: the server survived whatever came before.
		async function assertHealthy() {
			for (const transports of [['websocket'], ['polling']]) {
				const { token, sub } = validToken(server.secret);
				const socket = connect(server.url, { token, transports });
				const connected = once(socket, 'connected', 10_000);
				await waitConnect(socket);
				assert.equal((await connected).user_id, sub);
				const ack = await emitAck(socket, 'heartbeat');
				assert.equal(ack?.ok, true, `ack: ${JSON.stringify(ack)}`);
				close(socket);
			}
			assertLogClean();
		}

		// A raw WebSocket-only session, past the Socket.IO CONNECT.
		async function rawConnected() {
			const ws = track(rawWebSocket(server.url));
			await ws.opened;
			const open = await nextFrame(ws, (f) => typeof f === 'string' && f[0] === '0');
			assert.deepEqual(JSON.parse(open.slice(1)).upgrades, []);
			ws.send(`40${JSON.stringify({ token: validToken(server.secret).token })}`);
			await nextFrame(ws, (f) => typeof f === 'string' && f.startsWith('40{'));
			return ws;
		}

		// A closed session: the next GET is refused, or is answered with
		// a close packet (node: "6\x1e1" when no GET was pending).
		function assertClosed(r, what) {
			assert.ok(r.status === 400 || (r.status === 200 && r.body.split(RS).includes('1')),
			    `${what}: ${r.status} ${JSON.stringify(r.body.slice(0, 80))}`);
		}

		function assertEioError(r, code) {
			assert.equal(r.status, 400, `status ${r.status}, body ${r.body}`);
			const body = JSON.parse(r.body);
			assert.equal(body.code, code, r.body);
			assert.equal(typeof body.message, 'string');
		}

		describe('handshake and session errors', () => {
			test('EIO=3, EIO=abc and no EIO: 400 code 5', async () => {
				assertEioError(await request(eioUrl(server.url, { EIO: '3' })), 5);
				assertEioError(await request(eioUrl(server.url, { EIO: 'abc' })), 5);
				assertEioError(await request(eioUrl(server.url, { EIO: undefined })), 5);
			});

			test('unknown or missing transport: 400 code 0', async () => {
				assertEioError(await request(eioUrl(server.url, { transport: 'flash' })), 0);
				assertEioError(await request(eioUrl(server.url, { transport: undefined })), 0);
			});

			test('POST without sid: 400 code 2', async () => {
				assertEioError(await request(eioUrl(server.url), { method: 'POST', body: '40' }), 2);
			});

			test('unknown sid: 400 code 1, for GET, POST and a WebSocket, before any upgrade', async () => {
				const sid = 'AAAAAAAAAAAAAAAAAAAA';
				assertEioError(await poll(server.url, sid), 1);
				assertEioError(await post(server.url, sid, '40'), 1);
				const ws = track(rawWebSocket(server.url, { sid }));
				const err = await ws.opened.then(() => null, (e) => e);
				assert.ok(err, 'WebSocket with an unknown sid was upgraded');
				assert.equal(err.status, 400);
			});

			test('a sid of odd bytes or huge length: 400 code 1', async () => {
				assertEioError(await poll(server.url, '../../../etc/passwd\0%'), 1);
				assertEioError(await poll(server.url, 'x'.repeat(500)), 1);
				assertEioError(await post(server.url, 'x'.repeat(500), '40'), 1);
			});
		});

		describe('polling abuse', () => {
			test('POST garbage: 400, and the session is closed', async () => {
				for (const garbage of ['abc', '9', `4x${RS}${RS}4y`, 'b%%%', '\u0000\u0001']) {
					const { sid } = await handshake(server.url);
					const r = await post(server.url, sid, garbage);
					assert.equal(r.status, 400, `POST ${JSON.stringify(garbage)}: ${r.status} ${r.body}`);
					assertClosed(await poll(server.url, sid), `GET after garbage ${JSON.stringify(garbage)}`);
				}
			});

			// Kore checks Content-Length against http_body_max (1,000,000)
			// before reading the body: it answers 413 and closes, so a
			// client still sending may see a reset instead of the 413
			// (node reads the body first).  Either way: no 2xx, no crash.
			test('POST of more than 1,000,000 bytes: 413 (or a reset while sending)', async () => {
				const { sid, maxPayload } = await handshake(server.url);
				assert.equal(maxPayload, MAX_PAYLOAD);
				const body = `4${'x'.repeat(MAX_PAYLOAD)}`;
				const sock = rawTcp(server.port);
				await sock.ready;
				sock.write(`POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\n` +
				    `Host: x\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`);
				sock.write(body);
				const t = setTimeout(() => sock.destroy(), 5000);
				await sock.ended;
				clearTimeout(t);
				assert.ok(sock.data === '' || /^HTTP\/1\.1 413/.test(sock.data),
				    `answer: ${sock.data.slice(0, 60)}`);
				// Just under the limit is read (and refused or taken by the
				// Socket.IO layer: it is not a valid packet).
				const s2 = (await handshake(server.url)).sid;
				const ok = await post(server.url, s2, `4${'x'.repeat(MAX_PAYLOAD - 10)}`, { timeout: 10_000 });
				assert.ok(ok.status === 200 || ok.status === 400, `status ${ok.status}`);
			});

			test('a Content-Length over the limit with no body: 413 at once', async () => {
				const { sid } = await handshake(server.url);
				const sock = rawTcp(server.port);
				await sock.ready;
				sock.write(`POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\n` +
				    'Host: x\r\nContent-Type: text/plain\r\nContent-Length: 50000000\r\n\r\n');
				const deadline = Date.now() + 5000;
				while (!/^HTTP\/1\.1 \d{3}/.test(sock.data) && Date.now() < deadline) await sleep(20);
				assert.match(sock.data, /^HTTP\/1\.1 413/, `answer: ${sock.data.slice(0, 80)}`);
				sock.destroy();
			});

			test('a second concurrent GET: 400, the first GET gets 1 (close), session closed', async () => {
				const { sid } = await handshake(server.url);
				// The first GET drains the CONNECT-less queue and then waits.
				const first = poll(server.url, sid, { timeout: 5000 });
				await sleep(50);
				const second = await poll(server.url, sid);
				assert.ok(second.status === 400 || second.status === 500, `second GET: ${second.status}`);
				const r1 = await first;
				assert.equal(r1.status, 200);
				assert.equal(r1.body.split(RS).at(-1), '1', `first GET: ${JSON.stringify(r1.body)}`);
				assertEioError(await poll(server.url, sid), 1);
			});

			test('polling close (POST 1): the pending GET gets 6, the sid is gone', async () => {
				const { sid } = await handshake(server.url);
				const pending = poll(server.url, sid);
				await sleep(50);
				const r = await post(server.url, sid, '1');
				assert.equal(r.status, 200);
				assert.equal(r.body, 'ok');
				const g = await pending;
				assert.equal(g.status, 200);
				assert.equal(g.body, '6');
				assert.equal((await poll(server.url, sid)).status, 400);
				assert.equal((await post(server.url, sid, '3')).status, 400);
			});

			test('malformed Socket.IO packets over polling close that session only', async () => {
				const bystander = await handshake(server.url);
				for (const bad of ['42{}', '4abc', '42abc["x"]', '41{}', '40[]', '4511-["x"]',
				    '421234567890123456["x"]', `4${deepCommentPayload()}`, '49']) {
					const { sid } = await handshake(server.url);
					const r = await post(server.url, sid, bad, { timeout: 10_000 });
					assert.ok(r.status === 200 || r.status === 400, `${bad.slice(0, 20)}: ${r.status}`);
					// The session closes: the next GET ends with a close or is refused.
					const g = await poll(server.url, sid);
					assert.ok(g.status === 400 || g.body.split(RS).includes('1'),
					    `${bad.slice(0, 20)}: GET ${g.status} ${JSON.stringify(g.body.slice(0, 80))}`);
				}
				// Another session in parallel is untouched.
				const r = await post(server.url, bystander.sid, '40');
				assert.equal(r.status, 200, `bystander POST: ${r.status} ${r.body}`);
			});

			test('binary attachments that never come, or text in their place', async () => {
				const { sid } = await handshake(server.url);
				const r = await post(server.url, sid,
				    `451-["x",{"_placeholder":true,"num":0}]${RS}4oops`);
				assert.ok(r.status === 200 || r.status === 400, `status ${r.status}`);
				const { sid: s2 } = await handshake(server.url);
				const r2 = await post(server.url, s2, '452-["x",{"_placeholder":true,"num":0}]');
				assert.ok(r2.status === 200 || r2.status === 400, `status ${r2.status}`);
			});

			test('a client that never answers pings is dropped after pingInterval + pingTimeout', async () => {
				const t0 = Date.now();
				const { sid } = await handshake(server.url);
				const g = await poll(server.url, sid, { timeout: 3000 });
				assert.equal(g.status, 200);
				assert.equal(g.body, '2', `expected a ping, got ${JSON.stringify(g.body)}`);
				const pingAt = Date.now() - t0;
				assert.ok(pingAt >= PING_INTERVAL - 50 && pingAt < PING_INTERVAL + 400, `ping after ${pingAt} ms`);
				await sleep(Math.max(0, PING_INTERVAL + PING_TIMEOUT + 150 - (Date.now() - t0)));
				const late = await poll(server.url, sid);
				assert.ok(late.status === 400 || late.body.split(RS).includes('1'),
				    `after ${Date.now() - t0} ms without a pong: ${late.status} ${JSON.stringify(late.body)}`);
				if (late.status === 200) assert.equal((await poll(server.url, sid)).status, 400);
			});

			test('a client that answers pings is kept', async () => {
				const { sid } = await handshake(server.url);
				const t0 = Date.now();
				while (Date.now() - t0 < 3 * (PING_INTERVAL + PING_TIMEOUT)) {
					const g = await poll(server.url, sid, { timeout: 3000 });
					assert.equal(g.status, 200, `GET after ${Date.now() - t0} ms: ${g.status}`);
					if (g.body.split(RS).includes('2')) {
						assert.equal((await post(server.url, sid, '3')).status, 200);
					}
				}
			});
		});

		describe('WebSocket abuse', () => {
			// Node closes with 1009; Kore (websocket_maxframe) sends a close
			// frame with no status (1005 here).  Either is a clean close.
			test('a frame over 1 MB closes the connection', async () => {
				const ws = await rawConnected();
				ws.send(`42["heartbeat","${'x'.repeat(MAX_PAYLOAD + 10)}"]`);
				const c = await closedWithin(ws, 5000);
				assert.ok(c.error || [1009, 1005, 1006, 1002].includes(c.code),
				    `closed with ${JSON.stringify(c)}`);
			});

			test('a malformed Socket.IO packet closes that connection only', async () => {
				const { token } = validToken(server.secret);
				const other = connect(server.url, { token, transports: ['websocket'] });
				await waitConnect(other);
				for (const bad of ['42{}', '4abc', '42abc["x"]', '41{}', '4511-["x"]', '42["connect"]',
				    `4${deepCommentPayload()}`, '4' + '['.repeat(100) + ']'.repeat(100)]) {
					const ws = await rawConnected();
					ws.send(bad);
					const c = await closedWithin(ws, 3000);
					assert.ok(c, `${bad.slice(0, 20)} left the connection open`);
					assert.ok(other.connected, `the other client was disconnected by ${bad.slice(0, 20)}`);
				}
				const ack = await emitAck(other, 'heartbeat');
				assert.equal(ack?.ok, true);
				close(other);
			});

			test('malformed Engine.IO frames close the connection', async () => {
				for (const bad of ['', '9', 'x', '2', Buffer.from([1, 2, 3])]) {
					const ws = await rawConnected();
					ws.send(bad);
					const c = await closedWithin(ws, 3000);
					assert.ok(c, `frame ${JSON.stringify(bad)} left the connection open`);
				}
			});

			test('a text frame that is not UTF-8 closes the connection', async () => {
				const ws = await rawConnected();
				// ws refuses to send invalid UTF-8 as text; write the frame by hand.
				const payload = Buffer.from([0x34, 0x32, 0xff, 0xfe]);
				const mask = Buffer.from([1, 2, 3, 4]);
				const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
				ws._socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
				const c = await closedWithin(ws, 3000);
				assert.ok(c);
			});

			test('a WebSocket that never answers pings is dropped after pingInterval + pingTimeout', async () => {
				const ws = track(rawWebSocket(server.url));
				await ws.opened;
				const t0 = Date.now();
				await nextFrame(ws, (f) => f[0] === '0');
				await nextFrame(ws, (f) => f === '2', PING_INTERVAL + 500);
				const c = await closedWithin(ws, PING_INTERVAL + PING_TIMEOUT + 1000);
				const at = Date.now() - t0;
				assert.ok(c);
				assert.ok(at >= PING_INTERVAL + PING_TIMEOUT - 50, `closed after ${at} ms`);
			});

			test('a second WebSocket upgrade of a WebSocket session: refused or closed', async () => {
				const { sid } = await handshake(server.url);
				const a = track(rawWebSocket(server.url, { sid }));
				await a.opened;
				a.send('2probe');
				assert.equal(await nextFrame(a), '3probe');
				a.send('5');
				await sleep(100);
				const b = track(rawWebSocket(server.url, { sid }));
				const opened = await b.opened.then(() => true, () => false);
				if (opened) await closedWithin(b, 3000);
				// The upgraded session still works, and polling it is refused.
				assert.equal((await poll(server.url, sid)).status, 400);
				a.send('40');
				assert.match(await nextFrame(a, (f) => f.startsWith('4')), /^4[04]/);
			});
		});

		describe('TCP and HTTP abuse', () => {
			test('half a request, then silence: others are served meanwhile', async () => {
				const stalled = [];
				for (let i = 0; i < 5; i++) {
					const sock = rawTcp(server.port);
					await sock.ready;
					sock.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n');
					stalled.push(sock);
				}
				const body = rawTcp(server.port);
				await body.ready;
				body.write('POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\n' +
				    'Host: x\r\nContent-Length: 100\r\n\r\n40');
				stalled.push(body);
				await assertHealthy();
				for (const s of stalled) s.destroy();
			});

			test('half-open WebSocket: upgrade, then the TCP connection vanishes', async () => {
				const ws = await rawConnected();
				ws._socket.destroy();
				const ws2 = await rawConnected();
				ws2._socket.end();
				await sleep(PING_INTERVAL + PING_TIMEOUT + 100);
			});

			test('garbage bytes and a bad request line: the connection is closed', async () => {
				for (const junk of ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'HELLO\r\n\r\n',
				    `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
				    'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n' +
				    `X-Big: ${'b'.repeat(70_000)}\r\n\r\n`]) {
					const sock = rawTcp(server.port);
					await sock.ready;
					sock.write(junk);
					const t = setTimeout(() => sock.destroy(), 5000);
					await sock.ended;
					clearTimeout(t);
					assert.ok(!/^HTTP\/1\.1 200/.test(sock.data), `answered 200 to ${junk.slice(0, 20)}`);
				}
			});

			test('many handshakes left to expire', async () => {
				const sids = await Promise.all(Array.from({ length: 50 }, () => handshake(server.url)));
				assert.equal(new Set(sids.map((h) => h.sid)).size, 50);
				await sleep(PING_INTERVAL + PING_TIMEOUT + 300);
				for (const { sid } of sids.slice(0, 5)) {
					const r = await poll(server.url, sid);
					assert.ok(r.status === 400 || r.body.split(RS).includes('1'), `${r.status} ${r.body}`);
				}
			});
		});
	});
}
