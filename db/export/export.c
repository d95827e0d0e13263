/* Case exports (export.h): the loader and the dispatcher.  Everything is read
 * from the store: the case, its notes and IOCs, and each message's report as
 * stored, read back as a typed ks_report (ks_report_from_json; no mail is
 * re-parsed).  Redaction, when asked, rewrites those typed values field by
 * field (redact.h) before any writer sees them; the writers (export_doc.c for
 * Markdown and HTML, export_json.c, export_stix.c, export_misp.c) only
 * format and escape, each once. */
#include "export/export.h"

#include "export/export_private.h"
#include "core/i18n.h"
#include "core/sanitize.h"
#include "store_private.h"
#include "output/writers.h"

#include <inttypes.h>
#include <string.h>

typedef char *(*export_fn)(const ks_export_data *x);

static const struct {
	const char *name;
	export_fn write;
} formats[] = {
	[KS_EXPORT_MARKDOWN] = {"markdown", ks_export_markdown},
	[KS_EXPORT_HTML] = {"html", ks_export_html},
	[KS_EXPORT_JSON] = {"json", ks_export_json},
	[KS_EXPORT_STIX] = {"stix", ks_export_stix},
	[KS_EXPORT_MISP] = {"misp", ks_export_misp},
};

bool ks_export_format_parse(const char *name, ks_export_format *out)
{
	for (size_t i = 0; i < G_N_ELEMENTS(formats); i++)
		if (name && strcmp(name, formats[i].name) == 0) {
			*out = (ks_export_format)i;
			return true;
		}
	return false;
}

bool ks_export_tlp_valid(const char *tlp)
{
	static const char *const levels[] = {"clear", "green", "amber", "red"};
	for (size_t i = 0; tlp && i < G_N_ELEMENTS(levels); i++)
		if (strcmp(tlp, levels[i]) == 0)
			return true;
	return false;
}

ks_ioc_kind ks_export_ioc_kind(const char *name)
{
	ks_ioc_kind k;
	return ks_ioc_kind_parse(name, &k) ? k : KS_IOC_FILENAME;
}

ks_ioc_role ks_export_ioc_role(const ks_case_ioc *o)
{
	ks_ioc_role role = KS_IOC_ROLE_ATTACKER;
	ks_ioc_role_parse(o->role, &role);
	return role;
}

bool ks_export_ioc_blocks(const ks_export_data *x, guint i)
{
	const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
	return ks_export_ioc_role(o) == KS_IOC_ROLE_ATTACKER &&
	       !g_array_index(x->ioc_masked, gboolean, i);
}

bool ks_export_report_ioc_blocks(const ks_export_data *x, const ks_report *r, ks_ioc_kind kind,
                                 const char *value)
{
	for (guint i = 0; r && value && i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		if (c->kind == kind && g_ascii_strcasecmp(c->value, value) == 0)
			return c->role == KS_IOC_ROLE_ATTACKER &&
			       !g_hash_table_contains(x->masked_values, c->value);
	}
	return false;
}

/* ---- loading ---- */

typedef struct {
	ks_case *c;
	GPtrArray *messages; /* ks_case_message* */
	GPtrArray *reports;  /* ks_report* or NULL, parallel */
	GPtrArray *notes;
	GPtrArray *iocs;
	GArray *ioc_masked;
	GHashTable *masked_values;
	GPtrArray *protected_domains;
	GPtrArray *contacts;
	GPtrArray *events;  /* ks_export_event* */
	GPtrArray *threads; /* ks_export_thread* */
} loaded;

static void loaded_clear(loaded *l)
{
	ks_case_free(l->c);
	g_clear_pointer(&l->messages, g_ptr_array_unref);
	g_clear_pointer(&l->reports, g_ptr_array_unref);
	g_clear_pointer(&l->notes, g_ptr_array_unref);
	g_clear_pointer(&l->iocs, g_ptr_array_unref);
	g_clear_pointer(&l->ioc_masked, g_array_unref);
	g_clear_pointer(&l->masked_values, g_hash_table_unref);
	g_clear_pointer(&l->protected_domains, g_ptr_array_unref);
	g_clear_pointer(&l->contacts, g_ptr_array_unref);
	g_clear_pointer(&l->events, g_ptr_array_unref);
	g_clear_pointer(&l->threads, g_ptr_array_unref);
}

