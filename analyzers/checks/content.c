/* Analyzer for the lures in what a mail says (subject and body text):
 *
 *   content.payment_change        a change of bank account, payee or payroll
 *                                 deposit: one strong phrase, or a change word
 *                                 and a bank word in the same sentence;
 *   content.confidential_request  secrecy, urgency and authority together
 *                                 (FBI IC3 PSA I-061416-PSA's CEO-fraud triad);
 *   content.information_request   a list of staff, payroll, customers or open
 *                                 invoices asked for with urgency or secrecy
 *                                 (IPA's BEC type 5, theft of information to
 *                                 prepare fraud; IRS/FBI W-2 phishing alerts);
 *   content.phishing_lure         the lures of credential phishing and scams,
 *                                 in phishing.c, on the same folded texts.
 *
 * The words are the sections of data/lures_<lang>.txt (see lures_en.txt for
 * the format), all languages at once, since a Japanese mail may quote English.
 * Addresses and routing are other analyzers' concern. */
#include "checks/content.h"

#include "checks/lures.h"
#include "checks/phishing.h"

#include <string.h>

/* Lures sit near the top of a fraud mail; this bounds the scan. */
#define TEXT_MAX (256 * 1024)
#define HITS_MAX 64
/* "Same sentence or close": a change word at most this many characters from
 * the bank word it governs.  60 covers "change the bank account we use for
 * invoices" with room; a sentence end (. ! ? 。) always breaks the pair. */
#define PAIR_GAP_MAX 60
/* A footer's secrecy word sits in one long sentence with its disclaimer. */
#define DISCLAIMER_GAP_MAX 300
/* Characters of context either side of a quoted match, and quotes per finding:
 * enough to read the sentence, short enough for one line of the report. */
#define CONTEXT_AROUND 20
#define EVIDENCE_ITEMS 3

typedef struct {
	size_t start, end;
} span;

static bool overlaps(const GArray *spans, size_t start, size_t end)
{
	for (guint i = 0; i < spans->len; i++) {
		const span *s = &g_array_index(spans, span, i);
		if (start < s->end && s->start < end)
			return true;
	}
	return false;
}

static void quote(GString *ev, GArray *spans, const ks_lure_text *t, size_t start, size_t end,
                  const char *why)
{
	g_autofree char *ctx = ks_lure_text_context(t, start, end, CONTEXT_AROUND);
	g_string_append_printf(ev, "%s%s (%s)", ev->len ? "; " : "", ctx, why);
	span s = {start, end};
	g_array_append_val(spans, s);
}

/* Quotes of a payment-change request in t, or NULL when there is none. */
static char *payment_change(const ks_lure_text *t)
{
	g_autoptr(GArray) phrases = ks_lure_text_find(t, NULL, "payment.phrase", HITS_MAX);
	g_autoptr(GArray) verbs = ks_lure_text_find(t, NULL, "payment.verb", HITS_MAX);
	/* nouns only count beside a verb: without one they are not looked for */
	g_autoptr(GArray) nouns = verbs->len ? ks_lure_text_find(t, NULL, "payment.noun", HITS_MAX)
	                                     : g_array_new(FALSE, FALSE, sizeof(ks_lure_hit));
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(span));
	GString *ev = g_string_new(NULL);
	bool found = phrases->len > 0;
	for (guint i = 0; i < phrases->len && spans->len < EVIDENCE_ITEMS; i++) {
		const ks_lure_hit *p = &g_array_index(phrases, ks_lure_hit, i);
		if (!overlaps(spans, p->start, p->end))
			quote(ev, spans, t, p->start, p->end, p->term->entry);
	}
	for (guint i = 0; i < verbs->len && spans->len < EVIDENCE_ITEMS; i++) {
		const ks_lure_hit *v = &g_array_index(verbs, ks_lure_hit, i);
		for (guint j = 0; j < nouns->len && spans->len < EVIDENCE_ITEMS; j++) {
			const ks_lure_hit *n = &g_array_index(nouns, ks_lure_hit, j);
			if (!ks_lure_text_same_sentence(t, v, n, PAIR_GAP_MAX))
				continue;
			found = true;
			size_t start = MIN(v->start, n->start), end = MAX(v->end, n->end);
			if (overlaps(spans, start, end))
				continue;
			g_autofree char *why = g_strdup_printf("%s + %s", v->term->entry, n->term->entry);
			quote(ev, spans, t, start, end, why);
		}
	}
	if (!found) {
		g_string_free(ev, TRUE);
		return NULL;
	}
	return g_string_free(ev, FALSE);
}

