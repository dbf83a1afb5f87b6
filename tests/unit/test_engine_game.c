/*
 * Game state, order of play, decisions, dice and the transitions of
 * CONTRACT section 8 (end of half, home half not played, extra innings,
 * walk-offs, runner events making the third out).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "../property/engine_sim.h"

static struct pd_game		g;
static struct pd_play_result	res;
static struct pd_error		err;

static void
setup(void)
{
	cr_assert(sim_create(&g, "game-1") == PD_OK);
}

static void
play(const char *o, const char *loc)
{
	cr_assert(sim_play(&g, o, loc, NULL, 0, &res, &err) == PD_OK,
	    "%s: %s", o, err.message);
}

static void
three_outs(void)
{
	play("strikeout", NULL);
	play("strikeout", NULL);
	play("strikeout", NULL);
}

TestSuite(engine_game, .init = setup);

Test(engine_game, default_lineup)
{
	int	s, i, active, ids[2 * PD_MAX_PLAYERS], n, j;

	n = 0;
	for (s = 0; s < 2; s++) {
		active = 0;
		for (i = 0; i < g.team[s].roster.ncards; i++) {
			active += g.team[s].lu[i].status == PD_LU_ACTIVE;
			ids[n++] = g.team[s].lu[i].lineup_id;
		}
		cr_expect_eq(active, 10);
		cr_expect_eq(g.team[s].lu[g.team[s].pitcher].position, PD_POS_P);
		cr_expect_eq(g.team[s].lu[g.team[s].pitcher].batting_order, 0);
		for (i = 0; i < 9; i++)
			cr_expect_eq(g.team[s].lu[g.team[s].order[i]].
			    batting_order, i + 1);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			cr_expect_neq(ids[i], ids[j]);
	cr_expect_eq(g.status, PD_STATUS_PENDING);
}

Test(engine_game, outcome_errors_in_order)
{
	struct pd_outcome_input	in;

	memset(&in, 0, sizeof(in));
	in.outcome = "single";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NO_PENDING_ROLL);
	cr_expect_str_eq(err.message,
	    "No pending dice roll - call roll_dice first");
	cr_expect_str_eq(err.field, "game_state");
	/* Validity comes before the moment. */
	in.outcome = "groundball_c";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_MISSING_FIELD);
	cr_expect_str_eq(err.message,
	    "Outcome groundball_c requires hit_location");
	cr_expect_str_eq(err.field, "hit_location");
	in.outcome = "nope";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_OUTCOME);
	cr_expect_str_eq(err.message, "Invalid outcome");
	cr_expect_str_eq(err.field, "outcome");
	in.outcome = "lineout";
	in.hit_location = "ZZ";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "hit_location");
	in.hit_location = NULL;
	in.outcome = "stolen_base";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_MISSING_FIELD);
	cr_expect_str_eq(err.field, "runner_base");
	in.runner_base = 2;
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_OUTCOME);
	cr_expect_str_eq(err.field, "runner_base");
	in.outcome = "wild_pitch";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_OUTCOME);
	in.outcome = "single_uncapped";
	in.lead_runner = "maybe";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "lead_runner");
	cr_expect_eq(g.play_number, 0);
}

Test(engine_game, roll_pending_and_expiry)
{
	struct pd_rng_seeded	s;
	struct pd_rng		rng;
	struct pd_roll		r;
	struct pd_outcome_input	in;

	pd_rng_seeded_init(&s, &rng, 42);
	cr_assert(pd_game_roll(&g, &rng, SIM_NOW, &r, &err) == PD_OK);
	cr_expect(r.d6_one >= 1 && r.d6_one <= 6);
	cr_expect_eq(r.d6_two_total, r.d6_two_a + r.d6_two_b);
	cr_expect_eq(r.check_wild_pitch, 0);	/* bases empty */
	cr_expect_eq(strlen(r.roll_id), 32);
	cr_assert(pd_game_roll(&g, &rng, SIM_NOW + 1, &r, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_ROLL_PENDING);
	memset(&in, 0, sizeof(in));
	in.outcome = "walk";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW + PD_ROLL_TTL_MS + 1, &res,
	    &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_ROLL_EXPIRED);
	cr_expect_str_eq(err.message, "Roll expired - please roll again");
	cr_expect_str_eq(err.field, "game_state");
	/* An expired roll may be replaced. */
	cr_assert(pd_game_roll(&g, &rng, SIM_NOW + PD_ROLL_TTL_MS + 2, &r,
	    &err) == PD_OK);
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW + PD_ROLL_TTL_MS + 3, &res,
	    &err) == PD_OK);
	cr_expect_str_eq(res.roll_id, r.roll_id);
	cr_expect_eq(g.status, PD_STATUS_IN_PROGRESS);
}

