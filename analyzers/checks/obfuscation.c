/* The obfuscated-text cleaner and content.obfuscated_text (obfuscation.h).
 * Text is read word by word, a word being a run of letters, digits, marks
 * and format characters.  A word of ASCII only is copied as it is (most
 * mail), and so is one without Latin, Cyrillic or Greek letters (Japanese
 * text costs one script look-up a character); the rest is looked at
 * character by character.  Only a mixed-script word asks ICU (one skeleton
 * per foreign letter). */
#include "checks/obfuscation.h"

#include "checks/lookalike.h"
#include "core/sanitize.h"

#include <string.h>

/* Words longer than this (in characters) are copied untouched: no
 * disguised name is that long, and it bounds the work per word. */
#define WORD_MAX 256
/* Examples named per kind in a finding. */
#define EXAMPLES_MAX 3
/* Words split by invisible characters: a newsletter breaks one or two
 * (an address, a date) so that phones do not turn them into links; a kit
 * splits every word of its lure. */
#define INVISIBLE_MEDIUM_WORDS 3
/* A word chopped by soft hyphens only is a disguise when it falls into at
 * least three pieces averaging under three letters ("Pa­yP­al"); a
 * hyphenation hint splits long words at syllables ("Kun­den­ser­vice"). */
#define SHY_PIECES_MIN 3
#define SHY_PIECE_LETTERS 3
/* Hidden HTML: runs named in a finding, and the characters of each shown. */
#define HIDDEN_EXAMPLES 3
#define HIDDEN_SHOWN_CHARS 60
/* Hidden runs inside words from which the finding is high: a kit hides
 * junk in every word, a template slip hides one. */
#define HIDDEN_HIGH_RUNS 3
/* Hidden text outside words, in characters, from which it is more than a
 * newsletter's preheader (one line of 50-150 characters, padded with
 * a few hundred invisible spacers): the pages of unrelated prose kits hide
 * to dilute what filters read. */
#define HIDDEN_PADDING_CHARS 2000

typedef enum {
	KIND_MIXED,
	KIND_MATH,
	KIND_MARKS,
	KIND_INVISIBLE,
	KIND_COUNT,
} kind;

typedef struct {
	guint words;
	GPtrArray *examples; /* "\"written\" → \"shown\" (U+XXXX)" */
	bool shy_only;       /* every split of KIND_INVISIBLE was a soft hyphen */
} kind_record;

struct ks_obfuscation {
	kind_record kinds[KIND_COUNT];
};

ks_obfuscation *ks_obfuscation_new(void)
{
	ks_obfuscation *o = g_new0(ks_obfuscation, 1);
	for (int k = 0; k < KIND_COUNT; k++) {
		o->kinds[k].examples = g_ptr_array_new_with_free_func(g_free);
		o->kinds[k].shy_only = true;
	}
	return o;
}

void ks_obfuscation_free(ks_obfuscation *o)
{
	if (!o)
		return;
	for (int k = 0; k < KIND_COUNT; k++)
		g_ptr_array_unref(o->kinds[k].examples);
	g_free(o);
}

bool ks_obfuscation_found(const ks_obfuscation *o)
{
	for (int k = 0; o && k < KIND_COUNT; k++)
		if (o->kinds[k].words)
			return true;
	return false;
}

/* ---- characters ------------------------------------------------------------ */

typedef enum {
	SC_NONE,     /* not a letter, or a letter of no one script */
	SC_LATIN,
	SC_CYRILLIC,
	SC_GREEK,
	SC_LOOKALIKE, /* scripts whose letters pass for Latin ones (UTS #39
	                 confusables: Armenian, Cherokee, Coptic, Lisu ...) */
	SC_OTHER,     /* every other script, CJK included: never "mixed" */
} letter_script;

static letter_script script_of(gunichar c)
{
	if (!g_unichar_isalpha(c))
		return SC_NONE;
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_LATIN:
		return SC_LATIN;
	case G_UNICODE_SCRIPT_CYRILLIC:
		return SC_CYRILLIC;
	case G_UNICODE_SCRIPT_GREEK:
		return SC_GREEK;
	case G_UNICODE_SCRIPT_ARMENIAN:
	case G_UNICODE_SCRIPT_CHEROKEE:
	case G_UNICODE_SCRIPT_COPTIC:
	case G_UNICODE_SCRIPT_LISU:
	case G_UNICODE_SCRIPT_TAI_LE:
	case G_UNICODE_SCRIPT_CANADIAN_ABORIGINAL:
	case G_UNICODE_SCRIPT_VAI:
	case G_UNICODE_SCRIPT_TIFINAGH:
	case G_UNICODE_SCRIPT_OLD_ITALIC:
	case G_UNICODE_SCRIPT_RUNIC:
		return SC_LOOKALIKE;
	case G_UNICODE_SCRIPT_COMMON:
	case G_UNICODE_SCRIPT_INHERITED:
		return SC_NONE;
	default:
		return SC_OTHER;
	}
}

