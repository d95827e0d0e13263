/* ks_identity_analyze over the J-CSIP BEC cases of DESIGN.md (CEO fraud,
 * payroll diversion, invoice fraud with lookalike partner domains, young
 * domains) and the ordinary mail that must raise nothing.  Reports are built
 * by hand, as the headers and body analyzers would leave them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/identity.h"

#include <string.h>

static void add_addr(GPtrArray *list, const char *name, const char *address)
{
	g_ptr_array_add(list, ks_address_new(name, address));
}

static void set_date(ks_report *r, const char *iso)
{
	r->date = g_date_time_new_from_iso8601(iso, NULL);
	assert_non_null(r->date);
}

static void add_registration(ks_context *ctx, const char *domain, const char *iso)
{
	GDateTime *t = g_date_time_new_from_iso8601(iso, NULL);
	assert_non_null(t);
	ks_context_add_registration(ctx, domain, t, "whois");
	g_date_time_unref(t);
}

static void run(ks_report *r, const ks_context *ctx)
{
	ks_message m = {0};
	m.headers = g_ptr_array_new();
	m.parts = g_ptr_array_new();
	m.problems = g_ptr_array_new();
	ks_identity_analyze(&m, ctx, r);
	g_ptr_array_unref(m.headers);
	g_ptr_array_unref(m.parts);
	g_ptr_array_unref(m.problems);
}

static guint count(const ks_report *r, ks_rule rule)
{
	guint n = 0;
	for (guint i = 0; i < r->findings->len; i++)
		if (((ks_finding *)g_ptr_array_index(r->findings, i))->rule == rule)
			n++;
	return n;
}

/* The finding of that rule whose evidence holds text (NULL: the first). */
static const ks_finding *find(const ks_report *r, ks_rule rule, const char *text)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule && (!text || strstr(f->evidence, text)))
			return f;
	}
	return NULL;
}

static const ks_finding *expect(const ks_report *r, ks_rule rule, const char *text,
                                const char *location, ks_severity sev)
{
	const ks_finding *f = find(r, rule, text);
	if (!f) {
		for (guint i = 0; i < r->findings->len; i++) {
			const ks_finding *g = g_ptr_array_index(r->findings, i);
			print_message("  have %s: %s\n", ks_rule_id(g->rule), g->evidence);
		}
		fail_msg("no %s finding with \"%s\"", ks_rule_id(rule), text ? text : "");
	}
	assert_string_equal(f->location, location);
	if (f->severity != sev)
		fail_msg("%s \"%s\": severity %s, want %s", ks_rule_id(rule), f->evidence,
		         ks_severity_name(f->severity), ks_severity_name(sev));
	return f;
}

static void expect_none(const ks_report *r)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		print_message("  unexpected %s: %s\n", ks_rule_id(f->rule), f->evidence);
	}
	assert_int_equal(r->findings->len, 0);
}

/* J-CSIP CEO fraud: the CEO's name in Japanese, an address on the company's
 * own domain that breaks its naming rule, Reply-To to free mail. */
static void ceo_fraud_name_pattern_and_freemail_reply_to(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "corp.co.jp");
	ks_context_add_contact(ctx, "山田 太郎", "t.yamada@corp.co.jp");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "山田　太郎", "taro_yamada@corp.co.jp"); /* ideographic space */
	add_addr(r->reply_to, NULL, "yamada.ceo.office@gmail.com");
	add_addr(r->to, "経理部", "keiri@corp.co.jp");
	run(r, ctx);

	expect(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF,
	       "local part breaks the t.yamada pattern", "header:From", KS_SEV_HIGH);
	expect(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "taro_yamada@corp.co.jp", "header:From",
	       KS_SEV_HIGH);
	expect(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS,
	       "Reply-To yamada.ceo.office@gmail.com, From taro_yamada@corp.co.jp", "header:Reply-To",
	       KS_SEV_HIGH);
	assert_int_equal(count(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN), 0);
	assert_int_equal(count(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS), 0);
}

