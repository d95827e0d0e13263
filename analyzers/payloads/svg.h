/* Payload analyzer for SVG images: a row of the payload table in
 * attachments.c.  An SVG is XML that a browser opens as a page: it can run
 * script, handle events, embed HTML in a foreignObject and link anywhere,
 * which is why phishing mails attach them (voicemail and document lures,
 * 2023-2025).  It is read with libxml2's XML parser (network off, entities
 * not substituted), never rendered.  Raises attachment.svg_active; links
 * join the mail's links at the image's part.  html_scan.c also reads the
 * same file for its script tricks and redirects. */
#ifndef KS_SVG_H
#define KS_SVG_H

#include "payloads/part_walk.h"

typedef struct {
	bool parsed;              /* libxml2 built a tree with an <svg> in it */
	int scripts;              /* <script> elements */
	GPtrArray *script_urls;   /* char*: remote script sources */
	GPtrArray *handlers;      /* char*: event-handler attributes ("onload") */
	int foreign_objects;      /* <foreignObject> elements */
	GPtrArray *foreign_html;  /* char*: HTML elements inside them ("form", "input") */
	int embeds;               /* iframe, embed, object */
	GPtrArray *links;         /* ks_link*: <a> targets and script-like hrefs */
} ks_svg;

/* Reads SVG bytes (at most KS_SVG_BYTES_MAX); never NULL. */
#define KS_SVG_BYTES_MAX (16 << 20)
ks_svg *ks_svg_scan(const char *data, gsize len);
void ks_svg_free(ks_svg *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_svg, ks_svg_free)

/* image/svg+xml by type, .svg by name, or an <svg element in the first KiB. */
bool ks_svg_accepts(const ks_attachment *a);
/* Adds svg_* metadata, the links, and attachment.svg_active. */
void ks_svg_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_svg_payload;

#endif
