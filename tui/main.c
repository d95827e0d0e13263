/* kensa's entry: subcommand dispatch.  Headless commands never touch curses;
 * `kensa FILE` opens the workbench only on a terminal. */
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/helper.h"
#include "workbench.h"

#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#ifndef KS_VERSION
#define KS_VERSION "0.1.0"
#endif

/* kensa --help: the commands with an option table (cli.h) print their
 * synopses from it; the rest are listed here with their subcommands */
static void print_help(void)
{
	fputs("kensa " KS_VERSION " - a terminal workbench for suspicious e-mail\n"
	      "\n"
	      "usage:\n"
	      "  kensa [FILE|DIR]                      open the workbench on a message or mailbox\n",
	      stdout);
	const ks_cli_command *tables[] = {&ks_cmd_analyze_table, &ks_cmd_scan_table,
	                                  &ks_cmd_thread_table, &ks_cmd_rules_table};
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		g_autofree char *syn = ks_cli_synopsis(tables[i]);
		printf("  kensa %s\n", syn);
	}
	const ks_cli_family *families[] = {&ks_cmd_case_family, &ks_cmd_domain_family,
	                                   &ks_cmd_protect_family, &ks_cmd_allow_family,
	                                   &ks_cmd_contact_family, &ks_cmd_db_family};
	for (size_t i = 0; i < G_N_ELEMENTS(families); i++)
		for (size_t k = 0; k < families[i]->n_subs; k++) {
			g_autofree char *syn = ks_cli_synopsis(families[i]->subs[k].cmd);
			printf("  kensa %s\n", syn);
		}
	fputs("  kensa --version | --help | COMMAND --help\n"
	      "\n"
	      "Exit: 0 done, 1 finding at or above --fail-on, 2 usage, 3 unreadable input, 4 database.\n"
	      "Nothing is fetched from the network; nothing in a message is executed.\n",
	      stdout);
}

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
	{"analyze", ks_cmd_analyze},
	{"scan", ks_cmd_scan},
	{"thread", ks_cmd_thread},
	{"rules", ks_cmd_rules},
	{"case", ks_cmd_case},
	{"domain", ks_cmd_domain},
	{"protect", ks_cmd_protect},
	{"allow", ks_cmd_allow},
	{"contact", ks_cmd_contact},
	{"db", ks_cmd_db},
};

/* Edits from a to b (Levenshtein), for "did you mean"; short words only. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 32 || lb > 32)
		return 99;
	int d[33][33];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++)
			d[i][j] = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1),
			              d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
	return d[la][lb];
}

/* A word that is no command and no file: a mistyped command, not a file to
 * open ("kensa anlyze x.eml" would otherwise say "anlyze: No such file"). */
static bool mistyped_command(const char *arg)
{
	if (arg[0] == '-' || g_file_test(arg, G_FILE_TEST_EXISTS) || strchr(arg, '/') ||
	    strchr(arg, '.'))
		return false;
	for (const char *p = arg; *p; p++)
		if (!g_ascii_isalpha(*p) && *p != '-')
			return false;
	return *arg != '\0';
}

int main(int argc, char **argv)
{
	/* glibc's malloc: a block under 1 MiB (a message, a part, an attachment)
	 * comes from the heap, and up to 8 MiB of freed heap is kept for the next
	 * one.  Its default hands freed heap back to the kernel at a threshold
	 * that follows the largest block freed, so the same pages were faulted in
	 * again message after message (kensa scan of 10,000 bench messages:
	 * ~36,000 page faults, ~8,000 with this; make bench's RSS is the same). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	setlocale(LC_ALL, "");
	ks_lang_init();
	/* kensa started by itself to analyse attachments (helper.h) */
	if (argc == 2 && strcmp(argv[1], KS_HELPER_ARG) == 0)
		ks_helper_main();
	/* a closed pipe is an error a write returns (EPIPE), which the
	 * commands take as the end of the work (ks_cli_stdout_done) */
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_help();
		return KS_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		puts("kensa " KS_VERSION);
		return KS_EXIT_OK;
	}
	if (argc >= 2) {
		for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				return commands[i].run(argc - 1, argv + 1);
		if (mistyped_command(argv[1])) {
			const char *best = NULL;
			int best_d = 3; /* suggest within two edits */
			for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
				int d = distance(argv[1], commands[i].name);
				if (d < best_d) {
					best_d = d;
					best = commands[i].name;
				}
			}
			g_autofree char *why =
				best ? g_strdup_printf(_("unknown command %s (did you mean %s?)"), argv[1], best)
				     : g_strdup_printf(_("unknown command %s (see kensa --help)"), argv[1]);
			ks_cli_error("usage", why);
			return KS_EXIT_USAGE;
		}
		if (argv[1][0] == '-' && argv[1][1] && strncmp(argv[1], "--theme", 7) != 0 &&
		    strncmp(argv[1], "--tz", 4) != 0) {
			g_autofree char *why = g_strdup_printf(_("unknown option %s (see --help)"), argv[1]);
			ks_cli_error("usage", why);
			return KS_EXIT_USAGE;
		}
	}
	return ks_workbench_run(argc, argv);
}
