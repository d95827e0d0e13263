/* The summary analyzer: IOCs, timeline order, score and BEC type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"
#include "checks/summary.h"

#include <string.h>

static void run(ks_report *r)
{
	ks_message m = {0};
	ks_context *c = ks_context_new();
	ks_summary_analyze(&m, c, r);
	ks_context_free(c);
}

static bool has_ioc(const ks_report *r, ks_ioc_kind kind, const char *value)
{
	for (guint i = 0; i < r->iocs->len; i++) {
		ks_ioc *o = g_ptr_array_index(r->iocs, i);
		if (o->kind == kind && strcmp(o->value, value) == 0)
			return true;
	}
	return false;
}

static ks_hop *hop(int index, const char *ip, const char *when)
{
	ks_hop *h = ks_hop_new();
	h->index = index;
	h->ip = ip ? g_strdup(ip) : NULL;
	h->by = g_strdup("mx.example");
	h->date = when ? g_date_time_new_from_iso8601(when, NULL) : NULL;
	return h;
}

static void sender_side_addresses_and_links_become_iocs(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new("CEO", "ceo@Evil.example"));
	g_ptr_array_add(r->to, ks_address_new("victim", "victim@corp.example"));
	g_ptr_array_add(r->links, ks_link_new("click", "https://login.evil.example/x?a=1"));
	g_ptr_array_add(r->links, ks_link_new("mail", "mailto:x@y.example"));
	run(r);
	assert_true(has_ioc(r, KS_IOC_EMAIL, "ceo@evil.example"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "evil.example"));
	assert_true(has_ioc(r, KS_IOC_URL, "https://login.evil.example/x?a=1"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "login.evil.example"));
	/* the recipient is the victim, not an indicator; mailto is not a URL IOC */
	assert_false(has_ioc(r, KS_IOC_EMAIL, "victim@corp.example"));
	assert_false(has_ioc(r, KS_IOC_URL, "mailto:x@y.example"));
	ks_report_free(r);
}

static void origin_ip_is_the_first_public_one(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->hops, hop(0, "192.168.1.5", NULL));
	g_ptr_array_add(r->hops, hop(1, "198.51.100.7", NULL));
	g_ptr_array_add(r->hops, hop(2, "203.0.113.9", NULL));
	run(r);
	assert_false(has_ioc(r, KS_IOC_IP, "192.168.1.5"));
	assert_true(has_ioc(r, KS_IOC_IP, "198.51.100.7"));
	assert_false(has_ioc(r, KS_IOC_IP, "203.0.113.9"));
	ks_report_free(r);
}

static void timeline_is_sorted_with_date_and_hops(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	r->date = g_date_time_new_from_iso8601("2024-12-12T10:00:00+09:00", NULL);
	g_ptr_array_add(r->hops, hop(0, NULL, "2024-12-12T01:05:00Z"));
	g_ptr_array_add(r->hops, hop(1, NULL, "2024-12-12T00:59:00Z"));
	run(r);
	assert_int_equal(r->timeline->len, 3);
	ks_event *first = g_ptr_array_index(r->timeline, 0);
	ks_event *last = g_ptr_array_index(r->timeline, 2);
	assert_string_equal(first->source, "hop:1");
	assert_string_equal(last->source, "hop:0");
	ks_report_free(r);
}

static void no_findings_scores_zero(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	run(r);
	assert_int_equal(r->assessment.score, 0);
	assert_int_equal(r->assessment.bec_type, 0);
	assert_string_equal(r->assessment.label, "no findings");
	ks_report_free(r);
}

static void lookalike_and_payment_change_is_bec_type_1(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:From", "x");
	ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "x");
	run(r);
	assert_int_equal(r->assessment.bec_type, 1);
	assert_true(r->assessment.score >= 60);
	assert_int_equal(r->assessment.reasons->len, 2);
	ks_report_free(r);
}

