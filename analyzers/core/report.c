/* The report model: constructors, destructors and the setters analyzers use.
 * Every string that enters the report goes through the sanitizer here, so
 * readers never see raw attacker bytes.  Writers live in report_*.c. */
#include "core/report.h"

#include "core/digest.h"
#include "core/i18n.h"
#include "core/sanitize.h"

#include <string.h>

typedef struct {
	const char *id;
	ks_severity severity;
	const char *help;
} rule_row;

static const rule_row rule_table[KS_RULE_COUNT] = {
#define KS_RULE(e, id, sev, help) [KS_RULE_##e] = {id, KS_SEV_##sev, help},
#include "core/rules.def"
#undef KS_RULE
};

const char *ks_rule_id(ks_rule rule)
{
	return (unsigned)rule < KS_RULE_COUNT ? rule_table[rule].id : "unknown";
}

const char *ks_rule_help(ks_rule rule)
{
	return (unsigned)rule < KS_RULE_COUNT ? rule_table[rule].help : "";
}

const char *ks_rule_title(ks_rule rule)
{
	const char *help = ks_rule_help(rule);
	return *help ? _(help) : help;
}

ks_severity ks_rule_severity(ks_rule rule)
{
	return (unsigned)rule < KS_RULE_COUNT ? rule_table[rule].severity : KS_SEV_INFO;
}

int ks_rule_from_id(const char *id)
{
	for (int i = 0; id && i < KS_RULE_COUNT; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return i;
	return -1;
}

static const char *const severity_names[] = {N_("info"), N_("low"), N_("medium"), N_("high")};

const char *ks_severity_name(ks_severity sev)
{
	return (unsigned)sev <= KS_SEV_HIGH ? severity_names[sev] : "info";
}

const char *ks_severity_label(ks_severity sev)
{
	return _(ks_severity_name(sev));
}

bool ks_severity_parse(const char *name, ks_severity *out)
{
	for (int i = 0; name && i <= KS_SEV_HIGH; i++) {
		if (g_ascii_strcasecmp(name, severity_names[i]) == 0) {
			*out = (ks_severity)i;
			return true;
		}
	}
	return false;
}

static char *clean(const char *s)
{
	return s ? ks_sanitize(s, KS_SANITIZE_LINE, NULL) : NULL;
}

ks_address *ks_address_new(const char *name, const char *address)
{
	ks_address *a = g_new0(ks_address, 1);
	a->name = (name && *name) ? clean(name) : NULL;
	a->address = (address && *address) ? clean(address) : NULL;
	return a;
}

void ks_address_free(ks_address *a)
{
	if (!a)
		return;
	g_free(a->name);
	g_free(a->address);
	g_free(a);
}

static void header_free(ks_header *h)
{
	if (!h)
		return;
	g_free(h->name);
	g_free(h->value);
	g_free(h);
}

ks_hop *ks_hop_new(void)
{
	ks_hop *h = g_new0(ks_hop, 1);
	h->header_index = -1;
	return h;
}

void ks_hop_free(ks_hop *h)
{
	if (!h)
		return;
	g_free(h->from);
	g_free(h->by);
	g_free(h->ip);
	g_free(h->with);
	g_free(h->id);
	g_free(h->helo);
	g_free(h->rdns);
	g_free(h->tls);
	if (h->date)
		g_date_time_unref(h->date);
	g_free(h->raw);
	g_free(h);
}

const char *ks_hop_helo(const ks_hop *h)
{
	return h ? (h->helo ? h->helo : h->from) : NULL;
}

/* host without a final dot: the root label's dot is not part of the name */
static size_t host_len(const char *host)
{
	size_t n = strlen(host);
	return n && host[n - 1] == '.' ? n - 1 : n;
}

bool ks_hop_rdns_differs(const ks_hop *h)
{
	const char *helo = ks_hop_helo(h);
	if (!h || !h->rdns)
		return false;
	if (!helo)
		return true;
	size_t a = host_len(h->rdns), b = host_len(helo);
	return a != b || g_ascii_strncasecmp(h->rdns, helo, a) != 0;
}

ks_link *ks_link_new(const char *text, const char *href)
{
	return ks_link_new_at(text, href, NULL);
}

ks_link *ks_link_new_at(const char *text, const char *href, const char *location)
{
	ks_link *l = g_new0(ks_link, 1);
	l->text = text ? ks_sanitize(text, KS_SANITIZE_LINE, NULL) : g_strdup("");
	l->href = href ? ks_sanitize(href, KS_SANITIZE_LINE, NULL) : g_strdup("");
	l->location = location ? ks_sanitize(location, KS_SANITIZE_LINE, NULL) : NULL;
	return l;
}

const char *ks_link_location(const ks_link *l)
{
	return l && l->location ? l->location : "body";
}

void ks_link_free(ks_link *l)
{
	if (!l)
		return;
	g_free(l->text);
	g_free(l->href);
	g_free(l->location);
	g_free(l);
}

void ks_kv_free(ks_kv *kv)
{
	if (!kv)
		return;
	g_free(kv->key);
	g_free(kv->value);
	g_free(kv);
}

ks_attachment *ks_attachment_new(const char *path)
{
	ks_attachment *a = g_new0(ks_attachment, 1);
	a->path = g_strdup(path);
	a->children = g_ptr_array_new_with_free_func((GDestroyNotify)ks_attachment_free);
	a->metadata = g_ptr_array_new_with_free_func((GDestroyNotify)ks_kv_free);
	return a;
}

void ks_attachment_md5(const ks_attachment *a, char out[33])
{
	if (a->md5[0] || !a->data) {
		memcpy(out, a->md5, sizeof a->md5);
		return;
	}
	gsize len = 0;
	const void *p = g_bytes_get_data(a->data, &len);
	ks_digest_md5_hex(p, len, out);
}

void ks_attachment_free(ks_attachment *a)
{
	if (!a)
		return;
	g_free(a->path);
	g_free(a->filename);
	g_free(a->declared_type);
	g_free(a->detected_type);
	g_ptr_array_unref(a->children);
	g_ptr_array_unref(a->metadata);
	if (a->data)
		g_bytes_unref(a->data);
	ks_report_free(a->message);
	g_free(a);
}

void ks_attachment_add_meta(ks_attachment *a, const char *key, const char *value)
{
	if (!key || !value)
		return;
	ks_kv *kv = g_new0(ks_kv, 1);
	kv->key = g_strdup(key);
	kv->value = ks_sanitize(value, KS_SANITIZE_LINE, NULL);
	g_ptr_array_add(a->metadata, kv);
}

const char *ks_attachment_get_meta(const ks_attachment *a, const char *key)
{
	for (guint i = 0; i < a->metadata->len; i++) {
		ks_kv *kv = g_ptr_array_index(a->metadata, i);
		if (strcmp(kv->key, key) == 0)
			return kv->value;
	}
	return NULL;
}

static bool walk(GPtrArray *list, ks_attachment_visit_fn fn, void *user)
{
	for (guint i = 0; i < list->len; i++) {
		ks_attachment *a = g_ptr_array_index(list, i);
		if (!fn(a, user))
			return false;
		if (!walk(a->children, fn, user))
			return false;
	}
	return true;
}

void ks_report_walk_attachments(ks_report *r, ks_attachment_visit_fn fn, void *user)
{
	walk(r->attachments, fn, user);
}

void ks_finding_free(ks_finding *f)
{
	if (!f)
		return;
	g_free(f->title);
	g_free(f->evidence);
	g_free(f->location);
	g_free(f);
}

static void ioc_free(ks_ioc *i)
{
	if (!i)
		return;
	g_free(i->value);
	g_free(i);
}

void ks_event_free(ks_event *e)
{
	if (!e)
		return;
	if (e->time)
		g_date_time_unref(e->time);
	g_free(e->event);
	g_free(e->source);
	g_free(e);
}

static GPtrArray *address_list(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)ks_address_free);
}

