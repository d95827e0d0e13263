/* Unit tests for analyzers/core/sanitize.c, the one gate between attacker
 * text and a terminal: escape sequences, C1 controls, bidi and invisible
 * format characters, invalid UTF-8, each mode's handling of line ends and
 * NUL, text that must pass unchanged (Japanese, ZWJ emoji), and a property
 * over random bytes: nothing that comes out can move a cursor, change a
 * colour or reorder text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/sanitize.h"

#include <glib.h>
#include <string.h>

static void expect_line(const char *in, const char *want, bool want_changed)
{
	bool changed = !want_changed;
	g_autofree char *out = ks_sanitize(in, KS_SANITIZE_LINE, &changed);
	assert_string_equal(out, want);
	assert_true(changed == want_changed);
}

static void escape_sequences_and_c0_become_visible(void **state)
{
	(void)state;
	expect_line("\x1b[31mred\x1b[0m", "\\x1B[31mred\\x1B[0m", true);
	expect_line("\x1b]52;c;AAAA\x07", "\\x1B]52;c;AAAA\\x07", true);
	expect_line("bell\x07 del\x7f", "bell\\x07 del\\x7F", true);
	expect_line("back\bspace", "back\\x08space", true);
}

static void c1_controls_and_bidi_are_named(void **state)
{
	(void)state;
	/* U+009B is CSI on terminals that read C1 */
	expect_line("a\xc2\x9b" "31mb", "a\\u009B31mb", true);
	/* "Trojan Source": RLO reverses what follows; ZWSP and tag characters hide */
	expect_line("invoice\xe2\x80\xae" "fdp.exe", "invoice<U+202E>fdp.exe", true);
	expect_line("pay\xe2\x80\x8bpal", "pay<U+200B>pal", true);
	expect_line("x\xf3\xa0\x81\x81y", "x<U+E0041>y", true);
	expect_line("\xef\xbb\xbfhello", "<U+FEFF>hello", true);
}

static void text_people_write_passes_unchanged(void **state)
{
	(void)state;
	expect_line("【至急・極秘】買収案件について", "【至急・極秘】買収案件について", false);
	expect_line("Grüße aus München — 50 €", "Grüße aus München — 50 €", false);
	/* ZWJ and ZWNJ are kept: emoji sequences and Persian need them */
	expect_line("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", "👩‍💻", false);
	expect_line("می\xe2\x80\x8cخواهم", "می\xe2\x80\x8cخواهم", false);
	g_autofree char *empty = ks_sanitize(NULL, KS_SANITIZE_LINE, NULL);
	assert_string_equal(empty, "");
}

static void invalid_utf8_bytes_are_shown_as_hex(void **state)
{
	(void)state;
	expect_line("a\xffz", "a\\xFFz", false);
	/* a sequence cut short: each byte on its own */
	expect_line("\xe3\x81", "\\xE3\\x81", false);
	/* an overlong encoding of '/' is no slash */
	expect_line("\xc0\xaf", "\\xC0\\xAF", false);
}

static void each_mode_treats_line_ends_its_way(void **state)
{
	(void)state;
	/* one line: tab, CR and LF become spaces (no escape, nothing hidden) */
	expect_line("a\tb\r\nc", "a b  c", false);
	/* multiline: LF and tab kept, CR dropped, U+2028 a new line */
	g_autofree char *ml = ks_sanitize("a\r\n\tb\xe2\x80\xa8" "c", KS_SANITIZE_MULTILINE, NULL);
	assert_string_equal(ml, "a\n\tb\nc");
	/* a file name: every control written as C writes it, NUL included */
	static const char name[] = "x\0y\n.sh";
	bool changed = false;
	g_autofree char *n = ks_sanitize_len(name, sizeof name - 1, KS_SANITIZE_NAME, &changed);
	assert_string_equal(n, "x\\0y\\n.sh");
	assert_true(changed);
	g_autofree char *tab = ks_sanitize("a\tb\rc", KS_SANITIZE_NAME, NULL);
	assert_string_equal(tab, "a\\tb\\rc");
}

/* Kept text is copied by runs: each escape still lands where its
 * character was, between Japanese, tabs and line breaks of a body */
