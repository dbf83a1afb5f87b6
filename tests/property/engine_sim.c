/*
 * A random player.  Every request it makes is valid by construction and
 * must be accepted; with `probe' set it also makes invalid ones and
 * checks that each is refused with the expected code and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_sim.h"

#define MAX_PLAYS	4000

static int	r_int(struct pd_rng *, int);
static int	sim_bench(const struct pd_team *, struct pd_rng *, int);
static int	sim_decide(struct pd_game *, struct pd_rng *,
		    struct sim_stats *, char *, size_t);
static int	sim_substitute(struct pd_game *, struct pd_rng *, int64_t,
		    struct sim_stats *, char *, size_t);
static int	sim_outcome(const struct pd_game *, struct pd_rng *,
		    struct pd_outcome_input *);
static int	sim_probe(struct pd_game *, int64_t, char *, size_t);
static int	sim_fail(char *, size_t, const char *, const struct pd_error *);
static int	sim_balance(const struct pd_game *);

static const char *locs[] = {
	"P", "C", "1B", "2B", "3B", "SS", "LF", "CF", "RF"
};
static const char *positions[] = {
	"C", "1B", "2B", "3B", "SS", "LF", "CF", "RF", "DH"
};

/* 14 position players covering every position, 10 pitchers. */
void
sim_roster(struct pd_roster *r, int64_t team_id, int64_t card_base)
{
	static const int pos[14] = {
		PD_POS_C, PD_POS_1B, PD_POS_2B, PD_POS_3B, PD_POS_SS,
		PD_POS_LF, PD_POS_CF, PD_POS_RF, PD_POS_1B, PD_POS_C,
		PD_POS_SS, PD_POS_CF, PD_POS_2B, PD_POS_LF
	};
	int		i;

	memset(r, 0, sizeof(*r));
	r->team_id = team_id;
	r->ncards = 24;
	for (i = 0; i < r->ncards; i++) {
		r->cards[i].card_id = card_base + i;
		r->cards[i].hand = (i % 3 == 0) ? 'L' : 'R';
		if (i < 14) {
			(void)snprintf(r->cards[i].name,
			    sizeof(r->cards[i].name), "Batter %lld-%d",
			    (long long)team_id, i + 1);
			r->cards[i].positions = 1u << pos[i];
		} else {
			(void)snprintf(r->cards[i].name,
			    sizeof(r->cards[i].name), "Pitcher %lld-%d",
			    (long long)team_id, i - 13);
			r->cards[i].positions = 1u << PD_POS_P;
			r->cards[i].is_pitcher = 1;
		}
	}
}

int
sim_create(struct pd_game *g, const char *game_id)
{
	struct pd_roster	away, home;

	sim_roster(&away, 1, 100);
	sim_roster(&home, 2, 200);
	return (pd_game_create(g, game_id, &away, &home, NULL));
}

int
sim_game(struct pd_game *g, uint64_t seed, int probe, struct sim_stats *st,
    char *why, size_t len)
{
	struct pd_rng_seeded	 dice_s, choice_s;
	struct pd_rng		 dice, choice;
	struct pd_outcome_input	 oin;
	struct pd_play_result	 res;
	struct pd_error		 err;
	int64_t			 now;
	int			 plays, outs_before;

	if (sim_create(g, "00000000-0000-4000-8000-000000000001") == PD_ERR)
		return (sim_fail(why, len, "create", NULL));
	pd_rng_seeded_init(&dice_s, &dice, seed);
	pd_rng_seeded_init(&choice_s, &choice, seed ^ 0x9e3779b97f4a7c15ULL);
	now = 1700000000000LL;

	for (plays = 0; g->status != PD_STATUS_FINAL; plays++) {
		if (plays > MAX_PLAYS)
			return (sim_fail(why, len, "game does not end", NULL));
		now += 1000;
		if (r_int(&choice, 30) == 0 &&
		    sim_substitute(g, &choice, now, st, why, len) == PD_ERR)
			return (PD_ERR);
		if (sim_decide(g, &choice, st, why, len) == PD_ERR)
			return (PD_ERR);
		if (probe && r_int(&choice, 20) == 0 &&
		    sim_probe(g, now, why, len) == PD_ERR)
			return (PD_ERR);
		if (pd_game_roll(g, &dice, now, NULL, &err) == PD_ERR)
			return (sim_fail(why, len, "roll", &err));
		if (sim_outcome(g, &choice, &oin) == PD_ERR)
			return (sim_fail(why, len, "no outcome", NULL));
		outs_before = g->outs;
		if (pd_game_outcome(g, &oin, now + 500, &res, &err) == PD_ERR)
			return (sim_fail(why, len, oin.outcome, &err));
		if (outs_before + res.outs_recorded > 3 || g->outs > 3)
			return (sim_fail(why, len, "more than 3 outs", NULL));
		if (outs_before + res.outs_recorded > st->max_outs_seen)
			st->max_outs_seen = outs_before + res.outs_recorded;
		if (res.half_over && !res.game_over &&
		    (g->outs != 0 || pd_game_runners_mask(g) != 0))
			return (sim_fail(why, len, "half not reset", NULL));
		if (getenv("SIM_TRACE") != NULL) {
			char *pj = pd_json_play_str(&res, NULL);
			fprintf(stderr, "%d-%d outs %d: %s\n", g->inning, g->half,
			    g->outs, pj);
			free(pj);
		}
		if (sim_balance(g) == PD_ERR)
			return (sim_fail(why, len, "play breaks the balance",
			    NULL));
		st->plays++;
		if (res.ends_pa)
			st->pas++;
	}
	st->games++;
	return (sim_check(g, why, len));
}

