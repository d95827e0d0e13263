/* Threads (analyzers/threads/thread.c): subject normalisation with every prefix the
 * data names (full-width too), threading by references, by subject when
 * references are missing or forged, and each drift rule firing on the
 * message where the drift happens, never on a benign conversation.
 * Reports are built by hand, as the analyzers would leave them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "threads/thread.h"

#include <string.h>

/* ---- building reports */

static ks_report *mail(const char *id, const char *date, const char *from, const char *to,
                       const char *subject)
{
	ks_report *r = ks_report_new();
	r->message_id = id ? g_strdup_printf("<%s>", id) : NULL;
	r->date = g_date_time_new_from_iso8601(date, NULL);
	assert_non_null(r->date);
	g_ptr_array_add(r->from, ks_address_new(NULL, from));
	if (to)
		g_ptr_array_add(r->to, ks_address_new(NULL, to));
	r->subject = g_strdup(subject);
	r->auth.spf = g_strdup("pass");
	r->auth.dkim = g_strdup("pass");
	r->auth.dmarc = g_strdup("pass");
	return r;
}

static void reply_to(ks_report *r, const char *parent)
{
	r->in_reply_to = g_strdup_printf("<%s>", parent);
	g_ptr_array_add(r->references, g_strdup_printf("<%s>", parent));
}

static void cc(ks_report *r, const char *address)
{
	g_ptr_array_add(r->cc, ks_address_new(NULL, address));
}

static void auth(ks_report *r, const char *spf, const char *dkim, const char *dmarc)
{
	g_free(r->auth.spf);
	g_free(r->auth.dkim);
	g_free(r->auth.dmarc);
	r->auth.spf = g_strdup(spf);
	r->auth.dkim = g_strdup(dkim);
	r->auth.dmarc = g_strdup(dmarc);
}

static ks_thread_set *build(GPtrArray *reports)
{
	ks_thread_set *s = ks_threads_from_reports(reports, NULL);
	g_ptr_array_unref(reports);
	return s;
}

static GPtrArray *reports_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)ks_report_free);
}

static const ks_thread *only_thread(const ks_thread_set *s)
{
	const GPtrArray *t = ks_thread_set_threads(s);
	assert_int_equal(t->len, 1);
	return t->pdata[0];
}

/* how many findings of rule the thread's message k carries */
static int count(const ks_thread *t, guint k, ks_rule rule)
{
	assert_true(k < t->messages->len);
	const ks_thread_msg *m = t->messages->pdata[k];
	int n = 0;
	for (guint i = 0; i < m->findings->len; i++)
		n += ((ks_finding *)m->findings->pdata[i])->rule == rule;
	return n;
}

static int drift_total(const ks_thread *t)
{
	return (int)t->findings->len;
}

static const char *evidence(const ks_thread *t, guint k, ks_rule rule)
{
	const ks_thread_msg *m = t->messages->pdata[k];
	for (guint i = 0; i < m->findings->len; i++)
		if (((ks_finding *)m->findings->pdata[i])->rule == rule)
			return ((ks_finding *)m->findings->pdata[i])->evidence;
	fail_msg("no %s on message %u", ks_rule_id(rule), k + 1);
	return NULL;
}

/* ---- generalisation: shapes met beyond the samples */

static void header(ks_report *r, const char *name, const char *value)
{
	ks_header *h = g_new0(ks_header, 1);
	h->name = g_strdup(name);
	h->value = g_strdup(value);
	g_ptr_array_add(r->headers, h);
}

static void outlook_thread_index_joins_an_edited_subject(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	/* 22 bytes of conversation, then 5 per reply; no References anywhere */
	ks_report *a = mail("a@partner.co.jp", "2025-01-10T10:00:00+09:00", "ito@partner.co.jp",
	                    "kimura@victim.co.jp", "Invoice for February");
	header(a, "Thread-Index", "Adt6Gyw9AAECAwQFBgcICQoLDA0ODw==");
	g_ptr_array_add(r, a);
	ks_report *b = mail("b@parter.co.jp", "2025-01-11T09:00:00+09:00", "ito@parter.co.jp",
	                    "kimura@victim.co.jp", "Change of bank account");
	header(b, "Thread-Index", "Adt6Gyw9AAECAwQFBgcICQoLDA0ODwECAwQF");
	g_ptr_array_add(r, b);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED), 1);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_SUBJECT_HIJACKED), 0);
}