/* Scripts that separate words with spaces and need no joiner inside a
 * word: an invisible character between two of their letters splits a
 * word on purpose. */
static bool spaced_script(letter_script s)
{
	return s == SC_LATIN || s == SC_CYRILLIC || s == SC_GREEK || s == SC_LOOKALIKE;
}

static bool is_math(gunichar c)
{
	return c >= 0x1D400 && c <= 0x1D7FF;
}

/* Letterlike symbols (U+2100 block) that NFKC turns into a letter: the
 * double-struck and script capitals a styled word mixes in (ℂ, ℍ, ℝ). */
static bool is_letterlike(gunichar c)
{
	return c >= 0x2100 && c <= 0x214F && g_unichar_isalpha(c);
}

/* Invisible characters that split words: zero-width space, non-joiner,
 * joiner, word joiner, BOM, soft hyphen, Mongolian vowel separator,
 * invisible operators (Unicode's Default_Ignorable_Code_Point list). */
static bool is_invisible(gunichar c)
{
	return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF ||
	       c == 0x00AD || c == 0x180E || (c >= 0x2061 && c <= 0x2064);
}

static bool is_tag(gunichar c)
{
	return c >= 0xE0000 && c <= 0xE007F;
}

/* Variation selectors that letters never need (VS1-VS14 and the
 * supplement); VS15/VS16 choose text or emoji style and are left alone, as
 * are ideographic variation selectors after kanji (see is_foreign_mark). */
static bool is_variation_selector(gunichar c)
{
	return (c >= 0xFE00 && c <= 0xFE0D) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* Bidi controls end a word: the sanitizer shows and reports them. */
static bool is_bidi(gunichar c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
	       c == 0x200F || c == 0x061C;
}

static bool in_word(gunichar c)
{
	if (is_bidi(c))
		return false;
	if (g_unichar_isalnum(c) || g_unichar_ismark(c) || is_tag(c) || is_invisible(c))
		return true;
	return g_unichar_type(c) == G_UNICODE_FORMAT;
}

/* A mark that does not belong on base: a combining mark of another script
 * (Syriac ܿ on a Latin a), the combining grapheme joiner, overlays and
 * combining marks for symbols, a variation selector on a letter.  Accents
 * of the base's own script (and Inherited ones, U+0300 block) are fine. */
static bool is_foreign_mark(gunichar mark, gunichar base)
{
	letter_script bs = script_of(base);
	if (!spaced_script(bs))
		return false;
	if (is_variation_selector(mark) || mark == 0x034F || (mark >= 0x0336 && mark <= 0x0338) ||
	    (mark >= 0x20D0 && mark <= 0x20FF) || (mark >= 0xFE20 && mark <= 0xFE2F))
		return true;
	GUnicodeScript ms = g_unichar_get_script(mark);
	return ms != G_UNICODE_SCRIPT_INHERITED && ms != G_UNICODE_SCRIPT_COMMON &&
	       ms != g_unichar_get_script(base);
}

/* ---- recording -------------------------------------------------------------- */

static void append_codes(GString *s, const gunichar *codes, guint n)
{
	if (!n)
		return;
	g_string_append(s, " (");
	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, "%sU+%04X", i ? " " : "", codes[i]);
	g_string_append_c(s, ')');
}

/* Adds a distinct code point to a short list. */
static void note_code(gunichar *codes, guint *n, gunichar c)
{
	for (guint i = 0; i < *n; i++)
		if (codes[i] == c)
			return;
	if (*n < 4)
		codes[(*n)++] = c;
}

static void record(ks_obfuscation *o, kind k, const char *written, gsize wlen, const char *shown,
                   const gunichar *codes, guint ncodes)
{
	if (!o)
		return;
	kind_record *kr = &o->kinds[k];
	kr->words++;
	if (kr->examples->len >= EXAMPLES_MAX)
		return;
	GString *ex = g_string_new("\"");
	g_string_append_len(ex, written, (gssize)wlen);
	g_string_append_printf(ex, "\" shown as \"%s\"", shown);
	append_codes(ex, codes, ncodes);
	g_ptr_array_add(kr->examples, g_string_free(ex, FALSE));
}