ks_report *ks_report_new(void)
{
	ks_report *r = g_new0(ks_report, 1);
	r->references = g_ptr_array_new_with_free_func(g_free);
	r->from = address_list();
	r->sender = address_list();
	r->reply_to = address_list();
	r->to = address_list();
	r->cc = address_list();
	r->headers = g_ptr_array_new_with_free_func((GDestroyNotify)header_free);
	r->auth.dkim_domains = g_ptr_array_new_with_free_func(g_free);
	r->auth.ignored = g_ptr_array_new_with_free_func(g_free);
	r->hops = g_ptr_array_new_with_free_func((GDestroyNotify)ks_hop_free);
	r->list.addresses = g_ptr_array_new_with_free_func(g_free);
	r->list.arc_signers = g_ptr_array_new_with_free_func(g_free);
	r->links = g_ptr_array_new_with_free_func((GDestroyNotify)ks_link_free);
	r->body_logo_alts = g_ptr_array_new_with_free_func(g_free);
	r->attachments = g_ptr_array_new_with_free_func((GDestroyNotify)ks_attachment_free);
	r->findings = g_ptr_array_new_with_free_func((GDestroyNotify)ks_finding_free);
	r->iocs = g_ptr_array_new_with_free_func((GDestroyNotify)ioc_free);
	r->timeline = g_ptr_array_new_with_free_func((GDestroyNotify)ks_event_free);
	r->assessment.reasons = g_ptr_array_new_with_free_func(g_free);
	r->ioc_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return r;
}

