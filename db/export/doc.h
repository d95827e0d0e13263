/* The case summary as one document walk (export_doc.c) with two back ends,
 * Markdown and HTML, and two layouts over them: the English one
 * (export_doc.c) and the Japanese one in the shape of a J-CSIP case
 * write-up (export_doc_ja.c).  The pieces both layouts show (the timeline,
 * a message's details, the IOCs by role, the notes) are written once, here,
 * with their labels in the language of the messages (i18n.h). */
#ifndef KS_EXPORT_DOC_H
#define KS_EXPORT_DOC_H

#include "export/export_private.h"

typedef struct doc doc;
struct doc {
	GString *out;
	void (*heading)(doc *d, int level, const char *text);
	void (*para)(doc *d, const char *text);
	/* "key: value", the value free text */
	void (*kv)(doc *d, const char *key, const char *value);
	/* a list item of free text, nested depth levels */
	void (*item)(doc *d, int depth, const char *text);
	/* "label: value" with value shown verbatim as code (already defanged) */
	void (*code_item)(doc *d, const char *label, const char *value);
	void (*end_list)(doc *d);
	/* a table: its header row, then rows of free-text cells */
	void (*table_begin)(doc *d, const char *const *head, int cols);
	void (*table_row)(doc *d, const char *const *cells, int cols);
	void (*table_end)(doc *d);
	/* the timeline as a picture, where the format has pictures */
	void (*picture)(doc *d, const ks_export_data *x);
	bool in_list;
};

/* A time as the document shows it: RFC 3339 in English; in Japanese
 * "2024年12月11日 09:12 (JST)", on Japan's clock. g_free; NULL for NULL. */
char *ks_doc_time(const ks_export_data *x, GDateTime *t);
/* The same for a time stored as RFC 3339 text (a note's, the case's). */
char *ks_doc_time_text(const ks_export_data *x, const char *rfc3339);

/* The timeline under a level-2 heading: the picture, then the table. */
void ks_doc_timeline(doc *d, const ks_export_data *x, const char *heading);
/* One message: a level-3 heading, its details, route, attachments and
 * findings. */
void ks_doc_message(doc *d, const ks_export_data *x, const ks_case_message *m,
                    const ks_report *r);
/* The IOCs, defanged, grouped by whose they are (only the attacker's are
 * for blocking), under a level-2 heading. */
void ks_doc_iocs(doc *d, const ks_export_data *x, const char *heading);
/* A finding the carrier repeats from a message it carries (attachments.c
 * copies them, so the score counts them): shown once, under that message. */
bool ks_doc_repeated_from_inner(const ks_report *r, const ks_finding *f);
/* The notes, under a level-2 heading. */
void ks_doc_notes(doc *d, const ks_export_data *x, const char *heading);

/* The Japanese layout (export_doc_ja.c). */
void ks_doc_write_japanese(doc *d, const ks_export_data *x);

#endif
