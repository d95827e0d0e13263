/* Lookalike domains: does one domain imitate another?  Used by the identity
 * analyzer (identity.lookalike_domain) and open to the thread analyzer
 * (thread.sender_domain_changed).  Pure string comparison, no DNS. */
#ifndef KS_LOOKALIKE_H
#define KS_LOOKALIKE_H

#include <stdbool.h>

/* Shortest label (in characters) that the edit-distance, separator and
 * tld-swap techniques accept: below it unrelated short names collide
 * (a.com, b.com). */
#define KS_LOOKALIKE_MIN_LABEL 4

/* True when candidate's registrable domain looks like, but is not, target's.
 * Both are host names, lower or upper case, Unicode or punycode.  On true,
 * *technique (when technique is not NULL) is set to one of the SPEC.md words
 * "insertion", "deletion", "substitution", "transposition", "homoglyph",
 * "separator", "tld-swap" followed by a detail, e.g. "insertion of 'c' at 4";
 * g_free it.  On false *technique is set to NULL. */
bool ks_lookalike_match(const char *candidate, const char *target, char **technique);

/* UTS #39 skeleton of UTF-8 text through ICU's confusables ("аpple" with a
 * Cyrillic а gives "apple"), or a copy of s when ICU cannot make one; g_free. */
char *ks_lookalike_skeleton(const char *s);

#endif
