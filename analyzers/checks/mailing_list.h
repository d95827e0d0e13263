/* Analyzer: what a mailing list, a bulk sender or a forwarder wrote into the
 * header (r->list), and the questions other analyzers ask about it. */
#ifndef KS_MAILING_LIST_H
#define KS_MAILING_LIST_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_mailing_list_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

/* The header names a mailing list (List-Id, List-Post, X-BeenThere,
 * Mailing-List or X-Mailing-List). */
bool ks_mailing_list_present(const ks_report *r);
/* Mail sent to many: a mailing list, a List-* field of RFC 2369
 * (List-Unsubscribe, List-Help ...) or Precedence bulk/list/junk. */
bool ks_mailing_list_bulk(const ks_report *r);
/* address is the list's own: one of its addresses, or the List-Id's
 * identifier with '@' read as '.' (RFC 2919's list-label.domain). */
bool ks_mailing_list_is_address(const ks_report *r, const char *address);
/* org (a registrable domain) is where the list lives: the domain of one of its
 * addresses or of its List-Id. */
bool ks_mailing_list_is_domain(const ks_report *r, const char *org);
/* org is the domain of an ARC-Seal's signer (RFC 8617): a forwarder that
 * says it passed the mail on. */
bool ks_mailing_list_is_arc_signer(const ks_report *r, const char *org);

#endif
