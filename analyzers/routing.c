/* STUB: replaced by the real analyzer. */
#include "routing.h"

void ks_routing_analyze(const ks_message *m, const ks_context *ctx, ks_report *r)
{
	(void)m;
	(void)ctx;
	(void)r;
}
