// Paper Dynasty web UI: sign-up, lobby and the game screen.
//
// Plain DOM, no framework.  REST (/api/) for accounts, teams and the game
// list; Socket.IO for everything that happens in a game.  The server is the
// only source of truth: the screen is redrawn from `G.state` (the contract's
// state object) after every room event, and after a reconnect the client
// re-joins and asks for the events it missed (request_game_state with
// last_seq), so nothing is lost across a dropped connection, a reload or a
// server restart.  See docs/ui.md.

'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** el('tr', {class: 'x'}, 'text', child) - text is always text, never HTML. */
function el(tag, props = {}, ...kids) {
	const n = document.createElement(tag);
	for (const [k, v] of Object.entries(props)) {
		if (v === undefined || v === null || v === false) continue;
		if (k === 'class') n.className = v;
		else if (k === 'dataset') Object.assign(n.dataset, v);
		else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
		else if (k === 'text') n.textContent = v;
		else n.setAttribute(k, v === true ? '' : v);
	}
	for (const c of kids.flat()) {
		if (c === null || c === undefined || c === false) continue;
		n.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return n;
}

// ---------------------------------------------------------------- words

const CODE_TEXT = {
	AUTH_MISSING: 'You are not logged in.',
	AUTH_INVALID: 'Your login is not valid any more.',
	AUTH_EXPIRED: 'Your login has expired.',
	INVALID_PAYLOAD: 'The request was malformed.',
	MISSING_FIELD: 'Something required is missing.',
	INVALID_FORMAT: 'Something is in the wrong format.',
	UNKNOWN_EVENT: 'The server did not understand that action.',
	GAME_NOT_FOUND: 'There is no such game.',
	NOT_AUTHORIZED: 'You are not allowed to do that in this game.',
	NOT_YOUR_TURN: 'It is not your turn for that.',
	ROLL_PENDING: 'The dice are already rolled: submit the outcome first.',
	NO_PENDING_ROLL: 'Roll the dice first.',
	ROLL_EXPIRED: 'The roll expired: roll again.',
	DECISION_LOCKED: 'Decisions are locked now.',
	INVALID_DECISION: 'That decision is not allowed here.',
	INVALID_OUTCOME: 'That outcome is not valid here.',
	GAME_OVER: 'The game is over.',
	RATE_LIMITED: 'Too many actions at once: wait a moment.',
	INTERNAL_ERROR: 'The server had a problem. Please try again.',
	NOT_CURRENT_BATTER: 'A pinch hitter can only bat for the current batter.',
	NOT_CURRENT_PITCHER: 'Only the current pitcher can be relieved.',
	PLAYER_ALREADY_OUT: 'That player has already left the game (no re-entry).',
	PLAYER_NOT_ACTIVE: 'That player is not in the game.',
	PLAYER_NOT_FOUND: 'There is no such player in this game.',
	NOT_IN_ROSTER: 'That player is not on the team\'s roster.',
	ALREADY_ACTIVE: 'That player is already in the game.',
	PITCHER_MUST_FACE_BATTER: 'A pitcher must face at least one batter before he is replaced.',
	INVALID_POSITION: 'That is not a valid position.',
	TEAM_EXISTS: 'You already have a team with that abbreviation.',
	USERNAME_TAKEN: 'That username is taken.',
	INVALID_CREDENTIALS: 'Wrong username or password.',
};

const FIELD_TEXT = {
	player_out_lineup_id: 'the player coming out', player_in_card_id: 'the player going in',
	new_position: 'the new position', team_id: 'the team', hit_location: 'the hit location',
	runner_base: 'the runner', lead_runner: 'the lead runner', outcome: 'the result',
	hold_runners: 'holding runners', steal_attempts: 'the steals', hit_and_run: 'the hit-and-run',
	bunt_attempt: 'the bunt', alignment: 'the alignment', infield_depth: 'the infield depth',
	outfield_depth: 'the outfield depth', approach: 'the approach',
};

/** A server error in plain words: our sentence, then the server's. */
function explain(err, what) {
	const e = err?.error ?? err ?? {};
	const code = e.code || e.data?.code;
	const msg = e.message || '';
	const plain = CODE_TEXT[code];
	let s = what ? `${what}: ` : '';
	if (plain && msg && !msg.toLowerCase().startsWith(plain.toLowerCase().slice(0, 12))) {
		s += `${plain} (${msg})`;
	} else {
		s += plain || msg || 'Something went wrong.';
	}
	if (e.field && FIELD_TEXT[e.field]) s += ` (about: ${FIELD_TEXT[e.field]})`;
	if (e.retry_after_ms) s += ` Try again in ${Math.ceil(e.retry_after_ms / 1000)} s.`;
	return s;
}

const OUTCOMES = [
	['Outs', [
		['strikeout', 'Strikeout'],
		['groundball_a', 'Groundball A (double play)'],
		['groundball_b', 'Groundball B (force out)'],
		['groundball_c', 'Groundball C (runners move up)'],
		['flyball_a', 'Flyball A (deep, runners +1)'],
		['flyball_b', 'Flyball B (runner on 3rd scores)'],
		['flyball_bq', 'Flyball B? (runner on 3rd may try)'],
		['flyball_c', 'Flyball C (shallow)'],
		['lineout', 'Lineout'],
		['popout', 'Popout'],
		['foulout', 'Foulout'],
		['sacrifice_bunt', 'Sacrifice bunt'],
	]],
	['Hits', [
		['single_1', 'Single (runners +1)'],
		['single_2', 'Single (runners +2)'],
		['single_uncapped', 'Single, uncapped'],
		['double_2', 'Double (runners +2)'],
		['double_3', 'Double (all runners score)'],
		['double_uncapped', 'Double, uncapped'],
		['triple', 'Triple'],
		['homerun', 'Home run'],
	]],
	['On base', [
		['walk', 'Walk'],
		['intentional_walk', 'Intentional walk'],
		['hit_by_pitch', 'Hit by pitch'],
		['error_1', 'Error, batter to 1st'],
		['error_2', 'Error, batter to 2nd'],
		['error_3', 'Error, batter to 3rd'],
	]],
	['Ballpark', [
		['bp_homerun', 'Ballpark home run'],
		['bp_single', 'Ballpark single'],
		['bp_flyout', 'Ballpark flyout'],
		['bp_lineout', 'Ballpark lineout'],
	]],
	['Runner events (batter stays up)', [
		['wild_pitch', 'Wild pitch'],
		['passed_ball', 'Passed ball'],
		['balk', 'Balk'],
		['stolen_base', 'Stolen base'],
		['caught_stealing', 'Caught stealing'],
		['pickoff', 'Pickoff'],
	]],
];
const NEEDS_LOCATION = new Set(['groundball_a', 'groundball_b', 'groundball_c',
	'flyball_a', 'flyball_b', 'flyball_bq', 'flyball_c', 'lineout', 'popout',
	'foulout', 'error_1', 'error_2', 'error_3']);
const RUNNER_EVENTS = new Set(['wild_pitch', 'passed_ball', 'balk',
	'stolen_base', 'caught_stealing', 'pickoff']);
const WITH_BASE = new Set(['stolen_base', 'caught_stealing', 'pickoff']);
const BASE_NAME = { 0: 'home', 1: '1st', 2: '2nd', 3: '3rd', 4: 'home' };
const WORDS = {
	normal: 'normal', shifted_left: 'shifted left', shifted_right: 'shifted right',
	extreme_shift: 'extreme shift', in: 'in', back: 'back', double_play: 'double-play depth',
	contact: 'contact', power: 'power', patient: 'patient',
};
const ORD = (n) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

// ---------------------------------------------------------------- notices

function notice(text, kind = 'error', ms = kind === 'error' ? 15000 : 5000) {
	const box = $('#notices');
	const n = el('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
		el('span', { class: 'notice-text' }, text),
		el('button', { type: 'button', class: 'link', 'aria-label': 'Dismiss', onclick: () => n.remove() }, '×'));
	box.append(n);
	while (box.children.length > 4) box.firstElementChild.remove();
	if (ms) setTimeout(() => n.remove(), ms);
	return n;
}

// ---------------------------------------------------------------- session

const session = {
	get() {
		try {
			const s = JSON.parse(localStorage.getItem('pd.session') || 'null');
			if (s && s.token && (!s.expires_at || Date.parse(s.expires_at) > Date.now())) return s;
		} catch { /* ignore */ }
		return null;
	},
	set(s) { localStorage.setItem('pd.session', JSON.stringify(s)); },
	clear() { localStorage.removeItem('pd.session'); },
};

function logout(message) {
	session.clear();
	if (socket) { socket.disconnect(); socket = null; }
	G = null;
	if (message) notice(message, 'error');
	location.hash = '#/login';
	route();
}

// ---------------------------------------------------------------- REST

class ApiError extends Error {
	constructor(status, body) {
		super(body?.error?.message || `HTTP ${status}`);
		this.status = status;
		this.error = body?.error || { code: `HTTP_${status}`, message: this.message };
	}
}

async function api(method, path, body) {
	const s = session.get();
	const headers = {};
	if (s) headers.authorization = `Bearer ${s.token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	let res;
	try {
		res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	} catch {
		throw new ApiError(0, { error: { code: 'NETWORK', message: 'Cannot reach the server.' } });
	}
	const text = await res.text();
	let json = null;
	try { json = text ? JSON.parse(text) : null; } catch { json = null; }
	if (res.status === 401 && s && !path.startsWith('/api/auth/')) {
		logout('Your login has expired: please log in again.');
		throw new ApiError(401, json);
	}
	if (!res.ok) throw new ApiError(res.status, json);
	return json;
}

// ---------------------------------------------------------------- socket

let socket = null;

function setConn(kind, text) {
	const c = $('#conn');
	c.className = `conn conn-${kind}`;
	c.textContent = text;
	document.body.dataset.conn = kind;
	if (G) renderActions();
}

function ensureSocket() {
	if (socket) return socket;
	const s = session.get();
	if (!s) return null;
	if (typeof window.io !== 'function') {
		notice('The Socket.IO client did not load; reload the page.');
		return null;
	}
	setConn('wait', 'Connecting…');
	socket = window.io({ auth: { token: s.token }, reconnectionDelayMax: 3000 });
	window.__pd.socket = socket;
	socket.on('connect', () => {
		setConn('ok', 'Connected');
		if (G) joinRoom();
	});
	socket.on('disconnect', (reason) => {
		window.__pd.drops++;
		if (G) G.joined = false;
		if (reason === 'io client disconnect') { setConn('off', 'Not connected'); return; }
		setConn('wait', 'Connection lost: reconnecting…');
		// The server closed the socket (not a token expiry): come back.
		if (reason === 'io server disconnect') setTimeout(() => socket?.connect(), 1000);
	});
	socket.io.on('reconnect_attempt', (n) => setConn('wait', `Reconnecting (attempt ${n})…`));
	socket.on('connect_error', (err) => {
		const code = err?.data?.code;
		if (code && code.startsWith('AUTH_')) {
			logout(explain({ code, message: err.message }, 'Connection refused'));
			return;
		}
		setConn('wait', 'Server unreachable: retrying…');
		// A refusal by the server (not a network error) is not retried by the client.
		if (err?.data && !socket.active) setTimeout(() => socket?.connect(), 2000);
	});
	socket.on('token_expired', () => logout('Your login has expired: please log in again.'));
	socket.on('error', (e) => notice(explain(e)));
	socket.on('outcome_rejected', (e) => notice(explain(e, 'Outcome refused')));
	socket.on('substitution_error', (e) => notice(explain(e, 'Substitution refused')));
	socket.on('substitution_confirmed', (d) => notice(d.message || 'Substitution made.', 'ok'));
	for (const ev of ROOM_EVENTS) socket.on(ev, (data) => onRoomEvent(ev, data));
	return socket;
}

/** Emits with an acknowledgement; resolves with the ack or {ok:false}. */
function emitAck(event, data, timeout = 10000) {
	return new Promise((resolve) => {
		if (!socket || !socket.connected) {
			resolve({ ok: false, error: { code: 'OFFLINE', message: 'Not connected to the server right now.' } });
			return;
		}
		socket.timeout(timeout).emit(event, data, (err, ack) => {
			if (err) resolve({ ok: false, error: { code: 'TIMEOUT', message: 'The server did not answer in time.' } });
			else resolve(ack ?? { ok: true });
		});
	});
}

// ---------------------------------------------------------------- routing

function show(view) {
	for (const v of $$('.view')) v.hidden = v.id !== `view-${view}`;
}

function route() {
	const s = session.get();
	const hash = location.hash || '#/';
	$('#who').hidden = !s;
	$('#logout').hidden = !s;
	if (s) $('#who').textContent = s.username || 'you';
	if (!s) {
		leaveGame();
		show('auth');
		document.title = 'Paper Dynasty';
		return;
	}
	const m = hash.match(/^#\/(game|watch)\/([0-9a-fA-F-]{36})$/);
	if (m) {
		enterGame(m[2].toLowerCase(), m[1] === 'game' ? 'player' : 'spectator');
		return;
	}
	leaveGame();
	show('lobby');
	document.title = 'Lobby - Paper Dynasty';
	loadLobby();
}

// ---------------------------------------------------------------- auth

function authForm(form, path) {
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const username = form.elements.username.value.trim();
		const password = form.elements.password.value;
		if (!username || !password) { notice('Enter a username and a password.'); return; }
		const btn = form.querySelector('button');
		btn.disabled = true;
		try {
			const r = await api('POST', path, { username, password });
			session.set({ token: r.token, user_id: r.user_id, username: r.username || username, expires_at: r.expires_at });
			form.reset();
			if (!location.hash.match(/^#\/(game|watch)\//)) location.hash = '#/lobby';
			route();
		} catch (e) {
			notice(explain(e, path.endsWith('register') ? 'Sign-up failed' : 'Login failed'));
		} finally {
			btn.disabled = false;
		}
	});
}

// ---------------------------------------------------------------- lobby

const lobby = { teams: [], allTeams: [] };

async function loadLobby() {
	try {
		const [mine, all] = await Promise.all([api('GET', '/api/teams'), api('GET', '/api/teams?all=1')]);
		lobby.teams = mine.teams || [];
		lobby.allTeams = all.teams || [];
	} catch (e) {
		notice(explain(e, 'Could not load teams'));
	}
	renderTeams();
	loadGames();
}

function renderTeams() {
	const me = session.get()?.user_id;
	const ul = $('#my-teams');
	ul.replaceChildren(...lobby.teams.map((t) => el('li', {},
		el('button', { type: 'button', class: 'link', onclick: () => showRoster(t.team_id) },
			`${t.abbrev} - ${t.name}`))));
	if (!lobby.teams.length) ul.append(el('li', { class: 'muted' }, 'No team yet: create one below.'));
	const mineSel = $('#ng-mine');
	mineSel.replaceChildren(...lobby.teams.map((t) => el('option', { value: t.team_id }, `${t.abbrev} - ${t.name}`)));
	const opp = $('#ng-opp');
	const others = lobby.allTeams.filter((t) => t.owner_user_id !== me);
	const own = lobby.allTeams.filter((t) => t.owner_user_id === me);
	opp.replaceChildren(
		el('optgroup', { label: 'Other managers' },
			...others.map((t) => el('option', { value: t.team_id }, `${t.abbrev} - ${t.name} (${t.owner_name || 'manager'})`))),
		el('optgroup', { label: 'Your own teams' },
			...own.map((t) => el('option', { value: t.team_id }, `${t.abbrev} - ${t.name}`))));
	$('#game-form button').disabled = !lobby.teams.length;
}

async function showRoster(teamId, team) {
	try {
		team = team || await api('GET', `/api/teams/${teamId}`);
	} catch (e) {
		notice(explain(e, 'Could not load the roster'));
		return;
	}
	$('#roster').hidden = false;
	$('#roster-h').textContent = `Roster: ${team.abbrev} - ${team.name} (${team.roster.length} cards)`;
	$('#roster-table tbody').replaceChildren(...team.roster.map((c) => el('tr', {},
		el('td', {}, c.name), el('td', {}, c.is_pitcher ? 'P' : c.position),
		el('td', {}, (c.positions || []).join(', ')), el('td', {}, `${c.bats}/${c.throws}`))));
}

async function loadGames() {
	const all = $('#games-all').checked;
	let games = [];
	try {
		games = (await api('GET', all ? '/api/games?all=1' : '/api/games')).games || [];
	} catch (e) {
		notice(explain(e, 'Could not load games'));
	}
	const me = session.get()?.user_id;
	const tb = $('#games-table tbody');
	tb.replaceChildren(...games.map((g) => {
		const mine = g.away_team?.owner_user_id === me || g.home_team?.owner_user_id === me;
		const name = `${g.away_team?.abbrev ?? g.away_team_id} at ${g.home_team?.abbrev ?? g.home_team_id}`;
		const status = g.status === 'in_progress' ? `${g.half === 'top' ? 'Top' : 'Bottom'} ${ORD(g.inning)}` : g.status;
		return el('tr', { dataset: { gameId: g.game_id } },
			el('th', { scope: 'row' }, name, el('div', { class: 'muted small mono' }, g.game_id)),
			el('td', {}, status),
			el('td', {}, `${g.score?.away ?? 0}-${g.score?.home ?? 0}`),
			el('td', { class: 'row' },
				mine ? el('a', { class: 'button', href: `#/game/${g.game_id}` }, 'Play') : null,
				el('a', { class: 'button secondary', href: `#/watch/${g.game_id}` }, 'Watch')));
	}));
	$('#games-empty').hidden = games.length > 0;
}

