/* Threads (thread.h): summaries of reports, grouping into conversations,
 * timelines and the drift rules.  Grouping follows the shape of JWZ's
 * threading algorithm, cut down: Message-ID, In-Reply-To and References
 * join messages (a referenced id that is not in the set still joins the
 * messages that share it); a message whose references reach no message of
 * the set (missing, or forged as BEC replies often are) falls back to its
 * normalised subject and the subjects it quotes.  Words (prefixes, quoted
 * labels, payment keywords) are data: analyzers/data/thread_words.txt and
 * quoted_headers.txt.  Nothing here prints or draws. */
#include "thread.h"

#include "auth.h"
#include "charset.h"
#include "data.h"
#include "domains.h"
#include "identity.h"
#include "lookalike.h"
#include "quoted_times.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* lines after a quoted "From:" or separator in which Sent/Subject still
 * belong to its block (Outlook: From, Sent, To, Cc, Subject; To/Cc wrap) */
#define BLOCK_LINES 8
/* bounds on what one hostile body can make us keep */
#define MAX_QUOTED 32
#define MAX_PAYMENT 32
#define MAX_LINE 1024
/* how far after an account keyword its number may stand (bytes) */
#define ACCOUNT_REACH 48
/* a quoted time matches a message within this many seconds: clients print
 * minutes only, and the Date is written before the mail is queued */
#define QUOTE_SLACK (30 * 60)

struct ks_thread_set {
	GPtrArray *messages; /* ks_thread_msg*, input order, owned */
	GPtrArray *threads;  /* ks_thread*, owned */
	bool built;
};

/* ---- words ------------------------------------------------------------- */

/* Values of "kind: value" rows in thread_words.txt. */
static GPtrArray *words(const char *kind)
{
	GPtrArray *out = g_ptr_array_new();
	const GPtrArray *rows = ks_data_lines("thread_words.txt");
	size_t n = strlen(kind);
	for (guint i = 0; rows && i < rows->len; i++) {
		const char *row = rows->pdata[i];
		if (strncmp(row, kind, n) == 0 && row[n] == ':') {
			const char *v = row + n + 1;
			while (*v == ' ')
				v++;
			g_ptr_array_add(out, (gpointer)v);
		}
	}
	return out;
}

/* ---- subjects ---------------------------------------------------------- */

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "WORD:", "WORD :", "WORD[2]:", "WORD(2):" at s; returns what follows. */
static const char *after_prefix(const char *s, const char *word)
{
	size_t n = strlen(word);
	if (g_ascii_strncasecmp(s, word, n) != 0)
		return NULL;
	s += n;
	if (*s == '[' || *s == '(') {
		char close = *s == '[' ? ']' : ')';
		s++;
		while (g_ascii_isdigit(*s))
			s++;
		if (*s != close)
			return NULL;
		s++;
	}
	s = skip_blank(s);
	return *s == ':' ? s + 1 : NULL;
}

/* A leading [tag] or 【tag】; returns what follows. */
static const char *after_tag(const char *s)
{
	static const char *const pairs[][2] = {{"[", "]"}, {"【", "】"}, {"〔", "〕"}, {"［", "］"}};
	for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
		size_t n = strlen(pairs[i][0]);
		if (strncmp(s, pairs[i][0], n) != 0)
			continue;
		const char *end = strstr(s + n, pairs[i][1]);
		/* a tag is short: "[EXT]", "【小金部品】"; a longer bracket is the subject */
		if (end && end - s < 64)
			return end + strlen(pairs[i][1]);
	}
	return NULL;
}

char *ks_thread_subject_normalize(const char *subject, bool *had_prefix)
{
	if (had_prefix)
		*had_prefix = false;
	if (!subject)
		return g_strdup("");
	/* NFKC: "Ｒｅ：" is "Re:", full-width digits and colons are ASCII */
	g_autofree char *n = g_utf8_normalize(subject, -1, G_NORMALIZE_NFKC);
	if (!n)
		return g_strdup("");
	g_autoptr(GPtrArray) prefixes = words("prefix");
	const char *s = n;
	for (bool again = true; again;) {
		again = false;
		s = skip_blank(s);
		const char *t = after_tag(s);
		if (t) {
			s = t;
			again = true;
			continue;
		}
		for (guint i = 0; i < prefixes->len && !again; i++) {
			if ((t = after_prefix(s, prefixes->pdata[i]))) {
				s = t;
				again = true;
				if (had_prefix)
					*had_prefix = true;
			}
		}
	}
	/* blanks collapsed, case folded */
	GString *o = g_string_new(NULL);
	bool space = false;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c)) {
			space = o->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(o, ' ');
		space = false;
		g_string_append_unichar(o, c);
	}
	char *folded = g_utf8_casefold(o->str, -1);
	g_string_free(o, TRUE);
	return folded;
}

/* ---- quoted header blocks ---------------------------------------------- */

/* A quoted header line: what ks_quoted_classify (quoted_times.h, the one
 * reader of quoted_headers.txt) makes of it, or the Subject line of a
 * quoted block by thread_words.txt's "subject" labels. */
typedef enum { Q_OTHER, Q_SEPARATOR, Q_FROM, Q_SENT, Q_SUBJECT, Q_ATTRIBUTION } qline;

typedef struct {
	GPtrArray *subject; /* const char*: looked up once per body, not once per line */
} qwords;

static void qwords_init(qwords *w)
{
	w->subject = words("subject");
}

static void qwords_clear(qwords *w)
{
	g_ptr_array_unref(w->subject);
}

static qline classify(const qwords *w, const char *s, const char **value)
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
	qwords w;
	qwords_init(&w);
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
			parse_mailbox(skip_blank(value), &q->from, &q->from_name);
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
	qwords_clear(&w);
	return out;
}

/* The lines of a text in NFKC ("１２３" is "123", "：" is ":"), each
 * normalised when first read.  NFKC never reaches across a newline, so
 * line by line gives what the whole text would; and the payment scan stops
 * at the first quoted line, so a long reply's history is never normalised. */
typedef struct {
	char **raw;  /* the text split at '\n' (pointing into buf) */
	char **norm; /* NULL until read; raw[i] itself when that is ASCII */
	guint n;
	char *buf;
} nfkc_lines;

static const char *nfkc_line(nfkc_lines *t, guint i)
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

static void nfkc_lines_clear(nfkc_lines *t)
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
static bool opens_quote(const qwords *w, nfkc_lines *lines, guint i)
{
	const char *value = NULL;
	qline k = classify(w, ks_quoted_unquote(nfkc_line(lines, i)), &value);
	if (k == Q_SEPARATOR || k == Q_ATTRIBUTION)
		return true;
	if (k != Q_FROM)
		return false;
	const char *l;
	for (guint j = i + 1; j <= i + BLOCK_LINES && (l = nfkc_line(lines, j)); j++)
		if (classify(w, ks_quoted_unquote(l), &value) == Q_SENT)
			return true;
	return false;
}

/* ---- payment details --------------------------------------------------- */

static void pay_free(ks_pay_token *t)
{
	if (t) {
		g_free(t->value);
		g_free(t);
	}
}

