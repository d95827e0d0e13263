/* Analyzer for two long-running CEO-fraud campaigns recognised by how they
 * build their sender addresses (DESIGN.md, SPEC.md):
 *
 *   campaign.cosmic_lynx           a registrable domain whose first label is
 *                                  two or more "-"-joined words from
 *                                  data/campaign_cosmic_lynx.txt
 *                                  (secure-mail-gateway.cc);
 *   campaign.localized_ceo_fraud   a local part from data/campaign_localized.txt
 *                                  ("local:") on a domain made of two or more
 *                                  of its "domain:" words, even run together
 *                                  (board@boardmobile-ssl.com).
 *
 * Sender-side addresses only: From, Reply-To, Sender, Return-Path.  A lure in
 * the subject or body (sections cosmic.lure / localized.lure of the
 * lures_<lang>.txt files) keeps the rule's severity; the address pattern
 * alone is reported at medium.  Word lists are data; this file spells none. */
#include "checks/campaigns.h"

#include "core/domains.h"
#include "checks/lures.h"

#include <string.h>

#define COSMIC_FILE "campaign_cosmic_lynx.txt"
#define LOCALIZED_FILE "campaign_localized.txt"

/* A DNS label is at most 63 octets (RFC 1035 section 2.3.4); a local part at
 * most 64 (RFC 5321 section 4.5.3.1.1).  Longer ones are not these campaigns. */
#define LABEL_MAX 63
#define LOCAL_MAX 64
#define TOKENS_MAX 16
/* Lures sit near the top of a CEO-fraud mail; this bounds the scan. */
#define TEXT_MAX (256 * 1024)
#define HITS_MAX 32

typedef struct {
	const char *header;  /* "From", "Reply-To", ... */
	const char *address;
} sender;

static void collect_list(GArray *out, const char *header, const GPtrArray *list)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		if (a && a->address) {
			sender s = {header, a->address};
			g_array_append_val(out, s);
		}
	}
}

static GArray *senders_of(const ks_report *r)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(sender));
	collect_list(out, "From", r->from);
	collect_list(out, "Reply-To", r->reply_to);
	collect_list(out, "Sender", r->sender);
	if (r->return_path && *r->return_path) {
		sender s = {"Return-Path", r->return_path};
		g_array_append_val(out, s);
	}
	return out;
}

/* The first label of the registrable domain: "secure-relay" for
 * mail.secure-relay.co.jp; NULL for IP literals, bare suffixes, long labels. */
static char *registrable_label(const char *address, char **registrable)
{
	g_autofree char *domain = ks_domain_of_address(address);
	g_autofree char *reg = ks_domain_registrable(domain);
	if (!reg)
		return NULL;
	size_t n = strcspn(reg, ".");
	if (n == 0 || n > LABEL_MAX)
		return NULL;
	char *label = g_strndup(reg, n);
	*registrable = g_steal_pointer(&reg);
	return label;
}

/* "relay2" -> "relay": the campaigns number their addresses and domains. */
static char *without_digits(const char *token)
{
	size_t n = strlen(token);
	while (n > 0 && g_ascii_isdigit(token[n - 1]))
		n--;
	return g_strndup(token, n);
}

/* Tokens of label split on "-", all in the Cosmic Lynx list, joined by "+";
 * NULL when fewer than two or any is not listed. */
static char *cosmic_tokens(const char *label)
{
	g_auto(GStrv) parts = g_strsplit(label, "-", TOKENS_MAX + 1);
	guint n = g_strv_length(parts);
	if (n < 2 || n > TOKENS_MAX)
		return NULL;
	for (guint i = 0; i < n; i++) {
		g_autofree char *word = without_digits(parts[i]);
		if (!ks_lures_contains(COSMIC_FILE, "domain", word))
			return NULL;
	}
	return g_strjoinv("+", parts);
}

/* Splits piece into words of the "domain" list (dynamic programming over
 * at most LABEL_MAX positions), appending them to words; false when it
 * cannot be split. */
