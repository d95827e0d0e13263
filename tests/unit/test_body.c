/* ks_body_analyze: which body becomes the report's text, where links come
 * from, and what a body full of terminal escapes or bidi controls raises.
 * Messages are built by hand so the test does not depend on the parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/body.h"

#include <string.h>

static ks_message *message_new(const char *plain, const char *html)
{
	ks_message *m = g_new0(ks_message, 1);
	m->headers = g_ptr_array_new();
	m->parts = g_ptr_array_new();
	m->problems = g_ptr_array_new_with_free_func(g_free);
	m->body_plain = g_strdup(plain);
	m->body_html = g_strdup(html);
	return m;
}

static void message_free(ks_message *m)
{
	g_ptr_array_unref(m->headers);
	g_ptr_array_unref(m->parts);
	g_ptr_array_unref(m->problems);
	g_free(m->body_plain);
	g_free(m->body_html);
	g_free(m);
}

/* Runs the body analyzer on a message of these bodies. */
static ks_report *analyze(const char *plain, const char *html)
{
	ks_message *m = message_new(plain, html);
	ks_context *ctx = ks_context_new();
	ks_report *r = ks_report_new();
	ks_body_analyze(m, ctx, r);
	ks_context_free(ctx);
	message_free(m);
	return r;
}

static const ks_link *link_at(const ks_report *r, guint i)
{
	assert_true(i < r->links->len);
	return g_ptr_array_index(r->links, i);
}

static guint count_rule(const ks_report *r, ks_rule rule)
{
	guint n = 0;
	for (guint i = 0; i < r->findings->len; i++)
		n += ((const ks_finding *)g_ptr_array_index(r->findings, i))->rule == rule;
	return n;
}

static const ks_finding *finding_of(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule)
			return f;
	}
	fail_msg("no %s finding", ks_rule_id(rule));
	return NULL;
}

static void plain_body_is_the_text_with_lf_line_ends(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Dear customer,\r\nPay at https://pay.example/inv.\rThanks\n",
	                                 NULL);
	assert_string_equal(r->body_text, "Dear customer,\nPay at https://pay.example/inv.\nThanks\n");
	assert_int_equal(r->links->len, 1);
	assert_string_equal(link_at(r, 0)->text, "https://pay.example/inv");
	assert_string_equal(link_at(r, 0)->href, "https://pay.example/inv");
	assert_int_equal(r->findings->len, 0);
}

static void html_only_body_is_turned_into_text(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze(NULL, "<html><head><style>p{}</style></head><body>"
	                                       "<p>Your <b>account</b> is locked.</p>"
	                                       "<script>steal()</script>"
	                                       "<p><a href=\"https://login.example/\">Unlock</a></p>"
	                                       "</body></html>");
	assert_string_equal(r->body_text, "Your account is locked.\nUnlock");
	assert_int_equal(r->links->len, 1);
	assert_string_equal(link_at(r, 0)->text, "Unlock");
	assert_string_equal(link_at(r, 0)->href, "https://login.example/");
}

static void plain_preferred_for_text_links_from_html(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Read the invoice: https://docs.example/inv\n",
	                                 "<p>Read the <a href=\"https://evil.example/inv\">invoice</a>"
	                                 "</p>");
	assert_string_equal(r->body_text, "Read the invoice: https://docs.example/inv\n");
	assert_int_equal(r->links->len, 2);
	/* the anchors are what a reader of the HTML clicks: they come first */
	assert_string_equal(link_at(r, 0)->href, "https://evil.example/inv");
	assert_string_equal(link_at(r, 0)->text, "invoice");
	assert_string_equal(link_at(r, 1)->href, "https://docs.example/inv");
}

static void blank_plain_falls_back_to_html(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze(" \r\n\r\n", "<div>only the html speaks</div>");
	assert_string_equal(r->body_text, "only the html speaks");
}

static void japanese_html_keeps_its_text(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze(NULL, "<html><head><meta charset=\"iso-2022-jp\"></head>"
	                                       "<body><p>山田社長</p><p>至急、下記口座へお振込み"
	                                       "ください。</p><p><a href=\"https://bank.example/\">"
	                                       "振込先の確認</a></p></body></html>");
	assert_string_equal(r->body_text, "山田社長\n至急、下記口座へお振込みください。\n振込先の確認");
	assert_int_equal(r->links->len, 1);
	assert_string_equal(link_at(r, 0)->text, "振込先の確認");
}

