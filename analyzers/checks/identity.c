/* Analyzer: who really sent it.  Compares the identities a message shows
 * (display name, From, Reply-To, Sender, Return-Path, Cc) with each other and
 * with what the analyst knows (protected domains, contacts, registrations):
 * the identity.* rules of SPEC.md.  It reads the address fields the headers
 * analyzer put in the report and the body text the body analyzer put there;
 * it never parses a header itself.  The attacks are J-CSIP's (IPA quarterly
 * reports): CEO display names on outside addresses, Reply-To to free mail,
 * payroll diversion through a foreign envelope sender, lookalike partner
 * domains registered days before the mail. */
#include "checks/identity.h"
#include "core/sanitize.h"

#include "core/data.h"
#include "core/domains.h"
#include "checks/lookalike.h"
#include "checks/mailing_list.h"
#include "checks/routing.h"

#include <idn2.h>
#include <string.h>

#define MAX_BODY_SCAN (1024 * 1024) /* bytes of body searched for addresses */
#define MAX_BODY_ADDRESSES 200
#define MAX_LOCAL 64   /* RFC 5321 4.5.3.1.1 */
#define MAX_DOMAIN 255 /* RFC 5321 4.5.3.1.2 */
#define YOUNG_DAYS 30  /* SPEC.md identity.young_domain */

/* A sender-side domain and the header it was first seen in. */
typedef struct {
	char *domain;       /* registrable, or the bare domain when it has none */
	const char *header; /* "From", "Reply-To", ... (static) */
} sender_domain;

/* A domain the sender-side domains are compared with, and why it counts. */
typedef struct {
	char *domain;
	char *where;    /* "a protected domain", "quoted in the body (x@y)" ... */
	bool from_only; /* the From domain: a target for the other headers only */
	bool body;      /* only quoted in the body */
} reference;

static void sender_domain_free(sender_domain *s)
{
	g_free(s->domain);
	g_free(s);
}

static void reference_free(reference *f)
{
	g_free(f->domain);
	g_free(f->where);
	g_free(f);
}

/* "<a@b>", " a@b " -> "a@b"; NULL for the null path "<>" or nothing. */
static char *bare_address(const char *s)
{
	if (!s)
		return NULL;
	g_autofree char *t = g_strstrip(g_strdup(s));
	char *p = t;
	if (*p == '<')
		p++;
	size_t n = strlen(p);
	if (n > 0 && p[n - 1] == '>')
		p[--n] = '\0';
	g_strstrip(p);
	return *p ? g_strdup(p) : NULL;
}

/* The organisation's domain of a host name: its registrable domain, or the
 * name itself when it has none (a bare host, an unlisted suffix).  Punycode
 * labels are decoded (RFC 5891), so one IDN is one domain whichever way a
 * header wrote it: GMime decodes From's xn-- labels, Return-Path keeps them. */
static char *org_of_host(const char *host)
{
	if (!host || !*host)
		return NULL;
	g_autofree char *u = NULL;
	if (strlen(host) <= MAX_DOMAIN && g_utf8_validate(host, -1, NULL)) {
		g_autofree char *low = g_utf8_strdown(host, -1);
		char *dec = NULL;
		if (strstr(low, "xn--") && idn2_to_unicode_8z8z(low, &dec, 0) == IDN2_OK && dec &&
		    g_utf8_validate(dec, -1, NULL))
			u = g_utf8_strdown(dec, -1);
		idn2_free(dec);
	}
	const char *h = u ? u : host;
	char *reg = ks_domain_registrable(h);
	return reg ? reg : ks_utf8_down(h);
}

static char *org_of_address(const char *address)
{
	g_autofree char *d = ks_domain_of_address(address);
	return org_of_host(d);
}

static const ks_address *first_with_address(const GPtrArray *list)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		if (a->address && strchr(a->address, '@'))
			return a;
	}
	return NULL;
}

/* freemail_domains.txt: exact registrable domains, or "name.*" for a name
 * under any public suffix. */
