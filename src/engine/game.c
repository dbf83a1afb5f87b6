/*
 * The state of play: creating a game from two rosters, the order of play
 * (decisions, roll, outcome), resolving an outcome through the rules
 * table and every transition of CONTRACT section 8 (third-out rule,
 * walk-offs, end of a half, end of the game).  Each play is also handed
 * to the scorer as explicit movements.
 */
#include <stdio.h>
#include <string.h>

#include "engine/game.h"

struct names {
	const char	*name;
	int		 value;
};

static int	game_default_lineup(struct pd_team *, int, struct pd_error *);
static int	game_check_roster(const struct pd_roster *, struct pd_error *);
static int	names_lookup(const struct names *, size_t, const char *);
static const char	*names_name(const struct names *, size_t, int);
static int	game_context(const struct pd_game *);
static int	game_check_outcome(const struct pd_game *,
		    const struct pd_outcome_input *, int *, int *, int *,
		    struct pd_error *);
static void	game_third_out(const struct pd_game *, struct pd_resolved *);
static void	game_settle(struct pd_resolved *);
static void	game_walk_off(const struct pd_game *, int,
		    struct pd_resolved *);
static const char *game_batter_result(const struct pd_outcome_info *,
		    const struct pd_resolved *, int, int);
static int	game_score_event(const char *);
static void	game_describe(struct pd_play_result *,
		    const struct pd_outcome_info *, int);
static void	game_after_play(struct pd_game *, struct pd_play_result *);
static void	game_end(struct pd_game *);
static void	game_reset_decisions(struct pd_game *);

