/* Unit tests for analyzers/checks/callback.c: numbers after call words and amounts
 * of money, with the near misses that once read a date, an invoice number
 * or "below" as a call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/callback.h"
#include "core/data.h"
#include "core/sanitize.h"

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

/* The search as it was written first (every sign and code searched for,
 * then a digit looked for beside it): ks_text_has_money, now one pass over
 * the digits, must agree with it on any text. */
static bool digit_after(const char *p, const char *end)
{
	if (p < end && *p == ' ')
		p++;
	return p < end && g_ascii_isdigit(*p);
}

static bool digit_before(const char *p, const char *start)
{
	if (p > start && p[-1] == ' ')
		p--;
	return p > start && g_ascii_isdigit(p[-1]);
}

static bool money_by_search(const char *text)
{
	static const char *const signs[] = {"$", "€", "£", "¥", "₹", "円", "￥", "R$"};
	static const char *const codes[] = {"usd", "eur", "gbp", "jpy", "brl", "cad", "aud", "inr", "chf"};
	const char *end = text + strlen(text);
	for (size_t i = 0; i < G_N_ELEMENTS(signs); i++)
		for (const char *h = strstr(text, signs[i]); h; h = strstr(h + 1, signs[i]))
			if (digit_after(h + strlen(signs[i]), end) || digit_before(h, text))
				return true;
	g_autofree char *low = g_ascii_strdown(text, -1);
	const char *lend = low + strlen(low);
	for (size_t i = 0; i < G_N_ELEMENTS(codes); i++)
		for (const char *h = strstr(low, codes[i]); h; h = strstr(h + 1, codes[i])) {
			const char *after = h + strlen(codes[i]);
			if ((h > low && g_ascii_isalpha(h[-1])) || (after < lend && g_ascii_isalpha(*after)))
				continue;
			if (digit_after(after, lend) || digit_before(h, low))
				return true;
		}
	return false;
}

/* Fewer than most pieces drawn at random, end to end. */
static GString *random_text(GRand *rng, const char *const *pieces, gint32 n_pieces, gint32 most)
{
	GString *t = g_string_new(NULL);
	gint32 n = g_rand_int_range(rng, 0, most);
	for (gint32 k = 0; k < n; k++)
		g_string_append(t, pieces[g_rand_int_range(rng, 0, n_pieces)]);
	return t;
}

static void money_agrees_with_searching_every_sign(void **state)
{
	(void)state;
	static const char *const pieces[] = {"$", "R", "r", "€", "円", "USD", "usd", "Eur", "x", "a",
	                                     "1", "9", " ", "  ", ".", "thusd", "\xe2\x82", "chf"};
	GRand *rng = g_rand_new_with_seed(7);
	for (int round = 0; round < 50000; round++) {
		GString *t = random_text(rng, pieces, G_N_ELEMENTS(pieces), 9);
		if (ks_text_has_money(t->str) != money_by_search(t->str))
			fail_msg("\"%s\": the one pass says %d", t->str, ks_text_has_money(t->str));
		g_string_free(t, TRUE);
	}
	g_rand_free(rng);
}

/* The numbers as first found: every call word searched for in the lowered
 * text, whether or not the text holds a number at all. */
static GPtrArray *numbers_by_search(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const GPtrArray *words = ks_data_lines("callback_words.txt");
	g_autofree char *low = ks_utf8_down(text);
	g_autoptr(GString) digits = g_string_new(NULL);
	for (guint w = 0; words && w < words->len; w++) {
		g_autofree char *word = ks_utf8_down(g_ptr_array_index(words, w));
		size_t wl = strlen(word);
		for (const char *hit = strstr(low, word); hit; hit = strstr(hit + 1, word)) {
			if ((hit > low && g_ascii_isalpha(word[0]) && g_ascii_isalpha(hit[-1])) ||
			    (g_ascii_isalpha(word[wl - 1]) && g_ascii_isalpha(hit[wl])))
				continue;
			const char *end = hit + wl;
			for (int k = 0; *end && k < 60; k++, end++) {
				if (!(g_ascii_isdigit(*end) || *end == '+' || *end == '('))
					continue;
				size_t n = ks_phone_at(end, digits);
				char *number = n ? g_strstrip(g_strndup(end, n)) : NULL;
				for (guint i = 0; number && i < out->len; i++)
					if (strcmp(g_ptr_array_index(out, i), number) == 0)
						g_clear_pointer(&number, g_free);
				if (number)
					g_ptr_array_add(out, number);
				break;
			}
		}
	}
	return out;
}

/* Texts of call words, digits, separators and characters whose lower case
 * is ASCII or longer (K KELVIN SIGN, İ): the numbers are the same as
 * searching for every call word in every text. */
static void numbers_agree_with_searching_every_call_word(void **state)
{
	(void)state;
	static const char *const pieces[] = {"call", "Tel", "hotel", "電話", "📞", "\xe2\x84\xaa",
	                                     "\xc4\xb0", "+", "(", ")", "0", "12", "345", "6789",
	                                     " ", "-", ".", "x", "at ", "\xff"};
	GRand *rng = g_rand_new_with_seed(11);
	for (int round = 0; round < 30000; round++) {
		GString *t = random_text(rng, pieces, G_N_ELEMENTS(pieces), 16);
		g_autoptr(GPtrArray) want = numbers_by_search(t->str);
		g_autoptr(GPtrArray) got = ks_callback_numbers(t->str, 100);
		bool same = want->len == got->len;
		for (guint i = 0; same && i < want->len; i++)
			same = strcmp(g_ptr_array_index(want, i), g_ptr_array_index(got, i)) == 0;
		if (!same)
			fail_msg("\"%s\": %u numbers, %u by searching", t->str, got->len, want->len);
		g_string_free(t, TRUE);
	}
	g_rand_free(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phone_numbers_in_groups),
		cmocka_unit_test(money_agrees_with_searching_every_sign),
		cmocka_unit_test(numbers_follow_whole_call_words),
		cmocka_unit_test(numbers_agree_with_searching_every_call_word),
		cmocka_unit_test(money_beside_a_sign_or_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
