/* Lure words as data, and a matcher over normalised text.
 *
 * Word lists live in sectioned data files (analyzers/data/lures_<lang>.txt,
 * campaign_*.txt): each line is "section: entry".  Text and entries are
 * compared after the same folding (NFKC, case folding, blank runs collapsed
 * to one space, Latin letters without diacritics, HTML character references
 * decoded), so "ＣＥＯ" matches "CEO", "seguranca" matches "segurança" and
 * half-width katakana matches full-width.  Entries that start or end with a
 * Latin-script letter or digit match only at word boundaries ("ssl" is not
 * found in "tassle"); CJK entries match as substrings.  An entry may spell
 * several phrases with groups of alternatives: "account {has been|was}
 * {locked|suspended}" is four. */
#ifndef KS_LURES_H
#define KS_LURES_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
	const char *entry;   /* as written in the data file ("{a|b}" groups expanded) */
	const char *folded;  /* what is matched */
	size_t folded_len;   /* strlen(folded) */
	const char *section; /* the section it came from (interned) */
	bool word_start, word_end; /* needs a word boundary on that side */
} ks_lure_term;

/* The terms of one section of a sectioned data file, in file order; file
 * NULL means every lures_<lang>.txt together.  Static lifetime, thread-safe;
 * an empty array when the section has no entries. */
const GPtrArray *ks_lures_section(const char *file, const char *section);

/* True when entry (folded) is a term of that section: for word lists such as
 * domain tokens, where the whole string must be one entry. */
bool ks_lures_contains(const char *file, const char *section, const char *word);

/* A text prepared for matching.  display is the NFKC text (evidence is cut
 * from it), folded is what is searched, map[i] is the display offset of
 * folded byte i (map[len] = strlen(display)); pairs and triples are
 * bitmaps of the adjacent byte pairs and (hashed) triples of folded, so that
 * a term holding a pair or a triple the text lacks is passed over without a
 * search (NULL for a short text: every term is searched). */
typedef struct {
	char *display;
	char *folded;
	guint32 *map;
	size_t len; /* strlen(folded) */
	guint8 *pairs;   /* 65536 bits, bit (a << 8 | b) for each "ab" in folded */
	guint8 *triples; /* 65536 bits, a hash of each "abc" in folded */
} ks_lure_text;

/* Folds at most max_bytes of utf8 (cut at a character boundary); invalid
 * UTF-8 is replaced.  NULL text gives an empty text. */
ks_lure_text *ks_lure_text_new(const char *utf8, size_t max_bytes);
void ks_lure_text_free(ks_lure_text *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_lure_text, ks_lure_text_free)

typedef struct {
	const ks_lure_term *term;
	size_t start, end; /* byte offsets in t->folded */
} ks_lure_hit;

/* Every occurrence of the section's terms in t, sorted by position, at most
 * max of them.  GArray of ks_lure_hit; free with g_array_unref. */
GArray *ks_lure_text_find(const ks_lure_text *t, const char *file, const char *section,
                          guint max);

/* The same for every section whose name starts with prefix ("phish."), in
 * every lures_<lang>.txt, found in one pass over the text: each entry is
 * matched as a pattern of its "{a|b}" groups, indexed by the bytes it can
 * begin with, never expanded (the phish.* sections spell tens of thousands
 * of phrases).  Each hit's term (static lifetime) has the matched phrase as
 * the data spells it and the section it came from; at one place, the
 * longest way through an entry counts.  At most max hits, the earliest. */
GArray *ks_lure_text_find_prefixed(const ks_lure_text *t, const char *prefix, guint max);

/* True when entry compiles as a pattern for ks_lure_text_find_prefixed
 * (something to match, not too many groups): for tests of the data. */
bool ks_lure_entry_check(const char *entry);

/* True when no sentence end (. ! ? 。 ！ ？ or a line break) lies between the
 * two hits and they are at most max_gap characters apart. */
bool ks_lure_text_same_sentence(const ks_lure_text *t, const ks_lure_hit *a,
                                const ks_lure_hit *b, guint max_gap);

/* True when no paragraph break (a blank line) lies between the two hits and
 * they are at most max_gap characters apart: a mail footer is one paragraph
 * of several sentences. */
bool ks_lure_text_same_paragraph(const ks_lure_text *t, const ks_lure_hit *a,
                                 const ks_lure_hit *b, guint max_gap);

/* True when folded offset pos lies on a line of the display text that
 * starts with '>' (a quoted reply). */
bool ks_lure_text_quoted(const ks_lure_text *t, size_t pos);

/* The display text around [start, end) of folded, widened by up to `around`
 * characters each side, on one line, quoted.  g_free. */
char *ks_lure_text_context(const ks_lure_text *t, size_t start, size_t end, guint around);

/* The distinct entries of hits, in order, joined by ", ".  g_free. */
char *ks_lure_hits_join(const GArray *hits);

#endif
