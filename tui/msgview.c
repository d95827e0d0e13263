/* The message view: a summary bar and five panes (Headers, Routing,
 * Attachments, Findings, Body) over one ks_report.  Rows are built from the
 * report only (no parsing here); each row may name what it is about (a
 * header, a hop, a part) so a finding's location can jump to it, and what
 * `y` copies (handoff.h: OSC 52).  Save (`s`) writes an attachment's decoded
 * bytes (handoff.h).  With the message's raw bytes kept, `a` adds it to a
 * case; once it is in one, a sixth pane shows the case's notes (newest
 * first) under the Body, `n` writes a note about the selected row and `v`
 * sets the verdict (the case workflow is msgcase.c's). */
#include "wb.h"

#include "checks/analyze.h"
#include "checks/auth.h"
#include "cases.h"
#include "handoff.h"
#include "mail/mbox.h"
#include "msgcase.h"
#include "partview.h"
#include "payloads/views.h"
#include "rawsrc.h"
#include "text.h"
#include "output/writers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_HEADERS, P_ROUTING, P_ATTACH, P_FINDINGS, P_BODY, P_NOTES, P_COUNT };

typedef struct {
	char *text;
	ks_role role;
	char *header;               /* header name the row is about */
	int nth;                    /* which header of that name (0 = the first) */
	int hop;                    /* hop index, or -1 */
	const ks_attachment *att;   /* part, or NULL */
	const ks_finding *finding;  /* finding, or NULL */
	char *copy;                 /* what y copies, or NULL */
	int copy_kind;              /* ks_ioc_kind to defang as, or -1 */
	char *detail;               /* what Enter shows, or NULL (the text) */
} row;

typedef struct {
	GPtrArray *rows; /* row* */
	int sel, top;
	int width; /* inner width the rows were built for */
	int y, x, h, w;
} pane;

typedef struct {
	ks_report *r;
	bool owned;
	int depth;
	pane panes[P_COUNT];
	int focus;
	bool zoom;
	ks_msgcase c; /* where the message came from, and its case */
} msgview;

typedef void (*build_fn)(GPtrArray *rows, const ks_report *r, int width);

static void row_free(void *data)
{
	row *w = data;
	g_free(w->text);
	g_free(w->header);
	g_free(w->copy);
	g_free(w->detail);
	g_free(w);
}

static row *add(GPtrArray *rows, ks_role role, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static row *add(GPtrArray *rows, ks_role role, const char *fmt, ...)
{
	row *w = g_new0(row, 1);
	va_list ap;
	va_start(ap, fmt);
	w->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	w->role = role;
	w->hop = -1;
	w->copy_kind = -1;
	g_ptr_array_add(rows, w);
	return w;
}

static char *address_text(const ks_address *a)
{
	if (a->name && *a->name && a->address)
		return g_strdup_printf("%s <%s>", a->name, a->address);
	return g_strdup(a->address ? a->address : a->name ? a->name : "");
}

/* ---- Headers: identity fields first, then every header in order */

static void add_addresses(GPtrArray *rows, const char *name, const GPtrArray *list)
{
	for (guint i = 0; list && i < list->len; i++) {
		const ks_address *a = list->pdata[i];
		g_autofree char *t = address_text(a);
		row *w = add(rows, KS_ROLE_ACCENT, "%-11s %s", name, t);
		w->header = g_strdup(name);
		if (a->address) {
			w->copy = g_strdup(a->address);
			w->copy_kind = KS_IOC_EMAIL;
		}
	}
}

static void build_headers(GPtrArray *rows, const ks_report *r, int width)
{
	add_addresses(rows, "From", r->from);
	add_addresses(rows, "Sender", r->sender);
	add_addresses(rows, "Reply-To", r->reply_to);
	if (r->return_path) {
		row *w = add(rows, KS_ROLE_ACCENT, "%-11s <%s>", "Return-Path", r->return_path);
		w->header = g_strdup("Return-Path");
		w->copy = g_strdup(r->return_path);
		w->copy_kind = KS_IOC_EMAIL;
	}
	add_addresses(rows, "To", r->to);
	add_addresses(rows, "Cc", r->cc);
	g_autofree char *all = g_strdup_printf(_("all %u headers"), r->headers->len);
	add(rows, KS_ROLE_DIMMED, "── %s ──", all);
	/* lower-cased name -> headers of that name so far, for the raw view */
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < r->headers->len; i++) {
		const ks_header *h = r->headers->pdata[i];
		row *w = add(rows, KS_ROLE_NORMAL, "%s: %s", h->name, h->value);
		w->header = g_strdup(h->name);
		w->copy = g_strdup(h->value);
		char *key = g_ascii_strdown(h->name, -1);
		w->nth = GPOINTER_TO_INT(g_hash_table_lookup(seen, key));
		g_hash_table_replace(seen, key, GINT_TO_POINTER(w->nth + 1));
	}
}

/* ---- Routing: the authentication summary, the bulk service, then the
 * hops origin first as a table laid out like the hop table of Microsoft's
 * Message Header Analyzer: one column per fact, cut and dropped to fit */

enum { C_HOP, C_DELAY, C_FROM, C_RDNS, C_IP, C_BY, C_WITH, C_TLS, C_TIME, C_COUNT };

static const struct {
	const char *title;
	int drop;     /* when a narrow pane drops it: 1 first; 0 never */
	bool shrinks; /* may be cut (names); the others keep their width */
} hop_columns[C_COUNT] = {
	[C_HOP] = {" #", 0, false},         [C_DELAY] = {N_("delay"), 0, false},
	[C_FROM] = {N_("from (HELO)"), 0, true}, [C_RDNS] = {"rDNS", 3, true},
	[C_IP] = {"IP", 0, false},           [C_BY] = {N_("by"), 5, true},
	[C_WITH] = {N_("with"), 1, true},    [C_TLS] = {"TLS", 2, true},
	[C_TIME] = {N_("time"), 4, false},
};
#define LAST_DROP 5
/* A name is cut to no fewer columns than this before a column is dropped. */
#define NAME_MIN_COLS 16
/* No cell is wider than this; the hop's detail has everything whole. */
#define CELL_MAX_COLS 40

/* The route's whole time, the last hop's minus the origin's (signed), or
 * NULL when either time is unknown. */
static char *route_total(const ks_report *r)
{
	if (r->hops->len < 2)
		return NULL;
	const ks_hop *first = r->hops->pdata[0], *last = r->hops->pdata[r->hops->len - 1];
	if (!first->date || !last->date)
		return NULL;
	return ks_delay_format(g_date_time_difference(last->date, first->date) / G_TIME_SPAN_SECOND);
}

