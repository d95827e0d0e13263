/* Tests for the redactor (db/export/redact.c): redaction works on values, by role:
 * victims (recipients, protected domains and their names, contacts, greeted
 * names, internal hosts) are masked in every spelling (case, %40, Unicode,
 * "_" and "'" in local parts); attackers stay whole for partners and are
 * masked for publication; hostile display names ("meta", "h3>", a trailing
 * backslash, JSON punctuation, HTML tags, JSON keys) are only ever text
 * that gets replaced, never something that edits anything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/redact.h"

#include <string.h>

static void assert_absent(const char *text, const char *secret)
{
	g_autofree char *low = g_utf8_strdown(text, -1);
	g_autofree char *needle = g_utf8_strdown(secret, -1);
	if (strstr(low, needle))
		fail_msg("\"%s\" is still in \"%s\"", secret, text);
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("\"%s\" not found in \"%s\"", want, text);
}

/* a report with the victim on To/Cc, an attacker on a lookalike */
static ks_report *bec_report(void)
{
	ks_report *r = ks_report_new();
	r->assessment.score = 90;
	g_ptr_array_add(r->from, ks_address_new("Taro Yamada", "ceo@victim-c0rp.co.jp"));
	g_ptr_array_add(r->to, ks_address_new("佐藤 花子", "hanako_sato@victim-corp.co.jp"));
	g_ptr_array_add(r->to, ks_address_new("Seán O'Brien", "sean.o'brien@VICTIM-CORP.CO.JP"));
	g_ptr_array_add(r->to, ks_address_new("Jürgen Müller", "jürgen.müller@victim-corp.co.jp"));
	ks_report_add_finding(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:From", "x");
	ks_hop *h = ks_hop_new();
	h->from = g_strdup("pc-sato.corp.local");
	h->by = g_strdup("exch01");
	h->ip = g_strdup("10.20.30.40");
	g_ptr_array_add(r->hops, h);
	r->body_text = g_strdup("佐藤様\n\nplease pay.");
	return r;
}

static ks_redactor *learnt(ks_redact_level level, ks_report *r)
{
	ks_redactor *x = ks_redactor_new(level);
	ks_redactor_add_protected(x, "victim-corp.co.jp", "Victim Corp");
	ks_redactor_learn_report(x, r);
	ks_redactor_finish(x);
	return x;
}

static void victim_addresses_are_masked_in_every_spelling(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec_report();
	g_autoptr(ks_redactor) x = learnt(KS_REDACT_PARTNER, r);
	static const char *const texts[] = {
		"write to HANAKO_SATO@Victim-Corp.CO.JP today",
		"https://evil.example/login?u=hanako_sato%40victim-corp.co.jp&x=1",
		"hanako_sato[@]victim-corp.co.jp",
		"cc sean.o'brien@victim-corp.co.jp and jürgen.müller@victim-corp.co.jp",
		"file hanako_sato_payslip.pdf",
		"the host mail.victim-corp.co.jp answered",
		"Victim Corp finance",
	};
	static const char *const secrets[] = {"hanako_sato", "victim-corp", "o'brien", "müller",
	                                      "Victim Corp"};
	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		g_autofree char *out = ks_redact_text(x, texts[i]);
		for (size_t k = 0; k < G_N_ELEMENTS(secrets); k++)
			assert_absent(out, secrets[k]);
	}
	g_autofree char *url = ks_redact_text(x, texts[1]);
	assert_has(url, "https://evil.example/login?u=user-");
	assert_has(url, "&x=1");
}

static void the_same_victim_gets_the_same_placeholder(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec_report();
	g_autoptr(ks_redactor) x = learnt(KS_REDACT_PARTNER, r);
	g_autofree char *a = ks_redact_address(x, "hanako_sato@victim-corp.co.jp");
	g_autofree char *b = ks_redact_text(x, "HANAKO_SATO%40VICTIM-CORP.CO.JP");
	g_autofree char *c = ks_redact_address(x, "sean.o'brien@victim-corp.co.jp");
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_has(a, "user-");
	assert_has(a, "vic●●rp.co.jp");
}

