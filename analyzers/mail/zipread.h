/* ZIP archives read from memory through libzip: the entries' names, sizes,
 * encryption, and the bytes of those worth reading, always within limits.
 * What the entries mean (rules, hashes, nesting) is attachments.c's job. */
#ifndef KS_ZIPREAD_H
#define KS_ZIPREAD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Limits (DESIGN.md "every parser has limits"); each is reported when hit.
 * A zip bomb (42.zip: 4.5 PB from 42 KB) must cost neither memory nor time:
 * sizes are checked from the central directory before reading, and reads
 * stop at the declared size. */
#define KS_ZIP_MAX_ENTRIES 10000                    /* entries listed per archive */
#define KS_ZIP_MAX_READ 1000                        /* entries decompressed per archive */
#define KS_ZIP_MAX_ENTRY_BYTES ((int64_t)64 << 20)  /* decompressed bytes per entry */

typedef struct {
	char *name;          /* UTF-8, unsanitized; the path inside the archive */
	const char *name_encoding; /* "cp932" when re-decoded from raw bytes, else NULL */
	int64_t size;        /* uncompressed size from the central directory, -1 unknown */
	bool encrypted;
	GBytes *data;        /* decompressed bytes, NULL when not read */
	char *problem;       /* why a readable entry was not read, or NULL */
	bool over_limit;     /* not read because of a size limit */
	bool foreign;        /* in an OOXML package, a member the caller's keep
	                      * function wanted read all the same */
} ks_zip_entry;

typedef struct {
	GPtrArray *entries;    /* ks_zip_entry*, directory entries left out */
	int64_t total_entries; /* as the central directory counts them */
	char *comment;         /* archive comment (UTF-8, unsanitized) or NULL */
	bool ooxml;            /* has [Content_Types].xml (ECMA-376 Part 2, 10.1.2.4) */
	bool hit_entry_limit;  /* more than KS_ZIP_MAX_ENTRIES */
	bool hit_read_limit;   /* more than KS_ZIP_MAX_READ readable entries */
	bool hit_budget;       /* the caller's decompressed-bytes budget ran out */
} ks_zip;

#define KS_ZIP_ERROR ks_zip_error_quark()
GQuark ks_zip_error_quark(void);

/* True when the bytes start with a ZIP local file header or an empty
 * archive's end record (APPNOTE.TXT 4.3.7, 4.3.16). */
bool ks_zip_sniff(const void *data, gsize len);

/* Opens a zip held in memory and lists it.  Entries are read only when
 * read_entries is true and the archive is not OOXML; *budget is the number
 * of decompressed bytes still allowed and is decreased by what is read.
 * NULL when libzip cannot open the bytes (error set to libzip's reason). */
ks_zip *ks_zip_read(GBytes *data, bool read_entries, int64_t *budget, GError **error);

/* Says whether an OOXML package's member (by its UTF-8 name) is to be read
 * and listed as if the package were a plain zip. */
typedef bool (*ks_zip_keep_fn)(const char *name);

/* ks_zip_read, except that in an OOXML package the members keep() accepts
 * are marked foreign and, when read_entries is true, read like a plain
 * zip's: a "package" whose [Content_Types].xml hides a shortcut from
 * analysers that look only at document parts still shows it in Explorer. */
ks_zip *ks_zip_read_keep(GBytes *data, bool read_entries, ks_zip_keep_fn keep, int64_t *budget,
                         GError **error);
/* ks_zip_read_keep, reading encrypted entries too with password (traditional
 * PKWARE or WinZip AES); an entry the password does not open gets a problem. */
ks_zip *ks_zip_read_password(GBytes *data, bool read_entries, ks_zip_keep_fn keep,
                             const char *password, int64_t *budget, GError **error);
/* True when password opens the archive's first encrypted entry (its check
 * value, and the first 64 KiB decrypted and inflated without error). */
bool ks_zip_password_opens(GBytes *data, const char *password);
void ks_zip_free(ks_zip *z);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_zip, ks_zip_free)

#endif
