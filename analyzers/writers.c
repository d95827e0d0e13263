/* The writer table (one row per output format: adding a format is one row
 * and one file) and the formatting helpers that text, Markdown, the TUI and
 * the exports share: defanged IOCs, signed delays, BEC type names, findings
 * ordered by severity. */
#include "writers.h"

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

static void append_replacing(GString *out, const char *s, size_t n, char c, const char *with)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == c)
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
		const char *scheme = NULL;
		for (size_t i = 0; i < G_N_ELEMENTS(schemes); i++)
			if (strlen(schemes[i].scheme) == n && g_ascii_strncasecmp(url, schemes[i].scheme, n) == 0)
				scheme = schemes[i].defanged;
		if (scheme)
			g_string_append(out, scheme);
		else
			g_string_append_len(out, url, (gssize)n);
		g_string_append(out, "://");
		rest = sep + 3;
	}
	size_t host_len = strcspn(rest, "/?#");
	append_replacing(out, rest, host_len, '.', "[.]");
	g_string_append(out, rest + host_len);
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
static const char *const bec_type_names[] = {
	"none",
	"invoice/payment fraud posing as a business partner",
	"impersonation of an executive",
	"abuse of a stolen mail account",
	"impersonation of an outside authority",
	"theft of information to prepare fraud",
};

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
