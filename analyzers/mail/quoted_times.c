/* Quoted-header times: the sent time of each mail a body quotes or answers.
 * Mail clients quote in a handful of shapes (the labels are data, in
 * analyzers/data/quoted_headers.txt); the dates inside them are not RFC 5322
 * but what the client's locale prints, so they get a tolerant parser of
 * their own here, built from a few regular expressions compiled once.
 * Deciding what a quoted time means (pdf.created_after_message) is pdf.c's
 * business, not this file's. */
#include "mail/quoted_times.h"

#include "core/data.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* lines after a "From:" or separator line in which a "Sent:" still belongs
 * to the same quoted header block (Outlook writes From, Sent, To, Cc,
 * Subject; a long To/Cc may wrap once or twice) */
#define BLOCK_LINES 8
/* quoted messages read from one body: a thread rarely quotes more; the cap
 * bounds the work on a hostile body */
#define MAX_TIMES 64
/* a line longer than this is not a quoted header */
#define MAX_LINE 1024

typedef struct {
	GRegex *ymd, *mdy, *dmy, *time, *zone;
} patterns;

static gpointer patterns_build(gpointer unused)
{
	(void)unused;
	patterns *p = g_new0(patterns, 1);
	GRegexCompileFlags f = G_REGEX_CASELESS | G_REGEX_OPTIMIZE;
/* month names and abbreviations: English, and the German, French and
 * Spanish ones that differ from them (month_of maps them) */
#define MONTHS                                                                                   \
	"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|maerz|mai(?![a-z])|okt|dez|" \
	"fév|fev|avr|juin|juil|aoû|aou|déc|ene|abr|ago|dic)[a-zäéèûô]*\\.?"
	/* 2024/12/10, 2024-12-10, 2024.12.10, 2024年12月10日 */
	p->ymd = g_regex_new("(\\d{4})\\s*(?:[/.-]|年)\\s*(\\d{1,2})\\s*(?:[/.-]|月)\\s*"
	                     "(\\d{1,2})(?!\\d)",
	                     f, 0, NULL);
	/* December 10, 2024 (Outlook en-US) */
	p->mdy = g_regex_new(MONTHS "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})", f, 0, NULL);
	/* 10 December 2024, 4 Dec 2023 (Outlook en-GB, RFC 5322), 8. Januar 2024,
	 * 8 janv. 2024, 8 de enero de 2024 */
	p->dmy = g_regex_new("(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\.?\\s+(?:de\\s+)?" MONTHS
	                     ",?\\s+(?:de\\s+)?(\\d{4})",
	                     f, 0, NULL);
#undef MONTHS
	/* 11:05, 11:05:30, 11:05 AM, 午後 3:05 */
	p->time = g_regex_new("(午前|午後)?\\s*(?<!\\d)(\\d{1,2}):(\\d{2})(?::(\\d{2}))?"
	                      "(?:\\s*([ap])\\.?\\s?m\\.?(?![a-z]))?",
	                      f, 0, NULL);
	/* +0900, +09:00, (UTC+09:00), GMT, UTC, JST right after the time */
	p->zone = g_regex_new("\\s*\\(?\\s*(?:(?:gmt|utc)\\s*)?([+-])(\\d{2}):?(\\d{2})(?!\\d)"
	                      "|\\s*(gmt|utc|z)(?![a-z])|\\s*(jst)(?![a-z])",
	                      f, 0, NULL);
	return p;
}

/* compiled once, read-only afterwards; GRegex is safe to share */
static const patterns *patterns_get(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, patterns_build, NULL);
}

