/* HTML to text, bare-URL scanning and the link-text check.  The HTML is
 * parsed by libxml2 in recovery mode with network access and the document's
 * own charset hint disabled (the body is already UTF-8), then walked
 * iteratively (no recursion, so 10,000 nested <div>s cost a loop, not a
 * stack).  Text a reader would not see (display:none and its kin, read by
 * html_style.c) is left out and kept apart for the caller.  Nothing here
 * draws: callers sanitize. */
#include "mail/html.h"

#include "core/domains.h"
#include "mail/html_style.h"
#include "checks/links.h"
#include "checks/mailing_list.h"
#include "checks/routing.h"

#include <libpsl.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

/* Visible text kept per anchor: enough for any honest link label. */
#define ANCHOR_TEXT_MAX 1024
/* Anchors nested in anchors (invalid, but kits write them) tracked at once. */
#define ANCHOR_STACK 8
/* A bare URL longer than this is cut (RFC 7230 3.1.1 suggests 8000 octets). */
#define URL_MAX 8192
/* html.link_text_mismatch findings per call (one mail, one HTML part). */
#define MISMATCH_MAX 10

/* Elements whose content a mail client never shows as text.  <head> is not
 * one of them: its own elements (title, style, script; meta, link and base
 * hold no text) are skipped each, and what else libxml2's HTML 4 parser
 * leaves there is shown by a browser.  A kit that opens <thead> or another
 * body element before <body> keeps its links and words in libxml2's <head>,
 * while the HTML Living Standard's parser (13.2.6.4.4, "in head": any other
 * start tag closes the head) puts them in the body a mail client shows. */
static const char *const skipped_elements[] = {
	"script", "style", "title", "template", "iframe", "object", "xml", NULL,
};

/* Elements that start and end a line in every renderer (HTML Living
 * Standard, "flow content" that is displayed as a block by default). */
static const char *const block_elements[] = {
	"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
	"hr", "ul", "ol", "dl", "dt", "dd", "pre", "section", "article", "header", "footer",
	"nav", "aside", "address", "form", "fieldset", "center", "main", "figure",
	"figcaption", "caption", "tbody", "thead", "tfoot", "body", "html", NULL,
};

static bool name_in(const xmlChar *name, const char *const *list)
{
	/* the lists are lower case: their first byte first (this runs on
	 * every element of every page, twice) */
	char first = g_ascii_tolower((char)name[0]);
	for (const char *const *p = list; *p; p++)
		if (**p == first && g_ascii_strcasecmp((const char *)name, *p) == 0)
			return true;
	return false;
}

typedef struct {
	xmlNode *node;
	GString *text;
	char *href;
	bool hidden; /* opened inside hidden content: its label is hidden text */
} open_anchor;

/* What an open element passes on to its content about being seen. */
typedef struct {
	xmlNode *node;
	const char *hides; /* display:none and the like, for good */
	bool font_zero;    /* inherited font-size:0, until a child sets a size */
	bool vis_hidden;   /* inherited visibility:hidden, until "visible" */
	bool has_color, clear_text;
	guint32 color;
	bool bg_known;     /* the background behind the text is a known colour */
	guint32 bg;
} style_frame;

/* A hidden run waiting for the text after it (is it inside a word?). */
typedef struct {
	ks_html_hidden *h;
	gsize at;        /* where it sits in the text */
	bool after_word; /* right after a visible letter or digit */
} pending_run;

typedef struct {
	GString *out;
	GPtrArray *links; /* NULL: text only */
	GHashTable *seen; /* "text\x1fhref" of anchors already added */
	open_anchor anchors[ANCHOR_STACK];
	int n_anchors;
	int pre_depth;
	bool pending_space;
	bool full;
	ks_html_extras *extras;     /* NULL: text and links only */
	const ks_css_sheet *sheet;  /* class rules of the page's <style>s */
	bool judge_colors;          /* no style rule sets a background that
	                               cannot be placed on its elements */
	GArray *frames;             /* style_frame, one per open element */
	GString *run;               /* the hidden text being collected, or NULL */
	gsize run_chars, run_at;
	bool run_after_word;
	const char *run_how;
	GArray *pending;            /* pending_run */
} walker;

/* Attribute value with surrounding blanks removed, or NULL when absent. */
static char *attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = g_strstrip(g_strdup((const char *)v));
	xmlFree(v);
	return s;
}

/* What an HTML5 parser makes of a character reference to U+0080-U+009F:
 * the windows-1252 character of that byte (HTML Standard, "numeric
 * character reference end state"); libxml2 keeps the C1 control, so a
 * kit's "&#159;" in a host would read as a control where a browser goes
 * to "Ÿ".  0 for the five bytes windows-1252 leaves undefined. */
