/* The case timeline and threads of an export (export_private.h): one list of
 * dated events in lanes, built from the typed reports (each message's Date,
 * its Received hops, the dates of its documents and of the mails it quotes),
 * the registrations the store knows for every domain involved, the notes,
 * and the threads the messages form (thread.h) with their drift findings and
 * the moment a lookalike enters.  DESIGN.md's invoice fraud is what it is
 * for: a PDF made five hours after the genuine mail it copies, on a domain
 * registered the same hour, read at one glance. */
#include "export/export_private.h"

#include "core/domains.h"
#include "core/i18n.h"
#include "threads/thread.h"

#include <inttypes.h>
#include <string.h>

static const char *const lane_names[] = {N_("domains"), N_("messages"), N_("route"),
                                         N_("documents"), N_("notes")};
G_STATIC_ASSERT(G_N_ELEMENTS(lane_names) == KS_LANE_COUNT);

const char *ks_export_lane_name(ks_lane lane)
{
	return (unsigned)lane < KS_LANE_COUNT ? lane_names[lane] : "messages";
}

const char *ks_export_lane_label(ks_lane lane)
{
	return _(ks_export_lane_name(lane));
}

void ks_export_event_free(ks_export_event *e)
{
	if (!e)
		return;
	g_date_time_unref(e->time);
	g_free(e->text);
	g_free(e);
}

static void drift_free(ks_export_drift *d)
{
	g_free(d->evidence);
	g_free(d);
}

void ks_export_thread_free(ks_export_thread *t)
{
	if (!t)
		return;
	g_free(t->subject);
	g_ptr_array_unref(t->drift);
	g_free(t);
}

static ks_export_event *add(GPtrArray *events, GDateTime *t, ks_lane lane, int64_t message,
                            char *text)
{
	ks_export_event *e = g_new0(ks_export_event, 1);
	e->time = g_date_time_ref(t);
	e->lane = lane;
	e->message = message;
	e->text = text;
	g_ptr_array_add(events, e);
	return e;
}

static const char *first_address(const GPtrArray *list)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		if (a->address)
			return a->address;
	}
	return NULL;
}

static bool has_finding_at(const ks_report *r, ks_rule rule, const char *location)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule && (!location || g_strcmp0(f->location, location) == 0))
			return true;
	}
	return false;
}

/* One message's own events: written, routed, its documents, its quotes. */
static void message_events(GPtrArray *events, const ks_case_message *m, const ks_report *r,
                           ks_export_event **written)
{
	if (r->date) {
		const char *from = first_address(r->from);
		*written = add(events, r->date, KS_LANE_MESSAGES, m->id,
		               from ? g_strdup_printf(_("message %" PRId64 " written: %s (from %s)"),
		                                      m->id, r->subject ? r->subject : _("(no subject)"),
		                                      from)
		                    : g_strdup_printf(_("message %" PRId64 " written: %s"),
		                                      m->id, r->subject ? r->subject : _("(no subject)")));
	}
	for (guint i = 0; i < r->hops->len; i++) {
		const ks_hop *h = g_ptr_array_index(r->hops, i);
		if (!h->date)
			continue;
		add(events, h->date, KS_LANE_ROUTE, m->id,
		    h->ip ? g_strdup_printf(_("message %" PRId64 ": received by %s from %s [%s]"),
		                            m->id, h->by ? h->by : "?", h->from ? h->from : "?", h->ip)
		          : g_strdup_printf(_("message %" PRId64 ": received by %s from %s"),
		                            m->id, h->by ? h->by : "?", h->from ? h->from : "?"));
	}
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *e = g_ptr_array_index(r->timeline, i);
		if (g_str_has_prefix(e->source, "hop:") || g_str_equal(e->source, "header:Date") ||
		    g_str_has_prefix(e->source, "context:"))
			continue; /* drawn from the hops and the Date, or the store's own */
		bool document = g_str_has_prefix(e->source, "part:");
		ks_export_event *x = add(events, e->time, document ? KS_LANE_DOCUMENTS : KS_LANE_MESSAGES,
		                         m->id,
		                         g_strdup_printf(_("message %" PRId64 ": %s"), m->id,
		                                         e->event));
		x->alert = document &&
		           (has_finding_at(r, KS_RULE_PDF_CREATED_AFTER_MESSAGE, e->source) ||
		            has_finding_at(r, KS_RULE_PDF_CREATED_NEAR_DOMAIN_REGISTRATION, e->source));
	}
}

static void add_domain(GHashTable *set, const char *address)
{
	g_autofree char *d = address ? ks_domain_of_address(address) : NULL;
	char *reg = d ? ks_domain_registrable(d) : NULL;
	if (reg)
		g_hash_table_add(set, reg);
}

static void add_domains(GHashTable *set, const GPtrArray *list)
{
	for (guint i = 0; list && i < list->len; i++)
		add_domain(set, ((const ks_address *)g_ptr_array_index(list, i))->address);
}

