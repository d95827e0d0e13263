/* Case exports (export.h).  Everything is read from the store: the case,
 * its notes and IOCs, and each message's report as stored (JSON, parsed
 * here with json-glib; no mail is re-parsed).
 *
 * Markdown and HTML come from one small document emitter with two back ends
 * (heading, key/value, item, paragraph), so the two summaries never drift.
 * STIX 2.1 follows the OASIS specification (CS02, 2021): every object has
 * type, spec_version, id "type--UUIDv4", created/modified with millisecond
 * precision; TLP uses the four predefined TLP marking-definitions (7.2.1.4).
 * MISP follows the MISP core format (draft-dulaunoy-misp-core-format):
 * Event with Attribute, Object (email, file) and Tag "tlp:LEVEL".
 *
 * Redaction is a last pass over the finished text, so no format can leak
 * what another one hides: e-mail local parts become user-N, personal names
 * (display names, contacts, note authors) become Person-N, and each
 * protected domain's label keeps its first three and last two characters
 * with ●● between (the way public advisories write abc●●company.co.jp).
 * The same original always gets the same placeholder within one export. */
#include "export.h"

#include "cases.h"
#include "knowledge.h"
#include "store_private.h"
#include "writers.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const char *const format_names[] = {"markdown", "html", "json", "stix", "misp"};

