/* Tests for the campaigns analyzer: Cosmic Lynx and the localized CEO-fraud
 * campaign, recognised by their address vocabulary, with and without their
 * lures, in English, Japanese and Spanish. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "checks/campaigns.h"
#include "core/data.h"
#include "testlib.h"

typedef struct {
	const char *header; /* "From", "Reply-To", "Sender" or "Return-Path" */
	const char *address;
} sender_spec;

static ks_report *analyze(const char *subject, const char *body, const char *bulk,
                          const sender_spec *senders, size_t n)
{
	ks_report *r = ks_report_new();
	r->subject = g_strdup(subject);
	r->body_text = g_strdup(body);
	r->bulk_service = g_strdup(bulk);
	for (size_t i = 0; i < n; i++) {
		const sender_spec *s = &senders[i];
		if (strcmp(s->header, "Return-Path") == 0)
			r->return_path = g_strdup(s->address);
		else if (strcmp(s->header, "Reply-To") == 0)
			g_ptr_array_add(r->reply_to, ks_address_new(NULL, s->address));
		else if (strcmp(s->header, "Sender") == 0)
			g_ptr_array_add(r->sender, ks_address_new(NULL, s->address));
		else
			g_ptr_array_add(r->from, ks_address_new("John Smith (CEO)", s->address));
	}
	ks_message m = {0};
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_campaigns_analyze(&m, ctx, r);
	return r;
}

static ks_report *from_only(const char *address, const char *subject, const char *body)
{
	const sender_spec s[] = {{"From", address}};
	return analyze(subject, body, NULL, s, 1);
}

/* --- campaign.cosmic_lynx ----------------------------------------------------- */

static void cosmic_lynx_english_lure_fires_high(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = from_only("john.smith@secure-mail-gateway.cc", "Project Orion",
		"We are working on an acquisition in Asia. Our external legal counsel will contact you.");
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_string_equal(f->location, "header:From");
	assert_contains(f->evidence, "secure-mail-gateway.cc (From)");
	assert_contains(f->evidence, "secure+mail+gateway");
	assert_contains(f->evidence, "project");
	assert_contains(f->evidence, "acquisition");
	assert_contains(f->evidence, "legal counsel");
}

static void cosmic_lynx_japanese_lure_on_reply_to_fires(void **state)
{
	(void)state;
	const sender_spec s[] = {
		{"From", "yamada@example.co.jp"},
		{"Reply-To", "ceo@mta-sec-relay-gateway.net"},
	};
	g_autoptr(ks_report) r = analyze("【極秘】新規案件について",
		"海外企業の買収を進めております。弁護士から連絡があります。", NULL, s, 2);
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_string_equal(f->location, "header:Reply-To");
	assert_contains(f->evidence, "mta+sec+relay+gateway");
	assert_contains(f->evidence, "買収");
	assert_contains(f->evidence, "弁護士");
}

static void cosmic_lynx_half_width_katakana_lure_matches(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = from_only("ceo@private-secure-network.com", "ﾌﾟﾛｼﾞｪｸﾄ", "ご確認ください。");
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "プロジェクト");
}

static void cosmic_lynx_spanish_lure_on_return_path_fires(void **state)
{
	(void)state;
	const sender_spec s[] = {
		{"From", "director@empresa.es"},
		{"Return-Path", "<bounce@encrypted-smtp-outbound.com>"},
	};
	g_autoptr(ks_report) r = analyze("Proyecto Vega",
		"Estamos trabajando en una adquisición en Asia.", NULL, s, 2);
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Return-Path");
	assert_contains(f->evidence, "encrypted-smtp-outbound.com (Return-Path)");
	assert_contains(f->evidence, "adquisición");
}

static void cosmic_lynx_same_domain_in_two_headers_is_one_item(void **state)
{
	(void)state;
	const sender_spec s[] = {
		{"From", "ceo@nebula-secure-relay.com"},
		{"Reply-To", "ceo.office@nebula-secure-relay.com"},
	};
	g_autoptr(ks_report) r = analyze("Hello", "How are you?", NULL, s, 2);
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX);
	assert_non_null(f);
	assert_contains(f->evidence, "nebula-secure-relay.com (From, Reply-To)");
}

static void cosmic_lynx_address_without_lure_is_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = from_only("alerts@secure-relay2.com", "Hello", "How are you?");
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_contains(f->evidence, "secure+relay2");
}

static void cosmic_lynx_subdomain_under_co_jp_uses_registrable_label(void **state)
{
	(void)state;
	g_autoptr(ks_report) hit = from_only("a@mail.private-secure-network.co.jp", "x", "y");
	assert_non_null(sole_finding(hit, KS_RULE_CAMPAIGN_COSMIC_LYNX));
	/* "mail.co.jp": the label is "mail" alone, "co" is part of the suffix */
	g_autoptr(ks_report) single = from_only("relay@secure.mail.co.jp", "x", "y");
	assert_null(sole_finding(single, KS_RULE_CAMPAIGN_COSMIC_LYNX));
}

static void cosmic_lynx_words_only_in_a_subdomain_are_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = from_only("ceo@secure-mail.example.com", "Project", "acquisition");
	assert_null(sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX));
}