static void reply_to_lookalike_in_a_senders_first_message_is_reported(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	g_ptr_array_add(r, mail("a@victim.co.jp", "2025-01-10T10:00:00+09:00", "kimura@victim.co.jp",
	                        "ito@minato-shoji.co.jp", "Invoice"));
	ks_report *b = mail("b@x.example", "2025-01-10T15:00:00+09:00", "ito@minato-shoji.co.jp",
	                    "kimura@victim.co.jp", "RE: Invoice");
	reply_to(b, "a@victim.co.jp");
	g_ptr_array_add(b->reply_to, ks_address_new(NULL, "keiri@minatoshoji.co.jp"));
	g_ptr_array_add(r, b);
	/* a Reply-To on an unrelated domain in a first message is no drift */
	ks_report *c = mail("c@other.example", "2025-01-10T16:00:00+09:00", "sales@other.example",
	                    "kimura@victim.co.jp", "RE: Invoice");
	reply_to(c, "a@victim.co.jp");
	g_ptr_array_add(c->reply_to, ks_address_new(NULL, "desk@helpdesk.example"));
	g_ptr_array_add(r, c);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_REPLY_TO_CHANGED), 1);
	assert_non_null(strstr(evidence(t, 1, KS_RULE_THREAD_REPLY_TO_CHANGED), "minato-shoji.co.jp"));
	assert_int_equal(count(t, 2, KS_RULE_THREAD_REPLY_TO_CHANGED), 0);
}

static void sent_items_without_results_are_no_regression(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	g_ptr_array_add(r, mail("a@victim.co.jp", "2025-01-10T10:00:00+09:00", "ogawa@victim.co.jp",
	                        "ito@partner.co.jp", "Schedule"));
	ks_report *b = mail("b@victim.co.jp", "2025-01-10T11:00:00+09:00", "kimura@victim.co.jp",
	                    "ito@partner.co.jp", "RE: Schedule");
	reply_to(b, "a@victim.co.jp");
	auth(b, NULL, NULL, NULL); /* the owner's Sent Items: never judged */
	g_ptr_array_add(r, b);
	ks_report *c = mail("c@victim.co.jp", "2025-01-10T12:00:00+09:00", "ogawa@victim.co.jp",
	                    "ito@partner.co.jp", "RE: Schedule");
	reply_to(c, "b@victim.co.jp");
	auth(c, "pass", "none", "fail"); /* judged, and worse than message 1 */
	g_ptr_array_add(r, c);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_AUTH_REGRESSED), 0);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_AUTH_REGRESSED), 1);
}

static void quoting_the_thread_is_referring_to_it(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	ks_report *a = mail("a@x.example", "2025-03-03T14:00:00+09:00", "tamura.kobo@gmail.com",
	                    "mori@victim.co.jp", "Delivery of part B");
	g_ptr_array_add(r, a);
	/* the vendor's new corporate address, no References, quoting message 1 */
	ks_report *b = mail("b@x.example", "2025-03-04T09:00:00+09:00", "osamu@tamura-kobo.co.jp",
	                    "mori@victim.co.jp", "Re: Delivery of part B");
	b->body_text = g_strdup("From now on, this address.\n\n"
	                        "2025年3月3日(月) 14:00 田村 修 <tamura.kobo@gmail.com>:\n> hello\n");
	g_ptr_array_add(r, b);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(drift_total(t), 0);
}

