/* brands.c: the matching key (confusable skeletons, marks and invisible
 * characters), reading display names for brands and organisation words,
 * the brands' own domains, and the page guess html_scan.c asks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/brands.h"

#include <string.h>

/* The brand hit for name in text, or NULL. */
static const ks_brand_hit *hit_of(const ks_brand_reading *r, const char *brand)
{
	for (guint i = 0; i < r->brands->len; i++) {
		const ks_brand_hit *h = &g_array_index(r->brands, ks_brand_hit, i);
		if (strcmp(ks_brand_name(h->brand), brand) == 0)
			return h;
	}
	return NULL;
}

static const ks_brand *brand_named(const char *name)
{
	const GPtrArray *all = ks_brands_all();
	for (guint i = 0; i < all->len; i++)
		if (strcmp(ks_brand_name(g_ptr_array_index(all, i)), name) == 0)
			return g_ptr_array_index(all, i);
	fail_msg("no brand %s in brands.txt", name);
	return NULL;
}

static void key_folds_lookalikes_marks_and_invisibles(void **state)
{
	(void)state;
	g_autofree char *plain = ks_brand_key("PayPal");
	static const char *const disguises[] = {
		"PAYPAL",
		"Pаypal",                           /* Cyrillic а */
		"PayPaI",                           /* capital I for l */
		"Pay\u200bPal",                     /* zero-width space */
		"P\u0336a\u0336y\u0336Pal",         /* combining overlay */
		"\U0001D40F\U0001D41A\U0001D432\U0001D40F\U0001D41A\U0001D425", /* bold */
		"Ｐａｙｐａｌ",                      /* full width */
		"Pa\U000E0139yPal",                 /* variation selector */
		"P\u034Fa\u034Fy\u034FP\u034Fa\u034Fl", /* grapheme joiner */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(disguises); i++) {
		g_autofree char *k = ks_brand_key(disguises[i]);
		if (strcmp(k, plain) != 0)
			fail_msg("%s: key \"%s\", want \"%s\"", disguises[i], k, plain);
	}
	g_autofree char *accent = ks_brand_key("Itaú");
	g_autofree char *bare = ks_brand_key("ITAU");
	assert_string_equal(accent, bare);
	g_autofree char *kana = ks_brand_key("ドコモ");
	g_autofree char *half = ks_brand_key("ﾄﾞｺﾓ");
	assert_string_equal(kana, half);
}

static void display_name_of_brand_alone_reads_as_the_brand_speaking(void **state)
{
	(void)state;
	ks_brand_reading r;
	ks_brand_read("Microsoft account team", &r);
	const ks_brand_hit *h = hit_of(&r, "Microsoft");
	assert_non_null(h);
	assert_false(h->disguised);
	assert_false(r.other_words);
	ks_brand_reading_clear(&r);

	ks_brand_read("Ꮇicrosoft Ꮇail Supports", &r);
	h = hit_of(&r, "Microsoft");
	assert_non_null(h);
	assert_true(h->disguised);
	ks_brand_reading_clear(&r);

	ks_brand_read("[BB] - Comunicado ao cliente - Cod. 37165178664887", &r);
	h = hit_of(&r, "Banco do Brasil");
	assert_non_null(h);
	assert_true(h->common);
	assert_false(r.other_words);
	assert_true(r.org_kinds & KS_ORG_SERVICE);
	ks_brand_reading_clear(&r);

	ks_brand_read("三井住友カード カスタマーセンター", &r);
	assert_non_null(hit_of(&r, "三井住友カード"));
	assert_false(r.other_words);
	ks_brand_reading_clear(&r);
}

static void names_inside_words_and_people_are_not_brands(void **state)
{
	(void)state;
	ks_brand_reading r;
	ks_brand_read("Pineapple Express", &r);
	assert_null(hit_of(&r, "Apple"));
	ks_brand_reading_clear(&r);

	/* a surname that is a common-word brand: found, but with a person */
	ks_brand_read("Mark Chase", &r);
	const ks_brand_hit *h = hit_of(&r, "Chase");
	assert_non_null(h);
	assert_true(h->common);
	assert_true(r.other_words);
	ks_brand_reading_clear(&r);

	ks_brand_read("Taro Yamada", &r);
	assert_int_equal(r.brands->len, 0);
	assert_int_equal(r.org_kinds, 0);
	assert_true(r.other_words);
	ks_brand_reading_clear(&r);

	ks_brand_read(NULL, &r);
	assert_int_equal(r.brands->len, 0);
	ks_brand_reading_clear(&r);
}

static void organisation_words_are_found_by_kind(void **state)
{
	(void)state;
	ks_brand_reading r;
	ks_brand_read("IT Support Team", &r);
	assert_true(r.org_kinds & KS_ORG_SERVICE);
	assert_false(r.other_words);
	assert_non_null(r.org_words);
	ks_brand_reading_clear(&r);

	ks_brand_read("Acme Trading Ltd", &r);
	assert_true(r.org_kinds & KS_ORG_COMPANY);
	assert_true(r.other_words);
	ks_brand_reading_clear(&r);

	ks_brand_read("株式会社サンプル商事 お客様センター", &r);
	assert_true(r.org_kinds & KS_ORG_COMPANY);
	assert_true(r.org_kinds & KS_ORG_SERVICE);
	ks_brand_reading_clear(&r);
}

static void brand_domains_suffixes_wildcards_and_consumer_mail(void **state)
{
	(void)state;
	const ks_brand *amazon = brand_named("Amazon");
	assert_true(ks_brand_owns_host(amazon, "amazon.co.jp", false));
	assert_true(ks_brand_owns_host(amazon, "marketplace.amazon.de", false));
	assert_true(ks_brand_owns_host(amazon, "Amazon.com.", false));
	assert_false(ks_brand_owns_host(amazon, "amazon-security.example", false));
	assert_false(ks_brand_owns_host(amazon, "notamazon.com", false));
	const ks_brand *ms = brand_named("Microsoft");
	assert_true(ks_brand_owns_host(ms, "accountprotection.microsoft.com", false));
	assert_false(ks_brand_owns_host(ms, "outlook.com", false));
	assert_true(ks_brand_owns_host(ms, "outlook.com", true));
	const ks_brand *google = brand_named("Google");
	assert_false(ks_brand_owns_host(google, "gmail.com", false));
	assert_true(ks_brand_owns_host(google, "accounts.google.com", false));
}

static void page_guess_weighs_title_over_text(void **state)
{
	(void)state;
	const ks_brand *b = ks_brands_guess_page("Sign in to your account", "Enter password", "");
	assert_non_null(b);
	assert_string_equal(ks_brand_name(b), "Microsoft 365");
	b = ks_brands_guess_page("DHL Express", "tracking your parcel with PayPal", "");
	assert_string_equal(ks_brand_name(b), "DHL");
	assert_null(ks_brands_guess_page("Pineapple recipes", "excellent", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_folds_lookalikes_marks_and_invisibles),
		cmocka_unit_test(display_name_of_brand_alone_reads_as_the_brand_speaking),
		cmocka_unit_test(names_inside_words_and_people_are_not_brands),
		cmocka_unit_test(organisation_words_are_found_by_kind),
		cmocka_unit_test(brand_domains_suffixes_wildcards_and_consumer_mail),
		cmocka_unit_test(page_guess_weighs_title_over_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
