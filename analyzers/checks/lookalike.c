/* Lookalike domain detection: the tricks seen in J-CSIP's BEC cases
 * (IPA, "J-CSIP 運用状況" quarterly reports: abccompany-a.com ->
 * abcccompany-a.com, abc-company.co.jp -> abc-company-co-jp.com) and in
 * IDN homograph phishing (UTS #39 confusables).
 *
 * Only registrable domains are compared (libpsl, so co.jp is one suffix):
 * mail.example.com is example.com, not a lookalike of it.  Checks run from
 * the most specific explanation to the least: tld-swap, separator, homoglyph,
 * then a single edit (insertion, deletion, substitution, transposition).
 * Anything further than one edit is not reported: at distance two,
 * google.com and gmail.com would already be "alike". */
#include "checks/lookalike.h"

#include "core/data.h"
#include "core/domains.h"

#include <glib.h>
#include <idn2.h>
#include <string.h>
#include <unicode/uspoof.h>

/* RFC 1035 section 2.3.4: 253 characters of name; anything longer is not a
 * domain and is not compared. */
#define MAX_DOMAIN_BYTES 1024

/* One checker for the process.  ICU's uspoof.h ("Thread Safety"): functions
 * taking a const USpoofChecker are safe to call concurrently. */
static gpointer spoof_open(gpointer unused)
{
	(void)unused;
	UErrorCode st = U_ZERO_ERROR;
	USpoofChecker *sc = uspoof_open(&st);
	if (U_FAILURE(st)) {
		if (sc)
			uspoof_close(sc);
		return NULL;
	}
	uspoof_setChecks(sc, USPOOF_CONFUSABLE, &st);
	if (U_FAILURE(st)) {
		uspoof_close(sc);
		return NULL;
	}
	return sc;
}

static const USpoofChecker *spoof_checker(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, spoof_open, NULL);
}

static char *skeleton_of(const char *s)
{
	const USpoofChecker *sc = spoof_checker();
	if (!sc)
		return g_strdup(s);
	/* most skeletons fit a buffer of four times the name: one call to ICU,
	 * not one to measure and one to fill */
	size_t len = strlen(s);
	int32_t cap = len < MAX_DOMAIN_BYTES ? (int32_t)(4 * len + 16) : 0;
	char *out = cap ? g_malloc((gsize)cap) : NULL;
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = uspoof_getSkeletonUTF8(sc, 0, s, -1, out, cap, &st);
	if (U_SUCCESS(st) && n < cap) {
		out[n] = '\0';
		return out;
	}
	g_free(out);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return g_strdup(s);
	out = g_malloc((gsize)n + 1);
	st = U_ZERO_ERROR;
	uspoof_getSkeletonUTF8(sc, 0, s, -1, out, n + 1, &st);
	if (U_FAILURE(st)) {
		g_free(out);
		return g_strdup(s);
	}
	out[n] = '\0';
	return out;
}

/* The skeletons made on this thread (name -> skeleton), emptied at
 * SKELETONS_KEPT: the same senders and the same protected domains are
 * compared message after message (names under MAX_DOMAIN_BYTES only). */
#define SKELETONS_KEPT 4096
static GPrivate skeletons = G_PRIVATE_INIT((GDestroyNotify)g_hash_table_unref);

/* UTS #39 skeleton, or a copy of s when ICU cannot make one; NULL for
 * NULL. */
char *ks_lookalike_skeleton(const char *s)
{
	if (!s)
		return NULL;
	if (strlen(s) >= MAX_DOMAIN_BYTES)
		return skeleton_of(s);
	GHashTable *kept = ks_thread_table(&skeletons, g_free);
	const char *known = g_hash_table_lookup(kept, s);
	if (known)
		return g_strdup(known);
	char *sk = skeleton_of(s);
	if (g_hash_table_size(kept) >= SKELETONS_KEPT)
		g_hash_table_remove_all(kept);
	g_hash_table_insert(kept, g_strdup(s), g_strdup(sk));
	return sk;
}

