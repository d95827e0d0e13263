/* attachment.seen_before (seen.h).  Runs after the attachments analyzer has
 * built the tree; walks it depth-first and reports each attachment once,
 * naming the earliest case that held it.  A hash match is preferred to a
 * name+size match, which is what an encrypted archive entry (no hash) can
 * offer.  Files of zero size or without a name never match by name+size. */
#include "checks/seen.h"

#include <string.h>

typedef struct {
	const ks_context *ctx;
	ks_report *r;
} seen_state;

static const ks_known_attachment *find_known(const ks_context *ctx, const ks_attachment *a,
                                             bool *by_hash)
{
	const ks_known_attachment *by_name = NULL;
	for (guint i = 0; i < ctx->known_attachments->len; i++) {
		const ks_known_attachment *k = g_ptr_array_index(ctx->known_attachments, i);
		if (a->sha256[0] && k->sha256 && g_ascii_strcasecmp(a->sha256, k->sha256) == 0) {
			*by_hash = true;
			return k;
		}
		if (!by_name && a->filename && k->filename && a->size > 0 && k->size == a->size &&
		    strcmp(a->filename, k->filename) == 0)
			by_name = k;
	}
	*by_hash = false;
	return by_name;
}

static bool visit(ks_attachment *a, void *user)
{
	seen_state *s = user;
	bool by_hash = false;
	const ks_known_attachment *k = find_known(s->ctx, a, &by_hash);
	if (!k)
		return true;
	g_autofree char *location = g_strdup_printf("part:%s", a->path ? a->path : "");
	if (by_hash)
		ks_report_add_finding(s->r, KS_RULE_ATTACHMENT_SEEN_BEFORE, location,
		                      "%s (sha256 %s) is in case %" G_GINT64_FORMAT " \"%s\"%s%s",
		                      a->filename ? a->filename : "(no name)", a->sha256, k->case_id,
		                      k->case_title ? k->case_title : "",
		                      k->filename && g_strcmp0(k->filename, a->filename) != 0
		                              ? " as "
		                              : "",
		                      k->filename && g_strcmp0(k->filename, a->filename) != 0
		                              ? k->filename
		                              : "");
	else
		ks_report_add_finding(s->r, KS_RULE_ATTACHMENT_SEEN_BEFORE, location,
		                      "%s, %" G_GINT64_FORMAT " bytes%s, has the name and size of an "
		                      "attachment in case %" G_GINT64_FORMAT " \"%s\"",
		                      a->filename, a->size, a->encrypted ? " (encrypted)" : "",
		                      k->case_id, k->case_title ? k->case_title : "");
	return true;
}

void ks_seen_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	if (!ctx || !r || !ctx->known_attachments->len)
		return;
	seen_state s = {ctx, r};
	ks_report_walk_attachments(r, visit, &s);
}
