/* `kensa allow DOMAIN|IP|CIDR [--note TEXT] | list | remove VALUE`: the
 * analyst's own benign infrastructure, beside `protect`.  An IOC on it has
 * the role "benign" (analyzers/checks/roles.h): context in an export, never a
 * to_ids attribute or a STIX indicator. */
#include "cli/cli.h"
#include "core/i18n.h"
#include "knowledge.h"
#include "core/sanitize.h"

#include <stdio.h>
#include <string.h>

static const char *note_opt;
static const ks_cli_opt add_opts[] = {
	{.name = "--note", .arg = "TEXT", .text = &note_opt,
	 .help = N_("why it is benign (\"partner relay\", \"our newsletter service\")")},
	{0},
};
static const ks_cli_command add_cmd = {
	"allow add", "DOMAIN|IP|CIDR", "", add_opts, 1, 1,
	N_("a domain, an IP address or a network is needed"), N_("one value only"),
};
static const ks_cli_command remove_cmd = {
	"allow remove", "VALUE", "", NULL, 1, 1, N_("missing VALUE"), N_("one VALUE only"),
};
static const ks_cli_command list_cmd = {
	"allow list", "", "", NULL, 0, 0, NULL, N_("takes no arguments"),
};

static int allow_add(GPtrArray *operands)
{
	const char *value = operands->pdata[0], *note = note_opt;
	if (note && !g_utf8_validate(note, -1, NULL))
		return ks_cli_usage_error("allow add", _("--note is not UTF-8"));
	g_autofree char *norm = ks_allow_normalize(value);
	if (!norm) {
		g_autofree char *v = ks_sanitize(value, KS_SANITIZE_LINE, NULL);
		g_autofree char *why = g_strdup_printf(_("not a domain, an IP address or a network: %s"), v);
		return ks_cli_usage_error("allow add", why);
	}
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	if (!ks_allow_add(s, norm, note, &err))
		return ks_cli_db_error("allow add", err);
	printf("allowed %s\n", norm);
	return KS_EXIT_OK;
}

static int allow_remove(GPtrArray *operands)
{
	const char *value = operands->pdata[0];
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	bool removed = false;
	if (!ks_allow_remove(s, value, &removed, &err))
		return ks_cli_db_error("allow remove", err);
	g_autofree char *v = ks_sanitize(value, KS_SANITIZE_LINE, NULL);
	printf(removed ? "no longer allowed: %s\n" : "%s was not allowed: nothing removed\n", v);
	return KS_EXIT_OK;
}

static int allow_list(GPtrArray *operands)
{
	(void)operands;
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) list = ks_allow_list(s, &err);
	if (!list)
		return ks_cli_db_error("allow list", err);
	if (!list->len)
		puts("nothing allowed yet (kensa allow add DOMAIN|IP|CIDR)");
	for (guint i = 0; i < list->len; i++) {
		const ks_allowed_record *a = g_ptr_array_index(list, i);
		g_autofree char *note = ks_sanitize(a->note ? a->note : "", KS_SANITIZE_LINE, NULL);
		g_autofree char *by = ks_cli_by(a->added_by);
		printf("%-32s  %s%s\n", a->value, note, by);
	}
	return KS_EXIT_OK;
}

static const ks_cli_sub subs[] = {
	{&add_cmd, allow_add},
	{&remove_cmd, allow_remove},
	{&list_cmd, allow_list},
};

const ks_cli_family ks_cmd_allow_family = {
	"allow",
	"  Infrastructure that is not the attacker's though mail passes it (a partner's\n"
	"  relay, the company's newsletter service, a CDN): IOCs on it are context in\n"
	"  exports, never indicators to block.\n",
	subs, G_N_ELEMENTS(subs),
};

int ks_cmd_allow(int argc, char **argv)
{
	return ks_cli_run_family(&ks_cmd_allow_family, argc, argv);
}
