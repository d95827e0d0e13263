/* Cases and what they hold: messages (raw bytes, report, and the findings,
 * attachments and IOCs taken from it), notes, tags; and full-text search
 * over them.  Each write is one transaction.  Results are plain structs
 * owned by the caller (one *_free each, NULL-safe). */
#ifndef KS_CASES_H
#define KS_CASES_H

#include "core/report.h"
#include "store.h"

typedef struct {
	int64_t id;
	char *title;
	char *status;  /* "open" | "closed" */
	char *verdict; /* one of ks_case_verdicts */
	int bec_type;  /* 0..5: the highest of its messages' */
	char *tlp;     /* "clear" | "green" | "amber" | "red" */
	char *created, *updated; /* RFC 3339 UTC */
	int messages, notes;     /* counts */
} ks_case;

typedef struct {
	int64_t id;
	int64_t case_id;
	char sha256[65];
	char *path; /* the file it was added from */
	char *subject, *sender, *date;
	char *severity; /* highest finding's, or NULL */
	int score, bec_type;
	char *added;
	char *report_json; /* the report as analysed when added */
} ks_case_message;

typedef struct {
	int64_t message_id;
	char *rule, *severity, *title, *evidence, *location;
} ks_case_finding;

typedef struct {
	int64_t id;
	int64_t case_id;
	char *created, *author, *text;
	char *about; /* "header:From", "hop:2", "part:2/1", "finding:RULE" or NULL */
} ks_case_note;

typedef struct {
	char *kind; /* SPEC.md ioc kinds */
	char *value;
	char *role; /* "attacker" | "victim" | "internal" | "benign" (report.h) */
	char *judged_by; /* the analyst who set the role, or NULL: the analyzers' */
} ks_case_ioc;

typedef struct {
	int64_t case_id;
	char *kind; /* "case" | "message" | "note" */
	int64_t ref; /* the case, message or note id */
	char *title; /* case title, message subject, or note author */
	char *excerpt;
} ks_search_hit;

/* A change of a case's field, as its history keeps it. */
typedef struct {
	char *at;     /* RFC 3339 UTC */
	char *author; /* who (the store's author: KENSA_USER, the config's author, $USER) */
	char *field;  /* "verdict", "status", "title", "bec_type" */
	char *old, *now;
} ks_case_change;
void ks_case_change_free(ks_case_change *c);

/* The verdicts a case may have, NULL-terminated; the first is the default. */
extern const char *const ks_case_verdicts[];
bool ks_case_verdict_valid(const char *verdict);
/* The statuses a case may have ("open", "closed"), NULL-terminated. */
extern const char *const ks_case_statuses[];

void ks_case_free(ks_case *c);
void ks_case_message_free(ks_case_message *m);
void ks_case_finding_free(ks_case_finding *f);
void ks_case_note_free(ks_case_note *n);
void ks_case_ioc_free(ks_case_ioc *i);
void ks_search_hit_free(ks_search_hit *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_case, ks_case_free)

/* Creates a case; its id in *id. */
bool ks_case_create(ks_store *s, const char *title, int64_t *id, GError **error);
/* Every case, newest first (ks_case*). NULL with error. */
GPtrArray *ks_case_list(ks_store *s, GError **error);
/* One case, or NULL: with error set on a database error, without when
 * there is no such case. */
ks_case *ks_case_get(ks_store *s, int64_t id, GError **error);
bool ks_case_set_verdict(ks_store *s, int64_t id, const char *verdict, GError **error);
/* Sets the case's BEC type (0..5, IPA's types) as the analyst judges it;
 * adding a message later still raises it to that message's type. */
bool ks_case_set_bec_type(ks_store *s, int64_t id, int bec_type, GError **error);
bool ks_case_set_status(ks_store *s, int64_t id, const char *status, GError **error);
bool ks_case_rename(ks_store *s, int64_t id, const char *title, GError **error);
/* Deletes a case with all it holds (messages, findings, IOCs, notes, tags). */
bool ks_case_delete(ks_store *s, int64_t id, GError **error);
/* Removes one message (and what it raised) from a case; *removed false when
 * the case holds no message of that id. */
