/*
 * The public JSON shapes.  Field names and order follow the contract;
 * a lineup entry is {lineup_id, card_id, name, position, batting_order}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/json.h"

#define JW(x)	do { if ((x) != yajl_gen_status_ok) return (PD_ERR); } while (0)

static int	jw_kstr(yajl_gen, const char *, const char *);
static int	jw_kint(yajl_gen, const char *, long long);
static int	jw_kbool(yajl_gen, const char *, int);
static int	jw_knull(yajl_gen, const char *);
static int	jw_line_score(yajl_gen, const struct pd_game *, int);
static int	jw_batting(yajl_gen, const struct pd_game *, int);
static int	jw_pitching(yajl_gen, const struct pd_game *, int);
static int	jw_bases(yajl_gen, int);
static int	jw_entry_fields(yajl_gen, const struct pd_team *, int);
static char	*json_str(int (*)(yajl_gen, const void *), const void *,
		    size_t *);
static int	write_state(yajl_gen, const void *);
static int	write_play(yajl_gen, const void *);
static int	write_box_score(yajl_gen, const void *);

int
pd_json_roll(yajl_gen g, const struct pd_roll *r)
{
	char		ts[PD_TIMESTAMP_MAX];

	pd_dice_timestamp(r->timestamp_ms, ts, sizeof(ts));
	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "roll_id", r->roll_id));
	JW(jw_kint(g, "d6_one", r->d6_one));
	JW(jw_kint(g, "d6_two_total", r->d6_two_total));
	JW(jw_kint(g, "chaos_d20", r->chaos_d20));
	JW(jw_kint(g, "resolution_d20", r->resolution_d20));
	JW(jw_kbool(g, "check_wild_pitch", r->check_wild_pitch));
	JW(jw_kbool(g, "check_passed_ball", r->check_passed_ball));
	JW(jw_kstr(g, "timestamp", ts));
	JW(pd_json_gen_str(g, "d6_two"));
	JW(yajl_gen_array_open(g));
	JW(pd_json_gen_int(g, r->d6_two_a));
	JW(pd_json_gen_int(g, r->d6_two_b));
	JW(yajl_gen_array_close(g));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_lineup_entry(yajl_gen g, const struct pd_game *gm, int side, int idx)
{
	if (side < 0 || side > 1 || idx < 0 ||
	    idx >= gm->team[side].roster.ncards) {
		JW(yajl_gen_null(g));
		return (PD_OK);
	}
	JW(yajl_gen_map_open(g));
	JW(jw_entry_fields(g, &gm->team[side], idx));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

/* The fields of a lineup entry, shared by state and lineup_data. */
static int
jw_entry_fields(yajl_gen g, const struct pd_team *t, int idx)
{
	const struct pd_lineup_entry	*e = &t->lu[idx];
	const char			*pos;

	JW(jw_kint(g, "lineup_id", e->lineup_id));
	JW(jw_kint(g, "card_id", t->roster.cards[idx].card_id));
	JW(jw_kstr(g, "name", t->roster.cards[idx].name));
	if ((pos = pd_pos_name(e->position)) != NULL)
		JW(jw_kstr(g, "position", pos));
	else
		JW(jw_knull(g, "position"));
	if (e->batting_order > 0)
		JW(jw_kint(g, "batting_order", e->batting_order));
	else
		JW(jw_knull(g, "batting_order"));
	return (PD_OK);
}

