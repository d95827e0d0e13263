/* Payload analyzer: disk images and archives through libarchive (ISO 9660/Joliet/Rock Ridge/UDF, 7z, RAR, CAB, TAR, GZ).
 * A row of the payload table in attachments.c (see attachments.h). */
#ifndef KS_ARCHIVES_H
#define KS_ARCHIVES_H

#include "payloads/part_walk.h"

bool ks_archives_accepts(const ks_attachment *a);
void ks_archives_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_archives_payload;

#endif
