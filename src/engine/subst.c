/*
 * Substitutions: pinch hitter, defensive replacement, pitching change.
 * The seed's rules: a pinch hitter only for the current batter; the
 * substitute comes off the bench (no re-entry) and takes the replaced
 * player's batting order; a pitcher must face a batter before he is
 * replaced.  Checks run in a fixed order (docs/engine.md) and nothing
 * changes unless all pass.
 */
#include <stdio.h>
#include <string.h>

#include "engine/game.h"

enum sub_type {
	SUB_PINCH_HITTER,
	SUB_DEFENSIVE,
	SUB_PITCHING
};

static int	sub_check(const struct pd_game *, const struct pd_sub_input *,
		    int, int64_t, int *, int *, int *, int *,
		    struct pd_error *);
static void	sub_apply(struct pd_game *, int, int, int, int);
static void	sub_result(const struct pd_game *, const struct pd_sub_input *,
		    int, int, int, struct pd_sub_result *);

int
pd_game_pinch_hitter(struct pd_game *g, const struct pd_sub_input *in,
    int64_t now_ms, struct pd_sub_result *res, struct pd_error *err)
{
	int		side, out, inc, pos;

	if (sub_check(g, in, SUB_PINCH_HITTER, now_ms, &side, &out, &inc,
	    &pos, err) == PD_ERR)
		return (PD_ERR);
	sub_apply(g, side, out, inc, pos);
	sub_result(g, in, SUB_PINCH_HITTER, side, inc, res);
	return (PD_OK);
}

int
pd_game_defensive_replacement(struct pd_game *g, const struct pd_sub_input *in,
    int64_t now_ms, struct pd_sub_result *res, struct pd_error *err)
{
	int		side, out, inc, pos;

	if (sub_check(g, in, SUB_DEFENSIVE, now_ms, &side, &out, &inc, &pos,
	    err) == PD_ERR)
		return (PD_ERR);
	sub_apply(g, side, out, inc, pos);
	sub_result(g, in, SUB_DEFENSIVE, side, inc, res);
	return (PD_OK);
}

int
pd_game_pitching_change(struct pd_game *g, const struct pd_sub_input *in,
    int64_t now_ms, struct pd_sub_result *res, struct pd_error *err)
{
	int		side, out, inc, pos;

	if (sub_check(g, in, SUB_PITCHING, now_ms, &side, &out, &inc, &pos,
	    err) == PD_ERR)
		return (PD_ERR);
	sub_apply(g, side, out, inc, pos);
	sub_result(g, in, SUB_PITCHING, side, inc, res);
	return (PD_OK);
}

/*
 * Order: game over; team; position; the player going out (exists, not
 * already out, active, the rule of the type); the card coming in (on the
 * roster, not already out, not active); the moment (no pending roll).
 */
static int
sub_check(const struct pd_game *g, const struct pd_sub_input *in, int type,
    int64_t now_ms, int *sidep, int *outp, int *incp, int *posp,
    struct pd_error *err)
{
	const struct pd_team		*t;
	const struct pd_lineup_entry	*lo, *li;
	int				 side, out, inc, i, pos, s;

	if (g->status == PD_STATUS_FINAL)
		return (pd_error_set(err, PD_E_GAME_OVER, PD_F_GAME_STATE,
		    "Game is over"));
	if ((side = pd_game_side_of_team(g, in->team_id)) < 0)
		return (pd_error_set(err, PD_E_INVALID_TEAM, "team_id",
		    "Team %lld is not in this game", (long long)in->team_id));
	t = &g->team[side];

	pos = PD_POS_NONE;
	if (type == SUB_DEFENSIVE) {
		if (in->new_position == NULL)
			return (pd_error_set(err, PD_E_MISSING_FIELD,
			    "new_position", "Missing new_position"));
		if ((pos = pd_pos_lookup(in->new_position)) == PD_POS_NONE)
			return (pd_error_set(err, PD_E_INVALID_POSITION,
			    "new_position", "Invalid position %s",
			    in->new_position));
	}

	if (pd_game_find_lineup(g, in->player_out_lineup_id, &s, &out) ==
	    PD_ERR || s != side)
		return (pd_error_set(err, PD_E_PLAYER_NOT_FOUND,
		    "player_out_lineup_id", "Lineup id %d is not on team %lld",
		    in->player_out_lineup_id, (long long)in->team_id));
	lo = &t->lu[out];
	if (lo->status == PD_LU_REMOVED)
		return (pd_error_set(err, PD_E_PLAYER_ALREADY_OUT,
		    "player_out_lineup_id",
		    "This player has already been removed from the game"));
	if (lo->status != PD_LU_ACTIVE)
		return (pd_error_set(err, PD_E_PLAYER_NOT_ACTIVE,
		    "player_out_lineup_id", "This player is not in the game"));

