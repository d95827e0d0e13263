/* The writer table (one row per output format: adding a format is one row
 * and one file) and the formatting helpers that text, Markdown, the TUI and
 * the exports share: defanged IOCs, signed delays, BEC type names, findings
 * ordered by severity. */
#include "output/writers.h"

#include "core/domains.h"
#include "core/i18n.h"

#include <string.h>

typedef struct {
	const char *name;
	ks_format format;
	char *(*render)(const ks_report *r);
} writer_row;

/* JSON Lines: one report per line (SPEC.md, "analyze" given an mbox). */
static char *render_json_line(const ks_report *r)
{
	g_autofree char *json = ks_report_to_json(r, false);
	return g_strconcat(json, "\n", NULL);
}

static const writer_row writers[] = {
	{"text", KS_FORMAT_TEXT, ks_report_to_text},
	{"json", KS_FORMAT_JSON, render_json_line},
	{"markdown", KS_FORMAT_MARKDOWN, ks_report_to_markdown},
};

bool ks_format_parse(const char *name, ks_format *out)
{
	for (size_t i = 0; name && i < G_N_ELEMENTS(writers); i++) {
		if (strcmp(name, writers[i].name) == 0) {
			*out = writers[i].format;
			return true;
		}
	}
	return false;
}

const char *ks_format_name(ks_format fmt)
{
	for (size_t i = 0; i < G_N_ELEMENTS(writers); i++)
		if (writers[i].format == fmt)
			return writers[i].name;
	return "text";
}

void ks_report_write(const ks_report *r, ks_format fmt, FILE *out)
{
	if (!r || !out)
		return;
	const writer_row *w = &writers[0];
	for (size_t i = 0; i < G_N_ELEMENTS(writers); i++)
		if (writers[i].format == fmt)
			w = &writers[i];
	/* rendered whole first, so a report is written in one piece or not at all */
	g_autofree char *s = w->render(r);
	fputs(s, out);
}

/* s[0..n) with c written as "[c]"; one already bracketed stays as it is,
 * so defanging twice gives what defanging once did */
static void append_replacing(GString *out, const char *s, size_t n, char c, const char *with)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == c && !(i > 0 && s[i - 1] == '[' && i + 1 < n && s[i + 1] == ']'))
			g_string_append(out, with);
		else
			g_string_append_c(out, s[i]);
	}
}

/* hxxp://evil[.]com/a.php: the scheme is broken and the dots of the
 * authority bracketed; the path is left alone (the usual analyst
 * convention, as in CERT/CC and MISP feeds). */
static void defang_url(GString *out, const char *url)
{
	static const struct {
		const char *scheme, *defanged;
	} schemes[] = {{"https", "hxxps"}, {"http", "hxxp"}, {"ftp", "fxp"}};
	const char *rest = url;
	const char *sep = strstr(url, "://");
	if (sep) {
		size_t n = (size_t)(sep - url);
		/* the scheme's tail decides: "x.https://" in text is a https link to
		 * a linkifier that starts links after punctuation */
		size_t keep = n;
		const char *scheme = NULL;
		for (size_t i = 0; i < G_N_ELEMENTS(schemes) && !scheme; i++) {
			size_t k = strlen(schemes[i].scheme);
			if (k <= n && g_ascii_strncasecmp(sep - k, schemes[i].scheme, k) == 0) {
				scheme = schemes[i].defanged;
				keep = n - k;
			}
		}
		g_string_append_len(out, url, (gssize)keep);
		if (scheme)
			g_string_append(out, scheme);
		g_string_append(out, "://");
		rest = sep + 3;
	}
	size_t host_len = strcspn(rest, "/?#");
	/* the host's dots bracketed; and a URL inside the host or the path (a
	 * redirect's target, "hxxp://https://...") is a link too */
	for (size_t i = 0; rest[i]; i++) {
		const char *with = NULL;
		size_t k = 0;
		for (size_t j = 0; j < G_N_ELEMENTS(schemes) && !with; j++) {
			k = strlen(schemes[j].scheme);
			if (g_ascii_strncasecmp(rest + i, schemes[j].scheme, k) == 0 &&
			    strncmp(rest + i + k, "://", 3) == 0)
				with = schemes[j].defanged;
		}
		if (with) {
			g_string_append(out, with);
			i += k - 1;
		} else if (i < host_len && rest[i] == '.' &&
		           !(i > 0 && rest[i - 1] == '[' && rest[i + 1] == ']')) {
			g_string_append(out, "[.]");
		} else {
			g_string_append_c(out, rest[i]);
		}
	}
}

