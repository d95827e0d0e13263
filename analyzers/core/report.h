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
#include "core/rules.def"
#undef KS_RULE
	KS_RULE_COUNT
} ks_rule;

/* Rule table lookups (generated from rules.def). */
const char *ks_rule_id(ks_rule rule);
const char *ks_rule_help(ks_rule rule);
/* The same line for a person, in the language of the messages (i18n.h);
 * ks_rule_help's English is what reports and the store keep. */
const char *ks_rule_title(ks_rule rule);
ks_severity ks_rule_severity(ks_rule rule);
/* Rule by its stable id, or -1. */
int ks_rule_from_id(const char *id);

const char *ks_severity_name(ks_severity sev);
/* The same word for a person, in the language of the messages. */
const char *ks_severity_label(ks_severity sev);
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
	char *received_spf;       /* the top-most Received-SPF's result word, or NULL */
	char *arc;                /* cv= of the highest-instance ARC-Seal ("pass",
	                             "fail", "none"), or NULL without ARC headers */
} ks_auth;

typedef struct {
	int index;        /* 0 = origin (the last Received header) */
	int header_index; /* the Received header it was read from, counted among
	                     the Received headers from the top (0 = the first,
	                     the recipient's); -1 when not known (a report
	                     stored before kensa kept it) */
	/* NULL when absent.  from is the from clause's value as written: the
	 * name the sender gave in HELO/EHLO, unless the receiver wrote that
	 * apart (helo below), when from is the name it looked up itself. */
	char *from, *by, *ip, *with, *id;
	char *helo; /* the HELO name when written apart from from ("helo=x",
	               "(HELO x)"), else NULL; ks_hop_helo gives either */
	char *rdns; /* the reverse DNS the receiver wrote for ip, or NULL */
	char *tls;  /* what the header says of TLS ("TLSv1.3", "TLS1_2",
	               "yes (ESMTPS)"), or NULL when nothing says TLS */
	GDateTime *date; /* NULL when unparseable */
	bool has_delay;
	int64_t delay_seconds; /* signed: this hop's time minus the previous hop's */
	char *raw;             /* the whole unfolded header */
	bool parsed;           /* false: kept raw only */
	bool suspicious;       /* a finding points at it */
} ks_hop;

typedef struct {
	char *text;
	char *href;
	char *location; /* where the link was found: NULL for the body, else
	                 * "part:PATH" (a PDF's /URI, an HTML, SVG or calendar
	                 * attachment, a QR code in an image) */
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
	char md5[33];        /* as read back; analysis leaves it "" (ks_attachment_md5) */
	bool encrypted;
	GPtrArray *children; /* ks_attachment* */
	GPtrArray *metadata; /* ks_kv*, in insertion order */
	GBytes *data;        /* decoded bytes (not serialized); NULL if unread */
	ks_report *message;  /* inner report for message/rfc822, else NULL */
} ks_attachment;

/* The node's MD5 in hex, into out: the one read back with a report, else
 * that of its bytes, computed here when a writer asks; "" with neither.
 * Analysis computes no MD5 (no rule reads one, and kensa scan prints none). */
void ks_attachment_md5(const ks_attachment *a, char out[33]);

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
	KS_IOC_BANK_ACCOUNT, /* an account number a payee-change mail gives */
	KS_IOC_IBAN,
	KS_IOC_PHONE, /* a number a lure asks to call back */
	KS_IOC_KIND_COUNT
} ks_ioc_kind;

/* Whose an indicator is (roles.c decides): only the attacker's are for
 * blocking; the rest is context in an export or left out. */
typedef enum {
	KS_IOC_ROLE_ATTACKER, /* what the mail brings: its senders, links, payloads */
	KS_IOC_ROLE_VICTIM,   /* the receiving organisation, its people and partners */
	KS_IOC_ROLE_INTERNAL, /* the receiving side's relays and private addresses */
	KS_IOC_ROLE_BENIGN,   /* shared infrastructure: providers, CDNs, allowed */
	KS_IOC_ROLE_COUNT
} ks_ioc_role;

