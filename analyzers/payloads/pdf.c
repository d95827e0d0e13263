/* Payload analyzer for PDF documents: a row of the payload table in
 * attachments.c.  What lives here:
 *   - metadata from the Info dictionary and XMP (poppler-glib, libxml2) and
 *     where the two disagree; version, pages, encryption, incremental updates;
 *   - active content: JavaScript, OpenAction, Launch, embedded files (added
 *     as children and analysed in turn), URI links (IOCs), forms, counted
 *     pdfid-style by a raw byte scan of names (the keyword list is data,
 *     analyzers/data/pdf_keywords.txt) and confirmed through poppler's view
 *     of links, annotations and the attachment list;
 *   - the forged-document timeline: creation time beside the times of the
 *     mails the body quotes (quoted_times.c) and the sender domain's
 *     registration (pdf.created_after_message, ..._near_domain_registration);
 *   - pasted signatures and stamps: the effective DPI of every image drawn
 *     on the first pages (pdf.low_resolution_image), from the image
 *     dictionaries and the pages' content as pdf_page.c reads them;
 *   - the brand the document's title names (pdf_brand, for
 *     identity.brand_impersonation).
 * What does not: rendering (nothing is ever drawn: a page built to make a
 * renderer spin, a function shading over a giant page, costs nothing
 * here), the attachment node itself (attachments.c) and the registration
 * lookup (the caller's context).
 * An encrypted or broken PDF still gets the raw scan, and broken ones an
 * input.malformed finding. */
#include "payloads/pdf.h"

#include "mail/cursor.h"

#include "checks/brands.h"
#include "core/data.h"
#include "core/domains.h"
#include "core/module.h"
#include "payloads/pdf_page.h"
#include "mail/quoted_times.h"

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <poppler.h>
#include <string.h>

/* ISO 32000-1 Annex H.3 (implementation note 13): readers accept the header
 * anywhere in the first 1024 bytes, so attackers put junk before it */
#define HEADER_WINDOW 1024
/* ISO 32000-1 Annex C.2: a name is at most 127 bytes */
#define MAX_NAME 127
/* pages whose links and annotations are read */
#define MAX_ACTION_PAGES 500
/* URIs taken as IOCs from one document */
#define MAX_URIS 500
/* images: pages looked at, images drawn there that are read (bullets and
 * rules included) and compared per document, and the smallest drawn side
 * (points) worth comparing; bullets and rules are smaller */
#define MAX_IMAGE_PAGES 50
#define MAX_DRAWN 1000
#define MAX_IMAGES 200
#define MIN_IMAGE_SIDE 12.0
/* an image is "low resolution" under a third of the others' median DPI and
 * under 100 DPI: print-quality documents are 150-300 DPI, a signature cut
 * from a scan or a screenshot pasted in lands around 30-75 DPI */
#define LOW_DPI_RATIO 3.0
#define LOW_DPI_MAX 100.0

/* poppler-glib, opened the first time a PDF is read (GModule), as qr.c
 * opens libzbar: linked, it and what it brings (cairo, NSS, fontconfig,
 * libtiff, X11's client libraries: 32 libraries) cost every kensa process
 * 6 ms of start-up, the workbench's first screen and each CLI command
 * included, though most never read a PDF.  The header gives the types;
 * pp holds the functions, set once by poppler_init (NULL when the library
 * cannot be opened: kensa's own parsers still read the file). */
typedef struct {
	__typeof__(poppler_annot_file_attachment_get_attachment) *annot_file_attachment_get_attachment;
	__typeof__(poppler_annot_get_annot_type) *annot_get_annot_type;
	__typeof__(poppler_annot_screen_get_action) *annot_screen_get_action;
	__typeof__(poppler_attachment_save_to_callback) *attachment_save_to_callback;
	__typeof__(poppler_document_get_attachments) *document_get_attachments;
	__typeof__(poppler_document_get_author) *document_get_author;
	__typeof__(poppler_document_get_creation_date_time) *document_get_creation_date_time;
	__typeof__(poppler_document_get_creator) *document_get_creator;
	__typeof__(poppler_document_get_metadata) *document_get_metadata;
	__typeof__(poppler_document_get_modification_date_time) *document_get_modification_date_time;
	__typeof__(poppler_document_get_n_pages) *document_get_n_pages;
	__typeof__(poppler_document_get_page) *document_get_page;
	__typeof__(poppler_document_get_pdf_version) *document_get_pdf_version;
	__typeof__(poppler_document_get_producer) *document_get_producer;
	__typeof__(poppler_document_get_title) *document_get_title;
	__typeof__(poppler_document_has_attachments) *document_has_attachments;
	__typeof__(poppler_document_has_javascript) *document_has_javascript;
	__typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
	__typeof__(poppler_document_new_from_stream) *document_new_from_stream;
	__typeof__(poppler_page_free_annot_mapping) *page_free_annot_mapping;
	__typeof__(poppler_page_free_form_field_mapping) *page_free_form_field_mapping;
	__typeof__(poppler_page_free_link_mapping) *page_free_link_mapping;
	__typeof__(poppler_page_get_annot_mapping) *page_get_annot_mapping;
	__typeof__(poppler_page_get_form_field_mapping) *page_get_form_field_mapping;
	__typeof__(poppler_page_get_link_mapping) *page_get_link_mapping;
	__typeof__(poppler_page_get_text) *page_get_text;
	GQuark (*error_quark)(void);
} poppler_api;

static const poppler_api *pp;

static poppler_api *poppler_load(void)
{
	static const char *const names[] = {"libpoppler-glib.so.8", "libpoppler-glib.so"};
	poppler_api *api = g_new0(poppler_api, 1);
#define SYM(f) {"poppler_" #f, (gpointer *)&api->f}
	const ks_module_symbol syms[] = {
		SYM(annot_file_attachment_get_attachment),
		SYM(annot_get_annot_type),
		SYM(annot_screen_get_action),
		SYM(attachment_save_to_callback),
		SYM(document_get_attachments),
		SYM(document_get_author),
		SYM(document_get_creation_date_time),
		SYM(document_get_creator),
		SYM(document_get_metadata),
		SYM(document_get_modification_date_time),
		SYM(document_get_n_pages),
		SYM(document_get_page),
		SYM(document_get_pdf_version),
		SYM(document_get_producer),
		SYM(document_get_title),
		SYM(document_has_attachments),
		SYM(document_has_javascript),
		SYM(document_new_from_bytes),
		SYM(document_new_from_stream),
		SYM(page_free_annot_mapping),
		SYM(page_free_form_field_mapping),
		SYM(page_free_link_mapping),
		SYM(page_get_annot_mapping),
		SYM(page_get_form_field_mapping),
		SYM(page_get_link_mapping),
		SYM(page_get_text),
		SYM(error_quark),
	};
#undef SYM
	if (!ks_module_load(names, G_N_ELEMENTS(names), syms, G_N_ELEMENTS(syms))) {
		g_free(api);
		return NULL;
	}
	return api; /* reachable from pp */
}
/* low-resolution findings per document; the rest are counted */
#define MAX_LOW_DPI_FINDINGS 5
/* J-CSIP invoice fraud: the lookalike domain was registered hours before
 * the forged PDF was made; the brief's window is 72 hours either side */
#define REGISTRATION_WINDOW (72 * G_TIME_SPAN_HOUR)
/* how far around "/ObjStm" its object's dictionary is looked for */
#define OBJSTM_DICT_WINDOW 4096
/* XMP packets are a few KiB; a larger one is not parsed */
#define MAX_XMP (4 * 1024 * 1024)
/* XML nesting followed in an XMP packet */
#define MAX_XMP_DEPTH 64
/* characters of a script or URI quoted in evidence */
#define EXCERPT 160
/* object streams inflated per file, bytes they may inflate to in all, and
 * objects read from each (ISO 32000-1 7.5.7; pdfid reads none of them) */
#define OBJSTM_MAX 256
#define OBJSTM_BYTES_MAX (16 * 1024 * 1024)
#define OBJSTM_OBJECTS_MAX 10000

/* ---- dates ---------------------------------------------------------------- */

/* A zone after the time: "Z", "+09'00'", "+09:00", "+0900", or nothing
 * (UTC, as poppler assumes too). */
static GTimeZone *read_zone(ks_cursor *c)
{
	guint8 sign = 0;
	if (!ks_cursor_peek(c, &sign) || (sign != '+' && sign != '-'))
		return g_time_zone_new_utc();
	c->pos++;
	int hh = 0, mm = 0;
	if (!ks_cursor_digits(c, 2, &hh) || hh > 14)
		return g_time_zone_new_utc();
	if (!ks_cursor_skip_byte(c, '\''))
		ks_cursor_skip_byte(c, ':');
	if (!ks_cursor_digits(c, 2, &mm) || mm > 59)
		mm = 0;
	gint32 off = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
	return g_time_zone_new_offset(off);
}

