/* Unit tests for analyzers/payloads/attachments.c and analyzers/mail/zipread.c: the
 * attachment tree, types and hashes, zip children (made here with libzip,
 * including AES-encrypted entries), the attachment.* rules, the limits, and
 * libarchive's real-world zip fixtures run through the whole path.  Messages
 * are built by hand so the tests depend on nothing but these analyzers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mail/zipread.h"
#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "payloads/pdf.h"
#include "testlib.h"

#include <magic.h>
#include <string.h>
#include <zip.h>

/* ---- helpers ---- */

/* A message with a plain-text body part "1" and nothing else. */
static ks_message *msg_with_body(void)
{
	ks_message *m = msg_new();
	static const char body[] = "Please see the attached file.\n";
	ks_mime_part *b = add_part(m, "1", "text/plain", NULL, body, sizeof body - 1);
	b->is_body = true;
	b->charset = g_strdup("utf-8");
	m->body_plain = g_strdup(body);
	return m;
}

static ks_report *analyze(const ks_message *m)
{
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	return r;
}

static ks_attachment *att(const ks_report *r, guint i)
{
	assert_true(i < r->attachments->len);
	return g_ptr_array_index(r->attachments, i);
}

typedef struct {
	const char *name; /* ending in '/' makes a directory */
	const void *data;
	size_t len;
	bool encrypt; /* WinZip AES-256, password "pw" */
	bool store;   /* no compression */
} entry_spec;

/* A zip built in memory with libzip. */
static GBytes *zip_make(const entry_spec *specs, size_t n, const char *comment)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
	assert_non_null(src);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		if (g_str_has_suffix(specs[i].name, "/")) {
			assert_true(zip_dir_add(za, specs[i].name, ZIP_FL_ENC_UTF_8) >= 0);
			continue;
		}
		zip_source_t *s = zip_source_buffer(za, specs[i].data, specs[i].len, 0);
		zip_int64_t idx = zip_file_add(za, specs[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		if (specs[i].encrypt)
			assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, "pw"), 0);
		if (specs[i].store)
			assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
	}
	if (comment)
		assert_int_equal(zip_set_archive_comment(za, comment, (zip_uint16_t)strlen(comment)), 0);
	assert_int_equal(zip_close(za), 0);
	zip_stat_t st;
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	guint8 *buf = g_malloc(st.size);
	assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&err);
	return g_bytes_new_take(buf, st.size);
}

static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/* ---- types, hashes, tree ---- */

static void benign_pdf_raises_nothing(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	ks_mime_part *p = add_part(m, "2", "application/pdf", "invoice.pdf", pdf, sizeof pdf - 1);
	p->disposition = g_strdup("attachment");
	ks_report *r = analyze(m);
	assert_int_equal(r->attachments->len, 1);
	ks_attachment *a = att(r, 0);
	assert_string_equal(a->path, "2");
	assert_string_equal(a->filename, "invoice.pdf");
	assert_string_equal(a->declared_type, "application/pdf");
	assert_string_equal(a->detected_type, "application/pdf");
	assert_int_equal(a->size, sizeof pdf - 1);
	assert_int_equal(strlen(a->sha256), 64);
	char md5[33];
	ks_attachment_md5(a, md5);
	assert_int_equal(strlen(md5), 32);
	assert_non_null(a->data);
	assert_string_equal(ks_attachment_get_meta(a, "disposition"), "attachment");
	assert_int_equal(r->findings->len, 0);
	assert_true(has_ioc(r, KS_IOC_SHA256, a->sha256));
	assert_true(has_ioc(r, KS_IOC_FILENAME, "invoice.pdf"));
	ks_report_free(r);
	msg_free(m);
}

