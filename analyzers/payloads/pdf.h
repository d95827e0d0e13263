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

/* A PDF as a reader sees it, for the workbench's decoded view: each page's
 * text as poppler lays it out (a "── page N ──" line before each) into
 * text, and every link and screen annotation's action ("page 2  link  URI
 * https://...") into links; what stopped it into problems.  It reads the
 * whole content stream, which a crafted page can make endless: call it
 * only where a budget holds (the analysis helper).  Nothing is run or
 * fetched. */
#define KS_PDF_READING_MAX_PAGES 100
#define KS_PDF_READING_MAX_BYTES (1024 * 1024)
void ks_pdf_reading(GBytes *data, const char *password, GString *text, GString *links,
                    GString *problems);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_pdf_payload;

#endif
