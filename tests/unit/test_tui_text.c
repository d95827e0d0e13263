/* Tests for the width-aware text module (tui/text.c): Japanese and other
 * wide text measured by wcwidth, truncation that never splits a wide
 * character or strands a combining mark, padding to exact widths, wrapping.
 * text.c has no curses in it, so it is compiled into this test directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "../../tui/text.c"

/* Columns of a wide string as the terminal will draw it. */
static int cols_of(const wchar_t *ws)
{
	return wcswidth(ws, wcslen(ws));
}

static void ascii_width_is_length(void **state)
{
	assert_int_equal(ks_text_width("hello"), 5);
	assert_int_equal(ks_text_width(""), 0);
	assert_int_equal(ks_text_width(NULL), 0);
}

static void japanese_counts_two_columns_each(void **state)
{
	assert_int_equal(ks_text_width("買収案件"), 8);
	assert_int_equal(ks_text_width("【至急】abc"), 11);
}

static void fits_unchanged_when_narrow_enough(void **state)
{
	int cols;
	g_autofree wchar_t *w = ks_text_fit("山田 太郎", 20, false, &cols);
	assert_true(wcscmp(w, L"山田 太郎") == 0);
	assert_int_equal(cols, 9);
}

static void truncation_ends_in_ellipsis_within_width(void **state)
{
	int cols;
	g_autofree wchar_t *w = ks_text_fit("abcdefghij", 5, false, &cols);
	assert_true(wcscmp(w, L"abcd…") == 0);
	assert_int_equal(cols, 5);
}

static void truncation_never_splits_a_wide_character(void **state)
{
	/* 6 columns: two wide characters (4) + ellipsis (1); the third would overflow */
	int cols;
	g_autofree wchar_t *w = ks_text_fit("至急極秘案件", 6, false, &cols);
	assert_true(wcscmp(w, L"至急…") == 0);
	assert_int_equal(cols, 5);
	assert_int_equal(cols_of(w), 5);
}

static void padding_fills_exactly_to_width_after_wide_cut(void **state)
{
	int cols;
	g_autofree wchar_t *w = ks_text_fit("至急極秘案件", 6, true, &cols);
	assert_int_equal(cols, 6);
	assert_int_equal(cols_of(w), 6);
	assert_true(wcscmp(w, L"至急… ") == 0);
}

static void combining_mark_stays_with_its_base(void **state)
{
	/* "e" + U+0301 COMBINING ACUTE is one column; cut after it keeps both */
	assert_int_equal(ks_text_width("cafe\xcc\x81s!"), 6);
	g_autofree wchar_t *w = ks_text_fit("cafe\xcc\x81s!", 5, false, NULL);
	assert_true(wcscmp(w, L"cafe\x0301…") == 0);
	/* a cut right before the base drops base and mark together */
	g_autofree wchar_t *w2 = ks_text_fit("abe\xcc\x81xyz", 3, false, NULL);
	assert_true(wcscmp(w2, L"ab…") == 0);
}

static void controls_and_invalid_bytes_become_replacement(void **state)
{
	g_autofree wchar_t *w = ks_text_fit("a\x1b[2Jb\xff", 20, false, NULL);
	assert_true(wcschr(w, 0x1b) == NULL);
	assert_true(wcscmp(w, L"a\xfffd[2Jb\xfffd") == 0);
}

/* a right-to-left override would reorder the rest of the line on screen;
 * its near miss, a zero-width joiner inside an emoji, is drawn as it is */
static void bidi_controls_become_replacement(void **state)
{
	g_autofree wchar_t *w = ks_text_fit("invoice\u202Efdp.exe \u2066x\u2069\u200F", 40, false, NULL);
	assert_true(wcscmp(w, L"invoice\xfffd" L"fdp.exe \xfffdx\xfffd\xfffd") == 0);
	g_autofree wchar_t *z = ks_text_fit("a\u200Db", 40, false, NULL);
	assert_true(wcscmp(z, L"a\x200d" L"b") == 0);
}

static void zero_width_gives_empty(void **state)
{
	int cols;
	g_autofree wchar_t *w = ks_text_fit("abc", 0, true, &cols);
	assert_int_equal(cols, 0);
	assert_true(wcscmp(w, L"") == 0);
}

static void cell_is_exactly_its_width(void **state)
{
	(void)state;
	g_autofree char *pad = ks_text_cell("ab", 5);
	assert_string_equal(pad, "ab   ");
	/* a wide character that does not fit whole leaves a space, never half */
	g_autofree char *cut = ks_text_cell("メール送信.example", 7);
	assert_string_equal(cut, "メール…");
	g_autofree char *odd = ks_text_cell("メール送信.example", 6);
	assert_int_equal(ks_text_width(odd), 6);
	assert_string_equal(odd, "メー… ");
	/* a combining mark stays with its base and takes no column */
	g_autofree char *mark = ks_text_cell("e\u0301\u0301vil", 4);
	assert_int_equal(ks_text_width(mark), 4);
	assert_string_equal(mark, "e\u0301\u0301vil");
	g_autofree char *empty = ks_text_cell(NULL, 2);
	assert_string_equal(empty, "  ");
}

