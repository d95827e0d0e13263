/* content.phishing_lure, run by the content analyzer on its folded subject
 * and body: the lures of credential phishing and scams, the bulk of what
 * employees report (issue 10).
 *
 * A lure is a phrase of one kind (sections phish.<kind> of the
 * lures_<lang>.txt files: account locked, unusual sign-in, verify, password
 * expiry, mailbox full, voicemail, shared document, payment failed,
 * delivery fee, tax refund, fine or summons, prize, crypto, wallet recovery
 * phrase, advance fee, sextortion, dating and romance) in the subject or the
 * body text.  A lure
 * alone is not enough: every mail service writes about passwords and
 * parcels.  The rule fires when
 *
 *   - a lure comes with a call to act: a link, an attachment other than a
 *     picture, a button-like phrase (phish.act: "click here", "clique aqui")
 *     or a request to reply (phish.reply); or
 *   - lures of two different kinds stand in one mail ("your account is
 *     suspended" and "your payment failed"); or
 *   - two different phrases of a kind that no legitimate sender writes
 *     (sextortion, advance fee) stand together: those need no link, the
 *     victim is asked to pay or to answer; or
 *   - a charge to dispute by phone (callback phishing: "your subscription
 *     was renewed") comes with an amount of money and a number after a
 *     call word (callback.h), and the mail links nowhere on the sender's
 *     own site: the number is the call to act.
 *
 * A phrase of phish.<kind>.weak, which newsletters and real notices use too
 * ("update your payment details", "your points will expire"), counts only
 * beside a second phrase of its kind, or for crypto beside an amount of
 * money ("Bitcoin balance" and "withdraw your 12,346$": the fake balance).  Phrases inside a phish.benign phrase
 * ("we will never ask for your password"), in a sentence about phishing,
 * right after "if" or "when", or on a '>' quoted line do not count (see
 * discounted), and a mail server's delivery report is no lure.
 *
 * The finding is medium: a real service's notice says the same things, and
 * who sent it is the identity and authentication analyzers' business.  It
 * is high for sextortion and advance-fee mail (two of their phrases) and
 * for a wallet's recovery phrase asked for with a call to act, and for a
 * callback charge with nothing but the number to act on (a meeting
 * service's link aside): nothing legitimate asks for those.  It is high too
 * for three kinds at once with a call to act: a real notice tells one thing,
 * a credential phish stacks its pretexts (blocked, unusual activity,
 * verify).  The evidence names the kinds and quotes where each was found. */
#include "checks/phishing.h"

#include "checks/callback.h"
#include "core/domains.h"
#include "checks/lures.h"

#include <string.h>

/* distinct lure kinds that, with a call to act, make the finding high */
#define KINDS_STACKED 3

/* All sections' hits in one text: the kinds, the calls to act and the benign
 * phrases; enough for a long newsletter that repeats "click here". */
#define HITS_MAX 512
/* Characters of context either side of a quoted lure, and entries named per
 * kind: enough to read the phrase, short enough for one line a kind. */
#define CONTEXT_AROUND 24
#define ENTRIES_SHOWN 3
/* Calls to act quoted in the evidence. */
#define ACTS_SHOWN 3

#define SECTION_PREFIX "phish."
#define SECTION_ACT "phish.act"
#define SECTION_REPLY "phish.reply"
#define SECTION_BENIGN "phish.benign"
#define SECTION_DISCUSSION "phish.discussion"
#define SECTION_CONDITIONAL "phish.conditional"
/* A sentence that names phishing and quotes its lure: a list post can run
 * long between the two, but stays one sentence. */
#define DISCUSSION_GAP_MAX 400

typedef enum {
	KIND_PLAIN,    /* needs a call to act or another kind; medium */
	KIND_ALONE,    /* two of its phrases fire alone, high */
	KIND_HIGH_ACT, /* with a call to act, high */
	KIND_CALLBACK, /* with money and a number to call, and no link to the
	                  sender's own site: medium; high with nothing else to
	                  click (the number is the whole point) */
} kind_strength;

typedef struct {
	const char *section; /* phish.<kind> in lures_<lang>.txt */
	const char *label;   /* the kind as the evidence names it */
	kind_strength strength;
	/* a weak phrase of the kind counts beside an amount of money in a
	 * mail that names a coin (section crypto.coin: "Bitcoin transfer" and
	 * "withdraw your 15,661$"): the amount is the kind's second phrase */
	bool money_confirms;
} lure_kind;

