/* Analyzer: the part tree: types, hashes, zip children, attachment.* rules; embedded messages. */
#ifndef KS_ATTACHMENTS_H
#define KS_ATTACHMENTS_H

#include "context.h"
#include "message.h"
#include "report.h"

void ks_attachments_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

/* libmagic's MIME type for bytes (judged on the first 1 MiB), lower case,
 * or NULL when libmagic is unavailable; g_free.  Safe on any thread. */
char *ks_part_sniff_type(const void *data, gsize len);

#endif
