/* Payload analyzer: HTML attachments and HTML bodies: scripts, forms,
 * frames, redirects, data: URIs, obfuscation, the recipient's address in
 * the page, the imitated brand and the logo it fetches.  accepts/expand are
 * a row of the payload table in attachments.c (see attachments.h); body.c
 * calls ks_html_scan on the HTML body. */
#ifndef KS_HTML_SCAN_H
#define KS_HTML_SCAN_H

#include "attachments.h"

#include <libxml/HTMLparser.h>

/* HTML or SVG by libmagic type, declared type, file name or first bytes. */
bool ks_html_accepts(const ks_attachment *a);
/* Decodes the attachment to UTF-8 (BOM, part charset, <meta>, guess), runs
 * ks_html_scan on it and checks its links (html.link_text_mismatch). */
void ks_html_expand(ks_part_walk *w, ks_attachment *a, int depth);

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

#endif
