/* Analyzer: the body as text and its links.  The text is the text/plain
 * body when it says anything, else the HTML body turned into text by
 * libxml2 (html.c), never rendered.  Links are the HTML's anchors plus bare
 * URLs in either body.  The text is what a reader sees: hidden HTML text
 * is left out and disguised words are undone (obfuscation.c), both
 * reported as content.obfuscated_text.  Raises html.link_text_mismatch for
 * the links and display.control_characters when the text carried terminal
 * escapes or bidi controls (the report keeps them only as visible
 * escapes). */
#include "checks/body.h"

#include "mail/html.h"
#include "payloads/html_scan.h"
#include "checks/obfuscation.h"
#include "payloads/qr.h"
#include "core/sanitize.h"

#include <string.h>

/* Body text kept in the report: a screenful for weeks of reading, and a
 * bound on what every later analyzer and writer walks. */
#define BODY_TEXT_MAX (1024 * 1024)

static bool has_content(const char *s)
{
	for (; s && *s; s++)
		if (!g_ascii_isspace(*s))
			return true;
	return false;
}

/* Bytes of s that can say something (neither blanks nor ASCII punctuation:
 * a rule of underscores says nothing) outside the "[image]" / "[image:
 * alt]" markers that html.c writes for pictures; counting stops once past
 * limit. */
static gsize visible_bytes(const char *s, gsize limit)
{
	gsize n = 0;
	for (const char *p = s; p && *p && n <= limit; p++) {
		if (*p == '[' && strncmp(p, "[image", 6) == 0) {
			const char *close = strchr(p, ']');
			if (close) {
				p = close;
				continue;
			}
		}
		n += !g_ascii_isspace(*p) && !g_ascii_ispunct(*p);
	}
	return n;
}

/* A text/plain alternative that says next to nothing of what its HTML
 * alternative says ("This message requires an HTML-capable reader"): mail
 * clients show the HTML, and a lure put only there would go unread.  The
 * HTML's text holds at least STUB_RATIO times the plain text's visible
 * bytes, and at least STUB_HTML_MIN of them. */
#define STUB_RATIO 2
#define STUB_HTML_MIN 80
static bool plain_is_stub(const char *plain, const char *html_text)
{
	gsize h = visible_bytes(html_text, G_MAXSIZE);
	return h >= STUB_HTML_MIN && visible_bytes(plain, h / STUB_RATIO) * STUB_RATIO < h;
}

/* A body whose message is a picture: phishing that carries its words in
 * pixels, out of sight of text filters and of the lure rules, with the
 * image linked to the page (DESIGN.md: image-only bodies linked to
 * phishing).  Its text (a stub plain part included) holds at most
 * IMAGE_ONLY_TEXT_MAX visible bytes besides image markers, and an image
 * is a link to the web. */
#define IMAGE_ONLY_TEXT_MAX 40
#define IMAGE_ONLY_EVIDENCE 3
static void report_image_only(const char *plain, const char *html_text, const GPtrArray *links,
                              ks_report *r)
{
	if (!html_text || visible_bytes(html_text, IMAGE_ONLY_TEXT_MAX) > IMAGE_ONLY_TEXT_MAX ||
	    (plain && visible_bytes(plain, IMAGE_ONLY_TEXT_MAX) > IMAGE_ONLY_TEXT_MAX &&
	     !plain_is_stub(plain, html_text)))
		return;
	g_autoptr(GString) targets = g_string_new(NULL);
	guint n = 0;
	for (guint i = 0; i < links->len; i++) {
		const ks_link *l = g_ptr_array_index(links, i);
		const char *t = l->text ? l->text : "";
		while (g_ascii_isspace(*t))
			t++;
		if (!l->href || !g_str_has_prefix(t, "[image") ||
		    !(g_ascii_strncasecmp(l->href, "http://", 7) == 0 ||
		      g_ascii_strncasecmp(l->href, "https://", 8) == 0))
			continue;
		if (n++ < IMAGE_ONLY_EVIDENCE) {
			g_autofree char *href = ks_sanitize(l->href, KS_SANITIZE_LINE, NULL);
			g_string_append_printf(targets, "%s%s", targets->len ? ", " : "", href);
		}
	}
	if (n == 0)
		return;
	ks_report_add_finding(r, KS_RULE_HTML_IMAGE_ONLY_BODY, "body",
	                      "the body has no text, only %s linking to %s%s",
	                      n == 1 ? "an image" : "images", targets->str,
	                      n > IMAGE_ONLY_EVIDENCE ? ", ..." : "");
}

