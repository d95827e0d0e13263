/* Payload analyzer for disk images and the archives libzip does not read:
 * ISO 9660 (with Joliet and Rock Ridge names, as libarchive prefers them),
 * 7z, RAR 4/5, CAB, tar and single gzip/bzip2/xz streams, all listed and read
 * from memory through libarchive.  Each entry becomes a child node through
 * ks_part_walk_add_child (hashes, type, name rules, nesting); here live the
 * limits on what is read, the encrypted-entry report, the iso.* rules and
 * what libarchive does not tell: the ISO volume label, the ISO 9660 "hidden"
 * bit, and UDF/VHD images it cannot open.  ZIP is attachments.c's (zipread.c); what a
 * shortcut or a PE inside means is lnk.c's and attachments.c's business.
 * The formats accepted and the payloads that make a disk image dangerous are
 * data (analyzers/data/archive_formats.txt, disk_image_payloads.txt). */
#include "payloads/archives.h"

#include "mail/cursor.h"
#include "core/sanitize.h"

#include "mail/zipread.h"
#include "core/data.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <string.h>

/* Limits (DESIGN.md "every parser has limits"), the same as the zip reader's
 * (archive.h) so that a 7z bomb costs what a zip bomb costs. */
#define MAX_LISTED KS_ZIP_MAX_ENTRIES     /* entries listed per archive */
#define MAX_READ KS_ZIP_MAX_READ          /* entries decompressed per archive */
#define MAX_ENTRY_BYTES KS_ZIP_MAX_ENTRY_BYTES
/* ECMA-119 6.8.2.1 allows 8 directory levels; Rock Ridge deep trees are
 * listed by libarchive, this only bounds our own walk for hidden bits */
#define ISO_MAX_DIR_DEPTH 8
#define ISO_MAX_RECORDS 100000
/* continuation areas one record may chain (SUSP; real images use one or two) */
#define ISO_CE_CHAIN 16
/* volume descriptors looked at from sector 16 on (ECMA-119 8.1, ECMA-167
 * 2/9.1: the ISO set, then UDF's recognition sequence after it) */
#define ISO_MAX_DESCRIPTORS 32
/* the same padding run attachments.c calls deceptive (J-CSIP; Microsoft's
 * "long file name" warnings) */
#define PADDING_RUN 10

/* ---- offset reads over the attachment bytes (cursor.h) ------------------ */

/* An ISO image or a gzip header is read at offsets: a ks_cursor's absolute
 * reads, whose failed mark says that one went past the end ("truncated"). */

static const guint8 *rd_bytes(ks_cursor *r, guint64 off, gsize n)
{
	const guint8 *p = NULL;
	ks_cursor_at(r, off, n, &p);
	return p;
}

static guint8 rd_u8(ks_cursor *r, guint64 off)
{
	const guint8 *p = rd_bytes(r, off, 1);
	return p ? p[0] : 0;
}

static guint16 rd_le16(ks_cursor *r, guint64 off)
{
	const guint8 *p = rd_bytes(r, off, 2);
	return p ? (guint16)(p[0] | p[1] << 8) : 0;
}

