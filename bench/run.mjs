// bench/run.mjs: the server benchmarks of `make bench` (mk/bench.mk).
//
// Starts the Kore server (build/pd.so) on a private PostgreSQL cluster
// (bench/pg.sh), or a reference server (bench/ref-node, bench/ref-python:
// the same event slice in memory, no database), pins it to BENCH_SERVER_CPUS
// and the load generator (bench/loadgen.mjs) to BENCH_CLIENT_CPUS, and runs
// bounded scenarios.  It prints figures and the targets beside them; it
// asserts nothing about speed.  Every run stops by itself.
//
//   node bench/run.mjs [scenario ...]     (default: all, in this order)
//     capacity   BENCH_CAP_CONNS clients (games of 2 players + 8 spectators)
//     play       BENCH_GAMES games, closed loop (as fast as answers come)
//     play-1w    the same on one Kore worker (as the one-process references)
//     fanout     BENCH_FANOUT_GAMES games paced at BENCH_FANOUT_RATE plays/s
//     fanout-1w  the same on one Kore worker
//     poll       as play, with BENCH_POLL_SHARE of the clients long-polling
//     flood      BENCH_FLOOD_GAMES games paced at BENCH_FLOOD_RATE, first
//                alone, then beside BENCH_FLOOD_SOCKETS sockets that flood
//                roll_dice for a game they are not in (1 worker)
//     floor      build/bench-floor (bench/floor.c): the kernel's own cost of
//                one play's socket I/O over BENCH_GAMES games, no server
//     pgfloor    PostgreSQL alone: pgbench commits one-row INSERTs at the
//                fanout scenario's commit rate; their latency is the floor
//                under its fan-out p99
//     ref-node   play against bench/ref-node (npm socket.io)
//     ref-python play against bench/ref-python (python3-socketio + aiohttp)
//
// Results: the table on stdout, and build/bench/results.json.

import { spawn, execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, unlinkSync } from 'node:fs';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'build', 'bench');
mkdirSync(OUT, { recursive: true });

const env = (k, d) => (process.env[k] === undefined || process.env[k] === '' ? d : process.env[k]);
const num = (k, d) => Number(env(k, d));
const K = {
	workers: num('BENCH_WORKERS', 2),
	serverCpus: env('BENCH_SERVER_CPUS', '0'),
	clientCpus: env('BENCH_CLIENT_CPUS', '1'),
	games: num('BENCH_GAMES', 100),
	floodGames: num('BENCH_FLOOD_GAMES', 100),
	floodRate: num('BENCH_FLOOD_RATE', 300),
	floodSockets: num('BENCH_FLOOD_SOCKETS', 4),
	spectators: num('BENCH_SPECTATORS', 8),
	duration: num('BENCH_DURATION', 10),
	warmup: num('BENCH_WARMUP', 2),
	fanoutGames: num('BENCH_FANOUT_GAMES', 200),
	fanoutRate: num('BENCH_FANOUT_RATE', 2000),
	floorRate: num('BENCH_FLOOR_RATE', 0),
	rounds: num('BENCH_ROUNDS', 1),
	pollShare: num('BENCH_POLL_SHARE', 0.25),
	capConns: num('BENCH_CAP_CONNS', 4000),
	capPerProc: num('BENCH_CAP_PER_PROC', 12000),
	capHold: num('BENCH_CAP_HOLD', 5),
	srcAddrs: num('BENCH_SRC_ADDRS', 4),
	connectConcurrency: num('BENCH_CONNECT_CONCURRENCY', 200),
	outcomes: env('BENCH_OUTCOMES', 'walk,single_1,walk,double_2,walk,homerun').split(','),
};
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PAGE = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim()) || 4096;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('bench:', ...a);

// ------------------------------------------------------------- /proc

function stat(pid) {
	try {
		const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
		// f[0] is field 3 (state): utime is field 14 -> f[11].
		return {
			pid: Number(pid), ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]),
			cutime: Number(f[13]), cstime: Number(f[14]), rss: Number(f[21]) * PAGE,
			comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')),
		};
	} catch {
		return null;
	}
}

function tree(root) {
	const all = [];
	for (const d of readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		const s = stat(d);
		if (s) all.push(s);
	}
	const out = [];
	const want = new Set([Number(root)]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const s of all) {
			if (!want.has(s.pid) && want.has(s.ppid)) { want.add(s.pid); grew = true; }
		}
	}
	for (const s of all) if (want.has(s.pid)) out.push(s);
	return out;
}

// CPU seconds of a process tree: every live member's own time, plus what
// the root has collected from children that exited.
function cpuOf(root) {
	if (!root) return 0;
	let ticks = 0;
	for (const s of tree(root)) {
		ticks += s.utime + s.stime;
		if (s.pid === Number(root)) ticks += s.cutime + s.cstime;
	}
	return ticks / TICK;
}

