/* ks_date_parse: one forgiving date parser for everything mail calls a date.
 *
 * Two paths.  A string that starts "YYYY-MM-DD" is read as ISO 8601 / RFC 3339
 * (SPEC.md's TIME; a date alone is 00:00 UTC).  Anything else goes through a
 * small tokenizer that reads RFC 5322 section 3.3 dates and the obsolete forms
 * of section 4.3 without caring much about order: words are day names, month
 * names or zones; "hh:mm[:ss]" is the time; a signed number after the time is
 * the offset; bare numbers are the day, then the year.  That one pass also
 * covers asctime ("Mon Jan  2 15:04:05 2006"), RFC 850 ("Monday, 02-Jan-06")
 * and the dots, doubled commas and trailing "(PST)" comments seen in real mail.
 * Input is bounded (MAX_DATE_BYTES bytes, MAX_TOKENS tokens); nothing here
 * allocates per byte, nothing recurses. */
#include "mail/dates.h"

#include <stdbool.h>
#include <string.h>

/* A real date is under 100 bytes; anything longer is garbage around one. */
#define MAX_DATE_BYTES 512
#define MAX_TOKENS 48
/* Offsets beyond +-14:00 do not exist (Line Islands, UTC+14, is the most). */
#define MAX_OFFSET_MINUTES (14 * 60)

typedef struct {
	const char *name;
	int minutes; /* offset east of UTC */
} zone_row;

/* RFC 5322 section 4.3 obs-zone first, then the abbreviations of the IANA tz
 * database that mailers actually write.  Ambiguous ones (IST, AST) are left
 * out: a wrong offset is worse than UTC.  CST is RFC 5322's -0600, not
 * China's +0800, because that is what the RFC says it means. */
