/* ZIP reading through libzip, from memory only: list the entries, decode
 * their names, note encryption, and decompress the readable ones within the
 * limits in zipread.h.  Nothing here knows about findings or the report;
 * attachments.c turns a ks_zip into attachment nodes and rules. */
#include "mail/zipread.h"

#include <string.h>
#include <zip.h>

G_DEFINE_QUARK(ks-zip-error-quark, ks_zip_error)

/* read in slices so that a lying size field never makes us allocate it */
#define READ_CHUNK (64 * 1024)

bool ks_zip_sniff(const void *data, gsize len)
{
	return data && len >= 4 &&
	       (memcmp(data, "PK\x03\x04", 4) == 0 || memcmp(data, "PK\x05\x06", 4) == 0);
}

static void entry_free(ks_zip_entry *e)
{
	if (!e)
		return;
	g_free(e->name);
	if (e->data)
		g_bytes_unref(e->data);
	g_free(e->problem);
	g_free(e);
}

void ks_zip_free(ks_zip *z)
{
	if (!z)
		return;
	g_ptr_array_unref(z->entries);
	g_free(z->comment);
	g_free(z);
}

/* libzip decodes names without the UTF-8 flag (APPNOTE.TXT 4.4.4 bit 11) as
 * CP437, as the spec says; but zips made by Windows' Explorer on Japanese
 * systems store CP932.  When the raw bytes are not UTF-8 and are valid CP932,
 * CP932 is the better guess for the mail kensa is built for. */
static char *entry_name(zip_t *za, zip_uint64_t i, const char **encoding)
{
	*encoding = NULL;
	const char *guess = zip_get_name(za, i, ZIP_FL_ENC_GUESS);
	if (!guess)
		return NULL;
	const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
	if (raw && strcmp(raw, guess) != 0 && !g_utf8_validate(raw, -1, NULL)) {
		char *sjis = g_convert(raw, -1, "UTF-8", "CP932", NULL, NULL, NULL);
		if (sjis) {
			*encoding = "cp932";
			return sjis;
		}
	}
	return g_strdup(guess);
}

/* Reads at most cap bytes of entry i.  When the declared size is known and
 * reached, one more byte is asked for: libzip verifies the CRC at the end,
 * and a stream longer than declared is a lie worth reporting. */
static GBytes *read_entry(zip_t *za, zip_uint64_t i, int64_t declared, int64_t cap, ks_zip_entry *e)
{
	zip_file_t *zf = zip_fopen_index(za, i, 0);
	if (!zf) {
		e->problem = g_strdup(zip_strerror(za));
		return NULL;
	}
	g_autoptr(GByteArray) buf = g_byte_array_new();
	g_autofree guint8 *chunk = g_malloc(READ_CHUNK);
	bool failed = false;
	while ((int64_t)buf->len < cap) {
		int64_t want = MIN((int64_t)READ_CHUNK, cap - (int64_t)buf->len);
		zip_int64_t n = zip_fread(zf, chunk, (zip_uint64_t)want);
		if (n < 0) {
			failed = true;
			break;
		}
		if (n == 0)
			break;
		g_byte_array_append(buf, chunk, (guint)n);
	}
	if (!failed && (int64_t)buf->len == cap) {
		zip_int64_t n = zip_fread(zf, chunk, 1);
		if (n < 0) {
			failed = true;
		} else if (n > 0 && declared >= 0 && cap == declared) {
			e->problem = g_strdup_printf("holds more data than the %" G_GINT64_FORMAT
			                             " bytes it declares; read up to that", declared);
		} else if (n > 0) {
			e->problem = g_strdup_printf("larger than the %d MiB per-entry limit; not read",
			                             (int)(KS_ZIP_MAX_ENTRY_BYTES >> 20));
			e->over_limit = true;
			zip_fclose(zf);
			return NULL;
		}
	}
	if (failed) {
		e->problem = g_strdup(zip_file_strerror(zf));
		zip_fclose(zf);
		return NULL;
	}
	zip_fclose(zf);
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

static void read_one(zip_t *za, zip_uint64_t i, ks_zip *z, ks_zip_entry *e, int64_t *budget)
{
	int64_t cap = e->size >= 0 ? MIN(e->size, KS_ZIP_MAX_ENTRY_BYTES) : KS_ZIP_MAX_ENTRY_BYTES;
	if (e->size > KS_ZIP_MAX_ENTRY_BYTES) {
		e->problem = g_strdup_printf("declares %" G_GINT64_FORMAT " bytes, over the %d MiB "
		                             "per-entry limit; not read", e->size,
		                             (int)(KS_ZIP_MAX_ENTRY_BYTES >> 20));
		e->over_limit = true;
		return;
	}
	if (cap > *budget) {
		e->problem = g_strdup("over the decompressed-bytes limit for the message; not read");
		e->over_limit = true;
		z->hit_budget = true;
		return;
	}
	e->data = read_entry(za, i, e->size, cap, e);
	if (e->data)
		*budget -= (int64_t)g_bytes_get_size(e->data);
}

ks_zip *ks_zip_read(GBytes *data, bool read_entries, int64_t *budget, GError **error)
{
	return ks_zip_read_keep(data, read_entries, NULL, budget, error);
}

static zip_t *zip_open_bytes(GBytes *data, GError **error)
{
	gsize len = 0;
	const void *bytes = g_bytes_get_data(data, &len);
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(len ? bytes : "", len, 0, &zerr);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (!za) {
		g_set_error(error, KS_ZIP_ERROR, 1, "%s", zip_error_strerror(&zerr));
		zip_source_free(src);
	}
	zip_error_fini(&zerr);
	return za;
}

/* Bytes of an encrypted entry read to tell a right password from a wrong
 * one: the traditional PKWARE check byte passes one wrong password in 256
 * (APPNOTE.TXT 6.1.6), WinZip AES's verifier one in 65,536; inflating
 * what a wrong key decrypts fails within the first blocks. */
#define PASSWORD_PROBE (64 * 1024)

bool ks_zip_password_opens(GBytes *data, const char *password)
{
	if (!data || !password)
		return false;
	zip_t *za = zip_open_bytes(data, NULL);
	if (!za)
		return false;
	bool opens = false;
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && i < KS_ZIP_MAX_ENTRIES; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
		    !(st.valid & ZIP_STAT_ENCRYPTION_METHOD) || st.encryption_method == ZIP_EM_NONE)
			continue;
		zip_file_t *zf = zip_fopen_index_encrypted(za, (zip_uint64_t)i, 0, password);
		if (!zf)
			break;
		g_autofree guint8 *buf = g_malloc(READ_CHUNK);
		zip_int64_t got = 0, r = 0;
		while (got < PASSWORD_PROBE && (r = zip_fread(zf, buf, READ_CHUNK)) > 0)
			got += r;
		/* a read to the end checked the CRC as well */
		opens = r >= 0 && (got > 0 || st.size == 0);
		zip_fclose(zf);
		break;
	}
	zip_discard(za);
	return opens;
}

