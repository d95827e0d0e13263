/* Office documents inside the attachment walk: OOXML packages (read with
 * libzip and libxml2), OLE2 compound files (.doc/.xls/.ppt, through ole.c)
 * and RTF.  What lives here: office.vba_macro (vbaProject.bin, OLE
 * Macros/_VBA_PROJECT_CUR/VBA storages, PowerPoint's VBAInfoContainer), VBA
 * module names and keywords (MS-OVBA dir stream and source decompression,
 * done here through a bounds-checked cursor rather than libgsf's msvba
 * reader, which trusts its input), office.remote_template (external
 * relationships that load content), Excel 4 macro sheets, encryption
 * (EncryptedPackage, FIB fEncrypted, BIFF FILEPASS, PowerPoint's
 * EncryptedSummary), embedded objects as children (the word/embeddings
 * members, Ole10Native packages), lure phrases in the document text, RTF
 * object classes.  What does not: the name/type rules on the document
 * itself (attachments.c), zip listing of non-OOXML archives (attachments.c and zipread.c),
 * libgsf access (ole.c), Outlook .msg files (msg.c; here they are
 * recognised and left alone). */
#include "payloads/office.h"

#include "core/data.h"
#include "mail/ole.h"
#include "core/sanitize.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile-impl.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <zip.h>

/* Limits (DESIGN.md "every parser has limits"). */
#define OLE_MAX_DEPTH 16             /* storage nesting followed */
#define OLE_MAX_ENTRIES 4096         /* storages and streams visited per file */
#define OLE_MAX_STREAM (32 << 20)    /* bytes read from one stream */
#define ZIP_MAX_MEMBERS 10000        /* OOXML members looked at */
#define ZIP_MAX_XML (1 << 20)        /* bytes of one .rels or [Content_Types].xml */
#define ZIP_MAX_TEXT (256 * 1024)    /* bytes of document text searched for lures */
#define TEXT_MAX_XML (2 << 20)       /* bytes of a text part's XML read for that */
#define ZIP_MAX_MEMBER (64 << 20)    /* bytes of one vbaProject.bin or embedding */
#define TEXT_PARTS 8                 /* slides/sheets searched for lures */
#define VBA_MAX_MODULES 256          /* modules read per VBA project */
#define VBA_MAX_SOURCE (4 << 20)     /* decompressed bytes per module */
#define VBA_MAX_TOTAL (16 << 20)     /* decompressed source bytes per document */
#define BIFF_MAX_GLOBALS (8 << 20)   /* bytes of the workbook globals read */
#define RTF_MAX_CLASSES 32           /* \objclass names kept */
#define LIST_MAX 20                  /* names listed in one metadata value */

/* ---- bounds-checked cursor ---------------------------------------------- */

typedef struct {
	const guint8 *p;
	gsize len, pos;
	bool truncated;
} cursor;

static bool cur_need(cursor *c, gsize n)
{
	if (c->truncated || n > c->len - c->pos) {
		c->truncated = true;
		return false;
	}
	return true;
}

static guint8 cur_u8(cursor *c)
{
	if (!cur_need(c, 1))
		return 0;
	return c->p[c->pos++];
}

static guint16 cur_u16(cursor *c)
{
	if (!cur_need(c, 2))
		return 0;
	guint16 v = (guint16)(c->p[c->pos] | c->p[c->pos + 1] << 8);
	c->pos += 2;
	return v;
}

static guint32 cur_u32(cursor *c)
{
	if (!cur_need(c, 4))
		return 0;
	guint32 v = (guint32)c->p[c->pos] | (guint32)c->p[c->pos + 1] << 8 |
	            (guint32)c->p[c->pos + 2] << 16 | (guint32)c->p[c->pos + 3] << 24;
	c->pos += 4;
	return v;
}

/* Pointer to the next n bytes (advancing past them), or NULL: truncated. */
static const guint8 *cur_take(cursor *c, gsize n)
{
	if (!cur_need(c, n))
		return NULL;
	const guint8 *p = c->p + c->pos;
	c->pos += n;
	return p;
}

/* A NUL-terminated string of at most the rest of the data; NULL when no NUL. */
static char *cur_cstring(cursor *c)
{
	if (c->truncated)
		return NULL;
	const guint8 *start = c->p + c->pos;
	const guint8 *nul = memchr(start, 0, c->len - c->pos);
	if (!nul) {
		c->truncated = true;
		return NULL;
	}
	c->pos += (gsize)(nul - start) + 1;
	return g_strndup((const char *)start, (gsize)(nul - start));
}

/* ---- small helpers ------------------------------------------------------- */

static bool has_prefix(GBytes *data, const void *magic, gsize n)
{
	gsize len = 0;
	const guint8 *p = data ? g_bytes_get_data(data, &len) : NULL;
	return p && len >= n && memcmp(p, magic, n) == 0;
}

static bool is_ole(GBytes *data)
{
	gsize len = 0;
	const void *p = data ? g_bytes_get_data(data, &len) : NULL;
	return ks_ole_sniff(p, len);
}

static bool is_rtf(GBytes *data)
{
	return has_prefix(data, "{\\rt", 4); /* Word opens "{\rt" as RTF, not only "{\rtf1" */
}

/* Text in a legacy code page as UTF-8 (names in VBA projects and Ole10Native
 * headers are ANSI); the bytes as they are when the conversion fails. */