function rssOf(root, onlyChildren) {
	let b = 0;
	for (const s of tree(root)) {
		if (onlyChildren && s.pid === Number(root)) continue;
		b += s.rss;
	}
	return b;
}

// ------------------------------------------------------------- servers

function freePort() {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => res(port));
		});
	});
}

async function waitHttp(url, proc, what) {
	for (let i = 0; i < 200; i++) {
		if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}); see its log`);
		try {
			const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
			await r.text();
			return;
		} catch { await sleep(100); }
	}
	throw new Error(`${what}: no answer at ${url}`);
}

function b64url(x) { return Buffer.from(x).toString('base64url'); }
function token(secret, sub) {
	const t = Math.floor(Date.now() / 1000);
	const head = b64url('{"alg":"HS256","typ":"JWT"}');
	const body = b64url(JSON.stringify({ sub, iat: t, exp: t + 7200 }));
	return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

function kill(proc) {
	if (!proc || proc.exitCode !== null) return Promise.resolve();
	return new Promise((res) => {
		proc.once('exit', res);
		try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
		setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
	});
}

let pgPid = null;
function pgStart() {
	if (!pgPid) {
		pgPid = execFileSync(join(ROOT, 'bench/pg.sh'), ['start'], {
			env: { ...process.env, BENCH_PG_CPUS: env('BENCH_PG_CPUS', K.serverCpus) },
		}).toString().trim();
	}
	return pgPid;
}

async function startKore(name, workers = K.workers) {
	pgStart();
	const db = execFileSync(join(ROOT, 'bench/pg.sh'), ['url', 'pd_bench']).toString().trim();
	execFileSync(join(ROOT, 'scripts/migrate.sh'), [], { env: { ...process.env, DATABASE_URL: db }, stdio: ['ignore', 'ignore', 'inherit'] });
	// What-if experiments on the schema (never by default), e.g. to weigh a
	// proposed migration: BENCH_PG_SQL is run after the migrations.
	if (process.env.BENCH_PG_SQL) {
		execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db, '-c', process.env.BENCH_PG_SQL], { stdio: ['ignore', 'ignore', 'inherit'] });
		log(`applied BENCH_PG_SQL: ${process.env.BENCH_PG_SQL}`);
	}
	const port = await freePort();
	const secret = randomBytes(16).toString('hex');
	// Its own pid file (kore.pid in the tree belongs to whoever ran last)
	// and no worker pinning of Kore's own: taskset decides.  Lines in
	// BENCH_KORE_CONF come last (what-if experiments only).
	const conf = join(OUT, `kore-bench-${port}.conf`);
	writeFileSync(conf, `${readFileSync(join(ROOT, 'kore.conf'), 'utf8')}
pidfile ${join(OUT, `kore-${port}.pid`)}
worker_set_affinity 0
${(process.env.BENCH_KORE_CONF ?? '').replaceAll(';', '\n')}
`);
	const logFile = join(OUT, `${name}-${port}.log`);
	const { openSync } = await import('node:fs');
	const fd = openSync(logFile, 'w');
	const proc = spawn('taskset', ['-c', K.serverCpus, join(ROOT, 'scripts/serve.sh'), conf], {
		cwd: ROOT, detached: true, stdio: ['ignore', fd, fd],
		// The play loop outruns any person; the flood scenario keeps the
		// limits, at a pace a person could keep.
		env: { ...process.env, PORT: String(port), WORKERS: String(workers), JWT_SECRET: secret, DATABASE_URL: db, RATE_LIMITS: name === 'flood' ? (process.env.BENCH_FLOOD_LIMITS ?? 'on') : 'off' },
	});
	const url = `http://127.0.0.1:${port}`;
	await waitHttp(`${url}/healthz`, proc, 'kore');
	return { kind: 'kore', proc, url, secret, logFile, pid: proc.pid, pg: pgPid, workers };
}

async function startRef(kind) {
	const port = await freePort();
	const secret = randomBytes(16).toString('hex');
	const logFile = join(OUT, `${kind}-${port}.log`);
	const { openSync } = await import('node:fs');
	const fd = openSync(logFile, 'w');
	const cmd = kind === 'ref-node'
		? [process.execPath, join(ROOT, 'bench/ref-node/server.mjs')]
		: ['/usr/bin/python3', join(ROOT, 'bench/ref-python/server.py')];
	const proc = spawn('taskset', ['-c', K.serverCpus, ...cmd], {
		cwd: ROOT, detached: true, stdio: ['ignore', fd, fd],
		env: { ...process.env, PORT: String(port), JWT_SECRET: secret },
	});
	const url = `http://127.0.0.1:${port}`;
	await waitHttp(`${url}/healthz`, proc, kind);
	return { kind, proc, url, secret, logFile, pid: proc.pid, pg: null };
}

// ------------------------------------------------------------- set-up