static guint32 rd_le32(ks_cursor *r, guint64 off)
{
	const guint8 *p = rd_bytes(r, off, 4);
	return p ? (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24
	         : 0;
}

static bool rd_match(ks_cursor *r, guint64 off, const char *magic, gsize n)
{
	if (off > r->len || n > r->len - off)
		return false; /* a short file is simply not this format */
	return memcmp(r->data + off, magic, n) == 0;
}

/* ---- what is accepted ----------------------------------------------------- */

typedef enum {
	KIND_NONE,
	KIND_DISK,       /* ISO/IMG/UDF: iso.* rules apply */
	KIND_VHD,        /* VHD/VHDX: libarchive cannot read it */
	KIND_ARCHIVE,    /* 7z, RAR, CAB, tar */
	KIND_COMPRESSED, /* a gzip/bzip2/xz stream, maybe around a tar */
} kind;

static gpointer kinds_build(gpointer unused)
{
	(void)unused;
	GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
	const GPtrArray *lines = ks_data_lines("archive_formats.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *key = NULL, *val = NULL;
		if (!ks_data_split(g_ptr_array_index(lines, i), &key, &val))
			continue;
		kind k = strcmp(val, "disk") == 0         ? KIND_DISK
		         : strcmp(val, "vhd") == 0        ? KIND_VHD
		         : strcmp(val, "archive") == 0    ? KIND_ARCHIVE
		         : strcmp(val, "compressed") == 0 ? KIND_COMPRESSED
		                                          : KIND_NONE;
		if (k != KIND_NONE)
			g_hash_table_insert(t, (char *)g_intern_string(key), GINT_TO_POINTER(k));
	}
	return t;
}

static kind kind_lookup(const char *key)
{
	static GOnce once = G_ONCE_INIT;
	GHashTable *t = g_once(&once, kinds_build, NULL);
	return key ? (kind)GPOINTER_TO_INT(g_hash_table_lookup(t, key)) : KIND_NONE;
}

/* Lower-case extension of a name's last component, trailing dots and
 * spaces dropped as Windows drops them; NULL when none. */
static char *name_ext(const char *name)
{
	if (!name)
		return NULL;
	const char *base = name;
	for (const char *c = name; *c; c++)
		if (*c == '/' || *c == '\\')
			base = c + 1;
	g_autofree char *trimmed = g_strdup(base);
	size_t n = strlen(trimmed);
	while (n > 0 && (trimmed[n - 1] == ' ' || trimmed[n - 1] == '.'))
		trimmed[--n] = '\0';
	const char *dot = strrchr(trimmed, '.');
	if (!dot || !dot[1] || strlen(dot + 1) > 16)
		return NULL;
	return g_ascii_strdown(dot + 1, -1);
}

/* Signatures, strongest evidence first. */
static kind kind_by_magic(ks_cursor *r)
{
	if (rd_match(r, 0, "conectix", 8) || rd_match(r, 0, "vhdxfile", 8) ||
	    (r->len >= 512 && rd_match(r, r->len - 512, "conectix", 8)))
		return KIND_VHD; /* VHD footer cookie (Microsoft VHD spec, "Hard Disk Footer
		                  * Format"; a dynamic disk copies it at 0); MS-VHDX 2.2.1 */
	/* ECMA-119 8.1: descriptors from sector 16, standard identifier at byte 1;
	 * ECMA-167 2/9.1: "BEA01"/"NSR02"/"NSR03" in the same places for UDF */
	static const char *const vrs[] = {"CD001", "BEA01", "NSR02", "NSR03"};
	for (size_t i = 0; i < G_N_ELEMENTS(vrs); i++)
		if (rd_match(r, 16 * 2048 + 1, vrs[i], 5))
			return KIND_DISK;
	if (rd_match(r, 0, "7z\xBC\xAF\x27\x1C", 6) || /* 7zFormat.txt SignatureHeader */
	    rd_match(r, 0, "Rar!\x1A\x07", 6) ||       /* RAR 4 and 5 marker block */
	    rd_match(r, 0, "MSCF\0\0\0\0", 8) ||       /* MS-CAB 2.1 CFHEADER, reserved1 = 0 */
	    rd_match(r, 257, "ustar", 5))              /* POSIX.1-2001 ustar magic */
		return KIND_ARCHIVE;
	if (rd_match(r, 0, "\x1F\x8B\x08", 3) || /* RFC 1952 2.3.1, CM = deflate */
	    rd_match(r, 0, "BZh", 3) ||          /* bzip2 stream header */
	    rd_match(r, 0, "\xFD" "7zXZ\0", 6))  /* xz file format 2.1.1.1 */
		return KIND_COMPRESSED;
	return KIND_NONE;
}

static kind classify(const ks_attachment *a)
{
	if (!a->data)
		return KIND_NONE;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	if (ks_zip_sniff(p, len))
		return KIND_NONE; /* attachments.c's zip row */
	ks_cursor r;
	ks_cursor_init(&r, p, len);
	kind k = kind_by_magic(&r);
	if (k == KIND_NONE)
		k = kind_lookup(a->detected_type);
	if (k == KIND_NONE)
		k = kind_lookup(a->declared_type);
	/* a name alone opens only bytes libmagic has no better idea about:
	 * a PDF named .iso is extension_mismatch's finding, not an unreadable ISO */
	if (k == KIND_NONE && (!a->detected_type ||
	                       strcmp(a->detected_type, "application/octet-stream") == 0)) {
		g_autofree char *ext = name_ext(a->filename);
		k = kind_lookup(ext);
	}
	return k;
}

bool ks_archives_accepts(const ks_attachment *a)
{
	return classify(a) != KIND_NONE;
}

/* ---- ISO 9660 volume descriptors ------------------------------------------ */

typedef struct {
	bool iso9660, joliet, udf, el_torito;
	guint64 volume_bytes; /* what the primary descriptor says the volume holds */
	char *label;        /* primary volume identifier, trimmed */
	char *joliet_label; /* the Joliet one, which Windows shows */
	GHashTable *hidden; /* lower-cased paths whose records carry the hidden bit */
	GPtrArray *files[2]; /* iso_file*: the primary [0] and Joliet [1] trees' files */
	guint32 block;       /* logical block size */
	int records;        /* directory records read (bounded) */
	int ce_hops;        /* SUSP continuation areas followed (bounded) */
	char *bad_ce;       /* why the Rock Ridge continuation areas are not safe to follow */
	const char *error;
} iso_info;

static void iso_info_clear(iso_info *info)
{
	g_free(info->label);
	g_free(info->joliet_label);
	g_free(info->bad_ce);
	if (info->hidden)
		g_hash_table_unref(info->hidden);
	for (int i = 0; i < 2; i++)
		if (info->files[i])
			g_ptr_array_unref(info->files[i]);
}

static char *trimmed_label(const guint8 *p, gsize n, bool ucs2)
{
	g_autofree char *s = ucs2 ? g_convert((const char *)p, (gssize)n, "UTF-8", "UTF-16BE", NULL,
	                                      NULL, NULL)
	                          : g_strndup((const char *)p, n);
	if (!s)
		return NULL;
	char *valid = g_utf8_make_valid(s, -1);
	g_strstrip(valid);
	if (!*valid) {
		g_free(valid);
		return NULL;
	}
	return valid;
}

/* A directory record's name (ECMA-119 9.1.11; Joliet names are UCS-2BE),
 * the ";1" version and a trailing dot dropped; NULL for the "\0" and "\1"
 * self and parent records. */
static char *record_name(const guint8 *p, gsize n, bool joliet)
{
	if (n == 1 && (p[0] == 0 || p[0] == 1))
		return NULL;
	g_autofree char *s = joliet ? g_convert((const char *)p, (gssize)(n & ~(gsize)1), "UTF-8",
	                                        "UTF-16BE", NULL, NULL, NULL)
	                            : g_utf8_make_valid((const char *)p, (gssize)n);
	if (!s)
		return NULL;
	char *semi = strrchr(s, ';');
	if (semi)
		*semi = '\0';
	size_t len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		s[len - 1] = '\0';
	return g_steal_pointer(&s);
}

/* Follows the SUSP continuation chain ("CE", IEEE P1281 5.1) starting in
 * one directory record's system use area.  libarchive 3.6 loops forever on
 * a chain that points back into an area already read, and sign-extends a
 * location at or above 2^31 (libarchive PRs 3021, 3515); such an image is
 * then read without Rock Ridge.  Sets info->bad_ce when the chain is bad. */
static void iso_check_ce(ks_cursor *r, iso_info *info, guint32 block, guint64 su, guint64 su_end)
{
	guint64 seen_start[ISO_CE_CHAIN], seen_end[ISO_CE_CHAIN];
	int n_seen = 0;
	while (su + 4 <= su_end && !info->bad_ce) {
		const guint8 *e = rd_bytes(r, su, 4);
		if (!e || e[2] < 4 || su + e[2] > su_end)
			return;
		if (e[0] == 'S' && e[1] == 'T')
			return;
		if (e[0] != 'C' || e[1] != 'E' || e[2] < 28) {
			su += e[2];
			continue;
		}
		guint32 loc = rd_le32(r, su + 4), off = rd_le32(r, su + 12), len = rd_le32(r, su + 20);
		guint64 start = (guint64)loc * block + off, end = start + len;
		if (loc >= 0x80000000u || end > r->len || len < 4) {
			info->bad_ce = g_strdup_printf("continuation area at block %u lies outside the "
			                               "image", loc);
			return;
		}
		for (int i = 0; i < n_seen; i++)
			if (start < seen_end[i] && seen_start[i] < end)
				info->bad_ce = g_strdup_printf("continuation areas loop (block %u)", loc);
		if (info->bad_ce)
			return;
		if (n_seen == ISO_CE_CHAIN || ++info->ce_hops > ISO_MAX_RECORDS) {
			info->bad_ce = g_strdup("continuation chain longer than the limit");
			return;
		}
		seen_start[n_seen] = start;
		seen_end[n_seen++] = end;
		su = start;
		su_end = end;
	}
}

/* A file record of the tree, for reading images libarchive refuses. */
typedef struct {
	char *path; /* as recorded (case kept), UTF-8 */
	guint32 extent, size;
	bool hidden;
} iso_file;

static void iso_file_free(iso_file *f)
{
	g_free(f->path);
	g_free(f);
}

/* Walks one directory extent: the files, and the records with the
 * "existence" (hidden) bit, ECMA-119 9.1.6 bit 0; records never span a
 * sector (6.8.1.1). */
static void iso_walk_dir(ks_cursor *r, iso_info *info, GHashTable *seen, guint32 block, guint32 extent,
                         guint32 size, const char *prefix, bool joliet, int depth)
{
	if (depth > ISO_MAX_DIR_DEPTH || !g_hash_table_add(seen, GUINT_TO_POINTER(extent)))
		return;
	guint64 start = (guint64)extent * block, end = start + size;
	guint64 off = start;
	while (off < end && info->records < ISO_MAX_RECORDS) {
		guint8 len = rd_u8(r, off);
		if (r->failed)
			break;
		if (len == 0) { /* padding to the next sector */
			off = (off / 2048 + 1) * 2048;
			continue;
		}
		if (len < 34 || off + len > end)
			break;
		info->records++;
		guint32 child_extent = rd_le32(r, off + 2);
		guint32 child_size = rd_le32(r, off + 10);
		guint8 flags = rd_u8(r, off + 25);
		guint8 name_len = rd_u8(r, off + 32);
		const guint8 *name = name_len + 33u <= len ? rd_bytes(r, off + 33, name_len) : NULL;
		g_autofree char *leaf = name ? record_name(name, name_len, joliet) : NULL;
		if (!joliet && !info->bad_ce) { /* ECMA-119 9.1.12: a pad byte after an even name */
			guint64 su = off + 33 + name_len + (name_len % 2 == 0 ? 1 : 0);
			iso_check_ce(r, info, block, su, off + len);
		}
		if (leaf && *leaf) {
			g_autofree char *path = *prefix ? g_strdup_printf("%s/%s", prefix, leaf)
			                                : g_strdup(leaf);
			g_autofree char *lower = g_utf8_strdown(path, -1);
			if (flags & 1)
				g_hash_table_add(info->hidden, g_strdup(lower));
			GPtrArray *files = info->files[joliet];
			if (!(flags & 2) && files->len < MAX_LISTED) {
				iso_file *f = g_new0(iso_file, 1);
				f->path = g_steal_pointer(&path);
				f->extent = child_extent;
				f->size = child_size;
				f->hidden = flags & 1;
				g_ptr_array_add(files, f);
				off += len;
				continue;
			}
			if (flags & 2)
				iso_walk_dir(r, info, seen, block, child_extent, child_size, path, joliet,
				             depth + 1);
		}
		off += len;
	}
}

/* Reads the volume descriptor set: labels, Joliet, El Torito, UDF, and the
 * hidden records of the primary and Joliet trees. */
static void iso_scan(ks_cursor *r, iso_info *info)
{
	info->hidden = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (int i = 0; i < 2; i++)
		info->files[i] = g_ptr_array_new_with_free_func((GDestroyNotify)iso_file_free);
	info->block = 2048;
	for (int i = 0; i < ISO_MAX_DESCRIPTORS; i++) {
		guint64 off = (guint64)(16 + i) * 2048;
		const guint8 *vd = rd_bytes(r, off, 2048);
		if (!vd) {
			info->error = r->failed ? "truncated" : NULL;
			break;
		}
		if (memcmp(vd + 1, "BEA01", 5) == 0 || memcmp(vd + 1, "NSR02", 5) == 0 ||
		    memcmp(vd + 1, "NSR03", 5) == 0) {
			info->udf = memcmp(vd + 1, "BEA01", 5) != 0 || info->udf;
			continue;
		}
		if (memcmp(vd + 1, "TEA01", 5) == 0)
			break;
		if (memcmp(vd + 1, "CD001", 5) != 0)
			break;
		info->iso9660 = true;
		/* ECMA-119 8.4.12: logical block size, both-byte order; 2048 in practice */
		guint16 block = rd_le16(r, off + 128);
		if (block != 512 && block != 1024 && block != 2048)
			block = 2048;
		/* ECMA-119 8.4.18: the root directory record at byte 156 */
		guint32 root = rd_le32(r, off + 156 + 2), root_size = rd_le32(r, off + 156 + 10);
		g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
		switch (vd[0]) {
		case 0: /* boot record: El Torito 2.0 "EL TORITO SPECIFICATION" */
			if (memcmp(vd + 7, "EL TORITO SPECIFICATION", 23) == 0)
				info->el_torito = true;
			break;
		case 1: /* primary: volume identifier at byte 40, 32 d-characters;
		         * volume space size (8.4.8) at byte 80, in blocks */
			info->block = block;
			if (!info->label)
				info->label = trimmed_label(vd + 40, 32, false);
			if (!info->volume_bytes)
				info->volume_bytes = (guint64)rd_le32(r, off + 80) * block;
			iso_walk_dir(r, info, seen, block, root, MIN(root_size, 16u << 20), "", false, 0);
			break;
		case 2: /* supplementary; Joliet when its escape sequence (byte 88) is
		         * %/@, %/C or %/E (Joliet specification, UCS-2 levels 1-3) */
			if (vd[88] == '%' && vd[89] == '/' &&
			    (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')) {
				info->joliet = true;
				if (!info->joliet_label)
					info->joliet_label = trimmed_label(vd + 40, 32, true);
				iso_walk_dir(r, info, seen, block, root, MIN(root_size, 16u << 20), "",
				             true, 0);
			}
			break;
		default:
			break;
		}
		r->failed = false; /* a bad tree does not stop the descriptor scan */
	}
}

/* ---- entries -------------------------------------------------------------- */

/* libarchive converts names from UTF-16 (7z, Joliet, RAR 5) and between
 * charsets through the C library's current LC_CTYPE; under the "C" locale
 * that kensa often runs in (scripts, CI, cron) every non-ASCII name is lost.
 * Its calls therefore run under a UTF-8 LC_CTYPE for this thread only
 * (uselocale, POSIX.1-2008), the locale object made once and kept. */
static gpointer utf8_locale_new(gpointer unused)
{
	(void)unused;
	locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!l)
		l = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
	return l;
}

/* Switches this thread to the UTF-8 LC_CTYPE; returns what to restore. */
static locale_t utf8_enter(void)
{
	static GOnce once = G_ONCE_INIT;
	locale_t l = g_once(&once, utf8_locale_new, NULL);
	return uselocale(l ? l : (locale_t)0);
}

static void utf8_leave(locale_t previous)
{
	uselocale(previous);
}

typedef struct {
	int listed, read;
	int hidden, padded;
	int n_encrypted, n_unread;
	GString *encrypted, *unread;
	bool hit_list, hit_read, hit_budget;
	bool unrecognized; /* no format but raw bid on uncompressed bytes */
	char *error; /* why listing stopped early, or NULL */
} listing;

/* UTF-8 name of an entry: libarchive's own conversion (Joliet and Rock
 * Ridge come through here), else the raw bytes as UTF-8, else CP932 (the
 * Japanese Windows code page most archivers there write), else repaired. */
static char *entry_name(struct archive_entry *e, const char **encoding)
{
	const char *utf8 = archive_entry_pathname_utf8(e);
	if (utf8 && g_utf8_validate(utf8, -1, NULL))
		return g_strdup(utf8);
	/* libarchive turns its wide names (7z, Joliet, RAR 5) into UTF-8 through
	 * the C locale, which fails on anything but ASCII; glibc's wchar_t is
	 * UCS-4 (__STDC_ISO_10646__), so convert them here */
	const wchar_t *wide = archive_entry_pathname_w(e);
	if (wide && sizeof(wchar_t) == 4) {
		char *s = g_ucs4_to_utf8((const gunichar *)wide, -1, NULL, NULL, NULL);
		if (s)
			return s;
	}
	const char *raw = archive_entry_pathname(e);
	if (!raw)
		return NULL;
	if (g_utf8_validate(raw, -1, NULL))
		return g_strdup(raw);
	char *cp = g_convert(raw, -1, "UTF-8", "CP932", NULL, NULL, NULL);
	if (cp) {
		*encoding = "cp932";
		return cp;
	}
	return g_utf8_make_valid(raw, -1);
}

/* Name of the one member of a compressed stream: the gzip header's FNAME
 * (RFC 1952 2.3.1, after FEXTRA when present), else the outer name without
 * its compression suffix. */
static char *stream_name(ks_cursor *r, const char *outer)
{
	if (rd_match(r, 0, "\x1F\x8B\x08", 3)) {
		guint8 flags = rd_u8(r, 3);
		guint64 off = 10;
		if (flags & 4) /* FEXTRA */
			off += 2 + (guint64)rd_le16(r, 10);
		if ((flags & 8) && !r->failed && off < r->len) { /* FNAME, zero-terminated */
			const guint8 *p = r->data + off;
			gsize max = MIN(r->len - off, 1024);
			const guint8 *nul = memchr(p, 0, max);
			if (nul && nul > p) {
				gsize n = (gsize)(nul - p);
				if (g_utf8_validate((const char *)p, (gssize)n, NULL))
					return g_strndup((const char *)p, n);
				return g_convert((const char *)p, (gssize)n, "UTF-8", "ISO-8859-1", NULL,
				                 NULL, NULL);
			}
		}
		r->failed = false;
	}
	if (!outer)
		return g_strdup("data");
	static const char *const suffixes[][2] = {
		{".tgz", ".tar"}, {".tbz2", ".tar"}, {".txz", ".tar"}, {".gzip", ""},
		{".gz", ""},      {".bz2", ""},      {".xz", ""},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		size_t n = strlen(outer), cut = strlen(suffixes[i][0]);
		if (n > cut && g_ascii_strcasecmp(outer + n - cut, suffixes[i][0]) == 0) {
			g_autofree char *stem = g_strndup(outer, n - cut);
			return g_strconcat(stem, suffixes[i][1], NULL);
		}
	}
	return g_strdup(outer);
}

/* A path component starting with '.', or one the ISO tree marks hidden. */
static bool entry_hidden(const char *name, const iso_info *iso)
{
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);
	g_autoptr(GString) prefix = g_string_new(NULL);
	for (char **p = parts; *p; p++) {
		if (!**p || strcmp(*p, ".") == 0)
			continue;
		if (**p == '.' && strcmp(*p, "..") != 0)
			return true;
		g_autofree char *low = ks_utf8_down(*p);
		if (prefix->len)
			g_string_append_c(prefix, '/');
		g_string_append(prefix, low);
		if (iso->hidden && g_hash_table_contains(iso->hidden, prefix->str))
			return true;
	}
	return false;
}

