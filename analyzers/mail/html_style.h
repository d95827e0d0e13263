/* What an HTML element's presentation says about whether its text is seen:
 * the inline style attribute, the hidden attribute, <font color>, bgcolor
 * and background attributes, and class rules from the document's <style>
 * elements.  Read by html.c's text walk (hidden text is dropped from the
 * shown text and reported); never a renderer, no cascade beyond what
 * hiding needs: rules at the top level of a style sheet with a plain class
 * selector (".x", "span.x"), never inside @media (responsive mail hides
 * its desktop or mobile copy there, and either copy is real text). */
#ifndef KS_HTML_STYLE_H
#define KS_HTML_STYLE_H

#include <glib.h>
#include <libxml/tree.h>
#include <stdbool.h>

typedef enum {
	KS_BG_INHERIT, /* the element sets no background */
	KS_BG_COLOR,   /* a solid colour (bg_color) */
	KS_BG_UNKNOWN, /* an image, or a colour we cannot read */
} ks_bg_kind;

/* ks_css_box.hides for text pushed off the page by text-indent: the
 * element's own box, its background picture, still shows. */
#define KS_CSS_TEXT_INDENTED "text pushed off the page by text-indent"

typedef struct {
	const char *hides;  /* how the element hides its content for good
	                       ("display:none", "opacity:0", ...: nothing
	                       inside can show again), or NULL */
	int font;           /* font size: 0 not set here, -1 zero or tiny,
	                       1 readable (a child of a font-size:0 cell, the
	                       usual way to close gaps between columns, shows) */
	int visibility;     /* 0 not set here, -1 hidden, 1 visible again */
	bool has_color;     /* the element sets its text colour */
	guint32 color;      /* 0xRRGGBB */
	bool clear_text;    /* the text colour is transparent */
	ks_bg_kind bg;
	guint32 bg_color;
} ks_css_box;

/* The class rules of a document's style sheets. */
typedef struct ks_css_sheet ks_css_sheet;

ks_css_sheet *ks_css_sheet_new(void);
void ks_css_sheet_free(ks_css_sheet *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_css_sheet, ks_css_sheet_free)
/* Reads one <style> element's text (bounded: at most 256 KiB are read). */
void ks_css_sheet_add(ks_css_sheet *s, const char *css);
/* True when a rule of the sheets sets a background: text colours can then
 * not be judged against the default white page. */
bool ks_css_sheet_sets_backgrounds(const ks_css_sheet *s);

/* How element n presents its content, given the document's sheet (may be
 * NULL). */
void ks_css_read_element(xmlNode *n, const ks_css_sheet *sheet, ks_css_box *out);

/* Do two colours look the same to a reader (each channel within 12 of
 * 255)?  White text on #F5F5F5 is as unreadable as on white. */
bool ks_css_colors_close(guint32 a, guint32 b);

#endif