int
pd_json_def_decision(yajl_gen g, const struct pd_def_decision *d)
{
	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "alignment", pd_alignment_name(d->alignment)));
	JW(jw_kstr(g, "infield_depth", pd_infield_name(d->infield_depth)));
	JW(jw_kstr(g, "outfield_depth", pd_outfield_name(d->outfield_depth)));
	JW(pd_json_gen_str(g, "hold_runners"));
	JW(jw_bases(g, d->hold));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_off_decision(yajl_gen g, const struct pd_off_decision *d)
{
	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "approach", pd_approach_name(d->approach)));
	JW(pd_json_gen_str(g, "steal_attempts"));
	JW(jw_bases(g, d->steal));
	JW(jw_kbool(g, "hit_and_run", d->hit_and_run));
	JW(jw_kbool(g, "bunt_attempt", d->bunt_attempt));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_decisions(yajl_gen g, const struct pd_game *gm)
{
	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "defensive"));
	JW(pd_json_def_decision(g, &gm->def));
	JW(pd_json_gen_str(g, "offensive"));
	JW(pd_json_off_decision(g, &gm->off));
	JW(jw_kstr(g, "pending_decision",
	    pd_pending_name(pd_game_pending_decision(gm))));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_state(yajl_gen g, const struct pd_game *gm)
{
	static const char	*keys[] = { NULL, "1", "2", "3" };
	int			 b, bat, fld;

	bat = pd_game_batting(gm);
	fld = pd_game_fielding(gm);
	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "game_id", gm->game_id));
	JW(jw_kstr(g, "status", pd_status_name(gm->status)));
	JW(jw_kint(g, "seq", gm->seq));
	JW(jw_kint(g, "inning", gm->inning));
	JW(jw_kstr(g, "half", gm->half == PD_TOP ? "top" : "bottom"));
	JW(jw_kint(g, "outs", gm->outs));
	JW(pd_json_gen_str(g, "runners"));
	JW(yajl_gen_map_open(g));
	for (b = 1; b <= 3; b++) {
		JW(pd_json_gen_str(g, keys[b]));
		JW(pd_json_lineup_entry(g, gm, bat, gm->base[b]));
	}
	JW(yajl_gen_map_close(g));
	JW(pd_json_gen_str(g, "score"));
	JW(yajl_gen_map_open(g));
	JW(jw_kint(g, "away", gm->score[PD_AWAY]));
	JW(jw_kint(g, "home", gm->score[PD_HOME]));
	JW(yajl_gen_map_close(g));
	JW(jw_kint(g, "away_team_id", gm->team[PD_AWAY].roster.team_id));
	JW(jw_kint(g, "home_team_id", gm->team[PD_HOME].roster.team_id));
	JW(jw_kint(g, "batting_team_id", gm->team[bat].roster.team_id));
	JW(jw_kint(g, "fielding_team_id", gm->team[fld].roster.team_id));
	JW(pd_json_gen_str(g, "current_batter"));
	JW(pd_json_lineup_entry(g, gm, bat, pd_game_current_batter(gm)));
	JW(pd_json_gen_str(g, "current_pitcher"));
	JW(pd_json_lineup_entry(g, gm, fld, pd_game_current_pitcher(gm)));
	JW(jw_kint(g, "play_number", gm->play_number));
	JW(pd_json_gen_str(g, "pending_roll"));
	if (gm->has_roll)
		JW(pd_json_roll(g, &gm->roll));
	else
		JW(yajl_gen_null(g));
	JW(pd_json_gen_str(g, "decisions"));
	JW(pd_json_decisions(g, gm));
	if (gm->winner >= 0)
		JW(jw_kint(g, "winner_team_id",
		    gm->team[gm->winner].roster.team_id));
	else
		JW(jw_knull(g, "winner_team_id"));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_play(yajl_gen g, const struct pd_play_result *p)
{
	int		i;

	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "game_id", p->game_id));
	JW(jw_kint(g, "play_number", p->play_number));
	JW(jw_kstr(g, "outcome", pd_outcome_name(p->outcome)));
	if (p->hit_location != PD_POS_NONE)
		JW(jw_kstr(g, "hit_location", pd_pos_name(p->hit_location)));
	else
		JW(jw_knull(g, "hit_location"));
	JW(jw_kstr(g, "description", p->description));
	JW(jw_kint(g, "outs_recorded", p->outs_recorded));
	JW(jw_kint(g, "runs_scored", p->runs_scored));
	JW(jw_kstr(g, "batter_result", p->batter_result));
	JW(pd_json_gen_str(g, "runners_advanced"));
	JW(yajl_gen_array_open(g));
	for (i = 0; i < p->nadv; i++) {
		JW(yajl_gen_map_open(g));
		JW(jw_kint(g, "from", p->adv[i].from));
		JW(jw_kint(g, "to", p->adv[i].to));
		JW(jw_kbool(g, "out", p->adv[i].out));
		JW(yajl_gen_map_close(g));
	}
	JW(yajl_gen_array_close(g));
	JW(jw_kbool(g, "is_hit", p->is_hit));
	JW(jw_kbool(g, "is_out", p->is_out));
	JW(jw_kbool(g, "is_walk", p->is_walk));
	JW(jw_kstr(g, "roll_id", p->roll_id));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_sub(yajl_gen g, const struct pd_sub_result *s)
{
	const char	*pos;

	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "type", s->type));
	JW(jw_kint(g, "player_out_lineup_id", s->player_out_lineup_id));
	JW(jw_kint(g, "player_in_card_id", s->player_in_card_id));
	JW(jw_kint(g, "new_lineup_id", s->new_lineup_id));
	if ((pos = pd_pos_name(s->position)) != NULL)
		JW(jw_kstr(g, "position", pos));
	else
		JW(jw_knull(g, "position"));
	if (s->batting_order > 0)
		JW(jw_kint(g, "batting_order", s->batting_order));
	else
		JW(jw_knull(g, "batting_order"));
	JW(jw_kint(g, "team_id", s->team_id));
	JW(jw_kstr(g, "message", s->message));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_lineup_players(yajl_gen g, const struct pd_game *gm, int side)
{
	static const char		*st[] = { "bench", "active", "removed" };
	const struct pd_team		*t = &gm->team[side];
	const struct pd_lineup_entry	*e;
	int				 i;

	JW(yajl_gen_array_open(g));
	for (i = 0; i < t->roster.ncards; i++) {
		e = &t->lu[i];
		JW(yajl_gen_map_open(g));
		JW(jw_entry_fields(g, t, i));
		JW(jw_kbool(g, "is_active", e->status == PD_LU_ACTIVE));
		JW(jw_kbool(g, "is_starter", e->is_starter));
		JW(jw_kstr(g, "status", st[e->status]));
		JW(yajl_gen_map_close(g));
	}
	JW(yajl_gen_array_close(g));
	return (PD_OK);
}

