/*
 * The internal snapshot: every field of struct pd_game as JSON, so a
 * game can be stored and continued elsewhere.  Writing is deterministic
 * and reading restores the struct exactly, so write -> read -> write
 * gives the same bytes.  Statistics lines are written as integer arrays
 * (their structs are all ints), and a line of zeros, a card that has not
 * played, as a bare 0: most of a roster never plays, and the snapshot is
 * written on every play.  For the same reason a card is an array in the
 * order of CARD_FIELDS, not an object with its keys.  The format carries
 * a version; versions 1 and 2 (cards as objects; 1 with every line in
 * full) are still read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/json.h"
#include "util/jsonutil.h"

#define SNAP_VERSION	3
#define SNAP_OLDEST	1

#define JW(x)	do { if ((x) != yajl_gen_status_ok) return (PD_ERR); } while (0)
#define BAT_INTS	(int)(sizeof(struct pd_bat_stats) / sizeof(pd_stat))
#define PIT_INTS	(int)(sizeof(struct pd_pit_stats) / sizeof(pd_stat))

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct ifield {
	const char	*name;
	size_t		 off;
};

#define GF(f)	{ #f, offsetof(struct pd_game, f) }
static const struct ifield game_ints[] = {
	GF(status), GF(winner), GF(inning), GF(half), GF(outs),
	GF(play_number), GF(has_roll), GF(def_submitted), GF(off_submitted),
	GF(locked),
};
#define RF(f)	{ #f, offsetof(struct pd_roll, f) }
static const struct ifield roll_ints[] = {
	RF(d6_one), RF(d6_two_a), RF(d6_two_b), RF(d6_two_total),
	RF(chaos_d20), RF(resolution_d20), RF(check_wild_pitch),
	RF(check_passed_ball),
};
#define DF(f)	{ #f, offsetof(struct pd_def_decision, f) }
static const struct ifield def_ints[] = {
	DF(alignment), DF(infield_depth), DF(outfield_depth), DF(hold),
};
#define OF(f)	{ #f, offsetof(struct pd_off_decision, f) }
static const struct ifield off_ints[] = {
	OF(approach), OF(steal), OF(hit_and_run), OF(bunt_attempt),
};
#define LF(f)	{ #f, offsetof(struct pd_lineup_entry, f) }
static const struct ifield lu_ints[] = {
	LF(lineup_id), LF(position), LF(batting_order), LF(status),
	LF(is_starter),
};
/* A card: card_id, name, positions, hand, is_pitcher, then lu_ints. */
#define CARD_FIELDS	(5 + (int)NELEM(lu_ints))
#define SF(f)	{ #f, offsetof(struct pd_scorer, f) }
static const struct ifield sc_ints[] = {
	SF(inning), SF(batting), SF(in_half), SF(outs), SF(recon_outs),
	SF(final), SF(winner),
};
#define SSF(f)	{ #f, offsetof(struct pd_sc_side, f) }
static const struct ifield side_ints[] = {
	SSF(ninnings), SSF(r), SSF(h), SSF(e), SSF(lob), SSF(pitcher),
	SSF(starter), SSF(npitchers), SSF(lead_pitcher), SSF(lead_loser),
};


static int	gen_ints(yajl_gen, const void *, const struct ifield *, size_t);
static int	gen_intarray(yajl_gen, const int *, int);
static int	gen_statline(yajl_gen, const pd_stat *, int);
static int	gen_team(yajl_gen, const struct pd_team *);
static int	gen_scorer(yajl_gen, const struct pd_game *);
static int	rd_ints(yajl_val, void *, const struct ifield *, size_t);
static int	rd_int(yajl_val, const char *, long long, long long,
		    long long *);
static int	rd_elem(yajl_val, int, long long, long long, long long *);
static int	rd_intarray(yajl_val, int *, int, int);
static int	rd_statline(yajl_val, pd_stat *, int);
static int	rd_str(yajl_val, const char *, char *, size_t);
static int	rd_team(yajl_val, struct pd_team *);
static int	rd_card(yajl_val, struct pd_card *, struct pd_lineup_entry *);
static int	rd_scorer(yajl_val, struct pd_game *);

