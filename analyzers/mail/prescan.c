/* The pre-scan of prescan.h.  It follows GMime 3.2's parser where that
 * decides how much GMime builds: a header block runs to the first empty
 * line (lines that are no header are ignored inside it, not an end); a
 * multipart's boundary lines are "--" and the boundary at the start of a
 * line, checked against every open multipart, innermost first, "--" after
 * it closing one; message/rfc822 (rfc2822, global, news) that is not
 * base64, quoted-printable or uuencoded is a message parsed in place; a
 * part of multipart/digest without a Content-Type is a message.  Where the
 * two could disagree (a boundary parameter read differently) the pre-scan
 * errs towards seeing more boundaries than GMime does, and every line that
 * starts with "--" counts towards a cap of its own.  Nothing is copied:
 * message.c hands GMime the kept ranges as views of the message's bytes. */
#include "mail/prescan.h"

#include "mail/charset.h"
#include "mail/cursor.h"
#include "mail/message.h"

#include <string.h>

/* Lines that start with "--" (possible boundaries) in bodies before the
 * message is cut: however a boundary parameter is read, GMime cannot make
 * more parts than there are such lines. */
#define MAX_DASH_LINES (4 * KS_MAX_ENTITIES)
/* the name of an over-long header field quoted in the problem */
#define NAME_QUOTED 64

/* an open multipart */
typedef struct {
	char *delim; /* "--" and the boundary; NULL for a multipart without one */
	gsize n;
	int depth;   /* the multipart's nesting level; its parts are one deeper */
	bool digest; /* multipart/digest: a part without Content-Type is a message */
} bound;

typedef struct {
	const guint8 *p;
	gsize len;
	GArray *drops;  /* ks_span: header bytes left out, in order */
	GArray *bounds; /* bound, innermost last */
	gsize cut;      /* GMime is given the bytes before this (len when not cut) */
	enum { CUT_NONE, CUT_ENTITIES, CUT_NESTING, CUT_DASHES } why;
	guint64 entities, entities_after; /* parts before and after the cut */
	guint64 dashes;
	guint64 fields, header_bytes;     /* of all header blocks */
	guint64 fields_dropped, fields_read;
	guint64 long_fields, longest;
	char longest_name[NAME_QUOTED + 1];
} scan;

static void bound_clear(gpointer p)
{
	g_free(((bound *)p)->delim);
}

static void drop(scan *s, gsize from, gsize to)
{
	if (from >= to || from >= s->cut)
		return;
	ks_span sp = {from, MIN(to, s->cut)};
	g_array_append_val(s->drops, sp);
}

/* A new MIME entity (a part, an embedded message) starts at depth with
 * its line at line: the message is cut before it when it is one too many. */
static void entity(scan *s, gsize line, int depth)
{
	if (s->why != CUT_NONE) {
		s->entities_after++;
		return;
	}
	s->entities++;
	if (s->entities > KS_MAX_ENTITIES || depth > KS_MAX_NESTING) {
		s->why = s->entities > KS_MAX_ENTITIES ? CUT_ENTITIES : CUT_NESTING;
		s->entities--;
		s->entities_after = 1;
		s->cut = line;
	}
}

static bool name_is(const guint8 *line, gsize n, const char *name)
{
	gsize k = strlen(name);
	if (n < k || g_ascii_strncasecmp((const char *)line, name, k) != 0)
		return false;
	for (gsize i = k; i < n; i++) { /* "Name:", "Name :" (RFC 5322 4.5.2) */
		if (line[i] == ':')
			return true;
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	}
	return false;
}

/* What a header block says about the entity's body. */
typedef struct {
	GString *content_type; /* the first Content-Type's value, unfolded, or NULL */
	GString *encoding;     /* the first Content-Transfer-Encoding's value, or NULL */
} block_info;

/* The header block at pos, to the empty line that ends it (or the end):
 * counted, its fields over the caps marked dropped.  Returns where the
 * body starts. */
