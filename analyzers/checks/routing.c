/* Routing: the Received chain read into hops, the delays between them, the
 * routing.date_reversed and routing.bulk_service rules.
 *
 * A Received value (RFC 5321 section 4.4, RFC 5322 section 3.6.7) is a list of
 * clauses, "from", "by", "via", "with", "id", "for", each a keyword and a value
 * followed by any number of parenthesised comments, then ";" and a date.  Every
 * mailer fills the comments differently (Postfix "(host [ip])", Exchange
 * "(2603:...)", Exim "([ip]:port helo=...)", qmail's whole header as one
 * comment), so one small tokenizer reads the clauses and the IP is looked for
 * in the comments of the "from" clause; nothing here knows a mailer by name.
 * The same comments give the reverse DNS and a HELO written apart, and any
 * comment or the "with" protocol (RFC 3848) what the header says of TLS.
 * IOCs and timeline events from hops are the summary analyzer's work, not ours.
 * Bulk-service fingerprints are data: analyzers/data/bulk_services.txt. */
#include "checks/routing.h"

#include "core/data.h"
#include "core/domains.h"
#include "mail/dates.h"

#include <string.h>

/* A real Received value is a few hundred bytes; 16 KiB is generous. */
#define MAX_RECEIVED_BYTES (16 * 1024)
/* Real chains are under 30 hops; a message with more is built to hurt. */
#define MAX_HOPS 256
/* Tries at finding a date in a Received value that has no ";" (SendGrid). */
#define MAX_DATE_TRIES 16
/* SPEC.md routing.date_reversed: 5 minutes of clock skew are forgiven. */
#define CLOCK_SKEW_SECONDS 300
/* Beyond that, real servers still disagree: of the 305 reversals in the
 * 1,400 legitimate mails of sa_ham (2002), 196 are under 15 minutes and 265
 * under an hour (a sender's desktop or a list server running slow).  Up to
 * an hour the finding is context (info); beyond it, low. */
#define CLOCK_DRIFT_SECONDS 3600
/* A clock set to the wrong time zone is off by whole hours (sa_ham has 8 and
 * 15 hours), at most the 26 hours between UTC-12 and UTC+14; a reversal
 * beyond that is no clock's mistake but a forged or replayed hop (medium). */
#define ZONE_SPAN_SECONDS (26 * 3600)
/* How near a whole number of hours a zone mistake lands, its drift included. */
#define ZONE_SLACK_SECONDS 600
/* The "with" clause as shown: "Microsoft SMTP Server" is the longest in use. */
#define MAX_WITH_BYTES 64
/* A TLS version as written: "TLSv1.3", "TLS1_2"; anything longer is no version. */
#define MAX_TLS_BYTES 16

/* The "with" protocol types whose S says STARTTLS was negotiated (RFC 3848
 * section 1; the UTF8 ones RFC 6531 section 3.7.3). */
static const char *const tls_protocols[] = {
	"ESMTPS", "ESMTPSA", "LMTPS", "LMTPSA", "UTF8SMTPS", "UTF8SMTPSA", "UTF8LMTPS", "UTF8LMTPSA",
};

typedef enum {
	CL_NONE,
	CL_FROM,
	CL_BY,
	CL_VIA,
	CL_WITH,
	CL_ID,
	CL_FOR,
} clause;

static const char *const clause_words[] = {
	[CL_FROM] = "from", [CL_BY] = "by", [CL_VIA] = "via",
	[CL_WITH] = "with", [CL_ID] = "id", [CL_FOR] = "for",
};

typedef struct {
	char *from, *by, *ip, *with, *id;
	char *helo; /* the HELO name a from comment gives apart from the from value */
	char *rdns; /* the reverse-DNS name the receiver wrote */
	char *tls;  /* what a comment or the protocol says of TLS */
	GDateTime *date;
} received;

