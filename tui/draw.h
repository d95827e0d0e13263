/* Drawing primitives: the only code that puts text on the terminal
 * (waddnwstr and friends), always through text.c's width-aware fitting, so
 * every string is clipped to its box and never splits a character.  Also
 * turns a ks_theme into curses colour pairs. */
#ifndef KS_TUI_DRAW_H
#define KS_TUI_DRAW_H

#include "theme.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>

/* Sets up colour pairs for the theme (mono when the terminal has no colour). */
void ks_draw_init_theme(const ks_theme *theme);

/* Text at (y, x) in exactly width columns when pad, else at most width;
 * returns the columns used. */
int ks_draw_text(WINDOW *w, int y, int x, int width, const char *utf8, ks_role role,
                 bool pad);
/* A horizontal run of spaces in role. */
void ks_draw_fill(WINDOW *w, int y, int x, int width, ks_role role);
/* A box border with a title; focus draws the title in the focus role. */
void ks_draw_box(WINDOW *w, int y, int x, int h, int wd, const char *title, bool focus);
/* Clears a rectangle to the normal role. */
void ks_draw_clear(WINDOW *w, int y, int x, int h, int wd);

#endif
