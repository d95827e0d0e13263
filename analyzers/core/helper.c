/* The analysis helper of helper.h: starting it, talking to it, telling
 * why it died, and its side of the socket (limits, filter, job loop).
 *
 * A request is the job number, its CPU and memory budget, then the job's
 * own structure; a reply is a status, whether the helper leaves after it,
 * then the job's answer.  The CPU budget is a profiling timer armed for
 * each job (SIGPROF ends the helper when it rings); the memory budget is
 * RLIMIT_AS set for each job to what the helper holds with the request
 * read, plus the budget.  A helper whose address space has grown by half
 * a budget over its jobs leaves after replying, so the next starts clean. */
#include "core/helper.h"

#include "payloads/attachments.h"
#include "payloads/pdf.h"
#include "payloads/views.h"

#include <errno.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

extern char **environ;

/* a reply may carry what the job extracted: at most its memory budget and
 * the request's own size, and some room for the structure */
#define REPLY_SLACK ((gsize)64 << 20)
/* the largest request a helper reads: an attachment of a 256 MiB message */
#define REQUEST_MAX ((gsize)300 << 20)
/* the status of the reply a dying helper sends when its address space had
 * grown by a quarter of the memory budget (malloc failing at RLIMIT_AS is
 * the usual end: g_malloc traps, poppler and C++ abort) */
#define REPLY_OUT_OF_MEMORY 2
/* wall-clock time a job may take, a guard for a helper that blocks: CPU
 * time is the budget, and a machine under load stretches it many times */
#define WALL_MIN_US (60 * G_USEC_PER_SEC)
#define WALL_PER_CPU 30

/* ---- the caller's side ---------------------------------------------------- */

typedef struct {
	GPid pid;
	int fd;
	char *program;
} client;

static void client_close(client *c, int *status, struct rusage *ru)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->pid > 0) {
		struct rusage scratch;
		int st = 0;
		/* it leaves on EOF; one that does not is stopped */
		if (!status)
			kill(c->pid, SIGKILL);
		while (wait4(c->pid, &st, 0, ru ? ru : &scratch) < 0 && errno == EINTR)
			;
		if (status)
			*status = st;
	}
	c->pid = 0;
}

static void client_free(gpointer p)
{
	client *c = p;
	client_close(c, NULL, NULL);
	g_free(c->program);
	g_free(c);
}

/* one helper per thread: kensa scan's workers each have their own */
static GPrivate helper_key = G_PRIVATE_INIT(client_free);

/* 0, or the errno of what failed */
static int client_start(client *c, const char *program)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return errno;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
	/* standard error stays for the helper to decide (see ks_helper_main) */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	/* a session of its own: no controlling terminal to read or write */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
	                                        POSIX_SPAWN_SETSIGDEF);
	char *argv[] = {(char *)"kensa", (char *)KS_HELPER_ARG, NULL};
	pid_t pid = 0;
	int rc = posix_spawn(&pid, program, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		return rc;
	}
	c->pid = pid;
	c->fd = sv[0];
	return 0;
}

/* This thread's helper, started when it has none; NULL with *error set
 * (an errno) when none could be started. */
static client *client_get(const char *program, int *error)
{
	client *c = g_private_get(&helper_key);
	if (!c) {
		c = g_new0(client, 1);
		c->fd = -1;
		g_private_set(&helper_key, c);
	}
	if (c->pid > 0 && g_strcmp0(c->program, program) != 0)
		client_close(c, NULL, NULL);
	if (c->pid <= 0) {
		g_free(c->program);
		c->program = g_strdup(program);
		*error = client_start(c, program);
		if (*error)
			return NULL;
	}
	return c;
}

/* *detail for KS_HELPER_UNAVAILABLE */
static char *unavailable(const char *program, int error)
{
	return g_strdup_printf("the analysis helper (%s) could not be started: %s", program,
	                       error ? g_strerror(error) : "it left at once");
}

