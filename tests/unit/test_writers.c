/* Tests for the report writers (emit.c, report_json.c, report_text.c,
 * report_markdown.c, writers.c): SPEC.md's JSON key order and types, one
 * line per report, UTF-8 kept and controls escaped, the text report's lead
 * and inner-message-first order, Markdown escaping and defanged IOCs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "output/emit.h"
#include "output/writers.h"

static GDateTime *at(const char *iso)
{
	return g_date_time_new_from_iso8601(iso, NULL);
}

static void add_header(ks_report *r, const char *name, const char *value)
{
	ks_header *h = g_new0(ks_header, 1);
	h->name = g_strdup(name);
	h->value = g_strdup(value);
	g_ptr_array_add(r->headers, h);
}

static ks_hop *add_hop(ks_report *r, const char *from, const char *by, const char *date)
{
	ks_hop *h = ks_hop_new();
	h->index = (int)r->hops->len;
	h->from = g_strdup(from);
	h->by = g_strdup(by);
	h->date = date ? at(date) : NULL;
	h->raw = g_strdup_printf("from %s by %s", from ? from : "?", by ? by : "?");
	h->parsed = true;
	g_ptr_array_add(r->hops, h);
	return h;
}

static ks_report *inner_report(void)
{
	ks_report *r = ks_report_new();
	r->subject = g_strdup("本物の請求書 (inner)");
	g_ptr_array_add(r->from, ks_address_new("Partner", "billing@abccompany-a.com"));
	ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "body", "inner evidence");
	return r;
}

/* A report with every field set, some deliberately to null. */
static ks_report *full_report(void)
{
	ks_report *r = ks_report_new();
	r->source_path = g_strdup("samples/invoice.eml");
	memset(r->sha256, 'a', 64);
	r->size = 4321;
	r->format = g_strdup("eml");

	/* \x1b is not sanitized here on purpose: the JSON writer must escape it */
	r->subject = g_strdup("Re: 請求書の件 \x1b[31m");
	r->date = at("2023-05-18T15:20:00+09:00");
	r->message_id = g_strdup("<m1@abcccompany-a.com>");
	g_ptr_array_add(r->references, g_strdup("<r1@abccompany-a.com>"));
	g_ptr_array_add(r->from, ks_address_new("山田 太郎", "taro@abcccompany-a.com"));
	g_ptr_array_add(r->reply_to, ks_address_new(NULL, "pay@evil.example"));
	g_ptr_array_add(r->to, ks_address_new("Accounts", "ap@victim.co.jp"));
	g_ptr_array_add(r->cc, ks_address_new(NULL, "lawyer@abc-company-co-jp.com"));
	r->return_path = g_strdup("bounce@sendgrid.net");

	add_header(r, "From", "山田 太郎 <taro@abcccompany-a.com>");
	add_header(r, "Subject", "Re: 請求書の件");

	r->auth.spf = g_strdup("pass");
	r->auth.dkim = g_strdup("fail");
	g_ptr_array_add(r->auth.dkim_domains, g_strdup("sendgrid.net"));
	r->auth.authserv_id = g_strdup("mx.victim.co.jp");
	g_ptr_array_add(r->auth.ignored, g_strdup("forged.example"));

	ks_hop *h0 = add_hop(r, "mail.evil.example", "relay.sendgrid.net", "2023-05-18T15:20:00+09:00");
	h0->ip = g_strdup("203.0.113.7");
	h0->with = g_strdup("ESMTPS");
	ks_hop *h1 = add_hop(r, "relay.sendgrid.net", "mx.victim.co.jp", "2023-05-18T13:16:57+09:00");
	h1->has_delay = true;
	h1->delay_seconds = -7383; /* 2h03m03s backwards */
	h1->suspicious = true;
	ks_hop *h2 = add_hop(r, NULL, NULL, NULL);
	h2->parsed = false;
	r->bulk_service = g_strdup("SendGrid");

	r->body_text = g_strdup("お世話になっております。\n振込先が変更になりました。");
	g_ptr_array_add(r->links, ks_link_new("Microsoft 365", "https://evil.example.com/login"));

	ks_attachment *zip = ks_attachment_new("2");
	zip->filename = g_strdup("invoice.zi_");
	zip->declared_type = g_strdup("application/octet-stream");
	zip->detected_type = g_strdup("application/zip");
	zip->size = 2048;
	memset(zip->sha256, 'b', 64);
	zip->encrypted = true;
	ks_attachment_add_meta(zip, "comment", "pw: 1234");
	ks_attachment_add_meta(zip, "entries", "1");
	ks_attachment *exe = ks_attachment_new("2/1");
	exe->filename = g_strdup("invoice.pdf.exe");
	exe->size = 1024;
	g_ptr_array_add(zip->children, exe);
	g_ptr_array_add(r->attachments, zip);

	ks_attachment *fwd = ks_attachment_new("3");
	fwd->declared_type = g_strdup("message/rfc822");
	fwd->size = 900;
	fwd->message = inner_report();
	g_ptr_array_add(r->attachments, fwd);

	ks_report_add_finding(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, "header:Return-Path",
	                      "sendgrid.net is not abcccompany-a.com");
	ks_report_add_finding(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:From",
	                      "abcccompany-a.com looks like abccompany-a.com (insertion) a|b");

	ks_report_add_ioc(r, KS_IOC_URL, "https://evil.example.com/login");
	ks_report_add_ioc(r, KS_IOC_DOMAIN, "abcccompany-a.com");
	ks_report_add_ioc(r, KS_IOC_IP, "203.0.113.7");
	ks_report_add_ioc(r, KS_IOC_EMAIL, "taro@abcccompany-a.com");

	g_autoptr(GDateTime) t1 = at("2023-05-17T09:00:00+09:00");
	ks_report_add_event(r, t1, "domain registered", "whois");
	ks_report_add_event(r, r->date, "message sent", "header:Date");

	r->assessment.score = 85;
	r->assessment.bec_type = 1;
	r->assessment.label = g_strdup("likely BEC");
	g_ptr_array_add(r->assessment.reasons, g_strdup("identity.lookalike_domain"));
	return r;
}

