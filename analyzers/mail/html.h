/* HTML and link helpers shared by the body analyzer and, later, the HTML
 * attachment analyzers: HTML to plain text through libxml2's parser (never a
 * renderer, never a network fetch), bare URLs found in text, and the
 * html.link_text_mismatch check over a list of links. */
#ifndef KS_HTML_H
#define KS_HTML_H

#include "core/report.h"

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <stddef.h>

/* At most this many links are collected per call (phishing kits pad pages
 * with thousands of anchors; the analyst needs the first ones). */
#define KS_LINKS_MAX 2000
/* Text produced from one HTML document stops growing here. */
#define KS_HTML_TEXT_MAX (4 * 1024 * 1024)

/* Plain text of an HTML document (UTF-8 in, UTF-8 out, not yet sanitized):
 * script, style, head, comments and hidden text (see ks_html_hidden)
 * dropped, whitespace collapsed, a line
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

/* Text a reader does not see: hidden by display:none, visibility:hidden,
 * opacity:0, a zero font size, a zero height or width with overflow
 * hidden, off-screen positioning, the hidden attribute, a class whose
 * <style> rule does one of these, or a colour equal to the background.
 * It is left out of the text (and of link labels) and kept here. */
typedef struct {
	char *text;      /* blanks collapsed, cut at KS_HTML_HIDDEN_TEXT_MAX bytes */
	gsize chars;     /* its whole length in characters */
	char *shown;     /* the visible word it sits inside ("Amazon" for
	                    "A<span hidden>X34</span>mazon"), or NULL when it
	                    stands apart (a preheader, a block) */
	const char *how; /* "display:none", "same colour as background", ... */
} ks_html_hidden;

#define KS_HTML_HIDDEN_TEXT_MAX 200
/* Hidden runs kept per document. */
#define KS_HTML_HIDDEN_MAX 50

/* What the text walk learns besides the text. */
typedef struct {
	GPtrArray *hidden;    /* ks_html_hidden*, in document order */
	char *title;          /* the <title>'s text, blanks collapsed, or NULL */
	GPtrArray *lead_alts; /* char*: alt texts of the images shown before
	                         the first KS_HTML_LEAD_CHARS visible bytes
	                         (a mail's header logo), at most three */
} ks_html_extras;

#define KS_HTML_LEAD_CHARS 200

ks_html_extras *ks_html_extras_new(void);
void ks_html_extras_free(ks_html_extras *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_html_extras, ks_html_extras_free)

/* ks_html_doc_to_text that also fills extras (when given). */
char *ks_html_doc_to_text_full(htmlDocPtr doc, GPtrArray *links_out, ks_html_extras *extras);

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