/* ---- one word ---------------------------------------------------------------- */

/* Latin letters and their Cyrillic and Greek twins, for a Cyrillic or
 * Greek word with a Latin letter slipped in (UTS #39 confusables). */
static gunichar twin_of(gunichar latin, letter_script into)
{
	static const char latin_letters[] = "aceopxyABCEHKMOPTX";
	static const gunichar cyrillic[] = {0x0430, 0x0441, 0x0435, 0x043E, 0x0440, 0x0445,
	                                    0x0443, 0x0410, 0x0412, 0x0421, 0x0415, 0x041D,
	                                    0x041A, 0x041C, 0x041E, 0x0420, 0x0422, 0x0425};
	static const char greek_latin[] = "ABEHIKMNOPTXYZo";
	static const gunichar greek[] = {0x0391, 0x0392, 0x0395, 0x0397, 0x0399, 0x039A, 0x039C, 0x039D,
	                                 0x039F, 0x03A1, 0x03A4, 0x03A7, 0x03A5, 0x0396, 0x03BF};
	const char *from = into == SC_CYRILLIC ? latin_letters : greek_latin;
	const char *hit = latin < 0x80 ? strchr(from, (int)latin) : NULL;
	if (!hit || !latin)
		return 0;
	return into == SC_CYRILLIC ? cyrillic[hit - from] : greek[hit - from];
}

/* The ASCII letters a foreign letter passes for (its skeleton), or NULL. */
static char *ascii_lookalike(gunichar c)
{
	char buf[8];
	buf[g_unichar_to_utf8(c, buf)] = '\0';
	g_autofree char *sk = ks_lookalike_skeleton(buf);
	for (const char *p = sk; *p; p++)
		if (!g_ascii_isalpha(*p))
			return NULL;
	return *sk ? g_steal_pointer(&sk) : NULL;
}

typedef struct {
	guint letters[SC_OTHER + 1];
	guint math, invisible, shy, tags, foreign_marks;
	bool splits; /* an invisible character between two letters */
} word_census;

/* The letter before index i, skipping marks and format characters. */
static gunichar letter_before(const gunichar *w, guint i)
{
	while (i-- > 0)
		if (!g_unichar_ismark(w[i]) && !is_invisible(w[i]) && !is_tag(w[i]) &&
		    g_unichar_type(w[i]) != G_UNICODE_FORMAT)
			return g_unichar_isalpha(w[i]) ? w[i] : 0;
	return 0;
}

static gunichar letter_after(const gunichar *w, guint n, guint i)
{
	for (i++; i < n; i++)
		if (!g_unichar_ismark(w[i]) && !is_invisible(w[i]) && !is_tag(w[i]) &&
		    g_unichar_type(w[i]) != G_UNICODE_FORMAT)
			return g_unichar_isalpha(w[i]) ? w[i] : 0;
	return 0;
}

/* Is the invisible character at i a split of the word (letters of a
 * spaced script on both sides)? */
static bool splits_word(const gunichar *w, guint n, guint i)
{
	gunichar a = letter_before(w, i), b = letter_after(w, n, i);
	return a && b && spaced_script(script_of(a)) && spaced_script(script_of(b));
}

/* An ideographic variation selector (U+E0100 block) where no ideograph
 * stands before it: after a letter, a digit or nothing, it only hides in
 * the text ("3\U000E0139 6\U000E0139 5", "Co\U000E0139inbase"). */
static bool stray_selector(const gunichar *w, guint i)
{
	if (w[i] < 0xE0100 || w[i] > 0xE01EF)
		return false;
	while (i-- > 0)
		if (!g_unichar_ismark(w[i]))
			return g_unichar_get_script(w[i]) != G_UNICODE_SCRIPT_HAN;
	return true;
}

static void census(const gunichar *w, guint n, word_census *c)
{
	memset(c, 0, sizeof *c);
	for (guint i = 0; i < n; i++) {
		gunichar ch = w[i];
		if (stray_selector(w, i)) {
			c->foreign_marks++;
			continue;
		}
		if (is_math(ch)) {
			c->math++;
			continue;
		}
		letter_script s = script_of(ch);
		if (s != SC_NONE) {
			c->letters[s]++;
			continue;
		}
		if (is_invisible(ch)) {
			if (splits_word(w, n, i)) {
				c->splits = true;
				c->invisible++;
				c->shy += ch == 0x00AD;
			}
		} else if (is_tag(ch)) {
			if (letter_before(w, i))
				c->tags++;
		} else if (g_unichar_ismark(ch)) {
			gunichar base = letter_before(w, i);
			if (base && is_foreign_mark(ch, base))
				c->foreign_marks++;
		}
	}
}

