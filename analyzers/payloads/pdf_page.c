/* The page reader of pdf_page.h: a lexer for PDF's token syntax (ISO
 * 32000-1 7.2-7.3), an index of the indirect objects in the bytes, stream
 * decoding for the filters content streams use, the page tree, and an
 * interpreter that follows only the graphics state's transformation matrix
 * and the images drawn under it.  Values are never built into trees: a
 * value is a view of its bytes, and a dictionary is searched where it lies.
 * Every loop is bounded by the limits in pdf_page.h and below; what does
 * not parse is skipped, never an error. */
#include "payloads/pdf_page.h"

#include "mail/cursor.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

/* indirect objects indexed per document (a 256 MiB file of tiny objects
 * has a few million; the pages this reader looks at need a few hundred) */
#define MAX_OBJECTS 1000000
/* tokens read for one document, content and dictionaries alike: a heavy
 * real page is a few hundred thousand; this is about a tenth of a second */
#define MAX_TOKENS 2000000
/* arrays and dictionaries nested in one object (poppler's parser: 100) */
#define MAX_NESTING 64
/* references followed from one value to what it names */
#define MAX_REF_HOPS 8
/* page-tree levels and nodes visited (a tree of 50 pages is a few nodes) */
#define MAX_TREE_DEPTH 32
#define MAX_TREE_NODES 10000
/* bytes one stream may decode to */
#define MAX_STREAM_BYTES (16 * 1024 * 1024)
/* q without Q kept per content stream (ISO 32000-1 Annex C: 28 is the
 * conforming limit); deeper ones are counted, not kept */
#define MAX_SAVE_DEPTH 64
/* content streams of one page's /Contents array */
#define MAX_CONTENT_PARTS 1000
/* an inline image's dictionary, entries read before ID */
#define MAX_INLINE_KEYS 64
/* a name is at most 127 bytes (ISO 32000-1 Annex C.2) */
#define NAME_MAX_BYTES 127

/* ---- lexer (ISO 32000-1 7.2) ----------------------------------------- */

typedef enum {
	T_EOF,
	T_NUM,
	T_NAME,
	T_STRING,
	T_HEX,
	T_DICT_OPEN,
	T_DICT_CLOSE,
	T_ARRAY_OPEN,
	T_ARRAY_CLOSE,
	T_KEYWORD,
} tok_kind;

typedef struct {
	tok_kind kind;
	const guint8 *s; /* the token's bytes */
	gsize n;
	double num;
	bool integer;
} tok;

typedef struct {
	const guint8 *p;
	gsize len, pos;
	long *work; /* tokens left for the whole document: at zero, every lexer ends */
} lexer;

/* Table 1: white-space characters */
static bool is_space(guint8 b)
{
	return b == 0 || b == '\t' || b == '\n' || b == '\f' || b == '\r' || b == ' ';
}

/* Table 2: delimiters */
static bool is_delim(guint8 b)
{
	return b == '(' || b == ')' || b == '<' || b == '>' || b == '[' || b == ']' || b == '{' ||
	       b == '}' || b == '/' || b == '%';
}

static bool is_regular(guint8 b)
{
	return !is_space(b) && !is_delim(b);
}

static void skip_space(lexer *l)
{
	while (l->pos < l->len) {
		guint8 b = l->p[l->pos];
		if (is_space(b)) {
			l->pos++;
		} else if (b == '%') {
			while (l->pos < l->len && l->p[l->pos] != '\n' && l->p[l->pos] != '\r')
				l->pos++;
		} else {
			break;
		}
	}
}

/* A number as 7.3.3 writes it: [+-]digits[.digits] or [+-].digits. */
static bool parse_number(const guint8 *s, gsize n, double *out, bool *integer)
{
	gsize i = 0;
	bool neg = false, digits = false, dot = false;
	double v = 0, scale = 1;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (g_ascii_isdigit(s[i])) {
			digits = true;
			if (dot) {
				scale /= 10;
				v += (s[i] - '0') * scale;
			} else {
				v = v * 10 + (s[i] - '0');
			}
		} else if (s[i] == '.' && !dot) {
			dot = true;
		} else {
			return false;
		}
	}
	if (!digits || !isfinite(v))
		return false;
	*out = neg ? -v : v;
	*integer = !dot;
	return true;
}

