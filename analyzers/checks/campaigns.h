/* Analyzer: campaign.cosmic_lynx, campaign.localized_ceo_fraud. */
#ifndef KS_CAMPAIGNS_H
#define KS_CAMPAIGNS_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_campaigns_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
