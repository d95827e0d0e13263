/* The thread view: a mailbox's conversations beside its message list.
 * Left, the threads (drifting ones first); right, the selected thread's
 * vertical timeline (one row per message and per event, the lookalike
 * sender and the changed fields highlighted, each drift finding under its
 * message) and below it the who-wrote-to-whom sketch (participants as
 * columns, messages as arrows down the time axis), drawn from
 * ks_thread_sketch.  Enter on a message row opens its panes; q comes back
 * to the same row.  Everything here reads the ks_thread_set; nothing is
 * parsed or analysed except the one message Enter opens. */
#include "wb.h"

#include "checks/analyze.h"
#include "text.h"
#include "threads/thread.h"

#include <string.h>

enum { F_THREADS, F_TIMELINE };

typedef struct {
	char *text;
	ks_role role;
	int message; /* index in the thread's messages, or -1 */
	bool head;   /* the message's own first row */
} trow;

typedef struct {
	char *path;
	ks_thread_set *set; /* borrowed from the message list */
	const GArray *index; /* borrowed: seq -> mailbox index */
	int thread;          /* selected thread */
	int tsel, ttop;      /* thread list selection */
	GPtrArray *rows;     /* trow* of the selected thread */
	int sel, top;        /* timeline selection */
	int focus;
} threadview;

static void trow_free(void *data)
{
	trow *r = data;
	g_free(r->text);
	g_free(r);
}