static void sha256_and_md5_are_lower_case_hex_of_the_bytes(void **state)
{
	(void)state;
	ks_message *m = msg_new();
	add_part(m, "1", "text/plain", "abc.txt", "abc", 3);
	ks_report *r = analyze(m);
	/* FIPS 180-2 B.1 and RFC 1321 A.5 test vectors for "abc" */
	assert_string_equal(att(r, 0)->sha256,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* the MD5 is left to the writers that print it, from the bytes */
	assert_string_equal(att(r, 0)->md5, "");
	char md5[33];
	ks_attachment_md5(att(r, 0), md5);
	assert_string_equal(md5, "900150983cd24fb0d6963f7d28e17f72");
	ks_report_free(r);
	msg_free(m);
}

/* An MD5 read back with a report is the one given; a node with neither an
 * MD5 nor bytes has none (it is not the MD5 of nothing). */
static void an_md5_comes_from_the_report_or_the_bytes(void **state)
{
	(void)state;
	ks_attachment *a = ks_attachment_new("2");
	char md5[33] = "x";
	ks_attachment_md5(a, md5);
	assert_string_equal(md5, "");
	a->data = g_bytes_new_static("", 0);
	ks_attachment_md5(a, md5);
	/* RFC 1321 A.5: MD5 ("") */
	assert_string_equal(md5, "d41d8cd98f00b204e9800998ecf8427e");
	memset(a->md5, 'b', 32);
	ks_attachment_md5(a, md5);
	assert_string_equal(md5, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	ks_attachment_free(a);
}

static void body_parts_are_not_attachments(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	static const char html[] = "<html><body>hello</body></html>";
	ks_mime_part *h = add_part(m, "2", "text/html", NULL, html, sizeof html - 1);
	h->is_body = true;
	ks_report *r = analyze(m);
	assert_int_equal(r->attachments->len, 0);
	assert_int_equal(r->findings->len, 0);
	ks_report_free(r);
	msg_free(m);
}

static void csv_text_and_png_named_jpg_do_not_mismatch(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	static const char csv[] = "name,amount\nalice,100\nbob,200\n";
	add_part(m, "2", "text/csv", "payments.csv", csv, sizeof csv - 1);
	static const guint8 png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
	                             'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
	                             0x90, 0x77, 0x53, 0xde};
	add_part(m, "3", "image/jpeg", "stamp.jpg", png, sizeof png);
	ks_report *r = analyze(m);
	assert_int_equal(r->attachments->len, 2);
	assert_string_equal(att(r, 1)->detected_type, "image/png");
	assert_int_equal(r->findings->len, 0);
	ks_report_free(r);
	msg_free(m);
}

static void zip_entries_become_children_with_paths(void **state)
{
	(void)state;
	static const char a_txt[] = "first entry\n", b_txt[] = "second entry\n";
	entry_spec specs[] = {
		{"a.txt", a_txt, sizeof a_txt - 1, false, false},
		{"dir/", NULL, 0, false, false},
		{"dir/b.txt", b_txt, sizeof b_txt - 1, false, false},
	};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), "made by the test");
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "files.zip", zip);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_string_equal(a->detected_type, "application/zip");
	assert_false(a->encrypted);
	assert_int_equal(a->children->len, 2); /* the directory is left out */
	assert_string_equal(child(a, 0)->path, "2/1");
	assert_string_equal(child(a, 0)->filename, "a.txt");
	assert_int_equal(child(a, 0)->size, sizeof a_txt - 1);
	assert_string_equal(child(a, 0)->detected_type, "text/plain");
	assert_int_equal(strlen(child(a, 0)->sha256), 64);
	assert_string_equal(child(a, 1)->path, "2/2");
	assert_string_equal(child(a, 1)->filename, "dir/b.txt");
	assert_string_equal(ks_attachment_get_meta(a, "entries"), "3");
	assert_string_equal(ks_attachment_get_meta(a, "comment"), "made by the test");
	assert_true(has_ioc(r, KS_IOC_FILENAME, "b.txt"));
	assert_true(has_ioc(r, KS_IOC_SHA256, child(a, 1)->sha256));
	assert_int_equal(r->findings->len, 0);
	ks_report_free(r);
	msg_free(m);
}

static void encrypted_entries_fire_once_and_mark_the_archive(void **state)
{
	(void)state;
	static const char secret[] = "account numbers\n", readme[] = "password by phone\n";
	entry_spec specs[] = {
		{"請求書.xlsx", secret, sizeof secret - 1, true, false},
		{"detail.docx", secret, sizeof secret - 1, true, false},
		{"readme.txt", readme, sizeof readme - 1, false, false},
	};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "invoice.zip", zip);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_true(a->encrypted);
	assert_int_equal(a->children->len, 3);
	assert_true(child(a, 0)->encrypted);
	assert_string_equal(child(a, 0)->filename, "請求書.xlsx");
	assert_int_equal(child(a, 0)->size, sizeof secret - 1);
	assert_string_equal(child(a, 0)->sha256, ""); /* not decrypted, not hashed */
	assert_null(child(a, 0)->data);
	assert_false(child(a, 2)->encrypted);
	assert_int_equal(strlen(child(a, 2)->sha256), 64);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE), 1);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE);
	assert_string_equal(f->location, "part:2");
	assert_non_null(strstr(f->evidence, "請求書.xlsx"));
	assert_non_null(strstr(f->evidence, "detail.docx"));
	assert_null(strstr(f->evidence, "readme.txt"));
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
	ks_report_free(r);
	msg_free(m);
}

/* A PDF stored as a zip's first entry puts its header in the zip's first
 * kilobyte, where a PDF reader looks for one: the zip is not read as that
 * PDF a second time (its metadata belongs to the entry).  A header that is
 * no entry's bytes (here in an entry's name) still makes it a PDF. */
