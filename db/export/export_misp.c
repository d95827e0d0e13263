/* The case as a MISP event (MISP core format, draft-dulaunoy-misp-core-
 * format): Event with Attribute, Object (email, file) and Tag "tlp:LEVEL".
 * Attribute types and categories are the pairs MISP's describeTypes allows.
 * A victim's IOC that redaction masked is never to_ids: a placeholder is
 * nothing to block. */
#include "export/export_private.h"

#include <string.h>

static void attribute(JsonBuilder *b, const char *type, const char *category, const char *value,
                      bool to_ids, const char *relation, const char *comment)
{
	g_autofree char *uuid = g_uuid_string_random();
	json_builder_begin_object(b);
	ks_json_add_str(b, "uuid", uuid);
	ks_json_add_str(b, "type", type);
	ks_json_add_str(b, "category", category);
	ks_json_add_str(b, "value", value);
	json_builder_set_member_name(b, "to_ids");
	json_builder_add_boolean_value(b, to_ids);
	ks_json_add_str(b, "distribution", "5"); /* inherit the event's */
	if (relation)
		ks_json_add_str(b, "object_relation", relation);
	if (comment)
		ks_json_add_str(b, "comment", comment);
	json_builder_end_object(b);
}

/* MISP attribute type and category for an IOC kind (MISP core format 2.3:
 * the categories each type may have). */
static void ioc_type(ks_ioc_kind kind, const char **type, const char **category)
{
	switch (kind) {
	case KS_IOC_DOMAIN:
		*type = "domain", *category = "Network activity";
		return;
	case KS_IOC_IP:
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
	case KS_IOC_BANK_ACCOUNT:
		*type = "bank-account-nr", *category = "Financial fraud";
		return;
	case KS_IOC_IBAN:
		*type = "iban", *category = "Financial fraud";
		return;
	case KS_IOC_PHONE:
		*type = "phone-number", *category = "Person"; /* MISP's default category */
		return;
	case KS_IOC_KIND_COUNT:
		return;
	}
}

static void file_objects(JsonBuilder *b, const GPtrArray *atts, const char *sha_msg, int depth)
{
	for (guint i = 0; atts && i < atts->len && depth < 16; i++) {
		const ks_attachment *a = g_ptr_array_index(atts, i);
		if (a->filename || a->sha256[0]) {
			g_autofree char *uuid = g_uuid_string_random();
			json_builder_begin_object(b);
			ks_json_add_str(b, "name", "file");
			ks_json_add_str(b, "meta-category", "file");
			/* misp-objects objects/file/definition.json */
			ks_json_add_str(b, "template_uuid", "688c46fb-5edb-40a3-8273-1af7923e2215");
			ks_json_add_str(b, "uuid", uuid);
			ks_json_add_str(b, "distribution", "5");
			g_autofree char *comment = g_strdup_printf("part %s of message %s", a->path, sha_msg);
			ks_json_add_str(b, "comment", comment);
			json_builder_set_member_name(b, "Attribute");
			json_builder_begin_array(b);
			if (a->filename)
				attribute(b, "filename", "Payload delivery", a->filename, false, "filename",
				          NULL);
			if (a->sha256[0])
				attribute(b, "sha256", "Payload delivery", a->sha256, true, "sha256", NULL);
			g_autofree char *size = g_strdup_printf("%" G_GINT64_FORMAT, a->size);
			attribute(b, "size-in-bytes", "Other", size, false, "size-in-bytes", NULL);
			json_builder_end_array(b);
			json_builder_end_object(b);
		}
		file_objects(b, a->children, sha_msg, depth + 1);
	}
}

/* filename|sha256 attributes for every hashed, named attachment. */
static void file_hashes(JsonBuilder *b, const GPtrArray *atts, int depth)
{
	for (guint i = 0; atts && i < atts->len && depth < 16; i++) {
		const ks_attachment *a = g_ptr_array_index(atts, i);
		if (a->filename && a->sha256[0]) {
			g_autofree char *v = g_strdup_printf("%s|%s", a->filename, a->sha256);
			attribute(b, "filename|sha256", "Payload delivery", v, true, NULL, NULL);
		}
		file_hashes(b, a->children, depth + 1);
	}
}

static void email_object(JsonBuilder *b, const ks_export_data *x, const ks_case_message *m,
                         const ks_report *r)
{
	g_autofree char *uuid = g_uuid_string_random();
	json_builder_begin_object(b);
	ks_json_add_str(b, "name", "email");
	ks_json_add_str(b, "meta-category", "network");
	/* misp-objects objects/email/definition.json */
	ks_json_add_str(b, "template_uuid", "a0c666e0-fc65-4be8-b48f-3423d788b552");
	ks_json_add_str(b, "uuid", uuid);
	ks_json_add_str(b, "distribution", "5");
	json_builder_set_member_name(b, "Attribute");
	json_builder_begin_array(b);
	const struct {
		const GPtrArray *list;
		const char *relation, *type;
		bool sender;
	} lists[] = {
		{r ? r->from : NULL, "from", "email-src", true},
		{r ? r->reply_to : NULL, "reply-to", "email-reply-to", true},
		{r ? r->to : NULL, "to", "email-dst", false},
		{r ? r->cc : NULL, "cc", "email-dst", false},
	};
	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
		for (guint k = 0; lists[l].list && k < lists[l].list->len; k++) {
			const ks_address *a = g_ptr_array_index(lists[l].list, k);
			if (a->address)
				attribute(b, lists[l].type, "Payload delivery", a->address,
				          lists[l].sender &&
				              ks_export_report_ioc_blocks(x, r, KS_IOC_EMAIL, a->address), lists[l].relation,
				          NULL);
			if (l == 0 && a->name)
				attribute(b, "email-src-display-name", "Payload delivery", a->name, false,
				          "from-display-name", NULL);
		}
	if (r && r->return_path)
		attribute(b, "email-src", "Payload delivery", r->return_path,
		          ks_export_report_ioc_blocks(x, r, KS_IOC_EMAIL, r->return_path), "return-path", NULL);
	if (m->subject)
		attribute(b, "email-subject", "Payload delivery", m->subject, false, "subject", NULL);
	if (r && r->message_id)
		attribute(b, "email-message-id", "Payload delivery", r->message_id, false, "message-id",
		          NULL);
	if (m->date)
		attribute(b, "datetime", "Other", m->date, false, "send-date", NULL);
	json_builder_end_array(b);
	json_builder_end_object(b);
}