static gunichar html5_c1(gunichar c)
{
	static const gunichar cp1252[32] = {
		0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
		0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
	return c >= 0x80 && c <= 0x9F && cp1252[c - 0x80] ? cp1252[c - 0x80] : c;
}

/* An href as a browser reads it: the WHATWG URL parser removes ASCII tabs
 * and newlines anywhere in it and C0 controls or spaces at either end
 * (URL Standard, "basic URL parser"), so kits split hosts with them; C1
 * controls are read as HTML5 reads their references (html5_c1). */
static char *clean_href(const char *raw)
{
	GString *s = g_string_new(NULL);
	bool utf8 = g_utf8_validate(raw, -1, NULL);
	for (const char *p = raw; *p; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		gunichar c = utf8 ? g_utf8_get_char(p) : 0;
		if (c >= 0x80 && c <= 0x9F) {
			g_string_append_unichar(s, html5_c1(c));
			p = g_utf8_next_char(p) - 1;
			continue;
		}
		g_string_append_c(s, *p);
	}
	size_t a = 0, b = s->len;
	while (a < b && (unsigned char)s->str[a] <= 0x20)
		a++;
	while (b > a && (unsigned char)s->str[b - 1] <= 0x20)
		b--;
	char *out = g_strndup(s->str + a, b - a);
	g_string_free(s, TRUE);
	return out;
}

static bool at_line_start(const GString *s)
{
	return s->len == 0 || s->str[s->len - 1] == '\n';
}

static void trim_trailing_blanks(GString *s)
{
	while (s->len > 0 && (s->str[s->len - 1] == ' ' || s->str[s->len - 1] == '\t'))
		g_string_truncate(s, s->len - 1);
}

/* Appends to the open anchors' labels (to those opened inside hidden
 * content only, for hidden text), each capped at ANCHOR_TEXT_MAX (a cut
 * UTF-8 sequence is dropped when the label is finished). */
static void anchors_append(walker *w, const char *s, size_t n, bool hidden)
{
	for (int i = 0; i < w->n_anchors; i++) {
		GString *t = w->anchors[i].text;
		if (hidden && !w->anchors[i].hidden)
			continue;
		if (t->len < ANCHOR_TEXT_MAX)
			g_string_append_len(t, s, MIN(n, ANCHOR_TEXT_MAX - t->len));
	}
}

/* Ends the hidden run being collected: kept (until the text after it is
 * known) when it holds anything but blanks. */
static void close_run(walker *w)
{
	if (!w->run)
		return;
	g_autoptr(GString) run = w->run;
	w->run = NULL;
	while (run->len && run->str[run->len - 1] == ' ')
		g_string_truncate(run, run->len - 1);
	if (!run->len || !w->extras || w->pending->len >= KS_HTML_HIDDEN_MAX)
		return;
	/* the cap may have cut a UTF-8 sequence */
	const char *valid_end = NULL;
	if (!g_utf8_validate(run->str, (gssize)run->len, &valid_end))
		g_string_truncate(run, (gsize)(valid_end - run->str));
	ks_html_hidden *h = g_new0(ks_html_hidden, 1);
	h->text = g_strdup(run->str);
	h->chars = w->run_chars;
	h->how = w->run_how;
	pending_run p = {h, w->run_at, w->run_after_word};
	g_array_append_val(w->pending, p);
}

/* Appends visible bytes to the text and to every open anchor's label. */
static void emit(walker *w, const char *s, size_t n)
{
	if (n == 0)
		return;
	close_run(w);
	if (w->pending_space) {
		if (!at_line_start(w->out) && !w->full)
			g_string_append_c(w->out, ' ');
		anchors_append(w, " ", 1, false);
		w->pending_space = false;
	}
	if (!w->full) {
		g_string_append_len(w->out, s, n);
		if (w->out->len >= KS_HTML_TEXT_MAX)
			w->full = true;
	}
	anchors_append(w, s, n, false);
}

/* A line break: hard (<br>) always breaks, keeping at most one blank
 * line; soft (a block's edge) only ends a line that has text. */
static void line_break(walker *w, bool hard)
{
	w->pending_space = false;
	anchors_append(w, " ", 1, false);
	if (w->full)
		return;
	trim_trailing_blanks(w->out);
	if (w->out->len == 0)
		return;
	if (!hard) {
		if (!at_line_start(w->out))
			g_string_append_c(w->out, '\n');
		return;
	}
	size_t nl = 0;
	while (nl < w->out->len && w->out->str[w->out->len - 1 - nl] == '\n')
		nl++;
	if (nl < 2)
		g_string_append_c(w->out, '\n');
}

/* Length of a run of HTML white space at p: ASCII blanks and U+00A0
 * (&nbsp;, which mail HTML uses for indentation). */
static size_t space_at(const char *p, const char *end)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
		return 1;
	if (end - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	return 0;
}

static void emit_text(walker *w, const char *s)
{
	const char *end = s + strlen(s);
	if (w->pre_depth > 0) {
		/* <pre> keeps its line breaks and spaces */
		for (const char *p = s; p < end;) {
			const char *nl = memchr(p, '\n', end - p);
			const char *stop = nl ? nl : end;
			size_t n = stop - p;
			if (n > 0 && p[n - 1] == '\r')
				n--;
			emit(w, p, n);
			if (!nl)
				break;
			line_break(w, true);
			p = nl + 1;
		}
		return;
	}
	const char *p = s;
	while (p < end) {
		size_t sp = space_at(p, end);
		if (sp) {
			w->pending_space = true;
			p += sp;
			continue;
		}
		const char *q = p;
		while (q < end && !space_at(q, end))
			q++;
		emit(w, p, q - p);
		p = q;
	}
}

/* A word-like marker such as "[image: logo]", set apart by spaces. */
static void emit_marker(walker *w, const char *marker)
{
	w->pending_space = true;
	emit(w, marker, strlen(marker));
	w->pending_space = true;
}

static bool link_known(const GPtrArray *links, const char *href)
{
	for (guint i = 0; i < links->len; i++) {
		const ks_link *l = g_ptr_array_index(links, i);
		if (strcmp(l->href, href) == 0)
			return true;
	}
	return false;
}

/* Label text with runs of white space collapsed to one space, trimmed. */
static char *collapse(const char *s)
{
	GString *out = g_string_new(NULL);
	bool space = false;
	const char *end = s + strlen(s);
	for (const char *p = s; p < end;) {
		size_t sp = space_at(p, end);
		if (sp) {
			space = true;
			p += sp;
			continue;
		}
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = false;
		g_string_append_c(out, *p++);
	}
	return g_string_free(out, FALSE);
}

static void add_anchor_link(walker *w, const char *text, const char *href)
{
	if (w->links->len >= KS_LINKS_MAX)
		return;
	g_autofree char *label = collapse(text);
	/* the cap may have split the last UTF-8 sequence: drop its head rather
	 * than let the sanitizer show it as \xNN (earlier bad bytes stay) */
	const char *valid_end = NULL;
	if (!g_utf8_validate(label, -1, &valid_end) &&
	    g_utf8_get_char_validated(valid_end, strlen(valid_end)) == (gunichar)-2)
		label[valid_end - label] = '\0';
	g_autofree char *key = g_strdup_printf("%s\x1f%s", label, href);
	if (g_hash_table_contains(w->seen, key))
		return;
	g_hash_table_add(w->seen, g_steal_pointer(&key));
	g_ptr_array_add(w->links, ks_link_new(label, href));
}

static void open_link(walker *w, xmlNode *n, char *href, bool hidden)
{
	if (w->n_anchors >= ANCHOR_STACK) {
		/* too deep to track its label: keep the href at least */
		add_anchor_link(w, "", href);
		g_free(href);
		return;
	}
	open_anchor *a = &w->anchors[w->n_anchors++];
	a->node = n;
	a->text = g_string_new(NULL);
	a->href = href;
	a->hidden = hidden;
}

static void close_link(walker *w, xmlNode *n)
{
	if (w->n_anchors == 0 || w->anchors[w->n_anchors - 1].node != n)
		return;
	open_anchor *a = &w->anchors[--w->n_anchors];
	add_anchor_link(w, a->text->str, a->href);
	g_string_free(a->text, TRUE);
	g_free(a->href);
	memset(a, 0, sizeof(*a));
}

/* An inline style that paints a picture: "background: url(...)" or
 * "background-image: url(...)". */
static bool background_picture(xmlNode *n)
{
	g_autofree char *style = attr(n, "style");
	if (!style)
		return false;
	g_autofree char *low = g_ascii_strdown(style, -1);
	const char *bg = strstr(low, "background");
	return bg && strstr(bg, "url(") != NULL;
}

static void visit_image(walker *w, xmlNode *n)
{
	g_autofree char *alt_raw = attr(n, "alt");
	g_autofree char *alt = alt_raw ? collapse(alt_raw) : NULL;
	if (alt && *alt) {
		g_autofree char *marker = g_strdup_printf("[image: %s]", alt);
		emit_marker(w, marker);
	} else if (w->n_anchors > 0) {
		/* an image-only link still needs a label in the link list, but
		 * tracking pixels outside links would only add noise to the text */
		anchors_append(w, " [image] ", 9, false);
	}
	/* the images above the first lines of text: the mail's logo */
	if (alt && *alt && w->extras && w->out->len < KS_HTML_LEAD_CHARS &&
	    w->extras->lead_alts->len < 3)
		g_ptr_array_add(w->extras->lead_alts, g_strdup(alt));
}

/* The text without the "<![endif]-->" and "<![if ...]>" of Outlook's
 * conditional comments that libxml2 leaves as text when they are nested or
 * stray (mail templates, and kits padding their HTML with them): a browser
 * takes each for a bogus comment (HTML Living Standard 13.2.5.42) and shows
 * nothing.  NULL when there is none. */
#define CONDITIONAL_MAX 200
static const char *next_conditional(const char *s)
{
	const char *a = strstr(s, "![endif]"), *b = strstr(s, "![if ");
	return a && b ? MIN(a, b) : a ? a : b;
}

static char *without_conditionals(const char *s)
{
	if (!next_conditional(s))
		return NULL;
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p;) {
		const char *bang = next_conditional(p);
		const char *close = bang ? memchr(bang, '>', strnlen(bang, CONDITIONAL_MAX)) : NULL;
		if (!close) {
			g_string_append(out, p);
			break;
		}
		/* libxml2 keeps the '<' in the text, or drops it */
		const char *open = bang > p && bang[-1] == '<' ? bang - 1 : bang;
		g_string_append_len(out, p, open - p);
		p = close + 1;
	}
	return g_string_free(out, FALSE);
}