/* The summary's items, packed into as few rows as the width allows; each
 * row is about the header its first item comes from. */
static void add_summary(GPtrArray *rows, const ks_report *r, int width)
{
	const ks_auth *a = &r->auth;
	g_autofree char *total = route_total(r);
	const struct {
		const char *label, *value, *header;
	} items[] = {
		{"SPF", a->spf, "Authentication-Results"},
		{"DKIM", a->dkim, "Authentication-Results"},
		{"DMARC", a->dmarc, "Authentication-Results"},
		{"Received-SPF", a->received_spf, "Received-SPF"},
		{"ARC", a->arc, "ARC-Seal"},
		{_("total"), total, "Received"},
	};
	ks_role role = ks_auth_failed(a) ? KS_ROLE_HIGH : KS_ROLE_NORMAL;
	GString *line = g_string_new(NULL);
	const char *header = NULL;
	for (size_t i = 0; i <= G_N_ELEMENTS(items); i++) {
		g_autofree char *item = i < G_N_ELEMENTS(items)
		                                ? g_strdup_printf("%s %s", items[i].label,
		                                                  items[i].value ? items[i].value : "-")
		                                : NULL;
		if (line->len && (!item || ks_text_width(line->str) + 2 + ks_text_width(item) > width)) {
			row *w = add(rows, role, "%s", line->str);
			w->header = g_strdup(header);
			g_string_truncate(line, 0);
		}
		if (!item)
			break;
		if (!line->len)
			header = items[i].header;
		else
			g_string_append(line, "  ");
		g_string_append(line, item);
	}
	g_string_free(line, TRUE);
}

/* Column widths for the pane: each column's natural width when all fit;
 * else names cut, the widest first, to NAME_MIN_COLS; else columns dropped
 * in hop_columns' order (width 0) and tried again; when even that is too
 * wide, names are cut further, so that the IP is never what gets cut. */
static void hop_layout(const int natural[C_COUNT], int width, int out[C_COUNT])
{
	for (int drop = 0; drop <= LAST_DROP; drop++) {
		int need = -1; /* a space between columns */
		for (int c = 0; c < C_COUNT; c++) {
			bool shown = hop_columns[c].drop == 0 || hop_columns[c].drop > drop;
			out[c] = shown ? natural[c] : 0;
			need += shown ? out[c] + 1 : 0;
		}
		int least = drop == LAST_DROP ? 1 : NAME_MIN_COLS;
		while (need > width) {
			int widest = -1;
			for (int c = 0; c < C_COUNT; c++)
				if (hop_columns[c].shrinks && out[c] > MIN(natural[c], least) &&
				    (widest < 0 || out[c] > out[widest]))
					widest = c;
			if (widest < 0)
				break;
			out[widest]--;
			need--;
		}
		if (need <= width)
			return;
	}
}

/* One row of the table: a text per column. */
typedef struct {
	char *cell[C_COUNT];
} hop_cells;

static void hop_cells_clear(hop_cells *t)
{
	for (int c = 0; c < C_COUNT; c++)
		g_free(t->cell[c]);
}

/* A row of cells in the layout's widths, dropped columns left out. */
static char *hop_line(const hop_cells *t, const int widths[C_COUNT])
{
	GString *s = g_string_new(NULL);
	for (int c = 0; c < C_COUNT; c++) {
		if (!widths[c])
			continue;
		g_autofree char *cell = ks_text_cell(t->cell[c], widths[c]);
		if (s->len)
			g_string_append_c(s, ' ');
		g_string_append(s, cell);
	}
	return g_strchomp(g_string_free(s, FALSE));
}

/* A hop's cells (hop_cells_clear frees them). */
static void hop_cells_fill(const ks_hop *h, hop_cells *t)
{
	char **cells = t->cell;
	cells[C_HOP] = g_strdup_printf("%s#%d", h->suspicious ? "!" : " ", h->index);
	cells[C_DELAY] = h->has_delay ? ks_delay_format(h->delay_seconds) : g_strdup("");
	cells[C_FROM] = g_strdup(ks_hop_helo(h) ? ks_hop_helo(h) : "-");
	/* the analyst's cue: the name the receiver found is not the one given */
	cells[C_RDNS] = !h->rdns ? g_strdup("-")
	                : ks_hop_rdns_differs(h) ? g_strconcat("≠ ", h->rdns, NULL)
	                                         : g_strdup(h->rdns);
	cells[C_IP] = g_strdup(h->ip ? h->ip : "-");
	cells[C_BY] = g_strdup(h->by ? h->by : "-");
	cells[C_WITH] = g_strdup(h->with ? h->with : "-");
	cells[C_TLS] = g_strdup(h->tls ? h->tls : "-");
	/* the analyst's clock in the row; as written, with year and zone, in the detail */
	cells[C_TIME] = h->date ? ks_text_time(h->date, "%m-%d %H:%M:%S") : g_strdup("-");
}

static char *hop_detail(const ks_hop *h)
{
	g_autofree char *delay = h->has_delay ? ks_delay_format(h->delay_seconds) : NULL;
	g_autofree char *written =
		h->date ? g_date_time_format(h->date, "%Y-%m-%d %H:%M:%S %:z") : NULL;
	g_autofree char *local = h->date ? ks_text_time(h->date, "%Y-%m-%d %H:%M:%S %:z") : NULL;
	g_autofree char *helo = h->helo ? g_strdup_printf("helo: %s\n", h->helo) : g_strdup("");
	return g_strdup_printf(
		"hop #%d%s\nfrom: %s\n%srdns: %s%s\nip: %s\nby: %s\nwith: %s\ntls: %s\nid: %s\n"
		"date: %s (as written)\n      %s (your clock)\ndelay: %s\n\n%s",
		h->index, h->suspicious ? " (suspicious: a finding points here)" : "",
		h->from ? h->from : "-", helo, h->rdns ? h->rdns : "-",
		ks_hop_rdns_differs(h) ? " (not the HELO name)" : "", h->ip ? h->ip : "-",
		h->by ? h->by : "-", h->with ? h->with : "-", h->tls ? h->tls : "-",
		h->id ? h->id : "-", written ? written : "-", local ? local : "-",
		delay ? delay : "-", h->raw ? h->raw : "");
}

