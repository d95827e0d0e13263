/* The list, bulk and forwarding headers (mailing_list.c) and what they may
 * explain in the identity rules: an envelope sender or a Reply-To other than
 * From's.  Whole messages go through ks_analyze_bytes, as a list would have
 * delivered them; the attacks add the same headers to a CEO fraud. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/analyze.h"
#include "checks/mailing_list.h"

#include <string.h>

/* A Mailman list post: the list's envelope sender and Sender, Reply-To set
 * to the list, the post addressed to the list. */
#define MAILMAN_POST                                                                    \
	"Return-Path: <birders-bounces@lists.wingspan.org>\n"                          \
	"From: Aoife Byrne <aoife@byrne-family.ie>\n"                                  \
	"Sender: birders-bounces@lists.wingspan.org\n"                                 \
	"To: birders@lists.wingspan.org\n"                                             \
	"Reply-To: birders@lists.wingspan.org\n"                                       \
	"Subject: [Birders] Waxwings at the harbour\n"                                 \
	"Date: Sat, 02 Nov 2024 09:14:00 +0000\n"                                      \
	"Message-ID: <waxwing-1@byrne-family.ie>\n"                                    \
	"List-Id: Wingspan bird watchers <birders.lists.wingspan.org>\n"               \
	"List-Post: <mailto:birders@lists.wingspan.org>\n"                             \
	"List-Unsubscribe: <https://lists.wingspan.org/options/birders>\n"             \
	"X-BeenThere: birders@lists.wingspan.org\n"                                    \
	"Precedence: list\n"                                                           \
	"\n"                                                                           \
	"A flock of about thirty this morning by the harbour wall.\n"

static ks_report *analyze_text(const char *text, ks_context *ctx)
{
	g_autoptr(GBytes) raw = g_bytes_new(text, strlen(text));
	GError *err = NULL;
	ks_report *r = ks_analyze_bytes(raw, "unit.eml", "eml", ctx, &err);
	if (!r)
		fail_msg("not analysed: %s", err ? err->message : "?");
	return r;
}

