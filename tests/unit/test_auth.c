/* Unit tests for analyzers/checks/auth.c: the Authentication-Results parser on the
 * forms real receivers write (Postfix with OpenDKIM/OpenDMARC, Gmail,
 * Microsoft 365, ProtonMail), and the analyzer's trust decision.  Messages
 * are built by hand so the tests depend on nothing but the analyzer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/auth.h"

#include <string.h>

/* ---- helpers ---- */

static void raw_header_free(ks_raw_header *h)
{
	g_free(h->name);
	g_free(h->raw_value);
	g_free(h->value);
	g_free(h);
}

/* A message holding only headers: name, value, name, value, ..., NULL. */
static ks_message *msg_new(const char *name, ...)
{
	ks_message *m = g_new0(ks_message, 1);
	m->headers = g_ptr_array_new_with_free_func((GDestroyNotify)raw_header_free);
	m->parts = g_ptr_array_new();
	m->problems = g_ptr_array_new_with_free_func(g_free);
	va_list ap;
	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		ks_raw_header *h = g_new0(ks_raw_header, 1);
		h->name = g_strdup(n);
		h->raw_value = g_strdup(v);
		h->value = g_strdup(v);
		g_ptr_array_add(m->headers, h);
	}
	va_end(ap);
	return m;
}

static void msg_free(ks_message *m)
{
	g_ptr_array_unref(m->headers);
	g_ptr_array_unref(m->parts);
	g_ptr_array_unref(m->problems);
	g_free(m);
}

static ks_report *analyze(ks_message *m, const ks_context *ctx)
{
	ks_report *r = ks_report_new();
	ks_auth_analyze(m, ctx, r);
	return r;
}

static const ks_finding *finding(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule)
			return f;
	}
	return NULL;
}

static guint count_findings(const ks_report *r, ks_rule rule)
{
	guint n = 0;
	for (guint i = 0; i < r->findings->len; i++)
		n += ((const ks_finding *)g_ptr_array_index(r->findings, i))->rule == rule;
	return n;
}

static bool has_domain(GPtrArray *list, const char *d)
{
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), d) == 0)
			return true;
	return false;
}

/* ---- the parser ---- */

static void opendkim_comment_with_semicolon_does_not_split_resinfo(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse("mail.example.org; dkim=pass (2048-bit key; unprotected) "
	                             "header.d=Example.COM header.i=@example.com "
	                             "header.b=\"AbCd1234\"", &a));
	assert_string_equal(a.authserv_id, "mail.example.org");
	assert_string_equal(a.dkim, "pass");
	assert_null(a.spf);
	assert_null(a.dmarc);
	assert_int_equal(a.dkim_domains->len, 1);
	assert_string_equal(g_ptr_array_index(a.dkim_domains, 0), "example.com");
	ks_authres_clear(&a);
}

static void opendmarc_fail_keeps_policy_comment_in_text(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse("mail.example.org; dmarc=fail (p=reject dis=none) "
	                             "header.from=example.com", &a));
	assert_string_equal(a.dmarc, "fail");
	assert_string_equal(a.dmarc_text, "dmarc=fail (p=reject dis=none) header.from=example.com");
	ks_authres_clear(&a);
}

static void gmail_header_gives_all_three_results(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse(
		"mx.google.com;\r\n       dkim=pass header.i=@x.com header.s=s1 header.b=abc+/=;\r\n"
		"       spf=pass (google.com: domain of a@x.com designates 192.0.2.1 as permitted "
		"sender) smtp.mailfrom=\"bounces+1=gmail.com@x.com\";\r\n"
		"       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=x.com", &a));
	assert_string_equal(a.authserv_id, "mx.google.com");
	assert_string_equal(a.spf, "pass");
	assert_string_equal(a.dkim, "pass");
	assert_string_equal(a.dmarc, "pass");
	assert_int_equal(a.dkim_domains->len, 1);
	assert_string_equal(g_ptr_array_index(a.dkim_domains, 0), "x.com");
	ks_authres_clear(&a);
}

