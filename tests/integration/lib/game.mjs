// Game set-up over REST and players over Socket.IO, for the gameplay
// tests: two managers with a team each, a game between them, and sockets
// that record every room event they receive in order.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { connect, emitAck, once, waitConnect } from './client.mjs';
import { validToken } from './jwt.mjs';

/** JSON over HTTP; returns { status, body }. */
export async function api(server, method, path, { token, body } = {}) {
	const headers = {};
	if (token) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${server.url}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json = null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = { raw: text };
	}
	return { status: res.status, body: json };
}

/** A registered user: { user_id, token, username }. */
export async function register(server, prefix = 'mgr') {
	const username = `${prefix}_${randomUUID().slice(0, 8)}`;
	const res = await api(server, 'POST', '/api/auth/register', {
		body: { username, password: 'correct horse battery' },
	});
	assert.equal(res.status, 201, `register: ${JSON.stringify(res.body)}`);
	return { ...res.body, username };
}

export async function createTeam(server, user, abbrev) {
	const res = await api(server, 'POST', '/api/teams', {
		token: user.token,
		body: { abbrev, name: `${abbrev} Nine` },
	});
	assert.equal(res.status, 201, `team: ${JSON.stringify(res.body)}`);
	return res.body;
}

/**
 * Two managers, their teams and a game (away = the first's team), plus a
 * spectator token.  Returns { away, home, awayTeam, homeTeam, game_id,
 * state, spectator }.
 */
export async function setupGame(server) {
	const away = await register(server, 'away');
	const home = await register(server, 'home');
	const awayTeam = await createTeam(server, away, 'AWY');
	const homeTeam = await createTeam(server, home, 'HOM');
	const res = await api(server, 'POST', '/api/games', {
		token: away.token,
		body: { away_team_id: awayTeam.team_id, home_team_id: homeTeam.team_id },
	});
	assert.equal(res.status, 201, `game: ${JSON.stringify(res.body)}`);
	const spectator = validToken(server.secret, { name: 'Watcher' });
	return {
		away, home, awayTeam, homeTeam,
		game_id: res.body.game_id,
		state: res.body.state,
		spectator: { user_id: spectator.sub, token: spectator.token },
	};
}

const ROOM_EVENTS = new Set([
	'user_connected', 'user_left', 'user_disconnected',
	'defensive_decision_submitted', 'offensive_decision_submitted',
	'dice_rolled', 'play_resolved', 'player_substituted',
]);

/**
 * A connected player socket whose room events are kept in
 * socket.roomEvents ([{event, data}]) in arrival order.
 */
export async function player(server, user, opts = {}) {
	const socket = connect(server.url, { token: user.token, ...opts });
	socket.roomEvents = [];
	socket.onAny((event, data) => {
		if (ROOM_EVENTS.has(event)) socket.roomEvents.push({ event, data });
	});
	const connected = once(socket, 'connected', 10_000);
	await waitConnect(socket);
	await connected;
	return socket;
}

export async function join(socket, game_id, role = 'player') {
	const joined = once(socket, 'game_joined');
	const ack = await emitAck(socket, 'join_game', { game_id, role });
	assert.equal(ack.ok, true, `join_game: ${JSON.stringify(ack)}`);
	return joined;
}

/** Emits with an ack and asserts success; returns the ack. */
export async function ok(socket, event, data) {
	const ack = await emitAck(socket, event, data, 10_000);
	assert.equal(ack?.ok, true, `${event} ${JSON.stringify(data)}: ${JSON.stringify(ack)}`);
	return ack;
}

/** Emits with an ack and asserts the refusal code; returns the ack. */
export async function refused(socket, event, data, code) {
	const ack = await emitAck(socket, event, data, 10_000);
	assert.equal(ack?.ok, false, `${event} should be refused: ${JSON.stringify(ack)}`);
	assert.equal(ack.error?.code, code, `${event}: ${JSON.stringify(ack)}`);
	return ack;
}

/** Resolves once `socket` has received `n` room events in all. */
export async function roomEventCount(socket, n, timeout = 5000) {
	const start = Date.now();
	while (socket.roomEvents.length < n) {
		if (Date.now() - start > timeout) {
			throw new Error(`only ${socket.roomEvents.length} of ${n} room events arrived`);
		}
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** The seqs of a room event stream are consecutive. */
export function assertSeqContinuous(events, what) {
	for (let i = 1; i < events.length; i++) {
		assert.equal(events[i].data.seq, events[i - 1].data.seq + 1,
		    `${what}: seq ${events[i - 1].data.seq} then ${events[i].data.seq} (${events[i].event})`);
	}
}

export function newUuid() {
	return randomUUID();
}
