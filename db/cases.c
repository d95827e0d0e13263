/* Cases, their messages, notes, IOCs and tags, and search (cases.h).
 * A message is stored with its raw bytes and its report JSON; the findings,
 * the attachment tree and the IOCs are copied into their own tables so
 * listings, seen-before checks and exports need no JSON parsing. */
#include "cases.h"

#include "core/i18n.h"
#include "output/writers.h"
#include "store_private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const ks_case_verdicts[] = {
	N_("undecided"), N_("benign"), N_("spam"), N_("suspicious"), N_("phishing"), N_("malware"),
	N_("bec"), N_("malicious"), NULL,
};

/* A case's status, as stored; the words are messages too (i18n.h) */
const char *const ks_case_statuses[] = {N_("open"), N_("closed"), NULL};

bool ks_case_verdict_valid(const char *verdict)
{
	for (const char *const *v = ks_case_verdicts; verdict && *v; v++)
		if (strcmp(*v, verdict) == 0)
			return true;
	return false;
}

void ks_case_free(ks_case *c)
{
	if (!c)
		return;
	g_free(c->title);
	g_free(c->status);
	g_free(c->verdict);
	g_free(c->tlp);
	g_free(c->created);
	g_free(c->updated);
	g_free(c);
}

void ks_case_message_free(ks_case_message *m)
{
	if (!m)
		return;
	g_free(m->path);
	g_free(m->subject);
	g_free(m->sender);
	g_free(m->date);
	g_free(m->severity);
	g_free(m->added);
	g_free(m->report_json);
	g_free(m);
}

void ks_case_finding_free(ks_case_finding *f)
{
	if (!f)
		return;
	g_free(f->rule);
	g_free(f->severity);
	g_free(f->title);
	g_free(f->evidence);
	g_free(f->location);
	g_free(f);
}

void ks_case_note_free(ks_case_note *n)
{
	if (!n)
		return;
	g_free(n->created);
	g_free(n->author);
	g_free(n->text);
	g_free(n->about);
	g_free(n);
}

void ks_case_ioc_free(ks_case_ioc *i)
{
	if (!i)
		return;
	g_free(i->kind);
	g_free(i->value);
	g_free(i->role);
	g_free(i->judged_by);
	g_free(i);
}

void ks_search_hit_free(ks_search_hit *h)
{
	if (!h)
		return;
	g_free(h->kind);
	g_free(h->title);
	g_free(h->excerpt);
	g_free(h);
}