/* MAILMAN_POST with one header line swapped for another. */
static char *post_with(const char *old, const char *new_line)
{
	GString *s = g_string_new(MAILMAN_POST);
	if (g_string_replace(s, old, new_line, 1) != 1)
		fail_msg("no \"%s\" in the post", old);
	return g_string_free(s, FALSE);
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

static void expect_sev(const ks_report *r, ks_rule rule, ks_severity sev, const char *text)
{
	const ks_finding *f = find(r, rule);
	if (!f)
		fail_msg("no %s finding", ks_rule_id(rule));
	if (f->severity != sev)
		fail_msg("%s \"%s\": severity %s, want %s", ks_rule_id(rule), f->evidence,
		         ks_severity_name(f->severity), ks_severity_name(sev));
	if (text && !strstr(f->evidence, text))
		fail_msg("%s evidence \"%s\" lacks \"%s\"", ks_rule_id(rule), f->evidence, text);
}

static void list_headers_are_read(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text(MAILMAN_POST, NULL);
	assert_string_equal(r->list.id, "birders.lists.wingspan.org");
	assert_string_equal(r->list.name, "Wingspan bird watchers <birders.lists.wingspan.org>");
	assert_int_equal(r->list.addresses->len, 1);
	assert_string_equal(g_ptr_array_index(r->list.addresses, 0), "birders@lists.wingspan.org");
	assert_true(r->list.unsubscribe);
	assert_true(r->list.bulk);
	assert_true(ks_mailing_list_present(r));
	assert_true(ks_mailing_list_is_address(r, "Birders@lists.wingspan.org"));
	assert_true(ks_mailing_list_is_domain(r, "wingspan.org"));
	assert_false(ks_mailing_list_is_domain(r, "byrne-family.ie"));
}

static void list_id_alone_names_its_address(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text("From: a@b.example.com\n"
	                                      "List-Id: <chess-club.example.org>\n"
	                                      "Mailing-List: list games@example.net; contact "
	                                      "games-owner@example.net\n"
	                                      "\nhi\n",
	                                      NULL);
	assert_true(ks_mailing_list_is_address(r, "chess-club@example.org"));
	assert_false(ks_mailing_list_is_address(r, "chess@club.example.org"));
	assert_true(ks_mailing_list_is_address(r, "games@example.net"));
	assert_false(ks_mailing_list_is_address(r, "games-owner@example.net"));
}

static void newsletter_is_bulk_but_no_list(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text("From: news@shop.example.com\n"
	                                      "List-Unsubscribe: <mailto:unsub@shop.example.com>\n"
	                                      "\nsale\n",
	                                      NULL);
	assert_false(ks_mailing_list_present(r));
	assert_true(ks_mailing_list_bulk(r));
	assert_null(r->list.name);
	g_autoptr(ks_report) help = analyze_text("From: news@shop.example.com\n"
	                                         "List-Help: <https://shop.example.com/help>\n"
	                                         "\nsale\n",
	                                         NULL);
	assert_true(ks_mailing_list_bulk(help));
	/* near miss: one-to-one mail names no list */
	g_autoptr(ks_report) plain = analyze_text("From: a@shop.example.com\nTo: b@x.example\n\nhi\n",
	                                          NULL);
	assert_false(ks_mailing_list_bulk(plain));
}

static void arc_seal_signer_is_read(void **state)
{
	(void)state;
	g_autoptr(ks_report) r =
		analyze_text("ARC-Seal: i=1; a=rsa-sha256; t=1730000000; cv=none;\n"
		             " d=relay.fwd-mail.example.net; s=arc-2024; b=AAAA\n"
		             "From: a@b.example.com\n\nhi\n",
		             NULL);
	assert_int_equal(r->list.arc_signers->len, 1);
	/* kept as the signer's registrable domain, as Return-Path is compared */
	assert_string_equal(g_ptr_array_index(r->list.arc_signers, 0), "example.net");
	assert_true(ks_mailing_list_is_arc_signer(r, "example.net"));
	assert_false(ks_mailing_list_is_arc_signer(r, "example.org"));
}

/* The list explains both differences; the findings stay as context. */
static void list_post_explains_envelope_and_reply_to(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text(MAILMAN_POST, NULL);
	expect_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_INFO,
	           "explained: replies go to the mailing list");
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO,
	           "explained: the mailing list");
	assert_true(r->assessment.score < 25);
}

/* Near miss: the same list headers, but the Reply-To names a free-mail
 * mailbox.  Nothing a sender writes explains that. */
static void list_headers_do_not_explain_freemail_reply_to(void **state)
{
	(void)state;
	g_autofree char *text =
		post_with("Reply-To: birders@lists.wingspan.org", "Reply-To: birder.aoife@gmail.com");
	g_autoptr(ks_report) r = analyze_text(text, NULL);
	expect_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_HIGH, "free-mail");
}

/* Near miss: a CEO fraud with a forged List-Id and List-Post naming the
 * attacker's Reply-To, sent to the victim, not to that "list". */
static void forged_list_post_not_sent_to_the_list_explains_nothing(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text(
		"Return-Path: <ceo@nordlicht-maschinen.de>\n"
		"From: Jens Albrecht <ceo@nordlicht-maschinen.de>\n"
		"Reply-To: j.albrecht@vorstand-office.example.net\n"
		"To: buchhaltung@nordlicht-maschinen.de\n"
		"List-Id: <board.vorstand-office.example.net>\n"
		"List-Post: <mailto:j.albrecht@vorstand-office.example.net>\n"
		"Subject: Vertraulich\n"
		"\nBitte heute noch erledigen.\n",
		NULL);
	expect_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_MEDIUM, NULL);
	assert_null(strstr(find(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS)->evidence, "explained"));
}

