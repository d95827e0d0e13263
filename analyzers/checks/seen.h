/* attachment.seen_before: an attachment of this message is in an earlier
 * case (the context's known attachments, loaded from the case store by the
 * caller): the same sha256, or the same file name and size, which is all an
 * encrypted archive entry offers. */
#ifndef KS_SEEN_H
#define KS_SEEN_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_seen_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