/* ISO 32000-1 section 7.9.4: "D:YYYYMMDDHHmmSSOHH'mm'", every field after
 * the year optional; the "D:" is often missing in the wild. */
static GDateTime *pdf_date_parse(const char *s, gsize len)
{
	ks_cursor c = {.data = (const guint8 *)s, .len = len, .pos = 0};
	if (ks_cursor_skip_byte(&c, 'D'))
		ks_cursor_skip_byte(&c, ':');
	int y = 0, f[5] = {1, 1, 0, 0, 0};
	if (!ks_cursor_digits(&c, 4, &y) || y < 1970 || y > 2200)
		return NULL;
	for (int i = 0; i < 5 && ks_cursor_digits(&c, 2, &f[i]); i++)
		;
	g_autoptr(GTimeZone) tz = read_zone(&c);
	return g_date_time_new(tz, y, f[0], f[1], f[2], f[3], f[4]);
}

/* XMP dates (XMP part 1, 8.2.1.1: a subset of ISO 8601): "YYYY",
 * "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss[.s]]TZD". */
static GDateTime *xmp_date_parse(const char *s)
{
	ks_cursor c = {.data = (const guint8 *)s, .len = strlen(s), .pos = 0};
	int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
	if (!ks_cursor_digits(&c, 4, &y) || y < 1970 || y > 2200)
		return NULL;
	if (ks_cursor_skip_byte(&c, '-') && ks_cursor_digits(&c, 2, &mo) && ks_cursor_skip_byte(&c, '-') &&
	    ks_cursor_digits(&c, 2, &d) && ks_cursor_skip_byte(&c, 'T') && ks_cursor_digits(&c, 2, &h) &&
	    ks_cursor_skip_byte(&c, ':') && ks_cursor_digits(&c, 2, &mi) && ks_cursor_skip_byte(&c, ':')) {
		ks_cursor_digits(&c, 2, &sec);
		guint8 b = 0;
		if (ks_cursor_skip_byte(&c, '.'))
			while (ks_cursor_peek(&c, &b) && g_ascii_isdigit(b))
				c.pos++;
	}
	g_autoptr(GTimeZone) tz = read_zone(&c);
	return g_date_time_new(tz, y, mo, d, h, mi, sec);
}

/* "5 h 15 min", "2 d 3 h", "40 s": a gap as evidence reads it */
static char *span_format(GTimeSpan span)
{
	if (span < 0)
		span = -span;
	gint64 s = span / G_TIME_SPAN_SECOND;
	gint64 d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
	if (d)
		return g_strdup_printf("%" G_GINT64_FORMAT " d %" G_GINT64_FORMAT " h", d, h);
	if (h)
		return g_strdup_printf("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", h, m);
	if (m)
		return g_strdup_printf("%" G_GINT64_FORMAT " min", m);
	return g_strdup_printf("%" G_GINT64_FORMAT " s", s);
}

/* ---- the raw scan (pdfid's view of the bytes) ----------------------------- */

typedef struct {
	char *name; /* "/JavaScript" */
	int rule;   /* ks_rule it raises, or -1 */
	int count;
	int obfuscated; /* of those, written with #xx escapes */
} keyword;

typedef struct {
	GArray *keywords;    /* keyword */
	GHashTable *by_name; /* "/JS" -> keyword index + 1, into keywords */
	GByteArray *objstm_objects; /* "N 0 obj ... endobj" of the object streams' objects */
	int eof_markers, startxrefs;
	bool linearized;
	int version_major, version_minor; /* from the header, -1 when absent */
	GDateTime *created, *modified;     /* last literal /CreationDate, /ModDate */
	int open_dest;                     /* /OpenAction values that are page destinations */
	const char *xmp;                   /* an uncompressed XMP packet, or NULL */
	gsize xmp_len;
} raw_scan;

static void keyword_clear(gpointer p)
{
	g_free(((keyword *)p)->name);
}

static void raw_scan_load(raw_scan *s)
{
	s->keywords = g_array_new(FALSE, TRUE, sizeof(keyword));
	g_array_set_clear_func(s->keywords, keyword_clear);
	s->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	s->objstm_objects = g_byte_array_new();
	s->version_major = s->version_minor = -1;
	const GPtrArray *lines = ks_data_lines("pdf_keywords.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(lines, i), " ", 2);
		if (!f[0] || f[0][0] != '/')
			continue;
		keyword k = {g_strdup(f[0]), f[1] ? ks_rule_from_id(g_strstrip(f[1])) : -1, 0, 0};
		g_array_append_val(s->keywords, k);
	}
	/* keys are the names owned by the array, which no longer grows */
	for (guint i = 0; i < s->keywords->len; i++)
		g_hash_table_insert(s->by_name, g_array_index(s->keywords, keyword, i).name,
		                    GUINT_TO_POINTER(i + 1));
}

static void raw_scan_clear(raw_scan *s)
{
	if (s->keywords)
		g_array_unref(s->keywords);
	if (s->by_name)
		g_hash_table_unref(s->by_name);
	if (s->objstm_objects)
		g_byte_array_unref(s->objstm_objects);
	if (s->created)
		g_date_time_unref(s->created);
	if (s->modified)
		g_date_time_unref(s->modified);
}

static keyword *keyword_find(const raw_scan *s, const char *name)
{
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(s->by_name, name));
	return i ? &g_array_index(s->keywords, keyword, i - 1) : NULL;
}

static int keyword_count(const raw_scan *s, const char *name)
{
	const keyword *k = keyword_find(s, name);
	return k ? k->count : 0;
}

/* ISO 32000-1 7.2.2: white-space and delimiter characters end a name */
static bool is_regular(guint8 b)
{
	return b > ' ' && b < 0x7f && !strchr("()<>[]{}/%", b);
}

static int hexval(guint8 b)
{
	return g_ascii_xdigit_value((char)b);
}

/* Reads the name after a '/' at c->pos (the slash already consumed) into
 * buf with #xx decoded; *escaped says whether any escape was used. */
static void read_name(ks_cursor *c, char *buf, gsize size, bool *escaped)
{
	gsize n = 0;
	guint8 b = 0;
	*escaped = false;
	while (ks_cursor_peek(c, &b) && is_regular(b)) {
		c->pos++;
		if (b == '#' && c->pos + 1 < c->len && hexval(c->data[c->pos]) >= 0 &&
		    hexval(c->data[c->pos + 1]) >= 0) {
			b = (guint8)(hexval(c->data[c->pos]) * 16 + hexval(c->data[c->pos + 1]));
			c->pos += 2;
			*escaped = true;
		}
		if (n + 1 < size)
			buf[n++] = (char)(b ? b : '?');
	}
	buf[n] = '\0';
}

/* After /CreationDate or /ModDate: a literal "(D:...)" string, if that is
 * what follows (an indirect or hex string is left to poppler). */
static GDateTime *read_date_string(ks_cursor *c)
{
	guint8 b = 0;
	while (ks_cursor_peek(c, &b) && (b == ' ' || b == '\r' || b == '\n' || b == '\t'))
		c->pos++;
	if (!ks_cursor_take(c, &b) || b != '(')
		return NULL;
	gsize start = c->pos;
	while (ks_cursor_peek(c, &b) && b != ')' && c->pos - start < 64)
		c->pos++;
	return pdf_date_parse((const char *)c->data + start, c->pos - start);
}

static void skip_space(ks_cursor *c)
{
	guint8 b = 0;
	/* ISO 32000-1 7.2.2, Table 1: the white-space characters */
	while (ks_cursor_peek(c, &b) && (b == ' ' || b == '\r' || b == '\n' || b == '\t' || b == '\f' ||
	                           b == 0))
		c->pos++;
}

/* Where indirect object "num gen obj"'s body starts, or -1 when the object
 * is not in the bytes as such (inside an object stream, say). */
static gssize object_body(const guint8 *p, gsize len, int num, int gen)
{
	char pat[48];
	g_snprintf(pat, sizeof pat, "%d %d obj", num, gen);
	gsize m = strlen(pat);
	for (const guint8 *at = p; (at = ks_memfind(at, len - (gsize)(at - p), pat, m)) != NULL; at += m) {
		if (at > p && g_ascii_isdigit(at[-1]))
			continue; /* "12 0 obj" is not "2 0 obj" */
		ks_cursor c = {.data = p, .len = len, .pos = (gsize)(at - p) + m};
		skip_space(&c);
		return (gssize)c.pos;
	}
	return -1;
}

/* A plain go-to: "<< /S /GoTo /D [...] >>" with no /Next action chained
 * (ISO 32000-1 12.6.4.2, Table 193); the dictionary is read up to ">>" in
 * a bounded window. */