static const struct names alignments[] = {
	{ "normal", PD_ALIGN_NORMAL },
	{ "shifted_left", PD_ALIGN_SHIFTED_LEFT },
	{ "shifted_right", PD_ALIGN_SHIFTED_RIGHT },
	{ "extreme_shift", PD_ALIGN_EXTREME_SHIFT },
};
static const struct names infields[] = {
	{ "normal", PD_IF_NORMAL },
	{ "in", PD_IF_IN },
	{ "back", PD_IF_BACK },
	{ "double_play", PD_IF_DOUBLE_PLAY },
};
static const struct names outfields[] = {
	{ "normal", PD_OF_NORMAL },
	{ "in", PD_OF_IN },
	{ "back", PD_OF_BACK },
};
static const struct names approaches[] = {
	{ "normal", PD_APP_NORMAL },
	{ "contact", PD_APP_CONTACT },
	{ "power", PD_APP_POWER },
	{ "patient", PD_APP_PATIENT },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Positions filled first where cards are scarce; DH last. */
static const int fill_order[] = {
	PD_POS_C, PD_POS_SS, PD_POS_2B, PD_POS_CF, PD_POS_3B, PD_POS_1B,
	PD_POS_LF, PD_POS_RF
};

int
pd_game_create(struct pd_game *g, const char *game_id,
    const struct pd_roster *away, const struct pd_roster *home,
    struct pd_error *err)
{
	int		s, i, id;

	if (game_id == NULL || game_id[0] == '\0' ||
	    strlen(game_id) >= sizeof(g->game_id))
		return (pd_error_set(err, PD_E_INVALID_FORMAT, "game_id",
		    "Invalid game_id format"));
	if (game_check_roster(away, err) == PD_ERR ||
	    game_check_roster(home, err) == PD_ERR)
		return (PD_ERR);
	if (away->team_id == home->team_id)
		return (pd_error_set(err, PD_E_INVALID_ROSTER, "home_team_id",
		    "A team cannot play itself"));

	memset(g, 0, sizeof(*g));
	(void)snprintf(g->game_id, sizeof(g->game_id), "%s", game_id);
	g->status = PD_STATUS_PENDING;
	g->winner = -1;
	g->inning = 1;
	g->half = PD_TOP;
	for (i = 0; i < 4; i++)
		g->base[i] = -1;
	g->team[PD_AWAY].roster = *away;
	g->team[PD_HOME].roster = *home;

	pd_score_init(&g->sc);
	id = 1;
	for (s = 0; s < 2; s++) {
		for (i = 0; i < g->team[s].roster.ncards; i++)
			g->team[s].lu[i].lineup_id = id++;
		if (game_default_lineup(&g->team[s], s, err) == PD_ERR)
			return (PD_ERR);
		pd_score_pitcher(&g->sc, s, g->team[s].pitcher);
	}
	pd_score_half_begin(&g->sc, 1, PD_AWAY);
	return (PD_OK);
}

int
pd_game_batting(const struct pd_game *g)
{
	return (g->half == PD_TOP ? PD_AWAY : PD_HOME);
}

int
pd_game_fielding(const struct pd_game *g)
{
	return (1 - pd_game_batting(g));
}

int
pd_game_current_batter(const struct pd_game *g)
{
	const struct pd_team	*t = &g->team[pd_game_batting(g)];

	return (t->order[t->next]);
}

int
pd_game_current_pitcher(const struct pd_game *g)
{
	return (g->team[pd_game_fielding(g)].pitcher);
}

int
pd_game_pending_decision(const struct pd_game *g)
{
	if (g->locked || g->off_submitted)
		return (PD_PENDING_RESOLUTION);
	if (g->def_submitted)
		return (PD_PENDING_OFFENSIVE);
	return (PD_PENDING_DEFENSIVE);
}

int
pd_game_runners_mask(const struct pd_game *g)
{
	int		b, mask;

	mask = 0;
	for (b = 1; b <= 3; b++)
		if (g->base[b] >= 0)
			mask |= 1 << (b - 1);
	return (mask);
}

int
pd_game_side_of_team(const struct pd_game *g, int64_t team_id)
{
	if (g->team[PD_AWAY].roster.team_id == team_id)
		return (PD_AWAY);
	if (g->team[PD_HOME].roster.team_id == team_id)
		return (PD_HOME);
	return (-1);
}

/* Finds a lineup id: its side and entry index. */
int
pd_game_find_lineup(const struct pd_game *g, int lineup_id, int *side,
    int *idx)
{
	int		s, i;

	for (s = 0; s < 2; s++) {
		for (i = 0; i < g->team[s].roster.ncards; i++) {
			if (g->team[s].lu[i].lineup_id == lineup_id) {
				*side = s;
				*idx = i;
				return (PD_OK);
			}
		}
	}
	return (PD_ERR);
}

const char *
pd_status_name(int s)
{
	switch (s) {
	case PD_STATUS_IN_PROGRESS:
		return ("in_progress");
	case PD_STATUS_FINAL:
		return ("final");
	default:
		return ("pending");
	}
}

const char *
pd_pending_name(int p)
{
	switch (p) {
	case PD_PENDING_OFFENSIVE:
		return ("offensive");
	case PD_PENDING_RESOLUTION:
		return ("resolution");
	default:
		return ("defensive");
	}
}

/* A decision value's name; anything out of range reads as "normal". */
static const char *
names_name(const struct names *n, size_t count, int v)
{
	return (v >= 0 && (size_t)v < count ? n[v].name : "normal");
}

const char *
pd_alignment_name(int v)
{
	return (names_name(alignments, NELEM(alignments), v));
}

const char *
pd_infield_name(int v)
{
	return (names_name(infields, NELEM(infields), v));
}

const char *
pd_outfield_name(int v)
{
	return (names_name(outfields, NELEM(outfields), v));
}

const char *
pd_approach_name(int v)
{
	return (names_name(approaches, NELEM(approaches), v));
}

void
pd_game_start(struct pd_game *g)
{
	if (g->status == PD_STATUS_PENDING)
		g->status = PD_STATUS_IN_PROGRESS;
}

/* A roll is pending until used or expired. */
int
pd_game_roll_pending(const struct pd_game *g, int64_t now_ms)
{
	return (g->has_roll && now_ms <= g->roll_expires_ms);
}

int
pd_game_roll(struct pd_game *g, struct pd_rng *rng, int64_t now_ms,
    struct pd_roll *out, struct pd_error *err)
{
	struct pd_roll	r;

	if (g->status == PD_STATUS_FINAL)
		return (pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
		    "Game is over"));
	if (pd_game_roll_pending(g, now_ms))
		return (pd_error_set(err, PD_E_ROLL_PENDING, PD_F_GAME_STATE,
		    "A roll is pending - submit its outcome first"));
	pd_dice_roll(rng, now_ms, pd_game_runners_mask(g) != 0, &r);
	if (pd_game_apply_roll(g, &r, now_ms, err) == PD_ERR)
		return (PD_ERR);
	if (out != NULL)
		*out = g->roll;
	return (PD_OK);
}

/* A roll with given values: a logged roll being replayed, or a test's. */
int
pd_game_apply_roll(struct pd_game *g, const struct pd_roll *r, int64_t now_ms,
    struct pd_error *err)
{
	int		on;

