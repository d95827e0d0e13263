/* Analyzer: IOCs, timeline and the assessment, run last. */
#ifndef KS_SUMMARY_H
#define KS_SUMMARY_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_summary_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

/* Reads every row of data/score_weights.txt as the score does; a row that
 * does not read (an unknown rule id, a bad severity or number) is appended
 * to problems.  Returns the number of rows. */
int ks_summary_weights_check(GString *problems);

#endif
