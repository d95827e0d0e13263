/* The brand list (data/brands.txt), the organisation words
 * (data/org_words.txt), and the matching key they are compared on (see
 * brands.h).  Both files are read once, on first use, under a GOnce; every
 * name and word gets its key then, so a text costs one key and a substring
 * search per name. */
#include "checks/brands.h"

#include "core/data.h"
#include "core/domains.h"
#include "checks/lookalike.h"
#include "core/sanitize.h"

#include <string.h>

/* Longest text a key is made of: display names, subjects and titles are
 * far shorter; a longer one is cut (at a character boundary). */
#define KEY_TEXT_MAX 4096
/* Hits of one keyword counted in a page (ks_brands_guess_page). */
#define PAGE_HITS_MAX 100

/* A set of the adjacent byte pairs of a key, hashed into 4096 bits: a name
 * with a pair the text lacks is passed over without a search. */
typedef struct {
	guint64 bits[64];
} pair_set;

static guint pair_slot(const char *s)
{
	return ((guint)(guchar)s[0] * 131u + (guchar)s[1]) & 4095u;
}

static void pairs_fill(pair_set *set, const char *key)
{
	memset(set, 0, sizeof *set);
	for (const char *p = key; p[0] && p[1]; p++) {
		guint k = pair_slot(p);
		set->bits[k >> 6] |= G_GUINT64_CONSTANT(1) << (k & 63);
	}
}

/* The slot of a key's first pair, or NO_PAIR when it has none: kept in an
 * array beside the names, so that the loop over a thousand names and words
 * passes most of them over without reading them. */
#define NO_PAIR 0xFFFF
static guint16 first_pair(const char *key)
{
	return key[0] && key[1] ? (guint16)pair_slot(key) : NO_PAIR;
}

static bool slot_may_hold(const pair_set *set, guint16 slot)
{
	return slot == NO_PAIR || ((set->bits[slot >> 6] >> (slot & 63)) & 1);
}

/* May key (of set) hold needle?  False only when it cannot: a pair of
 * the needle's is not in the key. */
static bool pairs_may_hold(const pair_set *set, const char *needle)
{
	for (const char *p = needle; p[0] && p[1]; p++) {
		guint k = pair_slot(p);
		if (!((set->bits[k >> 6] >> (k & 63)) & 1))
			return false;
	}
	return true;
}

typedef struct {
	char *written; /* as in the data file, "~" removed */
	char *key;     /* ks_brand_key(written) */
	bool common;   /* "~" */
} brand_name;

struct ks_brand {
	char *name;
	GPtrArray *names;      /* brand_name* */
	GPtrArray *domains;    /* char*: host suffixes, or "label.*" */
	GPtrArray *consumer;   /* char*: exact consumer mailbox hosts */
	GPtrArray *page_words; /* char*: lower case, for the page guess */
};

typedef struct {
	char *written;
	char *key;
	unsigned kind; /* KS_ORG_* */
} org_word;

/* A brand's name, in one flat array over all brands in their order: the
 * loop over a thousand names reads only these until a name may be there. */
typedef struct {
	guint16 first_pair; /* first_pair of the name's key */
	guint16 brand, name; /* indexes into brands and the brand's names */
} name_ref;

typedef struct {
	GPtrArray *brands;     /* ks_brand* */
	GPtrArray *words;      /* org_word* */
	GArray *names;         /* name_ref, brand by brand */
	guint16 *first_pairs;  /* per word, first_pair of its key */
} brand_data;

/* ---- characters ---------------------------------------------------------- */

/* Scripts written without spaces between words (as lures.c): a name in
 * them matches inside a longer run. */
static bool is_cjk(gunichar c)
{
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_HANGUL:
		return true;
	default:
		return (c >= 0x3000 && c <= 0x30FF) || (c >= 0xFF00 && c <= 0xFFEF);
	}
}

static bool is_word_char(gunichar c)
{
	return g_unichar_isalnum(c) && !is_cjk(c);
}

/* Characters that show nothing and are dropped from a key: format
 * characters (zero-width space and joiners, soft hyphen, bidi controls,
 * tag characters), marks (accents, the combining grapheme joiner, marks of
 * other scripts set on Latin letters, variation selectors) except the
 * kana voicing marks, and the Hangul fillers (UTS #39 lists them as
 * default-ignorable look-alikes of a space). */
