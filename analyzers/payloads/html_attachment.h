/* Payload analyzer: HTML and SVG attachments, a row of the payload table in
 * attachments.c (see attachments.h).  The page scan itself is html_scan.h's. */
#ifndef KS_HTML_ATTACHMENT_H
#define KS_HTML_ATTACHMENT_H

#include "payloads/part_walk.h"

/* HTML or SVG by libmagic type, declared type, file name or first bytes. */
bool ks_html_accepts(const ks_attachment *a);
/* Decodes the attachment to UTF-8 (BOM, part charset, <meta>, guess), runs
 * ks_html_scan on it and checks its links (html.link_text_mismatch). */
void ks_html_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_html_payload;

#endif
