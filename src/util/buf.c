/*
 * buf: growable byte buffer, see buf.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static int	buf_reserve(struct pd_buf *, size_t);

void
pd_buf_init(struct pd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
pd_buf_free(struct pd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
pd_buf_reset(struct pd_buf *b)
{
	b->len = 0;
}

/* Makes room for `extra` more bytes plus a terminating NUL. */
static int
buf_reserve(struct pd_buf *b, size_t extra)
{
	size_t		 need, ncap;
	uint8_t		*p;

	if (extra > SIZE_MAX - b->len - 1)
		return (-1);
	need = b->len + extra + 1;
	if (b->max != 0 && need > b->max + 1)
		return (-1);
	if (need <= b->cap)
		return (0);

	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL)
		return (-1);
	b->data = p;
	b->cap = ncap;
	return (0);
}

int
pd_buf_append(struct pd_buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) == -1)
		return (-1);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	return (0);
}

int
pd_buf_appendc(struct pd_buf *b, int c)
{
	uint8_t		ch = (uint8_t)c;

	return (pd_buf_append(b, &ch, 1));
}

int
pd_buf_appends(struct pd_buf *b, const char *s)
{
	return (pd_buf_append(b, s, strlen(s)));
}

int
pd_buf_appendf(struct pd_buf *b, const char *fmt, ...)
{
	va_list		ap;
	int		n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) == -1)
		return (-1);

	va_start(ap, fmt);
	(void)vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return (0);
}

const char *
pd_buf_cstr(struct pd_buf *b)
{
	if (buf_reserve(b, 0) == -1)
		return (NULL);
	b->data[b->len] = '\0';
	return ((const char *)b->data);
}
