/* Unit tests for analyzers/checks/callback.c: numbers after call words and amounts
 * of money, with the near misses that once read a date, an invoice number
 * or "below" as a call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/callback.h"

#include <string.h>

static void phone_numbers_in_groups(void **state)
{
	(void)state;
	g_autoptr(GString) d = g_string_new(NULL);
	const char *s = "+1 (808) 555-0142 today";
	assert_int_equal(ks_phone_at(s, d), strlen("+1 (808) 555-0142"));
	assert_string_equal(d->str, "18085550142");
	assert_int_equal(ks_phone_at("0120-123-456.", d), strlen("0120-123-456"));
	/* a date or a short code is no number */
	assert_int_equal(ks_phone_at("2025-11-10", d), 0);
	assert_int_equal(ks_phone_at("12345", d), 0);
}

static void numbers_follow_whole_call_words(void **state)
{
	(void)state;
	g_autoptr(GPtrArray) n = ks_callback_numbers(
		"Questions? Call us at +1 843-602-3984. Phone: 1-888-555-0199; call +1 843-602-3984", 5);
	assert_int_equal(n->len, 2);
	assert_string_equal(g_ptr_array_index(n, 0), "+1 843-602-3984");
	assert_string_equal(g_ptr_array_index(n, 1), "1-888-555-0199");
	/* "bel" (Dutch) inside "below", "tel" inside "hotel": no call */
	g_autoptr(GPtrArray) none = ks_callback_numbers(
		"details below: invoice #NP09312145621; hotel 0312345678901", 5);
	assert_int_equal(none->len, 0);
	/* a sign counts wherever it stands */
	g_autoptr(GPtrArray) sign = ks_callback_numbers("Support 📞 +1 843-602-3984", 5);
	assert_int_equal(sign->len, 1);
	g_autoptr(GPtrArray) ja = ks_callback_numbers("お電話ください：0120-123-456", 5);
	assert_int_equal(ja->len, 1);
	assert_string_equal(g_ptr_array_index(ja, 0), "0120-123-456");
	g_autoptr(GPtrArray) empty = ks_callback_numbers(NULL, 5);
	assert_int_equal(empty->len, 0);
}

static void money_beside_a_sign_or_code(void **state)
{
	(void)state;
	assert_true(ks_text_has_money("Amount: $389.99"));
	assert_true(ks_text_has_money("The amount of USD473.33 will"));
	assert_true(ks_text_has_money("total USD 364.88"));
	assert_true(ks_text_has_money("Der Betrag von 299,99 € wird"));
	assert_true(ks_text_has_money("ご請求額：¥39,800"));
	assert_true(ks_text_has_money("39800円"));
	assert_true(ks_text_has_money("R$ 89,90"));
	assert_false(ks_text_has_money("USD accounts and EUR rates"));
	assert_false(ks_text_has_money("thusd 12"));
	assert_false(ks_text_has_money("order 5521-884 has shipped"));
	assert_false(ks_text_has_money(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phone_numbers_in_groups),
		cmocka_unit_test(numbers_follow_whole_call_words),
		cmocka_unit_test(money_beside_a_sign_or_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
