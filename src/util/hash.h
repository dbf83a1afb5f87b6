/*
 * hash: the string hash of the in-memory tables (sessions, sockets,
 * rooms, games).  djb2: keys are random ids or UUIDs, so a simple,
 * fast hash spreads them well enough.
 */
#ifndef PD_UTIL_HASH_H
#define PD_UTIL_HASH_H

static inline unsigned int
pd_hash_str(const char *s)
{
	unsigned int	h;

	for (h = 5381; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	return (h);
}

#endif
