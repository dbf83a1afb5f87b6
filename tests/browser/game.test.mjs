// The web UI end to end: two managers and a spectator, each in their own
// browser context (Debian's Chromium, headless), sign up, build teams,
// create and join a game, and play the top of the first inning through the
// page: decisions (with only valid choices enabled), dice, outcomes with
// hit location, a substitution, a refused action shown in plain words, a
// reload in the middle of a roll, a dropped connection and a server restart,
// and the half-inning change seen by everyone.  Screenshots go to
// build/test-artifacts/.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { startServer } from '../integration/lib/server.mjs';
import { launch, newPage, restartSamePort, shot } from './lib.mjs';

const PASSWORD = 'correct horse battery';

/** Waits until `sel`'s text matches `re` (strings match as substrings). */
async function waitText(page, sel, re, timeout = 15_000) {
	const src = re instanceof RegExp ? re.source : re.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const flags = re instanceof RegExp ? re.flags : '';
	try {
		await page.waitForFunction(([s, r, f]) => {
			const n = document.querySelector(s);
			return n && new RegExp(r, f).test(n.textContent);
		}, [sel, src, flags], { timeout });
	} catch (e) {
		const now = await page.$eval(sel, (n) => n.textContent).catch(() => '(missing)');
		throw new Error(`${sel} never matched ${re}; it says: ${now.slice(0, 400)}; ${await dump(page)}`);
	}
}

/** The page's game bookkeeping, for failure messages. */
function dump(page) {
	return page.evaluate(() => {
		const g = window.__pd.game;
		if (!g) return 'no game';
		return JSON.stringify({ role: g.role, joined: g.joined, syncing: g.syncing, resyncing: g.resyncing,
			lastSeq: g.lastSeq, queued: g.queue.length, seq: g.state?.seq, play: g.state?.play_number,
			roll: !!g.state?.pending_roll, conn: document.querySelector('#conn').textContent,
			log: g.log.slice(-6) });
	}).catch((e) => `dump failed: ${e.message}`);
}

async function signUp(page, prefix) {
	const username = `${prefix}_${randomUUID().slice(0, 8)}`;
	await page.goto('/');
	await page.getByLabel('Username').nth(1).fill(username);
	await page.getByLabel('Password').nth(1).fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.waitForSelector('#view-lobby:not([hidden])');
	await waitText(page, '#who', username);
	return username;
}

async function createTeam(page, abbrev, name) {
	await page.getByLabel('Abbreviation').fill(abbrev);
	await page.getByLabel('Team name').fill(name);
	await page.getByRole('button', { name: 'Create team' }).click();
	await waitText(page, '#roster-h', abbrev);
	const rows = await page.$$eval('#roster-table tbody tr', (r) => r.length);
	assert.ok(rows >= 22, `starter roster has ${rows} cards`);
	const pitchers = await page.$$eval('#roster-table tbody tr td:nth-child(2)',
		(c) => c.filter((x) => x.textContent === 'P').length);
	assert.ok(pitchers >= 9, `${pitchers} pitchers`);
}

async function waitJoined(page) {
	await page.waitForSelector('#view-game:not([hidden])');
	await page.waitForSelector('#conn.conn-ok', { timeout: 20_000 });
	await waitText(page, '#turn-text', /\S/);
}

/** The state the page is drawing (the contract's state object). */
function pageState(page) {
	return page.evaluate(() => window.__pd.game?.state);
}

async function waitPlay(page, n) {
	await page.waitForFunction((k) => (window.__pd.game?.state?.play_number ?? 0) >= k, n,
		{ timeout: 20_000 });
}

async function roll(page) {
	// From the keyboard: focus the button, press Enter.
	await page.focus('#roll-btn');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#outcome-form:not([hidden])');
	await page.waitForFunction(() => document.activeElement?.id === 'oc-outcome');
	return page.$eval('#die-white', (d) => Number(d.dataset.value));
}

async function submitOutcome(page, outcome, location) {
	await page.getByLabel('Result').selectOption(outcome);
	if (location) {
		await page.waitForSelector('#oc-loc-wrap:not([hidden])');
		await page.getByLabel('Hit location').selectOption(location);
	} else {
		assert.equal(await page.isHidden('#oc-loc-wrap'), true, `${outcome} asks for no location`);
	}
	await page.getByRole('button', { name: 'Submit outcome' }).click();
}

