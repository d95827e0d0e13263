/* The case as a STIX 2.1 bundle (OASIS STIX 2.1 CS02, 2021): every object
 * has type, spec_version, id "type--UUIDv4", created/modified with
 * millisecond precision; TLP uses the four predefined TLP
 * marking-definitions (7.2.1.4).  IOCs become indicators with STIX patterns;
 * each message an email-message with its addresses and files, inside an
 * observed-data; notes become notes on the report object.  A victim's IOC
 * that redaction masked is left out of the indicators: a placeholder is
 * nothing to block. */
#include "export/export_private.h"

#include "output/writers.h"

#include <string.h>



/* STIX timestamps: UTC, millisecond precision (STIX 2.1, 3.2). */
static char *stix_time(GDateTime *t)
{
	g_autoptr(GDateTime) now = t ? NULL : g_date_time_new_now_utc();
	g_autoptr(GDateTime) u = g_date_time_to_utc(t ? t : now);
	return g_date_time_format(u, "%Y-%m-%dT%H:%M:%S.000Z");
}

static char *stix_time_text(const char *rfc3339)
{
	g_autoptr(GDateTime) t = rfc3339 ? g_date_time_new_from_iso8601(rfc3339, NULL) : NULL;
	return stix_time(t);
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
	switch (ks_export_ioc_kind(o->kind)) {
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
	case KS_IOC_BANK_ACCOUNT:
	case KS_IOC_IBAN:
	case KS_IOC_PHONE:
	case KS_IOC_KIND_COUNT:
		break; /* STIX 2.1 has no object for these: they go in a note */
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
	ks_json_add_str(s->b, "type", type);
	ks_json_add_str(s->b, "spec_version", "2.1");
	ks_json_add_str(s->b, "id", id);
	ks_json_add_str(s->b, "created", s->created);
	ks_json_add_str(s->b, "modified", s->created);
	ks_json_add_str(s->b, "created_by_ref", s->identity);
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

/* An email-addr SCO; its id, or NULL. */
static char *stix_address(stix *s, const ks_address *a)
{
	if (!a->address)
		return NULL;
	char *id = stix_id("email-addr");
	json_builder_begin_object(s->b);
	ks_json_add_str(s->b, "type", "email-addr");
	ks_json_add_str(s->b, "spec_version", "2.1");
	ks_json_add_str(s->b, "id", id);
	ks_json_add_str(s->b, "value", a->address);
	if (a->name)
		ks_json_add_str(s->b, "display_name", a->name);
	json_builder_end_object(s->b);
	return id;
}

static void stix_addresses(stix *s, const GPtrArray *list, GPtrArray *ids)
{
	for (guint i = 0; list && i < list->len; i++) {
		char *id = stix_address(s, g_ptr_array_index(list, i));
		if (id)
			g_ptr_array_add(ids, id);
	}
}

static void stix_message(stix *s, const ks_case_message *m, const ks_report *r)
{
	g_autoptr(GPtrArray) from_ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) to_ids = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) cc_ids = g_ptr_array_new_with_free_func(g_free);
	if (r && r->from->len)
		stix_addresses(s, r->from, from_ids);
	if (r) {
		stix_addresses(s, r->to, to_ids);
		stix_addresses(s, r->cc, cc_ids);
	}
	g_autofree char *email_id = stix_id("email-message");
	json_builder_begin_object(s->b);
	ks_json_add_str(s->b, "type", "email-message");
	ks_json_add_str(s->b, "spec_version", "2.1");
	ks_json_add_str(s->b, "id", email_id);
	json_builder_set_member_name(s->b, "is_multipart");
	json_builder_add_boolean_value(s->b, FALSE);
	if (r && r->date) {
		g_autofree char *t = stix_time(r->date);
		ks_json_add_str(s->b, "date", t);
	}
	if (m->subject)
		ks_json_add_str(s->b, "subject", m->subject);
	if (from_ids->len)
		ks_json_add_str(s->b, "from_ref", g_ptr_array_index(from_ids, 0));
	if (to_ids->len)
		add_refs(s->b, "to_refs", to_ids);
	if (cc_ids->len)
		add_refs(s->b, "cc_refs", cc_ids);
	if (r && r->message_id)
		ks_json_add_str(s->b, "message_id", r->message_id);
	json_builder_end_object(s->b);

	g_autoptr(GPtrArray) observed = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(observed, g_strdup(email_id));
	GPtrArray *lists[] = {from_ids, to_ids, cc_ids};
	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
		for (guint i = 0; i < lists[l]->len; i++)
			g_ptr_array_add(observed, g_strdup(g_ptr_array_index(lists[l], i)));
	/* each top-level attachment with a hash as a file SCO */
	for (guint i = 0; r && i < r->attachments->len; i++) {
		const ks_attachment *a = g_ptr_array_index(r->attachments, i);
		if (!a->sha256[0])
			continue;
		char *fid = stix_id("file");
		json_builder_begin_object(s->b);
		ks_json_add_str(s->b, "type", "file");
		ks_json_add_str(s->b, "spec_version", "2.1");
		ks_json_add_str(s->b, "id", fid);
		json_builder_set_member_name(s->b, "hashes");
		json_builder_begin_object(s->b);
		ks_json_add_str(s->b, "SHA-256", a->sha256);
		json_builder_end_object(s->b);
		if (a->filename)
			ks_json_add_str(s->b, "name", a->filename);
		ks_json_add_int(s->b, "size", a->size);
		json_builder_end_object(s->b);
		g_ptr_array_add(observed, fid);
	}
	g_autofree char *when = r && r->date ? stix_time(r->date) : stix_time_text(m->added);
	char *od = sdo_begin(s, "observed-data");
	ks_json_add_str(s->b, "first_observed", when);
	ks_json_add_str(s->b, "last_observed", when);
	ks_json_add_int(s->b, "number_observed", 1);
	add_refs(s->b, "object_refs", observed);
	json_builder_end_object(s->b);
	g_ptr_array_add(s->refs, od);
}

