/* The attachment tree: every MIME leaf that is not the body becomes a
 * ks_attachment with its real type (libmagic), hashes (OpenSSL EVP) and
 * children: zip entries (read by zipread.c) and the attachments of an
 * attached message, which is analysed as a report of its own.  Here too live
 * the attachment.* rules that look at names and types: extension_mismatch,
 * encrypted_archive, dangerous_type and deceptive_name.  The word lists are
 * data (analyzers/data/extensions.txt, dangerous_types.txt).  PDF, LNK, ISO,
 * HTML, SVG, Office, calendar and picture internals are other analyzers'
 * business. */
#include "payloads/attachments.h"

#include "core/helper.h"
#include "mail/zipread.h"
#include "core/digest.h"
#include "mail/msg.h"
#include "payloads/passwords.h"
#include "payloads/payloads.h"
#include "core/data.h"
#include "core/sanitize.h"

#include <magic.h>
#include <string.h>

/* libmagic needs at most a few KiB for any signature it knows; 1 MiB covers
 * ISO 9660's volume descriptor at 32 KiB and leaves room for text guesses. */
#define SNIFF_BYTES (1024 * 1024)
/* zip-in-zip nesting followed (a 42.zip-style bomb nests 5 deep) */
#define MAX_ARCHIVE_DEPTH 8
/* decompressed bytes per message; an attached message at depth d gets
 * this >> d, so a chain of nested messages costs at most twice it */
#define MAX_TOTAL_BYTES ((int64_t)256 << 20)
/* attachment nodes per message, archive entries included */
#define MAX_NODES 10000
/* an RLO trick needs at least this much padding to push the real extension
 * out of sight (J-CSIP, and Microsoft's "long file name" warnings) */
#define PADDING_RUN 10
/* names listed in one finding's evidence */
#define EVIDENCE_NAMES 10

/* ---- content type sniffing --------------------------------------------- */

static void cookie_close(gpointer cookie)
{
	magic_close(cookie);
}

/* one libmagic cookie per thread: magic_t is not thread-safe, and kensa
 * scan analyses on several threads */
static GPrivate magic_cookie = G_PRIVATE_INIT(cookie_close);

/* A OneNote section file: guidFileType {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}
 * first, in little-endian GUID order (MS-ONESTORE 2.3.1).  libmagic 5.44 does
 * not know it, and OneNote notebooks carried .hta/.wsf droppers in 2023. */
static bool is_onenote(const void *data, gsize len)
{
	static const guint8 guid[16] = {0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D,
	                                0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3};
	return data && len >= sizeof guid && memcmp(data, guid, sizeof guid) == 0;
}

char *ks_part_sniff_type(const void *data, gsize len)
{
	/* sixteen fixed bytes say more than libmagic's guess (text/plain on a
	 * sparse notebook) */
	if (is_onenote(data, len))
		return g_strdup("application/onenote");
	/* "%PDF-" first is application/pdf to libmagic whatever follows (its
	 * PDF entry tests offset 0 and nothing stronger matches such a start:
	 * every PDF of ../shared/corpora, and test_attachments' hand-made
	 * ones, against magic_buffer), and asking it walks the whole database */
	if (data && len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return g_strdup("application/pdf");
	magic_t cookie = g_private_get(&magic_cookie);
	if (!cookie) {
		cookie = magic_open(MAGIC_MIME_TYPE);
		if (!cookie)
			return NULL;
		if (magic_load(cookie, NULL) != 0) {
			magic_close(cookie);
			return NULL;
		}
		g_private_set(&magic_cookie, cookie);
	}
	const char *type = magic_buffer(cookie, data && len ? data : "", data ? MIN(len, SNIFF_BYTES) : 0);
	return type ? g_ascii_strdown(type, -1) : NULL;
}

static void digest(GBytes *data, ks_attachment *a)
{
	gsize len = 0;
	const void *p = g_bytes_get_data(data, &len);
	ks_digest_sha256_hex(p, len, a->sha256);
}

/* ---- rule data ----------------------------------------------------------- */

typedef struct {
	char *class;      /* executable, archive, document, image, markup, weak */
	GHashTable *exts; /* set of extensions that agree with the type */
} type_row;

typedef struct {
	GHashTable *types;  /* MIME type -> type_row* (extensions.txt) */
	GHashTable *known;  /* every extension of extensions.txt -> its class */
	GHashTable *danger; /* extension or MIME type -> category (dangerous_types.txt) */
} tables;

/* "TYPE CLASS: ext ext ..." */
static void load_extensions(tables *t)
{
	const GPtrArray *lines = ks_data_lines("extensions.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		const char *line = g_ptr_array_index(lines, i);
		const char *colon = strchr(line, ':');
		if (!colon)
			continue;
		g_autofree char *head = g_strndup(line, (gsize)(colon - line));
		g_auto(GStrv) key = g_strsplit(g_strstrip(head), " ", 2);
		if (!key[0] || !key[1])
			continue;
		type_row *row = g_new0(type_row, 1);
		row->class = g_strdup(g_strstrip(key[1]));
		row->exts = g_hash_table_new(g_str_hash, g_str_equal);
		g_auto(GStrv) exts = g_strsplit(colon + 1, " ", -1);
		for (char **e = exts; *e; e++) {
			if (!**e)
				continue;
			char *ext = (char *)g_intern_string(*e);
			g_hash_table_add(row->exts, ext);
			/* an image extension is an image whatever the others say */
			if (!g_hash_table_contains(t->known, ext) || strcmp(row->class, "image") == 0)
				g_hash_table_insert(t->known, ext, row->class);
		}
		g_hash_table_insert(t->types, (char *)g_intern_string(key[0]), row);
	}
}

/* "ext: category" or "mime/type: category" */
static void load_dangerous(tables *t)
{
	const GPtrArray *lines = ks_data_lines("dangerous_types.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *key = NULL, *cat = NULL;
		if (ks_data_split(g_ptr_array_index(lines, i), &key, &cat))
			g_hash_table_insert(t->danger, (char *)g_intern_string(key),
			                    (char *)g_intern_string(cat));
	}
}

static gpointer tables_build(gpointer unused)
{
	(void)unused;
	tables *t = g_new0(tables, 1);
	t->types = g_hash_table_new(g_str_hash, g_str_equal);
	t->known = g_hash_table_new(g_str_hash, g_str_equal);
	t->danger = g_hash_table_new(g_str_hash, g_str_equal);
	load_extensions(t);
	load_dangerous(t);
	return t;
}

/* built once, read-only afterwards, kept for the life of the program */
static const tables *tables_get(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, tables_build, NULL);
}