int
pd_snapshot_gen(yajl_gen g, const struct pd_game *gm)
{
	int		s;

	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "version"));
	JW(pd_json_gen_int(g, SNAP_VERSION));
	JW(pd_json_gen_str(g, "game_id"));
	JW(pd_json_gen_str(g, gm->game_id));
	JW(pd_json_gen_str(g, "seq"));
	JW(pd_json_gen_int(g, gm->seq));
	JW(gen_ints(g, gm, game_ints, NELEM(game_ints)));
	JW(pd_json_gen_str(g, "base"));
	JW(gen_intarray(g, gm->base, 4));
	JW(pd_json_gen_str(g, "score"));
	JW(gen_intarray(g, gm->score, 2));
	JW(pd_json_gen_str(g, "roll"));
	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "roll_id"));
	JW(pd_json_gen_str(g, gm->roll.roll_id));
	JW(gen_ints(g, &gm->roll, roll_ints, NELEM(roll_ints)));
	JW(pd_json_gen_str(g, "timestamp_ms"));
	JW(pd_json_gen_int(g, gm->roll.timestamp_ms));
	JW(yajl_gen_map_close(g));
	JW(pd_json_gen_str(g, "roll_expires_ms"));
	JW(pd_json_gen_int(g, gm->roll_expires_ms));
	JW(pd_json_gen_str(g, "def"));
	JW(yajl_gen_map_open(g));
	JW(gen_ints(g, &gm->def, def_ints, NELEM(def_ints)));
	JW(yajl_gen_map_close(g));
	JW(pd_json_gen_str(g, "off"));
	JW(yajl_gen_map_open(g));
	JW(gen_ints(g, &gm->off, off_ints, NELEM(off_ints)));
	JW(yajl_gen_map_close(g));
	JW(pd_json_gen_str(g, "teams"));
	JW(yajl_gen_array_open(g));
	for (s = 0; s < 2; s++)
		JW(gen_team(g, &gm->team[s]));
	JW(yajl_gen_array_close(g));
	JW(pd_json_gen_str(g, "scorer"));
	JW(gen_scorer(g, gm));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

char *
pd_snapshot_str(const struct pd_game *gm, size_t *len)
{
	yajl_gen	 g;
	char		*out;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return (NULL);
	if (pd_snapshot_gen(g, gm) == PD_ERR ||
	    pd_json_gen_done(g, &out, len) == PD_ERR)
		out = NULL;
	yajl_gen_free(g);
	return (out);
}

int
pd_snapshot_read(struct pd_game *gm, const char *text, struct pd_error *err)
{
	yajl_val	tree;
	char		ebuf[128];
	int		rc;

	if ((tree = yajl_tree_parse(text, ebuf, sizeof(ebuf))) == NULL)
		return (pd_error_set(err, PD_E_INVALID_SNAPSHOT, NULL,
		    "snapshot: %s", ebuf));
	rc = pd_snapshot_from_tree(gm, tree, err);
	yajl_tree_free(tree);
	return (rc);
}

