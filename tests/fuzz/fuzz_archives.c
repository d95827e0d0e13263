/* Fuzz target: analyzers/payloads/archives.c, bytes to attachment tree.  The input
 * is one attachment named by its first byte's choice of extension (so the
 * ISO, tar, 7z, gzip and VHD paths are all reached even when the magic is
 * broken), walked as ks_attachments_analyze walks a message's parts. */
#include "checks/analyze.h"
#include "payloads/attachments.h"

#include <stdint.h>

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
	static const char *const names[] = {"a.iso", "a.img", "a.7z", "a.rar", "a.cab",
	                                    "a.tar", "a.gz",  "a.vhd", "a.udf", "a.bin"};
	const char *name = names[size ? data[0] % G_N_ELEMENTS(names) : 0];
	ks_message m = {0};
	m.raw = g_bytes_new_static("", 0);
	m.headers = g_ptr_array_new();
	m.parts = g_ptr_array_new_with_free_func((GDestroyNotify)part_free);
	m.problems = g_ptr_array_new();
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->content_type = g_strdup("application/octet-stream");
	p->filename = g_strdup(name);
	p->data = g_bytes_new(data, size);
	g_ptr_array_add(m.parts, p);
	ks_report *r = ks_report_new();
	ks_attachments_walk(&m, NULL, r, ks_analyze_message);
	ks_report_free(r);
	g_ptr_array_unref(m.parts);
	g_ptr_array_unref(m.headers);
	g_ptr_array_unref(m.problems);
	g_bytes_unref(m.raw);
	return 0;
}
