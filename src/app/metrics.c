/*
 * metrics: shared counters and the Prometheus text, see metrics.h.
 *
 * Layout: PD_METRICS_SLOTS slots, one per worker id.  A slot has a single
 * writer (its worker), so plain relaxed atomic stores suffice; name tables
 * grow by writing the name first and publishing the new count with a
 * release store, and readers load the count with acquire.
 */
#include <sys/mman.h>

#include <kore/kore.h>

#include <stdio.h>
#include <string.h>

#include "app/metrics.h"

#define PD_METRICS_SLOTS	256
#define DB_BUCKETS		12

struct named {
	char		name[PD_METRICS_NAME_MAX];
	uint64_t	count;
};

struct slot {
	int64_t		connections;		/* gauge */
	uint64_t	connections_total;
	int64_t		rooms;			/* gauge */
	uint64_t	http[6];		/* by status class 0xx..5xx */
	uint64_t	db_bucket[DB_BUCKETS];	/* cumulative at render */
	uint64_t	db_count;
	uint64_t	db_sum_us;
	uint64_t	db_errors;
	uint32_t	nevents;
	uint32_t	nerrors;
	struct named	events[PD_METRICS_EVENTS];
	struct named	errors[PD_METRICS_ERRORS];
	uint64_t	events_other;
	uint64_t	errors_other;
};

/* Upper bounds of the latency buckets, in milliseconds (+Inf last). */
static const double	db_bounds_ms[DB_BUCKETS - 1] = {
	0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000
};

static struct slot	*slots;
static struct slot	 fallback;	/* when mmap failed */

static void		 metrics_map(void) __attribute__((constructor));
static struct slot	*my_slot(void);
static void		 add(uint64_t *, uint64_t);
static void		 add_named(struct named *, uint32_t *, uint32_t,
			    uint64_t *, const char *);
static int		 render_named(struct pd_buf *, const char *,
			    const char *, const char *, int);
static int		 label(struct pd_buf *, const char *);

/* Runs at dlopen in the parent, so every forked worker shares the map. */
static void
metrics_map(void)
{
	void	*p;

	p = mmap(NULL, sizeof(struct slot) * PD_METRICS_SLOTS,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	slots = (p == MAP_FAILED) ? NULL : p;
}

void
pd_metrics_init(void)
{
	if (slots == NULL)
		metrics_map();
	if (slots == NULL)
		kore_log(LOG_WARNING, "metrics: no shared memory, "
		    "/metrics reports this worker only");
}

static struct slot *
my_slot(void)
{
	unsigned int	id;

	if (slots == NULL)
		return (&fallback);
	id = (worker != NULL) ? worker->id : 0;
	if (id >= PD_METRICS_SLOTS)
		id = PD_METRICS_SLOTS - 1;
	return (&slots[id]);
}

static void
add(uint64_t *p, uint64_t n)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + n,
	    __ATOMIC_RELAXED);
}

static void
add_named(struct named *tab, uint32_t *np, uint32_t max, uint64_t *other,
    const char *name)
{
	uint32_t	i, n;

	if (name == NULL || *name == '\0')
		name = "unknown";
	n = __atomic_load_n(np, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		if (strncmp(tab[i].name, name, PD_METRICS_NAME_MAX - 1) == 0) {
			add(&tab[i].count, 1);
			return;
		}
	}
	if (n == max) {
		add(other, 1);
		return;
	}
	(void)snprintf(tab[n].name, sizeof(tab[n].name), "%s", name);
	__atomic_store_n(&tab[n].count, 1, __ATOMIC_RELAXED);
	__atomic_store_n(np, n + 1, __ATOMIC_RELEASE);
}

void
pd_metrics_connection(int delta)
{
	struct slot	*s = my_slot();

	add((uint64_t *)&s->connections, (uint64_t)(int64_t)delta);
	if (delta > 0)
		add(&s->connections_total, (uint64_t)delta);
}

void
pd_metrics_room(int delta)
{
	add((uint64_t *)&my_slot()->rooms, (uint64_t)(int64_t)delta);
}

