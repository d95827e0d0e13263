/* greeting.c: content.address_as_name on subjects and greetings that call
 * the recipient by their e-mail address, in the lure languages, and the
 * near misses that must stay quiet: a first name that is also the local
 * part, a calendar's "(address)", a quoted header, a list's own address,
 * an address inside a longer one, a footer far down the body. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/greeting.h"
#include "testlib.h"

#include <string.h>

static ks_report *mail(const char *to, const char *subject, const char *body)
{
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->to, ks_address_new(NULL, to));
	r->subject = g_strdup(subject);
	r->body_text = g_strdup(body);
	ks_greeting_analyze(NULL, NULL, r);
	return r;
}

static void address_in_subject_is_named(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = mail("kim.tanaka@victim.example",
	                              "kim.tanaka@victim.example, your voucher is ready", "Hello");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_ADDRESS_AS_NAME);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_string_equal(f->location, "header:Subject");
	/* any case, at the end of the subject, before a full stop */
	g_autoptr(ks_report) end = mail("kim.tanaka@victim.example", "Bestätigen Sie den Empfang "
	                                "Kim.Tanaka@Victim.example.", "");
	assert_non_null(find_rule(end, KS_RULE_CONTENT_ADDRESS_AS_NAME));
}

static void greetings_in_the_lure_languages_are_named(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"Dear kim.tanaka@victim.example,\nyour mailbox is almost full.",
		"[image: logo] Hallo kim.tanaka@victim.example! Sie haben gewonnen.",
		"Olá kim.tanaka, sua senha expira hoje.",         /* a handle as local part */
		"Bonjour  kim.tanaka : votre colis est bloqué.",
		"kim.tanaka@victim.example 様\nお客様のアカウントを停止しました。",
		"Beste kim.tanaka,\nuw pakket wacht.",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(ks_report) r = mail("kim.tanaka@victim.example", "Notice", bodies[i]);
		const ks_finding *f = find_rule(r, KS_RULE_CONTENT_ADDRESS_AS_NAME);
		if (!f)
			fail_msg("no finding for: %s", bodies[i]);
		assert_string_equal(f->location, "body");
	}
	g_autoptr(ks_report) r = mail("kim.tanaka@victim.example", "Notice",
	                              "Hey Kim.Tanaka, I see we live nearby.");
	assert_contains(find_rule(r, KS_RULE_CONTENT_ADDRESS_AS_NAME)->evidence,
	                "Hey Kim.Tanaka"); /* quoted as written */
}

static void names_brackets_and_longer_addresses_are_silent(void **state)
{
	(void)state;
	struct {
		const char *to, *subject, *body;
	} quiet[] = {
		/* a first name that happens to be the local part */
		{"marc@victim.example", "Lunch", "Hi marc,\nlunch at one?"},
		/* a calendar invitation names the invitee in brackets */
		{"kim@victim.example", "Invitation: Review @ Tue 11am (kim@victim.example)", "Join"},
		/* a forwarded header */
		{"kim@victim.example", "Fw: notice", "From: a@b.example\nTo: <kim@victim.example>\nHi"},
		/* the address inside a longer one, and a local part inside a word */
		{"kim@victim.example", "kim@victim.example.net news", "Hello kim@victim.example.net"},
		{"kim.t@victim.example", "News", "Hello kim.tanaka, welcome."},
		/* a footer far below the greeting line */
		{"kim.t@victim.example", "News", NULL},
		/* no greeting before the handle */
		{"kim.t@victim.example", "Account", "Your login kim.t is active."},
	};
	g_autofree char *footer = g_strdup_printf("Hello reader,\n%*s\nThis mail was sent to "
	                                          "kim.t@victim.example. Dear kim.t, unsubscribe.",
	                                          700, "");
	quiet[5].body = footer;
	for (size_t i = 0; i < G_N_ELEMENTS(quiet); i++) {
		g_autoptr(ks_report) r = mail(quiet[i].to, quiet[i].subject, quiet[i].body);
		const ks_finding *f = find_rule(r, KS_RULE_CONTENT_ADDRESS_AS_NAME);
		if (f)
			fail_msg("case %zu: %s", i, f->evidence);
	}
}

static void a_lists_own_address_is_no_recipient(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->to, ks_address_new(NULL, "sec-l@lists.example"));
	g_ptr_array_add(r->list.addresses, g_strdup("sec-l@lists.example"));
	r->subject = g_strdup("sec-l@lists.example digest, vol 4");
	ks_greeting_analyze(NULL, NULL, r);
	assert_null(find_rule(r, KS_RULE_CONTENT_ADDRESS_AS_NAME));
	ks_report_free(r);
}

static void empty_and_invalid_input_give_nothing(void **state)
{
	(void)state;
	ks_greeting_analyze(NULL, NULL, NULL);
	g_autoptr(ks_report) none = ks_report_new();
	ks_greeting_analyze(NULL, NULL, none);
	assert_int_equal(none->findings->len, 0);
	g_autoptr(ks_report) bad = mail("kim@victim.example", "\xff\xfe kim@victim.example",
	                                "Hello \xff kim@victim.example");
	assert_int_equal(bad->findings->len, 0);
	g_autoptr(ks_report) noat = mail("undisclosed-recipients:", "Hi", "Hello undisclosed");
	assert_int_equal(noat->findings->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_in_subject_is_named),
		cmocka_unit_test(greetings_in_the_lure_languages_are_named),
		cmocka_unit_test(names_brackets_and_longer_addresses_are_silent),
		cmocka_unit_test(a_lists_own_address_is_no_recipient),
		cmocka_unit_test(empty_and_invalid_input_give_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