static void nested_quotes_in_another_zone_and_short_names_match(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	ks_report *a = mail("a@victim.co.jp", "2025-04-03T10:00:00+09:00", "ken@victim.co.jp",
	                    "tom@uk.example", "Schedule");
	g_ptr_array_remove_index(a->from, 0);
	g_ptr_array_add(a->from, ks_address_new("経理課 小川 誠", "ken@victim.co.jp"));
	g_ptr_array_add(r, a);
	ks_report *b = mail("b@uk.example", "2025-04-03T09:00:00+01:00", "tom@uk.example",
	                    "ken@victim.co.jp", "Re: Schedule");
	reply_to(b, "a@victim.co.jp");
	b->body_text = g_strdup("ok\n\nOn Thu, 3 Apr 2025 at 02:00, Ken <ken@victim.co.jp> wrote:\n> q\n");
	g_ptr_array_add(r, b);
	/* Ken quotes Tom (his zone) and, nested, his own mail in Tom's zone;
	 * and himself by the name alone */
	ks_report *c = mail("c@victim.co.jp", "2025-04-03T18:00:00+09:00", "ken@victim.co.jp",
	                    "tom@uk.example", "Re: Schedule");
	reply_to(c, "b@uk.example");
	c->body_text = g_strdup("thanks\n\nOn Thu, Apr 3, 2025 at 5:00 PM Tom <tom@uk.example> wrote:\n"
	                        "> ok\n>\n> On Thu, 3 Apr 2025 at 02:00, Ken <ken@victim.co.jp> wrote:\n"
	                        ">> q\n\n差出人: 小川 誠\n送信日時: 2025年4月3日 10:00\n件名: Schedule\n");
	g_ptr_array_add(r, c);
	/* a time that matches no zone of the thread is still reported */
	ks_report *d = mail("d@uk.example", "2025-04-03T12:00:00+01:00", "tom@uk.example",
	                    "ken@victim.co.jp", "Re: Schedule");
	reply_to(d, "c@victim.co.jp");
	d->body_text = g_strdup("as approved\n\nOn Thu, 3 Apr 2025 at 06:20, Ken <ken@victim.co.jp> wrote:\n> yes\n");
	g_ptr_array_add(r, d);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE), 0);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE), 0);
	assert_int_equal(count(t, 3, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE), 1);
}

static void free_mail_country_domains_are_no_lookalikes(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	g_ptr_array_add(r, mail("a@x.example", "2025-03-17T09:00:00+09:00", "aya@outlook.jp",
	                        "mori@victim.co.jp", "Cover design"));
	ks_report *b = mail("b@x.example", "2025-03-18T09:00:00+09:00", "aya@outlook.com",
	                    "mori@victim.co.jp", "RE: Cover design");
	reply_to(b, "a@x.example");
	g_ptr_array_add(r, b);
	g_autoptr(ks_thread_set) s = build(r);
	assert_int_equal(drift_total(only_thread(s)), 0);
}

static void phone_numbers_and_dates_are_no_account(void **state)
{
	(void)state;
	g_autoptr(GPtrArray) p = ks_thread_payment_extract(
		"Please transfer to our account by 2025-03-31.\n"
		"Key Account Manager Japan  +49 40 5550 1234\n"
		"Account number: 0532013000\n");
	assert_int_equal(p->len, 1);
	assert_string_equal(((ks_pay_token *)p->pdata[0])->value, "0532013000");
}

/* ---- subjects */

static void check_norm(const char *subject, const char *want, bool prefix)
{
	bool had = !prefix;
	g_autofree char *n = ks_thread_subject_normalize(subject, &had);
	if (strcmp(n, want) != 0)
		fail_msg("normalize(%s) = \"%s\", want \"%s\"", subject, n, want);
	assert_int_equal(had, prefix);
}

