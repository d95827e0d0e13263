/* Analyzer: what the receiving servers said about SPF, DKIM and DMARC.
 *
 * Here live the Authentication-Results parser (RFC 8601 section 2.2, with the
 * forms Microsoft 365 and Gmail really write) and the trust decision: only the
 * results written by the trusted receiver count.  That is the top-most header
 * (plus any others carrying its authserv-id, since one receiver may write
 * several), or, when the analyst configured authserv-ids, exactly those.  A
 * sender can put any Authentication-Results it likes into its own message
 * (RFC 8601 sections 5 and 7.1), so every other one is reported as ignored.
 * ARC-Authentication-Results (RFC 8617) are a different header and are not
 * read at all; of ARC only the highest ARC-Seal's cv= is kept, as what the
 * last sealer said of the chain (no signature is verified here).  The
 * top-most Received-SPF (RFC 7208 section 9.1) is kept, and stands in for
 * SPF when no trusted header gives one.  Result words are normalised
 * through analyzers/data/auth_results.txt. */
#include "checks/auth.h"

#include "mail/charset.h"
#include "core/data.h"

#include <string.h>

/* A real message carries a handful of DKIM signatures and A-R headers; these
 * bound the work a hostile header can cause. */
#define MAX_DKIM_DOMAINS 64
#define MAX_UNTRUSTED_FINDINGS 10
#define MAX_IGNORED_IDS 32
#define MAX_EVIDENCE_CHARS 300
/* RFC 8617 section 4.2.1: ARC instances run from 1 to 50. */
#define MAX_ARC_INSTANCE 50
/* An ARC-Seal has six tags (RFC 8617 section 4.1.3); more are read past. */
#define MAX_SEAL_TAGS 32

static const char *const spec_words[] = {
	"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror",
};

const char *ks_authres_normalize(const char *word)
{
	if (!word || !*word)
		return NULL;
	size_t n = strlen(word);
	const GPtrArray *lines = ks_data_lines("auth_results.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		const char *line = g_ptr_array_index(lines, i);
		size_t key = strcspn(line, " \t");
		if (key != n || g_ascii_strncasecmp(line, word, n) != 0)
			continue;
		const char *mapped = line + key + strspn(line + key, " \t");
		for (size_t k = 0; k < G_N_ELEMENTS(spec_words); k++)
			if (strcmp(mapped, spec_words[k]) == 0)
				return spec_words[k];
		break;
	}
	return "neutral";
}

ks_auth_verdict ks_auth_verdict_of(const char *word)
{
	static const ks_auth_verdict verdicts[] = {
		KS_AUTH_PASS, KS_AUTH_FAIL, KS_AUTH_SOFTFAIL, KS_AUTH_NEUTRAL,
		KS_AUTH_NONE, KS_AUTH_TEMPERROR, KS_AUTH_PERMERROR,
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(verdicts) == G_N_ELEMENTS(spec_words));
	if (!word)
		return KS_AUTH_ABSENT;
	for (size_t k = 0; k < G_N_ELEMENTS(spec_words); k++)
		if (g_ascii_strcasecmp(word, spec_words[k]) == 0)
			return verdicts[k];
	return KS_AUTH_NEUTRAL;
}

bool ks_auth_verdict_failed(ks_auth_verdict v)
{
	return v == KS_AUTH_FAIL || v == KS_AUTH_SOFTFAIL;
}

bool ks_auth_failed(const ks_auth *a)
{
	return ks_auth_verdict_failed(ks_auth_verdict_of(a->spf)) ||
	       ks_auth_verdict_failed(ks_auth_verdict_of(a->dkim)) ||
	       ks_auth_verdict_failed(ks_auth_verdict_of(a->dmarc));
}

/* ---- the parser: a cursor over the value, never past its end ---- */

typedef struct {
	const char *p;
	const char *end;
} cursor;

