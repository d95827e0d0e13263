/* The case summary a colleague reads: Markdown and HTML from one document
 * walk with two back ends (heading, paragraph, key/value, item, code), so
 * the two never drift.  Every value is typed data from ks_export_data,
 * already redacted when asked; each back end escapes it once: Markdown
 * through markdown.h (the one Markdown escaper, URLs/addresses/domains
 * defanged), HTML through ks_defang_text then g_markup_escape_text.  The
 * HTML is one self-contained file: no script, nothing fetched, a CSP that
 * forbids both, and print styles. */
#include "export/doc.h"

#include "core/i18n.h"
#include "output/markdown.h"
#include "output/writers.h"

#include <inttypes.h>
#include <string.h>

/* ---- Markdown ---- */

static void md_end_list(doc *d)
{
	if (d->in_list)
		g_string_append_c(d->out, '\n');
	d->in_list = false;
}

static void md_heading(doc *d, int level, const char *text)
{
	md_end_list(d);
	for (int i = 0; i < level; i++)
		g_string_append_c(d->out, '#');
	g_string_append_c(d->out, ' ');
	ks_md_text(d->out, text, false);
	g_string_append(d->out, "\n\n");
}

static void md_para(doc *d, const char *text)
{
	md_end_list(d);
	ks_md_text(d->out, text, true);
	g_string_append(d->out, "\n\n");
}

static void md_kv(doc *d, const char *key, const char *value)
{
	g_string_append(d->out, "- **");
	ks_md_text(d->out, key, false);
	g_string_append(d->out, ":** ");
	ks_md_text(d->out, value, true);
	g_string_append_c(d->out, '\n');
	d->in_list = true;
}

static void md_item(doc *d, int depth, const char *text)
{
	for (int i = 0; i < MIN(depth, 8); i++)
		g_string_append(d->out, "  ");
	g_string_append(d->out, "- ");
	ks_md_text(d->out, text, true);
	g_string_append_c(d->out, '\n');
	d->in_list = true;
}

static void md_code_item(doc *d, const char *label, const char *value)
{
	g_string_append(d->out, "- ");
	ks_md_text(d->out, label, false);
	g_string_append(d->out, ": ");
	ks_md_code(d->out, value, false);
	g_string_append_c(d->out, '\n');
	d->in_list = true;
}

static void md_table_begin(doc *d, const char *const *head, int cols)
{
	md_end_list(d);
	for (int i = 0; i < cols; i++) {
		g_string_append(d->out, "| ");
		ks_md_text(d->out, head[i], false);
		g_string_append_c(d->out, ' ');
	}
	g_string_append(d->out, "|\n");
	for (int i = 0; i < cols; i++)
		g_string_append(d->out, "|---");
	g_string_append(d->out, "|\n");
}

static void md_table_row(doc *d, const char *const *cells, int cols)
{
	for (int i = 0; i < cols; i++) {
		g_string_append(d->out, "| ");
		ks_md_text(d->out, cells[i] && *cells[i] ? cells[i] : "-", false);
		g_string_append_c(d->out, ' ');
	}
	g_string_append(d->out, "|\n");
}

static void md_table_end(doc *d)
{
	g_string_append_c(d->out, '\n');
}

static void md_picture(doc *d, const ks_export_data *x)
{
	(void)d;
	(void)x; /* Markdown has the table only */
}

/* ---- HTML ---- */

static void html_text(GString *o, const char *s)
{
	g_autofree char *d = ks_defang_text(s ? s : "");
	g_autofree char *e = g_markup_escape_text(d, -1);
	g_string_append(o, e);
}

static void html_end_list(doc *d)
{
	if (d->in_list)
		g_string_append(d->out, "</ul>\n");
	d->in_list = false;
}

static void html_heading(doc *d, int level, const char *text)
{
	html_end_list(d);
	g_string_append_printf(d->out, "<h%d>", CLAMP(level, 1, 6));
	html_text(d->out, text);
	g_string_append_printf(d->out, "</h%d>\n", CLAMP(level, 1, 6));
}

static void html_para(doc *d, const char *text)
{
	html_end_list(d);
	g_string_append(d->out, "<p>");
	html_text(d->out, text);
	g_string_append(d->out, "</p>\n");
}

static void html_open_list(doc *d)
{
	if (!d->in_list)
		g_string_append(d->out, "<ul>\n");
	d->in_list = true;
}

