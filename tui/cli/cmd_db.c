/* `kensa db export FILE | import FILE`: the whole store as one portable
 * file (issue 16: moving a laptop's cases into a team's store and back).
 * The dump is JSON, schema "kensa.dump/1": every case with its fields, its
 * tags, its messages' raw bytes (base64; a message is analysed again on
 * import, by this kensa, with what the importing store knows), its notes as
 * written, the indicators an analyst judged, its history; and the knowledge tables
 * (registrations, protected domains, contacts, allowed infrastructure).
 * Importing is idempotent: a case is the one with the same title and
 * creation time, a message the one with the same SHA-256 in that case, a
 * note the one with the same time, author, text and place; knowledge rows
 * are replaced by key.  Nothing here knows the engine: only db/'s calls. */
#include "cli/cli.h"
#include "core/i18n.h"
#include "cases.h"
#include "core/digest.h"
#include "core/error.h"
#include "knowledge.h"
#include "mail/msg.h"

#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#define DUMP_SCHEMA "kensa.dump/1"

static const ks_cli_command export_cmd = {
	"db export", "FILE", "", NULL, 1, 1, N_("missing FILE"), N_("one FILE only"),
};
static const ks_cli_command import_cmd = {
	"db import", "FILE", "", NULL, 1, 1, N_("missing FILE"), N_("one FILE only"),
};

/* ---- export ---------------------------------------------------------------- */

static void add_str(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

static bool dump_case(ks_store *s, const ks_case *c, JsonBuilder *b, GError **error)
{
	g_autoptr(GPtrArray) tags = ks_case_tags(s, c->id, error);
	g_autoptr(GPtrArray) msgs = tags ? ks_case_messages(s, c->id, error) : NULL;
	g_autoptr(GPtrArray) notes = msgs ? ks_case_notes(s, c->id, error) : NULL;
	g_autoptr(GPtrArray) iocs = notes ? ks_case_iocs(s, c->id, error) : NULL;
	g_autoptr(GPtrArray) history = iocs ? ks_case_history(s, c->id, error) : NULL;
	if (!history)
		return false;
	json_builder_begin_object(b);
	add_str(b, "title", c->title);
	add_str(b, "status", c->status);
	add_str(b, "verdict", c->verdict);
	json_builder_set_member_name(b, "bec_type");
	json_builder_add_int_value(b, c->bec_type);
	add_str(b, "tlp", c->tlp);
	add_str(b, "created", c->created);
	add_str(b, "updated", c->updated);
	json_builder_set_member_name(b, "tags");
	json_builder_begin_array(b);
	for (guint i = 0; i < tags->len; i++)
		json_builder_add_string_value(b, tags->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "messages");
	json_builder_begin_array(b);
	for (guint i = 0; i < msgs->len; i++) {
		const ks_case_message *m = msgs->pdata[i];
		g_autoptr(GBytes) raw = ks_case_message_raw(s, m->id, error);
		if (!raw)
			return false;
		gsize len = 0;
		const guchar *p = g_bytes_get_data(raw, &len);
		g_autofree char *b64 = g_base64_encode(p, len);
		json_builder_begin_object(b);
		add_str(b, "sha256", m->sha256);
		add_str(b, "path", m->path);
		add_str(b, "added", m->added);
		add_str(b, "raw", b64);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "notes");
	json_builder_begin_array(b);
	for (guint i = 0; i < notes->len; i++) {
		const ks_case_note *n = notes->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "created", n->created);
		add_str(b, "author", n->author);
		add_str(b, "text", n->text);
		add_str(b, "about", n->about);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	/* the analyzers' indicators come back when the messages are analysed
	 * again; the analyst's judgements are the store's own */
	json_builder_set_member_name(b, "judged_iocs");
	json_builder_begin_array(b);
	for (guint i = 0; i < iocs->len; i++) {
		const ks_case_ioc *o = iocs->pdata[i];
		if (!o->judged_by)
			continue;
		json_builder_begin_object(b);
		add_str(b, "kind", o->kind);
		add_str(b, "value", o->value);
		add_str(b, "role", o->role);
		add_str(b, "judged_by", o->judged_by);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "history");
	json_builder_begin_array(b);
	for (guint i = 0; i < history->len; i++) {
		const ks_case_change *h = history->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "at", h->at);
		add_str(b, "author", h->author);
		add_str(b, "field", h->field);
		add_str(b, "old", h->old);
		add_str(b, "new", h->now);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return true;
}

static bool dump_knowledge(ks_store *s, JsonBuilder *b, GError **error)
{
	g_autoptr(GPtrArray) doms = ks_domain_list(s, error);
	g_autoptr(GPtrArray) prot = doms ? ks_protect_list(s, error) : NULL;
	g_autoptr(GPtrArray) contacts = prot ? ks_contact_list(s, error) : NULL;
	g_autoptr(GPtrArray) allowed = contacts ? ks_allow_list(s, error) : NULL;
	if (!allowed)
		return false;
	json_builder_set_member_name(b, "knowledge");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "domains");
	json_builder_begin_array(b);
	for (guint i = 0; i < doms->len; i++) {
		const ks_domain_record *d = doms->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "domain", d->domain);
		add_str(b, "registered", d->registered);
		add_str(b, "source", d->source);
		add_str(b, "added_by", d->added_by);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "protected");
	json_builder_begin_array(b);
	for (guint i = 0; i < prot->len; i++) {
		const ks_protected_record *p = prot->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "domain", p->domain);
		add_str(b, "label", p->label);
		add_str(b, "added_by", p->added_by);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "contacts");
	json_builder_begin_array(b);
	for (guint i = 0; i < contacts->len; i++) {
		const ks_contact_record *c = contacts->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "name", c->name);
		add_str(b, "address", c->address);
		add_str(b, "added_by", c->added_by);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "allowed");
	json_builder_begin_array(b);
	for (guint i = 0; i < allowed->len; i++) {
		const ks_allowed_record *a = allowed->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "value", a->value);
		add_str(b, "note", a->note);
		add_str(b, "added_by", a->added_by);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return true;
}