static bool at_end(const cursor *c)
{
	return c->p >= c->end;
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* A comment, at its '(': nested comments and quoted-pairs (RFC 5322 section
 * 3.2.2) counted without recursion; an unclosed one runs to the end. */
static void skip_comment(cursor *c)
{
	long depth = 0;
	while (!at_end(c)) {
		char ch = *c->p++;
		if (ch == '\\' && !at_end(c))
			c->p++;
		else if (ch == '(')
			depth++;
		else if (ch == ')' && --depth == 0)
			return;
	}
}

static void skip_cfws(cursor *c)
{
	while (!at_end(c)) {
		if (is_ws(*c->p))
			c->p++;
		else if (*c->p == '(')
			skip_comment(c);
		else
			break;
	}
}

/* A quoted-string (RFC 5322 section 3.2.4), at its '"', unescaped. */
static char *read_quoted(cursor *c)
{
	GString *s = g_string_new(NULL);
	c->p++;
	while (!at_end(c)) {
		char ch = *c->p++;
		if (ch == '"')
			break;
		if (ch == '\\' && !at_end(c))
			ch = *c->p++;
		g_string_append_c(s, ch);
	}
	return g_string_free(s, FALSE);
}

/* Keywords and property names stop at '=' and '/' (RFC 2045 tspecials);
 * values take them, because real headers carry unquoted base64 (header.b=)
 * and addresses such as "bounces+x=example.com@example.net". */
static bool is_stop(char ch, bool value)
{
	if (is_ws(ch) || ch == '(' || ch == ')' || ch == '"' || ch == ';')
		return true;
	return !value && (ch == '=' || ch == '/');
}

/* A token, or NULL (nothing consumed) when none starts here. */
static char *read_token(cursor *c, bool value)
{
	const char *start = c->p;
	while (!at_end(c) && !is_stop(*c->p, value))
		c->p++;
	return c->p > start ? g_strndup(start, (gsize)(c->p - start)) : NULL;
}

static char *read_value(cursor *c)
{
	if (!at_end(c) && *c->p == '"')
		return read_quoted(c);
	return read_token(c, true);
}

/* On to the next ';' that is not inside a comment or a quoted-string. */
static void skip_to_semicolon(cursor *c)
{
	while (!at_end(c) && *c->p != ';') {
		if (*c->p == '(')
			skip_comment(c);
		else if (*c->p == '"')
			g_free(read_quoted(c));
		else
			c->p++;
	}
}

/* The resinfo as written, white space collapsed, for evidence. */
static char *segment_text(const char *start, const char *end)
{
	GString *s = g_string_new(NULL);
	bool space = false;
	for (const char *p = start; p < end; p++) {
		if (is_ws(*p)) {
			space = s->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(s, ' ');
		space = false;
		g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

/* Lower is better: pass, then fail (the one an analyst must see when no
 * signature verified), then the other verdicts, then none. */
static int dkim_rank(const char *result)
{
	if (!result)
		return 99;
	if (strcmp(result, "pass") == 0)
		return 0;
	if (strcmp(result, "fail") == 0)
		return 1;
	if (strcmp(result, "none") == 0)
		return 3;
	return 2;
}

static void add_domain(GPtrArray *list, const char *domain)
{
	if (!domain || !*domain || g_ascii_strcasecmp(domain, "none") == 0)
		return;
	g_autofree char *d = g_ascii_strdown(domain, -1);
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), d) == 0)
			return;
	if (list->len < MAX_DKIM_DOMAINS)
		g_ptr_array_add(list, g_steal_pointer(&d));
}

typedef struct {
	const char *start, *end; /* the resinfo as written */
	char *method, *result;
	char *d, *i;             /* header.d=, header.i= */
} resinfo;

static void resinfo_apply(const resinfo *ri, ks_authres *out)
{
	const char *result = ks_authres_normalize(ri->result);
	if (!result)
		return;
	if (g_ascii_strcasecmp(ri->method, "spf") == 0 && !out->spf) {
		out->spf = g_strdup(result);
		out->spf_text = segment_text(ri->start, ri->end);
	} else if (g_ascii_strcasecmp(ri->method, "dmarc") == 0 && !out->dmarc) {
		out->dmarc = g_strdup(result);
		out->dmarc_text = segment_text(ri->start, ri->end);
	} else if (g_ascii_strcasecmp(ri->method, "dkim") == 0) {
		if (dkim_rank(result) < dkim_rank(out->dkim)) {
			g_free(out->dkim);
			g_free(out->dkim_text);
			out->dkim = g_strdup(result);
			out->dkim_text = segment_text(ri->start, ri->end);
		}
		if (ri->d) {
			add_domain(out->dkim_domains, ri->d);
		} else if (ri->i) {
			const char *at = strrchr(ri->i, '@');
			add_domain(out->dkim_domains, at ? at + 1 : ri->i);
		}
	}
}

/* One resinfo (RFC 8601 section 2.2):
 *   method[/version] = result [reason=value] [ptype.property=value ...]
 * Leaves the cursor at the ';' that ends it, or at the end. */
static void parse_resinfo(cursor *c, ks_authres *out, bool first)
{
	resinfo ri = {.start = c->p};
	ri.method = read_token(c, false);
	skip_cfws(c);
	if (ri.method && !at_end(c) && *c->p == '/') {
		c->p++;
		skip_cfws(c);
		g_free(read_token(c, false));
		skip_cfws(c);
	}
	if (!ri.method || at_end(c) || *c->p != '=') {
		/* "authserv-id; none" (RFC 8601 section 2.2 no-result) */
		if (first && ri.method && g_ascii_strcasecmp(ri.method, "none") == 0 &&
		    (at_end(c) || *c->p == ';'))
			out->none = true;
		else
			out->ok = false;
		skip_to_semicolon(c);
		g_free(ri.method);
		return;
	}
	c->p++;
	skip_cfws(c);
	ri.result = read_token(c, false);
	if (!ri.result)
		out->ok = false;
	ri.end = c->p;
	/* every pass consumes a name or leaves the loop, so this ends */
	for (;;) {
		skip_cfws(c);
		if (at_end(c) || *c->p == ';')
			break;
		g_autofree char *key = read_token(c, false);
		skip_cfws(c);
		if (!key || at_end(c) || *c->p != '=') {
			out->ok = false;
			skip_to_semicolon(c);
			break;
		}
		c->p++;
		skip_cfws(c);
		g_autofree char *val = read_value(c);
		ri.end = c->p;
		if (g_ascii_strcasecmp(key, "header.d") == 0 && !ri.d)
			ri.d = g_steal_pointer(&val);
		else if (g_ascii_strcasecmp(key, "header.i") == 0 && !ri.i)
			ri.i = g_steal_pointer(&val);
	}
	/* keep a trailing comment ("dkim=none (message not signed)") in the text */
	const char *e = c->p;
	while (e > ri.end && is_ws(e[-1]))
		e--;
	ri.end = e;
	if (ri.result)
		resinfo_apply(&ri, out);
	g_free(ri.method);
	g_free(ri.result);
	g_free(ri.d);
	g_free(ri.i);
}

bool ks_authres_parse(const char *value, ks_authres *out)
{
	memset(out, 0, sizeof *out);
	out->dkim_domains = g_ptr_array_new_with_free_func(g_free);
	if (!value)
		return false;
	out->ok = true;
	cursor c = {value, value + strlen(value)};
	skip_cfws(&c);
	const char *id_start = c.p;
	char *id = (!at_end(&c) && *c.p == '"') ? read_quoted(&c) : read_token(&c, false);
	skip_cfws(&c);
	bool first = true;
	if (!at_end(&c) && (*c.p == '=' || *c.p == '/')) {
		/* No authserv-id: Exchange Online starts with the first resinfo
		 * ("spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=..."). */
		g_free(id);
		c.p = id_start;
		parse_resinfo(&c, out, false);
		first = false;
	} else {
		if (id && *id)
			out->authserv_id = id;
		else
			g_free(id);
		if (!out->authserv_id)
			out->ok = false;
		/* authres-version: 1*DIGIT after the authserv-id (RFC 8601 section 2.2) */
		if (!at_end(&c) && g_ascii_isdigit(*c.p)) {
			g_autofree char *version = read_token(&c, false);
			for (const char *p = version; p && *p; p++)
				if (!g_ascii_isdigit(*p))
					out->ok = false;
			skip_cfws(&c);
		}
		if (at_end(&c))
			out->ok = false; /* neither "none" nor any resinfo */
		else if (*c.p != ';') {
			out->ok = false;
			skip_to_semicolon(&c);
		}
	}
	/* each pass consumes at least the ';', so this ends */
	while (!at_end(&c)) {
		c.p++;
		skip_cfws(&c);
		if (at_end(&c))
			break;
		if (*c.p == ';')
			continue;
		parse_resinfo(&c, out, first);
		first = false;
		skip_cfws(&c);
		if (!at_end(&c) && *c.p != ';') {
			out->ok = false;
			skip_to_semicolon(&c);
		}
	}
	return out->ok;
}

void ks_authres_clear(ks_authres *a)
{
	if (!a)
		return;
	g_free(a->authserv_id);
	g_free(a->spf);
	g_free(a->dkim);
	g_free(a->dmarc);
	g_free(a->spf_text);
	g_free(a->dkim_text);
	g_free(a->dmarc_text);
	if (a->dkim_domains)
		g_ptr_array_unref(a->dkim_domains);
	memset(a, 0, sizeof *a);
}

/* ---- the analyzer ---- */

static void authres_free(ks_authres *a)
{
	ks_authres_clear(a);
	g_free(a);
}

/* The headers of that name in message order.  Walks m->headers directly
 * rather than ks_message_headers_named, so hand-built messages in tests
 * work the same as parsed ones. */
static GPtrArray *headers_named(const ks_message *m, const char *name)
{
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; m->headers && i < m->headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(m->headers, i);
		if (h && h->name && h->value && g_ascii_strcasecmp(h->name, name) == 0)
			g_ptr_array_add(out, h);
	}
	return out;
}

