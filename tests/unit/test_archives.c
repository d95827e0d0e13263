/* Unit tests for analyzers/payloads/archives.c: disk images and archives read with
 * libarchive, through the whole attachment walk.  ISO 9660 (Joliet, Rock
 * Ridge), 7z and tar images are written here with libarchive's own writers;
 * the hidden bit, UDF and VHD signatures are patched or built by hand; and
 * libarchive's real-world ISO fixtures (../shared/corpora) must all go
 * through without a crash.  Messages are built by hand so the tests depend
 * on nothing but the analyzers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "payloads/archives.h"
#include "payloads/attachments.h"
#include "testlib.h"

#include <archive.h>
#include <archive_entry.h>
#include <gio/gio.h>
#include <locale.h>
#include <string.h>

/* ---- messages ---- */

/* A message whose only part "2" is the attachment. */
static ks_report *analyze_one(const char *type, const char *filename, GBytes *data)
{
	return analyze_attachment(type, filename, data, NULL);
}

static ks_attachment *top(const ks_report *r)
{
	assert_int_equal(r->attachments->len, 1);
	return g_ptr_array_index(r->attachments, 0);
}

/* The child whose name ends with suffix, or NULL. */
static ks_attachment *child_named(const ks_attachment *a, const char *suffix)
{
	for (guint i = 0; i < a->children->len; i++) {
		ks_attachment *c = g_ptr_array_index(a->children, i);
		if (c->filename && g_str_has_suffix(c->filename, suffix))
			return c;
	}
	return NULL;
}

/* A finding of that rule whose evidence contains text. */
static bool has_finding_with(const ks_report *r, ks_rule rule, const char *text)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule && strstr(f->evidence, text))
			return true;
	}
	return false;
}

/* ---- payloads ---- */

/* MS-SHLLINK 2.1: HeaderSize 0x4C and the LinkCLSID, then zeros. */
static GBytes *lnk_bytes(void)
{
	guint8 *b = g_malloc0(128);
	memcpy(b, "\x4C\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46", 20);
	return g_bytes_new_take(b, 128);
}

static GBytes *text_bytes(const char *s)
{
	return g_bytes_new(s, strlen(s));
}

/* ---- archives written with libarchive ---- */

typedef struct {
	const char *name;
	GBytes *data;
	int64_t filler; /* instead of data: this many bytes of 'A' */
} entry_spec;

/* An archive in format (libarchive's name: "iso9660", "7zip", "pax"),
 * through filter (NULL or "gzip"), with writer options. */
static GBytes *la_make(const char *format, const char *filter, const char *options,
                       const entry_spec *specs, size_t n)
{
	/* libarchive's writers convert names through LC_CTYPE too */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t previous = uselocale(utf8 ? utf8 : (locale_t)0);
	struct archive *w = archive_write_new();
	assert_int_equal(archive_write_set_format_by_name(w, format), ARCHIVE_OK);
	if (filter)
		assert_int_equal(archive_write_add_filter_by_name(w, filter), ARCHIVE_OK);
	if (options)
		assert_int_equal(archive_write_set_options(w, options), ARCHIVE_OK);
	archive_write_set_bytes_in_last_block(w, 1);
	size_t cap = 16 << 20, used = 0;
	guint8 *buf = g_malloc(cap);
	assert_int_equal(archive_write_open_memory(w, buf, cap, &used), ARCHIVE_OK);
	static guint8 filler[64 * 1024];
	memset(filler, 'A', sizeof filler);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		gsize len = 0;
		const void *p = specs[i].data ? g_bytes_get_data(specs[i].data, &len) : NULL;
		int64_t size = specs[i].data ? (int64_t)len : specs[i].filler;
		archive_entry_set_pathname_utf8(e, specs[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, size);
		archive_entry_set_mtime(e, 1734000000, 0);
		assert_int_equal(archive_write_header(w, e), ARCHIVE_OK);
		if (p)
			assert_int_equal(archive_write_data(w, p, len), (la_ssize_t)len);
		for (int64_t left = specs[i].data ? 0 : size; left > 0;) {
			size_t chunk = (size_t)MIN(left, (int64_t)sizeof filler);
			assert_int_equal(archive_write_data(w, filler, chunk), (la_ssize_t)chunk);
			left -= (int64_t)chunk;
		}
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(w), ARCHIVE_OK);
	archive_write_free(w);
	uselocale(previous);
	if (utf8)
		freelocale(utf8);
	return g_bytes_new_take(g_realloc(buf, used), used);
}