static void microsoft_365_header_without_authserv_id_parses(void **state)
{
	(void)state;
	ks_authres a;
	ks_authres_parse("spf=softfail (sender IP is 1.2.3.4) smtp.mailfrom=x.com; dkim=none "
	                 "(message not signed) header.d=none;dmarc=bestguesspass action=none "
	                 "header.from=x.com;compauth=fail reason=001", &a);
	assert_true(a.ok);
	assert_null(a.authserv_id);
	assert_string_equal(a.spf, "softfail");
	assert_string_equal(a.spf_text, "spf=softfail (sender IP is 1.2.3.4) smtp.mailfrom=x.com");
	assert_string_equal(a.dkim, "none");
	assert_string_equal(a.dmarc, "none"); /* bestguesspass: no policy published */
	assert_int_equal(a.dkim_domains->len, 0); /* "header.d=none" is not a domain */
	ks_authres_clear(&a);
}

static void multiple_dkim_results_take_pass_and_list_every_domain(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse("mx.google.com; dkim=fail header.d=evil.example; "
	                             "dkim=pass header.i=@sendgrid.info header.s=smtpapi; "
	                             "dkim=neutral (bad format) header.d=third.example", &a));
	assert_string_equal(a.dkim, "pass");
	assert_string_equal(a.dkim_text, "dkim=pass header.i=@sendgrid.info header.s=smtpapi");
	assert_int_equal(a.dkim_domains->len, 3);
	assert_true(has_domain(a.dkim_domains, "evil.example"));
	assert_true(has_domain(a.dkim_domains, "sendgrid.info"));
	assert_true(has_domain(a.dkim_domains, "third.example"));
	ks_authres_clear(&a);
}

static void dkim_fail_outranks_neutral_when_none_pass(void **state)
{
	(void)state;
	ks_authres a;
	ks_authres_parse("mx.example; dkim=neutral header.d=a.example; dkim=fail header.d=b.example",
	                 &a);
	assert_string_equal(a.dkim, "fail");
	ks_authres_clear(&a);
}

static void nested_comments_and_quotes_are_skipped(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse("(lead (nested; spf=fail) comment) mx.example.net "
	                             "(another) ; spf (a) = (b) pass (outer (inner) ; "
	                             "dmarc=fail) smtp.mailfrom=\"a;b\\\"c@x.example\"; "
	                             "dkim/1=pass header.d=x.example", &a));
	assert_string_equal(a.authserv_id, "mx.example.net");
	assert_string_equal(a.spf, "pass");
	assert_null(a.dmarc);
	assert_string_equal(a.dkim, "pass");
	assert_true(has_domain(a.dkim_domains, "x.example"));
	ks_authres_clear(&a);
}

static void none_means_no_results(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse("example.org; none", &a));
	assert_true(a.none);
	assert_string_equal(a.authserv_id, "example.org");
	assert_null(a.spf);
	assert_null(a.dkim);
	assert_null(a.dmarc);
	ks_authres_clear(&a);
}

static void version_after_authserv_id_is_accepted(void **state)
{
	(void)state;
	ks_authres a;
	assert_true(ks_authres_parse("mx.microsoft.com 1; spf=PASS smtp.mailfrom=x.example", &a));
	assert_string_equal(a.authserv_id, "mx.microsoft.com");
	assert_string_equal(a.spf, "pass");
	ks_authres_clear(&a);
}

static void result_words_are_normalised(void **state)
{
	(void)state;
	assert_string_equal(ks_authres_normalize("PASS"), "pass");
	assert_string_equal(ks_authres_normalize("HardFail"), "fail");
	assert_string_equal(ks_authres_normalize("SoftFail"), "softfail");
	assert_string_equal(ks_authres_normalize("TempError"), "temperror");
	assert_string_equal(ks_authres_normalize("bestguesspass"), "none");
	assert_string_equal(ks_authres_normalize("policy"), "neutral");
	assert_string_equal(ks_authres_normalize("sideways"), "neutral");
	assert_null(ks_authres_normalize(""));
	assert_null(ks_authres_normalize(NULL));
}

