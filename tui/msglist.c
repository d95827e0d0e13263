/* The message list of a mailbox (mbox, Maildir, directory of messages).
 * A background thread reads and analyses each message and keeps only a
 * summary row (date, from, subject, top severity); the list shows rows as
 * they arrive, with a progress bar.  Enter re-reads and re-analyses the
 * chosen message, so memory stays small; q in the message comes back here
 * with the selection kept.  S sorts by severity, D by date, f filters. */
#include "wb.h"

#include "checks/analyze.h"
#include "cases.h"
#include "cli/cli.h"
#include "core/digest.h"
#include "mail/mbox.h"
#include "text.h"
#include "threads/thread.h"

#include <inttypes.h>
#include <string.h>

typedef struct {
	int index;      /* 1-based place in the mailbox */
	char *date;     /* RFC 3339, sorts as text within one offset */
	gint64 unix_ts; /* for sorting; 0 when unknown */
	char *from, *subject;
	int severity; /* -1: no findings */
	int score;
	char *error; /* when the message could not be analysed */
	bool tagged; /* T (main thread only) */
} entry;

typedef struct {
	char *path;
	const ks_context *ctx; /* borrowed from the workbench */
	GThread *thread;
	GMutex lock;
	GPtrArray *entries; /* entry*, in mailbox order; guarded by lock */
	guint64 done, total;
	bool finished;
	gint cancel;
	char *load_error;
	/* thread summaries, made while loading (guarded by lock); t builds the
	 * threads from them once the list is complete */
	ks_thread_set *threads;
	GArray *thread_index; /* int: mailbox index of each summary, by seq */
	/* view state (main thread only) */
	GPtrArray *shown; /* entry*, filtered and sorted */
	enum { SORT_MAILBOX, SORT_SEVERITY, SORT_DATE } sort;
	char *filter;
	int sel_index; /* entry index of the selection (kept across sorts) */
	int sel, top;
	bool apply; /* ; was pressed: the next a adds the tagged messages */
} msglist;

static void entry_free(void *data)
{
	entry *e = data;
	g_free(e->date);
	g_free(e->from);
	g_free(e->subject);
	g_free(e->error);
	g_free(e);
}

static entry *summarize(const ks_report *r, int index)
{
	entry *e = g_new0(entry, 1);
	e->index = index;
	e->date = r->date ? ks_text_time(r->date, "%Y-%m-%d %H:%M")
	                  : g_strdup(r->date_raw ? r->date_raw : "");
	e->unix_ts = r->date ? g_date_time_to_unix(r->date) : 0;
	if (r->from && r->from->len) {
		const ks_address *a = r->from->pdata[0];
		e->from = a->name && *a->name ? g_strdup_printf("%s <%s>", a->name,
		                                                a->address ? a->address : "")
		                              : g_strdup(a->address ? a->address : "");
	} else {
		e->from = g_strdup("");
	}
	e->subject = g_strdup(r->subject ? r->subject : "");
	ks_severity s;
	e->severity = ks_report_max_severity(r, &s) ? (int)s : -1;
	e->score = r->assessment.score;
	return e;
}

static gpointer load_thread(gpointer data)
{
	msglist *l = data;
	GError *err = NULL;
	ks_mailbox *mb = ks_mailbox_open(l->path, &err);
	if (!mb) {
		g_mutex_lock(&l->lock);
		l->load_error = g_strdup(err->message);
		l->finished = true;
		g_mutex_unlock(&l->lock);
		g_error_free(err);
		return NULL;
	}
	char *where = NULL;
	GBytes *raw;
	while (!g_atomic_int_get(&l->cancel) && (raw = ks_mailbox_next(mb, &where))) {
		int index = ks_mailbox_index(mb);
		const char *problem = ks_mailbox_problem(mb);
		ks_report *r = problem ? NULL
		                       : ks_analyze_bytes(raw, where, ks_mailbox_format(mb), l->ctx, &err);
		g_bytes_unref(raw);
		entry *e;
		if (r) {
			e = summarize(r, index);
			ks_thread_msg *tm = ks_thread_msg_new(r, where);
			g_mutex_lock(&l->lock);
			ks_thread_set_add(l->threads, tm);
			g_array_append_val(l->thread_index, index);
			g_mutex_unlock(&l->lock);
			ks_report_free(r);
		} else {
			e = g_new0(entry, 1);
			e->index = index;
			e->severity = -1;
			e->date = g_strdup("");
			e->from = g_strdup("");
			e->subject = g_strdup(problem ? _("(unreadable)") : _("(not a message)"));
			e->error = g_strdup(problem ? problem : err ? err->message : "not a message");
			g_clear_error(&err);
		}
		g_clear_pointer(&where, g_free);
		g_mutex_lock(&l->lock);
		g_ptr_array_add(l->entries, e);
		ks_mailbox_progress(mb, &l->done, &l->total);
		g_mutex_unlock(&l->lock);
	}
	ks_mailbox_close(mb);
	g_mutex_lock(&l->lock);
	l->finished = true;
	g_mutex_unlock(&l->lock);
	return NULL;
}