static void received_clear(received *rc)
{
	g_free(rc->from);
	g_free(rc->by);
	g_free(rc->ip);
	g_free(rc->with);
	g_free(rc->id);
	g_free(rc->helo);
	g_free(rc->rdns);
	g_free(rc->tls);
	if (rc->date)
		g_date_time_unref(rc->date);
	memset(rc, 0, sizeof *rc);
}

static clause keyword_of(const char *w, size_t n)
{
	for (int c = CL_FROM; c <= CL_FOR; c++)
		if (strlen(clause_words[c]) == n && g_ascii_strncasecmp(w, clause_words[c], n) == 0)
			return (clause)c;
	return CL_NONE;
}

/* Index after the comment opening at s[i] == '(' (RFC 5322 3.2.2: comments
 * nest, a backslash quotes the next character); end when it never closes. */
static size_t skip_comment(const char *s, size_t i, size_t end)
{
	size_t depth = 0;
	while (i < end) {
		char c = s[i];
		if (c == '\\' && i + 1 < end) {
			i += 2;
			continue;
		}
		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return end;
}

/* Index after the word starting at s[i]: up to white space or a comment;
 * "[...]", "<...>" and "\"...\"" are kept whole whatever they hold. */
static size_t skip_word(const char *s, size_t i, size_t end)
{
	while (i < end) {
		char c = s[i];
		if (g_ascii_isspace(c) || c == '(')
			break;
		if (c == '[' || c == '<' || c == '"') {
			char close = c == '[' ? ']' : c == '<' ? '>' : '"';
			const char *q = i + 1 < end ? memchr(s + i + 1, close, end - i - 1) : NULL;
			i = q ? (size_t)(q - s) + 1 : end;
			continue;
		}
		i++;
	}
	return i;
}

/* The last ';' outside comments, or -1. */
static gssize last_semicolon(const char *s, size_t end)
{
	gssize semi = -1;
	size_t i = 0;
	while (i < end) {
		if (s[i] == '(') {
			i = skip_comment(s, i, end);
			continue;
		}
		if (s[i] == ';')
			semi = (gssize)i;
		i++;
	}
	return semi;
}

static bool is_ip(const char *s)
{
	return s && *s && g_hostname_is_ip_address(s);
}

/* "[1.2.3.4]", "[IPv6:2001:db8::1]" or a bare address -> the address, else NULL. */
static char *ip_of_literal(const char *w, size_t n)
{
	if (n >= 2 && w[0] == '[') {
		const char *close = memchr(w, ']', n);
		if (!close)
			return NULL;
		w++;
		n = (size_t)(close - w);
	}
	/* RFC 5321 4.1.3: IPv6 address literals carry an "IPv6:" tag. */
	if (n > 5 && g_ascii_strncasecmp(w, "IPv6:", 5) == 0) {
		w += 5;
		n -= 5;
	}
	g_autofree char *s = g_strndup(w, n);
	return is_ip(s) ? g_steal_pointer(&s) : NULL;
}

static bool looks_like_hostname(const char *s)
{
	return s && strchr(s, '.') && !is_ip(s) && g_ascii_strcasecmp(s, "unknown") != 0;
}

/* Looks in one comment of the from clause for the connecting host's address:
 * a bracketed literal first ("host [1.2.3.4]", "[1.2.3.4]:port helo=x"), then a
 * bare address ("(1.2.3.4)", Exchange's "(2603:10a6:...)"). */
static void comment_address(const char *s, size_t n, received *rc)
{
	g_autofree char *text = g_strndup(s, n);
	char *open = strchr(text, '[');
	if (open) {
		char *close = strchr(open, ']');
		if (close) {
			char *ip = ip_of_literal(open, (size_t)(close - open) + 1);
			if (ip) {
				rc->ip = ip;
				/* The word before the literal is the receiver's reverse DNS. */
				char *end = open;
				while (end > text && g_ascii_isspace(end[-1]))
					end--;
				char *start = end;
				while (start > text && !g_ascii_isspace(start[-1]) && start[-1] != '(')
					start--;
				g_autofree char *name = g_strndup(start, (size_t)(end - start));
				size_t len = strlen(name);
				if (len && name[len - 1] == '.')
					name[len - 1] = '\0';
				if (!rc->rdns && looks_like_hostname(name))
					rc->rdns = g_steal_pointer(&name);
				return;
			}
		}
	}
	g_auto(GStrv) words = g_strsplit_set(text, " \t,;=()", -1);
	for (int i = 0; words[i]; i++) {
		size_t len = strlen(words[i]);
		if (len && words[i][len - 1] == '.')
			words[i][len - 1] = '\0';
		/* qmail writes an authenticated client as "(user@1.2.3.4)". */
		const char *at = strrchr(words[i], '@');
		const char *cand = at ? at + 1 : words[i];
		if (is_ip(cand)) {
			rc->ip = g_strdup(cand);
			return;
		}
	}
}

/* The HELO name a comment of the from clause gives when the receiver wrote
 * it apart: "helo=x" ("([192.0.2.1]:4321 helo=x)"), "HELO x" ("(HELO x)");
 * NULL when it gives none. */
static char *comment_helo(const char *s, size_t n)
{
	for (size_t i = 0; i + 5 < n; i++) {
		if ((i > 0 && !g_ascii_isspace(s[i - 1])) || g_ascii_strncasecmp(s + i, "helo", 4) != 0 ||
		    (s[i + 4] != '=' && !g_ascii_isspace(s[i + 4])))
			continue;
		size_t start = i + 5;
		while (start < n && g_ascii_isspace(s[start]))
			start++;
		size_t end = start;
		while (end < n && !g_ascii_isspace(s[end]) && !strchr("),;", s[end]))
			end++;
		if (end > start)
			return g_strndup(s + start, end - start);
	}
	return NULL;
}

/* Bytes of the TLS or SSL version at s ("TLSv1.3", "TLS1_2", "SSLv3"), 0
 * when none starts there. */
static size_t version_word(const char *s, size_t n)
{
	if (n < 4 || (g_ascii_strncasecmp(s, "TLS", 3) != 0 && g_ascii_strncasecmp(s, "SSL", 3) != 0))
		return 0;
	size_t i = 3;
	if (s[i] == 'v' || s[i] == 'V')
		i++;
	if (i >= n || !g_ascii_isdigit(s[i]))
		return 0;
	while (i < n && (g_ascii_isdigit(s[i]) || s[i] == '.' || s[i] == '_'))
		i++;
	return i;
}

/* Bytes of the TLS version at s, OpenSSL's pair "TLSv1/SSLv3" too, when it
 * ends s or is followed by white space or one of ",:;)"; else 0
 * ("tls.example.com" is a host, not a version). */
static size_t tls_version_len(const char *s, size_t n)
{
	size_t i = version_word(s, n);
	if (i && i < n && s[i] == '/') {
		size_t second = version_word(s + i + 1, n - i - 1);
		if (second)
			i += 1 + second;
	}
	if (!i || (i < n && !g_ascii_isspace(s[i]) && !strchr(",:;)", s[i])))
		return 0;
	return i <= MAX_TLS_BYTES ? i : 0;
}

/* What one comment says of TLS, the version as written, or NULL: a comment
 * that is the version ("(TLS1.2)", "(TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256)"
 * after the protocol), "using TLSv1.3 with cipher ..." or "version=TLS1_2,
 * cipher=..." anywhere in it. */
static char *comment_tls(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && g_ascii_isspace(s[i]))
		i++;
	size_t v = tls_version_len(s + i, n - i);
	if (v && (i + v == n || s[i + v] == ':'))
		return g_strndup(s + i, v);
	if (n - i > 6 && g_ascii_strncasecmp(s + i, "using", 5) == 0 && g_ascii_isspace(s[i + 5])) {
		size_t w = i + 6;
		while (w < n && g_ascii_isspace(s[w]))
			w++;
		if ((v = tls_version_len(s + w, n - w)) != 0)
			return g_strndup(s + w, v);
	}
	for (size_t k = i; k + 8 < n; k++) {
		if ((k > 0 && !g_ascii_isspace(s[k - 1]) && s[k - 1] != ',') ||
		    g_ascii_strncasecmp(s + k, "version=", 8) != 0)
			continue;
		if ((v = tls_version_len(s + k + 8, n - k - 8)) != 0)
			return g_strndup(s + k + 8, v);
	}
	return NULL;
}

