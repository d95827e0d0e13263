/* pdf.c runs poppler 22.12's attachment list in a child process: a crafted
 * EmbeddedFiles entry (a string, no /EF; a cut-off /EF stream) makes poppler
 * dereference a null pointer, and that must cost the child, not kensa. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testlib.h"

static void poppler_crash_on_embedded_file_list_is_contained(void **state)
{
	(void)state;
	/* tests run from the repository root (tests/run.sh) */
	GBytes *data = read_bytes("tests/fuzz/corpus/pdf/poppler_filespec_without_ef.pdf");
	ks_context *ctx = ks_context_new();
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
	GBytes *data = read_bytes("tests/fuzz/corpus/pdf/poppler_embedded_stream_truncated.pdf");
	ks_context *ctx = ks_context_new();
	ks_report *r = analyze_attachment("application/pdf", "x.pdf", data, ctx);
	ks_context_free(ctx);
	g_bytes_unref(data);
	assert_true(ks_report_has_finding(r, KS_RULE_PDF_EMBEDDED_FILE));
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(poppler_crash_on_embedded_file_list_is_contained),
		cmocka_unit_test(truncated_embedded_stream_is_contained_too),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
