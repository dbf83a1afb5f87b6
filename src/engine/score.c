/*
 * Rule 9 bookkeeping.
 *
 * Earned runs (9.16) are found by keeping, beside the real inning, the
 * inning as it would have gone without errors and passed balls: a batter
 * who reaches on an error is an out there (and a phantom on base), and a
 * runner's advance caused by a misplay does not move him there.  A run is
 * earned when its runner is not a phantom, reaches home in that errorless
 * inning too, and scores before it would have had three outs.
 *
 * Decisions: the winning pitcher (9.17) is the winner's pitcher of record
 * when it took the lead for good, unless he is a starter short of five
 * innings, when the winner's reliever with the most outs gets it; the
 * loser is the pitcher charged with the go-ahead run; a save (9.19) goes
 * to the finisher of a won game who is not the winner, got an out,
 * entered with a lead and either entered with a lead of at most three
 * runs and pitched an inning, or with the tying run on base, at bat or on
 * deck, or pitched three innings.
 */
#include <string.h>

#include "engine/score.h"

static void	score_run(struct pd_scorer *, const struct pd_sc_runner *,
		    int, int, int);
static void	score_pitcher_entry(struct pd_scorer *, int);
static int	score_runners_on(const struct pd_scorer *);
static void	score_decisions(struct pd_scorer *);

void
pd_score_init(struct pd_scorer *sc)
{
	int		s, b;

	memset(sc, 0, sizeof(*sc));
	for (s = 0; s < 2; s++) {
		sc->side[s].pitcher = -1;
		sc->side[s].starter = -1;
		sc->side[s].lead_pitcher = -1;
		sc->side[s].lead_loser = -1;
	}
	for (b = 0; b < 4; b++)
		sc->base[b].player = -1;
	sc->winner = -1;
}

int
pd_score_is_pa(int event)
{
	return (event >= PD_SC_SINGLE && event <= PD_SC_SAC_FLY);
}

/* The pitcher now in the game for a side (the starter, or a change). */
void
pd_score_pitcher(struct pd_scorer *sc, int side, int player)
{
	struct pd_sc_side	*sd = &sc->side[side];

	if (player < 0 || player >= PD_SC_PLAYERS)
		return;
	sd->pitcher = player;
	if (sd->starter < 0)
		sd->starter = player;
	if (sd->pit[player].order == 0)
		sd->pit[player].order = ++sd->npitchers;
}

void
pd_score_half_begin(struct pd_scorer *sc, int inning, int batting)
{
	struct pd_sc_side	*sd = &sc->side[batting];
	int			 b;

	sc->inning = inning;
	sc->batting = batting;
	sc->in_half = 1;
	sc->outs = 0;
	sc->recon_outs = 0;
	for (b = 0; b < 4; b++)
		sc->base[b].player = -1;
	if (inning > sd->ninnings)
		sd->ninnings = inning > PD_SC_INNINGS ? PD_SC_INNINGS : inning;
}

/* Replace a runner on base (a substitute who takes his place). */
void
pd_score_replace_runner(struct pd_scorer *sc, int old, int new)
{
	int		b;

	for (b = 1; b <= 3; b++) {
		if (sc->base[b].player == old)
			sc->base[b].player = new;
	}
}

int
pd_score_play(struct pd_scorer *sc, const struct pd_sc_play *pl,
    struct pd_error *err)
{
	struct pd_sc_side	*bat, *fld;
	struct pd_sc_runner	 nb[4], r;
	struct pd_bat_stats	*bs;
	struct pd_pit_stats	*ps;
	const struct pd_sc_move	*mv;
	int			 i, p, outs, pa, rbi_ok, phantom_outs, delta;
	int			 earned_ok, batter_out, advanced, placed;

	if (!sc->in_half || pl->event < 0 || pl->event >= PD_SC_EVENT_COUNT)
		return (pd_error_set(err, PD_E_INTERNAL, NULL,
		    "scorer: no half in progress"));
	bat = &sc->side[sc->batting];
	fld = &sc->side[1 - sc->batting];
	if ((p = fld->pitcher) < 0)
		return (pd_error_set(err, PD_E_INTERNAL, NULL,
		    "scorer: no pitcher"));
	pa = pd_score_is_pa(pl->event);
	if (pa && (pl->batter < 0 || pl->batter >= PD_SC_PLAYERS))
		return (pd_error_set(err, PD_E_INTERNAL, NULL,
		    "scorer: bad batter"));
	score_pitcher_entry(sc, p);
	ps = &fld->pit[p];
	bs = pa ? &bat->bat[pl->batter] : NULL;