static bool key_drops(gunichar c)
{
	if (c == 0x3099 || c == 0x309A)
		return false;
	switch (g_unichar_type(c)) {
	case G_UNICODE_FORMAT:
	case G_UNICODE_NON_SPACING_MARK:
	case G_UNICODE_ENCLOSING_MARK:
	case G_UNICODE_SPACING_MARK:
		return true;
	default:
		return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0;
	}
}

/* The first KEY_TEXT_MAX bytes of text as valid UTF-8. */
static char *bounded_valid(const char *text)
{
	size_t n = strnlen(text, KEY_TEXT_MAX);
	while (n > 0 && n == KEY_TEXT_MAX && ((guchar)text[n] & 0xC0) == 0x80)
		n--;
	if (g_utf8_validate_len(text, n, NULL))
		return g_strndup(text, n);
	return g_utf8_make_valid(text, (gssize)n);
}

/* Appends c, or one space for a run of anything that is not a letter or
 * digit (punctuation, symbols, emoji, blanks). */
static void put_key_char(GString *out, gunichar c)
{
	if (g_unichar_isalnum(c) || c == 0x3099 || c == 0x309A || c == 0x30FC) {
		g_string_append_unichar(out, c);
	} else if (out->len && out->str[out->len - 1] != ' ') {
		g_string_append_c(out, ' ');
	}
}

/* Is the token a number (ASCII digits only)?  Numbers keep their digits:
 * the skeleton would make "1" an "l" and "0" an "O". */
static bool all_digits(const char *t)
{
	for (; *t; t++)
		if (!g_ascii_isdigit(*t))
			return false;
	return true;
}

/* Appends the key of one token (no blanks in it).  Skeleton, fold case,
 * skeleton again: the confusables table maps capitals of other scripts
 * (Cherokee Ꮇ) to Latin ones but not always their small letters, and
 * small Latin ones only after folding ("m" is "rn").  Then "0" (now "O")
 * and "1" (now "l") join "o" and "i"/"l", and "vv" joins "w": the
 * "PayPaI", "lTAU", "Micros0ft" and "vvallet" tricks. */
static void append_token_key(GString *out, const char *token)
{
	if (all_digits(token)) {
		g_string_append(out, token);
		return;
	}
	bool ascii = true;
	for (const char *p = token; *p && ascii; p++)
		ascii = (guchar)*p < 0x80;
	if (ascii) {
		/* the same without ICU: of ASCII letters and digits the
		 * confusables table maps only 0 -> O, 1 and I -> l, m -> rn */
		for (const char *p = token; *p; p++) {
			char c = g_ascii_tolower(*p);
			if (c == 'm')
				g_string_append(out, "rn");
			else if (c == '0')
				g_string_append_c(out, 'o');
			else if (c == '1' || c == 'l')
				g_string_append_c(out, 'i');
			else if (c == 'v' && g_ascii_tolower(p[1]) == 'v') {
				g_string_append_c(out, 'w');
				p++;
			} else
				g_string_append_c(out, c);
		}
		return;
	}
	bool cjk = true;
	for (const char *p = token; *p && cjk; p = g_utf8_next_char(p))
		cjk = is_cjk(g_utf8_get_char(p));
	if (cjk) {
		/* kana and kanji pass for Latin letters in no skeleton: the
		 * folded token is its key (and costs no ICU call) */
		g_string_append(out, token);
		return;
	}
	g_autofree char *upper = ks_lookalike_skeleton(token);
	g_autofree char *folded = g_utf8_casefold(upper, -1);
	g_autofree char *skel = ks_lookalike_skeleton(folded);
	for (const char *p = skel; *p; p++) {
		char c = g_ascii_tolower(*p);
		if (c == 'l')
			c = 'i';
		else if (c == 'v' && g_ascii_tolower(p[1]) == 'v') {
			c = 'w';
			p++;
		}
		g_string_append_c(out, c);
	}
}

