/* The case store's engine-independent half (store.h, store_private.h):
 * choosing the engine by the location's form, the schema migrations' loop,
 * transactions and statements passed to the engine, and errors put into
 * one line.  The engines live in engine_sqlite.c and engine_pg.c. */
#include "core/i18n.h"
#include "store_private.h"

#include <string.h>

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

bool ks_store_is_url(const char *location)
{
	return location && (g_str_has_prefix(location, "postgresql://") ||
	                    g_str_has_prefix(location, "postgres://"));
}

static ks_store *open_store(const char *location, int target, bool create, GError **error)
{
	if (ks_store_is_url(location))
		return ks_store_open_pg(location, target, create, error);
	return ks_store_open_sqlite(location, target, create, error);
}

ks_store *ks_store_open(const char *location, GError **error)
{
	return open_store(location, KS_STORE_VERSION, true, error);
}

ks_store *ks_store_open_existing(const char *location, GError **error)
{
	return open_store(location, KS_STORE_VERSION, false, error);
}

ks_store *ks_store_open_at(const char *location, int version, GError **error)
{
	return open_store(location, CLAMP(version, 0, KS_STORE_VERSION), true, error);
}

const char *ks_store_engine(ks_store *s)
{
	return s->engine->name;
}

const char *ks_store_name(ks_store *s)
{
	return s->path;
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
	if (s->conn)
		s->engine->close(s);
	g_free(s->path);
	g_free(s->author);
	g_free(s);
}

int ks_store_version(ks_store *s)
{
	return s->engine->version(s);
}

bool ks_store_check(ks_store *s, GError **error)
{
	return s->engine->check(s, error);
}

static bool read_only_error(ks_store *s, GError **error)
{
	g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: read-only database"), s->path);
	return false;
}

bool ks_store_fail(ks_store *s, GError **error, const char *what)
{
	if (s && s->conn && s->engine->error_kind(s) == KS_SQL_READ_ONLY)
		return read_only_error(s, error);
	g_set_error(error, KS_ERROR, KS_ERROR_DB, _("%s: %s"), what,
	            s && s->conn ? s->engine->error_message(s) : "no database");
	return false;
}

/* Applies the migrations from the store's version up to target, each in its
 * own write transaction, re-reading the version under the write lock so two
 * processes opening a new store at once migrate it once.  A store is never
 * migrated backwards; one newer than this build is refused rather than
 * guessed at. */
bool ks_store_migrate(ks_store *s, int target, GError **error)
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
		const char *sql = ks_schema_migrations[v] ? ks_schema_migrations[v]
		                                          : s->engine->search_schema;
		g_autofree char *said = s->engine->dialect ? s->engine->dialect(sql) : NULL;
		if (!s->engine->exec(s, said ? said : sql) || !s->engine->set_version(s, v + 1)) {
			g_autofree char *what = g_strdup_printf("migrating to version %d", v + 1);
			ks_store_fail(s, error, what);
			ks_store_rollback(s);
			return false;
		}
		if (!ks_store_commit(s, error))
			return false;
	}
}

bool ks_store_begin(ks_store *s, GError **error)
{
	if (s->readonly)
		return read_only_error(s, error);
	if (!s->engine->begin(s, true))
		return ks_store_fail(s, error, "begin");
	return true;
}

bool ks_store_begin_read(ks_store *s, GError **error)
{
	if (!s->engine->begin(s, false))
		return ks_store_fail(s, error, "begin");
	return true;
}

bool ks_store_commit(ks_store *s, GError **error)
{
	if (!s->engine->commit(s)) {
		ks_store_fail(s, error, "commit");
		ks_store_rollback(s);
		return false;
	}
	return true;
}

void ks_store_rollback(ks_store *s)
{
	s->engine->rollback(s);
}

ks_stmt *ks_store_prepare(ks_store *s, const char *sql, GError **error)
{
	ks_stmt *st = s->engine->prepare(s, sql);
	if (!st)
		ks_store_fail(s, error, "prepare");
	return st;
}

void ks_stmt_free(ks_stmt *st)
{
	if (st)
		st->ops->free(st);
}

void ks_stmt_bind_int64(ks_stmt *st, int col, int64_t v)
{
	st->ops->bind_int64(st, col, v);
}

void ks_stmt_bind_text(ks_stmt *st, int col, const char *text)
{
	st->ops->bind_text(st, col, text);
}

void ks_stmt_bind_blob(ks_stmt *st, int col, const void *data, size_t len)
{
	st->ops->bind_blob(st, col, data, len);
}

ks_step ks_stmt_step(ks_stmt *st)
{
	return st->ops->step(st);
}

void ks_stmt_reset(ks_stmt *st)
{
	st->ops->reset(st);
}

int64_t ks_stmt_int64(ks_stmt *st, int col)
{
	return st->ops->column_int64(st, col);
}

int ks_stmt_int(ks_stmt *st, int col)
{
	return (int)CLAMP(st->ops->column_int64(st, col), INT_MIN, INT_MAX);
}

const char *ks_stmt_text(ks_stmt *st, int col)
{
	return st->ops->column_text(st, col);
}

char *ks_stmt_dup(ks_stmt *st, int col)
{
	if (st->ops->is_null(st, col))
		return NULL;
	const char *t = st->ops->column_text(st, col);
	return t ? g_strdup(t) : NULL;
}

GBytes *ks_stmt_blob(ks_stmt *st, int col)
{
	return st->ops->column_blob(st, col);
}

int64_t ks_stmt_changes(ks_stmt *st)
{
	return st->ops->changes(st);
}

bool ks_stmt_done(ks_stmt *st, const char *what, GError **error)
{
	if (ks_stmt_step(st) == KS_STEP_ERROR)
		return ks_store_fail(st->store, error, what);
	return true;
}

bool ks_stmt_insert(ks_stmt *st, int64_t *id, const char *what, GError **error)
{
	if (ks_stmt_step(st) != KS_STEP_ROW)
		return ks_store_fail(st->store, error, what);
	*id = ks_stmt_int64(st, 0);
	/* SQLite ends the statement on the next step; PostgreSQL has ended it */
	if (ks_stmt_step(st) == KS_STEP_ERROR)
		return ks_store_fail(st->store, error, what);
	return true;
}

GPtrArray *ks_stmt_rows(ks_stmt *st, void *(*row)(ks_stmt *st), GDestroyNotify row_free,
                        const char *what, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(row_free);
	ks_step rc;
	while ((rc = ks_stmt_step(st)) == KS_STEP_ROW)
		g_ptr_array_add(out, row(st));
	if (rc != KS_STEP_DONE) {
		ks_store_fail(st->store, error, what);
		return NULL;
	}
	return g_steal_pointer(&out);
}

void ks_search_row_free(ks_search_row *r)
{
	if (!r)
		return;
	g_free(r->kind);
	g_free(r->subject);
	g_free(r->sender);
	g_free(r->body);
	g_free(r);
}

static void *search_row(ks_stmt *st)
{
	ks_search_row *r = g_new0(ks_search_row, 1);
	r->case_id = ks_stmt_int64(st, 0);
	r->kind = ks_stmt_dup(st, 1);
	r->ref = ks_stmt_int64(st, 2);
	r->subject = ks_stmt_dup(st, 3);
	r->sender = ks_stmt_dup(st, 4);
	r->body = ks_stmt_dup(st, 5);
	return r;
}

GPtrArray *ks_store_search_rows(ks_stmt *st)
{
	return ks_stmt_rows(st, search_row, (GDestroyNotify)ks_search_row_free, "search", NULL);
}
