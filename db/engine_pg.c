/* The PostgreSQL engine of the case store (store_private.h), through libpq:
 * for a team that shares one queue of reported mail.  KENSA_DB (or the
 * config's [db] url) = postgresql://... or postgres://... selects it.
 *
 * The schema is schema.c's, version for version (the same KS_STORE_VERSION,
 * kept in the table kensa_schema), in PostgreSQL's types (pg_dialect).
 * Writers take one advisory lock per transaction, as SQLite's BEGIN
 * IMMEDIATE takes the file's: changes from two analysts are applied one
 * after the other, the last write of a field stands and the case's history
 * keeps both.  A commit the server did not confirm is reported as not
 * saved.  Full-text search is ILIKE over the same columns as SQLite's FTS5
 * table, sped up by pg_trgm's trigram indexes when the server has the
 * extension (Debian ships pg_trgm with postgresql, not pg_bigm); Japanese
 * words are found either way.
 *
 * libpq finds credentials where it always does (PGPASSFILE, ~/.pgpass, the
 * service file, PGPASSWORD) and sslmode in the URL asks for TLS; errors name
 * the server without the URL's password, and the server's notices are not
 * printed. */
#include "core/i18n.h"
#include "core/module.h"
#include "store_private.h"

#include <libpq-fe.h>

#include <inttypes.h>
#include <string.h>

/* libpq, opened when a store's location is a PostgreSQL URL (GModule), not
 * linked: it brings Kerberos, LDAP and GnuTLS (17 libraries, 3.4 ms of
 * start-up) into every kensa process, though a single analyst's store is
 * SQLite.  The header gives the types; pq holds the functions, set once by
 * pq_load (NULL when the library cannot be opened: the store says so). */
typedef struct {
	__typeof__(PQclear) *clear;
	__typeof__(PQcmdStatus) *cmdStatus;
	__typeof__(PQcmdTuples) *cmdTuples;
	__typeof__(PQconnectdbParams) *connectdbParams;
	__typeof__(PQconninfoFree) *conninfoFree;
	__typeof__(PQconninfoParse) *conninfoParse;
	__typeof__(PQconsumeInput) *consumeInput;
	__typeof__(PQerrorMessage) *errorMessage;
	__typeof__(PQexec) *exec;
	__typeof__(PQexecParams) *execParams;
	__typeof__(PQfinish) *finish;
	__typeof__(PQfreemem) *freemem;
	__typeof__(PQgetisnull) *getisnull;
	__typeof__(PQgetvalue) *getvalue;
	__typeof__(PQnfields) *nfields;
	__typeof__(PQntuples) *ntuples;
	__typeof__(PQreset) *reset;
	__typeof__(PQresultErrorField) *resultErrorField;
	__typeof__(PQresultErrorMessage) *resultErrorMessage;
	__typeof__(PQresultStatus) *resultStatus;
	__typeof__(PQsetNoticeProcessor) *setNoticeProcessor;
	__typeof__(PQstatus) *status;
	__typeof__(PQtransactionStatus) *transactionStatus;
	__typeof__(PQunescapeBytea) *unescapeBytea;
} pq_api;

static const pq_api *pq;

static gpointer pq_load(gpointer unused)
{
	(void)unused;
	static const char *const names[] = {"libpq.so.5", "libpq.so"};
	pq_api *api = g_new0(pq_api, 1);
#define SYM(f) {"PQ" #f, (gpointer *)&api->f}
	const ks_module_symbol syms[] = {
		SYM(clear),
		SYM(cmdStatus),
		SYM(cmdTuples),
		SYM(connectdbParams),
		SYM(conninfoFree),
		SYM(conninfoParse),
		SYM(consumeInput),
		SYM(errorMessage),
		SYM(exec),
		SYM(execParams),
		SYM(finish),
		SYM(freemem),
		SYM(getisnull),
		SYM(getvalue),
		SYM(nfields),
		SYM(ntuples),
		SYM(reset),
		SYM(resultErrorField),
		SYM(resultErrorMessage),
		SYM(resultStatus),
		SYM(setNoticeProcessor),
		SYM(status),
		SYM(transactionStatus),
		SYM(unescapeBytea),
	};
#undef SYM
	if (!ks_module_load(names, G_N_ELEMENTS(names), syms, G_N_ELEMENTS(syms))) {
		g_free(api);
		return NULL;
	}
	pq = api; /* reachable from pq */
	return api;
}

/* PostgreSQL's type oids (pg_type.dat): parameters are typed, so an INSERT
 * ... SELECT of parameters needs no casts in the shared SQL */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25