static JsonNode *parse(const char *json)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(GError) err = NULL;
	assert_true(json_parser_load_from_data(p, json, -1, &err));
	return json_node_copy(json_parser_get_root(p));
}

/* The object's keys, joined with ",", in document order. */
static char *keys_of(JsonObject *o)
{
	GString *s = g_string_new(NULL);
	g_autoptr(GList) members = json_object_get_members(o);
	for (GList *l = members; l; l = l->next)
		g_string_append_printf(s, "%s%s", s->len ? "," : "", (const char *)l->data);
	return g_string_free(s, FALSE);
}

static JsonObject *member_obj(JsonObject *o, const char *name)
{
	assert_true(json_object_has_member(o, name));
	return json_object_get_object_member(o, name);
}

static JsonObject *element_obj(JsonObject *o, const char *list, guint i)
{
	JsonArray *a = json_object_get_array_member(o, list);
	assert_non_null(a);
	assert_true(i < json_array_get_length(a));
	return json_array_get_object_element(a, i);
}

static bool is_null(JsonObject *o, const char *name)
{
	return json_object_has_member(o, name) &&
	       JSON_NODE_HOLDS_NULL(json_object_get_member(o, name));
}

static void json_keys_follow_spec_order(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(JsonNode) root = parse(json);
	JsonObject *o = json_node_get_object(root);
	g_autofree char *top = keys_of(o);
	assert_string_equal(top, "schema,source,message,headers,auth,hops,routing,body,attachments,"
	                         "findings,iocs,timeline,assessment");
	assert_string_equal(json_object_get_string_member(o, "schema"), "kensa.report/1");

	g_autofree char *source = keys_of(member_obj(o, "source"));
	assert_string_equal(source, "path,sha256,size,format");
	g_autofree char *message = keys_of(member_obj(o, "message"));
	assert_string_equal(message, "subject,date,message_id,in_reply_to,references,from,sender,"
	                             "reply_to,to,cc,return_path");
	g_autofree char *auth = keys_of(member_obj(o, "auth"));
	assert_string_equal(auth, "spf,dkim,dmarc,dkim_domains,authserv_id,ignored");
	g_autofree char *hop = keys_of(element_obj(o, "hops", 0));
	assert_string_equal(hop, "index,header_index,from,by,ip,with,id,date,delay_seconds,raw,parsed");
	g_autofree char *att = keys_of(element_obj(o, "attachments", 0));
	assert_string_equal(att, "path,filename,declared_type,detected_type,size,sha256,md5,"
	                         "encrypted,children,metadata");
	g_autofree char *finding = keys_of(element_obj(o, "findings", 0));
	assert_string_equal(finding, "id,severity,title,evidence,location");
	g_autofree char *ioc = keys_of(element_obj(o, "iocs", 0));
	assert_string_equal(ioc, "kind,value,role");
	g_autofree char *event = keys_of(element_obj(o, "timeline", 0));
	assert_string_equal(event, "time,event,source");
	g_autofree char *assessment = keys_of(member_obj(o, "assessment"));
	assert_string_equal(assessment, "score,bec_type,label,reasons");
	g_autofree char *body = keys_of(member_obj(o, "body"));
	assert_string_equal(body, "text,links");
}