static void names_greetings_and_route_are_masked(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec_report();
	g_autoptr(ks_redactor) x = learnt(KS_REDACT_PARTNER, r);
	g_autofree char *body = ks_redact_text(x, "佐藤様、Dear Seán, Mr. O'Brien and Jürgen");
	assert_absent(body, "佐藤");
	assert_absent(body, "Seán");
	assert_absent(body, "Jürgen");
	g_autofree char *name = ks_redact_name(x, "佐藤 花子");
	assert_has(name, "Person-");
	g_autofree char *hop = ks_redact_text(
		x, "from pc-sato.corp.local (10.20.30.40) by exch01 ([192.168.1.5]) for "
		   "<hanako_sato@victim-corp.co.jp>");
	assert_absent(hop, "pc-sato");
	assert_absent(hop, "exch01");
	assert_absent(hop, "10.20.30.40");
	assert_absent(hop, "192.168.1.5");
	assert_has(hop, "internal-host-");
	assert_has(hop, "private-ip-");
	g_autofree char *ip = ks_redact_ip(x, "10.20.30.40");
	assert_has(ip, "private-ip-");
	g_autofree char *pub = ks_redact_ip(x, "198.51.100.7");
	assert_string_equal(pub, "198.51.100.7");
	g_autofree char *path = ks_redact_path(x, "/home/analyst/cases/hanako_sato/mail.eml");
	assert_string_equal(path, "mail.eml");
}

static void attacker_stays_whole_for_partners_masked_for_publication(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec_report();
	g_autoptr(ks_redactor) partner = learnt(KS_REDACT_PARTNER, r);
	g_autoptr(ks_redactor) public = learnt(KS_REDACT_PUBLIC, r);
	const char *t = "ceo@victim-c0rp.co.jp wrote from victim-c0rp.co.jp via "
	                "https://pay.evil.example/x and victim-corp.co.jp.evil-host.com";
	g_autofree char *p = ks_redact_text(partner, t);
	assert_has(p, "ceo@victim-c0rp.co.jp");
	assert_has(p, "from victim-c0rp.co.jp");
	assert_has(p, "https://pay.evil.example/x");
	assert_has(p, "victim-corp.co.jp.evil-host.com");
	g_autofree char *q = ks_redact_text(public, t);
	assert_absent(q, "victim-c0rp");
	assert_has(q, "https://pay.evil.example/x");
	g_autofree char *host = ks_redact_host(public, "victim-c0rp.co.jp");
	assert_has(host, "●●");
	assert_has(host, "0"); /* the homoglyph stays in sight */
}

/* Display names an attacker picks to steer a text rewrite: each is a victim
 * name here (on the victim's Cc), so it is replaced where it occurs as
 * text, and nothing else changes. */
static void hostile_names_are_only_ever_replaced_text(void **state)
{
	(void)state;
	static const char *const hostile[] = {"meta",  "h3>",  "evil\\", "\" : \"", "type",
	                                      "id",    "html", "script", "img",     "value",
	                                      "<!--",  "]]>",  "\\u0022", "}{",     "Person-1"};
	g_autoptr(ks_report) r = ks_report_new();
	g_ptr_array_add(r->to, ks_address_new("Hanako", "hanako@victim-corp.co.jp"));
	for (size_t i = 0; i < G_N_ELEMENTS(hostile); i++) {
		g_autofree char *addr = g_strdup_printf("cc%zu@victim-corp.co.jp", i);
		g_ptr_array_add(r->cc, ks_address_new(hostile[i], addr));
	}
	g_autoptr(ks_redactor) x = learnt(KS_REDACT_PARTNER, r);
	for (size_t i = 0; i < G_N_ELEMENTS(hostile); i++) {
		g_autofree char *name = ks_redact_name(x, hostile[i]);
		assert_non_null(name);
		assert_string_not_equal(name, hostile[i]);
	}
	/* text around the names is kept byte for byte */
	const char *t = "<meta charset=\"utf-8\"><h3>Subject</h3> {\"type\": \"x\", \"id\": 1}";
	g_autofree char *out = ks_redact_text(x, t);
	assert_has(out, "<");
	assert_has(out, "charset=\"utf-8\">");
	assert_has(out, "Subject</");
	assert_has(out, "\": \"x\", \"");
	/* the replacement never creates a placeholder's own name out of thin air */
	g_autofree char *same = ks_redact_text(x, "nothing personal here");
	assert_string_equal(same, "nothing personal here");
}

