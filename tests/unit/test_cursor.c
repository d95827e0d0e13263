/* Unit tests for analyzers/mail/cursor.c, the bounds-checked reader of the
 * hand-written parsers (lnk.c's binary structures, pdf.c's tokens and
 * dates, archives.c's ISO and gzip offsets): sticky failure past the end,
 * sub-cursors, NUL-terminated strings, the lexing reads that never mark a
 * failure, and offset reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mail/cursor.h"

#include <string.h>

static void little_endian_reads_and_sticky_failure(void **state)
{
	(void)state;
	static const guint8 b[] = {0x01, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12};
	ks_cursor c;
	ks_cursor_init(&c, b, sizeof b);
	guint8 u8 = 0;
	guint16 u16 = 0;
	guint32 u32 = 0;
	assert_true(ks_cursor_u8(&c, &u8));
	assert_int_equal(u8, 1);
	assert_true(ks_cursor_u16le(&c, &u16));
	assert_int_equal(u16, 0x1234);
	assert_int_equal(ks_cursor_remaining(&c), 4);
	/* 4 bytes left: a u64 fails, and so does everything after */
	guint64 u64 = 7;
	assert_false(ks_cursor_u64le(&c, &u64));
	assert_true(u64 == 0);
	assert_true(c.failed);
	assert_false(ks_cursor_u32le(&c, &u32));
	assert_int_equal(u32, 0);
	g_autoptr(GError) err = NULL;
	assert_false(ks_cursor_check(&c, "header", &err));
	assert_non_null(err);
	assert_non_null(strstr(err->message, "header"));
}

static void sub_cursors_and_strings(void **state)
{
	(void)state;
	static const guint8 b[] = {'a', 'b', 0, 'c', 0, 'd', 0, 0, 0, 'x'};
	ks_cursor c;
	ks_cursor_init(&c, b, sizeof b);
	ks_cursor head = ks_cursor_sub(&c, 3);
	const guint8 *s = NULL;
	gsize n = 0;
	assert_true(ks_cursor_strz(&head, 1, 10, &s, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(s, "ab", 2);
	/* a UTF-16LE "cd" after it, then one byte left */
	assert_true(ks_cursor_strz(&c, 2, 10, &s, &n));
	assert_int_equal(n, 4);
	assert_int_equal(ks_cursor_remaining(&c), 1);
	/* no terminator before the end: a failure */
	assert_false(ks_cursor_strz(&c, 1, 10, &s, &n));
	/* a sub-cursor longer than what is left fails both */
	ks_cursor d;
	ks_cursor_init(&d, b, 2);
	ks_cursor big = ks_cursor_sub(&d, 5);
	assert_true(big.failed);
	assert_true(d.failed);
}

static void lexing_reads_never_mark_the_cursor_failed(void **state)
{
	(void)state;
	static const guint8 text[] = "D:2024";
	ks_cursor c;
	ks_cursor_init(&c, text, 6);
	guint8 b = 0;
	assert_true(ks_cursor_peek(&c, &b));
	assert_int_equal(b, 'D');
	assert_int_equal(c.pos, 0);
	assert_false(ks_cursor_skip_byte(&c, 'X'));
	assert_true(ks_cursor_skip_byte(&c, 'D'));
	assert_true(ks_cursor_take(&c, &b));
	assert_int_equal(b, ':');
	int v = 0;
	/* four digits, then the end: the four are consumed, the read is
	 * false, and no failure is marked */
	assert_false(ks_cursor_digits(&c, 5, &v));
	assert_int_equal(c.pos, 6);
	assert_false(ks_cursor_take(&c, &b));
	assert_false(ks_cursor_peek(&c, &b));
	assert_false(c.failed);
	assert_true(ks_cursor_seek(&c, 2));
	assert_true(ks_cursor_digits(&c, 4, &v));
	assert_int_equal(v, 2024);
	assert_true(ks_cursor_check(&c, NULL, NULL));
}

static void offset_reads_stand_alone(void **state)
{
	(void)state;
	static const guint8 b[] = {'C', 'D', '0', '0', '1'};
	ks_cursor c;
	ks_cursor_init(&c, b, sizeof b);
	const guint8 *p = NULL;
	assert_true(ks_cursor_at(&c, 1, 4, &p));
	assert_memory_equal(p, "D001", 4);
	assert_int_equal(c.pos, 0);
	/* past the end: NULL and the mark, at the offset asked for */
	assert_false(ks_cursor_at(&c, 3, 4, &p));
	assert_null(p);
	assert_true(c.failed);
	assert_int_equal(c.failed_at, 3);
	assert_false(ks_cursor_at(&c, G_MAXUINT64, 1, &p));
	/* an offset in range still reads after that */
	assert_true(ks_cursor_at(&c, 0, 2, &p));
	assert_memory_equal(p, "CD", 2);
	assert_int_equal(c.failed_at, 3);
}

/* ks_memfind gives memmem's answer: at the start, at the very end, across
 * near misses, on small alphabets where candidates crowd, for needles of
 * every rank of byte */
static void memfind_is_memmem(void **state)
{
	(void)state;
	static const char hay[] = "xx\n--a\n-\n--b obj 12 0 obj %PDF-1.7 %%EOF";
	gsize len = sizeof hay - 1;
	static const char *const needles[] = {"\n--", "obj", "0 obj", "%PDF-", "%%EOF", "x", "xx\n",
	                                      "EOF", "F", "zz", "--b", "\n-\n"};
	for (size_t k = 0; k < G_N_ELEMENTS(needles); k++) {
		gsize n = strlen(needles[k]);
		assert_ptr_equal(ks_memfind(hay, len, needles[k], n), memmem(hay, len, needles[k], n));
		/* one byte short of a match at the end */
		assert_ptr_equal(ks_memfind(hay, len - 1, needles[k], n), memmem(hay, len - 1, needles[k], n));
	}
	assert_null(ks_memfind(hay, 2, "xxx", 3));
	assert_null(ks_memfind(hay, len, "x", 0));
	GRand *rng = g_rand_new_with_seed(12);
	for (int round = 0; round < 20000; round++) {
		guint8 buf[96], nd[6];
		gsize hl = (gsize)g_rand_int_range(rng, 0, sizeof buf + 1);
		gsize nl = (gsize)g_rand_int_range(rng, 1, sizeof nd + 1);
		static const guint8 alphabet[] = {'a', 'b', '\n', '-', 'O', '%', 0x00, 0xE3};
		gint32 width = g_rand_int_range(rng, 1, G_N_ELEMENTS(alphabet) + 1);
		for (gsize i = 0; i < hl; i++)
			buf[i] = alphabet[g_rand_int_range(rng, 0, width)];
		for (gsize i = 0; i < nl; i++)
			nd[i] = alphabet[g_rand_int_range(rng, 0, width)];
		const void *want = hl >= nl ? memmem(buf, hl, nd, nl) : NULL;
		assert_ptr_equal(ks_memfind(buf, hl, nd, nl), want);
	}
	g_rand_free(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(little_endian_reads_and_sticky_failure),
		cmocka_unit_test(sub_cursors_and_strings),
		cmocka_unit_test(lexing_reads_never_mark_the_cursor_failed),
		cmocka_unit_test(offset_reads_stand_alone),
		cmocka_unit_test(memfind_is_memmem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
