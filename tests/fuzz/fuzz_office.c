/* Fuzz target: Office documents (OOXML, OLE2 with VBA, RTF) as one
 * attachment of an otherwise empty message, through the attachment walk
 * that runs office.c (and whatever its children lead to), so the walk's
 * budget and nesting limits are the real ones. */
#include "checks/analyze.h"
#include "payloads/attachments.h"
#include "payloads/views.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

/* libgsf 1.14.50's gsf_infile_msole_new leaks the directory entries of a
 * compound file whose directory it rejects (a few dozen bytes per broken
 * file, inside the library); only that is suppressed, so leaks of kensa's
 * own are still found.  libgsf has no frame pointers: the suppression sees
 * the allocating call only with the slow unwinder. */
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:gsf_infile_msole_new\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ks_mime_part part = {
		.path = (char *)"2",
		.content_type = (char *)"application/octet-stream",
		.filename = (char *)"fuzz.doc",
		.data = g_bytes_new(data, size),
	};
	ks_mime_part *parts[] = {&part};
	GPtrArray list = {.pdata = (gpointer *)parts, .len = 1};
	ks_message m = {.parts = &list};
	ks_context *ctx = ks_context_new();
	ks_report *r = ks_report_new();
	ks_attachments_walk(&m, ctx, r, ks_analyze_message);
	/* the workbench's decoded views of it: macro source, contents */
	for (guint i = 0; i < r->attachments->len; i++)
		g_ptr_array_unref(ks_part_views(r->attachments->pdata[i], ctx));
	ks_report_free(r);
	ks_context_free(ctx);
	g_bytes_unref(part.data);
	return 0;
}
