/* Calendar invites.  An .ics file is lines of "NAME;PARAM=V:VALUE" (RFC
 * 5545 3.1), folded at 75 octets by a line break and one blank; the reader
 * unfolds them, splits name, parameters (quoted values may hold ':' and
 * ';') and value, and keeps what says where the invite sends its reader:
 * URLs in the text properties (TEXT escapes undone, HTML descriptions
 * turned into text and anchors by html.c), the URI properties, the
 * organiser, and inline attachments.  Callback and credential phishing
 * send invites because calendars add them without a click and show their
 * links as the organiser's (Kaspersky and Check Point reports on calendar
 * spam, 2019-2024; the Norton "invoice" invites of phishing_pot).
 * Nothing is rendered, nothing fetched. */
#include "payloads/ics.h"

#include "core/data.h"
#include "core/domains.h"
#include "mail/html.h"

#include <string.h>

/* Bytes of an invite read; real ones are a few KiB, with an attached file
 * a few MiB. */
#define ICS_BYTES_MAX (8 << 20)
/* Content lines read, and links and inline files kept, per invite. */
#define PROPERTIES_MAX 20000
#define LINKS_MAX 200
#define FILES_MAX 8
/* Characters of the description kept as metadata. */
#define DESCRIPTION_SHOWN 300
/* Links named in the finding. */
#define EVIDENCE_LINKS 3

static void link_free(ks_ics_link *l)
{
	if (!l)
		return;
	g_free(l->property);
	g_free(l->url);
	g_free(l);
}

static void file_free(ks_ics_file *f)
{
	if (!f)
		return;
	g_free(f->name);
	g_free(f->type);
	if (f->data)
		g_bytes_unref(f->data);
	g_free(f);
}

void ks_ics_free(ks_ics *ics)
{
	if (!ics)
		return;
	g_free(ics->method);
	g_free(ics->organizer);
	g_free(ics->summary);
	g_free(ics->description);
	g_ptr_array_unref(ics->links);
	g_ptr_array_unref(ics->files);
	g_free(ics);
}

/* ---- one content line -------------------------------------------------- */

typedef struct {
	char *name;     /* upper case */
	GHashTable *params; /* upper-case name -> value, quotes removed */
	char *value;
} content_line;

static void line_clear(content_line *l)
{
	g_free(l->name);
	g_hash_table_destroy(l->params);
	g_free(l->value);
}

/* RFC 5545 3.1: name *(";" param) ":" value, where a parameter value in
 * DQUOTEs may hold ":", ";" and ",".  False when there is no ":". */
static bool line_split(const char *s, content_line *out)
{
	out->params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	size_t n = strcspn(s, ";:");
	if (!s[n]) {
		out->name = NULL;
		out->value = NULL;
		return false;
	}
	out->name = g_ascii_strup(s, (gssize)n);
	const char *p = s + n;
	while (*p == ';') {
		p++;
		size_t k = strcspn(p, "=;:");
		g_autofree char *key = g_ascii_strup(p, (gssize)k);
		p += k;
		if (*p != '=')
			continue;
		p++;
		GString *v = g_string_new(NULL);
		while (*p && *p != ';' && *p != ':') {
			if (*p == '"') {
				const char *close = strchr(p + 1, '"');
				if (!close)
					close = p + strlen(p);
				g_string_append_len(v, p + 1, close - p - 1);
				p = *close ? close + 1 : close;
			} else {
				g_string_append_c(v, *p++);
			}
		}
		g_hash_table_replace(out->params, g_steal_pointer(&key), g_string_free(v, FALSE));
	}
	if (*p != ':')
		return false;
	out->value = g_strdup(p + 1);
	return true;
}

/* TEXT value escapes (RFC 5545 3.3.11): \n \N \, \; \\ */
static char *text_unescape(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));
	for (const char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			g_string_append_c(out, *p);
			continue;
		}
		p++;
		g_string_append_c(out, *p == 'n' || *p == 'N' ? '\n' : *p);
	}
	return g_string_free(out, FALSE);
}

/* ---- the reader -------------------------------------------------------- */

