/* WHOIS text and RDAP JSON to (domain, registration time) pairs (whois.h).
 *
 * WHOIS has no grammar, only habits; this reads the keyed lines that name a
 * domain and its creation, and ignores everything else (notices, contacts,
 * name servers).  Records may be concatenated (a thin registry's answer and
 * the registrar's, or several domains saved in one file): a domain line
 * that names a new domain starts a new record.  JPRS prints dates as
 * YYYY/MM/DD in Japan time (JST, +09:00; jprs.jp "WHOIS 情報の見方"), so a
 * JPRS date alone is 00:00 JST; elsewhere a date alone is 00:00 UTC
 * (SPEC.md TIME). */
#include "whois.h"

#include "mail/dates.h"
#include "knowledge.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static void entry_free(ks_whois_entry *e)
{
	if (!e)
		return;
	g_free(e->domain);
	if (e->registered)
		g_date_time_unref(e->registered);
	g_free(e->source);
	g_free(e);
}

void ks_whois_result_free(ks_whois_result *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->entries);
	g_ptr_array_unref(r->problems);
	g_free(r);
}

/* Adds (domain, time); a domain met twice keeps its earliest time. */
static void add_entry(ks_whois_result *r, const char *domain, GDateTime *t, const char *source)
{
	for (guint i = 0; i < r->entries->len; i++) {
		ks_whois_entry *e = g_ptr_array_index(r->entries, i);
		if (strcmp(e->domain, domain) == 0) {
			if (g_date_time_compare(t, e->registered) < 0) {
				g_date_time_unref(e->registered);
				e->registered = g_date_time_ref(t);
			}
			return;
		}
	}
	ks_whois_entry *e = g_new0(ks_whois_entry, 1);
	e->domain = g_strdup(domain);
	e->registered = g_date_time_ref(t);
	e->source = g_strdup(source);
	g_ptr_array_add(r->entries, e);
}