async function api(srv, method, path, tok, body) {
	const r = await fetch(srv.url + path, {
		method, headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const j = await r.json();
	if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
	return j;
}

async function pool(n, conc, fn) {
	let i = 0;
	const out = new Array(n);
	await Promise.all(Array.from({ length: Math.min(conc, n) }, async () => {
		while (i < n) { const k = i++; out[k] = await fn(k); }
	}));
	return out;
}

// G games, each with 2 player tokens and `spectators` spectator tokens.  On
// Kore: over REST, teams shared by PAIRS pairs of managers; on a reference
// server, the game is made on first join.
async function setupGames(srv, G, spectators) {
	const pairs = Math.min(G, 25);
	const mgr = Array.from({ length: pairs }, (_, i) => {
		const a = `bench-away-${i}-${randomUUID().slice(0, 8)}`;
		const h = `bench-home-${i}-${randomUUID().slice(0, 8)}`;
		return { a, h, ta: token(srv.secret, a), th: token(srv.secret, h) };
	});
	if (srv.kind === 'kore') {
		await pool(pairs, 8, async (i) => {
			mgr[i].awayTeam = (await api(srv, 'POST', '/api/teams', mgr[i].ta, { abbrev: 'AWY', name: 'Away Nine' })).team_id;
			mgr[i].homeTeam = (await api(srv, 'POST', '/api/teams', mgr[i].th, { abbrev: 'HOM', name: 'Home Nine' })).team_id;
		});
	}
	return pool(G, 16, async (gi) => {
		const m = mgr[gi % pairs];
		let game_id = randomUUID();
		if (srv.kind === 'kore') {
			game_id = (await api(srv, 'POST', '/api/games', m.ta, { away_team_id: m.awayTeam, home_team_id: m.homeTeam })).game_id;
		}
		return {
			game_id,
			players: [m.ta, m.th],
			spectators: Array.from({ length: spectators }, () => token(srv.secret, `bench-spec-${randomUUID()}`)),
		};
	});
}

// ------------------------------------------------------------- load generator

// The flooders run in their own load generator at the lowest priority, so
// they take only what the measuring one leaves of the client core.
function startLoadgen({ nice = false } = {}) {
	const argv = ['-c', K.clientCpus, process.execPath, join(ROOT, 'bench/loadgen.mjs')];
	const lg = spawn(nice ? 'nice' : 'taskset', nice ? ['-n', '19', 'taskset', ...argv] : argv, {
		cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	lg.waitFor = (ev) => new Promise((res, rej) => {
		const on = (m) => { if (m.ev === ev) { lg.off('message', on); lg.off('exit', ex); res(m); } };
		const ex = (c) => rej(new Error(`load generator exited (${c}) waiting for ${ev}`));
		lg.on('message', on);
		lg.once('exit', ex);
	});
	return lg;
}

function srcAddrs() {
	return Array.from({ length: K.srcAddrs }, (_, i) => `127.0.0.${i + 1}`);
}

function snapshot(srv) {
	return {
		t: performance.now(), server: cpuOf(srv.pid), pg: srv.pg ? cpuOf(srv.pg) : 0,
		rss: rssOf(srv.pid, srv.kind === 'kore'),
	};
}

async function playScenario(srv, { games, rate = 0, pollShare = 0, flood = 0 }) {
	const specs = await setupGames(srv, games, K.spectators);
	// Flooders: users with no part in the game they send roll_dice for.
	const floodSpecs = Array.from({ length: flood }, () => ({
		token: token(srv.secret, `bench-flood-${randomUUID()}`), game_id: specs[0].game_id,
	}));
	log(`${games} games set up; connecting ${games * (2 + K.spectators)} clients`);
	const lg = startLoadgen();
	const flg = flood ? startLoadgen({ nice: true }) : null;
	try {
		const rssBefore = rssOf(srv.pid, srv.kind === 'kore');
		lg.send({ cmd: 'start', cfg: {
			url: srv.url, games: specs, mode: 'play', warmup: K.warmup, duration: K.duration, rate, pollShare,
			srcAddrs: srcAddrs(), connectConcurrency: K.connectConcurrency, outcomes: K.outcomes,
		} });
		const joined = await lg.waitFor('joined');
		log(`joined ${joined.joined}/${joined.total} in ${joined.wall.toFixed(1)} s${joined.firstError ? `; first error: ${joined.firstError}` : ''}`);
		const rssJoined = rssOf(srv.pid, srv.kind === 'kore');
		let s0; let s1;
		const started = lg.waitFor('measure_start').then(() => { s0 = snapshot(srv); });
		const ended = lg.waitFor('measure_end').then(() => { s1 = snapshot(srv); });
		const result = lg.waitFor('result');
		if (flg) flg.send({ cmd: 'flood', cfg: { url: srv.url, flood: floodSpecs } });
		lg.send({ cmd: 'go' });
		await started; await ended;
		const r = await result;
		lg.send({ cmd: 'close' });
		if (flg) {
			const fr = flg.waitFor('flooded');
			flg.send({ cmd: 'unflood' });
			r.flood = (await fr).flood;
		}
		const wall = (s1.t - s0.t) / 1000;
		const serverCpu = s1.server - s0.server;
		const pgCpu = s1.pg - s0.pg;
		return {
			server: srv.kind, workers: srv.workers ?? 1, games, connections: joined.total,
			joined: joined.joined, polling: joined.polling, rate, pollShare,
			plays: r.plays, wall, playsPerSec: r.plays / wall,
			serverCpu, pgCpu, serverUtil: serverCpu / wall, pgUtil: pgCpu / wall,
			usPerPlay: r.plays ? 1e6 * serverCpu / r.plays : null,
			pgUsPerPlay: r.plays && srv.pg ? 1e6 * pgCpu / r.plays : null,
			playsPerCpuSec: serverCpu > 0 ? r.plays / serverCpu : null,
			loadgenUtil: r.loadgenCpu / r.wall,
			rssPerConn: (rssJoined - rssBefore) / joined.joined,
			roll: r.roll, play: r.play, fanout: r.fanout, spread: r.spread,
			errors: r.errors, firstError: r.firstError ?? joined.firstError, closedEarly: r.closedEarly,
			avgFrame: r.avgFrame, connect: joined.connect, flood: r.flood,
		};
	} finally {
		for (const p of [lg, flg].filter(Boolean)) {
			if (p.exitCode === null) p.send({ cmd: 'close' });
			await new Promise((r) => { if (p.exitCode !== null) r(); else { p.once('exit', r); setTimeout(() => { p.kill('SIGKILL'); }, 5000); } });
		}
	}
}

async function capacityScenario(srv, n) {
	const per = 2 + K.spectators;
	const G = Math.ceil(n / per);
	log(`capacity: setting up ${G} games`);
	const specs = await setupGames(srv, G, K.spectators);
	// At most capPerProc clients per load generator (a process may open
	// 20,000 files here).
	const nProc = Math.max(1, Math.ceil((G * per) / K.capPerProc));
	const slices = Array.from({ length: nProc }, (_, i) => specs.filter((_, g) => g % nProc === i));
	const lgs = slices.map(() => startLoadgen());
	try {
		await sleep(300);
		const rssBefore = rssOf(srv.pid, srv.kind === 'kore');
		const perWorker0 = tree(srv.pid).filter((s) => s.pid !== srv.pid).map((s) => s.rss);
		const cpu0 = cpuOf(srv.pid);
		const t0 = performance.now();
		const joinedP = lgs.map((lg) => lg.waitFor('joined'));
		lgs.forEach((lg, i) => lg.send({ cmd: 'start', cfg: {
			url: srv.url, games: slices[i], mode: 'capacity', pollShare: 0,
			srcAddrs: srcAddrs(), connectConcurrency: Math.ceil(K.connectConcurrency / nProc), outcomes: K.outcomes,
			connectTimeout: 240_000,
		} }));
		const joined = await Promise.all(joinedP);
		const wall = (performance.now() - t0) / 1000;
		const cpuRamp = cpuOf(srv.pid) - cpu0;
		await sleep(500);
		const rssJoined = rssOf(srv.pid, srv.kind === 'kore');
		const perWorker1 = tree(srv.pid).filter((s) => s.pid !== srv.pid).map((s) => s.rss);
		await sleep(K.capHold * 1000);
		const counted = await Promise.all(lgs.map((lg) => { const p = lg.waitFor('count'); lg.send({ cmd: 'count' }); return p; }));
		const total = joined.reduce((a, j) => a + j.total, 0);
		const nJoined = joined.reduce((a, j) => a + j.joined, 0);
		const connect = joined.map((j) => j.connect);
		const join = joined.map((j) => j.join);
		return {
			server: srv.kind, workers: srv.workers ?? 1, target: n, games: G, loadgens: nProc,
			attempted: total, joined: nJoined, held: counted.reduce((a, c) => a + c.open, 0), holdSec: K.capHold,
			connectErrors: joined.reduce((a, j) => a + j.connectErrors, 0), firstError: joined.find((j) => j.firstError)?.firstError,
			rampSec: wall, connPerSec: nJoined / wall, cpuRampUsPerConn: 1e6 * cpuRamp / nJoined,
			connectP50: Math.max(...connect.map((c) => c.p50 ?? 0)), connectP99: Math.max(...connect.map((c) => c.p99 ?? 0)),
			joinP50: Math.max(...join.map((c) => c.p50 ?? 0)), joinP99: Math.max(...join.map((c) => c.p99 ?? 0)),
			rssBefore, rssJoined, rssPerConn: (rssJoined - rssBefore) / nJoined,
			perWorkerRss: perWorker1.map((r, i) => [perWorker0[i], r]),
		};
	} finally {
		for (const lg of lgs) if (lg.exitCode === null) lg.send({ cmd: 'close' });
		await Promise.all(lgs.map((lg) => new Promise((r) => { if (lg.exitCode !== null) r(); else { lg.once('exit', r); setTimeout(() => lg.kill('SIGKILL'), 5000); } })));
	}
}

// A helper program's stdout; it has the window and a minute more to finish.
function runTool(what, cmd, args) {
	return new Promise((res, rej) => {
		execFile(cmd, args, { timeout: 1000 * (K.warmup + K.duration + 60) }, (e, stdout, stderr) => {
			if (e) rej(new Error(`${what}: ${stderr.trim() || e.message}`)); else res(stdout);
		});
	});
}

const firstCpu = (list) => String(parseInt(list, 10));

// The floor: plain sockets doing a play's I/O and nothing else (bench/floor.c),
// on the first CPU of each list and as many games as the play scenarios.
// Its result takes the shape of a play row.
async function floorScenario() {
	const bin = join(ROOT, 'build', 'bench-floor');
	if (!existsSync(bin)) throw new Error(`${bin} is missing: make build/bench-floor`);
	const args = ['-g', K.games, '-r', K.floorRate, '-d', K.duration, '-w', K.warmup,
		'-s', firstCpu(K.serverCpus), '-c', firstCpu(K.clientCpus)].map(String);
	const out = await runTool('bench-floor', bin, args);
	const j = JSON.parse(out.trim().split('\n').pop());
	return {
		server: 'floor', workers: 1, games: j.games, connections: j.connections, joined: j.connections,
		polling: 0, rate: j.rate, plays: j.plays, wall: j.wall, playsPerSec: j.plays_per_sec,
		serverCpu: j.server_us_per_play * j.plays / 1e6, pgCpu: 0, serverUtil: j.server_util, pgUtil: 0,
		usPerPlay: j.server_us_per_play, usUser: j.server_user_us_per_play, usSys: j.server_sys_us_per_play,
		pgUsPerPlay: null, playsPerCpuSec: 1e6 / j.server_us_per_play, loadgenUtil: j.client_util,
		sendsPerPlay: j.sends_per_play, recvsPerPlay: j.recvs_per_play, errors: 0,
	};
}

// The commit floor: the cluster and core the server's commits use, and
// nothing else.  pgbench (on the client core) commits one durable one-row
// INSERT per transaction, paced at two per play of the fanout scenario
// (its roll and its play), over 8 connections.  The figure is each
// transaction's own time, from the moment pgbench sent it (its schedule
// lag, time spent waiting for a free connection, is left out).
async function pgFloorScenario() {
	pgStart();
	const db = execFileSync(join(ROOT, 'bench/pg.sh'), ['url', 'pd_bench_floor']).toString().trim();
	execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db, '-c', 'CREATE TABLE t (a int)']);
	const script = join(OUT, 'pgfloor.sql');
	writeFileSync(script, 'INSERT INTO t VALUES (1);\n');
	for (const f of readdirSync(OUT)) if (f.startsWith('pgfloor.log')) unlinkSync(join(OUT, f));
	const rate = 2 * K.fanoutRate;
	await runTool('pgbench', 'taskset', ['-c', firstCpu(K.clientCpus), 'pgbench', '-n', '-c', '8', '-j', '1',
		'-T', String(K.warmup + K.duration), '-R', String(rate), '-l', '--log-prefix', join(OUT, 'pgfloor.log'),
		'-f', script, db]);
	// Log lines: client, transaction, latency µs (from the scheduled start),
	// script, epoch s, µs, schedule lag µs.
	let t0 = Infinity;
	const rows = [];
	for (const f of readdirSync(OUT).filter((n) => n.startsWith('pgfloor.log'))) {
		for (const line of readFileSync(join(OUT, f), 'utf8').split('\n')) {
			const c = line.trim().split(/\s+/);
			if (c.length < 7) continue;
			const at = Number(c[4]) + Number(c[5]) / 1e6;
			t0 = Math.min(t0, at);
			rows.push([at, (Number(c[2]) - Number(c[6])) / 1000]);
		}
	}
	const lat = rows.filter(([at]) => at - t0 >= K.warmup).map(([, ms]) => ms);
	const sorted = Float64Array.from(lat).sort();
	const q = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))] : null);
	return { server: 'pgbench', rate, commits: lat.length, commitsPerSec: lat.length / K.duration,
		commit: { n: lat.length, p50: q(50), p90: q(90), p99: q(99), max: q(100) } };
}

