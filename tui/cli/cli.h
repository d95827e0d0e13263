/* The headless commands (one thin file each) and what they share.  None of
 * them ever initialises curses. */
#ifndef KS_CLI_H
#define KS_CLI_H

#include "core/context.h"
#include "core/report.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit statuses (SPEC.md). */
enum {
	KS_EXIT_OK = 0,
	KS_EXIT_FINDING = 1,
	KS_EXIT_USAGE = 2,
	KS_EXIT_INPUT = 3,
	KS_EXIT_DB = 4,
};

int ks_cmd_analyze(int argc, char **argv);
int ks_cmd_scan(int argc, char **argv);
int ks_cmd_thread(int argc, char **argv);
int ks_cmd_rules(int argc, char **argv);
int ks_cmd_case(int argc, char **argv);
int ks_cmd_domain(int argc, char **argv);
int ks_cmd_protect(int argc, char **argv);
int ks_cmd_allow(int argc, char **argv);
int ks_cmd_contact(int argc, char **argv);
int ks_cmd_db(int argc, char **argv);

/* ---- the language of what kensa says (lang.c; core/i18n.h) */

/* Binds the message catalogues; main calls it after setlocale(LC_ALL, "").
 * Messages then follow LC_MESSAGES (LANG=ja_JP.UTF-8 gives Japanese);
 * times and numbers stay kensa's own in every language. */
void ks_lang_init(void);
/* The values --lang takes ("en", "ja"): ks_lang_set(index) switches the
 * messages to that language; false (error set) when its locale is not
 * installed on this machine. */
extern const char *const ks_lang_choices[];
bool ks_lang_set(int choice, GError **error);
/* True when messages are in Japanese (LC_MESSAGES is a ja locale). */
bool ks_lang_is_japanese(void);

/* Prints "kensa: WHAT: WHY" on stderr (one line, sanitized). */
void ks_cli_error(const char *what, const char *why);
/* The same, returning KS_EXIT_USAGE. */
int ks_cli_usage_error(const char *what, const char *why);

/* True when standard output is a pipe or socket whose reader has gone
 * (`kensa scan ... | head` read what it wanted): writing on is no use. */
bool ks_cli_stdout_gone(void);
/* Flushes standard output: status when it all went out, or when its
 * reader has gone (the end, quietly, as `git log | head` does); else
 * "kensa: WHAT: cannot write to standard output" and KS_EXIT_INPUT. */
int ks_cli_stdout_done(const char *what, int status);

/* True when arg asks for the usage text (--help, -h). */
bool ks_cli_is_help(const char *arg);
/* "kensa: CMD: unknown option ARG (see --help)"; returns KS_EXIT_USAGE. */
int ks_cli_unknown_option(const char *cmd, const char *arg);

/* ---- a command's options and operands, declared as a table (notmuch's
 * notmuch_opt_desc_t): the parser and the --help text both come from it */

/* An option: a flag, one of a fixed list of values, or a free value. */
typedef struct {
	const char *name;           /* "--format"; NULL ends the table */
	const char *arg;            /* a free value's name in --help ("TEXT"), or NULL */
	const char *const *choices; /* the values it takes (NULL-terminated), or NULL */
	bool optional;              /* choices: the value may be left out (the first is meant) */
	bool required;              /* a free value the command cannot go without */
	const char *help;           /* what it does, for --help */
	int *choice;                /* the index of the value given; a flag sets 1 */
	const char **text;          /* a free value, borrowed from argv */
} ks_cli_opt;

typedef struct {
	const char *name;     /* "analyze", "case export": usage and errors say "kensa NAME" */
	const char *operands; /* as the usage line shows them: "FILE", "MBOX|DIR|FILE..." */
	const char *about;    /* what it does and how it exits: lines of "  ...\n" */
	const ks_cli_opt *opts;
	int min_operands, max_operands; /* max -1: any number */
	const char *missing;  /* why, when an operand is missing */
	const char *too_many; /* why, when there is one too many */
} ks_cli_command;

/* The values --fail-on takes ("low", "medium", "high"), and the severity
 * of the index ks_cli_parse set (-1: the option was not given). */
extern const char *const ks_cli_severity_choices[];
bool ks_cli_severity_of(int choice, ks_severity *out);

/* What ks_cli_parse returns when the command goes on. */
#define KS_CLI_GO (-1)
/* Reads the arguments args[0..n) by the table: each option sets its
 * target, the operands are added to operands (borrowed; after "--" every
 * argument is one).  KS_CLI_GO to go on; else the exit status: --help or -h
 * prints the usage on stdout (KS_EXIT_OK), an unknown option, a value not in
 * the list, a missing value or a wrong number of operands says why on
 * stderr (KS_EXIT_USAGE). */
int ks_cli_parse(const ks_cli_command *c, int n, char **args, GPtrArray *operands);
/* The usage text the table gives: the synopsis, about, each option. */
void ks_cli_print_usage(const ks_cli_command *c, FILE *out);
/* "analyze FILE [--format text|json|markdown] ...": the synopsis line.  g_free. */
char *ks_cli_synopsis(const ks_cli_command *c);

