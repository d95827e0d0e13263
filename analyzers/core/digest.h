/* The one hash helper: SHA-256 and MD5 of bytes, as lower-case hex.
 * A message's and an attachment's sha256 (the report, the IOCs, the case
 * store's key of a message) and an attachment's md5 all come from here,
 * so the same bytes always give the same spelling. */
#ifndef KS_DIGEST_H
#define KS_DIGEST_H

#include <glib.h>

#define KS_SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */
#define KS_MD5_HEX_SIZE 33

void ks_digest_sha256_hex(const void *data, gsize len, char out[KS_SHA256_HEX_SIZE]);
void ks_digest_md5_hex(const void *data, gsize len, char out[KS_MD5_HEX_SIZE]);
/* newly allocated; NULL bytes hash as empty */
char *ks_digest_sha256_bytes(GBytes *bytes);

#endif