bool ks_case_remove_message(ks_store *s, int64_t case_id, int64_t message_id, bool *removed,
                            GError **error);
bool ks_case_add_tag(ks_store *s, int64_t id, const char *tag, GError **error);
GPtrArray *ks_case_tags(ks_store *s, int64_t id, GError **error); /* char* */

/* The message already in case_id with this sha256, or 0. -1 on error. */
int64_t ks_case_find_message(ks_store *s, int64_t case_id, const char *sha256, GError **error);
/* The case, most recently updated first, that holds a message with this
 * sha256 (its id in *message_id), or 0; one query.  -1 on error. */
int64_t ks_case_holding_message(ks_store *s, const char *sha256, int64_t *message_id,
                                GError **error);
/* The ids of the other cases (not case_id) that hold a message with this
 * sha256, in id order (gint64); NULL on error. */
GArray *ks_case_others_holding(ks_store *s, const char *sha256, int64_t case_id, GError **error);

/* Adds a message with its report in one transaction: the raw bytes, the
 * report JSON, its findings, its attachment tree and its IOCs; raises the
 * case's BEC type.  When the case already holds a message with the same
 * sha256, nothing changes and *duplicate is set (with its id in *message_id). */
bool ks_case_add_message(ks_store *s, int64_t case_id, GBytes *raw, const ks_report *r,
                         bool *duplicate, int64_t *message_id, GError **error);

/* Adds a note (author and text required, about may be NULL); id in *id. */
bool ks_case_add_note(ks_store *s, int64_t case_id, const char *author, const char *text,
                      const char *about, int64_t *id, GError **error);

GPtrArray *ks_case_messages(ks_store *s, int64_t case_id, GError **error); /* oldest first */
GPtrArray *ks_case_findings(ks_store *s, int64_t message_id, GError **error);
GPtrArray *ks_case_notes(ks_store *s, int64_t case_id, GError **error);
GPtrArray *ks_case_iocs(ks_store *s, int64_t case_id, GError **error);
/* The analyst's judgement of an indicator in a case: kind and value (the
 * report's ioc kind names) with role, set by author; it stands over the
 * roles of messages added later.  *was (g_free) is the role it had in the
 * case, NULL when the case did not hold it. */
bool ks_case_judge_ioc(ks_store *s, int64_t case_id, int64_t message_id, const char *kind,
                       const char *value, const char *role, const char *author, char **was,
                       GError **error);
/* For `kensa db import`: the case that has c's title and creation time, or
 * a new one with all of c's fields (status, verdict, BEC type, TLP, times);
 * *existed tells which.  Importing the same dump twice finds the cases. */
bool ks_case_import(ks_store *s, const ks_case *c, int64_t *id, bool *existed, GError **error);
/* Sets a case's updated time back to updated (its dump's), once an import
 * has put in what the case holds: adding it touched the case. */
bool ks_case_import_updated(ks_store *s, int64_t id, const char *updated, GError **error);
/* Adds note n (created, author, text, about as they were) to case_id unless
 * the case holds that note already (*existed). */
bool ks_case_import_note(ks_store *s, int64_t case_id, const ks_case_note *n, bool *existed,
                         GError **error);
/* Who changed the case's verdict, status, title and BEC type, and when,
 * oldest first (ks_case_change*); NULL on error. */
GPtrArray *ks_case_history(ks_store *s, int64_t case_id, GError **error);
/* Adds change c to case_id's history unless it holds that change already. */
bool ks_case_import_change(ks_store *s, int64_t case_id, const ks_case_change *c,
                           GError **error);
/* The raw bytes of a stored message, or NULL. */
GBytes *ks_case_message_raw(ks_store *s, int64_t message_id, GError **error);

/* Full-text search over case titles, message subjects, senders and bodies,
 * and notes.  Every word of query must occur (as a substring, any case);
 * words shorter than three characters (two-kanji words such as 極秘) are
 * matched without the index.  Newest case first. */
GPtrArray *ks_store_search(ks_store *s, const char *query, GError **error);

#endif
