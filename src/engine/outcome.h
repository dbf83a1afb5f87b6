/*
 * Outcome names, aliases and their requirements (CONTRACT section 8),
 * and the field positions used as hit locations and lineup positions.
 * How an outcome moves runners is not here: that is the rules table.
 */
#ifndef PD_ENGINE_OUTCOME_H
#define PD_ENGINE_OUTCOME_H

enum pd_outcome {
	PD_O_STRIKEOUT,
	PD_O_WALK,
	PD_O_INTENTIONAL_WALK,
	PD_O_HIT_BY_PITCH,
	PD_O_SINGLE_1,
	PD_O_SINGLE_2,
	PD_O_SINGLE_UNCAPPED,
	PD_O_DOUBLE_2,
	PD_O_DOUBLE_3,
	PD_O_DOUBLE_UNCAPPED,
	PD_O_TRIPLE,
	PD_O_HOMERUN,
	PD_O_GROUNDBALL_A,
	PD_O_GROUNDBALL_B,
	PD_O_GROUNDBALL_C,
	PD_O_FLYBALL_A,
	PD_O_FLYBALL_B,
	PD_O_FLYBALL_BQ,
	PD_O_FLYBALL_C,
	PD_O_LINEOUT,
	PD_O_POPOUT,
	PD_O_FOULOUT,
	PD_O_ERROR_1,
	PD_O_ERROR_2,
	PD_O_ERROR_3,
	PD_O_SACRIFICE_BUNT,
	PD_O_BP_HOMERUN,
	PD_O_BP_SINGLE,
	PD_O_BP_FLYOUT,
	PD_O_BP_LINEOUT,
	PD_O_WILD_PITCH,
	PD_O_PASSED_BALL,
	PD_O_BALK,
	PD_O_STOLEN_BASE,
	PD_O_CAUGHT_STEALING,
	PD_O_PICKOFF,
	PD_O_COUNT
};

/* What the outcome is, independent of the runners. */
enum pd_okind {
	PD_OK_STRIKEOUT,
	PD_OK_WALK,
	PD_OK_IBB,
	PD_OK_HBP,
	PD_OK_HIT,
	PD_OK_OUT,		/* batted-ball out (or fielder's choice) */
	PD_OK_ERROR,
	PD_OK_BUNT,
	PD_OK_RUNNER		/* runner event: batter stays at the plate */
};

/* Where a batter put out on this kind of outcome is recorded. */
enum pd_obatted {
	PD_BB_NONE,
	PD_BB_GROUND,
	PD_BB_AIR
};

struct pd_outcome_info {
	const char	*name;
	int		 kind;		/* enum pd_okind */
	int		 bases;		/* hits: 1-4 */
	int		 needs_location;
	int		 needs_runner;	/* runner_base required */
	int		 needs_on_base;	/* at least one runner on base */
	int		 batted;	/* enum pd_obatted */
	const char	*result;	/* default batter_result */
	const char	*text;		/* description stem */
};

/* Positions, numbered as scorers number them; DH last. */
enum pd_pos {
	PD_POS_NONE,
	PD_POS_P,
	PD_POS_C,
	PD_POS_1B,
	PD_POS_2B,
	PD_POS_3B,
	PD_POS_SS,
	PD_POS_LF,
	PD_POS_CF,
	PD_POS_RF,
	PD_POS_DH,
	PD_POS_COUNT
};

const struct pd_outcome_info	*pd_outcome_info(int);
int				 pd_outcome_lookup(const char *);
const char			*pd_outcome_name(int);

int		 pd_pos_lookup(const char *);
const char	*pd_pos_name(int);
const char	*pd_pos_long_name(int);
int		 pd_pos_is_location(int);

#endif
