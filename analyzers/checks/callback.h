/* Callback numbers and money in mail text: the telephone number a mail asks
 * the reader to call (after a call word of data/callback_words.txt, as
 * callback phishing writes it) and whether the text names an amount of
 * money.  Used by the phone IOCs (summary.c) and the callback lure
 * (phishing.c). */
#ifndef KS_CALLBACK_H
#define KS_CALLBACK_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* The length of the telephone number that starts at s (9 to 15 digits in
 * groups: "+81 3-1234-5678", "(888) 555-0199", "0120-123-456"), or 0;
 * digits receives its digits.  Below 9 digits it is a date or a code. */
size_t ks_phone_at(const char *s, GString *digits);
/* The numbers that follow a call word within 60 characters, in text order,
 * each once (as written, trimmed), at most max.  g_ptr_array_unref. */
GPtrArray *ks_callback_numbers(const char *text, guint max);
/* True when text names an amount of money: a currency sign or code beside
 * a number ("$299.99", "USD 473.33", "USD364.88", "250 €", "12,800円",
 * "R$ 89,90"). */
bool ks_text_has_money(const char *text);

#endif