bool ks_export_format_parse(const char *name, ks_export_format *out)
{
	for (size_t i = 0; i < G_N_ELEMENTS(format_names); i++)
		if (name && strcmp(name, format_names[i]) == 0) {
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

/* ---- what an export reads ---- */

typedef struct {
	ks_case *c;
	const char *tlp;
	GPtrArray *messages; /* ks_case_message* */
	GPtrArray *reports;  /* JsonObject* (parallel to messages), owned by parsers */
	GPtrArray *parsers;  /* JsonParser* */
	GPtrArray *notes;    /* ks_case_note* */
	GPtrArray *iocs;     /* ks_case_ioc* */
	GPtrArray *protected_domains; /* ks_protected_record* */
	GPtrArray *contacts;          /* ks_contact_record* */
} export_data;

static void data_clear(export_data *d)
{
	ks_case_free(d->c);
	g_clear_pointer(&d->messages, g_ptr_array_unref);
	g_clear_pointer(&d->reports, g_ptr_array_unref);
	g_clear_pointer(&d->parsers, g_ptr_array_unref);
	g_clear_pointer(&d->notes, g_ptr_array_unref);
	g_clear_pointer(&d->iocs, g_ptr_array_unref);
	g_clear_pointer(&d->protected_domains, g_ptr_array_unref);
	g_clear_pointer(&d->contacts, g_ptr_array_unref);
}

static bool data_load(ks_store *s, int64_t id, const ks_export_options *opt, export_data *d,
                      GError **error)
{
	d->c = ks_case_get(s, id, error);
	if (!d->c) {
		if (error && !*error)
			g_set_error(error, KS_ERROR, KS_ERROR_DB, "no case %" G_GINT64_FORMAT, id);
		return false;
	}
	d->tlp = opt->tlp ? opt->tlp : d->c->tlp;
	if (!(d->messages = ks_case_messages(s, id, error)) ||
	    !(d->notes = ks_case_notes(s, id, error)) || !(d->iocs = ks_case_iocs(s, id, error)) ||
	    !(d->protected_domains = ks_protect_list(s, error)) ||
	    !(d->contacts = ks_contact_list(s, error)))
		return false;
	d->reports = g_ptr_array_new();
	d->parsers = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < d->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(d->messages, i);
		JsonParser *p = json_parser_new();
		g_ptr_array_add(d->parsers, p);
		JsonObject *o = NULL;
		if (m->report_json && json_parser_load_from_data(p, m->report_json, -1, NULL) &&
		    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
			o = json_node_get_object(json_parser_get_root(p));
		g_ptr_array_add(d->reports, o);
	}
	return true;
}

/* Null-safe JSON accessors: a missing or mistyped member reads as absent. */
static JsonObject *obj(JsonObject *o, const char *key)
{
	if (!o || !json_object_has_member(o, key))
		return NULL;
	JsonNode *n = json_object_get_member(o, key);
	return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *arr(JsonObject *o, const char *key)
{
	if (!o || !json_object_has_member(o, key))
		return NULL;
	JsonNode *n = json_object_get_member(o, key);
	return JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static const char *str(JsonObject *o, const char *key)
{
	if (!o || !json_object_has_member(o, key))
		return NULL;
	JsonNode *n = json_object_get_member(o, key);
	return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
	               ? json_node_get_string(n)
	               : NULL;
}

static gint64 num(JsonObject *o, const char *key, gint64 dflt)
{
	if (!o || !json_object_has_member(o, key))
		return dflt;
	JsonNode *n = json_object_get_member(o, key);
	return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64
	               ? json_node_get_int(n)
	               : dflt;
}

static JsonObject *arr_obj(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* "Name <addr>, ..." for a list of {name, address}. */
static char *addresses(JsonArray *a)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = arr_obj(a, i);
		const char *name = str(o, "name"), *addr = str(o, "address");
		if (s->len)
			g_string_append(s, ", ");
		if (name && addr)
			g_string_append_printf(s, "%s <%s>", name, addr);
		else
			g_string_append(s, addr ? addr : name ? name : "");
	}
	return g_string_free(s, FALSE);
}

static ks_ioc_kind ioc_kind(const char *name)
{
	for (int k = KS_IOC_DOMAIN; k <= KS_IOC_FILENAME; k++)
		if (g_strcmp0(ks_ioc_kind_name((ks_ioc_kind)k), name) == 0)
			return (ks_ioc_kind)k;
	return KS_IOC_FILENAME;
}

/* ---- Markdown and HTML: one document, two back ends ---- */

typedef struct doc doc;
struct doc {
	GString *out;
	void (*heading)(doc *d, int level, const char *text);
	void (*para)(doc *d, const char *text);
	void (*kv)(doc *d, const char *key, const char *value);
	void (*item)(doc *d, int depth, const char *text);
	/* an item "label: value" with value shown verbatim (code) */
	void (*code_item)(doc *d, const char *label, const char *value);
	void (*end_list)(doc *d);
	bool in_list;
};

static char *md_escape(const char *s)
{
	GString *o = g_string_new(NULL);
	for (const char *p = s ? s : ""; *p; p++) {
		if (strchr("\\`*_[]<>|#", *p))
			g_string_append_c(o, '\\');
		g_string_append_c(o, *p == '\n' ? ' ' : *p);
	}
	return g_string_free(o, FALSE);
}

static void md_end_list(doc *d)
{
	if (d->in_list)
		g_string_append_c(d->out, '\n');
	d->in_list = false;
}

static void md_heading(doc *d, int level, const char *text)
{
	md_end_list(d);
	g_autofree char *t = md_escape(text);
	for (int i = 0; i < level; i++)
		g_string_append_c(d->out, '#');
	g_string_append_printf(d->out, " %s\n\n", t);
}

static void md_para(doc *d, const char *text)
{
	md_end_list(d);
	g_autofree char *t = md_escape(text);
	g_string_append_printf(d->out, "%s\n\n", t);
}

static void md_kv(doc *d, const char *key, const char *value)
{
	g_autofree char *v = md_escape(value);
	g_string_append_printf(d->out, "- **%s:** %s\n", key, v);
	d->in_list = true;
}

static void md_item(doc *d, int depth, const char *text)
{
	g_autofree char *t = md_escape(text);
	for (int i = 0; i < depth; i++)
		g_string_append(d->out, "  ");
	g_string_append_printf(d->out, "- %s\n", t);
	d->in_list = true;
}

static void md_code_item(doc *d, const char *label, const char *value)
{
	/* a code span is fenced with more backticks than the value holds */
	int run = 0, longest = 0;
	for (const char *p = value; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = MAX(longest, run);
	}
	g_autofree char *fence = g_strnfill(longest + 1, '`');
	g_autofree char *l = md_escape(label);
	g_string_append_printf(d->out, "- %s: %s %s %s\n", l, fence, value, fence);
	d->in_list = true;
}

static void html_end_list(doc *d)
{
	if (d->in_list)
		g_string_append(d->out, "</ul>\n");
	d->in_list = false;
}

static void html_heading(doc *d, int level, const char *text)
{
	html_end_list(d);
	g_autofree char *t = g_markup_escape_text(text ? text : "", -1);
	g_string_append_printf(d->out, "<h%d>%s</h%d>\n", level, t, level);
}

static void html_para(doc *d, const char *text)
{
	html_end_list(d);
	g_autofree char *t = g_markup_escape_text(text ? text : "", -1);
	g_string_append_printf(d->out, "<p>%s</p>\n", t);
}

static void html_open_list(doc *d)
{
	if (!d->in_list)
		g_string_append(d->out, "<ul>\n");
	d->in_list = true;
}

static void html_kv(doc *d, const char *key, const char *value)
{
	html_open_list(d);
	g_autofree char *k = g_markup_escape_text(key, -1);
	g_autofree char *v = g_markup_escape_text(value ? value : "", -1);
	g_string_append_printf(d->out, "<li><b>%s:</b> %s</li>\n", k, v);
}

static void html_item(doc *d, int depth, const char *text)
{
	html_open_list(d);
	g_autofree char *t = g_markup_escape_text(text ? text : "", -1);
	g_string_append_printf(d->out, "<li class=\"d%d\">%s</li>\n", MIN(depth, 6), t);
}

static void html_code_item(doc *d, const char *label, const char *value)
{
	html_open_list(d);
	g_autofree char *l = g_markup_escape_text(label, -1);
	g_autofree char *v = g_markup_escape_text(value, -1);
	g_string_append_printf(d->out, "<li>%s: <code>%s</code></li>\n", l, v);
}

static void attachment_items(doc *d, JsonArray *a, int depth)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = arr_obj(a, i);
		g_autofree char *line = g_strdup_printf(
			"%s %s (%s, %" G_GINT64_FORMAT " bytes%s) sha256 %s", str(o, "path"),
			str(o, "filename") ? str(o, "filename") : "(no name)",
			str(o, "detected_type") ? str(o, "detected_type")
			                        : str(o, "declared_type") ? str(o, "declared_type") : "?",
			num(o, "size", 0),
			json_object_has_member(o, "encrypted") &&
					json_object_get_boolean_member_with_default(o, "encrypted", FALSE)
				? ", encrypted"
				: "",
			str(o, "sha256") ? str(o, "sha256") : "-");
		d->item(d, depth, line);
		attachment_items(d, arr(o, "children"), depth + 1);
	}
}

typedef struct {
	char *time;
	char *text;
} tl_event;

static void tl_free(tl_event *e)
{
	g_free(e->time);
	g_free(e->text);
	g_free(e);
}

static gint tl_cmp(gconstpointer a, gconstpointer b)
{
	const tl_event *x = *(tl_event *const *)a, *y = *(tl_event *const *)b;
	g_autoptr(GDateTime) tx = g_date_time_new_from_iso8601(x->time, NULL);
	g_autoptr(GDateTime) ty = g_date_time_new_from_iso8601(y->time, NULL);
	if (tx && ty)
		return g_date_time_compare(tx, ty);
	return g_strcmp0(x->time, y->time);
}

static void write_document(doc *d, const export_data *x)
{
	const ks_case *c = x->c;
	g_autofree char *tlp = g_ascii_strup(x->tlp, -1);
	g_autofree char *title = g_strdup_printf("Case %" G_GINT64_FORMAT ": %s", c->id, c->title);
	g_autofree char *marking = g_strdup_printf("TLP:%s", tlp);
	d->para(d, marking);
	d->heading(d, 1, title);
	g_autofree char *bec = g_strdup_printf("%d (%s)", c->bec_type, ks_bec_type_name(c->bec_type));
	g_autofree char *counts = g_strdup_printf("%u messages, %u notes, %u IOCs",
	                                          x->messages->len, x->notes->len, x->iocs->len);
	d->kv(d, "Verdict", c->verdict);
	d->kv(d, "Status", c->status);
	d->kv(d, "BEC type", bec);
	d->kv(d, "Created", c->created);
	d->kv(d, "Updated", c->updated);
	d->kv(d, "Contents", counts);

	/* the timeline: every report's events and the notes, in time order */
	g_autoptr(GPtrArray) tl = g_ptr_array_new_with_free_func((GDestroyNotify)tl_free);
	for (guint i = 0; i < x->reports->len; i++) {
		JsonArray *events = arr(g_ptr_array_index(x->reports, i), "timeline");
		for (guint k = 0; events && k < json_array_get_length(events); k++) {
			JsonObject *e = arr_obj(events, k);
			if (!str(e, "time"))
				continue;
			tl_event *t = g_new0(tl_event, 1);
			t->time = g_strdup(str(e, "time"));
			t->text = g_strdup_printf("%s (message %" G_GINT64_FORMAT ", %s)",
			                          str(e, "event") ? str(e, "event") : "",
			                          ((ks_case_message *)g_ptr_array_index(x->messages, i))->id,
			                          str(e, "source") ? str(e, "source") : "");
			g_ptr_array_add(tl, t);
		}
	}
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		tl_event *t = g_new0(tl_event, 1);
		t->time = g_strdup(n->created);
		t->text = g_strdup_printf("note %" G_GINT64_FORMAT " by %s", n->id, n->author);
		g_ptr_array_add(tl, t);
	}
	g_ptr_array_sort(tl, tl_cmp);
	d->heading(d, 2, "Timeline");
	for (guint i = 0; i < tl->len; i++) {
		const tl_event *t = g_ptr_array_index(tl, i);
		g_autofree char *line = g_strdup_printf("%s  %s", t->time, t->text);
		d->item(d, 0, line);
	}

	d->heading(d, 2, "Messages");
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		JsonObject *r = g_ptr_array_index(x->reports, i);
		JsonObject *msg = obj(r, "message");
		JsonObject *auth = obj(r, "auth");
		g_autofree char *h = g_strdup_printf("Message %" G_GINT64_FORMAT ": %s", m->id,
		                                     m->subject ? m->subject : "(no subject)");
		d->heading(d, 3, h);
		g_autofree char *from = addresses(arr(msg, "from"));
		g_autofree char *reply = addresses(arr(msg, "reply_to"));
		g_autofree char *to = addresses(arr(msg, "to"));
		g_autofree char *cc = addresses(arr(msg, "cc"));
		g_autofree char *authline = g_strdup_printf(
			"spf %s, dkim %s, dmarc %s", str(auth, "spf") ? str(auth, "spf") : "-",
			str(auth, "dkim") ? str(auth, "dkim") : "-",
			str(auth, "dmarc") ? str(auth, "dmarc") : "-");
		g_autofree char *score = g_strdup_printf("%d, BEC type %d, highest %s", m->score,
		                                         m->bec_type, m->severity ? m->severity : "none");
		d->kv(d, "Date", m->date ? m->date : "-");
		d->kv(d, "From", from);
		if (*reply)
			d->kv(d, "Reply-To", reply);
		if (str(msg, "return_path"))
			d->kv(d, "Return-Path", str(msg, "return_path"));
		d->kv(d, "To", to);
		if (*cc)
			d->kv(d, "Cc", cc);
		d->kv(d, "Authentication", authline);
		d->kv(d, "Score", score);
		d->kv(d, "SHA-256", m->sha256);
		JsonArray *hops = arr(r, "hops");
		if (hops && json_array_get_length(hops)) {
			d->heading(d, 4, "Route (origin first)");
			for (guint k = 0; k < json_array_get_length(hops); k++) {
				JsonObject *hp = arr_obj(hops, k);
				g_autofree char *line = g_strdup_printf(
					"hop %" G_GINT64_FORMAT ": from %s [%s] by %s at %s",
					num(hp, "index", k), str(hp, "from") ? str(hp, "from") : "?",
					str(hp, "ip") ? str(hp, "ip") : "-", str(hp, "by") ? str(hp, "by") : "?",
					str(hp, "date") ? str(hp, "date") : "?");
				d->item(d, 0, line);
			}
		}
		JsonArray *atts = arr(r, "attachments");
		if (atts && json_array_get_length(atts)) {
			d->heading(d, 4, "Attachments");
			attachment_items(d, atts, 0);
		}
		JsonArray *findings = arr(r, "findings");
		d->heading(d, 4, "Findings");
		if (!findings || !json_array_get_length(findings))
			d->para(d, "none");
		for (guint k = 0; findings && k < json_array_get_length(findings); k++) {
			JsonObject *f = arr_obj(findings, k);
			g_autofree char *line = g_strdup_printf(
				"%s %s at %s: %s", str(f, "severity"), str(f, "id"), str(f, "location"),
				str(f, "evidence") ? str(f, "evidence") : "");
			d->item(d, 0, line);
		}
	}

	d->heading(d, 2, "Notes");
	if (!x->notes->len)
		d->para(d, "none");
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		g_autofree char *h = g_strdup_printf("%s, %s%s%s", n->created, n->author,
		                                     n->about ? ", about " : "", n->about ? n->about : "");
		d->item(d, 0, h);
		d->item(d, 1, n->text);
	}
	d->heading(d, 2, "IOCs (defanged)");
	if (!x->iocs->len)
		d->para(d, "none");
	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		g_autofree char *v = ks_defang(o->value, ioc_kind(o->kind));
		g_strdelimit(v, "\r\n", ' ');
		d->code_item(d, o->kind, v);
	}
	d->end_list(d);
}

