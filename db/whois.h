/* Reading saved registration records for `kensa domain import`: WHOIS text
 * (gTLD registries and registrars per the ICANN RDDS format, "Creation
 * Date:"; Nominet-style "Registered on:"; JPRS's .jp and .co.jp records,
 * "[登録年月日]" / "[Created on]") and RDAP JSON (RFC 9083: a domain object,
 * an array of them, or a domainSearchResults answer; events with
 * eventAction "registration").  Pure functions: bytes in, records and the
 * problems met out; nothing here touches the store. */
#ifndef KS_WHOIS_H
#define KS_WHOIS_H

#include <glib.h>

typedef struct {
	char *domain;          /* normalized (knowledge.h ks_domain_normalize) */
	GDateTime *registered; /* with the offset the record implies */
	char *source;          /* "whois" | "rdap" */
} ks_whois_entry;

typedef struct {
	GPtrArray *entries;  /* ks_whois_entry*, one per domain, in file order */
	GPtrArray *problems; /* char*: what could not be read, e.g. "line 12: ..." */
	const char *format;  /* "whois" | "rdap" */
} ks_whois_result;

/* Parses a saved WHOIS or RDAP record (one or several).  Never NULL. */
ks_whois_result *ks_whois_parse(const char *text, gsize len);
void ks_whois_result_free(ks_whois_result *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_whois_result, ks_whois_result_free)

#endif
