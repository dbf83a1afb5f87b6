// Raw Engine.IO / Socket.IO over the wire, below socket.io-client: polling
// requests with fetch, WebSockets with ws, and bare TCP, so the robustness
// tests can send what no well-behaved client would.

import { connect as tcpConnect } from 'node:net';
import WebSocket from 'ws';

export const RS = '\x1e';

export function eioUrl(base, query = {}) {
	const q = new URLSearchParams({ EIO: '4', transport: 'polling', ...query });
	for (const [k, v] of Object.entries(query)) if (v === undefined) q.delete(k);
	return `${base}/socket.io/?${q}`;
}

/** A request with a timeout; resolves {status, body, headers}. */
export async function request(url, { method = 'GET', body, headers, timeout = 5000 } = {}) {
	const res = await fetch(url, {
		method,
		body,
		headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...(headers ?? {}) },
		signal: AbortSignal.timeout(timeout),
	});
	return { status: res.status, body: await res.text(), headers: res.headers };
}

/** A polling handshake: resolves the open packet's fields. */
export async function handshake(base) {
	const r = await request(eioUrl(base));
	if (r.status !== 200 || r.body[0] !== '0') {
		throw new Error(`handshake: ${r.status} ${r.body}`);
	}
	return JSON.parse(r.body.slice(1));
}

export function poll(base, sid, opts) {
	return request(eioUrl(base, { sid }), opts);
}

export function post(base, sid, body, opts = {}) {
	return request(eioUrl(base, { sid }), { ...opts, method: 'POST', body });
}

/**
 * A raw WebSocket to the Engine.IO endpoint.  Every frame received goes
 * to ws.frames (text as strings); ws.closed resolves {code, reason} or
 * {error} when it ends.
 */
export function rawWebSocket(base, query = {}) {
	const url = eioUrl(base.replace(/^http/, 'ws'), { transport: 'websocket', ...query });
	const ws = new WebSocket(url, { maxPayload: 16 * 1024 * 1024 });
	ws.frames = [];
	ws.waiters = [];
	ws.on('message', (data, isBinary) => {
		ws.frames.push(isBinary ? data : data.toString());
		for (const w of ws.waiters.splice(0)) w();
	});
	ws.closed = new Promise((resolve) => {
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', (error) => resolve({ error }));
	});
	ws.opened = new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
		ws.once('unexpected-response', (req, res) => {
			res.resume();
			reject(Object.assign(new Error(`refused: HTTP ${res.statusCode}`), { status: res.statusCode }));
		});
	});
	// A rejected `opened` nobody awaits must not kill the run.
	ws.opened.catch(() => {});
	return ws;
}

/** The next frame matching pred (default: any), or throws after timeout. */
export async function nextFrame(ws, pred = () => true, timeout = 3000) {
	const deadline = Date.now() + timeout;
	for (;;) {
		const i = ws.frames.findIndex(pred);
		if (i >= 0) return ws.frames.splice(i, 1)[0];
		const left = deadline - Date.now();
		if (left <= 0) throw new Error(`no matching frame within ${timeout} ms (got ${JSON.stringify(ws.frames)})`);
		await new Promise((r) => {
			const t = setTimeout(r, left);
			ws.waiters.push(() => { clearTimeout(t); r(); });
		});
	}
}

/** Resolves the close of ws, or throws if it stays open for timeout ms. */
export async function closedWithin(ws, timeout) {
	let timer;
	const t = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`still open after ${timeout} ms`)), timeout);
	});
	try {
		return await Promise.race([ws.closed, t]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * A bare TCP connection: sock.data accumulates what the server sends,
 * sock.ended resolves when the server closes it.
 */
export function rawTcp(port) {
	const sock = tcpConnect({ host: '127.0.0.1', port });
	sock.data = '';
	sock.on('data', (d) => { sock.data += d.toString('latin1'); });
	sock.ended = new Promise((resolve) => sock.on('close', resolve));
	sock.on('error', () => {});
	sock.ready = new Promise((resolve, reject) => {
		sock.once('connect', resolve);
		sock.once('error', reject);
	});
	return sock;
}

export function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}