static void json_missing_values_are_null_not_strings(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(JsonNode) root = parse(json);
	JsonObject *o = json_node_get_object(root);
	JsonObject *msg = member_obj(o, "message");
	assert_true(is_null(msg, "in_reply_to"));
	assert_string_equal(json_object_get_string_member(msg, "date"), "2023-05-18T15:20:00+09:00");
	assert_string_equal(json_object_get_string_member(msg, "return_path"), "bounce@sendgrid.net");
	JsonObject *cc = element_obj(msg, "cc", 0);
	assert_true(is_null(cc, "name"));
	assert_string_equal(json_object_get_string_member(cc, "address"),
	                    "lawyer@abc-company-co-jp.com");
	assert_true(is_null(member_obj(o, "auth"), "dmarc"));
	assert_string_equal(json_object_get_string_member(member_obj(o, "routing"), "bulk_service"),
	                    "SendGrid");
	JsonObject *exe = element_obj(element_obj(o, "attachments", 0), "children", 0);
	assert_true(is_null(exe, "sha256"));
	assert_true(is_null(exe, "md5"));
	assert_true(is_null(exe, "detected_type"));
	JsonObject *assessment = member_obj(o, "assessment");
	assert_int_equal(json_object_get_int_member(assessment, "score"), 85);
	assert_int_equal(json_object_get_int_member(assessment, "bec_type"), 1);
}

static void json_hop_delay_keeps_negative_sign(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(JsonNode) root = parse(json);
	JsonObject *o = json_node_get_object(root);
	JsonObject *h0 = element_obj(o, "hops", 0);
	JsonObject *h1 = element_obj(o, "hops", 1);
	JsonObject *h2 = element_obj(o, "hops", 2);
	assert_true(is_null(h0, "delay_seconds"));
	assert_int_equal(json_object_get_int_member(h1, "delay_seconds"), -7383);
	assert_int_equal(json_object_get_int_member(h1, "index"), 1);
	assert_true(is_null(h2, "date"));
	assert_true(is_null(h2, "from"));
	assert_false(json_object_get_boolean_member(h2, "parsed"));
	assert_true(json_object_get_boolean_member(h0, "parsed"));
}

