// Starts a real server (scripts/serve.sh) for one test file: a free port, a
// random JWT key, the database from DATABASE_URL, its output in a log file
// under build/test-logs/, and a stop that never leaves processes behind.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const LOG_DIR = process.env.TEST_LOG_DIR || join(ROOT, 'build', 'test-logs');

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

// Every server still running when the process exits is killed, so a test
// that throws cannot leave a Kore process holding its port.
const running = new Set();
process.on('exit', () => {
	for (const s of running) killGroup(s.proc, 'SIGKILL');
	running.clear();
});

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolvePort(port));
		});
	});
}

/** A random HS256 key for one server. */
export function randomSecret() {
	return randomBytes(32).toString('hex');
}

function killGroup(proc, signal) {
	// serve.sh may not exec Kore, and Kore forks workers: signal the whole
	// process group the child leads (members may outlive the leader).
	try {
		process.kill(-proc.pid, signal);
	} catch {
		if (proc.exitCode === null && proc.signalCode === null) {
			try { proc.kill(signal); } catch { /* already gone */ }
		}
	}
}

function tail(file, lines = 40) {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch (e) {
		return `(no log: ${e.message})`;
	}
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/**
 * Starts scripts/serve.sh (or $TEST_SERVE_SCRIPT) and waits until GET /healthz answers (any status).
 *
 * options: workers (default 1), name (used in the log file name), port
 * (default a free one; give the old one to restart a server in place),
 * secret (default random), env (extra environment), databaseUrl
 * (default process.env.DATABASE_URL).
 *
 * Returns { port, url, secret, logFile, proc, logTail(), kill(), stop() }.
 */
export async function startServer(options = {}) {
	const workers = options.workers ?? 1;
	const secret = options.secret ?? randomSecret();
	const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
	if (!databaseUrl) {
		throw new Error('DATABASE_URL is unset: run the integration tests with `make test-integration`');
	}
	// TEST_SERVE_SCRIPT runs the same tests against another server (a
	// reference implementation, say); by default the project's own.
	const serve = process.env.TEST_SERVE_SCRIPT || join(ROOT, 'scripts', 'serve.sh');
	let cmd = serve;
	let args = [];
	try {
		accessSync(serve, constants.X_OK);
	} catch {
		accessSync(serve, constants.R_OK); // throws a clear ENOENT if missing
		cmd = 'bash';
		args = [serve];
	}

	const port = options.port ?? await freePort();
	mkdirSync(LOG_DIR, { recursive: true });
	const name = (options.name ?? 'server').replace(/[^A-Za-z0-9_.-]/g, '_');
	const logFile = join(LOG_DIR, `${name}-w${workers}-${port}.log`);
	const fd = openSync(logFile, 'w');
	const proc = spawn(cmd, args, {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			WORKERS: String(workers),
			JWT_SECRET: secret,
			DATABASE_URL: databaseUrl,
			...(options.env ?? {}),
		},
		stdio: ['ignore', fd, fd],
		detached: true, // its own process group, killed as one
	});
	closeSync(fd);

	const url = `http://127.0.0.1:${port}`;
	let exited = null;
	const exitPromise = new Promise((r) => proc.once('exit', (code, signal) => {
		exited = { code, signal };
		r(exited);
	}));
	const server = {
		port,
		url,
		secret,
		workers,
		logFile,
		proc,
		logTail: (lines) => tail(logFile, lines),
		/** SIGKILL, as a crash would: nothing gets to clean up. */
		async kill() {
			killGroup(proc, 'SIGKILL');
			const result = exited ?? await exitPromise;
			running.delete(server);
			return result;
		},
		async stop() {
			if (exited) {
				killGroup(proc, 'SIGKILL');
				running.delete(server);
				return exited;
			}
			killGroup(proc, 'SIGTERM');
			const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), STOP_GRACE_MS);
			const result = await exitPromise;
			clearTimeout(timer);
			// Workers that outlived their parent go with the group.
			killGroup(proc, 'SIGKILL');
			running.delete(server);
			return result;
		},
	};
	running.add(server);

	const deadline = Date.now() + READY_TIMEOUT_MS;
	for (;;) {
		if (exited) {
			throw new Error(`server exited before it was ready (${JSON.stringify(exited)}); ` +
			    `log ${logFile}:\n${tail(logFile)}`);
		}
		try {
			const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
			await res.arrayBuffer();
			return server;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(`server not answering GET /healthz after ${READY_TIMEOUT_MS / 1000} s; ` +
			    `log ${logFile}:\n${tail(logFile)}`);
		}
		await sleep(100);
	}
}
