/* Unit tests for analyzers/payloads/pdf_page.c: where pages draw their images, read
 * from the content streams (q, Q, cm, Do, forms, inline images) and the
 * page tree, never by drawing; and that pages built to make a renderer spin
 * cost it only their bytes.  The PDFs are written here, small and by hand
 * (ISO 32000-1 section 7); no cross-reference table is needed, since the
 * reader finds objects by their "N 0 obj" headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "payloads/pdf_page.h"

#include <gio/gio.h>
#include <string.h>
#include <time.h>

/* "%PDF-1.7", objects 1..n from the NULL-terminated list (object 1 the
 * catalog), and a trailer naming it. */
static GByteArray *pdf_of(const char *const *objs)
{
	GByteArray *out = g_byte_array_new();
	g_autoptr(GString) s = g_string_new("%PDF-1.7\n");
	for (int i = 0; objs[i]; i++)
		g_string_append_printf(s, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	g_string_append(s, "trailer\n<< /Root 1 0 R >>\n%%EOF\n");
	g_byte_array_append(out, (const guint8 *)s->str, (guint)s->len);
	return out;
}

static char *stream_of(const char *dict, const char *data)
{
	return g_strdup_printf("<< /Length %zu %s >>\nstream\n%s\nendstream", strlen(data), dict, data);
}

/* CPU time of this process, which a loaded machine does not stretch */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static GArray *images_of(GByteArray *pdf)
{
	return ks_pdf_page_images(pdf->data, pdf->len, NULL, 0, 50, 1000);
}

static const ks_pdf_image *image_at(GArray *imgs, guint i)
{
	assert_true(i < imgs->len);
	return &g_array_index(imgs, ks_pdf_image, i);
}

static void image_drawn_by_cm_has_its_size_and_place(void **state)
{
	(void)state;
	g_autofree char *content = stream_of("", "q 216 0 0 72 300 600 cm /Im1 Do Q");
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
		"/Resources << /XObject << /Im1 5 0 R >> >> >>",
		content,
		"<< /Type /XObject /Subtype /Image /Width 60 /Height 20 /BitsPerComponent 8 "
		"/ColorSpace /DeviceGray /Length 0 >>\nstream\n\nendstream",
		NULL};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	g_autoptr(GArray) imgs = images_of(pdf);
	assert_int_equal(imgs->len, 1);
	const ks_pdf_image *im = image_at(imgs, 0);
	assert_int_equal(im->page, 1);
	assert_int_equal(im->w_px, 60);
	assert_int_equal(im->h_px, 20);
	assert_float_equal(im->w_pt, 216, 1e-9);
	assert_float_equal(im->h_pt, 72, 1e-9);
	/* from the top-left corner: 792 - (600 + 72) */
	assert_float_equal(im->x, 300, 1e-9);
	assert_float_equal(im->y, 120, 1e-9);
	assert_false(im->inline_image);
}

static void form_matrix_and_inherited_resources_apply(void **state)
{
	(void)state;
	/* the page inherits its resources from the Pages node; the form scales
	 * by 2 with its /Matrix and draws the image at 50x25 of its space */
	g_autofree char *content = stream_of("", "q 1 0 0 1 10 10 cm /Fm1 Do Q");
	g_autofree char *form = stream_of("/Type /XObject /Subtype /Form /BBox [0 0 100 100] "
	                                  "/Matrix [2 0 0 2 0 0]",
	                                  "q 50 0 0 25 0 0 cm /Im1 Do Q");
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] "
		"/Resources << /XObject << /Fm1 5 0 R /Im1 6 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		content,
		form,
		"<< /Type /XObject /Subtype /Image /Width 300 /Height 150 /Length 0 >>\nstream\n\nendstream",
		NULL};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	g_autoptr(GArray) imgs = images_of(pdf);
	assert_int_equal(imgs->len, 1);
	const ks_pdf_image *im = image_at(imgs, 0);
	assert_float_equal(im->w_pt, 100, 1e-9);
	assert_float_equal(im->h_pt, 50, 1e-9);
	assert_float_equal(im->x, 10, 1e-9);
	assert_float_equal(im->y, 842 - 60, 1e-9);
}

