/* Tests for the content analyzer (content.payment_change,
 * content.confidential_request) and the lure matcher under it (lures.c):
 * English, Japanese and Spanish lures fire, ordinary business mail does not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "checks/content.h"
#include "core/data.h"
#include "checks/lures.h"
#include "core/sanitize.h"
#include "testlib.h"

/* The content analyzer over a subject and a body, with a link to href
 * when it is given (a call to act for the lure rule). */
static ks_report *analyze_with(const char *subject, const char *body, const char *href)
{
	ks_report *r = ks_report_new();
	r->subject = g_strdup(subject);
	r->body_text = g_strdup(body);
	if (href)
		g_ptr_array_add(r->links, ks_link_new("here", href));
	ks_message m = {0};
	g_autoptr(ks_context) ctx = ks_context_new();
	ks_content_analyze(&m, ctx, r);
	return r;
}

static ks_report *analyze(const char *subject, const char *body)
{
	return analyze_with(subject, body, NULL);
}

/* --- content.payment_change ------------------------------------------------ */

static void payment_change_english_phrase_fires_in_body(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Vendor notice",
		"Hello,\n\nPlease update our bank details in your system before the next "
		"payment run. The new details are attached.\n\nRegards,\nAccounts");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	assert_string_equal(f->location, "body");
	assert_contains(f->evidence, "update our bank details");
}

static void payment_change_english_verb_and_noun_in_one_sentence_fire(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Payroll",
		"Hi Jane, I changed banks last week. Can you switch my direct deposit to the "
		"account below before Friday?");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	assert_non_null(f);
	assert_contains(f->evidence, "switch + direct deposit");
}

static void payment_change_japanese_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("お支払いについて",
		"いつもお世話になっております。\n弊社の振込先口座が変更になりましたので、"
		"今後は下記口座へお振込みくださいますようお願いいたします。");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	assert_non_null(f);
	assert_string_equal(f->location, "body");
	assert_contains(f->evidence, "振込先口座が変更");
}

static void payment_change_japanese_wrapped_line_still_matches(void **state)
{
	(void)state;
	/* a hard line break inside a Japanese phrase is a wrap, not a word break */
	g_autoptr(ks_report) r = analyze("給与", "来月より給与振込口座の\n変更をお願いします。");
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_spanish_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Nómina",
		"Buenos días, quisiera actualizar la cuenta donde recibo la nómina a partir de "
		"este mes. Gracias.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	assert_non_null(f);
	assert_contains(f->evidence, "actualizar + nómina");
}

static void payment_change_spanish_phrase_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Aviso",
		"Le informamos del cambio de cuenta bancaria para los próximos pagos.");
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_in_subject_alone_is_located_at_subject(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Change of bank account", "See attached letter.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Subject");
}

static void payment_change_full_width_text_matches(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("ＮＯＴＩＣＥ", "ＵＰＤＡＴＥ ｏｕｒ ＢＡＮＫ ｄｅｔａｉｌｓ");
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_zero_width_space_does_not_hide_a_phrase(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Notice", "Please upd\u200bate our bank de\u00adtails.");
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_invoice_mentioning_bank_once_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) en = analyze("Invoice INV-2023-044",
		"Dear customer,\n\nPlease find attached invoice INV-2023-044 for March. Payment is "
		"due within 30 days to our bank account as usual.\n\nThank you for your business.");
	assert_null(sole_finding(en, KS_RULE_CONTENT_PAYMENT_CHANGE));
	g_autoptr(ks_report) ja = analyze("3月分請求書送付の件",
		"いつもお世話になっております。3月分の請求書を送付いたします。"
		"お支払いは従来どおり下記口座へお願いいたします。");
	assert_null(sole_finding(ja, KS_RULE_CONTENT_PAYMENT_CHANGE));
	g_autoptr(ks_report) es = analyze("Factura de marzo",
		"Adjuntamos la factura de marzo. El pago se realiza a la cuenta bancaria habitual.");
	assert_null(sole_finding(es, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_words_in_different_sentences_are_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Office move",
		"We changed our office address. Payments still go to the bank account on file.");
	assert_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_word_inside_a_longer_word_is_silent(void **state)
{
	(void)state;
	/* "change" inside "exchange", "update" inside "updates" are not change words */
	g_autoptr(ks_report) r = analyze("Rates",
		"Currency exchange fees may apply to the bank account of the payee.");
	assert_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void payment_change_evidence_is_bounded(void **state)
{
	(void)state;
	GString *body = g_string_new(NULL);
	for (int i = 0; i < 2000; i++)
		g_string_append(body, "Please update our bank details now. ");
	g_autoptr(ks_report) r = analyze("x", body->str);
	g_string_free(body, TRUE);
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
	assert_non_null(f);
	assert_true(strlen(f->evidence) < 400);
}

/* the excerpt widens to a whole account number, IBAN or full-width number
 * rather than end in the middle of one (issue #11: "no cut bank account
 * numbers" in the summaries) */
static void payment_change_evidence_never_cuts_an_account_number(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"Please update our bank details: IBAN DE89370400440532013000 effective today.",
		"Please update our bank details to account 00123456789012345678 at our new bank.",
		"振込先の変更をお願いします。新口座１２３４５６７８９０１２３４５へお振込みください。",
	};
	static const char *const numbers[] = {"DE89370400440532013000", "00123456789012345678",
	                                      "１２３４５６７８９０１２３４５"};
	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(ks_report) r = analyze("x", bodies[i]);
		const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE);
		assert_non_null(f);
		const char *hit = strstr(f->evidence, numbers[i]);
		/* either the whole number is there, or none of it */
		if (!hit)
			assert_null(strstr(f->evidence, i == 2 ? "１２３" : "0123"));
		else
			assert_non_null(hit);
	}
}