/* The advisory lock every write transaction takes: "kensa" in ASCII. */
#define WRITE_LOCK "461229253473"

/* Version 3: full-text search.  Searching reads the tables themselves
 * (pg_search); pg_trgm's GIN indexes on the very expressions it matches
 * make ILIKE '%word%' an index scan.  A server without pg_trgm (or a role
 * that may not create it) searches without the index. */
#define MESSAGE_DOC "(coalesce(subject, '') || ' ' || coalesce(sender, '') || ' ' || coalesce(body, ''))"
#define NOTE_DOC "(author || ' ' || text)"
static const char search_schema[] =
	"DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm;"
	" EXCEPTION WHEN OTHERS THEN NULL; END $$;"
	"DO $$ BEGIN"
	" CREATE INDEX cases_search ON cases USING gin (title gin_trgm_ops);"
	" CREATE INDEX messages_search ON messages USING gin (" MESSAGE_DOC " gin_trgm_ops);"
	" CREATE INDEX notes_search ON notes USING gin (" NOTE_DOC " gin_trgm_ops);"
	" EXCEPTION WHEN undefined_object THEN NULL; END $$;";

/* schema.c's SQL in PostgreSQL's words: SQLite's integer primary key (a
 * rowid) is an identity column, a BLOB is BYTEA, and the ids that refer to
 * one are BIGINT, as is a size. */
static char *pg_dialect(const char *sql)
{
	static const char *const words[][2] = {
		{"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
		{" BLOB ", " BYTEA "},
		{"_id INTEGER ", "_id BIGINT "},
		{"size INTEGER ", "size BIGINT "},
	};
	char *out = g_strdup(sql);
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
		g_auto(GStrv) parts = g_strsplit(out, words[i][0], -1);
		g_free(out);
		out = g_strjoinv(words[i][1], parts);
	}
	return out;
}

typedef struct {
	PGconn *pg;
	char *error;       /* the last failure, one line */
	char sqlstate[6];  /* its SQLSTATE, or "" */
} pg_conn;

#define CONN(s) ((pg_conn *)(s)->conn)
#define PG(s) (CONN(s)->pg)

/* libpq's messages run over several lines ("...failed: ...\n\tIs the
 * server running...?\n"): one line, spaces collapsed. */
static char *one_line(const char *msg)
{
	GString *out = g_string_new(NULL);
	for (const char *p = msg ? msg : ""; *p; p++) {
		bool space = g_ascii_isspace(*p);
		if (space && (!out->len || out->str[out->len - 1] == ' '))
			continue;
		g_string_append_c(out, space ? ' ' : *p);
	}
	while (out->len && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	/* the server's "ERROR:  " adds nothing to kensa's "WHAT: " */
	if (g_str_has_prefix(out->str, "ERROR: "))
		g_string_erase(out, 0, 7);
	if (!out->len)
		g_string_append(out, "the server gave no reason");
	return g_string_free(out, FALSE);
}

/* Remembers why res (or the connection, when res is NULL) failed. */
static void remember(ks_store *s, const PGresult *res)
{
	pg_conn *c = CONN(s);
	g_free(c->error);
	const char *msg = res ? pq->resultErrorMessage(res) : NULL;
	c->error = one_line(msg && *msg ? msg : pq->errorMessage(c->pg));
	const char *state = res ? pq->resultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	g_strlcpy(c->sqlstate, state ? state : "", sizeof c->sqlstate);
}

/* A connection the server has ended while kensa was idle (restarted, idle
 * too long, an admin's pg_terminate_backend) is made again before the next
 * transaction or statement: a workbench left open for hours goes on.
 * Reading what is waiting on the socket tells, without a round trip; nothing
 * already sent is ever sent again, so a write cut off midway is reported as
 * not saved. */
static void revive(ks_store *s)
{
	PGconn *pg = PG(s);
	if (pq->transactionStatus(pg) == PQTRANS_INTRANS || pq->transactionStatus(pg) == PQTRANS_INERROR)
		return;
	if (pq->status(pg) == CONNECTION_OK && pq->consumeInput(pg) && pq->status(pg) == CONNECTION_OK)
		return;
	pq->reset(pg);
}

/* Runs sql without parameters; true when the server did it. */
static bool run(ks_store *s, const char *sql, const char *expect_status)
{
	PGresult *res = pq->exec(PG(s), sql);
	ExecStatusType st = pq->resultStatus(res);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	/* a COMMIT of a transaction that failed says ROLLBACK */
	if (ok && expect_status && strcmp(pq->cmdStatus(res), expect_status) != 0) {
		ok = false;
		g_free(CONN(s)->error);
		CONN(s)->error = g_strdup("the transaction was rolled back");
		CONN(s)->sqlstate[0] = '\0';
	} else if (!ok) {
		remember(s, res);
	}
	pq->clear(res);
	return ok;
}

/* ---- statements ---- */

typedef struct {
	ks_stmt base;
	char *sql; /* with $N placeholders */
	int nparams;
	char **values;
	int *lengths, *formats;
	Oid *types;
	PGresult *res;
	int row; /* the current row, -1 before the first */
	bool ran;
	int64_t changes;
} pg_stmt;

#define PST(x) ((pg_stmt *)(x))

/* The shared dialect's placeholders in PostgreSQL's: ?N is $N, each bare ?
 * the next number.  Quoted strings and identifiers are copied as they are. */
static char *placeholders(const char *sql, int *nparams)
{
	GString *out = g_string_new(NULL);
	int next = 0, max = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char *end = strchr(p + 1, *p);
			if (!end)
				end = p + strlen(p) - 1;
			g_string_append_len(out, p, end - p + 1);
			p = end;
			continue;
		}
		if (*p != '?') {
			g_string_append_c(out, *p);
			continue;
		}
		int n;
		if (g_ascii_isdigit(p[1])) {
			char *end;
			n = (int)strtol(p + 1, &end, 10);
			p = end - 1;
		} else {
			n = ++next;
		}
		max = MAX(max, n);
		g_string_append_printf(out, "$%d", n);
	}
	*nparams = max;
	return g_string_free(out, FALSE);
}