static void report_free(gpointer p)
{
	ks_report_free(p);
}

static void sanitized(char **field, ks_sanitize_mode mode)
{
	if (*field) {
		char *v = ks_sanitize(*field, mode, NULL);
		g_free(*field);
		*field = v;
	}
}

/* What the analyst typed (titles, notes) and what the store keeps beside
 * the reports is not sanitized on the way in: it is here, once, so that no
 * export (read on a terminal, pasted into a ticket) carries ESC or CR. */
static void clean(loaded *l)
{
	sanitized(&l->c->title, KS_SANITIZE_LINE);
	for (guint i = 0; i < l->messages->len; i++) {
		ks_case_message *m = g_ptr_array_index(l->messages, i);
		sanitized(&m->path, KS_SANITIZE_LINE);
		sanitized(&m->subject, KS_SANITIZE_LINE);
		sanitized(&m->sender, KS_SANITIZE_LINE);
		sanitized(&m->date, KS_SANITIZE_LINE);
	}
	for (guint i = 0; i < l->notes->len; i++) {
		ks_case_note *n = g_ptr_array_index(l->notes, i);
		sanitized(&n->author, KS_SANITIZE_LINE);
		sanitized(&n->about, KS_SANITIZE_LINE);
		sanitized(&n->text, KS_SANITIZE_MULTILINE);
	}
	for (guint i = 0; i < l->iocs->len; i++)
		sanitized(&((ks_case_ioc *)g_ptr_array_index(l->iocs, i))->value, KS_SANITIZE_LINE);
}

/* Messages by the time they were written (their Date; a message without
 * one by when it was added), so the summary reads as the thread happened. */
typedef struct {
	ks_case_message *m;
	ks_report *r;
} pair;

static gint pair_cmp(gconstpointer a, gconstpointer b)
{
	const pair *x = a, *y = b;
	GDateTime *tx = x->r ? x->r->date : NULL, *ty = y->r ? y->r->date : NULL;
	if (tx && ty && g_date_time_compare(tx, ty))
		return g_date_time_compare(tx, ty);
	if (!tx != !ty)
		return tx ? -1 : 1;
	return x->m->id < y->m->id ? -1 : x->m->id > y->m->id;
}

static bool load(ks_store *s, int64_t id, loaded *l, GError **error)
{
	l->c = ks_case_get(s, id, error);
	if (!l->c) {
		if (error && !*error)
			g_set_error(error, KS_ERROR, KS_ERROR_DB, _("no case %" PRId64), id);
		return false;
	}
	g_autoptr(GPtrArray) messages = ks_case_messages(s, id, error);
	if (!messages || !(l->notes = ks_case_notes(s, id, error)) ||
	    !(l->iocs = ks_case_iocs(s, id, error)) ||
	    !(l->protected_domains = ks_protect_list(s, error)) ||
	    !(l->contacts = ks_contact_list(s, error)))
		return false;
	g_autoptr(GArray) pairs = g_array_new(FALSE, FALSE, sizeof(pair));
	for (guint i = 0; i < messages->len; i++) {
		ks_case_message *m = g_ptr_array_index(messages, i);
		pair p = {m, m->report_json ? ks_report_from_json(m->report_json, NULL) : NULL};
		g_array_append_val(pairs, p);
	}
	g_array_sort(pairs, pair_cmp);
	/* the messages move over to the sorted array, which frees them */
	l->messages = g_ptr_array_new_with_free_func((GDestroyNotify)ks_case_message_free);
	g_ptr_array_set_free_func(messages, NULL);
	l->reports = g_ptr_array_new_with_free_func(report_free);
	for (guint i = 0; i < pairs->len; i++) {
		pair *p = &g_array_index(pairs, pair, i);
		g_ptr_array_add(l->messages, p->m);
		g_ptr_array_add(l->reports, p->r);
	}
	clean(l);
	/* the timeline and the threads, judged on the real names, before any
	 * redaction; the registrations come from what the store knows */
	g_autoptr(ks_context) ctx = ks_context_new();
	if (!ks_store_load_context(s, ctx, NULL, error))
		return false;
	l->events = g_ptr_array_new_with_free_func((GDestroyNotify)ks_export_event_free);
	l->threads = g_ptr_array_new_with_free_func((GDestroyNotify)ks_export_thread_free);
	ks_export_timeline_build(l->messages, l->reports, l->notes, ctx, l->events, l->threads);
	l->masked_values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	l->ioc_masked = g_array_new(FALSE, TRUE, sizeof(gboolean));
	g_array_set_size(l->ioc_masked, l->iocs->len);
	return true;
}

