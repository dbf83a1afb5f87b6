/*
 * Fuzzes json_parse and json_gen_value: a parsed tree is never deeper
 * than JSON_MAX_DEPTH (the bound that keeps yajl's recursive free off the
 * end of the stack), regeneration succeeds, and regenerating the
 * regenerated text gives the same bytes (numbers keep their text).  The
 * input is also written as a JSON string with json_append_string, which
 * must parse back to the same bytes whenever it parses (and holds no NUL).
 */
#include <string.h>

#include "fuzz.h"
#include "util/jsonutil.h"

static size_t
depth(yajl_val v)
{
	size_t	i, d, m;

	m = 0;
	if (YAJL_IS_ARRAY(v)) {
		for (i = 0; i < v->u.array.len; i++)
			if ((d = depth(v->u.array.values[i])) > m)
				m = d;
		return (m + 1);
	}
	if (YAJL_IS_OBJECT(v)) {
		for (i = 0; i < v->u.object.len; i++)
			if ((d = depth(v->u.object.values[i])) > m)
				m = d;
		return (m + 1);
	}
	return (0);
}

static void
regen(yajl_val v, struct pd_buf *b)
{
	yajl_gen	g;

	FUZZ_CHECK((g = yajl_gen_alloc(NULL)) != NULL);
	FUZZ_CHECK(json_gen_value(g, v) == 0);
	FUZZ_CHECK(json_gen_flush(g, b) == 0);
	yajl_gen_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_buf	 a, b, s;
	yajl_val	 v, w;
	char		 err[128];

	pd_buf_init(&a, 0);
	pd_buf_init(&b, 0);
	pd_buf_init(&s, 0);

	if ((v = json_parse((const char *)data, size, err,
	    sizeof(err))) != NULL) {
		FUZZ_CHECK(depth(v) <= JSON_MAX_DEPTH);
		regen(v, &a);
		w = json_parse((const char *)a.data, a.len, err, sizeof(err));
		if (w == NULL) {
			fprintf(stderr, "regenerated JSON refused (%s): %.*s\n",
			    err, (int)a.len, (const char *)a.data);
			abort();
		}
		regen(w, &b);
		FUZZ_CHECK(a.len == b.len && memcmp(a.data, b.data,
		    a.len) == 0);
		yajl_tree_free(w);
		yajl_tree_free(v);
	}

	FUZZ_CHECK(json_append_string(&s, (const char *)data, size) == 0);
	/* A NUL would end yajl's C string early: nothing to compare. */
	if (memchr(data, '\0', size) == NULL && (v = json_parse(
	    (const char *)s.data, s.len, err, sizeof(err))) != NULL) {
		FUZZ_CHECK(YAJL_IS_STRING(v));
		FUZZ_CHECK(strlen(v->u.string) == size &&
		    memcmp(v->u.string, data, size) == 0);
		yajl_tree_free(v);
	}

	pd_buf_free(&a);
	pd_buf_free(&b);
	pd_buf_free(&s);
	return (0);
}
