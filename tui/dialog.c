/* The workbench's dialogs (wb.h): a list to choose from, a yes/no
 * question, a one-line prompt and the in-TUI note editor.  Each is a view
 * pushed on the one stack and run by the one key loop (ks_wb_run_modal)
 * until it leaves the stack; what it returns is read from its state then.
 * Their keys are key maps like every view's: the list's are requests, the
 * text views' keymaps take every key (a typed 'q' is a letter there). */
#include "wb.h"

#include "text.h"

#include <string.h>

static bool is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KS_FKEY(KEY_ENTER);
}

static bool is_backspace(int key)
{
	return key == KS_FKEY(KEY_BACKSPACE) || key == 127 || key == 8;
}

/* the last character of buf removed */
static void backspace(GString *buf)
{
	if (buf->len) {
		const char *last = g_utf8_find_prev_char(buf->str, buf->str + buf->len);
		g_string_truncate(buf, last ? (gsize)(last - buf->str) : 0);
	}
}

static bool is_text(int key)
{
	return key < KS_FKEY(0) && key >= ' ' && g_unichar_isprint((gunichar)key);
}

/* ---- a list */

typedef struct {
	const char *title;
	GPtrArray *items;
	int sel, top, rows;
	int result; /* -1 until chosen */
} chooser;

static void chooser_draw(wb *w, view *v)
{
	chooser *c = v->data;
	int n = (int)c->items->len;
	int widest = ks_text_width(c->title) + 6;
	for (int i = 0; i < n; i++)
		widest = MAX(widest, ks_text_width(c->items->pdata[i]) + 4);
	int bw = MIN(COLS - 4, MAX(40, widest));
	int bh = MIN(LINES - 4, n + 2);
	int by = (LINES - bh) / 2, bx = (COLS - bw) / 2;
	c->rows = MAX(1, bh - 2);
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + c->rows)
		c->top = c->sel - c->rows + 1;
	ks_draw_clear(stdscr, by, bx, bh, bw);
	ks_draw_box(stdscr, by, bx, bh, bw, c->title, true);
	for (int i = 0; i < c->rows && c->top + i < n; i++) {
		bool on = c->top + i == c->sel;
		ks_draw_text(stdscr, by + 1 + i, bx + 1, bw - 2, c->items->pdata[c->top + i],
		             on ? KS_ROLE_SELECTION : KS_ROLE_NORMAL, true);
	}
	static const ks_hint hints[] = {
		{REQ_UP, REQ_DOWN, NC_("hint", "choose")},
		{REQ_ENTER, REQ_NONE, NC_("hint", "select")},
		{REQ_QUIT, REQ_NONE, NC_("hint", "cancel")},
	};
	ks_wb_draw_hints(w, v, hints, G_N_ELEMENTS(hints));
}

static bool chooser_key(wb *w, view *v, ks_request req, int key)
{
	chooser *c = v->data;
	int n = (int)c->items->len;
	switch (req) {
	case REQ_UP: c->sel = MAX(0, c->sel - 1); break;
	case REQ_DOWN: c->sel = MIN(n - 1, c->sel + 1); break;
	case REQ_PAGE_UP: c->sel = MAX(0, c->sel - c->rows); break;
	case REQ_PAGE_DOWN: c->sel = MIN(n - 1, c->sel + c->rows); break;
	case REQ_TOP: c->sel = 0; break;
	case REQ_BOTTOM: c->sel = n - 1; break;
	case REQ_ENTER:
		c->result = c->sel;
		ks_wb_pop(w);
		break;
	case REQ_QUIT: ks_wb_pop(w); break;
	default: break; /* modal: nothing else happens under it */
	}
	return true;
}

static const ks_keybinding chooser_bindings[] = {
	{27, "Esc", REQ_QUIT},
	{'G' & 0x1f, NULL, REQ_QUIT},
};
static const ks_keymap chooser_keymap = {chooser_bindings, G_N_ELEMENTS(chooser_bindings),
                                         false};
static const view_ops chooser_ops = {"choose", chooser_draw, chooser_key, NULL, NULL, true,
                                     &chooser_keymap};

int ks_wb_choose(wb *w, const char *title, GPtrArray *items, int initial)
{
	int n = (int)items->len;
	if (n == 0)
		return -1;
	chooser c = {title, items, CLAMP(initial, 0, n - 1), 0, 1, -1};
	ks_wb_run_modal(w, &chooser_ops, &c);
	return c.result;
}

/* ---- a yes/no question: y or Y is yes, any other key no (so "y/N") */

typedef struct {
	const char *question;
	bool yes;
} question;

static void question_draw(wb *w, view *v)
{
	question *q = v->data;
	/* the answer stays in sight however long the question (it may hold a
	 * case's title): the question is cut, never " (y/N)" */
	static const char answer[] = " (y/N)";
	int used = ks_draw_text(stdscr, LINES - 1, 0, MAX(0, COLS - ks_text_width(answer)),
	                        q->question, KS_ROLE_ACCENT, false);
	ks_draw_text(stdscr, LINES - 1, used, COLS - used, answer, KS_ROLE_ACCENT, true);
}

static bool question_key(wb *w, view *v, ks_request req, int key)
{
	question *q = v->data;
	q->yes = key == 'y' || key == 'Y';
	ks_wb_pop(w);
	return true;
}

static const ks_keymap text_keymap = {NULL, 0, true}; /* every key is the view's */
static const view_ops question_ops = {"question", question_draw, question_key, NULL, NULL, true,
                                      &text_keymap};

