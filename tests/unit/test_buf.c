/* util/buf: growth, the upper bound, formatting and C strings. */
#include <string.h>

#include <criterion/criterion.h>

#include "util/buf.h"

Test(buf, append_grows_and_keeps_bytes)
{
	struct pd_buf	b;
	char		chunk[1000];
	size_t		i;

	pd_buf_init(&b, 0);
	memset(chunk, 'x', sizeof(chunk));
	for (i = 0; i < 100; i++)
		cr_assert_eq(pd_buf_append(&b, chunk, sizeof(chunk)), 0);
	cr_expect_eq(b.len, 100000);
	cr_expect_geq(b.cap, b.len + 1);
	cr_expect_eq(memchr(b.data, 'y', b.len), NULL);
	pd_buf_free(&b);
	cr_expect_null(b.data);
	cr_expect_eq(b.len, 0);
}

Test(buf, binary_data_with_nul)
{
	struct pd_buf	b;
	const uint8_t	in[] = { 0, 1, 0, 0xff };

	pd_buf_init(&b, 0);
	cr_assert_eq(pd_buf_append(&b, in, sizeof(in)), 0);
	cr_expect_eq(b.len, 4);
	cr_expect_arr_eq(b.data, in, sizeof(in));
	pd_buf_free(&b);
}

Test(buf, bound_refuses_and_leaves_buffer_unchanged)
{
	struct pd_buf	b;

	pd_buf_init(&b, 10);
	cr_assert_eq(pd_buf_appends(&b, "0123456789"), 0);
	cr_expect_eq(b.len, 10);
	cr_expect_eq(pd_buf_appendc(&b, 'x'), -1);
	cr_expect_eq(pd_buf_append(&b, "ab", 2), -1);
	cr_expect_eq(pd_buf_appendf(&b, "%d", 1), -1);
	cr_expect_eq(b.len, 10);
	/* The NUL terminator does not count against the bound. */
	cr_expect_str_eq(pd_buf_cstr(&b), "0123456789");
	pd_buf_free(&b);
}

Test(buf, bound_exact_fit_in_one_append)
{
	struct pd_buf	b;

	pd_buf_init(&b, 5);
	cr_expect_eq(pd_buf_append(&b, "abcdef", 6), -1);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(pd_buf_append(&b, "abcde", 5), 0);
	pd_buf_free(&b);
}

Test(buf, huge_length_does_not_wrap)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	cr_assert_eq(pd_buf_appendc(&b, 'a'), 0);
	cr_expect_eq(pd_buf_append(&b, "x", SIZE_MAX), -1);
	cr_expect_eq(pd_buf_append(&b, "x", SIZE_MAX - 1), -1);
	cr_expect_eq(b.len, 1);
	pd_buf_free(&b);
}

Test(buf, appendf_formats_long_output)
{
	struct pd_buf	b;
	char		big[600];

	pd_buf_init(&b, 0);
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(pd_buf_appendf(&b, "[%d:%s]", 42, big), 0);
	cr_expect_eq(b.len, strlen("[42:]") + strlen(big));
	cr_expect_eq(memcmp(b.data, "[42:zz", 6), 0);
	cr_expect_eq(b.data[b.len - 1], ']');
	pd_buf_free(&b);
}

Test(buf, reset_keeps_storage)
{
	struct pd_buf	 b;
	uint8_t		*p;

	pd_buf_init(&b, 0);
	cr_assert_eq(pd_buf_appends(&b, "hello"), 0);
	p = b.data;
	pd_buf_reset(&b);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(b.data, p);
	cr_expect_str_eq(pd_buf_cstr(&b), "");
	pd_buf_free(&b);
}

Test(buf, cstr_on_empty_buffer)
{
	struct pd_buf	b;

	pd_buf_init(&b, 0);
	cr_expect_str_eq(pd_buf_cstr(&b), "");
	pd_buf_free(&b);
	pd_buf_free(&b);	/* twice is harmless */
}