/* ---- names --------------------------------------------------------------- */

/* The last path component: zip entries carry "dir/sub/name". */
static const char *base_name(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *back = strrchr(name, '\\');
	if (back && (!slash || back > slash))
		slash = back;
	return slash ? slash + 1 : name;
}

/* Windows drops trailing dots and spaces, so "a.exe. " runs as a.exe. */
static char *trim_trailing(const char *name)
{
	char *s = g_strdup(name);
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.'))
		s[--n] = '\0';
	return s;
}

/* Lower-case extension of a trimmed base name, or NULL when it has none
 * that could be one (non-ASCII, too long). */
static char *name_ext(const char *trimmed)
{
	const char *dot = strrchr(trimmed, '.');
	if (!dot || !dot[1] || strlen(dot + 1) > 16)
		return NULL;
	for (const char *c = dot + 1; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_' && *c != '-' && *c != '$' && *c != '~')
			return NULL;
	return g_ascii_strdown(dot + 1, -1);
}

/* Unicode bidi controls that reorder a name on screen (UAX #9): ALM, LRM,
 * RLM, LRE..RLO (U+202A-U+202E), LRI..PDI (U+2066-U+2069).  Searched as
 * bytes so that invalid UTF-8 around them does not hide them. */
static const char *const bidi_controls[] = {
	"\xD8\x9C", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAB",
	"\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7",
	"\xE2\x81\xA8", "\xE2\x81\xA9",
};

static bool has_bidi(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(bidi_controls); i++)
		if (strstr(s, bidi_controls[i]))
			return true;
	return false;
}

/* Characters that show nothing and have no business in a file name: the
 * combining grapheme joiner (U+034F), zero-width space, word joiner and the
 * invisible operators (U+200B, U+2060-U+2064), the byte order mark, the
 * Mongolian vowel separator, the Hangul fillers and the tag characters
 * (UTS #39 lists them as default-ignorable).  Slipped into a name they
 * split the words and the extension a filter or an analyst looks for
 * ("invoice\u034F.rtf").  ZWNJ and ZWJ are left out: Persian, Indic
 * scripts and emoji need them. */
static gunichar invisible_in(const char *s)
{
	if (!g_utf8_validate(s, -1, NULL))
		return 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == 0x034F || c == 0x200B || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
		    c == 0x180E || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 ||
		    (c >= 0xE0000 && c <= 0xE007F))
			return c;
	}
	return 0;
}

static bool is_padding(gunichar c)
{
	return c == ' ' || c == '_' || c == '.' || c == '\t' || c == 0x00A0 || c == 0x3000 ||
	       (c >= 0x2000 && c <= 0x200B);
}

/* Length of the run of padding characters just before the last dot. */
static int padding_before_ext(const char *trimmed)
{
	const char *dot = strrchr(trimmed, '.');
	if (!dot || !g_utf8_validate(trimmed, -1, NULL))
		return 0;
	int run = 0;
	const char *p = dot;
	while (p > trimmed && run < 4096) {
		const char *prev = g_utf8_find_prev_char(trimmed, p);
		if (!prev || !is_padding(g_utf8_get_char(prev)))
			break;
		run++;
		p = prev;
	}
	return run;
}

/* "invoice.pdf.exe": the second-to-last extension is a known harmless one. */
static char *decoy_ext(const char *trimmed, const tables *t)
{
	const char *last = strrchr(trimmed, '.');
	if (!last || last == trimmed)
		return NULL;
	const char *prev = last - 1;
	while (prev > trimmed && *prev != '.')
		prev--;
	if (*prev != '.' || last - prev < 2)
		return NULL;
	g_autofree char *ext = g_ascii_strdown(prev + 1, last - prev - 1);
	return g_hash_table_contains(t->known, ext) ? g_steal_pointer(&ext) : NULL;
}

/* ---- the walk ------------------------------------------------------------ */

struct ks_part_walk {
	const ks_context *ctx;
	ks_report *r;
	int64_t budget; /* decompressed bytes still allowed */
	int64_t pixels; /* picture pixels the QR reader may still decode */
	int nodes;
	bool nodes_reported, budget_reported;
	bool own_parsers_only; /* ks_part_walk_libraries() */
};
typedef struct ks_part_walk walk;

static void check_deceptive(walk *w, const ks_attachment *a, const char *raw, const char *loc)
{
	const tables *t = tables_get();
	const char *base = base_name(raw);
	g_autofree char *trimmed = trim_trailing(base);
	g_autofree char *ext = name_ext(trimmed);
	g_autoptr(GString) why = g_string_new(NULL);
	if (has_bidi(raw))
		g_string_append(why, "; bidi control character reorders it");
	if (ext && g_hash_table_contains(t->danger, ext)) {
		g_autofree char *decoy = decoy_ext(trimmed, t);
		if (decoy)
			g_string_append_printf(why, "; double extension .%s.%s", decoy, ext);
	}
	int pad = padding_before_ext(trimmed);
	if (pad >= PADDING_RUN)
		g_string_append_printf(why, "; %d padding characters before the extension", pad);
	else if (invisible_in(raw))
		g_string_append_printf(why, "; an invisible character (U+%04X) hides in it",
		                       (unsigned)invisible_in(raw));
	size_t n = strlen(base);
	if (n > 0 && (base[n - 1] == ' ' || base[n - 1] == '.'))
		g_string_append(why, "; ends in a space or dot, which Windows drops");
	if (why->len)
		ks_report_add_finding(w->r, KS_RULE_ATTACHMENT_DECEPTIVE_NAME, loc, "%s%s", a->filename,
		                      why->str);
}

