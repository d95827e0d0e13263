/* Opening, creating and migrating the case store (store.h).  The schema
 * lives here as a list of forward migrations, one per version: version N is
 * what migrations[0..N-1] make.  A file is never migrated backwards; a file
 * newer than this build is refused rather than guessed at. */
#include "core/i18n.h"
#include "store_private.h"

#include "checks/analyze.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Version 1: cases and what they hold. */
static const char schema_v1[] =
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),"
	"  verdict TEXT NOT NULL DEFAULT 'undecided',"
	"  bec_type INTEGER NOT NULL DEFAULT 0 CHECK (bec_type BETWEEN 0 AND 5),"
	"  tlp TEXT NOT NULL DEFAULT 'amber' CHECK (tlp IN ('clear', 'green', 'amber', 'red')),"
	"  created TEXT NOT NULL,"
	"  updated TEXT NOT NULL);"
	/* raw: the message itself, so the case outlives the file it came from */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  sha256 TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  report TEXT NOT NULL,"
	"  path TEXT,"
	"  subject TEXT,"
	"  sender TEXT,"
	"  date TEXT,"
	"  body TEXT,"
	"  severity TEXT,"
	"  score INTEGER NOT NULL DEFAULT 0,"
	"  bec_type INTEGER NOT NULL DEFAULT 0,"
	"  added TEXT NOT NULL,"
	"  UNIQUE (case_id, sha256));"
	"CREATE INDEX messages_sha256 ON messages(sha256);"
	"CREATE TABLE findings ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  rule TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  title TEXT,"
	"  evidence TEXT,"
	"  location TEXT);"
	"CREATE INDEX findings_message ON findings(message_id);"
	/* every attachment of the tree, for attachment.seen_before: encrypted
	   archive entries have a name and size but no hash */
	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  path TEXT NOT NULL,"
	"  filename TEXT,"
	"  size INTEGER NOT NULL DEFAULT -1,"
	"  sha256 TEXT,"
	"  detected_type TEXT,"
	"  encrypted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX attachments_message ON attachments(message_id);"
	"CREATE TABLE notes ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  created TEXT NOT NULL,"
	"  author TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  about TEXT);" /* "header:From", "hop:2", "part:2/1", "finding:RULE", or NULL */
	"CREATE INDEX notes_case ON notes(case_id);"
	"CREATE TABLE iocs ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  UNIQUE (case_id, kind, value));"
	"CREATE TABLE tags ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (case_id, tag));";

/* Version 2: what the analyst knows beyond cases. */
static const char schema_v2[] =
	"CREATE TABLE domains ("
	"  domain TEXT PRIMARY KEY,"
	"  registered TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  added TEXT NOT NULL);"
	"CREATE TABLE protected_domains ("
	"  domain TEXT PRIMARY KEY,"
	"  label TEXT,"
	"  added TEXT NOT NULL);"
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  added TEXT NOT NULL,"
	"  UNIQUE (name, address));";

/* Version 3: full-text search.  The trigram tokenizer (SQLite 3.34) indexes
 * every three characters, so Japanese text with no spaces is found too;
 * triggers keep it in step with cases, messages and notes, and the rows
 * already there are indexed once here. */
static const char schema_v3[] =
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

/* Version 4: whose each IOC is (analyzers/checks/roles.h), so an export blocks only
 * the attacker's (IOCs stored before read as the attacker's, as they were
 * treated then), and the analyst's own list of benign infrastructure
 * (`kensa allow`), beside the protected domains. */
static const char schema_v4[] =
	"ALTER TABLE iocs ADD COLUMN role TEXT NOT NULL DEFAULT 'attacker';"
	"CREATE TABLE allowed ("
	"  value TEXT PRIMARY KEY,"
	"  note TEXT,"
	"  added TEXT NOT NULL);";

/* Version 5: an IOC's role as the analyst judged it (the workbench's IOC
 * pane, `a`): who set it, which no message added later overrides. */
static const char schema_v5[] = "ALTER TABLE iocs ADD COLUMN judged_by TEXT;";

/* Version 6: each case's history: who changed its verdict, status, title or
 * BEC type, and when (issue 16: analysts sharing one store see each other's
 * changes, the last write stands, nothing is lost from sight). */
static const char schema_v6[] =
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  author TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  old TEXT,"
	"  new TEXT);"
	"CREATE INDEX history_case ON history(case_id);";

static const char *const migrations[] = {schema_v1, schema_v2, schema_v3, schema_v4, schema_v5,
                                         schema_v6};
G_STATIC_ASSERT(G_N_ELEMENTS(migrations) == KS_STORE_VERSION);

/* How long a writer waits for another process's transaction: the workbench
 * holds none for long, so a few seconds cover a script adding messages. */
#define BUSY_TIMEOUT_MS 15000

static bool read_only_error(ks_store *s, GError **error)
{
	g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: read-only database"), s->path);
	return false;
}

bool ks_store_fail(ks_store *s, GError **error, const char *what)
{
	/* SQLite's "attempt to write a readonly database" (a read-only mount,
	 * a -wal file that is not ours) says the same as a read-only open */
	if (s && s->db && (sqlite3_extended_errcode(s->db) & 0xFF) == SQLITE_READONLY)
		return read_only_error(s, error);
	g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: %s"), what,
	            s && s->db ? sqlite3_errmsg(s->db) : "no database");
	return false;
}

