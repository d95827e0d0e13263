/* ks_links_analyze and ks_link_unwrap: where links really go, judged by
 * the place they land on, through gateways and open redirects, weighted
 * down in list and bulk mail; never a network look-up. */
#include "testlib.h"

#include "checks/links.h"

/* A report holding the given hrefs as body links (text = href). */
static ks_report *report_with(const char *const *hrefs)
{
	ks_report *r = ks_report_new();
	g_ptr_array_add(r->from, ks_address_new("Sender", "someone@sender.example"));
	for (const char *const *h = hrefs; *h; h++)
		g_ptr_array_add(r->links, ks_link_new(*h, *h));
	return r;
}

static ks_report *judged(const char *const *hrefs)
{
	ks_report *r = report_with(hrefs);
	ks_links_analyze(NULL, NULL, r);
	return r;
}

static void add_header(ks_report *r, const char *name, const char *value)
{
	ks_header *h = g_new0(ks_header, 1);
	h->name = g_strdup(name);
	h->value = g_strdup(value);
	g_ptr_array_add(r->headers, h);
}

static void expect_finding(const char *href, ks_rule rule, ks_severity sev, const char *says)
{
	const char *hrefs[] = {href, NULL};
	g_autoptr(ks_report) r = judged(hrefs);
	const ks_finding *f = sole_finding(r, rule);
	if (!f)
		fail_msg("%s: no %s", href, ks_rule_id(rule));
	assert_int_equal(f->severity, sev);
	assert_string_equal(f->location, "body");
	if (says)
		assert_contains(f->evidence, says);
}

static void expect_nothing(const char *href)
{
	const char *hrefs[] = {href, NULL};
	g_autoptr(ks_report) r = judged(hrefs);
	if (r->findings->len) {
		const ks_finding *f = g_ptr_array_index(r->findings, 0);
		fail_msg("%s: unexpected %s: %s", href, ks_rule_id(f->rule), f->evidence);
	}
}

static void azure_static_website_is_strong_hosting(void **state)
{
	(void)state;
	expect_finding("https://brdx7.z13.web.core.windows.net/", KS_RULE_LINK_FREE_HOSTING,
	               KS_SEV_HIGH, "Azure Storage static website");
	expect_finding("https://kit-3f9a.workers.dev/login", KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH,
	               "Cloudflare Workers");
	expect_finding("https://script.google.com/macros/s/AKfyc123/exec", KS_RULE_LINK_FREE_HOSTING,
	               KS_SEV_HIGH, "Apps Script");
}

static void object_store_file_is_weak_but_a_page_there_is_strong(void **state)
{
	(void)state;
	expect_finding("https://storage.googleapis.com/newsletter-assets/spring.pdf",
	               KS_RULE_LINK_FREE_HOSTING, KS_SEV_LOW, "Google Cloud Storage");
	expect_finding("https://storage.googleapis.com/x7bucket/index.html#victim@corp.example",
	               KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH, "Google Cloud Storage");
	expect_finding("https://acct-login.s3.us-east-1.amazonaws.com/verify.HTML",
	               KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH, "Amazon S3");
	expect_finding("https://s3.amazonaws.com/some-bucket/o365.htm", KS_RULE_LINK_FREE_HOSTING,
	               KS_SEV_HIGH, "Amazon S3");
}

static void provider_own_site_is_not_a_customer_page(void **state)
{
	(void)state;
	expect_nothing("http://www.dyndns.org/services/");
	expect_nothing("https://github.io/");
	expect_finding("http://myhome.dyndns.org:8080/", KS_RULE_LINK_FREE_HOSTING, KS_SEV_MEDIUM,
	               "dynamic DNS");
	/* a look-alike of the suffix is not under it */
	expect_nothing("https://notweb.core.windows.net.example/");
}

static void dynamic_dns_zones_are_hosting(void **state)
{
	(void)state;
	expect_finding("https://albervad.dns.army/reset/?user=kim", KS_RULE_LINK_FREE_HOSTING,
	               KS_SEV_MEDIUM, "dynv6");
	expect_finding("http://nas-home.dynv6.net/", KS_RULE_LINK_FREE_HOSTING, KS_SEV_MEDIUM,
	               "dynamic DNS");
	/* the provider's own site, and a name that only ends in the letters */
	expect_nothing("https://dynv6.net/");
	expect_nothing("https://mydns.army.example/");
}

