/* Payload analyzer for QR codes in pictures ("quishing"): a row of the
 * payload table in attachments.c.  Images are PNG and JPEG attachments and
 * inline images, the image XObjects of PDFs (read from the file's bytes,
 * never by rendering a page), the media of OOXML documents, and data:
 * images in HTML.  Pixels come from libpng and libjpeg, QR codes from
 * libzbar, all within pixel limits.  A QR code's URL joins the mail's
 * links at the picture's part (links.c judges where it goes) and raises
 * attachment.qr_code. */
#ifndef KS_QR_H
#define KS_QR_H

#include "payloads/part_walk.h"

/* Pixels one message may have decoded and scanned for QR codes: the walk's
 * budget (part_walk.h). */
#define KS_QR_PIXELS_PER_MESSAGE KS_PART_WALK_PIXELS

/* Whether libzbar could be opened (it is loaded on first use); without it
 * no code is read and ks_qr_scan_gray finds none. */
bool ks_qr_available(void);

/* The QR codes' contents (char*, UTF-8 as zbar gives them, unsanitized)
 * in 8-bit grey pixels, rows of w bytes; never NULL. */
GPtrArray *ks_qr_scan_gray(const guint8 *gray, int w, int h);

/* The QR codes in an encoded PNG or JPEG image; never NULL.  *pixels (the
 * pixels still allowed, may be NULL for no limit) is decreased by what was
 * decoded; an image past the limits is left alone and *skipped (may be
 * NULL) says why (g_free). */
GPtrArray *ks_qr_decode_image(const guint8 *data, gsize len, int64_t *pixels, char **skipped);

/* PNG or JPEG pictures, PDFs, OOXML packages, HTML (for data: images). */
bool ks_qr_accepts(const ks_attachment *a);
/* Decodes the pictures in the node, adds the QR codes' links to r->links
 * and raises attachment.qr_code. */
void ks_qr_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* The same over the data: images of an HTML body (location "body"). */
void ks_qr_scan_html(const char *html, gsize len, const char *location, ks_report *r);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_qr_payload;

#endif
