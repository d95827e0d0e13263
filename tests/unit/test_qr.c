/* qr.c: QR codes in PNG and JPEG pictures, in a PDF's image XObjects
 * (deflated grey, PNG predictors, one-bit masks, DCT), in an OOXML
 * document's media and in an HTML body's data: pictures; their URLs join
 * the mail's links and raise attachment.qr_code; pixel limits hold.  The
 * codes are made at test time by qrencode(1) (deps.mk TOOLS); without it
 * the tests skip. */
#include "testlib.h"

#include "payloads/qr.h"

#include <gio/gio.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <png.h>
#include <zip.h>

#define URL "https://parking-pay.z13.web.core.windows.net/p?id=77"
#define MODULE 6 /* pixels a module */

typedef struct {
	guint8 *px;
	int w, h;
} picture;

static void picture_free(picture *p)
{
	g_free(p->px);
}

/* The code for text drawn black on white, MODULE pixels a module, with
 * qrencode's quiet zone; false when qrencode is not installed. */
static bool qr_picture(const char *text, picture *out)
{
	g_autofree char *stdout_text = NULL;
	gint status = 0;
	const char *argv[] = {"qrencode", "-t", "ASCII", "-m", "4", text, NULL};
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
	                  NULL, NULL, &stdout_text, NULL, &status, NULL) ||
	    status != 0)
		return false;
	g_auto(GStrv) rows = g_strsplit(stdout_text, "\n", -1);
	int n = 0;
	while (rows[n] && *rows[n])
		n++;
	int modules = (int)strlen(rows[0]) / 2; /* two characters a module */
	out->w = out->h = modules * MODULE;
	out->px = g_malloc((gsize)out->w * (gsize)out->h);
	for (int y = 0; y < out->h; y++)
		for (int x = 0; x < out->w; x++)
			out->px[y * out->w + x] = rows[y / MODULE][(x / MODULE) * 2] == '#' ? 0 : 255;
	assert_int_equal(n, modules);
	return true;
}

static GBytes *to_png(const picture *p)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)p->w;
	img.height = (png_uint_32)p->h;
	img.format = PNG_FORMAT_GRAY;
	png_alloc_size_t size = 0;
	assert_true(png_image_write_to_memory(&img, NULL, &size, 0, p->px, 0, NULL));
	guint8 *buf = g_malloc(size);
	assert_true(png_image_write_to_memory(&img, buf, &size, 0, p->px, 0, NULL));
	return g_bytes_new_take(buf, size);
}

static GBytes *to_jpeg(const picture *p)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	unsigned char *buf = NULL;
	unsigned long size = 0;
	jpeg_mem_dest(&c, &buf, &size);
	c.image_width = (JDIMENSION)p->w;
	c.image_height = (JDIMENSION)p->h;
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 85, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = p->px + (gsize)c.next_scanline * (gsize)p->w;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	GBytes *b = g_bytes_new(buf, size);
	free(buf);
	return b;
}

static GBytes *deflate(const guint8 *data, gsize len)
{
	g_autoptr(GConverter) z = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6));
	GByteArray *out = g_byte_array_new();
	guint8 buf[16384];
	gsize at = 0;
	for (;;) {
		gsize r = 0, w = 0;
		GConverterResult res = g_converter_convert(z, data + at, len - at, buf, sizeof buf,
		                                           G_CONVERTER_INPUT_AT_END, &r, &w, NULL);
		at += r;
		g_byte_array_append(out, buf, (guint)w);
		if (res == G_CONVERTER_FINISHED || res == G_CONVERTER_ERROR)
			break;
	}
	return g_byte_array_free_to_bytes(out);
}

/* A one-page PDF drawing one image XObject with the given dictionary
 * entries and stream bytes. */
static GBytes *pdf_with_image(const char *dict, GBytes *stream)
{
	gsize slen = 0;
	const void *s = g_bytes_get_data(stream, &slen);
	GString *pdf = g_string_new("%PDF-1.4\n");
	g_string_append(pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	                     "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
	                     "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] "
	                     "/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n");
	g_string_append_printf(pdf, "4 0 obj\n<< /Type /XObject /Subtype /Image %s /Length %" G_GSIZE_FORMAT
	                            " >>\nstream\n", dict, slen);
	g_string_append_len(pdf, s, (gssize)slen);
	g_string_append(pdf, "\nendstream\nendobj\n"
	                     "5 0 obj\n<< /Length 31 >>\nstream\nq 250 0 0 250 25 25 cm /Im1 Do Q\n"
	                     "endstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
	return g_string_free_to_bytes(pdf);
}

static ks_report *walk(const char *type, const char *name, GBytes *data)
{
	ks_message *m = msg_with_attachment(type, name, data);
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	msg_free(m);
	return r;
}

static void expect_qr_link(const ks_report *r, const char *in)
{
	const ks_finding *f = sole_finding(r, KS_RULE_ATTACHMENT_QR_CODE);
	if (!f)
		fail_msg("no attachment.qr_code");
	assert_string_equal(f->location, "part:2");
	assert_contains(f->evidence, URL);
	if (in)
		assert_contains(f->evidence, in);
	bool listed = false;
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		listed = listed || (strcmp(l->href, URL) == 0 && g_strcmp0(l->location, "part:2") == 0 &&
		                    strcmp(l->text, "[QR code]") == 0);
	}
	assert_true(listed);
}

