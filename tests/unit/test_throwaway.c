/* throwaway.c: identity.random_sender on generator-made addresses and
 * domains, and names people and companies choose (which must pass). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/throwaway.h"

#include <string.h>

static void generator_names_are_recognised(void **state)
{
	(void)state;
	static const char *const made[] = {
		"78prni3xfg",      /* letters and digits alternating */
		"1qt031eo77",
		"sdhfgsdfhsdf",    /* a keyboard run */
		"53jttgntoy",      /* six consonants */
		"qrvfj",           /* pairs no word has */
		"DhqXWtgoHnIZCEs", /* capitals at random */
		"MvSSrjf",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(made); i++) {
		g_autofree char *why = ks_throwaway_why(made[i]);
		if (!why)
			fail_msg("\"%s\" passed for a chosen name", made[i]);
	}
}

static void chosen_names_pass(void **state)
{
	(void)state;
	static const char *const chosen[] = {
		"taro", "yamada", "mschmidt", "jsmith", "schwartz", "strengths", "DoNotReply",
		"JSmith", "em5893", "win10pro", "newsletter", "kuronekoyamato", "nishikaze",
		"szczepanski", "accounts", "ohayou", "rakuten", "jpmorgan", "noreply", "bounces",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(chosen); i++) {
		g_autofree char *why = ks_throwaway_why(chosen[i]);
		if (why)
			fail_msg("\"%s\" called machine-made: %s", chosen[i], why);
	}
	assert_null(ks_throwaway_why("ドコモ"));
	assert_null(ks_throwaway_why(NULL));
}

static ks_report *from(const char *address)
{
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new("Sender", address));
	ks_throwaway_analyze(NULL, NULL, r);
	return r;
}

static const ks_finding *finding(const ks_report *r)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == KS_RULE_IDENTITY_RANDOM_SENDER)
			return f;
	}
	return NULL;
}

static void severity_follows_what_is_random(void **state)
{
	(void)state;
	g_autoptr(ks_report) dom = from("towg2@78prni3xfg.example");
	assert_non_null(finding(dom));
	assert_int_equal(finding(dom)->severity, KS_SEV_MEDIUM);

	g_autoptr(ks_report) local = from("kqzvxr.p@shop-sample.example");
	assert_non_null(finding(local));
	assert_int_equal(finding(local)->severity, KS_SEV_LOW);

	g_autoptr(ks_report) cheap = from("kqzvxr.p@shop-sample.top");
	assert_int_equal(finding(cheap)->severity, KS_SEV_MEDIUM);
	assert_non_null(strstr(finding(cheap)->evidence, "under .top"));

	g_autoptr(ks_report) serial = from("comunicado601749@aviso-sample.example");
	assert_int_equal(finding(serial)->severity, KS_SEV_LOW);
	assert_non_null(strstr(finding(serial)->evidence, "6 digits"));
}

static void people_services_and_tags_pass(void **state)
{
	(void)state;
	static const char *const fine[] = {
		"taro.yamada19850412@gmail.com", /* a birthday on free mail */
		"notification+zj4o3xwz@facebookmail.com", /* a tag after '+' */
		"jsmith@example.co.jp",
		"no-reply@accounts.google.com",
		"info@shop.online", /* a cheap TLD alone is nothing */
		"09012345678@docomo.ne.jp",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(fine); i++) {
		g_autoptr(ks_report) r = from(fine[i]);
		if (finding(r))
			fail_msg("%s: %s", fine[i], finding(r)->evidence);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generator_names_are_recognised),
		cmocka_unit_test(chosen_names_pass),
		cmocka_unit_test(severity_follows_what_is_random),
		cmocka_unit_test(people_services_and_tags_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
