/*
 * Rule 9 through the game: sacrifice fly, RBI on a bases-loaded walk, no
 * RBI on a double play, earned and unearned runs, W/L/S, innings pitched.
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

static const struct pd_bat_stats *
batter_of_last_play(void)
{
	int	s, i;

	cr_assert(pd_game_find_lineup(&g, res.batter_lineup_id, &s, &i) ==
	    PD_OK);
	return (&g.sc.side[s].bat[i]);
}

static const struct pd_pit_stats *
pitcher(int side)
{
	return (&g.sc.side[side].pit[g.team[side].pitcher]);
}

static void
three_outs(void)
{
	play("strikeout", NULL);
	play("strikeout", NULL);
	play("strikeout", NULL);
}

static void
change_pitcher(int side, int64_t card)
{
	struct pd_sub_input	in;
	struct pd_sub_result	sr;

	memset(&in, 0, sizeof(in));
	in.team_id = g.team[side].roster.team_id;
	in.player_out_lineup_id = g.team[side].lu[g.team[side].pitcher].
	    lineup_id;
	in.player_in_card_id = card;
	cr_assert(pd_game_pitching_change(&g, &in, SIM_NOW, &sr, &err) ==
	    PD_OK, "%s", err.message);
}

TestSuite(engine_score, .init = setup);

Test(engine_score, sacrifice_fly)
{
	const struct pd_bat_stats	*b;

	sim_place(&g, 4, 0);
	play("flyball_b", "CF");
	b = batter_of_last_play();
	cr_expect_str_eq(res.batter_result, "SF");
	cr_expect_eq(b->sf, 1);
	cr_expect_eq(b->ab, 0);
	cr_expect_eq(b->pa, 1);
	cr_expect_eq(b->rbi, 1);
}

Test(engine_score, rbi_on_bases_loaded_walk)
{
	const struct pd_bat_stats	*b;

	sim_place(&g, 7, 1);
	play("walk", NULL);
	b = batter_of_last_play();
	cr_expect_eq(b->rbi, 1);
	cr_expect_eq(b->bb, 1);
	cr_expect_eq(b->ab, 0);
	cr_expect_eq(pitcher(PD_HOME)->bb, 1);
	cr_expect_eq(pitcher(PD_HOME)->er, 1);
}

Test(engine_score, no_rbi_on_double_play)
{
	const struct pd_bat_stats	*b;

	sim_place(&g, 5, 0);
	play("groundball_a", "SS");
	b = batter_of_last_play();
	cr_expect_eq(res.runs_scored, 1);
	cr_expect_eq(b->rbi, 0);
	cr_expect_eq(b->gidp, 1);
	cr_expect_eq(b->ab, 1);
}

Test(engine_score, rbi_on_groundout_and_hits)
{
	sim_place(&g, 4, 0);
	play("groundball_c", "2B");
	cr_expect_eq(batter_of_last_play()->rbi, 1);
	play("homerun", "LF");
	cr_expect_eq(batter_of_last_play()->rbi, 1);
	cr_expect_eq(batter_of_last_play()->hr, 1);
	cr_expect_eq(pitcher(PD_HOME)->hr, 1);
}

Test(engine_score, unearned_runs_after_an_error)
{
	sim_place(&g, 0, 2);
	play("error_1", "SS");		/* the inning should be over */
	play("homerun", "LF");
	cr_expect_eq(g.score[PD_AWAY], 2);
	cr_expect_eq(pitcher(PD_HOME)->r, 2);
	cr_expect_eq(pitcher(PD_HOME)->er, 0);
	cr_expect_eq(g.sc.side[PD_HOME].e, 1);
	cr_expect_eq(batter_of_last_play()->rbi, 2);
}

Test(engine_score, runner_reaching_on_error_scores_unearned)
{
	play("error_2", "3B");
	play("single_2", NULL);
	cr_expect_eq(res.runs_scored, 1);
	cr_expect_eq(pitcher(PD_HOME)->r, 1);
	cr_expect_eq(pitcher(PD_HOME)->er, 0);
	play("homerun", "RF");
	cr_expect_eq(pitcher(PD_HOME)->r, 3);
	cr_expect_eq(pitcher(PD_HOME)->er, 2);
}