static void add_link(ks_ics *ics, const char *property, const char *url)
{
	if (!url || !*url || ics->links->len >= LINKS_MAX)
		return;
	/* addresses and phone numbers are not places on the web */
	if (g_ascii_strncasecmp(url, "mailto:", 7) == 0 || g_ascii_strncasecmp(url, "tel:", 4) == 0 ||
	    g_ascii_strncasecmp(url, "cid:", 4) == 0)
		return;
	for (guint i = 0; i < ics->links->len; i++)
		if (strcmp(((ks_ics_link *)g_ptr_array_index(ics->links, i))->url, url) == 0)
			return;
	ks_ics_link *l = g_new0(ks_ics_link, 1);
	l->property = g_strdup(property);
	l->url = g_strdup(url);
	g_ptr_array_add(ics->links, l);
}

/* HTML in a description: Google Calendar writes <p>, <br>, <a href>. */
static bool looks_like_html(const char *s)
{
	return strstr(s, "<a ") || strstr(s, "<A ") || strstr(s, "<p>") || strstr(s, "<br") ||
	       strstr(s, "</");
}

/* Links of a text value, and the text itself (HTML made text); g_free. */
static char *read_text(ks_ics *ics, const char *property, const char *text, bool html)
{
	g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify)ks_link_free);
	char *shown;
	if (html || looks_like_html(text)) {
		shown = ks_html_to_text(text, strlen(text), found);
		if (!shown)
			shown = g_strdup(text);
	} else {
		ks_text_find_urls(text, strlen(text), found);
		shown = g_strdup(text);
	}
	for (guint i = 0; i < found->len; i++)
		add_link(ics, property, ((ks_link *)g_ptr_array_index(found, i))->href);
	return shown;
}

/* URI properties: the value is the URL (a CONFERENCE or a vendor's join
 * link, an event's URL, an ATTACH by reference). */