static trow *add(GPtrArray *rows, ks_role role, int message, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
static trow *add(GPtrArray *rows, ks_role role, int message, const char *fmt, ...)
{
	trow *r = g_new0(trow, 1);
	va_list ap;
	va_start(ap, fmt);
	r->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	r->role = role;
	r->message = message;
	g_ptr_array_add(rows, r);
	return r;
}

static ks_role sev_role(int s)
{
	static const ks_role roles[] = {KS_ROLE_INFO, KS_ROLE_LOW, KS_ROLE_MEDIUM, KS_ROLE_HIGH};
	return s >= 0 && s <= 3 ? roles[s] : KS_ROLE_NORMAL;
}

static char *when_text(GDateTime *t)
{
	return t ? ks_text_time(t, "%m-%d %H:%M") : g_strdup("--");
}

static const ks_thread *current(const threadview *tv)
{
	const GPtrArray *threads = ks_thread_set_threads(tv->set);
	if (tv->thread < 0 || tv->thread >= (int)threads->len)
		return NULL;
	return threads->pdata[tv->thread];
}

static void add_event(GPtrArray *rows, const ks_thread_event *e)
{
	g_autofree char *when = when_text(e->time);
	if (e->message >= 0)
		add(rows, KS_ROLE_DIMMED, -1, "     · %s  %s (%s of #%d)", when, e->event, e->source,
		    e->message + 1);
	else
		add(rows, KS_ROLE_ACCENT, -1, "     · %s  %s", when, e->event);
}

static void build_rows(threadview *tv)
{
	if (tv->rows)
		g_ptr_array_unref(tv->rows);
	tv->rows = g_ptr_array_new_with_free_func(trow_free);
	const ks_thread *t = current(tv);
	if (!t)
		return;
	guint e = 0;
	for (guint k = 0; k < t->messages->len; k++) {
		const ks_thread_msg *m = t->messages->pdata[k];
		while (e < t->events->len && m->date &&
		       g_date_time_compare(((ks_thread_event *)t->events->pdata[e])->time, m->date) < 0)
			add_event(tv->rows, t->events->pdata[e++]);
		g_autofree char *when = when_text(m->date);
		const char *name = m->from.name ? m->from.name : "";
		trow *r;
		if (m->lookalike_of)
			r = add(tv->rows, KS_ROLE_HIGH, (int)k, "#%-2u %s  ● %s  LOOKALIKE of %s  %s", k + 1,
			        when, m->from.address ? m->from.address : "?", m->lookalike_of, name);
		else
			r = add(tv->rows, KS_ROLE_NORMAL, (int)k, "#%-2u %s  ● %s <%s>", k + 1, when, name,
			        m->from.address ? m->from.address : "?");
		r->head = true;
		GString *d = g_string_new(NULL);
		g_string_append_printf(d, "      [%s] auth spf=%s dkim=%s dmarc=%s",
		                       m->from.domain ? m->from.domain : "?", m->spf ? m->spf : "-",
		                       m->dkim ? m->dkim : "-", m->dmarc ? m->dmarc : "-");
		if (m->reply_to.address)
			g_string_append_printf(d, "  Reply-To %s", m->reply_to.address);
		if (m->attachments->len)
			g_string_append_printf(d, "  %u attachment%s", m->attachments->len,
			                       m->attachments->len == 1 ? "" : "s");
		if (m->max_severity >= 0)
			g_string_append_printf(d, "  top %s", ks_severity_name(m->max_severity));
		add(tv->rows, KS_ROLE_DIMMED, (int)k, "%s", d->str);
		g_string_free(d, TRUE);
		if (m->changed->len) {
			GString *c = g_string_new(NULL);
			for (guint i = 0; i < m->changed->len; i++)
				g_string_append_printf(c, "%s%s", i ? ", " : "",
				                       ks_thread_field_label(m->changed->pdata[i]));
			add(tv->rows, KS_ROLE_MEDIUM, (int)k, "      CHANGED: %s", c->str);
			g_string_free(c, TRUE);
		}
		for (guint i = m->own_findings; i < m->findings->len; i++) {
			const ks_finding *f = m->findings->pdata[i];
			add(tv->rows, sev_role(f->severity), (int)k, "      ▲ %s  %s", ks_rule_id(f->rule),
			    f->evidence);
		}
	}
	for (; e < t->events->len; e++)
		add_event(tv->rows, t->events->pdata[e]);
}

/* Selects the head row of message k of the current thread. */
static void select_message(threadview *tv, int k)
{
	for (guint i = 0; i < tv->rows->len; i++) {
		const trow *r = tv->rows->pdata[i];
		if (r->head && r->message == k) {
			tv->sel = (int)i;
			return;
		}
	}
}

static void choose_thread(threadview *tv, int thread)
{
	tv->thread = thread;
	tv->sel = tv->top = 0;
	build_rows(tv);
	const ks_thread *t = current(tv);
	if (t && t->first_lookalike >= 0)
		select_message(tv, t->first_lookalike);
}

/* ---- drawing */

static void draw_list(threadview *tv, int y, int x, int h, int wd)
{
	const GPtrArray *threads = ks_thread_set_threads(tv->set);
	ks_draw_box(stdscr, y, x, h, wd, _("Threads"), tv->focus == F_THREADS);
	int rows = h - 2;
	if (tv->tsel < tv->ttop)
		tv->ttop = tv->tsel;
	if (tv->tsel >= tv->ttop + rows)
		tv->ttop = tv->tsel - rows + 1;
	for (int i = 0; i < rows && tv->ttop + i < (int)threads->len; i++) {
		int n = tv->ttop + i;
		const ks_thread *t = threads->pdata[n];
		bool sel = n == tv->tsel;
		g_autofree char *line = g_strdup_printf(
			"%s%s%2u %s", sel ? "▶" : " ", t->findings->len ? "!" : " ", t->messages->len,
			t->subject && *t->subject ? t->subject : _("(no subject)"));
		ks_role role = sel && tv->focus == F_THREADS ? KS_ROLE_SELECTION
		               : t->first_lookalike >= 0      ? KS_ROLE_HIGH
		               : t->findings->len             ? KS_ROLE_MEDIUM
		                                              : KS_ROLE_NORMAL;
		ks_draw_text(stdscr, y + 1 + i, x + 1, wd - 2, line, role, true);
	}
}

static void draw_timeline(threadview *tv, int y, int x, int h, int wd)
{
	const ks_thread *t = current(tv);
	g_autofree char *title = t ? g_strdup_printf(_("Timeline: %s"), t->subject ? t->subject : "")
	                           : g_strdup(_("Timeline"));
	ks_draw_box(stdscr, y, x, h, wd, title, tv->focus == F_TIMELINE);
	int rows = h - 2;
	if (tv->sel >= (int)tv->rows->len)
		tv->sel = (int)tv->rows->len - 1;
	if (tv->sel < 0)
		tv->sel = 0;
	if (tv->sel < tv->top)
		tv->top = tv->sel;
	if (tv->sel >= tv->top + rows)
		tv->top = tv->sel - rows + 1;
	int line = 0;
	if (t && t->first_lookalike >= 0 && rows > 3) {
		const ks_thread_msg *m = t->messages->pdata[t->first_lookalike];
		g_autofree char *head = g_strdup_printf(
			"first from a lookalike: #%d, %s imitates %s (%s)", t->first_lookalike + 1,
			m->from.domain ? m->from.domain : "?", m->lookalike_of,
			m->from.address ? m->from.address : "?");
		ks_draw_text(stdscr, y + 1, x + 1, wd - 2, head, KS_ROLE_HIGH, true);
		line = 1;
	}
	for (int i = 0; line + i < rows && tv->top + i < (int)tv->rows->len; i++) {
		int n = tv->top + i;
		const trow *r = tv->rows->pdata[n];
		bool sel = n == tv->sel;
		g_autofree char *text = g_strdup_printf("%s%s", sel ? "▶" : " ", r->text);
		ks_role role = sel && tv->focus == F_TIMELINE ? KS_ROLE_SELECTION : r->role;
		ks_draw_text(stdscr, y + 1 + line + i, x + 1, wd - 2, text, role, true);
	}
}

static void draw_sketch(threadview *tv, int y, int x, int h, int wd)
{
	ks_draw_box(stdscr, y, x, h, wd, _("Who wrote to whom"), false);
	const ks_thread *t = current(tv);
	if (!t)
		return;
	g_autoptr(GPtrArray) lines = ks_thread_sketch(t, wd - 2);
	const trow *selrow = tv->sel >= 0 && tv->sel < (int)tv->rows->len ? tv->rows->pdata[tv->sel]
	                                                                  : NULL;
	/* keep the selected message's arrow in sight */
	int first = 0, rows = h - 2;
	for (guint i = 0; selrow && i < lines->len; i++)
		if (((ks_sketch_line *)lines->pdata[i])->message == selrow->message &&
		    (int)i >= rows)
			first = (int)i - rows + 1;
	for (int i = 0; i < rows && first + i < (int)lines->len; i++) {
		const ks_sketch_line *l = lines->pdata[first + i];
		bool sel = selrow && l->message >= 0 && l->message == selrow->message;
		ks_role role = sel ? KS_ROLE_SELECTION : l->alert ? KS_ROLE_HIGH : KS_ROLE_NORMAL;
		ks_draw_text(stdscr, y + 1 + i, x + 1, wd - 2, l->text, role, true);
	}
}

static void threadview_draw(wb *w, view *v)
{
	threadview *tv = v->data;
	const GPtrArray *threads = ks_thread_set_threads(tv->set);
	guint drift = 0;
	for (guint i = 0; i < threads->len; i++)
		drift += ((ks_thread *)threads->pdata[i])->findings->len ? 1 : 0;
	g_autofree char *title = g_strdup_printf("%s — %u threads, %u with drift findings", tv->path,
	                                         threads->len, drift);
	ks_draw_text(stdscr, 0, 0, COLS, title, KS_ROLE_TITLE, true);
	int top = 1, height = LINES - 2;
	int lw = MIN(40, COLS / 3);
	draw_list(tv, top, 0, height, lw);
	const ks_thread *t = current(tv);
	int sketch_h = 0;
	if (t && t->messages->len > 1)
		sketch_h = MIN((int)t->messages->len + 6, height / 2);
	draw_timeline(tv, top, lw, height - sketch_h, COLS - lw);
	if (sketch_h)
		draw_sketch(tv, top + height - sketch_h, lw, sketch_h, COLS - lw);
	static const ks_hint hints[] = {
		{REQ_ENTER, REQ_NONE, NC_("hint", "open")},  {REQ_NEXT_PANE, REQ_NONE, NC_("hint", "threads/timeline")},
		{REQ_UP, REQ_DOWN, NC_("hint", "move")},     {REQ_THREADS, REQ_QUIT, NC_("hint", "back")},
		{REQ_HELP, REQ_NONE, NC_("hint", "help")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

/* ---- keys */

/* Re-reads message number index from the mailbox and opens its panes. */
static void open_message(wb *w, threadview *tv, int index)
{
	ks_msgview_open_mailbox_message(w, tv->path, index, ks_wb_context(w));
}

static void enter(wb *w, threadview *tv)
{
	if (tv->focus == F_THREADS) {
		tv->focus = F_TIMELINE;
		return;
	}
	const ks_thread *t = current(tv);
	if (!t || tv->sel < 0 || tv->sel >= (int)tv->rows->len)
		return;
	const trow *r = tv->rows->pdata[tv->sel];
	int k = r->message;
	if (k < 0) {
		ks_wb_status(w, _("an event: Enter opens message rows"));
		return;
	}
	const ks_thread_msg *m = t->messages->pdata[k];
	if (m->seq < 0 || m->seq >= (int)tv->index->len)
		return;
	open_message(w, tv, g_array_index(tv->index, int, m->seq));
}

static bool threadview_key(wb *w, view *v, ks_request req, int key)
{
	threadview *tv = v->data;
	int n = (int)ks_thread_set_threads(tv->set)->len;
	int page = MAX(1, LINES / 2);
	int *sel = tv->focus == F_THREADS ? &tv->tsel : &tv->sel;
	int count = tv->focus == F_THREADS ? n : (int)tv->rows->len;
	switch (req) {
	case REQ_UP: (*sel)--; break;
	case REQ_DOWN: (*sel)++; break;
	case REQ_PAGE_UP: *sel -= page; break;
	case REQ_PAGE_DOWN: *sel += page; break;
	case REQ_TOP: *sel = 0; break;
	case REQ_BOTTOM: *sel = count - 1; break;
	case REQ_NEXT_PANE:
	case REQ_PREV_PANE:
	case REQ_PANE_LEFT:
	case REQ_PANE_RIGHT:
		tv->focus = req == REQ_PANE_LEFT    ? F_THREADS
		            : req == REQ_PANE_RIGHT ? F_TIMELINE
		                                    : 1 - tv->focus;
		return true;
	case REQ_ENTER: enter(w, tv); return true;
	case REQ_THREADS: ks_wb_pop(w); return true;
	default: return false;
	}
	if (*sel >= count)
		*sel = count - 1;
	if (*sel < 0)
		*sel = 0;
	if (tv->focus == F_THREADS && tv->tsel != tv->thread)
		choose_thread(tv, tv->tsel);
	return true;
}

static void threadview_click(wb *w, view *v, int y, int x)
{
	threadview *tv = v->data;
	int lw = MIN(40, COLS / 3);
	if (x < lw) {
		tv->focus = F_THREADS;
		int n = tv->ttop + y - 2;
		if (y >= 2 && n < (int)ks_thread_set_threads(tv->set)->len) {
			tv->tsel = n;
			if (n != tv->thread)
				choose_thread(tv, n);
		}
	} else {
		tv->focus = F_TIMELINE;
		const ks_thread *t = current(tv);
		int skip = t && t->first_lookalike >= 0 ? 1 : 0;
		int n = tv->top + y - 2 - skip;
		if (y >= 2 + skip && n < (int)tv->rows->len)
			tv->sel = n;
	}
}

static void threadview_free(void *data)
{
	threadview *tv = data;
	if (tv->rows)
		g_ptr_array_unref(tv->rows);
	g_free(tv->path);
	g_free(tv);
}

static const view_ops threadview_ops = {"threads", threadview_draw, threadview_key,
                                        threadview_click, threadview_free, false, NULL};

void ks_threadview_open(wb *w, const char *path, struct ks_thread_set *threads,
                        const GArray *index, int select_seq)
{
	threadview *tv = g_new0(threadview, 1);
	tv->path = g_strdup(path);
	tv->set = threads;
	tv->index = index;
	tv->focus = F_TIMELINE;
	/* start on the thread of the message selected in the list when it has
	 * company, else on the first (drifting) thread */
	const GPtrArray *msgs = ks_thread_set_messages(threads);
	const GPtrArray *list = ks_thread_set_threads(threads);
	int thread = 0;
	const ks_thread_msg *chosen = NULL;
	if (select_seq >= 0 && select_seq < (int)msgs->len) {
		chosen = msgs->pdata[select_seq];
		const ks_thread *t = chosen->thread >= 0 && chosen->thread < (int)list->len
		                     ? list->pdata[chosen->thread] : NULL;
		if (t && t->messages->len > 1)
			thread = chosen->thread;
		else
			chosen = NULL;
	}
	tv->tsel = thread;
	choose_thread(tv, thread);
	const ks_thread *t = current(tv);
	if (chosen && t && t->first_lookalike < 0)
		for (guint k = 0; k < t->messages->len; k++)
			if (t->messages->pdata[k] == chosen)
				select_message(tv, (int)k);
	ks_wb_push(w, &threadview_ops, tv);
}
