/* The raw source of a message for the raw view: its bytes split into lines,
 * each line sanitized for display, and where a header, a Received hop or a
 * MIME part lies among those lines, so the view can highlight the row the
 * analyst selected.  Locating is display work over the bytes the analyst
 * sees, not analysis: nothing found here goes into a report.  No curses. */
#ifndef KS_TUI_RAWSRC_H
#define KS_TUI_RAWSRC_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ks_raw_source ks_raw_source;

/* The message's lines, at most max_lines of them (the rest are counted,
 * not kept); the source holds a reference to raw. */
ks_raw_source *ks_raw_source_new(GBytes *raw, int max_lines);
void ks_raw_source_free(ks_raw_source *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_raw_source, ks_raw_source_free)

/* The kept lines as display text (char*, g_ptr_array_unref frees them):
 * sanitized one line at a time (controls and invalid UTF-8 as visible
 * escapes, tabs as spaces), a line over max_line_bytes cut with a visible
 * marker, and a closing note when lines were left out. */
GPtrArray *ks_raw_source_lines(const ks_raw_source *s, size_t max_line_bytes);

/* Lines *from..*to (0-based, inclusive) of the nth (0-based) header called
 * name (case-insensitive) in the message's header block, continuation
 * lines included.  False when there is no such header among the kept lines. */
bool ks_raw_source_find_header(const ks_raw_source *s, const char *name, int nth, int *from,
                               int *to);
/* The MIME part at a report path ("2", "2/1"): from its header block to the
 * line before the next boundary.  When the path goes on past a part that
 * is not multipart (an archive entry, an inner message's parts), the
 * containing part. */
bool ks_raw_source_find_part(const ks_raw_source *s, const char *path, int *from, int *to);

#endif
