/*
 * jsonutil: yajl helpers, see jsonutil.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonutil.h"

static int	json_depth_ok(const char *, size_t);

/*
 * Rejects input nested deeper than JSON_MAX_DEPTH; strings skipped.  Also
 * rejects comments, which yajl_tree_parse() accepts but JSON does not: a
 * quote inside one would hide the brackets after it from this count.
 */
static int
json_depth_ok(const char *s, size_t len)
{
	size_t		i;
	int		depth, instr;

	depth = 0;
	instr = 0;
	for (i = 0; i < len; i++) {
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
			continue;
		}
		switch (s[i]) {
		case '"':
			instr = 1;
			break;
		case '/':
			return (0);
		case '[':
		case '{':
			if (++depth > JSON_MAX_DEPTH)
				return (0);
			break;
		case ']':
		case '}':
			depth--;
			break;
		}
	}
	return (1);
}

yajl_val
json_parse(const char *s, size_t len, char *err, size_t errlen)
{
	char		*copy;
	yajl_val	 v;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (memchr(s, '\0', len) != NULL || !json_depth_ok(s, len)) {
		if (err != NULL && errlen > 0)
			(void)snprintf(err, errlen, "invalid JSON");
		return (NULL);
	}
	if ((copy = malloc(len + 1)) == NULL)
		return (NULL);
	memcpy(copy, s, len);
	copy[len] = '\0';
	v = yajl_tree_parse(copy, err, errlen);
	free(copy);
	return (v);
}

yajl_val
json_get(yajl_val obj, const char *key)
{
	size_t		i;

	if (obj == NULL || !YAJL_IS_OBJECT(obj))
		return (NULL);
	for (i = 0; i < obj->u.object.len; i++) {
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return (obj->u.object.values[i]);
	}
	return (NULL);
}

const char *
json_string(yajl_val obj, const char *key)
{
	yajl_val	v;

	v = json_get(obj, key);
	if (v == NULL || !YAJL_IS_STRING(v))
		return (NULL);
	return (YAJL_GET_STRING(v));
}

int
json_gen_value(yajl_gen g, yajl_val v)
{
	size_t		i;
	const char	*k;

	if (v == NULL)
		return (yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1);

	switch (v->type) {
	case yajl_t_string:
		return (json_gen_str(g, v->u.string));
	case yajl_t_number:
		return (yajl_gen_number(g, v->u.number.r,
		    strlen(v->u.number.r)) == yajl_gen_status_ok ? 0 : -1);
	case yajl_t_true:
	case yajl_t_false:
		return (yajl_gen_bool(g, v->type == yajl_t_true) ==
		    yajl_gen_status_ok ? 0 : -1);
	case yajl_t_null:
		return (yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1);
	case yajl_t_array:
		if (yajl_gen_array_open(g) != yajl_gen_status_ok)
			return (-1);
		for (i = 0; i < v->u.array.len; i++) {
			if (json_gen_value(g, v->u.array.values[i]) == -1)
				return (-1);
		}
		return (yajl_gen_array_close(g) == yajl_gen_status_ok ? 0 : -1);
	case yajl_t_object:
		if (yajl_gen_map_open(g) != yajl_gen_status_ok)
			return (-1);
		for (i = 0; i < v->u.object.len; i++) {
			k = v->u.object.keys[i];
			if (json_gen_str(g, k) == -1 ||
			    json_gen_value(g, v->u.object.values[i]) == -1)
				return (-1);
		}
		return (yajl_gen_map_close(g) == yajl_gen_status_ok ? 0 : -1);
	default:
		return (-1);
	}
}

int
json_gen_str(yajl_gen g, const char *s)
{
	return (yajl_gen_string(g, (const unsigned char *)s, strlen(s)) ==
	    yajl_gen_status_ok ? 0 : -1);
}

int
json_gen_kv_str(yajl_gen g, const char *k, const char *v)
{
	if (json_gen_str(g, k) == -1)
		return (-1);
	if (v == NULL)
		return (yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1);
	return (json_gen_str(g, v));
}

int
json_gen_kv_int(yajl_gen g, const char *k, long long v)
{
	if (json_gen_str(g, k) == -1)
		return (-1);
	return (yajl_gen_integer(g, v) == yajl_gen_status_ok ? 0 : -1);
}

int
json_gen_kv_bool(yajl_gen g, const char *k, int v)
{
	if (json_gen_str(g, k) == -1)
		return (-1);
	return (yajl_gen_bool(g, v) == yajl_gen_status_ok ? 0 : -1);
}

int
json_gen_kv_null(yajl_gen g, const char *k)
{
	if (json_gen_str(g, k) == -1)
		return (-1);
	return (yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1);
}

int
json_gen_flush(yajl_gen g, struct pd_buf *out)
{
	const unsigned char	*p;
	size_t			 len;

	if (yajl_gen_get_buf(g, &p, &len) != yajl_gen_status_ok)
		return (-1);
	if (pd_buf_append(out, p, len) == -1)
		return (-1);
	yajl_gen_clear(g);
	return (0);
}

int
json_append_string(struct pd_buf *b, const char *s, size_t len)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i, run;
	unsigned char		c;

	if (pd_buf_appendc(b, '"') == -1)
		return (-1);
	for (i = 0; i < len; i += run) {
		/* Characters that need no escape go in as one run. */
		for (run = 0; i + run < len; run++) {
			c = (unsigned char)s[i + run];
			if (c == '"' || c == '\\' || c < 0x20)
				break;
		}
		if (run > 0) {
			if (pd_buf_append(b, s + i, run) == -1)
				return (-1);
			continue;
		}
		c = (unsigned char)s[i];
		run = 1;
		if (c == '"' || c == '\\') {
			if (pd_buf_appendc(b, '\\') == -1 ||
			    pd_buf_appendc(b, c) == -1)
				return (-1);
		} else if (pd_buf_appends(b, "\\u00") == -1 ||
		    pd_buf_appendc(b, hex[c >> 4]) == -1 ||
		    pd_buf_appendc(b, hex[c & 0xf]) == -1) {
			return (-1);
		}
	}
	return (pd_buf_appendc(b, '"'));
}

yajl_val
json_copy(yajl_val v)
{
	yajl_gen		 g;
	const unsigned char	*p;
	size_t			 len;
	yajl_val		 copy;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return (NULL);
	copy = NULL;
	if (json_gen_value(g, v) == 0 &&
	    yajl_gen_get_buf(g, &p, &len) == yajl_gen_status_ok)
		copy = json_parse((const char *)p, len, NULL, 0);
	yajl_gen_free(g);
	return (copy);
}
