/* The config file: $XDG_CONFIG_HOME/kensa/config (default ~/.config), lines
 * "key = value" with '#' comments; a "[section]" line makes the keys after
 * it "section.key" (so "[db]" then "url = postgresql://..." is db.url, the
 * team's case store).  Keys in use: authserv-id (repeatable:
 * the Authentication-Results writers to trust), author (of case notes),
 * theme, attachment-cpu-seconds and attachment-memory-mb (the analysis
 * helper's budget per attachment; the environment's
 * KENSA_ATTACHMENT_CPU_SECONDS and KENSA_ATTACHMENT_MEMORY_MB win).  Also
 * where the analysis context is put together from the config and the case
 * store. */
#include "cli/cli.h"
#include "core/i18n.h"

#include "cases.h"
#include "checks/analyze.h"

#include "core/helper.h"
#include "knowledge.h"
#include "core/sanitize.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

static char *config_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "kensa", "config", NULL);
}

/* Calls fn for each key/value pair, in file order; keys under a
 * "[section]" line come as "section.key". */
static void config_each(void (*fn)(const char *key, const char *value, void *user), void *user)
{
	g_autofree char *path = config_path();
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *section = NULL;
	for (char **l = lines; *l; l++) {
		char *hash = strchr(*l, '#');
		if (hash)
			*hash = '\0';
		char *line = g_strstrip(*l);
		size_t len = strlen(line);
		if (len >= 2 && line[0] == '[' && line[len - 1] == ']') {
			line[len - 1] = '\0';
			g_free(section);
			section = g_strdup(g_strstrip(line + 1));
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *key = g_strstrip(line);
		char *value = g_strstrip(eq + 1);
		if (!*key || !*value)
			continue;
		g_autofree char *full = section && *section ? g_strdup_printf("%s.%s", section, key)
		                                           : g_strdup(key);
		fn(full, value, user);
	}
}

typedef struct {
	const char *key;
	char *value;
} lookup;

static void find_key(const char *key, const char *value, void *user)
{
	lookup *l = user;
	if (!l->value && g_ascii_strcasecmp(key, l->key) == 0)
		l->value = g_strdup(value);
}

char *ks_config_get(const char *key)
{
	lookup l = {key, NULL};
	config_each(find_key, &l);
	return l.value;
}

static void add_authserv(const char *key, const char *value, void *user)
{
	if (g_ascii_strcasecmp(key, "authserv-id") == 0)
		ks_context_add_authserv_id(user, value);
}

/* A positive number from the environment, else the config, else 0. */
static double budget_setting(const char *env, const char *key)
{
	g_autofree char *from_config = NULL;
	const char *v = g_getenv(env);
	if (!v || !*v)
		v = from_config = ks_config_get(key);
	double d = v ? g_ascii_strtod(v, NULL) : 0;
	return d > 0 && d < 1e6 ? d : 0;
}

ks_context *ks_cli_load_context_from(struct ks_store **store, const char *exclude_sha256)
{
	ks_context *c = ks_context_new();
	config_each(add_authserv, c);
	/* attachments are analysed by kensa itself in helper mode, exec'd
	 * afresh (/proc/self/exe is this very program, even if the file has
	 * been replaced since) */
	double cpu = budget_setting("KENSA_ATTACHMENT_CPU_SECONDS", "attachment-cpu-seconds");
	double mem = budget_setting("KENSA_ATTACHMENT_MEMORY_MB", "attachment-memory-mb");
	ks_context_set_limits(c, "/proc/self/exe", (int)(cpu * 1000), (int64_t)(mem * 1024 * 1024));
	/* the store is read only when it exists: analysing never creates it */
	GError *err = NULL;
	if (!*store) {
		g_autofree char *path = ks_cli_store_location();
		*store = ks_store_open_existing(path, &err);
		if (*store) {
			g_autofree char *author = ks_cli_note_author();
			ks_store_set_author(*store, author);
		}
	}
	if (*store)
		ks_store_load_context(*store, c, exclude_sha256, &err);
	if (err) {
		g_autofree char *why = g_strdup_printf(_("%s (analysing without it)"), err->message);
		ks_cli_error("database", why);
		g_error_free(err);
	}
	return c;
}

ks_context *ks_cli_load_context_excluding(const char *exclude_sha256)
{
	ks_store *s = NULL;
	ks_context *c = ks_cli_load_context_from(&s, exclude_sha256);
	ks_store_close(s);
	return c;
}

char *ks_cli_store_location(void)
{
	const char *env = g_getenv("KENSA_DB");
	char *url = env && *env ? NULL : ks_config_get("db.url");
	return url ? url : ks_store_default_path();
}

ks_context *ks_cli_load_context(void)
{
	return ks_cli_load_context_excluding(NULL);
}

void ks_cli_error(const char *what, const char *why)
{
	g_autofree char *w = ks_sanitize(what ? what : "", KS_SANITIZE_LINE, NULL);
	g_autofree char *y = ks_sanitize(why ? why : "", KS_SANITIZE_LINE, NULL);
	fprintf(stderr, "kensa: %s: %s\n", w, y);
}

bool ks_cli_case_add_raw(struct ks_store *s, int64_t id, GBytes *raw, const char *sha256,
                         const char *where, const char *format, bool *duplicate,
                         int64_t *message_id, ks_report **report, GError **error)
{
	*duplicate = false;
	if (report)
		*report = NULL;
	int64_t existing = ks_case_find_message(s, id, sha256, error);
	if (existing < 0)
		return false;
	if (existing > 0) {
		*duplicate = true;
		*message_id = existing;
		return true;
	}
	/* the message itself must not count as an earlier case's attachment */
	g_autoptr(ks_context) ctx = ks_cli_load_context_from(&s, sha256);
	ks_report *r = ks_analyze_bytes(raw, where, format, ctx, error);
	if (!r)
		return false;
	bool ok = ks_case_add_message(s, id, raw, r, duplicate, message_id, error);
	if (ok && report)
		*report = r;
	else
		ks_report_free(r);
	return ok;
}