static bool segment(const char *piece, GPtrArray *words)
{
	size_t n = strlen(piece);
	if (n == 0 || n > LABEL_MAX)
		return false;
	const GPtrArray *terms = ks_lures_section(LOCALIZED_FILE, "domain");
	/* prev[i]: where the word ending at i starts, or -1 when i is unreachable */
	int prev[LABEL_MAX + 1];
	const ks_lure_term *word[LABEL_MAX + 1];
	for (size_t i = 0; i <= n; i++) {
		prev[i] = -1;
		word[i] = NULL;
	}
	prev[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (prev[i] < 0)
			continue;
		for (guint k = 0; k < terms->len; k++) {
			const ks_lure_term *t = g_ptr_array_index(terms, k);
			size_t len = strlen(t->folded);
			if (i + len <= n && prev[i + len] < 0 && strncmp(piece + i, t->folded, len) == 0) {
				prev[i + len] = (int)i;
				word[i + len] = t;
			}
		}
	}
	if (prev[n] < 0)
		return false;
	GPtrArray *found = g_ptr_array_new();
	for (size_t i = n; i > 0; i = (size_t)prev[i])
		g_ptr_array_insert(found, 0, (gpointer)word[i]->entry);
	for (guint i = 0; i < found->len; i++)
		g_ptr_array_add(words, g_ptr_array_index(found, i));
	g_ptr_array_unref(found);
	return true;
}

/* The label's words joined by "+" when it is made of two or more words of
 * the localized list, else NULL. */
static char *localized_domain_words(const char *label)
{
	g_auto(GStrv) pieces = g_strsplit(label, "-", TOKENS_MAX + 1);
	if (g_strv_length(pieces) > TOKENS_MAX)
		return NULL;
	g_autoptr(GPtrArray) words = g_ptr_array_new();
	for (char **p = pieces; *p; p++) {
		g_autofree char *piece = without_digits(*p);
		if (!segment(piece, words))
			return NULL;
	}
	if (words->len < 2)
		return NULL;
	g_ptr_array_add(words, NULL);
	return g_strjoinv("+", (char **)words->pdata);
}

/* True when every ".", "-" or "_" separated token of the local part is a
 * listed word (digits allowed at its end). */
static bool localized_local_part(const char *address)
{
	g_autofree char *local = ks_local_part(address);
	if (!local)
		return false;
	char *l = local;
	while (*l == '<' || *l == ' ')
		l++;
	if (!*l || strlen(l) > LOCAL_MAX)
		return false;
	g_auto(GStrv) tokens = g_strsplit_set(l, ".-_", TOKENS_MAX + 1);
	if (g_strv_length(tokens) > TOKENS_MAX)
		return false;
	for (char **t = tokens; *t; t++) {
		g_autofree char *word = without_digits(*t);
		if (!ks_lures_contains(LOCALIZED_FILE, "local", word))
			return false;
	}
	return true;
}

/* Lure entries of one section found in the subject and the body, joined by
 * ", "; NULL when none. */
static char *lures_in(const ks_report *r, const char *section)
{
	g_autoptr(ks_lure_text) subject = ks_lure_text_new(r->subject, TEXT_MAX);
	g_autoptr(ks_lure_text) body = ks_lure_text_new(r->body_text, TEXT_MAX);
	g_autoptr(GArray) hits = ks_lure_text_find(subject, NULL, section, HITS_MAX);
	g_autoptr(GArray) more = ks_lure_text_find(body, NULL, section, HITS_MAX);
	g_array_append_vals(hits, more->data, more->len);
	if (hits->len == 0)
		return NULL;
	return ks_lure_hits_join(hits);
}

/* One evidence item per distinct key (domain or address), naming every header
 * it was seen in. */
typedef struct {
	char *key;
	char *detail;
	GString *headers;
} match;