/* Why a helper died, from its wait status and what it used. */
static ks_helper_status verdict(int status, const struct rusage *ru, const ks_limits *limits,
                                gsize request_bytes, char **detail)
{
	if (!WIFSIGNALED(status)) {
		*detail = g_strdup_printf("the helper left with status %d", WEXITSTATUS(status));
		return KS_HELPER_CRASH;
	}
	int sig = WTERMSIG(status);
	gint64 cpu_ms = (gint64)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000 +
	                (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
	if (sig == SIGPROF || sig == SIGXCPU) {
		*detail = g_strdup_printf("%" G_GINT64_FORMAT " ms of CPU in the helper", cpu_ms);
		return KS_HELPER_CPU;
	}
	/* g_malloc (g_error: SIGTRAP), poppler's gmalloc and C++'s bad_alloc
	 * (SIGABRT) die when RLIMIT_AS refuses memory; a helper that grew by
	 * half its budget beyond the request before dying is taken to have run
	 * out of it */
	if ((sig == SIGABRT || sig == SIGTRAP || sig == SIGSEGV || sig == SIGBUS) &&
	    (int64_t)ru->ru_maxrss * 1024 >= (int64_t)request_bytes + limits->memory_bytes / 2) {
		*detail = g_strdup_printf("%ld MiB resident", ru->ru_maxrss / 1024);
		return KS_HELPER_MEMORY;
	}
	*detail = g_strdup_printf("signal %d (%s)", sig, g_strsignal(sig));
	return KS_HELPER_CRASH;
}

static bool send_request(client *c, ks_job job, const ks_limits *limits,
                         const ks_wire_out *request)
{
	ks_wire_out frame = {g_byte_array_new(), g_ptr_array_ref(request->blobs)};
	ks_wire_put_u32(&frame, job);
	ks_wire_put_u32(&frame, (guint32)limits->cpu_ms);
	ks_wire_put_i64(&frame, limits->memory_bytes);
	g_byte_array_append(frame.data, request->data->data, request->data->len);
	bool ok = ks_wire_send(c->fd, &frame);
	ks_wire_out_clear(&frame);
	return ok;
}

ks_helper_status ks_helper_call(const ks_limits *limits, ks_job job, const ks_wire_out *request,
                                ks_wire_in *reply, char **detail)
{
	*detail = NULL;
	memset(reply, 0, sizeof *reply);
	if (!limits || !limits->program)
		return KS_HELPER_UNAVAILABLE;
	int error = 0;
	client *c = client_get(limits->program, &error);
	if (!c) {
		*detail = unavailable(limits->program, error);
		return KS_HELPER_UNAVAILABLE;
	}
	/* a helper that left since its last job (or was killed from outside)
	 * refuses the request: a new one takes it */
	if (!send_request(c, job, limits, request)) {
		client_close(c, NULL, NULL);
		c = client_get(limits->program, &error);
		if (!c || !send_request(c, job, limits, request)) {
			if (c)
				client_close(c, NULL, NULL);
			*detail = unavailable(limits->program, error);
			return KS_HELPER_UNAVAILABLE;
		}
	}
	gsize request_bytes = request->data->len;
	for (guint i = 0; i < request->blobs->len; i++)
		request_bytes += g_bytes_get_size(g_ptr_array_index(request->blobs, i));
	gint64 wall = MAX(WALL_MIN_US, (gint64)limits->cpu_ms * 1000 * WALL_PER_CPU);
	g_autoptr(GError) err = NULL;
	guint32 status = 0, leaving = 0;
	bool got = ks_wire_recv(c->fd, (gsize)MAX(limits->memory_bytes, 0) + request_bytes + REPLY_SLACK,
	                        g_get_monotonic_time() + wall, reply, &err);
	if (got && ks_wire_get_u32(reply, &status) && ks_wire_get_u32(reply, &leaving)) {
		if (leaving) {
			int st = 0;
			client_close(c, &st, NULL);
		}
		if (status == 0)
			return KS_HELPER_OK;
		guint32 grown = 0;
		bool memory = status == REPLY_OUT_OF_MEMORY && ks_wire_get_u32(reply, &grown);
		ks_wire_in_clear(reply);
		if (!leaving) {
			/* an answer like that comes from a helper that goes on */
			int st = 0;
			client_close(c, &st, NULL);
		}
		if (memory) {
			*detail = g_strdup_printf("it had taken %u MiB more when a library died", grown);
			return KS_HELPER_MEMORY;
		}
		*detail = g_strdup("the helper could not read the request");
		return KS_HELPER_CRASH;
	}
	ks_wire_in_clear(reply);
	bool timed_out = err && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
	bool closed = err && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CLOSED);
	if (!closed)
		kill(c->pid, SIGKILL); /* stuck, or talking nonsense */
	int st = 0;
	struct rusage ru = {0};
	client_close(c, &st, &ru);
	if (timed_out) {
		*detail = g_strdup_printf("no answer in %" G_GINT64_FORMAT " s", wall / G_USEC_PER_SEC);
		return KS_HELPER_TIMEOUT;
	}
	if (!closed) {
		*detail = g_strdup_printf("a damaged reply (%s)", err ? err->message : "truncated");
		return KS_HELPER_CRASH;
	}
	return verdict(st, &ru, limits, request_bytes, detail);
}