static void check_dangerous(walk *w, const ks_attachment *a, const char *ext, const char *loc)
{
	const tables *t = tables_get();
	const char *name = a->filename ? a->filename : "(unnamed)";
	const char *cat = ext ? g_hash_table_lookup(t->danger, ext) : NULL;
	if (cat) {
		ks_report_add_finding(w->r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE, loc, "%s: %s (.%s)", name,
		                      cat, ext);
		return;
	}
	cat = a->detected_type ? g_hash_table_lookup(t->danger, a->detected_type) : NULL;
	if (cat)
		ks_report_add_finding(w->r, KS_RULE_ATTACHMENT_DANGEROUS_TYPE, loc,
		                      "%s: %s by content (%s)", name, cat, a->detected_type);
}

static void check_mismatch(walk *w, const ks_attachment *a, const char *ext, const char *loc)
{
	const tables *t = tables_get();
	if (!ext || !a->detected_type)
		return;
	const type_row *row = g_hash_table_lookup(t->types, a->detected_type);
	if (!row || strcmp(row->class, "weak") == 0 || g_hash_table_contains(row->exts, ext))
		return;
	/* a PNG named .jpg is sloppy, not an attack */
	const char *ext_class = g_hash_table_lookup(t->known, ext);
	if (strcmp(row->class, "image") == 0 && ext_class && strcmp(ext_class, "image") == 0)
		return;
	bool strong = strcmp(row->class, "executable") == 0 || strcmp(row->class, "archive") == 0;
	ks_report_add_finding_sev(w->r, KS_RULE_ATTACHMENT_EXTENSION_MISMATCH,
	                          strong ? KS_SEV_HIGH : KS_SEV_MEDIUM, loc, "%s is %s by content",
	                          a->filename, a->detected_type);
}

/* The C0 controls (and DEL) a file name holds, named: "NUL, LF"; NULL for none. */
static char *controls_named(const char *name, gsize len)
{
	static const char *const names[32] = {
		"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "TAB", "LF",
		"VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
		"SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
	guint32 seen = 0;
	bool del = false;
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)name[i];
		if (c < 0x20)
			seen |= 1u << c;
		del |= c == 0x7F;
	}
	if (!seen && !del)
		return NULL;
	GString *out = g_string_new(NULL);
	for (unsigned c = 0; c < 32; c++)
		if (seen >> c & 1)
			g_string_append_printf(out, "%s%s", out->len ? ", " : "", names[c]);
	if (del)
		g_string_append_printf(out, "%sDEL", out->len ? ", " : "");
	return g_string_free(out, FALSE);
}

/* One node: name, types, hashes, IOCs and the name/type rules.  raw_name
 * (raw_len bytes; it may hold NUL bytes) is the decoded but unsanitized
 * name: bidi controls are judged on it, and its extension is the one after
 * a NUL or a line break too, where a tool that stops there does not look.
 * sniff: whether libmagic is asked for the type (not for the node of an
 * attachment whose analysis was stopped: libmagic may be what stopped it). */
static ks_attachment *node_make(walk *w, const char *path, const char *raw_name, gsize raw_len,
                                const char *declared, GBytes *data, int64_t size, bool sniff)
{
	ks_attachment *a = ks_attachment_new(path);
	g_autofree char *loc = g_strdup_printf("part:%s", path);
	w->nodes++;
	a->declared_type = g_strdup(declared);
	a->size = size;
	if (data) {
		a->data = g_bytes_ref(data);
		a->size = (int64_t)g_bytes_get_size(data);
		gsize len = 0;
		const void *p = g_bytes_get_data(data, &len);
		a->detected_type = sniff ? ks_part_sniff_type(p, len) : NULL;
		digest(data, a);
		ks_report_add_ioc(w->r, KS_IOC_SHA256, a->sha256);
	}
	/* the name as judged: a NUL byte stands as U+FFFD, so C string
	 * functions see all of it */
	g_autofree char *judged = NULL;
	if (raw_name && raw_len) {
		GString *j = g_string_sized_new(raw_len);
		for (gsize i = 0; i < raw_len; i++) {
			if (raw_name[i])
				g_string_append_c(j, raw_name[i]);
			else
				g_string_append(j, "\xEF\xBF\xBD");
		}
		judged = g_string_free(j, FALSE);
	}
	if (judged) {
		bool changed = false;
		a->filename = ks_sanitize_len(raw_name, raw_len, KS_SANITIZE_NAME, &changed);
		g_autofree char *controls = controls_named(raw_name, raw_len);
		if (controls)
			ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
			                      "the file name holds control characters (%s), shown "
			                      "escaped: %s",
			                      controls, a->filename);
		if (changed)
			ks_report_add_finding(w->r, KS_RULE_DISPLAY_CONTROL_CHARACTERS, loc,
			                      "file name %s", a->filename);
		/* the base name is cut from the raw bytes: the escapes' backslashes
		 * are not path separators */
		const char *base = raw_name + raw_len;
		while (base > raw_name && base[-1] != '/' && base[-1] != '\\')
			base--;
		g_autofree char *ioc = ks_sanitize_len(base, (gsize)(raw_name + raw_len - base),
		                                       KS_SANITIZE_NAME, NULL);
		ks_report_add_ioc(w->r, KS_IOC_FILENAME, ioc);
		check_deceptive(w, a, judged, loc);
	}
	g_autofree char *trimmed = judged ? trim_trailing(base_name(judged)) : NULL;
	g_autofree char *ext = trimmed ? name_ext(trimmed) : NULL;
	check_dangerous(w, a, ext, loc);
	check_mismatch(w, a, ext, loc);
	return a;
}

static ks_attachment *node_new(walk *w, const char *path, const char *raw_name, gsize raw_len,
                               const char *declared, GBytes *data, int64_t size)
{
	return node_make(w, path, raw_name, raw_len, declared, data, size, !w->own_parsers_only);
}

static bool is_zip(const ks_attachment *a)
{
	static const char *const zip_types[] = {"application/zip", "application/x-zip-compressed",
	                                        "application/x-zip"};
	if (!a->data)
		return false;
	gsize len = 0;
	const void *p = g_bytes_get_data(a->data, &len);
	if (ks_zip_sniff(p, len))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(zip_types); i++)
		if (g_strcmp0(a->detected_type, zip_types[i]) == 0 ||
		    g_strcmp0(a->declared_type, zip_types[i]) == 0)
			return true;
	return false;
}