// ------------------------------------------------------------- report

const f = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? '-' : Number(x).toFixed(d));
const ms = (s) => (s && s.p50 !== null ? `${f(s.p50, 2)} / ${f(s.p99, 2)}` : '-');

function printPlay(rows) {
	console.log('\n## play loop (roll_dice -> dice_rolled -> submit_manual_outcome -> play_resolved)\n');
	console.log('| run | server | games | conns (poll) | plays/s | server CPU µs/play | PG CPU µs/play | plays per server CPU-s | server util | loadgen util | roll ms p50/p99 | play ms p50/p99 | fan-out ms p50/p99 | spread ms p50/p99 | errors |');
	console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const [name, r] of rows) {
		const what = r.server === 'kore' ? ` (${r.workers}w)` : r.server === 'floor' ? ` (user ${f(r.usUser, 1)} + sys ${f(r.usSys, 1)} µs)` : '';
		console.log(`| ${name} | ${r.server}${what} | ${r.games} | ${r.connections} (${r.polling}) | ${f(r.playsPerSec)}${r.rate ? ` (paced ${r.rate})` : ''} | ${f(r.usPerPlay)} | ${f(r.pgUsPerPlay)} | ${f(r.playsPerCpuSec)} | ${f(r.serverUtil * 100)}% | ${f(r.loadgenUtil * 100)}% | ${ms(r.roll)} | ${ms(r.play)} | ${ms(r.fanout)} | ${ms(r.spread)} | ${r.errors}${r.closedEarly ? `, ${r.closedEarly} closed` : ''} |`);
	}
}