static void match_free(match *m)
{
	g_free(m->key);
	g_free(m->detail);
	g_string_free(m->headers, TRUE);
	g_free(m);
}

static void add_match(GPtrArray *matches, const char *key, const char *header, char *detail)
{
	for (guint i = 0; i < matches->len; i++) {
		match *m = g_ptr_array_index(matches, i);
		if (strcmp(m->key, key) == 0) {
			if (!strstr(m->headers->str, header))
				g_string_append_printf(m->headers, ", %s", header);
			g_free(detail);
			return;
		}
	}
	match *m = g_new0(match, 1);
	m->key = g_strdup(key);
	m->detail = detail;
	m->headers = g_string_new(header);
	g_ptr_array_add(matches, m);
}

static char *describe(const GPtrArray *matches)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < matches->len; i++) {
		const match *m = g_ptr_array_index(matches, i);
		g_string_append_printf(s, "%s%s (%s): %s", i ? "; " : "", m->key, m->headers->str,
		                       m->detail);
	}
	return g_string_free(s, FALSE);
}

static void cosmic_lynx(ks_report *r, const GArray *senders)
{
	g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func((GDestroyNotify)match_free);
	const char *first = NULL;
	for (guint i = 0; i < senders->len; i++) {
		const sender *s = &g_array_index(senders, sender, i);
		g_autofree char *reg = NULL;
		g_autofree char *label = registrable_label(s->address, &reg);
		char *tokens = label ? cosmic_tokens(label) : NULL;
		if (!tokens)
			continue;
		if (!first)
			first = s->header;
		add_match(matches, reg, s->header, g_strdup_printf("domain words %s", tokens));
		g_free(tokens);
	}
	if (!first)
		return;
	g_autofree char *where = g_strdup_printf("header:%s", first);
	g_autofree char *found = describe(matches);
	g_autofree char *lures = lures_in(r, "cosmic.lure");
	if (lures)
		ks_report_add_finding(r, KS_RULE_CAMPAIGN_COSMIC_LYNX, where, "%s; lures: %s", found,
		                      lures);
	else
		ks_report_add_finding_sev(r, KS_RULE_CAMPAIGN_COSMIC_LYNX, KS_SEV_MEDIUM, where,
		                          "%s; no CEO, counsel or Project lure in subject or body",
		                          found);
}

static void localized(ks_report *r, const GArray *senders)
{
	g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func((GDestroyNotify)match_free);
	const char *first = NULL;
	for (guint i = 0; i < senders->len; i++) {
		const sender *s = &g_array_index(senders, sender, i);
		if (!localized_local_part(s->address))
			continue;
		g_autofree char *reg = NULL;
		g_autofree char *label = registrable_label(s->address, &reg);
		char *words = label ? localized_domain_words(label) : NULL;
		if (!words)
			continue;
		if (!first)
			first = s->header;
		g_autofree char *local = ks_local_part(s->address);
		g_autofree char *key = g_strdup_printf("%s@%s", local, reg);
		add_match(matches, key, s->header, g_strdup_printf("domain words %s", words));
		g_free(words);
	}
	if (!first)
		return;
	g_autofree char *where = g_strdup_printf("header:%s", first);
	g_autofree char *found = describe(matches);
	g_autofree char *lures = lures_in(r, "localized.lure");
	/* the campaign sends through bulk-mail services (routing runs first) */
	g_autofree char *bulk = r->bulk_service
		? g_strdup_printf("; sent through %s", r->bulk_service)
		: g_strdup("");
	if (lures)
		ks_report_add_finding(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD, where,
		                      "%s; lures: %s%s", found, lures, bulk);
	else
		ks_report_add_finding_sev(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD, KS_SEV_MEDIUM,
		                          where, "%s; no M&A, HQ Project or counsel lure%s", found,
		                          bulk);
}

void ks_campaigns_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	if (!r)
		return;
	g_autoptr(GArray) senders = senders_of(r);
	cosmic_lynx(r, senders);
	localized(r, senders);
}