	if (g->status == PD_STATUS_FINAL)
		return (pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
		    "Game is over"));
	if (pd_game_roll_pending(g, now_ms))
		return (pd_error_set(err, PD_E_ROLL_PENDING, PD_F_GAME_STATE,
		    "A roll is pending - submit its outcome first"));
	g->roll = *r;
	on = pd_game_runners_mask(g) != 0;
	g->roll.check_wild_pitch = on && r->chaos_d20 == 1;
	g->roll.check_passed_ball = on && r->chaos_d20 == 2;
	g->has_roll = 1;
	g->roll_expires_ms = r->timestamp_ms + PD_ROLL_TTL_MS;
	g->locked = 1;
	pd_game_start(g);
	return (PD_OK);
}

int
pd_game_defense(struct pd_game *g, const struct pd_def_input *in,
    struct pd_error *err)
{
	struct pd_def_decision	d;
	int			i, b;

	if (g->status == PD_STATUS_FINAL)
		return (pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
		    "Game is over"));
	memset(&d, 0, sizeof(d));
	if (in->alignment != NULL && (d.alignment = names_lookup(alignments,
	    NELEM(alignments), in->alignment)) < 0)
		return (pd_error_set(err, PD_E_INVALID_DECISION, "alignment",
		    "Invalid alignment"));
	if (in->infield_depth != NULL && (d.infield_depth =
	    names_lookup(infields, NELEM(infields), in->infield_depth)) < 0)
		return (pd_error_set(err, PD_E_INVALID_DECISION,
		    "infield_depth", "Invalid infield_depth"));
	if (in->outfield_depth != NULL && (d.outfield_depth =
	    names_lookup(outfields, NELEM(outfields), in->outfield_depth)) < 0)
		return (pd_error_set(err, PD_E_INVALID_DECISION,
		    "outfield_depth", "Invalid outfield_depth"));
	if (in->nhold < 0 || in->nhold > (int)NELEM(in->hold_runners))
		return (pd_error_set(err, PD_E_INVALID_DECISION,
		    "hold_runners", "Too many hold_runners"));
	for (i = 0; i < in->nhold; i++) {
		b = in->hold_runners[i];
		if (b < 1 || b > 3)
			return (pd_error_set(err, PD_E_INVALID_DECISION,
			    "hold_runners", "Invalid base %d in hold_runners",
			    b));
		if (g->base[b] < 0)
			return (pd_error_set(err, PD_E_INVALID_DECISION,
			    "hold_runners", "No runner on base %d to hold", b));
		d.hold |= 1 << b;
	}

	if (g->locked || g->off_submitted)
		return (pd_error_set(err, PD_E_DECISION_LOCKED, PD_F_GAME_STATE,
		    "Decisions are locked for this play"));
	g->def = d;
	g->def_submitted = 1;
	pd_game_start(g);
	return (PD_OK);
}

int
pd_game_offense(struct pd_game *g, const struct pd_off_input *in,
    struct pd_error *err)
{
	struct pd_off_decision	d;
	int			i, t, all;

	if (g->status == PD_STATUS_FINAL)
		return (pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
		    "Game is over"));
	memset(&d, 0, sizeof(d));
	if (in->approach != NULL && (d.approach = names_lookup(approaches,
	    NELEM(approaches), in->approach)) < 0)
		return (pd_error_set(err, PD_E_INVALID_DECISION, "approach",
		    "Invalid approach"));
	if (in->nsteal < 0 || in->nsteal > (int)NELEM(in->steal_attempts))
		return (pd_error_set(err, PD_E_INVALID_DECISION,
		    "steal_attempts", "Too many steal_attempts"));
	all = 0;
	for (i = 0; i < in->nsteal; i++) {
		t = in->steal_attempts[i];
		if (t < 2 || t > 4)
			return (pd_error_set(err, PD_E_INVALID_DECISION,
			    "steal_attempts", "Invalid steal target %d", t));
		all |= 1 << t;
	}
	for (t = 2; t <= 4; t++) {
		if (!(all & (1 << t)))
			continue;
		if (g->base[t - 1] < 0)
			return (pd_error_set(err, PD_E_INVALID_DECISION,
			    "steal_attempts", "No runner on base %d to steal %d",
			    t - 1, t));
		/* The target must be empty or its runner stealing too. */
		if (t < 4 && g->base[t] >= 0 && !(all & (1 << (t + 1))))
			return (pd_error_set(err, PD_E_INVALID_DECISION,
			    "steal_attempts", "Base %d is occupied", t));
	}
	d.steal = all;
	d.hit_and_run = in->hit_and_run != 0;
	d.bunt_attempt = in->bunt_attempt != 0;
	if (d.hit_and_run && g->base[1] < 0)
		return (pd_error_set(err, PD_E_INVALID_DECISION, "hit_and_run",
		    "Hit-and-run needs a runner on first"));

	/*
	 * The defense goes first; a roll locks both.  The contract checks
	 * the order before the lock.
	 */
	if (!g->def_submitted)
		return (pd_error_set(err, PD_E_NOT_YOUR_TURN, PD_F_GAME_STATE,
		    "Waiting for the defensive decision"));
	if (g->locked)
		return (pd_error_set(err, PD_E_DECISION_LOCKED, PD_F_GAME_STATE,
		    "Decisions are locked for this play"));
	g->off = d;
	g->off_submitted = 1;
	pd_game_start(g);
	return (PD_OK);
}

