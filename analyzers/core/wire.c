/* The frame format of wire.h.  On the socket a frame is
 *   "KSW1", u64 structure length, u32 blob count, u64 length of each blob,
 *   the structure, then the blobs in order;
 * integers little-endian; in the structure a string is a u32 length
 * (0xFFFFFFFF for NULL) and its bytes, a blob a u32 index (0xFFFFFFFF for
 * NULL), a time a flag, the UTC instant in microseconds and its offset. */
#include "core/wire.h"

#include "core/sanitize.h"

#include <errno.h>
#include <gio/gio.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAGIC "KSW1"
#define NONE 0xFFFFFFFFu
/* blobs in one frame: the attachment nodes of one message at most */
#define MAX_BLOBS 100000
/* attachment trees nest no deeper than the walk lets them (attachments.c) */
#define MAX_TREE_DEPTH 64
/* an offset from UTC is within a day */
#define MAX_OFFSET_US (24 * G_TIME_SPAN_HOUR)

void ks_wire_out_init(ks_wire_out *w)
{
	w->data = g_byte_array_new();
	w->blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
}

void ks_wire_out_clear(ks_wire_out *w)
{
	g_clear_pointer(&w->data, g_byte_array_unref);
	g_clear_pointer(&w->blobs, g_ptr_array_unref);
}

void ks_wire_put_u32(ks_wire_out *w, guint32 v)
{
	guint8 b[4] = {v & 255, v >> 8 & 255, v >> 16 & 255, v >> 24};
	g_byte_array_append(w->data, b, 4);
}

void ks_wire_put_i64(ks_wire_out *w, gint64 v)
{
	guint64 u = (guint64)v;
	guint8 b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (guint8)(u >> (8 * i));
	g_byte_array_append(w->data, b, 8);
}

void ks_wire_put_strn(ks_wire_out *w, const char *s, gsize n)
{
	if (!s) {
		ks_wire_put_u32(w, NONE);
		return;
	}
	n = MIN(n, (gsize)NONE - 1);
	ks_wire_put_u32(w, (guint32)n);
	g_byte_array_append(w->data, (const guint8 *)s, (guint)n);
}

void ks_wire_put_str(ks_wire_out *w, const char *s)
{
	ks_wire_put_strn(w, s, s ? strlen(s) : 0);
}

void ks_wire_put_bytes(ks_wire_out *w, GBytes *b)
{
	if (!b) {
		ks_wire_put_u32(w, NONE);
		return;
	}
	ks_wire_put_u32(w, w->blobs->len);
	g_ptr_array_add(w->blobs, g_bytes_ref(b));
}

void ks_wire_put_time(ks_wire_out *w, GDateTime *t)
{
	ks_wire_put_u32(w, t != NULL);
	if (!t)
		return;
	ks_wire_put_i64(w, g_date_time_to_unix(t) * G_USEC_PER_SEC + g_date_time_get_microsecond(t));
	ks_wire_put_i64(w, g_date_time_get_utc_offset(t));
}

static bool send_all(int fd, const void *p, gsize n)
{
	const guint8 *b = p;
	while (n > 0) {
		ssize_t k = send(fd, b, MIN(n, (gsize)1 << 30), MSG_NOSIGNAL);
		if (k < 0 && errno == ENOTSOCK)
			k = write(fd, b, MIN(n, (gsize)1 << 30));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= (gsize)k;
	}
	return true;
}

bool ks_wire_send(int fd, const ks_wire_out *w)
{
	ks_wire_out head;
	ks_wire_out_init(&head);
	g_byte_array_append(head.data, (const guint8 *)MAGIC, 4);
	ks_wire_put_i64(&head, (gint64)w->data->len);
	ks_wire_put_u32(&head, w->blobs->len);
	for (guint i = 0; i < w->blobs->len; i++)
		ks_wire_put_i64(&head, (gint64)g_bytes_get_size(g_ptr_array_index(w->blobs, i)));
	bool ok = send_all(fd, head.data->data, head.data->len) &&
	          send_all(fd, w->data->data, w->data->len);
	for (guint i = 0; ok && i < w->blobs->len; i++) {
		gsize n = 0;
		const void *p = g_bytes_get_data(g_ptr_array_index(w->blobs, i), &n);
		ok = send_all(fd, p, n);
	}
	ks_wire_out_clear(&head);
	return ok;
}

/* Reads exactly n bytes before the deadline. */
static bool recv_all(int fd, void *p, gsize n, gint64 deadline, GError **err)
{
	guint8 *b = p;
	while (n > 0) {
		if (deadline) {
			gint64 left = (deadline - g_get_monotonic_time()) / 1000;
			if (left <= 0) {
				g_set_error_literal(err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
				return false;
			}
			struct pollfd pfd = {fd, POLLIN, 0};
			int pr = poll(&pfd, 1, (int)MIN(left, 1000));
			if (pr < 0 && errno != EINTR) {
				g_set_error_literal(err, G_IO_ERROR, G_IO_ERROR_FAILED, g_strerror(errno));
				return false;
			}
			if (pr <= 0)
				continue;
		}
		ssize_t k = read(fd, b, MIN(n, (gsize)1 << 30));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			g_set_error_literal(err, G_IO_ERROR, G_IO_ERROR_CLOSED, "closed");
			return false;
		}
		b += k;
		n -= (gsize)k;
	}
	return true;
}

