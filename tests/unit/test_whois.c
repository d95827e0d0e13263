/* Saved WHOIS and RDAP records to registration times: a .com answer (the
 * registry's and the registrar's sections), JPRS .jp and .co.jp records in
 * Japanese and English, Nominet, RDAP domain objects and search results,
 * and what is reported when a record cannot be read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "whois.h"

#include <string.h>

/* The shape of `whois example.com` today: Verisign's section, then the
 * registrar's (ICANN RDDS), the same dates in both. */
static const char whois_com[] =
	"   Domain Name: KOGANNE-PARTS.COM\r\n"
	"   Registry Domain ID: 2936153371_DOMAIN_COM-VRSN\r\n"
	"   Registrar WHOIS Server: whois.example-registrar.com\r\n"
	"   Registrar URL: http://www.example-registrar.com\r\n"
	"   Updated Date: 2024-12-09T07:13:02Z\r\n"
	"   Creation Date: 2024-12-09T07:12:33Z\r\n"
	"   Registry Expiry Date: 2025-12-09T07:12:33Z\r\n"
	"   Registrar: Example Registrar, Inc.\r\n"
	"   Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited\r\n"
	"   Name Server: NS1.EXAMPLE-DNS.COM\r\n"
	"   DNSSEC: unsigned\r\n"
	">>> Last update of whois database: 2024-12-11T01:00:00Z <<<\r\n"
	"\r\n"
	"NOTICE: The expiration date displayed in this record is the date the\r\n"
	"registrar's sponsorship of the domain name registration in the registry is\r\n"
	"\r\n"
	"Domain Name: koganne-parts.com\r\n"
	"Registry Domain ID: 2936153371_DOMAIN_COM-VRSN\r\n"
	"Updated Date: 2024-12-09T07:13:02+0000\r\n"
	"Creation Date: 2024-12-09T07:12:33+0000\r\n"
	"Registrar Registration Expiration Date: 2025-12-09T07:12:33+0000\r\n"
	"Registrant Organization: Privacy service\r\n"
	"Registrant Country: IS\r\n";

/* JPRS, `whois -h whois.jprs.jp koganne-parts.jp` (Japanese labels). */
static const char whois_jp[] =
	"[ JPRS database provides information on network administration. Its use is    ]\n"
	"[ restricted to network administration purposes. For further information,     ]\n"
	"[ use 'whois -h whois.jprs.jp help'. To suppress Japanese output, add'/e'     ]\n"
	"[ at the end of command, e.g. 'whois -h whois.jprs.jp xxx/e'.                 ]\n"
	"\n"
	"Domain Information: [ドメイン情報]\n"
	"[Domain Name]                   KOGANNE-PARTS.JP\n"
	"\n"
	"[登録者名]                      小金部品\n"
	"[Registrant]                    Kogane Buhin\n"
	"\n"
	"[Name Server]                   ns1.example-dns.jp\n"
	"[Signing Key]                   \n"
	"\n"
	"[登録年月日]                    2024/12/10\n"
	"[有効期限]                      2025/12/31\n"
	"[状態]                          Active\n"
	"[最終更新]                      2024/12/10 11:02:55 (JST)\n";

/* JPRS, an organisational .co.jp: lettered fields, English output (/e). */
static const char whois_co_jp[] =
	"Domain Information:\n"
	"a. [Domain Name]                HOSHIZORA-DENKOU.CO.JP\n"
	"g. [Organization]               Hoshizora Denkou\n"
	"l. [Organization Type]          Corporation\n"
	"m. [Administrative Contact]     XX00000JP\n"
	"n. [Technical Contact]          XX00000JP\n"
	"p. [Name Server]                ns1.example-dns.jp\n"
	"s. [Signing Key]                \n"
	"[State]                         Connected (2025/12/31)\n"
	"[Registered Date]               \n"
	"[Connected Date]                2024/12/09\n"
	"[Created on]                    2024/12/09\n"
	"[Last Update]                   2024/12/09 16:30:05 (JST)\n";