static tok lex(lexer *l)
{
	tok t = {T_EOF, NULL, 0, 0, false};
	if (!l->p) /* an empty stream: GBytes gives no pointer, and NULL + 0 is undefined */
		return t;
	skip_space(l);
	t.s = l->p + l->pos;
	if (l->pos >= l->len || *l->work <= 0)
		return t;
	--*l->work;
	gsize start = l->pos;
	guint8 b = l->p[l->pos++];
	switch (b) {
	case '/':
		t.kind = T_NAME;
		while (l->pos < l->len && is_regular(l->p[l->pos]))
			l->pos++;
		break;
	case '(': {
		/* 7.3.4.2: balanced parentheses, a backslash escapes one byte */
		int depth = 1;
		t.kind = T_STRING;
		while (l->pos < l->len && depth > 0) {
			guint8 c = l->p[l->pos++];
			if (c == '\\')
				l->pos += l->pos < l->len;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
		}
		break;
	}
	case '<':
		if (l->pos < l->len && l->p[l->pos] == '<') {
			l->pos++;
			t.kind = T_DICT_OPEN;
		} else {
			t.kind = T_HEX;
			while (l->pos < l->len && l->p[l->pos] != '>')
				l->pos++;
			l->pos += l->pos < l->len;
		}
		break;
	case '>':
		t.kind = T_DICT_CLOSE;
		if (l->pos < l->len && l->p[l->pos] == '>')
			l->pos++;
		break;
	case '[':
		t.kind = T_ARRAY_OPEN;
		break;
	case ']':
		t.kind = T_ARRAY_CLOSE;
		break;
	case '{':
	case '}':
	case ')':
		t.kind = T_KEYWORD; /* out of place here: a keyword nobody knows */
		break;
	default:
		while (l->pos < l->len && is_regular(l->p[l->pos]))
			l->pos++;
		t.kind = parse_number(l->p + start, l->pos - start, &t.num, &t.integer) ? T_NUM
		                                                                       : T_KEYWORD;
		break;
	}
	t.n = l->pos - start;
	return t;
}

static bool is_keyword(const tok *t, const char *word)
{
	gsize n = strlen(word);
	return t->kind == T_KEYWORD && t->n == n && memcmp(t->s, word, n) == 0;
}

/* A name token's text with #xx escapes decoded (7.3.5), without the '/',
 * cut at NAME_MAX_BYTES. */
static void name_text(const tok *t, char out[NAME_MAX_BYTES + 1])
{
	gsize o = 0;
	for (gsize i = 1; i < t->n && o < NAME_MAX_BYTES; i++) {
		guint8 c = t->s[i];
		if (c == '#' && i + 2 < t->n && g_ascii_isxdigit(t->s[i + 1]) &&
		    g_ascii_isxdigit(t->s[i + 2])) {
			c = (guint8)(g_ascii_xdigit_value((char)t->s[i + 1]) * 16 +
			             g_ascii_xdigit_value((char)t->s[i + 2]));
			i += 2;
		}
		out[o++] = (char)(c ? c : '?');
	}
	out[o] = '\0';
}

/* ---- values: views of their bytes (7.3) ------------------------------- */

typedef enum { V_NONE, V_NUM, V_NAME, V_STRING, V_ARRAY, V_DICT, V_REF, V_OTHER } vkind;

typedef struct {
	vkind kind;
	const guint8 *s; /* the value's bytes: "<< ... >>" whole for a dictionary */
	gsize n;
	double num;
	int ref; /* the object number of a reference */
	char name[NAME_MAX_BYTES + 1];
} value;

/* Skips the rest of an array or dictionary whose opening token was just
 * read, counting nesting; false when it never closes or nests too deep. */
static bool skip_container(lexer *l)
{
	int depth = 1;
	while (depth > 0) {
		tok t = lex(l);
		if (t.kind == T_EOF)
			return false;
		if (t.kind == T_DICT_OPEN || t.kind == T_ARRAY_OPEN) {
			if (++depth > MAX_NESTING)
				return false;
		} else if (t.kind == T_DICT_CLOSE || t.kind == T_ARRAY_CLOSE) {
			depth--;
		}
	}
	return true;
}

/* The value that starts at the lexer's position; the lexer moves past it.
 * "N G R" is a reference (7.3.10). */
static value read_value(lexer *l)
{
	value v = {.kind = V_NONE};
	tok t = lex(l);
	v.s = t.s;
	v.n = t.n;
	switch (t.kind) {
	case T_NUM: {
		v.kind = V_NUM;
		v.num = t.num;
		if (!t.integer || t.num < 0 || t.num > G_MAXINT)
			break;
		gsize save = l->pos;
		tok g = lex(l);
		if (g.kind == T_NUM && g.integer) {
			tok r = lex(l);
			if (is_keyword(&r, "R")) {
				v.kind = V_REF;
				v.ref = (int)t.num;
				v.n = (gsize)(r.s + r.n - t.s);
				break;
			}
		}
		l->pos = save;
		break;
	}
	case T_NAME:
		v.kind = V_NAME;
		name_text(&t, v.name);
		break;
	case T_STRING:
	case T_HEX:
		v.kind = V_STRING;
		break;
	case T_DICT_OPEN:
	case T_ARRAY_OPEN:
		v.kind = t.kind == T_DICT_OPEN ? V_DICT : V_ARRAY;
		if (!skip_container(l))
			v.kind = V_NONE;
		v.n = (gsize)(l->p + l->pos - t.s);
		break;
	case T_EOF:
		break;
	default:
		v.kind = V_OTHER;
		break;
	}
	return v;
}

