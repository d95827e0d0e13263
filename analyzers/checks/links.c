/* Where links really go.  Each link of the report is read as a browser
 * would go: through the security gateways that wrapped it and the open
 * redirects it passes (their targets are read out of the URL, never
 * followed), to the hosts it names; each URL on the way is judged by the
 * kind of place it is.  The places are data files (see links.h); what is
 * code here is reading URLs: paths, query parameters, the encodings the
 * wrappers use, numeric IP forms, host names that spell an IP address, IDN
 * labels and IPFS content ids.
 *
 * A finding names up to three links of its kind and location with what
 * each place is.  A category's weight is the data's severity: a shortener
 * or an object-store file is weak (and dropped in list and bulk mail, which
 * use them honestly), an IPFS gateway or an Azure static website strong. */
#include "checks/links.h"

#include "core/data.h"
#include "core/domains.h"
#include "checks/throwaway.h"
#include "checks/lookalike.h"

#include <stdio.h>
#include <string.h>

/* Layers of wrapping removed from one link (a gateway around a redirect
 * around a redirect is the deepest seen in practice). */
#define UNWRAP_MAX 4
/* Links judged per message: the body's cap (KS_LINKS_MAX) and as many
 * again from attachments. */
#define LINKS_JUDGED 4000
/* Links named in one finding's evidence, and characters of each URL. */
#define EVIDENCE_LINKS 3
#define URL_SHOWN 160
#define TEXT_SHOWN 60
/* IOCs added for targets read out of wrapped links, per message. */
#define TARGET_IOCS 200

/* ---- the data ------------------------------------------------------------ */

typedef enum {
	ENC_PERCENT,
	ENC_PROOFPOINT_V2,
	ENC_PROOFPOINT_V3,
	ENC_QUERY,
	ENC_PATH,
	ENC_BING,
	ENC_YAHOO,
} encoding;

typedef struct {
	char *host;      /* suffix, or the name of "name.*" */
	bool any_suffix; /* "name.*" */
	char *path;      /* prefix, "" for any */
	char *param;     /* "" when the encoding finds the target itself */
	encoding enc;
	bool redirect; /* an open redirect (link_redirects.txt), not a gateway */
	char *what;
} wrapper;

typedef struct {
	char *host; /* suffix, or a pattern when glob */
	bool glob;
	char *path;
	int sev;      /* ks_severity, or -1 for the rule's default */
	int page_sev; /* severity when the path names a web page, or -1 */
	char *what;
} place;

/* A list of places in file order, and where to look in it: the places
 * whose host is a given (lower-case) suffix, by that suffix, and those
 * that are patterns.  A link's host asks only its own suffixes. */
typedef struct {
	GPtrArray *all;       /* place* */
	GHashTable *by_host;  /* host suffix -> GArray of guint indexes into all, rising */
	GArray *globs;        /* guint indexes of the patterns, rising */
} place_list;

typedef struct {
	GPtrArray *wrappers; /* wrapper*, gateways first */
	place_list *hosting, *forms, *shorteners;
} tables;

static encoding encoding_parse(const char *s)
{
	static const struct {
		const char *name;
		encoding enc;
	} names[] = {{"proofpoint-v2", ENC_PROOFPOINT_V2}, {"proofpoint-v3", ENC_PROOFPOINT_V3},
	             {"query", ENC_QUERY},                 {"path", ENC_PATH},
	             {"bing", ENC_BING},                   {"yahoo", ENC_YAHOO}};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_strcmp0(s, names[i].name) == 0)
			return names[i].enc;
	return ENC_PERCENT;
}

/* "host|path|param|encoding[|what]" */
static void load_wrappers(GPtrArray *out, const char *file, bool redirect)
{
	const GPtrArray *rows = ks_data_lines(file);
	for (guint i = 0; rows && i < rows->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(rows, i), "|", 5);
		if (!f[0] || !f[1] || !f[2])
			continue;
		wrapper *w = g_new0(wrapper, 1);
		char *host = g_strstrip(f[0]);
		w->any_suffix = g_str_has_suffix(host, ".*");
		w->host = w->any_suffix ? g_strndup(host, strlen(host) - 2) : g_strdup(host);
		w->path = g_strdup(g_strstrip(f[1]));
		w->param = g_strdup(g_strstrip(f[2]));
		w->enc = encoding_parse(f[3] ? g_strstrip(f[3]) : NULL);
		w->redirect = redirect;
		w->what = g_strdup(f[4] ? g_strstrip(f[4]) : w->host);
		g_ptr_array_add(out, w);
	}
}

/* "low", or "low,page:high" */
static void parse_severity(const char *s, int *sev, int *page_sev)
{
	*sev = *page_sev = -1;
	g_auto(GStrv) parts = g_strsplit(s, ",", 2);
	ks_severity v;
	if (parts[0] && ks_severity_parse(g_strstrip(parts[0]), &v))
		*sev = (int)v;
	if (parts[0] && parts[1]) {
		const char *p = g_strstrip(parts[1]);
		if (g_str_has_prefix(p, "page:") && ks_severity_parse(p + 5, &v))
			*page_sev = (int)v;
	}
}

