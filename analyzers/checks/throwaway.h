/* Analyzer: throwaway senders, identity.random_sender and
 * identity.platform_sender (a From address on a cloud platform's default
 * domain, data/sender_platforms.txt).  The From address's
 * local part and the labels of its domain are read for the marks of a
 * name made by a generator rather than chosen by a person or a company:
 * letters and digits alternating ("78prni3xfg"), long consonant runs
 * ("sdhfgsdfhsdf"), letter pairs no language uses ("qrvfj"), capitals at
 * random ("DhqXWtgoHnIZCEs"), long digit runs in a company address
 * ("comunicado601749@").  A cheap, much-abused TLD (data/abused_tlds.txt)
 * makes a random name worse; alone it is nothing. */
#ifndef KS_THROWAWAY_H
#define KS_THROWAWAY_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

/* Why one part of an address or a domain label looks machine-made ("letters
 * and digits alternate 4 times"), or NULL; g_free.  Exposed for tests. */
char *ks_throwaway_why(const char *part);

/* True when domain is under a cloud platform's default domain
 * (data/sender_platforms.txt: "x.firebaseapp.com", "t.onmicrosoft.com"). */
bool ks_throwaway_platform(const char *domain);

void ks_throwaway_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
