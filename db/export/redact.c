/* Redaction on data (redact.h).
 *
 * Learning collects candidates (protected domains, contacts, recipients,
 * senders, greeted names, route hosts); ks_redactor_finish turns them into
 * the victim domains, addresses and names.  Applying works on one string at
 * a time through a "view" of it: %XX decoded, NFKC, case-folded, with every
 * byte of the view mapped back to the original bytes it came from.  Passes
 * over the view claim spans of the original (addresses, host names, IP
 * addresses, then names and labels); an earlier claim wins an overlap, and a
 * claim may keep its text (an attacker's address at the partner level), so
 * no later pass edits inside it.  The output is the original with each
 * replaced span swapped for its placeholder: text outside the spans is
 * copied byte for byte, and no format's syntax is in sight. */
#include "export/redact.h"

#include "core/data.h"
#include "core/domains.h"
#include "checks/identity.h"
#include "checks/lookalike.h"

#include <idn2.h>
#include <stdio.h>
#include <string.h>

struct ks_redactor {
	ks_redact_level level;
	bool finished;
	GHashTable *placeholders; /* "KIND\x1fkey" -> placeholder */
	int users, people, hosts, ips;
	/* learnt */
	GHashTable *protected_domains; /* registrable -> label or "" */
	GHashTable *weights;           /* candidate victim registrable -> weight */
	GHashTable *suspicion;         /* registrable -> 1 + highest score of a mail it sent */
	GHashTable *flagged;           /* registrable a lookalike finding pointed at */
	GPtrArray *recipients;         /* ks_address*: To, Cc, Delivered-To ... */
	GPtrArray *senders;            /* ks_address*: From, Sender, Reply-To */
	GPtrArray *contacts;           /* ks_address* */
	GPtrArray *people_names;       /* char*: names without an address */
	GPtrArray *labels;             /* char*: organisation names */
	GHashTable *route_hosts;       /* folded internal host -> TRUE */
	GHashTable *generic;           /* folded redact_generic_words.txt, made on first use */
	/* settled by finish */
	GHashTable *victim_domains;   /* folded registrable -> masked registrable */
	GHashTable *victim_addresses; /* folded address -> TRUE */
	GHashTable *lookalikes;       /* folded registrable -> victim registrable it imitates */
	GPtrArray *needles;           /* needle*, longest first */
};

typedef struct {
	char *folded;      /* what is looked for in the view */
	char *replacement; /* what it becomes */
	bool capitalized;  /* a lone Latin name: only where written with a capital */
} needle;

static void needle_free(needle *n)
{
	g_free(n->folded);
	g_free(n->replacement);
	g_free(n);
}

bool ks_redact_level_parse(const char *name, ks_redact_level *out)
{
	if (g_strcmp0(name, "partner") == 0)
		*out = KS_REDACT_PARTNER;
	else if (g_strcmp0(name, "public") == 0)
		*out = KS_REDACT_PUBLIC;
	else
		return false;
	return true;
}

ks_redactor *ks_redactor_new(ks_redact_level level)
{
	ks_redactor *r = g_new0(ks_redactor, 1);
	r->level = level;
	r->placeholders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->protected_domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->weights = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->suspicion = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->flagged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->recipients = g_ptr_array_new_with_free_func((GDestroyNotify)ks_address_free);
	r->senders = g_ptr_array_new_with_free_func((GDestroyNotify)ks_address_free);
	r->contacts = g_ptr_array_new_with_free_func((GDestroyNotify)ks_address_free);
	r->people_names = g_ptr_array_new_with_free_func(g_free);
	r->labels = g_ptr_array_new_with_free_func(g_free);
	r->route_hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->victim_domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->victim_addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	r->lookalikes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->needles = g_ptr_array_new_with_free_func((GDestroyNotify)needle_free);
	return r;
}

void ks_redactor_free(ks_redactor *r)
{
	if (!r)
		return;
	g_hash_table_unref(r->placeholders);
	g_hash_table_unref(r->protected_domains);
	g_hash_table_unref(r->weights);
	g_hash_table_unref(r->suspicion);
	g_hash_table_unref(r->flagged);
	g_ptr_array_unref(r->recipients);
	g_ptr_array_unref(r->senders);
	g_ptr_array_unref(r->contacts);
	g_ptr_array_unref(r->people_names);
	g_ptr_array_unref(r->labels);
	g_hash_table_unref(r->route_hosts);
	if (r->generic)
		g_hash_table_unref(r->generic);
	g_hash_table_unref(r->victim_domains);
	g_hash_table_unref(r->victim_addresses);
	g_hash_table_unref(r->lookalikes);
	g_ptr_array_unref(r->needles);
	g_free(r);
}

/* ---- folding: the one normal form keys, needles and views share ---- */

/* s made valid UTF-8, NFKC, case-folded. */
static char *fold(const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s ? s : "", -1);
	g_autofree char *nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
	return g_utf8_casefold(nfkc ? nfkc : valid, -1);
}

/* A host name folded, without trailing dots, with IDN A-labels decoded. */
static char *fold_host(const char *host)
{
	g_autofree char *f = fold(host);
	g_strstrip(f);
	size_t n = strlen(f);
	while (n && f[n - 1] == '.')
		f[--n] = '\0';
	if (strstr(f, "xn--")) {
		char *u = NULL;
		if (idn2_to_unicode_8z8z(f, &u, 0) == IDN2_OK && u && g_utf8_validate(u, -1, NULL)) {
			char *out = fold(u);
			idn2_free(u);
			return out;
		}
		idn2_free(u);
	}
	return g_steal_pointer(&f);
}

/* The registrable domain of a folded host, or NULL. */
static char *registrable(const char *host)
{
	return ks_domain_registrable(host);
}

/* ---- placeholders ---- */

static const char *placeholder(ks_redactor *r, char kind, const char *key)
{
	g_autofree char *k = g_strdup_printf("%c\x1f%s", kind, key);
	const char *p = g_hash_table_lookup(r->placeholders, k);
	if (p)
		return p;
	char *v;
	switch (kind) {
	case 'u':
		v = g_strdup_printf("user-%d", ++r->users);
		break;
	case 'p':
		v = g_strdup_printf("Person-%d", ++r->people);
		break;
	case 'h':
		v = g_strdup_printf("internal-host-%d", ++r->hosts);
		break;
	default:
		v = g_strdup_printf("private-ip-%d", ++r->ips);
		break;
	}
	g_hash_table_insert(r->placeholders, g_steal_pointer(&k), v);
	return v;
}

/* "hoshizora-denko" -> "hos●●ko": which organisation, without naming it,
 * as the advisories write it. */
