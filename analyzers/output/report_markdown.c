/* The Markdown report: a document an analyst pastes into a ticket.  Same
 * sections as the text report (report_text.c), as headings and tables.
 *
 * A ticket system renders Markdown, so attacker text must not become markup
 * or a link: every report string goes through markdown.h's escaper, which
 * defangs the URLs, addresses and domains inside text and escapes the rest.
 * IOCs, addresses and link targets are defanged (ks_defang) and put in code
 * spans, so none of them becomes a clickable link and "[.]" reads as
 * written in both the source and the rendered ticket.
 * As in report_text.c the finished document passes the sanitizer once more. */
#include "output/emit.h"
#include "output/markdown.h"
#include "core/i18n.h"
#include "core/sanitize.h"
#include "output/writers.h"

#include <inttypes.h>
#include <string.h>

/* inline text, "-" when there is none */
static void md(GString *o, const char *s)
{
	if (!s || !*s)
		g_string_append(o, "-");
	else
		ks_md_text(o, s, true);
}

static void code(GString *o, const char *s, bool in_table)
{
	if (!s || !*s)
		g_string_append(o, "-");
	else
		ks_md_code(o, s, in_table);
}

static void md_defanged(GString *o, const char *s, ks_ioc_kind kind, bool in_table)
{
	g_autofree char *d = ks_defang(s, kind);
	code(o, d, in_table);
}

static void address(GString *o, const ks_address *a, bool in_table)
{
	if (a->name) {
		md(o, a->name);
		g_string_append_c(o, ' ');
	}
	md_defanged(o, a->address, KS_IOC_EMAIL, in_table);
}

static void addresses(GString *o, const char *label, const GPtrArray *list)
{
	g_string_append_printf(o, "- **%s:** ", label);
	for (guint i = 0; list && i < list->len; i++) {
		if (i)
			g_string_append(o, ", ");
		address(o, g_ptr_array_index(list, i), false);
	}
	if (!list || !list->len)
		g_string_append(o, "-");
	g_string_append_c(o, '\n');
}

static void item(GString *o, const char *label, const char *value)
{
	g_string_append_printf(o, "- **%s:** ", label);
	md(o, value);
	g_string_append_c(o, '\n');
}

static void summary(GString *o, const ks_report *r)
{
	g_string_append_printf(o, "| %s | %s |\n|---|---|\n| From | ", _("Field"), _("Value"));
	for (guint i = 0; i < r->from->len; i++) {
		if (i)
			g_string_append(o, ", ");
		address(o, g_ptr_array_index(r->from, i), true);
	}
	if (!r->from->len)
		g_string_append(o, "-");
	g_autofree char *date = ks_time_format(r->date);
	g_string_append_printf(o, " |\n| %s | ", _("Date"));
	md(o, date ? date : r->date_raw);
	g_string_append_printf(o, " |\n| %s | %d/100 |\n| %s | ", _("Score"), r->assessment.score,
	                       _("Label"));
	md(o, r->assessment.label ? _(r->assessment.label) : NULL);
	g_string_append_printf(o, " |\n| %s | %d (%s) |\n| %s | ", _("BEC type"),
	                       r->assessment.bec_type, _(ks_bec_type_name(r->assessment.bec_type)),
	                       _("Source"));
	md(o, r->source_path);
	g_string_append(o, " (");
	g_string_append_printf(o, _("%s, %" PRId64 " bytes"), r->format ? r->format : "-", r->size);
	g_string_append(o, ") |\n");
	if (r->sha256[0])
		g_string_append_printf(o, "| SHA-256 | `%s` |\n", r->sha256);
}

static void findings(GString *o, const ks_report *r)
{
	g_string_append_printf(o, "\n## %s\n\n", _("Findings"));
	if (!r->findings->len) {
		g_string_append_printf(o, "%s\n", _("None."));
		return;
	}
	g_string_append_printf(o, "| %s | %s | %s | %s |\n|---|---|---|---|\n", _("Severity"),
	                       _("Rule"), _("Location"), _("Evidence"));
	g_autoptr(GPtrArray) sorted = ks_report_findings_by_severity(r);
	for (guint i = 0; i < sorted->len; i++) {
		const ks_finding *f = g_ptr_array_index(sorted, i);
		g_string_append_printf(o, "| %s | `%s` | ", ks_severity_label(f->severity),
		                       ks_rule_id(f->rule));
		md(o, f->location);
		g_string_append(o, " | ");
		md(o, f->evidence && *f->evidence ? f->evidence : ks_rule_title(f->rule));
		g_string_append(o, " |\n");
	}
}