static bool same_id(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return g_ascii_strcasecmp(a, b) == 0;
}

/* How many Received headers come before each Authentication-Results header:
 * a header below another Received line than the top-most one was already in
 * the message when the trusted receiver got it, whatever authserv-id it
 * claims (RFC 8601 5: receivers should, but do not always, delete forged
 * ones), so it is never trusted by default. */
static GArray *received_above(const ks_message *m)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));
	guint received = 0;
	for (guint i = 0; m->headers && i < m->headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(m->headers, i);
		if (!h || !h->name)
			continue;
		if (g_ascii_strcasecmp(h->name, "Received") == 0)
			received++;
		else if (h->value && g_ascii_strcasecmp(h->name, "Authentication-Results") == 0)
			g_array_append_val(out, received);
	}
	return out;
}

static bool is_trusted(const ks_authres *a, const ks_authres *top, const ks_context *ctx,
                       bool same_block)
{
	if (ctx && ctx->authserv_ids && ctx->authserv_ids->len > 0) {
		for (guint i = 0; a->authserv_id && i < ctx->authserv_ids->len; i++)
			if (g_ascii_strcasecmp(a->authserv_id, g_ptr_array_index(ctx->authserv_ids, i)) == 0)
				return true;
		return false;
	}
	/* Exchange Online writes no authserv-id, so there is nothing to match a
	 * lower header on: only the top-most one counts. */
	if (!top->authserv_id)
		return a == top;
	return a == top || (same_block && same_id(a->authserv_id, top->authserv_id));
}

