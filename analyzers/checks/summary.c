/* Analyzer, run last: the IOC list, the timeline and the assessment, all
 * derived from what the other analyzers put in the report.  The score and
 * the suggested BEC type are explained by the rule ids in reasons[]; the
 * points are data (data/score_weights.txt), each row saying why. */
#include "checks/summary.h"

#include "checks/auth.h"
#include "checks/callback.h"
#include "core/data.h"
#include "core/domains.h"
#include "core/i18n.h"
#include "checks/lures.h"
#include "checks/roles.h"
#include "core/sanitize.h"
#include "threads/thread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a display name or a finding's evidence: short texts */
#define ROLE_TEXT_MAX (64 * 1024)

static void add_address_iocs(ks_report *r, GPtrArray *list)
{
	for (guint i = 0; i < list->len; i++) {
		ks_address *a = g_ptr_array_index(list, i);
		if (!a->address || !strchr(a->address, '@'))
			continue;
		ks_report_add_ioc(r, KS_IOC_EMAIL, a->address);
		g_autofree char *d = ks_domain_of_address(a->address);
		/* "phishing@pot": a name with no dot is no domain to block */
		if (d && strchr(d, '.'))
			ks_report_add_ioc(r, KS_IOC_DOMAIN, d);
	}
}

/* RFC 1918, loopback, link-local, CGNAT (RFC 6598), and IPv6 local ranges:
 * internal relays, not indicators. */
static bool is_public_ip(const char *ip)
{
	if (!ip || !ks_is_ip_literal(ip))
		return false;
	if (strchr(ip, ':')) {
		return !(g_str_has_prefix(ip, "::1") || g_ascii_strncasecmp(ip, "fe80", 4) == 0 ||
		         g_ascii_strncasecmp(ip, "fc", 2) == 0 || g_ascii_strncasecmp(ip, "fd", 2) == 0);
	}
	unsigned a = 0, b = 0;
	if (sscanf(ip, "%u.%u", &a, &b) != 2)
		return false;
	return !(a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b <= 31) ||
	         (a == 192 && b == 168) || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127));
}

static bool add_attachment_iocs(ks_attachment *a, void *user)
{
	ks_report *r = user;
	if (a->sha256[0])
		ks_report_add_ioc(r, KS_IOC_SHA256, a->sha256);
	if (a->filename && *a->filename)
		ks_report_add_ioc(r, KS_IOC_FILENAME, a->filename);
	return true;
}

/* The accounts a payee-change mail gives (MISP bank-account-nr / iban): the
 * money goes there, so they are what a bank or a partner blocks. */
static void add_payment_iocs(ks_report *r)
{
	if (!ks_report_has_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE) || !r->body_text)
		return;
	g_autoptr(GPtrArray) tokens = ks_thread_payment_extract(r->body_text);
	for (guint i = 0; tokens && i < tokens->len; i++) {
		const ks_pay_token *t = g_ptr_array_index(tokens, i);
		if (t->kind == KS_PAY_ACCOUNT)
			ks_report_add_ioc(r, KS_IOC_BANK_ACCOUNT, t->value);
		else if (t->kind == KS_PAY_IBAN)
			ks_report_add_ioc(r, KS_IOC_IBAN, t->value);
	}
}

static bool has_content_finding(const ks_report *r)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (g_str_has_prefix(ks_rule_id(f->rule), "content."))
			return true;
	}
	return false;
}

/* Numbers a lure asks to call back (callback phishing, a payee change to
 * "confirm by phone"): after a call word (data/callback_words.txt), in a
 * mail with a content.* finding, so a signature's number in ordinary mail
 * is never an IOC. */
static void add_callback_iocs(ks_report *r)
{
	if (!r->body_text || !has_content_finding(r))
		return;
	g_autoptr(GPtrArray) numbers = ks_callback_numbers(r->body_text, G_MAXUINT);
	for (guint i = 0; i < numbers->len; i++)
		ks_report_add_ioc(r, KS_IOC_PHONE, g_ptr_array_index(numbers, i));
}

