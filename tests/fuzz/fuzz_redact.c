/* Fuzz target: the redactor (db/export/redact.c) on any bytes, as free text, a
 * display name, an address, a host and a URL IOC, at both levels, with a
 * victim organisation, recipients and a lookalike learnt.  Invariants: the
 * output is valid UTF-8 and stays within a bound of the input's size (a
 * placeholder is short; nothing is repeated without end). */
#include "export/redact.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ks_redactor *victim_redactor(ks_redact_level level)
{
	ks_redactor *x = ks_redactor_new(level);
	ks_redactor_add_protected(x, "victim-corp.co.jp", "Victim Corp");
	ks_redactor_add_contact(x, "山田 太郎", "taro.yamada@victim-corp.co.jp");
	ks_report *r = ks_report_new();
	r->assessment.score = 90;
	g_ptr_array_add(r->from, ks_address_new("CEO", "ceo@victim-c0rp.co.jp"));
	g_ptr_array_add(r->to, ks_address_new("佐藤 花子", "hanako_sato@victim-corp.co.jp"));
	g_ptr_array_add(r->to, ks_address_new("Seán O'Brien", "sean.o'brien@victim-corp.co.jp"));
	ks_report_add_finding(r, KS_RULE_IDENTITY_LOOKALIKE_DOMAIN, "header:From", "x");
	ks_hop *h = ks_hop_new();
	h->from = g_strdup("exch01.corp.local");
	g_ptr_array_add(r->hops, h);
	r->body_text = g_strdup("Dear Hanako,\n佐藤様");
	ks_redactor_learn_report(x, r);
	ks_redactor_finish(x);
	ks_report_free(r);
	return x;
}

static void check(const char *in, char *out)
{
	if (!out || !g_utf8_validate(out, -1, NULL) || strlen(out) > 8 * strlen(in) + 64) {
		fprintf(stderr, "broken: in %zu bytes, out %s\n", strlen(in), out ? out : "(null)");
		abort();
	} /* a fuzz target reports a broken invariant by crashing */
	g_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ks_redactor *partner, *public;
	if (!partner) {
		partner = victim_redactor(KS_REDACT_PARTNER);
		public = victim_redactor(KS_REDACT_PUBLIC);
	}
	char *raw = g_strndup((const char *)data, size);
	ks_redactor *levels[] = {partner, public};
	for (size_t i = 0; i < 2; i++) {
		ks_redactor *x = levels[i];
		check(raw, ks_redact_text(x, raw));
		check(raw, ks_redact_name(x, raw));
		check(raw, ks_redact_address(x, raw));
		check(raw, ks_redact_host(x, raw));
		check(raw, ks_redact_ip(x, raw));
		check(raw, ks_redact_path(x, raw));
		check(raw, ks_redact_ioc(x, KS_IOC_URL, raw, NULL));
	}
	g_free(raw);
	return 0;
}