static char *mask_label(const char *label)
{
	glong n = g_utf8_strlen(label, -1);
	if (n <= 4)
		return g_strdup("●●");
	g_autofree char *head = g_utf8_substring(label, 0, 3);
	g_autofree char *tail = g_utf8_substring(label, n - 2, n);
	return g_strdup_printf("%s●●%s", head, tail);
}

/* A lookalike's label masked like its victim's, but with the characters
 * where the two differ left in sight, so a reader still sees the trick:
 * koganne-parts (of kogane-parts) -> kog●●nn●●ts, hoshizora-denk0 ->
 * hos●●k0.  The window is one character either side of the part outside
 * the common prefix and suffix. */
static char *mask_lookalike(const char *label, const char *victim)
{
	g_autofree gunichar *l = g_utf8_to_ucs4_fast(label, -1, NULL);
	g_autofree gunichar *v = g_utf8_to_ucs4_fast(victim, -1, NULL);
	glong nl = 0, nv = 0;
	while (l[nl])
		nl++;
	while (v[nv])
		nv++;
	glong p = 0, q = 0;
	while (p < nl && p < nv && l[p] == v[p])
		p++;
	while (q < nl - p && q < nv - p && l[nl - 1 - q] == v[nv - 1 - q])
		q++;
	glong s = MAX(3, MIN(p, nl - q) - 1), e = MIN(nl, MAX(p, nl - q) + 1);
	if (nl <= 5 || s >= e)
		return mask_label(label);
	g_autofree char *head = g_utf8_substring(label, 0, 3);
	g_autofree char *mid = g_utf8_substring(label, s, e);
	if (e >= nl)
		return g_strdup_printf("%s●●%s", head, mid);
	g_autofree char *tail = g_utf8_substring(label, MAX(e, nl - 2), nl);
	return g_strdup_printf("%s●●%s%s%s", head, mid, nl - 2 > e ? "●●" : "", tail);
}

/* "hoshizora-denko.co.jp" -> "hos●●ko.co.jp" (the label before the public
 * suffix masked). */
static char *mask_registrable(const char *reg)
{
	const char *dot = strchr(reg, '.');
	g_autofree char *label = dot ? g_strndup(reg, dot - reg) : g_strdup(reg);
	g_autofree char *m = mask_label(label);
	return g_strconcat(m, dot ? dot : "", NULL);
}

/* ---- learning ---- */

static bool is_generic_word(ks_redactor *r, const char *folded)
{
	if (!r->generic) {
		r->generic = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		const GPtrArray *words = ks_data_lines("redact_generic_words.txt");
		for (guint i = 0; words && i < words->len; i++)
			g_hash_table_add(r->generic, fold(g_ptr_array_index(words, i)));
	}
	return g_hash_table_contains(r->generic, folded);
}

static void add_weight(ks_redactor *r, const char *domain, int w)
{
	g_autofree char *host = fold_host(domain);
	g_autofree char *reg = registrable(host);
	if (!reg || ks_identity_is_freemail(reg))
		return;
	int old = GPOINTER_TO_INT(g_hash_table_lookup(r->weights, reg));
	g_hash_table_insert(r->weights, g_steal_pointer(&reg), GINT_TO_POINTER(old + w));
}

static void add_address(GPtrArray *list, const char *name, const char *address)
{
	if ((name && *name) || (address && strchr(address, '@')))
		g_ptr_array_add(list, ks_address_new(name, address));
}

void ks_redactor_add_protected(ks_redactor *r, const char *domain, const char *label)
{
	g_autofree char *host = fold_host(domain);
	g_autofree char *reg = registrable(host);
	if (!reg)
		return;
	add_weight(r, reg, 1000);
	g_hash_table_insert(r->protected_domains, g_strdup(reg), g_strdup(label ? label : ""));
	if (label && *label)
		g_ptr_array_add(r->labels, g_strdup(label));
}

void ks_redactor_add_contact(ks_redactor *r, const char *name, const char *address)
{
	add_address(r->contacts, name, address);
	g_autofree char *d = address ? ks_domain_of_address(address) : NULL;
	if (d)
		add_weight(r, d, 100);
}

void ks_redactor_add_person(ks_redactor *r, const char *name)
{
	if (name && *name)
		g_ptr_array_add(r->people_names, g_strdup(name));
}

static void learn_recipients(ks_redactor *r, const GPtrArray *list, int weight)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		add_address(r->recipients, a->name, a->address);
		g_autofree char *d = a->address ? ks_domain_of_address(a->address) : NULL;
		if (d)
			add_weight(r, d, weight);
	}
}

/* A sender-side address of a mail that scored score. */
static void learn_sender(ks_redactor *r, const char *name, const char *address, int score)
{
	add_address(r->senders, name, address);
	g_autofree char *d = address ? ks_domain_of_address(address) : NULL;
	g_autofree char *host = d ? fold_host(d) : NULL;
	g_autofree char *reg = host ? registrable(host) : NULL;
	if (!reg)
		return;
	int old = GPOINTER_TO_INT(g_hash_table_lookup(r->suspicion, reg));
	if (score + 1 > old)
		g_hash_table_insert(r->suspicion, g_steal_pointer(&reg), GINT_TO_POINTER(score + 1));
}

static void learn_senders(ks_redactor *r, const GPtrArray *list, int score)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		learn_sender(r, a->name, a->address, score);
	}
}

/* Headers that name the mailbox the mail was delivered to (RFC 9228
 * Delivered-To; X-Original-To and X-Envelope-To of Postfix and qmail). */