/* --- content.confidential_request --------------------------------------------- */

static void confidential_request_english_fires_with_words_per_group(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Quick task",
		"I need you to handle a strictly confidential matter today. Our CEO is finalizing "
		"an acquisition; do not discuss this with anyone.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_string_equal(f->location, "body");
	assert_contains(f->evidence, "secrecy: strictly confidential");
	assert_contains(f->evidence, "do not discuss");
	assert_contains(f->evidence, "urgency: today");
	assert_contains(f->evidence, "authority: ceo, acquisition");
}

static void confidential_request_japanese_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("【至急】ご相談",
		"お疲れ様です。現在、極秘で買収案件を進めております。本件は他言無用でお願いします。\n社長");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST);
	assert_non_null(f);
	assert_contains(f->evidence, "secrecy: 極秘, 他言無用");
	assert_contains(f->evidence, "urgency: 至急");
	assert_contains(f->evidence, "買収");
	assert_contains(f->evidence, "社長");
}

static void confidential_request_full_width_ceo_counts_as_authority(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("ご連絡", "本件は内密に、本日中にＣＥＯの指示どおり進めてください。");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST);
	assert_non_null(f);
	assert_contains(f->evidence, "authority: ceo");
}

static void confidential_request_spanish_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Asunto estrictamente confidencial",
		"Necesito su ayuda hoy mismo. El abogado de la adquisición le contactará.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST);
	assert_non_null(f);
	assert_contains(f->evidence, "estrictamente confidencial");
	assert_contains(f->evidence, "abogado");
}

static void confidential_request_in_subject_alone_is_located_at_subject(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("URGENT - confidential acquisition", "Call me.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Subject");
}

static void confidential_request_newsletter_saying_urgent_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("URGENT: last chance to register today!",
		"Our director of marketing presents the spring product line. Register now, "
		"seats are limited!");
	assert_null(sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
}

static void confidential_request_footer_confidentiality_is_ignored(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Approval needed today",
		"Please approve the attached purchase order.\n\nJohn Smith\nManaging Director\n\n"
		"This e-mail and any attachments are confidential and intended solely for the "
		"addressee. If you have received this e-mail in error, please delete it.");
	assert_null(sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
}

