/* The workbench's frame: entry and terminal checks, the event loop and view
 * stack, the key map (data: the help overlay prints it), the status line,
 * the prompt, and the pager view used for help, raw view and details.
 * The message panes live in msgview.c, the message list in msglist.c. */
#include "workbench.h"

#include "checks/analyze.h"
#include "cli/cli.h"
#include "mail/mbox.h"
#include "mail/msg.h"
#include "text.h"
#include "wb.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Function keys are tagged so they never collide with characters. */
#define FKEY(k) KS_FKEY(k)
#define MIN_COLS 80
#define MIN_LINES 24

/* The generic key map: every view falls back to it (wb.h ks_keymap). */
static const ks_keybinding keymap[] = {
	{FKEY(KEY_UP), "Up", REQ_UP},
	{'k', "k", REQ_UP},
	{FKEY(KEY_DOWN), "Down", REQ_DOWN},
	{'j', "j", REQ_DOWN},
	{FKEY(KEY_PPAGE), "PgUp", REQ_PAGE_UP},
	{FKEY(KEY_NPAGE), "PgDn", REQ_PAGE_DOWN},
	{' ', "Space", REQ_PAGE_DOWN},
	{'g', "g", REQ_TOP},
	{FKEY(KEY_HOME), "Home", REQ_TOP},
	{'G', "G", REQ_BOTTOM},
	{FKEY(KEY_END), "End", REQ_BOTTOM},
	{'\t', "Tab", REQ_NEXT_PANE},
	{FKEY(KEY_BTAB), "Shift-Tab", REQ_PREV_PANE},
	{FKEY(KEY_LEFT), "Left", REQ_PANE_LEFT},
	{'h', "h", REQ_PANE_LEFT},
	{FKEY(KEY_RIGHT), "Right", REQ_PANE_RIGHT},
	{'l', "l", REQ_PANE_RIGHT},
	{'1', "1..6", REQ_GOTO_PANE},
	{'2', NULL, REQ_GOTO_PANE},
	{'3', NULL, REQ_GOTO_PANE},
	{'4', NULL, REQ_GOTO_PANE},
	{'5', NULL, REQ_GOTO_PANE},
	{'6', NULL, REQ_GOTO_PANE},
	{'\n', "Enter", REQ_ENTER},
	{'\r', NULL, REQ_ENTER},
	{FKEY(KEY_ENTER), NULL, REQ_ENTER},
	{'o', "o", REQ_JUMP},
	{'J', "J", REQ_NEXT_MESSAGE},
	{'|', "|", REQ_PIPE},
	{'K', "K", REQ_PREV_MESSAGE},
	{'z', "z", REQ_ZOOM},
	{'r', "r", REQ_RAW},
	{'s', "s", REQ_SAVE},
	{'y', "y", REQ_COPY},
	{'Y', "Y", REQ_COPY_RAW},
	{'i', "i", REQ_IOCS},
	{'d', "d", REQ_DECODED},
	{'x', "x", REQ_HEX},
	{'/', "/", REQ_SEARCH},
	{'n', "n", REQ_SEARCH_NEXT},
	{'N', "N", REQ_SEARCH_PREV},
	{'m', "m", REQ_NOTE},
	{'S', "S", REQ_SORT_SEVERITY},
	{'D', "D", REQ_SORT_DATE},
	{'t', "t", REQ_THREADS},
	{'f', "f", REQ_FILTER},
	{'a', "a", REQ_ADD_TO_CASE},
	{'T', "T", REQ_TAG},
	{';', ";", REQ_APPLY},
	{'v', "v", REQ_VERDICT},
	{'c', "c", REQ_CLOSE_CASE},
	{'R', "R", REQ_RENAME_CASE},
	{'H', "H", REQ_HISTORY},
	{'?', "?", REQ_HELP},
	{FKEY(KEY_F(1)), "F1", REQ_HELP},
	{'L' & 0x1f, "Ctrl-L", REQ_REDRAW},
	{'q', "q", REQ_QUIT},
};

