/* The JSON reader beside the JSON writer (report_json.c): a stored report
 * ("kensa.report/1", as emit.c writes it) back into a typed ks_report, so the
 * case exports and anything else that keeps reports read the model, never
 * the text (STYLE.md "read typed data, not your own output").
 *
 * Every string goes through the sanitizer again, which leaves text the
 * writer produced unchanged and makes a tampered store file as safe as a
 * message.  Unknown keys are ignored; missing or mistyped ones read as
 * absent; findings with a rule id this build does not know are dropped.
 * Round trip: ks_report_to_json(ks_report_from_json(j)) == j for every
 * report kensa writes (tests/unit/test_report_read.c). */
#include "output/emit.h"
#include "core/sanitize.h"
#include "output/writers.h"

#include <json-glib/json-glib.h>
#include <string.h>

static JsonNode *member(JsonObject *o, const char *key)
{
	return o && json_object_has_member(o, key) ? json_object_get_member(o, key) : NULL;
}

static JsonObject *obj(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *arr(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static const char *str(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
	               ? json_node_get_string(n)
	               : NULL;
}

static bool has_int(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64;
}

static int64_t num(JsonObject *o, const char *key, int64_t dflt)
{
	return has_int(o, key) ? json_node_get_int(member(o, key)) : dflt;
}

static bool boolean(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
	       json_node_get_boolean(n);
}

static JsonObject *element(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static char *line(const char *s)
{
	return s ? ks_sanitize(s, KS_SANITIZE_LINE, NULL) : NULL;
}

static GDateTime *when(JsonObject *o, const char *key)
{
	const char *s = str(o, key);
	return s ? g_date_time_new_from_iso8601(s, NULL) : NULL;
}

static void digest(char *out, size_t size, const char *hex)
{
	out[0] = '\0';
	if (hex && strlen(hex) < size && strspn(hex, "0123456789abcdef") == strlen(hex))
		memcpy(out, hex, strlen(hex) + 1);
}

static void read_strings(GPtrArray *out, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(out, line(json_node_get_string(n)));
	}
}

static void read_addresses(GPtrArray *out, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = element(a, i);
		if (o)
			g_ptr_array_add(out, ks_address_new(str(o, "name"), str(o, "address")));
	}
}

static void read_hops(ks_report *r, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = element(a, i);
		if (!o)
			continue;
		ks_hop *h = ks_hop_new();
		h->index = (int)num(o, "index", i);
		h->header_index = (int)num(o, "header_index", -1);
		h->from = line(str(o, "from"));
		h->by = line(str(o, "by"));
		h->ip = line(str(o, "ip"));
		h->with = line(str(o, "with"));
		h->id = line(str(o, "id"));
		h->date = when(o, "date");
		h->has_delay = has_int(o, "delay_seconds");
		h->delay_seconds = num(o, "delay_seconds", 0);
		h->raw = line(str(o, "raw"));
		h->parsed = boolean(o, "parsed");
		h->helo = line(str(o, "helo"));
		h->rdns = line(str(o, "rdns"));
		h->tls = line(str(o, "tls"));
		g_ptr_array_add(r->hops, h);
	}
}

static ks_report *read_report(JsonObject *o, int depth);

static void read_attachments(GPtrArray *out, JsonArray *a, int depth)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = element(a, i);
		if (!o)
			continue;
		g_autofree char *path = line(str(o, "path"));
		ks_attachment *at = ks_attachment_new(path);
		at->filename = line(str(o, "filename"));
		at->declared_type = line(str(o, "declared_type"));
		at->detected_type = line(str(o, "detected_type"));
		at->size = num(o, "size", 0);
		digest(at->sha256, sizeof at->sha256, str(o, "sha256"));
		digest(at->md5, sizeof at->md5, str(o, "md5"));
		at->encrypted = boolean(o, "encrypted");
		if (depth < KS_EMIT_MAX_DEPTH)
			read_attachments(at->children, arr(o, "children"), depth + 1);
		JsonObject *meta = obj(o, "metadata");
		if (meta) {
			g_autoptr(GList) keys = json_object_get_members(meta);
			for (GList *k = keys; k; k = k->next) {
				g_autofree char *key = line(k->data);
				ks_attachment_add_meta(at, key, str(meta, k->data));
			}
		}
		JsonObject *inner = obj(o, "message");
		if (inner && depth < KS_EMIT_MAX_DEPTH)
			at->message = read_report(inner, depth + 1);
		g_ptr_array_add(out, at);
	}
}

static void read_findings(ks_report *r, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = element(a, i);
		int rule = ks_rule_from_id(str(o, "id"));
		ks_severity sev;
		if (rule < 0 || !ks_severity_parse(str(o, "severity"), &sev))
			continue;
		ks_finding *f = ks_report_add_finding_sev(r, (ks_rule)rule, sev, str(o, "location"),
		                                          "%s", str(o, "evidence") ? str(o, "evidence") : "");
		if (str(o, "title")) {
			g_free(f->title);
			f->title = line(str(o, "title"));
		}
	}
}