static void identity(GString *o, const ks_report *r)
{
	g_string_append_printf(o, "\n## %s\n\n", _("Identity"));
	addresses(o, "From", r->from);
	addresses(o, "Sender", r->sender);
	addresses(o, "Reply-To", r->reply_to);
	g_string_append(o, "- **Return-Path:** ");
	md_defanged(o, r->return_path, KS_IOC_EMAIL, false);
	g_string_append_c(o, '\n');
	addresses(o, "To", r->to);
	addresses(o, "Cc", r->cc);
	g_string_append(o, "- **Message-ID:** ");
	code(o, r->message_id, false);
	g_string_append_c(o, '\n');
	item(o, "SPF", r->auth.spf);
	item(o, "DKIM", r->auth.dkim);
	item(o, "DMARC", r->auth.dmarc);
}

static void cell(GString *o, const char *s)
{
	md(o, s);
	g_string_append(o, " | ");
}

static void routing(GString *o, const ks_report *r)
{
	if (!r->hops->len && !r->bulk_service)
		return;
	g_string_append_printf(o, "\n## %s\n\n", _("Routing"));
	/* MHA's hop table, as the workbench's routing pane lays it out: the
	 * name the sender gave (HELO), the receiver's reverse DNS for its
	 * address, marked when it is another name, and TLS */
	if (r->hops->len)
		g_string_append_printf(o, "| # | %s | %s | %s | rDNS | IP | %s | %s | TLS |\n"
		                          "|---|---|---|---|---|---|---|---|---|\n",
		                       _("Time"), _("Delay"), _("From (HELO)"), _("By"), _("With"));
	for (guint i = 0; i < r->hops->len; i++) {
		const ks_hop *h = g_ptr_array_index(r->hops, i);
		g_autofree char *t = ks_time_format(h->date);
		g_autofree char *d = h->has_delay ? ks_delay_format(h->delay_seconds) : NULL;
		g_autofree char *rdns = h->rdns && ks_hop_rdns_differs(h)
		                                ? g_strdup_printf("≠ %s", h->rdns)
		                                : g_strdup(h->rdns);
		g_string_append_printf(o, "| %d | ", h->index);
		cell(o, t);
		cell(o, d);
		cell(o, h->parsed ? ks_hop_helo(h) : h->raw);
		cell(o, rdns);
		cell(o, h->ip);
		cell(o, h->by);
		cell(o, h->with);
		md(o, h->tls);
		g_string_append(o, " |\n");
	}
	if (r->bulk_service) {
		g_string_append_printf(o, "\n%s ", _("Bulk mail service:"));
		md(o, r->bulk_service);
		g_string_append_c(o, '\n');
	}
}

static void attachment_list(GString *o, const GPtrArray *list, int depth)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		g_string_append_printf(o, "%*s- %s ", 2 * MIN(depth, 16), "", _("part"));
		md(o, a->path);
		g_string_append(o, " **");
		md(o, a->filename ? a->filename : _("(no name)"));
		g_string_append(o, "**: ");
		md(o, a->detected_type ? a->detected_type : a->declared_type);
		if (a->declared_type && a->detected_type &&
		    g_ascii_strcasecmp(a->declared_type, a->detected_type) != 0) {
			g_string_append_printf(o, " (%s ", _("declared"));
			md(o, a->declared_type);
			g_string_append_c(o, ')');
		}
		g_string_append(o, ", ");
		g_string_append_printf(o, _("%" PRId64 " bytes"), a->size);
		if (a->encrypted)
			g_string_append_printf(o, ", **%s**", _("encrypted"));
		if (a->sha256[0])
			g_string_append_printf(o, ", sha256 `%s`", a->sha256);
		for (guint j = 0; a->metadata && j < a->metadata->len; j++) {
			const ks_kv *kv = g_ptr_array_index(a->metadata, j);
			g_string_append(o, ", ");
			md(o, kv->key);
			g_string_append(o, ": ");
			md(o, kv->value);
		}
		if (a->message)
			g_string_append_printf(o, " (%s)", _("message, reported above"));
		g_string_append_c(o, '\n');
		if (depth < KS_EMIT_MAX_DEPTH)
			attachment_list(o, a->children, depth + 1);
	}
}