/* The invariants of a finished game (CONTRACT 7 and 8). */
int
sim_check(const struct pd_game *g, char *why, size_t len)
{
	const struct pd_sc_side		*sd, *op;
	const struct pd_bat_stats	*b;
	const struct pd_pit_stats	*p;
	int				 s, i, ab, bb, hbp, sh, sf, r, h, pa;
	int				 putouts, oph, lsum, w, l, sv, bf[2];
	int				 pas[2], pr, ipa;

	if (g->status != PD_STATUS_FINAL)
		return (sim_fail(why, len, "not final", NULL));
	if (g->score[0] == g->score[1] || g->inning < PD_INNINGS)
		return (sim_fail(why, len, "ended tied or early", NULL));
	if (g->winner != (g->score[1] > g->score[0] ? PD_HOME : PD_AWAY))
		return (sim_fail(why, len, "wrong winner", NULL));
	if (g->half == PD_TOP && (g->score[1] <= g->score[0] || g->outs != 3))
		return (sim_fail(why, len, "ended after a top half wrongly",
		    NULL));
	if (g->half == PD_BOTTOM && g->score[1] < g->score[0] && g->outs != 3)
		return (sim_fail(why, len, "bottom half cut short", NULL));
	if (g->half == PD_BOTTOM && g->score[1] > g->score[0] &&
	    g->score[1] - g->score[0] > 4)
		return (sim_fail(why, len, "walk-off by more than 4", NULL));

	for (s = 0; s < 2; s++) {
		sd = &g->sc.side[s];
		op = &g->sc.side[1 - s];
		ab = bb = hbp = sh = sf = r = h = pa = 0;
		for (i = 0; i < PD_MAX_PLAYERS; i++) {
			b = &sd->bat[i];
			ab += b->ab;
			bb += b->bb;
			hbp += b->hbp;
			sh += b->sh;
			sf += b->sf;
			r += b->r;
			h += b->h;
			pa += b->pa;
			ipa = b->ab + b->bb + b->hbp + b->sh + b->sf;
			if (ipa != b->pa)
				return (sim_fail(why, len, "PA != AB+BB+...",
				    NULL));
		}
		putouts = oph = 0;
		w = l = sv = 0;
		bf[s] = 0;
		pr = 0;
		for (i = 0; i < PD_MAX_PLAYERS; i++) {
			p = &op->pit[i];
			putouts += p->outs;
			oph += p->h;
			pr += p->r;
			if (p->er > p->r)
				return (sim_fail(why, len, "ER > R", NULL));
			bf[s] += p->bf;
			p = &sd->pit[i];
			w += p->decision == 'W';
			l += p->decision == 'L';
			sv += p->decision == 'S';
		}
		pas[s] = pa;
		if (ab + bb + hbp + sh + sf != r + sd->lob + putouts)
			return (sim_fail(why, len, "OBR 9.03(c) fails", NULL));
		if (h != sd->h || h != oph)
			return (sim_fail(why, len, "team H mismatch", NULL));
		if (r != sd->r || r != g->score[s] || pr != r)
			return (sim_fail(why, len, "runs mismatch", NULL));
		lsum = 0;
		for (i = 0; i < sd->ninnings; i++)
			lsum += sd->runs_by_inning[i];
		if (lsum != r)
			return (sim_fail(why, len, "line score sum", NULL));
		if (s == g->winner && (w != 1 || l != 0 || sv > 1))
			return (sim_fail(why, len, "winner decisions", NULL));
		if (s != g->winner && (w != 0 || l != 1 || sv != 0))
			return (sim_fail(why, len, "loser decisions", NULL));
	}
	if (bf[0] + bf[1] != pas[0] + pas[1])
		return (sim_fail(why, len, "BF != PA", NULL));
	return (PD_OK);
}