static int month_of(const char *name)
{
	/* the German, French and Spanish prefixes first: "juin" is no "jun" */
	static const struct {
		const char *prefix;
		int month;
	} other[] = {
		{"juin", 6}, {"juil", 7}, {"mär", 3}, {"maerz", 3}, {"mai", 5}, {"okt", 10},
		{"dez", 12}, {"fév", 2},  {"fev", 2}, {"avr", 4},   {"aoû", 8}, {"aou", 8},
		{"déc", 12}, {"ene", 1},  {"abr", 4}, {"ago", 8},   {"dic", 12},
	};
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec"};
	g_autofree char *lower = g_utf8_strdown(name, -1);
	for (size_t i = 0; i < G_N_ELEMENTS(other); i++)
		if (g_str_has_prefix(lower, other[i].prefix))
			return other[i].month;
	for (int i = 0; i < 12; i++)
		if (g_str_has_prefix(lower, months[i]))
			return i + 1;
	return 0;
}

static int group_int(GMatchInfo *mi, int n)
{
	g_autofree char *s = g_match_info_fetch(mi, n);
	return s && *s ? atoi(s) : -1;
}

/* Finds the earliest date in s; fills y/m/d and the byte offset just past it. */
static bool find_date(const patterns *p, const char *s, int *y, int *mo, int *d, int *end)
{
	int best = -1;
	GRegex *const res[] = {p->ymd, p->mdy, p->dmy};
	for (size_t i = 0; i < G_N_ELEMENTS(res); i++) {
		g_autoptr(GMatchInfo) mi = NULL;
		if (!res[i] || !g_regex_match(res[i], s, 0, &mi))
			continue;
		int start = 0, stop = 0;
		g_match_info_fetch_pos(mi, 0, &start, &stop);
		if (best >= 0 && start >= best)
			continue;
		best = start;
		*end = stop;
		if (i == 0) {
			*y = group_int(mi, 1), *mo = group_int(mi, 2), *d = group_int(mi, 3);
		} else {
			g_autofree char *mname = g_match_info_fetch(mi, i == 1 ? 1 : 2);
			*mo = month_of(mname);
			*d = group_int(mi, i == 1 ? 2 : 1);
			*y = group_int(mi, 3);
		}
	}
	return best >= 0;
}

static GTimeZone *find_zone(const patterns *p, const char *s, int from)
{
	g_autoptr(GMatchInfo) mi = NULL;
	if (!p->zone ||
	    !g_regex_match_full(p->zone, s, -1, from, G_REGEX_MATCH_ANCHORED, &mi, NULL))
		return NULL;
	g_autofree char *sign = g_match_info_fetch(mi, 1);
	if (sign && *sign) {
		int hh = group_int(mi, 2), mm = group_int(mi, 3);
		if (hh > 14 || mm > 59)
			return NULL;
		gint32 off = (hh * 3600 + mm * 60) * (*sign == '-' ? -1 : 1);
		return g_time_zone_new_offset(off);
	}
	g_autofree char *jst = g_match_info_fetch(mi, 5);
	if (jst && *jst)
		return g_time_zone_new_offset(9 * 3600); /* Japan Standard Time, no DST */
	return g_time_zone_new_utc();
}

GDateTime *ks_quoted_time_parse(const char *s, GTimeZone *fallback)
{
	const patterns *p = patterns_get();
	if (!s || !p->ymd || !p->time || !g_utf8_validate(s, -1, NULL))
		return NULL;
	/* full-width digits, colons and slashes (Japanese mailers) to ASCII */
	g_autofree char *n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC);
	if (!n)
		return NULL;
	int y = -1, mo = -1, d = -1, date_end = 0;
	if (!find_date(p, n, &y, &mo, &d, &date_end))
		return NULL;
	g_autoptr(GMatchInfo) mi = NULL;
	if (!g_regex_match_full(p->time, n, -1, date_end, 0, &mi, NULL))
		return NULL;
	int hh = group_int(mi, 2), mm = group_int(mi, 3), ss = group_int(mi, 4);
	g_autofree char *half = g_match_info_fetch(mi, 1);
	g_autofree char *ampm = g_match_info_fetch(mi, 5);
	bool pm = (ampm && g_ascii_tolower(*ampm) == 'p') || (half && strcmp(half, "午後") == 0);
	bool am = (ampm && g_ascii_tolower(*ampm) == 'a') || (half && strcmp(half, "午前") == 0);
	if ((pm || am) && (hh < 1 || hh > 12))
		return NULL;
	if (am && hh == 12)
		hh = 0;
	if (pm && hh < 12)
		hh += 12;
	if (ss < 0)
		ss = 0;
	if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 ||
	    ss > 60)
		return NULL;
	int time_end = 0;
	g_match_info_fetch_pos(mi, 0, NULL, &time_end);
	g_autoptr(GTimeZone) zone = find_zone(p, n, time_end);
	if (!zone)
		zone = fallback ? g_time_zone_ref(fallback) : g_time_zone_new_utc();
	return g_date_time_new(zone, y, mo, d, hh, mm, ss);
}

