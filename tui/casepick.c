/* The case store's dialogs, shared by the case list, the case view and the
 * message panes: the store opened on first use, the case picker, the
 * verdict and BEC-type pickers, the note ($EDITOR on a private temp
 * file, else the in-TUI editor) and a case's life (close or reopen,
 * rename, delete, remove a message), built on the dialogs of dialog.c.
 * Every database error becomes one status line; nothing here draws text
 * except through draw.c. */
#include "wb.h"

#include "cases.h"
#include "cli/cli.h"
#include "text.h"
#include "output/writers.h"

#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned generation;
const unsigned *const ks_wb_generation = &generation;

void ks_wb_db_error(wb *w, const char *what, GError *err)
{
	ks_wb_status(w, _("database: %s: %s"), what, err ? err->message : "unknown error");
	g_clear_error(&err);
}

ks_store *ks_wb_store(wb *w, bool create)
{
	if (w->store)
		return w->store;
	g_autofree char *path = ks_cli_store_location();
	GError *err = NULL;
	w->store = create ? ks_store_open(path, &err) : ks_store_open_existing(path, &err);
	if (w->store) {
		g_autofree char *author = ks_cli_note_author();
		ks_store_set_author(w->store, author);
	}
	if (!w->store && err) {
		/* as ks_cli_open_store says it: the store's errors name its file */
		ks_wb_status(w, _("database: %s"), err->message);
		g_error_free(err);
	}
	return w->store;
}

/* ---- the case picker */

int64_t ks_wb_pick_case(wb *w, const char *title_hint)
{
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return 0;
	GError *err = NULL;
	g_autoptr(GPtrArray) cases = ks_case_list(s, &err);
	if (!cases) {
		ks_wb_db_error(w, _("case list"), err);
		return 0;
	}
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(items, g_strdup(_("new case…")));
	for (guint i = 0; i < cases->len; i++) {
		const ks_case *c = cases->pdata[i];
		g_ptr_array_add(items, g_strdup_printf("#%" G_GINT64_FORMAT "  %-10s  %s", c->id,
		                                       c->verdict, c->title));
	}
	/* "new case…" first and selected: one Enter never files the message in
	 * a case the analyst did not pick */
	int k = ks_wb_choose(w, _("Add to which case?"), items, 0);
	if (k < 0)
		return 0;
	if (k > 0)
		return ((ks_case *)cases->pdata[k - 1])->id;
	g_autofree char *typed = ks_wb_prompt(w, _("New case title: "), title_hint);
	g_autofree char *title = ks_cli_case_title(typed);
	if (!title) {
		ks_wb_status(w, _("no title: no case created"));
		return 0;
	}
	int64_t id = 0;
	if (!ks_case_create(s, title, &id, &err)) {
		ks_wb_db_error(w, _("new case"), err);
		return 0;
	}
	generation++;
	return id;
}

/* ---- the note editor */

/* $EDITOR on a temp file (mode 0600, in $TMPDIR): the analyst's own editor
 * is run, never anything from a message.  The text, or NULL (status set). */
static char *edit_external(wb *w, const char *editor)
{
	GError *err = NULL;
	g_autofree char *tmp = NULL;
	int fd = g_file_open_tmp("kensa-note-XXXXXX.txt", &tmp, &err); /* g_mkstemp: 0600 */
	if (fd < 0) {
		ks_wb_status(w, _("note: temp file: %s"), err->message);
		g_error_free(err);
		return NULL;
	}
	close(fd);
	int argc = 0;
	g_auto(GStrv) words = NULL;
	if (!g_shell_parse_argv(editor, &argc, &words, &err)) {
		ks_wb_status(w, _("note: EDITOR: %s"), err->message);
		g_error_free(err);
		unlink(tmp);
		return NULL;
	}
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	for (int i = 0; i < argc; i++)
		g_ptr_array_add(argv, words[i]);
	g_ptr_array_add(argv, tmp);
	g_ptr_array_add(argv, NULL);
	def_prog_mode();
	endwin();
	int wait_status = 0;
	bool ran = g_spawn_sync(NULL, (char **)argv->pdata, NULL,
	                        G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
	                        NULL, NULL, &wait_status, &err);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	char *text = NULL;
	if (!ran) {
		ks_wb_status(w, _("note: %s: %s"), words[0], err->message);
		g_error_free(err);
	} else if (!g_spawn_check_wait_status(wait_status, &err)) {
		ks_wb_status(w, _("note: the editor failed (%s): nothing saved"), err->message);
		g_error_free(err);
	} else if (!g_file_get_contents(tmp, &text, NULL, &err)) {
		ks_wb_status(w, _("note: %s"), err->message);
		g_error_free(err);
	}
	unlink(tmp);
	return text;
}

