/* The SQLite engine of the case store (store_private.h): one file, the
 * default for an analyst on one machine.  The schema (schema.c) is written
 * in SQLite's words; its version is PRAGMA user_version.
 *
 * Every write is one transaction (BEGIN IMMEDIATE ... COMMIT) in WAL mode
 * with synchronous=FULL, so a process killed at any moment leaves the file
 * consistent and loses nothing a function reported as saved; a busy timeout
 * lets two kensa processes share one file.  A file this process may not
 * write is opened read-only, creating nothing beside it.  Full-text search
 * is FTS5 with the trigram tokenizer. */
#include "core/i18n.h"
#include "store_private.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Version 3: full-text search.  The trigram tokenizer (SQLite 3.34) indexes
 * every three characters, so Japanese text with no spaces is found too;
 * triggers keep it in step with cases, messages and notes, and the rows
 * already there are indexed once here. */
static const char search_schema[] =
	"CREATE VIRTUAL TABLE search USING fts5("
	"  subject, sender, body, kind UNINDEXED, ref UNINDEXED, case_id UNINDEXED,"
	"  tokenize = 'trigram');"
	"CREATE TRIGGER search_case_ins AFTER INSERT ON cases BEGIN"
	"  INSERT INTO search (subject, sender, body, kind, ref, case_id)"
	"  VALUES (new.title, '', '', 'case', new.id, new.id); END;"
	"CREATE TRIGGER search_case_upd AFTER UPDATE OF title ON cases BEGIN"
	"  UPDATE search SET subject = new.title WHERE kind = 'case' AND ref = new.id; END;"
	"CREATE TRIGGER search_case_del AFTER DELETE ON cases BEGIN"
	"  DELETE FROM search WHERE case_id = old.id; END;"
	"CREATE TRIGGER search_msg_ins AFTER INSERT ON messages BEGIN"
	"  INSERT INTO search (subject, sender, body, kind, ref, case_id)"
	"  VALUES (new.subject, new.sender, new.body, 'message', new.id, new.case_id); END;"
	"CREATE TRIGGER search_msg_del AFTER DELETE ON messages BEGIN"
	"  DELETE FROM search WHERE kind = 'message' AND ref = old.id; END;"
	"CREATE TRIGGER search_note_ins AFTER INSERT ON notes BEGIN"
	"  INSERT INTO search (subject, sender, body, kind, ref, case_id)"
	"  VALUES ('', new.author, new.text, 'note', new.id, new.case_id); END;"
	"CREATE TRIGGER search_note_del AFTER DELETE ON notes BEGIN"
	"  DELETE FROM search WHERE kind = 'note' AND ref = old.id; END;"
	"INSERT INTO search (subject, sender, body, kind, ref, case_id)"
	"  SELECT title, '', '', 'case', id, id FROM cases;"
	"INSERT INTO search (subject, sender, body, kind, ref, case_id)"
	"  SELECT subject, sender, body, 'message', id, case_id FROM messages;"
	"INSERT INTO search (subject, sender, body, kind, ref, case_id)"
	"  SELECT '', author, text, 'note', id, case_id FROM notes;";



/* How long a writer waits for another process's transaction: the workbench
 * holds none for long, so a few seconds cover a script adding messages. */
#define BUSY_TIMEOUT_MS 15000

#define DB(s) ((sqlite3 *)(s)->conn)

/* ---- statements ---- */

typedef struct {
	ks_stmt base;
	sqlite3_stmt *st;
	int64_t changes;
} lite_stmt;

#define LITE(x) (((lite_stmt *)(x))->st)

static void lite_bind_int64(ks_stmt *st, int col, int64_t v)
{
	sqlite3_bind_int64(LITE(st), col, v);
}