static void json_attachment_tree_nests_children_metadata_and_message(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(JsonNode) root = parse(json);
	JsonObject *o = json_node_get_object(root);
	JsonObject *zip = element_obj(o, "attachments", 0);
	assert_true(json_object_get_boolean_member(zip, "encrypted"));
	assert_int_equal(json_object_get_int_member(zip, "size"), 2048);
	JsonObject *meta = member_obj(zip, "metadata");
	g_autofree char *meta_keys = keys_of(meta);
	assert_string_equal(meta_keys, "comment,entries");
	assert_string_equal(json_object_get_string_member(meta, "comment"), "pw: 1234");
	JsonObject *exe = element_obj(zip, "children", 0);
	assert_string_equal(json_object_get_string_member(exe, "path"), "2/1");
	assert_int_equal(json_array_get_length(json_object_get_array_member(exe, "children")), 0);
	assert_false(json_object_has_member(exe, "message"));

	JsonObject *fwd = element_obj(o, "attachments", 1);
	g_autofree char *fwd_keys = keys_of(fwd);
	assert_string_equal(fwd_keys, "path,filename,declared_type,detected_type,size,sha256,md5,"
	                              "encrypted,children,metadata,message");
	JsonObject *inner = member_obj(fwd, "message");
	g_autofree char *inner_keys = keys_of(inner);
	assert_string_equal(inner_keys, "source,message,headers,auth,hops,routing,body,attachments,"
	                                "findings,iocs,timeline,assessment");
	assert_string_equal(json_object_get_string_member(member_obj(inner, "message"), "subject"),
	                    "本物の請求書 (inner)");
	assert_string_equal(json_object_get_string_member(element_obj(inner, "findings", 0), "id"),
	                    "input.malformed");
}

static void json_is_one_line_of_utf8_with_controls_escaped(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	ks_report_write(r, KS_FORMAT_JSON, f);
	ks_report_write(r, KS_FORMAT_JSON, f);
	fclose(f);
	g_autofree char *out = buf;
	/* two reports, two lines: JSON Lines */
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	assert_int_equal(g_strv_length(lines), 3);
	assert_string_equal(lines[2], "");
	assert_string_equal(lines[0], lines[1]);
	assert_true(g_utf8_validate(out, -1, NULL));
	assert_non_null(strstr(out, "\"Re: 請求書の件 \\u001b[31m\""));
	assert_null(strchr(out, '\x1b'));
	assert_null(strstr(out, "\\u8acb")); /* 請 stays UTF-8 */
	assert_non_null(strstr(out, "お世話になっております。\\n振込先"));
	/* the pretty form is the same document */
	g_autofree char *pretty = ks_report_to_json(r, true);
	assert_non_null(strchr(pretty, '\n'));
	g_autoptr(JsonNode) a = parse(lines[0]);
	g_autoptr(JsonNode) b = parse(pretty);
	assert_true(json_node_equal(a, b));
}

static void json_of_empty_report_has_every_section(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(JsonNode) root = parse(json);
	JsonObject *o = json_node_get_object(root);
	g_autofree char *top = keys_of(o);
	assert_string_equal(top, "schema,source,message,headers,auth,hops,routing,body,attachments,"
	                         "findings,iocs,timeline,assessment");
	assert_true(is_null(member_obj(o, "message"), "subject"));
	assert_true(is_null(member_obj(o, "message"), "date"));
	assert_true(is_null(member_obj(o, "source"), "sha256"));
	assert_true(is_null(member_obj(o, "assessment"), "label"));
	g_autofree char *text = ks_report_to_text(r);
	assert_non_null(strstr(text, "Subject   -\n"));
	assert_non_null(strstr(text, "Findings: none"));
	g_autofree char *mdoc = ks_report_to_markdown(r);
	assert_true(g_str_has_prefix(mdoc, "# -\n"));
}

static const char *find(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	if (!p)
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
	return p;
}

