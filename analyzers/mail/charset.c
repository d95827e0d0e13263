/* Charset conversion, RFC 2047 and RFC 2231 decoding.
 *
 * Why not GMime's own decoders: real Japanese mail breaks them.  Outlook
 * labels CP932 text "Shift_JIS" and CP50220 text "ISO-2022-JP" (NEC row 13:
 * ① ㈱ ㍉; IBM extensions: 髙 﨑), encoders split one character across two
 * encoded-words or carry the ISO-2022-JP shift state from one word to the
 * next, and GMime 3.2.13 drops the second of two adjacent B-words when the
 * first ends in '=' padding.  So encoded-words are decoded to bytes one by
 * one, joined per charset, then converted; ISO-2022-JP is decoded here by
 * mapping JIS X 0208 rows onto Shift_JIS and converting with CP932, which
 * carries the NEC and IBM extension rows. */
#include "mail/charset.h"
#include "core/sanitize.h"

#include <string.h>

static bool has_8bit(const char *s, gsize len)
{
	/* eight bytes a step: every text part of every message comes here */
	gsize i = 0;
	for (; i + 8 <= len; i += 8) {
		guint64 w;
		memcpy(&w, s + i, 8);
		if (w & G_GUINT64_CONSTANT(0x8080808080808080))
			return true;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

bool ks_charset_has_jis_escapes(const char *bytes, gsize len)
{
	/* from one ESC to the next (memchr): most text has none */
	for (const char *e = bytes, *end = bytes + len;
	     (e = memchr(e, 0x1B, (gsize)(end - e))) != NULL; e++)
		if (end - e >= 3 && e[1] == '$' && (e[2] == 'B' || e[2] == '@' || e[2] == '('))
			return true;
	return false;
}

/* Open conversion descriptors, per thread, by source charset.  Opening one
 * costs a gconv lookup, and glibc unloads a converter module soon after its
 * last descriptor closes, so a fresh iconv_open per encoded-word maps the
 * module in again each time.  A thread keeps the few it uses (CP932 and
 * EUC-JP-MS for ISO-2022-JP; the charsets of the mail at hand), resets one
 * before each use and closes them all when it ends. */
#define ICONV_KEPT 8

typedef struct {
	char *from[ICONV_KEPT];
	GIConv cd[ICONV_KEPT]; /* (GIConv)-1: the charset is not supported */
	guint next;            /* the slot to reuse when all are taken */
} iconv_table;

static void iconv_table_free(gpointer data)
{
	iconv_table *t = data;
	for (guint i = 0; i < ICONV_KEPT; i++) {
		if (t->from[i] && t->cd[i] != (GIConv)-1)
			g_iconv_close(t->cd[i]);
		g_free(t->from[i]);
	}
	g_free(t);
}

static GPrivate iconv_tables = G_PRIVATE_INIT(iconv_table_free);

/* A descriptor from `from` to UTF-8 in its initial state, or (GIConv)-1;
 * owned by the thread's table: never closed by the caller. */
static GIConv iconv_get(const char *from)
{
	iconv_table *t = g_private_get(&iconv_tables);
	if (!t) {
		t = g_new0(iconv_table, 1);
		g_private_set(&iconv_tables, t);
	}
	for (guint i = 0; i < ICONV_KEPT && t->from[i]; i++) {
		if (strcmp(t->from[i], from) == 0) {
			if (t->cd[i] != (GIConv)-1)
				g_iconv(t->cd[i], NULL, NULL, NULL, NULL);
			return t->cd[i];
		}
	}
	guint slot = t->next;
	t->next = (t->next + 1) % ICONV_KEPT;
	if (t->from[slot] && t->cd[slot] != (GIConv)-1)
		g_iconv_close(t->cd[slot]);
	g_free(t->from[slot]);
	t->from[slot] = g_strdup(from);
	t->cd[slot] = g_iconv_open("UTF-8", from);
	return t->cd[slot];
}

/* Converts with iconv, replacing each unconvertible byte by U+FFFD and going on. */
static char *iconv_convert(const char *bytes, gsize len, const char *from, bool *lossy,
                           bool *unsupported)
{
	GIConv cd = iconv_get(from);
	if (cd == (GIConv)-1) {
		if (unsupported)
			*unsupported = true;
		return NULL;
	}
	GString *out = g_string_sized_new(len * 2 + 4);
	char buf[4096];
	char *in = (char *)bytes;
	gsize inleft = len;
	bool bad = false;
	while (inleft > 0) {
		char *o = buf;
		gsize oleft = sizeof buf;
		gsize rc = g_iconv(cd, &in, &inleft, &o, &oleft);
		g_string_append_len(out, buf, o - buf);
		if (rc == (gsize)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ or EINVAL (truncated): skip one byte */
			g_string_append(out, "\xEF\xBF\xBD");
			bad = true;
			in++;
			inleft--;
			g_iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	/* flush the shift state */
	char *o = buf;
	gsize oleft = sizeof buf;
	g_iconv(cd, NULL, NULL, &o, &oleft);
	g_string_append_len(out, buf, o - buf);
	if (lossy)
		*lossy = bad;
	return g_string_free(out, FALSE);
}

/* ISO-2022-JP (RFC 1468) and its real-world supersets (CP50220/50221,
 * ISO-2022-JP-1/2/3 designations), decoded by turning JIS X 0208 pairs into
 * Shift_JIS and converting runs with CP932 (NEC row 13 -> 0x87xx, IBM rows
 * 89-92 -> 0xEDxx/0xEExx exactly as Windows does). */
static char *decode_iso2022jp(const char *s, gsize len, bool *lossy)
{
	enum { ASCII, KANA, JIS0208, JIS0212 } mode = ASCII;
	GString *out = g_string_sized_new(len * 2);
	GString *run = g_string_new(NULL); /* pending CP932 or EUC-JP bytes */
	bool run_is_euc = false;
	bool bad = false;

#define FLUSH()                                                                               \
	do {                                                                                  \
		if (run->len) {                                                               \
			bool l = false;                                                       \
			char *u = iconv_convert(run->str, run->len,                           \
			                        run_is_euc ? "EUC-JP-MS" : "CP932", &l, NULL); \
			if (u) {                                                              \
				g_string_append(out, u);                                      \
				g_free(u);                                                    \
			}                                                                     \
			bad |= l;                                                             \
			g_string_truncate(run, 0);                                            \
		}                                                                             \
	} while (0)

	gsize i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x1B && i + 2 < len) {
			const char *e = s + i + 1;
			gsize skip = 0;
			if (e[0] == '(' && (e[1] == 'B' || e[1] == 'J' || e[1] == 'H'))
				mode = ASCII, skip = 3;
			else if (e[0] == '(' && e[1] == 'I')
				mode = KANA, skip = 3;
			else if (e[0] == '$' && (e[1] == 'B' || e[1] == '@'))
				mode = JIS0208, skip = 3;
			else if (e[0] == '$' && e[1] == '(' && i + 3 < len &&
			         (e[2] == 'B' || e[2] == 'Q' || e[2] == 'O'))
				mode = JIS0208, skip = 4; /* JIS X 0213 plane 1: 0208 superset */
			else if (e[0] == '$' && e[1] == '(' && i + 3 < len && e[2] == 'D')
				mode = JIS0212, skip = 4;
			else if (e[0] == '&' && e[1] == '@' && i + 5 < len)
				skip = 3; /* JIS X 0208-1990 announcer; the ESC $ B follows */
			if (skip) {
				FLUSH();
				i += skip;
				continue;
			}
		}
		if (c == 0x0E) { /* SO: half-width katakana (CP50221) */
			FLUSH();
			mode = KANA;
			i++;
			continue;
		}
		if (c == 0x0F) { /* SI */
			FLUSH();
			mode = ASCII;
			i++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			/* a line end returns to ASCII in practice (RFC 1468 requires it) */
			FLUSH();
			g_string_append_c(out, (char)c);
			if (mode != KANA)
				mode = ASCII;
			i++;
			continue;
		}
		if ((mode == JIS0208 || mode == JIS0212) && c >= 0x21 && c <= 0x7E && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x21 && (unsigned char)s[i + 1] <= 0x7E) {
			unsigned c1 = c, c2 = (unsigned char)s[i + 1];
			bool want_euc = mode == JIS0212;
			if (run->len && run_is_euc != want_euc)
				FLUSH();
			run_is_euc = want_euc;
			if (want_euc) {
				g_string_append_c(run, (char)0x8F);
				g_string_append_c(run, (char)(c1 | 0x80));
				g_string_append_c(run, (char)(c2 | 0x80));
			} else {
				/* JIS X 0208 row/cell to Shift_JIS (JIS X 0208:1997 annex 1) */
				unsigned s1 = ((c1 + 1) >> 1) + 0x70;
				if (s1 >= 0xA0)
					s1 += 0x40;
				unsigned s2;
				if (c1 & 1)
					s2 = c2 + (c2 >= 0x60 ? 0x20 : 0x1F);
				else
					s2 = c2 + 0x7E;
				g_string_append_c(run, (char)s1);
				g_string_append_c(run, (char)s2);
			}
			i += 2;
			continue;
		}
		if (mode == KANA && c >= 0x21 && c <= 0x5F) {
			if (run->len && run_is_euc)
				FLUSH();
			run_is_euc = false;
			g_string_append_c(run, (char)(c + 0x80));
			i++;
			continue;
		}
		if (c >= 0x80) {
			/* 8-bit inside ISO-2022-JP: senders that mixed in raw CP932 */
			if (run->len && run_is_euc)
				FLUSH();
			run_is_euc = false;
			g_string_append_c(run, (char)c);
			i++;
			continue;
		}
		FLUSH();
		g_string_append_c(out, (char)c);
		i++;
	}
	FLUSH();
#undef FLUSH
	g_string_free(run, TRUE);
	if (lossy)
		*lossy = bad;
	return g_string_free(out, FALSE);
}

typedef enum { CS_UTF8, CS_JIS, CS_GUESS, CS_ICONV } cs_kind;

/* Maps a declared charset to what really decodes it (WHATWG Encoding
 * Standard labels, plus the Japanese supersets Windows actually sends). */
static cs_kind classify(const char *charset, const char **iconv_name)
{
	*iconv_name = NULL;
	if (!charset || !*charset)
		return CS_GUESS;
	g_autofree char *c = g_ascii_strdown(charset, -1);
	g_strstrip(c);
	/* RFC 2231 language suffix: "iso-2022-jp*ja" */
	char *star = strchr(c, '*');
	if (star)
		*star = '\0';
	static const struct {
		const char *label;
		cs_kind kind;
		const char *iconv;
	} map[] = {
		{"utf-8", CS_UTF8, NULL},           {"utf8", CS_UTF8, NULL},
		{"unicode-1-1-utf-8", CS_UTF8, NULL}, {"x-unicode20utf8", CS_UTF8, NULL},
		{"us-ascii", CS_GUESS, NULL},       {"ascii", CS_GUESS, NULL},
		{"ansi_x3.4-1968", CS_GUESS, NULL}, {"iso-2022-jp", CS_JIS, NULL},
		{"iso-2022-jp-1", CS_JIS, NULL},    {"iso-2022-jp-2", CS_JIS, NULL},
		{"iso-2022-jp-3", CS_JIS, NULL},    {"iso-2022-jp-ms", CS_JIS, NULL},
		{"csiso2022jp", CS_JIS, NULL},      {"cp50220", CS_JIS, NULL},
		{"cp50221", CS_JIS, NULL},          {"cp50222", CS_JIS, NULL},
		{"shift_jis", CS_ICONV, "CP932"},   {"shift-jis", CS_ICONV, "CP932"},
		{"sjis", CS_ICONV, "CP932"},        {"x-sjis", CS_ICONV, "CP932"},
		{"ms_kanji", CS_ICONV, "CP932"},    {"csshiftjis", CS_ICONV, "CP932"},
		{"windows-31j", CS_ICONV, "CP932"}, {"cp932", CS_ICONV, "CP932"},
		{"x-ms-cp932", CS_ICONV, "CP932"},  {"euc-jp", CS_ICONV, "EUC-JP-MS"},
		{"x-euc-jp", CS_ICONV, "EUC-JP-MS"}, {"eucjp", CS_ICONV, "EUC-JP-MS"},
		{"cseucpkdfmtjapanese", CS_ICONV, "EUC-JP-MS"},
		{"gb2312", CS_ICONV, "GB18030"},    {"gbk", CS_ICONV, "GB18030"},
		{"x-gbk", CS_ICONV, "GB18030"},     {"cp936", CS_ICONV, "GB18030"},
		{"euc-cn", CS_ICONV, "GB18030"},    {"gb_2312-80", CS_ICONV, "GB18030"},
		{"chinese", CS_ICONV, "GB18030"},   {"big5", CS_ICONV, "BIG5-HKSCS"},
		{"x-big5", CS_ICONV, "BIG5-HKSCS"}, {"cn-big5", CS_ICONV, "BIG5-HKSCS"},
		{"ks_c_5601-1987", CS_ICONV, "CP949"}, {"euc-kr", CS_ICONV, "CP949"},
		{"ks_c_5601", CS_ICONV, "CP949"},   {"iso-8859-1", CS_ICONV, "WINDOWS-1252"},
		{"latin1", CS_ICONV, "WINDOWS-1252"}, {"iso_8859-1", CS_ICONV, "WINDOWS-1252"},
		{"l1", CS_ICONV, "WINDOWS-1252"},   {"cp1252", CS_ICONV, "WINDOWS-1252"},
		{"iso-8859-9", CS_ICONV, "WINDOWS-1254"}, {"tis-620", CS_ICONV, "CP874"},
		{"iso-8859-11", CS_ICONV, "CP874"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
		if (strcmp(c, map[i].label) == 0) {
			*iconv_name = map[i].iconv;
			return map[i].kind;
		}
	}
	*iconv_name = NULL;
	return CS_ICONV;
}

/* Labels of the single-byte charsets (ISO 8859, Windows code pages,
 * KOI8, Thai), by prefix. */
static bool single_byte_charset(const char *name)
{
	static const char *const prefixes[] = {"iso-8859-", "iso8859-", "iso_8859-", "windows-125",
	                                       "cp125",     "koi8",     "cp874",     "latin"};
	for (size_t i = 0; name && i < G_N_ELEMENTS(prefixes); i++)
		if (g_ascii_strncasecmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static char *valid_utf8_or_replace(const char *bytes, gsize len, bool *lossy)
{
	if (g_utf8_validate_len(bytes, len, NULL)) {
		if (lossy)
			*lossy = false;
		return g_strndup(bytes, len);
	}
	if (lossy)
		*lossy = true;
	return g_utf8_make_valid(bytes, len);
}

/* UTF-8 with a few broken bytes: at least two well-formed multibyte
 * characters and at most one bad byte per four of them.  Senders cut raw
 * UTF-8 names at a byte limit mid-character (Yahoo's filename in flanker's
 * russian-attachment-yahoo.eml ends in a lone 0xD0); Latin-1 and CP932 text
 * almost never forms that many valid UTF-8 sequences. */
static bool mostly_utf8(const char *bytes, gsize len)
{
	gsize good = 0, bad = 0;
	const char *p = bytes, *end = bytes + len;
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			bad++;
			p++;
			continue;
		}
		if (c >= 0x80)
			good++;
		p = g_utf8_next_char(p);
	}
	return good >= 2 && bad * 4 <= good;
}

/* Charsets whose code units hold zero bytes: UTF-16, UTF-32, UCS-2/4. */
static bool wide_charset(const char *name)
{
	static const char *const prefixes[] = {"utf-16", "utf16", "utf-32", "utf32", "ucs-2",
	                                       "ucs2",   "ucs-4", "ucs4",   "unicode"};
	for (size_t i = 0; name && i < G_N_ELEMENTS(prefixes); i++)
		if (g_ascii_strncasecmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* ---- guessing unlabelled 8-bit text by plausibility ------------------------
 *
 * The same bytes decode cleanly in several charsets: Latin-1 "Formação" is
 * CP932 "Forma鈬o", "Frösche" is CP932 "Fr" + a user-defined character.  So
 * each candidate's text is judged, character by character, for signs that
 * the guess is wrong: private-use, unassigned or replacement characters, C1
 * controls; a kanji outside JIS X 0208 level 1 (the 2,965 in everyday use)
 * beside a Latin letter, or any kanji between Latin letters; a lone pair of
 * half-width katakana glued to Latin letters; a foreign letter inside a
 * Latin word; three Western accented letters or symbols in a row.  Against
 * them count signs of the right guess: kana and everyday kanji, and accented
 * letters inside Latin words.  Japanese is taken first when it reads
 * plausibly (see plausible_japanese); otherwise the best score wins. */

/* JIS X 0208 level 1 (rows 16-47) as a bitmap over U+4E00..U+9FFF, built
 * once by decoding those rows through CP932. */
#define HAN_FIRST 0x4E00
#define HAN_LAST 0x9FFF

static gpointer level1_build(gpointer unused)
{
	guint8 *bits = g_malloc0((HAN_LAST - HAN_FIRST + 1 + 7) / 8);
	GString *jis = g_string_new("\x1B$B");
	for (int row = 0x30; row <= 0x4F; row++) /* rows 16..47 */
		for (int cell = 0x21; cell <= 0x7E; cell++) {
			g_string_append_c(jis, (char)row);
			g_string_append_c(jis, (char)cell);
		}
	g_autofree char *utf8 = decode_iso2022jp(jis->str, jis->len, NULL);
	g_string_free(jis, TRUE);
	for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= HAN_FIRST && c <= HAN_LAST)
			bits[(c - HAN_FIRST) / 8] |= (guint8)(1u << ((c - HAN_FIRST) % 8));
	}
	return bits;
}

static bool kanji_level1(gunichar c)
{
	static GOnce once = G_ONCE_INIT;
	const guint8 *bits = g_once(&once, level1_build, NULL);
	return c >= HAN_FIRST && c <= HAN_LAST &&
	       (bits[(c - HAN_FIRST) / 8] >> ((c - HAN_FIRST) % 8) & 1);
}

static bool ascii_letter(gunichar c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_han(gunichar c)
{
	return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static bool is_halfwidth_kana(gunichar c)
{
	return c >= 0xFF61 && c <= 0xFF9F;
}

/* kana, CJK punctuation and full-width forms */
static bool is_kana_or_cjk_mark(gunichar c)
{
	return (c >= 0x3000 && c <= 0x30FF) || (c >= 0xFF01 && c <= 0xFF60);
}

static bool is_japanese(gunichar c)
{
	return is_han(c) || is_kana_or_cjk_mark(c) || is_halfwidth_kana(c);
}

/* Latin-1 Supplement to Spacing Modifiers, general punctuation and the euro
 * sign: what windows-1252 and ISO 8859 make of bytes 0x80-0xFF */
static bool is_western(gunichar c)
{
	return (c >= 0x80 && c <= 0x2FF) || (c >= 0x2010 && c <= 0x20CF) || c == 0x2122;
}

static bool is_wrong_char(gunichar c)
{
	GUnicodeType t = g_unichar_type(c);
	return c == 0xFFFD || (c >= 0x80 && c <= 0x9F) || t == G_UNICODE_PRIVATE_USE ||
	       t == G_UNICODE_UNASSIGNED || t == G_UNICODE_SURROGATE;
}

typedef struct {
	guint bad;       /* signs of a wrong guess */
	guint good;      /* letters where a language puts them */
	guint kana;      /* kana (half-width ones in runs), CJK punctuation */
	guint kanji1;    /* everyday kanji (JIS X 0208 level 1) */
	guint kanji2;    /* other kanji */
	guint halfwidth; /* half-width katakana */
} plausibility;

static void judge(const char *utf8, plausibility *pl)
{
	memset(pl, 0, sizeof *pl);
	/* a window of three code points: prev, c, next (0 at the ends) */
	const char *p = utf8;
	gunichar prev = 0, c = *p ? g_utf8_get_char(p) : 0;
	guint western_run = 0, kana_run = 0;
	gunichar before_kana = 0;
	while (c) {
		p = g_utf8_next_char(p);
		gunichar next = *p ? g_utf8_get_char(p) : 0;
		bool letter_side = ascii_letter(prev) || ascii_letter(next);
		bool between = ascii_letter(prev) && ascii_letter(next);

		western_run = is_western(c) ? western_run + 1 : 0;
		if (western_run == 3)
			pl->bad++;
		if (is_halfwidth_kana(c)) {
			if (kana_run++ == 0)
				before_kana = prev;
			pl->halfwidth++;
			if (!is_halfwidth_kana(next)) {
				/* a run of one or two glued to a Latin letter: CP932 for
				 * Latin-1 capitals (Ç is ﾇ, ß is ﾟ) */
				bool glued = ascii_letter(before_kana) || ascii_letter(next);
				bool japanese = is_japanese(before_kana) || is_japanese(next);
				if (kana_run <= 2 && glued && !japanese)
					pl->bad++;
				else if (kana_run >= 3)
					pl->kana += kana_run;
				kana_run = 0;
			}
		} else if (c < 0x80) {
			/* plain ASCII says nothing */
		} else if (is_wrong_char(c)) {
			pl->bad++;
		} else if (is_han(c)) {
			bool level1 = kanji_level1(c);
			bool lower = (prev >= 'a' && prev <= 'z') || (next >= 'a' && next <= 'z');
			if ((between && lower) || (!level1 && letter_side))
				pl->bad++;
			else if (level1)
				pl->kanji1++;
			else
				pl->kanji2++;
		} else if (is_kana_or_cjk_mark(c)) {
			pl->kana++;
		} else if (g_unichar_isalpha(c)) {
			bool latin = c <= 0x2FF;
			if (!latin && between)
				pl->bad++; /* a foreign letter inside a Latin word */
			else if (!latin || letter_side)
				pl->good++;
		} else if (between && c <= 0x2FF) {
			pl->bad++; /* a symbol inside a word: "Fr¤sche" */
		}
		prev = c;
		c = next;
	}
}

/* Better guesses score higher; a sign of a wrong guess outweighs several
 * of a right one. */
static long plausibility_score(const plausibility *pl)
{
	return (long)pl->good + (long)pl->kana + (long)pl->kanji1 - 4 * (long)pl->bad;
}

/* Plausible Japanese: no sign of a wrong guess, and kana, or only everyday
 * kanji.  Kanji without kana that include rare ones are what Cyrillic or
 * Latin-1 bytes make in EUC-JP (KOI8-R "Счет" is EUC-JP "黨都"). */
static bool plausible_japanese(const plausibility *pl)
{
	return !pl->bad && (pl->kana || (pl->kanji1 && !pl->kanji2));
}

/* The candidate charsets, in order of preference: the Japanese ones first
 * (EUC-JP first when the message declares it and not Shift_JIS), then the
 * message's other declared charsets, then windows-1252. */
#define MAX_CANDIDATES 12

typedef struct {
	const char *iconv[MAX_CANDIDATES];
	bool japanese[MAX_CANDIDATES];
	guint n;
} candidates;

static void candidate_add(candidates *c, const char *name, bool japanese)
{
	for (guint i = 0; i < c->n; i++)
		if (g_ascii_strcasecmp(c->iconv[i], name) == 0)
			return;
	if (c->n < MAX_CANDIDATES) {
		c->iconv[c->n] = name;
		c->japanese[c->n] = japanese;
		c->n++;
	}
}

static void candidates_for(candidates *c, const char *const *declared)
{
	c->n = 0;
	bool euc_first = false;
	for (guint i = 0; declared && declared[i]; i++) {
		const char *name = NULL;
		if (classify(declared[i], &name) != CS_ICONV || !name)
			continue;
		if (strcmp(name, "CP932") == 0)
			break;
		if (strcmp(name, "EUC-JP-MS") == 0) {
			euc_first = true;
			break;
		}
	}
	candidate_add(c, euc_first ? "EUC-JP-MS" : "CP932", true);
	candidate_add(c, euc_first ? "CP932" : "EUC-JP-MS", true);
	for (guint i = 0; declared && declared[i]; i++) {
		const char *name = NULL;
		cs_kind k = classify(declared[i], &name);
		if (k != CS_ICONV || wide_charset(declared[i]))
			continue;
		candidate_add(c, name ? name : declared[i], false);
	}
	candidate_add(c, "WINDOWS-1252", false);
}

/* The charset of c that reads the bytes most plausibly, or NULL for none
 * (no candidate converts them at all). */
static const char *most_plausible(const char *bytes, gsize len, const candidates *c)
{
	/* judged on the first 64 KiB (to a line end): a long body costs one
	 * conversion per candidate of its start, not of all of it */
	gsize sample = len;
	if (sample > 65536) {
		sample = 65536;
		const char *nl = g_strrstr_len(bytes, (gssize)sample, "\n");
		if (nl)
			sample = (gsize)(nl - bytes) + 1;
	}
	const char *best = NULL;
	long best_score = 0;
	plausibility pl[MAX_CANDIDATES];
	bool have[MAX_CANDIDATES] = {false};
	for (guint i = 0; i < c->n; i++) {
		g_autofree char *s = iconv_convert(bytes, sample, c->iconv[i], NULL, NULL);
		if (!s)
			continue;
		judge(s, &pl[i]);
		have[i] = true;
	}
	/* Japanese first when it is plausible: no sign of a wrong guess and
	 * some Japanese; of two such, the one with fewer half-width katakana
	 * (EUC-JP read as CP932 is mostly half-width katakana) */
	for (guint i = 0; i < c->n; i++) {
		if (!have[i] || !c->japanese[i] || !plausible_japanese(&pl[i]))
			continue;
		if (!best || pl[i].halfwidth < best_score) {
			best = c->iconv[i];
			best_score = (long)pl[i].halfwidth;
		}
	}
	if (best)
		return best;
	if (mostly_utf8(bytes, sample))
		return "UTF-8";
	for (guint i = 0; i < c->n; i++) {
		if (!have[i])
			continue;
		long score = plausibility_score(&pl[i]);
		if (!best || score > best_score) {
			best = c->iconv[i];
			best_score = score;
		}
	}
	return best;
}

char *ks_charset_guess_to_utf8(const char *bytes, gsize len, const char *const *declared)
{
	if (ks_charset_has_jis_escapes(bytes, len))
		return decode_iso2022jp(bytes, len, NULL);
	if (!has_8bit(bytes, len) || g_utf8_validate_len(bytes, len, NULL))
		return g_strndup(bytes, len);
	candidates c;
	candidates_for(&c, declared);
	const char *best = most_plausible(bytes, len, &c);
	if (!best || strcmp(best, "UTF-8") == 0)
		return g_utf8_make_valid(bytes, len);
	char *s = iconv_convert(bytes, len, best, NULL, NULL);
	return s ? s : g_utf8_make_valid(bytes, len);
}

/* Mislabelled text: the Japanese charset (CP932, EUC-JP: what Japanese
 * mailers really send under another label) that reads it plausibly, NULL
 * when none does.  `skip` is the iconv name already tried. */
static char *japanese_fallback(const char *bytes, gsize len, const char *skip)
{
	if (g_utf8_validate_len(bytes, len, NULL))
		return g_strndup(bytes, len);
	static const char *const names[] = {"CP932", "EUC-JP-MS"};
	char *best = NULL;
	guint best_kana = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		if (skip && strcmp(skip, names[i]) == 0)
			continue;
		bool l = false;
		char *s = iconv_convert(bytes, len, names[i], &l, NULL);
		plausibility pl;
		if (s && !l)
			judge(s, &pl);
		if (!s || l || !plausible_japanese(&pl)) {
			g_free(s);
			continue;
		}
		if (!best || pl.halfwidth < best_kana) {
			g_free(best);
			best = s;
			best_kana = pl.halfwidth;
		} else {
			g_free(s);
		}
	}
	return best;
}

bool ks_charset_is_wide(const char *charset)
{
	return wide_charset(charset);
}

/* UTF-16 or UTF-32 text to UTF-8, whole (zero bytes are half its ASCII).
 * Without a byte order mark the label "UTF-16" means big-endian (RFC 2781
 * 4.3), but Windows senders write little-endian: the side where ASCII's
 * zero bytes fall tells. */
static char *wide_to_utf8(const char *bytes, gsize len, const char *charset, bool *lossy)
{
	g_autofree char *low = g_ascii_strdown(charset, -1);
	bool four = strstr(low, "32") || strstr(low, "ucs-4") || strstr(low, "ucs4");
	bool bom = len >= 2 && (((guchar)bytes[0] == 0xFF && (guchar)bytes[1] == 0xFE) ||
	                        ((guchar)bytes[0] == 0xFE && (guchar)bytes[1] == 0xFF) ||
	                        (len >= 4 && !bytes[0] && !bytes[1] && (guchar)bytes[2] == 0xFE &&
	                         (guchar)bytes[3] == 0xFF));
	const char *name = four ? "UTF-32" : "UTF-16";
	if (strstr(low, "le"))
		name = four ? "UTF-32LE" : "UTF-16LE";
	else if (strstr(low, "be"))
		name = four ? "UTF-32BE" : "UTF-16BE";
	else if (!bom) {
		gsize even = 0, odd = 0;
		for (gsize i = 0; i < len; i++) {
			if (bytes[i])
				continue;
			if (i % 2)
				odd++;
			else
				even++;
		}
		name = odd > even ? (four ? "UTF-32LE" : "UTF-16LE")
		                  : (four ? "UTF-32BE" : "UTF-16BE");
	}
	char *s = iconv_convert(bytes, len, name, lossy, NULL);
	return s ? s : g_strdup("");
}

char *ks_charset_to_utf8(const char *bytes, gsize len, const char *charset,
                         const char *const *declared, bool *lossy)
{
	if (lossy)
		*lossy = false;
	if (!bytes)
		return g_strdup("");
	if (charset && wide_charset(charset))
		return wide_to_utf8(bytes, len, charset, lossy);
	const char *iconv_name = NULL;
	cs_kind kind = classify(charset, &iconv_name);
	/* ESC $ B in a message labelled anything 7-bit is ISO-2022-JP in practice */
	if (kind != CS_JIS && !has_8bit(bytes, len) && ks_charset_has_jis_escapes(bytes, len))
		kind = CS_JIS;
	/* ISO-2022-JP is 7-bit: 8-bit text without its escapes under that label
	 * is Shift_JIS or UTF-8 from a mailer that labels everything so */
	if (kind == CS_JIS && has_8bit(bytes, len) && !ks_charset_has_jis_escapes(bytes, len)) {
		char *s = japanese_fallback(bytes, len, NULL);
		return s ? s : ks_charset_guess_to_utf8(bytes, len, declared);
	}
	switch (kind) {
	case CS_JIS:
		return decode_iso2022jp(bytes, len, lossy);
	case CS_UTF8:
		if (g_utf8_validate_len(bytes, len, NULL))
			return g_strndup(bytes, len);
		{
			/* labelled UTF-8 but is not: CP932 (or EUC-JP) mislabelled is common */
			char *s = japanese_fallback(bytes, len, NULL);
			if (s)
				return s;
		}
		return valid_utf8_or_replace(bytes, len, lossy);
	case CS_GUESS:
		return ks_charset_guess_to_utf8(bytes, len, declared);
	case CS_ICONV: {
		if (!has_8bit(bytes, len))
			return g_strndup(bytes, len);
		/* UTF-8 under a single-byte label (a webmail's or list's default
		 * label): in real single-byte text a lead byte is followed by a
		 * letter or a space, so a whole text that validates as UTF-8 is
		 * UTF-8 */
		if (single_byte_charset(iconv_name ? iconv_name : charset) &&
		    g_utf8_validate_len(bytes, len, NULL))
			return g_strndup(bytes, len);
		bool unsupported = false, l = false;
		g_autofree char *name = iconv_name ? g_strdup(iconv_name) : g_strdup(charset);
		char *s = iconv_convert(bytes, len, name, &l, &unsupported);
		if (s && l) {
			/* bytes the label cannot hold: the text is in another charset */
			char *other = japanese_fallback(bytes, len, name);
			if (other) {
				g_free(s);
				return other;
			}
		}
		if (lossy)
			*lossy = l;
		if (s)
			return s;
		return ks_charset_guess_to_utf8(bytes, len, declared);
	}
	}
	return ks_charset_guess_to_utf8(bytes, len, declared);
}

void ks_charset_declare(GPtrArray *declared, const char *label)
{
	if (!label || !*label || declared->len >= MAX_CANDIDATES)
		return;
	gsize n = 0;
	while (label[n] && n < 64 && (g_ascii_isalnum(label[n]) || strchr("-_.:", label[n])))
		n++;
	/* a label ends at the end, '?' (encoded-word), '*' (RFC 2231 language),
	 * a quote, a ';' or a blank */
	if (!n || (label[n] && !strchr("?*\";", label[n]) && !g_ascii_isspace(label[n])))
		return;
	for (guint i = 0; i < declared->len; i++)
		if (g_ascii_strncasecmp(g_ptr_array_index(declared, i), label, n) == 0 &&
		    !((const char *)g_ptr_array_index(declared, i))[n])
			return;
	g_ptr_array_add(declared, g_strndup(label, n));
}

void ks_charset_declare_encoded_words(GPtrArray *declared, const char *raw)
{
	for (const char *p = raw ? strstr(raw, "=?") : NULL; p; p = strstr(p + 2, "=?"))
		ks_charset_declare(declared, p + 2);
}

/* --- RFC 2047 ---------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Lenient base64: skips characters outside the alphabet and any '=' padding
 * (so "...=" followed by more data still decodes, the GMime 3.2.13 bug). */
static void b64_decode_append(GString *out, const char *s, gsize len)
{
	static const char alpha[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned acc = 0;
	int bits = 0;
	for (gsize i = 0; i < len; i++) {
		const char *p = memchr(alpha, s[i], 64);
		if (!p || !s[i])
			continue;
		acc = (acc << 6) | (unsigned)(p - alpha);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			g_string_append_c(out, (char)((acc >> bits) & 0xFF));
		}
	}
}

static void q_decode_append(GString *out, const char *s, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '_') {
			g_string_append_c(out, ' ');
		} else if (s[i] == '=' && i + 2 < len + 0 && hexval(s[i + 1]) >= 0 &&
		           hexval(s[i + 2]) >= 0) {
			g_string_append_c(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			g_string_append_c(out, s[i]);
		}
	}
}

typedef struct {
	gsize start, end; /* byte range of the whole word in the input */
	char *charset;
	GString *bytes;
} eword;

/* Parses one encoded-word at s[i] ("=?cs?X?text?="); NULL if it is not one. */
static bool parse_eword(const char *s, gsize len, gsize i, eword *w)
{
	if (i + 1 >= len || s[i] != '=' || s[i + 1] != '?')
		return false;
	gsize p = i + 2;
	gsize cs_start = p;
	while (p < len && s[p] != '?' && !g_ascii_isspace(s[p]) && p - cs_start < 64)
		p++;
	if (p >= len || s[p] != '?' || p == cs_start)
		return false;
	gsize cs_end = p;
	p++;
	if (p + 1 >= len || s[p + 1] != '?')
		return false;
	char enc = g_ascii_toupper(s[p]);
	if (enc != 'B' && enc != 'Q')
		return false;
	p += 2;
	gsize text_start = p;
	/* the text ends at "?=" ; no whitespace allowed inside (RFC 2047 5) */
	while (p + 1 < len && !(s[p] == '?' && s[p + 1] == '=')) {
		if (g_ascii_isspace(s[p]))
			return false;
		p++;
	}
	if (p + 1 >= len)
		return false;
	w->start = i;
	w->end = p + 2;
	w->charset = g_strndup(s + cs_start, cs_end - cs_start);
	w->bytes = g_string_new(NULL);
	if (enc == 'B')
		b64_decode_append(w->bytes, s + text_start, p - text_start);
	else
		q_decode_append(w->bytes, s + text_start, p - text_start);
	return true;
}

static void append_quoted(GString *out, const char *utf8)
{
	g_string_append_c(out, '"');
	for (const char *p = utf8; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

static void append_plain(GString *out, const char *s, gsize len, const char *const *declared)
{
	if (!len)
		return;
	if (!has_8bit(s, len) && !ks_charset_has_jis_escapes(s, len)) {
		g_string_append_len(out, s, len);
		return;
	}
	g_autofree char *u = ks_charset_guess_to_utf8(s, len, declared);
	g_string_append(out, u);
}

char *ks_rfc2047_decode(const char *raw, bool quote_phrases, const char *const *declared,
                        bool *broken)
{
	if (broken)
		*broken = false;
	if (!raw)
		return g_strdup("");
	gsize len = strlen(raw);
	if (!strstr(raw, "=?")) {
		GString *o = g_string_new(NULL);
		append_plain(o, raw, len, declared);
		return g_string_free(o, FALSE);
	}
	GString *out = g_string_sized_new(len);
	gsize i = 0, plain_start = 0;
	bool in_quote = false;
	int comment = 0;
	while (i < len) {
		char c = raw[i];
		if (c == '\\' && (in_quote || comment) && i + 1 < len) {
			i += 2;
			continue;
		}
		if (quote_phrases && c == '"' && !comment) {
			in_quote = !in_quote;
			i++;
			continue;
		}
		if (quote_phrases && !in_quote && (c == '(' || c == ')')) {
			comment += c == '(' ? 1 : (comment > 0 ? -1 : 0);
			i++;
			continue;
		}
		eword w;
		if (c != '=' || !parse_eword(raw, len, i, &w)) {
			i++;
			continue;
		}
		/* a run: this word and every following one separated only by blanks */
		append_plain(out, raw + plain_start, i - plain_start, declared);
		GString *run_text = g_string_new(NULL);
		char *run_cs = w.charset;
		GString *run_bytes = w.bytes;
		gsize pos = w.end;
		for (;;) {
			gsize q = pos;
			while (q < len && (raw[q] == ' ' || raw[q] == '\t'))
				q++;
			eword n;
			if (q >= len || !parse_eword(raw, len, q, &n)) {
				break;
			}
			if (g_ascii_strcasecmp(n.charset, run_cs) == 0) {
				g_string_append_len(run_bytes, n.bytes->str, n.bytes->len);
				g_string_free(n.bytes, TRUE);
				g_free(n.charset);
			} else {
				bool l = false;
				g_autofree char *u =
					ks_charset_to_utf8(run_bytes->str, run_bytes->len, run_cs,
					                   declared, &l);
				g_string_append(run_text, u);
				if (l && broken)
					*broken = true;
				g_string_free(run_bytes, TRUE);
				g_free(run_cs);
				run_cs = n.charset;
				run_bytes = n.bytes;
			}
			pos = n.end;
		}
		bool l = false;
		g_autofree char *u =
			ks_charset_to_utf8(run_bytes->str, run_bytes->len, run_cs, declared, &l);
		g_string_append(run_text, u);
		if (l && broken)
			*broken = true;
		g_string_free(run_bytes, TRUE);
		g_free(run_cs);
		if (quote_phrases && !in_quote && !comment)
			append_quoted(out, run_text->str);
		else if (quote_phrases && (in_quote || comment)) {
			for (const char *p = run_text->str; *p; p++) {
				if (*p == '"' || *p == '\\' || (comment && (*p == '(' || *p == ')')))
					g_string_append_c(out, '\\');
				g_string_append_c(out, *p);
			}
		} else
			g_string_append_len(out, run_text->str, run_text->len);
		g_string_free(run_text, TRUE);
		i = pos;
		plain_start = pos;
	}
	append_plain(out, raw + plain_start, len - plain_start, declared);
	return g_string_free(out, FALSE);
}

/* --- RFC 2231 parameters ----------------------------------------------- */

typedef struct {
	int index;       /* continuation number, -1 for none */
	bool extended;   /* name*N* : percent-encoded (charset in segment 0) */
	char *value;     /* unquoted */
} segment;

static void segment_clear(gpointer p)
{
	g_free(((segment *)p)->value);
}

/* Splits "type; a=b; c*0*=..." into attribute/value pairs and collects the
 * segments of `name`; returns the plain (non-2231) value if there was one. */
static char *collect(const char *raw, const char *name, GArray *segs)
{
	char *plain = NULL;
	gsize nlen = strlen(name);
	const char *p = raw;
	/* skip the leading value (type/subtype or disposition) */
	while (*p && *p != ';')
		p += *p == '"' ? 1 : 1;
	int guard = 0;
	while (*p && guard++ < 512) {
		while (*p == ';' || g_ascii_isspace(*p))
			p++;
		const char *attr = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		gsize alen = p - attr;
		while (alen && g_ascii_isspace(attr[alen - 1]))
			alen--;
		if (*p != '=') {
			continue;
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		GString *val = g_string_new(NULL);
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				g_string_append_c(val, *p++);
			}
			if (*p == '"')
				p++;
			/* text after a closing quote up to ';' (broken senders) */
			while (*p && *p != ';')
				p++;
		} else {
			while (*p && *p != ';')
				g_string_append_c(val, *p++);
			while (val->len && g_ascii_isspace(val->str[val->len - 1]))
				g_string_truncate(val, val->len - 1);
		}
		if (alen >= nlen && g_ascii_strncasecmp(attr, name, nlen) == 0) {
			const char *rest = attr + nlen;
			gsize rlen = alen - nlen;
			if (rlen == 0) {
				if (!plain)
					plain = g_string_free(val, FALSE);
				else
					g_string_free(val, TRUE);
				continue;
			}
			if (rest[0] == '*') {
				segment s = {-1, false, NULL};
				if (rlen == 1) {
					s.extended = true;
				} else if (g_ascii_isdigit(rest[1])) {
					s.index = (int)g_ascii_strtoll(rest + 1, NULL, 10);
					s.extended = rest[rlen - 1] == '*';
					if (s.index > 200)
						s.index = 200;
				}
				s.value = g_string_free(val, FALSE);
				g_array_append_val(segs, s);
				continue;
			}
		}
		g_string_free(val, TRUE);
	}
	return plain;
}

static gint seg_cmp(gconstpointer a, gconstpointer b)
{
	return ((const segment *)a)->index - ((const segment *)b)->index;
}

static void pct_decode_append(GString *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			g_string_append_c(out, (char)(hexval(s[1]) * 16 + hexval(s[2])));
			s += 2;
		} else {
			g_string_append_c(out, *s);
		}
	}
}

/* Bytes that may hold NULs (RFC 2231 "%00") to UTF-8 that keeps them: each
 * stretch between NULs is converted on its own.  *len gets the length. */
static char *to_utf8_keeping_nul(const GString *bytes, const char *charset,
                                 const char *const *declared, gsize *len)
{
	if (!memchr(bytes->str, 0, bytes->len) || (charset && wide_charset(charset))) {
		char *s = ks_charset_to_utf8(bytes->str, bytes->len, charset, declared, NULL);
		*len = strlen(s);
		return s;
	}
	GString *out = g_string_new(NULL);
	const char *p = bytes->str, *end = bytes->str + bytes->len;
	while (p <= end) {
		const char *nul = memchr(p, 0, (gsize)(end - p));
		const char *stop = nul ? nul : end;
		g_autofree char *s = ks_charset_to_utf8(p, (gsize)(stop - p), charset, declared, NULL);
		g_string_append(out, s);
		if (!nul)
			break;
		g_string_append_c(out, '\0');
		p = nul + 1;
	}
	*len = out->len;
	return g_string_free(out, FALSE);
}

char *ks_param_get(const char *raw, const char *name, const char *const *declared, gsize *len)
{
	gsize n = 0;
	if (!len)
		len = &n;
	*len = 0;
	if (!raw || !name)
		return NULL;
	GArray *segs = g_array_new(FALSE, TRUE, sizeof(segment));
	g_array_set_clear_func(segs, segment_clear);
	g_autofree char *plain = collect(raw, name, segs);
	char *result = NULL;
	if (segs->len) {
		g_array_sort(segs, seg_cmp);
		GString *bytes = g_string_new(NULL);
		g_autofree char *cs = NULL;
		for (guint i = 0; i < segs->len; i++) {
			segment *s = &g_array_index(segs, segment, i);
			const char *v = s->value;
			if (s->extended && i == 0) {
				/* charset'language'value (RFC 2231 4) */
				const char *q1 = strchr(v, '\'');
				const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
				if (q1 && q2) {
					cs = g_strndup(v, q1 - v);
					v = q2 + 1;
				}
			}
			if (s->extended)
				pct_decode_append(bytes, v);
			else
				g_string_append(bytes, v);
		}
		result = to_utf8_keeping_nul(bytes, cs && *cs ? cs : NULL, declared, len);
		g_string_free(bytes, TRUE);
	} else if (plain) {
		/* a quoted value may hold encoded-words (non-standard, but what
		 * Outlook and many webmails send) or raw 8-bit text */
		result = ks_rfc2047_decode(plain, false, declared, NULL);
		*len = strlen(result);
	}
	g_array_free(segs, TRUE);
	return result;
}

/* ---- NFKC ------------------------------------------------------------ */

/* Characters with a normalization boundary before them (canonical combining
 * class 0, unchanged by NFKC, never the second of a composition pair; the
 * hasBoundaryBefore of ICU's normalizer): ASCII, the CJK unified ideographs,
 * hiragana and katakana (not their combining or spacing sound marks, not
 * ゟ or ヿ), the prolonged sound mark, the middle dot and 、。.  NFKC of a
 * text is the NFKC of its pieces cut before such characters, so runs of them
 * are copied as they are and only the pieces between them are normalized. */
static bool nfkc_boundary(gunichar c)
{
	return c < 0x80 || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3041 && c <= 0x3096) ||
	       (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FB || c == 0x30FC || c == 0x3001 ||
	       c == 0x3002;
}

char *ks_charset_nfkc(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len + 1);
	const char *end = s + len;
	const char *p = s;
	while (p < end) {
		/* copy a run of boundary characters... */
		const char *run = p;
		while (p < end) {
			if ((guchar)*p < 0x80) {
				p++;
				continue;
			}
			/* kanji and kana letters, read without GLib */
			if (ks_utf8_plain_cjk_at(p, end)) {
				p += 3;
				continue;
			}
			gunichar c = g_utf8_get_char(p);
			if (!nfkc_boundary(c))
				break;
			p = g_utf8_next_char(p);
		}
		/* ...less its last character when a combining one may follow it */
		if (p < end && p > run)
			p = g_utf8_find_prev_char(run, p);
		g_string_append_len(out, run, p - run);
		if (p >= end)
			break;
		/* normalize from there to the next boundary after a non-boundary one */
		const char *piece = p;
		p = g_utf8_next_char(p);
		while (p < end && !((guchar)*p < 0x80 || nfkc_boundary(g_utf8_get_char(p))))
			p = g_utf8_next_char(p);
		g_autofree char *n = g_utf8_normalize(piece, p - piece, G_NORMALIZE_NFKC);
		if (n)
			g_string_append(out, n);
		else
			g_string_append_len(out, piece, p - piece);
	}
	return g_string_free(out, FALSE);
}