static char *ansi_to_utf8(const char *s, gsize len, guint codepage)
{
	if (g_utf8_validate(s, (gssize)len, NULL))
		return g_strndup(s, len);
	g_autofree char *cs = g_strdup_printf("CP%u", codepage ? codepage : 1252);
	char *out = g_convert(s, (gssize)len, "UTF-8", cs, NULL, NULL, NULL);
	return out ? out : g_strndup(s, len);
}

/* A name list kept unique and in order, for "a, b, c" metadata values. */
static void list_add(GPtrArray *list, const char *name)
{
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), name) == 0)
			return;
	g_ptr_array_add(list, g_strdup(name));
}

static char *list_join(const GPtrArray *list)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < list->len && i < LIST_MAX; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(list, i));
	if (list->len > LIST_MAX)
		g_string_append_printf(s, ", … (%u in all)", list->len);
	return g_string_free(s, FALSE);
}

/* ---- what one document holds -------------------------------------------- */

typedef struct {
	ks_part_walk *w;
	ks_attachment *a;
	int depth;
	char *loc;             /* "part:PATH" */
	GPtrArray *vba_where;  /* char*: where VBA was found */
	GPtrArray *modules;    /* char*: VBA module names */
	GPtrArray *keywords;   /* char*: vba_keywords found */
	GPtrArray *xlm_sheets; /* char*: Excel 4 macro sheet names */
	GPtrArray *problems;   /* char*: what was malformed */
	bool encrypted;
	char *encrypted_how;
	int ole_entries;
	gsize vba_source; /* decompressed VBA bytes so far */
	bool vba_content_type; /* [Content_Types].xml declares a VBA project */
	GPtrArray *sources; /* ks_kv*: each module's name and source, or NULL
	                       when nobody asked (ks_office_macro_sources) */
	guint codepage;     /* the VBA project's (PROJECTCODEPAGE) */
} scan;

static void scan_init(scan *s, ks_part_walk *w, ks_attachment *a, int depth)
{
	s->w = w;
	s->a = a;
	s->depth = depth;
	s->loc = g_strdup_printf("part:%s", a->path);
	s->vba_where = g_ptr_array_new_with_free_func(g_free);
	s->modules = g_ptr_array_new_with_free_func(g_free);
	s->keywords = g_ptr_array_new_with_free_func(g_free);
	s->xlm_sheets = g_ptr_array_new_with_free_func(g_free);
	s->problems = g_ptr_array_new_with_free_func(g_free);
}

static void scan_clear(scan *s)
{
	g_free(s->loc);
	g_ptr_array_unref(s->vba_where);
	g_ptr_array_unref(s->modules);
	g_ptr_array_unref(s->keywords);
	g_ptr_array_unref(s->xlm_sheets);
	g_ptr_array_unref(s->problems);
	g_free(s->encrypted_how);
}