static gsize header_block(scan *s, gsize pos, block_info *info)
{
	/* past the cut only the structure matters: nothing there is read */
	bool counting = pos < s->cut;
	guint64 fields = 0, kept = 0, bytes = 0;
	gsize field_start = 0, field_bytes = 0, drop_from = G_MAXSIZE, tail_from = G_MAXSIZE;
	GString *into = NULL; /* the value being collected, if any */
	bool open = false;
	while (pos < s->len) {
		const guint8 *nl = memchr(s->p + pos, '\n', s->len - pos);
		gsize end = nl ? (gsize)(nl - s->p) : s->len, next = nl ? end + 1 : s->len;
		gsize n = end - pos;
		if (n == 0 || (n == 1 && s->p[pos] == '\r'))
			break; /* the empty line: the body follows it */
		bool folded = open && (s->p[pos] == ' ' || s->p[pos] == '\t');
		if (!folded) {
			/* the previous field's tail beyond KS_MAX_HEADER_BYTES, to
			 * its last line end */
			if (tail_from != G_MAXSIZE && drop_from == G_MAXSIZE)
				drop(s, tail_from, pos - 1);
			tail_from = G_MAXSIZE;
			open = true;
			field_start = pos;
			field_bytes = 0;
			fields++;
			s->fields += counting;
			into = NULL;
			if (counting && drop_from == G_MAXSIZE &&
			    (fields > KS_MAX_HEADERS || s->fields > KS_MAX_HEADERS_TOTAL)) {
				drop_from = pos;
				kept = fields - 1;
			}
			if (drop_from == G_MAXSIZE) {
				if (!info->content_type && name_is(s->p + pos, n, "Content-Type"))
					into = info->content_type = g_string_new(NULL);
				else if (!info->encoding &&
				         name_is(s->p + pos, n, "Content-Transfer-Encoding"))
					into = info->encoding = g_string_new(NULL);
			}
		}
		/* what is kept of a field counts: its first KS_MAX_HEADER_BYTES */
		gsize before = MIN(field_bytes, (gsize)KS_MAX_HEADER_BYTES);
		field_bytes += next - pos;
		gsize counted = MIN(field_bytes, (gsize)KS_MAX_HEADER_BYTES) - before;
		bytes += counted;
		s->header_bytes += counting ? counted : 0;
		if (counting && drop_from == G_MAXSIZE && (bytes > KS_MAX_HEADER_BLOCK_BYTES ||
		                               s->header_bytes > KS_MAX_HEADER_BYTES_TOTAL)) {
			drop_from = field_start;
			kept = fields - 1;
		}
		if (counting && field_bytes > KS_MAX_HEADER_BYTES && tail_from == G_MAXSIZE) {
			tail_from = field_start + KS_MAX_HEADER_BYTES;
			s->long_fields++;
		}
		if (counting && field_bytes > s->longest) {
			s->longest = field_bytes;
			const guint8 *colon = memchr(s->p + field_start, ':', MIN(n, NAME_QUOTED));
			gsize k = colon ? (gsize)(colon - (s->p + field_start)) : MIN(n, NAME_QUOTED);
			memcpy(s->longest_name, s->p + field_start, k);
			s->longest_name[k] = '\0';
		}
		if (into && into->len < KS_MAX_HEADER_BYTES) {
			/* unfolded: the line without its end; the name is cut later */
			gsize keep = MIN(n, KS_MAX_HEADER_BYTES - into->len);
			if (keep && s->p[pos + keep - 1] == '\r')
				keep--;
			g_string_append_len(into, (const char *)s->p + pos, (gssize)keep);
		}
		pos = next;
	}
	/* pos is the empty line (or the end) */
	if (drop_from != G_MAXSIZE) {
		drop(s, drop_from, pos);
		s->fields_dropped += fields - kept;
	} else {
		if (tail_from != G_MAXSIZE)
			drop(s, tail_from, pos > 0 ? pos - 1 : pos);
		kept = fields;
	}
	s->fields_read += counting ? kept : 0;
	/* the empty line itself */
	if (pos < s->len) {
		const guint8 *nl = memchr(s->p + pos, '\n', s->len - pos);
		pos = nl ? (gsize)(nl - s->p) + 1 : s->len;
	}
	return pos;
}

/* "type/subtype" of a Content-Type value (after "Content-Type:"), lower
 * case, or empty strings. */