/* The case list's and the case view's own keys, before the generic ones:
 * D deletes the case there (in the message list it sorts by date), and d
 * takes the selected message out of the case, as mutt's d deletes one (in
 * the message panes it shows a part decoded). */
static const ks_keybinding case_bindings[] = {
	{'D', "D", REQ_DELETE_CASE},
	{'d', "d", REQ_REMOVE_MESSAGE},
};
const ks_keymap ks_case_keymap = {case_bindings, G_N_ELEMENTS(case_bindings), false};

static const char *const request_help[] = {
	NULL,
#define KS_REQ_HELP(e, views, help) help,
	KS_REQUESTS(KS_REQ_HELP)
#undef KS_REQ_HELP
};

static const char *const request_views[] = {
	NULL,
#define KS_REQ_VIEWS(e, views, help) views,
	KS_REQUESTS(KS_REQ_VIEWS)
#undef KS_REQ_VIEWS
};

/* True when the help of the view named name lists request r. */
static bool request_in_view(int r, const char *name)
{
	const char *views = request_views[r];
	if (strcmp(views, "*") == 0)
		return true;
	g_auto(GStrv) list = g_strsplit(views, " ", -1);
	return name && g_strv_contains((const char *const *)list, name);
}

/* The view's own binding for key, else the generic one. */
static ks_request request_for(int key, const view *v)
{
	const ks_keymap *own = v ? v->ops->keys : NULL;
	for (size_t i = 0; own && i < own->n; i++)
		if (own->bindings[i].key == key)
			return own->bindings[i].req;
	for (size_t i = 0; i < G_N_ELEMENTS(keymap); i++)
		if (keymap[i].key == key)
			return keymap[i].req;
	return REQ_NONE;
}

/* The keys (named ones, space-separated) that reach req in view v; the
 * first alone when first is set.  "" when none does.  g_free. */
static char *keys_for(ks_request req, const view *v, bool first)
{
	GString *s = g_string_new(NULL);
	const ks_keymap *own = v ? v->ops->keys : NULL;
	for (size_t i = 0; own && i < own->n && !(first && s->len); i++)
		if (own->bindings[i].req == req && own->bindings[i].name)
			g_string_append_printf(s, "%s%s", s->len ? " " : "", own->bindings[i].name);
	for (size_t i = 0; i < G_N_ELEMENTS(keymap) && !(first && s->len); i++)
		if (keymap[i].req == req && keymap[i].name && request_for(keymap[i].key, v) == req)
			g_string_append_printf(s, "%s%s", s->len ? " " : "", keymap[i].name);
	return g_string_free(s, FALSE);
}

void ks_wb_draw_hints(wb *w, const view *v, const ks_hint *hints, size_t n)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		g_autofree char *k1 = keys_for(hints[i].req, v, true);
		g_autofree char *k2 = hints[i].also ? keys_for(hints[i].also, v, true) : g_strdup("");
		if (!*k1 && !*k2)
			continue;
		g_autofree char *entry = g_strdup_printf("%s%s%s %s", k1, *k1 && *k2 ? " " : "", k2,
		                                         ks_pgettext_runtime("hint", hints[i].label));
		/* the hints come most useful first: on a narrow screen the line
		 * ends with the last one that fits whole, never a key cut from
		 * what it does (help lists them all) */
		if (ks_text_width(s->str) + (s->len ? 2 : 0) + ks_text_width(entry) > COLS)
			break;
		g_string_append_printf(s, "%s%s", s->len ? "  " : "", entry);
	}
	ks_wb_draw_status(w, s->str);
	g_string_free(s, TRUE);
}

/* ---- signals: a flag the loop checks, so curses is left from main code */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static bool curses_active;
static int saved_stderr = -1;
static char *stderr_log;

