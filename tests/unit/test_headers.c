/* The headers analyzer: message fields, addresses, every header decoded and
 * sanitized, display.control_characters and input.malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/context.h"
#include "checks/headers.h"
#include "mail/message.h"
#include "core/report.h"
#include "testlib.h"

#include <string.h>

static ks_report *analyze(const char *text)
{
	GBytes *b = g_bytes_new(text, strlen(text));
	ks_message *m = ks_message_parse(b, 0, NULL);
	g_bytes_unref(b);
	assert_non_null(m);
	ks_report *r = ks_report_new();
	ks_context *c = ks_context_new();
	ks_headers_analyze(m, c, r);
	ks_context_free(c);
	ks_message_free(m);
	return r;
}

static ks_address *addr(GPtrArray *list, guint i)
{
	assert_true(i < list->len);
	return g_ptr_array_index(list, i);
}

static void decoded_comma_stays_inside_one_display_name(void **state)
{
	(void)state;
	/* "鈴木, 一郎" as an encoded-word: the comma must not split the list */
	ks_report *r = analyze("From: =?UTF-8?B?6Yi05pyoLCDkuIDpg44=?= <i.suzuki@a.example>\n"
	                       "Subject: s\n\nb\n");
	assert_int_equal(r->from->len, 1);
	assert_string_equal(addr(r->from, 0)->name, "鈴木, 一郎");
	assert_string_equal(addr(r->from, 0)->address, "i.suzuki@a.example");
	ks_report_free(r);
}

static void encoded_address_in_display_name_stays_a_name(void **state)
{
	(void)state;
	/* =?UTF-8?Q?ceo=40corp.example?= decodes to "ceo@corp.example" */
	ks_report *r = analyze("From: =?UTF-8?Q?ceo=40corp.example?= <x@evil.example>\n\nb\n");
	assert_int_equal(r->from->len, 1);
	assert_string_equal(addr(r->from, 0)->name, "ceo@corp.example");
	assert_string_equal(addr(r->from, 0)->address, "x@evil.example");
	ks_report_free(r);
}

static void address_domain_is_lower_cased_local_part_kept(void **state)
{
	(void)state;
	ks_report *r = analyze("From: Taro <Taro.Yamada@Corp.EXAMPLE>\nTo: a@b.example, "
	                       "Group: c@d.example, e@f.example;\n\nb\n");
	assert_string_equal(addr(r->from, 0)->address, "Taro.Yamada@corp.example");
	assert_int_equal(r->to->len, 3);
	assert_string_equal(addr(r->to, 2)->address, "e@f.example");
	ks_report_free(r);
}

static void empty_return_path_is_no_envelope_sender(void **state)
{
	(void)state;
	ks_report *r = analyze("Return-Path: <>\nFrom: a@b.example\n\nb\n");
	assert_null(r->return_path);
	ks_report_free(r);
	r = analyze("Return-Path: <Bounce@Mailer.EXAMPLE>\nFrom: a@b.example\n\nb\n");
	assert_string_equal(r->return_path, "Bounce@mailer.example");
	ks_report_free(r);
}

static void date_keeps_its_written_offset(void **state)
{
	(void)state;
	ks_report *r = analyze("From: a@b.example\nDate: Mon, 03 Feb 2025 10:07:00 +0900\n\nb\n");
	assert_non_null(r->date);
	g_autofree char *s = ks_time_format(r->date);
	assert_string_equal(s, "2025-02-03T10:07:00+09:00");
	ks_report_free(r);
}

static void unparseable_date_is_malformed_and_kept_raw(void **state)
{
	(void)state;
	ks_report *r = analyze("From: a@b.example\nDate: the day after tomorrow\n\nb\n");
	assert_null(r->date);
	assert_string_equal(r->date_raw, "the day after tomorrow");
	assert_true(ks_report_has_finding(r, KS_RULE_INPUT_MALFORMED));
	ks_report_free(r);
}

static void escape_in_subject_is_shown_and_reported(void **state)
{
	(void)state;
	/* ESC [2J clears a screen; OSC 52 writes the clipboard */
	ks_report *r = analyze("From: a@b.example\nSubject: =?UTF-8?Q?hi=1B[2J=1B]52;c;ZXZpbA=3D=3D=07?=\n"
	                       "\nb\n");
	assert_null(strchr(r->subject, 0x1b));
	assert_null(strchr(r->subject, 0x07));
	assert_non_null(strstr(r->subject, "\\x1B[2J"));
	assert_true(ks_report_has_finding(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS));
	ks_report_free(r);
}

static void bidi_override_in_name_is_escaped(void **state)
{
	(void)state;
	ks_report *r = analyze("From: =?UTF-8?B?4oCuZ25hbA==?= <a@b.example>\n\nb\n");
	assert_non_null(strstr(addr(r->from, 0)->name, "<U+202E>"));
	assert_true(ks_report_has_finding(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS));
	ks_report_free(r);
}

static void japanese_headers_raise_nothing(void **state)
{
	(void)state;
	ks_report *r = analyze("From: =?ISO-2022-JP?B?GyRCP007dkl0GyhC?= <a@b.example>\n"
	                       "Subject: =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=\n"
	                       "Date: Mon, 03 Feb 2025 10:07:00 +0900\n\nb\n");
	assert_string_equal(r->subject, "日本語");
	assert_int_equal(r->findings->len, 0);
	ks_report_free(r);
}

static void missing_from_is_malformed(void **state)
{
	(void)state;
	ks_report *r = analyze("Subject: x\nDate: Mon, 03 Feb 2025 10:07:00 +0900\n\nb\n");
	assert_int_equal(r->from->len, 0);
	assert_true(ks_report_has_finding(r, KS_RULE_INPUT_MALFORMED));
	ks_report_free(r);
}

