/* Domain registrations, protected domains, contacts, and loading them into
 * the analysis context (knowledge.h).  One transaction per write. */
#include "knowledge.h"

#include "core/i18n.h"
#include "store_private.h"

#include <gio/gio.h>
#include <string.h>

void ks_domain_record_free(ks_domain_record *d)
{
	if (!d)
		return;
	g_free(d->domain);
	g_free(d->registered);
	g_free(d->source);
	g_free(d->added);
	g_free(d->added_by);
	g_free(d);
}

void ks_protected_record_free(ks_protected_record *p)
{
	if (!p)
		return;
	g_free(p->domain);
	g_free(p->label);
	g_free(p->added);
	g_free(p->added_by);
	g_free(p);
}

void ks_contact_record_free(ks_contact_record *c)
{
	if (!c)
		return;
	g_free(c->name);
	g_free(c->address);
	g_free(c->added);
	g_free(c->added_by);
	g_free(c);
}

char *ks_domain_normalize(const char *domain)
{
	if (!domain)
		return NULL;
	g_autofree char *d = g_strstrip(g_strdup(domain));
	gsize n = strlen(d);
	while (n && d[n - 1] == '.')
		d[--n] = '\0';
	if (!n || !g_utf8_validate(d, -1, NULL))
		return NULL;
	/* IDN: analyzers compare A-labels as the headers carry them */
	g_autofree char *ascii = g_hostname_to_ascii(d);
	if (!ascii)
		return NULL;
	char *low = g_ascii_strdown(ascii, -1);
	if (!strchr(low, '.') || low[0] == '.' || strstr(low, "..")) {
		g_free(low);
		return NULL;
	}
	for (const char *p = low; *p; p++)
		if (!(g_ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_')) {
			g_free(low);
			return NULL;
		}
	/* no top-level domain is all digits (RFC 3696 2): "300.1.1.1" is a
	 * mistyped address, not a name */
	const char *tld = strrchr(low, '.') + 1;
	if (tld[strspn(tld, "0123456789")] == '\0') {
		g_free(low);
		return NULL;
	}
	return low;
}

/* Runs one statement with text bindings in its own transaction; changes
 * (rows affected) in *changes when given. */
static bool write_one(ks_store *s, const char *sql, const char *const *args, int nargs,
                      int *changes, GError **error)
{
	if (!ks_store_begin(s, error))
		return false;
	g_autoptr(ks_stmt) st = ks_store_prepare(s, sql, error);
	if (!st)
		goto fail;
	for (int i = 0; i < nargs; i++)
		ks_stmt_bind_text(st, i + 1, args[i]);
	if (!ks_stmt_done(st, "write", error))
		goto fail;
	if (changes)
		*changes = (int)ks_stmt_changes(st);
	return ks_store_commit(s, error);
fail:
	ks_store_rollback(s);
	return false;
}

/* true when sql (one or two text parameters) returns a row. */
static bool exists(ks_store *s, const char *sql, const char *a, const char *b)
{
	ks_stmt *st = ks_store_prepare(s, sql, NULL);
	if (!st)
		return false;
	ks_stmt_bind_text(st, 1, a);
	if (b)
		ks_stmt_bind_text(st, 2, b);
	bool found = ks_stmt_step(st) == KS_STEP_ROW;
	ks_stmt_free(st);
	return found;
}

bool ks_domain_add(ks_store *s, const char *domain, GDateTime *registered, const char *source,
                   bool *replaced, GError **error)
{
	g_autofree char *d = ks_domain_normalize(domain);
	if (!d) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("not a domain name: %s"), domain);
		return false;
	}
	g_autofree char *when = g_date_time_format(registered, "%Y-%m-%dT%H:%M:%S%:z");
	g_autofree char *now = ks_store_now();
	if (replaced)
		*replaced = exists(s, "SELECT 1 FROM domains WHERE domain = ?", d, NULL);
	const char *args[] = {d, when, source ? source : "manual", now, s->author};
	return write_one(s,
	                 "INSERT INTO domains (domain, registered, source, added, added_by)"
	                 " VALUES (?, ?, ?, ?, ?)"
	                 " ON CONFLICT (domain) DO UPDATE SET registered = excluded.registered,"
	                 " source = excluded.source, added = excluded.added,"
	                 " added_by = excluded.added_by",
	                 args, 5, NULL, error);
}

static void *domain_row(ks_stmt *st)
{
	ks_domain_record *d = g_new0(ks_domain_record, 1);
	d->domain = ks_stmt_dup(st, 0);
	d->registered = ks_stmt_dup(st, 1);
	d->source = ks_stmt_dup(st, 2);
	d->added = ks_stmt_dup(st, 3);
	d->added_by = ks_stmt_dup(st, 4);
	return d;
}

GPtrArray *ks_domain_list(ks_store *s, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT domain, registered, source, added, added_by FROM domains ORDER BY domain", error);
	if (!st)
		return NULL;
	return ks_stmt_rows(st, domain_row, (GDestroyNotify)ks_domain_record_free,
	                    "read domains", error);
}