char *ks_defang(const char *value, ks_ioc_kind kind)
{
	if (!value)
		return NULL;
	GString *out = g_string_new(NULL);
	size_t n = strlen(value);
	switch (kind) {
	case KS_IOC_URL:
		defang_url(out, value);
		break;
	case KS_IOC_DOMAIN:
		append_replacing(out, value, n, '.', "[.]");
		break;
	case KS_IOC_IP:
		/* IPv4 dots, and IPv6 colons the same way */
		for (size_t i = 0; i < n; i++) {
			if (value[i] == '.')
				g_string_append(out, "[.]");
			else if (value[i] == ':')
				g_string_append(out, "[:]");
			else
				g_string_append_c(out, value[i]);
		}
		break;
	case KS_IOC_EMAIL: {
		const char *at = strrchr(value, '@');
		if (!at) {
			g_string_append(out, value);
			break;
		}
		g_string_append_len(out, value, at - value);
		g_string_append(out, "[@]");
		append_replacing(out, at + 1, strlen(at + 1), '.', "[.]");
		break;
	}
	case KS_IOC_SHA256:
	case KS_IOC_FILENAME:
	default:
		g_string_append(out, value);
		break;
	}
	return g_string_free(out, FALSE);
}

/* ---- defanging inside free text ---- */

/* Bytes a URL runs over once its scheme is seen: printable ASCII but the
 * delimiters RFC 3986 appendix C says surround URLs in text.  Non-ASCII ends
 * it, so Japanese right after a link stays text. */
static bool url_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("<>\"'`{}|\\^", c);
}

/* The length of the word character at s: an ASCII character of an
 * address, a domain or an IP address (a run of them is judged whole, so
 * "a.b.c" is one word), or the ● a redacted label holds (hos●●ko.co.jp);
 * 0 for anything else. */
static size_t word_char(const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (g_ascii_isalnum(c) || (c && strchr(".-_%+@", c)))
		return 1;
	return strncmp(s, "●", strlen("●")) == 0 ? strlen("●") : 0;
}

static bool word_before(const char *text, size_t at)
{
	if (at == 0)
		return false;
	if (word_char(text + at - 1) == 1)
		return true;
	return at >= strlen("●") && word_char(text + at - strlen("●")) > 1;
}

/* a scheme ending just before text[at] == "://": its start, or -1 */
static gssize scheme_start(const char *text, size_t at)
{
	size_t b = at;
	while (b > 0 && (g_ascii_isalnum(text[b - 1]) || strchr("+.-", text[b - 1])))
		b--;
	while (b < at && !g_ascii_isalpha(text[b]))
		b++;
	return b < at ? (gssize)b : -1;
}

/* Trailing punctuation that closes a sentence, not a URL or a name (GFM's
 * extended autolink rule trims the same). */
static size_t trim_trailing(const char *s, size_t n)
{
	while (n > 0 && strchr(".,;:!?)*_~-", s[n - 1]))
		n--;
	return n;
}

static bool is_ipv4(const char *s)
{
	unsigned a, b, c, d;
	char tail;
	return sscanf(s, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) == 4 && a < 256 && b < 256 &&
	       c < 256 && d < 256;
}

/* one run of word bytes: an address, a domain, an IP or just a word */
static void defang_word(GString *out, const char *w, size_t n)
{
	g_autofree char *s = g_strndup(w, n);
	const char *at = strchr(s, '@');
	if (at && at > s && strchr(at + 1, '.') && !strchr(at + 1, '@')) {
		g_autofree char *d = ks_defang(s, KS_IOC_EMAIL);
		g_string_append(out, d);
	} else if (!at && is_ipv4(s)) {
		g_autofree char *d = ks_defang(s, KS_IOC_IP);
		g_string_append(out, d);
	} else if (!at && strchr(s, '.') && s[0] != '.' && ks_domain_has_known_tld(s)) {
		g_autofree char *d = ks_defang(s, KS_IOC_DOMAIN);
		g_string_append(out, d);
	} else {
		g_string_append(out, s);
	}
}

