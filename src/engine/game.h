/*
 * A game: teams and their game rosters, lineups, the state of play, the
 * pending roll and the managers' decisions, and the scorer.  Everything
 * a game needs lives in one flat struct pd_game, owned by the caller
 * (no allocation inside), so it can be copied, snapshotted and restored.
 *
 * The functions check a request fully before changing anything: a
 * refusal (PD_ERR with struct pd_error filled) never changes the game.
 * Authorization is the service layer's job; the engine only knows sides.
 * Time is passed in by the caller (ms since the epoch).
 */
#ifndef PD_ENGINE_GAME_H
#define PD_ENGINE_GAME_H

#include <stdint.h>

#include "engine/dice.h"
#include "engine/error.h"
#include "engine/outcome.h"
#include "engine/rules.h"
#include "engine/score.h"

#define PD_MAX_PLAYERS		PD_SC_PLAYERS
#define PD_NAME_MAX		64
#define PD_GAME_ID_MAX		64
#define PD_DESC_MAX		160
#define PD_SUB_MSG_MAX		96
#define PD_INNINGS		9

#define PD_AWAY			0
#define PD_HOME			1

enum pd_status {
	PD_STATUS_PENDING,
	PD_STATUS_IN_PROGRESS,
	PD_STATUS_FINAL
};

enum pd_half {
	PD_TOP,
	PD_BOTTOM
};

enum pd_lu_status {
	PD_LU_BENCH,
	PD_LU_ACTIVE,
	PD_LU_REMOVED
};

enum pd_pending {
	PD_PENDING_DEFENSIVE,
	PD_PENDING_OFFENSIVE,
	PD_PENDING_RESOLUTION
};

enum pd_alignment {
	PD_ALIGN_NORMAL, PD_ALIGN_SHIFTED_LEFT, PD_ALIGN_SHIFTED_RIGHT,
	PD_ALIGN_EXTREME_SHIFT
};
enum pd_infield {
	PD_IF_NORMAL, PD_IF_IN, PD_IF_BACK, PD_IF_DOUBLE_PLAY
};
enum pd_outfield {
	PD_OF_NORMAL, PD_OF_IN, PD_OF_BACK
};
enum pd_approach {
	PD_APP_NORMAL, PD_APP_CONTACT, PD_APP_POWER, PD_APP_PATIENT
};

/* A card on a team's game roster. */
struct pd_card {
	int64_t		card_id;
	char		name[PD_NAME_MAX];
	unsigned int	positions;	/* bit (1 << enum pd_pos) */
	char		hand;		/* 'L', 'R', 'S' */
	int		is_pitcher;
};

struct pd_roster {
	int64_t		team_id;
	int		ncards;
	struct pd_card	cards[PD_MAX_PLAYERS];
};

/* One per roster card, same index; lineup ids are unique in a game. */
struct pd_lineup_entry {
	int		lineup_id;
	int		position;	/* enum pd_pos; NONE on the bench */
	int		batting_order;	/* 1-9, 0 when not batting */
	int		status;		/* enum pd_lu_status */
	int		is_starter;
};

struct pd_team {
	struct pd_roster	roster;
	struct pd_lineup_entry	lu[PD_MAX_PLAYERS];
	int			order[9];	/* entry index per slot */
	int			next;		/* slot due up, 0-8 */
	int			pitcher;	/* entry index */
};

struct pd_def_decision {
	int		alignment;
	int		infield_depth;
	int		outfield_depth;
	int		hold;		/* bit b for base b */
};

struct pd_off_decision {
	int		approach;
	int		steal;		/* bit t for target base t */
	int		hit_and_run;
	int		bunt_attempt;
};

struct pd_game {
	char			game_id[PD_GAME_ID_MAX];
	int64_t			seq;		/* set by the service layer */
	int			status;
	int			winner;		/* side, -1 */
	int			inning;
	int			half;
	int			outs;
	int			base[4];	/* entry index on 1-3, -1 */
	int			score[2];
	int			play_number;
	int			has_roll;
	struct pd_roll		roll;
	int64_t			roll_expires_ms;
	struct pd_def_decision	def;
	struct pd_off_decision	off;
	int			def_submitted;
	int			off_submitted;
	int			locked;		/* by a roll, until resolved */
	struct pd_team		team[2];
	struct pd_scorer	sc;
};