static void garbage_values_never_crash_and_give_only_spec_words(void **state)
{
	(void)state;
	static const char *const junk[] = {
		"", ";", ";;;;", "(", "((((((", ")))", "\"", "\"unterminated; spf=pass",
		"=", "==;==", "/", "x/;", "a; =pass", "a; spf=", "a; spf=(", "a; spf=pass x",
		"a; spf=pass header.d", "a; dkim=pass header.d=\"", "\\", "a (\\", "a; dkim=pass (",
		"mx 1x; spf=pass", "mx; none; spf=fail", "a; none x", "\xff\xfe; spf=\xc3",
	};
	static const char *const words[] = {
		"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror",
	};
	GRand *rand = g_rand_new_with_seed(8601);
	for (int round = 0; round < 2000; round++) {
		g_autofree char *v = NULL;
		if (round < (int)G_N_ELEMENTS(junk)) {
			v = g_strdup(junk[round]);
		} else {
			/* random mixes of the characters the grammar cares about */
			static const char alphabet[] = "();=\"\\/ .@\tspfdkimarcnoe1";
			int len = g_rand_int_range(rand, 0, 60);
			v = g_malloc(len + 1);
			for (int i = 0; i < len; i++)
				v[i] = alphabet[g_rand_int_range(rand, 0, sizeof alphabet - 1)];
			v[len] = '\0';
		}
		ks_authres a;
		ks_authres_parse(v, &a);
		const char *results[] = {a.spf, a.dkim, a.dmarc};
		for (size_t k = 0; k < G_N_ELEMENTS(results); k++) {
			if (!results[k])
				continue;
			bool known = false;
			for (size_t w = 0; w < G_N_ELEMENTS(words); w++)
				known = known || strcmp(results[k], words[w]) == 0;
			assert_true(known);
		}
		ks_authres_clear(&a);
	}
	g_rand_free(rand);

	ks_authres a;
	assert_false(ks_authres_parse("\"unterminated; spf=pass", &a));
	assert_null(a.spf); /* the ';' was inside the quoted authserv-id */
	ks_authres_clear(&a);
	assert_false(ks_authres_parse(NULL, &a));
	ks_authres_clear(&a);
	ks_authres_clear(&a); /* idempotent */
}

/* ---- the analyzer ---- */

static void top_most_results_fill_the_report(void **state)
{
	(void)state;
	ks_message *m = msg_new("Received", "from a by b; Mon, 1 Jan 2024 00:00:00 +0000",
	                        "Authentication-Results",
	                        "mx.google.com; dkim=pass header.i=@x.com header.s=s1 header.b=abc; "
	                        "spf=pass (google.com: domain of a@x.com) smtp.mailfrom=a@x.com; "
	                        "dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=x.com",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "pass");
	assert_string_equal(r->auth.dkim, "pass");
	assert_string_equal(r->auth.dmarc, "pass");
	assert_string_equal(r->auth.authserv_id, "mx.google.com");
	assert_int_equal(r->auth.dkim_domains->len, 1);
	assert_string_equal(g_ptr_array_index(r->auth.dkim_domains, 0), "x.com");
	assert_int_equal(r->auth.ignored->len, 0);
	assert_int_equal(r->findings->len, 0);
	ks_report_free(r);
	msg_free(m);
}

static void attacker_inserted_lower_header_is_ignored_and_reported(void **state)
{
	(void)state;
	ks_message *m = msg_new("Authentication-Results",
	                        "mx.example.com; spf=fail (sender IP is 203.0.113.9) "
	                        "smtp.mailfrom=evil.example; dkim=none; dmarc=fail header.from=bank.example",
	                        "Received", "from x by y",
	                        "Authentication-Results",
	                        "bank.example; spf=pass smtp.mailfrom=bank.example; dkim=pass "
	                        "header.d=bank.example; dmarc=pass header.from=bank.example",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "fail");
	assert_string_equal(r->auth.dkim, "none");
	assert_string_equal(r->auth.dmarc, "fail");
	assert_string_equal(r->auth.authserv_id, "mx.example.com");
	assert_int_equal(r->auth.dkim_domains->len, 0);
	assert_int_equal(r->auth.ignored->len, 1);
	assert_string_equal(g_ptr_array_index(r->auth.ignored, 0), "bank.example");

	const ks_finding *f = finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_string_equal(f->location, "header:Authentication-Results");
	assert_non_null(strstr(f->evidence, "bank.example"));
	assert_non_null(strstr(f->evidence, "spf=pass dkim=pass dmarc=pass"));

	f = finding(r, KS_RULE_AUTH_SPF_FAIL);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_string_equal(f->location, "header:Authentication-Results");
	assert_string_equal(f->evidence,
	                    "spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=evil.example");
	assert_non_null(finding(r, KS_RULE_AUTH_DMARC_FAIL));
	assert_null(finding(r, KS_RULE_AUTH_DKIM_FAIL)); /* none is not fail */
	ks_report_free(r);
	msg_free(m);
}