static void ipfs_path_on_any_host_is_a_gateway(void **state)
{
	(void)state;
	expect_finding("https://gw.unknown-gateway.example/ipfs/"
	               "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/login.html",
	               KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH, "IPFS");
	expect_finding("https://ipfs.io/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
	               KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH, "IPFS");
	/* "/ipfs/" followed by no content id is a page name */
	expect_nothing("https://blog.example.org/ipfs/what-is-it");
}

static void forms_and_shorteners(void **state)
{
	(void)state;
	expect_finding("https://docs.google.com/forms/d/e/1FAIpQLSe/viewform",
	               KS_RULE_LINK_FORM_SERVICE, KS_SEV_MEDIUM, "Google Forms");
	expect_finding("https://forms.office.com/r/AbC123", KS_RULE_LINK_FORM_SERVICE, KS_SEV_MEDIUM,
	               "Microsoft Forms");
	expect_finding("https://bit.ly/3xYz", KS_RULE_LINK_SHORTENER, KS_SEV_LOW, "bit.ly");
	expect_finding("https://www.linkedin.com/slink?code=abc", KS_RULE_LINK_SHORTENER, KS_SEV_LOW,
	               "slink");
	/* a Google Doc is neither a form nor hosting */
	expect_nothing("https://docs.google.com/document/d/1abc/edit");
}

static void ip_literals_plain_private_and_disguised(void **state)
{
	(void)state;
	expect_finding("http://203.0.113.77/owa/", KS_RULE_LINK_IP_LITERAL, KS_SEV_MEDIUM,
	               "bare IP address");
	expect_nothing("http://192.168.10.4/wiki/Onboarding");
	expect_nothing("http://10.0.0.8/");
	/* the URL Standard's IPv4 parser takes these as 203.0.113.77 too */
	expect_finding("http://3405803853/", KS_RULE_LINK_IP_LITERAL, KS_SEV_HIGH, "number");
	expect_finding("http://0xCB.0x00.0x71.0x4D/", KS_RULE_LINK_IP_LITERAL, KS_SEV_HIGH, NULL);
	expect_finding("http://0313.0.0161.0115/", KS_RULE_LINK_IP_LITERAL, KS_SEV_HIGH, NULL);
	/* version numbers in a path are not hosts */
	expect_nothing("https://downloads.example.org/1.2.3/");
}

/* A host name that spells its address: wildcard DNS, reverse DNS and the
 * kits' rented names; private addresses, version numbers and dates in a
 * name are no address. */
static void host_names_that_spell_an_ip(void **state)
{
	(void)state;
	expect_finding("http://rurzipws.20-218-142-124.cloud-xip.example/x", KS_RULE_LINK_IP_LITERAL,
	               KS_SEV_MEDIUM, "spells the IP address 20.218.142.124");
	expect_finding("http://jotryelu.20.218.142.124.static.host-rdns.example/",
	               KS_RULE_LINK_IP_LITERAL, KS_SEV_MEDIUM, "20.218.142.124");
	expect_finding("http://121.227.205.92.host.secureserver.net/", KS_RULE_LINK_IP_LITERAL,
	               KS_SEV_MEDIUM, "121.227.205.92");
	expect_finding("https://app.203-0-113-9.sslip.io/login", KS_RULE_LINK_IP_LITERAL,
	               KS_SEV_MEDIUM, "203.0.113.9");
	expect_nothing("http://10-0-0-8.nip.io/");                 /* a private address */
	expect_nothing("https://release-1-2-3.downloads.example/"); /* three numbers */
	expect_nothing("https://2024-10-01.events.example/");       /* a date */
	expect_nothing("https://v2.300.10.1.example.org/");         /* 300 is no octet */
	expect_nothing("https://www.example.com/20.218.142.124/");  /* in the path */
}

