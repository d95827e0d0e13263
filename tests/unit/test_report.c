/* Unit tests for analyzers/core/report.c: the string setters every analyzer
 * fills the report with (nothing raw reaches a writer or a terminal), hop
 * defaults, and findings' severities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/report.h"

#include <string.h>

static void report_line_escapes_what_a_terminal_would_obey(void **state)
{
	(void)state;
	g_autofree char *esc = ks_report_line("Invoice\x1b]52;c;cGF5\x07 due\nnow");
	assert_null(strchr(esc, '\x1b'));
	assert_null(strchr(esc, '\x07'));
	assert_null(strchr(esc, '\n'));
	assert_non_null(strstr(esc, "Invoice"));
	/* bidi override: shown, not obeyed */
	g_autofree char *rlo = ks_report_line("invoice\xe2\x80\xaegpj.exe");
	assert_null(strstr(rlo, "\xe2\x80\xae"));
	/* plain text is kept as it is, and NULL stays NULL */
	g_autofree char *plain = ks_report_line("見積書 2024-12");
	assert_string_equal(plain, "見積書 2024-12");
	assert_null(ks_report_line(NULL));
}

static void set_line_replaces_and_may_read_its_own_field(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	ks_report_set_line(&r->subject, "first");
	assert_string_equal(r->subject, "first");
	/* the field itself as the source: cleaned in place, the old one freed */
	r->message_id = g_strdup("<a\x1b[31m@b>");
	ks_report_set_line(&r->message_id, r->message_id);
	assert_null(strchr(r->message_id, '\x1b'));
	ks_report_set_line(&r->subject, NULL);
	assert_null(r->subject);
	ks_report_free(r);
}

static void a_new_hop_knows_no_header_yet(void **state)
{
	(void)state;
	ks_hop *h = ks_hop_new();
	assert_int_equal(h->header_index, -1);
	assert_false(h->has_delay);
	ks_hop_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_line_escapes_what_a_terminal_would_obey),
		cmocka_unit_test(set_line_replaces_and_may_read_its_own_field),
		cmocka_unit_test(a_new_hop_knows_no_header_yet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
