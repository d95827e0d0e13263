/* Tests for the phishing analyzer (content.phishing_lure) and the pattern
 * matcher under it (ks_lure_text_find_prefixed in lures.c): lures of each
 * kind in the eight languages fire with a call to act; lone words, lures
 * without one, warnings, discussions, conditions, quoted lines and delivery
 * reports do not.  Wording is our own, not the corpora's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/data.h"
#include "checks/lures.h"
#include "checks/phishing.h"
#include "testlib.h"

/* A report with subject, body text, a link when href is given and a
 * top-level attachment of the given declared type when att_type is. */
static ks_report *report_new(const char *subject, const char *body, const char *href,
                             const char *att_type)
{
	ks_report *r = ks_report_new();
	r->subject = g_strdup(subject);
	r->body_text = g_strdup(body);
	if (href)
		g_ptr_array_add(r->links, ks_link_new("here", href));
	if (att_type) {
		ks_attachment *a = ks_attachment_new("2");
		a->declared_type = g_strdup(att_type);
		a->filename = g_strdup("notice.pdf");
		g_ptr_array_add(r->attachments, a);
	}
	return r;
}

/* As the content analyzer runs it. */
static void run(ks_report *r)
{
	g_autoptr(ks_lure_text) subject = ks_lure_text_new(r->subject, 256 * 1024);
	g_autoptr(ks_lure_text) body = ks_lure_text_new(r->body_text, 256 * 1024);
	ks_phishing_check(r, subject, body);
}

static ks_report *lure(const char *subject, const char *body, const char *href)
{
	ks_report *r = report_new(subject, body, href, NULL);
	run(r);
	return r;
}

#define LINK "https://login-check.example/verify"

/* --- one kind with a call to act, in each language --------------------------- */

static void english_account_suspended_with_link_fires_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Notice",
		"Dear customer,\n\nYour account has been temporarily suspended after a routine "
		"review. Use the secure page to continue.", LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_string_equal(f->location, "body");
	assert_contains(f->evidence, "account locked or suspended");
	assert_contains(f->evidence, "account has been temporarily suspended");
	assert_contains(f->evidence, "1 link");
}

static void portuguese_blocked_account_without_accents_fires(void **state)
{
	(void)state;
	/* Brazilian kits drop the accents: "acesso" and "Voce" */
	g_autoptr(ks_report) r = lure("Aviso",
		"Prezado cliente, Voce teve seu acesso bloqueado por motivo de seguranca. "
		"Clique aqui para regularizar.", NULL);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "acesso bloqueado");
	assert_contains(f->evidence, "clique aqui");
}

static void portuguese_html_escaped_refund_with_attachment_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = report_new("Comunicado",
		"Contribuinte, sua Restitui&ccedil;&atilde;o do IRPF est&aacute; dispon&iacute;vel. "
		"Detalhes no documento.", NULL, "application/pdf");
	run(r);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "tax refund");
	assert_contains(f->evidence, "attachment notice.pdf");
}

static void spanish_customs_fee_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Envío",
		"Su envío se encuentra retenido en aduana hasta el abono de las tasas de aduana "
		"de 2,99 EUR.", LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "delivery failed or fee due");
}

static void german_pushtan_renewal_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Wichtig",
		"Sehr geehrte Kundin, Ihr pushTAN-Verfahren läuft ab. Bitte bestätigen Sie Ihre "
		"Kundendaten bis Freitag.", LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "verify your account");
}

static void french_unpaid_toll_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Rappel",
		"Bonjour, un péage impayé est enregistré à votre nom. Réglez les frais avant lundi.",
		LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "fine, toll or legal summons");
}

static void italian_parcel_in_storage_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Avviso di giacenza",
		"Gentile cliente, il suo pacco è in giacenza presso il nostro deposito.", LINK);
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void dutch_password_expiry_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("IT-melding",
		"Beste collega, uw wachtwoord verloopt vandaag. Klik hier om het huidige "
		"wachtwoord te behouden.", NULL);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "password expiry");
	assert_contains(f->evidence, "klik hier");
}

