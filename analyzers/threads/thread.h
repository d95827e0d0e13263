/* Threads: the conversations a set of messages forms, their timelines and
 * what drifts along them (BEC inside a hijacked thread: a participant's
 * domain turning into a lookalike, a Reply-To appearing, authentication
 * that stops passing, new bank details, swapped Cc addresses, a subject
 * taken over by a new sender, quotes of mails the thread never had).
 *
 * Pure: it reads reports (or the compact summaries made from them) and the
 * context's registrations; it never parses mail, prints or opens a file.
 * A summary keeps only what threading and drift need, so a mailbox of
 * 10,000 messages is threaded without holding 10,000 reports. */
#ifndef KS_THREAD_H
#define KS_THREAD_H

#include "core/context.h"
#include "core/report.h"

#include <glib.h>
#include <stdbool.h>

typedef struct {
	char *name;    /* display name or NULL */
	char *address; /* lower case, or NULL */
	char *domain;  /* registrable domain of address, or NULL */
} ks_party;

/* A sent time and sender read from a quoted header block in a body. */
typedef struct {
	char *from;      /* the quoted From's address (lower case), or NULL */
	char *from_name; /* the quoted From's display name, or NULL */
	char *subject;   /* the quoted Subject, or NULL */
	GDateTime *time; /* the quoted Sent/Date, or NULL */
} ks_quoted_header;

typedef enum {
	KS_PAY_ACCOUNT,
	KS_PAY_IBAN,
	KS_PAY_SWIFT,
	KS_PAY_BANK,
} ks_pay_kind;

typedef struct {
	ks_pay_kind kind;
	char *value; /* normalised: digits only, upper-case codes, the bank's name */
} ks_pay_token;

/* One message as a thread sees it: a compact copy of its report. */
typedef struct {
	int seq;       /* 0-based place in the input */
	char *source;  /* file it came from, with ":N" for a mailbox's Nth message */
	char *message_id, *in_reply_to; /* without <> */
	GPtrArray *references;          /* char*, without <> */
	char *subject;                  /* as written (decoded), or NULL */
	char *subject_key;              /* normalised (ks_thread_subject_normalize) */
	bool reply_prefix;              /* the subject carried Re:/Fwd:/返信: ... */
	GDateTime *date;                /* NULL when the Date did not parse */
	ks_party from;
	ks_party reply_to; /* all NULL when absent */
	GPtrArray *to, *cc; /* ks_party* */
	char *spf, *dkim, *dmarc; /* result words or NULL */
	GPtrArray *attachments;   /* char*: "name (type)" for every part, depth-first */
	GPtrArray *findings;      /* ks_finding*: its own report's, then the thread's */
	guint own_findings;       /* how many of findings came from its report */
	GPtrArray *payment;       /* ks_pay_token*: from its own (unquoted) text */
	GPtrArray *quoted;        /* ks_quoted_header* */
	GPtrArray *events;        /* ks_event*: its report's non-mail events (PDF times) */
	int max_severity;         /* -1: no findings */
	char *conversation;       /* Outlook's Thread-Index conversation (hex of its first
	                             22 bytes: time and GUID), or NULL */
	/* set when threads are built */
	char *lookalike_of; /* From's domain imitates this earlier participant domain */
	GPtrArray *changed; /* char*: field names that drifted ("from", "reply_to", "auth",
	                       "payment", "cc", "subject", "quote") */
	int thread;         /* index of its thread */
} ks_thread_msg;

typedef struct {
	GDateTime *time;
	char *event;
	char *source; /* "part:2" of a message, or "context:registration" */
	int message;  /* index into the thread's messages, or -1 */
} ks_thread_event;

/* A drift finding and the message (index into the thread's messages) it is on. */
typedef struct {
	const ks_finding *finding; /* owned by the message */
	int message;
} ks_thread_finding;

typedef struct {
	char *subject;            /* the first message's subject */
	GPtrArray *participants;  /* ks_party*, in order of first appearance */
	GPtrArray *messages;      /* ks_thread_msg* (owned by the set), by date */
	GPtrArray *events;        /* ks_thread_event*, by time */
	GPtrArray *findings;      /* ks_thread_finding*, in message order */
	int first_lookalike;      /* index of the first message from a lookalike, or -1 */
} ks_thread;

