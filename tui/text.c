/* Width-aware text (text.h).  A "cluster" here is a printable character and
 * the zero-width characters (combining marks, ZWJ) that follow it: it is
 * kept or dropped whole, so truncation never strands a mark. */
#include "text.h"

#include <string.h>

#define REPLACEMENT 0xFFFD
#define ELLIPSIS 0x2026

/* Next character of s (advancing *p), or U+FFFD for an invalid sequence. */
static gunichar next_char(const char **p)
{
	const char *s = *p;
	gunichar c = g_utf8_get_char_validated(s, -1);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*p = s + 1;
		return REPLACEMENT;
	}
	*p = g_utf8_next_char(s);
	return c;
}

/* The bidirectional controls (Unicode 15, UAX #9 2.1-2.7: LRM, RLM, ALM,
 * the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069):
 * zero-width to wcwidth, yet they reorder what the terminal shows after
 * them (a file name "invoice\u202Efdp.exe" drawn as "invoiceexe.pdf"). */
static bool bidi_control(gunichar c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* The character as drawn, and its width: controls, bidirectional ones
 * too, become U+FFFD.  The views sanitize what they show (visible escapes);
 * this is the last guard, for whatever reaches the screen unsanitized. */
static gunichar shown(gunichar c, int *w)
{
	int cw = wcwidth((wchar_t)c);
	if (cw < 0 || bidi_control(c)) {
		c = REPLACEMENT;
		cw = 1;
	}
	*w = cw;
	return c;
}

/* One cluster from *p: its characters into out (up to 8), its width. */
static int next_cluster(const char **p, gunichar out[8], int *n)
{
	int w;
	*n = 0;
	out[(*n)++] = shown(next_char(p), &w);
	int width = w;
	while (**p) {
		const char *q = *p;
		int cw;
		gunichar c = shown(next_char(&q), &cw);
		if (cw != 0)
			break;
		if (*n < 8)
			out[(*n)++] = c;
		*p = q; /* marks beyond 8 are dropped with their cluster kept */
	}
	return width;
}

int ks_text_width(const char *utf8)
{
	int total = 0;
	for (const char *p = utf8 ? utf8 : ""; *p;) {
		gunichar cl[8];
		int n;
		total += next_cluster(&p, cl, &n);
	}
	return total;
}

wchar_t *ks_text_fit(const char *utf8, int width, bool pad, int *cols)
{
	if (width < 0)
		width = 0;
	const char *s = utf8 ? utf8 : "";
	size_t cap = strlen(s) + (size_t)width + 2;
	wchar_t *out = g_new(wchar_t, cap);
	size_t len = 0;
	int used = 0;
	bool cut = ks_text_width(s) > width;
	int limit = cut ? width - 1 : width; /* room for the ellipsis */
	for (const char *p = s; *p;) {
		gunichar cl[8];
		int n;
		int w = next_cluster(&p, cl, &n);
		if (used + w > limit)
			break;
		for (int i = 0; i < n; i++)
			out[len++] = (wchar_t)cl[i];
		used += w;
	}
	if (cut && width >= 1) {
		out[len++] = ELLIPSIS;
		used++;
	}
	while (pad && used < width) {
		out[len++] = L' ';
		used++;
	}
	out[len] = L'\0';
	if (cols)
		*cols = used;
	return out;
}

char *ks_text_cell(const char *utf8, int width)
{
	g_autofree wchar_t *fit = ks_text_fit(utf8, width, true, NULL);
	GString *out = g_string_new(NULL);
	for (const wchar_t *p = fit; *p; p++)
		g_string_append_unichar(out, (gunichar)*p);
	return g_string_free(out, FALSE);
}

/* Appends one line to lines, trimmed of trailing spaces. */
static void add_line(GPtrArray *lines, const char *start, const char *end)
{
	while (end > start && end[-1] == ' ')
		end--;
	g_ptr_array_add(lines, g_strndup(start, (gsize)(end - start)));
}

/* Japanese line breaking, as far as a terminal needs it (JIS X 4051's
 * kinsoku, UAX #14's ideographic class): a line may end between two wide
 * characters, but never just before closing punctuation, a prolonged sound
 * mark or a small kana, nor just after opening punctuation. */
static bool no_break_before(gunichar c)
{
	static const char closing[] = "、。，．・：；？！ー…‥）」』】〕〉》〙〗ゝゞヽヾ"
	                              "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ";
	return c < 0x80 || (g_unichar_iswide(c) && g_utf8_strchr(closing, -1, c));
}

static bool no_break_after(gunichar c)
{
	static const char opening[] = "（「『【〔〈《〘〖";
	return g_utf8_strchr(opening, -1, c) != NULL;
}

static void wrap_one(GPtrArray *lines, const char *s, const char *stop, int width)
{
	if (s == stop) {
		g_ptr_array_add(lines, g_strdup(""));
		return;
	}
	while (s < stop) {
		const char *p = s, *brk = NULL;
		gunichar prev = 0;
		int used = 0;
		while (p < stop) {
			const char *q = p;
			gunichar cl[8];
			int n;
			int w = next_cluster(&q, cl, &n);
			if (q > stop)
				q = stop;
			/* between two clusters, one of them wide: a place to break */
			if (p > s && prev && (g_unichar_iswide(prev) || g_unichar_iswide(cl[0])) &&
			    !no_break_after(prev) && !no_break_before(cl[0]))
				brk = p;
			if (used + w > width && p > s)
				break;
			if (*p == ' ')
				brk = q;
			used += w;
			prev = cl[0];
			p = q;
		}
		if (p < stop && brk && brk > s && brk < p)
			p = brk; /* break at the last space, or between wide characters */
		add_line(lines, s, p);
		s = p;
		while (s < stop && *s == ' ')
			s++;
	}
}

GPtrArray *ks_text_wrap(const char *utf8, int width)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	if (width < 1)
		width = 1;
	const char *s = utf8 ? utf8 : "";
	for (;;) {
		const char *nl = strchr(s, '\n');
		const char *stop = nl ? nl : s + strlen(s);
		const char *end = stop;
		if (end > s && end[-1] == '\r')
			end--;
		wrap_one(lines, s, end, width);
		if (!nl)
			break;
		s = nl + 1;
	}
	return lines;
}