/* "yes (ESMTPS)" when the with protocol is one of tls_protocols, else NULL. */
static char *protocol_tls(const char *with)
{
	if (!with)
		return NULL;
	size_t n = strcspn(with, " \t");
	for (size_t k = 0; k < G_N_ELEMENTS(tls_protocols); k++)
		if (strlen(tls_protocols[k]) == n && g_ascii_strncasecmp(with, tls_protocols[k], n) == 0)
			return g_strdup_printf("yes (%.*s)", (int)n, with);
	return NULL;
}

/* A clause value as shown: a trailing comma dropped. */
static char *value_of(const char *w, size_t n)
{
	while (n > 0 && w[n - 1] == ',')
		n--;
	return n ? g_strndup(w, n) : NULL;
}

static bool weekday_word(const char *w, size_t n)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	if (n < 3)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(days); i++)
		if (g_ascii_strncasecmp(w, days[i], 3) == 0)
			return true;
	return false;
}

static bool month_word(const char *w, size_t n)
{
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec"};
	if (n < 3)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(months); i++)
		if (g_ascii_strncasecmp(w, months[i], 3) == 0)
			return true;
	return false;
}

/* A Received value without ";" (SendGrid writes "id X Wed, 09 Oct 2024 ..." and
 * "id X 2023-02-18 05:33:28.0019 +0000 UTC m=+642907.17"): does a date start at
 * s[i]?  The date runs to the end or to the first "key=value" word. */
