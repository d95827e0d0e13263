#!/bin/sh
# The case store in the workbench, as an analyst uses it: the real binary
# in a private tmux server, the store (KENSA_DB) and the XDG directories in
# a temp dir.  A case made with the CLI shows in the case list (`kensa` with
# no argument); Enter opens its messages, Enter a message's panes; a note
# typed in the in-TUI editor (EDITOR unset) and one written with $EDITOR
# land in the Notes pane and in `kensa case show`; `v` sets the verdict and
# BEC type; `a` adds a file's message to a new case; `/` finds a Japanese
# subject word; the 80x24 layout with the Notes pane stays aligned; c
# closes and reopens a case, R renames it, D deletes it and d takes a
# message out of it, each asked first where it loses data, each seen in the
# views and in `kensa case list|show`; a read-only store refuses them with
# one line naming the file once; a bad store is one error line and exit 4.
# Needs KENSA (the binary's absolute path); run from anywhere.
set -u
: "${KENSA:?set KENSA to the kensa binary}"
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC USER=analyst
unset KENSA_THEME NO_COLOR EDITOR VISUAL
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-cases.XXXXXX")
export XDG_CONFIG_HOME="$TMPD/config" XDG_CACHE_HOME="$TMPD/cache" XDG_DATA_HOME="$TMPD/data"
export KENSA_DB="$TMPD/db/kensa.db" TMPDIR="$TMPD/tmp"
mkdir -p "$TMPDIR"
SOCK_BASE=kensa-cases-$$
. tests/tui/lib/tmux.sh

# ---- a case made with the CLI
ID=$("$KENSA" case new "Phone call from the CEO" | head -1)
"$KENSA" case add "$ID" samples/ceo_fraud_ja.eml >/dev/null 2>&1
if [ -n "$ID" ] && "$KENSA" case show "$ID" | grep -qF '買収案件'; then ok cli_case_made
else bad cli_case_made "case new/add failed (id '$ID')"; fi

# ---- the case list
start 120 40 "$KENSA"
expect caselist_opens_without_argument "1 case —"
expect caselist_columns "LAST NOTE"
expect caselist_case_row "Phone call from the CEO"
expect caselist_verdict_undecided "undecided"

# ---- Enter: the case's messages; Enter: the panes from the stored bytes
keys Enter
expect caseview_opens "Case $ID: Phone call from the CEO"
expect caseview_lists_message "【至急・極秘】買収案件について"
expect caseview_top_severity "HIGH"
expect caseview_notes_pane "(no notes: m writes one)"
keys Enter
expect case_message_panes "[4 Findings ("
expect case_message_notes_pane "6 Notes (0)"
expect case_message_reanalysed "a sender-side domain looks like"

# ---- m: the in-TUI editor (EDITOR unset), about the selected finding
keys m
expect note_editor_opens " finding:identity.lookalike_domain"
expect note_editor_names_message "Note on message:"
keys '本件は偽装' Space 'lookalike' Enter 'second line'
expect note_editor_shows_text "本件は偽装 lookalike"
keys BSpace BSpace BSpace BSpace 'LINE'
expect note_editor_backspace "second LINE"
keys C-d
expect note_saved_status "saved to case $ID about message:"
expect note_in_notes_pane "本件は偽装 lookalike"
expect note_pane_about " finding:identity.lookalike_domain"
cli_has note_in_case_show "本件は偽装 lookalike" "$KENSA" case show "$ID"
cli_has note_about_in_case_show " finding:identity.lookalike_domain" "$KENSA" case show "$ID"
cli_has note_about_names_message "about message:" "$KENSA" case show "$ID"
cli_has note_second_line_in_case_show "second LINE" "$KENSA" case show "$ID"

# ---- Esc cancels an empty note; a header row gives header:NAME
keys 1 g m
expect note_about_header " header:From"
keys Escape
expect note_cancel_says_so "nothing saved"

