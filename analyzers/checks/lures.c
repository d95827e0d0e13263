/* Lure word lists and the text matcher shared by the content, campaigns and
 * phishing analyzers.  The lists are sectioned data files ("section: entry"
 * per line, see analyzers/data/lures_en.txt); each section is folded once,
 * on first use, under a lock.  Matching is plain substring search over
 * folded text with word-boundary checks: no regular expressions, so the cost
 * is bounded by (terms x text length) and the text is capped by the caller.
 * A family of sections read together (ks_lure_text_find_prefixed: the
 * tens of thousands of phrases that the "{a|b}" groups of phish.* spell) is
 * compiled into patterns, indexed by the bytes they can begin with, and
 * found in one pass over the text instead. */
#include "checks/lures.h"

#include "mail/charset.h"
#include "core/data.h"
#include "core/sanitize.h"

#include <libxml/HTMLparser.h>
#include <string.h>

/* One row per language; adding a language is a data file and a row here. */
static const char *const lure_files[] = {
	"lures_en.txt",
	"lures_ja.txt",
	"lures_es.txt",
	"lures_de.txt",
	"lures_fr.txt",
	"lures_pt.txt",
	"lures_it.txt",
	"lures_nl.txt",
};

/* Scripts written without spaces between words: entries match inside them
 * as substrings, and a blank between two of their characters is a line wrap,
 * not a word break. */
static bool is_cjk(gunichar c)
{
	if (ks_unichar_plain_cjk_letter(c) || (c >= 0x3000 && c <= 0x30FF))
		return true;
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_HANGUL:
	case G_UNICODE_SCRIPT_BOPOMOFO:
		return true;
	default:
		/* CJK punctuation, the prolonged sound mark, full-width forms */
		return (c >= 0x3000 && c <= 0x30FF) || (c >= 0xFF00 && c <= 0xFFEF);
	}
}

static bool is_word_char(gunichar c)
{
	return g_unichar_isalnum(c) && !is_cjk(c);
}

/* The first max_bytes of utf8, cut at a character boundary, as valid UTF-8
 * (invalid sequences replaced); *len gets its length. */
static char *valid_prefix(const char *utf8, size_t max_bytes, size_t *len)
{
	if (!utf8) {
		*len = 0;
		return g_strdup("");
	}
	size_t n = strnlen(utf8, max_bytes);
	if (n == max_bytes) {
		while (n > 0 && ((guchar)utf8[n] & 0xC0) == 0x80)
			n--;
	}
	if (g_utf8_validate_len(utf8, n, NULL)) {
		*len = n;
		return g_strndup(utf8, n);
	}
	char *v = g_utf8_make_valid(utf8, (gssize)n);
	*len = strlen(v);
	return v;
}

/* The folded text under construction: bytes and, per byte, its display offset. */
typedef struct {
	char *s;
	guint32 *map;
	size_t len, cap;
} fold_buf;

static void fold_reserve(fold_buf *b, size_t more)
{
	if (b->len + more < b->cap)
		return;
	b->cap = MAX(b->cap * 2, b->len + more + 1);
	b->s = g_realloc(b->s, b->cap);
	b->map = g_realloc_n(b->map, b->cap, sizeof(guint32));
}

static void fold_put(fold_buf *b, const char *bytes, size_t n, guint32 at)
{
	fold_reserve(b, n);
	for (size_t i = 0; i < n; i++) {
		b->s[b->len] = bytes[i];
		b->map[b->len++] = at;
	}
}

static inline void fold_put1(fold_buf *b, char c, guint32 at)
{
	if (b->len + 1 >= b->cap)
		fold_reserve(b, 1);
	b->s[b->len] = c;
	b->map[b->len++] = at;
}

/* Casefolding of one character: the special foldings of GLib's table apply
 * only to cased letters, combining marks, letter numerals and symbols (Ⅰ Ⓐ);
 * every other character folds to its lower case, which g_utf8_casefold
 * itself uses for characters not in its table. */
static bool fold_is_special(GUnicodeType type)
{
	switch (type) {
	case G_UNICODE_LOWERCASE_LETTER:
	case G_UNICODE_UPPERCASE_LETTER:
	case G_UNICODE_TITLECASE_LETTER:
	case G_UNICODE_NON_SPACING_MARK:
	case G_UNICODE_LETTER_NUMBER:
	case G_UNICODE_OTHER_SYMBOL:
		return true;
	default:
		return false;
	}
}

/* The ASCII letter under a Latin letter with diacritics (é -> e, Ç -> C), or
 * c itself: mail in Portuguese, Spanish or French often drops the accents
 * ("Voce", "seguranca"), so both sides are matched without them. */
static gunichar latin_base(gunichar c)
{
	gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	if (c < 0x00C0 || c > 0x024F)
		return c; /* Latin-1 Supplement letters to Latin Extended-B */
	if (g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d)) > 1 && d[0] < 0x80 &&
	    g_ascii_isalpha((gchar)d[0]))
		return d[0];
	return c;
}

/* Folds one character that is not ASCII, of that Unicode type (see fold_into). */
static void fold_char(fold_buf *out, gunichar c, GUnicodeType type, guint32 at)
{
	char u[6];
	gunichar base;
	if (c == 0x2018 || c == 0x2019 || c == 0x02BC) {
		/* typographic apostrophes ("we’ve", "l’adresse") as the data writes them */
		fold_put1(out, '\'', at);
	} else if (c == 0x2010 || c == 0x2011) {
		fold_put1(out, '-', at); /* (non-breaking) hyphen: "sign‑in" */
	} else if ((base = latin_base(c)) < 0x80) {
		fold_put1(out, (char)g_ascii_tolower((gchar)base), at);
	} else if (fold_is_special(type)) {
		g_autofree char *f = g_utf8_casefold(u, g_unichar_to_utf8(c, u));
		fold_put(out, f, strlen(f), at);
	} else {
		fold_put(out, u, (size_t)g_unichar_to_utf8(g_unichar_tolower(c), u), at);
	}
}

/* The character an HTML character reference at p stands for ("&ccedil;",
 * "&#231;", "&#xE7;"), with *end set past its ';', or 0.  Phishing kits
 * paste HTML-escaped text into text/plain parts ("Restitui&ccedil;&atilde;o"),
 * and the lure is what the escapes spell. */
