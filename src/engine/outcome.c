/*
 * The outcome catalogue.  Names are the wire names; aliases map onto the
 * canonical outcome and are never echoed back.
 */
#include <stddef.h>
#include <string.h>

#include "engine/outcome.h"

struct alias {
	const char	*name;
	int		 outcome;
};

static const struct pd_outcome_info outcomes[PD_O_COUNT] = {
	[PD_O_STRIKEOUT] = { "strikeout", PD_OK_STRIKEOUT, 0, 0, 0, 0,
	    PD_BB_NONE, "K", "Strikeout" },
	[PD_O_WALK] = { "walk", PD_OK_WALK, 0, 0, 0, 0,
	    PD_BB_NONE, "BB", "Walk" },
	[PD_O_INTENTIONAL_WALK] = { "intentional_walk", PD_OK_IBB, 0, 0, 0, 0,
	    PD_BB_NONE, "IBB", "Intentional walk" },
	[PD_O_HIT_BY_PITCH] = { "hit_by_pitch", PD_OK_HBP, 0, 0, 0, 0,
	    PD_BB_NONE, "HBP", "Hit by pitch" },
	[PD_O_SINGLE_1] = { "single_1", PD_OK_HIT, 1, 0, 0, 0,
	    PD_BB_NONE, "1B", "Single" },
	[PD_O_SINGLE_2] = { "single_2", PD_OK_HIT, 1, 0, 0, 0,
	    PD_BB_NONE, "1B", "Single" },
	[PD_O_SINGLE_UNCAPPED] = { "single_uncapped", PD_OK_HIT, 1, 0, 0, 0,
	    PD_BB_NONE, "1B", "Single" },
	[PD_O_DOUBLE_2] = { "double_2", PD_OK_HIT, 2, 0, 0, 0,
	    PD_BB_NONE, "2B", "Double" },
	[PD_O_DOUBLE_3] = { "double_3", PD_OK_HIT, 2, 0, 0, 0,
	    PD_BB_NONE, "2B", "Double" },
	[PD_O_DOUBLE_UNCAPPED] = { "double_uncapped", PD_OK_HIT, 2, 0, 0, 0,
	    PD_BB_NONE, "2B", "Double" },
	[PD_O_TRIPLE] = { "triple", PD_OK_HIT, 3, 0, 0, 0,
	    PD_BB_NONE, "3B", "Triple" },
	[PD_O_HOMERUN] = { "homerun", PD_OK_HIT, 4, 0, 0, 0,
	    PD_BB_NONE, "HR", "Home run" },
	[PD_O_GROUNDBALL_A] = { "groundball_a", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_GROUND, "OUT", "Groundball" },
	[PD_O_GROUNDBALL_B] = { "groundball_b", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_GROUND, "OUT", "Groundball" },
	[PD_O_GROUNDBALL_C] = { "groundball_c", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_GROUND, "OUT", "Groundball" },
	[PD_O_FLYBALL_A] = { "flyball_a", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Flyball" },
	[PD_O_FLYBALL_B] = { "flyball_b", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Flyball" },
	[PD_O_FLYBALL_BQ] = { "flyball_bq", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Flyball" },
	[PD_O_FLYBALL_C] = { "flyball_c", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Flyball" },
	[PD_O_LINEOUT] = { "lineout", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Lineout" },
	[PD_O_POPOUT] = { "popout", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Popout" },
	[PD_O_FOULOUT] = { "foulout", PD_OK_OUT, 0, 1, 0, 0,
	    PD_BB_AIR, "OUT", "Foulout" },
	[PD_O_ERROR_1] = { "error_1", PD_OK_ERROR, 1, 1, 0, 0,
	    PD_BB_NONE, "E", "Error" },
	[PD_O_ERROR_2] = { "error_2", PD_OK_ERROR, 2, 1, 0, 0,
	    PD_BB_NONE, "E", "Error" },
	[PD_O_ERROR_3] = { "error_3", PD_OK_ERROR, 3, 1, 0, 0,
	    PD_BB_NONE, "E", "Error" },
	[PD_O_SACRIFICE_BUNT] = { "sacrifice_bunt", PD_OK_BUNT, 0, 0, 0, 0,
	    PD_BB_GROUND, "OUT", "Sacrifice bunt" },
	[PD_O_BP_HOMERUN] = { "bp_homerun", PD_OK_HIT, 4, 0, 0, 0,
	    PD_BB_NONE, "HR", "Ballpark home run" },
	[PD_O_BP_SINGLE] = { "bp_single", PD_OK_HIT, 1, 0, 0, 0,
	    PD_BB_NONE, "1B", "Ballpark single" },
	[PD_O_BP_FLYOUT] = { "bp_flyout", PD_OK_OUT, 0, 0, 0, 0,
	    PD_BB_AIR, "OUT", "Ballpark flyout" },
	[PD_O_BP_LINEOUT] = { "bp_lineout", PD_OK_OUT, 0, 0, 0, 0,
	    PD_BB_AIR, "OUT", "Ballpark lineout" },
	[PD_O_WILD_PITCH] = { "wild_pitch", PD_OK_RUNNER, 0, 0, 0, 1,
	    PD_BB_NONE, "WP", "Wild pitch" },
	[PD_O_PASSED_BALL] = { "passed_ball", PD_OK_RUNNER, 0, 0, 0, 1,
	    PD_BB_NONE, "PB", "Passed ball" },
	[PD_O_BALK] = { "balk", PD_OK_RUNNER, 0, 0, 0, 1,
	    PD_BB_NONE, "BK", "Balk" },
	[PD_O_STOLEN_BASE] = { "stolen_base", PD_OK_RUNNER, 0, 0, 1, 1,
	    PD_BB_NONE, "SB", "Stolen base" },
	[PD_O_CAUGHT_STEALING] = { "caught_stealing", PD_OK_RUNNER, 0, 0, 1,
	    1, PD_BB_NONE, "CS", "Caught stealing" },
	[PD_O_PICKOFF] = { "pickoff", PD_OK_RUNNER, 0, 0, 1, 1,
	    PD_BB_NONE, "PO", "Pickoff" },
};

static const struct alias aliases[] = {
	{ "single", PD_O_SINGLE_1 },
	{ "double", PD_O_DOUBLE_2 },
};

static const char *pos_names[PD_POS_COUNT] = {
	NULL, "P", "C", "1B", "2B", "3B", "SS", "LF", "CF", "RF", "DH"
};

static const char *pos_long[PD_POS_COUNT] = {
	NULL, "pitcher", "catcher", "first base", "second base",
	"third base", "shortstop", "left field", "center field",
	"right field", "designated hitter"
};

const struct pd_outcome_info *
pd_outcome_info(int o)
{
	if (o < 0 || o >= PD_O_COUNT)
		return (NULL);
	return (&outcomes[o]);
}

int
pd_outcome_lookup(const char *name)
{
	size_t		i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < PD_O_COUNT; i++) {
		if (strcmp(outcomes[i].name, name) == 0)
			return ((int)i);
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(aliases[i].name, name) == 0)
			return (aliases[i].outcome);
	}
	return (-1);
}

const char *
pd_outcome_name(int o)
{
	if (o < 0 || o >= PD_O_COUNT)
		return ("unknown");
	return (outcomes[o].name);
}

int
pd_pos_lookup(const char *name)
{
	int		i;

	if (name == NULL)
		return (PD_POS_NONE);
	for (i = PD_POS_P; i < PD_POS_COUNT; i++) {
		if (strcmp(pos_names[i], name) == 0)
			return (i);
	}
	return (PD_POS_NONE);
}

const char *
pd_pos_name(int p)
{
	if (p <= PD_POS_NONE || p >= PD_POS_COUNT)
		return (NULL);
	return (pos_names[p]);
}

const char *
pd_pos_long_name(int p)
{
	if (p <= PD_POS_NONE || p >= PD_POS_COUNT)
		return ("");
	return (pos_long[p]);
}

/* Hit locations are the nine fielding positions, not DH. */
int
pd_pos_is_location(int p)
{
	return (p >= PD_POS_P && p <= PD_POS_RF);
}
