/* Attachments are analysed in the analysis helper (helper.h), this test
 * program exec'd again in its helper mode: a crafted EmbeddedFiles entry (a
 * string, no /EF; a cut-off /EF stream) makes poppler 22.12 dereference a
 * null pointer inside poppler_document_get_attachments, and that must cost
 * the helper, not kensa; the PDF is then read by kensa's own parsers, whose
 * raw scan still sees the embedded file.  A file whose libraries spin past
 * the CPU budget, or grow past the memory budget, is stopped the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/helper.h"
#include "testlib.h"

static void poppler_crash_on_embedded_file_list_is_contained(void **state)
{
	(void)state;
	/* tests run from the repository root (tests/run.sh) */
	GBytes *data = read_bytes("tests/fixtures/pdf/poppler_filespec_without_ef.pdf");
	ks_context *ctx = ks_context_new();
	ks_context_set_limits(ctx, "/proc/self/exe", 0, 0);
	ks_report *r = analyze_attachment("application/pdf", "x.pdf", data, ctx);
	ks_context_free(ctx);
	g_bytes_unref(data);
	ks_attachment *a = g_ptr_array_index(r->attachments, 0);
	assert_non_null(a);
	assert_true(ks_report_has_finding(r, KS_RULE_PDF_EMBEDDED_FILE));
	assert_true(ks_report_has_finding(r, KS_RULE_INPUT_MALFORMED));
	ks_report_free(r);
}

static void truncated_embedded_stream_is_contained_too(void **state)
{
	(void)state;
	GBytes *data = read_bytes("tests/fixtures/pdf/poppler_embedded_stream_truncated.pdf");
	ks_context *ctx = ks_context_new();
	ks_context_set_limits(ctx, "/proc/self/exe", 0, 0);
	ks_report *r = analyze_attachment("application/pdf", "x.pdf", data, ctx);
	ks_context_free(ctx);
	g_bytes_unref(data);
	assert_true(ks_report_has_finding(r, KS_RULE_PDF_EMBEDDED_FILE));
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_contains(f->evidence, "a library crashed");
	ks_report_free(r);
}

static void cpu_budget_stops_a_spinning_library_and_the_rest_goes_on(void **state)
{
	(void)state;
	/* one unnamed text field whose 20,000 widgets all sit on the page:
	 * poppler's form reader takes quadratic time over them (minutes) */
	g_autoptr(GString) pdf = g_string_new("%PDF-1.7\n");
	enum { WIDGETS = 20000 };
	g_autoptr(GString) kids = g_string_new(NULL);
	for (int i = 0; i < WIDGETS; i++)
		g_string_append_printf(kids, "%d 0 R ", 6 + i);
	g_string_append_printf(pdf,
	                       "1 0 obj << /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] "
	                       "/NeedAppearances true >> >> endobj\n"
	                       "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	                       "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
	                       "/Annots [%s] >> endobj\n"
	                       "5 0 obj << /FT /Tx /V (shared) /Kids [%s] >> endobj\n",
	                       kids->str, kids->str);
	for (int i = 0; i < WIDGETS; i++)
		g_string_append_printf(pdf,
		                       "%d 0 obj << /Type /Annot /Subtype /Widget /Parent 5 0 R "
		                       "/Rect [0 0 10 10] >> endobj\n",
		                       6 + i);
	g_string_append(pdf, "trailer << /Root 1 0 R >>\n%%EOF\n");
	GBytes *data = g_bytes_new(pdf->str, pdf->len);
	ks_context *ctx = ks_context_new();
	ks_context_set_limits(ctx, "/proc/self/exe", 500, 0);
	ks_message *m = msg_with_attachment("application/pdf", "form.pdf", data);
	add_part(m, "3", "text/plain", "note.txt", "plain words", 11);
	ks_report *r = ks_report_new();
	gint64 t0 = g_get_monotonic_time();
	ks_attachments_walk(m, ctx, r, ks_analyze_message);
	gint64 spent = g_get_monotonic_time() - t0;
	msg_free(m);
	ks_context_free(ctx);
	g_bytes_unref(data);
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_RESOURCE_LIMIT);
	assert_non_null(f);
	assert_contains(f->evidence, "CPU budget of 0.5 s");
	assert_string_equal(f->location, "part:2");
	/* the next attachment is analysed, by a new helper */
	assert_int_equal(r->attachments->len, 2);
	const ks_attachment *next = g_ptr_array_index(r->attachments, 1);
	assert_string_equal(next->detected_type, "text/plain");
	assert_true(spent < 60 * G_USEC_PER_SEC);
	ks_report_free(r);
}

