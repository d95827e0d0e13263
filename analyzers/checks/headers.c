/* Analyzer: the message fields of the report (subject, date, ids,
 * addresses) and every header in order, decoded and sanitized; the subject
 * and From's display name with disguised words undone (obfuscation.c,
 * content.obfuscated_text).  Raises
 * display.control_characters for headers that carried terminal escapes or
 * bidi controls, and input.malformed for what the parser front recorded. */
#include "checks/headers.h"

#include "mail/charset.h"
#include "mail/dates.h"
#include "checks/obfuscation.h"
#include "core/sanitize.h"

#include <gmime/gmime.h>
#include <string.h>

static void lower_domain(char *addr)
{
	char *at = addr ? strrchr(addr, '@') : NULL;
	for (char *p = at; p && *p; p++)
		*p = g_ascii_tolower(*p);
}

/* Adds a mailbox to out; an address that cannot be one (message.h,
 * ks_address_flaw) is refused (the mailbox keeps only its name) and
 * reported.  GMime reads a quoted string with no angle brackets as the
 * address itself, quotes and all: an address in it ("a@b.example", a
 * phishing habit) is read as that address and reported, a phrase in it
 * ("Jane Doe") is the name of a mailbox without an address.  ob, when
 * given, gets the disguises undone in the display name. */
static void add_checked(ks_report *r, const char *header, GPtrArray *out, const char *name,
                        const char *addr, ks_obfuscation *ob)
{
	g_autofree char *seen = ob && name ? ks_obfuscation_clean(name, ob) : NULL;
	if (seen)
		name = seen;
	g_autofree char *loc = g_strdup_printf("header:%s", header);
	size_t n = addr ? strlen(addr) : 0;
	if (n >= 2 && addr[0] == '"' && addr[n - 1] == '"' && !memchr(addr + 1, '"', n - 2)) {
		g_autofree char *inner = g_strstrip(g_strndup(addr + 1, n - 2));
		if (!strchr(inner, '@')) {
			if ((name && *name) || *inner)
				g_ptr_array_add(out, ks_address_new(name && *name ? name : inner, NULL));
			return;
		}
		if (!strchr(inner, ' ') && !ks_address_flaw(inner, true)) {
			ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
			                      "%s address %.200s is written in quotes, not in angle "
			                      "brackets; read as %s",
			                      header, addr, inner);
			g_ptr_array_add(out, ks_address_new(name, inner));
			return;
		}
	}
	const char *flaw = addr ? ks_address_flaw(addr, false) : NULL;
	if (flaw) {
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s address \"%.200s\" holds %s: not taken as an address",
		                      header, addr, flaw);
		if (name && *name)
			g_ptr_array_add(out, ks_address_new(name, NULL));
		return;
	}
	g_ptr_array_add(out, ks_address_new(name, addr));
}

/* A header GMime finds no mailbox in: the last <addr-spec> in it, with the
 * text before it as the name ("Team,(<a@b.example>)" as some bulk senders
 * write From, "<Undisclosed-Recipient:;@host>" as old list servers write
 * To); else the whole text, checked as one address. */
static void add_unparsed(ks_report *r, const char *header, GPtrArray *out, const char *text,
                         ks_obfuscation *ob)
{
	g_autofree char *t = g_strstrip(g_strdup(text));
	char *lt = strrchr(t, '<');
	char *gt = lt ? strchr(lt, '>') : NULL;
	if (gt) {
		g_autofree char *inner = g_strstrip(g_strndup(lt + 1, (gsize)(gt - lt - 1)));
		if (strchr(inner, '@') && !strchr(inner, ' ') && !ks_address_flaw(inner, true)) {
			*lt = '\0';
			g_strstrip(t);
			gsize k = strlen(t);
			while (k > 0 && strchr(",(\"", t[k - 1]))
				t[--k] = '\0';
			g_strstrip(t);
			lower_domain(inner);
			g_autofree char *seen = ob && *t ? ks_obfuscation_clean(t, ob) : NULL;
			g_ptr_array_add(out, ks_address_new(seen ? seen : *t ? t : NULL, inner));
			return;
		}
	}
	add_checked(r, header, out, NULL, t, ob);
}

/* ob, when given, gets the disguises undone in display names. */
static void add_mailbox(ks_report *r, const char *header, GPtrArray *out, InternetAddress *ia,
                        int depth, ks_obfuscation *ob)
{
	if (depth > 8 || out->len >= 500)
		return;
	if (INTERNET_ADDRESS_IS_GROUP(ia)) {
		InternetAddressList *members =
			internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
		int n = members ? internet_address_list_length(members) : 0;
		for (int i = 0; i < n; i++)
			add_mailbox(r, header, out, internet_address_list_get_address(members, i),
			            depth + 1, ob);
		return;
	}
	const char *name = internet_address_get_name(ia);
	const char *addr = INTERNET_ADDRESS_IS_MAILBOX(ia)
	                           ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))
	                           : NULL;
	if ((!name || !*name) && (!addr || !*addr))
		return;
	/* the domain is case-insensitive; the local part is kept as written */
	g_autofree char *lower = addr && *addr ? g_strdup(addr) : NULL;
	lower_domain(lower);
	add_checked(r, header, out, name, lower, ob);
}

/* Address headers: decode encoded-words into quoted phrases first, so a
 * decoded comma or '@' stays inside its display name, then let GMime split
 * the list (RFC 5322 3.4, with RFC 6532 UTF-8). */
