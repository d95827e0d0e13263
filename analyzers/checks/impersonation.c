/* Analyzer: brand impersonation and free-mail senders speaking for an
 * organisation (impersonation.h).  The brands and the organisation words
 * are data (brands.txt, org_words.txt through brands.c).
 *
 * A claim's strength depends on where it is made:
 *   strong  the display name is the brand (with service words only:
 *           "PayPal", "Microsoft account team"), or any claim written in
 *           disguise (look-alike letters, marks, invisible characters);
 *   medium  the display name names the brand among other words ("Hiba from
 *           Ledger"), the logo at the top of the HTML body, the sender's
 *           own domain ("support-trustwallet.example"), an attached page
 *           imitating the brand;
 *   weak    the subject, the HTML title, a signature line, the sender's
 *           local part, the title of an attached PDF: newsletters and mailing lists name brands there
 *           all the time, so a weak claim counts only beside a display
 *           name that is nothing but service words ("Account Support"),
 *           or in a mail that carries a phishing lure (content.phishing_lure,
 *           which runs first): "your Lidl voucher of 500 EUR is waiting"
 *           from a stranger's domain is the retailer's giveaway faked.
 * A strong claim is high, a medium one (or a weak one beside a service
 * display name) medium.  A brand written with a common word or a surname
 * ("Apple", "Chase", "au") counts only as a whole display name.  Mail
 * from a brand's own domain that names other brands raises nothing. */
#include "checks/impersonation.h"

#include "checks/auth.h"
#include "checks/brands.h"
#include "core/domains.h"
#include "checks/identity.h"

#include <string.h>

/* Signature lines read from the end of the body, and their size: a
 * sign-off is a few short lines ("The PayPal Team", "カスタマーサポート"). */
#define SIGNATURE_LINES 8
#define SIGNATURE_LINE_MAX 80
/* Brand domains named in the evidence. */
#define DOMAINS_SHOWN 4
/* A run of digits this long in a display name is a ticket or protocol
 * number ("Comunicado - Cod. 37165178664887"): a service writes it, a
 * person does not. */
#define TICKET_DIGITS 8

typedef enum { WEAK = 1, MEDIUM = 2, STRONG = 3 } strength;

typedef struct {
	const ks_brand *brand;
	strength best;
	bool disguised;
	char *location; /* of the strongest claim */
	GString *sources;
} claim;

static void claim_free(claim *c)
{
	g_free(c->location);
	g_string_free(c->sources, TRUE);
	g_free(c);
}

static claim *claim_of(GPtrArray *claims, const ks_brand *b)
{
	for (guint i = 0; i < claims->len; i++) {
		claim *c = g_ptr_array_index(claims, i);
		if (c->brand == b)
			return c;
	}
	claim *c = g_new0(claim, 1);
	c->brand = b;
	c->sources = g_string_new(NULL);
	g_ptr_array_add(claims, c);
	return c;
}

static void add_claim(GPtrArray *claims, const ks_brand *b, strength s, bool disguised,
                      const char *source, const char *location)
{
	claim *c = claim_of(claims, b);
	if (s > c->best) {
		c->best = s;
		g_free(c->location);
		c->location = g_strdup(location);
	}
	c->disguised = c->disguised || disguised;
	if (c->sources->len < 400)
		g_string_append_printf(c->sources, "%s%s%s", c->sources->len ? ", " : "", source,
		                       disguised ? " (disguised)" : "");
}

/* ---- the sender ---------------------------------------------------------------- */

static const ks_address *first_from(const ks_report *r)
{
	for (guint i = 0; i < r->from->len; i++) {
		const ks_address *a = g_ptr_array_index(r->from, i);
		if (a->address && strchr(a->address, '@'))
			return a;
	}
	return r->from->len ? g_ptr_array_index(r->from, 0) : NULL;
}


/* The hosts the mail comes from: From's domain; Return-Path's unless SPF
 * failed (a forged envelope sender proves nothing); the DKIM signing
 * domains when DKIM passed. */
static GPtrArray *sender_hosts(const ks_report *r, const ks_address *from)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func(g_free);
	char *d = from && from->address ? ks_domain_of_address(from->address) : NULL;
	if (d)
		g_ptr_array_add(hosts, d);
	if (r->return_path && !ks_auth_verdict_failed(ks_auth_verdict_of(r->auth.spf))) {
		d = ks_domain_of_address(r->return_path);
		if (d)
			g_ptr_array_add(hosts, d);
	}
	for (guint i = 0; ks_auth_verdict_of(r->auth.dkim) == KS_AUTH_PASS && i < r->auth.dkim_domains->len; i++)
		g_ptr_array_add(hosts, g_strdup(g_ptr_array_index(r->auth.dkim_domains, i)));
	return hosts;
}

