/* The mailbox thread pool (pool.h): jobs go to the workers' queue as they
 * are read, finished ones wait in a table keyed by their place until every
 * earlier one has been taken.  The workers are kensa's own threads, joined
 * before ks_pool_analyze_mailbox returns, so each one's thread-local state
 * (its analysis helper, iconv and libmagic handles) is released then, on
 * that thread, and never while the process is already exiting: a
 * GThreadPool keeps or ends its threads on its own time, and one ending
 * during exit(3) freed its thread-local state as the exit tore it down. */
#include "cli/pool.h"

#include "checks/analyze.h"

/* messages in flight per worker: enough that one slow message at the head
 * of the order does not leave the other workers idle */
#define PER_WORKER 8
/* raw bytes of the messages in flight: no message is read while more are
 * (a larger one is analysed alone), which keeps kensa scan's peak near
 * 64 MB plus one message whatever the mailbox holds: analysis takes a few
 * times a message's size, and the program itself about 25 MB */
#define BYTES_IN_FLIGHT ((gsize)8 << 20)
/* progress at most this often (microseconds) */
#define PROGRESS_EVERY 200000

typedef struct {
	int seq;
	int index;
	const char *format; /* ks_mailbox_format when it was read */
	char *problem;      /* ks_mailbox_problem: it could not be read */
	gsize size;
	char *where;
	GBytes *raw;
	void *result;
} job;

typedef struct {
	GMutex lock;
	GCond cond;
	GHashTable *done; /* seq -> job*, finished and not yet taken */
	int next_take;
	int in_flight;
	gsize bytes; /* raw bytes of the jobs in flight */
	const ks_context *ctx;
	const ks_pool_ops *ops;
	GAsyncQueue *queue; /* job*, or the pool itself: stop */
} pool;

static void work(job *j, pool *p)
{
	GError *err = NULL;
	ks_report *r = j->problem ? NULL : ks_analyze_bytes(j->raw, j->where, j->format, p->ctx, &err);
	g_clear_pointer(&j->raw, g_bytes_unref);
	ks_pool_item item = {
		.index = j->index,
		.where = j->where,
		.report = r,
		.error = r ? NULL : j->problem ? j->problem : err ? err->message : "not a message",
	};
	j->result = p->ops->reduce(&item, p->ops->user);
	ks_report_free(r);
	g_clear_error(&err);
	g_mutex_lock(&p->lock);
	g_hash_table_insert(p->done, GINT_TO_POINTER(j->seq), j);
	g_cond_broadcast(&p->cond);
	g_mutex_unlock(&p->lock);
}

static gpointer worker(gpointer data)
{
	pool *p = data;
	gpointer item;
	while ((item = g_async_queue_pop(p->queue)) != p)
		work(item, p);
	return NULL;
}

/* Takes finished jobs in order, then waits until at most limit are in
 * flight, holding at most BYTES_IN_FLIGHT (or none). */
static void drain(pool *p, int limit)
{
	g_mutex_lock(&p->lock);
	for (;;) {
		job *j;
		while ((j = g_hash_table_lookup(p->done, GINT_TO_POINTER(p->next_take)))) {
			g_hash_table_remove(p->done, GINT_TO_POINTER(p->next_take));
			p->next_take++;
			p->in_flight--;
			p->bytes -= j->size;
			g_mutex_unlock(&p->lock);
			p->ops->take(j->result, p->ops->user);
			g_free(j->where);
			g_free(j->problem);
			g_free(j);
			g_mutex_lock(&p->lock);
		}
		if (p->in_flight <= limit && (p->bytes <= BYTES_IN_FLIGHT || p->in_flight == 0))
			break;
		g_cond_wait(&p->cond, &p->lock);
	}
	g_mutex_unlock(&p->lock);
}

void ks_pool_analyze_mailbox(ks_mailbox *mb, const ks_context *ctx, const ks_pool_ops *ops)
{
	pool p = {0};
	g_mutex_init(&p.lock);
	g_cond_init(&p.cond);
	p.done = g_hash_table_new(g_direct_hash, g_direct_equal);
	p.ctx = ctx;
	p.ops = ops;
	p.queue = g_async_queue_new();
	int workers = CLAMP((int)g_get_num_processors(), 1, 8);
	GThread *threads[8];
	for (int i = 0; i < workers; i++)
		threads[i] = g_thread_new("pool", worker, &p);
	int seq = 0;
	char *where = NULL;
	GBytes *raw;
	gint64 last = 0;
	while (!(ops->stop && ops->stop(ops->user)) && (raw = ks_mailbox_next(mb, &where))) {
		job *j = g_new0(job, 1);
		j->seq = seq++;
		j->index = ks_mailbox_index(mb);
		j->format = ks_mailbox_format(mb);
		j->problem = g_strdup(ks_mailbox_problem(mb));
		j->where = g_steal_pointer(&where);
		j->raw = raw;
		j->size = g_bytes_get_size(raw);
		g_mutex_lock(&p.lock);
		p.in_flight++;
		p.bytes += j->size;
		g_mutex_unlock(&p.lock);
		g_async_queue_push(p.queue, j);
		drain(&p, workers * PER_WORKER);
		if (ops->progress && g_get_monotonic_time() - last > PROGRESS_EVERY) {
			ops->progress(mb, seq, false, ops->user);
			last = g_get_monotonic_time();
		}
	}
	drain(&p, 0);
	for (int i = 0; i < workers; i++)
		g_async_queue_push(p.queue, &p);
	for (int i = 0; i < workers; i++)
		g_thread_join(threads[i]);
	g_async_queue_unref(p.queue);
	if (ops->progress)
		ops->progress(mb, seq, true, ops->user);
	g_hash_table_unref(p.done);
	g_mutex_clear(&p.lock);
	g_cond_clear(&p.cond);
}