static GDateTime *date_at(const char *s, size_t i, size_t end)
{
	size_t we = skip_word(s, i, end);
	size_t n = we - i;
	bool iso = n >= 10 && g_ascii_isdigit(s[i]) && s[i + 4] == '-' && s[i + 7] == '-';
	bool day = n >= 1 && n <= 2 && g_ascii_isdigit(s[i]);
	if (day) {
		size_t next = we;
		while (next < end && g_ascii_isspace(s[next]))
			next++;
		day = month_word(s + next, skip_word(s, next, end) - next);
	}
	if (!iso && !day && !weekday_word(s + i, n))
		return NULL;
	size_t cut = i;
	while (cut < end) {
		while (cut < end && g_ascii_isspace(s[cut]))
			cut++;
		if (cut >= end)
			break;
		size_t e = s[cut] == '(' ? skip_comment(s, cut, end) : skip_word(s, cut, end);
		if (e == cut)
			e = cut + 1;
		if (memchr(s + cut, '=', e - cut))
			break;
		cut = e;
	}
	g_autofree char *text = g_strndup(s + i, cut - i);
	return ks_date_parse(text);
}

/* The tokenizer over one Received value: fills rc, returns whether it read
 * as a Received header. */
static bool received_read(const char *raw, received *rc)
{
	size_t len = strnlen(raw, MAX_RECEIVED_BYTES + 1);
	if (len > MAX_RECEIVED_BYTES)
		return false;
	gssize semi = last_semicolon(raw, len);
	size_t clause_end = semi >= 0 ? (size_t)semi : len;
	if (semi >= 0) {
		g_autofree char *date = g_strndup(raw + semi + 1, len - (size_t)semi - 1);
		rc->date = ks_date_parse(date);
	}

	clause current = CL_NONE;
	bool want_value = false, with_open = false;
	bool seen[CL_FOR + 1] = {false};
	int keywords = 0, leading_comments = 0, strays = 0, date_tries = 0;
	GString *with = NULL;
	size_t i = 0;
	while (i < clause_end) {
		char c = raw[i];
		if (g_ascii_isspace(c)) {
			i++;
			continue;
		}
		if (c == '(') {
			size_t e = skip_comment(raw, i, clause_end);
			with_open = false;
			if (keywords == 0)
				leading_comments++;
			const char *inner = raw + i + 1;
			size_t inner_n = e > i + 1 ? (raw[e - 1] == ')' ? e - 1 : e) - (i + 1) : 0;
			if (current == CL_FROM && !rc->ip && inner_n)
				comment_address(inner, inner_n, rc);
			if (current == CL_FROM && !rc->helo)
				rc->helo = comment_helo(inner, inner_n);
			if (!rc->tls)
				rc->tls = comment_tls(inner, inner_n);
			i = e;
			continue;
		}
		size_t we = skip_word(raw, i, clause_end);
		if (we == i)
			we = i + 1;
		const char *w = raw + i;
		size_t n = we - i;
		clause kw = keyword_of(w, n);
		if (kw != CL_NONE && !want_value) {
			/* A repeated clause ("with MailboxResubmission by AntispamTT")
			 * is read past; the first one stands. */
			current = seen[kw] ? CL_NONE : kw;
			seen[kw] = true;
			want_value = current != CL_NONE;
			with_open = false;
			keywords++;
		} else if (want_value) {
			want_value = false;
			char *v = value_of(w, n);
			switch (current) {
			case CL_FROM: rc->from = v; break;
			case CL_BY: rc->by = v; break;
			case CL_ID: rc->id = v; break;
			case CL_WITH:
				with = g_string_new(v);
				with_open = true;
				g_free(v);
				break;
			default: g_free(v); break;
			}
		} else if (semi < 0 && date_tries < MAX_DATE_TRIES && !rc->date &&
		           (rc->date = date_at(raw, i, clause_end)) != NULL) {
			break;
		} else if (current == CL_FROM && !rc->ip && n > 2 && w[0] == '[') {
			/* "from host [1.2.3.4] by ...": the address outside a comment. */
			rc->ip = ip_of_literal(w, n);
		} else if (with_open && with && with->len + n + 1 <= MAX_WITH_BYTES) {
			g_string_append_c(with, ' ');
			g_string_append_len(with, w, (gssize)n);
		} else if (keywords == 0) {
			strays++;
		}
		if (semi < 0 && kw == CL_NONE)
			date_tries++;
		i = we;
	}
	if (with)
		rc->with = g_string_free(with, FALSE);

	/* No address in the comments: the from value may itself be a literal
	 * ("from [1.2.3.4]", "from [::1] (port=2470 helo=x)"). */
	if (!rc->ip && rc->from)
		rc->ip = ip_of_literal(rc->from, strlen(rc->from));
	/* A receiver that writes the HELO apart puts the name it looked up for
	 * the address in the from value ("from NAME ([ip] helo=x)", "from NAME
	 * (HELO x) (ip)"); a literal or "unknown" there means it found none. */
	if (rc->helo && !rc->rdns && rc->from && rc->from[0] != '[' && looks_like_hostname(rc->from))
		rc->rdns = g_strdup(rc->from);
	if (!rc->tls)
		rc->tls = protocol_tls(rc->with);

	if (rc->from || rc->by)
		return true;
	/* "(qmail 4441 invoked from network); 2 Feb 2023 01:42:45 -0000": a
	 * comment and a date, nothing else, is how qmail writes it. */
	if (rc->date && strays == 0 && (keywords > 0 || leading_comments > 0))
		return true;
	return false;
}

