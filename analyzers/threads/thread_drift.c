/* Threads: the drift rules, run over one thread's messages in time order
 * (thread_private.h ks_thread_drift): sender and Cc domains that imitate
 * earlier participants, a Reply-To that appears, authentication that
 * regressed, payment details that changed, a subject taken over, quoted
 * messages that are not in the thread.  Each adds a finding to its message
 * and to the thread. */
#include "threads/thread_private.h"

#include "checks/auth.h"
#include "core/domains.h"
#include "checks/identity.h"
#include "checks/lookalike.h"

#include <stdarg.h>
#include <string.h>

/* ---- drift ------------------------------------------------------------- */

typedef struct {
	ks_thread *t;
	GHashTable *domains;    /* domain -> GINT(first message index + 1), genuine or not */
	GPtrArray *genuine;     /* char*: domains not judged lookalikes, in order (borrowed) */
	GHashTable *lookalike;  /* domain -> char* "target\x1ftechnique" ("" = none) */
	GHashTable *addresses;  /* address -> GINT(message index + 1) */
	GHashTable *from_domains; /* domains that sent a message */
	GHashTable *last;       /* identity key -> GINT(message index + 1) */
	GHashTable *last_auth;  /* the same, of messages that carry authentication results */
	GArray *offsets;        /* gint32: the distinct UTC offsets of the messages' Dates */
	GHashTable *paid;       /* "kind\x1fvalue" -> GINT(message index + 1) */
	GPtrArray *pay_by_kind[4]; /* ks_pay_token* borrowed, first seen order */
	GArray *pay_msg[4];        /* int: message index of each */
} drift;

static void mark_changed(ks_thread_msg *m, const char *field)
{
	for (guint i = 0; i < m->changed->len; i++)
		if (strcmp(m->changed->pdata[i], field) == 0)
			return;
	g_ptr_array_add(m->changed, g_strdup(field));
}

static void add_drift(drift *d, int k, ks_rule rule, const char *location, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);
static void add_drift(drift *d, int k, ks_rule rule, const char *location, const char *fmt, ...)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *ev = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	ks_finding *f = ks_thread_finding_new(rule, ks_rule_severity(rule), NULL, ev, location);
	g_ptr_array_add(m->findings, f);
	m->max_severity = MAX(m->max_severity, (int)f->severity);
	ks_thread_finding *tf = g_new0(ks_thread_finding, 1);
	tf->finding = f;
	tf->message = k;
	g_ptr_array_add(d->t->findings, tf);
}

/* The genuine domain that domain imitates (with *technique), or NULL.
 * Judged once, when the domain first appears in the thread. */
static const char *lookalike_target(drift *d, const char *domain, const char **technique)
{
	*technique = NULL;
	if (!domain)
		return NULL;
	const char *v = g_hash_table_lookup(d->lookalike, domain);
	if (!v) {
		char *found = NULL;
		/* outlook.jp beside outlook.com, yahoo.com beside yahoo.co.jp: a
		 * provider's own domains, where anyone has a mailbox, are no
		 * registration that imitates a party */
		bool provider = ks_identity_is_freemail(domain);
		for (guint i = 0; i < d->genuine->len && !found && !provider; i++) {
			char *tech = NULL;
			if (ks_lookalike_match(domain, d->genuine->pdata[i], &tech))
				found = g_strdup_printf("%s\x1f%s", (const char *)d->genuine->pdata[i],
				                        tech ? tech : "");
			g_free(tech);
		}
		v = found ? found : g_strdup("");
		g_hash_table_insert(d->lookalike, g_strdup(domain), (gpointer)v);
	}
	if (!*v)
		return NULL;
	const char *sep = strchr(v, '\x1f');
	*technique = sep + 1;
	return v; /* "target\x1f..." : callers print with %.*s */
}

static int target_len(const char *v)
{
	return (int)(strchr(v, '\x1f') - v);
}

static void see_domain(drift *d, const char *domain, int k)
{
	if (!domain || g_hash_table_contains(d->domains, domain))
		return;
	const char *tech;
	const char *target = d->genuine->len ? lookalike_target(d, domain, &tech) : NULL;
	g_hash_table_insert(d->domains, g_strdup(domain), GINT_TO_POINTER(k + 1));
	if (!target) {
		g_hash_table_insert(d->lookalike, g_strdup(domain), g_strdup(""));
		g_ptr_array_add(d->genuine, (gpointer)domain); /* the message's string */
	}
}

