/* STUB: being written. */
#include "lnk.h"

bool ks_lnk_accepts(const ks_attachment *a)
{
	(void)a;
	return false;
}

void ks_lnk_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)w;
	(void)a;
	(void)depth;
}
