/*
 * Property test: many random games from random seeds, each checked
 * against every invariant (sim_check, and the per-play checks in
 * sim_game); a sample is replayed from its seed to prove the same seed
 * gives the same game, and snapshotted to prove the round trip.
 *
 * PD_PROPERTY_GAMES (compile time, or environment) sets the count;
 * PD_PROPERTY_SEED (environment) fixes the base seed to reproduce a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "engine_sim.h"

#ifndef PD_PROPERTY_GAMES
#define PD_PROPERTY_GAMES	100000
#endif

static uint64_t	splitmix(uint64_t);

static struct pd_game	g1, g2, g3;

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

Test(engine_property, random_games, .timeout = 900)
{
	struct sim_stats	 st;
	struct pd_error		 err;
	struct timespec		 t0, t1;
	const char		*env;
	char			 why[256], *a, *b, *c;
	uint64_t		 base, seed;
	long			 n, i;
	double			 secs;

	n = PD_PROPERTY_GAMES;
	if ((env = getenv("PD_PROPERTY_GAMES")) != NULL)
		n = strtol(env, NULL, 10);
	if ((env = getenv("PD_PROPERTY_SEED")) != NULL)
		base = strtoull(env, NULL, 0);
	else {
		cr_assert(sodium_init() >= 0);
		randombytes_buf(&base, sizeof(base));
	}
	memset(&st, 0, sizeof(st));
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);

	for (i = 0; i < n; i++) {
		seed = splitmix(base + (uint64_t)i);
		cr_assert(sim_game(&g1, seed, i % 10 == 0, &st, why,
		    sizeof(why)) == PD_OK,
		    "game %ld (PD_PROPERTY_SEED=%llu): %s", i,
		    (unsigned long long)base, why);
		if (i % 200 != 0)
			continue;
		/* Same seed, same game; and the snapshot round trip. */
		cr_assert(sim_game(&g2, seed, i % 10 == 0, &st, why,
		    sizeof(why)) == PD_OK, "replay: %s", why);
		a = pd_snapshot_str(&g1, NULL);
		b = pd_snapshot_str(&g2, NULL);
		cr_assert(a != NULL && b != NULL);
		cr_assert_str_eq(a, b, "seed %llu: replay differs",
		    (unsigned long long)seed);
		cr_assert(pd_snapshot_read(&g3, a, &err) == PD_OK, "%s",
		    err.message);
		c = pd_snapshot_str(&g3, NULL);
		cr_assert(c != NULL);
		cr_assert_str_eq(a, c, "snapshot round trip differs");
		free(a);
		free(b);
		free(c);
	}

	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert(st.max_outs_seen <= 3);
	fprintf(stderr, "engine property: %ld games (+%ld replays), %ld plays, "
	    "%ld PAs, %ld subs, %ld decisions, base seed %llu, %.2fs\n",
	    n, st.games - n, st.plays, st.pas, st.subs, st.decisions,
	    (unsigned long long)base, secs);
}
