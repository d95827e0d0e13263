/* Unit tests for analyzers/payloads/pdf.c and analyzers/mail/quoted_times.c: metadata
 * from Info and XMP, active content, embedded files as children, URI IOCs,
 * low-resolution images, the forged-document timeline rules, the quoted
 * header times, and the real PDFs under ../shared/corpora (pypdf's
 * files.json is the answer key for their metadata).  The small PDFs come
 * from tests/fixtures/pdf/make_pdfs.py; tests run from the tree's top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "core/helper.h"
#include "payloads/pdf.h"
#include "mail/quoted_times.h"
#include "testlib.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define FIXTURES "tests/fixtures/pdf/"

/* ---- helpers ---- */

static GBytes *fixture(const char *name)
{
	g_autofree char *path = g_strconcat(FIXTURES, name, NULL);
	return read_bytes(path);
}

typedef struct {
	const char *body;    /* the message's plain text, or NULL */
	const char *date;    /* RFC 3339, or NULL */
	const char *from;    /* address, or NULL */
	ks_context *ctx;     /* or NULL */
} msg_setup;

/* Analyses one attachment "2" named name holding data, as the attachment
 * walk would inside a message set up as s says. */
static ks_report *analyze_with(GBytes *data, const char *name, const msg_setup *s)
{
	ks_message *m = msg_with_attachment("application/pdf", name, data);
	ks_report *r = ks_report_new();
	if (s && s->body)
		r->body_text = g_strdup(s->body);
	if (s && s->date)
		r->date = g_date_time_new_from_iso8601(s->date, NULL);
	if (s && s->from)
		g_ptr_array_add(r->from, ks_address_new(NULL, s->from));
	ks_attachments_walk(m, s ? s->ctx : NULL, r, ks_analyze_message);
	msg_free(m);
	return r;
}

static ks_report *analyze_fixture(const char *name)
{
	g_autoptr(GBytes) b = fixture(name);
	return analyze_with(b, name, NULL);
}

static ks_attachment *top(const ks_report *r)
{
	assert_int_equal(r->attachments->len, 1);
	return g_ptr_array_index(r->attachments, 0);
}

/* the shared real-world files (../shared/corpora/README.md) */

/* A file of the corpora, or NULL (the test skips) when they are absent. */
static GBytes *corpus_file(const char *rel)
{
	const char *root = corpora_root();
	if (!root)
		return NULL;
	g_autofree char *path = g_build_filename(root, rel, NULL);
	return read_bytes(path);
}

/* ---- accepting ---- */

static void accepts_pdf_type_or_header_in_first_1024_bytes(void **state)
{
	(void)state;
	ks_attachment *a = ks_attachment_new("1");
	a->data = g_bytes_new_static("%PDF-1.4\n", 9);
	assert_true(ks_pdf_accepts(a));
	g_bytes_unref(a->data);

	g_autofree char *late = g_strnfill(1500, 'x');
	memcpy(late + 1200, "%PDF-1.4", 8);
	a->data = g_bytes_new(late, 1500);
	assert_false(ks_pdf_accepts(a));
	a->detected_type = g_strdup("application/pdf");
	assert_true(ks_pdf_accepts(a));
	ks_attachment_free(a);

	g_autoptr(ks_report) r = analyze_fixture("junk_before_header.pdf");
	assert_meta(top(r), "title", "Invoice 2024-12");
}

/* ---- metadata ---- */

static void info_dates_keep_their_offset_and_pages_are_counted(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("info_only.pdf");
	ks_attachment *a = top(r);
	assert_meta(a, "pdf_version", "1.7");
	assert_meta(a, "pages", "1");
	assert_meta(a, "title", "Invoice 2024-12");
	assert_meta(a, "author", "Ichiro Tanaka");
	assert_meta(a, "creator", "Microsoft Word");
	assert_meta(a, "producer", "Microsoft Word for Microsoft 365");
	assert_meta(a, "created", "2024-12-10T16:20:12+09:00");
	assert_meta(a, "modified", "2024-12-10T16:30:00+09:00");
	assert_meta(a, "encrypted", "false");
	assert_meta(a, "incremental_updates", "0");
	assert_int_equal(r->findings->len, 0);
	/* the creation goes on the timeline, located at the part */
	bool seen = false;
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *e = g_ptr_array_index(r->timeline, i);
		if (strstr(e->event, "created (CreationDate)") && strcmp(e->source, "part:2") == 0)
			seen = true;
	}
	assert_true(seen);
}