/* The kinds of APWG's Phishing Activity Trends Reports and of the national
 * warnings cited in the data files; the order is the evidence's. */
static const lure_kind kinds[] = {
	{"phish.account", "account locked or suspended", KIND_PLAIN, false},
	{"phish.signin", "unusual sign-in", KIND_PLAIN, false},
	{"phish.verify", "verify your account", KIND_PLAIN, false},
	{"phish.password", "password expiry", KIND_PLAIN, false},
	{"phish.mailbox", "mailbox full or mail held", KIND_PLAIN, false},
	{"phish.voicemail", "voicemail or fax", KIND_PLAIN, false},
	{"phish.document", "shared document", KIND_PLAIN, false},
	{"phish.payment", "payment failed or subscription expired", KIND_PLAIN, false},
	{"phish.callback", "a charge to dispute by phone", KIND_CALLBACK, false},
	{"phish.delivery", "delivery failed or fee due", KIND_PLAIN, false},
	{"phish.tax", "tax refund, tax debt or government money", KIND_PLAIN, false},
	{"phish.legal", "fine, toll or legal summons", KIND_PLAIN, false},
	{"phish.prize", "prize, lottery or reward", KIND_PLAIN, false},
	{"phish.crypto", "crypto wallet, airdrop or balance", KIND_PLAIN, true},
	{"phish.seed", "wallet recovery phrase", KIND_HIGH_ACT, false},
	{"phish.advance_fee", "advance fee or inheritance", KIND_ALONE, false},
	{"phish.sextortion", "sextortion", KIND_ALONE, false},
	{"phish.dating", "dating or romance", KIND_PLAIN, false},
};

/* A kind's phrases that legitimate notices and newsletters use as well
 * ("update your payment details", "points will expire") sit in
 * phish.<kind>.weak: such a phrase needs a second phrase of its kind. */
#define WEAK_SUFFIX ".weak"

static bool is_weak(const ks_lure_term *term)
{
	return g_str_has_suffix(term->section, WEAK_SUFFIX);
}

static int kind_of(const ks_lure_term *term)
{
	size_t n = strlen(term->section) - (is_weak(term) ? strlen(WEAK_SUFFIX) : 0);
	for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++)
		if (strlen(kinds[k].section) == n && strncmp(term->section, kinds[k].section, n) == 0)
			return (int)k;
	return -1;
}

static bool section_is(const ks_lure_hit *h, const char *section)
{
	return strcmp(h->term->section, section) == 0;
}

/* A word that is part of an address or host name ("phishing@pot",
 * "scam.example"): honeypots and lists put such words in addresses, which
 * say nothing about what the sentence does. */
static bool in_address(const ks_lure_text *t, const ks_lure_hit *h)
{
	char before = h->start > 0 ? t->folded[h->start - 1] : ' ';
	char after = t->folded[h->end];
	return before == '@' || before == '.' || after == '@' ||
	       (after == '.' && g_ascii_isalnum(t->folded[h->end + 1]));
}

/* Whether a hit is discounted: inside a phrase that warns against it
 * (phish.benign), in one sentence with a word that shows the mail talks
 * about phishing rather than doing it (phish.discussion: a mailing list's
 * "a phishing mail saying your account is suspended"), right after a word
 * that makes it a condition (phish.conditional: "if your mailbox is full",
 * an IT newsletter's advice), or on a line quoted with '>'. */
static bool discounted(const ks_lure_text *t, const GArray *all, const ks_lure_hit *h)
{
	if (ks_lure_text_quoted(t, h->start))
		return true;
	bool lure = kind_of(h->term) >= 0;
	for (guint j = 0; j < all->len; j++) {
		const ks_lure_hit *b = &g_array_index(all, ks_lure_hit, j);
		if (section_is(b, SECTION_BENIGN) && h->start < b->end && b->start < h->end)
			return true;
		if (section_is(b, SECTION_DISCUSSION) && !in_address(t, b) &&
		    ks_lure_text_same_sentence(t, h, b, DISCUSSION_GAP_MAX))
			return true;
		/* "if" right before, or "if your" running into "your mailbox is full" */
		if (lure && section_is(b, SECTION_CONDITIONAL) && b->start < h->start &&
		    b->end + 1 >= h->start)
			return true;
	}
	return false;
}

