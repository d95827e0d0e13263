/* IOC roles (roles.h).  Each IOC is judged by its value alone against what
 * the report and the context say about the parties:
 *   victim    a mailbox or domain of the receiving organisation: protected
 *             domains, the registrable domains of To/Cc/Delivered-To (not
 *             free mail, not one a lookalike finding points at), contacts;
 *             a URL on such a domain (the victim's own site in a signature)
 *   internal  a private address (RFC 1918, loopback, link-local, CGNAT,
 *             unique-local), or the origin hop when it left from a victim
 *             host (mail sent inside the organisation)
 *   benign    benign_infrastructure.txt, the free-mail providers as
 *             domains (the mailbox x@gmail.com stays the attacker's), and
 *             the analyst's `kensa allow` list
 *   attacker  everything else the mail carries. */
#include "checks/roles.h"

#include "core/data.h"
#include "core/domains.h"
#include "checks/identity.h"

#include <gio/gio.h>
#include <string.h>

/* ---- benign infrastructure ---- */

static bool ip_in(const char *ip, const char *cidr)
{
	g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string(cidr, NULL);
	g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(ip);
	return mask && addr && g_inet_address_mask_matches(mask, addr);
}

/* benign_infrastructure.txt parsed once, for every thread (the table is
 * constant data; it lives as long as the process): the networks, and the
 * hosts as sets (all of them, and the "url:" ones, which cover links on the
 * host too) that a host asks by the names it is under. */
typedef struct {
	GPtrArray *nets;       /* GInetAddressMask* */
	GHashTable *hosts;     /* lower-case host -> itself: every host row */
	GHashTable *url_hosts; /* the same, "url:" rows only */
} benign_table;

static const benign_table *benign_data(void)
{
	static benign_table *table;
	if (g_once_init_enter(&table)) {
		benign_table *t = g_new0(benign_table, 1);
		t->nets = g_ptr_array_new();
		t->hosts = g_hash_table_new(g_str_hash, g_str_equal);
		t->url_hosts = g_hash_table_new(g_str_hash, g_str_equal);
		const GPtrArray *lines = ks_data_lines("benign_infrastructure.txt");
		for (guint i = 0; lines && i < lines->len; i++) {
			g_autofree char *kind = NULL, *value = NULL;
			if (!ks_data_split(g_ptr_array_index(lines, i), &kind, &value))
				continue;
			if (g_str_equal(kind, "ip")) {
				GInetAddressMask *mask = g_inet_address_mask_new_from_string(value, NULL);
				if (mask)
					g_ptr_array_add(t->nets, mask);
				continue;
			}
			char *host = g_ascii_strdown(value, -1);
			g_hash_table_add(t->hosts, host);
			if (g_str_equal(kind, "url"))
				g_hash_table_add(t->url_hosts, host);
		}
		g_once_init_leave(&table, t);
	}
	return table;
}

/* Is host, or a name it is under, in the set (ks_host_under of any member)? */
static bool under_any(GHashTable *set, const char *host)
{
	g_autofree char *low = g_ascii_strdown(host, -1);
	for (const char *s = low; s; s = ks_host_parent(s))
		if (g_hash_table_contains(set, s))
			return true;
	return false;
}

static bool benign(const ks_context *ctx, const char *host, const char *url_host, const char *ip)
{
	const benign_table *t = benign_data();
	if ((host && under_any(t->hosts, host)) || (url_host && under_any(t->url_hosts, url_host)))
		return true;
	g_autoptr(GInetAddress) addr = ip ? g_inet_address_new_from_string(ip) : NULL;
	for (guint i = 0; addr && i < t->nets->len; i++)
		if (g_inet_address_mask_matches(g_ptr_array_index(t->nets, i), addr))
			return true;
	/* the analyst's list: an allowed host covers its links too */
	for (guint i = 0; ctx && i < ctx->allowed->len; i++) {
		const char *a = g_ptr_array_index(ctx->allowed, i);
		if (strchr(a, '/') || g_hostname_is_ip_address(a)) {
			if (ip && (strchr(a, '/') ? ip_in(ip, a) : g_ascii_strcasecmp(ip, a) == 0))
				return true;
		} else if ((host && ks_host_under(host, a)) || (url_host && ks_host_under(url_host, a))) {
			return true;
		}
	}
	if (host) {
		g_autofree char *reg = ks_domain_registrable(host);
		if (reg && ks_identity_is_freemail(reg) && g_ascii_strcasecmp(reg, host) == 0)
			return true;
	}
	return false;
}