static void pdf_stored_in_a_zip_is_read_once_as_its_entry(void **state)
{
	(void)state;
	entry_spec stored[] = {{"invoice.pdf", pdf, sizeof pdf - 1, false, true}};
	g_autoptr(GBytes) zip = zip_make(stored, 1, NULL);
	gsize zlen = 0;
	const char *zp = g_bytes_get_data(zip, &zlen);
	assert_non_null(memmem(zp, MIN(zlen, 1024), "%PDF-", 5));
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "invoice.zip", zip);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_int_equal(a->children->len, 1);
	assert_string_equal(ks_attachment_get_meta(child(a, 0), "pdf_version"), "1.4");
	assert_null(ks_attachment_get_meta(a, "pdf_version"));
	assert_false(ks_pdf_accepts(a));
	assert_true(ks_pdf_accepts(child(a, 0)));
	ks_report_free(r);
	msg_free(m);

	static const char note[] = "not a pdf\n";
	entry_spec named[] = {{"%PDF-1.4 note.txt", note, sizeof note - 1, false, true}};
	g_autoptr(GBytes) zip2 = zip_make(named, 1, NULL);
	m = msg_with_body();
	add_bytes(m, "2", "application/zip", "notes.zip", zip2);
	r = analyze(m);
	assert_true(ks_pdf_accepts(att(r, 0)));
	ks_report_free(r);
	msg_free(m);
}

static void zip_renamed_zi_underscore_is_a_high_mismatch(void **state)
{
	(void)state;
	static const char secret[] = "wire to account 1234\n";
	entry_spec specs[] = {{"payment.pdf", secret, sizeof secret - 1, true, false}};
	g_autoptr(GBytes) zip = zip_make(specs, 1, NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/octet-stream", "payment.zi_", zip);
	ks_report *r = analyze(m);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_EXTENSION_MISMATCH);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_string_equal(f->location, "part:2");
	assert_string_equal(f->evidence, "payment.zi_ is application/zip by content");
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE), 1);
	/* a one-letter-off archive name is not "dangerous" by itself */
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE), 0);
	ks_report_free(r);
	msg_free(m);
}

static void pe_named_pdf_is_mismatch_and_dangerous_by_content(void **state)
{
	(void)state;
	g_autoptr(GBytes) pe = pe_bytes();
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/pdf", "statement.pdf", pe);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_string_equal(a->detected_type, "application/vnd.microsoft.portable-executable");
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_EXTENSION_MISMATCH);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "executable by content"));
	ks_report_free(r);
	msg_free(m);
}

static void html_named_pdf_is_a_medium_mismatch(void **state)
{
	(void)state;
	static const char html[] = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
	                           "<body><form><input type=password></form></body></html>\n";
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/pdf", "Remittance.pdf", html, sizeof html - 1);
	ks_report *r = analyze(m);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_EXTENSION_MISMATCH);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_string_equal(f->evidence, "Remittance.pdf is text/html by content");
	ks_report_free(r);
	msg_free(m);
}

/* ---- names ---- */

static void rlo_name_is_deceptive_and_shown_escaped(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	static const char js[] = "var s = new ActiveXObject('WScript.Shell');\n";
	add_part(m, "2", "application/octet-stream", "invoice.pdf\xE2\x80\xAE" "exe.js", js,
	         sizeof js - 1);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_string_equal(a->filename, "invoice.pdf<U+202E>exe.js");
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	assert_non_null(strstr(f->evidence, "invoice.pdf<U+202E>exe.js"));
	assert_non_null(strstr(f->evidence, "bidi"));
	assert_null(strstr(f->evidence, "\xE2\x80\xAE"));
	assert_int_equal(count_rule(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS), 1);
	f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "script (.js)"));
	ks_report_free(r);
	msg_free(m);
}

static void double_extension_ending_in_exe_is_deceptive(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/octet-stream", "report.pdf.exe", "xx", 2);
	ks_report *r = analyze(m);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "double extension .pdf.exe"));
	assert_non_null(find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE));
	ks_report_free(r);
	msg_free(m);
}

static void version_numbers_are_not_a_double_extension(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/octet-stream", "setup-1.2.exe", "xx", 2);
	add_part(m, "3", "application/gzip", "backup.tar.gz", "xx", 2);
	ks_report *r = analyze(m);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME), 0);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE), 1); /* the .exe */
	ks_report_free(r);
	msg_free(m);
}

static void padding_before_the_extension_is_deceptive(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/octet-stream", "invoice.pdf____________.scr", "xx", 2);
	add_part(m, "3", "application/octet-stream", "見積書.pdf　　　　　　　　　　　　.exe", "xx", 2);
	add_part(m, "4", "application/octet-stream", "a_b.txt", "xx", 2);
	ks_report *r = analyze(m);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME), 2);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME);
	assert_non_null(strstr(f->evidence, "12 padding characters"));
	ks_report_free(r);
	msg_free(m);
}

/* An invisible character slipped into a name (phishing_pot's
 * "reviewdocument_txtid$3545767<U+034F><U+034F>.RTF"); the joiners that
 * Persian and emoji names need are no trick. */