#define ENTITY_NAME_MAX 10 /* "&thetasym;" is HTML 4's longest name */
static gunichar entity_at(const char *p, const char **end)
{
	const char *q = p + 1;
	char name[ENTITY_NAME_MAX + 1];
	size_t n = 0;
	bool numeric = *q == '#', hex = numeric && (q[1] == 'x' || q[1] == 'X');
	q += numeric + hex;
	while (n < ENTITY_NAME_MAX && (hex ? g_ascii_isxdigit(*q) : numeric ? g_ascii_isdigit(*q)
	                                                                   : g_ascii_isalnum(*q)))
		name[n++] = *q++;
	if (n == 0 || *q != ';')
		return 0;
	name[n] = '\0';
	gunichar c = 0;
	if (numeric) {
		guint64 v = g_ascii_strtoull(name, NULL, hex ? 16 : 10);
		c = v <= 0x10FFFF ? (gunichar)v : 0;
	} else {
		const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
		c = e ? e->value : 0;
	}
	if (!c || !g_unichar_validate(c) || g_unichar_iscntrl(c))
		return 0;
	*end = q + 1;
	return c;
}

/* g_unichar_isspace for ASCII: tab, line feed, carriage return, form feed
 * and space (vertical tab is a control character to GLib). */
static inline bool ascii_space(guchar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Case-folds each character of the NFKC display text; format characters
 * (zero-width space, soft hyphen) dropped, since they are used to split
 * words past filters; blank runs become one space, or "\n" when they hold a
 * blank line (a paragraph break), or nothing between two CJK characters (a
 * wrapped line); typographic apostrophes and hyphens become ASCII ones,
 * Latin letters lose their diacritics, and combining marks after a letter
 * that is not CJK are dropped ("A\u073Fm\u073Fazon" is "amazon"; a kana's
 * voicing mark is composed by NFKC and kept); HTML character references
 * stand for their characters.  ASCII, the bulk of most mail, takes no
 * Unicode lookups. */
static void fold_into(const char *display, size_t len, fold_buf *out)
{
	guint newlines = 0;
	bool pending = false;
	guint32 pending_at = 0;
	gunichar prev = 0;
	fold_reserve(out, len + 1);
	const char *end = display + len;
	for (const char *p = display; *p;) {
		guchar b = (guchar)*p;
		guint32 at = (guint32)(p - display);
		gunichar c;
		const char *next;
		bool space;
		if (b < 0x80) {
			c = b;
			next = p + 1;
			space = ascii_space(b);
		} else if ((c = ks_utf8_plain_cjk_at(p, end)) != 0) {
			next = p + 3;
			space = false;
		} else {
			c = g_utf8_get_char(p);
			next = g_utf8_next_char(p);
			space = g_unichar_isspace(c);
		}
		if (space) {
			if (!pending)
				pending_at = at;
			pending = true;
			newlines += c == '\n';
			p = next;
			continue;
		}
		GUnicodeType type = b < 0x80                 ? G_UNICODE_LOWERCASE_LETTER
		                    : ks_unichar_plain_cjk_letter(c) ? G_UNICODE_OTHER_LETTER
		                                             : g_unichar_type(c);
		if (type == G_UNICODE_FORMAT ||
		    (type == G_UNICODE_NON_SPACING_MARK && !is_cjk(prev))) {
			p = next;
			continue;
		}
		gunichar entity = b == '&' ? entity_at(p, &next) : 0;
		if (entity) {
			c = entity;
			type = g_unichar_type(c);
			if (type == G_UNICODE_FORMAT) { /* &shy; &zwnj; */
				p = next;
				continue;
			}
			if (g_unichar_isspace(c)) {
				if (!pending)
					pending_at = at;
				pending = true;
				p = next;
				continue;
			}
		}
		if (pending && out->len > 0) {
			const char *sep = newlines >= 2                                   ? "\n"
			                  : (prev >= 0x80 && c >= 0x80 && is_cjk(prev) && is_cjk(c)) ? ""
			                                                                  : " ";
			if (*sep)
				fold_put1(out, *sep, pending_at);
		}
		pending = false;
		newlines = 0;
		if (c < 0x80) {
			fold_put1(out, (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c), at);
			/* the rest of an ASCII word in one go: no blank, character
			 * reference or separator can come inside it */
			const char *q = next;
			for (guchar a; (a = (guchar)*q) != 0 && a < 0x80 && !ascii_space(a) && a != '&'; q++)
				fold_put1(out, (char)(a >= 'A' && a <= 'Z' ? a + ('a' - 'A') : a),
				          (guint32)(q - display));
			if (q > next)
				c = (guchar)q[-1];
			next = q;
		} else if (ks_unichar_plain_cjk_letter(c) && entity == 0) {
			/* no case, no decomposition: copied, and the letters after it */
			fold_put(out, p, (size_t)(next - p), at);
			for (gunichar k; (k = ks_utf8_plain_cjk_at(next, end)) != 0; next += 3) {
				fold_put(out, next, 3, (guint32)(next - display));
				c = k;
			}
		} else {
			fold_char(out, c, type, at);
		}
		prev = c;
		p = next;
	}
	fold_reserve(out, 1);
	out->s[out->len] = '\0';
	out->map[out->len] = (guint32)len;
}

/* The folding of an entry, quickly when it is only ASCII and accented Latin
 * letters (most entries): lower case, accents off, blank runs made one space,
 * which is what fold_into does to such text.  NULL for anything else. */
static char *fold_latin(const char *s)
{
	char *out = g_malloc(strlen(s) + 1), *o = out;
	bool blank = false;
	for (const char *p = s; *p;) {
		guchar b = (guchar)*p;
		gunichar c = b;
		if (b >= 0x80) {
			c = latin_base(g_utf8_get_char_validated(p, -1));
			p = g_utf8_next_char(p);
		} else {
			p++;
		}
		if (c >= 0x80 || c == '&' || c == '\n') {
			g_free(out);
			return NULL;
		}
		if (ascii_space((guchar)c)) {
			blank = true;
			continue;
		}
		if (blank && o > out)
			*o++ = ' ';
		blank = false;
		*o++ = g_ascii_tolower((gchar)c);
	}
	*o = '\0';
	return out;
}

static char *fold(const char *s)
{
	char *quick = fold_latin(s);
	if (quick)
		return quick;
	size_t len = 0;
	g_autofree char *valid = valid_prefix(s, G_MAXSIZE, &len);
	g_autofree char *display = ks_charset_nfkc(valid, len);
	fold_buf out = {0};
	fold_into(display, strlen(display), &out);
	g_free(out.map);
	return out.s;
}

/* Texts shorter than this (folded bytes) keep no pair and triple bitmaps. */
#define SIEVE_MIN 512

/* Three bytes hashed into 16 bits, for ks_lure_text's triples. */
static inline guint triple_hash(guchar a, guchar b, guchar c)
{
	return (((guint)a * 0x3D3u) ^ ((guint)b * 0x61u) ^ (guint)c) & 0xFFFFu;
}

ks_lure_text *ks_lure_text_new(const char *utf8, size_t max_bytes)
{
	size_t len = 0;
	g_autofree char *valid = valid_prefix(utf8, max_bytes, &len);
	ks_lure_text *t = g_new0(ks_lure_text, 1);
	t->display = ks_charset_nfkc(valid, len);
	fold_buf out = {0};
	fold_into(t->display, strlen(t->display), &out);
	t->len = out.len;
	t->folded = out.s;
	t->map = out.map;
	/* a short text (a subject, a name) is searched faster than its 16 KiB
	 * of bitmaps are cleared: it has none, and every term may be in it */
	if (t->len < SIEVE_MIN)
		return t;
	t->pairs = g_malloc0(65536 / 8);
	t->triples = g_malloc0(65536 / 8);
	const guchar *f = (const guchar *)t->folded;
	for (size_t i = 0; i + 1 < t->len; i++) {
		guint pair = (guint)f[i] << 8 | f[i + 1];
		t->pairs[pair >> 3] |= (guint8)(1u << (pair & 7));
		if (i + 2 < t->len) {
			guint h = triple_hash(f[i], f[i + 1], f[i + 2]);
			t->triples[h >> 3] |= (guint8)(1u << (h & 7));
		}
	}
	return t;
}

void ks_lure_text_free(ks_lure_text *t)
{
	if (!t)
		return;
	g_free(t->display);
	g_free(t->folded);
	g_free(t->map);
	g_free(t->pairs);
	g_free(t->triples);
	g_free(t);
}

static void term_free(ks_lure_term *term)
{
	if (!term)
		return;
	g_free((char *)term->entry);
	g_free((char *)term->folded);
	g_free(term);
}

/* An entry line expands to at most this many phrases: "{a|b} {c|d|e}" is six.
 * The longest lines of the data files give a few dozen. */
#define EXPAND_MAX 512

/* Appends to out every phrase the entry spells with "{a|b|c}" groups (an
 * empty alternative allowed: "{temporarily |}locked"), the groups expanded
 * left to right.  A '{' without its '}' is kept as written. */
static void expand(const char *entry, GPtrArray *out)
{
	const char *open = strchr(entry, '{');
	const char *close = open ? strchr(open, '}') : NULL;
	if (!close) {
		if (out->len < EXPAND_MAX)
			g_ptr_array_add(out, g_strdup(entry));
		return;
	}
	g_autofree char *inner = g_strndup(open + 1, (gsize)(close - open - 1));
	g_auto(GStrv) alts = g_strsplit(inner, "|", -1);
	for (char **a = alts; *a && out->len < EXPAND_MAX; a++) {
		g_autofree char *one = g_strdup_printf("%.*s%s%s", (int)(open - entry), entry, *a,
		                                       close + 1);
		expand(one, out);
	}
}

/* s with its blank runs made one space and none at either end: an expanded
 * "{temporarily |}locked" reads as the data would spell it.  g_free. */
static char *squeeze_blanks(const char *s)
{
	GString *out = g_string_new(NULL);
	bool blank = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			blank = true;
			continue;
		}
		if (blank && out->len)
			g_string_append_c(out, ' ');
		blank = false;
		g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

/* Appends the phrases of one entry of the named section. */
static void add_terms(GPtrArray *terms, const char *section, const char *entry)
{
	g_autoptr(GPtrArray) phrases = g_ptr_array_new_with_free_func(g_free);
	expand(entry, phrases);
	for (guint k = 0; k < phrases->len; k++) {
		char *folded = fold(g_ptr_array_index(phrases, k));
		if (!*folded) {
			g_free(folded);
			continue;
		}
		ks_lure_term *term = g_new0(ks_lure_term, 1);
		term->entry = squeeze_blanks(g_ptr_array_index(phrases, k));
		term->folded = folded;
		term->folded_len = strlen(folded);
		term->section = g_intern_string(section);
		gunichar first = g_utf8_get_char(folded);
		gunichar last = g_utf8_get_char(g_utf8_find_prev_char(folded, folded + strlen(folded)));
		term->word_start = is_word_char(first);
		term->word_end = is_word_char(last);
		g_ptr_array_add(terms, term);
	}
}

/* Appends the entries of one file's "section: entry" lines whose section is
 * `section`, or, with prefixed, starts with it. */
static void load_section(GPtrArray *terms, const char *file, const char *section, bool prefixed)
{
	const GPtrArray *lines = ks_data_lines(file);
	size_t slen = strlen(section);
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *name = NULL, *entry = NULL;
		if (!ks_data_split(g_ptr_array_index(lines, i), &name, &entry) ||
		    strncmp(name, section, slen) != 0 || (!prefixed && name[slen] != '\0'))
			continue;
		add_terms(terms, name, entry);
	}
}

