// bench/loadgen.mjs: the load generator of `make bench`, a child of
// bench/run.mjs (started through taskset on its own core, with an IPC
// channel).  It speaks raw Engine.IO v4 / Socket.IO v5: WebSockets with the
// `ws` package and long-polling with node:http, with no socket.io-client in
// the way, so that its own cost per message stays small.
//
// Protocol with the parent (process.send / 'message'):
//   parent -> {cmd: 'start', cfg}      connect every client, join the games
//   child  -> {ev: 'joined', ...}      all joined (connect latencies inside)
//   parent -> {cmd: 'go'}              (play) start the play loop
//   child  -> {ev: 'measure_start'}    warm-up over: the parent reads /proc
//   child  -> {ev: 'measure_end'}      window over: the parent reads /proc
//   child  -> {ev: 'result', ...}      figures of the window
//   parent -> {cmd: 'count'}           (capacity) child -> {ev: 'count', open}
//   parent -> {cmd: 'close'}           close everything and exit
//
// cfg: {url, games: [{game_id, players: [token, token], spectators: [token]}],
//   mode: 'play'|'capacity', warmup, duration (s), rate (plays/s in all, 0 =
//   closed loop, as fast as the server answers), pollShare (0..1 of the
//   clients on long-polling), srcAddrs (local addresses to bind),
//   connectConcurrency, outcomes (list cycled through)}
//
// In a game, the requester is players[0] (the away manager, who bats for
// ever: the default outcomes never make an out).  Per play: roll_dice ->
// dice_rolled (requester) -> submit_manual_outcome -> play_resolved
// (requester).  Latencies are measured on one clock (this process):
//   roll      roll_dice sent -> dice_rolled at the requester
//   play      submit_manual_outcome sent -> play_resolved at the requester
//   fanout    submit_manual_outcome sent -> play_resolved at each spectator
//             (includes the PostgreSQL commit, as the requester's does)
//   spread    play_resolved at each spectator minus its first arrival at any
//             member of the room: the cost of the fan-out itself

import http from 'node:http';
import WebSocket from 'ws';

const RS = '\x1e';
const DEBUG = !!process.env.BENCH_DEBUG;
const now = () => performance.now();

let cfg;
let measuring = false;
let stopping = false;
const lat = { roll: [], play: [], fanout: [], spread: [], connect: [], join: [] };
const counts = { plays: 0, errors: 0, frames: 0, bytes: 0, closedEarly: 0, connectErrors: 0 };
let firstError = null;
const clients = [];
const games = [];
let joined = 0;
let agents = [];

function pct(arr, p) {
	if (arr.length === 0) return null;
	const a = Float64Array.from(arr).sort();
	return a[Math.min(a.length - 1, Math.floor(p / 100 * a.length))];
}
function summary(arr) {
	return { n: arr.length, p50: pct(arr, 50), p90: pct(arr, 90), p99: pct(arr, 99), max: pct(arr, 100) };
}

// ---------------------------------------------------------------- clients

class Client {
	constructor(game, token, role, index) {
		this.game = game;
		this.token = token;
		this.role = role; // 'requester' | 'player' | 'spectator'
		this.index = index;
		this.nPlay = 0; // play_resolved received since the loop started
		this.open = false;
		this.joined = false;
	}

	// One Engine.IO packet (text) from either transport.
	packet(s) {
		if (DEBUG && counts.frames < 12) console.error('loadgen <-', this.role, s.slice(0, 160));
		counts.frames++;
		counts.bytes += s.length;
		const c = s.charCodeAt(0);
		if (c === 0x34 /* 4 */) {
			const t = s.charCodeAt(1);
			if (t === 0x32 /* 2: EVENT */) {
				const end = s.indexOf('"', 4);
				this.game.onEvent(this, s.slice(4, end), s);
			} else if (t === 0x30 /* 0: CONNECT ok */) {
				this.connectedAt = now();
			} else if (t === 0x34 /* 4: CONNECT_ERROR */) {
				counts.connectErrors++;
				if (!firstError) firstError = s.slice(0, 300);
				this.release();
			}
		} else if (c === 0x32 /* 2: ping */) {
			this.send('3');
		} else if (c === 0x30 /* 0: open */) {
			this.onOpen(s);
		} else if (c === 0x31 /* 1: close */) {
			this.closed();
		}
	}

	emit(name, payload) {
		this.send(`42["${name}",${payload}]`);
	}

