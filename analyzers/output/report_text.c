/* The text report, the default of `kensa analyze`: what an analyst reads in
 * a terminal.  It leads with a summary and the findings (highest severity
 * first), then the details: identity, authentication, routing, attachments,
 * body, links, IOCs, timeline.  A forwarded (message/rfc822) message is
 * printed first, in full, because it is usually the one the analyst means.
 *
 * This is a layout, not a structural dump, so it reads the report directly
 * rather than through the emitter walk (emit.c): it reorders, sorts and
 * aggregates in ways a key/value stream cannot express.  Strings in the
 * report are already sanitized and this file adds only its own layout; the
 * whole page still passes the sanitizer once more at the end, so that a
 * report built by hand (a test, a DB reload) cannot reach a terminal raw. */
#include "output/emit.h"
#include "core/i18n.h"
#include "core/sanitize.h"
#include "output/writers.h"

#include <inttypes.h>
#include <string.h>

/* Enough of the body to recognise the lure; the JSON holds all of it. */
#define BODY_LINES 40

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void append_address(GString *o, const ks_address *a)
{
	if (a->name && a->address)
		g_string_append_printf(o, "%s <%s>", a->name, a->address);
	else if (a->address)
		g_string_append(o, a->address);
	else
		g_string_append_printf(o, _("%s (no address)"), or_dash(a->name));
}

static void field(GString *o, const char *label, const char *value)
{
	g_string_append(o, "  ");
	ks_append_padded(o, label, 12);
	g_string_append_printf(o, " %s\n", or_dash(value));
}

/* A summary line's label, in a column of ten (a longer one keeps a space). */
static void summary_label(GString *o, const char *label)
{
	ks_append_padded(o, label, 9);
	g_string_append_c(o, ' ');
}

static void address_field(GString *o, const char *label, const GPtrArray *list)
{
	if (!list || list->len == 0) {
		field(o, label, NULL);
		return;
	}
	g_autoptr(GString) v = g_string_new(NULL);
	for (guint i = 0; i < list->len; i++) {
		if (i)
			g_string_append(v, ", ");
		append_address(v, g_ptr_array_index(list, i));
	}
	field(o, label, v->str);
}

static void summary(GString *o, const ks_report *r)
{
	summary_label(o, _("Subject"));
	g_string_append_printf(o, "%s\n", or_dash(r->subject));
	summary_label(o, C_("summary", "From"));
	if (r->from->len)
		append_address(o, g_ptr_array_index(r->from, 0));
	else
		g_string_append(o, "-");
	for (guint i = 1; i < r->from->len; i++) {
		g_string_append(o, ", ");
		append_address(o, g_ptr_array_index(r->from, i));
	}
	g_autofree char *date = ks_time_format(r->date);
	g_string_append_c(o, '\n');
	summary_label(o, _("Date"));
	if (date)
		g_string_append_printf(o, "%s\n", date);
	else if (r->date_raw)
		g_string_append_printf(o, _("%s (not understood)\n"), r->date_raw);
	else
		g_string_append(o, "-\n");
	summary_label(o, _("Score"));
	g_string_append_printf(o, _("%d/100  %s  BEC type %d (%s)\n"), r->assessment.score,
	                       r->assessment.label ? _(r->assessment.label) : "-",
	                       r->assessment.bec_type, _(ks_bec_type_name(r->assessment.bec_type)));
	if (r->source_path) {
		summary_label(o, _("Source"));
		g_string_append_printf(o, _("%s (%s, %" PRId64 " bytes)\n"), r->source_path,
		                       or_dash(r->format), r->size);
	}
}

static void findings(GString *o, const ks_report *r)
{
	if (r->findings->len == 0) {
		g_string_append_printf(o, "\n%s\n", _("Findings: none"));
		return;
	}
	g_autoptr(GPtrArray) sorted = ks_report_findings_by_severity(r);
	int width = 0;
	for (guint i = 0; i < sorted->len; i++) {
		const ks_finding *f = g_ptr_array_index(sorted, i);
		width = MAX(width, (int)strlen(ks_rule_id(f->rule)));
	}
	g_string_append_c(o, '\n');
	g_string_append_printf(o, _("Findings (%u)\n"), sorted->len);
	for (guint i = 0; i < sorted->len; i++) {
		const ks_finding *f = g_ptr_array_index(sorted, i);
		g_autofree char *sev = g_ascii_strup(ks_severity_label(f->severity), -1);
		g_string_append(o, "  ");
		ks_append_padded(o, sev, 6);
		g_string_append_printf(o, " %-*s  %s\n", width, ks_rule_id(f->rule),
		                       or_dash(f->location));
		const char *why = f->evidence && *f->evidence ? f->evidence : ks_rule_title(f->rule);
		g_string_append_printf(o, "         %s\n", or_dash(why));
	}
}