	rbi_ok = pa && !(pl->flags & (PD_SCF_GIDP | PD_SCF_NO_RBI)) &&
	    pl->event != PD_SC_ERROR;
	earned_ok = sc->recon_outs < 3;
	outs = 0;
	phantom_outs = 0;
	batter_out = 0;
	advanced = 0;
	placed = 0;

	for (i = 0; i < 4; i++)
		nb[i].player = -1;
	/* Runners who are not mentioned stay where they are. */
	for (i = 1; i <= 3; i++)
		nb[i] = sc->base[i];
	for (i = 0; i < pl->nmoves; i++) {
		mv = &pl->moves[i];
		if (mv->from < 1 || mv->from > 3)
			continue;
		nb[mv->from].player = -1;
	}

	for (i = 0; i < pl->nmoves; i++) {
		mv = &pl->moves[i];
		if (mv->from == 0) {
			if (!pa)
				continue;
			r.player = pl->batter;
			r.pitcher = p;
			r.rbase = 0;
		} else {
			if (mv->from > 3 || sc->base[mv->from].player < 0)
				return (pd_error_set(err, PD_E_INTERNAL, NULL,
				    "scorer: no runner on %d", mv->from));
			r = sc->base[mv->from];
		}
		if (mv->out) {
			outs++;
			if (mv->from == 0)
				batter_out = 1;
			else if (r.rbase == 0)
				phantom_outs++;
			if (pl->event == PD_SC_CAUGHT_STEALING && mv->from)
				bat->bat[r.player].cs++;
			continue;
		}
		if (mv->to > mv->from && mv->from > 0)
			advanced = 1;
		if (mv->from == 0) {
			/* The batter's base in the errorless inning. */
			r.rbase = (pl->event == PD_SC_ERROR) ? 0 : mv->to;
		} else if (r.rbase > 0 && !(pl->flags & PD_SCF_UNEARNED)) {
			delta = mv->to - mv->from;
			r.rbase = r.rbase + delta > 4 ? 4 : r.rbase + delta;
		}
		if (pl->event == PD_SC_STOLEN_BASE && mv->from)
			bat->bat[r.player].sb++;
		if (mv->to >= 4) {
			score_run(sc, &r, earned_ok && r.rbase >= 4, rbi_ok,
			    pl->batter);
			continue;
		}
		if (mv->to < 1 || mv->to > 3)
			return (pd_error_set(err, PD_E_INTERNAL, NULL,
			    "scorer: runner to base %d", mv->to));
		if (placed & (1 << mv->to))
			return (pd_error_set(err, PD_E_INTERNAL, NULL,
			    "scorer: two runners on base %d", mv->to));
		placed |= 1 << mv->to;
		nb[mv->to] = r;
	}
	for (i = 1; i <= 3; i++)
		sc->base[i] = nb[i];

	sc->outs += outs;
	ps->outs += outs;
	sc->recon_outs += outs - phantom_outs;
	if (pl->event == PD_SC_ERROR)
		sc->recon_outs++;
	fld->e += pl->errors;
	if (pl->event == PD_SC_WILD_PITCH)
		ps->wp++;

	if (!pa)
		return (PD_OK);

	bs->pa++;
	ps->bf++;
	switch (pl->event) {
	case PD_SC_HOMERUN:
		bs->hr++;
		ps->hr++;
		/* FALLTHROUGH */
	case PD_SC_TRIPLE:
		if (pl->event == PD_SC_TRIPLE)
			bs->triples++;
		/* FALLTHROUGH */
	case PD_SC_DOUBLE:
		if (pl->event == PD_SC_DOUBLE)
			bs->doubles++;
		/* FALLTHROUGH */
	case PD_SC_SINGLE:
		bs->h++;
		bs->ab++;
		bat->h++;
		ps->h++;
		break;
	case PD_SC_WALK:
	case PD_SC_IBB:
		bs->bb++;
		ps->bb++;
		break;
	case PD_SC_HBP:
		bs->hbp++;
		ps->hbp++;
		break;
	case PD_SC_STRIKEOUT:
		bs->so++;
		bs->ab++;
		ps->so++;
		break;
	case PD_SC_SAC_BUNT:
		bs->sh++;
		break;
	case PD_SC_SAC_FLY:
		bs->sf++;
		break;
	default:
		bs->ab++;
		break;
	}
	if (pl->flags & PD_SCF_GIDP)
		bs->gidp++;
	/* Individual LOB: runners left on when the batter makes an out. */
	if (batter_out)
		bs->lob += score_runners_on(sc);
	(void)advanced;
	return (PD_OK);
}