static gint by_severity(gconstpointer a, gconstpointer b)
{
	const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
	if (x->severity != y->severity)
		return y->severity - x->severity;
	if (x->score != y->score)
		return y->score - x->score;
	return x->index - y->index;
}

static gint by_date(gconstpointer a, gconstpointer b)
{
	const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
	if (x->unix_ts != y->unix_ts)
		return x->unix_ts < y->unix_ts ? 1 : -1;
	return x->index - y->index;
}

/* A filter that names a severity ("high", "MEDIUM", "low+": at least low,
 * "none"): the lowest severity shown (-1 for none), *exact when only that
 * one is; false for a filter that is text. */
static bool severity_filter(const char *f, int *level, bool *exact)
{
	g_autofree char *w = g_strstrip(g_ascii_strdown(f, -1));
	size_t n = strlen(w);
	*exact = !(n && w[n - 1] == '+');
	if (!*exact)
		w[n - 1] = '\0';
	if (strcmp(w, "none") == 0) {
		*level = -1;
		return true;
	}
	ks_severity s;
	if (!ks_severity_parse(w, &s) || s == KS_SEV_INFO)
		return false;
	*level = (int)s;
	return true;
}

/* Rebuilds the shown rows from the entries (under the lock). */
static void refresh_rows(msglist *l)
{
	g_ptr_array_set_size(l->shown, 0);
	int level = 0;
	bool exact = false;
	bool by_sev = l->filter && severity_filter(l->filter, &level, &exact);
	g_mutex_lock(&l->lock);
	for (guint i = 0; i < l->entries->len; i++) {
		entry *e = l->entries->pdata[i];
		bool keep = by_sev ? (exact ? e->severity == level : e->severity >= level)
		                   : !l->filter || ks_text_contains(e->subject, l->filter) ||
		                         ks_text_contains(e->from, l->filter) ||
		                         ks_text_contains(e->date, l->filter);
		if (keep)
			g_ptr_array_add(l->shown, e);
	}
	g_mutex_unlock(&l->lock);
	if (l->sort == SORT_SEVERITY)
		g_ptr_array_sort(l->shown, by_severity);
	else if (l->sort == SORT_DATE)
		g_ptr_array_sort(l->shown, by_date);
	l->sel = 0;
	for (guint i = 0; i < l->shown->len; i++)
		if (((entry *)l->shown->pdata[i])->index == l->sel_index)
			l->sel = (int)i;
}

static const char *sev_label(int s)
{
	switch (s) {
	case 0: return C_("severity column", "info");
	case 1: return C_("severity column", "LOW");
	case 2: return C_("severity column", "MEDIUM");
	case 3: return C_("severity column", "HIGH");
	default: return "-";
	}
}

static ks_role sev_role(int s)
{
	static const ks_role roles[] = {KS_ROLE_INFO, KS_ROLE_LOW, KS_ROLE_MEDIUM, KS_ROLE_HIGH};
	return s >= 0 && s <= 3 ? roles[s] : KS_ROLE_DIMMED;
}