static void html_kv(doc *d, const char *key, const char *value)
{
	html_open_list(d);
	g_string_append(d->out, "<li><b>");
	html_text(d->out, key);
	g_string_append(d->out, ":</b> ");
	html_text(d->out, value);
	g_string_append(d->out, "</li>\n");
}

static void html_item(doc *d, int depth, const char *text)
{
	html_open_list(d);
	g_string_append_printf(d->out, "<li class=\"d%d\">", CLAMP(depth, 0, 6));
	html_text(d->out, text);
	g_string_append(d->out, "</li>\n");
}

static void html_code_item(doc *d, const char *label, const char *value)
{
	html_open_list(d);
	g_autofree char *v = g_markup_escape_text(value ? value : "", -1);
	g_string_append(d->out, "<li>");
	html_text(d->out, label);
	g_string_append_printf(d->out, ": <code>%s</code></li>\n", v);
}

static void html_table_begin(doc *d, const char *const *head, int cols)
{
	html_end_list(d);
	g_string_append(d->out, "<table>\n<thead><tr>");
	for (int i = 0; i < cols; i++) {
		g_string_append(d->out, "<th>");
		html_text(d->out, head[i]);
		g_string_append(d->out, "</th>");
	}
	g_string_append(d->out, "</tr></thead>\n<tbody>\n");
}

static void html_table_row(doc *d, const char *const *cells, int cols)
{
	g_string_append(d->out, "<tr>");
	for (int i = 0; i < cols; i++) {
		g_string_append(d->out, "<td>");
		html_text(d->out, cells[i]);
		g_string_append(d->out, "</td>");
	}
	g_string_append(d->out, "</tr>\n");
}

static void html_table_end(doc *d)
{
	g_string_append(d->out, "</tbody></table>\n");
}

static void html_picture(doc *d, const ks_export_data *x)
{
	html_end_list(d);
	ks_export_svg_timeline(d->out, x->events);
}

/* ---- the pieces both layouts show (doc.h) ---- */

char *ks_doc_time(const ks_export_data *x, GDateTime *t)
{
	if (!t)
		return NULL;
	if (!x->japanese)
		return ks_time_format(t);
	/* Japanese reports read dates on Japan's clock, as IPA's do */
	g_autoptr(GTimeZone) jst = g_time_zone_new_identifier("+09:00");
	g_autoptr(GDateTime) j = jst ? g_date_time_to_timezone(t, jst) : g_date_time_ref(t);
	return g_date_time_format(j, "%Y年%m月%d日 %H:%M (JST)");
}

char *ks_doc_time_text(const ks_export_data *x, const char *rfc3339)
{
	g_autoptr(GDateTime) t = rfc3339 ? g_date_time_new_from_iso8601(rfc3339, NULL) : NULL;
	if (!t || !x->japanese)
		return g_strdup(rfc3339 ? rfc3339 : "");
	return ks_doc_time(x, t);
}

static char *addresses(const GPtrArray *list)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = g_ptr_array_index(list, i);
		if (s->len)
			g_string_append(s, ", ");
		if (a->name && a->address)
			g_string_append_printf(s, "%s <%s>", a->name, a->address);
		else
			g_string_append(s, a->address ? a->address : a->name ? a->name : "");
	}
	return g_string_free(s, FALSE);
}

static void attachment_items(doc *d, const GPtrArray *list, int depth)
{
	for (guint i = 0; list && i < list->len && depth < 16; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		const char *type = a->detected_type ? a->detected_type
		                   : a->declared_type ? a->declared_type
		                                      : "?";
		g_autofree char *line = g_strdup_printf(
			a->encrypted ? _("%s %s (%s, %" PRId64 " bytes, encrypted) sha256 %s")
			             : _("%s %s (%s, %" PRId64 " bytes) sha256 %s"),
			a->path ? a->path : "-", a->filename ? a->filename : _("(no name)"), type, a->size,
			a->sha256[0] ? a->sha256 : "-");
		d->item(d, depth, line);
		attachment_items(d, a->children, depth + 1);
	}
}

/* The case timeline: the picture where the format has one, then the table
 * (every event, in time order; ⚠ marks what a reader should look at). */
void ks_doc_timeline(doc *d, const ks_export_data *x, const char *heading)
{
	d->heading(d, 2, heading);
	if (!x->events->len) {
		d->para(d, _("none"));
		return;
	}
	d->picture(d, x);
	const char *head[] = {_("Time"), "", _("Lane"), _("Event")};
	d->table_begin(d, head, 4);
	for (guint i = 0; i < x->events->len; i++) {
		const ks_export_event *e = g_ptr_array_index(x->events, i);
		g_autofree char *when = ks_doc_time(x, e->time);
		const char *cells[] = {when, e->alert ? "⚠" : "", ks_export_lane_label(e->lane), e->text};
		d->table_row(d, cells, 4);
	}
	d->table_end(d);
}

