/* HTML as an attack carries it: the HTML attachment that is a whole phishing
 * page opened from disk, and the HTML body.  One scan looks at what a page
 * would load and do if a browser showed it: scripts (inline and remote, with
 * their hosts), forms and password fields (also built by script), frames,
 * meta refresh and script redirects, data: URIs, obfuscation markers, the
 * recipient's own address prefilled into the page, the brand it imitates
 * and the company logo it fetches by domain.  It raises html.remote_script,
 * html.credential_form and html.obfuscated_script, and, for attachments,
 * attachment.html_redirect (a page that only sends the browser on) and
 * html.link_text_mismatch through html.c; an attachment's links and
 * redirect targets join the mail's links.
 *
 * Nothing is rendered and no script is run: libxml2 builds the tree (in
 * recovery mode, network off) and script text is read by bounded string
 * scanning.  Encoded blobs (base64, %XX, \xNN runs, data: URIs) are decoded
 * one level and scanned again; what they decode to is never decoded again.
 * HTML to text and the link list live in html.c; the part tree in
 * attachments.c.  Word lists are data: data/brands.txt (through brands.c)
 * and data/html_logo_services.txt. */
#include "payloads/html_scan.h"
#include "core/sanitize.h"

#include "checks/brands.h"
#include "mail/charset.h"
#include "core/data.h"
#include "core/domains.h"
#include "mail/html.h"
#include "checks/obfuscation.h"
#include "checks/mailing_list.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

/* An HTML attachment is scanned up to this size; phishing pages with inline
 * images run to a few MiB (phishing_pot sample-1261 is 126 KiB). */
#define SCAN_BYTES_MAX KS_HTML_SCAN_BYTES_MAX
/* Script text (inline scripts, event handlers, javascript: URLs) scanned per
 * page and decoding level. */
#define SCRIPT_BYTES_MAX (4 * 1024 * 1024)
/* Visible text kept for the brand guess: a sign-in page says who it
 * pretends to be on its first screen. */
#define VISIBLE_TEXT_MAX (64 * 1024)
/* How far accepts() and the <meta charset> prescan look.  The HTML Living
 * Standard's prescan reads 1024 bytes (13.2.3.2); kits pad the head, so
 * the charset prescan reads 4 KiB. */
/* Levels of decoding: a blob found in the page is decoded and scanned once
 * (level 1); what that decodes to is not decoded again. */
#define DECODE_DEPTH_MAX 1
/* A base64 run at least this long is decoded and scanned again (shorter
 * runs are ids and hashes). */
#define BLOB_BASE64_MIN 64
/* %XX or \xNN escapes in one run before it is decoded and scanned again. */
#define BLOB_ESCAPES_MIN 16
/* A hex or base64 run this long counts as an obfuscation marker by itself. */
#define LONG_ENCODED_MIN 200
/* Blobs decoded per page, and decoded bytes per page. */
#define BLOBS_MAX 32
#define BLOB_BYTES_MAX (4 * 1024 * 1024)
/* A string literal read after location= and friends. */
#define LITERAL_MAX 2048
/* Items kept per list (scripts, forms, frames, ...); IOCs per scan. */
#define LIST_MAX 20
#define IOC_MAX 200
/* Items named in one finding's evidence. */
#define EVIDENCE_ITEMS 5
/* Text characters of a title kept. */
#define TITLE_MAX 200

typedef struct {
	ks_report *r;
	GString *title;
	GString *text;  /* visible text, lower case later */
	GString *extra; /* alt texts and image URLs, for the brand guess */
	int scripts;
	GPtrArray *script_urls;   /* remote script URLs */
	GPtrArray *script_hosts;  /* their hosts */
	GPtrArray *forms;         /* "POST url" per form */
	GPtrArray *form_targets;  /* actions that post elsewhere */
	int password_fields;
	int script_password_fields;
	GPtrArray *account_fields; /* login-name fields outside sign-up boxes */
	bool unsubscribe_link;     /* a link whose text offers to unsubscribe */
	GPtrArray *frames;
	GPtrArray *refresh;
	GPtrArray *redirects;
	int data_uris;
	GPtrArray *logos;     /* "domain via host" */
	GPtrArray *markers;   /* obfuscation marker names */
	int exec_markers, decode_markers;
	int long_hex, long_base64, escape_runs;
	GPtrArray *decoded_found; /* what decoded blobs held: "<script", "eval", ... */
	int blobs;
	gsize blob_bytes;
	gsize script_bytes[DECODE_DEPTH_MAX + 1];
	int iocs;
	GPtrArray *recipients; /* "address (how)" */
	GPtrArray *recipient_domains; /* registrable domains of To */
	GPtrArray *layers; /* ks_kv*: what each decoded blob held (how, text), or
	                      NULL when nobody asked (ks_html_decoded_layers) */
} scan;

static void scan_document(scan *s, const char *html, gsize len, int depth);
static void scan_script(scan *s, const char *js, gsize len, int depth);

/* ---- small helpers ------------------------------------------------------- */

static GPtrArray *list_new(void)
{
	return g_ptr_array_new_with_free_func(g_free);
}

static bool list_has(const GPtrArray *l, const char *v)
{
	for (guint i = 0; i < l->len; i++)
		if (strcmp(g_ptr_array_index(l, i), v) == 0)
			return true;
	return false;
}

/* Adds v once; the list stops growing at LIST_MAX. */
static void list_add(GPtrArray *l, const char *v)
{
	if (!v || !*v || l->len >= LIST_MAX || list_has(l, v))
		return;
	g_ptr_array_add(l, g_strdup(v));
}

/* The first max items joined by ", ", with "…" when there were more. */
static char *list_join(const GPtrArray *l, guint max)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < l->len && i < max; i++)
		g_string_append_printf(out, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(l, i));
	if (l->len > max)
		g_string_append(out, ", …");
	return g_string_free(out, FALSE);
}

static bool is_ident(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '$';
}

/* Case-insensitive (ASCII) search for needle in hay[0..len). */
/* The next place at or after from where c is, in hay[0..last], or NULL. */
static const char *next_byte(const char *hay, gsize from, gsize last, char c)
{
	return from <= last ? memchr(hay + from, c, last - from + 1) : NULL;
}

const char *ks_html_find_ci(const char *hay, gsize len, const char *needle)
{
	gsize n = strlen(needle);
	if (n == 0 || n > len)
		return NULL;
	/* the candidates are where the first byte is, in either case: memchr
	 * finds them (this runs over every page, for each recipient and word) */
	gsize last = len - n;
	char lo = g_ascii_tolower(needle[0]), up = g_ascii_toupper(needle[0]);
	const char *a = next_byte(hay, 0, last, lo);
	const char *b = up != lo ? next_byte(hay, 0, last, up) : NULL;
	while (a || b) {
		const char *c = !a ? b : !b ? a : MIN(a, b);
		if (g_ascii_strncasecmp(c, needle, n) == 0)
			return c;
		gsize after = (gsize)(c - hay) + 1;
		if (c == a)
			a = next_byte(hay, after, last, lo);
		else
			b = next_byte(hay, after, last, up);
	}
	return NULL;
}

static const char *find_cs(const char *hay, gsize len, const char *needle)
{
	gsize n = strlen(needle);
	return n && n <= len ? memmem(hay, len, needle, n) : NULL;
}

/* Attribute value with surrounding blanks removed, or NULL when absent. */
static char *attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *out = g_strstrip(g_strdup((const char *)v));
	xmlFree(v);
	return out;
}

static bool is_named(const xmlNode *n, const char *name)
{
	return n->name && g_ascii_strcasecmp((const char *)n->name, name) == 0;
}

/* A URL a browser would fetch from another host: http(s) or
 * protocol-relative ("//host/x", which from a file on disk is file: but
 * from a web page or a mail client's view is the network). */
static bool is_remote_url(const char *u)
{
	return u && (g_ascii_strncasecmp(u, "http://", 7) == 0 ||
	             g_ascii_strncasecmp(u, "https://", 8) == 0 ||
	             (u[0] == '/' && u[1] == '/' && g_ascii_isalnum(u[2])));
}