static lexer lexer_over(const value *v, long *work)
{
	lexer l = {v->s, v->n, 0, work};
	return l;
}

/* The entry key of a dictionary (the last one when repeated). */
static bool dict_get(long *work, const value *dict, const char *key, value *out)
{
	if (dict->kind != V_DICT)
		return false;
	lexer l = lexer_over(dict, work);
	lex(&l); /* << */
	bool found = false;
	for (;;) {
		tok k = lex(&l);
		if (k.kind == T_EOF || k.kind == T_DICT_CLOSE)
			break;
		if (k.kind != T_NAME)
			continue; /* junk between entries: read past it */
		char name[NAME_MAX_BYTES + 1];
		name_text(&k, name);
		value v = read_value(&l);
		if (strcmp(name, key) == 0) {
			*out = v;
			found = true;
		}
	}
	return found;
}

/* ---- the document: indexed objects and decoded streams --------------- */

typedef struct {
	int num;
	int src; /* 0: the file's bytes, 1: extra (object streams) */
	gsize off;  /* just after "obj" */
} objent;

typedef struct {
	const guint8 *p[2];
	gsize len[2];
	GArray *objects;    /* objent, sorted: the winner of a number is its last entry */
	GHashTable *decoded; /* object number -> GBytes of a decoded stream, or a NULL value */
	gsize content_budget;
	long work; /* tokens left to read (MAX_TOKENS) */
} doc;

static int objent_cmp(gconstpointer a, gconstpointer b)
{
	const objent *x = a, *y = b;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	/* the file's own bytes win over object streams, later bytes over
	 * earlier (an incremental update appends the new version) */
	if (x->src != y->src)
		return x->src > y->src ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Every "N G obj" in the source's bytes (7.3.10): N and G digits with
 * white space between and after, a delimiter or the start before N. */
static void index_objects(doc *d, int src)
{
	const guint8 *p = d->p[src];
	gsize len = d->len[src];
	if (!p)
		return;
	for (const guint8 *at = p; d->objects->len < MAX_OBJECTS &&
	                           (at = ks_memfind(at, len - (gsize)(at - p), "obj", 3)) != NULL;
	     at += 3) {
		gsize o = (gsize)(at - p), i = o;
		if (o + 3 < len && is_regular(p[o + 3]))
			continue; /* "objects", "obj2" */
		int spaces = 0, digits = 0;
		while (i > 0 && is_space(p[i - 1]) && spaces < 16)
			i--, spaces++;
		while (spaces && i > 0 && g_ascii_isdigit(p[i - 1]) && digits < 6)
			i--, digits++;
		if (!digits)
			continue;
		for (spaces = 0; i > 0 && is_space(p[i - 1]) && spaces < 16; spaces++)
			i--;
		gint64 num = 0, scale = 1;
		for (digits = 0; spaces && i > 0 && g_ascii_isdigit(p[i - 1]) && digits < 9; digits++) {
			num += (p[i - 1] - '0') * scale;
			scale *= 10;
			i--;
		}
		if (!digits || (i > 0 && is_regular(p[i - 1])))
			continue; /* "12 0 obj" is not "2 0 obj" */
		objent e = {(int)num, src, o + 3};
		g_array_append_val(d->objects, e);
	}
}

/* Where object num's body starts: its source and offset; false when the
 * bytes do not hold it. */
static bool find_object(doc *d, int num, int *src, gsize *off)
{
	guint lo = 0, hi = d->objects->len;
	while (lo < hi) { /* the first entry past num */
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(d->objects, objent, mid).num <= num)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || g_array_index(d->objects, objent, lo - 1).num != num)
		return false;
	const objent *e = &g_array_index(d->objects, objent, lo - 1);
	*src = e->src;
	*off = e->off;
	return true;
}

/* The value of object num, with a lexer left just after it (where a
 * stream's keyword would follow). */
static value object_value(doc *d, int num, lexer *after)
{
	value none = {.kind = V_NONE};
	int src = 0;
	gsize off = 0;
	if (!find_object(d, num, &src, &off))
		return none;
	lexer l = {d->p[src], d->len[src], off, &d->work};
	value v = read_value(&l);
	if (after)
		*after = l;
	return v;
}

/* A value with references followed to what they name. */
static value resolve(doc *d, value v)
{
	for (int hops = 0; v.kind == V_REF && hops < MAX_REF_HOPS; hops++)
		v = object_value(d, v.ref, NULL);
	return v;
}

static bool dict_get_resolved(doc *d, const value *dict, const char *key, value *out)
{
	value v;
	if (!dict_get(&d->work, dict, key, &v))
		return false;
	*out = resolve(d, v);
	return out->kind != V_NONE;
}