/* Reads into a scratch game; *gm changes only when all of it is valid. */
int
pd_snapshot_from_tree(struct pd_game *gm, yajl_val root, struct pd_error *err)
{
	struct pd_game	*g;
	yajl_val	 v, teams;
	long long	 n;
	int		 s, ok;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return (pd_error_set(err, PD_E_INTERNAL, NULL, "out of memory"));
	n = 0;
	ok = rd_int(root, "version", SNAP_OLDEST, SNAP_VERSION, &n) == PD_OK &&
	    rd_str(root, "game_id", g->game_id, sizeof(g->game_id)) == PD_OK &&
	    rd_int(root, "seq", 0, INT64_MAX, &n) == PD_OK;
	g->seq = n;
	ok = ok && rd_ints(root, g, game_ints, NELEM(game_ints)) == PD_OK &&
	    rd_intarray(json_get(root, "base"), g->base, 4, 1) == PD_OK &&
	    rd_intarray(json_get(root, "score"), g->score, 2, 1) == PD_OK;
	v = json_get(root, "roll");
	ok = ok && rd_str(v, "roll_id", g->roll.roll_id,
	    sizeof(g->roll.roll_id)) == PD_OK &&
	    rd_ints(v, &g->roll, roll_ints, NELEM(roll_ints)) == PD_OK &&
	    rd_int(v, "timestamp_ms", INT64_MIN, INT64_MAX, &n) == PD_OK;
	g->roll.timestamp_ms = n;
	ok = ok && rd_int(root, "roll_expires_ms", INT64_MIN, INT64_MAX, &n) ==
	    PD_OK;
	g->roll_expires_ms = n;
	ok = ok && rd_ints(json_get(root, "def"), &g->def, def_ints,
	    NELEM(def_ints)) == PD_OK &&
	    rd_ints(json_get(root, "off"), &g->off, off_ints,
	    NELEM(off_ints)) == PD_OK;
	teams = json_get(root, "teams");
	ok = ok && YAJL_IS_ARRAY(teams) && teams->u.array.len == 2;
	for (s = 0; ok && s < 2; s++)
		ok = rd_team(teams->u.array.values[s], &g->team[s]) == PD_OK;
	ok = ok && rd_scorer(json_get(root, "scorer"), g) == PD_OK;

	/* The references the engine follows must be in range. */
	for (s = 0; ok && s < 2; s++) {
		ok = g->team[s].pitcher >= 0 &&
		    g->team[s].pitcher < g->team[s].roster.ncards &&
		    g->team[s].next >= 0 && g->team[s].next < 9;
	}
	for (s = 1; ok && s <= 3; s++)
		ok = g->base[s] >= -1 && g->base[s] < PD_MAX_PLAYERS;
	ok = ok && (g->half == PD_TOP || g->half == PD_BOTTOM) &&
	    g->status >= PD_STATUS_PENDING && g->status <= PD_STATUS_FINAL;
	if (!ok) {
		free(g);
		return (pd_error_set(err, PD_E_INVALID_SNAPSHOT, NULL,
		    "snapshot: missing or invalid field"));
	}
	*gm = *g;
	free(g);
	return (PD_OK);
}

