/* Rule data built in at compile time from analyzers/data/ text files (STYLE.md
 * "rules are data").  The Makefile turns each file into a string; here they
 * are looked up by file name ("lures_en.txt"). */
#ifndef KS_DATA_H
#define KS_DATA_H

#include <glib.h>
#include <stdbool.h>

/* Whole text of a data file, or NULL. Static lifetime. */
const char *ks_data_text(const char *name);
/* Its lines with '#' comments and surrounding blanks removed, empty lines
 * dropped.  Static lifetime, thread-safe; NULL when no such file. */
const GPtrArray *ks_data_lines(const char *name);
/* A "key: value" line split at its colon into copies stripped of blanks
 * (g_free both); false, setting neither, when the line has no colon. */
bool ks_data_split(const char *line, char **key, char **value);

/* The calling thread's own table behind slot (declared
 * G_PRIVATE_INIT((GDestroyNotify)g_hash_table_unref)), made on first use:
 * string keys it owns (g_free), values freed with value_free (may be NULL).
 * For answers worked out from the tables above and asked again message after
 * message, kept without a lock on scan's workers. */
GHashTable *ks_thread_table(GPrivate *slot, GDestroyNotify value_free);

#endif
