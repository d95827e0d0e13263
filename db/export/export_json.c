/* The case as JSON for scripts ("kensa.case/1"): the case, each message with
 * its report (SPEC.md "kensa.report/1", written by the report's own JSON
 * writer from the typed, possibly redacted, report), the notes, the IOCs
 * with their roles, the case timeline and the threads' drift.
 * json-glib builds it, so it is valid JSON whatever the strings hold. */
#include "export/export_private.h"

#include "output/writers.h"

void ks_json_add_str(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

void ks_json_add_int(JsonBuilder *b, const char *key, gint64 value)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, value);
}

char *ks_export_json(const ks_export_data *x)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	ks_json_add_str(b, "schema", "kensa.case/1");
	json_builder_set_member_name(b, "case");
	json_builder_begin_object(b);
	ks_json_add_int(b, "id", x->c->id);
	ks_json_add_str(b, "title", x->c->title);
	ks_json_add_str(b, "status", x->c->status);
	ks_json_add_str(b, "verdict", x->c->verdict);
	ks_json_add_int(b, "bec_type", x->c->bec_type);
	ks_json_add_str(b, "tlp", x->tlp);
	ks_json_add_str(b, "created", x->c->created);
	ks_json_add_str(b, "updated", x->c->updated);
	ks_json_add_str(b, "redacted", x->redact == KS_REDACT_PUBLIC    ? "public"
	                       : x->redact == KS_REDACT_PARTNER ? "partner"
	                                                        : NULL);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "messages");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		const ks_report *r = g_ptr_array_index(x->reports, i);
		json_builder_begin_object(b);
		ks_json_add_int(b, "id", m->id);
		ks_json_add_str(b, "sha256", m->sha256);
		ks_json_add_str(b, "added", m->added);
		ks_json_add_str(b, "path", m->path);
		json_builder_set_member_name(b, "report");
		g_autofree char *json = r ? ks_report_to_json(r, false) : NULL;
		JsonNode *n = json ? json_from_string(json, NULL) : NULL;
		if (n)
			json_builder_add_value(b, n);
		else
			json_builder_add_null_value(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "notes");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		json_builder_begin_object(b);
		ks_json_add_int(b, "id", n->id);
		ks_json_add_str(b, "created", n->created);
		ks_json_add_str(b, "author", n->author);
		ks_json_add_str(b, "about", n->about);
		ks_json_add_str(b, "text", n->text);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "iocs");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		json_builder_begin_object(b);
		ks_json_add_str(b, "kind", o->kind);
		ks_json_add_str(b, "value", o->value);
		ks_json_add_str(b, "role", ks_ioc_role_name(ks_export_ioc_role(o)));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	/* the case timeline and the threads' drift, as the summaries show them */
	json_builder_set_member_name(b, "timeline");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->events->len; i++) {
		const ks_export_event *e = g_ptr_array_index(x->events, i);
		g_autofree char *when = ks_time_format(e->time);
		json_builder_begin_object(b);
		ks_json_add_str(b, "time", when);
		ks_json_add_str(b, "lane", ks_export_lane_name(e->lane));
		ks_json_add_str(b, "event", e->text);
		ks_json_add_int(b, "message", e->message);
		json_builder_set_member_name(b, "alert");
		json_builder_add_boolean_value(b, e->alert);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "threads");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->threads->len; i++) {
		const ks_export_thread *t = g_ptr_array_index(x->threads, i);
		json_builder_begin_object(b);
		ks_json_add_str(b, "subject", t->subject);
		ks_json_add_int(b, "messages", t->messages);
		json_builder_set_member_name(b, "drift");
		json_builder_begin_array(b);
		for (guint k = 0; k < t->drift->len; k++) {
			const ks_export_drift *d = g_ptr_array_index(t->drift, k);
			json_builder_begin_object(b);
			ks_json_add_int(b, "message", d->message);
			ks_json_add_str(b, "id", ks_rule_id(d->rule));
			ks_json_add_str(b, "severity", ks_severity_name(d->severity));
			ks_json_add_str(b, "evidence", d->evidence);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return ks_json_builder_text(b);
}

char *ks_json_builder_text(JsonBuilder *b)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autoptr(JsonGenerator) g = json_generator_new();
	json_generator_set_pretty(g, TRUE);
	json_generator_set_root(g, root);
	g_autofree char *s = json_generator_to_data(g, NULL);
	return g_strconcat(s, "\n", NULL);
}