static int
gen_team(yajl_gen g, const struct pd_team *t)
{
	const struct pd_card	*c;
	char			 hand[2];
	size_t			 k;
	int			 i;

	JW(yajl_gen_map_open(g));
	JW(pd_json_gen_str(g, "team_id"));
	JW(pd_json_gen_int(g, t->roster.team_id));
	JW(pd_json_gen_str(g, "cards"));
	JW(yajl_gen_array_open(g));
	for (i = 0; i < t->roster.ncards; i++) {
		c = &t->roster.cards[i];
		hand[0] = c->hand;
		hand[1] = '\0';
		JW(yajl_gen_array_open(g));
		JW(pd_json_gen_int(g, c->card_id));
		JW(pd_json_gen_str(g, c->name));
		JW(pd_json_gen_int(g, c->positions));
		JW(pd_json_gen_str(g, hand));
		JW(pd_json_gen_int(g, c->is_pitcher));
		for (k = 0; k < NELEM(lu_ints); k++)
			JW(pd_json_gen_int(g, *(const int *)((const char *)
			    &t->lu[i] + lu_ints[k].off)));
		JW(yajl_gen_array_close(g));
	}
	JW(yajl_gen_array_close(g));
	JW(pd_json_gen_str(g, "order"));
	JW(gen_intarray(g, t->order, 9));
	JW(pd_json_gen_str(g, "next"));
	JW(pd_json_gen_int(g, t->next));
	JW(pd_json_gen_str(g, "pitcher"));
	JW(pd_json_gen_int(g, t->pitcher));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

static int
gen_scorer(yajl_gen g, const struct pd_game *gm)
{
	const struct pd_scorer	*sc = &gm->sc;
	const struct pd_sc_side	*sd;
	int			 b, s, i, n;

	JW(yajl_gen_map_open(g));
	JW(gen_ints(g, sc, sc_ints, NELEM(sc_ints)));
	JW(pd_json_gen_str(g, "base"));
	JW(yajl_gen_array_open(g));
	for (b = 0; b < 4; b++)
		JW(gen_intarray(g, &sc->base[b].player, 3));
	JW(yajl_gen_array_close(g));
	JW(pd_json_gen_str(g, "sides"));
	JW(yajl_gen_array_open(g));
	for (s = 0; s < 2; s++) {
		sd = &sc->side[s];
		n = gm->team[s].roster.ncards;
		JW(yajl_gen_map_open(g));
		JW(gen_ints(g, sd, side_ints, NELEM(side_ints)));
		JW(pd_json_gen_str(g, "runs_by_inning"));
		JW(gen_intarray(g, sd->runs_by_inning, sd->ninnings));
		JW(pd_json_gen_str(g, "bat"));
		JW(yajl_gen_array_open(g));
		for (i = 0; i < n; i++)
			JW(gen_statline(g, (const pd_stat *)&sd->bat[i],
			    BAT_INTS));
		JW(yajl_gen_array_close(g));
		JW(pd_json_gen_str(g, "pit"));
		JW(yajl_gen_array_open(g));
		for (i = 0; i < n; i++)
			JW(gen_statline(g, (const pd_stat *)&sd->pit[i],
			    PIT_INTS));
		JW(yajl_gen_array_close(g));
		JW(yajl_gen_map_close(g));
	}
	JW(yajl_gen_array_close(g));
	JW(yajl_gen_map_close(g));
	return (PD_OK);
}

static int
gen_ints(yajl_gen g, const void *base, const struct ifield *f, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++) {
		JW(pd_json_gen_str(g, f[i].name));
		JW(pd_json_gen_int(g,
		    *(const int *)((const char *)base + f[i].off)));
	}
	return (PD_OK);
}

static int
gen_intarray(yajl_gen g, const int *v, int n)
{
	int		i;

	JW(yajl_gen_array_open(g));
	for (i = 0; i < n; i++)
		JW(pd_json_gen_int(g, v[i]));
	JW(yajl_gen_array_close(g));
	return (PD_OK);
}

static int
gen_statline(yajl_gen g, const pd_stat *v, int n)
{
	int		i;

	for (i = 0; i < n && v[i] == 0; i++)
		;
	if (i == n)
		return (pd_json_gen_int(g, 0));
	JW(yajl_gen_array_open(g));
	for (i = 0; i < n; i++)
		JW(pd_json_gen_int(g, v[i]));
	JW(yajl_gen_array_close(g));
	return (PD_OK);
}

static int
rd_team(yajl_val v, struct pd_team *t)
{
	yajl_val	 cards, c;
	long long	 n;
	char		 hand[4];
	size_t		 i;

	if (rd_int(v, "team_id", INT64_MIN, INT64_MAX, &n) == PD_ERR)
		return (PD_ERR);
	t->roster.team_id = n;
	cards = json_get(v, "cards");
	if (!YAJL_IS_ARRAY(cards) || cards->u.array.len > PD_MAX_PLAYERS)
		return (PD_ERR);
	t->roster.ncards = (int)cards->u.array.len;
	for (i = 0; i < cards->u.array.len; i++) {
		c = cards->u.array.values[i];
		if (YAJL_IS_ARRAY(c)) {
			if (rd_card(c, &t->roster.cards[i], &t->lu[i]) ==
			    PD_ERR)
				return (PD_ERR);
			continue;
		}
		/* Versions 1 and 2: an object. */
		if (rd_int(c, "card_id", INT64_MIN, INT64_MAX, &n) == PD_ERR)
			return (PD_ERR);
		t->roster.cards[i].card_id = n;
		if (rd_str(c, "name", t->roster.cards[i].name,
		    sizeof(t->roster.cards[i].name)) == PD_ERR ||
		    rd_int(c, "positions", 0, 0xffff, &n) == PD_ERR)
			return (PD_ERR);
		t->roster.cards[i].positions = (unsigned int)n;
		if (rd_str(c, "hand", hand, sizeof(hand)) == PD_ERR)
			return (PD_ERR);
		t->roster.cards[i].hand = hand[0];
		if (rd_int(c, "is_pitcher", 0, 1, &n) == PD_ERR)
			return (PD_ERR);
		t->roster.cards[i].is_pitcher = (int)n;
		if (rd_ints(c, &t->lu[i], lu_ints, NELEM(lu_ints)) == PD_ERR)
			return (PD_ERR);
	}
	if (rd_intarray(json_get(v, "order"), t->order, 9, 1) == PD_ERR)
		return (PD_ERR);
	for (i = 0; i < 9; i++)
		if (t->order[i] < 0 || t->order[i] >= t->roster.ncards)
			return (PD_ERR);
	if (rd_int(v, "next", 0, 8, &n) == PD_ERR)
		return (PD_ERR);
	t->next = (int)n;
	if (rd_int(v, "pitcher", 0, PD_MAX_PLAYERS - 1, &n) == PD_ERR)
		return (PD_ERR);
	t->pitcher = (int)n;
	return (PD_OK);
}