bool ks_roles_is_benign(const ks_context *ctx, const char *host, const char *ip)
{
	return benign(ctx, host, NULL, ip);
}

/* ---- the victim's side ---- */

typedef struct {
	GHashTable *domains;   /* registrable domains of the victim */
	GHashTable *mailboxes; /* addresses of the victim (lower case) */
} victims;

static void add_domain_of(GHashTable *set, const char *address_or_host)
{
	g_autofree char *d = strchr(address_or_host, '@') ? ks_domain_of_address(address_or_host)
	                                                   : g_ascii_strdown(address_or_host, -1);
	g_autofree char *reg = d ? ks_domain_registrable(d) : NULL;
	if (reg && !ks_identity_is_freemail(reg))
		g_hash_table_add(set, g_steal_pointer(&reg));
}

static void add_mailboxes(victims *v, const GPtrArray *list, GHashTable *flagged)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		if (!a->address || !strchr(a->address, '@'))
			continue;
		g_autofree char *reg = ks_address_registrable(a->address);
		if (reg && g_hash_table_contains(flagged, reg))
			continue; /* a lookalike on Cc is not a recipient of ours */
		g_hash_table_add(v->mailboxes, g_ascii_strdown(a->address, -1));
		add_domain_of(v->domains, a->address);
	}
}

/* Registrable domains of the headers a lookalike finding is located at. */
static GHashTable *flagged_domains(const ks_report *r)
{
	GHashTable *out = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < r->findings->len; i++) {
		const ks_finding *f = g_ptr_array_index(r->findings, i);
		if (f->rule != KS_RULE_IDENTITY_LOOKALIKE_DOMAIN || !g_str_has_prefix(f->location, "header:"))
			continue;
		const char *h = f->location + 7;
		const GPtrArray *list = g_ascii_strcasecmp(h, "To") == 0   ? r->to
		                        : g_ascii_strcasecmp(h, "Cc") == 0 ? r->cc
		                                                           : NULL;
		for (guint k = 0; list && k < list->len; k++) {
			const ks_address *a = g_ptr_array_index(list, k);
			g_autofree char *d = a->address ? ks_domain_of_address(a->address) : NULL;
			char *reg = d ? ks_domain_registrable(d) : NULL;
			if (reg)
				g_hash_table_add(out, reg);
		}
	}
	return out;
}

/* Delivered-To and its kin name the mailbox the mail was delivered to. */
static void add_delivery_headers(victims *v, const ks_report *r)
{
	static const char *const names[] = {"Delivered-To", "X-Original-To", "X-Envelope-To",
	                                    "Envelope-To"};
	for (guint i = 0; i < r->headers->len; i++) {
		const ks_header *h = g_ptr_array_index(r->headers, i);
		for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
			if (g_ascii_strcasecmp(h->name, names[k]) != 0 || !h->value)
				continue;
			g_autofree char *addr = g_strstrip(g_strdup(h->value));
			g_strdelimit(addr, "<>", ' ');
			g_strstrip(addr);
			if (strchr(addr, '@') && !strchr(addr, ' ')) {
				g_hash_table_add(v->mailboxes, g_ascii_strdown(addr, -1));
				add_domain_of(v->domains, addr);
			}
		}
	}
}

static victims victims_of(const ks_report *r, const ks_context *ctx)
{
	victims v = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	             g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	g_autoptr(GHashTable) flagged = flagged_domains(r);
	add_mailboxes(&v, r->to, flagged);
	add_mailboxes(&v, r->cc, flagged);
	add_delivery_headers(&v, r);
	for (guint i = 0; ctx && i < ctx->protected_domains->len; i++)
		add_domain_of(v.domains, g_ptr_array_index(ctx->protected_domains, i));
	for (guint i = 0; ctx && i < ctx->contacts->len; i++) {
		const ks_contact *c = g_ptr_array_index(ctx->contacts, i);
		if (c->address) {
			g_hash_table_add(v.mailboxes, g_ascii_strdown(c->address, -1));
			add_domain_of(v.domains, c->address);
		}
	}
	return v;
}

