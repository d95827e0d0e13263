/* The one Markdown escaper: every writer of Markdown (the analyze report,
 * report_markdown.c, and the case export, db/export/export_doc.c) puts message text
 * into Markdown through these two functions, so attacker text never becomes
 * markup and never a link, in whichever renderer opens the file. */
#ifndef KS_MARKDOWN_H
#define KS_MARKDOWN_H

#include <glib.h>
#include <stdbool.h>

/* Appends s as inline text: URLs, addresses, domains and IPs defanged
 * (ks_defang_text), then every ASCII punctuation character that can open
 * markup backslash-escaped (CommonMark 0.30 §2.4 allows escaping any).  A
 * newline becomes "<br>" when breaks, else a space; CR is dropped. */
void ks_md_text(GString *o, const char *s, bool breaks);

/* Appends s as a code span, fenced by one backtick more than the longest
 * run inside it (CommonMark 0.30 §6.1); a newline becomes a space, and in a
 * table a pipe is escaped (GFM 0.29 §4.10).  Nothing in a code span is a
 * link, so an already defanged IOC goes here as is. */
void ks_md_code(GString *o, const char *s, bool in_table);

#endif