/* "a\x1fb" (b's first blen bytes): the keys of the tables below, made
 * without printf (they are made for every section asked and every hit). */
static char *join_key(const char *a, const char *b, size_t blen)
{
	size_t alen = strlen(a);
	char *k = g_malloc(alen + 1 + blen + 1);
	memcpy(k, a, alen);
	k[alen] = '\x1f';
	memcpy(k + alen + 1, b, blen);
	k[alen + 1 + blen] = '\0';
	return k;
}

/* Each thread's own index into the sections loaded (the analyzers ask for
 * a score of sections per message): "file\x1fsection" -> the terms. */
static GPrivate sections_seen = G_PRIVATE_INIT((GDestroyNotify)g_hash_table_unref);

const GPtrArray *ks_lures_section(const char *file, const char *section)
{
	static GMutex lock;
	static GHashTable *cache; /* "file\x1fsection" -> GPtrArray of ks_lure_term */
	if (!section)
		section = "";
	g_autofree char *key = join_key(file ? file : "", section, strlen(section));
	GHashTable *seen = ks_thread_table(&sections_seen, NULL);
	const GPtrArray *known = g_hash_table_lookup(seen, key);
	if (known)
		return known;
	g_mutex_lock(&lock);
	if (!cache)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                              (GDestroyNotify)g_ptr_array_unref);
	GPtrArray *terms = g_hash_table_lookup(cache, key);
	if (!terms) {
		terms = g_ptr_array_new_with_free_func((GDestroyNotify)term_free);
		if (file)
			load_section(terms, file, section, false);
		else
			for (size_t i = 0; i < G_N_ELEMENTS(lure_files); i++)
				load_section(terms, lure_files[i], section, false);
		g_hash_table_insert(cache, g_strdup(key), terms);
	}
	g_mutex_unlock(&lock);
	g_hash_table_insert(seen, g_steal_pointer(&key), terms);
	return terms;
}