static void png_and_jpeg_pictures(void **state)
{
	(void)state;
	picture p;
	if (!qr_picture(URL, &p))
		skip();
	g_autoptr(GBytes) png = to_png(&p);
	g_autoptr(ks_report) a = walk("image/png", "parking.png", png);
	expect_qr_link(a, NULL);
	assert_contains(sole_finding(a, KS_RULE_ATTACHMENT_QR_CODE)->evidence,
	                "parking.png: a QR code for " URL);
	g_autoptr(GBytes) jpeg = to_jpeg(&p);
	g_autoptr(ks_report) b = walk("image/jpeg", "image001.jpg", jpeg);
	expect_qr_link(b, NULL);
	picture_free(&p);
}

static void pdf_images_without_rendering(void **state)
{
	(void)state;
	picture p;
	if (!qr_picture(URL, &p))
		skip();
	g_autofree char *size = g_strdup_printf("/Width %d /Height %d", p.w, p.h);
	/* deflated 8-bit grey */
	g_autoptr(GBytes) flate = deflate(p.px, (gsize)p.w * (gsize)p.h);
	g_autofree char *d1 = g_strdup_printf("%s /BitsPerComponent 8 /ColorSpace /DeviceGray "
	                                      "/Filter /FlateDecode", size);
	g_autoptr(GBytes) pdf1 = pdf_with_image(d1, flate);
	g_autoptr(ks_report) r1 = walk("application/pdf", "notice.pdf", pdf1);
	expect_qr_link(r1, "(in image 1)");

	/* PNG predictor "Up" on every row, as PDF writers deflate pictures */
	GByteArray *pred = g_byte_array_new();
	for (int y = 0; y < p.h; y++) {
		guint8 type = 2;
		g_byte_array_append(pred, &type, 1);
		for (int x = 0; x < p.w; x++) {
			guint8 up = y ? p.px[(y - 1) * p.w + x] : 0;
			guint8 v = (guint8)(p.px[y * p.w + x] - up);
			g_byte_array_append(pred, &v, 1);
		}
	}
	g_autoptr(GBytes) pflate = deflate(pred->data, pred->len);
	g_byte_array_unref(pred);
	g_autofree char *d2 = g_strdup_printf("%s /BitsPerComponent 8 /ColorSpace /DeviceGray "
	                                      "/Filter [/FlateDecode] /DecodeParms << /Predictor 15 "
	                                      "/Colors 1 /Columns %d >>", size, p.w);
	g_autoptr(GBytes) pdf2 = pdf_with_image(d2, pflate);
	g_autoptr(ks_report) r2 = walk("application/pdf", "notice.pdf", pdf2);
	expect_qr_link(r2, NULL);

	/* one bit a pixel, an image mask (1 = unpainted here) */
	gsize rowbytes = ((gsize)p.w + 7) / 8;
	g_autofree guint8 *bits = g_malloc0(rowbytes * (gsize)p.h);
	for (int y = 0; y < p.h; y++)
		for (int x = 0; x < p.w; x++)
			if (p.px[y * p.w + x])
				bits[(gsize)y * rowbytes + (gsize)x / 8] |= (guint8)(0x80 >> (x % 8));
	g_autoptr(GBytes) bflate = deflate(bits, rowbytes * (gsize)p.h);
	g_autofree char *d3 = g_strdup_printf("%s /ImageMask true /Filter /FlateDecode", size);
	g_autoptr(GBytes) pdf3 = pdf_with_image(d3, bflate);
	g_autoptr(ks_report) r3 = walk("application/pdf", "notice.pdf", pdf3);
	expect_qr_link(r3, NULL);

	/* a JPEG as it is (DCTDecode) */
	g_autoptr(GBytes) jpeg = to_jpeg(&p);
	g_autofree char *d4 = g_strdup_printf("%s /BitsPerComponent 8 /ColorSpace /DeviceGray "
	                                      "/Filter /DCTDecode", size);
	g_autoptr(GBytes) pdf4 = pdf_with_image(d4, jpeg);
	g_autoptr(ks_report) r4 = walk("application/pdf", "notice.pdf", pdf4);
	expect_qr_link(r4, NULL);
	picture_free(&p);
}

