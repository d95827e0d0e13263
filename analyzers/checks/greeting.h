/* Analyzer: content.address_as_name, a subject or a greeting that calls the
 * recipient by their e-mail address ("Hello kim.tanaka@victim.example,",
 * "kim.tanaka@victim.example - your voucher", "Olá anne.compras,"): the
 * mail-merge of a mass mail that knew the address and nothing else.  The
 * greetings are data (data/greeting_words.txt). */
#ifndef KS_GREETING_H
#define KS_GREETING_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

void ks_greeting_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

#endif
