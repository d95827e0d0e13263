/* Colour themes: small text files mapping UI roles to colours and
 * attributes (the .theme files in themes/).  Parsing only, no curses here: draw.c turns a
 * ks_theme into colour pairs.  File format, one role a line:
 *
 *     # comment
 *     selection = black on cyan bold
 *
 * colours: default black red green yellow blue magenta cyan white, bright-*
 * (bright-red ...) or a number 0..255; attributes: bold dim underline
 * reverse italic standout. */
#ifndef KS_TUI_THEME_H
#define KS_TUI_THEME_H

#include <glib.h>
#include <stdbool.h>

/* The UI roles, declared once. */
#define KS_THEME_ROLES(X)                                          \
	X(NORMAL, "normal", "text in panes")                       \
	X(BORDER, "border", "pane border")                         \
	X(TITLE, "title", "pane title and summary bar")            \
	X(FOCUS, "focus", "title of the focused pane")             \
	X(SELECTION, "selection", "the selected row")              \
	X(HIGH, "high", "severity high")                           \
	X(MEDIUM, "medium", "severity medium")                     \
	X(LOW, "low", "severity low")                              \
	X(INFO, "info", "severity info")                           \
	X(DIMMED, "dimmed", "secondary text: evidence, hashes")    \
	X(ACCENT, "accent", "addresses, marks, the status line")

typedef enum {
#define KS_ROLE_ENUM(e, name, help) KS_ROLE_##e,
	KS_THEME_ROLES(KS_ROLE_ENUM)
#undef KS_ROLE_ENUM
	KS_ROLE_COUNT
} ks_role;

enum {
	KS_ATTR_BOLD = 1 << 0,
	KS_ATTR_DIM = 1 << 1,
	KS_ATTR_UNDERLINE = 1 << 2,
	KS_ATTR_REVERSE = 1 << 3,
	KS_ATTR_ITALIC = 1 << 4,
	KS_ATTR_STANDOUT = 1 << 5,
};

typedef struct {
	int fg, bg;    /* -1 = the terminal's default, else 0..255 */
	unsigned attr; /* KS_ATTR_* */
} ks_style;

typedef struct {
	ks_style role[KS_ROLE_COUNT];
	bool mono; /* no colour at all (NO_COLOR, the mono theme) */
} ks_theme;

const char *ks_role_name(ks_role role);

/* Parses theme text over *theme (roles not named keep their style).  On the
 * first bad line, false with error "LINE: why". */
bool ks_theme_parse(const char *text, ks_theme *theme, GError **error);

/* The built-in "default" and "mono" themes (also in themes/). */
void ks_theme_default(ks_theme *theme);
void ks_theme_mono(ks_theme *theme);

/* Loads a theme by name ("dark", looked up in the theme directories) or by
 * file path, over the default.  On failure *theme is the default and error
 * is "FILE:LINE: why" (or "NAME: no such theme"). */
bool ks_theme_load(const char *name_or_path, ks_theme *theme, GError **error);

#endif
