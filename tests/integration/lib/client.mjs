// socket.io-client helpers: sockets that never reconnect behind a test's
// back, promise-returning waits with timeouts, and a closeAll for after().

import { io } from 'socket.io-client';

/** The three ways a client may talk to the server. */
export const TRANSPORT_MODES = [
	['polling', ['polling']],
	['websocket', ['websocket']],
	['default (polling, then upgrade)', undefined],
];

const open = new Set();

/**
 * A new socket to `url` (namespace /).  token goes in the CONNECT packet's
 * auth; leave it undefined to send none.  Every event received is also
 * recorded in socket.received ([event, ...args]) for error messages.
 */
export function connect(url, { token, auth, transports, extraHeaders, ...rest } = {}) {
	const opts = {
		forceNew: true,
		reconnection: false,
		timeout: 10_000,
		...rest,
	};
	if (auth !== undefined) opts.auth = auth;
	else if (token !== undefined) opts.auth = { token };
	if (transports !== undefined) opts.transports = transports;
	if (extraHeaders !== undefined) opts.extraHeaders = extraHeaders;
	const socket = io(url, opts);
	socket.received = [];
	socket.onAny((event, ...args) => socket.received.push([event, ...args]));
	open.add(socket);
	return socket;
}

function describeReceived(socket) {
	const seen = (socket.received ?? []).map(([e]) => e);
	return seen.length ? `received so far: ${seen.join(', ')}` : 'received nothing';
}

/**
 * Resolves with the first argument of the next `event` on socket (or on its
 * Manager for Manager events), rejects after timeout ms.
 */
export function once(socket, event, timeout = 5000) {
	return new Promise((resolveEvent, reject) => {
		const handler = (arg) => {
			clearTimeout(timer);
			resolveEvent(arg);
		};
		const timer = setTimeout(() => {
			socket.off(event, handler);
			reject(new Error(`timed out after ${timeout} ms waiting for '${event}' (${describeReceived(socket)})`));
		}, timeout);
		socket.once(event, handler);
	});
}

/** Resolves once connected; rejects with the connect_error if refused. */
export function waitConnect(socket, timeout = 10_000) {
	if (socket.connected) return Promise.resolve(socket);
	return new Promise((resolveConnect, reject) => {
		const done = (err) => {
			clearTimeout(timer);
			socket.off('connect', onConnect);
			socket.off('connect_error', onError);
			if (err) reject(err);
			else resolveConnect(socket);
		};
		const onConnect = () => done();
		const onError = (err) => done(err);
		const timer = setTimeout(() => done(new Error(`not connected after ${timeout} ms`)), timeout);
		socket.on('connect', onConnect);
		socket.on('connect_error', onError);
	});
}

/** Resolves with the connect_error; rejects if the socket connects instead. */
export function waitConnectError(socket, timeout = 10_000) {
	return new Promise((resolveError, reject) => {
		const done = (fn, v) => {
			clearTimeout(timer);
			socket.off('connect', onConnect);
			socket.off('connect_error', onError);
			fn(v);
		};
		const onConnect = () => done(reject, new Error('connected, but a connect_error was expected'));
		const onError = (err) => done(resolveError, err);
		const timer = setTimeout(() => done(reject, new Error(`no connect_error after ${timeout} ms`)), timeout);
		socket.on('connect', onConnect);
		socket.on('connect_error', onError);
	});
}

/**
 * Emits with an acknowledgement callback; resolves with the ack's first
 * argument, rejects after timeout ms.  data undefined sends no argument.
 */
export function emitAck(socket, event, data, timeout = 5000) {
	const s = socket.timeout(timeout);
	const p = data === undefined ? s.emitWithAck(event) : s.emitWithAck(event, data);
	return p.catch((err) => {
		throw new Error(`no ack for '${event}' within ${timeout} ms (${err.message}; ${describeReceived(socket)})`);
	});
}

/** Resolves once the engine runs on WebSocket (after an upgrade). */
export function waitUpgrade(socket, timeout = 5000) {
	const engine = socket.io.engine;
	if (engine && engine.transport && engine.transport.name === 'websocket') return Promise.resolve();
	return new Promise((resolveUpgrade, reject) => {
		const timer = setTimeout(() => reject(new Error(
		    `no upgrade to websocket after ${timeout} ms (transport: ${socket.io.engine?.transport?.name})`)), timeout);
		socket.io.engine.once('upgrade', () => {
			clearTimeout(timer);
			resolveUpgrade();
		});
	});
}

/** Closes one socket (and its Manager, since each has its own). */
export function close(socket) {
	open.delete(socket);
	socket.disconnect();
	socket.io.engine?.close();
}

/** Closes every socket made by connect() and not closed yet. */
export function closeAll() {
	for (const s of [...open]) close(s);
}
