/*
 * deadline: timeouts on one Kore timer, see deadline.h.
 */
#include <kore/kore.h>

#include "transport/deadline.h"

static void	deadline_arm(void);
static void	deadline_run(void *, u_int64_t);

static TAILQ_HEAD(, pd_deadline_list)	lists = TAILQ_HEAD_INITIALIZER(lists);
static struct kore_timer		*timer;
static uint64_t				 timer_at;

void
pd_deadline_list_init(struct pd_deadline_list *l,
    void (*fire)(struct pd_deadline *))
{
	TAILQ_INIT(&l->head);
	l->fire = fire;
	TAILQ_INSERT_TAIL(&lists, l, link);
}

void
pd_deadline_set(struct pd_deadline_list *l, struct pd_deadline *d,
    uint64_t at)
{
	struct pd_deadline	*t;

	pd_deadline_cancel(d);
	d->at = at;
	d->list = l;

	/* Usually the latest deadline of its kind: walk from the tail. */
	TAILQ_FOREACH_REVERSE(t, &l->head, pd_deadline_tq, link) {
		if (t->at <= at)
			break;
	}
	if (t == NULL)
		TAILQ_INSERT_HEAD(&l->head, d, link);
	else
		TAILQ_INSERT_AFTER(&l->head, t, d, link);

	if (timer == NULL || at < timer_at)
		deadline_arm();
}

void
pd_deadline_cancel(struct pd_deadline *d)
{
	if (d->list == NULL)
		return;
	TAILQ_REMOVE(&d->list->head, d, link);
	d->list = NULL;
}

static void
deadline_arm(void)
{
	struct pd_deadline_list	*l;
	struct pd_deadline	*d;
	uint64_t		 next, now;

	next = UINT64_MAX;
	TAILQ_FOREACH(l, &lists, link) {
		if ((d = TAILQ_FIRST(&l->head)) != NULL && d->at < next)
			next = d->at;
	}

	if (timer != NULL) {
		if (timer_at == next)
			return;
		kore_timer_remove(timer);
		timer = NULL;
	}
	if (next == UINT64_MAX)
		return;

	now = kore_time_ms();
	timer_at = next;
	timer = kore_timer_add(deadline_run, next > now ? next - now : 0, NULL,
	    KORE_TIMER_ONESHOT);
}

static void
deadline_run(void *arg, u_int64_t now)
{
	struct pd_deadline_list	*l;
	struct pd_deadline	*d;

	/* Kore frees a one-shot timer after this callback returns. */
	timer = NULL;

	TAILQ_FOREACH(l, &lists, link) {
		while ((d = TAILQ_FIRST(&l->head)) != NULL && d->at <= now) {
			TAILQ_REMOVE(&l->head, d, link);
			d->list = NULL;
			l->fire(d);
		}
	}

	deadline_arm();
}