int
pd_game_outcome(struct pd_game *g, const struct pd_outcome_input *in,
    int64_t now_ms, struct pd_play_result *res, struct pd_error *err)
{
	const struct pd_rules		*rules;
	const struct pd_outcome_info	*oi;
	struct pd_resolved		 rv;
	struct pd_sc_play		 sp;
	int				 o, loc, lead, i, b, bat, outs_before;
	int				 mask, pa, newbase[4], runs, outs;

	if (g->status == PD_STATUS_FINAL)
		return (pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
		    "Game is over"));
	if (game_check_outcome(g, in, &o, &loc, &lead, err) == PD_ERR)
		return (PD_ERR);
	oi = pd_outcome_info(o);
	if ((rules = pd_rules_active()) == NULL)
		return (pd_error_set(err, PD_E_INTERNAL, NULL,
		    "No rules table"));
	mask = pd_game_runners_mask(g);
	pa = oi->kind != PD_OK_RUNNER;
	if (pd_rules_resolve(rules, o, mask, game_context(g), lead,
	    pa ? 0 : in->runner_base, &rv, err) == PD_ERR)
		return (PD_ERR);

	if (!g->has_roll)
		return (pd_error_set(err, PD_E_NO_PENDING_ROLL, PD_F_GAME_STATE,
		    "No pending dice roll - call roll_dice first"));
	if (now_ms > g->roll_expires_ms)
		return (pd_error_set(err, PD_E_ROLL_EXPIRED, PD_F_GAME_STATE,
		    "Roll expired - please roll again"));

	/* Accepted: from here on the game changes. */
	bat = pd_game_batting(g);
	outs_before = g->outs;
	game_third_out(g, &rv);
	game_walk_off(g, o, &rv);

	memset(res, 0, sizeof(*res));
	(void)snprintf(res->game_id, sizeof(res->game_id), "%s", g->game_id);
	res->play_number = g->play_number + 1;
	res->outcome = o;
	res->hit_location = loc;
	(void)snprintf(res->roll_id, sizeof(res->roll_id), "%s",
	    g->roll.roll_id);
	res->ends_pa = pa;
	res->side = bat;
	res->batter_lineup_id =
	    g->team[bat].lu[pd_game_current_batter(g)].lineup_id;
	res->pitcher_lineup_id =
	    g->team[1 - bat].lu[pd_game_current_pitcher(g)].lineup_id;
	res->inning = g->inning;
	res->half = g->half;

	for (i = 0; i < 4; i++)
		newbase[i] = -1;
	for (i = 1; i <= 3; i++)
		newbase[i] = g->base[i];
	runs = outs = 0;
	memset(&sp, 0, sizeof(sp));
	for (i = 0; i < rv.nmoves; i++) {
		b = rv.mv[i].from;
		res->adv[i].from = b;
		res->adv[i].to = rv.mv[i].to;
		res->adv[i].out = rv.mv[i].out != PD_MV_SAFE;
		sp.moves[i].from = b;
		sp.moves[i].to = rv.mv[i].to;
		sp.moves[i].out = res->adv[i].out;
		if (b > 0 && newbase[b] == g->base[b])
			newbase[b] = -1;
	}
	for (i = 0; i < rv.nmoves; i++) {
		b = rv.mv[i].from;
		if (res->adv[i].out) {
			outs++;
			if (b == 0)
				res->is_out = 1;
			continue;
		}
		if (rv.mv[i].to == 4) {
			runs++;
			continue;
		}
		newbase[rv.mv[i].to] = (b == 0) ? pd_game_current_batter(g) :
		    g->base[b];
	}
	res->nadv = rv.nmoves;
	sp.nmoves = rv.nmoves;
	res->outs_recorded = outs;
	res->runs_scored = runs;
	res->batter_result = game_batter_result(oi, &rv, outs_before, runs);
	res->is_hit = oi->kind == PD_OK_HIT;
	res->is_walk = oi->kind == PD_OK_WALK || oi->kind == PD_OK_IBB;
	game_describe(res, oi, runs);

	sp.event = game_score_event(res->batter_result);
	sp.batter = pa ? pd_game_current_batter(g) : -1;
	if (rv.flags & PD_RF_DP && outs >= 2 && res->is_out)
		sp.flags |= PD_SCF_GIDP;
	if (rv.flags & (PD_RF_NORBI | PD_RF_ERR))
		sp.flags |= PD_SCF_NO_RBI;
	if (rv.flags & (PD_RF_ERR | PD_RF_PB))
		sp.flags |= PD_SCF_UNEARNED;
	sp.errors = (rv.flags & PD_RF_ERR) ? 1 : 0;
	if (pd_score_play(&g->sc, &sp, err) == PD_ERR)
		return (PD_ERR);

	for (i = 1; i <= 3; i++)
		g->base[i] = newbase[i];
	g->score[bat] += runs;
	g->outs += outs;
	g->play_number++;
	if (pa)
		g->team[bat].next = (g->team[bat].next + 1) % 9;
	g->has_roll = 0;
	game_reset_decisions(g);
	pd_game_start(g);
	game_after_play(g, res);
	return (PD_OK);
}

