/* What the export files share (export.c loads and redacts; export_doc.c,
 * export_json.c, export_stix.c and export_misp.c each write one format):
 * the case as typed data, already redacted when asked, so every writer only
 * formats and escapes.  Nothing outside db/export*.c sees this. */
#ifndef KS_EXPORT_PRIVATE_H
#define KS_EXPORT_PRIVATE_H

#include "cases.h"
#include "export.h"
#include "knowledge.h"
#include "report.h"

#include <json-glib/json-glib.h>

typedef struct {
	const ks_case *c;
	const char *tlp;              /* "clear" | "green" | "amber" | "red" */
	ks_redact_level redact;
	const GPtrArray *messages;    /* ks_case_message*, in date order */
	const GPtrArray *reports;     /* ks_report*, parallel; NULL where unreadable */
	const GPtrArray *notes;       /* ks_case_note* */
	const GPtrArray *iocs;        /* ks_case_ioc* */
	const GArray *ioc_masked;     /* gboolean per IOC: redaction masked it */
	GHashTable *masked_values;    /* char*: report IOC values redaction masked */
} ks_export_data;

char *ks_export_markdown(const ks_export_data *x);
char *ks_export_html(const ks_export_data *x);
char *ks_export_json(const ks_export_data *x);
char *ks_export_stix(const ks_export_data *x);
char *ks_export_misp(const ks_export_data *x);

/* JSON building shared by the JSON, STIX and MISP writers (export_json.c):
 * a string member (NULL as null), an integer member, and the finished
 * document, pretty, with a final newline (g_free). */
void ks_json_add_str(JsonBuilder *b, const char *key, const char *value);
void ks_json_add_int(JsonBuilder *b, const char *key, gint64 value);
char *ks_json_builder_text(JsonBuilder *b);

/* The IOC kind of a stored kind name (an unknown name reads as a file name). */
ks_ioc_kind ks_export_ioc_kind(const char *name);
/* A stored IOC's role (one stored before roles read as the attacker's). */
ks_ioc_role ks_export_ioc_role(const ks_case_ioc *o);
/* Whether an IOC is one to block: the attacker's, and not a value redaction
 * replaced with a placeholder.  i is its index in x->iocs. */
bool ks_export_ioc_blocks(const ks_export_data *x, guint i);
/* Whether the report's IOC of this kind and value is one to block. */
bool ks_export_report_ioc_blocks(const ks_export_data *x, const ks_report *r, ks_ioc_kind kind,
                                 const char *value);

#endif