static void xmp_is_read_and_its_differences_from_info_listed(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("info_and_xmp.pdf");
	ks_attachment *a = top(r);
	assert_meta(a, "xmp_created", "2024-12-01T09:00:00+09:00");
	assert_meta(a, "xmp_modified", "2024-12-10T16:30:00+09:00");
	assert_meta(a, "xmp_producer", "iLovePDF");
	assert_meta(a, "xmp_creator", "Microsoft Word");
	assert_meta(a, "xmp_title", "Invoice 2024-12");
	assert_meta(a, "xmp_author", "Ichiro Tanaka");
	/* the incremental update replaced the Info dictionary */
	assert_meta(a, "title", "Invoice 2024-12 (rev)");
	assert_meta(a, "incremental_updates", "1");
	const char *diff = ks_attachment_get_meta(a, "info_xmp_differences");
	assert_contains(diff, "CreationDate 2024-12-10T16:20:12+09:00 vs xmp:CreateDate "
	                      "2024-12-01T09:00:00+09:00");
	assert_contains(diff, "Producer Microsoft Word for Microsoft 365 vs pdf:Producer iLovePDF");
	assert_contains(diff, "Title Invoice 2024-12 (rev) vs dc:title Invoice 2024-12");
	assert_null(strstr(diff, "ModDate")); /* equal instants are no difference */
}

/* ---- active content ---- */

static void open_action_javascript_raises_both_rules(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("js_open_action.pdf");
	const ks_finding *js = find_rule(r, KS_RULE_PDF_JAVASCRIPT);
	const ks_finding *oa = find_rule(r, KS_RULE_PDF_OPEN_ACTION);
	assert_non_null(js);
	assert_non_null(oa);
	assert_int_equal(count_rule(r, KS_RULE_PDF_JAVASCRIPT), 1);
	assert_string_equal(js->location, "part:2");
	assert_contains(js->evidence, "/JS 2×");
	assert_contains(js->evidence, "document-level JavaScript");
	assert_contains(oa->evidence, "/OpenAction 1×");
	assert_contains(ks_attachment_get_meta(top(r), "keywords"), "/JavaScript 3");
	assert_null(find_rule(r, KS_RULE_PDF_LAUNCH_ACTION));
}

static void open_action_that_only_opens_a_page_is_no_finding(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("open_at_page.pdf");
	assert_null(find_rule(r, KS_RULE_PDF_OPEN_ACTION));
	assert_meta(top(r), "open_action", "a page destination");
	assert_contains(ks_attachment_get_meta(top(r), "keywords"), "/OpenAction 1");
}

/* fuzz_pdf's find: an /OpenAction object number of ten digits overflowed
 * an int while it was read; it is no destination, and no crash */
static void open_action_with_an_object_number_too_long_is_no_destination(void **state)
{
	(void)state;
	static const char pdf[] = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R"
	                          " /OpenAction 5000000022 0 R >>\nendobj\n"
	                          "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
	                          "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
	g_autoptr(GBytes) b = g_bytes_new_static(pdf, sizeof pdf - 1);
	g_autoptr(ks_report) r = analyze_with(b, "x.pdf", NULL);
	assert_contains(ks_attachment_get_meta(top(r), "keywords"), "/OpenAction 1");
	const char *oa = ks_attachment_get_meta(top(r), "open_action");
	assert_true(oa == NULL || strcmp(oa, "a page destination") != 0);
}

