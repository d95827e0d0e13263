/* libFuzzer target for the Received parser and the date parser: any bytes,
 * NUL-terminated, must neither crash nor leak. */
#include "mail/dates.h"
#include "checks/routing.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = g_malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	ks_hop *hop = ks_hop_new();
	ks_received_parse(s, hop);
	/* A second parse into the same hop replaces every field. */
	ks_received_parse(s, hop);
	ks_hop_free(hop);

	GDateTime *t = ks_date_parse(s);
	if (t)
		g_date_time_unref(t);

	g_free(s);
	return 0;
}