static void note_problem(scan *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note_problem(scan *s, const char *fmt, ...)
{
	if (s->problems->len >= LIST_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	list_add(s->problems, what);
	g_free(what);
}

static void note_encrypted(scan *s, const char *how)
{
	if (s->encrypted)
		return;
	s->encrypted = true;
	s->encrypted_how = g_strdup(how);
}

/* Takes bytes for a child out of the walk's budget; false when it ran out
 * or there is no walk (only the macro source is wanted). */
static bool budget_take(scan *s, gsize n)
{
	if (!s->w)
		return false;
	int64_t *budget = ks_part_walk_budget(s->w);
	if (*budget < (int64_t)n) {
		note_problem(s, "decompressed-bytes limit for the message reached; embedded "
		                "objects left unread");
		return false;
	}
	*budget -= (int64_t)n;
	return true;
}

static void add_child(scan *s, const char *name, GBytes *data)
{
	ks_part_walk_add_child(s->w, s->a, name, NULL, data, (int64_t)g_bytes_get_size(data),
	                       s->depth);
}

/* ---- VBA: MS-OVBA ------------------------------------------------------- */

/* MS-OVBA 2.4.1: CompressedContainer -> decompressed bytes, at most max_out.
 * A malformed container ends the output where it went wrong. */
static GByteArray *ovba_decompress(const guint8 *data, gsize len, gsize max_out, bool *bad)
{
	GByteArray *out = g_byte_array_new();
	cursor c = {data, len, 0, false};
	if (cur_u8(&c) != 0x01) { /* 2.4.1.1.1 SignatureByte */
		*bad = true;
		return out;
	}
	while (c.pos + 2 <= c.len && out->len < max_out) {
		gsize chunk_start = c.pos;
		guint16 header = cur_u16(&c);
		/* 2.4.1.1.5 CompressedChunkHeader: size-3 (12 bits), signature
		 * 0b011 (3 bits), flag (1 bit) */
		gsize chunk_size = (gsize)(header & 0x0FFF) + 3;
		if (((header >> 12) & 0x07) != 0x03) {
			*bad = true;
			break;
		}
		gsize chunk_end = MIN(chunk_start + chunk_size, c.len);
		gsize out_start = out->len;
		if (!(header & 0x8000)) { /* 2.4.1.3.3: 4096 raw bytes */
			const guint8 *raw = cur_take(&c, 4096);
			if (!raw) {
				*bad = true;
				break;
			}
			g_byte_array_append(out, raw, 4096);
			continue;
		}
		while (c.pos < chunk_end && out->len < max_out) {
			guint8 flags = cur_u8(&c);
			for (int bit = 0; bit < 8 && c.pos < chunk_end; bit++) {
				if (!(flags & (1 << bit))) {
					guint8 b = cur_u8(&c);
					g_byte_array_append(out, &b, 1);
					continue;
				}
				/* 2.4.1.3.19.1 CopyToken help: bit count from the
				 * decompressed chunk's current size, 4..12 */
				guint16 token = cur_u16(&c);
				gsize diff = out->len - out_start;
				unsigned bits = 4;
				while (bits < 12 && ((gsize)1 << bits) < diff)
					bits++;
				guint16 len_mask = (guint16)(0xFFFF >> bits);
				gsize length = (gsize)(token & len_mask) + 3;
				gsize offset = (gsize)((token & ~len_mask & 0xFFFF) >> (16 - bits)) + 1;
				if (c.truncated || offset > diff) {
					*bad = true;
					return out;
				}
				for (gsize k = 0; k < length && out->len < max_out; k++) {
					guint8 b = out->data[out->len - offset];
					g_byte_array_append(out, &b, 1);
				}
			}
		}
		c.pos = MAX(c.pos, chunk_end);
	}
	if (c.truncated)
		*bad = true;
	return out;
}

/* Lower-cases bytes in place (ASCII only) for case-insensitive memmem. */
static void ascii_down(guint8 *p, gsize len)
{
	for (gsize i = 0; i < len; i++)
		p[i] = (guint8)g_ascii_tolower((gchar)p[i]);
}

/* A lower-case word in lower-cased bytes. */
static bool has_word(const guint8 *hay, gsize len, const char *word)
{
	g_autofree char *low = g_ascii_strdown(word, -1);
	gsize n = strlen(low);
	return n && n <= len && memmem(hay, len, low, n) != NULL;
}

static void scan_keywords(scan *s, GByteArray *src)
{
	const GPtrArray *words = ks_data_lines("office_vba_keywords.txt");
	ascii_down(src->data, src->len);
	for (guint i = 0; words && i < words->len; i++) {
		const char *word = g_ptr_array_index(words, i);
		if (has_word(src->data, src->len, word))
			list_add(s->keywords, word);
	}
}

/* One module: its stream in the VBA storage, source at offset (MS-OVBA 2.3.4.3). */
static void vba_module_read(scan *s, GsfInfile *vba, const char *module_name,
                            const char *stream_name, guint32 offset)
{
	g_autoptr(GsfInput) in = ks_ole_child_named(vba, stream_name);
	if (!in) {
		note_problem(s, "VBA module stream %s missing", stream_name);
		return;
	}
	g_autoptr(GBytes) data = ks_ole_read(in, OLE_MAX_STREAM, false);
	gsize len = 0;
	const guint8 *p = data ? g_bytes_get_data(data, &len) : NULL;
	if (!p || offset >= len) {
		note_problem(s, "VBA module %s: source offset past the stream", stream_name);
		return;
	}
	if (s->vba_source >= VBA_MAX_TOTAL) {
		note_problem(s, "VBA source over %d MiB; later modules not read", VBA_MAX_TOTAL >> 20);
		return;
	}
	bool bad = false;
	g_autoptr(GByteArray) src = ovba_decompress(p + offset, len - offset,
	                                            MIN(VBA_MAX_SOURCE, VBA_MAX_TOTAL - s->vba_source),
	                                            &bad);
	s->vba_source += src->len;
	if (bad)
		note_problem(s, "VBA module %s: compressed source malformed", stream_name);
	if (s->sources) {
		ks_kv *m = g_new0(ks_kv, 1);
		m->key = g_strdup(module_name);
		m->value = ansi_to_utf8((const char *)src->data, src->len, s->codepage);
		g_ptr_array_add(s->sources, m);
	}
	scan_keywords(s, src); /* lower-cases src */
}

/* The VBA storage: its "dir" stream lists the modules (MS-OVBA 2.3.4.2). */
static void vba_project_read(scan *s, GsfInfile *vba)
{
	g_autoptr(GsfInput) dir_in = ks_ole_child_named(vba, "dir");
	g_autoptr(GBytes) dir_raw = dir_in ? ks_ole_read(dir_in, OLE_MAX_STREAM, false) : NULL;
	if (!dir_raw) {
		note_problem(s, "VBA project without a readable dir stream");
		return;
	}
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(dir_raw, &len);
	bool bad = false;
	g_autoptr(GByteArray) dir = ovba_decompress(p, len, OLE_MAX_STREAM, &bad);
	if (bad)
		note_problem(s, "VBA dir stream malformed");

	cursor c = {dir->data, dir->len, 0, false};
	guint codepage = 1252;
	g_autofree char *module_name = NULL, *stream_name = NULL;
	int modules = 0;
	while (!c.truncated && c.pos + 6 <= c.len && modules < VBA_MAX_MODULES) {
		guint16 id = cur_u16(&c);
		guint32 size = cur_u32(&c);
		/* 2.3.4.2.1.11 PROJECTVERSION: Size says 4, but 6 bytes follow */
		const guint8 *rec = cur_take(&c, id == 0x0009 ? (gsize)size + 2 : size);
		if (!rec)
			break;
		switch (id) {
		case 0x0003: /* PROJECTCODEPAGE */
			if (size == 2)
				codepage = (guint)(rec[0] | rec[1] << 8);
			break;
		case 0x0019: /* MODULENAME */
			g_free(module_name);
			module_name = ansi_to_utf8((const char *)rec, size, codepage);
			break;
		case 0x001A: /* MODULESTREAMNAME */
			g_free(stream_name);
			stream_name = ansi_to_utf8((const char *)rec, size, codepage);
			break;
		case 0x0031: /* MODULEOFFSET */
			if (size == 4 && stream_name) {
				guint32 offset = (guint32)rec[0] | (guint32)rec[1] << 8 |
				                 (guint32)rec[2] << 16 | (guint32)rec[3] << 24;
				const char *name = module_name ? module_name : stream_name;
				list_add(s->modules, name);
				s->codepage = codepage;
				vba_module_read(s, vba, name, stream_name, offset);
				modules++;
			}
			break;
		case 0x002B: /* MODULE terminator */
			g_clear_pointer(&module_name, g_free);
			g_clear_pointer(&stream_name, g_free);
			break;
		default:
			break;
		}
	}
	if (c.truncated)
		note_problem(s, "VBA dir stream truncated");
}

/* ---- OLE2 compound files ------------------------------------------------ */

/* [MS-XLS] 2.4.28 BoundSheet8: dt 0x01 is a macro sheet (Excel 4 / XLM);
 * 2.4.117 FilePass: the workbook is encrypted.  Only the workbook globals
 * substream (up to its first EOF) is read. */
static void biff_scan(scan *s, GsfInput *in)
{
	g_autoptr(GBytes) data = ks_ole_read(in, BIFF_MAX_GLOBALS, true);
	if (!data)
		return;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(data, &len);
	cursor c = {p, len, 0, false};
	bool biff8 = true;
	while (c.pos + 4 <= c.len) {
		guint16 type = cur_u16(&c);
		guint16 size = cur_u16(&c);
		const guint8 *rec = cur_take(&c, size);
		if (!rec)
			break;
		cursor r = {rec, size, 0, false};
		if (type == 0x0809) { /* BOF: vers 0x0600 is BIFF8, 0x0500 BIFF5 */
			biff8 = cur_u16(&r) == 0x0600;
		} else if (type == 0x000A) { /* EOF of the globals */
			break;
		} else if (type == 0x002F) {
			note_encrypted(s, "Workbook FILEPASS record");
			break; /* the rest is ciphertext */
		} else if (type == 0x0085) {
			cur_u32(&r); /* lbPlyPos */
			cur_u8(&r);  /* hsState */
			guint8 dt = cur_u8(&r);
			if (dt != 0x01)
				continue;
			guint8 cch = cur_u8(&r);
			/* BIFF8: ShortXLUnicodeString (2.5.240), fHighByte says UTF-16 */
			bool wide = biff8 && (cur_u8(&r) & 1);
			const guint8 *chars = cur_take(&r, wide ? (gsize)cch * 2 : cch);
			g_autofree char *name = NULL;
			if (chars && wide)
				name = g_convert((const char *)chars, (gssize)cch * 2, "UTF-8",
				                 "UTF-16LE", NULL, NULL, NULL);
			else if (chars)
				name = ansi_to_utf8((const char *)chars, cch, 1252);
			list_add(s->xlm_sheets, name ? name : "(unnamed)");
		}
	}
}

/* [MS-PPT] 2.4.10 VBAInfoContainer (recType 0x03FF) holding a VBAInfoAtom
 * (recType 0x0400, 12 bytes), recInstance 1 and 0, as 16 bytes of record
 * headers: the presentation has a VBA project, kept
 * compressed in an ExOleObjStg inside the "PowerPoint Document" stream. */
static const guint8 ppt_vba_info[16] = {0x1F, 0x00, 0xFF, 0x03, 0x14, 0x00, 0x00, 0x00,
                                        0x02, 0x00, 0x00, 0x04, 0x0C, 0x00, 0x00, 0x00};

static void ppt_scan(scan *s, GsfInput *in)
{
	g_autoptr(GBytes) data = ks_ole_read(in, OLE_MAX_STREAM, false);
	gsize len = 0;
	const guint8 *p = data ? g_bytes_get_data(data, &len) : NULL;
	if (p && len >= sizeof ppt_vba_info &&
	    memmem(p, len, ppt_vba_info, sizeof ppt_vba_info))
		list_add(s->vba_where, "PowerPoint Document VBAInfoContainer");
}

/* [MS-DOC] 2.5.2 FibBase: fEncrypted is bit 8 of the flags at offset 0x0A. */
static void word_scan(scan *s, GsfInput *in)
{
	guint8 fib[12];
	if (gsf_input_size(in) >= (gsf_off_t)sizeof fib && gsf_input_read(in, sizeof fib, fib) &&
	    fib[0] == 0xEC && fib[1] == 0xA5 && (fib[11] & 0x01))
		note_encrypted(s, "WordDocument FIB fEncrypted");
}

/* An OLE "Package" object (Ole10Native, as oletools' oleobj reads it):
 * u32 size, u16 flags, label\0, source path\0, u32, u32 n, temp path[n],
 * u32 data size, data. */
static void ole10native_read(scan *s, GsfInput *in)
{
	g_autoptr(GBytes) raw = ks_ole_read(in, OLE_MAX_STREAM, false);
	if (!raw || !budget_take(s, g_bytes_get_size(raw)))
		return;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(raw, &len);
	cursor c = {p, len, 0, false};
	cur_u32(&c);
	cur_u16(&c);
	g_autofree char *label = cur_cstring(&c);
	g_autofree char *source = cur_cstring(&c);
	cur_u32(&c);
	guint32 tmp_len = cur_u32(&c);
	cur_take(&c, tmp_len);
	guint32 size = cur_u32(&c);
	const guint8 *payload = cur_take(&c, size);
	if (!payload) {
		note_problem(s, "Ole10Native package truncated");
		return;
	}
	const char *name = label && *label ? label : "Ole10Native";
	if (source && *source) {
		const char *base = strrchr(source, '\\');
		name = base && base[1] ? base + 1 : source;
	}
	g_autofree char *utf8 = ansi_to_utf8(name, strlen(name), 1252);
	g_autoptr(GBytes) data = g_bytes_new_from_bytes(raw, (gsize)(payload - p), size);
	add_child(s, utf8, data);
}

static void ole_walk(scan *s, GsfInfile *dir, const char *where, int depth)
{
	if (depth > OLE_MAX_DEPTH) {
		note_problem(s, "storages nested deeper than %d levels", OLE_MAX_DEPTH);
		return;
	}
	int n = gsf_infile_num_children(dir);
	for (int i = 0; i < n; i++) {
		if (++s->ole_entries > OLE_MAX_ENTRIES) {
			note_problem(s, "more than %d storages and streams", OLE_MAX_ENTRIES);
			return;
		}
		const char *name = gsf_infile_name_by_index(dir, i);
		g_autoptr(GError) err = NULL;
		g_autoptr(GsfInput) child = name ? ks_ole_child_at(dir, i, &err) : NULL;
		if (!child) {
			note_problem(s, "%s%s%s unreadable: %s", where, *where ? "/" : "",
			             name ? name : "(unnamed)", err ? err->message : "no such entry");
			continue;
		}
		g_autofree char *path = *where ? g_strdup_printf("%s/%s", where, name) : g_strdup(name);
		if (ks_ole_is_storage(child)) {
			/* [MS-OVBA] 2.2.1: "VBA" under the project storage; Word
			 * calls the project storage "Macros", Excel "_VBA_PROJECT_CUR" */
			if (strcmp(name, "VBA") == 0) {
				if (!s->vba_where->len) /* else its project is named already */
					list_add(s->vba_where, path);
				vba_project_read(s, GSF_INFILE(child));
			} else if (strcmp(name, "Macros") == 0 || strcmp(name, "_VBA_PROJECT_CUR") == 0) {
				list_add(s->vba_where, path);
			}
			ole_walk(s, GSF_INFILE(child), path, depth + 1);
			continue;
		}
		/* [MS-OFFCRYPTO] 2.3.4: an encrypted OOXML package is an OLE file
		 * with EncryptionInfo and EncryptedPackage streams */
		if (strcmp(name, "EncryptedPackage") == 0)
			note_encrypted(s, "EncryptedPackage stream (password-protected OOXML)");
		else if (strcmp(name, "EncryptedSummary") == 0) /* [MS-PPT] 2.3.7 */
			note_encrypted(s, "PowerPoint EncryptedSummary stream");
		else if (depth == 0 && (strcmp(name, "Workbook") == 0 || strcmp(name, "Book") == 0))
			biff_scan(s, child);
		else if (depth == 0 && strcmp(name, "WordDocument") == 0)
			word_scan(s, child);
		else if (depth == 0 && strcmp(name, "PowerPoint Document") == 0)
			ppt_scan(s, child);
		else if (strcmp(name, "\001Ole10Native") == 0)
			ole10native_read(s, child);
		else if (strcmp(name, "Package") == 0 && depth > 0) {
			/* an embedded OOXML document ([MS-OLEDS] 2.3.x "Package" stream) */
			GBytes *data = ks_ole_read(child, ZIP_MAX_MEMBER, false);
			if (data && budget_take(s, g_bytes_get_size(data)))
				add_child(s, "Package", data);
			if (data)
				g_bytes_unref(data);
		}
	}
}

static bool ole_is_msg(GsfInfile *root)
{
	g_autoptr(GsfInput) props = ks_ole_child_named(root, "__properties_version1.0");
	return props != NULL;
}

/* Walks an OLE file; false with error set when libgsf cannot open it. */
static bool ole_scan(scan *s, GBytes *data, const char *label, GError **error)
{
	g_autoptr(GsfInfile) root = ks_ole_open(data, error);
	if (!root)
		return false;
	if (ole_is_msg(root)) {
		ks_attachment_add_meta(s->a, "ole_kind", "outlook-msg");
		return true;
	}
	ole_walk(s, root, label, 0);
	return true;
}

/* ---- OOXML -------------------------------------------------------------- */

typedef struct {
	zip_t *za;
	GPtrArray *remote;   /* char*: evidence lines for office.remote_template */
	GPtrArray *lures;    /* char*: lure phrases found */
	GPtrArray *external; /* char*: other external targets */
} ooxml;

/* Reads one member, or NULL when it is unreadable or longer than limit
 * (*over set); with prefix, a longer member gives its first limit bytes.
 * Reads stop at the central directory's size, so a bomb costs nothing. */
static GBytes *member_read(zip_t *za, zip_uint64_t i, gsize limit, bool prefix, bool *over)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return NULL;
	if (st.size > limit && !prefix) {
		*over = true;
		return NULL;
	}
	zip_file_t *zf = zip_fopen_index(za, i, 0);
	if (!zf)
		return NULL;
	gsize want = (gsize)MIN(st.size, (zip_uint64_t)limit);
	guint8 *buf = g_malloc(want ? want : 1);
	gsize got = 0;
	while (got < want) {
		zip_int64_t n = zip_fread(zf, buf + got, want - got);
		if (n <= 0)
			break;
		got += (gsize)n;
	}
	zip_fclose(zf);
	return g_bytes_new_take(buf, got);
}

/* The host of a remote target for the domain/IP IOC: URLs ("mhtml:" and
 * "!x-usc:" wrappers of CVE-2022-30190 included) and UNC paths. */
static void target_iocs(ks_report *r, const char *target)
{
	const char *http = strstr(target, "http://");
	const char *https = strstr(target, "https://");
	const char *url = http && (!https || http < https) ? http : https;
	g_autofree char *host = NULL;
	if (url) {
		g_autofree char *clean = g_strdup(url);
		char *bang = strchr(clean, '!');
		if (bang)
			*bang = '\0';
		ks_report_add_ioc(r, KS_IOC_URL, clean);
		g_autoptr(GUri) uri = g_uri_parse(clean, G_URI_FLAGS_PARSE_RELAXED, NULL);
		if (uri && g_uri_get_host(uri))
			host = g_strdup(g_uri_get_host(uri));
	} else if (g_str_has_prefix(target, "\\\\") || g_str_has_prefix(target, "file://")) {
		const char *h = target + (target[0] == '\\' ? 2 : 7);
		while (*h == '/' || *h == '\\')
			h++;
		host = g_strndup(h, strcspn(h, "\\/@:"));
		ks_report_add_ioc(r, KS_IOC_URL, target);
	}
	if (!host || !*host)
		return;
	if (g_hostname_is_ip_address(host))
		ks_report_add_ioc(r, KS_IOC_IP, host);
	else
		ks_report_add_ioc(r, KS_IOC_DOMAIN, host);
}

static bool remote_load_type(const char *type)
{
	const char *last = strrchr(type, '/');
	last = last ? last + 1 : type;
	const GPtrArray *types = ks_data_lines("office_remote_rels.txt");
	for (guint i = 0; types && i < types->len; i++)
		if (g_ascii_strcasecmp(last, g_ptr_array_index(types, i)) == 0)
			return true;
	return false;
}

/* ECMA-376 Part 2, 9.3: <Relationship Type= Target= TargetMode="External"/> */
static void rels_scan(scan *s, ooxml *o, const char *member, GBytes *xml)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(xml, &len);
	/* no network, no entity expansion, no DTD loading */
	xmlDocPtr doc = xmlReadMemory(p, (int)len, member, NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		note_problem(s, "%s is not well-formed XML", member);
		xmlFreeDoc(doc);
		return;
	}
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST "Relationship") != 0)
			continue;
		xmlChar *mode = xmlGetProp(n, BAD_CAST "TargetMode");
		bool external = mode && xmlStrcasecmp(mode, BAD_CAST "External") == 0;
		xmlFree(mode);
		if (!external)
			continue;
		xmlChar *type = xmlGetProp(n, BAD_CAST "Type");
		xmlChar *target = xmlGetProp(n, BAD_CAST "Target");
		if (target && *target) {
			const char *t = type ? (const char *)type : "";
			const char *last = strrchr(t, '/');
			last = last ? last + 1 : t;
			g_autofree char *line =
				g_strdup_printf("%s → %s (%s)", *last ? last : "(no type)",
				                (const char *)target, member);
			if (remote_load_type(t))
				list_add(o->remote, line);
			else
				list_add(o->external, line);
			target_iocs(ks_part_walk_report(s->w), (const char *)target);
		}
		xmlFree(type);
		xmlFree(target);
	}
	xmlFreeDoc(doc);
}