/* Mixed: Latin with look-alike letters of another spaced script.  Greek
 * letters count only when they pass for Latin ones: "5μm" or "10kΩ" is a
 * unit, not a disguise. */
static bool is_mixed(const gunichar *w, guint n, const word_census *c)
{
	guint latin = c->letters[SC_LATIN];
	guint foreign = c->letters[SC_CYRILLIC] + c->letters[SC_GREEK] + c->letters[SC_LOOKALIKE];
	if (!latin || !foreign)
		return false;
	if (latin < foreign)
		return true; /* a Cyrillic or Greek word with Latin letters in it */
	if (c->letters[SC_CYRILLIC] || c->letters[SC_LOOKALIKE])
		return true;
	for (guint i = 0; i < n; i++) {
		if (script_of(w[i]) != SC_GREEK)
			continue;
		g_autofree char *a = ascii_lookalike(w[i]);
		if (a)
			return true;
	}
	return false;
}

/* The script a mixed word is meant in: Latin when each of its Cyrillic or
 * Greek letters passes for a Latin one ("Rеаdу", "іnvоісе": English in
 * Cyrillic look-alikes; letters of the rarer look-alike scripts always
 * stand in for Latin ones), else Cyrillic or Greek ("пpивет" with a Latin
 * p is Russian). */
static letter_script reading_script(const gunichar *w, guint n, const word_census *c)
{
	bool all_pass = true;
	for (guint i = 0; i < n && all_pass; i++) {
		letter_script s = script_of(w[i]);
		if (s != SC_CYRILLIC && s != SC_GREEK)
			continue;
		g_autofree char *a = ascii_lookalike(w[i]);
		all_pass = a != NULL;
	}
	if (all_pass)
		return SC_LATIN;
	return c->letters[SC_CYRILLIC] >= c->letters[SC_GREEK] ? SC_CYRILLIC : SC_GREEK;
}

/* Does a soft-hyphen-only split chop the word into short pieces? */
static bool shy_chops(const word_census *c)
{
	guint letters = 0;
	for (int s = SC_LATIN; s <= SC_OTHER; s++)
		letters += c->letters[s];
	guint pieces = c->shy + 1;
	return pieces >= SHY_PIECES_MIN && letters < pieces * SHY_PIECE_LETTERS;
}

/* Appends the NFKC form of a mathematical or letterlike character. */
static void append_nfkc(GString *out, gunichar c)
{
	char buf[8];
	int n = g_unichar_to_utf8(c, buf);
	g_autofree char *k = g_utf8_normalize(buf, n, G_NORMALIZE_NFKC);
	g_string_append(out, k ? k : buf);
}

/* Cleans one word w[0..n) (its UTF-8 at src[0..len)) into out, recording
 * each kind found. */
