/* The analysis helper: kensa's own program, exec'd in a helper mode, that
 * runs the calls into poppler, libmagic, libarchive, libgsf and libxml2 on
 * an attachment under a budget of CPU time and memory (setitimer and
 * RLIMIT_AS), with no network, no files written, no programs run (a
 * seccomp filter) and no terminal (a session of its own).  One helper per
 * thread takes jobs over a socket for as long as it lives; one that is
 * killed, crashes or runs out of budget is replaced on the next job, and
 * the job that killed it is reported, not retried.  It is started with
 * posix_spawn (never a bare fork in kensa's threaded process).
 *
 * Where no helper program is named (unit tests and fuzz targets, which
 * link the analyzers without kensa), jobs run in the calling process with
 * no budget at all. */
#ifndef KS_HELPER_H
#define KS_HELPER_H

#include "core/context.h"
#include "core/wire.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* argv[1] that starts kensa (or a test program) as the helper */
#define KS_HELPER_ARG "__analysis-helper"

/* The jobs a helper runs (one row each in helper.c). */
typedef enum {
	KS_JOB_ATTACHMENT = 1, /* attachments.c: one attachment and all it holds */
	KS_JOB_PART_VIEWS = 2, /* views.c: an attachment as a reader sees it */
} ks_job;

typedef enum {
	KS_HELPER_OK,
	KS_HELPER_CPU,         /* killed at its CPU budget */
	KS_HELPER_MEMORY,      /* died needing more than its memory budget */
	KS_HELPER_CRASH,       /* died of a signal of its own (a library crashed) */
	KS_HELPER_TIMEOUT,     /* no answer in a minute of wall-clock time */
	KS_HELPER_UNAVAILABLE, /* no helper could be started (no /proc, exec refused) */
} ks_helper_status;

/* Runs job with request (its structure after the job header) in this
 * thread's helper, started or restarted as needed, and reads its reply.
 * With KS_HELPER_OK, reply holds the job's answer (ks_wire_in_clear it);
 * otherwise *detail (g_free, may be NULL) says what happened, for a
 * finding ("signal 11", "the analysis helper (/proc/self/exe) could not be
 * started: No such file or directory"). */
ks_helper_status ks_helper_call(const ks_limits *limits, ks_job job, const ks_wire_out *request,
                                ks_wire_in *reply, char **detail);

/* How a job that did not come back ended, for a person: "stopped at its
 * CPU budget of 2.0 s", "stopped at its memory budget of 256 MiB (...)",
 * "stopped (no answer in 60 s)", "stopped: a library crashed (signal
 * 11 ...)", "not run: the analysis helper could not be started (...)".
 * g_free. */
char *ks_helper_stop_text(const ks_limits *limits, ks_helper_status why, const char *detail);

/* The helper's main loop, when argv[1] is KS_HELPER_ARG: serves jobs on
 * standard input and output until the caller goes away.  Never returns. */
G_NORETURN void ks_helper_main(void);

#endif
