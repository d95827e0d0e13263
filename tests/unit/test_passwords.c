/* ks_passwords_find: the passwords a body gives for its own encrypted
 * attachments, in the languages of the lures, and the words that are not
 * passwords. */
#include "testlib.h"

#include "payloads/passwords.h"

/* The first hint's password for text, or NULL. */
static char *first(const char *text, bool *likely)
{
	g_autoptr(GPtrArray) h = ks_passwords_find(text);
	if (!h->len)
		return NULL;
	const ks_password_hint *x = g_ptr_array_index(h, 0);
	if (likely)
		*likely = x->likely;
	return g_strdup(x->password);
}

static void expect(const char *text, const char *want)
{
	bool likely = false;
	g_autofree char *got = first(text, &likely);
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s: want \"%s\", got \"%s\"", text, want, got ? got : "(none)");
}

static void expect_none(const char *text)
{
	g_autofree char *got = first(text, NULL);
	if (got)
		fail_msg("%s: want nothing, got \"%s\"", text, got);
}

static void separators_in_many_languages(void **state)
{
	(void)state;
	expect("Password: 4471", "4471");
	expect("Your archive password is X9k-22a.", "X9k-22a");
	expect("Senha de acesso ao PDF: 123", "123");
	expect("Contraseña: Fact2024", "Fact2024");
	expect("Das Passwort lautet: 8812", "8812");
	expect("Mot de passe : doc2023", "doc2023");
	expect("Wachtwoord = Factuur7", "Factuur7");
	expect("Пароль: 5590", "5590");
	expect("密码是 8899", "8899");
	/* the token may stand on the next line */
	expect("PASSWORD:\n  Qx71", "Qx71");
}

static void japanese_full_width_and_brackets(void **state)
{
	(void)state;
	/* full-width digits and colon (NFKC) */
	expect("解凍パスワード：１２３４", "1234");
	expect("パスワードは「abc123」です。", "abc123");
	expect("PW：Kaigi2024\nよろしくお願いします", "Kaigi2024");
	/* the token stops where Japanese resumes */
	expect("パスワードはa1b2c3です", "a1b2c3");
}

static void no_separator_takes_a_password_like_word(void **state)
{
	(void)state;
	expect("Senha do PDF 123", "123");
	expect("Use password 7788 to open it", "7788");
	/* words that are not passwords */
	expect_none("Senha do PDF em anexo");
	expect_none("Reset your password today");
}

static void what_is_not_a_password(void **state)
{
	(void)state;
	expect_none("パスワードは別途お送りします。");
	expect_none("Password: ********");
	expect_none("Passwords are case-sensitive");
	expect_none("We never ask for your password");
	/* a word after a separator is a hint, but not a likely one */
	bool likely = true;
	g_autofree char *w = first("Password: sent separately", &likely);
	assert_string_equal(w, "sent");
	assert_false(likely);
	/* "pw" inside a word is no label */
	expect_none("upward: 1234");
}

static void each_password_once_and_bounded(void **state)
{
	(void)state;
	GString *t = g_string_new(NULL);
	for (int i = 0; i < 50; i++)
		g_string_append_printf(t, "password: p%04d\npassword: p0000\n", i);
	g_autoptr(GPtrArray) h = ks_passwords_find(t->str);
	assert_int_equal(h->len, KS_PASSWORDS_MAX);
	const ks_password_hint *x = g_ptr_array_index(h, 0);
	assert_string_equal(x->password, "p0000");
	assert_string_equal(x->phrase, "password: p0000");
	g_string_free(t, TRUE);
	/* hostile text: invalid UTF-8, a label at the very end */
	g_autoptr(GPtrArray) a = ks_passwords_find("abc \xff\xfe password");
	assert_int_equal(a->len, 0);
	g_autoptr(GPtrArray) b = ks_passwords_find("password");
	assert_int_equal(b->len, 0);
	g_autoptr(GPtrArray) c = ks_passwords_find(NULL);
	assert_int_equal(c->len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(separators_in_many_languages),
		cmocka_unit_test(japanese_full_width_and_brackets),
		cmocka_unit_test(no_separator_takes_a_password_like_word),
		cmocka_unit_test(what_is_not_a_password),
		cmocka_unit_test(each_password_once_and_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