static void invisible_character_in_a_name_is_deceptive(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/octet-stream", "review_doc\xCD\x8F\xCD\x8F.rtf", "xx", 2);
	add_part(m, "3", "application/octet-stream", "in\xE2\x81\xA0voice.pdf", "xx", 2);
	add_part(m, "4", "application/octet-stream", "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85.pdf",
	         "xx", 2); /* Persian with ZWNJ */
	add_part(m, "5", "application/octet-stream", "family\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9.jpg",
	         "xx", 2); /* an emoji ZWJ sequence */
	ks_report *r = analyze(m);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME), 2);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME);
	assert_string_equal(f->location, "part:2");
	assert_non_null(strstr(f->evidence, "invisible character (U+034F)"));
	ks_report_free(r);
	msg_free(m);
}

static void name_ending_in_dot_or_space_is_deceptive(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/octet-stream", "photo.exe.", "xx", 2);
	add_part(m, "3", "application/octet-stream", "photo.txt ", "xx", 2);
	ks_report *r = analyze(m);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME), 2);
	/* Windows drops the trailing dot: it is an .exe */
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	ks_report_free(r);
	msg_free(m);
}

static void iso_and_macro_document_names_are_dangerous(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/octet-stream", "Order.ISO", "xx", 2);
	add_part(m, "3", "application/octet-stream", "見積.xlsm", "xx", 2);
	ks_report *r = analyze(m);
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE), 2);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_string_equal(f->evidence, "Order.ISO: disk image (.iso)");
	ks_report_free(r);
	msg_free(m);
}

static void control_characters_in_a_name_are_reported(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	add_part(m, "2", "text/plain", "a\x1b[31mred.txt", "xx", 2);
	ks_report *r = analyze(m);
	assert_null(strchr(att(r, 0)->filename, '\x1b'));
	const ks_finding *f = find_rule(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	ks_report_free(r);
	msg_free(m);
}

/* ---- archives ---- */

static void dangerous_entry_inside_a_zip_is_located_by_path(void **state)
{
	(void)state;
	static const char readme[] = "open the shortcut\n";
	g_autoptr(GBytes) pe = pe_bytes();
	entry_spec specs[] = {
		{"readme.txt", readme, sizeof readme - 1, false, false},
		{"docs/Invoice.pdf", g_bytes_get_data(pe, NULL), g_bytes_get_size(pe), false, false},
	};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "docs.zip", zip);
	ks_report *r = analyze(m);
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2/2");
	f = find_rule(r, KS_RULE_ATTACHMENT_EXTENSION_MISMATCH);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2/2");
	ks_report_free(r);
	msg_free(m);
}

static void zip_inside_zip_is_expanded(void **state)
{
	(void)state;
	static const char inner_txt[] = "deep\n";
	entry_spec inner[] = {{"run.vbs", inner_txt, sizeof inner_txt - 1, false, false}};
	g_autoptr(GBytes) inner_zip = zip_make(inner, 1, NULL);
	entry_spec outer[] = {{"inner.zip", g_bytes_get_data(inner_zip, NULL),
	                       g_bytes_get_size(inner_zip), false, true}};
	g_autoptr(GBytes) zip = zip_make(outer, 1, NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "outer.zip", zip);
	ks_report *r = analyze(m);
	ks_attachment *in = child(att(r, 0), 0);
	assert_string_equal(in->path, "2/1");
	assert_string_equal(in->detected_type, "application/zip");
	assert_string_equal(child(in, 0)->path, "2/1/1");
	assert_string_equal(child(in, 0)->filename, "run.vbs");
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2/1/1");
	ks_report_free(r);
	msg_free(m);
}

static void zip_nesting_past_the_limit_is_reported_not_followed(void **state)
{
	(void)state;
	static const char leaf[] = "bottom\n";
	entry_spec s0[] = {{"leaf.txt", leaf, sizeof leaf - 1, false, false}};
	GBytes *zip = zip_make(s0, 1, NULL);
	for (int i = 0; i < 10; i++) {
		entry_spec s[] = {{"nest.zip", g_bytes_get_data(zip, NULL), g_bytes_get_size(zip), false, true}};
		GBytes *next = zip_make(s, 1, NULL);
		g_bytes_unref(zip);
		zip = next;
	}
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "nest.zip", zip);
	g_bytes_unref(zip);
	ks_report *r = analyze(m);
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "limit of 8 levels"));
	/* 8 archives opened: the ninth is listed but not opened */
	ks_attachment *a = att(r, 0);
	int depth = 0;
	while (a->children->len > 0 && depth < 20) {
		a = child(a, 0);
		depth++;
	}
	assert_int_equal(depth, 8);
	assert_string_equal(a->detected_type, "application/zip");
	ks_report_free(r);
	msg_free(m);
}