static void check_payment_change(ks_report *r, const ks_lure_text *subject,
                                 const ks_lure_text *body)
{
	g_autofree char *in_body = payment_change(body);
	g_autofree char *in_subject = payment_change(subject);
	if (in_body && in_subject)
		ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "subject: %s; body: %s",
		                      in_subject, in_body);
	else if (in_body)
		ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "body", "%s", in_body);
	else if (in_subject)
		ks_report_add_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE, "header:Subject", "%s",
		                      in_subject);
}

/* Secrecy words, less those inside a confidentiality footer's paragraph
 * ("This e-mail is confidential. If you are not the intended recipient..."
 * is two sentences of one footer). */
static GArray *secrecy_hits(const ks_lure_text *t)
{
	GArray *hits = ks_lure_text_find(t, NULL, "secrecy", HITS_MAX);
	if (!hits->len)
		return hits;
	g_autoptr(GArray) footers = ks_lure_text_find(t, NULL, "secrecy.disclaimer", HITS_MAX);
	for (guint i = hits->len; i-- > 0;) {
		const ks_lure_hit *h = &g_array_index(hits, ks_lure_hit, i);
		for (guint j = 0; j < footers->len; j++) {
			const ks_lure_hit *f = &g_array_index(footers, ks_lure_hit, j);
			if (ks_lure_text_same_paragraph(t, h, f, DISCLAIMER_GAP_MAX)) {
				g_array_remove_index(hits, i);
				break;
			}
		}
	}
	return hits;
}

/* Urgency words, less those inside a phrase that says the opposite or is a
 * set formula ("not urgent", 取り急ぎ "in haste", 至急ではございません). */
static GArray *urgency_hits(const ks_lure_text *t)
{
	GArray *hits = ks_lure_text_find(t, NULL, "urgency", HITS_MAX);
	if (!hits->len)
		return hits;
	g_autoptr(GArray) benign = ks_lure_text_find(t, NULL, "urgency.benign", HITS_MAX);
	for (guint i = hits->len; i-- > 0;) {
		const ks_lure_hit *h = &g_array_index(hits, ks_lure_hit, i);
		for (guint j = 0; j < benign->len; j++) {
			const ks_lure_hit *b = &g_array_index(benign, ks_lure_hit, j);
			if (h->start < b->end && b->start < h->end) {
				g_array_remove_index(hits, i);
				break;
			}
		}
	}
	return hits;
}

static const char *const triad[] = {"secrecy", "urgency", "authority"};

/* Hits of the three groups in one text. */
static void triad_hits(const ks_lure_text *t, GArray *hits[3])
{
	hits[0] = secrecy_hits(t);
	hits[1] = urgency_hits(t);
	hits[2] = ks_lure_text_find(t, NULL, triad[2], HITS_MAX);
}