/* "host|path|severity|what" */
static place_list *load_places(const char *file)
{
	place_list *list = g_new0(place_list, 1);
	GPtrArray *out = list->all = g_ptr_array_new();
	list->by_host = g_hash_table_new(g_str_hash, g_str_equal);
	list->globs = g_array_new(FALSE, FALSE, sizeof(guint));
	const GPtrArray *rows = ks_data_lines(file);
	for (guint i = 0; rows && i < rows->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(rows, i), "|", 4);
		if (!f[0] || !f[1] || !f[2] || !f[3])
			continue;
		place *p = g_new0(place, 1);
		p->host = g_ascii_strdown(g_strstrip(f[0]), -1);
		p->glob = strchr(p->host, '*') != NULL;
		p->path = g_strdup(g_strstrip(f[1]));
		parse_severity(f[2], &p->sev, &p->page_sev);
		p->what = g_strdup(g_strstrip(f[3]));
		guint at = out->len;
		g_ptr_array_add(out, p);
		if (p->glob) {
			g_array_append_val(list->globs, at);
			continue;
		}
		GArray *same = g_hash_table_lookup(list->by_host, p->host);
		if (!same) {
			same = g_array_new(FALSE, FALSE, sizeof(guint));
			g_hash_table_insert(list->by_host, p->host, same);
		}
		g_array_append_val(same, at);
	}
	return list;
}

static gpointer tables_build(gpointer unused)
{
	(void)unused;
	tables *t = g_new0(tables, 1);
	t->wrappers = g_ptr_array_new();
	load_wrappers(t->wrappers, "link_wrappers.txt", false);
	load_wrappers(t->wrappers, "link_redirects.txt", true);
	t->hosting = load_places("link_hosting.txt");
	t->forms = load_places("link_forms.txt");
	t->shorteners = load_places("link_shorteners.txt");
	return t;
}

/* built once, read-only afterwards, kept for the life of the program */
static const tables *tables_get(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, tables_build, NULL);
}

/* ---- reading URLs -------------------------------------------------------- */

/* The path of url (from the first "/" after the authority, up to its
 * query), or "". */
static char *url_path(const char *url)
{
	const char *a = strstr(url, "://");
	if (!a)
		return g_strdup("");
	const char *p = a + 3 + strcspn(a + 3, "/?#");
	if (*p != '/')
		return g_strdup("");
	return g_strndup(p, strcspn(p, "?#"));
}

/* The path with its query and fragment (what follows the authority). */
static const char *url_rest(const char *url)
{
	const char *a = strstr(url, "://");
	if (!a)
		return "";
	const char *p = a + 3 + strcspn(a + 3, "/?#");
	return p;
}

/* The query parameter name of url, percent-decoded ("+" is a space), or
 * NULL.  Parameters are separated by "&" (and ";", which Google's click
 * URLs use). */
static char *query_param(const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	if (!q)
		return NULL;
	size_t n = strlen(name);
	for (const char *p = q + 1; *p;) {
		size_t len = strcspn(p, "&;#");
		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			g_autofree char *raw = g_strndup(p + n + 1, len - n - 1);
			for (char *c = raw; *c; c++)
				if (*c == '+')
					*c = ' ';
			return g_uri_unescape_string(raw, NULL);
		}
		if (p[len] != '&' && p[len] != ';')
			break;
		p += len + 1;
	}
	return NULL;
}

/* Proofpoint URL Defense v2: "-" escapes a byte in hex ("-3A"), "_" is "/". */
static char *proofpoint_v2(const char *s)
{
	GString *out = g_string_new(NULL);
	for (const char *p = s; *p; p++) {
		if (*p == '-' && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])) {
			g_string_append_c(out, (char)(g_ascii_xdigit_value(p[1]) * 16 +
			                              g_ascii_xdigit_value(p[2])));
			p += 2;
		} else {
			g_string_append_c(out, *p == '_' ? '/' : *p);
		}
	}
	return g_string_free(out, FALSE);
}

/* Bing's "u=a1" + base64url of the target (RFC 4648 section 5). */
static char *bing_target(const char *v)
{
	if (!g_str_has_prefix(v, "a1") || strlen(v) < 6)
		return NULL;
	GString *b = g_string_new(v + 2);
	for (gsize i = 0; i < b->len; i++)
		b->str[i] = b->str[i] == '-' ? '+' : b->str[i] == '_' ? '/' : b->str[i];
	while (b->len % 4)
		g_string_append_c(b, '=');
	gsize n = 0;
	g_autofree guchar *raw = g_base64_decode(b->str, &n);
	g_string_free(b, TRUE);
	if (!raw || n == 0)
		return NULL;
	char *s = g_strndup((const char *)raw, n);
	if (!g_utf8_validate(s, -1, NULL)) {
		g_free(s);
		return NULL;
	}
	return s;
}

static bool has_web_scheme(const char *s)
{
	return g_ascii_strncasecmp(s, "http://", 7) == 0 || g_ascii_strncasecmp(s, "https://", 8) == 0;
}

static bool wrapper_host_matches(const wrapper *w, const char *host)
{
	if (!w->any_suffix)
		return ks_host_under(host, w->host);
	g_autofree char *reg = ks_domain_registrable(host);
	size_t n = strlen(w->host);
	return reg && strncmp(reg, w->host, n) == 0 && reg[n] == '.';
}

/* The target one wrapper of the data holds in href, raw (the caller checks
 * it is a URL), or NULL. */
