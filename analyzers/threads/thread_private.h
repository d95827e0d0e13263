/* Threads, inside: what thread.c, thread_subject.c, thread_quoted.c,
 * thread_payment.c and thread_drift.c share.  Nothing outside analyzers'
 * thread files includes this; the public face is thread.h. */
#ifndef KS_THREAD_PRIVATE_H
#define KS_THREAD_PRIVATE_H

#include "threads/thread.h"

/* lines after a quoted "From:" or separator in which Sent/Subject still
 * belong to its block (Outlook: From, Sent, To, Cc, Subject; To/Cc wrap) */
#define BLOCK_LINES 8
/* bounds on what one hostile body can make us keep */
#define MAX_QUOTED 32
#define MAX_PAYMENT 32
#define MAX_LINE 1024
/* how far after an account keyword its number may stand (bytes) */
#define ACCOUNT_REACH 48
/* a quoted time matches a message within this many seconds: clients print
 * minutes only, and the Date is written before the mail is queued */
#define QUOTE_SLACK (30 * 60)

/* thread.c: the values of "kind: value" rows in thread_words.txt (borrowed
 * strings in a new array), a party's free, and a finding of the thread's
 * own (title NULL: the rule's help) */
GPtrArray *ks_thread_words(const char *kind);
void ks_thread_party_free(ks_party *p);
ks_finding *ks_thread_finding_new(ks_rule rule, ks_severity sev, const char *title,
                                  const char *evidence, const char *location);

/* thread_quoted.c: the labels that mark a quoted Subject line */
typedef struct {
	GPtrArray *subject; /* const char*: looked up once per body, not once per line */
} ks_thread_qwords;

void ks_thread_qwords_init(ks_thread_qwords *w);
void ks_thread_qwords_clear(ks_thread_qwords *w);

/* The lines of a text in NFKC ("１２３" is "123", "：" is ":"), each
 * normalised when first read.  NFKC never reaches across a newline, so
 * line by line gives what the whole text would; and the payment scan stops
 * at the first quoted line, so a long reply's history is never normalised. */
typedef struct {
	char **raw;  /* the text split at '\n' (pointing into buf) */
	char **norm; /* NULL until read; raw[i] itself when that is ASCII */
	guint n;
	char *buf;
} ks_thread_lines;

void ks_thread_lines_init(ks_thread_lines *t, const char *text);
/* line i in NFKC, or NULL past the end */
const char *ks_thread_line(ks_thread_lines *t, guint i);
void ks_thread_lines_clear(ks_thread_lines *t);
/* True when line i opens quoted text: everything from it on is not the
 * writer's own (a separator, an attribution, or a From: block with a Sent:). */
bool ks_thread_opens_quote(ks_thread_lines *lines, guint i);

/* thread_payment.c: "account", "IBAN", "SWIFT/BIC", "bank" */
const char *ks_thread_pay_kind_name(ks_pay_kind k);

/* thread_drift.c: the drift rules over one thread, its messages in time
 * order; when[] is each message's effective time by seq, linked the seqs
 * whose references reach a message of the set */
void ks_thread_drift(ks_thread *t, const gint64 *when, const GHashTable *linked);

#endif