describe('web UI: a half-inning by two managers and a spectator', () => {
	let server, restarted, b, away, home, fan;
	let gameId;
	const tag = randomUUID().slice(0, 3).toUpperCase().replace(/[^A-Z0-9]/g, 'X');
	const awayAbbrev = `A${tag}`;
	const homeAbbrev = `H${tag}`;

	before(async () => {
		// BROWSER_WORKERS=2 runs the same pages against two Kore workers.
		server = await startServer({ name: 'browser', workers: Number(process.env.BROWSER_WORKERS || 1),
			env: { RATE_LIMITS: 'off' } });
		b = await launch();
		away = await newPage(b.browser, server.url, { name: 'away' });
		home = await newPage(b.browser, server.url, { name: 'home' });
		// The spectator is on a phone-sized screen.
		fan = await newPage(b.browser, server.url, { name: 'fan', width: 390, height: 844 });
	});

	after(async () => {
		for (const p of [away, home, fan]) {
			if (p?.consoleErrors?.length) console.log(`console errors:\n  ${p.consoleErrors.join('\n  ')}`);
		}
		await b?.close();
		await restarted?.stop();
		await server?.stop();
	});

	test('static files: index, assets, Socket.IO client, 404 and no traversal', async () => {
		const idx = await fetch(`${server.url}/`);
		assert.equal(idx.status, 200);
		assert.match(idx.headers.get('content-type'), /^text\/html/);
		assert.match(await idx.text(), /<title>Paper Dynasty<\/title>/);
		const etag = idx.headers.get('etag');
		assert.ok(etag);
		assert.equal((await fetch(`${server.url}/`, { headers: { 'if-none-match': etag } })).status, 304);
		for (const [path, type] of [['/assets/app.js', /^text\/javascript/], ['/assets/style.css', /^text\/css/],
			['/assets/socket.io.min.js', /^text\/javascript/]]) {
			const r = await fetch(`${server.url}${path}`);
			assert.equal(r.status, 200, path);
			assert.match(r.headers.get('content-type'), type, path);
			await r.arrayBuffer();
		}
		for (const path of ['/assets/nope.js', '/assets/..%2Fkore.conf', '/assets/.hidden',
			'/assets/%2e%2e%2fkore.conf', '/assets/index', '/assets/../kore.conf']) {
			const r = await fetch(`${server.url}${path}`);
			assert.equal(r.status, 404, path);
			await r.arrayBuffer();
		}
	});

	test('sign up, teams with starter rosters, a game, and everyone in it', async () => {
		await signUp(away, 'away');
		await createTeam(away, awayAbbrev, 'Visitors');
		const homeUser = await signUp(home, 'home');
		await createTeam(home, homeAbbrev, 'Hosts');
		await signUp(fan, 'fan');
		await shot(home, '01-lobby');

		// The away manager picks the home manager's team from the list.
		await away.reload();
		await away.waitForSelector('#view-lobby:not([hidden])');
		const opp = await away.$eval('#ng-opp', (s, who) => [...s.options]
			.find((o) => o.textContent.includes(who))?.value, homeUser);
		assert.ok(opp, 'the home team is offered as an opponent');
		await away.getByLabel('Opponent').selectOption(opp);
		await away.getByRole('button', { name: 'Create game' }).click();
		await away.waitForURL(/#\/game\//);
		gameId = away.url().split('/').pop();
		await waitJoined(away);

		// The home manager finds it in his games.
		await home.getByRole('button', { name: 'Refresh' }).click();
		await home.click(`#games-table tr[data-game-id="${gameId}"] >> text=Play`);
		await waitJoined(home);

		// The spectator opens it by id.
		await fan.getByLabel('Game id').fill(gameId);
		await fan.getByRole('button', { name: 'Watch' }).click();
		await waitJoined(fan);
		await waitText(fan, '#role-badge', 'Spectating');
		assert.equal(await fan.isHidden('#actions'), true, 'a spectator has no actions');
		assert.equal(await fan.isVisible('#readonly-note'), true);
		await waitText(away, '#play-log', /manager joined/);

		assert.equal(await away.isVisible('#roll-btn'), true);
		assert.equal(await away.isHidden('#def-form'), true, 'the batting side has no defense form');
		assert.equal(await home.isVisible('#def-form'), true);
		assert.equal(await home.isHidden('#roll-btn'), true, 'the fielding side cannot roll');
		await waitText(fan, '#game-status', 'Top of the 1st, 0 outs');
	});

	test('decisions: only valid choices enabled, defense first, broadcast to all', async () => {
		// Bases empty: no holds, no steals, no hit-and-run; offense waits for defense.
		for (const n of [1, 2, 3]) assert.equal(await home.isDisabled(`#hold-${n}`), true, `hold ${n}`);
		assert.equal(await away.isDisabled('#off-submit'), true, 'offense decides after the defense');
		await waitText(away, '#off-note', 'defense decides first');

		await home.getByLabel('Alignment').selectOption('shifted_left');
		await home.getByLabel('Infield depth').selectOption('in');
		await home.getByRole('button', { name: 'Set defense' }).click();
		for (const p of [away, home, fan]) await waitText(p, '#play-log', 'Defense: shifted left alignment, infield in');

		await away.waitForSelector('#off-submit:not([disabled])');
		for (const n of [2, 3, 4]) assert.equal(await away.isDisabled(`#steal-${n}`), true, `steal ${n}`);
		assert.equal(await away.isDisabled('#off-hr'), true, 'no hit-and-run without a runner on first');
		await away.getByLabel('Approach').selectOption('power');
		await away.getByRole('button', { name: 'Set offense' }).click();
		for (const p of [away, home, fan]) await waitText(p, '#play-log', 'Offense: power approach');
		await waitText(home, '#def-note', 'Locked');
		await shot(home, '02-home-decisions');
	});

	test('a refused action is shown in plain words', async () => {
		// The away starter has faced nobody yet: the server refuses the change.
		await away.getByLabel('Kind').selectOption('pitching_change');
		await away.getByRole('button', { name: 'Make substitution' }).click();
		await waitText(away, '#notices', /Substitution refused: .+/);
		const text = await away.$eval('#notices', (n) => n.textContent);
		assert.match(text, /pitcher/i);
		await shot(away, '03-error-shown');
		await away.getByLabel('Kind').selectOption('pinch_hitter');
	});

	test('roll, reload in the middle of it, then an outcome everyone sees', async () => {
		const white = await roll(away);
		for (const p of [home, fan]) {
			await p.waitForSelector('#dice:not([hidden])').catch(async (e) => {
				throw new Error(`${e.message}\n${await dump(p)}`);
			});
		}
		for (const p of [home, fan]) {
			assert.equal(await p.$eval('#die-white', (d) => Number(d.dataset.value)), white);
		}
		const row = await away.$eval('#row-total', (n) => n.textContent);
		await waitText(fan, '#read-card', new RegExp(`${white <= 3 ? 'batter' : 'pitcher'}'s card .*column ${white}, row ${row}`));
		assert.equal(await home.isHidden('#outcome-form'), true, 'only the batting side submits');

		// A reload restores the screen: the roll, and the form to answer it.
		await away.reload();
		await waitJoined(away);
		await away.waitForSelector('#outcome-form:not([hidden])');
		assert.equal(await away.$eval('#die-white', (d) => Number(d.dataset.value)), white);
		assert.equal(await away.$eval('#row-total', (n) => n.textContent), row);
		await waitText(away, '#play-log', 'Defense: shifted left');
		await shot(away, '04-away-after-reload');

		await submitOutcome(away, 'single_1');
		for (const p of [away, home, fan]) {
			await waitPlay(p, 1);
			await p.waitForSelector('#runner-names li[data-base="1"]');
		}
		await waitText(fan, '#play-log', '#1');
		assert.equal((await pageState(fan)).runners['1'] !== null, true);
	});

	test('with a runner on first: hold, hit-and-run and steal of second open up', async () => {
		await home.waitForSelector('#hold-1:not([disabled])');
		assert.equal(await home.isDisabled('#hold-2'), true);
		await home.check('#hold-1');
		await home.getByRole('button', { name: 'Set defense' }).click();
		await waitText(fan, '#play-log', 'holding 1st');

		await away.waitForSelector('#off-hr:not([disabled])');
		assert.equal(await away.isDisabled('#steal-2'), false);
		assert.equal(await away.isDisabled('#steal-3'), true);
		assert.equal(await away.isDisabled('#steal-4'), true);
		await away.check('#off-hr');
		await away.getByRole('button', { name: 'Set offense' }).click();
		await waitText(fan, '#play-log', 'hit-and-run');
	});

	test('a pinch hitter from the bench', async () => {
		await away.getByLabel('Kind').selectOption('pinch_hitter');
		const batter = (await pageState(away)).current_batter;
		const outs = await away.$$eval('#sub-out option', (o) => o.map((x) => Number(x.value)));
		assert.deepEqual(outs, [batter.lineup_id], 'only the current batter can be pinch hit for');
		const inName = await away.$eval('#sub-in', (s) => s.selectedOptions[0].textContent.replace(/ \(.*$/, ''));
		await away.getByRole('button', { name: 'Make substitution' }).click();
		for (const p of [away, home, fan]) {
			await waitText(p, '#play-log', /Pinch hitter/i);
			await waitText(p, '#cur-batter', inName);
		}
		await waitText(fan, '#lineup-away', inName);
	});

	test('a dropped connection loses nothing', async () => {
		// The spectator's connection goes; a play happens meanwhile.
		await fan.evaluate(() => window.__pd.socket.disconnect());
		await fan.waitForSelector('#conn:not(.conn-ok)');
		await roll(away);
		await submitOutcome(away, 'strikeout');
		await waitPlay(home, 2);
		await fan.evaluate(() => window.__pd.socket.connect());
		await fan.waitForSelector('#conn.conn-ok');
		await waitPlay(fan, 2);
		await waitText(fan, '#play-log', '#2');
		await waitText(fan, '#game-status', '1 out');
		// Everything in between arrived too, in order.
		const log = await fan.$$eval('#play-log li', (l) => l.map((x) => x.textContent).reverse());
		const i = log.findIndex((t) => t.startsWith('Dice'));
		assert.ok(i >= 0, 'the missed dice roll is in the log');
	});

	test('a server restart: every page reconnects and play goes on', async () => {
		const drops = await Promise.all([away, home, fan].map((p) => p.evaluate(() => window.__pd.drops)));
		restarted = await restartSamePort(server, { workers: server.workers });
		for (const [i, p] of [away, home, fan].entries()) {
			await p.waitForFunction((n) => window.__pd.drops > n, drops[i], { timeout: 30_000 });
			await p.waitForSelector('#conn.conn-ok', { timeout: 30_000 });
		}
		await shot(fan, '05-fan-after-restart');
		const st = await pageState(away);
		assert.equal(st.outs, 1);
		assert.ok(st.runners['1']);

		// A double play ends the half-inning.
		await roll(away);
		await submitOutcome(away, 'groundball_a', 'SS');
		for (const p of [away, home, fan]) {
			await waitPlay(p, 3);
			await waitText(p, '#game-status', 'Bottom of the 1st, 0 outs');
		}
		const st2 = await pageState(fan);
		assert.equal(st2.half, 'bottom');
		assert.equal(st2.batting_team_id, st.fielding_team_id);
		// The sides change: the home manager now rolls, the away one fields.
		await home.waitForSelector('#roll-btn', { state: 'visible' });
		await away.waitForSelector('#def-form', { state: 'visible' });
		assert.equal(await away.isHidden('#roll-btn'), true);
		assert.equal(await home.isHidden('#def-form'), true, await home.evaluate(() => JSON.stringify({
			f: window.__pd.game.state.fielding_team_id, b: window.__pd.game.state.batting_team_id,
			mine: [...window.__pd.game.myTeams], h: document.querySelector('#def-form').hidden,
			vis: getComputedStyle(document.querySelector('#def-form')).display })));
		await waitText(fan, '#linescore tbody tr:first-child', /0/);
	});

	test('box score, and the pictures of it', async () => {
		await fan.click('#box summary');
		await waitText(fan, '#box-body', awayAbbrev);
		const rows = await fan.$$eval('#box-body table tbody tr', (r) => r.length);
		assert.ok(rows >= 20, `${rows} box-score rows`);
		await shot(away, '06-away-bottom-1st');
		await shot(home, '07-home-bottom-1st');
		await shot(fan, '08-fan-phone');
		await fan.evaluate(() => window.scrollTo(0, 0));
		await shot(fan, '09-fan-phone-screen', { fullPage: false });
		for (const p of [away, home, fan]) assert.deepEqual(p.errors, []);
	});
});