	switch (type) {
	case SUB_PINCH_HITTER:
		if (side != pd_game_batting(g) ||
		    out != pd_game_current_batter(g))
			return (pd_error_set(err, PD_E_NOT_CURRENT_BATTER,
			    "player_out_lineup_id",
			    "Can only pinch hit for the current batter"));
		pos = lo->position;
		break;
	case SUB_DEFENSIVE:
		if (out == t->pitcher && pos != PD_POS_P)
			return (pd_error_set(err, PD_E_INVALID_POSITION,
			    "new_position",
			    "The pitcher can only be replaced at P"));
		if (out != t->pitcher && pos == PD_POS_P)
			return (pd_error_set(err, PD_E_INVALID_POSITION,
			    "new_position",
			    "Use a pitching change to replace the pitcher"));
		break;
	case SUB_PITCHING:
		if (out != t->pitcher)
			return (pd_error_set(err, PD_E_NOT_CURRENT_PITCHER,
			    "player_out_lineup_id",
			    "This player is not the current pitcher"));
		pos = PD_POS_P;
		break;
	}
	if (out == t->pitcher && g->sc.side[side].pit[out].bf < 1)
		return (pd_error_set(err, PD_E_PITCHER_NO_BATTER,
		    "player_out_lineup_id",
		    "A pitcher must face at least one batter"));

	inc = -1;
	for (i = 0; i < t->roster.ncards; i++)
		if (t->roster.cards[i].card_id == in->player_in_card_id)
			inc = i;
	if (inc < 0)
		return (pd_error_set(err, PD_E_NOT_IN_ROSTER,
		    "player_in_card_id", "Card %lld is not on the roster",
		    (long long)in->player_in_card_id));
	li = &t->lu[inc];
	if (li->status == PD_LU_REMOVED)
		return (pd_error_set(err, PD_E_PLAYER_ALREADY_OUT,
		    "player_in_card_id",
		    "This player has already been removed from the game"));
	if (li->status == PD_LU_ACTIVE)
		return (pd_error_set(err, PD_E_ALREADY_ACTIVE,
		    "player_in_card_id", "This player is already in the game"));

	if (pd_game_roll_pending(g, now_ms))
		return (pd_error_set(err, PD_E_ROLL_PENDING, PD_F_GAME_STATE,
		    "No substitutions while a roll is pending"));

	*sidep = side;
	*outp = out;
	*incp = inc;
	*posp = pos;
	return (PD_OK);
}

static void
sub_apply(struct pd_game *g, int side, int out, int inc, int pos)
{
	struct pd_team	*t = &g->team[side];
	int		 slot, b;

	t->lu[inc].status = PD_LU_ACTIVE;
	t->lu[inc].position = pos;
	t->lu[inc].batting_order = t->lu[out].batting_order;
	t->lu[inc].is_starter = 0;
	t->lu[out].status = PD_LU_REMOVED;

	for (slot = 0; slot < 9; slot++)
		if (t->order[slot] == out)
			t->order[slot] = inc;
	if (t->pitcher == out) {
		t->pitcher = inc;
		pd_score_pitcher(&g->sc, side, inc);
	}
	/* A batting-side player on base: the substitute runs for him. */
	if (side == pd_game_batting(g)) {
		for (b = 1; b <= 3; b++)
			if (g->base[b] == out)
				g->base[b] = inc;
		pd_score_replace_runner(&g->sc, out, inc);
	}
	pd_game_start(g);
}

static void
sub_result(const struct pd_game *g, const struct pd_sub_input *in, int type,
    int side, int inc, struct pd_sub_result *res)
{
	const struct pd_lineup_entry	*li = &g->team[side].lu[inc];

	memset(res, 0, sizeof(*res));
	res->player_out_lineup_id = in->player_out_lineup_id;
	res->player_in_card_id = in->player_in_card_id;
	res->new_lineup_id = li->lineup_id;
	res->position = li->position;
	res->batting_order = li->batting_order;
	res->team_id = in->team_id;
	switch (type) {
	case SUB_PINCH_HITTER:
		res->type = "pinch_hitter";
		(void)snprintf(res->message, sizeof(res->message),
		    "Pinch hitter: #%d now batting", li->batting_order);
		break;
	case SUB_DEFENSIVE:
		res->type = "defensive_replacement";
		(void)snprintf(res->message, sizeof(res->message),
		    "Defensive replacement: %s", pd_pos_name(li->position));
		break;
	default:
		res->type = "pitching_change";
		(void)snprintf(res->message, sizeof(res->message),
		    "Pitching change: New pitcher entering");
		break;
	}
}
