/* Threads (thread.h): summaries of reports, grouping into conversations
 * and timelines; the drift rules are thread_drift.c's, subjects, quoted
 * blocks and payment details are read by thread_subject.c, thread_quoted.c
 * and thread_payment.c.  Grouping follows the shape of JWZ's
 * threading algorithm, cut down: Message-ID, In-Reply-To and References
 * join messages (a referenced id that is not in the set still joins the
 * messages that share it); a message whose references reach no message of
 * the set (missing, or forged as BEC replies often are) falls back to its
 * normalised subject and the subjects it quotes.  Words (prefixes, quoted
 * labels, payment keywords) are data: analyzers/data/thread_words.txt and
 * quoted_headers.txt.  Nothing here prints or draws. */
#include "threads/thread_private.h"

#include "core/data.h"
#include "core/domains.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

struct ks_thread_set {
	GPtrArray *messages; /* ks_thread_msg*, input order, owned */
	GPtrArray *threads;  /* ks_thread*, owned */
	bool built;
};

/* ---- words ------------------------------------------------------------- */

/* Values of "kind: value" rows in thread_words.txt. */
GPtrArray *ks_thread_words(const char *kind)
{
	GPtrArray *out = g_ptr_array_new();
	const GPtrArray *rows = ks_data_lines("thread_words.txt");
	size_t n = strlen(kind);
	for (guint i = 0; rows && i < rows->len; i++) {
		const char *row = rows->pdata[i];
		if (strncmp(row, kind, n) == 0 && row[n] == ':') {
			const char *v = row + n + 1;
			while (*v == ' ')
				v++;
			g_ptr_array_add(out, (gpointer)v);
		}
	}
	return out;
}

/* ---- the per-message summary ------------------------------------------- */

static void party_set(ks_party *p, const char *name, const char *address)
{
	p->name = name && *name ? g_strdup(name) : NULL;
	p->address = address && *address ? g_ascii_strdown(address, -1) : NULL;
	g_autofree char *host = p->address ? ks_domain_of_address(p->address) : NULL;
	p->domain = host ? ks_domain_registrable(host) : NULL;
	if (!p->domain && host)
		p->domain = g_steal_pointer(&host);
}

static void party_clear(ks_party *p)
{
	g_free(p->name);
	g_free(p->address);
	g_free(p->domain);
}

void ks_thread_party_free(ks_party *p)
{
	if (p) {
		party_clear(p);
		g_free(p);
	}
}

static GPtrArray *parties_of(const GPtrArray *list)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ks_thread_party_free);
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = list->pdata[i];
		ks_party *p = g_new0(ks_party, 1);
		party_set(p, a->name, a->address);
		g_ptr_array_add(out, p);
	}
	return out;
}

ks_finding *ks_thread_finding_new(ks_rule rule, ks_severity sev, const char *title,
                                  const char *evidence, const char *location)
{
	ks_finding *f = g_new0(ks_finding, 1);
	f->rule = rule;
	f->severity = sev;
	f->title = g_strdup(title ? title : ks_rule_help(rule));
	f->evidence = g_strdup(evidence ? evidence : "");
	f->location = g_strdup(location);
	return f;
}

static bool collect_attachment(ks_attachment *a, void *user)
{
	GPtrArray *out = user;
	if (out->len >= 64)
		return false;
	const char *type = a->detected_type ? a->detected_type : a->declared_type;
	g_ptr_array_add(out, g_strdup_printf("%s (%s)", a->filename ? a->filename : a->path,
	                                     type ? type : "?"));
	return true;
}

static char *strip_angles(const char *id)
{
	if (!id)
		return NULL;
	g_autofree char *s = g_strstrip(g_strdup(id));
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return g_strndup(s + 1, n - 2);
	return n ? g_strdup(s) : NULL;
}

/* Outlook's Thread-Index (MS-OXOMSG 2.2.1.3): base64 of a 22-byte header
 * (6 bytes of FILETIME, a 16-byte GUID) that every reply in the conversation
 * keeps, then 5 bytes per reply.  The header identifies the conversation
 * when References and In-Reply-To are gone and the subject was edited. */
