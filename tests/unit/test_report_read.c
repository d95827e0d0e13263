/* Tests for ks_report_from_json (report_read.c): a stored report comes back
 * as the same typed report, so writing it again gives the same bytes, for
 * every sample and for the mail corpora; hostile or broken JSON reads as
 * absent fields or an error, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/analyze.h"
#include "testlib.h"
#include "output/writers.h"

#include <string.h>

/* analyse path, write JSON, read it back, write again: the same bytes */
static void round_trip_file(const char *path)
{
	g_autoptr(ks_context) ctx = ks_context_new();
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_report) r = ks_analyze_file(path, ctx, &err);
	if (!r)
		return; /* not a message: nothing to store */
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(ks_report) back = ks_report_from_json(json, &err);
	assert_non_null(back);
	g_autofree char *again = ks_report_to_json(back, false);
	if (strcmp(json, again) != 0)
		fail_msg("round trip differs for %s", path);
}

static int round_trip_dir(const char *dir, int limit)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (!d)
		return 0;
	int n = 0;
	const char *name;
	while ((name = g_dir_read_name(d)) && n < limit) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) || g_str_has_suffix(name, ".json"))
			continue;
		round_trip_file(path);
		n++;
	}
	return n;
}

/* a link found in an attachment keeps its part; a body link stays "body" */
static void link_locations_come_back(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	g_ptr_array_add(r->links, ks_link_new("here", "https://a.example/"));
	g_ptr_array_add(r->links, ks_link_new_at("[PDF link]", "https://b.example/", "part:2"));
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_report) back = ks_report_from_json(json, &err);
	assert_non_null(back);
	assert_int_equal(back->links->len, 2);
	assert_null(((ks_link *)g_ptr_array_index(back->links, 0))->location);
	assert_string_equal(((ks_link *)g_ptr_array_index(back->links, 1))->location, "part:2");
	g_autofree char *again = ks_report_to_json(back, false);
	assert_string_equal(json, again);
}

static void samples_round_trip_byte_for_byte(void **state)
{
	(void)state;
	assert_true(round_trip_dir("samples", 1000) > 10);
}

static void corpus_mail_round_trips_byte_for_byte(void **state)
{
	(void)state;
	static const char *const dirs[] = {"phishing_pot/email", "spamscope_mailparser/mails",
	                                   "cpython_test_email", "flanker"};
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autofree char *dir = corpus_path(dirs[i], NULL);
		if (!dir)
			skip();
		round_trip_dir(dir, 400);
	}
}

static void nested_message_and_metadata_come_back(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	r->subject = g_strdup("outer");
	ks_attachment *a = ks_attachment_new("2");
	a->filename = g_strdup("fwd.eml");
	ks_attachment_add_meta(a, "Author", "Hanako");
	a->message = ks_report_new();
	a->message->subject = g_strdup("inner");
	g_ptr_array_add(a->message->to, ks_address_new("佐藤 花子", "hanako@victim.example"));
	g_ptr_array_add(r->attachments, a);
	ks_report_add_ioc(r, KS_IOC_URL, "https://evil.example/x");
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(ks_report) back = ks_report_from_json(json, NULL);
	assert_non_null(back);
	ks_attachment *b = g_ptr_array_index(back->attachments, 0);
	assert_string_equal(ks_attachment_get_meta(b, "Author"), "Hanako");
	assert_non_null(b->message);
	assert_string_equal(b->message->subject, "inner");
	ks_address *to = g_ptr_array_index(b->message->to, 0);
	assert_string_equal(to->address, "hanako@victim.example");
	assert_int_equal(back->iocs->len, 1);
}

/* what the routing pane shows beside the hop: the HELO written apart, the
 * reverse DNS, TLS, the top Received-SPF and the ARC chain; a hop without
 * them writes no such keys and reads them back as absent */
