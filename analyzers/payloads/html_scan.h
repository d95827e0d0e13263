/* The page scanner for HTML bodies and HTML attachments: scripts, forms,
 * frames, redirects, data: URIs, obfuscation, the recipient's address in
 * the page, the imitated brand and the logo it fetches.  It reads a page
 * and writes the report; it knows nothing of the attachment walk (body.c
 * calls it on the HTML body, html_attachment.c on attached pages). */
#ifndef KS_HTML_SCAN_H
#define KS_HTML_SCAN_H

#include "core/context.h"
#include "core/report.h"

#include <libxml/HTMLparser.h>

/* Scans UTF-8 HTML: raises html.remote_script, html.credential_form and
 * html.obfuscated_script at location ("body", "part:PATH"), adds script,
 * form, frame, refresh and redirect URLs and hosts as IOCs and, when
 * meta_target is given, html_* metadata on that node.  r->to (the
 * recipients) is looked for in the page.  Never fails on bad input. */
void ks_html_scan(const char *html, gsize len, const char *location, const ks_context *ctx,
                  ks_report *r, ks_attachment *meta_target);

/* HTML past this many bytes is not scanned (ks_html_scan cuts it). */
#define KS_HTML_SCAN_BYTES_MAX (16 * 1024 * 1024)

/* ks_html_scan over doc, the caller's ks_html_parse of html[0..len) with
 * len at most KS_HTML_SCAN_BYTES_MAX (the body analyzer parses the body
 * once for its text and for this); doc is only read, and may be NULL. */
void ks_html_scan_doc(htmlDocPtr doc, const char *html, gsize len, const char *location,
                      const ks_context *ctx, ks_report *r, ks_attachment *meta_target);

/* What the scan decodes in a page (base64 and %XX blobs, data: URIs,
 * strings joined by "+", char codes, reversed strings), one ks_kv per
 * layer in the order found: key says how it was hidden ("joined strings",
 * "a data: URI"), value what it decodes to, as bytes read (not sanitized).
 * Nothing is run.  Never NULL (ks_kv_free frees an element). */
GPtrArray *ks_html_decoded_layers(const char *html, gsize len);

/* The first place needle (ASCII, case-insensitive) is in hay[0..len), or
 * NULL. */
const char *ks_html_find_ci(const char *hay, gsize len, const char *needle);

#endif
