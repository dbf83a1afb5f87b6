/* Substitutions: every rule and error code (docs/engine.md). */
#include <string.h>

#include <criterion/criterion.h>

#include "../property/engine_sim.h"

static struct pd_game		g;
static struct pd_play_result	res;
static struct pd_sub_input	in;
static struct pd_sub_result	sr;
static struct pd_error		err;

static void
setup(void)
{
	cr_assert(sim_create(&g, "game-1") == PD_OK);
	memset(&in, 0, sizeof(in));
}

static int
lid(int side, int idx)
{
	return (g.team[side].lu[idx].lineup_id);
}

TestSuite(engine_subst, .init = setup);

Test(engine_subst, pinch_hitter)
{
	int	out = pd_game_current_batter(&g);

	in.team_id = 1;
	in.player_out_lineup_id = lid(PD_AWAY, out);
	in.player_in_card_id = 109;	/* bench batter, card index 9 */
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_OK,
	    "%s", err.message);
	cr_expect_str_eq(sr.type, "pinch_hitter");
	cr_expect_eq(sr.new_lineup_id, lid(PD_AWAY, 9));
	cr_expect_eq(sr.batting_order, 1);
	cr_expect_eq(sr.position, g.team[PD_AWAY].lu[out].position);
	cr_expect_str_eq(sr.message, "Pinch hitter: #1 now batting");
	cr_expect_eq(pd_game_current_batter(&g), 9);
	cr_expect_eq(g.team[PD_AWAY].lu[out].status, PD_LU_REMOVED);
	/* The replaced player cannot come back. */
	in.player_out_lineup_id = lid(PD_AWAY, 9);
	in.player_in_card_id = 100 + out;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_PLAYER_ALREADY_OUT);
	cr_expect_str_eq(err.field, "player_in_card_id");
	/* ...and the removed one cannot be taken out again. */
	in.player_out_lineup_id = lid(PD_AWAY, out);
	in.player_in_card_id = 110;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_PLAYER_ALREADY_OUT);
	cr_expect_str_eq(err.field, "player_out_lineup_id");
}

Test(engine_subst, pinch_hitter_only_for_current_batter)
{
	in.team_id = 1;
	in.player_out_lineup_id = lid(PD_AWAY, g.team[PD_AWAY].order[3]);
	in.player_in_card_id = 109;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NOT_CURRENT_BATTER);
	/* The fielding team has no current batter. */
	in.team_id = 2;
	in.player_out_lineup_id = lid(PD_HOME, g.team[PD_HOME].order[0]);
	in.player_in_card_id = 209;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NOT_CURRENT_BATTER);
}

Test(engine_subst, roster_and_activity_checks)
{
	in.team_id = 1;
	in.player_out_lineup_id = lid(PD_AWAY, pd_game_current_batter(&g));
	in.player_in_card_id = 999;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NOT_IN_ROSTER);
	in.player_in_card_id = 101;	/* already in the lineup */
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_ALREADY_ACTIVE);
	in.player_in_card_id = 209;	/* the other team's card */
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NOT_IN_ROSTER);
	in.team_id = 77;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_TEAM);
	in.team_id = 1;
	in.player_out_lineup_id = 9999;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_PLAYER_NOT_FOUND);
	in.player_out_lineup_id = lid(PD_AWAY, 10);	/* on the bench */
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_PLAYER_NOT_ACTIVE);
}

Test(engine_subst, defensive_replacement)
{
	int	out = g.team[PD_HOME].order[4];

	in.team_id = 2;
	in.player_out_lineup_id = lid(PD_HOME, out);
	in.player_in_card_id = 211;
	in.new_position = "CF";
	cr_assert(pd_game_defensive_replacement(&g, &in, SIM_NOW, &sr,
	    &err) == PD_OK, "%s", err.message);
	cr_expect_str_eq(sr.type, "defensive_replacement");
	cr_expect_str_eq(sr.message, "Defensive replacement: CF");
	cr_expect_eq(sr.batting_order, 5);
	cr_expect_eq(g.team[PD_HOME].order[4], 11);
	cr_expect_eq(g.team[PD_HOME].lu[11].position, PD_POS_CF);
	in.player_out_lineup_id = lid(PD_HOME, g.team[PD_HOME].order[0]);
	in.player_in_card_id = 212;
	in.new_position = "XX";
	cr_assert(pd_game_defensive_replacement(&g, &in, SIM_NOW, &sr,
	    &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_POSITION);
	in.new_position = NULL;
	cr_assert(pd_game_defensive_replacement(&g, &in, SIM_NOW, &sr,
	    &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_MISSING_FIELD);
	in.new_position = "P";
	cr_assert(pd_game_defensive_replacement(&g, &in, SIM_NOW, &sr,
	    &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_POSITION);
}

Test(engine_subst, pitching_change_rules)
{
	in.team_id = 2;
	in.player_out_lineup_id = lid(PD_HOME, g.team[PD_HOME].pitcher);
	in.player_in_card_id = 215;
	cr_assert(pd_game_pitching_change(&g, &in, SIM_NOW, &sr, &err) ==
	    PD_ERR);
	cr_expect_str_eq(err.code, PD_E_PITCHER_NO_BATTER);
	cr_assert(sim_play(&g, "walk", NULL, NULL, 0, &res, &err) == PD_OK);
	/* Not while a roll is pending. */
	cr_assert(sim_roll(&g, SIM_NOW) == PD_OK);
	cr_assert(pd_game_pitching_change(&g, &in, SIM_NOW, &sr, &err) ==
	    PD_ERR);
	cr_expect_str_eq(err.code, PD_E_ROLL_PENDING);
	cr_assert(sim_play(&g, "walk", NULL, NULL, 0, &res, &err) == PD_OK);
	cr_assert(pd_game_pitching_change(&g, &in, SIM_NOW, &sr, &err) ==
	    PD_OK, "%s", err.message);
	cr_expect_str_eq(sr.type, "pitching_change");
	cr_expect_eq(sr.position, PD_POS_P);
	cr_expect_str_eq(sr.message, "Pitching change: New pitcher entering");
	cr_expect_eq(g.team[PD_HOME].pitcher, 15);
	/* The new one has faced nobody yet. */
	in.player_out_lineup_id = lid(PD_HOME, 15);
	in.player_in_card_id = 216;
	cr_assert(pd_game_pitching_change(&g, &in, SIM_NOW, &sr, &err) ==
	    PD_ERR);
	cr_expect_str_eq(err.code, PD_E_PITCHER_NO_BATTER);
	in.player_out_lineup_id = lid(PD_HOME, g.team[PD_HOME].order[0]);
	cr_assert(pd_game_pitching_change(&g, &in, SIM_NOW, &sr, &err) ==
	    PD_ERR);
	cr_expect_str_eq(err.code, PD_E_NOT_CURRENT_PITCHER);
}

Test(engine_subst, runner_replaced_on_base)
{
	int	out;

	cr_assert(sim_play(&g, "single_1", NULL, NULL, 0, &res, &err) ==
	    PD_OK);
	out = g.base[1];
	in.team_id = 1;
	in.player_out_lineup_id = lid(PD_AWAY, out);
	in.player_in_card_id = 113;
	in.new_position = "LF";
	cr_assert(pd_game_defensive_replacement(&g, &in, SIM_NOW, &sr,
	    &err) == PD_OK);
	cr_expect_eq(g.base[1], 13);
	cr_expect_eq(g.sc.base[1].player, 13);
}