static void routing_extras_come_back_and_absent_ones_stay_absent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	r->auth.received_spf = g_strdup("softfail");
	r->auth.arc = g_strdup("pass");
	ks_hop *h = ks_hop_new();
	h->from = g_strdup("rdns.example.net");
	h->helo = g_strdup("helo.example");
	h->rdns = g_strdup("rdns.example.net");
	h->tls = g_strdup("TLSv1.3");
	h->parsed = true;
	g_ptr_array_add(r->hops, h);
	ks_hop *bare = ks_hop_new();
	bare->index = 1;
	bare->by = g_strdup("mx.example.org");
	bare->parsed = true;
	g_ptr_array_add(r->hops, bare);
	g_autofree char *json = ks_report_to_json(r, false);
	g_autoptr(ks_report) back = ks_report_from_json(json, NULL);
	assert_non_null(back);
	assert_string_equal(back->auth.received_spf, "softfail");
	assert_string_equal(back->auth.arc, "pass");
	ks_hop *b = g_ptr_array_index(back->hops, 0);
	assert_string_equal(b->helo, "helo.example");
	assert_string_equal(b->rdns, "rdns.example.net");
	assert_string_equal(b->tls, "TLSv1.3");
	ks_hop *b1 = g_ptr_array_index(back->hops, 1);
	assert_null(b1->helo);
	assert_null(b1->rdns);
	assert_null(b1->tls);
	g_autofree char *again = ks_report_to_json(back, false);
	assert_string_equal(json, again);
	/* keys only when set: the second hop has none */
	const char *second = strstr(json, "\"mx.example.org\"");
	assert_non_null(second);
	assert_null(strstr(second, "\"tls\""));
	assert_null(strstr(second, "\"rdns\""));
}

/* found by fuzz_writers: GLib writes year 817 as "817-", which is no RFC
 * 3339 time, so the event was lost on the way back */
static void early_years_are_written_in_four_digits_and_read_back(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = ks_report_new();
	r->date = g_date_time_new_utc(817, 12, 12, 1, 2, 3);
	ks_report_add_event(r, r->date, "written", "header:Date");
	g_autofree char *json = ks_report_to_json(r, false);
	assert_non_null(strstr(json, "\"0817-12-12T01:02:03+00:00\""));
	g_autoptr(ks_report) back = ks_report_from_json(json, NULL);
	assert_non_null(back->date);
	assert_int_equal(back->timeline->len, 1);
}

static void broken_json_is_an_error_not_a_crash(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "{", "[]", "null", "{\"schema\":\"other\"}",
	                                  "{\"schema\":\"kensa.report/1\",\"message\":[1,2]}"};
	for (size_t i = 0; i < 5; i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(ks_report) r = ks_report_from_json(bad[i], &err);
		assert_null(r);
		assert_non_null(err);
	}
	/* the right schema with mistyped members: every field reads as absent */
	g_autoptr(ks_report) r = ks_report_from_json(bad[5], NULL);
	assert_non_null(r);
	assert_null(r->subject);
	assert_int_equal(r->from->len, 0);
}

static void stored_controls_are_sanitized_on_the_way_in(void **state)
{
	(void)state;
	const char *json = "{\"schema\":\"kensa.report/1\",\"message\":{\"subject\":"
	                   "\"a\\u001b[31mred\"},\"findings\":[{\"id\":\"no.such.rule\","
	                   "\"severity\":\"high\"},{\"id\":\"auth.spf_fail\",\"severity\":\"bad\"}]}";
	g_autoptr(ks_report) r = ks_report_from_json(json, NULL);
	assert_non_null(r);
	assert_null(strchr(r->subject, '\x1b'));
	assert_int_equal(r->findings->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_locations_come_back),
		cmocka_unit_test(samples_round_trip_byte_for_byte),
		cmocka_unit_test(corpus_mail_round_trips_byte_for_byte),
		cmocka_unit_test(nested_message_and_metadata_come_back),
		cmocka_unit_test(routing_extras_come_back_and_absent_ones_stay_absent),
		cmocka_unit_test(early_years_are_written_in_four_digits_and_read_back),
		cmocka_unit_test(broken_json_is_an_error_not_a_crash),
		cmocka_unit_test(stored_controls_are_sanitized_on_the_way_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
