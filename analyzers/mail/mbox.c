/* Mailbox readers.  The mbox reader splits on "From " lines that follow an
 * empty line (or start the file), reading through a fixed buffer, so only
 * one message is ever held in memory; it undoes mboxrd quoting (">From " ->
 * "From ", one '>' removed per line, as mutt and Dovecot write it). */
#include "mail/mbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A single message larger than this is cut (and the cut noted by the parser
 * as a truncated message): bounded memory whatever the input. */
#define MAX_MESSAGE_BYTES (256u * 1024 * 1024)
/* the mbox is read in chunks of this size; a line longer than LINE_MAX_BYTES
 * is handed on in pieces, so no line grows the buffer beyond about twice
 * that (a 200 MB header line costs kensa scan 2 MB here, not 32) */
#define READ_CHUNK ((size_t)1 << 20)
#define LINE_MAX_BYTES ((size_t)1 << 20)

struct ks_mailbox {
	char *path;
	bool is_mbox;
	FILE *fp;
	GString *pending; /* the "From " line already read for the next message */
	char *buf;        /* mbox read buffer: unread bytes are buf[start, end) */
	size_t cap, start, end;
	bool eof;
	int index;
	uint64_t done, total;
	GPtrArray *files; /* directory mode: sorted paths */
	guint next_file;
	ks_mailbox *inner; /* directory mode: the mbox file being read message by message */
	char *input;       /* "-": standard input, read whole (the FILE reads it in memory) */
	char *problem;     /* why the entry last returned could not be read, or NULL */
	int count;         /* directory mode: messages returned so far */
};

bool ks_path_is_mbox(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return false;
	char buf[5];
	size_t n = fread(buf, 1, 5, fp);
	fclose(fp);
	return n == 5 && memcmp(buf, "From ", 5) == 0;
}

static gint path_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files under dir (Maildir's cur/ and new/, or any tree of .eml
 * files), and *total their sizes, from one stat each. */
static void list_dir(GPtrArray *out, const char *dir, int depth, uint64_t *total)
{
	if (depth > 4 || out->len > 1000000)
		return;
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return;
	const char *name;
	while ((name = g_dir_read_name(d))) {
		if (name[0] == '.')
			continue;
		char *p = g_build_filename(dir, name, NULL);
		struct stat st, lst;
		bool found = stat(p, &st) == 0;
		if (found && S_ISDIR(st.st_mode)) {
			/* Maildir: cur/ new/ (tmp/ holds messages still being written) */
			if (strcmp(name, "tmp") != 0)
				list_dir(out, p, depth + 1, total);
			g_free(p);
		} else if ((found && S_ISREG(st.st_mode)) ||
		           (lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode))) {
			/* a broken link is listed too: reading it says why it is no mail */
			g_ptr_array_add(out, p);
			if (found)
				*total += (uint64_t)st.st_size;
		} else {
			g_free(p);
		}
	}
	g_dir_close(d);
}

/* "-": standard input read whole (at most the message cap and a byte, so a
 * cut is seen), then read as a file would be: an mbox or one message. */
static ks_mailbox *open_stdin(GError **error)
{
	GString *in = g_string_new(NULL);
	char chunk[65536];
	size_t n;
	while (in->len <= MAX_MESSAGE_BYTES && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		g_string_append_len(in, chunk, (gssize)n);
	if (ferror(stdin)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot read standard input");
		g_string_free(in, TRUE);
		return NULL;
	}
	ks_mailbox *mb = g_new0(ks_mailbox, 1);
	mb->path = g_strdup("-");
	mb->pending = g_string_new(NULL);
	mb->total = in->len;
	mb->is_mbox = in->len >= 5 && memcmp(in->str, "From ", 5) == 0;
	size_t len = in->len;
	mb->input = g_string_free(in, FALSE);
	mb->fp = fmemopen(mb->input, len ? len : 1, "rb");
	if (!mb->fp) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s", g_strerror(errno));
		ks_mailbox_close(mb);
		return NULL;
	}
	if (!len)
		fgetc(mb->fp); /* fmemopen takes no empty buffer: read its one byte away */
	return mb;
}

ks_mailbox *ks_mailbox_open(const char *path, GError **error)
{
	if (strcmp(path, "-") == 0)
		return open_stdin(error);
	struct stat st;
	if (stat(path, &st) != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s",
		            g_strerror(errno));
		return NULL;
	}
	ks_mailbox *mb = g_new0(ks_mailbox, 1);
	mb->path = g_strdup(path);
	mb->pending = g_string_new(NULL);
	if (S_ISDIR(st.st_mode)) {
		mb->files = g_ptr_array_new_with_free_func(g_free);
		list_dir(mb->files, path, 0, &mb->total);
		g_ptr_array_sort(mb->files, path_cmp);
		return mb;
	}
	mb->fp = fopen(path, "rb");
	if (!mb->fp) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s",
		            g_strerror(errno));
		ks_mailbox_close(mb);
		return NULL;
	}
	mb->total = (uint64_t)st.st_size;
	mb->is_mbox = ks_path_is_mbox(path);
	return mb;
}

