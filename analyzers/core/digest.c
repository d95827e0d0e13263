/* SHA-256 and MD5 through OpenSSL's one-shot EVP_Digest: its assembler
 * (SHA-NI where the CPU has it) hashes a large attachment several times
 * faster than GLib's portable GChecksum, and kensa hashes every message
 * and every attachment it reads. */
#include "core/digest.h"

#include <openssl/evp.h>

/* out gets 2 * n digits and a NUL; an empty string when hashing failed */
static void digest_hex(const EVP_MD *md, gsize want, const void *data, gsize len, char *out)
{
	unsigned char sum[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	static const char digits[] = "0123456789abcdef";
	out[0] = '\0';
	if (EVP_Digest(len ? data : "", len, sum, &n, md, NULL) != 1 || n != want)
		return;
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[sum[i] >> 4];
		out[2 * i + 1] = digits[sum[i] & 15];
	}
	out[2 * n] = '\0';
}

void ks_digest_sha256_hex(const void *data, gsize len, char out[KS_SHA256_HEX_SIZE])
{
	digest_hex(EVP_sha256(), 32, data, len, out);
}

void ks_digest_md5_hex(const void *data, gsize len, char out[KS_MD5_HEX_SIZE])
{
	digest_hex(EVP_md5(), 16, data, len, out);
}

char *ks_digest_sha256_bytes(GBytes *bytes)
{
	gsize len = 0;
	const void *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;
	char out[KS_SHA256_HEX_SIZE];
	ks_digest_sha256_hex(data, len, out);
	return g_strdup(out);
}