static bool recv_u64(int fd, guint64 *out, gint64 deadline, GError **err)
{
	guint8 b[8];
	if (!recv_all(fd, b, 8, deadline, err))
		return false;
	*out = 0;
	for (int i = 0; i < 8; i++)
		*out |= (guint64)b[i] << (8 * i);
	return true;
}

static void damaged(GError **err, const char *what)
{
	g_set_error(err, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "damaged frame (%s)", what);
}

bool ks_wire_recv(int fd, gsize max_bytes, gint64 deadline, ks_wire_in *in, GError **err)
{
	memset(in, 0, sizeof *in);
	in->blobs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	guint8 magic[4], count[4];
	guint64 data_len = 0;
	if (!recv_all(fd, magic, 4, deadline, err))
		return false;
	if (memcmp(magic, MAGIC, 4) != 0) {
		damaged(err, "magic");
		return false;
	}
	if (!recv_u64(fd, &data_len, deadline, err) || !recv_all(fd, count, 4, deadline, err))
		return false;
	guint32 n = (guint32)count[0] | (guint32)count[1] << 8 | (guint32)count[2] << 16 |
	            (guint32)count[3] << 24;
	if (n > MAX_BLOBS || data_len > max_bytes) {
		damaged(err, "too large");
		return false;
	}
	g_autofree guint64 *lens = g_new0(guint64, n ? n : 1);
	guint64 total = data_len;
	for (guint32 i = 0; i < n; i++) {
		if (!recv_u64(fd, &lens[i], deadline, err))
			return false;
		total += lens[i];
		if (lens[i] > max_bytes || total > max_bytes) {
			damaged(err, "too large");
			return false;
		}
	}
	guint8 *data = g_malloc(data_len ? data_len : 1);
	if (!recv_all(fd, data, data_len, deadline, err)) {
		g_free(data);
		return false;
	}
	in->data = g_bytes_new_take(data, data_len);
	ks_cursor_init(&in->cur, g_bytes_get_data(in->data, NULL), data_len);
	for (guint32 i = 0; i < n; i++) {
		guint8 *b = g_malloc(lens[i] ? lens[i] : 1);
		if (!recv_all(fd, b, lens[i], deadline, err)) {
			g_free(b);
			return false;
		}
		g_ptr_array_add(in->blobs, g_bytes_new_take(b, lens[i]));
	}
	return true;
}

void ks_wire_in_clear(ks_wire_in *in)
{
	g_clear_pointer(&in->data, g_bytes_unref);
	g_clear_pointer(&in->blobs, g_ptr_array_unref);
}

bool ks_wire_get_u32(ks_wire_in *in, guint32 *out)
{
	return ks_cursor_u32le(&in->cur, out);
}

bool ks_wire_get_i64(ks_wire_in *in, gint64 *out)
{
	guint64 u = 0;
	bool ok = ks_cursor_u64le(&in->cur, &u);
	*out = (gint64)u;
	return ok;
}