static void see_party(drift *d, const ks_party *p, int k)
{
	if (p->address && !g_hash_table_contains(d->addresses, p->address))
		g_hash_table_insert(d->addresses, g_strdup(p->address), GINT_TO_POINTER(k + 1));
	see_domain(d, p->domain, k);
}

/* Who a sender is across a lookalike swap: the genuine domain it imitates,
 * else its own domain, else its address. */
static const char *identity_of(drift *d, const ks_thread_msg *m)
{
	if (m->lookalike_of)
		return m->lookalike_of;
	return m->from.domain ? m->from.domain : m->from.address;
}

static void rule_sender(drift *d, int k)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	const char *dom = m->from.domain;
	if (!dom || k == 0)
		return;
	const char *tech = NULL;
	const char *target = NULL;
	if (!g_hash_table_contains(d->domains, dom)) {
		target = lookalike_target(d, dom, &tech);
	} else {
		const char *v = g_hash_table_lookup(d->lookalike, dom);
		if (v && *v) {
			target = v;
			tech = strchr(v, '\x1f') + 1;
		}
	}
	if (!target)
		return;
	m->lookalike_of = g_strndup(target, target_len(target));
	if (d->t->first_lookalike < 0)
		d->t->first_lookalike = k;
	if (g_hash_table_contains(d->from_domains, dom))
		return;
	int first = GPOINTER_TO_INT(g_hash_table_lookup(d->domains, m->lookalike_of));
	mark_changed(m, "from");
	add_drift(d, k, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED, "header:From",
	          "%s writes from %s, a lookalike of %s (%s), the domain of message %d",
	          m->from.address, dom, m->lookalike_of, tech && *tech ? tech : "lookalike", first);
}

static void rule_cc(drift *d, int k)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	if (k == 0)
		return;
	GString *ev = g_string_new(NULL);
	bool in_cc = false;
	GPtrArray *lists[] = {m->to, m->cc};
	for (int l = 0; l < 2; l++) {
		for (guint i = 0; i < lists[l]->len; i++) {
			const ks_party *p = lists[l]->pdata[i];
			if (!p->address || !p->domain || g_hash_table_contains(d->addresses, p->address))
				continue;
			const char *tech = NULL;
			const char *target = NULL;
			if (!g_hash_table_contains(d->domains, p->domain)) {
				target = lookalike_target(d, p->domain, &tech);
			} else {
				const char *v = g_hash_table_lookup(d->lookalike, p->domain);
				if (v && *v) {
					target = v;
					tech = strchr(v, '\x1f') + 1;
				}
			}
			if (!target)
				continue;
			g_autofree char *local = ks_local_part(p->address);
			g_autofree char *real = g_strdup_printf("%s@%.*s", local ? local : "",
			                                        target_len(target), target);
			if (ev->len)
				g_string_append(ev, "; ");
			if (g_hash_table_contains(d->addresses, real))
				g_string_append_printf(ev, "%s %s replaces %s (%s)", l ? "Cc" : "To",
				                       p->address, real, tech);
			else
				g_string_append_printf(ev, "%s %s: %s imitates %.*s (%s)", l ? "Cc" : "To",
				                       p->address, p->domain, target_len(target), target,
				                       tech);
			in_cc |= l == 1;
		}
	}
	if (ev->len) {
		mark_changed(m, "cc");
		add_drift(d, k, KS_RULE_THREAD_CC_LOOKALIKE, in_cc ? "header:Cc" : "header:To", "%s",
		          ev->str);
	}
	g_string_free(ev, TRUE);
}

