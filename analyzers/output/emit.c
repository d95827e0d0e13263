/* The walk from a ks_report to an emitter, in SPEC.md's key order.  Every key
 * is always emitted (null when absent) so consumers never test for presence,
 * except the routing pane's extras (auth.received_spf, auth.arc, hops[].helo,
 * hops[].rdns, hops[].tls), written only when set.
 * Keys beyond SPEC.md (auth.authserv_id, auth.ignored, those extras,
 * hops[].raw, hops[].parsed, routing, attachments[].message, iocs[].role,
 * assessment.reasons) come
 * after the contract's keys of the same object, as SPEC.md allows.
 * What the bytes look like is the back end's business (report_json.c). */
#include "output/emit.h"

static void str(ks_emitter *e, const char *key, const char *value)
{
	e->key(e, key);
	e->string(e, value);
}

/* A key only when it has a value. */
static void str_if(ks_emitter *e, const char *key, const char *value)
{
	if (value)
		str(e, key, value);
}

static void num(ks_emitter *e, const char *key, int64_t value)
{
	e->key(e, key);
	e->integer(e, value);
}

/* Hex digests are stored as fixed buffers; "" means not computed. */
static void digest(ks_emitter *e, const char *key, const char *hex)
{
	str(e, key, hex[0] ? hex : NULL);
}

static void time_value(ks_emitter *e, const char *key, GDateTime *t)
{
	g_autofree char *s = ks_time_format(t);
	str(e, key, s);
}

static void string_list(ks_emitter *e, const char *key, const GPtrArray *list)
{
	e->key(e, key);
	e->begin_list(e);
	for (guint i = 0; list && i < list->len; i++)
		e->string(e, g_ptr_array_index(list, i));
	e->end_list(e);
}

static void address_list(ks_emitter *e, const char *key, const GPtrArray *list)
{
	e->key(e, key);
	e->begin_list(e);
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		e->begin_map(e);
		str(e, "name", a->name);
		str(e, "address", a->address);
		e->end_map(e);
	}
	e->end_list(e);
}

static void emit_source(const ks_report *r, ks_emitter *e)
{
	e->key(e, "source");
	e->begin_map(e);
	str(e, "path", r->source_path);
	digest(e, "sha256", r->sha256);
	num(e, "size", r->size);
	str(e, "format", r->format);
	e->end_map(e);
}

static void emit_message(const ks_report *r, ks_emitter *e)
{
	e->key(e, "message");
	e->begin_map(e);
	str(e, "subject", r->subject);
	time_value(e, "date", r->date);
	str(e, "message_id", r->message_id);
	str(e, "in_reply_to", r->in_reply_to);
	string_list(e, "references", r->references);
	address_list(e, "from", r->from);
	address_list(e, "sender", r->sender);
	address_list(e, "reply_to", r->reply_to);
	address_list(e, "to", r->to);
	address_list(e, "cc", r->cc);
	str(e, "return_path", r->return_path);
	e->end_map(e);
}

static void emit_headers(const ks_report *r, ks_emitter *e)
{
	e->key(e, "headers");
	e->begin_list(e);
	for (guint i = 0; r->headers && i < r->headers->len; i++) {
		const ks_header *h = g_ptr_array_index(r->headers, i);
		e->begin_map(e);
		str(e, "name", h->name);
		str(e, "value", h->value);
		e->end_map(e);
	}
	e->end_list(e);
}

static void emit_auth(const ks_report *r, ks_emitter *e)
{
	e->key(e, "auth");
	e->begin_map(e);
	str(e, "spf", r->auth.spf);
	str(e, "dkim", r->auth.dkim);
	str(e, "dmarc", r->auth.dmarc);
	string_list(e, "dkim_domains", r->auth.dkim_domains);
	str(e, "authserv_id", r->auth.authserv_id);
	string_list(e, "ignored", r->auth.ignored);
	str_if(e, "received_spf", r->auth.received_spf);
	str_if(e, "arc", r->auth.arc);
	e->end_map(e);
}

static void emit_hops(const ks_report *r, ks_emitter *e)
{
	e->key(e, "hops");
	e->begin_list(e);
	for (guint i = 0; r->hops && i < r->hops->len; i++) {
		const ks_hop *h = g_ptr_array_index(r->hops, i);
		e->begin_map(e);
		num(e, "index", h->index);
		num(e, "header_index", h->header_index);
		str(e, "from", h->from);
		str(e, "by", h->by);
		str(e, "ip", h->ip);
		str(e, "with", h->with);
		str(e, "id", h->id);
		time_value(e, "date", h->date);
		e->key(e, "delay_seconds");
		if (h->has_delay)
			e->integer(e, h->delay_seconds);
		else
			e->null(e);
		str(e, "raw", h->raw);
		e->key(e, "parsed");
		e->boolean(e, h->parsed);
		str_if(e, "helo", h->helo);
		str_if(e, "rdns", h->rdns);
		str_if(e, "tls", h->tls);
		e->end_map(e);
	}
	e->end_list(e);

	e->key(e, "routing");
	e->begin_map(e);
	str(e, "bulk_service", r->bulk_service);
	str(e, "mailing_list", r->list.name);
	e->end_map(e);
}