/* ks_brand_key of ASCII text: no normalisation or ICU needed. */
static char *ascii_key(const char *text, size_t n)
{
	GString *out = g_string_sized_new(n + 8);
	for (const char *p = text; p < text + n;) {
		while (p < text + n && !g_ascii_isalnum(*p))
			p++;
		const char *q = p;
		while (q < text + n && g_ascii_isalnum(*q))
			q++;
		if (q == p)
			break;
		g_autofree char *token = g_strndup(p, (gsize)(q - p));
		if (out->len)
			g_string_append_c(out, ' ');
		append_token_key(out, token);
		p = q;
	}
	return g_string_free(out, FALSE);
}

char *ks_brand_key(const char *text)
{
	if (!text || !*text)
		return g_strdup("");
	size_t n = strnlen(text, KEY_TEXT_MAX);
	bool ascii = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (guchar)text[i] < 0x80;
	if (ascii)
		return ascii_key(text, n);
	g_autofree char *valid = bounded_valid(text);
	/* a symbol that stands for several letters ends a word: the "TM" of
	 * "McAfee™" is not part of the name; one letter (Ⓐ) is one.  Only
	 * symbols are looked at one by one; the rest is decomposed at once */
	g_autoptr(GString) plain = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x80 || g_unichar_isalnum(c) || g_unichar_ismark(c) ||
		    g_unichar_type(c) == G_UNICODE_FORMAT) {
			g_string_append_len(plain, p, g_utf8_next_char(p) - p);
			continue;
		}
		g_autofree char *nfkd = g_utf8_normalize(p, g_utf8_next_char(p) - p, G_NORMALIZE_NFKD);
		if (!nfkd || g_utf8_strlen(nfkd, -1) > 1)
			g_string_append_c(plain, ' ');
		else
			g_string_append_len(plain, p, g_utf8_next_char(p) - p);
	}
	g_autofree char *nfkd = g_utf8_normalize(plain->str, (gssize)plain->len, G_NORMALIZE_NFKD);
	g_autoptr(GString) kept = g_string_sized_new(plain->len);
	for (const char *q = nfkd ? nfkd : ""; *q; q = g_utf8_next_char(q)) {
		gunichar d = g_utf8_get_char(q);
		if (!key_drops(d))
			put_key_char(kept, d);
	}
	while (kept->len && kept->str[kept->len - 1] == ' ')
		g_string_truncate(kept, kept->len - 1);
	g_autofree char *nfc = g_utf8_normalize(kept->str, -1, G_NORMALIZE_NFC);
	GString *out = g_string_sized_new(strlen(nfc ? nfc : "") + 8);
	g_auto(GStrv) tokens = g_strsplit(nfc ? nfc : "", " ", -1);
	for (char **t = tokens; *t; t++) {
		if (!**t)
			continue;
		if (out->len)
			g_string_append_c(out, ' ');
		append_token_key(out, *t);
	}
	return g_string_free(out, FALSE);
}

/* The text as a person reads it literally: full-width and half-width forms
 * as their ordinary letters, accents dropped, case folded, punctuation a
 * space; look-alike letters, marks of other scripts and invisible
 * characters stay.  A name found in the key but not here was disguised. */
static char *literal_fold(const char *text)
{
	size_t n = strnlen(text, KEY_TEXT_MAX);
	bool ascii = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (guchar)text[i] < 0x80;
	if (ascii) {
		/* the same for ASCII: lower case, punctuation a space */
		GString *out = g_string_sized_new(n);
		for (size_t i = 0; i < n; i++) {
			char c = text[i];
			if (g_ascii_isalnum(c))
				g_string_append_c(out, g_ascii_tolower(c));
			else if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
		}
		return g_string_free(out, FALSE);
	}
	g_autofree char *valid = bounded_valid(text);
	g_autoptr(GString) wide = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= 0xFF00 && c <= 0xFFEF) {
			char buf[8];
			int blen = g_unichar_to_utf8(c, buf);
			g_autofree char *k = g_utf8_normalize(buf, blen, G_NORMALIZE_NFKC);
			g_string_append(wide, k ? k : buf);
		} else {
			g_string_append_unichar(wide, c);
		}
	}
	g_autofree char *nfd = g_utf8_normalize(wide->str, -1, G_NORMALIZE_NFD);
	g_autoptr(GString) kept = g_string_sized_new(wide->len);
	for (const char *p = nfd ? nfd : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		/* the accents of Latin text; U+034F (the combining grapheme
		 * joiner, in the same block) is a disguise, not an accent */
		if (c >= 0x0300 && c <= 0x036F && c != 0x034F)
			continue;
		if (g_unichar_isalnum(c) || g_unichar_type(c) == G_UNICODE_FORMAT ||
		    g_unichar_ismark(c) || c == 0x30FC)
			g_string_append_unichar(kept, c);
		else if (kept->len && kept->str[kept->len - 1] != ' ')
			g_string_append_c(kept, ' ');
	}
	g_autofree char *nfc = g_utf8_normalize(kept->str, -1, G_NORMALIZE_NFC);
	return g_utf8_casefold(nfc ? nfc : "", -1);
}

