/* libFuzzer target for the picture and QR reader (qr.c): any bytes as a
 * picture, as a PDF whose image XObjects are read by hand, and as HTML
 * with data: pictures, must neither crash, hang nor leak. */
#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "payloads/qr.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void as_part(const uint8_t *data, size_t size, const char *type, const char *name)
{
	ks_message *m = ks_message_new(NULL, 0);
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->content_type = g_strdup(type);
	p->filename = g_strdup(name);
	p->data = g_bytes_new(data, size);
	g_ptr_array_add(m->parts, p);
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	ks_report_free(r);
	ks_message_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t pixels = KS_QR_PIXELS_PER_MESSAGE;
	g_ptr_array_unref(ks_qr_decode_image(data, size, &pixels, NULL));
	/* the same bytes behind a PDF header, so the XObject reader sees them */
	GByteArray *pdf = g_byte_array_new();
	g_byte_array_append(pdf, (const guint8 *)"%PDF-1.4\n", 9);
	g_byte_array_append(pdf, data, (guint)size);
	as_part(pdf->data, pdf->len, "application/pdf", "doc.pdf");
	g_byte_array_unref(pdf);
	ks_report *r = ks_report_new();
	ks_qr_scan_html((const char *)data, size, "body", r);
	ks_report_free(r);
	return 0;
}
