// The demo data of `make run` (scripts/demo.sh) on an empty database: two
// users who can log in, their teams, and a game already in progress that
// the server loads and plays on.  Run twice, it leaves the demo as it is.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join as pathJoin } from 'node:path';
import { after, describe, test } from 'node:test';

import { closeAll } from './lib/client.mjs';
import { api, join, ok, player } from './lib/game.mjs';
import { ROOT, startServer } from './lib/server.mjs';

const DEMO_GAME = '00000000-0000-4000-8000-00000000d0e0';

function dbUrl(name) {
	const u = new URL(process.env.DATABASE_URL);
	u.pathname = `/${name}`;
	return u.toString();
}

function psql(url, sql) {
	return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
	    { encoding: 'utf8' }).trim();
}

/** Runs scripts/<name> on `url`; returns what it said (stdout and stderr). */
function script(name, url) {
	const r = spawnSync(pathJoin(ROOT, 'scripts', name), [],
	    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } });
	assert.equal(r.status, 0, `${name}: ${r.stderr}`);
	return r.stdout + r.stderr;
}

describe('demo data', () => {
	const name = `pd_demo_${randomBytes(4).toString('hex')}`;
	let server;
	after(async () => {
		closeAll();
		await server?.stop();
		psql(dbUrl('postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	});

	test('scripts/demo.sh on an empty database: users, teams, a game in progress', async () => {
		assert.ok(process.env.DATABASE_URL, 'DATABASE_URL is unset: run with `make test-integration`');
		psql(dbUrl('postgres'), `CREATE DATABASE ${name}`);
		const url = dbUrl(name);
		script('migrate.sh', url);
		script('demo.sh', url);
		const counts = () => psql(url, `SELECT (SELECT count(*) FROM games WHERE id = '${DEMO_GAME}' ` +
		    `AND status = 'in_progress') || ',' || (SELECT count(*) FROM plays) || ',' || ` +
		    `(SELECT count(*) FROM game_events) || ',' || (SELECT max(seq) FROM game_events)`);
		const first = counts().split(',').map(Number);
		assert.equal(first[0], 1, 'the demo game');
		assert.ok(first[1] > 0, 'the demo game has plays');
		assert.equal(first[2], first[3], 'its event log runs 1..seq');
		assert.match(script('demo.sh', url), /already there/);
		assert.deepEqual(counts().split(',').map(Number), first, 'a second run changes nothing');

		server = await startServer({ workers: 1, name: 'demo', databaseUrl: url });
		const login = await api(server, 'POST', '/api/auth/login',
		    { body: { username: 'alice', password: 'dynasty-alice' } });
		assert.equal(login.status, 200, JSON.stringify(login.body));
		const res = await api(server, 'GET', `/api/games/${DEMO_GAME}`, { token: login.body.token });
		assert.equal(res.status, 200, JSON.stringify(res.body));
		assert.equal(res.body.play_number, first[1]);
		// Alice manages the away team and is the admin: she can play on.
		const s = await player(server, { token: login.body.token });
		await join(s, DEMO_GAME);
		const roll = await ok(s, 'roll_dice', { game_id: DEMO_GAME });
		assert.equal(roll.game_id, DEMO_GAME);
	});
});