/* CRLF and lone CR (old Mac mailers) both become LF. */
static GString *normalize_newlines(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p; p++) {
		if (*p == '\r') {
			g_string_append_c(out, '\n');
			if (p[1] == '\n')
				p++;
		} else {
			g_string_append_c(out, *p);
		}
	}
	return out;
}

/* Cuts at BODY_TEXT_MAX on a UTF-8 character boundary. */
static void truncate_text(GString *s)
{
	if (s->len <= BODY_TEXT_MAX)
		return;
	size_t cut = BODY_TEXT_MAX;
	for (int i = 0; i < 3 && cut > 0 && ((unsigned char)s->str[cut] & 0xC0) == 0x80; i++)
		cut--;
	g_string_truncate(s, cut);
	g_string_append(s, "\n[truncated]");
}

/* Unicode's Bidi_Control characters (UAX #9 table 4): the ones that
 * reorder what a terminal shows (CVE-2021-42574 "Trojan Source"). */
static bool is_bidi_control(gunichar c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

typedef struct {
	unsigned escapes, controls, bidi, invisible;
} control_counts;

/* Counts, by kind, the characters the sanitizer escapes in s.  Only
 * format and unassigned characters are asked of the sanitizer itself, so
 * the count agrees with it without a call per character.  CR is never
 * counted (line ends are normalised first), nor FF in HTML, where it is
 * white space (HTML Living Standard 13.1.2). */
static control_counts count_controls(const char *s, bool html)
{
	control_counts k = {0};
	const char *end = s + strlen(s);
	for (const char *p = s; p < end;) {
		guchar b = (guchar)*p;
		if (b < 0x80) { /* the same tests as below, without the decoding */
			if (b == 0x1B)
				k.escapes++;
			else if (b == '\r' || (html && b == '\f'))
				;
			else if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7F)
				k.controls++;
			p++;
			continue;
		}
		if (ks_utf8_plain_cjk_at(p, end)) { /* a kanji or kana: nothing to count */
			p += 3;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (c == 0x1B)
			k.escapes++;
		else if (c == '\r' || (html && c == '\f'))
			;
		else if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F))
			k.controls++;
		else if (is_bidi_control(c))
			k.bidi++;
		else if (c >= 0x80) {
			GUnicodeType t = g_unichar_type(c);
			if (t == G_UNICODE_FORMAT || t == G_UNICODE_UNASSIGNED) {
				bool changed = false;
				g_free(ks_sanitize_len(p, next - p, KS_SANITIZE_MULTILINE, &changed));
				k.invisible += changed;
			}
		}
		p = next;
	}
	return k;
}

static void append_count(GString *s, unsigned n, const char *one, const char *many)
{
	if (n == 0)
		return;
	g_string_append_printf(s, "%s%u %s", s->len ? ", " : "", n, n == 1 ? one : many);
}

/* Raises display.control_characters when the text (or the HTML it came
 * from) held anything the sanitizer escapes.  libxml2 drops C0 controls
 * from HTML text, so an ESC sequence in an HTML body is counted in the
 * HTML itself: gone from the text, it still tells of a crafted mail. */
