/* The case store's schema, one forward migration per version, shared by
 * both engines (store_private.h): version N is what migrations[0..N-1]
 * make.  It is written in SQLite's words; engine_pg.c says them in
 * PostgreSQL's (ks_schema_pg: identity keys, BYTEA, BIGINT ids).  Version 3,
 * full-text search, is each engine's own (its search_schema). */
#include "store_private.h"

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

/* Version 3: full-text search, the engine's own (search_schema). */

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

/* Version 7: who added or last changed each row of what the analyst knows
 * (issue 16: in a team's store, each knowledge change has an author). */
static const char schema_v7[] = "ALTER TABLE domains ADD COLUMN added_by TEXT;"
                                "ALTER TABLE protected_domains ADD COLUMN added_by TEXT;"
                                "ALTER TABLE contacts ADD COLUMN added_by TEXT;"
                                "ALTER TABLE allowed ADD COLUMN added_by TEXT;";

const char *const ks_schema_migrations[KS_STORE_VERSION] = {
	schema_v1, schema_v2, NULL, schema_v4, schema_v5, schema_v6, schema_v7,
};