static void hop_fill(ks_hop *hop, const char *raw, received *rc, bool ok)
{
	g_free(hop->from);
	g_free(hop->by);
	g_free(hop->ip);
	g_free(hop->with);
	g_free(hop->id);
	g_free(hop->helo);
	g_free(hop->rdns);
	g_free(hop->tls);
	g_free(hop->raw);
	if (hop->date)
		g_date_time_unref(hop->date);
	hop->raw = ks_report_line(raw ? raw : "");
	hop->from = ks_report_line(rc->from);
	hop->by = ks_report_line(rc->by);
	hop->ip = ks_report_line(rc->ip);
	hop->with = ks_report_line(rc->with);
	hop->id = ks_report_line(rc->id);
	hop->helo = ks_report_line(rc->helo);
	hop->rdns = ks_report_line(rc->rdns);
	hop->tls = ks_report_line(rc->tls);
	hop->date = rc->date ? g_date_time_ref(rc->date) : NULL;
	hop->parsed = ok;
}

bool ks_received_parse(const char *raw, ks_hop *hop)
{
	if (!hop)
		return false;
	received rc = {0};
	bool ok = raw && received_read(raw, &rc);
	hop_fill(hop, raw, &rc, ok);
	received_clear(&rc);
	return ok;
}

/* ---- bulk services ---------------------------------------------------- */