void ks_report_free(ks_report *r)
{
	if (!r)
		return;
	g_free(r->source_path);
	g_free(r->format);
	g_free(r->subject);
	if (r->date)
		g_date_time_unref(r->date);
	g_free(r->date_raw);
	g_free(r->message_id);
	g_free(r->in_reply_to);
	g_ptr_array_unref(r->references);
	g_ptr_array_unref(r->from);
	g_ptr_array_unref(r->sender);
	g_ptr_array_unref(r->reply_to);
	g_ptr_array_unref(r->to);
	g_ptr_array_unref(r->cc);
	g_free(r->return_path);
	g_ptr_array_unref(r->headers);
	g_free(r->auth.spf);
	g_free(r->auth.dkim);
	g_free(r->auth.dmarc);
	g_free(r->auth.authserv_id);
	g_free(r->auth.received_spf);
	g_free(r->auth.arc);
	g_ptr_array_unref(r->auth.dkim_domains);
	g_ptr_array_unref(r->auth.ignored);
	g_ptr_array_unref(r->hops);
	g_free(r->bulk_service);
	g_free(r->list.id);
	g_free(r->list.name);
	g_ptr_array_unref(r->list.addresses);
	g_ptr_array_unref(r->list.arc_signers);
	g_free(r->body_text);
	g_ptr_array_unref(r->links);
	g_free(r->body_title);
	g_ptr_array_unref(r->body_logo_alts);
	g_ptr_array_unref(r->attachments);
	g_ptr_array_unref(r->findings);
	g_ptr_array_unref(r->iocs);
	g_ptr_array_unref(r->timeline);
	g_free(r->assessment.label);
	g_ptr_array_unref(r->assessment.reasons);
	g_hash_table_unref(r->ioc_seen);
	g_free(r);
}

static ks_finding *add_finding_v(ks_report *r, ks_rule rule, ks_severity sev, const char *location,
                                 const char *fmt, va_list ap)
{
	ks_finding *f = g_new0(ks_finding, 1);
	f->rule = rule;
	f->severity = sev;
	f->title = g_strdup(ks_rule_help(rule));
	if (fmt) {
		g_autofree char *ev = g_strdup_vprintf(fmt, ap);
		f->evidence = ks_sanitize(ev, KS_SANITIZE_LINE, NULL);
	} else {
		f->evidence = g_strdup("");
	}
	f->location = g_strdup(location ? location : "message");
	g_ptr_array_add(r->findings, f);
	return f;
}

ks_finding *ks_report_add_finding(ks_report *r, ks_rule rule, const char *location,
                                  const char *evidence_fmt, ...)
{
	va_list ap;
	va_start(ap, evidence_fmt);
	ks_finding *f = add_finding_v(r, rule, ks_rule_severity(rule), location, evidence_fmt, ap);
	va_end(ap);
	return f;
}

ks_finding *ks_report_add_finding_sev(ks_report *r, ks_rule rule, ks_severity sev,
                                      const char *location, const char *evidence_fmt, ...)
{
	va_list ap;
	va_start(ap, evidence_fmt);
	ks_finding *f = add_finding_v(r, rule, sev, location, evidence_fmt, ap);
	va_end(ap);
	return f;
}

bool ks_report_has_finding(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++)
		if (((ks_finding *)g_ptr_array_index(r->findings, i))->rule == rule)
			return true;
	return false;
}

bool ks_report_max_severity(const ks_report *r, ks_severity *out)
{
	bool any = false;
	ks_severity max = KS_SEV_INFO;
	for (guint i = 0; i < r->findings->len; i++) {
		ks_finding *f = g_ptr_array_index(r->findings, i);
		if (!any || f->severity > max)
			max = f->severity;
		any = true;
	}
	if (any && out)
		*out = max;
	return any;
}

static const char *const ioc_kind_names[] = {"domain",   "ip",           "url",
                                             "email",    "sha256",       "filename",
                                             "bank_account", "iban",     "phone"};
G_STATIC_ASSERT(G_N_ELEMENTS(ioc_kind_names) == KS_IOC_KIND_COUNT);

const char *ks_ioc_kind_name(ks_ioc_kind kind)
{
	return (unsigned)kind < KS_IOC_KIND_COUNT ? ioc_kind_names[kind] : "domain";
}

static const char *const ioc_role_names[] = {"attacker", "victim", "internal", "benign"};
G_STATIC_ASSERT(G_N_ELEMENTS(ioc_role_names) == KS_IOC_ROLE_COUNT);

const char *ks_ioc_role_name(ks_ioc_role role)
{
	return (unsigned)role < KS_IOC_ROLE_COUNT ? ioc_role_names[role] : "attacker";
}

