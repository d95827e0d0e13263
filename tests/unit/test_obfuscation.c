/* obfuscation.c: each kind of disguised word is undone and reported, and
 * the ordinary text of other scripts (Japanese first) is left alone; hidden
 * HTML runs become findings of the right weight. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/obfuscation.h"

#include <string.h>

/* Cleans text into a fresh report's findings at "body"; returns the shown
 * text (g_free) and the report through *out. */
static char *clean_into(const char *text, ks_report **out)
{
	ks_report *r = ks_report_new();
	g_autoptr(ks_obfuscation) o = ks_obfuscation_new();
	char *shown = ks_obfuscation_clean(text, o);
	ks_obfuscation_report(o, "body", r);
	*out = r;
	return shown;
}

static const ks_finding *only_finding(const ks_report *r)
{
	assert_int_equal(r->findings->len, 1);
	const ks_finding *f = g_ptr_array_index(r->findings, 0);
	assert_int_equal(f->rule, KS_RULE_CONTENT_OBFUSCATED_TEXT);
	return f;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" lacks \"%s\"", hay, needle);
}

static void cyrillic_lookalikes_in_latin_words_are_undone(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = NULL;
	g_autofree char *shown = clean_into("Your Amаzon accоunt is on hоld", &r);
	assert_string_equal(shown, "Your Amazon account is on hold");
	const ks_finding *f = only_finding(r);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_contains(f->evidence, "3 words mix Latin");
	assert_contains(f->evidence, "U+0430");
}

static void latin_letter_in_a_russian_word_reads_as_russian(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = NULL;
	/* "привет" with a Latin p: the word is Russian, the p becomes р */
	g_autofree char *shown = clean_into("пpивет", &r);
	assert_string_equal(shown, "привет");
	assert_contains(only_finding(r)->evidence, "U+0070");
}

static void mathematical_letters_are_shown_plain(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = NULL;
	g_autofree char *shown =
		clean_into("\U0001D414\U0001D40F\U0001D412 \U0001D403\U0001D41E\U0001D425\U0001D422"
		           "\U0001D42F\U0001D41E\U0001D42B\U0001D432 \u2102ard",
		           &r);
	assert_string_equal(shown, "UPS Delivery \u2102ard");
	const ks_finding *f = only_finding(r);
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_contains(f->evidence, "2 words are written in mathematical letters");
}

static void marks_and_selectors_inside_words_are_removed(void **state)
{
	(void)state;
	static const struct {
		const char *written, *shown;
	} cases[] = {
		{"A\u073Fm\u073Fa\u073Fz\u073Fon", "Amazon"},               /* Syriac marks */
		{"d\u034Fo\u034Fn\u034Fo\u034Ft", "donot"},                 /* grapheme joiner */
		{"Co\U000E0139\U000E0139inba\U000E0139se", "Coinbase"},     /* selectors */
		{"Pay\U000E0041\U000E0042Pal", "PayPal"},                   /* tag characters */
		{"3\U000E01396\U000E01395", "365"},                         /* after digits */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ks_report) r = NULL;
		g_autofree char *shown = clean_into(cases[i].written, &r);
		if (strcmp(shown, cases[i].shown) != 0)
			fail_msg("case %zu: shown \"%s\", want \"%s\"", i, shown, cases[i].shown);
		assert_contains(only_finding(r)->evidence, "marks, variation selectors or tag");
	}
}

static void invisible_splits_are_removed_and_weighed(void **state)
{
	(void)state;
	g_autoptr(ks_report) one = NULL;
	g_autofree char *a = clean_into("Pay\u200BPal", &one);
	assert_string_equal(a, "PayPal");
	assert_int_equal(only_finding(one)->severity, KS_SEV_LOW);

	g_autoptr(ks_report) many = NULL;
	g_autofree char *b = clean_into("ve\u200Crify yo\u2060ur acc\uFEFFount", &many);
	assert_string_equal(b, "verify your account");
	assert_int_equal(only_finding(many)->severity, KS_SEV_MEDIUM);

	g_autoptr(ks_report) shy = NULL;
	g_autofree char *c = clean_into("Pa\u00ADyP\u00ADal", &shy);
	assert_string_equal(c, "PayPal");
	assert_contains(only_finding(shy)->evidence, "soft hyphens");
}