static char *conversation_of(const GPtrArray *headers)
{
	for (guint i = 0; headers && i < headers->len; i++) {
		const ks_header *h = headers->pdata[i];
		if (!h->name || !h->value || g_ascii_strcasecmp(h->name, "Thread-Index") != 0)
			continue;
		g_autofree char *v = g_strstrip(g_strdup(h->value));
		size_t n = strlen(v);
		if (n < 30 || n > 1024 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                                    "0123456789+/=") != n)
			return NULL;
		gsize len = 0;
		g_autofree guchar *raw = g_base64_decode(v, &len);
		if (!raw || len < 22 || (len - 22) % 5 != 0)
			return NULL;
		GString *hex = g_string_sized_new(44);
		for (int b = 0; b < 22; b++)
			g_string_append_printf(hex, "%02x", raw[b]);
		return g_string_free(hex, FALSE);
	}
	return NULL;
}

ks_thread_msg *ks_thread_msg_new(const ks_report *r, const char *source)
{
	ks_thread_msg *m = g_new0(ks_thread_msg, 1);
	m->source = g_strdup(source ? source : r->source_path);
	m->message_id = strip_angles(r->message_id);
	m->in_reply_to = strip_angles(r->in_reply_to);
	m->references = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; r->references && i < r->references->len; i++) {
		char *id = strip_angles(r->references->pdata[i]);
		if (id)
			g_ptr_array_add(m->references, id);
	}
	m->subject = g_strdup(r->subject);
	m->subject_key = ks_thread_subject_normalize(r->subject, &m->reply_prefix);
	m->date = r->date ? g_date_time_ref(r->date) : NULL;
	if (r->from && r->from->len) {
		const ks_address *a = r->from->pdata[0];
		party_set(&m->from, a->name, a->address);
	}
	if (r->reply_to && r->reply_to->len) {
		const ks_address *a = r->reply_to->pdata[0];
		party_set(&m->reply_to, a->name, a->address);
	}
	m->to = parties_of(r->to);
	m->cc = parties_of(r->cc);
	m->spf = g_strdup(r->auth.spf);
	m->dkim = g_strdup(r->auth.dkim);
	m->dmarc = g_strdup(r->auth.dmarc);
	m->attachments = g_ptr_array_new_with_free_func(g_free);
	ks_report_walk_attachments((ks_report *)r, collect_attachment, m->attachments);
	m->findings = g_ptr_array_new_with_free_func((GDestroyNotify)ks_finding_free);
	m->max_severity = -1;
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = r->findings->pdata[i];
		g_ptr_array_add(m->findings,
		                ks_thread_finding_new(f->rule, f->severity, f->title, f->evidence, f->location));
		m->max_severity = MAX(m->max_severity, (int)f->severity);
	}
	m->own_findings = m->findings->len;
	m->payment = ks_thread_payment_extract(r->body_text);
	m->quoted = ks_thread_quoted_extract(r->body_text, r->date);
	m->events = g_ptr_array_new_with_free_func((GDestroyNotify)ks_event_free);
	for (guint i = 0; r->timeline && i < r->timeline->len; i++) {
		const ks_event *e = r->timeline->pdata[i];
		/* the mail's own times are its row; what its parts know are events */
		if (!e->time || !e->source || strncmp(e->source, "part:", 5) != 0)
			continue;
		ks_event *c = g_new0(ks_event, 1);
		c->time = g_date_time_ref(e->time);
		c->event = g_strdup(e->event);
		c->source = g_strdup(e->source);
		g_ptr_array_add(m->events, c);
	}
	m->conversation = conversation_of(r->headers);
	m->changed = g_ptr_array_new_with_free_func(g_free);
	m->thread = -1;
	return m;
}

void ks_thread_msg_free(ks_thread_msg *m)
{
	if (!m)
		return;
	g_free(m->source);
	g_free(m->message_id);
	g_free(m->in_reply_to);
	g_ptr_array_unref(m->references);
	g_free(m->subject);
	g_free(m->subject_key);
	g_free(m->conversation);
	if (m->date)
		g_date_time_unref(m->date);
	party_clear(&m->from);
	party_clear(&m->reply_to);
	g_ptr_array_unref(m->to);
	g_ptr_array_unref(m->cc);
	g_free(m->spf);
	g_free(m->dkim);
	g_free(m->dmarc);
	g_ptr_array_unref(m->attachments);
	g_ptr_array_unref(m->findings);
	g_ptr_array_unref(m->payment);
	g_ptr_array_unref(m->quoted);
	g_ptr_array_unref(m->events);
	g_free(m->lookalike_of);
	g_ptr_array_unref(m->changed);
	g_free(m);
}

/* ---- the set ------------------------------------------------------------- */