/* A gzip stream (RFC 1952) of data whose header names it name. */
static GBytes *gzip_named(const char *name, GBytes *data)
{
	g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
	g_autoptr(GFileInfo) info = g_file_info_new();
	g_file_info_set_name(info, name);
	g_zlib_compressor_set_file_info(z, info);
	g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable();
	g_autoptr(GOutputStream) out = g_converter_output_stream_new(mem, G_CONVERTER(z));
	gsize len = 0;
	const void *p = g_bytes_get_data(data, &len);
	assert_true(g_output_stream_write_all(out, p, len, NULL, NULL, NULL));
	assert_true(g_output_stream_close(out, NULL, NULL));
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(mem));
}

/* Sets the ISO 9660 "existence" (hidden) bit (ECMA-119 9.1.6) on every
 * directory record named like name, in the primary (upper-case d-characters)
 * and Joliet (UCS-2BE) trees. */
static GBytes *iso_hide(GBytes *iso, const char *name)
{
	gsize len = 0;
	const guint8 *src = g_bytes_get_data(iso, &len);
	guint8 *b = g_memdup2(src, len);
	g_autofree char *upper = g_ascii_strup(name, -1);
	gsize n = strlen(name);
	g_autofree guint8 *ucs2 = g_malloc0(2 * n);
	for (gsize i = 0; i < n; i++)
		ucs2[2 * i + 1] = (guint8)name[i];
	int patched = 0;
	for (gsize pos = 33; pos + 2 * n <= len; pos++) {
		guint8 name_len = b[pos - 1];
		bool primary = memcmp(b + pos, upper, n) == 0 && name_len >= n && name_len <= n + 2;
		bool joliet = memcmp(b + pos, ucs2, 2 * n) == 0 && name_len >= 2 * n &&
		              name_len <= 2 * n + 4;
		if (primary || joliet) {
			b[pos - 33 + 25] |= 1;
			patched++;
		}
	}
	assert_true(patched >= 2);
	return g_bytes_new_take(b, len);
}

/* ---- disk images ---- */

static void iso_with_shortcut_and_program_fires_both_rules(void **state)
{
	(void)state;
	g_autoptr(GBytes) lnk = lnk_bytes();
	g_autoptr(GBytes) pe = pe_bytes();
	g_autoptr(GBytes) txt = text_bytes("hello\n");
	const entry_spec specs[] = {
		{"Invoice_2024-12.pdf.lnk", lnk, 0},
		{"bin/setup.exe", pe, 0},
		{"readme.txt", txt, 0},
	};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, "volume-id=INVOICE_DEC", specs, 3);
	ks_report *r = analyze_one("application/octet-stream", "invoice.iso", iso);
	ks_attachment *a = top(r);
	assert_string_equal(a->detected_type, "application/x-iso9660-image");
	assert_int_equal(a->children->len, 3);
	assert_non_null(child_named(a, "Invoice_2024-12.pdf.lnk"));
	assert_non_null(child_named(a, "bin/setup.exe"));
	ks_attachment *txt_child = child_named(a, "readme.txt");
	assert_non_null(txt_child);
	assert_int_equal(txt_child->size, 6);
	assert_int_equal(strlen(txt_child->sha256), 64);
	assert_string_equal(ks_attachment_get_meta(a, "entries"), "3");
	assert_string_equal(ks_attachment_get_meta(a, "volume_label"), "INVOICE_DEC");
	assert_non_null(strstr(ks_attachment_get_meta(a, "format"), "ISO9660"));
	const ks_finding *f = find_rule(r, KS_RULE_ISO_CONTAINS_SHORTCUT);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "Invoice_2024-12.pdf.lnk"));
	assert_string_equal(f->location, "part:2");
	f = find_rule(r, KS_RULE_ISO_CONTAINS_EXECUTABLE);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "setup.exe"));
	assert_null(strstr(f->evidence, "readme"));
	/* the entries themselves go through the name rules */
	assert_true(has_finding_with(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE, "setup.exe"));
	assert_true(has_finding_with(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME, "pdf.lnk"));
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
	ks_report_free(r);
}

