/* SVG images as pages.  libxml2 parses the file as XML in recovery mode
 * with the network off and entities left unsubstituted (no external
 * entity, no entity expansion), and the tree is walked iteratively.  What
 * counts, by the SVG 2 and HTML specifications: <script> (inline, or by
 * href / xlink:href), on* event attributes, <foreignObject> holding HTML
 * (a form drawn inside the picture), iframe/embed/object, <a> links, and
 * javascript: or data: targets set by href or by <set>/<animate> (the
 * animation trick of SVG XSS reports).  Names are compared without their
 * namespace prefix, case-insensitively, as browsers are lenient. */
#include "payloads/svg.h"

#include "mail/html.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

/* Items kept per list, and links per image. */
#define LIST_MAX 20
#define LINKS_MAX 500
/* Characters of an <a>'s text kept as its label. */
#define LABEL_MAX 200
/* Bytes looked at by accepts() for an <svg element. */
#define ACCEPT_WINDOW 1024
/* Items named in the finding's evidence. */
#define EVIDENCE_ITEMS 3

void ks_svg_free(ks_svg *s)
{
	if (!s)
		return;
	g_ptr_array_unref(s->script_urls);
	g_ptr_array_unref(s->handlers);
	g_ptr_array_unref(s->foreign_html);
	g_ptr_array_unref(s->links);
	g_free(s);
}

static void list_add(GPtrArray *l, const char *v)
{
	if (!v || l->len >= LIST_MAX)
		return;
	for (guint i = 0; i < l->len; i++)
		if (strcmp(g_ptr_array_index(l, i), v) == 0)
			return;
	g_ptr_array_add(l, g_strdup(v));
}

static bool named(const xmlNode *n, const char *name)
{
	return n->name && g_ascii_strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value by local name, any namespace (href and xlink:href
 * alike), blanks stripped; NULL when absent. */
static char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (!a->name || g_ascii_strcasecmp((const char *)a->name, name) != 0)
			continue;
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		char *s = g_strstrip(g_strdup(v ? (const char *)v : ""));
		xmlFree(v);
		return s;
	}
	return NULL;
}

static bool is_remote(const char *u)
{
	return g_ascii_strncasecmp(u, "http://", 7) == 0 || g_ascii_strncasecmp(u, "https://", 8) == 0 ||
	       g_str_has_prefix(u, "//");
}

/* A target that runs or carries a page: javascript:, vbscript:, data:
 * with markup or script. */
static bool active_target(const char *u)
{
	if (g_ascii_strncasecmp(u, "javascript:", 11) == 0 || g_ascii_strncasecmp(u, "vbscript:", 9) == 0)
		return true;
	if (g_ascii_strncasecmp(u, "data:", 5) != 0)
		return false;
	g_autofree char *head = g_ascii_strdown(u, (gssize)MIN(strlen(u), (size_t)64));
	return strstr(head, "html") || strstr(head, "svg") || strstr(head, "script");
}

static void add_link(ks_svg *s, const char *label, const char *href)
{
	if (!href || !*href || s->links->len >= LINKS_MAX)
		return;
	for (guint i = 0; i < s->links->len; i++)
		if (strcmp(((ks_link *)g_ptr_array_index(s->links, i))->href, href) == 0)
			return;
	g_ptr_array_add(s->links, ks_link_new(label, href));
}