static void identity(GString *o, const ks_report *r)
{
	g_string_append_printf(o, "\n%s\n", _("Identity"));
	address_field(o, "From", r->from);
	address_field(o, "Sender", r->sender);
	address_field(o, "Reply-To", r->reply_to);
	field(o, "Return-Path", r->return_path);
	address_field(o, "To", r->to);
	address_field(o, "Cc", r->cc);
	field(o, "Message-ID", r->message_id);
	if (r->in_reply_to)
		field(o, "In-Reply-To", r->in_reply_to);
}

static void authentication(GString *o, const ks_report *r)
{
	const ks_auth *a = &r->auth;
	g_string_append_printf(o, "\n%s\n", _("Authentication"));
	field(o, "SPF", a->spf);
	g_autoptr(GString) dkim = g_string_new(or_dash(a->dkim));
	for (guint i = 0; a->dkim_domains && i < a->dkim_domains->len; i++)
		g_string_append_printf(dkim, "%s%s", i ? ", " : " (d=",
		                       (const char *)g_ptr_array_index(a->dkim_domains, i));
	if (a->dkim_domains && a->dkim_domains->len)
		g_string_append_c(dkim, ')');
	field(o, "DKIM", dkim->str);
	field(o, "DMARC", a->dmarc);
	if (a->authserv_id)
		field(o, _("Trusted"), a->authserv_id);
	for (guint i = 0; a->ignored && i < a->ignored->len; i++)
		field(o, i ? "" : _("Ignored"), g_ptr_array_index(a->ignored, i));
}

static void routing(GString *o, const ks_report *r)
{
	if (r->hops->len == 0 && !r->bulk_service)
		return;
	g_string_append_printf(o, "\n%s\n", _("Routing (origin first)"));
	for (guint i = 0; i < r->hops->len; i++) {
		const ks_hop *h = g_ptr_array_index(r->hops, i);
		if (!h->parsed) {
			g_string_append_printf(o, _("  %2d  (not parsed) %s\n"), h->index, or_dash(h->raw));
			continue;
		}
		g_autofree char *t = ks_time_format(h->date);
		g_autofree char *d = h->has_delay ? ks_delay_format(h->delay_seconds) : NULL;
		g_string_append_printf(o, "  %2d  %-25s  %7s  %s", h->index, or_dash(t), d ? d : "",
		                       h->from ? h->from : "?");
		if (h->ip)
			g_string_append_printf(o, " [%s]", h->ip);
		g_string_append_printf(o, " -> %s", h->by ? h->by : "?");
		if (h->with)
			g_string_append_printf(o, "  with %s", h->with);
		if (h->tls)
			g_string_append_printf(o, "  tls %s", h->tls);
		/* the name the sender gave apart from the one its address has, when
		 * they differ: the analyst's cue (ks_hop_rdns_differs decides) */
		if (ks_hop_rdns_differs(h))
			g_string_append_printf(o, "  helo %s rdns %s", ks_hop_helo(h), h->rdns);
		if (h->id)
			g_string_append_printf(o, "  id %s", h->id);
		if (h->suspicious)
			g_string_append_printf(o, "  <- %s", _("suspicious"));
		g_string_append_c(o, '\n');
	}
	if (r->bulk_service)
		g_string_append_printf(o, "  %s %s\n", _("Bulk mail service:"), r->bulk_service);
}

static void attachment_tree(GString *o, const GPtrArray *list, int depth)
{
	int pad = 2 + 2 * MIN(depth, 16); /* deeper levels stop indenting, not printing */
	for (guint i = 0; list && i < list->len; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		g_string_append_printf(o, "%*s[%s] %s  %s", pad, "", or_dash(a->path),
		                       a->filename ? a->filename : _("(no name)"),
		                       or_dash(a->detected_type ? a->detected_type : a->declared_type));
		if (a->declared_type && a->detected_type &&
		    g_ascii_strcasecmp(a->declared_type, a->detected_type) != 0)
			g_string_append_printf(o, " (%s %s)", _("declared"), a->declared_type);
		g_string_append(o, "  ");
		g_string_append_printf(o, _("%" PRId64 " bytes"), a->size);
		if (a->encrypted)
			g_string_append_printf(o, "  %s", _("ENCRYPTED"));
		g_string_append_c(o, '\n');
		if (a->sha256[0])
			g_string_append_printf(o, "%*s    sha256 %s\n", pad, "", a->sha256);
		for (guint j = 0; a->metadata && j < a->metadata->len; j++) {
			const ks_kv *kv = g_ptr_array_index(a->metadata, j);
			g_string_append_printf(o, "%*s    %s: %s\n", pad, "", kv->key, kv->value);
		}
		if (a->message)
			g_string_append_printf(o, _("%*s    message \"%s\" (reported above)\n"), pad, "",
			                       or_dash(a->message->subject));
		if (depth < KS_EMIT_MAX_DEPTH)
			attachment_tree(o, a->children, depth + 1);
	}
}