static void entry_claiming_a_huge_size_is_listed_not_read(void **state)
{
	(void)state;
	static const char small[] = "not really big";
	entry_spec specs[] = {{"bomb.bin", small, sizeof small - 1, false, true}};
	g_autoptr(GBytes) zip = zip_make(specs, 1, NULL);
	gsize len = 0;
	const void *orig = g_bytes_get_data(zip, &len);
	guint8 *bytes = g_memdup2(orig, len);
	/* APPNOTE.TXT 4.3.12: uncompressed size at offset 24 of the central header */
	guint8 *cd = memmem(bytes, len, "PK\x01\x02", 4);
	assert_non_null(cd);
	cd[24] = 0x00;
	cd[25] = 0x00;
	cd[26] = 0x00;
	cd[27] = 0x40; /* 1 GiB */
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/zip", "bomb.zip", bytes, len);
	g_free(bytes);
	ks_report *r = analyze(m);
	ks_attachment *e = child(att(r, 0), 0);
	assert_int_equal(e->size, (int64_t)1 << 30);
	assert_null(e->data);
	assert_string_equal(e->sha256, "");
	assert_non_null(ks_attachment_get_meta(e, "unread"));
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "64 MiB per-entry limit"));
	ks_report_free(r);
	msg_free(m);
}

static void zip_read_stops_at_the_decompressed_budget(void **state)
{
	(void)state;
	static const char text[] = "fourteen bytes";
	entry_spec specs[] = {{"a.txt", text, sizeof text - 1, false, false}};
	g_autoptr(GBytes) zip = zip_make(specs, 1, NULL);
	int64_t budget = 5;
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_zip) z = ks_zip_read(zip, true, &budget, &err);
	assert_non_null(z);
	assert_true(z->hit_budget);
	ks_zip_entry *e = g_ptr_array_index(z->entries, 0);
	assert_null(e->data);
	assert_true(e->over_limit);
	assert_int_equal(budget, 5);
	budget = 100;
	g_autoptr(ks_zip) z2 = ks_zip_read(zip, true, &budget, &err);
	assert_false(z2->hit_budget);
	e = g_ptr_array_index(z2->entries, 0);
	assert_int_equal(g_bytes_get_size(e->data), sizeof text - 1);
	assert_int_equal(budget, 100 - (int64_t)(sizeof text - 1));
}

static void entries_past_the_read_limit_are_listed_unread(void **state)
{
	(void)state;
	enum { N = KS_ZIP_MAX_READ + 5 };
	entry_spec *specs = g_new0(entry_spec, N);
	char **names = g_new0(char *, N);
	for (int i = 0; i < N; i++) {
		names[i] = g_strdup_printf("f%04d.txt", i);
		specs[i] = (entry_spec){names[i], "x", 1, false, true};
	}
	g_autoptr(GBytes) zip = zip_make(specs, N, NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "many.zip", zip);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_int_equal(a->children->len, N);
	assert_int_equal(strlen(child(a, KS_ZIP_MAX_READ - 1)->sha256), 64);
	assert_string_equal(child(a, KS_ZIP_MAX_READ)->sha256, "");
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "more than 1000 entries to read"));
	ks_report_free(r);
	msg_free(m);
	for (int i = 0; i < N; i++)
		g_free(names[i]);
	g_free(names);
	g_free(specs);
}

static void ooxml_parts_are_not_listed_as_children(void **state)
{
	(void)state;
	static const char ct[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
	static const char doc[] = "<w:document/>";
	entry_spec specs[] = {
		{"[Content_Types].xml", ct, sizeof ct - 1, false, false},
		{"word/document.xml", doc, sizeof doc - 1, false, false},
	};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	          "contract.docx", zip);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_int_equal(a->children->len, 0);
	assert_string_equal(ks_attachment_get_meta(a, "ooxml"), "true");
	assert_string_equal(ks_attachment_get_meta(a, "entries"), "2");
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_EXTENSION_MISMATCH), 0);
	ks_report_free(r);
	msg_free(m);
}

static void members_no_document_has_are_listed_from_an_ooxml_zip(void **state)
{
	(void)state;
	/* [Content_Types].xml beside a shortcut: Word never opens the .lnk,
	 * Explorer shows it when the "package" is opened as the zip it is */
	static const char ct[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
	static const char doc[] = "<w:document/>";
	static const char lnk[] = "not really a shortcut";
	static const char ole[] = "embedded";
	entry_spec specs[] = {
		{"[Content_Types].xml", ct, sizeof ct - 1, false, false},
		{"word/document.xml", doc, sizeof doc - 1, false, false},
		{"word/embeddings/oleObject1.exe", ole, sizeof ole - 1, false, false},
		{"docs/Invoice.lnk", lnk, sizeof lnk - 1, false, false},
	};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "Invoice.zip", zip);
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_string_equal(ks_attachment_get_meta(a, "ooxml"), "true");
	/* the shortcut from the zip row, the embedding once, from office.c's */
	assert_int_equal(a->children->len, 2);
	ks_attachment *c = g_ptr_array_index(a->children, 0);
	assert_string_equal(c->path, "2/1");
	assert_string_equal(c->filename, "docs/Invoice.lnk");
	assert_non_null(c->data);
	ks_attachment *e = g_ptr_array_index(a->children, 1);
	assert_string_equal(e->filename, "oleObject1.exe");
	assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE), 2);
	ks_report_free(r);
	msg_free(m);
}

