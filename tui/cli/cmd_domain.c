/* `kensa domain add DOMAIN --registered TIME [--source TEXT] | import FILE |
 * list`: when sender domains were registered (identity.young_domain, the
 * timeline, pdf.created_near_domain_registration). */
#include "cli/cli.h"
#include "core/i18n.h"
#include "mail/dates.h"
#include "knowledge.h"
#include "core/sanitize.h"
#include "whois.h"

#include <stdio.h>
#include <string.h>

static const char *when_opt, *source_opt;
static const ks_cli_opt add_opts[] = {
	{.name = "--registered", .arg = "TIME", .text = &when_opt, .required = true,
	 .help = N_("when DOMAIN was registered (ISO 8601 / RFC 3339; a date alone is 00:00 UTC)")},
	{.name = "--source", .arg = "TEXT", .text = &source_opt,
	 .help = N_("where that came from (default \"manual\")")},
	{0},
};
static const ks_cli_command add_cmd = {
	"domain add", "DOMAIN", "", add_opts, 1, 1, N_("needs DOMAIN and --registered TIME"),
	N_("one DOMAIN only"),
};
static const ks_cli_command import_cmd = {
	"domain import", "FILE", "", NULL, 1, 1, N_("missing FILE"), N_("one FILE only"),
};
static const ks_cli_command list_cmd = {
	"domain list", "", "", NULL, 0, 0, NULL, N_("takes no arguments"),
};

static int domain_add(GPtrArray *operands)
{
	const char *domain = operands->pdata[0], *when = when_opt;
	const char *source = source_opt ? source_opt : "manual";
	g_autoptr(GDateTime) t = ks_date_parse(when);
	if (!t) {
		g_autofree char *why = g_strdup_printf(_("cannot read the time %s (use ISO 8601, "
		                                       "e.g. 2024-12-10T09:00:00+09:00)"), when);
		return ks_cli_usage_error("domain add", why);
	}
	g_autofree char *norm = ks_domain_normalize(domain);
	if (!norm) {
		g_autofree char *why = g_strdup_printf(_("not a domain name: %s"), domain);
		return ks_cli_usage_error("domain add", why);
	}
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	bool replaced = false;
	if (!ks_domain_add(s, norm, t, source, &replaced, &err))
		return ks_cli_db_error("domain add", err);
	g_autofree char *iso = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
	g_autofree char *src = ks_sanitize(source, KS_SANITIZE_LINE, NULL);
	printf("%s registered %s (%s)%s\n", norm, iso, src, replaced ? ": replaced" : "");
	return KS_EXIT_OK;
}

static int domain_import(GPtrArray *operands)
{
	char **argv = (char **)operands->pdata; /* the file */
	g_autofree char *text = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(argv[0], &text, &len, &err)) {
		ks_cli_error(argv[0], err->message);
		g_error_free(err);
		return KS_EXIT_INPUT;
	}
	g_autoptr(ks_whois_result) r = ks_whois_parse(text, len);
	g_autofree char *file = ks_sanitize(argv[0], KS_SANITIZE_LINE, NULL);
	for (guint i = 0; i < r->problems->len; i++) {
		g_autofree char *p = ks_sanitize(g_ptr_array_index(r->problems, i), KS_SANITIZE_LINE,
		                                 NULL);
		fprintf(stderr, "kensa: %s: could not read: %s\n", file, p);
	}
	if (!r->entries->len) {
		ks_cli_error(argv[0], _("no domain registration found"));
		return KS_EXIT_INPUT;
	}
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	for (guint i = 0; i < r->entries->len; i++) {
		const ks_whois_entry *e = g_ptr_array_index(r->entries, i);
		bool replaced = false;
		if (!ks_domain_add(s, e->domain, e->registered, e->source, &replaced, &err))
			return ks_cli_db_error("domain import", err);
		g_autofree char *iso = g_date_time_format(e->registered, "%Y-%m-%dT%H:%M:%S%:z");
		printf("%s registered %s (%s)%s\n", e->domain, iso, e->source,
		       replaced ? ": replaced" : "");
	}
	printf("%s: %u domain%s read from %s, %u problem%s\n", file, r->entries->len,
	       r->entries->len == 1 ? "" : "s", r->format, r->problems->len,
	       r->problems->len == 1 ? "" : "s");
	return KS_EXIT_OK;
}

static int domain_list(GPtrArray *operands)
{
	(void)operands;
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) list = ks_domain_list(s, &err);
	if (!list)
		return ks_cli_db_error("domain list", err);
	if (!list->len)
		puts("no domain registrations yet (kensa domain add | import)");
	for (guint i = 0; i < list->len; i++) {
		const ks_domain_record *d = g_ptr_array_index(list, i);
		g_autofree char *src = ks_sanitize(d->source, KS_SANITIZE_LINE, NULL);
		g_autofree char *by = ks_cli_by(d->added_by);
		printf("%-32s  %s  %s%s\n", d->domain, d->registered, src, by);
	}
	return KS_EXIT_OK;
}

static const ks_cli_sub subs[] = {
	{&add_cmd, domain_add},
	{&import_cmd, domain_import},
	{&list_cmd, domain_list},
};

const ks_cli_family ks_cmd_domain_family = {
	"domain",
	"  add     record when DOMAIN was registered\n"
	"  import  read saved WHOIS text (gTLD \"Creation Date:\", \"Registered on:\", JPRS\n"
	"          \"[登録年月日]\") or RDAP JSON (events: registration); says what it found\n"
	"          and what it could not read\n"
	"  list    the recorded registrations\n",
	subs, G_N_ELEMENTS(subs),
};

int ks_cmd_domain(int argc, char **argv)
{
	return ks_cli_run_family(&ks_cmd_domain_family, argc, argv);
}