/* Host of a remote URL, lower case, or NULL. */
static char *remote_host(const char *u)
{
	if (!is_remote_url(u))
		return NULL;
	if (u[0] == '/') {
		g_autofree char *full = g_strconcat("https:", u, NULL);
		return ks_url_host(full);
	}
	return ks_url_host(u);
}

/* URL and host as IOCs (an IP host as an ip IOC). */
static void add_url_ioc(scan *s, const char *url)
{
	if (!is_remote_url(url) || s->iocs >= IOC_MAX)
		return;
	s->iocs++;
	ks_report_add_ioc(s->r, KS_IOC_URL, url);
	g_autofree char *host = remote_host(url);
	if (host)
		ks_report_add_ioc(s->r, ks_is_ip_literal(host) ? KS_IOC_IP : KS_IOC_DOMAIN, host);
}

/* Registrable domain of a host, or the host itself (IP, single label). */
static char *site_of(const char *host)
{
	char *reg = ks_domain_registrable(host);
	return reg ? reg : g_strdup(host);
}

/* ---- data URIs and encoded blobs ------------------------------------------ */

static bool looks_like_text(const char *b, gsize n)
{
	if (n == 0 || !g_utf8_validate_len(b, n, NULL))
		return false;
	gsize ctl = 0;
	for (gsize i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			ctl++;
	}
	return ctl * 100 <= n; /* at most 1% controls */
}

static bool looks_like_markup(const char *b, gsize n)
{
	static const char *const tags[] = {"<html", "<script", "<form", "<input", "<iframe",
	                                   "<body", "<div", "<svg", "<meta", "<!doctype", NULL};
	for (const char *const *t = tags; *t; t++)
		if (ks_html_find_ci(b, MIN(n, (gsize)64 * 1024), *t))
			return true;
	return false;
}

/* Scans decoded bytes one level down: as a document when they hold
 * markup, as script otherwise; binary (an inline JPEG) is left alone. */
static void scan_decoded(scan *s, const char *what, const guint8 *b, gsize n, int depth)
{
	if (depth >= DECODE_DEPTH_MAX || s->blobs >= BLOBS_MAX || s->blob_bytes + n > BLOB_BYTES_MAX)
		return;
	if (!looks_like_text((const char *)b, n))
		return;
	s->blobs++;
	s->blob_bytes += n;
	if (s->layers) {
		ks_kv *layer = g_new0(ks_kv, 1);
		layer->key = g_strdup(what);
		layer->value = g_strndup((const char *)b, n);
		g_ptr_array_add(s->layers, layer);
	}
	int before_exec = s->exec_markers, before_decode = s->decode_markers;
	guint before_scripts = s->script_urls->len, before_targets = s->form_targets->len;
	int before_pw = s->password_fields + s->script_password_fields;
	bool markup = looks_like_markup((const char *)b, n);
	if (markup)
		scan_document(s, (const char *)b, n, depth + 1);
	else
		scan_script(s, (const char *)b, n, depth + 1);
	/* what the hidden layer carried goes into the obfuscation evidence */
	const char *found[] = {
		markup ? "HTML" : NULL,
		s->script_urls->len > before_scripts ? "a remote script" : NULL,
		s->form_targets->len > before_targets ||
				s->password_fields + s->script_password_fields > before_pw
			? "a credential form"
			: NULL,
		s->exec_markers > before_exec || s->decode_markers > before_decode
			? "more obfuscated script"
			: NULL,
	};
	for (size_t i = 0; i < G_N_ELEMENTS(found); i++) {
		if (!found[i])
			continue;
		g_autofree char *entry = g_strdup_printf("%s (from %s)", found[i], what);
		list_add(s->decoded_found, entry);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = g_ascii_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decoding as unescape() and data: URIs do it; other bytes kept. */
static GByteArray *percent_decode(const char *p, gsize n)
{
	GByteArray *out = g_byte_array_sized_new(n);
	for (gsize i = 0; i < n; i++) {
		guint8 c = (guint8)p[i];
		if (p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
			c = (guint8)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
			i += 2;
		}
		g_byte_array_append(out, &c, 1);
	}
	return out;
}

/* A data: URI (RFC 2397): counted; an HTML, SVG or script payload is
 * decoded and scanned one level down ("data:text/html;base64,..." in an
 * iframe or a link is a whole page smuggled past URL filters). */
static void scan_data_uri(scan *s, const char *uri, int depth)
{
	s->data_uris++;
	const char *comma = strchr(uri, ',');
	if (!comma)
		return;
	g_autofree char *head = g_ascii_strdown(uri + 5, comma - uri - 5);
	bool markup = strstr(head, "html") || strstr(head, "svg");
	bool script = strstr(head, "javascript") || strstr(head, "ecmascript");
	if (!markup && !script)
		return;
	const char *payload = comma + 1;
	gsize n = strlen(payload);
	if (strstr(head, ";base64")) {
		g_autofree char *copy = g_strndup(payload, MIN(n, (gsize)BLOB_BYTES_MAX));
		gsize out_len = 0;
		g_autofree guint8 *bytes = g_base64_decode(copy, &out_len);
		scan_decoded(s, "data: URI", bytes, out_len, depth);
	} else {
		g_autoptr(GByteArray) bytes = percent_decode(payload, MIN(n, (gsize)BLOB_BYTES_MAX));
		scan_decoded(s, "data: URI", bytes->data, bytes->len, depth);
	}
}

static bool is_b64(char c)
{
	return g_ascii_isalnum(c) || c == '+' || c == '/';
}

/* Base64 and hex runs in script text: long ones count as markers, and each
 * base64 run long enough is decoded and scanned one level down. */
static void scan_blobs(scan *s, const char *js, gsize len, int depth)
{
	for (gsize i = 0; i < len;) {
		if (!is_b64(js[i]) || (i > 0 && is_b64(js[i - 1]))) {
			i++;
			continue;
		}
		gsize j = i;
		bool all_hex = true, has_digit = false, has_upper = false, has_lower = false;
		while (j < len && is_b64(js[j])) {
			all_hex = all_hex && hexval(js[j]) >= 0;
			has_digit = has_digit || g_ascii_isdigit(js[j]);
			has_upper = has_upper || g_ascii_isupper(js[j]);
			has_lower = has_lower || g_ascii_islower(js[j]);
			j++;
		}
		gsize n = j - i;
		/* a word or a path is not a blob: base64 mixes cases and digits */
		bool mixed = has_digit && has_upper && has_lower;
		if (all_hex && n >= LONG_ENCODED_MIN) {
			s->long_hex++;
		} else if (mixed && n >= BLOB_BASE64_MIN) {
			if (n >= LONG_ENCODED_MIN)
				s->long_base64++;
			g_autofree char *copy = g_strndup(js + i, MIN(n, (gsize)BLOB_BYTES_MAX));
			gsize out_len = 0;
			g_autofree guint8 *bytes = g_base64_decode(copy, &out_len);
			scan_decoded(s, "base64", bytes, out_len, depth);
		}
		i = j;
	}
}

/* Runs of %XX or \xNN escapes (unescape("%3C%73..."), "\x3c\x73..."):
 * each run of BLOB_ESCAPES_MIN or more is decoded and scanned again. */
static void scan_escape_runs(scan *s, const char *js, gsize len, int depth)
{
	for (gsize i = 0; i < len; i++) {
		bool pct = js[i] == '%';
		bool bsx = js[i] == '\\' && i + 1 < len && js[i + 1] == 'x';
		if (!pct && !bsx)
			continue;
		GByteArray *out = g_byte_array_new();
		int escapes = 0;
		gsize j = i;
		while (j < len && out->len < BLOB_BYTES_MAX) {
			guint8 c;
			if (js[j] == '%' && j + 2 < len && hexval(js[j + 1]) >= 0 && hexval(js[j + 2]) >= 0) {
				c = (guint8)(hexval(js[j + 1]) * 16 + hexval(js[j + 2]));
				j += 3;
				escapes++;
			} else if (js[j] == '\\' && j + 3 < len && js[j + 1] == 'x' &&
			           hexval(js[j + 2]) >= 0 && hexval(js[j + 3]) >= 0) {
				c = (guint8)(hexval(js[j + 2]) * 16 + hexval(js[j + 3]));
				j += 4;
				escapes++;
			} else if (g_ascii_isalnum(js[j]) || strchr(" .-_/:=?&;,!()", js[j])) {
				c = (guint8)js[j++];
			} else {
				break;
			}
			g_byte_array_append(out, &c, 1);
		}
		if (escapes >= BLOB_ESCAPES_MIN) {
			s->escape_runs++;
			scan_decoded(s, pct ? "%XX escapes" : "\\x escapes", out->data, out->len, depth);
		}
		g_byte_array_unref(out);
		i = j > i ? j - 1 : i;
	}
}

/* ---- script text ------------------------------------------------------- */

typedef enum { MARK_EXEC, MARK_DECODE } mark_kind;

/* Calls that run or write a string, and calls that decode one (the
 * techniques of MITRE ATT&CK T1027 "Obfuscated Files or Information" as
 * phishing kits use them in HTML smuggling, T1027.006). */
static const struct {
	const char *word;
	bool call; /* must be followed by "(" */
	mark_kind kind;
} mark_words[] = {
	{"eval", true, MARK_EXEC},
	{"document.write", true, MARK_EXEC},
	{"document.writeln", true, MARK_EXEC},
	{"Function", true, MARK_EXEC},
	{"atob", true, MARK_DECODE},
	{"unescape", true, MARK_DECODE},
	{"fromCharCode", false, MARK_DECODE},
	{"decodeURIComponent", true, MARK_DECODE},
	{"CryptoJS.AES.decrypt", true, MARK_DECODE},
};

/* True when word occurs in js as an identifier ("eval" but not
 * "globalEval" or "medieval"), followed by "(" when call is set; also
 * window["eval"]-style access by string. */
static bool has_word(const char *js, gsize len, const char *word, bool call)
{
	gsize n = strlen(word);
	for (const char *p = js; (p = find_cs(p, len - (p - js), word)); p += n) {
		if (p > js && is_ident(p[-1]))
			continue;
		const char *q = p + n;
		const char *end = js + len;
		if (q < end && is_ident(*q))
			continue;
		if ((p > js && (p[-1] == '"' || p[-1] == '\'')) && q < end && *q == p[-1])
			return true; /* window["eval"] */
		if (!call)
			return true;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '(')
			return true;
	}
	return false;
}

/* String reversal: "...".split("").reverse().join("") hides a URL or a
 * script backwards. */
static bool has_reversal(const char *js, gsize len)
{
	const char *p = find_cs(js, len, ".reverse()");
	return p && find_cs(p, len - (p - js), ".join(") && find_cs(js, len, ".split(");
}

static void mark(scan *s, const char *name, mark_kind kind)
{
	if (list_has(s->markers, name))
		return;
	list_add(s->markers, name);
	if (kind == MARK_EXEC)
		s->exec_markers++;
	else
		s->decode_markers++;
}

/* The string literal that starts at p (after blanks), or NULL when the
 * value is computed. */
static char *literal_at(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p >= end || (*p != '"' && *p != '\'' && *p != '`'))
		return NULL;
	char q = *p++;
	const char *start = p;
	while (p < end && *p != q && p - start < LITERAL_MAX) {
		if (*p == '\\' && p + 1 < end)
			p++;
		p++;
	}
	if (p >= end || *p != q)
		return NULL;
	return g_strndup(start, p - start);
}

