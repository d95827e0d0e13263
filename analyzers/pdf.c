/* STUB: being written. */
#include "pdf.h"

bool ks_pdf_accepts(const ks_attachment *a)
{
	(void)a;
	return false;
}

void ks_pdf_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)w;
	(void)a;
	(void)depth;
}