// ---------------------------------------------------------------- game

const ROOM_EVENTS = ['user_connected', 'user_left', 'user_disconnected',
	'defensive_decision_submitted', 'offensive_decision_submitted',
	'dice_rolled', 'play_resolved', 'player_substituted'];

/** The game on screen, or null. */
let G = null;

function leaveGame() {
	if (!G) return;
	if (socket?.connected && G.joined) socket.emit('leave_game', { game_id: G.id });
	G = null;
}

async function enterGame(id, wantRole) {
	if (G && G.id === id && G.wantRole === wantRole) return;
	leaveGame();
	const me = session.get().user_id;
	G = { id, wantRole, role: wantRole, me, state: null, lastSeq: null, syncing: false, queue: [],
		joined: false, teams: {}, myTeams: new Set(), admin: false, lineups: {}, log: [],
		lastRoll: null, box: null, busy: false };
	const g = G;
	show('game');
	$('#game-h').textContent = 'Game';
	$('#play-log').replaceChildren();
	$('#box-body').replaceChildren();
	document.title = 'Game - Paper Dynasty';
	try {
		const st = await api('GET', `/api/games/${id}`);
		const [away, home, plays, mine] = await Promise.all([
			api('GET', `/api/teams/${st.away_team_id}`),
			api('GET', `/api/teams/${st.home_team_id}`),
			api('GET', `/api/games/${id}/plays`).catch(() => ({ plays: [] })),
			api('GET', '/api/games').catch(() => ({ games: [] })),
		]);
		if (G !== g) return;
		g.teams[away.team_id] = away;
		g.teams[home.team_id] = home;
		for (const t of [away, home]) if (t.owner_user_id === me) g.myTeams.add(t.team_id);
		g.admin = (mine.games || []).some((x) => x.game_id === id && x.admin_user_id === me);
		if (wantRole === 'player' && !g.myTeams.size && !g.admin) {
			g.role = 'spectator';
			notice('You manage neither team in this game: watching it instead.', 'info');
		}
		// The log is rebuilt from the room's whole history on the first
		// sync (last_seq 0); the REST plays only fill in if that fails.
		g.restPlays = plays.plays || [];
		g.state = st;
		g.lastSeq = 0;
		$('#game-h').textContent = `${away.abbrev} at ${home.abbrev}`;
		document.title = `${away.abbrev} at ${home.abbrev} - Paper Dynasty`;
		renderAll();
	} catch (e) {
		if (G !== g) return;
		notice(explain(e, 'Could not open the game'));
		location.hash = '#/lobby';
		return;
	}
	ensureSocket();
	if (socket?.connected) joinRoom();
}

