/* `kensa protect add DOMAIN [--label TEXT] | list | remove DOMAIN`: the
 * organisation's own and its partners' domains, the targets
 * identity.lookalike_domain compares sender domains against. */
#include "cli/cli.h"
#include "core/i18n.h"
#include "knowledge.h"
#include "core/sanitize.h"

#include <stdio.h>
#include <string.h>

static const char *label_opt;
static const ks_cli_opt add_opts[] = {
	{.name = "--label", .arg = "TEXT", .text = &label_opt,
	 .help = N_("what the domain is to the organisation (\"our parent\", \"supplier\")")},
	{0},
};
static const ks_cli_command add_cmd = {
	"protect add", "DOMAIN", "", add_opts, 1, 1, N_("missing DOMAIN"), N_("one DOMAIN only"),
};
static const ks_cli_command remove_cmd = {
	"protect remove", "DOMAIN", "", NULL, 1, 1, N_("missing DOMAIN"), N_("one DOMAIN only"),
};
static const ks_cli_command list_cmd = {
	"protect list", "", "", NULL, 0, 0, NULL, N_("takes no arguments"),
};

static int protect_add(GPtrArray *operands)
{
	const char *domain = operands->pdata[0];
	g_autofree char *norm = ks_domain_normalize(domain);
	if (!norm) {
		g_autofree char *why = g_strdup_printf(_("not a domain name: %s"), domain ? domain : "");
		return ks_cli_usage_error("protect add", why);
	}
	const char *label = label_opt;
	if (label && !g_utf8_validate(label, -1, NULL))
		return ks_cli_usage_error("protect add", _("--label is not UTF-8"));
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	if (!ks_protect_add(s, norm, label, &err))
		return ks_cli_db_error("protect add", err);
	printf("protecting %s\n", norm);
	return KS_EXIT_OK;
}

static int protect_remove(GPtrArray *operands)
{
	const char *domain = operands->pdata[0];
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	bool removed = false;
	if (!ks_protect_remove(s, domain, &removed, &err))
		return ks_cli_db_error("protect remove", err);
	g_autofree char *d = ks_sanitize(domain, KS_SANITIZE_LINE, NULL);
	printf(removed ? "no longer protecting %s\n" : "%s was not protected: nothing removed\n", d);
	return KS_EXIT_OK;
}

static int protect_list(GPtrArray *operands)
{
	(void)operands;
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
		g_autofree char *by = ks_cli_by(p->added_by);
		printf("%-32s  %s%s\n", p->domain, label, by);
	}
	return KS_EXIT_OK;
}

static const ks_cli_sub subs[] = {
	{&add_cmd, protect_add},
	{&remove_cmd, protect_remove},
	{&list_cmd, protect_list},
};

const ks_cli_family ks_cmd_protect_family = {
	"protect",
	"  The organisation's own and partner domains: a sender domain that looks like one\n"
	"  of them (but is not) is reported as identity.lookalike_domain.\n",
	subs, G_N_ELEMENTS(subs),
};

int ks_cmd_protect(int argc, char **argv)
{
	return ks_cli_run_family(&ks_cmd_protect_family, argc, argv);
}