bool ks_case_create(ks_store *s, const char *title, int64_t *id, GError **error)
{
	g_autofree char *now = ks_store_now();
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "INSERT INTO cases (title, created, updated) VALUES (?, ?, ?) RETURNING id", error);
	if (!st)
		goto fail;
	ks_stmt_bind_text(st, 1, title);
	ks_stmt_bind_text(st, 2, now);
	ks_stmt_bind_text(st, 3, now);
	if (!ks_stmt_insert(st, id, "new case", error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

#define CASE_COLUMNS                                                                       \
	"id, title, status, verdict, bec_type, tlp, created, updated,"                     \
	" (SELECT count(*) FROM messages m WHERE m.case_id = cases.id),"                   \
	" (SELECT count(*) FROM notes n WHERE n.case_id = cases.id)"

static void *case_row(ks_stmt *st)
{
	ks_case *c = g_new0(ks_case, 1);
	c->id = ks_stmt_int64(st, 0);
	c->title = ks_stmt_dup(st, 1);
	c->status = ks_stmt_dup(st, 2);
	c->verdict = ks_stmt_dup(st, 3);
	c->bec_type = ks_stmt_int(st, 4);
	c->tlp = ks_stmt_dup(st, 5);
	c->created = ks_stmt_dup(st, 6);
	c->updated = ks_stmt_dup(st, 7);
	c->messages = ks_stmt_int(st, 8);
	c->notes = ks_stmt_int(st, 9);
	return c;
}

GPtrArray *ks_case_list(ks_store *s, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT " CASE_COLUMNS " FROM cases ORDER BY updated DESC, id DESC", error);
	if (!st)
		return NULL;
	return ks_stmt_rows(st, case_row, (GDestroyNotify)ks_case_free, "list cases", error);
}

ks_case *ks_case_get(ks_store *s, int64_t id, GError **error)
{
	g_autoptr(ks_stmt) st =
		ks_store_prepare(s, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?", error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, id);
	ks_step rc = ks_stmt_step(st);
	if (rc == KS_STEP_ROW)
		return case_row(st);
	if (rc != KS_STEP_DONE)
		ks_store_fail(s, error, "read case");
	return NULL;
}

/* UPDATE cases SET column = value, updated = now WHERE id: one transaction. */
/* Sets one of the case's fields (column, in the table's own words) and
 * keeps the change in its history: when, who (the store's author), the
 * value before and after.  Two analysts changing one field: the last write
 * stands, and the history shows both (issue 16). */
static bool set_case_field(ks_store *s, int64_t id, const char *column, const char *value,
                           GError **error)
{
	g_autofree char *now = ks_store_now();
	g_autofree char *get_sql = g_strdup_printf("SELECT %s FROM cases WHERE id = ?", column);
	g_autofree char *set_sql = g_strdup_printf(
		"UPDATE cases SET %s = ?, updated = ? WHERE id = ?", column);
	g_autofree char *old = NULL;
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) get = ks_store_prepare(s, get_sql, error);
	g_autoptr(ks_stmt) set = get ? ks_store_prepare(s, set_sql, error) : NULL;
	g_autoptr(ks_stmt) log = set ? ks_store_prepare(
		s,
		"INSERT INTO history (case_id, at, author, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
		error) : NULL;
	if (!log)
		goto fail;
	ks_stmt_bind_int64(get, 1, id);
	if (ks_stmt_step(get) != KS_STEP_ROW) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("no case %" PRId64), id);
		goto fail;
	}
	old = ks_stmt_dup(get, 0);
	if (strcmp(column, "bec_type") == 0)
		ks_stmt_bind_int64(set, 1, atoi(value));
	else
		ks_stmt_bind_text(set, 1, value);
	ks_stmt_bind_text(set, 2, now);
	ks_stmt_bind_int64(set, 3, id);
	if (!ks_stmt_done(set, "update case", error))
		goto fail;
	if (g_strcmp0(old, value) != 0) {
		ks_stmt_bind_int64(log, 1, id);
		ks_stmt_bind_text(log, 2, now);
		ks_stmt_bind_text(log, 3, s->author ? s->author : "");
		ks_stmt_bind_text(log, 4, column);
		ks_stmt_bind_text(log, 5, old);
		ks_stmt_bind_text(log, 6, value);
		if (!ks_stmt_done(log, "record the change", error))
			goto fail;
	}
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

/* Inside a transaction: the case changed now (its updated time). */
static bool touch_case(ks_store *s, int64_t case_id, GError **error)
{
	g_autofree char *now = ks_store_now();
	g_autoptr(ks_stmt) st =
		ks_store_prepare(s, "UPDATE cases SET updated = ? WHERE id = ?", error);
	if (!st)
		return false;
	ks_stmt_bind_text(st, 1, now);
	ks_stmt_bind_int64(st, 2, case_id);
	return ks_stmt_done(st, "update case", error);
}

bool ks_case_set_verdict(ks_store *s, int64_t id, const char *verdict, GError **error)
{
	if (!ks_case_verdict_valid(verdict)) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("unknown verdict %s"), verdict);
		return false;
	}
	return set_case_field(s, id, "verdict", verdict, error);
}

bool ks_case_set_bec_type(ks_store *s, int64_t id, int bec_type, GError **error)
{
	if (bec_type < 0 || bec_type > 5) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("BEC type %d is not 0..5"), bec_type);
		return false;
	}
	char value[2] = {(char)('0' + bec_type), 0};
	return set_case_field(s, id, "bec_type", value, error);
}

bool ks_case_set_status(ks_store *s, int64_t id, const char *status, GError **error)
{
	return set_case_field(s, id, "status", status, error);
}

bool ks_case_rename(ks_store *s, int64_t id, const char *title, GError **error)
{
	return set_case_field(s, id, "title", title, error);
}

/* One statement binding ids, in its own transaction; rows changed in *changes. */
static bool write_ids(ks_store *s, const char *sql, int64_t a, int64_t b, int *changes,
                      GError **error)
{
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(s, sql, error);
	if (!st)
		goto fail;
	ks_stmt_bind_int64(st, 1, a);
	if (b)
		ks_stmt_bind_int64(st, 2, b);
	if (!ks_stmt_done(st, "delete", error))
		goto fail;
	*changes = (int)ks_stmt_changes(st);
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

bool ks_case_delete(ks_store *s, int64_t id, GError **error)
{
	int n = 0;
	if (!write_ids(s, "DELETE FROM cases WHERE id = ?", id, 0, &n, error))
		return false;
	if (n != 1) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("no case %" PRId64), id);
		return false;
	}
	return true;
}

