#!/bin/sh
# The thread view as a person sees it, in a private tmux server: the
# hijacked conversation (samples/thread_hijack.mbox) opened with no set-up
# shows the threads, the timeline starting on the first message from the
# lookalike with what it changed, the drift findings and the
# who-wrote-to-whom sketch in box characters; Enter opens that message's
# panes and q comes back to the same row; t and q leave the view; the help
# lists t; the benign thread shows no lookalike; a small screen stays sane.
# Needs KENSA (the binary's absolute path); run from anywhere.
set -u
: "${KENSA:?set KENSA to the kensa binary}"
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset KENSA_THEME NO_COLOR
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-tui-thread.XXXXXX")
export XDG_CONFIG_HOME="$TMPD/config" XDG_CACHE_HOME="$TMPD/cache" XDG_DATA_HOME="$TMPD/data"
export KENSA_DB="$TMPD/kensa.db"
SOCK_BASE=kensa-thread-$$
. tests/tui/lib/tmux.sh

# the selected timeline row ("▶" inside the Timeline box) contains TEXT
selected_has() { # NAME TEXT
	i=0
	while [ $i -lt $((T * 10)) ]; do
		screen | grep -F '▶#' | grep -qF -- "$2" && { ok "$1"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	bad "$1" "selected row is not '$2'"
	screen | sed 's/^/  | /'
}

# ---- the hijacked conversation
start 140 45 "$KENSA" samples/thread_hijack.mbox
expect list_loaded "5 messages"
keys t
expect view_title "1 threads, 1 with drift findings"
expect threads_pane "Threads"
expect thread_listed "【小金部品】1月分 請求書送付のご案内"
expect headline_first_lookalike "first from a lookalike: #3, koganne-parts.co.jp imitates kogane-parts.co.jp"
selected_has starts_on_first_lookalike_message "#3"
expect lookalike_row_marked "● ichiro.tanaka@koganne-parts.co.jp  LOOKALIKE of kogane-parts.co.jp"
expect changed_fields "CHANGED: sender domain, Cc, authentication, payment details"
expect drift_payment "▲ thread.payment_details_changed  account 7654321 (earlier 1234567 in message 1)"
expect drift_cc "▲ thread.cc_lookalike"
expect event_pdf_created "振込先変更のお知らせ.pdf created"
expect sketch_title "Who wrote to whom"
expect sketch_columns "!koganne-parts.co.jp"
expect sketch_arrow_right "●─────"
if screen | grep -qF '◄' && screen | grep -qF '┬' && screen | grep -qF '┴'; then ok sketch_box_characters
else bad sketch_box_characters "no ◄ ┬ ┴"; screen | sed 's/^/  | /'; fi

# Enter opens the panes of message 3; q returns to the same row
keys Enter
expect enter_opens_message_panes "1 Headers ("
expect enter_opened_the_lookalike_mail "koganne-parts.co.jp"
keys q
expect q_returns_to_thread_view "Who wrote to whom"
selected_has q_keeps_the_row "#3"

# moving down to message 5: its Reply-To drift
keys j j j j j j j j j j j j j j
expect drift_reply_to "▲ thread.reply_to_changed"
expect drift_missing_quote "▲ thread.missing_quoted_message"

# the help lists t; t leaves the view; q quits
keys '?'
expect help_lists_threads "the thread view"
keys q
expect_gone help_closed "workbench keys"
keys t
expect t_back_to_list "Enter open  t threads"
keys q
expect quit "kensa-exit=0"

# ---- the benign long thread: one thread, no lookalike, no drift
start 140 45 "$KENSA" samples/thread_benign.mbox
expect benign_loaded "6 messages"
keys t
expect benign_one_thread "1 threads, 0 with drift findings"
if wait_for "Timeline: 部品Aの納期について" && ! screen | grep -qF 'LOOKALIKE' && ! screen | grep -qF '▲'; then
	ok benign_no_lookalike_no_drift
else bad benign_no_lookalike_no_drift "lookalike or drift on screen"; screen | sed 's/^/  | /'; fi
keys q q
expect benign_quit "kensa-exit=0"

# ---- the samples mailbox: the invoice thread comes first; a small screen
start 80 24 "$KENSA" samples/mailbox.mbox
expect mailbox_loaded "17 messages"
keys t
expect mailbox_drifting_thread_first "first from a lookalike: #2"
keys Tab j Enter
expect thread_switch_moves_timeline "Timeline: FW:"
keys q q
expect small_quit "kensa-exit=0"

summary