/* What drifted along each thread (thread.h): a lookalike's first mail, a new
 * Reply-To, new bank details, ... */
static void threads(doc *d, const ks_export_data *x)
{
	if (!x->threads->len)
		return;
	d->heading(d, 2, _("Threads"));
	for (guint i = 0; i < x->threads->len; i++) {
		const ks_export_thread *t = g_ptr_array_index(x->threads, i);
		g_autofree char *h = g_strdup_printf(_("%s (%d messages)"), t->subject, t->messages);
		d->heading(d, 3, h);
		if (!t->drift->len)
			d->para(d, _("nothing drifted along this thread"));
		for (guint k = 0; k < t->drift->len; k++) {
			const ks_export_drift *f = g_ptr_array_index(t->drift, k);
			g_autofree char *line = g_strdup_printf(
				_("%s %s in message %" PRId64 ": %s"), ks_severity_label(f->severity),
				ks_rule_id(f->rule), f->message, f->evidence ? f->evidence : "");
			d->item(d, 0, line);
		}
	}
}

/* The part of an attachment tree holding a message at path, or NULL. */
static const ks_attachment *embedded_at(const GPtrArray *list, const char *path, int depth)
{
	for (guint i = 0; list && i < list->len && depth < 16; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		if (a->message && g_strcmp0(a->path, path) == 0)
			return a;
		const ks_attachment *in = embedded_at(a->children, path, depth + 1);
		if (in)
			return in;
	}
	return NULL;
}

bool ks_doc_repeated_from_inner(const ks_report *r, const ks_finding *f)
{
	if (!g_str_has_prefix(f->location, "part:"))
		return false;
	const ks_attachment *a = embedded_at(r->attachments, f->location + 5, 0);
	return a && ks_report_has_finding(a->message, f->rule);
}

static void report_body(doc *d, const ks_export_data *x, const ks_report *r, const char *score,
                        const char *sha256, int level);

static void nested(doc *d, const ks_export_data *x, const GPtrArray *list, int level, int depth)
{
	for (guint i = 0; list && i < list->len && depth < 16; i++) {
		const ks_attachment *a = g_ptr_array_index(list, i);
		if (a->message) {
			g_autofree char *h = g_strdup_printf(
				_("Forwarded message in part %s: %s"), a->path ? a->path : "-",
				a->message->subject ? a->message->subject : _("(no subject)"));
			d->heading(d, MIN(level, 6), h);
			g_autofree char *score = g_strdup_printf(_("%d, BEC type %d"),
			                                         a->message->assessment.score,
			                                         a->message->assessment.bec_type);
			report_body(d, x, a->message, score, a->sha256[0] ? a->sha256 : NULL, level + 1);
		}
		nested(d, x, a->children, level, depth + 1);
	}
}

static void report_body(doc *d, const ks_export_data *x, const ks_report *r, const char *score,
                        const char *sha256, int level)
{
	g_autofree char *date = ks_doc_time(x, r->date);
	g_autofree char *from = addresses(r->from);
	g_autofree char *reply = addresses(r->reply_to);
	g_autofree char *to = addresses(r->to);
	g_autofree char *cc = addresses(r->cc);
	g_autofree char *auth = g_strdup_printf("spf %s, dkim %s, dmarc %s",
	                                        r->auth.spf ? r->auth.spf : "-",
	                                        r->auth.dkim ? r->auth.dkim : "-",
	                                        r->auth.dmarc ? r->auth.dmarc : "-");
	d->kv(d, _("Date"), date ? date : r->date_raw ? r->date_raw : "-");
	d->kv(d, _("From"), from);
	if (*reply)
		d->kv(d, _("Reply-To"), reply);
	if (r->return_path)
		d->kv(d, _("Return-Path"), r->return_path);
	d->kv(d, _("To"), to);
	if (*cc)
		d->kv(d, _("Cc"), cc);
	d->kv(d, _("Authentication"), auth);
	d->kv(d, _("Score"), score);
	if (sha256)
		d->kv(d, "SHA-256", sha256);
	int sub = MIN(level, 6);
	if (r->hops->len) {
		d->heading(d, sub, _("Route (origin first)"));
		for (guint k = 0; k < r->hops->len; k++) {
			const ks_hop *hp = g_ptr_array_index(r->hops, k);
			g_autofree char *t = ks_doc_time(x, hp->date);
			g_autofree char *line =
				g_strdup_printf(_("hop %d: from %s [%s] by %s at %s"), hp->index,
				                hp->from ? hp->from : "?", hp->ip ? hp->ip : "-",
				                hp->by ? hp->by : "?", t ? t : "?");
			d->item(d, 0, line);
		}
	}
	if (r->attachments->len) {
		d->heading(d, sub, _("Attachments"));
		attachment_items(d, r->attachments, 0);
	}
	d->heading(d, sub, _("Findings"));
	g_autoptr(GPtrArray) sorted = ks_report_findings_by_severity(r);
	guint shown = 0;
	for (guint k = 0; k < sorted->len; k++) {
		const ks_finding *f = g_ptr_array_index(sorted, k);
		if (ks_doc_repeated_from_inner(r, f))
			continue;
		g_autofree char *line =
			g_strdup_printf(_("%s %s at %s: %s"), ks_severity_label(f->severity),
			                ks_rule_id(f->rule), f->location, f->evidence ? f->evidence : "");
		d->item(d, 0, line);
		shown++;
	}
	if (!shown)
		d->para(d, sorted->len ? _("only those of the forwarded message, below") : _("none"));
	nested(d, x, r->attachments, level, 0);
}