static void pay_add(GPtrArray *out, ks_pay_kind kind, char *value)
{
	for (guint i = 0; i < out->len; i++) {
		ks_pay_token *t = out->pdata[i];
		if (t->kind == kind && strcmp(t->value, value) == 0) {
			g_free(value);
			return;
		}
	}
	if (out->len >= MAX_PAYMENT) {
		g_free(value);
		return;
	}
	ks_pay_token *t = g_new0(ks_pay_token, 1);
	t->kind = kind;
	t->value = value;
	g_ptr_array_add(out, t);
}

/* Case-insensitive (ASCII) search.  The first byte is compared before the
 * whole word: this runs on every line of every body. */
static const char *find_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	if (!n)
		return *s ? s : NULL;
	const char first[] = {g_ascii_tolower(*w), g_ascii_toupper(*w), '\0'};
	for (const char *p = s; (p = strpbrk(p, first)); p++)
		if (g_ascii_strncasecmp(p, w, n) == 0)
			return p;
	return NULL;
}

/* A digit run of 6..17 digits (single '-' or ' ' inside) from p within
 * reach; the digits alone, or NULL. */
static char *account_after(const char *p, const char *limit)
{
	while (*p && p < limit) {
		if (!g_ascii_isdigit(*p)) {
			p++;
			continue;
		}
		if (p > limit - ACCOUNT_REACH * 2 && g_ascii_isalpha(p[-1])) {
			while (g_ascii_isalnum(*p))
				p++;
			continue;
		}
		GString *d = g_string_new(NULL);
		const char *q = p;
		int groups = 1, glen[3] = {0, 0, 0};
		while (*q) {
			if (g_ascii_isdigit(*q)) {
				g_string_append_c(d, *q);
				if (groups <= 3)
					glen[groups - 1]++;
			} else if ((*q == '-' || *q == ' ') && g_ascii_isdigit(q[1]) && d->len) {
				groups++;
			} else {
				break;
			}
			q++;
		}
		/* "+49 40 5550 1234" is a telephone number (a signature's "Key
		 * Account Manager"), "2025-03-31" a date ("to our account by ...") */
		bool phone = p[-1] == '+' || p[-1] == '(';
		bool date = groups == 3 && glen[0] == 4 && glen[1] <= 2 && glen[2] <= 2 &&
		            (strncmp(p, "19", 2) == 0 || strncmp(p, "20", 2) == 0);
		if (d->len >= 6 && d->len <= 17 && !g_ascii_isalpha(*q) && !phone && !date)
			return g_string_free(d, FALSE);
		g_string_free(d, TRUE);
		p = q;
	}
	return NULL;
}

/* IBAN (ISO 13616): two letters, two check digits, 11..30 alphanumerics,
 * written with or without spaces in groups of four. */
static void find_ibans(const char *s, GPtrArray *out)
{
	for (const char *p = s; *p; p++) {
		if (!(g_ascii_isupper(p[0]) && g_ascii_isupper(p[1]) && g_ascii_isdigit(p[2]) &&
		      g_ascii_isdigit(p[3])) ||
		    (p > s && g_ascii_isalnum(p[-1])))
			continue;
		GString *v = g_string_new(NULL);
		const char *q = p;
		while (*q && (g_ascii_isdigit(*q) || g_ascii_isupper(*q) ||
		              (*q == ' ' && (g_ascii_isdigit(q[1]) || g_ascii_isupper(q[1]))))) {
			if (*q != ' ')
				g_string_append_c(v, *q);
			q++;
		}
		if (v->len >= 15 && v->len <= 34) {
			pay_add(out, KS_PAY_IBAN, g_string_free(v, FALSE));
			p = q - 1;
		} else {
			g_string_free(v, TRUE);
		}
	}
}

/* BIC (ISO 9362): 4 letters bank, 2 letters country, 2 location, 3 branch. */
static void find_swift(const char *s, const char *kw, GPtrArray *out)
{
	const char *p = s;
	while ((p = find_word(p, kw))) {
		p += strlen(kw);
		const char *end = p + 24;
		for (const char *q = p; *q && q < end; q++) {
			if (!g_ascii_isupper(*q) || g_ascii_isalnum(q[-1]))
				continue;
			size_t n = 0;
			while (g_ascii_isalnum(q[n]) && !g_ascii_islower(q[n]))
				n++;
			bool letters = n >= 6;
			for (size_t i = 0; i < 6 && letters; i++)
				letters = g_ascii_isupper(q[i]);
			if ((n == 8 || n == 11) && letters) {
				pay_add(out, KS_PAY_SWIFT, g_strndup(q, n));
				break;
			}
		}
	}
}

/* The name before a bank suffix on the line: "みなと銀行", "Minato Bank". */
static void find_banks(const char *s, GPtrArray *out)
{
	g_autoptr(GPtrArray) suffixes = words("bank");
	for (guint i = 0; i < suffixes->len; i++) {
		const char *suf = suffixes->pdata[i];
		bool ascii = g_ascii_isalpha(*suf);
		const char *p = s;
		while ((p = ascii ? find_word(p, suf) : strstr(p, suf))) {
			const char *after = p + strlen(suf);
			if (ascii) {
				/* "X Bank": the capitalised word before it */
				if ((p > s && g_ascii_isalpha(p[-1])) || g_ascii_isalpha(*after)) {
					p = after;
					continue;
				}
				const char *e = p;
				while (e > s && e[-1] == ' ')
					e--;
				const char *b = e;
				while (b > s && g_ascii_isalpha(b[-1]))
					b--;
				if (e > b && g_ascii_isupper(*b))
					pay_add(out, KS_PAY_BANK, g_strdup_printf("%.*s Bank", (int)(e - b), b));
			} else {
				/* the run of letters (kanji, kana) before the suffix */
				const char *b = p;
				int n = 0;
				while (b > s && n < 12) {
					const char *prev = g_utf8_find_prev_char(s, b);
					gunichar c = prev ? g_utf8_get_char(prev) : 0;
					if (!prev || !g_unichar_isalpha(c) || c == 0x306E /* の */)
						break;
					b = prev;
					n++;
				}
				if (n > 0)
					pay_add(out, KS_PAY_BANK, g_strndup(b, after - b));
			}
			p = after;
		}
	}
}

