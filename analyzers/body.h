/* Analyzer: body text and links, html.link_text_mismatch. */
#ifndef KS_BODY_H
#define KS_BODY_H

#include "context.h"
#include "message.h"
#include "report.h"

void ks_body_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
