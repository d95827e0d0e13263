/* One case: a header (title, status, verdict, BEC type; beside the status
 * and the verdict, who set each and when), its messages (date, from,
 * subject, top severity) and its notes, newest first.  Enter on a message
 * re-analyses its stored raw bytes (ks_analyze_bytes, with the store's
 * context less the message itself) and opens the message panes; q returns
 * here.  Tab moves between the messages and the notes.  c, R and D close or
 * reopen, rename and delete the case (a deleted case's view closes), d
 * takes the selected message out of it (casepick.c); H pages through its
 * history.  The view reads the store again every RELOAD_USEC, so what
 * another analyst changes shows without a key (issue 16). */
#include "wb.h"

#include "checks/analyze.h"
#include "cases.h"
#include "cli/cli.h"
#include "core/sanitize.h"
#include "mail/msg.h"
#include "text.h"
#include "output/writers.h"

#include <inttypes.h>
#include <string.h>

#define RELOAD_USEC (3 * G_USEC_PER_SEC)

typedef struct {
	int64_t id;
	ks_case *c;
	GPtrArray *msgs;  /* ks_case_message*, oldest first */
	GPtrArray *notes; /* ks_case_note*, newest first */
	GPtrArray *history; /* ks_case_change*, oldest first */
	int focus;        /* 0 messages, 1 notes */
	int sel, top;     /* messages */
	int ntop;         /* notes: first line shown */
	int nlines;       /* notes: lines at the last draw */
	int64_t sel_id;
	unsigned gen;
	gint64 loaded_at;
} caseview;

static GPtrArray *reversed(GPtrArray *a)
{
	for (guint i = 0; a && i < a->len / 2; i++) {
		gpointer t = a->pdata[i];
		a->pdata[i] = a->pdata[a->len - 1 - i];
		a->pdata[a->len - 1 - i] = t;
	}
	return a;
}

static void reload(wb *w, caseview *cv)
{
	cv->gen = *ks_wb_generation;
	cv->loaded_at = g_get_monotonic_time();
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return;
	GError *err = NULL;
	ks_case *c = ks_case_get(s, cv->id, &err);
	if (!c) {
		if (err)
			ks_wb_db_error(w, _("case"), err);
		else
			ks_wb_status(w, _("case %" PRId64 ": no such case"), cv->id);
		return;
	}
	GPtrArray *msgs = ks_case_messages(s, cv->id, &err);
	GPtrArray *notes = msgs ? ks_case_notes(s, cv->id, &err) : NULL;
	GPtrArray *history = notes ? ks_case_history(s, cv->id, &err) : NULL;
	if (!history) {
		ks_case_free(c);
		if (msgs)
			g_ptr_array_unref(msgs);
		if (notes)
			g_ptr_array_unref(notes);
		ks_wb_db_error(w, _("case"), err);
		return;
	}
	ks_case_free(cv->c);
	if (cv->msgs)
		g_ptr_array_unref(cv->msgs);
	if (cv->notes)
		g_ptr_array_unref(cv->notes);
	if (cv->history)
		g_ptr_array_unref(cv->history);
	cv->c = c;
	cv->msgs = msgs;
	cv->notes = reversed(notes);
	cv->history = history;
	/* the selected message wherever it is; when it has gone (removed), the
	 * row that took its place, or the new last one */
	for (guint i = 0; i < msgs->len; i++)
		if (((ks_case_message *)msgs->pdata[i])->id == cv->sel_id)
			cv->sel = (int)i;
	cv->sel = CLAMP(cv->sel, 0, MAX(0, (int)msgs->len - 1));
	cv->sel_id = msgs->len ? ((ks_case_message *)msgs->pdata[cv->sel])->id : 0;
}

static ks_role sev_role(const char *s)
{
	if (!s)
		return KS_ROLE_DIMMED;
	if (strcmp(s, "high") == 0)
		return KS_ROLE_HIGH;
	if (strcmp(s, "medium") == 0)
		return KS_ROLE_MEDIUM;
	if (strcmp(s, "low") == 0)
		return KS_ROLE_LOW;
	return KS_ROLE_INFO;
}