function printCap(r) {
	console.log('\n## capacity (WebSocket, authenticated, joined: 2 players + 8 spectators per game)\n');
	console.log('| server | target | joined | held after ' + r.holdSec + ' s | errors | ramp s | conn/s | connect ms p50/p99 | join ms p50/p99 | RSS before -> after (MiB) | KiB per conn | server CPU µs per conn (ramp) |');
	console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
	console.log(`| ${r.server} (${r.workers}w) | ${r.target} | ${r.joined} | ${r.held} | ${r.connectErrors} | ${f(r.rampSec, 1)} | ${f(r.connPerSec)} | ${f(r.connectP50, 1)} / ${f(r.connectP99, 1)} | ${f(r.joinP50, 1)} / ${f(r.joinP99, 1)} | ${f(r.rssBefore / 2 ** 20, 1)} -> ${f(r.rssJoined / 2 ** 20, 1)} | ${f(r.rssPerConn / 1024, 2)} | ${f(r.cpuRampUsPerConn)} |`);
	console.log(`\nper worker RSS MiB (before -> after): ${r.perWorkerRss.map(([a, b]) => `${f(a / 2 ** 20, 1)} -> ${f(b / 2 ** 20, 1)}`).join(', ')}${r.firstError ? `\nfirst error: ${r.firstError}` : ''}`);
}

