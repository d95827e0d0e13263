/* The parser front: raw bytes -> ks_message, through GMime.
 *
 * GMime gives the MIME structure and transfer decoding; header text,
 * parameters and body charsets are decoded by charset.c because GMime's
 * decoders lose real Japanese mail (see the top of charset.c).  Nothing here
 * judges the message: malformations are recorded in m->problems for the
 * headers analyzer to report as input.malformed. */
#include "mail/message.h"

#include "mail/charset.h"
#include "core/error.h"
#include "mail/ole.h"
#include "mail/prescan.h"

#include <gmime/gmime.h>
#include <string.h>

static gpointer init_gmime(gpointer unused)
{
	g_mime_init();
	return NULL;
}

void ks_mime_init(void)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, init_gmime, NULL);
}

static void raw_header_free(ks_raw_header *h)
{
	g_free(h->name);
	g_free(h->raw_value);
	g_free(h->value);
	g_free(h);
}

static void part_free(ks_mime_part *p)
{
	g_free(p->path);
	g_free(p->content_type);
	g_free(p->filename);
	g_free(p->disposition);
	g_free(p->charset);
	g_free(p->content_id);
	if (p->data)
		g_bytes_unref(p->data);
	ks_message_free(p->embedded);
	g_free(p);
}

ks_message *ks_message_new(GBytes *raw, int depth)
{
	ks_message *m = g_new0(ks_message, 1);
	m->raw = raw ? g_bytes_ref(raw) : g_bytes_new(NULL, 0);
	m->headers = g_ptr_array_new_with_free_func((GDestroyNotify)raw_header_free);
	m->parts = g_ptr_array_new_with_free_func((GDestroyNotify)part_free);
	m->problems = g_ptr_array_new_with_free_func(g_free);
	m->depth = depth;
	return m;
}

void ks_message_free(ks_message *m)
{
	if (!m)
		return;
	if (m->raw)
		g_bytes_unref(m->raw);
	g_ptr_array_unref(m->headers);
	g_free(m->body_plain);
	g_free(m->body_html);
	g_ptr_array_unref(m->parts);
	g_ptr_array_unref(m->problems);
	g_strfreev(m->charsets);
	g_free(m);
}

/* h is named name (ASCII case-blind), its first byte compared first: the
 * analyzers ask some eighty names of every message's thirty headers. */
static bool named(const ks_raw_header *h, const char *name, char first)
{
	return h->name && (h->name[0] | 0x20) == first && g_ascii_strcasecmp(h->name, name) == 0;
}

const char *ks_message_header(const ks_message *m, const char *name)
{
	char first = (char)(name[0] | 0x20);
	for (guint i = 0; i < m->headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(m->headers, i);
		if (named(h, name, first))
			return h->value;
	}
	return NULL;
}

GPtrArray *ks_message_headers_named(const ks_message *m, const char *name)
{
	GPtrArray *out = g_ptr_array_new();
	char first = (char)(name[0] | 0x20);
	for (guint i = 0; m && i < m->headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(m->headers, i);
		if (named(h, name, first))
			g_ptr_array_add(out, h);
	}
	return out;
}

const char *ks_address_flaw(const char *address, bool strict)
{
	const char *at = strrchr(address, '@');
	/* a quoted local part: from the opening quote to the one before '@' */
	gsize quoted = 0;
	if (!strict && address[0] == '"' && at && at > address + 1 && at[-1] == '"')
		quoted = (gsize)(at - address);
	for (const char *p = address; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F)
			return "a control character";
		if ((gsize)(p - address) < quoted)
			continue;
		switch (c) {
		case '<':
			return "a '<'";
		case '>':
			return "a '>'";
		case ',':
			return "a comma";
		case '"':
			return "a quote";
		default:
			break;
		}
	}
	return NULL;
}

static bool is_ftext(unsigned char c)
{
	/* RFC 5322 2.2: printable US-ASCII except ':' */
	return c > 32 && c < 127 && c != ':';
}

/* Header names common enough that one of them alone, followed by the blank
 * line, makes a message (a bare MIME entity as mime4j's tests have). */
