/* What the files of db/ share and nothing outside db/ sees: the SQLite handle and the
 * transaction and error helpers every write goes through. */
#ifndef KS_STORE_PRIVATE_H
#define KS_STORE_PRIVATE_H

#include "core/error.h"
#include "store.h"

#include <sqlite3.h>

struct ks_store {
	sqlite3 *db;
	char *path;
	bool readonly; /* opened read-only: the file or its directory is not ours to write */
	char *author;  /* who the changes are by (ks_store_set_author), or NULL */
};

/* Sets error (KS_ERROR_DB) to "WHAT: sqlite's message". Returns false. */
bool ks_store_fail(ks_store *s, GError **error, const char *what);

/* BEGIN IMMEDIATE: takes the write lock up front (waiting up to the busy
 * timeout), so a transaction never fails half-way on a lock upgrade.  On a
 * read-only store it fails with "PATH: read-only database". */
bool ks_store_begin(ks_store *s, GError **error);
bool ks_store_commit(ks_store *s, GError **error);
/* Rolls back if a transaction is open; never fails. */
void ks_store_rollback(ks_store *s);

/* Prepares sql; NULL with error. */
sqlite3_stmt *ks_store_prepare(ks_store *s, const char *sql, GError **error);

/* Binds text (NULL binds NULL). */
void ks_store_bind_text(sqlite3_stmt *st, int col, const char *text);
/* A column's text copied (NULL for NULL).  g_free. */
char *ks_store_column_dup(sqlite3_stmt *st, int col);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

#endif
