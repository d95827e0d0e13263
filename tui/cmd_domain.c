/* `kensa domain add DOMAIN --registered TIME [--source TEXT] | import FILE |
 * list`: when sender domains were registered (identity.young_domain, the
 * timeline, pdf.created_near_domain_registration). */
#include "cli.h"
#include "dates.h"
#include "knowledge.h"
#include "sanitize.h"
#include "whois.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: kensa domain add DOMAIN --registered TIME [--source TEXT] | import FILE | list\n"
	"  add     record when DOMAIN was registered (TIME: ISO 8601 / RFC 3339; a date\n"
	"          alone is 00:00 UTC)\n"
	"  import  read saved WHOIS text (gTLD \"Creation Date:\", \"Registered on:\", JPRS\n"
	"          \"[登録年月日]\") or RDAP JSON (events: registration); says what it found\n"
	"          and what it could not read\n"
	"  list    the recorded registrations\n";

static int domain_add(int argc, char **argv)
{
	const char *domain = NULL, *when = NULL, *source = "manual";
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--registered") == 0 && i + 1 < argc)
			when = argv[++i];
		else if (g_str_has_prefix(argv[i], "--registered="))
			when = argv[i] + 13;
		else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc)
			source = argv[++i];
		else if (g_str_has_prefix(argv[i], "--source="))
			source = argv[i] + 9;
		else if (argv[i][0] == '-' || domain) {
			ks_cli_error("domain add", "usage: kensa domain add DOMAIN --registered TIME "
			                           "[--source TEXT]");
			return KS_EXIT_USAGE;
		} else
			domain = argv[i];
	}
	if (!domain || !when) {
		ks_cli_error("domain add", "needs DOMAIN and --registered TIME");
		return KS_EXIT_USAGE;
	}
	g_autoptr(GDateTime) t = ks_date_parse(when);
	if (!t) {
		g_autofree char *why = g_strdup_printf("cannot read the time %s (use ISO 8601, "
		                                       "e.g. 2024-12-10T09:00:00+09:00)", when);
		ks_cli_error("domain add", why);
		return KS_EXIT_USAGE;
	}
	g_autofree char *norm = ks_domain_normalize(domain);
	if (!norm) {
		g_autofree char *why = g_strdup_printf("not a domain name: %s", domain);
		ks_cli_error("domain add", why);
		return KS_EXIT_USAGE;
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

static int domain_import(int argc, char **argv)
{
	if (argc != 1) {
		ks_cli_error("domain import", "usage: kensa domain import FILE");
		return KS_EXIT_USAGE;
	}
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
		ks_cli_error(argv[0], "no domain registration found");
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

static int domain_list(int argc, char **argv)
{
	(void)argv;
	if (argc) {
		ks_cli_error("domain list", "takes no arguments");
		return KS_EXIT_USAGE;
	}
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
		printf("%-32s  %s  %s\n", d->domain, d->registered, src);
	}
	return KS_EXIT_OK;
}

int ks_cmd_domain(int argc, char **argv)
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
		return domain_add(argc - 2, argv + 2);
	if (strcmp(argv[1], "import") == 0)
		return domain_import(argc - 2, argv + 2);
	if (strcmp(argv[1], "list") == 0)
		return domain_list(argc - 2, argv + 2);
	g_autofree char *why = g_strdup_printf("unknown subcommand %s (see kensa domain --help)",
	                                       argv[1]);
	ks_cli_error("domain", why);
	return KS_EXIT_USAGE;
}