GPtrArray *ks_thread_payment_extract(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)pay_free);
	if (!text)
		return out;
	/* text that is not UTF-8 has no NFKC: no payment details read from it */
	if (!g_utf8_validate(text, -1, NULL))
		return out;
	g_autoptr(GPtrArray) accounts = words("account");
	g_autoptr(GPtrArray) swifts = words("swift");
	qwords w;
	qwords_init(&w);
	nfkc_lines lines = {NULL, NULL, 0, NULL};
	lines.raw = lines_split(text, &lines.buf, &lines.n);
	lines.norm = g_new0(char *, lines.n);
	for (guint i = 0; i < lines.n; i++) {
		const char *l = nfkc_line(&lines, i);
		if (*l == '>' || *l == '|')
			continue;
		/* What each finder needs at the least, counted in one pass: an
		 * account is 6+ digits, an IBAN starts with 2 capitals and 2
		 * digits, a BIC with 6 capitals.  Most lines have none of these
		 * and skip the keyword searches; no token is lost, as a line
		 * short of them cannot give one. */
		size_t digits = 0, upper = 0;
		const char *e = l;
		for (; *e; e++) {
			if (g_ascii_isdigit(*e))
				digits++;
			else if (g_ascii_isupper(*e))
				upper++;
		}
		if (e - l > MAX_LINE)
			continue;
		if (opens_quote(&w, &lines, i))
			break;
		guint before = out->len;
		for (guint k = 0; digits >= 6 && k < accounts->len; k++) {
			const char *kw = accounts->pdata[k];
			const char *p = l;
			while ((p = g_ascii_isalpha(*kw) ? find_word(p, kw) : strstr(p, kw))) {
				p += strlen(kw);
				char *acct = account_after(p, p + ACCOUNT_REACH);
				if (acct)
					pay_add(out, KS_PAY_ACCOUNT, acct);
			}
		}
		if (digits >= 2 && upper >= 2)
			find_ibans(l, out);
		for (guint k = 0; upper >= 6 && k < swifts->len; k++)
			find_swift(l, swifts->pdata[k], out);
		/* a bank's name counts only on a line that gives account details */
		if (out->len > before)
			find_banks(l, out);
	}
	nfkc_lines_clear(&lines);
	qwords_clear(&w);
	return out;
}

static const char *pay_kind_name(ks_pay_kind k)
{
	static const char *const names[] = {"account", "IBAN", "SWIFT/BIC", "bank"};
	return names[k];
}

/* ---- the per-message summary ------------------------------------------- */

static void party_set(ks_party *p, const char *name, const char *address)
{
	p->name = name && *name ? g_strdup(name) : NULL;
	p->address = address && *address ? g_ascii_strdown(address, -1) : NULL;
	g_autofree char *host = p->address ? ks_domain_of_address(p->address) : NULL;
	p->domain = host ? ks_domain_registrable(host) : NULL;
	if (!p->domain && host)
		p->domain = g_steal_pointer(&host);
}

static void party_clear(ks_party *p)
{
	g_free(p->name);
	g_free(p->address);
	g_free(p->domain);
}

static void party_free(ks_party *p)
{
	if (p) {
		party_clear(p);
		g_free(p);
	}
}

static GPtrArray *parties_of(const GPtrArray *list)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)party_free);
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = list->pdata[i];
		ks_party *p = g_new0(ks_party, 1);
		party_set(p, a->name, a->address);
		g_ptr_array_add(out, p);
	}
	return out;
}

static ks_finding *finding_new(ks_rule rule, ks_severity sev, const char *title,
                               const char *evidence, const char *location)
{
	ks_finding *f = g_new0(ks_finding, 1);
	f->rule = rule;
	f->severity = sev;
	f->title = g_strdup(title ? title : ks_rule_help(rule));
	f->evidence = g_strdup(evidence ? evidence : "");
	f->location = g_strdup(location);
	return f;
}

static bool collect_attachment(ks_attachment *a, void *user)
{
	GPtrArray *out = user;
	if (out->len >= 64)
		return false;
	const char *type = a->detected_type ? a->detected_type : a->declared_type;
	g_ptr_array_add(out, g_strdup_printf("%s (%s)", a->filename ? a->filename : a->path,
	                                     type ? type : "?"));
	return true;
}

static char *strip_angles(const char *id)
{
	if (!id)
		return NULL;
	g_autofree char *s = g_strstrip(g_strdup(id));
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return g_strndup(s + 1, n - 2);
	return n ? g_strdup(s) : NULL;
}

/* Outlook's Thread-Index (MS-OXOMSG 2.2.1.3): base64 of a 22-byte header
 * (6 bytes of FILETIME, a 16-byte GUID) that every reply in the conversation
 * keeps, then 5 bytes per reply.  The header identifies the conversation
 * when References and In-Reply-To are gone and the subject was edited. */
static char *conversation_of(const GPtrArray *headers)
{
	for (guint i = 0; headers && i < headers->len; i++) {
		const ks_header *h = headers->pdata[i];
		if (!h->name || !h->value || g_ascii_strcasecmp(h->name, "Thread-Index") != 0)
			continue;
		g_autofree char *v = g_strstrip(g_strdup(h->value));
		size_t n = strlen(v);
		if (n < 30 || n > 1024 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                                    "0123456789+/=") != n)
			return NULL;
		gsize len = 0;
		g_autofree guchar *raw = g_base64_decode(v, &len);
		if (!raw || len < 22 || (len - 22) % 5 != 0)
			return NULL;
		GString *hex = g_string_sized_new(44);
		for (int b = 0; b < 22; b++)
			g_string_append_printf(hex, "%02x", raw[b]);
		return g_string_free(hex, FALSE);
	}
	return NULL;
}

ks_thread_msg *ks_thread_msg_new(const ks_report *r, const char *source)
{
	ks_thread_msg *m = g_new0(ks_thread_msg, 1);
	m->source = g_strdup(source ? source : r->source_path);
	m->message_id = strip_angles(r->message_id);
	m->in_reply_to = strip_angles(r->in_reply_to);
	m->references = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; r->references && i < r->references->len; i++) {
		char *id = strip_angles(r->references->pdata[i]);
		if (id)
			g_ptr_array_add(m->references, id);
	}
	m->subject = g_strdup(r->subject);
	m->subject_key = ks_thread_subject_normalize(r->subject, &m->reply_prefix);
	m->date = r->date ? g_date_time_ref(r->date) : NULL;
	if (r->from && r->from->len) {
		const ks_address *a = r->from->pdata[0];
		party_set(&m->from, a->name, a->address);
	}
	if (r->reply_to && r->reply_to->len) {
		const ks_address *a = r->reply_to->pdata[0];
		party_set(&m->reply_to, a->name, a->address);
	}
	m->to = parties_of(r->to);
	m->cc = parties_of(r->cc);
	m->spf = g_strdup(r->auth.spf);
	m->dkim = g_strdup(r->auth.dkim);
	m->dmarc = g_strdup(r->auth.dmarc);
	m->attachments = g_ptr_array_new_with_free_func(g_free);
	ks_report_walk_attachments((ks_report *)r, collect_attachment, m->attachments);
	m->findings = g_ptr_array_new_with_free_func((GDestroyNotify)ks_finding_free);
	m->max_severity = -1;
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = r->findings->pdata[i];
		g_ptr_array_add(m->findings,
		                finding_new(f->rule, f->severity, f->title, f->evidence, f->location));
		m->max_severity = MAX(m->max_severity, (int)f->severity);
	}
	m->own_findings = m->findings->len;
	m->payment = ks_thread_payment_extract(r->body_text);
	m->quoted = ks_thread_quoted_extract(r->body_text, r->date);
	m->events = g_ptr_array_new_with_free_func((GDestroyNotify)ks_event_free);
	for (guint i = 0; r->timeline && i < r->timeline->len; i++) {
		const ks_event *e = r->timeline->pdata[i];
		/* the mail's own times are its row; what its parts know are events */
		if (!e->time || !e->source || strncmp(e->source, "part:", 5) != 0)
			continue;
		ks_event *c = g_new0(ks_event, 1);
		c->time = g_date_time_ref(e->time);
		c->event = g_strdup(e->event);
		c->source = g_strdup(e->source);
		g_ptr_array_add(m->events, c);
	}
	m->conversation = conversation_of(r->headers);
	m->changed = g_ptr_array_new_with_free_func(g_free);
	m->thread = -1;
	return m;
}

