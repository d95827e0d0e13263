/* Text as mail really carries it: charset conversion to UTF-8 with the
 * Japanese realities (CP932 under a Shift_JIS label, NEC/IBM extensions under
 * an ISO-2022-JP label), RFC 2047 encoded-words and RFC 2231 parameters.
 * Everything here returns UTF-8 and never fails: bytes that cannot be
 * converted become U+FFFD. */
#ifndef KS_CHARSET_H
#define KS_CHARSET_H

#include <glib.h>
#include <stdbool.h>

/* `declared` in what follows: the charsets a message declares (NULL-terminated,
 * may be NULL), see ks_charset_declare.  They are candidates when the
 * message holds text in no declared charset: raw 8-bit headers, parts
 * without a charset.
 *
 * Bytes in a declared charset (NULL = unknown) to UTF-8.  *lossy (may be
 * NULL) is set when some bytes could not be converted.  UTF-16 and UTF-32
 * (with or without a byte order mark) decode whole. */
char *ks_charset_to_utf8(const char *bytes, gsize len, const char *charset,
                         const char *const *declared, bool *lossy);
/* Unlabelled 8-bit text: ISO-2022-JP if it has its escapes, UTF-8 if valid,
 * else the most plausible reading among CP932, EUC-JP, the declared
 * charsets and windows-1252.  Japanese comes first when it reads plausibly;
 * a reading into private-use, unassigned or replacement characters, or
 * rare kanji beside Latin letters, loses (charset.c says how it judges). */
char *ks_charset_guess_to_utf8(const char *bytes, gsize len, const char *const *declared);
/* Adds a charset label (as in charset=LABEL or =?LABEL?) to `declared`
 * (char*, g_free) unless it is there already; at most 12 are kept. */
void ks_charset_declare(GPtrArray *declared, const char *label);
/* Adds the charset of every encoded-word in a raw header value. */
void ks_charset_declare_encoded_words(GPtrArray *declared, const char *raw);
/* True for UTF-16, UTF-32, UCS-2 and UCS-4 labels: their text holds NUL bytes. */
bool ks_charset_is_wide(const char *charset);
/* True when the bytes hold ISO-2022-JP designation escapes (ESC $ B ...). */
bool ks_charset_has_jis_escapes(const char *bytes, gsize len);

/* Decodes RFC 2047 encoded-words in a raw (unfolded) header value.  Adjacent
 * words of one charset are joined as bytes before conversion, so a character
 * split across words survives.  Broken words stay as raw text.  With
 * quote_phrases, decoded runs outside quoted strings are wrapped in "..."
 * (for address headers: a decoded comma or '@' must not split a mailbox).
 * Raw 8-bit text between words is guessed (ks_charset_guess_to_utf8).
 * *broken (may be NULL) is set when a word could not be decoded. */
char *ks_rfc2047_decode(const char *raw, bool quote_phrases, const char *const *declared,
                        bool *broken);

/* The value of parameter `name` ("filename", "name") from a raw
 * Content-Disposition / Content-Type value, decoded to UTF-8: RFC 2231
 * (name*=charset''..., continuations name*0*, name*1 ...) with the bytes of
 * all segments joined before conversion, or a quoted value that may hold
 * encoded-words or raw 8-bit text.  NULL when absent.  An RFC 2231 value
 * may hold NUL bytes ("%00"): they are kept, and *len (may be NULL) is the
 * value's whole length. */
char *ks_param_get(const char *raw_header_value, const char *name, const char *const *declared,
                   gsize *len);

/* NFKC of the valid UTF-8 text s (len bytes), copying runs of characters
 * NFKC leaves alone (ASCII, kana, CJK ideographs) as they are, so plain
 * text costs a scan, not a normalization.  g_free. */
char *ks_charset_nfkc(const char *s, size_t len);

#endif
