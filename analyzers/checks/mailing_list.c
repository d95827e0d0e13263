/* Analyzer: the header lines a mailing list, a bulk sender or a forwarder
 * writes, read into r->list for the analyzers that judge identities and
 * bodies.  A list sends its members' posts with its own envelope sender
 * (RFC 5321 3.4 leaves the reverse-path to whoever re-sends) and often sets
 * Reply-To to itself; a forwarder re-sends with its own envelope sender and,
 * today, an ARC set (RFC 8617).  What is read:
 *   List-Id (RFC 2919)              "Name <list-label.example.org>"
 *   List-Post (RFC 2369)            "<mailto:list@example.org>"
 *   List-Unsubscribe (RFC 2369)     present or not
 *   List-Help, -Subscribe, -Owner, -Archive (RFC 2369)  present or not
 *   X-BeenThere (Mailman)           "list@example.org"
 *   Mailing-List (ezmlm, Yahoo)     "list list@example.org; contact ..."
 *   X-Mailing-List (SmartList, vger) "<list@example.org>" and variants
 *   Precedence (RFC 3834 2)         bulk, list, junk
 *   ARC-Seal (RFC 8617 4.1.3)       its d= signer
 * Everything here can be forged by the sender: the findings that use it say
 * what it explained, and identity.c never lets it explain a free-mail Reply-To
 * or a protected From. */
#include "checks/mailing_list.h"

#include "core/domains.h"

#include <string.h>

/* A list has a handful of addresses; a forwarded chain a few ARC sets
 * (RFC 8617 5.1.1.1 stops at i=50). */
#define MAX_ADDRESSES 16
#define MAX_ARC_SIGNERS 16
#define MAX_LOCAL 64   /* RFC 5321 4.5.3.1.1 */
#define MAX_DOMAIN 255 /* RFC 5321 4.5.3.1.2 */

static bool local_char(char c)
{
	return c && (g_ascii_isalnum(c) || strchr("._%+=-", c));
}

static bool domain_char(char c)
{
	return c && (g_ascii_isalnum(c) || c == '.' || c == '-');
}

/* The first local@domain in s, lower case, or NULL. */
static char *first_address(const char *s)
{
	for (const char *at = s ? strchr(s, '@') : NULL; at; at = strchr(at + 1, '@')) {
		const char *a = at;
		while (a > s && at - a < MAX_LOCAL && local_char(a[-1]))
			a--;
		const char *e = at + 1;
		while (*e && e - at - 1 < MAX_DOMAIN && domain_char(*e))
			e++;
		while (e > at + 1 && (e[-1] == '.' || e[-1] == '-'))
			e--;
		if (a < at && e > at + 1 && memchr(at + 1, '.', (size_t)(e - at - 1)))
			return g_ascii_strdown(a, e - a);
	}
	return NULL;
}

static void add_address(ks_report *r, char *address)
{
	if (!address)
		return;
	GPtrArray *list = r->list.addresses;
	if (list->len >= MAX_ADDRESSES) {
		g_free(address);
		return;
	}
	for (guint i = 0; i < list->len; i++) {
		if (strcmp(g_ptr_array_index(list, i), address) == 0) {
			g_free(address);
			return;
		}
	}
	g_ptr_array_add(list, ks_report_line(address));
	g_free(address);
}

/* "<mailto:list@x.org?subject=help>, <http://x.org/post>": each mailto:. */
static void read_list_post(ks_report *r, const char *v)
{
	g_autofree char *low = g_ascii_strdown(v, -1);
	for (const char *p = low; (p = strstr(p, "mailto:")) != NULL;) {
		p += strlen("mailto:");
		size_t n = strcspn(p, ">?,; \t");
		g_autofree char *t = g_strndup(p, n);
		add_address(r, first_address(t));
		p += n;
	}
}

/* RFC 2919 2: "phrase <list-label.domain>", or the identifier alone. */
static void read_list_id(ks_report *r, const char *v)
{
	const char *lt = strrchr(v, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	g_autofree char *id = lt && gt ? g_strndup(lt + 1, (size_t)(gt - lt - 1))
	                               : g_strstrip(g_strdup(v));
	g_strstrip(id);
	if (!*id || !strchr(id, '.') || strlen(id) > MAX_DOMAIN)
		return;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr(".-_+=", *p))
			return;
	g_autofree char *low = g_ascii_strdown(id, -1);
	ks_report_set_line(&r->list.id, low);
	g_autofree char *shown = g_strstrip(g_strdup(v));
	ks_report_set_line(&r->list.name, shown);
}

/* "i=1; a=rsa-sha256; d=example.org; s=arc; ..." -> example.org's
 * registrable domain (RFC 8617 4.1.3, the tag list of RFC 6376 3.2). */