/* window.location / location.href / location.replace(...) / document.location
 * assignments: where the page sends the browser. */
static void scan_redirects(scan *s, const char *js, gsize len)
{
	const char *end = js + len;
	for (const char *p = js; (p = find_cs(p, end - p, "location")); p += 8) {
		const char *q = p + 8;
		bool owner = false;
		static const char *const owners[] = {"window.", "document.", "top.", "self.", "parent.", NULL};
		for (const char *const *o = owners; *o; o++) {
			gsize on = strlen(*o);
			if ((gsize)(p - js) >= on && memcmp(p - on, *o, on) == 0)
				owner = true;
		}
		if (p > js && is_ident(p[-1]))
			continue;
		if (p > js && p[-1] == '.' && !owner)
			continue;
		bool method = false;
		static const char *const members[] = {".href", ".replace", ".assign", NULL};
		for (const char *const *m = members; *m; m++) {
			gsize mn = strlen(*m);
			if ((gsize)(end - q) >= mn && memcmp(q, *m, mn) == 0 &&
			    (q + mn >= end || !is_ident(q[mn]))) {
				q += mn;
				method = true;
				break;
			}
		}
		if (q < end && is_ident(*q))
			continue;
		if (!owner && !method)
			continue;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end)
			break;
		bool assign = *q == '=' && (q + 1 >= end || q[1] != '=');
		if (!assign && *q != '(')
			continue;
		g_autofree char *target = literal_at(q + 1, end);
		if (target && *target) {
			list_add(s->redirects, target);
			add_url_ioc(s, target);
		} else {
			list_add(s->redirects, "(computed)");
		}
	}
}

/* 'type="password"' and friends inside script: a form built at run time. */
static void scan_script_forms(scan *s, const char *js, gsize len)
{
	const char *end = js + len;
	for (const char *p = js; (p = ks_html_find_ci(p, end - p, "password")); p += 8) {
		const char *b = p;
		int steps = 0;
		while (b > js && steps < 6 && strchr("\"'\\= \t:", b[-1])) {
			b--;
			steps++;
		}
		if (steps == 0 || b - js < 4 || g_ascii_strncasecmp(b - 4, "type", 4) != 0)
			continue;
		if (p + 8 < end && is_ident(p[8]))
			continue;
		s->script_password_fields++;
	}
	for (const char *p = js; (p = ks_html_find_ci(p, end - p, "action")); p += 6) {
		if (p > js && is_ident(p[-1]))
			continue;
		const char *q = p + 6;
		while (q < end && strchr(" \t=:\\", *q))
			q++;
		g_autofree char *target = literal_at(q, end);
		if (!target) {
			/* markup in a string: action=\"https://...\" was unquoted above */
			const char *u = q;
			while (u < end && strchr("\"'", *u))
				u++;
			gsize n = 0;
			while (u + n < end && n < LITERAL_MAX && !strchr("\"'\\ >", u[n]))
				n++;
			target = g_strndup(u, n);
		}
		if (is_remote_url(target)) {
			list_add(s->form_targets, target);
			g_autofree char *entry = g_strdup_printf("script %s", target);
			list_add(s->forms, entry);
			add_url_ioc(s, target);
		}
	}
}

static void scan_logo_services(scan *s, const char *text, gsize len);

static void add_remote_script(scan *s, const char *url)
{
	list_add(s->script_urls, url);
	g_autofree char *host = remote_host(url);
	list_add(s->script_hosts, host);
	add_url_ioc(s, url);
}

/* A script element built at run time, createElement("script") and then
 * .src = "https://...": how tag managers and loaders pull remote code
 * (a cloned site's Matomo loader in phishing_pot sample-5798). */
static void scan_script_injection(scan *s, const char *js, gsize len)
{
	const char *end = js + len;
	bool builds_script = false;
	for (const char *c = js; !builds_script && (c = find_cs(c, end - c, "createElement("));
	     c += 14) {
		g_autofree char *tag = literal_at(c + 14, end);
		builds_script = tag && g_ascii_strcasecmp(tag, "script") == 0;
	}
	if (!builds_script)
		return;
	for (const char *p = js; (p = find_cs(p, end - p, ".src")); p += 4) {
		const char *q = p + 4;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '=' || (q + 1 < end && q[1] == '='))
			continue;
		g_autofree char *url = literal_at(q + 1, end);
		if (url && is_remote_url(url))
			add_remote_script(s, url);
	}
}

/* ---- strings script assembles at run time ---------------------------------
 * A byte scan sees "<scr" + "ipt src=...", a list of character codes or a
 * string written backwards, never the markup the browser gets; each is put
 * back together here and scanned one level down like a decoded blob. */

