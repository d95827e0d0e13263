/* libFuzzer target for the SVG reader (svg.c): any bytes as an SVG image,
 * read on their own and through the attachment row, must neither crash,
 * hang nor leak, and no entity is ever expanded or fetched. */
#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "payloads/svg.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ks_svg_free(ks_svg_scan((const char *)data, size));

	ks_message *m = ks_message_new(NULL, 0);
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->content_type = g_strdup("image/svg+xml");
	p->filename = g_strdup("image.svg");
	p->data = g_bytes_new(data, size);
	g_ptr_array_add(m->parts, p);
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	ks_report_free(r);
	ks_message_free(m);
	return 0;
}
