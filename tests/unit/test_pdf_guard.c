/* pdf.c's guard around poppler 22.12's attachment list: a crafted
 * EmbeddedFiles entry (a string, no /EF) must not reach poppler, which would
 * dereference a null pointer; the PDF is still reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testlib.h"

static void filespec_without_ef_is_not_given_to_poppler(void **state)
{
	(void)state;
	/* tests run from the repository root (tests/run.sh) */
	GBytes *data = read_bytes("tests/fuzz/corpus/pdf/poppler_filespec_without_ef.pdf");
	ks_context *ctx = ks_context_new();
	ks_report *r = analyze_attachment("application/pdf", "x.pdf", data, ctx);
	ks_context_free(ctx);
	g_bytes_unref(data);
	ks_attachment *a = g_ptr_array_index(r->attachments, 0);
	assert_non_null(ks_attachment_get_meta(a, "embedded_files"));
	assert_true(ks_report_has_finding(r, KS_RULE_PDF_EMBEDDED_FILE));
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(filespec_without_ef_is_not_given_to_poppler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