static void subject_prefixes_are_stripped_in_every_language(void **state)
{
	(void)state;
	check_norm("Invoice 2024-12", "invoice 2024-12", false);
	check_norm("Re: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("RE: RE: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("Fwd: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("FW: Re: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("AW: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("WG: AW: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("RV: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("TR: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("Re[2]: Invoice 2024-12", "invoice 2024-12", true);
	check_norm("Re (3): nothing", "re (3): nothing", false);
	check_norm("re : Invoice   2024-12 ", "invoice 2024-12", true);
	check_norm("返信: 請求書の件", "請求書の件", true);
	check_norm("転送: 請求書の件", "請求書の件", true);
	check_norm("返信：転送：請求書の件", "請求書の件", true);
	check_norm("Ｒｅ：請求書の件", "請求書の件", true);
	check_norm("ＲＥ： ＦＷ： 請求書の件", "請求書の件", true);
	check_norm("Ｆｗｄ：Ｉｎｖｏｉｃｅ", "invoice", true);
}

static void bracketed_tags_are_stripped(void **state)
{
	(void)state;
	check_norm("[EXT] RE: Invoice", "invoice", true);
	check_norm("RE: [EXT] Invoice", "invoice", true);
	check_norm("【小金部品】12月分 請求書送付のご案内", "12月分 請求書送付のご案内", false);
	check_norm("RE: 【小金部品】12月分 請求書送付のご案内", "12月分 請求書送付のご案内", true);
	check_norm("[外部] 返信: 【重要】お支払い", "お支払い", true);
	check_norm(NULL, "", false);
	check_norm("", "", false);
	check_norm("RE:", "", true);
	/* "Re" inside a word is not a prefix */
	check_norm("Receipt: 123", "receipt: 123", false);
}

/* ---- threading */

static void references_join_a_thread(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	g_ptr_array_add(r, mail("a@x.example", "2024-12-10T10:00:00+09:00", "ann@x.example",
	                        "bob@y.example", "Quarterly figures"));
	ks_report *b = mail("b@y.example", "2024-12-10T11:00:00+09:00", "bob@y.example",
	                    "ann@x.example", "Re: Quarterly figures");
	reply_to(b, "a@x.example");
	g_ptr_array_add(r, b);
	/* an unrelated mail with another subject */
	g_ptr_array_add(r, mail("c@z.example", "2024-12-10T12:00:00+09:00", "carl@z.example",
	                        "ann@x.example", "Lunch"));
	g_autoptr(ks_thread_set) s = build(r);
	const GPtrArray *t = ks_thread_set_threads(s);
	assert_int_equal(t->len, 2);
	const ks_thread *first = t->pdata[0];
	assert_int_equal(first->messages->len, 2);
	assert_string_equal(first->subject, "Quarterly figures");
	assert_int_equal(first->participants->len, 2);
	assert_int_equal(drift_total(first), 0);
}

static void threading_without_references_uses_subject_and_quotes(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	g_ptr_array_add(r, mail("a@x.example", "2024-12-10T10:00:00+09:00", "ann@x.example",
	                        "bob@y.example", "【X社】見積の件"));
	/* no References, a full-width prefix */
	g_ptr_array_add(r, mail("b@y.example", "2024-12-10T11:00:00+09:00", "bob@y.example",
	                        "ann@x.example", "Ｒｅ：【X社】見積の件"));
	/* a forged reference to nothing, and the subject */
	ks_report *c = mail("c@x.example", "2024-12-10T12:00:00+09:00", "ann@x.example",
	                    "bob@y.example", "RE: RE: 見積の件");
	reply_to(c, "never-sent@x.example");
	g_ptr_array_add(r, c);
	/* a changed subject, but the quoted header names the thread's */
	ks_report *d = mail("d@y.example", "2024-12-10T13:00:00+09:00", "bob@y.example",
	                    "ann@x.example", "Fwd: prices");
	d->body_text = g_strdup("See below.\n\n-----Original Message-----\n"
	                        "From: ann@x.example\nSent: 2024/12/10 12:00\n"
	                        "Subject: RE: RE: 見積の件\n\n> text\n");
	g_ptr_array_add(r, d);
	/* the same subject again, but a fresh mail (no prefix, no quote): apart */
	g_ptr_array_add(r, mail("e@q.example", "2024-12-11T09:00:00+09:00", "quinn@q.example",
	                        "ann@x.example", "見積の件"));
	g_autoptr(ks_thread_set) s = build(r);
	const GPtrArray *t = ks_thread_set_threads(s);
	assert_int_equal(t->len, 2);
	const ks_thread *big = t->pdata[0];
	assert_int_equal(big->messages->len, 4);
	for (guint k = 0; k < 4; k++)
		assert_int_equal(((ks_thread_msg *)big->messages->pdata[k])->seq, (int)k);
	assert_int_equal(drift_total(big), 0);
}

static void messages_sharing_a_missing_parent_join(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	ks_report *a = mail("a@x.example", "2024-12-10T10:00:00Z", "ann@x.example",
	                    "bob@y.example", "one");
	reply_to(a, "root@x.example");
	ks_report *b = mail("b@x.example", "2024-12-10T11:00:00Z", "bob@y.example",
	                    "ann@x.example", "two");
	reply_to(b, "root@x.example");
	g_ptr_array_add(r, a);
	g_ptr_array_add(r, b);
	g_autoptr(ks_thread_set) s = build(r);
	assert_int_equal(only_thread(s)->messages->len, 2);
}

/* ---- drift: the J-CSIP hijacked invoice thread */

static GPtrArray *hijack(void)
{
	GPtrArray *r = reports_new();
	ks_report *a = mail("1@kogane-parts.co.jp", "2024-12-10T11:05:00+09:00",
	                    "ichiro.tanaka@kogane-parts.co.jp", "hanako.sato@hoshizora-denko.co.jp",
	                    "【小金部品】12月分 請求書");
	cc(a, "jiro.suzuki@hoshizora-denko.co.jp");
	a->body_text = g_strdup("請求書を送付します。\nみなと銀行 本店営業部 普通 1234567\n");
	g_ptr_array_add(r, a);
	ks_report *b = mail("2@hoshizora-denko.co.jp", "2024-12-10T15:30:00+09:00",
	                    "hanako.sato@hoshizora-denko.co.jp", "ichiro.tanaka@kogane-parts.co.jp",
	                    "RE: 【小金部品】12月分 請求書");
	reply_to(b, "1@kogane-parts.co.jp");
	cc(b, "jiro.suzuki@hoshizora-denko.co.jp");
	b->body_text = g_strdup("受領しました。\n");
	g_ptr_array_add(r, b);
	ks_report *c = mail("3@koganne-parts.co.jp", "2024-12-11T09:12:40+09:00",
	                    "ichiro.tanaka@koganne-parts.co.jp", "hanako.sato@hoshizora-denko.co.jp",
	                    "RE: 【小金部品】12月分 請求書");
	reply_to(c, "2@hoshizora-denko.co.jp");
	cc(c, "jiro.suzuki@hoshizora-denkou.co.jp");
	auth(c, "pass", "none", "none");
	c->body_text = g_strdup("振込先の変更をお願いいたします。\n"
	                        "新しい振込先: 架空銀行 第二支店 普通 7654321\n\n"
	                        "-----Original Message-----\n"
	                        "From: hanako.sato@hoshizora-denko.co.jp\n"
	                        "Sent: 2024/12/10 15:30\n"
	                        "> 受領しました。\n> みなと銀行 普通 1234567\n");
	g_ptr_array_add(r, c);
	ks_report *d = mail("4@koganne-parts.co.jp", "2024-12-12T10:00:00+09:00",
	                    "ichiro.tanaka@koganne-parts.co.jp", "hanako.sato@hoshizora-denko.co.jp",
	                    "RE: 【小金部品】12月分 請求書");
	auth(d, "pass", "none", "none");
	g_ptr_array_add(d->reply_to, ks_address_new(NULL, "kogane.keiri@freemail.example"));
	d->body_text = g_strdup("経理部にお支払いを一旦保留するようお伝えください。\n\n"
	                        "-----Original Message-----\n"
	                        "From: 鈴木 次郎 <jiro.suzuki@hoshizora-denko.co.jp>\n"
	                        "Sent: 2024/12/11 17:45\n"
	                        "Subject: RE: 【小金部品】12月分 請求書\n\n> 承認しました\n");
	g_ptr_array_add(r, d);
	return r;
}

static void lookalike_sender_is_found_on_the_first_message_from_it(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	assert_int_equal(t->messages->len, 4);
	assert_int_equal(t->first_lookalike, 2);
	assert_int_equal(count(t, 0, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED), 0);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED), 0);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED), 1);
	assert_int_equal(count(t, 3, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED), 0);
	const char *ev = evidence(t, 2, KS_RULE_THREAD_SENDER_DOMAIN_CHANGED);
	assert_non_null(strstr(ev, "koganne-parts.co.jp"));
	assert_non_null(strstr(ev, "kogane-parts.co.jp"));
	assert_non_null(strstr(ev, "insertion"));
	const ks_thread_msg *m = t->messages->pdata[3];
	assert_string_equal(m->lookalike_of, "kogane-parts.co.jp");
}

