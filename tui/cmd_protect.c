/* `kensa protect add DOMAIN [--label TEXT] | list | remove DOMAIN`: the
 * organisation's own and its partners' domains, the targets
 * identity.lookalike_domain compares sender domains against. */
#include "cli.h"
#include "knowledge.h"
#include "sanitize.h"

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
		if (strcmp(argv[i], "--label") == 0 && i + 1 < argc)
			label = argv[++i];
		else if (g_str_has_prefix(argv[i], "--label="))
			label = argv[i] + 8;
		else if (argv[i][0] == '-' || domain) {
			ks_cli_error("protect add", "usage: kensa protect add DOMAIN [--label TEXT]");
			return KS_EXIT_USAGE;
		} else
			domain = argv[i];
	}
	g_autofree char *norm = ks_domain_normalize(domain);
	if (!norm) {
		g_autofree char *why = g_strdup_printf("not a domain name: %s", domain ? domain : "");
		ks_cli_error("protect add", why);
		return KS_EXIT_USAGE;
	}
	if (label && !g_utf8_validate(label, -1, NULL)) {
		ks_cli_error("protect add", "--label is not UTF-8");
		return KS_EXIT_USAGE;
	}
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
	if (argc != 1) {
		ks_cli_error("protect remove", "usage: kensa protect remove DOMAIN");
		return KS_EXIT_USAGE;
	}
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
	if (argc) {
		ks_cli_error("protect list", "takes no arguments");
		return KS_EXIT_USAGE;
	}
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

int ks_cmd_protect(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? KS_EXIT_USAGE : KS_EXIT_OK;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return KS_EXIT_OK;
		}
	if (strcmp(argv[1], "add") == 0)
		return protect_add(argc - 2, argv + 2);
	if (strcmp(argv[1], "remove") == 0)
		return protect_remove(argc - 2, argv + 2);
	if (strcmp(argv[1], "list") == 0)
		return protect_list(argc - 2, argv + 2);
	g_autofree char *why = g_strdup_printf("unknown subcommand %s (see kensa protect --help)",
	                                       argv[1]);
	ks_cli_error("protect", why);
	return KS_EXIT_USAGE;
}