static void thread_event_free(ks_thread_event *e)
{
	if (e) {
		if (e->time)
			g_date_time_unref(e->time);
		g_free(e->event);
		g_free(e->source);
		g_free(e);
	}
}

static void thread_free(ks_thread *t)
{
	if (!t)
		return;
	g_free(t->subject);
	g_ptr_array_unref(t->participants);
	g_ptr_array_unref(t->messages);
	g_ptr_array_unref(t->events);
	g_ptr_array_unref(t->findings);
	g_free(t);
}

ks_thread_set *ks_thread_set_new(void)
{
	ks_thread_set *s = g_new0(ks_thread_set, 1);
	s->messages = g_ptr_array_new_with_free_func((GDestroyNotify)ks_thread_msg_free);
	s->threads = g_ptr_array_new_with_free_func((GDestroyNotify)thread_free);
	return s;
}

void ks_thread_set_free(ks_thread_set *s)
{
	if (!s)
		return;
	g_ptr_array_unref(s->threads);
	g_ptr_array_unref(s->messages);
	g_free(s);
}

void ks_thread_set_add(ks_thread_set *s, ks_thread_msg *m)
{
	m->seq = (int)s->messages->len;
	g_ptr_array_add(s->messages, m);
}

void ks_thread_set_add_report(ks_thread_set *s, const ks_report *r, const char *source)
{
	ks_thread_set_add(s, ks_thread_msg_new(r, source));
}

const GPtrArray *ks_thread_set_threads(const ks_thread_set *s)
{
	return s->threads;
}

const GPtrArray *ks_thread_set_messages(const ks_thread_set *s)
{
	return s->messages;
}

ks_thread_set *ks_threads_from_reports(const GPtrArray *reports, const ks_context *ctx)
{
	ks_thread_set *s = ks_thread_set_new();
	for (guint i = 0; reports && i < reports->len; i++)
		ks_thread_set_add_report(s, reports->pdata[i], NULL);
	ks_thread_set_build(s, ctx);
	return s;
}

/* ---- grouping: union-find over messages and referenced ids ------------- */

typedef struct {
	GArray *parent; /* int */
} uf;

static int uf_add(uf *u)
{
	int n = (int)u->parent->len;
	g_array_append_val(u->parent, n);
	return n;
}

static int uf_find(uf *u, int x)
{
	int *p = (int *)u->parent->data;
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

static void uf_union(uf *u, int a, int b)
{
	a = uf_find(u, a);
	b = uf_find(u, b);
	if (a == b)
		return;
	/* the smaller index (earlier message) stays the root */
	int *p = (int *)u->parent->data;
	if (a < b)
		p[b] = a;
	else
		p[a] = b;
}

/* Effective times: a message without a parsable Date takes the one before it. */
static gint64 *effective_times(GPtrArray *msgs)
{
	gint64 *t = g_new0(gint64, msgs->len ? msgs->len : 1);
	gint64 last = 0;
	for (guint i = 0; i < msgs->len; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		if (m->date)
			last = g_date_time_to_unix(m->date);
		t[i] = last;
	}
	return t;
}

typedef struct {
	const gint64 *when; /* by seq */
} sort_ctx;

static gint by_time(gconstpointer a, gconstpointer b, gpointer user)
{
	const sort_ctx *c = user;
	const ks_thread_msg *x = *(ks_thread_msg *const *)a, *y = *(ks_thread_msg *const *)b;
	gint64 tx = c->when[x->seq], ty = c->when[y->seq];
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->seq - y->seq;
}

static bool reply_like(const ks_thread_msg *m)
{
	return m->reply_prefix || m->in_reply_to || m->references->len || m->quoted->len;
}

/* ---- building ---------------------------------------------------------- */

static void add_participant(ks_thread *t, GHashTable *seen, const ks_party *p)
{
	if (!p->address)
		return;
	ks_party *have = g_hash_table_lookup(seen, p->address);
	if (have) {
		if (!have->name && p->name)
			have->name = g_strdup(p->name);
		return;
	}
	ks_party *c = g_new0(ks_party, 1);
	c->name = g_strdup(p->name);
	c->address = g_strdup(p->address);
	c->domain = g_strdup(p->domain);
	g_ptr_array_add(t->participants, c);
	g_hash_table_insert(seen, c->address, c);
}

static gint event_by_time(gconstpointer a, gconstpointer b)
{
	const ks_thread_event *x = *(ks_thread_event *const *)a, *y = *(ks_thread_event *const *)b;
	return g_date_time_compare(x->time, y->time);
}

static void thread_finish(ks_thread *t, const ks_context *ctx)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint k = 0; k < t->messages->len; k++) {
		ks_thread_msg *m = t->messages->pdata[k];
		add_participant(t, seen, &m->from);
		if (m->reply_to.address)
			add_participant(t, seen, &m->reply_to);
		for (guint i = 0; i < m->to->len; i++)
			add_participant(t, seen, m->to->pdata[i]);
		for (guint i = 0; i < m->cc->len; i++)
			add_participant(t, seen, m->cc->pdata[i]);
		for (guint i = 0; i < m->events->len; i++) {
			const ks_event *e = m->events->pdata[i];
			ks_thread_event *te = g_new0(ks_thread_event, 1);
			te->time = g_date_time_ref(e->time);
			te->event = g_strdup(e->event);
			te->source = g_strdup(e->source);
			te->message = (int)k;
			g_ptr_array_add(t->events, te);
		}
	}
	g_hash_table_unref(seen);
	/* registrations of the parties' domains, from the case store */
	GHashTable *doms = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; ctx && ctx->registrations && i < t->participants->len; i++) {
		const ks_party *p = t->participants->pdata[i];
		if (!p->domain || !g_hash_table_add(doms, p->domain))
			continue;
		const ks_registration *reg = ks_context_registration(ctx, p->domain);
		if (!reg || !reg->registered)
			continue;
		ks_thread_event *te = g_new0(ks_thread_event, 1);
		te->time = g_date_time_ref(reg->registered);
		te->event = g_strdup_printf("domain %s registered%s%s%s", p->domain,
		                            reg->source ? " (" : "", reg->source ? reg->source : "",
		                            reg->source ? ")" : "");
		te->source = g_strdup("context:registration");
		te->message = -1;
		g_ptr_array_add(t->events, te);
	}
	g_hash_table_unref(doms);
	g_ptr_array_sort(t->events, event_by_time);
	ks_thread_msg *first = t->messages->pdata[0];
	t->subject = g_strdup(first->subject ? first->subject : "");
}