static void truncated_zip_is_malformed_not_fatal(void **state)
{
	(void)state;
	static const char readme[] = "some text that will be cut off before the directory\n";
	entry_spec specs[] = {{"readme.txt", readme, sizeof readme - 1, false, false}};
	g_autoptr(GBytes) zip = zip_make(specs, 1, NULL);
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/zip", "cut.zip", g_bytes_get_data(zip, NULL), 40);
	ks_report *r = analyze(m);
	assert_int_equal(att(r, 0)->children->len, 0);
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "zip archive unreadable"));
	ks_report_free(r);
	msg_free(m);
}

/* ---- attached messages ---- */

static void attached_message_is_analysed_and_its_findings_copied_up(void **state)
{
	(void)state;
	ks_message *inner = msg_new();
	inner->depth = 1;
	add_part(inner, "1", "application/octet-stream", "payload.pdf.exe", "MZ", 2);
	ks_message *m = msg_with_body();
	static const char eml[] = "From: a@example.com\r\nSubject: x\r\n\r\nhi\r\n";
	ks_mime_part *p = add_part(m, "2", "message/rfc822", NULL, eml, sizeof eml - 1);
	p->embedded = inner;
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_non_null(a->message);
	assert_string_equal(a->message->format, "eml");
	assert_string_equal(a->message->sha256, a->sha256);
	assert_int_equal(a->message->attachments->len, 1);
	assert_int_equal(a->children->len, 1);
	assert_string_equal(child(a, 0)->path, "2/1");
	assert_string_equal(child(a, 0)->filename, "payload.pdf.exe");
	const ks_finding *f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	assert_non_null(strstr(f->evidence, "in the attached message (part:1)"));
	assert_non_null(find_rule(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME));
	assert_true(has_ioc(r, KS_IOC_FILENAME, "payload.pdf.exe"));
	ks_report_free(r);
	msg_free(m);
}

static void onenote_is_known_by_its_file_type_guid(void **state)
{
	(void)state;
	static const unsigned char one[32] = {0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D,
	                                      0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3, 1};
	g_autofree char *t = ks_part_sniff_type(one, sizeof one);
	assert_string_equal(t, "application/onenote");
	/* one byte off is no notebook */
	unsigned char other[32];
	memcpy(other, one, sizeof other);
	other[15] ^= 1;
	g_autofree char *u = ks_part_sniff_type(other, sizeof other);
	assert_string_not_equal(u, "application/onenote");
}

/* A start of "%PDF-" is typed without libmagic: its answer, asked here,
 * for PDFs and for what merely starts like one; a near miss (a blank
 * first, no dash) is libmagic's to type. */
static void pdf_starts_are_typed_as_libmagic_types_them(void **state)
{
	(void)state;
	GString *random = g_string_new("%PDF-");
	GRand *rng = g_rand_new_with_seed(5);
	for (int i = 0; i < 4000; i++)
		g_string_append_c(random, (char)g_rand_int_range(rng, 0, 256));
	g_rand_free(rng);
	struct {
		const char *bytes;
		gsize len;
	} cases[] = {
		{pdf, sizeof pdf - 1},
		{"%PDF-", 5},
		{"%PDF-1.7\n<html><script>alert(1)</script></html>\n", 47},
		{"%PDF-1.4\n#!/bin/sh\necho hi\n", 28},
		{"%PDF-\0\0\0PK\3\4", 12},
		{random->str, random->len},
		{" %PDF-1.4\n", 10},
		{"%PDF1.4\n", 8},
	};
	magic_t cookie = magic_open(MAGIC_MIME_TYPE);
	assert_non_null(cookie);
	assert_int_equal(magic_load(cookie, NULL), 0);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = ks_part_sniff_type(cases[i].bytes, cases[i].len);
		const char *want = magic_buffer(cookie, cases[i].bytes, cases[i].len);
		assert_non_null(want);
		if (g_strcmp0(got, want) != 0)
			fail_msg("case %zu: %s, libmagic %s", i, got, want);
	}
	magic_close(cookie);
	g_string_free(random, TRUE);
}

/* ---- libmagic on threads ---- */

/* plain text: libmagic reads it (a PDF is typed without it) */
static const char some_text[] = "Dear customer,\nplease find the invoice attached.\n";

static gpointer sniff_many(gpointer data)
{
	(void)data;
	for (int i = 0; i < 50; i++) {
		g_autofree char *t = ks_part_sniff_type(some_text, sizeof some_text - 1);
		if (g_strcmp0(t, "text/plain") != 0)
			return GINT_TO_POINTER(0);
	}
	return GINT_TO_POINTER(1);
}

static void sniffing_works_on_several_threads(void **state)
{
	(void)state;
	GThread *a = g_thread_new("sniff-a", sniff_many, NULL);
	GThread *b = g_thread_new("sniff-b", sniff_many, NULL);
	assert_int_equal(GPOINTER_TO_INT(g_thread_join(a)), 1);
	assert_int_equal(GPOINTER_TO_INT(g_thread_join(b)), 1);
}

/* ---- real-world zips (libarchive's test suite) ---- */