void
pd_metrics_event(const char *name)
{
	struct slot	*s = my_slot();

	add_named(s->events, &s->nevents, PD_METRICS_EVENTS, &s->events_other,
	    name);
}

void
pd_metrics_error(const char *code)
{
	struct slot	*s = my_slot();

	add_named(s->errors, &s->nerrors, PD_METRICS_ERRORS, &s->errors_other,
	    code);
}

void
pd_metrics_http(int status)
{
	int	c = status / 100;

	if (c < 0 || c > 5)
		c = 0;
	add(&my_slot()->http[c], 1);
}

void
pd_metrics_db(uint64_t elapsed_us, int ok)
{
	struct slot	*s = my_slot();
	double		 ms = (double)elapsed_us / 1000.0;
	int		 b;

	for (b = 0; b < DB_BUCKETS - 1 && ms > db_bounds_ms[b]; b++)
		;
	add(&s->db_bucket[b], 1);
	add(&s->db_count, 1);
	add(&s->db_sum_us, elapsed_us);
	if (!ok)
		add(&s->db_errors, 1);
}

/* Writes `s` as a Prometheus label value (quoted, escaped). */
static int
label(struct pd_buf *out, const char *s)
{
	if (pd_buf_appendc(out, '"') == -1)
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"') {
			if (pd_buf_appendc(out, '\\') == -1 ||
			    pd_buf_appendc(out, *s) == -1)
				return (-1);
		} else if (*s == '\n') {
			if (pd_buf_appends(out, "\\n") == -1)
				return (-1);
		} else if (pd_buf_appendc(out, *s) == -1)
			return (-1);
	}
	return (pd_buf_appendc(out, '"'));
}

/* Sums a name table over all slots; `errors` picks which table. */
static int
render_named(struct pd_buf *out, const char *metric, const char *help,
    const char *lname, int errors)
{
	static struct named	 merged[PD_METRICS_EVENTS + 1];
	struct slot		*s;
	struct named		*tab;
	uint32_t		 n, i, j, nm, nslots;
	uint64_t		 other;

	nslots = slots ? PD_METRICS_SLOTS : 1;
	nm = 0;
	other = 0;
	for (i = 0; i < nslots; i++) {
		s = slots ? &slots[i] : &fallback;
		tab = errors ? s->errors : s->events;
		n = __atomic_load_n(errors ? &s->nerrors : &s->nevents,
		    __ATOMIC_ACQUIRE);
		other += __atomic_load_n(errors ? &s->errors_other :
		    &s->events_other, __ATOMIC_RELAXED);
		for (j = 0; j < n; j++) {
			uint32_t	k;

			for (k = 0; k < nm; k++)
				if (strcmp(merged[k].name, tab[j].name) == 0)
					break;
			if (k == nm) {
				if (nm == PD_METRICS_EVENTS) {
					other += tab[j].count;
					continue;
				}
				memcpy(merged[k].name, tab[j].name,
				    sizeof(merged[k].name));
				merged[k].name[sizeof(merged[k].name) - 1] = 0;
				merged[k].count = 0;
				nm++;
			}
			merged[k].count += __atomic_load_n(&tab[j].count,
			    __ATOMIC_RELAXED);
		}
	}
	if (pd_buf_appendf(out, "# HELP %s %s\n# TYPE %s counter\n", metric,
	    help, metric) == -1)
		return (-1);
	for (i = 0; i < nm; i++) {
		if (pd_buf_appendf(out, "%s{%s=", metric, lname) == -1 ||
		    label(out, merged[i].name) == -1 ||
		    pd_buf_appendf(out, "} %llu\n",
		    (unsigned long long)merged[i].count) == -1)
			return (-1);
	}
	if (other > 0 && pd_buf_appendf(out, "%s{%s=\"other\"} %llu\n",
	    metric, lname, (unsigned long long)other) == -1)
		return (-1);
	return (0);
}

