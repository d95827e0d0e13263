/* The one parse entry (message.h, ks_message_parse): the format is sniffed
 * once here, the reader for it (msg.c for an Outlook .msg, message.c for
 * MIME) builds the model, and the messages its parts hold are parsed here
 * in turn.  The readers never call each other: msg.c reads a .msg's
 * transport headers with the MIME reader, and that is all. */
#include "mail/message.h"

#include "core/error.h"
#include "mail/msg.h"

static void parse_embedded(ks_message *m)
{
	for (guint i = 0; i < m->parts->len; i++) {
		ks_mime_part *p = g_ptr_array_index(m->parts, i);
		if (!p || !p->holds_message || p->embedded)
			continue;
		gsize len = 0;
		const guint8 *d = g_bytes_get_data(p->data, &len);
		/* an OLE2 part may be a Word file: a message only with .msg properties */
		if (!ks_msg_sniff(p->data) && !ks_message_looks_like_mail(d, len))
			continue;
		if (m->depth + 1 >= KS_MAX_DEPTH)
			ks_message_problem(m, "forwarded messages nested deeper than %d; part %s not opened",
			                   KS_MAX_DEPTH, p->path ? p->path : "?");
		else
			p->embedded = ks_message_parse(p->data, m->depth + 1, NULL);
	}
}

ks_message *ks_message_parse(GBytes *raw, int depth, GError **error)
{
	ks_mime_init();
	if (!raw || g_bytes_get_size(raw) == 0) {
		g_set_error(error, KS_ERROR, KS_ERROR_NOT_MESSAGE, "empty input");
		return NULL;
	}
	ks_message *m = ks_msg_sniff(raw) ? ks_msg_parse(raw, depth, error)
	                                  : ks_mime_parse(raw, depth, error);
	if (m)
		parse_embedded(m);
	return m;
}