void ks_evidence_append_name(GString *list, int count, const char *name)
{
	if (count > EVIDENCE_NAMES)
		return;
	if (list->len)
		g_string_append(list, ", ");
	g_string_append(list, count == EVIDENCE_NAMES ? "…" : name);
}

static void expand(walk *w, ks_attachment *a, int depth);

static bool zip_has_encrypted(const ks_zip *z)
{
	for (guint i = 0; i < z->entries->len; i++)
		if (((const ks_zip_entry *)g_ptr_array_index(z->entries, i))->encrypted)
			return true;
	return false;
}

char *ks_password_evidence(const GPtrArray *hints, const ks_password_hint *opened_by, bool tried)
{
	if (opened_by)
		return g_strdup_printf("; the body gives its password \"%s\" (\"%s\"), which opens it",
		                       opened_by->password, opened_by->phrase);
	for (guint i = 0; hints && i < hints->len; i++) {
		const ks_password_hint *h = g_ptr_array_index(hints, i);
		if (h->likely)
			return g_strdup_printf("; the body names a password (\"%s\")%s", h->phrase,
			                       tried ? " that does not open it" : "");
	}
	return g_strdup("");
}

/* An OOXML member that is no document part: a name with a dangerous
 * extension outside the embeddings folders (office.c lists those).  Word
 * never opens it; Explorer, opening the same bytes as a zip, shows it. */
static bool ooxml_foreign(const char *name)
{
	if (strstr(name, "/embeddings/"))
		return false;
	g_autofree char *trimmed = trim_trailing(base_name(name));
	g_autofree char *ext = name_ext(trimmed);
	return ext && g_hash_table_contains(tables_get()->danger, ext);
}

static void expand_zip(walk *w, ks_attachment *a, int depth)
{
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	if (depth >= MAX_ARCHIVE_DEPTH) {
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
		                      "archive nested deeper than the limit of %d levels; not opened",
		                      MAX_ARCHIVE_DEPTH);
		return;
	}
	g_autoptr(GError) err = NULL;
	int64_t budget_before = w->budget;
	g_autoptr(ks_zip) z = ks_zip_read_keep(a->data, true, ooxml_foreign, &w->budget, &err);
	if (!z) {
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc, "zip archive unreadable: %s",
		                      err ? err->message : "unknown error");
		return;
	}
	/* an encrypted zip whose password the body gives: read it again with
	 * that password, so that what it hides is analysed like the rest */
	g_autoptr(GPtrArray) hints = NULL;
	const ks_password_hint *opened_by = NULL;
	if (zip_has_encrypted(z)) {
		hints = ks_passwords_find(w->r->body_text);
		for (guint i = 0; i < hints->len && !opened_by; i++) {
			const ks_password_hint *h = g_ptr_array_index(hints, i);
			if (ks_zip_password_opens(a->data, h->password))
				opened_by = h;
		}
	}
	if (opened_by) {
		w->budget = budget_before;
		ks_zip *again = ks_zip_read_password(a->data, true, ooxml_foreign, opened_by->password,
		                                     &w->budget, NULL);
		if (again) {
			ks_zip_free(z);
			z = again;
		}
		ks_attachment_add_meta(a, "password", opened_by->password);
	}
	g_autofree char *count = g_strdup_printf("%" G_GINT64_FORMAT, z->total_entries);
	ks_attachment_add_meta(a, "entries", count);
	if (z->comment)
		ks_attachment_add_meta(a, "comment", z->comment);
	if (z->ooxml)
		/* the parts of a document are not attachments; office.c looks
		 * inside.  Members no document has are listed all the same. */
		ks_attachment_add_meta(a, "ooxml", "true");
	g_autoptr(GString) encrypted = g_string_new(NULL);
	g_autoptr(GString) unread = g_string_new(NULL);
	int n_encrypted = 0, n_unread = 0;
	for (guint i = 0; i < z->entries->len; i++) {
		if (w->nodes >= MAX_NODES) {
			if (!w->nodes_reported)
				ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
				                      "more than %d attachments and archive entries in the "
				                      "message; the rest are not listed",
				                      MAX_NODES);
			w->nodes_reported = true;
			break;
		}
		ks_zip_entry *e = g_ptr_array_index(z->entries, i);
		if (z->ooxml && !e->foreign)
			continue;
		g_autofree char *path = g_strdup_printf("%s/%u", a->path, a->children->len + 1);
		ks_attachment *child =
			node_new(w, path, e->name, e->name ? strlen(e->name) : 0, NULL, e->data, e->size);
		child->encrypted = e->encrypted;
		if (e->name_encoding)
			ks_attachment_add_meta(child, "name_encoding", e->name_encoding);
		if (e->encrypted)
			ks_evidence_append_name(encrypted, n_encrypted++, child->filename);
		if (e->problem) {
			ks_attachment_add_meta(child, "unread", e->problem);
			g_autofree char *what = g_strdup_printf("%s (%s)", child->filename, e->problem);
			ks_evidence_append_name(unread, n_unread++, what);
		}
		g_ptr_array_add(a->children, child);
		expand(w, child, depth + 1);
	}
	if (n_encrypted) {
		a->encrypted = true;
		g_autofree char *told = ks_password_evidence(hints, opened_by, true);
		/* the password in the same mail: made to pass gateways, not to
		 * protect anything (Emotet, IcedID; JPCERT/CC 2022-2023) */
		ks_report_add_finding_sev(w->r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE,
		                          opened_by ? KS_SEV_HIGH
		                                    : ks_rule_severity(KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE),
		                          loc, "%s: %d encrypted %s: %s%s",
		                          a->filename ? a->filename : a->path, n_encrypted,
		                          n_encrypted == 1 ? "entry" : "entries", encrypted->str, told);
	}
	if (n_unread)
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%d zip %s not read in full: %s", n_unread,
		                      n_unread == 1 ? "entry" : "entries", unread->str);
	if (z->ooxml)
		return; /* the package's own limits are office.c's to report */
	if (z->hit_entry_limit)
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
		                      "zip lists %" G_GINT64_FORMAT " entries; only the first %d "
		                      "(the per-archive limit) are shown",
		                      z->total_entries, KS_ZIP_MAX_ENTRIES);
	if (z->hit_read_limit)
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
		                      "zip has more than %d entries to read (the per-archive limit); "
		                      "the rest are listed unread",
		                      KS_ZIP_MAX_READ);
	if (z->hit_budget && !w->budget_reported) {
		w->budget_reported = true;
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
		                      "decompressed-bytes limit reached (%d MiB a message, and half "
		                      "its memory budget for one attachment in the analysis helper); "
		                      "later entries are listed unread",
		                      (int)(MAX_TOTAL_BYTES >> 20));
	}
}

