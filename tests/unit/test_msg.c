/* Unit tests for analyzers/mail/msg.c: the one real Outlook .msg in the corpora
 * (spamscope_mailparser mail_outlook_1) read into the message model and
 * analysed, a small .msg written here with libgsf's compound-file writer for
 * what that file lacks (no transport headers, recipients, an attached
 * message), and hostile input (cuts, non-.msg OLE files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/analyze.h"
#include "mail/msg.h"
#include "mail/ole.h"

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-output.h>
#include <string.h>

#define OUTLOOK "../shared/corpora/spamscope_mailparser/mails/mail_outlook_1"

static GBytes *read_file(const char *path)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	g_autoptr(GError) err = NULL;
	if (!g_file_get_contents(path, &text, &len, &err))
		fail_msg("cannot read %s: %s", path, err->message);
	return g_bytes_new_take(g_steal_pointer(&text), len);
}

static int count_headers(const ks_message *m, const char *name)
{
	g_autoptr(GPtrArray) hs = ks_message_headers_named(m, name);
	return (int)hs->len;
}

/* ---- the real message ---- */

static void real_msg_headers_come_from_transport_headers(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = read_file(OUTLOOK);
	assert_true(ks_msg_sniff(raw));
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_message) m = ks_msg_parse(raw, 0, &err);
	assert_non_null(m);
	assert_string_equal(ks_message_header(m, "Subject"),
	                    "Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz");
	assert_string_equal(ks_message_header(m, "Message-ID"),
	                    "<20170918100018.6AE0948009C@www.w-vwa.de>");
	assert_string_equal(ks_message_header(m, "Date"), "Mon, 18 Sep 2017 12:00:18 +0200");
	assert_int_equal(count_headers(m, "Received"), 10);
}

static void real_msg_bodies_are_decoded(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = read_file(OUTLOOK);
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* the entry: attached messages too */
	assert_non_null(m->body_plain);
	assert_non_null(strstr(m->body_plain, "Sehr geehrte Frau Gaiser-Schönenborn"));
	assert_true(g_utf8_validate(m->body_plain, -1, NULL));
	assert_non_null(m->body_html);
	assert_true(g_str_has_prefix(m->body_html, "<!DOCTYPE html"));
}

static void real_msg_attachments_are_parts(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = read_file(OUTLOOK);
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* the entry: attached messages too */
	assert_int_equal(m->parts->len, 5);
	ks_mime_part *p = g_ptr_array_index(m->parts, 0);
	assert_string_equal(p->path, "1");
	assert_string_equal(p->filename, "newsletter.png");
	assert_string_equal(p->content_type, "image/png");
	assert_int_equal(g_bytes_get_size(p->data), 100150);
	assert_memory_equal(g_bytes_get_data(p->data, NULL), "\x89PNG", 4);
	ks_mime_part *last = g_ptr_array_index(m->parts, 4);
	assert_string_equal(last->path, "5");
	assert_string_equal(last->filename, "image008.jpg");
	assert_int_equal(m->problems->len, 0);
}

static void real_msg_analyses_like_an_eml(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = read_file(OUTLOOK);
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* the entry: attached messages too */
	ks_context *ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	ks_analyze_message(m, ctx, r);
	ks_context_free(ctx);
	assert_string_equal(r->subject, "Newsletter Prüfung Personalwesen / Prüfung Eröffnungsbilanz");
	assert_int_equal(r->from->len, 1);
	assert_string_equal(((ks_address *)g_ptr_array_index(r->from, 0))->address,
	                    "NueblingV@w-vwa.de");
	assert_int_equal(r->hops->len, 10);
	assert_int_equal(r->attachments->len, 5);
	ks_attachment *a = g_ptr_array_index(r->attachments, 0);
	assert_string_equal(a->detected_type, "image/png");
	assert_int_equal(strlen(a->sha256), 64);
	assert_non_null(r->body_text);
}

/* ---- a .msg written here ---- */

static void put(GsfOutfile *dir, const char *name, const void *data, gsize len)
{
	GsfOutput *out = gsf_outfile_new_child(dir, name, FALSE);
	assert_true(gsf_output_write(out, len, data));
	gsf_output_close(out);
	g_object_unref(out);
}

static void put_unicode(GsfOutfile *dir, guint16 id, const char *utf8)
{
	glong n = 0;
	g_autofree gunichar2 *w = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
	char name[32];
	g_snprintf(name, sizeof name, "__substg1.0_%04X001F", id);
	put(dir, name, w, (gsize)n * 2); /* little-endian host */
}