typedef struct {
	ks_ioc_kind kind;
	char *value;
	ks_ioc_role role;
} ks_ioc;

typedef struct {
	GDateTime *time;
	char *event;
	char *source;
} ks_event;

/* What a mailing list, a bulk sender or a forwarder wrote into the header
 * (RFC 2369, RFC 2919, RFC 8617): what may explain an envelope sender or a
 * Reply-To other than From's.  Any sender can write these headers; identity.c
 * decides what they explain (mailing_list.c fills it). */
typedef struct {
	char *id;               /* List-Id's identifier ("ilug.linux.ie"), lower case, or NULL */
	char *name;             /* the list as evidence names it: List-Id as written, else an address */
	GPtrArray *addresses;   /* char*: the list's own addresses, lower case (List-Post
	                           mailto:, X-BeenThere, Mailing-List, X-Mailing-List) */
	GPtrArray *arc_signers; /* char*: registrable domains of the ARC-Seal d= signers */
	bool unsubscribe;       /* List-Unsubscribe */
	bool list_fields;       /* List-Help, List-Subscribe, List-Owner or List-Archive */
	bool bulk;              /* Precedence: bulk, list or junk */
} ks_list_info;

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
	ks_list_info list;

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

	GHashTable *ioc_seen; /* private: "K\x1fvalue", K the kind as one byte */
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
 * (not defanged), lower-cased for domains and e-mail addresses.  Its role
 * is the attacker's until roles.c decides (summary.c runs it).  The new IOC,
 * or NULL for an empty value or a duplicate. */
ks_ioc *ks_report_add_ioc(ks_report *r, ks_ioc_kind kind, const char *value);
const char *ks_ioc_kind_name(ks_ioc_kind kind);
/* "domain" -> KS_IOC_DOMAIN ...; false for an unknown name. */
bool ks_ioc_kind_parse(const char *name, ks_ioc_kind *out);
/* "attacker" | "victim" | "internal" | "benign", and back. */
const char *ks_ioc_role_name(ks_ioc_role role);
/* The role for a person, in the language of the messages (i18n.h). */
const char *ks_ioc_role_label(ks_ioc_role role);
bool ks_ioc_role_parse(const char *name, ks_ioc_role *out);

/* A one-line string as the report keeps it: s through the sanitizer
 * (KS_SANITIZE_LINE: controls, bidi and terminal escapes shown, never
 * raw), or NULL for NULL.  The analyzers' way to fill a report string
 * field.  g_free. */
char *ks_report_line(const char *s);
/* Sets *field to ks_report_line(s), freeing what it held (s may be it). */
void ks_report_set_line(char **field, const char *s);

/* Appends a header (name and value sanitized, one line each). */
void ks_report_add_header(ks_report *r, const char *name, const char *value);

/* Adds a timeline event; time is referenced, not consumed. */
void ks_report_add_event(ks_report *r, GDateTime *time, const char *event, const char *source);
/* Sorts the timeline by time (stable). */
void ks_report_sort_timeline(ks_report *r);

ks_address *ks_address_new(const char *name, const char *address);
void ks_address_free(ks_address *a);
ks_hop *ks_hop_new(void);
void ks_hop_free(ks_hop *h);
/* A key and value pair (metadata, a decoded layer); NULL is fine. */
void ks_kv_free(ks_kv *kv);
/* The name the sending host gave in HELO/EHLO as the header writes it:
 * helo when set, else from; NULL when neither. */
const char *ks_hop_helo(const ks_hop *h);
/* The receiver's reverse DNS for the address is not the HELO name (case and
 * a final dot aside): a cue for the analyst, no proof.  False without rdns. */
bool ks_hop_rdns_differs(const ks_hop *h);
ks_link *ks_link_new(const char *text, const char *href);
/* A link found outside the body, at location ("part:PATH"); NULL is the body. */
ks_link *ks_link_new_at(const char *text, const char *href, const char *location);
/* The link's location as reports show it: "body" when it has none. */
const char *ks_link_location(const ks_link *l);
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
