/*
 * Dice rolls and random sources.  Dice are drawn by rejection sampling
 * from bytes so that every face is exactly equally likely.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "engine/dice.h"

static void	rng_system_fill(void *, void *, size_t);
static void	rng_system_refill(void *);
static void	rng_seeded_fill(void *, void *, size_t);
static void	rng_seeded_refill(void *);
static void	rng_take(unsigned char *, size_t, size_t *, void (*)(void *),
		    void *, void *, size_t);
static int	dice_valid(int, int);

int
pd_rng_system(struct pd_rng_system *s, struct pd_rng *rng)
{
	if (sodium_init() < 0)
		return (PD_ERR);
	s->pos = sizeof(s->buf);
	rng->fill = rng_system_fill;
	rng->ctx = s;
	return (PD_OK);
}

void
pd_rng_seeded_init(struct pd_rng_seeded *s, struct pd_rng *rng, uint64_t seed)
{
	unsigned char	key[32];
	int		i;

	memset(key, 0, sizeof(key));
	for (i = 0; i < 8; i++)
		key[i] = (unsigned char)(seed >> (8 * i));
	pd_rng_seeded_init_key(s, rng, key);
}

void
pd_rng_seeded_init_key(struct pd_rng_seeded *s, struct pd_rng *rng,
    const unsigned char key[32])
{
	memcpy(s->key, key, sizeof(s->key));
	s->block = 0;
	s->pos = sizeof(s->buf);
	rng->fill = rng_seeded_fill;
	rng->ctx = s;
}

int
pd_rng_uniform(struct pd_rng *rng, int n)
{
	unsigned char	b;
	unsigned int	limit;

	/* Largest multiple of n below 256, so b % n is unbiased. */
	limit = 256u - (256u % (unsigned int)n);
	for (;;) {
		rng->fill(rng->ctx, &b, 1);
		if (b < limit)
			return (1 + (int)(b % (unsigned int)n));
	}
}

void
pd_dice_roll(struct pd_rng *rng, int64_t now_ms, int runners_on,
    struct pd_roll *r)
{
	unsigned char	id[16];

	memset(r, 0, sizeof(*r));
	rng->fill(rng->ctx, id, sizeof(id));
	/* 33 bytes of the 40: cannot fail. */
	(void)sodium_bin2hex(r->roll_id, sizeof(r->roll_id), id, sizeof(id));

	r->d6_one = pd_rng_uniform(rng, 6);
	r->d6_two_a = pd_rng_uniform(rng, 6);
	r->d6_two_b = pd_rng_uniform(rng, 6);
	r->d6_two_total = r->d6_two_a + r->d6_two_b;
	r->chaos_d20 = pd_rng_uniform(rng, 20);
	r->resolution_d20 = pd_rng_uniform(rng, 20);
	r->check_wild_pitch = runners_on && r->chaos_d20 == 1;
	r->check_passed_ball = runners_on && r->chaos_d20 == 2;
	r->timestamp_ms = now_ms;
}

int
pd_dice_from_values(struct pd_roll *r, const char *roll_id, int d6_one,
    int red_a, int red_b, int chaos, int resolution, int64_t ts_ms,
    int runners_on, struct pd_error *err)
{
	if (roll_id == NULL || roll_id[0] == '\0' ||
	    strlen(roll_id) >= sizeof(r->roll_id))
		return (pd_error_set(err, PD_E_INVALID_FORMAT, "roll_id",
		    "Invalid roll_id"));
	if (!dice_valid(d6_one, 6))
		return (pd_error_set(err, PD_E_INVALID_FORMAT, "d6_one",
		    "d6_one must be 1-6"));
	if (!dice_valid(red_a, 6) || !dice_valid(red_b, 6))
		return (pd_error_set(err, PD_E_INVALID_FORMAT, "d6_two",
		    "Red dice must be 1-6"));
	if (!dice_valid(chaos, 20))
		return (pd_error_set(err, PD_E_INVALID_FORMAT, "chaos_d20",
		    "chaos_d20 must be 1-20"));
	if (!dice_valid(resolution, 20))
		return (pd_error_set(err, PD_E_INVALID_FORMAT,
		    "resolution_d20", "resolution_d20 must be 1-20"));

	memset(r, 0, sizeof(*r));
	(void)snprintf(r->roll_id, sizeof(r->roll_id), "%s", roll_id);
	r->d6_one = d6_one;
	r->d6_two_a = red_a;
	r->d6_two_b = red_b;
	r->d6_two_total = red_a + red_b;
	r->chaos_d20 = chaos;
	r->resolution_d20 = resolution;
	r->check_wild_pitch = runners_on && chaos == 1;
	r->check_passed_ball = runners_on && chaos == 2;
	r->timestamp_ms = ts_ms;
	return (PD_OK);
}

/* ISO 8601 UTC with milliseconds: 2025-10-31T12:34:56.789Z */
void
pd_dice_timestamp(int64_t ms, char *buf, size_t len)
{
	struct tm	tm;
	time_t		secs;
	int64_t		frac;

	secs = (time_t)(ms / 1000);
	frac = ms % 1000;
	if (frac < 0) {
		frac += 1000;
		secs--;
	}
	if (gmtime_r(&secs, &tm) == NULL) {
		(void)snprintf(buf, len, "1970-01-01T00:00:00.000Z");
		return;
	}
	(void)snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)frac);
}

int
pd_dice_parse_timestamp(const char *s, int64_t *ms)
{
	struct tm	tm;
	int		frac, n;

	memset(&tm, 0, sizeof(tm));
	frac = 0;
	n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &frac);
	if (n < 6)
		return (PD_ERR);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*ms = (int64_t)timegm(&tm) * 1000 + frac;
	return (PD_OK);
}

/* The only clock read in the engine, for callers that ask for it. */
int64_t
pd_clock_ms(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return (0);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Copies `len` bytes out of a pool, wiping them, refilled when empty. */
static void
rng_take(unsigned char *pool, size_t size, size_t *pos,
    void (*refill)(void *), void *ctx, void *buf, size_t len)
{
	unsigned char	*out = buf;
	size_t		 n;

	while (len > 0) {
		if (*pos == size)
			refill(ctx);
		n = size - *pos;
		if (n > len)
			n = len;
		memcpy(out, pool + *pos, n);
		sodium_memzero(pool + *pos, n);
		*pos += n;
		out += n;
		len -= n;
	}
}

static void
rng_system_fill(void *ctx, void *buf, size_t len)
{
	struct pd_rng_system	*s = ctx;

	rng_take(s->buf, sizeof(s->buf), &s->pos, rng_system_refill, s,
	    buf, len);
}

static void
rng_system_refill(void *ctx)
{
	struct pd_rng_system	*s = ctx;

	randombytes_buf(s->buf, sizeof(s->buf));
	s->pos = 0;
}

static void
rng_seeded_fill(void *ctx, void *buf, size_t len)
{
	struct pd_rng_seeded	*s = ctx;

	rng_take(s->buf, sizeof(s->buf), &s->pos, rng_seeded_refill, s,
	    buf, len);
}

static void
rng_seeded_refill(void *ctx)
{
	struct pd_rng_seeded	*s = ctx;
	unsigned char		 nonce[crypto_stream_chacha20_NONCEBYTES];
	size_t			 i;

	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (unsigned char)(s->block >> (8 * i));
	s->block++;
	/* crypto_stream_chacha20 cannot fail with valid sizes. */
	(void)crypto_stream_chacha20(s->buf, sizeof(s->buf), nonce, s->key);
	s->pos = 0;
}

static int
dice_valid(int v, int faces)
{
	return (v >= 1 && v <= faces);
}
