/* The analysis context: constructors and look-ups.  Filled by the caller
 * (db/ loads it from the case store); analyzers only read it. */
#include "core/context.h"

static void contact_free(ks_contact *c)
{
	g_free(c->name);
	g_free(c->address);
	g_free(c);
}

static void registration_free(ks_registration *r)
{
	g_free(r->domain);
	if (r->registered)
		g_date_time_unref(r->registered);
	g_free(r->source);
	g_free(r);
}

static void known_free(ks_known_attachment *k)
{
	g_free(k->sha256);
	g_free(k->filename);
	g_free(k->case_title);
	g_free(k);
}

ks_context *ks_context_new(void)
{
	ks_context *c = g_new0(ks_context, 1);
	c->protected_domains = g_ptr_array_new_with_free_func(g_free);
	c->allowed = g_ptr_array_new_with_free_func(g_free);
	c->contacts = g_ptr_array_new_with_free_func((GDestroyNotify)contact_free);
	c->registrations = g_ptr_array_new_with_free_func((GDestroyNotify)registration_free);
	c->known_attachments = g_ptr_array_new_with_free_func((GDestroyNotify)known_free);
	c->authserv_ids = g_ptr_array_new_with_free_func(g_free);
	c->message_dates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         (GDestroyNotify)g_date_time_unref);
	c->limits.cpu_ms = KS_DEFAULT_CPU_MS;
	c->limits.memory_bytes = KS_DEFAULT_MEMORY_BYTES;
	return c;
}

void ks_context_free(ks_context *c)
{
	if (!c)
		return;
	g_ptr_array_unref(c->protected_domains);
	g_ptr_array_unref(c->allowed);
	g_ptr_array_unref(c->contacts);
	g_ptr_array_unref(c->registrations);
	g_ptr_array_unref(c->known_attachments);
	g_ptr_array_unref(c->authserv_ids);
	if (c->message_dates)
		g_hash_table_unref(c->message_dates);
	g_free(c->limits.program);
	g_free(c);
}

void ks_context_add_protected(ks_context *c, const char *domain)
{
	g_ptr_array_add(c->protected_domains, g_ascii_strdown(domain, -1));
}

void ks_context_add_allowed(ks_context *c, const char *domain_or_ip)
{
	g_ptr_array_add(c->allowed, g_ascii_strdown(domain_or_ip, -1));
}

void ks_context_add_contact(ks_context *c, const char *name, const char *address)
{
	ks_contact *k = g_new0(ks_contact, 1);
	k->name = g_strdup(name);
	k->address = g_ascii_strdown(address, -1);
	g_ptr_array_add(c->contacts, k);
}

void ks_context_add_registration(ks_context *c, const char *domain, GDateTime *registered,
                                 const char *source)
{
	ks_registration *r = g_new0(ks_registration, 1);
	r->domain = g_ascii_strdown(domain, -1);
	r->registered = registered ? g_date_time_ref(registered) : NULL;
	r->source = g_strdup(source ? source : "manual");
	g_ptr_array_add(c->registrations, r);
}

void ks_context_add_known_attachment(ks_context *c, const char *sha256, const char *filename,
                                     int64_t size, int64_t case_id, const char *case_title)
{
	ks_known_attachment *k = g_new0(ks_known_attachment, 1);
	k->sha256 = sha256 ? g_ascii_strdown(sha256, -1) : NULL;
	k->filename = g_strdup(filename);
	k->size = size;
	k->case_id = case_id;
	k->case_title = g_strdup(case_title);
	g_ptr_array_add(c->known_attachments, k);
}

void ks_context_add_authserv_id(ks_context *c, const char *id)
{
	g_ptr_array_add(c->authserv_ids, g_ascii_strdown(id, -1));
}

/* a mailbox of this many messages is more than a thread needs remembered */
#define MESSAGE_DATES_MAX 100000

void ks_context_add_message_date(ks_context *c, const char *message_id, GDateTime *date)
{
	if (!c || !c->message_dates || !message_id || !*message_id || !date ||
	    g_hash_table_size(c->message_dates) >= MESSAGE_DATES_MAX)
		return;
	g_hash_table_replace(c->message_dates, g_strdup(message_id), g_date_time_ref(date));
}

GDateTime *ks_context_message_date(const ks_context *c, const char *message_id)
{
	if (!c || !c->message_dates || !message_id)
		return NULL;
	return g_hash_table_lookup(c->message_dates, message_id);
}

const ks_registration *ks_context_registration(const ks_context *c, const char *domain)
{
	if (!c || !domain)
		return NULL;
	for (guint i = 0; i < c->registrations->len; i++) {
		ks_registration *r = g_ptr_array_index(c->registrations, i);
		if (g_ascii_strcasecmp(r->domain, domain) == 0)
			return r;
	}
	return NULL;
}

void ks_context_set_limits(ks_context *c, const char *program, int cpu_ms, int64_t memory_bytes)
{
	g_free(c->limits.program);
	c->limits.program = g_strdup(program);
	c->limits.cpu_ms = cpu_ms > 0 ? cpu_ms : KS_DEFAULT_CPU_MS;
	c->limits.memory_bytes = memory_bytes > 0 ? memory_bytes : KS_DEFAULT_MEMORY_BYTES;
}
