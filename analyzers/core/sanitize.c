/* The sanitizer: the only gate between attacker text and a terminal.
 * Escapes are ASCII and visible: "\x1B" for C0/DEL, "\u009B" for C1,
 * "<U+202E>" for bidi and invisible format characters. */
#include "core/sanitize.h"

#include <glib.h>
#include <string.h>

/* Unicode format characters that reorder or hide text (UTS #39, CVE-2021-42574
 * "Trojan Source"): bidi embeddings/overrides/isolates, marks, and zero-width
 * characters other than ZWJ/ZWNJ which real scripts need. */
static bool is_bidi_or_hidden(gunichar c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
	       c == 0x200F || c == 0x061C || c == 0x200B || c == 0x2060 || c == 0xFEFF ||
	       (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F);
}

/* The length of the run at p that is kept as it is: printable ASCII, line
 * breaks and tabs in a body, and valid UTF-8 that is no C1 control, no bidi
 * or hidden character and no line or paragraph separator.  Copied in one
 * go: a Japanese body is all such characters. */
static size_t verbatim_run(const char *p, const char *end, ks_sanitize_mode mode)
{
	const char *q = p;
	while (q < end) {
		unsigned char b = (unsigned char)*q;
		if (b >= 0x20 && b < 0x7F) {
			q++;
			continue;
		}
		if (b < 0x80) {
			if (mode != KS_SANITIZE_MULTILINE || (b != '\n' && b != '\t'))
				break;
			q++;
			continue;
		}
		if (ks_utf8_plain_cjk_at(q, end)) {
			q += 3;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(q, end - q);
		if (c == (gunichar)-1 || c == (gunichar)-2 || (c >= 0x80 && c <= 0x9F) ||
		    is_bidi_or_hidden(c) || c == 0x2028 || c == 0x2029)
			break;
		q = g_utf8_next_char(q);
	}
	return (size_t)(q - p);
}

char *ks_sanitize_len(const char *s, size_t len, ks_sanitize_mode mode, bool *changed)
{
	GString *out = g_string_sized_new(len + 8);
	bool ch = false;
	const char *p = s, *end = s + len;
	while (p < end) {
		size_t run = verbatim_run(p, end, mode);
		if (run) {
			g_string_append_len(out, p, (gssize)run);
			p += run;
			continue;
		}
		unsigned char b = (unsigned char)*p;
		if (b < 0x80) {
			if (mode == KS_SANITIZE_NAME && b && strchr("\t\n\r", b)) {
				g_string_append_c(out, '\\');
				g_string_append_c(out, b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
				ch = true;
			} else if (mode == KS_SANITIZE_NAME && b == 0) {
				g_string_append(out, "\\0");
				ch = true;
			} else if (b == '\n' && mode == KS_SANITIZE_MULTILINE) {
				g_string_append_c(out, '\n');
			} else if (b == '\t' && mode == KS_SANITIZE_MULTILINE) {
				g_string_append_c(out, '\t');
			} else if (b == '\r' && mode == KS_SANITIZE_MULTILINE) {
				/* line ends: dropped silently */
			} else if (b == '\t' || b == '\r' || b == '\n') {
				/* in a one-line value, whitespace controls become a space */
				g_string_append_c(out, ' ');
			} else if (b < 0x20 || b == 0x7F) {
				g_string_append_printf(out, "\\x%02X", b);
				ch = true;
			} else {
				g_string_append_c(out, (char)b);
			}
			p++;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02X", b);
			p++;
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (c >= 0x80 && c <= 0x9F) {
			g_string_append_printf(out, "\\u%04X", c);
			ch = true;
		} else if (is_bidi_or_hidden(c)) {
			g_string_append_printf(out, "<U+%04X>", c);
			ch = true;
		} else if (c == 0x2028 || c == 0x2029) {
			g_string_append_c(out, mode == KS_SANITIZE_MULTILINE ? '\n' : ' ');
		} else {
			g_string_append_len(out, p, next - p);
		}
		p = next;
	}
	if (changed)
		*changed = ch;
	return g_string_free(out, FALSE);
}

char *ks_sanitize(const char *s, ks_sanitize_mode mode, bool *changed)
{
	if (!s) {
		if (changed)
			*changed = false;
		return g_strdup("");
	}
	return ks_sanitize_len(s, strlen(s), mode, changed);
}

bool ks_sanitize_needed(const char *s)
{
	bool changed = false;
	g_free(ks_sanitize(s, KS_SANITIZE_LINE, &changed));
	return changed;
}

/* How down_valid treats the character at p: 0 ASCII, lowered in place;
 * 1 without case, copied (U+3000 to U+9FFF: CJK punctuation, kana, CJK
 * ideographs, whose UTF-8 begins with E3 to E9; General Punctuation); 2
 * anything else, through g_utf8_strdown. */
static int down_class(const char *p)
{
	guchar b = (guchar)*p;
	if (b < 0x80)
		return 0;
	/* U+3000..U+9FFF, and General Punctuation (U+2000..U+206F: dashes,
	 * quotes, bullets, E2 80..81), which have no case either */
	if ((b >= 0xE3 && b <= 0xE9) || (b == 0xE2 && ((guchar)p[1] == 0x80 || (guchar)p[1] == 0x81)))
		return 1;
	return 2;
}

/* Lower case (or case folding) of valid UTF-8 by runs of one class
 * (down_class).  Mail text is mostly ASCII or Japanese, and GLib's case
 * functions cost a Unicode look-up per character; a body is lowered several
 * times per message.  other is g_utf8_strdown or g_utf8_casefold, which
 * agree on the first two classes (test_sanitize walks every character of
 * class 1 through both). */
static char *by_runs(const char *s, char *(*other)(const gchar *, gssize))
{
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p;) {
		int cls = down_class(p);
		const char *q = p;
		if (cls == 0) {
			/* lowered as it is copied (g_ascii_tolower is a call per byte) */
			size_t at = out->len;
			while ((guchar)*q && (guchar)*q < 0x80)
				q++;
			g_string_set_size(out, at + (size_t)(q - p));
			for (size_t i = 0; i < (size_t)(q - p); i++)
				out->str[at + i] = p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + ('a' - 'A')) : p[i];
		} else if (cls == 1) {
			/* three bytes a character (E2 and E3..E9 lead bytes of valid UTF-8) */
			while (down_class(q) == 1)
				q += 3;
			g_string_append_len(out, p, q - p);
		} else {
			while (*q && down_class(q) == 2)
				q = g_utf8_next_char(q);
			g_autofree char *run = other(p, q - p);
			g_string_append(out, run);
		}
		p = q;
	}
	return g_string_free(out, FALSE);
}

static char *down_valid(const char *s)
{
	return by_runs(s, g_utf8_strdown);
}

char *ks_utf8_down(const char *s)
{
	if (!s)
		return g_strdup("");
	if (g_utf8_validate(s, -1, NULL))
		return down_valid(s);
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	return down_valid(valid);
}

char *ks_utf8_casefold(const char *s)
{
	if (!s)
		return g_strdup("");
	if (g_utf8_validate(s, -1, NULL))
		return by_runs(s, g_utf8_casefold);
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	return by_runs(valid, g_utf8_casefold);
}
