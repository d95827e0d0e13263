/* Mailbox readers: mbox splitting with mboxrd unquoting, one-file mode that
 * never splits, Maildir walking, and mboxes inside a directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mail/mbox.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *write_temp(const char *dir, const char *name, const char *text)
{
	char *p = g_build_filename(dir, name, NULL);
	assert_true(g_file_set_contents(p, text, -1, NULL));
	return p;
}

static GPtrArray *read_all(const char *path)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ks_mailbox *mb = ks_mailbox_open(path, NULL);
	assert_non_null(mb);
	GBytes *b;
	char *where = NULL;
	while ((b = ks_mailbox_next(mb, &where))) {
		g_ptr_array_add(out, b);
		g_free(where);
	}
	ks_mailbox_close(mb);
	return out;
}

static const char *text_of(GPtrArray *msgs, guint i)
{
	return g_bytes_get_data(g_ptr_array_index(msgs, i), NULL);
}

static void mbox_splits_on_from_lines_after_a_blank_line(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("kensa-mbox-XXXXXX", NULL);
	g_autofree char *p = write_temp(dir, "box",
	                                "From a@x Mon Jan  1 00:00:00 2024\nFrom: a@x\n\none\n"
	                                "From here on, body text\n\n"
	                                "From b@x Mon Jan  1 00:00:00 2024\nFrom: b@x\n\ntwo\n");
	assert_true(ks_path_is_mbox(p));
	g_autoptr(GPtrArray) msgs = read_all(p);
	assert_int_equal(msgs->len, 2);
	/* "From here" is not after a blank line: it stays in message one */
	assert_non_null(g_strstr_len(text_of(msgs, 0), g_bytes_get_size(msgs->pdata[0]), "From here on"));
	assert_non_null(g_strstr_len(text_of(msgs, 1), g_bytes_get_size(msgs->pdata[1]), "two"));
	g_unlink(p);
	g_rmdir(dir);
}

static void mboxrd_quoted_from_loses_one_bracket(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("kensa-mbox-XXXXXX", NULL);
	g_autofree char *p = write_temp(dir, "box",
	                                "From a@x Mon Jan  1 00:00:00 2024\nFrom: a@x\n\n"
	                                ">From the start\n>>From deeper\n");
	g_autoptr(GPtrArray) msgs = read_all(p);
	assert_int_equal(msgs->len, 1);
	g_autofree char *t = g_strndup(text_of(msgs, 0), g_bytes_get_size(msgs->pdata[0]));
	assert_non_null(strstr(t, "\nFrom the start\n"));
	assert_non_null(strstr(t, "\n>From deeper\n"));
	g_unlink(p);
	g_rmdir(dir);
}

static void single_eml_is_never_split(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("kensa-mbox-XXXXXX", NULL);
	g_autofree char *p = write_temp(dir, "one.eml", "From: a@x\n\nline\n\nFrom b said hi\n");
	assert_false(ks_path_is_mbox(p));
	g_autoptr(GPtrArray) msgs = read_all(p);
	assert_int_equal(msgs->len, 1);
	g_unlink(p);
	g_rmdir(dir);
}

static void maildir_reads_cur_and_new_not_tmp(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("kensa-maildir-XXXXXX", NULL);
	const char *subs[] = {"cur", "new", "tmp"};
	for (int i = 0; i < 3; i++) {
		g_autofree char *d = g_build_filename(dir, subs[i], NULL);
		g_mkdir(d, 0700);
		g_autofree char *f = g_build_filename(d, "1.host", NULL);
		g_file_set_contents(f, "From: a@x\n\nb\n", -1, NULL);
	}
	g_autoptr(GPtrArray) msgs = read_all(dir);
	assert_int_equal(msgs->len, 2);
	for (int i = 0; i < 3; i++) {
		g_autofree char *f = g_build_filename(dir, subs[i], "1.host", NULL);
		g_autofree char *d = g_build_filename(dir, subs[i], NULL);
		g_unlink(f);
		g_rmdir(d);
	}
	g_rmdir(dir);
}

/* An mbox inside a directory gives each of its messages, named FILE:N, and
 * is counted message by message; a file beside it is one message, even
 * with a "From " line in its body, and so is an .eml that starts like an
 * mbox. */