/* Visible text of a WordprocessingML/SpreadsheetML/PresentationML part,
 * approximated by dropping the markup: runs split a phrase across elements,
 * so the text between tags is joined as it is. */
static void lure_scan(ooxml *o, GBytes *xml)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(xml, &len);
	GString *text = g_string_sized_new(MIN(len, ZIP_MAX_TEXT));
	bool in_tag = false;
	for (gsize i = 0; i < len && text->len < ZIP_MAX_TEXT; i++) {
		if (p[i] == '<')
			in_tag = true;
		else if (p[i] == '>')
			in_tag = false;
		else if (!in_tag)
			g_string_append_c(text, p[i]);
	}
	ascii_down((guint8 *)text->str, text->len);
	const GPtrArray *lures = ks_data_lines("office_lures.txt");
	for (guint i = 0; lures && i < lures->len; i++) {
		const char *lure = g_ptr_array_index(lures, i);
		if (has_word((const guint8 *)text->str, text->len, lure))
			list_add(o->lures, lure);
	}
	g_string_free(text, TRUE);
}

static bool is_text_part(const char *name)
{
	return strcmp(name, "word/document.xml") == 0 || strcmp(name, "xl/sharedStrings.xml") == 0 ||
	       (g_str_has_prefix(name, "ppt/slides/slide") && g_str_has_suffix(name, ".xml"));
}

