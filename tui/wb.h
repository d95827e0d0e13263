/* What the workbench's views share (private to tui/): the view stack, the
 * requests and key map, the status line and the one-line prompt.  Each view
 * (message panes, message list, pager for help/raw/details) is a table of
 * operations, as in tig; the key map is data, and the help overlay is
 * printed from it. */
#ifndef KS_TUI_WB_H
#define KS_TUI_WB_H

#include "core/context.h"
#include "draw.h"
#include "core/i18n.h"
#include "core/report.h"
#include "store.h"

/* Requests, declared once: the enum, the help text and the views whose help
 * lists each (view_ops names, "*" every view) come from here. */
#define KS_REQUESTS(X)                                                   \
	X(UP, "*", N_("move up one row"))                                         \
	X(DOWN, "*", N_("move down one row"))                                     \
	X(PAGE_UP, "*", N_("page up"))                                            \
	X(PAGE_DOWN, "*", N_("page down"))                                        \
	X(TOP, "*", N_("first row"))                                              \
	X(BOTTOM, "*", N_("last row"))                                            \
	X(NEXT_PANE, "message case threads", N_("next pane"))                                        \
	X(PREV_PANE, "message case threads", N_("previous pane"))                                    \
	X(PANE_LEFT, "message", N_("pane to the left"))                                 \
	X(PANE_RIGHT, "message", N_("pane to the right"))                               \
	X(GOTO_PANE, "message", N_("jump to pane 1 Headers 2 Routing 3 Attachments 4 Findings 5 Body 6 Notes")) \
	X(ENTER, "message list case cases search threads choose", N_("open: a finding's whole evidence and rule, an attachment's inner message, details")) \
	X(JUMP, "message", N_("finding: go to the header, hop or part it points to"))      \
	X(NEXT_MESSAGE, "message", N_("message: the next message of the list it was opened from")) \
	X(PIPE, "message", N_("message: pipe the selected part, else the message, to a shell command")) \
	X(PREV_MESSAGE, "message", N_("message: the previous message of that list"))      \
	X(ZOOM, "message", N_("zoom the pane to full screen (again: back)"))          \
	X(RAW, "message", N_("raw source of the message (sanitized); the selected header, hop or part highlighted")) \
	X(SAVE, "message", N_("save the selected attachment (mode 0600, never over a file)")) \
	X(COPY, "message iocs", N_("copy the selected value, defanged (OSC 52), and show it")) \
	X(COPY_RAW, "iocs", N_("IOCs: copy the selected value as it is (live), and show it defanged")) \
	X(IOCS, "message", N_("message: the IOC pane, every indicator with its role"))  \
	X(DECODED, "message pager", N_("attachment: its decoded views (text, a PDF's text and links, de-obfuscated script, contents, macro source, hex); d again: the next")) \
	X(HEX, "message", N_("attachment: its decoded views, from the hex dump"))                \
	X(SEARCH, "message list cases search pager overlay", N_("search in the pane"))                                  \
	X(SEARCH_NEXT, "message pager overlay", N_("next match"))                                     \
	X(SEARCH_PREV, "message pager overlay", N_("previous match"))                                 \
	X(SORT_SEVERITY, "list", N_("message list: sort by severity"))               \
	X(SORT_DATE, "list", N_("message list: sort by date"))                       \
	X(FILTER, "list", N_("message list: filter by text"))                        \
	X(THREADS, "list threads", N_("message list: the thread view (timeline, who wrote to whom); t again: back")) \
	X(ADD_TO_CASE, "message list iocs", N_("message: add it to a case (an existing one or a new one); IOCs: add the indicator to the message's case as the attacker's (exports list it for blocking)")) \
	X(TAG, "list", N_("message list: tag or untag the selected message"))          \
	X(APPLY, "list", N_("message list: ; then a adds every tagged message to a case")) \
	X(NOTE, "message case cases", N_("message, case: write a note (a memo) on the selected row ($EDITOR if set)")) \
	X(VERDICT, "message case cases", N_("message, case: set the case's verdict and BEC type"))  \
	X(CLOSE_CASE, "case cases", N_("case: close it, or reopen it when it is closed"))   \
	X(RENAME_CASE, "case cases", N_("case: rename it (its title offered: typing replaces it, End keeps it to edit)")) \
	X(DELETE_CASE, "case cases", N_("case: delete it with all it holds: messages, findings, IOCs, notes (asks first)")) \
	X(REMOVE_MESSAGE, "case", N_("case: take the selected message, and what it raised, out of the case (asks first)")) \
	X(HISTORY, "case", N_("case: its history, who changed its verdict, status, title or BEC type and when")) \
	X(HELP, "*", N_("this help"))                                             \
	X(REDRAW, "*", N_("redraw the screen"))                                   \
	X(QUIT, "*", N_("back, or quit from the first view"))