static void report_controls(const char *text, bool changed, const char *html, ks_report *r)
{
	control_counts k = count_controls(text, false);
	if (html) {
		control_counts h = count_controls(html, true);
		k.escapes = MAX(k.escapes, h.escapes);
		k.controls = MAX(k.controls, h.controls);
	}
	if (!changed && !k.escapes && !k.controls)
		return;
	g_autoptr(GString) what = g_string_new(NULL);
	append_count(what, k.escapes, "escape sequence", "escape sequences");
	append_count(what, k.controls, "control character", "control characters");
	append_count(what, k.bidi, "bidi control", "bidi controls");
	append_count(what, k.invisible, "invisible format character",
	             "invisible format characters");
	/* bidi and invisible characters in a text are put there to mislead
	 * (phishing_pot has them, sa_ham not); stray C0 controls and colour
	 * escapes are what old mailers leave (sa_ham: 5 mails) */
	ks_severity sev = k.bidi || k.invisible ? ks_rule_severity(KS_RULE_DISPLAY_CONTROL_CHARACTERS)
	                                        : KS_SEV_LOW;
	ks_report_add_finding_sev(r, KS_RULE_DISPLAY_CONTROL_CHARACTERS, sev, "body", "body holds %s",
	                          what->len ? what->str : "control characters");
}

void ks_body_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	if (!m || !r)
		return;
	g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func((GDestroyNotify)ks_link_free);
	g_autofree char *html_text = NULL;
	gsize html_len = m->body_html ? strlen(m->body_html) : 0;
	/* one tree for the text and the scan (html_scan.c) when both read the
	 * same bytes: the scan stops at KS_HTML_SCAN_BYTES_MAX */
	htmlDocPtr doc = html_len ? ks_html_parse(m->body_html, html_len) : NULL;
	g_autoptr(ks_html_extras) extras = ks_html_extras_new();
	if (m->body_html) {
		html_text = html_len ? ks_html_doc_to_text_full(doc, links, extras) : g_strdup("");
		if (!html_text && has_content(m->body_html))
			ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "body",
			                      "the HTML body could not be parsed");
	}
	const char *chosen = "";
	const char *chosen_html = NULL;
	if (has_content(m->body_plain)) {
		ks_text_find_urls(m->body_plain, strlen(m->body_plain), links);
		chosen = m->body_plain;
		if (html_text && plain_is_stub(m->body_plain, html_text)) {
			chosen = html_text;
			chosen_html = m->body_html;
		}
	} else if (html_text) {
		chosen = html_text;
		chosen_html = m->body_html;
	}

	g_autoptr(GString) text = normalize_newlines(chosen);
	truncate_text(text);
	/* the text as its reader sees it: disguised words undone (and
	 * reported), hidden HTML text already left out by html.c */
	g_autoptr(ks_obfuscation) ob = ks_obfuscation_new();
	g_autofree char *seen = ks_obfuscation_clean(text->str, ob);
	bool changed = false;
	char *clean = ks_sanitize(seen, KS_SANITIZE_MULTILINE, &changed);
	report_controls(seen, changed, chosen_html, r);
	g_free(r->body_text);
	r->body_text = clean;
	ks_obfuscation_report(ob, "body", r);
	ks_obfuscation_report_hidden(extras->hidden, "body", r);
	ks_report_set_line(&r->body_title, extras->title);
	for (guint i = 0; i < extras->lead_alts->len; i++)
		g_ptr_array_add(r->body_logo_alts,
		                ks_report_line(g_ptr_array_index(extras->lead_alts, i)));

	ks_links_report_mismatches(links, "body", r);
	report_image_only(m->body_plain, html_text, links, r);
	/* QR codes in the HTML body's data: pictures (qr.c; attached and
	 * inline pictures are the attachment walk's) */
	if (html_len)
		ks_qr_scan_html(m->body_html, html_len, "body", r);
	/* scripts, forms and redirects in the HTML body (html_scan.c) */
	if (html_len && html_len <= KS_HTML_SCAN_BYTES_MAX)
		ks_html_scan_doc(doc, m->body_html, html_len, "body", ctx, r, NULL);
	else if (html_len)
		ks_html_scan(m->body_html, html_len, "body", ctx, r, NULL);
	if (doc)
		xmlFreeDoc(doc);
	/* the report takes the links over */
	for (guint i = 0; i < links->len; i++)
		g_ptr_array_add(r->links, g_ptr_array_index(links, i));
	g_ptr_array_set_free_func(links, NULL);
}
