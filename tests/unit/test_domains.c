/* Unit tests for analyzers/core/domains.c: addresses, registrable domains under
 * the Public Suffix List, URL hosts and IP literals, as every identity,
 * link and campaign check reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/domains.h"

#include <glib.h>
#include <string.h>

static void expect_str(char *got, const char *want)
{
	if (!want) {
		if (got)
			fail_msg("expected NULL, got \"%s\"", got);
		return;
	}
	if (!got)
		fail_msg("expected \"%s\", got NULL", want);
	assert_string_equal(got, want);
	g_free(got);
}

static void address_parts(void **state)
{
	(void)state;
	expect_str(ks_domain_of_address("Hanako@Mail.Kitakaze-Shoji.CO.JP"), "mail.kitakaze-shoji.co.jp");
	expect_str(ks_local_part("Hanako.Ito@example.com"), "hanako.ito");
	expect_str(ks_domain_of_address("no-at-sign"), NULL);
}

static void registrable_domains_follow_the_public_suffix_list(void **state)
{
	(void)state;
	expect_str(ks_domain_registrable("mail.abc.co.jp"), "abc.co.jp");
	expect_str(ks_domain_registrable("WWW.Example.COM"), "example.com");
	/* a bare suffix and an IP literal have none */
	expect_str(ks_domain_registrable("co.jp"), NULL);
	expect_str(ks_domain_registrable("192.0.2.7"), NULL);
}

/* ks_domain_registrable keeps its answers: asked again, and after more hosts
 * than it keeps (it empties itself), from two threads at once, each answer
 * is the first one, a host without one included. */
static gpointer ask_many(gpointer unused)
{
	(void)unused;
	for (int i = 0; i < 5000; i++) {
		g_autofree char *host = g_strdup_printf("h%d.Brand%d.co.jp", i, i % 700);
		g_autofree char *want = g_strdup_printf("brand%d.co.jp", i % 700);
		g_autofree char *got = ks_domain_registrable(host);
		if (g_strcmp0(got, want) != 0)
			return GINT_TO_POINTER(1);
		g_autofree char *none = ks_domain_registrable("co.jp");
		if (none)
			return GINT_TO_POINTER(1);
	}
	return NULL;
}

static void registrable_answers_stay_the_same_when_asked_again(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) {
		expect_str(ks_domain_registrable("mail.abc.co.jp"), "abc.co.jp");
		expect_str(ks_domain_registrable("co.jp"), NULL);
		expect_str(ks_domain_registrable("intranet"), NULL);
	}
	GThread *a = g_thread_new("a", ask_many, NULL);
	GThread *b = g_thread_new("b", ask_many, NULL);
	assert_null(g_thread_join(a));
	assert_null(g_thread_join(b));
	expect_str(ks_domain_registrable("WWW.Example.COM"), "example.com");
}

static void an_address_has_the_registrable_domain_of_its_host(void **state)
{
	(void)state;
	expect_str(ks_address_registrable("billing@mail.abc.co.jp"), "abc.co.jp");
	expect_str(ks_address_registrable("a@Sub.Example.org"), "example.org");
	/* near misses: no address, no '@', a suffix only, NULL */
	expect_str(ks_address_registrable("abc.co.jp"), NULL);
	expect_str(ks_address_registrable("a@co.jp"), NULL);
	expect_str(ks_address_registrable(NULL), NULL);
}

static void url_hosts_and_ip_literals(void **state)
{
	(void)state;
	expect_str(ks_url_host("https://user@Host.example:8080/x?y=1"), "host.example");
	assert_true(ks_is_ip_literal("203.0.113.9"));
	assert_true(ks_is_ip_literal("2001:db8::1"));
	assert_false(ks_is_ip_literal("203.0.113.example"));
}

/* the names a host is under, one dot at a time, down to none */
static void a_host_is_under_what_follows_its_dots(void **state)
{
	(void)state;
	const char *h = "mail.corp.example.co.jp";
	static const char *const want[] = {"corp.example.co.jp", "example.co.jp", "co.jp", "jp"};
	const char *s = h;
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		s = ks_host_parent(s);
		assert_non_null(s);
		assert_string_equal(s, want[i]);
	}
	assert_null(ks_host_parent(s));
	assert_string_equal(ks_host_parent("trailing."), "");
	assert_null(ks_host_parent(NULL));
	/* and ks_host_under says the same of each of them, whatever the case */
	for (const char *u = h; u; u = ks_host_parent(u))
		assert_true(ks_host_under(h, u));
	assert_true(ks_host_under("Mail.PayPal.COM", "paypal.com"));
	/* near misses: a name that merely ends the same, a longer suffix */
	assert_false(ks_host_under("evilpaypal.com", "paypal.com"));
	assert_false(ks_host_under("paypal.com", "mail.paypal.com"));
	assert_false(ks_host_under("paypal.com.evil.example", "paypal.com"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_parts),
		cmocka_unit_test(registrable_domains_follow_the_public_suffix_list),
		cmocka_unit_test(registrable_answers_stay_the_same_when_asked_again),
		cmocka_unit_test(an_address_has_the_registrable_domain_of_its_host),
		cmocka_unit_test(url_hosts_and_ip_literals),
		cmocka_unit_test(a_host_is_under_what_follows_its_dots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
