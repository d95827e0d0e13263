/* The case list (`kensa` with no argument): every case with its status,
 * verdict, BEC type, message count, last update, title and last note,
 * most recently updated first; and the search results view that `/` opens
 * (ks_store_search: FTS5 over titles, subjects, senders, bodies and notes).
 * Enter opens a case (caseview.c); c, R and D close or reopen, rename and
 * delete the selected one (casepick.c).  Rows are read from the store again
 * when the workbench wrote to it, and every few seconds for other writers;
 * search results are searched again when the workbench wrote. */
#include "wb.h"

#include "cases.h"
#include "cli/cli.h"
#include "text.h"

#include <string.h>

#define RELOAD_USEC (3 * G_USEC_PER_SEC)

typedef struct {
	char *updated; /* the case's updated when text was read */
	char *text;
} last_note;

typedef struct {
	GPtrArray *cases;       /* ks_case* */
	GHashTable *last_notes; /* case id (gint64*) → last_note* */
	int64_t sel_id;         /* the selection, kept across reloads */
	int sel, top;
	unsigned gen;
	gint64 loaded_at;
	char *path;
} caselist;

static void last_note_free(void *data)
{
	last_note *n = data;
	g_free(n->updated);
	g_free(n->text);
	g_free(n);
}

/* A stored time (RFC 3339 UTC) as local "YYYY-MM-DD HH:MM", or short "MM-DD HH:MM". */
static char *short_time(const char *rfc3339, bool with_year)
{
	return ks_text_time_rfc3339(rfc3339, with_year ? "%Y-%m-%d %H:%M" : "%m-%d %H:%M");
}

static int64_t selected(caselist *l)
{
	if (!l->cases || l->sel < 0 || l->sel >= (int)l->cases->len)
		return 0;
	return ((ks_case *)l->cases->pdata[l->sel])->id;
}

static void reload(wb *w, caselist *l)
{
	ks_store *s = ks_wb_store(w, true);
	l->gen = *ks_wb_generation;
	l->loaded_at = g_get_monotonic_time();
	if (!s)
		return;
	GError *err = NULL;
	GPtrArray *cases = ks_case_list(s, &err);
	if (!cases) {
		ks_wb_db_error(w, _("case list"), err);
		return;
	}
	if (l->cases)
		g_ptr_array_unref(l->cases);
	l->cases = cases;
	/* the selected case wherever it moved; when it has gone (deleted), the
	 * row that took its place, or the new last one */
	for (guint i = 0; i < cases->len; i++)
		if (((ks_case *)cases->pdata[i])->id == l->sel_id)
			l->sel = (int)i;
	l->sel = CLAMP(l->sel, 0, MAX(0, (int)cases->len - 1));
	l->sel_id = selected(l);
}

/* The case's newest note on one line, read once per update of the case. */
static const char *note_of(wb *w, caselist *l, const ks_case *c)
{
	if (!c->notes)
		return "";
	last_note *n = g_hash_table_lookup(l->last_notes, &c->id);
	if (n && g_strcmp0(n->updated, c->updated) == 0)
		return n->text;
	g_autoptr(GPtrArray) notes = ks_case_notes(ks_wb_store(w, true), c->id, NULL);
	n = g_new0(last_note, 1);
	n->updated = g_strdup(c->updated);
	if (notes && notes->len) {
		const ks_case_note *last = notes->pdata[notes->len - 1]; /* oldest first */
		g_auto(GStrv) lines = g_strsplit(last->text ? last->text : "", "\n", -1);
		n->text = g_strjoinv(" ⏎ ", lines);
	} else {
		n->text = g_strdup("");
	}
	gint64 *key = g_new(gint64, 1);
	*key = c->id;
	g_hash_table_replace(l->last_notes, key, n);
	return n->text;
}