static void media_type(const char *value, char type[32], char subtype[64])
{
	const char *p = strchr(value, ':');
	p = p ? p + 1 : value;
	while (*p == ' ' || *p == '\t')
		p++;
	gsize i = 0;
	while (*p && *p != '/' && *p != ';' && *p != ' ' && *p != '\t' && i < 31)
		type[i++] = g_ascii_tolower(*p++);
	type[i] = '\0';
	i = 0;
	if (*p == '/')
		for (p++; *p && *p != ';' && *p != ' ' && *p != '\t' && *p != '(' && i < 63;)
			subtype[i++] = g_ascii_tolower(*p++);
	subtype[i] = '\0';
}

static bool is_encoded(const GString *cte)
{
	if (!cte)
		return false;
	const char *v = strchr(cte->str, ':');
	v = v ? v + 1 : cte->str;
	while (*v == ' ' || *v == '\t')
		v++;
	return g_ascii_strncasecmp(v, "base64", 6) == 0 ||
	       g_ascii_strncasecmp(v, "quoted-printable", 16) == 0 ||
	       g_ascii_strncasecmp(v, "x-uuencode", 10) == 0 ||
	       g_ascii_strncasecmp(v, "uuencode", 8) == 0;
}

/* What the header block just read makes of the body: a multipart pushes
 * its boundary; returns true when the body is itself a message (its
 * header block comes next). */
static bool open_body(scan *s, const block_info *info, int depth, bool in_digest)
{
	char type[32] = "", subtype[64] = "";
	if (info->content_type)
		media_type(info->content_type->str, type, subtype);
	else if (in_digest)
		strcpy(type, "message"), strcpy(subtype, "rfc822");
	if (strcmp(type, "multipart") == 0) {
		if (s->bounds->len >= KS_MAX_NESTING * 2)
			return false; /* beyond the nesting cap already */
		const char *value = strchr(info->content_type->str, ':');
		g_autofree char *b =
			ks_param_get(value ? value + 1 : info->content_type->str, "boundary", NULL, NULL);
		bound nb = {b && *b ? g_strconcat("--", b, NULL) : NULL, 0, depth,
		            strcmp(subtype, "digest") == 0};
		nb.n = nb.delim ? strlen(nb.delim) : 0;
		g_array_append_val(s->bounds, nb);
		return false;
	}
	return strcmp(type, "message") == 0 &&
	       (strcmp(subtype, "rfc822") == 0 || strcmp(subtype, "rfc2822") == 0 ||
	        strcmp(subtype, "global") == 0 || strcmp(subtype, "news") == 0) &&
	       !is_encoded(info->encoding);
}

/* The next line at or after pos that starts with "--", or len. */
static gsize next_dash_line(const scan *s, gsize pos)
{
	if (pos + 2 <= s->len && s->p[pos] == '-' && s->p[pos + 1] == '-' &&
	    (pos == 0 || s->p[pos - 1] == '\n'))
		return pos;
	const guint8 *at = pos < s->len ? ks_memfind(s->p + pos, s->len - pos, "\n--", 3) : NULL;
	return at ? (gsize)(at - s->p) + 1 : s->len;
}

/* 1234567 -> "1,234,567" */
static char *grouped(guint64 v)
{
	g_autofree char *digits = g_strdup_printf("%" G_GUINT64_FORMAT, v);
	GString *out = g_string_new(NULL);
	gsize n = strlen(digits);
	for (gsize i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			g_string_append_c(out, ',');
		g_string_append_c(out, digits[i]);
	}
	return g_string_free(out, FALSE);
}