static int
r_int(struct pd_rng *rng, int n)
{
	unsigned char	b[2];

	rng->fill(rng->ctx, b, sizeof(b));
	return ((int)(((unsigned int)b[0] << 8 | b[1]) % (unsigned int)n));
}

static int
sim_decide(struct pd_game *g, struct pd_rng *rng, struct sim_stats *st,
    char *why, size_t len)
{
	static const char	*al[] = { "normal", "shifted_left",
				    "shifted_right", "extreme_shift" };
	static const char	*ifd[] = { "in", "normal", "back",
				    "double_play" };
	static const char	*ofd[] = { "in", "normal", "back" };
	static const char	*ap[] = { "normal", "contact", "power",
				    "patient" };
	struct pd_def_input	 d;
	struct pd_off_input	 o;
	struct pd_error		 err;
	int			 b, t;

	if (r_int(rng, 3) != 0)
		return (PD_OK);
	memset(&d, 0, sizeof(d));
	d.alignment = al[r_int(rng, 4)];
	d.infield_depth = ifd[r_int(rng, 4)];
	d.outfield_depth = ofd[r_int(rng, 3)];
	for (b = 1; b <= 3; b++)
		if (g->base[b] >= 0 && r_int(rng, 2))
			d.hold_runners[d.nhold++] = b;
	if (pd_game_defense(g, &d, &err) == PD_ERR)
		return (sim_fail(why, len, "defense", &err));
	st->decisions++;
	if (r_int(rng, 2) != 0)
		return (PD_OK);
	memset(&o, 0, sizeof(o));
	o.approach = ap[r_int(rng, 4)];
	for (t = 4; t >= 2; t--) {
		if (g->base[t - 1] < 0 || r_int(rng, 3) != 0)
			continue;
		if (t < 4 && g->base[t] >= 0) {
			/* Allowed only if that runner steals too. */
			if (o.nsteal == 0 || o.steal_attempts[o.nsteal - 1] !=
			    t + 1)
				continue;
		}
		o.steal_attempts[o.nsteal++] = t;
	}
	o.hit_and_run = g->base[1] >= 0 && r_int(rng, 2);
	o.bunt_attempt = r_int(rng, 5) == 0;
	if (pd_game_offense(g, &o, &err) == PD_ERR)
		return (sim_fail(why, len, "offense", &err));
	st->decisions++;
	return (PD_OK);
}

static int
sim_bench(const struct pd_team *t, struct pd_rng *rng, int pitcher)
{
	int		i, n, pick[PD_MAX_PLAYERS];

	n = 0;
	for (i = 0; i < t->roster.ncards; i++)
		if (t->lu[i].status == PD_LU_BENCH &&
		    t->roster.cards[i].is_pitcher == pitcher)
			pick[n++] = i;
	return (n == 0 ? -1 : pick[r_int(rng, n)]);
}

static int
sim_substitute(struct pd_game *g, struct pd_rng *rng, int64_t now,
    struct sim_stats *st, char *why, size_t len)
{
	struct pd_sub_input	 in;
	struct pd_sub_result	 res;
	struct pd_error		 err;
	struct pd_team		*t;
	int			 kind, side, inc, out, i, tries;

