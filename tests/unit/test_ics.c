/* ks_ics_read and the calendar row of the attachment walk: folded lines,
 * quoted parameters, TEXT escapes, HTML descriptions, URI properties,
 * inline files; attachment.calendar_link for links that are neither the
 * organiser's, the sender's nor a meeting service's. */
#include "testlib.h"

#include "payloads/ics.h"

static ks_ics *read_str(const char *s)
{
	return ks_ics_read(s, strlen(s));
}

static const char *link_url(const ks_ics *ics, guint i)
{
	assert_true(i < ics->links->len);
	return ((const ks_ics_link *)g_ptr_array_index(ics->links, i))->url;
}

static void folded_lines_and_escapes_are_undone(void **state)
{
	(void)state;
	g_autoptr(ks_ics) ics = read_str(
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
		"ORGANIZER;CN=\"Sato; Accounts: Tokyo\":mailto:sato@vendor.example\r\n"
		"SUMMARY:Invoice review\\, urgent\r\n"
		"DESCRIPTION:Please review the invoice at https://invoices.exa\r\n"
		" mple-portal.net/view?id=7\\nThanks\\; Sato\r\n"
		"END:VEVENT\r\nEND:VCALENDAR\r\n");
	assert_non_null(ics);
	assert_string_equal(ics->method, "REQUEST");
	assert_string_equal(ics->organizer, "sato@vendor.example");
	assert_string_equal(ics->summary, "Invoice review, urgent");
	assert_int_equal(ics->events, 1);
	assert_int_equal(ics->links->len, 1);
	assert_string_equal(link_url(ics, 0), "https://invoices.example-portal.net/view?id=7");
	assert_contains(ics->description, "Thanks; Sato");
}

static void html_descriptions_and_uri_properties_give_links(void **state)
{
	(void)state;
	g_autoptr(ks_ics) ics = read_str(
		"BEGIN:VCALENDAR\nBEGIN:VEVENT\n"
		"DESCRIPTION:<p>Your voicemail is ready</p><p><a href=\"https://vm-portal.pages.dev/"
		"listen\">Play message</a></p>\n"
		"X-ALT-DESC;FMTTYPE=text/html:<a href=\"https://alt.example/x\">x</a>\n"
		"URL;VALUE=URI:https://event.example/page\n"
		"LOCATION:https://zoom.us/j/123456789\n"
		"ATTACH;FMTTYPE=application/pdf:https://files.example/agenda.pdf\n"
		"X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/abc\n"
		"ATTENDEE:mailto:a@b.example\n"
		"END:VEVENT\nEND:VCALENDAR\n");
	assert_non_null(ics);
	const char *want[] = {"https://vm-portal.pages.dev/listen", "https://alt.example/x",
	                      "https://event.example/page", "https://zoom.us/j/123456789",
	                      "https://files.example/agenda.pdf",
	                      "https://teams.microsoft.com/l/meetup-join/abc"};
	assert_int_equal(ics->links->len, G_N_ELEMENTS(want));
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
		assert_string_equal(link_url(ics, (guint)i), want[i]);
	assert_string_equal(ics->description, "Your voicemail is ready\nPlay message");
}

static void inline_attachment_is_a_file(void **state)
{
	(void)state;
	g_autoptr(ks_ics) ics = read_str(
		"BEGIN:VCALENDAR\nBEGIN:VEVENT\n"
		"ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=agenda.txt;FMTTYPE=text/plain:\n"
		" aGVsbG8gd29y\n bGQ=\nEND:VEVENT\nEND:VCALENDAR\n");
	assert_non_null(ics);
	assert_int_equal(ics->files->len, 1);
	const ks_ics_file *f = g_ptr_array_index(ics->files, 0);
	assert_string_equal(f->name, "agenda.txt");
	assert_int_equal(g_bytes_get_size(f->data), 11);
	assert_memory_equal(g_bytes_get_data(f->data, NULL), "hello world", 11);
}

