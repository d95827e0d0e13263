/* The argument handling the headless commands share: --help, options
 * with values, unknown options, and dispatch to subcommands.  What each
 * option means stays in its command's file. */
#include "cli/cli.h"

#include "core/error.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int ks_cli_usage_error(const char *what, const char *why)
{
	ks_cli_error(what, why);
	return KS_EXIT_USAGE;
}

bool ks_cli_stdout_gone(void)
{
	/* the write end of a pipe whose reader closed polls as an error */
	struct pollfd p = {.fd = STDOUT_FILENO, .events = 0};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

int ks_cli_stdout_done(const char *what, int status)
{
	bool failed = fflush(stdout) != 0 || ferror(stdout);
	if (!failed || ks_cli_stdout_gone())
		return status;
	ks_cli_error(what, "cannot write to standard output");
	return KS_EXIT_INPUT;
}

bool ks_cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

bool ks_cli_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return false;
	if (a[n] == '=')
		*value = a + n + 1;
	else
		*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

int ks_cli_unknown_option(const char *cmd, const char *arg)
{
	g_autofree char *why = g_strdup_printf("unknown option %s (see --help)", arg);
	return ks_cli_usage_error(cmd, why);
}

static bool asks_help(const char *arg, ks_cli_help help)
{
	switch (help) {
	case KS_CLI_HELP_FIRST:
		return false;
	case KS_CLI_HELP_LONG:
		return strcmp(arg, "--help") == 0;
	case KS_CLI_HELP_ANY:
		return ks_cli_is_help(arg);
	}
	return false;
}

int ks_cli_dispatch(int argc, char **argv, const char *usage, const ks_cli_subcommand *subs,
                    size_t n_subs, ks_cli_help help)
{
	if (argc < 2 || ks_cli_is_help(argv[1])) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? KS_EXIT_USAGE : KS_EXIT_OK;
	}
	for (int i = 2; i < argc; i++)
		if (asks_help(argv[i], help)) {
			fputs(usage, stdout);
			return KS_EXIT_OK;
		}
	for (size_t i = 0; i < n_subs; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 2, argv + 2);
	g_autofree char *why =
		g_strdup_printf("unknown subcommand %s (see kensa %s --help)", argv[1], argv[0]);
	return ks_cli_usage_error(argv[0], why);
}

/* Which exit status (SPEC.md) each of kensa's error codes (error.h) gives:
 * the one place the two meet.  An error of another domain (GLib's, a
 * library's) is about the input. */
static const struct {
	ks_error_code code;
	int status;
} exit_for_code[] = {
	{KS_ERROR_UNREADABLE, KS_EXIT_INPUT},
	{KS_ERROR_NOT_MESSAGE, KS_EXIT_INPUT},
	{KS_ERROR_DB, KS_EXIT_DB},
};

int ks_cli_exit_status(const GError *err)
{
	for (size_t i = 0; err && err->domain == KS_ERROR && i < G_N_ELEMENTS(exit_for_code); i++)
		if (err->code == (int)exit_for_code[i].code)
			return exit_for_code[i].status;
	return KS_EXIT_INPUT;
}

int ks_cli_fail(const char *what, GError *err)
{
	int status = err ? ks_cli_exit_status(err) : KS_EXIT_INPUT;
	ks_cli_error(what, err ? err->message : "unknown error");
	if (err)
		g_error_free(err);
	return status;
}

int ks_cli_db_error(const char *what, GError *err)
{
	ks_cli_fail(what, err);
	/* a store's failure is a database error whatever the library said */
	return KS_EXIT_DB;
}