static bool is_goto_dict(const guint8 *p, gsize len, gsize at)
{
	gsize n = MIN(len - at, (gsize)256);
	const guint8 *end = ks_memfind(p + at, n, ">>", 2);
	g_autofree char *dict = g_strndup((const char *)p + at, end ? (gsize)(end - p) - at : n);
	const char *go = strstr(dict, "/GoTo");
	return go && !g_ascii_isalpha(go[5]) && !strstr(dict, "/Next") && strlen(dict) >= 2 &&
	       !strchr(dict + 2, '<');
}

/* ISO 32000-1 7.7.2: /OpenAction is a destination (an array: "open at
 * this page", what LaTeX's hyperref and many producers write) or an action
 * dictionary.  True for a destination or a plain go-to, direct or by
 * reference: opening at a page is no action. */
static bool open_action_is_destination(ks_cursor *c)
{
	skip_space(c);
	guint8 b = 0;
	if (!ks_cursor_peek(c, &b))
		return false;
	if (b == '[')
		return true;
	if (b == '<')
		return is_goto_dict(c->data, c->len, c->pos);
	/* at most 9 digits: an object number of 10 would overflow an int */
	int num = 0, gen = 0, digits = 0;
	while (ks_cursor_peek(c, &b) && g_ascii_isdigit(b) && digits++ < 9) {
		num = num * 10 + (b - '0');
		c->pos++;
	}
	skip_space(c);
	for (digits = 0; ks_cursor_peek(c, &b) && g_ascii_isdigit(b) && digits < 6; digits++) {
		gen = gen * 10 + (b - '0');
		c->pos++;
	}
	skip_space(c);
	if (!digits || !ks_cursor_skip_byte(c, 'R'))
		return false;
	gssize body = object_body(c->data, c->len, num, gen);
	if (body < 0 || (gsize)body >= c->len)
		return false;
	return c->data[body] == '[' || (c->data[body] == '<' && is_goto_dict(c->data, c->len, (gsize)body));
}

static int count_occurrences(const guint8 *p, gsize len, const char *needle)
{
	int n = 0;
	gsize m = strlen(needle);
	const guint8 *at = p, *end = p + len;
	while (at < end && (at = ks_memfind(at, (gsize)(end - at), needle, m)) != NULL) {
		n++;
		at += m;
	}
	return n;
}

/* The integer after name key in a dictionary at [from, to), or -1 when
 * absent or an indirect reference ("/Width 12 0 R"). */
static int dict_int(const guint8 *p, gsize from, gsize to, const char *key)
{
	gsize m = strlen(key);
	for (const guint8 *at = p + from; (at = ks_memfind(at, to - (gsize)(at - p), key, m)) != NULL;
	     at += m) {
		ks_cursor c = {.data = p, .len = to, .pos = (gsize)(at - p) + m};
		guint8 b = 0;
		if (ks_cursor_peek(&c, &b) && is_regular(b))
			continue; /* "/Widths" is not "/Width" */
		skip_space(&c);
		int v = 0, digits = 0;
		while (ks_cursor_peek(&c, &b) && g_ascii_isdigit(b) && digits < 9) {
			v = v * 10 + (b - '0');
			c.pos++, digits++;
		}
		skip_space(&c);
		if (!digits || (ks_cursor_peek(&c, &b) && g_ascii_isdigit(b)))
			return -1;
		return v;
	}
	return -1;
}

/* The names of bytes p[0..len): keywords counted, OpenAction targets,
 * dates.  top: the file itself, whose object streams are then
 * inflated and read too (never those of an inflated stream: streams are
 * not inside object streams). */
static void scan_objstms(raw_scan *s, const guint8 *p, gsize len, const GArray *at);

static void scan_names(raw_scan *s, const guint8 *p, gsize len, bool top)
{
	g_autoptr(GArray) objstm_at = top ? g_array_new(FALSE, FALSE, sizeof(gsize)) : NULL;
	ks_cursor c = {.data = p, .len = len, .pos = 0};
	char name[MAX_NAME + 2];
	for (;;) {
		const guint8 *slash = memchr(p + c.pos, '/', len - c.pos);
		if (!slash)
			break;
		c.pos = (gsize)(slash - p) + 1;
		bool escaped = false;
		name[0] = '/';
		read_name(&c, name + 1, sizeof name - 1, &escaped);
		keyword *k = keyword_find(s, name);
		if (k) {
			k->count++;
			k->obfuscated += escaped;
		}
		if (top && strcmp(name, "/ObjStm") == 0 && objstm_at)
			g_array_append_val(objstm_at, c.pos);
		if (strcmp(name, "/OpenAction") == 0) {
			ks_cursor look = c;
			s->open_dest += open_action_is_destination(&look);
		}
		GDateTime **slot = strcmp(name, "/CreationDate") == 0 ? &s->created
		                   : strcmp(name, "/ModDate") == 0    ? &s->modified
		                                                      : NULL;
		if (slot) {
			GDateTime *t = read_date_string(&c);
			if (t) {
				if (*slot)
					g_date_time_unref(*slot);
				*slot = t; /* the last one wins: incremental updates append */
			}
		}
	}
	if (objstm_at)
		scan_objstms(s, p, len, objstm_at);
}

/* ---- object streams (ISO 32000-1 7.5.7) -----------------------------------
 * PDF 1.5 writers, and every malicious-PDF kit that wants to pass pdfid,
 * put dictionaries (the Catalog with its OpenAction, Launch and JavaScript
 * actions) in Flate-compressed object streams, where a byte scan sees no
 * name at all and poppler's API shows no OpenAction.  Each one is inflated
 * (within budgets) and its objects are written out as "N 0 obj ... endobj",
 * so the same name scan, and the OpenAction resolver, read them. */

static int read_int(ks_cursor *c)
{
	skip_space(c);
	guint8 b = 0;
	int v = 0, digits = 0;
	while (ks_cursor_peek(c, &b) && g_ascii_isdigit(b) && digits < 9) {
		v = v * 10 + (b - '0');
		c->pos++, digits++;
	}
	return digits ? v : -1;
}

static void scan_objstms(raw_scan *s, const guint8 *p, gsize len, const GArray *at)
{
	gsize budget = OBJSTM_BYTES_MAX;
	GByteArray *objs = s->objstm_objects;
	for (guint i = 0; i < at->len && i < OBJSTM_MAX && budget > 0; i++) {
		gsize pos = g_array_index(at, gsize, i);
		/* the dictionary: from the "obj" before the name to "stream" after it */
		gsize lo = pos > OBJSTM_DICT_WINDOW ? pos - OBJSTM_DICT_WINDOW : 0, from = lo;
		for (gsize k = pos; k >= lo + 3; k--)
			if (memcmp(p + k - 3, "obj", 3) == 0) {
				from = k;
				break;
			}
		gsize hi = MIN(len, pos + OBJSTM_DICT_WINDOW);
		const guint8 *st = ks_memfind(p + pos, hi - pos, "stream", 6);
		if (!st)
			continue;
		gsize to = (gsize)(st - p);
		const guint8 *dict = p + from;
		gsize dlen = to - from;
		/* Flate alone: other filters (and predictors, /DecodeParms) are left to poppler */
		if (!ks_memfind(dict, dlen, "/FlateDecode", 12) || count_occurrences(dict, dlen, "Decode") != 1)
			continue;
		int n = dict_int(p, from, to, "/N"), first = dict_int(p, from, to, "/First");
		if (n <= 0 || first <= 0)
			continue;
		gsize data = to + 6;
		if (data < len && p[data] == '\r')
			data++;
		if (data < len && p[data] == '\n')
			data++;
		if (data >= len)
			continue;
		int length = dict_int(p, from, to, "/Length");
		gsize in_len = length > 0 ? MIN((gsize)length, len - data) : len - data;
		g_autoptr(GByteArray) raw = g_byte_array_new();
		if (!ks_pdf_inflate(p + data, in_len, budget, raw))
			continue;
		budget -= MIN(budget, raw->len);
		if ((gsize)first >= raw->len)
			continue;
		/* the header: n pairs "objnum offset", offsets from /First */
		ks_cursor h = {.data = raw->data, .len = (gsize)first, .pos = 0};
		for (int k = 0; k < n && k < OBJSTM_OBJECTS_MAX; k++) {
			int num = read_int(&h), off = read_int(&h);
			if (num < 0 || off < 0 || (gsize)first + (gsize)off >= raw->len)
				break;
			/* up to the next object's offset, or the end */
			ks_cursor peek = h;
			int next_num = read_int(&peek), next_off = read_int(&peek);
			gsize start = (gsize)first + (gsize)off;
			gsize stop = (next_num >= 0 && next_off > off && (gsize)first + (gsize)next_off <= raw->len)
				? (gsize)first + (gsize)next_off : raw->len;
			g_autofree char *head = g_strdup_printf("\n%d 0 obj\n", num);
			g_byte_array_append(objs, (const guint8 *)head, (guint)strlen(head));
			g_byte_array_append(objs, raw->data + start, (guint)(stop - start));
			g_byte_array_append(objs, (const guint8 *)"\nendobj\n", 8);
		}
	}
	if (objs->len)
		scan_names(s, objs->data, objs->len, false);
}

