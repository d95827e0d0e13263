/* Redaction on data: a case's typed contents (reports, notes, IOCs, the
 * case title) rewritten field by field, before any writer formats them, so
 * nothing an attacker writes can steer it into markup or syntax
 * (issue: a display name "meta" or "h3>" used to rewrite the finished HTML).
 *
 * Who is masked is decided by role, not by spelling: the victims are the
 * recipients of every message (nested ones too), the protected domains and
 * their labels, known contacts, the names greeted in salutations, internal
 * hosts and private addresses of the route, and the analyst's file paths.
 * Attackers are the rest: the senders on other domains and every domain that
 * imitates a victim's, which stay complete at the partner level (defanged
 * by the document writers, intact in STIX/MISP, for blocking) and are masked
 * too at the public level (IPA's publication style, "abc●●ny-co-jp.com").
 *
 * Matching is case-insensitive, NFKC-folded, URL-decoded (%40) and aware of
 * word boundaries (Latin names) and of their absence (Japanese names).  The
 * same original always gets the same placeholder within one redactor:
 * user-N for a local part, Person-N for a name, internal-host-N and
 * private-ip-N for the route, first three and last two characters with ●●
 * between for an organisation's label. */
#ifndef KS_REDACT_H
#define KS_REDACT_H

#include "core/report.h"

typedef enum {
	KS_REDACT_OFF,
	KS_REDACT_PARTNER, /* --redact: victims masked, attacker indicators whole */
	KS_REDACT_PUBLIC,  /* --redact public: also the victim inside lookalikes */
} ks_redact_level;

/* "partner" | "public" -> *out; false for anything else. */
bool ks_redact_level_parse(const char *name, ks_redact_level *out);

typedef struct ks_redactor ks_redactor;

ks_redactor *ks_redactor_new(ks_redact_level level);
void ks_redactor_free(ks_redactor *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_redactor, ks_redactor_free)

/* ---- learning who the victims are (before any ks_redact_* call) ---- */

/* A protected domain and its label (the organisation's name), may be NULL. */
void ks_redactor_add_protected(ks_redactor *r, const char *domain, const char *label);
/* A known contact: a person of the organisation or of a partner. */
void ks_redactor_add_contact(ks_redactor *r, const char *name, const char *address);
/* A personal name with no address (a note's author). */
void ks_redactor_add_person(ks_redactor *r, const char *name);
/* Recipients (To, Cc, Delivered-To, X-Original-To) of the report and of
 * every message nested in it, senders on victim domains, the names greeted
 * in its body, the internal hosts and private addresses of its route. */
void ks_redactor_learn_report(ks_redactor *r, const ks_report *rep);
/* Settles what was learnt: a recipient domain that imitates a better
 * established victim domain (a lookalike on Cc) is the attacker's.  Called
 * once, after learning; the ks_redact_* calls do it themselves if needed. */
void ks_redactor_finish(ks_redactor *r);

/* ---- applying it (each returns a new string, g_free; NULL for NULL) ---- */

/* Free text: subject, body, evidence, notes, file names, titles, URLs. */
char *ks_redact_text(ks_redactor *r, const char *s);
/* A display name: a victim's whole name is Person-N, else as free text. */
char *ks_redact_name(ks_redactor *r, const char *name);
/* An addr-spec: a victim's is user-N at the masked domain. */
char *ks_redact_address(ks_redactor *r, const char *address);
/* A host name: under a victim domain masked, an internal one replaced. */
char *ks_redact_host(ks_redactor *r, const char *host);
/* An IP address: a private or internal one replaced. */
char *ks_redact_ip(ks_redactor *r, const char *ip);
/* A local file path: its base name only, as free text. */
char *ks_redact_path(ks_redactor *r, const char *path);
/* An IOC value by its kind; *masked (may be NULL) tells whether what comes
 * back holds a placeholder, and so is nothing to block.  An attacker's URL
 * whose query names a victim comes back without its query, unmasked. */
char *ks_redact_ioc(ks_redactor *r, ks_ioc_kind kind, const char *value, bool *masked);

/* Every string of the report and of its nested messages, in place.  When
 * masked is not NULL, every IOC value that came out holding a placeholder is
 * added to it (a set of strings: copies are added, freed by the table). */
void ks_redact_report(ks_redactor *r, ks_report *rep, GHashTable *masked);

#endif