bool ks_text_contains(const char *haystack, const char *needle)
{
	if (!needle || !*needle)
		return true;
	if (!haystack)
		return false;
	g_autofree char *h = g_utf8_casefold(haystack, -1);
	g_autofree char *n = g_utf8_casefold(needle, -1);
	return strstr(h, n) != NULL;
}

static GTimeZone *display_zone; /* NULL: local */

bool ks_text_set_zone(const char *name)
{
	GTimeZone *z = NULL;
	if (g_ascii_strcasecmp(name, "local") == 0) {
		z = NULL;
	} else if (g_ascii_strcasecmp(name, "UTC") == 0 || strcmp(name, "Z") == 0) {
		z = g_time_zone_new_utc();
	} else if (g_ascii_strcasecmp(name, "JST") == 0) {
		z = g_time_zone_new_offset(9 * 3600);
	} else if ((name[0] == '+' || name[0] == '-') && strlen(name) == 6 && name[3] == ':' &&
	           g_ascii_isdigit(name[1]) && g_ascii_isdigit(name[2]) &&
	           g_ascii_isdigit(name[4]) && g_ascii_isdigit(name[5])) {
		int h = (name[1] - '0') * 10 + (name[2] - '0'), m = (name[4] - '0') * 10 + (name[5] - '0');
		if (h > 14 || m > 59)
			return false;
		z = g_time_zone_new_offset((name[0] == '-' ? -1 : 1) * (h * 3600 + m * 60));
	} else {
		return false;
	}
	if (display_zone)
		g_time_zone_unref(display_zone);
	display_zone = z;
	return true;
}

char *ks_text_time(GDateTime *t, const char *fmt)
{
	if (!t)
		return g_strdup("");
	g_autoptr(GDateTime) shown = display_zone ? g_date_time_to_timezone(t, display_zone)
	                                          : g_date_time_to_local(t);
	return g_date_time_format(shown ? shown : t, fmt);
}

char *ks_text_time_rfc3339(const char *rfc3339, const char *fmt)
{
	g_autoptr(GDateTime) t = rfc3339 ? g_date_time_new_from_iso8601(rfc3339, NULL) : NULL;
	return t ? ks_text_time(t, fmt) : g_strdup(rfc3339 ? rfc3339 : "");
}

char *ks_text_zone_at(GDateTime *t)
{
	g_autoptr(GDateTime) shown = display_zone ? g_date_time_to_timezone(t, display_zone)
	                                          : g_date_time_to_local(t);
	if (!shown || g_date_time_get_utc_offset(shown) == 0)
		return g_strdup("UTC");
	return g_date_time_format(shown, "%:z");
}

char *ks_text_zone(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	return ks_text_zone_at(now);
}