/** (Re-)joins the room, then fetches every event after lastSeq. */
async function joinRoom() {
	const g = G;
	if (!g || !g.state || g.joining) return;
	g.joining = true;
	g.syncing = true;
	let ack = await emitAck('join_game', { game_id: g.id, role: g.role });
	if (!ack.ok && ack.error?.code === 'NOT_AUTHORIZED' && g.role === 'player') {
		g.role = 'spectator';
		notice('You cannot play in this game: watching it instead.', 'info');
		ack = await emitAck('join_game', { game_id: g.id, role: 'spectator' });
	}
	g.joining = false;
	if (G !== g) return;
	if (!ack.ok) {
		g.syncing = false;
		notice(explain(ack, 'Could not join the game'));
		return;
	}
	g.joined = true;
	g.syncing = false;
	await resync();
	refreshLineups();
	refreshBox();
}

/** Asks for the state and every room event after lastSeq, applies them. */
async function resync() {
	const g = G;
	if (!g) return;
	if (g.resyncing) { g.resyncAgain = true; return; }
	g.resyncing = true;
	g.syncing = true;
	setConn('sync', 'Syncing…');
	const ack = await emitAck('request_game_state', { game_id: g.id, last_seq: g.lastSeq ?? 0 });
	if (G !== g) return;
	if (ack.ok) {
		for (const m of ack.missed_events || []) applyRoomEvent(m.event, m.data);
		if (ack.state && (g.lastSeq === null || ack.state.seq >= g.lastSeq)) {
			g.state = ack.state;
			g.lastSeq = ack.state.seq;
		}
	} else {
		notice(explain(ack, 'Could not sync the game'));
		for (const p of g.restPlays || []) addPlayLog(p);
	}
	g.restPlays = null;
	g.syncing = false;
	g.resyncing = false;
	const q = g.queue;
	g.queue = [];
	for (const [ev, data] of q) applyRoomEvent(ev, data);
	if (socket?.connected) setConn('ok', 'Connected');
	renderAll();
	if (g.resyncAgain) { g.resyncAgain = false; resync(); }
}