char *ks_defang_text(const char *text)
{
	if (!text)
		return NULL;
	GString *out = g_string_new(NULL);
	size_t n = strlen(text), i = 0, copied = 0;
	while (i < n) {
		/* a URL with a scheme: from the scheme to the first delimiter */
		if (text[i] == ':' && text[i + 1] == '/' && text[i + 2] == '/') {
			gssize b = scheme_start(text, i);
			if (b >= (gssize)copied) {
				size_t e = i + 3;
				while (e < n && url_byte((unsigned char)text[e]))
					e++;
				e = (size_t)b + trim_trailing(text + b, e - (size_t)b);
				g_string_append_len(out, text + copied, b - (gssize)copied);
				g_autofree char *url = g_strndup(text + b, e - (size_t)b);
				g_autofree char *d = ks_defang(url, KS_IOC_URL);
				g_string_append(out, d);
				i = copied = e;
				continue;
			}
		}
		/* a word: an address, a domain (www. included) or an IP */
		if (word_char(text + i) && !word_before(text, i)) {
			size_t e = i, w;
			while (e < n && (w = word_char(text + e)))
				e += w;
			/* a URL's scheme is a word too: leave it to the branch above */
			if (text[e] == ':' && text[e + 1] == '/' && text[e + 2] == '/') {
				i = e;
				continue;
			}
			size_t len = trim_trailing(text + i, e - i);
			if (!len) {
				i = e;
				continue;
			}
			g_string_append_len(out, text + copied, (gssize)(i - copied));
			defang_word(out, text + i, len);
			i = copied = i + len;
			continue;
		}
		i++;
	}
	g_string_append_len(out, text + copied, (gssize)(n - copied));
	return g_string_free(out, FALSE);
}

char *ks_delay_format(int64_t seconds)
{
	if (seconds == 0)
		return g_strdup("0s");
	char sign = seconds < 0 ? '-' : '+';
	/* unsigned, so that INT64_MIN has a magnitude too */
	uint64_t a = seconds < 0 ? (uint64_t)0 - (uint64_t)seconds : (uint64_t)seconds;
	unsigned long long s = a;
	if (s < 60)
		return g_strdup_printf("%c%llus", sign, s);
	if (s < 3600)
		return g_strdup_printf("%c%llum%02llus", sign, s / 60, s % 60);
	if (s < 86400)
		return g_strdup_printf("%c%lluh%02llum", sign, s / 3600, s % 3600 / 60);
	return g_strdup_printf("%c%llud%02lluh", sign, s / 86400, s % 86400 / 3600);
}

/* IPA's five types of BEC, as SPEC.md numbers them. */
/* IPA's five types of business e-mail compromise (IPA, "ビジネスメール詐欺
 * (BEC) の事例と手口"); the words are messages (i18n.h) */
static const char *const bec_type_names[] = {
	N_("none"),
	N_("invoice/payment fraud posing as a business partner"),
	N_("impersonation of an executive"),
	N_("abuse of a stolen mail account"),
	N_("impersonation of an outside authority"),
	N_("theft of information to prepare fraud"),
};

void ks_append_padded(GString *o, const char *s, int cols)
{
	int used = 0;
	for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		used += g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
	}
	g_string_append(o, s ? s : "");
	for (; used < cols; used++)
		g_string_append_c(o, ' ');
}

const char *ks_bec_type_name(int bec_type)
{
	if (bec_type < 0 || (size_t)bec_type >= G_N_ELEMENTS(bec_type_names))
		return bec_type_names[0];
	return bec_type_names[bec_type];
}

static gint severity_desc(gconstpointer a, gconstpointer b)
{
	const ks_finding *x = *(ks_finding *const *)a;
	const ks_finding *y = *(ks_finding *const *)b;
	return (int)y->severity - (int)x->severity;
}

GPtrArray *ks_report_findings_by_severity(const ks_report *r)
{
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; r && r->findings && i < r->findings->len; i++)
		g_ptr_array_add(out, g_ptr_array_index(r->findings, i));
	/* g_ptr_array_sort is a stable merge sort, so ties keep report order */
	g_ptr_array_sort(out, severity_desc);
	return out;
}