static void collect_iocs(ks_report *r)
{
	add_address_iocs(r, r->from);
	add_address_iocs(r, r->sender);
	add_address_iocs(r, r->reply_to);
	if (r->return_path) {
		ks_report_add_ioc(r, KS_IOC_EMAIL, r->return_path);
		g_autofree char *d = ks_domain_of_address(r->return_path);
		if (d && strchr(d, '.'))
			ks_report_add_ioc(r, KS_IOC_DOMAIN, d);
	}
	/* the origin: the first hop (from the sender's side) with a public IP */
	for (guint i = 0; i < r->hops->len; i++) {
		ks_hop *h = g_ptr_array_index(r->hops, i);
		if (is_public_ip(h->ip)) {
			ks_report_add_ioc(r, KS_IOC_IP, h->ip);
			break;
		}
	}
	for (guint i = 0; i < r->links->len; i++) {
		ks_link *l = g_ptr_array_index(r->links, i);
		if (g_ascii_strncasecmp(l->href, "http://", 7) != 0 &&
		    g_ascii_strncasecmp(l->href, "https://", 8) != 0 &&
		    g_ascii_strncasecmp(l->href, "ftp://", 6) != 0)
			continue;
		ks_report_add_ioc(r, KS_IOC_URL, l->href);
		g_autofree char *host = ks_url_host(l->href);
		if (!host)
			continue;
		ks_report_add_ioc(r, ks_is_ip_literal(host) ? KS_IOC_IP : KS_IOC_DOMAIN, host);
	}
	ks_report_walk_attachments(r, add_attachment_iocs, r);
	add_payment_iocs(r);
	add_callback_iocs(r);
}

static void build_timeline(ks_report *r)
{
	if (r->date)
		ks_report_add_event(r, r->date, "message written (Date header)", "header:Date");
	for (guint i = 0; i < r->hops->len; i++) {
		ks_hop *h = g_ptr_array_index(r->hops, i);
		if (!h->date)
			continue;
		g_autofree char *ev = g_strdup_printf("received by %s%s%s", h->by ? h->by : "?",
		                                      h->from ? " from " : "", h->from ? h->from : "");
		g_autofree char *src = g_strdup_printf("hop:%d", h->index);
		ks_report_add_event(r, h->date, ev, src);
	}
	ks_report_sort_timeline(r);
}

/* Points of a finding whose rule and severity data/score_weights.txt does
 * not list: a handful of high findings saturates the score. */
static const int severity_points[] = {[KS_SEV_INFO] = 0, [KS_SEV_LOW] = 6,
                                      [KS_SEV_MEDIUM] = 18, [KS_SEV_HIGH] = 35};

/* A combination: points once every group has a rule that counted. */
typedef struct {
	int points;
	GPtrArray *groups; /* GArray* of int (ks_rule) */
} combo;

typedef struct {
	int points[KS_RULE_COUNT][KS_SEV_HIGH + 1]; /* -1: the severity's points */
	GPtrArray *combos;                          /* combo* */
} weights;

static void combo_free(combo *c)
{
	g_ptr_array_unref(c->groups);
	g_free(c);
}

static void weights_clear(weights *w)
{
	g_ptr_array_unref(w->combos);
}

static bool parse_points(const char *s, int *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 100)
		return false;
	*out = (int)v;
	return true;
}

static combo *parse_combo(char **f, guint n)
{
	int points = 0;
	if (n < 3 || !parse_points(f[1], &points))
		return NULL;
	combo *c = g_new0(combo, 1);
	c->points = points;
	c->groups = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
	for (guint i = 2; i < n; i++) {
		g_auto(GStrv) ids = g_strsplit(f[i], "|", -1);
		GArray *g = g_array_new(FALSE, FALSE, sizeof(int));
		g_ptr_array_add(c->groups, g);
		for (int k = 0; ids[k]; k++) {
			int rule = ks_rule_from_id(ids[k]);
			if (rule < 0) {
				combo_free(c);
				return NULL;
			}
			g_array_append_val(g, rule);
		}
	}
	return c;
}

/* One row of data/score_weights.txt into w; false when it does not read
 * (an unknown rule id, a bad severity or number, an unknown kind). */