static bool find_word(const char *hay, const char *needle, GArray *cover);

/* Is the name missing from the literal text (found only through its key)?
 * The name's own literal form is made here, for the few names a text
 * holds, rather than for every name at load. */
static bool name_disguised(const char *literal, const char *name)
{
	g_autofree char *plain = literal_fold(name);
	return !find_word(literal, plain, NULL);
}

/* Every occurrence of needle in hay that stands as a word where needle's
 * own edge is a word character; each found [start, end) is passed to
 * cover (when given).  Returns whether there was one. */
static bool find_word(const char *hay, const char *needle, GArray *cover)
{
	size_t n = strlen(needle);
	if (!n)
		return false;
	gunichar first = g_utf8_get_char(needle);
	gunichar last = g_utf8_get_char(g_utf8_prev_char(needle + n));
	bool found = false;
	for (const char *p = hay; (p = strstr(p, needle)); p += n) {
		if (is_word_char(first) && p > hay &&
		    is_word_char(g_utf8_get_char(g_utf8_prev_char(p))))
			continue;
		if (is_word_char(last) && p[n] && is_word_char(g_utf8_get_char(p + n)))
			continue;
		found = true;
		if (!cover)
			return true;
		size_t span[2] = {(size_t)(p - hay), (size_t)(p - hay) + n};
		g_array_append_vals(cover, span, 2);
	}
	return found;
}

/* ---- the data ---------------------------------------------------------------- */

static void brand_name_free(brand_name *n)
{
	g_free(n->written);
	g_free(n->key);
	g_free(n);
}

static void brand_free(ks_brand *b)
{
	g_free(b->name);
	g_ptr_array_unref(b->names);
	g_ptr_array_unref(b->domains);
	g_ptr_array_unref(b->consumer);
	g_ptr_array_unref(b->page_words);
	g_free(b);
}

/* Lower case, without blanks and a trailing dot. */
static char *clean_host(const char *s)
{
	char *h = g_ascii_strdown(s, -1);
	g_strstrip(h);
	size_t n = strlen(h);
	while (n > 0 && h[n - 1] == '.')
		h[--n] = '\0';
	return h;
}

static ks_brand *parse_brand(const char *line)
{
	g_auto(GStrv) f = g_strsplit(line, "|", 4);
	if (g_strv_length(f) < 3 || !*g_strstrip(f[0]))
		return NULL;
	ks_brand *b = g_new0(ks_brand, 1);
	b->name = g_strdup(f[0]);
	b->names = g_ptr_array_new_with_free_func((GDestroyNotify)brand_name_free);
	b->domains = g_ptr_array_new_with_free_func(g_free);
	b->consumer = g_ptr_array_new_with_free_func(g_free);
	b->page_words = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) names = g_strsplit(f[1], ",", -1);
	for (char **p = names; *p; p++) {
		const char *w = g_strstrip(*p);
		bool common = *w == '~';
		w += common;
		if (!*w)
			continue;
		brand_name *n = g_new0(brand_name, 1);
		n->written = g_strdup(w);
		n->key = ks_brand_key(w);
		n->common = common;
		if (*n->key)
			g_ptr_array_add(b->names, n);
		else
			brand_name_free(n);
	}
	g_auto(GStrv) doms = g_strsplit(f[2], ",", -1);
	for (char **p = doms; *p; p++) {
		const char *d = g_strstrip(*p);
		if (*d == '!' && d[1])
			g_ptr_array_add(b->consumer, clean_host(d + 1));
		else if (*d)
			g_ptr_array_add(b->domains, clean_host(d));
	}
	if (f[3]) {
		g_auto(GStrv) words = g_strsplit(f[3], ",", -1);
		for (char **p = words; *p; p++)
			if (*g_strstrip(*p))
				g_ptr_array_add(b->page_words, g_utf8_strdown(*p, -1));
	}
	return b;
}

