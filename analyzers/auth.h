/* Analyzer: Authentication-Results (RFC 8601) from the trusted receiver, auth.* rules.
 * The header parser is public so tests and the fuzz target can drive it alone. */
#ifndef KS_AUTH_H
#define KS_AUTH_H

#include "context.h"
#include "message.h"
#include "report.h"

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

void ks_auth_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