static char *export_markdown(const export_data *x)
{
	doc d = {g_string_new(NULL), md_heading, md_para,     md_kv,
	         md_item,            md_code_item, md_end_list, false};
	write_document(&d, x);
	g_string_append(d.out, "\n_Exported by kensa._\n");
	return g_string_free(d.out, FALSE);
}

static char *export_html(const export_data *x)
{
	doc d = {g_string_new(NULL), html_heading,   html_para,     html_kv,
	         html_item,          html_code_item, html_end_list, false};
	g_autofree char *title = g_markup_printf_escaped("Case %" G_GINT64_FORMAT ": %s", x->c->id,
	                                                 x->c->title);
	/* self-contained: inline style only, no script, nothing fetched; the CSP
	 * forbids any of it should the file be opened in a browser */
	g_string_append_printf(
		d.out,
		"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'\">\n<title>%s</title>\n<style>\n"
		"body{font-family:sans-serif;max-width:60em;margin:1em auto;line-height:1.4}\n"
		"li{overflow-wrap:anywhere}\n.d1{margin-left:1.5em}.d2{margin-left:3em}"
		".d3{margin-left:4.5em}\n</style>\n</head>\n<body>\n",
		title);
	write_document(&d, x);
	g_string_append(d.out, "<p><i>Exported by kensa.</i></p>\n</body>\n</html>\n");
	return g_string_free(d.out, FALSE);
}