static bool is_delivery_header(const char *name)
{
	static const char *const names[] = {"Delivered-To", "X-Original-To", "X-Envelope-To",
	                                    "Envelope-To", "X-Delivered-To", "Bcc"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Route hosts that are no public name: one label ("exch01"), or under a
 * top-level domain that does not exist ("pc12.corp.local", ".lan"). */
static void learn_host(ks_redactor *r, const char *host)
{
	if (!host || !*host || strchr(host, ' ') || ks_is_ip_literal(host))
		return;
	g_autofree char *f = fold_host(host);
	if (strlen(f) < 3 || strspn(f, "[]") > 0)
		return;
	if (!strchr(f, '.') || !ks_domain_has_known_tld(f))
		g_hash_table_add(r->route_hosts, g_steal_pointer(&f));
}

static bool latin_word_char(gunichar c)
{
	return g_unichar_isalnum(c) && c < 0x2E80;
}

/* Salutations at the top of a body name the recipient: "Dear Hanako Sato,",
 * "Hi Ken", "Estimado Juan", "経理部 佐藤様", "田中さん".  Only the first lines
 * are read: a greeting is where a mail starts. */
static void learn_salutations(ks_redactor *r, const char *body)
{
	static const char *const openers[] = {"dear ", "hi ", "hello ", "hey ", "attn: ", "attn ",
	                                      "estimado ", "estimada ", "prezado ", "prezada ",
	                                      "caro ", "cara ", "olá ", "hola ", "sehr geehrter ",
	                                      "sehr geehrte ", "hallo ", "bonjour ", "cher ",
	                                      "chère ", "gentile "};
	static const char *const honorifics[] = {"様", "さま", "さん", "殿", "くん"};
	if (!body)
		return;
	g_auto(GStrv) lines = g_strsplit(body, "\n", 16);
	for (guint i = 0; lines[i] && i < 15; i++) {
		g_autofree char *l = g_strstrip(g_strdup(lines[i]));
		if (!*l)
			continue;
		g_autofree char *low = g_utf8_strdown(l, -1);
		for (size_t k = 0; k < G_N_ELEMENTS(openers); k++) {
			if (!g_str_has_prefix(low, openers[k]))
				continue;
			/* up to three capitalised words, skipping Mr/Ms titles */
			const char *p = l + strlen(openers[k]);
			GString *name = g_string_new(NULL);
			for (int words = 0; words < 3 && *p;) {
				while (*p == ' ')
					p++;
				const char *s = p;
				while (*p && latin_word_char(g_utf8_get_char(p)))
					p = g_utf8_next_char(p);
				if (p == s || !g_unichar_isupper(g_utf8_get_char(s)))
					break;
				g_autofree char *w = g_strndup(s, p - s);
				g_autofree char *fw = fold(w);
				if (*p == '.')
					p++;
				if (is_generic_word(r, fw))
					continue;
				if (name->len)
					g_string_append_c(name, ' ');
				g_string_append(name, w);
				words++;
			}
			if (name->len >= 3)
				g_ptr_array_add(r->people_names, g_string_free(name, FALSE));
			else
				g_string_free(name, TRUE);
		}
		for (size_t k = 0; k < G_N_ELEMENTS(honorifics); k++) {
			char *h = strstr(l, honorifics[k]);
			if (!h || h == l)
				continue;
			/* the word just before the honorific: "経理部 佐藤様" -> 佐藤 */
			const char *e = h, *s = h;
			while (s > l) {
				const char *prev = g_utf8_find_prev_char(l, s);
				gunichar c = g_utf8_get_char(prev);
				if (g_unichar_isspace(c) || c == 0x3000 || g_unichar_ispunct(c))
					break;
				s = prev;
			}
			g_autofree char *w = g_strndup(s, e - s);
			g_autofree char *fw = fold(w);
			if (g_utf8_strlen(w, -1) >= 2 && g_utf8_strlen(w, -1) <= 8 && !is_generic_word(r, fw))
				g_ptr_array_add(r->people_names, g_steal_pointer(&w));
		}
	}
}

static void learn(ks_redactor *r, const ks_report *rep, int depth)
{
	if (!rep || depth > 16)
		return;
	learn_recipients(r, rep->to, 2);
	/* on a suspicious mail a Cc outside the To domains is the attacker's
	 * doing (DESIGN.md: "a fake lawyer on Cc"): a victim only if other
	 * evidence makes its domain one */
	for (guint i = 0; i < rep->cc->len; i++) {
		const ks_address *a = g_ptr_array_index(rep->cc, i);
		g_autofree char *d = a->address ? ks_domain_of_address(a->address) : NULL;
		bool shared = false;
		for (guint k = 0; d && k < rep->to->len && !shared; k++) {
			const ks_address *t = g_ptr_array_index(rep->to, k);
			g_autofree char *td = t->address ? ks_domain_of_address(t->address) : NULL;
			shared = td && g_ascii_strcasecmp(td, d) == 0;
		}
		if (rep->assessment.score >= 25 && !shared) {
			learn_sender(r, a->name, a->address, rep->assessment.score);
		} else {
			add_address(r->recipients, a->name, a->address);
			if (d)
				add_weight(r, d, 1);
		}
	}
	int score = rep->assessment.score;
	learn_senders(r, rep->from, score);
	learn_senders(r, rep->sender, score);
	learn_senders(r, rep->reply_to, score);
	if (rep->return_path)
		learn_sender(r, NULL, rep->return_path, score);
	for (guint i = 0; i < rep->headers->len; i++) {
		const ks_header *h = g_ptr_array_index(rep->headers, i);
		if (!is_delivery_header(h->name) || !h->value)
			continue;
		g_autofree char *v = g_strstrip(g_strdup(h->value));
		g_strdelimit(v, "<>", ' ');
		g_strstrip(v);
		if (strchr(v, '@') && !strchr(v, ' ')) {
			add_address(r->recipients, NULL, v);
			g_autofree char *d = ks_domain_of_address(v);
			if (d)
				add_weight(r, d, 2);
		}
	}
	/* the addresses of the header a lookalike finding is located at */
	for (guint i = 0; i < rep->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(rep->findings, i);
		if (f->rule != KS_RULE_IDENTITY_LOOKALIKE_DOMAIN || !g_str_has_prefix(f->location, "header:"))
			continue;
		const char *h = f->location + 7;
		const GPtrArray *list = g_ascii_strcasecmp(h, "From") == 0       ? rep->from
		                        : g_ascii_strcasecmp(h, "Reply-To") == 0 ? rep->reply_to
		                        : g_ascii_strcasecmp(h, "Sender") == 0   ? rep->sender
		                        : g_ascii_strcasecmp(h, "Cc") == 0       ? rep->cc
		                        : g_ascii_strcasecmp(h, "To") == 0       ? rep->to
		                                                                 : NULL;
		g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func((GDestroyNotify)ks_address_free);
		if (g_ascii_strcasecmp(h, "Return-Path") == 0 && rep->return_path)
			g_ptr_array_add(one, ks_address_new(NULL, rep->return_path));
		for (guint k = 0; list && k < list->len; k++) {
			const ks_address *a = g_ptr_array_index(list, k);
			g_ptr_array_add(one, ks_address_new(NULL, a->address));
		}
		for (guint k = 0; k < one->len; k++) {
			const ks_address *a = g_ptr_array_index(one, k);
			g_autofree char *d = a->address ? ks_domain_of_address(a->address) : NULL;
			g_autofree char *fd = d ? fold_host(d) : NULL;
			char *reg = fd ? registrable(fd) : NULL;
			if (reg)
				g_hash_table_add(r->flagged, reg);
		}
	}
	for (guint i = 0; i < rep->hops->len; i++) {
		const ks_hop *h = g_ptr_array_index(rep->hops, i);
		learn_host(r, h->from);
		learn_host(r, h->helo);
		learn_host(r, h->rdns);
		learn_host(r, h->by);
	}
	learn_host(r, rep->auth.authserv_id);
	learn_salutations(r, rep->body_text);
	for (guint i = 0; i < rep->attachments->len; i++) {
		GPtrArray *stack = g_ptr_array_new();
		g_ptr_array_add(stack, g_ptr_array_index(rep->attachments, i));
		while (stack->len) {
			ks_attachment *a = g_ptr_array_steal_index(stack, stack->len - 1);
			if (a->message)
				learn(r, a->message, depth + 1);
			for (guint k = 0; k < a->children->len && stack->len < 4096; k++)
				g_ptr_array_add(stack, g_ptr_array_index(a->children, k));
		}
		g_ptr_array_unref(stack);
	}
}

void ks_redactor_learn_report(ks_redactor *r, const ks_report *rep)
{
	learn(r, rep, 0);
}

/* ---- settling ---- */

static bool victim_domain_of(ks_redactor *r, const char *folded_address, char **reg_out)
{
	const char *at = strrchr(folded_address, '@');
	if (!at)
		return false;
	g_autofree char *host = fold_host(at + 1);
	g_autofree char *reg = registrable(host);
	bool victim = reg && g_hash_table_contains(r->victim_domains, reg);
	if (reg_out)
		*reg_out = g_steal_pointer(&reg);
	return victim;
}

/* The words of a name: split at spaces (ideographic too) and punctuation. */
static GPtrArray *name_words(const char *name)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const char *start = NULL;
	for (const char *p = name;; p = g_utf8_next_char(p)) {
		gunichar c = *p ? g_utf8_get_char(p) : 0;
		bool sep = !c || g_unichar_isspace(c) || g_unichar_ispunct(c) || c == 0x3000 ||
		           c == 0x30FB; /* ・ */
		if (sep && start) {
			g_ptr_array_add(out, g_strndup(start, p - start));
			start = NULL;
		} else if (!sep && !start) {
			start = p;
		}
		if (!c)
			break;
	}
	return out;
}

static void add_name_needles(ks_redactor *r, const char *name)
{
	g_autofree char *f = fold(name);
	g_strstrip(f);
	if (g_utf8_strlen(f, -1) < 2)
		return;
	const char *ph = placeholder(r, 'p', f);
	needle *n = g_new0(needle, 1);
	n->folded = g_strdup(f);
	n->replacement = g_strdup(ph);
	g_ptr_array_add(r->needles, n);
	/* each word of it too, but not the department or the title */
	g_autoptr(GPtrArray) words = name_words(f);
	if (words->len < 2)
		return;
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		glong len = g_utf8_strlen(w, -1);
		bool ascii = g_str_is_ascii(w);
		if ((ascii && len < 3) || len < 2 || is_generic_word(r, w))
			continue;
		needle *t = g_new0(needle, 1);
		t->folded = g_strdup(w);
		t->replacement = g_strdup(ph);
		t->capitalized = latin_word_char(g_utf8_get_char(w));
		g_ptr_array_add(r->needles, t);
	}
}

