/* `kensa analyze FILE [--format text|json|markdown] [--fail-on SEV]`:
 * one message (or each message of an mbox) analysed and printed. */
#include "checks/analyze.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "mail/mbox.h"
#include "output/writers.h"

#include <stdio.h>
#include <string.h>

static const char *const formats[] = {"text", "json", "markdown", NULL};

/* the options' values: a command runs once per process */
static int format = 0, fail_at = -1, lang = -1;
static const ks_cli_opt opts[] = {
	{.name = "--format", .choices = formats, .choice = &format,
	 .help = N_("the report as terminal text (default), JSON or Markdown")},
	{.name = "--fail-on", .choices = ks_cli_severity_choices, .choice = &fail_at,
	 .help = N_("exit 1 when a finding is at least this severe")},
	{.name = "--lang", .choices = ks_lang_choices, .choice = &lang,
	 .help = N_("the text and Markdown report in English or Japanese (default: the locale's); "
	         "JSON is always English")},
	{0},
};
const ks_cli_command ks_cmd_analyze_table = {
	"analyze", "FILE",
	N_("  Analyse a message (.eml, .msg, an mbox: each message) and print the report.\n"
	"  Exit: 0 done, 1 a finding at or above --fail-on, 2 usage, 3 unreadable input.\n"),
	opts, 1, 1, N_("missing FILE (see kensa analyze --help)"),
	N_("one FILE only (use kensa scan for many)"),
};

int ks_cmd_analyze(int argc, char **argv)
{
	g_autoptr(GPtrArray) operands = g_ptr_array_new();
	int parsed = ks_cli_parse(&ks_cmd_analyze_table, argc - 1, argv + 1, operands);
	if (parsed != KS_CLI_GO)
		return parsed;
	g_autoptr(GError) lang_err = NULL;
	if (lang >= 0 && !ks_lang_set(lang, &lang_err))
		return ks_cli_usage_error("analyze", lang_err->message);
	const char *file = operands->pdata[0];
	ks_format fmt = KS_FORMAT_TEXT;
	ks_format_parse(formats[format], &fmt);
	ks_severity fail_on = KS_SEV_HIGH;
	bool fail_on_set = ks_cli_severity_of(fail_at, &fail_on);
	if (g_file_test(file, G_FILE_TEST_IS_DIR)) {
		g_autofree char *why = g_strdup_printf(_("%s is a directory (use kensa scan)"), file);
		return ks_cli_usage_error("analyze", why);
	}

	g_autoptr(ks_context) ctx = ks_cli_load_context();
	GError *err = NULL;
	ks_mailbox *mb = ks_mailbox_open(file, &err);
	if (!mb)
		return ks_cli_fail(file, err);
	int status = KS_EXIT_OK;
	int count = 0;
	char *where = NULL;
	GBytes *raw;
	while ((raw = ks_mailbox_next(mb, &where))) {
		count++;
		ks_report *r = ks_analyze_bytes(raw, where, ks_mailbox_format(mb), ctx, &err);
		g_bytes_unref(raw);
		if (!r) {
			int failed = ks_cli_fail(where, g_steal_pointer(&err));
			g_free(where);
			if (!g_str_equal(ks_mailbox_format(mb), "mbox")) {
				ks_mailbox_close(mb);
				return failed;
			}
			continue;
		}
		/* a later reply in the same mailbox is set beside this one */
		ks_context_add_message_date(ctx, r->message_id, r->date);
		if (count > 1 && fmt != KS_FORMAT_JSON)
			fputs(fmt == KS_FORMAT_MARKDOWN ? "\n---\n\n" : "\n", stdout);
		ks_report_write(r, fmt, stdout);
		bool gone = ferror(stdout) && ks_cli_stdout_gone();
		ks_severity max;
		if (fail_on_set && ks_report_max_severity(r, &max) && max >= fail_on)
			status = KS_EXIT_FINDING;
		ks_report_free(r);
		g_free(where);
		where = NULL;
		if (gone)
			break; /* the reader has gone: the rest would go nowhere */
	}
	ks_mailbox_close(mb);
	if (count == 0) {
		ks_cli_error(file, _("empty input: no message"));
		return KS_EXIT_INPUT;
	}
	return ks_cli_stdout_done("analyze", status);
}
