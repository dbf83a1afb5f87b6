/*
 * deadline: many timeouts on one Kore timer.
 *
 * Each list holds deadlines of one kind (ping due, pong due, connect
 * timeout...).  Deadlines of a kind are pushed in time order, so a push is
 * O(1) at the tail and only the list heads are ever examined.  One
 * one-shot Kore timer is armed for the earliest head of all lists.
 */
#ifndef PD_TRANSPORT_DEADLINE_H
#define PD_TRANSPORT_DEADLINE_H

#include <sys/queue.h>
#include <stdint.h>

struct pd_deadline;

struct pd_deadline_list {
	TAILQ_HEAD(pd_deadline_tq, pd_deadline)	head;
	void				(*fire)(struct pd_deadline *);
	TAILQ_ENTRY(pd_deadline_list)	link;
};

struct pd_deadline {
	uint64_t			at;
	struct pd_deadline_list		*list;	/* NULL: not queued */
	TAILQ_ENTRY(pd_deadline)	link;
};

void	pd_deadline_list_init(struct pd_deadline_list *,
	    void (*)(struct pd_deadline *));
/* (Re)schedules `d` at `at` milliseconds (kore_time_ms() clock). */
void	pd_deadline_set(struct pd_deadline_list *, struct pd_deadline *,
	    uint64_t at);
void	pd_deadline_cancel(struct pd_deadline *);

#endif
