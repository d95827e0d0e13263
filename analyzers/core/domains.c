/* Domain helpers: registrable domains through libpsl's built-in Public
 * Suffix List (so "co.jp" and "com" are both suffixes), address parts, URL
 * hosts.  No DNS, no network: names are only compared as strings. */
#include "core/domains.h"

#include "core/data.h"

#include <glib.h>
#include <libpsl.h>
#include <string.h>

char *ks_domain_of_address(const char *address)
{
	if (!address)
		return NULL;
	const char *at = strrchr(address, '@');
	if (!at || !at[1])
		return NULL;
	g_autofree char *d = g_utf8_strdown(at + 1, -1);
	g_strstrip(d);
	/* a trailing dot or a bracketed literal are written by real mailers */
	size_t n = strlen(d);
	while (n > 0 && (d[n - 1] == '.' || d[n - 1] == '>'))
		d[--n] = '\0';
	return n ? g_strdup(d) : NULL;
}

char *ks_local_part(const char *address)
{
	if (!address)
		return NULL;
	const char *at = strrchr(address, '@');
	if (!at || at == address)
		return NULL;
	return g_utf8_strdown(address, at - address);
}

bool ks_is_ip_literal(const char *s)
{
	if (!s || !*s)
		return false;
	if (strchr(s, ':'))
		return g_hostname_is_ip_address(s);
	return g_hostname_is_ip_address(s);
}

/* The registrable domain of host, as computed (no cache). */
static char *registrable(const char *host)
{
	g_autofree char *h = g_utf8_strdown(host, -1);
	g_strstrip(h);
	size_t n = strlen(h);
	while (n > 0 && h[n - 1] == '.')
		h[--n] = '\0';
	if (h[0] == '[' || ks_is_ip_literal(h) || !strchr(h, '.'))
		return NULL;
	const psl_ctx_t *psl = psl_builtin();
	const char *reg = psl ? psl_registrable_domain(psl, h) : NULL;
	if (reg)
		return g_strdup(reg);
	/* not under a known suffix (e.g. ".example", ".local"): the last two labels */
	if (psl && psl_is_public_suffix(psl, h))
		return NULL;
	const char *last = strrchr(h, '.');
	const char *p = last;
	while (p > h && p[-1] != '.')
		p--;
	return p == last ? NULL : g_strdup(p);
}

/* Hosts already asked for, with their answers ("" for none): a message asks
 * about its few hosts some eighty times over (links, senders, roles), and
 * libpsl's look-up costs some fifty times a hash's.  A table per thread
 * (scan's workers ask at once; a shared one under a lock made them wait on
 * each other), emptied when full. */
#define REGISTRABLE_CACHE_MAX 4096

static GPrivate registrable_cache = G_PRIVATE_INIT((GDestroyNotify)g_hash_table_unref);

char *ks_domain_registrable(const char *host)
{
	if (!host || !*host)
		return NULL;
	/* host as given -> domain or "" */
	GHashTable *cache = ks_thread_table(&registrable_cache, g_free);
	const char *known = g_hash_table_lookup(cache, host);
	if (!known) {
		char *reg = registrable(host);
		if (g_hash_table_size(cache) >= REGISTRABLE_CACHE_MAX)
			g_hash_table_remove_all(cache);
		known = reg ? reg : g_strdup("");
		g_hash_table_replace(cache, g_strdup(host), (gpointer)known);
	}
	return *known ? g_strdup(known) : NULL;
}

char *ks_address_registrable(const char *address)
{
	g_autofree char *d = address ? ks_domain_of_address(address) : NULL;
	return d ? ks_domain_registrable(d) : NULL;
}

bool ks_domain_has_known_tld(const char *host)
{
	const char *dot = host ? strrchr(host, '.') : NULL;
	if (!dot || !dot[1])
		return false;
	g_autofree char *tld = g_ascii_strdown(dot + 1, -1);
	const psl_ctx_t *psl = psl_builtin();
	return psl && psl_is_public_suffix2(psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

char *ks_url_host(const char *url)
{
	if (!url)
		return NULL;
	const char *p = strstr(url, "://");
	if (p)
		p += 3;
	else if (g_ascii_strncasecmp(url, "www.", 4) == 0)
		p = url;
	else
		return NULL;
	/* authority ends at / ? # or whitespace */
	size_t n = strcspn(p, "/?#\\ \t\r\n\"'<>");
	g_autofree char *auth = g_strndup(p, n);
	char *at = strrchr(auth, '@');
	char *host = at ? at + 1 : auth;
	if (host[0] == '[') {
		char *close = strchr(host, ']');
		if (!close)
			return NULL;
		return g_strndup(host + 1, close - host - 1);
	}
	char *colon = strchr(host, ':');
	if (colon)
		*colon = '\0';
	size_t hl = strlen(host);
	while (hl > 0 && host[hl - 1] == '.')
		host[--hl] = '\0';
	if (!hl)
		return NULL;
	return g_utf8_strdown(host, -1);
}

bool ks_host_under(const char *host, const char *suffix)
{
	size_t hl = strlen(host), sl = strlen(suffix);
	if (hl < sl || g_ascii_strcasecmp(host + hl - sl, suffix) != 0)
		return false;
	return hl == sl || host[hl - sl - 1] == '.';
}

const char *ks_host_parent(const char *host)
{
	const char *dot = host ? strchr(host, '.') : NULL;
	return dot ? dot + 1 : NULL;
}

bool ks_domain_is_meeting_service(const char *host)
{
	const GPtrArray *rows = host ? ks_data_lines("calendar_services.txt") : NULL;
	for (guint i = 0; rows && i < rows->len; i++)
		if (ks_host_under(host, g_ptr_array_index(rows, i)))
			return true;
	return false;
}
