/* Payload analyzer: Windows shortcuts (MS-SHLLINK), parsed by hand through a bounds-checked cursor.
 * A row of the payload table in attachments.c (see attachments.h). */
#ifndef KS_LNK_H
#define KS_LNK_H

#include "attachments.h"

bool ks_lnk_accepts(const ks_attachment *a);
void ks_lnk_expand(ks_part_walk *w, ks_attachment *a, int depth);

#endif
