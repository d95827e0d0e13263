/* What kensa says to a person, in their language (gettext, text domain
 * "kensa": po/kensa.pot and its translations, po/ja.po).  _() marks a
 * message and translates it where it is written; N_() only marks one that
 * is translated where it is shown (a table of labels).  Everything for
 * machines stays as it is: rule ids, JSON, STIX and MISP keys, stored data.
 * Under LANG=C (or an English locale) every message is the msgid itself. */
#ifndef KS_I18N_H
#define KS_I18N_H

#include <libintl.h>

#define KS_TEXT_DOMAIN "kensa"
#define _(s) dgettext(KS_TEXT_DOMAIN, s)
#define N_(s) s
/* A message in a context, where one English word needs two translations
 * ("benign" as a verdict and as an IOC's role): gettext's msgctxt, which
 * the catalogue keys as "CONTEXT\004MSGID". */
#define C_(ctx, s) ks_pgettext(ctx "\004" s, s)

static inline const char *ks_pgettext(const char *keyed, const char *msgid)
{
	const char *t = dgettext(KS_TEXT_DOMAIN, keyed);
	return t == keyed ? msgid : t;
}

#endif