static void office_media_and_html_data_pictures(void **state)
{
	(void)state;
	picture p;
	if (!qr_picture(URL, &p))
		skip();
	g_autoptr(GBytes) png = to_png(&p);
	gsize n = 0;
	const void *pngp = g_bytes_get_data(png, &n);
	/* a minimal docx: [Content_Types].xml and the picture */
	static const char types[] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats"
	                            ".org/package/2006/content-types\"/>";
	const zip_member_spec members[] = {
		{"[Content_Types].xml", types, sizeof types - 1},
		{"word/media/image1.png", pngp, n},
	};
	g_autoptr(GBytes) docx = zip_build(members, 2);
	g_autoptr(ks_report) r = walk("application/vnd.openxmlformats-officedocument."
	                              "wordprocessingml.document", "invoice.docx", docx);
	expect_qr_link(r, "(in word/media/image1.png)");

	g_autofree char *b64 = g_base64_encode(pngp, n);
	g_autofree char *html = g_strdup_printf("<p>Scan to pay:</p><img alt=\"qr\" src=\"data:image/png;"
	                                        "base64,%s\">", b64);
	g_autoptr(ks_report) body = ks_report_new();
	ks_qr_scan_html(html, strlen(html), "body", body);
	const ks_finding *f = sole_finding(body, KS_RULE_ATTACHMENT_QR_CODE);
	assert_non_null(f);
	assert_string_equal(f->location, "body");
	assert_contains(f->evidence, "(in data: image 1)");
	assert_int_equal(body->links->len, 1);
	picture_free(&p);
}

static void text_codes_are_metadata_not_findings(void **state)
{
	(void)state;
	picture p;
	if (!qr_picture("WIFI:S:guest;T:WPA;P:welcome2025;;", &p))
		skip();
	g_autoptr(GBytes) png = to_png(&p);
	g_autoptr(ks_report) r = walk("image/png", "wifi.png", png);
	assert_null(find_rule(r, KS_RULE_ATTACHMENT_QR_CODE));
	assert_meta(g_ptr_array_index(r->attachments, 0), "qr_codes",
	            "WIFI:S:guest;T:WPA;P:welcome2025;;");
	assert_int_equal(r->links->len, 0);
	picture_free(&p);
}

static void limits_and_broken_pictures(void **state)
{
	(void)state;
	/* a PNG whose header claims 20000 x 20000 pixels is not decoded (an
	 * empty IDAT follows: libpng reads the header up to the first one) */
	static const guint8 huge[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20, 8, 0, 0, 0, 0, 0xc6, 0x1b, 0x19, 0xe5,
		0, 0, 0, 0, 'I', 'D', 'A', 'T', 0x35, 0xaf, 0x06, 0x1e,
	};
	int64_t pixels = KS_QR_PIXELS_PER_MESSAGE;
	g_autofree char *why = NULL;
	g_autoptr(GPtrArray) none = ks_qr_decode_image(huge, sizeof huge, &pixels, &why);
	assert_int_equal(none->len, 0);
	assert_contains(why, "not decoded");
	assert_true(pixels == KS_QR_PIXELS_PER_MESSAGE);
	/* truncated and garbage pictures */
	static const guint8 jpeg_head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
	g_autoptr(GPtrArray) j = ks_qr_decode_image(jpeg_head, sizeof jpeg_head, NULL, NULL);
	assert_int_equal(j->len, 0);
	g_autoptr(GPtrArray) g = ks_qr_decode_image((const guint8 *)"\x89PNG\r\n\x1a\nxx", 10, NULL, NULL);
	assert_int_equal(g->len, 0);
	/* a PDF naming an image with no stream, and one with a lying /Length */
	static const char lie_pdf[] =
		"%PDF-1.4\n4 0 obj << /Subtype /Image /Width 100 /Height 100 /BitsPerComponent 8 "
		"/ColorSpace /DeviceGray /Length 999999 >>\nstream\nabc\nendstream endobj\n"
		"5 0 obj << /Subtype /Image /Width 64 >> endobj %%EOF";
	g_autoptr(GBytes) lie = g_bytes_new_static(lie_pdf, sizeof lie_pdf - 1);
	g_autoptr(ks_report) r = walk("application/pdf", "x.pdf", lie);
	assert_null(find_rule(r, KS_RULE_ATTACHMENT_QR_CODE));
	/* the message's budget runs out */
	picture p;
	if (!qr_picture(URL, &p))
		skip();
	g_autoptr(GBytes) png = to_png(&p);
	gsize n = 0;
	const guint8 *d = g_bytes_get_data(png, &n);
	int64_t small = (int64_t)p.w * p.h - 1;
	g_autofree char *spent = NULL;
	g_autoptr(GPtrArray) c = ks_qr_decode_image(d, n, &small, &spent);
	assert_int_equal(c->len, 0);
	assert_contains(spent, "budget");
	picture_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(png_and_jpeg_pictures),
		cmocka_unit_test(pdf_images_without_rendering),
		cmocka_unit_test(office_media_and_html_data_pictures),
		cmocka_unit_test(text_codes_are_metadata_not_findings),
		cmocka_unit_test(limits_and_broken_pictures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
