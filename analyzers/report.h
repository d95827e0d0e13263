/* The report: the single product of analysis (DESIGN.md "one data model").
 *
 * Everything downstream (text/JSON/Markdown writers, the TUI, the case DB,
 * exports) reads a ks_report and nothing else.  The report owns every string
 * it holds; all strings are UTF-8 and already passed through the sanitizer, so
 * no reader ever has to clean them again.  Setters copy their arguments. */
#ifndef KS_REPORT_H
#define KS_REPORT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum {
	KS_SEV_INFO = 0,
	KS_SEV_LOW,
	KS_SEV_MEDIUM,
	KS_SEV_HIGH,
} ks_severity;

typedef enum {
#define KS_RULE(e, id, sev, help) KS_RULE_##e,
#include "rules.def"
#undef KS_RULE
	KS_RULE_COUNT
} ks_rule;

/* Rule table lookups (generated from rules.def). */
const char *ks_rule_id(ks_rule rule);
const char *ks_rule_help(ks_rule rule);
ks_severity ks_rule_severity(ks_rule rule);
/* Rule by its stable id, or -1. */
int ks_rule_from_id(const char *id);

const char *ks_severity_name(ks_severity sev);
/* "low" -> KS_SEV_LOW; returns false for an unknown name. */
bool ks_severity_parse(const char *name, ks_severity *out);

typedef struct {
	char *name;    /* display name or NULL */
	char *address; /* addr-spec, or NULL when the mailbox had none */
} ks_address;

typedef struct {
	char *name;
	char *value; /* decoded to UTF-8, unfolded, sanitized */
} ks_header;

typedef struct {
	char *spf, *dkim, *dmarc; /* result words or NULL */
	GPtrArray *dkim_domains;  /* char* */
	char *authserv_id;        /* the trusted header's authserv-id, or NULL */
	GPtrArray *ignored;       /* char*: authserv-ids of headers not trusted */
} ks_auth;

typedef struct {
	int index; /* 0 = origin (the last Received header) */
	char *from, *by, *ip, *with, *id; /* NULL when absent */
	GDateTime *date;                   /* NULL when unparseable */
	bool has_delay;
	int64_t delay_seconds; /* signed: this hop's time minus the previous hop's */
	char *raw;             /* the whole unfolded header */
	bool parsed;           /* false: kept raw only */
	bool suspicious;       /* a finding points at it */
} ks_hop;

typedef struct {
	char *text;
	char *href;
} ks_link;

typedef struct {
	char *key;
	char *value;
} ks_kv;

typedef struct ks_report ks_report;

typedef struct ks_attachment {
	char *path;          /* "2", "2/1" */
	char *filename;      /* decoded, sanitized; NULL if none */
	char *declared_type; /* from Content-Type, or the container's idea */
	char *detected_type; /* libmagic */
	int64_t size;
	char sha256[65];
	char md5[33];
	bool encrypted;
	GPtrArray *children; /* ks_attachment* */
	GPtrArray *metadata; /* ks_kv*, in insertion order */
	GBytes *data;        /* decoded bytes (not serialized); NULL if unread */
	ks_report *message;  /* inner report for message/rfc822, else NULL */
} ks_attachment;

typedef struct {
	ks_rule rule;
	ks_severity severity;
	char *title;
	char *evidence;
	char *location; /* "header:NAME", "hop:N", "body", "part:PATH" */
} ks_finding;

typedef enum {
	KS_IOC_DOMAIN,
	KS_IOC_IP,
	KS_IOC_URL,
	KS_IOC_EMAIL,
	KS_IOC_SHA256,
	KS_IOC_FILENAME,
} ks_ioc_kind;

typedef struct {
	ks_ioc_kind kind;
	char *value;
} ks_ioc;

typedef struct {
	GDateTime *time;
	char *event;
	char *source;
} ks_event;

typedef struct {
	int score;    /* 0..100 */
	int bec_type; /* 0..5, IPA's BEC types (SPEC.md) */
	char *label;
	GPtrArray *reasons; /* char*: rule ids that led to the score */
} ks_assessment;