static int
game_check_roster(const struct pd_roster *r, struct pd_error *err)
{
	int		i, j, batters, pitchers;

	if (r->ncards < 10 || r->ncards > PD_MAX_PLAYERS)
		return (pd_error_set(err, PD_E_INVALID_ROSTER, "roster",
		    "Team %lld: a roster needs 10 to %d cards",
		    (long long)r->team_id, PD_MAX_PLAYERS));
	batters = pitchers = 0;
	for (i = 0; i < r->ncards; i++) {
		if (r->cards[i].is_pitcher)
			pitchers++;
		else
			batters++;
		for (j = 0; j < i; j++) {
			if (r->cards[j].card_id == r->cards[i].card_id)
				return (pd_error_set(err, PD_E_INVALID_ROSTER,
				    "roster", "Card %lld appears twice",
				    (long long)r->cards[i].card_id));
		}
	}
	if (batters < 9 || pitchers < 1)
		return (pd_error_set(err, PD_E_INVALID_ROSTER, "roster",
		    "Team %lld: needs 9 position players and a pitcher",
		    (long long)r->team_id));
	return (PD_OK);
}

/*
 * Nine batters with a DH and a starting pitcher.  Each fielding position
 * takes the first unused position player listing it (scarce positions
 * first), falling back to any position player; the DH is the first one
 * left.  The batting order follows the roster order.
 */
static int
game_default_lineup(struct pd_team *t, int side, struct pd_error *err)
{
	struct pd_roster	*r = &t->roster;
	int			 used[PD_MAX_PLAYERS], k, i, pos, pick, slot;

	memset(used, 0, sizeof(used));
	for (i = 0; i < r->ncards; i++) {
		t->lu[i].position = PD_POS_NONE;
		t->lu[i].status = PD_LU_BENCH;
	}
	for (k = 0; k < (int)NELEM(fill_order) + 1; k++) {
		pos = k < (int)NELEM(fill_order) ? fill_order[k] : PD_POS_DH;
		pick = -1;
		for (i = 0; i < r->ncards && pick < 0; i++) {
			if (!used[i] && !r->cards[i].is_pitcher &&
			    (r->cards[i].positions & (1u << pos)))
				pick = i;
		}
		for (i = 0; i < r->ncards && pick < 0; i++) {
			if (!used[i] && !r->cards[i].is_pitcher)
				pick = i;
		}
		if (pick < 0)
			return (pd_error_set(err, PD_E_INVALID_ROSTER, "roster",
			    "Not enough position players"));
		used[pick] = 1;
		t->lu[pick].position = pos;
	}
	slot = 0;
	for (i = 0; i < r->ncards; i++) {
		if (!used[i])
			continue;
		t->order[slot] = i;
		t->lu[i].batting_order = ++slot;
		t->lu[i].status = PD_LU_ACTIVE;
		t->lu[i].is_starter = 1;
	}
	t->pitcher = -1;
	for (i = 0; i < r->ncards && t->pitcher < 0; i++) {
		if (r->cards[i].is_pitcher)
			t->pitcher = i;
	}
	if (t->pitcher < 0)
		return (pd_error_set(err, PD_E_INVALID_ROSTER, "roster",
		    "No pitcher on side %d", side));
	t->lu[t->pitcher].position = PD_POS_P;
	t->lu[t->pitcher].status = PD_LU_ACTIVE;
	t->lu[t->pitcher].is_starter = 1;
	t->next = 0;
	return (PD_OK);
}