/* ---- quoted header lines ------------------------------------------------- */

const char *ks_quoted_unquote(const char *line)
{
	while (*line == '>' || *line == ' ' || *line == '\t')
		line++;
	return line;
}

const char *ks_quoted_after_label(const char *s, const char *label)
{
	size_t n = strlen(label);
	if (g_ascii_strncasecmp(s, label, n) != 0)
		return NULL;
	s += n;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == ':')
		return s + 1;
	if (strncmp(s, "：", strlen("：")) == 0)
		return s + strlen("：");
	return NULL;
}

/* The rows of quoted_headers.txt that ks_quoted_classify reads, in file
 * order (the first row that matches a line decides), built once. */
typedef struct {
	ks_quoted_line kind;
	const char *text;
	size_t len;
	char first; /* ASCII-lowered first byte: a label cannot match a line not starting with it */
	guint64 bytes[4]; /* the set of a separator's bytes: a line lacking one cannot hold it */
} quoted_row;

static void bytes_add(guint64 set[4], const char *s)
{
	for (const guchar *p = (const guchar *)s; *p; p++)
		set[*p >> 6] |= G_GUINT64_CONSTANT(1) << (*p & 63);
}

/* Is every byte of set in have? */
static bool bytes_within(const guint64 set[4], const guint64 have[4])
{
	for (int k = 0; k < 4; k++)
		if (set[k] & ~have[k])
			return false;
	return true;
}

static gpointer rows_build(gpointer unused)
{
	(void)unused;
	static const struct {
		const char *name;
		ks_quoted_line kind;
	} kinds[] = {{"separator", KS_QUOTED_SEPARATOR},
	             {"from", KS_QUOTED_FROM},
	             {"sent", KS_QUOTED_SENT},
	             {"attribution", KS_QUOTED_ATTRIBUTION}};
	GArray *out = g_array_new(FALSE, FALSE, sizeof(quoted_row));
	const GPtrArray *rows = ks_data_lines("quoted_headers.txt");
	for (guint i = 0; rows && i < rows->len; i++) {
		const char *row = rows->pdata[i];
		const char *colon = strchr(row, ':');
		if (!colon)
			continue;
		size_t k = (size_t)(colon - row);
		for (size_t j = 0; j < G_N_ELEMENTS(kinds); j++)
			if (k == strlen(kinds[j].name) && strncmp(row, kinds[j].name, k) == 0) {
				const char *text = colon + 1;
				while (*text == ' ' || *text == '\t')
					text++;
				quoted_row r = {kinds[j].kind, text, strlen(text), g_ascii_tolower(*text), {0}};
				bytes_add(r.bytes, text);
				g_array_append_val(out, r);
			}
	}
	return out;
}