static void emit_body(const ks_report *r, ks_emitter *e)
{
	e->key(e, "body");
	e->begin_map(e);
	str(e, "text", r->body_text);
	e->key(e, "links");
	e->begin_list(e);
	for (guint i = 0; r->links && i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		e->begin_map(e);
		str(e, "text", l->text);
		str(e, "href", l->href);
		str(e, "location", ks_link_location(l));
		e->end_map(e);
	}
	e->end_list(e);
	e->end_map(e);
}

static void emit_report(const ks_report *r, ks_emitter *e, bool top, int depth);

static void emit_attachments(const GPtrArray *list, ks_emitter *e, int depth)
{
	e->begin_list(e);
	for (guint i = 0; list && i < list->len; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		e->begin_map(e);
		str(e, "path", a->path);
		str(e, "filename", a->filename);
		str(e, "declared_type", a->declared_type);
		str(e, "detected_type", a->detected_type);
		num(e, "size", a->size);
		digest(e, "sha256", a->sha256);
		char md5[33];
		ks_attachment_md5(a, md5);
		digest(e, "md5", md5);
		e->key(e, "encrypted");
		e->boolean(e, a->encrypted);
		e->key(e, "children");
		if (depth < KS_EMIT_MAX_DEPTH)
			emit_attachments(a->children, e, depth + 1);
		else
			emit_attachments(NULL, e, depth);
		e->key(e, "metadata");
		e->begin_map(e);
		for (guint j = 0; a->metadata && j < a->metadata->len; j++) {
			const ks_kv *kv = g_ptr_array_index(a->metadata, j);
			str(e, kv->key, kv->value);
		}
		e->end_map(e);
		if (a->message && depth < KS_EMIT_MAX_DEPTH) {
			e->key(e, "message");
			emit_report(a->message, e, false, depth + 1);
		}
		e->end_map(e);
	}
	e->end_list(e);
}

static void emit_findings(const ks_report *r, ks_emitter *e)
{
	e->key(e, "findings");
	e->begin_list(e);
	for (guint i = 0; r->findings && i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		e->begin_map(e);
		str(e, "id", ks_rule_id(f->rule));
		str(e, "severity", ks_severity_name(f->severity));
		str(e, "title", f->title);
		str(e, "evidence", f->evidence);
		str(e, "location", f->location);
		e->end_map(e);
	}
	e->end_list(e);
}

static void emit_iocs(const ks_report *r, ks_emitter *e)
{
	e->key(e, "iocs");
	e->begin_list(e);
	for (guint i = 0; r->iocs && i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		e->begin_map(e);
		str(e, "kind", ks_ioc_kind_name(c->kind));
		str(e, "value", c->value);
		str(e, "role", ks_ioc_role_name(c->role));
		e->end_map(e);
	}
	e->end_list(e);
}

static void emit_timeline(const ks_report *r, ks_emitter *e)
{
	e->key(e, "timeline");
	e->begin_list(e);
	for (guint i = 0; r->timeline && i < r->timeline->len; i++) {
		const ks_event *ev = g_ptr_array_index(r->timeline, i);
		e->begin_map(e);
		time_value(e, "time", ev->time);
		str(e, "event", ev->event);
		str(e, "source", ev->source);
		e->end_map(e);
	}
	e->end_list(e);
}

static void emit_assessment(const ks_report *r, ks_emitter *e)
{
	e->key(e, "assessment");
	e->begin_map(e);
	num(e, "score", r->assessment.score);
	num(e, "bec_type", r->assessment.bec_type);
	str(e, "label", r->assessment.label);
	string_list(e, "reasons", r->assessment.reasons);
	e->end_map(e);
}

static void emit_report(const ks_report *r, ks_emitter *e, bool top, int depth)
{
	e->begin_map(e);
	if (top)
		str(e, "schema", "kensa.report/1");
	emit_source(r, e);
	emit_message(r, e);
	emit_headers(r, e);
	emit_auth(r, e);
	emit_hops(r, e);
	emit_body(r, e);
	e->key(e, "attachments");
	emit_attachments(r->attachments, e, depth);
	emit_findings(r, e);
	emit_iocs(r, e);
	emit_timeline(r, e);
	emit_assessment(r, e);
	e->end_map(e);
}

void ks_report_emit(const ks_report *r, ks_emitter *e)
{
	if (!r || !e)
		return;
	emit_report(r, e, true, 0);
}
