/*
 * metrics: the server's counters and their Prometheus text (GET /metrics).
 *
 * Counters live in one shared memory segment mapped when the module is
 * loaded in Kore's parent, before it forks the workers; every worker
 * writes only its own slot (indexed by its worker id, no locks) and
 * /metrics sums all slots, so any worker reports the whole server.  A
 * restarted worker inherits its slot, so totals survive worker crashes.
 *
 * All calls are cheap and safe from any worker at any time.
 */
#ifndef PD_APP_METRICS_H
#define PD_APP_METRICS_H

#include <stdint.h>

#include "util/buf.h"

/* Names longer than this are truncated; past the table size, "other". */
#define PD_METRICS_NAME_MAX	48
#define PD_METRICS_EVENTS	128
#define PD_METRICS_ERRORS	64

void	pd_metrics_init(void);

/* Gauges: +1 when a socket connects / a room opens, -1 when it ends. */
void	pd_metrics_connection(int delta);
void	pd_metrics_room(int delta);
/* Counters: an event by name ("roll_dice"), an error by code. */
void	pd_metrics_event(const char *name);
void	pd_metrics_error(const char *code);
/* A REST response by status; a database query's latency and outcome. */
void	pd_metrics_http(int status);
void	pd_metrics_db(uint64_t elapsed_us, int ok);

/* Appends the Prometheus text exposition of the whole server. */
int	pd_metrics_render(struct pd_buf *);

#endif