/* Near miss: a list mail from a member whose own Reply-To is another of
 * their addresses: the list does not explain that one. */
static void member_reply_to_on_a_list_stays(void **state)
{
	(void)state;
	g_autofree char *text =
		post_with("Reply-To: birders@lists.wingspan.org", "Reply-To: aoife@home-byrne.example");
	g_autoptr(ks_report) r = analyze_text(text, NULL);
	expect_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_MEDIUM, NULL);
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO, "explained");
}

/* Near miss: an envelope sender on a third domain is not the list's. */
static void envelope_outside_the_list_stays(void **state)
{
	(void)state;
	g_autofree char *text = post_with("Return-Path: <birders-bounces@lists.wingspan.org>",
	                                  "Return-Path: <bounce-77@bulk-relay.example.info>");
	g_autoptr(ks_report) r = analyze_text(text, NULL);
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_LOW, NULL);
}

/* Payroll diversion (DESIGN.md): a protected From with an outside envelope
 * is high, list headers or not. */
static void protected_from_is_not_explained_by_a_list(void **state)
{
	(void)state;
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_protected(ctx, "byrne-family.ie");
	g_autoptr(ks_report) r = analyze_text(MAILMAN_POST, ctx);
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_HIGH, "protected");
}

static void srs_envelope_is_forwarding(void **state)
{
	(void)state;
	g_autoptr(ks_report) r =
		analyze_text("Return-Path: <SRS0=Hx7a=QE=kawa-denki.co.jp=sato@fwd.example.net>\n"
		             "From: sato@kawa-denki.co.jp\nTo: m@fwd.example.net\n\nhi\n",
		             NULL);
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO, "SRS");
}

static void arc_signer_envelope_is_forwarding(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text(
		"Return-Path: <fwd+abc@groups.example.net>\n"
		"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.net; s=arc; b=AAAA\n"
		"From: sato@kawa-denki.co.jp\nTo: m@kawa-denki.co.jp\n\nhi\n",
		NULL);
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO, "ARC");
	/* near miss: a seal by someone else explains nothing */
	g_autoptr(ks_report) r2 = analyze_text(
		"Return-Path: <fwd+abc@groups.example.net>\n"
		"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=other.example.org; s=arc; b=AAAA\n"
		"From: sato@kawa-denki.co.jp\nTo: m@kawa-denki.co.jp\n\nhi\n",
		NULL);
	expect_sev(r2, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_LOW, NULL);
}

/* A bulk service's own bounce domain, on mail that came through it. */
static void bulk_service_bounce_domain_is_explained(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text(
		"Return-Path: <bounces+1234-ab-m=kawa-denki.co.jp@sendgrid.net>\n"
		"Received: from o1.ptr1234.sendgrid.net (o1.ptr1234.sendgrid.net [198.51.100.7])\n"
		"\tby mx.kawa-denki.co.jp (Postfix) with ESMTPS id 1; Mon, 4 Nov 2024 10:00:01 +0900\n"
		"From: news@tsuri-dougu.example.com\nTo: m@kawa-denki.co.jp\n\nhi\n",
		NULL);
	expect_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO, "SendGrid");
}

/* A domain the body merely mentions, under another suffix or with a word
 * joined on, is medium; a character edit of it stays high. */
static void body_quoted_lookalike_by_suffix_is_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_text(
		"From: offers@fjordline-mail.com\nTo: m@kawa-denki.co.jp\n\n"
		"Questions? Write to service@fjordline.no\n",
		NULL);
	expect_sev(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, KS_SEV_MEDIUM, "fjordline.no");
	g_autoptr(ks_report) r2 = analyze_text(
		"From: sales@fjordlline.no\nTo: m@kawa-denki.co.jp\n\n"
		"> From: sales@fjordline.no\n> The invoice is attached.\n",
		NULL);
	expect_sev(r2, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, KS_SEV_HIGH, "fjordline.no");
}

