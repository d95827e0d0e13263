/* Payload analyzer for calendar invites (iCalendar, RFC 5545): a row of the
 * payload table in attachments.c.  The invite's text properties
 * (DESCRIPTION, its HTML twin X-ALT-DESC, LOCATION, SUMMARY) and its URI
 * properties (URL, ATTACH, CONFERENCE and the vendors' meeting-URL
 * extensions) are read for links, which join the mail's links at the
 * invite's part; links to places that are neither the organiser's, the
 * sender's nor a meeting service's raise attachment.calendar_link.  Files
 * attached inline (ATTACH;VALUE=BINARY) become children. */
#ifndef KS_ICS_H
#define KS_ICS_H

#include "payloads/part_walk.h"

typedef struct {
	char *property; /* where it was found: "DESCRIPTION", "URL", ... */
	char *url;
} ks_ics_link;

typedef struct {
	char *name; /* X-FILENAME / FILENAME parameter, or NULL */
	char *type; /* FMTTYPE parameter, or NULL */
	GBytes *data;
} ks_ics_file;

typedef struct {
	char *method;      /* METHOD (REQUEST, PUBLISH, CANCEL ...), or NULL */
	char *organizer;   /* ORGANIZER's address, mailto: removed, or NULL */
	char *summary;     /* the first event's SUMMARY, or NULL */
	char *description; /* the first DESCRIPTION (text, HTML made text), or NULL */
	int events;        /* VEVENT, VTODO and VJOURNAL components */
	GPtrArray *links;  /* ks_ics_link*, each URL once */
	GPtrArray *files;  /* ks_ics_file* */
	bool truncated;    /* a limit was hit; what follows was not read */
} ks_ics;

/* Reads an iCalendar object from bytes (any charset is taken as UTF-8, as
 * RFC 5545 3.1.4 says it is; bad bytes are kept for the sanitizer).  NULL
 * when the bytes hold no BEGIN:VCALENDAR. */
ks_ics *ks_ics_read(const char *data, gsize len);
void ks_ics_free(ks_ics *ics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_ics, ks_ics_free)

/* text/calendar or application/ics by type, .ics/.ical/.ifb/.vcs by name, or
 * BEGIN:VCALENDAR at the start. */
bool ks_ics_accepts(const ks_attachment *a);
/* Adds the invite's metadata, links (r->links at "part:PATH"), files as
 * children, and attachment.calendar_link. */
void ks_ics_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_ics_payload;

#endif
