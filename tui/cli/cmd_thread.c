/* `kensa thread MBOX|DIR|FILE... [--format text|json]`: reconstruct the
 * conversations of one or more mailboxes and messages and print each one's
 * timeline and drift findings (analyzers/threads/thread.h).
 *
 * Messages are analysed on the mailbox thread pool (pool.h) as in
 * `kensa scan`; each report is cut down on its worker to its thread
 * summary, so memory holds summaries, never reports, and the output is
 * written a thread at a time.  --stats prints the analysis and threading
 * times on stderr (make bench reports the threading figure). */
#include "cli/cli.h"
#include "core/i18n.h"
#include "mail/mbox.h"
#include "cli/pool.h"
#include "threads/thread.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	bool mbox;          /* the mailbox being read is an mbox: sources get ":N" */
	ks_thread_set *set; /* summaries, in input order */
	int errors;         /* inputs that were not messages */
} thread_state;

/* On a worker: the message's summary, or NULL when it was not a message. */
static void *reduce(const ks_pool_item *item, void *user)
{
	const thread_state *st = user;
	if (!item->report)
		return NULL;
	g_autofree char *source = st->mbox ? g_strdup_printf("%s:%d", item->where, item->index)
	                                   : g_strdup(item->where);
	return ks_thread_msg_new(item->report, source);
}

static void take(void *msg, void *user)
{
	thread_state *st = user;
	if (msg)
		ks_thread_set_add(st->set, msg);
	else
		st->errors++;
}

/* Reads every input into st->set, analysing on the pool. */
static bool read_inputs(GPtrArray *paths, const ks_context *ctx, thread_state *st)
{
	ks_pool_ops ops = {.reduce = reduce, .take = take, .user = st};
	for (guint p = 0; p < paths->len; p++) {
		const char *path = paths->pdata[p];
		GError *err = NULL;
		ks_mailbox *mb = ks_mailbox_open(path, &err);
		if (!mb) {
			ks_cli_error(path, err->message);
			g_error_free(err);
			return false;
		}
		st->mbox = strcmp(ks_mailbox_format(mb), "mbox") == 0;
		ks_pool_analyze_mailbox(mb, ctx, &ops);
		ks_mailbox_close(mb);
	}
	return true;
}

static void write_out(const char *text, void *user)
{
	fputs(text, user);
}

static const char *const formats[] = {"text", "json", NULL};

/* the options' values: a command runs once per process */
static int format = 0, with_stats = 0, fail_at = -1;
static const ks_cli_opt opts[] = {
	{.name = "--format", .choices = formats, .choice = &format,
	 .help = N_("terminal text (default) or kensa.thread/1 JSON")},
	{.name = "--fail-on", .choices = ks_cli_severity_choices, .choice = &fail_at,
	 .help = N_("exit 1 when a message or a drift rule has a finding at least this severe")},
	{.name = "--stats", .choice = &with_stats,
	 .help = N_("print analysis and threading times on stderr")},
	{0},
};
const ks_cli_command ks_cmd_thread_table = {
	"thread", "MBOX|DIR|FILE...",
	N_("  Reconstruct the threads of mailboxes and messages (Message-ID, In-Reply-To,\n"
	"  References; normalised subjects and quoted headers when those are missing)\n"
	"  and print each thread's timeline with its drift findings: a sender domain\n"
	"  turning into a lookalike, Reply-To, authentication, payment details, Cc.\n"
	"  Exit: 0 done, 1 a finding at or above --fail-on, 2 usage, 3 unreadable input.\n"),
	opts, 1, -1, N_("missing MBOX, DIR or FILE (see kensa thread --help)"), NULL,
};

int ks_cmd_thread(int argc, char **argv)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	int parsed = ks_cli_parse(&ks_cmd_thread_table, argc - 1, argv + 1, paths);
	if (parsed != KS_CLI_GO)
		return parsed;
	bool json = format == 1, stats = with_stats != 0;
	g_autoptr(ks_context) ctx = ks_cli_load_context();
	g_autoptr(ks_thread_set) set = ks_thread_set_new();
	thread_state st = {.set = set};
	gint64 t0 = g_get_monotonic_time();
	if (!read_inputs(paths, ctx, &st))
		return KS_EXIT_INPUT;
	gint64 t1 = g_get_monotonic_time();
	ks_thread_set_build(set, ctx);
	gint64 t2 = g_get_monotonic_time();
	if (json) {
		ks_thread_set_write_json(set, false, write_out, stdout);
		fputc('\n', stdout);
	} else {
		ks_thread_set_write_text(set, write_out, stdout);
	}
	gint64 t3 = g_get_monotonic_time();
	if (st.errors) {
		g_autofree char *why = g_strdup_printf(P_("%d input was not a message, left out",
		                                          "%d inputs were not a message, left out",
		                                          st.errors),
		                                       st.errors);
		ks_cli_error("thread", why);
	}
	if (stats)
		fprintf(stderr,
		        "kensa: thread: %u messages, %u threads; analysis %.3f s, threading %.3f s, "
		        "writing %.3f s\n",
		        ks_thread_set_messages(set)->len, ks_thread_set_threads(set)->len,
		        (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6, (double)(t3 - t2) / 1e6);
	/* each message's highest severity counts its own findings and the drift ones */
	ks_severity fail_on;
	bool failed = false;
	const GPtrArray *msgs = ks_thread_set_messages(set);
	for (guint i = 0; ks_cli_severity_of(fail_at, &fail_on) && i < msgs->len && !failed; i++)
		failed = ((const ks_thread_msg *)msgs->pdata[i])->max_severity >= (int)fail_on;
	return ks_cli_stdout_done("thread", failed ? KS_EXIT_FINDING : KS_EXIT_OK);
}
