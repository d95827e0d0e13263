/* ks_date_parse over the date shapes real mail carries: RFC 5322 3.3, the
 * obsolete forms of 4.3, mailer-specific zone names, asctime and ISO 8601. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mail/dates.h"

#include <string.h>

/* Parses s and checks the result as RFC 3339 text with its own offset. */
static void expect_date(const char *s, const char *want)
{
	GDateTime *t = ks_date_parse(s);
	if (!t)
		fail_msg("did not parse: \"%s\"", s);
	g_autofree char *got = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
	g_date_time_unref(t);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": got %s, want %s", s, got, want);
}

static void expect_null(const char *s)
{
	GDateTime *t = ks_date_parse(s);
	if (t) {
		g_autofree char *got = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S%:z");
		g_date_time_unref(t);
		fail_msg("\"%s\" should not parse, got %s", s, got);
	}
}

static void rfc5322_full_form_keeps_offset(void **state)
{
	(void)state;
	expect_date("Mon, 02 Jan 2006 15:04:05 +0900", "2006-01-02T15:04:05+09:00");
	expect_date("Thu, 18 May 2023 06:20:00 -0700", "2023-05-18T06:20:00-07:00");
	expect_date("Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T09:55:06-06:00");
	expect_date("Tue, 1 Jul 2003 10:52:37 +0530", "2003-07-01T10:52:37+05:30");
}

static void day_name_and_seconds_are_optional(void **state)
{
	(void)state;
	expect_date("2 Jan 2006 15:04 +0000", "2006-01-02T15:04:00+00:00");
	expect_date("1 Jan 2020 12:00:00 +0900", "2020-01-01T12:00:00+09:00");
}

static void month_names_are_case_insensitive(void **state)
{
	(void)state;
	expect_date("Wed, 5 MAR 2014 01:02:03 +0100", "2014-03-05T01:02:03+01:00");
	expect_date("wed, 5 mar 2014 01:02:03 +0100", "2014-03-05T01:02:03+01:00");
	expect_date("5 September 2014 01:02:03 +0100", "2014-09-05T01:02:03+01:00");
	expect_date("5 Sept 2014 01:02:03 +0100", "2014-09-05T01:02:03+01:00");
}

static void two_digit_years_follow_rfc5322_4_3(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 06 15:04:05 +0000", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 49 15:04:05 +0000", "2049-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 50 15:04:05 +0000", "1950-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 99 15:04:05 +0000", "1999-01-02T15:04:05+00:00");
	/* three digits: added to 1900 */
	expect_date("2 Jan 103 15:04:05 +0000", "2003-01-02T15:04:05+00:00");
}

static void minus_zero_and_missing_offset_are_utc(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 2006 15:04:05 -0000", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 2006 15:04:05", "2006-01-02T15:04:05+00:00");
}

static void obsolete_zone_names_map_to_offsets(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 2006 15:04:05 UT", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 EST", "2006-01-02T15:04:05-05:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 EDT", "2006-01-02T15:04:05-04:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 CST", "2006-01-02T15:04:05-06:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 CDT", "2006-01-02T15:04:05-05:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 MST", "2006-01-02T15:04:05-07:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 MDT", "2006-01-02T15:04:05-06:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 PST", "2006-01-02T15:04:05-08:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 PDT", "2006-01-02T15:04:05-07:00");
}

static void military_zones_are_utc(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 2006 15:04:05 A", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 Z", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 y", "2006-01-02T15:04:05+00:00");
}

static void common_non_rfc_zone_names_are_known(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 2006 15:04:05 JST", "2006-01-02T15:04:05+09:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 KST", "2006-01-02T15:04:05+09:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 CET", "2006-01-02T15:04:05+01:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 CEST", "2006-01-02T15:04:05+02:00");
	expect_date("Mon, 2 Jan 2006 15:04:05 UTC", "2006-01-02T15:04:05+00:00");
}

static void numeric_offset_wins_over_comment_and_name(void **state)
{
	(void)state;
	expect_date("Wed, 1 Jan 2020 12:00:00 +0900 (JST)", "2020-01-01T12:00:00+09:00");
	expect_date("Tue, 10 Mar 2020 08:00:00 -0700 (PDT)", "2020-03-10T08:00:00-07:00");
	expect_date("Tue, 10 Mar 2020 08:00:00 +0000 (UTC)", "2020-03-10T08:00:00+00:00");
	/* "GMT+9" style and a name before the offset */
	expect_date("Tue, 10 Mar 2020 08:00:00 GMT+0900", "2020-03-10T08:00:00+09:00");
}

static void comment_zone_used_when_nothing_else_names_one(void **state)
{
	(void)state;
	expect_date("Tue, 10 Mar 2020 08:00:00 (PST)", "2020-03-10T08:00:00-08:00");
}

static void iso8601_and_rfc3339(void **state)
{
	(void)state;
	expect_date("2023-05-18T15:20:00+09:00", "2023-05-18T15:20:00+09:00");
	expect_date("2023-05-18T06:20:00Z", "2023-05-18T06:20:00+00:00");
	expect_date("2023-05-18T06:20:00.123456Z", "2023-05-18T06:20:00+00:00");
	expect_date("2023-05-18 15:20:00 +0900", "2023-05-18T15:20:00+09:00");
	expect_date("2023-05-18T15:20", "2023-05-18T15:20:00+00:00");
	expect_date("2023-05-18", "2023-05-18T00:00:00+00:00");
	expect_date("2023-05-18 15:20:00 UTC", "2023-05-18T15:20:00+00:00");
	expect_date("2023-05-18 15:20:00 JST", "2023-05-18T15:20:00+09:00");
	/* Go's time.Time.String() as SendGrid writes it, minus the "m=" reading */
	expect_date("2023-02-18 05:33:28.001954205 +0000 UTC", "2023-02-18T05:33:28+00:00");
}

