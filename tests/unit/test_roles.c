/* Tests for IOC roles (roles.c) and the IOCs summary.c adds for them:
 * victims by the recipients, the protected domains and the contacts; a
 * lookalike on Cc stays the attacker's; shared infrastructure (a CDN, a
 * free-mail provider as a domain, a provider's relay, the analyst's allow
 * list) is benign; private and internal-origin addresses are internal;
 * bank accounts of a payee change and callback numbers of a lure are
 * IOCs, a signature's phone number in ordinary mail is not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/context.h"
#include "checks/roles.h"
#include "checks/summary.h"
#include "output/writers.h"

#include <string.h>

static ks_ioc_role role_of(const ks_report *r, ks_ioc_kind kind, const char *value)
{
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		if (c->kind == kind && strcmp(c->value, value) == 0)
			return c->role;
	}
	fail_msg("no %s IOC %s", ks_ioc_kind_name(kind), value);
	return KS_IOC_ROLE_COUNT;
}

static bool has_ioc(const ks_report *r, ks_ioc_kind kind, const char *value)
{
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		if (c->kind == kind && strcmp(c->value, value) == 0)
			return true;
	}
	return false;
}

static ks_report *bec(void)
{
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new("CEO", "ceo@victim-c0rp.co.jp"));
	g_ptr_array_add(r->to, ks_address_new("Hanako", "hanako@victim-corp.co.jp"));
	g_ptr_array_add(r->cc, ks_address_new("Jiro", "jiro@victim-corpp.co.jp"));
	ks_report_add_finding(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:Cc", "x");
	ks_report_add_ioc(r, KS_IOC_EMAIL, "ceo@victim-c0rp.co.jp");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "victim-c0rp.co.jp");
	ks_report_add_ioc(r, KS_IOC_EMAIL, "hanako@victim-corp.co.jp");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "victim-corp.co.jp");
	ks_report_add_ioc(r, KS_IOC_EMAIL, "jiro@victim-corpp.co.jp");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "victim-corpp.co.jp");
	ks_report_add_ioc(r, KS_IOC_URL, "https://www.victim-corp.co.jp/about");
	ks_report_add_ioc(r, KS_IOC_URL, "https://code.jquery.com/jquery.min.js");
	ks_report_add_ioc(r, KS_IOC_URL, "https://pay.evil-host.com/x");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "gmail.com");
	ks_report_add_ioc(r, KS_IOC_EMAIL, "ceo.private@gmail.com");
	ks_report_add_ioc(r, KS_IOC_IP, "2a01:111:f400:7e1b::201");
	ks_report_add_ioc(r, KS_IOC_IP, "209.85.167.200");
	ks_report_add_ioc(r, KS_IOC_IP, "10.1.2.3");
	ks_report_add_ioc(r, KS_IOC_IP, "198.51.100.77");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "partner-relay.example.net");
	return r;
}

static void victims_attackers_and_shared_infrastructure(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec();
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_roles_assign(r, ctx);
	assert_int_equal(role_of(r, KS_IOC_EMAIL, "hanako@victim-corp.co.jp"), KS_IOC_ROLE_VICTIM);
	assert_int_equal(role_of(r, KS_IOC_DOMAIN, "victim-corp.co.jp"), KS_IOC_ROLE_VICTIM);
	assert_int_equal(role_of(r, KS_IOC_URL, "https://www.victim-corp.co.jp/about"),
	                 KS_IOC_ROLE_VICTIM);
	assert_int_equal(role_of(r, KS_IOC_EMAIL, "ceo@victim-c0rp.co.jp"), KS_IOC_ROLE_ATTACKER);
	/* on Cc, but a lookalike finding points there: not our recipient */
	assert_int_equal(role_of(r, KS_IOC_DOMAIN, "victim-corpp.co.jp"), KS_IOC_ROLE_ATTACKER);
	assert_int_equal(role_of(r, KS_IOC_URL, "https://code.jquery.com/jquery.min.js"),
	                 KS_IOC_ROLE_BENIGN);
	assert_int_equal(role_of(r, KS_IOC_URL, "https://pay.evil-host.com/x"), KS_IOC_ROLE_ATTACKER);
	/* the provider is shared; a mailbox there is somebody's */
	assert_int_equal(role_of(r, KS_IOC_DOMAIN, "gmail.com"), KS_IOC_ROLE_BENIGN);
	assert_int_equal(role_of(r, KS_IOC_EMAIL, "ceo.private@gmail.com"), KS_IOC_ROLE_ATTACKER);
	assert_int_equal(role_of(r, KS_IOC_IP, "2a01:111:f400:7e1b::201"), KS_IOC_ROLE_BENIGN);
	assert_int_equal(role_of(r, KS_IOC_IP, "209.85.167.200"), KS_IOC_ROLE_BENIGN);
	assert_int_equal(role_of(r, KS_IOC_IP, "10.1.2.3"), KS_IOC_ROLE_INTERNAL);
	assert_int_equal(role_of(r, KS_IOC_IP, "198.51.100.77"), KS_IOC_ROLE_ATTACKER);
}