void ks_doc_message(doc *d, const ks_export_data *x, const ks_case_message *m,
                    const ks_report *r)
{
	g_autofree char *h = g_strdup_printf(_("Message %" PRId64 ": %s"), m->id,
	                                     m->subject ? m->subject : _("(no subject)"));
	d->heading(d, 3, h);
	if (!r) {
		d->para(d, _("(the stored report could not be read)"));
		return;
	}
	g_autofree char *score =
		g_strdup_printf(_("%d, BEC type %d, highest %s"), m->score, m->bec_type,
		                m->severity ? _(m->severity) : _("none"));
	report_body(d, x, r, score, m->sha256, 4);
}

void ks_doc_notes(doc *d, const ks_export_data *x, const char *heading)
{
	d->heading(d, 2, heading);
	if (!x->notes->len)
		d->para(d, _("none"));
	for (guint i = 0; i < x->notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(x->notes, i);
		g_autofree char *when = ks_doc_time_text(x, n->created);
		g_autofree char *h =
			n->about ? g_strdup_printf(_("%s, %s, about %s"), when, n->author, n->about)
			         : g_strdup_printf(_("%s, %s"), when, n->author);
		d->item(d, 0, h);
		d->item(d, 1, n->text);
	}
}

void ks_doc_iocs(doc *d, const ks_export_data *x, const char *heading)
{
	d->heading(d, 2, heading);
	if (!x->iocs->len)
		d->para(d, _("none"));
	/* by whose they are: only the first group is for blocking */
	static const struct {
		ks_ioc_role role;
		const char *title;
	} groups[] = {
		{KS_IOC_ROLE_ATTACKER, N_("The attacker's: to block")},
		{KS_IOC_ROLE_VICTIM, N_("The victim's: context, not for blocking")},
		{KS_IOC_ROLE_INTERNAL, N_("Internal: context, not for blocking")},
		{KS_IOC_ROLE_BENIGN, N_("Shared infrastructure: not indicators")},
	};
	for (size_t g = 0; g < G_N_ELEMENTS(groups); g++) {
		bool any = false;
		for (guint i = 0; i < x->iocs->len; i++) {
			const ks_case_ioc *o = g_ptr_array_index(x->iocs, i);
			if (ks_export_ioc_role(o) != groups[g].role)
				continue;
			if (!any)
				d->heading(d, 3, _(groups[g].title));
			any = true;
			g_autofree char *v = ks_defang(o->value, ks_export_ioc_kind(o->kind));
			d->code_item(d, o->kind, v);
		}
	}
	d->end_list(d);
}

/* ---- the English layout ---- */

