/* Reading CSS for hidden text (html_style.h).  Declarations are split at
 * ';' and ':' (CSS Syntax Level 3 declarations, without escapes: a mail's
 * inline styles never need them), values lower-cased and "!important"
 * dropped.  The ways of hiding text are the ones phishing mail uses to
 * fill a word with junk a filter reads and a person does not ("A<span
 * style=display:none>X34QD</span>mazon"), as listed in the anti-spam
 * literature on "hidden text" (SpamAssassin's HTML_FONT_LOW_CONTRAST,
 * HTML_TEXT_INVISIBLE* rules) and in phishing kits: display:none,
 * visibility:hidden, opacity:0, font-size:0 (or 1px), zero height or
 * width with overflow:hidden, positioning far off the page, and text in
 * the background's colour. */
#include "mail/html_style.h"

#include <string.h>

/* A style sheet longer than this is read only this far. */
#define SHEET_BYTES_MAX (256 * 1024)
/* Offsets (CSS px) beyond which an element is off the page: kits use
 * -9999px; no layout puts text 500px left of or above the page. */
#define OFFSCREEN_PX (-500.0)
/* A font this small (1px, or 1pt = 4/3 px) shows nothing legible. */
#define TINY_FONT 1.0
/* Colours within this distance per channel look the same. */
#define COLOR_CLOSE 12

struct ks_css_sheet {
	GHashTable *hiding;      /* class name -> how (static) */
	GHashTable *bg_classes;  /* class names whose rule sets a background */
	bool other_backgrounds;  /* a background set by another kind of selector */
};

typedef struct {
	bool display_none, visibility_hidden, visibility_visible, opacity_zero;
	bool font_zero, font_readable;
	bool zero_height, zero_width, overflow_hidden;
	bool positioned, off_page, indent_off;
	bool has_color, clear_text;
	guint32 color;
	ks_bg_kind bg;
	guint32 bg_color;
} decls;

/* ---- values --------------------------------------------------------------- */

typedef struct {
	const char *name;
	guint32 rgb;
} named_color;

/* CSS Color Module Level 4 named colours: the basic ones, and the near
 * whites and greys a page background or a "hidden" text colour uses. */
static const named_color named_colors[] = {
	{"black", 0x000000},       {"white", 0xFFFFFF},       {"red", 0xFF0000},
	{"green", 0x008000},       {"blue", 0x0000FF},        {"yellow", 0xFFFF00},
	{"gray", 0x808080},        {"grey", 0x808080},        {"silver", 0xC0C0C0},
	{"maroon", 0x800000},      {"navy", 0x000080},        {"purple", 0x800080},
	{"teal", 0x008080},        {"olive", 0x808000},       {"lime", 0x00FF00},
	{"aqua", 0x00FFFF},        {"fuchsia", 0xFF00FF},     {"orange", 0xFFA500},
	{"whitesmoke", 0xF5F5F5},  {"snow", 0xFFFAFA},        {"ivory", 0xFFFFF0},
	{"ghostwhite", 0xF8F8FF},  {"floralwhite", 0xFFFAF0}, {"linen", 0xFAF0E6},
	{"seashell", 0xFFF5EE},    {"azure", 0xF0FFFF},       {"mintcream", 0xF5FFFA},
	{"aliceblue", 0xF0F8FF},   {"honeydew", 0xF0FFF0},    {"lightgray", 0xD3D3D3},
	{"lightgrey", 0xD3D3D3},   {"gainsboro", 0xDCDCDC},   {"darkgray", 0xA9A9A9},
	{"darkgrey", 0xA9A9A9},    {"dimgray", 0x696969},     {"dimgrey", 0x696969},
};

static int hex1(char c)
{
	return g_ascii_xdigit_value(c);
}

/* Reads up to three or four numbers of rgb()/rgba(): "0-255" or "n%"
 * channels, the fourth an alpha ("0.5" or "50%"). */
static bool parse_rgb_function(const char *v, guint32 *out, bool *clear)
{
	const char *p = strchr(v, '(');
	if (!p)
		return false;
	p++;
	double ch[4] = {0, 0, 0, 1};
	int n = 0;
	while (*p && *p != ')' && n < 4) {
		while (*p == ' ' || *p == ',' || *p == '/')
			p++;
		char *end = NULL;
		double d = g_ascii_strtod(p, &end);
		if (end == p)
			return false;
		if (*end == '%') {
			d = n < 3 ? d * 2.55 : d / 100.0;
			end++;
		}
		ch[n++] = d;
		p = end;
	}
	if (n < 3)
		return false;
	guint32 rgb = 0;
	for (int i = 0; i < 3; i++)
		rgb = rgb << 8 | (guint32)CLAMP(ch[i], 0.0, 255.0);
	*out = rgb;
	*clear = ch[3] <= 0.0;
	return true;
}