static void msglist_draw(wb *w, view *v)
{
	msglist *l = v->data;
	refresh_rows(l);
	g_mutex_lock(&l->lock);
	bool finished = l->finished;
	guint64 done = l->done, total = l->total;
	guint count = l->entries->len;
	g_autofree char *load_error = g_strdup(l->load_error);
	g_mutex_unlock(&l->lock);

	static const char *const sorts[] = {N_("mailbox order"), N_("severity"), N_("date")};
	GString *t = g_string_new(NULL);
	g_string_append_printf(t, P_("%s — %u message", "%s — %u messages", count), l->path, count);
	if (!finished)
		g_string_append_printf(t, " %s", _("(loading)"));
	g_string_append_printf(t, _(", sorted by %s"), _(sorts[l->sort]));
	if (l->filter)
		g_string_append_printf(t, _(", filter: %s"), l->filter);
	g_autofree char *title = g_string_free(t, FALSE);
	ks_draw_text(stdscr, 0, 0, COLS, title, KS_ROLE_TITLE, true);
	int fromw = 28, datew = 17, sevw = 7;
	int subw = COLS - sevw - datew - fromw - 3;
	int x = 0;
	x += ks_draw_text(stdscr, 1, x, sevw, _("SEV"), KS_ROLE_DIMMED, true);
	g_autofree char *zone = ks_text_zone();
	g_autofree char *date_head = g_strdup_printf(_("DATE (%s)"), zone);
	x += ks_draw_text(stdscr, 1, x + 1, datew, date_head, KS_ROLE_DIMMED, true) + 1;
	x += ks_draw_text(stdscr, 1, x + 1, fromw, _("FROM"), KS_ROLE_DIMMED, true) + 1;
	ks_draw_text(stdscr, 1, x + 1, subw, _("SUBJECT"), KS_ROLE_DIMMED, true);

	int rows = LINES - 4;
	if (l->sel >= (int)l->shown->len)
		l->sel = (int)l->shown->len - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	for (int i = 0; i < rows && l->top + i < (int)l->shown->len; i++) {
		const entry *e = l->shown->pdata[l->top + i];
		bool sel = l->top + i == l->sel;
		int y = 2 + i;
		if (sel)
			ks_draw_fill(stdscr, y, 0, COLS, KS_ROLE_SELECTION);
		ks_role base = sel ? KS_ROLE_SELECTION : KS_ROLE_NORMAL;
		g_autofree char *sev = g_strdup_printf("%s%s", e->tagged ? "*" : "", sev_label(e->severity));
		x = ks_draw_text(stdscr, y, 0, sevw, sev, sel ? base : sev_role(e->severity), true);
		x += ks_draw_text(stdscr, y, x + 1, datew, e->date, base, true) + 1;
		x += ks_draw_text(stdscr, y, x + 1, fromw, e->from, base, true) + 1;
		ks_draw_text(stdscr, y, x + 1, subw, e->subject, base, true);
	}
	if (load_error) {
		g_autofree char *m = g_strdup_printf(_("load stopped: %s"), load_error);
		ks_draw_text(stdscr, LINES - 2, 0, COLS, m, KS_ROLE_HIGH, true);
	} else if (!finished) {
		int pct = total ? (int)(done * 100 / total) : 0;
		int barw = MAX(10, COLS - 30);
		int fill = barw * pct / 100;
		g_autofree char *bar = g_strdup_printf(_("loading %3d%% "), pct);
		int bx = ks_draw_text(stdscr, LINES - 2, 0, COLS, bar, KS_ROLE_ACCENT, false);
		ks_draw_fill(stdscr, LINES - 2, bx, fill, KS_ROLE_SELECTION);
		ks_draw_fill(stdscr, LINES - 2, bx + fill, barw - fill, KS_ROLE_DIMMED);
	}
	static const ks_hint hints[] = {
		{REQ_ENTER, REQ_NONE, NC_("hint", "open")},         {REQ_THREADS, REQ_NONE, NC_("hint", "threads")},
		{REQ_SORT_SEVERITY, REQ_NONE, NC_("hint", "severity")}, {REQ_SORT_DATE, REQ_NONE, NC_("hint", "date")},
		{REQ_FILTER, REQ_NONE, NC_("hint", "filter")},      {REQ_SEARCH, REQ_NONE, NC_("hint", "search")},
		{REQ_HELP, REQ_NONE, NC_("hint", "help")},          {REQ_QUIT, REQ_NONE, NC_("hint", "quit")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

static void remember(msglist *l)
{
	if (l->sel >= 0 && l->sel < (int)l->shown->len)
		l->sel_index = ((entry *)l->shown->pdata[l->sel])->index;
}

/* Re-reads message number index from the mailbox and analyses it again. */
static void open_message(wb *w, msglist *l)
{
	if (l->sel < 0 || l->sel >= (int)l->shown->len)
		return;
	const entry *e = l->shown->pdata[l->sel];
	if (e->error) {
		ks_wb_status(w, _("message %d: %s"), e->index, e->error);
		return;
	}
	ks_msgview_open_mailbox_message(w, l->path, e->index, l->ctx);
}

/* t: the thread view, once every message is in (threads need them all). */
static void open_threads(wb *w, msglist *l)
{
	g_mutex_lock(&l->lock);
	bool finished = l->finished;
	g_mutex_unlock(&l->lock);
	if (!finished) {
		ks_wb_status(w, _("threads: the list is still loading"));
		return;
	}
	ks_thread_set_build(l->threads, l->ctx); /* once; later calls return at once */
	int select = -1;
	if (l->sel >= 0 && l->sel < (int)l->shown->len) {
		int index = ((entry *)l->shown->pdata[l->sel])->index;
		for (guint i = 0; i < l->thread_index->len && select < 0; i++)
			if (g_array_index(l->thread_index, int, i) == index)
				select = (int)i;
	}
	ks_threadview_open(w, l->path, l->threads, l->thread_index, select);
}

/* ; a: every tagged message read again from the mailbox and added to one
 * case, as `kensa case add` would add it. */
static void add_tagged(wb *w, msglist *l)
{
	g_autoptr(GHashTable) want = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_mutex_lock(&l->lock);
	for (guint i = 0; i < l->entries->len; i++) {
		const entry *e = l->entries->pdata[i];
		if (e->tagged)
			g_hash_table_add(want, GINT_TO_POINTER(e->index));
	}
	g_mutex_unlock(&l->lock);
	guint n = g_hash_table_size(want);
	if (!n) {
		ks_wb_status(w, _("nothing tagged: T tags the selected message"));
		return;
	}
	g_autofree char *hint = g_strdup_printf("%u tagged messages", n);
	int64_t id = ks_wb_pick_case(w, hint);
	ks_store *s = id ? ks_wb_store(w, true) : NULL;
	if (!s)
		return;
	GError *err = NULL;
	ks_mailbox *mb = ks_mailbox_open(l->path, &err);
	if (!mb) {
		ks_wb_status(w, _("%s: %s"), l->path, err->message);
		g_error_free(err);
		return;
	}
	int added = 0, already = 0, failed = 0;
	char *where = NULL;
	GBytes *raw;
	while ((raw = ks_mailbox_next(mb, &where))) {
		if (g_hash_table_contains(want, GINT_TO_POINTER(ks_mailbox_index(mb))) &&
		    !ks_mailbox_problem(mb)) {
			g_autofree char *sha = ks_digest_sha256_bytes(raw);
			bool dup = false;
			int64_t mid = 0;
			if (ks_cli_case_add_raw(s, id, raw, sha, where, ks_mailbox_format(mb), &dup, &mid,
			                        NULL, &err))
				dup ? already++ : added++;
			else
				failed++;
			g_clear_error(&err);
		}
		g_bytes_unref(raw);
		g_clear_pointer(&where, g_free);
	}
	ks_mailbox_close(mb);
	ks_wb_status(w, _("case %" PRId64 ": %d added, %d already there%s"), id, added, already,
	             failed ? ", some could not be added" : "");
}

static bool msglist_key(wb *w, view *v, ks_request req, int key)
{
	msglist *l = v->data;
	bool applying = l->apply; /* ; holds for the one key after it */
	l->apply = false;
	int page = MAX(1, LINES - 5);
	switch (req) {
	case REQ_THREADS:
		remember(l);
		open_threads(w, l);
		return true;
	case REQ_UP: l->sel--; break;
	case REQ_DOWN: l->sel++; break;
	case REQ_PAGE_UP: l->sel -= page; break;
	case REQ_PAGE_DOWN: l->sel += page; break;
	case REQ_TOP: l->sel = 0; break;
	case REQ_BOTTOM: l->sel = (int)l->shown->len - 1; break;
	case REQ_ENTER:
		remember(l);
		open_message(w, l);
		return true;
	case REQ_TAG:
		if (l->sel < (int)l->shown->len) {
			entry *e = l->shown->pdata[l->sel];
			e->tagged = !e->tagged;
			l->sel++;
		}
		break;
	case REQ_APPLY:
		l->apply = true;
		ks_wb_status(w, _("; a: add the tagged messages to a case"));
		return true;
	case REQ_ADD_TO_CASE:
		if (!applying) {
			ks_wb_status(w, _("a adds a message from its panes (Enter); T tags, then ; a adds all"));
			return true;
		}
		add_tagged(w, l);
		return true;
	case REQ_NEXT_MESSAGE:
	case REQ_PREV_MESSAGE: {
		/* from the message panes (J/K): the neighbour opens in their place */
		int to = l->sel + (req == REQ_NEXT_MESSAGE ? 1 : -1);
		if (to < 0 || to >= (int)l->shown->len) {
			ks_wb_status(w, "%s", to < 0 ? _("the first message of the list")
			                             : _("the last message of the list"));
			return true;
		}
		l->sel = to;
		remember(l);
		open_message(w, l);
		return true;
	}
	case REQ_SORT_SEVERITY: l->sort = l->sort == SORT_SEVERITY ? SORT_MAILBOX : SORT_SEVERITY; break;
	case REQ_SORT_DATE: l->sort = l->sort == SORT_DATE ? SORT_MAILBOX : SORT_DATE; break;
	case REQ_FILTER:
	case REQ_SEARCH: {
		g_autofree char *f = ks_wb_prompt(w, _("filter: "), l->filter);
		if (f) {
			g_free(l->filter);
			l->filter = *f ? g_steal_pointer(&f) : NULL;
		}
		break;
	}
	default: return false;
	}
	if (l->sel >= (int)l->shown->len)
		l->sel = (int)l->shown->len - 1;
	if (l->sel < 0)
		l->sel = 0;
	remember(l);
	return true;
}

static void msglist_click(wb *w, view *v, int y, int x)
{
	msglist *l = v->data;
	int r = l->top + y - 2;
	if (y >= 2 && r < (int)l->shown->len) {
		l->sel = r;
		remember(l);
	}
}

static void msglist_free(void *data)
{
	msglist *l = data;
	g_atomic_int_set(&l->cancel, 1);
	if (l->thread)
		g_thread_join(l->thread);
	g_ptr_array_unref(l->shown);
	g_ptr_array_unref(l->entries);
	g_mutex_clear(&l->lock);
	g_free(l->filter);
	g_free(l->load_error);
	ks_thread_set_free(l->threads);
	g_array_unref(l->thread_index);
	g_free(l->path);
	g_free(l);
}

static const view_ops msglist_ops = {"list", msglist_draw, msglist_key, msglist_click,
                                     msglist_free, false, NULL};

bool ks_msglist_open(wb *w, const char *path, GError **error)
{
	/* opened once here so an unreadable mailbox is an error before curses */
	ks_mailbox *probe = ks_mailbox_open(path, error);
	if (!probe)
		return false;
	ks_mailbox_close(probe);
	msglist *l = g_new0(msglist, 1);
	l->path = g_strdup(path);
	l->ctx = ks_wb_context(w);
	g_mutex_init(&l->lock);
	l->entries = g_ptr_array_new_with_free_func(entry_free);
	l->threads = ks_thread_set_new();
	l->thread_index = g_array_new(FALSE, FALSE, sizeof(int));
	l->shown = g_ptr_array_new();
	l->sel_index = 1;
	l->thread = g_thread_new("kensa-load", load_thread, l);
	ks_wb_push(w, &msglist_ops, l);
	return true;
}