static void raw_scan_run(raw_scan *s, const guint8 *p, gsize len)
{
	const guint8 *hdr = ks_memfind(p, MIN(len, HEADER_WINDOW), "%PDF-", 5);
	if (hdr) {
		ks_cursor c = {.data = p, .len = len, .pos = (gsize)(hdr - p) + 5};
		int maj = 0, min = 0;
		if (ks_cursor_digits(&c, 1, &maj) && ks_cursor_skip_byte(&c, '.') && ks_cursor_digits(&c, 1, &min))
			s->version_major = maj, s->version_minor = min;
	}
	s->eof_markers = count_occurrences(p, len, "%%EOF");
	s->startxrefs = count_occurrences(p, len, "startxref");
	s->linearized = ks_memfind(p, MIN(len, 4096), "/Linearized", 11) != NULL;

	const guint8 *x = ks_memfind(p, len, "<x:xmpmeta", 10);
	const guint8 *xe = x ? ks_memfind(x, len - (gsize)(x - p), "</x:xmpmeta>", 12) : NULL;
	if (x && xe && (gsize)(xe - x) + 12 <= MAX_XMP) {
		s->xmp = (const char *)x;
		s->xmp_len = (gsize)(xe - x) + 12;
	}

	scan_names(s, p, len, true);
}

/* "/JS 1, /JavaScript 2 (1 hex-escaped), /OpenAction 1" */
static char *keywords_summary(const raw_scan *s)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < s->keywords->len; i++) {
		const keyword *k = &g_array_index(s->keywords, keyword, i);
		if (!k->count)
			continue;
		g_string_append_printf(out, "%s%s %d", out->len ? ", " : "", k->name, k->count);
		if (k->obfuscated)
			g_string_append_printf(out, " (%d hex-escaped)", k->obfuscated);
	}
	bool empty = out->len == 0;
	return g_string_free(g_steal_pointer(&out), empty);
}

/* ---- document metadata ------------------------------------------------------ */

typedef struct {
	char *title, *author, *creator, *producer;
	GDateTime *created, *modified;
} doc_meta;

static void doc_meta_clear(doc_meta *m)
{
	g_free(m->title);
	g_free(m->author);
	g_free(m->creator);
	g_free(m->producer);
	if (m->created)
		g_date_time_unref(m->created);
	if (m->modified)
		g_date_time_unref(m->modified);
}

/* text of an XMP property: the first rdf:li of an Alt/Seq/Bag, else the
 * element's own text */
static char *xmp_value(xmlNode *node)
{
	for (xmlNode *c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *n = (const char *)c->name;
		if (strcmp(n, "Alt") && strcmp(n, "Seq") && strcmp(n, "Bag"))
			continue;
		for (xmlNode *li = c->children; li; li = li->next)
			if (li->type == XML_ELEMENT_NODE && strcmp((const char *)li->name, "li") == 0) {
				xmlChar *t = xmlNodeGetContent(li);
				char *v = g_strstrip(g_strdup((const char *)t));
				xmlFree(t);
				return v;
			}
		return NULL;
	}
	xmlChar *t = xmlNodeGetContent(node);
	char *v = g_strstrip(g_strdup(t ? (const char *)t : ""));
	xmlFree(t);
	return v;
}

/* XMP namespaces (XMP part 2, 8.2 and 8.4; Dublin Core 1.1) */
#define NS_XMP "http://ns.adobe.com/xap/1.0/"
#define NS_PDF "http://ns.adobe.com/pdf/1.3/"
#define NS_DC "http://purl.org/dc/elements/1.1/"

static void xmp_take(doc_meta *m, const char *ns, const char *name, char *value)
{
	char **str = NULL;
	GDateTime **date = NULL;
	if (strcmp(ns, NS_XMP) == 0 && strcmp(name, "CreateDate") == 0)
		date = &m->created;
	else if (strcmp(ns, NS_XMP) == 0 && strcmp(name, "ModifyDate") == 0)
		date = &m->modified;
	else if (strcmp(ns, NS_XMP) == 0 && strcmp(name, "CreatorTool") == 0)
		str = &m->creator;
	else if (strcmp(ns, NS_PDF) == 0 && strcmp(name, "Producer") == 0)
		str = &m->producer;
	else if (strcmp(ns, NS_DC) == 0 && strcmp(name, "title") == 0)
		str = &m->title;
	else if (strcmp(ns, NS_DC) == 0 && strcmp(name, "creator") == 0)
		str = &m->author;
	if (str && !*str && value && *value) {
		*str = value;
		return;
	}
	if (date && !*date && value)
		*date = xmp_date_parse(value);
	g_free(value);
}

static void xmp_walk(xmlNode *node, doc_meta *m, int depth)
{
	if (depth > MAX_XMP_DEPTH)
		return;
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (node->ns && node->ns->href)
			xmp_take(m, (const char *)node->ns->href, (const char *)node->name,
			         xmp_value(node));
		/* the short form: properties as attributes of rdf:Description */
		for (xmlAttr *at = node->properties; at; at = at->next) {
			if (!at->ns || !at->ns->href)
				continue;
			xmlChar *v = xmlNodeListGetString(node->doc, at->children, 1);
			xmp_take(m, (const char *)at->ns->href, (const char *)at->name,
			         g_strdup(v ? (const char *)v : ""));
			xmlFree(v);
		}
		xmp_walk(node->children, m, depth + 1);
	}
}

static void xmp_parse(const char *xml, gsize len, doc_meta *m)
{
	if (!xml || !len || len > MAX_XMP)
		return;
	/* no DTD loading, no entity substitution, no network (libxml2 defaults
	 * plus NONET); errors are expected on hostile packets and stay quiet */
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "xmp.xml", NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return;
	xmp_walk(xmlDocGetRootElement(doc), m, 0);
	xmlFreeDoc(doc);
}

static void add_meta_time(ks_attachment *a, const char *key, GDateTime *t)
{
	g_autofree char *s = ks_time_format(t);
	if (s)
		ks_attachment_add_meta(a, key, s);
}

static void diff_str(GString *out, const char *info_key, const char *a, const char *xmp_key,
                     const char *b)
{
	if (!a || !b || strcmp(a, b) == 0)
		return;
	g_string_append_printf(out, "%s%s %s vs %s %s", out->len ? "; " : "", info_key, a, xmp_key,
	                       b);
}

static void diff_time(GString *out, const char *info_key, GDateTime *a, const char *xmp_key,
                      GDateTime *b)
{
	if (!a || !b)
		return;
	GTimeSpan d = g_date_time_difference(a, b);
	if (d > -G_TIME_SPAN_SECOND && d < G_TIME_SPAN_SECOND)
		return;
	g_autofree char *sa = ks_time_format(a);
	g_autofree char *sb = ks_time_format(b);
	diff_str(out, info_key, sa, xmp_key, sb);
}

static char *info_xmp_differences(const doc_meta *info, const doc_meta *xmp)
{
	g_autoptr(GString) out = g_string_new(NULL);
	diff_time(out, "CreationDate", info->created, "xmp:CreateDate", xmp->created);
	diff_time(out, "ModDate", info->modified, "xmp:ModifyDate", xmp->modified);
	diff_str(out, "Title", info->title, "dc:title", xmp->title);
	diff_str(out, "Author", info->author, "dc:creator", xmp->author);
	diff_str(out, "Creator", info->creator, "xmp:CreatorTool", xmp->creator);
	diff_str(out, "Producer", info->producer, "pdf:Producer", xmp->producer);
	bool empty = out->len == 0;
	return g_string_free(g_steal_pointer(&out), empty);
}

/* ---- one document's analysis state ---------------------------------------- */

typedef struct {
	ks_part_walk *w;
	ks_report *r;
	ks_attachment *a;
	int depth;
	const char *name; /* for evidence: the file name or "PDF at part N" */
	char *loc;        /* "part:PATH" */
	PopplerDocument *doc;
	GString *why[KS_RULE_COUNT]; /* evidence per rule, joined with "; " */
	int uris;
	int embedded; /* embedded files added as children */
} pdf_ctx;

