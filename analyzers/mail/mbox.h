/* Mailbox input, streamed: an mbox is read one message at a time so memory
 * never grows with the mailbox; a Maildir or a directory of .eml files is
 * walked in name order, and an mbox file inside it (one not named .eml or
 * .msg) gives each of its messages.  Both yield raw message bytes for ks_analyze_bytes. */
#ifndef KS_MBOX_H
#define KS_MBOX_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct ks_mailbox ks_mailbox;

/* Opens an mbox file, a Maildir, a directory of messages, or a single
 * message file (yielding it once); "-" reads standard input (an mbox or one
 * message).  NULL with error when unreadable. */
ks_mailbox *ks_mailbox_open(const char *path, GError **error);
/* The next message's raw bytes (mboxrd ">From " unescaped), or NULL at the
 * end.  *where gets the file it came from ("FILE:N" for the Nth message of
 * an mbox inside a directory), g_free. */
GBytes *ks_mailbox_next(ks_mailbox *mb, char **where);
/* Why the entry last returned (empty bytes) could not be read ("cannot
 * read: Permission denied", a broken link), or NULL when it was read. */
const char *ks_mailbox_problem(const ks_mailbox *mb);
/* 1-based number of the message last returned: its place in the mbox, or
 * among the messages of the directory (each of an mbox inside counts). */
int ks_mailbox_index(const ks_mailbox *mb);
/* Bytes read so far and the total (for progress). */
void ks_mailbox_progress(const ks_mailbox *mb, uint64_t *done, uint64_t *total);
/* "mbox" when the message last returned came from an mbox file, else "eml". */
const char *ks_mailbox_format(const ks_mailbox *mb);
void ks_mailbox_close(ks_mailbox *mb);

/* True when the file at path starts like an mbox ("From " line). */
bool ks_path_is_mbox(const char *path);

#endif
