/* Payload analyzer: Office documents: OOXML (libzip) and OLE2 (libgsf) macros, remote templates.
 * A row of the payload table in attachments.c (see attachments.h). */
#ifndef KS_OFFICE_H
#define KS_OFFICE_H

#include "payloads/part_walk.h"

bool ks_office_accepts(const ks_attachment *a);
void ks_office_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_office_payload;

#endif