typedef enum {
	FP_HOST,
	FP_BY_PREFIX,
	FP_HEADER,
	FP_HEADER_PREFIX,
	FP_HEADER_VALUE,
} fp_kind;

typedef struct {
	char *service;
	fp_kind kind;
	char *pattern;
	char *substring;
} fingerprint;

static void fingerprint_free(fingerprint *f)
{
	g_free(f->service);
	g_free(f->pattern);
	g_free(f->substring);
	g_free(f);
}

static const struct {
	const char *name;
	fp_kind kind;
} fp_kinds[] = {
	{"host", FP_HOST},
	{"by-prefix", FP_BY_PREFIX},
	{"header", FP_HEADER},
	{"header-prefix", FP_HEADER_PREFIX},
	{"header-value", FP_HEADER_VALUE},
};

/* bulk_services.txt as rows; lines that do not fit the format are skipped. */
static GPtrArray *fingerprints_read(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)fingerprint_free);
	const GPtrArray *lines = ks_data_lines("bulk_services.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(lines, i), "|", 4);
		if (!f[0] || !f[1] || !f[2])
			continue;
		for (size_t k = 0; k < G_N_ELEMENTS(fp_kinds); k++) {
			if (strcmp(g_strstrip(f[1]), fp_kinds[k].name) != 0)
				continue;
			if (fp_kinds[k].kind == FP_HEADER_VALUE && !f[3])
				break;
			fingerprint *fp = g_new0(fingerprint, 1);
			fp->service = g_strdup(g_strstrip(f[0]));
			fp->kind = fp_kinds[k].kind;
			fp->pattern = g_ascii_strdown(g_strstrip(f[2]), -1);
			fp->substring = f[3] ? g_ascii_strdown(g_strstrip(f[3]), -1) : NULL;
			g_ptr_array_add(out, fp);
			break;
		}
	}
	return out;
}

/* fingerprints_read once, for the program's life (ks_data_lines keeps the
 * file as long): splitting 47 rows per message was a tenth of routing's time. */
static const GPtrArray *fingerprints(void)
{
	static GPtrArray *rows;
	if (g_once_init_enter(&rows))
		g_once_init_leave(&rows, fingerprints_read());
	return rows;
}

/* host (as a Received line spells it, perhaps with the root's dot) is
 * domain or under it ("o1.sendgrid.net." in "sendgrid.net"). */
static bool host_in(const char *host, const char *domain)
{
	if (!host || !*domain)
		return false;
	size_t hl = strlen(host);
	if (hl && host[hl - 1] == '.') {
		g_autofree char *bare = g_strndup(host, hl - 1);
		return ks_host_under(bare, domain);
	}
	return ks_host_under(host, domain);
}