static void ceo_name_in_other_word_order_on_outside_domain(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_contact(ctx, "Taro Yamada", "t.yamada@corp.co.jp");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "YAMADA, Taro", "ceo@executive-mail.example");
	run(r, ctx);

	const ks_finding *f = expect(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF,
	                             "contact Taro Yamada <t.yamada@corp.co.jp>", "header:From",
	                             KS_SEV_HIGH);
	assert_non_null(strstr(f->evidence, "ceo@executive-mail.example"));
	assert_null(strstr(f->evidence, "same domain"));
}

static void same_pattern_other_mailbox_says_so(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_contact(ctx, "山田太郎", "t.yamada@corp.co.jp");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "山田 太郎", "h.suzuki@corp.co.jp");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "same domain, not the mailbox t.yamada",
	       "header:From", KS_SEV_HIGH);
}

static void contact_name_inside_a_title_still_matches(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_contact(ctx, "山田 太郎", "t.yamada@corp.co.jp");
	ks_context_add_contact(ctx, "Taro Yamada", "t.yamada@corp.co.jp");
	const char *names[] = {"代表取締役社長 山田 太郎", "社長山田太郎", "Taro Yamada, CEO",
	                       "ＹＡＭＡＤＡ　Ｔａｒｏ"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(ks_report) r = ks_report_new();
		add_addr(r->from, names[i], "ceo-office@corp-co-jp.example");
		run(r, ctx);
		if (!find(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "t.yamada@corp.co.jp"))
			fail_msg("\"%s\" was not taken for the contact", names[i]);
	}
}

static void other_names_are_not_the_contact(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_contact(ctx, "Ken Mori", "k.mori@corp.co.jp");
	ks_context_add_contact(ctx, "山田 太郎", "t.yamada@corp.co.jp");
	ks_context_add_contact(ctx, "山田 太郎", "yamada@home.example"); /* the same person */
	const char *names[] = {"Kenji Mori", "Mori", "山田 花子", "山田"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(ks_report) r = ks_report_new();
		add_addr(r->from, names[i], "someone@elsewhere.example");
		run(r, ctx);
		if (r->findings->len)
			fail_msg("\"%s\" raised %s", names[i],
			         ((ks_finding *)g_ptr_array_index(r->findings, 0))->evidence);
	}
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "山田太郎", "Yamada@Home.example");
	run(r, ctx);
	expect_none(r);
}

static void display_name_holding_another_address(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "ceo@corp.example", "x@evil.example");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF,
	       "shows ceo@corp.example, but the address is x@evil.example", "header:From",
	       KS_SEV_HIGH);
	assert_int_equal(count(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF), 1);
}

static void display_name_holding_a_full_width_address(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	/* "田中（ｔａｎａｋａ＠ｃｏｒｐ．ｅｘａｍｐｌｅ）" */
	add_addr(r->from,
	         "\xe7\x94\xb0\xe4\xb8\xad\xef\xbc\x88\xef\xbd\x94\xef\xbd\x81\xef\xbd\x8e"
	         "\xef\xbd\x81\xef\xbd\x8b\xef\xbd\x81\xef\xbc\xa0\xef\xbd\x83\xef\xbd\x8f"
	         "\xef\xbd\x92\xef\xbd\x90\xef\xbc\x8e\xef\xbd\x85\xef\xbd\x98\xef\xbd\x81"
	         "\xef\xbd\x8d\xef\xbd\x90\xef\xbd\x8c\xef\xbd\x85\xef\xbc\x89",
	         "billing@evil.example");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "shows tanaka@corp.example", "header:From",
	       KS_SEV_HIGH);
}

/* GMime hands From's IDN decoded, Return-Path stays punycode: one domain */
static void punycode_return_path_is_the_unicode_from_domain(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, NULL, "a@\xd0\xb0sahi-buhin.co.jp"); /* Cyrillic а */
	r->return_path = g_strdup("<a@xn--sahi-buhin-yqi.co.jp>");
	add_addr(r->reply_to, NULL, "a@XN--SAHI-BUHIN-YQI.co.jp");
	run(r, ctx);
	assert_int_equal(count(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS), 0);
	assert_int_equal(count(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS), 0);
}

/* Payroll diversion (J-CSIP): From is the real executive on the protected
 * domain, the envelope sender is somewhere else. */
