/* Analyzer: IOCs, timeline and the assessment, run last. */
#ifndef KS_SUMMARY_H
#define KS_SUMMARY_H

#include "context.h"
#include "message.h"
#include "report.h"

void ks_summary_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