static void the_analysts_knowledge_decides_too(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec();
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_allowed(ctx, "example.net");
	ks_context_add_allowed(ctx, "198.51.100.0/24");
	ks_context_add_protected(ctx, "victim-c0rp.co.jp");
	ks_roles_assign(r, ctx);
	assert_int_equal(role_of(r, KS_IOC_DOMAIN, "partner-relay.example.net"), KS_IOC_ROLE_BENIGN);
	assert_int_equal(role_of(r, KS_IOC_IP, "198.51.100.77"), KS_IOC_ROLE_BENIGN);
	/* protected means ours, whatever it looks like */
	assert_int_equal(role_of(r, KS_IOC_DOMAIN, "victim-c0rp.co.jp"), KS_IOC_ROLE_VICTIM);
	assert_true(ks_roles_is_benign(ctx, "cdn.example.net", NULL));
	assert_false(ks_roles_is_benign(ctx, "example.org", "192.0.2.1"));
}

/* A mail to the victim's domain whose origin is the victim's gateway
 * (203.0.113.9), after a first hop from first_ip when given; roles assigned. */
static ks_report *via_gateway(const char *first_host, const char *first_ip)
{
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->to, ks_address_new(NULL, "a@victim-corp.co.jp"));
	const char *hosts[] = {first_host, "gw.victim-corp.co.jp"};
	const char *ips[] = {first_ip, "203.0.113.9"};
	for (size_t i = first_ip ? 0 : 1; i < 2; i++) {
		ks_hop *h = ks_hop_new();
		h->from = g_strdup(hosts[i]);
		h->ip = g_strdup(ips[i]);
		g_ptr_array_add(r->hops, h);
	}
	ks_report_add_ioc(r, KS_IOC_IP, "203.0.113.9");
	ks_roles_assign(r, NULL);
	return r;
}

static void origin_on_the_victims_own_host_is_internal(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = via_gateway(NULL, NULL);
	assert_int_equal(role_of(r, KS_IOC_IP, "203.0.113.9"), KS_IOC_ROLE_INTERNAL);
}

/* Hops from private networks (RFC 1918, CGNAT, link-local, unique-local)
 * are passed over on the way to the origin; a public one is the origin. */
static void private_hops_are_passed_over_to_the_origin(void **state)
{
	(void)state;
	static const char *const privates[] = {"192.168.1.20", "10.9.8.7", "172.31.0.1",
	                                       "100.64.3.4",   "fe80::1",  "fd12::5"};
	for (size_t i = 0; i < G_N_ELEMENTS(privates); i++) {
		g_autoptr(ks_report) r = via_gateway("laptop", privates[i]);
		if (role_of(r, KS_IOC_IP, "203.0.113.9") != KS_IOC_ROLE_INTERNAL)
			fail_msg("%s was not passed over", privates[i]);
	}
	/* near miss: 172.32.0.1 is outside 172.16.0.0/12, so it is the origin
	 * (not the victim's host) and the gateway's IP is not internal */
	g_autoptr(ks_report) r = via_gateway("elsewhere.example", "172.32.0.1");
	assert_int_not_equal(role_of(r, KS_IOC_IP, "203.0.113.9"), KS_IOC_ROLE_INTERNAL);
}

static void payee_change_gives_account_iocs(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	r->body_text = g_strdup("Please update our bank details. New account: IBAN GB82 WEST 1234 "
	                        "5698 7654 32, account number 12345678 at Example Bank.\n"
	                        "To confirm, call us at +44 20 7946 0958 today.");
	ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "x");
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_summary_analyze(NULL, ctx, r);
	assert_true(has_ioc(r, KS_IOC_IBAN, "GB82WEST12345698765432"));
	assert_true(has_ioc(r, KS_IOC_BANK_ACCOUNT, "12345678"));
	assert_true(has_ioc(r, KS_IOC_PHONE, "+44 20 7946 0958"));
	assert_int_equal(role_of(r, KS_IOC_IBAN, "GB82WEST12345698765432"), KS_IOC_ROLE_ATTACKER);
}

static void a_signatures_number_in_ordinary_mail_is_no_ioc(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	r->body_text = g_strdup("Thanks for the minutes.\n--\nKen, phone +81 3 1234 5678\n"
	                        "account 12345678 is in the sheet.");
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_summary_analyze(NULL, ctx, r);
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		assert_true(c->kind != KS_IOC_PHONE && c->kind != KS_IOC_BANK_ACCOUNT);
	}
}

static void roles_round_trip_through_json(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec();
	ks_roles_assign(r, NULL);
	g_autofree char *json = ks_report_to_json(r, false);
	assert_non_null(strstr(json, "\"role\":\"benign\""));
	assert_non_null(strstr(json, "\"role\":\"victim\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(victims_attackers_and_shared_infrastructure),
		cmocka_unit_test(the_analysts_knowledge_decides_too),
		cmocka_unit_test(origin_on_the_victims_own_host_is_internal),
		cmocka_unit_test(private_hops_are_passed_over_to_the_origin),
		cmocka_unit_test(payee_change_gives_account_iocs),
		cmocka_unit_test(a_signatures_number_in_ordinary_mail_is_no_ioc),
		cmocka_unit_test(roles_round_trip_through_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