	joinedNow() {
		this.joined = true;
		joined++;
		lat.join.push(now() - this.t0);
		if (this.connectedAt !== undefined) lat.connect.push(this.connectedAt - this.t0);
		this.release();
	}

	closed() {
		if (this.open && !stopping) counts.closedEarly++;
		this.open = false;
		this.release();
	}

	// Gives the ramp-up slot back (once), joined or not.
	release() {
		if (this.released) return;
		this.released = true;
		if (this.onJoined) this.onJoined();
	}
}

class WsClient extends Client {
	start(localAddress) {
		this.t0 = now();
		const ws = new WebSocket(`${cfg.wsUrl}/socket.io/?EIO=4&transport=websocket`, {
			localAddress, perMessageDeflate: false, skipUTF8Validation: true, maxPayload: 2 << 20,
		});
		this.ws = ws;
		ws.on('message', (data) => this.packet(data.toString()));
		ws.on('close', () => this.closed());
		ws.on('error', (e) => {
			if (!firstError) firstError = `ws: ${e.message}`;
			counts.connectErrors += this.open ? 0 : 1;
			this.release();
		});
	}

	onOpen() {
		this.open = true;
		this.send(`40${JSON.stringify({ token: this.token })}`);
	}

	send(s) {
		if (this.ws.readyState === 1) this.ws.send(s);
	}

	close() {
		try { this.ws.terminate(); } catch { /* gone */ }
	}
}

class PollClient extends Client {
	start(localAddress) {
		this.t0 = now();
		this.agent = agents[this.index % agents.length];
		this.queue = [];
		this.posting = false;
		this.req('GET', null, (status, body) => {
			if (status !== 200) {
				counts.connectErrors++;
				if (!firstError) firstError = `poll handshake ${status} ${body}`;
				return;
			}
			this.sid = JSON.parse(body.slice(1)).sid;
			this.path = `/socket.io/?EIO=4&transport=polling&sid=${this.sid}`;
			this.open = true;
			this.send(`40${JSON.stringify({ token: this.token })}`);
			this.poll();
		});
	}

	onOpen() { /* handled in start */ }

	req(method, body, cb) {
		const r = http.request({
			host: cfg.host, port: cfg.port, method, agent: this.agent,
			path: this.path ?? '/socket.io/?EIO=4&transport=polling',
			headers: body === null ? {} : { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) },
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => cb(res.statusCode, Buffer.concat(chunks).toString()));
		});
		r.on('error', (e) => {
			if (!stopping && !firstError) firstError = `poll ${method}: ${e.message}`;
			this.closed();
		});
		r.end(body ?? undefined);
	}

	poll() {
		if (!this.open || stopping) return;
		this.req('GET', null, (status, body) => {
			if (status !== 200) {
				if (!stopping && !firstError) firstError = `poll GET ${status} ${body}`;
				this.closed();
				return;
			}
			for (const p of body.split(RS)) this.packet(p);
			this.poll();
		});
	}

	send(s) {
		if (!this.open) return;
		this.queue.push(s);
		if (!this.posting) this.flush();
	}

	flush() {
		const body = this.queue.join(RS);
		this.queue = [];
		this.posting = true;
		this.req('POST', body, (status) => {
			this.posting = false;
			if (status !== 200) {
				if (!stopping && !firstError) firstError = `poll POST ${status}`;
				this.closed();
				return;
			}
			if (this.queue.length) this.flush();
		});
	}

	close() {
		this.open = false;
	}
}

// ---------------------------------------------------------------- flood

// One abusive socket: once connected it sends roll_dice for a game it has
// no part in as fast as its socket takes them, and connects again each
// time the server drops it.  Counts what it sent and what it was told.
class Flooder {
	constructor(token, gameId) {
		this.token = token;
		this.frame = `42["roll_dice",{"game_id":"${gameId}"}]`;
		this.sent = 0;
		this.limited = 0;
		this.drops = 0;
	}

	start() {
		if (stopping) return;
		const ws = new WebSocket(`${cfg.wsUrl}/socket.io/?EIO=4&transport=websocket`, {
			perMessageDeflate: false, skipUTF8Validation: true,
		});
		this.ws = ws;
		ws.on('message', (data) => {
			const s = data.toString();
			if (s.charCodeAt(0) === 0x30) ws.send(`40${JSON.stringify({ token: this.token })}`);
			else if (s === '2') ws.send('3');
			else if (s.startsWith('40')) this.flood();
			else if (s.includes('RATE_LIMITED')) this.limited++;
		});
		ws.on('close', () => {
			this.drops++;
			if (!stopping) setTimeout(() => this.start(), 10);
		});
		ws.on('error', () => { /* close follows */ });
	}