typedef enum {
	REQ_NONE = 0,
#define KS_REQ_ENUM(e, views, help) REQ_##e,
	KS_REQUESTS(KS_REQ_ENUM)
#undef KS_REQ_ENUM
	REQ_COUNT
} ks_request;

typedef struct wb wb;
typedef struct view view;

/* A key bound to a request; name is how help and hints show the key (NULL:
 * an alias they leave out). */
typedef struct {
	int key;
	const char *name;
	ks_request req;
} ks_keybinding;

/* A view's own bindings, looked up before the workbench's generic key map
 * (workbench.c), which every view falls back to. */
typedef struct {
	const ks_keybinding *bindings;
	size_t n;
	bool all_keys; /* a text view: every key reaches key(), REQ_NONE when unbound */
} ks_keymap;

typedef struct {
	const char *name;
	void (*draw)(wb *w, view *v);
	/* true when the view handled the request; key is the raw key. */
	bool (*key)(wb *w, view *v, ks_request req, int key);
	void (*click)(wb *w, view *v, int y, int x);
	void (*free)(void *data);
	bool overlay; /* drawn over the view beneath it */
	const ks_keymap *keys; /* the view's own bindings, or NULL */
} view_ops;

struct view {
	const view_ops *ops;
	void *data;
};

struct wb {
	GPtrArray *stack; /* view* */
	char *status;     /* one-line message, cleared on the next key */
	char *search;     /* last search text */
	ks_context *ctx;  /* the analysis context, read on first use (ks_wb_context) */
	ks_store *store;  /* the case store, opened on first use (ks_wb_store) */
	ks_theme theme;
	bool quit;
};

void ks_wb_push(wb *w, const view_ops *ops, void *data);
void ks_wb_pop(wb *w);
/* Pushes a dialog's view and runs the workbench's key loop until the view
 * has left the stack (its key handler pops it; a signal pops it too). */
