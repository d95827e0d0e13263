/* Decoded views of a part for the pager (no curses): its bytes as text
 * (an HTML page as the body shows it, other text in its charset or the
 * most plausible one) and as a hex dump.  Every line is sanitized; nothing
 * is run, fetched or rendered. */
#ifndef KS_TUI_PARTVIEW_H
#define KS_TUI_PARTVIEW_H

#include "core/report.h"

#include <glib.h>

/* The part as text, one line per element (char*, g_free), or NULL when
 * its bytes are not text; *kind says how it was read ("HTML as text",
 * "text (UTF-8)", "text (guessed charset)"). */
GPtrArray *ks_part_text_lines(const ks_attachment *a, const char **kind);
/* text sanitized for the screen, one line per element (char*, g_free). */
GPtrArray *ks_part_safe_lines(const char *text);
/* The first 64 KiB as "OFFSET  HEX  |ASCII|" lines, 16 bytes each; a last
 * line says how much more there is. */
GPtrArray *ks_part_hex_lines(const ks_attachment *a);

#endif
