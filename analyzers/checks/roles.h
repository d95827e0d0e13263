/* Whose each IOC is (report.h ks_ioc_role), decided once, after the IOCs are
 * collected, from the report and the context: the victims are the protected
 * domains, the recipients' organisations and the known contacts; internal
 * are private addresses and the receiving side's relays; benign is the
 * shared infrastructure of analyzers/data/benign_infrastructure.txt, the
 * free-mail providers as domains, and what the analyst allowed; the rest
 * is what the mail brought: the attacker's.  The exports block only that. */
#ifndef KS_ROLES_H
#define KS_ROLES_H

#include "core/context.h"
#include "core/report.h"

/* Sets the role of every IOC of r (not of its nested messages: each of those
 * had its own run). */
void ks_roles_assign(ks_report *r, const ks_context *ctx);

/* True when host (a domain or host name) or ip (an address) is benign
 * infrastructure by the data file or the context's allow list.  Either may
 * be NULL. */
bool ks_roles_is_benign(const ks_context *ctx, const char *host, const char *ip);

#endif
