// A whole game over the wire (CONTRACT.md sections 4-6 and 8): two
// managers and a spectator, every outcome, both decisions and all three
// substitutions, then strikeouts to a final; every broadcast reaches all
// three identically, room seqs are continuous, and the box score over the
// socket equals the REST one and proves OBR 9.03(c).  With one Kore
// worker, with two, and with two that each take only a few connections at
// a time (polling clients), so that requests keep landing on the worker
// that does not own the session and go through the relay.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { closeAll, emitAck, once } from './lib/client.mjs';
import { api, assertSeqContinuous, join, ok, player, refused, roomEventCount,
    setupGame } from './lib/game.mjs';
import { startServer } from './lib/server.mjs';

const NEEDS_LOCATION = new Set(['groundball_a', 'groundball_b', 'groundball_c',
    'flyball_a', 'flyball_b', 'flyball_bq', 'flyball_c', 'lineout', 'popout',
    'foulout', 'error_1', 'error_2', 'error_3']);
const RUNNER_EVENTS = new Set(['wild_pitch', 'passed_ball', 'balk',
    'stolen_base', 'caught_stealing', 'pickoff']);
const WITH_BASE = new Set(['stolen_base', 'caught_stealing', 'pickoff']);
const ALL_OUTCOMES = ['strikeout', 'walk', 'intentional_walk', 'hit_by_pitch',
    'single_1', 'single', 'single_2', 'single_uncapped', 'double_2', 'double',
    'double_3', 'double_uncapped', 'triple', 'homerun', 'groundball_a',
    'groundball_b', 'groundball_c', 'flyball_a', 'flyball_b', 'flyball_bq',
    'flyball_c', 'lineout', 'popout', 'foulout', 'error_1', 'error_2', 'error_3',
    'sacrifice_bunt', 'bp_homerun', 'bp_single', 'bp_flyout', 'bp_lineout',
    'wild_pitch', 'passed_ball', 'balk', 'stolen_base', 'caught_stealing',
    'pickoff'];

function occupied(state) {
	return ['1', '2', '3'].filter((b) => state.runners[b]).map(Number);
}

const CONFIGS = [
	{ workers: 1, label: 'WORKERS=1' },
	{ workers: 2, label: 'WORKERS=2' },
	{ workers: 2, label: 'WORKERS=2, relayed polling', transports: ['polling'],
	    env: { WORKER_MAX_CONNECTIONS: '4' } },
	{ workers: 2, label: 'WORKERS=2, relayed upgrades',
	    env: { WORKER_MAX_CONNECTIONS: '6' } },
];