static void note(pdf_ctx *c, ks_rule rule, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void note(pdf_ctx *c, ks_rule rule, const char *fmt, ...)
{
	if (!c->why[rule])
		c->why[rule] = g_string_new(NULL);
	else
		g_string_append(c->why[rule], "; ");
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(c->why[rule], fmt, ap);
	va_end(ap);
}

static char *excerpt(const char *s)
{
	if (!s)
		return g_strdup("");
	if (!g_utf8_validate(s, -1, NULL))
		return g_strndup(s, MIN(strlen(s), (size_t)EXCERPT));
	if (g_utf8_strlen(s, -1) <= EXCERPT)
		return g_strdup(s);
	g_autofree char *cut = g_utf8_substring(s, 0, EXCERPT);
	return g_strconcat(cut, "…", NULL);
}

/* ---- active content through poppler -------------------------------------- */

/* The document's links are the mail's links too (the Body pane lists
 * them, links.c judges where they go): each URI once per document. */
static void add_link(pdf_ctx *c, const char *uri)
{
	for (guint i = c->r->links->len; i > 0; i--) {
		const ks_link *l = g_ptr_array_index(c->r->links, i - 1);
		if (g_strcmp0(l->location, c->loc) == 0 && strcmp(l->href, uri) == 0)
			return;
	}
	g_ptr_array_add(c->r->links, ks_link_new_at("[PDF link]", uri, c->loc));
}

static void add_uri(pdf_ctx *c, const char *uri)
{
	if (!uri || !*uri || c->uris >= MAX_URIS)
		return;
	c->uris++;
	add_link(c, uri);
	if (g_ascii_strncasecmp(uri, "mailto:", 7) == 0) {
		g_autofree char *addr = g_strndup(uri + 7, strcspn(uri + 7, "?"));
		if (strchr(addr, '@'))
			ks_report_add_ioc(c->r, KS_IOC_EMAIL, addr);
		return;
	}
	ks_report_add_ioc(c->r, KS_IOC_URL, uri);
	g_autofree char *host = ks_url_host(uri);
	if (host && *host)
		ks_report_add_ioc(c->r, ks_is_ip_literal(host) ? KS_IOC_IP : KS_IOC_DOMAIN, host);
}

static void check_action(pdf_ctx *c, PopplerAction *act, int page, const char *where)
{
	if (!act)
		return;
	switch (act->type) {
	case POPPLER_ACTION_URI:
		add_uri(c, act->uri.uri);
		break;
	case POPPLER_ACTION_LAUNCH: {
		g_autofree char *file = excerpt(act->launch.file_name);
		g_autofree char *params = excerpt(act->launch.params);
		note(c, KS_RULE_PDF_LAUNCH_ACTION, "%s on page %d launches \"%s\"%s%s", where, page,
		     file, *params ? " with " : "", params);
		break;
	}
	case POPPLER_ACTION_JAVASCRIPT: {
		g_autofree char *js = excerpt(act->javascript.script);
		note(c, KS_RULE_PDF_JAVASCRIPT, "%s on page %d runs script: %s", where, page, js);
		break;
	}
	default:
		break;
	}
}

/* callback of poppler_attachment_save_to_callback: appends within a limit */
typedef struct {
	GByteArray *buf;
	gsize limit;
} sink;

static gboolean sink_write(const gchar *buf, gsize count, gpointer data, GError **error)
{
	sink *s = data;
	if (s->buf->len + count > s->limit) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "size limit reached");
		return FALSE;
	}
	g_byte_array_append(s->buf, (const guint8 *)buf, (guint)count);
	return TRUE;
}

/* One embedded file as a child node, analysed in turn. */
static void add_embedded_bytes(pdf_ctx *c, const char *name, const char *description,
                               gsize declared, GBytes *bytes, const char *problem,
                               const char *where)
{
	if (!name || !*name)
		name = "(unnamed)";
	c->embedded++;
	g_autofree char *size = g_format_size_full(declared, G_FORMAT_SIZE_IEC_UNITS);
	note(c, KS_RULE_PDF_EMBEDDED_FILE, "%s embeds \"%s\" (%s)", where, name, size);
	ks_attachment *child =
		ks_part_walk_add_child(c->w, c->a, name, NULL, bytes, (int64_t)declared, c->depth);
	if (child && description && *description)
		ks_attachment_add_meta(child, "description", description);
	if (child && problem)
		ks_attachment_add_meta(child, "unread", problem);
}

/* Reads an attachment's bytes within the budget; NULL with *problem set. */
static GBytes *attachment_bytes(PopplerAttachment *att, int64_t budget, const char **problem)
{
	if (budget <= 0 || att->size > (gsize)budget) {
		*problem = "not read: decompressed-bytes limit for the message reached";
		return NULL;
	}
	sink s = {g_byte_array_new(), (gsize)budget};
	g_autoptr(GError) err = NULL;
	if (pp->attachment_save_to_callback(att, sink_write, &s, &err))
		return g_byte_array_free_to_bytes(s.buf);
	g_byte_array_unref(s.buf);
	*problem = "not readable (damaged stream or over the size limit)";
	return NULL;
}

static void add_embedded(pdf_ctx *c, PopplerAttachment *att, const char *where)
{
	int64_t *budget = ks_part_walk_budget(c->w);
	const char *problem = NULL;
	g_autoptr(GBytes) bytes = attachment_bytes(att, *budget, &problem);
	if (bytes)
		*budget -= (int64_t)g_bytes_get_size(bytes);
	add_embedded_bytes(c, att->name, att->description, att->size, bytes, problem, where);
}

static void scan_page_actions(pdf_ctx *c, PopplerPage *page, int n, int *form_fields)
{
	GList *links = pp->page_get_link_mapping(page);
	for (GList *l = links; l; l = l->next)
		check_action(c, ((PopplerLinkMapping *)l->data)->action, n, "a link");
	pp->page_free_link_mapping(links);

	GList *annots = pp->page_get_annot_mapping(page);
	for (GList *l = annots; l; l = l->next) {
		PopplerAnnot *annot = ((PopplerAnnotMapping *)l->data)->annot;
		PopplerAnnotType type = pp->annot_get_annot_type(annot);
		if (type == POPPLER_ANNOT_FILE_ATTACHMENT) {
			PopplerAttachment *att = pp->annot_file_attachment_get_attachment(
				(PopplerAnnotFileAttachment *)annot);
			if (att) {
				g_autofree char *where = g_strdup_printf("a file annotation on page %d", n);
				add_embedded(c, att, where);
				g_object_unref(att);
			}
		} else if (type == POPPLER_ANNOT_SCREEN) {
			check_action(c, pp->annot_screen_get_action((PopplerAnnotScreen *)annot), n,
			             "a screen annotation");
		}
	}
	pp->page_free_annot_mapping(annots);

	GList *fields = pp->page_get_form_field_mapping(page);
	*form_fields += (int)g_list_length(fields);
	pp->page_free_form_field_mapping(fields);
}

/* ---- poppler's document attachment list -------------------------------------
 * poppler 22.12 (Debian 12) dereferences a null EmbFile inside
 * poppler_document_get_attachments for crafted EmbeddedFiles entries (a
 * string where a Filespec should be, an /EF stream that is cut off or does
 * not resolve; fuzz_pdf found several shapes).  The analysis helper
 * (helper.h) runs this with the rest of the attachment's analysis: a crash
 * there costs the helper, and the attachment is read again by kensa's own
 * parsers alone (the raw scan still sees /EmbeddedFiles). */

static void list_attachments(pdf_ctx *c)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* the fuzz build (tests/fuzz/fuzz.mk) runs this in process, where the
	 * crash above would end every run that finds it again: it skips the
	 * call, as OSS-Fuzz projects do for a library's known bug; kensa itself
	 * always makes it, inside the helper */
	return;
#endif
	GList *atts = pp->document_get_attachments(c->doc);
	for (GList *l = atts; l; l = l->next)
		add_embedded(c, l->data, "the document");
	g_list_free_full(atts, g_object_unref);
}

static void scan_active(pdf_ctx *c)
{
	if (pp->document_has_attachments(c->doc))
		list_attachments(c);

	if (pp->document_has_javascript(c->doc))
		note(c, KS_RULE_PDF_JAVASCRIPT, "document-level JavaScript (Names tree or OpenAction)");

	int pages = pp->document_get_n_pages(c->doc), form_fields = 0;
	for (int i = 0; i < pages && i < MAX_ACTION_PAGES; i++) {
		PopplerPage *page = pp->document_get_page(c->doc, i);
		if (!page)
			continue;
		scan_page_actions(c, page, i + 1, &form_fields);
		g_object_unref(page);
	}
	if (form_fields) {
		g_autofree char *n = g_strdup_printf("%d", form_fields);
		ks_attachment_add_meta(c->a, "form_fields", n);
	}
	if (c->uris) {
		g_autofree char *n = g_strdup_printf("%d", c->uris);
		ks_attachment_add_meta(c->a, "links", n);
	}
}

/* What the byte scan adds: names poppler does not expose (OpenAction,
 * annotation /AA /JS, a Launch poppler did not see) and everything when
 * poppler could not open the file. */
