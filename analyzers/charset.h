/* Text as mail really carries it: charset conversion to UTF-8 with the
 * Japanese realities (CP932 under a Shift_JIS label, NEC/IBM extensions under
 * an ISO-2022-JP label), RFC 2047 encoded-words and RFC 2231 parameters.
 * Everything here returns UTF-8 and never fails: bytes that cannot be
 * converted become U+FFFD. */
#ifndef KS_CHARSET_H
#define KS_CHARSET_H

#include <glib.h>
#include <stdbool.h>

/* Bytes in a declared charset (NULL = unknown) to UTF-8.  *lossy (may be
 * NULL) is set when some bytes could not be converted. */
char *ks_charset_to_utf8(const char *bytes, gsize len, const char *charset, bool *lossy);
/* Unlabelled 8-bit text: ISO-2022-JP if it has its escapes, UTF-8 if valid,
 * else CP932 if that converts cleanly, else windows-1252. */
char *ks_charset_guess_to_utf8(const char *bytes, gsize len);
/* True when the bytes hold ISO-2022-JP designation escapes (ESC $ B ...). */
bool ks_charset_has_jis_escapes(const char *bytes, gsize len);

/* Decodes RFC 2047 encoded-words in a raw (unfolded) header value.  Adjacent
 * words of one charset are joined as bytes before conversion, so a character
 * split across words survives.  Broken words stay as raw text.  With
 * quote_phrases, decoded runs outside quoted strings are wrapped in "..."
 * (for address headers: a decoded comma or '@' must not split a mailbox).
 * *broken (may be NULL) is set when a word could not be decoded. */
char *ks_rfc2047_decode(const char *raw, bool quote_phrases, bool *broken);

/* The value of parameter `name` ("filename", "name") from a raw
 * Content-Disposition / Content-Type value, decoded to UTF-8: RFC 2231
 * (name*=charset''..., continuations name*0*, name*1 ...) with the bytes of
 * all segments joined before conversion, or a quoted value that may hold
 * encoded-words or raw 8-bit text.  NULL when absent. */
char *ks_param_get(const char *raw_header_value, const char *name);

/* NFKC of the valid UTF-8 text s (len bytes), copying runs of characters
 * NFKC leaves alone (ASCII, kana, CJK ideographs) as they are, so plain
 * text costs a scan, not a normalization.  g_free. */
char *ks_charset_nfkc(const char *s, size_t len);

#endif