/* Text that looks odd to a filter but is ordinary in its language. */
static void ordinary_text_of_other_scripts_is_left_alone(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"Amazonプライム会員のお客様へ、ご利用ありがとうございます。",
		"ＡＢＣ株式会社 カスタマーセンター ＴＥＬ０３",
		"葛\U000E0100飾区の田中様",                         /* ideographic selector */
		"お疲れさまです(´・ω・｀) (゜Д゜)",                   /* kaomoji */
		"Versicherungs\u00ADunternehmen und Kunden\u00ADservice", /* hyphenation hints */
		"5μm filter, 10kΩ resistor",                          /* units */
		"Itaú, café, résumé, Dvořák, naïve",                  /* accents */
		"ภาษา\u200Bไทย",                                     /* Thai word breaks */
		"می\u200Cخواهم",                                       /* Persian ZWNJ */
		"\U0001F468\u200D\U0001F469\u200D\U0001F467 family",  /* emoji ZWJ sequence */
		"\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F flag",
		"\u2139\uFE0F info, \u2764\uFE0F love",               /* emoji style selectors */
		"Windows-приложение и iPhone",                        /* scripts split by a hyphen */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autoptr(ks_report) r = NULL;
		g_autofree char *shown = clean_into(texts[i], &r);
		if (strcmp(shown, texts[i]) != 0)
			fail_msg("\"%s\" was changed to \"%s\"", texts[i], shown);
		if (r->findings->len)
			fail_msg("\"%s\" raised: %s", texts[i],
			         ((ks_finding *)g_ptr_array_index(r->findings, 0))->evidence);
	}
}

static void invalid_utf8_passes_through(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = NULL;
	g_autofree char *shown = clean_into("ok \xC3 \xFF\xFE end", &r);
	assert_string_equal(shown, "ok \xC3 \xFF\xFE end");
	assert_int_equal(r->findings->len, 0);
	assert_null(ks_obfuscation_clean(NULL, NULL));
}

static ks_html_hidden *hidden(const char *text, const char *shown, const char *how)
{
	ks_html_hidden *h = g_new0(ks_html_hidden, 1);
	h->text = g_strdup(text);
	h->chars = g_utf8_strlen(text, -1);
	h->shown = g_strdup(shown);
	h->how = how;
	return h;
}

static void free_hidden(gpointer p)
{
	ks_html_hidden *h = p;
	g_free(h->text);
	g_free(h->shown);
	g_free(h);
}

static void hidden_text_inside_words_outweighs_a_preheader(void **state)
{
	(void)state;
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func(free_hidden);
	g_ptr_array_add(runs, hidden("Your March statement is ready", NULL, "display:none"));
	g_autoptr(ks_report) pre = ks_report_new();
	ks_obfuscation_report_hidden(runs, "body", pre);
	assert_int_equal(only_finding(pre)->severity, KS_SEV_INFO);

	g_ptr_array_add(runs, hidden("X34QDJLJ89", "Amazon", "display:none"));
	g_autoptr(ks_report) one = ks_report_new();
	ks_obfuscation_report_hidden(runs, "body", one);
	assert_int_equal(one->findings->len, 2);
	const ks_finding *f = g_ptr_array_index(one->findings, 0);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_contains(f->evidence, "\"X34QDJLJ89\" hidden in \"Amazon\" (display:none)");

	g_ptr_array_add(runs, hidden("q", "account", "font-size:0"));
	g_ptr_array_add(runs, hidden("z", "verify", "same colour as background"));
	g_autoptr(ks_report) kit = ks_report_new();
	ks_obfuscation_report_hidden(runs, "body", kit);
	assert_int_equal(((ks_finding *)g_ptr_array_index(kit->findings, 0))->severity, KS_SEV_HIGH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cyrillic_lookalikes_in_latin_words_are_undone),
		cmocka_unit_test(latin_letter_in_a_russian_word_reads_as_russian),
		cmocka_unit_test(mathematical_letters_are_shown_plain),
		cmocka_unit_test(marks_and_selectors_inside_words_are_removed),
		cmocka_unit_test(invisible_splits_are_removed_and_weighed),
		cmocka_unit_test(ordinary_text_of_other_scripts_is_left_alone),
		cmocka_unit_test(invalid_utf8_passes_through),
		cmocka_unit_test(hidden_text_inside_words_outweighs_a_preheader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