bool ks_identity_is_freemail(const char *org)
{
	const GPtrArray *list = ks_data_lines("freemail_domains.txt");
	if (!org || !list)
		return false;
	const char *dot = strchr(org, '.');
	size_t label = dot ? (size_t)(dot - org) : strlen(org);
	for (guint i = 0; i < list->len; i++) {
		const char *e = g_ptr_array_index(list, i);
		size_t n = strlen(e);
		if (n > 2 && strcmp(e + n - 2, ".*") == 0) {
			if (label == n - 2 && strncmp(org, e, label) == 0)
				return true;
		} else if (g_ascii_strcasecmp(org, e) == 0) {
			return true;
		}
	}
	return false;
}

/* Set of the organisation domains of a list of host names. */
static GHashTable *org_set(const GPtrArray *hosts)
{
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; hosts && i < hosts->len; i++) {
		char *o = org_of_host(g_ptr_array_index(hosts, i));
		if (o)
			g_hash_table_add(set, o);
	}
	return set;
}

static bool local_char(char c)
{
	return c && (g_ascii_isalnum(c) || strchr("._%+-", c));
}

static bool domain_char(char c)
{
	return c && (g_ascii_isalnum(c) || c == '.' || c == '-');
}

/* Addresses written in free text (quoted replies, "差出人:" lines,
 * signatures): ASCII local@domain.tld, lower-cased.  Deliberately simple and
 * bounded: each '@' looks at most MAX_LOCAL bytes back and MAX_DOMAIN ahead,
 * and non-ASCII ends an address so "taro@abc.co.jpまで" gives abc.co.jp. */
static void scan_addresses(const char *text, size_t len, guint max, GPtrArray *out)
{
	size_t i = 0;
	while (text && i < len && out->len < max) {
		const char *at = memchr(text + i, '@', len - i);
		if (!at)
			break;
		size_t a = (size_t)(at - text);
		size_t s = a;
		while (s > 0 && a - s < MAX_LOCAL && local_char(text[s - 1]))
			s--;
		while (s < a && text[s] == '.')
			s++;
		size_t e = a + 1;
		while (e < len && e - a - 1 < MAX_DOMAIN && domain_char(text[e]))
			e++;
		size_t de = e;
		while (de > a + 1 && (text[de - 1] == '.' || text[de - 1] == '-'))
			de--;
		if (s < a && de > a + 1 && text[a + 1] != '.' && text[a + 1] != '-') {
			g_autofree char *dom = g_ascii_strdown(text + a + 1, (gssize)(de - a - 1));
			g_autofree char *local = g_ascii_strdown(text + s, (gssize)(a - s));
			if (strchr(dom, '.'))
				g_ptr_array_add(out, g_strdup_printf("%s@%s", local, dom));
		}
		i = e > a + 1 ? e : a + 1;
	}
}

/* ---- sender-side domains ---- */

static void add_sender(GPtrArray *senders, const char *address, const char *header)
{
	g_autofree char *org = org_of_address(address);
	if (!org)
		return;
	for (guint i = 0; i < senders->len; i++)
		if (strcmp(((sender_domain *)g_ptr_array_index(senders, i))->domain, org) == 0)
			return;
	sender_domain *s = g_new0(sender_domain, 1);
	s->domain = g_steal_pointer(&org);
	s->header = header;
	g_ptr_array_add(senders, s);
}

static void add_sender_list(GPtrArray *senders, const GPtrArray *list, const char *header)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		if (a->address)
			add_sender(senders, a->address, header);
	}
}

/* From, Sender, Reply-To, Return-Path, Cc (SPEC.md identity.lookalike_domain,
 * and Cc because BEC mails Cc lookalikes of the real participants). */
static GPtrArray *sender_domains(const ks_report *r)
{
	GPtrArray *senders = g_ptr_array_new_with_free_func((GDestroyNotify)sender_domain_free);
	add_sender_list(senders, r->from, "From");
	add_sender_list(senders, r->sender, "Sender");
	add_sender_list(senders, r->reply_to, "Reply-To");
	g_autofree char *rp = bare_address(r->return_path);
	if (rp)
		add_sender(senders, rp, "Return-Path");
	add_sender_list(senders, r->cc, "Cc");
	return senders;
}

