/* Theme parsing and lookup (theme.h).  The default and mono themes are also
 * compiled in, so the workbench looks right with no theme files installed;
 * tests/unit/test_tui_theme.c checks they equal themes/default.theme and
 * themes/mono.theme. */
#include "theme.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const role_names[] = {
#define KS_ROLE_NAME(e, name, help) name,
	KS_THEME_ROLES(KS_ROLE_NAME)
#undef KS_ROLE_NAME
};

const char *ks_role_name(ks_role role)
{
	return role < KS_ROLE_COUNT ? role_names[role] : "?";
}

static const char default_text[] =
	"normal = default\n"
	"border = blue\n"
	"title = white on blue bold\n"
	"focus = black on cyan bold\n"
	"selection = black on cyan\n"
	"high = red bold\n"
	"medium = yellow bold\n"
	"low = cyan\n"
	"info = default\n"
	"dimmed = default dim\n"
	"accent = green\n";

static const char mono_text[] =
	"normal = default\n"
	"border = default\n"
	"title = default bold\n"
	"focus = default reverse bold\n"
	"selection = default reverse\n"
	"high = default bold underline\n"
	"medium = default bold\n"
	"low = default underline\n"
	"info = default\n"
	"dimmed = default dim\n"
	"accent = default bold\n";

static const struct {
	const char *name;
	unsigned attr;
} attrs[] = {
	{"bold", KS_ATTR_BOLD},           {"dim", KS_ATTR_DIM},
	{"underline", KS_ATTR_UNDERLINE}, {"reverse", KS_ATTR_REVERSE},
	{"italic", KS_ATTR_ITALIC},       {"standout", KS_ATTR_STANDOUT},
};

static const char *const colours[] = {"black", "red",     "green", "yellow",
                                      "blue",  "magenta", "cyan",  "white"};

/* "red" -> 1, "bright-red" -> 9, "default" -> -1, "200" -> 200. */
static bool parse_colour(const char *word, int *out)
{
	if (strcmp(word, "default") == 0) {
		*out = -1;
		return true;
	}
	int base = 0;
	if (g_str_has_prefix(word, "bright-")) {
		word += 7;
		base = 8;
	}
	for (int i = 0; i < 8; i++)
		if (strcmp(word, colours[i]) == 0) {
			*out = base + i;
			return true;
		}
	if (base == 0 && g_ascii_isdigit(*word)) {
		char *end;
		errno = 0;
		long n = strtol(word, &end, 10);
		if (!*end && !errno && n >= 0 && n <= 255) {
			*out = (int)n;
			return true;
		}
	}
	return false;
}

static bool parse_style(char *spec, ks_style *st, GError **error, int line)
{
	ks_style s = {-1, -1, 0};
	bool have_fg = false, want_bg = false, have_bg = false;
	g_auto(GStrv) words = g_strsplit_set(spec, " \t", -1);
	for (char **w = words; *w; w++) {
		if (!**w)
			continue;
		int c;
		bool is_attr = false;
		for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++)
			if (strcmp(*w, attrs[i].name) == 0) {
				s.attr |= attrs[i].attr;
				is_attr = true;
			}
		if (is_attr)
			continue;
		if (strcmp(*w, "on") == 0 && have_fg && !want_bg) {
			want_bg = true;
		} else if (parse_colour(*w, &c) && (want_bg ? !have_bg : !have_fg)) {
			if (want_bg) {
				s.bg = c;
				have_bg = true;
			} else {
				s.fg = c;
				have_fg = true;
			}
		} else {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			            "%d: unknown colour or attribute '%s'", line, *w);
			return false;
		}
	}
	if (want_bg && !have_bg) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            "%d: 'on' without a background colour", line);
		return false;
	}
	if (!have_fg && !s.attr) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%d: empty style", line);
		return false;
	}
	*st = s;
	return true;
}

bool ks_theme_parse(const char *text, ks_theme *theme, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	ks_theme t = *theme;
	int n = 0;
	for (char **l = lines; *l; l++) {
		n++;
		char *hash = strchr(*l, '#');
		if (hash)
			*hash = '\0';
		char *line = g_strstrip(*l);
		if (!*line)
			continue;
		if (g_ascii_strncasecmp(line, "mono", 4) == 0 && !line[4]) {
			t.mono = true; /* a theme that asks for no colour at all */
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			            "%d: expected 'role = colour [on colour] [attributes]'", n);
			return false;
		}
		*eq = '\0';
		char *role = g_strstrip(line);
		int r = -1;
		for (int i = 0; i < KS_ROLE_COUNT; i++)
			if (strcmp(role, role_names[i]) == 0)
				r = i;
		if (r < 0) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%d: unknown role '%s'",
			            n, role);
			return false;
		}
		if (!parse_style(g_strstrip(eq + 1), &t.role[r], error, n))
			return false;
	}
	*theme = t;
	return true;
}

static void builtin(ks_theme *theme, const char *text, bool mono)
{
	memset(theme, 0, sizeof *theme);
	for (int i = 0; i < KS_ROLE_COUNT; i++)
		theme->role[i] = (ks_style){-1, -1, 0};
	ks_theme_parse(text, theme, NULL);
	theme->mono = mono;
}

void ks_theme_default(ks_theme *theme)
{
	builtin(theme, default_text, false);
}

void ks_theme_mono(ks_theme *theme)
{
	builtin(theme, mono_text, true);
}

/* Where named themes live: ./themes, beside the binary (and two levels up,
 * for build/<dir>/kensa in the source tree), then the installed copies. */
static char *find_theme(const char *name)
{
	g_autofree char *file = g_strconcat(name, ".theme", NULL);
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *exedir = exe ? g_path_get_dirname(exe) : g_strdup(".");
	char *dirs[] = {
		g_strdup("themes"),
		g_build_filename(exedir, "themes", NULL),
		g_build_filename(exedir, "..", "..", "themes", NULL),
		g_build_filename(exedir, "..", "share", "kensa", "themes", NULL),
		g_strdup("/usr/local/share/kensa/themes"),
		g_strdup("/usr/share/kensa/themes"),
	};
	char *found = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		char *path = g_build_filename(dirs[i], file, NULL);
		if (!found && g_file_test(path, G_FILE_TEST_IS_REGULAR))
			found = path;
		else
			g_free(path);
		g_free(dirs[i]);
	}
	return found;
}

bool ks_theme_load(const char *name_or_path, ks_theme *theme, GError **error)
{
	ks_theme_default(theme);
	if (!name_or_path || !*name_or_path || strcmp(name_or_path, "default") == 0)
		return true;
	g_autofree char *path = NULL;
	if (strchr(name_or_path, '/') || g_str_has_suffix(name_or_path, ".theme"))
		path = g_strdup(name_or_path);
	else
		path = find_theme(name_or_path);
	if (!path) {
		if (strcmp(name_or_path, "mono") == 0) {
			ks_theme_mono(theme);
			return true;
		}
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such theme",
		            name_or_path);
		return false;
	}
	g_autofree char *text = NULL;
	GError *err = NULL;
	if (!g_file_get_contents(path, &text, NULL, &err)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s", err->message);
		g_error_free(err);
		return false;
	}
	ks_theme t;
	ks_theme_default(&t);
	if (strcmp(name_or_path, "mono") == 0 || g_str_has_suffix(path, "/mono.theme"))
		t.mono = true;
	if (!ks_theme_parse(text, &t, &err)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%s", path, err->message);
		g_error_free(err);
		return false;
	}
	*theme = t;
	return true;
}