static void scan_keywords(pdf_ctx *c, const raw_scan *s)
{
	for (guint i = 0; i < s->keywords->len; i++) {
		const keyword *k = &g_array_index(s->keywords, keyword, i);
		if (!k->count || k->rule < 0)
			continue;
		/* poppler listed the files themselves, with names and sizes */
		if (k->rule == KS_RULE_PDF_EMBEDDED_FILE && c->embedded)
			continue;
		/* opening at a page is no action; a script there is seen as /JS */
		if (k->rule == KS_RULE_PDF_OPEN_ACTION && k->count <= s->open_dest) {
			ks_attachment_add_meta(c->a, "open_action", "a page destination");
			continue;
		}
		if (k->obfuscated)
			note(c, (ks_rule)k->rule, "name %s %d× (%d hex-escaped to hide it)", k->name,
			     k->count, k->obfuscated);
		else
			note(c, (ks_rule)k->rule, "name %s %d×", k->name, k->count);
	}
	g_autofree char *summary = keywords_summary(s);
	if (summary)
		ks_attachment_add_meta(c->a, "keywords", summary);
	int forms = keyword_count(s, "/AcroForm"), xfa = keyword_count(s, "/XFA");
	if (forms || xfa)
		ks_attachment_add_meta(c->a, "forms", xfa ? "AcroForm with XFA" : "AcroForm");
}

static void emit_findings(pdf_ctx *c)
{
	for (int rule = 0; rule < KS_RULE_COUNT; rule++) {
		if (!c->why[rule])
			continue;
		ks_report_add_finding(c->r, (ks_rule)rule, c->loc, "%s: %s", c->name, c->why[rule]->str);
		g_string_free(c->why[rule], TRUE);
		c->why[rule] = NULL;
	}
}

/* ---- timeline -------------------------------------------------------------- */

static bool has_event(const ks_report *r, GDateTime *t, const char *source)
{
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *e = g_ptr_array_index(r->timeline, i);
		if (g_date_time_equal(e->time, t) && strcmp(e->source, source) == 0)
			return true;
	}
	return false;
}

/* pdf.created_after_message: the document was made after the latest mail
 * the body quotes, i.e. after the real mail it copies (J-CSIP invoice
 * fraud: the forged invoice is made hours after the partner's genuine one). */
static void check_quoted(pdf_ctx *c, GDateTime *created)
{
	g_autoptr(GPtrArray) quoted = ks_quoted_times_extract(c->r->body_text, c->r->date);
	GDateTime *latest = NULL;
	for (guint i = 0; i < quoted->len; i++) {
		GDateTime *t = g_ptr_array_index(quoted, i);
		if (!has_event(c->r, t, "body"))
			ks_report_add_event(c->r, t, "quoted message sent", "body");
		/* a quoted time after this message's own Date is a misread, not a thread */
		if (c->r->date && g_date_time_compare(t, c->r->date) > 0)
			continue;
		if (!latest || g_date_time_compare(t, latest) > 0)
			latest = t;
	}
	/* the mail this one answers, when it was read earlier from the same
	 * mailbox: a reply need not quote it */
	const ks_context *ctx = ks_part_walk_context(c->w);
	GDateTime *parent = ks_context_message_date(ctx, c->r->in_reply_to);
	bool from_parent = false;
	if (parent && !(c->r->date && g_date_time_compare(parent, c->r->date) > 0)) {
		if (!has_event(c->r, parent, "header:In-Reply-To"))
			ks_report_add_event(c->r, parent, "the message this one answers was sent",
			                    "header:In-Reply-To");
		if (!latest || g_date_time_compare(parent, latest) > 0) {
			latest = parent;
			from_parent = true;
		}
	}
	if (!latest || g_date_time_compare(created, latest) <= 0)
		return;
	/* a forward carries the quoted mail's own attachments: made after its
	 * quoted Sent: line only by the zone the forwarder's client left out */
	if (ks_quoted_is_forward(c->r->subject))
		return;
	g_autofree char *when = ks_time_format(created);
	g_autofree char *q = ks_time_format(latest);
	g_autofree char *gap = span_format(g_date_time_difference(created, latest));
	g_autoptr(GString) ev = g_string_new(NULL);
	g_string_printf(ev, "%s created %s, %s after the %s of %s it answers", c->name, when, gap,
	                from_parent ? "message (In-Reply-To, earlier in the mailbox)"
	                            : "quoted message",
	                q);
	if (c->r->date) {
		g_autofree char *sent = ks_time_format(c->r->date);
		GTimeSpan d = g_date_time_difference(c->r->date, created);
		g_autofree char *gap2 = span_format(d);
		g_string_append_printf(ev, "; this message is dated %s, %s %s", sent, gap2,
		                       d >= 0 ? "after the PDF" : "BEFORE the PDF");
	}
	ks_report_add_finding(c->r, KS_RULE_PDF_CREATED_AFTER_MESSAGE, c->loc, "%s", ev->str);
}

static void add_sender_domain(GPtrArray *out, const char *address)
{
	g_autofree char *host = address ? ks_domain_of_address(address) : NULL;
	char *dom = host ? ks_domain_registrable(host) : NULL;
	if (!dom)
		return;
	for (guint i = 0; i < out->len; i++)
		if (strcmp(g_ptr_array_index(out, i), dom) == 0) {
			g_free(dom);
			return;
		}
	g_ptr_array_add(out, dom);
}

/* pdf.created_near_domain_registration: J-CSIP saw the lookalike domain
 * registered and the forged PDF made within the same hours. */
static void check_registration(pdf_ctx *c, GDateTime *created)
{
	const ks_context *ctx = ks_part_walk_context(c->w);
	if (!ctx)
		return;
	g_autoptr(GPtrArray) doms = g_ptr_array_new_with_free_func(g_free);
	const GPtrArray *lists[] = {c->r->from, c->r->reply_to};
	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
		for (guint j = 0; lists[i] && j < lists[i]->len; j++)
			add_sender_domain(doms, ((ks_address *)g_ptr_array_index(lists[i], j))->address);
	add_sender_domain(doms, c->r->return_path);
	for (guint i = 0; i < doms->len; i++) {
		const char *dom = g_ptr_array_index(doms, i);
		const ks_registration *reg = ks_context_registration(ctx, dom);
		if (!reg || !reg->registered)
			continue;
		GTimeSpan d = g_date_time_difference(created, reg->registered);
		if (d > REGISTRATION_WINDOW || d < -REGISTRATION_WINDOW)
			continue;
		g_autofree char *when = ks_time_format(created);
		g_autofree char *reg_at = ks_time_format(reg->registered);
		g_autofree char *gap = span_format(d);
		ks_report_add_finding(c->r, KS_RULE_PDF_CREATED_NEAR_DOMAIN_REGISTRATION, c->loc,
		                      "%s created %s, %s %s sender domain %s was registered (%s%s%s)",
		                      c->name, when, gap, d >= 0 ? "after" : "before", dom, reg_at,
		                      reg->source ? ", " : "", reg->source ? reg->source : "");
	}
}

static void timeline(pdf_ctx *c, const doc_meta *info, const doc_meta *xmp)
{
	g_autofree char *created = g_strdup_printf("PDF %s created (CreationDate)", c->name);
	g_autofree char *modified = g_strdup_printf("PDF %s modified (ModDate)", c->name);
	g_autofree char *xcreated = g_strdup_printf("PDF %s created (XMP CreateDate)", c->name);
	ks_report_add_event(c->r, info->created, created, c->loc);
	if (info->modified && (!info->created || !g_date_time_equal(info->modified, info->created)))
		ks_report_add_event(c->r, info->modified, modified, c->loc);
	if (xmp->created && (!info->created || !g_date_time_equal(xmp->created, info->created)))
		ks_report_add_event(c->r, xmp->created, xcreated, c->loc);
	/* the Info dictionary is what readers show and forgers edit; XMP when
	 * it is the only record */
	GDateTime *when = info->created ? info->created : xmp->created;
	if (!when)
		return;
	check_quoted(c, when);
	check_registration(c, when);
}

/* ---- images ---------------------------------------------------------------- */

