/* libFuzzer target for the shortcut parser (analyzers/payloads/lnk.c, cursor.c):
 * any bytes must parse or fail cleanly, never crash, overread or leak, and
 * the derived target and command line must be computable from any parse. */
#include "payloads/lnk.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	ks_lnk *l = ks_lnk_parse(data, size, &err);
	if (!l) {
		g_clear_error(&err);
		return 0;
	}
	g_free(ks_lnk_target(l));
	g_free(ks_lnk_command_line(l));
	ks_lnk_free(l);
	return 0;
}