void ks_wb_run_modal(wb *w, const view_ops *ops, void *data);
void ks_wb_status(wb *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A one-line input at the bottom (dialog.c); NULL when cancelled (Esc).
 * initial is offered selected: Enter takes it, a typed character replaces
 * it, End or Right keeps it to type after it.  g_free. */
char *ks_wb_prompt(wb *w, const char *label, const char *initial);
/* Draws the bottom line: the status message, else hint. */
void ks_wb_draw_status(wb *w, const char *hint);
/* One entry of a view's hint line: a request (and a second one shown with
 * it, or REQ_NONE) and what it does in that view, in a word or two.  The
 * keys are never written here: they come from the key map. */
typedef struct {
	ks_request req, also;
	const char *label;
} ks_hint;
/* The bottom line of view v: the status message, else its hints, each as
 * the first key the key map gives the request in that view (a key that the
 * view binds to something else is not offered) and its label.  A hint
 * that would not fit whole is left out, and those after it. */
void ks_wb_draw_hints(wb *w, const view *v, const ks_hint *hints, size_t n);
/* Asks for a search text (stored in w->search); false when cancelled. */
bool ks_wb_ask_search(wb *w);

/* A scrollable page of text lines (owned), full screen or as an overlay;
 * lines from hl_from to hl_to (source indexes, -1 none) are highlighted. */
void ks_pager_open(wb *w, const char *title, GPtrArray *lines, int hl_from, int hl_to,
                   bool overlay);
/* One page of a paged pager: its title and its lines (owned). */
typedef struct {
	char *title;
	GPtrArray *lines; /* char* */
} ks_pager_page;
void ks_pager_page_free(ks_pager_page *pg);
/* A full-screen pager over several pages of one thing (the decoded views
 * of a part), page start shown first; d shows the next.  Takes pages
 * (ks_pager_page*, at least one, freed with it). */
void ks_pager_open_pages(wb *w, GPtrArray *pages, guint start);
/* The IOC pane over a report (iocview.c); r, c and subject are borrowed
 * from the message view beneath (c: its case, for `a`). */
struct ks_msgcase;
void ks_iocview_open(wb *w, const ks_report *r, struct ks_msgcase *c, const char *subject);
/* The help overlay for view v, generated from its key map and the generic one. */
void ks_help_open(wb *w, const view *v);

/* The message panes over a report; owned reports are freed on close. */
void ks_msgview_open(wb *w, ks_report *r, bool owned, int depth);
/* The message list of a mailbox (mbox, Maildir, directory). */
bool ks_msglist_open(wb *w, const char *path, GError **error);

/* The thread view over a mailbox's threads (threadview.c): threads is
 * borrowed (the message list owns it and outlives the view); index maps a
 * thread message's seq to its 1-based place in the mailbox at path, for
 * Enter; select_seq (or -1) is the message to start on. */
struct ks_thread_set;
void ks_threadview_open(wb *w, const char *path, struct ks_thread_set *threads,
                        const GArray *index, int select_seq);

/* Function keys as the key loop passes them: never equal to a character. */
#define KS_FKEY(k) ((k) | 0x1000000)

/* ---- dialogs (dialog.c): views run by ks_wb_run_modal */

/* A list: the chosen index, or -1 when cancelled (Esc, q). */
int ks_wb_choose(wb *w, const char *title, GPtrArray *items, int initial);
/* A yes/no question on the status line, shown with " (y/N)": y is yes,
 * any other key (Enter, Esc) no. */
bool ks_wb_confirm(wb *w, const char *question);
/* The in-TUI editor under title: the text (g_free), or NULL when cancelled. */
char *ks_wb_edit_text(wb *w, const char *title);

/* ---- the case store in the workbench (casepick.c, caselist.c, caseview.c) */

/* The case store, opened on first use: created when create is set, else
 * only when the file exists.  NULL with the reason in the status line (or
 * silently when it does not exist and create is not set). */
ks_store *ks_wb_store(wb *w, bool create);
/* The analysis context the panes analyse with, read from the store the
 * first time a pane asks (the case list needs none). */
const ks_context *ks_wb_context(wb *w);
/* "database: WHAT: WHY" on the status line; frees err. */
void ks_wb_db_error(wb *w, const char *what, GError *err);
/* Asks for a case: an existing one or "new case…" (title prompt, initial
 * title_hint).  The case id, or 0 when cancelled or on an error (status). */
int64_t ks_wb_pick_case(wb *w, const char *title_hint);
/* Writes a note: $EDITOR on a 0600 temp file when set, else the in-TUI
 * editor; saves it to case_id with about (may be NULL).  True when saved. */
bool ks_wb_write_note(wb *w, int64_t case_id, const char *about);
/* Records ioc in case_id with role as the analyst's judgement (by the
 * note author), which messages added later do not override; says so on
 * the status line.  message_id: the message it came from (0: none). */
bool ks_wb_judge_ioc(wb *w, int64_t case_id, int64_t message_id, const ks_ioc *ioc,
                     ks_ioc_role role);
/* Asks for the verdict and BEC type of case_id and saves them. */
bool ks_wb_set_verdict(wb *w, int64_t case_id);
/* A case's life, as the case commands live it (close, reopen, rename,
 * delete, remove): each says on the status line what it did, or why not,
 * and is true when the store changed. */
/* Closes case_id, or reopens it when it is closed. */
bool ks_wb_close_case(wb *w, int64_t case_id);
/* Asks for a new title, the old one offered selected; Esc, an empty title
 * or the same one change nothing. */
bool ks_wb_rename_case(wb *w, int64_t case_id);
/* Asks (naming the case, its title and what it holds; default no), then
 * deletes case_id and all it holds. */
bool ks_wb_delete_case(wb *w, int64_t case_id);
/* Asks (default no), then takes message_id, whose subject the question
 * shows, and what it raised out of case_id. */
bool ks_wb_remove_message(wb *w, int64_t case_id, int64_t message_id, const char *subject);
/* The case list's and the case view's own keys (workbench.c). */
extern const ks_keymap ks_case_keymap;
/* Bumped by every write the workbench makes: views reload when it moves. */
extern const unsigned *const ks_wb_generation;

/* Where a message in the panes came from: its raw bytes (needed to add it
 * to a case; NULL for an inner message) and the case it belongs to. */
typedef struct {
	GBytes *raw;
	const char *path, *format;
	int64_t case_id, message_id; /* 0: not known to be in a case */
	const char *inner_part;      /* for an inner message: the outer part's path */
} ks_msg_source;
/* The message panes with a source (ks_msgview_open is this without one). */
void ks_msgview_open_source(wb *w, ks_report *r, bool owned, int depth, const ks_msg_source *src);
/* Re-reads message number index (1-based, as ks_mailbox_index counts) of
 * the mailbox at path, analyses it and opens its panes with its raw bytes;
 * says on the status line why when it cannot. */
void ks_msgview_open_mailbox_message(wb *w, const char *path, int index, const ks_context *ctx);

/* The case list (kensa with no argument): cases, FTS search. */
void ks_caselist_open(wb *w);
/* One case: its messages and its notes. */
void ks_caseview_open(wb *w, int64_t case_id, int64_t select_message);

#endif