static void hex_escaped_names_are_decoded_and_called_out(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("hex_escaped_names.pdf");
	const ks_finding *js = find_rule(r, KS_RULE_PDF_JAVASCRIPT);
	const ks_finding *oa = find_rule(r, KS_RULE_PDF_OPEN_ACTION);
	assert_non_null(js);
	assert_non_null(oa);
	assert_contains(js->evidence, "/JavaScript 1× (1 hex-escaped to hide it)");
	assert_contains(oa->evidence, "hex-escaped");
}

static void embedded_file_is_a_child_analysed_in_turn(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("embedded_file.pdf");
	ks_attachment *a = top(r);
	assert_int_equal(a->children->len, 1);
	ks_attachment *c = g_ptr_array_index(a->children, 0);
	assert_string_equal(c->path, "2/1");
	assert_string_equal(c->filename, "run.bat");
	assert_int_equal(c->size, 30);
	const ks_finding *e = find_rule(r, KS_RULE_PDF_EMBEDDED_FILE);
	assert_non_null(e);
	assert_contains(e->evidence, "\"run.bat\"");
	assert_int_equal(count_rule(r, KS_RULE_PDF_EMBEDDED_FILE), 1);
	/* the child went through the walk: name rules and IOCs */
	const ks_finding *d = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(d);
	assert_string_equal(d->location, "part:2/1");
	assert_true(has_ioc(r, KS_IOC_FILENAME, "run.bat"));
}

static void uri_links_are_iocs_and_launch_fires_with_its_command(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("links_and_launch.pdf");
	assert_true(has_ioc(r, KS_IOC_URL, "https://login.evil-example.com/o365?id=42"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "login.evil-example.com"));
	const ks_finding *l = find_rule(r, KS_RULE_PDF_LAUNCH_ACTION);
	assert_non_null(l);
	assert_contains(l->evidence, "a link on page 1 launches \"cmd.exe\"");
	assert_meta(top(r), "links", "1");
	/* the document's links are the mail's links, listed with the part */
	assert_int_equal(r->links->len, 1);
	const ks_link *link = g_ptr_array_index(r->links, 0);
	assert_string_equal(link->href, "https://login.evil-example.com/o365?id=42");
	assert_string_equal(link->location, "part:2");
}

/* ---- images ---- */

static void pasted_low_resolution_signature_fires_with_its_dpi(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("images.pdf");
	assert_meta(top(r), "images", "3");
	assert_int_equal(count_rule(r, KS_RULE_PDF_LOW_RESOLUTION_IMAGE), 1);
	const ks_finding *f = find_rule(r, KS_RULE_PDF_LOW_RESOLUTION_IMAGE);
	assert_contains(f->evidence, "page 1 at (300,");
	assert_contains(f->evidence, "60×20 px drawn 216×72 pt: 20 DPI vs 300 DPI");
}

static void images_at_one_resolution_raise_nothing(void **state)
{
	(void)state;
	/* pypdf's imagemagick sample: one image per page, same source */
	g_autoptr(GBytes) b =
		corpus_file("pypdf_sample_files/007-imagemagick-images/imagemagick-images.pdf");
	if (!b)
		skip();
	g_autoptr(ks_report) r = analyze_with(b, "imagemagick-images.pdf", NULL);
	assert_null(find_rule(r, KS_RULE_PDF_LOW_RESOLUTION_IMAGE));
}

/* ---- broken and encrypted ---- */

static void the_brand_a_title_names_is_kept(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("letterhead.pdf");
	assert_string_equal(ks_attachment_get_meta(top(r), "pdf_brand"), "Banco do Brasil");
	g_autoptr(ks_report) plain = analyze_fixture("info_only.pdf");
	assert_null(ks_attachment_get_meta(top(plain), "pdf_brand"));
}

static void truncated_pdf_is_malformed_and_still_dated(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_fixture("truncated.pdf");
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	assert_meta(top(r), "created", "2024-12-10T16:20:12+09:00");
}