typedef struct ks_thread_set ks_thread_set;

/* The subject with reply/forward prefixes (Re:, RE:, Fwd:, FW:, AW:, RV:,
 * TR:, 返信:, 転送:, full-width Ｒｅ：, "Re[2]:") and leading bracketed tags
 * ([EXT], 【小金部品】) stripped, blanks collapsed, case folded.  *had_prefix
 * (may be NULL) tells whether a reply/forward prefix was there.  g_free. */
char *ks_thread_subject_normalize(const char *subject, bool *had_prefix);

/* The payment details written in text outside quoted parts. */
GPtrArray *ks_thread_payment_extract(const char *text);
/* The quoted header blocks of a body ("From: ... Sent: ... Subject: ..."). */
GPtrArray *ks_thread_quoted_extract(const char *body, GDateTime *fallback_date);

/* A compact summary of a report (the report may be freed afterwards). */
ks_thread_msg *ks_thread_msg_new(const ks_report *r, const char *source);
void ks_thread_msg_free(ks_thread_msg *m);

ks_thread_set *ks_thread_set_new(void);
void ks_thread_set_free(ks_thread_set *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_thread_set, ks_thread_set_free)
/* Adds a message (taken over by the set); its seq is set to its place. */
void ks_thread_set_add(ks_thread_set *s, ks_thread_msg *m);
/* Adds a summary of a report. */
void ks_thread_set_add_report(ks_thread_set *s, const ks_report *r, const char *source);
/* Groups the messages into threads and runs the drift rules.  ctx (may be
 * NULL) gives domain registrations for the timelines.  Call once. */
void ks_thread_set_build(ks_thread_set *s, const ks_context *ctx);
/* The threads, largest risk first: those with drift findings, then by the
 * first message's date.  ks_thread*, owned by the set. */
const GPtrArray *ks_thread_set_threads(const ks_thread_set *s);
/* Every message in input order. */
const GPtrArray *ks_thread_set_messages(const ks_thread_set *s);

/* Threads built from reports in one call (reports stay the caller's). */
ks_thread_set *ks_threads_from_reports(const GPtrArray *reports, const ks_context *ctx);

/* "sender domain", "Reply-To" ...: a readable name for a changed field, in
 * the language of the messages (i18n.h). */
const char *ks_thread_field_label(const char *field);

/* ---- writers (thread_writer.c) */

/* Receives a writer's output piece by piece, in order. */
typedef void (*ks_thread_write_fn)(const char *text, void *user);

/* {"schema":"kensa.thread/1","threads":[...]} (README "Threads"); one line
 * unless pretty.  g_free. */
char *ks_thread_set_to_json(const ks_thread_set *s, bool pretty);
/* The same handed to write a thread at a time, so a large set is never
 * held whole as JSON (pretty output comes in one piece). */
void ks_thread_set_write_json(const ks_thread_set *s, bool pretty, ks_thread_write_fn write,
                              void *user);
/* The terminal form: per thread its headline (the first lookalike message
 * and what it changed), the timeline, the drift findings and the sketch.
 * g_free. */
char *ks_thread_set_to_text(const ks_thread_set *s);
/* The same handed to write a thread at a time. */
void ks_thread_set_write_text(const ks_thread_set *s, ks_thread_write_fn write, void *user);

/* One line of the who-wrote-to-whom sketch. */
typedef struct {
	char *text;  /* box-drawing characters and labels, UTF-8 */
	int message; /* the thread message the line draws, or -1 (header, lifelines) */
	bool alert;  /* the message comes from a lookalike or carries drift findings */
} ks_sketch_line;

/* Participants as columns (at most what fits in width), messages as arrows
 * from the sender's lifeline to each To recipient's, down the time axis.
 * ks_sketch_line*; g_ptr_array_unref frees them. */
GPtrArray *ks_thread_sketch(const ks_thread *t, int width);

#endif
