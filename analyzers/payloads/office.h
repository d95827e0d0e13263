/* Payload analyzer: Office documents: OOXML (libzip) and OLE2 (libgsf) macros, remote templates.
 * A row of the payload table in attachments.c (see attachments.h). */
#ifndef KS_OFFICE_H
#define KS_OFFICE_H

#include "payloads/part_walk.h"

bool ks_office_accepts(const ks_attachment *a);
void ks_office_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* The VBA source of an OLE2 document or an OOXML package's vbaProject.bin,
 * one ks_kv per module (name, source decompressed as MS-OVBA 2.4.1 says and
 * read in the project's code page), for a reader to see; nothing is run.
 * What was malformed is added to problems (char*) when it is given.  Never
 * NULL (ks_kv_free frees an element). */
GPtrArray *ks_office_macro_sources(GBytes *data, GPtrArray *problems);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_office_payload;

#endif