static void build_routing(GPtrArray *rows, const ks_report *r, int width)
{
	add_summary(rows, r, width);
	if (r->bulk_service) {
		row *w = add(rows, KS_ROLE_MEDIUM, "bulk service: %s", r->bulk_service);
		w->copy = g_strdup(r->bulk_service);
	}
	if (!r->hops->len) {
		add(rows, KS_ROLE_DIMMED, "%s", _("(no Received headers)"));
		return;
	}
	guint n = r->hops->len;
	hop_cells *cells = g_new0(hop_cells, n);
	hop_cells titles;
	int natural[C_COUNT];
	for (int c = 0; c < C_COUNT; c++) {
		titles.cell[c] = g_strdup(_(hop_columns[c].title));
		natural[c] = ks_text_width(titles.cell[c]);
	}
	for (guint i = 0; i < n; i++) {
		const ks_hop *h = r->hops->pdata[i];
		hop_cells_fill(h, &cells[i]);
		for (int c = 0; c < C_COUNT && h->parsed; c++)
			natural[c] = MAX(natural[c], MIN(ks_text_width(cells[i].cell[c]), CELL_MAX_COLS));
	}
	int widths[C_COUNT];
	hop_layout(natural, width, widths);
	g_autofree char *head = hop_line(&titles, widths);
	hop_cells_clear(&titles);
	add(rows, KS_ROLE_DIMMED, "%s", head);
	for (guint i = 0; i < n; i++) {
		const ks_hop *h = r->hops->pdata[i];
		g_autofree char *text = h->parsed ? hop_line(&cells[i], widths)
		                                  : g_strdup_printf("%s (unparsed) %s", cells[i].cell[C_HOP],
		                                                    h->raw ? h->raw : "");
		row *w = add(rows, h->suspicious ? KS_ROLE_MEDIUM
		                   : h->parsed   ? KS_ROLE_NORMAL
		                                 : KS_ROLE_DIMMED,
		             "%s", text);
		w->hop = h->index;
		w->header = g_strdup("Received");
		w->nth = h->header_index; /* -1: a stored report that did not keep it */
		if (h->ip) {
			w->copy = g_strdup(h->ip);
			w->copy_kind = KS_IOC_IP;
		}
		w->detail = hop_detail(h);
		hop_cells_clear(&cells[i]);
	}
	g_free(cells);
}

/* ---- Attachments: the part tree */

static void add_part(GPtrArray *rows, const ks_attachment *a, int depth)
{
	g_autofree char *indent = g_strnfill((gsize)depth * 2, ' ');
	const char *type = a->detected_type ? a->detected_type : a->declared_type;
	bool differs = a->detected_type && a->declared_type &&
	               g_ascii_strcasecmp(a->detected_type, a->declared_type) != 0;
	row *w = add(rows, a->encrypted ? KS_ROLE_MEDIUM : KS_ROLE_NORMAL,
	             "%s%s %s%s%s  %s%s%s%s  %" G_GINT64_FORMAT " B", indent, a->path,
	             a->filename ? a->filename : "(no name)", a->message ? " [message]" : "",
	             a->encrypted ? " [encrypted]" : "", type ? type : "?",
	             differs ? " (declared " : "", differs ? a->declared_type : "", differs ? ")" : "",
	             a->size);
	w->att = a;
	w->copy = g_strdup(a->filename ? a->filename : a->sha256);
	w->copy_kind = a->filename ? KS_IOC_FILENAME : KS_IOC_SHA256;
	w = add(rows, KS_ROLE_DIMMED, "%s  sha256 %s", indent, a->sha256);
	w->att = a;
	w->copy = g_strdup(a->sha256);
	w->copy_kind = KS_IOC_SHA256;
	for (guint i = 0; a->children && i < a->children->len; i++)
		add_part(rows, a->children->pdata[i], depth + 1);
}

static void build_attachments(GPtrArray *rows, const ks_report *r, int width)
{
	if (!r->attachments->len)
		add(rows, KS_ROLE_DIMMED, "%s", _("(no attachments)"));
	for (guint i = 0; i < r->attachments->len; i++)
		add_part(rows, r->attachments->pdata[i], 0);
}

/* ---- Findings, highest severity first, each with its evidence */

static ks_role severity_role(ks_severity s)
{
	switch (s) {
	case KS_SEV_HIGH: return KS_ROLE_HIGH;
	case KS_SEV_MEDIUM: return KS_ROLE_MEDIUM;
	case KS_SEV_LOW: return KS_ROLE_LOW;
	default: return KS_ROLE_INFO;
	}
}

static void build_findings(GPtrArray *rows, const ks_report *r, int width)
{
	g_autoptr(GPtrArray) sorted = ks_report_findings_by_severity(r);
	if (!sorted->len)
		add(rows, KS_ROLE_DIMMED, "%s", _("(no findings)"));
	for (guint i = 0; i < sorted->len; i++) {
		const ks_finding *f = sorted->pdata[i];
		g_autofree char *sev = g_ascii_strup(ks_severity_label(f->severity), -1);
		g_autoptr(GString) lead = g_string_new(NULL);
		ks_append_padded(lead, sev, 6);
		row *w = add(rows, severity_role(f->severity), "%s %s  (%s)", lead->str,
		             ks_rule_title(f->rule), ks_rule_id(f->rule));
		w->finding = f;
		w->copy = g_strdup(f->evidence ? f->evidence : f->title);
		w = add(rows, KS_ROLE_DIMMED, "       %s  @%s", f->evidence ? f->evidence : "",
		        f->location ? f->location : "-");
		w->finding = f;
		w->copy = g_strdup(f->evidence ? f->evidence : f->title);
	}
}

/* ---- Body: plain text wrapped to the pane, then the links */

static void build_body(GPtrArray *rows, const ks_report *r, int width)
{
	GPtrArray *lines = ks_text_wrap(r->body_text ? r->body_text : "", MAX(10, width));
	for (guint i = 0; i < lines->len; i++)
		add(rows, KS_ROLE_NORMAL, "%s", (char *)lines->pdata[i]);
	g_ptr_array_unref(lines);
	g_autofree char *nlinks = g_strdup_printf(P_("%u link", "%u links", r->links->len), r->links->len);
	add(rows, KS_ROLE_DIMMED, "── %s ──", nlinks);
	for (guint i = 0; i < r->links->len; i++) {
		const ks_link *l = r->links->pdata[i];
		/* a link from an attachment (a PDF, an invite, a QR code) says which */
		row *w = add(rows, KS_ROLE_ACCENT, "%s%s%s%s → %s", l->location ? "[" : "",
		             l->location ? l->location : "", l->location ? "] " : "",
		             l->text ? l->text : "", l->href ? l->href : "");
		w->copy = g_strdup(l->href);
		w->copy_kind = KS_IOC_URL;
		w->detail = g_strdup_printf("text: %s\nhref: %s\nfound in: %s", l->text ? l->text : "",
		                            l->href ? l->href : "", ks_link_location(l));
	}
}