static void iso_of_documents_fires_no_iso_rule(void **state)
{
	(void)state;
	g_autoptr(GBytes) a_txt = text_bytes("minutes\n");
	g_autoptr(GBytes) b_txt = text_bytes("agenda\n");
	const entry_spec specs[] = {{"minutes.txt", a_txt, 0}, {"agenda.txt", b_txt, 0}};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, NULL, specs, 2);
	ks_report *r = analyze_one("application/x-iso9660-image", "docs.iso", iso);
	assert_int_equal(top(r)->children->len, 2);
	assert_int_equal(count_rule(r, KS_RULE_ISO_CONTAINS_SHORTCUT), 0);
	assert_int_equal(count_rule(r, KS_RULE_ISO_CONTAINS_EXECUTABLE), 0);
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
	ks_report_free(r);
}

static void shortcut_and_pe_are_recognised_by_content_under_harmless_names(void **state)
{
	(void)state;
	g_autoptr(GBytes) lnk = lnk_bytes();
	g_autoptr(GBytes) pe = pe_bytes();
	const entry_spec specs[] = {{"photo.jpg", lnk, 0}, {"notes.dat", pe, 0}};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, NULL, specs, 2);
	ks_report *r = analyze_one("application/octet-stream", "photos.img", iso);
	assert_true(has_finding_with(r, KS_RULE_ISO_CONTAINS_SHORTCUT, "photo.jpg"));
	assert_true(has_finding_with(r, KS_RULE_ISO_CONTAINS_EXECUTABLE, "notes.dat"));
	ks_report_free(r);
}

static void script_in_an_iso_counts_as_executable(void **state)
{
	(void)state;
	g_autoptr(GBytes) js = text_bytes("WScript.Shell.Run('calc');\n");
	const entry_spec specs[] = {{"scan_0042.js", js, 0}};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, NULL, specs, 1);
	ks_report *r = analyze_one("application/octet-stream", "scan.iso", iso);
	assert_true(has_finding_with(r, KS_RULE_ISO_CONTAINS_EXECUTABLE, "scan_0042.js"));
	ks_report_free(r);
}

static void hidden_bit_in_the_iso_tree_marks_the_entry(void **state)
{
	(void)state;
	g_autoptr(GBytes) lnk = lnk_bytes();
	g_autoptr(GBytes) pe = pe_bytes();
	const entry_spec specs[] = {{"document.lnk", lnk, 0}, {"payload.dll", pe, 0}};
	g_autoptr(GBytes) plain = la_make("iso9660", NULL, NULL, specs, 2);
	g_autoptr(GBytes) iso = iso_hide(plain, "payload.dll");
	ks_report *r = analyze_one("application/octet-stream", "report.iso", iso);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "hidden_entries"), "1");
	assert_string_equal(ks_attachment_get_meta(child_named(a, "payload.dll"), "hidden"), "true");
	assert_null(ks_attachment_get_meta(child_named(a, "document.lnk"), "hidden"));
	assert_true(has_finding_with(r, KS_RULE_ISO_CONTAINS_EXECUTABLE, "payload.dll"));
	ks_report_free(r);
}

static void joliet_label_is_read_when_it_differs(void **state)
{
	(void)state;
	g_autoptr(GBytes) txt = text_bytes("x\n");
	const entry_spec specs[] = {{"a.txt", txt, 0}};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, "volume-id=CDROM", specs, 1);
	ks_report *r = analyze_one("application/octet-stream", "a.iso", iso);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "volume_label"), "CDROM");
	assert_string_equal(ks_attachment_get_meta(a, "joliet"), "true");
	ks_report_free(r);
}