# ---- v: verdict and BEC type; Esc at the BEC step changes nothing
keys v
expect verdict_picker_opens_first "Verdict for case $ID"
keys Down Enter
expect bec_picker_opens_first "BEC type for case $ID"
keys Escape
expect esc_at_bec_leaves_verdict "verdict unchanged"
cli_has esc_at_bec_case_undecided "verdict undecided" "$KENSA" case show "$ID"
keys v
expect verdict_picker_opens "Verdict for case $ID"
keys Down Down Down Down Enter
expect bec_picker_opens "BEC type for case $ID"
keys G Enter
expect verdict_saved_status "verdict phishing, BEC type 5"
cli_has verdict_in_case_show "verdict phishing, BEC type 5" "$KENSA" case show "$ID"

# ---- q back to the case: notes newest first; q back to the list
keys q
expect case_notes_listed "本件は偽装 lookalike"
expect case_verdict_shown "verdict phishing"
keys q
expect caselist_shows_verdict "phishing"
expect caselist_shows_last_note "本件は偽装 lookalike"

# ---- / searches (FTS) and finds the Japanese subject word
keys / '買収案件' Enter
expect search_results "search: 買収案件"
expect search_finds_message "【至急・極秘】買収案件について"
keys Enter
expect search_enter_opens_case "Case $ID: Phone call from the CEO"
keys q q
expect search_q_returns_to_list "LAST NOTE"
keys / 'nothing-matches-this' Enter
expect search_no_match "no match"
keys q q
expect quit_exits_zero "kensa-exit=0"

# ---- a: a message from a file, added to a new case
start 120 40 "$KENSA" samples/invoice_lookalike_thread.eml
expect file_view_opens "[4 Findings ("
keys a
expect add_picker_opens "Add to which case?"
expect add_picker_lists_case "Phone call from the CEO"
# "new case…" is selected first: one Enter asks for a title, never files
# the message in the newest case
keys Enter
expect add_picker_starts_on_new_case "New case title:"
# the subject is offered selected: typing replaces it
keys 'Invoice fraud from a file' Enter
expect add_says_added "added to case"
expect add_shows_notes_pane "6 Notes ("
cli_has add_in_case_list "Invoice fraud from a file" "$KENSA" case list
if "$KENSA" case list 2>&1 | grep -q "RE: .*Invoice fraud from a file"; then
	bad add_title_replaces_offered_subject "the typed title was appended to the subject"
else
	ok add_title_replaces_offered_subject
fi
keys a g Down Enter
expect add_twice_is_noop "nothing added"
keys q
expect file_view_quits "kensa-exit=0"

# ---- a file whose bytes are in a case already opens with that case's notes
start 120 40 "$KENSA" samples/invoice_lookalike_thread.eml
expect file_in_case_shows_notes "6 Notes ("
keys q

# ---- m on a message in no case offers to add it first
start 120 40 "$KENSA" samples/payroll_diversion.eml
expect nocase_view_opens "[4 Findings ("
keys m
expect note_offers_add "in no case yet"
keys n
expect note_declined "nothing saved"
keys q

# ---- $EDITOR: run on a 0600 temp file in TMPDIR, the screen comes back
cat >"$TMPD/ed.sh" <<'EOF'
#!/bin/sh
stat -c %a "$1" >"$ED_MODE"
dirname "$1" >"$ED_DIR"
printf 'written in the editor\n' >>"$1"
EOF
chmod +x "$TMPD/ed.sh"
start 120 40 env EDITOR="$TMPD/ed.sh" ED_MODE="$TMPD/ed.mode" ED_DIR="$TMPD/ed.dir" \
	"$KENSA" samples/ceo_fraud_ja.eml
expect editor_file_in_case "6 Notes ("
keys 2 m
expect editor_note_saved "saved to case $ID about"
expect editor_screen_restored "[2 Routing ("
if [ "$(cat "$TMPD/ed.mode" 2>/dev/null)" = 600 ]; then ok editor_temp_mode_0600
else bad editor_temp_mode_0600 "mode $(cat "$TMPD/ed.mode" 2>/dev/null)"; fi
if [ "$(cat "$TMPD/ed.dir" 2>/dev/null)" = "$TMPDIR" ]; then ok editor_temp_in_tmpdir
else bad editor_temp_in_tmpdir "dir $(cat "$TMPD/ed.dir" 2>/dev/null)"; fi
if ls "$TMPDIR" | grep -q kensa-note; then bad editor_temp_removed "left in $TMPDIR"
else ok editor_temp_removed; fi
cli_has editor_note_in_case_show "written in the editor" "$KENSA" case show "$ID"
keys q

