/*
 * buf: a growable byte buffer with an upper bound.
 *
 * Used by the codecs, which must not depend on Kore.  A buffer owns its
 * data; pd_buf_free() releases it.  Appending past `max` fails and leaves
 * the buffer unchanged, so a caller can turn it into a protocol error.
 */
#ifndef PD_UTIL_BUF_H
#define PD_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct pd_buf {
	uint8_t		*data;
	size_t		 len;
	size_t		 cap;
	size_t		 max;	/* 0: unbounded */
};

void	pd_buf_init(struct pd_buf *, size_t max);
void	pd_buf_free(struct pd_buf *);
void	pd_buf_reset(struct pd_buf *);
int	pd_buf_append(struct pd_buf *, const void *, size_t);
int	pd_buf_appendc(struct pd_buf *, int);
int	pd_buf_appends(struct pd_buf *, const char *);
int	pd_buf_appendf(struct pd_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* NUL-terminates (not counted in len) and returns the data as a string. */
const char *pd_buf_cstr(struct pd_buf *);

#endif