/* ---- JSON ---- */

static void add_str(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

static char *builder_text(JsonBuilder *b)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autoptr(JsonGenerator) g = json_generator_new();
	json_generator_set_pretty(g, TRUE);
	json_generator_set_root(g, root);
	char *s = json_generator_to_data(g, NULL);
	char *out = g_strconcat(s, "\n", NULL);
	g_free(s);
	return out;
}

static char *export_json(const export_data *x)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	add_str(b, "schema", "kensa.case/1");
	json_builder_set_member_name(b, "case");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_int_value(b, x->c->id);
	add_str(b, "title", x->c->title);
	add_str(b, "status", x->c->status);
	add_str(b, "verdict", x->c->verdict);
	json_builder_set_member_name(b, "bec_type");
	json_builder_add_int_value(b, x->c->bec_type);
	add_str(b, "tlp", x->tlp);
	add_str(b, "created", x->c->created);
	add_str(b, "updated", x->c->updated);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "messages");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, m->id);
		add_str(b, "sha256", m->sha256);
		add_str(b, "added", m->added);
		add_str(b, "path", m->path);
		json_builder_set_member_name(b, "report");
		JsonObject *r = g_ptr_array_index(x->reports, i);
		if (r) {
			JsonNode *n = json_node_alloc();
			json_node_init_object(n, r);
			json_builder_add_value(b, n);
		} else {
			json_builder_add_null_value(b);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "notes");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, n->id);
		add_str(b, "created", n->created);
		add_str(b, "author", n->author);
		add_str(b, "about", n->about);
		add_str(b, "text", n->text);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "iocs");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		json_builder_begin_object(b);
		add_str(b, "kind", o->kind);
		add_str(b, "value", o->value);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return builder_text(b);
}

/* ---- STIX 2.1 ---- */

/* STIX timestamps: UTC, millisecond precision (STIX 2.1, 3.2). */
static char *stix_time(const char *rfc3339)
{
	g_autoptr(GDateTime) t = rfc3339 ? g_date_time_new_from_iso8601(rfc3339, NULL) : NULL;
	if (!t)
		t = g_date_time_new_now_utc();
	g_autoptr(GDateTime) u = g_date_time_to_utc(t);
	return g_date_time_format(u, "%Y-%m-%dT%H:%M:%S.000Z");
}

static char *stix_id(const char *type)
{
	g_autofree char *u = g_uuid_string_random(); /* RFC 4122 version 4 */
	return g_strdup_printf("%s--%s", type, u);
}

/* The predefined TLP marking-definitions (STIX 2.1, 7.2.1.4); TLP 2.0's
 * CLEAR is TLP 1.0's WHITE. */