static void swapped_cc_is_reported_with_the_address_it_replaces(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_CC_LOOKALIKE), 1);
	const char *ev = evidence(t, 2, KS_RULE_THREAD_CC_LOOKALIKE);
	assert_non_null(strstr(ev, "jiro.suzuki@hoshizora-denkou.co.jp replaces "
	                           "jiro.suzuki@hoshizora-denko.co.jp"));
	assert_int_equal(count(t, 0, KS_RULE_THREAD_CC_LOOKALIKE) +
	                         count(t, 1, KS_RULE_THREAD_CC_LOOKALIKE) +
	                         count(t, 3, KS_RULE_THREAD_CC_LOOKALIKE),
	                 0);
}

static void auth_regression_compares_with_the_same_sender(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_AUTH_REGRESSED), 1);
	const char *ev = evidence(t, 2, KS_RULE_THREAD_AUTH_REGRESSED);
	assert_non_null(strstr(ev, "DMARC pass → none"));
	assert_null(strstr(ev, "SPF"));
	/* message 4 is no worse than message 3 of the same sender */
	assert_int_equal(count(t, 3, KS_RULE_THREAD_AUTH_REGRESSED), 0);
}

static void new_payment_details_fire_and_quoted_ones_do_not(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 0, KS_RULE_THREAD_PAYMENT_DETAILS_CHANGED), 0);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_PAYMENT_DETAILS_CHANGED), 1);
	const char *ev = evidence(t, 2, KS_RULE_THREAD_PAYMENT_DETAILS_CHANGED);
	assert_non_null(strstr(ev, "account 7654321 (earlier 1234567 in message 1)"));
	assert_non_null(strstr(ev, "架空銀行"));
	const ks_thread_msg *m = t->messages->pdata[2];
	/* the quoted 1234567 is not this message's own */
	for (guint i = 0; i < m->payment->len; i++)
		assert_string_not_equal(((ks_pay_token *)m->payment->pdata[i])->value, "1234567");
}

