/* Passwords a mail's body gives for its own encrypted attachments
 * ("Password: 1234", "パスワード：abc123", "Senha do PDF 123").  The labels
 * are data (data/password_labels.txt).  Used where an encrypted archive or
 * document is met (attachments.c, pdf.c, office.c): a password that opens
 * it is the evidence that the mail hands the recipient what it hides from
 * gateways, and lets kensa look inside. */
#ifndef KS_PASSWORDS_H
#define KS_PASSWORDS_H

#include <glib.h>
#include <stdbool.h>

typedef struct {
	char *password; /* as written, after NFKC (full-width digits are ASCII) */
	char *phrase;   /* the words that gave it, e.g. "Senha de acesso: 1234" */
	bool likely;    /* it looks like a password (a digit, a symbol, mixed
	                 * case), not a word ("Password: sent separately") */
} ks_password_hint;

void ks_password_hint_free(ks_password_hint *h);

/* The passwords text gives after a password label, in order, each once;
 * at most KS_PASSWORDS_MAX.  Never NULL; g_ptr_array_unref. */
#define KS_PASSWORDS_MAX 8
GPtrArray *ks_passwords_find(const char *text);

#endif