static void password_protected_pdf_reports_encryption_not_damage(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = corpus_file("pypdf_sample_files/005-libreoffice-writer-password/"
	                                  "libreoffice-writer-password.pdf");
	if (!b)
		skip();
	g_autoptr(ks_report) r = analyze_with(b, "locked.pdf", NULL);
	ks_attachment *a = top(r);
	assert_true(a->encrypted);
	assert_contains(ks_attachment_get_meta(a, "encrypted"), "password");
	assert_meta(a, "pdf_version", "1.5"); /* from the header */
	assert_null(find_rule(r, KS_RULE_INPUT_MALFORMED));
	const ks_finding *f = sole_finding(r, KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT);
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_contains(f->evidence, "needs a password to open");
}

/* The body gives the password (the corpus file's README: "openpassword"):
 * the document is opened and read, and the finding is high. */
static void password_in_the_body_opens_the_pdf(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = corpus_file("pypdf_sample_files/005-libreoffice-writer-password/"
	                                  "libreoffice-writer-password.pdf");
	if (!b)
		skip();
	msg_setup s = {"Please find the statement attached.\nPassword: openpassword\n", NULL, NULL,
	               NULL};
	g_autoptr(ks_report) r = analyze_with(b, "statement.pdf", &s);
	ks_attachment *a = top(r);
	assert_meta(a, "password", "openpassword");
	assert_contains(ks_attachment_get_meta(a, "encrypted"), "opened with the password");
	assert_meta(a, "pages", "1");
	assert_non_null(ks_attachment_get_meta(a, "producer"));
	const ks_finding *f = sole_finding(r, KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "\"openpassword\" (\"Password: openpassword\"), which opens it");
	/* a wrong one opens nothing and says so */
	msg_setup wrong = {"Password: open123\n", NULL, NULL, NULL};
	g_autoptr(ks_report) w = analyze_with(b, "statement.pdf", &wrong);
	f = sole_finding(w, KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT);
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_contains(f->evidence, "that does not open it");
}

/* ---- the forged-document timeline ---- */

static const char outlook_reply[] =
	"Please use our new account.\n\n"
	"-----Original Message-----\n"
	"From: Ichiro Tanaka <ichiro.tanaka@kogane-parts.co.jp>\n"
	"Sent: Tuesday, December 10, 2024 11:05 AM\n"
	"To: Hanako Sato <hanako.sato@hoshizora-denko.co.jp>\n"
	"Subject: December invoice\n\n> the real invoice\n";

static void pdf_made_after_the_quoted_mail_fires_with_the_gap(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = fixture("info_only.pdf");
	msg_setup s = {outlook_reply, "2024-12-11T09:12:40+09:00", NULL, NULL};
	g_autoptr(ks_report) r = analyze_with(b, "notice.pdf", &s);
	const ks_finding *f = find_rule(r, KS_RULE_PDF_CREATED_AFTER_MESSAGE);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	assert_contains(f->evidence, "notice.pdf created 2024-12-10T16:20:12+09:00, 5 h 15 min after "
	                             "the quoted message of 2024-12-10T11:05:00+09:00");
	/* the quoted time is on the timeline, from the body */
	bool seen = false;
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *e = g_ptr_array_index(r->timeline, i);
		seen |= strcmp(e->source, "body") == 0 && strstr(e->event, "quoted") != NULL;
	}
	assert_true(seen);
}

