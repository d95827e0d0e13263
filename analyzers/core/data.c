/* Look-ups into the rule data compiled in from analyzers/data/ (see
 * embed_data.sh).  Lines are split once, on first use. */
#include "core/data.h"

#include <string.h>

struct ks_data_file {
	const char *name;
	const char *text;
};
extern const struct ks_data_file ks_data_files[];

static const struct ks_data_file *find(const char *name)
{
	for (const struct ks_data_file *f = ks_data_files; name && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

const char *ks_data_text(const char *name)
{
	const struct ks_data_file *f = find(name);
	return f ? f->text : NULL;
}

static GPtrArray *split_lines(const char *text)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) raw = g_strsplit(text, "\n", -1);
	for (char **l = raw; *l; l++) {
		char *hash = strchr(*l, '#');
		/* "#" starts a comment only at line start or after blank space, so
		 * entries such as "C#" survive */
		while (hash && hash != *l && hash[-1] != ' ' && hash[-1] != '\t')
			hash = strchr(hash + 1, '#');
		if (hash)
			*hash = '\0';
		char *s = g_strstrip(*l);
		if (*s)
			g_ptr_array_add(lines, g_strdup(s));
	}
	return lines;
}

/* Each file's lines, split once: a slot per file of ks_data_files, set
 * under g_once (an atomic read once set, no lock: the analyzers ask for
 * their lists on every message, from every thread of scan). */
#define DATA_FILES_MAX 256

const GPtrArray *ks_data_lines(const char *name)
{
	static GPtrArray *lines[DATA_FILES_MAX];
	const struct ks_data_file *f = find(name);
	if (!f)
		return NULL;
	size_t i = (size_t)(f - ks_data_files);
	g_assert(i < DATA_FILES_MAX);
	if (g_once_init_enter(&lines[i]))
		g_once_init_leave(&lines[i], split_lines(f->text));
	return lines[i];
}

bool ks_data_split(const char *line, char **key, char **value)
{
	const char *colon = strchr(line, ':');
	if (!colon)
		return false;
	*key = g_strstrip(g_strndup(line, (gsize)(colon - line)));
	*value = g_strstrip(g_strdup(colon + 1));
	return true;
}

GHashTable *ks_thread_table(GPrivate *slot, GDestroyNotify value_free)
{
	GHashTable *t = g_private_get(slot);
	if (!t) {
		t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, value_free);
		g_private_set(slot, t);
	}
	return t;
}