static void set_param(ks_stmt *st, int col, char *value, int len, int format, Oid type)
{
	pg_stmt *p = PST(st);
	if (col < 1 || col > p->nparams) {
		g_free(value);
		return;
	}
	g_free(p->values[col - 1]);
	p->values[col - 1] = value;
	p->lengths[col - 1] = len;
	p->formats[col - 1] = format;
	p->types[col - 1] = type;
}

static void pg_bind_int64(ks_stmt *st, int col, int64_t v)
{
	set_param(st, col, g_strdup_printf("%" PRId64, v), 0, 0, OID_INT8);
}

static void pg_bind_text(ks_stmt *st, int col, const char *text)
{
	set_param(st, col, g_strdup(text), 0, 0, text ? OID_TEXT : 0);
}

static void pg_bind_blob(ks_stmt *st, int col, const void *data, size_t len)
{
	if (len > INT_MAX)
		len = 0;
	set_param(st, col, len ? g_memdup2(data, len) : g_strdup(""), (int)len, 1, OID_BYTEA);
}

static ks_step pg_step(ks_stmt *st)
{
	pg_stmt *p = PST(st);
	if (p->ran) {
		if (!p->res)
			return KS_STEP_DONE;
		return ++p->row < pq->ntuples(p->res) ? KS_STEP_ROW : KS_STEP_DONE;
	}
	p->ran = true;
	revive(st->store);
	p->res = pq->execParams(PG(st->store), p->sql, p->nparams, p->types,
	                      (const char *const *)p->values, p->lengths, p->formats, 0);
	ExecStatusType status = pq->resultStatus(p->res);
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		remember(st->store, p->res);
		g_clear_pointer(&p->res, pq->clear);
		return KS_STEP_ERROR;
	}
	const char *tuples = pq->cmdTuples(p->res);
	p->changes = tuples && *tuples ? g_ascii_strtoll(tuples, NULL, 10) : 0;
	p->row = 0;
	return pq->ntuples(p->res) > 0 ? KS_STEP_ROW : KS_STEP_DONE;
}

static void pg_reset(ks_stmt *st)
{
	pg_stmt *p = PST(st);
	g_clear_pointer(&p->res, pq->clear);
	p->ran = false;
	p->row = -1;
}

static bool pg_is_null(ks_stmt *st, int col)
{
	pg_stmt *p = PST(st);
	return !p->res || p->row < 0 || p->row >= pq->ntuples(p->res) || col >= pq->nfields(p->res) ||
	       pq->getisnull(p->res, p->row, col);
}

static const char *pg_text(ks_stmt *st, int col)
{
	return pg_is_null(st, col) ? NULL : pq->getvalue(PST(st)->res, PST(st)->row, col);
}

static int64_t col_int64(ks_stmt *st, int col)
{
	const char *t = pg_text(st, col);
	return t ? g_ascii_strtoll(t, NULL, 10) : 0;
}

static GBytes *pg_blob(ks_stmt *st, int col)
{
	const char *t = pg_text(st, col);
	size_t len = 0;
	unsigned char *raw = t ? pq->unescapeBytea((const unsigned char *)t, &len) : NULL;
	GBytes *b = g_bytes_new(raw, raw ? len : 0);
	pq->freemem(raw);
	return b;
}

