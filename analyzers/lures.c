/* Lure word lists and the text matcher shared by the content and campaigns
 * analyzers.  The lists are sectioned data files ("section: entry" per line,
 * see analyzers/data/lures_en.txt); each section is folded once, on first
 * use, under a lock.  Matching is plain substring search over folded text
 * with word-boundary checks: no regular expressions, so the cost is bounded
 * by (terms x text length) and the text is capped by the caller. */
#include "lures.h"

#include "charset.h"
#include "data.h"

#include <string.h>

/* One row per language; adding a language is a data file and a row here. */
static const char *const lure_files[] = {
	"lures_en.txt",
	"lures_ja.txt",
	"lures_es.txt",
	"lures_de.txt",
	"lures_fr.txt",
};

/* Scripts written without spaces between words: entries match inside them
 * as substrings, and a blank between two of their characters is a line wrap,
 * not a word break. */
static bool is_cjk(gunichar c)
{
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
static bool fold_is_special(gunichar c)
{
	switch (g_unichar_type(c)) {
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
 * wrapped line).  ASCII, the bulk of most mail, takes no Unicode lookups. */
static void fold_into(const char *display, size_t len, fold_buf *out)
{
	guint newlines = 0;
	bool pending = false;
	guint32 pending_at = 0;
	gunichar prev = 0;
	fold_reserve(out, len + 1);
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
		if (b >= 0x80 && g_unichar_type(c) == G_UNICODE_FORMAT) {
			p = next;
			continue;
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
		if (b < 0x80) {
			fold_put1(out, (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b), at);
		} else if (fold_is_special(c)) {
			g_autofree char *f = g_utf8_casefold(p, next - p);
			fold_put(out, f, strlen(f), at);
		} else {
			char u[6];
			fold_put(out, u, (size_t)g_unichar_to_utf8(g_unichar_tolower(c), u), at);
		}
		prev = c;
		p = next;
	}
	fold_reserve(out, 1);
	out->s[out->len] = '\0';
	out->map[out->len] = (guint32)len;
}

static char *fold(const char *s)
{
	size_t len = 0;
	g_autofree char *valid = valid_prefix(s, G_MAXSIZE, &len);
	g_autofree char *display = ks_charset_nfkc(valid, len);
	fold_buf out = {0};
	fold_into(display, strlen(display), &out);
	g_free(out.map);
	return out.s;
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
	t->pairs = g_malloc0(65536 / 8);
	for (size_t i = 0; i + 1 < t->len; i++) {
		guint pair = (guint)(guchar)t->folded[i] << 8 | (guchar)t->folded[i + 1];
		t->pairs[pair >> 3] |= (guint8)(1u << (pair & 7));
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

/* Appends the entries of "section: entry" lines of one file. */
static void load_section(GPtrArray *terms, const char *file, const char *section)
{
	const GPtrArray *lines = ks_data_lines(file);
	size_t slen = strlen(section);
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *name = NULL, *entry = NULL;
		if (!ks_data_split(g_ptr_array_index(lines, i), &name, &entry) ||
		    strlen(name) != slen || strcmp(name, section) != 0)
			continue;
		char *folded = fold(entry);
		if (!*folded) {
			g_free(folded);
			continue;
		}
		ks_lure_term *term = g_new0(ks_lure_term, 1);
		term->entry = g_steal_pointer(&entry);
		term->folded = folded;
		gunichar first = g_utf8_get_char(folded);
		gunichar last = g_utf8_get_char(g_utf8_find_prev_char(folded, folded + strlen(folded)));
		term->word_start = is_word_char(first);
		term->word_end = is_word_char(last);
		g_ptr_array_add(terms, term);
	}
}

const GPtrArray *ks_lures_section(const char *file, const char *section)
{
	static GMutex lock;
	static GHashTable *cache; /* "file\x1fsection" -> GPtrArray of ks_lure_term */
	if (!section)
		section = "";
	g_autofree char *key = g_strdup_printf("%s\x1f%s", file ? file : "", section);
	g_mutex_lock(&lock);
	if (!cache)
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                              (GDestroyNotify)g_ptr_array_unref);
	GPtrArray *terms = g_hash_table_lookup(cache, key);
	if (!terms) {
		terms = g_ptr_array_new_with_free_func((GDestroyNotify)term_free);
		if (file)
			load_section(terms, file, section);
		else
			for (size_t i = 0; i < G_N_ELEMENTS(lure_files); i++)
				load_section(terms, lure_files[i], section);
		g_hash_table_insert(cache, g_steal_pointer(&key), terms);
	}
	g_mutex_unlock(&lock);
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

/* False when some adjacent byte pair of the term is nowhere in t. */
static bool may_contain(const ks_lure_text *t, const char *term, size_t tlen)
{
	for (size_t i = 0; i + 1 < tlen; i++) {
		guint pair = (guint)(guchar)term[i] << 8 | (guchar)term[i + 1];
		if (!(t->pairs[pair >> 3] & (1u << (pair & 7))))
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
		size_t tlen = strlen(term->folded);
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
