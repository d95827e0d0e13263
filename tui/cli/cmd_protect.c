/* `kensa protect add DOMAIN [--label TEXT] | list | remove DOMAIN`: the
 * organisation's own and its partners' domains, the targets
 * identity.lookalike_domain compares sender domains against. */
#include "cli/cli.h"
#include "knowledge.h"
#include "core/sanitize.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: kensa protect add DOMAIN [--label TEXT] | list | remove DOMAIN\n"
	"  The organisation's own and partner domains: a sender domain that looks like one\n"
	"  of them (but is not) is reported as identity.lookalike_domain.\n";

static int protect_add(int argc, char **argv)
{
	const char *domain = NULL, *label = NULL;
	for (int i = 0; i < argc; i++) {
		const char *v;
		if (ks_cli_option(argc, argv, &i, "--label", &v) && v)
			label = v;
		else if (argv[i][0] == '-' || domain) /* unknown, or missing its value */
			return ks_cli_usage_error("protect add",
			                          "usage: kensa protect add DOMAIN [--label TEXT]");
		else
			domain = argv[i];
	}
	g_autofree char *norm = ks_domain_normalize(domain);
	if (!norm) {
		g_autofree char *why = g_strdup_printf("not a domain name: %s", domain ? domain : "");
		return ks_cli_usage_error("protect add", why);
	}
	if (label && !g_utf8_validate(label, -1, NULL))
		return ks_cli_usage_error("protect add", "--label is not UTF-8");
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	if (!ks_protect_add(s, norm, label, &err))
		return ks_cli_db_error("protect add", err);
	printf("protecting %s\n", norm);
	return KS_EXIT_OK;
}

static int protect_remove(int argc, char **argv)
{
	if (argc != 1)
		return ks_cli_usage_error("protect remove", "usage: kensa protect remove DOMAIN");
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	bool removed = false;
	if (!ks_protect_remove(s, argv[0], &removed, &err))
		return ks_cli_db_error("protect remove", err);
	g_autofree char *d = ks_sanitize(argv[0], KS_SANITIZE_LINE, NULL);
	printf(removed ? "no longer protecting %s\n" : "%s was not protected: nothing removed\n", d);
	return KS_EXIT_OK;
}

static int protect_list(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return ks_cli_usage_error("protect list", "takes no arguments");
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) list = ks_protect_list(s, &err);
	if (!list)
		return ks_cli_db_error("protect list", err);
	if (!list->len)
		puts("no protected domains yet (kensa protect add DOMAIN)");
	for (guint i = 0; i < list->len; i++) {
		const ks_protected_record *p = g_ptr_array_index(list, i);
		g_autofree char *label = ks_sanitize(p->label ? p->label : "", KS_SANITIZE_LINE, NULL);
		printf("%-32s  %s\n", p->domain, label);
	}
	return KS_EXIT_OK;
}

static const ks_cli_subcommand subcommands[] = {
	{"add", protect_add},
	{"remove", protect_remove},
	{"list", protect_list},
};

int ks_cmd_protect(int argc, char **argv)
{
	return ks_cli_dispatch(argc, argv, usage, subcommands, G_N_ELEMENTS(subcommands),
	                       KS_CLI_HELP_LONG);
}