/* A CSS colour value: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba(), a
 * named colour or "transparent".  *clear is set for a fully transparent
 * one.  False for anything else (currentColor, var(), hsl()). */
static bool parse_color(const char *v, guint32 *out, bool *clear)
{
	*clear = false;
	while (*v == ' ')
		v++;
	if (*v == '#') {
		size_t n = strspn(v + 1, "0123456789abcdefABCDEF");
		const char *h = v + 1;
		if (n == 3 || n == 4) {
			*out = (guint32)(hex1(h[0]) * 17) << 16 | (guint32)(hex1(h[1]) * 17) << 8 |
			       (guint32)(hex1(h[2]) * 17);
			*clear = n == 4 && hex1(h[3]) == 0;
			return true;
		}
		if (n == 6 || n == 8) {
			guint32 v6 = 0;
			for (int i = 0; i < 6; i++)
				v6 = v6 << 4 | (guint32)hex1(h[i]);
			*out = v6;
			*clear = n == 8 && hex1(h[6]) == 0 && hex1(h[7]) == 0;
			return true;
		}
		return false;
	}
	if (g_str_has_prefix(v, "rgb"))
		return parse_rgb_function(v, out, clear);
	if (g_str_has_prefix(v, "transparent")) {
		*out = 0;
		*clear = true;
		return true;
	}
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz");
	for (size_t i = 0; n && i < G_N_ELEMENTS(named_colors); i++)
		if (strlen(named_colors[i].name) == n && strncmp(v, named_colors[i].name, n) == 0) {
			*out = named_colors[i].rgb;
			return true;
		}
	return false;
}

bool ks_css_colors_close(guint32 a, guint32 b)
{
	for (int shift = 0; shift < 24; shift += 8) {
		int d = (int)((a >> shift) & 0xFF) - (int)((b >> shift) & 0xFF);
		if (d > COLOR_CLOSE || d < -COLOR_CLOSE)
			return false;
	}
	return true;
}

/* A length in CSS px ("0", "-9999px", "-600pt", "-50em" at 16px/em); an
 * unknown unit leaves *unit_known false. */
static double parse_length(const char *v, bool *unit_known, bool *is_zero)
{
	char *end = NULL;
	double d = g_ascii_strtod(v, &end);
	*unit_known = false;
	*is_zero = end != v && d == 0.0;
	if (end == v)
		return 0.0;
	while (*end == ' ')
		end++;
	if (!*end || g_str_has_prefix(end, "px")) {
		*unit_known = true;
		return d;
	}
	if (g_str_has_prefix(end, "pt")) {
		*unit_known = true;
		return d * 4.0 / 3.0;
	}
	if (g_str_has_prefix(end, "em") || g_str_has_prefix(end, "rem")) {
		*unit_known = true;
		return d * 16.0;
	}
	return d;
}

/* ---- declarations ------------------------------------------------------------ */

static void read_background(decls *d, const char *v)
{
	if (strstr(v, "url(") || strstr(v, "gradient(")) {
		d->bg = KS_BG_UNKNOWN;
		return;
	}
	g_auto(GStrv) tokens = g_strsplit_set(v, " ", -1);
	for (char **t = tokens; *t; t++) {
		if (!**t)
			continue;
		guint32 c = 0;
		bool clear = false;
		if (parse_color(*t, &c, &clear)) {
			if (clear)
				return; /* transparent: the parent's shows through */
			d->bg = KS_BG_COLOR;
			d->bg_color = c;
			return;
		}
		if (strcmp(*t, "none") != 0 && strcmp(*t, "inherit") != 0 && strcmp(*t, "initial") != 0)
			d->bg = KS_BG_UNKNOWN;
	}
}