/* The walk's own row: zip, whose entries become nodes of this tree. */
static const ks_payload_analyzer zip_payload = {"zip", is_zip, expand_zip, false};

static void expand_one(walk *w, const ks_payload_analyzer *p, ks_attachment *a, int depth)
{
	if ((p->own_parser || !w->own_parsers_only) && p->accepts(a))
		p->expand(w, a, depth);
}

/* What looks inside a node: the zip reader, then every payload analyzer
 * of the table (payloads.h) that accepts it, in order. */
static void expand(walk *w, ks_attachment *a, int depth)
{
	if (depth > MAX_ARCHIVE_DEPTH * 2)
		return;
	expand_one(w, &zip_payload, a, depth);
	for (size_t i = 0; i < ks_payloads_count; i++)
		expand_one(w, ks_payloads[i], a, depth);
}

ks_report *ks_part_walk_report(ks_part_walk *w)
{
	return w->r;
}

const ks_context *ks_part_walk_context(ks_part_walk *w)
{
	return w->ctx;
}

bool ks_part_walk_libraries(ks_part_walk *w)
{
	return !w->own_parsers_only;
}

int64_t *ks_part_walk_budget(ks_part_walk *w)
{
	return &w->budget;
}

int64_t *ks_part_walk_pixels(ks_part_walk *w)
{
	return &w->pixels;
}

ks_attachment *ks_part_walk_add_child(ks_part_walk *w, ks_attachment *parent, const char *raw_name,
                                      const char *declared_type, GBytes *data, int64_t size,
                                      int depth)
{
	if (w->nodes >= MAX_NODES) {
		if (!w->nodes_reported) {
			g_autofree char *loc = g_strdup_printf("part:%s", parent->path);
			ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
			                      "more than %d attachments and archive entries in the "
			                      "message; the rest are not listed",
			                      MAX_NODES);
		}
		w->nodes_reported = true;
		return NULL;
	}
	g_autofree char *path = g_strdup_printf("%s/%u", parent->path, parent->children->len + 1);
	ks_attachment *child = node_new(w, path, raw_name, raw_name ? strlen(raw_name) : 0,
	                                declared_type, data, size);
	g_ptr_array_add(parent->children, child);
	if (depth + 1 > MAX_ARCHIVE_DEPTH) {
		g_autofree char *loc = g_strdup_printf("part:%s", path);
		ks_report_add_finding(w->r, KS_RULE_INPUT_MALFORMED, loc,
		                      "containers nested deeper than the limit of %d levels; not opened",
		                      MAX_ARCHIVE_DEPTH);
		return child;
	}
	expand(w, child, depth + 1);
	return child;
}

/* ---- attached messages --------------------------------------------------- */

/* Deep copy of an inner report's node with its path put under prefix.
 * The inner report keeps its own; depth bounds a malicious tree. */
static ks_attachment *copy_under(const ks_attachment *src, const char *prefix, int depth)
{
	g_autofree char *path = g_strdup_printf("%s/%s", prefix, src->path);
	ks_attachment *a = ks_attachment_new(path);
	a->filename = g_strdup(src->filename);
	a->declared_type = g_strdup(src->declared_type);
	a->detected_type = g_strdup(src->detected_type);
	a->size = src->size;
	memcpy(a->sha256, src->sha256, sizeof a->sha256);
	memcpy(a->md5, src->md5, sizeof a->md5);
	a->encrypted = src->encrypted;
	a->data = src->data ? g_bytes_ref(src->data) : NULL;
	for (guint i = 0; i < src->metadata->len; i++) {
		const ks_kv *kv = g_ptr_array_index(src->metadata, i);
		ks_attachment_add_meta(a, kv->key, kv->value);
	}
	/* children's paths already carry the inner prefix: re-root each one */
	for (guint i = 0; depth < KS_MAX_DEPTH * MAX_ARCHIVE_DEPTH && i < src->children->len; i++)
		g_ptr_array_add(a->children, copy_under(g_ptr_array_index(src->children, i), prefix,
		                                        depth + 1));
	return a;
}

static void analyze_embedded(walk *w, ks_attachment *a, const ks_mime_part *p,
                             ks_inner_analyze_fn analyze)
{
	if (!analyze || p->embedded->depth > KS_MAX_DEPTH)
		return; /* message.c stops before this; a hand-made message may not */
	ks_report *inner = ks_report_new();
	inner->format = g_strdup(p->data && ks_msg_sniff(p->data) ? "msg" : "eml");
	inner->size = a->size;
	memcpy(inner->sha256, a->sha256, sizeof inner->sha256);
	analyze(p->embedded, w->ctx, inner);
	for (guint i = 0; i < inner->attachments->len; i++)
		g_ptr_array_add(a->children,
		                copy_under(g_ptr_array_index(inner->attachments, i), a->path, 0));
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	/* the forwarded mail is usually the attack itself: its findings and
	 * indicators must count for --fail-on, the score and the exports */
	for (guint i = 0; i < inner->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(inner->findings, i);
		ks_report_add_finding_sev(w->r, f->rule, f->severity, loc,
		                          "in the attached message (%s): %s", f->location, f->evidence);
	}
	for (guint i = 0; i < inner->iocs->len; i++) {
		const ks_ioc *ioc = g_ptr_array_index(inner->iocs, i);
		ks_report_add_ioc(w->r, ioc->kind, ioc->value);
	}
	a->message = inner;
}

/* ---- one attachment, here or in the helper -------------------------------- */