static bool uri_property(const char *name)
{
	static const char *const names[] = {
		"URL", "CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL",
		"X-MICROSOFT-ONLINEMEETINGCONFLINK", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static void read_attach(ks_ics *ics, content_line *l)
{
	const char *enc = g_hash_table_lookup(l->params, "ENCODING");
	const char *kind = g_hash_table_lookup(l->params, "VALUE");
	bool binary = (enc && g_ascii_strcasecmp(enc, "BASE64") == 0) ||
	              (kind && g_ascii_strcasecmp(kind, "BINARY") == 0);
	if (!binary) {
		add_link(ics, "ATTACH", g_strstrip(l->value));
		return;
	}
	if (ics->files->len >= FILES_MAX)
		return;
	gsize n = 0;
	guchar *raw = g_base64_decode(g_strstrip(l->value), &n);
	ks_ics_file *f = g_new0(ks_ics_file, 1);
	const char *name = g_hash_table_lookup(l->params, "X-FILENAME");
	if (!name)
		name = g_hash_table_lookup(l->params, "FILENAME");
	f->name = g_strdup(name);
	f->type = g_strdup(g_hash_table_lookup(l->params, "FMTTYPE"));
	f->data = g_bytes_new_take(raw, n);
	g_ptr_array_add(ics->files, f);
}

static void read_property(ks_ics *ics, content_line *l, bool *calendar)
{
	const char *name = l->name;
	if (strcmp(name, "BEGIN") == 0) {
		g_autofree char *what = g_ascii_strup(g_strstrip(l->value), -1);
		if (strcmp(what, "VCALENDAR") == 0)
			*calendar = true;
		else if (strcmp(what, "VEVENT") == 0 || strcmp(what, "VTODO") == 0 ||
		         strcmp(what, "VJOURNAL") == 0)
			ics->events++;
		return;
	}
	if (strcmp(name, "METHOD") == 0 && !ics->method) {
		ics->method = g_strdup(g_strstrip(l->value));
	} else if (strcmp(name, "ORGANIZER") == 0 && !ics->organizer) {
		const char *v = g_strstrip(l->value);
		if (g_ascii_strncasecmp(v, "mailto:", 7) == 0)
			v += 7;
		ics->organizer = g_strdup(v);
	} else if (strcmp(name, "SUMMARY") == 0) {
		g_autofree char *t = text_unescape(l->value);
		g_autofree char *shown = read_text(ics, name, t, false);
		if (!ics->summary)
			ics->summary = g_steal_pointer(&shown);
	} else if (strcmp(name, "DESCRIPTION") == 0 || strcmp(name, "X-ALT-DESC") == 0 ||
	           strcmp(name, "LOCATION") == 0 || strcmp(name, "COMMENT") == 0) {
		const char *type = g_hash_table_lookup(l->params, "FMTTYPE");
		bool html = type && g_ascii_strcasecmp(type, "text/html") == 0;
		g_autofree char *t = text_unescape(l->value);
		g_autofree char *shown = read_text(ics, name, t, html);
		if (!ics->description && strcmp(name, "DESCRIPTION") == 0)
			ics->description = g_steal_pointer(&shown);
	} else if (strcmp(name, "ATTACH") == 0) {
		read_attach(ics, l);
	} else if (uri_property(name)) {
		add_link(ics, name, g_strstrip(l->value));
	}
}

ks_ics *ks_ics_read(const char *data, gsize len)
{
	if (!data || len == 0)
		return NULL;
	if (len > ICS_BYTES_MAX)
		len = ICS_BYTES_MAX;
	ks_ics *ics = g_new0(ks_ics, 1);
	ics->links = g_ptr_array_new_with_free_func((GDestroyNotify)link_free);
	ics->files = g_ptr_array_new_with_free_func((GDestroyNotify)file_free);
	bool calendar = false;
	int properties = 0;
	GString *cur = g_string_new(NULL);
	const char *end = data + len;
	for (const char *p = data; p <= end; ) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		const char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		/* a line starting with one blank continues the previous one */
		bool folded = n > 0 && (p[0] == ' ' || p[0] == '\t') && cur->len > 0;
		if (folded) {
			g_string_append_len(cur, p + 1, (gssize)n - 1);
		} else {
			if (cur->len) {
				if (++properties > PROPERTIES_MAX) {
					ics->truncated = true;
					break;
				}
				/* NUL bytes end what C strings can carry: the line is cut there */
				content_line l = {0};
				if (line_split(cur->str, &l) && *l.name)
					read_property(ics, &l, &calendar);
				line_clear(&l);
			}
			g_string_assign(cur, "");
			g_string_append_len(cur, p, (gssize)n);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (cur->len && !ics->truncated) {
		content_line l = {0};
		if (line_split(cur->str, &l) && *l.name)
			read_property(ics, &l, &calendar);
		line_clear(&l);
	}
	g_string_free(cur, TRUE);
	if (!calendar) {
		ks_ics_free(ics);
		return NULL;
	}
	return ics;
}

/* ---- the attachment row ------------------------------------------------ */

static bool type_is(const char *type, const char *want)
{
	return type && g_ascii_strcasecmp(type, want) == 0;
}

static bool calendar_name(const char *name)
{
	static const char *const exts[] = {".ics", ".ical", ".icalendar", ".ifb", ".vcs"};
	for (size_t i = 0; name && i < G_N_ELEMENTS(exts); i++)
		if (strlen(name) > strlen(exts[i]) &&
		    g_ascii_strcasecmp(name + strlen(name) - strlen(exts[i]), exts[i]) == 0)
			return true;
	return false;
}

bool ks_ics_accepts(const ks_attachment *a)
{
	if (!a || !a->data || g_bytes_get_size(a->data) == 0)
		return false;
	if (type_is(a->detected_type, "text/calendar") || type_is(a->declared_type, "text/calendar") ||
	    type_is(a->declared_type, "application/ics") || calendar_name(a->filename))
		return true;
	gsize n = 0;
	const char *p = g_bytes_get_data(a->data, &n);
	gsize i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < n && g_ascii_isspace(p[i]))
		i++;
	return n - i >= 15 && g_ascii_strncasecmp(p + i, "BEGIN:VCALENDAR", 15) == 0;
}

/* Whose the link is: the organiser's or the sender's own site, or a
 * meeting service's, is what an honest invite links to. */
static bool expected_link(const char *url, const char *organizer_site, const ks_report *r)
{
	g_autofree char *host = ks_url_host(url);
	if (!host)
		return g_ascii_strncasecmp(url, "http", 4) != 0 && g_ascii_strncasecmp(url, "www.", 4) != 0 &&
		       g_ascii_strncasecmp(url, "data:", 5) != 0 &&
		       g_ascii_strncasecmp(url, "javascript:", 11) != 0;
	if (ks_domain_is_meeting_service(host))
		return true;
	g_autofree char *site = ks_domain_registrable(host);
	if (!site)
		return false;
	if (organizer_site && strcmp(site, organizer_site) == 0)
		return true;
	for (guint i = 0; i < r->from->len; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		g_autofree char *from_site = ks_address_registrable(a->address);
		if (from_site && strcmp(site, from_site) == 0)
			return true;
	}
	return false;
}

static char *shorten(const char *s, long max_chars)
{
	if (!g_utf8_validate(s, -1, NULL) || g_utf8_strlen(s, -1) <= max_chars)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, max_chars);
	return g_strconcat(head, "…", NULL);
}

void ks_ics_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	gsize n = 0;
	const char *p = g_bytes_get_data(a->data, &n);
	g_autoptr(ks_ics) ics = ks_ics_read(p, n);
	if (!ics)
		return;
	ks_report *r = ks_part_walk_report(w);
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	const char *name = a->filename ? a->filename : a->path;
	g_autofree char *events = g_strdup_printf("%d", ics->events);
	ks_attachment_add_meta(a, "ics_method", ics->method);
	ks_attachment_add_meta(a, "ics_organizer", ics->organizer);
	ks_attachment_add_meta(a, "ics_summary", ics->summary);
	ks_attachment_add_meta(a, "ics_events", events);
	if (ics->description && *ics->description) {
		g_autofree char *d = shorten(ics->description, DESCRIPTION_SHOWN);
		ks_attachment_add_meta(a, "ics_description", d);
	}
	if (ics->organizer && strchr(ics->organizer, '@'))
		ks_report_add_ioc(r, KS_IOC_EMAIL, ics->organizer);
	if (ics->truncated)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: more than %d calendar properties; the rest were not read",
		                      name, PROPERTIES_MAX);

	g_autofree char *organizer_site = ks_address_registrable(ics->organizer);
	g_autoptr(GString) foreign = g_string_new(NULL);
	int n_foreign = 0;
	for (guint i = 0; i < ics->links->len; i++) {
		const ks_ics_link *l = g_ptr_array_index(ics->links, i);
		g_autofree char *label = g_strdup_printf("[invite %s]", l->property);
		g_ptr_array_add(r->links, ks_link_new_at(label, l->url, loc));
		if (expected_link(l->url, organizer_site, r))
			continue;
		if (n_foreign++ < EVIDENCE_LINKS) {
			g_autofree char *u = shorten(l->url, 160);
			g_string_append_printf(foreign, "%s%s (%s)", foreign->len ? "; " : "", u, l->property);
		}
	}
	if (ics->links->len) {
		g_autofree char *count = g_strdup_printf("%u", ics->links->len);
		ks_attachment_add_meta(a, "ics_links", count);
	}
	if (n_foreign) {
		if (n_foreign > EVIDENCE_LINKS)
			g_string_append_printf(foreign, "; and %d more", n_foreign - EVIDENCE_LINKS);
		g_autofree char *how = ics->method ? g_strdup_printf(" (%s)", ics->method) : g_strdup("");
		ks_report_add_finding(r, KS_RULE_ATTACHMENT_CALENDAR_LINK, loc,
		                      "%s: an invite%s from %s links to %s", name, how,
		                      ics->organizer ? ics->organizer : "an unnamed organiser",
		                      foreign->str);
	}
	for (guint i = 0; i < ics->files->len; i++) {
		const ks_ics_file *f = g_ptr_array_index(ics->files, i);
		ks_part_walk_add_child(w, a, f->name, f->type, f->data,
		                       (int64_t)g_bytes_get_size(f->data), depth);
	}
}

/* it reads the calendar text itself but hands descriptions to html.c (libxml2) */
const ks_payload_analyzer ks_ics_payload = {"ics", ks_ics_accepts, ks_ics_expand, false};
