/* The raw view's model: a message's bytes as lines, sanitized for display,
 * and a small bounded scanner that finds a header, a Received hop or a MIME
 * part among them (RFC 5322 section 2.2 headers and folding, RFC 2046
 * section 5.1.1 boundaries).  It only reads the kept lines; nothing here
 * parses for analysis (the report does that) and nothing draws. */
#include "rawsrc.h"

#include "core/sanitize.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* MIME nesting followed at most this deep (mblaze prunes at 64 too) */
#define MAX_PART_DEPTH 64
/* RFC 2046 section 5.1.1 caps a boundary at 70 characters; allow slack */
#define MAX_BOUNDARY 200
/* a Content-Type header unfolded up to this many bytes */
#define MAX_CONTENT_TYPE 4096

typedef struct {
	size_t off, len; /* len without the line end (\n, \r\n) */
} line;

struct ks_raw_source {
	GBytes *raw;
	const char *data;
	GArray *lines;      /* line */
	size_t total_lines; /* kept and not */
};

ks_raw_source *ks_raw_source_new(GBytes *raw, int max_lines)
{
	ks_raw_source *s = g_new0(ks_raw_source, 1);
	s->raw = g_bytes_ref(raw);
	gsize size = 0;
	s->data = g_bytes_get_data(raw, &size);
	s->lines = g_array_new(FALSE, FALSE, sizeof(line));
	size_t off = 0;
	while (off < size) {
		const char *nl = memchr(s->data + off, '\n', size - off);
		size_t end = nl ? (size_t)(nl - s->data) : size;
		if (s->lines->len < (guint)MAX(0, max_lines)) {
			line l = {off, end - off};
			if (l.len && s->data[off + l.len - 1] == '\r')
				l.len--;
			g_array_append_val(s->lines, l);
		}
		s->total_lines++;
		off = nl ? end + 1 : size;
	}
	return s;
}

void ks_raw_source_free(ks_raw_source *s)
{
	if (!s)
		return;
	g_array_unref(s->lines);
	g_bytes_unref(s->raw);
	g_free(s);
}

static const line *at(const ks_raw_source *s, int i)
{
	return &g_array_index(s->lines, line, i);
}

static int count(const ks_raw_source *s)
{
	return (int)s->lines->len;
}

GPtrArray *ks_raw_source_lines(const ks_raw_source *s, size_t max_line_bytes)
{
	GPtrArray *out = g_ptr_array_new_full(s->lines->len + 2, g_free);
	for (int i = 0; i < count(s); i++) {
		const line *l = at(s, i);
		const char *p = s->data + l->off;
		size_t n = l->len;
		if (n <= max_line_bytes) {
			g_ptr_array_add(out, ks_sanitize_len(p, n, KS_SANITIZE_LINE, NULL));
			continue;
		}
		/* cut before a UTF-8 continuation byte, not inside a character */
		size_t cut = max_line_bytes;
		for (int back = 0; back < 3 && cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80; back++)
			cut--;
		g_autofree char *shown = ks_sanitize_len(p, cut, KS_SANITIZE_LINE, NULL);
		g_ptr_array_add(out, g_strdup_printf("%s ⟪line cut: %zu more bytes⟫", shown, n - cut));
	}
	if (s->total_lines > s->lines->len) {
		g_ptr_array_add(out, g_strdup(""));
		g_ptr_array_add(out, g_strdup_printf("⟪only the first %u of %zu lines are shown⟫",
		                                     s->lines->len, s->total_lines));
	}
	return out;
}

/* ---- headers: the block from `first` to the first empty line */

static int header_block_end(const ks_raw_source *s, int first, int end)
{
	int i = first;
	while (i < end && at(s, i)->len > 0)
		i++;
	return i;
}

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* True when line i starts the header name: "Name:" or "Name :" (the
 * obsolete form RFC 5322 section 4.5.2 allows). */
static bool starts_header(const ks_raw_source *s, int i, const char *name)
{
	const line *l = at(s, i);
	const char *p = s->data + l->off;
	size_t n = strlen(name), k = n;
	if (l->len <= n || g_ascii_strncasecmp(p, name, n) != 0)
		return false;
	while (k < l->len && is_wsp(p[k]))
		k++;
	return k < l->len && p[k] == ':';
}

/* The last line of the header starting at line i (its folded continuations). */
static int header_last(const ks_raw_source *s, int i, int block_end)
{
	while (i + 1 < block_end && at(s, i + 1)->len && is_wsp(s->data[at(s, i + 1)->off]))
		i++;
	return i;
}

/* The nth header called name in the block [first, block_end), or -1. */
static int find_in_block(const ks_raw_source *s, int first, int block_end, const char *name,
                         int nth)
{
	for (int i = first; i < block_end; i++)
		if (!is_wsp(s->data[at(s, i)->off]) && starts_header(s, i, name) && nth-- == 0)
			return i;
	return -1;
}

