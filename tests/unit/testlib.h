/* Helpers shared by the unit tests (tests/unit/test_*.c): hand-built
 * messages with parts, running the attachment walk over one attachment,
 * looking up findings, IOCs and metadata in a report, and reading files
 * (fixtures and ../shared/corpora).  Header-only: each test is built on its
 * own, so everything here is static inline.  Include after cmocka.h. */
#ifndef KENSA_TESTLIB_H
#define KENSA_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/analyze.h"
#include "payloads/attachments.h"

#include <string.h>
#include <zip.h>

/* ---- messages built by hand ---- */

/* An empty message (no headers, no parts, an empty raw text), freed with
 * msg_free: ks_message_new's, so parts added by hand are freed like the
 * parser's. */
static inline ks_message *msg_new(void)
{
	return ks_message_new(NULL, 0);
}

static inline void msg_free(ks_message *m)
{
	ks_message_free(m);
}

/* Adds a part; data is copied.  Returns it for further setting. */
static inline ks_mime_part *add_part(ks_message *m, const char *path, const char *type,
                                     const char *filename, const void *data, gsize len)
{
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup(path);
	p->content_type = g_strdup(type);
	p->filename = g_strdup(filename);
	p->data = g_bytes_new(data, len);
	g_ptr_array_add(m->parts, p);
	return p;
}

static inline ks_mime_part *add_bytes(ks_message *m, const char *path, const char *type,
                                      const char *filename, GBytes *data)
{
	gsize len = 0;
	const void *p = g_bytes_get_data(data, &len);
	return add_part(m, path, type, filename, p, len);
}

/* A message whose only part "2" is an attachment holding (a reference to)
 * data. */
static inline ks_message *msg_with_attachment(const char *type, const char *filename,
                                              GBytes *data)
{
	ks_message *m = msg_new();
	ks_mime_part *p = g_new0(ks_mime_part, 1);
	p->path = g_strdup("2");
	p->content_type = g_strdup(type);
	p->filename = g_strdup(filename);
	p->data = g_bytes_ref(data);
	g_ptr_array_add(m->parts, p);
	return m;
}

/* The report of the attachment walk over msg_with_attachment(). */
static inline ks_report *analyze_attachment(const char *type, const char *filename,
                                            GBytes *data, ks_context *ctx)
{
	ks_message *m = msg_with_attachment(type, filename, data);
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, ctx, r, ks_analyze_message);
	msg_free(m);
	return r;
}

/* ---- payloads ---- */

/* A DOS header whose e_lfanew (0x3C) points at "PE\0\0" with an i386
 * machine field (PE/COFF specification 3.2, 3.3): enough for libmagic. */
static inline GBytes *pe_bytes(void)
{
	guint8 *pe = g_malloc0(512);
	pe[0] = 'M';
	pe[1] = 'Z';
	pe[0x3c] = 0x80;
	memcpy(pe + 0x80, "PE\0\0", 4);
	pe[0x84] = 0x4c;
	pe[0x85] = 0x01;
	return g_bytes_new_take(pe, 512);
}

/* ---- looking things up in a report ---- */

/* The first finding of that rule, or NULL. */
static inline const ks_finding *find_rule(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule)
			return f;
	}
	return NULL;
}

/* The finding of that rule, or NULL; fails when there are two. */
static inline const ks_finding *sole_finding(const ks_report *r, ks_rule rule)
{
	const ks_finding *found = NULL;
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule != rule)
			continue;
		assert_null(found); /* one finding per rule and message */
		found = f;
	}
	return found;
}

static inline int count_rule(const ks_report *r, ks_rule rule)
{
	int n = 0;
	for (guint i = 0; i < r->findings->len; i++)
		if (((const ks_finding *)g_ptr_array_index(r->findings, i))->rule == rule)
			n++;
	return n;
}

static inline bool has_ioc(const ks_report *r, ks_ioc_kind kind, const char *value)
{
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *ioc = g_ptr_array_index(r->iocs, i);
		if (ioc->kind == kind && strcmp(ioc->value, value) == 0)
			return true;
	}
	return false;
}

static inline ks_attachment *child(const ks_attachment *a, guint i)
{
	assert_true(i < a->children->len);
	return g_ptr_array_index(a->children, i);
}

static inline void assert_meta(const ks_attachment *a, const char *key, const char *want)
{
	const char *got = ks_attachment_get_meta(a, key);
	if (!got || strcmp(got, want) != 0)
		fail_msg("metadata %s: want \"%s\", got \"%s\"", key, want, got ? got : "(none)");
}

static inline void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("\"%s\" not found in \"%s\"", needle, haystack ? haystack : "(null)");
}

/* ---- files ---- */

/* The whole file, or the test fails. */
static inline GBytes *read_bytes(const char *path)
{
	char *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(path, &data, &len, &err))
		fail_msg("cannot read %s: %s", path, err->message);
	return g_bytes_new_take(data, len);
}

/* A zip archive built in memory from n members, each a name and its bytes
 * (libzip; stored as libzip chooses, deflated). */
typedef struct {
	const char *name;
	const void *data;
	gsize len;
} zip_member_spec;

static inline GBytes *zip_build(const zip_member_spec *members, int n)
{
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &zerr);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	for (int i = 0; i < n; i++) {
		zip_source_t *m = zip_source_buffer(za, members[i].data, members[i].len, 0);
		assert_true(zip_file_add(za, members[i].name, m, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	zip_stat_t st;
	assert_int_equal(zip_source_stat(src, &st), 0);
	assert_int_equal(zip_source_open(src), 0);
	guint8 *buf = g_malloc(st.size);
	assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&zerr);
	return g_bytes_new_take(buf, st.size);
}

/* The shared real-world files (../shared/corpora/README.md): the first of
 * $KENSA_CORPORA, ../shared/corpora, /work/shared/corpora that is a
 * directory, or NULL (tests using them skip). */
static inline const char *corpora_root(void)
{
	const char *dirs[] = {g_getenv("KENSA_CORPORA"), "../shared/corpora", "/work/shared/corpora"};
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++)
		if (dirs[i] && g_file_test(dirs[i], G_FILE_TEST_IS_DIR))
			return dirs[i];
	return NULL;
}

/* dir/name (name may be NULL) under the first of the corpora roots that
 * has it, newly allocated, or NULL. */
static inline char *corpus_path(const char *dir, const char *name)
{
	const char *dirs[] = {g_getenv("KENSA_CORPORA"), "../shared/corpora", "/work/shared/corpora"};
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		if (!dirs[i])
			continue;
		char *path = g_build_filename(dirs[i], dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return path;
		g_free(path);
	}
	return NULL;
}

#endif