static void problem(ks_whois_result *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(ks_whois_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_ptr_array_add(r->problems, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/* ---- dates ---- */

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

/* "2024/12/10", "2024/12/10 16:00:05 (JST)" (JPRS, Japan time). */
static GDateTime *parse_jprs(const char *s)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	int n = sscanf(s, "%d/%d/%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se);
	if (n != 3 && n != 6)
		return NULL;
	g_autoptr(GTimeZone) jst = g_time_zone_new_identifier("+09:00");
	if (!jst)
		return NULL;
	return g_date_time_new(jst, y, mo, d, h, mi, se);
}

/* "10-Dec-2024" (Nominet, some ccTLDs), optionally followed by a time. */
static GDateTime *parse_dmy(const char *s)
{
	int d, y;
	char mon[4] = "";
	if (sscanf(s, "%d-%3[A-Za-z]-%d", &d, mon, &y) != 3)
		return NULL;
	for (int i = 0; i < 12; i++)
		if (g_ascii_strcasecmp(mon, months[i]) == 0)
			return g_date_time_new_utc(y, i + 1, d, 0, 0, 0);
	return NULL;
}

/* "2024-12-10" alone: 00:00 UTC (SPEC.md TIME). */
static GDateTime *parse_ymd(const char *s)
{
	int y, mo, d;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3)
		return NULL;
	return g_date_time_new_utc(y, mo, d, 0, 0, 0);
}

static GDateTime *parse_time(const char *value, bool jprs)
{
	g_autofree char *v = g_strstrip(g_strdup(value));
	if (!*v)
		return NULL;
	GDateTime *t = NULL;
	if (jprs || strchr(v, '/'))
		t = parse_jprs(v);
	if (!t)
		t = g_date_time_new_from_iso8601(v, NULL);
	if (!t)
		t = parse_ymd(v);
	if (!t)
		t = parse_dmy(v);
	if (!t) {
		/* "2024-12-09 07:12:33" and the mail-style shapes the date parser knows */
		g_autofree char *iso = g_strdup(v);
		if (strlen(iso) > 10 && iso[10] == ' ' && iso[4] == '-')
			iso[10] = 'T';
		t = ks_date_parse(iso);
	}
	return t;
}

/* ---- WHOIS text ---- */

typedef enum { KEY_NONE, KEY_DOMAIN, KEY_CREATED } key_kind;

typedef struct {
	const char *key; /* lower case, without the colon or brackets */
	key_kind kind;
	bool jprs;
} whois_key;

/* Keys seen in real records.  gTLD: ICANN's 2017 RDDS advisory ("Domain
 * Name:", "Creation Date:"); older registrars "Created On:", "Registration
 * Time:"; Nominet "Registered on:"; RIPE-style ccTLDs (.de, .eu, .fr)
 * "domain:", "created:"; JPRS "[ドメイン名]" / "[Domain Name]",
 * "[登録年月日]" / "[Created on]"; .co.jp records prefix "a. ". */
static const whois_key keys[] = {
	{"domain name", KEY_DOMAIN, false},
	{"domain", KEY_DOMAIN, false},
	{"ドメイン名", KEY_DOMAIN, true},
	{"creation date", KEY_CREATED, false},
	{"created on", KEY_CREATED, false},
	{"created", KEY_CREATED, false},
	{"registered on", KEY_CREATED, false},
	{"registration time", KEY_CREATED, false},
	{"registration date", KEY_CREATED, false},
	{"domain registration date", KEY_CREATED, false},
	{"登録年月日", KEY_CREATED, true},
};

/* Splits a line into key and value: "Key: value", "[Key]   value",
 * "a. [Key]   value".  false when the line has neither shape. */
static bool split_line(char *line, char **key, char **value, bool *bracketed)
{
	char *p = g_strstrip(line);
	/* JPRS .co.jp: "a. [ドメイン名]" */
	if (g_ascii_isalpha(p[0]) && p[1] == '.' && p[2] == ' ')
		p = g_strchug(p + 3);
	if (p[0] == '[') {
		char *close = strchr(p, ']');
		if (!close)
			return false;
		*close = '\0';
		*key = g_strstrip(p + 1);
		*value = g_strstrip(close + 1);
		*bracketed = true;
		return true;
	}
	char *colon = strchr(p, ':');
	if (!colon || colon == p)
		return false;
	*colon = '\0';
	*key = g_strstrip(p);
	*value = g_strstrip(colon + 1);
	*bracketed = false;
	return true;
}

static const whois_key *find_key(const char *key, bool bracketed)
{
	g_autofree char *k = g_utf8_strdown(key, -1);
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(k, keys[i].key) == 0) {
			/* a bare "Domain:" or "Created:" outside brackets is RIPE style;
			 * inside brackets JPRS's English names */
			static const whois_key jprs_created = {"created on", KEY_CREATED, true};
			if (bracketed && keys[i].kind == KEY_CREATED)
				return &jprs_created;
			return &keys[i];
		}
	return NULL;
}

typedef struct {
	char *domain;
	GDateTime *created;
	int domain_line;
} record;

static void flush_record(ks_whois_result *r, record *rec)
{
	if (rec->domain && rec->created)
		add_entry(r, rec->domain, rec->created, "whois");
	else if (rec->domain)
		problem(r, "line %d: %s: no creation date in its record", rec->domain_line,
		        rec->domain);
	g_clear_pointer(&rec->domain, g_free);
	g_clear_pointer(&rec->created, g_date_time_unref);
}

static void parse_whois(ks_whois_result *r, const char *text)
{
	r->format = "whois";
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	record rec = {0};
	int orphan_dates = 0;
	for (int n = 0; lines[n]; n++) {
		char *key, *value;
		bool bracketed;
		g_strdelimit(lines[n], "\r", ' ');
		if (g_str_has_prefix(g_strchug(lines[n]), "%") ||
		    g_str_has_prefix(lines[n], "#") || g_str_has_prefix(lines[n], ">>>"))
			continue;
		if (!split_line(lines[n], &key, &value, &bracketed))
			continue;
		const whois_key *k = find_key(key, bracketed);
		if (!k)
			continue;
		/* Nominet puts the name on the line after "Domain name:" */
		if (!*value && k->kind == KEY_DOMAIN && !bracketed && lines[n + 1])
			value = g_strstrip(lines[++n]);
		if (!*value)
			continue;
		if (k->kind == KEY_DOMAIN) {
			/* "Domain Name: EXAMPLE.COM" or JPRS "EXAMPLE.JP"; a value with
			 * spaces ("Domain: status ...") is not a name */
			g_autofree char *first = g_strdup(value);
			char *sp = strpbrk(first, " \t");
			if (sp)
				*sp = '\0';
			g_autofree char *d = ks_domain_normalize(first);
			if (!d)
				continue;
			if (rec.domain && strcmp(rec.domain, d) == 0)
				continue;
			flush_record(r, &rec);
			rec.domain = g_steal_pointer(&d);
			rec.domain_line = n + 1;
		} else {
			GDateTime *t = parse_time(value, k->jprs);
			if (!t) {
				problem(r, "line %d: cannot read the date \"%s\"", n + 1, value);
				continue;
			}
			if (!rec.domain) {
				orphan_dates++;
				g_date_time_unref(t);
				continue;
			}
			/* the first creation line of a record is the domain's; later
			 * ones belong to its contact objects (RIPE-style ccTLDs) */
			if (!rec.created)
				rec.created = t;
			else
				g_date_time_unref(t);
		}
	}
	flush_record(r, &rec);
	if (orphan_dates)
		problem(r, "%d creation date%s before any domain name line", orphan_dates,
		        orphan_dates == 1 ? "" : "s");
}

/* ---- RDAP ---- */

static void rdap_domain(ks_whois_result *r, JsonObject *o, guint index)
{
	const char *name = json_object_has_member(o, "ldhName")
	                           ? json_object_get_string_member_with_default(o, "ldhName", NULL)
	                           : json_object_get_string_member_with_default(o, "unicodeName",
	                                                                        NULL);
	g_autofree char *d = ks_domain_normalize(name);
	if (!d) {
		problem(r, "object %u: no ldhName", index + 1);
		return;
	}
	JsonArray *events = json_object_has_member(o, "events") &&
	                                    JSON_NODE_HOLDS_ARRAY(json_object_get_member(o, "events"))
	                            ? json_object_get_array_member(o, "events")
	                            : NULL;
	for (guint i = 0; events && i < json_array_get_length(events); i++) {
		JsonNode *n = json_array_get_element(events, i);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		JsonObject *e = json_node_get_object(n);
		const char *action = json_object_get_string_member_with_default(e, "eventAction", "");
		if (g_strcmp0(action, "registration") != 0)
			continue;
		const char *date = json_object_get_string_member_with_default(e, "eventDate", NULL);
		g_autoptr(GDateTime) t = date ? parse_time(date, false) : NULL;
		if (!t) {
			problem(r, "%s: cannot read the registration eventDate \"%s\"", d,
			        date ? date : "");
			return;
		}
		add_entry(r, d, t, "rdap");
		return;
	}
	problem(r, "%s: no registration event", d);
}

static void parse_rdap(ks_whois_result *r, const char *text, gsize len)
{
	r->format = "rdap";
	g_autoptr(JsonParser) p = json_parser_new();
	GError *err = NULL;
	if (!json_parser_load_from_data(p, text, (gssize)len, &err)) {
		problem(r, "not valid JSON: %s", err->message);
		g_error_free(err);
		return;
	}
	JsonNode *root = json_parser_get_root(p);
	JsonArray *list = NULL;
	if (JSON_NODE_HOLDS_ARRAY(root)) {
		list = json_node_get_array(root);
	} else if (JSON_NODE_HOLDS_OBJECT(root)) {
		JsonObject *o = json_node_get_object(root);
		if (json_object_has_member(o, "domainSearchResults") &&
		    JSON_NODE_HOLDS_ARRAY(json_object_get_member(o, "domainSearchResults"))) {
			list = json_object_get_array_member(o, "domainSearchResults");
		} else {
			const char *cls =
				json_object_get_string_member_with_default(o, "objectClassName", "");
			if (json_object_has_member(o, "errorCode"))
				problem(r, "an RDAP error answer (errorCode %" G_GINT64_FORMAT ")",
				        json_object_get_int_member_with_default(o, "errorCode", 0));
			else if (*cls && strcmp(cls, "domain") != 0)
				problem(r, "an RDAP %s object, not a domain", cls);
			else
				rdap_domain(r, o, 0);
			return;
		}
	}
	for (guint i = 0; list && i < json_array_get_length(list); i++) {
		JsonNode *n = json_array_get_element(list, i);
		if (JSON_NODE_HOLDS_OBJECT(n))
			rdap_domain(r, json_node_get_object(n), i);
		else
			problem(r, "element %u is not an object", i + 1);
	}
	if (!list)
		problem(r, "JSON is neither an RDAP object nor a list of them");
}

ks_whois_result *ks_whois_parse(const char *text, gsize len)
{
	ks_whois_result *r = g_new0(ks_whois_result, 1);
	r->entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
	r->problems = g_ptr_array_new_with_free_func(g_free);
	r->format = "whois";
	if (!text)
		return r;
	g_autofree char *t = g_strndup(text, len); /* stops at a NUL */
	if (!g_utf8_validate(t, -1, NULL)) {
		/* JPRS answers in ISO-2022-JP or Shift_JIS when asked to; saved
		 * files are usually UTF-8 but try the two Japanese encodings */
		static const char *const charsets[] = {"ISO-2022-JP", "SHIFT_JIS", "EUC-JP"};
		char *u = NULL;
		for (size_t i = 0; i < G_N_ELEMENTS(charsets) && !u; i++)
			u = g_convert(t, -1, "UTF-8", charsets[i], NULL, NULL, NULL);
		if (!u)
			u = g_utf8_make_valid(t, -1);
		g_free(t);
		t = u;
	}
	const char *p = t;
	if (g_str_has_prefix(p, "\xEF\xBB\xBF"))
		p += 3;
	while (g_ascii_isspace(*p))
		p++;
	/* JSON is an object, or an array of objects; JPRS's banner lines also
	 * start with '[' but go on with text */
	const char *q = *p ? p + 1 : p;
	while (g_ascii_isspace(*q))
		q++;
	if (*p == '{' || (*p == '[' && (*q == '{' || *q == ']')))
		parse_rdap(r, p, strlen(p));
	else
		parse_whois(r, p);
	if (!r->entries->len && !r->problems->len)
		problem(r, "no domain name and creation date found");
	return r;
}