bool ks_raw_source_find_header(const ks_raw_source *s, const char *name, int nth, int *from,
                               int *to)
{
	if (!name || !*name || nth < 0)
		return false;
	int end = header_block_end(s, 0, count(s));
	int i = find_in_block(s, 0, end, name, nth);
	if (i < 0)
		return false;
	*from = i;
	*to = header_last(s, i, end);
	return true;
}

/* ---- MIME parts */

/* The boundary of a multipart entity whose header block is [first,
 * block_end), or NULL when it is not multipart or names none. */
static char *entity_boundary(const ks_raw_source *s, int first, int block_end)
{
	int i = find_in_block(s, first, block_end, "Content-Type", 0);
	if (i < 0)
		return NULL;
	GString *v = g_string_new(NULL);
	for (int last = header_last(s, i, block_end), k = i; k <= last; k++) {
		const line *l = at(s, k);
		g_string_append_len(v, s->data + l->off, (gssize)MIN(l->len, MAX_CONTENT_TYPE));
		g_string_append_c(v, ' ');
		if (v->len > MAX_CONTENT_TYPE)
			break;
	}
	g_autofree char *value = g_string_free(v, FALSE);
	const char *p = strchr(value, ':') + 1;
	while (is_wsp(*p))
		p++;
	if (g_ascii_strncasecmp(p, "multipart/", 10) != 0)
		return NULL;
	for (const char *q = p; (q = strchr(q, ';')); ) {
		q++;
		while (is_wsp(*q))
			q++;
		if (g_ascii_strncasecmp(q, "boundary", 8) != 0)
			continue;
		const char *r = q + 8;
		while (is_wsp(*r))
			r++;
		if (*r++ != '=')
			continue;
		while (is_wsp(*r))
			r++;
		GString *b = g_string_new(NULL);
		if (*r == '"') {
			for (r++; *r && *r != '"' && b->len < MAX_BOUNDARY; r++) {
				if (*r == '\\' && r[1])
					r++;
				g_string_append_c(b, *r);
			}
		} else {
			for (; *r && *r != ';' && !is_wsp(*r) && b->len < MAX_BOUNDARY; r++)
				g_string_append_c(b, *r);
		}
		if (b->len)
			return g_string_free(b, FALSE);
		g_string_free(b, TRUE);
	}
	return NULL;
}

/* 1: line i is "--boundary", 2: the close "--boundary--", 0: neither
 * (transport padding after it allowed, RFC 2046 section 5.1.1). */
static int delimiter(const ks_raw_source *s, int i, const char *boundary)
{
	const line *l = at(s, i);
	const char *p = s->data + l->off;
	size_t n = strlen(boundary), k = n + 2;
	if (l->len < k || p[0] != '-' || p[1] != '-' || memcmp(p + 2, boundary, n) != 0)
		return 0;
	int kind = 1;
	if (l->len >= k + 2 && p[k] == '-' && p[k + 1] == '-') {
		kind = 2;
		k += 2;
	}
	for (; k < l->len; k++)
		if (!is_wsp(p[k]))
			return 0;
	return kind;
}

/* Part number (1-based) of the multipart entity [first, end) whose header
 * block ends at block_end: its lines in *pfrom..*pto.  False when absent. */
static bool nth_part(const ks_raw_source *s, const char *boundary, int block_end, int end,
                     int number, int *pfrom, int *pto)
{
	int seen = 0, start = -1;
	for (int i = block_end; i < end; i++) {
		int d = delimiter(s, i, boundary);
		if (!d)
			continue;
		if (start >= 0) {
			*pfrom = start;
			*pto = i - 1;
			return *pto >= *pfrom; /* an empty part has no lines to show */
		}
		if (d == 2)
			return false;
		if (++seen == number)
			start = i + 1;
	}
	if (start < 0 || start >= end)
		return false;
	*pfrom = start; /* no closing delimiter: to the end */
	*pto = end - 1;
	return true;
}

bool ks_raw_source_find_part(const ks_raw_source *s, const char *path, int *from, int *to)
{
	if (!path || !*path || count(s) == 0)
		return false;
	int first = 0, end = count(s), depth = 0;
	for (const char *p = path; *p && depth < MAX_PART_DEPTH; depth++) {
		char *next = NULL;
		long number = strtol(p, &next, 10);
		if (next == p || number < 1)
			break;
		int block_end = header_block_end(s, first, end);
		g_autofree char *boundary = entity_boundary(s, first, block_end);
		int pfrom, pto;
		if (!boundary) {
			/* a single-part message is part "1" of itself */
			if (depth == 0 && number != 1)
				return false;
			break;
		}
		if (number > INT_MAX || !nth_part(s, boundary, block_end, end, (int)number, &pfrom, &pto)) {
			if (depth == 0)
				return false;
			break; /* a malformed inner multipart: its containing part */
		}
		first = pfrom;
		end = pto + 1;
		p = *next == '/' ? next + 1 : next + strlen(next);
	}
	*from = first;
	*to = end - 1;
	return true;
}