static bool is_padding(gunichar c)
{
	return c == ' ' || c == '_' || c == 0x00A0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B);
}

static bool has_padding_run(const char *name)
{
	if (!g_utf8_validate(name, -1, NULL))
		return false;
	int run = 0;
	for (const char *p = name; *p; p = g_utf8_next_char(p)) {
		run = is_padding(g_utf8_get_char(p)) ? run + 1 : 0;
		if (run >= PADDING_RUN)
			return true;
	}
	return false;
}

/* Reads one entry's bytes, at most limit; NULL with *why set when it could
 * not be read whole.  *spent counts what was decompressed either way. */
static GBytes *read_entry(struct archive *ar, int64_t declared, int64_t limit, int64_t *spent,
                          char **why)
{
	if (declared > limit) {
		*why = g_strdup_printf("%" G_GINT64_FORMAT " bytes, over the %" G_GINT64_FORMAT
		                       " byte limit; not read",
		                       declared, limit);
		return NULL;
	}
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(declared > 0 ? (guint)declared : 0);
	guint8 chunk[64 * 1024];
	for (;;) {
		la_ssize_t n = archive_read_data(ar, chunk, sizeof chunk);
		if (n == 0)
			break;
		if (n < 0) {
			const char *err = archive_error_string(ar);
			*why = g_strdup_printf("read failed after %u bytes: %s", buf->len,
			                       err ? err : "unknown error");
			*spent += buf->len;
			return NULL;
		}
		if ((int64_t)buf->len + n > limit) {
			*why = g_strdup_printf("more than %" G_GINT64_FORMAT " bytes decompressed; "
			                       "not read",
			                       limit);
			*spent += buf->len + n;
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	*spent += buf->len;
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

static void list_entries(ks_part_walk *w, ks_attachment *a, struct archive *ar, ks_cursor *r,
                         const iso_info *iso, int depth, listing *l)
{
	int64_t *budget = ks_part_walk_budget(w);
	struct archive_entry *e = NULL;
	locale_t previous = utf8_enter();
	for (;;) {
		if (l->listed >= MAX_LISTED) {
			l->hit_list = true;
			break;
		}
		int rc = archive_read_next_header(ar, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc < ARCHIVE_WARN) {
			const char *err = archive_error_string(ar);
			l->error = g_strdup(err ? err : "unreadable entry header");
			break;
		}
		/* libarchive settles on a format at the first header: raw over
		 * uncompressed bytes means none of the real formats bid */
		if (archive_format(ar) == ARCHIVE_FORMAT_RAW &&
		    archive_filter_code(ar, 0) == ARCHIVE_FILTER_NONE) {
			l->unrecognized = true;
			break;
		}
		mode_t type = archive_entry_filetype(e);
		if (type == AE_IFDIR)
			continue;
		const char *encoding = NULL;
		g_autofree char *name = NULL;
		if (archive_format(ar) == ARCHIVE_FORMAT_RAW)
			name = stream_name(r, a->filename);
		else
			name = entry_name(e, &encoding);
		l->listed++;
		int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		bool encrypted = archive_entry_is_encrypted(e) != 0;
		const char *hardlink = archive_entry_hardlink_utf8(e);
		g_autoptr(GBytes) data = NULL;
		g_autofree char *why = NULL;
		if (type == AE_IFREG && !encrypted && !hardlink) {
			if (l->read >= MAX_READ) {
				l->hit_read = true;
			} else if (*budget <= 0) {
				l->hit_budget = true;
			} else {
				int64_t spent = 0;
				l->read++;
				data = read_entry(ar, size, MIN(MAX_ENTRY_BYTES, *budget), &spent, &why);
				*budget -= spent;
			}
		}
		const char *symlink = type == AE_IFLNK ? archive_entry_symlink_utf8(e) : NULL;
		g_autofree char *symlink_copy = g_strdup(symlink);
		g_autofree char *hardlink_copy = g_strdup(hardlink);
		/* the child's own analysis runs in the caller's locale */
		utf8_leave(previous);
		ks_attachment *child = ks_part_walk_add_child(w, a, name, NULL, data,
		                                              data ? 0 : MAX(size, 0), depth);
		previous = utf8_enter();
		if (!child)
			break; /* the message's node limit, already reported */
		child->encrypted = encrypted;
		const char *shown = child->filename ? child->filename : child->path;
		if (encrypted)
			ks_evidence_append_name(l->encrypted, l->n_encrypted++, shown);
		if (why) {
			ks_attachment_add_meta(child, "unread", why);
			g_autofree char *what = g_strdup_printf("%s (%s)", shown, why);
			ks_evidence_append_name(l->unread, l->n_unread++, what);
		}
		if (encoding)
			ks_attachment_add_meta(child, "name_encoding", encoding);
		ks_attachment_add_meta(child, "symlink", symlink_copy);
		ks_attachment_add_meta(child, "hardlink", hardlink_copy);
		if (name && entry_hidden(name, iso)) {
			ks_attachment_add_meta(child, "hidden", "true");
			l->hidden++;
		}
		if (name && has_padding_run(name))
			l->padded++;
	}
	utf8_leave(previous);
}

/* ---- iso.* rules ---------------------------------------------------------- */

typedef enum { PAYLOAD_NONE, PAYLOAD_SHORTCUT, PAYLOAD_EXECUTABLE } payload;

static gpointer payloads_build(gpointer unused)
{
	(void)unused;
	GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
	const GPtrArray *lines = ks_data_lines("disk_image_payloads.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *key = NULL, *val = NULL;
		if (!ks_data_split(g_ptr_array_index(lines, i), &key, &val))
			continue;
		payload p = strcmp(val, "shortcut") == 0 ? PAYLOAD_SHORTCUT : PAYLOAD_EXECUTABLE;
		g_hash_table_insert(t, (char *)g_intern_string(key), GINT_TO_POINTER(p));
	}
	return t;
}

static payload payload_lookup(const char *key)
{
	static GOnce once = G_ONCE_INIT;
	GHashTable *t = g_once(&once, payloads_build, NULL);
	return key ? (payload)GPOINTER_TO_INT(g_hash_table_lookup(t, key)) : PAYLOAD_NONE;
}

/* By content: MS-SHLLINK 2.1 (HeaderSize 0x4C, LinkCLSID
 * 00021401-0000-0000-C000-000000000046), or an MZ header whose e_lfanew
 * (offset 0x3C) points at "PE\0\0" (PE/COFF specification 3.2). */
static payload payload_by_magic(GBytes *data)
{
	if (!data)
		return PAYLOAD_NONE;
	gsize len = 0;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	ks_cursor r;
	ks_cursor_init(&r, bytes, len);
	if (rd_match(&r, 0, "\x4C\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46", 20))
		return PAYLOAD_SHORTCUT;
	if (rd_match(&r, 0, "MZ", 2)) {
		guint32 pe = rd_le32(&r, 0x3C);
		if (!r.failed && rd_match(&r, pe, "PE\0\0", 4))
			return PAYLOAD_EXECUTABLE;
	}
	return PAYLOAD_NONE;
}

static payload payload_of(const ks_attachment *a)
{
	g_autofree char *ext = name_ext(a->filename);
	payload p = payload_lookup(ext);
	if (p == PAYLOAD_NONE)
		p = payload_lookup(a->detected_type);
	if (p == PAYLOAD_NONE)
		p = payload_by_magic(a->data);
	return p;
}

typedef struct {
	GString *shortcuts, *executables;
	int n_shortcuts, n_executables;
} payloads_found;

/* Everything the image holds, nested containers included (a zip of
 * shortcuts inside the ISO is still in the image). */
static void collect_payloads(const ks_attachment *node, payloads_found *f, int depth)
{
	for (guint i = 0; depth < 64 && i < node->children->len; i++) {
		const ks_attachment *c = g_ptr_array_index(node->children, i);
		const char *shown = c->filename ? c->filename : c->path;
		switch (payload_of(c)) {
		case PAYLOAD_SHORTCUT:
			ks_evidence_append_name(f->shortcuts, f->n_shortcuts++, shown);
			break;
		case PAYLOAD_EXECUTABLE:
			ks_evidence_append_name(f->executables, f->n_executables++, shown);
			break;
		case PAYLOAD_NONE:
			break;
		}
		collect_payloads(c, f, depth + 1);
	}
}

static void check_disk_payloads(ks_report *r, const ks_attachment *a, const char *loc)
{
	g_autoptr(GString) shortcuts = g_string_new(NULL);
	g_autoptr(GString) executables = g_string_new(NULL);
	payloads_found f = {shortcuts, executables, 0, 0};
	collect_payloads(a, &f, 0);
	const char *image = a->filename ? a->filename : a->path;
	if (f.n_shortcuts)
		ks_report_add_finding(r, KS_RULE_ISO_CONTAINS_SHORTCUT, loc, "%s holds %d %s: %s",
		                      image, f.n_shortcuts, f.n_shortcuts == 1 ? "shortcut" : "shortcuts",
		                      shortcuts->str);
	if (f.n_executables)
		ks_report_add_finding(r, KS_RULE_ISO_CONTAINS_EXECUTABLE, loc, "%s holds %d %s: %s",
		                      image, f.n_executables,
		                      f.n_executables == 1 ? "program or script" : "programs or scripts",
		                      executables->str);
}

/* ---- the analyzer --------------------------------------------------------- */

static void add_count(ks_attachment *a, const char *key, int64_t n)
{
	g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, n);
	ks_attachment_add_meta(a, key, s);
}

static void add_iso_meta(ks_attachment *a, const iso_info *iso)
{
	if (iso->label)
		ks_attachment_add_meta(a, "volume_label", iso->label);
	if (iso->joliet_label && g_strcmp0(iso->joliet_label, iso->label) != 0)
		ks_attachment_add_meta(a, "joliet_volume_label", iso->joliet_label);
	if (iso->joliet)
		ks_attachment_add_meta(a, "joliet", "true");
	if (iso->el_torito)
		ks_attachment_add_meta(a, "bootable", "El Torito");
	if (iso->udf && iso->iso9660)
		/* a bridge image: Windows mounts the UDF tree, which may differ */
		ks_attachment_add_meta(a, "udf", "bridge image; entries listed from the ISO 9660 tree");
}

static void report_listing(ks_report *r, ks_attachment *a, const char *loc, const listing *l)
{
	const char *name = a->filename ? a->filename : a->path;
	if (l->n_encrypted) {
		a->encrypted = true;
		/* a 7z or RAR is not decrypted here: a password in the body is
		 * named, not tried (zips are tried, attachments.c) */
		g_autoptr(GPtrArray) hints = ks_passwords_find(r->body_text);
		g_autofree char *told = ks_password_evidence(hints, NULL, false);
		ks_report_add_finding_sev(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE,
		                          *told ? KS_SEV_HIGH
		                                : ks_rule_severity(KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE),
		                          loc, "%s: %d encrypted %s: %s%s", name, l->n_encrypted,
		                          l->n_encrypted == 1 ? "entry" : "entries", l->encrypted->str, told);
	}
	if (l->error)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: listing stopped after %d %s: %s", name, l->listed,
		                      l->listed == 1 ? "entry" : "entries", l->error);
	if (l->n_unread)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc, "%s: %d %s not read in full: %s",
		                      name, l->n_unread, l->n_unread == 1 ? "entry" : "entries",
		                      l->unread->str);
	if (l->hit_list)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: more than %d entries; the rest are not listed", name,
		                      MAX_LISTED);
	if (l->hit_read)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: more than %d entries to read (the per-archive limit); the "
		                      "rest are listed unread",
		                      name, MAX_READ);
	if (l->hit_budget)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: the message's decompressed-bytes limit was reached; later "
		                      "entries are listed unread",
		                      name);
}