# ---- 80x24: the panes with Notes stay usable and aligned
start 80 24 "$KENSA" samples/ceo_fraud_ja.eml
expect small_notes_pane "6 Notes ("
expect small_body_pane "5 Body ("
sleep 0.3
aligned small_rows_aligned 80 2 22
keys 6
expect small_notes_focus "[6 Notes ("
keys q
start 80 24 "$KENSA"
expect small_caselist "LAST NOTE"
# the header is drawn before the rows: Enter only once the case row is there.
# Which case is first depends on update times that can share a second, so the
# check is on the layout of whichever case opens, not on its notes.
expect small_caselist_row "Phone call"
fits small_caselist_fits 80
# the hint line keeps whole hints, most useful first: a key is never cut
# from what it does (the case list's q quit, the case view's case keys
# are left to help at this width)
expect small_caselist_hints_whole "v verdict  c close  R rename  D delete  ? help"
if screen | tail -1 | grep -qF '…'; then bad small_caselist_hints_not_cut "$(screen | tail -1)"
else ok small_caselist_hints_not_cut; fi
keys Enter
expect small_caseview "), newest first"
aligned small_caseview_aligned 80 2 22
fits small_caseview_fits 80
expect small_caseview_hints_whole "v verdict  q back  ? help"
if screen | tail -1 | grep -qF '…'; then bad small_caseview_hints_not_cut "$(screen | tail -1)"
else ok small_caseview_hints_not_cut; fi
keys q q

# ---- help lists the keys of the view it opens over: the case list takes
# notes and verdicts, not "add to a case" (a message's key)
start 120 40 "$KENSA"
expect help_list_opens "LAST NOTE"
keys '?'
expect help_lists_note "write a note"
expect help_lists_verdict "verdict and BEC type"
expect_gone help_case_list_has_no_add "add it to a case"
keys q q

# ---- a read-only store: the case list and a case read; a write says so.
# Root ignores file modes, so as root the workbench runs as nobody
# (setpriv); otherwise the copy and its directory are made read-only.
ROD="$TMPD/ro"
mkdir -p "$ROD/cache"
cp "$KENSA_DB" "$ROD/kensa.db"
chmod 644 "$ROD/kensa.db"
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$TMPD"
	chmod 755 "$ROD"
	chown 65534 "$ROD/cache"
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	chmod 555 "$ROD"
	AS=""
