/* Fuzz target: the writers' text handling (analyzers/output/writers.c,
 * markdown.c) and the stored-report reader (report_read.c) on any bytes.
 * Invariants: defanged text holds no http:// or https:// that starts a
 * word (an autolinker would take it); a report read back and written again
 * reads back the same (the round trip settles after one pass). */
#include "output/markdown.h"
#include "output/writers.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_live_scheme(const char *s)
{
	static const char *const schemes[] = {"http://", "https://"};
	for (size_t k = 0; k < 2; k++)
		for (const char *p = strcasestr(s, schemes[k]); p; p = strcasestr(p + 1, schemes[k]))
			if (p == s || !isalnum((unsigned char)p[-1]))
				abort(); /* a fuzz target reports a broken invariant by crashing */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = g_strndup((const char *)data, size);
	char *text = g_utf8_make_valid(raw, -1);
	char *defanged = ks_defang_text(text);
	no_live_scheme(defanged);
	GString *md = g_string_new(NULL);
	ks_md_text(md, text, true);
	ks_md_code(md, text, true);
	g_string_free(md, TRUE);

	ks_report *r = ks_report_from_json(raw, NULL);
	if (r) {
		char *once = ks_report_to_json(r, false);
		ks_report *back = ks_report_from_json(once, NULL);
		if (!back)
			abort();
		char *twice = ks_report_to_json(back, false);
		if (strcmp(once, twice) != 0)
			abort();
		char *t = ks_report_to_text(back);
		char *m = ks_report_to_markdown(back);
		g_free(t);
		g_free(m);
		g_free(once);
		g_free(twice);
		ks_report_free(back);
		ks_report_free(r);
	}
	g_free(defanged);
	g_free(text);
	g_free(raw);
	return 0;
}
