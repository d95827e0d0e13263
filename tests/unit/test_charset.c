/* charset.c: unlabelled 8-bit text, RFC 2047 and RFC 2231 as real senders
 * write them.  Each case is a byte string cut from a corpus message that the
 * differential test (tests/e2e/test_differential.py) showed read wrongly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mail/charset.h"

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
		"name", NULL, NULL);
	assert_string_equal(name, "Картинка чт\xEF\xBF\xBD");
}

static void utf8_with_one_stray_byte_in_the_middle_stays_utf8(void **state)
{
	(void)state;
	/* "Никонов" + 0xF1 + " <a@b>" (flanker mailformed-headers.eml's From) */
	const char raw[] = "\xD0\x9D\xD0\xB8\xD0\xBA\xD0\xBE\xD0\xBD\xD0\xBE\xD0\xB2\xF1 <a@b>";
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw), NULL);
	assert_string_equal(s, "Никонов\xEF\xBF\xBD <a@b>");
}

/* the guesses before it are unchanged: raw Shift_JIS (CP932) and Latin-1 */
static void raw_sjis_is_still_cp932(void **state)
{
	(void)state;
	const char raw[] = "\x90\xBF\x8B\x81\x8F\x91"; /* 請求書 */
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw), NULL);
	assert_string_equal(s, "請求書");
}

static void latin1_is_still_windows_1252(void **state)
{
	(void)state;
	const char raw[] = "Caf\xE9 cr\xE8me \x80"; /* é è € */
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw), NULL);
	assert_string_equal(s, "Café crème €");
}

/* UTF-8 mislabelled with a single-byte charset decodes as UTF-8; real
 * Latin-1 under the same label stays Latin-1. */
static void utf8_labelled_latin1_is_utf8(void **state)
{
	(void)state;
	const char utf8[] = "\xE6\x8C\xAF\xE8\xBE\xBC\xE5\x85\x88 caf\xC3\xA9"; /* 振込先 café */
	g_autofree char *s = ks_charset_to_utf8(utf8, strlen(utf8), "iso-8859-1", NULL, NULL);
	assert_string_equal(s, "振込先 café");
	g_autofree char *k = ks_charset_to_utf8(utf8, strlen(utf8), "windows-1251", NULL, NULL);
	assert_string_equal(k, "振込先 café");
	const char latin[] = "Caf\xE9 cr\xE8me";
	g_autofree char *l = ks_charset_to_utf8(latin, strlen(latin), "ISO-8859-1", NULL, NULL);
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
			ks_charset_to_utf8(cases[i].bytes, strlen(cases[i].bytes), cases[i].label, NULL, NULL);
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

/* ---- raw 8-bit text guessed by plausibility ---- */

/* true when s holds a Private Use Area character (U+E000..U+F8FF) */
static bool has_private_use(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= 0xE000 && c <= 0xF8FF)
			return true;
	}
	return false;
}

static void assert_guess(const char *raw, const char *const *declared, const char *want)
{
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw), declared);
	assert_string_equal(s, want);
	assert_false(has_private_use(s));
}

/* Latin-1 text that CP932 also decodes cleanly, into a user-defined
 * character (ö+s) or a level-2 kanji between Latin letters (ç+ã) */
static void latin1_header_is_not_cp932(void **state)
{
	(void)state;
	assert_guess("Die Hasen und die Fr\xF6sche", NULL, "Die Hasen und die Frösche");
	assert_guess("Forma\xE7\xE3o", NULL, "Formação");
	assert_guess("Stra\xDF" "e und Pl\xE4tze", NULL, "Straße und Plätze");
	assert_guess("FRAN\xC7" "AIS", NULL, "FRANÇAIS");
}

/* windows-1252's own punctuation: quotes, dashes, the euro sign */
static void windows_1252_punctuation(void **state)
{
	(void)state;
	assert_guess("\x93Rechnung\x94 \x96 100 \x80", NULL, "“Rechnung” – 100 €");
	assert_guess("word\x97word", NULL, "word—word");
}

/* a charset the message declares is a candidate: ISO-8859-2 "Domače" (č is
 * 0xE8, è in windows-1252; CP932 made it 鐺) */
static void declared_iso_8859_2_wins(void **state)
{
	(void)state;
	const char *const declared[] = {"iso-8859-2", NULL};
	assert_guess("Doma\xE8" "e", declared, "Domače");
	g_autofree char *undeclared = ks_charset_guess_to_utf8("Doma\xE8" "e", 6, NULL);
	assert_string_equal(undeclared, "Domaèe");
	const char *const koi8[] = {"koi8-r", NULL};
	assert_guess("\xF3\xDE\xC5\xD4 \xCE\xC1 \xCF\xD0\xCC\xC1\xD4\xD5", koi8, "Счет на оплату");
}