	memset(&in, 0, sizeof(in));
	kind = r_int(rng, 3);
	switch (kind) {
	case 0:
		side = pd_game_batting(g);
		t = &g->team[side];
		out = pd_game_current_batter(g);
		if ((inc = sim_bench(t, rng, 0)) < 0)
			return (PD_OK);
		break;
	case 1:
		side = r_int(rng, 2);
		t = &g->team[side];
		out = -1;
		for (tries = 0; tries < 10 && out < 0; tries++) {
			i = t->order[r_int(rng, 9)];
			if (i != t->pitcher)
				out = i;
		}
		if (out < 0 || (inc = sim_bench(t, rng, 0)) < 0)
			return (PD_OK);
		in.new_position = positions[r_int(rng, 9)];
		break;
	default:
		side = pd_game_fielding(g);
		t = &g->team[side];
		out = t->pitcher;
		if (g->sc.side[side].pit[out].bf < 1 ||
		    (inc = sim_bench(t, rng, 1)) < 0)
			return (PD_OK);
		break;
	}
	in.team_id = t->roster.team_id;
	in.player_out_lineup_id = t->lu[out].lineup_id;
	in.player_in_card_id = t->roster.cards[inc].card_id;
	if (kind == 0 &&
	    pd_game_pinch_hitter(g, &in, now, &res, &err) == PD_ERR)
		return (sim_fail(why, len, "pinch hitter", &err));
	if (kind == 1 &&
	    pd_game_defensive_replacement(g, &in, now, &res, &err) == PD_ERR)
		return (sim_fail(why, len, "defensive replacement", &err));
	if (kind == 2 &&
	    pd_game_pitching_change(g, &in, now, &res, &err) == PD_ERR)
		return (sim_fail(why, len, "pitching change", &err));
	st->subs++;
	return (PD_OK);
}

/* A random valid outcome: about a card's mix, runner events sometimes. */
static int
sim_outcome(const struct pd_game *g, struct pd_rng *rng,
    struct pd_outcome_input *in)
{
	static const char	*leads[] = { NULL, "safe", "out" };
	const struct pd_outcome_info	*oi;
	int			 o, b, occupied[3], n, tries;

	memset(in, 0, sizeof(*in));
	for (tries = 0; tries < 100; tries++) {
		if (pd_game_runners_mask(g) != 0 && r_int(rng, 10) == 0)
			o = PD_O_WILD_PITCH + r_int(rng, 6);
		else
			o = r_int(rng, PD_O_WILD_PITCH);
		oi = pd_outcome_info(o);
		in->outcome = oi->name;
		if (oi->needs_location || r_int(rng, 2))
			in->hit_location = locs[r_int(rng, 9)];
		if (r_int(rng, 2))
			in->lead_runner = leads[r_int(rng, 3)];
		if (!oi->needs_runner)
			return (PD_OK);
		n = 0;
		for (b = 1; b <= 3; b++) {
			if (g->base[b] < 0)
				continue;
			if (o == PD_O_STOLEN_BASE && b < 3 && g->base[b + 1] >= 0)
				continue;
			occupied[n++] = b;
		}
		if (n == 0)
			continue;
		in->runner_base = occupied[r_int(rng, n)];
		return (PD_OK);
	}
	return (PD_ERR);
}

/* Invalid requests: refused with the expected code, game unchanged. */
static int
sim_probe(struct pd_game *g, int64_t now, char *why, size_t len)
{
	static struct pd_game	 before;
	struct pd_outcome_input	 oin;
	struct pd_off_input	 off;
	struct pd_play_result	 res;
	struct pd_error		 err;
	const char		*want;
	int			 rc;

	memcpy(&before, g, sizeof(before));
	memset(&oin, 0, sizeof(oin));
	oin.outcome = "groundball_c";
	oin.hit_location = "SS";
	rc = pd_game_outcome(g, &oin, now, &res, &err);
	want = g->has_roll ? NULL : PD_E_NO_PENDING_ROLL;
	if (want != NULL && (rc != PD_ERR || strcmp(err.code, want) != 0))
		return (sim_fail(why, len, "probe: outcome without roll", &err));
	oin.hit_location = NULL;
	if (pd_game_outcome(g, &oin, now, &res, &err) != PD_ERR ||
	    strcmp(err.code, PD_E_MISSING_FIELD) != 0)
		return (sim_fail(why, len, "probe: missing location", &err));
	oin.outcome = "bogus";
	if (pd_game_outcome(g, &oin, now, &res, &err) != PD_ERR ||
	    strcmp(err.code, PD_E_INVALID_OUTCOME) != 0)
		return (sim_fail(why, len, "probe: invalid outcome", &err));
	memset(&off, 0, sizeof(off));
	off.hit_and_run = 1;
	if (g->base[1] < 0 && (pd_game_offense(g, &off, &err) != PD_ERR ||
	    strcmp(err.code, PD_E_INVALID_DECISION) != 0))
		return (sim_fail(why, len, "probe: hit and run", &err));
	if (memcmp(&before, g, sizeof(before)) != 0)
		return (sim_fail(why, len, "probe: a refusal changed the game",
		    NULL));
	return (PD_OK);
}