char *ks_export_stix(const ks_export_data *x)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *created = stix_time_text(x->c->created);
	g_autofree char *bundle = stix_id("bundle");
	g_autofree char *identity = stix_id("identity");
	const char *marking = tlp_markings[2].id;
	const char *tlp_name = "amber";
	for (size_t i = 0; i < G_N_ELEMENTS(tlp_markings); i++)
		if (strcmp(x->tlp, tlp_markings[i].level) == 0) {
			marking = tlp_markings[i].id;
			tlp_name = tlp_markings[i].name;
		}
	stix s = {b, created, identity, marking, g_ptr_array_new_with_free_func(g_free)};

	json_builder_begin_object(b);
	ks_json_add_str(b, "type", "bundle");
	ks_json_add_str(b, "id", bundle);
	json_builder_set_member_name(b, "objects");
	json_builder_begin_array(b);

	/* the TLP marking-definition as the specification fixes it */
	json_builder_begin_object(b);
	ks_json_add_str(b, "type", "marking-definition");
	ks_json_add_str(b, "spec_version", "2.1");
	ks_json_add_str(b, "id", marking);
	ks_json_add_str(b, "created", "2017-01-20T00:00:00.000Z");
	ks_json_add_str(b, "definition_type", "tlp");
	g_autofree char *up = g_ascii_strup(tlp_name, -1);
	g_autofree char *mname = g_strdup_printf("TLP:%s", up);
	ks_json_add_str(b, "name", mname);
	json_builder_set_member_name(b, "definition");
	json_builder_begin_object(b);
	ks_json_add_str(b, "tlp", tlp_name);
	json_builder_end_object(b);
	json_builder_end_object(b);

	json_builder_begin_object(b);
	ks_json_add_str(b, "type", "identity");
	ks_json_add_str(b, "spec_version", "2.1");
	ks_json_add_str(b, "id", identity);
	ks_json_add_str(b, "created", created);
	ks_json_add_str(b, "modified", created);
	ks_json_add_str(b, "name", "kensa");
	ks_json_add_str(b, "identity_class", "system");
	json_builder_end_object(b);

	/* indicators: the attacker's IOCs only; what STIX has no object for
	 * (bank accounts, callback numbers) is listed in a note */
	g_autoptr(GString) payment = g_string_new(NULL);
	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		if (!ks_export_ioc_blocks(x, i))
			continue;
		g_autofree char *pattern = ioc_pattern(o);
		if (!pattern) {
			g_string_append_printf(payment, "%s%s %s", payment->len ? "; " : "", o->kind,
			                       o->value);
			continue;
		}
		char *id = sdo_begin(&s, "indicator");
		g_autofree char *name = g_strdup_printf("%s %s", o->kind, o->value);
		ks_json_add_str(b, "name", name);
		json_builder_set_member_name(b, "indicator_types");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, "malicious-activity");
		json_builder_end_array(b);
		ks_json_add_str(b, "pattern", pattern);
		ks_json_add_str(b, "pattern_type", "stix");
		ks_json_add_str(b, "valid_from", created);
		json_builder_end_object(b);
		g_ptr_array_add(s.refs, id);
	}
	for (guint i = 0; i < x->messages->len; i++)
		stix_message(&s, g_ptr_array_index(x->messages, i), g_ptr_array_index(x->reports, i));

	/* the report first gets its id, so the notes can point at it */
	g_autofree char *report_id = stix_id("report");
	if (payment->len) {
		g_autofree char *id = sdo_begin(&s, "note");
		ks_json_add_str(b, "abstract", "payment details and callback numbers the attacker gave");
		ks_json_add_str(b, "content", payment->str);
		json_builder_set_member_name(b, "object_refs");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, report_id);
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		g_autofree char *nt = stix_time_text(n->created);
		g_autofree char *id = stix_id("note");
		json_builder_begin_object(b);
		ks_json_add_str(b, "type", "note");
		ks_json_add_str(b, "spec_version", "2.1");
		ks_json_add_str(b, "id", id);
		ks_json_add_str(b, "created", nt);
		ks_json_add_str(b, "modified", nt);
		ks_json_add_str(b, "created_by_ref", identity);
		json_builder_set_member_name(b, "object_marking_refs");
		json_builder_begin_array(b);
		json_builder_add_string_value(b, marking);
		json_builder_end_array(b);
		if (n->about)
			ks_json_add_str(b, "abstract", n->about);
		ks_json_add_str(b, "content", n->text);
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

	g_autofree char *updated = stix_time_text(x->c->updated);
	json_builder_begin_object(b);
	ks_json_add_str(b, "type", "report");
	ks_json_add_str(b, "spec_version", "2.1");
	ks_json_add_str(b, "id", report_id);
	ks_json_add_str(b, "created", created);
	ks_json_add_str(b, "modified", updated);
	ks_json_add_str(b, "created_by_ref", identity);
	json_builder_set_member_name(b, "object_marking_refs");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, marking);
	json_builder_end_array(b);
	ks_json_add_str(b, "name", x->c->title);
	g_autofree char *desc = g_strdup_printf("kensa case %" G_GINT64_FORMAT ": verdict %s, BEC "
	                                        "type %d (%s), %u messages",
	                                        x->c->id, x->c->verdict, x->c->bec_type,
	                                        ks_bec_type_name(x->c->bec_type), x->messages->len);
	ks_json_add_str(b, "description", desc);
	json_builder_set_member_name(b, "report_types");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "threat-report");
	json_builder_end_array(b);
	ks_json_add_str(b, "published", updated);
	/* object_refs must not be empty (STIX 2.1, 4.15): the identity at least */
	g_ptr_array_add(s.refs, g_strdup(identity));
	add_refs(b, "object_refs", s.refs);
	json_builder_end_object(b);

	json_builder_end_array(b);
	json_builder_end_object(b);
	g_ptr_array_unref(s.refs);
	return ks_json_builder_text(b);
}