int
pd_json_box_score(yajl_gen g, const struct pd_game *gm)
{
	int		s;

	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "line_score"));
	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "away"));
	JW(jw_line_score(g, gm, PD_AWAY));
	JW(pd_json_gen_str(g, "home"));
	JW(jw_line_score(g, gm, PD_HOME));
	JW(yajl_gen_map_close(g));
	JW(pd_json_gen_str(g, "batting"));
	JW(yajl_gen_array_open(g));
	for (s = 0; s < 2; s++)
		JW(jw_batting(g, gm, s));
	JW(yajl_gen_array_close(g));
	JW(pd_json_gen_str(g, "pitching"));
	JW(yajl_gen_array_open(g));
	for (s = 0; s < 2; s++)
		JW(jw_pitching(g, gm, s));
	JW(yajl_gen_array_close(g));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

int
pd_json_error(yajl_gen g, const struct pd_error *e)
{
	JW(yajl_gen_map_open(g));
	JW(jw_kstr(g, "code", e->code != NULL ? e->code : PD_E_INTERNAL));
	JW(jw_kstr(g, "message", e->message));
	if (e->field != NULL)
		JW(jw_kstr(g, "field", e->field));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

/* Runs one writer into a fresh generator; the string is the caller's. */
static char *
json_str(int (*writer)(yajl_gen, const void *), const void *obj, size_t *len)
{
	yajl_gen	 g;
	char		*out;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return (NULL);
	if (writer(g, obj) == PD_ERR || pd_json_gen_done(g, &out, len) == PD_ERR)
		out = NULL;
	yajl_gen_free(g);
	return (out);
}

static int
write_state(yajl_gen g, const void *gm)
{
	return (pd_json_state(g, gm));
}

static int
write_play(yajl_gen g, const void *p)
{
	return (pd_json_play(g, p));
}

static int
write_box_score(yajl_gen g, const void *gm)
{
	return (pd_json_box_score(g, gm));
}

char *
pd_json_state_str(const struct pd_game *gm, size_t *len)
{
	return (json_str(write_state, gm, len));
}

char *
pd_json_play_str(const struct pd_play_result *p, size_t *len)
{
	return (json_str(write_play, p, len));
}

char *
pd_json_box_score_str(const struct pd_game *gm, size_t *len)
{
	return (json_str(write_box_score, gm, len));
}

/* Copies the generator's buffer out; the caller frees it. */
int
pd_json_gen_done(yajl_gen g, char **out, size_t *lenp)
{
	const unsigned char	*buf;
	size_t			 len;

	*out = NULL;
	if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok)
		return (PD_ERR);
	if ((*out = malloc(len + 1)) == NULL)
		return (PD_ERR);
	memcpy(*out, buf, len);
	(*out)[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return (PD_OK);
}


static int
jw_line_score(yajl_gen g, const struct pd_game *gm, int side)
{
	const struct pd_sc_side	*sd = &gm->sc.side[side];
	int			 i;

	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "runs_by_inning"));
	JW(yajl_gen_array_open(g));
	for (i = 0; i < sd->ninnings; i++)
		JW(pd_json_gen_int(g, sd->runs_by_inning[i]));
	JW(yajl_gen_array_close(g));
	JW(jw_kint(g, "r", sd->r));
	JW(jw_kint(g, "h", sd->h));
	JW(jw_kint(g, "e", sd->e));
	JW(jw_kint(g, "lob", sd->lob));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