static bool is_sender(const GPtrArray *senders, const char *org)
{
	for (guint i = 0; i < senders->len; i++)
		if (strcmp(((sender_domain *)g_ptr_array_index(senders, i))->domain, org) == 0)
			return true;
	return false;
}

/* ---- identity.reply_to_differs ---- */

static bool is_recipient(const ks_report *r, const char *address)
{
	const GPtrArray *lists[] = {r->to, r->cc};
	for (size_t k = 0; k < G_N_ELEMENTS(lists); k++)
		for (guint i = 0; i < lists[k]->len; i++) {
			const ks_address *a = g_ptr_array_index(lists[k], i);
			if (a->address && g_ascii_strcasecmp(a->address, address) == 0)
				return true;
		}
	return false;
}

/* A list that sets Reply-To to itself sends the answers to everyone the
 * post went to: explained when the Reply-To is the list (its address, or an
 * address on its domain) and the message was addressed to it.  A forged
 * List-Id alone explains nothing: the attacker's mail goes to the victim,
 * not to the "list" its Reply-To names. */
static bool reply_to_is_list(const ks_report *r, const char *address, const char *org)
{
	if (!ks_mailing_list_present(r) || !is_recipient(r, address))
		return false;
	return ks_mailing_list_is_address(r, address) || ks_mailing_list_is_domain(r, org);
}

static void check_reply_to(ks_report *r)
{
	const ks_address *from = first_with_address(r->from);
	if (!from)
		return;
	g_autofree char *from_org = org_of_address(from->address);
	if (!from_org)
		return;
	for (guint i = 0; i < r->reply_to->len; i++) {
		const ks_address *rt = g_ptr_array_index(r->reply_to, i);
		g_autofree char *rt_org = org_of_address(rt->address);
		if (!rt_org || strcmp(rt_org, from_org) == 0)
			continue;
		/* answers from a company to a private mailbox: J-CSIP CEO fraud;
		 * no list header explains that */
		bool free_rt = ks_identity_is_freemail(rt_org) && !ks_identity_is_freemail(from_org);
		if (free_rt) {
			ks_report_add_finding_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_HIGH,
			                          "header:Reply-To",
			                          "Reply-To %s, From %s (replies go to a free-mail address)",
			                          rt->address, from->address);
		} else if (reply_to_is_list(r, rt->address, rt_org)) {
			ks_report_add_finding_sev(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, KS_SEV_INFO,
			                          "header:Reply-To",
			                          "Reply-To %s, From %s (explained: replies go to the mailing "
			                          "list %s, which the message was sent to)",
			                          rt->address, from->address, r->list.name);
		} else {
			ks_report_add_finding(r, KS_RULE_IDENTITY_REPLY_TO_DIFFERS, "header:Reply-To",
			                      "Reply-To %s, From %s", rt->address, from->address);
		}
	}
}

/* ---- identity.envelope_from_differs ---- */

/* Why an envelope sender other than From's is ordinary, or NULL: a list or a
 * forwarder re-sends with its own (RFC 5321 3.4, RFC 7208 appendix D's Sender
 * Rewriting Scheme), a bulk-mail service takes the bounces for its customer. */
static char *envelope_explained(const ks_report *r, const char *rp, const char *rp_org)
{
	g_autofree char *local = ks_local_part(rp);
	if (local && (g_str_has_prefix(local, "srs0=") || g_str_has_prefix(local, "srs1=")))
		return g_strdup("a forwarder rewrote the envelope sender (SRS)");
	if (ks_mailing_list_present(r)) {
		bool list_domain = ks_mailing_list_is_domain(r, rp_org);
		/* Mailman and Majordomo send as the list's Sender (list-admin@) */
		for (guint i = 0; !list_domain && i < r->sender->len; i++) {
			const ks_address *s = g_ptr_array_index(r->sender, i);
			g_autofree char *s_org = org_of_address(s->address);
			list_domain = s_org && strcmp(s_org, rp_org) == 0;
		}
		if (list_domain)
			return g_strdup_printf("the mailing list %s sends with its own envelope sender",
			                       r->list.name);
	}
	if (ks_mailing_list_is_arc_signer(r, rp_org))
		return g_strdup_printf("forwarded by %s, which sealed it (ARC)", rp_org);
	g_autofree char *service = ks_routing_bulk_domain(rp_org);
	if (service && r->bulk_service)
		return g_strdup_printf("the bulk-mail service %s takes the bounces", service);
	return NULL;
}