/* The length of a part's file name, NUL bytes included. */
static gsize name_len(const ks_mime_part *p)
{
	return !p->filename ? 0 : p->filename_len ? p->filename_len : strlen(p->filename);
}

/* The node of a MIME part and all it holds, analysed in this process. */
static ks_attachment *part_analyze(walk *w, const ks_mime_part *p)
{
	const char *path = p->path ? p->path : "1";
	ks_attachment *a = node_new(w, path, p->filename, name_len(p), p->content_type, p->data,
	                            p->data ? (int64_t)g_bytes_get_size(p->data) : 0);
	if (p->content_id)
		ks_attachment_add_meta(a, "content_id", p->content_id);
	if (p->disposition)
		ks_attachment_add_meta(a, "disposition", p->disposition);
	if (p->charset)
		ks_attachment_add_meta(a, "charset", p->charset);
	expand(w, a, 0);
	return a;
}

/* The decompressed bytes an attachment may take in the helper: what the
 * message has left, and no more than half the attachment's memory budget
 * (what is extracted is held, and hashed, in the helper's memory), so that
 * an archive bomb meets the byte limit, not the memory budget. */
static int64_t helper_budget(const walk *w)
{
	return MIN(w->budget, w->ctx->limits.memory_bytes / 2);
}

/* links as text, target and place; the reply sends those from "from" on */
static void link_list_write(ks_wire_out *o, const GPtrArray *links, guint from)
{
	ks_wire_put_u32(o, links->len - from);
	for (guint i = from; i < links->len; i++) {
		const ks_link *l = g_ptr_array_index(links, i);
		ks_wire_put_str(o, l->text);
		ks_wire_put_str(o, l->href);
		ks_wire_put_str(o, l->location);
	}
}

/* into r->links through ks_link_new_at, which sanitizes again */
static bool link_list_read(ks_wire_in *in, ks_report *r)
{
	guint32 n = 0;
	if (!ks_wire_get_u32(in, &n))
		return false;
	for (guint32 i = 0; i < n; i++) {
		g_autofree char *text = NULL, *href = NULL, *location = NULL;
		if (!ks_wire_get_str(in, &text) || !ks_wire_get_str(in, &href) ||
		    !ks_wire_get_str(in, &location))
			return false;
		g_ptr_array_add(r->links, ks_link_new_at(text, href, location));
	}
	return true;
}

/* The request of the attachment job: what the payload analyzers read of
 * the report and the context (the message's dates, body text, addresses,
 * timeline and links so far; domain registrations; the date of the message
 * this one answers), the walk's counters and the part itself. */
static void request_write(ks_wire_out *o, const walk *w, const ks_mime_part *p, bool libraries)
{
	const ks_report *r = w->r;
	ks_wire_put_u32(o, libraries);
	ks_wire_put_str(o, r->body_text);
	ks_wire_put_str(o, r->subject);
	ks_wire_put_time(o, r->date);
	ks_wire_put_str(o, r->in_reply_to);
	ks_wire_put_str(o, r->return_path);
	ks_wire_put_address_list(o, r->from);
	ks_wire_put_address_list(o, r->reply_to);
	ks_wire_put_address_list(o, r->to);
	ks_wire_put_u32(o, r->timeline->len);
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *e = g_ptr_array_index(r->timeline, i);
		ks_wire_put_time(o, e->time);
		ks_wire_put_str(o, e->event);
		ks_wire_put_str(o, e->source);
	}
	const GPtrArray *regs = w->ctx->registrations;
	ks_wire_put_u32(o, regs->len);
	for (guint i = 0; i < regs->len; i++) {
		const ks_registration *reg = g_ptr_array_index(regs, i);
		ks_wire_put_str(o, reg->domain);
		ks_wire_put_time(o, reg->registered);
		ks_wire_put_str(o, reg->source);
	}
	ks_wire_put_time(o, ks_context_message_date(w->ctx, r->in_reply_to));
	ks_wire_put_i64(o, helper_budget(w));
	ks_wire_put_u32(o, (guint32)w->nodes);
	ks_wire_put_u32(o, w->nodes_reported);
	ks_wire_put_u32(o, w->budget_reported);
	ks_wire_put_i64(o, w->pixels);
	link_list_write(o, r->links, 0);
	ks_wire_put_str(o, p->path);
	ks_wire_put_strn(o, p->filename, name_len(p));
	ks_wire_put_str(o, p->content_type);
	ks_wire_put_str(o, p->content_id);
	ks_wire_put_str(o, p->disposition);
	ks_wire_put_str(o, p->charset);
	ks_wire_put_bytes(o, p->data);
}

static bool time_list_read(ks_wire_in *in, ks_report *r)
{
	guint32 n = 0;
	if (!ks_wire_get_u32(in, &n))
		return false;
	for (guint32 i = 0; i < n; i++) {
		g_autoptr(GDateTime) t = NULL;
		g_autofree char *event = NULL, *source = NULL;
		if (!ks_wire_get_time(in, &t) || !ks_wire_get_str(in, &event) ||
		    !ks_wire_get_str(in, &source))
			return false;
		ks_report_add_event(r, t, event, source);
	}
	return true;
}