/* "YYYY-MM-DD HH:MM" of a stored RFC 3339 time, in local time. */
static char *when(const char *rfc3339)
{
	return ks_text_time_rfc3339(rfc3339, "%Y-%m-%d %H:%M");
}

/* "2026-12-07 05:50 UTC": a stored time in the workbench's zone, named by
 * its offset on that day (analysts sharing a store may sit in two zones).
 * brief, as ls -l does: "05:50 UTC" for a time of today, else the day
 * alone, "2026-12-06". */
static char *when_zoned(const char *rfc3339, bool brief)
{
	g_autoptr(GDateTime) t = rfc3339 ? g_date_time_new_from_iso8601(rfc3339, NULL) : NULL;
	if (!t)
		return ks_sanitize(rfc3339 ? rfc3339 : "", KS_SANITIZE_LINE, NULL);
	g_autofree char *day = ks_text_time(t, "%Y-%m-%d");
	if (brief) {
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		g_autofree char *today = ks_text_time(now, "%Y-%m-%d");
		if (strcmp(day, today) != 0)
			return g_steal_pointer(&day);
	}
	g_autofree char *at = ks_text_time(t, "%H:%M");
	g_autofree char *zone = ks_text_zone_at(t);
	return brief ? g_strdup_printf("%s %s", at, zone) : g_strdup_printf("%s %s %s", day, at, zone);
}

/* Who made a change, as the screen may show it: another analyst's name
 * (their KENSA_USER) is text to show, never escapes to obey. */
static char *change_author(const ks_case_change *h)
{
	if (!h->author || !*h->author)
		/* TRANSLATORS: who made a change the store kept no name for */
		return g_strdup(_("unknown"));
	return ks_sanitize(h->author, KS_SANITIZE_LINE, NULL);
}

/* The change that set field to value, the case's value now: the last
 * change of field in the history, or NULL when field was never changed.
 * Also NULL when that change set something else (a case imported with its
 * value but not the change that made it): the header never names someone
 * for a value they did not set. */
static const ks_case_change *last_change(GPtrArray *history, const char *field,
                                         const char *value)
{
	for (guint i = history ? history->len : 0; i-- > 0;) {
		const ks_case_change *h = history->pdata[i];
		if (g_strcmp0(h->field, field) == 0)
			return g_strcmp0(h->now, value) == 0 ? h : NULL;
	}
	return NULL;
}

/* The header's pieces that give way, in this order, when the line would
 * not fit whole: each is shortened or left out entire, never cut in the
 * middle of what it says.  The status, the verdict and the BEC type's
 * number always stay. */
enum {
	OMIT_UPDATED = 1 << 0,     /* the last change of any kind: the case list has it */
	OMIT_STATUS_BY = 1 << 1,   /* who set the status */
	OMIT_TLP = 1 << 2,
	OMIT_BEC_NAME = 1 << 3,    /* the BEC type's name; its number stays */
	BRIEF_VERDICT_BY = 1 << 4, /* who set the verdict, and the time or the day */
	OMIT_VERDICT_BY = 1 << 5,  /* who set the verdict: the last to go */
};

/* A header piece, "verdict malicious", with who set it and when after it
 * unless omitted or never changed (brief: when_zoned's brief time). */
static void add_piece(GString *line, const char *piece, const ks_case_change *by, bool brief)
{
	if (line->len)
		g_string_append(line, " │ ");
	if (!by) {
		g_string_append(line, piece);
		return;
	}
	g_autofree char *who = change_author(by);
	g_autofree char *at = when_zoned(by->at, brief);
	/* TRANSLATORS: a case's field as it is now, then who last changed it
	 * and when: "verdict malicious  (alice, 2026-12-07 05:50 UTC)" */
	g_string_append_printf(line, _("%s  (%s, %s)"), piece, who, at);
}