fi
ro_sum=$(sha256sum "$ROD/kensa.db")
start 120 40 env KENSA_DB="$ROD/kensa.db" XDG_CACHE_HOME="$ROD/cache" $AS "$KENSA"
expect readonly_caselist_row "Phone call from the CEO"
# two cases whose updates can share a second: the one with the Japanese
# subject is reached by search, not by its row's place
keys / '買収案件' Enter
expect readonly_search_finds "【至急・極秘】買収案件について"
keys Enter
expect readonly_caseview_opens "Case $ID: Phone call from the CEO"
keys v
expect readonly_verdict_picker "Verdict for case $ID"
keys Enter
expect readonly_bec_picker "BEC type for case $ID"
keys Enter
expect readonly_write_refused "read-only database"
# a case's life is refused the same way: one line, the file named once
keys c
expect readonly_close_refused "database: close case $ID: $ROD/kensa.db: read-only database"
if [ "$(screen | tail -1 | grep -o 'kensa\.db' | wc -l)" = 1 ]; then ok readonly_close_names_file_once
else bad readonly_close_names_file_once "$(screen | tail -1)"; fi
keys D
expect readonly_delete_asks "Delete case $ID"
keys y
expect readonly_delete_refused "database: delete case $ID: $ROD/kensa.db: read-only database"
expect readonly_delete_view_stays "Case $ID: Phone call from the CEO"
keys d
expect readonly_remove_asks "Remove message"
keys y
expect readonly_remove_refused "$ROD/kensa.db: read-only database"
expect readonly_remove_keeps_row "【至急・極秘】買収案件について"
keys q q q q
expect readonly_quits_zero "kensa-exit=0"
if [ "$(sha256sum "$ROD/kensa.db")" = "$ro_sum" ] && [ "$(ls "$ROD")" = "cache
kensa.db" ]; then ok readonly_store_untouched
else bad readonly_store_untouched "$(ls "$ROD")"; fi
[ "$(id -u)" = 0 ] || chmod 755 "$ROD"

# ---- a case's life (#14): c closes and reopens, R renames, D deletes and d
# takes a message out of a case; what loses data asks first, default no.
# A store of its own, so the rows are known (newest first, the id breaking
# a tie): "Lifecycle life" (two messages), "Lifecycle keep" (a note), and
# "Lifecycle oldest" with a title too long for one line at 80 columns.
LIFE="$TMPD/life/kensa.db"
life() { env KENSA_DB="$LIFE" "$KENSA" "$@"; }
OLDEST=$(life case new "Lifecycle oldest, whose title goes on about the invoice, the bank account and the payroll change" | head -1)
KEEP=$(life case new "Lifecycle keep" | head -1)
life case note "$KEEP" "keep this one" >/dev/null
LIFEID=$(life case new "Lifecycle life" | head -1)
life case add "$LIFEID" samples/ceo_fraud_ja.eml samples/payroll_diversion.eml >/dev/null 2>&1
cli_has life_cases_made "messages (2)" life case show "$LIFEID"

# help lists c, R and D in the case list, d too in the case view; the
# message list's help has none of them (D sorts by date there)
start 120 40 env KENSA_DB="$LIFE" "$KENSA"
expect life_list_opens "3 cases —"
keys '?'
expect_row help_list_close "close it, or reopen it" " c +case: "
expect_row help_list_rename "rename it" " R +case: "
expect_row help_list_delete "delete it with all it holds" " D +case: "
expect_gone help_list_no_remove "take the selected message"
keys q Enter
expect life_help_caseview "Case $LIFEID: Lifecycle life"
keys '?'
expect_row help_case_remove "take the selected message" " d +case: "
expect_row help_case_delete "delete it with all it holds" " D +case: "
keys q q q
start 120 40 env KENSA_DB="$LIFE" "$KENSA" samples/mailbox.mbox
expect life_msglist "17 messages,"
keys '?'
expect_row help_msglist_D_sorts "sort by date" " D +message list: sort by date"
expect_gone help_msglist_no_close "close it, or reopen it"
expect_gone help_msglist_no_delete "delete it with all it holds"
keys q q

# c: closed in the row, the hint and the store; c again: open
start 120 40 env KENSA_DB="$LIFE" "$KENSA"
expect life_list_hints "v verdict  c close  R rename  D delete  ? help"
expect_row life_starts_open "Lifecycle life" " open +undecided"
keys c
expect life_close_status "case $LIFEID closed"
expect_row life_close_row "Lifecycle life" " closed +undecided"
keys C-l
expect life_hint_offers_reopen "c reopen  R rename"
cli_row life_close_in_store "Lifecycle life" " closed " life case list
keys c
expect life_reopen_status "case $LIFEID reopened"
expect_row life_reopen_row "Lifecycle life" " open +undecided"
cli_has life_reopen_in_store "status open," life case show "$LIFEID"

# R: the title offered selected; Esc, or the title erased, changes nothing
keys R
expect life_rename_prompt "Title of case $LIFEID: Lifecycle life"
keys Escape
expect life_rename_esc "case $LIFEID: title unchanged"
keys R
expect life_rename_prompt_again "Title of case $LIFEID:"
keys BSpace Enter
expect life_rename_empty "case $LIFEID: title unchanged"
cli_has life_rename_esc_in_store "case $LIFEID: Lifecycle life" life case show "$LIFEID"
keys R 'Renamed life' Enter
expect life_rename_status "case $LIFEID renamed: Renamed life"
expect_row life_rename_row "Renamed life" " open +undecided"
cli_has life_rename_in_store "case $LIFEID: Renamed life" life case show "$LIFEID"

# the case view: d asks (default no) before taking the selected message out
keys Enter
expect life_caseview "Case $LIFEID: Renamed life"
expect life_caseview_two "[Messages (2)]"
expect life_caseview_hints "d remove message  c close  R rename  D delete"
keys d
expect life_remove_asks "Remove message"
expect life_remove_names_it "from case $LIFEID: 【至急・極秘】買収案件について? (y/N)"
keys n
expect life_remove_no "kept in case $LIFEID"
expect life_remove_no_keeps "[Messages (2)]"
keys d
expect life_remove_asks_again "Remove message"
keys y
expect life_remove_status "removed from case $LIFEID"
expect life_remove_count "[Messages (1)]"
expect_gone life_remove_row_gone "【至急・極秘】買収案件について"
cli_has life_remove_in_store "messages (1)" life case show "$LIFEID"
cli_lacks life_removed_message_gone "買収案件" life case show "$LIFEID"
# the message row must be the selection: from the Notes pane d says so
keys Tab d
expect life_remove_needs_message_row "select a message"
keys Tab
# c and R work here too: the header follows
keys c
expect life_caseview_closed "status closed │"
keys c
expect life_caseview_reopened "status open │"
keys R 'Life in view' Enter
expect life_caseview_renamed "Case $LIFEID: Life in view"
keys q
expect_row life_list_message_count "Life in view" " open +undecided +[0-9] +1 "

# D in the list: the question names the case and what it holds; n and
# Enter keep it, y deletes it and the row below takes the selection
keys j D
expect life_delete_asks "Delete case $KEEP (0 messages, 1 note) for good: Lifecycle keep? (y/N)"
keys n
expect life_delete_no "case $KEEP kept"
keys D
expect life_delete_asks_again "Delete case $KEEP"
keys Enter
expect life_delete_enter_is_no "case $KEEP kept"
expect_row life_delete_no_keeps_row "Lifecycle keep" " open +undecided"
cli_has life_delete_no_in_store "Lifecycle keep" life case list
keys D y
expect life_delete_status "case $KEEP deleted (0 messages, 1 note): Lifecycle keep"
expect life_delete_two_left "2 cases —"
if screen | sed '$d' | grep -qF "Lifecycle keep"; then bad life_delete_row_gone "still listed"
else ok life_delete_row_gone; fi
cli_lacks life_delete_in_store "Lifecycle keep" life case list
cli_has life_delete_show_refuses "no such case" life case show "$KEEP"
keys Enter
expect life_delete_selection_moves_down "Case $OLDEST: Lifecycle oldest"
keys q

# D in the case view: asked, then back to the list without the case
keys g Enter
expect life_view_delete_opens "Case $LIFEID: Life in view"
keys D
expect life_view_delete_asks "Delete case $LIFEID (1 message, 0 notes) for good: Life in view? (y/N)"
keys y
expect life_view_delete_back "1 case —"
expect life_view_delete_status "case $LIFEID deleted (1 message, 0 notes)"
cli_lacks life_view_delete_in_store "Life in view" life case list
keys q
expect life_quits_zero "kensa-exit=0"

# 80 columns: a long title is cut in the question, never its (y/N)
start 80 24 env KENSA_DB="$LIFE" "$KENSA"
expect life_small_list "1 case —"
keys D
expect life_small_delete_answer "(y/N)"
expect life_small_delete_names "Delete case $OLDEST (no messages or notes) for good: Lifecycle"
fits life_small_delete_fits 80
keys n
expect life_small_delete_no "case $OLDEST kept"
keys q

# ---- a store that is not a database: one error line, exit 4
printf 'not a database, just text\n%.0s' $(seq 1 200) >"$TMPD/bad.db"
start 120 40 env KENSA_DB="$TMPD/bad.db" "$KENSA"
expect bad_store_exit_4 "kensa-exit=4"
expect bad_store_one_line "kensa: database: $TMPD/bad.db: file is not a database"
if [ "$(screen | grep -c '^kensa: ')" = 1 ] && [ "$(screen | grep -o 'bad\.db' | wc -l)" = 1 ]; then
	ok bad_store_names_file_once
else
	bad bad_store_names_file_once "$(screen | grep '^kensa: ')"
fi

# ---- no terminal: exit 2 with the analyze hint, as before
out=$("$KENSA" </dev/null 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -qF 'kensa analyze'; then ok no_terminal_exits_2_with_hint
else bad no_terminal_exits_2_with_hint "exit $rc: $out"; fi

summary