static void punycode_honest_and_deceptive(void **state)
{
	(void)state;
	/* 日本語.jp: an honest Japanese name */
	expect_finding("https://xn--wgv71a119e.jp/", KS_RULE_LINK_PUNYCODE, KS_SEV_INFO, "日本語.jp");
	/* "pаypal" with a Cyrillic а (U+0430): mixed scripts */
	expect_finding("https://xn--pypal-4ve.com/signin", KS_RULE_LINK_PUNYCODE, KS_SEV_HIGH,
	               "mixes scripts");
	/* all-Cyrillic "аррӏе" reads as apple */
	expect_finding("https://xn--80ak6aa92e.com/", KS_RULE_LINK_PUNYCODE, KS_SEV_HIGH,
	               "reads as \"app");
	/* mathematical bold letters that IDNA maps to ASCII */
	expect_finding("https://\xf0\x9d\x90\x9a\xf0\x9d\x90\x9b.example.com/", KS_RULE_LINK_PUNYCODE,
	               KS_SEV_HIGH, "look-alike characters for ab.example.com");
	/* a German umlaut domain is honest */
	expect_finding("https://b\xc3\xbc" "cher.de/", KS_RULE_LINK_PUNYCODE, KS_SEV_INFO, NULL);
}

static void machine_made_idn_subdomain(void **state)
{
	(void)state;
	/* a fresh label per mail under a wildcard domain: random letters and
	 * digits with non-ASCII ones scattered in (written, or as punycode) */
	expect_finding("http://\xc3\xb0q4Zt9\xc5\xb8Kw\xc5\x93" "7mPx.promo-lane.example/r.php",
	               KS_RULE_LINK_PUNYCODE, KS_SEV_MEDIUM, "made by a generator");
	expect_finding("http://xn--b9gjv2iibc-h9a8p25b.rentals.example/r1114.php",
	               KS_RULE_LINK_PUNYCODE, KS_SEV_MEDIUM, "made by a generator");
	/* near misses: a word as an IDN subdomain, a random ASCII label beside
	 * an IDN registrable domain, an honest Japanese subdomain */
	expect_finding("https://b\xc3\xbc" "cher.shop.example/", KS_RULE_LINK_PUNYCODE, KS_SEV_INFO,
	               NULL);
	expect_finding("https://x7k2q9z.b\xc3\xbc" "cher.de/", KS_RULE_LINK_PUNYCODE, KS_SEV_INFO,
	               NULL);
	expect_finding("https://\xe6\x97\xa5\xe6\x9c\xac" "2024.example.jp/", KS_RULE_LINK_PUNYCODE,
	               KS_SEV_INFO, NULL);
}

static void script_and_data_uris(void **state)
{
	(void)state;
	expect_finding("javascript:window.location='https://evil.example/'", KS_RULE_LINK_SCRIPT_URI,
	               KS_SEV_MEDIUM, "javascript:");
	expect_finding("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
	               KS_RULE_LINK_SCRIPT_URI, KS_SEV_HIGH, "text/html");
	expect_finding("DATA:application/octet-stream;base64,TVqQAAMAAAAEAAAA",
	               KS_RULE_LINK_SCRIPT_URI, KS_SEV_HIGH, "application/octet-stream");
	expect_nothing("javascript:void(0)");
	expect_nothing("javascript:;");
	expect_nothing("data:image/png;base64,iVBORw0KGgo=");
	expect_nothing("mailto:someone@example.org");
}

static void open_redirects_are_read_and_their_targets_judged(void **state)
{
	(void)state;
	const char *hrefs[] = {
		"https://www.google.com/url?q=https%3A%2F%2Fkit.pages.dev%2Fm365&sa=D&usg=x",
		NULL,
	};
	g_autoptr(ks_report) r = judged(hrefs);
	const ks_finding *f = sole_finding(r, KS_RULE_LINK_OPEN_REDIRECT);
	assert_non_null(f);
	assert_contains(f->evidence, "→ https://kit.pages.dev/m365");
	assert_contains(f->evidence, "Google redirect");
	f = sole_finding(r, KS_RULE_LINK_FREE_HOSTING);
	assert_non_null(f);
	assert_contains(f->evidence, "Cloudflare Pages");
	assert_true(has_ioc(r, KS_IOC_URL, "https://kit.pages.dev/m365"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "kit.pages.dev"));
}