bool ks_case_remove_message(ks_store *s, int64_t case_id, int64_t message_id, bool *removed,
                            GError **error)
{
	g_autoptr(ks_stmt) del = NULL;
	*removed = false;
	if (!ks_store_begin(s, error))
		return false;
	del = ks_store_prepare(s, "DELETE FROM messages WHERE id = ? AND case_id = ?", error);
	if (!del)
		goto fail;
	ks_stmt_bind_int64(del, 1, message_id);
	ks_stmt_bind_int64(del, 2, case_id);
	if (!ks_stmt_done(del, "remove message", error))
		goto fail;
	*removed = ks_stmt_changes(del) > 0;
	/* the case changed: its updated time says so */
	if (*removed && !touch_case(s, case_id, error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	*removed = false;
	ks_store_rollback(s);
	return false;
}

bool ks_case_add_tag(ks_store *s, int64_t id, const char *tag, GError **error)
{
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st =
		ks_store_prepare(s, "INSERT INTO tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", error);
	if (!st)
		goto fail;
	ks_stmt_bind_int64(st, 1, id);
	ks_stmt_bind_text(st, 2, tag);
	if (!ks_stmt_done(st, "add tag", error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

static void *first_column(ks_stmt *st)
{
	return ks_stmt_dup(st, 0);
}

GPtrArray *ks_case_tags(ks_store *s, int64_t id, GError **error)
{
	g_autoptr(ks_stmt) st =
		ks_store_prepare(s, "SELECT tag FROM tags WHERE case_id = ? ORDER BY tag", error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, id);
	return ks_stmt_rows(st, first_column, g_free, "read tags", error);
}

int64_t ks_case_find_message(ks_store *s, int64_t case_id, const char *sha256, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT id FROM messages WHERE case_id = ? AND sha256 = ?", error);
	if (!st)
		return -1;
	ks_stmt_bind_int64(st, 1, case_id);
	ks_stmt_bind_text(st, 2, sha256);
	ks_step rc = ks_stmt_step(st);
	if (rc == KS_STEP_ROW)
		return ks_stmt_int64(st, 0);
	if (rc != KS_STEP_DONE) {
		ks_store_fail(s, error, "find message");
		return -1;
	}
	return 0;
}

int64_t ks_case_holding_message(ks_store *s, const char *sha256, int64_t *message_id,
                                GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s,
		"SELECT m.case_id, m.id FROM messages m JOIN cases c ON c.id = m.case_id"
		" WHERE m.sha256 = ? ORDER BY c.updated DESC, c.id DESC LIMIT 1",
		error);
	if (!st)
		return -1;
	ks_stmt_bind_text(st, 1, sha256);
	ks_step rc = ks_stmt_step(st);
	if (rc == KS_STEP_ROW) {
		*message_id = ks_stmt_int64(st, 1);
		return ks_stmt_int64(st, 0);
	}
	if (rc != KS_STEP_DONE) {
		ks_store_fail(s, error, "find message");
		return -1;
	}
	return 0;
}

GArray *ks_case_others_holding(ks_store *s, const char *sha256, int64_t case_id, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT DISTINCT case_id FROM messages WHERE sha256 = ? AND case_id != ? ORDER BY case_id",
		error);
	if (!st)
		return NULL;
	ks_stmt_bind_text(st, 1, sha256);
	ks_stmt_bind_int64(st, 2, case_id);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	ks_step rc;
	while ((rc = ks_stmt_step(st)) == KS_STEP_ROW) {
		gint64 id = ks_stmt_int64(st, 0);
		g_array_append_val(ids, id);
	}
	if (rc != KS_STEP_DONE) {
		g_array_unref(ids);
		ks_store_fail(s, error, "find message");
		return NULL;
	}
	return ids;
}

/* ---- adding a message ---- */

/* Steps an INSERT ... RETURNING id of a row that belongs to case_id: "no
 * case N" when there is no such case. */
static bool insert_in_case(ks_stmt *st, int64_t case_id, int64_t *id, const char *what,
                           GError **error)
{
	if (ks_stmt_step(st) == KS_STEP_ROW) {
		*id = ks_stmt_int64(st, 0);
		return ks_stmt_done(st, what, error);
	}
	if (st->store->engine->error_kind(st->store) == KS_SQL_FOREIGN_KEY)
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("no case %" PRId64), case_id);
	else
		ks_store_fail(st->store, error, what);
	return false;
}

typedef struct {
	ks_store *s;
	ks_stmt *att;
	ks_stmt *finding;
	ks_stmt *ioc;
	int64_t case_id, message_id;
	bool ok;
	GError **error;
} add_state;

static bool store_findings(add_state *a, const ks_report *r, const char *prefix);
static bool store_iocs(add_state *a, const ks_report *r);

static bool store_attachment(ks_attachment *at, void *user)
{
	add_state *a = user;
	ks_stmt *st = a->att;
	ks_stmt_reset(st);
	ks_stmt_bind_int64(st, 1, a->message_id);
	ks_stmt_bind_text(st, 2, at->path ? at->path : "");
	ks_stmt_bind_text(st, 3, at->filename);
	ks_stmt_bind_int64(st, 4, at->size);
	ks_stmt_bind_text(st, 5, at->sha256[0] ? at->sha256 : NULL);
	ks_stmt_bind_text(st, 6, at->detected_type);
	ks_stmt_bind_int64(st, 7, at->encrypted);
	if (!ks_stmt_done(st, "store attachment", a->error))
		return a->ok = false;
	/* a forwarded message's own attachments, findings and IOCs belong to
	 * the case as much as the outer message's */
	if (at->message) {
		g_autofree char *prefix = g_strdup_printf("part:%s", at->path ? at->path : "?");
		if (!store_findings(a, at->message, prefix) || !store_iocs(a, at->message))
			return a->ok = false;
		ks_report_walk_attachments(at->message, store_attachment, a);
	}
	return a->ok;
}

static bool store_findings(add_state *a, const ks_report *r, const char *prefix)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		g_autofree char *loc = prefix ? g_strdup_printf("%s > %s", prefix,
		                                                f->location ? f->location : "")
		                              : g_strdup(f->location);
		ks_stmt *st = a->finding;
		ks_stmt_reset(st);
		ks_stmt_bind_int64(st, 1, a->message_id);
		ks_stmt_bind_text(st, 2, ks_rule_id(f->rule));
		ks_stmt_bind_text(st, 3, ks_severity_name(f->severity));
		ks_stmt_bind_text(st, 4, f->title);
		ks_stmt_bind_text(st, 5, f->evidence);
		ks_stmt_bind_text(st, 6, loc);
		if (!ks_stmt_done(st, "store finding", a->error))
			return false;
	}
	return true;
}