static int
names_lookup(const struct names *n, size_t count, const char *s)
{
	size_t		i;

	for (i = 0; i < count; i++)
		if (strcmp(n[i].name, s) == 0)
			return (n[i].value);
	return (-1);
}

static int
game_context(const struct pd_game *g)
{
	int		in;

	if (g->outs >= 2)
		return (PD_CTX_TWO_OUT);
	in = g->def.infield_depth == PD_IF_IN;
	if (g->off.hit_and_run && g->base[1] >= 0)
		return (in ? PD_CTX_HITRUN_IN : PD_CTX_HITRUN);
	return (in ? PD_CTX_IN : PD_CTX_NORMAL);
}

/* The request's own validity (CONTRACT 6, step 6). */
static int
game_check_outcome(const struct pd_game *g, const struct pd_outcome_input *in,
    int *op, int *locp, int *leadp, struct pd_error *err)
{
	const struct pd_outcome_info	*oi;
	int				 o, rb;

	*op = -1;
	*locp = PD_POS_NONE;
	*leadp = PD_LEAD_NONE;
	if (in->outcome == NULL)
		return (pd_error_set(err, PD_E_MISSING_FIELD, "outcome",
		    "Missing outcome"));
	if ((o = pd_outcome_lookup(in->outcome)) < 0)
		return (pd_error_set(err, PD_E_INVALID_OUTCOME, "outcome",
		    "Invalid outcome"));
	oi = pd_outcome_info(o);
	*op = o;
	if (in->hit_location != NULL) {
		*locp = pd_pos_lookup(in->hit_location);
		if (!pd_pos_is_location(*locp))
			return (pd_error_set(err, PD_E_INVALID_OUTCOME,
			    "hit_location", "Invalid hit_location"));
	} else if (oi->needs_location) {
		return (pd_error_set(err, PD_E_MISSING_FIELD, "hit_location",
		    "Outcome %s requires hit_location", oi->name));
	}
	*leadp = PD_LEAD_NONE;
	if (in->lead_runner != NULL) {
		if (strcmp(in->lead_runner, "safe") == 0)
			*leadp = PD_LEAD_SAFE;
		else if (strcmp(in->lead_runner, "out") == 0)
			*leadp = PD_LEAD_OUT;
		else
			return (pd_error_set(err, PD_E_INVALID_OUTCOME,
			    "lead_runner", "Invalid lead_runner"));
	}
	if (oi->needs_runner) {
		rb = in->runner_base;
		if (rb == 0)
			return (pd_error_set(err, PD_E_MISSING_FIELD,
			    "runner_base", "Outcome %s requires runner_base",
			    oi->name));
		if (rb < 1 || rb > 3 || g->base[rb] < 0)
			return (pd_error_set(err, PD_E_INVALID_OUTCOME,
			    "runner_base", "No runner on base %d", rb));
		if (o == PD_O_STOLEN_BASE && rb < 3 && g->base[rb + 1] >= 0)
			return (pd_error_set(err, PD_E_INVALID_OUTCOME,
			    "runner_base", "Base %d is occupied", rb + 1));
	}
	if (oi->needs_on_base && pd_game_runners_mask(g) == 0)
		return (pd_error_set(err, PD_E_INVALID_OUTCOME, "outcome",
		    "Outcome %s requires a runner on base", oi->name));
	return (PD_OK);
}

/*
 * Outs past the third do not happen (the runner stays, left on base),
 * and when the third out is the batter or a force out no run scores;
 * when it is a runner who was not forced, the runs that others scored
 * on the play count.  The batter's out is counted first.
 */