static const struct {
	const char *level, *name, *id;
} tlp_markings[] = {
	{"clear", "white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
	{"green", "green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
	{"amber", "amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
	{"red", "red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
};

/* A string inside a STIX pattern: quotes and backslashes escaped (9.2). */
static char *pattern_string(const char *s)
{
	GString *o = g_string_new(NULL);
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			g_string_append_c(o, '\\');
		g_string_append_c(o, *p);
	}
	return g_string_free(o, FALSE);
}

static char *ioc_pattern(const ks_case_ioc *o)
{
	g_autofree char *v = pattern_string(o->value);
	switch (ioc_kind(o->kind)) {
	case KS_IOC_DOMAIN:
		return g_strdup_printf("[domain-name:value = '%s']", v);
	case KS_IOC_IP:
		return g_strdup_printf("[%s:value = '%s']",
		                       strchr(o->value, ':') ? "ipv6-addr" : "ipv4-addr", v);
	case KS_IOC_URL:
		return g_strdup_printf("[url:value = '%s']", v);
	case KS_IOC_EMAIL:
		return g_strdup_printf("[email-addr:value = '%s']", v);
	case KS_IOC_SHA256:
		return g_strdup_printf("[file:hashes.'SHA-256' = '%s']", v);
	case KS_IOC_FILENAME:
		return g_strdup_printf("[file:name = '%s']", v);
	}
	return NULL;
}

typedef struct {
	JsonBuilder *b;
	const char *created; /* STIX time */
	const char *identity;
	const char *marking;
	GPtrArray *refs; /* char*: ids the report refers to */
} stix;

/* Opens an SDO with the common properties (STIX 2.1, 3.1). */
static char *sdo_begin(stix *s, const char *type)
{
	char *id = stix_id(type);
	json_builder_begin_object(s->b);
	add_str(s->b, "type", type);
	add_str(s->b, "spec_version", "2.1");
	add_str(s->b, "id", id);
	add_str(s->b, "created", s->created);
	add_str(s->b, "modified", s->created);
	add_str(s->b, "created_by_ref", s->identity);
	json_builder_set_member_name(s->b, "object_marking_refs");
	json_builder_begin_array(s->b);
	json_builder_add_string_value(s->b, s->marking);
	json_builder_end_array(s->b);
	return id;
}

static void add_refs(JsonBuilder *b, const char *key, GPtrArray *ids)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < ids->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(ids, i));
	json_builder_end_array(b);
}

/* An email-addr SCO; its id. */
static char *stix_address(stix *s, JsonObject *a)
{
	if (!str(a, "address"))
		return NULL;
	char *id = stix_id("email-addr");
	json_builder_begin_object(s->b);
	add_str(s->b, "type", "email-addr");
	add_str(s->b, "spec_version", "2.1");
	add_str(s->b, "id", id);
	add_str(s->b, "value", str(a, "address"));
	if (str(a, "name"))
		add_str(s->b, "display_name", str(a, "name"));
	json_builder_end_object(s->b);
	return id;
}

static void stix_message(stix *s, const ks_case_message *m, JsonObject *r)
{
	JsonObject *msg = obj(r, "message");
	JsonArray *from = arr(msg, "from");
	g_autofree char *from_id =
		from && json_array_get_length(from) ? stix_address(s, arr_obj(from, 0)) : NULL;
	g_autoptr(GPtrArray) to_ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) cc_ids = g_ptr_array_new_with_free_func(g_free);
	JsonArray *to = arr(msg, "to"), *cc = arr(msg, "cc");
	for (guint i = 0; to && i < json_array_get_length(to); i++) {
		char *id = stix_address(s, arr_obj(to, i));
		if (id)
			g_ptr_array_add(to_ids, id);
	}
	for (guint i = 0; cc && i < json_array_get_length(cc); i++) {
		char *id = stix_address(s, arr_obj(cc, i));
		if (id)
			g_ptr_array_add(cc_ids, id);
	}
	g_autofree char *email_id = stix_id("email-message");
	JsonArray *atts = arr(r, "attachments");
	json_builder_begin_object(s->b);
	add_str(s->b, "type", "email-message");
	add_str(s->b, "spec_version", "2.1");
	add_str(s->b, "id", email_id);
	json_builder_set_member_name(s->b, "is_multipart");
	json_builder_add_boolean_value(s->b, FALSE);
	if (m->date) {
		g_autofree char *t = stix_time(m->date);
		add_str(s->b, "date", t);
	}
	if (m->subject)
		add_str(s->b, "subject", m->subject);
	if (from_id)
		add_str(s->b, "from_ref", from_id);
	if (to_ids->len)
		add_refs(s->b, "to_refs", to_ids);
	if (cc_ids->len)
		add_refs(s->b, "cc_refs", cc_ids);
	if (str(msg, "message_id"))
		add_str(s->b, "message_id", str(msg, "message_id"));
	json_builder_end_object(s->b);

	g_autoptr(GPtrArray) observed = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(observed, g_strdup(email_id));
	if (from_id)
		g_ptr_array_add(observed, g_strdup(from_id));
	for (guint i = 0; i < to_ids->len; i++)
		g_ptr_array_add(observed, g_strdup(g_ptr_array_index(to_ids, i)));
	for (guint i = 0; i < cc_ids->len; i++)
		g_ptr_array_add(observed, g_strdup(g_ptr_array_index(cc_ids, i)));
	/* each top-level attachment with a hash as a file SCO */
	for (guint i = 0; atts && i < json_array_get_length(atts); i++) {
		JsonObject *a = arr_obj(atts, i);
		if (!str(a, "sha256"))
			continue;
		char *fid = stix_id("file");
		json_builder_begin_object(s->b);
		add_str(s->b, "type", "file");
		add_str(s->b, "spec_version", "2.1");
		add_str(s->b, "id", fid);
		json_builder_set_member_name(s->b, "hashes");
		json_builder_begin_object(s->b);
		add_str(s->b, "SHA-256", str(a, "sha256"));
		json_builder_end_object(s->b);
		if (str(a, "filename"))
			add_str(s->b, "name", str(a, "filename"));
		json_builder_set_member_name(s->b, "size");
		json_builder_add_int_value(s->b, num(a, "size", 0));
		json_builder_end_object(s->b);
		g_ptr_array_add(observed, fid);
	}
	g_autofree char *when = stix_time(m->date ? m->date : m->added);
	char *od = sdo_begin(s, "observed-data");
	add_str(s->b, "first_observed", when);
	add_str(s->b, "last_observed", when);
	json_builder_set_member_name(s->b, "number_observed");
	json_builder_add_int_value(s->b, 1);
	add_refs(s->b, "object_refs", observed);
	json_builder_end_object(s->b);
	g_ptr_array_add(s->refs, od);
}

