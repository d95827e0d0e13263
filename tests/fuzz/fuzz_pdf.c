/* libFuzzer target for analyzers/payloads/pdf.c and analyzers/mail/quoted_times.c: any
 * bytes as a PDF attachment of a message whose body is the same bytes as
 * text (so the quoted-header times are read too), through the attachment
 * walk as `kensa analyze` runs it.  Must neither crash, hang nor leak. */
#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "mail/quoted_times.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void part_free(ks_mime_part *p)
{
	g_free(p->path);
	g_free(p->content_type);
	g_free(p->filename);
	if (p->data)
		g_bytes_unref(p->data);
	g_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ks_message m = {0};
	m.raw = g_bytes_new_static("", 0);
	m.headers = g_ptr_array_new();
	m.parts = g_ptr_array_new_with_free_func((GDestroyNotify)part_free);
	m.problems = g_ptr_array_new_with_free_func(g_free);
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->content_type = g_strdup("application/pdf");
	p->filename = g_strdup("fuzz.pdf");
	p->data = g_bytes_new(data, size);
	g_ptr_array_add(m.parts, p);

	ks_report *r = ks_report_new();
	r->body_text = g_strndup((const char *)data, MIN(size, (size_t)65536));
	r->date = g_date_time_new_utc(2024, 12, 11, 0, 12, 40);
	g_ptr_array_add(r->from, ks_address_new(NULL, "a@koganne-parts.co.jp"));
	ks_context *ctx = ks_context_new();
	g_autoptr(GDateTime) reg = g_date_time_new_utc(2024, 12, 10, 6, 0, 0);
	ks_context_add_registration(ctx, "koganne-parts.co.jp", reg, "fuzz");

	ks_attachments_walk(&m, ctx, r, ks_analyze_message);
	GPtrArray *times = ks_quoted_times_extract(r->body_text, r->date);
	g_ptr_array_unref(times);

	ks_context_free(ctx);
	ks_report_free(r);
	g_bytes_unref(m.raw);
	g_ptr_array_unref(m.headers);
	g_ptr_array_unref(m.parts);
	g_ptr_array_unref(m.problems);
	return 0;
}