static bool sender_owns(const GPtrArray *hosts, const ks_brand *b)
{
	for (guint i = 0; i < hosts->len; i++)
		if (ks_brand_owns_host(b, g_ptr_array_index(hosts, i), false))
			return true;
	return false;
}

/* Does the reading name a brand the sender is? */
static bool names_own_brand(const ks_brand_reading *rd, const GPtrArray *hosts)
{
	for (guint i = 0; i < rd->brands->len; i++)
		if (sender_owns(hosts, g_array_index(rd->brands, ks_brand_hit, i).brand))
			return true;
	return false;
}

static bool finding_at(const ks_report *r, ks_rule rule, const char *location)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule == rule && f->location && strcmp(f->location, location) == 0)
			return true;
	}
	return false;
}

/* A display name of service words only ("Account Support", "Customer
 * Care"): nobody in particular, speaking for some organisation. */
static bool is_service_name(const ks_brand_reading *rd)
{
	return rd->brands->len == 0 && !rd->other_words &&
	       (rd->org_kinds & (KS_ORG_SERVICE | KS_ORG_GENERIC));
}

/* ---- claims by source ---------------------------------------------------------- */

/* Claims of one text.  base: the strength of a plain name there; alone:
 * common-word names count only when the text is the name (plus service
 * words); obfuscated: the text carried disguised words (a finding of the
 * header's cleaning), so every name in it is a disguised claim. */
static void claims_in(GPtrArray *claims, const ks_brand_reading *rd, strength base,
                      bool obfuscated, const char *source, const char *location)
{
	for (guint i = 0; i < rd->brands->len; i++) {
		const ks_brand_hit *h = &g_array_index(rd->brands, ks_brand_hit, i);
		if (h->common && rd->other_words)
			continue;
		bool disguised = h->disguised || obfuscated;
		strength s = disguised ? STRONG : base;
		add_claim(claims, h->brand, s, disguised, source, location);
	}
}

static void display_claims(GPtrArray *claims, const ks_report *r, const ks_brand_reading *rd,
                           const char *name)
{
	if (!rd->brands->len)
		return;
	g_autofree char *source = g_strdup_printf("the display name \"%s\"", name);
	bool obfuscated = finding_at(r, KS_RULE_CONTENT_OBFUSCATED_TEXT, "header:From");
	claims_in(claims, rd, rd->other_words ? MEDIUM : STRONG, obfuscated, source, "header:From");
}

/* Claims of a running text (a subject, a title, an address); a brand
 * whose own domain (its consumer mailbox service included) host is makes
 * none there: yahoo.com names Yahoo without claiming to be it. */
static void found_claims(GPtrArray *claims, const ks_brand_reading *rd, strength base,
                         bool obfuscated, const char *source, const char *location,
                         const char *host)
{
	/* a common-word brand in running text is the word, not the brand */
	for (guint i = 0; i < rd->brands->len; i++) {
		const ks_brand_hit *h = &g_array_index(rd->brands, ks_brand_hit, i);
		if (h->common || (host && ks_brand_owns_host(h->brand, host, true)))
			continue;
		bool disguised = h->disguised || obfuscated;
		add_claim(claims, h->brand, disguised ? STRONG : base, disguised, source, location);
	}
}

static void text_claims(GPtrArray *claims, const char *text, strength base, bool obfuscated,
                        const char *source, const char *location, const char *host)
{
	if (!text || !*text)
		return;
	ks_brand_reading rd;
	ks_brand_find(text, &rd);
	found_claims(claims, &rd, base, obfuscated, source, location, host);
	ks_brand_reading_clear(&rd);
}

/* The sender's own domain labels and local part, read as words
 * ("support-trustwallet.example" names Trust Wallet). */
static void address_claims(GPtrArray *claims, const char *address, bool service)
{
	g_autofree char *domain = ks_domain_of_address(address);
	g_autofree char *reg = domain ? ks_domain_registrable(domain) : NULL;
	if (domain) {
		/* the labels left of the public suffix */
		size_t keep = strlen(domain);
		if (reg) {
			const char *dot = strchr(reg, '.');
			keep = strlen(domain) - (dot ? strlen(dot) : 0);
		}
		g_autofree char *labels = g_strndup(domain, keep);
		g_strdelimit(labels, ".-_", ' ');
		g_autofree char *source = g_strdup_printf("the sender's domain %s", domain);
		text_claims(claims, labels, MEDIUM, false, source, "header:From", domain);
		/* a typosquat: the name disguised inside a label ("0nmicr0s0ft") */
		g_auto(GStrv) words = g_strsplit(labels, " ", -1);
		for (char **w = words; *w; w++) {
			g_autoptr(GArray) inside = ks_brands_disguised_inside(*w);
			for (guint i = 0; i < inside->len; i++) {
				const ks_brand *b = g_array_index(inside, ks_brand_hit, i).brand;
				if (!ks_brand_owns_host(b, domain, true))
					add_claim(claims, b, STRONG, true, source, "header:From");
			}
		}
	}
	g_autofree char *local = service ? ks_local_part(address) : NULL;
	if (local) {
		g_strdelimit(local, ".-_+", ' ');
		g_autofree char *source = g_strdup_printf("the sender's address %s", address);
		text_claims(claims, local, WEAK, false, source, "header:From", domain);
	}
}

