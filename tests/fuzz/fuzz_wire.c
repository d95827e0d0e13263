/* libFuzzer target for analyzers/core/wire.c's reader: what an analysis helper
 * sends back is read like attacker data (the helper read attacker data),
 * so any bytes as a reply structure, with the same bytes as its one blob,
 * go through the readers of attachment trees, addresses, times and
 * strings.  Must neither crash, hang nor leak. */
#include "core/wire.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ks_wire_in in = {0};
	in.data = g_bytes_new(data, size);
	in.blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_ptr_array_add(in.blobs, g_bytes_ref(in.data));
	ks_cursor_init(&in.cur, g_bytes_get_data(in.data, NULL), size);

	ks_attachment *a = ks_wire_get_attachment(&in, 1000);
	ks_attachment_free(a);
	GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)ks_address_free);
	ks_wire_get_address_list(&in, list);
	g_ptr_array_unref(list);
	for (int i = 0; i < 8; i++) {
		GDateTime *t = NULL;
		char *s = NULL;
		GBytes *b = NULL;
		if (!ks_wire_get_time(&in, &t) || !ks_wire_get_str(&in, &s) || !ks_wire_get_bytes(&in, &b))
			i = 8;
		if (t)
			g_date_time_unref(t);
		g_free(s);
		if (b)
			g_bytes_unref(b);
	}
	ks_wire_in_clear(&in);
	return 0;
}