static const zone_row zones[] = {
	{"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0},
	{"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
	{"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60},
	{"JST", 9 * 60}, {"KST", 9 * 60}, {"HKT", 8 * 60}, {"SGT", 8 * 60},
	{"AWST", 8 * 60}, {"ACST", 9 * 60 + 30}, {"ACDT", 10 * 60 + 30},
	{"AEST", 10 * 60}, {"AEDT", 11 * 60}, {"NZST", 12 * 60}, {"NZDT", 13 * 60},
	{"WET", 0}, {"WEST", 60}, {"BST", 60}, {"CET", 60}, {"CEST", 2 * 60},
	{"MET", 60}, {"MEST", 2 * 60}, {"EET", 2 * 60}, {"EEST", 3 * 60},
	{"MSK", 3 * 60}, {"HST", -10 * 60}, {"AKST", -9 * 60}, {"AKDT", -8 * 60},
};

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
};

static const char *const weekdays[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

typedef struct {
	int year, month, day, hour, minute, second;
	bool have_time;
	bool have_offset;      /* a numeric offset: wins over any zone name */
	bool have_zone;        /* a zone name */
	int offset_minutes;
	int zone_minutes;
	int ampm;              /* 0 none, 1 am, 2 pm */
} parts;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads up to max digits at *p; false when there is none. */
static bool read_int(const char **p, const char *end, int max, int *out)
{
	int v = 0, n = 0;
	while (*p < end && is_digit(**p) && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n > 0;
}

static int days_in_month(int year, int month)
{
	return g_date_get_days_in_month((GDateMonth)month, (GDateYear)year);
}

static GDateTime *build(const parts *d)
{
	if (d->year < 1 || d->year > 9999 || d->month < 1 || d->month > 12)
		return NULL;
	if (d->day < 1 || d->day > days_in_month(d->year, d->month))
		return NULL;
	if (d->hour < 0 || d->hour > 23 || d->minute < 0 || d->minute > 59 || d->second < 0 ||
	    d->second > 60)
		return NULL;
	int minutes = d->have_offset ? d->offset_minutes : d->have_zone ? d->zone_minutes : 0;
	if (minutes > MAX_OFFSET_MINUTES || minutes < -MAX_OFFSET_MINUTES)
		return NULL;
	/* A leap second (RFC 5322 3.3 allows 60) is shown as :59, GDateTime has no :60. */
	int second = d->second == 60 ? 59 : d->second;
	GTimeZone *tz = g_time_zone_new_offset(minutes * 60);
	if (!tz)
		return NULL;
	GDateTime *t = g_date_time_new(tz, d->year, d->month, d->day, d->hour, d->minute, second);
	g_time_zone_unref(tz);
	return t;
}

static bool zone_of(const char *w, size_t n, int *minutes);

/* "+09:00", "+0900", "+09", "Z" or nothing; false on anything else. */
static bool iso_offset(const char **p, const char *end, parts *d)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (*p >= end)
		return true;
	if ((**p == 'Z' || **p == 'z') && (*p + 1 >= end || !is_alpha((*p)[1]))) {
		(*p)++;
		d->have_offset = true;
		d->offset_minutes = 0;
		return true;
	}
	/* A zone name ("UTC", "JST") is read by the caller. */
	if (is_alpha(**p))
		return true;
	if (**p != '+' && **p != '-')
		return false;
	int sign = **p == '-' ? -1 : 1;
	(*p)++;
	int hh, mm = 0;
	const char *start = *p;
	if (!read_int(p, end, 2, &hh) || *p - start != 2)
		return false;
	if (*p < end && **p == ':')
		(*p)++;
	if (*p < end && is_digit(**p)) {
		start = *p;
		if (!read_int(p, end, 2, &mm) || *p - start != 2)
			return false;
	}
	if (hh > 23 || mm > 59)
		return false;
	d->have_offset = true;
	d->offset_minutes = sign * (hh * 60 + mm);
	return true;
}

/* ISO 8601 / RFC 3339: "2023-05-18", "2023-05-18T15:20", "2023-05-18 15:20:00.5+09:00". */
static GDateTime *parse_iso(const char *p, const char *end)
{
	parts d = {0};
	const char *start = p;
	if (!read_int(&p, end, 4, &d.year) || p - start != 4 || p >= end || *p != '-')
		return NULL;
	p++;
	if (!read_int(&p, end, 2, &d.month) || p >= end || *p != '-')
		return NULL;
	p++;
	if (!read_int(&p, end, 2, &d.day))
		return NULL;
	if (p < end && (*p == 'T' || *p == 't' || *p == ' ') && p + 1 < end && is_digit(p[1])) {
		p++;
		if (!read_int(&p, end, 2, &d.hour) || p >= end || *p != ':')
			return NULL;
		p++;
		if (!read_int(&p, end, 2, &d.minute))
			return NULL;
		if (p < end && *p == ':') {
			p++;
			if (!read_int(&p, end, 2, &d.second))
				return NULL;
			if (p < end && (*p == '.' || *p == ',')) {
				p++;
				while (p < end && is_digit(*p))
					p++;
			}
		}
		if (!iso_offset(&p, end, &d))
			return NULL;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	/* A zone name may follow ("2023-05-18 15:20:00 UTC", Go's time format
	 * "+0000 UTC" in SendGrid's Received lines); a numeric offset wins. */
	if (p < end && is_alpha(*p)) {
		const char *w = p;
		while (p < end && is_alpha(*p))
			p++;
		int v;
		if (!zone_of(w, (size_t)(p - w), &v))
			return NULL;
		if (!d.have_offset) {
			d.have_zone = true;
			d.zone_minutes = v;
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	/* Only a trailing comment may follow. */
	if (p < end && *p != '(')
		return NULL;
	return build(&d);
}

static bool word_is_prefix_of(const char *w, size_t n, const char *full)
{
	return n >= 3 && n <= strlen(full) && g_ascii_strncasecmp(w, full, n) == 0;
}

static int month_of(const char *w, size_t n)
{
	for (int i = 0; i < 12; i++)
		if (word_is_prefix_of(w, n, months[i]))
			return i + 1;
	/* "Sept" is common enough in hand-written and some mailers' dates. */
	if (n == 4 && g_ascii_strncasecmp(w, "sept", 4) == 0)
		return 9;
	return 0;
}

static bool is_weekday(const char *w, size_t n)
{
	for (size_t i = 0; i < G_N_ELEMENTS(weekdays); i++)
		if (word_is_prefix_of(w, n, weekdays[i]))
			return true;
	/* "Tues", "Thur", "Thurs" */
	return (n == 4 && g_ascii_strncasecmp(w, "tues", 4) == 0) ||
	       (n >= 4 && n <= 5 && g_ascii_strncasecmp(w, "thurs", n) == 0);
}

static bool zone_of(const char *w, size_t n, int *minutes)
{
	for (size_t i = 0; i < G_N_ELEMENTS(zones); i++) {
		if (strlen(zones[i].name) == n && g_ascii_strncasecmp(w, zones[i].name, n) == 0) {
			*minutes = zones[i].minutes;
			return true;
		}
	}
	/* RFC 5322 4.3: military zones "SHOULD all be considered equivalent to
	 * -0000" because RFC 822 got their signs wrong. J is not a zone. */
	if (n == 1 && is_alpha(w[0]) && w[0] != 'J' && w[0] != 'j') {
		*minutes = 0;
		return true;
	}
	return false;
}

/* A word token: a month, a weekday, am/pm or a zone; other words are noise. */
static void take_word(parts *d, const char *w, size_t n, bool in_comment)
{
	int v;
	if (in_comment) {
		/* "(PST)" counts only when nothing else named the zone. */
		if (d->have_time && !d->have_zone && zone_of(w, n, &v) && n > 1) {
			d->have_zone = true;
			d->zone_minutes = v;
		}
		return;
	}
	if (!d->month && (v = month_of(w, n))) {
		d->month = v;
		return;
	}
	if (is_weekday(w, n))
		return;
	if (n == 2 && g_ascii_strncasecmp(w, "am", 2) == 0) {
		d->ampm = 1;
		return;
	}
	if (n == 2 && g_ascii_strncasecmp(w, "pm", 2) == 0) {
		d->ampm = 2;
		return;
	}
	if (d->have_time && !d->have_zone && zone_of(w, n, &v)) {
		d->have_zone = true;
		d->zone_minutes = v;
	}
	/* Anything else ("at", "on", "o'clock") is noise. */
}

/* "hh:mm[:ss][.frac]" at *p (the digits already known to be followed by ':'). */
static bool take_time(parts *d, const char **p, const char *end)
{
	if (!read_int(p, end, 2, &d->hour) || *p >= end || **p != ':')
		return false;
	(*p)++;
	if (!read_int(p, end, 2, &d->minute))
		return false;
	if (*p < end && **p == ':') {
		(*p)++;
		if (!read_int(p, end, 2, &d->second))
			return false;
		if (*p < end && **p == '.' && *p + 1 < end && is_digit((*p)[1])) {
			(*p)++;
			while (*p < end && is_digit(**p))
				(*p)++;
		}
	}
	/* "12:00:00" followed by more digits is not a time. */
	if (*p < end && is_digit(**p))
		return false;
	d->have_time = true;
	return true;
}

/* "+0900", "-0000", "+09:00", "+9" after the time. */
static bool take_offset(parts *d, const char **p, const char *end)
{
	int sign = **p == '-' ? -1 : 1;
	(*p)++;
	const char *start = *p;
	int v;
	if (!read_int(p, end, 4, &v))
		return false;
	size_t n = (size_t)(*p - start);
	int hh, mm;
	if (n <= 2) {
		hh = v;
		mm = 0;
		if (*p < end && **p == ':') {
			(*p)++;
			if (!read_int(p, end, 2, &mm))
				return false;
		}
	} else {
		hh = v / 100;
		mm = v % 100;
	}
	if (*p < end && is_digit(**p))
		return false;
	if (hh > 23 || mm > 59)
		return false;
	/* RFC 5322 3.3: "-0000" means the local zone is unknown; its time is UTC. */
	d->have_offset = true;
	d->offset_minutes = sign * (hh * 60 + mm);
	return true;
}

static void take_number(parts *d, int v, size_t ndigits)
{
	if (ndigits >= 3) {
		if (!d->year) {
			/* RFC 5322 4.3: a three-digit year is added to 1900. */
			d->year = ndigits == 3 ? v + 1900 : v;
		}
		return;
	}
	if (!d->day) {
		d->day = v;
		return;
	}
	if (!d->year) {
		/* RFC 5322 4.3: 00-49 is 2000-2049, 50-99 is 1950-1999. */
		d->year = v < 50 ? 2000 + v : 1900 + v;
	}
}

static GDateTime *parse_mail(const char *p, const char *end)
{
	parts d = {0};
	int depth = 0;
	int tokens = 0;
	while (p < end && tokens < MAX_TOKENS) {
		char c = *p;
		if (c == '(') {
			depth++;
			p++;
			continue;
		}
		if (c == ')') {
			if (depth > 0)
				depth--;
			p++;
			continue;
		}
		if (c == '\\' && depth > 0 && p + 1 < end) {
			p += 2;
			continue;
		}
		if (is_alpha(c)) {
			const char *w = p;
			while (p < end && is_alpha(*p))
				p++;
			/* "1st", "2nd", ... attached to a word are not seen in mail: a
			 * word glued to digits ("GMT+9") is split naturally. */
			take_word(&d, w, (size_t)(p - w), depth > 0);
			tokens++;
			continue;
		}
		if (depth > 0) {
			p++;
			continue;
		}
		if (is_digit(c)) {
			const char *q = p;
			while (q < end && is_digit(*q))
				q++;
			if (q < end && *q == ':' && !d.have_time) {
				if (!take_time(&d, &p, end))
					return NULL;
			} else {
				int v = 0;
				size_t n = (size_t)(q - p);
				if (n > 4)
					return NULL;
				read_int(&p, end, 4, &v);
				take_number(&d, v, n);
			}
			tokens++;
			continue;
		}
		if ((c == '+' || c == '-') && d.have_time && !d.have_offset && p + 1 < end &&
		    is_digit(p[1])) {
			if (!take_offset(&d, &p, end))
				return NULL;
			tokens++;
			continue;
		}
		/* Spaces, commas, dots, dashes, slashes and any other byte separate. */
		p++;
	}
	if (!d.year || !d.month || !d.day)
		return NULL;
	if (d.ampm) {
		if (d.hour < 1 || d.hour > 12)
			return NULL;
		d.hour = d.hour % 12 + (d.ampm == 2 ? 12 : 0);
	}
	return build(&d);
}

GDateTime *ks_date_parse(const char *s)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, MAX_DATE_BYTES + 1);
	if (len > MAX_DATE_BYTES)
		return NULL;
	const char *p = s, *end = s + len;
	while (p < end && g_ascii_isspace(*p))
		p++;
	while (end > p && g_ascii_isspace(end[-1]))
		end--;
	if (p == end)
		return NULL;
	if (end - p >= 5 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
	    p[4] == '-')
		return parse_iso(p, end);
	return parse_mail(p, end);
}