static int64_t pg_changes(ks_stmt *st)
{
	return PST(st)->changes;
}

static void pg_free(ks_stmt *st)
{
	pg_stmt *p = PST(st);
	pq->clear(p->res);
	for (int i = 0; i < p->nparams; i++)
		g_free(p->values[i]);
	g_free(p->values);
	g_free(p->lengths);
	g_free(p->formats);
	g_free(p->types);
	g_free(p->sql);
	g_free(p);
}

static const struct ks_stmt_ops pg_ops = {
	pg_bind_int64, pg_bind_text, pg_bind_blob, pg_step, pg_reset,  pg_is_null,
	col_int64,     pg_text,      pg_blob,      pg_changes, pg_free,
};

static ks_stmt *pg_prepare(ks_store *s, const char *sql)
{
	pg_stmt *p = g_new0(pg_stmt, 1);
	p->base.ops = &pg_ops;
	p->base.store = s;
	p->sql = placeholders(sql, &p->nparams);
	p->values = g_new0(char *, p->nparams + 1);
	p->lengths = g_new0(int, p->nparams + 1);
	p->formats = g_new0(int, p->nparams + 1);
	p->types = g_new0(Oid, p->nparams + 1);
	p->row = -1;
	return &p->base;
}

/* ---- the store ---- */

static bool pg_exec(ks_store *s, const char *sql)
{
	return run(s, sql, NULL);
}

/* The first column of sql's one row as a number; -1 when it fails or is NULL. */
static int query_int(ks_store *s, const char *sql)
{
	int v = -1;
	PGresult *res = pq->exec(PG(s), sql);
	if (pq->resultStatus(res) == PGRES_TUPLES_OK && pq->ntuples(res) == 1) {
		if (!pq->getisnull(res, 0, 0))
			v = atoi(pq->getvalue(res, 0, 0));
	} else {
		remember(s, res);
	}
	pq->clear(res);
	return v;
}

static int pg_version(ks_store *s)
{
	/* a database without kensa_schema has no kensa tables yet: version 0 */
	int has = query_int(s, "SELECT (to_regclass('kensa_schema') IS NOT NULL)::int");
	if (has <= 0)
		return has;
	return query_int(s, "SELECT max(version) FROM kensa_schema");
}

static bool pg_set_version(ks_store *s, int version)
{
	g_autofree char *sql = g_strdup_printf(
		"CREATE TABLE IF NOT EXISTS kensa_schema (version INTEGER NOT NULL);"
		"DELETE FROM kensa_schema; INSERT INTO kensa_schema VALUES (%d)",
		version);
	return run(s, sql, NULL);
}

static bool pg_begin(ks_store *s, bool write)
{
	/* one writer at a time, as with SQLite: each statement of a write sees
	 * every commit before it, and two analysts' changes queue */
	revive(s);
	return run(s, write ? "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")"
	                    : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	           NULL);
}

static bool pg_commit(ks_store *s)
{
	return run(s, "COMMIT", "COMMIT");
}

static void pg_rollback(ks_store *s)
{
	PGTransactionStatusType t = pq->transactionStatus(PG(s));
	if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR) {
		PGresult *res = pq->exec(PG(s), "ROLLBACK");
		pq->clear(res);
	}
}

static const char *pg_error_message(ks_store *s)
{
	return CONN(s)->error ? CONN(s)->error : "no error";
}

static ks_sql_error pg_error_kind(ks_store *s)
{
	const char *state = CONN(s)->sqlstate;
	if (strcmp(state, "23503") == 0) /* foreign_key_violation */
		return KS_SQL_FOREIGN_KEY;
	if (strcmp(state, "25006") == 0) /* read_only_sql_transaction */
		return KS_SQL_READ_ONLY;
	return KS_SQL_FAILED;
}

/* Each word (a LIKE pattern, case folded by ILIKE) must occur in a case's
 * title, a message's subject, sender or body, or a note's author or text:
 * the rows SQLite's search table holds. */
