/* libFuzzer target for analyzers/payloads/pdf_page.c: any bytes as a PDF whose
 * pages are read for the images they draw, once alone and once with the
 * same bytes as the object-stream objects beside them (the second source
 * of objects).  Must neither crash, hang nor leak, and every image it
 * reports has a positive pixel size and finite coordinates. */
#include "payloads/pdf_page.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(GArray *imgs)
{
	for (guint i = 0; i < imgs->len; i++) {
		const ks_pdf_image *im = &g_array_index(imgs, ks_pdf_image, i);
		if (im->w_px < 1 || im->h_px < 1 || im->page < 1 || !isfinite(im->x) ||
		    !isfinite(im->y) || !isfinite(im->w_pt) || !isfinite(im->h_pt))
			__builtin_trap();
	}
	g_array_unref(imgs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(ks_pdf_page_images(data, size, NULL, 0, 50, 1000));
	check(ks_pdf_page_images(data, size, data, size, 3, 10));
	return 0;
}
