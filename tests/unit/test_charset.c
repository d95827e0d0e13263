/* charset.c: unlabelled 8-bit text, RFC 2047 and RFC 2231 as real senders
 * write them.  Each case is a byte string cut from a corpus message that the
 * differential test (tests/e2e/test_differential.py) showed read wrongly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "charset.h"

#include <string.h>

/* Yahoo cut this raw UTF-8 name at a byte limit, inside a character (flanker
 * russian-attachment-yahoo.eml): it is UTF-8 with one broken tail, not
 * windows-1252. */
static void utf8_name_cut_mid_character_stays_utf8(void **state)
{
	(void)state;
	g_autofree char *name = ks_param_get(
		"image/png; name=\"\xD0\x9A\xD0\xB0\xD1\x80\xD1\x82\xD0\xB8\xD0\xBD\xD0\xBA\xD0\xB0 "
		"\xD1\x87\xD1\x82\xD0\"",
		"name");
	assert_string_equal(name, "Картинка чт\xEF\xBF\xBD");
}

static void utf8_with_one_stray_byte_in_the_middle_stays_utf8(void **state)
{
	(void)state;
	/* "Никонов" + 0xF1 + " <a@b>" (flanker mailformed-headers.eml's From) */
	const char raw[] = "\xD0\x9D\xD0\xB8\xD0\xBA\xD0\xBE\xD0\xBD\xD0\xBE\xD0\xB2\xF1 <a@b>";
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw));
	assert_string_equal(s, "Никонов\xEF\xBF\xBD <a@b>");
}

/* the guesses before it are unchanged: raw Shift_JIS (CP932) and Latin-1 */
static void raw_sjis_is_still_cp932(void **state)
{
	(void)state;
	const char raw[] = "\x90\xBF\x8B\x81\x8F\x91"; /* 請求書 */
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw));
	assert_string_equal(s, "請求書");
}

static void latin1_is_still_windows_1252(void **state)
{
	(void)state;
	const char raw[] = "Caf\xE9 cr\xE8me \x80"; /* é è € */
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw));
	assert_string_equal(s, "Café crème €");
}

/* UTF-8 mislabelled with a single-byte charset decodes as UTF-8; real
 * Latin-1 under the same label stays Latin-1. */
static void utf8_labelled_latin1_is_utf8(void **state)
{
	(void)state;
	const char utf8[] = "\xE6\x8C\xAF\xE8\xBE\xBC\xE5\x85\x88 caf\xC3\xA9"; /* 振込先 café */
	g_autofree char *s = ks_charset_to_utf8(utf8, strlen(utf8), "iso-8859-1", NULL);
	assert_string_equal(s, "振込先 café");
	g_autofree char *k = ks_charset_to_utf8(utf8, strlen(utf8), "windows-1251", NULL);
	assert_string_equal(k, "振込先 café");
	const char latin[] = "Caf\xE9 cr\xE8me";
	g_autofree char *l = ks_charset_to_utf8(latin, strlen(latin), "ISO-8859-1", NULL);
	assert_string_equal(l, "Café crème");
}

/* Japanese text under the wrong Japanese label: ISO-2022-JP is 7-bit, so
 * 8-bit text under it is Shift_JIS or UTF-8; bytes a label cannot hold send
 * the text to the charset that decodes it cleanly.  (EUC-JP under a
 * Shift_JIS label often decodes cleanly as half-width kana: not caught.) */
static void mislabelled_japanese_decodes(void **state)
{
	(void)state;
	const char sjis[] = "\x90\xBF\x8B\x81\x8F\x91\x82\xF0\x91\x97\x82\xE8\x82\xDC\x82\xB7\x81\x42";
	const char utf8[] = "請求書を送ります。";
	const char eucjp[] = "\xC0\xC1\xB5\xE1\xBD\xF1\xA4\xF2\xC1\xF7\xA4\xEA\xA4\xDE\xA4\xB9\xA1\xA3";
	const struct {
		const char *bytes, *label;
	} cases[] = {
		{sjis, "ISO-2022-JP"}, {utf8, "ISO-2022-JP"}, {utf8, "Shift_JIS"},
		{eucjp, "UTF-8"},      {sjis, "iso-8859-1"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *s =
			ks_charset_to_utf8(cases[i].bytes, strlen(cases[i].bytes), cases[i].label, NULL);
		assert_string_equal(s, utf8);
	}
}

/* ks_charset_nfkc copies kana, ideographs and ASCII as they are: what it
 * gives must be g_utf8_normalize's NFKC, also where a sound mark follows a
 * kana it must join, and for half-width and full-width forms. */
static void nfkc_agrees_with_glib(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"plain ASCII, nothing to do",
		"請求書のご確認をお願いします。",
		"\xE3\x81\x8B\xE3\x82\x99", /* か + combining voiced mark: が */
		"\xE3\x83\x8F\xE3\x82\x9A\xE3\x82\xB9", /* ハ + combining semi-voiced mark + ス */
		"ｶﾞｲﾄﾞ ﾊﾟｽﾜｰﾄﾞ",
		"Ｒｅ：口座番号：１２３－４５６７\xE3\x80\x80（株）",
		"e\xCC\x81t\xC3\xA9 \xEF\xAC\x81 \xE2\x91\xA0",
		"",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autofree char *want = g_utf8_normalize(texts[i], -1, G_NORMALIZE_NFKC);
		g_autofree char *got = ks_charset_nfkc(texts[i], strlen(texts[i]));
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_name_cut_mid_character_stays_utf8),
		cmocka_unit_test(utf8_with_one_stray_byte_in_the_middle_stays_utf8),
		cmocka_unit_test(raw_sjis_is_still_cp932),
		cmocka_unit_test(latin1_is_still_windows_1252),
		cmocka_unit_test(utf8_labelled_latin1_is_utf8),
		cmocka_unit_test(mislabelled_japanese_decodes),
		cmocka_unit_test(nfkc_agrees_with_glib),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