void ks_thread_msg_free(ks_thread_msg *m)
{
	if (!m)
		return;
	g_free(m->source);
	g_free(m->message_id);
	g_free(m->in_reply_to);
	g_ptr_array_unref(m->references);
	g_free(m->subject);
	g_free(m->subject_key);
	g_free(m->conversation);
	if (m->date)
		g_date_time_unref(m->date);
	party_clear(&m->from);
	party_clear(&m->reply_to);
	g_ptr_array_unref(m->to);
	g_ptr_array_unref(m->cc);
	g_free(m->spf);
	g_free(m->dkim);
	g_free(m->dmarc);
	g_ptr_array_unref(m->attachments);
	g_ptr_array_unref(m->findings);
	g_ptr_array_unref(m->payment);
	g_ptr_array_unref(m->quoted);
	g_ptr_array_unref(m->events);
	g_free(m->lookalike_of);
	g_ptr_array_unref(m->changed);
	g_free(m);
}

/* ---- the set ------------------------------------------------------------- */

static void thread_event_free(ks_thread_event *e)
{
	if (e) {
		if (e->time)
			g_date_time_unref(e->time);
		g_free(e->event);
		g_free(e->source);
		g_free(e);
	}
}

static void thread_free(ks_thread *t)
{
	if (!t)
		return;
	g_free(t->subject);
	g_ptr_array_unref(t->participants);
	g_ptr_array_unref(t->messages);
	g_ptr_array_unref(t->events);
	g_ptr_array_unref(t->findings);
	g_free(t);
}

ks_thread_set *ks_thread_set_new(void)
{
	ks_thread_set *s = g_new0(ks_thread_set, 1);
	s->messages = g_ptr_array_new_with_free_func((GDestroyNotify)ks_thread_msg_free);
	s->threads = g_ptr_array_new_with_free_func((GDestroyNotify)thread_free);
	return s;
}

void ks_thread_set_free(ks_thread_set *s)
{
	if (!s)
		return;
	g_ptr_array_unref(s->threads);
	g_ptr_array_unref(s->messages);
	g_free(s);
}

void ks_thread_set_add(ks_thread_set *s, ks_thread_msg *m)
{
	m->seq = (int)s->messages->len;
	g_ptr_array_add(s->messages, m);
}

void ks_thread_set_add_report(ks_thread_set *s, const ks_report *r, const char *source)
{
	ks_thread_set_add(s, ks_thread_msg_new(r, source));
}

const GPtrArray *ks_thread_set_threads(const ks_thread_set *s)
{
	return s->threads;
}

const GPtrArray *ks_thread_set_messages(const ks_thread_set *s)
{
	return s->messages;
}

ks_thread_set *ks_threads_from_reports(const GPtrArray *reports, const ks_context *ctx)
{
	ks_thread_set *s = ks_thread_set_new();
	for (guint i = 0; reports && i < reports->len; i++)
		ks_thread_set_add_report(s, reports->pdata[i], NULL);
	ks_thread_set_build(s, ctx);
	return s;
}

/* ---- grouping: union-find over messages and referenced ids ------------- */

typedef struct {
	GArray *parent; /* int */
} uf;

static int uf_add(uf *u)
{
	int n = (int)u->parent->len;
	g_array_append_val(u->parent, n);
	return n;
}

static int uf_find(uf *u, int x)
{
	int *p = (int *)u->parent->data;
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

static void uf_union(uf *u, int a, int b)
{
	a = uf_find(u, a);
	b = uf_find(u, b);
	if (a == b)
		return;
	/* the smaller index (earlier message) stays the root */
	int *p = (int *)u->parent->data;
	if (a < b)
		p[b] = a;
	else
		p[a] = b;
}

/* Effective times: a message without a parsable Date takes the one before it. */
static gint64 *effective_times(GPtrArray *msgs)
{
	gint64 *t = g_new0(gint64, msgs->len ? msgs->len : 1);
	gint64 last = 0;
	for (guint i = 0; i < msgs->len; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		if (m->date)
			last = g_date_time_to_unix(m->date);
		t[i] = last;
	}
	return t;
}

typedef struct {
	const gint64 *when; /* by seq */
} sort_ctx;

static gint by_time(gconstpointer a, gconstpointer b, gpointer user)
{
	const sort_ctx *c = user;
	const ks_thread_msg *x = *(ks_thread_msg *const *)a, *y = *(ks_thread_msg *const *)b;
	gint64 tx = c->when[x->seq], ty = c->when[y->seq];
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x->seq - y->seq;
}

static bool reply_like(const ks_thread_msg *m)
{
	return m->reply_prefix || m->in_reply_to || m->references->len || m->quoted->len;
}

/* ---- drift ------------------------------------------------------------- */

typedef struct {
	ks_thread *t;
	GHashTable *domains;    /* domain -> GINT(first message index + 1), genuine or not */
	GPtrArray *genuine;     /* char*: domains not judged lookalikes, in order (borrowed) */
	GHashTable *lookalike;  /* domain -> char* "target\x1ftechnique" ("" = none) */
	GHashTable *addresses;  /* address -> GINT(message index + 1) */
	GHashTable *from_domains; /* domains that sent a message */
	GHashTable *last;       /* identity key -> GINT(message index + 1) */
	GHashTable *last_auth;  /* the same, of messages that carry authentication results */
	GArray *offsets;        /* gint32: the distinct UTC offsets of the messages' Dates */
	GHashTable *paid;       /* "kind\x1fvalue" -> GINT(message index + 1) */
	GPtrArray *pay_by_kind[4]; /* ks_pay_token* borrowed, first seen order */
	GArray *pay_msg[4];        /* int: message index of each */
} drift;

static void mark_changed(ks_thread_msg *m, const char *field)
{
	for (guint i = 0; i < m->changed->len; i++)
		if (strcmp(m->changed->pdata[i], field) == 0)
			return;
	g_ptr_array_add(m->changed, g_strdup(field));
}

static void add_drift(drift *d, int k, ks_rule rule, const char *location, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);
static void add_drift(drift *d, int k, ks_rule rule, const char *location, const char *fmt, ...)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *ev = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	ks_finding *f = finding_new(rule, ks_rule_severity(rule), NULL, ev, location);
	g_ptr_array_add(m->findings, f);
	m->max_severity = MAX(m->max_severity, (int)f->severity);
	ks_thread_finding *tf = g_new0(ks_thread_finding, 1);
	tf->finding = f;
	tf->message = k;
	g_ptr_array_add(d->t->findings, tf);
}

/* The genuine domain that domain imitates (with *technique), or NULL.
 * Judged once, when the domain first appears in the thread. */
