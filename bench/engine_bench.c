/*
 * Engine throughput: random games on one core, reported as simulated
 * plate appearances per second.  Prints a figure; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../tests/property/engine_sim.h"

int
main(int argc, char *argv[])
{
	static struct pd_game	 g;
	struct sim_stats	 st = { 0 };
	struct timespec		 t0, t1;
	char			 why[256];
	double			 secs;
	long			 n, i;

	n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if (sim_game(&g, (uint64_t)i * 7919 + 1, 0, &st, why,
		    sizeof(why)) == PD_ERR) {
			fprintf(stderr, "engine bench: game %ld: %s\n", i, why);
			return (1);
		}
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("engine: %ld games, %ld plate appearances, %ld plays in %.2fs: "
	    "%.0f PA/s, %.0f games/s (one core)\n", n, st.pas, st.plays, secs,
	    (double)st.pas / secs, (double)n / secs);
	return (0);
}
