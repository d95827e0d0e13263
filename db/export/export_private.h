/* What the export files share (export.c loads and redacts, export_events.c
 * builds the case timeline; export_doc.c, export_json.c, export_stix.c and
 * export_misp.c each write one format):
 * the case as typed data, already redacted when asked, so every writer only
 * formats and escapes.  Nothing outside db/export*.c sees this. */
#ifndef KS_EXPORT_PRIVATE_H
#define KS_EXPORT_PRIVATE_H

#include "cases.h"
#include "export/export.h"
#include "knowledge.h"
#include "core/report.h"

#include <json-glib/json-glib.h>

/* The rows of the case timeline, drawn as lanes in the HTML picture and as
 * a column in the tables. */
typedef enum {
	KS_LANE_DOMAINS,   /* a domain involved was registered */
	KS_LANE_MESSAGES,  /* a message was written, or a message it quotes */
	KS_LANE_ROUTE,     /* a Received hop */
	KS_LANE_DOCUMENTS, /* a PDF or Office document was created or modified */
	KS_LANE_NOTES,     /* the analyst wrote a note */
	KS_LANE_COUNT
} ks_lane;

typedef struct {
	GDateTime *time;
	ks_lane lane;
	char *text;      /* what happened, free text (redacted when asked) */
	int64_t message; /* the case message it belongs to, or 0 */
	bool alert;      /* the moment a lookalike enters, a forged document */
} ks_export_event;

/* A drift finding of a thread (thread.h) and the case message it is on. */
typedef struct {
	int64_t message;
	ks_severity severity;
	ks_rule rule;
	char *evidence; /* redacted when asked */
} ks_export_drift;

typedef struct {
	char *subject;    /* redacted when asked */
	int messages;     /* how many of the case's messages it holds */
	GPtrArray *drift; /* ks_export_drift*, in message order */
} ks_export_thread;

/* The timeline as inline SVG (export_svg.c), appended to o; nothing when
 * there are no events. */
void ks_export_svg_timeline(GString *o, const GPtrArray *events);

/* The lane's name as a table column and a picture's row label. */
const char *ks_export_lane_name(ks_lane lane);
/* The same for a person, in the language of the messages (i18n.h). */
const char *ks_export_lane_label(ks_lane lane);

/* Builds the case timeline and the threads from the typed reports, the notes
 * and the registrations the store knows (before any redaction: lookalikes
 * are judged on real names).  events (ks_export_event*, sorted by time) and
 * threads (ks_export_thread*, those with drift findings first) are filled;
 * both arrays must free their elements with ks_export_event_free and
 * ks_export_thread_free. */
void ks_export_timeline_build(const GPtrArray *messages, const GPtrArray *reports,
                              const GPtrArray *notes, const ks_context *ctx, GPtrArray *events,
                              GPtrArray *threads);
void ks_export_event_free(ks_export_event *e);
void ks_export_thread_free(ks_export_thread *t);

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
	const GPtrArray *events;      /* ks_export_event*, by time */
	const GPtrArray *threads;     /* ks_export_thread* */
	bool japanese;                /* Markdown and HTML: the J-CSIP layout (export_doc_ja.c) */
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