static char *wrapped_target(const wrapper *w, const char *href, const char *path)
{
	switch (w->enc) {
	case ENC_PROOFPOINT_V3: {
		const char *t = url_rest(href) + strlen(w->path);
		const char *stop = strstr(t, "__;");
		return g_strndup(t, stop ? (size_t)(stop - t) : strcspn(t, "#"));
	}
	case ENC_QUERY: {
		const char *q = strchr(href, '?');
		if (!q)
			return NULL;
		g_autofree char *raw = g_strndup(q + 1, strcspn(q + 1, "#"));
		return has_web_scheme(raw) ? g_steal_pointer(&raw) : g_uri_unescape_string(raw, NULL);
	}
	case ENC_PATH: {
		const char *t = url_rest(href) + strlen(w->path);
		if (!*t)
			return NULL;
		return strstr(t, "://") ? g_strdup(t) : g_strconcat("https://", t, NULL);
	}
	case ENC_YAHOO: {
		const char *ru = strstr(path, "/RU=");
		if (!ru)
			return NULL;
		ru += 4;
		const char *rk = strstr(ru, "/RK=");
		g_autofree char *raw = g_strndup(ru, rk ? (size_t)(rk - ru) : strlen(ru));
		return g_uri_unescape_string(raw, NULL);
	}
	default:
		break;
	}
	if (!*w->param)
		return NULL;
	g_autofree char *v = query_param(href, w->param);
	if (!v || !*v)
		return NULL;
	if (w->enc == ENC_PROOFPOINT_V2)
		return proofpoint_v2(v);
	if (w->enc == ENC_BING)
		return bing_target(v);
	return g_steal_pointer(&v);
}

/* The target the first matching wrapper of the data holds in href, as an
 * absolute URL with a host, or NULL; *which is that wrapper. */
static char *unwrap_once(const char *href, const char *host, const wrapper **which)
{
	const tables *t = tables_get();
	g_autofree char *path = url_path(href);
	for (guint i = 0; i < t->wrappers->len; i++) {
		const wrapper *w = g_ptr_array_index(t->wrappers, i);
		if (!wrapper_host_matches(w, host))
			continue;
		if (*w->path && strncmp(path, w->path, strlen(w->path)) != 0)
			continue;
		g_autofree char *target = wrapped_target(w, href, path);
		if (!target)
			continue;
		g_strstrip(target);
		/* a target on the wrapper's own site ("/redirect?q=..." in a
		 * YouTube attribution link) is read against its host */
		if (target[0] == '/' && target[1] != '/') {
			char *abs = g_strconcat("https://", host, target, NULL);
			g_free(target);
			target = abs;
		}
		if (!has_web_scheme(target) && g_ascii_strncasecmp(target, "ftp://", 6) != 0)
			continue;
		g_autofree char *inner = ks_url_host(target);
		if (!inner || !*inner)
			continue;
		*which = w;
		return g_steal_pointer(&target);
	}
	return NULL;
}

char *ks_link_unwrap(const char *href, bool *via_redirect)
{
	if (via_redirect)
		*via_redirect = false;
	if (!href)
		return NULL;
	char *target = NULL;
	char *host = ks_url_host(href);
	for (int i = 0; host && i < UNWRAP_MAX; i++) {
		const wrapper *w = NULL;
		char *inner = unwrap_once(target ? target : href, host, &w);
		if (!inner)
			break;
		if (via_redirect && w->redirect)
			*via_redirect = true;
		g_free(target);
		g_free(host);
		target = inner;
		host = ks_url_host(inner);
	}
	g_free(host);
	return target;
}

/* ---- what a host is ------------------------------------------------------ */

/* A WHATWG "IPv4 number" part: decimal, 0x-hex or 0-led octal digits. */
static bool ipv4_part(const char *s, size_t n, bool *odd)
{
	if (n == 0)
		return false;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*odd = true;
		for (size_t i = 2; i < n; i++)
			if (!g_ascii_isxdigit(s[i]))
				return false;
		return true;
	}
	if (n > 1 && s[0] == '0')
		*odd = true;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]))
			return false;
	return true;
}

typedef enum { IP_NONE, IP_PLAIN, IP_ODD } ip_form;

/* A host that browsers take for an IPv4 address (URL Standard, "IPv4
 * parser": the last label is a number), written as a dotted quad or in one
 * of the odd forms (one decimal number, hex, octal, fewer parts) that
 * phishing uses to hide it; or an IPv6 literal. */
static ip_form ip_form_of(const char *host)
{
	if (strchr(host, ':'))
		return g_hostname_is_ip_address(host) ? IP_PLAIN : IP_NONE;
	g_auto(GStrv) parts = g_strsplit(host, ".", -1);
	guint n = g_strv_length(parts);
	if (n == 0 || n > 4)
		return IP_NONE;
	bool odd = false;
	for (guint i = 0; i < n; i++)
		if (!ipv4_part(parts[i], strlen(parts[i]), &odd))
			return IP_NONE;
	return n == 4 && !odd && g_hostname_is_ip_address(host) ? IP_PLAIN : IP_ODD;
}

/* RFC 1918, loopback, link-local, CGNAT (RFC 6598), "this network", and
 * IPv6 loopback, link-local and unique-local: an intranet's own hosts,
 * which company mail links to honestly. */
