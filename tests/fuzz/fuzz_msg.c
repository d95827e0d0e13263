/* Fuzz target: Outlook .msg bytes through the parse entry (which hands them
 * to ks_msg_parse, then parses the messages attached) and, when they give
 * a message, every analyzer over it, as `kensa analyze x.msg` will run. */
#include "checks/analyze.h"
#include "mail/msg.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

/* as in fuzz_office.c: libgsf 1.14.50 leaks the directory entries of a
 * compound file it rejects; the slow unwinder lets the suppression see it */
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
	g_autoptr(GBytes) raw = g_bytes_new(data, size);
	if (!ks_msg_sniff(raw))
		return 0; /* MIME is fuzz_message's */
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL);
	if (!m)
		return 0;
	ks_context *ctx = ks_context_new();
	ks_report *r = ks_report_new();
	ks_analyze_message(m, ctx, r);
	ks_report_free(r);
	ks_context_free(ctx);
	return 0;
}