/* Shortened on a character boundary, so evidence stays readable. */
static char *shorten(const char *s)
{
	if (!s)
		return g_strdup("");
	if (g_utf8_validate(s, -1, NULL)) {
		if (g_utf8_strlen(s, -1) <= MAX_EVIDENCE_CHARS)
			return g_strdup(s);
		g_autofree char *cut = g_utf8_substring(s, 0, MAX_EVIDENCE_CHARS);
		return g_strconcat(cut, "…", NULL);
	}
	return strlen(s) <= MAX_EVIDENCE_CHARS ? g_strdup(s) : g_strndup(s, MAX_EVIDENCE_CHARS);
}

static const char *id_or_none(const char *id)
{
	return id ? id : "(no authserv-id)";
}

/* What an ignored header claimed, e.g. "spf=pass dkim=pass dmarc=pass". */
static char *claims(const ks_authres *a)
{
	GString *s = g_string_new(NULL);
	if (a->spf)
		g_string_append_printf(s, "spf=%s ", a->spf);
	if (a->dkim)
		g_string_append_printf(s, "dkim=%s ", a->dkim);
	if (a->dmarc)
		g_string_append_printf(s, "dmarc=%s ", a->dmarc);
	if (s->len == 0)
		g_string_append(s, "no spf, dkim or dmarc result");
	else
		g_string_truncate(s, s->len - 1);
	return g_string_free(s, FALSE);
}

