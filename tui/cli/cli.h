/* The headless commands (one thin file each) and what they share.  None of
 * them ever initialises curses. */
#ifndef KS_CLI_H
#define KS_CLI_H

#include "core/context.h"

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
/* When argv[*i] is the option name ("--format") or "name=VALUE", sets
 * *value to its value (the next argument, consumed; NULL when there is
 * none) and returns true. */
bool ks_cli_option(int argc, char **argv, int *i, const char *name, const char **value);
/* "kensa: CMD: unknown option ARG (see --help)"; returns KS_EXIT_USAGE. */
int ks_cli_unknown_option(const char *cmd, const char *arg);

/* ---- a command's options and operands, declared as a table (notmuch's
 * notmuch_opt_desc_t): the parser and the --help text both come from it */

/* An option: a flag, or one of a fixed list of values. */
typedef struct {
	const char *name;           /* "--format"; NULL ends the table */
	const char *const *choices; /* the values it takes (NULL-terminated), or NULL: a flag */
	const char *help;           /* what it does, for --help */
	int *choice;                /* set to the index of the value given; a flag sets 1 */
} ks_cli_opt;

typedef struct {
	const char *name;     /* "analyze": usage and errors say "kensa analyze" */
	const char *operands; /* as the usage line shows them: "FILE", "MBOX|DIR|FILE..." */
	const char *about;    /* what it does and how it exits: lines of "  ...\n" */
	const ks_cli_opt *opts;
	int min_operands, max_operands; /* max -1: any number */
	const char *missing;  /* why, when an operand is missing */
	const char *too_many; /* why, when there is one too many */
} ks_cli_command;

/* What ks_cli_parse returns when the command goes on. */
#define KS_CLI_GO (-1)
/* Reads argv[1..] by the table: each option sets its target, the operands
 * are added to operands (borrowed from argv).  KS_CLI_GO to go on; else the
 * exit status: --help or -h prints the usage on stdout (KS_EXIT_OK), an
 * unknown option, a value not in the list or a wrong number of operands
 * says why on stderr (KS_EXIT_USAGE). */
int ks_cli_parse(const ks_cli_command *c, int argc, char **argv, GPtrArray *operands);
/* The usage text the table gives: the synopsis, about, each option. */
void ks_cli_print_usage(const ks_cli_command *c, FILE *out);
/* "analyze FILE [--format text|json|markdown] ...": the synopsis line.  g_free. */
char *ks_cli_synopsis(const ks_cli_command *c);

/* The tables of the commands that have one (kensa --help prints their
 * synopses from them). */
extern const ks_cli_command ks_cmd_analyze_table, ks_cmd_scan_table, ks_cmd_thread_table,
	ks_cmd_rules_table;

/* A command with subcommands (`kensa case new`, `kensa domain list`). */
typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
} ks_cli_subcommand;

/* Where, after the subcommand, an argument asks for the usage text. */
typedef enum {
	KS_CLI_HELP_FIRST, /* nowhere: only `kensa CMD --help` */
	KS_CLI_HELP_LONG,  /* --help anywhere */
	KS_CLI_HELP_ANY,   /* --help or -h anywhere */
} ks_cli_help;

/* Runs the subcommand argv[1] names with the arguments after it; prints
 * usage (stdout for --help, stderr with KS_EXIT_USAGE when argv[1] is
 * missing) and reports an unknown subcommand. */
int ks_cli_dispatch(int argc, char **argv, const char *usage, const ks_cli_subcommand *subs,
                    size_t n_subs, ks_cli_help help);

/* The analysis context for this run: the config's authserv-ids and, when
 * the case store exists, what it knows (protected domains, contacts,
 * registrations, earlier cases' attachments).  A store that cannot be read
 * is reported on stderr and analysis goes on without it.  Never NULL. */
ks_context *ks_cli_load_context(void);
/* The same, leaving out the attachments of stored messages whose sha256 is
 * exclude_sha256 (the message about to be added to a case). */
ks_context *ks_cli_load_context_excluding(const char *exclude_sha256);

/* Opens the case store ($KENSA_DB), creating it when create is set; on
 * failure prints the error line and returns NULL (exit KS_EXIT_DB). */
struct ks_store *ks_cli_open_store(bool create);
/* The exit status an error gives (KS_ERROR codes by one table in cli.c). */
int ks_cli_exit_status(const GError *err);
/* Prints err as "kensa: WHAT: WHY", frees it, returns its exit status. */
int ks_cli_fail(const char *what, GError *err);
/* The same for the case store's errors: always KS_EXIT_DB. */
int ks_cli_db_error(const char *what, GError *err);

/* A note's author: the config's "author", else $USER.  g_free. */
char *ks_cli_note_author(void);

/* The config file's value for key (XDG_CONFIG_HOME/kensa/config, lines
 * "key = value", '#' comments), or NULL.  g_free. */
char *ks_config_get(const char *key);

#endif