/* ---- what is seen ----------------------------------------------------------- */

static const style_frame *top_frame(const walker *w)
{
	return &g_array_index(w->frames, style_frame, w->frames->len - 1);
}

/* The frame of element n inside the open one. */
static style_frame frame_for(walker *w, xmlNode *n)
{
	const style_frame *up = top_frame(w);
	ks_css_box box;
	ks_css_read_element(n, w->sheet, &box);
	style_frame f = *up;
	f.node = n;
	if (!f.hides)
		f.hides = box.hides;
	if (box.font)
		f.font_zero = box.font < 0;
	if (box.visibility)
		f.vis_hidden = box.visibility < 0;
	if (box.has_color) {
		f.has_color = true;
		f.color = box.color;
		f.clear_text = box.clear_text;
	}
	if (box.bg == KS_BG_COLOR) {
		f.bg_known = true;
		f.bg = box.bg_color;
	} else if (box.bg == KS_BG_UNKNOWN) {
		f.bg_known = false;
	}
	return f;
}

/* How the frame's text is hidden from a reader, or NULL when it shows.
 * A colour is judged only where the page set it: text in the colour of a
 * background image, or of a background a class rule sets, may well show. */
static const char *frame_hides(const walker *w, const style_frame *f)
{
	if (f->hides)
		return f->hides;
	if (f->font_zero)
		return "font-size:0";
	if (f->vis_hidden)
		return "visibility:hidden";
	if (f->has_color && f->clear_text)
		return "transparent text";
	if (w->judge_colors && f->has_color && f->bg_known && ks_css_colors_close(f->color, f->bg))
		return "same colour as background";
	return NULL;
}