static void payroll_diversion_envelope_outside_protected_domain(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "corp.co.jp");
	ks_context_add_contact(ctx, "佐藤 花子", "h.sato@corp.co.jp");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "佐藤 花子", "h.sato@corp.co.jp");
	add_addr(r->to, "人事部", "jinji@corp.co.jp");
	r->return_path = g_strdup("<h.sato@mx.payroll-change.example>");
	run(r, ctx);

	expect(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS,
	       "Return-Path h.sato@mx.payroll-change.example, From h.sato@corp.co.jp",
	       "header:Return-Path", KS_SEV_HIGH);
	assert_int_equal(r->findings->len, 1);
}

static void bulk_bounce_envelope_stays_low(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "corp.co.jp");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "Shop News", "news@shop.example");
	add_addr(r->to, NULL, "user@corp.co.jp");
	r->return_path = g_strdup("<bounces+123-abc=corp.co.jp@em1234.sendgrid.net>");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, "sendgrid.net", "header:Return-Path",
	       KS_SEV_LOW);
	assert_int_equal(r->findings->len, 1);
}

static void null_or_same_organisation_envelope_is_quiet(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	const char *paths[] = {"<>", "", "  ", "<bounce@mail.corp.co.jp>", "Info@Corp.Co.Jp"};
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(ks_report) r = ks_report_new();
		add_addr(r->from, NULL, "info@corp.co.jp");
		r->return_path = g_strdup(paths[i]);
		run(r, ctx);
		if (r->findings->len)
			fail_msg("Return-Path \"%s\" raised %s", paths[i],
			         ((ks_finding *)g_ptr_array_index(r->findings, 0))->evidence);
	}
}

/* J-CSIP invoice fraud in a hijacked thread: the partner's domain is only in
 * the quoted text; the reply comes from a one-letter lookalike and Cc's a
 * lookalike of the victim's own domain (abc-company.co.jp as one label). */
static void invoice_fraud_lookalike_from_and_cc(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "abc-company.co.jp");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "Taro Tanaka", "taro@abcccompany-a.com");
	add_addr(r->to, "経理部", "keiri@abc-company.co.jp");
	add_addr(r->cc, "部長", "buchou@abc-company-co-jp.com");
	r->return_path = g_strdup("<taro@abcccompany-a.com>");
	r->body_text = g_strdup("お世話になっております。\n口座が変更になりました。\n"
	                        "--\nTaro Tanaka taro@abcccompany-a.com\n\n"
	                        "> 差出人: Taro Tanaka <taro@abccompany-a.com>\n"
	                        "> 宛先: keiri@abc-company.co.jp\n> 請求書を送付します。\n");
	run(r, ctx);

	expect(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
	       "abcccompany-a.com looks like abccompany-a.com (insertion of 'c' at 4), "
	       "abccompany-a.com is quoted in the body (taro@abccompany-a.com)",
	       "header:From", KS_SEV_HIGH);
	expect(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
	       "abc-company-co-jp.com looks like abc-company.co.jp (separator",
	       "header:Cc", KS_SEV_HIGH);
	assert_non_null(find(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
	                     "abc-company.co.jp is a protected domain"));
	/* one finding per (sender domain, target): From and Return-Path share one */
	assert_int_equal(count(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN), 2);
	assert_int_equal(count(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS), 0);
}

static void body_quoted_partner_is_the_reference(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new(); /* nothing known beforehand */
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "田中", "tanaka@abcompany-a.com");
	add_addr(r->to, NULL, "buyer@victim.example");
	r->body_text = g_strdup("ご確認ください。\n\n-----Original Message-----\n"
	                        "差出人: 田中 <tanaka@abccompany-a.com>まで\n");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
	       "abcompany-a.com looks like abccompany-a.com (deletion of 'c'", "header:From",
	       KS_SEV_HIGH);
	assert_int_equal(r->findings->len, 1);
}