/* While curses owns the screen, what libraries print on stderr (GLib
 * warnings from libgsf, poppler ...) would scribble over it: it goes to a
 * log file instead (~/.cache/kensa/workbench.log), named on exit. */
static void quiet_stderr(void)
{
	g_autofree char *dir = g_build_filename(g_get_user_cache_dir(), "kensa", NULL);
	g_mkdir_with_parents(dir, 0700);
	stderr_log = g_build_filename(dir, "workbench.log", NULL);
	int fd = open(stderr_log, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		g_free(stderr_log);
		stderr_log = NULL;
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return;
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static void restore_stderr(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	struct stat st;
	if (stderr_log && stat(stderr_log, &st) == 0 && st.st_size > 0)
		fprintf(stderr, "kensa: workbench: library messages are in %s\n", stderr_log);
	g_clear_pointer(&stderr_log, g_free);
}

static void restore_terminal(void)
{
	if (curses_active) {
		endwin();
		curses_active = false;
	}
	restore_stderr();
}

/* ---- the view stack */

void ks_wb_push(wb *w, const view_ops *ops, void *data)
{
	view *v = g_new0(view, 1);
	v->ops = ops;
	v->data = data;
	g_ptr_array_add(w->stack, v);
}

void ks_wb_pop(wb *w)
{
	if (!w->stack->len)
		return;
	view *v = g_ptr_array_steal_index(w->stack, w->stack->len - 1);
	if (v->ops->free)
		v->ops->free(v->data);
	g_free(v);
}

static int loop(wb *w, const view *until);

void ks_wb_run_modal(wb *w, const view_ops *ops, void *data)
{
	ks_wb_push(w, ops, data);
	view *v = w->stack->pdata[w->stack->len - 1];
	loop(w, v);
	/* left by a signal or a quit, not by its own key: cancelled */
	while (w->stack->len && g_ptr_array_find(w->stack, v, NULL))
		ks_wb_pop(w);
}

void ks_wb_status(wb *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_free(w->status);
	w->status = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void ks_wb_draw_status(wb *w, const char *hint)
{
	ks_draw_text(stdscr, LINES - 1, 0, COLS, w->status ? w->status : hint,
	             w->status ? KS_ROLE_ACCENT : KS_ROLE_DIMMED, true);
}

static int read_key(int *key)
{
	wint_t wch;
	int rc = get_wch(&wch);
	if (rc == ERR)
		return ERR;
	*key = rc == KEY_CODE_YES ? FKEY((int)wch) : (int)wch;
	return OK;
}

bool ks_wb_ask_search(wb *w)
{
	g_autofree char *s = ks_wb_prompt(w, _("/"), NULL);
	if (!s)
		return false;
	if (*s) {
		g_free(w->search);
		w->search = g_steal_pointer(&s);
	}
	return w->search != NULL;
}

/* ---- the pager: help, raw view, details */

typedef struct {
	char *title;
	GPtrArray *src;     /* char* */
	GPtrArray *wrapped; /* char* */
	GArray *origin;     /* int: source line of each wrapped line */
	int width;
	int top;
	int hl_from, hl_to;
	bool overlay;
	int y, x, h, w; /* last geometry */
	GPtrArray *pages; /* ks_pager_page*, or NULL: one text; src and title
	                     are then the shown page's (borrowed) */
	guint page;
} pager;

void ks_pager_page_free(ks_pager_page *pg)
{
	if (!pg)
		return;
	g_free(pg->title);
	if (pg->lines)
		g_ptr_array_unref(pg->lines);
	g_free(pg);
}

static void pager_free(void *data)
{
	pager *p = data;
	if (p->pages) {
		g_ptr_array_unref(p->pages);
	} else {
		g_free(p->title);
		g_ptr_array_unref(p->src);
	}
	if (p->wrapped)
		g_ptr_array_unref(p->wrapped);
	if (p->origin)
		g_array_unref(p->origin);
	g_free(p);
}

static void pager_wrap(pager *p, int width)
{
	if (p->wrapped && p->width == width)
		return;
	if (p->wrapped)
		g_ptr_array_unref(p->wrapped);
	if (p->origin)
		g_array_unref(p->origin);
	p->wrapped = g_ptr_array_new_with_free_func(g_free);
	p->origin = g_array_new(FALSE, FALSE, sizeof(int));
	p->width = width;
	for (guint i = 0; i < p->src->len; i++) {
		GPtrArray *lines = ks_text_wrap(p->src->pdata[i], width);
		for (guint j = 0; j < lines->len; j++) {
			g_ptr_array_add(p->wrapped, g_strdup(lines->pdata[j]));
			int o = (int)i;
			g_array_append_val(p->origin, o);
		}
		g_ptr_array_unref(lines);
	}
}

static void pager_geometry(pager *p)
{
	if (p->overlay) {
		p->y = 1;
		p->x = 2;
		p->h = LINES - 2;
		p->w = COLS - 4;
	} else {
		p->y = 0;
		p->x = 0;
		p->h = LINES - 1;
		p->w = COLS;
	}
}

static int pager_rows(const pager *p)
{
	return p->h - 2;
}

static void pager_clamp(pager *p)
{
	int max = (int)p->wrapped->len - pager_rows(p);
	if (p->top > max)
		p->top = max;
	if (p->top < 0)
		p->top = 0;
}

static void pager_draw(wb *w, view *v)
{
	pager *p = v->data;
	pager_geometry(p);
	pager_wrap(p, p->w - 2);
	pager_clamp(p);
	ks_draw_clear(stdscr, p->y, p->x, p->h, p->w);
	int total = (int)p->wrapped->len;
	g_autofree char *title = g_strdup_printf("%s  %d-%d/%d", p->title, total ? p->top + 1 : 0,
	                                         MIN(p->top + pager_rows(p), total), total);
	ks_draw_box(stdscr, p->y, p->x, p->h, p->w, title, true);
	for (int i = 0; i < pager_rows(p) && p->top + i < total; i++) {
		int n = p->top + i;
		int o = g_array_index(p->origin, int, n);
		bool hl = p->hl_from >= 0 && o >= p->hl_from && o <= p->hl_to;
		ks_draw_text(stdscr, p->y + 1 + i, p->x + 1, p->w - 2, p->wrapped->pdata[n],
		             hl ? KS_ROLE_SELECTION : KS_ROLE_NORMAL, hl);
	}
	static const ks_hint hints[] = {
		{REQ_QUIT, REQ_NONE, NC_("hint", "back")},     {REQ_UP, REQ_DOWN, NC_("hint", "scroll")},
		{REQ_PAGE_UP, REQ_PAGE_DOWN, NC_("hint", "page")}, {REQ_TOP, REQ_BOTTOM, NC_("hint", "ends")},
		{REQ_SEARCH, REQ_NONE, NC_("hint", "search")}, {REQ_SEARCH_NEXT, REQ_SEARCH_PREV, NC_("hint", "next")},
		{REQ_DECODED, REQ_NONE, NC_("hint", "next view")},
	};
	/* "next view" only where there is one */
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints) - (p->pages && p->pages->len > 1 ? 0 : 1));
}

/* Shows page i of a paged pager, from its top. */
static void pager_show(pager *p, guint i)
{
	ks_pager_page *pg = p->pages->pdata[i];
	p->page = i;
	p->title = pg->title;
	p->src = pg->lines;
	p->top = 0;
	if (p->wrapped)
		g_ptr_array_unref(p->wrapped);
	if (p->origin)
		g_array_unref(p->origin);
	p->wrapped = NULL;
	p->origin = NULL;
	pager_wrap(p, p->w - 2);
}

static void pager_search(wb *w, pager *p, int dir)
{
	int n = (int)p->wrapped->len;
	if (n == 0)
		return;
	for (int k = 1; k <= n; k++) {
		int i = ((p->top + dir * k) % n + n) % n;
		if (ks_text_contains(p->wrapped->pdata[i], w->search)) {
			p->top = i;
			return;
		}
	}
	ks_wb_status(w, _("not found: %s"), w->search);
}

static bool pager_key(wb *w, view *v, ks_request req, int key)
{
	pager *p = v->data;
	int page = MAX(1, pager_rows(p) - 1);
	switch (req) {
	case REQ_UP: p->top--; break;
	case REQ_DOWN: p->top++; break;
	case REQ_PAGE_UP: p->top -= page; break;
	case REQ_PAGE_DOWN: p->top += page; break;
	case REQ_TOP: p->top = 0; break;
	case REQ_BOTTOM: p->top = (int)p->wrapped->len; break;
	case REQ_SEARCH:
		if (ks_wb_ask_search(w))
			pager_search(w, p, 1);
		break;
	case REQ_SEARCH_NEXT:
	case REQ_SEARCH_PREV:
		if (w->search)
			pager_search(w, p, req == REQ_SEARCH_NEXT ? 1 : -1);
		break;
	case REQ_DECODED:
		if (!p->pages || p->pages->len < 2)
			return false;
		pager_show(p, (p->page + 1) % p->pages->len);
		break;
	case REQ_HELP:
		if (p->overlay && strcmp(p->title, _("Help")) == 0)
			ks_wb_pop(w); /* ? again closes the help */
		else
			return false;
		break;
	default: return false;
	}
	pager_clamp(p);
	return true;
}

static const view_ops pager_ops = {"pager", pager_draw, pager_key, NULL, pager_free, false, NULL};
static const view_ops overlay_ops = {"overlay", pager_draw, pager_key, NULL, pager_free, true, NULL};

void ks_pager_open(wb *w, const char *title, GPtrArray *lines, int hl_from, int hl_to,
                   bool overlay)
{
	pager *p = g_new0(pager, 1);
	p->title = g_strdup(title);
	p->src = lines;
	p->hl_from = hl_from;
	p->hl_to = hl_to;
	p->overlay = overlay;
	pager_geometry(p);
	pager_wrap(p, p->w - 2);
	if (hl_from >= 0)
		for (guint i = 0; i < p->origin->len; i++)
			if (g_array_index(p->origin, int, i) == hl_from) {
				p->top = MAX(0, (int)i - 2);
				break;
			}
	ks_wb_push(w, overlay ? &overlay_ops : &pager_ops, p);
}

void ks_pager_open_pages(wb *w, GPtrArray *pages, guint start)
{
	pager *p = g_new0(pager, 1);
	p->pages = pages;
	p->hl_from = p->hl_to = -1;
	pager_geometry(p);
	pager_show(p, MIN(start, pages->len - 1));
	ks_wb_push(w, &pager_ops, p);
}

void ks_help_open(wb *w, const view *v)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(lines, g_strdup(_("kensa workbench keys (q or ? closes)")));
	g_ptr_array_add(lines, g_strdup(""));
	for (int r = 1; r < REQ_COUNT; r++) {
		if (!request_in_view(r, v ? v->ops->name : NULL))
			continue;
		g_autofree char *keys = keys_for((ks_request)r, v, false);
		if (*keys)
			g_ptr_array_add(lines, g_strdup_printf("  %-18s %s", keys, _(request_help[r])));
	}
	g_ptr_array_add(lines, g_strdup(""));
	g_ptr_array_add(lines, g_strdup_printf("  %s", _("mouse: a click selects the pane and row under it")));
	ks_pager_open(w, _("Help"), lines, -1, -1, true);
}

