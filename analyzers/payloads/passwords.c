/* Finding the passwords a body gives.  The text is NFKC-normalised (so
 * "パスワード：１２３４" reads "パスワード:1234"), each label of the data file
 * is looked for case-insensitively, and what follows it is read: a
 * separator (":", "=", "は", "is", "é", "ist" ...) and the token after it,
 * or, with no separator, the first of the next few words that looks like a
 * password ("Senha do PDF 123").  A token is printable ASCII: passwords
 * handed out in lures are digits and Latin letters, and this stops the
 * token where Japanese text resumes ("abc123です"). */
#include "payloads/passwords.h"

#include "core/data.h"

#include <string.h>

/* Body bytes searched: a lure gives the password near the top. */
#define TEXT_MAX (256 * 1024)
/* Bytes between the label and its separator ("Senha de acesso ao PDF:"). */
#define CONNECTOR_MAX 40
/* Words looked at after a label that has no separator. */
#define WORDS_AFTER 3
/* Token length in bytes: a PIN of 3 digits is common in the lures. */
#define TOKEN_MIN 2
#define TOKEN_MAX 64
/* Bytes of the phrase kept as evidence. */
#define PHRASE_MAX 120

void ks_password_hint_free(ks_password_hint *h)
{
	if (!h)
		return;
	g_free(h->password);
	g_free(h->phrase);
	g_free(h);
}

typedef struct {
	char *label; /* lower case */
	bool ascii;
} label;

static gpointer labels_build(gpointer unused)
{
	(void)unused;
	GPtrArray *out = g_ptr_array_new();
	const GPtrArray *lines = ks_data_lines("password_labels.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		const char *line = g_ptr_array_index(lines, i);
		label *l = g_new0(label, 1);
		g_autofree char *nfkc = g_utf8_normalize(line, -1, G_NORMALIZE_NFKC);
		l->label = g_utf8_strdown(nfkc ? nfkc : line, -1);
		l->ascii = true;
		for (const char *p = l->label; *p; p++)
			l->ascii = l->ascii && (unsigned char)*p < 0x80;
		g_ptr_array_add(out, l);
	}
	return out;
}

static const GPtrArray *labels_get(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, labels_build, NULL);
}

/* The text lower-cased character by character, with the offset in the
 * original of each lower-case byte (lower-casing may change lengths). */
typedef struct {
	GString *lower;
	GArray *orig; /* gsize per byte of lower, plus one for its end */
} folded;

static void fold(const char *s, folded *f)
{
	f->lower = g_string_sized_new(strlen(s));
	f->orig = g_array_sized_new(FALSE, FALSE, sizeof(gsize), strlen(s) + 1);
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_unichar_tolower(g_utf8_get_char(p));
		char buf[6];
		int n = g_unichar_to_utf8(c, buf);
		gsize at = (gsize)(p - s);
		for (int i = 0; i < n; i++)
			g_array_append_val(f->orig, at);
		g_string_append_len(f->lower, buf, n);
	}
	gsize end = strlen(s);
	g_array_append_val(f->orig, end);
}

typedef struct {
	gsize start, end; /* a label's bytes in the normalised text */
} span;

