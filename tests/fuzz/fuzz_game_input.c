/*
 * Fuzzes what a player sends about a game: the event payloads of
 * submit_manual_outcome, the two decisions and the three substitutions,
 * decoded by the engine's request parsers (src/engine/jsonin.c) and then
 * applied to a game in the position the first byte picks.
 *
 *   byte 0: runners (bits 0-2), outs (bits 3-4, 0-2), a pending roll (bit 5)
 *   byte 1: the request (modulo 6)
 *   rest:   its JSON payload
 *
 * Invariants: a payload the parser refuses, or a request the engine
 * refuses, leaves the game byte for byte as it was and carries an error
 * code and message; an accepted one leaves at most three outs, and the
 * game's snapshot still reads back to the same bytes.
 */
#include <string.h>

#include "fuzz.h"
#include "../property/engine_sim.h"
#include "util/jsonutil.h"

enum req { R_OUTCOME, R_DEFENSE, R_OFFENSE, R_PINCH, R_DEFREP, R_PITCH,
	R_COUNT };

static struct pd_game	g, before, back;

static void
check_refused(const struct pd_error *err)
{
	FUZZ_CHECK(memcmp(&before, &g, sizeof(g)) == 0);
	FUZZ_CHECK(err->code != NULL && err->code[0] != '\0');
	FUZZ_CHECK(err->message[0] != '\0');
}

static void
check_accepted(void)
{
	struct pd_error	 err;
	char		*a, *b;

	FUZZ_CHECK(g.outs >= 0 && g.outs <= 3);
	FUZZ_CHECK((a = pd_snapshot_str(&g, NULL)) != NULL);
	FUZZ_CHECK(pd_snapshot_read(&back, a, &err) == PD_OK);
	FUZZ_CHECK((b = pd_snapshot_str(&back, NULL)) != NULL);
	FUZZ_CHECK(strcmp(a, b) == 0);
	free(a);
	free(b);
}

static int
apply(enum req r, yajl_val v, struct pd_error *err)
{
	struct pd_outcome_input	 oin;
	struct pd_def_input	 din;
	struct pd_off_input	 ofin;
	struct pd_sub_input	 sin;
	struct pd_play_result	 res;
	struct pd_sub_result	 sres;

	memset(&oin, 0, sizeof(oin));
	memset(&din, 0, sizeof(din));
	memset(&ofin, 0, sizeof(ofin));
	memset(&sin, 0, sizeof(sin));
	switch (r) {
	case R_OUTCOME:
		if (pd_json_parse_outcome(v, &oin, err) == PD_ERR)
			return (PD_ERR);
		return (pd_game_outcome(&g, &oin, SIM_NOW + 1000, &res, err));
	case R_DEFENSE:
		if (pd_json_parse_def(v, &din, err) == PD_ERR)
			return (PD_ERR);
		return (pd_game_defense(&g, &din, err));
	case R_OFFENSE:
		if (pd_json_parse_off(v, &ofin, err) == PD_ERR)
			return (PD_ERR);
		return (pd_game_offense(&g, &ofin, err));
	default:
		if (pd_json_parse_sub(v, &sin, err) == PD_ERR)
			return (PD_ERR);
		if (r == R_PINCH)
			return (pd_game_pinch_hitter(&g, &sin, SIM_NOW, &sres,
			    err));
		if (r == R_DEFREP)
			return (pd_game_defensive_replacement(&g, &sin, SIM_NOW,
			    &sres, err));
		return (pd_game_pitching_change(&g, &sin, SIM_NOW, &sres,
		    err));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_error	 err;
	yajl_val	 v;
	enum req	 r;

	if (size < 2)
		return (0);
	FUZZ_CHECK(sim_create(&g, "fuzz") == PD_OK);
	sim_place(&g, data[0] & 7, (data[0] >> 3) % 3);
	if (data[0] & 0x20)
		FUZZ_CHECK(sim_roll(&g, SIM_NOW) == PD_OK);
	r = (enum req)(data[1] % R_COUNT);
	if ((v = json_parse((const char *)data + 2, size - 2, NULL, 0)) ==
	    NULL)
		return (0);
	memcpy(&before, &g, sizeof(g));
	memset(&err, 0, sizeof(err));
	if (apply(r, v, &err) == PD_ERR)
		check_refused(&err);
	else
		check_accepted();
	yajl_tree_free(v);
	return (0);
}