static void memory_budget_stops_a_library_that_grows(void **state)
{
	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	skip(); /* AddressSanitizer's own reservations leave RLIMIT_AS unset */
#endif
	/* poppler reads a 40 MB XMP packet into memory of its own: over a
	 * 16 MiB budget, its allocation fails and it aborts */
	g_autoptr(GString) pdf = g_string_new("%PDF-1.4\n");
	g_string_append(pdf, "1 0 obj << /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >> endobj\n"
	                     "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	                     "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj\n");
	gsize n = (gsize)40 << 20;
	g_string_append_printf(pdf, "4 0 obj << /Type /Metadata /Subtype /XML /Length %zu >>\nstream\n"
	                            "<x:xmpmeta xmlns:x='adobe:ns:meta/'>",
	                       n + 48);
	gsize at = pdf->len;
	g_string_set_size(pdf, at + n);
	memset(pdf->str + at, ' ', n);
	g_string_append(pdf, "</x:xmpmeta>\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
	GBytes *data = g_bytes_new(pdf->str, pdf->len);
	ks_context *ctx = ks_context_new();
	ks_context_set_limits(ctx, "/proc/self/exe", 0, (int64_t)16 << 20);
	ks_report *r = analyze_attachment("application/pdf", "meta.pdf", data, ctx);
	ks_context_free(ctx);
	g_bytes_unref(data);
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_RESOURCE_LIMIT);
	assert_non_null(f);
	assert_contains(f->evidence, "memory budget of 16 MiB");
	assert_contains(f->evidence, "own parsers");
	ks_report_free(r);
}

static void no_helper_means_own_parsers_and_a_finding_not_a_crash(void **state)
{
	(void)state;
	/* a helper program that cannot be exec'd stands for /proc/self/exe
	 * where /proc is not mounted: poppler, which crashes on this file, must
	 * not then run in this process */
	GBytes *data = read_bytes("tests/fixtures/pdf/poppler_filespec_without_ef.pdf");
	ks_context *ctx = ks_context_new();
	ks_context_set_limits(ctx, "/nonexistent/kensa helper", 0, 0);
	ks_message *m = msg_with_attachment("application/pdf", "x.pdf", data);
	add_part(m, "3", "text/plain", "note.txt", "plain words", 11);
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, ctx, r, ks_analyze_message);
	msg_free(m);
	ks_context_free(ctx);
	g_bytes_unref(data);
	assert_int_equal(r->attachments->len, 2);
	/* the raw scan still sees the embedded file */
	assert_true(ks_report_has_finding(r, KS_RULE_PDF_EMBEDDED_FILE));
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_RESOURCE_LIMIT);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_INFO);
	assert_string_equal(f->location, "part:2");
	assert_contains(f->evidence, "x.pdf not analysed in full");
	assert_contains(f->evidence, "/nonexistent/kensa helper");
	assert_contains(f->evidence, "No such file or directory");
	assert_contains(f->evidence, "own parsers only");
	assert_false(ks_report_has_finding(r, KS_RULE_INPUT_MALFORMED));
	ks_report_free(r);
}

int main(int argc, char **argv)
{
	/* this program is its own analysis helper */
	if (argc == 2 && strcmp(argv[1], KS_HELPER_ARG) == 0)
		ks_helper_main();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(poppler_crash_on_embedded_file_list_is_contained),
		cmocka_unit_test(truncated_embedded_stream_is_contained_too),
		cmocka_unit_test(cpu_budget_stops_a_spinning_library_and_the_rest_goes_on),
		cmocka_unit_test(memory_budget_stops_a_library_that_grows),
		cmocka_unit_test(no_helper_means_own_parsers_and_a_finding_not_a_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
