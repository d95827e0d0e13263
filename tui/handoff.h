/* What the workbench hands to the analyst's machine: an attachment's
 * decoded bytes saved as a new file (never over one, never through a
 * link, mode 0600, under a name stripped to something safe to create), and
 * a value copied to the terminal's clipboard through OSC 52.  No curses. */
#ifndef KS_TUI_HANDOFF_H
#define KS_TUI_HANDOFF_H

#include "core/report.h"

#include <glib.h>

/* A file name safe to create for the part: the last path component,
 * printable, no leading dots, at most 120 bytes; "part-PATH.bin" when
 * nothing is left.  g_free. */
char *ks_part_file_name(const ks_attachment *a);
/* Writes a->data into dir as ks_part_file_name, or NAME.1 ... NAME.99
 * when that exists.  The absolute path written (g_free), or NULL with
 * *error ("DIR: reason" or "PATH: write failed"; nothing is left behind). */
char *ks_part_save(const ks_attachment *a, const char *dir, GError **error);

/* Runs the analyst's command line (/bin/sh -c cmd, spawned and exec'd at
 * once) with bytes on its standard input and the terminal as its output, as
 * mutt's | does; waits for it.  Its exit status (128+N for a signal), or -1
 * with *error when it could not start. */
int ks_pipe_to_command(const char *cmd, GBytes *bytes, GError **error);

/* Copies value through OSC 52 on stdout; it travels as base64, so nothing
 * from the mail reaches the terminal raw. */
void ks_clipboard_copy(const char *value);

#endif