bool ks_wb_confirm(wb *w, const char *text)
{
	question q = {text, false};
	ks_wb_run_modal(w, &question_ops, &q);
	return q.yes;
}

/* ---- a one-line prompt */

typedef struct {
	const char *label;
	GString *buf;
	bool done;
	bool offered; /* buf is the initial text, shown selected: a typed key replaces it */
} prompt;

static void prompt_draw(wb *w, view *v)
{
	prompt *p = v->data;
	int lw = ks_text_width(p->label);
	ks_draw_text(stdscr, LINES - 1, 0, COLS, p->label, KS_ROLE_ACCENT, true);
	/* the end of the input stays visible on narrow screens */
	const char *shown = p->buf->str;
	while (ks_text_width(shown) > COLS - lw - 1 && *shown)
		shown = g_utf8_next_char(shown);
	int used = ks_draw_text(stdscr, LINES - 1, lw, COLS - lw, shown,
	                        p->offered && p->buf->len ? KS_ROLE_SELECTION : KS_ROLE_NORMAL,
	                        false);
	move(LINES - 1, MIN(lw + used, COLS - 1));
}

static bool prompt_key(wb *w, view *v, ks_request req, int key)
{
	prompt *p = v->data;
	if (is_enter(key)) {
		p->done = true;
		ks_wb_pop(w);
	} else if (key == 27 || key == ('G' & 0x1f)) {
		ks_wb_pop(w);
	} else if (is_backspace(key) && p->offered) {
		g_string_truncate(p->buf, 0);
	} else if (is_backspace(key)) {
		backspace(p->buf);
	} else if (key == ('U' & 0x1f)) {
		g_string_truncate(p->buf, 0);
	} else if (is_text(key)) {
		if (p->offered)
			g_string_truncate(p->buf, 0);
		g_string_append_unichar(p->buf, (gunichar)key);
	} else if (key == KS_FKEY(KEY_END) || key == KS_FKEY(KEY_RIGHT)) {
		p->offered = false; /* keep the offered text and type after it */
		return true;
	} else {
		return true;
	}
	p->offered = false;
	return true;
}

static const view_ops prompt_ops = {"prompt", prompt_draw, prompt_key, NULL, NULL, true,
                                    &text_keymap};

char *ks_wb_prompt(wb *w, const char *label, const char *initial)
{
	prompt p = {label, g_string_new(initial ? initial : ""), false, initial && *initial};
	ks_wb_run_modal(w, &prompt_ops, &p);
	return g_string_free(p.buf, !p.done);
}

/* ---- the in-TUI note editor */

typedef struct {
	char *title;
	GString *buf;
	bool done;
} editor;

/* The lines the editor shows: the text wrapped, a line per newline. */
static GPtrArray *editor_lines(const char *text, int width)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) paras = g_strsplit(text, "\n", -1);
	for (char **p = paras; *p; p++) {
		GPtrArray *lines = ks_text_wrap(*p, width);
		if (!lines->len)
			g_ptr_array_add(out, g_strdup(""));
		for (guint i = 0; i < lines->len; i++)
			g_ptr_array_add(out, g_strdup(lines->pdata[i]));
		g_ptr_array_unref(lines);
	}
	return out;
}

static void editor_draw(wb *w, view *v)
{
	editor *e = v->data;
	int bh = MAX(6, LINES - 8), bw = MAX(40, COLS - 8);
	int by = (LINES - bh) / 2, bx = (COLS - bw) / 2;
	int width = bw - 2, rows = bh - 2;
	ks_draw_clear(stdscr, by, bx, bh, bw);
	ks_draw_box(stdscr, by, bx, bh, bw, e->title, true);
	g_autoptr(GPtrArray) lines = editor_lines(e->buf->str, width - 1);
	int first = MAX(0, (int)lines->len - rows);
	int cy = by + 1, cx = bx + 1;
	for (int i = 0; first + i < (int)lines->len && i < rows; i++) {
		const char *l = lines->pdata[first + i];
		int used = ks_draw_text(stdscr, by + 1 + i, bx + 1, width, l, KS_ROLE_NORMAL, false);
		cy = by + 1 + i;
		cx = bx + 1 + used;
	}
	ks_draw_text(stdscr, LINES - 1, 0, COLS,
	             _("type the note  Enter new line  Backspace delete  Ctrl-D or F2 save  "
	               "Esc cancel"),
	             KS_ROLE_ACCENT, true);
	move(cy, MIN(cx, bx + bw - 2));
}

static bool editor_key(wb *w, view *v, ks_request req, int key)
{
	editor *e = v->data;
	if (key == ('D' & 0x1f) || key == KS_FKEY(KEY_F(2))) {
		e->done = true;
		ks_wb_pop(w);
	} else if (key == 27) {
		if (!e->buf->len || ks_wb_confirm(w, _("discard this note?")))
			ks_wb_pop(w);
	} else if (is_enter(key)) {
		g_string_append_c(e->buf, '\n');
	} else if (is_backspace(key)) {
		backspace(e->buf);
	} else if (key == '\t') {
		g_string_append(e->buf, "    ");
	} else if (is_text(key)) {
		g_string_append_unichar(e->buf, (gunichar)key);
	}
	return true;
}

static const view_ops editor_ops = {"editor", editor_draw, editor_key, NULL, NULL, true,
                                    &text_keymap};

char *ks_wb_edit_text(wb *w, const char *title)
{
	editor e = {g_strdup(title), g_string_new(NULL), false};
	ks_wb_run_modal(w, &editor_ops, &e);
	g_free(e.title);
	return g_string_free(e.buf, !e.done);
}