const char *ks_mailbox_format(const ks_mailbox *mb)
{
	return mb->is_mbox || mb->inner ? "mbox" : "eml";
}

static bool is_from_line(const char *line, size_t len)
{
	return len >= 5 && memcmp(line, "From ", 5) == 0;
}

/* mboxrd: a line of '>'* followed by "From " loses one '>' */
static size_t unquote_len(const char *line, size_t len, size_t *skip)
{
	size_t i = 0;
	while (i < len && line[i] == '>')
		i++;
	*skip = (i > 0 && len - i >= 5 && memcmp(line + i, "From ", 5) == 0) ? 1 : 0;
	return len - *skip;
}

/* The next line of the mbox, with its '\n' when it has one, as a pointer
 * into the read buffer valid until the next call; 0 at the end of the file. */
static size_t next_line(ks_mailbox *mb, const char **line)
{
	for (;;) {
		size_t have = mb->end - mb->start;
		const char *nl = have ? memchr(mb->buf + mb->start, '\n', have) : NULL;
		if (nl || (have && (mb->eof || have >= LINE_MAX_BYTES))) {
			size_t n = nl ? (size_t)(nl - (mb->buf + mb->start)) + 1 : have;
			*line = mb->buf + mb->start;
			mb->start += n;
			return n;
		}
		if (mb->eof)
			return 0;
		if (have)
			memmove(mb->buf, mb->buf + mb->start, have);
		mb->start = 0;
		mb->end = have;
		if (mb->cap - mb->end < READ_CHUNK / 2) {
			mb->cap = MAX(mb->cap * 2, READ_CHUNK);
			mb->buf = g_realloc(mb->buf, mb->cap);
		}
		size_t got = fread(mb->buf + mb->end, 1, mb->cap - mb->end, mb->fp);
		mb->end += got;
		mb->eof = got == 0;
	}
}

static GBytes *next_mbox(ks_mailbox *mb)
{
	GString *msg = g_string_sized_new(64 * 1024);
	bool have_from = mb->pending->len > 0;
	if (have_from) {
		g_string_append_len(msg, mb->pending->str, mb->pending->len);
		g_string_truncate(mb->pending, 0);
	}
	const char *line;
	size_t n;
	bool prev_blank = true;
	bool truncated = false;
	while ((n = next_line(mb, &line)) > 0) {
		mb->done += (uint64_t)n;
		bool blank = (n == 1 && line[0] == '\n') || (n == 2 && line[0] == '\r' && line[1] == '\n');
		if (is_from_line(line, (size_t)n) && prev_blank && (msg->len > 0)) {
			if (have_from || msg->len > 0) {
				g_string_append_len(mb->pending, line, n);
				break;
			}
		}
		if (is_from_line(line, (size_t)n) && msg->len == 0)
			have_from = true;
		size_t skip = 0;
		size_t keep = unquote_len(line, (size_t)n, &skip);
		if (msg->len + keep <= MAX_MESSAGE_BYTES)
			g_string_append_len(msg, line + skip, keep);
		else
			truncated = true;
		prev_blank = blank;
	}
	(void)truncated;
	if (msg->len == 0) {
		g_string_free(msg, TRUE);
		return NULL;
	}
	/* the blank line before the next "From " belongs to the separator */
	if (mb->pending->len > 0) {
		if (msg->len >= 2 && msg->str[msg->len - 2] == '\r' && msg->str[msg->len - 1] == '\n')
			g_string_truncate(msg, msg->len - 2);
		else if (msg->len >= 1 && msg->str[msg->len - 1] == '\n')
			g_string_truncate(msg, msg->len - 1);
	}
	return g_string_free_to_bytes(msg);
}

/* A directory's entry, read with one open: at most MAX_MESSAGE_BYTES of it
 * (more is cut there, as a file given alone is), straight into a buffer of
 * its size.  When may_be_mbox and it starts with an mbox "From " line,
 * *data is left NULL and true returned: the caller reads it as an mbox.
 * False when it cannot be opened or read. */