static void check_envelope(ks_report *r, GHashTable *protected)
{
	g_autofree char *rp = bare_address(r->return_path);
	const ks_address *from = first_with_address(r->from);
	if (!rp || !from)
		return;
	g_autofree char *rp_org = org_of_address(rp);
	g_autofree char *from_org = org_of_address(from->address);
	if (!rp_org || !from_org || strcmp(rp_org, from_org) == 0)
		return;
	/* a bounce address at a bulk service is routine (low); a protected
	 * From sent by an outside envelope is the payroll-diversion case, which
	 * no header the sender writes explains */
	if (g_hash_table_contains(protected, from_org) && !g_hash_table_contains(protected, rp_org)) {
		ks_report_add_finding_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_HIGH,
		                          "header:Return-Path",
		                          "Return-Path %s, From %s (%s is a protected domain, the envelope "
		                          "sender is outside it)",
		                          rp, from->address, from_org);
		return;
	}
	g_autofree char *why = envelope_explained(r, rp, rp_org);
	if (why)
		ks_report_add_finding_sev(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, KS_SEV_INFO,
		                          "header:Return-Path", "Return-Path %s, From %s (explained: %s)",
		                          rp, from->address, why);
	else
		ks_report_add_finding(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS, "header:Return-Path",
		                      "Return-Path %s, From %s", rp, from->address);
}

/* ---- identity.lookalike_domain ---- */

static reference *add_reference(GPtrArray *refs, GHashTable *seen, const char *org, char *where,
                                bool from_only)
{
	if (!org || g_hash_table_contains(seen, org)) {
		g_free(where);
		return NULL;
	}
	g_hash_table_add(seen, g_strdup(org));
	reference *f = g_new0(reference, 1);
	f->domain = g_strdup(org);
	f->where = where;
	f->from_only = from_only;
	g_ptr_array_add(refs, f);
	return f;
}

static void add_recipient_refs(GPtrArray *refs, GHashTable *seen, const GPtrArray *list,
                               const GPtrArray *senders)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		g_autofree char *org = org_of_address(a->address);
		if (org && !is_sender(senders, org))
			add_reference(refs, seen, org, g_strdup("a recipient's domain"), false);
	}
}

/* The targets, most trusted first (the first reason seen for a domain is
 * the one given).  Domains taken from the message itself (recipients, the
 * body) exclude the sender-side domains: the attacker's own lookalike, Cc'd
 * or signed in the body, must not become a reference for the real one. */
static GPtrArray *reference_domains(const ks_report *r, const ks_context *ctx,
                                    const GPtrArray *senders)
{
	GPtrArray *refs = g_ptr_array_new_with_free_func((GDestroyNotify)reference_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < ctx->protected_domains->len; i++) {
		g_autofree char *org = org_of_host(g_ptr_array_index(ctx->protected_domains, i));
		add_reference(refs, seen, org, g_strdup("a protected domain"), false);
	}
	for (guint i = 0; i < ctx->contacts->len; i++) {
		const ks_contact *c = g_ptr_array_index(ctx->contacts, i);
		g_autofree char *org = org_of_address(c->address);
		char *where = c->name && *c->name
		                      ? g_strdup_printf("the domain of contact %s <%s>", c->name, c->address)
		                      : g_strdup_printf("the domain of contact %s", c->address);
		add_reference(refs, seen, org, where, false);
	}
	add_recipient_refs(refs, seen, r->to, senders);
	add_recipient_refs(refs, seen, r->cc, senders);
	if (r->body_text) {
		g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
		scan_addresses(r->body_text, MIN(strlen(r->body_text), (size_t)MAX_BODY_SCAN),
		               MAX_BODY_ADDRESSES, found);
		for (guint i = 0; i < found->len; i++) {
			const char *addr = g_ptr_array_index(found, i);
			g_autofree char *org = org_of_address(addr);
			if (!org || is_sender(senders, org))
				continue;
			reference *f = add_reference(refs, seen, org,
			                             g_strdup_printf("quoted in the body (%s)", addr), false);
			if (f)
				f->body = true;
		}
	}
	for (guint i = 0; i < r->from->len; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		g_autofree char *org = org_of_address(a->address);
		add_reference(refs, seen, org, g_strdup("the From domain"), true);
	}
	return refs;
}

