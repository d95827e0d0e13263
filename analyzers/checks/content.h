/* Analyzer: lures in the text: content.payment_change, content.confidential_request,
 * content.information_request, content.phishing_lure (phishing.c). */
#ifndef KS_CONTENT_H
#define KS_CONTENT_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_content_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
