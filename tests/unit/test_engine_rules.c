/*
 * One test per cell of the resolution chart (CONTRACT section 8): the
 * base state and outs before, the decisions in force, the outcome; the
 * bases, outs, runs and batter_result after.  Also loading the chart:
 * built in, from a file, a league's replacement, and refused charts.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../property/engine_sim.h"

/* Arrays, not pointers: criterion copies parameters to another process. */
struct cell {
	char		 outcome[24];
	int		 mask;		/* bases before: bit 0 = first */
	int		 outs;
	int		 infield_in;
	int		 hit_and_run;
	char		 lead[8];	/* "" for none */
	int		 runner_base;
	int		 after;		/* bases after (-1: half over) */
	int		 outs_rec;
	int		 runs;
	char		 result[8];
};

static void	replace_row(char *, const char *, const char *);

#define M___	0
#define M1__	1
#define M_2_	2
#define M__3	4
#define M12_	3
#define M1_3	5
#define M_23	6
#define M123	7
#define OVER	(-1)

static struct cell cells[] = {
	/* Groundballs, fewer than 2 outs, infield normal. */
	{ "groundball_a", M___, 0, 0, 0, "", 0, M___, 1, 0, "OUT" },
	{ "groundball_a", M1__, 0, 0, 0, "", 0, M___, 2, 0, "DP" },
	{ "groundball_a", M_2_, 0, 0, 0, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_a", M__3, 0, 0, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "groundball_a", M12_, 0, 0, 0, "", 0, M__3, 2, 0, "DP" },
	{ "groundball_a", M1_3, 0, 0, 0, "", 0, M___, 2, 1, "DP" },
	{ "groundball_a", M1_3, 1, 0, 0, "", 0, OVER, 2, 0, "DP" },
	{ "groundball_a", M_23, 0, 0, 0, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_a", M123, 0, 0, 0, "", 0, M__3, 2, 1, "DP" },
	{ "groundball_a", M123, 1, 0, 0, "", 0, OVER, 2, 0, "DP" },
	{ "groundball_b", M___, 0, 0, 0, "", 0, M___, 1, 0, "OUT" },
	{ "groundball_b", M1__, 0, 0, 0, "", 0, M1__, 1, 0, "FC" },
	{ "groundball_b", M_2_, 0, 0, 0, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_b", M__3, 0, 0, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "groundball_b", M12_, 0, 0, 0, "", 0, M1_3, 1, 0, "FC" },
	{ "groundball_b", M1_3, 0, 0, 0, "", 0, M1__, 1, 1, "FC" },
	{ "groundball_b", M_23, 0, 0, 0, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_b", M123, 0, 0, 0, "", 0, M1_3, 1, 1, "FC" },
	{ "groundball_c", M___, 0, 0, 0, "", 0, M___, 1, 0, "OUT" },
	{ "groundball_c", M1__, 0, 0, 0, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_c", M_2_, 0, 0, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "groundball_c", M__3, 0, 0, 0, "", 0, M___, 1, 1, "OUT" },
	{ "groundball_c", M12_, 0, 0, 0, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_c", M1_3, 0, 0, 0, "", 0, M_2_, 1, 1, "OUT" },
	{ "groundball_c", M_23, 0, 0, 0, "", 0, M__3, 1, 1, "OUT" },
	{ "groundball_c", M123, 0, 0, 0, "", 0, M_23, 1, 1, "OUT" },
	/* Infield in. */
	{ "groundball_a", M1_3, 0, 1, 0, "", 0, M__3, 2, 0, "DP" },
	{ "groundball_a", M12_, 0, 1, 0, "", 0, M__3, 2, 0, "DP" },
	{ "groundball_a", M123, 0, 1, 0, "", 0, M_23, 2, 0, "DP" },
	{ "groundball_a", M__3, 0, 1, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "groundball_b", M1_3, 0, 1, 0, "", 0, M1_3, 1, 0, "FC" },
	{ "groundball_b", M123, 0, 1, 0, "", 0, M123, 1, 0, "FC" },
	{ "groundball_b", M12_, 0, 1, 0, "", 0, M1_3, 1, 0, "FC" },
	{ "groundball_c", M__3, 0, 1, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "groundball_c", M1_3, 0, 1, 0, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_c", M_23, 0, 1, 0, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_c", M123, 0, 1, 0, "", 0, M123, 1, 0, "OUT" },
	{ "groundball_c", M_2_, 0, 1, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "groundball_c", M1__, 0, 1, 0, "", 0, M_2_, 1, 0, "OUT" },
	/* Hit-and-run, and with the infield in. */
	{ "groundball_a", M1__, 0, 0, 1, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_a", M12_, 0, 0, 1, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_a", M1_3, 0, 0, 1, "", 0, M_2_, 1, 1, "OUT" },
	{ "groundball_a", M123, 0, 0, 1, "", 0, M_23, 1, 1, "OUT" },
	{ "groundball_b", M1__, 0, 0, 1, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_b", M12_, 0, 0, 1, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_b", M1_3, 0, 0, 1, "", 0, M_2_, 1, 1, "OUT" },
	{ "groundball_b", M123, 0, 0, 1, "", 0, M_23, 1, 1, "OUT" },
	{ "groundball_a", M1__, 0, 1, 1, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_a", M12_, 0, 1, 1, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_a", M1_3, 0, 1, 1, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_a", M123, 0, 1, 1, "", 0, M_23, 1, 1, "OUT" },
	{ "groundball_b", M1__, 0, 1, 1, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_b", M12_, 0, 1, 1, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_b", M1_3, 0, 1, 1, "", 0, M_23, 1, 0, "OUT" },
	{ "groundball_b", M123, 0, 1, 1, "", 0, M_23, 1, 1, "OUT" },
	{ "groundball_c", M1__, 0, 0, 1, "", 0, M_2_, 1, 0, "OUT" },
	{ "groundball_c", M1_3, 0, 1, 1, "", 0, M_23, 1, 0, "OUT" },
	/* The two-out rule. */
	{ "groundball_a", M1_3, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "groundball_b", M1__, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "groundball_c", M__3, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "groundball_a", M123, 2, 1, 1, "", 0, OVER, 1, 0, "OUT" },
	{ "flyball_a", M__3, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "flyball_b", M__3, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "flyball_bq", M__3, 2, 0, 0, "safe", 0, OVER, 1, 0, "OUT" },
	{ "flyball_c", M123, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "lineout", M123, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "popout", M123, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "foulout", M123, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "strikeout", M123, 2, 0, 0, "", 0, OVER, 1, 0, "K" },
	{ "sacrifice_bunt", M1__, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	{ "bp_flyout", M__3, 2, 0, 0, "", 0, OVER, 1, 0, "OUT" },
	/* Flyballs and air outs, fewer than 2 outs. */
	{ "flyball_a", M123, 0, 0, 0, "", 0, M_23, 1, 1, "SF" },
	{ "flyball_a", M_2_, 0, 0, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "flyball_a", M12_, 1, 0, 0, "", 0, M_23, 1, 0, "OUT" },
	{ "flyball_b", M__3, 0, 0, 0, "", 0, M___, 1, 1, "SF" },
	{ "flyball_b", M123, 1, 0, 0, "", 0, M12_, 1, 1, "SF" },
	{ "flyball_b", M12_, 0, 0, 0, "", 0, M12_, 1, 0, "OUT" },
	{ "flyball_bq", M__3, 0, 0, 0, "", 0, M__3, 1, 0, "OUT" },
	{ "flyball_bq", M__3, 0, 0, 0, "safe", 0, M___, 1, 1, "SF" },
	{ "flyball_bq", M1_3, 0, 0, 0, "out", 0, M1__, 2, 0, "OUT" },
	{ "flyball_bq", M1__, 0, 0, 0, "safe", 0, M1__, 1, 0, "OUT" },
	{ "flyball_c", M123, 0, 0, 0, "", 0, M123, 1, 0, "OUT" },
	{ "lineout", M123, 0, 0, 0, "", 0, M123, 1, 0, "OUT" },
	{ "popout", M1_3, 1, 0, 0, "", 0, M1_3, 1, 0, "OUT" },
	{ "foulout", M_2_, 0, 0, 0, "", 0, M_2_, 1, 0, "OUT" },
	{ "strikeout", M123, 0, 0, 0, "", 0, M123, 1, 0, "K" },
	/* Walks and hit by pitch: only forced runners move. */
	{ "walk", M___, 0, 0, 0, "", 0, M1__, 0, 0, "BB" },
	{ "walk", M1__, 0, 0, 0, "", 0, M12_, 0, 0, "BB" },
	{ "walk", M_2_, 0, 0, 0, "", 0, M12_, 0, 0, "BB" },
	{ "walk", M__3, 0, 0, 0, "", 0, M1_3, 0, 0, "BB" },
	{ "walk", M12_, 0, 0, 0, "", 0, M123, 0, 0, "BB" },
	{ "walk", M1_3, 0, 0, 0, "", 0, M123, 0, 0, "BB" },
	{ "walk", M_23, 0, 0, 0, "", 0, M123, 0, 0, "BB" },
	{ "walk", M123, 0, 0, 0, "", 0, M123, 0, 1, "BB" },
	{ "intentional_walk", M123, 1, 0, 0, "", 0, M123, 0, 1, "IBB" },
	{ "hit_by_pitch", M_23, 0, 0, 0, "", 0, M123, 0, 0, "HBP" },
	/* Hits. */
	{ "single_1", M123, 0, 0, 0, "", 0, M123, 0, 1, "1B" },
	{ "single", M_2_, 0, 0, 0, "", 0, M1_3, 0, 0, "1B" },
	{ "single_2", M123, 0, 0, 0, "", 0, M1_3, 0, 2, "1B" },
	{ "single_2", M1__, 0, 0, 0, "", 0, M1_3, 0, 0, "1B" },
	{ "double_2", M123, 0, 0, 0, "", 0, M_23, 0, 2, "2B" },
	{ "double", M1__, 0, 0, 0, "", 0, M_23, 0, 0, "2B" },
	{ "double_3", M123, 0, 0, 0, "", 0, M_2_, 0, 3, "2B" },
	{ "triple", M123, 0, 0, 0, "", 0, M__3, 0, 3, "3B" },
	{ "homerun", M123, 0, 0, 0, "", 0, M___, 0, 4, "HR" },
	{ "homerun", M___, 0, 0, 0, "", 0, M___, 0, 1, "HR" },
	/* Uncapped hits and the lead runner. */
	{ "single_uncapped", M12_, 0, 0, 0, "", 0, M123, 0, 0, "1B" },
	{ "single_uncapped", M12_, 0, 0, 0, "safe", 0, M1_3, 0, 1, "1B" },
	{ "single_uncapped", M12_, 0, 0, 0, "out", 0, M1_3, 1, 0, "1B" },
	{ "single_uncapped", M1__, 0, 0, 0, "safe", 0, M1_3, 0, 0, "1B" },
	{ "single_uncapped", M1__, 0, 0, 0, "out", 0, M1__, 1, 0, "1B" },
	{ "single_uncapped", M__3, 0, 0, 0, "out", 0, M1__, 0, 1, "1B" },
	{ "single_uncapped", M1_3, 0, 0, 0, "out", 0, M1__, 1, 1, "1B" },
	{ "single_uncapped", M1_3, 2, 0, 0, "out", 0, OVER, 1, 1, "1B" },
	{ "single_uncapped", M123, 0, 0, 0, "out", 0, M1_3, 1, 1, "1B" },
	{ "double_uncapped", M1__, 0, 0, 0, "", 0, M_23, 0, 0, "2B" },
	{ "double_uncapped", M1__, 0, 0, 0, "safe", 0, M_2_, 0, 1, "2B" },
	{ "double_uncapped", M1__, 0, 0, 0, "out", 0, M_2_, 1, 0, "2B" },
	{ "double_uncapped", M123, 0, 0, 0, "out", 0, M_2_, 1, 2, "2B" },
	{ "double_uncapped", M_2_, 0, 0, 0, "out", 0, M_2_, 0, 1, "2B" },
	/* Errors. */
	{ "error_1", M1__, 0, 0, 0, "", 0, M12_, 0, 0, "E" },
	{ "error_2", M1__, 0, 0, 0, "", 0, M_23, 0, 0, "E" },
	{ "error_3", M1__, 0, 0, 0, "", 0, M__3, 0, 1, "E" },
	{ "error_1", M123, 2, 0, 0, "", 0, M123, 0, 1, "E" },
	/* Sacrifice bunt. */
	{ "sacrifice_bunt", M1__, 0, 0, 0, "", 0, M_2_, 1, 0, "SH" },
	{ "sacrifice_bunt", M___, 0, 0, 0, "", 0, M___, 1, 0, "OUT" },
	{ "sacrifice_bunt", M1_3, 1, 0, 0, "", 0, M_2_, 1, 1, "SH" },
	/* Ballpark results. */
	{ "bp_homerun", M1__, 0, 0, 0, "", 0, M___, 0, 2, "HR" },
	{ "bp_single", M12_, 0, 0, 0, "", 0, M123, 0, 0, "1B" },
	{ "bp_flyout", M__3, 0, 0, 0, "", 0, M___, 1, 1, "SF" },
	{ "bp_lineout", M__3, 0, 0, 0, "", 0, M__3, 1, 0, "OUT" },
	/* Runner events: the batter stays at the plate. */
	{ "wild_pitch", M1_3, 0, 0, 0, "", 0, M_2_, 0, 1, "WP" },
	{ "passed_ball", M12_, 0, 0, 0, "", 0, M_23, 0, 0, "PB" },
	{ "balk", M123, 0, 0, 0, "", 0, M_23, 0, 1, "BK" },
	{ "stolen_base", M1__, 0, 0, 0, "", 1, M_2_, 0, 0, "SB" },
	{ "stolen_base", M1_3, 0, 0, 0, "", 3, M1__, 0, 1, "SB" },
	{ "caught_stealing", M1__, 0, 0, 0, "", 1, M___, 1, 0, "CS" },
	{ "caught_stealing", M12_, 2, 0, 0, "", 2, OVER, 1, 0, "CS" },
	{ "pickoff", M_2_, 0, 0, 0, "", 2, M___, 1, 0, "PO" },
};

ParameterizedTestParameters(engine_rules, cell)
{
	return (cr_make_param_array(struct cell, cells,
	    sizeof(cells) / sizeof(cells[0])));
}

ParameterizedTest(struct cell *c, engine_rules, cell)
{
	static struct pd_game	g;
	struct pd_def_input	d;
	struct pd_off_input	o;
	struct pd_play_result	res;
	struct pd_error		err;
	int			side, before;

	cr_assert(sim_create(&g, "game-1") == PD_OK);
	sim_place(&g, c->mask, c->outs);
	if (c->infield_in || c->hit_and_run) {
		memset(&d, 0, sizeof(d));
		d.infield_depth = c->infield_in ? "in" : "normal";
		cr_assert(pd_game_defense(&g, &d, &err) == PD_OK, "%s",
		    err.message);
		memset(&o, 0, sizeof(o));
		o.hit_and_run = c->hit_and_run;
		cr_assert(pd_game_offense(&g, &o, &err) == PD_OK, "%s",
		    err.message);
	}
	side = pd_game_batting(&g);
	before = g.score[side];
	cr_assert(sim_play(&g, c->outcome, "SS", c->lead[0] ? c->lead : NULL,
	    c->runner_base,
	    &res, &err) == PD_OK, "%s: %s", c->outcome, err.message);
	cr_expect_eq(res.outs_recorded, c->outs_rec, "%s outs %d",
	    c->outcome, res.outs_recorded);
	cr_expect_eq(res.runs_scored, c->runs, "%s runs %d", c->outcome,
	    res.runs_scored);
	cr_expect_eq(g.score[side] - before, c->runs);
	cr_expect_str_eq(res.batter_result, c->result);
	if (c->after == OVER) {
		cr_expect_eq(g.outs, 0);
		cr_expect_eq(pd_game_batting(&g), 1 - side);
	} else {
		cr_expect_eq(pd_game_runners_mask(&g), c->after,
		    "%s: bases %d", c->outcome, pd_game_runners_mask(&g));
		cr_expect_eq(g.outs, c->outs + c->outs_rec);
	}
}

Test(engine_rules, builtin_and_file)
{
	struct pd_error		err;

	cr_assert(pd_rules_use_builtin(&err) == PD_OK, "%s", err.message);
	cr_assert(pd_rules_load_file("conf/rules.txt", &err) == PD_OK, "%s",
	    err.message);
	cr_assert(pd_rules_load_file("/nonexistent/rules.txt", &err) ==
	    PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_RULES);
	cr_assert_not_null(pd_rules_active());
}

Test(engine_rules, league_chart_replaces_builtin)
{
	static struct pd_game	g;
	struct pd_play_result	res;
	struct pd_error		err;
	char			text[32768];

	/* The built-in chart, with single_1 turned into a "+2" single. */
	(void)snprintf(text, sizeof(text), "%s\n", pd_rules_builtin_text);
	replace_row(text, "single_1         *  *  -  B=1 *=+1",
	    "single_1         *  *  -  B=1 *=+2");
	cr_assert(pd_rules_load_text(text, &err) == PD_OK, "%s", err.message);
	cr_assert(sim_create(&g, "game-1") == PD_OK);
	sim_place(&g, M1__, 0);
	cr_assert(sim_play(&g, "single_1", NULL, NULL, 0, &res, &err) ==
	    PD_OK);
	cr_expect_eq(pd_game_runners_mask(&g), M1_3);
	cr_assert(pd_rules_use_builtin(&err) == PD_OK);
}

Test(engine_rules, bad_charts_refused)
{
	struct pd_rules		r;
	struct pd_error		err;

	/* Missing rows: only a walk. */
	cr_expect(pd_rules_parse(&r, "walk * * - B=1 *=force\n", &err) ==
	    PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_RULES);
	cr_expect(pd_rules_parse(&r, "nosuch * * - B=1\n", &err) == PD_ERR);
	cr_expect(pd_rules_parse(&r, "walk * * - B=9\n", &err) == PD_ERR);
	cr_expect(pd_rules_parse(&r, "walk * sideways - B=1\n", &err) ==
	    PD_ERR);
}

Test(engine_rules, bad_row_is_caught_by_simulation)
{
	struct pd_rules		r;
	struct pd_error		err;
	char			text[32768];

	/* A walk that leaves two runners on first. */
	(void)snprintf(text, sizeof(text), "%s", pd_rules_builtin_text);
	replace_row(text, "walk             *  *  -  B=1 *=force",
	    "walk             *  *  -  B=1 *=+0");
	cr_expect(pd_rules_parse(&r, text, &err) == PD_ERR);
	cr_expect(strstr(err.message, "two runners") != NULL, "%s",
	    err.message);
}

/* Overwrites a row in place, padding with blanks. */
static void
replace_row(char *text, const char *old, const char *new)
{
	char	*p;
	size_t	 i, n;

	cr_assert_not_null(p = strstr(text, old));
	n = strlen(old);
	cr_assert(strlen(new) <= n);
	for (i = 0; i < n; i++)
		p[i] = i < strlen(new) ? new[i] : ' ';
}