static int db_export(GPtrArray *operands)
{
	const char *file = operands->pdata[0];
	g_autoptr(ks_store) s = ks_cli_open_store(false);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) cases = ks_case_list(s, &err);
	if (!cases)
		return ks_cli_db_error("db export", err);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	add_str(b, "schema", DUMP_SCHEMA);
	json_builder_set_member_name(b, "cases");
	json_builder_begin_array(b);
	/* oldest first, so an import numbers them in the same order */
	for (guint i = cases->len; i-- > 0;)
		if (!dump_case(s, cases->pdata[i], b, &err))
			return ks_cli_db_error("db export", err);
	json_builder_end_array(b);
	if (!dump_knowledge(s, b, &err))
		return ks_cli_db_error("db export", err);
	json_builder_end_object(b);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	g_autofree char *text = json_generator_to_data(gen, NULL);
	/* written beside and renamed over, mode 0600: it holds every message */
	if (!g_file_set_contents_full(file, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err)) {
		ks_cli_error(file, err->message);
		g_error_free(err);
		return KS_EXIT_INPUT;
	}
	printf(P_("%u case written to %s\n", "%u cases written to %s\n", cases->len), cases->len,
	       file);
	return KS_EXIT_OK;
}

/* ---- import ---------------------------------------------------------------- */

static const char *member_str(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
	               ? json_node_get_string(n)
	               : NULL;
}

