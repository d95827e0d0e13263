/* Threads: quoted header blocks in a reply's body (thread.h
 * ks_thread_quoted_extract), and the line tools the payment reader shares:
 * a body split into lines, each read in NFKC when first asked, and whether
 * a line opens quoted text.  Labels come from quoted_headers.txt (through
 * quoted_times.h, its one reader) and thread_words.txt. */
#include "threads/thread_private.h"

#include "mail/charset.h"
#include "mail/quoted_times.h"

#include <string.h>

/* ---- quoted header blocks ---------------------------------------------- */

/* A quoted header line: what ks_quoted_classify (quoted_times.h, the one
 * reader of quoted_headers.txt) makes of it, or the Subject line of a
 * quoted block by thread_words.txt's "subject" labels. */
typedef enum { Q_OTHER, Q_SEPARATOR, Q_FROM, Q_SENT, Q_SUBJECT, Q_ATTRIBUTION } qline;

void ks_thread_qwords_init(ks_thread_qwords *w)
{
	w->subject = ks_thread_words("subject");
}

void ks_thread_qwords_clear(ks_thread_qwords *w)
{
	g_ptr_array_unref(w->subject);
}

static qline classify(const ks_thread_qwords *w, const char *s, const char **value)
{
	switch (ks_quoted_classify(s, value)) {
	case KS_QUOTED_SEPARATOR: return Q_SEPARATOR;
	case KS_QUOTED_FROM: return Q_FROM;
	case KS_QUOTED_SENT: return Q_SENT;
	case KS_QUOTED_ATTRIBUTION: return Q_ATTRIBUTION;
	case KS_QUOTED_OTHER: break;
	}
	char first = g_ascii_tolower(*s);
	for (guint i = 0; i < w->subject->len; i++) {
		const char *label = w->subject->pdata[i];
		if ((!*label || g_ascii_tolower(*label) == first) &&
		    (*value = ks_quoted_after_label(s, label)))
			return Q_SUBJECT;
	}
	return Q_OTHER;
}

/* "Name <a@b>", "a@b", "\"Name\" <a@b>", "Name [mailto:a@b]": address and name. */
static void parse_mailbox(const char *s, char **address, char **name)
{
	*address = NULL;
	*name = NULL;
	const char *at = strchr(s, '@');
	if (at) {
		const char *a = at, *b = at;
		while (a > s && !strchr(" \t<[:;,\"'(", a[-1]))
			a--;
		while (*b && !strchr(" \t>]:;,\"')", *b))
			b++;
		if (b > at + 1 && at > a)
			*address = g_ascii_strdown(a, b - a);
		const char *open = strpbrk(s, "<[");
		const char *end = open && open < a ? open : a;
		if (end > s)
			*name = g_strndup(s, end - s);
	} else {
		*name = g_strdup(s);
	}
	if (*name) {
		g_strstrip(*name);
		size_t n = strlen(*name);
		if (n >= 2 && (*name)[0] == '"' && (*name)[n - 1] == '"') {
			memmove(*name, *name + 1, n - 2);
			(*name)[n - 2] = '\0';
		}
		if (!**name || strncmp(*name, "mailto", 6) == 0)
			g_clear_pointer(name, g_free);
	}
}

static void quoted_free(ks_quoted_header *q)
{
	if (!q)
		return;
	g_free(q->from);
	g_free(q->from_name);
	g_free(q->subject);
	if (q->time)
		g_date_time_unref(q->time);
	g_free(q);
}

static void block_close(GPtrArray *out, ks_quoted_header **q)
{
	if (!*q)
		return;
	if (((*q)->from || (*q)->from_name) && out->len < MAX_QUOTED)
		g_ptr_array_add(out, *q);
	else
		quoted_free(*q);
	*q = NULL;
}

/* text split at '\n' as g_strsplit(text, "\n", -1) would ("" has no
 * lines), NULL-terminated, the lines pointing into one copy *buf: two
 * allocations per body, not one per line. */
static char **lines_split(const char *text, char **buf, guint *count)
{
	*buf = g_strdup(text);
	guint n = 0;
	if (**buf) {
		n = 1;
		for (const char *p = *buf; (p = strchr(p, '\n')); p++)
			n++;
	}
	char **v = g_new(char *, n + 1);
	char *p = *buf;
	for (guint i = 0; i < n; i++) {
		v[i] = p;
		char *nl = strchr(p, '\n');
		if (nl) {
			*nl = '\0';
			p = nl + 1;
		}
	}
	v[n] = NULL;
	*count = n;
	return v;
}

