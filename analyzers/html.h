/* HTML and link helpers shared by the body analyzer and, later, the HTML
 * attachment analyzers: HTML to plain text through libxml2's parser (never a
 * renderer, never a network fetch), bare URLs found in text, and the
 * html.link_text_mismatch check over a list of links. */
#ifndef KS_HTML_H
#define KS_HTML_H

#include "report.h"

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <stddef.h>

/* At most this many links are collected per call (phishing kits pad pages
 * with thousands of anchors; the analyst needs the first ones). */
#define KS_LINKS_MAX 2000
/* Text produced from one HTML document stops growing here. */
#define KS_HTML_TEXT_MAX (4 * 1024 * 1024)

/* Plain text of an HTML document (UTF-8 in, UTF-8 out, not yet sanitized):
 * script, style, head and comments dropped, whitespace collapsed, a line
 * break per block element, "- " before list items, "[image: ALT]" for
 * images.  When links_out (ks_link*) is given, every <a href> and
 * <area href> is appended as {visible text, href as written}, then every
 * bare URL in text outside an anchor whose href is not there yet.  NULL
 * only when libxml2 could not build a tree at all; g_free. */
char *ks_html_to_text(const char *html, size_t len, GPtrArray *links_out);

/* libxml2's tree of UTF-8 HTML, parsed the one way every analyzer reads
 * HTML (recovery mode, no network, no DTD, the bytes taken as UTF-8
 * whatever the <meta> says, no nesting cap), for callers that read the
 * same HTML more than once; NULL when no tree could be built (or len is
 * 0); xmlFreeDoc. */
htmlDocPtr ks_html_parse(const char *html, size_t len);

/* ks_html_to_text over a tree from ks_html_parse, which is only read;
 * NULL when doc is NULL. */
char *ks_html_doc_to_text(htmlDocPtr doc, GPtrArray *links_out);

/* Appends to links_out (ks_link*) each http://, https://, ftp:// or www.
 * URL in text as {url, url}, trailing punctuation trimmed unless it closes
 * a bracket the URL opened; an href already in links_out is skipped. */
void ks_text_find_urls(const char *text, size_t len, GPtrArray *links_out);

/* Raises html.link_text_mismatch for each link (ks_link*) whose visible
 * text names a host (a URL, a domain, an address) of another registrable
 * domain than its href's host; one finding per pair of domains, ten at
 * most, each at location. */
void ks_links_report_mismatches(const GPtrArray *links, const char *location, ks_report *r);

#endif