/* The same record in Japanese. */
static const char whois_co_jp_ja[] =
	"Domain Information: [ドメイン情報]\n"
	"a. [ドメイン名]                 HOSHIZORA-DENKOU.CO.JP\n"
	"g. [組織名]                     星空電工\n"
	"[状態]                          Connected (2025/12/31)\n"
	"[登録年月日]                    2024/12/09\n"
	"[接続年月日]                    2024/12/09\n"
	"[最終更新]                      2024/12/09 16:30:05 (JST)\n";

static const char whois_uk[] =
	"\n    Domain name:\n        koganne-parts.co.uk\n\n"
	"    Data validation:\n        Nominet was not able to match the registrant's name\n\n"
	"    Relevant dates:\n"
	"        Registered on: 10-Dec-2024\n"
	"        Expiry date:  10-Dec-2025\n"
	"        Last updated:  10-Dec-2024\n";

/* RFC 9083 domain object as rdap.verisign.com answers. */
static const char rdap_com[] =
	"{\"objectClassName\":\"domain\",\"handle\":\"2936153371_DOMAIN_COM-VRSN\","
	"\"ldhName\":\"KOGANNE-PARTS.COM\",\"links\":[],\"status\":[\"client transfer prohibited\"],"
	"\"entities\":[{\"objectClassName\":\"entity\",\"roles\":[\"registrar\"],"
	"\"events\":[{\"eventAction\":\"registration\",\"eventDate\":\"1999-01-01T00:00:00Z\"}]}],"
	"\"events\":[{\"eventAction\":\"registration\",\"eventDate\":\"2024-12-09T07:12:33Z\"},"
	"{\"eventAction\":\"expiration\",\"eventDate\":\"2025-12-09T07:12:33Z\"},"
	"{\"eventAction\":\"last update of RDAP database\",\"eventDate\":\"2024-12-11T01:00:00Z\"}],"
	"\"rdapConformance\":[\"rdap_level_0\"]}";

static const char rdap_search[] =
	"{\"rdapConformance\":[\"rdap_level_0\"],\"domainSearchResults\":["
	"{\"objectClassName\":\"domain\",\"ldhName\":\"a-lookalike.example\","
	"\"events\":[{\"eventAction\":\"registration\",\"eventDate\":\"2024-12-01T09:00:00+09:00\"}]},"
	"{\"objectClassName\":\"domain\",\"ldhName\":\"b-lookalike.example\","
	"\"events\":[{\"eventAction\":\"expiration\",\"eventDate\":\"2025-12-01T00:00:00Z\"}]}]}";

/* Checks the result holds exactly the (domain, RFC 3339 time) pairs. */
static void expect(const char *text, const char *const *pairs, guint problems)
{
	g_autoptr(ks_whois_result) r = ks_whois_parse(text, strlen(text));
	guint n = 0;
	while (pairs[2 * n])
		n++;
	if (r->entries->len != n) {
		for (guint i = 0; i < r->problems->len; i++)
			print_message("problem: %s\n", (char *)g_ptr_array_index(r->problems, i));
		fail_msg("%u entries, want %u", r->entries->len, n);
	}
	for (guint i = 0; i < n; i++) {
		const ks_whois_entry *e = g_ptr_array_index(r->entries, i);
		g_autofree char *t = g_date_time_format(e->registered, "%Y-%m-%dT%H:%M:%S%:z");
		assert_string_equal(e->domain, pairs[2 * i]);
		assert_string_equal(t, pairs[2 * i + 1]);
	}
	if (r->problems->len != problems) {
		for (guint i = 0; i < r->problems->len; i++)
			print_message("problem: %s\n", (char *)g_ptr_array_index(r->problems, i));
		fail_msg("%u problems, want %u", r->problems->len, problems);
	}
}

static void com_registry_and_registrar_sections_give_one_domain(void **state)
{
	(void)state;
	const char *const want[] = {"koganne-parts.com", "2024-12-09T07:12:33+00:00", NULL};
	expect(whois_com, want, 0);
	g_autoptr(ks_whois_result) r = ks_whois_parse(whois_com, strlen(whois_com));
	assert_string_equal(r->format, "whois");
	assert_string_equal(((ks_whois_entry *)g_ptr_array_index(r->entries, 0))->source, "whois");
}