static void rule_reply_to(drift *d, int k, int prev)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	const char *now = m->reply_to.address;
	if (now && m->from.address && strcmp(now, m->from.address) == 0)
		now = NULL;
	if (!now)
		return;
	if (prev < 0) {
		/* the sender's first message: a Reply-To is drift only when its
		 * domain imitates one of the thread's */
		const char *tech = NULL;
		const char *dom = m->reply_to.domain;
		const char *target = NULL;
		if (dom && !g_hash_table_contains(d->domains, dom)) {
			target = d->genuine->len ? lookalike_target(d, dom, &tech) : NULL;
		} else if (dom) {
			const char *v = g_hash_table_lookup(d->lookalike, dom);
			if (v && *v) {
				target = v;
				tech = strchr(v, '\x1f') + 1;
			}
		}
		if (!target)
			return;
		mark_changed(m, "reply_to");
		add_drift(d, k, KS_RULE_THREAD_REPLY_TO_CHANGED, "header:Reply-To",
		          "Reply-To %s appears on %s, a lookalike of %.*s (%s), in the first message "
		          "from %s in the thread",
		          now, dom, target_len(target), target, tech && *tech ? tech : "lookalike",
		          m->from.address ? m->from.address : "this sender");
		return;
	}
	ks_thread_msg *p = d->t->messages->pdata[prev];
	const char *before = p->reply_to.address;
	if (before && p->from.address && strcmp(before, p->from.address) == 0)
		before = NULL;
	if (before && strcmp(before, now) == 0)
		return;
	mark_changed(m, "reply_to");
	if (before)
		add_drift(d, k, KS_RULE_THREAD_REPLY_TO_CHANGED, "header:Reply-To",
		          "Reply-To changes from %s (message %d) to %s", before, prev + 1, now);
	else
		add_drift(d, k, KS_RULE_THREAD_REPLY_TO_CHANGED, "header:Reply-To",
		          "Reply-To %s appears: message %d from the same sender (%s) had none", now,
		          prev + 1, p->from.address ? p->from.address : "?");
}

static bool judged(const ks_thread_msg *m)
{
	return m->spf || m->dkim || m->dmarc;
}

static bool passes(const char *r)
{
	return ks_auth_verdict_of(r) == KS_AUTH_PASS;
}

static void rule_auth(drift *d, int k, int prev)
{
	if (prev < 0)
		return;
	ks_thread_msg *m = d->t->messages->pdata[k], *p = d->t->messages->pdata[prev];
	/* no Authentication-Results at all: the receiver never judged it (the
	 * owner's Sent Items, internal mail); nothing regressed */
	if (!judged(m))
		return;
	const char *names[] = {"SPF", "DKIM", "DMARC"};
	const char *was[] = {p->spf, p->dkim, p->dmarc};
	const char *now[] = {m->spf, m->dkim, m->dmarc};
	GString *ev = g_string_new(NULL);
	for (int i = 0; i < 3; i++)
		if (passes(was[i]) && !passes(now[i]))
			g_string_append_printf(ev, "%s%s pass → %s", ev->len ? ", " : "", names[i],
			                       now[i] ? now[i] : "absent");
	if (ev->len) {
		mark_changed(m, "auth");
		add_drift(d, k, KS_RULE_THREAD_AUTH_REGRESSED, "header:Authentication-Results",
		          "%s (message %d from %s passed)", ev->str, prev + 1,
		          p->from.address ? p->from.address : "the same sender");
	}
	g_string_free(ev, TRUE);
}

static void rule_payment(drift *d, int k)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	GString *ev = g_string_new(NULL);
	for (guint i = 0; i < m->payment->len; i++) {
		const ks_pay_token *tok = m->payment->pdata[i];
		GPtrArray *earlier = d->pay_by_kind[tok->kind];
		bool seen = false;
		for (guint j = 0; j < earlier->len && !seen; j++)
			seen = strcmp(((ks_pay_token *)earlier->pdata[j])->value, tok->value) == 0;
		if (seen || !earlier->len)
			continue;
		const ks_pay_token *old = earlier->pdata[0];
		int at = g_array_index(d->pay_msg[tok->kind], int, 0);
		g_string_append_printf(ev, "%s%s %s (earlier %s in message %d)", ev->len ? "; " : "",
		                       ks_thread_pay_kind_name(tok->kind), tok->value, old->value, at + 1);
	}
	if (ev->len) {
		mark_changed(m, "payment");
		add_drift(d, k, KS_RULE_THREAD_PAYMENT_DETAILS_CHANGED, "body", "%s", ev->str);
	}
	g_string_free(ev, TRUE);
	for (guint i = 0; i < m->payment->len; i++) {
		ks_pay_token *tok = m->payment->pdata[i];
		GPtrArray *earlier = d->pay_by_kind[tok->kind];
		bool seen = false;
		for (guint j = 0; j < earlier->len && !seen; j++)
			seen = strcmp(((ks_pay_token *)earlier->pdata[j])->value, tok->value) == 0;
		if (!seen) {
			g_ptr_array_add(earlier, tok);
			int kk = k;
			g_array_append_val(d->pay_msg[tok->kind], kk);
		}
	}
}

