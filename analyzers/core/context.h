/* What an analyzer may know from outside the message: plain data, loaded by
 * the caller (the case DB, the config), never fetched by an analyzer itself.
 * An empty context is valid: every list may be empty, never NULL once made
 * by ks_context_new(). */
#ifndef KS_CONTEXT_H
#define KS_CONTEXT_H

#include <glib.h>
#include <stdint.h>

typedef struct {
	char *name;    /* display name as the analyst knows it, e.g. "山田 太郎" */
	char *address; /* the real address, lower case */
} ks_contact;

typedef struct {
	char *domain;        /* registrable domain, lower case */
	GDateTime *registered;
	char *source;        /* "whois", "rdap", "manual", ... */
} ks_registration;

typedef struct {
	char *sha256;   /* lower-case hex, or NULL when only name+size is known */
	char *filename; /* or NULL */
	int64_t size;   /* -1 when unknown */
	int64_t case_id;
	char *case_title;
} ks_known_attachment;

/* What an attachment may cost by default: 2 s of CPU time and 256 MiB of
 * memory beyond its own bytes (issue 12: the PDFs that hung kensa ran for
 * minutes and grew past 1.7 GB; real attachments take milliseconds). */
#define KS_DEFAULT_CPU_MS 2000
#define KS_DEFAULT_MEMORY_BYTES ((int64_t)256 << 20)

/* Where and within what attachments are analysed (helper.h). */
typedef struct {
	char *program;        /* the helper program (main sets "/proc/self/exe");
	                         NULL: in this process, without a budget */
	int cpu_ms;           /* CPU time one attachment may use */
	int64_t memory_bytes; /* memory one may allocate beyond its own bytes */
} ks_limits;

typedef struct {
	GPtrArray *protected_domains; /* char*, lower case */
	GPtrArray *allowed;           /* char*: domains and IPs (or CIDRs) the analyst
	                                 called benign infrastructure (`kensa allow`) */
	GPtrArray *contacts;          /* ks_contact* */
	GPtrArray *registrations;     /* ks_registration* */
	GPtrArray *known_attachments; /* ks_known_attachment* */
	GPtrArray *authserv_ids;      /* char*: trusted Authentication-Results writers;
	                                 empty = trust the top-most header only */
	GHashTable *message_dates;    /* Message-ID -> GDateTime*: the messages read
	                                 before this one from the same mailbox */
	ks_limits limits;             /* in process unless the caller names a helper */
} ks_context;

ks_context *ks_context_new(void);
void ks_context_free(ks_context *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_context, ks_context_free)

void ks_context_add_protected(ks_context *c, const char *domain);
void ks_context_add_allowed(ks_context *c, const char *domain_or_ip);
void ks_context_add_contact(ks_context *c, const char *name, const char *address);
void ks_context_add_registration(ks_context *c, const char *domain, GDateTime *registered,
                                 const char *source);
void ks_context_add_known_attachment(ks_context *c, const char *sha256, const char *filename,
                                     int64_t size, int64_t case_id, const char *case_title);
void ks_context_add_authserv_id(ks_context *c, const char *id);

/* Has attachments analysed by the helper program (NULL: in this process)
 * within cpu_ms and memory_bytes each (0: the defaults). */
void ks_context_set_limits(ks_context *c, const char *program, int cpu_ms, int64_t memory_bytes);

/* Remembers when the message with this Message-ID was sent (an mbox read
 * in order: a reply can then be set beside the mail it answers). */
void ks_context_add_message_date(ks_context *c, const char *message_id, GDateTime *date);
/* The Date of an earlier message by its Message-ID, or NULL. */
GDateTime *ks_context_message_date(const ks_context *c, const char *message_id);

/* The registration of a domain (exact, case-insensitive), or NULL. */
const ks_registration *ks_context_registration(const ks_context *c, const char *domain);

#endif