static const char *lookalike_target(drift *d, const char *domain, const char **technique)
{
	*technique = NULL;
	if (!domain)
		return NULL;
	const char *v = g_hash_table_lookup(d->lookalike, domain);
	if (!v) {
		char *found = NULL;
		/* outlook.jp beside outlook.com, yahoo.com beside yahoo.co.jp: a
		 * provider's own domains, where anyone has a mailbox, are no
		 * registration that imitates a party */
		bool provider = ks_identity_is_freemail(domain);
		for (guint i = 0; i < d->genuine->len && !found && !provider; i++) {
			char *tech = NULL;
			if (ks_lookalike_match(domain, d->genuine->pdata[i], &tech))
				found = g_strdup_printf("%s\x1f%s", (const char *)d->genuine->pdata[i],
				                        tech ? tech : "");
			g_free(tech);
		}
		v = found ? found : g_strdup("");
		g_hash_table_insert(d->lookalike, g_strdup(domain), (gpointer)v);
	}
	if (!*v)
		return NULL;
	const char *sep = strchr(v, '\x1f');
	*technique = sep + 1;
	return v; /* "target\x1f..." : callers print with %.*s */
}

static int target_len(const char *v)
{
	return (int)(strchr(v, '\x1f') - v);
}

static void see_domain(drift *d, const char *domain, int k)
{
	if (!domain || g_hash_table_contains(d->domains, domain))
		return;
	const char *tech;
	const char *target = d->genuine->len ? lookalike_target(d, domain, &tech) : NULL;
	g_hash_table_insert(d->domains, g_strdup(domain), GINT_TO_POINTER(k + 1));
	if (!target) {
		g_hash_table_insert(d->lookalike, g_strdup(domain), g_strdup(""));
		g_ptr_array_add(d->genuine, (gpointer)domain); /* the message's string */
	}
}

static void see_party(drift *d, const ks_party *p, int k)
{
	if (p->address && !g_hash_table_contains(d->addresses, p->address))
		g_hash_table_insert(d->addresses, g_strdup(p->address), GINT_TO_POINTER(k + 1));
	see_domain(d, p->domain, k);
}

/* Who a sender is across a lookalike swap: the genuine domain it imitates,
 * else its own domain, else its address. */
static const char *identity_of(drift *d, const ks_thread_msg *m)
{
	if (m->lookalike_of)
		return m->lookalike_of;
	return m->from.domain ? m->from.domain : m->from.address;
}

static void rule_sender(drift *d, int k)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	const char *dom = m->from.domain;
	if (!dom || k == 0)
		return;
	const char *tech = NULL;
	const char *target = NULL;
	if (!g_hash_table_contains(d->domains, dom)) {
		target = lookalike_target(d, dom, &tech);
	} else {
		const char *v = g_hash_table_lookup(d->lookalike, dom);
		if (v && *v) {
			target = v;
			tech = strchr(v, '\x1f') + 1;
		}
	}
	if (!target)
		return;
	m->lookalike_of = g_strndup(target, target_len(target));
	if (d->t->first_lookalike < 0)
		d->t->first_lookalike = k;
	if (g_hash_table_contains(d->from_domains, dom))
		return;
	int first = GPOINTER_TO_INT(g_hash_table_lookup(d->domains, m->lookalike_of));
	mark_changed(m, "from");
	add_drift(d, k, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED, "header:From",
	          "%s writes from %s, a lookalike of %s (%s), the domain of message %d",
	          m->from.address, dom, m->lookalike_of, tech && *tech ? tech : "lookalike", first);
}

static void rule_cc(drift *d, int k)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	if (k == 0)
		return;
	GString *ev = g_string_new(NULL);
	bool in_cc = false;
	GPtrArray *lists[] = {m->to, m->cc};
	for (int l = 0; l < 2; l++) {
		for (guint i = 0; i < lists[l]->len; i++) {
			const ks_party *p = lists[l]->pdata[i];
			if (!p->address || !p->domain || g_hash_table_contains(d->addresses, p->address))
				continue;
			const char *tech = NULL;
			const char *target = NULL;
			if (!g_hash_table_contains(d->domains, p->domain)) {
				target = lookalike_target(d, p->domain, &tech);
			} else {
				const char *v = g_hash_table_lookup(d->lookalike, p->domain);
				if (v && *v) {
					target = v;
					tech = strchr(v, '\x1f') + 1;
				}
			}
			if (!target)
				continue;
			g_autofree char *local = ks_local_part(p->address);
			g_autofree char *real = g_strdup_printf("%s@%.*s", local ? local : "",
			                                        target_len(target), target);
			if (ev->len)
				g_string_append(ev, "; ");
			if (g_hash_table_contains(d->addresses, real))
				g_string_append_printf(ev, "%s %s replaces %s (%s)", l ? "Cc" : "To",
				                       p->address, real, tech);
			else
				g_string_append_printf(ev, "%s %s: %s imitates %.*s (%s)", l ? "Cc" : "To",
				                       p->address, p->domain, target_len(target), target,
				                       tech);
			in_cc |= l == 1;
		}
	}
	if (ev->len) {
		mark_changed(m, "cc");
		add_drift(d, k, KS_RULE_THREAD_CC_LOOKALIKE, in_cc ? "header:Cc" : "header:To", "%s",
		          ev->str);
	}
	g_string_free(ev, TRUE);
}

static void rule_reply_to(drift *d, int k, int prev)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	const char *now = m->reply_to.address;
	if (now && m->from.address && strcmp(now, m->from.address) == 0)
		now = NULL;
	if (!now)
		return;
	if (prev < 0) {
		/* the sender's first message: a Reply-To is drift only when its
		 * domain imitates one of the thread's */
		const char *tech = NULL;
		const char *dom = m->reply_to.domain;
		const char *target = NULL;
		if (dom && !g_hash_table_contains(d->domains, dom)) {
			target = d->genuine->len ? lookalike_target(d, dom, &tech) : NULL;
		} else if (dom) {
			const char *v = g_hash_table_lookup(d->lookalike, dom);
			if (v && *v) {
				target = v;
				tech = strchr(v, '\x1f') + 1;
			}
		}
		if (!target)
			return;
		mark_changed(m, "reply_to");
		add_drift(d, k, KS_RULE_THREAD_REPLY_TO_CHANGED, "header:Reply-To",
		          "Reply-To %s appears on %s, a lookalike of %.*s (%s), in the first message "
		          "from %s in the thread",
		          now, dom, target_len(target), target, tech && *tech ? tech : "lookalike",
		          m->from.address ? m->from.address : "this sender");
		return;
	}
	ks_thread_msg *p = d->t->messages->pdata[prev];
	const char *before = p->reply_to.address;
	if (before && p->from.address && strcmp(before, p->from.address) == 0)
		before = NULL;
	if (before && strcmp(before, now) == 0)
		return;
	mark_changed(m, "reply_to");
	if (before)
		add_drift(d, k, KS_RULE_THREAD_REPLY_TO_CHANGED, "header:Reply-To",
		          "Reply-To changes from %s (message %d) to %s", before, prev + 1, now);
	else
		add_drift(d, k, KS_RULE_THREAD_REPLY_TO_CHANGED, "header:Reply-To",
		          "Reply-To %s appears: message %d from the same sender (%s) had none", now,
		          prev + 1, p->from.address ? p->from.address : "?");
}