static bool store_iocs(add_state *a, const ks_report *r)
{
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *ioc = g_ptr_array_index(r->iocs, i);
		ks_stmt *st = a->ioc;
		ks_stmt_reset(st);
		ks_stmt_bind_int64(st, 1, a->case_id);
		ks_stmt_bind_int64(st, 2, a->message_id);
		ks_stmt_bind_text(st, 3, ks_ioc_kind_name(ioc->kind));
		ks_stmt_bind_text(st, 4, ioc->value);
		ks_stmt_bind_text(st, 5, ks_ioc_role_name(ioc->role));
		if (!ks_stmt_done(st, "store ioc", a->error))
			return false;
	}
	return true;
}

static char *sender_text(const ks_report *r)
{
	if (!r->from || !r->from->len)
		return NULL;
	const ks_address *a = g_ptr_array_index(r->from, 0);
	if (a->name && a->address)
		return g_strdup_printf("%s <%s>", a->name, a->address);
	return g_strdup(a->address ? a->address : a->name);
}

bool ks_case_add_message(ks_store *s, int64_t case_id, GBytes *raw, const ks_report *r,
                         bool *duplicate, int64_t *message_id, GError **error)
{
	*duplicate = false;
	g_autofree char *now = ks_store_now();
	g_autofree char *json = ks_report_to_json(r, false);
	g_autofree char *sender = sender_text(r);
	g_autofree char *date = ks_time_format(r->date);
	ks_severity max = KS_SEV_INFO;
	bool any = ks_report_max_severity(r, &max);
	gsize len = 0;
	const void *data = g_bytes_get_data(raw, &len);

	if (!ks_store_begin(s, error))
		return false;
	add_state a = {.s = s, .case_id = case_id, .ok = true, .error = error};
	g_autoptr(ks_stmt) msg = NULL;
	g_autoptr(ks_stmt) upd = NULL;
	int64_t existing = ks_case_find_message(s, case_id, r->sha256, error);
	if (existing < 0)
		goto fail;
	if (existing > 0) {
		*duplicate = true;
		*message_id = existing;
		ks_store_rollback(s);
		return true;
	}
	msg = ks_store_prepare(s,
	                       "INSERT INTO messages (case_id, sha256, raw, report, path, subject,"
	                       " sender, date, body, severity, score, bec_type, added)"
	                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                       error);
	if (!msg)
		goto fail;
	ks_stmt_bind_int64(msg, 1, case_id);
	ks_stmt_bind_text(msg, 2, r->sha256);
	ks_stmt_bind_blob(msg, 3, data, len);
	ks_stmt_bind_text(msg, 4, json);
	ks_stmt_bind_text(msg, 5, r->source_path);
	ks_stmt_bind_text(msg, 6, r->subject);
	ks_stmt_bind_text(msg, 7, sender);
	ks_stmt_bind_text(msg, 8, date);
	ks_stmt_bind_text(msg, 9, r->body_text);
	ks_stmt_bind_text(msg, 10, any ? ks_severity_name(max) : NULL);
	ks_stmt_bind_int64(msg, 11, r->assessment.score);
	ks_stmt_bind_int64(msg, 12, r->assessment.bec_type);
	ks_stmt_bind_text(msg, 13, now);
	if (!insert_in_case(msg, case_id, message_id, "store message", error))
		goto fail;
	a.message_id = *message_id;

	a.att = ks_store_prepare(s,
	                         "INSERT INTO attachments (message_id, path, filename, size, sha256,"
	                         " detected_type, encrypted) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                         error);
	a.finding = ks_store_prepare(s,
	                             "INSERT INTO findings (message_id, rule, severity, title,"
	                             " evidence, location) VALUES (?, ?, ?, ?, ?, ?)",
	                             error);
	/* the same value in two messages: the victim's in one is the victim's
	 * (a hijacked partner account is not blocked), else internal, benign,
	 * and the attacker's only when it is that in every message */
	a.ioc = ks_store_prepare(
		s,
		"INSERT INTO iocs (case_id, message_id, kind, value, role) VALUES (?, ?, ?, ?, ?)"
		" ON CONFLICT (case_id, kind, value) DO UPDATE SET role ="
		" CASE WHEN iocs.judged_by IS NOT NULL THEN iocs.role" /* the analyst's word stands */
		"      WHEN 'victim' IN (iocs.role, excluded.role) THEN 'victim'"
		"      WHEN 'internal' IN (iocs.role, excluded.role) THEN 'internal'"
		"      WHEN 'benign' IN (iocs.role, excluded.role) THEN 'benign'"
		"      ELSE 'attacker' END",
		error);
	if (!a.att || !a.finding || !a.ioc)
		goto fail;
	if (!store_findings(&a, r, NULL) || !store_iocs(&a, r))
		goto fail;
	ks_report_walk_attachments((ks_report *)r, store_attachment, &a);
	if (!a.ok)
		goto fail;
	upd = ks_store_prepare(s,
	                       "UPDATE cases SET updated = ?1,"
	                       " bec_type = CASE WHEN bec_type < ?2 THEN ?2 ELSE bec_type END"
	                       " WHERE id = ?3",
	                       error);
	if (!upd)
		goto fail;
	ks_stmt_bind_text(upd, 1, now);
	ks_stmt_bind_int64(upd, 2, CLAMP(r->assessment.bec_type, 0, 5));
	ks_stmt_bind_int64(upd, 3, case_id);
	if (!ks_stmt_done(upd, "update case", error))
		goto fail;
	ks_stmt_free(a.att);
	ks_stmt_free(a.finding);
	ks_stmt_free(a.ioc);
	return ks_store_commit(s, error);
fail:
	ks_stmt_free(a.att);
	ks_stmt_free(a.finding);
	ks_stmt_free(a.ioc);
	ks_store_rollback(s);
	return false;
}

bool ks_case_add_note(ks_store *s, int64_t case_id, const char *author, const char *text,
                      const char *about, int64_t *id, GError **error)
{
	g_autofree char *now = ks_store_now();
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "INSERT INTO notes (case_id, created, author, text, about) VALUES (?, ?, ?, ?, ?)"
		" RETURNING id",
		error);
	if (!st)
		goto fail;
	ks_stmt_bind_int64(st, 1, case_id);
	ks_stmt_bind_text(st, 2, now);
	ks_stmt_bind_text(st, 3, author);
	ks_stmt_bind_text(st, 4, text);
	ks_stmt_bind_text(st, 5, about);
	if (!insert_in_case(st, case_id, id, "store note", error))
		goto fail;
	if (!touch_case(s, case_id, error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

static void *message_row(ks_stmt *st)
{
	ks_case_message *m = g_new0(ks_case_message, 1);
	m->id = ks_stmt_int64(st, 0);
	m->case_id = ks_stmt_int64(st, 1);
	const char *sha = ks_stmt_text(st, 2);
	g_strlcpy(m->sha256, sha ? sha : "", sizeof m->sha256);
	m->path = ks_stmt_dup(st, 3);
	m->subject = ks_stmt_dup(st, 4);
	m->sender = ks_stmt_dup(st, 5);
	m->date = ks_stmt_dup(st, 6);
	m->severity = ks_stmt_dup(st, 7);
	m->score = ks_stmt_int(st, 8);
	m->bec_type = ks_stmt_int(st, 9);
	m->added = ks_stmt_dup(st, 10);
	m->report_json = ks_stmt_dup(st, 11);
	return m;
}

GPtrArray *ks_case_messages(ks_store *s, int64_t case_id, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s,
		"SELECT id, case_id, sha256, path, subject, sender, date, severity, score, bec_type,"
		" added, report FROM messages WHERE case_id = ? ORDER BY coalesce(date, added), id",
		error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, case_id);
	return ks_stmt_rows(st, message_row, (GDestroyNotify)ks_case_message_free, "read messages",
	                    error);
}

static void *finding_row(ks_stmt *st)
{
	ks_case_finding *f = g_new0(ks_case_finding, 1);
	f->message_id = ks_stmt_int64(st, 0);
	f->rule = ks_stmt_dup(st, 1);
	f->severity = ks_stmt_dup(st, 2);
	f->title = ks_stmt_dup(st, 3);
	f->evidence = ks_stmt_dup(st, 4);
	f->location = ks_stmt_dup(st, 5);
	return f;
}

GPtrArray *ks_case_findings(ks_store *s, int64_t message_id, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s,
		"SELECT message_id, rule, severity, title, evidence, location FROM findings"
		" WHERE message_id = ? ORDER BY CASE severity WHEN 'high' THEN 0 WHEN 'medium'"
		" THEN 1 WHEN 'low' THEN 2 ELSE 3 END, id",
		error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, message_id);
	return ks_stmt_rows(st, finding_row, (GDestroyNotify)ks_case_finding_free, "read findings",
	                    error);
}

static void *note_row(ks_stmt *st)
{
	ks_case_note *n = g_new0(ks_case_note, 1);
	n->id = ks_stmt_int64(st, 0);
	n->case_id = ks_stmt_int64(st, 1);
	n->created = ks_stmt_dup(st, 2);
	n->author = ks_stmt_dup(st, 3);
	n->text = ks_stmt_dup(st, 4);
	n->about = ks_stmt_dup(st, 5);
	return n;
}

GPtrArray *ks_case_notes(ks_store *s, int64_t case_id, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s,
		"SELECT id, case_id, created, author, text, about FROM notes WHERE case_id = ?"
		" ORDER BY created, id",
		error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, case_id);
	return ks_stmt_rows(st, note_row, (GDestroyNotify)ks_case_note_free, "read notes", error);
}

