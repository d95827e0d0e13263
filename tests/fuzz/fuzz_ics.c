/* libFuzzer target for the calendar reader (ics.c): any bytes as an .ics
 * file, read on their own and through the attachment row (links, inline
 * files as children, the finding), must neither crash, hang nor leak. */
#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "payloads/ics.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ks_ics_free(ks_ics_read((const char *)data, size));

	ks_message *m = ks_message_new(NULL, 0);
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->content_type = g_strdup("text/calendar");
	p->filename = g_strdup("invite.ics");
	p->data = g_bytes_new(data, size);
	g_ptr_array_add(m->parts, p);
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new("Organiser", "organiser@corp.example"));
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	ks_report_free(r);
	ks_message_free(m);
	return 0;
}