typedef struct {
	ks_pdf_image im;
	double dpi;
} image_use;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* median DPI of every image but the one at skip */
static double median_others(const GArray *imgs, guint skip)
{
	g_autofree double *v = g_new(double, imgs->len);
	guint n = 0;
	for (guint i = 0; i < imgs->len; i++)
		if (i != skip)
			v[n++] = g_array_index(imgs, image_use, i).dpi;
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* pdf.low_resolution_image: the effective DPI of every image drawn on the
 * first pages (its pixels over the length it is drawn at, along each of its
 * own axes), each against the median of the others.  Where the images are
 * drawn and their pixel sizes come from pdf_page.c, which reads the pages'
 * content and the image dictionaries and never draws or decodes an image. */
static void check_images(pdf_ctx *c, const raw_scan *raw)
{
	gsize len = 0;
	const guint8 *bytes = g_bytes_get_data(c->a->data, &len);
	g_autoptr(GArray) drawn =
		ks_pdf_page_images(bytes, len, raw->objstm_objects->data, raw->objstm_objects->len,
		                   MAX_IMAGE_PAGES, MAX_DRAWN);
	g_autoptr(GArray) imgs = g_array_new(FALSE, FALSE, sizeof(image_use));
	for (guint i = 0; i < drawn->len && imgs->len < MAX_IMAGES; i++) {
		const ks_pdf_image *im = &g_array_index(drawn, ks_pdf_image, i);
		if (im->w_pt < MIN_IMAGE_SIDE || im->h_pt < MIN_IMAGE_SIDE)
			continue;
		/* effective DPI along each axis; the lower one is the honest one
		 * for an image stretched to fit */
		image_use u = {*im, MIN(im->w_px / (im->w_pt / 72.0), im->h_px / (im->h_pt / 72.0))};
		g_array_append_val(imgs, u);
	}
	g_autofree char *count = g_strdup_printf("%u", imgs->len);
	ks_attachment_add_meta(c->a, "images", count);
	if (imgs->len < 2)
		return;
	int found = 0;
	for (guint i = 0; i < imgs->len; i++) {
		const image_use *u = &g_array_index(imgs, image_use, i);
		double others = median_others(imgs, i);
		if (u->dpi >= LOW_DPI_MAX || u->dpi * LOW_DPI_RATIO >= others)
			continue;
		if (++found > MAX_LOW_DPI_FINDINGS)
			continue;
		ks_report_add_finding(c->r, KS_RULE_PDF_LOW_RESOLUTION_IMAGE, c->loc,
		                      "%s: page %d at (%.0f,%.0f) %d×%d px drawn %.0f×%.0f pt: "
		                      "%.0f DPI vs %.0f DPI for the other images",
		                      c->name, u->im.page, u->im.x, u->im.y, u->im.w_px, u->im.h_px,
		                      u->im.w_pt, u->im.h_pt, u->dpi, others);
	}
	if (found > MAX_LOW_DPI_FINDINGS)
		ks_report_add_finding(c->r, KS_RULE_PDF_LOW_RESOLUTION_IMAGE, c->loc,
		                      "%s: %d more low-resolution images not listed", c->name,
		                      found - MAX_LOW_DPI_FINDINGS);
}

/* ---- entry ----------------------------------------------------------------- */

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
                     gpointer unused)
{
	(void)domain, (void)level, (void)message, (void)unused;
}

/* The smallest document poppler opens without complaint (ISO 32000-1
 * 7.5: header, catalog, page tree, xref, trailer). */
static const char ANCHOR_PDF[] =
	"%PDF-1.4\n"
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>endobj\n"
	"xref\n0 4\n"
	"0000000000 65535 f \n"
	"0000000009 00000 n \n"
	"0000000052 00000 n \n"
	"0000000101 00000 n \n"
	"trailer<</Size 4/Root 1 0 R>>\n"
	"startxref\n160\n%%EOF\n";

/* Once for the process, before the first document:
 *   - poppler-glib reports damaged input through g_warning ("unexpected tz
 *     val", syntax errors) on stderr, which would garble the workbench's
 *     screen and the headless commands' one-line errors; what is wrong with
 *     a file is this analyzer's to report, as findings.  A handler for
 *     poppler's log domain only drops them.
 *   - every PopplerDocument holds a reference on poppler's global
 *     parameters, which are built when the first is taken (reading the
 *     encoding and font directories from disk) and torn down when the last
 *     goes: one per attachment, a tenth of `kensa scan`'s time.  A document
 *     kept for the life of the process holds them once.  It is read-only,
 *     never looked at again, and reachable from the GOnce. */
static gpointer poppler_init(gpointer unused)
{
	(void)unused;
	poppler_api *api = poppler_load();
	if (!api)
		return NULL;
	pp = api;
	g_log_set_handler("Poppler",
	                  G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
	                          G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
	                  drop_log, NULL);
	g_autoptr(GBytes) anchor = g_bytes_new_static(ANCHOR_PDF, sizeof ANCHOR_PDF - 1);
	PopplerDocument *kept = pp->document_new_from_bytes(anchor, NULL, NULL);
	return kept ? (gpointer)kept : (gpointer)api;
}

void ks_pdf_prepare(void)
{
	static GOnce init = G_ONCE_INIT;
	g_once(&init, poppler_init, NULL);
}

/* Is the PDF that starts at p + at, inside a, a child of a byte for byte?
 * A zip's first entry stored as it is (PDFs hardly compress) puts its
 * header in the zip's first kilobyte; the zip reader has made it a node of
 * its own, read as a PDF there. */
static bool is_stored_child(const ks_attachment *a, const guint8 *p, gsize len, gsize at)
{
	for (guint i = 0; a->children && i < a->children->len; i++) {
		const ks_attachment *c = g_ptr_array_index(a->children, i);
		gsize clen = 0;
		const guint8 *cp = c->data ? g_bytes_get_data(c->data, &clen) : NULL;
		if (cp && clen >= 5 && clen <= len - at && memcmp(p + at, cp, clen) == 0)
			return true;
	}
	return false;
}

bool ks_pdf_accepts(const ks_attachment *a)
{
	if (!a || !a->data)
		return false;
	if (g_strcmp0(a->detected_type, "application/pdf") == 0)
		return true;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	const guint8 *hdr = p ? ks_memfind(p, MIN(len, HEADER_WINDOW), "%PDF-", 5) : NULL;
	/* a header past the first byte: a reader that looks for it there opens
	 * the file as a PDF, unless that PDF is one the tree already reads */
	return hdr && (hdr == p || !is_stored_child(a, p, len, (gsize)(hdr - p)));
}

static void info_from_poppler(PopplerDocument *doc, doc_meta *m)
{
	m->title = pp->document_get_title(doc);
	m->author = pp->document_get_author(doc);
	m->creator = pp->document_get_creator(doc);
	m->producer = pp->document_get_producer(doc);
	/* poppler keeps the offset written in the date (a GDateTime in a
	 * fixed-offset zone), which is what the timeline must show */
	m->created = pp->document_get_creation_date_time(doc);
	m->modified = pp->document_get_modification_date_time(doc);
}

static void add_info_meta(ks_attachment *a, const doc_meta *m, const char *prefix)
{
	const struct {
		const char *key;
		const char *value;
	} rows[] = {{"title", m->title},
	            {"author", m->author},
	            {"creator", m->creator},
	            {"producer", m->producer}};
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		if (!rows[i].value || !*rows[i].value)
			continue;
		g_autofree char *key = g_strconcat(prefix, rows[i].key, NULL);
		ks_attachment_add_meta(a, key, rows[i].value);
	}
	g_autofree char *ck = g_strconcat(prefix, "created", NULL);
	g_autofree char *mk = g_strconcat(prefix, "modified", NULL);
	add_meta_time(a, ck, m->created);
	add_meta_time(a, mk, m->modified);
}

/* The brand a document's title names (Info, else XMP dc:title): "Banco do
 * Brasil - Aviso de bloqueio".  Kept as pdf_brand for
 * identity.brand_impersonation (impersonation.c), which weighs it as
 * lightly as a subject: a forwarded receipt names its shop there too.  The
 * page's own text is not read for it: extracting text runs the whole
 * content stream, forms within forms, which a crafted page makes endless. */
static void title_brand(pdf_ctx *c, const doc_meta *info, const doc_meta *xmp)
{
	const char *title = info->title && *info->title ? info->title : xmp->title;
	if (!title || !*title)
		return;
	ks_brand_reading rd;
	ks_brand_find(title, &rd);
	for (guint i = 0; i < rd.brands->len; i++) {
		const ks_brand_hit *h = &g_array_index(rd.brands, ks_brand_hit, i);
		if (!h->common) {
			ks_attachment_add_meta(c->a, "pdf_brand", ks_brand_name(h->brand));
			break;
		}
	}
	ks_brand_reading_clear(&rd);
}

