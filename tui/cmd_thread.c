/* `kensa thread MBOX|DIR|FILE... [--format text|json]`: reconstruct the
 * conversations of one or more mailboxes and messages and print each one's
 * timeline and drift findings (analyzers/thread.h).
 *
 * Messages are analysed on a small thread pool as in `kensa scan`; each
 * report is cut down to its thread summary at once, so memory holds
 * summaries, never reports.  --stats prints the analysis and threading
 * times on stderr (make bench reports the threading figure). */
#include "analyze.h"
#include "cli.h"
#include "mbox.h"
#include "thread.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: kensa thread MBOX|DIR|FILE... [--format text|json] [--stats]\n"
	"  Reconstruct the threads of mailboxes and messages (Message-ID, In-Reply-To,\n"
	"  References; normalised subjects and quoted headers when those are missing)\n"
	"  and print each thread's timeline with its drift findings: a sender domain\n"
	"  turning into a lookalike, Reply-To, authentication, payment details, Cc.\n"
	"  --stats  print analysis and threading times on stderr\n";

typedef struct {
	int seq;
	char *where;
	GBytes *raw;
	ks_thread_msg *msg; /* result, or NULL */
	char *error;
} job;

typedef struct {
	GMutex lock;
	GCond cond;
	int in_flight;
	const ks_context *ctx;
	const char *format_name;
} pool_state;

static void work(gpointer data, gpointer user)
{
	job *j = data;
	pool_state *st = user;
	GError *err = NULL;
	ks_report *r = ks_analyze_bytes(j->raw, j->where, st->format_name, st->ctx, &err);
	g_clear_pointer(&j->raw, g_bytes_unref);
	if (r) {
		j->msg = ks_thread_msg_new(r, j->where);
		ks_report_free(r);
	} else {
		j->error = g_strdup(err ? err->message : "not a message");
		g_clear_error(&err);
	}
	g_mutex_lock(&st->lock);
	st->in_flight--;
	g_cond_broadcast(&st->cond);
	g_mutex_unlock(&st->lock);
}

/* Reads every input, analysing on the pool; jobs in input order. */
static bool read_inputs(GPtrArray *paths, const ks_context *ctx, GPtrArray *jobs)
{
	int workers = CLAMP((int)g_get_num_processors(), 1, 8);
	for (guint p = 0; p < paths->len; p++) {
		const char *path = paths->pdata[p];
		GError *err = NULL;
		ks_mailbox *mb = ks_mailbox_open(path, &err);
		if (!mb) {
			ks_cli_error(path, err->message);
			g_error_free(err);
			return false;
		}
		pool_state st = {0};
		g_mutex_init(&st.lock);
		g_cond_init(&st.cond);
		st.ctx = ctx;
		st.format_name = ks_mailbox_format(mb);
		bool mbox = strcmp(st.format_name, "mbox") == 0;
		GThreadPool *pool = g_thread_pool_new(work, &st, workers, TRUE, NULL);
		char *where = NULL;
		GBytes *raw;
		while ((raw = ks_mailbox_next(mb, &where))) {
			job *j = g_new0(job, 1);
			j->seq = (int)jobs->len;
			j->where = mbox ? g_strdup_printf("%s:%d", where, ks_mailbox_index(mb))
			                : g_strdup(where);
			g_clear_pointer(&where, g_free);
			j->raw = raw;
			g_ptr_array_add(jobs, j);
			g_mutex_lock(&st.lock);
			st.in_flight++;
			/* a few messages per worker in flight: bounded memory */
			while (st.in_flight > workers * 2)
				g_cond_wait(&st.cond, &st.lock);
			g_mutex_unlock(&st.lock);
			g_thread_pool_push(pool, j, NULL);
		}
		g_thread_pool_free(pool, FALSE, TRUE);
		ks_mailbox_close(mb);
		g_mutex_clear(&st.lock);
		g_cond_clear(&st.cond);
	}
	return true;
}

static void job_free(job *j)
{
	g_free(j->where);
	if (j->raw)
		g_bytes_unref(j->raw);
	ks_thread_msg_free(j->msg);
	g_free(j->error);
	g_free(j);
}

int ks_cmd_thread(int argc, char **argv)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	bool json = false, stats = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return KS_EXIT_OK;
		} else if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (v && strcmp(v, "json") == 0)
				json = true;
			else if (v && strcmp(v, "text") == 0)
				json = false;
			else {
				ks_cli_error("thread", "--format takes text or json");
				return KS_EXIT_USAGE;
			}
		} else if (strcmp(a, "--stats") == 0) {
			stats = true;
		} else if (a[0] == '-' && a[1]) {
			g_autofree char *why = g_strdup_printf("unknown option %s (see --help)", a);
			ks_cli_error("thread", why);
			return KS_EXIT_USAGE;
		} else {
			g_ptr_array_add(paths, (gpointer)a);
		}
	}
	if (!paths->len) {
		ks_cli_error("thread", "missing MBOX, DIR or FILE (see kensa thread --help)");
		return KS_EXIT_USAGE;
	}
	g_autoptr(ks_context) ctx = ks_cli_load_context();
	g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func((GDestroyNotify)job_free);
	gint64 t0 = g_get_monotonic_time();
	if (!read_inputs(paths, ctx, jobs))
		return KS_EXIT_INPUT;
	gint64 t1 = g_get_monotonic_time();
	g_autoptr(ks_thread_set) set = ks_thread_set_new();
	int errors = 0;
	for (guint i = 0; i < jobs->len; i++) {
		job *j = jobs->pdata[i];
		if (j->msg)
			ks_thread_set_add(set, g_steal_pointer(&j->msg));
		else
			errors++;
	}
	ks_thread_set_build(set, ctx);
	gint64 t2 = g_get_monotonic_time();
	g_autofree char *out = json ? ks_thread_set_to_json(set, false) : ks_thread_set_to_text(set);
	fputs(out, stdout);
	if (json)
		fputc('\n', stdout);
	gint64 t3 = g_get_monotonic_time();
	if (errors) {
		g_autofree char *why = g_strdup_printf("%d input%s not a message, left out", errors,
		                                       errors == 1 ? " was" : "s were");
		ks_cli_error("thread", why);
	}
	if (stats)
		fprintf(stderr,
		        "kensa: thread: %u messages, %u threads; analysis %.3f s, threading %.3f s, "
		        "writing %.3f s\n",
		        ks_thread_set_messages(set)->len, ks_thread_set_threads(set)->len,
		        (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6, (double)(t3 - t2) / 1e6);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ks_cli_error("thread", "cannot write to standard output");
		return KS_EXIT_INPUT;
	}
	return KS_EXIT_OK;
}
