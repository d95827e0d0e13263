/* The attachment walk as the payload analyzers see it: the node they
 * read, the report they add to, the budgets they spend and the children
 * they add.  It depends on the report and the context only, so a payload
 * analyzer's header includes this, never attachments.h (whose table lists
 * the analyzers: the other way round would be a loop). */
#ifndef KS_PART_WALK_H
#define KS_PART_WALK_H

#include "core/context.h"
#include "payloads/passwords.h"
#include "core/report.h"

#include <stdint.h>

/* Format analyzers (pdf.c, archives.c, lnk.c, html_attachment.c, office.c,
 * ics.c, svg.c, qr.c) look inside one attachment node during the walk.  Each is a row of
 * the table in attachments.c: accepts() decides by type/name/magic,
 * expand() adds metadata, findings, IOCs, timeline events and child nodes. */
typedef struct ks_part_walk ks_part_walk;

typedef struct {
	const char *name;
	bool (*accepts)(const ks_attachment *a);
	void (*expand)(ks_part_walk *w, ks_attachment *a, int depth);
	bool own_parser; /* also runs when only kensa's own parsers may read (see below) */
} ks_payload_analyzer;

/* The report being built (findings, IOCs, timeline; r->date, r->body_text
 * and r->from are already filled). */
ks_report *ks_part_walk_report(ks_part_walk *w);
const ks_context *ks_part_walk_context(ks_part_walk *w);
/* False when only kensa's own parsers may read the attachment: its analysis
 * in the helper was stopped (a budget, a library crash), and it is read
 * again without poppler, libmagic, libarchive, libgsf, libxml2 and libzip. */
bool ks_part_walk_libraries(ks_part_walk *w);
/* Decompressed/extracted bytes still allowed for this message; a container
 * analyzer decreases it by what it extracts and stops at zero. */
int64_t *ks_part_walk_budget(ks_part_walk *w);
/* Picture pixels the QR reader (qr.c) may still decode for this message;
 * it decreases it by what it decodes.  A message starts with
 * KS_PART_WALK_PIXELS: zbar took 50-100 ms per megapixel of a busy picture
 * here (a few ms for a plain one), so a message costs at most about a
 * second of it. */
#define KS_PART_WALK_PIXELS ((int64_t)16 * 1000 * 1000)
int64_t *ks_part_walk_pixels(ks_part_walk *w);
/* Adds a child of a container node (an ISO entry, a PDF's embedded file):
 * path "<parent>/<n>", hashes, libmagic type, the name rules and IOCs, then
 * the child's own content is expanded in turn (bounded nesting).  data may
 * be NULL for an entry that is listed but not read.  NULL when the node
 * limit was hit (already reported). */
ks_attachment *ks_part_walk_add_child(ks_part_walk *w, ks_attachment *parent, const char *raw_name,
                                      const char *declared_type, GBytes *data, int64_t size,
                                      int depth);
/* Appends name, the count-th (from 0), to a finding's ", "-separated list
 * of names; after 10 names one "…" stands for the rest. */
void ks_evidence_append_name(GString *list, int count, const char *name);

/* The tail of an encrypted attachment's evidence about its password:
 * "; the body gives its password "1234" ("Password: 1234"), which opens
 * it" when opened_by (one of hints, ks_passwords_find's) opened it, else a
 * mention of a likely password of hints (that did not open it, when tried),
 * else "".  g_free. */
char *ks_password_evidence(const GPtrArray *hints, const ks_password_hint *opened_by, bool tried);

#endif