static void add_label_needle(ks_redactor *r, const char *label)
{
	g_autofree char *f = fold(label);
	if (g_utf8_strlen(f, -1) < 3)
		return;
	needle *n = g_new0(needle, 1);
	n->folded = g_strdup(f);
	n->replacement = mask_label(label);
	g_ptr_array_add(r->needles, n);
}

static gint longest_first(gconstpointer a, gconstpointer b)
{
	const needle *x = *(needle *const *)a, *y = *(needle *const *)b;
	size_t lx = strlen(x->folded), ly = strlen(y->folded);
	return lx < ly ? 1 : lx > ly ? -1 : 0;
}

void ks_redactor_finish(ks_redactor *r)
{
	if (r->finished)
		return;
	r->finished = true;
	/* Every pair of domains seen where one imitates the other: the one that
	 * sent the more suspicious mail is the attacker's (a lookalike on a Cc,
	 * the partner's lookalike in a hijacked thread), the other is a victim
	 * even when nothing else made it one (the real partner's domain).  A
	 * protected domain is never the attacker's; one a lookalike finding
	 * pointed at is; then the one behind the more suspicious mail; with
	 * nothing to tell them apart, the less established one. */
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer key;
	GHashTable *sources[] = {r->weights, r->suspicion};
	for (size_t k = 0; k < G_N_ELEMENTS(sources); k++) {
		g_hash_table_iter_init(&it, sources[k]);
		while (g_hash_table_iter_next(&it, &key, NULL))
			if (!ks_identity_is_freemail(key))
				g_hash_table_add(seen, key);
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_hash_table_iter_init(&it, seen);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_ptr_array_add(names, key);
	g_autoptr(GHashTable) imitated = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < names->len; i++)
		for (guint k = i + 1; k < names->len; k++) {
			const char *a = g_ptr_array_index(names, i), *b = g_ptr_array_index(names, k);
			if (!ks_lookalike_match(a, b, NULL) && !ks_lookalike_match(b, a, NULL))
				continue;
			bool pa = g_hash_table_contains(r->protected_domains, a);
			bool pb = g_hash_table_contains(r->protected_domains, b);
			bool fa = g_hash_table_contains(r->flagged, a);
			bool fb = g_hash_table_contains(r->flagged, b);
			int sa = GPOINTER_TO_INT(g_hash_table_lookup(r->suspicion, a));
			int sb = GPOINTER_TO_INT(g_hash_table_lookup(r->suspicion, b));
			int wa = GPOINTER_TO_INT(g_hash_table_lookup(r->weights, a));
			int wb = GPOINTER_TO_INT(g_hash_table_lookup(r->weights, b));
			const char *attacker = pa && pb       ? NULL
			                       : pa           ? b
			                       : pb           ? a
			                       : fa != fb     ? (fa ? a : b)
			                       : sa != sb     ? (sa > sb ? a : b)
			                       : wa != wb     ? (wa < wb ? a : b)
			                                      : NULL;
			if (!attacker)
				continue;
			const char *victim = attacker == a ? b : a;
			g_hash_table_insert(r->lookalikes, g_strdup(attacker), g_strdup(victim));
			g_hash_table_add(imitated, (gpointer)victim);
		}
	/* a domain a lookalike finding pointed at imitates something, even when
	 * what it imitates is only quoted in a body: an attacker's, victim unknown */
	g_hash_table_iter_init(&it, r->flagged);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!g_hash_table_contains(r->lookalikes, key) &&
		    !g_hash_table_contains(r->protected_domains, key))
			g_hash_table_insert(r->lookalikes, g_strdup(key), g_strdup(""));
	for (guint i = 0; i < names->len; i++) {
		const char *d = g_ptr_array_index(names, i);
		if (g_hash_table_contains(r->lookalikes, d))
			continue;
		if (g_hash_table_contains(r->weights, d) || g_hash_table_contains(imitated, d))
			g_hash_table_insert(r->victim_domains, g_strdup(d), mask_registrable(d));
	}
	GPtrArray *lists[] = {r->senders, r->recipients};

	/* victim addresses and the names that go with them */
	for (guint i = 0; i < r->contacts->len; i++) {
		const ks_address *a = g_ptr_array_index(r->contacts, i);
		if (a->address)
			g_hash_table_add(r->victim_addresses, fold(a->address));
		if (a->name)
			add_name_needles(r, a->name);
	}
	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
		for (guint i = 0; i < lists[l]->len; i++) {
			const ks_address *a = g_ptr_array_index(lists[l], i);
			g_autofree char *fa = a->address ? fold(a->address) : NULL;
			g_autofree char *reg = NULL;
			bool victim = fa && victim_domain_of(r, fa, &reg);
			/* a recipient on free mail is a victim too; a sender there is not */
			if (!victim && fa && lists[l] == r->recipients && reg &&
			    !g_hash_table_contains(r->lookalikes, reg))
				victim = ks_identity_is_freemail(reg);
			if (!victim)
				continue;
			g_hash_table_add(r->victim_addresses, g_steal_pointer(&fa));
			if (a->name)
				add_name_needles(r, a->name);
		}
	/* the name shown on a lookalike's address is the person it impersonates */
	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
		for (guint i = 0; i < lists[l]->len; i++) {
			const ks_address *a = g_ptr_array_index(lists[l], i);
			g_autofree char *d = a->address ? ks_domain_of_address(a->address) : NULL;
			g_autofree char *fd = d ? fold_host(d) : NULL;
			g_autofree char *reg = fd ? registrable(fd) : NULL;
			if (a->name && reg && g_hash_table_contains(r->lookalikes, reg))
				add_name_needles(r, a->name);
		}
	for (guint i = 0; i < r->people_names->len; i++)
		add_name_needles(r, g_ptr_array_index(r->people_names, i));

	/* a victim's local part on its own (in a URL, a file name), when it is
	 * distinctive enough not to be a common word */
	g_hash_table_iter_init(&it, r->victim_addresses);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *addr = key, *at = strrchr(addr, '@');
		if (!at || g_utf8_strlen(addr, at - addr) < 4)
			continue;
		g_autofree char *local = g_strndup(addr, at - addr);
		if (is_generic_word(r, local))
			continue;
		needle *n = g_new0(needle, 1);
		n->folded = g_steal_pointer(&local);
		n->replacement = g_strdup(placeholder(r, 'u', addr));
		g_ptr_array_add(r->needles, n);
	}
	/* organisation names and the protected domains' own labels */
	for (guint i = 0; i < r->labels->len; i++)
		add_label_needle(r, g_ptr_array_index(r->labels, i));
	g_hash_table_iter_init(&it, r->protected_domains);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *dot = strchr(key, '.');
		g_autofree char *label = dot ? g_strndup(key, dot - (const char *)key) : g_strdup(key);
		if (g_utf8_strlen(label, -1) >= 4)
			add_label_needle(r, label);
	}
	g_hash_table_iter_init(&it, r->route_hosts);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		needle *n = g_new0(needle, 1);
		n->folded = g_strdup(key);
		n->replacement = g_strdup(placeholder(r, 'h', key));
		g_ptr_array_add(r->needles, n);
	}
	g_ptr_array_sort(r->needles, longest_first);
}