static int thread_rank(const ks_thread *t)
{
	int top = -1;
	for (guint i = 0; i < t->findings->len; i++)
		top = MAX(top, (int)((const ks_thread_finding *)t->findings->pdata[i])->finding->severity);
	return top;
}

static gint thread_order(gconstpointer a, gconstpointer b, gpointer user)
{
	const ks_thread *x = *(ks_thread *const *)a, *y = *(ks_thread *const *)b;
	const gint64 *when = user;
	int rx = thread_rank(x), ry = thread_rank(y);
	if (rx != ry)
		return ry - rx;
	if (x->messages->len != y->messages->len)
		return (int)y->messages->len - (int)x->messages->len;
	const ks_thread_msg *fx = x->messages->pdata[0], *fy = y->messages->pdata[0];
	if (when[fx->seq] != when[fy->seq])
		return when[fx->seq] < when[fy->seq] ? -1 : 1;
	return fx->seq - fy->seq;
}

void ks_thread_set_build(ks_thread_set *s, const ks_context *ctx)
{
	if (s->built)
		return;
	s->built = true;
	GPtrArray *msgs = s->messages;
	guint n = msgs->len;
	g_autofree gint64 *when = effective_times(msgs);
	uf u = {g_array_sized_new(FALSE, FALSE, sizeof(int), n * 2)};
	for (guint i = 0; i < n; i++)
		uf_add(&u);
	/* ids: Message-ID -> node; a referenced id not in the set gets a node too */
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		if (!m->message_id)
			continue;
		gpointer node;
		if (g_hash_table_lookup_extended(ids, m->message_id, NULL, &node))
			uf_union(&u, (int)i, GPOINTER_TO_INT(node));
		else
			g_hash_table_insert(ids, m->message_id, GINT_TO_POINTER(i));
	}
	/* linked: messages whose references reach a message of the set */
	GHashTable *linked = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		for (guint r = 0; r <= m->references->len; r++) {
			const char *id = r < m->references->len ? m->references->pdata[r] : m->in_reply_to;
			if (!id || (m->message_id && strcmp(id, m->message_id) == 0))
				continue;
			gpointer node;
			if (!g_hash_table_lookup_extended(ids, id, NULL, &node)) {
				node = GINT_TO_POINTER(uf_add(&u));
				g_hash_table_insert(ids, (gpointer)id, node);
			} else if (GPOINTER_TO_INT(node) < (int)n) {
				g_hash_table_add(linked, GINT_TO_POINTER(i));
			}
			uf_union(&u, (int)i, GPOINTER_TO_INT(node));
		}
	}
	/* Outlook's conversation (Thread-Index): the replies of one conversation,
	 * whatever their subject, refer to it as References would */
	GHashTable *convs = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		if (!m->conversation)
			continue;
		gpointer node;
		if (g_hash_table_lookup_extended(convs, m->conversation, NULL, &node)) {
			uf_union(&u, (int)i, GPOINTER_TO_INT(node));
			g_hash_table_add(linked, GINT_TO_POINTER(i));
		} else {
			g_hash_table_insert(convs, m->conversation, GINT_TO_POINTER(i));
		}
	}
	g_hash_table_unref(convs);
	/* subjects: a message that reaches nothing by reference joins the first
	 * message with its normalised subject when it looks like a reply (a
	 * prefix, a quote, a reference to something missing), and the messages
	 * whose subjects it quotes */
	g_autoptr(GPtrArray) order = g_ptr_array_copy(msgs, NULL, NULL);
	g_ptr_array_set_free_func(order, NULL); /* the copy keeps the free func */
	sort_ctx sc = {when};
	g_ptr_array_sort_with_data(order, by_time, &sc);
	GHashTable *bucket = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = order->pdata[i];
		if (!*m->subject_key)
			continue;
		gpointer root;
		bool has = g_hash_table_lookup_extended(bucket, m->subject_key, NULL, &root);
		if (!has)
			g_hash_table_insert(bucket, m->subject_key, GINT_TO_POINTER(m->seq));
		if (g_hash_table_contains(linked, GINT_TO_POINTER(m->seq)) || !reply_like(m))
			continue;
		if (has)
			uf_union(&u, m->seq, GPOINTER_TO_INT(root));
		for (guint q = 0; q < m->quoted->len; q++) {
			const ks_quoted_header *qh = m->quoted->pdata[q];
			if (!qh->subject)
				continue;
			g_autofree char *key = ks_thread_subject_normalize(qh->subject, NULL);
			if (*key && g_hash_table_lookup_extended(bucket, key, NULL, &root))
				uf_union(&u, m->seq, GPOINTER_TO_INT(root));
		}
	}
	g_hash_table_unref(bucket);
	/* threads, messages by time */
	GHashTable *by_root = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *threads = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = order->pdata[i];
		int root = uf_find(&u, m->seq);
		ks_thread *t = g_hash_table_lookup(by_root, GINT_TO_POINTER(root));
		if (!t) {
			t = g_new0(ks_thread, 1);
			t->participants = g_ptr_array_new_with_free_func((GDestroyNotify)ks_thread_party_free);
			t->messages = g_ptr_array_new();
			t->events = g_ptr_array_new_with_free_func((GDestroyNotify)thread_event_free);
			t->findings = g_ptr_array_new_with_free_func(g_free);
			t->first_lookalike = -1;
			g_hash_table_insert(by_root, GINT_TO_POINTER(root), t);
			g_ptr_array_add(threads, t);
		}
		g_ptr_array_add(t->messages, m);
	}
	for (guint i = 0; i < threads->len; i++) {
		ks_thread *t = threads->pdata[i];
		ks_thread_drift(t, when, linked);
		thread_finish(t, ctx);
	}
	g_ptr_array_sort_with_data(threads, thread_order, when);
	for (guint i = 0; i < threads->len; i++) {
		ks_thread *t = threads->pdata[i];
		for (guint k = 0; k < t->messages->len; k++)
			((ks_thread_msg *)t->messages->pdata[k])->thread = (int)i;
		g_ptr_array_add(s->threads, t);
	}
	g_ptr_array_unref(threads);
	g_hash_table_unref(by_root);
	g_hash_table_unref(linked);
	g_hash_table_unref(ids);
	g_array_unref(u.parent);
}

const char *ks_thread_field_label(const char *field)
{
	static const char *const labels[][2] = {
		{"from", N_("sender domain")}, {"reply_to", "Reply-To"},
		{"auth", N_("authentication")}, {"payment", N_("payment details")},
		{"cc", "Cc"},                  {"subject", N_("subject sender")},
		{"quote", N_("quoted history")},
	};
	/* the words are for a person, in the language of the messages */
	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
		if (strcmp(field, labels[i][0]) == 0)
			return _(labels[i][1]);
	return field;
}