/* Registrations of every domain the messages name, from the store. */
static void registration_events(GPtrArray *events, const GPtrArray *reports, const ks_context *ctx,
                                GHashTable *lookalikes)
{
	g_autoptr(GHashTable) doms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < reports->len; i++) {
		const ks_report *r = g_ptr_array_index(reports, i);
		if (!r)
			continue;
		add_domains(doms, r->from);
		add_domains(doms, r->reply_to);
		add_domains(doms, r->to);
		add_domains(doms, r->cc);
		add_domain(doms, r->return_path);
	}
	g_autoptr(GList) keys = g_hash_table_get_keys(doms);
	for (GList *k = keys; k && ctx; k = k->next) {
		const ks_registration *reg = ks_context_registration(ctx, k->data);
		if (!reg || !reg->registered)
			continue;
		ks_export_event *e = add(events, reg->registered, KS_LANE_DOMAINS, 0,
		                         reg->source ? g_strdup_printf(_("domain %s registered (%s)"),
		                                                       reg->domain, reg->source)
		                                     : g_strdup_printf(_("domain %s registered"),
		                                                       reg->domain));
		e->alert = g_hash_table_contains(lookalikes, k->data);
	}
}

static gint by_time(gconstpointer a, gconstpointer b)
{
	const ks_export_event *x = *(ks_export_event *const *)a, *y = *(ks_export_event *const *)b;
	int c = g_date_time_compare(x->time, y->time);
	return c ? c : (int)x->lane - (int)y->lane;
}

void ks_export_timeline_build(const GPtrArray *messages, const GPtrArray *reports,
                              const GPtrArray *notes, const ks_context *ctx, GPtrArray *events,
                              GPtrArray *threads)
{
	/* the readable reports, and the case message each stands for */
	g_autoptr(GPtrArray) readable = g_ptr_array_new();
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_autofree ks_export_event **written = g_new0(ks_export_event *, messages->len + 1);
	g_autoptr(GArray) slot = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(messages, i);
		const ks_report *r = g_ptr_array_index(reports, i);
		if (!r)
			continue;
		message_events(events, m, r, &written[i]);
		g_ptr_array_add(readable, (gpointer)r);
		g_array_append_val(ids, m->id);
		g_array_append_val(slot, i);
	}

	/* threads, their drift, and where a lookalike comes in */
	g_autoptr(GHashTable) lookalikes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(ks_thread_set) set = ks_threads_from_reports(readable, ctx);
	const GPtrArray *all = ks_thread_set_threads(set);
	for (guint t = 0; t < all->len; t++) {
		const ks_thread *th = g_ptr_array_index(all, t);
		if (th->first_lookalike >= 0) {
			const ks_thread_msg *tm = g_ptr_array_index(th->messages, th->first_lookalike);
			guint k = g_array_index(slot, guint, tm->seq);
			if (written[k]) {
				written[k]->alert = true;
				char *more = g_strdup_printf(_("%s; a lookalike enters: %s imitates %s"),
				                             written[k]->text,
				                             tm->from.domain ? tm->from.domain : "?",
				                             tm->lookalike_of ? tm->lookalike_of : "?");
				g_free(written[k]->text);
				written[k]->text = more;
			}
		}
		for (guint k = 0; k < th->messages->len; k++) {
			const ks_thread_msg *tm = g_ptr_array_index(th->messages, k);
			if (tm->lookalike_of && tm->from.domain)
				g_hash_table_add(lookalikes, g_strdup(tm->from.domain));
		}
		if (th->messages->len < 2 && !th->findings->len)
			continue;
		ks_export_thread *x = g_new0(ks_export_thread, 1);
		x->subject = g_strdup(th->subject);
		x->messages = (int)th->messages->len;
		x->drift = g_ptr_array_new_with_free_func((GDestroyNotify)drift_free);
		for (guint k = 0; k < th->findings->len; k++) {
			const ks_thread_finding *tf = g_ptr_array_index(th->findings, k);
			const ks_thread_msg *tm = g_ptr_array_index(th->messages, tf->message);
			ks_export_drift *d = g_new0(ks_export_drift, 1);
			d->message = g_array_index(ids, int64_t, tm->seq);
			d->severity = tf->finding->severity;
			d->rule = tf->finding->rule;
			d->evidence = g_strdup(tf->finding->evidence);
			g_ptr_array_add(x->drift, d);
		}
		g_ptr_array_add(threads, x);
	}
	/* a From a lookalike finding points at is one too, threaded or not */
	for (guint i = 0; i < readable->len; i++) {
		const ks_report *r = g_ptr_array_index(readable, i);
		if (has_finding_at(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:From"))
			add_domains(lookalikes, r->from);
	}
	registration_events(events, reports, ctx, lookalikes);

	for (guint i = 0; i < notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(notes, i);
		g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(n->created, NULL);
		if (t)
			add(events, t, KS_LANE_NOTES, 0,
			    g_strdup_printf(_("note %" PRId64 " by %s"), n->id, n->author));
	}
	g_ptr_array_sort(events, by_time);
}