static void text_leads_with_inner_message_then_carrier_summary(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *t = ks_report_to_text(r);
	assert_true(g_str_has_prefix(t, "=== Forwarded message (part 3) ===\nSubject   本物の請求書 (inner)\n"));
	const char *carrier = find(t, "=== Carrier message ===\n");
	/* a control that slipped into the model is shown, never sent raw */
	const char *subject = find(t, "Subject   Re: 請求書の件 \\x1B[31m\n");
	assert_null(strchr(t, '\x1b'));
	assert_true(carrier < subject);
	const char *from = find(subject, "From      山田 太郎 <taro@abcccompany-a.com>\n");
	const char *date = find(from, "Date      2023-05-18T15:20:00+09:00\n");
	const char *score = find(date, "Score     85/100  likely BEC  BEC type 1 (invoice/payment fraud");
	const char *findings = find(score, "\nFindings (2)\n");
	const char *identity = find(findings, "\nIdentity\n");
	assert_true(identity > findings);
}

static void text_findings_sorted_by_severity_with_evidence_below(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *t = ks_report_to_text(r);
	const char *carrier = find(t, "=== Carrier message ===");
	const char *high = find(carrier, "  HIGH   identity.lookalike_domain ");
	const char *low = find(carrier, "  LOW    identity.envelope_from_differs  header:Return-Path\n");
	assert_true(high < low);
	find(high, "header:From\n         abcccompany-a.com looks like abccompany-a.com (insertion) a|b\n");
}

static void text_routing_shows_signed_delay_origin_first(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *t = ks_report_to_text(r);
	const char *routing = find(t, "\nRouting (origin first)\n");
	const char *h0 = find(routing, "   0  2023-05-18T15:20:00+09:00");
	const char *h1 = find(routing, "   1  2023-05-18T13:16:57+09:00   -2h03m  relay.sendgrid.net -> mx.victim.co.jp");
	assert_true(h0 < h1);
	find(h0, "mail.evil.example [203.0.113.7] -> relay.sendgrid.net  with ESMTPS\n");
	find(h1, "<- suspicious\n");
	find(routing, "   2  (not parsed) from ? by ?\n");
	find(routing, "  Bulk mail service: SendGrid\n");
}

/* A hop's TLS and, when they differ, the HELO name beside the receiver's
 * reverse DNS; the near miss: a hop whose rDNS is its HELO says nothing. */
static void text_routing_shows_tls_and_a_helo_apart_from_rdns(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	ks_hop *a = add_hop(r, "DESKTOP-8K2M1QF", "smtp.partner.example", "2023-05-18T15:20:00+09:00");
	a->ip = g_strdup("10.1.2.3");
	a->rdns = g_strdup("pc12.office.partner.example");
	a->tls = g_strdup("TLS1.2");
	ks_hop *b = add_hop(r, "smtp.partner.example", "mx.victim.co.jp", "2023-05-18T15:20:02+09:00");
	b->rdns = g_strdup("smtp.partner.example.");
	g_autofree char *t = ks_report_to_text(r);
	const char *h0 = find(t, "   0  2023-05-18T15:20:00+09:00");
	find(h0, "  tls TLS1.2  helo DESKTOP-8K2M1QF rdns pc12.office.partner.example\n");
	const char *h1 = find(t, "   1  2023-05-18T15:20:02+09:00");
	assert_null(strstr(h1, "rdns"));
}

/* The Markdown hop table as MHA lays it out: the HELO name, the receiver's
 * reverse DNS marked when it is another name, TLS; the near miss: an rDNS
 * that is the HELO name is not marked. */
