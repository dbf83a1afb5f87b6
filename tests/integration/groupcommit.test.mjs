// Group commit (src/store/gamestore.c): commits that queue while a batch
// runs go to PostgreSQL together, several games in one transaction, and
// each still gets its own answer.  Over the wire, against the real server
// and the real database, with one Kore worker and with two:
//
// - many games played at once lose and duplicate nothing (plays,
//   game_events, rolls, request_game_state and the room streams agree with
//   the acks), and really share transactions: plays rows written by one
//   transaction share their xmin, and some xmin holds plays of several games;
// - a commit that the database rejects (a trigger on plays that raises for
//   one game) is answered INTERNAL_ERROR, while the games batched with it
//   are saved: /metrics counts one more database error than refusals for
//   each batch that failed whole and was split; once the trigger is gone
//   the poisoned game resolves the same roll and plays on;
// - values that SQL or an array literal would need to quote (user ids with
//   quotes, backslashes, commas, braces, and the text NULL) arrive intact.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { closeAll, emitAck } from './lib/client.mjs';
import { api, assertSeqContinuous, createTeam, join, ok, player, setupGame } from './lib/game.mjs';
import { validToken } from './lib/jwt.mjs';
import { startServer } from './lib/server.mjs';

const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const GAMES = 24;		// played at once in the first test
const PLAYS = 8;		// roll + outcome, per game
const BYSTANDERS = 10;		// games played next to the poisoned one
const NEEDS_LOCATION = new Set(['groundball_b', 'flyball_a', 'popout', 'lineout']);
const OUTCOMES = ['single', 'strikeout', 'walk', 'groundball_b', 'double', 'flyball_a',
    'homerun', 'popout', 'lineout', 'single'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One psql command against $DATABASE_URL; returns its unaligned output. */
async function psql(sql) {
	if (!process.env.DATABASE_URL) {
		throw new Error('DATABASE_URL is unset: run the integration tests with `make test-integration`');
	}
	const { stdout } = await run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
	    '-d', process.env.DATABASE_URL, '-c', sql], { timeout: 15_000 });
	return stdout.trim();
}

/** A query's rows as JSON. */
async function rows(sql) {
	return JSON.parse(await psql(`SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t`));
}

function idList(ids) {
	for (const id of ids) assert.match(id, UUID);
	return `ARRAY[${ids.map((id) => `'${id}'`).join(',')}]::uuid[]`;
}

/** pd_db_query_errors_total from /metrics (all workers). */
async function dbErrors(server) {
	const text = await (await fetch(`${server.url}/metrics`)).text();
	const m = /^pd_db_query_errors_total (\d+)$/m.exec(text);
	assert.ok(m, 'pd_db_query_errors_total in /metrics');
	return Number(m[1]);
}

/** A game with both managers connected and joined. */
async function readyGame(server) {
	const g = await setupGame(server);
	g.away.socket = await player(server, g.away);
	g.home.socket = await player(server, g.home);
	await join(g.away.socket, g.game_id);
	const joined = await join(g.home.socket, g.game_id);
	g.state = joined.state;
	g.acks = [];		// acknowledged plays, in order
	return g;
}

const offense = (g) => (g.state.batting_team_id === g.awayTeam.team_id ? g.away : g.home).socket;

function outcomePayload(g, i) {
	const outcome = OUTCOMES[i % OUTCOMES.length];
	const payload = { game_id: g.game_id, outcome };
	if (NEEDS_LOCATION.has(outcome)) payload.hit_location = 'CF';
	return payload;
}

/** Rolls and resolves `n` plays, each acknowledged. */
async function play(g, n, offset = 0) {
	for (let i = 0; i < n; i++) {
		const sock = offense(g);
		const roll = await ok(sock, 'roll_dice', { game_id: g.game_id });
		const ack = await ok(sock, 'submit_manual_outcome', outcomePayload(g, offset + i));
		assert.equal(ack.roll_id, roll.roll_id, `${g.game_id}: roll of play ${ack.play_number}`);
		assert.equal(ack.play_number, g.state.play_number + 1, `${g.game_id}: play number`);
		assert.equal(ack.state.seq, ack.seq);
		g.acks.push(ack);
		g.state = ack.state;
	}
}

