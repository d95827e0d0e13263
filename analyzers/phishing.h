/* Analyzer: content.phishing_lure, the lures of credential phishing and scams
 * (account locked, unusual sign-in, parcel fee, prize, sextortion ...) with a
 * call to act, in the languages of data/lures_<lang>.txt. */
#ifndef KS_PHISHING_H
#define KS_PHISHING_H

#include "context.h"
#include "message.h"
#include "report.h"

void ks_phishing_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