static const struct {
	const char *title;
	build_fn build;
} pane_defs[P_COUNT] = {
	{N_("Headers"), build_headers},   {N_("Routing"), build_routing},
	{N_("Attachments"), build_attachments}, {N_("Findings"), build_findings},
	{N_("Body"), build_body},         {N_("Notes"), NULL},
};

/* ---- Notes (the case's, newest first): a heading line, then the text */

static void build_notes(GPtrArray *rows, const GPtrArray *notes, int width)
{
	if (!notes || !notes->len)
		add(rows, KS_ROLE_DIMMED, "%s", _("(no notes: m writes one about the selected row)"));
	for (guint i = 0; notes && i < notes->len; i++) {
		const ks_case_note *n = notes->pdata[i];
		g_autofree char *when = ks_text_time_rfc3339(n->created, "%Y-%m-%d %H:%M");
		row *w = add(rows, KS_ROLE_ACCENT, "%s  %s%s%s", when, n->author ? n->author : "",
		             n->about ? "  about " : "", n->about ? n->about : "");
		w->copy = g_strdup(n->text);
		w->detail = g_strdup_printf("%s  %s%s%s\n\n%s", when, n->author ? n->author : "",
		                            n->about ? "  about " : "", n->about ? n->about : "",
		                            n->text ? n->text : "");
		g_auto(GStrv) paras = g_strsplit(n->text ? n->text : "", "\n", -1);
		for (char **p = paras; *p; p++) {
			GPtrArray *lines = ks_text_wrap(*p, MAX(10, width - 2));
			for (guint k = 0; k < lines->len; k++) {
				row *l = add(rows, KS_ROLE_NORMAL, "  %s", (char *)lines->pdata[k]);
				l->copy = g_strdup(n->text);
				l->detail = g_strdup(w->detail);
			}
			g_ptr_array_unref(lines);
		}
	}
}

/* Neighbours for h/l (the layout: Headers, Routing, Attachments on the left;
 * Findings, Body on the right). */
static const int left_of[P_COUNT] = {-1, -1, -1, P_HEADERS, P_ROUTING, P_ATTACH};
static const int right_of[P_COUNT] = {P_FINDINGS, P_BODY, P_BODY, -1, -1, -1};

static void pane_build(const msgview *m, pane *p, int i, int width)
{
	if (p->rows && p->width == width)
		return;
	if (p->rows)
		g_ptr_array_unref(p->rows);
	p->rows = g_ptr_array_new_with_free_func(row_free);
	p->width = width;
	if (i == P_NOTES)
		build_notes(p->rows, m->c.notes, width);
	else
		pane_defs[i].build(p->rows, m->r, width);
	if (p->sel >= (int)p->rows->len)
		p->sel = (int)p->rows->len - 1;
	if (p->sel < 0)
		p->sel = 0;
}

static void layout(msgview *m)
{
	int top = 2, h = LINES - 3, lw = COLS / 2, rw = COLS - lw;
	int h1 = h * 2 / 5, h2 = (h - h1) / 2, h3 = h - h1 - h2;
	int r1 = h * 2 / 5;
	/* in a case, the Notes take the lower half of the Body's room */
	int r2 = m->c.notes ? (h - r1) / 2 : h - r1;
	int geo[P_COUNT][4] = {
		{top, 0, h1, lw},           {top + h1, 0, h2, lw}, {top + h1 + h2, 0, h3, lw},
		{top, lw, r1, rw},          {top + r1, lw, r2, rw}, {top + r1 + r2, lw, h - r1 - r2, rw},
	};
	for (int i = 0; i < P_COUNT; i++) {
		pane *p = &m->panes[i];
		if (i == P_NOTES && !m->c.notes) {
			p->h = p->w = 0;
		} else if (m->zoom) {
			p->y = top;
			p->x = 0;
			p->h = i == m->focus ? h : 0;
			p->w = i == m->focus ? COLS : 0;
		} else {
			p->y = geo[i][0];
			p->x = geo[i][1];
			p->h = geo[i][2];
			p->w = geo[i][3];
		}
		pane_build(m, p, i, MAX(10, (m->zoom ? COLS : p->w) - 2));
	}
}

static void pane_scroll(pane *p)
{
	int rows = MAX(1, p->h - 2);
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + rows)
		p->top = p->sel - rows + 1;
	if (p->top < 0)
		p->top = 0;
}

static bool count_part(ks_attachment *a, void *user)
{
	(*(guint *)user)++;
	return true;
}

/* What a pane's title counts: the things it lists (headers, hops, parts at
 * any depth, findings, links, notes), never its screen rows. */
static guint pane_items(const msgview *m, int i)
{
	const ks_report *r = m->r;
	guint n = 0;
	switch (i) {
	case P_HEADERS: return r->headers->len;
	case P_ROUTING: return r->hops->len;
	case P_ATTACH:
		ks_report_walk_attachments((ks_report *)r, count_part, &n);
		return n;
	case P_FINDINGS: return r->findings->len;
	case P_BODY: return r->links->len;
	case P_NOTES: return m->c.notes ? m->c.notes->len : 0;
	}
	return 0;
}

static void draw_pane(msgview *m, int i)
{
	pane *p = &m->panes[i];
	if (p->h < 3 || p->w < 4)
		return;
	bool focus = i == m->focus;
	pane_scroll(p);
	/* the focus shows in brackets too, so it reads without colour */
	guint n = pane_items(m, i);
	g_autofree char *count = i == P_BODY ? g_strdup_printf(P_("%u link", "%u links", n), n)
	                                     : g_strdup_printf("%u", n);
	g_autofree char *title = g_strdup_printf(focus ? "[%d %s (%s)]" : "%d %s (%s)", i + 1,
	                                         _(pane_defs[i].title), count);
	ks_draw_box(stdscr, p->y, p->x, p->h, p->w, title, focus);
	for (int k = 0; k < p->h - 2 && p->top + k < (int)p->rows->len; k++) {
		const row *w = p->rows->pdata[p->top + k];
		bool sel = focus && p->top + k == p->sel;
		ks_draw_text(stdscr, p->y + 1 + k, p->x + 1, p->w - 2, w->text,
		             sel ? KS_ROLE_SELECTION : w->role, sel);
	}
}

