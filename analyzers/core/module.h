/* Libraries opened when first needed (GModule) rather than linked: libzbar
 * (qr.c), poppler-glib (pdf.c) and libpq (db/engine_pg.c) bring dozens of
 * libraries of their own, which every kensa process would load at start-up
 * (deps.mk's OPENED).  Each caller keeps a table of the functions it calls,
 * typed from the library's header, and fills it here once. */
#ifndef KS_MODULE_H
#define KS_MODULE_H

#include <glib.h>
#include <stdbool.h>

/* A function of the library by name, and where its address goes. */
typedef struct {
	const char *name;
	gpointer *slot;
} ks_module_symbol;

/* Opens the first of names (sonames, most specific first) that loads and
 * fills every slot from it.  The library then stays for the life of the
 * process.  False, and no library kept, when none loads or one of the
 * symbols is missing. */
bool ks_module_load(const char *const *names, size_t n_names, const ks_module_symbol *syms,
                    size_t n_syms);

#endif