static void caselist_draw(wb *w, view *v)
{
	caselist *l = v->data;
	if (!l->cases || l->gen != *ks_wb_generation ||
	    g_get_monotonic_time() - l->loaded_at > RELOAD_USEC)
		reload(w, l);
	guint n = l->cases ? l->cases->len : 0;
	g_autofree char *title = g_strdup_printf(
		P_("kensa — %u case — %s", "kensa — %u cases — %s", n), n,
		w->store ? ks_store_name(w->store) : l->path);
	ks_draw_text(stdscr, 0, 0, COLS, title, KS_ROLE_TITLE, true);

	bool wide = COLS >= 110;
	int idw = 5, stw = 6, vw = 10, bw = 3, mw = 4, uw = wide ? 16 : 11;
	int rest = COLS - (idw + stw + vw + bw + mw + uw) - 7;
	int tw = rest * 55 / 100, nw = rest - tw - 1;
	const int widths[] = {idw, stw, vw, bw, mw, uw, tw, nw};
	const char *heads[] = {"   ID",      _("STATUS"), _("VERDICT"), "BEC",
	                       _("MSGS"),    _("UPDATED"), _("TITLE"),  _("LAST NOTE")};
	int x = 0;
	for (int i = 0; i < 8; i++) {
		ks_draw_text(stdscr, 1, x, widths[i], heads[i], KS_ROLE_DIMMED, true);
		x += widths[i] + 1;
	}
	int rows = LINES - 3;
	if (l->sel >= (int)n)
		l->sel = (int)n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (!n)
		ks_draw_text(stdscr, 2, 0, COLS,
		             _("no cases yet: open a message (kensa FILE) and press a, or kensa case new "
		               "TITLE"),
		             KS_ROLE_DIMMED, true);
	for (int i = 0; i < rows && l->top + i < (int)n; i++) {
		const ks_case *c = l->cases->pdata[l->top + i];
		bool sel = l->top + i == l->sel;
		int y = 2 + i;
		if (sel)
			ks_draw_fill(stdscr, y, 0, COLS, KS_ROLE_SELECTION);
		ks_role base = sel ? KS_ROLE_SELECTION : KS_ROLE_NORMAL;
		g_autofree char *id = g_strdup_printf("%5" G_GINT64_FORMAT, c->id);
		g_autofree char *bec = g_strdup_printf("%3d", c->bec_type);
		g_autofree char *msgs = g_strdup_printf("%4d", c->messages);
		g_autofree char *upd = short_time(c->updated, wide);
		ks_role vrole = base;
		if (!sel && c->verdict && strcmp(c->verdict, "undecided") != 0)
			vrole = strcmp(c->verdict, "benign") == 0 || strcmp(c->verdict, "spam") == 0
			                ? KS_ROLE_LOW
			                : KS_ROLE_HIGH;
		const char *cells[] = {id,  _(c->status), c->verdict ? _(c->verdict) : NULL, bec,
		                       msgs, upd,         c->title,                          note_of(w, l, c)};
		x = 0;
		for (int k = 0; k < 8; k++) {
			ks_draw_text(stdscr, y, x, widths[k], cells[k] ? cells[k] : "",
			             k == 2 ? vrole : base, true);
			x += widths[k] + 1;
		}
	}
	const ks_case *c = l->cases && n ? l->cases->pdata[l->sel] : NULL;
	bool closed = c && strcmp(c->status, "closed") == 0;
	const ks_hint hints[] = {
		{REQ_ENTER, REQ_NONE, NC_("hint", "open")},
		{REQ_SEARCH, REQ_NONE, NC_("hint", "search")},
		{REQ_NOTE, REQ_NONE, NC_("hint", "note")},
		{REQ_VERDICT, REQ_NONE, NC_("hint", "verdict")},
		{REQ_CLOSE_CASE, REQ_NONE, closed ? NC_("hint", "reopen") : NC_("hint", "close")},
		{REQ_RENAME_CASE, REQ_NONE, NC_("hint", "rename")},
		{REQ_DELETE_CASE, REQ_NONE, NC_("hint", "delete")},
		{REQ_HELP, REQ_NONE, NC_("hint", "help")},
		{REQ_QUIT, REQ_NONE, NC_("hint", "quit")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

static void search_open(wb *w, const char *query);

static bool caselist_key(wb *w, view *v, ks_request req, int key)
{
	caselist *l = v->data;
	int n = l->cases ? (int)l->cases->len : 0;
	int page = MAX(1, LINES - 4);
	int64_t id = selected(l);
	switch (req) {
	case REQ_UP: l->sel--; break;
	case REQ_DOWN: l->sel++; break;
	case REQ_PAGE_UP: l->sel -= page; break;
	case REQ_PAGE_DOWN: l->sel += page; break;
	case REQ_TOP: l->sel = 0; break;
	case REQ_BOTTOM: l->sel = n - 1; break;
	case REQ_ENTER:
		if (id)
			ks_caseview_open(w, id, 0);
		return true;
	case REQ_SEARCH: {
		g_autofree char *q = ks_wb_prompt(w, _("search cases: "), NULL);
		if (q && *g_strstrip(q))
			search_open(w, q);
		return true;
	}
	case REQ_NOTE:
		if (id)
			ks_wb_write_note(w, id, NULL);
		else
			ks_wb_status(w, _("no case selected"));
		return true;
	case REQ_VERDICT:
	case REQ_CLOSE_CASE:
	case REQ_RENAME_CASE:
	case REQ_DELETE_CASE:
		if (!id)
			ks_wb_status(w, _("no case selected"));
		else if (req == REQ_VERDICT)
			ks_wb_set_verdict(w, id);
		else if (req == REQ_CLOSE_CASE)
			ks_wb_close_case(w, id);
		else if (req == REQ_RENAME_CASE)
			ks_wb_rename_case(w, id);
		else
			ks_wb_delete_case(w, id);
		return true;
	case REQ_REMOVE_MESSAGE:
		ks_wb_status(w, _("open the case (Enter) to take a message out of it"));
		return true;
	case REQ_ADD_TO_CASE:
		ks_wb_status(w, _("open a message (kensa FILE, or a case's message) and press a there"));
		return true;
	default: return false;
	}
	l->sel = CLAMP(l->sel, 0, MAX(0, n - 1));
	l->sel_id = selected(l);
	return true;
}

static void caselist_click(wb *w, view *v, int y, int x)
{
	caselist *l = v->data;
	int r = l->top + y - 2;
	if (y >= 2 && l->cases && r < (int)l->cases->len) {
		l->sel = r;
		l->sel_id = selected(l);
	}
}

static void caselist_free(void *data)
{
	caselist *l = data;
	if (l->cases)
		g_ptr_array_unref(l->cases);
	g_hash_table_unref(l->last_notes);
	g_free(l->path);
	g_free(l);
}

static const view_ops caselist_ops = {"cases", caselist_draw, caselist_key, caselist_click,
                                      caselist_free, false, &ks_case_keymap};

void ks_caselist_open(wb *w)
{
	caselist *l = g_new0(caselist, 1);
	l->last_notes = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, last_note_free);
	/* a server's URL may hold a password: the title names an open store by
	 * ks_store_name, and a file by its path */
	g_autofree char *where = ks_cli_store_location();
	l->path = g_strdup(ks_store_is_url(where) ? "PostgreSQL" : where);
	ks_wb_push(w, &caselist_ops, l);
}

/* ---- search results */

typedef struct {
	char *query;
	GPtrArray *hits; /* ks_search_hit* */
	int sel, top;
	unsigned gen;
} results;

/* The query run again once the workbench wrote (a case renamed, deleted):
 * on an error the hits already shown stay, and the status says why. */
static void results_reload(wb *w, results *r)
{
	r->gen = *ks_wb_generation;
	ks_store *s = ks_wb_store(w, true);
	GError *err = NULL;
	GPtrArray *hits = s ? ks_store_search(s, r->query, &err) : NULL;
	if (!hits) {
		if (err)
			ks_wb_db_error(w, _("search"), err);
		return;
	}
	g_ptr_array_unref(r->hits);
	r->hits = hits;
}

static void results_draw(wb *w, view *v)
{
	results *r = v->data;
	if (r->gen != *ks_wb_generation)
		results_reload(w, r);
	guint n = r->hits->len;
	g_autofree char *title = g_strdup_printf(
		P_("search: %s — %u match", "search: %s — %u matches", n), r->query, n);
	ks_draw_text(stdscr, 0, 0, COLS, title, KS_ROLE_TITLE, true);
	int cw = 6, kw = 12, tw = (COLS - cw - kw - 3) * 45 / 100;
	int ew = COLS - cw - kw - tw - 3;
	int x = ks_draw_text(stdscr, 1, 0, cw, _("CASE"), KS_ROLE_DIMMED, true) + 1;
	x += ks_draw_text(stdscr, 1, x, kw, _("WHAT"), KS_ROLE_DIMMED, true) + 1;
	x += ks_draw_text(stdscr, 1, x, tw, _("TITLE / SUBJECT / AUTHOR"), KS_ROLE_DIMMED, true) + 1;
	ks_draw_text(stdscr, 1, x, ew, _("WHERE IT MATCHED"), KS_ROLE_DIMMED, true);
	if (!n)
		ks_draw_text(stdscr, 2, 0, COLS, _("no match"), KS_ROLE_DIMMED, true);
	int rows = LINES - 3;
	r->sel = CLAMP(r->sel, 0, MAX(0, (int)n - 1));
	if (r->sel < r->top)
		r->top = r->sel;
	if (r->sel >= r->top + rows)
		r->top = r->sel - rows + 1;
	for (int i = 0; i < rows && r->top + i < (int)n; i++) {
		const ks_search_hit *h = r->hits->pdata[r->top + i];
		bool sel = r->top + i == r->sel;
		int y = 2 + i;
		ks_role base = sel ? KS_ROLE_SELECTION : KS_ROLE_NORMAL;
		if (sel)
			ks_draw_fill(stdscr, y, 0, COLS, base);
		g_autofree char *c = g_strdup_printf("%5" G_GINT64_FORMAT, h->case_id);
		g_autofree char *k = strcmp(h->kind, "case") == 0
		                             ? g_strdup("case")
		                             : g_strdup_printf("%s %" G_GINT64_FORMAT, h->kind, h->ref);
		x = ks_draw_text(stdscr, y, 0, cw, c, base, true) + 1;
		x += ks_draw_text(stdscr, y, x, kw, k, sel ? base : KS_ROLE_ACCENT, true) + 1;
		x += ks_draw_text(stdscr, y, x, tw, h->title ? h->title : "", base, true) + 1;
		ks_draw_text(stdscr, y, x, ew, h->excerpt ? h->excerpt : "", sel ? base : KS_ROLE_DIMMED,
		             true);
	}
	static const ks_hint hints[] = {
		{REQ_ENTER, REQ_NONE, NC_("hint", "open the case")},
		{REQ_SEARCH, REQ_NONE, NC_("hint", "search again")},
		{REQ_QUIT, REQ_NONE, NC_("hint", "back")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

static bool results_key(wb *w, view *v, ks_request req, int key)
{
	results *r = v->data;
	int page = MAX(1, LINES - 4);
	switch (req) {
	case REQ_UP: r->sel--; break;
	case REQ_DOWN: r->sel++; break;
	case REQ_PAGE_UP: r->sel -= page; break;
	case REQ_PAGE_DOWN: r->sel += page; break;
	case REQ_TOP: r->sel = 0; break;
	case REQ_BOTTOM: r->sel = (int)r->hits->len - 1; break;
	case REQ_ENTER:
		if (r->sel >= 0 && r->sel < (int)r->hits->len) {
			const ks_search_hit *h = r->hits->pdata[r->sel];
			ks_caseview_open(w, h->case_id,
			                 strcmp(h->kind, "message") == 0 ? h->ref : 0);
		}
		return true;
	case REQ_SEARCH: {
		g_autofree char *q = ks_wb_prompt(w, _("search cases: "), r->query);
		if (q && *g_strstrip(q)) {
			ks_wb_pop(w);
			search_open(w, q);
		}
		return true;
	}
	default: return false;
	}
	return true;
}

static void results_free(void *data)
{
	results *r = data;
	g_free(r->query);
	g_ptr_array_unref(r->hits);
	g_free(r);
}

static const view_ops results_ops = {"search", results_draw, results_key, NULL, results_free,
                                     false, NULL};

static void search_open(wb *w, const char *query)
{
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return;
	GError *err = NULL;
	GPtrArray *hits = ks_store_search(s, query, &err);
	if (!hits) {
		ks_wb_db_error(w, _("search"), err);
		return;
	}
	results *r = g_new0(results, 1);
	r->query = g_strdup(query);
	r->hits = hits;
	r->gen = *ks_wb_generation;
	ks_wb_push(w, &results_ops, r);
}