static void clean_word(const char *src, gsize len, const gunichar *w, guint n, GString *out,
                       ks_obfuscation *o)
{
	word_census c;
	census(w, n, &c);
	bool math = c.math > 0;
	bool mixed = is_mixed(w, n, &c);
	bool marks = c.foreign_marks + c.tags > 0;
	bool invisible = c.splits && (c.invisible > c.shy || shy_chops(&c) || math || mixed || marks);
	if (!math && !mixed && !marks && !invisible) {
		g_string_append_len(out, src, (gssize)len);
		return;
	}
	letter_script major = mixed ? reading_script(w, n, &c) : SC_LATIN;
	gunichar codes[KIND_COUNT][4];
	guint ncodes[KIND_COUNT] = {0};
	gsize start = out->len;
	for (guint i = 0; i < n; i++) {
		gunichar ch = w[i];
		if (is_math(ch) || (math && is_letterlike(ch))) {
			note_code(codes[KIND_MATH], &ncodes[KIND_MATH], ch);
			append_nfkc(out, ch);
			continue;
		}
		if (is_invisible(ch) && invisible && splits_word(w, n, i)) {
			note_code(codes[KIND_INVISIBLE], &ncodes[KIND_INVISIBLE], ch);
			continue;
		}
		/* once the word is known to carry them, every tag character and
		 * stray variation selector goes, at its edges too */
		if ((is_tag(ch) && (marks || letter_before(w, i))) ||
		    (marks && is_variation_selector(ch)) || stray_selector(w, i)) {
			note_code(codes[KIND_MARKS], &ncodes[KIND_MARKS], ch);
			continue;
		}
		if (g_unichar_ismark(ch)) {
			gunichar base = letter_before(w, i);
			if (base && is_foreign_mark(ch, base)) {
				note_code(codes[KIND_MARKS], &ncodes[KIND_MARKS], ch);
				continue;
			}
		}
		letter_script s = script_of(ch);
		if (mixed && major == SC_LATIN && s != SC_LATIN && spaced_script(s)) {
			g_autofree char *a = ascii_lookalike(ch);
			note_code(codes[KIND_MIXED], &ncodes[KIND_MIXED], ch);
			if (a) {
				g_string_append(out, a);
				continue;
			}
		} else if (mixed && major != SC_LATIN && s == SC_LATIN) {
			note_code(codes[KIND_MIXED], &ncodes[KIND_MIXED], ch);
			gunichar twin = twin_of(ch, major);
			if (twin) {
				g_string_append_unichar(out, twin);
				continue;
			}
		}
		g_string_append_unichar(out, ch);
	}
	g_autofree char *shown = g_strndup(out->str + start, out->len - start);
	if (mixed)
		record(o, KIND_MIXED, src, len, shown, codes[KIND_MIXED], ncodes[KIND_MIXED]);
	if (math)
		record(o, KIND_MATH, src, len, shown, NULL, 0);
	if (marks)
		record(o, KIND_MARKS, src, len, shown, codes[KIND_MARKS], ncodes[KIND_MARKS]);
	if (invisible) {
		record(o, KIND_INVISIBLE, src, len, shown, codes[KIND_INVISIBLE], ncodes[KIND_INVISIBLE]);
		if (o && c.invisible > c.shy)
			o->kinds[KIND_INVISIBLE].shy_only = false;
	}
}

/* ---- the text ----------------------------------------------------------------- */

char *ks_obfuscation_clean(const char *text, ks_obfuscation *o)
{
	if (!text)
		return NULL;
	gsize len = strlen(text);
	/* ASCII alone disguises nothing here (most mail): one pass to see */
	const char *p8 = text;
	while (*p8 && (guchar)*p8 < 0x80)
		p8++;
	if (!*p8)
		return g_strdup(text);
	GString *out = g_string_sized_new(len + 1);
	gunichar w[WORD_MAX];
	const char *p = text, *end = text + len;
	while (p < end) {
		guchar b = (guchar)*p;
		if (b < 0x80 && !g_ascii_isalnum(b)) {
			g_string_append_c(out, (char)b);
			p++;
			continue;
		}
		/* a word: ASCII letters and digits, and characters in_word() */
		const char *q = p;
		guint n = 0;
		bool ascii = true, look = false;
		while (q < end) {
			guchar qb = (guchar)*q;
			if (qb < 0x80) {
				if (!g_ascii_isalnum(qb))
					break;
				if (n < WORD_MAX)
					w[n] = qb;
				n++;
				q++;
				continue;
			}
			/* a kanji or kana is a letter of a script without spaces, with
			 * nothing to look at: no table look-up */
			gunichar c = ks_utf8_plain_cjk_at(q, end);
			bool plain = c != 0;
			if (!plain)
				c = g_utf8_get_char_validated(q, end - q);
			if (!plain && (c == (gunichar)-1 || c == (gunichar)-2 || !in_word(c)))
				break;
			ascii = false;
			/* only words with a letter of a spaced script, a mathematical
			 * letter, or a mark, tag or invisible character need a look */
			if (!look && !plain)
				look = is_math(c) || is_tag(c) || is_invisible(c) || g_unichar_ismark(c) ||
				       spaced_script(script_of(c));
			if (n < WORD_MAX)
				w[n] = c;
			n++;
			q = g_utf8_next_char(q);
		}
		if (q == p) {
			/* a non-ASCII character outside words, or invalid UTF-8 */
			gunichar c = g_utf8_get_char_validated(p, end - p);
			const char *next = (c == (gunichar)-1 || c == (gunichar)-2) ? p + 1
			                                                          : g_utf8_next_char(p);
			g_string_append_len(out, p, next - p);
			p = next;
			continue;
		}
		if (ascii || !look || n > WORD_MAX)
			g_string_append_len(out, p, q - p);
		else
			clean_word(p, (gsize)(q - p), w, n, out, o);
		p = q;
	}
	return g_string_free(out, FALSE);
}

/* ---- findings ------------------------------------------------------------------ */