for (const cfg of CONFIGS) {
	describe(`gameplay, ${cfg.label}`, () => {
		let server, g, away, home, watcher, state;

		before(async () => {
			server = await startServer({ workers: cfg.workers, name: 'gameplay',
			    env: { RATE_LIMITS: 'off', ...(cfg.env ?? {}) } });
			g = await setupGame(server);
			const opts = cfg.transports ? { transports: cfg.transports } : {};
			away = await player(server, g.away, opts);
			home = await player(server, g.home, opts);
			watcher = await player(server, g.spectator, opts);
		});

		after(async () => {
			closeAll();
			await server?.stop();
		});

		const offense = () => (state.batting_team_id === g.awayTeam.team_id ? away : home);
		const defense = () => (state.batting_team_id === g.awayTeam.team_id ? home : away);

		// One outcome: roll, submit, and check what everyone received.
		async function play(outcome, extra = {}) {
			const before = watcher.roomEvents.length;
			const rolled = once(watcher, 'dice_rolled');
			const rollAck = await ok(offense(), 'roll_dice', { game_id: g.game_id });
			const dice = await rolled;
			assert.equal(dice.roll_id, rollAck.roll_id);
			for (const k of ['d6_one', 'd6_two_total', 'chaos_d20', 'resolution_d20']) {
				assert.equal(typeof dice[k], 'number', k);
			}
			const payload = { game_id: g.game_id, outcome, ...extra };
			if (NEEDS_LOCATION.has(outcome)) payload.hit_location ??= 'SS';
			const accepted = once(offense(), 'outcome_accepted');
			const resolved = [away, home, watcher].map((s) => once(s, 'play_resolved'));
			const ack = await ok(offense(), 'submit_manual_outcome', payload);
			const acc = await accepted;
			assert.equal(acc.roll_id, dice.roll_id);
			const results = await Promise.all(resolved);
			for (const r of results) assert.deepEqual(r, results[0]);
			const result = results[0];
			assert.equal(result.roll_id, dice.roll_id);
			assert.equal(result.state.seq, result.seq);
			assert.equal(ack.seq, result.seq);
			assert.equal(result.state.play_number, state.play_number + 1);
			await roomEventCount(watcher, before + 2);
			state = result.state;
			return result;
		}

		test('everyone joins; a spectator and a stranger are refused as players', async () => {
			const ja = await join(away, g.game_id);
			assert.equal(ja.state.game_id, g.game_id);
			await join(home, g.game_id);
			await refused(watcher, 'join_game', { game_id: g.game_id, role: 'player' },
			    'NOT_AUTHORIZED');
			const jw = await join(watcher, g.game_id, 'spectator');
			state = jw.state;
			assert.equal(state.status === 'pending' || state.status === 'in_progress', true);
			assert.equal(state.inning, 1);
			assert.equal(state.half, 'top');
			assert.equal(state.batting_team_id, g.awayTeam.team_id);
		});

		test('authorization and the order of play', async () => {
			const gid = { game_id: g.game_id };
			await refused(watcher, 'roll_dice', gid, 'NOT_AUTHORIZED');
			await refused(home, 'roll_dice', gid, 'NOT_YOUR_TURN');
			await refused(away, 'submit_defensive_decision', { ...gid, alignment: 'normal' },
			    'NOT_YOUR_TURN');
			await refused(watcher, 'submit_defensive_decision', { ...gid }, 'NOT_AUTHORIZED');
			await refused(away, 'submit_manual_outcome', { ...gid, outcome: 'strikeout' },
			    'NO_PENDING_ROLL');
			await refused(away, 'roll_dice', { game_id: 'not-a-uuid' }, 'INVALID_FORMAT');
			await refused(away, 'roll_dice', { game_id: '00000000-0000-4000-8000-000000000000' },
			    'GAME_NOT_FOUND');
			await refused(away, 'roll_dice', {}, 'MISSING_FIELD');
			await refused(away, 'no_such_event', gid, 'UNKNOWN_EVENT');
		});

		test('decisions: defense first, offense after, both broadcast', async () => {
			const gid = { game_id: g.game_id };
			const dd = once(watcher, 'defensive_decision_submitted');
			await ok(defense(), 'submit_defensive_decision', { ...gid, alignment: 'shifted_left',
			    infield_depth: 'double_play', outfield_depth: 'normal', hold_runners: [] });
			const d = await dd;
			assert.equal(d.pending_decision, 'offensive');
			assert.equal(d.decision.alignment, 'shifted_left');
			await refused(defense(), 'submit_defensive_decision', { ...gid, hold_runners: [2] },
			    'INVALID_DECISION');
			const od = once(watcher, 'offensive_decision_submitted');
			await ok(offense(), 'submit_offensive_decision', { ...gid, approach: 'power',
			    steal_attempts: [], hit_and_run: false, bunt_attempt: false });
			const o = await od;
			assert.equal(o.pending_decision, 'resolution');
			await refused(defense(), 'submit_defensive_decision', { ...gid, alignment: 'normal' },
			    'DECISION_LOCKED');
		});

		test('a second roll is ROLL_PENDING; a bad outcome keeps the roll', async () => {
			const gid = { game_id: g.game_id };
			await ok(offense(), 'roll_dice', gid);
			await refused(offense(), 'roll_dice', gid, 'ROLL_PENDING');
			await refused(offense(), 'submit_manual_outcome', { ...gid, outcome: 'nonsense' },
			    'INVALID_OUTCOME');
			await refused(offense(), 'submit_manual_outcome', { ...gid, outcome: 'groundball_c' },
			    'MISSING_FIELD');
			const resolved = once(watcher, 'play_resolved');
			await ok(offense(), 'submit_manual_outcome', { ...gid, outcome: 'walk' });
			state = (await resolved).state;
			assert.equal(state.decisions.defensive?.alignment ?? 'normal', 'normal');
		});

		test('every outcome of the chart', async () => {
			for (const outcome of ALL_OUTCOMES) {
				if (state.status === 'final') break;
				if (RUNNER_EVENTS.has(outcome) && occupied(state).length === 0) {
					await play('walk');
				}
				const extra = {};
				if (WITH_BASE.has(outcome)) extra.runner_base = Math.max(...occupied(state));
				if (['single_uncapped', 'double_uncapped', 'flyball_bq'].includes(outcome)) {
					extra.lead_runner = 'safe';
				}
				const r = await play(outcome, extra);
				assert.equal(typeof r.description, 'string');
				assert.ok(Array.isArray(r.runners_advanced));
			}
		});

		// A card's own position, from the team's roster (bench entries have none).
		const pitcherCards = () => new Set([...g.awayTeam.roster, ...g.homeTeam.roster]
		    .filter((c) => c.is_pitcher).map((c) => c.card_id));

		test('all three substitutions', async () => {
			// Pinch hitter: the batting team's manager, for the current batter.
			const pitchers = pitcherCards();
			const bat = state.batting_team_id;
			const lineup = await ok(offense(), 'get_lineup', { game_id: g.game_id, team_id: bat });
			const bench = lineup.players.filter((p) => p.status === 'bench' && !pitchers.has(p.card_id));
			assert.ok(bench.length > 0, 'no bench player');
			const sub = once(watcher, 'player_substituted');
			const conf = once(offense(), 'substitution_confirmed');
			await ok(offense(), 'request_pinch_hitter', { game_id: g.game_id, team_id: bat,
			    player_out_lineup_id: state.current_batter.lineup_id,
			    player_in_card_id: bench[0].card_id });
			const s = await sub;
			assert.equal(s.type, 'pinch_hitter');
			assert.deepEqual(await conf, s);
			await refused(offense(), 'request_pinch_hitter', { game_id: g.game_id, team_id: bat,
			    player_out_lineup_id: state.current_batter.lineup_id,
			    player_in_card_id: bench[0].card_id }, 'PLAYER_ALREADY_OUT');
			await play('strikeout');

			// Defensive replacement and pitching change: the fielding team.
			const field = state.fielding_team_id;
			const fl = await ok(defense(), 'get_lineup', { game_id: g.game_id, team_id: field });
			const fielder = fl.players.find((p) => p.status === 'active' && p.position === 'LF');
			const benchOf = fl.players.filter((p) => p.status === 'bench' && !pitchers.has(p.card_id));
			await refused(offense(), 'request_defensive_replacement', { game_id: g.game_id,
			    team_id: field, player_out_lineup_id: fielder.lineup_id,
			    player_in_card_id: benchOf[0].card_id, new_position: 'LF' }, 'NOT_YOUR_TURN');
			const dr = once(watcher, 'player_substituted');
			await ok(defense(), 'request_defensive_replacement', { game_id: g.game_id,
			    team_id: field, player_out_lineup_id: fielder.lineup_id,
			    player_in_card_id: benchOf[0].card_id, new_position: 'LF' });
			assert.equal((await dr).type, 'defensive_replacement');
			const pitcher = fl.players.find((p) => p.status === 'active' && p.position === 'P');
			const reliever = fl.players.find((p) => p.status === 'bench' && pitchers.has(p.card_id));
			const pc = once(watcher, 'player_substituted');
			await ok(defense(), 'request_pitching_change', { game_id: g.game_id, team_id: field,
			    player_out_lineup_id: pitcher.lineup_id, player_in_card_id: reliever.card_id });
			assert.equal((await pc).type, 'pitching_change');
			await refused(watcher, 'request_pitching_change', { game_id: g.game_id,
			    team_id: field, player_out_lineup_id: 1, player_in_card_id: 1 }, 'NOT_AUTHORIZED');
		});

		test('the game plays to a final', async () => {
			for (let i = 0; i < 400 && state.status !== 'final'; i++) {
				await play('strikeout');
			}
			assert.equal(state.status, 'final');
			assert.ok(state.winner_team_id === g.awayTeam.team_id ||
			    state.winner_team_id === g.homeTeam.team_id);
			await refused(offense(), 'roll_dice', { game_id: g.game_id }, 'GAME_OVER');
		});

		test('every broadcast reached all three, in order, seqs continuous', async () => {
			const n = watcher.roomEvents.length;
			await roomEventCount(away, n);
			await roomEventCount(home, n);
			const key = (s) => s.roomEvents.filter((e) => e.data.seq >= watcher.roomEvents[0].data.seq)
			    .map((e) => `${e.data.seq}:${e.event}`);
			assertSeqContinuous(watcher.roomEvents, 'spectator');
			assert.deepEqual(key(away), key(watcher));
			assert.deepEqual(key(home), key(watcher));
		});

		test('box score: socket equals REST, and the totals prove 9.03(c)', async () => {
			const bs = await ok(watcher, 'get_box_score', { game_id: g.game_id });
			const rest = await api(server, 'GET', `/api/games/${g.game_id}/box-score`,
			    { token: g.spectator.token });
			assert.equal(rest.status, 200);
			assert.deepEqual(rest.body.box_score, bs.box_score);
			const box = bs.box_score;
			for (const [side, teamId, oppId] of [['away', g.awayTeam.team_id, g.homeTeam.team_id],
			    ['home', g.homeTeam.team_id, g.awayTeam.team_id]]) {
				const bat = box.batting.filter((r) => r.team_id === teamId);
				const sum = (rows, k) => rows.reduce((a, r) => a + r[k], 0);
				const putouts = sum(box.pitching.filter((r) => r.team_id === oppId), 'outs');
				const ls = box.line_score[side];
				assert.equal(sum(bat, 'ab') + sum(bat, 'bb') + sum(bat, 'hbp') + sum(bat, 'sh') +
				    sum(bat, 'sf'), sum(bat, 'r') + ls.lob + putouts, `9.03(c) ${side}`);
				assert.equal(ls.runs_by_inning.reduce((a, b) => a + b, 0), ls.r);
			}
		});

		test('request_game_state returns the missed events after last_seq', async () => {
			const last = watcher.roomEvents[watcher.roomEvents.length - 6].data.seq;
			const sync = await ok(watcher, 'request_game_state', { game_id: g.game_id, last_seq: last });
			assert.equal(sync.state.status, 'final');
			const missed = sync.missed_events;
			const expect = watcher.roomEvents.filter((e) => e.data.seq > last);
			assert.deepEqual(missed.map((m) => m.data), expect.map((e) => e.data));
			assert.deepEqual(missed.map((m) => m.event), expect.map((e) => e.event));
			assert.ok(sync.recent_plays.length > 0);
		});
	});
}