static void cosmic_lynx_ordinary_domains_are_silent(void **state)
{
	(void)state;
	static const char *const benign[] = {
		"ceo@example.com",        /* one ordinary word */
		"info@secure.com",        /* one listed word only */
		"news@smtp-tassle.com",   /* "tassle" is not a listed word */
		"x@mail-order-shop.com",  /* "order", "shop" are not listed */
		"x@xn--secure-mail-9xa.com", /* punycode gives an empty token */
		"no-at-sign",
		"x@192.168.0.1",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(benign); i++) {
		g_autoptr(ks_report) r = from_only(benign[i], "Project update", "CEO acquisition");
		if (sole_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX))
			fail_msg("fired on %s", benign[i]);
	}
}

/* --- campaign.localized_ceo_fraud ----------------------------------------------- */

static void localized_english_lure_fires_high_and_names_bulk_service(void **state)
{
	(void)state;
	const sender_spec s[] = {{"From", "board@boardmobile-ssl.com"}};
	g_autoptr(ks_report) r = analyze("HQ Project",
		"Please liaise with counsel on the HQ Project today.", "SendGrid", s, 1);
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_string_equal(f->location, "header:From");
	assert_contains(f->evidence, "board@boardmobile-ssl.com (From)");
	assert_contains(f->evidence, "board+mobile+ssl");
	assert_contains(f->evidence, "hq project");
	assert_contains(f->evidence, "liaise with counsel");
	assert_contains(f->evidence, "sent through SendGrid");
}

static void localized_japanese_lure_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = from_only("smtp@smtp-intern.net", "金融合併と買収について",
		"弊社の案件につき、ご協力をお願いします。");
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "smtp+intern");
	assert_contains(f->evidence, "金融合併と買収");
}

static void localized_spanish_lure_with_numbered_local_part_fires(void **state)
{
	(void)state;
	const sender_spec s[] = {{"Reply-To", "mobile2@phoneserver.org"}};
	g_autoptr(ks_report) r = analyze("Confidencial",
		"Le escribo sobre una operación de fusiones y adquisiciones.", NULL, s, 1);
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Reply-To");
	assert_contains(f->evidence, "phone+server");
	assert_contains(f->evidence, "fusiones y adquisiciones");
}

static void localized_dotted_local_part_without_lure_is_medium(void **state)
{
	(void)state;
	const sender_spec s[] = {{"Sender", "secure.mail@ssl-server.com"}};
	g_autoptr(ks_report) r = analyze("Hello", "Are you at your desk?", "Mailgun", s, 1);
	const ks_finding *f = sole_finding(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_contains(f->evidence, "sent through Mailgun");
}

static void localized_ordinary_addresses_are_silent(void **state)
{
	(void)state;
	static const char *const benign[] = {
		"board@example.com",       /* listed local part, ordinary domain */
		"info@boardmobile-ssl.com", /* campaign domain, other local part */
		"phone@internet.com",      /* "intern" + "et": not made of listed words */
		"mail@phone.com",          /* one domain word only */
		"board@board-.com",        /* an empty piece */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(benign); i++) {
		g_autoptr(ks_report) r = from_only(benign[i], "M&A", "Liaise with counsel");
		if (sole_finding(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD))
			fail_msg("fired on %s", benign[i]);
	}
}

static void no_senders_give_no_findings(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("M&A", "Project acquisition", NULL, NULL, 0);
	assert_int_equal(r->findings->len, 0);
}

static void campaign_files_use_only_known_sections(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *sections[2];
	} files[] = {
		{"campaign_cosmic_lynx.txt", {"domain", NULL}},
		{"campaign_localized.txt", {"local", "domain"}},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		const GPtrArray *lines = ks_data_lines(files[i].file);
		assert_non_null(lines);
		assert_true(lines->len > 0);
		for (guint j = 0; j < lines->len; j++) {
			const char *line = g_ptr_array_index(lines, j);
			const char *colon = strchr(line, ':');
			if (!colon)
				fail_msg("%s: no section in \"%s\"", files[i].file, line);
			g_autofree char *name = g_strndup(line, colon - line);
			bool known = false;
			for (size_t k = 0; k < 2 && files[i].sections[k]; k++)
				known = known || strcmp(name, files[i].sections[k]) == 0;
			if (!known)
				fail_msg("%s: unknown section in \"%s\"", files[i].file, line);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cosmic_lynx_english_lure_fires_high),
		cmocka_unit_test(cosmic_lynx_japanese_lure_on_reply_to_fires),
		cmocka_unit_test(cosmic_lynx_half_width_katakana_lure_matches),
		cmocka_unit_test(cosmic_lynx_spanish_lure_on_return_path_fires),
		cmocka_unit_test(cosmic_lynx_same_domain_in_two_headers_is_one_item),
		cmocka_unit_test(cosmic_lynx_address_without_lure_is_medium),
		cmocka_unit_test(cosmic_lynx_subdomain_under_co_jp_uses_registrable_label),
		cmocka_unit_test(cosmic_lynx_words_only_in_a_subdomain_are_silent),
		cmocka_unit_test(cosmic_lynx_ordinary_domains_are_silent),
		cmocka_unit_test(localized_english_lure_fires_high_and_names_bulk_service),
		cmocka_unit_test(localized_japanese_lure_fires),
		cmocka_unit_test(localized_spanish_lure_with_numbered_local_part_fires),
		cmocka_unit_test(localized_dotted_local_part_without_lure_is_medium),
		cmocka_unit_test(localized_ordinary_addresses_are_silent),
		cmocka_unit_test(no_senders_give_no_findings),
		cmocka_unit_test(campaign_files_use_only_known_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
