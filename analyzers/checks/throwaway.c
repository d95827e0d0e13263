/* identity.random_sender and identity.platform_sender (throwaway.h).  Each part of the From address
 * (the local part and each domain label left of the public suffix, split
 * at '.', '-', '_' and '+') is judged on its own; the thresholds were set
 * so that none of the 1,400 legitimate mails of the SpamAssassin ham
 * corpus is flagged (people's names, initials, words, ESP subdomains such
 * as "em5893") while the generator names of the phishing_pot honeypot are.
 * Word lists are data: abused_tlds.txt, unlikely_bigrams.txt, and the
 * platforms' default domains sender_platforms.txt.  The name a platform
 * gives a project ("trent20-98eec.firebaseapp.com") is the platform
 * finding's, not judged again as a random domain. */
#include "checks/throwaway.h"

#include "core/data.h"
#include "core/domains.h"
#include "checks/identity.h"

#include <string.h>

/* A part shorter than this says too little to judge ("qrvfj" is judged by
 * its letter pairs, which need no length). */
#define PART_MIN 6
/* Letter/digit alternations that make "78prni3xfg" (3) or "1qt031eo77"
 * (4) and not "em5893" or "win10pro" (1 and 2). */
#define SWITCHES_MIN 3
/* Consonants in a row (y counted as a vowel): 6 passes "mschmidt" (5)
 * and catches "sdhfgsdfhsdf"; no European word has six. */
#define CONSONANT_RUN_MIN 6
/* Unlikely letter pairs in one part. */
#define UNLIKELY_MIN 2
/* Few vowels: at most one in five letters over eight or more letters,
 * with an unlikely pair too ("Schwartz" has few vowels but no such pair). */
#define FEW_VOWELS_LETTERS 8
#define FEW_VOWELS_RATIO 0.2
/* Digits in a row in a company's local part ("comunicado601749"): a
 * generator's serial number.  Free-mail users often add a birthday. */
#define DIGIT_RUN_MIN 5
/* Reasons named per finding. */
#define REASONS_MAX 3

static bool is_vowel(char c)
{
	return strchr("aeiouy", g_ascii_tolower(c)) != NULL;
}

/* unlikely_bigrams.txt as a 26x26 table, built once. */
static gpointer pair_table(gpointer unused)
{
	(void)unused;
	guint8 *t = g_malloc0(26 * 26);
	const GPtrArray *pairs = ks_data_lines("unlikely_bigrams.txt");
	for (guint i = 0; pairs && i < pairs->len; i++) {
		const char *p = g_ptr_array_index(pairs, i);
		if (strlen(p) == 2 && g_ascii_islower(p[0]) && g_ascii_islower(p[1]))
			t[(p[0] - 'a') * 26 + (p[1] - 'a')] = 1;
	}
	return t;
}

static bool unlikely_pair(char a, char b)
{
	static GOnce once = G_ONCE_INIT;
	const guint8 *t = g_once(&once, pair_table, NULL);
	a = g_ascii_tolower(a);
	b = g_ascii_tolower(b);
	return a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z' && t[(a - 'a') * 26 + (b - 'a')];
}

/* Mixed case in pieces: "DhqXWtgoHnIZCEs" falls into pieces of one case,
 * two of which (two letters or more) have no vowel; "DoNotUse" and
 * "JSmith" do not. */
static bool random_capitals(const char *s)
{
	guint pieces = 0, bare = 0;
	for (const char *p = s; *p;) {
		if (!g_ascii_isalpha(*p)) {
			p++;
			continue;
		}
		bool upper = g_ascii_isupper(*p);
		const char *q = p;
		bool vowel = false;
		while (*q && g_ascii_isalpha(*q) && (bool)g_ascii_isupper(*q) == upper) {
			vowel = vowel || is_vowel(*q);
			q++;
		}
		pieces++;
		bare += q - p >= 2 && !vowel;
		p = q;
	}
	return pieces >= 3 && bare >= 2;
}

char *ks_throwaway_why(const char *part)
{
	if (!part)
		return NULL;
	size_t n = strlen(part);
	guint switches = 0, unlikely = 0, letters = 0, vowels = 0, run = 0, max_run = 0;
	bool lower = false, upper = false;
	for (size_t i = 0; i < n; i++) {
		char c = part[i];
		if ((guchar)c >= 0x80)
			return NULL; /* ASCII names only: a Unicode label is another story */
		if (i && g_ascii_isalnum(c) && g_ascii_isalnum(part[i - 1]) &&
		    (bool)g_ascii_isdigit(c) != (bool)g_ascii_isdigit(part[i - 1]))
			switches++;
		if (i && g_ascii_isalpha(c) && g_ascii_isalpha(part[i - 1]) && unlikely_pair(part[i - 1], c))
			unlikely++;
		if (g_ascii_isalpha(c)) {
			letters++;
			lower = lower || g_ascii_islower(c);
			upper = upper || g_ascii_isupper(c);
			if (is_vowel(c)) {
				vowels++;
				run = 0;
			} else {
				run++;
				max_run = MAX(max_run, run);
			}
		} else {
			run = 0;
		}
	}
	if (n >= PART_MIN && switches >= SWITCHES_MIN)
		return g_strdup_printf("letters and digits alternate %u times", switches);
	if (max_run >= CONSONANT_RUN_MIN)
		return g_strdup_printf("%u consonants in a row", max_run);
	if (unlikely >= UNLIKELY_MIN)
		return g_strdup_printf("%u letter pairs ordinary words do not have", unlikely);
	if (letters >= FEW_VOWELS_LETTERS && unlikely && vowels <= letters * FEW_VOWELS_RATIO)
		return g_strdup_printf("%u vowel%s in %u letters", vowels, vowels == 1 ? "" : "s",
		                       letters);
	if (lower && upper && random_capitals(part))
		return g_strdup("capitals at random");
	return NULL;
}

