/* Analyzer: Authentication-Results (RFC 8601) from the trusted receiver, auth.* rules.
 * The header parser is public so tests and the fuzz target can drive it alone. */
#ifndef KS_AUTH_H
#define KS_AUTH_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

#include <stdbool.h>

/* One Authentication-Results value, parsed.  Result words are normalised to
 * SPEC.md's set (pass fail softfail neutral none temperror permerror) or NULL
 * when the header holds no result for that method.  The *_text fields hold
 * the resinfo that gave the result, as written ("spf=fail (sender IP is
 * 192.0.2.1) smtp.mailfrom=evil.example"), for evidence.  Strings are NOT
 * sanitized: they come from the message. */
typedef struct {
	char *authserv_id;       /* NULL when absent (Microsoft 365 writes none) */
	char *spf, *dkim, *dmarc;
	char *spf_text, *dkim_text, *dmarc_text;
	GPtrArray *dkim_domains; /* char*, lower case: header.d=, else header.i='s domain */
	bool none;               /* the header said "none": no results */
	bool ok;                 /* every part parsed; false when something was skipped */
} ks_authres;

/* Parses an unfolded, decoded header value into out (which it first clears
 * to zero, so out needs no set-up).  Never fails on bad input: what parses is
 * kept, the rest skipped.  Returns out->ok.  Free with ks_authres_clear. */
bool ks_authres_parse(const char *value, ks_authres *out);
/* Frees what ks_authres_parse filled and zeroes *a; NULL-safe, idempotent. */
void ks_authres_clear(ks_authres *a);
/* A result word mapped to SPEC.md's set ("HardFail" -> "fail"); a static
 * string, or NULL for an empty word. */
const char *ks_authres_normalize(const char *word);

/* The verdict of one mechanism, decided here once for every reader (the
 * score, the identity checks, the thread drift rules, the TUI's routing
 * pane).  The report keeps SPEC.md's words; this is how they are judged. */
typedef enum {
	KS_AUTH_ABSENT, /* no result for the mechanism */
	KS_AUTH_PASS,
	KS_AUTH_FAIL,
	KS_AUTH_SOFTFAIL,
	KS_AUTH_NEUTRAL,
	KS_AUTH_NONE,
	KS_AUTH_TEMPERROR,
	KS_AUTH_PERMERROR,
} ks_auth_verdict;

/* A result word of SPEC.md's set (any case; NULL is absent); a word
 * outside the set is neutral, as ks_authres_normalize maps it. */
ks_auth_verdict ks_auth_verdict_of(const char *word);
/* The receiver rejected the claim: fail, or SPF's softfail. */
bool ks_auth_verdict_failed(ks_auth_verdict v);
/* Any of the report's SPF, DKIM and DMARC failed: what auth.spf_fail,
 * auth.dkim_fail and auth.dmarc_fail are raised for. */
bool ks_auth_failed(const ks_auth *a);

void ks_auth_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