static void reply_to_appearing_is_reported(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 3, KS_RULE_THREAD_REPLY_TO_CHANGED), 1);
	assert_non_null(strstr(evidence(t, 3, KS_RULE_THREAD_REPLY_TO_CHANGED),
	                       "kogane.keiri@freemail.example appears"));
	for (guint k = 0; k < 3; k++)
		assert_int_equal(count(t, k, KS_RULE_THREAD_REPLY_TO_CHANGED), 0);
}

static void quote_of_a_mail_not_in_the_thread_is_reported(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	/* message 3 quotes message 2, which is there */
	assert_int_equal(count(t, 2, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE), 0);
	assert_int_equal(count(t, 3, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE), 1);
	assert_non_null(strstr(evidence(t, 3, KS_RULE_THREAD_MISSING_QUOTED_MESSAGE),
	                       "jiro.suzuki@hoshizora-denko.co.jp"));
}

static void subject_reused_by_a_new_sender_is_reported(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	g_ptr_array_add(r, mail("a@x.example", "2024-12-10T10:00:00Z", "ann@x.example",
	                        "bob@y.example", "Payment schedule"));
	ks_report *b = mail("b@y.example", "2024-12-10T11:00:00Z", "bob@y.example",
	                    "ann@x.example", "Re: Payment schedule");
	reply_to(b, "a@x.example");
	g_ptr_array_add(r, b);
	/* a stranger answers under the subject, no references */
	g_ptr_array_add(r, mail("c@evil.example", "2024-12-10T12:00:00Z", "payments@evil.example",
	                        "ann@x.example", "RE: Payment schedule"));
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_SUBJECT_HIJACKED), 1);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_SUBJECT_HIJACKED), 0);
}

static void reply_to_change_between_two_values(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	ks_report *a = mail("a@x.example", "2024-12-10T10:00:00Z", "ann@x.example",
	                    "bob@y.example", "Order");
	g_ptr_array_add(a->reply_to, ks_address_new(NULL, "orders@x.example"));
	ks_report *b = mail("b@x.example", "2024-12-10T11:00:00Z", "ann@x.example",
	                    "bob@y.example", "Re: Order");
	reply_to(b, "a@x.example");
	g_ptr_array_add(b->reply_to, ks_address_new(NULL, "orders@x.example"));
	ks_report *c = mail("c@x.example", "2024-12-10T12:00:00Z", "ann@x.example",
	                    "bob@y.example", "Re: Order");
	reply_to(c, "b@x.example");
	g_ptr_array_add(c->reply_to, ks_address_new(NULL, "ann.x@mail.example"));
	g_ptr_array_add(r, a);
	g_ptr_array_add(r, b);
	g_ptr_array_add(r, c);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(count(t, 1, KS_RULE_THREAD_REPLY_TO_CHANGED), 0);
	assert_int_equal(count(t, 2, KS_RULE_THREAD_REPLY_TO_CHANGED), 1);
	assert_non_null(strstr(evidence(t, 2, KS_RULE_THREAD_REPLY_TO_CHANGED),
	                       "from orders@x.example (message 2) to ann.x@mail.example"));
}

