/* Look-ups into the rule data compiled in from analyzers/data/ (see
 * embed_data.sh).  Lines are split once, on first use, under a lock. */
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

const GPtrArray *ks_data_lines(const char *name)
{
	static GMutex lock;
	static GHashTable *cache;
	const struct ks_data_file *f = find(name);
	if (!f)
		return NULL;
	g_mutex_lock(&lock);
	if (!cache)
		cache = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *lines = g_hash_table_lookup(cache, name);
	if (!lines) {
		lines = split_lines(f->text);
		g_hash_table_insert(cache, (gpointer)f->name, lines);
	}
	g_mutex_unlock(&lock);
	return lines;
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