static bool ip_is_private(const char *ip)
{
	if (strchr(ip, ':'))
		return g_str_equal(ip, "::1") || g_ascii_strncasecmp(ip, "fe80", 4) == 0 ||
		       g_ascii_strncasecmp(ip, "fc", 2) == 0 || g_ascii_strncasecmp(ip, "fd", 2) == 0;
	unsigned a = 0, b = 0;
	if (sscanf(ip, "%u.%u", &a, &b) != 2)
		return false;
	return a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b <= 31) ||
	       (a == 192 && b == 168) || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127);
}

/* One decimal octet: 1 to 3 digits, at most 255. */
static bool is_octet(const char *s, size_t n)
{
	if (n == 0 || n > 3)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!g_ascii_isdigit(s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v <= 255;
}

/* Four octets in a row among parts (labels of a host, or the '-' pieces
 * of one label), dotted; NULL when there are none. */
static char *octets_in(char **parts)
{
	guint n = g_strv_length(parts);
	for (guint i = 0; i + 4 <= n; i++) {
		bool all = true;
		for (guint k = 0; k < 4 && all; k++)
			all = is_octet(parts[i + k], strlen(parts[i + k]));
		if (all)
			return g_strdup_printf("%s.%s.%s.%s", parts[i], parts[i + 1], parts[i + 2],
			                       parts[i + 3]);
	}
	return NULL;
}

/* The IPv4 address a host name spells, as wildcard DNS services
 * ("10-0-0-1.sslip.io", "app.203.0.113.9.nip.io"), reverse-DNS names
 * ("92.205.227.121.host.secureserver.net", "ec2-54-1-2-3.compute-1.
 * amazonaws.com") and the kits that rent them ("rurzipws.20-218-142-124.
 * cloud-xip.com") write it: the name is the address, whoever owns it.
 * NULL when it spells none (a bare address is not a name). */
static char *spelled_ip(const char *host)
{
	g_auto(GStrv) labels = g_strsplit(host, ".", -1);
	/* the labels after the address make it a name */
	guint n = g_strv_length(labels);
	for (guint i = 0; i + 4 < n; i++) {
		char *four[] = {labels[i], labels[i + 1], labels[i + 2], labels[i + 3], NULL};
		char *ip = octets_in(four);
		if (ip)
			return ip;
	}
	for (guint i = 0; i + 1 < n; i++) {
		g_auto(GStrv) pieces = g_strsplit(labels[i], "-", -1);
		char *ip = octets_in(pieces);
		if (ip)
			return ip;
	}
	return NULL;
}

/* Scripts that UTS #39's "highly restrictive" level lets one label mix
 * (section 5.2): Latin with the Japanese, Chinese or Korean scripts. */
static bool scripts_allowed(const GArray *scripts)
{
	static const GUnicodeScript japanese[] = {G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN,
	                                          G_UNICODE_SCRIPT_HIRAGANA,
	                                          G_UNICODE_SCRIPT_KATAKANA};
	static const GUnicodeScript chinese[] = {G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN,
	                                         G_UNICODE_SCRIPT_BOPOMOFO};
	static const GUnicodeScript korean[] = {G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN,
	                                        G_UNICODE_SCRIPT_HANGUL};
	static const struct {
		const GUnicodeScript *set;
		size_t n;
	} sets[] = {{japanese, G_N_ELEMENTS(japanese)},
	            {chinese, G_N_ELEMENTS(chinese)},
	            {korean, G_N_ELEMENTS(korean)}};
	if (scripts->len <= 1)
		return true;
	for (size_t s = 0; s < G_N_ELEMENTS(sets); s++) {
		bool all = true;
		for (guint i = 0; i < scripts->len && all; i++) {
			GUnicodeScript sc = g_array_index(scripts, GUnicodeScript, i);
			bool in = false;
			for (size_t k = 0; k < sets[s].n; k++)
				in = in || sets[s].set[k] == sc;
			all = in;
		}
		if (all)
			return true;
	}
	return false;
}

/* Why a Unicode label deceives: its letters mix scripts no language mixes
 * ("pаypal" with a Cyrillic а), or its confusable skeleton is plain ASCII
 * (all-Cyrillic "аррӏе" reads "apple"); NULL when it is an honest name in
 * its own script (日本語.jp, bücher.de).  g_free. */
static char *label_deception(const char *label)
{
	g_autoptr(GArray) scripts = g_array_new(FALSE, FALSE, sizeof(GUnicodeScript));
	bool ascii = true;
	for (const char *p = label; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		ascii = ascii && c < 0x80;
		GUnicodeScript sc = g_unichar_get_script(c);
		if (sc == G_UNICODE_SCRIPT_COMMON || sc == G_UNICODE_SCRIPT_INHERITED ||
		    sc == G_UNICODE_SCRIPT_UNKNOWN)
			continue;
		bool seen = false;
		for (guint i = 0; i < scripts->len; i++)
			seen = seen || g_array_index(scripts, GUnicodeScript, i) == sc;
		if (!seen)
			g_array_append_val(scripts, sc);
	}
	if (ascii)
		return NULL;
	if (!scripts_allowed(scripts))
		return g_strdup("mixes scripts");
	g_autofree char *skel = ks_lookalike_skeleton(label);
	for (const char *p = skel; p && *p; p++)
		if ((unsigned char)*p >= 0x80)
			return NULL;
	return skel ? g_strdup_printf("reads as \"%s\"", skel) : NULL;
}

/* An internationalized label left of an all-ASCII registrable domain
 * whose ASCII letters and digits, read without the others, look made by a
 * generator ("ð7rF7ŸDNœ4vdR" under webrentals.eu.com: 7rF7DN4vdR): a name
 * made fresh for each mail under a wildcard domain, so that no block list
 * holds it, with scattered non-ASCII letters on top.  A person's IDN
 * subdomain is a word (bücher.example.com).  NULL, or why; g_free. */
static char *machine_made_label(const char *label)
{
	bool wide = false;
	GString *ascii = g_string_new(NULL);
	for (const char *p = label; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c >= 0x80)
			wide = true;
		else
			g_string_append_c(ascii, (char)c);
	}
	char *why = wide ? ks_throwaway_why(ascii->str) : NULL;
	char *out = why ? g_strdup_printf("\"%s\" is made by a generator (\"%s\": %s)", label,
	                                  ascii->str, why)
	                : NULL;
	g_free(why);
	g_string_free(ascii, TRUE);
	return out;
}