static char *export_stix(const export_data *x)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *created = stix_time(x->c->created);
	g_autofree char *bundle = stix_id("bundle");
	g_autofree char *identity = stix_id("identity");
	const char *marking = tlp_markings[2].id;
	const char *tlp_name = "amber";
	for (size_t i = 0; i < G_N_ELEMENTS(tlp_markings); i++)
		if (strcmp(x->tlp, tlp_markings[i].level) == 0) {
			marking = tlp_markings[i].id;
			tlp_name = tlp_markings[i].name;
		}
	stix s = {b, created, identity, marking,
	          g_ptr_array_new_with_free_func(g_free)};

	json_builder_begin_object(b);
	add_str(b, "type", "bundle");
	add_str(b, "id", bundle);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);

	/* the TLP marking-definition as the specification fixes it */
	json_builder_begin_object(b);
	add_str(b, "type", "marking-definition");
	add_str(b, "spec_version", "2.1");
	add_str(b, "id", marking);
	add_str(b, "created", "2017-01-20T00:00:00.000Z");
	add_str(b, "definition_type", "tlp");
	g_autofree char *up = g_ascii_strup(tlp_name, -1);
	g_autofree char *mname = g_strdup_printf("TLP:%s", up);
	add_str(b, "name", mname);
	json_builder_set_member_name(b, "definition");
	json_builder_begin_object(b);
	add_str(b, "tlp", tlp_name);
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_begin_object(b);
	add_str(b, "type", "identity");
	add_str(b, "spec_version", "2.1");
	add_str(b, "id", identity);
	add_str(b, "created", created);
	add_str(b, "modified", created);
	add_str(b, "name", "kensa");
	add_str(b, "identity_class", "system");
	json_builder_end_object(b);

	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		g_autofree char *pattern = ioc_pattern(o);
		char *id = sdo_begin(&s, "indicator");
		g_autofree char *name = g_strdup_printf("%s %s", o->kind, o->value);
		add_str(b, "name", name);
		json_builder_set_member_name(b, "indicator_types");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, "malicious-activity");
		json_builder_end_array(b);
		add_str(b, "pattern", pattern);
		add_str(b, "pattern_type", "stix");
		add_str(b, "valid_from", created);
		json_builder_end_object(b);
		g_ptr_array_add(s.refs, id);
	}
	for (guint i = 0; i < x->messages->len; i++)
		stix_message(&s, g_ptr_array_index(x->messages, i), g_ptr_array_index(x->reports, i));

	/* the report first gets its id, so the notes can point at it */
	g_autofree char *report_id = stix_id("report");
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		g_autofree char *nt = stix_time(n->created);
		g_autofree char *id = stix_id("note");
		json_builder_begin_object(b);
		add_str(b, "type", "note");
		add_str(b, "spec_version", "2.1");
		add_str(b, "id", id);
		add_str(b, "created", nt);
		add_str(b, "modified", nt);
		add_str(b, "created_by_ref", identity);
		json_builder_set_member_name(b, "object_marking_refs");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, marking);
		json_builder_end_array(b);
		if (n->about)
			add_str(b, "abstract", n->about);
		add_str(b, "content", n->text);
		json_builder_set_member_name(b, "authors");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, n->author);
		json_builder_end_array(b);
		json_builder_set_member_name(b, "object_refs");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, report_id);
		json_builder_end_array(b);
		json_builder_end_object(b);
	}

	g_autofree char *updated = stix_time(x->c->updated);
	json_builder_begin_object(b);
	add_str(b, "type", "report");
	add_str(b, "spec_version", "2.1");
	add_str(b, "id", report_id);
	add_str(b, "created", created);
	add_str(b, "modified", updated);
	add_str(b, "created_by_ref", identity);
	json_builder_set_member_name(b, "object_marking_refs");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, marking);
	json_builder_end_array(b);
	add_str(b, "name", x->c->title);
	g_autofree char *desc = g_strdup_printf("kensa case %" G_GINT64_FORMAT ": verdict %s, BEC "
	                                        "type %d (%s), %u messages",
	                                        x->c->id, x->c->verdict, x->c->bec_type,
	                                        ks_bec_type_name(x->c->bec_type), x->messages->len);
	add_str(b, "description", desc);
	json_builder_set_member_name(b, "report_types");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "threat-report");
	json_builder_end_array(b);
	add_str(b, "published", updated);
	/* object_refs must not be empty (STIX 2.1, 4.15): the identity at least */
	g_ptr_array_add(s.refs, g_strdup(identity));
	add_refs(b, "object_refs", s.refs);
	json_builder_end_object(b);

	json_builder_end_array(b);
	json_builder_end_object(b);
	g_ptr_array_unref(s.refs);
	return builder_text(b);
}

/* ---- MISP ---- */

static void misp_attribute(JsonBuilder *b, const char *type, const char *category,
                           const char *value, bool to_ids, const char *relation,
                           const char *comment)
{
	g_autofree char *uuid = g_uuid_string_random();
	json_builder_begin_object(b);
	add_str(b, "uuid", uuid);
	add_str(b, "type", type);
	add_str(b, "category", category);
	add_str(b, "value", value);
	json_builder_set_member_name(b, "to_ids");
	json_builder_add_boolean_value(b, to_ids);
	add_str(b, "distribution", "5"); /* inherit the event's */
	if (relation)
		add_str(b, "object_relation", relation);
	if (comment)
		add_str(b, "comment", comment);
	json_builder_end_object(b);
}

/* MISP attribute type and category for an IOC kind (MISP core format 2.3:
 * the categories each type may have). */
static void misp_type(const char *kind, const char **type, const char **category)
{
	switch (ioc_kind(kind)) {
	case KS_IOC_DOMAIN:
		*type = "domain", *category = "Network activity";
		return;
	case KS_IOC_IP:
		/* relays and addresses found in payloads alike: what to block */
		*type = "ip-dst", *category = "Network activity";
		return;
	case KS_IOC_URL:
		*type = "url", *category = "Network activity";
		return;
	case KS_IOC_EMAIL:
		*type = "email-src", *category = "Payload delivery";
		return;
	case KS_IOC_SHA256:
		*type = "sha256", *category = "Payload delivery";
		return;
	case KS_IOC_FILENAME:
		*type = "filename", *category = "Payload delivery";
		return;
	}
}

static void misp_files(JsonBuilder *b, JsonArray *atts, const char *sha_msg)
{
	for (guint i = 0; atts && i < json_array_get_length(atts); i++) {
		JsonObject *a = arr_obj(atts, i);
		if (str(a, "filename") || str(a, "sha256")) {
			g_autofree char *uuid = g_uuid_string_random();
			json_builder_begin_object(b);
			add_str(b, "name", "file");
			add_str(b, "meta-category", "file");
			/* misp-objects objects/file/definition.json */
			add_str(b, "template_uuid", "688c46fb-5edb-40a3-8273-1af7923e2215");
			add_str(b, "uuid", uuid);
			add_str(b, "distribution", "5");
			g_autofree char *comment = g_strdup_printf("part %s of message %s", str(a, "path"),
			                                           sha_msg);
			add_str(b, "comment", comment);
			json_builder_set_member_name(b, "Attribute");
			json_builder_begin_array(b);
			if (str(a, "filename"))
				misp_attribute(b, "filename", "Payload delivery", str(a, "filename"), false,
				               "filename", NULL);
			if (str(a, "sha256"))
				misp_attribute(b, "sha256", "Payload delivery", str(a, "sha256"), true,
				               "sha256", NULL);
			g_autofree char *size = g_strdup_printf("%" G_GINT64_FORMAT, num(a, "size", 0));
			misp_attribute(b, "size-in-bytes", "Other", size, false, "size-in-bytes", NULL);
			json_builder_end_array(b);
			json_builder_end_object(b);
		}
		misp_files(b, arr(a, "children"), sha_msg);
	}
}