static int
sim_fail(char *why, size_t len, const char *what, const struct pd_error *err)
{
	if (why != NULL)
		(void)snprintf(why, len, "%s%s%s%s%s", what,
		    err != NULL ? ": " : "",
		    err != NULL && err->code != NULL ? err->code : "",
		    err != NULL ? " " : "", err != NULL ? err->message : "");
	return (PD_ERR);
}

/*
 * After every play: each batter who came up is a run, on base, left on
 * base or out; and the scorer's bases are the game's.
 */
static int
sim_balance(const struct pd_game *g)
{
	const struct pd_sc_side	*sd, *op;
	int			 s, i, pa, r, po, on, b;

	for (s = 0; s < 2; s++) {
		sd = &g->sc.side[s];
		op = &g->sc.side[1 - s];
		pa = r = po = on = 0;
		for (i = 0; i < PD_MAX_PLAYERS; i++) {
			pa += sd->bat[i].pa;
			r += sd->bat[i].r;
			po += op->pit[i].outs;
		}
		if (g->sc.in_half && g->sc.batting == s)
			for (b = 1; b <= 3; b++)
				on += g->sc.base[b].player >= 0;
		if (pa != r + po + sd->lob + on)
			return (PD_ERR);
	}
	if (g->status == PD_STATUS_FINAL)
		return (PD_OK);
	for (b = 1; b <= 3; b++)
		if (g->base[b] != g->sc.base[b].player)
			return (PD_ERR);
	return (PD_OK);
}

/*
 * Puts batting-team runners on the bases in `mask' (bit 0 first base)
 * and sets the outs, in the game and in the scorer alike.  The runners
 * are the batters due up after the current one, as if they had hit.
 */
void
sim_place(struct pd_game *g, int mask, int outs)
{
	struct pd_team	*t = &g->team[pd_game_batting(g)];
	int		 b, slot;

	slot = t->next;
	for (b = 3; b >= 1; b--) {
		g->base[b] = -1;
		g->sc.base[b].player = -1;
		if (!(mask & (1 << (b - 1))))
			continue;
		slot = (slot + 8) % 9;
		g->base[b] = t->order[slot];
		g->sc.base[b].player = t->order[slot];
		g->sc.base[b].pitcher = pd_game_current_pitcher(g);
		g->sc.base[b].rbase = b;
		/* Keep the scorer's balance: they came up and are on. */
		g->sc.side[pd_game_batting(g)].bat[t->order[slot]].pa++;
		g->sc.side[pd_game_batting(g)].bat[t->order[slot]].ab++;
		g->sc.side[pd_game_batting(g)].bat[t->order[slot]].h++;
		g->sc.side[pd_game_batting(g)].h++;
		g->sc.side[pd_game_fielding(g)].pit[pd_game_current_pitcher(g)].bf++;
		g->sc.side[pd_game_fielding(g)].pit[pd_game_current_pitcher(g)].h++;
	}
	g->outs = outs;
	g->sc.outs = outs;
	g->sc.recon_outs = outs;
	g->sc.side[pd_game_fielding(g)].pit[pd_game_current_pitcher(g)].outs +=
	    outs;
}

int
sim_roll(struct pd_game *g, int64_t now)
{
	struct pd_roll	r;
	char		id[32];

	(void)snprintf(id, sizeof(id), "roll-%d", g->play_number + 1);
	if (pd_dice_from_values(&r, id, 3, 2, 5, 10, 11, now, 0, NULL) ==
	    PD_ERR)
		return (PD_ERR);
	return (pd_game_apply_roll(g, &r, now, NULL));
}

int
sim_play(struct pd_game *g, const char *outcome, const char *loc,
    const char *lead, int runner_base, struct pd_play_result *res,
    struct pd_error *err)
{
	struct pd_outcome_input	in;

	if (!g->has_roll && sim_roll(g, SIM_NOW) == PD_ERR)
		return (PD_ERR);
	memset(&in, 0, sizeof(in));
	in.outcome = outcome;
	in.hit_location = loc;
	in.lead_runner = lead;
	in.runner_base = runner_base;
	return (pd_game_outcome(g, &in, SIM_NOW + 1000, res, err));
}

/* A whole file as a C string, or NULL; the caller frees it. */
char *
sim_slurp(const char *path)
{
	FILE	*fp;
	char	*s;
	long	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (s = calloc(1, n + 1)) == NULL) {
		fclose(fp);
		return (NULL);
	}
	if (fread(s, 1, n, fp) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(fp);
	return (s);
}