static void links(GString *o, const ks_report *r)
{
	if (!r->links->len)
		return;
	g_string_append_printf(o, "\n## %s\n\n", _("Links"));
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = g_ptr_array_index(r->links, i);
		g_string_append(o, "- ");
		if (l->text && *l->text) {
			md(o, l->text);
			g_string_append(o, " → ");
		}
		md_defanged(o, l->href, KS_IOC_URL, false);
		if (l->location) {
			g_string_append(o, " (");
			md(o, l->location);
			g_string_append_c(o, ')');
		}
		g_string_append_c(o, '\n');
	}
}

static void iocs(GString *o, const ks_report *r)
{
	if (!r->iocs->len)
		return;
	g_string_append_printf(o, "\n## %s\n\n| %s | %s | %s |\n|---|---|---|\n", _("IOCs"), _("Kind"),
	                       _("Role"), _("Value (defanged)"));
	for (guint i = 0; i < r->iocs->len; i++) {
		const ks_ioc *c = g_ptr_array_index(r->iocs, i);
		g_string_append_printf(o, "| %s | %s | ", ks_ioc_kind_name(c->kind),
		                       ks_ioc_role_label(c->role));
		md_defanged(o, c->value, c->kind, true);
		g_string_append(o, " |\n");
	}
}

static void timeline(GString *o, const ks_report *r)
{
	if (!r->timeline->len)
		return;
	g_string_append_printf(o, "\n## %s\n\n| %s | %s | %s |\n|---|---|---|\n", _("Timeline"),
	                       _("Time"), _("Event"), _("Source"));
	for (guint i = 0; i < r->timeline->len; i++) {
		const ks_event *ev = g_ptr_array_index(r->timeline, i);
		g_autofree char *t = ks_time_format(ev->time);
		g_string_append(o, "| ");
		cell(o, t);
		cell(o, ev->event);
		md(o, ev->source);
		g_string_append(o, " |\n");
	}
}

static void collect_inner(GPtrArray *out, const GPtrArray *list, int depth)
{
	for (guint i = 0; list && i < list->len && depth < KS_EMIT_MAX_DEPTH; i++) {
		ks_attachment *a = g_ptr_array_index(list, i);
		if (a->message)
			g_ptr_array_add(out, a);
		collect_inner(out, a->children, depth + 1);
	}
}

/* where: "" for the top message, else "2" or "2 > 1" naming the part. */
static void report(GString *o, const ks_report *r, const char *where, int depth)
{
	g_autoptr(GPtrArray) inners = g_ptr_array_new();
	if (depth < KS_EMIT_MAX_DEPTH)
		collect_inner(inners, r->attachments, depth);
	for (guint i = 0; i < inners->len; i++) {
		const ks_attachment *a = g_ptr_array_index(inners, i);
		g_autofree char *label = *where ? g_strdup_printf("%s > %s", where, a->path ? a->path : "-")
		                                : g_strdup(a->path ? a->path : "-");
		g_string_append_printf(o, "# %s (%s ", _("Forwarded message"), _("part"));
		md(o, label);
		g_string_append(o, "): ");
		md(o, a->message->subject);
		g_string_append(o, "\n\n");
		report(o, a->message, label, depth + 1);
		g_string_append_c(o, '\n');
	}
	if (!inners->len && !*where) {
		g_string_append(o, "# ");
		md(o, r->subject);
		g_string_append(o, "\n\n");
	} else if (inners->len) {
		g_string_append_printf(o, "# %s", _("Carrier message"));
		if (*where) {
			g_string_append_printf(o, " (%s ", _("part"));
			md(o, where);
			g_string_append_c(o, ')');
		}
		g_string_append(o, ": ");
		md(o, r->subject);
		g_string_append(o, "\n\n");
	}
	summary(o, r);
	findings(o, r);
	identity(o, r);
	routing(o, r);
	if (r->attachments->len) {
		g_string_append_printf(o, "\n## %s\n\n", _("Attachments"));
		attachment_list(o, r->attachments, 0);
	}
	links(o, r);
	iocs(o, r);
	timeline(o, r);
}

char *ks_report_to_markdown(const ks_report *r)
{
	if (!r)
		return g_strdup("");
	g_autoptr(GString) o = g_string_new(NULL);
	report(o, r, "", 0);
	return ks_sanitize(o->str, KS_SANITIZE_MULTILINE, NULL);
}
