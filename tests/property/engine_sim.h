/*
 * Random games for the property test, the bench and unit tests: rosters,
 * a random player that uses every outcome, decision and substitution,
 * and the invariants a finished game must satisfy.
 */
#ifndef PD_ENGINE_SIM_H
#define PD_ENGINE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

struct sim_stats {
	long	games;
	long	plays;
	long	pas;
	long	subs;
	long	decisions;
	long	refusals;	/* invalid requests checked to change nothing */
	int	max_outs_seen;
};

void	sim_roster(struct pd_roster *, int64_t, int64_t);
int	sim_create(struct pd_game *, const char *);
int	sim_game(struct pd_game *, uint64_t, int, struct sim_stats *, char *,
	    size_t);
int	sim_check(const struct pd_game *, char *, size_t);

/* For unit tests: set up a base state, roll, play one outcome. */
#define SIM_NOW		1700000000000LL
void	sim_place(struct pd_game *, int, int);
int	sim_roll(struct pd_game *, int64_t);
int	sim_play(struct pd_game *, const char *, const char *, const char *,
	    int, struct pd_play_result *, struct pd_error *);

/* For tests reading fixtures. */
char	*sim_slurp(const char *);

#endif
