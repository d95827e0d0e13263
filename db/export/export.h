/* Case exports for sharing: Markdown and HTML summaries a colleague reads,
 * JSON for scripts, STIX 2.1 bundles and MISP events for the platforms
 * teams already run.  Optionally redacted on the data before any format is
 * written (redact.h: victims masked, attackers whole or, for publication,
 * masked too) and marked with a TLP 2.0 level.  Built from the store and
 * the stored reports (read back typed) only. */
#ifndef KS_EXPORT_H
#define KS_EXPORT_H

#include "export/redact.h"
#include "store.h"

typedef enum {
	KS_EXPORT_MARKDOWN,
	KS_EXPORT_HTML,
	KS_EXPORT_JSON,
	KS_EXPORT_STIX,
	KS_EXPORT_MISP,
} ks_export_format;

typedef struct {
	ks_export_format format;
	ks_redact_level redact;
	const char *tlp; /* "clear" | "green" | "amber" | "red", or NULL: the case's */
	bool japanese;   /* Markdown and HTML in Japanese, in the shape of a J-CSIP case
	                    write-up (the messages must be Japanese too: LC_MESSAGES) */
} ks_export_options;

bool ks_export_format_parse(const char *name, ks_export_format *out);
bool ks_export_tlp_valid(const char *tlp);

/* The export of case id as text (g_free); NULL with error. */
char *ks_case_export(ks_store *s, int64_t id, const ks_export_options *opt, GError **error);

#endif
