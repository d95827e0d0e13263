/* ks_impersonation_analyze: brands claimed by senders who are not them, and
 * free-mail senders speaking for an organisation; and the mail that must
 * stay quiet (the brand's own, newsletters and lists naming brands, people
 * at gmail.com).  Reports are built by hand, as the headers, body, auth and
 * attachments analyzers would leave them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/impersonation.h"

#include <string.h>

static ks_report *mail(const char *name, const char *address, const char *subject)
{
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new(name, address));
	r->subject = g_strdup(subject);
	return r;
}

static void run(ks_report *r)
{
	ks_message m = {0};
	m.headers = g_ptr_array_new();
	m.parts = g_ptr_array_new();
	m.problems = g_ptr_array_new();
	ks_impersonation_analyze(&m, NULL, r);
	g_ptr_array_unref(m.headers);
	g_ptr_array_unref(m.parts);
	g_ptr_array_unref(m.problems);
}

static const ks_finding *find(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule)
			return f;
	}
	return NULL;
}

static void expect(const ks_report *r, ks_rule rule, ks_severity sev, const char *text)
{
	const ks_finding *f = find(r, rule);
	if (!f)
		fail_msg("no %s finding", ks_rule_id(rule));
	if (f->severity != sev)
		fail_msg("%s is %s: %s", ks_rule_id(rule), ks_severity_name(f->severity), f->evidence);
	if (text && !strstr(f->evidence, text))
		fail_msg("evidence \"%s\" lacks \"%s\"", f->evidence, text);
}

static void expect_quiet(const ks_report *r)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == KS_RULE_IDENTITY_BRAND_IMPERSONATION ||
		    f->rule == KS_RULE_IDENTITY_FREEMAIL_ORGANISATION)
			fail_msg("%s: %s", ks_rule_id(f->rule), f->evidence);
	}
}

static void display_name_of_a_brand_on_a_stranger_domain_is_high(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = mail("PayPal Service", "service@pp-resolution.example",
	                              "Your account access has been limited");
	run(r);
	expect(r, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "pp-resolution.example");
	assert_string_equal(find(r, KS_RULE_IDENTITY_BRAND_IMPERSONATION)->location, "header:From");

	g_autoptr(ks_report) ja = mail("三井住友カード お客様センター", "info@vpass-jp.example",
	                               "【重要】ご利用確認のお願い");
	run(ja);
	expect(ja, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "三井住友カード");

	g_autoptr(ks_report) yamato = mail("ヤマト運輸", "notice@kuroneko-delivery.example",
	                                   "お荷物お届けのお知らせ");
	run(yamato);
	expect(yamato, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "ヤマト運輸");
}

static void the_brands_own_mail_is_quiet(void **state)
{
	(void)state;
	g_autoptr(ks_report) pp = mail("PayPal", "service@paypal.com", "Receipt for your payment");
	run(pp);
	expect_quiet(pp);

	/* a brand's own domain through its ESP: From a subdomain, DKIM its own */
	g_autoptr(ks_report) nf = mail("Netflix", "info@mailer.netflix.com", "New on Netflix");
	nf->auth.dkim = g_strdup("pass");
	g_ptr_array_add(nf->auth.dkim_domains, g_strdup("netflix.com"));
	run(nf);
	expect_quiet(nf);

	/* a brand naming another: Google's Gemini is not the crypto exchange */
	g_autoptr(ks_report) g = mail("Google Gemini", "gemini-noreply@google.com", "Meet Gemini");
	run(g);
	expect_quiet(g);

	g_autoptr(ks_report) rk = mail("楽天市場", "info@emagazine.rakuten.co.jp", "楽天スーパーSALE");
	run(rk);
	expect_quiet(rk);
}

/* The giveaway, insurer and fake-investment brands (brands.txt): a
 * display name of the brand alone is high, among other words medium; the
 * brand's own mail, and its common-word names in running text, are quiet. */
static void giveaway_and_insurer_brands_are_claimed(void **state)
{
	(void)state;
	g_autoptr(ks_report) steak = mail("Omaha Steaks", "info@steaks-gift-club.example",
	                                  "Your complimentary sampler");
	run(steak);
	expect(steak, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "omahasteaks.com");
	g_autoptr(ks_report) ins = mail("State Farm Survey Rewards", "noreply@survey-promo.example",
	                                "Your opinion matters");
	run(ins);
	expect(ins, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "State Farm");
	g_autoptr(ks_report) inv = mail("TotalEnergies-Invest", "invest@placements-energie.example",
	                                "Investissez dans l'avenir");
	run(inv);
	expect(inv, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "TotalEnergies");

	g_autoptr(ks_report) own = mail("Starbucks Rewards", "rewards@e.starbucks.com",
	                                "Your free drink is waiting");
	run(own);
	expect_quiet(own);
	/* "progressive", "rituals" and "stake" are words before they are brands */
	g_autoptr(ks_report) words = mail("Dana Holt", "dana@harbor-supply.example",
	                                  "Progressive rollout, team rituals and the stake we hold");
	run(words);
	expect_quiet(words);
}

