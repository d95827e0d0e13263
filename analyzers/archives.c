/* STUB: being written. */
#include "archives.h"

bool ks_archives_accepts(const ks_attachment *a)
{
	(void)a;
	return false;
}

void ks_archives_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)w;
	(void)a;
	(void)depth;
}
