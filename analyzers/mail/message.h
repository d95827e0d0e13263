/* The message model: one mail parsed once (GMime underneath), with every
 * header decoded to UTF-8 and every MIME leaf decoded to bytes.  Analyzers
 * read it; only the parsers (message.c, msg.c) build it.  Strings here are
 * NOT sanitized: they are the decoded truth, and the report sanitizes
 * whatever it copies in. */
#ifndef KS_MESSAGE_H
#define KS_MESSAGE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Limits (DESIGN.md "every parser has limits").  Reported when hit. */
#define KS_MAX_DEPTH 16                 /* nested messages/containers; mblaze prunes MIME at 64 */
#define KS_MAX_PARTS 1000               /* MIME leaves per message */
#define KS_MAX_HEADER_BYTES (256 * 1024) /* one unfolded header value */
/* Caps counted before GMime reads the message (prescan.h).  Real mail has
 * tens of parts and headers; each cap is a hundred times what it needs.
 * GMime keeps about 2 KB per part and 1.3 KB per header. */
#define KS_MAX_ENTITIES 10000 /* MIME entities: parts, multiparts, embedded messages */
#define KS_MAX_NESTING 64     /* MIME nesting levels (mblaze prunes MIME at 64) */
#define KS_MAX_HEADERS 1000   /* header fields in one header block */
#define KS_MAX_HEADER_BLOCK_BYTES (1024 * 1024) /* one header block */
#define KS_MAX_HEADERS_TOTAL 50000                /* header fields in all blocks */
#define KS_MAX_HEADER_BYTES_TOTAL (16 * 1024 * 1024) /* header bytes in all blocks */

typedef struct ks_message ks_message;

typedef struct {
	char *name;      /* as written */
	char *raw_value; /* unfolded, undecoded, as bytes (may be 8-bit) */
	char *value;     /* decoded to UTF-8 (RFC 2047, 8-bit fallback) */
} ks_raw_header;

typedef struct {
	char *path;          /* "1", "2/1": MIME section numbers joined by '/' */
	char *content_type;  /* "type/subtype", lower case */
	char *filename;      /* decoded (RFC 2231 / 2047), UTF-8, or NULL */
	gsize filename_len;  /* its length, NUL bytes included (an RFC 2231 name may hold
	                        them: "%00"); 0 for strlen(filename) */
	char *disposition;   /* "attachment", "inline" or NULL */
	char *charset;       /* declared charset or NULL */
	char *content_id;
	GBytes *data;        /* transfer-decoded bytes */
	bool is_body;        /* the text/plain or text/html chosen as the body */
	bool holds_message;  /* the reader took it for a message (message/rfc822, a .eml
	                        or .msg attached): parse.c parses it into embedded */
	ks_message *embedded; /* that message, parsed (NULL when too deep, or not one) */
} ks_mime_part;

struct ks_message {
	GBytes *raw;
	GPtrArray *headers;  /* ks_raw_header*, in order */
	char *body_plain;    /* UTF-8 or NULL */
	char *body_html;     /* UTF-8 or NULL */
	GPtrArray *parts;    /* ks_mime_part*, every leaf in order, body parts included */
	GPtrArray *problems; /* char*: what was malformed (for input.malformed) */
	int depth;           /* 0 for the top message */
	char **charsets;     /* the charsets it declares (parts' charset=, encoded-words'),
	                        NULL-terminated, or NULL: candidates for its unlabelled text */
};

/* The one parse entry (parse.c): sniffs the format once (an Outlook .msg,
 * else MIME, a leading mbox "From " line skipped), has the reader for it
 * build the model, then parses the messages its parts hold, each in turn
 * through this entry.  Never fails on bad input: problems are recorded.
 * NULL only when the bytes do not look like a message at all (error set). */
ks_message *ks_message_parse(GBytes *raw, int depth, GError **error);
/* The MIME reader (message.c), CRLF or LF: the model of one message, its
 * parts that hold messages marked (holds_message), not parsed. */
ks_message *ks_mime_parse(GBytes *raw, int depth, GError **error);
/* Sets GMime up, once: the entry does before any reader runs, since the
 * header analyzers parse addresses with it whatever the format. */
void ks_mime_init(void);
/* Records what was malformed in m (at most 50, each once). */
void ks_message_problem(ks_message *m, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* An empty message over raw (NULL: no bytes) at depth, for a parser
 * (message.c, msg.c) to fill; it owns the headers and parts added. */
ks_message *ks_message_new(GBytes *raw, int depth);
void ks_message_free(ks_message *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_message, ks_message_free)

/* First header of that name (case-insensitive), decoded value, or NULL. */
const char *ks_message_header(const ks_message *m, const char *name);
/* All headers of that name, in message order (ks_raw_header*, borrowed);
 * free the array (not its elements) with g_ptr_array_unref. */
GPtrArray *ks_message_headers_named(const ks_message *m, const char *name);

/* Why an addr-spec cannot be taken as one address, or NULL when it can:
 * "a control character", "a '<'" ...  A '<', '>', ',' or '"' in it would
 * make a header name more (or other) mailboxes than it holds.  Unless
 * strict, a quoted local part ("a b"@example.com, RFC 5322 3.4.1) may hold
 * them: GMime has already parsed it as one address. */
const char *ks_address_flaw(const char *address, bool strict);

/* True when the bytes start like an RFC 5322 message (header lines). */
bool ks_message_looks_like_mail(const guint8 *data, gsize len);

/* Base64 in its clean form only: alphabet characters in lines (LF or CRLF),
 * '=' padding only at the very end to a whole group, trailing blanks.
 * Anything else gives NULL, and the caller leaves it to GMime's tolerant
 * decoder.  For clean input both agree byte for byte (tests/unit). */
GBytes *ks_base64_decode_clean(const guint8 *in, gsize len);

/* Quoted-printable in its clean form only: every '=' starts "=XX" (two hex
 * digits, either case) or a soft line break ("=\n", "=\r\n").  Anything
 * else gives NULL and is left to GMime's decoder; for clean input both agree
 * byte for byte (tests/unit). */
GBytes *ks_qp_decode_clean(const guint8 *in, gsize len);

#endif