static void check_lookalikes(ks_report *r, const GPtrArray *senders, const GPtrArray *refs,
                             GHashTable *trusted)
{
	for (guint i = 0; i < senders->len; i++) {
		const sender_domain *s = g_ptr_array_index(senders, i);
		/* the organisation's own and its contacts' domains are not lookalikes,
		 * even of each other (example.co.jp and example.com both owned) */
		if (g_hash_table_contains(trusted, s->domain))
			continue;
		/* a free-mail provider's own domains are not an attacker's
		 * registration: yahoo.com writing to yahoo.co.jp is no tld-swap */
		if (ks_identity_is_freemail(s->domain))
			continue;
		g_autofree char *location = g_strdup_printf("header:%s", s->header);
		for (guint j = 0; j < refs->len; j++) {
			const reference *f = g_ptr_array_index(refs, j);
			if (f->from_only && strcmp(s->header, "From") == 0)
				continue;
			g_autofree char *technique = NULL;
			if (!ks_lookalike_match(s->domain, f->domain, &technique))
				continue;
			/* one organisation's own domains differ just so (demon.net and
			 * demon.co.uk, ryanairmail.com and ryanair.ie in sa_ham's
			 * bounces and newsletters): against a domain the body merely
			 * mentions, another suffix or a joined word is medium; character
			 * edits and homoglyphs, the invoice-fraud tricks, stay high */
			bool weak = f->body && (g_str_has_prefix(technique, "tld-swap") ||
			                        g_str_has_prefix(technique, "insertion of the word"));
			ks_report_add_finding_sev(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN,
			                          weak ? KS_SEV_MEDIUM
			                               : ks_rule_severity(KS_RULE_IDENTITY_LOOKALIKE_DOMAIN),
			                          location, "%s looks like %s (%s), %s is %s", s->domain,
			                          f->domain, technique, f->domain, f->where);
		}
	}
}

/* ---- identity.display_name_spoof ---- */

/* A name's words for comparison: NFKC (full-width letters and the
 * ideographic space U+3000 become ASCII), case-folded, split at blanks,
 * commas, quotes and the katakana middle dot U+30FB.  NULL when none. */
static GPtrArray *name_words(const char *name)
{
	if (!name || !g_utf8_validate(name, -1, NULL))
		return NULL;
	g_autofree char *nfkc = g_utf8_normalize(name, -1, G_NORMALIZE_NFKC);
	if (!nfkc)
		return NULL;
	g_autofree char *folded = g_utf8_casefold(nfkc, -1);
	GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) w = g_string_new(NULL);
	for (const char *p = folded;; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!c || g_unichar_isspace(c) || c == ',' || c == '"' || c == '\'' || c == 0x30FB) {
			if (w->len)
				g_ptr_array_add(words, g_strdup(w->str));
			g_string_truncate(w, 0);
			if (!c)
				break;
		} else {
			g_string_append_unichar(w, c);
		}
	}
	if (!words->len) {
		g_ptr_array_unref(words);
		return NULL;
	}
	return words;
}

static char *join_words(const GPtrArray *words)
{
	GString *key = g_string_new(NULL);
	for (guint i = 0; i < words->len; i++)
		g_string_append(key, g_ptr_array_index(words, i));
	return g_string_free(key, FALSE);
}