char *ks_helper_stop_text(const ks_limits *l, ks_helper_status why, const char *detail)
{
	const char *d = detail ? detail : "";
	switch (why) {
	case KS_HELPER_OK: return g_strdup("done");
	case KS_HELPER_CPU: return g_strdup_printf("stopped at its CPU budget of %.1f s", l->cpu_ms / 1000.0);
	case KS_HELPER_MEMORY:
		return g_strdup_printf("stopped at its memory budget of %" G_GINT64_FORMAT " MiB (%s)",
		                       l->memory_bytes >> 20, d);
	case KS_HELPER_TIMEOUT: return g_strdup_printf("stopped (%s)", d);
	case KS_HELPER_CRASH: return g_strdup_printf("stopped: a library crashed (%s)", d);
	case KS_HELPER_UNAVAILABLE:
		return g_strdup_printf("not run: %s", *d ? d : "the analysis helper could not be started");
	}
	return g_strdup(d);
}

/* ---- the helper's side ------------------------------------------------------ */

typedef struct {
	ks_job job;
	bool (*run)(ks_wire_in *request, ks_wire_out *reply);
} job_row;

static const job_row jobs[] = {
	{KS_JOB_ATTACHMENT, ks_attachments_job},
	{KS_JOB_PART_VIEWS, ks_part_views_job},
};

/* The address space in bytes, from /proc/self/statm (opened before the
 * filter; its first field is the size in pages), or 0. */
static gsize vm_size(int statm)
{
	/* async-signal-safe: the fatal-signal handler calls it too */
	char buf[64];
	ssize_t n = statm >= 0 ? pread(statm, buf, sizeof buf - 1, 0) : -1;
	gsize pages = 0;
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		pages = pages * 10 + (gsize)(buf[i] - '0');
	return pages * (gsize)getpagesize();
}

/* What the fatal-signal handler needs to know of the running job. */
static int job_statm = -1;
static gsize job_vm_start, job_memory;
static volatile sig_atomic_t job_running;

/* A library died during a job (SIGABRT, SIGTRAP, SIGSEGV, SIGBUS).  When
 * the address space had grown by a quarter of the memory budget, memory
 * refused at RLIMIT_AS is the likely cause, which a wait status cannot
 * tell: a reply says so, then the signal takes its course. */