static void kept_runs_end_at_each_escape(void **state)
{
	(void)state;
	bool changed = false;
	g_autofree char *body = ks_sanitize("口座\t変更\n\xe2\x80\xaeお\xc2\x9bい\xffし\x1bた\r\nま\xe2\x80\xa9す",
	                                    KS_SANITIZE_MULTILINE, &changed);
	assert_string_equal(body, "口座\t変更\n<U+202E>お\\u009Bい\\xFFし\\x1Bた\nま\nす");
	assert_true(changed);
	/* a character cut by the end of the bytes given is shown as its bytes */
	g_autofree char *cut = ks_sanitize_len("かき", 5, KS_SANITIZE_LINE, NULL);
	assert_string_equal(cut, "か\\xE3\\x81");
	expect_line("請求書\tの件", "請求書 の件", false);
}

/* The text passes' reading of kanji and kana: whole letters only, and
 * never past the end given */
static void plain_cjk_letters_are_read_whole(void **state)
{
	(void)state;
	static const char s[] = "口あーカ\xe5\x8f";
	const char *end = s + sizeof s - 1;
	assert_int_equal(ks_utf8_plain_cjk_at(s, end), 0x53E3);     /* 口 */
	assert_int_equal(ks_utf8_plain_cjk_at(s + 3, end), 0x3042); /* あ */
	assert_int_equal(ks_utf8_plain_cjk_at(s + 6, end), 0);      /* ー: a modifier letter */
	assert_int_equal(ks_utf8_plain_cjk_at(s + 9, end), 0x30AB); /* カ */
	assert_int_equal(ks_utf8_plain_cjk_at(s + 12, end), 0);     /* cut after two bytes */
	assert_int_equal(ks_utf8_plain_cjk_at(s, s + 2), 0);        /* the end comes first */
	static const char broken[] = "\xe5\x41\x8f";
	assert_int_equal(ks_utf8_plain_cjk_at(broken, broken + 3), 0); /* no continuation */
	assert_int_equal(ks_utf8_plain_cjk_at(s + 6, s + 7), 0);
}

static void needed_says_whether_anything_is_escaped(void **state)
{
	(void)state;
	assert_false(ks_sanitize_needed("plain text, 日本語"));
	assert_true(ks_sanitize_needed("\x1b[2J"));
	assert_true(ks_sanitize_needed("a\xe2\x80\xae" "b"));
	assert_false(ks_sanitize_needed(NULL));
}

/* A code point that could move the cursor, recolour or reorder text. */
static bool dangerous(gunichar c, bool multiline)
{
	if (c < 0x20)
		return !(multiline && (c == '\n' || c == '\t'));
	return c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C ||
	       c == 0x2028 || c == 0x2029;
}

