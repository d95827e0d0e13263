/* What the files of db/ share and nothing outside db/ sees: the store, its
 * engine (SQLite in engine_sqlite.c, PostgreSQL in engine_pg.c), and the
 * statement, transaction and error calls every query goes through.
 *
 * cases.c and knowledge.c write their SQL once, in the dialect both engines
 * speak: `?` and `?N` placeholders (PostgreSQL's engine turns them into $N),
 * INSERT ... RETURNING id for a new row's id, ON CONFLICT for upserts, IS
 * [NOT] DISTINCT FROM for NULL-safe comparison, CASE rather than two-argument
 * max().  What the engines do differently (the schema, full-text search, the
 * write lock) lives in the engine. */
#ifndef KS_STORE_PRIVATE_H
#define KS_STORE_PRIVATE_H

#include "core/error.h"
#include "store.h"

/* Kinds of failure callers tell apart. */
typedef enum {
	KS_SQL_FAILED,      /* anything else: the engine's message says what */
	KS_SQL_FOREIGN_KEY, /* a row refers to one that is not there (no such case) */
	KS_SQL_READ_ONLY,   /* the store may not be written here */
} ks_sql_error;

typedef enum { KS_STEP_ROW, KS_STEP_DONE, KS_STEP_ERROR } ks_step;

typedef struct ks_stmt ks_stmt;
typedef struct ks_engine ks_engine;

/* One hit of the full-text search, as an engine returns it. */
typedef struct {
	int64_t case_id;
	char *kind;
	int64_t ref;
	char *subject, *sender, *body;
} ks_search_row;
void ks_search_row_free(ks_search_row *r);

struct ks_engine {
	const char *name; /* "sqlite", "postgresql" */
	/* version 3 of the schema, full-text search (the rest is schema.c's) */
	const char *search_schema;
	/* schema.c's SQL in the engine's words (g_free), or NULL: as it is */
	char *(*dialect)(const char *sql);
	/* a script of statements; no parameters, no rows */
	bool (*exec)(ks_store *s, const char *sql);
	/* the schema version; -1 when the store is not kensa's */
	int (*version)(ks_store *s);
	bool (*set_version)(ks_store *s, int version);
	/* write: the store's write lock, held to commit (one writer at a time,
	 * whichever the engine); read: a consistent snapshot */
	bool (*begin)(ks_store *s, bool write);
	bool (*commit)(ks_store *s);
	void (*rollback)(ks_store *s);
	ks_stmt *(*prepare)(ks_store *s, const char *sql);
	/* the last failure: one line, never a credential */
	const char *(*error_message)(ks_store *s);
	ks_sql_error (*error_kind)(ks_store *s);
	/* every hit for words (each must occur, any case) in search's
	 * columns, newest case first, at most limit; NULL on error */
	GPtrArray *(*search)(ks_store *s, GPtrArray *words, int limit);
	bool (*check)(ks_store *s, GError **error);
	void (*close)(ks_store *s);
};

/* A prepared statement: the engine's own struct starts with this. */
struct ks_stmt {
	const struct ks_stmt_ops *ops;
	ks_store *store;
};

struct ks_stmt_ops {
	void (*bind_int64)(ks_stmt *st, int col, int64_t v);
	void (*bind_text)(ks_stmt *st, int col, const char *text); /* NULL binds NULL */
	void (*bind_blob)(ks_stmt *st, int col, const void *data, size_t len);
	ks_step (*step)(ks_stmt *st);
	void (*reset)(ks_stmt *st); /* bindings stay; the next step runs it again */
	bool (*is_null)(ks_stmt *st, int col);
	int64_t (*column_int64)(ks_stmt *st, int col);
	const char *(*column_text)(ks_stmt *st, int col); /* until the next step */
	GBytes *(*column_blob)(ks_stmt *st, int col);
	int64_t (*changes)(ks_stmt *st); /* rows the last step wrote */
	void (*free)(ks_stmt *st);
};

struct ks_store {
	const ks_engine *engine;
	void *conn;    /* the engine's connection */
	char *path;    /* what errors name: the file, or the URL without a password */
	bool readonly; /* opened read-only: the file or its directory is not ours to write */
	char *author;  /* who the changes are by (ks_store_set_author), or NULL */
};

/* The schema (schema.c): migrations[v] takes a store from version v to
 * v + 1, in SQLite's words; NULL for version 3, the engine's search_schema. */
extern const char *const ks_schema_migrations[KS_STORE_VERSION];

/* The engines' openers (NULL with error; NULL without error when create is
 * false and there is no store there). */
ks_store *ks_store_open_sqlite(const char *path, int target, bool create, GError **error);
ks_store *ks_store_open_pg(const char *url, int target, bool create, GError **error);
/* Migrates s up to target (each version one write transaction), refusing a
 * store newer than this build; used by the engines' openers. */
bool ks_store_migrate(ks_store *s, int target, GError **error);

/* Sets error (KS_ERROR_DB) to "WHAT: the engine's message" ("PATH: read-only
 * database" when that is what failed).  Returns false. */
bool ks_store_fail(ks_store *s, GError **error, const char *what);

/* Begins a write transaction holding the store's write lock (waiting for
 * another writer), so a transaction never fails half-way on a lock.  On a
 * read-only store it fails with "PATH: read-only database". */
bool ks_store_begin(ks_store *s, GError **error);
/* A read transaction: every query in it sees one snapshot. */
bool ks_store_begin_read(ks_store *s, GError **error);
bool ks_store_commit(ks_store *s, GError **error);
/* Rolls back if a transaction is open; never fails. */
void ks_store_rollback(ks_store *s);

/* Prepares sql; NULL with error. */
ks_stmt *ks_store_prepare(ks_store *s, const char *sql, GError **error);
void ks_stmt_free(ks_stmt *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_stmt, ks_stmt_free)

void ks_stmt_bind_int64(ks_stmt *st, int col, int64_t v);
void ks_stmt_bind_text(ks_stmt *st, int col, const char *text);
void ks_stmt_bind_blob(ks_stmt *st, int col, const void *data, size_t len);
ks_step ks_stmt_step(ks_stmt *st);
void ks_stmt_reset(ks_stmt *st);
int64_t ks_stmt_int64(ks_stmt *st, int col);
int ks_stmt_int(ks_stmt *st, int col);
const char *ks_stmt_text(ks_stmt *st, int col);
/* A column's text copied (NULL for NULL).  g_free. */
char *ks_stmt_dup(ks_stmt *st, int col);
GBytes *ks_stmt_blob(ks_stmt *st, int col);
int64_t ks_stmt_changes(ks_stmt *st);
/* Steps a statement that returns no rows; false with error "WHAT: ...". */
bool ks_stmt_done(ks_stmt *st, const char *what, GError **error);
/* Steps an INSERT ... RETURNING id; its id in *id. */
bool ks_stmt_insert(ks_stmt *st, int64_t *id, const char *what, GError **error);
/* Every row of st, each made by row (st on that row) into a new
 * GPtrArray freeing them with row_free; NULL with error "WHAT: ..." when a
 * step fails (PostgreSQL's errors come at the first step, not at prepare). */
GPtrArray *ks_stmt_rows(ks_stmt *st, void *(*row)(ks_stmt *st), GDestroyNotify row_free,
                        const char *what, GError **error);

/* The rows of a search statement (case_id, kind, ref, subject, sender,
 * body) as ks_search_row*; NULL when a step fails.  Frees nothing. */
GPtrArray *ks_store_search_rows(ks_stmt *st);

#endif