static const struct {
	const char *section;
	unsigned kind;
} org_sections[] = {
	{"filler", KS_ORG_FILLER},           {"generic", KS_ORG_GENERIC},
	{"service", KS_ORG_SERVICE},         {"institution", KS_ORG_INSTITUTION},
	{"company", KS_ORG_COMPANY},
};

static void org_word_free(org_word *w)
{
	g_free(w->written);
	g_free(w->key);
	g_free(w);
}

static gpointer load(gpointer unused)
{
	(void)unused;
	brand_data *d = g_new0(brand_data, 1);
	d->brands = g_ptr_array_new_with_free_func((GDestroyNotify)brand_free);
	d->words = g_ptr_array_new_with_free_func((GDestroyNotify)org_word_free);
	d->names = g_array_new(FALSE, FALSE, sizeof(name_ref));
	const GPtrArray *lines = ks_data_lines("brands.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		ks_brand *b = parse_brand(g_ptr_array_index(lines, i));
		if (!b)
			continue;
		g_assert(d->brands->len < G_MAXUINT16 && b->names->len < G_MAXUINT16);
		for (guint k = 0; k < b->names->len; k++) {
			name_ref ref = {first_pair(((brand_name *)g_ptr_array_index(b->names, k))->key),
			                (guint16)d->brands->len, (guint16)k};
			g_array_append_val(d->names, ref);
		}
		g_ptr_array_add(d->brands, b);
	}
	lines = ks_data_lines("org_words.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *section = NULL, *entry = NULL;
		if (!ks_data_split(g_ptr_array_index(lines, i), &section, &entry) || !*entry)
			continue;
		for (size_t k = 0; k < G_N_ELEMENTS(org_sections); k++) {
			if (strcmp(section, org_sections[k].section) != 0)
				continue;
			org_word *w = g_new0(org_word, 1);
			w->written = g_strdup(entry);
			w->key = ks_brand_key(entry);
			w->kind = org_sections[k].kind;
			if (*w->key)
				g_ptr_array_add(d->words, w);
			else
				org_word_free(w);
		}
	}
	d->first_pairs = g_new(guint16, d->words->len + 1);
	for (guint k = 0; k < d->words->len; k++)
		d->first_pairs[k] = first_pair(((org_word *)g_ptr_array_index(d->words, k))->key);
	return d;
}

static const brand_data *data(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, load, NULL);
}

const GPtrArray *ks_brands_all(void)
{
	return data()->brands;
}

const char *ks_brand_name(const ks_brand *b)
{
	return b ? b->name : NULL;
}

char *ks_brand_domains_text(const ks_brand *b, guint max)
{
	GString *out = g_string_new(NULL);
	guint shown = 0;
	for (guint i = 0; b && i < b->domains->len; i++) {
		if (shown == max) {
			g_string_append(out, ", ...");
			break;
		}
		g_string_append_printf(out, "%s%s", shown++ ? ", " : "",
		                       (const char *)g_ptr_array_index(b->domains, i));
	}
	return g_string_free(out, FALSE);
}

const ks_brand *ks_brand_by_name(const char *name)
{
	const GPtrArray *all = ks_brands_all();
	for (guint i = 0; name && i < all->len; i++)
		if (strcmp(((ks_brand *)g_ptr_array_index(all, i))->name, name) == 0)
			return g_ptr_array_index(all, i);
	return NULL;
}

/* "label.*": the registrable domain of host is label under a public
 * suffix (amazon.de, amazon.co.jp). */
static bool under_any_suffix(const char *host, const char *pattern)
{
	size_t label = strlen(pattern) - 2;
	g_autofree char *reg = ks_domain_registrable(host);
	const char *r = reg ? reg : host;
	return strncmp(r, pattern, label) == 0 && r[label] == '.';
}

