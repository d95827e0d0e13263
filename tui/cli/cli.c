/* The argument handling the headless commands share: --help, options
 * with values, unknown options, and dispatch to subcommands.  What each
 * option means stays in its command's file. */
#include "cli/cli.h"

#include "core/i18n.h"

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
	ks_cli_error(what, _("cannot write to standard output"));
	return KS_EXIT_INPUT;
}

bool ks_cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int ks_cli_unknown_option(const char *cmd, const char *arg)
{
	g_autofree char *why = g_strdup_printf(_("unknown option %s (see --help)"), arg);
	return ks_cli_usage_error(cmd, why);
}

const char *const ks_cli_severity_choices[] = {"low", "medium", "high", NULL};

bool ks_cli_severity_of(int choice, ks_severity *out)
{
	return choice >= 0 && ks_severity_parse(ks_cli_severity_choices[choice], out);
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

/* "--format text|json", "--redact [partner|public]", "--note TEXT" or "--stats" */
static char *opt_synopsis(const ks_cli_opt *o)
{
	if (o->arg)
		return g_strdup_printf("%s %s", o->name, o->arg);
	if (!o->choices)
		return g_strdup(o->name);
	g_autofree char *values = g_strjoinv("|", (char **)o->choices);
	return g_strdup_printf(o->optional ? "%s [%s]" : "%s %s", o->name, values);
}

char *ks_cli_synopsis(const ks_cli_command *c)
{
	GString *s = g_string_new(c->name);
	if (*c->operands)
		g_string_append_printf(s, " %s", c->operands);
	for (const ks_cli_opt *o = c->opts; o && o->name; o++) {
		g_autofree char *syn = opt_synopsis(o);
		g_string_append_printf(s, o->required ? " %s" : " [%s]", syn);
	}
	return g_string_free(s, FALSE);
}

static void append_options(GString *s, const ks_cli_opt *opts)
{
	int w = 0;
	for (const ks_cli_opt *o = opts; o && o->name; o++) {
		g_autofree char *syn = opt_synopsis(o);
		w = MAX(w, (int)strlen(syn));
	}
	for (const ks_cli_opt *o = opts; o && o->name; o++) {
		g_autofree char *syn = opt_synopsis(o);
		g_string_append_printf(s, "  %-*s  %s\n", w, syn, _(o->help));
	}
}

void ks_cli_print_usage(const ks_cli_command *c, FILE *out)
{
	GString *s = g_string_new(NULL);
	g_autofree char *line = ks_cli_synopsis(c);
	g_string_append_printf(s, "usage: kensa %s\n%s", line, c->about && *c->about ? _(c->about) : "");
	append_options(s, c->opts);
	fputs(s->str, out);
	g_string_free(s, TRUE);
}

/* The index of v among choices, or -1. */
static int choice_index(const char *const *choices, const char *v)
{
	for (int k = 0; v && choices[k]; k++)
		if (strcmp(v, choices[k]) == 0)
			return k;
	return -1;
}

/* Takes args[*i] as option o (true) or not (false); *status is set on an
 * error. */
static bool take_option(const ks_cli_command *c, const ks_cli_opt *o, int n, char **args, int *i,
                        int *status)
{
	const char *a = args[*i];
	size_t len = strlen(o->name);
	if (strncmp(a, o->name, len) != 0 || (a[len] && a[len] != '='))
		return false;
	const char *eq = a[len] == '=' ? a + len + 1 : NULL;
	if (!o->arg && !o->choices) { /* a flag */
		if (eq)
			return false;
		*o->choice = 1;
		return true;
	}
	const char *v = eq;
	if (!v && o->choices && o->optional) {
		int k = *i + 1 < n ? choice_index(o->choices, args[*i + 1]) : -1;
		if (k >= 0)
			++*i;
		*o->choice = k >= 0 ? k : 0;
		return true;
	}
	if (!v && *i + 1 < n)
		v = args[++*i];
	if (o->arg) {
		if (!v) {
			g_autofree char *why = g_strdup_printf(_("%s needs %s"), o->name, o->arg);
			*status = ks_cli_usage_error(c->name, why);
		} else {
			*o->text = v;
		}
		return true;
	}
	int k = choice_index(o->choices, v);
	if (k < 0) {
		g_autofree char *list = choice_list(o->choices);
		g_autofree char *why = g_strdup_printf(_("%s takes %s"), o->name, list);
		*status = ks_cli_usage_error(c->name, why);
	} else {
		*o->choice = k;
	}
	return true;
}

int ks_cli_parse(const ks_cli_command *c, int n, char **args, GPtrArray *operands)
{
	bool options_end = false;
	for (int i = 0; i < n; i++) {
		const char *a = args[i];
		bool operand = options_end || a[0] != '-' || !a[1];
		if (!operand && ks_cli_is_help(a)) {
			ks_cli_print_usage(c, stdout);
			return KS_EXIT_OK;
		}
		if (!operand && strcmp(a, "--") == 0) {
			options_end = true;
			continue;
		}
		if (!operand) {
			int status = KS_CLI_GO;
			const ks_cli_opt *o = c->opts;
			while (o && o->name && !take_option(c, o, n, args, &i, &status))
				o++;
			if (status != KS_CLI_GO)
				return status;
			if (!o || !o->name)
				return ks_cli_unknown_option(c->name, a);
			continue;
		}
		if (c->max_operands >= 0 && (int)operands->len >= c->max_operands)
			return ks_cli_usage_error(c->name, c->too_many ? _(c->too_many) : NULL);
		g_ptr_array_add(operands, (gpointer)a);
	}
	if ((int)operands->len < c->min_operands)
		return ks_cli_usage_error(c->name, c->missing ? _(c->missing) : NULL);
	for (const ks_cli_opt *o = c->opts; o && o->name; o++)
		if (o->required && !*o->text) {
			g_autofree char *why = g_strdup_printf(_("needs %s %s"), o->name, o->arg);
			return ks_cli_usage_error(c->name, why);
		}
	return KS_CLI_GO;
}

void ks_cli_print_family(const ks_cli_family *f, FILE *out)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < f->n_subs; i++) {
		g_autofree char *line = ks_cli_synopsis(f->subs[i].cmd);
		g_string_append_printf(s, "%s kensa %s\n", i ? "      " : "usage:", line);
	}
	g_string_append(s, f->about);
	fputs(s->str, out);
	g_string_free(s, TRUE);
}

int ks_cli_run_family(const ks_cli_family *f, int argc, char **argv)
{
	if (argc < 2 || ks_cli_is_help(argv[1])) {
		ks_cli_print_family(f, argc < 2 ? stderr : stdout);
		return argc < 2 ? KS_EXIT_USAGE : KS_EXIT_OK;
	}
	for (size_t i = 0; i < f->n_subs; i++) {
		const ks_cli_command *c = f->subs[i].cmd;
		const char *sub = strchr(c->name, ' ');
		if (!sub || strcmp(argv[1], sub + 1) != 0)
			continue;
		g_autoptr(GPtrArray) operands = g_ptr_array_new();
		int parsed = ks_cli_parse(c, argc - 2, argv + 2, operands);
		return parsed != KS_CLI_GO ? parsed : f->subs[i].run(operands);
	}
	g_autofree char *why =
		g_strdup_printf(_("unknown subcommand %s (see kensa %s --help)"), argv[1], f->name);
	return ks_cli_usage_error(f->name, why);
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