static bool get_number(doc *d, const value *dict, const char *key, double *out)
{
	value v;
	if (!dict_get_resolved(d, dict, key, &v) || v.kind != V_NUM)
		return false;
	*out = v.num;
	return true;
}

/* Up to max numbers of an array value (a matrix, a box). */
static int get_numbers(doc *d, const value *arr, double *out, int max)
{
	if (arr->kind != V_ARRAY)
		return 0;
	lexer l = lexer_over(arr, &d->work);
	lex(&l); /* [ */
	int n = 0;
	while (n < max) {
		value v = read_value(&l);
		if (v.kind == V_NONE)
			break;
		v = resolve(d, v);
		if (v.kind != V_NUM)
			break;
		out[n++] = v.num;
	}
	return n;
}

/* ---- stream filters (7.4) ------------------------------------------------ */

bool ks_pdf_inflate(const guint8 *in, gsize in_len, gsize limit, GByteArray *out)
{
	g_autoptr(GConverter) z =
		G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
	guint8 buf[16384];
	gsize used = 0, start = out->len;
	while (out->len - start < limit) {
		gsize read = 0, written = 0;
		g_autoptr(GError) err = NULL;
		GConverterResult res =
			g_converter_convert(z, in + used, in_len - used, buf, sizeof buf,
			                    G_CONVERTER_INPUT_AT_END, &read, &written, &err);
		used += read;
		g_byte_array_append(out, buf, (guint)MIN(written, limit - (out->len - start)));
		/* a damaged tail still leaves what came before it readable */
		if (res == G_CONVERTER_ERROR || res == G_CONVERTER_FINISHED ||
		    (read == 0 && written == 0))
			break;
	}
	return out->len > start;
}

/* 7.4.2 ASCIIHexDecode */
static void ahx_decode(const guint8 *in, gsize n, gsize limit, GByteArray *out)
{
	int hi = -1;
	for (gsize i = 0; i < n && out->len < limit; i++) {
		if (in[i] == '>')
			break;
		int v = g_ascii_xdigit_value((char)in[i]);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			guint8 b = (guint8)(hi * 16 + v);
			g_byte_array_append(out, &b, 1);
			hi = -1;
		}
	}
	if (hi >= 0 && out->len < limit) {
		guint8 b = (guint8)(hi * 16);
		g_byte_array_append(out, &b, 1);
	}
}

/* 7.4.3 ASCII85Decode */
static void a85_decode(const guint8 *in, gsize n, gsize limit, GByteArray *out)
{
	guint32 acc = 0;
	int k = 0;
	for (gsize i = 0; i < n && out->len < limit; i++) {
		guint8 c = in[i];
		if (c == '~')
			break;
		if (c == 'z' && k == 0) {
			static const guint8 zeros[4] = {0};
			g_byte_array_append(out, zeros, 4);
			continue;
		}
		if (c < '!' || c > 'u')
			continue;
		acc = acc * 85 + (guint32)(c - '!');
		if (++k == 5) {
			guint8 b[4] = {acc >> 24, acc >> 16 & 255, acc >> 8 & 255, acc & 255};
			g_byte_array_append(out, b, 4);
			acc = 0, k = 0;
		}
	}
	if (k > 1) { /* a final partial group: pad with 'u' */
		for (int j = k; j < 5; j++)
			acc = acc * 85 + 84;
		guint8 b[4] = {acc >> 24, acc >> 16 & 255, acc >> 8 & 255, acc & 255};
		g_byte_array_append(out, b, (guint)(k - 1));
	}
}

/* 7.4.5 RunLengthDecode */
static void rl_decode(const guint8 *in, gsize n, gsize limit, GByteArray *out)
{
	gsize i = 0;
	while (i < n && out->len < limit) {
		guint8 len = in[i++];
		if (len == 128)
			break;
		if (len < 128) {
			gsize run = MIN((gsize)len + 1, n - i);
			g_byte_array_append(out, in + i, (guint)run);
			i += run;
		} else if (i < n) {
			for (int j = 0; j < 257 - len; j++)
				g_byte_array_append(out, in + i, 1);
			i++;
		}
	}
}