static bool judged(const ks_thread_msg *m)
{
	return m->spf || m->dkim || m->dmarc;
}

static bool passes(const char *r)
{
	return ks_auth_verdict_of(r) == KS_AUTH_PASS;
}

static void rule_auth(drift *d, int k, int prev)
{
	if (prev < 0)
		return;
	ks_thread_msg *m = d->t->messages->pdata[k], *p = d->t->messages->pdata[prev];
	/* no Authentication-Results at all: the receiver never judged it (the
	 * owner's Sent Items, internal mail); nothing regressed */
	if (!judged(m))
		return;
	const char *names[] = {"SPF", "DKIM", "DMARC"};
	const char *was[] = {p->spf, p->dkim, p->dmarc};
	const char *now[] = {m->spf, m->dkim, m->dmarc};
	GString *ev = g_string_new(NULL);
	for (int i = 0; i < 3; i++)
		if (passes(was[i]) && !passes(now[i]))
			g_string_append_printf(ev, "%s%s pass → %s", ev->len ? ", " : "", names[i],
			                       now[i] ? now[i] : "absent");
	if (ev->len) {
		mark_changed(m, "auth");
		add_drift(d, k, KS_RULE_THREAD_AUTH_REGRESSED, "header:Authentication-Results",
		          "%s (message %d from %s passed)", ev->str, prev + 1,
		          p->from.address ? p->from.address : "the same sender");
	}
	g_string_free(ev, TRUE);
}

static void rule_payment(drift *d, int k)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	GString *ev = g_string_new(NULL);
	for (guint i = 0; i < m->payment->len; i++) {
		const ks_pay_token *tok = m->payment->pdata[i];
		GPtrArray *earlier = d->pay_by_kind[tok->kind];
		bool seen = false;
		for (guint j = 0; j < earlier->len && !seen; j++)
			seen = strcmp(((ks_pay_token *)earlier->pdata[j])->value, tok->value) == 0;
		if (seen || !earlier->len)
			continue;
		const ks_pay_token *old = earlier->pdata[0];
		int at = g_array_index(d->pay_msg[tok->kind], int, 0);
		g_string_append_printf(ev, "%s%s %s (earlier %s in message %d)", ev->len ? "; " : "",
		                       pay_kind_name(tok->kind), tok->value, old->value, at + 1);
	}
	if (ev->len) {
		mark_changed(m, "payment");
		add_drift(d, k, KS_RULE_THREAD_PAYMENT_DETAILS_CHANGED, "body", "%s", ev->str);
	}
	g_string_free(ev, TRUE);
	for (guint i = 0; i < m->payment->len; i++) {
		ks_pay_token *tok = m->payment->pdata[i];
		GPtrArray *earlier = d->pay_by_kind[tok->kind];
		bool seen = false;
		for (guint j = 0; j < earlier->len && !seen; j++)
			seen = strcmp(((ks_pay_token *)earlier->pdata[j])->value, tok->value) == 0;
		if (!seen) {
			g_ptr_array_add(earlier, tok);
			int kk = k;
			g_array_append_val(d->pay_msg[tok->kind], kk);
		}
	}
}

static void rule_subject(drift *d, int k, bool linked)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	ks_thread_msg *first = d->t->messages->pdata[0];
	if (k == 0 || linked || m->lookalike_of || !m->from.address || !m->from.domain)
		return;
	if (g_hash_table_contains(d->addresses, m->from.address) ||
	    g_hash_table_contains(d->domains, m->from.domain))
		return;
	if (!*m->subject_key || strcmp(m->subject_key, first->subject_key) != 0)
		return;
	mark_changed(m, "subject");
	add_drift(d, k, KS_RULE_THREAD_SUBJECT_HIJACKED, "header:Subject",
	          "%s (%s), new to the thread, writes under its subject without referring to "
	          "any of its messages",
	          m->from.address, m->from.domain);
}

/* A name without its blanks; "" when too long to compare. */
static void name_key(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c == ',' || c == '"')
			continue;
		size_t l = (size_t)(g_utf8_next_char(p) - p);
		if (n + l >= size) {
			n = 0;
			break;
		}
		memcpy(out + n, p, l);
		n += l;
	}
	out[n] = '\0';
}

/* Outlook quotes a directory user by the name alone ("差出人: 小川 誠"),
 * which may be shorter than the From header's ("経理課 小川 誠"): the same
 * name, blanks ignored, or one holding the other (two characters at least). */
static bool names_match(const char *a, const char *b)
{
	char x[256], y[256];
	name_key(a, x, sizeof x);
	name_key(b, y, sizeof y);
	if (!*x || !*y)
		return false;
	if (strcmp(x, y) == 0)
		return true;
	const char *shortn = strlen(x) < strlen(y) ? x : y, *longn = shortn == x ? y : x;
	return g_utf8_strlen(shortn, -1) >= 2 && strstr(longn, shortn) != NULL;
}

/* A quoted time written without an offset was read in the quoting mail's
 * zone; a nested quote carries the time of whoever wrote that level, in
 * their zone.  So a time read in the quoting mail's own offset also matches
 * when read in the offset of any message of the thread. */
static bool quote_time_matches(const drift *d, const ks_thread_msg *quoting,
                               const ks_quoted_header *q, gint64 sent)
{
	gint64 dt = g_date_time_to_unix(q->time) - sent;
	if (dt <= QUOTE_SLACK && dt >= -QUOTE_SLACK)
		return true;
	gint32 qoff = (gint32)(g_date_time_get_utc_offset(q->time) / G_TIME_SPAN_SECOND);
	if (!quoting->date ||
	    qoff != (gint32)(g_date_time_get_utc_offset(quoting->date) / G_TIME_SPAN_SECOND))
		return false;
	for (guint i = 0; d->offsets && i < d->offsets->len; i++) {
		gint64 shifted = dt + qoff - g_array_index(d->offsets, gint32, i);
		if (shifted <= QUOTE_SLACK && shifted >= -QUOTE_SLACK)
			return true;
	}
	return false;
}

static bool quote_found(const drift *d, int k, const ks_quoted_header *q, const gint64 *when)
{
	const ks_thread *t = d->t;
	const ks_thread_msg *m = t->messages->pdata[k];
	for (guint i = 0; i < t->messages->len; i++) {
		const ks_thread_msg *o = t->messages->pdata[i];
		if ((int)i == k)
			continue;
		bool who = q->from ? (o->from.address && strcmp(o->from.address, q->from) == 0)
		                   : (o->from.name && q->from_name && names_match(o->from.name, q->from_name));
		if (!who)
			continue;
		if (!q->time || !o->date)
			return true;
		if (quote_time_matches(d, m, q, when[o->seq]))
			return true;
	}
	return false;
}

/* True when the message quotes one of the thread's messages: it refers to
 * the thread even when its client wrote no References. */
static bool quotes_thread(const drift *d, int k, const gint64 *when)
{
	const ks_thread_msg *m = d->t->messages->pdata[k];
	for (guint i = 0; i < m->quoted->len; i++)
		if (quote_found(d, k, m->quoted->pdata[i], when))
			return true;
	return false;
}

