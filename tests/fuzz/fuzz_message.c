/* Fuzz target: the whole message path, bytes to report (message parsing and
 * every analyzer), as `kensa analyze` runs it on a file. */
#include "checks/analyze.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) raw = g_bytes_new(data, size);
	GError *err = NULL;
	ks_report *r = ks_analyze_bytes(raw, "fuzz", "eml", NULL, &err);
	ks_report_free(r);
	g_clear_error(&err);
	return 0;
}
