/* content.phishing_lure: the lures of credential phishing and scams
 * (account locked, unusual sign-in, parcel fee, prize, sextortion ...) with a
 * call to act, in the languages of data/lures_<lang>.txt.  Run by the
 * content analyzer on the subject and body texts it has folded. */
#ifndef KS_PHISHING_H
#define KS_PHISHING_H

#include "checks/lures.h"
#include "core/report.h"

/* Adds content.phishing_lure to r when subject and body (folded from
 * r->subject and r->body_text) carry a lure as phishing.c describes. */
void ks_phishing_check(ks_report *r, const ks_lure_text *subject, const ks_lure_text *body);

#endif