static void lite_bind_text(ks_stmt *st, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(LITE(st), col, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(LITE(st), col);
}

static void lite_bind_blob(ks_stmt *st, int col, const void *data, size_t len)
{
	sqlite3_bind_blob64(LITE(st), col, len ? data : "", len, SQLITE_TRANSIENT);
}

static ks_step lite_step(ks_stmt *st)
{
	int rc = sqlite3_step(LITE(st));
	((lite_stmt *)st)->changes = sqlite3_changes(DB(st->store));
	return rc == SQLITE_ROW ? KS_STEP_ROW : rc == SQLITE_DONE ? KS_STEP_DONE : KS_STEP_ERROR;
}

static void lite_reset(ks_stmt *st)
{
	sqlite3_reset(LITE(st));
}

static bool lite_is_null(ks_stmt *st, int col)
{
	return sqlite3_column_type(LITE(st), col) == SQLITE_NULL;
}

static int64_t lite_int64(ks_stmt *st, int col)
{
	return sqlite3_column_int64(LITE(st), col);
}

static const char *lite_text(ks_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(LITE(st), col);
}

static GBytes *lite_blob(ks_stmt *st, int col)
{
	const void *d = sqlite3_column_blob(LITE(st), col);
	return g_bytes_new(d, (gsize)sqlite3_column_bytes(LITE(st), col));
}

static int64_t lite_changes(ks_stmt *st)
{
	return ((lite_stmt *)st)->changes;
}

static void lite_free(ks_stmt *st)
{
	sqlite3_finalize(LITE(st));
	g_free(st);
}

static const struct ks_stmt_ops lite_ops = {
	lite_bind_int64, lite_bind_text, lite_bind_blob, lite_step, lite_reset, lite_is_null,
	lite_int64,      lite_text,      lite_blob,      lite_changes, lite_free,
};

static ks_stmt *lite_prepare(ks_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	lite_stmt *l = g_new0(lite_stmt, 1);
	l->base.ops = &lite_ops;
	l->base.store = s;
	l->st = st;
	return &l->base;
}

/* ---- the store ---- */

static bool lite_exec(ks_store *s, const char *sql)
{
	return sqlite3_exec(DB(s), sql, NULL, NULL, NULL) == SQLITE_OK;
}

static int lite_version(ks_store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(DB(s), "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static bool lite_set_version(ks_store *s, int version)
{
	g_autofree char *bump = g_strdup_printf("PRAGMA user_version = %d", version);
	return lite_exec(s, bump);
}

static bool lite_begin(ks_store *s, bool write)
{
	/* IMMEDIATE takes the write lock up front (waiting up to the busy
	 * timeout), so a transaction never fails half-way on a lock upgrade */
	return lite_exec(s, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static bool lite_commit(ks_store *s)
{
	return lite_exec(s, "COMMIT");
}

static void lite_rollback(ks_store *s)
{
	if (DB(s) && !sqlite3_get_autocommit(DB(s)))
		lite_exec(s, "ROLLBACK");
}

static const char *lite_error_message(ks_store *s)
{
	return DB(s) ? sqlite3_errmsg(DB(s)) : "no database";
}

static ks_sql_error lite_error_kind(ks_store *s)
{
	if (!DB(s))
		return KS_SQL_FAILED;
	int rc = sqlite3_extended_errcode(DB(s));
	/* "attempt to write a readonly database" (a read-only mount, a -wal
	 * file that is not ours) says the same as a read-only open */
	if ((rc & 0xFF) == SQLITE_READONLY)
		return KS_SQL_READ_ONLY;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return KS_SQL_FOREIGN_KEY;
	return KS_SQL_FAILED;
}

/* An FTS5 string literal: "word" with inner quotes doubled. */
static void append_phrase(GString *q, const char *word)
{
	g_string_append_c(q, '"');
	for (const char *p = word; *p; p++) {
		if (*p == '"')
			g_string_append_c(q, '"');
		g_string_append_c(q, *p);
	}
	g_string_append_c(q, '"');
}

/* A LIKE pattern matching word anywhere, with %, _ and \ escaped. */
static char *like_pattern(const char *word)
{
	GString *p = g_string_new("%");
	for (const char *c = word; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			g_string_append_c(p, '\\');
		g_string_append_c(p, *c);
	}
	g_string_append_c(p, '%');
	return g_string_free(p, FALSE);
}

/* Words of three characters or more go through the trigram index; the rest
 * are LIKE conditions (ASCII case-insensitive) on the same rows. */
static GPtrArray *lite_search(ks_store *s, GPtrArray *words, int limit)
{
	g_autoptr(GString) match = g_string_new(NULL);
	g_autoptr(GString) sql =
		g_string_new("SELECT case_id, kind, ref, subject, sender, body FROM search");
	bool where = false;
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		if (g_utf8_strlen(w, -1) >= 3) {
			if (match->len)
				g_string_append(match, " AND ");
			append_phrase(match, w);
		}
	}
	if (match->len) {
		g_string_append(sql, " WHERE search MATCH ?1");
		where = true;
	}
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		if (g_utf8_strlen(w, -1) >= 3)
			continue;
		g_string_append_printf(sql,
		                       " %s (subject LIKE ?%u ESCAPE '\\' OR sender LIKE ?%u"
		                       " ESCAPE '\\' OR body LIKE ?%u ESCAPE '\\')",
		                       where ? "AND" : "WHERE", i + 2, i + 2, i + 2);
		where = true;
	}
	g_string_append_printf(sql, " ORDER BY case_id DESC, kind, ref LIMIT %d", limit);
	g_autoptr(ks_stmt) st = lite_prepare(s, sql->str);
	if (!st)
		return NULL;
	if (match->len)
		lite_bind_text(st, 1, match->str);
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		if (g_utf8_strlen(w, -1) < 3) {
			g_autofree char *pat = like_pattern(w);
			lite_bind_text(st, (int)i + 2, pat);
		}
	}
	return ks_store_search_rows(st);
}

static bool lite_check(ks_store *s, GError **error)
{
	static const char *const checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
	for (size_t i = 0; i < G_N_ELEMENTS(checks); i++) {
		g_autoptr(ks_stmt) st = ks_store_prepare(s, checks[i], error);
		if (!st)
			return false;
		ks_step rc = ks_stmt_step(st);
		if (rc == KS_STEP_ROW) {
			const char *first = ks_stmt_text(st, 0);
			if (i == 0 && first && strcmp(first, "ok") == 0)
				continue;
			g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: %s"), checks[i],
			            first ? first : "a row violates a foreign key");
			return false;
		}
		if (rc != KS_STEP_DONE)
			return ks_store_fail(s, error, checks[i]);
	}
	return true;
}

static void lite_close(ks_store *s)
{
	if (DB(s))
		sqlite3_close_v2(DB(s));
	s->conn = NULL;
}

static const ks_engine sqlite_engine = {
	.name = "sqlite",
	.search_schema = search_schema,
	.exec = lite_exec,
	.version = lite_version,
	.set_version = lite_set_version,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.prepare = lite_prepare,
	.error_message = lite_error_message,
	.error_kind = lite_error_kind,
	.search = lite_search,
	.check = lite_check,
	.close = lite_close,
};

/* ---- opening ---- */

/* Creates the file 0600 (and its directory 0700) before SQLite sees it:
 * SQLite gives its -wal and -shm files the database file's mode. */
static bool create_file(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int e = errno;
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("cannot create %s: %s"), dir,
		            g_strerror(e));
		return false;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("cannot create %s: %s"), path,
		            g_strerror(e));
		return false;
	}
	close(fd);
	return true;
}