bool ks_lures_contains(const char *file, const char *section, const char *word)
{
	if (!word || !*word)
		return false;
	g_autofree char *folded = fold(word);
	const GPtrArray *terms = ks_lures_section(file, section);
	for (guint i = 0; i < terms->len; i++) {
		const ks_lure_term *term = g_ptr_array_index(terms, i);
		if (strcmp(term->folded, folded) == 0)
			return true;
	}
	return false;
}

static bool at_boundary(const ks_lure_text *t, const ks_lure_term *term, size_t start, size_t end)
{
	if (term->word_start && start > 0) {
		const char *prev = g_utf8_find_prev_char(t->folded, t->folded + start);
		if (prev && is_word_char(g_utf8_get_char(prev)))
			return false;
	}
	if (term->word_end && end < t->len && is_word_char(g_utf8_get_char(t->folded + end)))
		return false;
	return true;
}

/* False when some adjacent byte pair or triple of the term is nowhere in
 * t (a long text has most pairs; its triples are a finer sieve). */
static bool may_contain(const ks_lure_text *t, const char *term, size_t tlen)
{
	if (!t->pairs)
		return true;
	const guchar *b = (const guchar *)term;
	for (size_t i = 0; i + 1 < tlen; i++) {
		guint pair = (guint)b[i] << 8 | b[i + 1];
		if (!(t->pairs[pair >> 3] & (1u << (pair & 7))))
			return false;
	}
	for (size_t i = 0; i + 2 < tlen; i++) {
		guint h = triple_hash(b[i], b[i + 1], b[i + 2]);
		if (!(t->triples[h >> 3] & (1u << (h & 7))))
			return false;
	}
	return true;
}

static gint hit_cmp(gconstpointer a, gconstpointer b)
{
	const ks_lure_hit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

GArray *ks_lure_text_find(const ks_lure_text *t, const char *file, const char *section,
                          guint max)
{
	GArray *hits = g_array_new(FALSE, FALSE, sizeof(ks_lure_hit));
	const GPtrArray *terms = ks_lures_section(file, section);
	for (guint i = 0; t && i < terms->len; i++) {
		const ks_lure_term *term = g_ptr_array_index(terms, i);
		size_t tlen = term->folded_len;
		if (!may_contain(t, term->folded, tlen))
			continue;
		guint found = 0;
		for (const char *p = strstr(t->folded, term->folded); p && found < max;
		     p = strstr(p + 1, term->folded)) {
			size_t start = (size_t)(p - t->folded);
			if (!at_boundary(t, term, start, start + tlen))
				continue;
			ks_lure_hit hit = {term, start, start + tlen};
			g_array_append_val(hits, hit);
			found++;
		}
	}
	g_array_sort(hits, hit_cmp);
	if (hits->len > max)
		g_array_set_size(hits, max);
	return hits;
}

/* --- families of sections: patterns, not expanded phrases -------------------
 *
 * The phish.* sections spell tens of thousands of phrases through their
 * "{a|b}" groups; expanded, they cost megabytes and a long start.  So each
 * entry is compiled once into segments of folded alternatives and matched
 * as written.  A blank in a pattern stands for one blank in the text, runs
 * of blanks (from adjacent groups) count once, and blanks at either end are
 * dropped.  Each pattern is indexed in a small trie under every first
 * KEY_BYTES folded bytes it can begin with (two CJK characters and a byte
 * of a third; "your ac" and "the acc" for "{your|the} account": seven
 * bytes try a tenth fewer patterns in vain than six), or under the whole
 * of a shorter way through it ("spam"); one that begins with an amount
 * under the bytes an amount begins with (a digit or a currency sign).  The
 * rare pattern that begins too many ways is tried at every place. */
#define KEY_BYTES 7
/* "¤" (U+00A4, the generic currency sign) in an entry stands for an amount
 * of money in the text: "withdraw your ¤" reads "withdraw your 12,346$",
 * "gewinne einen ¤ gutschein" reads "gewinne einen 500€ gutschein".  A
 * phrase list cannot spell the number, and kits put one in every lure. */
#define AMOUNT "\xc2\xa4"
/* Segments of one entry: literals and groups.  The longest entries of the
 * data files have about a dozen; longer ones are refused (ks_lure_entry_check). */
#define SEGS_MAX 48
/* Index keys of one entry: its first groups' alternatives multiplied; a few
 * hundred for the widest entries.  More, and the entry is tried everywhere. */
#define KEYS_MAX 4096

typedef struct {
	char **folded; /* alternatives, folded; "" for an empty one */
	char **raw;    /* the same as written (into the pattern's text) */
	guint n;
} seg;

typedef struct {
	const char *section; /* interned */
	char *text;          /* the entry, its '{', '|' and '}' made NULs */
	seg *segs;
	guint nsegs;
	guint index; /* in its lure_index's patterns */
} pattern;

static void pattern_free(pattern *pat)
{
	if (!pat)
		return;
	for (guint i = 0; i < pat->nsegs; i++) {
		g_strfreev(pat->segs[i].folded);
		g_free(pat->segs[i].raw);
	}
	g_free(pat->segs);
	g_free(pat->text);
	g_free(pat);
}

/* A piece of an entry folded, with one blank kept at either end when the
 * piece had one there: "temporarily " stays "temporarily ". */
static char *fold_piece(const char *raw)
{
	g_autofree char *core = fold(raw);
	bool lead = *raw == ' ' || *raw == '\t';
	size_t n = strlen(raw);
	bool trail = n > 0 && (raw[n - 1] == ' ' || raw[n - 1] == '\t');
	if (!*core)
		return g_strdup(lead || trail ? " " : "");
	if (!lead && !trail)
		return g_steal_pointer(&core);
	return g_strconcat(lead ? " " : "", core, trail ? " " : "", NULL);
}

/* Appends a segment: a literal, or a group whose '|' are made NULs. */
static void seg_add(pattern *pat, char *text, bool group)
{
	seg *sg = &pat->segs[pat->nsegs++];
	sg->n = 1;
	for (const char *q = text; group && *q; q++)
		sg->n += *q == '|';
	sg->raw = g_new0(char *, sg->n + 1);
	sg->folded = g_new0(char *, sg->n + 1);
	for (guint k = 0; k < sg->n; k++) {
		sg->raw[k] = text;
		char *bar = group ? strchr(text, '|') : NULL;
		if (bar) {
			*bar = '\0';
			text = bar + 1;
		}
		sg->folded[k] = fold_piece(sg->raw[k]);
	}
}

/* The entry's segments, or NULL when it has too many or nothing to match:
 * literals between groups are segments of one alternative. */
static pattern *pattern_compile(const char *entry, const char *section)
{
	pattern *pat = g_new0(pattern, 1);
	pat->section = g_intern_string(section);
	pat->text = g_strdup(entry);
	/* a group is "{...}"; a '{' without its '}' is literal */
	guint groups = 0, literals = 0;
	for (const char *p = entry; *p;) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			literals++;
			break;
		}
		literals += open > p;
		groups++;
		p = close + 1;
	}
	if (groups + literals > SEGS_MAX) {
		pattern_free(pat);
		return NULL;
	}
	pat->segs = g_new0(seg, groups + literals);
	for (char *p = pat->text; *p;) {
		char *open = strchr(p, '{');
		char *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			seg_add(pat, p, false);
			break;
		}
		char *next = close + 1;
		*open = *close = '\0'; /* ends the literal before the group, and the group */
		if (open > p)
			seg_add(pat, p, false);
		seg_add(pat, open + 1, true);
		p = next;
	}
	bool something = false;
	for (guint i = 0; i < pat->nsegs; i++)
		for (guint k = 0; k < pat->segs[i].n; k++)
			something = something || strspn(pat->segs[i].folded[k], " ") <
			                             strlen(pat->segs[i].folded[k]);
	if (!something) {
		pattern_free(pat);
		return NULL;
	}
	return pat;
}