/* The property stream: a header of hdr bytes, then 16-byte entries. */
static void put_props(GsfOutfile *dir, gsize hdr, const guint32 *tags, const guint64 *values,
                      int n)
{
	g_autofree guint8 *buf = g_malloc0(hdr + 16 * (gsize)n);
	for (int i = 0; i < n; i++) {
		guint8 *e = buf + hdr + 16 * i;
		memcpy(e, &tags[i], 4);
		memcpy(e + 8, &values[i], 8);
	}
	put(dir, "__properties_version1.0", buf, hdr + 16 * (gsize)n);
}

static GsfOutfile *storage(GsfOutfile *dir, const char *name)
{
	return GSF_OUTFILE(gsf_outfile_new_child(dir, name, TRUE));
}

static void close_storage(GsfOutfile *dir)
{
	gsf_output_close(GSF_OUTPUT(dir));
	g_object_unref(dir);
}

/* A draft-like message: no transport headers; a recipient of each kind; a
 * file attachment and an attached message. 2023-05-18T06:20:00Z is FILETIME
 * 133288644000000000. */
static GBytes *make_msg(void)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(mem);
	const guint32 tags[] = {0x00390040, 0x3FFD0003};
	const guint64 values[] = {G_GUINT64_CONSTANT(133288644000000000), 65001};
	put_props(root, 32, tags, values, 2);
	put_unicode(root, 0x0037, "至急：振込先変更のお願い");
	put_unicode(root, 0x0C1A, "山田 太郎");
	put_unicode(root, 0x5D01, "yamada@abc-company-co-jp.com");
	put_unicode(root, 0x1000, "お世話になっております。\r\n振込先が変更になりました。");

	GsfOutfile *r0 = storage(root, "__recip_version1.0_#00000000");
	const guint32 rt[] = {0x0C150003};
	const guint64 to[] = {1}, cc[] = {2};
	put_props(r0, 8, rt, to, 1);
	put_unicode(r0, 0x3001, "Keiri");
	put_unicode(r0, 0x39FE, "keiri@abc-company.co.jp");
	close_storage(r0);
	GsfOutfile *r1 = storage(root, "__recip_version1.0_#00000001");
	put_props(r1, 8, rt, cc, 1);
	put_unicode(r1, 0x3001, "Lawyer");
	put_unicode(r1, 0x3003, "/O=EXCHANGE/OU=ADMIN/CN=RECIPIENTS/CN=LAWYER");
	close_storage(r1);

	const guint32 at[] = {0x37050003};
	const guint64 by_value[] = {1}, embedded[] = {5};
	GsfOutfile *a0 = storage(root, "__attach_version1.0_#00000000");
	put_props(a0, 8, at, by_value, 1);
	put_unicode(a0, 0x3707, "請求書.pdf.exe");
	put(a0, "__substg1.0_37010102", "MZ\x90\x00", 4);
	close_storage(a0);
	GsfOutfile *a1 = storage(root, "__attach_version1.0_#00000001");
	put_props(a1, 8, at, embedded, 1);
	put_unicode(a1, 0x3001, "Original invoice");
	GsfOutfile *inner = storage(a1, "__substg1.0_3701000D");
	put_props(inner, 24, NULL, NULL, 0);
	put_unicode(inner, 0x0037, "Invoice 2023-05");
	put_unicode(inner, 0x0C1A, "Partner");
	put_unicode(inner, 0x0C1F, "billing@abc-company.co.jp");
	put_unicode(inner, 0x1000, "Please find the invoice attached.");
	close_storage(inner);
	close_storage(a1);

	gsf_output_close(GSF_OUTPUT(root));
	g_object_unref(root);
	GBytes *bytes = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
	                            (gsize)gsf_output_size(mem));
	g_object_unref(mem);
	return bytes;
}

static void msg_without_transport_headers_gets_headers_from_properties(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = make_msg();
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_message) m = ks_msg_parse(raw, 0, &err);
	assert_non_null(m);
	assert_string_equal(ks_message_header(m, "Subject"), "至急：振込先変更のお願い");
	assert_string_equal(ks_message_header(m, "From"),
	                    "\"山田 太郎\" <yamada@abc-company-co-jp.com>");
	assert_string_equal(ks_message_header(m, "To"), "\"Keiri\" <keiri@abc-company.co.jp>");
	/* an Exchange DN is no address: the name alone is kept */
	assert_string_equal(ks_message_header(m, "Cc"), "\"Lawyer\"");
	assert_string_equal(ks_message_header(m, "Date"), "Thu, 18 May 2023 06:20:00 +0000");
	assert_non_null(strstr(m->body_plain, "振込先が変更になりました"));
}