/* A note the store refused is kept in a file, so typed text is never lost. */
static char *keep_unsaved(const char *text)
{
	g_autofree char *dir = g_build_filename(g_get_user_cache_dir(), "kensa", NULL);
	g_mkdir_with_parents(dir, 0700);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%S");
	g_autofree char *name = g_strdup_printf("unsaved-note-%s-%d.txt", stamp, (int)getpid());
	char *path = g_build_filename(dir, name, NULL);
	if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
		g_clear_pointer(&path, g_free);
	return path;
}

bool ks_wb_write_note(wb *w, int64_t case_id, const char *about)
{
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return false;
	const char *editor = g_getenv("EDITOR");
	g_autofree char *title =
		about ? g_strdup_printf(_("Note on %s"), about) : g_strdup(_("Note"));
	g_autofree char *text =
		editor && *editor ? edit_external(w, editor) : ks_wb_edit_text(w, title);
	if (!text) {
		if (!w->status)
			ks_wb_status(w, _("note cancelled: nothing saved"));
		return false;
	}
	g_strchomp(text);
	if (!*text) {
		ks_wb_status(w, _("the note is empty: nothing saved"));
		return false;
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		ks_wb_status(w, _("the note is not UTF-8: nothing saved"));
		return false;
	}
	g_autofree char *author = ks_cli_note_author();
	GError *err = NULL;
	int64_t nid = 0;
	if (!ks_case_add_note(s, case_id, author, text, about, &nid, &err)) {
		g_autofree char *kept = keep_unsaved(text);
		ks_wb_status(w, _("database: note NOT saved: %s%s%s"), err ? err->message : "unknown error",
		             kept ? "; its text is in " : "", kept ? kept : "");
		g_clear_error(&err);
		return false;
	}
	generation++;
	ks_wb_status(w, _("note %" PRId64 " saved to case %" PRId64 "%s%s"), nid,
	             case_id, about ? " about " : "", about ? about : "");
	return true;
}

/* ---- an indicator judged */

bool ks_wb_judge_ioc(wb *w, int64_t case_id, int64_t message_id, const ks_ioc *ioc,
                     ks_ioc_role role)
{
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return false;
	g_autofree char *author = ks_cli_note_author();
	g_autofree char *was = NULL;
	g_autofree char *shown = ks_defang(ioc->value, ioc->kind);
	const char *name = ks_ioc_role_name(role);
	GError *err = NULL;
	if (!ks_case_judge_ioc(s, case_id, message_id, ks_ioc_kind_name(ioc->kind), ioc->value, name,
	                       author, &was, &err)) {
		ks_wb_db_error(w, _("IOC"), err);
		return false;
	}
	generation++;
	if (was && strcmp(was, name) == 0)
		ks_wb_status(w, _("%s is in case %" PRId64 " as the %s's, now judged so by %s"),
		             shown, case_id, ks_ioc_role_label(role), author);
	else if (was)
		ks_wb_status(w, _("%s added to case %" PRId64 " as the %s's (was %s)"), shown, case_id,
		             ks_ioc_role_label(role), was);
	else
		ks_wb_status(w, _("%s added to case %" PRId64 " as the %s's"), shown, case_id,
		             ks_ioc_role_label(role));
	return true;
}

/* Case case_id as the store has it now, or NULL (the status says why). */
static ks_case *case_now(wb *w, ks_store *s, int64_t case_id)
{
	GError *err = NULL;
	ks_case *c = ks_case_get(s, case_id, &err);
	if (!c && err)
		ks_wb_db_error(w, _("case"), err);
	else if (!c)
		ks_wb_status(w, _("case %" PRId64 ": no such case"), case_id);
	return c;
}

/* ---- verdict and BEC type */

bool ks_wb_set_verdict(wb *w, int64_t case_id)
{
	ks_store *s = ks_wb_store(w, true);
	g_autoptr(ks_case) c = s ? case_now(w, s, case_id) : NULL;
	if (!c)
		return false;
	GError *err = NULL;
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	int initial = 0;
	for (int i = 0; ks_case_verdicts[i]; i++) {
		if (strcmp(ks_case_verdicts[i], c->verdict) == 0)
			initial = i;
		g_ptr_array_add(items, g_strdup(_(ks_case_verdicts[i])));
	}
	g_autofree char *t1 = g_strdup_printf(_("Verdict for case %" PRId64), case_id);
	int v = ks_wb_choose(w, t1, items, initial);
	if (v < 0) {
		ks_wb_status(w, _("verdict unchanged"));
		return false;
	}
	g_ptr_array_set_size(items, 0);
	for (int t = 0; t <= 5; t++)
		g_ptr_array_add(items, g_strdup_printf("%d  %s", t, _(ks_bec_type_name(t))));
	g_autofree char *t2 = g_strdup_printf(_("BEC type for case %" PRId64 " (IPA)"), case_id);
	int bec = ks_wb_choose(w, t2, items, c->bec_type);
	if (bec < 0) { /* Esc at either step leaves the case as it was */
		ks_wb_status(w, _("verdict unchanged"));
		return false;
	}
	const char *verdict = ks_case_verdicts[v];
	if (!ks_case_set_verdict(s, case_id, verdict, &err)) {
		ks_wb_db_error(w, _("verdict"), err);
		return false;
	}
	generation++;
	if (bec != c->bec_type && !ks_case_set_bec_type(s, case_id, bec, &err)) {
		ks_wb_db_error(w, _("BEC type"), err);
		return false;
	}
	ks_wb_status(w, _("case %" PRId64 ": verdict %s, BEC type %d (%s)"), case_id, _(verdict),
	             bec, _(ks_bec_type_name(bec)));
	return true;
}