static void check_confidential_request(ks_report *r, const ks_lure_text *subject,
                                       const ks_lure_text *body)
{
	GArray *in_subject[3], *in_body[3];
	triad_hits(subject, in_subject);
	triad_hits(body, in_body);
	bool all = true, subject_alone = true;
	for (int g = 0; g < 3; g++) {
		subject_alone = subject_alone && in_subject[g]->len > 0;
		all = all && (in_subject[g]->len > 0 || in_body[g]->len > 0);
	}
	if (all) {
		GString *ev = g_string_new(NULL);
		for (int g = 0; g < 3; g++) {
			g_array_append_vals(in_subject[g], in_body[g]->data, in_body[g]->len);
			g_autofree char *words = ks_lure_hits_join(in_subject[g]);
			g_string_append_printf(ev, "%s%s: %s", g ? "; " : "", triad[g], words);
		}
		ks_report_add_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST,
		                      subject_alone ? "header:Subject" : "body", "%s", ev->str);
		g_string_free(ev, TRUE);
	}
	for (int g = 0; g < 3; g++) {
		g_array_unref(in_subject[g]);
		g_array_unref(in_body[g]);
	}
}

/* A data list asked for (data.request) in a mail that also presses or
 * swears to secrecy: an HR mail that names the employee list fires nothing. */
static void check_information_request(ks_report *r, const ks_lure_text *subject,
                                      const ks_lure_text *body)
{
	g_autoptr(GArray) asked = ks_lure_text_find(body, NULL, "data.request", HITS_MAX);
	g_autoptr(GArray) asked_s = ks_lure_text_find(subject, NULL, "data.request", HITS_MAX);
	if (asked->len == 0 && asked_s->len == 0)
		return;
	g_autoptr(GArray) urgent = urgency_hits(body);
	g_autoptr(GArray) urgent_s = urgency_hits(subject);
	g_autoptr(GArray) secret = secrecy_hits(body);
	g_autoptr(GArray) secret_s = secrecy_hits(subject);
	g_array_append_vals(urgent, urgent_s->data, urgent_s->len);
	g_array_append_vals(secret, secret_s->data, secret_s->len);
	if (urgent->len == 0 && secret->len == 0)
		return;
	bool in_body = asked->len > 0;
	g_array_append_vals(asked, asked_s->data, asked_s->len);
	g_autofree char *what = ks_lure_hits_join(asked);
	g_autoptr(GString) ev = g_string_new(NULL);
	g_string_printf(ev, "asks for: %s", what);
	if (urgent->len) {
		g_autofree char *u = ks_lure_hits_join(urgent);
		g_string_append_printf(ev, "; urgency: %s", u);
	}
	if (secret->len) {
		g_autofree char *s = ks_lure_hits_join(secret);
		g_string_append_printf(ev, "; secrecy: %s", s);
	}
	ks_report_add_finding(r, KS_RULE_CONTENT_INFORMATION_REQUEST,
	                      in_body ? "body" : "header:Subject", "%s", ev->str);
}

/* The subject with the separators that stand for blanks made blanks, byte
 * for byte: underscores always ("Bitcoin__Balance__0.7495__BTC",
 * "Find_out_how_to_get_your_Reward!"), and in a subject without a blank
 * the dots that are not a number's ("GO.Get.Bitcoin.0.7495.BTC"): spam
 * joins its words so that no phrase filter reads them.  g_free. */
static char *subject_words(const char *subject)
{
	if (!subject)
		return NULL;
	char *s = g_strdup(subject);
	bool blank = strpbrk(s, " \t") != NULL;
	for (char *p = s; *p; p++) {
		if (*p == '_')
			*p = ' ';
		else if (*p == '.' && !blank && p > s && p[1] &&
		         !(g_ascii_isdigit(p[-1]) && g_ascii_isdigit(p[1])))
			*p = ' ';
	}
	return s;
}

void ks_content_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	if (!r)
		return;
	g_autofree char *words = subject_words(r->subject);
	g_autoptr(ks_lure_text) subject = ks_lure_text_new(words, TEXT_MAX);
	g_autoptr(ks_lure_text) body = ks_lure_text_new(r->body_text, TEXT_MAX);
	check_payment_change(r, subject, body);
	check_confidential_request(r, subject, body);
	check_information_request(r, subject, body);
	ks_phishing_check(r, subject, body);
}