static void body(GString *o, const ks_report *r)
{
	const char *text = r->body_text;
	while (text && *text == '\n')
		text++;
	if (!text || !*text)
		return;
	g_autofree char *trimmed = g_strchomp(g_strdup(text));
	g_auto(GStrv) lines = g_strsplit(trimmed, "\n", BODY_LINES + 1);
	guint n = g_strv_length(lines);
	g_string_append_printf(o, "\n%s\n", _("Body"));
	for (guint i = 0; i < n && i < BODY_LINES; i++)
		g_string_append_printf(o, "  %s\n", lines[i]);
	if (n > BODY_LINES)
		g_string_append(o, "  [...]\n");
}

static void links(GString *o, const ks_report *r)
{
	if (r->links->len == 0)
		return;
	g_string_append_printf(o, "\n%s\n", _("Links"));
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		if (l->text && *l->text && g_strcmp0(l->text, l->href) != 0)
			g_string_append_printf(o, "  %s -> %s", l->text, or_dash(l->href));
		else
			g_string_append_printf(o, "  %s", or_dash(l->href));
		/* links from attachments say where they were found */
		if (l->location)
			g_string_append_printf(o, "  (%s)", l->location);
		g_string_append_c(o, '\n');
	}
}

static void iocs(GString *o, const ks_report *r)
{
	if (r->iocs->len == 0)
		return;
	g_string_append_printf(o, "\n%s\n", _("IOCs"));
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		g_string_append_printf(o, "  %-12s ", ks_ioc_kind_name(c->kind));
		ks_append_padded(o, ks_ioc_role_label(c->role), 8);
		g_string_append_printf(o, " %s\n", c->value);
	}
}

static void timeline(GString *o, const ks_report *r)
{
	if (r->timeline->len == 0)
		return;
	g_string_append_printf(o, "\n%s\n", _("Timeline"));
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *ev = g_ptr_array_index(r->timeline, i);
		g_autofree char *t = ks_time_format(ev->time);
		g_string_append_printf(o, "  %-25s  %s", or_dash(t), or_dash(ev->event));
		if (ev->source && *ev->source)
			g_string_append_printf(o, "  (%s)", ev->source);
		g_string_append_c(o, '\n');
	}
}

typedef struct {
	const char *path;
	const ks_report *message;
} inner;

static void collect_inner(GArray *out, const GPtrArray *list, int depth)
{
	for (guint i = 0; list && i < list->len && depth < KS_EMIT_MAX_DEPTH; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		if (a->message)
			g_array_append_val(out, ((inner){or_dash(a->path), a->message}));
		collect_inner(out, a->children, depth + 1);
	}
}

/* where: "" for the top message, else "2" or "2 > 1" naming the part. */
static void report(GString *o, const ks_report *r, const char *where, int depth)
{
	g_autoptr(GArray) inners = g_array_new(FALSE, FALSE, sizeof(inner));
	if (depth < KS_EMIT_MAX_DEPTH)
		collect_inner(inners, r->attachments, depth);
	for (guint i = 0; i < inners->len; i++) {
		const inner *in = &g_array_index(inners, inner, i);
		g_autofree char *label =
			*where ? g_strdup_printf("%s > %s", where, in->path) : g_strdup(in->path);
		g_string_append_printf(o, _("=== Forwarded message (part %s) ===\n"), label);
		report(o, in->message, label, depth + 1);
		g_string_append_c(o, '\n');
	}
	if (inners->len && *where)
		g_string_append_printf(o, _("=== Carrier message (part %s) ===\n"), where);
	else if (inners->len)
		g_string_append(o, _("=== Carrier message ===\n"));
	summary(o, r);
	findings(o, r);
	identity(o, r);
	authentication(o, r);
	routing(o, r);
	if (r->attachments->len) {
		g_string_append_printf(o, "\n%s\n", _("Attachments"));
		attachment_tree(o, r->attachments, 0);
	}
	body(o, r);
	links(o, r);
	iocs(o, r);
	timeline(o, r);
}

char *ks_report_to_text(const ks_report *r)
{
	if (!r)
		return g_strdup("");
	g_autoptr(GString) o = g_string_new(NULL);
	report(o, r, "", 0);
	return ks_sanitize(o->str, KS_SANITIZE_MULTILINE, NULL);
}
