/* Obfuscated text: words written so that a reader sees one thing and a
 * filter another.  The cleaner undoes it, so that the report shows what the
 * reader sees (the subject, the display names, the body), and remembers
 * what it undid for content.obfuscated_text:
 *   - mixed scripts: a Latin word with Cyrillic, Greek, Cherokee ...
 *     look-alike letters ("Amаzon" with Cyrillic а), or a Cyrillic word
 *     with Latin ones;
 *   - mathematical letters (U+1D400..U+1D7FF, "𝐏𝐚𝐲𝐏𝐚𝐥"), shown as the
 *     letters they style;
 *   - marks inside words: combining marks of another script or the
 *     combining grapheme joiner on Latin letters ("Aܿmܿaܿzܿon"), variation
 *     selectors and tag characters (U+E0000..) after letters;
 *   - invisible characters splitting a word (zero-width space, joiners,
 *     word joiner, BOM, soft hyphen used to chop a word into pieces).
 * Japanese and other scripts are left alone: kanji and kana next to Latin
 * letters are ordinary Japanese, full-width letters are not a disguise,
 * ZWNJ/ZWJ and ideographic variation selectors belong to their scripts,
 * and an accent an NFC text carries is not a mark "inside" a word.
 *
 * Hidden HTML text (display:none and its kin) is found by html.c while it
 * makes the text; ks_obfuscation_report_hidden turns its runs into findings. */
#ifndef KS_OBFUSCATION_H
#define KS_OBFUSCATION_H

#include "mail/html.h"
#include "core/report.h"

#include <glib.h>

typedef struct ks_obfuscation ks_obfuscation;

ks_obfuscation *ks_obfuscation_new(void);
void ks_obfuscation_free(ks_obfuscation *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_obfuscation, ks_obfuscation_free)

/* The text with the obfuscation above undone (UTF-8 in and out, invalid
 * UTF-8 passed through untouched, not yet sanitized); what was undone is
 * added to o when o is given.  g_free. */
char *ks_obfuscation_clean(const char *text, ks_obfuscation *o);

/* True when o recorded anything. */
bool ks_obfuscation_found(const ks_obfuscation *o);

/* Raises content.obfuscated_text at location for each kind o recorded: the
 * words as written (escaped by the report) and as shown. */
void ks_obfuscation_report(const ks_obfuscation *o, const char *location, ks_report *r);

/* Raises content.obfuscated_text at location for hidden HTML text
 * (ks_html_hidden*, from ks_html_doc_to_text_full): text hidden inside a
 * word is the attack; hidden blocks alone (a newsletter's preheader) are
 * only noted, at severity info. */
void ks_obfuscation_report_hidden(const GPtrArray *hidden, const char *location, ks_report *r);

#endif