Test(engine_game, seeded_dice_are_deterministic)
{
	struct pd_rng_seeded	s1, s2;
	struct pd_rng		a, b;
	struct pd_roll		r1, r2;
	int			i, seen[21];

	pd_rng_seeded_init(&s1, &a, 9);
	pd_rng_seeded_init(&s2, &b, 9);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 2000; i++) {
		pd_dice_roll(&a, 1, 1, &r1);
		pd_dice_roll(&b, 1, 1, &r2);
		cr_assert(memcmp(&r1, &r2, sizeof(r1)) == 0);
		cr_assert(r1.chaos_d20 >= 1 && r1.chaos_d20 <= 20);
		seen[r1.chaos_d20]++;
		cr_assert_eq(r1.check_wild_pitch, r1.chaos_d20 == 1);
		cr_assert_eq(r1.check_passed_ball, r1.chaos_d20 == 2);
	}
	for (i = 1; i <= 20; i++)
		cr_expect(seen[i] > 0);
	cr_expect(pd_dice_from_values(&r1, "x", 7, 1, 1, 1, 1, 0, 0, &err) ==
	    PD_ERR);
}

/* The service's pool: refills across rolls, hands out each byte once. */
Test(engine_game, system_dice_pool)
{
	struct pd_rng_system	s;
	struct pd_rng		rng;
	struct pd_roll		r, prev;
	int			i, seen[7];
	size_t			k;

	cr_assert(pd_rng_system(&s, &rng) == PD_OK);
	memset(seen, 0, sizeof(seen));
	memset(&prev, 0, sizeof(prev));
	for (i = 0; i < 2000; i++) {
		pd_dice_roll(&rng, 1, 0, &r);
		cr_assert_eq(strlen(r.roll_id), 32);
		cr_assert(strspn(r.roll_id, "0123456789abcdef") == 32);
		cr_assert(strcmp(r.roll_id, prev.roll_id) != 0);
		cr_assert(r.d6_one >= 1 && r.d6_one <= 6);
		seen[r.d6_one]++;
		for (k = 0; k < s.pos; k++)
			cr_assert_eq(s.buf[k], 0, "byte %zu not wiped", k);
		prev = r;
	}
	for (i = 1; i <= 6; i++)
		cr_expect(seen[i] > 200, "face %d: %d of 2000", i, seen[i]);
}

Test(engine_game, decision_order)
{
	struct pd_def_input	d;
	struct pd_off_input	o;

	memset(&d, 0, sizeof(d));
	memset(&o, 0, sizeof(o));
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NOT_YOUR_TURN);
	cr_expect_eq(pd_game_pending_decision(&g), PD_PENDING_DEFENSIVE);
	d.infield_depth = "in";
	cr_assert(pd_game_defense(&g, &d, &err) == PD_OK);
	d.infield_depth = "back";
	cr_assert(pd_game_defense(&g, &d, &err) == PD_OK);	/* resubmit */
	cr_expect_eq(g.def.infield_depth, PD_IF_BACK);
	cr_expect_eq(pd_game_pending_decision(&g), PD_PENDING_OFFENSIVE);
	o.approach = "power";
	cr_assert(pd_game_offense(&g, &o, &err) == PD_OK);
	o.approach = "patient";
	cr_assert(pd_game_offense(&g, &o, &err) == PD_OK);	/* last counts */
	cr_expect_eq(g.off.approach, PD_APP_PATIENT);
	cr_expect_eq(pd_game_pending_decision(&g), PD_PENDING_RESOLUTION);
	cr_assert(pd_game_defense(&g, &d, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_DECISION_LOCKED);
	cr_assert(sim_roll(&g, SIM_NOW) == PD_OK);
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_DECISION_LOCKED);
	play("walk", NULL);
	/* Reset to normal after the play. */
	cr_expect_eq(g.def.infield_depth, PD_IF_NORMAL);
	cr_expect_eq(g.off.approach, PD_APP_NORMAL);
	cr_expect_eq(pd_game_pending_decision(&g), PD_PENDING_DEFENSIVE);
}