static void japanese_restricted_account_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("重要なお知らせ",
		"お客様のアカウントを一時的に制限しております。\n下記URLよりご確認ください。", LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "アカウントを一時的に制限");
}

static void lure_only_in_subject_is_located_at_subject(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Unusual sign-in activity on your account",
		"See the details below.", LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Subject");
}

static void combining_marks_and_curly_apostrophes_do_not_hide_a_lure(void **state)
{
	(void)state;
	/* Syriac marks inside the words, as kits write them past filters */
	g_autoptr(ks_report) r = lure("Notice",
		"We\u2019ve l\u073Fo\u073Fcked your acc\u073Fount.", LINK);
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE));
}

/* --- the combinations ---------------------------------------------------------- */

static void lone_words_do_not_fire(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Password and invoice",
		"The password policy is attached; the invoice follows next week.", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void lure_without_call_to_act_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Status",
		"Our records show the account has been suspended since March.", NULL);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void two_kinds_fire_without_a_call_to_act(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Billing",
		"Your payment was declined. Your account will be suspended on Friday.", NULL);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "payment failed");
	assert_contains(f->evidence, "account locked or suspended");
}

static void one_weak_phrase_is_a_newsletter_two_are_a_lure(void **state)
{
	(void)state;
	g_autoptr(ks_report) news = lure("Double points weekend",
		"Earn double points on every order. Your points will expire after two years "
		"without a purchase.", LINK);
	assert_null(find_rule(news, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) pt = lure("Ofertas", "Troque seus pontos por produtos na loja.", LINK);
	assert_null(find_rule(pt, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) lure2 = lure("Pontos",
		"Você tem pontos acumulados que expiram hoje. Troque seus pontos por dinheiro.",
		LINK);
	assert_non_null(sole_finding(lure2, KS_RULE_CONTENT_PHISHING_LURE));
}

static void picture_attachment_is_not_a_call_to_act(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = report_new("Status",
		"Your account has been suspended.", NULL, "image/png");
	run(r);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

/* --- the strong kinds ------------------------------------------------------------ */

static void sextortion_with_two_phrases_is_high_without_links(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Your privacy",
		"I have gained access to your computer some months ago and I have watched you "
		"through your webcam. Send the amount in bitcoin within two days.", NULL);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "sextortion");
}

static void one_sextortion_phrase_alone_is_silent(void **state)
{
	(void)state;
	/* a list's banter about adult sites, with its footer link */
	g_autoptr(ks_report) r = lure("Re: filters",
		"Even adult websites take credit cards these days.", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

/* Dating and romance mass mails: a phrase of the kind with a call to act,
 * medium like the other plain kinds; in German and Dutch too. */
static void dating_lure_with_link_fires_medium(void **state)
{
	(void)state;
	g_autoptr(ks_report) en = lure("You have 3 new messages",
		"Hey! Lonely ladies near you want to meet you tonight. No fake profiles, "
		"just real people.", LINK);
	const ks_finding *f = sole_finding(en, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_contains(f->evidence, "dating or romance");
	g_autoptr(ks_report) de = lure("Neue Nachricht",
		"Hallo! Jana hat dir eine Nachricht geschickt. Ich sehe, wir wohnen in der Nähe.",
		LINK);
	assert_non_null(find_rule(de, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) nl = lure("Hoi",
		"Ik ben op zoek naar een serieuze relatie. Misschien ben jij het?", LINK);
	assert_non_null(find_rule(nl, KS_RULE_CONTENT_PHISHING_LURE));
}

/* A social network's notice says someone sent a message (a weak phrase);
 * a list about spam names the lure's words in a sentence about it; a
 * business looks for a partner. */
static void dating_near_misses_are_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) notice = lure("New message",
		"Anna Berg sent you a message. Reply on the site.", LINK);
	assert_null(find_rule(notice, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) business = lure("Distribution in Spain",
		"We are looking for a partner in Madrid; I am looking for a distributor too.", LINK);
	assert_null(find_rule(business, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) words = lure("Re: weekend",
		"The singles tournament is on Sunday; we could date the final for June.", LINK);
	assert_null(find_rule(words, KS_RULE_CONTENT_PHISHING_LURE));
}

/* Prize draws without an amount in the sentence (German, French), a
 * bankrupt platform's withdrawal, the charity-donation advance fee; and
 * their near misses: one survey or entry phrase alone is a newsletter's,
 * one donation phrase a charity's thanks. */
static void raffle_withdrawal_and_donation_wordings_fire(void **state)
{
	(void)state;
	g_autoptr(ks_report) de = lure("Glückwunsch",
		"Sie sind unter den Auserwählten für die Endauslosung eines Kleinwagens.", LINK);
	assert_contains(sole_finding(de, KS_RULE_CONTENT_PHISHING_LURE)->evidence, "prize");
	g_autoptr(ks_report) fr = lure("Confirmez",
		"Notre partenaire organise le tirage au sort qui vous permettra de gagner un vélo.",
		LINK);
	assert_non_null(find_rule(fr, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) coin = lure("Claims update",
		"You can now begin withdrawing digital assets from your exchange account.", LINK);
	assert_contains(sole_finding(coin, KS_RULE_CONTENT_PHISHING_LURE)->evidence, "crypto");
	g_autoptr(ks_report) gift = lure("Hello",
		"I have chosen you as one of the beneficiaries of this donation. I wish to bequeath "
		"part of my fortune to you.", NULL);
	const ks_finding *f = sole_finding(gift, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
}

static void one_survey_or_donation_phrase_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) survey = lure("Ihre Meinung",
		"Nehmen Sie sich zwei Minuten für eine kurze Umfrage zu Ihren Erfahrungen mit "
		"unserem Kundendienst.", LINK);
	assert_null(find_rule(survey, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) webinar = lure("Webinar",
		"Die Teilnahme ist kostenlos; melden Sie sich bis Freitag an.", LINK);
	assert_null(find_rule(webinar, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) thanks = lure("Thank you",
		"We are grateful for receiving this donation; your receipt is attached.", LINK);
	assert_null(find_rule(thanks, KS_RULE_CONTENT_PHISHING_LURE));
}

static void advance_fee_in_portuguese_is_high(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Saudações",
		"Sou viúva e fui diagnosticada com câncer. Desejo doar os fundos do meu falecido "
		"marido a uma pessoa honesta.", NULL);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_contains(f->evidence, "advance fee");
}

static void recovery_phrase_asked_with_link_is_high(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Wallet check",
		"Confirm ownership by entering your secret recovery phrase on the page.", LINK);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
}

/* --- what does not count -------------------------------------------------------- */

static void warning_against_sharing_the_phrase_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Security tips",
		"Never share your recovery phrase with anyone, not even with our staff.", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void sentence_about_phishing_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Re: odd mail",
		"We got a phishing mail today claiming your account has been suspended and asking "
		"to verify your identity, so please ignore it.", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void address_holding_a_discussion_word_does_not_hide_a_lure(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Notice",
		"Hello phishing@honeypot.example, your account has been locked today.", LINK);
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void condition_before_a_lure_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("IT news",
		"If your mailbox is full, archive old items first. Quotas grow to 50 GB in May.",
		LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) de = lure("IT-News",
		"Wenn Ihr Postfach voll ist, archivieren Sie alte Nachrichten.", LINK);
	assert_null(find_rule(de, KS_RULE_CONTENT_PHISHING_LURE));
}

static void quoted_lines_are_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("Re: is this real?",
		"No, delete it.\n\n> Your account has been locked.\n> Click here to verify your "
		"identity.\n", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void delivery_report_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = report_new("Undeliverable: report",
		"Delivery failed: the user's mailbox is full.", NULL, "message/delivery-status");
	run(r);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void requested_password_reset_is_silent(void **state)
{
	(void)state;
	/* the reset the user asked for names no expiry, lock or threat */
	g_autoptr(ks_report) r = lure("Reset your password",
		"We received a request to reset the password for your account. Click here to "
		"choose a new one. If you did not ask for this, ignore this mail.", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

static void japanese_missed_delivery_notice_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = lure("お荷物お届けのお知らせ",
		"お荷物をお届けに伺いましたが、ご不在でしたので持ち帰りました。\n"
		"再配達のご依頼は下記URLから承ります。", LINK);
	assert_null(find_rule(r, KS_RULE_CONTENT_PHISHING_LURE));
}

/* --- the matcher and the data ------------------------------------------------- */

static void pattern_hit_names_the_phrase_as_spelled_and_its_section(void **state)
{
	(void)state;
	g_autoptr(ks_lure_text) t =
		ks_lure_text_new("NOTE: ACCOUNT  HAS BEEN\nTEMPORARILY LOCKED.", 4096);
	g_autoptr(GArray) hits = ks_lure_text_find_prefixed(t, "phish.", 64);
	bool found = false;
	for (guint i = 0; i < hits->len; i++) {
		const ks_lure_hit *h = &g_array_index(hits, ks_lure_hit, i);
		if (strcmp(h->term->entry, "account has been temporarily locked") == 0) {
			assert_string_equal(h->term->section, "phish.account");
			found = true;
		}
	}
	assert_true(found);
}

static void pattern_needs_word_boundaries(void **state)
{
	(void)state;
	g_autoptr(ks_lure_text) t = ks_lure_text_new("clickhere and reclick here", 4096);
	g_autoptr(GArray) hits = ks_lure_text_find_prefixed(t, "phish.", 64);
	for (guint i = 0; i < hits->len; i++)
		assert_string_not_equal(g_array_index(hits, ks_lure_hit, i).term->entry, "click here");
}

static void quoted_offsets_are_found_on_their_line(void **state)
{
	(void)state;
	g_autoptr(ks_lure_text) t = ks_lure_text_new("top line\n  > quoted words\nlast", 4096);
	const char *q = strstr(t->folded, "quoted");
	const char *l = strstr(t->folded, "last");
	assert_true(ks_lure_text_quoted(t, (size_t)(q - t->folded)));
	assert_false(ks_lure_text_quoted(t, (size_t)(l - t->folded)));
}

static const char *const lure_files[] = {"lures_en.txt", "lures_ja.txt", "lures_pt.txt",
                                         "lures_es.txt", "lures_de.txt", "lures_fr.txt",
                                         "lures_it.txt", "lures_nl.txt"};
/* The kinds of phishing.c and the helper sections. */
static const char *const kind_sections[] = {
	"phish.account",  "phish.signin",   "phish.verify",      "phish.password",
	"phish.mailbox",  "phish.voicemail", "phish.document",   "phish.payment", "phish.callback",
	"phish.delivery", "phish.tax",      "phish.legal",       "phish.prize",
	"phish.crypto",   "phish.seed",     "phish.advance_fee", "phish.sextortion",
	"phish.dating",
	"phish.act",      "phish.reply",    "phish.benign",      "phish.discussion",
};
/* the first KINDS rows are kinds, which may have a .weak section */
#define KINDS 18

static void every_language_has_every_kind_and_every_entry_compiles(void **state)
{
	(void)state;
	for (size_t f = 0; f < G_N_ELEMENTS(lure_files); f++) {
		const GPtrArray *lines = ks_data_lines(lure_files[f]);
		assert_non_null(lines);
		bool seen[G_N_ELEMENTS(kind_sections)] = {false};
		for (guint i = 0; i < lines->len; i++) {
			g_autofree char *name = NULL, *entry = NULL;
			assert_true(ks_data_split(g_ptr_array_index(lines, i), &name, &entry));
			if (!g_str_has_prefix(name, "phish."))
				continue;
			bool known = strcmp(name, "phish.conditional") == 0;
			for (size_t k = 0; k < G_N_ELEMENTS(kind_sections); k++) {
				g_autofree char *weak = g_strconcat(kind_sections[k], ".weak", NULL);
				if (strcmp(name, kind_sections[k]) == 0)
					known = seen[k] = true;
				else if (k < KINDS && strcmp(name, weak) == 0)
					known = true;
			}
			if (!known)
				fail_msg("%s: unknown section %s", lure_files[f], name);
			if (!ks_lure_entry_check(entry))
				fail_msg("%s: entry does not compile: %s", lure_files[f], entry);
		}
		for (size_t k = 0; k < G_N_ELEMENTS(kind_sections); k++) {
			if (!seen[k])
				fail_msg("%s has no %s", lure_files[f], kind_sections[k]);
		}
	}
}

static void empty_report_and_invalid_text_give_no_finding(void **state)
{
	(void)state;
	g_autoptr(ks_report) empty = ks_report_new();
	run(empty);
	assert_int_equal(empty->findings->len, 0);
	g_autoptr(ks_report) bad = lure("\xff\xfe", "your account has been \xc3 locked \xe3\x81", LINK);
	assert_null(find_rule(bad, KS_RULE_CONTENT_PHISHING_LURE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_account_suspended_with_link_fires_medium),
		cmocka_unit_test(portuguese_blocked_account_without_accents_fires),
		cmocka_unit_test(portuguese_html_escaped_refund_with_attachment_fires),
		cmocka_unit_test(spanish_customs_fee_fires),
		cmocka_unit_test(german_pushtan_renewal_fires),
		cmocka_unit_test(french_unpaid_toll_fires),
		cmocka_unit_test(italian_parcel_in_storage_fires),
		cmocka_unit_test(dutch_password_expiry_fires),
		cmocka_unit_test(japanese_restricted_account_fires),
		cmocka_unit_test(lure_only_in_subject_is_located_at_subject),
		cmocka_unit_test(combining_marks_and_curly_apostrophes_do_not_hide_a_lure),
		cmocka_unit_test(lone_words_do_not_fire),
		cmocka_unit_test(lure_without_call_to_act_is_silent),
		cmocka_unit_test(two_kinds_fire_without_a_call_to_act),
		cmocka_unit_test(one_weak_phrase_is_a_newsletter_two_are_a_lure),
		cmocka_unit_test(picture_attachment_is_not_a_call_to_act),
		cmocka_unit_test(sextortion_with_two_phrases_is_high_without_links),
		cmocka_unit_test(one_sextortion_phrase_alone_is_silent),
		cmocka_unit_test(dating_lure_with_link_fires_medium),
		cmocka_unit_test(dating_near_misses_are_silent),
		cmocka_unit_test(raffle_withdrawal_and_donation_wordings_fire),
		cmocka_unit_test(one_survey_or_donation_phrase_is_silent),
		cmocka_unit_test(advance_fee_in_portuguese_is_high),
		cmocka_unit_test(recovery_phrase_asked_with_link_is_high),
		cmocka_unit_test(warning_against_sharing_the_phrase_is_silent),
		cmocka_unit_test(sentence_about_phishing_is_silent),
		cmocka_unit_test(address_holding_a_discussion_word_does_not_hide_a_lure),
		cmocka_unit_test(condition_before_a_lure_is_silent),
		cmocka_unit_test(quoted_lines_are_silent),
		cmocka_unit_test(delivery_report_is_silent),
		cmocka_unit_test(requested_password_reset_is_silent),
		cmocka_unit_test(japanese_missed_delivery_notice_is_silent),
		cmocka_unit_test(pattern_hit_names_the_phrase_as_spelled_and_its_section),
		cmocka_unit_test(pattern_needs_word_boundaries),
		cmocka_unit_test(quoted_offsets_are_found_on_their_line),
		cmocka_unit_test(every_language_has_every_kind_and_every_entry_compiles),
		cmocka_unit_test(empty_report_and_invalid_text_give_no_finding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