function onRoomEvent(event, data) {
	const g = G;
	if (!g || !data || data.game_id && data.game_id !== g.id) return;
	if (g.syncing) { g.queue.push([event, data]); return; }
	if (typeof data.seq === 'number' && g.lastSeq !== null && data.seq > g.lastSeq + 1) {
		// A gap: something was missed; fetch it in order.
		g.queue.push([event, data]);
		resync();
		return;
	}
	if (applyRoomEvent(event, data)) renderAll();
}

/** Applies one room event once (by seq); returns whether it was new. */
function applyRoomEvent(event, data) {
	const g = G;
	if (typeof data.seq === 'number') {
		if (g.lastSeq !== null && data.seq <= g.lastSeq) return false;
		g.lastSeq = data.seq;
	}
	const st = g.state;
	switch (event) {
	case 'user_connected':
		addLog('presence', `${who(data.user_id)} joined${data.role === 'spectator' ? ' to watch' : ''}.`, data.seq);
		break;
	case 'user_left':
		addLog('presence', `${who(data.user_id)} left.`, data.seq);
		break;
	case 'user_disconnected':
		addLog('presence', `${who(data.user_id)} lost the connection.`, data.seq);
		break;
	case 'defensive_decision_submitted':
		if (st) {
			st.decisions.defensive = data.decision;
			st.decisions.pending_decision = data.pending_decision;
			st.seq = data.seq;
		}
		addLog('decision', `Defense: ${describeDef(data.decision)}.`, data.seq);
		break;
	case 'offensive_decision_submitted':
		if (st) {
			st.decisions.offensive = data.decision;
			st.decisions.pending_decision = data.pending_decision;
			st.seq = data.seq;
		}
		addLog('decision', `Offense: ${describeOff(data.decision)}.`, data.seq);
		break;
	case 'dice_rolled':
		if (st) { st.pending_roll = data; st.seq = data.seq; }
		g.lastRoll = data;
		addLog('dice', `Dice: card ${data.d6_one}, row ${data.d6_two_total}, chaos ${data.chaos_d20}, resolution ${data.resolution_d20}.`, data.seq);
		break;
	case 'play_resolved':
		if (data.state) g.state = data.state;
		addPlayLog(data);
		refreshBox();
		break;
	case 'player_substituted':
		addLog('sub', `${teamName(data.team_id)}: ${data.message || data.type}.`, data.seq);
		refreshLineups(data.team_id);
		// The batter or pitcher may have changed: take the server's state.
		setTimeout(() => resync(), 0);
		break;
	default:
		return false;
	}
	return true;
}

function who(userId) {
	const g = G;
	if (userId === g.me) return 'You';
	for (const t of Object.values(g.teams)) if (t.owner_user_id === userId) return `The ${t.abbrev} manager`;
	return `Spectator ${String(userId).slice(0, 6)}`;
}

function teamName(id) {
	const t = G?.teams[id];
	return t ? t.abbrev : `Team ${id}`;
}

function describeDef(d) {
	const parts = [`${WORDS[d.alignment] || d.alignment} alignment`, `infield ${WORDS[d.infield_depth] || d.infield_depth}`,
		`outfield ${WORDS[d.outfield_depth] || d.outfield_depth}`];
	if (d.hold_runners?.length) parts.push(`holding ${d.hold_runners.map(ORD).join(', ')}`);
	return parts.join(', ');
}

function describeOff(d) {
	const parts = [`${WORDS[d.approach] || d.approach} approach`];
	if (d.steal_attempts?.length) parts.push(`stealing ${d.steal_attempts.map((b) => (b === 4 ? 'home' : ORD(b))).join(', ')}`);
	if (d.hit_and_run) parts.push('hit-and-run');
	if (d.bunt_attempt) parts.push('bunt');
	return parts.join(', ');
}

function addLog(kind, text, seq) {
	G.log.push({ kind, text, seq });
	const li = el('li', { class: `log-${kind}` }, text);
	$('#play-log').prepend(li);
}

function addPlayLog(p) {
	const g = G;
	if (g.log.some((x) => x.play === p.play_number)) return;
	const runs = p.runs_scored ? ` ${p.runs_scored} run${p.runs_scored > 1 ? 's' : ''} scored.` : '';
	const text = `${p.description || p.outcome}${runs}`;
	g.log.push({ kind: 'play', text, play: p.play_number, seq: p.seq });
	const li = el('li', { class: 'log-play', dataset: { play: p.play_number } },
		el('span', { class: 'play-no' }, `#${p.play_number}`), ' ', text);
	$('#play-log').prepend(li);
}

async function refreshLineups(only) {
	const g = G;
	if (!g?.state) return;
	const ids = only ? [only] : [g.state.away_team_id, g.state.home_team_id];
	await Promise.all(ids.map(async (team_id) => {
		const ack = await emitAck('get_lineup', { game_id: g.id, team_id });
		if (G !== g) return;
		if (ack.ok) g.lineups[team_id] = ack.players || [];
	}));
	if (G === g) { renderLineups(); renderSubForm(); }
}

let boxTimer = null;
function refreshBox() {
	clearTimeout(boxTimer);
	boxTimer = setTimeout(async () => {
		const g = G;
		if (!g) return;
		const ack = await emitAck('get_box_score', { game_id: g.id });
		if (G !== g || !ack.ok) return;
		g.box = ack.box_score;
		renderScoreboard();
		renderBox();
	}, 50);
}

// ---------------------------------------------------------------- rendering

function occupied(st) {
	return [1, 2, 3].filter((b) => st?.runners?.[String(b)]);
}

function iBat() {
	const g = G;
	return g.role === 'player' && (g.myTeams.has(g.state.batting_team_id) || (g.admin && g.adminActs));
}

function iField() {
	const g = G;
	return g.role === 'player' && g.myTeams.has(g.state.fielding_team_id);
}

function renderAll() {
	if (!G?.state) return;
	renderScoreboard();
	renderField();
	renderTurn();
	renderActions();
	renderLineups();
	renderSubForm();
}