static void forwarded_pdf_is_not_an_answer(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = fixture("info_only.pdf");
	msg_setup s = {outlook_reply, "2024-12-11T09:12:40+09:00", NULL, NULL};
	ks_message *m = msg_new();
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->filename = g_strdup("notice.pdf");
	p->data = g_bytes_ref(b);
	g_ptr_array_add(m->parts, p);
	g_autoptr(ks_report) r = ks_report_new();
	r->subject = g_strdup("FW: December invoice");
	r->body_text = g_strdup(s.body);
	r->date = g_date_time_new_from_iso8601(s.date, NULL);
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	msg_free(m);
	assert_null(find_rule(r, KS_RULE_PDF_CREATED_AFTER_MESSAGE));
	assert_true(ks_quoted_is_forward("Fwd: x"));
	assert_true(ks_quoted_is_forward("転送: 請求書"));
	assert_false(ks_quoted_is_forward("RE: FW: x"));
	assert_false(ks_quoted_is_forward("Fwding ideas"));
	assert_true(ks_quoted_is_forward("ENC: Nota fiscal")); /* Outlook pt-BR */
}

static void pdf_made_before_the_quoted_mail_does_not_fire(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = fixture("info_only.pdf");
	static const char body[] = "> \n差出人: 田中 一郎 <ichiro.tanaka@kogane-parts.co.jp>\n"
	                           "送信日時: 2024年12月10日 17:05\n件名: 請求書\n";
	msg_setup s = {body, "2024-12-11T09:12:40+09:00", NULL, NULL};
	g_autoptr(ks_report) r = analyze_with(b, "invoice.pdf", &s);
	assert_null(find_rule(r, KS_RULE_PDF_CREATED_AFTER_MESSAGE));
}

static void pdf_made_within_72_hours_of_the_sender_domain_fires(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = fixture("info_only.pdf");
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(GDateTime) reg = g_date_time_new_from_iso8601("2024-12-10T15:00:00+09:00", NULL);
	ks_context_add_registration(ctx, "koganne-parts.co.jp", reg, "whois");
	msg_setup s = {NULL, "2024-12-11T09:12:40+09:00", "ichiro.tanaka@mail.koganne-parts.co.jp",
	               ctx};
	g_autoptr(ks_report) r = analyze_with(b, "notice.pdf", &s);
	const ks_finding *f = find_rule(r, KS_RULE_PDF_CREATED_NEAR_DOMAIN_REGISTRATION);
	assert_non_null(f);
	assert_contains(f->evidence, "1 h 20 min after sender domain koganne-parts.co.jp was "
	                             "registered (2024-12-10T15:00:00+09:00, whois)");
}

static void pdf_made_a_month_after_registration_does_not_fire(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = fixture("info_only.pdf");
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(GDateTime) reg = g_date_time_new_from_iso8601("2024-11-06T15:00:00+09:00", NULL);
	ks_context_add_registration(ctx, "koganne-parts.co.jp", reg, "whois");
	msg_setup s = {NULL, NULL, "ichiro.tanaka@koganne-parts.co.jp", ctx};
	g_autoptr(ks_report) r = analyze_with(b, "notice.pdf", &s);
	assert_null(find_rule(r, KS_RULE_PDF_CREATED_NEAR_DOMAIN_REGISTRATION));
}

/* ---- quoted header times ---- */

static void expect_time(const char *s, const char *want)
{
	g_autoptr(GTimeZone) jst = g_time_zone_new_offset(9 * 3600);
	g_autoptr(GDateTime) t = ks_quoted_time_parse(s, jst);
	if (!want) {
		if (t)
			fail_msg("\"%s\" should not parse", s);
		return;
	}
	if (!t)
		fail_msg("\"%s\" did not parse", s);
	g_autofree char *got = ks_time_format(t);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": want %s, got %s", s, want, got);
}