/* ---- the loop */

static void draw_too_small(void)
{
	erase();
	g_autofree char *msg = g_strdup_printf(_("kensa needs at least %d×%d (now %d×%d)"), MIN_COLS,
	                                       MIN_LINES, COLS, LINES);
	int w = MIN(COLS, ks_text_width(msg));
	ks_draw_text(stdscr, LINES / 2, MAX(0, (COLS - w) / 2), COLS, msg, KS_ROLE_HIGH, false);
	if (LINES > 1)
		ks_draw_text(stdscr, LINES / 2 + 1, 0, COLS, _("enlarge the terminal, or q to quit"),
		             KS_ROLE_DIMMED, false);
}

static void draw_all(wb *w)
{
	erase();
	guint first = w->stack->len - 1;
	while (first > 0 && ((view *)w->stack->pdata[first])->ops->overlay)
		first--;
	for (guint i = first; i < w->stack->len; i++) {
		view *v = w->stack->pdata[i];
		v->ops->draw(w, v);
	}
}

static void handle_mouse(wb *w)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	view *v = w->stack->pdata[w->stack->len - 1];
	if (v->ops->click)
		v->ops->click(w, v, ev.y, ev.x);
}

static bool on_stack(const wb *w, const view *v)
{
	for (guint i = 0; i < w->stack->len; i++)
		if (w->stack->pdata[i] == v)
			return true;
	return false;
}