/* The files of the tree Windows shows: Joliet when there is one, else the
 * primary; NULL when the bytes are no ISO 9660 image. */
static const GPtrArray *iso_files(const iso_info *iso)
{
	if (!iso->iso9660 || !iso->files[0])
		return NULL;
	return iso->files[1]->len ? iso->files[1] : iso->files[0];
}

/* Lists the files of our own walk, each read from its extent
 * (ECMA-119 9.1.3, 9.1.4), within the same limits as libarchive's. */
static void list_iso_files(ks_part_walk *w, ks_attachment *a, ks_cursor *r, const iso_info *iso,
                           const GPtrArray *files, int depth, listing *l)
{
	int64_t *budget = ks_part_walk_budget(w);
	for (guint i = 0; i < files->len; i++) {
		const iso_file *f = g_ptr_array_index(files, i);
		g_autoptr(GBytes) data = NULL;
		g_autofree char *why = NULL;
		guint64 start = (guint64)f->extent * iso->block;
		l->listed++;
		if (l->read >= MAX_READ) {
			l->hit_read = true;
		} else if (*budget <= 0) {
			l->hit_budget = true;
		} else if (f->size > MIN(MAX_ENTRY_BYTES, *budget)) {
			why = g_strdup_printf("%u bytes, over the read limit; not read", f->size);
		} else if (!rd_bytes(r, start, f->size)) {
			r->failed = false;
			why = g_strdup("its extent lies outside the image; not read");
		} else {
			l->read++;
			/* a view into the attachment, which outlives its children's analysis */
			data = g_bytes_new_from_bytes(a->data, start, f->size);
			*budget -= f->size;
		}
		ks_attachment *child = ks_part_walk_add_child(w, a, f->path, NULL, data, f->size, depth);
		if (!child)
			break;
		const char *shown = child->filename ? child->filename : child->path;
		if (why) {
			ks_attachment_add_meta(child, "unread", why);
			g_autofree char *what = g_strdup_printf("%s (%s)", shown, why);
			ks_evidence_append_name(l->unread, l->n_unread++, what);
		}
		if (f->hidden || entry_hidden(f->path, iso)) {
			ks_attachment_add_meta(child, "hidden", "true");
			l->hidden++;
		}
		if (has_padding_run(f->path))
			l->padded++;
	}
}