static const struct {
	const char *what;    /* "%u word(s) ..." */
	ks_severity severity;
} kind_text[KIND_COUNT] = {
	[KIND_MIXED] = {"mix Latin with look-alike letters of another script", KS_SEV_MEDIUM},
	[KIND_MATH] = {"are written in mathematical letters", KS_SEV_LOW},
	[KIND_MARKS] = {"carry marks, variation selectors or tag characters between letters",
	                KS_SEV_MEDIUM},
	[KIND_INVISIBLE] = {"are split by invisible characters", KS_SEV_MEDIUM},
};

void ks_obfuscation_report(const ks_obfuscation *o, const char *location, ks_report *r)
{
	if (!o || !r)
		return;
	for (int k = 0; k < KIND_COUNT; k++) {
		const kind_record *kr = &o->kinds[k];
		if (!kr->words)
			continue;
		ks_severity sev = kind_text[k].severity;
		if (k == KIND_INVISIBLE && kr->words < INVISIBLE_MEDIUM_WORDS)
			sev = KS_SEV_LOW;
		g_autoptr(GString) ev = g_string_new(NULL);
		g_string_append_printf(ev, "%u word%s %s: ", kr->words, kr->words == 1 ? "" : "s",
		                       kind_text[k].what);
		for (guint i = 0; i < kr->examples->len; i++)
			g_string_append_printf(ev, "%s%s", i ? ", " : "",
			                       (const char *)g_ptr_array_index(kr->examples, i));
		if (kr->words > kr->examples->len)
			g_string_append(ev, ", ...");
		if (k == KIND_INVISIBLE && kr->shy_only)
			g_string_append(ev, " (soft hyphens)");
		ks_report_add_finding_sev(r, KS_RULE_CONTENT_OBFUSCATED_TEXT, sev, location, "%s",
		                          ev->str);
	}
}

/* The first chars characters of s, with "..." when cut. */
static char *shorten(const char *s, glong chars)
{
	if (!g_utf8_validate(s, -1, NULL) || g_utf8_strlen(s, -1) <= chars)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, chars);
	return g_strconcat(head, "...", NULL);
}

void ks_obfuscation_report_hidden(const GPtrArray *hidden, const char *location, ks_report *r)
{
	if (!hidden || !hidden->len || !r)
		return;
	g_autoptr(GString) inside = g_string_new(NULL);
	g_autoptr(GString) blocks = g_string_new(NULL);
	guint n_inside = 0, n_blocks = 0;
	gsize block_chars = 0;
	for (guint i = 0; i < hidden->len; i++) {
		const ks_html_hidden *h = g_ptr_array_index(hidden, i);
		g_autofree char *text = shorten(h->text, HIDDEN_SHOWN_CHARS);
		if (h->shown) {
			if (n_inside++ < HIDDEN_EXAMPLES)
				g_string_append_printf(inside, "%s\"%s\" hidden in \"%s\" (%s)",
				                       inside->len ? ", " : "", text, h->shown, h->how);
		} else {
			block_chars += g_utf8_strlen(h->text, -1);
			if (n_blocks++ < HIDDEN_EXAMPLES)
				g_string_append_printf(blocks, "%s\"%s\" (%s)", blocks->len ? ", " : "", text,
				                       h->how);
		}
	}
	if (n_inside) {
		ks_severity sev = n_inside >= HIDDEN_HIGH_RUNS ? KS_SEV_HIGH : KS_SEV_MEDIUM;
		ks_report_add_finding_sev(r, KS_RULE_CONTENT_OBFUSCATED_TEXT, sev, location,
		                          "hidden HTML text inside %u word%s, dropped from the shown "
		                          "text: %s%s",
		                          n_inside, n_inside == 1 ? "" : "s", inside->str,
		                          n_inside > HIDDEN_EXAMPLES ? ", ..." : "");
	}
	/* a preheader is a line; pages of hidden prose are there for filters */
	if (n_blocks)
		ks_report_add_finding_sev(r, KS_RULE_CONTENT_OBFUSCATED_TEXT,
		                          block_chars >= HIDDEN_PADDING_CHARS ? KS_SEV_LOW : KS_SEV_INFO,
		                          location,
		                          "%u block%s of hidden HTML text (%zu characters), dropped "
		                          "from the shown text: %s%s",
		                          n_blocks, n_blocks == 1 ? "" : "s", (size_t)block_chars,
		                          blocks->str, n_blocks > HIDDEN_EXAMPLES ? ", ..." : "");
}