static char *corpus_file(const char *name)
{
	return corpus_path("libarchive_iso_zip/bin", name);
}

static ks_report *analyze_corpus_zip(const char *name)
{
	g_autofree char *path = corpus_file(name);
	if (!path)
		return NULL;
	g_autofree char *data = NULL;
	gsize len = 0;
	assert_true(g_file_get_contents(path, &data, &len, NULL));
	ks_message *m = msg_with_body();
	add_part(m, "2", "application/zip", name, data, len);
	ks_report *r = analyze(m);
	msg_free(m);
	return r;
}

static void every_libarchive_zip_is_processed_without_crash(void **state)
{
	(void)state;
	g_autofree char *probe = corpus_file("test_read_format_zip.zip");
	if (!probe)
		skip();
	g_autofree char *dir = g_path_get_dirname(probe);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	assert_non_null(d);
	int processed = 0;
	for (const char *name; (name = g_dir_read_name(d));) {
		if (!strstr(name, "zip") && !g_str_has_suffix(name, ".jar") && !g_str_has_suffix(name, ".xps"))
			continue;
		ks_report *r = analyze_corpus_zip(name);
		assert_non_null(r);
		assert_int_equal(r->attachments->len, 1);
		assert_int_equal(strlen(att(r, 0)->sha256), 64);
		processed++;
		ks_report_free(r);
	}
	assert_true(processed >= 60);
}

/* The body says the password ("pw", zip_make's) in the same mail: the zip
 * is opened with it, its entries analysed, and the finding says so. */
static void encrypted_zip_with_the_password_in_the_body_is_opened(void **state)
{
	(void)state;
	g_autoptr(GBytes) exe = pe_bytes();
	gsize n = 0;
	const void *pe = g_bytes_get_data(exe, &n);
	entry_spec specs[] = {{"請求書.exe", pe, n, true, false}};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), NULL);
	ks_message *m = msg_with_body();
	add_bytes(m, "2", "application/zip", "invoice.zip", zip);
	ks_report *r = ks_report_new();
	r->body_text = g_strdup("請求書を送付します。\n解凍パスワード：pw\nよろしくお願いします。");
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	ks_attachment *a = att(r, 0);
	assert_meta(a, "password", "pw");
	assert_true(child(a, 0)->encrypted);
	assert_non_null(child(a, 0)->data);
	assert_int_equal(strlen(child(a, 0)->sha256), 64);
	const ks_finding *f = sole_finding(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "the body gives its password \"pw\"");
	assert_contains(f->evidence, "which opens it");
	/* what it hid is judged like the rest */
	assert_non_null(find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE));
	ks_report_free(r);
	msg_free(m);
}

/* A password in the body that does not open the zip is named, and the
 * finding keeps its default severity; none at all changes nothing. */
static void encrypted_zip_with_another_password_stays_medium(void **state)
{
	(void)state;
	static const char secret[] = "figures\n";
	entry_spec specs[] = {{"data.xlsx", secret, sizeof secret - 1, true, false}};
	g_autoptr(GBytes) zip = zip_make(specs, G_N_ELEMENTS(specs), NULL);
	const char *bodies[] = {"Password: Spring2024!", "The password follows by phone."};
	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		ks_message *m = msg_with_body();
		add_bytes(m, "2", "application/zip", "data.zip", zip);
		ks_report *r = ks_report_new();
		r->body_text = g_strdup(bodies[i]);
		ks_attachments_walk(m, NULL, r, ks_analyze_message);
		const ks_finding *f = sole_finding(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE);
		assert_int_equal(f->severity, KS_SEV_MEDIUM);
		assert_null(ks_attachment_get_meta(att(r, 0), "password"));
		if (i == 0)
			assert_contains(f->evidence, "that does not open it");
		else
			assert_null(strstr(f->evidence, "password"));
		assert_null(child(att(r, 0), 0)->data);
		ks_report_free(r);
		msg_free(m);
	}
}

static void libarchive_encrypted_zips_are_flagged(void **state)
{
	(void)state;
	static const char *const encrypted[] = {
		"test_read_format_zip_traditional_encryption_data.zip",
		"test_read_format_zip_winzip_aes256.zip",
		"test_read_format_zip_encryption_data.zip",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(encrypted); i++) {
		ks_report *r = analyze_corpus_zip(encrypted[i]);
		if (!r)
			skip();
		assert_true(att(r, 0)->encrypted);
		assert_int_equal(count_rule(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE), 1);
		ks_report_free(r);
	}
}

static void libarchive_cp932_names_are_decoded(void **state)
{
	(void)state;
	ks_report *r = analyze_corpus_zip("test_read_format_zip_filename_cp932.zip");
	if (!r)
		skip();
	ks_attachment *a = att(r, 0);
	assert_int_equal(a->children->len, 2);
	assert_string_equal(child(a, 0)->filename, "表だよ/一覧表.txt");
	assert_string_equal(ks_attachment_get_meta(child(a, 0), "name_encoding"), "cp932");
	ks_report_free(r);
	r = analyze_corpus_zip("test_read_format_zip_filename_utf8_jp.zip");
	a = att(r, 0);
	assert_string_equal(child(a, 0)->filename, "表だよ/一覧表.txt");
	assert_null(ks_attachment_get_meta(child(a, 0), "name_encoding"));
	ks_report_free(r);
}