/* 7.4.4 LZWDecode, with EarlyChange 1 (the default) */
static void lzw_decode(const guint8 *in, gsize n, gsize limit, GByteArray *out)
{
	enum { CLEAR = 256, END = 257, FIRST = 258, TABLE = 4096 };
	guint16 prefix[TABLE];
	guint8 suffix[TABLE], stack[TABLE + 1];
	int next = FIRST, width = 9, prev = -1, have = 0;
	guint32 bits = 0;
	gsize i = 0;
	while (out->len < limit) {
		while (have < width && i < n) {
			bits = bits << 8 | in[i++];
			have += 8;
		}
		if (have < width)
			break;
		int code = (int)(bits >> (have - width) & ((1u << width) - 1));
		have -= width;
		if (code == END)
			break;
		if (code == CLEAR) {
			next = FIRST, width = 9, prev = -1;
			continue;
		}
		/* the code's string, last byte first; a prefix is always an
		 * earlier code, so the chain ends */
		int sp = 0, c;
		if (code < CLEAR) {
			stack[sp++] = (guint8)code;
		} else if (code < next) {
			for (c = code; c >= FIRST && sp < TABLE; c = prefix[c])
				stack[sp++] = suffix[c];
			stack[sp++] = (guint8)c;
		} else if (code == next && prev >= 0) {
			/* the code being defined: prev's string plus its own first byte */
			for (sp = 1, c = prev; c >= FIRST && sp < TABLE; c = prefix[c])
				stack[sp++] = suffix[c];
			stack[sp++] = (guint8)c;
			stack[0] = stack[sp - 1];
		} else {
			break; /* damaged */
		}
		guint8 first = stack[sp - 1];
		while (sp > 0 && out->len < limit)
			g_byte_array_append(out, &stack[--sp], 1);
		if (prev >= 0 && next < TABLE) {
			prefix[next] = (guint16)prev;
			suffix[next] = first;
			next++;
		}
		prev = code;
		if (next + 1 >= (1 << width) && width < 12)
			width++;
	}
}

/* One filter over in into a new array; NULL for a filter content never
 * needs (images' DCT, JBIG2, CCITT, JPX) or a predictor (7.4.4.4). */
static GByteArray *apply_filter(doc *d, const char *name, const value *parms,
                                const guint8 *in, gsize n, gsize limit)
{
	double predictor = 1;
	if (parms && parms->kind == V_DICT)
		get_number(d, parms, "Predictor", &predictor);
	GByteArray *out = g_byte_array_new();
	if ((strcmp(name, "FlateDecode") == 0 || strcmp(name, "Fl") == 0) && predictor <= 1)
		ks_pdf_inflate(in, n, limit, out);
	else if ((strcmp(name, "LZWDecode") == 0 || strcmp(name, "LZW") == 0) && predictor <= 1)
		lzw_decode(in, n, limit, out);
	else if (strcmp(name, "ASCIIHexDecode") == 0 || strcmp(name, "AHx") == 0)
		ahx_decode(in, n, limit, out);
	else if (strcmp(name, "ASCII85Decode") == 0 || strcmp(name, "A85") == 0)
		a85_decode(in, n, limit, out);
	else if (strcmp(name, "RunLengthDecode") == 0 || strcmp(name, "RL") == 0)
		rl_decode(in, n, limit, out);
	else
		g_clear_pointer(&out, g_byte_array_unref);
	return out;
}

/* The decoded data of stream object num (7.3.8), cached; NULL when it is
 * not a stream, uses a filter not read here, or the budget is spent. */
static GBytes *stream_data(doc *d, int num)
{
	gpointer cached = NULL;
	if (g_hash_table_lookup_extended(d->decoded, GINT_TO_POINTER(num), NULL, &cached))
		return cached;
	GBytes *result = NULL;
	lexer after;
	value dict = object_value(d, num, &after);
	tok kw = dict.kind == V_DICT ? lex(&after) : (tok){0};
	if (dict.kind == V_DICT && is_keyword(&kw, "stream")) {
		/* the data starts after the end of the "stream" line */
		gsize start = after.pos;
		if (start < after.len && after.p[start] == '\r')
			start++;
		if (start < after.len && after.p[start] == '\n')
			start++;
		double length = -1;
		gsize n;
		if (get_number(d, &dict, "Length", &length) && length >= 0 &&
		    length <= (double)(after.len - start)) {
			n = (gsize)length;
		} else {
			const guint8 *e = ks_memfind(after.p + start, after.len - start, "endstream", 9);
			n = e ? (gsize)(e - (after.p + start)) : after.len - start;
		}
		value filter = {.kind = V_NONE}, parms = {.kind = V_NONE};
		dict_get_resolved(d, &dict, "Filter", &filter);
		dict_get_resolved(d, &dict, "DecodeParms", &parms);
		GByteArray *cur = g_byte_array_sized_new((guint)MIN(n, d->content_budget));
		g_byte_array_append(cur, after.p + start, (guint)MIN(n, d->content_budget));
		gsize limit = MIN((gsize)MAX_STREAM_BYTES, d->content_budget);
		bool ok = true;
		if (filter.kind == V_NAME) {
			GByteArray *next = apply_filter(d, filter.name, &parms, cur->data, cur->len, limit);
			g_byte_array_unref(cur);
			cur = next;
			ok = cur != NULL;
		} else if (filter.kind == V_ARRAY) {
			lexer fl = lexer_over(&filter, &d->work), pl = lexer_over(&parms, &d->work);
			lex(&fl);
			if (parms.kind == V_ARRAY)
				lex(&pl);
			for (int i = 0; ok && i < 8; i++) {
				value f = resolve(d, read_value(&fl));
				value p = parms.kind == V_ARRAY ? resolve(d, read_value(&pl)) : parms;
				if (f.kind != V_NAME)
					break;
				GByteArray *next = apply_filter(d, f.name, &p, cur->data, cur->len, limit);
				g_byte_array_unref(cur);
				cur = next;
				ok = cur != NULL;
			}
		}
		if (ok) {
			d->content_budget -= MIN(d->content_budget, cur->len);
			result = g_byte_array_free_to_bytes(cur);
		}
	}
	g_hash_table_insert(d->decoded, GINT_TO_POINTER(num), result);
	return result;
}