/* Hidden text goes to the run being collected (blanks collapsed, bytes
 * capped, characters all counted), never to the shown text. */
static void hidden_text(walker *w, const char *text, const char *how)
{
	if (!w->run) {
		w->run = g_string_new(NULL);
		w->run_chars = 0;
		w->run_at = w->out->len;
		w->run_how = how;
		gunichar last = 0;
		if (w->out->len) {
			const char *prev = g_utf8_find_prev_char(w->out->str, w->out->str + w->out->len);
			last = prev ? g_utf8_get_char_validated(prev, -1) : 0;
		}
		w->run_after_word = !w->pending_space && last != (gunichar)-1 &&
		                    last != (gunichar)-2 && g_unichar_isalnum(last);
	}
	anchors_append(w, text, strlen(text), true);
	const char *end = text + strlen(text);
	for (const char *p = text; p < end;) {
		size_t sp = space_at(p, end);
		if (sp) {
			if (w->run->len && w->run->str[w->run->len - 1] != ' ' &&
			    w->run->len < KS_HTML_HIDDEN_TEXT_MAX)
				g_string_append_c(w->run, ' ');
			p += sp;
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (next > end)
			next = end;
		if (w->run->len + (size_t)(next - p) <= KS_HTML_HIDDEN_TEXT_MAX)
			g_string_append_len(w->run, p, next - p);
		w->run_chars++;
		p = next;
	}
}

/* The visible word around text position at ("Amazon" around the hidden
 * "X34" of "A|mazon"), or NULL when at is not inside one. */
static char *word_around(const GString *out, gsize at)
{
	if (at == 0 || at >= out->len)
		return NULL;
	const char *s = out->str, *end = s + out->len;
	gunichar right = g_utf8_get_char_validated(s + at, end - (s + at));
	if (right == (gunichar)-1 || right == (gunichar)-2 || !g_unichar_isalnum(right))
		return NULL;
	const char *a = s + at;
	while (a > s) {
		const char *prev = g_utf8_find_prev_char(s, a);
		gunichar c = prev ? g_utf8_get_char_validated(prev, a - prev) : (gunichar)-1;
		if (!prev || c == (gunichar)-1 || c == (gunichar)-2 || !g_unichar_isalnum(c))
			break;
		a = prev;
	}
	const char *b = s + at;
	while (b < end) {
		gunichar c = g_utf8_get_char_validated(b, end - b);
		if (c == (gunichar)-1 || c == (gunichar)-2 || !g_unichar_isalnum(c))
			break;
		b = g_utf8_next_char(b);
	}
	return a < s + at ? g_strndup(a, (gsize)(b - a)) : NULL;
}

/* The <style> sheets and the <title> of the whole document (kits put
 * <style> anywhere, not only in <head>). */
static void read_sheets(xmlNode *top, ks_css_sheet *sheet, ks_html_extras *extras)
{
	xmlNode *n = top;
	for (;;) {
		bool descend = true;
		if (n->type == XML_ELEMENT_NODE && n->name) {
			bool style = xmlStrcasecmp(n->name, BAD_CAST "style") == 0;
			bool title = xmlStrcasecmp(n->name, BAD_CAST "title") == 0;
			if (style || title) {
				xmlChar *t = xmlNodeGetContent(n);
				if (t && style)
					ks_css_sheet_add(sheet, (const char *)t);
				if (t && title && extras && !extras->title) {
					g_autofree char *c = collapse((const char *)t);
					if (*c)
						extras->title = g_steal_pointer(&c);
				}
				xmlFree(t);
				descend = false;
			}
		}
		if (descend && n->children &&
		    (n->type == XML_ELEMENT_NODE || n->type == XML_DOCUMENT_NODE ||
		     n->type == XML_HTML_DOCUMENT_NODE)) {
			n = n->children;
			continue;
		}
		while (n != top && !n->next)
			n = n->parent;
		if (n == top)
			break;
		n = n->next;
	}
}

/* ---- the walk -------------------------------------------------------------------- */

/* Called on entering a node; true when its children are to be walked
 * (and leave() will be called for it). */
static bool enter(walker *w, xmlNode *n)
{
	switch (n->type) {
	case XML_DOCUMENT_NODE:
	case XML_HTML_DOCUMENT_NODE:
		return true;
	case XML_TEXT_NODE:
		if (n->content) {
			g_autofree char *shown = without_conditionals((const char *)n->content);
			const char *text = shown ? shown : (const char *)n->content;
			const char *how = frame_hides(w, top_frame(w));
			if (how)
				hidden_text(w, text, how);
			else
				emit_text(w, text);
			if (w->links && w->n_anchors == 0)
				ks_text_find_urls((const char *)n->content,
				                  strlen((const char *)n->content), w->links);
		}
		return false;
	case XML_ELEMENT_NODE:
		break;
	default:
		/* comments, processing instructions, DTDs, CDATA in <script> */
		return false;
	}
	const xmlChar *name = n->name;
	if (!name || name_in(name, skipped_elements))
		return false;
	style_frame f = frame_for(w, n);
	/* hidden content lays nothing out: no breaks, bullets or images */
	bool shown = frame_hides(w, &f) == NULL;
	if (xmlStrcasecmp(name, BAD_CAST "br") == 0) {
		if (shown)
			line_break(w, true);
		return false;
	}
	if (xmlStrcasecmp(name, BAD_CAST "img") == 0) {
		if (shown)
			visit_image(w, n);
		return false;
	}
	if (xmlStrcasecmp(name, BAD_CAST "area") == 0) {
		g_autofree char *href_raw = attr(n, "href");
		g_autofree char *href = href_raw ? clean_href(href_raw) : NULL;
		if (w->links && href && *href) {
			g_autofree char *alt = attr(n, "alt");
			add_anchor_link(w, alt ? alt : "", href);
		}
		return false;
	}
	if (shown && name_in(name, block_elements))
		line_break(w, false);
	if (xmlStrcasecmp(name, BAD_CAST "li") == 0) {
		if (shown)
			emit(w, "- ", 2);
	} else if (xmlStrcasecmp(name, BAD_CAST "td") == 0 ||
	           xmlStrcasecmp(name, BAD_CAST "th") == 0) {
		if (shown)
			w->pending_space = true;
	} else if (xmlStrcasecmp(name, BAD_CAST "pre") == 0) {
		w->pre_depth++;
	} else if (xmlStrcasecmp(name, BAD_CAST "a") == 0 && w->links) {
		g_autofree char *href_raw = attr(n, "href");
		char *href = href_raw ? clean_href(href_raw) : NULL;
		if (href && *href)
			open_link(w, n, href, !shown);
		else
			g_free(href);
	}
	/* a picture laid out as an element's CSS background (a div the size of
	 * the lure, its text pushed off screen): inside a link it labels the
	 * link as an image does */
	bool box_shown = shown || (frame_hides(w, top_frame(w)) == NULL && f.hides &&
	                           strcmp(f.hides, KS_CSS_TEXT_INDENTED) == 0);
	if (box_shown && w->n_anchors > 0 && background_picture(n))
		anchors_append(w, " [image] ", 9, false);
	g_array_append_val(w->frames, f);
	return true;
}

static void leave(walker *w, xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return;
	bool shown = true;
	if (w->frames->len > 1 && top_frame(w)->node == n) {
		shown = frame_hides(w, top_frame(w)) == NULL;
		g_array_set_size(w->frames, w->frames->len - 1);
	}
	if (xmlStrcasecmp(n->name, BAD_CAST "a") == 0)
		close_link(w, n);
	else if (xmlStrcasecmp(n->name, BAD_CAST "pre") == 0 && w->pre_depth > 0)
		w->pre_depth--;
	if (!shown)
		return;
	if (name_in(n->name, block_elements))
		line_break(w, false);
	else if (xmlStrcasecmp(n->name, BAD_CAST "td") == 0 ||
	         xmlStrcasecmp(n->name, BAD_CAST "th") == 0)
		w->pending_space = true;
}

/* Pre-order walk with an explicit cursor: down to the first child, across
 * to the next sibling, up through parents; leave() runs on the way up. */
static void walk(walker *w, xmlNode *top)
{
	xmlNode *n = top;
	for (;;) {
		bool descend = enter(w, n);
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		if (descend)
			leave(w, n);
		while (n != top && !n->next) {
			n = n->parent;
			leave(w, n);
		}
		if (n == top)
			break;
		n = n->next;
	}
}

htmlDocPtr ks_html_parse(const char *html, size_t len)
{
	if (!html || len == 0)
		return NULL;
	/* htmlReadMemory takes an int; no mail body comes near it */
	int n = len > INT_MAX ? INT_MAX : (int)len;
	/* IGNORE_ENC: the text is UTF-8 already, whatever its <meta> says.
	 * HUGE lifts libxml2's nesting limit of 256 (xmlParserMaxDepth), past
	 * which it silently stops: a kit could hide its links below it.  The
	 * parse and our walk are iterative, so depth costs memory, not stack. */
	int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	              HTML_PARSE_NONET | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC |
	              XML_PARSE_HUGE;
	return htmlReadMemory(html, n, NULL, "UTF-8", options);
}

static void hidden_free(ks_html_hidden *h)
{
	if (!h)
		return;
	g_free(h->text);
	g_free(h->shown);
	g_free(h);
}

ks_html_extras *ks_html_extras_new(void)
{
	ks_html_extras *e = g_new0(ks_html_extras, 1);
	e->hidden = g_ptr_array_new_with_free_func((GDestroyNotify)hidden_free);
	e->lead_alts = g_ptr_array_new_with_free_func(g_free);
	return e;
}

void ks_html_extras_free(ks_html_extras *e)
{
	if (!e)
		return;
	g_ptr_array_unref(e->hidden);
	g_ptr_array_unref(e->lead_alts);
	g_free(e->title);
	g_free(e);
}

char *ks_html_doc_to_text_full(htmlDocPtr doc, GPtrArray *links_out, ks_html_extras *extras)
{
	if (!doc)
		return NULL;
	g_autoptr(ks_css_sheet) sheet = ks_css_sheet_new();
	read_sheets((xmlNode *)doc, sheet, extras);
	walker w = {
		.out = g_string_new(NULL),
		.links = links_out,
		.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.extras = extras,
		.sheet = sheet,
		.frames = g_array_new(FALSE, FALSE, sizeof(style_frame)),
		.pending = g_array_new(FALSE, FALSE, sizeof(pending_run)),
	};
	/* the page: white, mail clients' default.  Colours are judged only
	 * where every background is known: inline, by attribute, or by a
	 * class rule (which makes that element's background unknown); a rule
	 * for "body" or "#box" could be anywhere */
	w.judge_colors = !ks_css_sheet_sets_backgrounds(sheet);
	style_frame page = {.bg_known = true, .bg = 0xFFFFFF};
	g_array_append_val(w.frames, page);
	walk(&w, (xmlNode *)doc);
	close_run(&w);
	/* anchors the parser left open (it closes them; be safe anyway) */
	while (w.n_anchors > 0)
		close_link(&w, w.anchors[w.n_anchors - 1].node);
	g_hash_table_destroy(w.seen);
	for (guint i = 0; i < w.pending->len; i++) {
		pending_run *p = &g_array_index(w.pending, pending_run, i);
		if (p->after_word)
			p->h->shown = word_around(w.out, p->at);
		g_ptr_array_add(extras->hidden, p->h);
	}
	g_array_unref(w.pending);
	g_array_unref(w.frames);
	trim_trailing_blanks(w.out);
	while (w.out->len > 0 && w.out->str[w.out->len - 1] == '\n')
		g_string_truncate(w.out, w.out->len - 1);
	return g_string_free(w.out, FALSE);
}

char *ks_html_doc_to_text(htmlDocPtr doc, GPtrArray *links_out)
{
	return ks_html_doc_to_text_full(doc, links_out, NULL);
}

char *ks_html_to_text(const char *html, size_t len, GPtrArray *links_out)
{
	if (!html || len == 0)
		return g_strdup("");
	htmlDocPtr doc = ks_html_parse(html, len);
	char *text = ks_html_doc_to_text(doc, links_out);
	if (doc)
		xmlFreeDoc(doc);
	return text;
}

/* Bytes that may appear in a bare URL (RFC 3986 2 plus the '%' of
 * escapes); anything else, including every non-ASCII byte, ends it, so a
 * URL written straight into Japanese text stops where the text resumes. */
static bool url_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7F && !strchr("<>\"`{}|\\^", c);
}