static void libarchive_nested_zip_has_grandchildren(void **state)
{
	(void)state;
	ks_report *r = analyze_corpus_zip("test_read_format_zip_nested.zip");
	if (!r)
		skip();
	ks_attachment *a = att(r, 0);
	assert_string_equal(child(a, 0)->filename, "small.zip");
	assert_true(child(a, 0)->children->len > 0);
	assert_string_equal(child(child(a, 0), 0)->path, "2/1/1");
	ks_report_free(r);
}

/* NUL and line breaks in a name: shown as C writes them, said in an
 * input.malformed finding, and the extension after them still judged */
static void nul_and_newline_in_a_name_are_escaped_and_judged(void **state)
{
	(void)state;
	ks_message *m = msg_with_body();
	g_autoptr(GBytes) pe = pe_bytes();
	ks_mime_part *p = add_bytes(m, "2", "application/octet-stream", NULL, pe);
	p->filename = g_memdup2("../../x\0y\n.exe", 15);
	p->filename_len = 14;
	ks_report *r = analyze(m);
	ks_attachment *a = att(r, 0);
	assert_string_equal(a->filename, "../../x\\0y\\n.exe");
	const ks_finding *f = sole_finding(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(strstr(f->evidence, "(NUL, LF)"));
	assert_non_null(strstr(f->evidence, "x\\0y\\n.exe"));
	f = find_rule(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "(.exe)"));
	assert_true(has_ioc(r, KS_IOC_FILENAME, "x\\0y\\n.exe"));
	ks_report_free(r);
	msg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nul_and_newline_in_a_name_are_escaped_and_judged),
		cmocka_unit_test(benign_pdf_raises_nothing),
		cmocka_unit_test(sha256_and_md5_are_lower_case_hex_of_the_bytes),
		cmocka_unit_test(pdf_starts_are_typed_as_libmagic_types_them),
		cmocka_unit_test(an_md5_comes_from_the_report_or_the_bytes),
		cmocka_unit_test(body_parts_are_not_attachments),
		cmocka_unit_test(csv_text_and_png_named_jpg_do_not_mismatch),
		cmocka_unit_test(zip_entries_become_children_with_paths),
		cmocka_unit_test(pdf_stored_in_a_zip_is_read_once_as_its_entry),
		cmocka_unit_test(encrypted_entries_fire_once_and_mark_the_archive),
		cmocka_unit_test(zip_renamed_zi_underscore_is_a_high_mismatch),
		cmocka_unit_test(pe_named_pdf_is_mismatch_and_dangerous_by_content),
		cmocka_unit_test(html_named_pdf_is_a_medium_mismatch),
		cmocka_unit_test(rlo_name_is_deceptive_and_shown_escaped),
		cmocka_unit_test(double_extension_ending_in_exe_is_deceptive),
		cmocka_unit_test(version_numbers_are_not_a_double_extension),
		cmocka_unit_test(padding_before_the_extension_is_deceptive),
		cmocka_unit_test(invisible_character_in_a_name_is_deceptive),
		cmocka_unit_test(name_ending_in_dot_or_space_is_deceptive),
		cmocka_unit_test(iso_and_macro_document_names_are_dangerous),
		cmocka_unit_test(control_characters_in_a_name_are_reported),
		cmocka_unit_test(dangerous_entry_inside_a_zip_is_located_by_path),
		cmocka_unit_test(zip_inside_zip_is_expanded),
		cmocka_unit_test(zip_nesting_past_the_limit_is_reported_not_followed),
		cmocka_unit_test(entry_claiming_a_huge_size_is_listed_not_read),
		cmocka_unit_test(zip_read_stops_at_the_decompressed_budget),
		cmocka_unit_test(entries_past_the_read_limit_are_listed_unread),
		cmocka_unit_test(ooxml_parts_are_not_listed_as_children),
		cmocka_unit_test(members_no_document_has_are_listed_from_an_ooxml_zip),
		cmocka_unit_test(truncated_zip_is_malformed_not_fatal),
		cmocka_unit_test(attached_message_is_analysed_and_its_findings_copied_up),
		cmocka_unit_test(onenote_is_known_by_its_file_type_guid),
		cmocka_unit_test(sniffing_works_on_several_threads),
		cmocka_unit_test(every_libarchive_zip_is_processed_without_crash),
		cmocka_unit_test(encrypted_zip_with_the_password_in_the_body_is_opened),
		cmocka_unit_test(encrypted_zip_with_another_password_stays_medium),
		cmocka_unit_test(libarchive_encrypted_zips_are_flagged),
		cmocka_unit_test(libarchive_cp932_names_are_decoded),
		cmocka_unit_test(libarchive_nested_zip_has_grandchildren),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
