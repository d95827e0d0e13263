/* The payload table: one descriptor per format analyzer (part_walk.h), in
 * the order they look at a node; every one that accepts the node runs.
 * attachments.c runs its own zip reader first, then these: it knows this
 * table, not the modules.  A new payload type is one file and one row. */
#ifndef KS_PAYLOADS_H
#define KS_PAYLOADS_H

#include "payloads/part_walk.h"

#include <stddef.h>

extern const ks_payload_analyzer *const ks_payloads[];
extern const size_t ks_payloads_count;

#endif