bool ks_protect_add(ks_store *s, const char *domain, const char *label, GError **error)
{
	g_autofree char *d = ks_domain_normalize(domain);
	if (!d) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("not a domain name: %s"), domain);
		return false;
	}
	g_autofree char *now = ks_store_now();
	const char *args[] = {d, label, now, s->author};
	return write_one(s,
	                 "INSERT INTO protected_domains (domain, label, added, added_by)"
	                 " VALUES (?, ?, ?, ?) ON CONFLICT (domain) DO UPDATE SET"
	                 " label = coalesce(excluded.label, protected_domains.label),"
	                 " added_by = excluded.added_by",
	                 args, 4, NULL, error);
}

bool ks_protect_remove(ks_store *s, const char *domain, bool *removed, GError **error)
{
	g_autofree char *d = ks_domain_normalize(domain);
	const char *args[] = {d ? d : domain};
	int n = 0;
	if (!write_one(s, "DELETE FROM protected_domains WHERE domain = ?", args, 1, &n, error))
		return false;
	*removed = n > 0;
	return true;
}

static void *protect_row(ks_stmt *st)
{
	ks_protected_record *p = g_new0(ks_protected_record, 1);
	p->domain = ks_stmt_dup(st, 0);
	p->label = ks_stmt_dup(st, 1);
	p->added = ks_stmt_dup(st, 2);
	p->added_by = ks_stmt_dup(st, 3);
	return p;
}

GPtrArray *ks_protect_list(ks_store *s, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT domain, label, added, added_by FROM protected_domains ORDER BY domain", error);
	if (!st)
		return NULL;
	return ks_stmt_rows(st, protect_row, (GDestroyNotify)ks_protected_record_free,
	                    "read protected domains", error);
}

bool ks_contact_add(ks_store *s, const char *name, const char *address, bool *existed,
                    GError **error)
{
	g_autofree char *addr = g_ascii_strdown(address, -1);
	g_strstrip(addr);
	const char *at = strchr(addr, '@');
	if (!at || at == addr || !at[1] || strchr(at + 1, '@') || strpbrk(addr, " <>\t")) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("not an e-mail address: %s"), address);
		return false;
	}
	g_autofree char *nm = g_strstrip(g_strdup(name));
	if (!*nm || !g_utf8_validate(nm, -1, NULL)) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("empty or invalid display name"));
		return false;
	}
	g_autofree char *now = ks_store_now();
	const char *args[] = {nm, addr, now, s->author};
	int n = 0;
	if (!write_one(s, "INSERT INTO contacts (name, address, added, added_by) VALUES (?, ?, ?, ?)"
	                    " ON CONFLICT DO NOTHING",
	               args, 4, &n, error))
		return false;
	if (existed)
		*existed = n == 0;
	return true;
}

static void *contact_row(ks_stmt *st)
{
	ks_contact_record *c = g_new0(ks_contact_record, 1);
	c->name = ks_stmt_dup(st, 0);
	c->address = ks_stmt_dup(st, 1);
	c->added = ks_stmt_dup(st, 2);
	c->added_by = ks_stmt_dup(st, 3);
	return c;
}

GPtrArray *ks_contact_list(ks_store *s, GError **error)
{
	g_autoptr(ks_stmt) st = ks_store_prepare(
		s, "SELECT name, address, added, added_by FROM contacts ORDER BY name, address", error);
	if (!st)
		return NULL;
	return ks_stmt_rows(st, contact_row, (GDestroyNotify)ks_contact_record_free,
	                    "read contacts", error);
}

void ks_allowed_record_free(ks_allowed_record *a)
{
	if (!a)
		return;
	g_free(a->value);
	g_free(a->note);
	g_free(a->added);
	g_free(a->added_by);
	g_free(a);
}

/* An IP address or a network as GIO writes it back, or a normalized domain. */
char *ks_allow_normalize(const char *value)
{
	g_autofree char *v = g_strstrip(g_strdup(value ? value : ""));
	if (strchr(v, '/')) {
		g_autoptr(GInetAddressMask) m = g_inet_address_mask_new_from_string(v, NULL);
		return m ? g_inet_address_mask_to_string(m) : NULL;
	}
	if (g_hostname_is_ip_address(v)) {
		g_autoptr(GInetAddress) a = g_inet_address_new_from_string(v);
		return a ? g_inet_address_to_string(a) : NULL;
	}
	return ks_domain_normalize(v);
}

bool ks_allow_add(ks_store *s, const char *value, const char *note, GError **error)
{
	g_autofree char *v = ks_allow_normalize(value);
	if (!v) {
		g_set_error(error, KS_ERROR, KS_ERROR_DB,
		            _("not a domain, an IP address or a network: %s"), value);
		return false;
	}
	g_autofree char *now = ks_store_now();
	const char *args[] = {v, note, now, s->author};
	return write_one(s,
	                 "INSERT INTO allowed (value, note, added, added_by) VALUES (?, ?, ?, ?)"
	                 " ON CONFLICT (value) DO UPDATE SET"
	                 " note = coalesce(excluded.note, allowed.note), added_by = excluded.added_by",
	                 args, 4, NULL, error);
}