/* Length of the URL start at p ("https://", "http://", "ftp://", "www."), or 0. */
static size_t url_prefix(const char *p, const char *end)
{
	static const char *const prefixes[] = {"https://", "http://", "ftp://", "www.", NULL};
	for (const char *const *q = prefixes; *q; q++) {
		size_t n = strlen(*q);
		if ((size_t)(end - p) > n && g_ascii_strncasecmp(p, *q, n) == 0 &&
		    g_ascii_isalnum(p[n]))
			return n;
	}
	return 0;
}

/* True when the character before p lets a URL start there: not inside a
 * word, an address ("user@www.x") or another URL's path. */
static bool url_boundary(const char *text, const char *p)
{
	if (p == text)
		return true;
	unsigned char c = (unsigned char)p[-1];
	return !(g_ascii_isalnum(c) || strchr("-_.@/:+%~=&?#", c));
}

static size_t count_byte(const char *s, size_t n, char c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* Trailing punctuation is the sentence's, not the URL's, unless it closes
 * a bracket opened inside the URL (Wikipedia-style "(disambiguation)"). */
static size_t trim_url(const char *u, size_t n, size_t min)
{
	while (n > min) {
		char c = u[n - 1];
		const char *close = ")]}";
		const char *open = "([{";
		const char *k = strchr(close, c);
		if (k && c) {
			char o = open[k - close];
			if (count_byte(u, n, c) > count_byte(u, n, o)) {
				n--;
				continue;
			}
			break;
		}
		if (c && strchr(".,;:!?>'\"", c)) {
			n--;
			continue;
		}
		break;
	}
	return n;
}

void ks_text_find_urls(const char *text, size_t len, GPtrArray *links_out)
{
	if (!text || !links_out)
		return;
	/* the bytes a URL may start with ("http", "ftp", "www."), for a tight
	 * loop over the text between them */
	static const bool url_first[256] = {['h'] = true, ['H'] = true, ['f'] = true,
	                                    ['F'] = true, ['w'] = true, ['W'] = true};
	const char *end = text + len;
	const char *p = text;
	while (p < end && links_out->len < KS_LINKS_MAX) {
		while (p < end && !url_first[(guchar)*p])
			p++;
		if (p >= end)
			break;
		size_t pre = url_boundary(text, p) ? url_prefix(p, end) : 0;
		if (!pre) {
			p++;
			continue;
		}
		const char *q = p + pre;
		while (q < end && url_byte((unsigned char)*q) && (size_t)(q - p) < URL_MAX)
			q++;
		size_t n = trim_url(p, q - p, pre);
		if (n > pre) {
			g_autofree char *url = g_strndup(p, n);
			if (!link_known(links_out, url))
				g_ptr_array_add(links_out, ks_link_new(url, url));
		}
		p = q;
	}
}

/* A host name in ASCII (IDNA 2008 via GLib), lower case; NULL if unusable. */
static char *ascii_host(const char *host)
{
	if (!host || !*host)
		return NULL;
	char *a = g_hostname_to_ascii(host);
	if (!a)
		return g_ascii_strdown(host, -1);
	char *low = g_ascii_strdown(a, -1);
	g_free(a);
	return low;
}

/* True when the last label of host is a real top-level domain in the
 * Public Suffix List (without its "*" default rule), so "invoice.pdf" or
 * "v1.2" in a link's text is not taken for a host name. */
static bool has_known_tld(const char *host)
{
	const char *dot = strrchr(host, '.');
	if (!dot || !dot[1] || dot == host)
		return false;
	for (const char *p = dot + 1; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-')
			return false;
	const psl_ctx_t *psl = psl_builtin();
	return psl && psl_is_public_suffix2(psl, dot + 1, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

static bool domain_like(const char *host)
{
	if (!host || !*host || host[0] == '.' || host[0] == '-')
		return false;
	for (const char *p = host; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(g_ascii_isalnum(c) || c == '.' || c == '-' || c >= 0x80))
			return false;
		if (c == '.' && p[1] == '.')
			return false;
	}
	return strchr(host, '.') != NULL;
}

/* Host of a mailto: href's first address, or NULL. */
static char *mailto_host(const char *href)
{
	const char *a = href + strlen("mailto:");
	size_t n = strcspn(a, "?,;");
	g_autofree char *addr = g_strndup(a, n);
	g_autofree char *unescaped = g_uri_unescape_string(addr, NULL);
	return ks_domain_of_address(unescaped ? unescaped : addr);
}

/* The host a link's visible text names: a URL's host, an address's
 * domain, or the text itself when it is a bare domain ("paypal.com",
 * "www.amazon.co.jp/gp").  NULL when the text is prose. */
static char *text_host(const char *text)
{
	g_autofree char *s = g_strstrip(g_strdup(text));
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s[n - 1] = '\0';
		memmove(s, s + 1, n - 1);
	}
	n = trim_url(s, strlen(s), 0);
	s[n] = '\0';
	if (!*s || strpbrk(s, " \t\n"))
		return NULL;
	if (g_ascii_strncasecmp(s, "mailto:", 7) == 0)
		return mailto_host(s);
	if (strstr(s, "://")) {
		char *h = ks_url_host(s);
		if (h && !domain_like(h) && !ks_is_ip_literal(h)) {
			g_free(h);
			return NULL;
		}
		return h;
	}
	const char *at = strchr(s, '@');
	if (at) {
		char *d = ks_domain_of_address(s);
		if (d && (at == s || strchr(at + 1, '@') || !domain_like(d) || !has_known_tld(d))) {
			g_free(d);
			return NULL;
		}
		return d;
	}
	size_t hn = strcspn(s, "/?#:");
	g_autofree char *host = g_ascii_strdown(s, hn);
	while (*host && host[strlen(host) - 1] == '.')
		host[strlen(host) - 1] = '\0';
	if (!domain_like(host) || !has_known_tld(host))
		return NULL;
	return g_steal_pointer(&host);
}

static char *href_host(const char *href)
{
	if (g_ascii_strncasecmp(href, "mailto:", 7) == 0)
		return mailto_host(href);
	return ks_url_host(href);
}

/* The domain two hosts are compared by: registrable domain, or the host
 * itself for IP literals and single labels. */
static char *site_of(const char *host)
{
	g_autofree char *a = ascii_host(host);
	if (!a)
		return NULL;
	char *reg = ks_domain_registrable(a);
	return reg ? reg : g_steal_pointer(&a);
}

static char *shorten(const char *s, long max_chars)
{
	if (!g_utf8_validate(s, -1, NULL) || g_utf8_strlen(s, -1) <= max_chars)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, max_chars);
	return g_strconcat(head, "...", NULL);
}

/* href with every wrapper and open redirect removed (links.c), or NULL
 * when it was not wrapped; *host gets the innermost host. */
static char *link_target(const char *href, char **host)
{
	char *target = ks_link_unwrap(href, NULL);
	*host = target ? ks_url_host(target) : href_host(href);
	return target;
}

/* The registrable site of From's address, or NULL. */
static char *from_site(const ks_report *r)
{
	const ks_address *from = r->from->len ? g_ptr_array_index(r->from, 0) : NULL;
	g_autofree char *fd = from && from->address ? ks_domain_of_address(from->address) : NULL;
	return fd ? site_of(fd) : NULL;
}

static bool auth_failed(const ks_report *r)
{
	return ks_report_has_finding(r, KS_RULE_AUTH_DMARC_FAIL) ||
	       ks_report_has_finding(r, KS_RULE_AUTH_SPF_FAIL) ||
	       ks_report_has_finding(r, KS_RULE_AUTH_DKIM_FAIL);
}

/* A link whose text names the sender's own site (From's, and no SPF, DKIM
 * or DMARC check failed, so the From is not simply forged) goes through a
 * tracker or redirect of the sender's choosing: low, or info when it is a
 * bulk-mail service's click tracker (data/bulk_services.txt) in mail sent in
 * bulk (a list, List-Unsubscribe, Precedence).  Phishing's mismatched links
 * name someone else's site (all 12 in corpora/phishing_pot do). */
static ks_severity own_site_severity(const ks_report *r, const char *text_site,
                                     const char *href_site, char **tracker)
{
	*tracker = NULL;
	g_autofree char *fs = from_site(r);
	if (!fs || strcmp(fs, text_site) != 0 || auth_failed(r))
		return ks_rule_severity(KS_RULE_HTML_LINK_TEXT_MISMATCH);
	if (ks_mailing_list_bulk(r))
		*tracker = ks_routing_bulk_domain(href_site);
	return *tracker ? KS_SEV_INFO : KS_SEV_LOW;
}

void ks_links_report_mismatches(const GPtrArray *links, const char *location, ks_report *r)
{
	if (!links || !r)
		return;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < links->len && g_hash_table_size(seen) < MISMATCH_MAX; i++) {
		const ks_link *l = g_ptr_array_index(links, i);
		if (!l->text || !l->href)
			continue;
		g_autofree char *th = text_host(l->text);
		g_autofree char *hh = NULL;
		g_autofree char *target = th ? link_target(l->href, &hh) : NULL;
		if (!th || !hh)
			continue;
		g_autofree char *ts = site_of(th);
		g_autofree char *hs = site_of(hh);
		if (!ts || !hs || strcmp(ts, hs) == 0)
			continue;
		g_autofree char *key = g_strdup_printf("%s\x1f%s", ts, hs);
		if (g_hash_table_contains(seen, key))
			continue;
		g_hash_table_add(seen, g_steal_pointer(&key));
		g_autofree char *text = shorten(l->text, 100);
		g_autofree char *href = shorten(l->href, 200);
		g_autofree char *tracker = NULL;
		ks_severity sev = own_site_severity(r, ts, hs, &tracker);
		g_autofree char *why =
			tracker ? g_strdup_printf("; explained: the click tracking of %s, in bulk mail from %s",
			                          tracker, ts)
			: sev == KS_SEV_LOW ? g_strdup_printf("; %s is the sender's own site", ts)
			                    : g_strdup("");
		if (target) {
			g_autofree char *inner = shorten(target, 200);
			ks_report_add_finding_sev(r, KS_RULE_HTML_LINK_TEXT_MISMATCH, sev, location,
			                          "text \"%s\" goes to %s (%s, wrapped in %s%s)", text, hh,
			                          inner, href, why);
			continue;
		}
		ks_report_add_finding_sev(r, KS_RULE_HTML_LINK_TEXT_MISMATCH, sev, location,
		                          "text \"%s\" goes to %s (%s%s)", text, hh, href, why);
	}
}