Test(engine_score, passed_ball_run_is_unearned)
{
	sim_place(&g, 4, 0);
	cr_assert(sim_play(&g, "passed_ball", NULL, NULL, 0, &res, &err) ==
	    PD_OK);
	cr_expect_eq(pitcher(PD_HOME)->r, 1);
	cr_expect_eq(pitcher(PD_HOME)->er, 0);
	sim_place(&g, 4, 0);
	cr_assert(sim_play(&g, "wild_pitch", NULL, NULL, 0, &res, &err) ==
	    PD_OK);
	cr_expect_eq(pitcher(PD_HOME)->er, 1);
	cr_expect_eq(pitcher(PD_HOME)->wp, 1);
}

/* Starter goes eight, a reliever protects a one-run lead: W, L, S. */
Test(engine_score, win_loss_save)
{
	int	i, starter, closer;

	starter = g.team[PD_AWAY].pitcher;
	play("homerun", "LF");
	three_outs();
	for (i = 0; i < 15; i++)
		three_outs();
	cr_expect_eq(g.inning, 9);
	three_outs();				/* top of the 9th */
	change_pitcher(PD_AWAY, 115);
	closer = g.team[PD_AWAY].pitcher;
	three_outs();
	cr_assert_eq(g.status, PD_STATUS_FINAL);
	cr_expect_eq(g.sc.side[PD_AWAY].pit[starter].decision, 'W');
	cr_expect_eq(g.sc.side[PD_AWAY].pit[closer].decision, 'S');
	cr_expect_eq(g.sc.side[PD_HOME].pit[g.team[PD_HOME].pitcher].decision,
	    'L');
	cr_expect_eq(g.sc.side[PD_AWAY].pit[starter].outs, 24);
}

/* A starter short of five innings does not get the win. */
Test(engine_score, short_starter_no_win)
{
	int	i, starter, reliever;

	starter = g.team[PD_AWAY].pitcher;
	play("homerun", "LF");
	three_outs();
	three_outs();			/* bottom 1 */
	three_outs();			/* top 2 */
	three_outs();			/* bottom 2 */
	change_pitcher(PD_AWAY, 115);
	reliever = g.team[PD_AWAY].pitcher;
	for (i = 0; i < 14; i++)
		three_outs();
	cr_assert_eq(g.status, PD_STATUS_FINAL);
	cr_expect_eq(g.sc.side[PD_AWAY].pit[starter].decision, 0);
	cr_expect_eq(g.sc.side[PD_AWAY].pit[reliever].decision, 'W');
	cr_expect_eq(g.sc.side[PD_AWAY].pit[reliever].outs, 21);
}

/* Lead changes: the loser is charged with the go-ahead run. */
Test(engine_score, loser_charged_with_go_ahead_run)
{
	int	i, home_starter, home_reliever;

	home_starter = g.team[PD_HOME].pitcher;
	play("homerun", "LF");		/* away 1-0 off the starter */
	three_outs();
	play("homerun", "LF");		/* home ties */
	play("homerun", "LF");		/* home leads 2-1 */
	three_outs();
	change_pitcher(PD_HOME, 215);
	home_reliever = g.team[PD_HOME].pitcher;
	play("homerun", "LF");
	play("homerun", "LF");		/* away leads 3-2 for good */
	for (i = 0; i < 16; i++)
		three_outs();
	cr_assert_eq(g.status, PD_STATUS_FINAL);
	cr_expect_eq(g.winner, PD_AWAY);
	cr_expect_eq(g.sc.side[PD_HOME].pit[home_reliever].decision, 'L');
	cr_expect_eq(g.sc.side[PD_HOME].pit[home_starter].decision, 0);
}

Test(engine_score, innings_pitched_format)
{
	char	*box;

	three_outs();
	three_outs();
	play("strikeout", NULL);	/* the home starter: four outs */
	box = pd_json_box_score_str(&g, NULL);
	cr_assert_not_null(box);
	cr_expect(strstr(box, "\"ip\":\"1.1\"") != NULL, "%s", box);
	free(box);
}