char *ks_routing_bulk_domain(const char *org)
{
	const GPtrArray *lines = ks_data_lines("bulk_services.txt");
	for (guint i = 0; org && lines && i < lines->len; i++) {
		g_auto(GStrv) f = g_strsplit(g_ptr_array_index(lines, i), "|", 4);
		const char *kind = f[0] && f[1] ? g_strstrip(f[1]) : "";
		if (!f[2] || (strcmp(kind, "host") != 0 && strcmp(kind, "tracker") != 0))
			continue;
		const char *domain = g_strstrip(f[2]);
		if (g_ascii_strcasecmp(domain, org) == 0 || host_in(domain, org))
			return g_strdup(g_strstrip(f[0]));
	}
	return NULL;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return s && g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The host of hop that matches fp, or NULL.  A host fingerprint counts where
 * mail leaves the service (from inside, by outside): hops inside the service,
 * and mail *to* one of its users, are not "carried by" it. */
static const char *hop_match(const ks_hop *hop, const fingerprint *fp)
{
	if (fp->kind == FP_BY_PREFIX)
		return has_prefix_ci(hop->by, fp->pattern) ? hop->by : NULL;
	if (fp->kind != FP_HOST)
		return NULL;
	if (host_in(hop->by, fp->pattern))
		return NULL;
	if (host_in(hop->rdns, fp->pattern))
		return hop->rdns;
	if (host_in(hop->from, fp->pattern))
		return hop->from;
	return NULL;
}

static bool header_match(const ks_raw_header *h, const fingerprint *fp)
{
	if (!h->name)
		return false;
	switch (fp->kind) {
	case FP_HEADER:
		return g_ascii_strcasecmp(h->name, fp->pattern) == 0;
	case FP_HEADER_PREFIX:
		return has_prefix_ci(h->name, fp->pattern);
	case FP_HEADER_VALUE: {
		if (g_ascii_strcasecmp(h->name, fp->pattern) != 0)
			return false;
		const char *v = h->value ? h->value : h->raw_value;
		g_autofree char *lower = v ? g_ascii_strdown(v, -1) : NULL;
		return lower && strstr(lower, fp->substring);
	}
	default:
		return false;
	}
}

/* One finding per service, at its first evidence; r->bulk_service is the
 * first service seen walking from the origin. */
static void note_service(ks_report *r, GHashTable *done, const char *service,
                         const char *location, const char *what)
{
	if (g_hash_table_contains(done, service))
		return;
	g_hash_table_add(done, g_strdup(service));
	if (!r->bulk_service)
		r->bulk_service = ks_report_line(service);
	ks_report_add_finding(r, KS_RULE_ROUTING_BULK_SERVICE, location, "%s: %s", service, what);
}

static void detect_bulk(const ks_message *m, ks_report *r)
{
	const GPtrArray *fps = fingerprints();
	g_autoptr(GHashTable) done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < r->hops->len; i++) {
		const ks_hop *hop = g_ptr_array_index(r->hops, i);
		for (guint k = 0; k < fps->len; k++) {
			const fingerprint *fp = g_ptr_array_index(fps, k);
			const char *host = hop_match(hop, fp);
			if (!host)
				continue;
			g_autofree char *loc = g_strdup_printf("hop:%d", hop->index);
			g_autofree char *what = g_strdup_printf("Received hop %d names %s", hop->index, host);
			note_service(r, done, fp->service, loc, what);
		}
	}
	for (guint i = 0; m->headers && i < m->headers->len; i++) {
		const ks_raw_header *h = g_ptr_array_index(m->headers, i);
		for (guint k = 0; k < fps->len; k++) {
			const fingerprint *fp = g_ptr_array_index(fps, k);
			if (!header_match(h, fp))
				continue;
			g_autofree char *loc = g_strdup_printf("header:%s", h->name);
			g_autofree char *what =
				fp->kind == FP_HEADER_VALUE
					? g_strdup_printf("header %s contains \"%s\"", h->name, fp->substring)
					: g_strdup_printf("header %s is present", h->name);
			note_service(r, done, fp->service, loc, what);
		}
	}
}

