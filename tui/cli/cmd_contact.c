/* `kensa contact add "DISPLAY NAME" ADDRESS | list`: the people the
 * organisation knows and their real addresses, for
 * identity.display_name_spoof (a known name on another address). */
#include "cli/cli.h"
#include "core/i18n.h"
#include "knowledge.h"
#include "core/sanitize.h"

#include <stdio.h>
#include <string.h>

static const ks_cli_command add_cmd = {
	"contact add", "\"DISPLAY NAME\" ADDRESS", "", NULL, 2, 2,
	N_("needs a \"DISPLAY NAME\" and an ADDRESS"), N_("needs a \"DISPLAY NAME\" and an ADDRESS only"),
};
static const ks_cli_command list_cmd = {
	"contact list", "", "", NULL, 0, 0, NULL, N_("takes no arguments"),
};

static int contact_add(GPtrArray *operands)
{
	char **argv = (char **)operands->pdata; /* the name, then the address */
	const char *at = strchr(argv[1], '@');
	if (!at || at == argv[1] || !at[1] || strchr(at + 1, '@') || strpbrk(argv[1], " <>\t")) {
		g_autofree char *why = g_strdup_printf(_("not an e-mail address: %s"), argv[1]);
		return ks_cli_usage_error("contact add", why);
	}
	if (!*g_strstrip(argv[0]) || !g_utf8_validate(argv[0], -1, NULL))
		return ks_cli_usage_error("contact add", _("the DISPLAY NAME is empty or not UTF-8"));
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	bool existed = false;
	if (!ks_contact_add(s, argv[0], argv[1], &existed, &err))
		return ks_cli_db_error("contact add", err);
	g_autofree char *n = ks_sanitize(argv[0], KS_SANITIZE_LINE, NULL);
	g_autofree char *a = ks_sanitize(argv[1], KS_SANITIZE_LINE, NULL);
	printf("%s <%s>%s\n", n, a, existed ? ": already known" : ": added");
	return KS_EXIT_OK;
}

static int contact_list(GPtrArray *operands)
{
	(void)operands;
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) list = ks_contact_list(s, &err);
	if (!list)
		return ks_cli_db_error("contact list", err);
	if (!list->len)
		puts("no contacts yet (kensa contact add \"NAME\" ADDRESS)");
	for (guint i = 0; i < list->len; i++) {
		const ks_contact_record *c = g_ptr_array_index(list, i);
		g_autofree char *n = ks_sanitize(c->name, KS_SANITIZE_LINE, NULL);
		g_autofree char *a = ks_sanitize(c->address, KS_SANITIZE_LINE, NULL);
		g_autofree char *by = ks_cli_by(c->added_by);
		printf("%s <%s>%s\n", n, a, by);
	}
	return KS_EXIT_OK;
}

static const ks_cli_sub subs[] = {
	{&add_cmd, contact_add},
	{&list_cmd, contact_list},
};

const ks_cli_family ks_cmd_contact_family = {
	"contact",
	"  Known people and their real addresses: mail that shows a known name on another\n"
	"  address is reported as identity.display_name_spoof.\n",
	subs, G_N_ELEMENTS(subs),
};

int ks_cmd_contact(int argc, char **argv)
{
	return ks_cli_run_family(&ks_cmd_contact_family, argc, argv);
}