/* The one key loop: draws the stack, reads a key, gives it to the top view
 * (through its key map, then the generic one); until the stack is empty,
 * or, for a dialog (ks_wb_run_modal), until the view until has left it. */
static int loop(wb *w, const view *until)
{
	while (w->stack->len && !w->quit && (!until || on_stack(w, until))) {
		if (got_signal)
			return 128 + got_signal;
		bool small = COLS < MIN_COLS || LINES < MIN_LINES;
		if (small)
			draw_too_small();
		else
			draw_all(w);
		/* the cursor shows where a text view (a prompt, the editor) types */
		const view *top = w->stack->pdata[w->stack->len - 1];
		curs_set(!small && top->ops->keys && top->ops->keys->all_keys ? 1 : 0);
		refresh();
		int key;
		if (read_key(&key) == ERR)
			continue; /* timeout: redraw (a list still loading) */
		if (key == FKEY(KEY_RESIZE))
			continue;
		g_clear_pointer(&w->status, g_free);
		if (key == FKEY(KEY_MOUSE)) {
			if (!small)
				handle_mouse(w);
			continue;
		}
		view *v = w->stack->pdata[w->stack->len - 1];
		ks_request req = request_for(key, v);
		if (small && req != REQ_QUIT)
			continue;
		bool all_keys = v->ops->keys && v->ops->keys->all_keys;
		if ((req != REQ_NONE || all_keys) && v->ops->key(w, v, req, key))
			continue;
		switch (req) {
		case REQ_QUIT: ks_wb_pop(w); break;
		case REQ_HELP: ks_help_open(w, v); break;
		case REQ_REDRAW: clearok(curscr, TRUE); break;
		case REQ_NONE: break;
		default: ks_wb_status(w, _("not here (? lists the keys)")); break;
		}
	}
	return KS_EXIT_OK;
}