/* The header's second line, with the pieces in omit given way. */
static char *header_line(const caseview *cv, unsigned omit)
{
	const ks_case *c = cv->c;
	GString *line = g_string_new(NULL);
	g_autofree char *status = g_strdup_printf(_("status %s"), _(c->status));
	g_autofree char *verdict = g_strdup_printf(_("verdict %s"), _(c->verdict));
	g_autofree char *bec = omit & OMIT_BEC_NAME
	                           ? g_strdup_printf(_("BEC type %d"), c->bec_type)
	                           : g_strdup_printf(_("BEC type %d (%s)"), c->bec_type,
	                                             _(ks_bec_type_name(c->bec_type)));
	add_piece(line, status,
	          omit & OMIT_STATUS_BY ? NULL : last_change(cv->history, "status", c->status), false);
	add_piece(line, verdict,
	          omit & OMIT_VERDICT_BY ? NULL : last_change(cv->history, "verdict", c->verdict),
	          omit & BRIEF_VERDICT_BY);
	add_piece(line, bec, NULL, false);
	if (!(omit & OMIT_TLP)) {
		g_autofree char *tlp = g_strdup_printf(_("TLP %s"), c->tlp);
		add_piece(line, tlp, NULL, false);
	}
	if (!(omit & OMIT_UPDATED)) {
		g_autofree char *at = when(c->updated);
		g_autofree char *upd = g_strdup_printf(_("updated %s"), at);
		add_piece(line, upd, NULL, false);
	}
	return g_string_free(line, FALSE);
}

/* The header's second line as wide as the screen allows: pieces give way
 * in the order above until it fits (cut with "…" only when the three that
 * always stay are wider than the screen, in a long translation). */
static void draw_header(const caseview *cv)
{
	unsigned omit = 0;
	char *line = header_line(cv, omit);
	for (unsigned bit = 1; ks_text_width(line) > COLS && bit <= OMIT_VERDICT_BY; bit <<= 1) {
		omit |= bit;
		g_free(line);
		line = header_line(cv, omit);
	}
	ks_draw_text(stdscr, 1, 0, COLS, line, KS_ROLE_ACCENT, true);
	g_free(line);
}

/* Names wider than this are cut in the history's column (a name still
 * shows whole on its own in the header). */
#define AUTHOR_COLUMN_MAX 24

/* The history as the pager shows it, a line per change, oldest first:
 * when, who (a column as wide as the widest name), the field, old → new. */
static GPtrArray *history_lines(GPtrArray *history)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	int whow = 0;
	for (guint i = 0; i < history->len; i++) {
		g_autofree char *who = change_author(history->pdata[i]);
		whow = MAX(whow, MIN(ks_text_width(who), AUTHOR_COLUMN_MAX));
	}
	for (guint i = 0; i < history->len; i++) {
		const ks_case_change *h = history->pdata[i];
		g_autofree char *at = when_zoned(h->at, false);
		g_autofree char *who = change_author(h);
		g_autofree char *cell = ks_text_cell(who, whow);
		g_autofree char *old = ks_cli_change_value(h->field, h->old);
		g_autofree char *now = ks_cli_change_value(h->field, h->now);
		/* TRANSLATORS: one change in a case's history: when, who, which
		 * field, the value before → after */
		g_ptr_array_add(lines, g_strdup_printf(_("%s  %s  %s: %s → %s"), at, cell,
		                                       ks_cli_change_field(h->field), old, now));
	}
	return lines;
}

/* H: the case's history in the pager, as it was at the last reload. */
static void open_history(wb *w, caseview *cv)
{
	if (!cv->history || !cv->history->len) {
		ks_wb_status(w, _("case %" PRId64 ": no change recorded since it was created"), cv->id);
		return;
	}
	g_autofree char *title = g_strdup_printf(
		P_("History of case %" PRId64 " (%u change, oldest first)",
		   "History of case %" PRId64 " (%u changes, oldest first)", cv->history->len),
		cv->id, cv->history->len);
	ks_pager_open(w, title, history_lines(cv->history), -1, -1, false);
}