/* For a host with IDN labels (punycode, or Unicode as written): what it
 * is, and its severity: high when it deceives (look-alike letters, mixed
 * scripts), medium when a subdomain label is machine-made, else the
 * rule's own.  NULL for an all-ASCII host. */
static char *idn_host(const char *host, ks_severity *sev)
{
	*sev = ks_rule_severity(KS_RULE_LINK_PUNYCODE);
	bool idn = false;
	for (const char *p = host; *p; p++)
		if ((unsigned char)*p >= 0x80)
			idn = true;
	g_auto(GStrv) labels = g_strsplit(host, ".", -1);
	for (char **l = labels; *l && !idn; l++)
		idn = g_ascii_strncasecmp(*l, "xn--", 4) == 0;
	if (!idn)
		return NULL;
	/* what a browser would connect to (IDNA); none for a name it refuses
	 * (controls, mojibake in spam templates) */
	g_autofree char *ascii = g_utf8_validate(host, -1, NULL) ? g_hostname_to_ascii(host) : NULL;
	if (!ascii)
		return g_strdup_printf("%s is no valid international name", host);
	/* an all-ASCII result: the letters were look-alikes of ASCII ones
	 * (mathematical, full-width) */
	if (!strstr(ascii, "xn--") && strcmp(ascii, host) != 0) {
		*sev = KS_SEV_HIGH;
		return g_strdup_printf("%s: written in look-alike characters for %s", host, ascii);
	}
	g_autofree char *unicode = g_hostname_to_unicode(ascii);
	const char *shown = unicode ? unicode : host;
	g_auto(GStrv) ulabels = g_strsplit(shown, ".", -1);
	for (char **l = ulabels; *l; l++) {
		g_autofree char *why = label_deception(*l);
		if (why) {
			*sev = KS_SEV_HIGH;
			return g_strdup_printf("%s (%s): \"%s\" %s", shown, ascii, *l, why);
		}
	}
	/* the labels as written (the case a generator chose), left of an
	 * ASCII registrable domain */
	g_autofree char *site = ks_domain_registrable(ascii);
	guint n = g_strv_length(labels), site_labels = 1;
	for (const char *p = site; p && *p; p++)
		site_labels += *p == '.';
	for (guint i = 0; site && !strstr(site, "xn--") && i + site_labels < n; i++) {
		g_autofree char *label = g_ascii_strncasecmp(labels[i], "xn--", 4) == 0
		                             ? g_hostname_to_unicode(labels[i])
		                             : g_strdup(labels[i]);
		g_autofree char *why = label ? machine_made_label(label) : NULL;
		if (why) {
			*sev = KS_SEV_MEDIUM;
			return g_strdup_printf("%s (%s): %s", shown, ascii, why);
		}
	}
	return g_strdup_printf("internationalized name %s (%s)", shown, ascii);
}

/* An IPFS content id as a path segment or host label: CIDv0 ("Qm" and 44
 * base58 characters) or CIDv1 in base32 ("bafy", "bafk", "bafz"; IPFS
 * docs, "Content Identifiers"). */
static bool is_cid(const char *s, size_t n)
{
	if (n == 46 && s[0] == 'Q' && s[1] == 'm')
		return true;
	return n >= 50 && (g_ascii_strncasecmp(s, "bafy", 4) == 0 ||
	                   g_ascii_strncasecmp(s, "bafk", 4) == 0 ||
	                   g_ascii_strncasecmp(s, "bafz", 4) == 0);
}

/* "/ipfs/<cid>" or "/ipns/<name>" on any host, or "<cid>.ipfs.<gateway>":
 * a gateway whatever its name (gateways come and go faster than a list). */
static bool ipfs_url(const char *host, const char *path)
{
	if (g_str_has_prefix(path, "/ipfs/")) {
		const char *c = path + 6;
		if (is_cid(c, strcspn(c, "/")))
			return true;
	}
	const char *dot = strchr(host, '.');
	return dot && is_cid(host, (size_t)(dot - host)) &&
	       (g_str_has_prefix(dot, ".ipfs.") || g_str_has_prefix(dot, ".ipns."));
}