static void jprs_jp_date_is_midnight_japan_time(void **state)
{
	(void)state;
	const char *const want[] = {"koganne-parts.jp", "2024-12-10T00:00:00+09:00", NULL};
	expect(whois_jp, want, 0);
}

static void jprs_co_jp_lettered_fields_in_english_and_japanese(void **state)
{
	(void)state;
	const char *const want[] = {"hoshizora-denkou.co.jp", "2024-12-09T00:00:00+09:00", NULL};
	expect(whois_co_jp, want, 0);
	expect(whois_co_jp_ja, want, 0);
}

static void jprs_record_in_shift_jis_is_read(void **state)
{
	(void)state;
	g_autofree char *sjis = g_convert(whois_co_jp_ja, -1, "SHIFT_JIS", "UTF-8", NULL, NULL, NULL);
	assert_non_null(sjis);
	const char *const want[] = {"hoshizora-denkou.co.jp", "2024-12-09T00:00:00+09:00", NULL};
	expect(sjis, want, 0);
}

static void nominet_registered_on_day_month_year(void **state)
{
	(void)state;
	/* Nominet puts the name on the line after "Domain name:" */
	const char *const want[] = {"koganne-parts.co.uk", "2024-12-10T00:00:00+00:00", NULL};
	expect(whois_uk, want, 0);
}

static void rdap_domain_object_takes_its_own_registration_event(void **state)
{
	(void)state;
	const char *const want[] = {"koganne-parts.com", "2024-12-09T07:12:33+00:00", NULL};
	expect(rdap_com, want, 0);
	g_autoptr(ks_whois_result) r = ks_whois_parse(rdap_com, strlen(rdap_com));
	assert_string_equal(r->format, "rdap");
}

static void rdap_search_results_report_the_one_without_registration(void **state)
{
	(void)state;
	const char *const want[] = {"a-lookalike.example", "2024-12-01T09:00:00+09:00", NULL};
	expect(rdap_search, want, 1);
}

static void several_records_in_one_file(void **state)
{
	(void)state;
	g_autofree char *both = g_strconcat(whois_com, "\n\n", whois_co_jp, NULL);
	const char *const want[] = {"koganne-parts.com", "2024-12-09T07:12:33+00:00",
	                            "hoshizora-denkou.co.jp", "2024-12-09T00:00:00+09:00", NULL};
	expect(both, want, 0);
}

static void unreadable_input_says_what_it_could_not_read(void **state)
{
	(void)state;
	const char *const none[] = {NULL};
	expect("", none, 1);
	expect("No match for \"NOPE.COM\".\n", none, 1);
	expect("{\"errorCode\":404,\"title\":\"Not Found\"}", none, 1);
	expect("{not json", none, 1);
	expect("Domain Name: x-y.com\nCreation Date: yesterday-ish\n", none, 2);
	/* bytes that are nothing at all never crash */
	static const char junk[] = "\xff\xfe[\x01]\x80:\n[登録年月日] 9999/99/99\n";
	g_autoptr(ks_whois_result) r = ks_whois_parse(junk, sizeof junk - 1);
	assert_int_equal(r->entries->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(com_registry_and_registrar_sections_give_one_domain),
		cmocka_unit_test(jprs_jp_date_is_midnight_japan_time),
		cmocka_unit_test(jprs_co_jp_lettered_fields_in_english_and_japanese),
		cmocka_unit_test(jprs_record_in_shift_jis_is_read),
		cmocka_unit_test(nominet_registered_on_day_month_year),
		cmocka_unit_test(rdap_domain_object_takes_its_own_registration_event),
		cmocka_unit_test(rdap_search_results_report_the_one_without_registration),
		cmocka_unit_test(several_records_in_one_file),
		cmocka_unit_test(unreadable_input_says_what_it_could_not_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