static void *ioc_row(ks_stmt *st)
{
	ks_case_ioc *i = g_new0(ks_case_ioc, 1);
	i->kind = ks_stmt_dup(st, 0);
	i->value = ks_stmt_dup(st, 1);
	i->role = ks_stmt_dup(st, 2);
	i->judged_by = ks_stmt_dup(st, 3);
	return i;
}

GPtrArray *ks_case_iocs(ks_store *s, int64_t case_id, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT kind, value, role, judged_by FROM iocs WHERE case_id = ? ORDER BY kind, value",
		error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, case_id);
	return ks_stmt_rows(st, ioc_row, (GDestroyNotify)ks_case_ioc_free, "read iocs", error);
}

bool ks_case_judge_ioc(ks_store *s, int64_t case_id, int64_t message_id, const char *kind,
                       const char *value, const char *role, const char *author, char **was,
                       GError **error)
{
	*was = NULL;
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) get = ks_store_prepare(
		s, "SELECT role FROM iocs WHERE case_id = ? AND kind = ? AND value = ?", error);
	g_autoptr(ks_stmt) put = ks_store_prepare(
		s,
		"INSERT INTO iocs (case_id, message_id, kind, value, role, judged_by)"
		" VALUES (?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (case_id, kind, value) DO UPDATE SET role = excluded.role,"
		" judged_by = excluded.judged_by",
		error);
	if (!get || !put)
		goto fail;
	ks_stmt_bind_int64(get, 1, case_id);
	ks_stmt_bind_text(get, 2, kind);
	ks_stmt_bind_text(get, 3, value);
	if (ks_stmt_step(get) == KS_STEP_ROW)
		*was = ks_stmt_dup(get, 0);
	ks_stmt_bind_int64(put, 1, case_id);
	if (message_id > 0)
		ks_stmt_bind_int64(put, 2, message_id);
	ks_stmt_bind_text(put, 3, kind);
	ks_stmt_bind_text(put, 4, value);
	ks_stmt_bind_text(put, 5, role);
	ks_stmt_bind_text(put, 6, author);
	if (!ks_stmt_done(put, "write the IOC", error))
		goto fail;
	if (!touch_case(s, case_id, error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	g_clear_pointer(was, g_free);
	ks_store_rollback(s);
	return false;
}

bool ks_case_import(ks_store *s, const ks_case *c, int64_t *id, bool *existed, GError **error)
{
	*existed = false;
	g_autoptr(ks_stmt) find = ks_store_prepare(
		s, "SELECT id FROM cases WHERE title = ? AND created = ? ORDER BY id LIMIT 1", error);
	if (!find)
		return false;
	ks_stmt_bind_text(find, 1, c->title);
	ks_stmt_bind_text(find, 2, c->created);
	ks_step rc = ks_stmt_step(find);
	if (rc == KS_STEP_ROW) {
		*id = ks_stmt_int64(find, 0);
		*existed = true;
		return true;
	}
	if (rc != KS_STEP_DONE)
		return ks_store_fail(s, error, "find case");
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s,
		"INSERT INTO cases (title, status, verdict, bec_type, tlp, created, updated)"
		" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		error);
	if (!st)
		goto fail;
	ks_stmt_bind_text(st, 1, c->title);
	ks_stmt_bind_text(st, 2, c->status);
	ks_stmt_bind_text(st, 3, c->verdict);
	ks_stmt_bind_int64(st, 4, c->bec_type);
	ks_stmt_bind_text(st, 5, c->tlp);
	ks_stmt_bind_text(st, 6, c->created);
	ks_stmt_bind_text(st, 7, c->updated);
	if (!ks_stmt_insert(st, id, "import case", error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

bool ks_case_import_updated(ks_store *s, int64_t id, const char *updated, GError **error)
{
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(s, "UPDATE cases SET updated = ? WHERE id = ?", error);
	if (!st)
		goto fail;
	ks_stmt_bind_text(st, 1, updated);
	ks_stmt_bind_int64(st, 2, id);
	if (!ks_stmt_done(st, "import case", error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

bool ks_case_import_note(ks_store *s, int64_t case_id, const ks_case_note *n, bool *existed,
                         GError **error)
{
	*existed = false;
	g_autoptr(ks_stmt) find = ks_store_prepare(
		s,
		"SELECT 1 FROM notes WHERE case_id = ? AND created = ? AND author = ? AND text = ?"
		" AND about IS NOT DISTINCT FROM ?",
		error);
	if (!find)
		return false;
	ks_stmt_bind_int64(find, 1, case_id);
	ks_stmt_bind_text(find, 2, n->created);
	ks_stmt_bind_text(find, 3, n->author);
	ks_stmt_bind_text(find, 4, n->text);
	ks_stmt_bind_text(find, 5, n->about);
	ks_step rc = ks_stmt_step(find);
	if (rc == KS_STEP_ROW) {
		*existed = true;
		return true;
	}
	if (rc != KS_STEP_DONE)
		return ks_store_fail(s, error, "find note");
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "INSERT INTO notes (case_id, created, author, text, about) VALUES (?, ?, ?, ?, ?)",
		error);
	if (!st)
		goto fail;
	ks_stmt_bind_int64(st, 1, case_id);
	ks_stmt_bind_text(st, 2, n->created);
	ks_stmt_bind_text(st, 3, n->author);
	ks_stmt_bind_text(st, 4, n->text);
	ks_stmt_bind_text(st, 5, n->about);
	if (!ks_stmt_done(st, "import note", error))
		goto fail;
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

void ks_case_change_free(ks_case_change *c)
{
	if (!c)
		return;
	g_free(c->at);
	g_free(c->author);
	g_free(c->field);
	g_free(c->old);
	g_free(c->now);
	g_free(c);
}

static void *change_row(ks_stmt *st)
{
	ks_case_change *c = g_new0(ks_case_change, 1);
	c->at = ks_stmt_dup(st, 0);
	c->author = ks_stmt_dup(st, 1);
	c->field = ks_stmt_dup(st, 2);
	c->old = ks_stmt_dup(st, 3);
	c->now = ks_stmt_dup(st, 4);
	return c;
}

GPtrArray *ks_case_history(ks_store *s, int64_t case_id, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT at, author, field, old, new FROM history WHERE case_id = ? ORDER BY at, id",
		error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, case_id);
	return ks_stmt_rows(st, change_row, (GDestroyNotify)ks_case_change_free, "read history",
	                    error);
}

bool ks_case_import_change(ks_store *s, int64_t case_id, const ks_case_change *c,
                           GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s,
		"INSERT INTO history (case_id, at, author, field, old, new)"
		" SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM history WHERE"
		" case_id = ?1 AND at = ?2 AND author = ?3 AND field = ?4 AND old IS NOT DISTINCT FROM ?5"
		" AND new IS NOT DISTINCT FROM ?6)",
		error);
	if (!st)
		return false;
	ks_stmt_bind_int64(st, 1, case_id);
	ks_stmt_bind_text(st, 2, c->at);
	ks_stmt_bind_text(st, 3, c->author);
	ks_stmt_bind_text(st, 4, c->field);
	ks_stmt_bind_text(st, 5, c->old);
	ks_stmt_bind_text(st, 6, c->now);
	return ks_stmt_done(st, "import history", error);
}

GBytes *ks_case_message_raw(ks_store *s, int64_t message_id, GError **error)
{
	g_autoptr(ks_stmt) st =
		ks_store_prepare(s, "SELECT raw FROM messages WHERE id = ?", error);
	if (!st)
		return NULL;
	ks_stmt_bind_int64(st, 1, message_id);
	if (ks_stmt_step(st) != KS_STEP_ROW) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("no message %" PRId64),
		            message_id);
		return NULL;
	}
	return ks_stmt_blob(st, 0);
}

/* ---- search ---- */

/* ~width characters of text around the first occurrence of word (any case). */
static char *excerpt(const char *text, const char *word, glong width)
{
	if (!text)
		return g_strdup("");
	g_autofree char *flat = g_strdup(text);
	g_strdelimit(flat, "\r\n\t", ' ');
	g_autofree char *lt = g_utf8_casefold(flat, -1);
	g_autofree char *lw = g_utf8_casefold(word ? word : "", -1);
	const char *hit = *lw ? strstr(lt, lw) : NULL;
	glong at = hit ? g_utf8_pointer_to_offset(lt, hit) : 0;
	glong len = g_utf8_strlen(flat, -1);
	glong start = MAX(0, at - width / 3);
	glong end = MIN(len, start + width);
	char *s = g_utf8_substring(flat, start, end);
	char *out = g_strdup_printf("%s%s%s", start > 0 ? "…" : "", s, end < len ? "…" : "");
	g_free(s);
	return out;
}

GPtrArray *ks_store_search(ks_store *s, const char *query, GError **error)
{
	g_auto(GStrv) words = g_strsplit_set(query ? query : "", " \t\r\n", -1);
	/* the ideographic space (U+3000) separates words too; it is three bytes
	 * and split_set works per byte, so it is split on as a string */
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);
	for (char **w = words; *w; w++) {
		g_auto(GStrv) parts = g_strsplit(*w, "\u3000", -1);
		for (char **p = parts; *p; p++)
			if (**p && g_utf8_validate(*p, -1, NULL))
				g_ptr_array_add(list, g_strdup(*p));
	}
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)ks_search_hit_free);
	if (!list->len)
		return g_steal_pointer(&out);

	g_autoptr(GPtrArray) rows = s->engine->search(s, list, 500);
	if (!rows) {
		ks_store_fail(s, error, "search");
		return NULL;
	}
	const char *first = g_ptr_array_index(list, 0);
	for (guint i = 0; i < rows->len; i++) {
		const ks_search_row *row = g_ptr_array_index(rows, i);
		ks_search_hit *h = g_new0(ks_search_hit, 1);
		h->case_id = row->case_id;
		h->kind = g_strdup(row->kind);
		h->ref = row->ref;
		const char *subject = row->subject;
		const char *sender = row->sender;
		const char *body = row->body;
		bool note = g_strcmp0(h->kind, "note") == 0;
		h->title = g_strdup(note ? sender : subject);
		/* the excerpt from the column that holds the first word */
		g_autofree char *fb = g_utf8_casefold(body ? body : "", -1);
		g_autofree char *fs = g_utf8_casefold(sender ? sender : "", -1);
		g_autofree char *fw = g_utf8_casefold(first, -1);
		const char *src = strstr(fb, fw) ? body : strstr(fs, fw) ? sender : subject;
		h->excerpt = excerpt(src, first, 80);
		g_ptr_array_add(out, h);
	}
	return g_steal_pointer(&out);
}