bool ks_brand_owns_host(const ks_brand *b, const char *host, bool consumer_ok)
{
	if (!b || !host || !*host)
		return false;
	g_autofree char *h = clean_host(host);
	if (!consumer_ok)
		for (guint i = 0; i < b->consumer->len; i++)
			if (strcmp(h, g_ptr_array_index(b->consumer, i)) == 0)
				return false;
	for (guint i = 0; i < b->domains->len; i++) {
		const char *d = g_ptr_array_index(b->domains, i);
		size_t n = strlen(d);
		if (n > 2 && strcmp(d + n - 2, ".*") == 0 ? under_any_suffix(h, d) : ks_host_under(h, d))
			return true;
	}
	for (guint i = 0; consumer_ok && i < b->consumer->len; i++)
		if (ks_host_under(h, g_ptr_array_index(b->consumer, i)))
			return true;
	return false;
}

/* ---- reading a text ------------------------------------------------------------ */

/* Marks the bytes of key covered by [start, end) pairs. */
static void cover_spans(guint8 *covered, const GArray *spans)
{
	for (guint i = 0; i + 1 < spans->len; i += 2) {
		size_t a = g_array_index(spans, size_t, i), b = g_array_index(spans, size_t, i + 1);
		memset(covered + a, 1, b - a);
	}
}

/* Does a letter of key lie outside the covered bytes? */
static bool letters_left(const char *key, const guint8 *covered)
{
	for (const char *p = key; *p; p = g_utf8_next_char(p))
		if (!covered[p - key] && g_unichar_isalpha(g_utf8_get_char(p)))
			return true;
	return false;
}

static void read_text(const char *text, ks_brand_reading *out, bool words)
{
	memset(out, 0, sizeof *out);
	out->brands = g_array_new(FALSE, TRUE, sizeof(ks_brand_hit));
	if (!text || !*text)
		return;
	const brand_data *d = data();
	g_autofree char *key = ks_brand_key(text);
	if (!*key)
		return;
	g_autofree char *literal = NULL;
	size_t len = strlen(key);
	g_autofree guint8 *covered = g_malloc0(len + 1);
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(size_t));
	pair_set pairs;
	pairs_fill(&pairs, key);
	/* the names brand by brand; a brand's hit is its best name found
	 * (a plain name beats a common-word one), added when the next brand's
	 * name is found or at the end */
	const ks_brand *hit_brand = NULL;
	const brand_name *hit = NULL;
	for (guint r = 0; r <= d->names->len; r++) {
		const name_ref *ref = r < d->names->len ? &g_array_index(d->names, name_ref, r) : NULL;
		const ks_brand *b = NULL;
		const brand_name *n = NULL;
		if (ref) {
			if (!slot_may_hold(&pairs, ref->first_pair))
				continue;
			b = g_ptr_array_index(d->brands, ref->brand);
			n = g_ptr_array_index(b->names, ref->name);
			if (!pairs_may_hold(&pairs, n->key))
				continue;
			g_array_set_size(spans, 0);
			if (!find_word(key, n->key, spans))
				continue;
			cover_spans(covered, spans);
			if (b == hit_brand) {
				if (hit->common && !n->common)
					hit = n;
				continue;
			}
		}
		if (hit) {
			if (!literal)
				literal = literal_fold(text);
			ks_brand_hit h = {
				.brand = hit_brand,
				.name = hit->written,
				.disguised = name_disguised(literal, hit->written),
				.common = hit->common,
			};
			g_array_append_val(out->brands, h);
		}
		hit_brand = b;
		hit = n;
	}
	if (!words)
		return;
	g_autoptr(GString) found = g_string_new(NULL);
	for (guint i = 0; i < d->words->len; i++) {
		if (!slot_may_hold(&pairs, d->first_pairs[i]))
			continue;
		const org_word *w = g_ptr_array_index(d->words, i);
		if (!pairs_may_hold(&pairs, w->key))
			continue;
		g_array_set_size(spans, 0);
		if (!find_word(key, w->key, spans))
			continue;
		cover_spans(covered, spans);
		out->org_kinds |= w->kind;
		if (w->kind != KS_ORG_FILLER && found->len < 200)
			g_string_append_printf(found, "%s%s", found->len ? ", " : "", w->written);
	}
	out->org_words = found->len ? g_strdup(found->str) : NULL;
	out->other_words = letters_left(key, covered);
}

