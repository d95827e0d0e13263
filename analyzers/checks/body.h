/* Analyzer: body text and links, html.link_text_mismatch. */
#ifndef KS_BODY_H
#define KS_BODY_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_body_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