static void attached_msg_is_parsed_as_embedded_message(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = make_msg();
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* the entry: attached messages too */
	assert_int_equal(m->parts->len, 2);
	ks_mime_part *file = g_ptr_array_index(m->parts, 0);
	assert_string_equal(file->filename, "請求書.pdf.exe");
	assert_int_equal(g_bytes_get_size(file->data), 4);
	assert_null(file->embedded);
	ks_mime_part *inner = g_ptr_array_index(m->parts, 1);
	assert_string_equal(inner->path, "2");
	assert_string_equal(inner->content_type, "message/rfc822");
	assert_non_null(inner->embedded);
	assert_int_equal(inner->embedded->depth, 1);
	assert_string_equal(ks_message_header(inner->embedded, "Subject"), "Invoice 2023-05");
	assert_string_equal(ks_message_header(inner->embedded, "From"),
	                    "\"Partner\" <billing@abc-company.co.jp>");
}

/* Outlook keeps a .eml dropped onto a message as a file (by value, MIME tag
 * message/rfc822): it is a forwarded message all the same. */
static void eml_attached_by_value_is_parsed_as_embedded_message(void **state)
{
	(void)state;
	static const char eml[] = "From: Partner <billing@abc-company-co-jp.com>\r\n"
	                          "Reply-To: pay@freemail.example\r\n"
	                          "Subject: Invoice\r\n\r\nPlease pay to the new account.\r\n";
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(mem);
	put_props(root, 32, NULL, NULL, 0);
	put_unicode(root, 0x0037, "FW: report");
	GsfOutfile *a0 = storage(root, "__attach_version1.0_#00000000");
	put_props(a0, 8, NULL, NULL, 0);
	put_unicode(a0, 0x3707, "Suspicious.EML");
	put(a0, "__substg1.0_37010102", eml, sizeof eml - 1);
	close_storage(a0);
	GsfOutfile *a1 = storage(root, "__attach_version1.0_#00000001");
	put_props(a1, 8, NULL, NULL, 0);
	put_unicode(a1, 0x3707, "notes.txt");
	put(a1, "__substg1.0_37010102", eml, sizeof eml - 1);
	close_storage(a1);
	gsf_output_close(GSF_OUTPUT(root));
	g_object_unref(root);
	g_autoptr(GBytes) raw = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
	                                    (gsize)gsf_output_size(mem));
	g_object_unref(mem);

	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* the entry: attached messages too */
	assert_non_null(m);
	assert_int_equal(m->parts->len, 2);
	ks_mime_part *p = g_ptr_array_index(m->parts, 0);
	assert_non_null(p->embedded);
	assert_int_equal(p->embedded->depth, 1);
	assert_string_equal(ks_message_header(p->embedded, "Subject"), "Invoice");
	/* the same bytes under another name and no MIME tag stay a file */
	assert_null(((ks_mime_part *)g_ptr_array_index(m->parts, 1))->embedded);
}

