/*
 * Requests and rosters from parsed JSON (yajl trees).  Values of the
 * wrong type are reported as the engine would report a value outside its
 * list, so a request fails the same way whatever layer parsed it.
 */
#include <string.h>

#include "engine/json.h"
#include "util/jsonutil.h"

static const char	*in_str(yajl_val, const char *, int *);
static int		 in_bases(yajl_val, const char *, int *, int *, int);
static int		 in_bool(yajl_val, const char *, int *);
static int		 in_int(yajl_val, const char *, long long *, int *);

/* Accepted for invalid strings so the engine names the field at fault. */
static const char	invalid_value[] = "?";

int
pd_json_parse_roster(yajl_val v, struct pd_roster *r, struct pd_error *err)
{
	yajl_val	 cards, c, pos, x;
	const char	*s;
	long long	 n;
	size_t		 i, k;
	int		 present, p;

	memset(r, 0, sizeof(*r));
	if (!YAJL_IS_OBJECT(v))
		return (pd_error_set(err, PD_E_INVALID_PAYLOAD, NULL,
		    "A team must be an object"));
	if (in_int(v, "team_id", &n, &present) == PD_ERR || !present)
		return (pd_error_set(err, PD_E_MISSING_FIELD, "team_id",
		    "Missing team_id"));
	r->team_id = n;
	if ((cards = json_get(v, "roster")) == NULL)
		cards = json_get(v, "cards");
	if (!YAJL_IS_ARRAY(cards) || cards->u.array.len > PD_MAX_PLAYERS)
		return (pd_error_set(err, PD_E_INVALID_ROSTER, "roster",
		    "roster must be an array of at most %d cards",
		    PD_MAX_PLAYERS));
	for (i = 0; i < cards->u.array.len; i++) {
		c = cards->u.array.values[i];
		if (in_int(c, "card_id", &n, &present) == PD_ERR || !present)
			return (pd_error_set(err, PD_E_INVALID_ROSTER,
			    "card_id", "Card %zu: missing card_id", i));
		r->cards[i].card_id = n;
		s = in_str(c, "name", &present);
		(void)strncpy(r->cards[i].name, s != NULL ? s : "",
		    sizeof(r->cards[i].name) - 1);
		s = in_str(c, "hand", &present);
		r->cards[i].hand = (s != NULL && s != invalid_value) ? s[0] :
		    'R';
		if (in_bool(c, "is_pitcher", &r->cards[i].is_pitcher) ==
		    PD_ERR)
			return (pd_error_set(err, PD_E_INVALID_ROSTER,
			    "is_pitcher", "Card %zu: bad is_pitcher", i));
		pos = json_get(c, "positions");
		if (pos != NULL && !YAJL_IS_ARRAY(pos))
			return (pd_error_set(err, PD_E_INVALID_ROSTER,
			    "positions", "Card %zu: bad positions", i));
		for (k = 0; pos != NULL && k < pos->u.array.len; k++) {
			x = pos->u.array.values[k];
			if (!YAJL_IS_STRING(x) || (p =
			    pd_pos_lookup(YAJL_GET_STRING(x))) == PD_POS_NONE)
				return (pd_error_set(err, PD_E_INVALID_ROSTER,
				    "positions", "Card %zu: bad position", i));
			r->cards[i].positions |= 1u << p;
		}
		if (r->cards[i].is_pitcher)
			r->cards[i].positions |= 1u << PD_POS_P;
	}
	r->ncards = (int)cards->u.array.len;
	return (PD_OK);
}

int
pd_json_parse_def(yajl_val v, struct pd_def_input *in, struct pd_error *err)
{
	int		present;

	memset(in, 0, sizeof(*in));
	if (!YAJL_IS_OBJECT(v))
		return (pd_error_set(err, PD_E_INVALID_PAYLOAD, NULL,
		    "Payload must be an object"));
	in->alignment = in_str(v, "alignment", &present);
	in->infield_depth = in_str(v, "infield_depth", &present);
	in->outfield_depth = in_str(v, "outfield_depth", &present);
	if (in_bases(v, "hold_runners", in->hold_runners, &in->nhold,
	    (int)(sizeof(in->hold_runners) / sizeof(int))) == PD_ERR)
		return (pd_error_set(err, PD_E_INVALID_DECISION,
		    "hold_runners", "hold_runners must be a list of bases"));
	return (PD_OK);
}