static void write_document(doc *d, const ks_export_data *x)
{
	const ks_case *c = x->c;
	g_autofree char *tlp = g_ascii_strup(x->tlp, -1);
	g_autofree char *marking = g_strdup_printf("TLP:%s", tlp);
	g_autofree char *title = g_strdup_printf("Case %" G_GINT64_FORMAT ": %s", c->id, c->title);
	d->para(d, marking);
	d->heading(d, 1, title);
	g_autofree char *bec = g_strdup_printf("%d (%s)", c->bec_type, ks_bec_type_name(c->bec_type));
	g_autofree char *counts = g_strdup_printf("%u messages, %u notes, %u IOCs",
	                                          x->messages->len, x->notes->len, x->iocs->len);
	d->kv(d, "Verdict", c->verdict);
	d->kv(d, "Status", c->status);
	d->kv(d, "BEC type", bec);
	d->kv(d, "Created", c->created);
	d->kv(d, "Updated", c->updated);
	d->kv(d, "Contents", counts);
	if (x->redact != KS_REDACT_OFF)
		d->kv(d, "Redacted", x->redact == KS_REDACT_PUBLIC
		                         ? "for publication: victims and the names inside lookalikes"
		                         : "for partners: victims masked, attacker indicators whole");

	ks_doc_timeline(d, x, _("Timeline"));
	threads(d, x);

	d->heading(d, 2, "Messages");
	for (guint i = 0; i < x->messages->len; i++)
		ks_doc_message(d, x, g_ptr_array_index(x->messages, i), g_ptr_array_index(x->reports, i));

	ks_doc_notes(d, x, "Notes");
	ks_doc_iocs(d, x, "IOCs (defanged)");
}

static const doc markdown_doc = {NULL,          md_heading,     md_para,     md_kv,
                                 md_item,       md_code_item,   md_end_list, md_table_begin,
                                 md_table_row,  md_table_end,   md_picture,  false};
static const doc html_doc = {NULL,            html_heading,     html_para,     html_kv,
                             html_item,       html_code_item,   html_end_list, html_table_begin,
                             html_table_row,  html_table_end,   html_picture,  false};

char *ks_export_markdown(const ks_export_data *x)
{
	doc d = markdown_doc;
	d.out = g_string_new(NULL);
	if (x->japanese)
		ks_doc_write_japanese(&d, x);
	else
		write_document(&d, x);
	g_string_append_printf(d.out, "\n_%s_\n", _("Exported by kensa."));
	return g_string_free(d.out, FALSE);
}

char *ks_export_html(const ks_export_data *x)
{
	doc d = html_doc;
	d.out = g_string_new(NULL);
	g_autofree char *title = g_strdup_printf(_("Case %" PRId64 ": %s"), x->c->id,
	                                         x->c->title);
	/* self-contained: inline style only, no script, nothing fetched; the CSP
	 * forbids any of it should the file be opened in a browser */
	g_string_append_printf(d.out, "<!DOCTYPE html>\n<html lang=\"%s\">\n", x->japanese ? "ja" : "en");
	g_string_append(d.out,
	                "<head>\n<meta charset=\"utf-8\">\n"
	                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	                "style-src 'unsafe-inline'\">\n<title>");
	html_text(d.out, title);
	g_string_append(d.out,
	                "</title>\n<style>\n"
	                "body{font-family:sans-serif;max-width:60em;margin:1em auto;line-height:1.4}\n"
	                "li{overflow-wrap:anywhere}\ncode{font-size:90%}\n"
	                ".d1{margin-left:1.5em}.d2{margin-left:3em}.d3{margin-left:4.5em}\n"
	                "table{border-collapse:collapse;font-size:90%}"
	                "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;"
	                "text-align:left}\n"
	                "svg.timeline{max-width:100%;height:auto;font-family:sans-serif}\n"
	                ".lane{stroke:#ddd}.axis,.tick{stroke:#888}.break{stroke:#888;fill:none}\n"
	                ".lanename,.ticklabel,.label{font-size:11px;fill:#333}\n"
	                ".lane0{fill:#8e44ad}.lane1{fill:#2c6fbb}.lane2{fill:#7f8c8d}"
	                ".lane3{fill:#d68910}.lane4{fill:#27ae60}\n"
	                "circle.alert{stroke:#c0392b;stroke-width:3}.label.alert{fill:#c0392b}\n"
	                ".alertline{stroke:#c0392b;stroke-dasharray:4 3}\n"
	                "@media print{body{max-width:none;margin:0;font-size:10pt}"
	                "h2,h3{break-after:avoid}li{break-inside:avoid}}\n"
	                "</style>\n</head>\n<body>\n");
	if (x->japanese)
		ks_doc_write_japanese(&d, x);
	else
		write_document(&d, x);
	g_string_append(d.out, "<p><i>");
	html_text(d.out, _("Exported by kensa."));
	g_string_append(d.out, "</i></p>\n</body>\n</html>\n");
	return g_string_free(d.out, FALSE);
}