static void rule_subject(drift *d, int k, bool linked)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	ks_thread_msg *first = d->t->messages->pdata[0];
	if (k == 0 || linked || m->lookalike_of || !m->from.address || !m->from.domain)
		return;
	if (g_hash_table_contains(d->addresses, m->from.address) ||
	    g_hash_table_contains(d->domains, m->from.domain))
		return;
	if (!*m->subject_key || strcmp(m->subject_key, first->subject_key) != 0)
		return;
	mark_changed(m, "subject");
	add_drift(d, k, KS_RULE_THREAD_SUBJECT_HIJACKED, "header:Subject",
	          "%s (%s), new to the thread, writes under its subject without referring to "
	          "any of its messages",
	          m->from.address, m->from.domain);
}

/* A name without its blanks; "" when too long to compare. */
static void name_key(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c == ',' || c == '"')
			continue;
		size_t l = (size_t)(g_utf8_next_char(p) - p);
		if (n + l >= size) {
			n = 0;
			break;
		}
		memcpy(out + n, p, l);
		n += l;
	}
	out[n] = '\0';
}

/* Outlook quotes a directory user by the name alone ("差出人: 小川 誠"),
 * which may be shorter than the From header's ("経理課 小川 誠"): the same
 * name, blanks ignored, or one holding the other (two characters at least). */
static bool names_match(const char *a, const char *b)
{
	char x[256], y[256];
	name_key(a, x, sizeof x);
	name_key(b, y, sizeof y);
	if (!*x || !*y)
		return false;
	if (strcmp(x, y) == 0)
		return true;
	const char *shortn = strlen(x) < strlen(y) ? x : y, *longn = shortn == x ? y : x;
	return g_utf8_strlen(shortn, -1) >= 2 && strstr(longn, shortn) != NULL;
}

/* A quoted time written without an offset was read in the quoting mail's
 * zone; a nested quote carries the time of whoever wrote that level, in
 * their zone.  So a time read in the quoting mail's own offset also matches
 * when read in the offset of any message of the thread. */
static bool quote_time_matches(const drift *d, const ks_thread_msg *quoting,
                               const ks_quoted_header *q, gint64 sent)
{
	gint64 dt = g_date_time_to_unix(q->time) - sent;
	if (dt <= QUOTE_SLACK && dt >= -QUOTE_SLACK)
		return true;
	gint32 qoff = (gint32)(g_date_time_get_utc_offset(q->time) / G_TIME_SPAN_SECOND);
	if (!quoting->date ||
	    qoff != (gint32)(g_date_time_get_utc_offset(quoting->date) / G_TIME_SPAN_SECOND))
		return false;
	for (guint i = 0; d->offsets && i < d->offsets->len; i++) {
		gint64 shifted = dt + qoff - g_array_index(d->offsets, gint32, i);
		if (shifted <= QUOTE_SLACK && shifted >= -QUOTE_SLACK)
			return true;
	}
	return false;
}

static bool quote_found(const drift *d, int k, const ks_quoted_header *q, const gint64 *when)
{
	const ks_thread *t = d->t;
	const ks_thread_msg *m = t->messages->pdata[k];
	for (guint i = 0; i < t->messages->len; i++) {
		const ks_thread_msg *o = t->messages->pdata[i];
		if ((int)i == k)
			continue;
		bool who = q->from ? (o->from.address && strcmp(o->from.address, q->from) == 0)
		                   : (o->from.name && q->from_name && names_match(o->from.name, q->from_name));
		if (!who)
			continue;
		if (!q->time || !o->date)
			return true;
		if (quote_time_matches(d, m, q, when[o->seq]))
			return true;
	}
	return false;
}

/* True when the message quotes one of the thread's messages: it refers to
 * the thread even when its client wrote no References. */
static bool quotes_thread(const drift *d, int k, const gint64 *when)
{
	const ks_thread_msg *m = d->t->messages->pdata[k];
	for (guint i = 0; i < m->quoted->len; i++)
		if (quote_found(d, k, m->quoted->pdata[i], when))
			return true;
	return false;
}