static void confidential_request_footer_of_several_sentences_is_ignored(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Year-end party today",
		"The party is today at 18:00.\n\nKoji Nakamura\nPresident & CEO\n\n"
		"CONFIDENTIALITY NOTICE: This e-mail is confidential. If you are not the intended "
		"recipient, please delete it.");
	assert_null(sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
	g_autoptr(ks_report) ja = analyze("ご請求書送付のご案内",
		"至急ではございませんが、ご確認をお願いいたします。\n取り急ぎご連絡まで。\n\n"
		"株式会社朝日部品\n代表取締役 山本 一郎\n"
		"本メールには機密情報が含まれている場合があります。\n"
		"宛先に誤りがある場合は、削除をお願いいたします。\n");
	assert_null(sole_finding(ja, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
}

static void confidential_request_colloquial_wording_fires(void **state)
{
	(void)state;
	g_autoptr(ks_report) en = analyze("Request",
		"I need you to handle a wire right away. Keep it to yourself for now.\nCEO");
	assert_non_null(sole_finding(en, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
	g_autoptr(ks_report) ja = analyze("お願い",
		"急ぎで振込をお願いしたい案件があります。他の社員には秘密にしてください。\n代表取締役社長 中村");
	assert_non_null(sole_finding(ja, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
	g_autoptr(ks_report) es = analyze("Operación reservada",
		"Es un asunto reservado: no lo comentes con nadie. Necesito que la gestiones esta "
		"misma mañana.\nConsejero Delegado");
	assert_non_null(sole_finding(es, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
}

static void payment_change_without_a_change_word_fires(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"標記の件、お振込先が変わりますので、ご連絡いたしました。",
		"銀行を変えたので、今月分の給与から新しい銀行口座に振り込んでください。",
		"弊社の取引口座は監査中のため、下記の別口座へお振込みください。",
		"Our bank account is currently under audit, please remit to our alternate account.",
		"I'd like my salary to go to the new account starting next pay period.",
		"Hemos cambiado de entidad bancaria. Realice los pagos a nuestra nueva cuenta.",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autoptr(ks_report) r = analyze("x", bodies[i]);
		if (!sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE))
			fail_msg("no payment_change in \"%s\"", bodies[i]);
	}
}

static void confidential_request_without_urgency_is_silent(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Board minutes",
		"The confidential minutes of the CEO's meeting are attached for your records.");
	assert_null(sole_finding(r, KS_RULE_CONTENT_CONFIDENTIAL_REQUEST));
}

/* --- the matcher and its data ------------------------------------------------- */

static void empty_report_gives_no_findings(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze(NULL, NULL);
	assert_int_equal(r->findings->len, 0);
}

static void invalid_utf8_is_matched_without_crashing(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("\xff\xfe", "change of bank account \xc3\x28 \xe3\x81");
	assert_non_null(sole_finding(r, KS_RULE_CONTENT_PAYMENT_CHANGE));
}

static void text_cut_at_limit_stays_valid_utf8(void **state)
{
	(void)state;
	/* 4 bytes cut after the first byte of the second "口" */
	g_autoptr(ks_lure_text) t = ks_lure_text_new("口口", 4);
	assert_string_equal(t->folded, "口");
}

/* The fold reads a word of ASCII, and a unified Han ideograph, without a
 * table look-up: the same bytes and offsets as character by character. */
static void folding_keeps_words_blanks_references_and_offsets(void **state)
{
	(void)state;
	const char *display = "Wire  the FUNDS&amp;Co\n\nTODAY 口座 変更 x&#x4E00;y";
	g_autoptr(ks_lure_text) t = ks_lure_text_new(display, 4096);
	assert_string_equal(t->folded, "wire the funds&co\ntoday 口座変更 x一y");
	/* each folded byte points at where its character is shown */
	const char *f = t->folded;
	assert_int_equal(t->map[strstr(f, "funds") - f], strstr(t->display, "FUNDS") - t->display);
	assert_int_equal(t->map[strstr(f, "&co") - f + 1], strstr(t->display, "Co") - t->display);
	assert_int_equal(t->map[strstr(f, "変") - f + 2], strstr(t->display, "変") - t->display);
	assert_int_equal(t->map[strstr(f, "一") - f], strstr(t->display, "&#x4E00;") - t->display);
	assert_int_equal(t->map[t->len], strlen(t->display));
}

/* ks_unichar_plain_cjk_letter (sanitize.h): the letters the fold and the
 * obfuscation pass read without asking GLib must be uncased letters that
 * NFKC and case folding keep, to GLib */
static void cjk_letters_fold_to_themselves(void **state)
{
	(void)state;
	guint plain = 0;
	for (gunichar c = 1; c < 0x10000; c++) {
		if (!ks_unichar_plain_cjk_letter(c))
			continue;
		plain++;
		char u[7] = {0};
		g_unichar_to_utf8(c, u);
		g_autofree char *nfkc = g_utf8_normalize(u, -1, G_NORMALIZE_NFKC);
		g_autofree char *folded = g_utf8_casefold(u, -1);
		GUnicodeScript script = g_unichar_get_script(c);
		if (g_unichar_type(c) != G_UNICODE_OTHER_LETTER || g_unichar_tolower(c) != c ||
		    strcmp(nfkc, u) != 0 || strcmp(folded, u) != 0 ||
		    (script != G_UNICODE_SCRIPT_HAN && script != G_UNICODE_SCRIPT_HIRAGANA &&
		     script != G_UNICODE_SCRIPT_KATAKANA))
			fail_msg("U+%04X is not an uncased CJK letter NFKC keeps, to GLib", c);
	}
	assert_int_equal(plain, 0x5200 + 0x56 + 0x5A); /* the ideographs, hiragana, katakana */
	g_autoptr(ks_lure_text) t = ks_lure_text_new("\xe9\xbf\xbf\xe3\x81\x81\xe3\x83\xba", 16);
	assert_string_equal(t->folded, "\xe9\xbf\xbf\xe3\x81\x81\xe3\x83\xba"); /* U+9FFF ぁ ヺ */
}

/* --- content.information_request ------------------------------------------- */

static void data_lists_asked_for_under_pressure_fire(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze("Request",
		"Please send me the W-2 forms for all staff today. Keep this between us.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_INFORMATION_REQUEST);
	assert_non_null(f);
	assert_contains(f->evidence, "w-2");
	assert_contains(f->evidence, "urgency: today");
	g_autoptr(ks_report) ja = analyze("至急", "全従業員の氏名と給与額の一覧を送ってください。");
	assert_non_null(sole_finding(ja, KS_RULE_CONTENT_INFORMATION_REQUEST));
	/* the list alone, or pressure alone, is ordinary mail */
	g_autoptr(ks_report) hr = analyze("Directory", "The employee list on the intranet is updated.");
	assert_null(sole_finding(hr, KS_RULE_CONTENT_INFORMATION_REQUEST));
	g_autoptr(ks_report) rush = analyze("Urgent", "Please call me today about the meeting.");
	assert_null(sole_finding(rush, KS_RULE_CONTENT_INFORMATION_REQUEST));
}

static void lure_files_use_only_known_sections(void **state)
{
	(void)state;
	/* phish.* sections are content.phishing_lure's, checked in test_phishing.c */
	static const char *const files[] = {"lures_en.txt", "lures_ja.txt", "lures_es.txt",
	                                      "lures_de.txt", "lures_fr.txt", "lures_pt.txt",
	                                      "lures_it.txt", "lures_nl.txt"};
	static const char *const sections[] = {
		"payment.phrase", "payment.verb", "payment.noun", "secrecy", "secrecy.disclaimer",
		"urgency", "urgency.benign", "authority", "cosmic.lure", "localized.lure",
		"role.executive", "role.lawyer", "data.request", "crypto.coin",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		const GPtrArray *lines = ks_data_lines(files[i]);
		assert_non_null(lines);
		for (guint j = 0; j < lines->len; j++) {
			const char *line = g_ptr_array_index(lines, j);
			const char *colon = strchr(line, ':');
			if (!colon)
				fail_msg("%s: no section in \"%s\"", files[i], line);
			g_autofree char *name = g_strndup(line, colon - line);
			bool known = g_str_has_prefix(name, "phish.");
			for (size_t k = 0; k < G_N_ELEMENTS(sections); k++)
				known = known || strcmp(name, sections[k]) == 0;
			if (!known)
				fail_msg("%s: unknown section in \"%s\"", files[i], line);
		}
	}
	for (size_t k = 0; k < G_N_ELEMENTS(sections); k++)
		assert_true(ks_lures_section(NULL, sections[k])->len > 0);
}

/* --- the subject's joined words -------------------------------------------- */

static ks_report *analyze_linked(const char *subject, const char *body)
{
	return analyze_with(subject, body, "https://bit.ly/3xYz");
}

static void subject_words_joined_by_underscores_or_dots_are_read(void **state)
{
	(void)state;
	g_autoptr(ks_report) u = analyze_linked("Find_out_how_to_claim_your_Reward!", "Hi");
	assert_non_null(sole_finding(u, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) d = analyze_linked("GO.Claim.Your.Bitcoin.0.5.BTC", "Hi");
	const ks_finding *f = sole_finding(d, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_string_equal(f->location, "header:Subject");
	/* near miss: a subject with blanks keeps its dots (a host, a version) */
	g_autoptr(ks_report) v = analyze_linked("Release notes for claim.your.reward 2.1", "Hi");
	assert_null(find_rule(v, KS_RULE_CONTENT_PHISHING_LURE));
}

static void fake_crypto_balance_with_an_amount_fires(void **state)
{
	(void)state;
	/* a weak crypto phrase in the subject, an amount in the body */
	g_autoptr(ks_report) r = analyze_linked("Bitcoin__Balance__0.7495__BTC",
		"The main thing is to have time to withdraw your 12346$\n\nand other words.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_contains(f->evidence, "bitcoin balance");
	g_autoptr(ks_report) s = analyze_linked("Your account",
		"Your Bitcoin account has been automatically collecting coins for the past year. "
		"Withdraw any remaining funds immediately.");
	assert_non_null(sole_finding(s, KS_RULE_CONTENT_PHISHING_LURE));
	/* near misses: the weak phrase without an amount; a market report */
	g_autoptr(ks_report) n1 = analyze_linked("Bitcoin transfer", "See the attached schedule.");
	assert_null(find_rule(n1, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) n2 = analyze_linked("Weekly markets",
		"Bitcoin closed the week up 4 percent; the euro held at 1.08 dollars.");
	assert_null(find_rule(n2, KS_RULE_CONTENT_PHISHING_LURE));
	/* an order's amount with the same weak wording, and no coin named */
	g_autoptr(ks_report) n3 = analyze_linked("Your order",
		"Your order is unpaid: $54.90 will be cancelled in 24 hours.");
	assert_null(find_rule(n3, KS_RULE_CONTENT_PHISHING_LURE));
	g_autoptr(ks_report) f3 = analyze_linked("Your.transaction.0.7495.Bitcoin.",
		"12927$ will be cancelled in 24 hours");
	assert_non_null(find_rule(f3, KS_RULE_CONTENT_PHISHING_LURE));
	/* a phrase that begins with the amount is found whatever the amount
	 * begins with: a digit, a sign, a code's letters */
	static const char *const led[] = {"US$ 12,927 will be cancelled in 24 hours",
	                                  "\xe2\x82\xac" "12.927 will be lost tonight",
	                                  "R$ 12.927,00 will be frozen today"};
	for (size_t i = 0; i < G_N_ELEMENTS(led); i++) {
		g_autoptr(ks_report) lr = analyze_linked("Your.transaction.0.7495.Bitcoin.", led[i]);
		if (!find_rule(lr, KS_RULE_CONTENT_PHISHING_LURE))
			fail_msg("no lure in \"%s\"", led[i]);
	}
}

/* Three pretexts stacked with a call to act (blocked, unusual activity,
 * verify, a link) make the lure high; two stay medium, as a real notice
 * may say two things. */
static void three_lure_kinds_and_a_link_are_high(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = analyze_linked("Your Bank Account has been blocked",
		"Dear Customer, we detected unusual activity on your account. "
		"Your account has been suspended until you verify your account.");
	const ks_finding *f = sole_finding(r, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_HIGH);
	/* Portuguese, the same three */
	g_autoptr(ks_report) pt = analyze_linked("Sua conta foi bloqueada",
		"Detectamos atividade incomum na sua conta. Sua conta foi suspensa, "
		"verifique sua conta agora.");
	const ks_finding *fp = sole_finding(pt, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(fp);
	assert_int_equal(fp->severity, KS_SEV_HIGH);
	/* near misses: two kinds with the link stay medium; three with no call
	 * to act do not make it high */
	g_autoptr(ks_report) two = analyze_linked("Security alert",
		"We detected unusual activity on your account. Please verify your account.");
	const ks_finding *f2 = sole_finding(two, KS_RULE_CONTENT_PHISHING_LURE);
	assert_non_null(f2);
	assert_int_equal(f2->severity, KS_SEV_MEDIUM);
	g_autoptr(ks_report) bare = analyze_with("Your Bank Account has been blocked",
		"Dear Customer, we detected unusual activity on your account. "
		"Your account has been suspended until you verify your account.", NULL);
	const ks_finding *fb = find_rule(bare, KS_RULE_CONTENT_PHISHING_LURE);
	assert_true(!fb || fb->severity != KS_SEV_HIGH);
}

static void an_amount_in_a_lure_is_read_by_its_sign(void **state)
{
	(void)state;
	/* "¤" in an entry: an amount with its sign or code, either side */
	static const char *const fire[] = {
		"Win a $500 gift card today", "Win a 500€ gift card today",
		"Win a 500 EUR gift card today", "Win a US$ 1,250.00 gift card today",
		"Win a 1.000,50 € gift card today",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(fire); i++) {
		g_autoptr(ks_report) r = analyze_linked("Hi", fire[i]);
		if (!find_rule(r, KS_RULE_CONTENT_PHISHING_LURE))
			fail_msg("no lure in \"%s\"", fire[i]);
	}
	/* near misses: a number without a sign, a code that is part of a word,
	 * a sign with no number */
	static const char *const quiet[] = {
		"Win a 500 gift card today", "Win a 500 europeans gift card today",
		"Win a $ gift card today",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(quiet); i++) {
		g_autoptr(ks_report) r = analyze_linked("Hi", quiet[i]);
		if (find_rule(r, KS_RULE_CONTENT_PHISHING_LURE))
			fail_msg("a lure in \"%s\"", quiet[i]);
	}
	/* the entry check takes an amount; in German, where it sits mid-phrase */
	assert_true(ks_lure_entry_check("{gewinne|gewinnen sie} {einen|ein} \xc2\xa4"));
	g_autoptr(ks_report) de = analyze_linked("Ihr Gutschein",
		"Gewinne einen 500€ Gutschein! Verpasse diese Chance nicht.");
	assert_non_null(find_rule(de, KS_RULE_CONTENT_PHISHING_LURE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payment_change_english_phrase_fires_in_body),
		cmocka_unit_test(payment_change_english_verb_and_noun_in_one_sentence_fire),
		cmocka_unit_test(payment_change_japanese_fires),
		cmocka_unit_test(payment_change_japanese_wrapped_line_still_matches),
		cmocka_unit_test(payment_change_spanish_fires),
		cmocka_unit_test(payment_change_spanish_phrase_fires),
		cmocka_unit_test(payment_change_in_subject_alone_is_located_at_subject),
		cmocka_unit_test(payment_change_full_width_text_matches),
		cmocka_unit_test(payment_change_zero_width_space_does_not_hide_a_phrase),
		cmocka_unit_test(payment_change_invoice_mentioning_bank_once_is_silent),
		cmocka_unit_test(payment_change_words_in_different_sentences_are_silent),
		cmocka_unit_test(payment_change_word_inside_a_longer_word_is_silent),
		cmocka_unit_test(payment_change_evidence_is_bounded),
		cmocka_unit_test(payment_change_evidence_never_cuts_an_account_number),
		cmocka_unit_test(confidential_request_english_fires_with_words_per_group),
		cmocka_unit_test(confidential_request_japanese_fires),
		cmocka_unit_test(confidential_request_full_width_ceo_counts_as_authority),
		cmocka_unit_test(confidential_request_spanish_fires),
		cmocka_unit_test(confidential_request_in_subject_alone_is_located_at_subject),
		cmocka_unit_test(confidential_request_newsletter_saying_urgent_is_silent),
		cmocka_unit_test(confidential_request_footer_confidentiality_is_ignored),
		cmocka_unit_test(confidential_request_footer_of_several_sentences_is_ignored),
		cmocka_unit_test(confidential_request_colloquial_wording_fires),
		cmocka_unit_test(payment_change_without_a_change_word_fires),
		cmocka_unit_test(confidential_request_without_urgency_is_silent),
		cmocka_unit_test(empty_report_gives_no_findings),
		cmocka_unit_test(invalid_utf8_is_matched_without_crashing),
		cmocka_unit_test(text_cut_at_limit_stays_valid_utf8),
		cmocka_unit_test(folding_keeps_words_blanks_references_and_offsets),
		cmocka_unit_test(cjk_letters_fold_to_themselves),
		cmocka_unit_test(data_lists_asked_for_under_pressure_fire),
		cmocka_unit_test(lure_files_use_only_known_sections),
		cmocka_unit_test(subject_words_joined_by_underscores_or_dots_are_read),
		cmocka_unit_test(fake_crypto_balance_with_an_amount_fires),
		cmocka_unit_test(three_lure_kinds_and_a_link_are_high),
		cmocka_unit_test(an_amount_in_a_lure_is_read_by_its_sign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
