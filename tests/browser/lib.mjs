// Browser-test helpers: Debian's Chromium driven by playwright-core (never
// a downloaded browser), a fresh profile per run, screenshots under
// build/test-artifacts/, and a server restart on the same port (the UI
// must reconnect to the address it was loaded from).

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { LOG_DIR, ROOT } from '../integration/lib/server.mjs';

export const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR || join(ROOT, 'build', 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];

/**
 * Launches Chromium; playwright gives it a fresh temporary profile (its own
 * --user-data-dir) and removes it on close.  Returns { browser, close }.
 * Contexts made from it are isolated from each other (own storage).
 */
export async function launch() {
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
	});
	return {
		browser,
		async close() {
			await browser.close().catch(() => {});
		},
	};
}

/** A page in its own context, with its console errors collected. */
export async function newPage(browser, baseURL, { width = 1280, height = 900, name } = {}) {
	const context = await browser.newContext({ baseURL, viewport: { width, height } });
	const page = await context.newPage();
	// Uncaught exceptions fail the test; console errors (a refused
	// WebSocket while the server restarts, say) are only kept for reading.
	page.errors = [];
	page.consoleErrors = [];
	page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') page.consoleErrors.push(`${name}: ${m.text()}`);
	});
	page.setDefaultTimeout(15_000);
	return page;
}

export async function shot(page, name, { fullPage = true } = {}) {
	mkdirSync(ARTIFACTS, { recursive: true });
	const path = join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path, fullPage });
	return path;
}

function killGroup(proc, signal) {
	try { process.kill(-proc.pid, signal); } catch { /* gone */ }
}

/**
 * Stops `server` and starts scripts/serve.sh again on the same port, key
 * and database.  Returns { stop() } for the new process.
 */
export async function restartSamePort(server, { workers = 1 } = {}) {
	await server.stop();
	mkdirSync(LOG_DIR, { recursive: true });
	const fd = openSync(join(LOG_DIR, `browser-restart-${server.port}.log`), 'w');
	const proc = spawn(join(ROOT, 'scripts', 'serve.sh'), [], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(server.port), WORKERS: String(workers),
			JWT_SECRET: server.secret },
		stdio: ['ignore', fd, fd],
		detached: true,
	});
	closeSync(fd);
	const bye = () => killGroup(proc, 'SIGKILL');
	process.on('exit', bye);
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(1000) });
			await res.arrayBuffer();
			break;
		} catch {
			if (Date.now() > deadline) { bye(); throw new Error('restarted server not ready'); }
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	return {
		async stop() {
			killGroup(proc, 'SIGTERM');
			await new Promise((r) => {
				if (proc.exitCode !== null || proc.signalCode !== null) r();
				else { proc.once('exit', r); setTimeout(r, 3000); }
			});
			bye();
		},
	};
}