void ks_brand_read(const char *text, ks_brand_reading *out)
{
	read_text(text, out, true);
}

void ks_brand_find(const char *text, ks_brand_reading *out)
{
	read_text(text, out, false);
}

void ks_brand_reading_clear(ks_brand_reading *r)
{
	if (!r)
		return;
	if (r->brands)
		g_array_unref(r->brands);
	g_free(r->org_words);
	memset(r, 0, sizeof *r);
}

/* Shortest key (in bytes) a name needs to be looked for inside a word:
 * shorter ones ("dhi", "ups") are inside too many words. */
#define INSIDE_KEY_MIN 5

GArray *ks_brands_disguised_inside(const char *word)
{
	GArray *hits = g_array_new(FALSE, TRUE, sizeof(ks_brand_hit));
	if (!word || !*word)
		return hits;
	const brand_data *d = data();
	g_autofree char *key = ks_brand_key(word);
	g_autofree char *literal = NULL;
	pair_set pairs;
	pairs_fill(&pairs, key);
	/* by the flat array of names (read_text): a brand's names are tried
	 * in order until one is inside the word */
	guint done = G_MAXUINT; /* the brand that gave its answer */
	for (guint r = 0; r < d->names->len; r++) {
		const name_ref *ref = &g_array_index(d->names, name_ref, r);
		if (ref->brand == done || !slot_may_hold(&pairs, ref->first_pair))
			continue;
		const ks_brand *b = g_ptr_array_index(d->brands, ref->brand);
		const brand_name *n = g_ptr_array_index(b->names, ref->name);
		if (n->common || !pairs_may_hold(&pairs, n->key) || strlen(n->key) < INSIDE_KEY_MIN ||
		    strchr(n->key, ' ') || !strstr(key, n->key))
			continue;
		done = ref->brand;
		if (!literal)
			literal = literal_fold(word);
		g_autofree char *plain = literal_fold(n->written);
		if (strstr(literal, plain))
			continue;
		ks_brand_hit h = {.brand = b, .name = n->written, .disguised = true};
		g_array_append_val(hits, h);
	}
	return hits;
}

/* ---- the page guess ------------------------------------------------------------- */

/* Hits of a lower-case keyword in lower-case text; an ASCII keyword must
 * stand as a word (so "apple" is not found in "pineapple"). */
static int keyword_hits(const char *text, const char *kw)
{
	int hits = 0;
	size_t n = strlen(kw);
	bool ascii = true;
	for (const char *p = kw; *p; p++)
		ascii = ascii && (guchar)*p < 0x80;
	for (const char *p = text; n && (p = strstr(p, kw)) && hits < PAGE_HITS_MAX; p += n) {
		if (ascii && ((p > text && g_ascii_isalnum(p[-1])) || g_ascii_isalnum(p[n])))
			continue;
		hits++;
	}
	return hits;
}

static int page_score(const char *title, const char *text, const char *extra, const char *kw)
{
	g_autofree char *k = g_utf8_strdown(kw, -1);
	return 20 * keyword_hits(title, k) + 5 * keyword_hits(extra, k) + keyword_hits(text, k);
}

const ks_brand *ks_brands_guess_page(const char *title, const char *text, const char *extra)
{
	g_autofree char *t = ks_utf8_down(title);
	g_autofree char *x = ks_utf8_down(text);
	g_autofree char *e = ks_utf8_down(extra);
	const GPtrArray *brands = ks_brands_all();
	int best = 0;
	const ks_brand *found = NULL;
	for (guint i = 0; i < brands->len; i++) {
		const ks_brand *b = g_ptr_array_index(brands, i);
		int score = 0;
		for (guint k = 0; k < b->names->len; k++)
			score += page_score(t, x, e, ((brand_name *)g_ptr_array_index(b->names, k))->written);
		for (guint k = 0; k < b->page_words->len; k++)
			score += page_score(t, x, e, g_ptr_array_index(b->page_words, k));
		if (score > best) {
			best = score;
			found = b;
		}
	}
	return found;
}