static void configured_authserv_id_picks_a_lower_header(void **state)
{
	(void)state;
	ks_message *m = msg_new("Authentication-Results",
	                        "relay.partner.example; spf=pass smtp.mailfrom=x.example",
	                        "Authentication-Results",
	                        "MX.Corp.Example; spf=softfail smtp.mailfrom=x.example; "
	                        "dkim=fail (bad signature) header.d=x.example",
	                        NULL);
	ks_context *ctx = ks_context_new();
	ks_context_add_authserv_id(ctx, "mx.corp.example");
	ks_report *r = analyze(m, ctx);
	assert_string_equal(r->auth.authserv_id, "MX.Corp.Example");
	assert_string_equal(r->auth.spf, "softfail");
	assert_string_equal(r->auth.dkim, "fail");
	assert_int_equal(r->auth.ignored->len, 1);
	assert_string_equal(g_ptr_array_index(r->auth.ignored, 0), "relay.partner.example");
	const ks_finding *f = finding(r, KS_RULE_AUTH_SPF_FAIL);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_LOW);
	f = finding(r, KS_RULE_AUTH_DKIM_FAIL);
	assert_non_null(f);
	assert_string_equal(f->evidence, "dkim=fail (bad signature) header.d=x.example");
	assert_int_equal(count_findings(r, KS_RULE_AUTH_UNTRUSTED_RESULTS), 1);
	ks_report_free(r);
	ks_context_free(ctx);
	msg_free(m);
}

static void headers_sharing_the_top_authserv_id_are_merged(void **state)
{
	(void)state;
	/* ProtonMail writes one header per method */
	ks_message *m = msg_new("Authentication-Results",
	                        "mailin008.protonmail.ch; dkim=pass (2048-bit key) header.d=a.example",
	                        "Authentication-Results",
	                        "mailin008.protonmail.ch; dmarc=fail (p=quarantine dis=none) "
	                        "header.from=a.example",
	                        "Authentication-Results",
	                        "mailin008.protonmail.ch; spf=fail smtp.mailfrom=a.example", NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "fail");
	assert_string_equal(r->auth.dkim, "pass");
	assert_string_equal(r->auth.dmarc, "fail");
	assert_int_equal(r->auth.ignored->len, 0);
	assert_null(finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS));
	assert_non_null(finding(r, KS_RULE_AUTH_SPF_FAIL));
	assert_non_null(finding(r, KS_RULE_AUTH_DMARC_FAIL));
	ks_report_free(r);
	msg_free(m);
}

static void forged_header_with_receivers_id_below_a_received_is_ignored(void **state)
{
	(void)state;
	/* the attacker's relay wrote "mx.victim.example; ...=pass" before the
	 * mail reached mx.victim.example: it sits below the receiver's Received */
	ks_message *m = msg_new("Authentication-Results",
	                        "mx.victim.example; spf=fail smtp.mailfrom=ceo@victim.example; "
	                        "dmarc=fail header.from=victim.example",
	                        "Received",
	                        "from relay.evil.example (relay.evil.example [198.51.100.9]) by "
	                        "mx.victim.example with ESMTP id 1; Thu, 12 Dec 2024 11:02:19 +0900",
	                        "Authentication-Results",
	                        "mx.victim.example; spf=pass smtp.mailfrom=ceo@victim.example; "
	                        "dkim=pass header.d=victim.example; dmarc=pass header.from=victim.example",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "fail");
	assert_string_equal(r->auth.dmarc, "fail");
	assert_null(r->auth.dkim);
	assert_int_equal(r->auth.dkim_domains->len, 0);
	assert_non_null(finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS));
	ks_report_free(r);
	msg_free(m);
}