/* ASCII lookalikes the confusables table leaves apart or maps to upper case:
 * l/1/I and 0/o (classic "paypa1", "micros0ft"), rn/m and vv/w (kerning
 * tricks, J-CSIP and APWG reports).  Works on skeletons, where m already
 * became "rn"; both sides get the same treatment. */
static char *ascii_fold(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p; p++) {
		if ((p[0] == 'r' && p[1] == 'n') || (p[0] == 'v' && p[1] == 'v')) {
			g_string_append_c(out, p[0] == 'r' ? 'm' : 'w');
			p++;
		} else if (*p == '1' || *p == 'I' || *p == '|') {
			g_string_append_c(out, 'l');
		} else if (*p == '0' || *p == 'O') {
			g_string_append_c(out, 'o');
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

/* Lower-case Unicode form of a host: punycode labels decoded (RFC 5891),
 * trailing dots dropped.  NULL for what is not a usable host. */
static char *unicode_host(const char *host)
{
	if (!host || !*host || strlen(host) > MAX_DOMAIN_BYTES || !g_utf8_validate(host, -1, NULL))
		return NULL;
	g_autofree char *low = g_utf8_strdown(host, -1);
	g_strstrip(low);
	size_t n = strlen(low);
	while (n > 0 && low[n - 1] == '.')
		low[--n] = '\0';
	if (!n)
		return NULL;
	char *u = NULL;
	if (idn2_to_unicode_8z8z(low, &u, 0) == IDN2_OK && u && g_utf8_validate(u, -1, NULL)) {
		char *copy = g_utf8_strdown(u, -1);
		idn2_free(u);
		return copy;
	}
	idn2_free(u);
	return g_steal_pointer(&low);
}

/* 'c', or 'а' (U+0430) when the character is not printable ASCII. */
static void append_char(GString *s, gunichar c)
{
	char buf[8] = {0};
	g_unichar_to_utf8(c, buf);
	if (c >= 0x21 && c < 0x7f)
		g_string_append_printf(s, "'%s'", buf);
	else
		g_string_append_printf(s, "'%s' (U+%04X)", buf, (unsigned)c);
}

static void append_span(GString *s, const gunichar *u, glong n)
{
	bool ascii = true;
	g_string_append_c(s, '\'');
	for (glong i = 0; i < n; i++) {
		char buf[8] = {0};
		g_unichar_to_utf8(u[i], buf);
		g_string_append(s, buf);
		if (u[i] < 0x21 || u[i] >= 0x7f)
			ascii = false;
	}
	g_string_append_c(s, '\'');
	if (!ascii) {
		g_string_append(s, " (");
		for (glong i = 0; i < n; i++)
			g_string_append_printf(s, "%sU+%04X", i ? " " : "", (unsigned)u[i]);
		g_string_append_c(s, ')');
	}
}

static bool ucs_eq(const gunichar *a, const gunichar *b, glong n)
{
	for (glong i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Candidate c is one edit away from target t: says which, or NULL. */
static char *one_edit(const char *cand, const char *targ)
{
	glong cn = 0, tn = 0;
	g_autofree gunichar *c = g_utf8_to_ucs4_fast(cand, -1, &cn);
	g_autofree gunichar *t = g_utf8_to_ucs4_fast(targ, -1, &tn);
	glong i = 0;
	while (i < cn && i < tn && c[i] == t[i])
		i++;
	GString *out = g_string_new(NULL);
	if (cn == tn && i < cn) {
		if (ucs_eq(c + i + 1, t + i + 1, cn - i - 1)) {
			g_string_append(out, "substitution of ");
			append_char(out, c[i]);
			g_string_append(out, " for ");
			append_char(out, t[i]);
			g_string_append_printf(out, " at %ld", i);
			return g_string_free(out, FALSE);
		}
		if (i + 1 < cn && c[i] == t[i + 1] && c[i + 1] == t[i] &&
		    ucs_eq(c + i + 2, t + i + 2, cn - i - 2)) {
			g_string_append(out, "transposition of ");
			append_span(out, t + i, 2);
			g_string_append(out, " to ");
			append_span(out, c + i, 2);
			g_string_append_printf(out, " at %ld", i);
			return g_string_free(out, FALSE);
		}
	} else if (cn == tn + 1 && ucs_eq(c + i + 1, t + i, tn - i)) {
		g_string_append(out, "insertion of ");
		append_char(out, c[i]);
		g_string_append_printf(out, " at %ld", i);
		return g_string_free(out, FALSE);
	} else if (tn == cn + 1 && ucs_eq(c + i, t + i + 1, cn - i)) {
		g_string_append(out, "deletion of ");
		append_char(out, t[i]);
		g_string_append_printf(out, " at %ld", i);
		return g_string_free(out, FALSE);
	}
	g_string_free(out, TRUE);
	return NULL;
}

/* s without '.' and '-': what stays when separators are ignored. */
static char *squash(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p; p++)
		if (*p != '.' && *p != '-')
			g_string_append_c(out, *p);
	return g_string_free(out, FALSE);
}

/* What differs between two strings, after their common prefix and suffix:
 * "'rn' for 'm' at 3". */
static char *difference(const char *cand, const char *targ)
{
	glong cn = 0, tn = 0;
	g_autofree gunichar *c = g_utf8_to_ucs4_fast(cand, -1, &cn);
	g_autofree gunichar *t = g_utf8_to_ucs4_fast(targ, -1, &tn);
	glong pre = 0;
	while (pre < cn && pre < tn && c[pre] == t[pre])
		pre++;
	glong suf = 0;
	while (suf < cn - pre && suf < tn - pre && c[cn - 1 - suf] == t[tn - 1 - suf])
		suf++;
	GString *out = g_string_new(NULL);
	append_span(out, c + pre, cn - pre - suf);
	g_string_append(out, " for ");
	append_span(out, t + pre, tn - pre - suf);
	g_string_append_printf(out, " at %ld", pre);
	return g_string_free(out, FALSE);
}

/* The word (data/lookalike_affixes.txt) that candidate label adds before or
 * after the target label, both squashed (no '.' or '-'), or NULL. */
static const char *affix_of(const char *clsq, const char *tlsq)
{
	size_t cn = strlen(clsq), tn = strlen(tlsq);
	if (cn <= tn)
		return NULL;
	const char *rest = NULL;
	if (strncmp(clsq, tlsq, tn) == 0)
		rest = clsq + tn; /* minatoshoji + jp */
	else if (strcmp(clsq + cn - tn, tlsq) == 0)
		rest = NULL;      /* hq + westwind: the word is the head */
	else
		return NULL;
	size_t rn = cn - tn;
	const GPtrArray *words = ks_data_lines("lookalike_affixes.txt");
	for (guint i = 0; words && i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		if (strlen(w) == rn && strncmp(rest ? rest : clsq, w, rn) == 0)
			return w;
	}
	return NULL;
}

static char *technique_of(const char *creg, const char *treg)
{
	/* a registrable domain is one label plus its public suffix */
	const char *cdot = strchr(creg, '.');
	const char *tdot = strchr(treg, '.');
	if (!cdot || !tdot)
		return NULL;
	g_autofree char *clabel = g_strndup(creg, cdot - creg);
	g_autofree char *tlabel = g_strndup(treg, tdot - treg);
	const char *csuf = cdot + 1, *tsuf = tdot + 1;
	bool same_suffix = strcmp(csuf, tsuf) == 0;
	bool long_enough = g_utf8_strlen(clabel, -1) >= KS_LOOKALIKE_MIN_LABEL &&
	                   g_utf8_strlen(tlabel, -1) >= KS_LOOKALIKE_MIN_LABEL;

	if (long_enough && !same_suffix && strcmp(clabel, tlabel) == 0)
		return g_strdup_printf("tld-swap: .%s for .%s", csuf, tsuf);

	g_autofree char *csq = squash(creg);
	g_autofree char *tsq = squash(treg);
	g_autofree char *clsq = squash(clabel);
	g_autofree char *tlsq = squash(tlabel);
	/* J-CSIP: abc-company.co.jp -> abc-company-co-jp.com, the whole target
	 * turned into one label under any suffix.  The candidate carries the
	 * target's suffix in its label, so a short target label (mhi.co.jp ->
	 * mhi-co-jp.com) is no chance collision when that suffix has two
	 * labels; "com" alone is too little (anacom.pt is not ana.com's). */
	bool carries_suffix = long_enough || (g_utf8_strlen(clabel, -1) >= KS_LOOKALIKE_MIN_LABEL &&
	                                      strchr(tsuf, '.') != NULL);
	if (long_enough && same_suffix && strcmp(clsq, tlsq) == 0)
		return g_strdup_printf("separator: '-' added or removed, %s for %s", clabel, tlabel);
	if (carries_suffix) {
		if (strcmp(clsq, tsq) == 0)
			return g_strdup_printf("separator: %s written as the label %s under .%s", treg,
			                       clabel, csuf);
		if (strcmp(csq, tsq) == 0)
			return g_strdup_printf("separator: '.' and '-' swapped, %s for %s", creg, treg);
	}
	if (long_enough && strcmp(clsq, tlsq) == 0)
		return g_strdup_printf("separator: '-' added or removed, %s for %s, and .%s for .%s",
		                       clabel, tlabel, csuf, tsuf);

	g_autofree char *cskel = ks_lookalike_skeleton(creg);
	g_autofree char *tskel = ks_lookalike_skeleton(treg);
	g_autofree char *cfold = ascii_fold(cskel);
	g_autofree char *tfold = ascii_fold(tskel);
	if (strcmp(cfold, tfold) == 0) {
		g_autofree char *diff = difference(creg, treg);
		return g_strdup_printf("homoglyph: %s", diff);
	}
	/* both tricks at once: a homoglyph in the label under another suffix
	 * (hoshizora-denk0.com for hoshizora-denko.co.jp) */
	if (long_enough && !same_suffix) {
		g_autofree char *clskel = ks_lookalike_skeleton(clabel);
		g_autofree char *tlskel = ks_lookalike_skeleton(tlabel);
		g_autofree char *clfold = ascii_fold(clskel);
		g_autofree char *tlfold = ascii_fold(tlskel);
		if (strcmp(clabel, tlabel) != 0 && strcmp(clfold, tlfold) == 0) {
			g_autofree char *diff = difference(clabel, tlabel);
			return g_strdup_printf("homoglyph: %s, and tld-swap: .%s for .%s", diff, csuf,
			                       tsuf);
		}
	}

	if (!long_enough)
		return NULL;
	/* the real name with a word joined on (minato-shoji-jp.com) */
	const char *word = affix_of(clsq, tlsq);
	if (word)
		return g_strdup_printf("insertion of the word '%s': %s for %s", word, creg, treg);
	/* edit distance on the label when the suffix is shared, so a position
	 * counts from the label's start; otherwise on the whole domain */
	return same_suffix ? one_edit(clabel, tlabel) : one_edit(creg, treg);
}

bool ks_lookalike_match(const char *candidate, const char *target, char **technique)
{
	if (technique)
		*technique = NULL;
	g_autofree char *cu = unicode_host(candidate);
	g_autofree char *tu = unicode_host(target);
	if (!cu || !tu)
		return false;
	g_autofree char *creg = ks_domain_registrable(cu);
	g_autofree char *treg = ks_domain_registrable(tu);
	if (!creg || !treg || strcmp(creg, treg) == 0)
		return false;
	char *t = technique_of(creg, treg);
	if (!t)
		return false;
	if (technique)
		*technique = t;
	else
		g_free(t);
	return true;
}