/* The string literal starting at p (a quote), its escapes resolved
 * (\" \' \\ \/ \n \t; \xNN and \uNNNN are kept for the escape-run scan),
 * appended to out; returns the byte after the closing quote, or NULL. */
static const char *literal_append(const char *p, const char *end, GString *out)
{
	char q = *p++;
	const char *start = p;
	gsize before = out->len;
	while (p < end && *p != q && p - start < LITERAL_MAX) {
		if (*p == '\n' && q != '`')
			break;
		if (*p == '\\' && p + 1 < end) {
			char e = p[1];
			if (e == 'x' || e == 'u')
				g_string_append_c(out, '\\'), g_string_append_c(out, e);
			else
				g_string_append_c(out, e == 'n' ? '\n' : e == 't' ? '\t' : e);
			p += 2;
			continue;
		}
		g_string_append_c(out, *p++);
	}
	if (p >= end || *p != q) {
		g_string_truncate(out, before);
		return NULL;
	}
	return p + 1;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static bool is_quote(char c)
{
	return c == '"' || c == '\'' || c == '`';
}

/* Literals joined by "+" ('<scr' + 'ipt src="//cdn...">'): each chain of two
 * or more that holds markup or a URL is scanned as one string. */
static void scan_joined_literals(scan *s, const char *js, gsize len, int depth)
{
	const char *end = js + len;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) chain = g_string_new(NULL);
	for (const char *p = js; p < end && out->len < BLOB_BYTES_MAX;) {
		if (!is_quote(*p)) {
			p++;
			continue;
		}
		g_string_truncate(chain, 0);
		int pieces = 0;
		const char *q = p, *next;
		while ((next = literal_append(q, end, chain))) {
			pieces++;
			q = skip_blanks(next, end);
			if (q >= end || *q != '+')
				break;
			const char *r = skip_blanks(q + 1, end);
			if (r >= end || !is_quote(*r))
				break;
			q = r;
		}
		if (pieces >= 2 && (memchr(chain->str, '<', chain->len) || strstr(chain->str, "//"))) {
			g_string_append_len(out, chain->str, chain->len);
			g_string_append_c(out, '\n');
		}
		p = q > p ? q : p + 1;
	}
	if (out->len)
		scan_decoded(s, "joined strings", (const guint8 *)out->str, out->len, depth);
}

/* Lists of character codes (String.fromCharCode(60,115,...), or an array
 * handed to it): each run of CHAR_CODES_MIN or more is decoded. */
#define CHAR_CODES_MIN 12
static void scan_char_codes(scan *s, const char *js, gsize len, int depth)
{
	if (!has_word(js, len, "fromCharCode", false))
		return;
	const char *end = js + len;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) run = g_string_new(NULL);
	for (const char *p = js; p < end && out->len < BLOB_BYTES_MAX;) {
		if (!g_ascii_isdigit(*p) || (p > js && (is_ident(p[-1]) || p[-1] == '.'))) {
			p++;
			continue;
		}
		g_string_truncate(run, 0);
		int codes = 0;
		const char *q = p;
		for (;;) {
			const char *stop = q;
			guint64 v = 0;
			if (end - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) { /* 0x3c */
				for (stop = q + 2; stop < end && hexval(*stop) >= 0 && v <= 0x10FFFF; stop++)
					v = v * 16 + (guint64)hexval(*stop);
			} else { /* 60 */
				for (; stop < end && g_ascii_isdigit(*stop) && v <= 0x10FFFF; stop++)
					v = v * 10 + (guint64)(*stop - '0');
			}
			if (stop == q || v == 0 || v > 0x10FFFF || (stop < end && is_ident(*stop)))
				break;
			g_string_append_unichar(run, (gunichar)v);
			codes++;
			q = skip_blanks(stop, end);
			if (q >= end || *q != ',')
				break;
			q = skip_blanks(q + 1, end);
			if (q >= end || !g_ascii_isdigit(*q))
				break;
		}
		if (codes >= CHAR_CODES_MIN) {
			g_string_append_len(out, run->str, run->len);
			g_string_append_c(out, '\n');
		}
		p = q > p ? q : p + 1;
	}
	if (out->len)
		scan_decoded(s, "character codes", (const guint8 *)out->str, out->len, depth);
}

/* With a split/reverse/join in the script, its long literals read backwards. */
#define REVERSED_MIN 16
static void scan_reversed_literals(scan *s, const char *js, gsize len, int depth)
{
	if (!has_reversal(js, len))
		return;
	const char *end = js + len;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) lit = g_string_new(NULL);
	for (const char *p = js; p < end && out->len < BLOB_BYTES_MAX;) {
		if (!is_quote(*p)) {
			p++;
			continue;
		}
		g_string_truncate(lit, 0);
		const char *next = literal_append(p, end, lit);
		if (!next) {
			p++;
			continue;
		}
		if (lit->len >= REVERSED_MIN && g_utf8_validate_len(lit->str, lit->len, NULL)) {
			g_autofree char *rev = g_utf8_strreverse(lit->str, lit->len);
			g_string_append(out, rev);
			g_string_append_c(out, '\n');
		}
		p = next;
	}
	if (out->len)
		scan_decoded(s, "reversed strings", (const guint8 *)out->str, out->len, depth);
}

/* Script text: inline <script>, on* handlers, javascript: URLs, and
 * decoded blobs one level down. */
static void scan_script(scan *s, const char *js, gsize len, int depth)
{
	if (!js || len == 0 || depth > DECODE_DEPTH_MAX)
		return;
	gsize room = SCRIPT_BYTES_MAX - s->script_bytes[depth];
	len = MIN(len, room);
	if (len == 0)
		return;
	s->script_bytes[depth] += len;
	for (size_t i = 0; i < G_N_ELEMENTS(mark_words); i++)
		if (has_word(js, len, mark_words[i].word, mark_words[i].call))
			mark(s, mark_words[i].word, mark_words[i].kind);
	if (has_reversal(js, len))
		mark(s, "string reversal", MARK_DECODE);
	scan_redirects(s, js, len);
	scan_script_injection(s, js, len);
	scan_script_forms(s, js, len);
	scan_logo_services(s, js, len);
	scan_blobs(s, js, len, depth);
	scan_escape_runs(s, js, len, depth);
	scan_joined_literals(s, js, len, depth);
	scan_char_codes(s, js, len, depth);
	scan_reversed_literals(s, js, len, depth);
	/* markup written by script: document.write('<script src=...>') */
	if (ks_html_find_ci(js, len, "<script") || ks_html_find_ci(js, len, "<form") || ks_html_find_ci(js, len, "<iframe")) {
		if (depth < DECODE_DEPTH_MAX)
			scan_document(s, js, len, depth + 1);
	}
}

/* ---- logos and brands ---------------------------------------------------- */

/* Domain named by a logo/favicon service URL (data/html_logo_services.txt),
 * or NULL when url is not one. */
static char *logo_service_domain(const char *url, char **service)
{
	g_autofree char *host = remote_host(url);
	if (!host)
		return NULL;
	const char *path = strstr(url, "//");
	path = path ? strchr(path + 2, '/') : NULL;
	if (!path)
		return NULL;
	const GPtrArray *lines = ks_data_lines("html_logo_services.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(lines, i), "|", 3);
		if (g_strv_length(f) < 3 || g_ascii_strcasecmp(f[0], host) != 0)
			continue;
		if (!g_str_has_prefix(path, *f[1] ? f[1] : "/"))
			continue;
		g_autofree char *dom = NULL;
		if (*f[2]) {
			g_autofree char *key = g_strconcat(f[2], "=", NULL);
			const char *qs = strchr(path, '?');
			const char *v = qs ? strstr(qs, key) : NULL;
			if (!v)
				continue;
			v += strlen(key);
			dom = g_strndup(v, strcspn(v, "&#"));
		} else {
			const char *v = path + (*f[1] ? strlen(f[1]) : 1);
			dom = g_strndup(v, strcspn(v, "/?#&"));
		}
		g_autofree char *un = g_uri_unescape_string(dom, NULL);
		const char *d = un ? un : dom;
		/* "https://acme.example/" as the url parameter: take its host */
		char *h = strstr(d, "://") ? ks_url_host(d) : g_ascii_strdown(d, -1);
		if (h && (g_str_has_suffix(h, ".ico") || g_str_has_suffix(h, ".png")))
			h[strlen(h) - 4] = '\0';
		*service = g_strdup(f[0]);
		return h;
	}
	return NULL;
}