static void
game_third_out(const struct pd_game *g, struct pd_resolved *rv)
{
	int		i, outs, kills, third;

	outs = g->outs;
	third = 0;
	kills = 0;
	for (i = rv->nmoves - 1; i >= 0; i--) {
		if (rv->mv[i].from != 0 || rv->mv[i].out == PD_MV_SAFE)
			continue;
		if (++outs == 3) {
			third = 1;
			kills = 1;
		}
	}
	for (i = 0; i < rv->nmoves; i++) {
		if (rv->mv[i].from == 0 || rv->mv[i].out == PD_MV_SAFE)
			continue;
		if (outs >= 3) {
			rv->mv[i].out = PD_MV_SAFE;
			rv->mv[i].to = rv->mv[i].from;
			continue;
		}
		if (++outs == 3) {
			third = 1;
			kills = rv->mv[i].out == PD_MV_FORCE_OUT;
		}
	}
	if (third && kills) {
		for (i = 0; i < rv->nmoves; i++) {
			if (rv->mv[i].out == PD_MV_SAFE && rv->mv[i].to == 4)
				rv->mv[i].to = rv->mv[i].from;
		}
	}
	if (third)
		game_settle(rv);
}

/*
 * After a third out, runners sent back (a run that does not count, an
 * out that did not happen) may meet a runner who moved into their base:
 * the one who moved goes back too.  Their places only matter for the
 * runners left on base.
 */
static void
game_settle(struct pd_resolved *rv)
{
	struct pd_move	*a, *b, *m;
	int		 i, j, again, rounds;

	for (rounds = 0, again = 1; again && rounds < 8; rounds++) {
		again = 0;
		for (i = 0; i < rv->nmoves; i++) {
			for (j = i + 1; j < rv->nmoves; j++) {
				a = &rv->mv[i];
				b = &rv->mv[j];
				if (a->out != PD_MV_SAFE || b->out != PD_MV_SAFE ||
				    a->to != b->to || a->to < 1 || a->to > 3)
					continue;
				m = (a->from > 0 && a->to != a->from) ? a : b;
				if (m->from == 0 || m->to == m->from)
					continue;
				m->to = m->from;
				again = 1;
			}
		}
	}
}

/*
 * Bottom of the ninth or later: the game ends when the home team takes
 * the lead.  On a home run every run counts; otherwise (OBR 9.06(f))
 * the runners behind the winning run, the batter included, advance only
 * as many bases as the winning runner did, and none of them is put out.
 */
static void
game_walk_off(const struct pd_game *g, int o, struct pd_resolved *rv)
{
	int		i, home, k, lim, hr;

	if (g->half != PD_BOTTOM || g->inning < PD_INNINGS)
		return;
	hr = (o == PD_O_HOMERUN || o == PD_O_BP_HOMERUN);
	home = g->score[PD_HOME];
	for (i = 0; i < rv->nmoves; i++) {
		if (rv->mv[i].out == PD_MV_SAFE && rv->mv[i].to == 4)
			home++;
		if (home > g->score[PD_AWAY])
			break;
	}
	if (i >= rv->nmoves || hr)
		return;
	k = 4 - rv->mv[i].from;
	for (i = i + 1; i < rv->nmoves; i++) {
		if (rv->mv[i].out != PD_MV_SAFE) {
			if (rv->mv[i].from == 0)
				continue;	/* the batter was out first */
			rv->mv[i].out = PD_MV_SAFE;
		}
		lim = rv->mv[i].from + k;
		if (lim > 3)
			lim = 3;
		if (rv->mv[i].to > lim)
			rv->mv[i].to = (signed char)lim;
	}
}

static const char *
game_batter_result(const struct pd_outcome_info *oi,
    const struct pd_resolved *rv, int outs_before, int runs)
{
	const struct pd_move	*bm;
	int			 i, outs, advanced;

	bm = NULL;
	outs = advanced = 0;
	for (i = 0; i < rv->nmoves; i++) {
		if (rv->mv[i].from == 0)
			bm = &rv->mv[i];
		else if (rv->mv[i].out == PD_MV_SAFE &&
		    rv->mv[i].to > rv->mv[i].from)
			advanced = 1;
		if (rv->mv[i].out != PD_MV_SAFE)
			outs++;
	}
	if (oi->kind == PD_OK_HIT && bm != NULL) {
		switch (bm->to) {
		case 1:
			return ("1B");
		case 2:
			return ("2B");
		case 3:
			return ("3B");
		default:
			return ("HR");
		}
	}
	if (oi->kind != PD_OK_OUT && oi->kind != PD_OK_BUNT)
		return (oi->result);
	if (bm != NULL && bm->out == PD_MV_SAFE)
		return ("FC");
	if ((rv->flags & PD_RF_DP) && outs >= 2)
		return ("DP");
	if ((rv->flags & PD_RF_SF) && runs > 0 && outs_before < 2)
		return ("SF");
	if ((rv->flags & PD_RF_SH) && advanced)
		return ("SH");
	return ("OUT");
}