static void references_and_ids_are_split(void **state)
{
	(void)state;
	ks_report *r = analyze("From: a@b.example\nMessage-ID: <m1@x>\nIn-Reply-To: <m0@x>\n"
	                       "References: <a@x>\n <b@x> <m0@x>\n\nb\n");
	assert_string_equal(r->message_id, "<m1@x>");
	assert_string_equal(r->in_reply_to, "<m0@x>");
	assert_int_equal(r->references->len, 3);
	assert_string_equal(g_ptr_array_index(r->references, 1), "<b@x>");
	ks_report_free(r);
}

static void every_header_is_listed_in_order(void **state)
{
	(void)state;
	ks_report *r = analyze("Received: from a by b; Mon, 03 Feb 2025 10:07:00 +0900\n"
	                       "From: a@b.example\nX-Custom: =?UTF-8?B?5pel?=\n\nb\n");
	assert_int_equal(r->headers->len, 3);
	ks_header *h = g_ptr_array_index(r->headers, 2);
	assert_string_equal(h->name, "X-Custom");
	assert_string_equal(h->value, "日");
	ks_report_free(r);
}

static void disguised_subject_and_sender_name_are_shown_plain(void **state)
{
	(void)state;
	/* "Аpple Support" with a Cyrillic А, a subject in bold mathematical
	 * letters; the header list keeps both as written */
	ks_report *r = analyze("From: =?UTF-8?B?0JBwcGxlIFN1cHBvcnQ=?= <id@x.example>\n"
	                       "Subject: =?UTF-8?B?8J2QgvCdkJrwnZCr8J2QnQ==?= locked\n\nb\n");
	assert_string_equal(addr(r->from, 0)->name, "Apple Support");
	assert_string_equal(r->subject, "Card locked");
	guint seen = 0;
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule != KS_RULE_CONTENT_OBFUSCATED_TEXT)
			continue;
		seen++;
		assert_true(strcmp(f->location, "header:From") == 0 ||
		            strcmp(f->location, "header:Subject") == 0);
	}
	assert_int_equal(seen, 2);
	ks_report_free(r);
}

/* An address GMime could not read as one is refused, never split into
 * others: a quote, comma or angle bracket left in it.  A quoted address
 * without angle brackets (a phishing habit) is read as the address inside
 * it, and said; a quoted phrase is a name. */
static void quoted_address_is_read_and_reported(void **state)
{
	(void)state;
	ks_report *r = analyze("From: \"billing@bank.example\"\nReply-To: \"Jane Doe\"\n\nb\n");
	assert_int_equal(r->from->len, 1);
	assert_string_equal(addr(r->from, 0)->address, "billing@bank.example");
	assert_int_equal(r->reply_to->len, 1);
	assert_string_equal(addr(r->reply_to, 0)->name, "Jane Doe");
	assert_null(addr(r->reply_to, 0)->address);
	const ks_finding *f = sole_finding(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(strstr(f->evidence, "written in quotes"));
	ks_report_free(r);
}

static void unparseable_from_keeps_its_angle_address(void **state)
{
	(void)state;
	ks_report *r = analyze("From: Shop Team,(<news@shop.example>)\n\nb\n");
	assert_int_equal(r->from->len, 1);
	assert_string_equal(addr(r->from, 0)->name, "Shop Team");
	assert_string_equal(addr(r->from, 0)->address, "news@shop.example");
	ks_report_free(r);
}

static void control_character_in_an_address_header_is_malformed(void **state)
{
	(void)state;
	ks_report *r = analyze("From: a@b.example\nTo: <hanako@victim.example\x01>\n\nb\n");
	const ks_finding *f = sole_finding(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(strstr(f->evidence, "\\x01"));
	ks_report_free(r);
}

/* ks_address_flaw: what an addr-spec must not hold */
static void address_flaws_are_named(void **state)
{
	(void)state;
	assert_null(ks_address_flaw("hanako@victim.example", true));
	assert_string_equal(ks_address_flaw("hanako@victim.example>, \"Boss\" <boss@victim.example",
	                                    true),
	                    "a '>'");
	assert_string_equal(ks_address_flaw("a,b@x.example", true), "a comma");
	assert_string_equal(ks_address_flaw("a\n@x.example", true), "a control character");
	assert_string_equal(ks_address_flaw("\"a b\"@x.example", true), "a quote");
	assert_null(ks_address_flaw("\"a,b\"@x.example", false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoted_address_is_read_and_reported),
		cmocka_unit_test(unparseable_from_keeps_its_angle_address),
		cmocka_unit_test(control_character_in_an_address_header_is_malformed),
		cmocka_unit_test(address_flaws_are_named),
		cmocka_unit_test(decoded_comma_stays_inside_one_display_name),
		cmocka_unit_test(encoded_address_in_display_name_stays_a_name),
		cmocka_unit_test(address_domain_is_lower_cased_local_part_kept),
		cmocka_unit_test(empty_return_path_is_no_envelope_sender),
		cmocka_unit_test(date_keeps_its_written_offset),
		cmocka_unit_test(unparseable_date_is_malformed_and_kept_raw),
		cmocka_unit_test(escape_in_subject_is_shown_and_reported),
		cmocka_unit_test(bidi_override_in_name_is_escaped),
		cmocka_unit_test(japanese_headers_raise_nothing),
		cmocka_unit_test(missing_from_is_malformed),
		cmocka_unit_test(references_and_ids_are_split),
		cmocka_unit_test(every_header_is_listed_in_order),
		cmocka_unit_test(disguised_subject_and_sender_name_are_shown_plain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