/* Merges one trusted header into the running verdict: the top-most result
 * per method wins, except DKIM, where the best over all of them does. */
static void merge(ks_authres *acc, const ks_authres *a)
{
	if (!acc->authserv_id && a->authserv_id)
		acc->authserv_id = g_strdup(a->authserv_id);
	if (!acc->spf && a->spf) {
		acc->spf = g_strdup(a->spf);
		acc->spf_text = g_strdup(a->spf_text);
	}
	if (!acc->dmarc && a->dmarc) {
		acc->dmarc = g_strdup(a->dmarc);
		acc->dmarc_text = g_strdup(a->dmarc_text);
	}
	if (a->dkim && dkim_rank(a->dkim) < dkim_rank(acc->dkim)) {
		g_free(acc->dkim);
		g_free(acc->dkim_text);
		acc->dkim = g_strdup(a->dkim);
		acc->dkim_text = g_strdup(a->dkim_text);
	}
	for (guint i = 0; i < a->dkim_domains->len; i++)
		add_domain(acc->dkim_domains, g_ptr_array_index(a->dkim_domains, i));
}

/* The untrusted headers, one group per authserv-id: ProtonMail, for one,
 * writes a header per method, and one finding per writer reads better. */
typedef struct {
	ks_authres said; /* its claims merged as if trusted */
	guint headers;
} untrusted_group;

static void group_free(untrusted_group *g)
{
	ks_authres_clear(&g->said);
	g_free(g);
}

static void group_add(GPtrArray *groups, const ks_authres *a, guint *overflow)
{
	untrusted_group *g = NULL;
	for (guint i = 0; !g && i < groups->len; i++) {
		untrusted_group *x = g_ptr_array_index(groups, i);
		if (same_id(x->said.authserv_id, a->authserv_id))
			g = x;
	}
	if (!g) {
		if (groups->len >= MAX_IGNORED_IDS) {
			++*overflow;
			return;
		}
		g = g_new0(untrusted_group, 1);
		g->said.dkim_domains = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(groups, g);
	}
	merge(&g->said, a);
	g->headers++;
}

static void report_untrusted(ks_report *r, GPtrArray *groups, guint overflow,
                             const ks_authres *top, const ks_context *ctx)
{
	bool configured = ctx && ctx->authserv_ids && ctx->authserv_ids->len > 0;
	g_autofree char *trusted = shorten(id_or_none(top ? top->authserv_id : NULL));
	for (guint i = 0; i < groups->len; i++) {
		const untrusted_group *g = g_ptr_array_index(groups, i);
		g_ptr_array_add(r->auth.ignored, ks_report_line(id_or_none(g->said.authserv_id)));
		if (i >= MAX_UNTRUSTED_FINDINGS) {
			overflow += g->headers;
			continue;
		}
		g_autofree char *said = claims(&g->said);
		g_autofree char *id = shorten(id_or_none(g->said.authserv_id));
		const char *what = g->headers == 1 ? "header" : "headers";
		if (configured)
			ks_report_add_finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS,
			                      "header:Authentication-Results",
			                      "ignored %u Authentication-Results %s from %s, not a "
			                      "configured authserv-id; they claimed %s",
			                      g->headers, what, id, said);
		else
			ks_report_add_finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS,
			                      "header:Authentication-Results",
			                      "ignored %u Authentication-Results %s from %s below the "
			                      "receiver's (%s); they claimed %s",
			                      g->headers, what, id, trusted, said);
	}
	if (overflow > 0)
		ks_report_add_finding(r, KS_RULE_AUTH_UNTRUSTED_RESULTS, "header:Authentication-Results",
		                      "%u more untrusted Authentication-Results headers ignored", overflow);
}