static void benign_conversation_raises_no_drift(void **state)
{
	(void)state;
	GPtrArray *r = reports_new();
	ks_report *a = mail("a@kogane-parts.co.jp", "2024-12-01T10:00:00+09:00",
	                    "ichiro.tanaka@kogane-parts.co.jp", "hanako.sato@hoshizora-denko.co.jp",
	                    "見積");
	a->body_text = g_strdup("お振込みは みなと銀行 普通 1234567 へ\n");
	g_ptr_array_add(r, a);
	ks_report *b = mail("b@hoshizora-denko.co.jp", "2024-12-01T11:00:00+09:00",
	                    "hanako.sato@hoshizora-denko.co.jp", "ichiro.tanaka@kogane-parts.co.jp",
	                    "RE: 見積");
	cc(b, "jiro.suzuki@hoshizora-denko.co.jp");
	b->body_text = g_strdup("承知しました。\n\n"
	                        "2024年12月1日 10:00 ichiro.tanaka@kogane-parts.co.jp <ichiro.tanaka@kogane-parts.co.jp>:\n"
	                        "> お振込みは みなと銀行 普通 1234567 へ\n");
	g_ptr_array_add(r, b);
	/* a new colleague at the partner, same domain, same account again */
	ks_report *c = mail("c@kogane-parts.co.jp", "2024-12-02T09:00:00+09:00",
	                    "keiri@kogane-parts.co.jp", "hanako.sato@hoshizora-denko.co.jp",
	                    "FW: RE: 見積");
	cc(c, "ichiro.tanaka@kogane-parts.co.jp");
	c->body_text = g_strdup("口座番号 1234567 にお願いします。\n");
	g_ptr_array_add(r, c);
	g_autoptr(ks_thread_set) s = build(r);
	const ks_thread *t = only_thread(s);
	assert_int_equal(t->messages->len, 3);
	if (drift_total(t)) {
		const ks_thread_finding *f = t->findings->pdata[0];
		fail_msg("unexpected %s: %s", ks_rule_id(f->finding->rule), f->finding->evidence);
	}
	assert_int_equal(t->first_lookalike, -1);
}

static void payment_extraction_reads_iban_swift_and_full_width(void **state)
{
	(void)state;
	g_autoptr(GPtrArray) p = ks_thread_payment_extract(
		"Please pay to IBAN DE89 3704 0044 0532 0130 00, SWIFT/BIC: COBADEFFXXX\n"
		"口座番号：１２３－４５６７\n"
		"Account: 000-1111-2222 at Minato Bank\n"
		"On Tue, Dec 10, 2024 at 11:05 AM Ann <ann@x.example> wrote:\n"
		"account 99999999\n");
	const char *want[][2] = {{"IBAN", "DE89370400440532013000"}, {"SWIFT", "COBADEFFXXX"},
	                         {"ACCOUNT", "1234567"}, {"ACCOUNT", "00011112222"},
	                         {"BANK", "Minato Bank"}};
	ks_pay_kind kinds[] = {KS_PAY_IBAN, KS_PAY_SWIFT, KS_PAY_ACCOUNT, KS_PAY_ACCOUNT, KS_PAY_BANK};
	for (size_t w = 0; w < G_N_ELEMENTS(want); w++) {
		bool found = false;
		for (guint i = 0; i < p->len && !found; i++) {
			const ks_pay_token *t = p->pdata[i];
			found = t->kind == kinds[w] && strcmp(t->value, want[w][1]) == 0;
		}
		if (!found)
			fail_msg("missing %s %s", want[w][0], want[w][1]);
	}
	for (guint i = 0; i < p->len; i++)
		assert_string_not_equal(((ks_pay_token *)p->pdata[i])->value, "99999999");
}

/* Lines are normalised one at a time (only those read): a full-width
 * quoted header still ends the writer's text, and bytes that are not
 * UTF-8 give nothing, as when the whole body was normalised at once. */
static void payment_extraction_stops_at_a_full_width_quote_header(void **state)
{
	(void)state;
	g_autoptr(GPtrArray) p = ks_thread_payment_extract(
		"ｶﾞｲﾄﾞ: 口座番号：１２３－４５６７\n"
		"差出人：田中 <tanaka@x.example>\n"
		"送信日時：2024年12月10日 11:05\n"
		"口座番号：９９９－９９９９\n");
	assert_int_equal(p->len, 1);
	assert_string_equal(((ks_pay_token *)p->pdata[0])->value, "1234567");
	g_autoptr(GPtrArray) bad = ks_thread_payment_extract("Account: 12345678 \xff\n");
	assert_int_equal(bad->len, 0);
}