static void on_fatal(int sig)
{
	if (job_running && job_memory) {
		gsize vm = vm_size(job_statm);
		gsize grown = vm > job_vm_start ? vm - job_vm_start : 0;
		if (grown >= job_memory / 4) {
			guint32 mib = (guint32)(grown >> 20);
			/* a whole frame: "KSW1", structure length 12, no blobs,
			 * status, leaving, MiB grown (wire.c's layout) */
			guint8 f[28] = {'K', 'S', 'W', '1', 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			                REPLY_OUT_OF_MEMORY, 0, 0, 0, 1, 0, 0, 0};
			for (int i = 0; i < 4; i++)
				f[24 + i] = (guint8)(mib >> (8 * i));
			ssize_t w = write(STDOUT_FILENO, f, sizeof f);
			(void)w;
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* No network, no new programs or processes, no files written, no
 * terminal controlled, no other process signalled or read: what a library
 * taken over by a crafted file could do with the helper.  Reading files
 * stays (iconv loads its modules, poppler its encodings).  Without
 * seccomp in the kernel, the helper goes on with its limits only. */
static void install_filter(void)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return;
	static const int denied[] = {
		SCMP_SYS(socket),      SCMP_SYS(connect),        SCMP_SYS(bind),
		SCMP_SYS(listen),      SCMP_SYS(accept),         SCMP_SYS(accept4),
		SCMP_SYS(execve),      SCMP_SYS(execveat),       SCMP_SYS(fork),
		SCMP_SYS(vfork),       SCMP_SYS(ptrace),         SCMP_SYS(process_vm_readv),
		SCMP_SYS(process_vm_writev), SCMP_SYS(tkill),    SCMP_SYS(unlink),
		SCMP_SYS(unlinkat),    SCMP_SYS(rename),         SCMP_SYS(renameat),
		SCMP_SYS(renameat2),   SCMP_SYS(mkdir),          SCMP_SYS(mkdirat),
		SCMP_SYS(rmdir),       SCMP_SYS(link),           SCMP_SYS(linkat),
		SCMP_SYS(symlink),     SCMP_SYS(symlinkat),      SCMP_SYS(chmod),
		SCMP_SYS(fchmod),      SCMP_SYS(fchmodat),       SCMP_SYS(chown),
		SCMP_SYS(fchown),      SCMP_SYS(fchownat),       SCMP_SYS(lchown),
		SCMP_SYS(truncate),    SCMP_SYS(creat),          SCMP_SYS(mknod),
		SCMP_SYS(mknodat),     SCMP_SYS(mount),          SCMP_SYS(umount2),
		SCMP_SYS(chroot),      SCMP_SYS(pivot_root),     SCMP_SYS(unshare),
		SCMP_SYS(setns),       SCMP_SYS(bpf),            SCMP_SYS(perf_event_open),
		SCMP_SYS(keyctl),      SCMP_SYS(add_key),        SCMP_SYS(request_key),
		SCMP_SYS(userfaultfd), SCMP_SYS(personality),    SCMP_SYS(setuid),
		SCMP_SYS(setgid),      SCMP_SYS(setreuid),       SCMP_SYS(setregid),
		SCMP_SYS(setresuid),   SCMP_SYS(setresgid),      SCMP_SYS(utimensat),
	};
	bool ok = true;
	for (size_t i = 0; ok && i < G_N_ELEMENTS(denied); i++)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), denied[i], 0) == 0;
	/* threads may start, processes may not; clone3 hides its flags */
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
	                            SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)) == 0;
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) == 0;
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 0) == 0;
	/* signals to itself only (abort() raises SIGABRT on itself) */
	const struct scmp_arg_cmp not_self = {
		.arg = 0, .op = SCMP_CMP_NE, .datum_a = (scmp_datum_t)getpid(), .datum_b = 0};
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 1, not_self) == 0;
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill), 1, not_self) == 0;
	/* files are opened for reading only */
	static const int open_flags[] = {O_WRONLY, O_RDWR};
	for (size_t i = 0; ok && i < G_N_ELEMENTS(open_flags); i++)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(openat), 1,
		                      SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, open_flags[i])) == 0 &&
		     seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(open), 1,
		                      SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE, open_flags[i])) == 0;
	static const int write_bits[] = {O_CREAT, O_TRUNC, O_APPEND};
	for (size_t i = 0; ok && i < G_N_ELEMENTS(write_bits); i++)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(openat), 1,
		                      SCMP_A2(SCMP_CMP_MASKED_EQ, write_bits[i], write_bits[i])) == 0 &&
		     seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(open), 1,
		                      SCMP_A1(SCMP_CMP_MASKED_EQ, write_bits[i], write_bits[i])) == 0;
	ok = ok && seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0) == 0;
	if (ok)
		seccomp_load(f);
	seccomp_release(f);
}