/* ---- the content interpreter (8.3-8.4, 8.8, 8.9) --------------------- */

/* [a b c d e f] (8.3.4): a point is [x y 1] times the matrix */
typedef struct {
	double a, b, c, d, e, f;
} matrix;

static const matrix IDENTITY = {1, 0, 0, 1, 0, 0};

/* m applied first, then n */
static matrix mat_mul(matrix m, matrix n)
{
	matrix r = {m.a * n.a + m.b * n.c,       m.a * n.b + m.b * n.d,
	            m.c * n.a + m.d * n.c,       m.c * n.b + m.d * n.d,
	            m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f};
	return r;
}

typedef struct {
	doc *d;
	int page;
	matrix device; /* default user space -> the page as shown, origin top-left */
	GArray *out;
	int max_images;
	int form_depth;
} run;

/* An image drawn into the unit square under ctm (8.9.4). */
static void record(run *r, double w_px, double h_px, matrix ctm, bool inline_image)
{
	if (r->out->len >= (guint)r->max_images || w_px < 1 || h_px < 1 || w_px > G_MAXINT ||
	    h_px > G_MAXINT)
		return;
	matrix m = mat_mul(ctm, r->device);
	double xs[4] = {m.e, m.a + m.e, m.c + m.e, m.a + m.c + m.e};
	double ys[4] = {m.f, m.b + m.f, m.d + m.f, m.b + m.d + m.f};
	double x = xs[0], y = ys[0];
	for (int i = 1; i < 4; i++) {
		x = MIN(x, xs[i]);
		y = MIN(y, ys[i]);
	}
	ks_pdf_image im = {r->page, x, y, hypot(ctm.a, ctm.b), hypot(ctm.c, ctm.d), (int)w_px,
	                   (int)h_px, inline_image};
	if (isfinite(im.x) && isfinite(im.y) && isfinite(im.w_pt) && isfinite(im.h_pt))
		g_array_append_val(r->out, im);
}

static void interpret(run *r, const guint8 *content, gsize len, const value *resources,
                      matrix ctm);

/* "/Name Do" (8.8): an image is recorded, a form's content is run under
 * its own matrix and resources (8.10). */
static void do_xobject(run *r, const value *resources, const char *name, matrix ctm)
{
	doc *d = r->d;
	value xobjects, ref;
	if (!dict_get_resolved(d, resources, "XObject", &xobjects) ||
	    !dict_get(&d->work, &xobjects, name, &ref) || ref.kind != V_REF)
		return; /* an XObject is a stream, so always indirect */
	value dict = object_value(d, ref.ref, NULL), subtype;
	if (!dict_get_resolved(d, &dict, "Subtype", &subtype) || subtype.kind != V_NAME)
		return;
	if (strcmp(subtype.name, "Image") == 0) {
		double w = 0, h = 0;
		get_number(d, &dict, "Width", &w);
		get_number(d, &dict, "Height", &h);
		record(r, w, h, ctm, false);
		return;
	}
	if (strcmp(subtype.name, "Form") != 0 || r->form_depth >= KS_PDF_PAGE_MAX_FORM_DEPTH)
		return;
	GBytes *content = stream_data(d, ref.ref);
	if (!content)
		return;
	matrix fm = IDENTITY;
	value mv;
	double m[6];
	if (dict_get_resolved(d, &dict, "Matrix", &mv) && get_numbers(d, &mv, m, 6) == 6)
		fm = (matrix){m[0], m[1], m[2], m[3], m[4], m[5]};
	value own;
	bool has_own = dict_get_resolved(d, &dict, "Resources", &own) && own.kind == V_DICT;
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(content, &n);
	r->form_depth++;
	interpret(r, p, n, has_own ? &own : resources, mat_mul(fm, ctm));
	r->form_depth--;
}

/* "BI ... ID data EI" (8.9.7): the dictionary gives the size; the data
 * ends at an "EI" between white space. */