Test(engine_game, decision_validation)
{
	struct pd_def_input	d;
	struct pd_off_input	o;

	memset(&d, 0, sizeof(d));
	d.alignment = "sideways";
	cr_assert(pd_game_defense(&g, &d, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_DECISION);
	cr_expect_str_eq(err.field, "alignment");
	d.alignment = NULL;
	d.outfield_depth = "double_play";
	cr_assert(pd_game_defense(&g, &d, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "outfield_depth");
	d.outfield_depth = NULL;
	d.hold_runners[0] = 1;
	d.nhold = 1;
	cr_assert(pd_game_defense(&g, &d, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "hold_runners");
	sim_place(&g, 3, 0);		/* runners on first and second */
	cr_assert(pd_game_defense(&g, &d, &err) == PD_OK);
	memset(&o, 0, sizeof(o));
	o.steal_attempts[0] = 2;
	o.nsteal = 1;
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "steal_attempts");	/* second occupied */
	o.steal_attempts[1] = 3;
	o.nsteal = 2;
	cr_assert(pd_game_offense(&g, &o, &err) == PD_OK);	/* double steal */
	o.steal_attempts[0] = 4;
	o.nsteal = 1;
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);	/* no R3 */
	o.steal_attempts[0] = 5;
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);
	o.nsteal = 0;
	o.approach = "bold";
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "approach");
	o.approach = NULL;
	o.hit_and_run = 1;
	cr_assert(pd_game_offense(&g, &o, &err) == PD_OK);
	sim_place(&g, 2, 0);
	cr_assert(pd_game_offense(&g, &o, &err) == PD_ERR);
	cr_expect_str_eq(err.field, "hit_and_run");
}

Test(engine_game, half_innings_and_home_ninth_not_played)
{
	struct pd_outcome_input	in;
	int			i;

	three_outs();
	cr_expect_eq(g.half, PD_BOTTOM);
	cr_expect_eq(g.outs, 0);
	play("homerun", "LF");
	for (i = 0; i < 15; i++)
		three_outs();
	/* Top of the 9th over with the home team ahead: final. */
	cr_expect_eq(g.inning, 9);
	three_outs();
	cr_expect_eq(g.status, PD_STATUS_FINAL);
	cr_expect_eq(g.half, PD_TOP);
	cr_expect_eq(g.outs, 3);
	cr_expect_eq(g.winner, PD_HOME);
	cr_expect(res.game_over);
	memset(&in, 0, sizeof(in));
	in.outcome = "walk";
	cr_assert(pd_game_outcome(&g, &in, SIM_NOW, &res, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_GAME_OVER);
}

Test(engine_game, extra_innings_and_walk_off)
{
	int	i;

	for (i = 0; i < 18; i++)
		three_outs();
	cr_expect_eq(g.inning, 10);
	cr_expect_eq(g.status, PD_STATUS_IN_PROGRESS);
	three_outs();
	sim_place(&g, 7, 0);		/* bases loaded, bottom 10th */
	play("double_3", "LF");
	/* Only the winning run counts; the batter gets a single. */
	cr_expect_eq(res.runs_scored, 1);
	cr_expect_str_eq(res.batter_result, "1B");
	cr_expect_eq(g.score[PD_HOME], 1);
	cr_expect_eq(g.status, PD_STATUS_FINAL);
	cr_expect_eq(pd_game_runners_mask(&g), 7);
}

Test(engine_game, walk_off_home_run_counts_every_run)
{
	int	i;

	for (i = 0; i < 17; i++)
		three_outs();
	sim_place(&g, 7, 1);
	play("homerun", "CF");
	cr_expect_eq(res.runs_scored, 4);
	cr_expect_eq(g.score[PD_HOME], 4);
	cr_expect_eq(g.status, PD_STATUS_FINAL);
}

Test(engine_game, runner_event_third_out_same_batter_leads_off)
{
	int	batter;

	sim_place(&g, 1, 2);
	batter = pd_game_current_batter(&g);
	cr_assert(sim_play(&g, "caught_stealing", NULL, NULL, 1, &res, &err) ==
	    PD_OK);
	cr_expect_eq(res.ends_pa, 0);
	cr_expect_eq(g.half, PD_BOTTOM);
	three_outs();
	cr_expect_eq(pd_game_current_batter(&g), batter);
}