static bool abused_tld(const char *domain)
{
	const char *dot = strrchr(domain, '.');
	const char *tld = dot ? dot + 1 : domain;
	const GPtrArray *list = ks_data_lines("abused_tlds.txt");
	for (guint i = 0; list && i < list->len; i++)
		if (g_ascii_strcasecmp(g_ptr_array_index(list, i), tld) == 0)
			return true;
	return false;
}

/* Judges each part of s split at the separators, adding "\"part\" why"
 * reasons; returns how many parts look random. */
static guint judge_parts(const char *s, const char *separators, GPtrArray *reasons)
{
	guint found = 0;
	g_auto(GStrv) parts = g_strsplit_set(s, separators, -1);
	for (char **p = parts; *p; p++) {
		g_autofree char *why = ks_throwaway_why(*p);
		if (!why)
			continue;
		found++;
		if (reasons->len < REASONS_MAX)
			g_ptr_array_add(reasons, g_strdup_printf("\"%s\": %s", *p, why));
	}
	return found;
}

static guint longest_digit_run(const char *s)
{
	guint run = 0, best = 0;
	for (; *s; s++) {
		run = g_ascii_isdigit(*s) ? run + 1 : 0;
		best = MAX(best, run);
	}
	return best;
}

static guint count_letters(const char *s)
{
	guint n = 0;
	for (; *s; s++)
		n += g_ascii_isalpha(*s) != 0;
	return n;
}

/* The sender_platforms.txt row whose domain domain is under, as
 * "platform|what" (static lifetime), or NULL. */
static const char *platform_row(const char *domain)
{
	const GPtrArray *rows = ks_data_lines("sender_platforms.txt");
	size_t n = strlen(domain);
	for (guint i = 0; rows && i < rows->len; i++) {
		const char *row = g_ptr_array_index(rows, i);
		const char *bar = strchr(row, '|');
		size_t k = bar ? (size_t)(bar - row) : strlen(row);
		if (k && n > k + 1 && domain[n - k - 1] == '.' &&
		    g_ascii_strncasecmp(domain + n - k, row, k) == 0)
			return row;
	}
	return NULL;
}

bool ks_throwaway_platform(const char *domain)
{
	return domain && platform_row(domain) != NULL;
}

static void check_platform(ks_report *r, const char *address, const char *domain)
{
	const char *row = platform_row(domain);
	if (!row)
		return;
	const char *bar = strchr(row, '|');
	g_autofree char *platform = bar ? g_strndup(row, (gsize)(bar - row)) : g_strdup(row);
	ks_report_add_finding(r, KS_RULE_IDENTITY_PLATFORM_SENDER, "header:From",
	                      "%s writes from %s (%s), a name anyone gets free with an account; "
	                      "a business writes from its own domain",
	                      address, domain, bar && bar[1] ? bar + 1 : platform);
}

void ks_throwaway_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	if (!r)
		return;
	const ks_address *from = NULL;
	for (guint i = 0; i < r->from->len && !from; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		if (a->address && strchr(a->address, '@'))
			from = a;
	}
	if (!from)
		return;
	g_autofree char *domain = ks_domain_of_address(from->address);
	g_autofree char *local = ks_local_part(from->address);
	if (!domain || !local)
		return;
	/* the case of the local part as written: ks_local_part lowers it */
	const char *at = strrchr(from->address, '@');
	g_autofree char *written = g_strndup(from->address, (gsize)(at - from->address));
	char *plus = strchr(written, '+');
	if (plus)
		*plus = '\0'; /* a tag after '+' is the service's, not the sender's */
	g_autofree char *reg = ks_domain_registrable(domain);
	bool freemail = reg && ks_identity_is_freemail(reg);
	g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func(g_free);

	bool platform = platform_row(domain) != NULL;
	if (platform)
		check_platform(r, from->address, domain);
	guint domain_parts = 0;
	if (!freemail && !platform) {
		const char *dot = reg ? strchr(reg, '.') : NULL;
		size_t keep = strlen(domain) - (dot ? strlen(dot) : 0);
		g_autofree char *labels = g_strndup(domain, keep);
		domain_parts = judge_parts(labels, ".-_", reasons);
	}
	guint local_parts = judge_parts(written, ".-_", reasons);
	guint digits = longest_digit_run(written);
	bool serial = !freemail && !local_parts && digits >= DIGIT_RUN_MIN && count_letters(written) >= 3;
	if (serial && reasons->len < REASONS_MAX)
		g_ptr_array_add(reasons, g_strdup_printf("\"%s\": a run of %u digits", written, digits));
	if (!domain_parts && !local_parts && !serial)
		return;
	bool cheap = abused_tld(domain);
	ks_severity sev = domain_parts || (local_parts && cheap) ? KS_SEV_MEDIUM : KS_SEV_LOW;
	g_autoptr(GString) ev = g_string_new(NULL);
	for (guint i = 0; i < reasons->len; i++)
		g_string_append_printf(ev, "%s%s", i ? "; " : "", (const char *)g_ptr_array_index(reasons, i));
	const char *dot = strrchr(domain, '.');
	ks_report_add_finding_sev(r, KS_RULE_IDENTITY_RANDOM_SENDER, sev, "header:From",
	                          "%s looks machine-made: %s%s%s%s", from->address, ev->str,
	                          cheap ? "; under ." : "", cheap && dot ? dot + 1 : "",
	                          cheap ? ", a TLD much abused for throwaway domains" : "");
}
