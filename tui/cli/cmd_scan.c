/* `kensa scan MBOX|DIR [--format jsonl|csv]`: triage a whole mailbox, one
 * line per message (date, from, subject, highest severity, rule ids).
 *
 * Messages are analysed on the mailbox thread pool (pool.h), each cut
 * down on its worker to its line; lines are printed in mailbox order, so
 * memory stays flat however large the mailbox is. */
#include "checks/analyze.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "mail/mbox.h"
#include "cli/pool.h"
#include "core/sanitize.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum { OUT_JSONL, OUT_CSV } out_format;

typedef struct {
	out_format fmt;
	bool gone; /* standard output's reader has gone: stop */
	int worst; /* the highest severity of any message's findings, -1: none */
} scan_state;

/* What a worker hands back: the message's line and its highest severity. */
typedef struct {
	char *line;
	int severity; /* -1: no finding */
} scan_line;

/* One CSV cell (RFC 4180), made inert for a spreadsheet: control
 * characters shown as visible escapes (a file name may hold ESC), and a
 * cell that would start a formula (=, +, -, @; OWASP "CSV Injection")
 * starts with a ' instead, which spreadsheets show as text. */
static char *csv_field(const char *raw)
{
	g_autofree char *s = ks_sanitize(raw ? raw : "", KS_SANITIZE_LINE, NULL);
	GString *o = g_string_new("\"");
	if (strchr("=+-@", s[0]) && s[0])
		g_string_append_c(o, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			g_string_append_c(o, '"');
		g_string_append_c(o, *p);
	}
	g_string_append_c(o, '"');
	return g_string_free(o, FALSE);
}

static char *from_text(const ks_report *r)
{
	if (!r->from->len)
		return g_strdup("");
	ks_address *a = g_ptr_array_index(r->from, 0);
	if (a->name && a->address)
		return g_strdup_printf("%s <%s>", a->name, a->address);
	return g_strdup(a->address ? a->address : a->name);
}

static char *summarise(const ks_report *r, const ks_pool_item *j, out_format fmt)
{
	ks_severity max = KS_SEV_INFO;
	bool any = ks_report_max_severity(r, &max);
	g_autofree char *date = ks_time_format(r->date);
	g_autofree char *from = from_text(r);
	/* rule ids, each once, in report order */
	g_autoptr(GPtrArray) rules = g_ptr_array_new();
	for (guint i = 0; i < r->findings->len; i++) {
		const char *id = ks_rule_id(((ks_finding *)g_ptr_array_index(r->findings, i))->rule);
		bool seen = false;
		for (guint k = 0; k < rules->len && !seen; k++)
			seen = strcmp(g_ptr_array_index(rules, k), id) == 0;
		if (!seen)
			g_ptr_array_add(rules, (gpointer)id);
	}
	if (fmt == OUT_CSV) {
		GString *ids = g_string_new(NULL);
		for (guint k = 0; k < rules->len; k++)
			g_string_append_printf(ids, "%s%s", k ? " " : "",
			                       (const char *)g_ptr_array_index(rules, k));
		g_autofree char *f1 = csv_field(j->where);
		g_autofree char *f2 = csv_field(date);
		g_autofree char *f3 = csv_field(from);
		g_autofree char *f4 = csv_field(r->subject);
		g_autofree char *f5 = csv_field(ids->str);
		g_string_free(ids, TRUE);
		return g_strdup_printf("%s,%d,%s,%s,%s,%s,%d,%d,%s", f1, j->index, f2, f3, f4,
		                       any ? ks_severity_name(max) : "none", r->assessment.score,
		                       r->assessment.bec_type, f5);
	}
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "path");
	json_builder_add_string_value(b, j->where);
	json_builder_set_member_name(b, "index");
	json_builder_add_int_value(b, j->index);
	json_builder_set_member_name(b, "date");
	if (date)
		json_builder_add_string_value(b, date);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "from");
	json_builder_add_string_value(b, from);
	json_builder_set_member_name(b, "subject");
	if (r->subject)
		json_builder_add_string_value(b, r->subject);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "severity");
	if (any)
		json_builder_add_string_value(b, ks_severity_name(max));
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "score");
	json_builder_add_int_value(b, r->assessment.score);
	json_builder_set_member_name(b, "bec_type");
	json_builder_add_int_value(b, r->assessment.bec_type);
	json_builder_set_member_name(b, "rules");
	json_builder_begin_array(b);
	for (guint k = 0; k < rules->len; k++)
		json_builder_add_string_value(b, g_ptr_array_index(rules, k));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "sha256");
	json_builder_add_string_value(b, r->sha256);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