void ks_pdf_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	gsize len = 0;
	const guint8 *bytes = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	if (!bytes || !len)
		return;
	pdf_ctx c = {
		.w = w,
		.r = ks_part_walk_report(w),
		.a = a,
		.depth = depth,
		.loc = g_strdup_printf("part:%s", a->path),
	};
	g_autofree char *fallback_name = g_strdup_printf("PDF at part %s", a->path);
	c.name = a->filename ? a->filename : fallback_name;

	ks_pdf_prepare();

	raw_scan raw = {0};
	raw_scan_load(&raw);
	raw_scan_run(&raw, bytes, len);

	/* poppler is left out when only kensa's own parsers may read the file
	 * (attachments.h): the raw scan and the page reader still run */
	bool libraries = ks_part_walk_libraries(w);
	g_autoptr(GError) err = NULL;
	c.doc = libraries && pp ? pp->document_new_from_bytes(a->data, NULL, &err) : NULL;
	bool locked = !c.doc && err && err->domain == pp->error_quark() &&
	              err->code == POPPLER_ERROR_ENCRYPTED;
	/* a document that needs a password, given in the body: open it with
	 * that password and read it like any other */
	g_autoptr(GPtrArray) hints = locked ? ks_passwords_find(c.r->body_text) : NULL;
	const ks_password_hint *opened_by = NULL;
	for (guint i = 0; hints && i < hints->len && !c.doc; i++) {
		const ks_password_hint *h = g_ptr_array_index(hints, i);
		/* poppler-glib 22.12's new_from_bytes crashes retrying a refused
		 * password (it casts its stream copy to the wrong class); the
		 * stream constructor copies it soundly */
		g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes(a->data);
		c.doc = pp->document_new_from_stream(in, (goffset)len, h->password, NULL, NULL);
		if (c.doc)
			opened_by = h;
	}
	if (locked) {
		g_autofree char *told = ks_password_evidence(hints, opened_by, true);
		ks_report_add_finding_sev(c.r, KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT,
		                          opened_by ? KS_SEV_HIGH
		                                    : ks_rule_severity(KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT),
		                          c.loc, "%s: the PDF needs a password to open%s", c.name, told);
		if (opened_by) {
			ks_attachment_add_meta(a, "password", opened_by->password);
			locked = false;
		}
	}

	doc_meta info = {0}, xmp = {0};
	if (c.doc) {
		guint maj = 0, min = 0;
		pp->document_get_pdf_version(c.doc, &maj, &min);
		g_autofree char *version = g_strdup_printf("%u.%u", maj, min);
		g_autofree char *pages = g_strdup_printf("%d", pp->document_get_n_pages(c.doc));
		ks_attachment_add_meta(a, "pdf_version", version);
		ks_attachment_add_meta(a, "pages", pages);
		info_from_poppler(c.doc, &info);
		g_autofree char *xml = pp->document_get_metadata(c.doc);
		xmp_parse(xml, xml ? strlen(xml) : 0, &xmp);
	} else {
		if (raw.version_major >= 0) {
			g_autofree char *version =
				g_strdup_printf("%d.%d", raw.version_major, raw.version_minor);
			ks_attachment_add_meta(a, "pdf_version", version);
		}
		/* an encrypted file's Info strings are ciphertext, but dates in an
		 * unencrypted (or broken) file can still be read from the bytes */
		if (!locked) {
			info.created = raw.created ? g_date_time_ref(raw.created) : NULL;
			info.modified = raw.modified ? g_date_time_ref(raw.modified) : NULL;
		}
		/* XMP is often left unencrypted (/EncryptMetadata false) */
		xmp_parse(raw.xmp, raw.xmp_len, &xmp);
	}
	add_info_meta(a, &info, "");

	bool encrypted = locked || keyword_count(&raw, "/Encrypt") > 0;
	if (encrypted)
		a->encrypted = true;
	ks_attachment_add_meta(a, "encrypted",
	                       locked      ? "true (a password is needed to open it)"
	                       : opened_by ? "true (opened with the password the body gives)"
	                       : encrypted ? "true"
	                                   : "false");
	int sections = MAX(raw.eof_markers, raw.startxrefs);
	/* a linearized file has two xref sections from the start (ISO 32000-1 Annex F) */
	int updates = MAX(sections - 1 - (raw.linearized ? 1 : 0), 0);
	g_autofree char *upd = g_strdup_printf("%d", updates);
	ks_attachment_add_meta(a, "incremental_updates", upd);
	add_info_meta(a, &xmp, "xmp_");
	g_autofree char *diff = info_xmp_differences(&info, &xmp);
	if (diff)
		ks_attachment_add_meta(a, "info_xmp_differences", diff);

	if (!c.doc && !locked && libraries)
		ks_report_add_finding(c.r, KS_RULE_INPUT_MALFORMED, c.loc,
		                      "%s: PDF not readable (%s); only its raw bytes were scanned",
		                      c.name, err ? err->message : "unknown error");
	else if (raw.eof_markers == 0)
		ks_report_add_finding(c.r, KS_RULE_INPUT_MALFORMED, c.loc,
		                      "%s: no %%%%EOF marker: the PDF is truncated", c.name);

	if (c.doc)
		scan_active(&c);
	title_brand(&c, &info, &xmp);
	scan_keywords(&c, &raw);
	emit_findings(&c);
	timeline(&c, &info, &xmp);
	if (!locked)
		check_images(&c, &raw);

	doc_meta_clear(&info);
	doc_meta_clear(&xmp);
	raw_scan_clear(&raw);
	if (c.doc)
		g_object_unref(c.doc);
	g_free(c.loc);
}

/* the raw scan and the page reader are its own; poppler it leaves out: runs also when only kensa's own parsers may read (part_walk.h) */
/* ---- the document as a reader sees it (the workbench's decoded view) ---- */

static void append_action(GString *out, PopplerAction *act, int page, const char *what)
{
	if (!act || out->len >= KS_PDF_READING_MAX_BYTES)
		return;
	switch (act->type) {
	case POPPLER_ACTION_URI:
		g_string_append_printf(out, "page %d  %s  URI %s\n", page, what,
		                       act->uri.uri ? act->uri.uri : "");
		break;
	case POPPLER_ACTION_LAUNCH:
		g_string_append_printf(out, "page %d  %s  LAUNCH %s%s%s\n", page, what,
		                       act->launch.file_name ? act->launch.file_name : "",
		                       act->launch.params ? " " : "",
		                       act->launch.params ? act->launch.params : "");
		break;
	case POPPLER_ACTION_GOTO_REMOTE:
		g_string_append_printf(out, "page %d  %s  GOTO-REMOTE %s\n", page, what,
		                       act->goto_remote.file_name ? act->goto_remote.file_name : "");
		break;
	case POPPLER_ACTION_JAVASCRIPT: {
		g_autofree char *js = excerpt(act->javascript.script);
		g_string_append_printf(out, "page %d  %s  JAVASCRIPT %s\n", page, what, js);
		break;
	}
	default:
		break;
	}
}

void ks_pdf_reading(GBytes *data, const char *password, GString *text, GString *links,
                    GString *problems)
{
	if (!data || !g_bytes_get_size(data))
		return;
	ks_pdf_prepare();
	if (!pp) {
		g_string_append(problems, "the PDF library (libpoppler-glib) cannot be opened");
		return;
	}
	g_autoptr(GError) err = NULL;
	/* the stream constructor: see ks_pdf_expand on new_from_bytes and passwords */
	g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes(data);
	PopplerDocument *doc = pp->document_new_from_stream(
		in, (goffset)g_bytes_get_size(data), password, NULL, &err);
	if (!doc) {
		g_string_append_printf(problems, "poppler cannot open it: %s",
		                       err ? err->message : "unknown error");
		return;
	}
	int pages = pp->document_get_n_pages(doc);
	int shown = MIN(pages, KS_PDF_READING_MAX_PAGES);
	for (int n = 0; n < shown && text->len < KS_PDF_READING_MAX_BYTES; n++) {
		PopplerPage *page = pp->document_get_page(doc, n);
		g_string_append_printf(text, "── page %d ──\n", n + 1);
		if (!page) {
			g_string_append(text, "(poppler cannot read this page)\n");
			continue;
		}
		g_autofree char *t = pp->page_get_text(page);
		bool blank = true;
		for (const char *c = t; c && *c && blank; c++)
			blank = g_ascii_isspace(*c);
		if (blank) /* a lure pasted as a picture reads as nothing */
			g_string_append(text, "(no text on this page: it may be a picture)");
		else
			g_string_append_len(text, t, (gssize)MIN(strlen(t), KS_PDF_READING_MAX_BYTES));
		g_string_append_c(text, '\n');
		GList *map = pp->page_get_link_mapping(page);
		for (GList *l = map; l; l = l->next)
			append_action(links, ((PopplerLinkMapping *)l->data)->action, n + 1, "link");
		pp->page_free_link_mapping(map);
		GList *annots = pp->page_get_annot_mapping(page);
		for (GList *l = annots; l; l = l->next) {
			PopplerAnnot *annot = ((PopplerAnnotMapping *)l->data)->annot;
			if (pp->annot_get_annot_type(annot) == POPPLER_ANNOT_SCREEN)
				append_action(links, pp->annot_screen_get_action((PopplerAnnotScreen *)annot),
				              n + 1, "screen annotation");
		}
		pp->page_free_annot_mapping(annots);
		g_object_unref(page);
	}
	g_object_unref(doc);
	if (pages == 0)
		g_string_append(problems, "the document has no pages");
	if (pages > shown)
		g_string_append_printf(problems, "%d pages; the first %d are shown", pages, shown);
	if (text->len >= KS_PDF_READING_MAX_BYTES)
		g_string_append_printf(problems, "%stext cut at %d KiB", problems->len ? "; " : "",
		                       KS_PDF_READING_MAX_BYTES / 1024);
}

const ks_payload_analyzer ks_pdf_payload = {"pdf", ks_pdf_accepts, ks_pdf_expand, true};