/** What PostgreSQL holds for each game, by id. */
async function stored(games) {
	const list = await rows(`
	    SELECT g.id, g.seq,
	      (SELECT coalesce(json_agg(json_build_object('n', p.play_number, 'roll_id', p.roll_id,
	          'outcome', p.result->>'outcome') ORDER BY p.play_number), '[]')
	       FROM plays p WHERE p.game_id = g.id) AS plays,
	      (SELECT coalesce(json_agg(json_build_object('seq', e.seq, 'event', e.event,
	          'roll_id', e.data->>'roll_id') ORDER BY e.seq), '[]')
	       FROM game_events e WHERE e.game_id = g.id) AS events,
	      (SELECT coalesce(json_agg(json_build_object('roll_id', r.roll_id, 'status', r.status)
	          ORDER BY r.rolled_at, r.roll_id), '[]')
	       FROM roll_history r WHERE r.game_id = g.id) AS rolls
	    FROM games g WHERE g.id = ANY(${idList(games.map((g) => g.game_id))})`);
	return new Map(list.map((r) => [r.id, r]));
}

/**
 * Every acknowledged play is in the database once, in order, with its
 * room events; the event log's seqs run 1..games.seq without a gap.
 */
function assertStored(g, db) {
	const what = `game ${g.game_id}`;
	assert.ok(db, `${what}: no games row`);
	assert.deepEqual(db.plays.map((p) => p.n), g.acks.map((_, i) => i + 1), `${what}: play numbers`);
	assert.deepEqual(db.plays.map((p) => p.roll_id), g.acks.map((a) => a.roll_id), `${what}: roll ids`);
	assert.deepEqual(db.plays.map((p) => p.outcome), g.acks.map((a) => a.outcome), `${what}: outcomes`);
	assert.deepEqual(db.events.map((e) => e.seq), db.events.map((_, i) => i + 1), `${what}: event seqs`);
	assert.equal(db.seq, db.events.length, `${what}: games.seq against the event log`);
	assert.equal(db.seq, g.state.seq, `${what}: games.seq against the last ack`);
	const resolved = db.events.filter((e) => e.event === 'play_resolved');
	assert.deepEqual(resolved.map((e) => e.roll_id), g.acks.map((a) => a.roll_id),
	    `${what}: play_resolved events`);
	const rolled = db.events.filter((e) => e.event === 'dice_rolled');
	assert.deepEqual(rolled.map((e) => e.roll_id), g.acks.map((a) => a.roll_id),
	    `${what}: dice_rolled events`);
	for (const a of g.acks) {
		const ev = db.events.find((e) => e.event === 'play_resolved' && e.roll_id === a.roll_id);
		assert.equal(ev.seq, a.seq, `${what}: seq of play ${a.play_number}`);
	}
}

/** request_game_state answers the last acknowledged state. */
async function assertServerState(g) {
	const sync = await ok(g.away.socket, 'request_game_state', { game_id: g.game_id });
	assert.deepEqual(sync.state, g.state, `game ${g.game_id}: request_game_state`);
}

/** Both managers received every room event once, in order, up to the last ack. */
async function assertRoomStreams(g) {
	for (const s of [g.away.socket, g.home.socket]) {
		const deadline = Date.now() + 5000;
		while (s.roomEvents.at(-1)?.data.seq !== g.state.seq && Date.now() < deadline) await sleep(5);
		assertSeqContinuous(s.roomEvents, `game ${g.game_id}`);
		assert.equal(s.roomEvents.at(-1)?.data.seq, g.state.seq, `game ${g.game_id}: last room event`);
		const got = s.roomEvents.filter((e) => e.event === 'play_resolved').map((e) => e.data.roll_id);
		assert.deepEqual(got, g.acks.map((a) => a.roll_id), `game ${g.game_id}: play_resolved received`);
	}
}

/**
 * Transactions that wrote plays of these games: for each, how many games.
 * Rows written by one transaction share their xmin (plays are never
 * updated).
 */
async function playTransactions(games) {
	const list = await rows(`
	    SELECT xmin::text AS xid, count(DISTINCT game_id)::int AS games, count(*)::int AS plays
	    FROM plays WHERE game_id = ANY(${idList(games.map((g) => g.game_id))})
	    GROUP BY xmin::text ORDER BY 2 DESC`);
	return list;
}

