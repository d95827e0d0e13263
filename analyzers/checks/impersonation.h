/* Analyzer: senders who speak for someone they are not.
 *   identity.brand_impersonation: the display name, the subject, the HTML
 *     body's title or logo, the sender's own domain or address, or an
 *     attached page claims a brand (brands.h), and none of the sender's
 *     domains (From, Return-Path when SPF did not fail, DKIM d= when DKIM
 *     passed) is the brand's;
 *   identity.freemail_organisation: a free-mail address whose display name
 *     or signature speaks as a bank, an authority, a service desk or a
 *     company.
 * Reads what the headers, body, auth and attachments analyzers left in the
 * report. */
#ifndef KS_IMPERSONATION_H
#define KS_IMPERSONATION_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_impersonation_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