static void wrap_breaks_at_spaces_and_keeps_width(void **state)
{
	g_autoptr(GPtrArray) l = ks_text_wrap("the quick brown fox", 10);
	assert_int_equal(l->len, 2);
	assert_string_equal(l->pdata[0], "the quick");
	assert_string_equal(l->pdata[1], "brown fox");
}

static void wrap_splits_japanese_between_characters(void **state)
{
	g_autoptr(GPtrArray) l = ks_text_wrap("現在海外企業の買収", 7);
	assert_int_equal(l->len, 3);
	for (guint i = 0; i < l->len; i++)
		assert_true(ks_text_width(l->pdata[i]) <= 7);
	assert_string_equal(l->pdata[0], "現在海");
}

/* A Japanese line after a space does not end at the space and leave the line
 * half empty: it breaks between wide characters, but never before 、 or 。
 * nor after 「 (kinsoku). */
static void wrap_fills_japanese_lines_after_a_space(void **state)
{
	g_autoptr(GPtrArray) l = ks_text_wrap("開く: 検知結果の根拠とルールの全文、添付されたメール", 20);
	assert_string_equal(l->pdata[0], "開く: 検知結果の根拠");
	for (guint i = 0; i < l->len; i++) {
		assert_true(ks_text_width(l->pdata[i]) <= 20);
		assert_false(g_str_has_prefix(l->pdata[i], "、"));
		assert_false(g_str_has_prefix(l->pdata[i], "。"));
	}
	g_autoptr(GPtrArray) k = ks_text_wrap("確認してください「至急」です", 16);
	assert_string_equal(k->pdata[0], "確認してください");
	assert_true(g_str_has_prefix(k->pdata[1], "「至急"));
	g_autoptr(GPtrArray) e = ks_text_wrap("送信済み、確認", 9);
	/* 、 may not begin a line: it stays with the word before it */
	assert_string_equal(e->pdata[0], "送信済");
	assert_string_equal(e->pdata[1], "み、確認");
}

static void wrap_keeps_newlines(void **state)
{
	g_autoptr(GPtrArray) l = ks_text_wrap("a\r\n\nb", 10);
	assert_int_equal(l->len, 3);
	assert_string_equal(l->pdata[1], "");
}

static void search_is_case_insensitive(void **state)
{
	assert_true(ks_text_contains("Reply-To", "reply"));
	assert_true(ks_text_contains("買収案件", "案件"));
	assert_false(ks_text_contains("abc", "x"));
}

/* A change made in summer shows summer's offset, whatever today's is:
 * Berlin is +02:00 in July and +01:00 in January. */
static void zone_is_the_offset_of_that_day(void **state)
{
	g_setenv("TZ", "Europe/Berlin", TRUE);
	assert_true(ks_text_set_zone("local"));
	g_autoptr(GDateTime) july = g_date_time_new_from_iso8601("2026-07-01T12:00:00Z", NULL);
	g_autoptr(GDateTime) january = g_date_time_new_from_iso8601("2026-01-15T12:00:00Z", NULL);
	g_autofree char *summer = ks_text_zone_at(july);
	g_autofree char *winter = ks_text_zone_at(january);
	assert_string_equal(summer, "+02:00");
	assert_string_equal(winter, "+01:00");
	g_autofree char *at = ks_text_time(july, "%H:%M");
	assert_string_equal(at, "14:00");
	/* a zone chosen with --tz is named the same every day; UTC as "UTC" */
	assert_true(ks_text_set_zone("UTC"));
	g_autofree char *utc = ks_text_zone_at(july);
	assert_string_equal(utc, "UTC");
	assert_true(ks_text_set_zone("JST"));
	g_autofree char *jst = ks_text_zone_at(january);
	assert_string_equal(jst, "+09:00");
	assert_true(ks_text_set_zone("local"));
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_width_is_length),
		cmocka_unit_test(japanese_counts_two_columns_each),
		cmocka_unit_test(fits_unchanged_when_narrow_enough),
		cmocka_unit_test(truncation_ends_in_ellipsis_within_width),
		cmocka_unit_test(truncation_never_splits_a_wide_character),
		cmocka_unit_test(padding_fills_exactly_to_width_after_wide_cut),
		cmocka_unit_test(combining_mark_stays_with_its_base),
		cmocka_unit_test(controls_and_invalid_bytes_become_replacement),
		cmocka_unit_test(bidi_controls_become_replacement),
		cmocka_unit_test(zero_width_gives_empty),
		cmocka_unit_test(cell_is_exactly_its_width),
		cmocka_unit_test(wrap_breaks_at_spaces_and_keeps_width),
		cmocka_unit_test(wrap_splits_japanese_between_characters),
		cmocka_unit_test(wrap_fills_japanese_lines_after_a_space),
		cmocka_unit_test(wrap_keeps_newlines),
		cmocka_unit_test(search_is_case_insensitive),
		cmocka_unit_test(zone_is_the_offset_of_that_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