/* ---- the view: the text as matched, mapped back to the original ---- */

typedef struct {
	GString *text;
	GArray *from, *to; /* size_t per view byte: its original span */
} view;

static void view_push(view *v, const char *s, size_t len, size_t from, size_t to)
{
	g_string_append_len(v->text, s, (gssize)len);
	for (size_t i = 0; i < len; i++) {
		g_array_append_val(v->from, from);
		g_array_append_val(v->to, to);
	}
}

static int hexval(char c)
{
	return g_ascii_xdigit_value(c);
}

static void view_build(view *v, const char *s)
{
	v->text = g_string_new(NULL);
	v->from = g_array_new(FALSE, FALSE, sizeof(size_t));
	v->to = g_array_new(FALSE, FALSE, sizeof(size_t));
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		/* %XX of printable ASCII: what a URL hides an address behind */
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			if (c > 0x20 && c < 0x7f) {
				c = g_ascii_tolower(c);
				view_push(v, &c, 1, i, i + 3);
				i += 3;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			char c = g_ascii_tolower(s[i]);
			view_push(v, &c, 1, i, i + 1);
			i++;
			continue;
		}
		const char *next = g_utf8_next_char(s + i);
		size_t len = (size_t)(next - (s + i));
		g_autofree char *norm = g_utf8_normalize(s + i, (gssize)len, G_NORMALIZE_NFKC);
		g_autofree char *folded = norm ? g_utf8_casefold(norm, -1) : g_strndup(s + i, len);
		view_push(v, folded, strlen(folded), i, i + len);
		i += len;
	}
}

static void view_clear(view *v)
{
	g_string_free(v->text, TRUE);
	g_array_unref(v->from);
	g_array_unref(v->to);
}

typedef struct {
	size_t from, to;   /* original byte span */
	char *replacement; /* NULL: kept as written */
} span;

typedef struct {
	ks_redactor *r;
	const char *orig;
	view v;
	GArray *spans; /* span */
} job;

/* Claims the original bytes behind view bytes [vs, ve); false when any of
 * them is claimed already. */
static bool claim(job *j, size_t vs, size_t ve, const char *replacement)
{
	if (ve <= vs || ve > j->v.text->len)
		return false;
	size_t from = g_array_index(j->v.from, size_t, vs);
	size_t to = g_array_index(j->v.to, size_t, ve - 1);
	for (guint i = 0; i < j->spans->len; i++) {
		span *s = &g_array_index(j->spans, span, i);
		if (from < s->to && s->from < to)
			return false;
	}
	span s = {from, to, replacement ? g_strdup(replacement) : NULL};
	g_array_append_val(j->spans, s);
	return true;
}