static void not_a_calendar_and_hostile_input(void **state)
{
	(void)state;
	assert_null(read_str("Subject: hello\n\nnot an invite\n"));
	assert_null(ks_ics_read(NULL, 0));
	/* no colon, a stray quote, a lone backslash, a NUL byte, folding first */
	static const char odd[] = " folded first\nBEGIN:VCALENDAR\nX;Y=\"open:\nDESCRIPTION:a\\\n"
	                          "SUMMARY:x\0y\nORGANIZER:\nEND:VCALENDAR";
	g_autoptr(ks_ics) ics = ks_ics_read(odd, sizeof odd - 1);
	assert_non_null(ics);
	/* thirty thousand properties stop at the limit */
	GString *big = g_string_new("BEGIN:VCALENDAR\n");
	for (int i = 0; i < 30000; i++)
		g_string_append(big, "X-PAD:1\n");
	g_autoptr(ks_ics) capped = ks_ics_read(big->str, big->len);
	assert_true(capped->truncated);
	g_string_free(big, TRUE);
}

/* The attachment walk over one invite, sent From from. */
static ks_report *walk_invite(const char *ics, const char *from)
{
	g_autoptr(GBytes) b = g_bytes_new(ics, strlen(ics));
	ks_message *m = msg_with_attachment("text/calendar", "invite.ics", b);
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new(NULL, from));
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	msg_free(m);
	return r;
}

static void invite_links_join_the_mail_and_foreign_ones_fire(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = walk_invite(
		"BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
		"ORGANIZER:mailto:hr@corp-benefits.example\n"
		"DESCRIPTION:Review your 2025 benefits: https://benefits-review.web.app/login\n"
		"LOCATION:https://meet.google.com/abc-defg-hij\n"
		"END:VEVENT\nEND:VCALENDAR\n",
		"hr@corp-benefits.example");
	assert_int_equal(r->links->len, 2);
	const ks_link *l = g_ptr_array_index(r->links, 0);
	assert_string_equal(l->location, "part:2");
	assert_string_equal(l->text, "[invite DESCRIPTION]");
	const ks_finding *f = sole_finding(r, KS_RULE_ATTACHMENT_CALENDAR_LINK);
	assert_non_null(f);
	assert_string_equal(f->location, "part:2");
	assert_contains(f->evidence, "invite.ics: an invite (REQUEST) from hr@corp-benefits.example");
	assert_contains(f->evidence, "https://benefits-review.web.app/login (DESCRIPTION)");
	assert_null(strstr(f->evidence, "meet.google.com"));
	assert_meta(g_ptr_array_index(r->attachments, 0), "ics_organizer", "hr@corp-benefits.example");
	assert_true(has_ioc(r, KS_IOC_EMAIL, "hr@corp-benefits.example"));
}

static void organisers_own_and_meeting_links_are_quiet(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = walk_invite(
		"BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
		"ORGANIZER;CN=Ito:mailto:ito@kitano-kogyo.example\n"
		"DESCRIPTION:Join Microsoft Teams Meeting\\nhttps://teams.microsoft.com/l/meetup-join/"
		"19%3ameeting\\nLearn more https://aka.ms/JoinTeamsMeeting\\nAgenda: "
		"https://intranet.kitano-kogyo.example/agenda\n"
		"END:VEVENT\nEND:VCALENDAR\n",
		"ito@kitano-kogyo.example");
	assert_int_equal(r->links->len, 3);
	assert_null(find_rule(r, KS_RULE_ATTACHMENT_CALENDAR_LINK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(folded_lines_and_escapes_are_undone),
		cmocka_unit_test(html_descriptions_and_uri_properties_give_links),
		cmocka_unit_test(inline_attachment_is_a_file),
		cmocka_unit_test(not_a_calendar_and_hostile_input),
		cmocka_unit_test(invite_links_join_the_mail_and_foreign_ones_fire),
		cmocka_unit_test(organisers_own_and_meeting_links_are_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