static bool read_row(const char *line, weights *w)
{
	g_auto(GStrv) raw = g_strsplit_set(line, " \t", -1);
	g_autoptr(GPtrArray) f = g_ptr_array_new();
	for (int k = 0; raw[k]; k++)
		if (*raw[k])
			g_ptr_array_add(f, raw[k]);
	char **fv = (char **)f->pdata;
	if (f->len == 4 && strcmp(fv[0], "weight") == 0) {
		int rule = ks_rule_from_id(fv[1]);
		ks_severity sev;
		int points = 0;
		if (rule < 0 || !ks_severity_parse(fv[2], &sev) || sev == KS_SEV_INFO ||
		    !parse_points(fv[3], &points))
			return false;
		w->points[rule][sev] = points;
		return true;
	}
	if (f->len >= 3 && strcmp(fv[0], "combo") == 0) {
		combo *c = parse_combo(fv, f->len);
		if (c)
			g_ptr_array_add(w->combos, c);
		return c != NULL;
	}
	return false;
}

/* data/score_weights.txt; a row that does not read is skipped (the unit
 * tests read every row with ks_summary_weights_check). */
static void weights_load(weights *w)
{
	memset(w->points, -1, sizeof w->points);
	w->combos = g_ptr_array_new_with_free_func((GDestroyNotify)combo_free);
	const GPtrArray *lines = ks_data_lines("score_weights.txt");
	for (guint i = 0; lines && i < lines->len; i++)
		read_row(g_ptr_array_index(lines, i), w);
}

/* weights_load once, for the program's life (ks_data_lines keeps the file
 * as long): read per message it cost 2% of a scan. */
static const weights *weights_get(void)
{
	static weights w;
	static gsize loaded;
	if (g_once_init_enter(&loaded)) {
		weights_load(&w);
		g_once_init_leave(&loaded, 1);
	}
	return &w;
}

static int points_of(const weights *w, ks_rule rule, ks_severity sev)
{
	/* info is context: an explained difference never counts */
	if (sev == KS_SEV_INFO)
		return 0;
	int p = w->points[rule][sev];
	return p >= 0 ? p : severity_points[sev];
}

int ks_summary_weights_check(GString *problems)
{
	weights w;
	weights_load(&w);
	const GPtrArray *lines = ks_data_lines("score_weights.txt");
	int rows = 0;
	for (guint i = 0; lines && i < lines->len; i++, rows++) {
		const char *line = g_ptr_array_index(lines, i);
		if (!read_row(line, &w))
			g_string_append_printf(problems, "score_weights.txt: cannot read \"%s\"\n", line);
	}
	weights_clear(&w);
	return rows;
}

/* The rule fired and counts: an explained difference (info) is no sign of
 * a fraud (a list's envelope sender is no payroll diversion). */
static bool has(const ks_report *r, ks_rule rule)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule && f->severity >= KS_SEV_LOW)
			return true;
	}
	return false;
}

/* Does text name a role of the lure files' section (role.executive,
 * role.lawyer)? */
static bool names_role(const char *text, const char *section)
{
	if (!text || !*text)
		return false;
	g_autoptr(ks_lure_text) t = ks_lure_text_new(text, ROLE_TEXT_MAX);
	g_autoptr(GArray) hits = ks_lure_text_find(t, NULL, section, 1);
	return hits->len > 0;
}

static bool evidence_names_role(const ks_report *r, ks_rule rule, const char *section)
{
	for (guint i = 0; i < r->findings->len; i++) {
		ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule && names_role(f->evidence, section))
			return true;
	}
	return false;
}

typedef enum { ROLE_NONE, ROLE_EXECUTIVE, ROLE_LAWYER } sender_role;

/* The role From's display name claims: "弁護士 田村 誠", "Koji Nakamura (CEO)". */
static sender_role role_in_display_name(const ks_report *r)
{
	for (guint i = 0; i < r->from->len; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		if (names_role(a->name, "role.lawyer"))
			return ROLE_LAWYER;
		if (names_role(a->name, "role.executive"))
			return ROLE_EXECUTIVE;
	}
	return ROLE_NONE;
}

/* IPA's five BEC types (SPEC.md): the strongest signal wins.  A request for
 * data lists without a payment change is type 5, whoever signs it.  Between 2 and
 * 4 the question is who writes: a CEO who says "our lawyer will call you" is
 * type 2, a lawyer who names the CEO type 4.  The display name settles it
 * when it names a role; otherwise the secrecy/urgency/authority words do,
 * an executive named there outranking a lawyer. */
