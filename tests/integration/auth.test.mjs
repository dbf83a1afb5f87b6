// Authentication over the wire (CONTRACT.md sections 3, 5, 6): the token in
// the CONNECT packet or an Authorization header, each refusal's code, and the
// first events of an accepted socket, for every transport mode, with one
// Kore worker and with two.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { TRANSPORT_MODES, closeAll, close, connect, emitAck, once, waitConnect,
    waitConnectError, waitUpgrade } from './lib/client.mjs';
import { badSignatureToken, expiredToken, malformedToken, malformedTokens,
    validToken } from './lib/jwt.mjs';
import { startServer } from './lib/server.mjs';

for (const workers of [1, 2]) {
	describe(`auth, WORKERS=${workers}`, () => {
		let server;

		before(async () => {
			server = await startServer({ workers, name: 'auth' });
		});

		after(async () => {
			closeAll();
			await server?.stop();
		});

		// Connects with a valid token; `connected` must be listened for
		// before the CONNECT answer, which may come in the same batch.
		async function connectValid(transports, opts = {}) {
			const { token, sub } = validToken(server.secret, opts);
			const socket = connect(server.url, { token, transports });
			const connected = once(socket, 'connected', 10_000);
			await waitConnect(socket);
			return { socket, sub, connected: await connected };
		}

		async function refusal(token, transports) {
			const socket = connect(server.url, { token, transports });
			try {
				return await waitConnectError(socket);
			} finally {
				close(socket);
			}
		}

		function assertRefused(err, code) {
			assert.equal(typeof err.message, 'string');
			assert.ok(err.message.length > 0, 'connect_error message is empty');
			assert.ok(err.data && typeof err.data === 'object',
			    `connect_error has no data object (message: ${err.message})`);
			assert.equal(err.data.code, code, `message: ${err.message}`);
		}

		for (const [mode, transports] of TRANSPORT_MODES) {
			describe(`transport ${mode}`, () => {
				test('valid token: connects and receives connected {user_id: sub}', async () => {
					const { socket, sub, connected } = await connectValid(transports, { name: 'Tester' });
					assert.equal(connected.user_id, sub);
					close(socket);
				});

				test('missing token: AUTH_MISSING', async () => {
					assertRefused(await refusal(undefined, transports), 'AUTH_MISSING');
				});

				test('malformed token: AUTH_INVALID', async () => {
					assertRefused(await refusal(malformedToken(), transports), 'AUTH_INVALID');
				});

				test('bad signature: AUTH_INVALID', async () => {
					assertRefused(await refusal(badSignatureToken(server.secret).token, transports), 'AUTH_INVALID');
				});

				test('expired token: AUTH_EXPIRED', async () => {
					assertRefused(await refusal(expiredToken(server.secret).token, transports), 'AUTH_EXPIRED');
				});

				test('heartbeat: heartbeat_ack event, and {ok: true} to an ack callback', async () => {
					const { socket } = await connectValid(transports);
					const ackEvent = once(socket, 'heartbeat_ack');
					socket.emit('heartbeat');
					const data = await ackEvent;
					assert.ok(data && data.timestamp !== undefined && data.timestamp !== null,
					    `heartbeat_ack without timestamp: ${JSON.stringify(data)}`);

					const ackEvent2 = once(socket, 'heartbeat_ack');
					const ack = await emitAck(socket, 'heartbeat');
					assert.equal(ack?.ok, true, `ack: ${JSON.stringify(ack)}`);
					await ackEvent2; // the event comes as well
					close(socket);
				});

				test('unknown event with an ack: {ok: false, error: {code: UNKNOWN_EVENT}}', async () => {
					const { socket } = await connectValid(transports);
					const ack = await emitAck(socket, 'no_such_event_here', { x: 1 });
					assert.equal(ack?.ok, false, `ack: ${JSON.stringify(ack)}`);
					assert.equal(ack.error?.code, 'UNKNOWN_EVENT', `ack: ${JSON.stringify(ack)}`);
					close(socket);
				});
			});
		}

		test('default transports upgrade to websocket, and events still flow', async () => {
			const { socket } = await connectValid(undefined);
			await waitUpgrade(socket);
			const ack = await emitAck(socket, 'heartbeat');
			assert.equal(ack?.ok, true, `ack: ${JSON.stringify(ack)}`);
			close(socket);
		});

		test('Authorization: Bearer header instead of auth (polling)', async () => {
			const { token, sub } = validToken(server.secret);
			const socket = connect(server.url, {
				transports: ['polling'],
				extraHeaders: { Authorization: `Bearer ${token}` },
			});
			const connected = once(socket, 'connected', 10_000);
			await waitConnect(socket);
			assert.equal((await connected).user_id, sub);
			close(socket);
		});

		test('other malformed tokens (polling): AUTH_INVALID', async () => {
			for (const [kind, token] of Object.entries(malformedTokens(server.secret))) {
				const err = await refusal(token, ['polling']);
				assert.equal(err.data?.code, 'AUTH_INVALID', `${kind}: ${err.message}`);
			}
		});
	});
}