bool ks_wire_get_strn(ks_wire_in *in, char **out, gsize *len)
{
	guint32 n = 0;
	const guint8 *p = NULL;
	*out = NULL;
	*len = 0;
	if (!ks_cursor_u32le(&in->cur, &n))
		return false;
	if (n == NONE)
		return true;
	if (!ks_cursor_bytes(&in->cur, n, &p))
		return false;
	char *s = g_malloc((gsize)n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	*out = s;
	*len = n;
	return true;
}

bool ks_wire_get_str(ks_wire_in *in, char **out)
{
	gsize n = 0;
	return ks_wire_get_strn(in, out, &n);
}

bool ks_wire_get_bytes(ks_wire_in *in, GBytes **out)
{
	guint32 i = 0;
	*out = NULL;
	if (!ks_cursor_u32le(&in->cur, &i))
		return false;
	if (i == NONE)
		return true;
	if (i >= in->blobs->len)
		return false;
	*out = g_bytes_ref(g_ptr_array_index(in->blobs, i));
	return true;
}

bool ks_wire_get_time(ks_wire_in *in, GDateTime **out)
{
	guint32 present = 0;
	gint64 us = 0, offset = 0;
	*out = NULL;
	if (!ks_wire_get_u32(in, &present))
		return false;
	if (!present)
		return true;
	if (!ks_wire_get_i64(in, &us) || !ks_wire_get_i64(in, &offset) || offset > MAX_OFFSET_US ||
	    offset < -MAX_OFFSET_US || offset % G_USEC_PER_SEC)
		return false;
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
	if (!utc)
		return false;
	g_autoptr(GDateTime) exact = g_date_time_add(utc, us % G_USEC_PER_SEC);
	g_autoptr(GTimeZone) tz = g_time_zone_new_offset((gint32)(offset / G_USEC_PER_SEC));
	*out = exact ? g_date_time_to_timezone(exact, tz) : NULL;
	return *out != NULL;
}

/* ---- report pieces ------------------------------------------------------ */

void ks_wire_put_attachment(ks_wire_out *w, const ks_attachment *a, bool with_data)
{
	ks_wire_put_str(w, a->path);
	ks_wire_put_str(w, a->filename);
	ks_wire_put_str(w, a->declared_type);
	ks_wire_put_str(w, a->detected_type);
	ks_wire_put_i64(w, a->size);
	ks_wire_put_str(w, a->sha256);
	ks_wire_put_str(w, a->md5);
	ks_wire_put_u32(w, a->encrypted);
	ks_wire_put_u32(w, a->metadata->len);
	for (guint i = 0; i < a->metadata->len; i++) {
		const ks_kv *kv = g_ptr_array_index(a->metadata, i);
		ks_wire_put_str(w, kv->key);
		ks_wire_put_str(w, kv->value);
	}
	ks_wire_put_bytes(w, with_data ? a->data : NULL);
	ks_wire_put_u32(w, a->children->len);
	for (guint i = 0; i < a->children->len; i++)
		ks_wire_put_attachment(w, g_ptr_array_index(a->children, i), true);
}

/* hex digits of a digest, exactly n of them */
static void copy_hex(char *dst, gsize n, const char *src)
{
	if (!src || strlen(src) != n)
		return;
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isxdigit(src[i]))
			return;
	memcpy(dst, src, n + 1);
}

static ks_attachment *get_attachment(ks_wire_in *in, int depth, int *budget)
{
	if (depth > MAX_TREE_DEPTH || --*budget < 0)
		return NULL;
	g_autofree char *path = NULL, *name = NULL, *declared = NULL, *detected = NULL;
	g_autofree char *sha = NULL, *md5 = NULL;
	gint64 size = 0;
	guint32 encrypted = 0, n_meta = 0;
	if (!ks_wire_get_str(in, &path) || !path || !ks_wire_get_str(in, &name) ||
	    !ks_wire_get_str(in, &declared) || !ks_wire_get_str(in, &detected) ||
	    !ks_wire_get_i64(in, &size) || !ks_wire_get_str(in, &sha) || !ks_wire_get_str(in, &md5) ||
	    !ks_wire_get_u32(in, &encrypted) || !ks_wire_get_u32(in, &n_meta))
		return NULL;
	g_autofree char *clean_path = ks_sanitize(path, KS_SANITIZE_LINE, NULL);
	ks_attachment *a = ks_attachment_new(clean_path);
	a->filename = name ? ks_sanitize(name, KS_SANITIZE_NAME, NULL) : NULL;
	a->declared_type = declared ? ks_sanitize(declared, KS_SANITIZE_LINE, NULL) : NULL;
	a->detected_type = detected ? ks_sanitize(detected, KS_SANITIZE_LINE, NULL) : NULL;
	a->size = size;
	copy_hex(a->sha256, 64, sha);
	copy_hex(a->md5, 32, md5);
	a->encrypted = encrypted != 0;
	bool ok = true;
	for (guint32 i = 0; ok && i < n_meta; i++) {
		g_autofree char *k = NULL, *v = NULL;
		ok = ks_wire_get_str(in, &k) && ks_wire_get_str(in, &v) && k && v;
		if (ok)
			ks_attachment_add_meta(a, k, v);
	}
	guint32 n_children = 0;
	ok = ok && ks_wire_get_bytes(in, &a->data) && ks_wire_get_u32(in, &n_children);
	for (guint32 i = 0; ok && i < n_children; i++) {
		ks_attachment *c = get_attachment(in, depth + 1, budget);
		ok = c != NULL;
		if (c)
			g_ptr_array_add(a->children, c);
	}
	if (!ok) {
		ks_attachment_free(a);
		return NULL;
	}
	return a;
}

ks_attachment *ks_wire_get_attachment(ks_wire_in *in, int max_nodes)
{
	int budget = max_nodes;
	return get_attachment(in, 0, &budget);
}

void ks_wire_put_address_list(ks_wire_out *w, const GPtrArray *list)
{
	ks_wire_put_u32(w, list ? list->len : 0);
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		ks_wire_put_str(w, a->name);
		ks_wire_put_str(w, a->address);
	}
}

bool ks_wire_get_address_list(ks_wire_in *in, GPtrArray *into)
{
	guint32 n = 0;
	if (!ks_wire_get_u32(in, &n))
		return false;
	for (guint32 i = 0; i < n; i++) {
		g_autofree char *name = NULL, *address = NULL;
		if (!ks_wire_get_str(in, &name) || !ks_wire_get_str(in, &address))
			return false;
		g_ptr_array_add(into, ks_address_new(name, address));
	}
	return true;
}