/* A path whose last segment is a web page a browser would show. */
static bool is_page_path(const char *path)
{
	static const char *const exts[] = {".html", ".htm", ".shtml", ".xhtml", ".svg",
	                                   ".php",  ".asp", ".aspx",  ".jsp"};
	const char *slash = strrchr(path, '/');
	const char *last = slash ? slash + 1 : path;
	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++)
		if (g_str_has_suffix(last, exts[i]))
			return true;
	g_autofree char *low = g_ascii_strdown(last, -1);
	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++)
		if (g_str_has_suffix(low, exts[i]))
			return true;
	return false;
}

/* The provider's own site: the suffix itself or its "www." host
 * (www.dyndns.org is the company, gnuhead.dyndns.org a customer). */
static bool provider_own(const char *host, const char *suffix)
{
	return g_ascii_strcasecmp(host, suffix) == 0 ||
	       (g_ascii_strncasecmp(host, "www.", 4) == 0 && g_ascii_strcasecmp(host + 4, suffix) == 0);
}

/* The first place of the list the URL is at.  hosted: the places are
 * hosts under which customers get names, so the provider's own site does
 * not count unless the entry names a path. */
static bool place_fits(const place *p, const char *host, const char *path, bool hosted)
{
	bool host_ok = p->glob ? g_pattern_match_simple(p->host, host) : ks_host_under(host, p->host);
	if (host_ok && hosted && !p->glob && !*p->path && provider_own(host, p->host))
		host_ok = false;
	return host_ok && (!*p->path || g_str_has_prefix(path, p->path));
}

/* Of the places at the indexes in ids, the first that fits, if it comes
 * before *best. */
static void first_fit(const place_list *list, const GArray *ids, const char *host,
                      const char *path, bool hosted, guint *best)
{
	for (guint k = 0; ids && k < ids->len; k++) {
		guint i = g_array_index(ids, guint, k);
		if (i >= *best)
			return;
		if (place_fits(g_ptr_array_index(list->all, i), host, path, hosted)) {
			*best = i;
			return;
		}
	}
}

static const place *place_find(const place_list *list, const char *host, const char *path,
                               bool hosted)
{
	/* the places ks_host_under can accept are those named by the host or by
	 * what follows one of its dots; patterns may accept anything */
	guint best = G_MAXUINT;
	g_autofree char *low = g_ascii_strdown(host, -1);
	for (const char *s = low; s; s = ks_host_parent(s))
		first_fit(list, g_hash_table_lookup(list->by_host, s), host, path, hosted, &best);
	first_fit(list, list->globs, host, path, hosted, &best);
	return best == G_MAXUINT ? NULL : g_ptr_array_index(list->all, best);
}

/* ---- findings ------------------------------------------------------------ */

typedef struct {
	ks_rule rule;
	char *location;
	ks_severity sev;
	GString *examples;
	int count;
	GHashTable *seen; /* hrefs named */
} group;

static void group_free(group *g)
{
	g_free(g->location);
	g_string_free(g->examples, TRUE);
	g_hash_table_destroy(g->seen);
	g_free(g);
}

typedef struct {
	ks_report *r;
	bool bulk;            /* list or bulk mail */
	ks_severity floor;    /* findings under it are not raised */
	GPtrArray *senders;   /* registrable domains of From, Return-Path, DKIM d= */
	GHashTable *groups;   /* "rule\x1flocation" -> group* */
	GPtrArray *order;     /* group*, in order of first appearance */
	int target_iocs;
} judge;

static char *shorten(const char *s, long max_chars)
{
	if (!g_utf8_validate(s, -1, NULL) || g_utf8_strlen(s, -1) <= max_chars)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, max_chars);
	return g_strconcat(head, "…", NULL);
}

/* Records one hit; what says what the place is ("Azure Storage static
 * website"), href the URL as written, target the URL judged when it came
 * out of a wrapper. */
static void hit(judge *j, ks_rule rule, ks_severity sev, const ks_link *l, const char *href,
                const char *target, const char *what)
{
	/* list and bulk mail link to shorteners, trackers, file stores and
	 * members' own servers honestly: only what is more than weak counts
	 * in bulk mail, and only what is strong in a list's */
	if (sev < j->floor)
		return;
	const char *loc = ks_link_location(l);
	g_autofree char *key = g_strdup_printf("%d\x1f%s", (int)rule, loc);
	group *g = g_hash_table_lookup(j->groups, key);
	if (!g) {
		g = g_new0(group, 1);
		g->rule = rule;
		g->location = g_strdup(loc);
		g->sev = sev;
		g->examples = g_string_new(NULL);
		g->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_hash_table_insert(j->groups, g_steal_pointer(&key), g);
		g_ptr_array_add(j->order, g);
	}
	const char *shown = target ? target : href;
	if (g_hash_table_contains(g->seen, shown))
		return;
	g_hash_table_add(g->seen, g_strdup(shown));
	g->sev = MAX(g->sev, sev);
	if (g->count++ >= EVIDENCE_LINKS)
		return;
	g_autofree char *u = shorten(href, URL_SHOWN);
	if (g->examples->len)
		g_string_append(g->examples, "; ");
	/* a label worth quoting: not the URL again, nor a marker such as
	 * "[image]" or "[PDF link]" */
	const char *text = l->text;
	bool marker = text && text[0] == '[' && g_str_has_suffix(text, "]");
	if (text && *text && !marker && strcmp(text, l->href) != 0) {
		g_autofree char *t = shorten(text, TEXT_SHOWN);
		g_string_append_printf(g->examples, "\"%s\" → ", t);
	}
	g_string_append(g->examples, u);
	if (target) {
		g_autofree char *tu = shorten(target, URL_SHOWN);
		g_string_append_printf(g->examples, " → %s", tu);
	}
	g_string_append_printf(g->examples, " (%s)", what);
}

