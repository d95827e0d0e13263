/* STUB: being written. */
#include "html_scan.h"

bool ks_html_accepts(const ks_attachment *a)
{
	(void)a;
	return false;
}

void ks_html_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)w;
	(void)a;
	(void)depth;
}