static void contact_domain_and_reply_to_lookalike_of_from(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_contact(ctx, "Lawyer", "counsel@lawfirm-partners.example");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "Counsel", "counsel@lawfirm-partner.example");
	add_addr(r->reply_to, NULL, "counsel@lawfirm-partnre.example");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
	       "lawfirm-partner.example looks like lawfirm-partners.example (deletion", "header:From",
	       KS_SEV_HIGH);
	assert_non_null(find(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "the domain of contact Lawyer"));
	expect(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
	       "lawfirm-partnre.example looks like lawfirm-partner.example (transposition",
	       "header:Reply-To", KS_SEV_HIGH);
	assert_non_null(find(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "is the From domain"));
	expect(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, NULL, "header:Reply-To", KS_SEV_MEDIUM);
}

static void young_domain_two_days_before_message(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	add_registration(ctx, "abcccompany-a.com", "2023-05-16T03:00:00Z");
	add_registration(ctx, "abccompany-a.com", "2004-04-01T00:00:00Z");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, NULL, "taro@mail.abcccompany-a.com");
	add_addr(r->cc, NULL, "hanako@abccompany-a.com");
	set_date(r, "2023-05-18T15:20:00+09:00");
	run(r, ctx);

	const ks_finding *f = expect(r, KS_RULE_IDENTITY_YOUNG_DOMAIN, "2 days 3 hours before",
	                             "header:From", KS_SEV_HIGH);
	assert_non_null(strstr(f->evidence, "abcccompany-a.com registered 2023-05-16T03:00:00"));
	assert_non_null(strstr(f->evidence, "2023-05-18T15:20:00+09:00"));
	assert_int_equal(count(r, KS_RULE_IDENTITY_YOUNG_DOMAIN), 1);
	/* both known registrations are on the timeline, the old one too */
	assert_int_equal(r->timeline->len, 2);
	const ks_event *e = g_ptr_array_index(r->timeline, 0);
	assert_string_equal(e->event, "domain abcccompany-a.com registered");
	assert_string_equal(e->source, "context:registration");
}

static void domain_registered_after_message_is_flagged(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	add_registration(ctx, "new-invoice.example", "2023-06-01T00:00:00Z");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->reply_to, NULL, "pay@new-invoice.example");
	add_addr(r->from, NULL, "a@corp.example");
	set_date(r, "2023-05-20T00:00:00Z");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_YOUNG_DOMAIN, "12 days 0 hours AFTER the message date",
	       "header:Reply-To", KS_SEV_HIGH);
}

static void old_domain_or_undated_message_gives_only_the_event(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	add_registration(ctx, "corp.example", "2023-04-18T06:19:59Z");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, NULL, "a@corp.example");
	set_date(r, "2023-05-18T06:20:00Z"); /* 30 days and a second: not young */
	run(r, ctx);
	expect_none(r);
	assert_int_equal(r->timeline->len, 1);

	g_autoptr(ks_report) undated = ks_report_new();
	add_addr(undated->from, NULL, "a@corp.example");
	run(undated, ctx);
	expect_none(undated);
	assert_int_equal(undated->timeline->len, 1);
}

static void reply_to_elsewhere_is_medium_and_freemail_from_stays_medium(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, NULL, "ceo@corp.example");
	add_addr(r->reply_to, NULL, "x@evil.example");
	run(r, ctx);
	expect(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, "Reply-To x@evil.example, From ceo@corp.example",
	       "header:Reply-To", KS_SEV_MEDIUM);

	g_autoptr(ks_report) free_to_free = ks_report_new();
	add_addr(free_to_free->from, NULL, "someone@gmail.com");
	add_addr(free_to_free->reply_to, NULL, "someone@yahoo.co.jp");
	run(free_to_free, ctx);
	expect(free_to_free, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, "yahoo.co.jp", "header:Reply-To",
	       KS_SEV_MEDIUM);
}

