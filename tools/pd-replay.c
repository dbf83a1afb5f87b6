/*
 * pd-replay: plays a game from a set-up and a list of actions with the
 * engine the server uses, printing one JSON line per action and then the
 * final state, lineups and box score.  Formats: docs/replay.md.
 *
 *	pd-replay [-r rules.txt] setup.json actions.jsonl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "util/jsonutil.h"

#define JW(x)	do { if ((x) != yajl_gen_status_ok) return (PD_ERR); } while (0)

static char	*slurp(const char *);
static int	 replay_setup(struct pd_game *, const char *, int64_t *);
static int	 replay_action(struct pd_game *, yajl_val, long, int64_t *,
		    struct pd_rng *, struct pd_rng_seeded *);
static int	 replay_roll(struct pd_game *, yajl_val, int64_t,
		    struct pd_rng *, struct pd_rng_seeded *, struct pd_roll *,
		    struct pd_error *);
static int	 replay_final(const struct pd_game *);
static int	 gen_key(yajl_gen, const char *);
static void	 emit(yajl_gen);
static void	 usage(void);

static struct pd_game	game;

int
main(int argc, char *argv[])
{
	struct pd_rng_seeded	 seeded;
	struct pd_rng		 rng;
	struct pd_error		 err;
	yajl_val		 v;
	FILE			*fp;
	char			*line, ebuf[256];
	size_t			 cap;
	ssize_t			 n;
	int64_t			 now;
	long			 idx;
	int			 ch;

	while ((ch = getopt(argc, argv, "r:")) != -1) {
		switch (ch) {
		case 'r':
			if (pd_rules_load_file(optarg, &err) == PD_ERR) {
				fprintf(stderr, "pd-replay: %s\n", err.message);
				return (1);
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage();

	if (replay_setup(&game, argv[0], &now) == PD_ERR)
		return (1);
	pd_rng_seeded_init(&seeded, &rng, 0);
	if ((fp = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "pd-replay: cannot open %s\n", argv[1]);
		return (1);
	}
	line = NULL;
	cap = 0;
	idx = 0;
	while ((n = getline(&line, &cap, fp)) != -1) {
		if (n <= 1 || line[0] == '#')
			continue;
		if ((v = yajl_tree_parse(line, ebuf, sizeof(ebuf))) == NULL) {
			fprintf(stderr, "pd-replay: action %ld: %s\n", idx,
			    ebuf);
			free(line);
			(void)fclose(fp);
			return (1);
		}
		if (replay_action(&game, v, idx, &now, &rng, &seeded) ==
		    PD_ERR) {
			yajl_tree_free(v);
			free(line);
			(void)fclose(fp);
			return (1);
		}
		yajl_tree_free(v);
		idx++;
	}
	free(line);
	(void)fclose(fp);
	return (replay_final(&game) == PD_OK ? 0 : 1);
}

static void
usage(void)
{
	fprintf(stderr, "usage: pd-replay [-r rules.txt] setup.json "
	    "actions.jsonl\n");
	exit(1);
}

static char *
slurp(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 sz;
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	if (fseek(fp, 0, SEEK_END) == -1 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1 || (buf = malloc((size_t)sz + 1)) ==
	    NULL) {
		(void)fclose(fp);
		return (NULL);
	}
	n = fread(buf, 1, (size_t)sz, fp);
	buf[n] = '\0';
	(void)fclose(fp);
	return (buf);
}

static int
replay_setup(struct pd_game *g, const char *path, int64_t *now)
{
	static struct pd_roster	 away, home;
	struct pd_error		 err;
	yajl_val		 root, v;
	char			*text, ebuf[256];
	int			 rc;

	if ((text = slurp(path)) == NULL) {
		fprintf(stderr, "pd-replay: cannot read %s\n", path);
		return (PD_ERR);
	}
	root = yajl_tree_parse(text, ebuf, sizeof(ebuf));
	free(text);
	if (root == NULL) {
		fprintf(stderr, "pd-replay: %s: %s\n", path, ebuf);
		return (PD_ERR);
	}
	rc = PD_ERR;
	*now = 1700000000000LL;
	if ((v = json_get(root, "start_ms")) != NULL && YAJL_IS_INTEGER(v))
		*now = YAJL_GET_INTEGER(v);
	v = json_get(root, "game_id");
	if (pd_json_parse_roster(json_get(root, "away"), &away, &err) ==
	    PD_OK && pd_json_parse_roster(json_get(root, "home"), &home,
	    &err) == PD_OK && pd_game_create(g, YAJL_IS_STRING(v) ?
	    YAJL_GET_STRING(v) : "", &away, &home, &err) == PD_OK)
		rc = PD_OK;
	else
		fprintf(stderr, "pd-replay: %s: %s %s\n", path, err.code,
		    err.message);
	yajl_tree_free(root);
	return (rc);
}

static int
replay_action(struct pd_game *g, yajl_val a, long idx, int64_t *now,
    struct pd_rng *rng, struct pd_rng_seeded *seeded)
{
	struct pd_outcome_input	 oin;
	struct pd_def_input	 din;
	struct pd_off_input	 offin;
	struct pd_sub_input	 sin;
	struct pd_play_result	 play;
	struct pd_sub_result	 sub;
	struct pd_roll		 roll;
	struct pd_error		 err;
	yajl_gen		 gen;
	yajl_val		 v;
	const char		*what;
	int			 rc, kind;

	v = json_get(a, "now_ms");
	*now = (v != NULL && YAJL_IS_INTEGER(v)) ? YAJL_GET_INTEGER(v) :
	    *now + 1000;
	v = json_get(a, "action");
	what = YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "";
	pd_error_clear(&err);

	kind = -1;
	if (strcmp(what, "roll") == 0) {
		kind = 0;
		rc = replay_roll(g, a, *now, rng, seeded, &roll, &err);
	} else if (strcmp(what, "defense") == 0) {
		kind = 1;
		rc = pd_json_parse_def(a, &din, &err);
		if (rc == PD_OK)
			rc = pd_game_defense(g, &din, &err);
	} else if (strcmp(what, "offense") == 0) {
		kind = 1;
		rc = pd_json_parse_off(a, &offin, &err);
		if (rc == PD_OK)
			rc = pd_game_offense(g, &offin, &err);
	} else if (strcmp(what, "outcome") == 0) {
		kind = 2;
		rc = pd_json_parse_outcome(a, &oin, &err);
		if (rc == PD_OK)
			rc = pd_game_outcome(g, &oin, *now, &play, &err);
	} else if (strcmp(what, "pinch_hitter") == 0 ||
	    strcmp(what, "defensive_replacement") == 0 ||
	    strcmp(what, "pitching_change") == 0) {
		kind = 3;
		rc = pd_json_parse_sub(a, &sin, &err);
		if (rc == PD_OK && what[1] == 'i' && what[2] == 'n')
			rc = pd_game_pinch_hitter(g, &sin, *now, &sub, &err);
		else if (rc == PD_OK && what[0] == 'd')
			rc = pd_game_defensive_replacement(g, &sin, *now, &sub,
			    &err);
		else if (rc == PD_OK)
			rc = pd_game_pitching_change(g, &sin, *now, &sub, &err);
	} else {
		rc = pd_error_set(&err, "UNKNOWN_EVENT", "action",
		    "Unknown action");
	}

	if ((gen = yajl_gen_alloc(NULL)) == NULL)
		return (PD_ERR);
	rc = (yajl_gen_map_open(gen) == yajl_gen_status_ok &&
	    gen_key(gen, "index") == yajl_gen_status_ok &&
	    yajl_gen_integer(gen, idx) == yajl_gen_status_ok &&
	    gen_key(gen, "action") == yajl_gen_status_ok &&
	    gen_key(gen, what) == yajl_gen_status_ok &&
	    gen_key(gen, "ok") == yajl_gen_status_ok &&
	    yajl_gen_bool(gen, rc == PD_OK) == yajl_gen_status_ok &&
	    gen_key(gen, rc == PD_OK ? "result" : "error") ==
	    yajl_gen_status_ok) ? rc : -2;
	if (rc == PD_ERR)
		rc = pd_json_error(gen, &err);
	else if (rc == PD_OK && kind == 0)
		rc = pd_json_roll(gen, &roll);
	else if (rc == PD_OK && kind == 1)
		rc = pd_json_decisions(gen, g);
	else if (rc == PD_OK && kind == 2)
		rc = pd_json_play(gen, &play);
	else if (rc == PD_OK && kind == 3)
		rc = pd_json_sub(gen, &sub);
	if (rc == PD_OK && gen_key(gen, "state") == yajl_gen_status_ok)
		rc = pd_json_state(gen, g);
	else
		rc = PD_ERR;
	if (rc == PD_OK && yajl_gen_map_close(gen) == yajl_gen_status_ok)
		emit(gen);
	else
		rc = PD_ERR;
	yajl_gen_free(gen);
	return (rc);
}

static int
replay_roll(struct pd_game *g, yajl_val a, int64_t now, struct pd_rng *rng,
    struct pd_rng_seeded *seeded, struct pd_roll *roll, struct pd_error *err)
{
	yajl_val	 vals, v, red;
	long long	 d[4];
	const char	*keys[] = { "d6_one", "chaos_d20", "resolution_d20" };
	const char	*id;
	size_t		 i;

	if ((v = json_get(a, "seed")) != NULL && YAJL_IS_INTEGER(v))
		pd_rng_seeded_init(seeded, rng, (uint64_t)YAJL_GET_INTEGER(v));
	if ((vals = json_get(a, "values")) == NULL)
		return (pd_game_roll(g, rng, now, roll, err));
	for (i = 0; i < 3; i++) {
		v = json_get(vals, keys[i]);
		if (!YAJL_IS_INTEGER(v))
			return (pd_error_set(err, PD_E_MISSING_FIELD, keys[i],
			    "Missing %s", keys[i]));
		d[i] = YAJL_GET_INTEGER(v);
	}
	red = json_get(vals, "d6_two");
	if (!YAJL_IS_ARRAY(red) || red->u.array.len != 2 ||
	    !YAJL_IS_INTEGER(red->u.array.values[0]) ||
	    !YAJL_IS_INTEGER(red->u.array.values[1]))
		return (pd_error_set(err, PD_E_MISSING_FIELD, "d6_two",
		    "d6_two must be the two red dice"));
	v = json_get(vals, "roll_id");
	id = YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "replayed";
	if (pd_dice_from_values(roll, id, (int)d[0],
	    (int)YAJL_GET_INTEGER(red->u.array.values[0]),
	    (int)YAJL_GET_INTEGER(red->u.array.values[1]), (int)d[1],
	    (int)d[2], now, 0, err) == PD_ERR)
		return (PD_ERR);
	if (pd_game_apply_roll(g, roll, now, err) == PD_ERR)
		return (PD_ERR);
	*roll = g->roll;
	return (PD_OK);
}

static int
replay_final(const struct pd_game *g)
{
	yajl_gen	gen;
	int		rc;

	if ((gen = yajl_gen_alloc(NULL)) == NULL)
		return (PD_ERR);
	rc = (yajl_gen_map_open(gen) == yajl_gen_status_ok &&
	    gen_key(gen, "final") == yajl_gen_status_ok &&
	    yajl_gen_map_open(gen) == yajl_gen_status_ok &&
	    gen_key(gen, "state") == yajl_gen_status_ok &&
	    pd_json_state(gen, g) == PD_OK &&
	    gen_key(gen, "lineups") == yajl_gen_status_ok &&
	    yajl_gen_map_open(gen) == yajl_gen_status_ok &&
	    gen_key(gen, "away") == yajl_gen_status_ok &&
	    pd_json_lineup_players(gen, g, PD_AWAY) == PD_OK &&
	    gen_key(gen, "home") == yajl_gen_status_ok &&
	    pd_json_lineup_players(gen, g, PD_HOME) == PD_OK &&
	    yajl_gen_map_close(gen) == yajl_gen_status_ok &&
	    gen_key(gen, "box_score") == yajl_gen_status_ok &&
	    pd_json_box_score(gen, g) == PD_OK &&
	    yajl_gen_map_close(gen) == yajl_gen_status_ok &&
	    yajl_gen_map_close(gen) == yajl_gen_status_ok) ? PD_OK : PD_ERR;
	if (rc == PD_OK)
		emit(gen);
	yajl_gen_free(gen);
	return (rc);
}

static int
gen_key(yajl_gen g, const char *s)
{
	return (yajl_gen_string(g, (const unsigned char *)s, strlen(s)));
}

static void
emit(yajl_gen g)
{
	const unsigned char	*buf;
	size_t			 len;

	if (yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok)
		return;
	(void)fwrite(buf, 1, len, stdout);
	(void)fputc('\n', stdout);
}