bool ks_lure_entry_check(const char *entry)
{
	pattern *pat = entry ? pattern_compile(entry, "") : NULL;
	pattern_free(pat);
	return pat != NULL;
}

/* Currency signs and codes as the folded text has them (NFKC, case folded):
 * before the number ("$25.745", "r$ 1.234,56") or after it ("500€",
 * "250 euro", "0.7495 btc", "3万円"). */
static const char *const amount_signs[] = {"us$", "r$", "$", "\xe2\x82\xac" /* € */,
                                           "\xc2\xa3" /* £ */, "\xc2\xa5" /* ¥ */,
                                           "\xe2\x82\xb9" /* ₹ */};
static const char *const amount_after[] = {
	"\xe2\x82\xac", "$", "\xc2\xa3", "\xc2\xa5", "\xe5\x86\x86" /* 円 */,
	"\xe4\xb8\x87\xe5\x86\x86" /* 万円 */, "eur", "euro", "euros", "usd", "dollar",
	"dollars", "gbp", "chf", "jpy", "yen", "btc", "eth", "usdt", "reais", "real"};

/* The ways the pattern can begin, from segment sg on, as matching reads it
 * (leading blanks dropped, blank runs as one): its first KEY_BYTES bytes,
 * or the whole of a shorter way through it. */
typedef struct {
	const pattern *pat;
	GArray *keys;    /* guint64: the bytes, packed (key_pack), in any order */
	bool everywhere; /* too many of them */
} key_walk;

/* Up to KEY_BYTES bytes and their count in one number, which sorts shorter
 * keys of the same first bytes first; G_STATIC_ASSERT keeps it in 64 bits. */
G_STATIC_ASSERT(KEY_BYTES <= 7);
static guint64 key_pack(const char *b, guint n)
{
	guint64 k = 0;
	for (guint i = 0; i < KEY_BYTES; i++)
		k = k << 8 | (i < n ? (guchar)b[i] : 0);
	return k << 8 | n;
}

static void walk_keys(key_walk *w, guint sg, const char *buf, guint n, bool pending)
{
	if (w->everywhere)
		return;
	if (n == KEY_BYTES || (sg == w->pat->nsegs && n > 0)) {
		guint64 k = key_pack(buf, n);
		g_array_append_val(w->keys, k);
		w->everywhere = w->keys->len > KEYS_MAX;
		return;
	}
	if (sg == w->pat->nsegs)
		return; /* an empty way through: matches nothing */
	const seg *s = &w->pat->segs[sg];
	for (guint k = 0; k < s->n; k++) {
		char b[KEY_BYTES];
		memcpy(b, buf, n);
		guint m = n;
		bool pend = pending;
		bool amount = false;
		for (const char *a = s->folded[k]; *a && m < KEY_BYTES; a++) {
			if (*a == ' ') {
				pend = m > 0;
				continue;
			}
			if (strncmp(a, AMOUNT, 2) == 0) {
				amount = true; /* its bytes are the text's: the key ends here */
				break;
			}
			if (pend && m < KEY_BYTES)
				b[m++] = ' ';
			pend = false;
			if (m < KEY_BYTES)
				b[m++] = *a;
		}
		if (amount && m == 0) {
			/* a pattern that starts with an amount: under the bytes an
			 * amount can begin with (amount_len) */
			for (guint i = 0; i < G_N_ELEMENTS(amount_signs); i++)
				walk_keys(w, w->pat->nsegs, amount_signs[i],
				          (guint)strlen(amount_signs[i]), false);
			for (char d = '0'; d <= '9'; d++)
				walk_keys(w, w->pat->nsegs, &d, 1, false);
			continue;
		}
		walk_keys(w, m == KEY_BYTES || amount ? w->pat->nsegs : sg + 1, b, m, pend);
	}
}

/* A trie of those beginnings, KEY_BYTES deep: the walk from a place in the
 * text stops at the first byte no pattern begins with, and tries the
 * patterns hung on the nodes it passes. */
#define DIRECT_KIDS 6
typedef struct key_node {
	guchar *bytes;          /* of the children, in insertion order */
	struct key_node **kids;
	struct key_node **direct; /* by byte: the first level, and nodes of more
	                             than DIRECT_KIDS children */
	guint nkids, cap;
	GPtrArray *patterns;    /* pattern* (borrowed), or NULL */
} key_node;