/* Cuts the body at the first quoted part: a reply's quote or a forwarded
 * message is someone else's signature. */
static bool starts_quote(const char *line)
{
	static const char *const marks[] = {
		">", "-----Original Message-----", "-------- Original", "---------- Forwarded",
		"From:", "差出人:", "-----Message d'origine-----", "-----Ursprüngliche Nachricht-----",
		"-----Mensagem original-----", "-----Mensaje original-----", NULL,
	};
	for (const char *const *m = marks; *m; m++)
		if (g_str_has_prefix(line, *m))
			return true;
	return false;
}

/* The last short lines of the body before any quote. */
static GPtrArray *signature_lines(const char *body)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	if (!body)
		return lines;
	g_auto(GStrv) all = g_strsplit(body, "\n", -1);
	guint end = 0;
	while (all[end] && !starts_quote(g_strstrip(all[end])))
		end++;
	for (guint i = end; i > 0 && lines->len < SIGNATURE_LINES; i--) {
		const char *l = all[i - 1];
		if (!*l)
			continue;
		if (strlen(l) <= SIGNATURE_LINE_MAX)
			g_ptr_array_add(lines, g_strdup(l));
	}
	return lines;
}

/* An attached page imitating a brand (html_scan.c's guess) is a medium
 * claim; a PDF whose title names one (pdf.c) a weak one. */
static bool attachment_claims(ks_attachment *a, void *user)
{
	GPtrArray *claims = user;
	const char *name = a->filename ? a->filename : a->path;
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	const ks_brand *b = ks_brand_by_name(ks_attachment_get_meta(a, "html_brand"));
	if (b) {
		g_autofree char *source = g_strdup_printf("the attached page %s", name);
		add_claim(claims, b, MEDIUM, false, source, loc);
	}
	b = ks_brand_by_name(ks_attachment_get_meta(a, "pdf_brand"));
	if (b) {
		g_autofree char *source = g_strdup_printf("the title of the attached %s", name);
		add_claim(claims, b, WEAK, false, source, loc);
	}
	return true;
}

/* ---- identity.brand_impersonation --------------------------------------------------- */

static char *hosts_text(const GPtrArray *hosts)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < hosts->len; i++) {
		const char *h = g_ptr_array_index(hosts, i);
		bool seen = false;
		for (guint k = 0; k < i; k++)
			seen = seen || strcmp(g_ptr_array_index(hosts, k), h) == 0;
		if (!seen)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", h);
	}
	return g_string_free(s, FALSE);
}

/* Raises the finding for the strongest claim (the first in reading order
 * on a tie); returns whether one was raised. */
static bool report_claims(ks_report *r, GPtrArray *claims, const GPtrArray *hosts,
                          bool service_name, bool lured, const char *display)
{
	const claim *best = NULL;
	ks_severity best_sev = KS_SEV_INFO;
	for (guint i = 0; i < claims->len; i++) {
		const claim *c = g_ptr_array_index(claims, i);
		if (sender_owns(hosts, c->brand))
			continue;
		ks_severity sev = c->best == STRONG   ? KS_SEV_HIGH
		                  : c->best == MEDIUM ? KS_SEV_MEDIUM
		                  : service_name || lured ? KS_SEV_MEDIUM
		                                          : KS_SEV_INFO;
		if (sev > best_sev) {
			best = c;
			best_sev = sev;
		}
	}
	if (!best)
		return false;
	g_autofree char *domains = ks_brand_domains_text(best->brand, DOMAINS_SHOWN);
	g_autofree char *from = hosts->len ? hosts_text(hosts) : g_strdup("(no domain)");
	g_autofree char *beside = best->best != WEAK ? g_strdup("")
	                          : service_name
	                                  ? g_strdup_printf(", beside the display name \"%s\"", display)
	                                  : g_strdup(", in a mail with a phishing lure");
	ks_report_add_finding_sev(r, KS_RULE_IDENTITY_BRAND_IMPERSONATION, best_sev, best->location,
	                          "%s named by %s%s, but the mail comes from %s (%s sends from %s)",
	                          ks_brand_name(best->brand), best->sources->str, beside, from,
	                          ks_brand_name(best->brand), *domains ? domains : "no domain listed");
	return true;
}

/* ---- identity.freemail_organisation --------------------------------------------------- */