static int
game_score_event(const char *br)
{
	static const struct names map[] = {
		{ "1B", PD_SC_SINGLE }, { "2B", PD_SC_DOUBLE },
		{ "3B", PD_SC_TRIPLE }, { "HR", PD_SC_HOMERUN },
		{ "BB", PD_SC_WALK }, { "IBB", PD_SC_IBB },
		{ "HBP", PD_SC_HBP }, { "K", PD_SC_STRIKEOUT },
		{ "E", PD_SC_ERROR }, { "SH", PD_SC_SAC_BUNT },
		{ "SF", PD_SC_SAC_FLY }, { "WP", PD_SC_WILD_PITCH },
		{ "PB", PD_SC_PASSED_BALL }, { "BK", PD_SC_BALK },
		{ "SB", PD_SC_STOLEN_BASE }, { "CS", PD_SC_CAUGHT_STEALING },
		{ "PO", PD_SC_PICKOFF },
	};
	int		e;

	e = names_lookup(map, NELEM(map), br);
	return (e < 0 ? PD_SC_OUT : e);
}

static void
game_describe(struct pd_play_result *res, const struct pd_outcome_info *oi,
    int runs)
{
	static const char	*base_names[] = { "home", "first", "second",
				    "third", "home" };
	const char		*br = res->batter_result;
	char			 extra[64];
	size_t			 len;
	int			 i;

	extra[0] = '\0';
	if (strcmp(br, "DP") == 0)
		(void)snprintf(extra, sizeof(extra), ", double play");
	else if (strcmp(br, "FC") == 0)
		(void)snprintf(extra, sizeof(extra), ", fielder's choice");
	else if (strcmp(br, "SF") == 0)
		(void)snprintf(extra, sizeof(extra), ", sacrifice fly");
	else if (strcmp(br, "SH") == 0)
		(void)snprintf(extra, sizeof(extra), ", runner advances");

	if (oi->kind == PD_OK_RUNNER) {
		for (i = 0; i < res->nadv; i++) {
			if (res->adv[i].to != res->adv[i].from ||
			    res->adv[i].out)
				break;
		}
		if (oi->needs_runner && i < res->nadv)
			(void)snprintf(extra, sizeof(extra),
			    ", runner from %s", base_names[res->adv[i].from]);
	}

	if (res->hit_location != PD_POS_NONE)
		(void)snprintf(res->description, sizeof(res->description),
		    "%s %s %s%s", oi->text,
		    oi->kind == PD_OK_ERROR ? "by" : "to",
		    pd_pos_long_name(res->hit_location), extra);
	else
		(void)snprintf(res->description, sizeof(res->description),
		    "%s%s", oi->text, extra);

	len = strlen(res->description);
	if (runs > 0 && len < sizeof(res->description))
		(void)snprintf(res->description + len,
		    sizeof(res->description) - len, ", %d run%s scored", runs,
		    runs == 1 ? "" : "s");
}

/* End of the game, of the half, or nothing. */
static void
game_after_play(struct pd_game *g, struct pd_play_result *res)
{
	int		b;

	if (g->half == PD_BOTTOM && g->inning >= PD_INNINGS &&
	    g->score[PD_HOME] > g->score[PD_AWAY]) {
		game_end(g);
		res->game_over = 1;
		return;
	}
	if (g->outs < 3)
		return;
	res->half_over = 1;
	if (g->inning >= PD_INNINGS && g->score[PD_HOME] != g->score[PD_AWAY] &&
	    (g->half == PD_BOTTOM || g->score[PD_HOME] > g->score[PD_AWAY])) {
		game_end(g);
		res->game_over = 1;
		return;
	}
	pd_score_half_end(&g->sc);
	if (g->half == PD_TOP) {
		g->half = PD_BOTTOM;
	} else {
		g->half = PD_TOP;
		g->inning++;
	}
	g->outs = 0;
	for (b = 1; b <= 3; b++)
		g->base[b] = -1;
	pd_score_half_begin(&g->sc, g->inning, pd_game_batting(g));
}

static void
game_end(struct pd_game *g)
{
	g->status = PD_STATUS_FINAL;
	g->winner = g->score[PD_HOME] > g->score[PD_AWAY] ? PD_HOME : PD_AWAY;
	g->has_roll = 0;
	pd_score_game_end(&g->sc);
}

static void
game_reset_decisions(struct pd_game *g)
{
	memset(&g->def, 0, sizeof(g->def));
	memset(&g->off, 0, sizeof(g->off));
	g->def_submitted = 0;
	g->off_submitted = 0;
	g->locked = 0;
}