static void lower_headers_of_one_untrusted_writer_give_one_finding(void **state)
{
	(void)state;
	/* phishing_pot sample-5510: a second ProtonMail pass left its headers below */
	ks_message *m = msg_new("Authentication-Results", "mail.protonmail.ch; spf=none",
	                        "Authentication-Results", "mail.protonmail.ch; dkim=none",
	                        "Authentication-Results",
	                        "mailin034.protonmail.ch; dmarc=fail (p=reject dis=none)",
	                        "Authentication-Results",
	                        "mailin034.protonmail.ch; spf=fail smtp.mailfrom=e-safer.com.br",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "none");
	assert_string_equal(r->auth.dkim, "none");
	assert_null(r->auth.dmarc);
	assert_int_equal(r->auth.ignored->len, 1);
	assert_int_equal(count_findings(r, KS_RULE_AUTH_UNTRUSTED_RESULTS), 1);
	const ks_finding *f = finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS);
	assert_non_null(strstr(f->evidence, "ignored 2 Authentication-Results headers from "
	                                    "mailin034.protonmail.ch"));
	assert_non_null(strstr(f->evidence, "spf=fail dmarc=fail"));
	assert_null(finding(r, KS_RULE_AUTH_SPF_FAIL));
	ks_report_free(r);
	msg_free(m);
}

static void lower_header_without_authserv_id_is_not_trusted_under_exchange(void **state)
{
	(void)state;
	ks_message *m = msg_new("Authentication-Results",
	                        "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=x.example; "
	                        "dkim=fail (signature did not verify) header.d=x.example;"
	                        "dmarc=fail action=quarantine header.from=x.example",
	                        "Authentication-Results",
	                        "spf=pass smtp.mailfrom=x.example; dkim=pass header.d=x.example",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.dkim, "fail");
	assert_non_null(finding(r, KS_RULE_AUTH_DKIM_FAIL));
	assert_int_equal(r->auth.ignored->len, 1);
	assert_string_equal(g_ptr_array_index(r->auth.ignored, 0), "(no authserv-id)");
	assert_non_null(finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS));
	ks_report_free(r);
	msg_free(m);
}

static void received_spf_stands_in_when_no_authentication_results(void **state)
{
	(void)state;
	ks_message *m = msg_new("Received-SPF",
	                        "Fail (mailfrom) identity=mailfrom; client-ip=192.0.2.7; "
	                        "envelope-from=a@evil.example",
	                        "Received-SPF", "pass (lower, attacker's)", NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "fail");
	assert_null(r->auth.dkim);
	assert_null(r->auth.dmarc);
	assert_null(r->auth.authserv_id);
	const ks_finding *f = finding(r, KS_RULE_AUTH_SPF_FAIL);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Received-SPF");
	assert_non_null(strstr(f->evidence, "client-ip=192.0.2.7"));
	ks_report_free(r);
	msg_free(m);
}

