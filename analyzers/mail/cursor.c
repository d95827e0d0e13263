/* The bounds-checked byte reader (see cursor.h).  Each read asks need() for
 * its bytes; need() is the only place that compares against the length, and
 * it is written so that pos + n can never overflow. */
#include "mail/cursor.h"

#include <string.h>

G_DEFINE_QUARK(ks-cursor-error-quark, ks_cursor_error)

void ks_cursor_init(ks_cursor *c, const guint8 *data, gsize len)
{
	c->data = data;
	c->len = data ? len : 0;
	c->pos = 0;
	c->failed = false;
	c->failed_at = 0;
}

static void fail(ks_cursor *c)
{
	if (!c->failed)
		c->failed_at = c->pos;
	c->failed = true;
}

/* True when n more bytes are there; else the cursor fails. */
static bool need(ks_cursor *c, gsize n)
{
	if (c->failed || c->pos > c->len || n > c->len - c->pos) {
		fail(c);
		return false;
	}
	return true;
}

ks_cursor ks_cursor_sub(ks_cursor *c, gsize n)
{
	ks_cursor sub;
	if (!need(c, n)) {
		ks_cursor_init(&sub, NULL, 0);
		sub.failed = true;
		return sub;
	}
	ks_cursor_init(&sub, c->data + c->pos, n);
	c->pos += n;
	return sub;
}

bool ks_cursor_u8(ks_cursor *c, guint8 *out)
{
	*out = 0;
	if (!need(c, 1))
		return false;
	*out = c->data[c->pos++];
	return true;
}

bool ks_cursor_u16le(ks_cursor *c, guint16 *out)
{
	*out = 0;
	if (!need(c, 2))
		return false;
	const guint8 *p = c->data + c->pos;
	*out = (guint16)(p[0] | (guint16)p[1] << 8);
	c->pos += 2;
	return true;
}

bool ks_cursor_u32le(ks_cursor *c, guint32 *out)
{
	*out = 0;
	if (!need(c, 4))
		return false;
	const guint8 *p = c->data + c->pos;
	*out = (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
	c->pos += 4;
	return true;
}

bool ks_cursor_u64le(ks_cursor *c, guint64 *out)
{
	guint32 lo = 0, hi = 0;
	*out = 0;
	if (!need(c, 8))
		return false;
	ks_cursor_u32le(c, &lo);
	ks_cursor_u32le(c, &hi);
	*out = (guint64)hi << 32 | lo;
	return true;
}

bool ks_cursor_bytes(ks_cursor *c, gsize n, const guint8 **out)
{
	*out = NULL;
	if (!need(c, n))
		return false;
	*out = c->data + c->pos;
	c->pos += n;
	return true;
}

bool ks_cursor_copy(ks_cursor *c, void *out, gsize n)
{
	const guint8 *p = NULL;
	if (!ks_cursor_bytes(c, n, &p)) {
		memset(out, 0, n);
		return false;
	}
	memcpy(out, p, n);
	return true;
}

bool ks_cursor_skip(ks_cursor *c, gsize n)
{
	if (!need(c, n))
		return false;
	c->pos += n;
	return true;
}

bool ks_cursor_seek(ks_cursor *c, gsize pos)
{
	if (c->failed || pos > c->len) {
		fail(c);
		return false;
	}
	c->pos = pos;
	return true;
}

bool ks_cursor_strz(ks_cursor *c, int unit, gsize max_units, const guint8 **out, gsize *n_bytes)
{
	*out = NULL;
	*n_bytes = 0;
	if (unit != 1 && unit != 2) {
		fail(c);
		return false;
	}
	gsize u = (gsize)unit;
	for (gsize i = 0; i <= max_units; i++) {
		gsize at = i * u;
		if (!need(c, at + u))
			return false;
		const guint8 *p = c->data + c->pos + at;
		if (p[0] == 0 && (u == 1 || p[1] == 0)) {
			*out = c->data + c->pos;
			*n_bytes = at;
			c->pos += at + u;
			return true;
		}
	}
	fail(c);
	return false;
}

bool ks_cursor_at(ks_cursor *c, guint64 off, gsize n, const guint8 **out)
{
	*out = NULL;
	if (off > c->len || n > c->len - off) {
		if (!c->failed)
			c->failed_at = off > c->len ? c->len : (gsize)off;
		c->failed = true;
		return false;
	}
	*out = c->data + off;
	return true;
}

bool ks_cursor_peek(const ks_cursor *c, guint8 *out)
{
	if (c->pos >= c->len)
		return false;
	*out = c->data[c->pos];
	return true;
}

bool ks_cursor_take(ks_cursor *c, guint8 *out)
{
	if (!ks_cursor_peek(c, out))
		return false;
	c->pos++;
	return true;
}

bool ks_cursor_skip_byte(ks_cursor *c, char ch)
{
	guint8 b = 0;
	if (!ks_cursor_peek(c, &b) || b != (guint8)ch)
		return false;
	c->pos++;
	return true;
}

bool ks_cursor_digits(ks_cursor *c, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		guint8 b = 0;
		if (!ks_cursor_peek(c, &b) || !g_ascii_isdigit(b))
			return false;
		c->pos++;
		v = v * 10 + (b - '0');
	}
	*out = v;
	return true;
}

gsize ks_cursor_remaining(const ks_cursor *c)
{
	return c->failed || c->pos > c->len ? 0 : c->len - c->pos;
}

bool ks_cursor_check(const ks_cursor *c, const char *what, GError **error)
{
	if (!c->failed)
		return true;
	g_set_error(error, KS_CURSOR_ERROR, KS_CURSOR_ERROR_TRUNCATED, "%s%struncated at offset %zu",
	            what ? what : "", what ? ": " : "", c->failed_at);
	return false;
}

/* How common a byte is in what the parsers search (lower is rarer): blanks,
 * line ends, NUL, '/' and brackets of PDF syntax most; then lower-case
 * letters; then capitals and digits; other punctuation and bytes above
 * 0x7F least (and no more often than 1 in 256 in compressed data). */
static int byte_rank(guint8 b)
{
	if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0 || b == '/' || b == '<' ||
	    b == '>')
		return 4;
	if (g_ascii_islower(b))
		return 3;
	if (g_ascii_isupper(b) || g_ascii_isdigit(b))
		return 2;
	return 1;
}

const void *ks_memfind(const void *hay, gsize len, const void *needle, gsize n)
{
	const guint8 *h = hay, *nd = needle;
	if (!n || n > len)
		return NULL;
	gsize j = 0; /* the anchor: the rarest byte, the last of equals */
	for (gsize i = 1; i < n; i++)
		if (byte_rank(nd[i]) <= byte_rank(nd[j]))
			j = i;
	/* a candidate anchor at h[a] means a match at h[a - j]; the last start
	 * that fits is len - n */
	const guint8 *end = h + (len - n) + j + 1; /* one past the last anchor place */
	for (const guint8 *a = h + j; a < end;) {
		const guint8 *c = memchr(a, nd[j], (gsize)(end - a));
		if (!c)
			return NULL;
		if (memcmp(c - j, nd, n) == 0)
			return c - j;
		a = c + 1;
	}
	return NULL;
}