static bool has_ticket_number(const char *name)
{
	guint run = 0;
	for (const char *p = name; p && *p; p++) {
		run = g_ascii_isdigit(*p) ? run + 1 : 0;
		if (run >= TICKET_DIGITS)
			return true;
	}
	return false;
}

static void check_freemail(ks_report *r, const ks_address *from, const ks_brand_reading *disp,
                           const GPtrArray *signature)
{
	const char *name = from->name ? from->name : "";
	unsigned strong_kinds = KS_ORG_INSTITUTION | KS_ORG_SERVICE;
	if (disp->org_kinds & strong_kinds) {
		ks_report_add_finding(r, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, "header:From",
		                      "the free-mail address %s has the display name \"%s\" (%s)",
		                      from->address, name, disp->org_words ? disp->org_words : "");
		return;
	}
	if (has_ticket_number(name)) {
		ks_report_add_finding(r, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, "header:From",
		                      "the free-mail address %s has the display name \"%s\", with a "
		                      "ticket or protocol number",
		                      from->address, name);
		return;
	}
	for (guint i = 0; i < signature->len; i++) {
		const char *line = g_ptr_array_index(signature, i);
		ks_brand_reading rd;
		ks_brand_read(line, &rd);
		bool speaks = !rd.other_words && (rd.org_kinds & (strong_kinds | KS_ORG_COMPANY));
		ks_brand_reading_clear(&rd);
		if (speaks) {
			ks_report_add_finding(r, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, "body",
			                      "the free-mail address %s signs as \"%s\"", from->address,
			                      line);
			return;
		}
	}
	if (disp->org_kinds & KS_ORG_COMPANY)
		ks_report_add_finding_sev(r, KS_RULE_IDENTITY_FREEMAIL_ORGANISATION, KS_SEV_LOW,
		                          "header:From",
		                          "the free-mail address %s has the display name \"%s\" (%s)",
		                          from->address, name, disp->org_words ? disp->org_words : "");
}

/* ---- the analyzer ------------------------------------------------------------------------ */

void ks_impersonation_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	if (!r)
		return;
	const ks_address *from = first_from(r);
	g_autoptr(GPtrArray) hosts = sender_hosts(r, from);
	const char *display = from && from->name ? from->name : "";
	ks_brand_reading disp;
	ks_brand_read(display, &disp);
	ks_brand_reading subj;
	ks_brand_find(r->subject, &subj);
	bool service = is_service_name(&disp);
	g_autofree char *domain = from && from->address ? ks_domain_of_address(from->address) : NULL;
	g_autofree char *org = domain ? ks_domain_registrable(domain) : NULL;
	bool freemail = org && ks_identity_is_freemail(org);
	/* the sign-off is read only where it can matter: beside a service
	 * display name (a weak claim) or for a free-mail sender */
	g_autoptr(GPtrArray) signature = service || freemail
	                                         ? signature_lines(r->body_text)
	                                         : g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func((GDestroyNotify)claim_free);

	/* a brand's own mail may name other brands (a payment to Netflix, a
	 * Google Gemini announcement): nothing it says is a false claim */
	bool own = names_own_brand(&disp, hosts) || names_own_brand(&subj, hosts);
	if (!own) {
		display_claims(claims, r, &disp, display);
		bool subj_obf = finding_at(r, KS_RULE_CONTENT_OBFUSCATED_TEXT, "header:Subject");
		found_claims(claims, &subj, WEAK, subj_obf, "the subject", "header:Subject", NULL);
		if (service)
			text_claims(claims, r->body_title, WEAK, false, "the HTML title", "body", NULL);
		for (guint i = 0; i < r->body_logo_alts->len; i++) {
			const char *alt = g_ptr_array_index(r->body_logo_alts, i);
			ks_brand_reading rd;
			ks_brand_read(alt, &rd);
			g_autofree char *source = g_strdup_printf("the logo \"%s\"", alt);
			claims_in(claims, &rd, MEDIUM, false, source, "body");
			ks_brand_reading_clear(&rd);
		}
		for (guint i = 0; i < signature->len; i++) {
			const char *line = g_ptr_array_index(signature, i);
			ks_brand_reading rd;
			ks_brand_read(line, &rd);
			g_autofree char *source = g_strdup_printf("the signature \"%s\"", line);
			if (!rd.other_words)
				claims_in(claims, &rd, WEAK, false, source, "body");
			ks_brand_reading_clear(&rd);
		}
		if (from && from->address)
			address_claims(claims, from->address, service);
		ks_report_walk_attachments(r, attachment_claims, claims);
	}
	bool lured = ks_report_has_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	bool raised = report_claims(r, claims, hosts, service, lured, display);
	if (!raised && freemail)
		check_freemail(r, from, &disp, signature);
	ks_brand_reading_clear(&disp);
	ks_brand_reading_clear(&subj);
}