bool ks_attachments_job(ks_wire_in *in, ks_wire_out *out)
{
	g_autoptr(ks_report) r = ks_report_new();
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(GDateTime) answered = NULL;
	guint32 libraries = 1, n_regs = 0, nodes = 0, nodes_reported = 0, budget_reported = 0;
	ks_mime_part p = {0};
	walk w = {.ctx = ctx, .r = r};
	bool ok = ks_wire_get_u32(in, &libraries) && ks_wire_get_str(in, &r->body_text) && ks_wire_get_str(in, &r->subject) &&
	          ks_wire_get_time(in, &r->date) && ks_wire_get_str(in, &r->in_reply_to) &&
	          ks_wire_get_str(in, &r->return_path) && ks_wire_get_address_list(in, r->from) &&
	          ks_wire_get_address_list(in, r->reply_to) && ks_wire_get_address_list(in, r->to) &&
	          time_list_read(in, r) && ks_wire_get_u32(in, &n_regs);
	for (guint32 i = 0; ok && i < n_regs; i++) {
		g_autofree char *domain = NULL, *source = NULL;
		g_autoptr(GDateTime) when = NULL;
		ok = ks_wire_get_str(in, &domain) && ks_wire_get_time(in, &when) &&
		     ks_wire_get_str(in, &source) && domain;
		if (ok)
			ks_context_add_registration(ctx, domain, when, source);
	}
	ok = ok && ks_wire_get_time(in, &answered) && ks_wire_get_i64(in, &w.budget) &&
	     ks_wire_get_u32(in, &nodes) && ks_wire_get_u32(in, &nodes_reported) &&
	     ks_wire_get_u32(in, &budget_reported) && ks_wire_get_i64(in, &w.pixels) &&
	     link_list_read(in, r) && ks_wire_get_str(in, &p.path) &&
	     ks_wire_get_strn(in, &p.filename, &p.filename_len) &&
	     ks_wire_get_str(in, &p.content_type) &&
	     ks_wire_get_str(in, &p.content_id) && ks_wire_get_str(in, &p.disposition) &&
	     ks_wire_get_str(in, &p.charset) && ks_wire_get_bytes(in, &p.data);
	if (ok) {
		if (answered && r->in_reply_to)
			ks_context_add_message_date(ctx, r->in_reply_to, answered);
		w.nodes = (int)MIN(nodes, (guint32)MAX_NODES);
		w.nodes_reported = nodes_reported;
		w.budget_reported = budget_reported;
		w.own_parsers_only = !libraries;
		guint events_before = r->timeline->len, links_before = r->links->len;
		ks_attachment *a = part_analyze(&w, &p);
		ks_wire_put_attachment(out, a, false);
		ks_attachment_free(a);
		ks_wire_put_u32(out, r->findings->len);
		for (guint i = 0; i < r->findings->len; i++) {
			const ks_finding *f = g_ptr_array_index(r->findings, i);
			ks_wire_put_str(out, ks_rule_id(f->rule));
			ks_wire_put_u32(out, f->severity);
			ks_wire_put_str(out, f->location);
			ks_wire_put_str(out, f->evidence);
		}
		ks_wire_put_u32(out, r->iocs->len);
		for (guint i = 0; i < r->iocs->len; i++) {
			const ks_ioc *ioc = g_ptr_array_index(r->iocs, i);
			ks_wire_put_u32(out, ioc->kind);
			ks_wire_put_str(out, ioc->value);
		}
		ks_wire_put_u32(out, r->timeline->len - events_before);
		for (guint i = events_before; i < r->timeline->len; i++) {
			const ks_event *e = g_ptr_array_index(r->timeline, i);
			ks_wire_put_time(out, e->time);
			ks_wire_put_str(out, e->event);
			ks_wire_put_str(out, e->source);
		}
		link_list_write(out, r->links, links_before);
		ks_wire_put_i64(out, w.budget);
		ks_wire_put_i64(out, w.pixels);
		ks_wire_put_u32(out, (guint32)w.nodes);
		ks_wire_put_u32(out, w.nodes_reported);
		ks_wire_put_u32(out, w.budget_reported);
	}
	g_free(p.path);
	g_free(p.filename);
	g_free(p.content_type);
	g_free(p.content_id);
	g_free(p.disposition);
	g_free(p.charset);
	if (p.data)
		g_bytes_unref(p.data);
	return ok;
}

/* What the helper found, put into the report: its findings, IOCs and
 * events through the report's own setters (sanitized again: the helper
 * read attacker data), its walk counters.  NULL when the reply is damaged;
 * what was added before that stays (every piece is valid on its own). */
static ks_attachment *reply_merge(walk *w, const ks_mime_part *p, ks_wire_in *in)
{
	ks_attachment *a = ks_wire_get_attachment(in, MAX_NODES - w->nodes + 1);
	if (!a)
		return NULL;
	a->data = p->data ? g_bytes_ref(p->data) : NULL;
	guint32 n = 0;
	bool ok = ks_wire_get_u32(in, &n);
	for (guint32 i = 0; ok && i < n; i++) {
		g_autofree char *id = NULL, *loc = NULL, *evidence = NULL;
		guint32 sev = 0;
		ok = ks_wire_get_str(in, &id) && ks_wire_get_u32(in, &sev) &&
		     ks_wire_get_str(in, &loc) && ks_wire_get_str(in, &evidence) && id;
		int rule = ok ? ks_rule_from_id(id) : -1;
		if (rule >= 0 && sev <= KS_SEV_HIGH)
			ks_report_add_finding_sev(w->r, (ks_rule)rule, (ks_severity)sev, loc, "%s",
			                          evidence ? evidence : "");
	}
	ok = ok && ks_wire_get_u32(in, &n);
	for (guint32 i = 0; ok && i < n; i++) {
		guint32 kind = 0;
		g_autofree char *value = NULL;
		ok = ks_wire_get_u32(in, &kind) && ks_wire_get_str(in, &value);
		if (ok && kind <= KS_IOC_FILENAME)
			ks_report_add_ioc(w->r, (ks_ioc_kind)kind, value);
	}
	ok = ok && time_list_read(in, w->r) && link_list_read(in, w->r);
	gint64 budget = 0, pixels = 0;
	guint32 nodes = 0, nodes_reported = 0, budget_reported = 0;
	ok = ok && ks_wire_get_i64(in, &budget) && ks_wire_get_i64(in, &pixels) &&
	     ks_wire_get_u32(in, &nodes) &&
	     ks_wire_get_u32(in, &nodes_reported) && ks_wire_get_u32(in, &budget_reported);
	if (!ok) {
		ks_attachment_free(a);
		return NULL;
	}
	/* counters only go one way, whatever the helper says */
	w->budget -= CLAMP(helper_budget(w) - budget, 0, w->budget);
	w->pixels = CLAMP(pixels, 0, w->pixels);
	w->nodes = (int)MAX((guint32)w->nodes, MIN(nodes, (guint32)MAX_NODES));
	w->nodes_reported |= nodes_reported != 0;
	w->budget_reported |= budget_reported != 0;
	return a;
}

/* input.resource_limit (or, for a crash, input.malformed): the analysis
 * of the attachment at p stopped; reread says whether kensa's own parsers
 * then read it. */