static void quoted_headers_are_read(void **state)
{
	(void)state;
	g_autoptr(GDateTime) date = g_date_time_new_from_iso8601("2024-12-11T09:00:00+09:00", NULL);
	g_autoptr(GPtrArray) q = ks_thread_quoted_extract(
		"hello\n\n差出人: 田中 一郎 <Ichiro.Tanaka@kogane-parts.co.jp>\n"
		"送信日時: 2024年12月10日 11:05\n宛先: x\n件名: 【小金部品】請求書\n\n"
		"On Mon, Dec 9, 2024 at 3:00 PM Ann <ann@x.example> wrote:\n> hi\n",
		date);
	assert_int_equal(q->len, 2);
	const ks_quoted_header *a = q->pdata[0], *b = q->pdata[1];
	assert_string_equal(a->from, "ichiro.tanaka@kogane-parts.co.jp");
	assert_string_equal(a->from_name, "田中 一郎");
	assert_string_equal(a->subject, "【小金部品】請求書");
	assert_non_null(a->time);
	g_autofree char *t = ks_time_format(a->time);
	assert_string_equal(t, "2024-12-10T11:05:00+09:00");
	assert_string_equal(b->from, "ann@x.example");
	assert_non_null(b->time);
}

static void empty_and_odd_input_is_safe(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) empty = ks_threads_from_reports(NULL, NULL);
	assert_int_equal(ks_thread_set_threads(empty)->len, 0);
	g_autofree char *j = ks_thread_set_to_json(empty, false);
	assert_string_equal(j, "{\"schema\":\"kensa.thread/1\",\"threads\":[]}");
	GPtrArray *r = reports_new();
	ks_report *bare = ks_report_new();
	g_ptr_array_add(r, bare);
	g_ptr_array_add(r, ks_report_new());
	g_autoptr(ks_thread_set) s = build(r);
	assert_int_equal(ks_thread_set_messages(s)->len, 2);
	g_autofree char *text = ks_thread_set_to_text(s);
	g_autofree char *json = ks_thread_set_to_json(s, true);
	assert_non_null(text);
	assert_non_null(strstr(json, "kensa.thread/1"));
}

static void sketch_draws_arrows_between_lifelines(void **state)
{
	(void)state;
	g_autoptr(ks_thread_set) s = build(hijack());
	const ks_thread *t = only_thread(s);
	g_autoptr(GPtrArray) lines = ks_thread_sketch(t, 100);
	/* header (2), opening, one per message, closing */
	assert_int_equal(lines->len, 3 + t->messages->len + 1);
	const ks_sketch_line *m1 = lines->pdata[3], *m3 = lines->pdata[5];
	assert_int_equal(m1->message, 0);
	assert_non_null(strstr(m1->text, "●"));
	assert_non_null(strstr(m1->text, "►"));
	assert_false(m1->alert);
	assert_true(m3->alert);
	assert_non_null(strstr(m3->text, "LOOKALIKE"));
	assert_non_null(strstr(((ks_sketch_line *)lines->pdata[0])->text, "!koganne-parts.co.jp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subject_prefixes_are_stripped_in_every_language),
		cmocka_unit_test(bracketed_tags_are_stripped),
		cmocka_unit_test(references_join_a_thread),
		cmocka_unit_test(threading_without_references_uses_subject_and_quotes),
		cmocka_unit_test(messages_sharing_a_missing_parent_join),
		cmocka_unit_test(lookalike_sender_is_found_on_the_first_message_from_it),
		cmocka_unit_test(swapped_cc_is_reported_with_the_address_it_replaces),
		cmocka_unit_test(auth_regression_compares_with_the_same_sender),
		cmocka_unit_test(new_payment_details_fire_and_quoted_ones_do_not),
		cmocka_unit_test(reply_to_appearing_is_reported),
		cmocka_unit_test(quote_of_a_mail_not_in_the_thread_is_reported),
		cmocka_unit_test(subject_reused_by_a_new_sender_is_reported),
		cmocka_unit_test(reply_to_change_between_two_values),
		cmocka_unit_test(benign_conversation_raises_no_drift),
		cmocka_unit_test(payment_extraction_reads_iban_swift_and_full_width),
		cmocka_unit_test(payment_extraction_stops_at_a_full_width_quote_header),
		cmocka_unit_test(quoted_headers_are_read),
		cmocka_unit_test(empty_and_odd_input_is_safe),
		cmocka_unit_test(sketch_draws_arrows_between_lifelines),
		cmocka_unit_test(outlook_thread_index_joins_an_edited_subject),
		cmocka_unit_test(reply_to_lookalike_in_a_senders_first_message_is_reported),
		cmocka_unit_test(sent_items_without_results_are_no_regression),
		cmocka_unit_test(quoting_the_thread_is_referring_to_it),
		cmocka_unit_test(nested_quotes_in_another_zone_and_short_names_match),
		cmocka_unit_test(free_mail_country_domains_are_no_lookalikes),
		cmocka_unit_test(phone_numbers_and_dates_are_no_account),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
