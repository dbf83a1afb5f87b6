/*
 * config: settings from the environment, see config.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"

struct pd_config	pd_cfg;

static long	env_long(const char *, long, long, long);

static long
env_long(const char *name, long def, long min, long max)
{
	const char	*v;
	char		*end;
	long		 n;

	if ((v = getenv(name)) == NULL || *v == '\0')
		return (def);
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return (def);
	return (n);
}

int
pd_config_load(char *err, size_t errlen)
{
	const char	*v;

	memset(&pd_cfg, 0, sizeof(pd_cfg));
	if ((v = getenv("JWT_SECRET")) == NULL || *v == '\0') {
		(void)snprintf(err, errlen, "JWT_SECRET is not set");
		return (-1);
	}
	if (strlen(v) > sizeof(pd_cfg.jwt_key)) {
		(void)snprintf(err, errlen, "JWT_SECRET is too long");
		return (-1);
	}
	pd_cfg.jwt_key_len = strlen(v);
	memcpy(pd_cfg.jwt_key, v, pd_cfg.jwt_key_len);

	if ((v = getenv("DATABASE_URL")) != NULL)
		(void)snprintf(pd_cfg.database_url,
		    sizeof(pd_cfg.database_url), "%s", v);

	v = getenv("CONNECTION_RECOVERY");
	pd_cfg.recovery = !(v != NULL && strcmp(v, "off") == 0);

	v = getenv("RATE_LIMITS");
	pd_cfg.rate_limits = !(v != NULL && strcmp(v, "off") == 0);
	pd_cfg.roll_ttl_ms = (unsigned int)env_long("ROLL_TTL_SECONDS", 300,
	    1, 86400) * 1000;
	pd_cfg.ping_interval = (unsigned int)env_long("PING_INTERVAL_MS",
	    25000, 100, 600000);
	pd_cfg.ping_timeout = (unsigned int)env_long("PING_TIMEOUT_MS",
	    20000, 100, 600000);
	pd_cfg.token_ttl = env_long("TOKEN_TTL_SECONDS", 86400, 10,
	    31 * 86400);
	pd_cfg.send_queue_limit = (size_t)env_long("SEND_QUEUE_LIMIT",
	    4 * 1024 * 1024, 64 * 1024, 1024L * 1024 * 1024);
	return (0);
}
