/* content.address_as_name (greeting.h).
 *
 * The recipients are the To and Cc addresses (not a list's own address: a
 * list post names its list).  A recipient counts when its whole address
 * stands in the subject as a word of its own, or when a greeting of
 * data/greeting_words.txt near the top of the body is followed (or, for a
 * Japanese honorific, preceded) by the whole address or by its local part
 * when that is a handle no one is called by: one with a dot, a dash, an
 * underscore, a '+' or a digit ("anne.compras", "k_tanaka77").  A first
 * name as local part ("Hi marc," to marc@) is how people write, and is
 * left alone.  An address in brackets is a quoted header or a calendar's
 * "(kim@victim.example)", not a name.
 *
 * Low: a service's automatic notice may greet so ("Welcome, kim@..."); it
 * is the mark of a mail-merge, which phishing shares with some honest bulk
 * mail.  The score pairs it with a lure (score_weights.txt). */
#include "checks/greeting.h"

#include "core/data.h"
#include "core/sanitize.h"
#include "checks/mailing_list.h"

#include <string.h>

/* Where a greeting stands: the first lines of the body (after a logo's
 * alt text and a preheader). */
#define GREETING_WITHIN 600
/* The longest gap of blanks and punctuation between greeting and name. */
#define GREETING_GAP 3

static bool address_char(gunichar c)
{
	return g_unichar_isalnum(c) || (c < 0x80 && strchr("._%+-@", (int)c));
}

/* Is the match of needle at p (in text) a word of its own: no address
 * character before it, none after it (a dot only when no letter follows,
 * as at a sentence's end), and not in brackets? */
static bool stands_alone(const char *text, const char *p, size_t n)
{
	const char *after = p + n;
	if (p > text) {
		const char *prev = g_utf8_find_prev_char(text, p);
		gunichar c = prev ? g_utf8_get_char(prev) : 0;
		if (address_char(c) || c == '(' || c == '<' || c == '[')
			return false;
	}
	gunichar c = g_utf8_get_char(after);
	if (c == '.') {
		gunichar next = after[1] ? g_utf8_get_char(after + 1) : 0;
		return !g_unichar_isalnum(next);
	}
	return !(c && (address_char(c) || c == ')' || c == '>' || c == ']'));
}

/* First place in text (lower case) where needle stands alone, or NULL. */
static const char *find_alone(const char *text, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		if (stands_alone(text, p, n))
			return p;
	return NULL;
}

/* A local part no one is called by: it holds a separator or a digit. */
static bool is_handle(const char *local)
{
	for (const char *p = local; *p; p++)
		if (g_ascii_isdigit(*p) || strchr("._-+", *p))
			return true;
	return false;
}

static bool is_gap(gunichar c)
{
	return g_unichar_isspace(c) || c == ',' || c == ':' || c == '!' || c == 0x3001 ||
	       c == 0xFF0C;
}

/* Does a "before:" greeting end right before name (at p), a few blanks or
 * commas away, starting a word? */
static bool greeting_before(const char *text, const char *p, const GPtrArray *words)
{
	const char *q = p;
	for (int gap = 0; q > text && gap <= GREETING_GAP; gap++) {
		const char *prev = g_utf8_find_prev_char(text, q);
		if (!prev || !is_gap(g_utf8_get_char(prev)))
			break;
		q = prev;
	}
	if (q == p)
		return false;
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		size_t n = strlen(w);
		if ((size_t)(q - text) < n || strncmp(q - n, w, n) != 0)
			continue;
		const char *start = q - n;
		if (start == text)
			return true;
		const char *prev = g_utf8_find_prev_char(text, start);
		if (!prev || !g_unichar_isalnum(g_utf8_get_char(prev)))
			return true;
	}
	return false;
}

/* Does an "after:" honorific follow name (ending at p)? */
static bool greeting_after(const char *p, const GPtrArray *words)
{
	while (*p == ' ' || g_str_has_prefix(p, "\xe3\x80\x80"))
		p += *p == ' ' ? 1 : 3;
	for (guint i = 0; i < words->len; i++) {
		const char *w = g_ptr_array_index(words, i);
		if (g_str_has_prefix(p, w))
			return true;
	}
	return false;
}

typedef struct {
	GPtrArray *before; /* char*, lower case */
	GPtrArray *after;
} greetings;