static const char *base_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

static void ooxml_member(scan *s, ooxml *o, zip_uint64_t i, const char *name, int *text_parts)
{
	bool over = false;
	if (g_str_has_suffix(name, ".rels")) {
		g_autoptr(GBytes) xml = member_read(o->za, i, ZIP_MAX_XML, false, &over);
		if (xml)
			rels_scan(s, o, name, xml);
		else if (over)
			note_problem(s, "%s larger than %d bytes; not read", name, ZIP_MAX_XML);
	} else if (g_ascii_strcasecmp(base_of(name), "vbaProject.bin") == 0) {
		list_add(s->vba_where, name);
		/* the part's presence is what Office acts on; a project that
		 * cannot be read is noted beside the finding, not as malformed
		 * input (a stub project still makes Word offer "Enable Content") */
		g_autoptr(GBytes) bin = member_read(o->za, i, ZIP_MAX_MEMBER, false, &over);
		g_autoptr(GError) err = NULL;
		if (!bin || !is_ole(bin))
			ks_attachment_add_meta(s->a, "vba_project", "unreadable: not an OLE2 file");
		else if (!ole_scan(s, bin, name, &err)) {
			g_autofree char *why = g_strdup_printf("unreadable: %s", err ? err->message : "unknown error");
			ks_attachment_add_meta(s->a, "vba_project", why);
		}
	} else if (strcmp(name, "[Content_Types].xml") == 0) {
		g_autoptr(GBytes) xml = member_read(o->za, i, ZIP_MAX_XML, false, &over);
		gsize len = 0;
		const guint8 *p = xml ? g_bytes_get_data(xml, &len) : NULL;
		/* [MS-OFFMACRO2] 2.2.1.x: the VBA project part's content type,
		 * declared even when the part was renamed */
		if (p && memmem(p, len, "application/vnd.ms-office.vbaProject", 36))
			s->vba_content_type = true;
	} else if (g_str_has_prefix(name, "xl/macrosheets/")) {
		/* [MS-XLSX] 2.1.x: Excel 4 macro sheets live apart from worksheets */
		list_add(s->xlm_sheets, base_of(name));
	} else if (strstr(name, "/embeddings/") && !g_str_has_suffix(name, "/")) {
		g_autoptr(GBytes) data = member_read(o->za, i, ZIP_MAX_MEMBER, false, &over);
		if (over)
			note_problem(s, "%s larger than %d MiB; not read", name, ZIP_MAX_MEMBER >> 20);
		if (data && budget_take(s, g_bytes_get_size(data)))
			add_child(s, base_of(name), data);
	} else if (is_text_part(name) && *text_parts < TEXT_PARTS) {
		(*text_parts)++;
		/* the lure is on the first page: the start of the part is enough */
		g_autoptr(GBytes) xml = member_read(o->za, i, TEXT_MAX_XML, true, &over);
		if (xml)
			lure_scan(o, xml);
	}
}