static void draw_summary(msgview *m)
{
	const ks_report *r = m->r;
	ks_severity top = KS_SEV_INFO;
	bool any = ks_report_max_severity(r, &top);
	g_autofree char *verdict = g_strdup_printf(
		_(" score %d %s │ BEC: %s "), r->assessment.score,
		r->assessment.label ? _(r->assessment.label) : "",
		_(ks_bec_type_name(r->assessment.bec_type)));
	int vw = MIN(ks_text_width(verdict), COLS / 2);
	g_autofree char *subject = g_strdup_printf("%s%s", m->depth ? _("[inner message] ") : "",
	                                           r->subject ? r->subject : _("(no subject)"));
	ks_draw_text(stdscr, 0, 0, COLS - vw, subject, KS_ROLE_TITLE, true);
	ks_draw_text(stdscr, 0, COLS - vw, vw, verdict, any ? severity_role(top) : KS_ROLE_TITLE,
	             true);
	g_autofree char *from = r->from && r->from->len ? address_text(r->from->pdata[0])
	                                                : g_strdup(_("(no From)"));
	g_autofree char *date = r->date ? ks_time_format(r->date)
	                                : g_strdup(r->date_raw ? r->date_raw : _("(no date)"));
	g_autofree char *line = g_strdup_printf(_("From: %s │ Date: %s"), from, date);
	ks_draw_text(stdscr, 1, 0, COLS, line, KS_ROLE_ACCENT, true);
}

/* ---- the case (msgcase.h): the notes pane follows it */

static row *current(msgview *m);

/* the notes changed: the panes are built again at the next layout */
static void notes_changed(msgview *m)
{
	g_clear_pointer(&m->panes[P_NOTES].rows, g_ptr_array_unref);
	for (int i = 0; i < P_COUNT; i++)
		m->panes[i].width = -1;
}

/* What a note written now is about: the selected row of the focused pane,
 * in the strings `kensa case note --about` takes.  g_free; NULL: the case. */
static char *about_selection(msgview *m)
{
	const row *r = current(m);
	char *about = NULL;
	if (m->c.inner_part)
		about = g_strdup_printf("part:%s", m->c.inner_part);
	else if (r && r->finding)
		about = g_strdup_printf("finding:%s", ks_rule_id(r->finding->rule));
	else if (r && r->hop >= 0)
		about = g_strdup_printf("hop:%d", r->hop);
	else if (r && r->att)
		about = g_strdup_printf("part:%s", r->att->path);
	else if (r && r->header)
		about = g_strdup_printf("header:%s", r->header);
	else if (m->c.message_id)
		about = g_strdup_printf("message:%" G_GINT64_FORMAT, m->c.message_id);
	return about;
}

static void add_to_case(wb *w, msgview *m)
{
	if (ks_msgcase_add(w, &m->c, m->r->subject))
		notes_changed(m);
}

static void note(wb *w, msgview *m)
{
	/* the place first: adding the message to a case rebuilds the panes */
	g_autofree char *place = about_selection(m);
	bool had = m->c.case_id != 0;
	if (!ks_msgcase_ensure(w, &m->c, m->r->subject)) {
		if (!w->status)
			ks_wb_status(w, _("the message is in no case: nothing saved"));
		if (!had && m->c.case_id)
			notes_changed(m);
		return;
	}
	/* a note names its message too: a case holds many (message:ID header:From) */
	g_autofree char *about =
		m->c.message_id && place && !g_str_has_prefix(place, "message:")
			? g_strdup_printf("message:%" G_GINT64_FORMAT " %s", m->c.message_id, place)
		: place         ? g_strdup(place)
		: m->c.message_id ? g_strdup_printf("message:%" G_GINT64_FORMAT, m->c.message_id)
		                  : NULL;
	if (ks_msgcase_note(w, &m->c, m->r->subject, about)) {
		notes_changed(m);
		m->panes[P_NOTES].sel = 0;
		m->panes[P_NOTES].top = 0;
	} else if (!had && m->c.case_id) {
		notes_changed(m); /* added, then no note written */
	}
}

static void msgview_draw(wb *w, view *v)
{
	msgview *m = v->data;
	if (ks_msgcase_refresh(w, &m->c))
		notes_changed(m);
	layout(m);
	draw_summary(m);
	for (int i = 0; i < P_COUNT; i++)
		if (m->panes[i].h > 0)
			draw_pane(m, i);
	static const ks_hint in_case[] = {
		{REQ_HELP, REQ_NONE, NC_("hint", "help")},      {REQ_QUIT, REQ_NONE, NC_("hint", "quit")},
		{REQ_NEXT_PANE, REQ_GOTO_PANE, NC_("hint", "panes")}, {REQ_ENTER, REQ_NONE, NC_("hint", "open")},
		{REQ_NOTE, REQ_NONE, NC_("hint", "note")},      {REQ_VERDICT, REQ_NONE, NC_("hint", "verdict")},
		{REQ_ADD_TO_CASE, REQ_NONE, NC_("hint", "add")}, {REQ_ZOOM, REQ_NONE, NC_("hint", "zoom")},
		{REQ_RAW, REQ_NONE, NC_("hint", "raw")},        {REQ_SAVE, REQ_NONE, NC_("hint", "save")},
		{REQ_COPY, REQ_NONE, NC_("hint", "copy")},      {REQ_SEARCH, REQ_NONE, NC_("hint", "search")},
	};
	static const ks_hint no_case[] = {
		{REQ_HELP, REQ_NONE, NC_("hint", "help")},      {REQ_QUIT, REQ_NONE, NC_("hint", "quit")},
		{REQ_NEXT_PANE, REQ_NONE, NC_("hint", "panes 1-5")}, {REQ_ENTER, REQ_NONE, NC_("hint", "open")},
		{REQ_ZOOM, REQ_NONE, NC_("hint", "zoom")},      {REQ_RAW, REQ_NONE, NC_("hint", "raw")},
		{REQ_SAVE, REQ_NONE, NC_("hint", "save")},      {REQ_COPY, REQ_NONE, NC_("hint", "copy")},
		{REQ_SEARCH, REQ_NONE, NC_("hint", "search")},  {REQ_ADD_TO_CASE, REQ_NONE, NC_("hint", "add to a case")},
	};
	if (m->c.notes)
		ks_wb_draw_hints(w, v, in_case, G_N_ELEMENTS(in_case));
	else
		ks_wb_draw_hints(w, v, no_case, G_N_ELEMENTS(no_case));
}

static row *current(msgview *m)
{
	pane *p = &m->panes[m->focus];
	if (!p->rows || p->sel < 0 || p->sel >= (int)p->rows->len)
		return NULL;
	return p->rows->pdata[p->sel];
}

/* ---- finding → jump */

static bool select_row(msgview *m, int pane_i, bool (*match)(const row *, const void *),
                       const void *key)
{
	pane *p = &m->panes[pane_i];
	for (guint i = 0; i < p->rows->len; i++)
		if (match(p->rows->pdata[i], key)) {
			m->focus = pane_i;
			p->sel = (int)i;
			if (m->zoom)
				layout(m);
			pane_scroll(p);
			return true;
		}
	return false;
}