struct ks_report {
	/* source */
	char *source_path;
	char sha256[65];
	int64_t size;
	char *format; /* "eml" | "msg" | "mbox" */

	/* message */
	char *subject;
	GDateTime *date;
	char *date_raw; /* the Date header as written, for when it does not parse */
	char *message_id, *in_reply_to;
	GPtrArray *references; /* char* */
	GPtrArray *from, *sender, *reply_to, *to, *cc; /* ks_address* */
	char *return_path;

	GPtrArray *headers; /* ks_header* */
	ks_auth auth;
	GPtrArray *hops; /* ks_hop*, origin first */
	char *bulk_service;

	char *body_text;
	GPtrArray *links; /* ks_link* */
	/* What the HTML body shows besides its text, for the analyzers (not
	 * serialized): its <title> and the alt texts of the images above its
	 * first lines (the logo), sanitized; NULL / empty when none. */
	char *body_title;
	GPtrArray *body_logo_alts; /* char* */

	GPtrArray *attachments; /* ks_attachment*, top level */
	GPtrArray *findings;    /* ks_finding* */
	GPtrArray *iocs;        /* ks_ioc* */
	GPtrArray *timeline;    /* ks_event* */
	ks_assessment assessment;

	GHashTable *ioc_seen; /* private: "kind\x1fvalue" */
};

ks_report *ks_report_new(void);
void ks_report_free(ks_report *r);
/* Free one finding or timeline event (as a report's arrays do; NULL is fine). */
void ks_finding_free(ks_finding *f);
void ks_event_free(ks_event *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_report, ks_report_free)

/* Adds a finding with the rule's default severity.  evidence is printf-style;
 * title NULL means the rule's help line.  Strings are sanitized and copied. */
ks_finding *ks_report_add_finding(ks_report *r, ks_rule rule, const char *location,
                                  const char *evidence_fmt, ...) G_GNUC_PRINTF(4, 5);
/* Same with an explicit severity. */
ks_finding *ks_report_add_finding_sev(ks_report *r, ks_rule rule, ks_severity sev,
                                      const char *location, const char *evidence_fmt, ...)
	G_GNUC_PRINTF(5, 6);
bool ks_report_has_finding(const ks_report *r, ks_rule rule);
/* Highest severity among findings; false when there are none. */
bool ks_report_max_severity(const ks_report *r, ks_severity *out);

/* Adds an IOC once (duplicates are ignored).  Values are stored as given
 * (not defanged), lower-cased for domains and e-mail addresses. */
void ks_report_add_ioc(ks_report *r, ks_ioc_kind kind, const char *value);
const char *ks_ioc_kind_name(ks_ioc_kind kind);

/* Adds a timeline event; time is referenced, not consumed. */
void ks_report_add_event(ks_report *r, GDateTime *time, const char *event, const char *source);
/* Sorts the timeline by time (stable). */
void ks_report_sort_timeline(ks_report *r);

ks_address *ks_address_new(const char *name, const char *address);
void ks_address_free(ks_address *a);
ks_hop *ks_hop_new(void);
void ks_hop_free(ks_hop *h);
ks_link *ks_link_new(const char *text, const char *href);
void ks_link_free(ks_link *l);

ks_attachment *ks_attachment_new(const char *path);
void ks_attachment_free(ks_attachment *a);
void ks_attachment_add_meta(ks_attachment *a, const char *key, const char *value);
const char *ks_attachment_get_meta(const ks_attachment *a, const char *key);
/* Walks the attachment tree depth-first; stops early when fn returns false. */
typedef bool (*ks_attachment_visit_fn)(ks_attachment *a, void *user);
void ks_report_walk_attachments(ks_report *r, ks_attachment_visit_fn fn, void *user);

/* RFC 3339 with the time's own offset ("2023-05-18T15:20:00+09:00"); g_free. */
char *ks_time_format(GDateTime *t);

#endif
