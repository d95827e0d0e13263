/* The headless commands (one thin file each) and what they share.  None of
 * them ever initialises curses. */
#ifndef KS_CLI_H
#define KS_CLI_H

#include "context.h"

#include <glib.h>

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
int ks_cmd_rules(int argc, char **argv);

/* Prints "kensa: WHAT: WHY" on stderr (one line, sanitized). */
void ks_cli_error(const char *what, const char *why);

/* The analysis context for this run: the config's authserv-ids (and, once
 * the case store exists, what it knows).  Never NULL. */
ks_context *ks_cli_load_context(void);

/* The config file's value for key (XDG_CONFIG_HOME/kensa/config, lines
 * "key = value", '#' comments), or NULL.  g_free. */
char *ks_config_get(const char *key);

#endif