typedef struct {
	GPtrArray *patterns;    /* pattern*, owned */
	key_node *root[256];    /* by first byte */
	GPtrArray *everywhere;  /* pattern* tried at every place (key_walk) */
} lure_index;

static key_node *node_child(const key_node *node, guchar b)
{
	if (node->direct)
		return node->direct[b];
	for (guint i = 0; i < node->nkids; i++)
		if (node->bytes[i] == b)
			return node->kids[i];
	return NULL;
}

static key_node *node_add_child(key_node *node, guchar b)
{
	key_node *kid = g_new0(key_node, 1);
	if (node->nkids == node->cap) {
		node->cap = node->cap ? node->cap * 2 : 2;
		node->bytes = g_realloc(node->bytes, node->cap);
		node->kids = g_realloc_n(node->kids, node->cap, sizeof(key_node *));
	}
	node->bytes[node->nkids] = b;
	node->kids[node->nkids++] = kid;
	/* a wide node is looked up by byte, not searched: the walk asks it at
	 * most places of most texts */
	if (!node->direct && node->nkids > DIRECT_KIDS) {
		node->direct = g_new0(key_node *, 256);
		for (guint i = 0; i < node->nkids; i++)
			node->direct[node->bytes[i]] = node->kids[i];
	}
	if (node->direct)
		node->direct[b] = kid;
	return kid;
}

static bool node_has(const key_node *node, const pattern *pat)
{
	return node->patterns && node->patterns->len &&
	       g_ptr_array_index(node->patterns, node->patterns->len - 1) == pat;
}

/* Hangs pat on the node of the packed key, unless a shorter key of pat
 * already hangs it on the way (the walk would try it twice at one place). */
static void index_key(lure_index *ix, guint64 key, const pattern *pat)
{
	guint n = (guint)(key & 0xFF);
	guchar bytes[KEY_BYTES];
	for (guint i = 0; i < KEY_BYTES; i++)
		bytes[i] = (guchar)(key >> (8 * (KEY_BYTES - i)));
	key_node *node = ix->root[bytes[0]];
	if (!node) {
		node = ix->root[bytes[0]] = g_new0(key_node, 1);
		node->direct = g_new0(key_node *, 256);
	}
	for (guint i = 1;; i++) {
		if (node_has(node, pat))
			return;
		if (i == n)
			break;
		key_node *kid = node_child(node, bytes[i]);
		node = kid ? kid : node_add_child(node, bytes[i]);
	}
	if (!node->patterns)
		node->patterns = g_ptr_array_new();
	g_ptr_array_add(node->patterns, (gpointer)pat);
}

/* By length, then bytes: a key comes after the shorter keys it extends. */
static gint shorter_first(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
	guint lx = (guint)(x & 0xFF), ly = (guint)(y & 0xFF);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x < y ? -1 : x > y;
}

static lure_index *index_new(const char *prefix)
{
	lure_index *ix = g_new0(lure_index, 1);
	ix->patterns = g_ptr_array_new_with_free_func((GDestroyNotify)pattern_free);
	ix->everywhere = g_ptr_array_new();
	g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(guint64));
	size_t plen = strlen(prefix);
	for (size_t f = 0; f < G_N_ELEMENTS(lure_files); f++) {
		const GPtrArray *lines = ks_data_lines(lure_files[f]);
		for (guint i = 0; lines && i < lines->len; i++) {
			g_autofree char *name = NULL, *entry = NULL;
			if (!ks_data_split(g_ptr_array_index(lines, i), &name, &entry) ||
			    strncmp(name, prefix, plen) != 0)
				continue;
			pattern *pat = pattern_compile(entry, name);
			if (!pat)
				continue;
			pat->index = ix->patterns->len;
			g_ptr_array_add(ix->patterns, pat);
			g_array_set_size(keys, 0);
			key_walk w = {pat, keys, false};
			char buf[KEY_BYTES];
			walk_keys(&w, 0, buf, 0, false);
			if (w.everywhere) {
				g_ptr_array_add(ix->everywhere, pat);
				continue;
			}
			g_array_sort(keys, shorter_first);
			for (guint k = 0; k < keys->len; k++)
				if (k == 0 || g_array_index(keys, guint64, k) != g_array_index(keys, guint64, k - 1))
					index_key(ix, g_array_index(keys, guint64, k), pat);
		}
	}
	return ix;
}

static const lure_index *prefixed_index(const char *prefix)
{
	static GMutex lock;
	static GHashTable *cache; /* prefix -> lure_index, for the program's life */
	g_mutex_lock(&lock);
	if (!cache)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lure_index *ix = g_hash_table_lookup(cache, prefix);
	if (!ix) {
		ix = index_new(prefix);
		g_hash_table_insert(cache, g_strdup(prefix), ix);
	}
	g_mutex_unlock(&lock);
	return ix;
}

/* The term a pattern hit reads as: section, the matched folded text and the
 * phrase as the data spells it.  Kept once per (section, folded text) for
 * the program's life, so hits can point at it like at any other term. */
static const ks_lure_term *intern_term(const char *section, const char *folded, size_t len,
                                       const pattern *pat, const guint16 *choice)
{
	static GMutex lock;
	static GHashTable *terms; /* "section\x1ffolded" -> ks_lure_term* */
	g_autofree char *key = join_key(section, folded, strnlen(folded, len));
	g_mutex_lock(&lock);
	if (!terms)
		terms = g_hash_table_new(g_str_hash, g_str_equal);
	ks_lure_term *term = g_hash_table_lookup(terms, key);
	if (!term) {
		GString *raw = g_string_new(NULL);
		for (guint i = 0; i < pat->nsegs; i++)
			g_string_append(raw, pat->segs[i].raw[choice[i]]);
		term = g_new0(ks_lure_term, 1);
		term->entry = squeeze_blanks(raw->str);
		g_string_free(raw, TRUE);
		term->folded = g_strndup(folded, len);
		term->folded_len = len;
		term->section = section;
		term->word_start = is_word_char(g_utf8_get_char(term->folded));
		term->word_end = is_word_char(
			g_utf8_get_char(g_utf8_find_prev_char(term->folded, term->folded + len)));
		g_hash_table_insert(terms, g_steal_pointer(&key), term);
	}
	g_mutex_unlock(&lock);
	return term;
}