static int bec_type(const ks_report *r)
{
	bool exec = has(r, KS_RULE_CAMPAIGN_COSMIC_LYNX) ||
	            has(r, KS_RULE_CAMPAIGN_LOCALIZED_CEO_FRAUD) ||
	            has(r, KS_RULE_IDENTITY_DISPLAY_NAME_SPOOF);
	bool pay = has(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	bool partner = has(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN) ||
	               has(r, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED);
	bool secret = has(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST);
	sender_role shown = secret ? role_in_display_name(r) : ROLE_NONE;
	/* the lawyer writing is type 4 even with the executive's lookalike on Cc */
	if (shown == ROLE_LAWYER)
		return 4;
	/* asking for data, not money: the preparation of a later fraud */
	if (has(r, KS_RULE_CONTENT_INFORMATION_REQUEST) && !pay)
		return 5;
	if (exec || shown == ROLE_EXECUTIVE)
		return 2;
	if (secret && !partner &&
	    !evidence_names_role(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST, "role.executive") &&
	    evidence_names_role(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST, "role.lawyer"))
		return 4;
	if (partner && (pay || has(r, KS_RULE_ATTACHMENT_ENCRYPTED_ARCHIVE) ||
	                has(r, KS_RULE_PDF_CREATED_AFTER_MESSAGE) ||
	                has(r, KS_RULE_PDF_CREATED_NEAR_DOMAIN_REGISTRATION)))
		return 1;
	if (secret)
		return 2;
	if (pay && has(r, KS_RULE_IDENTITY_ENVELOPE_FROM_DIFFERS))
		return 2; /* payroll diversion: the executive's name, another sender */
	if (pay) {
		/* a payment change from an address with clean identity and
		 * authentication: the account itself may be stolen */
		bool auth_ok = ks_auth_verdict_of(r->auth.dmarc) == KS_AUTH_PASS;
		return auth_ok ? 3 : 1;
	}
	if (partner)
		return 1;
	return 0;
}

/* The score: each rule's points at its highest severity, plus the
 * combinations whose every group counted; reasons[] are the rules that
 * added points. */
static void assess(ks_report *r)
{
	int best[KS_RULE_COUNT];
	for (int i = 0; i < KS_RULE_COUNT; i++)
		best[i] = -1;
	for (guint i = 0; i < r->findings->len; i++) {
		ks_finding *f = g_ptr_array_index(r->findings, i);
		if ((int)f->severity > best[f->rule])
			best[f->rule] = f->severity;
	}
	const weights *w = weights_get();
	bool counted[KS_RULE_COUNT] = {false};
	int score = 0;
	for (int i = 0; i < KS_RULE_COUNT; i++) {
		if (best[i] < 0)
			continue;
		int p = points_of(w, (ks_rule)i, (ks_severity)best[i]);
		if (p <= 0)
			continue;
		score += p;
		counted[i] = true;
		g_ptr_array_add(r->assessment.reasons, g_strdup(ks_rule_id(i)));
	}
	for (guint c = 0; c < w->combos->len; c++) {
		const combo *cb = g_ptr_array_index(w->combos, c);
		bool all = true;
		for (guint g = 0; all && g < cb->groups->len; g++) {
			const GArray *group = g_ptr_array_index(cb->groups, g);
			bool any = false;
			for (guint k = 0; !any && k < group->len; k++)
				any = counted[g_array_index(group, int, k)];
			all = any;
		}
		if (all)
			score += cb->points;
	}
	r->assessment.score = score > 100 ? 100 : score;
	r->assessment.bec_type = bec_type(r);
	/* stored in English (the JSON's value); a writer for people shows _(label) */
	const char *label;
	if (r->assessment.score >= 60)
		label = N_("likely malicious");
	else if (r->assessment.score >= 25)
		label = N_("suspicious");
	else if (r->assessment.score > 0 || r->findings->len > 0)
		label = N_("low risk");
	else
		label = N_("no findings");
	r->assessment.label = g_strdup(label);
}

void ks_summary_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	collect_iocs(r);
	ks_roles_assign(r, ctx);
	build_timeline(r);
	assess(r);
}
