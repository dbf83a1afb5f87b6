/*
 * jsonutil: small helpers around yajl shared by the codecs, the service and
 * the REST layer.
 *
 * json_parse() bounds the nesting depth before handing the text to
 * yajl's tree parser, whose recursive free would otherwise overflow the
 * stack on hostile input.  The returned tree belongs to the caller
 * (yajl_tree_free()).
 */
#ifndef PD_UTIL_JSONUTIL_H
#define PD_UTIL_JSONUTIL_H

#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "util/buf.h"

#define JSON_MAX_DEPTH	32

yajl_val	 json_parse(const char *, size_t, char *, size_t);
yajl_val	 json_get(yajl_val, const char *);
const char	*json_string(yajl_val, const char *);

/* Writes a parsed value back out; numbers keep their original text. */
int		 json_gen_value(yajl_gen, yajl_val);
int		 json_gen_str(yajl_gen, const char *);
int		 json_gen_kv_str(yajl_gen, const char *, const char *);
int		 json_gen_kv_int(yajl_gen, const char *, long long);
int		 json_gen_kv_bool(yajl_gen, const char *, int);
int		 json_gen_kv_null(yajl_gen, const char *);

/* Appends the generator's output to a buffer and clears the generator. */
int		 json_gen_flush(yajl_gen, struct pd_buf *);

/* A deep copy of a parsed value (the caller frees it). */
yajl_val	 json_copy(yajl_val);

/* Appends `s` as a quoted, escaped JSON string. */
int		 json_append_string(struct pd_buf *, const char *, size_t);

#endif