static gint span_cmp(gconstpointer a, gconstpointer b)
{
	const span *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from ? 1 : 0;
}

static char *job_result(job *j)
{
	g_array_sort(j->spans, span_cmp);
	GString *out = g_string_new(NULL);
	size_t at = 0;
	for (guint i = 0; i < j->spans->len; i++) {
		span *s = &g_array_index(j->spans, span, i);
		g_string_append_len(out, j->orig + at, (gssize)(s->from - at));
		if (s->replacement)
			g_string_append(out, s->replacement);
		else
			g_string_append_len(out, j->orig + s->from, (gssize)(s->to - s->from));
		at = s->to;
		g_free(s->replacement);
	}
	g_string_append(out, j->orig + at);
	return g_string_free(out, FALSE);
}

/* ---- deciding one address, host or IP ---- */

/* The replacement of a folded host, or NULL to keep it.  *attacker tells
 * whether it is an attacker's (kept whole at the partner level). */
static char *host_replacement(ks_redactor *r, const char *host, bool *attacker)
{
	*attacker = false;
	if (g_hash_table_contains(r->route_hosts, host))
		return g_strdup(placeholder(r, 'h', host));
	g_autofree char *reg = registrable(host);
	if (!reg)
		return NULL;
	const char *masked = g_hash_table_lookup(r->victim_domains, reg);
	if (masked) {
		size_t prefix = strlen(host) - strlen(reg);
		return g_strdup_printf("%.*s%s", (int)prefix, host, masked);
	}
	*attacker = true;
	if (r->level < KS_REDACT_PUBLIC)
		return NULL;
	const char *imitated = g_hash_table_lookup(r->lookalikes, reg);
	if (!imitated)
		return NULL;
	if (!*imitated) { /* what it imitates is not known: its own label masked */
		size_t prefix = strlen(host) - strlen(reg);
		g_autofree char *m = mask_registrable(reg);
		return g_strdup_printf("%.*s%s", (int)prefix, host, m);
	}
	/* the victim's label inside the lookalike masked as the advisories do
	 * (abc-company-co-jp.com -> abc●●ny-co-jp.com), else the lookalike's own */
	const char *dot = strchr(imitated, '.');
	g_autofree char *vlabel = dot ? g_strndup(imitated, dot - imitated) : g_strdup(imitated);
	const char *hit = strstr(host, vlabel);
	if (hit && g_utf8_strlen(vlabel, -1) > 4) {
		g_autofree char *m = mask_label(vlabel);
		return g_strdup_printf("%.*s%s%s", (int)(hit - host), host, m, hit + strlen(vlabel));
	}
	size_t prefix = strlen(host) - strlen(reg);
	const char *rdot = strchr(reg, '.');
	g_autofree char *llabel = rdot ? g_strndup(reg, rdot - reg) : g_strdup(reg);
	g_autofree char *m = mask_lookalike(llabel, vlabel);
	return g_strdup_printf("%.*s%s%s", (int)prefix, host, m, rdot ? rdot : "");
}

/* The replacement of a folded address, or NULL to keep it. */
static char *address_replacement(ks_redactor *r, const char *local, const char *host,
                                 bool *attacker)
{
	g_autofree char *addr = g_strdup_printf("%s@%s", local, host);
	bool victim = g_hash_table_contains(r->victim_addresses, addr);
	bool host_attacker = false;
	g_autofree char *h = host_replacement(r, host, &host_attacker);
	if (!victim && h && !host_attacker)
		victim = true; /* anyone at a victim domain */
	*attacker = !victim;
	if (!victim) {
		/* for publication a lookalike's mailbox goes whole: its local part
		 * is most often the impersonated person's (ichiro.tanaka@) */
		g_autofree char *reg = registrable(host);
		if (r->level < KS_REDACT_PUBLIC || !h || !reg || !g_hash_table_contains(r->lookalikes, reg))
			return NULL;
		return g_strdup_printf("%s@%s", placeholder(r, 'u', addr), h);
	}
	return g_strdup_printf("%s@%s", placeholder(r, 'u', addr), h ? h : host);
}

/* RFC 1918, loopback, link-local, CGNAT (RFC 6598), IPv6 unique-local and
 * link-local: addresses of the inside of a network. */
static bool private_ip(const char *ip)
{
	if (strchr(ip, ':'))
		return g_str_has_prefix(ip, "::1") || g_str_has_prefix(ip, "fe80") ||
		       g_str_has_prefix(ip, "fc") || g_str_has_prefix(ip, "fd");
	unsigned a = 0, b = 0;
	if (sscanf(ip, "%u.%u", &a, &b) != 2)
		return false;
	return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
	       (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127);
}

/* ---- the passes ---- */

static GRegex *compiled(const char *pattern)
{
	GRegex *re = g_regex_new(pattern, G_REGEX_OPTIMIZE, 0, NULL);
	g_assert(re); /* constant patterns */
	return re;
}

/* A host label: Latin, Greek and Cyrillic letters, digits, '-' and '_'
 * (the view is folded, so lower case only).  CJK is left out, so Japanese
 * text around a domain is not taken for a label of it. */
#define LABEL "[a-z0-9\\x{00df}-\\x{024f}\\x{0370}-\\x{03ff}\\x{0400}-\\x{04ff}_-]"

static void pass_addresses(job *j)
{
	static GRegex *re;
	if (g_once_init_enter(&re))
		g_once_init_leave(&re, compiled("([^\\s<>()\\[\\]{},;:\"@/\\\\?&=|]+)(?:@|\\[@\\]|\\(at\\))"
		                               "((?:" LABEL "+\\.)+" LABEL "{2,})"));
	g_autoptr(GMatchInfo) m = NULL;
	g_regex_match(re, j->v.text->str, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		int ls, le, hs, he;
		g_match_info_fetch_pos(m, 1, &ls, &le);
		g_match_info_fetch_pos(m, 2, &hs, &he);
		/* an address right after Japanese text starts where the Latin does */
		const char *vt = j->v.text->str;
		for (int p = le; p > ls;) {
			const char *prev = g_utf8_find_prev_char(vt + ls, vt + p);
			if (!prev)
				break;
			if (g_utf8_get_char(prev) >= 0x2E80) {
				ls = p;
				break;
			}
			p = (int)(prev - vt);
		}
		/* leading quotes and dots are punctuation around it */
		while (ls < le && strchr("'.", vt[ls]))
			ls++;
		if (ls >= le)
			continue;
		g_autofree char *local = g_strndup(vt + ls, le - ls);
		g_autofree char *host = g_strndup(vt + hs, he - hs);
		bool attacker = false;
		g_autofree char *rep = address_replacement(j->r, local, host, &attacker);
		/* an attacker's address stays whole at the partner level; at the
		 * public level its host and the names in it go to the later passes */
		if (!attacker || rep)
			claim(j, (size_t)ls, (size_t)he, rep);
		else if (j->r->level < KS_REDACT_PUBLIC)
			claim(j, (size_t)ls, (size_t)he, NULL);
	}
}