function renderScoreboard() {
	const g = G;
	const st = g.state;
	const ls = g.box?.line_score;
	const n = Math.max(9, st.inning, ls?.away?.runs_by_inning?.length || 0, ls?.home?.runs_by_inning?.length || 0);
	const head = el('tr', {}, el('th', { scope: 'col' }, 'Team'),
		...Array.from({ length: n }, (_, i) => el('th', { scope: 'col' }, String(i + 1))),
		el('th', { scope: 'col', class: 'tot' }, 'R'), el('th', { scope: 'col', class: 'tot' }, 'H'),
		el('th', { scope: 'col', class: 'tot' }, 'E'));
	const row = (side) => {
		const tid = st[`${side}_team_id`];
		const line = ls?.[side];
		const cells = Array.from({ length: n }, (_, i) => {
			const v = line?.runs_by_inning?.[i];
			const now = st.status !== 'final' && st.inning === i + 1 && (st.half === 'top') === (side === 'away');
			return el('td', { class: now ? 'now' : null }, v === undefined ? '' : String(v));
		});
		return el('tr', { class: st.batting_team_id === tid && st.status !== 'final' ? 'batting' : null },
			el('th', { scope: 'row' }, teamName(tid), st.batting_team_id === tid && st.status !== 'final' ? el('span', { class: 'sr-only' }, ' (batting)') : null),
			...cells,
			el('td', { class: 'tot', dataset: { score: side } }, String(st.score[side])),
			el('td', { class: 'tot' }, String(line?.h ?? 0)),
			el('td', { class: 'tot' }, String(line?.e ?? 0)));
	};
	$('#linescore thead').replaceChildren(head);
	$('#linescore tbody').replaceChildren(row('away'), row('home'));
	let status;
	if (st.status === 'final') {
		status = `Final: ${st.winner_team_id ? `${teamName(st.winner_team_id)} win` : 'game over'}, ${st.score.away}-${st.score.home}`;
	} else {
		status = `${st.half === 'top' ? 'Top' : 'Bottom'} of the ${ORD(st.inning)}, ${st.outs} out${st.outs === 1 ? '' : 's'}` +
			(st.status === 'pending' ? ' (not started)' : '');
	}
	$('#game-status').textContent = status;
}

function renderField() {
	const st = G.state;
	const names = [];
	for (const b of [1, 2, 3]) {
		const r = st.runners[String(b)];
		$(`#base-${b}`).classList.toggle('on', !!r);
		if (r) names.push(el('li', { class: `runner-${b}`, dataset: { base: b } }, `${ORD(b)}: ${r.name}`));
	}
	$('#runner-names').replaceChildren(...(names.length ? names : [el('li', { class: 'muted' }, 'Bases empty')]));
	$('#diamond-desc').textContent = names.length ? `Runners on ${occupied(st).map(ORD).join(', ')}` : 'Bases empty';
	$('#outs-dots').replaceChildren(...[0, 1, 2].map((i) => el('span', { class: i < st.outs ? 'dot on' : 'dot' })));
	$('#outs-text').textContent = `${st.outs} out${st.outs === 1 ? '' : 's'}`;
	const p = (x) => (x ? `${x.name}${x.position ? ` (${x.position})` : ''}${x.batting_order ? `, batting ${ORD(x.batting_order)}` : ''}` : '-');
	$('#cur-batter').textContent = `${p(st.current_batter)} - ${teamName(st.batting_team_id)}`;
	$('#cur-pitcher').textContent = `${st.current_pitcher?.name ?? '-'} - ${teamName(st.fielding_team_id)}`;
}

/** Which of the four steps the game is at. */
function currentStep(st) {
	if (st.status === 'final') return null;
	if (st.pending_roll) return 'outcome';
	const p = st.decisions?.pending_decision;
	return p === 'defensive' ? 'defense' : p === 'offensive' ? 'offense' : 'roll';
}

function renderTurn() {
	const g = G;
	const st = g.state;
	const step = currentStep(st);
	for (const li of $$('#steps li')) {
		li.classList.toggle('current', li.dataset.step === step);
		if (li.dataset.step === step) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
	}
	const bat = teamName(st.batting_team_id);
	const fld = teamName(st.fielding_team_id);
	const b = iBat();
	const f = iField();
	let t;
	if (st.status === 'final') t = 'The game is over.';
	else if (st.pending_roll) {
		t = b ? 'Your roll: read the card shown under the dice and submit the outcome.'
			: `Waiting for ${bat} to read the card and submit the outcome.`;
	} else if (step === 'defense') {
		if (f && b) t = 'You manage both sides: set the defense (optional), then the offense, then roll.';
		else if (f) t = `Your move: set your defense (optional). Then ${bat} decides and rolls.`;
		else if (b) t = `Waiting for the ${fld} defense. You may roll now (everything stays normal), or wait to set your offense after the defense.`;
		else t = `Waiting for the ${fld} defense, then ${bat} decides and rolls.`;
	} else if (step === 'offense') {
		if (b) t = 'Defense is set. Your move: set your offense (optional) and roll the dice.';
		else if (f) t = `Defense set. Waiting for ${bat}; you can still change it until they decide.`;
		else t = `Defense set. Waiting for ${bat} to decide and roll.`;
	} else {
		t = b ? 'Both sides are set. Roll the dice.' : `Both sides are set. Waiting for ${bat} to roll.`;
	}
	$('#turn-text').textContent = t;
	const d = st.decisions;
	$('#decisions-now').textContent = d ? `Defense: ${describeDef(d.defensive)}. Offense: ${describeOff(d.offensive)}.` : '';
	$('#readonly-note').hidden = g.role !== 'spectator';
	// The admin may act for the batting side (CONTRACT section 4), only when asked to.
	$('#admin-wrap').hidden = !(g.role === 'player' && g.admin && !g.myTeams.has(st.batting_team_id)) || st.status === 'final';
	$('#admin-acts').checked = !!g.adminActs;
	$('#role-badge').textContent = g.role === 'spectator' ? 'Spectating' :
		`Managing ${[...g.myTeams].map(teamName).join(' and ') || 'as admin'}`;
}

function setDisabled(form, disabled) {
	for (const c of form.querySelectorAll('input, select, button')) c.disabled = disabled;
}

