/* The case store: one SQLite file (KENSA_DB, default
 * $XDG_DATA_HOME/kensa/kensa.db) holding cases, their messages (raw bytes
 * and report), notes, IOCs and tags, and what the analyst knows (domain
 * registrations, protected domains, contacts).  The schema is versioned with
 * PRAGMA user_version and migrated forward on open.
 *
 * The handle is opaque: only db/ sees SQLite.  Every write is one
 * transaction (BEGIN IMMEDIATE ... COMMIT) in WAL mode with synchronous=FULL,
 * so a process killed at any moment leaves the file consistent and loses
 * nothing a function reported as saved.  A busy timeout lets two kensa
 * processes (the workbench and a script) share one file.
 *
 * A file this process may not write (its mode, or its directory's) is
 * opened read-only: every read works, and every write fails with
 * "PATH: read-only database" (KS_ERROR_DB), creating nothing beside it. */
#ifndef KS_STORE_H
#define KS_STORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The schema version this build writes (the migrations' count). */
#define KS_STORE_VERSION 6

typedef struct ks_store ks_store;

/* $KENSA_DB, else $XDG_DATA_HOME/kensa/kensa.db.  g_free. */
char *ks_store_default_path(void);

/* Opens the store at path, creating it (mode 0600, its directories 0700)
 * when missing, and migrates it to KS_STORE_VERSION.  NULL with error
 * (KS_ERROR_DB) when the file is not a kensa database, is newer than this
 * build, or cannot be opened. */
ks_store *ks_store_open(const char *path, GError **error);

/* Opens an existing store only: NULL without error when path does not exist. */
ks_store *ks_store_open_existing(const char *path, GError **error);

/* For the migration tests: creates or opens path and migrates only up to
 * version (0 = an empty file). */
ks_store *ks_store_open_at(const char *path, int version, GError **error);

/* Who the changes made through s are by (recorded in a case's history). */
void ks_store_set_author(ks_store *s, const char *author);
void ks_store_close(ks_store *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_store, ks_store_close)

/* The file's schema version (PRAGMA user_version). */
int ks_store_version(ks_store *s);

/* PRAGMA integrity_check and foreign_key_check: true when both are clean;
 * otherwise false with the first problem in error. */
bool ks_store_check(ks_store *s, GError **error);

/* The current time as stored: RFC 3339 UTC with seconds ("...Z").  g_free. */
char *ks_store_now(void);

#endif
