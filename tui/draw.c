/* Drawing primitives (draw.h).  Strings reaching here come from the report
 * (already sanitized) or from kensa itself; text.c replaces anything
 * unprintable with U+FFFD as a last guard. */
#include "draw.h"

#include "text.h"

static attr_t role_attr[KS_ROLE_COUNT];

static attr_t curses_attr(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & KS_ATTR_BOLD)
		r |= A_BOLD;
	if (a & KS_ATTR_DIM)
		r |= A_DIM;
	if (a & KS_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & KS_ATTR_REVERSE)
		r |= A_REVERSE;
	if (a & KS_ATTR_ITALIC)
		r |= A_ITALIC;
	if (a & KS_ATTR_STANDOUT)
		r |= A_STANDOUT;
	return r;
}

void ks_draw_init_theme(const ks_theme *theme)
{
	bool colour = !theme->mono && has_colors();
	if (colour) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < KS_ROLE_COUNT; i++) {
		const ks_style *s = &theme->role[i];
		role_attr[i] = curses_attr(s->attr);
		if (!colour)
			continue;
		int fg = s->fg < COLORS ? s->fg : s->fg % 8;
		int bg = s->bg < COLORS ? s->bg : s->bg % 8;
		if (init_pair((short)(i + 1), (short)fg, (short)bg) == OK)
			role_attr[i] |= COLOR_PAIR(i + 1);
	}
	bkgdset(' ' | role_attr[KS_ROLE_NORMAL]);
}

int ks_draw_text(WINDOW *w, int y, int x, int width, const char *utf8, ks_role role,
                 bool pad)
{
	if (width <= 0)
		return 0;
	int cols = 0;
	g_autofree wchar_t *ws = ks_text_fit(utf8, width, pad, &cols);
	wattrset(w, role_attr[role]);
	mvwaddnwstr(w, y, x, ws, -1);
	wattrset(w, role_attr[KS_ROLE_NORMAL]);
	return cols;
}

void ks_draw_fill(WINDOW *w, int y, int x, int width, ks_role role)
{
	ks_draw_text(w, y, x, width, "", role, true);
}

void ks_draw_clear(WINDOW *w, int y, int x, int h, int wd)
{
	for (int i = 0; i < h; i++)
		ks_draw_fill(w, y + i, x, wd, KS_ROLE_NORMAL);
}

void ks_draw_box(WINDOW *w, int y, int x, int h, int wd, const char *title, bool focus)
{
	if (h < 2 || wd < 2)
		return;
	wattrset(w, role_attr[KS_ROLE_BORDER]);
	mvwhline_set(w, y, x + 1, WACS_HLINE, wd - 2);
	mvwhline_set(w, y + h - 1, x + 1, WACS_HLINE, wd - 2);
	mvwvline_set(w, y + 1, x, WACS_VLINE, h - 2);
	mvwvline_set(w, y + 1, x + wd - 1, WACS_VLINE, h - 2);
	mvwadd_wch(w, y, x, WACS_ULCORNER);
	mvwadd_wch(w, y, x + wd - 1, WACS_URCORNER);
	mvwadd_wch(w, y + h - 1, x, WACS_LLCORNER);
	mvwadd_wch(w, y + h - 1, x + wd - 1, WACS_LRCORNER);
	wattrset(w, role_attr[KS_ROLE_NORMAL]);
	if (title && wd > 6) {
		g_autofree char *t = g_strdup_printf(" %s ", title);
		ks_draw_text(w, y, x + 2, wd - 4, t, focus ? KS_ROLE_FOCUS : KS_ROLE_TITLE, false);
	}
}