static const char usage[] =
	"usage: kensa [--theme NAME|FILE] [--tz local|UTC|JST|+HH:MM] [FILE|DIR]\n"
	"  Open the workbench on a message, an mbox, a Maildir or a directory of messages;\n"
	"  with no argument, the case list of the case store ($KENSA_DB).\n";

/* The theme: --theme, else KENSA_THEME, else the config; NO_COLOR means mono. */
static void choose_theme(wb *w, const char *opt, char **warning)
{
	g_autofree char *conf = ks_config_get("theme");
	const char *env = g_getenv("KENSA_THEME");
	const char *name = opt ? opt : (env && *env) ? env : conf;
	const char *nc = g_getenv("NO_COLOR");
	if (!opt && nc && *nc)
		name = "mono";
	GError *err = NULL;
	if (!ks_theme_load(name, &w->theme, &err)) {
		*warning = g_strdup_printf("theme: %s; using the default", err->message);
		g_error_free(err);
	}
	if (nc && *nc)
		w->theme.mono = true;
}

/* Standard input kept in a private file (mode 0600 in TMPDIR), so a mailbox
 * can be read again when a message of it is opened; removed at the end.
 * Its path (g_free), or NULL with *error. */
static char *stdin_to_file(GError **error)
{
	char *path = NULL;
	int fd = g_file_open_tmp("kensa-stdin-XXXXXX", &path, error);
	if (fd < 0)
		return NULL;
	char buf[65536];
	ssize_t n;
	gsize total = 0;
	bool ok = true;
	while (ok && (n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0 && write(fd, buf, (size_t)n) == n;
		total += n > 0 ? (gsize)n : 0;
		ok = ok && total <= (gsize)256 << 20; /* the message cap */
	}
	if (close(fd) != 0 || !ok || !total) {
		unlink(path);
		g_free(path);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s",
		            ok && !total ? "empty input" : "cannot keep standard input");
		return NULL;
	}
	return path;
}