static bool match_header(const row *w, const void *key)
{
	return w->header && w->hop < 0 && g_ascii_strcasecmp(w->header, key) == 0;
}
static bool match_hop(const row *w, const void *key)
{
	return w->hop >= 0 && w->hop == *(const int *)key;
}
static bool match_part(const row *w, const void *key)
{
	return w->att && strcmp(w->att->path, key) == 0;
}
static bool match_any(const row *w, const void *key)
{
	return true;
}

static void jump(wb *w, msgview *m, const ks_finding *f)
{
	const char *loc = f->location ? f->location : "";
	bool ok = false;
	if (g_str_has_prefix(loc, "header:")) {
		ok = select_row(m, P_HEADERS, match_header, loc + 7);
	} else if (g_str_has_prefix(loc, "hop:")) {
		int n = atoi(loc + 4);
		ok = select_row(m, P_ROUTING, match_hop, &n);
	} else if (g_str_has_prefix(loc, "part:")) {
		ok = select_row(m, P_ATTACH, match_part, loc + 5);
	} else if (strcmp(loc, "body") == 0) {
		ok = select_row(m, P_BODY, match_any, NULL);
	}
	if (ok)
		ks_wb_status(w, _("→ %s"), loc);
	else
		ks_wb_status(w, _("%s: nothing to show for it"), *loc ? loc : "no location");
}

/* ---- Enter, raw view, save, copy */

static void open_detail(wb *w, const char *title, const char *text)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = g_strsplit(text, "\n", -1);
	for (char **s = parts; *s; s++)
		g_ptr_array_add(lines, g_strdup(*s));
	ks_pager_open(w, title, lines, -1, -1, true);
}

static char *part_detail(const ks_attachment *a)
{
	char md5[33];
	ks_attachment_md5(a, md5);
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, _("part %s\nfile name: %s\ndeclared type: %s\ndetected type: %s\n"
	                            "size: %" PRId64 " bytes\nsha256: %s\nmd5: %s\n"
	                            "encrypted: %s\nchildren: %u\n"),
	                       a->path, a->filename ? a->filename : "-",
	                       a->declared_type ? a->declared_type : "-",
	                       a->detected_type ? a->detected_type : "-", a->size, a->sha256, md5,
	                       a->encrypted ? _("yes") : _("no"), a->children ? a->children->len : 0);
	for (guint i = 0; a->metadata && i < a->metadata->len; i++) {
		const ks_kv *kv = a->metadata->pdata[i];
		g_string_append_printf(s, "%s: %s\n", kv->key, kv->value);
	}
	g_string_append_printf(s, "\n%s",
	                       _("q closes; in the Attachments pane s saves the decoded bytes, y copies"));
	return g_string_free(s, FALSE);
}

static void enter(wb *w, msgview *m)
{
	row *r = current(m);
	if (!r)
		return;
	if (m->focus == P_FINDINGS && r->finding) {
		const ks_finding *f = r->finding;
		g_autofree char *d = g_strdup_printf(
			_("%s  %s\n%s\n\nevidence:\n%s\n\nfires when: %s\nplace: %s%s"),
			ks_severity_label(f->severity), ks_rule_id(f->rule), ks_rule_title(f->rule),
			f->evidence ? f->evidence : "-", ks_rule_title(f->rule),
			f->location ? f->location : "-",
			f->location ? _("  (o in the Findings pane goes there)") : "");
		open_detail(w, _("Finding"), d);
	} else if (r->att && r->att->message) {
		/* an inner message belongs to the outer one's case: notes are about its part */
		ks_msg_source src = {.case_id = m->c.case_id, .message_id = m->c.message_id,
		                     .inner_part = m->c.inner_part ? m->c.inner_part : r->att->path};
		ks_msgview_open_source(w, r->att->message, false, m->depth + 1, &src);
	} else if (r->att) {
		g_autofree char *d = part_detail(r->att);
		open_detail(w, _("Part"), d);
	} else if (r->detail || ks_text_width(r->text) > m->panes[m->focus].w - 2) {
		open_detail(w, _(pane_defs[m->focus].title), r->detail ? r->detail : r->text);
	} /* else the row shows all there is: Enter does nothing */
}

/* What `r` shows when there is no MIME source to show (an inner message
 * opened from its carrier, an Outlook .msg): every header as decoded, then
 * the body text, after a line saying why. */
static void decoded_view(wb *w, msgview *m, const char *why)
{
	const ks_report *r = m->r;
	const row *sel = current(m);
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(lines, g_strdup_printf("(decoded view: every header as decoded, then the "
	                                       "body text; %s)", why));
	g_ptr_array_add(lines, g_strdup(""));
	int hl_from = -1, hl_to = -1, same_name = 0;
	for (guint i = 0; i < r->headers->len; i++) {
		const ks_header *h = r->headers->pdata[i];
		int at = (int)lines->len;
		g_ptr_array_add(lines, g_strdup_printf("%s: %s", h->name, h->value));
		/* the selected row's header: the nth of its name (a hop's is the
		 * Received header it was read from) */
		if (sel && sel->header && g_ascii_strcasecmp(sel->header, h->name) == 0) {
			if (same_name == sel->nth)
				hl_from = hl_to = at;
			same_name++;
		}
	}
	g_ptr_array_add(lines, g_strdup(""));
	g_auto(GStrv) body = g_strsplit(r->body_text ? r->body_text : "", "\n", -1);
	for (char **s = body; *s; s++)
		g_ptr_array_add(lines, g_strdup(*s));
	ks_pager_open(w, "Decoded view", lines, hl_from, hl_to, false);
}

/* The raw view's limits: the pager keeps every line in memory, wrapped */
#define RAW_MAX_LINES 50000
#define RAW_MAX_LINE_BYTES 2000

/* Where the selected row (or the selected finding's location) lies in the
 * raw source; false when it names nothing there. */
static bool locate(const ks_report *r, const ks_raw_source *src, const row *sel, int *from,
                   int *to)
{
	if (!sel)
		return false;
	if (sel->att)
		return ks_raw_source_find_part(src, sel->att->path, from, to);
	if (sel->header)
		return ks_raw_source_find_header(src, sel->header, sel->nth, from, to);
	const char *loc = sel->finding && sel->finding->location ? sel->finding->location : "";
	if (g_str_has_prefix(loc, "header:"))
		return ks_raw_source_find_header(src, loc + 7, 0, from, to);
	if (g_str_has_prefix(loc, "hop:")) {
		int hop = atoi(loc + 4);
		const ks_hop *h = hop >= 0 && (guint)hop < r->hops->len ? r->hops->pdata[hop] : NULL;
		return h && ks_raw_source_find_header(src, "Received", h->header_index, from, to);
	}
	if (g_str_has_prefix(loc, "part:"))
		return ks_raw_source_find_part(src, loc + 5, from, to);
	return false;
}

