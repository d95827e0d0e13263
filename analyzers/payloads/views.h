/* What a reader wants to see of an attachment beyond its bytes as text and
 * hex (the workbench's decoded views, `d`): a PDF's text page by page and
 * its link annotations, the script an HTML page hides under base64, joined
 * strings, char codes or reversal, an Office document's macro source, and
 * the listing of whatever the part holds (an archive's entries, a PDF's
 * embedded files).  Shown, not judged: the findings are the analyzers'.
 * poppler, libxml2, libgsf and libzip read the part in the analysis helper
 * under the context's budget (helper.h), as they do for the analysis;
 * nothing is run, rendered or fetched. */
#ifndef KS_VIEWS_H
#define KS_VIEWS_H

#include "core/context.h"
#include "core/report.h"
#include "core/wire.h"

#include <glib.h>

typedef struct {
	char *title; /* "PDF text", "PDF links", "Script (joined strings)", "Macro Module1" */
	char *text;  /* UTF-8 as read, lines split by "\n"; not sanitized (the screen's
	                writer does that) */
} ks_part_view;

void ks_part_view_free(ks_part_view *v);

/* The views a's format gives, in the order a reader goes through them: the
 * listing of what it holds first, then the format's own.  Empty when it
 * gives none; a view titled "... not shown" says why when the helper
 * stopped or could not start.  Never NULL (ks_part_view*). */
GPtrArray *ks_part_views(const ks_attachment *a, const ks_context *ctx);

/* The helper's side of KS_JOB_PART_VIEWS (helper.c's job table). */
bool ks_part_views_job(ks_wire_in *in, ks_wire_out *out);

#endif