/* Japanese stays the first guess where it reads plausibly */
static void japanese_raw_headers_stay_japanese(void **state)
{
	(void)state;
	/* CP932: 請求書の送付について, and "A社とB社" with kanji beside capitals */
	assert_guess("\x90\xBF\x8B\x81\x8F\x91\x82\xCC\x91\x97\x95\x74\x82\xC9\x82\xC2\x82\xA2\x82\xC4",
	             NULL, "請求書の送付について");
	assert_guess("A\x8E\xD0\x82\xC6" "B\x8E\xD0", NULL, "A社とB社");
	assert_guess("Windows\x97\x70\x82\xCC\x83\x5C\x83\x74\x83\x67", NULL, "Windows用のソフト");
	/* EUC-JP, unlabelled: CP932 would read half-width katakana and PUA */
	assert_guess("\xC0\xC1\xB5\xE1\xBD\xF1\xA4\xCE\xC1\xF7\xC9\xD5\xA4\xCB\xA4\xC4\xA4\xA4\xA4\xC6",
	             NULL, "請求書の送付について");
	/* UTF-8 */
	assert_guess("\xE8\xAB\x8B\xE6\xB1\x82\xE6\x9B\xB8 caf\xC3\xA9", NULL, "請求書 café");
	/* half-width katakana as old Japanese mailers wrote it */
	assert_guess("\xB6\xCC\xDE\xBC\xB7\xB6\xDE\xB2\xBC\xAC", NULL, "ｶﾌﾞｼｷｶﾞｲｼｬ");
}

/* A Japanese mobile emoji (CP932's user-defined area, so private use) in
 * Japanese text: still the best reading of the bytes */
static void japanese_with_a_carrier_emoji_stays_cp932(void **state)
{
	(void)state;
	const char raw[] = "\x82\xA8\x94\xE6\x82\xEA\x97\x6C\xF8\x9F";
	g_autofree char *s = ks_charset_guess_to_utf8(raw, strlen(raw), NULL);
	assert_true(g_str_has_prefix(s, "お疲れ様"));
}

/* ---- UTF-16 and UTF-32 encoded-words decode whole ---- */

static void utf16_and_utf32_encoded_words_decode_whole(void **state)
{
	(void)state;
	static const char *const words[] = {
		/* UTF-16 with a BOM (LE), UTF-16LE, UTF-16BE, UTF-16 without a BOM
		 * written little-endian, UTF-32 with a BOM, UTF-32LE */
		"=?UTF-16?B?//5EAGUAcwBpAGcAbgAgAGEAbgBkACAAbQBhAG4AdQBmAGEAYwB0AHUAcgBpAG4AZwA=?=",
		"=?UTF-16LE?B?RABlAHMAaQBnAG4AIABhAG4AZAAgAG0AYQBuAHUAZgBhAGMAdAB1AHIAaQBuAGcA?=",
		"=?utf-16be?B?AEQAZQBzAGkAZwBuACAAYQBuAGQAIABtAGEAbgB1AGYAYQBjAHQAdQByAGkAbgBn?=",
		"=?UTF-16?B?RABlAHMAaQBnAG4AIABhAG4AZAAgAG0AYQBuAHUAZgBhAGMAdAB1AHIAaQBuAGcA?=",
		"=?UTF-32?B?//4AAEQAAABlAAAAcwAAAGkAAABnAAAAbgAAACAAAABhAAAAbgAAAGQAAAAgAAAAbQAAAGEA"
		"AABuAAAAdQAAAGYAAABhAAAAYwAAAHQAAAB1AAAAcgAAAGkAAABuAAAAZwAAAA==?=",
		"=?UTF-32LE?B?RAAAAGUAAABzAAAAaQAAAGcAAABuAAAAIAAAAGEAAABuAAAAZAAAACAAAABtAAAAYQAAAG4A"
		"AAB1AAAAZgAAAGEAAABjAAAAdAAAAHUAAAByAAAAaQAAAG4AAABnAAAA?=",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		bool broken = true;
		g_autofree char *s = ks_rfc2047_decode(words[i], false, NULL, &broken);
		assert_string_equal(s, "Design and manufacturing");
		assert_false(broken);
	}
	/* Japanese in UTF-16BE: 請求書 */
	g_autofree char *ja = ks_rfc2047_decode("=?UTF-16BE?B?istsQmb4?=", false, NULL, NULL);
	assert_string_equal(ja, "請求書");
}

/* ---- RFC 2231 values keep their NUL bytes ---- */

static void rfc2231_name_keeps_nul_bytes(void **state)
{
	(void)state;
	gsize len = 0;
	g_autofree char *name =
		ks_param_get("attachment; filename*=UTF-8''x%00y%0A.sh", "filename", NULL, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(name, "x\0y\n.sh", 7);
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
		cmocka_unit_test(latin1_header_is_not_cp932),
		cmocka_unit_test(windows_1252_punctuation),
		cmocka_unit_test(declared_iso_8859_2_wins),
		cmocka_unit_test(japanese_raw_headers_stay_japanese),
		cmocka_unit_test(japanese_with_a_carrier_emoji_stays_cp932),
		cmocka_unit_test(utf16_and_utf32_encoded_words_decode_whole),
		cmocka_unit_test(rfc2231_name_keeps_nul_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