void
pd_score_half_end(struct pd_scorer *sc)
{
	if (!sc->in_half)
		return;
	sc->side[sc->batting].lob += score_runners_on(sc);
	sc->in_half = 0;
}

void
pd_score_game_end(struct pd_scorer *sc)
{
	pd_score_half_end(sc);
	sc->final = 1;
	if (sc->side[0].r > sc->side[1].r)
		sc->winner = 0;
	else if (sc->side[1].r > sc->side[0].r)
		sc->winner = 1;
	else
		sc->winner = -1;
	score_decisions(sc);
}

static void
score_run(struct pd_scorer *sc, const struct pd_sc_runner *r, int earned,
    int rbi, int batter)
{
	struct pd_sc_side	*bat = &sc->side[sc->batting];
	struct pd_sc_side	*fld = &sc->side[1 - sc->batting];
	int			 inn, was_ahead;

	was_ahead = bat->r > fld->r;
	inn = sc->inning > PD_SC_INNINGS ? PD_SC_INNINGS : sc->inning;
	if (inn < 1)
		inn = 1;
	bat->runs_by_inning[inn - 1]++;
	bat->r++;
	bat->bat[r->player].r++;
	fld->pit[r->pitcher].r++;
	if (earned)
		fld->pit[r->pitcher].er++;
	if (rbi && batter >= 0)
		bat->bat[batter].rbi++;
	if (!was_ahead && bat->r > fld->r) {
		/* Took the lead: the pitchers of record for W and L. */
		bat->lead_pitcher = bat->pitcher;
		bat->lead_loser = r->pitcher;
	}
}

static void
score_pitcher_entry(struct pd_scorer *sc, int p)
{
	struct pd_sc_side	*fld = &sc->side[1 - sc->batting];
	struct pd_pit_stats	*ps = &fld->pit[p];

	if (ps->entered)
		return;
	ps->entered = 1;
	ps->entry_lead = fld->r - sc->side[sc->batting].r;
	ps->entry_runners = score_runners_on(sc);
}

static int
score_runners_on(const struct pd_scorer *sc)
{
	int		b, n;

	n = 0;
	for (b = 1; b <= 3; b++)
		if (sc->base[b].player >= 0)
			n++;
	return (n);
}

static void
score_decisions(struct pd_scorer *sc)
{
	struct pd_sc_side	*win, *lose;
	struct pd_pit_stats	*ps;
	int			 w, l, f, i, best;

	if (sc->winner < 0)
		return;
	win = &sc->side[sc->winner];
	lose = &sc->side[1 - sc->winner];
	w = win->lead_pitcher;
	l = win->lead_loser;
	if (w < 0)
		w = win->starter;

	/* 9.17(b): a starter needs five innings. */
	if (w == win->starter && win->pit[w].outs < 15) {
		best = -1;
		for (i = 0; i < PD_SC_PLAYERS; i++) {
			ps = &win->pit[i];
			if (ps->order == 0 || i == win->starter)
				continue;
			if (best < 0 || ps->outs > win->pit[best].outs ||
			    (ps->outs == win->pit[best].outs &&
			    ps->order < win->pit[best].order))
				best = i;
		}
		if (best >= 0)
			w = best;
	}
	if (w >= 0)
		win->pit[w].decision = 'W';
	if (l >= 0)
		lose->pit[l].decision = 'L';

	f = win->pitcher;
	if (f < 0 || f == w || f == win->starter)
		return;
	ps = &win->pit[f];
	if (ps->outs < 1 || ps->entry_lead <= 0)
		return;
	if ((ps->entry_lead <= 3 && ps->outs >= 3) ||
	    ps->entry_lead <= ps->entry_runners + 2 || ps->outs >= 9)
		ps->decision = 'S';
}