ks_quoted_line ks_quoted_classify(const char *s, const char **value)
{
	static GOnce once = G_ONCE_INIT;
	const GArray *rows = g_once(&once, rows_build, NULL);
	*value = NULL;
	/* trailing blanks do not count: "... wrote: " is an attribution */
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	char first = g_ascii_tolower(*s);
	/* the line's bytes, once: most lines lack a byte of every separator,
	 * and this runs on every line of every body */
	guint64 have[4] = {0};
	bytes_add(have, s);
	for (guint i = 0; i < rows->len; i++) {
		const quoted_row *r = &g_array_index(rows, quoted_row, i);
		switch (r->kind) {
		case KS_QUOTED_SEPARATOR:
			if (n >= r->len && bytes_within(r->bytes, have) &&
			    strstr(s, r->text))
				return KS_QUOTED_SEPARATOR;
			break;
		case KS_QUOTED_FROM:
		case KS_QUOTED_SENT:
			if ((r->first == first || !r->len) && (*value = ks_quoted_after_label(s, r->text)))
				return r->kind;
			break;
		case KS_QUOTED_ATTRIBUTION:
			if (n >= r->len && memcmp(s + n - r->len, r->text, r->len) == 0)
				return KS_QUOTED_ATTRIBUTION;
			break;
		case KS_QUOTED_OTHER:
			break;
		}
	}
	return KS_QUOTED_OTHER;
}

static void add_time(GPtrArray *out, GDateTime *t)
{
	if (t && out->len < MAX_TIMES)
		g_ptr_array_add(out, t);
	else if (t)
		g_date_time_unref(t);
}

GTimeZone *ks_quoted_fallback_zone(GDateTime *fallback_date)
{
	if (!fallback_date)
		return g_time_zone_new_utc();
	return g_time_zone_new_offset(
		(gint32)(g_date_time_get_utc_offset(fallback_date) / G_TIME_SPAN_SECOND));
}

GPtrArray *ks_quoted_times_extract(const char *body, GDateTime *fallback_date)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)g_date_time_unref);
	if (!body)
		return out;
	g_autoptr(GTimeZone) zone = ks_quoted_fallback_zone(fallback_date);
	g_auto(GStrv) lines = g_strsplit(body, "\n", -1);
	int block = 0;
	const char *prev = "";
	for (char **l = lines; *l && out->len < MAX_TIMES; l++) {
		if (strlen(*l) > MAX_LINE) {
			prev = "";
			block = block > 0 ? block - 1 : 0;
			continue;
		}
		g_strchomp(*l);
		const char *s = ks_quoted_unquote(*l);
		const char *value = NULL;
		switch (ks_quoted_classify(s, &value)) {
		case KS_QUOTED_SEPARATOR:
		case KS_QUOTED_FROM:
			block = BLOCK_LINES;
			break;
		case KS_QUOTED_SENT:
			if (block > 0)
				add_time(out, ks_quoted_time_parse(value, zone));
			break;
		case KS_QUOTED_ATTRIBUTION: {
			GDateTime *t = ks_quoted_time_parse(s, zone);
			/* Gmail wraps a long "On <date>, <name> <addr> wrote:" in two */
			if (!t && g_ascii_strncasecmp(prev, "On ", 3) == 0) {
				g_autofree char *joined = g_strconcat(prev, " ", s, NULL);
				t = ks_quoted_time_parse(joined, zone);
			}
			add_time(out, t);
			break;
		}
		case KS_QUOTED_OTHER:
			break;
		}
		if (block > 0)
			block--;
		prev = s;
	}
	return out;
}

bool ks_quoted_is_forward(const char *subject)
{
	if (!subject)
		return false;
	while (*subject == ' ' || *subject == '\t' || *subject == '[')
		subject++;
	const GPtrArray *rows = ks_data_lines("quoted_headers.txt");
	for (guint i = 0; rows && i < rows->len; i++) {
		const char *row = g_ptr_array_index(rows, i);
		if (strncmp(row, "forward:", 8) != 0)
			continue;
		const char *prefix = row + 8;
		while (*prefix == ' ')
			prefix++;
		if (*prefix && ks_quoted_after_label(subject, prefix))
			return true;
	}
	return false;
}