static void bing_yahoo_amp_and_doubleclick_targets(void **state)
{
	(void)state;
	/* "a1" + base64url("https://lure.example/x") */
	g_autofree char *bing = ks_link_unwrap(
		"https://www.bing.com/ck/a?!&&p=abc&ptn=3&u=a1aHR0cHM6Ly9sdXJlLmV4YW1wbGUveA&ntb=1",
		NULL);
	assert_string_equal(bing, "https://lure.example/x");
	g_autofree char *amp = ks_link_unwrap("https://www.google.co.jp/amp/s/lure.example/p?id=1",
	                                      NULL);
	assert_string_equal(amp, "https://lure.example/p?id=1");
	g_autofree char *yahoo = ks_link_unwrap(
		"https://r.search.yahoo.com/_ylt=A;_ylu=B/RV=2/RE=1/RO=10/RU=https%3a%2f%2flure.example%2f/"
		"RK=2/RS=x",
		NULL);
	assert_string_equal(yahoo, "https://lure.example/");
	bool redirect = false;
	g_autofree char *dc = ks_link_unwrap(
		"https://ad.doubleclick.net/ddm/trackclk/N1.2/B3;dc_trk_aid=4?https://lure.example/o",
		&redirect);
	assert_string_equal(dc, "https://lure.example/o");
	assert_true(redirect);
	/* a YouTube attribution link to YouTube's own redirect to elsewhere */
	g_autofree char *yt = ks_link_unwrap("https://www.youtube.com/attribution_link?u=%2Fredirect"
	                                     "%3Fq%3Dhttps%253A%252F%252Flure.example%252F",
	                                     NULL);
	assert_string_equal(yt, "https://lure.example/");
}

static void gateway_wrapping_is_no_redirect(void **state)
{
	(void)state;
	bool redirect = true;
	g_autofree char *t = ks_link_unwrap("https://eur01.safelinks.protection.outlook.com/?url="
	                                    "https%3A%2F%2Fpartner.example%2Finvoice&data=x",
	                                    &redirect);
	assert_string_equal(t, "https://partner.example/invoice");
	assert_false(redirect);
	assert_null(ks_link_unwrap("https://partner.example/invoice?url=https://x.example/", NULL));
	expect_nothing("https://eur01.safelinks.protection.outlook.com/?url="
	               "https%3A%2F%2Fpartner.example%2Finvoice&data=x");
	/* but the target inside a gateway is judged */
	expect_finding("https://urldefense.com/v3/__https://x1.web.core.windows.net/__;!!abc$",
	               KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH, "→ https://x1.web.core.windows.net/");
}

static void redirect_to_own_or_sender_site_is_quiet(void **state)
{
	(void)state;
	/* Google's redirect to a Google page */
	expect_nothing("https://www.google.com/url?q=https://support.google.com/mail");
	/* the sender's own site behind a redirect */
	expect_nothing("https://www.google.com/url?q=https://www.sender.example/spring-sale");
}

static void bulk_mail_drops_weak_and_lists_keep_only_strong(void **state)
{
	(void)state;
	const char *hrefs[] = {"https://bit.ly/3news", "https://docs.google.com/forms/d/e/x/viewform",
	                       "https://team.github.io/notes", "https://q.z6.web.core.windows.net/",
	                       NULL};
	g_autoptr(ks_report) bulk = report_with(hrefs);
	add_header(bulk, "List-Unsubscribe", "<https://news.sender.example/u?id=1>");
	ks_links_analyze(NULL, NULL, bulk);
	assert_null(find_rule(bulk, KS_RULE_LINK_SHORTENER));
	assert_null(find_rule(bulk, KS_RULE_LINK_FORM_SERVICE));
	const ks_finding *f = sole_finding(bulk, KS_RULE_LINK_FREE_HOSTING);
	assert_non_null(f);
	assert_contains(f->evidence, "github.io");
	assert_int_equal(f->severity, KS_SEV_HIGH);

	g_autoptr(ks_report) list = report_with(hrefs);
	add_header(list, "List-Id", "Alumni announcements <alumni.lists.univ.example>");
	ks_links_analyze(NULL, NULL, list);
	f = sole_finding(list, KS_RULE_LINK_FREE_HOSTING);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_null(strstr(f->evidence, "github.io"));
	assert_int_equal(list->findings->len, 1);
}