static bool is_modifier(const ks_lure_hit *h)
{
	return section_is(h, SECTION_BENIGN) || section_is(h, SECTION_DISCUSSION) ||
	       section_is(h, SECTION_CONDITIONAL);
}

/* The hits of one text that count (lures and calls to act, not
 * discounted), and of overlapping lure hits only the first and longest
 * ("account has been suspended" and "has been suspended" are one phrase,
 * "verify your wallet" one lure though two kinds list it). */
static GArray *counted_hits(const ks_lure_text *t)
{
	g_autoptr(GArray) all = ks_lure_text_find_prefixed(t, SECTION_PREFIX, HITS_MAX);
	GArray *kept = g_array_new(FALSE, FALSE, sizeof(ks_lure_hit));
	size_t lure_end = 0;
	for (guint i = 0; i < all->len; i++) {
		const ks_lure_hit *h = &g_array_index(all, ks_lure_hit, i);
		if (is_modifier(h) || discounted(t, all, h))
			continue;
		if (kind_of(h->term) >= 0) {
			/* sorted by start, longest first at one start */
			if (h->start < lure_end)
				continue;
			lure_end = h->end;
		}
		g_array_append_val(kept, *h);
	}
	return kept;
}

/* What one kind found in the subject and the body. */
typedef struct {
	GPtrArray *folded; /* distinct phrases (const char*, the terms' folded forms) */
	GPtrArray *entries; /* the same, as the data spells them */
	guint strong;       /* how many of them are not weak */
	const ks_lure_text *quote_text; /* where the first hit is, and its span */
	size_t quote_start, quote_end;
	bool in_body;
} kind_found;

static void note_kind_hits(kind_found found[], const ks_lure_text *t, const GArray *hits,
                           bool body)
{
	for (guint i = 0; i < hits->len; i++) {
		const ks_lure_hit *h = &g_array_index(hits, ks_lure_hit, i);
		int k = kind_of(h->term);
		if (k < 0)
			continue;
		kind_found *f = &found[k];
		if (!f->folded) {
			f->folded = g_ptr_array_new();
			f->entries = g_ptr_array_new();
		}
		/* quote the body when the kind is there: the finding's location */
		if (!f->quote_text || (body && !f->in_body)) {
			f->quote_text = t;
			f->quote_start = h->start;
			f->quote_end = h->end;
		}
		f->in_body = f->in_body || body;
		bool seen = false;
		for (guint j = 0; j < f->folded->len && !seen; j++)
			seen = strcmp(g_ptr_array_index(f->folded, j), h->term->folded) == 0;
		if (!seen) {
			g_ptr_array_add(f->folded, (gpointer)h->term->folded);
			g_ptr_array_add(f->entries, (gpointer)h->term->entry);
			f->strong += !is_weak(h->term);
		}
	}
}

/* The calls to act, in words for the evidence: "2 links, attachment
 * invoice.pdf, "click here"".  Empty when there is none. */
typedef struct {
	guint links;
	const char *attachment; /* the first one's name, or "" when unnamed */
	GPtrArray *phrases;     /* entries of phish.act and phish.reply hits */
} call_to_act;

static bool is_picture(const ks_attachment *a)
{
	const char *types[] = {a->detected_type, a->declared_type};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (types[i] && g_ascii_strncasecmp(types[i], "image/", 6) == 0)
			return true;
	return false;
}

static void find_calls_to_act(const ks_report *r, const GArray *hits[2], call_to_act *act)
{
	bool mailto = false;
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		if (!l->href)
			continue;
		if (strstr(l->href, "://") || g_ascii_strncasecmp(l->href, "www.", 4) == 0)
			act->links++;
		else if (g_ascii_strncasecmp(l->href, "mailto:", 7) == 0)
			mailto = true;
	}
	if (mailto)
		g_ptr_array_add(act->phrases, (gpointer) "a mailto: link");
	for (guint i = 0; i < r->attachments->len && !act->attachment; i++) {
		const ks_attachment *a = g_ptr_array_index(r->attachments, i);
		if (!is_picture(a))
			act->attachment = a->filename ? a->filename : "";
	}
	for (int t = 0; t < 2; t++) {
		for (guint i = 0; i < hits[t]->len; i++) {
			const ks_lure_hit *h = &g_array_index(hits[t], ks_lure_hit, i);
			if (!section_is(h, SECTION_ACT) && !section_is(h, SECTION_REPLY))
				continue;
			bool seen = false;
			for (guint j = 0; j < act->phrases->len && !seen; j++)
				seen = strcmp(g_ptr_array_index(act->phrases, j), h->term->entry) == 0;
			if (!seen)
				g_ptr_array_add(act->phrases, (gpointer)h->term->entry);
		}
	}
}