static void random_bytes_never_come_out_dangerous(void **state)
{
	(void)state;
	g_autoptr(GRand) rnd = g_rand_new_with_seed(20261207);
	/* bytes drawn mostly from the troublesome ranges */
	static const guint8 pool[] = {0x00, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x80,
	                              0x9b, 0xc2, 0xe2, 0x80, 0xae, 0xa8, 0xf3, 0xa0, 0xff,
	                              'a', '[', ';', 'm', 0xe3, 0x81, 0x82, 0xef, 0xbb};
	for (int round = 0; round < 3000; round++) {
		guint8 buf[48];
		size_t len = (size_t)g_rand_int_range(rnd, 0, sizeof buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = pool[g_rand_int_range(rnd, 0, sizeof pool)];
		for (int mode = KS_SANITIZE_LINE; mode <= KS_SANITIZE_NAME; mode++) {
			g_autofree char *out =
				ks_sanitize_len((const char *)buf, len, (ks_sanitize_mode)mode, NULL);
			assert_true(g_utf8_validate(out, -1, NULL));
			for (const char *p = out; *p; p = g_utf8_next_char(p))
				assert_false(dangerous(g_utf8_get_char(p), mode == KS_SANITIZE_MULTILINE));
		}
	}
}

static void lower_case_survives_invalid_utf8(void **state)
{
	(void)state;
	g_autofree char *a = ks_utf8_down("PayPal ÄÖ");
	assert_string_equal(a, "paypal äö");
	g_autofree char *b = ks_utf8_down("AB\xff\xe3");
	assert_true(g_utf8_validate(b, -1, NULL));
	assert_true(g_str_has_prefix(b, "ab"));
}

/* ks_utf8_down lowers ASCII and CJK by runs and the rest through GLib:
 * the result is g_utf8_strdown's on every mix of them. */
static void lower_case_by_runs_is_glibs(void **state)
{
	(void)state;
	const char *texts[] = {
		"",
		"PayPal",
		"ＡＭＡＺＯＮ 日本語 Straße ΣΊΣΥΦΟΣ",
		"ご請求AMAZONアカウント確認",
		"İSTANBUL ǅ ⅯⅯ Ⓐ ΑΒΓ АБВ",
		"mixed: Ａpple日本ÉTÉ\n\tTAB",
		"\xe3\x80\x80\xe9\xbf\xbf\xea\xb0\x80Ａ",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autofree char *want = g_utf8_strdown(texts[i], -1);
		g_autofree char *got = ks_utf8_down(texts[i]);
		assert_string_equal(got, want);
	}
	/* General Punctuation is copied, not lowered by GLib: alone, and
	 * beside a Greek capital sigma (final or not by what follows it) */
	for (gunichar c = 0x2000; c <= 0x206F; c++) {
		char u[7] = {0};
		g_unichar_to_utf8(c, u);
		static const char *const around[] = {"%s", "ΣΟΦΟΣ%sΑ", "A%sΣ", "Σ%sΣ"};
		for (size_t k = 0; k < G_N_ELEMENTS(around); k++) {
			g_autofree char *text = g_strdup_printf(around[k], u);
			g_autofree char *want = g_utf8_strdown(text, -1);
			g_autofree char *got = ks_utf8_down(text);
			if (strcmp(got, want) != 0)
				fail_msg("U+%04X in \"%s\": \"%s\", GLib \"%s\"", c, text, got, want);
		}
	}
}

/* Case folding by the same runs: GLib's g_utf8_casefold for the texts
 * above, and every character the runs copy unfolded (General Punctuation
 * and superscripts, E2 80..81; U+3000..U+9FFF, E3..E9) alone and between
 * capitals. */
static void case_folding_by_runs_is_glibs(void **state)
{
	(void)state;
	const char *texts[] = {
		"", "PayPal", "ＡＭＡＺＯＮ 日本語 Straße ΣΊΣΥΦΟΣ", "İSTANBUL ǅ ⅯⅯ Ⓐ ΑΒΓ АБВ ẞ ﬀ",
		"mixed: Ａpple日本ÉTÉ\n\tTAB", "Dear Hanako-San, ご請求書の件",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autofree char *want = g_utf8_casefold(texts[i], -1);
		g_autofree char *got = ks_utf8_casefold(texts[i]);
		assert_string_equal(got, want);
	}
	static const gunichar ranges[][2] = {{0x2000, 0x207F}, {0x3000, 0x9FFF}};
	for (size_t r = 0; r < G_N_ELEMENTS(ranges); r++)
		for (gunichar c = ranges[r][0]; c <= ranges[r][1]; c++) {
			char u[7] = {0};
			g_unichar_to_utf8(c, u);
			g_autofree char *text = g_strdup_printf("A%sÉ%s", u, u);
			g_autofree char *want = g_utf8_casefold(text, -1);
			g_autofree char *got = ks_utf8_casefold(text);
			if (strcmp(got, want) != 0)
				fail_msg("U+%04X: \"%s\", GLib \"%s\"", c, got, want);
		}
	/* invalid UTF-8 is made valid first, as ks_utf8_down does */
	g_autofree char *bad = ks_utf8_casefold("AB\xff\xfe" "C");
	assert_string_equal(bad, "ab\xef\xbf\xbd\xef\xbf\xbd" "c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_sequences_and_c0_become_visible),
		cmocka_unit_test(c1_controls_and_bidi_are_named),
		cmocka_unit_test(text_people_write_passes_unchanged),
		cmocka_unit_test(invalid_utf8_bytes_are_shown_as_hex),
		cmocka_unit_test(each_mode_treats_line_ends_its_way),
		cmocka_unit_test(needed_says_whether_anything_is_escaped),
		cmocka_unit_test(random_bytes_never_come_out_dangerous),
		cmocka_unit_test(lower_case_survives_invalid_utf8),
		cmocka_unit_test(lower_case_by_runs_is_glibs),
		cmocka_unit_test(case_folding_by_runs_is_glibs),
		cmocka_unit_test(kept_runs_end_at_each_escape),
		cmocka_unit_test(plain_cjk_letters_are_read_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