static bool has_word(const GPtrArray *words, const char *w)
{
	for (guint i = 0; i < words->len; i++)
		if (strcmp(g_ptr_array_index(words, i), w) == 0)
			return true;
	return false;
}

static bool all_words_in(const GPtrArray *needles, const GPtrArray *hay)
{
	for (guint i = 0; i < needles->len; i++)
		if (!has_word(hay, g_ptr_array_index(needles, i)))
			return false;
	return true;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* Does a shown display name name this contact?  Spacing, width and case do
 * not count ("山田 太郎" = "山田　太郎" = "山田太郎"), nor word order ("Taro
 * Yamada" = "Yamada, Taro"), nor a title around the name ("Taro Yamada, CEO",
 * "代表取締役社長 山田 太郎": J-CSIP's CEO-fraud samples carry titles). */
static bool name_matches(const char *shown, const char *contact)
{
	g_autoptr(GPtrArray) sw = name_words(shown);
	g_autoptr(GPtrArray) cw = name_words(contact);
	if (!sw || !cw)
		return false;
	g_autofree char *s1 = join_words(sw);
	g_autofree char *c1 = join_words(cw);
	if (strcmp(s1, c1) == 0)
		return true;
	if (cw->len >= 2 && all_words_in(cw, sw))
		return true;
	/* Japanese names are written with or without a space, so a title can
	 * run into them ("社長山田太郎"); three characters keep it to full names */
	if (has_non_ascii(c1) && g_utf8_strlen(c1, -1) >= 3 && strstr(s1, c1))
		return true;
	return false;
}

/* The shape of a local part, the company's naming rule: a one-letter run
 * is 'a', a longer letter run 'w', a digit run '9', separators stay.
 * "t.yamada" -> "a.w", "taro_yamada" -> "w_w". */
static char *local_shape(const char *local)
{
	GString *out = g_string_new(NULL);
	for (const char *p = local; *p;) {
		if (g_ascii_isalpha(*p)) {
			const char *q = p;
			while (g_ascii_isalpha(*q))
				q++;
			g_string_append_c(out, q - p == 1 ? 'a' : 'w');
			p = q;
		} else if (g_ascii_isdigit(*p)) {
			while (g_ascii_isdigit(*p))
				p++;
			g_string_append_c(out, '9');
		} else {
			g_string_append_c(out, *p++);
		}
	}
	return g_string_free(out, FALSE);
}

static void check_name_holds_address(ks_report *r, const ks_address *a)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
	/* NFKC first: a full-width address (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) reads
	 * as one to the victim, and the scan takes ASCII only */
	g_autofree char *nfkc = g_utf8_validate(a->name, -1, NULL)
	                                ? g_utf8_normalize(a->name, -1, G_NORMALIZE_NFKC)
	                                : NULL;
	const char *name = nfkc ? nfkc : a->name;
	scan_addresses(name, strlen(name), 8, found);
	for (guint i = 0; i < found->len; i++) {
		const char *shown = g_ptr_array_index(found, i);
		if (a->address && g_ascii_strcasecmp(shown, a->address) == 0)
			continue;
		ks_report_add_finding(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "header:From",
		                      "display name \"%s\" shows %s, but the address is %s", a->name, shown,
		                      a->address ? a->address : "(none)");
		return;
	}
}

static void check_name_is_contact(ks_report *r, const ks_context *ctx, const ks_address *a)
{
	const ks_contact *match = NULL;
	for (guint i = 0; i < ctx->contacts->len; i++) {
		const ks_contact *c = g_ptr_array_index(ctx->contacts, i);
		if (!c->address || !name_matches(a->name, c->name))
			continue;
		/* one person may have several known addresses: any of them is fine */
		if (a->address && g_ascii_strcasecmp(a->address, c->address) == 0)
			return;
		if (!match)
			match = c;
	}
	if (!match)
		return;
	const char *addr = a->address ? a->address : "(none)";
	g_autofree char *dom = ks_domain_of_address(a->address);
	g_autofree char *cdom = ks_domain_of_address(match->address);
	g_autofree char *note = NULL;
	if (dom && cdom && strcmp(dom, cdom) == 0) {
		g_autofree char *local = ks_local_part(a->address);
		g_autofree char *clocal = ks_local_part(match->address);
		g_autofree char *shape = local_shape(local ? local : "");
		g_autofree char *cshape = local_shape(clocal ? clocal : "");
		if (strcmp(shape, cshape) != 0)
			note = g_strdup_printf(" (same domain, local part breaks the %s pattern)",
			                       clocal ? clocal : "");
		else
			note = g_strdup_printf(" (same domain, not the mailbox %s)", clocal ? clocal : "");
	}
	ks_report_add_finding(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF, "header:From",
	                      "display name \"%s\" is the contact %s <%s>, but the address is %s%s",
	                      a->name, match->name, match->address, addr, note ? note : "");
}

static void check_display_names(ks_report *r, const ks_context *ctx)
{
	for (guint i = 0; i < r->from->len; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		if (!a->name)
			continue;
		check_name_holds_address(r, a);
		check_name_is_contact(r, ctx, a);
	}
}

/* ---- identity.young_domain ---- */

static void check_registrations(ks_report *r, const ks_context *ctx, const GPtrArray *senders)
{
	for (guint i = 0; i < senders->len; i++) {
		const sender_domain *s = g_ptr_array_index(senders, i);
		const ks_registration *reg = ks_context_registration(ctx, s->domain);
		if (!reg || !reg->registered)
			continue;
		g_autofree char *event = g_strdup_printf("domain %s registered", s->domain);
		ks_report_add_event(r, reg->registered, event, "context:registration");
		if (!r->date)
			continue;
		g_autofree char *location = g_strdup_printf("header:%s", s->header);
		g_autofree char *when = ks_time_format(reg->registered);
		g_autofree char *sent = ks_time_format(r->date);
		GTimeSpan age = g_date_time_difference(r->date, reg->registered);
		GTimeSpan span = age < 0 ? -age : age;
		long days = (long)(span / G_TIME_SPAN_DAY);
		long hours = (long)((span % G_TIME_SPAN_DAY) / G_TIME_SPAN_HOUR);
		if (age < 0)
			ks_report_add_finding(r, KS_RULE_IDENTITY_YOUNG_DOMAIN, location,
			                      "%s registered %s (%s), %ld days %ld hours AFTER the message "
			                      "date %s: the date or the record is forged",
			                      s->domain, when, reg->source ? reg->source : "", days, hours,
			                      sent);
		else if (age < YOUNG_DAYS * G_TIME_SPAN_DAY)
			ks_report_add_finding(r, KS_RULE_IDENTITY_YOUNG_DOMAIN, location,
			                      "%s registered %s (%s), %ld days %ld hours before the message "
			                      "date %s",
			                      s->domain, when, reg->source ? reg->source : "", days, hours,
			                      sent);
	}
}

static void analyze(const ks_context *ctx, ks_report *r)
{
	g_autoptr(GHashTable) protected = org_set(ctx->protected_domains);
	g_autoptr(GHashTable) trusted = org_set(ctx->protected_domains);
	for (guint i = 0; i < ctx->contacts->len; i++) {
		const ks_contact *c = g_ptr_array_index(ctx->contacts, i);
		char *org = org_of_address(c->address);
		if (org)
			g_hash_table_add(trusted, org);
	}
	g_autoptr(GPtrArray) senders = sender_domains(r);
	g_autoptr(GPtrArray) refs = reference_domains(r, ctx, senders);

	check_reply_to(r);
	check_envelope(r, protected);
	check_lookalikes(r, senders, refs, trusted);
	check_display_names(r, ctx);
	check_registrations(r, ctx, senders);
}

void ks_identity_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	if (!r)
		return;
	if (ctx) {
		analyze(ctx, r);
		return;
	}
	g_autoptr(ks_context) empty = ks_context_new();
	analyze(empty, r);
}
