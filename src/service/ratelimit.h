/*
 * ratelimit: token buckets per connection and event class.
 *
 * Pure arithmetic with the time passed in, so it is unit tested alone.
 * The defaults never refuse a client sending at most 20 events a second
 * of which at most 5 are roll_dice; RATE_LIMITS=off turns them off and
 * RATE_LIMITS="roll=5/10,action=20/40" sets rate/burst per class.
 */
#ifndef PD_SERVICE_RATELIMIT_H
#define PD_SERVICE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

enum pd_rl_class {
	PD_RL_ROLL = 0,		/* roll_dice */
	PD_RL_ACTION,		/* decisions, outcomes, substitutions */
	PD_RL_READ,		/* joins, lineups, box scores, state */
	PD_RL_OTHER,		/* heartbeat, refresh_token, unknown */
	PD_RL_ALL,		/* every event, on top of its class */
	PD_RL_NCLASS
};

enum pd_rl_verdict {
	PD_RL_PASS = 0,
	PD_RL_LIMITED,		/* refuse with RATE_LIMITED */
	PD_RL_ABUSE		/* refused too often: disconnect */
};

struct pd_rl_rule {
	double		rate;		/* tokens per second */
	double		burst;		/* bucket size */
};

struct pd_rl {
	double		tokens[PD_RL_NCLASS];
	uint64_t	last_ms[PD_RL_NCLASS];
	unsigned int	refusals;	/* in the current window */
	uint64_t	window_ms;	/* start of that window */
};

/* Applies a RATE_LIMITS value; -1 with a reason when it is malformed. */
int			pd_rl_configure(const char *, char *, size_t);
int			pd_rl_enabled(void);
void			pd_rl_init(struct pd_rl *, uint64_t now_ms);
enum pd_rl_class	pd_rl_class_of(const char *event);
enum pd_rl_verdict	pd_rl_take(struct pd_rl *, enum pd_rl_class,
			    uint64_t now_ms, uint64_t *retry_after_ms);

#endif