/* A card as written by version 3: an array of CARD_FIELDS. */
static int
rd_card(yajl_val a, struct pd_card *c, struct pd_lineup_entry *lu)
{
	yajl_val	*v;
	const char	*name, *hand;
	long long	 id, positions, pitcher, x;
	size_t		 k;

	if (a->u.array.len != (size_t)CARD_FIELDS)
		return (PD_ERR);
	v = a->u.array.values;
	if (rd_elem(a, 0, INT64_MIN, INT64_MAX, &id) == PD_ERR ||
	    rd_elem(a, 2, 0, 0xffff, &positions) == PD_ERR ||
	    rd_elem(a, 4, 0, 1, &pitcher) == PD_ERR ||
	    !YAJL_IS_STRING(v[1]) || !YAJL_IS_STRING(v[3]))
		return (PD_ERR);
	name = YAJL_GET_STRING(v[1]);
	hand = YAJL_GET_STRING(v[3]);
	if (name == NULL || strlen(name) >= sizeof(c->name) || hand == NULL ||
	    strlen(hand) >= 4)
		return (PD_ERR);
	c->card_id = id;
	(void)snprintf(c->name, sizeof(c->name), "%s", name);
	c->positions = (unsigned int)positions;
	c->hand = hand[0];
	c->is_pitcher = (int)pitcher;
	for (k = 0; k < NELEM(lu_ints); k++) {
		if (rd_elem(a, 5 + (int)k, INT32_MIN, INT32_MAX, &x) == PD_ERR)
			return (PD_ERR);
		*(int *)((char *)lu + lu_ints[k].off) = (int)x;
	}
	return (PD_OK);
}

static int
rd_scorer(yajl_val v, struct pd_game *gm)
{
	struct pd_scorer	*sc = &gm->sc;
	struct pd_sc_side	*sd;
	yajl_val		 base, sides, sv, arr;
	size_t			 b, s, i, n;

	if (rd_ints(v, sc, sc_ints, NELEM(sc_ints)) == PD_ERR)
		return (PD_ERR);
	base = json_get(v, "base");
	if (!YAJL_IS_ARRAY(base) || base->u.array.len != 4)
		return (PD_ERR);
	for (b = 0; b < 4; b++)
		if (rd_intarray(base->u.array.values[b], &sc->base[b].player,
		    3, 1) == PD_ERR)
			return (PD_ERR);
	sides = json_get(v, "sides");
	if (!YAJL_IS_ARRAY(sides) || sides->u.array.len != 2)
		return (PD_ERR);
	for (s = 0; s < 2; s++) {
		sd = &sc->side[s];
		sv = sides->u.array.values[s];
		n = (size_t)gm->team[s].roster.ncards;
		if (rd_ints(sv, sd, side_ints, NELEM(side_ints)) == PD_ERR ||
		    sd->ninnings < 0 || sd->ninnings > PD_SC_INNINGS)
			return (PD_ERR);
		if (rd_intarray(json_get(sv, "runs_by_inning"),
		    sd->runs_by_inning, sd->ninnings, 1) == PD_ERR)
			return (PD_ERR);
		arr = json_get(sv, "bat");
		if (!YAJL_IS_ARRAY(arr) || arr->u.array.len != n)
			return (PD_ERR);
		for (i = 0; i < n; i++)
			if (rd_statline(arr->u.array.values[i],
			    (pd_stat *)&sd->bat[i], BAT_INTS) == PD_ERR)
				return (PD_ERR);
		arr = json_get(sv, "pit");
		if (!YAJL_IS_ARRAY(arr) || arr->u.array.len != n)
			return (PD_ERR);
		for (i = 0; i < n; i++)
			if (rd_statline(arr->u.array.values[i],
			    (pd_stat *)&sd->pit[i], PIT_INTS) == PD_ERR)
				return (PD_ERR);
	}
	return (PD_OK);
}