function printTargets(res) {
	const kn = res['ref-node']; const kp = res['ref-python'];
	const pol = res.poll; const cap = res.capacity;
	const kores = [['play', res.play], ['play-1w', res['play-1w']]].filter(([, r]) => r);
	const fanouts = [['fanout', res.fanout], ['fanout-1w', res['fanout-1w']]].filter(([, r]) => r);
	const withPg = (k) => k.plays / (k.serverCpu + k.pgCpu);
	// 3x Node in plays per CPU-second is at most node/3 µs per play.
	const fl = res.floor;
	const floorRow = (n, k) => {
		const budget = kn ? kn.usPerPlay / 3 : null;
		const verdict = budget === null ? 'add ref-node to the run for the budget'
			: fl.usPerPlay > budget ? 'the floor alone exceeds the budget'
				: `the floor leaves ${f(budget - fl.usPerPlay)} µs of the budget`;
		console.log(`| floor: the kernel's socket I/O of a play (${fl.recvsPerPlay} recv + ${fl.sendsPerPlay} send) vs 3x Node's budget | ${n} | kore ${k ? f(k.usPerPlay) : '-'} µs, floor ${f(fl.usPerPlay)} µs (user ${f(fl.usUser, 1)} + sys ${f(fl.usSys, 1)}), node ${kn ? f(kn.usPerPlay) : '-'} µs; budget node/3: ${budget === null ? '-' : f(budget)} µs | ${verdict} |`);
	};
	console.log('\n## targets (printed, never asserted)\n');
	console.log('| target | run | measured | note |');
	console.log('|---|---|---|---|');
	for (const [n, k] of kores) {
		console.log(`| server CPU per play (Node ~330 µs, python ~1,150 µs) | ${n} | kore ${f(k.usPerPlay)} µs (+ PostgreSQL ${f(k.pgUsPerPlay)} µs)${kn ? `, node ${f(kn.usPerPlay)} µs` : ''}${kp ? `, python ${f(kp.usPerPlay)} µs` : ''} | refs have no database |`);
		if (kn) console.log(`| >= 3x Node in plays per CPU-second | ${n} | ${f(k.playsPerCpuSec / kn.playsPerCpuSec, 2)}x (kore ${f(k.playsPerCpuSec)} vs node ${f(kn.playsPerCpuSec)}); with PostgreSQL's CPU counted: ${f(withPg(k) / kn.playsPerCpuSec, 2)}x | |`);
		if (fl) floorRow(n, k);
		if (kp) console.log(`| >= 10x python in plays per CPU-second | ${n} | ${f(k.playsPerCpuSec / kp.playsPerCpuSec, 2)}x (python ${f(kp.playsPerCpuSec)}); with PostgreSQL: ${f(withPg(k) / kp.playsPerCpuSec, 2)}x | |`);
		if (kn) console.log(`| memory per joined connection vs node | ${n} | kore ${f(k.rssPerConn / 1024, 2)} KiB, node ${f(kn.rssPerConn / 1024, 2)} KiB${kp ? `, python ${f(kp.rssPerConn / 1024, 2)} KiB` : ''} | RSS growth over the join, ${k.connections} conns |`);
		if (kn) console.log(`| fan-out p99 vs node (closed loop) | ${n} | kore ${f(k.fanout.p99, 2)} ms, node ${f(kn.fanout.p99, 2)} ms${kp ? `, python ${f(kp.fanout.p99, 2)} ms` : ''} | kore includes 1 PostgreSQL commit |`);
	}
	if (fl && !kores.length) floorRow('floor', null);
	for (const [n, fo] of fanouts) console.log(`| fan-out p99 < 2 ms at 2,000 plays/s across 2,000 connections | ${n} | ${f(fo.playsPerSec)} plays/s over ${fo.connections} conns: fan-out p99 ${f(fo.fanout.p99, 2)} ms (request -> spectator), spread p99 ${f(fo.spread.p99, 2)} ms | ${fo.playsPerSec < 0.95 * fo.rate ? 'did NOT reach the paced rate' : ''} |`);
	const pf = res.pgfloor;
	if (pf) console.log(`| fan-out p99 < 2 ms: the commit floor under it | pgfloor | PostgreSQL alone, one-row durable INSERTs at ${f(pf.commitsPerSec)} of ${pf.rate} commits/s asked: commit p50 ${f(pf.commit.p50, 2)} ms, p99 ${f(pf.commit.p99, 2)} ms | ${pf.commit.p99 >= 2 ? 'the commit alone misses 2 ms at p99' : ''} |`);
	if (cap) console.log(`| <= 6 KiB per joined connection | capacity | ${f(cap.rssPerConn / 1024, 2)} KiB over ${cap.joined} conns | |`);
	if (cap) console.log(`| 30,000 connections on two workers | capacity | ${cap.held} held of ${cap.target} asked (${cap.workers} workers) | BENCH_CAP_CONNS=30000 for the full figure |`);
	const fOff = res['flood-off']; const fOn = res['flood-on'];
	if (fOff && fOn) console.log(`| a flood from one socket leaves other games' latency unaffected | flood | play p50/p99 ${f(fOff.play.p50, 2)} / ${f(fOff.play.p99, 2)} ms alone, ${f(fOn.play.p50, 2)} / ${f(fOn.play.p99, 2)} ms beside ${fOn.flood?.sockets} flooding sockets (${fOn.flood?.sent} roll_dice sent, ${fOn.flood?.limited} RATE_LIMITED, ${fOn.flood?.drops} disconnects) | ${f(fOn.playsPerSec)} vs ${f(fOff.playsPerSec)} plays/s |`);
	if (res.play && pol) console.log(`| long-polling <= 1.5x WebSocket cost per play | poll | ${f(pol.usPerPlay / res.play.usPerPlay, 2)}x (${f(pol.usPerPlay)} vs ${f(res.play.usPerPlay)} µs; ${pol.polling} of ${pol.connections} clients polling) | same games, same loop |`);
}