typedef struct {
	const ks_lure_text *t;
	const pattern *pat;
	size_t start, best_end;
	guint16 choice[SEGS_MAX], best[SEGS_MAX];
} match_state;

/* Word boundaries around [start, end) as a term spelling those bytes needs. */
static bool span_at_boundary(const ks_lure_text *t, size_t start, size_t end)
{
	const char *f = t->folded;
	if (start > 0 && is_word_char(g_utf8_get_char(f + start)) &&
	    is_word_char(g_utf8_get_char(g_utf8_find_prev_char(f, f + start))))
		return false;
	if (end < t->len && is_word_char(g_utf8_get_char(f + end)) &&
	    is_word_char(g_utf8_get_char(g_utf8_find_prev_char(f, f + end))))
		return false;
	return true;
}

static size_t prefix_len(const char *f, size_t p, size_t len, const char *what)
{
	size_t n = strlen(what);
	return p + n <= len && memcmp(f + p, what, n) == 0 ? n : 0;
}

/* The bytes of the amount at f[p], or 0: an optional sign, one blank at
 * most, digits with '.', ',' or '\'' between them, then optionally one blank
 * and a sign or a code; it must carry a sign or a code, and no letter may
 * follow. */
static size_t amount_len(const char *f, size_t p, size_t len)
{
	size_t q = p;
	bool sign = false;
	for (size_t i = 0; i < G_N_ELEMENTS(amount_signs) && !sign; i++) {
		size_t n = prefix_len(f, q, len, amount_signs[i]);
		/* "r$" and "us$" start a word; "$" may follow anything */
		if (n && (n == 1 || q == 0 || !g_ascii_isalnum(f[q - 1]))) {
			q += n;
			sign = true;
		}
	}
	if (sign && q < len && f[q] == ' ')
		q++;
	if (q >= len || !g_ascii_isdigit(f[q]))
		return 0;
	while (q < len && (g_ascii_isdigit(f[q]) ||
	                   ((f[q] == '.' || f[q] == ',' || f[q] == '\'') && q + 1 < len &&
	                    g_ascii_isdigit(f[q + 1]))))
		q++;
	if (!sign) {
		size_t r = q < len && f[q] == ' ' ? q + 1 : q;
		size_t best = 0;
		for (size_t i = 0; i < G_N_ELEMENTS(amount_after); i++) {
			size_t n = prefix_len(f, r, len, amount_after[i]);
			/* a code is a whole word: "500 eur" yes, "500 europeans" no */
			if (n > best && (!g_ascii_isalpha(amount_after[i][0]) || r + n >= len ||
			                 !g_ascii_isalnum(f[r + n])))
				best = n;
		}
		if (!best)
			return 0;
		q = r + best;
	}
	if (q < len && g_ascii_isalpha(f[q]))
		return 0;
	return q - p;
}

/* Tries every way through the segments from sg on; keeps the longest match
 * that ends on a boundary. */
static void match_from(match_state *s, guint sg, size_t pos, bool pending)
{
	const char *f = s->t->folded;
	if (sg == s->pat->nsegs) {
		if (pos > s->start && pos > s->best_end && span_at_boundary(s->t, s->start, pos)) {
			s->best_end = pos;
			memcpy(s->best, s->choice, sizeof(s->choice[0]) * s->pat->nsegs);
		}
		return;
	}
	const seg *g = &s->pat->segs[sg];
	for (guint k = 0; k < g->n; k++) {
		size_t p = pos;
		bool pend = pending, ok = true;
		for (const char *a = g->folded[k]; *a && ok; a++) {
			if (*a == ' ') {
				pend = p > s->start;
				continue;
			}
			if (pend) {
				ok = p < s->t->len && f[p] == ' ';
				p += ok;
				pend = false;
			}
			if (ok && strncmp(a, AMOUNT, 2) == 0) {
				size_t n = amount_len(f, p, s->t->len);
				ok = n > 0;
				p += n;
				a++; /* the sign's second byte */
				continue;
			}
			ok = ok && p < s->t->len && f[p] == *a;
			p += ok;
		}
		if (!ok)
			continue;
		s->choice[sg] = (guint16)k;
		match_from(s, sg + 1, p, pend);
	}
}

static void try_pattern(const ks_lure_text *t, const pattern *pat, size_t start, GArray *hits)
{
	match_state s; /* choice[] and best[] are written before they are read */
	s.t = t;
	s.pat = pat;
	s.start = s.best_end = start;
	match_from(&s, 0, start, false);
	if (s.best_end == start)
		return;
	ks_lure_hit hit = {intern_term(pat->section, t->folded + start, s.best_end - start, pat, s.best),
	                   start, s.best_end};
	g_array_append_val(hits, hit);
}

/* May the piece [s, s + n) of an alternative be in t?  Its blanks at
 * either end are left out (a blank at a pattern's end is dropped, and runs
 * across segments count once); one inside matches a blank of the text. */
static bool piece_may_be_in(const ks_lure_text *t, const char *s, size_t n)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	return n == 0 || may_contain(t, s, n);
}

/* May some way through the pattern be in t?  False when one of its
 * segments has no alternative whose bytes (but for amounts, which are the
 * text's own) may all be in it: then it matches nowhere in t, and the walk
 * need not try it at each place its first bytes are. */
static bool pattern_may_match(const ks_lure_text *t, const pattern *pat)
{
	for (guint i = 0; i < pat->nsegs; i++) {
		const seg *g = &pat->segs[i];
		bool any = false;
		for (guint k = 0; k < g->n && !any; k++) {
			const char *a = g->folded[k];
			bool all = true;
			for (const char *amount; all && (amount = strstr(a, AMOUNT)); a = amount + 2)
				all = piece_may_be_in(t, a, (size_t)(amount - a));
			any = all && piece_may_be_in(t, a, strlen(a));
		}
		if (!any)
			return false;
	}
	return true;
}

/* try_pattern at start, unless pattern_may_match said (or says now: verdict
 * per pattern, 0 not asked yet, 1 may match in t, 2 cannot) it is nowhere. */
static void try_if_may_match(const ks_lure_text *t, const pattern *pat, guint8 *verdict,
                             size_t start, GArray *hits)
{
	if (!verdict[pat->index])
		verdict[pat->index] = pattern_may_match(t, pat) ? 1 : 2;
	if (verdict[pat->index] == 1)
		try_pattern(t, pat, start, hits);
}

