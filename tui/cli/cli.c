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

/* "a, b or c" */
static char *choice_list(const char *const *choices)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; choices[i]; i++)
		g_string_append_printf(s, "%s%s", i == 0 ? "" : choices[i + 1] ? ", " : " or ",
		                       choices[i]);
	return g_string_free(s, FALSE);
}

/* "--format text|json" or "--stats" */
static char *opt_synopsis(const ks_cli_opt *o)
{
	if (!o->choices)
		return g_strdup(o->name);
	g_autofree char *values = g_strjoinv("|", (char **)o->choices);
	return g_strdup_printf("%s %s", o->name, values);
}

char *ks_cli_synopsis(const ks_cli_command *c)
{
	GString *s = g_string_new(c->name);
	if (*c->operands)
		g_string_append_printf(s, " %s", c->operands);
	for (const ks_cli_opt *o = c->opts; o && o->name; o++) {
		g_autofree char *syn = opt_synopsis(o);
		g_string_append_printf(s, " [%s]", syn);
	}
	return g_string_free(s, FALSE);
}

void ks_cli_print_usage(const ks_cli_command *c, FILE *out)
{
	GString *s = g_string_new(NULL);
	g_autofree char *line = ks_cli_synopsis(c);
	g_string_append_printf(s, "usage: kensa %s", line);
	g_string_append_printf(s, "\n%s", c->about);
	int w = 0;
	for (const ks_cli_opt *o = c->opts; o && o->name; o++) {
		g_autofree char *syn = opt_synopsis(o);
		w = MAX(w, (int)strlen(syn));
	}
	for (const ks_cli_opt *o = c->opts; o && o->name; o++) {
		g_autofree char *syn = opt_synopsis(o);
		g_string_append_printf(s, "  %-*s  %s\n", w, syn, o->help);
	}
	fputs(s->str, out);
	g_string_free(s, TRUE);
}

int ks_cli_parse(const ks_cli_command *c, int argc, char **argv, GPtrArray *operands)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (ks_cli_is_help(a)) {
			ks_cli_print_usage(c, stdout);
			return KS_EXIT_OK;
		}
		const ks_cli_opt *hit = NULL;
		const char *v = NULL;
		for (const ks_cli_opt *o = c->opts; o && o->name && !hit; o++) {
			if (!o->choices && strcmp(a, o->name) == 0)
				hit = o;
			else if (o->choices && ks_cli_option(argc, argv, &i, o->name, &v))
				hit = o;
		}
		if (hit && !hit->choices) {
			*hit->choice = 1;
		} else if (hit) {
			int k = 0;
			while (v && hit->choices[k] && strcmp(v, hit->choices[k]) != 0)
				k++;
			if (!v || !hit->choices[k]) {
				g_autofree char *list = choice_list(hit->choices);
				g_autofree char *why = g_strdup_printf("%s takes %s", hit->name, list);
				return ks_cli_usage_error(c->name, why);
			}
			*hit->choice = k;
		} else if (a[0] == '-' && a[1]) {
			return ks_cli_unknown_option(c->name, a);
		} else if (c->max_operands >= 0 && (int)operands->len >= c->max_operands) {
			return ks_cli_usage_error(c->name, c->too_many);
		} else {
			g_ptr_array_add(operands, (gpointer)a);
		}
	}
	if ((int)operands->len < c->min_operands)
		return ks_cli_usage_error(c->name, c->missing);
	return KS_CLI_GO;
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
