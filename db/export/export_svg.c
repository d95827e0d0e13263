/* The case timeline as a picture, for the HTML export: inline SVG (SVG 1.1,
 * drawn with lines, circles and text only: no script, no link, no image,
 * nothing fetched; the page's CSP forbids those anyway).  One row per lane
 * (domains registered, messages, Received hops, documents, notes), one dot
 * per event with its time and text as a <title> tooltip, labels beside the
 * events that matter (a registration, a document, the moment a lookalike
 * enters, drawn red with a dashed line across the rows).
 *
 * Time runs left to right on a scale with long quiet stretches shortened
 * (a registration weeks before a burst of mail would otherwise squeeze the
 * burst into one pixel): a gap longer than a share of the whole is capped
 * and drawn with a break mark on the axis.  Every string is escaped for XML
 * here, once, and defanged like the rest of the document. */
#include "export/export_private.h"

#include "core/i18n.h"
#include "output/writers.h"

#include <string.h>

#define WIDTH 960
#define LEFT 118  /* the lane labels' column */
#define RIGHT 940 /* where the time axis ends */
#define TOP 24
#define LANE 58   /* one lane's height */
#define LABEL_MAX 42

/* A gap longer than this share of all (capped) gaps is capped to it. */
#define GAP_SHARE 0.18
/* and never below an hour: a mail's hops seconds apart stay apart */
#define GAP_FLOOR 3600.0

static const char *const lane_titles[] = {N_("Domains registered"), N_("Messages"),
                                          N_("Route (hops)"), N_("Documents"), N_("Notes")};
G_STATIC_ASSERT(G_N_ELEMENTS(lane_titles) == KS_LANE_COUNT);

static void text(GString *o, const char *s)
{
	g_autofree char *d = ks_defang_text(s ? s : "");
	g_autofree char *e = g_markup_escape_text(d, -1);
	g_string_append(o, e);
}

/* s cut to n characters with an ellipsis */
static char *shorten(const char *s, glong n)
{
	if (g_utf8_strlen(s, -1) <= n)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, n - 1);
	return g_strconcat(head, "…", NULL);
}

typedef struct {
	double *at;    /* per event: its x */
	bool *broken;  /* per event: a capped gap lies just before it */
} scale;

static scale scale_build(const GPtrArray *events)
{
	guint n = events->len;
	scale s = {g_new0(double, n), g_new0(bool, n)};
	if (!n)
		return s;
	g_autofree double *gap = g_new0(double, n);
	double sum = 0;
	for (guint i = 1; i < n; i++) {
		const ks_export_event *a = g_ptr_array_index(events, i - 1);
		const ks_export_event *b = g_ptr_array_index(events, i);
		gap[i] = (double)g_date_time_difference(b->time, a->time) / G_TIME_SPAN_SECOND;
		sum += gap[i];
	}
	/* the cap settles in a few rounds: each round measures the capped sum */
	double cap = MAX(GAP_FLOOR, GAP_SHARE * sum);
	for (int round = 0; round < 4; round++) {
		double capped = 0;
		for (guint i = 1; i < n; i++)
			capped += MIN(gap[i], cap);
		cap = MAX(GAP_FLOOR, GAP_SHARE * capped);
	}
	double total = 0;
	for (guint i = 1; i < n; i++)
		total += MIN(gap[i], cap);
	double x = 0;
	for (guint i = 0; i < n; i++) {
		if (i) {
			x += MIN(gap[i], cap);
			s.broken[i] = gap[i] > cap;
		}
		s.at[i] = total > 0 ? LEFT + 12 + (RIGHT - LEFT - 24) * x / total
		                    : (LEFT + RIGHT) / 2.0;
	}
	return s;
}

static void scale_free(scale *s)
{
	g_free(s->at);
	g_free(s->broken);
}