/* The top-most Received-SPF, RFC 7208 section 9.1: "Received-SPF: result
 * (comment) key=value; ...": its result word normalised (NULL when there is
 * none), and *text the value as written, for evidence. */
static const char *received_spf(const ks_message *m, char **text)
{
	g_autoptr(GPtrArray) list = headers_named(m, "Received-SPF");
	if (list->len == 0)
		return NULL;
	ks_raw_header *h = g_ptr_array_index(list, 0);
	cursor c = {h->value, h->value + strlen(h->value)};
	skip_cfws(&c);
	g_autofree char *word = read_token(&c, false);
	const char *result = ks_authres_normalize(word);
	if (result)
		*text = segment_text(h->value, h->value + strlen(h->value));
	return result;
}

/* One ARC-Seal's i= and cv= (a tag list, RFC 6376 section 3.2: names in
 * their case, white space around values; tags as RFC 8617 section 4.1.3
 * names them): false unless i= is an instance of 1 to 50; *cv is "pass",
 * "fail" or "none" (any case), or NULL for anything else. */
static bool arc_seal_read(const char *value, int *instance, const char **cv)
{
	static const char *const cv_words[] = {"pass", "fail", "none"};
	*instance = 0;
	*cv = NULL;
	g_auto(GStrv) tags = g_strsplit(value, ";", MAX_SEAL_TAGS);
	for (int k = 0; tags[k]; k++) {
		char *eq = strchr(tags[k], '=');
		if (!eq)
			continue;
		*eq = '\0';
		const char *name = g_strstrip(tags[k]);
		const char *v = g_strstrip(eq + 1);
		if (strcmp(name, "i") == 0 && *instance == 0 && *v && strlen(v) <= 2 &&
		    strspn(v, "0123456789") == strlen(v))
			*instance = (int)g_ascii_strtoull(v, NULL, 10);
		else if (strcmp(name, "cv") == 0 && !*cv)
			for (size_t w = 0; w < G_N_ELEMENTS(cv_words); w++)
				if (g_ascii_strcasecmp(v, cv_words[w]) == 0)
					*cv = cv_words[w];
	}
	return *instance >= 1 && *instance <= MAX_ARC_INSTANCE;
}

/* What the ARC-Seal of the highest instance says of the chain it sealed
 * (cv=, RFC 8617 section 4.1.3), the top-most of that instance; NULL when
 * the message has no ARC header at all.  A chain whose highest seal cannot
 * be read, or that has ARC headers but no seal, is "fail", as RFC 8617
 * section 5.2 step 3 judges a chain that is not whole. */
static const char *arc_chain(const ks_message *m)
{
	bool any = false;
	int top = 0;
	const char *cv = NULL;
	for (guint i = 0; m->headers && i < m->headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(m->headers, i);
		if (!h || !h->name || !h->value || g_ascii_strncasecmp(h->name, "ARC-", 4) != 0)
			continue;
		if (g_ascii_strcasecmp(h->name, "ARC-Seal") != 0) {
			any = any || g_ascii_strcasecmp(h->name, "ARC-Message-Signature") == 0 ||
			      g_ascii_strcasecmp(h->name, "ARC-Authentication-Results") == 0;
			continue;
		}
		any = true;
		int instance;
		const char *said;
		if (arc_seal_read(h->value, &instance, &said) && instance > top) {
			top = instance;
			cv = said;
		}
	}
	if (!any)
		return NULL;
	return cv ? cv : "fail";
}

/* Exchange Online writes the whole value as RFC 2047 encoded-words when
 * header.from= holds non-ASCII (seen in phishing_pot sample-6800).  A real
 * authserv-id or method never starts with "=?" ('=' and '?' are RFC 2045
 * tspecials), so decoding such a value cannot change a well-formed one. */