static void udf_only_image_says_it_is_unreadable(void **state)
{
	(void)state;
	/* ECMA-167 2/9.1: a volume recognition sequence and nothing else */
	guint8 *b = g_malloc0(20 * 2048);
	memcpy(b + 16 * 2048, "\0BEA01\x01", 7);
	memcpy(b + 17 * 2048, "\0NSR02\x01", 7);
	memcpy(b + 18 * 2048, "\0TEA01\x01", 7);
	g_autoptr(GBytes) udf = g_bytes_new_take(b, 20 * 2048);
	ks_report *r = analyze_one("application/octet-stream", "disk.udf", udf);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "format"), "UDF");
	assert_non_null(strstr(ks_attachment_get_meta(a, "unreadable"), "UDF"));
	assert_int_equal(a->children->len, 0);
	ks_report_free(r);
}

static void vhd_by_name_or_footer_says_it_is_unreadable(void **state)
{
	(void)state;
	g_autoptr(GBytes) junk = g_bytes_new_take(g_malloc0(4096), 4096);
	ks_report *r = analyze_one("application/octet-stream", "backup.vhd", junk);
	assert_string_equal(ks_attachment_get_meta(top(r), "unreadable"),
	                    "VHD is not read by libarchive; its files are not listed");
	assert_true(ks_report_has_finding(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE));
	ks_report_free(r);
	/* a fixed VHD ends in its footer, cookie "conectix" */
	guint8 *b = g_malloc0(4096);
	memcpy(b + 4096 - 512, "conectix", 8);
	g_autoptr(GBytes) vhd = g_bytes_new_take(b, 4096);
	r = analyze_one("application/octet-stream", "disk.bin", vhd);
	assert_string_equal(ks_attachment_get_meta(top(r), "format"), "VHD");
	assert_non_null(ks_attachment_get_meta(top(r), "unreadable"));
	ks_report_free(r);
}

static void garbage_named_iso_is_malformed_not_fatal(void **state)
{
	(void)state;
	guint8 *b = g_malloc(40000);
	for (int i = 0; i < 40000; i++)
		b[i] = (guint8)(i * 7 + 3);
	g_autoptr(GBytes) junk = g_bytes_new_take(b, 40000);
	ks_report *r = analyze_one("application/octet-stream", "invoice.iso", junk);
	ks_attachment *a = top(r);
	assert_int_equal(a->children->len, 0);
	assert_non_null(ks_attachment_get_meta(a, "unreadable"));
	assert_true(has_finding_with(r, KS_RULE_INPUT_MALFORMED, "invoice.iso"));
	ks_report_free(r);
}

static void truncated_iso_is_malformed_not_fatal(void **state)
{
	(void)state;
	g_autoptr(GBytes) pe = pe_bytes();
	const entry_spec specs[] = {{"setup.exe", pe, 0}};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, NULL, specs, 1);
	/* cut inside the directory records, after the descriptors */
	g_autoptr(GBytes) cut = g_bytes_new_from_bytes(iso, 0, 18 * 2048 + 100);
	ks_report *r = analyze_one("application/octet-stream", "cut.iso", cut);
	assert_int_equal(top(r)->children->len, 0);
	assert_true(ks_report_has_finding(r, KS_RULE_INPUT_MALFORMED));
	ks_report_free(r);
}

/* ---- other archives ---- */