static void encoded_word_header_from_exchange_is_decoded(void **state)
{
	(void)state;
	/* phishing_pot sample-6800: "spf=temperror (sender IP is 5.135.42.42)
	 * smtp.mailfrom=impresschannel.com; dkim=fail (no key for signature)
	 * header.d=kaufland-marktplatz.de;dmarc=fail action=quarantine ..." */
	ks_message *m = msg_new("Authentication-Results",
	                        "=?utf-8?B?c3BmPXRlbXBlcnJvciAoc2VuZGVyIElQIGlzIDUuMTM1LjQyLjQyKSBzbXRw?= "
	                        "=?utf-8?B?Lm1haWxmcm9tPWltcHJlc3NjaGFubmVsLmNvbTsgZGtpbT1mYWlsIChubyBr?= "
	                        "=?utf-8?B?ZXkgZm9yIHNpZ25hdHVyZSkgaGVhZGVyLmQ9a2F1ZmxhbmQtbWFya3RwbGF0?= "
	                        "=?utf-8?B?ei5kZTtkbWFyYz1mYWlsIGFjdGlvbj1xdWFyYW50aW5lIGhlYWRlci5mcm9t?= "
	                        "=?utf-8?B?PWEuZXhhbXBsZQ==?=",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "temperror");
	assert_string_equal(r->auth.dkim, "fail");
	assert_string_equal(r->auth.dmarc, "fail");
	assert_int_equal(r->auth.dkim_domains->len, 1);
	assert_string_equal(g_ptr_array_index(r->auth.dkim_domains, 0), "kaufland-marktplatz.de");
	assert_non_null(finding(r, KS_RULE_AUTH_DKIM_FAIL));
	assert_non_null(finding(r, KS_RULE_AUTH_DMARC_FAIL));
	ks_report_free(r);
	msg_free(m);
}

static void arc_authentication_results_are_not_read(void **state)
{
	(void)state;
	ks_message *m = msg_new("ARC-Authentication-Results",
	                        "i=1; mx.google.com; spf=fail smtp.mailfrom=x.example; dmarc=fail",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_null(r->auth.spf);
	assert_null(r->auth.dmarc);
	assert_int_equal(r->findings->len, 0);
	assert_int_equal(r->auth.ignored->len, 0);
	ks_report_free(r);
	msg_free(m);
}

static void received_spf_is_kept_beside_a_trusted_spf(void **state)
{
	(void)state;
	ks_message *m = msg_new("Authentication-Results", "mx.example.com; spf=pass "
	                        "smtp.mailfrom=a@example.org",
	                        "Received-SPF", "SoftFail (mx.example.com: domain of transitioning "
	                        "a@example.org does not designate 192.0.2.7 as permitted sender)",
	                        "Received-SPF", "pass (lower, the sender's own)", NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.spf, "pass");
	assert_string_equal(r->auth.received_spf, "softfail");
	/* the trusted header decides SPF: nothing is raised for Received-SPF */
	assert_null(finding(r, KS_RULE_AUTH_SPF_FAIL));
	ks_report_free(r);
	msg_free(m);
	m = msg_new("Authentication-Results", "mx.example.com; spf=pass", NULL);
	r = analyze(m, NULL);
	assert_null(r->auth.received_spf);
	ks_report_free(r);
	msg_free(m);
}

static void arc_is_the_highest_instance_seals_cv(void **state)
{
	(void)state;
	/* by instance, not by place: the i=2 seal is lower here */
	ks_message *m = msg_new("ARC-Seal", "i=1; a=rsa-sha256; t=1700000000; cv=none; "
	                        "d=list.example; s=arc; b=AAAA",
	                        "ARC-Seal", "i=2; a=rsa-sha256; t=1700000100; cv=pass; "
	                        "d=google.com; s=arc-20160816; b=BBBB",
	                        "ARC-Message-Signature", "i=2; a=rsa-sha256; d=google.com; b=CCCC",
	                        NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.arc, "pass");
	assert_int_equal(r->findings->len, 0);
	ks_report_free(r);
	msg_free(m);
	m = msg_new("ARC-Seal", "i=3; cv=fail; d=microsoft.com; b=x", "ARC-Seal",
	            "i=2; cv=pass; d=microsoft.com; b=y", "ARC-Seal", "i=1; cv=none; b=z", NULL);
	r = analyze(m, NULL);
	assert_string_equal(r->auth.arc, "fail");
	ks_report_free(r);
	msg_free(m);
	/* white space around tags and values (RFC 6376 3.2), a value in any case */
	m = msg_new("ARC-Seal", " i = 1 ;\t a=rsa-sha256; cv = None ; d=example.org; b=x", NULL);
	r = analyze(m, NULL);
	assert_string_equal(r->auth.arc, "none");
	ks_report_free(r);
	msg_free(m);
}

static void arc_without_a_readable_seal_is_a_failed_chain(void **state)
{
	(void)state;
	static const char *const seals[] = {
		"i=2; cv=maybe; d=example.org; b=x", /* no such cv */
		"i=51; cv=pass; d=example.org; b=x", /* past RFC 8617's 50 */
		"i=0; cv=none; d=example.org; b=x",
		"cv=pass; d=example.org; b=x", /* no instance */
		"i=1x; cv=pass; b=x",
		"i=1; CV=pass; b=x", /* tag names are case-sensitive (RFC 6376 3.2) */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(seals); i++) {
		ks_message *m = msg_new("ARC-Seal", seals[i], NULL);
		ks_report *r = analyze(m, NULL);
		assert_string_equal(r->auth.arc, "fail");
		ks_report_free(r);
		msg_free(m);
	}
	/* a set without its seal */
	ks_message *m = msg_new("ARC-Authentication-Results", "i=1; mx.example.com; spf=pass", NULL);
	ks_report *r = analyze(m, NULL);
	assert_string_equal(r->auth.arc, "fail");
	ks_report_free(r);
	msg_free(m);
	/* no ARC header at all: nothing to say */
	m = msg_new("Authentication-Results", "mx.example.com; spf=pass", "ARC-Filter", "x", NULL);
	r = analyze(m, NULL);
	assert_null(r->auth.arc);
	ks_report_free(r);
	msg_free(m);
}

static void ignored_authserv_id_is_sanitized(void **state)
{
	(void)state;
	ks_message *m = msg_new("Authentication-Results", "mx.example.com; spf=pass",
	                        "Authentication-Results", "evil\x1b[31m.example; spf=pass", NULL);
	ks_report *r = analyze(m, NULL);
	assert_int_equal(r->auth.ignored->len, 1);
	assert_null(strchr(g_ptr_array_index(r->auth.ignored, 0), '\x1b'));
	const ks_finding *f = finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS);
	assert_non_null(f);
	assert_null(strchr(f->evidence, '\x1b'));
	ks_report_free(r);
	msg_free(m);
}

