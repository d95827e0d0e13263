/* The one bounds-checked byte reader of kensa's hand-written parsers
 * (STYLE.md "binary parsers read through a cursor"): lnk.c's structures,
 * pdf.c's tokens and dates, archives.c's ISO 9660 and gzip offsets.  Every
 * read checks the bytes left; the first read past
 * the end marks the cursor failed ("truncated"), and the failure is sticky:
 * later reads fail too and fill their outputs with zeros, so a parser can
 * read a whole structure and check once.  Nothing here allocates.
 * What the bytes mean is the parser's business, not the cursor's. */
#ifndef KS_CURSOR_H
#define KS_CURSOR_H

#include <glib.h>
#include <stdbool.h>

typedef struct {
	const guint8 *data;
	gsize len;
	gsize pos;
	bool failed;     /* sticky: a read went past the end */
	gsize failed_at; /* the offset of the first failed read */
} ks_cursor;

#define KS_CURSOR_ERROR ks_cursor_error_quark()
GQuark ks_cursor_error_quark(void);
typedef enum {
	KS_CURSOR_ERROR_TRUNCATED,
} ks_cursor_error_code;

/* A cursor over len bytes at data (not copied: data must outlive it). */
void ks_cursor_init(ks_cursor *c, const guint8 *data, gsize len);
/* The next n bytes as a cursor of their own (offsets start at 0), and the
 * parent moves past them.  Too few bytes: both are failed. */
ks_cursor ks_cursor_sub(ks_cursor *c, gsize n);

bool ks_cursor_u8(ks_cursor *c, guint8 *out);
bool ks_cursor_u16le(ks_cursor *c, guint16 *out);
bool ks_cursor_u32le(ks_cursor *c, guint32 *out);
bool ks_cursor_u64le(ks_cursor *c, guint64 *out);
/* Points *out at the next n bytes (inside the cursor's data) and moves past
 * them; *out is NULL on failure. */
bool ks_cursor_bytes(ks_cursor *c, gsize n, const guint8 **out);
/* Copies the next n bytes into out (zeros on failure). */
bool ks_cursor_copy(ks_cursor *c, void *out, gsize n);
bool ks_cursor_skip(ks_cursor *c, gsize n);
/* The n bytes at absolute offset off, without moving (for formats read by
 * offsets, as ISO 9660 is): *out points at them.  Past the end *out is
 * NULL and the cursor is marked failed; unlike the reads above, an offset
 * read in range still succeeds after that (each offset stands alone), and
 * the mark says that one went past. */
bool ks_cursor_at(ks_cursor *c, guint64 off, gsize n, const guint8 **out);
/* Moves to an absolute offset; pos == len is allowed (the end). */
bool ks_cursor_seek(ks_cursor *c, gsize pos);
/* A NUL-terminated string of 1- or 2-byte units (unit 1 or 2), at most
 * max_units units before the terminator: *out points at it, *n_bytes is its
 * length without the terminator, and the cursor moves past the terminator.
 * No terminator within the bytes left (or within max_units): fails. */
bool ks_cursor_strz(ks_cursor *c, int unit, gsize max_units, const guint8 **out, gsize *n_bytes);

/* Lexing text (PDF tokens and dates): these never mark the cursor failed,
 * since meeting the end or another byte is an answer there, not damage.
 * peek gives the next byte without moving; take gives it and moves;
 * skip_byte moves past the next byte only when it is ch; digits reads
 * n decimal digits as a number, moving past each digit it reads (so a
 * short run is consumed: a date's fields read on from there).  Each is
 * false at the end (or on no match). */
bool ks_cursor_peek(const ks_cursor *c, guint8 *out);
bool ks_cursor_take(ks_cursor *c, guint8 *out);
bool ks_cursor_skip_byte(ks_cursor *c, char ch);
bool ks_cursor_digits(ks_cursor *c, int n, int *out);

gsize ks_cursor_remaining(const ks_cursor *c);
/* Sets error to "truncated at offset N" (with what, e.g. "LinkInfo", in
 * front when given) and returns false when the cursor failed; else true. */
bool ks_cursor_check(const ks_cursor *c, const char *what, GError **error);

/* The first place needle[0..n) is in hay[0..len), or NULL (n == 0: NULL):
 * memmem's answer.  It looks with memchr for the needle's least common byte
 * (by a rough rank of bytes in mail, PDF syntax and compressed data), which
 * skips through base64 and binary streams many times faster than glibc's
 * memmem, whose generic search these parsers' short needles get. */
const void *ks_memfind(const void *hay, gsize len, const void *needle, gsize n);

#endif