ks_zip *ks_zip_read_keep(GBytes *data, bool read_entries, ks_zip_keep_fn keep, int64_t *budget,
                         GError **error)
{
	return ks_zip_read_password(data, read_entries, keep, NULL, budget, error);
}

ks_zip *ks_zip_read_password(GBytes *data, bool read_entries, ks_zip_keep_fn keep,
                             const char *password, int64_t *budget, GError **error)
{
	zip_t *za = zip_open_bytes(data, error);
	if (!za)
		return NULL;
	if (password)
		zip_set_default_password(za, password);

	ks_zip *z = g_new0(ks_zip, 1);
	z->entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
	zip_int64_t n = zip_get_num_entries(za, 0);
	z->total_entries = n > 0 ? n : 0;
	int comment_len = 0;
	const char *comment = zip_get_archive_comment(za, &comment_len, ZIP_FL_ENC_GUESS);
	if (comment && comment_len > 0)
		z->comment = g_strndup(comment, (gsize)comment_len);
	/* ECMA-376 Part 2 (OPC) 10.1.2.4: every package has this part */
	z->ooxml = zip_name_locate(za, "[Content_Types].xml", ZIP_FL_NOCASE) >= 0;
	if (z->total_entries > KS_ZIP_MAX_ENTRIES)
		z->hit_entry_limit = true;

	int reads = 0;
	zip_uint64_t listed = (zip_uint64_t)MIN(z->total_entries, (int64_t)KS_ZIP_MAX_ENTRIES);
	for (zip_uint64_t i = 0; i < listed; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(za, i, 0, &st) != 0)
			continue;
		const char *encoding = NULL;
		g_autofree char *name = entry_name(za, i, &encoding);
		if (!name || (*name && name[strlen(name) - 1] == '/'))
			continue; /* directory entries carry nothing */
		ks_zip_entry *e = g_new0(ks_zip_entry, 1);
		e->name = g_steal_pointer(&name);
		e->name_encoding = encoding;
		e->size = (st.valid & ZIP_STAT_SIZE) && st.size <= (zip_uint64_t)G_MAXINT64
		                  ? (int64_t)st.size
		                  : -1;
		e->encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		               st.encryption_method != ZIP_EM_NONE;
		e->foreign = z->ooxml && keep && keep(e->name);
		g_ptr_array_add(z->entries, e);
		if (!read_entries || (z->ooxml && !e->foreign) || (e->encrypted && !password))
			continue;
		if (reads >= KS_ZIP_MAX_READ) {
			z->hit_read_limit = true;
			continue;
		}
		reads++;
		read_one(za, i, z, e, budget);
	}
	zip_discard(za); /* read-only: discards nothing, frees the handle and source */
	return z;
}