/* A reader over the bytes; NULL only when libarchive has no memory.  When
 * *why is set on return, libarchive could not open them. */
static struct archive *open_reader(const guint8 *p, gsize len, bool iso_only, bool no_rockridge,
                                   const char **why)
{
	struct archive *ar = archive_read_new();
	if (!ar)
		return NULL;
	/* only the formats this analyzer is for: zip is attachments.c's, and
	 * mtree/shar/warc would bid on any text.  A disk image's zeroed system
	 * area also reads as an empty tar, so an ISO is offered to nothing else;
	 * its descriptors were found uncompressed, so no filter bids either. */
	archive_read_support_format_iso9660(ar);
	if (!iso_only) {
		archive_read_support_filter_all(ar);
		archive_read_support_format_7zip(ar);
		archive_read_support_format_rar(ar);
		archive_read_support_format_rar5(ar);
		archive_read_support_format_cab(ar);
		archive_read_support_format_tar(ar);
		archive_read_support_format_raw(ar); /* one compressed stream */
	}
	if (no_rockridge)
		archive_read_set_options(ar, "iso9660:!rockridge");
	if (archive_read_open_memory(ar, p, len) != ARCHIVE_OK) {
		const char *err = archive_error_string(ar);
		*why = err ? err : "not an archive libarchive reads";
	}
	return ar;
}