static void benign_partner_reply_raises_nothing(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "abc-company.co.jp");
	ks_context_add_contact(ctx, "田中 太郎", "taro@abccompany-a.com");
	add_registration(ctx, "abccompany-a.com", "2004-04-01T00:00:00Z");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, "田中太郎", "Taro@ABCcompany-a.com");
	add_addr(r->reply_to, NULL, "taro@abccompany-a.com");
	add_addr(r->to, "経理部", "keiri@abc-company.co.jp");
	add_addr(r->cc, NULL, "hanako@abccompany-a.com");
	r->return_path = g_strdup("<bounce-1@mail.abccompany-a.com>");
	set_date(r, "2023-05-18T15:20:00+09:00");
	r->body_text = g_strdup("請求書を添付します。\n> 差出人: keiri@abc-company.co.jp\n"
	                        "--\n田中 taro@abccompany-a.com\nhttps://www.abccompany-a.com/\n");
	run(r, ctx);
	expect_none(r);
}

static void own_two_protected_domains_are_not_lookalikes(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "example.co.jp");
	ks_context_add_protected(ctx, "example.com");
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, NULL, "info@example.com");
	add_addr(r->to, NULL, "sales@example.co.jp");
	r->return_path = g_strdup("<info@example.com>");
	run(r, ctx);
	expect_none(r);

	/* but an outsider's tld-swap of them is caught */
	g_autoptr(ks_report) spoof = ks_report_new();
	add_addr(spoof->from, NULL, "info@example.jp");
	run(spoof, ctx);
	expect(spoof, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "example.jp looks like example.co.jp (tld-swap",
	       "header:From", KS_SEV_HIGH);
}

static void freemail_providers_are_not_lookalikes_of_each_other(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	add_addr(r->from, NULL, "someone@yahoo.com");
	add_addr(r->to, NULL, "friend@yahoo.co.jp");
	add_addr(r->cc, NULL, "other@hotmail.co.jp");
	r->body_text = g_strdup("> friend@hotmail.com wrote:\n");
	run(r, ctx);
	expect_none(r);
}

static void empty_and_odd_report_is_safe(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_contact(ctx, "", "x@y.example");
	g_autoptr(ks_report) r = ks_report_new();
	run(r, ctx);
	expect_none(r);

	g_autoptr(ks_report) odd = ks_report_new();
	add_addr(odd->from, "  ", NULL);
	add_addr(odd->from, "@@@", "@");
	add_addr(odd->reply_to, NULL, "no-at-sign");
	add_addr(odd->cc, NULL, "a@b");
	odd->return_path = g_strdup("<<>>");
	g_autofree char *ats = g_strnfill(100000, '@');
	odd->body_text = g_strconcat(ats, "a@b.c", ats, NULL);
	run(odd, ctx);
	ks_identity_analyze(NULL, NULL, odd);
	assert_int_equal(count(odd, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ceo_fraud_name_pattern_and_freemail_reply_to),
		cmocka_unit_test(ceo_name_in_other_word_order_on_outside_domain),
		cmocka_unit_test(same_pattern_other_mailbox_says_so),
		cmocka_unit_test(contact_name_inside_a_title_still_matches),
		cmocka_unit_test(other_names_are_not_the_contact),
		cmocka_unit_test(display_name_holding_another_address),
		cmocka_unit_test(display_name_holding_a_full_width_address),
		cmocka_unit_test(punycode_return_path_is_the_unicode_from_domain),
		cmocka_unit_test(payroll_diversion_envelope_outside_protected_domain),
		cmocka_unit_test(bulk_bounce_envelope_stays_low),
		cmocka_unit_test(null_or_same_organisation_envelope_is_quiet),
		cmocka_unit_test(invoice_fraud_lookalike_from_and_cc),
		cmocka_unit_test(body_quoted_partner_is_the_reference),
		cmocka_unit_test(contact_domain_and_reply_to_lookalike_of_from),
		cmocka_unit_test(young_domain_two_days_before_message),
		cmocka_unit_test(domain_registered_after_message_is_flagged),
		cmocka_unit_test(old_domain_or_undated_message_gives_only_the_event),
		cmocka_unit_test(reply_to_elsewhere_is_medium_and_freemail_from_stays_medium),
		cmocka_unit_test(benign_partner_reply_raises_nothing),
		cmocka_unit_test(own_two_protected_domains_are_not_lookalikes),
		cmocka_unit_test(freemail_providers_are_not_lookalikes_of_each_other),
		cmocka_unit_test(empty_and_odd_report_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