static void ooxml_scan(scan *s, ooxml *o, GBytes *data)
{
	gsize len = 0;
	const void *p = g_bytes_get_data(data, &len);
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(len ? p : "", len, 0, &zerr);
	o->za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (!o->za) {
		note_problem(s, "OOXML package unreadable: %s", zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		return;
	}
	zip_error_fini(&zerr);
	zip_int64_t n = zip_get_num_entries(o->za, 0);
	if (n > ZIP_MAX_MEMBERS) {
		note_problem(s, "OOXML package lists %" G_GINT64_FORMAT " parts; the first %d read",
		             (gint64)n, ZIP_MAX_MEMBERS);
		n = ZIP_MAX_MEMBERS;
	}
	int text_parts = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(o->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (name)
			ooxml_member(s, o, (zip_uint64_t)i, name, &text_parts);
	}
	zip_discard(o->za);
	o->za = NULL;
}

/* ---- RTF ---------------------------------------------------------------- */

/* RTF 1.9.1 "Objects": \object groups carry \objclass NAME and \objdata
 * (the hex OLE1 object).  Names are kept as metadata; the objects are not
 * decoded here. */
static void rtf_scan(scan *s, GBytes *data)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(data, &len);
	const char *end = p + len;
	g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func(g_free);
	int objects = 0;
	for (const char *q = p; q < end;) {
		const char *hit = memmem(q, (gsize)(end - q), "\\obj", 4);
		if (!hit)
			break;
		q = hit + 4;
		if ((gsize)(end - q) >= 4 && memcmp(q, "data", 4) == 0)
			objects++;
		if ((gsize)(end - q) >= 6 && memcmp(q, "class ", 6) == 0 && classes->len < RTF_MAX_CLASSES) {
			const char *name = q + 6;
			gsize n = 0;
			while (name + n < end && n < 64 && name[n] != '}' && name[n] != '\\' &&
			       name[n] != '{' && name[n] != '\r' && name[n] != '\n')
				n++;
			g_autofree char *cls = g_strndup(name, n);
			if (*g_strstrip(cls))
				list_add(classes, cls);
		}
	}
	if (objects) {
		g_autofree char *count = g_strdup_printf("%d", objects);
		ks_attachment_add_meta(s->a, "rtf_objects", count);
	}
	if (classes->len) {
		g_autofree char *names = list_join(classes);
		ks_attachment_add_meta(s->a, "rtf_objclass", names);
	}
}