// ------------------------------------------------------------- main

const ALL = ['capacity', 'play', 'play-1w', 'fanout', 'fanout-1w', 'poll', 'flood', 'floor', 'pgfloor', 'ref-node', 'ref-python'];
const which = process.argv.slice(2).length ? process.argv.slice(2) : env('BENCH_SCENARIOS', ALL.join(',')).split(',');

const live = new Set();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		for (const p of live) { try { process.kill(-p.pid, 'SIGKILL'); } catch { /* gone */ } }
		process.exit(130);
	});
}

// Runs one scenario; returns its rows by name (flood makes two).
async function runScenario(sc, servers) {
	const ts = Date.now();
	const out = {};
	if (sc === 'floor' || sc === 'pgfloor') {
		log(sc === 'floor' ? `floor: build/bench-floor, ${K.games} games` : `pgfloor: pgbench at ${2 * K.fanoutRate} commits/s`);
		try {
			out[sc] = sc === 'floor' ? await floorScenario() : await pgFloorScenario();
		} catch (e) {
			log(`${sc} failed: ${e.stack}`);
			out[sc] = { failed: String(e.message) };
		}
		log(`${sc}: done in ${((Date.now() - ts) / 1000).toFixed(1)} s`);
		return out;
	}
	let srv;
	if (sc.startsWith('ref-')) srv = await startRef(sc);
	else srv = await startKore(sc, sc.endsWith('-1w') || sc === 'flood' ? 1 : K.workers);
	servers.push(srv);
	live.add(srv.proc);
	log(`${sc}: ${srv.kind} at ${srv.url} (log ${srv.logFile})`);
	try {
		if (sc === 'capacity') out[sc] = await capacityScenario(srv, K.capConns);
		else if (sc === 'play' || sc === 'play-1w' || sc.startsWith('ref-')) out[sc] = await playScenario(srv, { games: K.games });
		else if (sc === 'fanout' || sc === 'fanout-1w') out[sc] = await playScenario(srv, { games: K.fanoutGames, rate: K.fanoutRate });
		else if (sc === 'poll') out[sc] = await playScenario(srv, { games: K.games, pollShare: K.pollShare });
		else if (sc === 'flood') {
			out['flood-off'] = await playScenario(srv, { games: K.floodGames, rate: K.floodRate });
			out['flood-on'] = await playScenario(srv, { games: K.floodGames, rate: K.floodRate, flood: K.floodSockets });
		}
		else throw new Error(`unknown scenario ${sc}`);
	} catch (e) {
		log(`${sc} failed: ${e.stack}`);
		out[sc] = { failed: String(e.message) };
	} finally {
		await kill(srv.proc);
	}
	log(`${sc}: done in ${((Date.now() - ts) / 1000).toFixed(1)} s`);
	return out;
}