static void parse_addresses(const ks_message *m, ks_report *r, const char *header,
                            GPtrArray *out, ks_obfuscation *ob)
{
	g_autoptr(GPtrArray) hs = ks_message_headers_named(m, header);
	for (guint i = 0; i < hs->len; i++) {
		ks_raw_header *h = g_ptr_array_index(hs, i);
		g_autofree char *text =
			ks_rfc2047_decode(h->raw_value, true, (const char *const *)m->charsets, NULL);
		/* GMime's address parser drops control characters: an address
		 * that held one is not the address shown */
		for (const char *c = text; *c; c++) {
			if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7F) {
				g_autofree char *loc = g_strdup_printf("header:%s", header);
				ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
				                      "%s holds a control character (\\x%02X) among its "
				                      "addresses",
				                      header, (unsigned char)*c);
				break;
			}
		}
		InternetAddressList *list = internet_address_list_parse(NULL, text);
		int n = list ? internet_address_list_length(list) : 0;
		for (int k = 0; k < n; k++)
			add_mailbox(r, header, out, internet_address_list_get_address(list, k), 0, ob);
		if (list)
			g_object_unref(list);
		if (n == 0 && strchr(text, '@')) {
			/* unparseable list: keep the bare text as one address */
			add_unparsed(r, header, out, text, ob);
		}
	}
}

/* Message-IDs: "<a@b>" tokens; bare ids are kept too (broken mailers). */
static void parse_ids(const char *value, GPtrArray *out)
{
	if (!value)
		return;
	const char *p = value;
	int guard = 0;
	while (*p && guard++ < 1000) {
		while (*p && (g_ascii_isspace(*p) || *p == ','))
			p++;
		if (!*p)
			break;
		const char *start = p;
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (!end)
				end = p + strlen(p) - 1;
			g_ptr_array_add(out, g_strndup(start, end - start + 1));
			p = end + 1;
		} else {
			while (*p && !g_ascii_isspace(*p) && *p != '<')
				p++;
			g_ptr_array_add(out, g_strndup(start, p - start));
		}
	}
}

static char *first_id(const char *value)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	parse_ids(value, ids);
	return ids->len ? g_strdup(g_ptr_array_index(ids, 0)) : NULL;
}

static char *return_path_address(const char *value)
{
	if (!value)
		return NULL;
	g_autofree char *v = g_strstrip(g_strdup(value));
	char *lt = strchr(v, '<');
	char *start = lt ? lt + 1 : v;
	char *gt = strchr(start, '>');
	if (gt)
		*gt = '\0';
	g_strstrip(start);
	if (!*start || !strchr(start, '@'))
		return NULL; /* "<>": a bounce, no envelope sender */
	char *at = strrchr(start, '@');
	for (char *p = at; *p; p++)
		*p = g_ascii_tolower(*p);
	return ks_report_line(start);
}

void ks_headers_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)ctx;
	int flagged = 0;
	for (guint i = 0; i < m->headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(m->headers, i);
		ks_header *out = g_new0(ks_header, 1);
		bool changed = false, name_changed = false;
		out->name = ks_sanitize(h->name, KS_SANITIZE_LINE, &name_changed);
		out->value = ks_sanitize(h->value, KS_SANITIZE_LINE, &changed);
		g_ptr_array_add(r->headers, out);
		if ((changed || name_changed) && flagged++ < 10) {
			g_autofree char *loc = g_strdup_printf("header:%s", out->name);
			ks_report_add_finding(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS, loc,
			                      "%s carried control characters, shown escaped: %.200s",
			                      out->name, out->value);
		}
	}

	/* the subject and the sender's name as a reader sees them, disguised
	 * words undone (obfuscation.c); the header list keeps them as written */
	const char *subject = ks_message_header(m, "Subject");
	if (subject) {
		g_autoptr(ks_obfuscation) ob = ks_obfuscation_new();
		g_autofree char *seen = ks_obfuscation_clean(subject, ob);
		ks_report_set_line(&r->subject, seen);
		ks_obfuscation_report(ob, "header:Subject", r);
	}

	const char *date = ks_message_header(m, "Date");
	if (date) {
		ks_report_set_line(&r->date_raw, date);
		r->date = ks_date_parse(date);
		if (!r->date)
			ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "header:Date",
			                      "the Date header does not parse: %.120s", date);
	}
	r->message_id = first_id(ks_message_header(m, "Message-ID"));
	r->in_reply_to = first_id(ks_message_header(m, "In-Reply-To"));
	parse_ids(ks_message_header(m, "References"), r->references);
	for (guint i = 0; i < r->references->len; i++)
		ks_report_set_line((char **)&r->references->pdata[i], r->references->pdata[i]);
	ks_report_set_line(&r->message_id, r->message_id);
	ks_report_set_line(&r->in_reply_to, r->in_reply_to);

	g_autoptr(ks_obfuscation) from_ob = ks_obfuscation_new();
	parse_addresses(m, r, "From", r->from, from_ob);
	ks_obfuscation_report(from_ob, "header:From", r);
	parse_addresses(m, r, "Sender", r->sender, NULL);
	parse_addresses(m, r, "Reply-To", r->reply_to, NULL);
	parse_addresses(m, r, "To", r->to, NULL);
	parse_addresses(m, r, "Cc", r->cc, NULL);
	r->return_path = return_path_address(ks_message_header(m, "Return-Path"));

	if (!ks_message_header(m, "From"))
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "header:From",
		                      "the message has no From header (RFC 5322 3.6 requires one)");
	for (guint i = 0; i < m->problems->len && i < 8; i++)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "message", "%s",
		                      (const char *)g_ptr_array_index(m->problems, i));
}