static void emit(judge *j)
{
	for (guint i = 0; i < j->order->len; i++) {
		group *g = g_ptr_array_index(j->order, i);
		if (g->count > EVIDENCE_LINKS)
			g_string_append_printf(g->examples, "; and %d more", g->count - EVIDENCE_LINKS);
		ks_report_add_finding_sev(j->r, g->rule, g->sev, g->location, "%s", g->examples->str);
	}
}

static bool is_sender_site(const judge *j, const char *site)
{
	for (guint i = 0; site && i < j->senders->len; i++)
		if (strcmp(g_ptr_array_index(j->senders, i), site) == 0)
			return true;
	return false;
}

/* Registrable domain of a host, or the host itself (IP literals). */
static char *site_of(const char *host)
{
	char *reg = ks_domain_registrable(host);
	return reg ? reg : g_ascii_strdown(host, -1);
}

static ks_severity place_severity(const place *p, const char *path, ks_rule rule)
{
	if (p->page_sev >= 0 && is_page_path(path))
		return (ks_severity)p->page_sev;
	return p->sev >= 0 ? (ks_severity)p->sev : ks_rule_severity(rule);
}

/* Judges one URL of a link's chain (the href, or a target read out of a
 * wrapper: then target is that URL and href the link as written). */
static void judge_url(judge *j, const ks_link *l, const char *url, bool inner)
{
	g_autofree char *host = ks_url_host(url);
	if (!host || !*host)
		return;
	g_autofree char *path = url_path(url);
	const char *target = inner ? url : NULL;
	const tables *t = tables_get();

	ip_form ip = ip_form_of(host);
	if (ip == IP_ODD) {
		hit(j, KS_RULE_LINK_IP_LITERAL, KS_SEV_HIGH, l, l->href, target,
		    "an IP address written as a number, in hex or in octal");
	} else if (ip == IP_PLAIN && !ip_is_private(host)) {
		hit(j, KS_RULE_LINK_IP_LITERAL, ks_rule_severity(KS_RULE_LINK_IP_LITERAL), l, l->href,
		    target, "a bare IP address");
	}
	if (ip != IP_NONE)
		return;
	g_autofree char *spelled = spelled_ip(host);
	if (spelled && !ip_is_private(spelled)) {
		g_autofree char *what = g_strdup_printf("a host name that spells the IP address %s",
		                                        spelled);
		hit(j, KS_RULE_LINK_IP_LITERAL, ks_rule_severity(KS_RULE_LINK_IP_LITERAL), l, l->href,
		    target, what);
	}

	ks_severity idn_sev;
	g_autofree char *idn = idn_host(host, &idn_sev);
	if (idn)
		hit(j, KS_RULE_LINK_PUNYCODE, idn_sev, l, l->href, target, idn);

	const place *p = place_find(t->hosting, host, path, true);
	if (p)
		hit(j, KS_RULE_LINK_FREE_HOSTING, place_severity(p, path, KS_RULE_LINK_FREE_HOSTING), l,
		    l->href, target, p->what);
	else if (ipfs_url(host, path))
		hit(j, KS_RULE_LINK_FREE_HOSTING, KS_SEV_HIGH, l, l->href, target, "IPFS gateway");
	/* surveys from lists and newsletters are what form services are for */
	p = place_find(t->forms, host, path, false);
	if (p)
		hit(j, KS_RULE_LINK_FORM_SERVICE,
		    j->bulk ? KS_SEV_LOW : place_severity(p, path, KS_RULE_LINK_FORM_SERVICE), l,
		    l->href, target, p->what);
	p = place_find(t->shorteners, host, path, false);
	if (p)
		hit(j, KS_RULE_LINK_SHORTENER, place_severity(p, path, KS_RULE_LINK_SHORTENER), l,
		    l->href, target, p->what);
}

/* javascript:, vbscript: and data: links: script a browser would run, or
 * a page or file carried in the link itself (HTML smuggling). */
static void judge_script_uri(judge *j, const ks_link *l)
{
	const char *h = l->href;
	while (*h == ' ')
		h++;
	if (g_ascii_strncasecmp(h, "javascript:", 11) == 0) {
		const char *code = h + 11;
		while (*code == ' ')
			code++;
		/* "javascript:void(0)" and "javascript:;" are dead links in
		 * badly made newsletters, not script */
		if (!*code || *code == ';' || g_ascii_strncasecmp(code, "void", 4) == 0)
			return;
		hit(j, KS_RULE_LINK_SCRIPT_URI, KS_SEV_MEDIUM, l, l->href, NULL, "javascript: link");
		return;
	}
	if (g_ascii_strncasecmp(h, "vbscript:", 9) == 0) {
		hit(j, KS_RULE_LINK_SCRIPT_URI, KS_SEV_HIGH, l, l->href, NULL, "vbscript: link");
		return;
	}
	if (g_ascii_strncasecmp(h, "data:", 5) != 0)
		return;
	/* RFC 2397: data:[<mediatype>][;base64],<data>; a picture is harmless */
	size_t n = strcspn(h + 5, ",;");
	g_autofree char *type = g_ascii_strdown(h + 5, n);
	g_strstrip(type);
	if (g_str_has_prefix(type, "image/") && strcmp(type, "image/svg+xml") != 0)
		return;
	if (*type == '\0' || g_str_has_prefix(type, "text/plain"))
		return;
	g_autofree char *what = g_strdup_printf("data: link carrying %s", type);
	hit(j, KS_RULE_LINK_SCRIPT_URI, KS_SEV_HIGH, l, l->href, NULL, what);
}