static void many_untrusted_headers_give_bounded_findings(void **state)
{
	(void)state;
	ks_message *m = msg_new("Authentication-Results", "mx.example.com; spf=pass", NULL);
	for (int i = 0; i < 200; i++) {
		ks_raw_header *h = g_new0(ks_raw_header, 1);
		h->name = g_strdup("Authentication-Results");
		h->value = g_strdup_printf("fake%d.example; dmarc=pass", i);
		g_ptr_array_add(m->headers, h);
	}
	ks_report *r = analyze(m, NULL);
	/* ten named writers, then one line for the rest */
	assert_int_equal(count_findings(r, KS_RULE_AUTH_UNTRUSTED_RESULTS), 11);
	assert_int_equal(r->auth.ignored->len, 32);
	assert_string_equal(r->auth.spf, "pass");
	assert_null(r->auth.dmarc);
	ks_report_free(r);
	msg_free(m);
}

/* ---- the one verdict (ks_auth_verdict_of, ks_auth_failed) ---- */

static void verdict_words_map_to_the_enum(void **state)
{
	(void)state;
	assert_int_equal(ks_auth_verdict_of(NULL), KS_AUTH_ABSENT);
	assert_int_equal(ks_auth_verdict_of("pass"), KS_AUTH_PASS);
	assert_int_equal(ks_auth_verdict_of("PASS"), KS_AUTH_PASS);
	assert_int_equal(ks_auth_verdict_of("fail"), KS_AUTH_FAIL);
	assert_int_equal(ks_auth_verdict_of("softfail"), KS_AUTH_SOFTFAIL);
	assert_int_equal(ks_auth_verdict_of("none"), KS_AUTH_NONE);
	assert_int_equal(ks_auth_verdict_of("temperror"), KS_AUTH_TEMPERROR);
	assert_int_equal(ks_auth_verdict_of("permerror"), KS_AUTH_PERMERROR);
	/* outside the set: neutral, as the normaliser maps unknown words */
	assert_int_equal(ks_auth_verdict_of("hardfail-ish"), KS_AUTH_NEUTRAL);
	assert_true(ks_auth_verdict_failed(KS_AUTH_FAIL));
	assert_true(ks_auth_verdict_failed(KS_AUTH_SOFTFAIL));
	assert_false(ks_auth_verdict_failed(KS_AUTH_NEUTRAL));
	assert_false(ks_auth_verdict_failed(KS_AUTH_PERMERROR));
	assert_false(ks_auth_verdict_failed(KS_AUTH_ABSENT));
}