static void rule_quotes(drift *d, int k, const gint64 *when)
{
	ks_thread_msg *m = d->t->messages->pdata[k];
	/* a reply's quote: bounces and notifications quote what they like */
	if (d->t->messages->len < 2 ||
	    !(m->reply_prefix || m->in_reply_to || m->references->len))
		return;
	GString *ev = g_string_new(NULL);
	int n = 0;
	for (guint i = 0; i < m->quoted->len; i++) {
		const ks_quoted_header *q = m->quoted->pdata[i];
		if (quote_found(d, k, q, when))
			continue;
		if (n++ < 4) {
			g_autofree char *t = q->time ? ks_time_format(q->time) : NULL;
			g_string_append_printf(ev, "%sa mail from %s%s%s", ev->len ? "; " : "",
			                       q->from ? q->from : q->from_name, t ? " sent " : "",
			                       t ? t : "");
		}
	}
	if (n) {
		mark_changed(m, "quote");
		add_drift(d, k, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE, "body",
		          "quotes %s, not in the thread%s", ev->str, n > 4 ? " (and more)" : "");
	}
	g_string_free(ev, TRUE);
}

static void run_drift(ks_thread *t, const gint64 *when, const GHashTable *linked)
{
	drift d = {0};
	d.t = t;
	d.domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d.genuine = g_ptr_array_new();
	d.lookalike = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d.addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	d.from_domains = g_hash_table_new(g_str_hash, g_str_equal);
	d.last = g_hash_table_new(g_str_hash, g_str_equal);
	d.last_auth = g_hash_table_new(g_str_hash, g_str_equal);
	d.offsets = g_array_new(FALSE, FALSE, sizeof(gint32));
	for (guint k = 0; k < t->messages->len; k++) {
		const ks_thread_msg *m = t->messages->pdata[k];
		if (!m->date)
			continue;
		gint32 off = (gint32)(g_date_time_get_utc_offset(m->date) / G_TIME_SPAN_SECOND);
		bool have = false;
		for (guint i = 0; i < d.offsets->len && !have; i++)
			have = g_array_index(d.offsets, gint32, i) == off;
		if (!have && d.offsets->len < 16)
			g_array_append_val(d.offsets, off);
	}
	for (int i = 0; i < 4; i++) {
		d.pay_by_kind[i] = g_ptr_array_new();
		d.pay_msg[i] = g_array_new(FALSE, FALSE, sizeof(int));
	}
	for (guint k = 0; k < t->messages->len; k++) {
		ks_thread_msg *m = t->messages->pdata[k];
		rule_sender(&d, (int)k);
		rule_cc(&d, (int)k);
		const char *who = identity_of(&d, m);
		int prev = who ? GPOINTER_TO_INT(g_hash_table_lookup(d.last, who)) - 1 : -1;
		int prev_auth = who ? GPOINTER_TO_INT(g_hash_table_lookup(d.last_auth, who)) - 1 : -1;
		rule_reply_to(&d, (int)k, prev);
		rule_auth(&d, (int)k, prev_auth);
		rule_payment(&d, (int)k);
		rule_subject(&d, (int)k,
		             g_hash_table_contains((GHashTable *)linked, GINT_TO_POINTER(m->seq)) ||
		                 quotes_thread(&d, (int)k, when));
		rule_quotes(&d, (int)k, when);
		/* then what this message adds to what the thread knows */
		see_party(&d, &m->from, (int)k);
		if (m->reply_to.address)
			see_party(&d, &m->reply_to, (int)k);
		for (guint i = 0; i < m->to->len; i++)
			see_party(&d, m->to->pdata[i], (int)k);
		for (guint i = 0; i < m->cc->len; i++)
			see_party(&d, m->cc->pdata[i], (int)k);
		if (m->from.domain)
			g_hash_table_add(d.from_domains, m->from.domain);
		if (who)
			g_hash_table_insert(d.last, (gpointer)who, GINT_TO_POINTER(k + 1));
		if (who && judged(m))
			g_hash_table_insert(d.last_auth, (gpointer)who, GINT_TO_POINTER(k + 1));
	}
	/* identity keys and from_domains borrow the messages' strings */
	g_hash_table_unref(d.last);
	g_hash_table_unref(d.last_auth);
	g_array_unref(d.offsets);
	g_hash_table_unref(d.from_domains);
	g_hash_table_unref(d.addresses);
	g_hash_table_unref(d.lookalike);
	g_ptr_array_unref(d.genuine);
	g_hash_table_unref(d.domains);
	for (int i = 0; i < 4; i++) {
		g_ptr_array_unref(d.pay_by_kind[i]);
		g_array_unref(d.pay_msg[i]);
	}
}

/* ---- building ---------------------------------------------------------- */

static void add_participant(ks_thread *t, GHashTable *seen, const ks_party *p)
{
	if (!p->address)
		return;
	ks_party *have = g_hash_table_lookup(seen, p->address);
	if (have) {
		if (!have->name && p->name)
			have->name = g_strdup(p->name);
		return;
	}
	ks_party *c = g_new0(ks_party, 1);
	c->name = g_strdup(p->name);
	c->address = g_strdup(p->address);
	c->domain = g_strdup(p->domain);
	g_ptr_array_add(t->participants, c);
	g_hash_table_insert(seen, c->address, c);
}

static gint event_by_time(gconstpointer a, gconstpointer b)
{
	const ks_thread_event *x = *(ks_thread_event *const *)a, *y = *(ks_thread_event *const *)b;
	return g_date_time_compare(x->time, y->time);
}

static void thread_finish(ks_thread *t, const ks_context *ctx)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint k = 0; k < t->messages->len; k++) {
		ks_thread_msg *m = t->messages->pdata[k];
		add_participant(t, seen, &m->from);
		if (m->reply_to.address)
			add_participant(t, seen, &m->reply_to);
		for (guint i = 0; i < m->to->len; i++)
			add_participant(t, seen, m->to->pdata[i]);
		for (guint i = 0; i < m->cc->len; i++)
			add_participant(t, seen, m->cc->pdata[i]);
		for (guint i = 0; i < m->events->len; i++) {
			const ks_event *e = m->events->pdata[i];
			ks_thread_event *te = g_new0(ks_thread_event, 1);
			te->time = g_date_time_ref(e->time);
			te->event = g_strdup(e->event);
			te->source = g_strdup(e->source);
			te->message = (int)k;
			g_ptr_array_add(t->events, te);
		}
	}
	g_hash_table_unref(seen);
	/* registrations of the parties' domains, from the case store */
	GHashTable *doms = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; ctx && ctx->registrations && i < t->participants->len; i++) {
		const ks_party *p = t->participants->pdata[i];
		if (!p->domain || !g_hash_table_add(doms, p->domain))
			continue;
		const ks_registration *reg = ks_context_registration(ctx, p->domain);
		if (!reg || !reg->registered)
			continue;
		ks_thread_event *te = g_new0(ks_thread_event, 1);
		te->time = g_date_time_ref(reg->registered);
		te->event = g_strdup_printf("domain %s registered%s%s%s", p->domain,
		                            reg->source ? " (" : "", reg->source ? reg->source : "",
		                            reg->source ? ")" : "");
		te->source = g_strdup("context:registration");
		te->message = -1;
		g_ptr_array_add(t->events, te);
	}
	g_hash_table_unref(doms);
	g_ptr_array_sort(t->events, event_by_time);
	ks_thread_msg *first = t->messages->pdata[0];
	t->subject = g_strdup(first->subject ? first->subject : "");
}