static void mbox_inside_a_directory_gives_each_message(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("kensa-dir-XXXXXX", NULL);
	g_autofree char *a = write_temp(dir, "a.eml", "From: a@x\n\none\n\nFrom b said hi\n");
	g_autofree char *box = write_temp(dir, "b.mbox",
	                                  "From a@x Mon Jan  1 00:00:00 2024\nFrom: a@x\n\ntwo\n\n"
	                                  "From b@x Mon Jan  1 00:00:00 2024\nFrom: b@x\n\nthree\n");
	/* a saved .eml with an envelope line is one message, whatever its body holds */
	g_autofree char *c = write_temp(dir, "c.eml",
	                                "From c@x Mon Jan  1 00:00:00 2024\nFrom: c@x\n\nfour\n\n"
	                                "From the desk of c\n");
	ks_mailbox *mb = ks_mailbox_open(dir, NULL);
	assert_non_null(mb);
	const char *want_where[] = {"a.eml", "b.mbox:1", "b.mbox:2", "c.eml"};
	const char *want_format[] = {"eml", "mbox", "mbox", "eml"};
	const char *want_text[] = {"one", "two", "three", "four"};
	GBytes *b;
	char *where = NULL;
	int n = 0;
	while ((b = ks_mailbox_next(mb, &where))) {
		assert_true(n < 4);
		g_autofree char *want = g_build_filename(dir, want_where[n], NULL);
		assert_string_equal(where, want);
		assert_string_equal(ks_mailbox_format(mb), want_format[n]);
		assert_int_equal(ks_mailbox_index(mb), n + 1);
		g_autofree char *t = g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b));
		assert_non_null(strstr(t, want_text[n]));
		g_bytes_unref(b);
		g_free(where);
		n++;
	}
	assert_int_equal(n, 4);
	guint64 done = 0, total = 0;
	ks_mailbox_progress(mb, &done, &total);
	assert_true(done == total);
	ks_mailbox_close(mb);
	g_unlink(a);
	g_unlink(box);
	g_unlink(c);
	g_rmdir(dir);
}

/* An entry that cannot be read is named with the reason, not skipped: a
 * broken link gives empty bytes and a problem, then the next entry reads. */
static void unreadable_entry_is_named_not_skipped(void **state)
{
	(void)state;
	g_autofree char *dir = g_dir_make_tmp("kensa-unread-XXXXXX", NULL);
	g_autofree char *link = g_build_filename(dir, "a-broken.eml", NULL);
	assert_int_equal(symlink("/nonexistent/kensa-test", link), 0);
	g_autofree char *b = write_temp(dir, "b.eml", "From: b@x\n\nbody\n");
	ks_mailbox *mb = ks_mailbox_open(dir, NULL);
	char *where = NULL;
	GBytes *first = ks_mailbox_next(mb, &where);
	assert_non_null(first);
	assert_int_equal(g_bytes_get_size(first), 0);
	assert_string_equal(where, link);
	assert_string_equal(ks_mailbox_problem(mb), "cannot read: a broken link");
	g_bytes_unref(first);
	g_free(where);
	GBytes *second = ks_mailbox_next(mb, &where);
	assert_non_null(second);
	assert_null(ks_mailbox_problem(mb));
	assert_string_equal(where, b);
	assert_int_equal(ks_mailbox_index(mb), 2);
	g_bytes_unref(second);
	g_free(where);
	assert_null(ks_mailbox_next(mb, NULL));
	ks_mailbox_close(mb);
	g_unlink(link);
	g_unlink(b);
	g_rmdir(dir);
}

static void missing_path_is_an_error(void **state)
{
	(void)state;
	GError *err = NULL;
	assert_null(ks_mailbox_open("/nonexistent/kensa/box", &err));
	assert_non_null(err);
	g_error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mbox_splits_on_from_lines_after_a_blank_line),
		cmocka_unit_test(mboxrd_quoted_from_loses_one_bracket),
		cmocka_unit_test(single_eml_is_never_split),
		cmocka_unit_test(maildir_reads_cur_and_new_not_tmp),
		cmocka_unit_test(mbox_inside_a_directory_gives_each_message),
		cmocka_unit_test(unreadable_entry_is_named_not_skipped),
		cmocka_unit_test(missing_path_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
