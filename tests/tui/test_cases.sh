#!/bin/sh
# The case store in the workbench, as an analyst uses it: the real binary
# in a private tmux server, the store (KENSA_DB) and the XDG directories in
# a temp dir.  A case made with the CLI shows in the case list (`kensa` with
# no argument); Enter opens its messages, Enter a message's panes; a note
# typed in the in-TUI editor (EDITOR unset) and one written with $EDITOR
# land in the Notes pane and in `kensa case show`; `v` sets the verdict and
# BEC type; `a` adds a file's message to a new case; `/` finds a Japanese
# subject word; the 80x24 layout with the Notes pane stays aligned; a bad
# store is one error line and exit 4.
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
keys Enter
expect small_caseview "), newest first"
aligned small_caseview_aligned 80 2 22
fits small_caseview_fits 80
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
keys q q q q
expect readonly_quits_zero "kensa-exit=0"
if [ "$(sha256sum "$ROD/kensa.db")" = "$ro_sum" ] && [ "$(ls "$ROD")" = "cache
kensa.db" ]; then ok readonly_store_untouched
else bad readonly_store_untouched "$(ls "$ROD")"; fi
[ "$(id -u)" = 0 ] || chmod 755 "$ROD"

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