static void one_finding_per_rule_and_location_names_three(void **state)
{
	(void)state;
	ks_report *r = ks_report_new();
	for (int i = 0; i < 5; i++) {
		g_autofree char *h = g_strdup_printf("https://tinyurl.com/x%d", i);
		g_ptr_array_add(r->links, ks_link_new("here", h));
	}
	g_ptr_array_add(r->links, ks_link_new_at("[PDF link]", "https://is.gd/pdf1", "part:2"));
	ks_links_analyze(NULL, NULL, r);
	assert_int_equal(count_rule(r, KS_RULE_LINK_SHORTENER), 2);
	const ks_finding *body = find_rule(r, KS_RULE_LINK_SHORTENER);
	assert_string_equal(body->location, "body");
	assert_contains(body->evidence, "\"here\" → https://tinyurl.com/x0");
	assert_contains(body->evidence, "and 2 more");
	const ks_finding *pdf = g_ptr_array_index(r->findings, 1);
	assert_string_equal(pdf->location, "part:2");
	/* a marker is no label worth quoting */
	assert_null(strstr(pdf->evidence, "PDF link"));
	ks_report_free(r);
}

static void hostile_hrefs_do_not_crash(void **state)
{
	(void)state;
	const char *hrefs[] = {
		"https://", "http://[::1", "https://@/", "https://www.google.com/url?q=",
		"https://www.google.com/url?q=%", "https://www.bing.com/ck/a?u=a1",
		"https://www.bing.com/ck/a?u=a1!!!!", "https://ad.doubleclick.net/x?",
		"https://www.google.com/amp/s/", "https://r.search.yahoo.com/RU=",
		"http://1.2.3.4.5/", "http://0x/", "http://99999999999999999999/", "data:", "javascript:",
		"https://xn--/", "https://xn--zz.example/", NULL,
	};
	g_autoptr(ks_report) r = judged(hrefs);
	/* a chain of redirects each wrapping the next stops at the limit */
	GString *deep = g_string_new("https://lure.example/");
	for (int i = 0; i < 12; i++) {
		g_autofree char *esc = g_uri_escape_string(deep->str, NULL, FALSE);
		g_string_printf(deep, "https://www.google.com/url?q=%s", esc);
	}
	g_autofree char *t = ks_link_unwrap(deep->str, NULL);
	assert_non_null(t);
	assert_true(g_str_has_prefix(t, "https://www.google.com/url?q="));
	g_string_free(deep, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(azure_static_website_is_strong_hosting),
		cmocka_unit_test(object_store_file_is_weak_but_a_page_there_is_strong),
		cmocka_unit_test(provider_own_site_is_not_a_customer_page),
		cmocka_unit_test(dynamic_dns_zones_are_hosting),
		cmocka_unit_test(ipfs_path_on_any_host_is_a_gateway),
		cmocka_unit_test(forms_and_shorteners),
		cmocka_unit_test(ip_literals_plain_private_and_disguised),
		cmocka_unit_test(host_names_that_spell_an_ip),
		cmocka_unit_test(punycode_honest_and_deceptive),
		cmocka_unit_test(machine_made_idn_subdomain),
		cmocka_unit_test(script_and_data_uris),
		cmocka_unit_test(open_redirects_are_read_and_their_targets_judged),
		cmocka_unit_test(bing_yahoo_amp_and_doubleclick_targets),
		cmocka_unit_test(gateway_wrapping_is_no_redirect),
		cmocka_unit_test(redirect_to_own_or_sender_site_is_quiet),
		cmocka_unit_test(bulk_mail_drops_weak_and_lists_keep_only_strong),
		cmocka_unit_test(one_finding_per_rule_and_location_names_three),
		cmocka_unit_test(hostile_hrefs_do_not_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