static void made_msg_analyses_with_findings(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = make_msg();
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* the entry: attached messages too */
	ks_context *ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	ks_analyze_message(m, ctx, r);
	ks_context_free(ctx);
	assert_string_equal(r->subject, "至急：振込先変更のお願い");
	assert_true(ks_report_has_finding(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME));
	assert_true(ks_report_has_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
	assert_int_equal(r->attachments->len, 2);
	ks_attachment *a = g_ptr_array_index(r->attachments, 1);
	assert_non_null(a->message);
	assert_string_equal(a->message->subject, "Invoice 2023-05");
}

/* ---- hostile input ---- */

static void ole_file_that_is_not_a_msg_is_rejected(void **state)
{
	(void)state;
	g_autoptr(GBytes) doc = read_file("../shared/corpora/oletools_testdata/msodde/harmless-clean.doc");
	assert_false(ks_msg_sniff(doc));
	g_autoptr(GError) err = NULL;
	assert_null(ks_msg_parse(doc, 0, &err));
	assert_non_null(err);
	g_autoptr(GBytes) text = g_bytes_new_static("From: a@b\r\n\r\nhi", 15);
	assert_false(ks_msg_sniff(text));
	g_autoptr(GError) err2 = NULL;
	assert_null(ks_msg_parse(text, 0, &err2));
	assert_non_null(err2);
}

static void cut_msg_never_crashes(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = read_file(OUTLOOK);
	gsize len = g_bytes_get_size(raw);
	for (gsize cut = 512; cut < len; cut += len / 23) {
		g_autoptr(GBytes) part = g_bytes_new_from_bytes(raw, 0, cut);
		g_autoptr(GError) err = NULL;
		g_autoptr(ks_message) m = ks_msg_parse(part, 0, &err);
		if (!m) {
			assert_non_null(err);
			continue;
		}
		ks_context *ctx = ks_context_new();
		g_autoptr(ks_report) r = ks_report_new();
		ks_analyze_message(m, ctx, r);
		ks_context_free(ctx);
	}
}

/* A PR_SMTP_ADDRESS that is no single address must not make recipients
 * that do not exist; a NUL inside an attachment's name hides nothing. */
static GBytes *make_hostile_msg(void)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(mem);
	put_props(root, 32, NULL, NULL, 0);
	put_unicode(root, 0x0037, "Payroll");
	put_unicode(root, 0x0C1A, "Hanako");
	put_unicode(root, 0x5D01, "hanako@victim.example");
	GsfOutfile *r0 = storage(root, "__recip_version1.0_#00000000");
	const guint32 rt[] = {0x0C150003};
	const guint64 to[] = {1};
	put_props(r0, 8, rt, to, 1);
	put_unicode(r0, 0x3001, "Sato, Keiri");
	put_unicode(r0, 0x39FE, "hanako@victim.example>, \"Boss\" <boss@victim.example");
	close_storage(r0);
	const guint32 at[] = {0x37050003};
	const guint64 by_value[] = {1};
	GsfOutfile *a0 = storage(root, "__attach_version1.0_#00000000");
	put_props(a0, 8, at, by_value, 1);
	/* "x\0y.exe" in UTF-16LE, then the terminating NUL */
	static const char name[] = "x\0\0\0y\0.\0e\0x\0e\0\0\0";
	put(a0, "__substg1.0_3707001F", name, sizeof name - 1);
	put(a0, "__substg1.0_37010102", "MZ\x90\x00", 4);
	close_storage(a0);
	gsf_output_close(GSF_OUTPUT(root));
	g_object_unref(root);
	GBytes *bytes = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
	                            (gsize)gsf_output_size(mem));
	g_object_unref(mem);
	return bytes;
}

static void recipient_address_injection_is_refused(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = make_hostile_msg();
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* GMime set up */
	assert_non_null(m);
	/* the name alone, quoted: its comma makes no second recipient */
	assert_string_equal(ks_message_header(m, "To"), "\"Sato, Keiri\"");
	ks_context *ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	ks_analyze_message(m, ctx, r);
	ks_context_free(ctx);
	assert_int_equal(r->to->len, 1);
	assert_null(((ks_address *)g_ptr_array_index(r->to, 0))->address);
	bool said = false;
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		said |= f->rule == KS_RULE_INPUT_MALFORMED && strstr(f->evidence, "PR_SMTP_ADDRESS") &&
		        strstr(f->evidence, "not taken as an address");
	}
	assert_true(said);
	for (guint i = 0; i < r->iocs->len; i++)
		assert_null(strstr(((ks_ioc *)g_ptr_array_index(r->iocs, i))->value, "boss@"));
}

static void nul_in_an_attachment_name_is_kept(void **state)
{
	(void)state;
	g_autoptr(GBytes) raw = make_hostile_msg();
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL); /* GMime set up */
	ks_mime_part *p = g_ptr_array_index(m->parts, 0);
	assert_int_equal(p->filename_len, 7);
	assert_memory_equal(p->filename, "x\0y.exe", 7);
	ks_context *ctx = ks_context_new();
	g_autoptr(ks_report) r = ks_report_new();
	ks_analyze_message(m, ctx, r);
	ks_context_free(ctx);
	ks_attachment *a = g_ptr_array_index(r->attachments, 0);
	assert_string_equal(a->filename, "x\\0y.exe");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recipient_address_injection_is_refused),
		cmocka_unit_test(nul_in_an_attachment_name_is_kept),
		cmocka_unit_test(real_msg_headers_come_from_transport_headers),
		cmocka_unit_test(real_msg_bodies_are_decoded),
		cmocka_unit_test(real_msg_attachments_are_parts),
		cmocka_unit_test(real_msg_analyses_like_an_eml),
		cmocka_unit_test(msg_without_transport_headers_gets_headers_from_properties),
		cmocka_unit_test(attached_msg_is_parsed_as_embedded_message),
		cmocka_unit_test(eml_attached_by_value_is_parsed_as_embedded_message),
		cmocka_unit_test(made_msg_analyses_with_findings),
		cmocka_unit_test(ole_file_that_is_not_a_msg_is_rejected),
		cmocka_unit_test(cut_msg_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