static void quoted_times_parse_in_the_shapes_clients_write(void **state)
{
	(void)state;
	expect_time("Tuesday, December 10, 2024 11:05 AM", "2024-12-10T11:05:00+09:00");
	expect_time("Tuesday, December 10, 2024 12:30 PM", "2024-12-10T12:30:00+09:00");
	expect_time("Tuesday, 10 December 2024 23:05", "2024-12-10T23:05:00+09:00");
	expect_time("On Mon, Dec 4, 2023 at 3:15 PM John Smith <john@example.com> wrote:",
	            "2023-12-04T15:15:00+09:00");
	expect_time("On Mon, 4 Dec 2023 at 10:15, John <j@example.com> wrote:",
	            "2023-12-04T10:15:00+09:00");
	expect_time("Mon, 4 Dec 2023 10:15:30 +0100", "2023-12-04T10:15:30+01:00");
	expect_time("On 2023/12/04 10:15, Taro wrote:", "2023-12-04T10:15:00+09:00");
	expect_time("2024年12月10日 11:05", "2024-12-10T11:05:00+09:00");
	expect_time("2024年12月10日 火曜日 午後 3:05", "2024-12-10T15:05:00+09:00");
	expect_time("2023/12/04 (月) 10:15", "2023-12-04T10:15:00+09:00");
	expect_time("２０２３年１２月４日 １０：１５", "2023-12-04T10:15:00+09:00");
	expect_time("Thu, 5 Dec 2024 08:00 (UTC-05:00)", "2024-12-05T08:00:00-05:00");
	expect_time("no date here at all", NULL);
	expect_time("December 10, 2024", NULL);       /* a date alone is not precise enough */
	expect_time("2024/13/45 10:15", NULL);        /* no such day */
	expect_time("Tuesday, December 10, 2024 13:05 PM", NULL);
	/* Outlook and Gmail in German, French and Spanish */
	expect_time("Montag, 8. Januar 2024 10:12", "2024-01-08T10:12:00+09:00");
	expect_time("Am Mo., 4. März 2024 um 10:15 Uhr schrieb Hans <h@example.de>:",
	            "2024-03-04T10:15:00+09:00");
	expect_time("Le lun. 8 janv. 2024 à 10:12, Ken <k@example.com> a écrit :",
	            "2024-01-08T10:12:00+09:00");
	expect_time("jeudi 1 août 2024 09:00", "2024-08-01T09:00:00+09:00");
	expect_time("mardi 4 juin 2024 09:00", "2024-06-04T09:00:00+09:00");
	expect_time("mardi 9 juillet 2024 09:00", "2024-07-09T09:00:00+09:00");
	expect_time("lunes, 8 de enero de 2024 10:12", "2024-01-08T10:12:00+09:00");
	expect_time("El mar, 10 dic 2024 a las 11:05, Ana <a@example.es> escribió:",
	            "2024-12-10T11:05:00+09:00");
	expect_time("8 mail 2024 10:12", NULL); /* "mai" is a month, "mail" is not */
}

static void quoted_headers_in_german_french_and_spanish(void **state)
{
	(void)state;
	g_autoptr(GDateTime) date = g_date_time_new_from_iso8601("2024-12-11T09:12:40+01:00", NULL);
	static const char body[] =
		"-----Ursprüngliche Nachricht-----\n"
		"Von: Hans Berg <h@example.de>\n"
		"Gesendet: Montag, 9. Dezember 2024 17:05\n"
		"> De : Marie <m@example.fr>\n"
		"> Envoyé : lundi 2 décembre 2024 08:30\n"
		"Le mar. 3 déc. 2024 à 10:00, Paul <p@example.fr> a écrit :\n"
		"De: Ana <a@example.es>\n"
		"Enviado el: miércoles, 4 de diciembre de 2024 12:00\n";
	g_autoptr(GPtrArray) times = ks_quoted_times_extract(body, date);
	const char *want[] = {"2024-12-09T17:05:00+01:00", "2024-12-02T08:30:00+01:00",
	                      "2024-12-03T10:00:00+01:00", "2024-12-04T12:00:00+01:00"};
	assert_int_equal(times->len, G_N_ELEMENTS(want));
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		g_autofree char *got = ks_time_format(g_ptr_array_index(times, i));
		assert_string_equal(got, want[i]);
	}
}