/* ---- entry -------------------------------------------------------------- */

/* By content, not by name: a document is read for what its bytes are.  A
 * .doc that is really HTML or a .docx that is a plain zip has nothing for
 * this analyzer (extension_mismatch speaks for it); a package is OOXML when
 * the zip row found [Content_Types].xml (it runs first and sets "ooxml"). */
bool ks_office_accepts(const ks_attachment *a)
{
	if (!a->data || g_bytes_get_size(a->data) == 0)
		return false;
	return is_ole(a->data) || is_rtf(a->data) ||
	       g_strcmp0(ks_attachment_get_meta(a, "ooxml"), "true") == 0;
}

static void report(scan *s, ooxml *o)
{
	ks_report *r = ks_part_walk_report(s->w);
	const char *name = s->a->filename ? s->a->filename : s->a->path;
	if (s->modules->len) {
		g_autofree char *v = list_join(s->modules);
		ks_attachment_add_meta(s->a, "vba_modules", v);
	}
	if (s->keywords->len) {
		g_autofree char *v = list_join(s->keywords);
		ks_attachment_add_meta(s->a, "vba_keywords", v);
	}
	if (s->vba_content_type && !s->vba_where->len)
		list_add(s->vba_where, "a part declared application/vnd.ms-office.vbaProject");
	if (s->vba_where->len || s->modules->len) {
		g_autofree char *where = list_join(s->vba_where);
		g_autofree char *mods = list_join(s->modules);
		g_autofree char *kw = list_join(s->keywords);
		ks_report_add_finding(r, KS_RULE_OFFICE_VBA_MACRO, s->loc, "%s: VBA in %s%s%s%s%s", name,
		                      where, *mods ? "; modules: " : "", mods,
		                      *kw ? "; keywords: " : "", kw);
	}
	if (s->xlm_sheets->len) {
		g_autofree char *v = list_join(s->xlm_sheets);
		ks_attachment_add_meta(s->a, "excel4_macro_sheets", v);
	}
	if (s->encrypted) {
		s->a->encrypted = true;
		ks_attachment_add_meta(s->a, "encrypted", "true");
		ks_attachment_add_meta(s->a, "encryption", s->encrypted_how);
		/* kensa cannot decrypt Office files ([MS-OFFCRYPTO]), so a password
		 * in the body is named, not tried */
		g_autoptr(GPtrArray) hints = ks_passwords_find(r->body_text);
		g_autofree char *told = ks_password_evidence(hints, NULL, false);
		ks_report_add_finding_sev(r, KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT,
		                          *told ? KS_SEV_HIGH
		                                : ks_rule_severity(KS_RULE_ATTACHMENT_ENCRYPTED_DOCUMENT),
		                          s->loc, "%s: %s%s", name, s->encrypted_how, told);
	}
	for (guint i = 0; o && i < o->remote->len; i++)
		ks_report_add_finding(r, KS_RULE_OFFICE_REMOTE_TEMPLATE, s->loc, "%s: %s", name,
		                      (const char *)g_ptr_array_index(o->remote, i));
	if (o && o->external->len) {
		g_autofree char *v = list_join(o->external);
		ks_attachment_add_meta(s->a, "external_targets", v);
	}
	if (o && o->lures->len) {
		g_autofree char *v = list_join(o->lures);
		ks_attachment_add_meta(s->a, "lure", v);
	}
	if (s->problems->len) {
		g_autofree char *v = list_join(s->problems);
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, s->loc, "%s: %s", name, v);
	}
}

