/* Tests for the raw view's model (tui/rawsrc.c): lines sanitized one by one
 * and cut when too long, the line limit said at the end, and where a header
 * (folded lines included), a Received hop and a MIME part lie.  rawsrc.c has
 * no curses in it, so it is compiled into this test directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../tui/rawsrc.c"

static ks_raw_source *source(const char *text, int max_lines)
{
	g_autoptr(GBytes) b = g_bytes_new(text, strlen(text));
	return ks_raw_source_new(b, max_lines);
}

static const char mixed[] =
	"Received: from c by d\r\n"
	"\tfor <x@example.com>\r\n"
	"Received: from a by b\r\n"
	"From: a@example.com\r\n"
	"X-Tag: one\r\n"
	"x-tag : two\r\n"
	" folded\r\n"
	"Content-Type: multipart/mixed;\r\n"
	"\tboundary=\"outer\"\r\n"
	"\r\n"
	"preamble\r\n"
	"--outer\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"hello\r\n"
	"--outer\r\n"
	"Content-Type: multipart/alternative; boundary=inner\r\n"
	"\r\n"
	"--inner\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"a\r\n"
	"--inner \r\n"
	"Content-Type: application/zip\r\n"
	"\r\n"
	"UEsDBA==\r\n"
	"--inner--\r\n"
	"--outer--\r\n";

static void lines_escape_controls_and_invalid_utf8_and_show_tabs_as_spaces(void **state)
{
	g_autoptr(ks_raw_source) s = source("Subject: \x1b[2J\x90\xbf\r\n\tx\ty\n", 100);
	g_autoptr(GPtrArray) l = ks_raw_source_lines(s, 2000);
	assert_int_equal(l->len, 2);
	assert_string_equal(l->pdata[0], "Subject: \\x1B[2J\\x90\\xBF");
	assert_string_equal(l->pdata[1], " x y");
}

static void long_line_is_cut_with_a_marker_not_inside_a_character(void **state)
{
	/* "ab" then a three-byte character straddling the cut at 3 */
	g_autoptr(ks_raw_source) s = source("ab\xe6\x97\xa5zz\n", 100);
	g_autoptr(GPtrArray) l = ks_raw_source_lines(s, 3);
	assert_string_equal(l->pdata[0], "ab ⟪line cut: 5 more bytes⟫");
}

static void line_limit_is_said_at_the_end(void **state)
{
	g_autoptr(ks_raw_source) s = source("1\n2\n3\n4", 2);
	g_autoptr(GPtrArray) l = ks_raw_source_lines(s, 2000);
	assert_int_equal(l->len, 4);
	assert_string_equal(l->pdata[1], "2");
	assert_string_equal(l->pdata[3], "⟪only the first 2 of 4 lines are shown⟫");
}

static void nth_header_found_case_insensitively_with_folded_lines(void **state)
{
	g_autoptr(ks_raw_source) s = source(mixed, 1000);
	int from, to;
	assert_true(ks_raw_source_find_header(s, "X-TAG", 1, &from, &to));
	assert_int_equal(from, 5);
	assert_int_equal(to, 6);
	assert_true(ks_raw_source_find_header(s, "from", 0, &from, &to));
	assert_int_equal(from, 3);
	assert_int_equal(to, 3);
	assert_false(ks_raw_source_find_header(s, "X-Tag", 2, &from, &to));
	/* headers of parts are not the message's */
	assert_true(ks_raw_source_find_header(s, "Content-Type", 0, &from, &to));
	assert_false(ks_raw_source_find_header(s, "Content-Type", 1, &from, &to));
}

static void received_headers_are_found_by_their_place(void **state)
{
	/* a hop keeps the place of its Received header (ks_hop.header_index) */
	g_autoptr(ks_raw_source) s = source(mixed, 1000);
	int from, to;
	assert_true(ks_raw_source_find_header(s, "Received", 1, &from, &to));
	assert_int_equal(from, 2);
	assert_int_equal(to, 2);
	assert_true(ks_raw_source_find_header(s, "Received", 0, &from, &to));
	assert_int_equal(from, 0);
	assert_int_equal(to, 1);
	assert_false(ks_raw_source_find_header(s, "Received", 2, &from, &to));
	assert_false(ks_raw_source_find_header(s, "Received", -1, &from, &to));
}

static void part_found_by_path_through_nested_boundaries(void **state)
{
	g_autoptr(ks_raw_source) s = source(mixed, 1000);
	int from, to;
	assert_true(ks_raw_source_find_part(s, "1", &from, &to));
	assert_int_equal(from, 12);
	assert_int_equal(to, 14);
	assert_true(ks_raw_source_find_part(s, "2/2", &from, &to));
	assert_int_equal(from, 23); /* a delimiter with padding after it counts */
	assert_int_equal(to, 25);
	/* an archive entry: the MIME part holding it */
	assert_true(ks_raw_source_find_part(s, "2/2/1", &from, &to));
	assert_int_equal(from, 23);
	assert_int_equal(to, 25);
	assert_false(ks_raw_source_find_part(s, "3", &from, &to));
}

static void single_part_message_is_part_one(void **state)
{
	g_autoptr(ks_raw_source) s = source("Content-Type: text/plain\n\nhi\n", 1000);
	int from, to;
	assert_true(ks_raw_source_find_part(s, "1", &from, &to));
	assert_int_equal(from, 0);
	assert_int_equal(to, 2);
	assert_false(ks_raw_source_find_part(s, "2", &from, &to));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_escape_controls_and_invalid_utf8_and_show_tabs_as_spaces),
		cmocka_unit_test(long_line_is_cut_with_a_marker_not_inside_a_character),
		cmocka_unit_test(line_limit_is_said_at_the_end),
		cmocka_unit_test(nth_header_found_case_insensitively_with_folded_lines),
		cmocka_unit_test(received_headers_are_found_by_their_place),
		cmocka_unit_test(part_found_by_path_through_nested_boundaries),
		cmocka_unit_test(single_part_message_is_part_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