static void quoted_times_come_only_from_quoted_header_blocks(void **state)
{
	(void)state;
	g_autoptr(GDateTime) date = g_date_time_new_from_iso8601("2024-12-11T09:12:40+09:00", NULL);
	static const char body[] =
		"Date: 2024/12/01 10:00 is when we met\n" /* not in a quoted block */
		"On Tue, Dec 10, 2024 at 9:00 AM Ichiro Tanaka <\n"
		"ichiro@example.com> wrote:\n"
		"> 差出人: 田中 一郎\n"
		"> 送信日時: 2024年12月9日 17:05\n"
		"> 件名: 請求書\n"
		"2024年12月8日(日) 8:00 Taro <taro@example.jp>:\n";
	g_autoptr(GPtrArray) times = ks_quoted_times_extract(body, date);
	assert_int_equal(times->len, 3);
	const char *want[] = {"2024-12-10T09:00:00+09:00", "2024-12-09T17:05:00+09:00",
	                      "2024-12-08T08:00:00+09:00"};
	for (guint i = 0; i < 3; i++) {
		g_autofree char *got = ks_time_format(g_ptr_array_index(times, i));
		assert_string_equal(got, want[i]);
	}
	g_autoptr(GPtrArray) none = ks_quoted_times_extract(NULL, NULL);
	assert_int_equal(none->len, 0);
}

/* ---- the corpora ---- */

static void collect_pdfs(const char *dir, GPtrArray *out, int depth)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *n;
	while (d && depth < 8 && (n = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, n, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			collect_pdfs(p, out, depth + 1);
		else if (g_str_has_suffix(n, ".pdf") || g_str_has_suffix(n, ".PDF"))
			g_ptr_array_add(out, g_steal_pointer(&p));
	}
}

static void every_corpus_pdf_goes_through(void **state)
{
	(void)state;
	const char *root = corpora_root();
	if (!root)
		skip();
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	collect_pdfs(root, files, 0);
	collect_pdfs("tests/fixtures/pdf", files, 0);
	assert_true(files->len >= 30);
	/* as kensa reads them: in the analysis helper (this program again),
	 * where the fixtures that crash poppler cost the helper only */
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_set_limits(ctx, "/proc/self/exe", 0, 0);
	msg_setup in_helper = {.ctx = ctx};
	for (guint i = 0; i < files->len; i++) {
		g_autoptr(GBytes) b = read_bytes(g_ptr_array_index(files, i));
		g_autoptr(ks_report) r = analyze_with(b, "x.pdf", &in_helper);
		/* every one was looked at: a version from poppler or the header
		 * (by kensa's own parsers when poppler crashed on it) */
		assert_non_null(ks_attachment_get_meta(top(r), "pdf_version"));
	}
}

/* One comparison: counts it, prints a disagreement, returns 1 on agreement. */
static int agrees(const char *file, const char *what, const char *got, const char *want,
                  int *checks)
{
	(*checks)++;
	if (g_strcmp0(got, want) == 0)
		return 1;
	print_message("  %s: %s is \"%s\", files.json says \"%s\"\n", file, what,
	              got ? got : "(none)", want);
	return 0;
}

/* Compares producer, pages, creation date and encryption with pypdf's
 * files.json; prints the agreement and requires all but known differences. */