bool ks_allow_remove(ks_store *s, const char *value, bool *removed, GError **error)
{
	g_autofree char *v = ks_allow_normalize(value);
	const char *args[] = {v ? v : value};
	int n = 0;
	if (!write_one(s, "DELETE FROM allowed WHERE value = ?", args, 1, &n, error))
		return false;
	*removed = n > 0;
	return true;
}

static void *allow_row(ks_stmt *st)
{
	ks_allowed_record *a = g_new0(ks_allowed_record, 1);
	a->value = ks_stmt_dup(st, 0);
	a->note = ks_stmt_dup(st, 1);
	a->added_by = ks_stmt_dup(st, 3);
	a->added = ks_stmt_dup(st, 2);
	return a;
}

GPtrArray *ks_allow_list(ks_store *s, GError **error)
{
	g_autoptr(ks_stmt) st =
		ks_store_prepare(s, "SELECT value, note, added, added_by FROM allowed ORDER BY value", error);
	if (!st)
		return NULL;
	return ks_stmt_rows(st, allow_row, (GDestroyNotify)ks_allowed_record_free,
	                    "read allowed values", error);
}

/* What each query of ks_store_load_context adds to the context, a row at a
 * time. */
static void add_protected(ks_context *ctx, ks_stmt *st)
{
	ks_context_add_protected(ctx, ks_stmt_text(st, 0));
}

static void add_allowed(ks_context *ctx, ks_stmt *st)
{
	ks_context_add_allowed(ctx, ks_stmt_text(st, 0));
}

static void add_contact(ks_context *ctx, ks_stmt *st)
{
	ks_context_add_contact(ctx, ks_stmt_text(st, 0), ks_stmt_text(st, 1));
}

static void add_registration(ks_context *ctx, ks_stmt *st)
{
	const char *when = ks_stmt_text(st, 1);
	g_autoptr(GDateTime) t = when ? g_date_time_new_from_iso8601(when, NULL) : NULL;
	if (t)
		ks_context_add_registration(ctx, ks_stmt_text(st, 0), t, ks_stmt_text(st, 2));
}

static void add_known_attachment(ks_context *ctx, ks_stmt *st)
{
	ks_context_add_known_attachment(ctx, ks_stmt_text(st, 0), ks_stmt_text(st, 1),
	                                ks_stmt_int64(st, 2), ks_stmt_int64(st, 3),
	                                ks_stmt_text(st, 4));
}

bool ks_store_load_context(ks_store *s, ks_context *ctx, const char *exclude_message_sha256,
                           GError **error)
{
	static const struct {
		const char *sql;
		void (*add)(ks_context *ctx, ks_stmt *st);
	} parts[] = {
		{"SELECT domain FROM protected_domains", add_protected},
		{"SELECT value FROM allowed", add_allowed},
		{"SELECT name, address FROM contacts", add_contact},
		{"SELECT domain, registered, source FROM domains", add_registration},
		/* the stored messages count too, by hash only: a reported mail
		 * that comes back forwarded as an attachment has been seen (?1: the
		 * message being analysed is left out) */
		{"SELECT a.sha256, a.filename, a.size, c.id, c.title, m.id, a.id"
		 " FROM attachments a JOIN messages m ON m.id = a.message_id"
		 " JOIN cases c ON c.id = m.case_id"
		 " WHERE m.sha256 IS DISTINCT FROM ?1"
		 " AND (a.sha256 IS NOT NULL OR a.filename IS NOT NULL)"
		 " UNION ALL"
		 " SELECT m.sha256, NULL, length(m.raw), c.id, c.title, m.id, 0"
		 " FROM messages m JOIN cases c ON c.id = m.case_id"
		 " WHERE m.sha256 IS DISTINCT FROM ?1"
		 " ORDER BY 4, 6, 7",
		 add_known_attachment},
	};
	/* one read transaction: a consistent snapshot while a writer works */
	if (!ks_store_begin_read(s, error))
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < G_N_ELEMENTS(parts); i++) {
		g_autoptr(ks_stmt) st = ks_store_prepare(s, parts[i].sql, error);
		if (!st) {
			ok = false;
			break;
		}
		if (strstr(parts[i].sql, "?1"))
			ks_stmt_bind_text(st, 1, exclude_message_sha256);
		ks_step rc;
		while ((rc = ks_stmt_step(st)) == KS_STEP_ROW)
			parts[i].add(ctx, st);
		if (rc != KS_STEP_DONE)
			ok = ks_store_fail(s, error, "read what the store knows");
	}
	ks_store_rollback(s); /* it wrote nothing */
	return ok;
}