static void executive_signals_are_bec_type_2(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "header:From", "x");
	run(r);
	assert_int_equal(r->assessment.bec_type, 2);
	ks_report_free(r);
}

static void data_request_without_payment_is_bec_type_5(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "header:From", "x");
	ks_report_add_finding(r, KS_RULE_CONTENT_INFORMATION_REQUEST, "body", "x");
	run(r);
	assert_int_equal(r->assessment.bec_type, 5);
	ks_report_free(r);
	/* with a payment change it is the fraud itself */
	r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:From", "x");
	ks_report_add_finding(r, KS_RULE_CONTENT_INFORMATION_REQUEST, "body", "x");
	ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "x");
	run(r);
	assert_int_equal(r->assessment.bec_type, 1);
	ks_report_free(r);
}

/* IPA: who writes decides between type 2 and type 4, not a lawyer named in
 * the text ("our counsel will contact you" in a CEO's mail is type 2). */
static void lawyer_sender_is_type_4_and_ceo_naming_a_lawyer_type_2(void **state)
{
	(void)state;
	ks_report *ceo = ks_report_new();
	g_ptr_array_add(ceo->from, ks_address_new("Koji Nakamura (CEO)", "k@gmail.example"));
	ks_report_add_finding(ceo, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST, "body",
	                      "secrecy: confidential; urgency: today; authority: acquisition, counsel");
	run(ceo);
	assert_int_equal(ceo->assessment.bec_type, 2);
	ks_report *law = ks_report_new();
	g_ptr_array_add(law->from, ks_address_new("田村法律事務所 弁護士 田村 誠", "m@law.example"));
	ks_report_add_finding(law, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:Cc", "x");
	ks_report_add_finding(law, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST, "body",
	                      "secrecy: 極秘; urgency: 本日中; authority: 買収, 社長, 弁護士");
	run(law);
	assert_int_equal(law->assessment.bec_type, 4);
	ks_report *plain = ks_report_new();
	g_ptr_array_add(plain->from, ks_address_new("Jonathan Price", "jp@law.example"));
	ks_report_add_finding(plain, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST, "body",
	                      "secrecy: confidential; urgency: urgent; authority: attorney");
	run(plain);
	assert_int_equal(plain->assessment.bec_type, 4);
	ks_report_free(ceo);
	ks_report_free(law);
	ks_report_free(plain);
}

static void a_rule_counts_once_in_the_score(void **state)
{
	(void)state;
	ks_report *one = ks_report_new();
	ks_report_add_finding(one, KS_RULE_ATTACHMENT_DANGEROUS_TYPE, "part:2", "x");
	run(one);
	ks_report *many = ks_report_new();
	for (int i = 0; i < 10; i++)
		ks_report_add_finding(many, KS_RULE_ATTACHMENT_DANGEROUS_TYPE, "part:2", "x");
	run(many);
	assert_int_equal(one->assessment.score, many->assessment.score);
	assert_true(many->assessment.score <= 100);
	ks_report_free(one);
	ks_report_free(many);
}

/* data/score_weights.txt reads row by row: a typo in a rule id or a
 * severity would silently fall back to the default points. */
static void score_weights_file_reads(void **state)
{
	(void)state;
	g_autoptr(GString) problems = g_string_new(NULL);
	int rows = ks_summary_weights_check(problems);
	if (problems->len)
		fail_msg("%s", problems->str);
	assert_true(rows > 0);
}

/* One weak signal alone never makes a mail suspicious: every rule at low or
 * medium severity, alone, scores under 25. */
static void no_single_weak_finding_reaches_suspicious(void **state)
{
	(void)state;
	for (int rule = 0; rule < KS_RULE_COUNT; rule++) {
		for (ks_severity sev = KS_SEV_INFO; sev <= KS_SEV_MEDIUM; sev++) {
			ks_report *r = ks_report_new();
			ks_report_add_finding_sev(r, (ks_rule)rule, sev, "body", "x");
			run(r);
			if (r->assessment.score >= 25)
				fail_msg("%s at %s alone scores %d", ks_rule_id(rule), ks_severity_name(sev),
				         r->assessment.score);
			ks_report_free(r);
		}
	}
}

/* Explained differences (info) are context: no points, no reasons. */
static void info_findings_never_count(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_INFO, "header:Reply-To",
	                          "explained");
	ks_report_add_finding_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO,
	                          "header:Return-Path", "explained");
	run(r);
	assert_int_equal(r->assessment.score, 0);
	assert_int_equal(r->assessment.reasons->len, 0);
	assert_string_equal(r->assessment.label, "low risk");
	ks_report_free(r);
}