/* ---- a case's life: the same calls as case close, reopen, rename,
 * delete and remove (tui/cli/cmd_case.c), asked for in dialogs */

bool ks_wb_close_case(wb *w, int64_t case_id)
{
	ks_store *s = ks_wb_store(w, true);
	g_autoptr(ks_case) c = s ? case_now(w, s, case_id) : NULL;
	if (!c)
		return false;
	bool closed = strcmp(c->status, "closed") == 0;
	GError *err = NULL;
	if (!ks_case_set_status(s, case_id, closed ? "open" : "closed", &err)) {
		g_autofree char *what = g_strdup_printf("%s case %" G_GINT64_FORMAT,
		                                        closed ? "reopen" : "close", case_id);
		ks_wb_db_error(w, what, err);
		return false;
	}
	generation++;
	ks_wb_status(w, closed ? _("case %" PRId64 " reopened") : _("case %" PRId64 " closed"),
	             case_id);
	return true;
}

bool ks_wb_rename_case(wb *w, int64_t case_id)
{
	ks_store *s = ks_wb_store(w, true);
	g_autoptr(ks_case) c = s ? case_now(w, s, case_id) : NULL;
	if (!c)
		return false;
	g_autofree char *label = g_strdup_printf(_("Title of case %" PRId64 ": "), case_id);
	g_autofree char *typed = ks_wb_prompt(w, label, c->title);
	g_autofree char *title = ks_cli_case_title(typed);
	if (!title || strcmp(title, c->title) == 0) {
		ks_wb_status(w, _("case %" PRId64 ": title unchanged"), case_id);
		return false;
	}
	GError *err = NULL;
	if (!ks_case_rename(s, case_id, title, &err)) {
		g_autofree char *what = g_strdup_printf("rename case %" G_GINT64_FORMAT, case_id);
		ks_wb_db_error(w, what, err);
		return false;
	}
	generation++;
	ks_wb_status(w, _("case %" PRId64 " renamed: %s"), case_id, title);
	return true;
}

bool ks_wb_delete_case(wb *w, int64_t case_id)
{
	ks_store *s = ks_wb_store(w, true);
	g_autoptr(ks_case) c = s ? case_now(w, s, case_id) : NULL;
	if (!c)
		return false;
	g_autofree char *holds = ks_cli_case_holdings(c->messages, c->notes);
	g_autofree char *question = g_strdup_printf(
		_("Delete case %" PRId64 " (%s) for good: %s?"), case_id, holds, c->title);
	if (!ks_wb_confirm(w, question)) {
		ks_wb_status(w, _("case %" PRId64 " kept"), case_id);
		return false;
	}
	GError *err = NULL;
	if (!ks_case_delete(s, case_id, &err)) {
		g_autofree char *what = g_strdup_printf("delete case %" G_GINT64_FORMAT, case_id);
		ks_wb_db_error(w, what, err);
		return false;
	}
	generation++;
	ks_wb_status(w, _("case %" PRId64 " deleted (%s): %s"), case_id, holds, c->title);
	return true;
}

bool ks_wb_remove_message(wb *w, int64_t case_id, int64_t message_id, const char *subject)
{
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return false;
	/* subject is the view's, which may reload under the question: it is
	 * read before, and only the ids after */
	g_autofree char *question = g_strdup_printf(
		_("Remove message %" PRId64 " and what it raised from case %" PRId64 ": %s?"),
		message_id, case_id, subject ? subject : _("(no subject)"));
	if (!ks_wb_confirm(w, question)) {
		ks_wb_status(w, _("message %" PRId64 " kept in case %" PRId64),
		             message_id, case_id);
		return false;
	}
	GError *err = NULL;
	bool removed = false;
	if (!ks_case_remove_message(s, case_id, message_id, &removed, &err)) {
		g_autofree char *what = g_strdup_printf("remove message %" G_GINT64_FORMAT, message_id);
		ks_wb_db_error(w, what, err);
		return false;
	}
	generation++; /* the views read the store again, removed or not */
	if (!removed) {
		ks_wb_status(w, _("case %" PRId64 " holds no message %" PRId64
		             " any more"), case_id, message_id);
		return false;
	}
	ks_wb_status(w, _("message %" PRId64 " removed from case %" PRId64),
	             message_id, case_id);
	return true;
}