static void whole_report_is_redacted_in_place(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = bec_report();
	ks_attachment *a = ks_attachment_new("2");
	a->filename = g_strdup("Invoice for Hanako_Sato.pdf");
	ks_attachment_add_meta(a, "Author", "佐藤 花子");
	a->message = ks_report_new();
	g_ptr_array_add(a->message->to, ks_address_new("Kazuko Inner", "kazuko.inner@victim-corp.co.jp"));
	a->message->subject = g_strdup("for Kazuko");
	g_ptr_array_add(r->attachments, a);
	ks_report_add_ioc(r, KS_IOC_EMAIL, "hanako_sato@victim-corp.co.jp");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "victim-c0rp.co.jp");
	g_autoptr(ks_redactor) x = learnt(KS_REDACT_PARTNER, r);
	ks_redact_report(x, r, NULL);
	ks_address *to = g_ptr_array_index(r->to, 0);
	assert_has(to->address, "user-");
	assert_has(to->name, "Person-");
	assert_absent(a->filename, "hanako");
	assert_absent(ks_attachment_get_meta(a, "Author"), "佐藤");
	ks_address *inner = g_ptr_array_index(a->message->to, 0);
	assert_absent(inner->address, "kazuko");
	assert_absent(a->message->subject, "kazuko");
	ks_hop *h = g_ptr_array_index(r->hops, 0);
	assert_absent(h->from, "pc-sato");
	assert_absent(h->ip, "10.20");
	ks_ioc *victim = g_ptr_array_index(r->iocs, 0), *attacker = g_ptr_array_index(r->iocs, 1);
	assert_has(victim->value, "user-");
	assert_string_equal(attacker->value, "victim-c0rp.co.jp");
	ks_address *from = g_ptr_array_index(r->from, 0);
	assert_string_equal(from->address, "ceo@victim-c0rp.co.jp");
}

static void off_changes_nothing(void **state)
{
	(void)state;
	g_autoptr(ks_redactor) x = ks_redactor_new(KS_REDACT_OFF);
	ks_redactor_add_protected(x, "victim-corp.co.jp", NULL);
	g_autofree char *t = ks_redact_text(x, "hanako@victim-corp.co.jp");
	assert_string_equal(t, "hanako@victim-corp.co.jp");
}

static void levels_parse(void **state)
{
	(void)state;
	ks_redact_level l;
	assert_true(ks_redact_level_parse("public", &l) && l == KS_REDACT_PUBLIC);
	assert_true(ks_redact_level_parse("partner", &l) && l == KS_REDACT_PARTNER);
	assert_false(ks_redact_level_parse("all", &l));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(victim_addresses_are_masked_in_every_spelling),
		cmocka_unit_test(the_same_victim_gets_the_same_placeholder),
		cmocka_unit_test(names_greetings_and_route_are_masked),
		cmocka_unit_test(attacker_stays_whole_for_partners_masked_for_publication),
		cmocka_unit_test(hostile_names_are_only_ever_replaced_text),
		cmocka_unit_test(whole_report_is_redacted_in_place),
		cmocka_unit_test(off_changes_nothing),
		cmocka_unit_test(levels_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
