/* util/json: the nesting bound, comments, regeneration, escaping. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "util/jsonutil.h"

static char *
nested(const char *open, const char *close, int n)
{
	static char	s[4096];
	size_t		i, k;

	k = 0;
	for (i = 0; i < (size_t)n; i++)
		s[k++] = open[0];
	for (i = 0; i < (size_t)n; i++)
		s[k++] = close[0];
	s[k] = '\0';
	return (s);
}

/* The text json_gen_value() writes for `in` (which must parse). */
static void
regen(const char *in, struct pd_buf *out)
{
	yajl_val	v;
	yajl_gen	g;
	char		err[128];

	v = json_parse(in, strlen(in), err, sizeof(err));
	cr_assert_not_null(v, "%s: %s", in, err);
	g = yajl_gen_alloc(NULL);
	cr_assert_eq(json_gen_value(g, v), 0);
	cr_assert_eq(json_gen_flush(g, out), 0);
	(void)pd_buf_cstr(out);
	yajl_gen_free(g);
	yajl_tree_free(v);
}

Test(json_util, depth_limit_arrays_and_objects)
{
	yajl_val	 v;
	char		*s;
	char		 obj[4096];
	int		 i;
	size_t		 k;

	s = nested("[", "]", JSON_MAX_DEPTH);
	cr_assert_not_null(v = json_parse(s, strlen(s), NULL, 0));
	yajl_tree_free(v);
	s = nested("[", "]", JSON_MAX_DEPTH + 1);
	cr_expect_null(json_parse(s, strlen(s), NULL, 0));

	k = 0;
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		k += (size_t)sprintf(obj + k, "{\"a\":");
	k += (size_t)sprintf(obj + k, "1");
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		obj[k++] = '}';
	obj[k] = '\0';
	cr_expect_null(json_parse(obj, k, NULL, 0));
	/* One level less parses. */
	cr_assert_not_null(v = json_parse(obj + 5, k - 6, NULL, 0));
	yajl_tree_free(v);
}

Test(json_util, brackets_in_strings_do_not_count)
{
	yajl_val	v;
	const char	*s = "[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\","
	    "\"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]";

	cr_assert_not_null(v = json_parse(s, strlen(s), NULL, 0));
	cr_expect_eq(v->u.array.len, 2);
	yajl_tree_free(v);
}

/*
 * yajl_tree_parse() accepts comments; a quote inside one used to hide the
 * brackets after it from the depth count (unbounded nesting, then a stack
 * overflow in yajl_tree_free).  Comments are refused now, as JSON.parse
 * refuses them.
 */
Test(json_util, comments_are_refused)
{
	char		s[4096];
	char		err[128];

	cr_expect_null(json_parse("/* x */ [1]", 11, err, sizeof(err)));
	cr_expect_str_eq(err, "invalid JSON");
	cr_expect_null(json_parse("[1] // x", 8, NULL, 0));
	(void)snprintf(s, sizeof(s), "/*\"*/%s", nested("[", "]", 200));
	cr_expect_null(json_parse(s, strlen(s), NULL, 0));
	(void)snprintf(s, sizeof(s), "[\"x\"//\"\n,%s]", nested("[", "]", 40));
	cr_expect_null(json_parse(s, strlen(s), NULL, 0));
}

Test(json_util, slash_inside_strings_is_fine)
{
	yajl_val	v;
	const char	*s = "{\"url\":\"http://x/y\",\"e\":\"a\\/b\"}";

	cr_assert_not_null(v = json_parse(s, strlen(s), NULL, 0));
	cr_expect_str_eq(json_string(v, "url"), "http://x/y");
	cr_expect_str_eq(json_string(v, "e"), "a/b");
	yajl_tree_free(v);
}

Test(json_util, refuses_nul_and_garbage)
{
	char	err[128];

	cr_expect_null(json_parse("[1]\0[2]", 7, err, sizeof(err)));
	cr_expect_null(json_parse("[1", 2, err, sizeof(err)));
	cr_expect_neq(err[0], '\0');
	cr_expect_null(json_parse("", 0, NULL, 0));
	cr_expect_null(json_parse("{'a':1}", 7, NULL, 0));
	cr_expect_null(json_parse("[\"\xff\"]", 5, NULL, 0));	/* not UTF-8 */
}

