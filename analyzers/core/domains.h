/* Domain helpers shared by analyzers: registrable domains (libpsl: "co.jp" is
 * one public suffix) and address parts. */
#ifndef KS_DOMAINS_H
#define KS_DOMAINS_H

#include <stdbool.h>

/* Lower-case domain of an addr-spec ("a@B.example" -> "b.example"), or NULL. g_free. */
char *ks_domain_of_address(const char *address);
/* Lower-case local part, or NULL. g_free. */
char *ks_local_part(const char *address);
/* Registrable domain of a host name ("mail.abc.co.jp" -> "abc.co.jp"), lower case;
 * an IP literal or a bare suffix gives NULL. g_free. */
char *ks_domain_registrable(const char *host);
/* Registrable domain of an addr-spec's domain ("a@mail.abc.co.jp" ->
 * "abc.co.jp"), or NULL (no '@', an IP literal, a bare suffix). g_free. */
char *ks_address_registrable(const char *address);
/* True when host's last label is a top-level domain of the Public Suffix
 * List itself (com, jp, zip ...), not only under its implicit "*" rule
 * (pdf, exe and js are not): a dotted word in text that can be a domain. */
bool ks_domain_has_known_tld(const char *host);
/* Host of a URL ("https://user@Host.example:8080/x" -> "host.example"), or NULL. g_free. */
char *ks_url_host(const char *url);
/* True for a dotted IPv4 or an IPv6 literal. */
bool ks_is_ip_literal(const char *s);
/* True when host is, or is under, a meeting service's or calendar
 * provider's host (data/calendar_services.txt): what an honest invite
 * links to. */
bool ks_domain_is_meeting_service(const char *host);
/* host is suffix, or a name below it ("mail.PayPal.com" under "paypal.com"),
 * ASCII case ignored. */
bool ks_host_under(const char *host, const char *suffix);
/* What follows host's first dot ("b.example" of "a.b.example"), or NULL:
 * host and then ks_host_parent(host) ... are the names a host is under, for
 * looking each up in a set instead of trying every member of a list. */
const char *ks_host_parent(const char *host);

#endif
