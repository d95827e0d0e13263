/* Opening a library on first use (module.h). */
#include "core/module.h"

#include <gmodule.h>

bool ks_module_load(const char *const *names, size_t n_names, const ks_module_symbol *syms,
                    size_t n_syms)
{
	GModule *mod = NULL;
	for (size_t i = 0; i < n_names && !mod; i++)
		mod = g_module_open(names[i], G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	if (!mod)
		return false;
	for (size_t i = 0; i < n_syms; i++) {
		if (!g_module_symbol(mod, syms[i].name, syms[i].slot) || !*syms[i].slot) {
			g_module_close(mod);
			return false;
		}
	}
	g_module_make_resident(mod);
	return true;
}
