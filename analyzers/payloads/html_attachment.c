/* The payload row for HTML and SVG attachments (attachments.h's table):
 * which parts are pages, and their scan as a browser would read them
 * (charset by BOM, the part's charset, <meta>, a guess) through
 * html_scan.h.  The HTML body is body.c's, which calls the scanner
 * directly. */
#include "payloads/html_attachment.h"

#include "mail/charset.h"
#include "mail/html.h"
#include "payloads/html_scan.h"
#include "checks/links.h"
#include "checks/obfuscation.h"

#include <string.h>

/* Bytes read to recognise a page by its first markup, and to find its
 * <meta> charset. */
#define ACCEPT_WINDOW 1024
#define META_CHARSET_WINDOW 4096

static bool type_is(const char *type, const char *want)
{
	return type && g_ascii_strcasecmp(type, want) == 0;
}

static bool html_name(const char *name)
{
	static const char *const exts[] = {".htm", ".html", ".shtml", ".xhtml", ".svg", NULL};
	if (!name)
		return false;
	for (const char *const *e = exts; *e; e++)
		if (strlen(name) > strlen(*e) &&
		    g_ascii_strcasecmp(name + strlen(name) - strlen(*e), *e) == 0)
			return true;
	return false;
}

/* Starts (after a BOM and blanks) with markup, and names <html, a doctype,
 * <script or <svg within the first KiB. */
static bool starts_like_html(const char *p, gsize n)
{
	n = MIN(n, (gsize)ACCEPT_WINDOW);
	gsize i = 0;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && g_ascii_isspace(p[i]))
		i++;
	if (i >= n || p[i] != '<')
		return false;
	static const char *const marks[] = {"<html", "<!doctype html", "<script", "<svg", NULL};
	for (const char *const *m = marks; *m; m++)
		if (ks_html_find_ci(p + i, n - i, *m))
			return true;
	return false;
}

bool ks_html_accepts(const ks_attachment *a)
{
	if (!a || !a->data)
		return false;
	if (type_is(a->detected_type, "text/html") || type_is(a->detected_type, "image/svg+xml"))
		return true;
	bool textual = !a->detected_type || g_str_has_prefix(a->detected_type, "text/");
	if (textual && type_is(a->declared_type, "text/html"))
		return true;
	if (html_name(a->filename) && (textual || type_is(a->detected_type, "application/xml")))
		return true;
	gsize n = 0;
	const char *p = g_bytes_get_data(a->data, &n);
	return p && starts_like_html(p, n);
}

/* The charset a <meta> in the first 4 KiB declares ("<meta charset=x>" or
 * "content="text/html; charset=x""), or NULL. */
static char *meta_charset(const char *p, gsize n)
{
	n = MIN(n, (gsize)META_CHARSET_WINDOW);
	for (const char *m = p; (m = ks_html_find_ci(m, n - (m - p), "<meta")); m += 5) {
		const char *end = memchr(m, '>', n - (m - p));
		if (!end)
			return NULL;
		const char *c = ks_html_find_ci(m, end - m, "charset");
		if (!c)
			continue;
		c += 7;
		while (c < end && (*c == ' ' || *c == '=' || *c == '"' || *c == '\''))
			c++;
		gsize k = 0;
		while (c + k < end && (g_ascii_isalnum(c[k]) || strchr("-_.:", c[k])))
			k++;
		if (k > 0)
			return g_strndup(c, k);
	}
	return NULL;
}

/* The page as UTF-8, in the order a browser decides (HTML Living Standard
 * 13.2.3.2): a BOM, then the transport's charset (the MIME part's), then a
 * <meta> prescan, then a guess. */
static char *page_utf8(const ks_attachment *a, const char *p, gsize n)
{
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		return ks_charset_to_utf8(p + 3, n - 3, "UTF-8", NULL, NULL);
	if (n >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0)) {
		const char *from = p[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
		char *s = g_convert(p + 2, (n - 2) & ~(gsize)1, "UTF-8", from, NULL, NULL, NULL);
		if (s)
			return s;
	}
	const char *part = ks_attachment_get_meta(a, "charset");
	if (part && *part)
		return ks_charset_to_utf8(p, n, part, NULL, NULL);
	g_autofree char *declared = meta_charset(p, n);
	if (declared)
		return ks_charset_to_utf8(p, n, declared, NULL, NULL);
	return ks_charset_guess_to_utf8(p, n, NULL);
}

void ks_html_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)depth;
	gsize n = 0;
	const char *p = a->data ? g_bytes_get_data(a->data, &n) : NULL;
	if (!p || n == 0)
		return;
	ks_report *r = ks_part_walk_report(w);
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	g_autofree char *page = page_utf8(a, p, MIN(n, (gsize)KS_HTML_SCAN_BYTES_MAX));
	gsize len = MIN(strlen(page), (gsize)KS_HTML_SCAN_BYTES_MAX);
	/* one tree for the scan, the links and the hidden text */
	htmlDocPtr doc = ks_html_parse(page, len);
	ks_html_scan_doc(doc, page, len, loc, ks_part_walk_context(w), r, a);
	/* the body's links and hidden text are checked by body.c; an
	 * attachment's here, and its links join the mail's links at the
	 * attachment's part */
	g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func((GDestroyNotify)ks_link_free);
	g_autoptr(ks_html_extras) extras = ks_html_extras_new();
	g_free(ks_html_doc_to_text_full(doc, links, extras));
	ks_links_report_mismatches(links, loc, r);
	ks_obfuscation_report_hidden(extras->hidden, loc, r);
	if (doc)
		xmlFreeDoc(doc);
	for (guint i = 0; i < links->len; i++) {
		ks_link *l = g_ptr_array_index(links, i);
		l->location = g_strdup(loc);
		g_ptr_array_add(r->links, l);
	}
	g_ptr_array_set_free_func(links, NULL);
}

const ks_payload_analyzer ks_html_payload = {"html", ks_html_accepts, ks_html_expand, false};