/* The text inside an <a>, collapsed and cut, as its label. */
static char *label_of(xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	GString *out = g_string_new(NULL);
	bool space = false;
	for (const char *p = c ? (const char *)c : ""; *p && out->len < LABEL_MAX * 4; p++) {
		if (g_ascii_isspace(*p)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_c(out, *p);
	}
	xmlFree(c);
	const char *end = NULL;
	if (!g_utf8_validate(out->str, -1, &end))
		g_string_truncate(out, (gsize)(end - out->str));
	return g_string_free(out, FALSE);
}

/* HTML elements that make a foreignObject a page of its own. */
static const char *const html_inside[] = {"form", "input", "iframe", "script", "object",
                                          "embed", "button", "textarea"};

static void visit(ks_svg *s, xmlNode *n, int foreign_depth)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->name && g_ascii_strncasecmp((const char *)a->name, "on", 2) == 0 &&
		    strlen((const char *)a->name) > 2)
			list_add(s->handlers, (const char *)a->name);
	if (foreign_depth > 0)
		for (size_t i = 0; i < G_N_ELEMENTS(html_inside); i++)
			if (named(n, html_inside[i]))
				list_add(s->foreign_html, html_inside[i]);
	if (named(n, "script")) {
		s->scripts++;
		g_autofree char *src = attr(n, "href");
		if (!src)
			src = attr(n, "src");
		if (src && is_remote(src))
			list_add(s->script_urls, src);
		return;
	}
	if (named(n, "iframe") || named(n, "embed") || named(n, "object")) {
		s->embeds++;
		g_autofree char *src = attr(n, named(n, "object") ? "data" : "src");
		if (src && (is_remote(src) || active_target(src)))
			add_link(s, "[SVG frame]", src);
	}
	g_autofree char *href = attr(n, "href");
	if (named(n, "a") && href && *href && href[0] != '#') {
		g_autofree char *label = label_of(n);
		add_link(s, *label ? label : "[SVG link]", href);
	} else if (href && active_target(href)) {
		add_link(s, "[SVG href]", href);
	}
	/* <set attributeName="href" to="javascript:..."> */
	if (named(n, "set") || named(n, "animate")) {
		g_autofree char *to = attr(n, "to");
		g_autofree char *values = attr(n, "values");
		if ((to && active_target(to)) || (values && strstr(values, "javascript:"))) {
			list_add(s->handlers, "animated javascript: href");
			add_link(s, "[SVG animation]", to ? to : values);
		}
	}
}

/* Pre-order walk with an explicit cursor (no recursion); foreign counts
 * the foreignObject elements the cursor is inside. */
static void walk(ks_svg *s, xmlNode *top)
{
	int foreign = 0;
	xmlNode *n = top;
	for (;;) {
		bool element = n->type == XML_ELEMENT_NODE;
		if (element) {
			visit(s, n, foreign);
			if (named(n, "foreignObject")) {
				s->foreign_objects++;
				foreign++;
			}
		}
		/* a script's text is no element; do not descend */
		if (element && n->children && !named(n, "script")) {
			n = n->children;
			continue;
		}
		if (element && named(n, "foreignObject"))
			foreign--;
		while (n != top && !n->next) {
			n = n->parent;
			if (n->type == XML_ELEMENT_NODE && named(n, "foreignObject"))
				foreign--;
		}
		if (n == top)
			break;
		n = n->next;
	}
}

ks_svg *ks_svg_scan(const char *data, gsize len)
{
	ks_svg *s = g_new0(ks_svg, 1);
	s->script_urls = g_ptr_array_new_with_free_func(g_free);
	s->handlers = g_ptr_array_new_with_free_func(g_free);
	s->foreign_html = g_ptr_array_new_with_free_func(g_free);
	s->links = g_ptr_array_new_with_free_func((GDestroyNotify)ks_link_free);
	if (!data || len == 0)
		return s;
	len = MIN(len, (gsize)KS_SVG_BYTES_MAX);
	/* no NOENT, no DTDLOAD: entities stay references (no XXE, no billion
	 * laughs); NONET: nothing is fetched */
	int options = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr doc = xmlReadMemory(data, (int)MIN(len, (gsize)INT_MAX), NULL, NULL, options);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root) {
		s->parsed = named(root, "svg");
		walk(s, root);
	}
	if (doc)
		xmlFreeDoc(doc);
	return s;
}

/* ---- the attachment row ------------------------------------------------ */

