/*
 * demo_game: the demo game for scripts/demo.sh, made by the engine.
 *
 * usage: demo_game GAME_ID AWAY.json HOME.json ADMIN_USER_ID [PLAYS]
 *
 * Reads two rosters ({team_id, roster: [...]}, as docs/replay.md), creates
 * the game, plays PLAYS outcomes from a fixed list with seeded dice, and
 * prints one JSON document for psql: the snapshot, status, seq, the
 * lineup entries, and the rolls, plays and room events (dice_rolled and
 * play_resolved, each with its seq) that the game service would have
 * written.  Built by demo.sh against the engine objects of `make`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "engine/engine.h"

static const char	*outcomes[][2] = {
	{ "single_1", NULL }, { "strikeout", NULL }, { "walk", NULL },
	{ "flyball_b", "CF" }, { "double_2", NULL }, { "groundball_a", "SS" },
	{ "homerun", NULL }, { "lineout", "2B" }, { "single_2", NULL },
	{ "strikeout", NULL }, { "triple", NULL }, { "popout", "3B" },
};

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	(void)fseek(f, 0, SEEK_END);
	n = ftell(f);
	(void)fseek(f, 0, SEEK_SET);
	if (n < 0 || (buf = malloc((size_t)n + 1)) == NULL) {
		(void)fclose(f);
		return (NULL);
	}
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	(void)fclose(f);
	return (buf);
}

static int
roster(const char *path, struct pd_roster *r, struct pd_error *err)
{
	yajl_val	 v;
	char		*text, ebuf[128];
	size_t		 len;
	int		 rc;

	if ((text = slurp(path, &len)) == NULL)
		return (PD_ERR);
	v = yajl_tree_parse(text, ebuf, sizeof(ebuf));
	free(text);
	if (v == NULL)
		return (PD_ERR);
	rc = pd_json_parse_roster(v, r, err);
	/* The roster's strings were copied into r. */
	yajl_tree_free(v);
	return (rc);
}

static void
out_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

int
main(int argc, char **argv)
{
	static struct pd_game		g;
	static struct pd_roster		away, home;
	struct pd_rng_seeded		seeded;
	struct pd_rng			rng;
	struct pd_error			err;
	struct pd_roll			roll;
	struct pd_play_result		res;
	struct pd_outcome_input		in;
	const struct pd_team		*t;
	char				*s;
	size_t				 len;
	int				 i, n, side, first, nplays;
	int64_t				 now = 1761914096000LL;

	if (argc < 5) {
		fprintf(stderr, "usage: %s GAME_ID AWAY.json HOME.json ADMIN "
		    "[PLAYS]\n", argv[0]);
		return (2);
	}
	nplays = argc > 5 ? atoi(argv[5]) : 8;
	if (nplays < 0 || nplays > (int)(sizeof(outcomes) /
	    sizeof(outcomes[0])))
		nplays = 8;
	memset(&err, 0, sizeof(err));
	if (roster(argv[2], &away, &err) == PD_ERR ||
	    roster(argv[3], &home, &err) == PD_ERR ||
	    pd_game_create(&g, argv[1], &away, &home, &err) == PD_ERR) {
		fprintf(stderr, "demo_game: %s\n", err.message);
		return (1);
	}
	if (sodium_init() < 0)
		return (1);
	pd_rng_seeded_init(&seeded, &rng, 20240501);

	printf("{\"rolls\":[");
	/* Rolls, plays and events are collected in three passes' worth of
	 * output by replaying into buffers: simplest is to print arrays as
	 * we go into separate temporary strings. */
	{
		struct { char *roll, *play, *ev1, *ev2; int side; } rec[32];
		size_t	rl;

		for (i = 0; i < nplays; i++) {
			now += 20000;
			if (pd_game_roll(&g, &rng, now, &roll, &err) == PD_ERR)
				break;
			g.seq++;
			{
				yajl_gen	y = yajl_gen_alloc(NULL);

				pd_json_roll(y, &roll);
				pd_json_gen_done(y, &rec[i].roll, &rl);
				yajl_gen_free(y);
			}
			if (asprintf(&rec[i].ev1, "{\"seq\":%lld,\"event\":"
			    "\"dice_rolled\",\"data\":%.*s,\"game_id\":\"%s\","
			    "\"seq\":%lld}}", (long long)g.seq,
			    (int)strlen(rec[i].roll) - 1, rec[i].roll,
			    argv[1], (long long)g.seq) == -1)
				return (1);
			memset(&in, 0, sizeof(in));
			in.outcome = outcomes[i][0];
			in.hit_location = outcomes[i][1];
			now += 10000;
			if (pd_game_outcome(&g, &in, now, &res, &err) == PD_ERR) {
				fprintf(stderr, "demo_game: %s\n", err.message);
				return (1);
			}
			g.seq++;
			rec[i].side = res.side;
			rec[i].play = pd_json_play_str(&res, &rl);
			s = pd_json_state_str(&g, &len);
			if (rec[i].play == NULL || s == NULL ||
			    asprintf(&rec[i].ev2, "{\"seq\":%lld,\"event\":"
			    "\"play_resolved\",\"data\":%.*s,\"state\":%s,"
			    "\"seq\":%lld}}", (long long)g.seq,
			    (int)strlen(rec[i].play) - 1, rec[i].play, s,
			    (long long)g.seq) == -1)
				return (1);
			free(s);
		}
		n = i;
		for (i = 0; i < n; i++)
			printf("%s%s", i ? "," : "", rec[i].roll);
		printf("],\"plays\":[");
		for (i = 0; i < n; i++)
			printf("%s{\"side\":%d,\"result\":%s}", i ? "," : "",
			    rec[i].side, rec[i].play);
		printf("],\"events\":[");
		for (i = 0; i < n; i++)
			printf("%s%s,%s", i ? "," : "", rec[i].ev1, rec[i].ev2);
		printf("]");
	}
	printf(",\"lineup\":[");
	first = 1;
	for (side = 0; side < 2; side++) {
		static const char	*st[] = { "bench", "active", "removed" };
		const char		*pos;

		t = &g.team[side];
		for (i = 0; i < t->roster.ncards; i++) {
			pos = pd_pos_name(t->lu[i].position);
			printf("%s{\"lineup_id\":%d,\"team_id\":%lld,"
			    "\"card_id\":%lld,\"position\":", first ? "" : ",",
			    t->lu[i].lineup_id, (long long)t->roster.team_id,
			    (long long)t->roster.cards[i].card_id);
			if (pos != NULL)
				out_str(pos);
			else
				printf("null");
			if (t->lu[i].batting_order > 0)
				printf(",\"batting_order\":%d",
				    t->lu[i].batting_order);
			else
				printf(",\"batting_order\":null");
			printf(",\"is_starter\":%s,\"status\":\"%s\"}",
			    t->lu[i].is_starter ? "true" : "false",
			    st[t->lu[i].status]);
			first = 0;
		}
	}
	if ((s = pd_snapshot_str(&g, &len)) == NULL)
		return (1);
	printf("],\"seq\":%lld,\"status\":\"%s\",\"admin\":", (long long)g.seq,
	    pd_status_name(g.status));
	out_str(argv[4]);
	printf(",\"snapshot\":");
	out_str(s);
	printf("}\n");
	free(s);
	return (0);
}