	flood() {
		const ws = this.ws;
		const burst = () => {
			if (stopping || ws.readyState !== 1) return;
			for (let i = 0; i < 200 && ws.bufferedAmount < (1 << 20); i++) {
				ws.send(this.frame);
				this.sent++;
			}
			setImmediate(burst);
		};
		burst();
	}

	stop() {
		try { this.ws?.terminate(); } catch { /* gone */ }
	}
}

const flooders = [];

// ---------------------------------------------------------------- games

const RING = 256;

class Game {
	constructor(spec, index) {
		this.id = spec.game_id;
		this.index = index;
		this.members = [];
		this.sent = new Float64Array(RING); // outcome sent, per play number
		this.first = new Float64Array(RING); // first arrival of play_resolved
		this.inMeasure = new Uint8Array(RING);
		this.plays = 0; // plays started
		this.outcomeIdx = index;
		this.running = false;
		this.phase = 'idle';
		this.rollPayload = `{"game_id":"${this.id}"}`;
	}

	onEvent(c, name, s) {
		switch (name) {
		case 'connected':
			c.emit('join_game', `{"game_id":"${this.id}","role":"${c.role === 'spectator' ? 'spectator' : 'player'}"}`);
			break;
		case 'game_joined':
			c.joinedNow();
			break;
		case 'dice_rolled':
			if (c === this.requester && this.phase === 'roll') {
				const t = now();
				if (this.inMeasure[this.cur]) lat.roll.push(t - this.rollSent);
				const o = cfg.outcomes[this.outcomeIdx++ % cfg.outcomes.length];
				this.phase = 'outcome';
				this.sent[this.cur] = now();
				c.emit('submit_manual_outcome', `{"game_id":"${this.id}","outcome":"${o}"}`);
			}
			break;
		case 'play_resolved': {
			const t = now();
			const k = c.nPlay++ % RING;
			if (this.first[k] === 0) this.first[k] = t;
			if (this.inMeasure[k]) {
				if (c === this.requester) lat.play.push(t - this.sent[k]);
				else if (c.role === 'spectator') {
					lat.fanout.push(t - this.sent[k]);
					lat.spread.push(t - this.first[k]);
				}
			}
			if (c === this.requester && this.phase === 'outcome') {
				if (this.inMeasure[k]) counts.plays++;
				this.phase = 'idle';
				this.next();
			}
			break;
		}
		case 'error':
		case 'outcome_rejected':
			counts.errors++;
			if (!firstError) firstError = s.slice(0, 300);
			if (c === this.requester) { this.phase = 'idle'; setTimeout(() => this.next(), 100); }
			break;
		default:
			break;
		}
	}

	// The next play, paced by cfg.rate.
	next() {
		if (stopping || !this.running) return;
		const t = now();
		let at = t;
		if (this.interval) {
			this.due = Math.max(this.due + this.interval, t - this.interval);
			at = this.due;
		}
		if (at > t + 0.5) setTimeout(() => this.play(), at - t);
		else this.play();
	}

	play() {
		if (stopping || !this.running) return;
		this.cur = this.plays++ % RING;
		this.first[this.cur] = 0;
		this.inMeasure[this.cur] = measuring ? 1 : 0;
		this.phase = 'roll';
		this.rollSent = now();
		this.requester.emit('roll_dice', this.rollPayload);
	}
}

// ---------------------------------------------------------------- phases

