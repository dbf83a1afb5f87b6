// The event slice of the reference servers, in memory: a game's state with
// the same fields as the Kore server's (CONTRACT.md section 5), dice, and
// the few outcomes the benchmark submits (walk, single_1, double_2,
// homerun, strikeout), so that payload sizes and work per play are of the
// same kind.  bench/ref-python/server.py is a line-by-line port.

import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const NAMES = ['Grady Halloway', 'Eli Ellery', 'Marcus Penrose', 'Otis Calloway', 'Dale Whitcomb',
	'Rudy Fenwick', 'Hank Ormsby', 'Lew Tarrant', 'Sid Abernathy', 'Zeke Fairweather'];
const POS = ['C', 'SS', '1B', '2B', '3B', 'LF', 'CF', 'RF', 'DH'];

export function verifyJwt(token, secret) {
	if (typeof token !== 'string') return null;
	const parts = token.split('.');
	if (parts.length !== 3) return null;
	const mac = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
	const got = Buffer.from(parts[2], 'base64url');
	if (got.length !== mac.length || !timingSafeEqual(got, mac)) return null;
	let claims;
	try { claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString()); } catch { return null; }
	if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return null;
	return claims;
}

function lineup(teamBase) {
	return POS.map((p, i) => ({ lineup_id: teamBase + i + 1, card_id: teamBase + 30 + i, name: NAMES[i], position: p, batting_order: i + 1 }));
}

export function newGame(id) {
	return {
		id, seq: 0, playNumber: 0, pendingRoll: null, status: 'pending', inning: 1, half: 'top', outs: 0,
		runners: [null, null, null], score: { away: 0, home: 0 }, batter: [0, 0],
		lineups: [lineup(0), lineup(20)],
		pitchers: [{ lineup_id: 19, card_id: 66, name: NAMES[9], position: 'P', batting_order: null },
			{ lineup_id: 39, card_id: 71, name: NAMES[9], position: 'P', batting_order: null }],
		players: new Set(),
	};
}

export function state(g) {
	const bat = g.half === 'top' ? 0 : 1;
	return {
		game_id: g.id, status: g.status, seq: g.seq, inning: g.inning, half: g.half, outs: g.outs,
		runners: { 1: g.runners[0], 2: g.runners[1], 3: g.runners[2] }, score: g.score,
		away_team_id: 1, home_team_id: 2, batting_team_id: bat + 1, fielding_team_id: 2 - bat,
		current_batter: g.lineups[bat][g.batter[bat]], current_pitcher: g.pitchers[1 - bat],
		play_number: g.playNumber, pending_roll: g.pendingRoll,
		decisions: {
			defensive: { alignment: 'normal', infield_depth: 'normal', outfield_depth: 'normal', hold_runners: [] },
			offensive: { approach: 'normal', steal_attempts: [], hit_and_run: false, bunt_attempt: false },
			pending_decision: 'defensive',
		},
		winner_team_id: null,
	};
}

export function roll(g) {
	const a = randomInt(1, 7); const b = randomInt(1, 7); const c = randomInt(1, 7);
	const r = {
		roll_id: randomBytes(16).toString('hex'), d6_one: a, d6_two_total: b + c,
		chaos_d20: randomInt(1, 21), resolution_d20: randomInt(1, 21),
		check_wild_pitch: false, check_passed_ball: false, timestamp: new Date().toISOString(),
		d6_two: [b, c], game_id: g.id, message: 'Dice rolled - read your card and submit outcome',
	};
	g.pendingRoll = { roll_id: r.roll_id, rolled_at: r.timestamp };
	g.status = 'in_progress';
	r.seq = ++g.seq;
	return r;
}

const ADV = { walk: -1, single_1: 1, double_2: 2, homerun: 4, strikeout: 0 };
const BATTER_TO = { walk: 1, single_1: 1, double_2: 2, homerun: 4, strikeout: 0 };
const DESC = { walk: 'Walk', single_1: 'Single', double_2: 'Double', homerun: 'Home run', strikeout: 'Strikeout' };

// Returns the play_resolved payload (without the requester's outcome_accepted).
export function resolve(g, outcome) {
	const bat = g.half === 'top' ? 0 : 1;
	const batter = g.lineups[bat][g.batter[bat]];
	const moves = [];
	let runs = 0;
	const next = [null, null, null];
	const adv = ADV[outcome];
	if (adv === -1) { // walk: forced runners only
		let forced = true;
		for (let b = 0; b < 3; b++) {
			const r = g.runners[b];
			if (!r) { forced = false; continue; }
			const to = forced ? b + 2 : b + 1;
			moves.push({ from: b + 1, to, out: false });
			if (to >= 4) runs++; else next[to - 1] = r;
		}
	} else {
		for (let b = 2; b >= 0; b--) {
			const r = g.runners[b];
			if (!r) continue;
			const to = Math.min(4, b + 1 + adv);
			moves.push({ from: b + 1, to, out: false });
			if (to >= 4) runs++; else next[to - 1] = r;
		}
	}
	const bto = BATTER_TO[outcome];
	const out = bto === 0;
	if (out) { moves.push({ from: 0, to: 1, out: true }); g.outs++; } else {
		moves.push({ from: 0, to: bto, out: false });
		if (bto >= 4) runs++; else next[bto - 1] = batter;
	}
	g.runners = next;
	if (bat === 0) g.score.away += runs; else g.score.home += runs;
	g.batter[bat] = (g.batter[bat] + 1) % 9;
	if (g.outs >= 3) { g.outs = 0; g.runners = [null, null, null]; if (g.half === 'top') g.half = 'bottom'; else { g.half = 'top'; g.inning++; } }
	g.playNumber++;
	const rollId = g.pendingRoll.roll_id;
	g.pendingRoll = null;
	g.seq++;
	return {
		game_id: g.id, play_number: g.playNumber, outcome, hit_location: null, description: DESC[outcome],
		outs_recorded: out ? 1 : 0, runs_scored: runs, batter_result: outcome === 'walk' ? 'BB' : outcome,
		runners_advanced: moves, is_hit: !out && outcome !== 'walk', is_out: out, is_walk: outcome === 'walk',
		roll_id: rollId, state: state(g), seq: g.seq,
	};
}

export const OUTCOMES = new Set(Object.keys(ADV));