static void dkim_counts_only_when_it_passed(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = mail("Netflix", "info@nflx-billing.example", "Payment declined");
	r->auth.dkim = g_strdup("fail");
	g_ptr_array_add(r->auth.dkim_domains, g_strdup("netflix.com"));
	run(r);
	expect(r, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, NULL);

	/* a Return-Path on the brand's domain proves nothing when SPF failed */
	g_autoptr(ks_report) rp = mail("DHL Express", "noreply@dhl-track.example", "Parcel on hold");
	rp->return_path = g_strdup("bounce@dhl.com");
	rp->auth.spf = g_strdup("fail");
	run(rp);
	expect(rp, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, NULL);
}

static void newsletters_and_lists_naming_brands_are_quiet(void **state)
{
	(void)state;
	g_autoptr(ks_report) news = mail("TechBrief Daily", "daily@techbrief.example",
	                                 "PayPal and Apple lead fintech earnings week");
	news->body_title = g_strdup("PayPal and Apple lead fintech earnings week");
	run(news);
	expect_quiet(news);

	g_autoptr(ks_report) list = mail("John Smith", "john@lists.example",
	                                 "Re: [dev] PayPal sandbox returns 401");
	list->body_text = g_strdup("Anyone seen this?\n\nJohn\n-- \nThe PayPal Developers list");
	run(list);
	expect_quiet(list);

	/* "Apple" is also a surname: only the whole display name claims */
	g_autoptr(ks_report) fiona = mail("Fiona Apple", "fiona@music.example", "Tour dates");
	run(fiona);
	expect_quiet(fiona);
}

static void a_weak_claim_beside_a_service_name_is_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = mail("Account Support", "alert@mail-center.example",
	                              "Your Amazon account is on hold");
	run(r);
	expect(r, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "the subject");
}

static void a_subject_claim_in_a_lured_mail_is_medium(void **state)
{
	(void)state;
	/* content.phishing_lure has run first and found a prize lure */
	g_autoptr(ks_report) r = mail("Dies ist Ihre Chance!", "newsletter@mail.baumarkt.example",
	                              "Lidl Einkaufsgutschein im Wert von 500€ ausgewählt!");
	ks_report_add_finding(r, KS_RULE_CONTENT_PHISHING_LURE, "body", "prize, lottery or reward");
	run(r);
	expect(r, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "with a phishing lure");
	/* near misses: the same subject without a lure; the brand's own lured
	 * mail (its real giveaway) */
	g_autoptr(ks_report) quiet = mail("Dies ist Ihre Chance!", "newsletter@mail.baumarkt.example",
	                                  "Lidl Einkaufsgutschein im Wert von 500€ ausgewählt!");
	run(quiet);
	expect_quiet(quiet);
	g_autoptr(ks_report) own = mail("Lidl", "newsletter@lidl.de", "Ihr Lidl Gutschein");
	ks_report_add_finding(own, KS_RULE_CONTENT_PHISHING_LURE, "body", "prize, lottery or reward");
	run(own);
	assert_null(find(own, KS_RULE_IDENTITY_BRAND_IMPERSONATION));
}

static void disguised_names_are_strong_wherever_they_are(void **state)
{
	(void)state;
	g_autoptr(ks_report) subj = mail("Notifications", "n@notify-hub.example",
	                                 "Your Micros0ft 365 password expires today");
	run(subj);
	expect(subj, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "(disguised)");

	/* the headers analyzer undid "Аpple" (Cyrillic А) and said so */
	g_autoptr(ks_report) from = mail("Apple ID", "id@appleid-verify.example", "Locked");
	ks_report_add_finding(from, KS_RULE_CONTENT_OBFUSCATED_TEXT, "header:From", "mixed");
	run(from);
	expect(from, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "(disguised)");

	/* a typosquat inside a domain label */
	g_autoptr(ks_report) dom = mail("Team", "no-reply@0nmicr0s0ft.example", "Notice");
	run(dom);
	expect(dom, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "0nmicr0s0ft");
}