static void inline_image(run *r, lexer *l, matrix ctm)
{
	double w = 0, h = 0;
	for (int i = 0; i < MAX_INLINE_KEYS; i++) {
		tok k = lex(l);
		if (k.kind == T_EOF)
			return;
		if (is_keyword(&k, "ID"))
			break;
		if (k.kind != T_NAME)
			continue;
		char key[NAME_MAX_BYTES + 1];
		name_text(&k, key);
		value v = read_value(l);
		if (v.kind == V_NUM && (strcmp(key, "W") == 0 || strcmp(key, "Width") == 0))
			w = v.num;
		else if (v.kind == V_NUM && (strcmp(key, "H") == 0 || strcmp(key, "Height") == 0))
			h = v.num;
	}
	gsize pos = l->pos + 1; /* one white-space byte after ID */
	for (;;) {
		const guint8 *ei = pos < l->len ? ks_memfind(l->p + pos, l->len - pos, "EI", 2) : NULL;
		if (!ei) {
			l->pos = l->len;
			break;
		}
		gsize at = (gsize)(ei - l->p);
		if (at > 0 && is_space(l->p[at - 1]) && (at + 2 >= l->len || !is_regular(l->p[at + 2]))) {
			l->pos = at + 2;
			break;
		}
		pos = at + 2;
	}
	record(r, w, h, ctm, true);
}

static void interpret(run *r, const guint8 *content, gsize len, const value *resources,
                      matrix ctm)
{
	lexer l = {content, len, 0, &r->d->work};
	matrix saved[MAX_SAVE_DEPTH];
	int depth = 0, lost = 0; /* q beyond MAX_SAVE_DEPTH are counted, not kept */
	double nums[6];
	int n_nums = 0;
	char name[NAME_MAX_BYTES + 1] = "";
	bool name_last = false;
	while (r->out->len < (guint)r->max_images) {
		tok t = lex(&l);
		if (t.kind == T_EOF)
			break;
		if (t.kind == T_NUM) {
			if (n_nums == 6)
				memmove(nums, nums + 1, 5 * sizeof *nums);
			nums[n_nums < 6 ? n_nums++ : 5] = t.num;
			name_last = false;
			continue;
		}
		if (t.kind == T_NAME) {
			name_text(&t, name);
			name_last = true;
			n_nums = 0;
			continue;
		}
		if (t.kind == T_ARRAY_OPEN || t.kind == T_DICT_OPEN)
			skip_container(&l);
		if (t.kind != T_KEYWORD) {
			n_nums = 0;
			name_last = false;
			continue;
		}
		if (is_keyword(&t, "q")) {
			if (depth < MAX_SAVE_DEPTH)
				saved[depth++] = ctm;
			else
				lost++;
		} else if (is_keyword(&t, "Q")) {
			if (lost)
				lost--;
			else if (depth > 0)
				ctm = saved[--depth];
		} else if (is_keyword(&t, "cm") && n_nums == 6) {
			matrix m = {nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]};
			ctm = mat_mul(m, ctm);
		} else if (is_keyword(&t, "Do") && name_last) {
			do_xobject(r, resources, name, ctm);
		} else if (is_keyword(&t, "BI")) {
			inline_image(r, &l, ctm);
		}
		n_nums = 0;
		name_last = false;
	}
}

/* ---- the page tree (7.7.3) ------------------------------------------------ */

typedef struct {
	value resources; /* inheritable attributes (Table 30) */
	double media[4], crop[4];
	bool has_media, has_crop;
	int rotate;
} inherited;

typedef struct {
	doc *d;
	GHashTable *seen; /* page-tree object numbers visited */
	int pages, max_pages, nodes;
	GArray *out;
	int max_images;
} tree;

/* The page as poppler shows it (upside down, at 72 dpi, rotated):
 * default user space to points from the top-left corner of the box. */
static matrix device_matrix(const double box[4], int rotate)
{
	double x0 = MIN(box[0], box[2]), y0 = MIN(box[1], box[3]);
	double x1 = MAX(box[0], box[2]), y1 = MAX(box[1], box[3]);
	switch (rotate) {
	case 90:
		return (matrix){0, 1, 1, 0, -y0, -x0};
	case 180:
		return (matrix){-1, 0, 0, 1, x1, -y0};
	case 270:
		return (matrix){0, -1, -1, 0, y1, x1};
	default:
		return (matrix){1, 0, 0, -1, -x0, y1};
	}
}

