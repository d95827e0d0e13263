/* Where a PDF's pages draw their images, read without drawing anything: a
 * bounded reader of PDF objects (found by their "N G obj" headers, the way
 * a reader rebuilds a damaged cross-reference table) and of page content
 * streams, of which only the operators q, Q, cm, Do and inline images
 * (BI ... ID ... EI) mean anything here.  Shadings, text and paths are read
 * past, never evaluated, and no image is decoded: a page built to make a
 * renderer spin costs this reader no more than its bytes.  pdf.c uses it
 * for pdf.low_resolution_image; rendering and poppler are not involved. */
#ifndef KS_PDF_PAGE_H
#define KS_PDF_PAGE_H

#include <glib.h>
#include <stdbool.h>

/* Limits on one document (DESIGN.md "every parser has limits"), beside
 * the count of tokens read in pdf_page.c: content stream bytes decoded for
 * the whole document (a page of a scanned book is under 1 MiB of content;
 * its images are not content) */
#define KS_PDF_PAGE_MAX_CONTENT_BYTES (32 * 1024 * 1024)
/* form XObjects nested inside one another (poppler's Gfx stops at 100;
 * real documents nest two or three).  A form drawing the next one four
 * times, forty levels deep, would draw 4^40 images: the token count ends
 * it long before. */
#define KS_PDF_PAGE_MAX_FORM_DEPTH 16

/* One image as a page draws it. */
typedef struct {
	int page;          /* 1-based, in page-tree order */
	double x, y;       /* the drawn area's top-left corner, points from the
	                      page's top-left corner (its crop box, rotated as shown) */
	double w_pt, h_pt; /* the image's own width and height as drawn, points */
	int w_px, h_px;    /* its size in pixels (/Width, /Height) */
	bool inline_image; /* BI ... EI in the content, not an XObject */
} ks_pdf_image;

/* The images drawn by the first max_pages pages of the PDF in pdf[0..len),
 * in drawing order, at most max_images (ks_pdf_image).  extra holds
 * "N 0 obj ... endobj" texts of the objects that sit in object streams
 * (pdf.c's raw scan inflates them), or is NULL; an object in the file's own
 * bytes wins over one of the same number in extra.  Never NULL. */
GArray *ks_pdf_page_images(const guint8 *pdf, gsize len, const guint8 *extra, gsize extra_len,
                           int max_pages, int max_images);

/* Inflates zlib data (ISO 32000-1 7.4.4, FlateDecode) into out, at most
 * limit bytes; a damaged tail leaves what came before it.  False when
 * nothing came out. */
bool ks_pdf_inflate(const guint8 *in, gsize in_len, gsize limit, GByteArray *out);

#endif
