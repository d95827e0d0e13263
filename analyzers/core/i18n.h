/* What kensa says to a person, in their language (gettext, text domain
 * "kensa": po/kensa.pot and its translations, po/ja.po).  _() marks a
 * message and translates it where it is written; N_() only marks one that
 * is translated where it is shown (a table of labels).  Everything for
 * machines stays as it is: rule ids, JSON, STIX and MISP keys, stored data.
 * Under LANG=C (or an English locale) every message is the msgid itself. */
#ifndef KS_I18N_H
#define KS_I18N_H

#include <libintl.h>
#include <stdio.h>

#define KS_TEXT_DOMAIN "kensa"
#define _(s) dgettext(KS_TEXT_DOMAIN, s)
#define N_(s) s
/* One of two forms by a count (a language may have more, or one). */
#define P_(s, plural, n) dngettext(KS_TEXT_DOMAIN, s, plural, n)
/* A message in a context, where one English word needs two translations
 * ("benign" as a verdict and as an IOC's role): gettext's msgctxt, which
 * the catalogue keys as "CONTEXT\004MSGID". */
#define C_(ctx, s) ks_pgettext(ctx "\004" s, s)

/* Only marks a message of a context, translated where it is shown (with
 * ks_pgettext_runtime): the workbench's hint labels ("hint", "open" is not
 * the case status "open"). */
#define NC_(ctx, s) s

static inline const char *ks_pgettext(const char *keyed, const char *msgid)
{
	const char *t = dgettext(KS_TEXT_DOMAIN, keyed);
	return t == keyed ? msgid : t;
}

/* ks_pgettext for a context and a message known only at run time. */
static inline const char *ks_pgettext_runtime(const char *ctx, const char *msgid)
{
	char keyed[256];
	int n = snprintf(keyed, sizeof keyed, "%s\004%s", ctx, msgid);
	if (n < 0 || (size_t)n >= sizeof keyed)
		return msgid;
	const char *t = dgettext(KS_TEXT_DOMAIN, keyed);
	return t == keyed ? msgid : t;
}

#endif