char *ks_export_misp(const ks_export_data *x)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree char *uuid = g_uuid_string_random();
	g_autoptr(GDateTime) created = g_date_time_new_from_iso8601(x->c->created, NULL);
	g_autoptr(GDateTime) updated = g_date_time_new_from_iso8601(x->c->updated, NULL);
	g_autofree char *date = created ? g_date_time_format(created, "%Y-%m-%d") : NULL;
	g_autofree char *stamp =
		g_strdup_printf("%" G_GINT64_FORMAT, updated ? g_date_time_to_unix(updated) : 0);
	/* threat level: 1 high .. 3 low, 4 undefined; analysis: 0 initial,
	 * 1 ongoing, 2 completed (MISP core format 2.2) */
	const char *v = x->c->verdict;
	const char *threat = x->c->bec_type || g_strcmp0(v, "malicious") == 0 ||
	                                     g_strcmp0(v, "bec") == 0 ||
	                                     g_strcmp0(v, "malware") == 0 ||
	                                     g_strcmp0(v, "phishing") == 0
	                             ? "1"
	                     : g_strcmp0(v, "suspicious") == 0 ? "2"
	                     : g_strcmp0(v, "undecided") == 0  ? "4"
	                                                       : "3";
	const char *analysis = g_strcmp0(x->c->status, "closed") == 0 ? "2"
	                       : g_strcmp0(v, "undecided") == 0       ? "0"
	                                                              : "1";
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "Event");
	json_builder_begin_object(b);
	ks_json_add_str(b, "uuid", uuid);
	ks_json_add_str(b, "info", x->c->title);
	ks_json_add_str(b, "date", date);
	ks_json_add_str(b, "timestamp", stamp);
	ks_json_add_str(b, "threat_level_id", threat);
	ks_json_add_str(b, "analysis", analysis);
	ks_json_add_str(b, "distribution", "0"); /* this organisation only, until shared on purpose */
	json_builder_set_member_name(b, "published");
	json_builder_add_boolean_value(b, FALSE);
	json_builder_set_member_name(b, "Tag");
	json_builder_begin_array(b);
	g_autofree char *tlp = g_strdup_printf("tlp:%s", x->tlp);
	json_builder_begin_object(b);
	ks_json_add_str(b, "name", tlp);
	json_builder_end_object(b);
	g_autofree char *verdict = g_strdup_printf("kensa:verdict=\"%s\"", v);
	json_builder_begin_object(b);
	ks_json_add_str(b, "name", verdict);
	json_builder_end_object(b);
	json_builder_end_array(b);

	json_builder_set_member_name(b, "Attribute");
	json_builder_begin_array(b);
	/* the attacker's IOCs to block; the victim's and the internal ones as
	 * context (to_ids false, their role in the comment); shared
	 * infrastructure is left out: it is nobody's indicator */
	for (guint i = 0; i < x->iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
		ks_ioc_role role = ks_export_ioc_role(o);
		if (role == KS_IOC_ROLE_BENIGN)
			continue;
		const char *type = "text", *category = "Other";
		ks_ioc_kind kind = ks_export_ioc_kind(o->kind);
		ioc_type(kind, &type, &category);
		if (role != KS_IOC_ROLE_ATTACKER && kind == KS_IOC_EMAIL)
			type = "email-dst"; /* the receiving side's mailbox */
		bool to_ids = kind != KS_IOC_FILENAME && ks_export_ioc_blocks(x, i);
		g_autofree char *comment = role == KS_IOC_ROLE_ATTACKER
		                               ? NULL
		                               : g_strdup_printf("%s: context, not an indicator",
		                                                 ks_ioc_role_name(role));
		attribute(b, type, category, o->value, to_ids, NULL, comment);
	}
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		const ks_report *r = g_ptr_array_index(x->reports, i);
		if (m->subject)
			attribute(b, "email-subject", "Payload delivery", m->subject, false, NULL, NULL);
		if (r)
			file_hashes(b, r->attachments, 0);
	}
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		g_autofree char *comment = g_strdup_printf("note by %s, %s%s%s", n->author, n->created,
		                                           n->about ? ", about " : "",
		                                           n->about ? n->about : "");
		attribute(b, "comment", "Other", n->text, false, NULL, comment);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "Object");
	json_builder_begin_array(b);
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		const ks_report *r = g_ptr_array_index(x->reports, i);
		email_object(b, x, m, r);
		if (r)
			file_objects(b, r->attachments, m->sha256, 0);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	return ks_json_builder_text(b);
}
