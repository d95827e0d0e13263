/* The analyzer table and the pipeline from bytes to report.  Adding an
 * analyzer is one row here and one file beside this one. */
#include "checks/analyze.h"

#include "payloads/attachments.h"
#include "checks/auth.h"
#include "checks/body.h"
#include "checks/campaigns.h"
#include "checks/content.h"
#include "core/digest.h"
#include "checks/greeting.h"
#include "checks/headers.h"
#include "checks/identity.h"
#include "checks/impersonation.h"
#include "checks/links.h"
#include "checks/mailing_list.h"
#include "mail/msg.h"
#include "checks/routing.h"
#include "checks/seen.h"
#include "checks/summary.h"
#include "checks/throwaway.h"

/* The attachment walk, with attached messages analysed by this whole
 * pipeline (the walk is handed the entry instead of calling up to it). */
static void attachments(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	ks_attachments_walk(m, ctx, r, ks_analyze_message);
}

/* Order matters: headers and body fill the fields later analyzers read
 * (the body's link check asks what mailing_list and auth found); links
 * judges the links the body and the attachments found; summary runs last
 * over everything the others added. */
static const ks_analyzer analyzers[] = {
	{"headers", ks_headers_analyze},
	{"mailing_list", ks_mailing_list_analyze},
	{"auth", ks_auth_analyze},
	{"body", ks_body_analyze},
	{"attachments", attachments},
	{"links", ks_links_analyze},
	{"seen", ks_seen_analyze},
	{"routing", ks_routing_analyze},
	{"identity", ks_identity_analyze},
	/* before impersonation: a lure makes a brand named in the subject a claim */
	{"content", ks_content_analyze},
	{"greeting", ks_greeting_analyze},
	{"impersonation", ks_impersonation_analyze},
	{"throwaway", ks_throwaway_analyze},
	{"campaigns", ks_campaigns_analyze},
	{"summary", ks_summary_analyze},
};

void ks_analyze_message(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	g_autoptr(ks_context) empty = NULL;
	if (!ctx)
		ctx = empty = ks_context_new();
	for (size_t i = 0; i < G_N_ELEMENTS(analyzers); i++)
		analyzers[i].fn(m, ctx, r);
}

ks_report *ks_analyze_bytes(GBytes *raw, const char *path, const char *format,
                            const ks_context *ctx, GError **error)
{
	g_autoptr(ks_message) m = ks_message_parse(raw, 0, error);
	if (!m)
		return NULL;
	ks_report *r = ks_report_new();
	r->source_path = g_strdup(path);
	/* an Outlook file is "msg" whatever container it came in */
	r->format = g_strdup(ks_msg_sniff(raw) ? "msg" : (format ? format : "eml"));
	gsize len = 0;
	const void *data = g_bytes_get_data(raw, &len);
	r->size = (int64_t)len;
	ks_digest_sha256_hex(data, len, r->sha256);
	ks_analyze_message(m, ctx, r);
	return r;
}

ks_report *ks_analyze_file(const char *path, const ks_context *ctx, GError **error)
{
	g_autofree char *contents = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(path, &contents, &len, &err)) {
		g_set_error(error, KS_ERROR, KS_ERROR_UNREADABLE, "%s", err->message);
		g_error_free(err);
		return NULL;
	}
	g_autoptr(GBytes) raw = g_bytes_new_take(g_steal_pointer(&contents), len);
	return ks_analyze_bytes(raw, path, ks_msg_sniff(raw) ? "msg" : "eml", ctx, error);
}