static gpointer greetings_load(gpointer unused)
{
	(void)unused;
	greetings *g = g_new0(greetings, 1);
	g->before = g_ptr_array_new();
	g->after = g_ptr_array_new();
	const GPtrArray *lines = ks_data_lines("greeting_words.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_autofree char *key = NULL, *value = NULL;
		if (!ks_data_split(g_ptr_array_index(lines, i), &key, &value) || !*value)
			continue;
		char *w = g_utf8_casefold(value, -1);
		if (strcmp(key, "before") == 0)
			g_ptr_array_add(g->before, w);
		else if (strcmp(key, "after") == 0)
			g_ptr_array_add(g->after, w);
		else
			g_free(w);
	}
	return g;
}

static const greetings *greetings_get(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, greetings_load, NULL);
}

/* The greeting in the top of text that calls name, or NULL; g_free.  The
 * quote is cut from shown (the same text before case folding) when the
 * folding kept every offset, else from text. */
static char *greeting_of(const char *text, const char *shown, const char *name)
{
	if (!shown || strlen(shown) != strlen(text))
		shown = text;
	const greetings *g = greetings_get();
	size_t n = strlen(name);
	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		if (!stands_alone(text, p, n))
			continue;
		if (greeting_before(text, p, g->before) || greeting_after(p + n, g->after)) {
			const char *a = p;
			for (int k = 0; k < 24 && a > text; k++)
				a = g_utf8_find_prev_char(text, a);
			const char *b = p + n;
			for (int k = 0; k < 8 && *b; k++)
				b = g_utf8_next_char(b);
			g_autofree char *cut = g_strndup(shown + (a - text), (gsize)(b - a));
			g_strdelimit(cut, "\n\r\t", ' ');
			return g_strdup(g_strstrip(cut));
		}
	}
	return NULL;
}

/* The top of the body as written, bounded on a character. */
static char *body_top(const char *body)
{
	if (!body)
		return NULL;
	/* the characters taken are checked, not the whole body (its text is
	 * the sanitizer's, valid UTF-8 throughout) */
	const char *end = body;
	for (glong k = 0; *end && k < GREETING_WITHIN; k++) {
		gunichar c = g_utf8_get_char_validated(end, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2)
			return NULL;
		end = g_utf8_next_char(end);
	}
	return g_strndup(body, (gsize)(end - body));
}

static bool check_recipient(ks_report *r, const char *address, const char *subject,
                            const char *top, const char *shown)
{
	g_autofree char *addr = g_utf8_casefold(address, -1);
	if (subject && find_alone(subject, addr)) {
		ks_report_add_finding(r, KS_RULE_CONTENT_ADDRESS_AS_NAME, "header:Subject",
		                      "the subject names the recipient by the address %s: \"%s\"",
		                      address, r->subject);
		return true;
	}
	if (!top)
		return false;
	g_autofree char *greeting = greeting_of(top, shown, addr);
	const char *at = strrchr(addr, '@');
	g_autofree char *local = at ? g_strndup(addr, (gsize)(at - addr)) : NULL;
	if (!greeting && local && is_handle(local))
		greeting = greeting_of(top, shown, local);
	if (!greeting)
		return false;
	ks_report_add_finding(r, KS_RULE_CONTENT_ADDRESS_AS_NAME, "body",
	                      "the greeting calls the recipient by the address %s: \"…%s…\"",
	                      address, greeting);
	return true;
}

void ks_greeting_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	if (!r)
		return;
	g_autofree char *subject =
	        r->subject && g_utf8_validate(r->subject, -1, NULL) ? ks_utf8_casefold(r->subject) : NULL;
	g_autofree char *shown = body_top(r->body_text);
	g_autofree char *top = shown ? ks_utf8_casefold(shown) : NULL;
	GPtrArray *lists[] = {r->to, r->cc};
	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
		for (guint i = 0; lists[l] && i < lists[l]->len; i++) {
			const ks_address *a = g_ptr_array_index(lists[l], i);
			if (!a->address || !strchr(a->address, '@') || strlen(a->address) < 3 ||
			    ks_mailing_list_is_address(r, a->address))
				continue;
			if (check_recipient(r, a->address, subject, top, shown))
				return;
		}
	}
}
