/* The single-core ceiling for `make bench`: a plain, single-threaded GMime
 * loop doing the same walk as py_walk.py, no analysis at all.
 *
 *   gmime_loop MBOX
 *
 * One GMimeParser over the mbox (GMIME_FORMAT_MBOX).  For each message:
 * decode every header of the message and of every part
 * (g_mime_header_get_value), walk the parts (g_mime_message_foreach),
 * decode each leaf's content (text parts to UTF-8 with
 * g_mime_text_part_get_text, the others with
 * g_mime_data_wrapper_write_to_stream into a memory stream) and SHA-256
 * (OpenSSL EVP) every non-text part.  Prints "messages N bytes B".
 *
 * Built by tests/bench/bench.sh:
 *   cc -O2 gmime_loop.c $(pkg-config --cflags --libs gmime-3.0 libcrypto) */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	EVP_MD_CTX *md;
	unsigned long hashed;
	size_t decoded;
	unsigned char sink; /* keeps the decoded headers "used" */
} walk_state;

static void decode_headers(GMimeObject *obj, walk_state *st)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = g_mime_header_list_get_count(list);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		const char *v = g_mime_header_get_value(h);
		if (v)
			st->sink ^= (unsigned char)v[0];
	}
}

static void each_part(GMimeObject *parent, GMimeObject *part, gpointer user)
{
	walk_state *st = user;
	(void)parent;
	decode_headers(part, st);
	if (!GMIME_IS_PART(part))
		return; /* multipart or message/rfc822 container: headers only */
	if (GMIME_IS_TEXT_PART(part)) {
		char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
		if (text) {
			st->decoded += strlen(text);
			g_free(text);
		}
		return;
	}
	GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
	if (!content)
		return;
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	EVP_DigestInit_ex(st->md, EVP_sha256(), NULL);
	EVP_DigestUpdate(st->md, bytes->data, bytes->len);
	EVP_DigestFinal_ex(st->md, digest, &dlen);
	st->sink ^= digest[0];
	st->decoded += bytes->len;
	st->hashed++;
	g_object_unref(mem);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gmime_loop MBOX\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 3;
	}
	struct stat sb;
	fstat(fd, &sb);
	g_mime_init();
	GMimeStream *stream = g_mime_stream_fs_new(fd);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	walk_state st = {.md = EVP_MD_CTX_new()};
	unsigned long count = 0;
	while (!g_mime_parser_eos(parser)) {
		GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
		if (!msg)
			break;
		decode_headers(GMIME_OBJECT(msg), &st);
		g_mime_message_foreach(msg, each_part, &st);
		g_object_unref(msg);
		count++;
	}
	g_object_unref(parser);
	g_object_unref(stream);
	EVP_MD_CTX_free(st.md);
	g_mime_shutdown();
	printf("messages %lu bytes %lld attachments %lu (decoded %zu, %02x)\n", count,
	       (long long)sb.st_size, st.hashed, st.decoded, st.sink);
	return 0;
}