const char *ks_ioc_role_label(ks_ioc_role role)
{
	switch (role) {
	case KS_IOC_ROLE_VICTIM: return C_("ioc role", "victim");
	case KS_IOC_ROLE_INTERNAL: return C_("ioc role", "internal");
	case KS_IOC_ROLE_BENIGN: return C_("ioc role", "benign");
	default: return C_("ioc role", "attacker");
	}
}

bool ks_ioc_role_parse(const char *name, ks_ioc_role *out)
{
	for (unsigned k = 0; name && k < G_N_ELEMENTS(ioc_role_names); k++)
		if (strcmp(name, ioc_role_names[k]) == 0) {
			*out = (ks_ioc_role)k;
			return true;
		}
	return false;
}

bool ks_ioc_kind_parse(const char *name, ks_ioc_kind *out)
{
	for (unsigned k = 0; name && k < G_N_ELEMENTS(ioc_kind_names); k++)
		if (strcmp(name, ioc_kind_names[k]) == 0) {
			*out = (ks_ioc_kind)k;
			return true;
		}
	return false;
}

char *ks_report_line(const char *s)
{
	return s ? ks_sanitize(s, KS_SANITIZE_LINE, NULL) : NULL;
}

void ks_report_set_line(char **field, const char *s)
{
	char *v = ks_report_line(s);
	g_free(*field);
	*field = v;
}

void ks_report_add_header(ks_report *r, const char *name, const char *value)
{
	ks_header *h = g_new0(ks_header, 1);
	h->name = ks_sanitize(name ? name : "", KS_SANITIZE_LINE, NULL);
	h->value = ks_sanitize(value ? value : "", KS_SANITIZE_LINE, NULL);
	g_ptr_array_add(r->headers, h);
}

ks_ioc *ks_report_add_ioc(ks_report *r, ks_ioc_kind kind, const char *value)
{
	if (!value || !*value)
		return NULL;
	/* sanitized, then lower-cased: the escapes a control becomes ("\x1A")
	 * are lowered too, so adding a stored value again gives the same */
	g_autofree char *v = ks_sanitize(value, KS_SANITIZE_LINE, NULL);
	char *clean_v = kind == KS_IOC_DOMAIN || kind == KS_IOC_EMAIL || kind == KS_IOC_SHA256
	                        ? ks_utf8_down(v)
	                        : g_strdup(v);
	/* "kind\x1fvalue", the kind as one byte (made for every IOC offered) */
	size_t n = strlen(clean_v);
	char *key = g_malloc(n + 3);
	key[0] = (char)('A' + (int)kind);
	key[1] = '\x1f';
	memcpy(key + 2, clean_v, n + 1);
	if (g_hash_table_contains(r->ioc_seen, key)) {
		g_free(key);
		g_free(clean_v);
		return NULL;
	}
	g_hash_table_add(r->ioc_seen, key);
	ks_ioc *i = g_new0(ks_ioc, 1);
	i->kind = kind;
	i->value = clean_v;
	g_ptr_array_add(r->iocs, i);
	return i;
}

void ks_report_add_event(ks_report *r, GDateTime *time, const char *event, const char *source)
{
	if (!time)
		return;
	ks_event *e = g_new0(ks_event, 1);
	e->time = g_date_time_ref(time);
	e->event = ks_sanitize(event ? event : "", KS_SANITIZE_LINE, NULL);
	e->source = ks_sanitize(source ? source : "", KS_SANITIZE_LINE, NULL);
	g_ptr_array_add(r->timeline, e);
}

static gint event_cmp(gconstpointer a, gconstpointer b)
{
	const ks_event *x = *(ks_event *const *)a;
	const ks_event *y = *(ks_event *const *)b;
	return g_date_time_compare(x->time, y->time);
}

void ks_report_sort_timeline(ks_report *r)
{
	/* g_ptr_array_sort is a stable merge sort in GLib >= 2.32 */
	g_ptr_array_sort(r->timeline, event_cmp);
}

char *ks_time_format(GDateTime *t)
{
	if (!t)
		return NULL;
	GTimeSpan off = g_date_time_get_utc_offset(t) / G_TIME_SPAN_SECOND;
	/* the year in four digits: GLib writes year 817 as "817", which RFC 3339
	 * (and the reader of the stored report) does not take */
	int y, mo, d;
	g_date_time_get_ymd(t, &y, &mo, &d);
	g_autofree char *base =
		g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, g_date_time_get_hour(t),
		                g_date_time_get_minute(t), g_date_time_get_second(t));
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	return g_strdup_printf("%s%c%02d:%02d", base, sign, (int)(off / 3600), (int)(off % 3600 / 60));
}