/* Logo services named in script text ("host/prefix"): the domain is
 * computed at run time (from the victim's address), so only the service
 * is known.  Every service's address says "logo" or "icon", which keeps
 * this cheap on pages with thousands of event handlers. */
static void scan_logo_services(scan *s, const char *text, gsize len)
{
	if (!ks_html_find_ci(text, len, "logo") && !ks_html_find_ci(text, len, "icon"))
		return;
	const GPtrArray *lines = ks_data_lines("html_logo_services.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(lines, i), "|", 3);
		if (g_strv_length(f) < 2)
			continue;
		g_autofree char *where = g_strconcat(f[0], f[1], NULL);
		const char *host = f[0];
		if (!*host || !ks_html_find_ci(text, len, where))
			continue;
		g_autofree char *entry = g_strdup_printf("(computed) via %s", host);
		list_add(s->logos, entry);
	}
}

/* An image URL: a logo service naming a domain, or a URL that carries
 * the recipient's own domain while served from somewhere else. */
static void check_logo(scan *s, const char *url)
{
	if (!is_remote_url(url))
		return;
	g_autofree char *service = NULL;
	g_autofree char *dom = logo_service_domain(url, &service);
	if (dom && *dom) {
		g_autofree char *entry = g_strdup_printf("%s via %s", dom, service);
		list_add(s->logos, entry);
		return;
	}
	g_autofree char *host = remote_host(url);
	g_autofree char *site = host ? site_of(host) : NULL;
	const char *after_host = strstr(url, "//");
	after_host = after_host ? strchr(after_host + 2, '/') : NULL;
	for (guint i = 0; after_host && i < s->recipient_domains->len; i++) {
		const char *rd = g_ptr_array_index(s->recipient_domains, i);
		if (site && strcmp(site, rd) == 0)
			continue;
		if (ks_html_find_ci(after_host, strlen(after_host), rd)) {
			g_autofree char *entry = g_strdup_printf("%s via %s", rd, host);
			list_add(s->logos, entry);
		}
	}
}

/* The brand a page imitates (brands.h): title hits weigh most, then alt
 * texts and image URLs, then visible text. */
static const ks_brand *guess_brand(scan *s)
{
	return ks_brands_guess_page(s->title->str, s->text->str, s->extra->str);
}

/* Is host one of the imitated brand's own (its login servers included)? */
static bool in_official(const ks_brand *brand, const char *host)
{
	return ks_brand_owns_host(brand, host, true);
}

/* ---- the recipient in the page ------------------------------------------ */

/* How addr appears in the page: plain (any case), %40-escaped, or base64
 * at any of the three byte alignments (kits carry the victim's address in
 * "#dmljdGlt..." fragments and hidden fields to prefill the login). */
static const char *recipient_form(const char *page, gsize len, const char *addr)
{
	if (ks_html_find_ci(page, len, addr))
		return "plain";
	g_autofree char *esc = NULL;
	const char *at = strchr(addr, '@');
	if (at) {
		esc = g_strdup_printf("%.*s%%40%s", (int)(at - addr), addr, at + 1);
		if (ks_html_find_ci(page, len, esc))
			return "url-encoded";
	}
	gsize n = strlen(addr);
	for (int off = 0; off < 3; off++) {
		g_autofree guint8 *buf = g_malloc(n + off);
		memset(buf, 'A', off);
		memcpy(buf + off, addr, n);
		g_autofree char *b64 = g_base64_encode(buf, n + off);
		/* drop the characters that depend on the padding bytes before and
		 * on what follows: only the stable middle is searched */
		gsize skip = off == 0 ? 0 : (gsize)off + 1;
		gsize total = n + off;
		gsize stable_end = (total / 3) * 4;
		if (stable_end <= skip + 8)
			continue;
		g_autofree char *mid = g_strndup(b64 + skip, stable_end - skip);
		if (find_cs(page, len, mid))
			return "base64";
	}
	return NULL;
}

static void find_recipients(scan *s, const char *page, gsize len, bool decoded)
{
	for (guint i = 0; i < s->r->to->len; i++) {
		const ks_address *a = g_ptr_array_index(s->r->to, i);
		if (!a->address || !strchr(a->address, '@'))
			continue;
		const char *how = recipient_form(page, len, a->address);
		if (!how)
			continue;
		g_autofree char *entry = g_strdup_printf("%s (%s%s)", a->address, how,
		                                         decoded ? ", in decoded content" : "");
		bool known = false;
		for (guint j = 0; j < s->recipients->len; j++)
			known = known || g_str_has_prefix(g_ptr_array_index(s->recipients, j), a->address);
		if (!known)
			list_add(s->recipients, entry);
	}
}

/* ---- the document walk ---------------------------------------------------- */

static void append_bounded(GString *g, const char *t, gsize max)
{
	if (g->len >= max || !t)
		return;
	g_string_append_len(g, t, MIN(strlen(t), max - g->len));
	g_string_append_c(g, ' ');
}

/* All text under a node (script bodies: text, CDATA or comment nodes). */
static GString *child_text(xmlNode *n)
{
	GString *out = g_string_new(NULL);
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->content && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE ||
		                   c->type == XML_COMMENT_NODE) &&
		    out->len < SCRIPT_BYTES_MAX)
			g_string_append(out, (const char *)c->content);
	return out;
}

/* data: URIs in CSS url(...) (inline images, fonts): counted only. */
static void count_css_data_uris(scan *s, const char *css)
{
	for (const char *p = css; (p = ks_html_find_ci(p, strlen(p), "url(")); p += 4) {
		const char *q = p + 4;
		while (*q == ' ' || *q == '"' || *q == '\'')
			q++;
		if (g_ascii_strncasecmp(q, "data:", 5) == 0)
			s->data_uris++;
	}
}

/* on* handlers, javascript: URLs and data: URIs in any attribute. */
static void visit_attributes(scan *s, xmlNode *n, int depth)
{
	for (xmlAttr *a = n->properties; a; a = a->next) {
		if (!a->name)
			continue;
		xmlChar *v = xmlNodeGetContent((xmlNode *)a);
		if (!v)
			continue;
		const char *val = (const char *)v;
		while (*val == ' ' || *val == '\t' || *val == '\n' || *val == '\r')
			val++;
		const char *name = (const char *)a->name;
		if (g_ascii_strncasecmp(name, "on", 2) == 0)
			scan_script(s, val, strlen(val), depth);
		else if (g_ascii_strncasecmp(val, "javascript:", 11) == 0)
			scan_script(s, val + 11, strlen(val + 11), depth);
		else if (g_ascii_strncasecmp(val, "data:", 5) == 0)
			scan_data_uri(s, val, depth);
		else if (g_ascii_strcasecmp(name, "style") == 0)
			count_css_data_uris(s, val);
		xmlFree(v);
	}
}

static void visit_script(scan *s, xmlNode *n, int depth)
{
	s->scripts++;
	g_autofree char *src = attr(n, "src");
	if (!src)
		src = attr(n, "xlink:href");
	if (!src)
		src = attr(n, "href"); /* SVG 2 <script href> */
	/* a data: src is decoded by visit_attributes() like any other */
	if (src && is_remote_url(src))
		add_remote_script(s, src);
	g_autoptr(GString) body = child_text(n);
	scan_script(s, body->str, body->len, depth);
}