static void read_decl(decls *d, const char *prop, const char *v)
{
	bool known = false, zero = false;
	if (strcmp(prop, "display") == 0) {
		d->display_none = g_str_has_prefix(v, "none");
	} else if (strcmp(prop, "visibility") == 0) {
		d->visibility_hidden = g_str_has_prefix(v, "hidden") || g_str_has_prefix(v, "collapse");
		d->visibility_visible = g_str_has_prefix(v, "visible");
	} else if (strcmp(prop, "opacity") == 0) {
		char *end = NULL;
		double o = g_ascii_strtod(v, &end);
		d->opacity_zero = end != v && o <= 0.0;
	} else if (strcmp(prop, "font-size") == 0) {
		double px = parse_length(v, &known, &zero);
		d->font_zero = zero || (known && px >= 0.0 && px <= TINY_FONT * 4.0 / 3.0);
		/* a size of its own (px, pt, rem, a keyword) shows again inside a
		 * zero-size parent; em and % are of the parent's size */
		d->font_readable = !d->font_zero && (strstr(v, "px") || strstr(v, "pt") ||
		                                     strstr(v, "rem") || g_ascii_isalpha(*v));
	} else if (strcmp(prop, "height") == 0 || strcmp(prop, "max-height") == 0) {
		parse_length(v, &known, &zero);
		d->zero_height = d->zero_height || zero;
	} else if (strcmp(prop, "width") == 0 || strcmp(prop, "max-width") == 0) {
		parse_length(v, &known, &zero);
		d->zero_width = d->zero_width || zero;
	} else if (strcmp(prop, "overflow") == 0) {
		d->overflow_hidden = g_str_has_prefix(v, "hidden");
	} else if (strcmp(prop, "position") == 0) {
		d->positioned = g_str_has_prefix(v, "absolute") || g_str_has_prefix(v, "fixed");
	} else if (strcmp(prop, "left") == 0 || strcmp(prop, "top") == 0) {
		double px = parse_length(v, &known, &zero);
		d->off_page = d->off_page || (known && px <= OFFSCREEN_PX);
	} else if (strcmp(prop, "text-indent") == 0) {
		double px = parse_length(v, &known, &zero);
		d->indent_off = known && px <= OFFSCREEN_PX;
	} else if (strcmp(prop, "color") == 0) {
		guint32 c = 0;
		bool clear = false;
		if (parse_color(v, &c, &clear)) {
			d->has_color = true;
			d->color = c;
			d->clear_text = clear;
		}
	} else if (strcmp(prop, "background-color") == 0 || strcmp(prop, "background") == 0 ||
	           strcmp(prop, "background-image") == 0) {
		read_background(d, v);
	}
}

/* Reads "prop: value; prop: value" into d. */
static void read_decls(decls *d, const char *css, size_t len)
{
	g_autofree char *text = g_ascii_strdown(css, (gssize)len);
	g_auto(GStrv) parts = g_strsplit(text, ";", -1);
	for (char **p = parts; *p; p++) {
		char *colon = strchr(*p, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *prop = g_strstrip(*p);
		char *v = g_strstrip(colon + 1);
		char *bang = strstr(v, "!important");
		if (bang)
			*bang = '\0';
		g_strstrip(v);
		if (*prop && *v)
			read_decl(d, prop, v);
	}
}

/* How the declarations hide text for good (nothing inside can show
 * again), or NULL.  font-size and visibility are inherited but a child may
 * set them back, so they are read apart (ks_css_box.font, .visibility). */
static const char *hiding_of(const decls *d)
{
	if (d->display_none)
		return "display:none";
	if (d->opacity_zero)
		return "opacity:0";
	if ((d->zero_height || d->zero_width) && d->overflow_hidden)
		return "zero size with overflow:hidden";
	if (d->positioned && d->off_page)
		return "positioned off the page";
	if (d->indent_off)
		return KS_CSS_TEXT_INDENTED;
	return NULL;
}

/* ---- style sheets ------------------------------------------------------------ */

ks_css_sheet *ks_css_sheet_new(void)
{
	ks_css_sheet *s = g_new0(ks_css_sheet, 1);
	s->hiding = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->bg_classes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return s;
}

void ks_css_sheet_free(ks_css_sheet *s)
{
	if (!s)
		return;
	g_hash_table_destroy(s->hiding);
	g_hash_table_destroy(s->bg_classes);
	g_free(s);
}

bool ks_css_sheet_sets_backgrounds(const ks_css_sheet *s)
{
	return s && s->other_backgrounds;
}

/* The class of a plain class selector (".x", "span.x"), or NULL. */
static char *plain_class(const char *sel)
{
	g_autofree char *t = g_strstrip(g_strdup(sel));
	const char *p = t;
	while (g_ascii_isalnum(*p))
		p++;
	if (*p != '.')
		return NULL;
	const char *name = ++p;
	while (g_ascii_isalnum(*p) || *p == '-' || *p == '_')
		p++;
	if (*p || p == name)
		return NULL;
	return g_strdup(name);
}

static void add_rule(ks_css_sheet *s, const char *selectors, size_t slen, const char *body,
                     size_t blen)
{
	decls d = {0};
	read_decls(&d, body, blen);
	const char *how = hiding_of(&d);
	bool bg = d.bg != KS_BG_INHERIT;
	if (!how && !bg)
		return;
	g_autofree char *sel = g_strndup(selectors, slen);
	g_auto(GStrv) list = g_strsplit(sel, ",", -1);
	for (char **p = list; *p; p++) {
		char *cls = plain_class(*p);
		if (!cls) {
			/* "body", "#box", ".a td": whose background it is cannot
			 * be told without a cascade */
			s->other_backgrounds = s->other_backgrounds || bg;
			continue;
		}
		if (bg)
			g_hash_table_add(s->bg_classes, g_strdup(cls));
		if (how)
			g_hash_table_replace(s->hiding, cls, (gpointer)how);
		else
			g_free(cls);
	}
}

/* The CSS with comments blanked out. */
static char *without_comments(const char *css, size_t len)
{
	char *out = g_strndup(css, len);
	for (char *p = out; (p = strstr(p, "/*"));) {
		char *end = strstr(p + 2, "*/");
		char *stop = end ? end + 2 : p + strlen(p);
		memset(p, ' ', (size_t)(stop - p));
		p = stop;
	}
	return out;
}

void ks_css_sheet_add(ks_css_sheet *s, const char *css)
{
	if (!s || !css)
		return;
	g_autofree char *text = without_comments(css, strnlen(css, SHEET_BYTES_MAX));
	const char *p = text;
	while (*p) {
		const char *open = strchr(p, '{');
		if (!open)
			break;
		const char *sel = p;
		while (sel < open && g_ascii_isspace(*sel))
			sel++;
		if (*sel == '@') {
			/* an at-rule's block (@media, @font-face, @supports): skipped
			 * whole, nested blocks and all */
			int depth = 0;
			const char *q = open;
			for (; *q; q++) {
				if (*q == '{')
					depth++;
				else if (*q == '}' && --depth == 0)
					break;
			}
			p = *q ? q + 1 : q;
			continue;
		}
		const char *close = strchr(open + 1, '}');
		if (!close)
			break;
		add_rule(s, sel, (size_t)(open - sel), open + 1, (size_t)(close - open - 1));
		p = close + 1;
	}
}

/* ---- elements ------------------------------------------------------------------- */

static char *prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = g_strdup((const char *)v);
	xmlFree(v);
	return s;
}

