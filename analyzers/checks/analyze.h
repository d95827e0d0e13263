/* The analyzer table and the one entry that turns bytes into a report.
 * Each analyzer is a function of (message, context) that adds to a report;
 * the list lives in analyze.c, run in order. */
#ifndef KS_ANALYZE_H
#define KS_ANALYZE_H

#include "core/context.h"
#include "core/error.h"
#include "mail/message.h"
#include "core/report.h"

typedef void (*ks_analyzer_fn)(const ks_message *m, const ks_context *ctx, ks_report *r);

typedef struct {
	const char *name;
	ks_analyzer_fn fn;
} ks_analyzer;

/* Runs every analyzer over a parsed message and fills r (which carries the
 * source fields already).  Used for top-level and embedded messages alike. */
void ks_analyze_message(const ks_message *m, const ks_context *ctx, ks_report *r);

/* Parses raw bytes and analyses them.  path and format go to report.source.
 * NULL with error set when the bytes are not a message. */
ks_report *ks_analyze_bytes(GBytes *raw, const char *path, const char *format,
                            const ks_context *ctx, GError **error);

/* Reads a file and analyses it (.eml; an mbox gives its first message). */
ks_report *ks_analyze_file(const char *path, const ks_context *ctx, GError **error);

#endif