/* ---- the analyzer ----------------------------------------------------- */

/* What a reversal of back seconds says, and how much it counts. */
static ks_severity reversal_severity(int64_t back, const char **why)
{
	int64_t hours = (back + ZONE_SLACK_SECONDS) / 3600;
	if (back <= CLOCK_DRIFT_SECONDS) {
		*why = " (within the drift of real servers' clocks)";
		return KS_SEV_INFO;
	}
	if (back > ZONE_SPAN_SECONDS + ZONE_SLACK_SECONDS) {
		*why = " (more than any time-zone mistake: a forged or replayed Received header)";
		return KS_SEV_MEDIUM;
	}
	if (back - hours * 3600 <= ZONE_SLACK_SECONDS)
		*why = " (whole hours, as a clock set to the wrong time zone gives, or a forged hop)";
	else
		*why = "";
	return KS_SEV_LOW;
}

static void check_delays(ks_report *r)
{
	for (guint i = 1; i < r->hops->len; i++) {
		ks_hop *prev = g_ptr_array_index(r->hops, i - 1);
		ks_hop *hop = g_ptr_array_index(r->hops, i);
		if (!prev->date || !hop->date)
			continue;
		/* Signed on purpose: a negative delay is the evidence. */
		hop->delay_seconds = g_date_time_difference(hop->date, prev->date) / G_TIME_SPAN_SECOND;
		hop->has_delay = true;
		if (hop->delay_seconds >= -CLOCK_SKEW_SECONDS)
			continue;
		const char *why = "";
		ks_severity sev = reversal_severity(-hop->delay_seconds, &why);
		hop->suspicious = sev > KS_SEV_INFO;
		g_autofree char *loc = g_strdup_printf("hop:%d", hop->index);
		g_autofree char *t1 = ks_time_format(prev->date);
		g_autofree char *t2 = ks_time_format(hop->date);
		ks_report_add_finding_sev(r, KS_RULE_ROUTING_DATE_REVERSED, sev, loc,
		                          "hop %d at %s is %" G_GINT64_FORMAT
		                          " s earlier than hop %d at %s%s",
		                          hop->index, t2, -hop->delay_seconds, prev->index, t1, why);
	}
}

void ks_routing_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)ctx;
	if (!m || !r)
		return;
	g_autoptr(GPtrArray) received_headers = ks_message_headers_named(m, "Received");
	guint total = received_headers->len;
	guint count = MIN(total, MAX_HOPS);
	if (total > MAX_HOPS)
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, "header:Received",
		                      "%u Received headers; only the %u nearest the recipient were read",
		                      total, (guint)MAX_HOPS);
	/* Origin first: hop 0 is the last Received header; when there are too
	 * many, the ones the recipient's side wrote (the first) are kept. */
	for (guint n = 0; n < count; n++) {
		const ks_raw_header *h = g_ptr_array_index(received_headers, count - 1 - n);
		ks_hop *hop = ks_hop_new();
		hop->index = (int)n;
		hop->header_index = (int)(count - 1 - n);
		received rc = {0};
		bool ok = h->raw_value && received_read(h->raw_value, &rc);
		hop_fill(hop, h->raw_value, &rc, ok);
		received_clear(&rc);
		g_ptr_array_add(r->hops, hop);
		if (!ok) {
			g_autofree char *loc = g_strdup_printf("hop:%u", n);
			g_autofree char *shown = g_utf8_substring(hop->raw, 0,
			                                          MIN(g_utf8_strlen(hop->raw, -1), 120));
			ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
			                      "Received header could not be read: \"%s\"", shown);
		}
	}
	check_delays(r);
	detect_bulk(m, r);
}