function renderActions() {
	const g = G;
	if (!g?.state) return;
	const st = g.state;
	const online = !!socket?.connected && g.joined && !g.syncing;
	const over = st.status === 'final';
	const b = iBat();
	const f = iField();
	$('#actions').hidden = g.role === 'spectator';
	const step = currentStep(st);

	// Defense.
	const df = $('#def-form');
	df.hidden = !f || over;
	if (!df.hidden) {
		const open = online && !st.pending_roll && (step === 'defense' || step === 'offense');
		setDisabled(df, !open);
		const occ = occupied(st);
		for (const n of [1, 2, 3]) {
			const cb = $(`#hold-${n}`);
			cb.disabled = !open || !occ.includes(n);
			if (cb.disabled) cb.checked = cb.checked && occ.includes(n);
		}
		if (!df.contains(document.activeElement) && !df.dataset.dirty) {
			const d = st.decisions.defensive;
			$('#def-alignment').value = d.alignment;
			$('#def-infield').value = d.infield_depth;
			$('#def-outfield').value = d.outfield_depth;
			for (const n of [1, 2, 3]) $(`#hold-${n}`).checked = d.hold_runners.includes(n) && occ.includes(n);
		}
		$('#def-note').textContent = open ? '' : st.pending_roll ? 'Locked: the dice are rolled.' :
			step === 'roll' ? 'Locked: the offense has decided.' : online ? '' : 'Waiting for the connection.';
	}

	// Offense.
	const of = $('#off-form');
	of.hidden = !b || over;
	if (!of.hidden) {
		const open = online && !st.pending_roll && (step === 'offense' || step === 'roll');
		setDisabled(of, !open);
		if (!of.contains(document.activeElement) && !of.dataset.dirty) {
			const d = st.decisions.offensive;
			$('#off-approach').value = d.approach;
			for (const n of [2, 3, 4]) $(`#steal-${n}`).checked = d.steal_attempts.includes(n);
			$('#off-hr').checked = d.hit_and_run;
			$('#off-bunt').checked = d.bunt_attempt;
		}
		offenseValidity(open);
		$('#off-note').textContent = open ? '' : st.pending_roll ? 'Locked: the dice are rolled.' :
			step === 'defense' ? 'The defense decides first (or just roll).' : online ? '' : 'Waiting for the connection.';
	}

	// Roll.
	$('#roll-box').hidden = !b || over;
	$('#roll-btn').disabled = !online || !!st.pending_roll || over;

	// Dice.
	renderDice();

	// Outcome.
	const oc = $('#outcome-form');
	oc.hidden = !b || over || !st.pending_roll;
	if (!oc.hidden) {
		setDisabled(oc, !online);
		renderOutcomeFields();
	}

	// Substitution form is kept by renderSubForm; here only the lock.
	const sf = $('#sub-form');
	sf.hidden = g.role === 'spectator' || !g.myTeams.size || over;
	if (!sf.hidden) $('#sub-submit').disabled = !online;
}

/** Steals: from an occupied base, into an empty one or one being stolen from. */
function offenseValidity(open) {
	const st = G.state;
	const occ = occupied(st);
	const on = (b) => occ.includes(b);
	for (let pass = 0; pass < 3; pass++) {
		for (const t of [4, 3, 2]) {
			const cb = $(`#steal-${t}`);
			const ahead = t === 4 ? true : !on(t) || $(`#steal-${t + 1}`).checked;
			const ok = on(t - 1) && ahead;
			if (!ok) cb.checked = false;
			cb.disabled = !open || !ok;
		}
	}
	const hr = $('#off-hr');
	if (!on(1)) hr.checked = false;
	hr.disabled = !open || !on(1);
}

function pips(n) {
	const layout = { 1: [5], 2: [1, 9], 3: [1, 5, 9], 4: [1, 3, 7, 9], 5: [1, 3, 5, 7, 9], 6: [1, 3, 4, 6, 7, 9] }[n] || [];
	return Array.from({ length: 9 }, (_, i) => el('span', { class: layout.includes(i + 1) ? 'pip on' : 'pip' }));
}

function setDie(id, n, label) {
	const d = $(id);
	d.replaceChildren(...pips(n));
	d.setAttribute('aria-label', `${label}: ${n}`);
	d.dataset.value = n;
}

function renderDice() {
	const g = G;
	const st = g.state;
	const r = st.pending_roll || g.lastRoll;
	const box = $('#dice');
	box.hidden = !r;
	if (!r) return;
	box.classList.toggle('stale', !st.pending_roll);
	$('#dice-h').textContent = st.pending_roll ? 'Dice (to be read)' : 'Last roll';
	setDie('#die-white', r.d6_one, 'White die, card');
	const [a, b2] = Array.isArray(r.d6_two) ? r.d6_two : [null, null];
	if (a) {
		setDie('#die-red-a', a, 'Red die');
		setDie('#die-red-b', b2, 'Red die');
	} else {
		$('#die-red-a').textContent = String(r.d6_two_total);
		$('#die-red-b').hidden = true;
	}
	$('#row-total').textContent = String(r.d6_two_total);
	for (const [id, v, l] of [['#d20-chaos', r.chaos_d20, 'Chaos d20'], ['#d20-res', r.resolution_d20, 'Resolution d20']]) {
		$(id).textContent = String(v);
		$(id).setAttribute('aria-label', `${l}: ${v}`);
	}
	const batterCard = r.d6_one <= 3;
	const who = batterCard ? st.current_batter?.name : st.current_pitcher?.name;
	$('#read-card').textContent = st.pending_roll
		? `Read the ${batterCard ? 'batter' : 'pitcher'}'s card (${who ?? '?'}), column ${r.d6_one}, row ${r.d6_two_total}.`
		: `The last roll read the ${batterCard ? 'batter' : 'pitcher'}'s card, column ${r.d6_one}, row ${r.d6_two_total}.`;
	const checks = [];
	if (r.check_wild_pitch) checks.push('check for a wild pitch');
	if (r.check_passed_ball) checks.push('check for a passed ball');
	$('#dice-checks').hidden = !checks.length || !st.pending_roll;
	$('#dice-checks').textContent = checks.length ? `Chart says: ${checks.join(' and ')}.` : '';
}

function buildOutcomeSelect() {
	const sel = $('#oc-outcome');
	sel.replaceChildren(el('option', { value: '' }, 'Choose the result on the card'),
		...OUTCOMES.map(([label, list]) => el('optgroup', { label },
			...list.map(([v, t]) => el('option', { value: v }, t)))));
}

/** The uncapped hits' and flyball B?'s lead runner, or null. */
function leadRunner(outcome, st) {
	const occ = occupied(st);
	if (outcome === 'single_uncapped') {
		// Baseline single_1: the runner on 3rd scores; lead = most advanced other.
		if (occ.includes(2)) return 2;
		if (occ.includes(1)) return 1;
		return null;
	}
	if (outcome === 'double_uncapped') return occ.includes(1) ? 1 : null;
	if (outcome === 'flyball_bq') return occ.includes(3) && st.outs < 2 ? 3 : null;
	return null;
}

function renderOutcomeFields() {
	const st = G.state;
	const occ = occupied(st);
	for (const o of $$('#oc-outcome option')) {
		if (RUNNER_EVENTS.has(o.value)) o.disabled = !occ.length;
	}
	const v = $('#oc-outcome').value;
	if (RUNNER_EVENTS.has(v) && !occ.length) $('#oc-outcome').value = '';
	const out = $('#oc-outcome').value;
	$('#oc-loc-wrap').hidden = !NEEDS_LOCATION.has(out);
	$('#oc-loc').required = NEEDS_LOCATION.has(out);
	const baseWrap = $('#oc-base-wrap');
	baseWrap.hidden = !WITH_BASE.has(out);
	const baseSel = $('#oc-base');
	const want = baseSel.value;
	baseSel.replaceChildren(...occ.slice().reverse().map((b) => el('option', { value: b },
		`${ORD(b)} (${st.runners[String(b)].name})`)));
	if (want && occ.includes(Number(want))) baseSel.value = want;
	const lead = leadRunner(out, st);
	$('#oc-lead-wrap').hidden = lead === null;
	if (lead !== null) {
		const r = st.runners[String(lead)];
		$('#oc-lead-label').textContent = out === 'flyball_bq'
			? `Runner on 3rd (${r.name}) tags up for home`
			: `Lead runner (${r.name}, on ${ORD(lead)}) tries for an extra base`;
	}
}