static void pypdf_sample_metadata_agrees_with_files_json(void **state)
{
	(void)state;
	const char *root = corpora_root();
	if (!root)
		skip();
	g_autofree char *dir = g_build_filename(root, "pypdf_sample_files", NULL);
	g_autofree char *json = g_build_filename(dir, "files.json", NULL);
	g_autoptr(JsonParser) jp = json_parser_new();
	assert_true(json_parser_load_from_file(jp, json, NULL));
	JsonArray *files = json_object_get_array_member(
		json_node_get_object(json_parser_get_root(jp)), "data");
	int checks = 0, agree = 0;
	for (guint i = 0; i < json_array_get_length(files); i++) {
		JsonObject *o = json_array_get_object_element(files, i);
		g_autofree char *path = g_build_filename(dir, json_object_get_string_member(o, "path"),
		                                         NULL);
		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			continue; /* the copy left out the large GeoTopo.pdf */
		g_autoptr(GBytes) b = read_bytes(path);
		g_autoptr(ks_report) r = analyze_with(b, "x.pdf", NULL);
		const ks_attachment *a = top(r);
		const char *rel = json_object_get_string_member(o, "path");
		const char *producer = json_object_get_string_member_with_default(o, "producer", NULL);
		if (producer && strcmp(producer, "?") != 0)
			agree += agrees(rel, "producer", ks_attachment_get_meta(a, "producer"), producer,
			                &checks);
		if (json_object_has_member(o, "pages")) {
			g_autofree char *pages =
				g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(o, "pages"));
			agree += agrees(rel, "pages", ks_attachment_get_meta(a, "pages"), pages, &checks);
		}
		const char *created =
			json_object_get_string_member_with_default(o, "creation_date", NULL);
		if (created) {
			/* files.json prints some offsets from the local clock and drops
			 * others (pypdf's naive datetimes), so the wall-clock part is
			 * compared; the offsets are checked against the bytes elsewhere */
			const char *got = ks_attachment_get_meta(a, "created");
			g_autofree char *got_local = got ? g_strndup(got, 19) : NULL;
			g_autofree char *want_local = g_strndup(created, 19);
			agree += agrees(rel, "created", got_local, want_local, &checks);
		}
		bool enc = json_object_get_boolean_member(o, "encrypted");
		agree += agrees(rel, "encrypted", a->encrypted ? "true" : "false", enc ? "true" : "false",
		                &checks);
	}
	print_message("pypdf files.json: %d of %d values agree\n", agree, checks);
	assert_true(checks > 80);
	/* known: the password-protected file's producer, pages and date need
	 * its password, and 017's date is unreadable on purpose */
	assert_true(agree >= checks - 4);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_pdf_type_or_header_in_first_1024_bytes),
		cmocka_unit_test(info_dates_keep_their_offset_and_pages_are_counted),
		cmocka_unit_test(xmp_is_read_and_its_differences_from_info_listed),
		cmocka_unit_test(open_action_javascript_raises_both_rules),
		cmocka_unit_test(open_action_that_only_opens_a_page_is_no_finding),
		cmocka_unit_test(open_action_with_an_object_number_too_long_is_no_destination),
		cmocka_unit_test(hex_escaped_names_are_decoded_and_called_out),
		cmocka_unit_test(embedded_file_is_a_child_analysed_in_turn),
		cmocka_unit_test(uri_links_are_iocs_and_launch_fires_with_its_command),
		cmocka_unit_test(pasted_low_resolution_signature_fires_with_its_dpi),
		cmocka_unit_test(images_at_one_resolution_raise_nothing),
		cmocka_unit_test(the_brand_a_title_names_is_kept),
		cmocka_unit_test(truncated_pdf_is_malformed_and_still_dated),
		cmocka_unit_test(password_protected_pdf_reports_encryption_not_damage),
		cmocka_unit_test(password_in_the_body_opens_the_pdf),
		cmocka_unit_test(pdf_made_after_the_quoted_mail_fires_with_the_gap),
		cmocka_unit_test(quoted_headers_in_german_french_and_spanish),
		cmocka_unit_test(forwarded_pdf_is_not_an_answer),
		cmocka_unit_test(pdf_made_before_the_quoted_mail_does_not_fire),
		cmocka_unit_test(pdf_made_within_72_hours_of_the_sender_domain_fires),
		cmocka_unit_test(pdf_made_a_month_after_registration_does_not_fire),
		cmocka_unit_test(quoted_times_parse_in_the_shapes_clients_write),
		cmocka_unit_test(quoted_times_come_only_from_quoted_header_blocks),
		cmocka_unit_test(every_corpus_pdf_goes_through),
		cmocka_unit_test(pypdf_sample_metadata_agrees_with_files_json),
	};
	/* this program is its own analysis helper (helper.h) */
	if (argc == 2 && strcmp(argv[1], KS_HELPER_ARG) == 0)
		ks_helper_main();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