static char *encoded_words(const char *value)
{
	while (is_ws(*value))
		value++;
	if (value[0] != '=' || value[1] != '?')
		return NULL;
	return ks_rfc2047_decode(value, false, NULL, NULL);
}

static void flag(ks_report *r, ks_rule rule, ks_severity sev, const char *location,
                 const char *text)
{
	g_autofree char *ev = shorten(text);
	ks_report_add_finding_sev(r, rule, sev, location, "%s", ev);
}

void ks_auth_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	if (!m || !r)
		return;
	g_autoptr(GPtrArray) headers = headers_named(m, "Authentication-Results");
	g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func((GDestroyNotify)authres_free);
	for (guint i = 0; i < headers->len; i++) {
		ks_raw_header *h = g_ptr_array_index(headers, i);
		ks_authres *a = g_new0(ks_authres, 1);
		g_autofree char *decoded = encoded_words(h->value);
		ks_authres_parse(decoded ? decoded : h->value, a);
		g_ptr_array_add(parsed, a);
	}

	ks_authres acc = {0};
	acc.dkim_domains = g_ptr_array_new_with_free_func(g_free);
	bool any_trusted = false;
	g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
	guint overflow = 0;
	const ks_authres *top = parsed->len ? g_ptr_array_index(parsed, 0) : NULL;
	GArray *above = received_above(m);
	for (guint i = 0; i < parsed->len; i++) {
		const ks_authres *a = g_ptr_array_index(parsed, i);
		bool same_block = i < above->len &&
		                  g_array_index(above, guint, i) == g_array_index(above, guint, 0);
		if (is_trusted(a, top, ctx, same_block)) {
			merge(&acc, a);
			any_trusted = true;
		} else {
			group_add(groups, a, &overflow);
		}
	}
	g_array_free(above, TRUE);
	report_untrusted(r, groups, overflow, top, ctx);

	const char *spf_location = "header:Authentication-Results";
	g_autofree char *received_text = NULL;
	const char *received = received_spf(m, &received_text);
	if (!acc.spf) {
		acc.spf = g_strdup(received);
		acc.spf_text = g_steal_pointer(&received_text);
		spf_location = "header:Received-SPF";
	}

	g_free(r->auth.spf);
	g_free(r->auth.dkim);
	g_free(r->auth.dmarc);
	g_free(r->auth.authserv_id);
	g_free(r->auth.received_spf);
	g_free(r->auth.arc);
	r->auth.spf = g_strdup(acc.spf);
	r->auth.dkim = g_strdup(acc.dkim);
	r->auth.dmarc = g_strdup(acc.dmarc);
	r->auth.authserv_id = any_trusted && acc.authserv_id ? ks_report_line(acc.authserv_id) : NULL;
	r->auth.received_spf = g_strdup(received);
	r->auth.arc = g_strdup(arc_chain(m));
	for (guint i = 0; i < acc.dkim_domains->len; i++)
		g_ptr_array_add(r->auth.dkim_domains,
		                ks_report_line(g_ptr_array_index(acc.dkim_domains, i)));

	/* the decisions of ks_auth_failed: a softfail is the low one */
	ks_auth_verdict spf = ks_auth_verdict_of(acc.spf);
	if (ks_auth_verdict_failed(spf))
		flag(r, KS_RULE_AUTH_SPF_FAIL, spf == KS_AUTH_FAIL ? KS_SEV_MEDIUM : KS_SEV_LOW,
		     spf_location, acc.spf_text);
	if (ks_auth_verdict_failed(ks_auth_verdict_of(acc.dkim)))
		flag(r, KS_RULE_AUTH_DKIM_FAIL, ks_rule_severity(KS_RULE_AUTH_DKIM_FAIL),
		     "header:Authentication-Results", acc.dkim_text);
	if (ks_auth_verdict_failed(ks_auth_verdict_of(acc.dmarc)))
		flag(r, KS_RULE_AUTH_DMARC_FAIL, ks_rule_severity(KS_RULE_AUTH_DMARC_FAIL),
		     "header:Authentication-Results", acc.dmarc_text);
	ks_authres_clear(&acc);
}