static void seven_zip_entries_are_children_without_iso_rules(void **state)
{
	(void)state;
	g_autoptr(GBytes) lnk = lnk_bytes();
	g_autoptr(GBytes) js = text_bytes("var s = new ActiveXObject('WScript.Shell');\n");
	const entry_spec specs[] = {{"請求書.lnk", lnk, 0}, {"run.js", js, 0}};
	g_autoptr(GBytes) sz = la_make("7zip", NULL, NULL, specs, 2);
	ks_report *r = analyze_one("application/x-7z-compressed", "docs.7z", sz);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "format"), "7-Zip");
	assert_int_equal(a->children->len, 2);
	assert_string_equal(child(a, 0)->filename, "請求書.lnk");
	assert_string_equal(child(a, 0)->path, "2/1");
	assert_int_equal(child(a, 1)->size, 44);
	/* a 7z is not a disk image */
	assert_int_equal(count_rule(r, KS_RULE_ISO_CONTAINS_SHORTCUT), 0);
	assert_int_equal(count_rule(r, KS_RULE_ISO_CONTAINS_EXECUTABLE), 0);
	assert_true(has_finding_with(r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE, "run.js"));
	ks_report_free(r);
}

static void padded_and_dot_hidden_names_are_counted_and_deceptive(void **state)
{
	(void)state;
	g_autoptr(GBytes) pe = pe_bytes();
	g_autoptr(GBytes) txt = text_bytes("x\n");
	const entry_spec specs[] = {
		{"invoice.pdf                                        .exe", pe, 0},
		{".cache/loader.dll", pe, 0},
		{"readme.txt", txt, 0},
	};
	g_autoptr(GBytes) tar = la_make("pax", NULL, NULL, specs, 3);
	ks_report *r = analyze_one("application/x-tar", "files.tar", tar);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "padded_names"), "1");
	assert_string_equal(ks_attachment_get_meta(a, "hidden_entries"), "1");
	assert_string_equal(ks_attachment_get_meta(child(a, 1), "hidden"), "true");
	assert_true(has_finding_with(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME, "padding"));
	ks_report_free(r);
}

static void tgz_lists_the_tar_entries_with_their_compression(void **state)
{
	(void)state;
	g_autoptr(GBytes) pe = pe_bytes();
	const entry_spec specs[] = {{"update/patch.exe", pe, 0}};
	g_autoptr(GBytes) tgz = la_make("ustar", "gzip", NULL, specs, 1);
	ks_report *r = analyze_one("application/gzip", "update.tgz", tgz);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "compression"), "gzip");
	assert_int_equal(a->children->len, 1);
	assert_string_equal(child(a, 0)->filename, "update/patch.exe");
	assert_string_equal(child(a, 0)->detected_type, "application/vnd.microsoft.portable-executable");
	ks_report_free(r);
}

static void gzip_stream_child_takes_the_header_name(void **state)
{
	(void)state;
	g_autoptr(GBytes) pe = pe_bytes();
	g_autoptr(GBytes) gz = gzip_named("statement.pdf.exe", pe);
	ks_report *r = analyze_one("application/gzip", "statement.gz", gz);
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "format"), "gzip");
	assert_int_equal(a->children->len, 1);
	assert_string_equal(child(a, 0)->filename, "statement.pdf.exe");
	assert_int_equal(child(a, 0)->size, 512);
	assert_true(has_finding_with(r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME, "statement.pdf.exe"));
	ks_report_free(r);
}

static void gzip_stream_without_a_name_takes_the_outer_name(void **state)
{
	(void)state;
	g_autoptr(GBytes) txt = text_bytes("plain text inside\n");
	g_autoptr(GBytes) gz = la_make("raw", "gzip", NULL, (entry_spec[]){{"x", txt, 0}}, 1);
	ks_report *r = analyze_one("application/octet-stream", "notes.txt.gz", gz);
	ks_attachment *a = top(r);
	assert_int_equal(a->children->len, 1);
	assert_string_equal(child(a, 0)->filename, "notes.txt");
	ks_report_free(r);
}