static JsonArray *member_array(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

typedef struct {
	guint cases, cases_new, messages, messages_new, notes, notes_new, bad;
} tally;

static bool import_case(ks_store *s, JsonObject *o, tally *t, GError **error)
{
	ks_case c = {
		.title = (char *)member_str(o, "title"),
		.status = (char *)member_str(o, "status"),
		.verdict = (char *)member_str(o, "verdict"),
		.bec_type = (int)json_object_get_int_member_with_default(o, "bec_type", 0),
		.tlp = (char *)member_str(o, "tlp"),
		.created = (char *)member_str(o, "created"),
		.updated = (char *)member_str(o, "updated"),
	};
	if (!c.title || !c.created || !c.updated || !c.status || !c.verdict || !c.tlp ||
	    !ks_case_verdict_valid(c.verdict) || c.bec_type < 0 || c.bec_type > 5) {
		t->bad++;
		return true;
	}
	int64_t id = 0;
	bool existed = false;
	if (!ks_case_import(s, &c, &id, &existed, error))
		return false;
	t->cases++;
	t->cases_new += !existed;
	JsonArray *tags = member_array(o, "tags");
	for (guint i = 0; tags && i < json_array_get_length(tags); i++) {
		const char *tag = json_array_get_string_element(tags, i);
		if (tag && !ks_case_add_tag(s, id, tag, error))
			return false;
	}
	JsonArray *msgs = member_array(o, "messages");
	for (guint i = 0; msgs && i < json_array_get_length(msgs); i++) {
		JsonObject *m = json_array_get_object_element(msgs, i);
		const char *b64 = m ? member_str(m, "raw") : NULL;
		if (!b64) {
			t->bad++;
			continue;
		}
		gsize len = 0;
		guchar *bytes = g_base64_decode(b64, &len);
		g_autoptr(GBytes) raw = g_bytes_new_take(bytes, len);
		g_autofree char *sha = ks_digest_sha256_bytes(raw);
		const char *path = member_str(m, "path");
		bool dup = false;
		int64_t mid = 0;
		GError *e = NULL;
		if (!ks_cli_case_add_raw(s, id, raw, sha, path ? path : "dump",
		                         ks_msg_sniff(raw) ? "msg" : "eml", &dup, &mid, NULL, &e)) {
			if (e && e->domain == KS_ERROR && e->code == KS_ERROR_DB) {
				g_propagate_error(error, e);
				return false;
			}
			g_clear_error(&e); /* not a message (any more): counted, left out */
			t->bad++;
			continue;
		}
		t->messages++;
		t->messages_new += !dup;
	}
	JsonArray *notes = member_array(o, "notes");
	for (guint i = 0; notes && i < json_array_get_length(notes); i++) {
		JsonObject *n = json_array_get_object_element(notes, i);
		ks_case_note note = {
			.created = n ? (char *)member_str(n, "created") : NULL,
			.author = n ? (char *)member_str(n, "author") : NULL,
			.text = n ? (char *)member_str(n, "text") : NULL,
			.about = n ? (char *)member_str(n, "about") : NULL,
		};
		if (!note.created || !note.author || !note.text) {
			t->bad++;
			continue;
		}
		bool had = false;
		if (!ks_case_import_note(s, id, &note, &had, error))
			return false;
		t->notes++;
		t->notes_new += !had;
	}
	JsonArray *iocs = member_array(o, "judged_iocs");
	for (guint i = 0; iocs && i < json_array_get_length(iocs); i++) {
		JsonObject *j = json_array_get_object_element(iocs, i);
		const char *kind = j ? member_str(j, "kind") : NULL, *value = j ? member_str(j, "value") : NULL;
		const char *role = j ? member_str(j, "role") : NULL, *by = j ? member_str(j, "judged_by") : NULL;
		ks_ioc_role r;
		if (!kind || !value || !by || !ks_ioc_role_parse(role, &r)) {
			t->bad++;
			continue;
		}
		g_autofree char *was = NULL;
		if (!ks_case_judge_ioc(s, id, 0, kind, value, role, by, &was, error))
			return false;
	}
	JsonArray *history = member_array(o, "history");
	for (guint i = 0; history && i < json_array_get_length(history); i++) {
		JsonObject *h = json_array_get_object_element(history, i);
		ks_case_change change = {
			.at = h ? (char *)member_str(h, "at") : NULL,
			.author = h ? (char *)member_str(h, "author") : NULL,
			.field = h ? (char *)member_str(h, "field") : NULL,
			.old = h ? (char *)member_str(h, "old") : NULL,
			.now = h ? (char *)member_str(h, "new") : NULL,
		};
		if (!change.at || !change.author || !change.field) {
			t->bad++;
			continue;
		}
		if (!ks_case_import_change(s, id, &change, error))
			return false;
	}
	/* a new case's last change is its dump's, not this import */
	return existed || ks_case_import_updated(s, id, c.updated, error);
}

/* A knowledge row keeps who added it in the store it came from; one from a
 * dump that does not say is the importer's. */
static bool import_rows(ks_store *s, JsonObject *k, tally *t, GError **error);

static void row_author(ks_store *s, JsonObject *o)
{
	const char *by = o ? member_str(o, "added_by") : NULL;
	g_autofree char *me = by ? NULL : ks_cli_note_author();
	ks_store_set_author(s, by ? by : me);
}

static bool import_knowledge(ks_store *s, JsonObject *k, tally *t, GError **error)
{
	bool ok = import_rows(s, k, t, error);
	g_autofree char *me = ks_cli_note_author();
	ks_store_set_author(s, me);
	return ok;
}

static bool import_rows(ks_store *s, JsonObject *k, tally *t, GError **error)
{
	JsonArray *a = member_array(k, "domains");
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		const char *d = o ? member_str(o, "domain") : NULL, *when = o ? member_str(o, "registered") : NULL;
		g_autoptr(GDateTime) t0 = when ? g_date_time_new_from_iso8601(when, NULL) : NULL;
		bool replaced = false;
		if (!d || !t0) {
			t->bad++;
			continue;
		}
		row_author(s, o);
		if (!ks_domain_add(s, d, t0, member_str(o, "source"), &replaced, error))
			return false;
	}
	a = member_array(k, "protected");
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		const char *d = o ? member_str(o, "domain") : NULL;
		if (!d) {
			t->bad++;
			continue;
		}
		row_author(s, o);
		if (!ks_protect_add(s, d, member_str(o, "label"), error))
			return false;
	}
	a = member_array(k, "contacts");
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		const char *name = o ? member_str(o, "name") : NULL, *addr = o ? member_str(o, "address") : NULL;
		bool existed = false;
		if (!name || !addr) {
			t->bad++;
			continue;
		}
		row_author(s, o);
		if (!ks_contact_add(s, name, addr, &existed, error))
			return false;
	}
	a = member_array(k, "allowed");
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonObject *o = json_array_get_object_element(a, i);
		const char *v = o ? member_str(o, "value") : NULL;
		if (!v) {
			t->bad++;
			continue;
		}
		row_author(s, o);
		if (!ks_allow_add(s, v, member_str(o, "note"), error))
			return false;
	}
	return true;
}

