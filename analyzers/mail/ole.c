/* OLE2 compound files through libgsf (see ole.h).  Here lives only the
 * access layer: libgsf's set-up, opening from memory, children with their
 * errors returned instead of printed, bounded reads.  No storage or stream
 * is interpreted here. */
#include "mail/ole.h"

#include <gsf/gsf-infile-impl.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>
#include <string.h>

/* [MS-CFB] 2.2: the compound file header signature */
static const guint8 ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* children looked at when searching a storage by name */
#define MAX_NAMED_SCAN 4096

bool ks_ole_sniff(const void *data, gsize len)
{
	return data && len >= sizeof ole_magic && memcmp(data, ole_magic, sizeof ole_magic) == 0;
}

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                     gpointer unused)
{
	(void)domain;
	(void)level;
	(void)message;
	(void)unused;
}

/* Once per process: libgsf's own set-up, and the g_return_if_fail()
 * complaints of its compound-file reader (broken block chains) and of its
 * inputs (reads past a truncated stream) silenced: the callers report
 * broken files as input.malformed from the errors returned; printed, the
 * complaints would land on the TUI's screen. */
static gpointer gsf_setup(gpointer unused)
{
	(void)unused;
	gsf_init();
	static const char *const domains[] = {"libgsf:msole", "libgsf"};
	for (size_t i = 0; i < G_N_ELEMENTS(domains); i++)
		g_log_set_handler(domains[i], G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, drop_log,
		                  NULL);
	return NULL;
}

GsfInfile *ks_ole_open(GBytes *data, GError **error)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, gsf_setup, NULL);
	gsize len = 0;
	const guint8 *p = data ? g_bytes_get_data(data, &len) : NULL;
	if (!ks_ole_sniff(p, len)) {
		g_set_error_literal(error, g_quark_from_static_string("ks-ole"), 1,
		                    "not an OLE2 compound file");
		return NULL;
	}
	/* no copy: the input is dropped with the infile, which the caller
	 * keeps no longer than data */
	g_autoptr(GsfInput) in = gsf_input_memory_new(p, (gsf_off_t)len, FALSE);
	return gsf_infile_msole_new(in, error);
}

/* Through the class method, as gsf_infile_child_by_index does, but with the
 * error returned instead of printed with g_warning(). */
GsfInput *ks_ole_child_at(GsfInfile *dir, int i, GError **error)
{
	GsfInfileClass *klass = GSF_INFILE_CLASS(G_OBJECT_GET_CLASS(dir));
	return klass->child_by_index(dir, i, error);
}

GsfInput *ks_ole_child_named(GsfInfile *dir, const char *name)
{
	int n = gsf_infile_num_children(dir);
	for (int i = 0; i < n && i < MAX_NAMED_SCAN; i++) {
		const char *child = gsf_infile_name_by_index(dir, i);
		if (child && strcmp(child, name) == 0) {
			g_autoptr(GError) err = NULL;
			return ks_ole_child_at(dir, i, &err);
		}
	}
	return NULL;
}

bool ks_ole_is_storage(GsfInput *in)
{
	return GSF_IS_INFILE(in) && gsf_infile_num_children(GSF_INFILE(in)) >= 0;
}

GBytes *ks_ole_read(GsfInput *in, gsize limit, bool prefix)
{
	gsf_off_t size = gsf_input_size(in);
	if (size > 0 && (guint64)size > limit && prefix)
		size = (gsf_off_t)limit;
	if (size <= 0 || (guint64)size > limit)
		return NULL;
	guint8 *buf = g_malloc((gsize)size);
	if (!gsf_input_seek(in, 0, G_SEEK_SET) && gsf_input_read(in, (size_t)size, buf))
		return g_bytes_new_take(buf, (gsize)size);
	g_free(buf);
	return NULL;
}