static void read_arc_seal(ks_report *r, const char *v)
{
	if (r->list.arc_signers->len >= MAX_ARC_SIGNERS)
		return;
	g_auto(GStrv) tags = g_strsplit(v, ";", 32);
	for (int i = 0; tags[i]; i++) {
		char *t = g_strstrip(tags[i]);
		if (g_ascii_strncasecmp(t, "d=", 2) != 0)
			continue;
		g_autofree char *d = g_ascii_strdown(g_strstrip(t + 2), -1);
		g_autofree char *org = ks_domain_registrable(d);
		if (org) {
			for (guint k = 0; k < r->list.arc_signers->len; k++)
				if (strcmp(g_ptr_array_index(r->list.arc_signers, k), org) == 0)
					return;
			g_ptr_array_add(r->list.arc_signers, ks_report_line(org));
		}
		return;
	}
}

static bool bulk_precedence(const char *v)
{
	g_autofree char *t = g_strstrip(g_strdup(v));
	return g_ascii_strcasecmp(t, "bulk") == 0 || g_ascii_strcasecmp(t, "list") == 0 ||
	       g_ascii_strcasecmp(t, "junk") == 0;
}

void ks_mailing_list_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)ctx;
	if (!m || !r)
		return;
	for (guint i = 0; m->headers && i < m->headers->len; i++) {
		const ks_raw_header *h = g_ptr_array_index(m->headers, i);
		const char *v = h->value ? h->value : h->raw_value;
		if (!h->name || !v)
			continue;
		if (g_ascii_strcasecmp(h->name, "List-Id") == 0 && !r->list.id)
			read_list_id(r, v);
		else if (g_ascii_strcasecmp(h->name, "List-Post") == 0)
			read_list_post(r, v);
		else if (g_ascii_strcasecmp(h->name, "X-BeenThere") == 0 ||
		         g_ascii_strcasecmp(h->name, "X-Mailing-List") == 0)
			add_address(r, first_address(v));
		else if (g_ascii_strcasecmp(h->name, "Mailing-List") == 0)
			/* "list a@x; contact a-owner@x": the first is the list */
			add_address(r, first_address(v));
		else if (g_ascii_strcasecmp(h->name, "List-Unsubscribe") == 0)
			r->list.unsubscribe = true;
		else if (g_ascii_strcasecmp(h->name, "List-Help") == 0 ||
		         g_ascii_strcasecmp(h->name, "List-Subscribe") == 0 ||
		         g_ascii_strcasecmp(h->name, "List-Owner") == 0 ||
		         g_ascii_strcasecmp(h->name, "List-Archive") == 0)
			r->list.list_fields = true;
		else if (g_ascii_strcasecmp(h->name, "Precedence") == 0)
			r->list.bulk = r->list.bulk || bulk_precedence(v);
		else if (g_ascii_strcasecmp(h->name, "ARC-Seal") == 0)
			read_arc_seal(r, v);
	}
	if (!r->list.name && r->list.addresses->len)
		r->list.name = g_strdup(g_ptr_array_index(r->list.addresses, 0));
}

bool ks_mailing_list_present(const ks_report *r)
{
	return r && (r->list.id || r->list.addresses->len > 0);
}

bool ks_mailing_list_bulk(const ks_report *r)
{
	return r && (ks_mailing_list_present(r) || r->list.unsubscribe || r->list.list_fields ||
	             r->list.bulk);
}

bool ks_mailing_list_is_address(const ks_report *r, const char *address)
{
	if (!r || !address || !strchr(address, '@'))
		return false;
	g_autofree char *low = g_ascii_strdown(address, -1);
	for (guint i = 0; i < r->list.addresses->len; i++)
		if (strcmp(g_ptr_array_index(r->list.addresses, i), low) == 0)
			return true;
	if (!r->list.id)
		return false;
	*strrchr(low, '@') = '.';
	return strcmp(low, r->list.id) == 0;
}

/* The registrable domain of a host, or the host itself when it has none. */
static char *org_of(const char *host)
{
	char *reg = ks_domain_registrable(host);
	return reg ? reg : g_ascii_strdown(host, -1);
}

bool ks_mailing_list_is_domain(const ks_report *r, const char *org)
{
	if (!r || !org)
		return false;
	for (guint i = 0; i < r->list.addresses->len; i++) {
		g_autofree char *d = ks_domain_of_address(g_ptr_array_index(r->list.addresses, i));
		g_autofree char *o = d ? org_of(d) : NULL;
		if (o && g_ascii_strcasecmp(o, org) == 0)
			return true;
	}
	/* "ilug.linux.ie": the list label, then the domain it lives on */
	const char *dot = r->list.id ? strchr(r->list.id, '.') : NULL;
	if (!dot || !strchr(dot + 1, '.'))
		return false;
	g_autofree char *o = org_of(dot + 1);
	return g_ascii_strcasecmp(o, org) == 0;
}

bool ks_mailing_list_is_arc_signer(const ks_report *r, const char *org)
{
	for (guint i = 0; r && org && i < r->list.arc_signers->len; i++)
		if (g_ascii_strcasecmp(g_ptr_array_index(r->list.arc_signers, i), org) == 0)
			return true;
	return false;
}