// The figure a round is ranked by, for the median of BENCH_ROUNDS.
const rankOf = (r) => r.usPerPlay ?? r.commit?.p99 ?? r.rssPerConn ?? 0;

// With BENCH_ROUNDS > 1 the scenarios run in turn that many times, so
// that Kore and the references meet the same moments of a machine whose
// speed drifts; each row is then its median round, and every round's
// figure is kept beside it.
function medianRounds(all) {
	const res = {};
	for (const [name, runs] of Object.entries(all)) {
		const ok = runs.filter((r) => !r.failed);
		if (!ok.length) {
			res[name] = runs[0];
			continue;
		}
		const sorted = [...ok].sort((x, y) => rankOf(x) - rankOf(y));
		res[name] = { ...sorted[Math.floor((sorted.length - 1) / 2)], rounds: ok.map(rankOf) };
	}
	return res;
}

async function main() {
	log('knobs', JSON.stringify(K));
	const all = {};
	const servers = [];
	const t0 = Date.now();
	try {
		for (let round = 1; round <= K.rounds; round++) {
			if (K.rounds > 1) log(`round ${round} of ${K.rounds}`);
			for (const sc of which) {
				for (const [name, r] of Object.entries(await runScenario(sc, servers)))
					(all[name] ??= []).push(r);
			}
		}
	} finally {
		for (const s of servers) await kill(s.proc);
		if (pgPid && !process.env.BENCH_KEEP_PG) execFileSync(join(ROOT, 'bench/pg.sh'), ['stop']);
	}
	const res = medianRounds(all);
	writeFileSync(join(OUT, 'results.json'), JSON.stringify({ knobs: K, results: res }, null, 2));
	console.log(`\n# make bench: server figures (${new Date().toISOString()}, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
	console.log(`server on CPU ${K.serverCpus} (PostgreSQL too), load generator on CPU ${K.clientCpus}; kore WORKERS=${K.workers}; ${K.duration} s windows after ${K.warmup} s warm-up`);
	if (res.capacity && !res.capacity.failed) printCap(res.capacity);
	const rows = ['play', 'play-1w', 'fanout', 'fanout-1w', 'poll', 'flood-off', 'flood-on', 'floor', 'ref-node', 'ref-python'].filter((n) => res[n] && !res[n].failed).map((n) => [n, res[n]]);
	if (rows.length) printPlay(rows);
	if (K.rounds > 1) {
		console.log(`\n${K.rounds} rounds; each row is the median round. Per round (µs per play; pgfloor: commit p99 ms; capacity: bytes per conn):\n`);
		for (const [n, v] of Object.entries(res)) if (v.rounds) console.log(`- ${n}: ${v.rounds.map((x) => f(x, x < 10 ? 2 : 0)).join(', ')}`);
	}
	printTargets(Object.fromEntries(Object.entries(res).filter(([, v]) => !v.failed)));
	for (const [n, v] of Object.entries(res)) if (v.failed) console.log(`\n${n}: FAILED: ${v.failed}`);
	for (const [n, v] of Object.entries(res)) if (v.firstError) console.log(`${n}: first error seen: ${v.firstError}`);
	console.log('\nresults: build/bench/results.json');
}

main().catch((e) => { console.error(e); process.exit(1); });