static int thread_rank(const ks_thread *t)
{
	int top = -1;
	for (guint i = 0; i < t->findings->len; i++)
		top = MAX(top, (int)((const ks_thread_finding *)t->findings->pdata[i])->finding->severity);
	return top;
}

static gint thread_order(gconstpointer a, gconstpointer b, gpointer user)
{
	const ks_thread *x = *(ks_thread *const *)a, *y = *(ks_thread *const *)b;
	const gint64 *when = user;
	int rx = thread_rank(x), ry = thread_rank(y);
	if (rx != ry)
		return ry - rx;
	if (x->messages->len != y->messages->len)
		return (int)y->messages->len - (int)x->messages->len;
	const ks_thread_msg *fx = x->messages->pdata[0], *fy = y->messages->pdata[0];
	if (when[fx->seq] != when[fy->seq])
		return when[fx->seq] < when[fy->seq] ? -1 : 1;
	return fx->seq - fy->seq;
}

void ks_thread_set_build(ks_thread_set *s, const ks_context *ctx)
{
	if (s->built)
		return;
	s->built = true;
	GPtrArray *msgs = s->messages;
	guint n = msgs->len;
	g_autofree gint64 *when = effective_times(msgs);
	uf u = {g_array_sized_new(FALSE, FALSE, sizeof(int), n * 2)};
	for (guint i = 0; i < n; i++)
		uf_add(&u);
	/* ids: Message-ID -> node; a referenced id not in the set gets a node too */
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		if (!m->message_id)
			continue;
		gpointer node;
		if (g_hash_table_lookup_extended(ids, m->message_id, NULL, &node))
			uf_union(&u, (int)i, GPOINTER_TO_INT(node));
		else
			g_hash_table_insert(ids, m->message_id, GINT_TO_POINTER(i));
	}
	/* linked: messages whose references reach a message of the set */
	GHashTable *linked = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		for (guint r = 0; r <= m->references->len; r++) {
			const char *id = r < m->references->len ? m->references->pdata[r] : m->in_reply_to;
			if (!id || (m->message_id && strcmp(id, m->message_id) == 0))
				continue;
			gpointer node;
			if (!g_hash_table_lookup_extended(ids, id, NULL, &node)) {
				node = GINT_TO_POINTER(uf_add(&u));
				g_hash_table_insert(ids, (gpointer)id, node);
			} else if (GPOINTER_TO_INT(node) < (int)n) {
				g_hash_table_add(linked, GINT_TO_POINTER(i));
			}
			uf_union(&u, (int)i, GPOINTER_TO_INT(node));
		}
	}
	/* Outlook's conversation (Thread-Index): the replies of one conversation,
	 * whatever their subject, refer to it as References would */
	GHashTable *convs = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = msgs->pdata[i];
		if (!m->conversation)
			continue;
		gpointer node;
		if (g_hash_table_lookup_extended(convs, m->conversation, NULL, &node)) {
			uf_union(&u, (int)i, GPOINTER_TO_INT(node));
			g_hash_table_add(linked, GINT_TO_POINTER(i));
		} else {
			g_hash_table_insert(convs, m->conversation, GINT_TO_POINTER(i));
		}
	}
	g_hash_table_unref(convs);
	/* subjects: a message that reaches nothing by reference joins the first
	 * message with its normalised subject when it looks like a reply (a
	 * prefix, a quote, a reference to something missing), and the messages
	 * whose subjects it quotes */
	g_autoptr(GPtrArray) order = g_ptr_array_copy(msgs, NULL, NULL);
	g_ptr_array_set_free_func(order, NULL); /* the copy keeps the free func */
	sort_ctx sc = {when};
	g_ptr_array_sort_with_data(order, by_time, &sc);
	GHashTable *bucket = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = order->pdata[i];
		if (!*m->subject_key)
			continue;
		gpointer root;
		bool has = g_hash_table_lookup_extended(bucket, m->subject_key, NULL, &root);
		if (!has)
			g_hash_table_insert(bucket, m->subject_key, GINT_TO_POINTER(m->seq));
		if (g_hash_table_contains(linked, GINT_TO_POINTER(m->seq)) || !reply_like(m))
			continue;
		if (has)
			uf_union(&u, m->seq, GPOINTER_TO_INT(root));
		for (guint q = 0; q < m->quoted->len; q++) {
			const ks_quoted_header *qh = m->quoted->pdata[q];
			if (!qh->subject)
				continue;
			g_autofree char *key = ks_thread_subject_normalize(qh->subject, NULL);
			if (*key && g_hash_table_lookup_extended(bucket, key, NULL, &root))
				uf_union(&u, m->seq, GPOINTER_TO_INT(root));
		}
	}
	g_hash_table_unref(bucket);
	/* threads, messages by time */
	GHashTable *by_root = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *threads = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		ks_thread_msg *m = order->pdata[i];
		int root = uf_find(&u, m->seq);
		ks_thread *t = g_hash_table_lookup(by_root, GINT_TO_POINTER(root));
		if (!t) {
			t = g_new0(ks_thread, 1);
			t->participants = g_ptr_array_new_with_free_func((GDestroyNotify)party_free);
			t->messages = g_ptr_array_new();
			t->events = g_ptr_array_new_with_free_func((GDestroyNotify)thread_event_free);
			t->findings = g_ptr_array_new_with_free_func(g_free);
			t->first_lookalike = -1;
			g_hash_table_insert(by_root, GINT_TO_POINTER(root), t);
			g_ptr_array_add(threads, t);
		}
		g_ptr_array_add(t->messages, m);
	}
	for (guint i = 0; i < threads->len; i++) {
		ks_thread *t = threads->pdata[i];
		run_drift(t, when, linked);
		thread_finish(t, ctx);
	}
	g_ptr_array_sort_with_data(threads, thread_order, when);
	for (guint i = 0; i < threads->len; i++) {
		ks_thread *t = threads->pdata[i];
		for (guint k = 0; k < t->messages->len; k++)
			((ks_thread_msg *)t->messages->pdata[k])->thread = (int)i;
		g_ptr_array_add(s->threads, t);
	}
	g_ptr_array_unref(threads);
	g_hash_table_unref(by_root);
	g_hash_table_unref(linked);
	g_hash_table_unref(ids);
	g_array_unref(u.parent);
}

const char *ks_thread_field_label(const char *field)
{
	static const char *const labels[][2] = {
		{"from", "sender domain"}, {"reply_to", "Reply-To"}, {"auth", "authentication"},
		{"payment", "payment details"}, {"cc", "Cc"}, {"subject", "subject sender"},
		{"quote", "quoted history"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
		if (strcmp(field, labels[i][0]) == 0)
			return labels[i][1];
	return field;
}