static void visit_form(scan *s, xmlNode *n)
{
	g_autofree char *action = attr(n, "action");
	g_autofree char *method = attr(n, "method");
	g_autofree char *m = g_ascii_strup(method && *method ? method : "get", -1);
	g_autofree char *entry = g_strdup_printf("%s %s", m, action && *action ? action : "(this page)");
	list_add(s->forms, entry);
	if (action && (is_remote_url(action) || g_ascii_strncasecmp(action, "mailto:", 7) == 0)) {
		list_add(s->form_targets, action);
		add_url_ioc(s, action);
	}
}

/* Does text hold an entry of html_forms.txt's kind (case-insensitive)? */
static const char *form_word_in(const char *text, const char *kind)
{
	const GPtrArray *rows = ks_data_lines("html_forms.txt");
	g_autofree char *low = text ? ks_utf8_down(text) : NULL;
	size_t kl = strlen(kind);
	for (guint i = 0; low && rows && i < rows->len; i++) {
		const char *row = g_ptr_array_index(rows, i);
		if (strncmp(row, kind, kl) == 0 && row[kl] == '|' && row[kl + 1] &&
		    strstr(low, row + kl + 1))
			return row + kl + 1;
	}
	return NULL;
}

/* The name of a field that asks for a login name, or NULL: an e-mail field,
 * or a visible text field named for an account (data/html_forms.txt). */
static char *account_field(xmlNode *n, const char *type)
{
	bool email = type && g_ascii_strcasecmp(type, "email") == 0;
	if (type && *type && !email && g_ascii_strcasecmp(type, "text") != 0)
		return NULL;
	g_autofree char *name = attr(n, "name");
	if (email)
		return g_strdup(name && *name ? name : "email");
	static const char *const attrs[] = {"name", "id", "placeholder", "autocomplete",
	                                    "aria-label"};
	for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++) {
		g_autofree char *v = attr(n, attrs[i]);
		if (v && form_word_in(v, "account"))
			return g_strdup(name && *name ? name : v);
	}
	return NULL;
}

/* Nodes read under a form or a link for its purpose: a sign-up box is a
 * few dozen. */
#define FORM_NODES_MAX 2000
/* Levels climbed from a field to its form. */
#define FORM_DEPTH_MAX 256

/* The text under top, and with attributes the values, placeholders and
 * alt texts of its elements (what a reader sees of a form), bounded. */
static void subtree_text(xmlNode *top, GString *text, bool attributes)
{
	int seen = 0;
	xmlNode *c = top->children;
	while (c && seen++ < FORM_NODES_MAX) {
		if (c->type == XML_TEXT_NODE && c->content) {
			append_bounded(text, (const char *)c->content, VISIBLE_TEXT_MAX);
		} else if (attributes && c->type == XML_ELEMENT_NODE) {
			static const char *const attrs[] = {"value", "placeholder", "alt", "aria-label"};
			for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++) {
				g_autofree char *v = attr(c, attrs[i]);
				append_bounded(text, v, VISIBLE_TEXT_MAX);
			}
		}
		if (c->type == XML_ELEMENT_NODE && c->children) {
			c = c->children;
			continue;
		}
		while (c != top && !c->next)
			c = c->parent;
		c = c == top ? NULL : c->next;
	}
}

/* Is n inside a form whose text, buttons or prompts say it signs up for a
 * newsletter (data/html_forms.txt "subscription")? */
static bool in_subscription_form(xmlNode *n)
{
	xmlNode *form = n->parent;
	for (int up = 0; form && up < FORM_DEPTH_MAX && !is_named(form, "form"); up++)
		form = form->parent;
	if (!form || !is_named(form, "form"))
		return false;
	g_autoptr(GString) text = g_string_new(NULL);
	subtree_text(form, text, true);
	return form_word_in(text->str, "subscription") != NULL;
}

/* A link that offers to unsubscribe (data/unsubscribe_words.txt): the
 * footer every newsletter carries. */
static void visit_anchor(scan *s, xmlNode *n)
{
	if (s->unsubscribe_link)
		return;
	g_autoptr(GString) text = g_string_new(NULL);
	subtree_text(n, text, false);
	g_autofree char *low = ks_utf8_down(text->str);
	const GPtrArray *words = ks_data_lines("unsubscribe_words.txt");
	for (guint i = 0; words && i < words->len && !s->unsubscribe_link; i++)
		s->unsubscribe_link = strstr(low, g_ptr_array_index(words, i)) != NULL;
}

static void visit_input(scan *s, xmlNode *n)
{
	g_autofree char *type = attr(n, "type");
	if (type && g_ascii_strcasecmp(type, "password") == 0)
		s->password_fields++;
	else if (is_named(n, "input") && s->account_fields->len < LIST_MAX) {
		g_autofree char *field = account_field(n, type);
		if (field && !in_subscription_form(n))
			list_add(s->account_fields, field);
	}
	/* <button formaction=...> overrides its form's action */
	g_autofree char *fa = attr(n, "formaction");
	if (fa && is_remote_url(fa)) {
		list_add(s->form_targets, fa);
		g_autofree char *entry = g_strdup_printf("formaction %s", fa);
		list_add(s->forms, entry);
		add_url_ioc(s, fa);
	}
}

static void visit_frame(scan *s, xmlNode *n, const char *src_attr)
{
	g_autofree char *src = attr(n, src_attr);
	if (!src || !*src)
		return;
	if (g_ascii_strncasecmp(src, "data:", 5) == 0) {
		list_add(s->frames, "data: URI");
		return; /* visit_attributes() decodes it */
	}
	list_add(s->frames, src);
	add_url_ioc(s, src);
}

/* <meta http-equiv="refresh" content="0; url=https://...">
 * (HTML Living Standard 4.2.5.3, "Refresh state"). */
static void visit_meta(scan *s, xmlNode *n)
{
	g_autofree char *equiv = attr(n, "http-equiv");
	if (!equiv || g_ascii_strcasecmp(equiv, "refresh") != 0)
		return;
	g_autofree char *content = attr(n, "content");
	if (!content)
		return;
	const char *u = ks_html_find_ci(content, strlen(content), "url");
	if (!u) {
		list_add(s->refresh, "(reload)");
		return;
	}
	u += 3;
	while (*u == ' ' || *u == '=' || *u == '"' || *u == '\'')
		u++;
	g_autofree char *target = g_strndup(u, strcspn(u, "\"'"));
	g_strstrip(target);
	list_add(s->refresh, target);
	add_url_ioc(s, target);
}

static void visit_image(scan *s, xmlNode *n, const char *src_attr)
{
	g_autofree char *src = attr(n, src_attr);
	g_autofree char *alt = attr(n, "alt");
	append_bounded(s->extra, alt, VISIBLE_TEXT_MAX);
	if (!src)
		return;
	if (is_remote_url(src)) {
		append_bounded(s->extra, src, VISIBLE_TEXT_MAX);
		check_logo(s, src);
	}
}

/* Called on each element; true when its children are walked. */
static bool visit(scan *s, xmlNode *n, int depth)
{
	if (n->type == XML_TEXT_NODE)
		return false; /* the visible text comes from html.c (page_text) */
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return true;
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return false;
	visit_attributes(s, n, depth);
	if (is_named(n, "script")) {
		visit_script(s, n, depth);
		return false;
	}
	if (is_named(n, "style")) {
		g_autoptr(GString) css = child_text(n);
		count_css_data_uris(s, css->str);
		return false;
	}
	if (is_named(n, "title")) {
		if (s->title->len == 0) {
			g_autoptr(GString) t = child_text(n);
			g_string_append_len(s->title, t->str, MIN(t->len, (gsize)TITLE_MAX * 4));
		}
		return false;
	}
	if (is_named(n, "form"))
		visit_form(s, n);
	else if (is_named(n, "input") || is_named(n, "button"))
		visit_input(s, n);
	else if (is_named(n, "iframe") || is_named(n, "frame") || is_named(n, "embed"))
		visit_frame(s, n, "src");
	else if (is_named(n, "object"))
		visit_frame(s, n, "data");
	else if (is_named(n, "meta"))
		visit_meta(s, n);
	else if (is_named(n, "a"))
		visit_anchor(s, n);
	else if (is_named(n, "img"))
		visit_image(s, n, "src");
	else if (is_named(n, "link")) {
		g_autofree char *rel = attr(n, "rel");
		if (rel && ks_html_find_ci(rel, strlen(rel), "icon"))
			visit_image(s, n, "href");
	}
	return true;
}