static char *error_line(const ks_pool_item *j, const char *why, out_format fmt)
{
	if (fmt == OUT_CSV) {
		g_autofree char *f1 = csv_field(j->where);
		g_autofree char *f5 = csv_field(why);
		return g_strdup_printf("%s,%d,\"\",\"\",\"\",error,0,0,%s", f1, j->index, f5);
	}
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "path");
	json_builder_add_string_value(b, j->where);
	json_builder_set_member_name(b, "index");
	json_builder_add_int_value(b, j->index);
	json_builder_set_member_name(b, "error");
	json_builder_add_string_value(b, why);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

/* On a worker: the message's line. */
static void *reduce(const ks_pool_item *item, void *user)
{
	const scan_state *st = user;
	scan_line *l = g_new0(scan_line, 1);
	ks_severity max;
	l->severity = item->report && ks_report_max_severity(item->report, &max) ? (int)max : -1;
	l->line = item->report ? summarise(item->report, item, st->fmt)
	                       : error_line(item, item->error, st->fmt);
	return l;
}

static void take(void *result, void *user)
{
	scan_state *st = user;
	scan_line *l = result;
	st->worst = MAX(st->worst, l->severity);
	if (!st->gone) {
		fputs(l->line, stdout);
		fputc('\n', stdout);
		st->gone = ferror(stdout) && ks_cli_stdout_gone();
	}
	g_free(l->line);
	g_free(l);
}

static bool stop(void *user)
{
	return ((const scan_state *)user)->gone;
}

static void progress(const ks_mailbox *mb, int count, bool final, void *user)
{
	(void)user;
	uint64_t done, total;
	ks_mailbox_progress(mb, &done, &total);
	int pct = total ? (int)(done * 100 / total) : 100;
	fprintf(stderr, "\rkensa: scanned %d messages, %.1f MB (%d%%)%s", count,
	        (double)done / 1e6, pct, final ? "\n" : "");
	fflush(stderr);
}

static const char *const formats[] = {"jsonl", "csv", NULL}; /* as out_format */

/* the options' values: a command runs once per process */
static int format = OUT_JSONL, fail_at = -1;
static const ks_cli_opt opts[] = {
	{.name = "--format", .choices = formats, .choice = &format,
	 .help = N_("one JSON object per line (default), or CSV with a header")},
	{.name = "--fail-on", .choices = ks_cli_severity_choices, .choice = &fail_at,
	 .help = N_("exit 1 when a message has a finding at least this severe")},
	{0},
};
const ks_cli_command ks_cmd_scan_table = {
	"scan", "MBOX|DIR",
	N_("  Triage every message of an mbox, a Maildir or a directory of .eml files:\n"
	"  one line each with date, from, subject, highest severity and rule ids.\n"
	"  Exit: 0 done, 1 a finding at or above --fail-on, 2 usage, 3 unreadable input.\n"),
	opts, 1, 1, N_("missing MBOX or DIR (see kensa scan --help)"), N_("one MBOX or DIR only"),
};

int ks_cmd_scan(int argc, char **argv)
{
	g_autoptr(GPtrArray) operands = g_ptr_array_new();
	int parsed = ks_cli_parse(&ks_cmd_scan_table, argc - 1, argv + 1, operands);
	if (parsed != KS_CLI_GO)
		return parsed;
	const char *path = operands->pdata[0];
	out_format fmt = (out_format)format;
	GError *err = NULL;
	ks_mailbox *mb = ks_mailbox_open(path, &err);
	if (!mb) {
		ks_cli_error(path, err->message);
		g_error_free(err);
		return KS_EXIT_INPUT;
	}
	g_autoptr(ks_context) ctx = ks_cli_load_context();
	scan_state st = {.fmt = fmt, .worst = -1};
	ks_pool_ops ops = {
		.reduce = reduce,
		.take = take,
		.progress = isatty(STDERR_FILENO) ? progress : NULL,
		.stop = stop,
		.user = &st,
	};
	if (fmt == OUT_CSV)
		puts("path,index,date,from,subject,severity,score,bec_type,rules");
	ks_pool_analyze_mailbox(mb, ctx, &ops);
	ks_mailbox_close(mb);
	ks_severity fail_on;
	bool failed = ks_cli_severity_of(fail_at, &fail_on) && st.worst >= (int)fail_on;
	return ks_cli_stdout_done("scan", failed ? KS_EXIT_FINDING : KS_EXIT_OK);
}