static void set_limit_as(gsize bytes)
{
#ifndef UNDER_ASAN
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) != 0)
		return;
	rl.rlim_cur = bytes ? MIN((rlim_t)bytes, rl.rlim_max) : rl.rlim_max;
	setrlimit(RLIMIT_AS, &rl);
#else
	/* AddressSanitizer reserves terabytes of address space for itself */
	(void)bytes;
#endif
}

static void set_cpu_timer(int ms)
{
	struct itimerval t = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
	setitimer(ITIMER_PROF, &t, NULL);
}

static bool serve_one(ks_wire_in *req, ks_wire_out *reply, int statm, gint64 *memory)
{
	guint32 job = 0, cpu_ms = 0;
	if (!ks_wire_get_u32(req, &job) || !ks_wire_get_u32(req, &cpu_ms) ||
	    !ks_wire_get_i64(req, memory))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(jobs); i++) {
		if (jobs[i].job != (ks_job)job)
			continue;
		job_vm_start = vm_size(statm);
		job_memory = *memory > 0 ? (gsize)*memory : 0;
		set_limit_as(job_memory ? job_vm_start + job_memory : 0);
		set_cpu_timer(MAX((int)cpu_ms, 1));
		job_running = 1;
		bool ok = jobs[i].run(req, reply);
		job_running = 0;
		set_cpu_timer(0);
		set_limit_as(0);
		return ok;
	}
	return false;
}

void ks_helper_main(void)
{
	/* gone with the thread that started it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	int statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	job_statm = statm;
#ifndef UNDER_ASAN
	/* what libraries print about a file (libjpeg's warnings, poppler's
	 * "Out of memory", C++'s last words) is not kensa's output: the
	 * findings say what went wrong.  Sanitizer builds keep it, for their
	 * reports. */
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
#endif
	static const int fatal[] = {SIGABRT, SIGTRAP, SIGSEGV, SIGBUS};
	for (size_t i = 0; i < G_N_ELEMENTS(fatal); i++)
		signal(fatal[i], on_fatal);
	/* what every job needs, loaded before the filter: libmagic's database,
	 * poppler's global parameters */
	g_free(ks_part_sniff_type("", 0));
	ks_pdf_prepare();
	install_filter();
	gsize baseline = vm_size(statm);
	for (;;) {
		ks_wire_in req;
		if (!ks_wire_recv(0, REQUEST_MAX, 0, &req, NULL))
			break;
		ks_wire_out job;
		ks_wire_out_init(&job);
		gint64 memory = KS_DEFAULT_MEMORY_BYTES;
		bool ok = serve_one(&req, &job, statm, &memory);
		ks_wire_in_clear(&req);
		ks_wire_out reply;
		ks_wire_out_init(&reply);
		ks_wire_put_u32(&reply, ok ? 0 : 1);
		bool leaving = baseline && vm_size(statm) > baseline + (gsize)MAX(memory, 0) / 2;
		ks_wire_put_u32(&reply, leaving);
		g_byte_array_append(reply.data, job.data->data, job.data->len);
		for (guint i = 0; i < job.blobs->len; i++)
			g_ptr_array_add(reply.blobs, g_bytes_ref(g_ptr_array_index(job.blobs, i)));
		bool sent = ks_wire_send(1, &reply);
		ks_wire_out_clear(&reply);
		ks_wire_out_clear(&job);
		if (!sent || leaving)
			break;
	}
	_exit(0);
}