int
pd_metrics_render(struct pd_buf *out)
{
	struct slot	*s;
	int64_t		 conns, rooms;
	uint64_t	 total, http[6], bucket[DB_BUCKETS], count, sum, errs;
	uint64_t	 cum;
	uint32_t	 i, nslots;
	int		 b, w;

	conns = rooms = 0;
	total = count = sum = errs = 0;
	memset(http, 0, sizeof(http));
	memset(bucket, 0, sizeof(bucket));
	nslots = slots ? PD_METRICS_SLOTS : 1;
	for (i = 0; i < nslots; i++) {
		s = slots ? &slots[i] : &fallback;
		conns += (int64_t)__atomic_load_n(&s->connections,
		    __ATOMIC_RELAXED);
		rooms += (int64_t)__atomic_load_n(&s->rooms, __ATOMIC_RELAXED);
		total += __atomic_load_n(&s->connections_total,
		    __ATOMIC_RELAXED);
		for (b = 0; b < 6; b++)
			http[b] += __atomic_load_n(&s->http[b],
			    __ATOMIC_RELAXED);
		for (b = 0; b < DB_BUCKETS; b++)
			bucket[b] += __atomic_load_n(&s->db_bucket[b],
			    __ATOMIC_RELAXED);
		count += __atomic_load_n(&s->db_count, __ATOMIC_RELAXED);
		sum += __atomic_load_n(&s->db_sum_us, __ATOMIC_RELAXED);
		errs += __atomic_load_n(&s->db_errors, __ATOMIC_RELAXED);
	}
	w = (worker != NULL) ? worker->id : 0;
	if (pd_buf_appendf(out,
	    "# HELP pd_metrics_reporting_worker Worker that rendered this page.\n"
	    "# TYPE pd_metrics_reporting_worker gauge\n"
	    "pd_metrics_reporting_worker %d\n"
	    "# HELP pd_connections Open Socket.IO connections.\n"
	    "# TYPE pd_connections gauge\npd_connections %lld\n"
	    "# HELP pd_connections_total Socket.IO connections accepted.\n"
	    "# TYPE pd_connections_total counter\npd_connections_total %llu\n"
	    "# HELP pd_rooms Open game rooms.\n"
	    "# TYPE pd_rooms gauge\npd_rooms %lld\n",
	    w, (long long)conns,
	    (unsigned long long)total, (long long)rooms) == -1)
		return (-1);
	if (render_named(out, "pd_events_total", "Socket.IO events by name.",
	    "event", 0) == -1 ||
	    render_named(out, "pd_errors_total", "Errors sent, by code.",
	    "code", 1) == -1)
		return (-1);
	if (pd_buf_appends(out, "# HELP pd_http_responses_total REST "
	    "responses by status class.\n"
	    "# TYPE pd_http_responses_total counter\n") == -1)
		return (-1);
	for (b = 1; b < 6; b++)
		if (pd_buf_appendf(out,
		    "pd_http_responses_total{class=\"%dxx\"} %llu\n", b,
		    (unsigned long long)http[b]) == -1)
			return (-1);
	if (pd_buf_appends(out, "# HELP pd_db_query_duration_seconds "
	    "PostgreSQL query latency.\n"
	    "# TYPE pd_db_query_duration_seconds histogram\n") == -1)
		return (-1);
	cum = 0;
	for (b = 0; b < DB_BUCKETS; b++) {
		cum += bucket[b];
		if (b < DB_BUCKETS - 1) {
			if (pd_buf_appendf(out, "pd_db_query_duration_seconds_"
			    "bucket{le=\"%g\"} %llu\n", db_bounds_ms[b] / 1000.0,
			    (unsigned long long)cum) == -1)
				return (-1);
		} else if (pd_buf_appendf(out, "pd_db_query_duration_seconds_"
		    "bucket{le=\"+Inf\"} %llu\n", (unsigned long long)cum) == -1)
			return (-1);
	}
	if (pd_buf_appendf(out,
	    "pd_db_query_duration_seconds_sum %.6f\n"
	    "pd_db_query_duration_seconds_count %llu\n"
	    "# HELP pd_db_query_errors_total Queries that failed.\n"
	    "# TYPE pd_db_query_errors_total counter\n"
	    "pd_db_query_errors_total %llu\n",
	    (double)sum / 1e6, (unsigned long long)count,
	    (unsigned long long)errs) == -1)
		return (-1);
	return (0);
}
