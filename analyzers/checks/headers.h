/* Analyzer: message fields, every header decoded, display.control_characters. */
#ifndef KS_HEADERS_H
#define KS_HEADERS_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_headers_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