static void markdown_routing_has_helo_rdns_and_tls(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	ks_hop *a = add_hop(r, "DESKTOP-8K2M1QF", "smtp.partner.example", "2023-05-18T15:20:00+09:00");
	a->rdns = g_strdup("pc12.office.partner.example");
	a->tls = g_strdup("TLS1.2");
	ks_hop *b = add_hop(r, "smtp.partner.example", "mx.victim.co.jp", "2023-05-18T15:20:02+09:00");
	b->rdns = g_strdup("smtp.partner.example");
	g_autofree char *m = ks_report_to_markdown(r);
	find(m, "| # | Time | Delay | From (HELO) | rDNS | IP | By | With | TLS |\n");
	const char *h0 = find(m, "| 0 | ");
	const char *end0 = strchr(h0, '\n');
	const char *mark = strstr(h0, "≠ pc12");
	assert_true(mark && mark < end0);
	const char *tls = strstr(h0, "| TLS1.2 |");
	assert_true(tls && tls < end0);
	const char *h1 = find(m, "| 1 | ");
	assert_null(strstr(h1, "≠"));
}

static void text_attachment_tree_indents_children_and_marks_encryption(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *t = ks_report_to_text(r);
	const char *att = find(t, "\nAttachments\n");
	find(att, "\n  [2] invoice.zi_  application/zip (declared application/octet-stream)  2048 bytes  ENCRYPTED\n");
	find(att, "\n      sha256 bbbb");
	find(att, "\n      comment: pw: 1234\n");
	find(att, "\n    [2/1] invoice.pdf.exe  -  1024 bytes\n");
	find(att, "\n  [3] (no name)  message/rfc822  900 bytes\n      message \"本物の請求書 (inner)\" (reported above)\n");
	find(t, "\nLinks\n  Microsoft 365 -> https://evil.example.com/login\n");
	find(t, "\nIOCs\n  url          attacker https://evil.example.com/login\n");
	find(t, "\nTimeline\n  2023-05-17T09:00:00+09:00  domain registered  (whois)\n");
}

static void markdown_defangs_iocs_and_escapes_pipes(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = full_report();
	g_autofree char *m = ks_report_to_markdown(r);
	assert_true(g_str_has_prefix(m, "# Forwarded message (part 3): 本物の請求書 (inner)\n"));
	const char *carrier = find(m, "# Carrier message: Re: 請求書の件 \\x1B\\[31m\n");
	assert_null(strchr(m, '\x1b'));
	find(carrier, "- **Message-ID:** `<m1@abcccompany-a.com>`\n");
	const char *iocs = find(carrier, "\n## IOCs\n");
	find(iocs, "| url | attacker | `hxxps://evil[.]example[.]com/login` |\n");
	find(iocs, "| domain | attacker | `abcccompany-a[.]com` |\n");
	find(iocs, "| ip | attacker | `203[.]0[.]113[.]7` |\n");
	find(iocs, "| email | attacker | `taro[@]abcccompany-a[.]com` |\n");
	find(carrier, "| high | `identity.lookalike_domain` | header:From | "
	              "abcccompany-a[.]com looks like abccompany-a[.]com (insertion) a\\|b |\n");
	find(carrier, "- Microsoft 365 → `hxxps://evil[.]example[.]com/login`\n");
	/* no live link or address survives anywhere in the document */
	assert_null(strstr(m, "https://"));
	assert_null(strstr(m, "taro@"));
	find(carrier, "| 1 | 2023-05-18T13:16:57+09:00 | -2h03m | relay[.]sendgrid[.]net |");
	find(carrier, "\n## Attachments\n\n- part 2 **invoice.zi\\_**");
	find(carrier, "\n  - part 2/1 **invoice.pdf.exe**");
}

static void markdown_escapes_markup_in_attacker_text(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	r->subject = g_strdup("![x](http://t.example/p.png) <script>|*hi*\nline");
	ks_report_add_ioc(r, KS_IOC_FILENAME, "a|b`c.txt");
	g_autofree char *m = ks_report_to_markdown(r);
	find(m, "# \\!\\[x\\](hxxp://t[.]example/p.png) \\<script\\>\\|\\*hi\\*<br>line\n");
	find(m, "| filename | attacker | `` a\\|b`c.txt `` |\n");
	assert_null(strstr(m, "http://"));
}

