/* Payload analyzer: PDF documents (poppler-glib): metadata, active content, forged-document timeline, pasted low-resolution images.
 * A row of the payload table in attachments.c (see attachments.h). */
#ifndef KS_PDF_H
#define KS_PDF_H

#include "payloads/part_walk.h"

bool ks_pdf_accepts(const ks_attachment *a);
/* Loads what every document needs once (poppler's global parameters); the
 * analysis helper calls it before its filter, the first PDF otherwise. */
void ks_pdf_prepare(void);
void ks_pdf_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_pdf_payload;

#endif
