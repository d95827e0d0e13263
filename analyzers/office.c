/* STUB: being written. */
#include "office.h"

bool ks_office_accepts(const ks_attachment *a)
{
	(void)a;
	return false;
}

void ks_office_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)w;
	(void)a;
	(void)depth;
}
