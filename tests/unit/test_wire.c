/* Unit tests for analyzers/core/wire.c: a frame sent over a socket comes back
 * the same (attachment trees with their blobs, times with their offsets,
 * addresses), and what a helper could send to do harm is refused or made
 * safe: a damaged frame, an oversized one, control characters in strings,
 * digests that are not hex, trees nested without end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/wire.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sends w through a socket pair and reads it back into in. */
static bool roundtrip(const ks_wire_out *w, gsize max, ks_wire_in *in)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* small frames fit the socket's buffer: one thread is enough */
	assert_true(ks_wire_send(sv[0], w));
	close(sv[0]);
	bool ok = ks_wire_recv(sv[1], max, g_get_monotonic_time() + 5 * G_USEC_PER_SEC, in, NULL);
	close(sv[1]);
	return ok;
}

static void attachment_tree_comes_back_the_same(void **state)
{
	(void)state;
	ks_attachment *top = ks_attachment_new("2");
	top->filename = g_strdup("invoice.zip");
	top->declared_type = g_strdup("application/zip");
	top->detected_type = g_strdup("application/zip");
	top->size = 1234;
	memset(top->sha256, 'a', 64);
	memset(top->md5, 'b', 32);
	ks_attachment_add_meta(top, "entries", "1");
	ks_attachment *kid = ks_attachment_new("2/1");
	kid->filename = g_strdup("run.lnk");
	kid->encrypted = true;
	kid->data = g_bytes_new_static("LNKDATA", 7);
	g_ptr_array_add(top->children, kid);
	g_autoptr(GDateTime) t = g_date_time_new_from_iso8601("2024-12-11T09:12:40+09:00", NULL);

	ks_wire_out w;
	ks_wire_out_init(&w);
	ks_wire_put_attachment(&w, top, false);
	ks_wire_put_time(&w, t);
	ks_wire_put_str(&w, NULL);
	ks_wire_in in;
	assert_true(roundtrip(&w, 1 << 20, &in));
	ks_wire_out_clear(&w);

	ks_attachment *back = ks_wire_get_attachment(&in, 10);
	assert_non_null(back);
	assert_string_equal(back->path, "2");
	assert_string_equal(back->filename, "invoice.zip");
	assert_int_equal(back->size, 1234);
	assert_string_equal(back->sha256, top->sha256);
	assert_string_equal(back->md5, top->md5);
	assert_null(back->data); /* the top node's bytes stay with the caller */
	assert_string_equal(ks_attachment_get_meta(back, "entries"), "1");
	assert_int_equal(back->children->len, 1);
	ks_attachment *k2 = g_ptr_array_index(back->children, 0);
	assert_true(k2->encrypted);
	assert_int_equal(g_bytes_get_size(k2->data), 7);
	assert_memory_equal(g_bytes_get_data(k2->data, NULL), "LNKDATA", 7);
	GDateTime *t2 = NULL;
	assert_true(ks_wire_get_time(&in, &t2));
	assert_true(g_date_time_equal(t, t2));
	assert_int_equal(g_date_time_get_utc_offset(t2), 9 * G_TIME_SPAN_HOUR);
	char *none = (char *)"x";
	assert_true(ks_wire_get_str(&in, &none));
	assert_null(none);
	/* past the end: refused, not read */
	guint32 more = 0;
	assert_false(ks_wire_get_u32(&in, &more));
	g_date_time_unref(t2);
	ks_attachment_free(back);
	ks_attachment_free(top);
	ks_wire_in_clear(&in);
}

static void strings_from_a_helper_are_sanitized_and_digests_checked(void **state)
{
	(void)state;
	ks_wire_out w;
	ks_wire_out_init(&w);
	ks_wire_put_str(&w, "2");
	ks_wire_put_str(&w, "evil\x1b[2J\xe2\x80\xaename.txt");
	ks_wire_put_str(&w, NULL);
	ks_wire_put_str(&w, NULL);
	ks_wire_put_i64(&w, 1);
	ks_wire_put_str(&w, "not hex at all, but sixty-four characters long, padded out here!");
	ks_wire_put_str(&w, NULL);
	ks_wire_put_u32(&w, 0);
	ks_wire_put_u32(&w, 0);
	ks_wire_put_bytes(&w, NULL);
	ks_wire_put_u32(&w, 0);
	ks_wire_in in;
	assert_true(roundtrip(&w, 1 << 20, &in));
	ks_wire_out_clear(&w);
	ks_attachment *a = ks_wire_get_attachment(&in, 10);
	assert_non_null(a);
	assert_null(strchr(a->filename, '\x1b'));
	assert_null(strstr(a->filename, "\xe2\x80\xae"));
	assert_string_equal(a->sha256, "");
	ks_attachment_free(a);
	ks_wire_in_clear(&in);
}

static void damaged_and_oversized_frames_are_refused(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[0], "NOPE-not-a-frame", 16), 16);
	close(sv[0]);
	ks_wire_in in;
	GError *err = NULL;
	assert_false(ks_wire_recv(sv[1], 1 << 20, 0, &in, &err));
	assert_non_null(err);
	g_clear_error(&err);
	ks_wire_in_clear(&in);
	close(sv[1]);

	ks_wire_out w;
	ks_wire_out_init(&w);
	g_autoptr(GBytes) big = g_bytes_new_take(g_malloc0(4096), 4096);
	ks_wire_put_bytes(&w, big);
	assert_false(roundtrip(&w, 1024, &in));
	ks_wire_in_clear(&in);
	ks_wire_out_clear(&w);
}

static void a_tree_nested_without_end_is_refused(void **state)
{
	(void)state;
	/* each node has one child: deeper than the reader follows */
	ks_wire_out w;
	ks_wire_out_init(&w);
	for (int i = 0; i < 200; i++) {
		ks_wire_put_str(&w, "1");
		for (int f = 0; f < 3; f++)
			ks_wire_put_str(&w, NULL);
		ks_wire_put_i64(&w, 0);
		ks_wire_put_str(&w, NULL);
		ks_wire_put_str(&w, NULL);
		ks_wire_put_u32(&w, 0);
		ks_wire_put_u32(&w, 0);
		ks_wire_put_bytes(&w, NULL);
		ks_wire_put_u32(&w, 1);
	}
	ks_wire_in in;
	assert_true(roundtrip(&w, 1 << 20, &in));
	ks_wire_out_clear(&w);
	assert_null(ks_wire_get_attachment(&in, 100000));
	ks_wire_in_clear(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attachment_tree_comes_back_the_same),
		cmocka_unit_test(strings_from_a_helper_are_sanitized_and_digests_checked),
		cmocka_unit_test(damaged_and_oversized_frames_are_refused),
		cmocka_unit_test(a_tree_nested_without_end_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