/* `r`: the message's raw source, sanitized line by line, with the selected
 * header, hop or part highlighted and scrolled to. */
static void raw_view(wb *w, msgview *m)
{
	if (!m->c.raw) {
		decoded_view(w, m, "the raw source is kept only for the outer message");
		return;
	}
	if (m->c.format && strcmp(m->c.format, "msg") == 0) {
		decoded_view(w, m, "an Outlook .msg file is binary, not MIME source");
		return;
	}
	g_autoptr(ks_raw_source) src = ks_raw_source_new(m->c.raw, RAW_MAX_LINES);
	int from = -1, to = -1;
	if (!locate(m->r, src, current(m), &from, &to))
		from = to = -1;
	ks_pager_open(w, "Raw source", ks_raw_source_lines(src, RAW_MAX_LINE_BYTES), from, to, false);
}

static void save(wb *w, msgview *m)
{
	row *r = current(m);
	if (!r || !r->att) {
		ks_wb_status(w, _("select an attachment in pane 3 to save it"));
		return;
	}
	const ks_attachment *a = r->att;
	if (!a->data) {
		ks_wb_status(w, _("part %s: its bytes were not kept"), a->path);
		return;
	}
	g_autofree char *dir = ks_wb_prompt(w, _("Save to directory: "), ".");
	if (!dir)
		return;
	GError *err = NULL;
	g_autofree char *path = ks_part_save(a, *dir ? dir : ".", &err);
	if (!path) {
		ks_wb_status(w, _("save: %s"), err->message);
		g_error_free(err);
		return;
	}
	ks_wb_status(w, _("saved %zu bytes to %s (mode 0600)"), (size_t)g_bytes_get_size(a->data),
	             path);
}

/* |: the selected part's decoded bytes, else the message's raw bytes, on the
 * standard input of the analyst's command; the screen is left for it and
 * comes back after Enter. */