static int
rd_ints(yajl_val obj, void *base, const struct ifield *f, size_t n)
{
	long long	v;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (rd_int(obj, f[i].name, INT32_MIN, INT32_MAX, &v) == PD_ERR)
			return (PD_ERR);
		*(int *)((char *)base + f[i].off) = (int)v;
	}
	return (PD_OK);
}

static int
rd_int(yajl_val obj, const char *key, long long lo, long long hi,
    long long *out)
{
	yajl_val	v;

	if ((v = json_get(obj, key)) == NULL || !YAJL_IS_INTEGER(v))
		return (PD_ERR);
	if (YAJL_GET_INTEGER(v) < lo || YAJL_GET_INTEGER(v) > hi)
		return (PD_ERR);
	*out = YAJL_GET_INTEGER(v);
	return (PD_OK);
}

/* Element i of array a: an integer in lo..hi. */
static int
rd_elem(yajl_val a, int i, long long lo, long long hi, long long *out)
{
	yajl_val	x = a->u.array.values[i];

	if (!YAJL_IS_INTEGER(x) || YAJL_GET_INTEGER(x) < lo ||
	    YAJL_GET_INTEGER(x) > hi)
		return (PD_ERR);
	*out = YAJL_GET_INTEGER(x);
	return (PD_OK);
}

/* Exactly n integers (exact != 0) into v. */
static int
rd_intarray(yajl_val a, int *v, int n, int exact)
{
	long long	x;
	int		i;

	if (!YAJL_IS_ARRAY(a) || (exact && a->u.array.len != (size_t)n) ||
	    a->u.array.len < (size_t)n)
		return (PD_ERR);
	for (i = 0; i < n; i++) {
		if (rd_elem(a, i, INT32_MIN, INT32_MAX, &x) == PD_ERR)
			return (PD_ERR);
		v[i] = (int)x;
	}
	return (PD_OK);
}

/* A statistics line: n integers, or a bare 0 for a line of zeros. */
static int
rd_statline(yajl_val a, pd_stat *v, int n)
{
	long long	x;
	int		i;

	if (YAJL_IS_INTEGER(a) && YAJL_GET_INTEGER(a) == 0) {
		memset(v, 0, (size_t)n * sizeof(*v));
		return (PD_OK);
	}
	if (!YAJL_IS_ARRAY(a) || a->u.array.len != (size_t)n)
		return (PD_ERR);
	for (i = 0; i < n; i++) {
		if (rd_elem(a, i, INT16_MIN, INT16_MAX, &x) == PD_ERR)
			return (PD_ERR);
		v[i] = (pd_stat)x;
	}
	return (PD_OK);
}

static int
rd_str(yajl_val obj, const char *key, char *buf, size_t len)
{
	yajl_val	 v;
	const char	*s;

	if ((v = json_get(obj, key)) == NULL || !YAJL_IS_STRING(v) ||
	    (s = YAJL_GET_STRING(v)) == NULL || strlen(s) >= len)
		return (PD_ERR);
	(void)snprintf(buf, len, "%s", s);
	return (PD_OK);
}