static void rule_quotes(drift *d, int k, const gint64 *when)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	/* a reply's quote: bounces and notifications quote what they like */
	if (d->t->messages->len < 2 ||
	    !(m->reply_prefix || m->in_reply_to || m->references->len))
		return;
	GString *ev = g_string_new(NULL);
	int n = 0;
	for (guint i = 0; i < m->quoted->len; i++) {
		const ks_quoted_header *q = m->quoted->pdata[i];
		if (quote_found(d, k, q, when))
			continue;
		if (n++ < 4) {
			g_autofree char *t = q->time ? ks_time_format(q->time) : NULL;
			g_string_append_printf(ev, "%sa mail from %s%s%s", ev->len ? "; " : "",
			                       q->from ? q->from : q->from_name, t ? " sent " : "",
			                       t ? t : "");
		}
	}
	if (n) {
		mark_changed(m, "quote");
		add_drift(d, k, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE, "body",
		          "quotes %s, not in the thread%s", ev->str, n > 4 ? " (and more)" : "");
	}
	g_string_free(ev, TRUE);
}

void ks_thread_drift(ks_thread *t, const gint64 *when, const GHashTable *linked)
{
	drift d = {0};
	d.t = t;
	d.domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d.genuine = g_ptr_array_new();
	d.lookalike = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d.addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d.from_domains = g_hash_table_new(g_str_hash, g_str_equal);
	d.last = g_hash_table_new(g_str_hash, g_str_equal);
	d.last_auth = g_hash_table_new(g_str_hash, g_str_equal);
	d.offsets = g_array_new(FALSE, FALSE, sizeof(gint32));
	for (guint k = 0; k < t->messages->len; k++) {
		const ks_thread_msg *m = t->messages->pdata[k];
		if (!m->date)
			continue;
		gint32 off = (gint32)(g_date_time_get_utc_offset(m->date) / G_TIME_SPAN_SECOND);
		bool have = false;
		for (guint i = 0; i < d.offsets->len && !have; i++)
			have = g_array_index(d.offsets, gint32, i) == off;
		if (!have && d.offsets->len < 16)
			g_array_append_val(d.offsets, off);
	}
	for (int i = 0; i < 4; i++) {
		d.pay_by_kind[i] = g_ptr_array_new();
		d.pay_msg[i] = g_array_new(FALSE, FALSE, sizeof(int));
	}
	for (guint k = 0; k < t->messages->len; k++) {
		ks_thread_msg *m = t->messages->pdata[k];
		rule_sender(&d, (int)k);
		rule_cc(&d, (int)k);
		const char *who = identity_of(&d, m);
		int prev = who ? GPOINTER_TO_INT(g_hash_table_lookup(d.last, who)) - 1 : -1;
		int prev_auth = who ? GPOINTER_TO_INT(g_hash_table_lookup(d.last_auth, who)) - 1 : -1;
		rule_reply_to(&d, (int)k, prev);
		rule_auth(&d, (int)k, prev_auth);
		rule_payment(&d, (int)k);
		rule_subject(&d, (int)k,
		             g_hash_table_contains((GHashTable *)linked, GINT_TO_POINTER(m->seq)) ||
		                 quotes_thread(&d, (int)k, when));
		rule_quotes(&d, (int)k, when);
		/* then what this message adds to what the thread knows */
		see_party(&d, &m->from, (int)k);
		if (m->reply_to.address)
			see_party(&d, &m->reply_to, (int)k);
		for (guint i = 0; i < m->to->len; i++)
			see_party(&d, m->to->pdata[i], (int)k);
		for (guint i = 0; i < m->cc->len; i++)
			see_party(&d, m->cc->pdata[i], (int)k);
		if (m->from.domain)
			g_hash_table_add(d.from_domains, m->from.domain);
		if (who)
			g_hash_table_insert(d.last, (gpointer)who, GINT_TO_POINTER(k + 1));
		if (who && judged(m))
			g_hash_table_insert(d.last_auth, (gpointer)who, GINT_TO_POINTER(k + 1));
	}
	/* identity keys and from_domains borrow the messages' strings */
	g_hash_table_unref(d.last);
	g_hash_table_unref(d.last_auth);
	g_array_unref(d.offsets);
	g_hash_table_unref(d.from_domains);
	g_hash_table_unref(d.addresses);
	g_hash_table_unref(d.lookalike);
	g_ptr_array_unref(d.genuine);
	g_hash_table_unref(d.domains);
	for (int i = 0; i < 4; i++) {
		g_ptr_array_unref(d.pay_by_kind[i]);
		g_array_unref(d.pay_msg[i]);
	}
}