for (const workers of [1, 2]) {
	describe(`group commit, WORKERS=${workers}`, () => {
		let server;
		const poison = `pd_test_poison_${randomBytes(6).toString('hex')}`;

		before(async () => {
			server = await startServer({ workers, name: 'groupcommit', env: { RATE_LIMITS: 'off' } });
		});

		after(async () => {
			// The trigger goes whatever happened, before anything else.
			await psql(`DROP TRIGGER IF EXISTS ${poison} ON plays; ` +
			    `DROP FUNCTION IF EXISTS ${poison}()`).catch((e) => {
				console.error(`could not drop ${poison}: ${e.message}`);
			});
			closeAll();
			await server?.stop();
		});

		test(`${GAMES} games at once: every acknowledged play stored once, games share transactions`, async (t) => {
			const t0 = Date.now();
			const games = await Promise.all(Array.from({ length: GAMES }, () => readyGame(server)));
			const t1 = Date.now();
			// All at once, so that commits queue behind each other.
			await Promise.all(games.map((g, k) => play(g, PLAYS, k)));
			t.diagnostic(`set-up ${t1 - t0} ms, plays ${Date.now() - t1} ms`);

			const db = await stored(games);
			for (const g of games) {
				assert.equal(g.acks.length, PLAYS);
				assertStored(g, db.get(g.game_id));
				for (const r of db.get(g.game_id).rolls) {
					assert.equal(r.status, 'used', `game ${g.game_id}: roll ${r.roll_id}`);
				}
			}
			await Promise.all(games.map(assertServerState));
			await Promise.all(games.map(assertRoomStreams));

			const txs = await playTransactions(games);
			const shared = txs.filter((x) => x.games > 1);
			t.diagnostic(`${GAMES * PLAYS} plays in ${txs.length} transactions; ` +
			    `${shared.length} wrote plays of several games (at most ${txs[0]?.games})`);
			assert.equal(txs.reduce((n, x) => n + x.plays, 0), GAMES * PLAYS);
			assert.ok(shared.length > 0,
			    `no transaction wrote plays of more than one game: commits were not batched ` +
			    `(${txs.length} transactions for ${GAMES * PLAYS} plays)`);
			assert.ok(txs.every((x) => x.plays === x.games), 'two plays of one game in one transaction');
		});

		test('quotes, backslashes, braces and "NULL" in values survive the batch', async () => {
			// A JWT's sub is the user id; any text up to 128 characters.
			const subs = [`q"u\\o{t,e}-${randomBytes(3).toString('hex')}`, `NULL`];
			const users = subs.map((sub) => ({ ...validToken(server.secret, { sub }), user_id: sub }));
			const abbrev = () => randomBytes(3).toString('hex').toUpperCase().slice(0, 5);
			const [awayTeam, homeTeam] = await Promise.all([
			    createTeam(server, users[0], abbrev()), createTeam(server, users[1], abbrev())]);
			const res = await api(server, 'POST', '/api/games', {
				token: users[0].token,
				body: { away_team_id: awayTeam.team_id, home_team_id: homeTeam.team_id },
			});
			assert.equal(res.status, 201, JSON.stringify(res.body));
			const g = { game_id: res.body.game_id, away: users[0], home: users[1], awayTeam, homeTeam };
			g.away.socket = await player(server, g.away);
			g.home.socket = await player(server, g.home);
			await join(g.away.socket, g.game_id);
			g.state = (await join(g.home.socket, g.game_id)).state;
			g.acks = [];
			const others = await Promise.all(Array.from({ length: 4 }, () => readyGame(server)));
			await Promise.all([play(g, 4), ...others.map((o, k) => play(o, 4, k))]);

			const db = (await stored([g])).get(g.game_id);
			assertStored(g, db);
			const who = await rows(`SELECT p.user_id AS play, r.user_id AS roll FROM plays p ` +
			    `JOIN rolls r USING (roll_id) WHERE p.game_id = ANY(${idList([g.game_id])}) ` +
			    `ORDER BY p.play_number`);
			assert.equal(who.length, g.acks.length);
			for (const w of who) {
				assert.ok(subs.includes(w.play), `plays.user_id ${JSON.stringify(w.play)}`);
				assert.equal(w.roll, w.play, 'the roller submitted the outcome');
			}
			assert.ok(who.some((w) => w.play === subs[0]), 'the quoted id was stored');
			await assertServerState(g);
		});

		test('a commit the database rejects fails alone; the games batched with it are saved', async (t) => {
			const bad = await readyGame(server);
			const others = await Promise.all(Array.from({ length: BYSTANDERS }, () => readyGame(server)));
			const roll = await ok(offense(bad), 'roll_dice', { game_id: bad.game_id });
			const rolledState = (await ok(bad.away.socket, 'request_game_state', { game_id: bad.game_id })).state;
			assert.equal(rolledState.pending_roll?.roll_id, roll.roll_id);
			const homeSeen = bad.home.socket.roomEvents.length;

			assert.match(bad.game_id, UUID);
			await psql(`
			    CREATE FUNCTION ${poison}() RETURNS trigger LANGUAGE plpgsql AS $$
			    BEGIN
			      IF NEW.game_id = '${bad.game_id}'::uuid THEN
			        RAISE EXCEPTION '${poison}: poisoned game %', NEW.game_id;
			      END IF;
			      RETURN NEW;
			    END $$;
			    CREATE TRIGGER ${poison} BEFORE INSERT ON plays
			      FOR EACH ROW EXECUTE FUNCTION ${poison}();`);
			const errors0 = await dbErrors(server);

			// The poisoned game submits again and again while the others play.
			let othersDone = false;
			const refusals = [];
			const poisoned = (async () => {
				const sock = offense(bad);
				for (let i = 0; !othersDone || i < 5; i++) {
					const a = await emitAck(sock, 'submit_manual_outcome',
					    outcomePayload(bad, i), 10_000);
					refusals.push(a);
					if (a.ok) break;
				}
			})();
			try {
				await Promise.all(others.map((g, k) => play(g, PLAYS, k)));
			} finally {
				othersDone = true;
				await poisoned;
			}
			const errors1 = await dbErrors(server);

			for (const a of refusals) {
				assert.equal(a.ok, false, `poisoned game: ${JSON.stringify(a)}`);
				assert.equal(a.error?.code, 'INTERNAL_ERROR', JSON.stringify(a));
				assert.equal(a.error?.message, 'Could not save - try again', JSON.stringify(a));
			}
			// Each refusal failed alone once; a batch it was in failed before.
			const splits = errors1 - errors0 - refusals.length;
			t.diagnostic(`${refusals.length} poisoned commits refused; ` +
			    `${splits} batches failed whole and were split`);
			assert.ok(splits >= 0 && splits <= refusals.length,
			    `${errors1 - errors0} database errors for ${refusals.length} poisoned commits`);
			assert.ok(splits > 0, 'the poisoned commit was never batched with others');
			const log = readFileSync(server.logFile, 'utf8');
			assert.ok(log.includes(`${poison}: poisoned game ${bad.game_id}`),
			    'the trigger\'s error is in the server log');

			// Everyone else's plays are saved and answered.
			const db = await stored([bad, ...others]);
			for (const g of others) {
				assert.equal(g.acks.length, PLAYS);
				assertStored(g, db.get(g.game_id));
			}
			await Promise.all(others.map(assertServerState));
			await Promise.all(others.map(assertRoomStreams));
			const txs = await playTransactions(others);
			t.diagnostic(`bystanders: ${BYSTANDERS * PLAYS} plays in ${txs.length} transactions`);

			// Nothing of the poisoned game's play was written or broadcast.
			const b = db.get(bad.game_id);
			assert.deepEqual(b.plays, [], 'poisoned game: plays');
			assert.deepEqual(b.events.map((e) => e.seq), b.events.map((_, i) => i + 1), 'poisoned game: seqs');
			assert.equal(b.seq, roll.seq, 'poisoned game: games.seq');
			assert.ok(!b.events.some((e) => e.event === 'play_resolved'), 'poisoned game: play_resolved');
			assert.deepEqual(b.rolls, [{ roll_id: roll.roll_id, status: 'pending' }], 'poisoned game: roll');
			assert.ok(!bad.home.socket.roomEvents.slice(homeSeen).some((e) => e.event === 'play_resolved'),
			    'poisoned game: play_resolved broadcast');
			const sync = await ok(bad.away.socket, 'request_game_state', { game_id: bad.game_id });
			assert.equal(sync.state.play_number, 0);
			assert.equal(sync.state.seq, roll.seq);
			assert.deepEqual(sync.state, rolledState, 'poisoned game: state');
			const again = await emitAck(offense(bad), 'roll_dice', { game_id: bad.game_id });
			assert.equal(again.error?.code, 'ROLL_PENDING', JSON.stringify(again));

			// Without the trigger the same roll resolves, and the game goes on.
			await psql(`DROP TRIGGER ${poison} ON plays; DROP FUNCTION ${poison}()`);
			const first = await ok(offense(bad), 'submit_manual_outcome', outcomePayload(bad, 0));
			assert.equal(first.roll_id, roll.roll_id);
			assert.equal(first.play_number, 1);
			assert.equal(first.seq, roll.seq + 1);
			bad.acks.push(first);
			bad.state = first.state;
			await play(bad, 3, 1);
			assertStored(bad, (await stored([bad])).get(bad.game_id));
			await assertServerState(bad);
			await assertRoomStreams(bad);
		});
	});
}