static void link_text_mismatch_is_reported(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze(NULL, "<p><a href=\"http://evil.example/x\">www.paypal.com"
	                                       "</a> <a href=\"https://www.paypal.com/help\">"
	                                       "paypal.com/help</a></p>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_LINK_TEXT_MISMATCH), 1);
	const ks_finding *f = finding_of(r, KS_RULE_HTML_LINK_TEXT_MISMATCH);
	assert_string_equal(f->location, "body");
	assert_string_equal(f->evidence,
	                    "text \"www.paypal.com\" goes to evil.example (http://evil.example/x)");
}

static void escapes_and_bidi_are_shown_escaped_and_reported(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Hello\x1B[2J world \xE2\x80\xAEgpj.exe\tend\n", NULL);
	assert_string_equal(r->body_text, "Hello\\x1B[2J world <U+202E>gpj.exe\tend\n");
	assert_int_equal(count_rule(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS), 1);
	const ks_finding *f = finding_of(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS);
	assert_string_equal(f->location, "body");
	assert_string_equal(f->evidence, "body holds 1 escape sequence, 1 bidi control");
}

static void escapes_in_html_text_are_reported_too(void **state)
{
	(void)state;
	/* a zero-width space between words (inside one it is undone, as
	 * obfuscated text: test_obfuscation.c) */
	g_autoptr(ks_report) r = analyze(NULL, "<p>a&#x202E;b &#8203;c</p>");
	assert_string_equal(r->body_text, "a<U+202E>b <U+200B>c");
	const ks_finding *f = finding_of(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS);
	assert_string_equal(f->evidence, "body holds 1 bidi control, 1 invisible format character");
}

static void escapes_dropped_by_the_html_parser_are_still_reported(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze(NULL, "<p>a\x1B[2Jb\x1B]0;title\x07</p>\r\n\f");
	/* libxml2 removes the C0 bytes from the text; the HTML still had them */
	assert_null(strchr(r->body_text, 0x1B));
	const ks_finding *f = finding_of(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS);
	assert_string_equal(f->evidence, "body holds 2 escape sequences, 1 control character");
}

static void clean_text_raises_nothing(void **state)
{
	(void)state;
	/* ZWNJ is needed by real scripts and kept; tabs and newlines are text */
	g_autoptr(ks_report) r = analyze("a\tb\r\nc\xE2\x80\x8C" "d\n", NULL);
	assert_int_equal(count_rule(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS), 0);
	g_autoptr(ks_report) h = analyze(NULL, "<p>a\r\n\f\tb&nbsp;c</p>\r\n");
	assert_int_equal(count_rule(h, KS_RULE_DISPLAY_CONTROL_CHARACTERS), 0);
}

static void empty_body_gives_empty_text(void **state)
{
	(void)state;
	g_autoptr(ks_report) none = analyze(NULL, NULL);
	assert_non_null(none->body_text);
	assert_string_equal(none->body_text, "");
	assert_int_equal(none->links->len, 0);
	assert_int_equal(none->findings->len, 0);
	g_autoptr(ks_report) empty = analyze("", "");
	assert_string_equal(empty->body_text, "");
	assert_int_equal(empty->findings->len, 0);
}

static void huge_body_is_truncated_on_a_character_boundary(void **state)
{
	(void)state;
	/* 3-byte characters so the 1 MiB cut lands inside one */
	g_autoptr(GString) big = g_string_new("a");
	while (big->len < 2 * 1024 * 1024)
		g_string_append(big, "検");
	g_autoptr(ks_report) r = analyze(big->str, NULL);
	size_t n = strlen(r->body_text);
	assert_true(n <= 1024 * 1024 + strlen("\n[truncated]"));
	assert_true(g_str_has_suffix(r->body_text, "検\n[truncated]"));
	assert_true(g_utf8_validate(r->body_text, -1, NULL));
}

static void malformed_html_soup_does_not_crash(void **state)
{
	(void)state;
	g_autoptr(GString) soup = g_string_new("<html><body><table><tr><td><p><b>");
	for (int i = 0; i < 10000; i++)
		g_string_append(soup, "<div>");
	g_string_append(soup, "<a href=\"https://soup.example/\">x</a><<<&&&;</td></table></i>");
	g_autoptr(ks_report) r = analyze(NULL, soup->str);
	assert_string_equal(r->body_text, "x<<<&&&;");
	assert_int_equal(r->links->len, 1);
}

static void html_text_chosen_when_the_plain_alternative_is_a_stub(void **state)
{
	(void)state;
	/* phishing kits leave their template's placeholder in text/plain */
	ks_report *r = analyze("Coloca uma mensagem opcional aqui caso o HTML n\xc3\xa3o possa ser carregado\n",
	                       "<html><body><p>Prezado cliente,</p><p>Seu CPF foi bloqueado pela "
	                       "Receita Federal. Regularize sua situa\xc3\xa7\xc3\xa3o em 24 horas pelo "
	                       "link abaixo, caso contr\xc3\xa1rio o documento ser\xc3\xa1 cancelado.</p>"
	                       "</body></html>");
	assert_non_null(strstr(r->body_text, "Receita Federal"));
	assert_null(strstr(r->body_text, "Coloca uma"));
	ks_report_free(r);
	/* the same words in both: the plain text stays the report's text */
	r = analyze("Dear Ms. Ito,\nPlease find the minutes of Tuesday's meeting attached.\n",
	            "<p>Dear Ms. Ito,</p><p>Please find the <b>minutes</b> of Tuesday's meeting "
	            "attached.</p><p style=\"color:grey\">Sent from the office</p>");
	assert_string_equal(r->body_text, "Dear Ms. Ito,\nPlease find the minutes of Tuesday's meeting attached.\n");
	ks_report_free(r);
}

static void image_only_body_linked_to_the_web_is_reported(void **state)
{
	(void)state;
	ks_report *r = analyze(NULL, "<div><a href=\"https://viewer.evil.example/v/1\"><img src=\"cid:b\" "
	                             "alt=\"Your document is ready\"></a></div>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 1);
	ks_report_free(r);
	/* a stub plain part does not count as text */
	r = analyze("Please view this message in HTML.\n",
	            "<a href=\"https://viewer.evil.example/v/1\"><img src=\"cid:b\"></a>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 1);
	ks_report_free(r);
	/* words beside the picture, a picture without a link, a mailto link */
	r = analyze(NULL, "<p>Minutes of the meeting are attached, and the photo of the whiteboard is "
	                  "below.</p><a href=\"https://intranet.example/p/1\"><img src=\"cid:b\"></a>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 0);
	ks_report_free(r);
	r = analyze(NULL, "<img src=\"cid:photo\">");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 0);
	ks_report_free(r);
	r = analyze(NULL, "<a href=\"mailto:x@example.com\"><img src=\"cid:b\"></a>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 0);
	ks_report_free(r);
	/* the picture as a CSS background, a rule of underscores for text */
	r = analyze("______________________________________________________________\n",
	            "<a href=\"https://kit.example/r\"><div style=\"height:900px;background:"
	            "url(https://img.example/l.png);text-indent:-9999px\"> </div></a>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 1);
	ks_report_free(r);
	/* near miss: a background picture beside words */
	r = analyze(NULL, "<p>The agenda for Thursday's review is in the shared folder.</p>"
	                  "<a href=\"https://intranet.example/a\"><div style=\"background:"
	                  "url(https://intranet.example/banner.png)\"> </div></a>");
	assert_int_equal(count_rule(r, KS_RULE_HTML_IMAGE_ONLY_BODY), 0);
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_body_is_the_text_with_lf_line_ends),
		cmocka_unit_test(html_only_body_is_turned_into_text),
		cmocka_unit_test(plain_preferred_for_text_links_from_html),
		cmocka_unit_test(html_text_chosen_when_the_plain_alternative_is_a_stub),
		cmocka_unit_test(image_only_body_linked_to_the_web_is_reported),
		cmocka_unit_test(blank_plain_falls_back_to_html),
		cmocka_unit_test(japanese_html_keeps_its_text),
		cmocka_unit_test(link_text_mismatch_is_reported),
		cmocka_unit_test(escapes_and_bidi_are_shown_escaped_and_reported),
		cmocka_unit_test(escapes_in_html_text_are_reported_too),
		cmocka_unit_test(escapes_dropped_by_the_html_parser_are_still_reported),
		cmocka_unit_test(clean_text_raises_nothing),
		cmocka_unit_test(empty_body_gives_empty_text),
		cmocka_unit_test(huge_body_is_truncated_on_a_character_boundary),
		cmocka_unit_test(malformed_html_soup_does_not_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