static int db_import(GPtrArray *operands)
{
	const char *file = operands->pdata[0];
	g_autoptr(JsonParser) parser = json_parser_new();
	GError *err = NULL;
	if (!json_parser_load_from_file(parser, file, &err)) {
		ks_cli_error(file, err->message);
		g_error_free(err);
		return KS_EXIT_INPUT;
	}
	JsonNode *root = json_parser_get_root(parser);
	JsonObject *top = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
	if (!top || g_strcmp0(member_str(top, "schema"), DUMP_SCHEMA) != 0) {
		ks_cli_error(file, _("not a kensa dump (schema kensa.dump/1)"));
		return KS_EXIT_INPUT;
	}
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	tally t = {0};
	/* knowledge first: the messages are analysed with it */
	JsonNode *kn = json_object_get_member(top, "knowledge");
	if (kn && JSON_NODE_HOLDS_OBJECT(kn) && !import_knowledge(s, json_node_get_object(kn), &t, &err))
		return ks_cli_db_error("db import", err);
	JsonArray *cases = member_array(top, "cases");
	for (guint i = 0; cases && i < json_array_get_length(cases); i++) {
		JsonNode *n = json_array_get_element(cases, i);
		if (!JSON_NODE_HOLDS_OBJECT(n)) {
			t.bad++;
			continue;
		}
		if (!import_case(s, json_node_get_object(n), &t, &err))
			return ks_cli_db_error("db import", err);
	}
	printf(_("%u cases (%u new), %u messages (%u new), %u notes (%u new)\n"), t.cases,
	       t.cases_new, t.messages, t.messages_new, t.notes, t.notes_new);
	if (t.bad) {
		g_autofree char *why =
			g_strdup_printf(P_("%u entry of the dump was not usable, left out",
			                   "%u entries of the dump were not usable, left out", t.bad),
			                t.bad);
		ks_cli_error("db import", why);
	}
	return KS_EXIT_OK;
}

static const ks_cli_sub subs[] = {
	{&export_cmd, db_export},
	{&import_cmd, db_import},
};

const ks_cli_family ks_cmd_db_family = {
	"db",
	"  The whole case store as one file, to move cases between stores (a laptop's into a\n"
	"  team's, and back): every case with its messages, notes and the analyst's judged\n"
	"  indicators, and the knowledge tables.  Importing the same file twice adds nothing.\n",
	subs, G_N_ELEMENTS(subs),
};

int ks_cmd_db(int argc, char **argv)
{
	return ks_cli_run_family(&ks_cmd_db_family, argc, argv);
}
