/* The IOC pane (i in the message panes): every indicator of the report
 * with its role (attacker, victim, internal, benign), defanged as exports
 * write it; y copies it defanged, Y as it is (live: to paste into a block
 * list or a search); a adds it to the message's case as the attacker's,
 * the analyst's word over the analyzers' role (the message is added to a
 * case first when it is in none).  It borrows the report and the case of
 * the view beneath. */
#include "wb.h"

#include "handoff.h"
#include "msgcase.h"
#include "output/writers.h"
#include "text.h"

typedef struct {
	const ks_report *r;
	ks_msgcase *c;
	const char *subject;
	int sel, top;
} iocview;

static void iocview_draw(wb *w, view *v)
{
	iocview *c = v->data;
	int n = (int)c->r->iocs->len;
	int by = 1, bx = 2, bh = LINES - 3, bw = COLS - 4;
	int rows = MAX(1, bh - 2);
	c->sel = n ? CLAMP(c->sel, 0, n - 1) : 0;
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + rows)
		c->top = c->sel - rows + 1;
	g_autofree char *title = g_strdup_printf(_("IOCs (%d): role, kind, value (defanged)"), n);
	ks_draw_clear(stdscr, by, bx, bh, bw);
	ks_draw_box(stdscr, by, bx, bh, bw, title, true);
	if (!n)
		ks_draw_text(stdscr, by + 1, bx + 1, bw - 2, _("(no indicators)"), KS_ROLE_DIMMED, true);
	for (int i = 0; i < rows && c->top + i < n; i++) {
		const ks_ioc *ioc = c->r->iocs->pdata[c->top + i];
		g_autofree char *shown = ks_defang(ioc->value, ioc->kind);
		g_autofree char *line = g_strdup_printf("%-9s %-9s %s", ks_ioc_role_name(ioc->role),
		                                        ks_ioc_kind_name(ioc->kind), shown);
		bool on = c->top + i == c->sel;
		ks_role role = on ? KS_ROLE_SELECTION
		             : ioc->role == KS_IOC_ROLE_ATTACKER ? KS_ROLE_HIGH
		                                                 : KS_ROLE_NORMAL;
		ks_draw_text(stdscr, by + 1 + i, bx + 1, bw - 2, line, role, on);
	}
	static const ks_hint hints[] = {
		{REQ_UP, REQ_DOWN, NC_("hint", "move")},
		{REQ_COPY, REQ_NONE, NC_("hint", "copy defanged")},
		{REQ_COPY_RAW, REQ_NONE, NC_("hint", "copy as is")},
		{REQ_ADD_TO_CASE, REQ_NONE, NC_("hint", "to case as attacker's")},
		{REQ_QUIT, REQ_NONE, NC_("hint", "back")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

static bool iocview_key(wb *w, view *v, ks_request req, int key)
{
	iocview *c = v->data;
	int n = (int)c->r->iocs->len, page = MAX(1, LINES - 6);
	const ks_ioc *ioc = n ? c->r->iocs->pdata[CLAMP(c->sel, 0, n - 1)] : NULL;
	switch (req) {
	case REQ_UP: c->sel--; break;
	case REQ_DOWN: c->sel++; break;
	case REQ_PAGE_UP: c->sel -= page; break;
	case REQ_PAGE_DOWN: c->sel += page; break;
	case REQ_TOP: c->sel = 0; break;
	case REQ_BOTTOM: c->sel = n - 1; break;
	case REQ_COPY:
	case REQ_COPY_RAW: {
		if (!ioc)
			return true;
		g_autofree char *value =
			req == REQ_COPY ? ks_defang(ioc->value, ioc->kind) : g_strdup(ioc->value);
		ks_clipboard_copy(value);
		g_autofree char *shown = ks_defang(ioc->value, ioc->kind);
		ks_wb_status(w, req == REQ_COPY ? _("copied (OSC 52): %s") : _("copied as is (OSC 52): %s"),
		             shown);
		return true;
	}
	case REQ_ADD_TO_CASE:
		if (!ioc)
			return true;
		if (!ks_msgcase_ensure(w, c->c, c->subject)) {
			if (!w->status)
				ks_wb_status(w, _("the message is in no case: nothing saved"));
			return true;
		}
		ks_wb_judge_ioc(w, c->c->case_id, c->c->message_id, ioc, KS_IOC_ROLE_ATTACKER);
		return true;
	default: return false;
	}
	c->sel = n ? CLAMP(c->sel, 0, n - 1) : 0;
	return true;
}

static const view_ops iocview_ops = {"iocs", iocview_draw, iocview_key, NULL, g_free, true, NULL};

void ks_iocview_open(wb *w, const ks_report *r, ks_msgcase *mc, const char *subject)
{
	iocview *c = g_new0(iocview, 1);
	c->r = r;
	c->c = mc;
	c->subject = subject;
	ks_wb_push(w, &iocview_ops, c);
}
