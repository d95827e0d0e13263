/* attachment.seen_before over a hand-built attachment tree: by sha256, by
 * name and size for an encrypted entry (no hash), never by name alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/seen.h"

#include <string.h>

static ks_report *tree(void)
{
	ks_report *r = ks_report_new();
	ks_attachment *zip = ks_attachment_new("3");
	zip->filename = g_strdup("請求書_202412.zi_");
	zip->size = 1174;
	g_strlcpy(zip->sha256, "41c65a44d17d728604bf14a8477917dd0e47d20b72c231eaabeff15ff6b3c84c",
	          sizeof zip->sha256);
	ks_attachment *entry = ks_attachment_new("3/1");
	entry->filename = g_strdup("請求書_202412.pdf");
	entry->size = 1036;
	entry->encrypted = true;
	g_ptr_array_add(zip->children, entry);
	g_ptr_array_add(r->attachments, zip);
	return r;
}

static guint count(const ks_report *r)
{
	guint n = 0;
	for (guint i = 0; i < r->findings->len; i++)
		if (((ks_finding *)g_ptr_array_index(r->findings, i))->rule ==
		    KS_RULE_ATTACHMENT_SEEN_BEFORE)
			n++;
	return n;
}

static void same_sha256_in_an_earlier_case(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = tree();
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_known_attachment(
		ctx, "41C65A44D17D728604BF14A8477917DD0E47D20B72C231EAABEFF15FF6B3C84C", "other.zip",
		1174, 7, "older case");
	ks_seen_analyze(NULL, ctx, r);
	assert_int_equal(count(r), 1);
	const ks_finding *f = g_ptr_array_index(r->findings, 0);
	assert_string_equal(f->location, "part:3");
	assert_non_null(strstr(f->evidence, "case 7"));
}

static void encrypted_entry_matches_by_name_and_size(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = tree();
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_known_attachment(ctx, NULL, "請求書_202412.pdf", 1036, 3, "c3");
	ks_seen_analyze(NULL, ctx, r);
	assert_int_equal(count(r), 1);
	const ks_finding *f = g_ptr_array_index(r->findings, 0);
	assert_string_equal(f->location, "part:3/1");
	assert_non_null(strstr(f->evidence, "encrypted"));
}

static void same_name_other_size_is_not_seen(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = tree();
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_context_add_known_attachment(ctx, NULL, "請求書_202412.pdf", 1037, 3, "c3");
	ks_context_add_known_attachment(ctx, NULL, "請求書_202412.pdf", -1, 3, "c3");
	ks_seen_analyze(NULL, ctx, r);
	assert_int_equal(count(r), 0);
}

static void empty_context_adds_nothing(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = tree();
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_seen_analyze(NULL, ctx, r);
	ks_seen_analyze(NULL, NULL, r);
	assert_int_equal(r->findings->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_sha256_in_an_earlier_case),
		cmocka_unit_test(encrypted_entry_matches_by_name_and_size),
		cmocka_unit_test(same_name_other_size_is_not_seen),
		cmocka_unit_test(empty_context_adds_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
