/* Unit tests for analyzers/mail/prescan.c and its use in message.c: the caps on
 * parts, nesting, header fields and header bytes are counted before GMime
 * builds anything, what is beyond them never reaches GMime, and each cap
 * hit is one input.malformed line with its figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mail/message.h"
#include "mail/prescan.h"

#include <string.h>

#define HEAD "From: a@sender.example\nTo: b@receiver.example\nSubject: caps\n"

typedef struct {
	GArray *keep;
	GPtrArray *problems;
} result;

static result scan_of(const GString *msg)
{
	result r = {g_array_new(FALSE, FALSE, sizeof(ks_span)), g_ptr_array_new_with_free_func(g_free)};
	ks_prescan((const guint8 *)msg->str, 0, msg->len, r.keep, r.problems);
	return r;
}

static void result_clear(result *r)
{
	g_array_unref(r->keep);
	g_ptr_array_unref(r->problems);
}

/* The bytes GMime is given. */
static char *kept_text(const GString *msg, const result *r)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < r->keep->len; i++) {
		const ks_span *k = &g_array_index(r->keep, ks_span, i);
		g_string_append_len(out, msg->str + k->from, (gssize)(k->to - k->from));
	}
	return g_string_free(out, FALSE);
}

static void assert_problem(const result *r, const char *needle)
{
	for (guint i = 0; i < r->problems->len; i++)
		if (strstr(g_ptr_array_index(r->problems, i), needle))
			return;
	fail_msg("no problem says \"%s\" (%u problems)", needle, r->problems->len);
}

static void ordinary_mail_is_kept_whole(void **state)
{
	(void)state;
	g_autoptr(GString) msg = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
	                                           "--b\nContent-Type: text/plain\n\nhello\n"
	                                           "--b\nContent-Type: message/rfc822\n\n" HEAD
	                                           "\ninner\n--b--\n");
	result r = scan_of(msg);
	assert_int_equal(r.keep->len, 1);
	assert_int_equal(g_array_index(r.keep, ks_span, 0).to, msg->len);
	assert_int_equal(r.problems->len, 0);
	result_clear(&r);
}

static void header_fields_beyond_the_block_cap_are_left_out(void **state)
{
	(void)state;
	g_autoptr(GString) msg = g_string_new(HEAD);
	for (int i = 0; i < KS_MAX_HEADERS + 500; i++)
		g_string_append_printf(msg, "X-Filler-%d: %d\n", i, i);
	g_string_append(msg, "\nthe body stays\n");
	result r = scan_of(msg);
	g_autofree char *kept = kept_text(msg, &r);
	/* 3 fields of HEAD, then 997 fillers */
	assert_non_null(strstr(kept, "X-Filler-996: 996\n"));
	assert_null(strstr(kept, "X-Filler-997:"));
	assert_non_null(strstr(kept, "\n\nthe body stays\n"));
	assert_problem(&r, "503 header fields not analysed, 1,000 read");
	result_clear(&r);

	/* and GMime builds only those */
	g_autoptr(GBytes) raw = g_bytes_new(msg->str, msg->len);
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, NULL);
	assert_non_null(m);
	assert_int_equal(m->headers->len, KS_MAX_HEADERS);
	assert_non_null(m->body_plain);
	assert_non_null(strstr(m->body_plain, "the body stays"));
}

static void an_overlong_field_is_read_up_to_its_cap(void **state)
{
	(void)state;
	g_autoptr(GString) msg = g_string_new(HEAD "X-Long: ");
	for (int i = 0; i < 300 * 1024; i++)
		g_string_append_c(msg, 'a');
	g_string_append(msg, "\nX-After: kept\n\nbody\n");
	result r = scan_of(msg);
	g_autofree char *kept = kept_text(msg, &r);
	assert_non_null(strstr(kept, "\nX-After: kept\n\nbody\n"));
	assert_true(strlen(kept) < msg->len - 40 * 1024);
	assert_problem(&r, "the longest, X-Long, is 307,209 bytes");
	result_clear(&r);
}

static void parts_beyond_the_cap_never_reach_the_parser(void **state)
{
	(void)state;
	g_autoptr(GString) msg = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
	for (int i = 0; i < KS_MAX_ENTITIES + 2000; i++)
		g_string_append(msg, "--b\nContent-Type: text/plain\n\nx\n");
	g_string_append(msg, "--b--\n");
	result r = scan_of(msg);
	assert_int_equal(r.keep->len, 1);
	g_autofree char *kept = kept_text(msg, &r);
	/* the cut is at the start of the boundary line of part 10,001 */
	gsize parts = 0;
	for (const char *p = kept; (p = strstr(p, "--b\n")) != NULL; p += 4)
		parts++;
	assert_int_equal(parts, KS_MAX_ENTITIES);
	assert_problem(&r, "10,000 MIME parts read, 2,000 more not analysed");
	result_clear(&r);
}

static void nesting_beyond_the_cap_is_cut(void **state)
{
	(void)state;
	g_autoptr(GString) msg = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=\"b0\"\n\n");
	for (int i = 1; i < KS_MAX_NESTING + 10; i++)
		g_string_append_printf(msg, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n",
		                       i - 1, i);
	g_string_append(msg, "leaf\n");
	result r = scan_of(msg);
	assert_problem(&r, "nested deeper than 64 levels");
	g_autofree char *kept = kept_text(msg, &r);
	assert_null(strstr(kept, "boundary=\"b65\""));
	result_clear(&r);
}

static void boundary_lines_count_even_when_the_boundary_is_unread(void **state)
{
	(void)state;
	/* no boundary parameter the pre-scan can read: every "--" line counts */
	g_autoptr(GString) msg = g_string_new(HEAD "Content-Type: multipart/mixed; boundary*=\n\n");
	for (int i = 0; i < 4 * KS_MAX_ENTITIES + 10; i++)
		g_string_append(msg, "--x\n\ny\n");
	result r = scan_of(msg);
	assert_problem(&r, "lines start with \"--\"");
	g_autofree char *kept = kept_text(msg, &r);
	assert_true(strlen(kept) < msg->len);
	result_clear(&r);
}

static void digest_parts_without_type_are_messages(void **state)
{
	(void)state;
	/* each digest part is a message: two entities per part */
	g_autoptr(GString) msg = g_string_new(HEAD "Content-Type: multipart/digest; boundary=\"d\"\n\n");
	for (int i = 0; i < KS_MAX_ENTITIES; i++)
		g_string_append(msg, "--d\n\n" HEAD "\nhi\n");
	result r = scan_of(msg);
	assert_problem(&r, "10,000 MIME parts read, 10,000 more not analysed");
	result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ordinary_mail_is_kept_whole),
		cmocka_unit_test(header_fields_beyond_the_block_cap_are_left_out),
		cmocka_unit_test(an_overlong_field_is_read_up_to_its_cap),
		cmocka_unit_test(parts_beyond_the_cap_never_reach_the_parser),
		cmocka_unit_test(nesting_beyond_the_cap_is_cut),
		cmocka_unit_test(boundary_lines_count_even_when_the_boundary_is_unread),
		cmocka_unit_test(digest_parts_without_type_are_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
