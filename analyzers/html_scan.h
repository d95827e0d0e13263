/* Payload analyzer: HTML attachments: scripts, forms, redirects, obfuscation.
 * A row of the payload table in attachments.c (see attachments.h). */
#ifndef KS_HTML_SCAN_H
#define KS_HTML_SCAN_H

#include "attachments.h"

bool ks_html_accepts(const ks_attachment *a);
void ks_html_expand(ks_part_walk *w, ks_attachment *a, int depth);

#endif