/* Requests.  NULL strings and zero counts mean "absent". */
struct pd_def_input {
	const char	*alignment;
	const char	*infield_depth;
	const char	*outfield_depth;
	int		 hold_runners[8];
	int		 nhold;
};

struct pd_off_input {
	const char	*approach;
	int		 steal_attempts[8];
	int		 nsteal;
	int		 hit_and_run;
	int		 bunt_attempt;
};

struct pd_outcome_input {
	const char	*outcome;
	const char	*hit_location;
	const char	*lead_runner;
	int		 runner_base;	/* 0 absent */
};

struct pd_sub_input {
	int64_t		 team_id;
	int		 player_out_lineup_id;
	int64_t		 player_in_card_id;
	const char	*new_position;	/* defensive replacement only */
};

struct pd_advance {
	int		from;
	int		to;
	int		out;
};

struct pd_play_result {
	char			game_id[PD_GAME_ID_MAX];
	int			play_number;
	int			outcome;
	int			hit_location;	/* enum pd_pos, NONE */
	char			description[PD_DESC_MAX];
	int			outs_recorded;
	int			runs_scored;
	const char		*batter_result;
	int			nadv;
	struct pd_advance	adv[4];
	int			is_hit;
	int			is_out;
	int			is_walk;
	char			roll_id[PD_ROLL_ID_MAX];
	/* Beyond the seed's fields, for the layers above. */
	int			ends_pa;
	int			side;		/* batting side */
	int			batter_lineup_id;
	int			pitcher_lineup_id;
	int			inning;
	int			half;
	int			half_over;
	int			game_over;
};

struct pd_sub_result {
	const char	*type;
	int		 player_out_lineup_id;
	int64_t		 player_in_card_id;
	int		 new_lineup_id;
	int		 position;
	int		 batting_order;
	int64_t		 team_id;
	char		 message[PD_SUB_MSG_MAX];
};

/* Creating and reading a game. */
int	pd_game_create(struct pd_game *, const char *, const struct pd_roster *,
	    const struct pd_roster *, struct pd_error *);
int	pd_game_batting(const struct pd_game *);
int	pd_game_fielding(const struct pd_game *);
int	pd_game_current_batter(const struct pd_game *);
int	pd_game_current_pitcher(const struct pd_game *);
int	pd_game_pending_decision(const struct pd_game *);
int	pd_game_runners_mask(const struct pd_game *);
int	pd_game_side_of_team(const struct pd_game *, int64_t);
int	pd_game_find_lineup(const struct pd_game *, int, int *, int *);
const char	*pd_status_name(int);
const char	*pd_pending_name(int);

/* Play. */
int	pd_game_roll(struct pd_game *, struct pd_rng *, int64_t,
	    struct pd_roll *, struct pd_error *);
int	pd_game_apply_roll(struct pd_game *, const struct pd_roll *, int64_t,
	    struct pd_error *);
int	pd_game_defense(struct pd_game *, const struct pd_def_input *,
	    struct pd_error *);
int	pd_game_offense(struct pd_game *, const struct pd_off_input *,
	    struct pd_error *);
int	pd_game_outcome(struct pd_game *, const struct pd_outcome_input *,
	    int64_t, struct pd_play_result *, struct pd_error *);

/* Substitutions. */
int	pd_game_pinch_hitter(struct pd_game *, const struct pd_sub_input *,
	    int64_t, struct pd_sub_result *, struct pd_error *);
int	pd_game_defensive_replacement(struct pd_game *,
	    const struct pd_sub_input *, int64_t, struct pd_sub_result *,
	    struct pd_error *);
int	pd_game_pitching_change(struct pd_game *, const struct pd_sub_input *,
	    int64_t, struct pd_sub_result *, struct pd_error *);

/* Decision value names (for JSON). */
const char	*pd_alignment_name(int);
const char	*pd_infield_name(int);
const char	*pd_outfield_name(int);
const char	*pd_approach_name(int);

/* Internal to the engine (subst.c, snapshot.c). */
void	pd_game_start(struct pd_game *);
int	pd_game_roll_pending(const struct pd_game *, int64_t);

#endif