GArray *ks_lure_text_find_prefixed(const ks_lure_text *t, const char *prefix, guint max)
{
	GArray *hits = g_array_new(FALSE, FALSE, sizeof(ks_lure_hit));
	const lure_index *ix = prefixed_index(prefix ? prefix : "");
	if (!t)
		return hits;
	/* per pattern, for try_if_may_match */
	g_autofree guint8 *verdict = g_malloc0(ix->patterns->len + 1);
	const char *f = t->folded;
	for (size_t i = 0; i < t->len && hits->len < max; i++) {
		guchar b = (guchar)f[i];
		/* no phrase starts inside a character, nor inside an ASCII word
		 * (one that starts with a letter needs a word boundary), nor at a blank */
		if ((b & 0xC0) == 0x80 || b == ' ' || b == '\n' ||
		    (i > 0 && g_ascii_isalnum(b) && g_ascii_isalnum(f[i - 1])))
			continue;
		for (guint k = 0; k < ix->everywhere->len && hits->len < max; k++)
			try_if_may_match(t, g_ptr_array_index(ix->everywhere, k), verdict, i, hits);
		const key_node *node = ix->root[b];
		for (size_t d = 1; node; d++) {
			for (guint k = 0; node->patterns && k < node->patterns->len && hits->len < max; k++)
				try_if_may_match(t, g_ptr_array_index(node->patterns, k), verdict, i, hits);
			node = i + d < t->len ? node_child(node, (guchar)f[i + d]) : NULL;
		}
		/* the rest of an ASCII word is no place to start: past it at once */
		if (g_ascii_isalnum(b))
			while (i + 1 < t->len && g_ascii_isalnum(f[i + 1]))
				i++;
	}
	g_array_sort(hits, hit_cmp);
	return hits;
}

bool ks_lure_text_same_sentence(const ks_lure_text *t, const ks_lure_hit *a,
                                const ks_lure_hit *b, guint max_gap)
{
	const ks_lure_hit *first = a->start <= b->start ? a : b;
	const ks_lure_hit *second = first == a ? b : a;
	if (second->start <= first->end)
		return true;
	guint chars = 0;
	for (const char *p = t->folded + first->end; p < t->folded + second->start;
	     p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		/* a full stop ends a sentence only before a blank: not in "1.000" or a host name */
		if (c == '.' && (p[1] == ' ' || p[1] == '\n' || p[1] == '\0'))
			return false;
		if (c == '!' || c == '?' || c == '\n' || c == 0x3002 /* 。 */)
			return false;
		if (++chars > max_gap)
			return false;
	}
	return true;
}

bool ks_lure_text_same_paragraph(const ks_lure_text *t, const ks_lure_hit *a,
                                 const ks_lure_hit *b, guint max_gap)
{
	const ks_lure_hit *first = a->start <= b->start ? a : b;
	const ks_lure_hit *second = first == a ? b : a;
	if (second->start <= first->end)
		return true;
	guint chars = 0;
	/* fold_into keeps "\n" only for a blank line */
	for (const char *p = t->folded + first->end; p < t->folded + second->start;
	     p = g_utf8_next_char(p)) {
		if (*p == '\n' || ++chars > max_gap)
			return false;
	}
	return true;
}

bool ks_lure_text_quoted(const ks_lure_text *t, size_t pos)
{
	if (!t || pos >= t->len)
		return false;
	const char *d = t->display;
	const char *p = d + t->map[pos];
	while (p > d && p[-1] != '\n')
		p--;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '>';
}

/* how far an excerpt widens so as not to cut a number (ks_lure_text_context) */
#define ACCOUNT_RUN 40

/* a character of an account number, an IBAN, a code or a word: ASCII and
 * full-width letters and digits, and the '-' numbers are grouped with */
static bool run_char(gunichar c)
{
	return g_unichar_isalnum(c) && (c < 0x2E80 || (c >= 0xFF10 && c <= 0xFF5A)) ? true
	                                                                           : c == '-';
}

char *ks_lure_text_context(const ks_lure_text *t, size_t start, size_t end, guint around)
{
	if (!t || start > end || end > t->len)
		return g_strdup("");
	const char *d = t->display;
	const char *from = d + t->map[start];
	/* map[end] is where the character after the hit starts in display */
	const char *to = d + (end > start ? t->map[end] : t->map[start]);
	if (end > start && to <= from)
		to = g_utf8_next_char(from);
	bool cut_left = false, cut_right = false;
	for (guint i = 0; i < around && from > d; i++)
		from = g_utf8_prev_char(from);
	for (guint i = 0; i < around && *to; i++)
		to = g_utf8_next_char(to);
	/* never cut through an account number, an IBAN or a name: the window
	 * widens to the end of the run of letters and digits it falls in
	 * (within ACCOUNT_RUN more characters, the longest IBAN is 34) */
	for (guint i = 0; i < ACCOUNT_RUN && from > d && run_char(g_utf8_get_char(from)) &&
	                  run_char(g_utf8_get_char(g_utf8_prev_char(from)));
	     i++)
		from = g_utf8_prev_char(from);
	for (guint i = 0; i < ACCOUNT_RUN && *to && to > d &&
	                  run_char(g_utf8_get_char(g_utf8_prev_char(to))) &&
	                  run_char(g_utf8_get_char(to));
	     i++)
		to = g_utf8_next_char(to);
	cut_left = from > d;
	cut_right = *to != '\0';
	GString *s = g_string_new("\"");
	if (cut_left)
		g_string_append(s, "…");
	bool blank = false;
	for (const char *p = from; p < to; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c)) {
			blank = true;
			continue;
		}
		if (blank && s->len > 1)
			g_string_append_c(s, ' ');
		blank = false;
		g_string_append_unichar(s, c);
	}
	if (cut_right)
		g_string_append(s, "…");
	g_string_append_c(s, '"');
	return g_string_free(s, FALSE);
}

char *ks_lure_hits_join(const GArray *hits)
{
	GString *s = g_string_new(NULL);
	/* by folded form: the same word may be listed in several languages */
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; hits && i < hits->len; i++) {
		const ks_lure_hit *h = &g_array_index(hits, ks_lure_hit, i);
		if (!g_hash_table_add(seen, (gpointer)h->term->folded))
			continue;
		if (s->len)
			g_string_append(s, ", ");
		g_string_append(s, h->term->entry);
	}
	return g_string_free(s, FALSE);
}