/* Text defanging (ks_defang_text): every URL, address, domain and IPv4 in
 * free text, nothing else, and defanging twice changes nothing more. */
static void defang_text_finds_links_inside_prose(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"see https://evil.example/a.php?x=1. ok", "see hxxps://evil[.]example/a.php?x=1. ok"},
		{"mail hanako.sato@hoshizora-denko.co.jp, or www.evil.com/x",
		 "mail hanako.sato[@]hoshizora-denko[.]co[.]jp, or www[.]evil[.]com/x"},
		{"invoice.pdf, report.zip, v1.2.3, e.g. 10.0.0.1",
		 "invoice.pdf, report[.]zip, v1.2.3, e.g. 10[.]0[.]0[.]1"},
		{"請求書はhttps://x.jp/あ こちら", "請求書はhxxps://x[.]jp/あ こちら"},
		{"hxxp://evil[.]com and a[@]b[.]com", "hxxp://evil[.]com and a[@]b[.]com"},
		{"user-1@hos●●ko.co.jp", "user-1[@]hos●●ko[.]co[.]jp"},
		{"--- ... node.js Mr.Smith", "--- ... node.js Mr.Smith"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *once = ks_defang_text(cases[i].in);
		assert_string_equal(once, cases[i].out);
		g_autofree char *twice = ks_defang_text(once);
		assert_string_equal(twice, once);
	}
	assert_null(ks_defang_text(NULL));
}