int
pd_json_parse_off(yajl_val v, struct pd_off_input *in, struct pd_error *err)
{
	int		present;

	memset(in, 0, sizeof(*in));
	if (!YAJL_IS_OBJECT(v))
		return (pd_error_set(err, PD_E_INVALID_PAYLOAD, NULL,
		    "Payload must be an object"));
	in->approach = in_str(v, "approach", &present);
	if (in_bases(v, "steal_attempts", in->steal_attempts, &in->nsteal,
	    (int)(sizeof(in->steal_attempts) / sizeof(int))) == PD_ERR)
		return (pd_error_set(err, PD_E_INVALID_DECISION,
		    "steal_attempts", "steal_attempts must be a list of bases"));
	if (in_bool(v, "hit_and_run", &in->hit_and_run) == PD_ERR)
		return (pd_error_set(err, PD_E_INVALID_DECISION, "hit_and_run",
		    "hit_and_run must be a boolean"));
	if (in_bool(v, "bunt_attempt", &in->bunt_attempt) == PD_ERR)
		return (pd_error_set(err, PD_E_INVALID_DECISION, "bunt_attempt",
		    "bunt_attempt must be a boolean"));
	return (PD_OK);
}

int
pd_json_parse_outcome(yajl_val v, struct pd_outcome_input *in,
    struct pd_error *err)
{
	long long	n;
	int		present;

	memset(in, 0, sizeof(*in));
	if (!YAJL_IS_OBJECT(v))
		return (pd_error_set(err, PD_E_INVALID_PAYLOAD, NULL,
		    "Payload must be an object"));
	in->outcome = in_str(v, "outcome", &present);
	in->hit_location = in_str(v, "hit_location", &present);
	in->lead_runner = in_str(v, "lead_runner", &present);
	if (in_int(v, "runner_base", &n, &present) == PD_ERR)
		in->runner_base = -1;
	else if (present)
		in->runner_base = (n < 1 || n > 3) ? -1 : (int)n;
	return (PD_OK);
}

int
pd_json_parse_sub(yajl_val v, struct pd_sub_input *in, struct pd_error *err)
{
	long long	n;
	int		present;

	memset(in, 0, sizeof(*in));
	if (!YAJL_IS_OBJECT(v))
		return (pd_error_set(err, PD_E_INVALID_PAYLOAD, NULL,
		    "Payload must be an object"));
	if (in_int(v, "player_out_lineup_id", &n, &present) == PD_ERR ||
	    !present || n < 0 || n > 1000000)
		return (pd_error_set(err, PD_E_MISSING_FIELD,
		    "player_out_lineup_id", "Missing player_out_lineup_id"));
	in->player_out_lineup_id = (int)n;
	if (in_int(v, "player_in_card_id", &n, &present) == PD_ERR ||
	    !present)
		return (pd_error_set(err, PD_E_MISSING_FIELD,
		    "player_in_card_id", "Missing player_in_card_id"));
	in->player_in_card_id = n;
	if (in_int(v, "team_id", &n, &present) == PD_ERR || !present)
		return (pd_error_set(err, PD_E_MISSING_FIELD, "team_id",
		    "Missing team_id"));
	in->team_id = n;
	in->new_position = in_str(v, "new_position", &present);
	return (PD_OK);
}

/* NULL when absent or null; invalid_value when not a string. */
static const char *
in_str(yajl_val obj, const char *key, int *present)
{
	yajl_val	v;

	v = json_get(obj, key);
	*present = v != NULL && !YAJL_IS_NULL(v);
	if (!*present)
		return (NULL);
	if (!YAJL_IS_STRING(v))
		return (invalid_value);
	return (YAJL_GET_STRING(v));
}

static int
in_bases(yajl_val obj, const char *key, int *out, int *n, int max)
{
	yajl_val	v, x;
	size_t		i;

	*n = 0;
	v = json_get(obj, key);
	if (v == NULL || YAJL_IS_NULL(v))
		return (PD_OK);
	if (!YAJL_IS_ARRAY(v) || v->u.array.len > (size_t)max)
		return (PD_ERR);
	for (i = 0; i < v->u.array.len; i++) {
		x = v->u.array.values[i];
		if (!YAJL_IS_INTEGER(x) || YAJL_GET_INTEGER(x) < -100 ||
		    YAJL_GET_INTEGER(x) > 100)
			return (PD_ERR);
		out[(*n)++] = (int)YAJL_GET_INTEGER(x);
	}
	return (PD_OK);
}

static int
in_bool(yajl_val obj, const char *key, int *out)
{
	yajl_val	v;

	*out = 0;
	v = json_get(obj, key);
	if (v == NULL || YAJL_IS_NULL(v))
		return (PD_OK);
	if (YAJL_IS_TRUE(v))
		*out = 1;
	else if (!YAJL_IS_FALSE(v))
		return (PD_ERR);
	return (PD_OK);
}

static int
in_int(yajl_val obj, const char *key, long long *out, int *present)
{
	yajl_val	v;

	v = json_get(obj, key);
	*present = v != NULL && !YAJL_IS_NULL(v);
	if (!*present)
		return (PD_OK);
	if (!YAJL_IS_INTEGER(v))
		return (PD_ERR);
	*out = YAJL_GET_INTEGER(v);
	return (PD_OK);
}
