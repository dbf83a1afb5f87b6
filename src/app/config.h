/*
 * config: the server's settings, read once from the environment.
 *
 * Every variable is documented in README.md.
 */
#ifndef PD_APP_CONFIG_H
#define PD_APP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct pd_config {
	uint8_t		jwt_key[256];
	size_t		jwt_key_len;
	char		database_url[1024];
	int		rate_limits;		/* RATE_LIMITS != "off" */
	unsigned int	roll_ttl_ms;		/* ROLL_TTL_SECONDS */
	unsigned int	ping_interval;		/* PING_INTERVAL_MS */
	unsigned int	ping_timeout;		/* PING_TIMEOUT_MS */
	int64_t		token_ttl;		/* TOKEN_TTL_SECONDS, REST */
	int		recovery;		/* CONNECTION_RECOVERY != off */
	size_t		send_queue_limit;	/* SEND_QUEUE_LIMIT, bytes */
};

extern struct pd_config	pd_cfg;

/* Returns -1 with a reason in `err` when a setting is unusable. */
int	pd_config_load(char *err, size_t errlen);

#endif