/* A newsletter (List-Unsubscribe) with HTML body link TEXT to HREF, from
 * FROM, with extra header lines EXTRA. */
static ks_report *newsletter(const char *from, const char *extra, const char *text,
                             const char *href, bool bulk)
{
	g_autofree char *mail = g_strdup_printf(
		"From: %s\nTo: m@kawa-denki.co.jp\n%s%s"
		"Content-Type: text/html; charset=utf-8\n\n"
		"<p>Our autumn range is here.</p><p>Visit <a href=\"%s\">%s</a></p>\n",
		from, bulk ? "List-Unsubscribe: <https://shop.example.net/u>\n" : "", extra, href, text);
	return analyze_text(mail, NULL);
}

/* The shop's own site named, the link through its bulk service's click
 * tracker: info.  Not bulk mail, or a redirect that is no bulk service's:
 * low (the sender's own site).  Near misses that stay medium: another site
 * named, a failed authentication (the From may be forged). */
static void newsletter_click_tracking_is_explained(void **state)
{
	(void)state;
	const char *track = "https://kumo.us7.list-manage.com/track/click?u=1&id=2";
	g_autoptr(ks_report) r =
		newsletter("hello@kumo-outdoor.com", "", "www.kumo-outdoor.com", track, true);
	expect_sev(r, KS_RULE_HTML_LINK_TEXT_MISMATCH, KS_SEV_INFO, "click tracking of Mailchimp");
	g_autoptr(ks_report) r1 =
		newsletter("hello@kumo-outdoor.com", "", "www.kumo-outdoor.com", track, false);
	expect_sev(r1, KS_RULE_HTML_LINK_TEXT_MISMATCH, KS_SEV_LOW, "the sender's own site");
	g_autoptr(ks_report) r2 = newsletter("hello@kumo-outdoor.com", "", "www.paypal.com", track, true);
	expect_sev(r2, KS_RULE_HTML_LINK_TEXT_MISMATCH, KS_SEV_MEDIUM, NULL);
	g_autoptr(ks_report) r3 = newsletter(
		"service@kumo-outdoor.com",
		"Authentication-Results: mx.kawa-denki.co.jp; spf=fail smtp.mailfrom=x.example; "
		"dmarc=fail header.from=kumo-outdoor.com\n",
		"www.kumo-outdoor.com", track, true);
	expect_sev(r3, KS_RULE_HTML_LINK_TEXT_MISMATCH, KS_SEV_MEDIUM, NULL);
	g_autoptr(ks_report) r4 = newsletter("hello@kumo-outdoor.com", "", "www.kumo-outdoor.com",
	                                     "https://t.redirect-host.example.org/c?u=1", true);
	expect_sev(r4, KS_RULE_HTML_LINK_TEXT_MISMATCH, KS_SEV_LOW, "the sender's own site");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_headers_are_read),
		cmocka_unit_test(list_id_alone_names_its_address),
		cmocka_unit_test(newsletter_is_bulk_but_no_list),
		cmocka_unit_test(arc_seal_signer_is_read),
		cmocka_unit_test(list_post_explains_envelope_and_reply_to),
		cmocka_unit_test(list_headers_do_not_explain_freemail_reply_to),
		cmocka_unit_test(forged_list_post_not_sent_to_the_list_explains_nothing),
		cmocka_unit_test(member_reply_to_on_a_list_stays),
		cmocka_unit_test(envelope_outside_the_list_stays),
		cmocka_unit_test(protected_from_is_not_explained_by_a_list),
		cmocka_unit_test(srs_envelope_is_forwarding),
		cmocka_unit_test(arc_signer_envelope_is_forwarding),
		cmocka_unit_test(bulk_service_bounce_domain_is_explained),
		cmocka_unit_test(body_quoted_lookalike_by_suffix_is_medium),
		cmocka_unit_test(newsletter_click_tracking_is_explained),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