static gint span_cmp(gconstpointer a, gconstpointer b)
{
	const span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static bool word_byte(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Closing and opening marks around a token; the full-width ones are
 * already ASCII after NFKC, the Japanese corner brackets are not. */
static const char *const open_marks[] = {"\"", "'", "(", "[", "<", "「", "『", "【", "“", "‘", "«"};

static const char *skip_open_mark(const char *p)
{
	for (size_t i = 0; i < G_N_ELEMENTS(open_marks); i++)
		if (g_str_has_prefix(p, open_marks[i]))
			return p + strlen(open_marks[i]);
	return p;
}

/* Words that stand between a label and the password in the languages of
 * the label file: "Password is 1234", "Senha é 123", "Hasło to 1234". */
static const char *const separator_words[] = {"is", "é", "e", "es", "ist", "est", "er",
                                              "jest", "je", "är", "on", "to", "lautet"};

static bool is_separator_word(const char *w, size_t n)
{
	for (size_t i = 0; i < G_N_ELEMENTS(separator_words); i++)
		if (strlen(separator_words[i]) == n && g_ascii_strncasecmp(w, separator_words[i], n) == 0)
			return true;
	return false;
}

/* The punctuation that ends the connector starting at p (":", "=", and
 * Japanese は, Chinese 是 and 为: "パスワードは1234", "密码是1234"): p moved
 * past it, or NULL when the line has none within CONNECTOR_MAX bytes. */
static const char *after_separator(const char *p)
{
	const char *start = p;
	while (*p && *p != '\n' && p - start <= CONNECTOR_MAX) {
		if (*p == ':' || *p == '=')
			return p + 1;
		if (g_str_has_prefix(p, "は") || g_str_has_prefix(p, "是") || g_str_has_prefix(p, "为"))
			return p + 3;
		p = g_utf8_next_char(p);
	}
	return NULL;
}

/* The printable-ASCII token at p (marks around it removed), or NULL. */
static char *token_at(const char *p, const char **end)
{
	p = skip_open_mark(p);
	const char *q = p;
	while ((unsigned char)*q > 0x20 && (unsigned char)*q < 0x7F && q - p < TOKEN_MAX + 8)
		q++;
	*end = q;
	size_t n = (size_t)(q - p);
	while (n > 0 && strchr(".,;:!?\"')]>}", p[n - 1]))
		n--;
	if (n < TOKEN_MIN || n > TOKEN_MAX)
		return NULL;
	return g_strndup(p, n);
}

/* A digit, a symbol or mixed case: not a word of the sentence. */
static bool looks_like_password(const char *t)
{
	bool upper = false, lower = false, other = false;
	for (const char *p = t; *p; p++) {
		if (g_ascii_isupper(*p))
			upper = true;
		else if (g_ascii_islower(*p))
			lower = true;
		else
			other = true;
	}
	return other || (upper && lower);
}

static bool all_masked(const char *t)
{
	for (const char *p = t; *p; p++)
		if (*p != '*' && *p != 'x' && *p != 'X' && *p != '.')
			return false;
	return true;
}

static void add_hint(GPtrArray *out, char *password, const char *phrase, gsize phrase_len,
                     bool likely)
{
	if (all_masked(password) || out->len >= KS_PASSWORDS_MAX) {
		g_free(password);
		return;
	}
	for (guint i = 0; i < out->len; i++) {
		const ks_password_hint *h = g_ptr_array_index(out, i);
		if (strcmp(h->password, password) == 0) {
			g_free(password);
			return;
		}
	}
	ks_password_hint *h = g_new0(ks_password_hint, 1);
	h->password = password;
	g_autofree char *raw = g_strndup(phrase, MIN(phrase_len, (gsize)PHRASE_MAX));
	/* the cut may split a UTF-8 sequence */
	const char *valid_end = NULL;
	if (!g_utf8_validate(raw, -1, &valid_end))
		raw[valid_end - raw] = '\0';
	h->phrase = g_strdup(g_strdelimit(raw, "\n\t", ' '));
	h->likely = likely;
	g_ptr_array_add(out, h);
}

/* What follows a label ending at p in the normalised text: the token after
 * a separator, else the first password-like word of the next few (words
 * such as "is" not counted). */
static void read_after(GPtrArray *out, const char *label_start, const char *p)
{
	const char *end = NULL;
	const char *sep = after_separator(p);
	if (sep) {
		/* the token may stand on the next line ("Password:\n  1234") */
		int newlines = 0;
		while (*sep && (is_blank(*sep) || (*sep == '\n' && newlines++ < 1)))
			sep++;
		char *t = token_at(sep, &end);
		if (t)
			add_hint(out, t, label_start, (gsize)(end - label_start), looks_like_password(t));
		return;
	}
	const char *w = p;
	for (int words = 0; words < WORDS_AFTER && *w && *w != '\n';) {
		while (is_blank(*w))
			w++;
		const char *stop = w;
		while (*stop && !is_blank(*stop) && *stop != '\n')
			stop++;
		if (stop == w)
			break;
		if (!is_separator_word(w, (size_t)(stop - w))) {
			char *t = token_at(w, &end);
			if (t && looks_like_password(t)) {
				add_hint(out, t, label_start, (gsize)(end - label_start), true);
				return;
			}
			g_free(t);
			words++;
		}
		w = stop;
	}
}

GPtrArray *ks_passwords_find(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ks_password_hint_free);
	if (!text || !*text)
		return out;
	gsize len = strlen(text);
	if (len > TEXT_MAX) {
		len = TEXT_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	if (!g_utf8_validate(text, (gssize)len, NULL))
		return out;
	g_autofree char *norm = g_utf8_normalize(text, (gssize)len, G_NORMALIZE_NFKC);
	if (!norm)
		return out;
	folded f;
	fold(norm, &f);
	const GPtrArray *labels = labels_get();
	/* each label's hits, then all of them in text order */
	g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(span));
	for (guint i = 0; i < labels->len; i++) {
		const label *l = g_ptr_array_index(labels, i);
		size_t n = strlen(l->label);
		for (const char *m = f.lower->str; (m = strstr(m, l->label)); m += n) {
			gsize at = (gsize)(m - f.lower->str);
			if (l->ascii && ((at > 0 && word_byte(m[-1])) || word_byte(m[n])))
				continue;
			span s = {g_array_index(f.orig, gsize, at), g_array_index(f.orig, gsize, at + n)};
			g_array_append_val(hits, s);
		}
	}
	g_array_sort(hits, span_cmp);
	for (guint i = 0; i < hits->len && out->len < KS_PASSWORDS_MAX; i++) {
		const span *h = &g_array_index(hits, span, i);
		read_after(out, norm + h->start, norm + h->end);
	}
	g_string_free(f.lower, TRUE);
	g_array_unref(f.orig);
	return out;
}