static void draw_messages(caseview *cv, int y0, int h)
{
	guint n = cv->msgs ? cv->msgs->len : 0;
	g_autofree char *title = g_strdup_printf(cv->focus == 0 ? _("[Messages (%u)]") : _("Messages (%u)"),
	                                         n);
	ks_draw_box(stdscr, y0, 0, h, COLS, title, cv->focus == 0);
	int inner = COLS - 2, sevw = 6, datew = 16, fromw = inner * 30 / 100;
	int subw = inner - sevw - datew - fromw - 3;
	int rows = h - 2;
	cv->sel = CLAMP(cv->sel, 0, MAX(0, (int)n - 1));
	if (cv->sel < cv->top)
		cv->top = cv->sel;
	if (cv->sel >= cv->top + rows)
		cv->top = cv->sel - rows + 1;
	if (!n)
		ks_draw_text(stdscr, y0 + 1, 1, inner,
		             _("(no messages: open one with kensa FILE and press a)"), KS_ROLE_DIMMED,
		             true);
	for (int i = 0; i < rows && cv->top + i < (int)n; i++) {
		const ks_case_message *m = cv->msgs->pdata[cv->top + i];
		bool sel = cv->focus == 0 && cv->top + i == cv->sel;
		ks_role base = sel ? KS_ROLE_SELECTION : KS_ROLE_NORMAL;
		int y = y0 + 1 + i;
		if (sel)
			ks_draw_fill(stdscr, y, 1, inner, base);
		g_autofree char *sev = g_ascii_strup(m->severity ? m->severity : "-", -1);
		g_autofree char *date = when(m->date);
		int x = 1;
		x += ks_draw_text(stdscr, y, x, sevw, sev, sel ? base : sev_role(m->severity), true) + 1;
		x += ks_draw_text(stdscr, y, x, datew, date, base, true) + 1;
		x += ks_draw_text(stdscr, y, x, fromw, m->sender ? m->sender : "", base, true) + 1;
		ks_draw_text(stdscr, y, x, subw, m->subject ? m->subject : _("(no subject)"), base, true);
	}
}

/* The notes as lines: a heading (time, author, about) then the text. */
static GPtrArray *note_lines(GPtrArray *notes, int width, GArray *roles)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; notes && i < notes->len; i++) {
		const ks_case_note *n = notes->pdata[i];
		g_autofree char *t = when(n->created);
		ks_role role = KS_ROLE_ACCENT;
		g_ptr_array_add(out, g_strdup_printf("%s  %s%s%s", t, n->author ? n->author : "",
		                                     n->about ? "  about " : "",
		                                     n->about ? n->about : ""));
		g_array_append_val(roles, role);
		role = KS_ROLE_NORMAL;
		g_auto(GStrv) paras = g_strsplit(n->text ? n->text : "", "\n", -1);
		for (char **p = paras; *p; p++) {
			GPtrArray *wrapped = ks_text_wrap(*p, MAX(10, width - 2));
			for (guint k = 0; k < wrapped->len; k++) {
				g_ptr_array_add(out, g_strdup_printf("  %s", (char *)wrapped->pdata[k]));
				g_array_append_val(roles, role);
			}
			g_ptr_array_unref(wrapped);
		}
	}
	return out;
}