/** A player's position: in the lineup, else his card's (bench players have none). */
function cardPos(teamId, p) {
	if (p.position) return p.position;
	const c = G?.teams[teamId]?.roster?.find((x) => x.card_id === p.card_id);
	return c ? (c.is_pitcher ? 'P' : c.position) : '-';
}

function isPitcher(teamId, p) {
	const c = G?.teams[teamId]?.roster?.find((x) => x.card_id === p.card_id);
	return c ? !!c.is_pitcher : p.position === 'P';
}

function renderLineups() {
	const g = G;
	if (!g?.state) return;
	const st = g.state;
	for (const side of ['away', 'home']) {
		const tid = st[`${side}_team_id`];
		const players = g.lineups[tid];
		const box = $(`#lineup-${side}`);
		const title = el('h4', {}, `${teamName(tid)} ${side === 'away' ? '(away)' : '(home)'}`,
			st.batting_team_id === tid ? ' - batting' : ' - in the field');
		if (!players) { box.replaceChildren(title, el('p', { class: 'muted' }, 'Loading…')); continue; }
		const active = players.filter((p) => p.status === 'active');
		const order = active.filter((p) => p.batting_order).sort((a, b) => a.batting_order - b.batting_order);
		const others = active.filter((p) => !p.batting_order);
		const cur = (p) => p.lineup_id === st.current_batter?.lineup_id || p.lineup_id === st.current_pitcher?.lineup_id;
		const tbl = el('table', { class: 'lineup-table' },
			el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '#'), el('th', { scope: 'col' }, 'Player'), el('th', { scope: 'col' }, 'Pos'))),
			el('tbody', {}, ...[...order, ...others].map((p) => el('tr', {
				class: cur(p) ? 'current' : null, 'aria-current': cur(p) ? 'true' : null,
				dataset: { lineupId: p.lineup_id },
			}, el('td', {}, p.batting_order ? String(p.batting_order) : ''),
			el('td', {}, p.name, p.is_starter ? null : el('span', { class: 'tag' }, 'sub')),
			el('td', {}, p.position || '')))));
		const bench = players.filter((p) => p.status === 'bench');
		const removed = players.filter((p) => p.status === 'removed');
		box.replaceChildren(...[title, tbl,
			el('details', { class: 'bench' }, el('summary', {}, `Bench (${bench.length})`),
				el('ul', { class: 'plain small' }, ...bench.map((p) => el('li', {}, `${p.name} (${cardPos(tid, p)})`)))),
			removed.length ? el('p', { class: 'small muted' }, `Out of the game: ${removed.map((p) => p.name).join(', ')}`) : null,
		].filter(Boolean));
	}
}

