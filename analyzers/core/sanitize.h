/* The one sanitizer for attacker-controlled text (DESIGN.md "Safety").
 * C0/C1 controls, ESC sequences, DEL and bidi/invisible format characters
 * are replaced by visible escapes such as "\x1B" or "<U+202E>"; invalid
 * UTF-8 bytes become "\xNN".  Nothing it returns can move a terminal's
 * cursor, change its colours or reorder text. */
#ifndef KS_SANITIZE_H
#define KS_SANITIZE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
	KS_SANITIZE_LINE = 0,      /* one line: \t \r \n become visible too */
	KS_SANITIZE_MULTILINE = 1, /* keep \n and \t (bodies); \r is dropped */
	KS_SANITIZE_NAME = 2,      /* a file name: every C0 control shown as C writes it
	                              (\0 \t \n \r, else \xNN), never as a blank */
} ks_sanitize_mode;

/* Returns a new string (g_free); *changed (may be NULL) is set when a
 * control or bidi character was escaped (not for dropped \r). */
char *ks_sanitize(const char *s, ks_sanitize_mode mode, bool *changed);
/* Same over a byte range that may hold NULs and invalid UTF-8. */
char *ks_sanitize_len(const char *s, size_t len, ks_sanitize_mode mode, bool *changed);
/* True when s holds anything ks_sanitize would escape. */
bool ks_sanitize_needed(const char *s);

/* CJK Unified Ideographs (U+4E00..U+9FFF, every one assigned since Unicode
 * 14) and the hiragana and katakana letters: letters of no case, that NFKC
 * and case folding keep, of the Han, Hiragana and Katakana scripts
 * (test_content checks each against GLib's tables).  Most of a Japanese
 * mail: the text passes read them without a table look-up. */
static inline bool ks_unichar_plain_cjk_letter(gunichar c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3041 && c <= 0x3096) ||
	       (c >= 0x30A1 && c <= 0x30FA);
}

/* The kanji or kana letter whose three UTF-8 bytes are at p (before end),
 * decoded without GLib, or 0 for anything else: the text passes step over
 * Japanese with it. */
static inline gunichar ks_utf8_plain_cjk_at(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	if (end - p < 3 || u[0] < 0xE3 || u[0] > 0xE9 || (u[1] & 0xC0) != 0x80 ||
	    (u[2] & 0xC0) != 0x80)
		return 0;
	gunichar c = (gunichar)(u[0] & 0x0F) << 12 | (gunichar)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	return ks_unichar_plain_cjk_letter(c) ? c : 0;
}

/* s in lower case (g_utf8_strdown), invalid UTF-8 first replaced by U+FFFD:
 * GLib's case functions read past the end of invalid sequences. */
char *ks_utf8_down(const char *s);
/* s case-folded (g_utf8_casefold), the same way: the greeting check folds
 * the top of every body. */
char *ks_utf8_casefold(const char *s);

#endif
