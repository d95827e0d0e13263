/* Caps before cost: a message's shape counted before GMime builds it.
 * GMime keeps every MIME part and every header it reads as objects (about
 * 2 KB a part), so a 32 MB mail of a million tiny parts, a million headers
 * or one header line of 200 MB cost gigabytes before any limit applied
 * afterwards could help.  The pre-scan reads the bytes once, line by line,
 * following header blocks and multipart boundaries the way GMime does, and
 * says which byte ranges GMime may be given: header fields beyond the caps
 * and the tails of over-long fields are left out, and the message is cut
 * before the first entity beyond the entity or nesting cap.  Each cap hit
 * is one line, with its figures, for input.malformed.  Used by message.c. */
#ifndef KS_PRESCAN_H
#define KS_PRESCAN_H

#include <glib.h>

/* One range of the message's bytes, [from, to). */
typedef struct {
	gsize from, to;
} ks_span;

/* Scans data[off..len).  Appends to keep (ks_span) the ranges GMime is
 * given, in order (one range [off, len) when no cap is reached), and to
 * problems (char*, g_free) one sentence per cap reached. */
void ks_prescan(const guint8 *data, gsize off, gsize len, GArray *keep, GPtrArray *problems);

#endif