static GPtrArray *pg_search(ks_store *s, GPtrArray *words, int limit)
{
	static const char *const docs[] = {"title", MESSAGE_DOC, NOTE_DOC};
	static const char *const heads[] = {
		"SELECT id, 'case', id, title, '', '' FROM cases",
		"SELECT case_id, 'message', id, subject, sender, body FROM messages",
		"SELECT case_id, 'note', id, '', author, text FROM notes",
	};
	g_autoptr(GString) sql = g_string_new(NULL);
	for (size_t t = 0; t < G_N_ELEMENTS(heads); t++) {
		g_string_append_printf(sql, "%s%s", t ? " UNION ALL " : "", heads[t]);
		for (guint i = 0; i < words->len; i++)
			g_string_append_printf(sql, " %s %s ILIKE ?%u", i ? "AND" : "WHERE", docs[t],
			                       i + 1);
	}
	g_string_append_printf(sql, " ORDER BY 1 DESC, 2, 3 LIMIT %d", limit);
	g_autoptr(ks_stmt) st = pg_prepare(s, sql->str);
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		GString *pat = g_string_new("%");
		for (const char *c = w; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				g_string_append_c(pat, '\\');
			g_string_append_c(pat, *c);
		}
		g_string_append_c(pat, '%');
		pg_bind_text(st, (int)i + 1, pat->str);
		g_string_free(pat, TRUE);
	}
	return ks_store_search_rows(st);
}

static bool pg_check(ks_store *s, GError **error)
{
	/* the server keeps its own pages and foreign keys whole; what kensa
	 * can check is that the schema is there and answers */
	if (pg_version(s) != KS_STORE_VERSION)
		return ks_store_fail(s, error, "schema version");
	return true;
}

static void pg_close(ks_store *s)
{
	pg_conn *c = CONN(s);
	pq->finish(c->pg);
	g_free(c->error);
	g_free(c);
	s->conn = NULL;
}

static const ks_engine pg_engine = {
	.name = "postgresql",
	.search_schema = search_schema,
	.dialect = pg_dialect,
	.exec = pg_exec,
	.version = pg_version,
	.set_version = pg_set_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.error_message = pg_error_message,
	.error_kind = pg_error_kind,
	.search = pg_search,
	.check = pg_check,
	.close = pg_close,
};

/* ---- opening ---- */

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* What errors call the server: the URL's user, host, port and database,
 * never its password. */
static char *display_name(const char *url)
{
	PQconninfoOption *opts = pq->conninfoParse(url, NULL);
	if (!opts)
		return g_strdup("postgresql (an unreadable URL)");
	const char *user = NULL, *host = NULL, *port = NULL, *db = NULL;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (strcmp(o->keyword, "user") == 0)
			user = o->val;
		else if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			db = o->val;
	}
	bool socket = host && host[0] == '/';
	GString *n = g_string_new("postgresql://");
	if (user)
		g_string_append_printf(n, "%s@", user);
	if (host && !socket)
		g_string_append(n, host);
	if (port)
		g_string_append_printf(n, ":%s", port);
	g_string_append_printf(n, "/%s", db ? db : "");
	if (socket)
		g_string_append_printf(n, "?host=%s", host);
	pq->conninfoFree(opts);
	return g_string_free(n, FALSE);
}

ks_store *ks_store_open_pg(const char *url, int target, bool create, GError **error)
{
	static GOnce once = G_ONCE_INIT;
	if (!g_once(&once, pq_load, NULL)) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB,
		            _("%s: the PostgreSQL client library (libpq.so.5) cannot be opened"),
		            "postgresql");
		return NULL;
	}
	ks_store *s = g_new0(ks_store, 1);
	pg_conn *c = g_new0(pg_conn, 1);
	s->engine = &pg_engine;
	s->conn = c;
	s->path = display_name(url);
	/* the URL's own settings win over these defaults (expand_dbname: the
	 * keywords after dbname win over it, those before lose) but the
	 * encoding: kensa speaks UTF-8 */
	const char *const keys[] = {"connect_timeout", "application_name", "options", "dbname",
	                            "client_encoding", NULL};
	const char *const values[] = {"10", "kensa", "-c client_min_messages=warning", url, "UTF8",
	                              NULL};
	c->pg = pq->connectdbParams(keys, values, 1);
	if (!c->pg || pq->status(c->pg) != CONNECTION_OK) {
		g_autofree char *why = one_line(c->pg ? pq->errorMessage(c->pg) : "out of memory");
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: %s"), s->path, why);
		ks_store_close(s);
		return NULL;
	}
	pq->setNoticeProcessor(c->pg, quiet, NULL);
	/* the common case in one round trip: the schema is there and current */
	int v = query_int(s, "SELECT max(version) FROM kensa_schema");
	if (v < 0 && strcmp(c->sqlstate, "42P01") == 0) /* undefined_table: a new database */
		v = 0;
	if (!create && v == 0) {
		ks_store_close(s);
		return NULL;
	}
	if (v != target && !ks_store_migrate(s, target, error)) {
		ks_store_close(s);
		return NULL;
	}
	return s;
}