static void failed_means_what_the_rules_raise(void **state)
{
	(void)state;
	char neutral[] = "neutral", none[] = "none", pass[] = "pass", softfail[] = "softfail",
	     fail[] = "fail";
	ks_auth a = {0};
	assert_false(ks_auth_failed(&a));
	a.spf = neutral; /* not a failure: the TUI once showed it as one */
	a.dkim = none;
	a.dmarc = pass;
	assert_false(ks_auth_failed(&a));
	a.spf = softfail;
	assert_true(ks_auth_failed(&a));
	a.spf = pass;
	a.dmarc = fail;
	assert_true(ks_auth_failed(&a));
	/* and the analyzer raises exactly where ks_auth_failed says so */
	ks_message *m = msg_new("Received", "from a by b; Mon, 1 Jan 2024 00:00:00 +0000",
	                        "Authentication-Results",
	                        "mx.example; spf=softfail smtp.mailfrom=a.example; dkim=none", NULL);
	ks_report *r = analyze(m, NULL);
	assert_true(ks_auth_failed(&r->auth));
	assert_non_null(finding(r, KS_RULE_AUTH_SPF_FAIL));
	assert_int_equal(finding(r, KS_RULE_AUTH_SPF_FAIL)->severity, KS_SEV_LOW);
	assert_null(finding(r, KS_RULE_AUTH_DKIM_FAIL));
	ks_report_free(r);
	msg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opendkim_comment_with_semicolon_does_not_split_resinfo),
		cmocka_unit_test(opendmarc_fail_keeps_policy_comment_in_text),
		cmocka_unit_test(gmail_header_gives_all_three_results),
		cmocka_unit_test(microsoft_365_header_without_authserv_id_parses),
		cmocka_unit_test(multiple_dkim_results_take_pass_and_list_every_domain),
		cmocka_unit_test(dkim_fail_outranks_neutral_when_none_pass),
		cmocka_unit_test(nested_comments_and_quotes_are_skipped),
		cmocka_unit_test(none_means_no_results),
		cmocka_unit_test(version_after_authserv_id_is_accepted),
		cmocka_unit_test(result_words_are_normalised),
		cmocka_unit_test(garbage_values_never_crash_and_give_only_spec_words),
		cmocka_unit_test(top_most_results_fill_the_report),
		cmocka_unit_test(attacker_inserted_lower_header_is_ignored_and_reported),
		cmocka_unit_test(configured_authserv_id_picks_a_lower_header),
		cmocka_unit_test(headers_sharing_the_top_authserv_id_are_merged),
		cmocka_unit_test(forged_header_with_receivers_id_below_a_received_is_ignored),
		cmocka_unit_test(lower_headers_of_one_untrusted_writer_give_one_finding),
		cmocka_unit_test(lower_header_without_authserv_id_is_not_trusted_under_exchange),
		cmocka_unit_test(received_spf_stands_in_when_no_authentication_results),
		cmocka_unit_test(encoded_word_header_from_exchange_is_decoded),
		cmocka_unit_test(arc_authentication_results_are_not_read),
		cmocka_unit_test(received_spf_is_kept_beside_a_trusted_spf),
		cmocka_unit_test(arc_is_the_highest_instance_seals_cv),
		cmocka_unit_test(arc_without_a_readable_seal_is_a_failed_chain),
		cmocka_unit_test(ignored_authserv_id_is_sanitized),
		cmocka_unit_test(many_untrusted_headers_give_bounded_findings),
		cmocka_unit_test(verdict_words_map_to_the_enum),
		cmocka_unit_test(failed_means_what_the_rules_raise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
