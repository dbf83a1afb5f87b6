/*
 * Dice: the at-bat roll.  All randomness enters through struct pd_rng so
 * that the service uses libsodium's CSPRNG while tests and the replay tool
 * inject a seeded ChaCha20 stream.  A roll can also be built from logged
 * values, which is how a stored game is rebuilt.
 */
#ifndef PD_ENGINE_DICE_H
#define PD_ENGINE_DICE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/error.h"

#define PD_ROLL_ID_MAX		40	/* 32 hex digits or a logged id */
#define PD_ROLL_TTL_MS		(5 * 60 * 1000)
#define PD_TIMESTAMP_MAX	32

/* A source of random bytes. */
struct pd_rng {
	void	(*fill)(void *, void *, size_t);
	void	*ctx;
};

/*
 * The service's source: libsodium's CSPRNG, drawn a pool at a time, so a
 * roll costs one getrandom(2) in dozens instead of six.  Bytes are wiped
 * from the pool as they are handed out.  A pool belongs to one process:
 * a forked child must not inherit a filled one (the service sets it up in
 * the worker, on the first roll).
 */
struct pd_rng_system {
	unsigned char	buf[256];
	size_t		pos;
};

/* Deterministic source: ChaCha20 keyed by the seed, nonce = block count. */
struct pd_rng_seeded {
	unsigned char	key[32];
	uint64_t	block;
	unsigned char	buf[512];
	size_t		pos;
};

struct pd_roll {
	char		roll_id[PD_ROLL_ID_MAX];
	int		d6_one;		/* white die: card column */
	int		d6_two_a;	/* red dice: row */
	int		d6_two_b;
	int		d6_two_total;
	int		chaos_d20;
	int		resolution_d20;
	int		check_wild_pitch;
	int		check_passed_ball;
	int64_t		timestamp_ms;
};

int	pd_rng_system(struct pd_rng_system *, struct pd_rng *);
void	pd_rng_seeded_init(struct pd_rng_seeded *, struct pd_rng *, uint64_t);
void	pd_rng_seeded_init_key(struct pd_rng_seeded *, struct pd_rng *,
	    const unsigned char [32]);
int	pd_rng_uniform(struct pd_rng *, int);

void	pd_dice_roll(struct pd_rng *, int64_t, int, struct pd_roll *);
int	pd_dice_from_values(struct pd_roll *, const char *, int, int, int,
	    int, int, int64_t, int, struct pd_error *);
void	pd_dice_timestamp(int64_t, char *, size_t);
int	pd_dice_parse_timestamp(const char *, int64_t *);
int64_t	pd_clock_ms(void);

#endif