function renderSubForm() {
	const g = G;
	if (!g?.state || g.role === 'spectator' || !g.myTeams.size) return;
	const st = g.state;
	const teamSel = $('#sub-team');
	const teams = [...g.myTeams];
	if (teamSel.options.length !== teams.length) {
		teamSel.replaceChildren(...teams.map((t) => el('option', { value: t }, teamName(t))));
	}
	$('#sub-team-wrap').hidden = teams.length < 2;
	const tid = Number(teamSel.value || teams[0]);
	const players = g.lineups[tid] || [];
	const batting = st.batting_team_id === tid;
	const typeSel = $('#sub-type');
	typeSel.querySelector('[value=pinch_hitter]').disabled = !batting;
	typeSel.querySelector('[value=pinch_hitter]').textContent = batting ? 'Pinch hitter' : 'Pinch hitter (only while batting)';
	if (typeSel.value === 'pinch_hitter' && !batting) typeSel.value = 'defensive_replacement';
	const type = typeSel.value;
	const active = players.filter((p) => p.status === 'active');
	let outs;
	if (type === 'pinch_hitter') outs = active.filter((p) => p.lineup_id === st.current_batter?.lineup_id);
	else if (type === 'pitching_change') outs = active.filter((p) => p.position === 'P');
	else outs = active;
	const keepOut = $('#sub-out').value;
	$('#sub-out').replaceChildren(...outs.map((p) => el('option', { value: p.lineup_id },
		`${p.name} (${p.position || '-'}${p.batting_order ? `, #${p.batting_order}` : ''})`)));
	if (outs.some((p) => String(p.lineup_id) === keepOut)) $('#sub-out').value = keepOut;
	const bench = players.filter((p) => p.status === 'bench');
	const pit = bench.filter((p) => isPitcher(tid, p));
	const pos = bench.filter((p) => !isPitcher(tid, p));
	const sorted = type === 'pitching_change' ? [...pit, ...pos] : [...pos, ...pit];
	// A new kind of substitution starts from the top of its list.
	const keepIn = g.subType === type ? $('#sub-in').value : '';
	g.subType = type;
	$('#sub-in').replaceChildren(...sorted.map((p) => el('option', { value: p.card_id }, `${p.name} (${cardPos(tid, p)})`)));
	if (sorted.some((p) => String(p.card_id) === keepIn)) $('#sub-in').value = keepIn;
	$('#sub-pos-wrap').hidden = type !== 'defensive_replacement';
	if (type === 'defensive_replacement' && !$('#sub-pos').dataset.touched) {
		const out = active.find((p) => String(p.lineup_id) === $('#sub-out').value);
		if (out?.position) $('#sub-pos').value = out.position;
	}
	$('#sub-submit').disabled = !outs.length || !bench.length || !socket?.connected || !g.joined;
}

function renderBox() {
	const g = G;
	const box = g.box;
	if (!box) return;
	const parts = [];
	for (const side of ['away', 'home']) {
		const tid = g.state[`${side}_team_id`];
		const bat = box.batting.filter((r) => r.team_id === tid);
		const pit = box.pitching.filter((r) => r.team_id === tid);
		parts.push(el('h4', {}, teamName(tid)));
		const cols = [['ab', 'AB'], ['r', 'R'], ['h', 'H'], ['rbi', 'RBI'], ['bb', 'BB'], ['so', 'SO'], ['doubles', '2B'], ['hr', 'HR'], ['lob', 'LOB']];
		parts.push(el('div', { class: 'scroll' }, el('table', { class: 'box-table' },
			el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Batting'), el('th', { scope: 'col' }, 'Pos'), ...cols.map(([, l]) => el('th', { scope: 'col' }, l)))),
			el('tbody', {}, ...bat.map((r) => el('tr', {}, el('th', { scope: 'row' }, r.name), el('td', {}, r.position || ''),
				...cols.map(([k]) => el('td', {}, String(r[k] ?? 0)))))))));
		const pcols = [['ip', 'IP'], ['bf', 'BF'], ['h', 'H'], ['r', 'R'], ['er', 'ER'], ['bb', 'BB'], ['so', 'SO'], ['hr', 'HR'], ['decision', 'Dec']];
		parts.push(el('div', { class: 'scroll' }, el('table', { class: 'box-table' },
			el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Pitching'), ...pcols.map(([, l]) => el('th', { scope: 'col' }, l)))),
			el('tbody', {}, ...pit.map((r) => el('tr', {}, el('th', { scope: 'row' }, r.name),
				...pcols.map(([k]) => el('td', {}, String(r[k] ?? '')))))))));
	}
	$('#box-body').replaceChildren(...parts);
}

// ---------------------------------------------------------------- game actions

/** Runs one game action; the button stays disabled until the ack. */
async function act(button, event, payload, what) {
	const g = G;
	if (!g) return null;
	if (button) button.disabled = true;
	const ack = await emitAck(event, { game_id: g.id, ...payload });
	if (button && G === g) button.disabled = false;
	if (!ack.ok && ['OFFLINE', 'TIMEOUT'].includes(ack.error?.code)) notice(explain(ack, what));
	if (G === g) renderActions();
	return ack;
}

function bindGameForms() {
	for (const f of ['#def-form', '#off-form']) {
		$(f).addEventListener('change', () => { $(f).dataset.dirty = '1'; if (f === '#off-form') offenseValidity(true); });
	}
	$('#def-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const hold = $$('#def-form [name=hold]:checked').map((c) => Number(c.value));
		const ack = await act($('#def-submit'), 'submit_defensive_decision', {
			alignment: $('#def-alignment').value, infield_depth: $('#def-infield').value,
			outfield_depth: $('#def-outfield').value, hold_runners: hold,
		}, 'Defense not set');
		if (ack?.ok) { delete $('#def-form').dataset.dirty; notice('Defense set.', 'ok', 3000); }
	});
	$('#off-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const steals = $$('#off-form [name=steal]:checked').map((c) => Number(c.value));
		const ack = await act($('#off-submit'), 'submit_offensive_decision', {
			approach: $('#off-approach').value, steal_attempts: steals,
			hit_and_run: $('#off-hr').checked, bunt_attempt: $('#off-bunt').checked,
		}, 'Offense not set');
		if (ack?.ok) { delete $('#off-form').dataset.dirty; notice('Offense set.', 'ok', 3000); }
	});
	$('#roll-btn').addEventListener('click', async () => {
		const ack = await act($('#roll-btn'), 'roll_dice', {}, 'Roll failed');
		if (ack?.ok) {
			$('#oc-outcome').value = '';
			$('#oc-loc').value = '';
			$('#oc-lead').value = '';
			renderActions();
			$('#oc-outcome').focus();
		}
	});
	$('#oc-outcome').addEventListener('change', renderOutcomeFields);
	$('#outcome-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const outcome = $('#oc-outcome').value;
		if (!outcome) { notice('Choose the result read from the card.'); $('#oc-outcome').focus(); return; }
		const payload = { outcome };
		if (NEEDS_LOCATION.has(outcome)) {
			if (!$('#oc-loc').value) { notice('This result needs a hit location.'); $('#oc-loc').focus(); return; }
			payload.hit_location = $('#oc-loc').value;
		}
		if (WITH_BASE.has(outcome)) payload.runner_base = Number($('#oc-base').value);
		if (leadRunner(outcome, G.state) !== null && $('#oc-lead').value) payload.lead_runner = $('#oc-lead').value;
		const ack = await act($('#oc-submit'), 'submit_manual_outcome', payload, 'Outcome not submitted');
		if (ack?.ok) {
			$('#oc-outcome').value = '';
			$('#oc-loc').value = '';
			$('#oc-lead').value = '';
			setTimeout(() => { if (!$('#roll-btn').disabled) $('#roll-btn').focus(); }, 50);
		}
	});
	for (const id of ['#sub-team', '#sub-type', '#sub-out']) {
		$(id).addEventListener('change', () => { delete $('#sub-pos').dataset.touched; renderSubForm(); });
	}
	$('#sub-pos').addEventListener('change', () => { $('#sub-pos').dataset.touched = '1'; });
	$('#sub-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const type = $('#sub-type').value;
		const payload = {
			team_id: Number($('#sub-team').value || [...G.myTeams][0]),
			player_out_lineup_id: Number($('#sub-out').value),
			player_in_card_id: Number($('#sub-in').value),
		};
		if (type === 'defensive_replacement') payload.new_position = $('#sub-pos').value;
		const event = { pinch_hitter: 'request_pinch_hitter', defensive_replacement: 'request_defensive_replacement',
			pitching_change: 'request_pitching_change' }[type];
		const ack = await act($('#sub-submit'), event, payload, 'Substitution not made');
		if (ack?.ok) { delete $('#sub-pos').dataset.touched; }
	});
}

// ---------------------------------------------------------------- start

function start() {
	window.__pd = { get game() { return G; }, socket: null, drops: 0 };
	authForm($('#login-form'), '/api/auth/login');
	authForm($('#register-form'), '/api/auth/register');
	$('#logout').addEventListener('click', () => logout());
	$('#team-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const f = ev.target;
		const abbrev = f.elements.abbrev.value.trim().toUpperCase();
		const name = f.elements.name.value.trim();
		if (!/^[A-Z0-9]{2,5}$/.test(abbrev)) { notice('The abbreviation must be 2-5 letters or digits.'); return; }
		if (!name) { notice('Give the team a name.'); return; }
		try {
			const team = await api('POST', '/api/teams', { abbrev, name });
			f.reset();
			notice(`Team ${team.abbrev} created with ${team.roster.length} cards.`, 'ok');
			await loadLobby();
			showRoster(team.team_id, team);
		} catch (e) {
			notice(explain(e, 'Team not created'));
		}
	});
	$('#game-form').addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const mine = Number($('#ng-mine').value);
		const opp = Number($('#ng-opp').value);
		if (!mine || !opp) { notice('Choose your team and an opponent.'); return; }
		if (mine === opp) { notice('A team cannot play itself.'); return; }
		const home = $('#game-form [name=ng-side]:checked').value === 'home';
		try {
			const r = await api('POST', '/api/games', home ? { away_team_id: opp, home_team_id: mine }
				: { away_team_id: mine, home_team_id: opp });
			location.hash = `#/game/${r.game_id}`;
		} catch (e) {
			notice(explain(e, 'Game not created'));
		}
	});
	$('#goto-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		const id = $('#goto-id').value.trim().toLowerCase();
		if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
			notice('That is not a game id (it looks like 9e9c7482-a454-4f66-9fee-d2dad2b9a47c).');
			return;
		}
		const as = ev.submitter?.value === 'spectator' ? 'watch' : 'game';
		location.hash = `#/${as}/${id}`;
	});
	$('#admin-acts').addEventListener('change', (ev) => {
		if (G) { G.adminActs = ev.target.checked; renderAll(); }
	});
	$('#games-refresh').addEventListener('click', loadGames);
	$('#games-all').addEventListener('change', loadGames);
	buildOutcomeSelect();
	bindGameForms();
	window.addEventListener('hashchange', route);
	window.addEventListener('online', () => { if (socket && !socket.connected) socket.connect(); });
	route();
}

start();
