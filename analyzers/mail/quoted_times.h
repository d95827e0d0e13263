/* The times of the mails a body quotes or answers, read from the quoted
 * headers mail clients write ("On ... wrote:", "-----Original Message-----
 * ... Sent:", "差出人: ... 送信日時:").  Used by pdf.c's forged-document
 * timeline; the label list is data (analyzers/data/quoted_headers.txt). */
#ifndef KS_QUOTED_TIMES_H
#define KS_QUOTED_TIMES_H

#include <glib.h>
#include <stdbool.h>

/* One date and time as clients print it in quoted headers: "Tuesday,
 * December 10, 2024 11:05 AM", "Mon, 4 Dec 2023 10:15:00 +0900",
 * "2024年12月10日 11:05", "2023/12/04 (月) 10:15" (full-width digits too).
 * A written offset is kept; without one the time is taken in fallback (UTC
 * when NULL).  NULL when no date with a time is found. g_date_time_unref. */
GDateTime *ks_quoted_time_parse(const char *s, GTimeZone *fallback);

/* Every quoted message time in body, in order of appearance (GDateTime*,
 * the array unrefs them).  fallback_date gives the offset for times written
 * without one (a reply's quoted "Sent:" is in the replier's zone; the
 * message Date is the best guess).  Never NULL. */
GPtrArray *ks_quoted_times_extract(const char *body, GDateTime *fallback_date);
/* The zone for quoted times written without an offset: fallback_date's
 * fixed offset, UTC when NULL.  g_time_zone_unref. */
GTimeZone *ks_quoted_fallback_zone(GDateTime *fallback_date);

/* True when the subject's first prefix marks a forward ("Fwd:", "FW:",
 * "転送:"), whose attachments belong to the forwarded mail. */
bool ks_quoted_is_forward(const char *subject);

/* What a line of a quoted header block is, by quoted_headers.txt: a
 * separator ("-----Original Message-----"), the From or Sent line of an
 * Outlook-style block (*value: the text after the label), or an
 * attribution ("On ... wrote:").  The one reader of that file's labels,
 * for the PDF timeline here and the thread analyzer. */
typedef enum {
	KS_QUOTED_OTHER,
	KS_QUOTED_SEPARATOR,
	KS_QUOTED_FROM,
	KS_QUOTED_SENT,
	KS_QUOTED_ATTRIBUTION,
} ks_quoted_line;
ks_quoted_line ks_quoted_classify(const char *line, const char **value);

/* A quoted line without its "> > " quoting and leading blanks (a pointer
 * into line). */
const char *ks_quoted_unquote(const char *line);
/* The value after "LABEL:", "LABEL :" or "LABEL：" (full-width colon) at the
 * start of s, the label matched ASCII case-insensitively; else NULL. */
const char *ks_quoted_after_label(const char *s, const char *label);

#endif