static void add_target_iocs(judge *j, const char *target)
{
	if (j->target_iocs >= TARGET_IOCS)
		return;
	j->target_iocs++;
	ks_report_add_ioc(j->r, KS_IOC_URL, target);
	g_autofree char *host = ks_url_host(target);
	if (host && *host)
		ks_report_add_ioc(j->r, ks_is_ip_literal(host) ? KS_IOC_IP : KS_IOC_DOMAIN, host);
}

static void judge_link(judge *j, const ks_link *l)
{
	if (!l->href || !*l->href)
		return;
	judge_script_uri(j, l);
	const char *h = l->href;
	if (!has_web_scheme(h) && g_ascii_strncasecmp(h, "ftp://", 6) != 0 &&
	    g_ascii_strncasecmp(h, "www.", 4) != 0)
		return;
	g_autofree char *cur = g_strdup(h);
	judge_url(j, l, cur, false);
	for (int i = 0; i < UNWRAP_MAX; i++) {
		g_autofree char *host = ks_url_host(cur);
		const wrapper *w = NULL;
		char *inner = host ? unwrap_once(cur, host, &w) : NULL;
		if (!inner)
			break;
		g_autofree char *inner_host = ks_url_host(inner);
		g_autofree char *from_site = site_of(host);
		g_autofree char *to_site = site_of(inner_host);
		/* a redirect to its own site, or one the sender runs or sends
		 * to (YouTube's mail, a shop's own click URLs), deceives no one */
		if (w->redirect && strcmp(from_site, to_site) != 0 && !is_sender_site(j, from_site) &&
		    !is_sender_site(j, to_site)) {
			g_autofree char *what = g_strdup(w->what);
			hit(j, KS_RULE_LINK_OPEN_REDIRECT, j->bulk ? KS_SEV_LOW : KS_SEV_MEDIUM, l, l->href,
			    inner, what);
		}
		add_target_iocs(j, inner);
		judge_url(j, l, inner, true);
		g_free(cur);
		cur = inner;
	}
}

/* ---- the mail's context ------------------------------------------------ */

static bool header_is(const ks_header *h, const char *name)
{
	return h->name && g_ascii_strcasecmp(h->name, name) == 0;
}

/* List and bulk mail: RFC 2369 List-* headers, RFC 2919 List-Id,
 * "Precedence: bulk|list|junk" (RFC 3834 section 3.1.8 notes its use), or a
 * bulk-mail service on the route (routing.c).  list: a mailing list's own
 * mail (List-Id, List-Post), where members post whatever they link to. */
static void mail_kind(const ks_report *r, bool *bulk, bool *list)
{
	*bulk = r->bulk_service != NULL;
	*list = false;
	for (guint i = 0; i < r->headers->len; i++) {
		const ks_header *h = g_ptr_array_index(r->headers, i);
		if (header_is(h, "List-Id") || header_is(h, "List-Post"))
			*list = true;
		else if (header_is(h, "List-Unsubscribe"))
			*bulk = true;
		else if (header_is(h, "Precedence") && h->value &&
		         (strstr(h->value, "bulk") || strstr(h->value, "list") || strstr(h->value, "junk")))
			*bulk = true;
	}
	*bulk = *bulk || *list;
}

static void add_sender(GPtrArray *out, const char *domain)
{
	g_autofree char *reg = domain ? ks_domain_registrable(domain) : NULL;
	if (!reg)
		return;
	for (guint i = 0; i < out->len; i++)
		if (strcmp(g_ptr_array_index(out, i), reg) == 0)
			return;
	g_ptr_array_add(out, g_steal_pointer(&reg));
}

static GPtrArray *sender_sites(const ks_report *r)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < r->from->len; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		g_autofree char *d = a->address ? ks_domain_of_address(a->address) : NULL;
		add_sender(out, d);
	}
	g_autofree char *rp = r->return_path ? ks_domain_of_address(r->return_path) : NULL;
	add_sender(out, rp);
	for (guint i = 0; r->auth.dkim_domains && i < r->auth.dkim_domains->len; i++)
		add_sender(out, g_ptr_array_index(r->auth.dkim_domains, i));
	return out;
}

void ks_links_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	if (!r || !r->links || r->links->len == 0)
		return;
	judge j = {
		.r = r,
		.senders = sender_sites(r),
		.groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.order = g_ptr_array_new_with_free_func((GDestroyNotify)group_free),
	};
	bool list = false;
	mail_kind(r, &j.bulk, &list);
	j.floor = list ? KS_SEV_HIGH : j.bulk ? KS_SEV_MEDIUM : KS_SEV_INFO;
	for (guint i = 0; i < r->links->len && i < LINKS_JUDGED; i++)
		judge_link(&j, g_ptr_array_index(r->links, i));
	emit(&j);
	g_hash_table_destroy(j.groups);
	g_ptr_array_unref(j.order);
	g_ptr_array_unref(j.senders);
}