const ks_context *ks_wb_context(wb *w)
{
	if (!w->ctx)
		w->ctx = ks_cli_load_context_from(&w->store, NULL);
	return w->ctx;
}

static void wb_free(wb *w)
{
	while (w->stack->len)
		ks_wb_pop(w);
	g_ptr_array_unref(w->stack);
	g_free(w->status);
	g_free(w->search);
	ks_context_free(w->ctx);
	if (w->store)
		ks_store_close(w->store);
}

int ks_workbench_run(int argc, char **argv)
{
	const char *file = NULL, *theme = NULL, *tz = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--theme") == 0 || strncmp(a, "--theme=", 8) == 0) {
			theme = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
			if (!theme || !*theme) {
				ks_cli_error("workbench", _("--theme takes a theme name or file"));
				return KS_EXIT_USAGE;
			}
		} else if (strcmp(a, "--tz") == 0 || strncmp(a, "--tz=", 5) == 0) {
			tz = a[4] == '=' ? a + 5 : (i + 1 < argc ? argv[++i] : NULL);
			if (!tz || !ks_text_set_zone(tz)) {
				ks_cli_error("workbench", _("--tz takes local, UTC, JST or an offset such as +09:00"));
				return KS_EXIT_USAGE;
			}
		} else if (a[0] == '-' && a[1]) {
			g_autofree char *why = g_strdup_printf(_("unknown option %s (see --help)"), a);
			ks_cli_error("usage", why);
			return KS_EXIT_USAGE;
		} else if (!file) {
			file = a;
		} else {
			fputs(usage, stderr);
			return KS_EXIT_USAGE;
		}
	}
	/* `kensa -`: the mail comes on standard input, the keys from the terminal */
	bool from_stdin = file && strcmp(file, "-") == 0;
	FILE *keys_in = from_stdin ? fopen("/dev/tty", "r") : stdin;
	g_autofree char *stdin_copy = NULL;
	if (from_stdin && keys_in && isatty(STDOUT_FILENO)) {
		GError *err = NULL;
		stdin_copy = stdin_to_file(&err);
		if (!stdin_copy) {
			ks_cli_error("-", err->message);
			g_error_free(err);
			fclose(keys_in);
			return KS_EXIT_INPUT;
		}
		file = stdin_copy;
	}
	if (!keys_in || !isatty(fileno(keys_in)) || !isatty(STDOUT_FILENO)) {
		if (from_stdin && keys_in)
			fclose(keys_in);
		if (!file) {
			ks_cli_error("workbench", _("give a FILE or DIR, or run on a terminal for the case "
			                          "list; use `kensa analyze FILE` for a report"));
			return KS_EXIT_USAGE;
		}
		ks_cli_error("workbench", _("no terminal; use `kensa analyze FILE` for a report"));
		return KS_EXIT_USAGE;
	}

	wb w = {0};
	w.stack = g_ptr_array_new();
	/* the case list's store is opened (created) before anything reads it
	 * and before the screen changes: one it cannot open is one error line,
	 * as the case commands print it, and exit 4 */
	if (!file && !(w.store = ks_cli_open_store(true))) {
		g_ptr_array_unref(w.stack);
		return KS_EXIT_DB;
	}
	/* the store stays open for the panes that read it (which case holds
	 * the message, the case list); the case list itself needs no analysis
	 * context, and reading one is a round trip per table on a server: it
	 * is read when a pane first needs it (ks_wb_context) */
	if (file)
		w.ctx = ks_cli_load_context_from(&w.store, NULL);
	g_autofree char *warning = NULL;
	choose_theme(&w, theme, &warning);
	/* the clock: --tz, else the config's tz =, else the analyst's own (TZ) */
	g_autofree char *conf_tz = tz ? NULL : ks_config_get("tz");
	if (conf_tz && !ks_text_set_zone(conf_tz))
		ks_cli_error("workbench", _("config tz = takes local, UTC, JST or an offset such as +09:00; "
		                          "showing the local time"));
	if (warning)
		ks_cli_error("workbench", warning);

	/* the input is read before the screen changes, so errors print plainly */
	GError *err = NULL;
	bool ok;
	if (!file) {
		ks_caselist_open(&w); /* its store is open (above) */
		ok = true;
	} else if (g_file_test(file, G_FILE_TEST_IS_DIR) || ks_path_is_mbox(file)) {
		ok = ks_msglist_open(&w, file, &err);
	} else {
		/* the raw bytes stay with the panes: `a` adds them to a case */
		g_autofree char *contents = NULL;
		gsize len = 0;
		ks_report *r = NULL;
		if (g_file_get_contents(file, &contents, &len, &err)) {
			g_autoptr(GBytes) raw = g_bytes_new_take(g_steal_pointer(&contents), len);
			const char *format = ks_msg_sniff(raw) ? "msg" : "eml";
			r = ks_analyze_bytes(raw, file, format, w.ctx, &err);
			ks_msg_source src = {.raw = raw, .path = file, .format = format};
			if (r)
				ks_msgview_open_source(&w, r, true, 0, &src);
		}
		ok = r != NULL;
	}
	if (!ok) {
		ks_cli_error(from_stdin ? "-" : file, err ? err->message : "not a message");
		g_clear_error(&err);
		ks_context_free(w.ctx);
		g_ptr_array_unref(w.stack);
		if (stdin_copy)
			unlink(stdin_copy);
		if (from_stdin)
			fclose(keys_in);
		return KS_EXIT_INPUT;
	}
	if (warning)
		w.status = g_strdup(warning);

	/* initscr would end kensa on a TERM curses does not know, with status 1
	 * (a finding's) and a message of its own: newterm says so instead */
	SCREEN *screen = newterm(NULL, stdout, keys_in);
	if (!screen) {
		if (stdin_copy)
			unlink(stdin_copy);
		const char *term = g_getenv("TERM");
		g_autofree char *why = g_strdup_printf(
			_("unknown terminal type \"%s\" (TERM); try TERM=xterm-256color, or "
			"`kensa analyze FILE` for a report"), term && *term ? term : "");
		ks_cli_error("workbench", why);
		wb_free(&w);
		return KS_EXIT_USAGE;
	}

	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	quiet_stderr();
	curses_active = true;
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	timeout(150);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	ks_draw_init_theme(&w.theme);

	int status = loop(&w, NULL);

	restore_terminal();
	delscreen(screen);
	wb_free(&w);
	if (stdin_copy)
		unlink(stdin_copy);
	if (from_stdin)
		fclose(keys_in);
	return status;
}