static void report(const scan *s, GPtrArray *problems)
{
	g_autofree char *read = grouped(s->entities);
	g_autofree char *more = grouped(s->entities_after);
	g_autofree char *cap = grouped(KS_MAX_ENTITIES);
	if (s->why == CUT_ENTITIES)
		g_ptr_array_add(problems,
		                g_strdup_printf("%s MIME parts read, %s more not analysed (the limit "
		                                "is %s parts a message)",
		                                read, more, cap));
	else if (s->why == CUT_NESTING)
		g_ptr_array_add(problems,
		                g_strdup_printf("MIME parts nested deeper than %d levels: the message "
		                                "was cut there, %s parts read and the rest not analysed",
		                                KS_MAX_NESTING, read));
	else if (s->why == CUT_DASHES)
		g_ptr_array_add(problems,
		                g_strdup_printf("more than %d lines start with \"--\" (possible MIME "
		                                "boundaries): the message was cut at the next one, %s "
		                                "parts read",
		                                MAX_DASH_LINES, read));
	if (s->fields_dropped) {
		g_autofree char *dropped = grouped(s->fields_dropped);
		g_autofree char *kept = grouped(s->fields_read);
		g_autofree char *block_cap = grouped(KS_MAX_HEADERS);
		g_autofree char *total_cap = grouped(KS_MAX_HEADERS_TOTAL);
		g_ptr_array_add(problems,
		                g_strdup_printf("%s header fields not analysed, %s read (the limits "
		                                "are %s fields and %d MiB in one header block, %s "
		                                "fields and %d MiB in all)",
		                                dropped, kept, block_cap, KS_MAX_HEADER_BLOCK_BYTES >> 20,
		                                total_cap, KS_MAX_HEADER_BYTES_TOTAL >> 20));
	}
	if (s->long_fields) {
		g_autofree char *longest = grouped(s->longest);
		g_ptr_array_add(problems,
		                g_strdup_printf("%" G_GUINT64_FORMAT " header field%s longer than %d "
		                                "KiB, read up to that (the longest, %s, is %s bytes)",
		                                s->long_fields, s->long_fields == 1 ? "" : "s",
		                                KS_MAX_HEADER_BYTES / 1024, s->longest_name, longest));
	}
}

void ks_prescan(const guint8 *data, gsize off, gsize len, GArray *keep, GPtrArray *problems)
{
	scan s = {
		.p = data,
		.len = len,
		.drops = g_array_new(FALSE, FALSE, sizeof(ks_span)),
		.bounds = g_array_new(FALSE, TRUE, sizeof(bound)),
		.cut = len,
	};
	g_array_set_clear_func(s.bounds, bound_clear);
	gsize pos = off;
	int depth = 0;
	bool headers = true, in_digest = false;
	while (pos < len) {
		if (headers) {
			block_info info = {NULL, NULL};
			pos = header_block(&s, pos, &info);
			bool message = open_body(&s, &info, depth, in_digest);
			if (info.content_type)
				g_string_free(info.content_type, TRUE);
			if (info.encoding)
				g_string_free(info.encoding, TRUE);
			if (message) {
				entity(&s, pos, ++depth);
				in_digest = false;
				continue;
			}
			headers = false;
			continue;
		}
		if (s.bounds->len == 0)
			break; /* no multipart open: the rest is one body */
		gsize line = next_dash_line(&s, pos);
		if (line >= len)
			break;
		if (++s.dashes > MAX_DASH_LINES && s.why == CUT_NONE) {
			s.why = CUT_DASHES;
			s.cut = line;
		}
		const guint8 *nl = memchr(data + line, '\n', len - line);
		pos = nl ? (gsize)(nl - data) + 1 : len;
		for (guint i = s.bounds->len; i-- > 0;) {
			const bound *b = &g_array_index(s.bounds, bound, i);
			if (!b->delim || len - line < b->n || memcmp(data + line, b->delim, b->n) != 0)
				continue;
			bool close = len - line >= b->n + 2 && data[line + b->n] == '-' &&
			             data[line + b->n + 1] == '-';
			if (close) {
				g_array_set_size(s.bounds, i);
			} else {
				g_array_set_size(s.bounds, i + 1);
				const bound *top = &g_array_index(s.bounds, bound, i);
				depth = top->depth + 1;
				in_digest = top->digest;
				entity(&s, line, depth);
				headers = true;
			}
			break;
		}
	}
	/* the kept ranges: [off, cut) without the drops */
	gsize from = off;
	for (guint i = 0; i < s.drops->len; i++) {
		const ks_span *d = &g_array_index(s.drops, ks_span, i);
		if (d->from > from) {
			ks_span k = {from, d->from};
			g_array_append_val(keep, k);
		}
		from = MAX(from, d->to);
	}
	if (s.cut > from) {
		ks_span k = {from, s.cut};
		g_array_append_val(keep, k);
	}
	report(&s, problems);
	g_array_unref(s.drops);
	g_array_unref(s.bounds);
}
