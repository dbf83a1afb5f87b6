/* JSON shapes and the snapshot round trip. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../property/engine_sim.h"
#include "util/jsonutil.h"

static struct pd_game		g, h;
static struct pd_play_result	res;
static struct pd_error		err;

Test(engine_json, state_shape)
{
	yajl_val	 root, v;
	char		*s, ebuf[128];
	static const char *keys[] = { "game_id", "status", "seq", "inning",
	    "half", "outs", "runners", "score", "away_team_id",
	    "home_team_id", "batting_team_id", "fielding_team_id",
	    "current_batter", "current_pitcher", "play_number",
	    "pending_roll", "decisions", "winner_team_id" };
	size_t		 i;

	cr_assert(sim_create(&g, "9b2f7c1e-0000-4000-8000-000000000000") ==
	    PD_OK);
	g.seq = 17;
	cr_assert(sim_play(&g, "single", "CF", NULL, 0, &res, &err) == PD_OK);
	cr_expect_str_eq(res.description, "Single to center field");
	s = pd_json_state_str(&g, NULL);
	cr_assert_not_null(s);
	root = yajl_tree_parse(s, ebuf, sizeof(ebuf));
	cr_assert_not_null(root, "%s", ebuf);
	cr_expect_eq(root->u.object.len, sizeof(keys) / sizeof(keys[0]));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_expect_not_null(json_get(root, keys[i]), "%s", keys[i]);
	cr_expect_eq(YAJL_GET_INTEGER(json_get(root, "seq")), 17);
	v = json_get(json_get(root, "runners"), "1");
	cr_expect(YAJL_IS_OBJECT(v));
	cr_expect_not_null(json_get(v, "lineup_id"));
	cr_expect(YAJL_IS_NULL(json_get(json_get(root, "runners"),
	    "2")));
	cr_expect(YAJL_IS_NULL(json_get(root, "pending_roll")));
	cr_expect_str_eq(YAJL_GET_STRING(json_get(json_get(root,
	    "decisions"), "pending_decision")), "defensive");
	yajl_tree_free(root);
	free(s);

	s = pd_json_play_str(&res, NULL);
	cr_expect(strstr(s, "\"runners_advanced\":[{\"from\":0,\"to\":1,"
	    "\"out\":false}]") != NULL, "%s", s);
	cr_expect(strstr(s, "\"batter_result\":\"1B\"") != NULL);
	cr_expect(strstr(s, "\"outcome\":\"single_1\"") != NULL);
	free(s);
}

Test(engine_json, box_score_shape)
{
	char	*s;

	cr_assert(sim_create(&g, "g") == PD_OK);
	cr_assert(sim_play(&g, "homerun", "LF", NULL, 0, &res, &err) == PD_OK);
	s = pd_json_box_score_str(&g, NULL);
	cr_assert_not_null(s);
	cr_expect(strstr(s, "{\"line_score\":{\"away\":{\"runs_by_inning\":"
	    "[1],\"r\":1,\"h\":1,\"e\":0,\"lob\":0},\"home\":") != NULL, "%s",
	    s);
	cr_expect(strstr(s, "\"pa\":1,\"ab\":1,\"r\":1,\"h\":1,\"doubles\":0,"
	    "\"triples\":0,\"hr\":1,\"rbi\":1,\"bb\":0,\"so\":0,\"hbp\":0,"
	    "\"sf\":0,\"sh\":0,\"sb\":0,\"cs\":0,\"gidp\":0,\"lob\":0") != NULL);
	cr_expect(strstr(s, "\"outs\":0,\"ip\":\"0.0\",\"bf\":1,\"h\":1,"
	    "\"r\":1,\"er\":1,\"bb\":0,\"so\":0,\"hr\":1,\"hbp\":0,\"wp\":0,"
	    "\"decision\":null") != NULL);
	free(s);
}

/* Mid-game with a pending roll, decisions and substitutions. */
/* x and y write the same snapshot. */
static void
same_snapshot(const struct pd_game *x, const struct pd_game *y)
{
	char	*a, *b;

	cr_assert((a = pd_snapshot_str(x, NULL)) != NULL);
	cr_assert((b = pd_snapshot_str(y, NULL)) != NULL);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

/* g written and read back into h: the same game. */
static void
round_trip(void)
{
	char	*a;

	cr_assert((a = pd_snapshot_str(&g, NULL)) != NULL);
	cr_assert(pd_snapshot_read(&h, a, &err) == PD_OK, "%s", err.message);
	free(a);
	same_snapshot(&g, &h);
}

Test(engine_json, snapshot_round_trip_and_continue)
{
	struct pd_def_input	d;
	struct pd_off_input	o;
	struct pd_sub_input	in;
	struct pd_sub_result	sr;
	struct sim_stats	st;
	char			 why[128];

	memset(&st, 0, sizeof(st));
	cr_assert(sim_game(&g, 77, 0, &st, why, sizeof(why)) == PD_OK, "%s",
	    why);
	round_trip();

	cr_assert(sim_create(&g, "g") == PD_OK);
	cr_assert(sim_play(&g, "single", NULL, NULL, 0, &res, &err) == PD_OK);
	memset(&in, 0, sizeof(in));
	in.team_id = 1;
	in.player_out_lineup_id = g.team[0].lu[pd_game_current_batter(&g)].
	    lineup_id;
	in.player_in_card_id = 110;
	cr_assert(pd_game_pinch_hitter(&g, &in, SIM_NOW, &sr, &err) == PD_OK);
	memset(&d, 0, sizeof(d));
	d.infield_depth = "in";
	cr_assert(pd_game_defense(&g, &d, &err) == PD_OK);
	memset(&o, 0, sizeof(o));
	o.hit_and_run = 1;
	cr_assert(pd_game_offense(&g, &o, &err) == PD_OK);
	cr_assert(sim_roll(&g, SIM_NOW) == PD_OK);
	round_trip();
	/* Both continue the same way. */
	cr_assert(sim_play(&g, "groundball_a", "SS", NULL, 0, &res, &err) ==
	    PD_OK);
	cr_assert(sim_play(&h, "groundball_a", "SS", NULL, 0, &res, &err) ==
	    PD_OK);
	same_snapshot(&g, &h);
	cr_expect(pd_snapshot_read(&h, "{\"version\":1}", &err) == PD_ERR);
	cr_expect_str_eq(err.code, PD_E_INVALID_SNAPSHOT);
	cr_expect(pd_snapshot_read(&h, "not json", &err) == PD_ERR);
}

/*
 * tests/data/engine/snapshot_v1.json was written by the version 1 writer
 * (every statistics line in full) after these eight plays; stored games
 * of that age must still load, into the same game.
 */
Test(engine_json, snapshot_version_1_still_reads)
{
	static const char *const plays[][2] = {
		{ "single", NULL }, { "walk", NULL }, { "strikeout", NULL },
		{ "homerun", NULL }, { "double", NULL }, { "groundball_a", "SS" },
		{ "flyball_a", "CF" }, { "single", NULL },
	};
	char	*v1, *a, *b;
	size_t	 i;

	cr_assert(sim_create(&g, "g") == PD_OK);
	for (i = 0; i < sizeof(plays) / sizeof(plays[0]); i++)
		cr_assert(sim_play(&g, plays[i][0], plays[i][1], NULL, 0, &res,
		    &err) == PD_OK, "%s", err.message);
	cr_assert((v1 = sim_slurp("tests/data/engine/snapshot_v1.json")) != NULL);
	cr_assert(strstr(v1, "\"version\":1,") != NULL);
	cr_assert(pd_snapshot_read(&h, v1, &err) == PD_OK, "%s", err.message);
	a = pd_snapshot_str(&g, NULL);
	b = pd_snapshot_str(&h, NULL);
	cr_assert_str_eq(a, b);
	/* Version 3 writes cards as arrays, empty statistics lines as 0. */
	cr_expect(strstr(a, "\"version\":3,") != NULL);
	cr_expect(strstr(a, ",0,0,0") != NULL);
	cr_expect(strlen(a) < strlen(v1) / 2, "%zu vs %zu", strlen(a),
	    strlen(v1));
	free(a);
	free(b);
	free(v1);
}