static void inline_image_data_holding_EI_is_skipped_whole(void **state)
{
	(void)state;
	/* the data holds "EI" not between white space; the cm after EI must
	 * still be read, so the XObject lands where it is placed */
	g_autofree char *content = stream_of("", "q 40 0 0 30 0 0 cm BI /W 8 /H 6 /BPC 8 /CS /G ID "
	                                         "xxEIxxEIyy\nEI Q q 100 0 0 100 200 200 cm /Im1 Do Q");
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 500] /Contents 4 0 R "
		"/Resources << /XObject << /Im1 5 0 R >> >> >>",
		content,
		"<< /Type /XObject /Subtype /Image /Width 400 /Height 400 /Length 0 >>\nstream\n\nendstream",
		NULL};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	g_autoptr(GArray) imgs = images_of(pdf);
	assert_int_equal(imgs->len, 2);
	assert_true(image_at(imgs, 0)->inline_image);
	assert_int_equal(image_at(imgs, 0)->w_px, 8);
	assert_int_equal(image_at(imgs, 0)->h_px, 6);
	assert_float_equal(image_at(imgs, 1)->x, 200, 1e-9);
	assert_float_equal(image_at(imgs, 1)->w_pt, 100, 1e-9);
}

static void rotated_image_keeps_its_own_axes(void **state)
{
	(void)state;
	/* drawn turned by 90 degrees: 80 pt along its width, 40 along its height */
	g_autofree char *content = stream_of("", "q 0 80 -40 0 100 100 cm /Im1 Do Q");
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R "
		"/Resources << /XObject << /Im1 5 0 R >> >> >>",
		content,
		"<< /Type /XObject /Subtype /Image /Width 160 /Height 80 /Length 0 >>\nstream\n\nendstream",
		NULL};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	g_autoptr(GArray) imgs = images_of(pdf);
	assert_int_equal(imgs->len, 1);
	assert_float_equal(image_at(imgs, 0)->w_pt, 80, 1e-9);
	assert_float_equal(image_at(imgs, 0)->h_pt, 40, 1e-9);
}

static void compressed_content_in_two_streams_and_object_streams_are_read(void **state)
{
	(void)state;
	/* /Contents [4 0 R 6 0 R], the first Flate-compressed then ASCII-hex
	 * encoded; the image's dictionary only in the object-stream text */
	const char *part1 = "q 50 0 0 50 0 0 cm";
	g_autoptr(GConverter) zc =
		G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1));
	guint8 z[256];
	gsize used = 0, zn = 0;
	assert_int_equal(g_converter_convert(zc, part1, strlen(part1), z, sizeof z,
	                                     G_CONVERTER_INPUT_AT_END, &used, &zn, NULL),
	                 G_CONVERTER_FINISHED);
	g_autoptr(GString) hex = g_string_new(NULL);
	for (gsize i = 0; i < zn; i++)
		g_string_append_printf(hex, "%02X", z[i]);
	g_string_append_c(hex, '>');
	g_autofree char *s1 = stream_of("/Filter [/AHx /Fl]", hex->str);
	g_autofree char *s2 = stream_of("", "/Im1 Do Q");
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents [4 0 R 6 0 R] "
		"/Resources << /XObject << /Im1 5 0 R >> >> >>",
		s1,
		"null",
		s2,
		NULL};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	const char *extra = "\n5 0 obj\n<< /Type /XObject /Subtype /Image /Width 25 /Height 25 >>\nendobj\n";
	g_autoptr(GArray) imgs =
		ks_pdf_page_images(pdf->data, pdf->len, (const guint8 *)extra, strlen(extra), 50, 1000);
	/* object 5 is "null" in the file, which wins: nothing is drawn */
	assert_int_equal(imgs->len, 0);
	const char *objs2[] = {objs[0], objs[1], objs[2], objs[3], "<< /Type /Whatever >>", objs[5], NULL};
	g_autoptr(GByteArray) pdf2 = pdf_of(objs2);
	g_autoptr(GString) no5 = g_string_new_len((const char *)pdf2->data, pdf2->len);
	char *at = strstr(no5->str, "5 0 obj");
	assert_non_null(at);
	at[0] = '9'; /* object 5 is now only in the object-stream text */
	g_autoptr(GArray) imgs2 = ks_pdf_page_images((const guint8 *)no5->str, no5->len,
	                                             (const guint8 *)extra, strlen(extra), 50, 1000);
	assert_int_equal(imgs2->len, 1);
	assert_int_equal(image_at(imgs2, 0)->w_px, 25);
	assert_float_equal(image_at(imgs2, 0)->w_pt, 50, 1e-9);
}

