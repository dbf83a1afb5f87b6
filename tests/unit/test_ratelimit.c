/*
 * Token buckets (src/service/ratelimit.c): the contract's floor of 20
 * events a second with 5 roll_dice, refusals with a retry time, the
 * abuse verdict, configuration strings.
 */
#include <criterion/criterion.h>

#include "service/ratelimit.h"

Test(ratelimit, contract_floor_is_never_refused)
{
	struct pd_rl	rl;
	uint64_t	t, retry;
	int		i, j;

	/* Ten seconds at 20 events a second, 5 of them rolls. */
	pd_rl_init(&rl, 0);
	for (t = 0, i = 0; i < 10; i++) {
		for (j = 0; j < 20; j++, t += 50) {
			cr_assert_eq(pd_rl_take(&rl, j % 4 == 0 ? PD_RL_ROLL :
			    PD_RL_ACTION, t, &retry), PD_RL_PASS,
			    "refused at t=%llu", (unsigned long long)t);
		}
	}
}

Test(ratelimit, burst_then_refused_with_retry_after)
{
	struct pd_rl	rl;
	uint64_t	retry;
	int		i;

	pd_rl_init(&rl, 1000);
	for (i = 0; i < 10; i++)
		cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 1000, &retry),
		    PD_RL_PASS);
	cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 1000, &retry),
	    PD_RL_LIMITED);
	cr_assert(retry > 0 && retry <= 201, "retry %llu",
	    (unsigned long long)retry);
	/* Other classes are not affected. */
	cr_assert_eq(pd_rl_take(&rl, PD_RL_READ, 1000, &retry), PD_RL_PASS);
	/* A token comes back after retry_after. */
	cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 1000 + 201, &retry),
	    PD_RL_PASS);
}

Test(ratelimit, sustained_abuse_is_reported)
{
	struct pd_rl		rl;
	enum pd_rl_verdict	v;
	uint64_t		retry;
	int			i;

	pd_rl_init(&rl, 0);
	v = PD_RL_PASS;
	for (i = 0; i < 200 && v != PD_RL_ABUSE; i++)
		v = pd_rl_take(&rl, PD_RL_ROLL, 0, &retry);
	cr_assert_eq(v, PD_RL_ABUSE);
	cr_assert(i > 10 + 50, "abuse after %d events", i);
}

Test(ratelimit, classes)
{
	cr_assert_eq(pd_rl_class_of("roll_dice"), PD_RL_ROLL);
	cr_assert_eq(pd_rl_class_of("submit_manual_outcome"), PD_RL_ACTION);
	cr_assert_eq(pd_rl_class_of("request_pitching_change"), PD_RL_ACTION);
	cr_assert_eq(pd_rl_class_of("request_game_state"), PD_RL_READ);
	cr_assert_eq(pd_rl_class_of("get_lineup"), PD_RL_READ);
	cr_assert_eq(pd_rl_class_of("join_game"), PD_RL_READ);
	cr_assert_eq(pd_rl_class_of("heartbeat"), PD_RL_OTHER);
	cr_assert_eq(pd_rl_class_of("whatever"), PD_RL_OTHER);
}

Test(ratelimit, configuration)
{
	struct pd_rl	rl;
	uint64_t	retry;
	char		err[160];

	cr_assert_eq(pd_rl_configure("roll=1/2", err, sizeof(err)), 0);
	pd_rl_init(&rl, 0);
	cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 0, &retry), PD_RL_PASS);
	cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 0, &retry), PD_RL_PASS);
	cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 0, &retry), PD_RL_LIMITED);
	cr_assert_eq(pd_rl_configure("roll=fast", err, sizeof(err)), -1);
	cr_assert_eq(pd_rl_configure("nope=1/1", err, sizeof(err)), -1);
	cr_assert_eq(pd_rl_configure("roll=0/1", err, sizeof(err)), -1);
	cr_assert_eq(pd_rl_configure("off", err, sizeof(err)), 0);
	cr_assert_eq(pd_rl_enabled(), 0);
	cr_assert_eq(pd_rl_take(&rl, PD_RL_ROLL, 0, &retry), PD_RL_PASS);
}
