/* `kensa allow DOMAIN|IP|CIDR [--note TEXT] | list | remove VALUE`: the
 * analyst's own benign infrastructure, beside `protect`.  An IOC on it has
 * the role "benign" (analyzers/checks/roles.h): context in an export, never a
 * to_ids attribute or a STIX indicator. */
#include "cli/cli.h"
#include "knowledge.h"
#include "core/sanitize.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: kensa allow add DOMAIN|IP|CIDR [--note TEXT] | list | remove VALUE\n"
	"  Infrastructure that is not the attacker's though mail passes it (a partner's\n"
	"  relay, the company's newsletter service, a CDN): IOCs on it are context in\n"
	"  exports, never indicators to block.\n";

static int allow_add(int argc, char **argv)
{
	const char *value = NULL, *note = NULL;
	for (int i = 0; i < argc; i++) {
		const char *v;
		if (ks_cli_option(argc, argv, &i, "--note", &v) && v)
			note = v;
		else if (argv[i][0] == '-' || value)
			return ks_cli_usage_error("allow add",
			                          "usage: kensa allow add DOMAIN|IP|CIDR [--note TEXT]");
		else
			value = argv[i];
	}
	if (!value)
		return ks_cli_usage_error("allow add", "a domain, an IP address or a network is needed");
	if (note && !g_utf8_validate(note, -1, NULL))
		return ks_cli_usage_error("allow add", "--note is not UTF-8");
	g_autofree char *norm = ks_allow_normalize(value);
	if (!norm) {
		g_autofree char *v = ks_sanitize(value, KS_SANITIZE_LINE, NULL);
		g_autofree char *why = g_strdup_printf("not a domain, an IP address or a network: %s", v);
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

static int allow_remove(int argc, char **argv)
{
	if (argc != 1)
		return ks_cli_usage_error("allow remove", "usage: kensa allow remove VALUE");
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	bool removed = false;
	if (!ks_allow_remove(s, argv[0], &removed, &err))
		return ks_cli_db_error("allow remove", err);
	g_autofree char *v = ks_sanitize(argv[0], KS_SANITIZE_LINE, NULL);
	printf(removed ? "no longer allowed: %s\n" : "%s was not allowed: nothing removed\n", v);
	return KS_EXIT_OK;
}

static int allow_list(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return ks_cli_usage_error("allow list", "takes no arguments");
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
		printf("%-32s  %s\n", a->value, note);
	}
	return KS_EXIT_OK;
}

static const ks_cli_subcommand subcommands[] = {
	{"add", allow_add},
	{"remove", allow_remove},
	{"list", allow_list},
};

int ks_cmd_allow(int argc, char **argv)
{
	return ks_cli_dispatch(argc, argv, usage, subcommands, G_N_ELEMENTS(subcommands),
	                       KS_CLI_HELP_LONG);
}