static bool known_header(const guint8 *name, gsize len)
{
	static const char *const names[] = {"from", "to", "subject", "date", "received",
	                                    "message-id", "content-type", "mime-version",
	                                    "return-path", "delivered-to", "reply-to", "sender"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strlen(names[i]) == len && g_ascii_strncasecmp((const char *)name, names[i], len) == 0)
			return true;
	return false;
}

bool ks_message_looks_like_mail(const guint8 *data, gsize len)
{
	gsize i = 0;
	/* an mbox "From " separator line may come first */
	if (len >= 5 && memcmp(data, "From ", 5) == 0) {
		while (i < len && data[i] != '\n')
			i++;
		i++;
	}
	/* blank or whitespace-only lines before the headers (seen in the wild) */
	for (int guard = 0; guard < 8 && i < len; guard++) {
		gsize p = i;
		while (p < len && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r'))
			p++;
		if (p < len && data[p] == '\n')
			i = p + 1;
		else
			break;
	}
	/* an iCalendar or vCard object (RFC 5545 3.4, RFC 6350 6.1.1): its
	 * content lines ("BEGIN:VCALENDAR", "PRODID:...") read like headers */
	if (len - i >= 7 && g_ascii_strncasecmp((const char *)data + i, "BEGIN:V", 7) == 0)
		return false;
	int header_lines = 0;
	bool known = false;
	for (int line = 0; line < 16 && i < len; line++) {
		gsize start = i;
		while (i < len && data[i] != '\n')
			i++;
		gsize end = i;
		i++;
		if (end > start && data[end - 1] == '\r')
			end--;
		if (end == start)
			break; /* end of the header block */
		if (data[start] == ' ' || data[start] == '\t') {
			if (header_lines == 0)
				return false;
			continue;
		}
		gsize p = start;
		while (p < end && is_ftext(data[p]))
			p++;
		gsize name_end = p;
		while (p < end && (data[p] == ' ' || data[p] == '\t'))
			p++; /* "Name : value" (obsolete syntax, RFC 5322 4.5) */
		if (name_end == start || p >= end || data[p] != ':')
			break; /* a body line: the header block ended without a blank line */
		header_lines++;
		known |= known_header(data + start, name_end - start);
	}
	return header_lines >= 2 || (header_lines == 1 && known);
}

/* Unfolds a raw header value (RFC 5322 2.2.3) and trims it. */
static char *unfold(const char *raw)
{
	GString *s = g_string_sized_new(strlen(raw));
	for (const char *p = raw; *p; p++) {
		if (*p == '\r' || *p == '\n')
			continue;
		g_string_append_c(s, *p);
		if (s->len > KS_MAX_HEADER_BYTES)
			break;
	}
	char *out = g_string_free(s, FALSE);
	return g_strstrip(out);
}

/* Headers whose values are structured tokens: RFC 2047 does not apply. */
static bool structured_header(const char *name)
{
	static const char *const names[] = {
		"Received", "DKIM-Signature", "Authentication-Results", "ARC-Seal",
		"ARC-Message-Signature", "ARC-Authentication-Results", "Message-ID",
		"In-Reply-To", "References", "Content-Type", "Content-Disposition",
		"Content-Transfer-Encoding", "Received-SPF", "Date", "MIME-Version",
		"X-Received", "Return-Path", "Delivered-To",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_ascii_strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

typedef struct {
	ks_message *m;
	int depth;
	int count;
	bool limit_reported;
} walk_state;

void ks_message_problem(ks_message *m, const char *fmt, ...)
{
	if (m->problems->len >= 50)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	for (guint i = 0; i < m->problems->len; i++) {
		if (strcmp(g_ptr_array_index(m->problems, i), s) == 0) {
			g_free(s);
			return;
		}
	}
	g_ptr_array_add(m->problems, s);
}

static void read_headers(ks_message *m, GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = g_mime_header_list_get_count(list);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		const char *name = g_mime_header_get_name(h);
		const char *raw = g_mime_header_get_raw_value(h);
		ks_raw_header *rh = g_new0(ks_raw_header, 1);
		rh->name = g_strdup(name ? name : "");
		rh->raw_value = unfold(raw ? raw : "");
		const char *const *declared = (const char *const *)m->charsets;
		if (structured_header(rh->name)) {
			rh->value = ks_charset_guess_to_utf8(rh->raw_value, strlen(rh->raw_value), declared);
		} else {
			bool broken = false;
			rh->value = ks_rfc2047_decode(rh->raw_value, false, declared, &broken);
			if (broken)
				ks_message_problem(m, "header %s holds an encoded-word that does not decode cleanly",
				        rh->name);
		}
		g_ptr_array_add(m->headers, rh);
	}
}

static const char *raw_header_of(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	GMimeHeader *h = list ? g_mime_header_list_get_header(list, name) : NULL;
	return h ? g_mime_header_get_raw_value(h) : NULL;
}

/* The part's file name, NULL when it has none; *len is its length (it may
 * hold NUL bytes). */
static char *part_filename(const ks_message *m, GMimeObject *obj, gsize *len)
{
	const char *const *declared = (const char *const *)m->charsets;
	const char *cd = raw_header_of(obj, "Content-Disposition");
	const char *ct = raw_header_of(obj, "Content-Type");
	g_autofree char *ucd = cd ? unfold(cd) : NULL;
	g_autofree char *uct = ct ? unfold(ct) : NULL;
	*len = 0;
	char *name = ucd ? ks_param_get(ucd, "filename", declared, len) : NULL;
	if (!name || !*len) {
		g_free(name);
		name = uct ? ks_param_get(uct, "name", declared, len) : NULL;
	}
	if (name && !*len)
		g_clear_pointer(&name, g_free);
	return name;
}

/* The charsets the message declares, in order: every part's charset= and
 * every encoded-word's charset in its headers and its parts' headers (not
 * those of an attached message, which is parsed on its own).  Bounded by
 * the part and nesting limits of the walk below. */
static void declared_charsets(GMimeObject *obj, GPtrArray *out, int level, int *count)
{
	if (!obj || level > 64 || ++*count > KS_MAX_PARTS)
		return;
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = list ? g_mime_header_list_get_count(list) : 0;
	for (int i = 0; i < n; i++) {
		const char *raw = g_mime_header_get_raw_value(g_mime_header_list_get_header_at(list, i));
		if (raw && strstr(raw, "=?"))
			ks_charset_declare_encoded_words(out, raw);
	}
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	ks_charset_declare(out, ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int parts = g_mime_multipart_get_count(mp);
		for (int i = 0; i < parts; i++)
			declared_charsets(g_mime_multipart_get_part(mp, i), out, level + 1, count);
	}
}

/* the value of each base64 character, -1 for the others */
static const signed char b64_value[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* b64_value as each of a group's four places adds it in: shifted into
 * place, B64_BAD for a byte that is no base64 character. */
#define B64_BAD 0x01000000u
typedef struct {
	guint32 at[4][256];
} b64_tables;

static const b64_tables *b64_tables_get(void)
{
	static b64_tables t;
	static gsize built;
	if (g_once_init_enter(&built)) {
		for (int c = 0; c < 256; c++)
			for (int k = 0; k < 4; k++)
				t.at[k][c] = b64_value[c] < 0 ? B64_BAD
				                               : (guint32)b64_value[c] << (6 * (3 - k));
		g_once_init_leave(&built, 1);
	}
	return &t;
}

GBytes *ks_base64_decode_clean(const guint8 *in, gsize len)
{
	gsize end = len;
	while (end > 0 && (in[end - 1] == '\n' || in[end - 1] == '\r' || in[end - 1] == ' ' ||
	                   in[end - 1] == '\t'))
		end--;
	/* up to two '=', a line break allowed between them */
	int pad = 0;
	for (gsize e = end; e > 0 && pad < 2;) {
		if (in[e - 1] == '=') {
			pad++;
			end = --e;
		} else if (pad > 0 && (in[e - 1] == '\n' || in[e - 1] == '\r')) {
			e--;
		} else {
			break;
		}
	}
	guint8 *out = g_malloc(len / 4 * 3 + 3);
	gsize o = 0;
	guint32 acc = 0;
	int n = 0;
	const b64_tables *t = b64_tables_get();
	for (gsize i = 0; i < end; i++) {
		/* whole groups at a group boundary, the common case: a line of them
		 * in one run, four look-ups and an or a group */
		if (n == 0) {
			while (i + 4 <= end) {
				guint32 g = t->at[0][in[i]] | t->at[1][in[i + 1]] | t->at[2][in[i + 2]] |
				            t->at[3][in[i + 3]];
				if (g & B64_BAD)
					break;
				out[o] = (guint8)(g >> 16);
				out[o + 1] = (guint8)(g >> 8);
				out[o + 2] = (guint8)g;
				o += 3;
				i += 4;
			}
			if (i >= end)
				break;
		}
		int v = b64_value[in[i]];
		if (v >= 0) {
			acc = acc << 6 | (guint32)v;
			if (++n == 4) {
				out[o++] = (guint8)(acc >> 16);
				out[o++] = (guint8)(acc >> 8);
				out[o++] = (guint8)acc;
				n = 0;
				acc = 0;
			}
		} else if (in[i] != '\n' && in[i] != '\r') {
			g_free(out);
			return NULL;
		}
	}
	if (n + pad != (pad ? 4 : 0)) {
		g_free(out);
		return NULL;
	}
	if (n == 2) {
		out[o++] = (guint8)(acc >> 4);
	} else if (n == 3) {
		out[o++] = (guint8)(acc >> 10);
		out[o++] = (guint8)(acc >> 2);
	}
	return g_bytes_new_take(out, o);
}

static int hex_value(guint8 c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	                              : -1;
}

GBytes *ks_qp_decode_clean(const guint8 *in, gsize len)
{
	guint8 *out = g_malloc(len + 1);
	gsize o = 0, i = 0;
	while (i < len) {
		/* the bytes up to the next '=' as they are, in one copy */
		const guint8 *eq = memchr(in + i, '=', len - i);
		gsize run = eq ? (gsize)(eq - (in + i)) : len - i;
		memcpy(out + o, in + i, run);
		o += run;
		i += run;
		if (!eq)
			break;
		if (i + 1 < len && in[i + 1] == '\n') {
			i += 2; /* a soft line break */
			continue;
		}
		if (i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n') {
			i += 3;
			continue;
		}
		int h = i + 2 < len ? hex_value(in[i + 1]) : -1;
		int l = h >= 0 ? hex_value(in[i + 2]) : -1;
		if (l < 0) {
			g_free(out);
			return NULL;
		}
		out[o++] = (guint8)(h << 4 | l);
		i += 3;
	}
	return g_bytes_new_take(out, o);
}

/* The encoded bytes of w when it holds them in memory as they are (GMime's
 * parser leaves a part's content so), or NULL. */
static gboolean raw_content(GMimeDataWrapper *w, const guint8 **p, gsize *n)
{
	GMimeStream *s = g_mime_data_wrapper_get_stream(w);
	if (!s || !GMIME_IS_STREAM_MEM(s))
		return FALSE;
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	if (!ba)
		return FALSE;
	gint64 start = s->bound_start, end = s->bound_end < 0 ? (gint64)ba->len : s->bound_end;
	if (start < 0 || end < start || end > (gint64)ba->len)
		return FALSE;
	*p = ba->data + start;
	*n = (gsize)(end - start);
	return TRUE;
}

/* Base64 and quoted-printable in their clean forms, decoded here straight
 * from the part's bytes in memory (the encoded stream is a window on the
 * parser's byte array; GMime's filter chain costs a copy and a state
 * machine step a byte); NULL leaves the part to GMime's decoder. */
static GBytes *decode_fast(GMimeDataWrapper *w)
{
	const guint8 *p = NULL;
	gsize n = 0;
	switch (g_mime_data_wrapper_get_encoding(w)) {
	case GMIME_CONTENT_ENCODING_BASE64:
		return raw_content(w, &p, &n) ? ks_base64_decode_clean(p, n) : NULL;
	case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
		return raw_content(w, &p, &n) ? ks_qp_decode_clean(p, n) : NULL;
	default:
		return NULL;
	}
}

static GBytes *part_content(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return g_bytes_new(NULL, 0);
	GBytes *fast = decode_fast(w);
	if (fast)
		return fast;
	/* decoded content is no longer than the encoded (base64 and
	 * quoted-printable shrink), so one allocation holds it */
	GMimeStream *encoded = g_mime_data_wrapper_get_stream(w);
	gint64 size = encoded ? g_mime_stream_length(encoded) : -1;
	GByteArray *ba = size > 0 && size <= G_MAXUINT ? g_byte_array_sized_new((guint)size)
	                                               : g_byte_array_new();
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_data_wrapper_write_to_stream(w, mem);
	g_object_unref(mem);
	return g_byte_array_free_to_bytes(ba);
}

static GBytes *object_bytes(GMimeObject *obj)
{
	GByteArray *ba = g_byte_array_new();
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_object_write_to_stream(obj, NULL, mem);
	g_object_unref(mem);
	return g_byte_array_free_to_bytes(ba);
}

/* A text part as UTF-8.  NUL bytes (a broken sender, binary pasted into a
 * text part) would end the C string there and hide the rest of the body
 * from every analyzer: they are dropped and reported.  A leading byte
 * order mark (Windows senders) is not text and not a hidden character. */
static char *text_of(ks_message *m, const char *path, GBytes *data, const char *charset)
{
	gsize len = 0;
	const char *d = g_bytes_get_data(data, &len);
	if (!d)
		d = "";
	g_autofree char *clean = NULL;
	if (len && memchr(d, 0, len) && !ks_charset_is_wide(charset)) {
		clean = g_malloc(len);
		gsize n = 0;
		for (gsize i = 0; i < len; i++)
			if (d[i])
				clean[n++] = d[i];
		ks_message_problem(m, "text part %s holds NUL bytes; they were dropped", path);
		d = clean;
		len = n;
	}
	char *text = ks_charset_to_utf8(d, len, charset, (const char *const *)m->charsets, NULL);
	if (g_str_has_prefix(text, "\xEF\xBB\xBF"))
		memmove(text, text + 3, strlen(text + 3) + 1);
	return text;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && g_ascii_strcasecmp(s + n - k, suffix) == 0;
}

static void append_body(char **dst, const char *text)
{
	if (!*dst) {
		*dst = g_strdup(text);
		return;
	}
	char *joined = g_strconcat(*dst, "\n\n", text, NULL);
	g_free(*dst);
	*dst = joined;
}

static void walk(walk_state *st, GMimeObject *obj, const char *path, bool in_alternative, int level);

static void add_leaf(walk_state *st, GMimeObject *obj, const char *path, bool in_alternative)
{
	ks_message *m = st->m;
	if (++st->count > KS_MAX_PARTS) {
		if (!st->limit_reported)
			ks_message_problem(m, "more than %d MIME parts; the rest were not read", KS_MAX_PARTS);
		st->limit_reported = true;
		return;
	}
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup(path);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	g_autofree char *ctype =
		g_strconcat(type ? type : "application", "/", sub ? sub : "octet-stream", NULL);
	p->content_type = g_ascii_strdown(ctype, -1);
	const char *cs = ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL;
	p->charset = cs ? g_strdup(cs) : NULL;
	const char *disp = g_mime_object_get_disposition(obj);
	p->disposition = disp ? g_ascii_strdown(disp, -1) : NULL;
	p->filename = part_filename(m, obj, &p->filename_len);
	const char *cid = g_mime_object_get_content_id(obj);
	p->content_id = cid ? g_strdup(cid) : NULL;

	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		p->data = inner ? object_bytes(GMIME_OBJECT(inner)) : g_bytes_new(NULL, 0);
	} else if (GMIME_IS_PART(obj)) {
		p->data = part_content(GMIME_PART(obj));
	} else {
		p->data = object_bytes(obj);
	}

	bool is_text = g_str_equal(p->content_type, "text/plain") ||
	               g_str_equal(p->content_type, "text/html");
	bool attachment = p->disposition && g_str_equal(p->disposition, "attachment");
	if (is_text && !attachment && (!p->filename || in_alternative)) {
		p->is_body = true;
		g_autofree char *text = text_of(m, path, p->data, p->charset);
		if (g_str_equal(p->content_type, "text/plain"))
			append_body(&m->body_plain, text);
		else if (!m->body_html)
			m->body_html = g_strdup(text);
		else
			p->is_body = false; /* a second HTML body is listed as a part */
	}

	/* a forwarded message: message/rfc822, or a .eml sent as octet-stream */
	gsize dlen = 0;
	const guint8 *d = g_bytes_get_data(p->data, &dlen);
	bool rfc822 = GMIME_IS_MESSAGE_PART(obj) || g_str_equal(p->content_type, "message/rfc822");
	bool eml_name = p->filename && strlen(p->filename) == p->filename_len &&
	                ends_with_ci(p->filename, ".eml");
	bool octet = g_str_has_prefix(p->content_type, "application/") ||
	             g_str_has_prefix(p->content_type, "message/");
	/* an Outlook .msg attached to the mail (MS-OXMSG: an OLE2 file, which
	 * parse.c tells from a Word file), or a mail */
	p->holds_message = !p->is_body && dlen > 0 &&
	                   (ks_ole_sniff(d, dlen) ||
	                    ((rfc822 || eml_name || octet) && ks_message_looks_like_mail(d, dlen)));
	g_ptr_array_add(m->parts, p);
}

static void walk(walk_state *st, GMimeObject *obj, const char *path, bool in_alternative, int level)
{
	if (level > KS_MAX_NESTING) {
		ks_message_problem(st->m, "MIME nesting deeper than %d at part %s", KS_MAX_NESTING, path);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
		bool alt = sub && g_ascii_strcasecmp(sub, "alternative") == 0;
		int n = g_mime_multipart_get_count(mp);
		if (n == 0)
			ks_message_problem(st->m, "multipart at part %s has no parts (missing or wrong boundary)",
			        *path ? path : "1");
		for (int i = 0; i < n; i++) {
			g_autofree char *child = *path ? g_strdup_printf("%s/%d", path, i + 1)
			                               : g_strdup_printf("%d", i + 1);
			walk(st, g_mime_multipart_get_part(mp, i), child, alt || in_alternative, level + 1);
		}
		return;
	}
	add_leaf(st, obj, *path ? path : "1", in_alternative);
}

static void on_warning(gint64 offset, GMimeParserWarning errcode, const gchar *item, gpointer user)
{
	ks_message *m = user;
	switch (errcode) {
	case GMIME_WARN_MALFORMED_MULTIPART:
		ks_message_problem(m, "a multipart has no child parts");
		break;
	case GMIME_WARN_TRUNCATED_MESSAGE:
		ks_message_problem(m, "the message is truncated");
		break;
	case GMIME_WARN_MALFORMED_MESSAGE:
		ks_message_problem(m, "the message structure is malformed");
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		ks_message_problem(m, "a header has an invalid name (near byte %" G_GINT64_FORMAT ")", offset);
		break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		ks_message_problem(m, "a multipart has no boundary parameter");
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		ks_message_problem(m, "MIME nesting overflow (a parser attack)");
		break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		ks_message_problem(m, "a MIME part has neither headers nor content");
		break;
	case GMIME_CRIT_CONFLICTING_HEADER:
		ks_message_problem(m, "conflicting header %s", item ? item : "");
		break;
	default:
		/* duplicated or 8-bit headers, odd parameters: real mail, not damage */
		break;
	}
}

ks_message *ks_mime_parse(GBytes *raw, int depth, GError **error)
{
	ks_mime_init();
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(raw, &len);
	if (!data || len == 0) {
		g_set_error(error, KS_ERROR, KS_ERROR_NOT_MESSAGE, "empty input");
		return NULL;
	}
	if (!ks_message_looks_like_mail(data, len)) {
		g_set_error(error, KS_ERROR, KS_ERROR_NOT_MESSAGE,
		            "not an e-mail message (no RFC 5322 header block)");
		return NULL;
	}
	/* an mbox "From " line is not a header: skip it */
	gsize off = 0;
	if (len >= 5 && memcmp(data, "From ", 5) == 0) {
		while (off < len && data[off] != '\n')
			off++;
		if (off < len)
			off++;
	}
	/* whitespace-only lines before the first header (seen in the wild):
	 * GMime would take them for the end of an empty header block */
	for (int guard = 0; guard < 8 && off < len; guard++) {
		gsize p = off;
		while (p < len && (data[p] == ' ' || data[p] == '\t' || data[p] == '\r'))
			p++;
		if (p < len && data[p] == '\n')
			off = p + 1;
		else
			break;
	}

	ks_message *m = ks_message_new(raw, depth);
	/* GMime hands header values on as C strings: a NUL byte in the header
	 * block ends the value it is in, and that loss is said */
	gsize header_end = off;
	for (;;) { /* to the blank line (LF or CRLF) that ends the header block */
		const guint8 *nl = memchr(data + header_end, '\n', len - header_end);
		if (!nl) {
			header_end = len;
			break;
		}
		header_end = (gsize)(nl - data) + 1;
		if (header_end >= len || data[header_end] == '\n' ||
		    (data[header_end] == '\r' && header_end + 1 < len && data[header_end + 1] == '\n'))
			break;
	}
	if (memchr(data + off, '\0', header_end - off))
		ks_message_problem(m, "a NUL byte in the header block: the header value holding it is cut there");
	/* caps before cost: what GMime is given, counted first */
	g_autoptr(GArray) keep = g_array_new(FALSE, FALSE, sizeof(ks_span));
	g_autoptr(GPtrArray) capped = g_ptr_array_new_with_free_func(g_free);
	ks_prescan(data, off, len, keep, capped);
	for (guint i = 0; i < capped->len; i++)
		ks_message_problem(m, "%s", (const char *)g_ptr_array_index(capped, i));

	GMimeParserOptions *opts = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_warning_callback(opts, on_warning, m);

	/* GMime reads the message where it lies: the byte array only borrows
	 * raw's bytes (m holds raw until after msg and its streams are gone),
	 * and the parser never writes to its stream.  When the pre-scan left
	 * bytes out, GMime reads the kept ranges as one stream of views. */
	const ks_span *first = keep->len ? &g_array_index(keep, ks_span, 0) : NULL;
	gsize view_end = keep->len == 1 ? first->to : len;
	GByteArray *view = g_byte_array_new_take((guint8 *)data + off, view_end - off);
	GMimeStream *whole = g_mime_stream_mem_new_with_byte_array(view);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(whole), FALSE);
	GMimeStream *stream = whole;
	if (keep->len != 1) {
		stream = g_mime_stream_cat_new();
		for (guint i = 0; i < keep->len; i++) {
			const ks_span *k = &g_array_index(keep, ks_span, i);
			GMimeStream *part = g_mime_stream_substream(whole, (gint64)(k->from - off),
			                                            (gint64)(k->to - off));
			g_mime_stream_cat_add_source(GMIME_STREAM_CAT(stream), part);
			g_object_unref(part);
		}
		g_object_unref(whole);
	}
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, opts);
	g_object_unref(parser);
	g_object_unref(stream);

	if (!msg) {
		ks_message_problem(m, "GMime could not build a message from the input");
	} else {
		GPtrArray *declared = g_ptr_array_new();
		int seen = 0;
		declared_charsets(GMIME_OBJECT(msg), declared, 0, &seen);
		declared_charsets(g_mime_message_get_mime_part(msg), declared, 0, &seen);
		g_ptr_array_add(declared, NULL);
		m->charsets = (char **)g_ptr_array_free(declared, FALSE);
		read_headers(m, GMIME_OBJECT(msg));
		GMimeObject *body = g_mime_message_get_mime_part(msg);
		if (body) {
			walk_state st = {m, depth, 0, false};
			walk(&st, body, "", false, 0);
		}
		g_object_unref(msg);
	}
	/* the array goes, the borrowed bytes stay raw's (g_byte_array_steal
	 * would empty the array but keep it, a 40-byte leak per message) */
	g_byte_array_free(view, FALSE);
	g_mime_parser_options_free(opts);
	return m;
}