static void read_page(tree *t, const value *page, const inherited *in)
{
	doc *d = t->d;
	/* 14.11.2: the crop box, or the media box, or US Letter */
	double letter[4] = {0, 0, 612, 792};
	const double *box = in->has_crop ? in->crop : in->has_media ? in->media : letter;
	run r = {d, t->pages, device_matrix(box, in->rotate), t->out, t->max_images, 0};
	value contents;
	if (!dict_get(&d->work, page, "Contents", &contents))
		return;
	g_autoptr(GByteArray) all = g_byte_array_new();
	if (contents.kind == V_REF) {
		value target = object_value(d, contents.ref, NULL);
		if (target.kind == V_ARRAY)
			contents = target;
	}
	if (contents.kind == V_REF) {
		GBytes *b = stream_data(d, contents.ref);
		if (b)
			g_byte_array_append(all, g_bytes_get_data(b, NULL), (guint)g_bytes_get_size(b));
	} else if (contents.kind == V_ARRAY) {
		lexer l = lexer_over(&contents, &d->work);
		lex(&l);
		for (int i = 0; i < MAX_CONTENT_PARTS; i++) {
			value part = read_value(&l);
			if (part.kind != V_REF)
				break;
			GBytes *b = stream_data(d, part.ref);
			if (!b)
				continue;
			/* 7.8.2: streams of an array are one content, split between tokens */
			g_byte_array_append(all, g_bytes_get_data(b, NULL), (guint)g_bytes_get_size(b));
			g_byte_array_append(all, (const guint8 *)"\n", 1);
		}
	}
	interpret(&r, all->data, all->len, &in->resources, IDENTITY);
}

static void visit(tree *t, int num, inherited in, int depth)
{
	doc *d = t->d;
	if (depth > MAX_TREE_DEPTH || t->pages >= t->max_pages || ++t->nodes > MAX_TREE_NODES ||
	    g_hash_table_contains(t->seen, GINT_TO_POINTER(num)))
		return;
	g_hash_table_add(t->seen, GINT_TO_POINTER(num));
	value node = object_value(d, num, NULL), v;
	if (node.kind != V_DICT)
		return;
	if (dict_get_resolved(d, &node, "Resources", &v) && v.kind == V_DICT)
		in.resources = v;
	if (dict_get_resolved(d, &node, "MediaBox", &v) && get_numbers(d, &v, in.media, 4) == 4)
		in.has_media = true;
	if (dict_get_resolved(d, &node, "CropBox", &v) && get_numbers(d, &v, in.crop, 4) == 4)
		in.has_crop = true;
	double rot = 0;
	if (get_number(d, &node, "Rotate", &rot) && fabs(rot) < 1e6)
		in.rotate = (((int)rot % 360) + 360) % 360 / 90 * 90;
	value type = {.kind = V_NONE}, kids;
	dict_get_resolved(d, &node, "Type", &type);
	bool is_page = type.kind == V_NAME && strcmp(type.name, "Page") == 0;
	if (!is_page && dict_get_resolved(d, &node, "Kids", &kids) && kids.kind == V_ARRAY) {
		lexer l = lexer_over(&kids, &d->work);
		lex(&l);
		while (t->pages < t->max_pages) {
			value kid = read_value(&l);
			if (kid.kind == V_NONE || kid.kind == V_OTHER)
				break;
			if (kid.kind == V_REF)
				visit(t, kid.ref, in, depth + 1);
		}
		return;
	}
	t->pages++;
	read_page(t, &node, &in);
}

/* The catalog's object number: from the last "/Root N G R" in the bytes
 * (the trailer, or the cross-reference stream's dictionary, of the last
 * update; 7.5.5, 7.5.8.2); -1 when there is none. */
static int find_root(doc *d)
{
	const guint8 *p = d->p[0];
	gsize len = d->len[0];
	int tries = 0;
	for (gsize i = len; i >= 5 && tries < 64; i--) {
		if (memcmp(p + i - 5, "/Root", 5) != 0)
			continue;
		tries++;
		lexer l = {p, len, i, &d->work};
		value v = read_value(&l);
		if (v.kind == V_REF)
			return v.ref;
	}
	return -1;
}

static void decoded_free(gpointer b)
{
	if (b)
		g_bytes_unref(b);
}

GArray *ks_pdf_page_images(const guint8 *pdf, gsize len, const guint8 *extra, gsize extra_len,
                           int max_pages, int max_images)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(ks_pdf_image));
	if (!pdf || !len)
		return out;
	doc d = {
		.p = {pdf, extra},
		.len = {len, extra ? extra_len : 0},
		.objects = g_array_new(FALSE, FALSE, sizeof(objent)),
		.decoded = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, decoded_free),
		.content_budget = KS_PDF_PAGE_MAX_CONTENT_BYTES,
		.work = MAX_TOKENS,
	};
	index_objects(&d, 0);
	index_objects(&d, 1);
	g_array_sort(d.objects, objent_cmp);
	int root = find_root(&d);
	value catalog = root >= 0 ? object_value(&d, root, NULL) : (value){.kind = V_NONE}, pages;
	if (dict_get(&d.work, &catalog, "Pages", &pages) && pages.kind == V_REF) {
		tree t = {&d, g_hash_table_new(g_direct_hash, g_direct_equal), 0, max_pages, 0, out,
		          max_images};
		inherited in = {.resources = {.kind = V_NONE}};
		visit(&t, pages.ref, in, 0);
		g_hash_table_unref(t.seen);
	}
	g_hash_table_unref(d.decoded);
	g_array_unref(d.objects);
	return out;
}
