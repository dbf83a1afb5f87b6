/*
 * ratelimit: token buckets, see ratelimit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/ratelimit.h"

/* Refusals in ABUSE_WINDOW_MS before a socket is dropped. */
#define ABUSE_REFUSALS		50
#define ABUSE_WINDOW_MS		10000

static const char *class_names[PD_RL_NCLASS] = {
	"roll", "action", "read", "other", "all"
};

static struct pd_rl_rule rules[PD_RL_NCLASS] = {
	{ 5.0, 10.0 },		/* roll */
	{ 20.0, 40.0 },		/* action */
	{ 20.0, 40.0 },		/* read */
	{ 20.0, 40.0 },		/* other */
	{ 40.0, 80.0 }		/* all */
};

static int	enabled = 1;

int
pd_rl_enabled(void)
{
	return (enabled);
}

int
pd_rl_configure(const char *spec, char *err, size_t errlen)
{
	char		*copy, *item, *save, *eq, *slash, *end;
	double		 rate, burst;
	int		 i;

	if (spec == NULL || *spec == '\0' || strcmp(spec, "on") == 0)
		return (0);
	if (strcmp(spec, "off") == 0) {
		enabled = 0;
		return (0);
	}
	if ((copy = strdup(spec)) == NULL)
		return (-1);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(item, '=')) == NULL ||
		    (slash = strchr(eq, '/')) == NULL)
			goto bad;
		*eq = '\0';
		rate = strtod(eq + 1, &end);
		if (end != slash || rate <= 0)
			goto bad;
		burst = strtod(slash + 1, &end);
		if (*end != '\0' || burst < 1)
			goto bad;
		for (i = 0; i < PD_RL_NCLASS; i++) {
			if (strcmp(item, class_names[i]) == 0)
				break;
		}
		if (i == PD_RL_NCLASS)
			goto bad;
		rules[i].rate = rate;
		rules[i].burst = burst;
	}
	free(copy);
	return (0);
bad:
	(void)snprintf(err, errlen, "RATE_LIMITS: expected off or "
	    "class=rate/burst,... with class roll, action, read, other, all");
	free(copy);
	return (-1);
}

void
pd_rl_init(struct pd_rl *rl, uint64_t now)
{
	int	i;

	for (i = 0; i < PD_RL_NCLASS; i++) {
		rl->tokens[i] = rules[i].burst;
		rl->last_ms[i] = now;
	}
	rl->refusals = 0;
	rl->window_ms = now;
}

enum pd_rl_class
pd_rl_class_of(const char *event)
{
	if (strcmp(event, "roll_dice") == 0)
		return (PD_RL_ROLL);
	if (strncmp(event, "submit_", 7) == 0 ||
	    (strncmp(event, "request_", 8) == 0 &&
	    strcmp(event, "request_game_state") != 0))
		return (PD_RL_ACTION);
	if (strncmp(event, "get_", 4) == 0 ||
	    strcmp(event, "request_game_state") == 0 ||
	    strcmp(event, "join_game") == 0 ||
	    strcmp(event, "leave_game") == 0)
		return (PD_RL_READ);
	return (PD_RL_OTHER);
}

static void
refill(struct pd_rl *rl, int c, uint64_t now)
{
	double	add;

	if (now > rl->last_ms[c]) {
		add = (double)(now - rl->last_ms[c]) * rules[c].rate / 1000.0;
		rl->tokens[c] += add;
		if (rl->tokens[c] > rules[c].burst)
			rl->tokens[c] = rules[c].burst;
		rl->last_ms[c] = now;
	}
}

static uint64_t
wait_ms(const struct pd_rl *rl, int c)
{
	return ((uint64_t)((1.0 - rl->tokens[c]) * 1000.0 / rules[c].rate) +
	    1);
}

enum pd_rl_verdict
pd_rl_take(struct pd_rl *rl, enum pd_rl_class c, uint64_t now,
    uint64_t *retry_after)
{
	uint64_t	a, b;

	*retry_after = 0;
	if (!enabled)
		return (PD_RL_PASS);
	refill(rl, c, now);
	refill(rl, PD_RL_ALL, now);
	if (rl->tokens[c] >= 1.0 && rl->tokens[PD_RL_ALL] >= 1.0) {
		rl->tokens[c] -= 1.0;
		rl->tokens[PD_RL_ALL] -= 1.0;
		return (PD_RL_PASS);
	}

	a = rl->tokens[c] < 1.0 ? wait_ms(rl, c) : 0;
	b = rl->tokens[PD_RL_ALL] < 1.0 ? wait_ms(rl, PD_RL_ALL) : 0;
	*retry_after = a > b ? a : b;

	if (now - rl->window_ms > ABUSE_WINDOW_MS) {
		rl->window_ms = now;
		rl->refusals = 0;
	}
	if (++rl->refusals > ABUSE_REFUSALS)
		return (PD_RL_ABUSE);
	return (PD_RL_LIMITED);
}