/* True when this process may write the file and create its -wal and -shm
 * files beside it (access(2) asks with the real ids, as the kernel will). */
static bool writable(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	return access(path, R_OK | W_OK) == 0 && access(dir, W_OK | X_OK) == 0;
}

/* "file:" URI of path with query (RFC 3986: '%', '?' and '#' escaped, as
 * SQLite's URI filenames want). */
static char *file_uri(const char *path, const char *query)
{
	GString *u = g_string_new("file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			g_string_append_printf(u, "%%%02X", (unsigned char)*p);
		else
			g_string_append_c(u, *p);
	}
	g_string_append_printf(u, "?%s", query);
	return g_string_free(u, FALSE);
}

static ks_store *new_store(const char *path, bool readonly)
{
	ks_store *s = g_new0(ks_store, 1);
	s->engine = &sqlite_engine;
	s->path = g_strdup(path);
	s->readonly = readonly;
	return s;
}

static bool lite_open(ks_store *s, const char *name, int flags)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	s->conn = db;
	if (rc != SQLITE_OK)
		return false;
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	return true;
}

/* Opens a store this process may not write, without writing beside it:
 * with a -wal file present (a writer has it open, or crashed) mode=ro,
 * which reads the WAL through its -shm file; without one, immutable=1,
 * which creates no -shm (mode=ro would leave one, with the database's
 * read-only mode, in the way of the owner's next write): the last writer's
 * close checkpointed, so the main file holds every commit.  Changes made
 * after opening are not seen.  A store older than this build cannot be
 * migrated, and is refused. */
static ks_store *open_read_only(ks_store *s, int target, GError **error)
{
	g_autofree char *wal = g_strconcat(s->path, "-wal", NULL);
	static const char *const queries[] = {"mode=ro", "immutable=1"};
	for (size_t i = g_file_test(wal, G_FILE_TEST_EXISTS) ? 0 : 1; i < G_N_ELEMENTS(queries);
	     i++) {
		g_autofree char *uri = file_uri(s->path, queries[i]);
		lite_close(s);
		if (lite_open(s, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI) &&
		    lite_version(s) >= 0)
			break;
	}
	int v = s->conn ? lite_version(s) : -1;
	if (v < 0) {
		ks_store_fail(s, error, s->path);
		ks_store_close(s);
		return NULL;
	}
	if (v > KS_STORE_VERSION || v < target) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB,
		            v > KS_STORE_VERSION ? "%s is schema version %d, newer than this kensa (%d)"
		                                 : "%s is schema version %d and read-only: it cannot "
		                                   "be migrated to %d",
		            s->path, v, v > KS_STORE_VERSION ? KS_STORE_VERSION : target);
		ks_store_close(s);
		return NULL;
	}
	return s;
}

ks_store *ks_store_open_sqlite(const char *path, int target, bool create, GError **error)
{
	bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
	if (!create && !exists)
		return NULL;
	if (exists && !writable(path))
		return open_read_only(new_store(path, true), target, error);
	if (create && !create_file(path, error))
		return NULL;
	ks_store *s = new_store(path, false);
	/* WAL: readers never block the writer (the workbench stays open while a
	 * script adds messages); synchronous=FULL: a commit reported is on disk */
	static const char setup[] = "PRAGMA journal_mode = WAL;"
	                            "PRAGMA synchronous = FULL;"
	                            "PRAGMA foreign_keys = ON;";
	if (!lite_open(s, path, SQLITE_OPEN_READWRITE) || !lite_exec(s, setup)) {
		ks_store_fail(s, error, path);
		ks_store_close(s);
		return NULL;
	}
	if (!ks_store_migrate(s, target, error)) {
		ks_store_close(s);
		return NULL;
	}
	return s;
}