static void logo_domain_and_attached_page_are_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) logo = mail("Billing", "billing@renewals.example", "Invoice");
	g_ptr_array_add(logo->body_logo_alts, g_strdup("Norton 360"));
	run(logo);
	expect(logo, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "the logo");

	g_autoptr(ks_report) dom = mail("Wallet", "hi@support-trustwallet.example", "Verify");
	run(dom);
	expect(dom, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "sender's domain");

	/* a brand's name written plainly inside a label is no typosquat */
	g_autoptr(ks_report) fan = mail("Weekly", "news@whatsonnetflix.example", "New this week");
	run(fan);
	expect_quiet(fan);

	g_autoptr(ks_report) page = mail("Accounts", "ap@vendor.example", "Remittance");
	ks_attachment *a = ks_attachment_new("2");
	a->filename = g_strdup("remittance.htm");
	ks_attachment_add_meta(a, "html_brand", "Microsoft Excel");
	g_ptr_array_add(page->attachments, a);
	run(page);
	expect(page, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "remittance.htm");
	assert_string_equal(find(page, KS_RULE_IDENTITY_BRAND_IMPERSONATION)->location, "part:2");
}

static void a_pdf_title_weighs_like_a_subject(void **state)
{
	(void)state;
	/* a receipt forwarded by a person names its shop: nothing */
	g_autoptr(ks_report) fwd = mail("Kenta Mori", "k.mori@harbor-supply.example", "receipt");
	ks_attachment *a = ks_attachment_new("2");
	a->filename = g_strdup("receipt.pdf");
	ks_attachment_add_meta(a, "pdf_brand", "Amazon");
	g_ptr_array_add(fwd->attachments, a);
	run(fwd);
	expect_quiet(fwd);

	g_autoptr(ks_report) svc = mail("Security Notice", "aviso@seguranca-conta.example", "Aviso");
	ks_attachment *b = ks_attachment_new("2");
	b->filename = g_strdup("aviso.pdf");
	ks_attachment_add_meta(b, "pdf_brand", "Banco do Brasil");
	g_ptr_array_add(svc->attachments, b);
	run(svc);
	expect(svc, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_MEDIUM, "aviso.pdf");
}

static void freemail_speaking_for_an_organisation(void **state)
{
	(void)state;
	g_autoptr(ks_report) desk = mail("IT Support Team", "it.helpdesk.desk@gmail.com",
	                                 "Mailbox quota");
	run(desk);
	expect(desk, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, KS_SEV_MEDIUM, "support team");

	g_autoptr(ks_report) ticket = mail("Atualização cadastral - 58820193847",
	                                   "atualiza.cadastro@hotmail.com", "Protocolo");
	run(ticket);
	expect(ticket, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, KS_SEV_MEDIUM, "ticket");

	g_autoptr(ks_report) sign = mail("Kenji", "kenji.k.1984@yahoo.co.jp", "ご確認のお願い");
	sign->body_text = g_strdup("お世話になっております。\n添付をご確認ください。\n\n"
	                           "株式会社サンプル物産\nカスタマーサポート\n");
	run(sign);
	expect(sign, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, KS_SEV_MEDIUM, "signs as");

	g_autoptr(ks_report) shop = mail("Greenfield Plumbing Ltd", "greenfieldplumbing@gmail.com",
	                                 "Quote");
	run(shop);
	expect(shop, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, KS_SEV_LOW, "ltd");

	/* a brand's name on free mail is the brand rule's, not this one's */
	g_autoptr(ks_report) bb = mail("Banco do Brasil", "atendimento.bb@gmail.com", "Aviso");
	run(bb);
	expect(bb, KS_RULE_IDENTITY_BRAND_IMPERSONATION, KS_SEV_HIGH, "gmail.com");
	assert_null(find(bb, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION));
}

static void people_at_freemail_are_quiet(void **state)
{
	(void)state;
	g_autoptr(ks_report) taro = mail("山田 太郎", "taro.yamada1985@gmail.com", "週末の件");
	taro->body_text = g_strdup("了解です。\nよろしく。\n\n山田");
	run(taro);
	expect_quiet(taro);

	g_autoptr(ks_report) jane = mail("Jane Doe", "jane.doe@outlook.com", "Fwd: Your PayPal receipt");
	jane->body_text = g_strdup("FYI\n\n---------- Forwarded message ---------\nPayPal\n");
	run(jane);
	expect_quiet(jane);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(display_name_of_a_brand_on_a_stranger_domain_is_high),
		cmocka_unit_test(the_brands_own_mail_is_quiet),
		cmocka_unit_test(giveaway_and_insurer_brands_are_claimed),
		cmocka_unit_test(dkim_counts_only_when_it_passed),
		cmocka_unit_test(newsletters_and_lists_naming_brands_are_quiet),
		cmocka_unit_test(a_weak_claim_beside_a_service_name_is_medium),
		cmocka_unit_test(a_subject_claim_in_a_lured_mail_is_medium),
		cmocka_unit_test(disguised_names_are_strong_wherever_they_are),
		cmocka_unit_test(logo_domain_and_attached_page_are_medium),
		cmocka_unit_test(a_pdf_title_weighs_like_a_subject),
		cmocka_unit_test(freemail_speaking_for_an_organisation),
		cmocka_unit_test(people_at_freemail_are_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
