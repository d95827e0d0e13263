/* Saving a part, piping bytes to the analyst's command and copying a value
 * (handoff.h). */
#include "handoff.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *ks_part_file_name(const ks_attachment *a)
{
	const char *n = a->filename ? a->filename : "";
	const char *slash = strrchr(n, '/'), *bslash = strrchr(n, '\\');
	if (slash)
		n = slash + 1;
	if (bslash && bslash + 1 > n)
		n = bslash + 1;
	GString *s = g_string_new(NULL);
	for (const char *p = n; *p && s->len < 120; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2)
			break;
		bool ok = g_unichar_isprint(c) && c != ':' && c != '*' && c != '?' && c != '"' &&
		          c != '<' && c != '>' && c != '|' && g_unichar_type(c) != G_UNICODE_FORMAT;
		if (c == '.' && s->len == 0)
			ok = false;
		if (ok)
			g_string_append_unichar(s, c);
		else if (s->len)
			g_string_append_c(s, '_');
	}
	if (!s->len) {
		g_autofree char *p = g_strdelimit(g_strdup(a->path), "/", '-');
		g_string_printf(s, "part-%s.bin", p);
	}
	return g_string_free(s, FALSE);
}

char *ks_part_save(const ks_attachment *a, const char *dir, GError **error)
{
	g_autofree char *name = ks_part_file_name(a);
	int fd = -1;
	g_autofree char *path = NULL;
	for (int n = 0; n < 100 && fd < 0; n++) {
		g_free(path);
		g_autofree char *file = n ? g_strdup_printf("%s.%d", name, n) : g_strdup(name);
		path = g_build_filename(dir, file, NULL);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", dir,
		            g_strerror(e));
		return NULL;
	}
	gsize len = 0;
	const char *data = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	gsize done = 0;
	while (done < len) {
		ssize_t k = write(fd, data + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (gsize)k;
	}
	bool ok = done == len && fchmod(fd, 0600) == 0;
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		unlink(path);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: write failed", path);
		return NULL;
	}
	return g_canonicalize_filename(path, NULL);
}

int ks_pipe_to_command(const char *cmd, GBytes *bytes, GError **error)
{
	const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	GPid pid;
	int in_fd = -1;
	if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
	                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CHILD_INHERITS_STDOUT |
	                                  G_SPAWN_CHILD_INHERITS_STDERR,
	                              NULL, NULL, &pid, &in_fd, NULL, NULL, error))
		return -1;
	gsize len = 0;
	const char *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;
	gsize done = 0;
	while (done < len) {
		ssize_t k = write(in_fd, data + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break; /* the command stopped reading (EPIPE: SIGPIPE is ignored) */
		done += (gsize)k;
	}
	close(in_fd);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	g_spawn_close_pid(pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ks_clipboard_copy(const char *value)
{
	g_autofree char *b64 = g_base64_encode((const guchar *)value, strlen(value));
	g_autofree char *seq = g_strdup_printf("\033]52;c;%s\a", b64);
	fputs(seq, stdout);
	fflush(stdout);
}