static void pass_hosts(job *j)
{
	static GRegex *re;
	if (g_once_init_enter(&re))
		g_once_init_leave(&re, compiled("(?<![a-z0-9_.-])((?:" LABEL "+\\.)+" LABEL "*[a-z]" LABEL
		                               "*)(?![a-z0-9_@-])"));
	g_autoptr(GMatchInfo) m = NULL;
	g_regex_match(re, j->v.text->str, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		int s, e;
		g_match_info_fetch_pos(m, 1, &s, &e);
		g_autofree char *host = g_strndup(j->v.text->str + s, e - s);
		/* "payslip.pdf" is a file name, not a host: only real top-level
		 * domains, and the route's own internal names */
		if (!ks_domain_has_known_tld(host) && !g_hash_table_contains(j->r->route_hosts, host))
			continue;
		bool attacker = false;
		g_autofree char *rep = host_replacement(j->r, host, &attacker);
		if (rep)
			claim(j, (size_t)s, (size_t)e, rep);
		else if (attacker && j->r->level < KS_REDACT_PUBLIC)
			claim(j, (size_t)s, (size_t)e, NULL); /* an indicator: whole */
	}
}

static void pass_ips(job *j)
{
	static GRegex *re;
	if (g_once_init_enter(&re))
		g_once_init_leave(&re, compiled("(?<![0-9.])([0-9]{1,3}(?:\\.[0-9]{1,3}){3})(?![0-9.])|"
		                               "(?<![0-9a-f:])((?:fe80|f[cd][0-9a-f]{2}):[0-9a-f:]*[0-9a-f])"));
	g_autoptr(GMatchInfo) m = NULL;
	g_regex_match(re, j->v.text->str, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		int s, e;
		g_match_info_fetch_pos(m, 0, &s, &e);
		g_autofree char *ip = g_strndup(j->v.text->str + s, e - s);
		if (private_ip(ip))
			claim(j, (size_t)s, (size_t)e, placeholder(j->r, 'i', ip));
	}
}

static bool boundary_ok(const char *text, size_t at, bool before)
{
	if (before) {
		if (at == 0)
			return true;
		const char *prev = g_utf8_find_prev_char(text, text + at);
		return !prev || !latin_word_char(g_utf8_get_char(prev));
	}
	return !text[at] || !latin_word_char(g_utf8_get_char(text + at));
}

static void pass_needles(job *j)
{
	const char *t = j->v.text->str;
	for (guint i = 0; i < j->r->needles->len; i++) {
		const needle *n = g_ptr_array_index(j->r->needles, i);
		size_t len = strlen(n->folded);
		bool latin_start = latin_word_char(g_utf8_get_char(n->folded));
		const char *last = g_utf8_find_prev_char(n->folded, n->folded + len);
		bool latin_end = last && latin_word_char(g_utf8_get_char(last));
		for (const char *hit = strstr(t, n->folded); hit; hit = strstr(hit + 1, n->folded)) {
			size_t s = (size_t)(hit - t), e = s + len;
			if ((latin_start && !boundary_ok(t, s, true)) || (latin_end && !boundary_ok(t, e, false)))
				continue;
			if (n->capitalized) {
				size_t o = g_array_index(j->v.from, size_t, s);
				if (!g_unichar_isupper(g_utf8_get_char(j->orig + o)))
					continue;
			}
			claim(j, s, e, n->replacement);
		}
	}
}

char *ks_redact_text(ks_redactor *r, const char *s)
{
	if (!s)
		return NULL;
	if (r->level == KS_REDACT_OFF)
		return g_utf8_make_valid(s, -1);
	ks_redactor_finish(r);
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	job j = {r, valid, {0}, g_array_new(FALSE, FALSE, sizeof(span))};
	view_build(&j.v, valid);
	pass_addresses(&j);
	pass_hosts(&j);
	pass_ips(&j);
	pass_needles(&j);
	char *out = job_result(&j);
	view_clear(&j.v);
	g_array_unref(j.spans);
	return out;
}

char *ks_redact_name(ks_redactor *r, const char *name)
{
	if (!name)
		return NULL;
	if (r->level == KS_REDACT_OFF)
		return g_utf8_make_valid(name, -1);
	ks_redactor_finish(r);
	g_autofree char *f = fold(name);
	g_strstrip(f);
	g_autofree char *k = g_strdup_printf("p\x1f%s", f);
	const char *ph = g_hash_table_lookup(r->placeholders, k);
	return ph ? g_strdup(ph) : ks_redact_text(r, name);
}

char *ks_redact_address(ks_redactor *r, const char *address)
{
	if (!address)
		return NULL;
	const char *at = strrchr(address, '@');
	if (r->level == KS_REDACT_OFF || !at)
		return ks_redact_text(r, address);
	ks_redactor_finish(r);
	g_autofree char *local = g_strndup(address, at - address);
	g_autofree char *flocal = fold(local);
	g_autofree char *host = fold_host(at + 1);
	bool attacker = false;
	g_autofree char *rep = address_replacement(r, flocal, host, &attacker);
	if (rep)
		return g_steal_pointer(&rep);
	return attacker && r->level < KS_REDACT_PUBLIC ? g_utf8_make_valid(address, -1)
	                                               : ks_redact_text(r, address);
}

char *ks_redact_host(ks_redactor *r, const char *host)
{
	if (!host)
		return NULL;
	if (r->level == KS_REDACT_OFF)
		return g_utf8_make_valid(host, -1);
	ks_redactor_finish(r);
	if (strchr(host, ' ') || strchr(host, '@'))
		return ks_redact_text(r, host);
	g_autofree char *f = fold_host(host);
	bool attacker = false;
	char *rep = host_replacement(r, f, &attacker);
	return rep ? rep : g_utf8_make_valid(host, -1);
}

char *ks_redact_ip(ks_redactor *r, const char *ip)
{
	if (!ip)
		return NULL;
	if (r->level == KS_REDACT_OFF)
		return g_utf8_make_valid(ip, -1);
	g_autofree char *f = g_ascii_strdown(ip, -1);
	return private_ip(f) ? g_strdup(placeholder(r, 'i', f)) : g_utf8_make_valid(ip, -1);
}