/* ---- redaction: every string that leaves, rewritten once, typed ---- */

static void swap(char **field, char *value)
{
	g_free(*field);
	*field = value;
}

static void redact(loaded *l, ks_redact_level level)
{
	g_autoptr(ks_redactor) r = ks_redactor_new(level);
	for (guint i = 0; i < l->protected_domains->len; i++) {
		const ks_protected_record *p = g_ptr_array_index(l->protected_domains, i);
		ks_redactor_add_protected(r, p->domain, p->label);
	}
	for (guint i = 0; i < l->contacts->len; i++) {
		const ks_contact_record *c = g_ptr_array_index(l->contacts, i);
		ks_redactor_add_contact(r, c->name, c->address);
	}
	for (guint i = 0; i < l->notes->len; i++)
		ks_redactor_add_person(r, ((ks_case_note *)g_ptr_array_index(l->notes, i))->author);
	for (guint i = 0; i < l->reports->len; i++)
		if (g_ptr_array_index(l->reports, i))
			ks_redactor_learn_report(r, g_ptr_array_index(l->reports, i));
	ks_redactor_finish(r);

	swap(&l->c->title, ks_redact_text(r, l->c->title));
	for (guint i = 0; i < l->messages->len; i++) {
		ks_case_message *m = g_ptr_array_index(l->messages, i);
		swap(&m->path, ks_redact_path(r, m->path));
		swap(&m->subject, ks_redact_text(r, m->subject));
		swap(&m->sender, ks_redact_text(r, m->sender));
		ks_redact_report(r, g_ptr_array_index(l->reports, i), l->masked_values);
	}
	for (guint i = 0; i < l->notes->len; i++) {
		ks_case_note *n = g_ptr_array_index(l->notes, i);
		swap(&n->author, ks_redact_name(r, n->author));
		swap(&n->text, ks_redact_text(r, n->text));
		swap(&n->about, ks_redact_text(r, n->about));
	}
	for (guint i = 0; i < l->events->len; i++) {
		ks_export_event *e = g_ptr_array_index(l->events, i);
		swap(&e->text, ks_redact_text(r, e->text));
	}
	for (guint i = 0; i < l->threads->len; i++) {
		ks_export_thread *t = g_ptr_array_index(l->threads, i);
		swap(&t->subject, ks_redact_text(r, t->subject));
		for (guint k = 0; k < t->drift->len; k++) {
			ks_export_drift *d = g_ptr_array_index(t->drift, k);
			swap(&d->evidence, ks_redact_text(r, d->evidence));
		}
	}
	for (guint i = 0; i < l->iocs->len; i++) {
		ks_case_ioc *o = g_ptr_array_index(l->iocs, i);
		bool masked = false;
		swap(&o->value, ks_redact_ioc(r, ks_export_ioc_kind(o->kind), o->value, &masked));
		g_array_index(l->ioc_masked, gboolean, i) = masked;
	}
}

char *ks_case_export(ks_store *s, int64_t id, const ks_export_options *opt, GError **error)
{
	loaded l = {0};
	if ((unsigned)opt->format >= G_N_ELEMENTS(formats) || !load(s, id, &l, error)) {
		loaded_clear(&l);
		return NULL;
	}
	if (opt->redact != KS_REDACT_OFF)
		redact(&l, opt->redact);
	ks_export_data x = {
		.c = l.c,
		.tlp = opt->tlp ? opt->tlp : l.c->tlp,
		.redact = opt->redact,
		.messages = l.messages,
		.reports = l.reports,
		.notes = l.notes,
		.iocs = l.iocs,
		.ioc_masked = l.ioc_masked,
		.masked_values = l.masked_values,
		.events = l.events,
		.threads = l.threads,
		.japanese = opt->japanese,
	};
	char *text = formats[opt->format].write(&x);
	loaded_clear(&l);
	if (!text)
		g_set_error(error, KS_ERROR, KS_ERROR_DB, _("export failed"));
	return text;
}
