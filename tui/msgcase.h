/* A message in the panes and its case: where its bytes came from, the case
 * and stored message it is (found with one query when it was opened from a
 * file), the case's notes newest first, and the workflow on them: `a` adds
 * the message to a case, `n` writes a note about a row, `v` sets the
 * verdict once the message is in a case.  The message view owns one and
 * redraws its panes when the notes change. */
#ifndef KS_TUI_MSGCASE_H
#define KS_TUI_MSGCASE_H

#include "wb.h"

typedef struct ks_msgcase {
	GBytes *raw;          /* NULL: an inner message, which is in no case alone */
	char *path, *format;
	char *inner_part;     /* an inner message: the outer part's path */
	int64_t case_id, message_id;
	GPtrArray *notes;     /* ks_case_note*, newest first; NULL when in no case */
	unsigned notes_gen;   /* *ks_wb_generation when notes were read */
} ks_msgcase;

/* From a source (NULL: an inner message with no raw bytes); a message with
 * bytes and no known case is looked up in the store. */
void ks_msgcase_init(wb *w, ks_msgcase *c, const ks_msg_source *src);
void ks_msgcase_clear(ks_msgcase *c);
/* Reads the notes again when the workbench wrote since; true when it did. */
bool ks_msgcase_refresh(wb *w, ks_msgcase *c);
/* `a`: stores the raw bytes, analysed as `kensa case add` does, in a case
 * the analyst picks (subject: the title offered for a new case).  True
 * when the message is in that case now (added, or there already). */
bool ks_msgcase_add(wb *w, ks_msgcase *c, const char *subject);
/* A note or a verdict needs the message in a case: offers to add it. */
bool ks_msgcase_ensure(wb *w, ks_msgcase *c, const char *subject);
/* `n`: a note about `about` (`kensa case note --about` strings; NULL: the
 * message).  True when a note was written. */
bool ks_msgcase_note(wb *w, ks_msgcase *c, const char *subject, const char *about);

#endif