static void report_stopped(walk *w, const ks_mime_part *p, ks_helper_status why,
                           const char *detail, bool reread)
{
	const char *path = p->path ? p->path : "1";
	g_autofree char *name = p->filename ? ks_sanitize_len(p->filename, name_len(p),
	                                                      KS_SANITIZE_NAME, NULL)
	                                    : g_strdup_printf("the attachment at part %s", path);
	g_autofree char *loc = g_strdup_printf("part:%s", path);
	g_autofree char *stop = ks_helper_stop_text(&w->ctx->limits, why, detail);
	const char *then = reread ? "read again by kensa's own parsers only (no poppler, libmagic, "
	                            "libarchive, libgsf, libxml2 or libzip)"
	                          : "what it holds was not analysed";
	ks_report_add_finding(w->r, why == KS_HELPER_CRASH ? KS_RULE_INPUT_MALFORMED
	                                                   : KS_RULE_INPUT_RESOURCE_LIMIT,
	                      loc, "analysis of %s %s; %s", name, stop, then);
}

/* The bare node of an attachment nothing could read: name, declared type,
 * size, hashes and the name rules. */
static ks_attachment *part_bare(walk *w, const ks_mime_part *p)
{
	const char *path = p->path ? p->path : "1";
	ks_attachment *a = node_make(w, path, p->filename, name_len(p), p->content_type, p->data,
	                             p->data ? (int64_t)g_bytes_get_size(p->data) : 0, false);
	if (p->content_id)
		ks_attachment_add_meta(a, "content_id", p->content_id);
	if (p->disposition)
		ks_attachment_add_meta(a, "disposition", p->disposition);
	if (p->charset)
		ks_attachment_add_meta(a, "charset", p->charset);
	ks_attachment_add_meta(a, "unread", "analysis stopped (see the findings)");
	return a;
}

/* One attachment job in the helper; NULL with *why set when it did not
 * come back whole. */
static ks_attachment *part_in_helper(walk *w, const ks_mime_part *p, bool libraries,
                                     ks_helper_status *why, char **detail)
{
	ks_wire_out req;
	ks_wire_out_init(&req);
	request_write(&req, w, p, libraries);
	ks_wire_in reply;
	*why = ks_helper_call(&w->ctx->limits, KS_JOB_ATTACHMENT, &req, &reply, detail);
	ks_wire_out_clear(&req);
	if (*why != KS_HELPER_OK)
		return NULL;
	ks_attachment *a = reply_merge(w, p, &reply);
	ks_wire_in_clear(&reply);
	if (!a) {
		*why = KS_HELPER_CRASH;
		g_free(*detail);
		*detail = g_strdup("a damaged reply");
	}
	return a;
}

/* The helper named could not be started (no /proc mounted, its exec
 * refused): the libraries are not run on the attachment without their
 * budget, in this process (a file that crashes poppler would take kensa
 * with it); kensa's own parsers read it here, and a finding says so.  Its
 * severity is info: it tells of this machine, not of the mail. */
static ks_attachment *part_own_parsers(walk *w, const ks_mime_part *p, const char *detail)
{
	bool before = w->own_parsers_only;
	w->own_parsers_only = true;
	ks_attachment *a = part_analyze(w, p);
	w->own_parsers_only = before;
	const char *path = p->path ? p->path : "1";
	g_autofree char *name = p->filename ? ks_sanitize_len(p->filename, name_len(p),
	                                                      KS_SANITIZE_NAME, NULL)
	                                    : g_strdup_printf("the attachment at part %s", path);
	g_autofree char *loc = g_strdup_printf("part:%s", path);
	ks_report_add_finding_sev(w->r, KS_RULE_INPUT_RESOURCE_LIMIT, KS_SEV_INFO, loc,
	                          "%s not analysed in full: %s; read by kensa's own parsers only "
	                          "(no poppler, libmagic, libarchive, libgsf, libxml2 or libzip)",
	                          name, detail ? detail : "the analysis helper could not be started");
	return a;
}

/* An attachment and all it holds: in the helper when the context names
 * one (its libraries then run within the budget), else here.  When the
 * helper is stopped, the attachment is read again by kensa's own parsers
 * alone (a PDF's raw scan still sees its JavaScript and embedded files):
 * a file built to exhaust the libraries does not hide what those see. */
static ks_attachment *part_node(walk *w, const ks_mime_part *p)
{
	if (!w->ctx->limits.program)
		return part_analyze(w, p);
	ks_helper_status why = KS_HELPER_OK;
	g_autofree char *detail = NULL;
	ks_attachment *a = part_in_helper(w, p, true, &why, &detail);
	if (a)
		return a;
	if (why == KS_HELPER_UNAVAILABLE)
		return part_own_parsers(w, p, detail);
	ks_helper_status again = KS_HELPER_OK;
	g_autofree char *detail2 = NULL;
	a = part_in_helper(w, p, false, &again, &detail2);
	report_stopped(w, p, why, detail, a != NULL);
	return a ? a : part_bare(w, p);
}

/* ---- entry --------------------------------------------------------------- */

void ks_attachments_walk(const ks_message *m, const ks_context *ctx, ks_report *r,
                         ks_inner_analyze_fn inner)
{
	if (!m || !m->parts)
		return;
	g_autoptr(ks_context) empty = ctx ? NULL : ks_context_new();
	if (!ctx)
		ctx = empty;
	walk w = {
		.ctx = ctx,
		.r = r,
		.budget = MAX_TOTAL_BYTES >> CLAMP(m->depth, 0, 16),
		.pixels = KS_PART_WALK_PIXELS,
	};
	for (guint i = 0; i < m->parts->len; i++) {
		const ks_mime_part *p = g_ptr_array_index(m->parts, i);
		if (!p || p->is_body)
			continue;
		if (w.nodes >= MAX_NODES) {
			if (!w.nodes_reported)
				ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "message",
				                      "more than %d attachments and archive entries in the "
				                      "message; the rest are not listed",
				                      MAX_NODES);
			w.nodes_reported = true;
			break;
		}
		ks_attachment *a = part_node(&w, p);
		g_ptr_array_add(r->attachments, a);
		if (p->embedded)
			analyze_embedded(&w, a, p, inner);
	}
}
