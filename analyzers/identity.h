/* Analyzer: who sent it: identity.* rules, lookalike domains. */
#ifndef KS_IDENTITY_H
#define KS_IDENTITY_H

#include "context.h"
#include "message.h"
#include "report.h"

void ks_identity_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
