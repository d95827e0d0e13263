/* Fuzz target: the Authentication-Results parser (analyzers/checks/auth.c) on any
 * bytes, as a NUL-terminated header value.  Checks that every result it
 * keeps is one of SPEC.md's words. */
#include "checks/auth.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_word(const char *w)
{
	static const char *const words[] = {
		"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror",
	};
	if (!w)
		return;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(w, words[i]) == 0)
			return;
	abort(); /* a fuzz target reports a broken invariant by crashing */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = g_strndup((const char *)data, size);
	ks_authres a;
	ks_authres_parse(value, &a);
	check_word(a.spf);
	check_word(a.dkim);
	check_word(a.dmarc);
	ks_authres_clear(&a);
	g_free(value);
	return 0;
}
