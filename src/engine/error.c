/*
 * Filling struct pd_error.  A NULL error pointer is allowed so that
 * callers who only want the return value need not carry one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/error.h"

void
pd_error_clear(struct pd_error *err)
{
	if (err == NULL)
		return;
	err->code = NULL;
	err->field = NULL;
	err->message[0] = '\0';
}

int
pd_error_set(struct pd_error *err, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list		ap;

	if (err == NULL)
		return (PD_ERR);

	err->code = code;
	err->field = field;
	va_start(ap, fmt);
	/* Truncation is acceptable: the message is for people. */
	(void)vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);

	return (PD_ERR);
}