Test(json_util, input_need_not_be_terminated)
{
	yajl_val	v;
	const char	s[] = { '[', '7', ']', 'x', 'x' };

	cr_assert_not_null(v = json_parse(s, 3, NULL, 0));
	cr_expect_eq(YAJL_GET_INTEGER(v->u.array.values[0]), 7);
	yajl_tree_free(v);
}

Test(json_util, get_and_string)
{
	yajl_val	v;
	const char	*s = "{\"a\":\"x\",\"n\":3,\"o\":{\"b\":null}}";

	cr_assert_not_null(v = json_parse(s, strlen(s), NULL, 0));
	cr_expect_str_eq(json_string(v, "a"), "x");
	cr_expect_null(json_string(v, "n"));
	cr_expect_null(json_string(v, "missing"));
	cr_expect(YAJL_IS_NULL(json_get(json_get(v, "o"), "b")));
	cr_expect_null(json_get(json_get(v, "a"), "b"));	/* not an object */
	cr_expect_null(json_get(NULL, "a"));
	yajl_tree_free(v);
}

Test(json_util, numbers_keep_their_text)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	regen("[1.50,1e3,-0,0.1,123456789012345678901234567890,1E-7]", &b);
	cr_expect_str_eq((char *)b.data,
	    "[1.50,1e3,-0,0.1,123456789012345678901234567890,1E-7]");
	pd_buf_free(&b);
}

Test(json_util, regeneration_is_canonical)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	regen(" { \"a\" : [ true , false , null ] , \"b\" : { } , \"c\" : [ ] } ",
	    &b);
	cr_expect_str_eq((char *)b.data,
	    "{\"a\":[true,false,null],\"b\":{},\"c\":[]}");
	pd_buf_reset(&b);
	regen("{\"k\\\"ey\":\"line\\nbreak \\u00e9 \\u2713 tab\\t\"}", &b);
	cr_expect_str_eq((char *)b.data,
	    "{\"k\\\"ey\":\"line\\nbreak \xc3\xa9 \xe2\x9c\x93 tab\\t\"}");
	pd_buf_free(&b);
}

Test(json_util, gen_helpers)
{
	struct pd_buf	b;
	yajl_gen	g;

	pd_buf_init(&b, 0);
	g = yajl_gen_alloc(NULL);
	cr_assert(yajl_gen_map_open(g) == yajl_gen_status_ok);
	cr_expect_eq(json_gen_kv_str(g, "s", "a\"b"), 0);
	cr_expect_eq(json_gen_kv_str(g, "n", NULL), 0);
	cr_expect_eq(json_gen_kv_int(g, "i", -9007199254740993LL), 0);
	cr_expect_eq(json_gen_kv_bool(g, "t", 1), 0);
	cr_expect_eq(json_gen_kv_null(g, "z"), 0);
	cr_assert(yajl_gen_map_close(g) == yajl_gen_status_ok);
	cr_assert_eq(json_gen_flush(g, &b), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "{\"s\":\"a\\\"b\",\"n\":null,"
	    "\"i\":-9007199254740993,\"t\":true,\"z\":null}");
	yajl_gen_free(g);
	pd_buf_free(&b);
}

Test(json_util, append_string_escapes)
{
	struct pd_buf	 b;
	yajl_val	 v;
	const char	 in[] = "q\" b\\ nl\n cr\r \x01\x1f\x7f \xc3\xa9 </script>";

	pd_buf_init(&b, 0);
	cr_assert_eq(json_append_string(&b, in, sizeof(in) - 1), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "\"q\\\" b\\\\ nl\\u000a cr\\u000d "
	    "\\u0001\\u001f\x7f \xc3\xa9 </script>\"");
	cr_assert_not_null(v = json_parse((char *)b.data, b.len, NULL, 0));
	cr_expect_str_eq(v->u.string, in);
	yajl_tree_free(v);
	pd_buf_free(&b);
}

Test(json_util, append_string_nul_and_bound)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	cr_assert_eq(json_append_string(&b, "a\0b", 3), 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "\"a\\u0000b\"");
	pd_buf_free(&b);

	pd_buf_init(&b, 4);
	cr_expect_eq(json_append_string(&b, "abcdef", 6), -1);
	pd_buf_free(&b);
}
