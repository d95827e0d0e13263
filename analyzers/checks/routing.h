/* Analyzer: Received hops, delays, bulk services, routing.* rules. */
#ifndef KS_ROUTING_H
#define KS_ROUTING_H

#include "core/context.h"
#include "mail/message.h"
#include "core/report.h"

#include <stdbool.h>

/* Fills r->hops (origin first), their delays, r->bulk_service, and raises
 * routing.date_reversed, routing.bulk_service and input.malformed. */
void ks_routing_analyze(const ks_message *m, const ks_context *ctx, ks_report *r);

/* Reads one unfolded Received value into hop: from, by, ip (the connecting
 * host's address), with, id, date, and helo, rdns and tls when the header
 * says them, each sanitized.  hop->raw always gets
 * the (sanitized) text.  Returns hop->parsed: false when the text could not be
 * read as a Received header at all.  Fields already in hop are replaced. */
bool ks_received_parse(const char *raw, ks_hop *hop);

/* The name of the bulk-mail service (data/bulk_services.txt) whose own
 * domain org is (a registrable domain: "sendgrid.net"; its sending hosts or
 * its click trackers), or NULL.  g_free. */
char *ks_routing_bulk_domain(const char *org);

#endif
