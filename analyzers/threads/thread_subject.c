/* Threads: subject normalisation (thread.h ks_thread_subject_normalize).
 * The prefixes (Re:, Fwd:, 返信:, AW: ...) are thread_words.txt's "prefix"
 * rows; bracketed tags and list markers are cut the same way. */
#include "threads/thread_private.h"

#include <string.h>

/* ---- subjects ---------------------------------------------------------- */

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "WORD:", "WORD :", "WORD[2]:", "WORD(2):" at s; returns what follows. */
static const char *after_prefix(const char *s, const char *word)
{
	size_t n = strlen(word);
	if (g_ascii_strncasecmp(s, word, n) != 0)
		return NULL;
	s += n;
	if (*s == '[' || *s == '(') {
		char close = *s == '[' ? ']' : ')';
		s++;
		while (g_ascii_isdigit(*s))
			s++;
		if (*s != close)
			return NULL;
		s++;
	}
	s = skip_blank(s);
	return *s == ':' ? s + 1 : NULL;
}

/* A leading [tag] or 【tag】; returns what follows. */
static const char *after_tag(const char *s)
{
	static const char *const pairs[][2] = {{"[", "]"}, {"【", "】"}, {"〔", "〕"}, {"［", "］"}};
	for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
		size_t n = strlen(pairs[i][0]);
		if (strncmp(s, pairs[i][0], n) != 0)
			continue;
		const char *end = strstr(s + n, pairs[i][1]);
		/* a tag is short: "[EXT]", "【小金部品】"; a longer bracket is the subject */
		if (end && end - s < 64)
			return end + strlen(pairs[i][1]);
	}
	return NULL;
}

char *ks_thread_subject_normalize(const char *subject, bool *had_prefix)
{
	if (had_prefix)
		*had_prefix = false;
	if (!subject)
		return g_strdup("");
	/* NFKC: "Ｒｅ：" is "Re:", full-width digits and colons are ASCII */
	g_autofree char *n = g_utf8_normalize(subject, -1, G_NORMALIZE_NFKC);
	if (!n)
		return g_strdup("");
	g_autoptr(GPtrArray) prefixes = ks_thread_words("prefix");
	const char *s = n;
	for (bool again = true; again;) {
		again = false;
		s = skip_blank(s);
		const char *t = after_tag(s);
		if (t) {
			s = t;
			again = true;
			continue;
		}
		for (guint i = 0; i < prefixes->len && !again; i++) {
			if ((t = after_prefix(s, prefixes->pdata[i]))) {
				s = t;
				again = true;
				if (had_prefix)
					*had_prefix = true;
			}
		}
	}
	/* blanks collapsed, case folded */
	GString *o = g_string_new(NULL);
	bool space = false;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c)) {
			space = o->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(o, ' ');
		space = false;
		g_string_append_unichar(o, c);
	}
	char *folded = g_utf8_casefold(o->str, -1);
	g_string_free(o, TRUE);
	return folded;
}