static void pipe_to(wb *w, msgview *m)
{
	row *r = current(m);
	GBytes *bytes = r && r->att && r->att->data ? r->att->data : m->c.raw;
	if (!bytes) {
		ks_wb_status(w, _("nothing to pipe: an inner message's bytes are its part (select it, q)"));
		return;
	}
	const char *what = r && r->att && r->att->data ? r->att->path : NULL;
	g_autofree char *label = what ? g_strdup_printf("Pipe part %s to: ", what)
	                               : g_strdup("Pipe the message to: ");
	g_autofree char *cmd = ks_wb_prompt(w, label, NULL);
	if (!cmd || !*g_strstrip(cmd))
		return;
	def_prog_mode();
	endwin();
	GError *err = NULL;
	int st = ks_pipe_to_command(cmd, bytes, &err);
	if (st >= 0) {
		fputs("\n[kensa: press Enter to return]", stdout);
		fflush(stdout);
		/* the terminal is in its shell mode here: one line, read from it
		 * (getch would draw the screen back first) */
		FILE *tty = fopen("/dev/tty", "r");
		char line[256];
		if (tty) {
			if (!fgets(line, sizeof line, tty))
				line[0] = '\0';
			fclose(tty);
		}
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (st < 0) {
		ks_wb_status(w, _("pipe: %s"), err->message);
		g_error_free(err);
	} else {
		ks_wb_status(w, _("pipe: %s exited %d"), cmd, st);
	}
}

static void add_page(GPtrArray *pages, char *title, GPtrArray *lines)
{
	ks_pager_page *pg = g_new0(ks_pager_page, 1);
	pg->title = title;
	pg->lines = lines;
	g_ptr_array_add(pages, pg);
}

/* d / x: the selected attachment's decoded views in a paged pager: its bytes
 * as text (an HTML page as the body shows it), what its format gives
 * (views.h), and hex last; d shows the first, x the hex dump, d again the
 * next view. */
static void part_view(wb *w, msgview *m, bool hex)
{
	row *r = current(m);
	if (!r || !r->att || !r->att->data) {
		ks_wb_status(w, _("select an attachment with its bytes in pane 3 (d decoded views, x hex)"));
		return;
	}
	const ks_attachment *a = r->att;
	GPtrArray *pages = g_ptr_array_new_with_free_func((GDestroyNotify)ks_pager_page_free);
	const char *kind = NULL;
	GPtrArray *text = ks_part_text_lines(a, &kind);
	/* an HTML page as the body shows it comes first; a PDF's or a
	 * document's own views come before its bytes read as text */
	bool page_first = text && strcmp(kind, _("HTML as text")) == 0;
	if (page_first)
		add_page(pages, g_strdup(kind), text);
	g_autoptr(GPtrArray) views = ks_part_views(a, ks_wb_context(w));
	for (guint i = 0; i < views->len; i++) {
		const ks_part_view *v = views->pdata[i];
		add_page(pages, g_strdup(v->title), ks_part_safe_lines(v->text));
	}
	if (text && !page_first)
		add_page(pages, g_strdup(kind), text);
	add_page(pages, g_strdup(_("hex")), ks_part_hex_lines(a));
	/* each title names the part and where the page stands among them */
	for (guint i = 0; i < pages->len; i++) {
		ks_pager_page *pg = pages->pdata[i];
		char *t = g_strdup_printf(_("Part %s, %s (%u/%u)"), a->path, pg->title, i + 1, pages->len);
		g_free(pg->title);
		pg->title = t;
	}
	if (!hex && !text && !views->len)
		ks_wb_status(w, _("part %s is not text: shown as hex"), a->path);
	ks_pager_open_pages(w, pages, hex || (!text && !views->len) ? pages->len - 1 : 0);
}

static void copy(wb *w, msgview *m)
{
	row *r = current(m);
	if (!r || !r->copy) {
		ks_wb_status(w, _("nothing to copy here"));
		return;
	}
	g_autofree char *value = r->copy_kind >= 0 ? ks_defang(r->copy, (ks_ioc_kind)r->copy_kind)
	                                           : g_strdup(r->copy);
	ks_clipboard_copy(value);
	ks_wb_status(w, _("copied (OSC 52): %s"), value);
}

/* ---- search in the focused pane */

static void search(wb *w, msgview *m, int dir)
{
	pane *p = &m->panes[m->focus];
	int n = (int)p->rows->len;
	if (n == 0)
		return;
	for (int k = 1; k <= n; k++) {
		int i = ((p->sel + dir * k) % n + n) % n;
		if (ks_text_contains(((row *)p->rows->pdata[i])->text, w->search)) {
			p->sel = i;
			return;
		}
	}
	ks_wb_status(w, _("not found in %s: %s"), _(pane_defs[m->focus].title), w->search);
}

static bool msgview_key(wb *w, view *v, ks_request req, int key)
{
	msgview *m = v->data;
	pane *p = &m->panes[m->focus];
	int page = MAX(1, p->h - 3);
	switch (req) {
	case REQ_UP: p->sel--; break;
	case REQ_DOWN: p->sel++; break;
	case REQ_PAGE_UP: p->sel -= page; break;
	case REQ_PAGE_DOWN: p->sel += page; break;
	case REQ_TOP: p->sel = 0; break;
	case REQ_BOTTOM: p->sel = (int)p->rows->len - 1; break;
	case REQ_NEXT_PANE:
		m->focus = (m->focus + 1) % P_COUNT;
		if (m->focus == P_NOTES && !m->c.notes)
			m->focus = 0;
		break;
	case REQ_PREV_PANE:
		m->focus = (m->focus + P_COUNT - 1) % P_COUNT;
		if (m->focus == P_NOTES && !m->c.notes)
			m->focus = P_NOTES - 1;
		break;
	case REQ_ADD_TO_CASE: add_to_case(w, m); return true;
	case REQ_NOTE: note(w, m); return true;
	case REQ_VERDICT:
		if (ks_msgcase_ensure(w, &m->c, m->r->subject)) {
			notes_changed(m);
			ks_wb_set_verdict(w, m->c.case_id);
		}
		else if (!w->status)
			ks_wb_status(w, _("the message is in no case: no verdict set"));
		return true;
	case REQ_PANE_LEFT:
		if (left_of[m->focus] >= 0)
			m->focus = left_of[m->focus];
		break;
	case REQ_PANE_RIGHT:
		if (right_of[m->focus] >= 0)
			m->focus = right_of[m->focus];
		break;
	case REQ_GOTO_PANE:
		if (key >= '1' && key < '1' + P_COUNT && (key - '1' != P_NOTES || m->c.notes))
			m->focus = key - '1';
		break;
	case REQ_ENTER: enter(w, m); return true;
	case REQ_NEXT_MESSAGE:
	case REQ_PREV_MESSAGE: {
		/* mutt's habit: the list beneath opens its next message in place of this one */
		if (m->depth > 0 || w->stack->len < 2) {
			ks_wb_status(w, _("J and K step through a message list: open one from a list"));
			return true;
		}
		ks_wb_pop(w); /* m is freed */
		view *under = w->stack->pdata[w->stack->len - 1];
		if (!under->ops->key(w, under, req, key))
			ks_wb_status(w, _("J and K step through a message list: open one from a list"));
		return true;
	}
	case REQ_JUMP: {
		const row *r = current(m);
		if (m->focus == P_FINDINGS && r && r->finding)
			jump(w, m, r->finding);
		else
			ks_wb_status(w, _("o goes to the place a finding points to: select one in pane 4"));
		return true;
	}
	case REQ_ZOOM: m->zoom = !m->zoom; break;
	case REQ_RAW: raw_view(w, m); return true;
	case REQ_SAVE: save(w, m); return true;
	case REQ_COPY: copy(w, m); return true;
	case REQ_PIPE: pipe_to(w, m); return true;
	case REQ_IOCS: ks_iocview_open(w, m->r, &m->c, m->r->subject); return true;
	case REQ_DECODED:
	case REQ_HEX: part_view(w, m, req == REQ_HEX); return true;
	case REQ_SEARCH:
		if (ks_wb_ask_search(w))
			search(w, m, 1);
		break;
	case REQ_SEARCH_NEXT:
	case REQ_SEARCH_PREV:
		if (w->search)
			search(w, m, req == REQ_SEARCH_NEXT ? 1 : -1);
		break;
	default: return false;
	}
	p = &m->panes[m->focus];
	if (p->rows) {
		if (p->sel >= (int)p->rows->len)
			p->sel = (int)p->rows->len - 1;
		if (p->sel < 0)
			p->sel = 0;
	}
	return true;
}

static void msgview_click(wb *w, view *v, int y, int x)
{
	msgview *m = v->data;
	for (int i = 0; i < P_COUNT; i++) {
		pane *p = &m->panes[i];
		if (p->h > 0 && y >= p->y && y < p->y + p->h && x >= p->x && x < p->x + p->w) {
			m->focus = i;
			int r = p->top + (y - p->y - 1);
			if (y > p->y && y < p->y + p->h - 1 && r < (int)p->rows->len)
				p->sel = r;
			return;
		}
	}
}

static void msgview_free(void *data)
{
	msgview *m = data;
	for (int i = 0; i < P_COUNT; i++)
		if (m->panes[i].rows)
			g_ptr_array_unref(m->panes[i].rows);
	if (m->owned)
		ks_report_free(m->r);
	ks_msgcase_clear(&m->c);
	g_free(m);
}

static const view_ops msgview_ops = {"message", msgview_draw, msgview_key, msgview_click,
                                     msgview_free, false, NULL};

void ks_msgview_open_source(wb *w, ks_report *r, bool owned, int depth, const ks_msg_source *src)
{
	msgview *m = g_new0(msgview, 1);
	m->r = r;
	m->owned = owned;
	m->depth = depth;
	m->focus = P_FINDINGS;
	ks_msgcase_init(w, &m->c, src);
	ks_wb_push(w, &msgview_ops, m);
}

void ks_msgview_open(wb *w, ks_report *r, bool owned, int depth)
{
	ks_msgview_open_source(w, r, owned, depth, NULL);
}

void ks_msgview_open_mailbox_message(wb *w, const char *path, int index, const ks_context *ctx)
{
	GError *err = NULL;
	ks_mailbox *mb = ks_mailbox_open(path, &err);
	if (!mb) {
		ks_wb_status(w, _("%s: %s"), path, err->message);
		g_error_free(err);
		return;
	}
	char *where = NULL;
	GBytes *raw;
	ks_report *r = NULL;
	while ((raw = ks_mailbox_next(mb, &where))) {
		if (ks_mailbox_index(mb) == index) {
			r = ks_analyze_bytes(raw, where, ks_mailbox_format(mb), ctx, &err);
			/* the panes keep the raw bytes: `a` adds the message to a case */
			ks_msg_source src = {.raw = raw, .path = where, .format = ks_mailbox_format(mb)};
			if (r)
				ks_msgview_open_source(w, r, true, 0, &src);
			g_bytes_unref(raw);
			g_free(where);
			break;
		}
		g_bytes_unref(raw);
		g_clear_pointer(&where, g_free);
	}
	ks_mailbox_close(mb);
	if (!r) {
		ks_wb_status(w, _("message %d: %s"), index, err ? err->message : "gone from the mailbox");
		g_clear_error(&err);
	}
}