void ks_export_svg_timeline(GString *o, const GPtrArray *events)
{
	/* only the lanes that have something, in their fixed order */
	int row[KS_LANE_COUNT], rows = 0;
	for (int l = 0; l < KS_LANE_COUNT; l++) {
		row[l] = -1;
		for (guint i = 0; i < events->len && row[l] < 0; i++)
			if (((const ks_export_event *)g_ptr_array_index(events, i))->lane == (ks_lane)l)
				row[l] = rows++;
	}
	if (!rows)
		return;
	int axis = TOP + rows * LANE;
	int height = axis + 44;
	scale s = scale_build(events);
	g_string_append_printf(o,
	                       "<svg class=\"timeline\" "
	                       "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">\n"
	                       "<title>",
	                       WIDTH, height, WIDTH, height);
	text(o, _("Case timeline"));
	g_string_append(o, "</title>\n");
	for (int l = 0; l < KS_LANE_COUNT; l++) {
		if (row[l] < 0)
			continue;
		int y = TOP + row[l] * LANE + LANE / 2;
		g_string_append_printf(o,
		                       "<line class=\"lane\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		                       "<text class=\"lanename\" x=\"4\" y=\"%d\">",
		                       LEFT, y, RIGHT, y, y + 4);
		text(o, _(lane_titles[l]));
		g_string_append(o, "</text>\n");
	}
	g_string_append_printf(o, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
	                       LEFT, axis, RIGHT, axis);
	double last_tick = -1000;
	for (guint i = 0; i < events->len; i++) {
		const ks_export_event *e = g_ptr_array_index(events, i);
		double x = s.at[i];
		int y = TOP + row[e->lane] * LANE + LANE / 2;
		if (s.broken[i] && i) {
			/* a shortened stretch: a break mark halfway from the last event */
			double bx = (s.at[i - 1] + x) / 2;
			g_string_append_printf(o,
			                       "<path class=\"break\" d=\"M%.1f %d l4 -8 M%.1f %d l4 -8\"/>\n",
			                       bx - 4, axis + 4, bx, axis + 4);
		}
		if (e->alert)
			g_string_append_printf(o,
			                       "<line class=\"alertline\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
			                       "y2=\"%d\"/>\n",
			                       x, TOP, x, axis);
		g_autofree char *when = ks_time_format(e->time);
		g_string_append_printf(o, "<circle class=\"lane%d%s\" cx=\"%.1f\" cy=\"%d\" r=\"%d\"><title>",
		                       (int)e->lane, e->alert ? " alert" : "", x, y, e->alert ? 7 : 5);
		text(o, when);
		g_string_append(o, "  ");
		text(o, e->text);
		g_string_append(o, "</title></circle>\n");
		/* labels where a reader needs them; alternate above and below */
		if (e->alert || e->lane == KS_LANE_DOMAINS || e->lane == KS_LANE_DOCUMENTS) {
			g_autofree char *label = shorten(e->text, LABEL_MAX);
			/* in the right half the label runs leftwards, so it stays inside */
			bool right = x > (LEFT + RIGHT) / 2.0;
			g_string_append_printf(o,
			                       "<text class=\"label%s\" x=\"%.1f\" y=\"%d\"%s>",
			                       e->alert ? " alert" : "", right ? x - 8 : x + 8,
			                       y + (i % 2 ? 18 : -10), right ? " text-anchor=\"end\"" : "");
			text(o, label);
			g_string_append(o, "</text>\n");
		}
		/* a time on the axis for the first, the last and what matters */
		if ((i == 0 || i + 1 == events->len || e->alert) && x - last_tick > 120) {
			g_autofree char *tick = g_date_time_format(e->time, "%Y-%m-%d %H:%M");
			g_string_append_printf(o,
			                       "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
			                       "y2=\"%d\"/><text class=\"ticklabel\" x=\"%.1f\" y=\"%d\" "
			                       "text-anchor=\"%s\">",
			                       x, axis, x, axis + 6, x, axis + 20,
			                       x > RIGHT - 60 ? "end" : x < LEFT + 60 ? "start" : "middle");
			text(o, tick);
			g_string_append(o, "</text>\n");
			last_tick = x;
		}
	}
	g_string_append(o, "</svg>\n");
	scale_free(&s);
}
