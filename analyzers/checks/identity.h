/* Analyzer: who sent it: identity.* rules, lookalike domains. */
#ifndef KS_IDENTITY_H
#define KS_IDENTITY_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

/* True when the registrable domain org is a free-mail provider's
 * (freemail_domains.txt): anyone's mailbox, never a lookalike registration. */
bool ks_identity_is_freemail(const char *org);

void ks_identity_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