void ks_office_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	scan s = {0};
	scan_init(&s, w, a, depth);
	ooxml o = {0};
	if (is_ole(a->data)) {
		ks_attachment_add_meta(a, "office_format", "ole2");
		g_autoptr(GError) err = NULL;
		if (!ole_scan(&s, a->data, "", &err))
			note_problem(&s, "OLE2 compound file unreadable: %s",
			             err ? err->message : "unknown error");
		report(&s, NULL);
	} else if (is_rtf(a->data)) {
		ks_attachment_add_meta(a, "office_format", "rtf");
		rtf_scan(&s, a->data);
		report(&s, NULL);
	} else {
		ks_attachment_add_meta(a, "office_format", "ooxml");
		o.remote = g_ptr_array_new_with_free_func(g_free);
		o.lures = g_ptr_array_new_with_free_func(g_free);
		o.external = g_ptr_array_new_with_free_func(g_free);
		ooxml_scan(&s, &o, a->data);
		report(&s, &o);
		g_ptr_array_unref(o.remote);
		g_ptr_array_unref(o.lures);
		g_ptr_array_unref(o.external);
	}
	scan_clear(&s);
}

GPtrArray *ks_office_macro_sources(GBytes *data, GPtrArray *problems)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ks_kv_free);
	if (!data || g_bytes_get_size(data) == 0)
		return out;
	ks_attachment *a = ks_attachment_new("0");
	scan s = {0};
	scan_init(&s, NULL, a, 0);
	s.sources = out;
	g_autoptr(GError) err = NULL;
	if (is_ole(data)) {
		if (!ole_scan(&s, data, "", &err))
			note_problem(&s, "OLE2 compound file unreadable: %s", err->message);
	} else {
		/* an OOXML package: its vbaProject.bin, wherever it was put */
		zip_error_t zerr;
		zip_error_init(&zerr);
		gsize len = 0;
		const void *p = g_bytes_get_data(data, &len);
		zip_source_t *src = zip_source_buffer_create(p, len, 0, &zerr);
		zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
		if (!za) {
			note_problem(&s, "not an OLE2 file or a readable OOXML package: %s",
			             zip_error_strerror(&zerr));
			zip_source_free(src);
		}
		zip_int64_t n = za ? MIN(zip_get_num_entries(za, 0), (zip_int64_t)ZIP_MAX_MEMBERS) : 0;
		for (zip_int64_t i = 0; i < n; i++) {
			const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
			if (!name || g_ascii_strcasecmp(base_of(name), "vbaProject.bin") != 0)
				continue;
			bool over = false;
			g_autoptr(GBytes) bin = member_read(za, (zip_uint64_t)i, ZIP_MAX_MEMBER, false, &over);
			g_autoptr(GError) e = NULL;
			if (!bin || !is_ole(bin))
				note_problem(&s, "%s: not an OLE2 file", name);
			else if (!ole_scan(&s, bin, name, &e))
				note_problem(&s, "%s unreadable: %s", name, e->message);
		}
		if (za)
			zip_discard(za);
		zip_error_fini(&zerr);
	}
	for (guint i = 0; problems && i < s.problems->len; i++)
		g_ptr_array_add(problems, g_strdup(g_ptr_array_index(s.problems, i)));
	scan_clear(&s);
	ks_attachment_free(a);
	return out;
}

const ks_payload_analyzer ks_office_payload = {"office", ks_office_accepts, ks_office_expand, false};