/* filename|sha256 attributes for every hashed, named attachment. */
static void misp_file_hashes(JsonBuilder *b, JsonArray *atts)
{
	for (guint i = 0; atts && i < json_array_get_length(atts); i++) {
		JsonObject *a = arr_obj(atts, i);
		if (str(a, "filename") && str(a, "sha256")) {
			g_autofree char *v = g_strdup_printf("%s|%s", str(a, "filename"), str(a, "sha256"));
			misp_attribute(b, "filename|sha256", "Payload delivery", v, true, NULL, NULL);
		}
		misp_file_hashes(b, arr(a, "children"));
	}
}

static char *export_misp(const export_data *x)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *uuid = g_uuid_string_random();
	g_autoptr(GDateTime) created = g_date_time_new_from_iso8601(x->c->created, NULL);
	g_autoptr(GDateTime) updated = g_date_time_new_from_iso8601(x->c->updated, NULL);
	g_autofree char *date = created ? g_date_time_format(created, "%Y-%m-%d") : NULL;
	g_autofree char *stamp = g_strdup_printf("%" G_GINT64_FORMAT,
	                                         updated ? g_date_time_to_unix(updated) : 0);
	/* threat level: 1 high .. 3 low, 4 undefined; analysis: 0 initial,
	 * 1 ongoing, 2 completed (MISP core format 2.2) */
	const char *threat = x->c->bec_type || g_strcmp0(x->c->verdict, "malicious") == 0 ||
	                                     g_strcmp0(x->c->verdict, "bec") == 0 ||
	                                     g_strcmp0(x->c->verdict, "malware") == 0 ||
	                                     g_strcmp0(x->c->verdict, "phishing") == 0
	                             ? "1"
	                     : g_strcmp0(x->c->verdict, "suspicious") == 0 ? "2"
	                     : g_strcmp0(x->c->verdict, "undecided") == 0  ? "4"
	                                                                   : "3";
	const char *analysis = g_strcmp0(x->c->status, "closed") == 0       ? "2"
	                       : g_strcmp0(x->c->verdict, "undecided") == 0 ? "0"
	                                                                    : "1";
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "Event");
	json_builder_begin_object(b);
	add_str(b, "uuid", uuid);
	add_str(b, "info", x->c->title);
	add_str(b, "date", date);
	add_str(b, "timestamp", stamp);
	add_str(b, "threat_level_id", threat);
	add_str(b, "analysis", analysis);
	add_str(b, "distribution", "0"); /* this organisation only, until shared on purpose */
	json_builder_set_member_name(b, "published");
	json_builder_add_boolean_value(b, FALSE);
	json_builder_set_member_name(b, "Tag");
	json_builder_begin_array(b);
	g_autofree char *tlp = g_strdup_printf("tlp:%s", x->tlp);
	json_builder_begin_object(b);
	add_str(b, "name", tlp);
	json_builder_end_object(b);
	g_autofree char *verdict = g_strdup_printf("kensa:verdict=\"%s\"", x->c->verdict);
	json_builder_begin_object(b);
	add_str(b, "name", verdict);
	json_builder_end_object(b);
	json_builder_end_array(b);

	json_builder_set_member_name(b, "Attribute");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		const char *type = "text", *category = "Other";
		misp_type(o->kind, &type, &category);
		misp_attribute(b, type, category, o->value, strcmp(type, "filename") != 0, NULL, NULL);
	}
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		if (m->subject)
			misp_attribute(b, "email-subject", "Payload delivery", m->subject, false, NULL,
			               NULL);
		misp_file_hashes(b, arr(g_ptr_array_index(x->reports, i), "attachments"));
	}
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		g_autofree char *comment = g_strdup_printf("note by %s, %s%s%s", n->author, n->created,
		                                           n->about ? ", about " : "",
		                                           n->about ? n->about : "");
		misp_attribute(b, "comment", "Other", n->text, false, NULL, comment);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "Object");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		JsonObject *r = g_ptr_array_index(x->reports, i);
		JsonObject *msg = obj(r, "message");
		g_autofree char *ouuid = g_uuid_string_random();
		json_builder_begin_object(b);
		add_str(b, "name", "email");
		add_str(b, "meta-category", "network");
		/* misp-objects objects/email/definition.json */
		add_str(b, "template_uuid", "a0c666e0-fc65-4be8-b48f-3423d788b552");
		add_str(b, "uuid", ouuid);
		add_str(b, "distribution", "5");
		json_builder_set_member_name(b, "Attribute");
		json_builder_begin_array(b);
		static const struct {
			const char *key, *relation, *type;
		} lists[] = {
			{"from", "from", "email-src"},
			{"reply_to", "reply-to", "email-reply-to"},
			{"to", "to", "email-dst"},
			{"cc", "cc", "email-dst"},
		};
		for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
			JsonArray *a = arr(msg, lists[l].key);
			for (guint k = 0; a && k < json_array_get_length(a); k++) {
				JsonObject *ad = arr_obj(a, k);
				if (str(ad, "address"))
					misp_attribute(b, lists[l].type, "Payload delivery",
					               str(ad, "address"), l < 2, lists[l].relation, NULL);
				if (l == 0 && str(ad, "name"))
					misp_attribute(b, "email-src-display-name", "Payload delivery",
					               str(ad, "name"), false, "from-display-name", NULL);
			}
		}
		if (str(msg, "return_path"))
			misp_attribute(b, "email-src", "Payload delivery", str(msg, "return_path"), true,
			               "return-path", NULL);
		if (m->subject)
			misp_attribute(b, "email-subject", "Payload delivery", m->subject, false,
			               "subject", NULL);
		if (str(msg, "message_id"))
			misp_attribute(b, "email-message-id", "Payload delivery", str(msg, "message_id"),
			               false, "message-id", NULL);
		if (m->date)
			misp_attribute(b, "datetime", "Other", m->date, false, "send-date", NULL);
		json_builder_end_array(b);
		json_builder_end_object(b);
		misp_files(b, arr(r, "attachments"), m->sha256);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	return builder_text(b);
}