bool ks_store_begin(ks_store *s, GError **error)
{
	if (s->readonly)
		return read_only_error(s, error);
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return ks_store_fail(s, error, "begin");
	return true;
}

bool ks_store_commit(ks_store *s, GError **error)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		ks_store_fail(s, error, "commit");
		ks_store_rollback(s);
		return false;
	}
	return true;
}

void ks_store_rollback(ks_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *ks_store_prepare(ks_store *s, const char *sql, GError **error)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ks_store_fail(s, error, "prepare");
		return NULL;
	}
	return st;
}

void ks_store_bind_text(sqlite3_stmt *st, int col, const char *text)
{
	if (text)
		sqlite3_bind_text(st, col, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

char *ks_store_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? g_strdup((const char *)t) : NULL;
}

char *ks_store_now(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

char *ks_store_default_path(void)
{
	const char *env = g_getenv("KENSA_DB");
	if (env && *env)
		return g_strdup(env);
	return g_build_filename(g_get_user_data_dir(), "kensa", "kensa.db", NULL);
}

int ks_store_version(ks_store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

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

/* Applies the migrations from the file's version up to target, each in its
 * own transaction, re-reading the version under the write lock so two
 * processes opening a new file at once migrate it once. */
static bool migrate(ks_store *s, int target, GError **error)
{
	for (;;) {
		int v = ks_store_version(s);
		if (v < 0)
			return ks_store_fail(s, error, "not a kensa database");
		if (v > KS_STORE_VERSION) {
			g_set_error(error, KS_ERROR, KS_ERROR_DB,
			            _("%s is schema version %d, newer than this kensa (%d)"), s->path, v,
			            KS_STORE_VERSION);
			return false;
		}
		if (v >= target)
			return true;
		if (!ks_store_begin(s, error))
			return false;
		v = ks_store_version(s);
		if (v >= target) {
			ks_store_rollback(s);
			continue;
		}
		g_autofree char *bump = g_strdup_printf("PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, bump, NULL, NULL, NULL) != SQLITE_OK) {
			g_autofree char *what = g_strdup_printf("migrating to version %d", v + 1);
			ks_store_fail(s, error, what);
			ks_store_rollback(s);
			return false;
		}
		if (!ks_store_commit(s, error))
			return false;
	}
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
		if (s->db)
			sqlite3_close_v2(s->db);
		s->db = NULL;
		if (sqlite3_open_v2(uri, &s->db,
		                    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
		                    NULL) != SQLITE_OK)
			continue;
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
		if (ks_store_version(s) >= 0)
			break;
	}
	int v = s->db ? ks_store_version(s) : -1;
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

static ks_store *open_store(const char *path, int target, bool create, GError **error)
{
	bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
	if (!create && !exists)
		return NULL;
	if (exists && !writable(path)) {
		ks_store *s = g_new0(ks_store, 1);
		s->path = g_strdup(path);
		s->readonly = true;
		return open_read_only(s, target, error);
	}
	if (create && !create_file(path, error))
		return NULL;
	ks_store *s = g_new0(ks_store, 1);
	s->path = g_strdup(path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		ks_store_fail(s, error, path);
		ks_store_close(s);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	/* WAL: readers never block the writer (the workbench stays open while a
	 * script adds messages); synchronous=FULL: a commit reported is on disk */
	static const char setup[] = "PRAGMA journal_mode = WAL;"
	                            "PRAGMA synchronous = FULL;"
	                            "PRAGMA foreign_keys = ON;";
	if (sqlite3_exec(s->db, setup, NULL, NULL, NULL) != SQLITE_OK) {
		g_autofree char *what = g_strdup_printf("%s", path);
		ks_store_fail(s, error, what);
		ks_store_close(s);
		return NULL;
	}
	if (!migrate(s, target, error)) {
		ks_store_close(s);
		return NULL;
	}
	return s;
}

ks_store *ks_store_open(const char *path, GError **error)
{
	return open_store(path, KS_STORE_VERSION, true, error);
}

ks_store *ks_store_open_existing(const char *path, GError **error)
{
	return open_store(path, KS_STORE_VERSION, false, error);
}

ks_store *ks_store_open_at(const char *path, int version, GError **error)
{
	return open_store(path, CLAMP(version, 0, KS_STORE_VERSION), true, error);
}

void ks_store_set_author(ks_store *s, const char *author)
{
	g_free(s->author);
	s->author = g_strdup(author);
}

void ks_store_close(ks_store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	g_free(s->path);
	g_free(s->author);
	g_free(s);
}

bool ks_store_check(ks_store *s, GError **error)
{
	static const char *const checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
	for (size_t i = 0; i < G_N_ELEMENTS(checks); i++) {
		g_autoptr(sqlite3_stmt) st = ks_store_prepare(s, checks[i], error);
		if (!st)
			return false;
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *first = (const char *)sqlite3_column_text(st, 0);
			if (i == 0 && first && strcmp(first, "ok") == 0)
				continue;
			g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: %s"), checks[i],
			            first ? first : "a row violates a foreign key");
			return false;
		}
		if (rc != SQLITE_DONE)
			return ks_store_fail(s, error, checks[i]);
	}
	return true;
}
