/* Width-aware text for the terminal, with no curses in it: how many columns
 * a UTF-8 string takes, and the string cut or padded to a width without
 * splitting a character (a wide CJK character is never halved) and without
 * parting a combining mark from its base.  draw.c turns the result into
 * curses calls; the unit tests check this file alone. */
#ifndef KS_TUI_TEXT_H
#define KS_TUI_TEXT_H

#include <glib.h>
#include <stdbool.h>
#include <wchar.h>

/* Columns the string takes on a terminal (wcwidth per character; a control
 * or unprintable character counts as one column: it is drawn as U+FFFD). */
int ks_text_width(const char *utf8);

/* The string fitted into width columns, as wide characters (g_free).  When
 * it is wider, it is cut at a character-cluster boundary and ends in "…".
 * With pad, spaces fill it to exactly width columns.  *cols (may be NULL)
 * gets the columns used.  Invalid UTF-8 and controls become U+FFFD. */
wchar_t *ks_text_fit(const char *utf8, int width, bool pad, int *cols);

/* The same fitted into exactly width columns as UTF-8 (cut with "…",
 * padded with spaces): a table cell.  g_free. */
char *ks_text_cell(const char *utf8, int width);

/* The string wrapped to width columns (at least 1), broken at spaces when a
 * line has one, else between clusters; newlines start new lines.  An array
 * of UTF-8 char* (g_ptr_array_unref frees them). */
GPtrArray *ks_text_wrap(const char *utf8, int width);

/* A case-insensitive substring test for search (UTF-8 case folding). */
bool ks_text_contains(const char *haystack, const char *needle);

/* The zone the workbench shows times in: "local" (TZ, the default), "UTC",
 * "JST" or an offset such as "+09:00" / "-05:00".  False (nothing changed)
 * for anything else. */
bool ks_text_set_zone(const char *name);
/* One clock for the workbench: every time it shows is in that zone (the
 * analyst's own, TZ, unless --tz or the config says), whatever zone the
 * mail wrote it in.  fmt as g_date_time_format
 * ("%Y-%m-%d %H:%M"); NULL t gives "".  g_free. */
char *ks_text_time(GDateTime *t, const char *fmt);
/* The same for an RFC 3339 string (stored times); one that does not parse
 * is shown as written. */
char *ks_text_time_rfc3339(const char *rfc3339, const char *fmt);
/* That zone as the column headers name it: "UTC" or "+09:00".  g_free. */
char *ks_text_zone(void);
/* The same at time t: its offset on that day, which is not today's when
 * summer time began or ended in between.  g_free. */
char *ks_text_zone_at(GDateTime *t);

#endif
