/* Outlook .msg files ([MS-OXMSG]: an OLE2 compound file of MAPI properties)
 * read into the same message model as an .eml (message.h), so that every
 * analyzer works on them unchanged. */
#ifndef KS_MSG_H
#define KS_MSG_H

#include "mail/message.h"

/* True when the bytes are an OLE2 compound file with the top-level
 * property stream of a .msg ("__properties_version1.0"). */
bool ks_msg_sniff(GBytes *raw);

/* Parses a .msg: headers from PR_TRANSPORT_MESSAGE_HEADERS (or made from
 * the MAPI properties when absent), bodies, attachments as parts "1", "2"...,
 * attached messages parsed into p->embedded (depth + 1, bounded by
 * KS_MAX_DEPTH).  Bad input becomes m->problems.  NULL with error set only
 * when the bytes are not an OLE2 file with .msg properties. */
ks_message *ks_msg_parse(GBytes *raw, int depth, GError **error);

#endif
