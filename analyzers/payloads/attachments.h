/* Analyzer: the part tree: types, hashes, zip children, attachment.* rules;
 * embedded messages.  The walk's interface for the payload analyzers is
 * part_walk.h; this is the table of them and the walk itself. */
#ifndef KS_ATTACHMENTS_H
#define KS_ATTACHMENTS_H

#include "core/context.h"
#include "mail/message.h"
#include "payloads/part_walk.h"
#include "core/report.h"
#include "core/wire.h"

/* How the walk has an embedded message analysed: the whole pipeline into
 * inner (analyze.c passes ks_analyze_message), so that the walk never calls
 * up into the pipeline that runs it. */
typedef void (*ks_inner_analyze_fn)(const ks_message *m, const ks_context *ctx, ks_report *inner);

/* Every attachment of m, each with all it holds: in the analysis helper
 * when ctx->limits names one (helper.h), within its CPU and memory budget,
 * else in this process.  An attached message is analysed with inner, and
 * its attachments, findings and indicators are copied up (NULL: listed,
 * not analysed). */
void ks_attachments_walk(const ks_message *m, const ks_context *ctx, ks_report *r,
                         ks_inner_analyze_fn inner);

/* The attachment job as the helper runs it: one attachment of a message
 * (request written by attachments.c), its node and what its analysis added
 * to the report in the reply.  False when the request is damaged. */
bool ks_attachments_job(ks_wire_in *request, ks_wire_out *reply);

/* libmagic's MIME type for bytes (judged on the first 1 MiB), lower case,
 * or NULL when libmagic is unavailable; g_free.  Safe on any thread. */
char *ks_part_sniff_type(const void *data, gsize len);

#endif
