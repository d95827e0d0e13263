/* The report writers: text (the terminal default), JSON (SPEC.md "The
 * report") and Markdown (for tickets), chosen from one table in writers.c.
 * Also the small formatting helpers the TUI and the exports share with them,
 * so a delay or a defanged IOC reads the same everywhere. */
#ifndef KS_WRITERS_H
#define KS_WRITERS_H

#include "core/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { KS_FORMAT_TEXT, KS_FORMAT_JSON, KS_FORMAT_MARKDOWN } ks_format;

/* "text" | "json" | "markdown" -> *out; false for any other name. */
bool ks_format_parse(const char *name, ks_format *out);
/* The format's name ("text" ...). */
const char *ks_format_name(ks_format fmt);

/* Writes one report to out.  JSON is a single line followed by a newline,
 * so several reports (an mbox) make JSON Lines.  Check ferror(out) after. */
void ks_report_write(const ks_report *r, ks_format fmt, FILE *out);

/* The report as a JSON string (g_free), for the case DB and tests.
 * Not pretty: one line, no trailing newline. */
char *ks_report_to_json(const ks_report *r, bool pretty);
/* The report back from that JSON ("kensa.report/1"), typed; NULL with error
 * when json is not one.  Strings are sanitized again on the way in. */
ks_report *ks_report_from_json(const char *json, GError **error);
/* The terminal report: summary, findings by severity, then the details;
 * inner (forwarded) messages come first.  g_free. */
char *ks_report_to_text(const ks_report *r);
/* The same as a Markdown document for a ticket, IOCs defanged.  g_free. */
char *ks_report_to_markdown(const ks_report *r);

/* An IOC made safe to paste where text becomes links: "hxxp://evil[.]com/x",
 * "1[.]2[.]3[.]4", "user[@]evil[.]com".  Hashes and file names are returned
 * unchanged.  NULL for NULL; g_free. */
char *ks_defang(const char *value, ks_ioc_kind kind);

/* Free text with every URL, e-mail address, domain name and IP address in
 * it defanged as ks_defang does (so no renderer's autolinker makes a link
 * of it: GFM's extended autolinks, a ticket system's linkifier); the rest
 * is unchanged.  A domain is a dotted name whose last labels are a public
 * suffix (libpsl).  NULL for NULL; g_free. */
char *ks_defang_text(const char *text);

/* A signed hop delay, compact: "+5s", "-4m05s", "-2h03m", "+1d02h", "0s". */
char *ks_delay_format(int64_t seconds);

/* Appends s and spaces up to cols terminal columns (a wide character
 * takes two, a combining mark none): a label column that stays aligned in
 * any language ("%-12s" counts bytes). */
void ks_append_padded(GString *o, const char *s, int cols);

/* IPA's name for a BEC type 1..5 (SPEC.md); "none" for 0 or out of range.
 * English, as stored; _() of it for a person (i18n.h). */
const char *ks_bec_type_name(int bec_type);

/* The report's findings, highest severity first, ties in report order.
 * The array does not own the findings; g_ptr_array_unref when done. */
GPtrArray *ks_report_findings_by_severity(const ks_report *r);

#endif
