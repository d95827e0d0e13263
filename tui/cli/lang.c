/* The language of what kensa says (cli.h: ks_lang_init, ks_lang_set). */
#include "cli/cli.h"

#include "core/i18n.h"

#include <locale.h>
#include <string.h>

#ifndef KS_LOCALEDIR
#define KS_LOCALEDIR "/usr/local/share/locale"
#endif

/* The message catalogues: $KENSA_LOCALEDIR, else beside the binary (a build
 * tree's BUILD/locale: build/kensa, build/asan/kensa, and ./kensa, the copy
 * at the top of the tree), else where `make install` put them. */
static char *locale_dir(void)
{
	const char *env = g_getenv("KENSA_LOCALEDIR");
	if (env && *env)
		return g_strdup(env);
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
	const char *const near[] = {"locale", "build/locale"};
	for (size_t i = 0; dir && i < G_N_ELEMENTS(near); i++) {
		g_autofree char *cand = g_build_filename(dir, near[i], "ja", "LC_MESSAGES",
		                                         KS_TEXT_DOMAIN ".mo", NULL);
		if (g_file_test(cand, G_FILE_TEST_IS_REGULAR))
			return g_build_filename(dir, near[i], NULL);
	}
	return g_strdup(KS_LOCALEDIR);
}

void ks_lang_init(void)
{
	/* dates and numbers are written by kensa itself in every language
	 * (RFC 3339, a Japanese date where a person reads one): only the
	 * messages and the character type follow the locale */
	setlocale(LC_TIME, "C");
	setlocale(LC_NUMERIC, "C");
	g_autofree char *dir = locale_dir();
	bindtextdomain(KS_TEXT_DOMAIN, dir);
	bind_textdomain_codeset(KS_TEXT_DOMAIN, "UTF-8");
}

/* The locales that give Japanese messages, as Debian names them. */
static const char *const ja_locales[] = {"ja_JP.UTF-8", "ja_JP.utf8", NULL};
static const char *const en_locales[] = {"C.UTF-8", "C.utf8", "C", NULL};

const char *const ks_lang_choices[] = {"en", "ja", NULL};

bool ks_lang_set(int choice, GError **error)
{
	const char *const *names = choice == 1 ? ja_locales : en_locales;
	for (const char *const *n = names; *n; n++) {
		if (setlocale(LC_MESSAGES, *n)) {
			/* the catalogue is chosen by LC_MESSAGES; LANGUAGE would win over it */
			g_unsetenv("LANGUAGE");
			return true;
		}
	}
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
	            "the %s locale is not installed (Debian: apt-get install locales; "
	            "localedef -i ja_JP -f UTF-8 ja_JP.UTF-8)",
	            names[0]);
	return false;
}

bool ks_lang_is_japanese(void)
{
	const char *m = setlocale(LC_MESSAGES, NULL);
	return m && g_ascii_strncasecmp(m, "ja", 2) == 0;
}