static bool has_call_to_act(const call_to_act *act)
{
	return act->links > 0 || act->attachment || act->phrases->len > 0;
}

static void describe_calls_to_act(GString *ev, const call_to_act *act)
{
	if (!has_call_to_act(act))
		return;
	g_string_append(ev, "; call to act: ");
	const char *sep = "";
	if (act->links) {
		g_string_append_printf(ev, "%u link%s", act->links, act->links == 1 ? "" : "s");
		sep = ", ";
	}
	if (act->attachment) {
		g_string_append_printf(ev, "%sattachment%s%s", sep, *act->attachment ? " " : "",
		                       act->attachment);
		sep = ", ";
	}
	for (guint i = 0; i < act->phrases->len && i < ACTS_SHOWN; i++) {
		g_string_append_printf(ev, "%s\"%s\"", sep, (const char *)g_ptr_array_index(act->phrases, i));
		sep = ", ";
	}
}

static void describe_kind(GString *ev, const lure_kind *kind, const kind_found *f)
{
	g_autofree char *ctx =
		ks_lure_text_context(f->quote_text, f->quote_start, f->quote_end, CONTEXT_AROUND);
	g_string_append_printf(ev, "%s%s: %s (", ev->len ? "; " : "", kind->label, ctx);
	for (guint i = 0; i < f->entries->len && i < ENTRIES_SHOWN; i++)
		g_string_append_printf(ev, "%s%s", i ? ", " : "",
		                       (const char *)g_ptr_array_index(f->entries, i));
	if (f->entries->len > ENTRIES_SHOWN)
		g_string_append_printf(ev, ", +%u", f->entries->len - ENTRIES_SHOWN);
	g_string_append_c(ev, ')');
}

/* What callback phishing (telephone-oriented attack delivery: FBI IC3 and
 * CISA, 2022-2023; Proofpoint's "TOAD" reports) needs beside its charge
 * claim: an amount, a number after a call word, and no link to the
 * sender's own site (a real shop's receipt links to the account); links
 * other than a meeting service's count as something else to click. */
typedef struct {
	GPtrArray *numbers; /* char*, the first few */
	bool money;
	bool own_site_link;
	guint clickable;
} callback_ctx;

#define CALLBACK_NUMBERS 3

static void find_callback(const ks_report *r, callback_ctx *cb)
{
	cb->numbers = ks_callback_numbers(r->body_text, CALLBACK_NUMBERS);
	cb->money = ks_text_has_money(r->subject) || ks_text_has_money(r->body_text);
	const ks_address *from = r->from->len ? g_ptr_array_index(r->from, 0) : NULL;
	g_autofree char *own = from ? ks_address_registrable(from->address) : NULL;
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		g_autofree char *host = l->href ? ks_url_host(l->href) : NULL;
		if (!host)
			continue;
		g_autofree char *site = ks_domain_registrable(host);
		if (own && site && strcmp(own, site) == 0)
			cb->own_site_link = true;
		else if (!ks_domain_is_meeting_service(host))
			cb->clickable++;
	}
}

static void describe_numbers(GString *ev, const callback_ctx *cb)
{
	g_string_append(ev, "; number to call: ");
	for (guint i = 0; i < cb->numbers->len; i++)
		g_string_append_printf(ev, "%s%s", i ? ", " : "",
		                       (const char *)g_ptr_array_index(cb->numbers, i));
	if (!cb->clickable)
		g_string_append(ev, " (nothing else to click)");
}

/* A delivery report written by a mail server (RFC 3464: a
 * message/delivery-status part): its "delivery failed", "mailbox quota
 * exceeded" and "incorrect address" are about the mail, not a lure.  The
 * returned message is analysed in its own report. */
