/* The case store: cases, their messages (raw bytes and report), notes,
 * IOCs and tags, and what the analyst knows (domain registrations,
 * protected domains, contacts, the allow list).  Two engines behind one
 * interface: an SQLite file, the default (KENSA_DB a path, default
 * $XDG_DATA_HOME/kensa/kensa.db), and a PostgreSQL database a team shares
 * (KENSA_DB=postgresql://... or postgres://...).  Both keep the same schema,
 * versioned the same way and migrated forward on open.
 *
 * The handle is opaque: only db/ sees SQLite or libpq.  Every write is one
 * transaction holding the store's write lock, so a process killed at any
 * moment loses nothing a function reported as saved, and two kensa
 * processes (two analysts, or the workbench and a script) share one store.
 *
 * An SQLite file this process may not write (its mode, or its directory's)
 * is opened read-only: every read works, and every write fails with
 * "PATH: read-only database" (KS_ERROR_DB), creating nothing beside it. */
#ifndef KS_STORE_H
#define KS_STORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* The schema version this build writes (the migrations' count). */
#define KS_STORE_VERSION 7

typedef struct ks_store ks_store;

/* $KENSA_DB, else $XDG_DATA_HOME/kensa/kensa.db.  g_free. */
char *ks_store_default_path(void);

/* True when location names a PostgreSQL server (postgresql:// or
 * postgres://) rather than an SQLite file. */
bool ks_store_is_url(const char *location);

/* Opens the store at location (a path or a postgresql:// URL), creating it
 * when missing (a file mode 0600, its directories 0700; the tables in the
 * server's database), and migrates it to KS_STORE_VERSION.  NULL with error
 * (KS_ERROR_DB) when it is not a kensa store, is newer than this build, or
 * cannot be opened (the server down or refusing us). */
ks_store *ks_store_open(const char *path, GError **error);

/* Opens an existing store only: NULL without error when the file does not
 * exist or the database holds no kensa tables. */
ks_store *ks_store_open_existing(const char *path, GError **error);

/* For the migration tests: creates or opens path and migrates only up to
 * version (0 = an empty file). */
ks_store *ks_store_open_at(const char *path, int version, GError **error);

/* Who the changes made through s are by (recorded in a case's history). */
void ks_store_set_author(ks_store *s, const char *author);
void ks_store_close(ks_store *s);
/* "sqlite" or "postgresql". */
const char *ks_store_engine(ks_store *s);
/* What errors call the store: the file, or the URL without its password. */
const char *ks_store_name(ks_store *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_store, ks_store_close)

/* The store's schema version (SQLite's PRAGMA user_version, PostgreSQL's
 * kensa_schema table). */
int ks_store_version(ks_store *s);

/* SQLite: PRAGMA integrity_check and foreign_key_check; PostgreSQL: the
 * schema is there and current.  True when clean; otherwise false with the
 * first problem in error. */
bool ks_store_check(ks_store *s, GError **error);

/* The current time as stored: RFC 3339 UTC with seconds ("...Z").  g_free. */
char *ks_store_now(void);

#endif