async function connectAll() {
	const { srcAddrs } = cfg;
	agents = srcAddrs.map((a) => new http.Agent({ keepAlive: true, maxSockets: Infinity, localAddress: a }));
	const order = [];
	cfg.games.forEach((spec, gi) => {
		const g = new Game(spec, gi);
		games.push(g);
		spec.players.forEach((tok, i) => order.push([g, tok, i === 0 ? 'requester' : 'player']));
		spec.spectators.forEach((tok) => order.push([g, tok, 'spectator']));
	});
	// Every k-th client polls (deterministic share).
	const pollEvery = cfg.pollShare > 0 ? 1 / cfg.pollShare : Infinity;
	let pollAcc = 0;
	let inflight = 0;
	let i = 0;
	const total = order.length;
	await new Promise((resolveAll) => {
		const launch = () => {
			while (inflight < cfg.connectConcurrency && i < total) {
				const [g, tok, role] = order[i];
				let cls = WsClient;
				pollAcc += 1;
				if (pollAcc >= pollEvery) { pollAcc -= pollEvery; cls = PollClient; }
				const c = new cls(g, tok, role, i);
				if (role === 'requester') g.requester = c;
				g.members.push(c);
				clients.push(c);
				inflight++;
				c.onJoined = () => { inflight--; launch(); };
				c.start(srcAddrs[i % srcAddrs.length]);
				i++;
			}
			if (joined === total) resolveAll();
		};
		launch();
		let ticks = 0;
		const timer = setInterval(() => {
			if (++ticks % 100 === 0) {
				const st = { joined, launched: i, open: 0, connected: 0 };
				for (const c of clients) { if (c.open) st.open++; if (c.connectedAt !== undefined) st.connected++; }
				console.error('loadgen: ramp', JSON.stringify(st), firstError ?? '');
			}
			if (joined + counts.connectErrors >= total) {
				clearInterval(timer);
				resolveAll();
			}
		}, 50);
		// Do not wait for ever for clients that failed.
		setTimeout(() => { clearInterval(timer); resolveAll(); }, cfg.connectTimeout ?? 120_000);
	});
	// A failed client never calls onJoined; the loop above only needs a
	// slot back for the next one.
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

async function playLoop() {
	const G = games.length;
	for (const g of games) {
		g.running = true;
		if (cfg.rate > 0) {
			g.interval = 1000 * G / cfg.rate;
			g.due = now() + Math.random() * g.interval - g.interval;
		}
		g.next();
	}
	await sleep(cfg.warmup * 1000);
	measuring = true;
	const cpu0 = process.cpuUsage();
	const t0 = now();
	process.send({ ev: 'measure_start' });
	await sleep(cfg.duration * 1000);
	measuring = false;
	const wall = (now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	process.send({ ev: 'measure_end' });
	// Let the last plays of the window arrive everywhere.
	await sleep(1500);
	stopping = true;
	return { wall, loadgenCpu: (cpu.user + cpu.system) / 1e6 };
}

process.on('message', async (msg) => {
	if (msg.cmd === 'start') {
		cfg = msg.cfg;
		const u = new URL(cfg.url);
		cfg.host = u.hostname;
		cfg.port = Number(u.port);
		cfg.wsUrl = cfg.url.replace(/^http/, 'ws');
		const t0 = now();
		await connectAll();
		const wall = (now() - t0) / 1000;
		process.send({
			ev: 'joined', joined, total: clients.length, wall,
			connectErrors: counts.connectErrors, firstError,
			connect: summary(lat.connect), join: summary(lat.join),
			polling: clients.filter((c) => c instanceof PollClient).length,
		});
	} else if (msg.cmd === 'go') {
		const r = await playLoop();
		process.send({
			ev: 'result', ...r, plays: counts.plays, errors: counts.errors, firstError,
			closedEarly: counts.closedEarly,
			avgFrame: counts.frames ? counts.bytes / counts.frames : 0,
			roll: summary(lat.roll), play: summary(lat.play),
			fanout: summary(lat.fanout), spread: summary(lat.spread),
		});
	} else if (msg.cmd === 'flood') {
		cfg = msg.cfg;
		cfg.wsUrl = cfg.url.replace(/^http/, 'ws');
		for (const f of cfg.flood) {
			const fl = new Flooder(f.token, f.game_id);
			flooders.push(fl);
			fl.start();
		}
	} else if (msg.cmd === 'unflood') {
		stopping = true;
		for (const f of flooders) f.stop();
		process.send({ ev: 'flooded', flood: {
			sockets: flooders.length, sent: flooders.reduce((n, f) => n + f.sent, 0),
			limited: flooders.reduce((n, f) => n + f.limited, 0),
			drops: flooders.reduce((n, f) => n + f.drops, 0),
		} });
	} else if (msg.cmd === 'count') {
		process.send({ ev: 'count', open: clients.filter((c) => c.open).length, closedEarly: counts.closedEarly });
	} else if (msg.cmd === 'close') {
		stopping = true;
		for (const c of clients) c.close();
		for (const a of agents) a.destroy();
		setTimeout(() => process.exit(0), 200);
	}
});
process.on('disconnect', () => process.exit(0));
