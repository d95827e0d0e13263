/* Tests for the theme parser (tui/theme.c): roles, colours, attributes,
 * errors that name the line, and the shipped themes parsing cleanly and
 * matching the compiled-in default and mono.  theme.c has no curses in
 * it, so it is compiled into this test directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../tui/theme.c"

static void parses_colours_background_and_attributes(void **state)
{
	ks_theme t;
	ks_theme_default(&t);
	GError *err = NULL;
	assert_true(ks_theme_parse("# c\n\nselection = black on bright-cyan bold reverse\n"
	                           "high = 196\n",
	                           &t, &err));
	assert_null(err);
	assert_int_equal(t.role[KS_ROLE_SELECTION].fg, 0);
	assert_int_equal(t.role[KS_ROLE_SELECTION].bg, 14);
	assert_int_equal(t.role[KS_ROLE_SELECTION].attr, KS_ATTR_BOLD | KS_ATTR_REVERSE);
	assert_int_equal(t.role[KS_ROLE_HIGH].fg, 196);
	assert_int_equal(t.role[KS_ROLE_HIGH].bg, -1);
}

static void unknown_role_names_the_line(void **state)
{
	ks_theme t;
	ks_theme_default(&t);
	ks_theme before = t;
	GError *err = NULL;
	assert_false(ks_theme_parse("high = red\n# x\nbogus = red\n", &t, &err));
	assert_non_null(err);
	assert_string_equal(err->message, "3: unknown role 'bogus'");
	g_error_free(err);
	assert_memory_equal(&t, &before, sizeof t); /* nothing applied */
}

static void bad_colour_and_missing_equals_are_errors(void **state)
{
	ks_theme t;
	ks_theme_default(&t);
	GError *err = NULL;
	assert_false(ks_theme_parse("low = purple\n", &t, &err));
	assert_string_equal(err->message, "1: unknown colour or attribute 'purple'");
	g_clear_error(&err);
	assert_false(ks_theme_parse("\nlow red\n", &t, &err));
	assert_true(g_str_has_prefix(err->message, "2: expected"));
	g_clear_error(&err);
	assert_false(ks_theme_parse("low = red on\n", &t, &err));
	assert_true(g_str_has_prefix(err->message, "1: 'on' without"));
	g_clear_error(&err);
	assert_false(ks_theme_parse("low = 256\n", &t, &err));
	g_clear_error(&err);
	assert_false(ks_theme_parse("low =\n", &t, &err));
	g_clear_error(&err);
}

static void load_of_a_bad_file_names_file_and_line_and_keeps_default(void **state)
{
	g_autofree char *path = g_build_filename(g_get_tmp_dir(), "kensa-test-bad.theme", NULL);
	g_file_set_contents(path, "normal = default\naccent = gren\n", -1, NULL);
	ks_theme t, def;
	ks_theme_default(&def);
	GError *err = NULL;
	assert_false(ks_theme_load(path, &t, &err));
	g_autofree char *want = g_strdup_printf("%s:2: unknown colour or attribute 'gren'", path);
	assert_string_equal(err->message, want);
	g_error_free(err);
	assert_memory_equal(&t, &def, sizeof t);
	unlink(path);
}

static void missing_theme_is_an_error(void **state)
{
	ks_theme t;
	GError *err = NULL;
	assert_false(ks_theme_load("no-such-theme-here", &t, &err));
	assert_string_equal(err->message, "no-such-theme-here: no such theme");
	g_error_free(err);
}

static void shipped_themes_parse(void **state)
{
	static const char *const names[] = {"default", "high-contrast", "mono", "dark"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = g_strdup_printf("themes/%s.theme", names[i]);
		ks_theme t;
		GError *err = NULL;
		if (!ks_theme_load(path, &t, &err))
			fail_msg("%s", err->message);
	}
}

static void shipped_default_and_mono_match_the_built_ins(void **state)
{
	ks_theme file, builtin_theme;
	assert_true(ks_theme_load("themes/default.theme", &file, NULL));
	ks_theme_default(&builtin_theme);
	assert_memory_equal(&file, &builtin_theme, sizeof file);
	assert_true(ks_theme_load("themes/mono.theme", &file, NULL));
	ks_theme_mono(&builtin_theme);
	assert_true(file.mono);
	assert_memory_equal(&file, &builtin_theme, sizeof file);
	for (int i = 0; i < KS_ROLE_COUNT; i++)
		assert_int_equal(file.role[i].fg, -1);
}

static void every_role_has_a_name(void **state)
{
	assert_string_equal(ks_role_name(KS_ROLE_BORDER), "border");
	assert_string_equal(ks_role_name(KS_ROLE_ACCENT), "accent");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_colours_background_and_attributes),
		cmocka_unit_test(unknown_role_names_the_line),
		cmocka_unit_test(bad_colour_and_missing_equals_are_errors),
		cmocka_unit_test(load_of_a_bad_file_names_file_and_line_and_keeps_default),
		cmocka_unit_test(missing_theme_is_an_error),
		cmocka_unit_test(shipped_themes_parse),
		cmocka_unit_test(shipped_default_and_mono_match_the_built_ins),
		cmocka_unit_test(every_role_has_a_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