void ks_archives_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	kind k = classify(a);
	if (k == KIND_NONE)
		return;
	ks_report *r = ks_part_walk_report(w);
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	ks_cursor rd;
	ks_cursor_init(&rd, p, len);
	if (k == KIND_VHD) {
		ks_attachment_add_meta(a, "format", rd_match(&rd, 0, "vhdxfile", 8) ? "VHDX" : "VHD");
		ks_attachment_add_meta(a, "unreadable", "VHD is not read by libarchive; its files "
		                                        "are not listed");
		return;
	}
	iso_info iso = {0};
	bool iso_magic = rd_match(&rd, 16 * 2048 + 1, "CD001", 5) ||
	                 rd_match(&rd, 16 * 2048 + 1, "BEA01", 5);
	if (k == KIND_DISK || iso_magic) {
		iso_scan(&rd, &iso);
		add_iso_meta(a, &iso);
		if (iso.udf && !iso.iso9660) {
			ks_attachment_add_meta(a, "format", "UDF");
			ks_attachment_add_meta(a, "unreadable", "UDF is not read by libarchive; its files "
			                                        "are not listed");
			iso_info_clear(&iso);
			return;
		}
	}
	const char *why = NULL;
	if (iso.iso9660 && iso.volume_bytes > len) {
		g_autofree char *what = g_strdup_printf("%" G_GUINT64_FORMAT, iso.volume_bytes);
		ks_attachment_add_meta(a, "volume_bytes", what);
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: truncated: the volume descriptor declares %" G_GUINT64_FORMAT
		                      " bytes, the attachment has %" G_GSIZE_FORMAT,
		                      a->filename ? a->filename : a->path, iso.volume_bytes, len);
	}
	if (iso.bad_ce) {
		g_autofree char *what = g_strdup_printf("Rock Ridge ignored: %s", iso.bad_ce);
		ks_attachment_add_meta(a, "rock_ridge", what);
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc, "%s: %s; names read from "
		                      "Joliet or ISO 9660 instead",
		                      a->filename ? a->filename : a->path, what);
	}
	locale_t previous = utf8_enter();
	struct archive *ar = open_reader(p, len, iso.iso9660, iso.bad_ce != NULL, &why);
	utf8_leave(previous);
	if (!ar) {
		iso_info_clear(&iso);
		return;
	}
	g_autoptr(GString) encrypted = g_string_new(NULL);
	g_autoptr(GString) unread = g_string_new(NULL);
	listing l = {.encrypted = encrypted, .unread = unread};
	if (!why) {
		list_entries(w, a, ar, &rd, &iso, depth, &l);
		if (l.unrecognized)
			why = "not an archive libarchive reads";
	}
	const GPtrArray *own = iso_files(&iso);
	if (own && (why || (l.listed == 0 && !l.error && own->len > 0))) {
		/* libarchive's checks are stricter than Windows' mount: list the
		 * tree walked here, so the image's payload is still seen */
		g_autofree char *how = g_strdup_printf("ISO9660 (read by kensa; libarchive: %s)",
		                                       why ? why : "no entries");
		ks_attachment_add_meta(a, "format", how);
		list_iso_files(w, a, &rd, &iso, own, depth, &l);
		add_count(a, "entries", l.listed);
		if (l.hidden)
			add_count(a, "hidden_entries", l.hidden);
		if (l.padded)
			add_count(a, "padded_names", l.padded);
		report_listing(r, a, loc, &l);
		check_disk_payloads(r, a, loc);
	} else if (why) {
		const char *name = a->filename ? a->filename : a->path;
		ks_attachment_add_meta(a, "unreadable", why);
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc, "%s: %s", name, why);
	} else {
		bool raw = archive_format(ar) == ARCHIVE_FORMAT_RAW;
		const char *format = archive_format_name(ar);
		ks_attachment_add_meta(a, "format", raw ? archive_filter_name(ar, 0) : format);
		if (!raw && archive_filter_code(ar, 0) != ARCHIVE_FILTER_NONE)
			ks_attachment_add_meta(a, "compression", archive_filter_name(ar, 0));
		add_count(a, "entries", l.listed);
		if (l.hidden)
			add_count(a, "hidden_entries", l.hidden);
		if (l.padded)
			add_count(a, "padded_names", l.padded);
		/* 7z and RAR 5 can encrypt the header itself: nothing is listed */
		if (!l.n_encrypted && archive_read_has_encrypted_entries(ar) > 0) {
			l.n_encrypted = 1;
			g_string_append(encrypted, "the entry list itself");
			g_clear_pointer(&l.error, g_free); /* that is why listing stopped */
		}
		report_listing(r, a, loc, &l);
		if ((archive_format(ar) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ISO9660)
			check_disk_payloads(r, a, loc);
	}
	g_free(l.error);
	archive_read_free(ar);
	iso_info_clear(&iso);
}

const ks_payload_analyzer ks_archives_payload = {"archives", ks_archives_accepts, ks_archives_expand, false};