static bool is_delivery_report(const ks_report *r)
{
	for (guint i = 0; i < r->attachments->len; i++) {
		const ks_attachment *a = g_ptr_array_index(r->attachments, i);
		if (a->declared_type && g_ascii_strcasecmp(a->declared_type, "message/delivery-status") == 0)
			return true;
	}
	return false;
}

void ks_phishing_check(ks_report *r, const ks_lure_text *subject, const ks_lure_text *body)
{
	if (!r || !subject || !body || is_delivery_report(r))
		return;
	g_autoptr(GArray) in_subject = counted_hits(subject);
	g_autoptr(GArray) in_body = counted_hits(body);
	kind_found found[G_N_ELEMENTS(kinds)] = {0};
	note_kind_hits(found, subject, in_subject, false);
	note_kind_hits(found, body, in_body, true);
	/* no kind of lure: no finding whatever the calls to act, numbers and
	 * money say, so they are not looked for (most mail) */
	bool any_kind = false;
	for (size_t k = 0; k < G_N_ELEMENTS(kinds) && !any_kind; k++)
		any_kind = found[k].folded != NULL;
	if (!any_kind)
		return;

	g_autoptr(GPtrArray) act_phrases = g_ptr_array_new();
	call_to_act act = {0, NULL, act_phrases};
	const GArray *both[2] = {in_subject, in_body};
	find_calls_to_act(r, both, &act);
	bool acted = has_call_to_act(&act);
	callback_ctx cb = {0};
	find_callback(r, &cb);
	bool callback = false;

	/* the coin is looked for only when an amount was found: most mail has none */
	bool coin = false;
	for (guint i = 0; cb.money && i < 2 && !coin; i++) {
		g_autoptr(GArray) c = ks_lure_text_find(i ? body : subject, NULL, "crypto.coin", 1);
		coin = c->len > 0;
	}
	bool money_confirms = cb.money && coin;

	guint kinds_found = 0;
	bool high = false, any_in_body = false;
	for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
		if (!found[k].folded)
			continue;
		/* one phrase of these ("million dollars", "porn sites") is news or
		 * a mailing list's banter, not the scam; one weak phrase is a
		 * newsletter's */
		bool present = kinds[k].strength == KIND_ALONE
		                   ? found[k].folded->len >= 2
		                   : found[k].strong > 0 || found[k].folded->len >= 2 ||
		                         (kinds[k].money_confirms && money_confirms);
		if (kinds[k].strength == KIND_CALLBACK)
			present = present && cb.numbers->len > 0 && cb.money && !cb.own_site_link;
		if (!present) {
			g_ptr_array_unref(g_steal_pointer(&found[k].folded));
			g_ptr_array_unref(g_steal_pointer(&found[k].entries));
			continue;
		}
		kinds_found++;
		any_in_body = any_in_body || found[k].in_body;
		if (kinds[k].strength == KIND_ALONE && found[k].folded->len >= 2)
			high = true;
		if (kinds[k].strength == KIND_HIGH_ACT && acted)
			high = true;
		if (kinds[k].strength == KIND_CALLBACK) {
			callback = true;
			high = high || cb.clickable == 0;
		}
	}
	/* three kinds at once and a call to act: the stacked pretexts of a
	 * credential phish ("your account is blocked", "unusual activity",
	 * "verify your account", a link); a real notice tells one thing */
	if (kinds_found >= KINDS_STACKED && acted)
		high = true;
	if (high || (kinds_found > 0 && (acted || callback || kinds_found >= 2))) {
		GString *ev = g_string_new(NULL);
		for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++)
			if (found[k].folded)
				describe_kind(ev, &kinds[k], &found[k]);
		describe_calls_to_act(ev, &act);
		if (callback)
			describe_numbers(ev, &cb);
		ks_report_add_finding_sev(r, KS_RULE_CONTENT_PHISHING_LURE,
		                          high ? KS_SEV_HIGH : ks_rule_severity(KS_RULE_CONTENT_PHISHING_LURE),
		                          any_in_body ? "body" : "header:Subject", "%s", ev->str);
		g_string_free(ev, TRUE);
	}
	for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
		if (found[k].folded) {
			g_ptr_array_unref(found[k].folded);
			g_ptr_array_unref(found[k].entries);
		}
	}
	g_ptr_array_unref(cb.numbers);
}