static void defang_breaks_links_but_not_hashes(void **state)
{
	(void)state;
	static const struct {
		ks_ioc_kind kind;
		const char *in, *out;
	} cases[] = {
		{KS_IOC_URL, "http://evil.example.com/a.php?x=1.2", "hxxp://evil[.]example[.]com/a.php?x=1.2"},
		{KS_IOC_URL, "HTTPS://Evil.example/", "hxxps://Evil[.]example/"},
		{KS_IOC_URL, "ftp://files.example/x", "fxp://files[.]example/x"},
		{KS_IOC_URL, "www.evil.example/login", "www[.]evil[.]example/login"},
		{KS_IOC_DOMAIN, "abc-company-co-jp.com", "abc-company-co-jp[.]com"},
		{KS_IOC_IP, "203.0.113.7", "203[.]0[.]113[.]7"},
		{KS_IOC_IP, "2001:db8::1", "2001[:]db8[:][:]1"},
		{KS_IOC_EMAIL, "first.last@evil.co.jp", "first.last[@]evil[.]co[.]jp"},
		{KS_IOC_EMAIL, "no-at-sign", "no-at-sign"},
		{KS_IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{KS_IOC_FILENAME, "invoice.pdf.exe", "invoice.pdf.exe"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *d = ks_defang(cases[i].in, cases[i].kind);
		assert_string_equal(d, cases[i].out);
	}
	assert_null(ks_defang(NULL, KS_IOC_URL));
}

static void delay_format_is_signed_and_compact(void **state)
{
	(void)state;
	static const struct {
		int64_t s;
		const char *out;
	} cases[] = {
		{0, "0s"},          {5, "+5s"},          {-59, "-59s"},      {245, "+4m05s"},
		{-7383, "-2h03m"},  {3600, "+1h00m"},    {93600, "+1d02h"},  {-86400 * 3, "-3d00h"},
		{INT64_MIN, "-106751991167300d15h"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *d = ks_delay_format(cases[i].s);
		assert_string_equal(d, cases[i].out);
	}
}

static void format_names_parse_and_unknown_is_rejected(void **state)
{
	(void)state;
	ks_format f = KS_FORMAT_TEXT;
	assert_true(ks_format_parse("json", &f));
	assert_int_equal(f, KS_FORMAT_JSON);
	assert_true(ks_format_parse("markdown", &f));
	assert_int_equal(f, KS_FORMAT_MARKDOWN);
	assert_true(ks_format_parse("text", &f));
	assert_int_equal(f, KS_FORMAT_TEXT);
	assert_false(ks_format_parse("xml", &f));
	assert_false(ks_format_parse(NULL, &f));
	assert_string_equal(ks_format_name(KS_FORMAT_MARKDOWN), "markdown");
	assert_string_equal(ks_bec_type_name(2), "impersonation of an executive");
	assert_string_equal(ks_bec_type_name(9), "none");
}

static void findings_by_severity_is_stable(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	ks_finding *a = ks_report_add_finding_sev(r, KS_RULE_INPUT_MALFORMED, KS_SEV_LOW, "body", "a");
	ks_finding *b = ks_report_add_finding_sev(r, KS_RULE_INPUT_MALFORMED, KS_SEV_HIGH, "body", "b");
	ks_finding *c = ks_report_add_finding_sev(r, KS_RULE_INPUT_MALFORMED, KS_SEV_LOW, "body", "c");
	ks_finding *d = ks_report_add_finding_sev(r, KS_RULE_INPUT_MALFORMED, KS_SEV_HIGH, "body", "d");
	g_autoptr(GPtrArray) s = ks_report_findings_by_severity(r);
	assert_int_equal(s->len, 4);
	assert_ptr_equal(g_ptr_array_index(s, 0), b);
	assert_ptr_equal(g_ptr_array_index(s, 1), d);
	assert_ptr_equal(g_ptr_array_index(s, 2), a);
	assert_ptr_equal(g_ptr_array_index(s, 3), c);
	/* the report's own order is untouched */
	assert_ptr_equal(g_ptr_array_index(r->findings, 0), a);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void deep_attachment_nesting_is_bounded(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	GPtrArray *level = r->attachments;
	for (int i = 0; i < 200; i++) {
		ks_attachment *a = ks_attachment_new("1");
		g_ptr_array_add(level, a);
		level = a->children;
	}
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(JsonNode) root = parse(json);
	g_autofree char *t = ks_report_to_text(r);
	g_autofree char *m = ks_report_to_markdown(r);
	/* levels 0..KS_EMIT_MAX_DEPTH are written, the rest is cut */
	assert_int_equal(count(json, "\"path\":\"1\""), KS_EMIT_MAX_DEPTH + 1);
	assert_int_equal(count(t, "[1] (no name)"), KS_EMIT_MAX_DEPTH + 1);
	assert_int_equal(count(m, "- part 1 "), KS_EMIT_MAX_DEPTH + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_keys_follow_spec_order),
		cmocka_unit_test(json_missing_values_are_null_not_strings),
		cmocka_unit_test(json_hop_delay_keeps_negative_sign),
		cmocka_unit_test(json_attachment_tree_nests_children_metadata_and_message),
		cmocka_unit_test(json_is_one_line_of_utf8_with_controls_escaped),
		cmocka_unit_test(json_of_empty_report_has_every_section),
		cmocka_unit_test(text_leads_with_inner_message_then_carrier_summary),
		cmocka_unit_test(text_findings_sorted_by_severity_with_evidence_below),
		cmocka_unit_test(text_routing_shows_signed_delay_origin_first),
		cmocka_unit_test(text_routing_shows_tls_and_a_helo_apart_from_rdns),
		cmocka_unit_test(markdown_routing_has_helo_rdns_and_tls),
		cmocka_unit_test(text_attachment_tree_indents_children_and_marks_encryption),
		cmocka_unit_test(markdown_defangs_iocs_and_escapes_pipes),
		cmocka_unit_test(markdown_escapes_markup_in_attacker_text),
		cmocka_unit_test(defang_text_finds_links_inside_prose),
		cmocka_unit_test(defang_breaks_links_but_not_hashes),
		cmocka_unit_test(delay_format_is_signed_and_compact),
		cmocka_unit_test(format_names_parse_and_unknown_is_rejected),
		cmocka_unit_test(findings_by_severity_is_stable),
		cmocka_unit_test(deep_attachment_nesting_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