GPtrArray *ks_thread_quoted_extract(const char *body, GDateTime *fallback_date)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)quoted_free);
	if (!body)
		return out;
	g_autoptr(GTimeZone) zone = ks_quoted_fallback_zone(fallback_date);
	g_autofree char *buf = NULL;
	guint count = 0;
	g_autofree char **lines = lines_split(body, &buf, &count);
	ks_thread_qwords w;
	ks_thread_qwords_init(&w);
	ks_quoted_header *q = NULL;
	int left = 0;
	for (char **l = lines; *l; l++) {
		if (strlen(*l) > MAX_LINE)
			continue;
		g_strchomp(*l);
		const char *s = ks_quoted_unquote(*l);
		const char *value = NULL;
		qline kind = classify(&w, s, &value);
		if (left > 0)
			left--;
		if (left == 0)
			block_close(out, &q);
		switch (kind) {
		case Q_SEPARATOR:
			block_close(out, &q);
			q = g_new0(ks_quoted_header, 1);
			left = BLOCK_LINES;
			break;
		case Q_FROM:
			if (q && (q->from || q->from_name))
				block_close(out, &q);
			if (!q)
				q = g_new0(ks_quoted_header, 1);
			parse_mailbox(value + strspn(value, " \t"), &q->from, &q->from_name);
			left = BLOCK_LINES;
			break;
		case Q_SENT:
			if (q && !q->time)
				q->time = ks_quoted_time_parse(value, zone);
			break;
		case Q_SUBJECT:
			if (q && !q->subject)
				q->subject = g_strstrip(g_strdup(value));
			break;
		case Q_ATTRIBUTION: {
			/* "On <date>, Name <a@b> wrote:" / "2024年12月10日 11:05 Name <a@b>:" */
			block_close(out, &q);
			q = g_new0(ks_quoted_header, 1);
			q->time = ks_quoted_time_parse(s, zone);
			const char *lt = strrchr(s, '<');
			if (lt) {
				g_autofree char *inner = g_strdup(lt);
				parse_mailbox(inner, &q->from, &q->from_name);
				g_clear_pointer(&q->from_name, g_free);
			}
			block_close(out, &q);
			left = 0;
			break;
		}
		case Q_OTHER: break;
		}
	}
	block_close(out, &q);
	ks_thread_qwords_clear(&w);
	return out;
}

void ks_thread_lines_init(ks_thread_lines *t, const char *text)
{
	t->raw = lines_split(text, &t->buf, &t->n);
	t->norm = g_new0(char *, t->n);
}

const char *ks_thread_line(ks_thread_lines *t, guint i)
{
	if (i >= t->n)
		return NULL;
	if (!t->norm[i]) {
		const char *r = t->raw[i];
		const char *p = r;
		while (*p && !(*p & 0x80))
			p++;
		/* ASCII is its own NFKC */
		t->norm[i] = *p ? ks_charset_nfkc(r, strlen(r)) : t->raw[i];
	}
	return t->norm[i];
}

void ks_thread_lines_clear(ks_thread_lines *t)
{
	for (guint i = 0; i < t->n; i++)
		if (t->norm[i] != t->raw[i])
			g_free(t->norm[i]);
	g_free(t->norm);
	g_free(t->raw);
	g_free(t->buf);
}

/* True when line i opens quoted text: everything from it on is not the
 * writer's own (a separator, an attribution, or a From: block with a Sent:). */
bool ks_thread_opens_quote(ks_thread_lines *lines, guint i)
{
	/* quoted_headers.txt's kinds alone: a Subject line (classify's
	 * thread_words.txt labels) opens nothing, and this runs on every line
	 * of every body */
	const char *value = NULL;
	ks_quoted_line k = ks_quoted_classify(ks_quoted_unquote(ks_thread_line(lines, i)), &value);
	if (k == KS_QUOTED_SEPARATOR || k == KS_QUOTED_ATTRIBUTION)
		return true;
	if (k != KS_QUOTED_FROM)
		return false;
	const char *l;
	for (guint j = i + 1; j <= i + BLOCK_LINES && (l = ks_thread_line(lines, j)); j++)
		if (ks_quoted_classify(ks_quoted_unquote(l), &value) == KS_QUOTED_SENT)
			return true;
	return false;
}