/* Everyone who appeared in the batting order, by slot then entry. */
static int
jw_batting(yajl_gen g, const struct pd_game *gm, int side)
{
	const struct pd_team		*t = &gm->team[side];
	const struct pd_lineup_entry	*e;
	const struct pd_bat_stats	*b;
	const char			*pos;
	int				 slot, i;

	for (slot = 1; slot <= 9; slot++) {
		for (i = 0; i < t->roster.ncards; i++) {
			e = &t->lu[i];
			if (e->batting_order != slot ||
			    e->status == PD_LU_BENCH)
				continue;
			b = &gm->sc.side[side].bat[i];
			JW(yajl_gen_map_open(g));
			JW(jw_kint(g, "team_id", t->roster.team_id));
			JW(jw_kint(g, "card_id", t->roster.cards[i].card_id));
			JW(jw_kstr(g, "name", t->roster.cards[i].name));
			JW(jw_kint(g, "batting_order", slot));
			if ((pos = pd_pos_name(e->position)) != NULL)
				JW(jw_kstr(g, "position", pos));
			else
				JW(jw_knull(g, "position"));
			JW(jw_kint(g, "pa", b->pa));
			JW(jw_kint(g, "ab", b->ab));
			JW(jw_kint(g, "r", b->r));
			JW(jw_kint(g, "h", b->h));
			JW(jw_kint(g, "doubles", b->doubles));
			JW(jw_kint(g, "triples", b->triples));
			JW(jw_kint(g, "hr", b->hr));
			JW(jw_kint(g, "rbi", b->rbi));
			JW(jw_kint(g, "bb", b->bb));
			JW(jw_kint(g, "so", b->so));
			JW(jw_kint(g, "hbp", b->hbp));
			JW(jw_kint(g, "sf", b->sf));
			JW(jw_kint(g, "sh", b->sh));
			JW(jw_kint(g, "sb", b->sb));
			JW(jw_kint(g, "cs", b->cs));
			JW(jw_kint(g, "gidp", b->gidp));
			JW(jw_kint(g, "lob", b->lob));
			JW(yajl_gen_map_close(g));
		}
	}
	return (PD_OK);
}

/* Pitchers in order of appearance. */
static int
jw_pitching(yajl_gen g, const struct pd_game *gm, int side)
{
	const struct pd_team		*t = &gm->team[side];
	const struct pd_sc_side		*sd = &gm->sc.side[side];
	const struct pd_pit_stats	*p;
	char				 ip[16], dec[2];
	int				 n, i;

	for (n = 1; n <= sd->npitchers; n++) {
		for (i = 0; i < t->roster.ncards; i++) {
			p = &sd->pit[i];
			if (p->order != n)
				continue;
			(void)snprintf(ip, sizeof(ip), "%d.%d", p->outs / 3,
			    p->outs % 3);
			JW(yajl_gen_map_open(g));
			JW(jw_kint(g, "team_id", t->roster.team_id));
			JW(jw_kint(g, "card_id", t->roster.cards[i].card_id));
			JW(jw_kstr(g, "name", t->roster.cards[i].name));
			JW(jw_kint(g, "outs", p->outs));
			JW(jw_kstr(g, "ip", ip));
			JW(jw_kint(g, "bf", p->bf));
			JW(jw_kint(g, "h", p->h));
			JW(jw_kint(g, "r", p->r));
			JW(jw_kint(g, "er", p->er));
			JW(jw_kint(g, "bb", p->bb));
			JW(jw_kint(g, "so", p->so));
			JW(jw_kint(g, "hr", p->hr));
			JW(jw_kint(g, "hbp", p->hbp));
			JW(jw_kint(g, "wp", p->wp));
			if (p->decision != 0) {
				dec[0] = (char)p->decision;
				dec[1] = '\0';
				JW(jw_kstr(g, "decision", dec));
			} else {
				JW(jw_knull(g, "decision"));
			}
			JW(yajl_gen_map_close(g));
		}
	}
	return (PD_OK);
}

static int
jw_bases(yajl_gen g, int mask)
{
	int		b;

	JW(yajl_gen_array_open(g));
	for (b = 1; b <= 4; b++)
		if (mask & (1 << b))
			JW(pd_json_gen_int(g, b));
	JW(yajl_gen_array_close(g));
	return (PD_OK);
}

int
pd_json_gen_str(yajl_gen g, const char *s)
{
	return (yajl_gen_string(g, (const unsigned char *)s, strlen(s)));
}

static int
jw_kstr(yajl_gen g, const char *k, const char *v)
{
	JW(pd_json_gen_str(g, k));
	return (pd_json_gen_str(g, v));
}

static int
jw_kint(yajl_gen g, const char *k, long long v)
{
	JW(pd_json_gen_str(g, k));
	return (pd_json_gen_int(g, v));
}

/*
 * yajl_gen_integer() formats with sprintf, which was the largest single
 * cost of writing a snapshot (every play writes one); same bytes, by hand.
 */
int
pd_json_gen_int(yajl_gen g, long long v)
{
	char			 buf[24], *p;
	unsigned long long	 u;

	p = buf + sizeof(buf);
	u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return (yajl_gen_number(g, p, (size_t)(buf + sizeof(buf) - p)));
}

static int
jw_kbool(yajl_gen g, const char *k, int v)
{
	JW(pd_json_gen_str(g, k));
	return (yajl_gen_bool(g, v != 0));
}

static int
jw_knull(yajl_gen g, const char *k)
{
	JW(pd_json_gen_str(g, k));
	return (yajl_gen_null(g));
}