static void draw_notes(caseview *cv, int y0, int h)
{
	guint n = cv->notes ? cv->notes->len : 0;
	g_autofree char *title = g_strdup_printf(cv->focus == 1 ? _("[Notes (%u), newest first]")
	                                                        : _("Notes (%u), newest first"),
	                                         n);
	ks_draw_box(stdscr, y0, 0, h, COLS, title, cv->focus == 1);
	g_autoptr(GArray) roles = g_array_new(FALSE, FALSE, sizeof(ks_role));
	g_autoptr(GPtrArray) lines = note_lines(cv->notes, COLS - 2, roles);
	int rows = h - 2;
	cv->nlines = (int)lines->len;
	cv->ntop = CLAMP(cv->ntop, 0, MAX(0, (int)lines->len - rows));
	if (!lines->len)
		ks_draw_text(stdscr, y0 + 1, 1, COLS - 2, _("(no notes: m writes one)"), KS_ROLE_DIMMED,
		             true);
	for (int i = 0; i < rows && cv->ntop + i < (int)lines->len; i++)
		ks_draw_text(stdscr, y0 + 1 + i, 1, COLS - 2, lines->pdata[cv->ntop + i],
		             g_array_index(roles, ks_role, cv->ntop + i), true);
}

static void caseview_draw(wb *w, view *v)
{
	caseview *cv = v->data;
	if (!cv->c || cv->gen != *ks_wb_generation ||
	    g_get_monotonic_time() - cv->loaded_at > RELOAD_USEC)
		reload(w, cv);
	const ks_case *c = cv->c;
	g_autofree char *title = g_strdup_printf(_("Case %" PRId64 ": %s"), cv->id,
	                                         c ? c->title : _("(not readable)"));
	ks_draw_text(stdscr, 0, 0, COLS, title, KS_ROLE_TITLE, true);
	if (c)
		draw_header(cv);
	int avail = LINES - 3;
	int mh = MAX(5, avail * 45 / 100);
	draw_messages(cv, 2, mh);
	draw_notes(cv, 2 + mh, avail - mh);
	bool closed = c && strcmp(c->status, "closed") == 0;
	const ks_hint hints[] = {
		{REQ_ENTER, REQ_NONE, NC_("hint", "open message")},
		{REQ_NEXT_PANE, REQ_NONE, NC_("hint", "messages/notes")},
		{REQ_NOTE, REQ_NONE, NC_("hint", "note")},
		{REQ_VERDICT, REQ_NONE, NC_("hint", "verdict")},
		{REQ_QUIT, REQ_NONE, NC_("hint", "back")},
		{REQ_HELP, REQ_NONE, NC_("hint", "help")},
		{REQ_REMOVE_MESSAGE, REQ_NONE, NC_("hint", "remove message")},
		{REQ_CLOSE_CASE, REQ_NONE, closed ? NC_("hint", "reopen") : NC_("hint", "close")},
		{REQ_RENAME_CASE, REQ_NONE, NC_("hint", "rename")},
		{REQ_DELETE_CASE, REQ_NONE, NC_("hint", "delete")},
		{REQ_HISTORY, REQ_NONE, NC_("hint", "history")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

static const ks_case_message *selected(caseview *cv)
{
	if (!cv->msgs || cv->sel < 0 || cv->sel >= (int)cv->msgs->len)
		return NULL;
	return cv->msgs->pdata[cv->sel];
}

static void open_message(wb *w, caseview *cv)
{
	const ks_case_message *m = selected(cv);
	ks_store *s = ks_wb_store(w, true);
	if (!m || !s)
		return;
	GError *err = NULL;
	g_autoptr(GBytes) raw = ks_case_message_raw(s, m->id, &err);
	if (!raw) {
		ks_wb_db_error(w, _("message"), err);
		return;
	}
	/* the stored message must not count as an earlier case's attachment */
	g_autoptr(ks_context) ctx = ks_cli_load_context_from(&s, m->sha256);
	const char *where = m->path ? m->path : "(case store)";
	const char *format = ks_msg_sniff(raw) ? "msg" : "eml";
	ks_report *r = ks_analyze_bytes(raw, where, format, ctx, &err);
	if (!r) {
		ks_wb_status(w, _("message %" PRId64 ": %s"), m->id,
		             err ? err->message : "not a message");
		g_clear_error(&err);
		return;
	}
	ks_msg_source src = {.raw = raw, .path = where, .format = format, .case_id = cv->id,
	                     .message_id = m->id};
	ks_msgview_open_source(w, r, true, 0, &src);
}

static bool caseview_key(wb *w, view *v, ks_request req, int key)
{
	caseview *cv = v->data;
	int page = MAX(1, (LINES - 3) * 45 / 100 - 3);
	int *pos = cv->focus == 0 ? &cv->sel : &cv->ntop;
	switch (req) {
	case REQ_UP: (*pos)--; break;
	case REQ_DOWN: (*pos)++; break;
	case REQ_PAGE_UP: *pos -= page; break;
	case REQ_PAGE_DOWN: *pos += page; break;
	case REQ_TOP: *pos = 0; break;
	case REQ_BOTTOM: *pos = cv->focus == 0 ? (cv->msgs ? (int)cv->msgs->len : 0) : cv->nlines;
		break;
	case REQ_NEXT_PANE:
	case REQ_PREV_PANE: cv->focus = !cv->focus; break;
	case REQ_ENTER:
		if (cv->focus == 0)
			open_message(w, cv);
		return true;
	case REQ_NEXT_MESSAGE:
	case REQ_PREV_MESSAGE: {
		int n = cv->msgs ? (int)cv->msgs->len : 0;
		int to = cv->sel + (req == REQ_NEXT_MESSAGE ? 1 : -1);
		if (to < 0 || to >= n) {
			ks_wb_status(w, "%s", to < 0 ? _("the first message of the case")
			                             : _("the last message of the case"));
			return true;
		}
		cv->sel = to;
		open_message(w, cv);
		return true;
	}
	case REQ_NOTE: {
		const ks_case_message *m = cv->focus == 0 ? selected(cv) : NULL;
		g_autofree char *about = m ? g_strdup_printf("message:%" G_GINT64_FORMAT, m->id) : NULL;
		ks_wb_write_note(w, cv->id, about);
		return true;
	}
	case REQ_VERDICT: ks_wb_set_verdict(w, cv->id); return true;
	case REQ_HISTORY: open_history(w, cv); return true;
	case REQ_CLOSE_CASE: ks_wb_close_case(w, cv->id); return true;
	case REQ_RENAME_CASE: ks_wb_rename_case(w, cv->id); return true;
	case REQ_DELETE_CASE:
		if (ks_wb_delete_case(w, cv->id))
			ks_wb_pop(w); /* back to the list (or search) it came from; cv is freed */
		return true;
	case REQ_REMOVE_MESSAGE: {
		const ks_case_message *m = cv->focus == 0 ? selected(cv) : NULL;
		if (m)
			ks_wb_remove_message(w, cv->id, m->id, m->subject);
		else
			ks_wb_status(w, "%s", cv->focus == 0 ? _("the case holds no message")
			                                     : _("select a message (Tab to Messages) to remove it"));
		return true;
	}
	case REQ_ADD_TO_CASE:
		ks_wb_status(w, _("open a message (Enter) and press a there to add it to another case"));
		return true;
	default: return false;
	}
	if (*pos < 0)
		*pos = 0;
	if (cv->focus == 0 && cv->msgs && cv->sel >= (int)cv->msgs->len)
		cv->sel = (int)cv->msgs->len - 1;
	const ks_case_message *m = selected(cv);
	cv->sel_id = m ? m->id : 0;
	return true;
}

static void caseview_free(void *data)
{
	caseview *cv = data;
	ks_case_free(cv->c);
	if (cv->msgs)
		g_ptr_array_unref(cv->msgs);
	if (cv->notes)
		g_ptr_array_unref(cv->notes);
	if (cv->history)
		g_ptr_array_unref(cv->history);
	g_free(cv);
}

static const view_ops caseview_ops = {"case", caseview_draw, caseview_key, NULL, caseview_free,
                                      false, &ks_case_keymap};

void ks_caseview_open(wb *w, int64_t case_id, int64_t select_message)
{
	caseview *cv = g_new0(caseview, 1);
	cv->id = case_id;
	cv->sel_id = select_message;
	ks_wb_push(w, &caseview_ops, cv);
}