static bool victim_host(const victims *v, const char *host)
{
	g_autofree char *reg = host ? ks_domain_registrable(host) : NULL;
	return reg && g_hash_table_contains(v->domains, reg);
}

/* RFC 1918, loopback, link-local, CGNAT (RFC 6598), unique-local. */
static const char *const private_nets[] = {"10.0.0.0/8",     "172.16.0.0/12", "192.168.0.0/16",
                                           "127.0.0.0/8",    "169.254.0.0/16", "100.64.0.0/10",
                                           "0.0.0.0/8",      "::1/128",        "fe80::/10",
                                           "fc00::/7"};

/* Each hop of each message asks: the networks are parsed once, for every
 * thread (constant data, kept for the process's life). */
static bool private_ip(const char *ip)
{
	static GPtrArray *masks; /* GInetAddressMask* */
	if (g_once_init_enter(&masks)) {
		GPtrArray *m = g_ptr_array_new();
		for (size_t i = 0; i < G_N_ELEMENTS(private_nets); i++)
			g_ptr_array_add(m, g_inet_address_mask_new_from_string(private_nets[i], NULL));
		g_once_init_leave(&masks, m);
	}
	g_autoptr(GInetAddress) addr = ip ? g_inet_address_new_from_string(ip) : NULL;
	for (guint i = 0; addr && i < masks->len; i++) {
		GInetAddressMask *mask = g_ptr_array_index(masks, i);
		if (mask && g_inet_address_mask_matches(mask, addr))
			return true;
	}
	return false;
}

/* The origin hop's IP when the mail left from the victim's own host. */
static const char *internal_origin_ip(const ks_report *r, const victims *v)
{
	for (guint i = 0; i < r->hops->len; i++) {
		const ks_hop *h = g_ptr_array_index(r->hops, i);
		if (!h->ip || private_ip(h->ip))
			continue;
		return victim_host(v, h->from) ? h->ip : NULL;
	}
	return NULL;
}

static ks_ioc_role role_of(const ks_ioc *c, const victims *v, const ks_context *ctx,
                           const char *internal_ip)
{
	switch (c->kind) {
	case KS_IOC_EMAIL: {
		if (g_hash_table_contains(v->mailboxes, c->value))
			return KS_IOC_ROLE_VICTIM;
		g_autofree char *d = ks_domain_of_address(c->value);
		return victim_host(v, d) ? KS_IOC_ROLE_VICTIM : KS_IOC_ROLE_ATTACKER;
	}
	case KS_IOC_DOMAIN:
		if (victim_host(v, c->value))
			return KS_IOC_ROLE_VICTIM;
		return benign(ctx, c->value, NULL, NULL) ? KS_IOC_ROLE_BENIGN : KS_IOC_ROLE_ATTACKER;
	case KS_IOC_URL: {
		g_autofree char *host = ks_url_host(c->value);
		if (victim_host(v, host))
			return KS_IOC_ROLE_VICTIM;
		return host && benign(ctx, NULL, host, ks_is_ip_literal(host) ? host : NULL)
		               ? KS_IOC_ROLE_BENIGN
		               : KS_IOC_ROLE_ATTACKER;
	}
	case KS_IOC_IP:
		if (private_ip(c->value) || g_strcmp0(c->value, internal_ip) == 0)
			return KS_IOC_ROLE_INTERNAL;
		return benign(ctx, NULL, NULL, c->value) ? KS_IOC_ROLE_BENIGN : KS_IOC_ROLE_ATTACKER;
	default:
		return KS_IOC_ROLE_ATTACKER;
	}
}

void ks_roles_assign(ks_report *r, const ks_context *ctx)
{
	victims v = victims_of(r, ctx);
	const char *internal_ip = internal_origin_ip(r, &v);
	for (guint i = 0; i < r->iocs->len; i++) {
		ks_ioc *c = g_ptr_array_index(r->iocs, i);
		c->role = role_of(c, &v, ctx, internal_ip);
	}
	g_hash_table_unref(v.domains);
	g_hash_table_unref(v.mailboxes);
}
