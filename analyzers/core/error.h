/* The one error domain of kensa's own failures (not of bad input, which is
 * a finding): a leaf header, so the mail parser, the store and the commands
 * share the codes without including each other.  The codes are distinct;
 * the exit status each one gives is tui/cli/cli.c's table, not a number here. */
#ifndef KS_ERROR_H
#define KS_ERROR_H

#include <glib.h>

#define KS_ERROR ks_error_quark()
GQuark ks_error_quark(void);

typedef enum {
	KS_ERROR_UNREADABLE = 1, /* a file that cannot be opened or read */
	KS_ERROR_NOT_MESSAGE,    /* bytes that are no e-mail message at all */
	KS_ERROR_DB,             /* the case store failed, or refused a value */
} ks_error_code;

#endif