/* The weights file's points, and a combination: authentication failed and
 * the replies go elsewhere.  Near miss: either half alone stays under 25. */
static void auth_failure_with_identity_mismatch_adds_the_combination(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, "header:Reply-To", "x");
	run(r);
	assert_int_equal(r->assessment.score, 15);
	ks_report_free(r);
	r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_AUTH_SPF_FAIL, "header:Authentication-Results", "x");
	run(r);
	assert_int_equal(r->assessment.score, 18);
	ks_report_free(r);
	r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_AUTH_SPF_FAIL, "header:Authentication-Results", "x");
	ks_report_add_finding(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, "header:Reply-To", "x");
	run(r);
	assert_int_equal(r->assessment.score, 18 + 15 + 10);
	assert_string_equal(r->assessment.label, "suspicious");
	assert_int_equal(r->assessment.reasons->len, 2);
	ks_report_free(r);
	/* near miss: a routing signal is no identity mismatch */
	r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_AUTH_SPF_FAIL, "header:Authentication-Results", "x");
	ks_report_add_finding(r, KS_RULE_ROUTING_DATE_REVERSED, "hop:1", "x");
	run(r);
	assert_int_equal(r->assessment.score, 18 + 2);
	ks_report_free(r);
}

/* Replies to free mail from a company (J-CSIP CEO fraud) are suspicious by
 * themselves. */
static void freemail_reply_to_alone_is_suspicious(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_HIGH, "header:Reply-To",
	                          "x");
	run(r);
	assert_true(r->assessment.score >= 25);
	ks_report_free(r);
}

/* An envelope sender that a list explains (info) is no payroll diversion;
 * an unexplained one with a payment change is (type 2). */
static void explained_envelope_is_no_payroll_diversion(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "x");
	ks_report_add_finding_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO,
	                          "header:Return-Path", "explained");
	run(r);
	assert_int_equal(r->assessment.bec_type, 1);
	ks_report_free(r);
	r = ks_report_new();
	ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "x");
	ks_report_add_finding(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, "header:Return-Path", "x");
	run(r);
	assert_int_equal(r->assessment.bec_type, 2);
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sender_side_addresses_and_links_become_iocs),
		cmocka_unit_test(origin_ip_is_the_first_public_one),
		cmocka_unit_test(timeline_is_sorted_with_date_and_hops),
		cmocka_unit_test(no_findings_scores_zero),
		cmocka_unit_test(lookalike_and_payment_change_is_bec_type_1),
		cmocka_unit_test(executive_signals_are_bec_type_2),
		cmocka_unit_test(data_request_without_payment_is_bec_type_5),
		cmocka_unit_test(lawyer_sender_is_type_4_and_ceo_naming_a_lawyer_type_2),
		cmocka_unit_test(a_rule_counts_once_in_the_score),
		cmocka_unit_test(score_weights_file_reads),
		cmocka_unit_test(no_single_weak_finding_reaches_suspicious),
		cmocka_unit_test(info_findings_never_count),
		cmocka_unit_test(auth_failure_with_identity_mismatch_adds_the_combination),
		cmocka_unit_test(freemail_reply_to_alone_is_suspicious),
		cmocka_unit_test(explained_envelope_is_no_payroll_diversion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