static void asctime_order_puts_time_before_year(void **state)
{
	(void)state;
	expect_date("Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05+00:00");
	expect_date("Mon Jan  2 15:04:05 MST 2006", "2006-01-02T15:04:05-07:00");
	expect_date("Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T15:04:05-07:00");
}

static void dots_extra_commas_and_rfc850_dashes(void **state)
{
	(void)state;
	expect_date("Mon., 2 Jan. 2006 15:04:05 +0100", "2006-01-02T15:04:05+01:00");
	expect_date("Mon,, 2 Jan, 2006, 15:04:05 +0100", "2006-01-02T15:04:05+01:00");
	expect_date("Monday, 02-Jan-06 15:04:05 GMT", "2006-01-02T15:04:05+00:00");
	expect_date("  Mon, 2 Jan 2006 15:04:05 +0100\r\n", "2006-01-02T15:04:05+01:00");
}

static void fractional_seconds_and_leap_second(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 2006 15:04:05.123 +0100", "2006-01-02T15:04:05+01:00");
	expect_date("Sat, 31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:59+00:00");
}

static void am_pm_times(void **state)
{
	(void)state;
	expect_date("Mon, 2 Jan 2006 3:04:05 PM +0000", "2006-01-02T15:04:05+00:00");
	expect_date("Mon, 2 Jan 2006 12:04:05 AM +0000", "2006-01-02T00:04:05+00:00");
}

static void out_of_range_values_are_rejected(void **state)
{
	(void)state;
	expect_null("Mon, 32 Jan 2006 15:04:05 +0000");
	expect_null("Mon, 2 Jan 2006 25:04:05 +0000");
	expect_null("Mon, 2 Jan 2006 15:60:05 +0000");
	expect_null("Mon, 2 Jan 2006 15:04:61 +0000");
	expect_null("Mon, 30 Feb 2006 15:04:05 +0000");
	expect_null("Mon, 0 Jan 2006 15:04:05 +0000");
	expect_null("Mon, 2 Jan 2006 15:04:05 +2500");
	expect_null("Mon, 2 Jan 2006 15:04:05 +0975");
	expect_null("2023-13-01T00:00:00Z");
	expect_null("2023-02-29");
	expect_null("2023-05-18T24:00:00Z");
}

static void leap_day_is_accepted_in_leap_years(void **state)
{
	(void)state;
	expect_date("29 Feb 2024 00:00:00 +0000", "2024-02-29T00:00:00+00:00");
}

static void garbage_gives_null(void **state)
{
	(void)state;
	expect_null(NULL);
	expect_null("");
	expect_null("   ");
	expect_null("yesterday");
	expect_null("Mon, 2 2006 15:04:05");          /* no month */
	expect_null("Jan 15:04:05");                  /* no day, no year */
	expect_null("2023-05-18T15:20:00 garbage");
	expect_null("Mon, 2 Jan 123456 15:04:05");    /* year too long */
	expect_null("\xff\xfe\x01\x02 Jan \x80");
}

static void long_input_is_bounded(void **state)
{
	(void)state;
	GString *s = g_string_new("Mon, 2 Jan 2006 15:04:05 +0000 ");
	for (int i = 0; i < 10000; i++)
		g_string_append(s, "((");
	GDateTime *t = ks_date_parse(s->str);
	g_string_free(s, TRUE);
	assert_null(t);
}

static void every_byte_prefix_is_safe(void **state)
{
	(void)state;
	/* Every prefix of a real date either parses or is NULL, never crashes. */
	const char *full = "Wed, 1 Jan 2020 12:00:00 +0900 (JST)";
	size_t n = strlen(full);
	int parsed = 0;
	for (size_t i = 0; i <= n; i++) {
		g_autofree char *pre = g_strndup(full, i);
		GDateTime *t = ks_date_parse(pre);
		if (t) {
			parsed++;
			g_date_time_unref(t);
		}
	}
	/* "Wed, 1 Jan 2020" onwards parses (a date without time is midnight). */
	assert_true(parsed >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc5322_full_form_keeps_offset),
		cmocka_unit_test(day_name_and_seconds_are_optional),
		cmocka_unit_test(month_names_are_case_insensitive),
		cmocka_unit_test(two_digit_years_follow_rfc5322_4_3),
		cmocka_unit_test(minus_zero_and_missing_offset_are_utc),
		cmocka_unit_test(obsolete_zone_names_map_to_offsets),
		cmocka_unit_test(military_zones_are_utc),
		cmocka_unit_test(common_non_rfc_zone_names_are_known),
		cmocka_unit_test(numeric_offset_wins_over_comment_and_name),
		cmocka_unit_test(comment_zone_used_when_nothing_else_names_one),
		cmocka_unit_test(iso8601_and_rfc3339),
		cmocka_unit_test(asctime_order_puts_time_before_year),
		cmocka_unit_test(dots_extra_commas_and_rfc850_dashes),
		cmocka_unit_test(fractional_seconds_and_leap_second),
		cmocka_unit_test(am_pm_times),
		cmocka_unit_test(out_of_range_values_are_rejected),
		cmocka_unit_test(leap_day_is_accepted_in_leap_years),
		cmocka_unit_test(garbage_gives_null),
		cmocka_unit_test(long_input_is_bounded),
		cmocka_unit_test(every_byte_prefix_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