static void read_iocs(ks_report *r, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = element(a, i);
		ks_ioc_kind kind;
		ks_ioc_role role = KS_IOC_ROLE_ATTACKER;
		if (!o || !ks_ioc_kind_parse(str(o, "kind"), &kind))
			continue;
		/* reports stored before roles existed read as the attacker's */
		ks_ioc_role_parse(str(o, "role"), &role);
		ks_ioc *c = ks_report_add_ioc(r, kind, str(o, "value"));
		if (c)
			c->role = role;
	}
}

static void read_timeline(ks_report *r, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = element(a, i);
		g_autoptr(GDateTime) t = when(o, "time");
		ks_report_add_event(r, t, str(o, "event"), str(o, "source"));
	}
}

static ks_report *read_report(JsonObject *o, int depth)
{
	ks_report *r = ks_report_new();
	JsonObject *source = obj(o, "source");
	r->source_path = line(str(source, "path"));
	digest(r->sha256, sizeof r->sha256, str(source, "sha256"));
	r->size = num(source, "size", 0);
	r->format = line(str(source, "format"));

	JsonObject *m = obj(o, "message");
	r->subject = line(str(m, "subject"));
	r->date = when(m, "date");
	r->message_id = line(str(m, "message_id"));
	r->in_reply_to = line(str(m, "in_reply_to"));
	read_strings(r->references, arr(m, "references"));
	read_addresses(r->from, arr(m, "from"));
	read_addresses(r->sender, arr(m, "sender"));
	read_addresses(r->reply_to, arr(m, "reply_to"));
	read_addresses(r->to, arr(m, "to"));
	read_addresses(r->cc, arr(m, "cc"));
	r->return_path = line(str(m, "return_path"));

	JsonArray *headers = arr(o, "headers");
	for (guint i = 0; headers && i < json_array_get_length(headers); i++) {
		JsonObject *h = element(headers, i);
		if (h)
			ks_report_add_header(r, str(h, "name"), str(h, "value"));
	}

	JsonObject *auth = obj(o, "auth");
	r->auth.spf = line(str(auth, "spf"));
	r->auth.dkim = line(str(auth, "dkim"));
	r->auth.dmarc = line(str(auth, "dmarc"));
	read_strings(r->auth.dkim_domains, arr(auth, "dkim_domains"));
	r->auth.authserv_id = line(str(auth, "authserv_id"));
	read_strings(r->auth.ignored, arr(auth, "ignored"));
	r->auth.received_spf = line(str(auth, "received_spf"));
	r->auth.arc = line(str(auth, "arc"));

	read_hops(r, arr(o, "hops"));
	JsonObject *routing = obj(o, "routing");
	r->bulk_service = line(str(routing, "bulk_service"));
	/* only the list's name is written; what else mailing_list.c read
	 * (addresses, ARC signers, List-* fields) is not stored */
	r->list.name = line(str(routing, "mailing_list"));

	JsonObject *body = obj(o, "body");
	const char *text = str(body, "text");
	r->body_text = text ? ks_sanitize(text, KS_SANITIZE_MULTILINE, NULL) : NULL;
	JsonArray *links = arr(body, "links");
	for (guint i = 0; links && i < json_array_get_length(links); i++) {
		JsonObject *l = element(links, i);
		if (!l)
			continue;
		/* "body" is what a link without a location is written as */
		const char *where = str(l, "location");
		g_ptr_array_add(r->links, ks_link_new_at(str(l, "text"), str(l, "href"),
		                                         g_strcmp0(where, "body") == 0 ? NULL : where));
	}

	read_attachments(r->attachments, arr(o, "attachments"), depth);
	read_findings(r, arr(o, "findings"));
	read_iocs(r, arr(o, "iocs"));
	read_timeline(r, arr(o, "timeline"));

	JsonObject *as = obj(o, "assessment");
	r->assessment.score = (int)CLAMP(num(as, "score", 0), 0, 100);
	r->assessment.bec_type = (int)CLAMP(num(as, "bec_type", 0), 0, 5);
	r->assessment.label = line(str(as, "label"));
	read_strings(r->assessment.reasons, arr(as, "reasons"));
	return r;
}

ks_report *ks_report_from_json(const char *json, GError **error)
{
	g_autoptr(JsonParser) p = json_parser_new();
	if (!json || !json_parser_load_from_data(p, json, -1, error))
		return NULL;
	JsonNode *root = json_parser_get_root(p);
	JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
	if (!o || g_strcmp0(str(o, "schema"), "kensa.report/1") != 0) {
		g_set_error_literal(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
		                    "not a kensa.report/1 object");
		return NULL;
	}
	return read_report(o, 0);
}