static bool named(const xmlNode *n, const char *name)
{
	return n->name && g_ascii_strcasecmp((const char *)n->name, name) == 0;
}

void ks_css_read_element(xmlNode *n, const ks_css_sheet *sheet, ks_css_box *out)
{
	memset(out, 0, sizeof *out);
	decls d = {0};
	g_autofree char *style = prop(n, "style");
	if (style)
		read_decls(&d, style, strlen(style));
	g_autofree char *bgcolor = prop(n, "bgcolor");
	if (bgcolor && d.bg == KS_BG_INHERIT) {
		g_autofree char *low = g_ascii_strdown(g_strstrip(bgcolor), -1);
		bool clear = false;
		guint32 c = 0;
		if (parse_color(low, &c, &clear)) {
			if (!clear) {
				d.bg = KS_BG_COLOR;
				d.bg_color = c;
			}
		} else if (*low) {
			d.bg = KS_BG_UNKNOWN;
		}
	}
	if (xmlHasProp(n, (const xmlChar *)"background"))
		d.bg = KS_BG_UNKNOWN;
	if (named(n, "font") && !d.has_color) {
		g_autofree char *color = prop(n, "color");
		if (color) {
			g_autofree char *low = g_ascii_strdown(g_strstrip(color), -1);
			bool clear = false;
			guint32 c = 0;
			if (parse_color(low, &c, &clear)) {
				d.has_color = true;
				d.color = c;
				d.clear_text = clear;
			}
		}
	}
	out->hides = hiding_of(&d);
	out->font = d.font_zero ? -1 : d.font_readable ? 1 : 0;
	out->visibility = d.visibility_hidden ? -1 : d.visibility_visible ? 1 : 0;
	if (!out->hides && xmlHasProp(n, (const xmlChar *)"hidden"))
		out->hides = "hidden attribute";
	if (sheet && (g_hash_table_size(sheet->hiding) || g_hash_table_size(sheet->bg_classes))) {
		g_autofree char *cls = prop(n, "class");
		g_auto(GStrv) names = cls ? g_strsplit_set(cls, " \t\r\n", -1) : NULL;
		for (char **c = names; c && *c; c++) {
			if (!**c)
				continue;
			if (!out->hides)
				out->hides = g_hash_table_lookup(sheet->hiding, *c);
			/* a class's background under an inline one: unknown colour */
			if (d.bg == KS_BG_INHERIT && g_hash_table_contains(sheet->bg_classes, *c))
				d.bg = KS_BG_UNKNOWN;
		}
	}
	out->has_color = d.has_color;
	out->color = d.color;
	out->clear_text = d.clear_text;
	out->bg = d.bg;
	out->bg_color = d.bg_color;
}