/* Pre-order walk with an explicit cursor (no recursion: 10,000 nested
 * <div>s cost a loop, not a stack). */
static void walk(scan *s, xmlNode *top, int depth)
{
	xmlNode *n = top;
	for (;;) {
		if (visit(s, n, depth) && n->children) {
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

/* The text a reader sees on the page (html.c: hidden text left out), kept
 * for the brand guess. */
static void page_text(scan *s, htmlDocPtr doc)
{
	g_autofree char *t = ks_html_doc_to_text(doc, NULL);
	append_bounded(s->text, t, VISIBLE_TEXT_MAX);
}

static void scan_document(scan *s, const char *html, gsize len, int depth)
{
	if (!html || len == 0 || depth > DECODE_DEPTH_MAX)
		return;
	if (depth > 0)
		find_recipients(s, html, len, true);
	htmlDocPtr doc = ks_html_parse(html, len);
	if (!doc)
		return;
	walk(s, (xmlNode *)doc, depth);
	if (depth > 0)
		page_text(s, doc);
	xmlFreeDoc(doc);
}

/* ---- findings -------------------------------------------------------------- */

/* A page opened from disk runs its scripts; a mail client runs none in a
 * message body, where a newsletter's template copied from its web site
 * (an analytics, ad or widget script) is inert: low in the body of mail
 * sent in bulk or offering to unsubscribe, high elsewhere. */
static void report_remote_script(scan *s, const char *location, bool newsletter_body)
{
	if (s->script_urls->len == 0)
		return;
	g_autofree char *hosts = list_join(s->script_hosts, EVIDENCE_ITEMS);
	g_autofree char *urls = list_join(s->script_urls, EVIDENCE_ITEMS);
	ks_report_add_finding_sev(s->r, KS_RULE_HTML_REMOTE_SCRIPT,
	                          newsletter_body ? KS_SEV_LOW
	                                          : ks_rule_severity(KS_RULE_HTML_REMOTE_SCRIPT),
	                          location, "loads script from %s (%s)%s", hosts, urls,
	                          newsletter_body ? "; in the body of a newsletter or list mail, "
	                                            "which mail clients do not run"
	                                          : "");
}

static void report_credential_form(scan *s, const char *location, const ks_brand *brand)
{
	int pw = s->password_fields + s->script_password_fields;
	/* without a password, a form counts when it asks for an account and
	 * posts elsewhere: a search box, a survey or a newsletter's sign-up box
	 * asks for none */
	bool account = s->account_fields->len > 0 && s->form_targets->len > 0;
	if (pw == 0 && !account)
		return;
	g_autoptr(GString) ev = g_string_new(NULL);
	if (pw == 0) {
		g_autofree char *f = list_join(s->account_fields, EVIDENCE_ITEMS);
		g_string_append_printf(ev, "asks for an account (%s)", f);
	}
	if (s->password_fields)
		g_string_append_printf(ev, "%d password field%s", s->password_fields,
		                       s->password_fields == 1 ? "" : "s");
	if (s->script_password_fields)
		g_string_append_printf(ev, "%sa password field built by script", ev->len ? "; " : "");
	if (s->form_targets->len) {
		g_autofree char *t = list_join(s->form_targets, EVIDENCE_ITEMS);
		g_string_append_printf(ev, "%sposts to %s", ev->len ? "; " : "", t);
	}
	if (brand) {
		g_autoptr(GPtrArray) foreign = list_new();
		for (guint i = 0; i < s->form_targets->len; i++) {
			g_autofree char *h = remote_host(g_ptr_array_index(s->form_targets, i));
			if (h && !in_official(brand, h))
				list_add(foreign, h);
		}
		if (foreign->len) {
			g_autofree char *f = list_join(foreign, EVIDENCE_ITEMS);
			g_string_append_printf(ev, "; the page imitates %s but posts to %s",
			                       ks_brand_name(brand), f);
		} else {
			g_string_append_printf(ev, "; the page imitates %s", ks_brand_name(brand));
		}
	}
	if (s->recipients->len) {
		g_autofree char *rc = list_join(s->recipients, EVIDENCE_ITEMS);
		g_string_append_printf(ev, "; prefilled with the recipient's address %s", rc);
	}
	if (s->logos->len) {
		g_autofree char *lg = list_join(s->logos, EVIDENCE_ITEMS);
		g_string_append_printf(ev, "; shows the logo of %s", lg);
	}
	/* an account without a password (a kit's first step) is less than a
	 * login page */
	ks_severity sev = pw > 0 ? KS_SEV_HIGH : KS_SEV_MEDIUM;
	ks_report_add_finding_sev(s->r, KS_RULE_HTML_CREDENTIAL_FORM, sev, location, "%s", ev->str);
}

/* Obfuscation is a writer or evaluator fed by a decoder or a blob, or a
 * decoder fed by a long blob: one of them alone is ordinary script
 * (analytics snippets call document.write; frameworks call atob). */
static void report_obfuscation(scan *s, const char *location)
{
	int blobs = s->long_hex + s->long_base64 + s->escape_runs;
	bool fires = (s->exec_markers > 0 && (s->decode_markers > 0 || blobs > 0)) ||
	             (s->decode_markers > 0 && blobs > 0);
	if (!fires)
		return;
	g_autoptr(GString) ev = g_string_new(NULL);
	g_autofree char *marks = list_join(s->markers, LIST_MAX);
	g_string_append_printf(ev, "script uses %s", marks);
	if (s->long_base64)
		g_string_append_printf(ev, "; %d base64 string%s of %d+ characters", s->long_base64,
		                       s->long_base64 == 1 ? "" : "s", LONG_ENCODED_MIN);
	if (s->long_hex)
		g_string_append_printf(ev, "; %d hex string%s of %d+ characters", s->long_hex,
		                       s->long_hex == 1 ? "" : "s", LONG_ENCODED_MIN);
	if (s->escape_runs)
		g_string_append_printf(ev, "; %d run%s of %%XX/\\x escapes", s->escape_runs,
		                       s->escape_runs == 1 ? "" : "s");
	if (s->decoded_found->len) {
		g_autofree char *d = list_join(s->decoded_found, EVIDENCE_ITEMS);
		g_string_append_printf(ev, "; decoded content holds %s", d);
	}
	ks_report_add_finding(s->r, KS_RULE_HTML_OBFUSCATED_SCRIPT, location, "%s", ev->str);
}

static void meta_list(ks_attachment *a, const char *key, const GPtrArray *l)
{
	if (l->len == 0)
		return;
	g_autofree char *v = list_join(l, LIST_MAX);
	ks_attachment_add_meta(a, key, v);
}

static void meta_int(ks_attachment *a, const char *key, int v)
{
	if (v <= 0)
		return;
	g_autofree char *t = g_strdup_printf("%d", v);
	ks_attachment_add_meta(a, key, t);
}

/* Adds a URL the page sends its reader to as one of the mail's links, at
 * the attachment's part, once. */
static void add_page_link(ks_report *r, const char *label, const char *url, const char *location)
{
	if (!url || !*url || url[0] == '(')
		return;
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		if (g_strcmp0(l->location, location) == 0 && strcmp(l->href, url) == 0)
			return;
	}
	g_ptr_array_add(r->links, ks_link_new_at(label, url, location));
}

/* An HTML attachment that only sends the browser on: a meta refresh or a
 * script redirect, no form, next to no text ("Loading...", "Please wait").
 * The page is there to carry a link past the filters that read the body's
 * links; where it goes is the attack (the redirect attachments of
 * Microsoft's and Cofense's HTML-smuggling reports, 2021-2023).  Its
 * targets, and where its forms post, become the mail's links in any case. */
#define REDIRECT_PAGE_TEXT_MAX 200

/* A target that leaves the page's own folder: a URL with a scheme (http,
 * data:, javascript: ...), a host ("//host/"), or one a script computes
 * ("(...)").  A relative name ("Pull1.html") opens beside the saved
 * attachment, where nothing is: a saved site's frame page, not a lure. */
static bool goes_elsewhere(const char *t)
{
	while (g_ascii_isspace(*t))
		t++;
	if (t[0] == '(' || (t[0] == '/' && t[1] == '/') || (t[0] == '\\' && t[1] == '\\'))
		return true;
	const char *p = t;
	while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p > t && *p == ':';
}

static void report_redirect_only(scan *s, const char *location)
{
	g_autoptr(GString) targets = g_string_new(NULL);
	int n = 0;
	for (guint i = 0; i < s->refresh->len; i++) {
		const char *t = g_ptr_array_index(s->refresh, i);
		if (strcmp(t, "(reload)") == 0)
			continue;
		add_page_link(s->r, "[meta refresh]", t, location);
		if (!goes_elsewhere(t))
			continue;
		if (n++ < EVIDENCE_ITEMS)
			g_string_append_printf(targets, "%smeta refresh to %s", targets->len ? "; " : "", t);
	}
	for (guint i = 0; i < s->redirects->len; i++) {
		const char *t = g_ptr_array_index(s->redirects, i);
		add_page_link(s->r, "[script redirect]", t, location);
		if (!goes_elsewhere(t))
			continue;
		if (n++ < EVIDENCE_ITEMS)
			g_string_append_printf(targets, "%sscript redirect to %s", targets->len ? "; " : "",
			                       t);
	}
	/* where its forms post is where its reader's answers go */
	for (guint i = 0; i < s->form_targets->len; i++)
		add_page_link(s->r, "[form action]", g_ptr_array_index(s->form_targets, i), location);
	if (n == 0 || s->forms->len || s->password_fields || s->script_password_fields)
		return;
	gsize visible = 0;
	for (gsize i = 0; i < s->text->len; i++)
		visible += !g_ascii_isspace(s->text->str[i]);
	if (visible > REDIRECT_PAGE_TEXT_MAX)
		return;
	ks_report_add_finding(s->r, KS_RULE_ATTACHMENT_HTML_REDIRECT, location,
	                      "%s, and only %" G_GSIZE_FORMAT " bytes of text", targets->str, visible);
}

static void add_metadata(scan *s, ks_attachment *a, const ks_brand *brand)
{
	g_autofree char *title = g_strstrip(g_strdup(s->title->str));
	if (*title) {
		if (g_utf8_validate(title, -1, NULL) && g_utf8_strlen(title, -1) > TITLE_MAX)
			*g_utf8_offset_to_pointer(title, TITLE_MAX) = '\0';
		ks_attachment_add_meta(a, "html_title", title);
	}
	if (s->scripts) {
		g_autofree char *hosts = list_join(s->script_hosts, LIST_MAX);
		g_autofree char *v = s->script_hosts->len
			? g_strdup_printf("%d; remote from %s", s->scripts, hosts)
			: g_strdup_printf("%d", s->scripts);
		ks_attachment_add_meta(a, "html_scripts", v);
	}
	meta_list(a, "html_forms", s->forms);
	if (s->password_fields || s->script_password_fields) {
		g_autofree char *v = s->script_password_fields
			? g_strdup_printf("%d (and built by script)", s->password_fields)
			: g_strdup_printf("%d", s->password_fields);
		ks_attachment_add_meta(a, "html_password_fields", v);
	}
	meta_list(a, "html_iframes", s->frames);
	meta_list(a, "html_meta_refresh", s->refresh);
	meta_list(a, "html_redirects", s->redirects);
	meta_int(a, "html_data_uris", s->data_uris);
	meta_list(a, "html_recipient_embedded", s->recipients);
	if (brand)
		ks_attachment_add_meta(a, "html_brand", ks_brand_name(brand));
	meta_list(a, "html_logo_domains", s->logos);
}

/* Registrable domains of the To addresses (whose logo a kit fetches). */
static void collect_recipient_domains(scan *s)
{
	for (guint i = 0; i < s->r->to->len; i++) {
		const ks_address *a = g_ptr_array_index(s->r->to, i);
		g_autofree char *reg = ks_address_registrable(a->address);
		if (reg)
			list_add(s->recipient_domains, reg);
	}
}

void ks_html_scan(const char *html, gsize len, const char *location, const ks_context *ctx,
                  ks_report *r, ks_attachment *meta_target)
{
	if (!html || !r || len == 0)
		return;
	len = MIN(len, (gsize)SCAN_BYTES_MAX);
	htmlDocPtr doc = ks_html_parse(html, len);
	ks_html_scan_doc(doc, html, len, location, ctx, r, meta_target);
	if (doc)
		xmlFreeDoc(doc);
}

static void scan_init(scan *s, ks_report *r)
{
	*s = (scan){
		.r = r,
		.title = g_string_new(NULL),
		.text = g_string_new(NULL),
		.extra = g_string_new(NULL),
		.script_urls = list_new(),
		.script_hosts = list_new(),
		.forms = list_new(),
		.form_targets = list_new(),
		.account_fields = list_new(),
		.frames = list_new(),
		.refresh = list_new(),
		.redirects = list_new(),
		.logos = list_new(),
		.markers = list_new(),
		.decoded_found = list_new(),
		.recipients = list_new(),
		.recipient_domains = list_new(),
	};
}

static void scan_clear(scan *s)
{
	g_string_free(s->title, TRUE);
	g_string_free(s->text, TRUE);
	g_string_free(s->extra, TRUE);
	GPtrArray *lists[] = {s->script_urls, s->script_hosts, s->forms, s->form_targets,
	                      s->account_fields, s->frames, s->refresh, s->redirects, s->logos,
	                      s->markers, s->decoded_found, s->recipients, s->recipient_domains};
	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
		g_ptr_array_unref(lists[i]);
}

void ks_html_scan_doc(htmlDocPtr doc, const char *html, gsize len, const char *location,
                      const ks_context *ctx, ks_report *r, ks_attachment *meta_target)
{
	(void)ctx;
	if (!html || !r || len == 0)
		return;
	len = MIN(len, (gsize)SCAN_BYTES_MAX);
	scan s;
	scan_init(&s, r);
	const char *loc = location ? location : "body";
	collect_recipient_domains(&s);
	find_recipients(&s, html, len, false);
	if (doc) {
		walk(&s, (xmlNode *)doc, 0);
	} else if (meta_target) {
		/* the body analyzer reports an unparseable body itself */
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "the HTML could not be parsed; only its text was searched");
		scan_script(&s, html, len, 0);
	}
	/* the brand is named only beside a form or in an attachment's metadata;
	 * most mail bodies have neither, and the guess reads the whole page */
	bool has_form = s.password_fields + s.script_password_fields > 0 || s.form_targets->len > 0;
	bool guess = meta_target || has_form;
	if (guess && doc)
		page_text(&s, doc);
	const ks_brand *brand = guess ? guess_brand(&s) : NULL;
	report_remote_script(&s, loc, !meta_target && (ks_mailing_list_bulk(r) || s.unsubscribe_link));
	report_credential_form(&s, loc, brand);
	report_obfuscation(&s, loc);
	if (meta_target) {
		report_redirect_only(&s, loc);
		add_metadata(&s, meta_target, brand);
	}

	scan_clear(&s);
}

GPtrArray *ks_html_decoded_layers(const char *html, gsize len)
{
	GPtrArray *layers = g_ptr_array_new_with_free_func((GDestroyNotify)ks_kv_free);
	if (!html || len == 0)
		return layers;
	len = MIN(len, (gsize)SCAN_BYTES_MAX);
	g_autoptr(ks_report) r = ks_report_new();
	scan s;
	scan_init(&s, r);
	s.layers = layers;
	htmlDocPtr doc = ks_html_parse(html, len);
	if (doc) {
		walk(&s, (xmlNode *)doc, 0);
		xmlFreeDoc(doc);
	} else {
		scan_script(&s, html, len, 0);
	}
	scan_clear(&s);
	return layers;
}
