/* The byte format between kensa and its analysis helper (helper.h): a
 * frame is a small structure of integers and strings followed by the large
 * byte blobs it refers to (an attachment, the files inside it), which are
 * written from and read into their own buffers, never copied into the
 * structure.  Reading goes through a bounds-checked cursor: the helper has
 * read attacker data, so what it sends back is read like attacker data too,
 * and every string it carries into a report passes the report's sanitizing
 * setters again. */
#ifndef KS_WIRE_H
#define KS_WIRE_H

#include "mail/cursor.h"
#include "core/report.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* A frame being written. */
typedef struct {
	GByteArray *data; /* the structure */
	GPtrArray *blobs; /* GBytes*, in the order the structure names them */
} ks_wire_out;

void ks_wire_out_init(ks_wire_out *w);
void ks_wire_out_clear(ks_wire_out *w);
void ks_wire_put_u32(ks_wire_out *w, guint32 v);
void ks_wire_put_i64(ks_wire_out *w, gint64 v);
/* A string or NULL. */
void ks_wire_put_str(ks_wire_out *w, const char *s);
/* n bytes of s (NUL bytes too: a file name may hold them), or NULL. */
void ks_wire_put_strn(ks_wire_out *w, const char *s, gsize n);
/* A blob or NULL (referenced, not copied). */
void ks_wire_put_bytes(ks_wire_out *w, GBytes *b);
/* A time (UTC instant and the offset it was written with) or NULL. */
void ks_wire_put_time(ks_wire_out *w, GDateTime *t);
/* Sends the frame on fd; false when the other side is gone. */
bool ks_wire_send(int fd, const ks_wire_out *w);

/* A frame read. */
typedef struct {
	GBytes *data;   /* the structure */
	GPtrArray *blobs; /* GBytes* */
	ks_cursor cur;  /* over data */
	guint next_blob;
} ks_wire_in;

/* Reads one frame from fd within max_bytes in all; false (and err set)
 * when the other side is gone, the frame is damaged or too large, or
 * deadline (g_get_monotonic_time(), 0 for none) passes. */
bool ks_wire_recv(int fd, gsize max_bytes, gint64 deadline, ks_wire_in *in, GError **err);
void ks_wire_in_clear(ks_wire_in *in);
bool ks_wire_get_u32(ks_wire_in *in, guint32 *out);
bool ks_wire_get_i64(ks_wire_in *in, gint64 *out);
/* A string (g_free; NULL for a NULL one); false when damaged. */
bool ks_wire_get_str(ks_wire_in *in, char **out);
/* The same with its length, NUL bytes included (NUL-terminated too). */
bool ks_wire_get_strn(ks_wire_in *in, char **out, gsize *n);
/* A blob (g_bytes_unref; NULL for a NULL one). */
bool ks_wire_get_bytes(ks_wire_in *in, GBytes **out);
bool ks_wire_get_time(ks_wire_in *in, GDateTime **out);

/* Report pieces, as the attachment job sends them. */
void ks_wire_put_attachment(ks_wire_out *w, const ks_attachment *a, bool with_data);
/* The attachment tree written by ks_wire_attachment, at most max_nodes
 * nodes; NULL when damaged. */
ks_attachment *ks_wire_get_attachment(ks_wire_in *in, int max_nodes);
void ks_wire_put_address_list(ks_wire_out *w, const GPtrArray *list);
bool ks_wire_get_address_list(ks_wire_in *in, GPtrArray *into);

#endif
