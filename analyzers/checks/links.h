/* Analyzer: where the mail's links really go.  Every link of the report
 * (the body's, and those found in attachments: PDF /URI actions, HTML, SVG
 * and calendar attachments, QR codes) is unwrapped through security
 * gateways and open redirects, and judged by where it lands: free hosting
 * and app platforms, form services, shorteners, IP-literal and punycode
 * hosts, data: and javascript: URIs.  The places are data
 * (data/link_hosting.txt, link_forms.txt, link_shorteners.txt,
 * link_wrappers.txt, link_redirects.txt).  Nothing is ever fetched. */
#ifndef KS_LINKS_H
#define KS_LINKS_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

#include <stdbool.h>

/* Raises link.free_hosting, link.form_service, link.shortener,
 * link.ip_literal, link.punycode, link.script_uri and link.open_redirect
 * for r->links, each at the link's location, and adds the targets read out
 * of wrapped links as IOCs.  Runs after the body and attachment analyzers
 * have filled r->links. */
void ks_links_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

/* The target a chain of security-gateway wrappers and open redirects
 * carries inside href, with every layer removed (at most four), or NULL
 * when href wraps nothing readable.  *via_redirect (may be NULL) is set
 * when an open redirect was among the layers.  g_free. */
char *ks_link_unwrap(const char *href, bool *via_redirect);

#endif