static void gzipped_iso_is_read_as_the_disk_image(void **state)
{
	(void)state;
	g_autoptr(GBytes) lnk = lnk_bytes();
	const entry_spec specs[] = {{"open_me.lnk", lnk, 0}};
	g_autoptr(GBytes) iso = la_make("iso9660", NULL, NULL, specs, 1);
	g_autoptr(GBytes) gz = gzip_named("open_me.iso", iso);
	ks_report *r = analyze_one("application/gzip", "open_me.iso.gz", gz);
	/* libarchive reads the image through the gzip filter: the .iso.gz is
	 * the disk image, its entries its children */
	const ks_finding *f = find_rule(r, KS_RULE_ISO_CONTAINS_SHORTCUT);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	assert_string_equal(ks_attachment_get_meta(top(r), "compression"), "gzip");
	assert_string_equal(child(top(r), 0)->filename, "open_me.lnk");
	ks_report_free(r);
}

static void zip_is_left_to_the_zip_reader(void **state)
{
	(void)state;
	static const guint8 empty_zip[22] = {'P', 'K', 5, 6};
	ks_attachment *a = ks_attachment_new("2");
	a->data = g_bytes_new_static(empty_zip, sizeof empty_zip);
	a->filename = g_strdup("x.7z");
	a->detected_type = g_strdup("application/zip");
	assert_false(ks_archives_accepts(a));
	ks_attachment_free(a);
}

static void pdf_named_iso_is_not_opened(void **state)
{
	(void)state;
	static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
	ks_attachment *a = ks_attachment_new("2");
	a->data = g_bytes_new_static(pdf, sizeof pdf - 1);
	a->filename = g_strdup("scan.iso");
	a->detected_type = g_strdup("application/pdf");
	assert_false(ks_archives_accepts(a));
	ks_attachment_free(a);
}

/* ---- limits ---- */

static void entries_past_the_read_limit_are_listed_unread_and_reported_once(void **state)
{
	(void)state;
	enum { N = 1005 };
	g_autoptr(GBytes) txt = text_bytes("x");
	entry_spec *specs = g_new0(entry_spec, N);
	char **names = g_new0(char *, N + 1);
	for (int i = 0; i < N; i++) {
		names[i] = g_strdup_printf("f%04d.txt", i);
		specs[i] = (entry_spec){names[i], txt, 0};
	}
	g_autoptr(GBytes) tar = la_make("ustar", NULL, NULL, specs, N);
	g_free(specs);
	g_strfreev(names);
	ks_report *r = analyze_one("application/x-tar", "many.tar", tar);
	ks_attachment *a = top(r);
	assert_int_equal(a->children->len, N);
	assert_string_equal(ks_attachment_get_meta(a, "entries"), "1005");
	assert_non_null(child(a, 999)->data);
	assert_null(child(a, 1000)->data);
	assert_int_equal(child(a, 1000)->size, 1);
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 1);
	assert_true(has_finding_with(r, KS_RULE_INPUT_MALFORMED, "1000 entries to read"));
	ks_report_free(r);
}

static void entry_over_64_mib_is_listed_not_read(void **state)
{
	(void)state;
	const entry_spec specs[] = {{"big.bin", NULL, ((int64_t)64 << 20) + 1}};
	g_autoptr(GBytes) tgz = la_make("ustar", "gzip", NULL, specs, 1);
	ks_report *r = analyze_one("application/gzip", "big.tgz", tgz);
	ks_attachment *c = child(top(r), 0);
	assert_null(c->data);
	assert_int_equal(c->size, ((int64_t)64 << 20) + 1);
	assert_non_null(strstr(ks_attachment_get_meta(c, "unread"), "limit"));
	assert_true(has_finding_with(r, KS_RULE_INPUT_MALFORMED, "big.bin"));
	ks_report_free(r);
}

static void gzip_bomb_stops_at_the_entry_limit(void **state)
{
	(void)state;
	/* a stream declares no size: the read itself must stop */
	g_autoptr(GBytes) tgz = la_make("raw", "gzip", NULL,
	                                (entry_spec[]){{"x", NULL, ((int64_t)64 << 20) + 4096}}, 1);
	ks_report *r = analyze_one("application/gzip", "bomb.gz", tgz);
	ks_attachment *c = child(top(r), 0);
	assert_null(c->data);
	assert_non_null(strstr(ks_attachment_get_meta(c, "unread"), "decompressed"));
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 1);
	ks_report_free(r);
}