/* ---- redaction ---- */

typedef struct {
	GHashTable *map; /* original -> placeholder */
	GPtrArray *names; /* char*: personal names, longest first */
	int people, users;
} redactor;

/* "hoshizora-denko" -> "hos●●ko": the advisories' way of showing which
 * organisation without naming it. */
static char *mask_label(const char *label)
{
	glong n = g_utf8_strlen(label, -1);
	if (n <= 4)
		return g_strdup("●●");
	g_autofree char *head = g_utf8_substring(label, 0, 3);
	g_autofree char *tail = g_utf8_substring(label, n - 2, n);
	return g_strdup_printf("%s●●%s", head, tail);
}

static void collect_name(redactor *r, const char *name)
{
	if (!name || g_utf8_strlen(name, -1) < 2 || g_hash_table_contains(r->map, name))
		return;
	g_hash_table_insert(r->map, g_strdup(name), g_strdup_printf("Person-%d", ++r->people));
	g_ptr_array_add(r->names, g_strdup(name));
}

static void collect_names(redactor *r, JsonArray *a)
{
	for (guint i = 0; a && i < json_array_get_length(a); i++)
		collect_name(r, str(arr_obj(a, i), "name"));
}

static gint longest_first(gconstpointer a, gconstpointer b)
{
	return (gint)strlen(*(char *const *)b) - (gint)strlen(*(char *const *)a);
}

/* Replaces every occurrence of from in s with to. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	if (!*from)
		return g_strdup(s);
	GString *o = g_string_new(NULL);
	const char *p = s, *hit;
	size_t n = strlen(from);
	while ((hit = strstr(p, from))) {
		g_string_append_len(o, p, hit - p);
		g_string_append(o, to);
		p = hit + n;
	}
	g_string_append(o, p);
	return g_string_free(o, FALSE);
}

static gboolean redact_email(const GMatchInfo *m, GString *out, gpointer user)
{
	redactor *r = user;
	g_autofree char *local = g_match_info_fetch(m, 1);
	g_autofree char *domain = g_match_info_fetch(m, 2);
	g_autofree char *key = g_strdup_printf("local:%s", local);
	g_autofree char *lower = g_ascii_strdown(key, -1);
	const char *ph = g_hash_table_lookup(r->map, lower);
	if (!ph) {
		char *p = g_strdup_printf("user-%d", ++r->users);
		g_hash_table_insert(r->map, g_strdup(lower), p);
		ph = p;
	}
	g_autofree char *whole = g_match_info_fetch(m, 0);
	g_string_append_printf(out, "%s%s%s", ph, strstr(whole, "[@]") ? "[@]" : "@", domain);
	return FALSE;
}

static char *redact(const export_data *x, char *text)
{
	redactor r = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
	              g_ptr_array_new_with_free_func(g_free), 0, 0};
	for (guint i = 0; i < x->contacts->len; i++)
		collect_name(&r, ((ks_contact_record *)g_ptr_array_index(x->contacts, i))->name);
	for (guint i = 0; i < x->reports->len; i++) {
		JsonObject *msg = obj(g_ptr_array_index(x->reports, i), "message");
		static const char *const lists[] = {"from", "sender", "reply_to", "to", "cc"};
		for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
			collect_names(&r, arr(msg, lists[l]));
	}
	for (guint i = 0; i < x->notes->len; i++)
		collect_name(&r, ((ks_case_note *)g_ptr_array_index(x->notes, i))->author);
	g_ptr_array_sort(r.names, longest_first);

	/* local parts first (so a name inside an address is not half-replaced),
	 * then names, then the protected labels */
	/* also the defanged form user[@]host that the IOC lists print; no
	 * quote in the local part, so a STIX pattern's quotes survive */
	g_autoptr(GRegex) re = g_regex_new("([A-Za-z0-9._%+-]+)(?:@|\\[@\\])([A-Za-z0-9.\\[\\]-]+)",
	                                   0, 0, NULL);
	char *out = g_regex_replace_eval(re, text, -1, 0, 0, redact_email, &r, NULL);
	g_free(text);
	for (guint i = 0; out && i < r.names->len; i++) {
		const char *name = g_ptr_array_index(r.names, i);
		char *next = replace_all(out, name, g_hash_table_lookup(r.map, name));
		g_free(out);
		out = next;
	}
	for (guint i = 0; out && i < x->protected_domains->len; i++) {
		const ks_protected_record *p = g_ptr_array_index(x->protected_domains, i);
		g_autofree char *label = g_strdup(p->domain);
		char *dot = strchr(label, '.');
		if (dot)
			*dot = '\0';
		g_autofree char *masked = mask_label(label);
		char *next = replace_all(out, label, masked);
		g_free(out);
		out = next;
		if (p->label && *p->label) {
			g_autofree char *ml = mask_label(p->label);
			next = replace_all(out, p->label, ml);
			g_free(out);
			out = next;
		}
	}
	g_hash_table_unref(r.map);
	g_ptr_array_unref(r.names);
	return out;
}

char *ks_case_export(ks_store *s, int64_t id, const ks_export_options *opt, GError **error)
{
	export_data x = {0};
	if (!data_load(s, id, opt, &x, error)) {
		data_clear(&x);
		return NULL;
	}
	char *text = NULL;
	switch (opt->format) {
	case KS_EXPORT_MARKDOWN:
		text = export_markdown(&x);
		break;
	case KS_EXPORT_HTML:
		text = export_html(&x);
		break;
	case KS_EXPORT_JSON:
		text = export_json(&x);
		break;
	case KS_EXPORT_STIX:
		text = export_stix(&x);
		break;
	case KS_EXPORT_MISP:
		text = export_misp(&x);
		break;
	}
	if (text && opt->redact)
		text = redact(&x, text);
	data_clear(&x);
	if (!text)
		g_set_error(error, KS_ERROR, KS_ERROR_DB, "export failed");
	return text;
}
