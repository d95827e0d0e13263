/* throwaway.c: identity.random_sender on generator-made addresses and
 * domains, and names people and companies choose (which must pass);
 * identity.platform_sender on cloud platforms' default domains. */
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

static const ks_finding *finding_of(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule)
			return f;
	}
	return NULL;
}

static const ks_finding *finding(const ks_report *r)
{
	return finding_of(r, KS_RULE_IDENTITY_RANDOM_SENDER);
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

static void platform_default_domains_are_named(void **state)
{
	(void)state;
	static const char *const platform[] = {
		"noreply@trent20-98eec.firebaseapp.com", /* Firebase Auth templates */
		"no-reply@lucky.web.app",
		"lina_studdard_24227@scisro.onmicrosoft.com", /* a Microsoft 365 trial tenant */
		"TotalEnergies@desti-ini.awsapps.com",        /* Amazon WorkMail test domain */
		"DoNotReply@3b1c0a6e-99aa.azurecomm.net",
		"alerts@my-app.appspotmail.com",
		"NoReply@Project-7.FirebaseApp.com", /* case does not matter */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(platform); i++) {
		g_autoptr(ks_report) r = from(platform[i]);
		const ks_finding *f = finding_of(r, KS_RULE_IDENTITY_PLATFORM_SENDER);
		if (!f)
			fail_msg("%s: no platform_sender", platform[i]);
		assert_int_equal(f->severity, KS_SEV_MEDIUM);
		assert_string_equal(f->location, "header:From");
	}
	/* the project's generated name is the platform's, not judged again */
	g_autoptr(ks_report) made = from("no-reply@ddjftfttf.firebaseapp.com");
	assert_non_null(finding_of(made, KS_RULE_IDENTITY_PLATFORM_SENDER));
	assert_null(finding(made));
	/* a random local part still counts on its own */
	g_autoptr(ks_report) local = from("kqzvxr.p@mail.onmicrosoft.com");
	assert_non_null(finding(local));
	assert_true(ks_throwaway_platform("x.onmicrosoft.com"));
	assert_false(ks_throwaway_platform(NULL));
}

static void platforms_own_and_lookalike_names_pass(void **state)
{
	(void)state;
	static const char *const fine[] = {
		"noreply@firebaseapp.com",          /* the platform's own name, no project */
		"hello@myfirebaseapp.com",          /* a suffix of letters, not of labels */
		"info@onmicrosoft.com.example",     /* the platform's name inside another domain */
		"ines.roth@harbor-supply.example",
		"firebase-noreply@google.com",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(fine); i++) {
		g_autoptr(ks_report) r = from(fine[i]);
		const ks_finding *f = finding_of(r, KS_RULE_IDENTITY_PLATFORM_SENDER);
		if (f)
			fail_msg("%s: %s", fine[i], f->evidence);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generator_names_are_recognised),
		cmocka_unit_test(chosen_names_pass),
		cmocka_unit_test(severity_follows_what_is_random),
		cmocka_unit_test(people_services_and_tags_pass),
		cmocka_unit_test(platform_default_domains_are_named),
		cmocka_unit_test(platforms_own_and_lookalike_names_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
