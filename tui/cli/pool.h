/* Analysing a whole mailbox on a thread pool, for the headless commands
 * that read one (`kensa scan`, `kensa thread`).  Messages are independent,
 * so workers analyse them while the calling thread reads the mailbox; each
 * report is cut down on its worker to what the command keeps, and the
 * results come back on the calling thread in mailbox order through a
 * bounded reorder window (8 messages per worker and 8 MB of raw mail in
 * flight, a larger message alone; never the whole file), with the same
 * output whatever the timing. */
#ifndef KS_POOL_H
#define KS_POOL_H

#include "core/context.h"
#include "mail/mbox.h"
#include "core/report.h"

#include <stdbool.h>

/* One message as a worker hands it to reduce. */
typedef struct {
	int index;               /* ks_mailbox_index: 1-based place in the mailbox */
	const char *where;       /* the file it came from */
	const ks_report *report; /* NULL when the input was not a message */
	const char *error;       /* why, when report is NULL */
} ks_pool_item;

typedef struct {
	/* Cuts an analysed message down to what the command keeps (the report
	 * is freed after).  Runs on a worker: it may read user, not change it. */
	void *(*reduce)(const ks_pool_item *item, void *user);
	/* Takes each reduced result, in mailbox order, on the calling thread. */
	void (*take)(void *result, void *user);
	/* Or NULL.  Called on the calling thread at most every 200 ms while
	 * reading, with the count of messages read, and once at the end with
	 * final set. */
	void (*progress)(const ks_mailbox *mb, int count, bool final, void *user);
	/* Or NULL.  Asked on the calling thread before each message is read:
	 * true stops reading (the messages in flight are still taken). */
	bool (*stop)(void *user);
	void *user;
} ks_pool_ops;

/* Analyses every message of mb with ctx on g_get_num_processors() workers
 * (at most 8) and hands the results to ops->take in order; returns when
 * the last has been taken. */
void ks_pool_analyze_mailbox(ks_mailbox *mb, const ks_context *ctx, const ks_pool_ops *ops);

#endif