static void forms_nested_forty_deep_four_wide_end_quickly(void **state)
{
	(void)state;
	/* form k draws form k+1 four times: 4^40 draws if followed to the end */
	enum { DEPTH = 40 };
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
	const char *objs[DEPTH + 6];
	objs[0] = "<< /Type /Catalog /Pages 2 0 R >>";
	objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 500] /Contents 4 0 R "
	          "/Resources << /XObject << /F 5 0 R >> >> >>";
	char *top = stream_of("", "/F Do");
	g_ptr_array_add(owned, top);
	objs[3] = top;
	for (int k = 0; k < DEPTH; k++) {
		g_autofree char *dict = g_strdup_printf(
			"/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /F %d 0 R >> >>",
			k == DEPTH - 1 ? 5 + DEPTH : 6 + k);
		char *s = stream_of(dict, "q 0.5 0 0 0.5 0 0 cm /F Do Q q 0.5 0 0 0.5 1 0 cm /F Do Q "
		                          "q 0.5 0 0 0.5 0 1 cm /F Do Q q 0.5 0 0 0.5 1 1 cm /F Do Q");
		g_ptr_array_add(owned, s);
		objs[4 + k] = s;
	}
	objs[4 + DEPTH] = "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /Length 0 >>\nstream\n\nendstream";
	objs[5 + DEPTH] = NULL;
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	double t0 = cpu_seconds();
	g_autoptr(GArray) imgs = ks_pdf_page_images(pdf->data, pdf->len, NULL, 0, 50, 1000000);
	double spent = cpu_seconds() - t0;
	/* the form depth limit stops the chain before the image; the token
	 * count bounds the fan-out above it: about half a second of CPU, a
	 * few under AddressSanitizer */
	assert_int_equal(imgs->len, 0);
	assert_true(spent < 10);
}

static void page_tree_loops_and_missing_objects_end(void **state)
{
	(void)state;
	/* the Pages node lists itself, a missing object and a page */
	g_autofree char *content = stream_of("", "q 10 0 0 10 0 0 cm /I Do Q");
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 77 0 R 3 0 R 2 0 R] /Count 9 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R "
		"/Resources << /XObject << /I 5 0 R >> >> >>",
		content,
		"<< /Subtype /Image /Width 5 /Height 5 >>\nstream\n\nendstream",
		NULL};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	g_autoptr(GArray) imgs = images_of(pdf);
	assert_int_equal(imgs->len, 1);
}

/* fuzz_pdf's find: a page whose /Contents names an object that is no
 * stream left the content empty, and the lexer added 0 to a null pointer */
static void contents_that_are_no_stream_give_no_images(void **state)
{
	(void)state;
	static const char *const objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
		"<< /Length 5 >>",
		NULL,
	};
	g_autoptr(GByteArray) pdf = pdf_of(objs);
	g_autoptr(GArray) imgs = images_of(pdf);
	assert_int_equal(imgs->len, 0);
	static const char *const arr[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents [4 0 R 4 0 R] >>",
		"<< /Length 5 >>",
		NULL,
	};
	g_autoptr(GByteArray) pdf2 = pdf_of(arr);
	g_autoptr(GArray) imgs2 = images_of(pdf2);
	assert_int_equal(imgs2->len, 0);
}

static void garbage_gives_no_images(void **state)
{
	(void)state;
	static const char junk[] = "%PDF-1.4\n1 0 obj << /Pages 2 0 R ( unterminated [[[ <<\n";
	g_autoptr(GArray) imgs =
		ks_pdf_page_images((const guint8 *)junk, sizeof junk - 1, NULL, 0, 50, 1000);
	assert_int_equal(imgs->len, 0);
	g_autoptr(GArray) none = ks_pdf_page_images(NULL, 0, NULL, 0, 50, 1000);
	assert_int_equal(none->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(image_drawn_by_cm_has_its_size_and_place),
		cmocka_unit_test(form_matrix_and_inherited_resources_apply),
		cmocka_unit_test(inline_image_data_holding_EI_is_skipped_whole),
		cmocka_unit_test(rotated_image_keeps_its_own_axes),
		cmocka_unit_test(compressed_content_in_two_streams_and_object_streams_are_read),
		cmocka_unit_test(forms_nested_forty_deep_four_wide_end_quickly),
		cmocka_unit_test(page_tree_loops_and_missing_objects_end),
		cmocka_unit_test(contents_that_are_no_stream_give_no_images),
		cmocka_unit_test(garbage_gives_no_images),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