static bool svg_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n > 4 && g_ascii_strcasecmp(name + n - 4, ".svg") == 0;
}

bool ks_svg_accepts(const ks_attachment *a)
{
	if (!a || !a->data || g_bytes_get_size(a->data) == 0)
		return false;
	if (g_strcmp0(a->detected_type, "image/svg+xml") == 0 ||
	    (a->declared_type && g_ascii_strcasecmp(a->declared_type, "image/svg+xml") == 0) ||
	    svg_name(a->filename))
		return true;
	gsize n = 0;
	const char *p = g_bytes_get_data(a->data, &n);
	n = MIN(n, (gsize)ACCEPT_WINDOW);
	for (gsize i = 0; i + 4 <= n; i++)
		if (p[i] == '<' && g_ascii_strncasecmp(p + i + 1, "svg", 3) == 0 &&
		    (i + 4 == n || g_ascii_isspace(p[i + 4]) || p[i + 4] == '>'))
			return true;
	return false;
}

static void append_list(GString *ev, const char *what, const GPtrArray *l)
{
	g_string_append_printf(ev, "%s%s ", ev->len ? "; " : "", what);
	for (guint i = 0; i < l->len && i < EVIDENCE_ITEMS; i++)
		g_string_append_printf(ev, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(l, i));
	if (l->len > EVIDENCE_ITEMS)
		g_string_append(ev, ", …");
}

void ks_svg_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)depth;
	gsize n = 0;
	const char *p = g_bytes_get_data(a->data, &n);
	g_autoptr(ks_svg) s = ks_svg_scan(p, n);
	if (!s->parsed)
		return;
	ks_report *r = ks_part_walk_report(w);
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	const char *name = a->filename ? a->filename : a->path;
	g_autoptr(GString) ev = g_string_new(NULL);
	bool active = s->scripts || s->handlers->len || s->foreign_html->len;
	if (s->scripts) {
		g_string_append_printf(ev, "%d script%s", s->scripts, s->scripts == 1 ? "" : "s");
		if (s->script_urls->len)
			append_list(ev, " from", s->script_urls);
	}
	if (s->handlers->len)
		append_list(ev, "event handlers", s->handlers);
	if (s->foreign_html->len)
		append_list(ev, "HTML inside a foreignObject:", s->foreign_html);
	if (s->embeds)
		g_string_append_printf(ev, "%s%d embedded frame%s", ev->len ? "; " : "", s->embeds,
		                       s->embeds == 1 ? "" : "s");
	int web_links = 0;
	g_autoptr(GString) shown = g_string_new(NULL);
	for (guint i = 0; i < s->links->len; i++) {
		ks_link *l = g_ptr_array_index(s->links, i);
		g_ptr_array_add(r->links, ks_link_new_at(l->text, l->href, loc));
		active = active || active_target(l->href);
		if (web_links++ < EVIDENCE_ITEMS)
			g_string_append_printf(shown, "%s%s", shown->len ? ", " : "", l->href);
	}
	if (web_links)
		g_string_append_printf(ev, "%slinks to %s%s", ev->len ? "; " : "", shown->str,
		                       web_links > EVIDENCE_ITEMS ? ", …" : "");
	if (s->scripts) {
		g_autofree char *v = g_strdup_printf("%d", s->scripts);
		ks_attachment_add_meta(a, "svg_scripts", v);
	}
	if (!ev->len)
		return;
	/* script, handlers or a form in the picture run when it is opened;
	 * links alone need a click */
	ks_report_add_finding_sev(r, KS_RULE_ATTACHMENT_SVG_ACTIVE,
	                          active ? KS_SEV_HIGH : KS_SEV_MEDIUM, loc, "%s: %s", name, ev->str);
}

/* SVG is libxml2's */
const ks_payload_analyzer ks_svg_payload = {"svg", ks_svg_accepts, ks_svg_expand, false};