char *ks_redact_path(ks_redactor *r, const char *path)
{
	if (!path)
		return NULL;
	if (r->level == KS_REDACT_OFF)
		return g_utf8_make_valid(path, -1);
	g_autofree char *base = g_path_get_basename(path);
	return ks_redact_text(r, base);
}

/* An attacker's URL that carries a victim in its query ("?u=victim%40...")
 * is shared without the query: scheme, host and path still block it. */
static char *redact_url(ks_redactor *r, const char *raw, bool *masked)
{
	g_autofree char *url = g_utf8_make_valid(raw, -1);
	char *red = ks_redact_text(r, url);
	*masked = strcmp(red, url) != 0;
	if (!*masked)
		return red;
	const char *auth = strstr(url, "://");
	size_t cut = auth ? (size_t)(auth + 3 - url) + strcspn(auth + 3, "?#") : strcspn(url, "?#");
	g_autofree char *base = g_strndup(url, cut);
	g_autofree char *rb = ks_redact_text(r, base);
	if (url[cut] && strcmp(rb, base) == 0) {
		g_free(red);
		*masked = false;
		return g_steal_pointer(&base);
	}
	return red;
}

char *ks_redact_ioc(ks_redactor *r, ks_ioc_kind kind, const char *value, bool *masked)
{
	bool dummy;
	masked = masked ? masked : &dummy;
	*masked = false;
	if (!value)
		return NULL;
	char *out;
	switch (kind) {
	case KS_IOC_URL:
		return r->level == KS_REDACT_OFF ? g_utf8_make_valid(value, -1)
		                                 : redact_url(r, value, masked);
	case KS_IOC_EMAIL:
		out = ks_redact_address(r, value);
		break;
	case KS_IOC_DOMAIN:
		out = ks_redact_host(r, value);
		break;
	case KS_IOC_IP:
		out = ks_redact_ip(r, value);
		break;
	case KS_IOC_SHA256:
		return g_utf8_make_valid(value, -1);
	case KS_IOC_FILENAME:
	default:
		out = ks_redact_text(r, value);
		break;
	}
	*masked = strcmp(out, value) != 0;
	return out;
}

/* ---- a whole report ---- */

typedef char *(*redact_fn)(ks_redactor *r, const char *s);

static void swap(ks_redactor *r, char **field, redact_fn fn)
{
	if (!*field)
		return;
	char *v = fn(r, *field);
	g_free(*field);
	*field = v;
}

static void swap_list(ks_redactor *r, GPtrArray *list, redact_fn fn)
{
	for (guint i = 0; list && i < list->len; i++)
		swap(r, (char **)&list->pdata[i], fn);
}

static void swap_addresses(ks_redactor *r, GPtrArray *list)
{
	for (guint i = 0; list && i < list->len; i++) {
		ks_address *a = g_ptr_array_index(list, i);
		swap(r, &a->name, ks_redact_name);
		swap(r, &a->address, ks_redact_address);
	}
}

static void redact_report(ks_redactor *r, ks_report *rep, int depth, GHashTable *masked);

static void redact_attachments(ks_redactor *r, GPtrArray *list, int depth, GHashTable *masked)
{
	for (guint i = 0; list && i < list->len && depth < 64; i++) {
		ks_attachment *a = g_ptr_array_index(list, i);
		swap(r, &a->filename, ks_redact_text);
		for (guint k = 0; k < a->metadata->len; k++)
			swap(r, &((ks_kv *)g_ptr_array_index(a->metadata, k))->value, ks_redact_text);
		redact_attachments(r, a->children, depth + 1, masked);
		if (a->message)
			redact_report(r, a->message, depth + 1, masked);
	}
}

static void redact_report(ks_redactor *r, ks_report *rep, int depth, GHashTable *masked)
{
	swap(r, &rep->source_path, ks_redact_path);
	swap(r, &rep->subject, ks_redact_text);
	swap(r, &rep->date_raw, ks_redact_text);
	swap(r, &rep->message_id, ks_redact_text);
	swap(r, &rep->in_reply_to, ks_redact_text);
	swap_list(r, rep->references, ks_redact_text);
	swap_addresses(r, rep->from);
	swap_addresses(r, rep->sender);
	swap_addresses(r, rep->reply_to);
	swap_addresses(r, rep->to);
	swap_addresses(r, rep->cc);
	swap(r, &rep->return_path, ks_redact_address);
	for (guint i = 0; i < rep->headers->len; i++)
		swap(r, &((ks_header *)g_ptr_array_index(rep->headers, i))->value, ks_redact_text);
	swap_list(r, rep->auth.dkim_domains, ks_redact_host);
	swap(r, &rep->auth.authserv_id, ks_redact_host);
	swap_list(r, rep->auth.ignored, ks_redact_host);
	for (guint i = 0; i < rep->hops->len; i++) {
		ks_hop *h = g_ptr_array_index(rep->hops, i);
		swap(r, &h->from, ks_redact_host);
		swap(r, &h->helo, ks_redact_host);
		swap(r, &h->rdns, ks_redact_host);
		swap(r, &h->by, ks_redact_host);
		swap(r, &h->ip, ks_redact_ip);
		swap(r, &h->id, ks_redact_text);
		swap(r, &h->raw, ks_redact_text);
	}
	swap(r, &rep->body_text, ks_redact_text);
	for (guint i = 0; i < rep->links->len; i++) {
		ks_link *l = g_ptr_array_index(rep->links, i);
		swap(r, &l->text, ks_redact_text);
		swap(r, &l->href, ks_redact_text);
	}
	redact_attachments(r, rep->attachments, depth, masked);
	for (guint i = 0; i < rep->findings->len; i++) {
		ks_finding *f = g_ptr_array_index(rep->findings, i);
		swap(r, &f->evidence, ks_redact_text);
	}
	for (guint i = 0; i < rep->iocs->len; i++) {
		ks_ioc *c = g_ptr_array_index(rep->iocs, i);
		bool hidden = false;
		char *v = ks_redact_ioc(r, c->kind, c->value, &hidden);
		g_free(c->value);
		c->value = v;
		if (hidden && masked)
			g_hash_table_add(masked, g_strdup(v));
	}
	for (guint i = 0; i < rep->timeline->len; i++)
		swap(r, &((ks_event *)g_ptr_array_index(rep->timeline, i))->event, ks_redact_text);
}

void ks_redact_report(ks_redactor *r, ks_report *rep, GHashTable *masked)
{
	if (!rep || r->level == KS_REDACT_OFF)
		return;
	ks_redactor_finish(r);
	redact_report(r, rep, 0, masked);
}