/* A command of subcommands (`kensa case new`, `kensa protect list`): each a
 * table and what runs it with its operands. */
typedef struct {
	const ks_cli_command *cmd; /* named "case new" */
	int (*run)(GPtrArray *operands);
} ks_cli_sub;

typedef struct {
	const char *name;  /* "case" */
	const char *about; /* lines of "  ...\n" after the subcommands' synopses */
	const ks_cli_sub *subs;
	size_t n_subs;
} ks_cli_family;

/* Runs the subcommand argv[1] names: its table parses the arguments after
 * it (so `kensa case export --help` prints export's usage).  No subcommand,
 * or --help in its place, prints the family's usage (every synopsis, then
 * about; stderr with KS_EXIT_USAGE when missing); an unknown one is a
 * usage error. */
int ks_cli_run_family(const ks_cli_family *f, int argc, char **argv);
/* The family's usage text. */
void ks_cli_print_family(const ks_cli_family *f, FILE *out);

/* The tables of the commands that have one (kensa --help prints their
 * synopses from them). */
extern const ks_cli_command ks_cmd_analyze_table, ks_cmd_scan_table, ks_cmd_thread_table,
	ks_cmd_rules_table;
extern const ks_cli_family ks_cmd_case_family, ks_cmd_domain_family, ks_cmd_protect_family,
	ks_cmd_allow_family, ks_cmd_contact_family, ks_cmd_db_family;

/* The analysis context for this run: the config's authserv-ids and, when
 * the case store exists, what it knows (protected domains, contacts,
 * registrations, earlier cases' attachments).  A store that cannot be read
 * is reported on stderr and analysis goes on without it.  Never NULL. */
ks_context *ks_cli_load_context(void);
/* The same, leaving out the attachments of stored messages whose sha256 is
 * exclude_sha256 (the message about to be added to a case). */
ks_context *ks_cli_load_context_excluding(const char *exclude_sha256);
struct ks_store;
/* The same from the open store *store; when *store is NULL, the existing
 * store is opened (with the analyst as its author) and left in *store for
 * the caller to keep or close: one connection where a server is far. */
ks_context *ks_cli_load_context_from(struct ks_store **store, const char *exclude_sha256);
/* Adds one message (raw, whose SHA-256 hex is sha256) to case id as `kensa
 * case add` does: when the case holds it already, *duplicate and nothing is
 * analysed; else it is analysed with a context that leaves the message
 * itself out, and stored.  *report (may be NULL) gets the report of a new
 * message (ks_report_free).  False with *error. */
bool ks_cli_case_add_raw(struct ks_store *s, int64_t id, GBytes *raw, const char *sha256,
                         const char *where, const char *format, bool *duplicate,
                         int64_t *message_id, ks_report **report, GError **error);

/* Opens the case store ($KENSA_DB), creating it when create is set; on
 * failure prints the error line and returns NULL (exit KS_EXIT_DB). */
struct ks_store *ks_cli_open_store(bool create);
/* The exit status an error gives (KS_ERROR codes by one table in cli.c). */
int ks_cli_exit_status(const GError *err);
/* Prints err as "kensa: WHAT: WHY", frees it, returns its exit status. */
int ks_cli_fail(const char *what, GError *err);
/* The same for the case store's errors: always KS_EXIT_DB. */
int ks_cli_db_error(const char *what, GError *err);

/* Who the analyst is (a note's author, a change in a case's history):
 * $KENSA_USER, else the config's "author", else $USER.  g_free. */
char *ks_cli_note_author(void);
/* A field of a case's history (ks_case_change) in the interface's language,
 * and one of its values as a person reads it: a verdict or a status
 * translated, a BEC type with IPA's name for it, a title sanitized, "-" for
 * none.  The value g_free. */
const char *ks_cli_change_field(const char *field);
char *ks_cli_change_value(const char *field, const char *value);
/* "  (by NAME)" for a knowledge row's added_by, sanitized; "" without one.
 * g_free. */
char *ks_cli_by(const char *who);
/* A case title as typed, trimmed; NULL when nothing is left or it is not
 * UTF-8.  case new, case rename and the workbench's titles all go through
 * it.  g_free. */
char *ks_cli_case_title(const char *typed);
/* What deleting a case takes with it, for the question or the refusal
 * before it: "1 message, 2 notes" ("no messages or notes").  g_free. */
char *ks_cli_case_holdings(int messages, int notes);

/* The config file's value for key (XDG_CONFIG_HOME/kensa/config, lines
 * "key = value", '#' comments), or NULL.  g_free. */
char *ks_config_get(const char *key);
/* Where the case store is: $KENSA_DB, else the config's [db] url (a team's
 * postgresql:// server), else the default file.  It may hold a password:
 * errors name the store by ks_store_name.  g_free. */
char *ks_cli_store_location(void);

#endif