/* ---- libarchive's real-world images ---- */

static char *corpus_dir(void)
{
	return corpus_path("libarchive_iso_zip/bin", NULL);
}

static ks_report *analyze_corpus(const char *name)
{
	g_autofree char *dir = corpus_dir();
	if (!dir)
		return NULL;
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, NULL))
		return NULL;
	g_autoptr(GBytes) bytes = g_bytes_new(data, len);
	return analyze_one("application/octet-stream", name, bytes);
}

static void every_libarchive_fixture_goes_through_without_crash(void **state)
{
	(void)state;
	g_autofree char *dir = corpus_dir();
	if (!dir)
		skip();
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	assert_non_null(d);
	int images = 0;
	for (const char *name; (name = g_dir_read_name(d));) {
		ks_report *r = analyze_corpus(name);
		assert_non_null(r);
		ks_attachment *a = top(r);
		assert_int_equal(strlen(a->sha256), 64);
		/* every image was opened here, read or said why not */
		if (strstr(name, ".iso")) {
			assert_true(ks_attachment_get_meta(a, "format") ||
			            ks_attachment_get_meta(a, "unreadable"));
			images++;
		}
		ks_report_free(r);
	}
	assert_true(images >= 19);
}

static void joliet_fixture_lists_long_names(void **state)
{
	(void)state;
	ks_report *r = analyze_corpus("test_read_format_iso_joliet.iso");
	if (!r)
		skip();
	ks_attachment *a = top(r);
	assert_string_equal(ks_attachment_get_meta(a, "joliet"), "true");
	assert_non_null(child_named(a, "long-joliet-file-name.textfile"));
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
	ks_report_free(r);
}

static void rockridge_loop_fixture_terminates(void **state)
{
	(void)state;
	ks_report *r = analyze_corpus("test_read_format_iso_rockridge_ce_loop.iso");
	if (!r)
		skip();
	assert_int_equal(r->attachments->len, 1);
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iso_with_shortcut_and_program_fires_both_rules),
		cmocka_unit_test(iso_of_documents_fires_no_iso_rule),
		cmocka_unit_test(shortcut_and_pe_are_recognised_by_content_under_harmless_names),
		cmocka_unit_test(script_in_an_iso_counts_as_executable),
		cmocka_unit_test(hidden_bit_in_the_iso_tree_marks_the_entry),
		cmocka_unit_test(joliet_label_is_read_when_it_differs),
		cmocka_unit_test(udf_only_image_says_it_is_unreadable),
		cmocka_unit_test(vhd_by_name_or_footer_says_it_is_unreadable),
		cmocka_unit_test(garbage_named_iso_is_malformed_not_fatal),
		cmocka_unit_test(truncated_iso_is_malformed_not_fatal),
		cmocka_unit_test(seven_zip_entries_are_children_without_iso_rules),
		cmocka_unit_test(padded_and_dot_hidden_names_are_counted_and_deceptive),
		cmocka_unit_test(tgz_lists_the_tar_entries_with_their_compression),
		cmocka_unit_test(gzip_stream_child_takes_the_header_name),
		cmocka_unit_test(gzip_stream_without_a_name_takes_the_outer_name),
		cmocka_unit_test(gzipped_iso_is_read_as_the_disk_image),
		cmocka_unit_test(zip_is_left_to_the_zip_reader),
		cmocka_unit_test(pdf_named_iso_is_not_opened),
		cmocka_unit_test(entries_past_the_read_limit_are_listed_unread_and_reported_once),
		cmocka_unit_test(entry_over_64_mib_is_listed_not_read),
		cmocka_unit_test(gzip_bomb_stops_at_the_entry_limit),
		cmocka_unit_test(every_libarchive_fixture_goes_through_without_crash),
		cmocka_unit_test(joliet_fixture_lists_long_names),
		cmocka_unit_test(rockridge_loop_fixture_terminates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
