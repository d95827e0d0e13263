/* One case: a header (title, status, verdict, BEC type), its messages
 * (date, from, subject, top severity) and its notes, newest first.  Enter
 * on a message re-analyses its stored raw bytes (ks_analyze_bytes, with the
 * store's context less the message itself) and opens the message panes;
 * q returns here.  Tab moves between the messages and the notes.  c, R and
 * D close or reopen, rename and delete the case (a deleted case's view
 * closes), d takes the selected message out of it (casepick.c). */
#include "wb.h"

#include "checks/analyze.h"
#include "cases.h"
#include "cli/cli.h"
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
	if (!notes) {
		ks_case_free(c);
		if (msgs)
			g_ptr_array_unref(msgs);
		ks_wb_db_error(w, _("case"), err);
		return;
	}
	ks_case_free(cv->c);
	if (cv->msgs)
		g_ptr_array_unref(cv->msgs);
	if (cv->notes)
		g_ptr_array_unref(cv->notes);
	cv->c = c;
	cv->msgs = msgs;
	cv->notes = reversed(notes);
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
	if (c) {
		g_autofree char *upd = when(c->updated);
		g_autofree char *line = g_strdup_printf(
			_("status %s │ verdict %s │ BEC type %d (%s) │ TLP %s │ updated %s"), _(c->status),
			_(c->verdict), c->bec_type, _(ks_bec_type_name(c->bec_type)), c->tlp, upd);
		ks_draw_text(stdscr, 1, 0, COLS, line, KS_ROLE_ACCENT, true);
	}
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