static bool entry_read(const char *path, bool may_be_mbox, char **data, gsize *len)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0;
	size_t cap = regular ? (size_t)MIN((uint64_t)st.st_size, (uint64_t)MAX_MESSAGE_BYTES) + 1
	                     : 64 * 1024;
	char *buf = g_malloc(cap);
	size_t got = 0;
	bool ok = true;
	for (;;) {
		size_t want = cap - got;
		ssize_t n = read(fd, buf + got, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		got += (size_t)n;
		if (may_be_mbox && got >= 5 && got - (size_t)n < 5 && memcmp(buf, "From ", 5) == 0) {
			/* an mbox: its messages are read one by one, not all here */
			g_free(buf);
			close(fd);
			return true;
		}
		/* a regular file gives less than asked only at its end: no read
		 * more to be told so */
		if (regular && (size_t)n < want)
			break;
		if (got == cap) {
			if (cap > MAX_MESSAGE_BYTES)
				break;
			/* a file that grew, or no size to go by */
			cap = MIN(cap * 2, (size_t)MAX_MESSAGE_BYTES + 1);
			buf = g_realloc(buf, cap);
		}
	}
	close(fd);
	if (!ok) {
		g_free(buf);
		return false;
	}
	*len = MIN(got, (size_t)MAX_MESSAGE_BYTES);
	buf[*len] = '\0';
	*data = buf;
	return true;
}

static bool named_as_message(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (g_ascii_strcasecmp(dot, ".eml") == 0 || g_ascii_strcasecmp(dot, ".msg") == 0);
}

GBytes *ks_mailbox_next(ks_mailbox *mb, char **where)
{
	g_clear_pointer(&mb->problem, g_free);
	if (mb->files) {
		for (;;) {
			if (mb->inner) {
				/* an mbox inside the directory: each of its messages, as
				 * "FILE:N" for the Nth */
				GBytes *b = ks_mailbox_next(mb->inner, NULL);
				if (b) {
					mb->count++;
					if (where)
						*where = g_strdup_printf("%s:%d", mb->inner->path,
						                         mb->inner->index);
					return b;
				}
				mb->done += mb->inner->done;
				g_clear_pointer(&mb->inner, ks_mailbox_close);
			}
			if (mb->next_file >= mb->files->len)
				return NULL;
			const char *p = g_ptr_array_index(mb->files, mb->next_file++);
			char *data = NULL;
			gsize len = 0;
			/* a file named .eml is one message even when it starts with an
			 * mbox "From " line, as saved mail often does */
			bool read = entry_read(p, !named_as_message(p), &data, &len);
			if (read && !data) {
				if ((mb->inner = ks_mailbox_open(p, NULL)))
					continue;
				read = entry_read(p, false, &data, &len);
			}
			if (!read) {
				/* an entry that cannot be read is named, not skipped: an
				 * empty message whose problem says why */
				struct stat st;
				int fd = open(p, O_RDONLY | O_CLOEXEC);
				int e = errno;
				if (fd >= 0)
					close(fd);
				mb->problem = g_strdup_printf(
					"cannot read: %s",
					stat(p, &st) != 0 && lstat(p, &st) == 0 ? "a broken link"
					: fd < 0                                ? g_strerror(e)
					                                        : "read error");
				mb->count++;
				if (where)
					*where = g_strdup(p);
				return g_bytes_new(NULL, 0);
			}
			mb->done += len;
			mb->count++;
			if (where)
				*where = g_strdup(p);
			return g_bytes_new_take(data, len);
		}
	}
	if (!mb->is_mbox) {
		/* one message file: read whole, never split on a "From " in its body */
		if (mb->index++ > 0)
			return NULL;
		/* read straight into a buffer of the file's size (a pipe or a
		 * growing file may give more or less: the buffer follows) */
		size_t cap = (size_t)MIN(mb->total, (uint64_t)MAX_MESSAGE_BYTES) + 1;
		char *buf = g_malloc(cap);
		size_t len = 0, n;
		while ((n = fread(buf + len, 1, cap - len, mb->fp)) > 0) {
			len += n;
			if (len == cap) {
				if (cap > MAX_MESSAGE_BYTES)
					break;
				cap = MIN(cap * 2, (size_t)MAX_MESSAGE_BYTES + 1);
				buf = g_realloc(buf, cap);
			}
		}
		len = MIN(len, (size_t)MAX_MESSAGE_BYTES);
		mb->done += len;
		if (where)
			*where = g_strdup(mb->path);
		return g_bytes_new_take(buf, len);
	}
	GBytes *b = next_mbox(mb);
	if (b) {
		mb->index++;
		if (where)
			*where = g_strdup(mb->path);
	}
	return b;
}

const char *ks_mailbox_problem(const ks_mailbox *mb)
{
	return mb->problem;
}

int ks_mailbox_index(const ks_mailbox *mb)
{
	return mb->files ? mb->count : mb->index;
}

void ks_mailbox_progress(const ks_mailbox *mb, uint64_t *done, uint64_t *total)
{
	*done = mb->done + (mb->inner ? mb->inner->done : 0);
	*total = mb->total;
}

void ks_mailbox_close(ks_mailbox *mb)
{
	if (!mb)
		return;
	if (mb->fp)
		fclose(mb->fp);
	g_free(mb->buf);
	g_free(mb->input);
	g_free(mb->problem);
	g_string_free(mb->pending, TRUE);
	if (mb->files)
		g_ptr_array_unref(mb->files);
	ks_mailbox_close(mb->inner);
	g_free(mb->path);
	g_free(mb);
}
