/* What the analyst knows beyond cases: domain registrations, protected
 * domains (the organisation's own and its partners'), contacts; and the one
 * function that turns all of it, with the attachments of earlier cases, into
 * the analyzers' ks_context. */
#ifndef KS_KNOWLEDGE_H
#define KS_KNOWLEDGE_H

#include "core/context.h"
#include "store.h"

typedef struct {
	char *domain;
	char *registered; /* RFC 3339 as given (offset kept) */
	char *source;
	char *added;
	char *added_by; /* who added or last changed it (the store's author), or NULL */
} ks_domain_record;

typedef struct {
	char *domain;
	char *label; /* or NULL */
	char *added;
	char *added_by;
} ks_protected_record;

typedef struct {
	char *name;
	char *address;
	char *added;
	char *added_by;
} ks_contact_record;

typedef struct {
	char *value; /* a domain (normalized), an IP address or a CIDR network */
	char *note;  /* or NULL */
	char *added;
	char *added_by;
} ks_allowed_record;

void ks_domain_record_free(ks_domain_record *d);
void ks_protected_record_free(ks_protected_record *p);
void ks_contact_record_free(ks_contact_record *c);
void ks_allowed_record_free(ks_allowed_record *a);

/* A domain as stored: lower case, no trailing dot, IDN as A-labels
 * (xn--); NULL when it is not a plausible domain name (no dot, an empty
 * label, a character no host name has, an all-digit top level).  g_free. */
char *ks_domain_normalize(const char *domain);

/* Each write records the store's author (ks_store_set_author) as the row's
 * added_by: who added it, or changed it last. */

/* Records (or replaces) when domain was registered; *replaced tells which. */
bool ks_domain_add(ks_store *s, const char *domain, GDateTime *registered, const char *source,
                   bool *replaced, GError **error);
GPtrArray *ks_domain_list(ks_store *s, GError **error); /* ks_domain_record* */

/* Adds (or relabels) a protected domain. */
bool ks_protect_add(ks_store *s, const char *domain, const char *label, GError **error);
/* Removes one; *removed false when it was not there. */
bool ks_protect_remove(ks_store *s, const char *domain, bool *removed, GError **error);
GPtrArray *ks_protect_list(ks_store *s, GError **error); /* ks_protected_record* */

/* Adds a contact; *existed when the same name and address were there. */
bool ks_contact_add(ks_store *s, const char *name, const char *address, bool *existed,
                    GError **error);
GPtrArray *ks_contact_list(ks_store *s, GError **error); /* ks_contact_record* */

/* Benign infrastructure of the analyst's own (a partner's relay, the
 * company's newsletter service): an IOC on it is context, never blocked.
 * value is a domain, an IP address or a CIDR network ("203.0.113.0/24");
 * anything else is an error. */
bool ks_allow_add(ks_store *s, const char *value, const char *note, GError **error);
/* The form an allowed value is stored in, or NULL when it is none of a
 * domain, an IP address or a network.  g_free. */
char *ks_allow_normalize(const char *value);
bool ks_allow_remove(ks_store *s, const char *value, bool *removed, GError **error);
GPtrArray *ks_allow_list(ks_store *s, GError **error); /* ks_allowed_record* */

/* Fills ctx with the protected domains, contacts, registrations and the
 * attachments of every stored message (recursively, encrypted entries by
 * name and size), leaving out the messages whose sha256 is
 * exclude_message_sha256 (the message being analysed must not have been
 * "seen before" by itself).  exclude may be NULL. */
bool ks_store_load_context(ks_store *s, ks_context *ctx, const char *exclude_message_sha256,
                           GError **error);

#endif
