#!/bin/sh
# Two analysts on one case store (issue 16): a verdict or a status changed
# by another kensa, here `KENSA_USER=bob kensa case verdict` from a shell,
# shows in the open case view within a reload (3 s) and without a key, with
# who changed it and when beside it; H pages through the case's history,
# a line per change.  Near misses: a case never changed shows no "(name,
# time)" and H says there is nothing to show; a case whose verdict is not
# the one its last recorded change set (a dump imported so) names nobody
# beside it.  At 80 columns the verdict's attribution stays whole and the
# line is never cut; in Japanese the rows stay aligned.  Another analyst's
# name is shown with its escapes visible, never obeyed.
# Needs KENSA (the binary's absolute path); run from anywhere.
set -u
: "${KENSA:?set KENSA to the kensa binary}"
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC USER=analyst
unset KENSA_THEME NO_COLOR EDITOR VISUAL KENSA_USER
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-history.XXXXXX")
export XDG_CONFIG_HOME="$TMPD/config" XDG_CACHE_HOME="$TMPD/cache" XDG_DATA_HOME="$TMPD/data"
export KENSA_DB="$TMPD/db/kensa.db" TMPDIR="$TMPD/tmp"
mkdir -p "$TMPDIR"
SOCK_BASE=kensa-history-$$
. tests/tui/lib/tmux.sh
# the case view reads the store every 3 s: a change from outside shows
# within one reload and some slack, or the test fails
LIVE=${LIVE_TIMEOUT:-8}
# a brief time beside the verdict: the time of day, or the day when the
# change was not today (a test run across midnight)
BRIEF='([0-9]{2}:[0-9]{2} UTC|[0-9]{4}-[0-9]{2}-[0-9]{2})'

# row N of the screen (1-based) matches RE (grep -E), waited for: NAME N RE
row_is() {
	i=0
	while [ $i -lt $((T * 10)) ]; do
		if screen | sed -n "$2p" | grep -qE -- "$3"; then ok "$1"; return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	bad "$1" "row $2: $(screen | sed -n "$2p")"
}
# row N does not match RE now: NAME N RE
row_lacks() {
	if screen | sed -n "$2p" | grep -qE -- "$3"; then bad "$1" "row $2: $(screen | sed -n "$2p")"
	else ok "$1"; fi
}
# "2026-12-07 05:50 UTC": the minute of case ID's last change of FIELD by
# WHO, as `case show` lists it (RFC 3339, UTC) and the workbench shows it
# under TZ=UTC: ID WHO FIELD
changed_at() {
	"$KENSA" case show "$1" | sed -n "s/^  \([0-9-]*\)T\([0-9]*:[0-9]*\):[0-9]*Z  $2  $3: .*/\1 \2 UTC/p" | tail -1
}

NEVER=$("$KENSA" case new "Never changed" | head -1)
ID=$("$KENSA" case new "Wire transfer request" | head -1)
if [ -n "$NEVER" ] && [ -n "$ID" ]; then ok cases_made; else bad cases_made "ids '$NEVER' '$ID'"; fi

# ---- the case opens as nobody has touched it: no "(name, time)"
start 120 40 "$KENSA"
expect list_opens "2 cases —"
keys Enter
expect case_opens "Case $ID: Wire transfer request"
row_is fresh_header 2 "^status open │ verdict undecided │ BEC type 0"
row_lacks fresh_header_names_nobody 2 "  \("
keys H
expect fresh_history_empty "case $ID: no change recorded since it was created"
if screen | grep -qF "History of case"; then bad fresh_history_no_pager "a pager opened"
else ok fresh_history_no_pager; fi

# ---- bob sets the verdict from a shell: the open view shows it, no key sent
KENSA_USER=bob "$KENSA" case verdict "$ID" malicious >/dev/null
t0=$(date +%s)
i=0
while [ $i -lt $((LIVE * 10)) ] && ! screen | sed -n 2p | grep -qF "verdict malicious  (bob, "; do
	sleep 0.1
	i=$((i + 1))
done
if screen | sed -n 2p | grep -qF "verdict malicious  (bob, "; then
	ok "live_verdict_by_bob_within_${LIVE}s ($(($(date +%s) - t0))s)"
else
	bad live_verdict_by_bob "not shown within ${LIVE}s: $(screen | sed -n 2p)"
fi
BOB_AT=$(changed_at "$ID" bob verdict)
expect_row live_verdict_says_when "verdict malicious" "verdict malicious  \(bob, $BOB_AT\) │ BEC type 0 \(none\)"
# the status was never changed: nobody beside it
row_is live_status_names_nobody 2 "^status open │ verdict malicious  \(bob"

# ---- carol closes it: at 120 columns the status shows, but who closed it
# gives way to who set the verdict (at 160 both show, below)
KENSA_USER=carol "$KENSA" case close "$ID" >/dev/null
CAROL_AT=$(changed_at "$ID" carol status)
row_is live_status_closed 2 "^status closed │ verdict malicious  \(bob, $BOB_AT\) │ BEC type 0 \(none\) │ TLP amber *$"

# ---- H: the history, oldest first, one line per change
keys H
expect history_opens "History of case $ID (2 changes, oldest first)"
expect_row history_bob_line "bob" "│$BOB_AT  bob    verdict: undecided → malicious +│"
expect_row history_carol_line "carol" "│$CAROL_AT  carol  status: open → closed +│"
b=$(screen | grep -n ' bob  ' | head -1 | cut -d: -f1)
c=$(screen | grep -n ' carol  ' | head -1 | cut -d: -f1)
if [ -n "$b" ] && [ -n "$c" ] && [ "$b" -lt "$c" ]; then
	ok history_oldest_first
else
	bad history_oldest_first "$(screen | sed -n 1,5p)"
fi
keys q
expect history_q_back "Case $ID: Wire transfer request"

# ---- a name with escapes (another analyst's KENSA_USER) and a title with
# a right-to-left override: shown escaped in the header and the history
KENSA_USER="$(printf 'eve\033[7m')" "$KENSA" case verdict "$ID" phishing >/dev/null
KENSA_USER="$(printf 'eve\033[7m')" "$KENSA" case rename "$ID" "$(printf 'Invoice \342\200\256fdp.exe')" >/dev/null
row_is hostile_author_escaped 2 'verdict phishing  \(eve\\x1B\[7m, '
keys H
expect history_three "History of case $ID (4 changes, oldest first)"
expect_row history_title_escaped "title:" 'title: Wire transfer request → Invoice <U\+202E>fdp\.exe'
# (an ASan build's leak check runs at this exit)
keys q q q
expect live_session_quits_zero "kensa-exit=0"

# ---- the hint line offers H where there is room; help lists it
start 160 40 "$KENSA"
expect wide_list "2 cases —"
keys Enter
expect wide_case "Case $ID: Invoice"
row_is wide_status_by_carol 2 "^status closed  \(carol, $CAROL_AT\) │ verdict phishing  \(eve\\\\x1B\[7m, [0-9: -]+ UTC\) │ BEC type 0 \(none\) │ TLP amber │ updated [0-9: -]+$"
row_is wide_hint_offers_history 40 "  D delete  H history$"
keys '?'
expect_row help_lists_history "its history" " H +case: its history, who changed its verdict, status, title or BEC type and when"
keys q q

# ---- the near miss: a case never changed names nobody, at any width
keys j Enter
expect never_opens "Case $NEVER: Never changed"
row_is never_header 2 "^status open │ verdict undecided │ BEC type 0 \(none\) │ TLP amber │ updated "
row_lacks never_names_nobody 2 "  \("
keys q q

# ---- 80 columns: the update time, the status's attribution, TLP and the
# BEC type's name give way, then the verdict's time says only the time of
# day (today) or the day; who set it stays, and nothing is cut
start 80 24 "$KENSA"
expect small_list "2 cases —"
keys Enter
expect small_case "Case $ID: Invoice"
row_is small_verdict_whole 2 "^status closed │ verdict phishing  \(eve\\\\x1B\[7m, $BRIEF\) │ BEC type 0 *$"
if screen | sed -n 2p | grep -qF '…'; then bad small_header_not_cut "$(screen | sed -n 2p)"
else ok small_header_not_cut; fi
fits small_fits 80
aligned small_aligned 80 2 22
keys q q

# ---- Japanese: the header and the history in Japanese, rows aligned
if locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'; then
	KENSA_USER=山田 "$KENSA" case verdict "$ID" bec >/dev/null
	YAMADA_AT=$(changed_at "$ID" 山田 verdict)
	start 80 24 env LC_ALL= LANG=ja_JP.UTF-8 "$KENSA"
	expect ja_list "事例 2 件"
	keys Enter
	row_is ja_header 2 "^状態 完了 │ 判定 ビジネスメール詐欺 \(BEC\)（山田、$BRIEF） │ BEC のタイプ 0 *$"
	fits ja_fits 80
	aligned ja_aligned 80 2 22
	keys H
	expect ja_history_title "事例 $ID の履歴（5 件、古い順）"
	expect_row ja_history_yamada "山田" "│$YAMADA_AT  山田 +判定: フィッシング → ビジネスメール詐欺"
	expect_row ja_history_bob "bob" "│$BOB_AT  bob +判定: 未判定 → 悪性 +│"
	aligned ja_history_aligned 80 0 22
	# the field column starts at one screen column whatever the name's width
	if screen | python3 -c '
import sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
starts = {cols(l[:l.index("判定:")]) for l in sys.stdin.read().split("\n") if "判定:" in l}
sys.exit(0 if len(starts) == 1 else 1)
'; then ok ja_history_columns; else bad ja_history_columns "$(screen | grep '判定:')"; fi
	keys q q q
	expect ja_quits_zero "kensa-exit=0"
else
	bad ja_locale "no ja_JP.UTF-8 locale (make test makes it: make locale-ja)"
fi

# ---- a verdict its last recorded change did not set (a dump imported so):
# the header names nobody; the history still lists the change
"$KENSA" db export "$TMPD/dump.json" >/dev/null
python3 - "$TMPD/dump.json" "$ID" <<'EOF'
import json, sys
path = sys.argv[1]
d = json.load(open(path))
for c in d["cases"]:
    if c["title"].startswith("Invoice"):
        c["verdict"] = "spam"
json.dump(d, open(path, "w"))
EOF
IMPORTED="$TMPD/imported/kensa.db"
KENSA_DB="$IMPORTED" "$KENSA" db import "$TMPD/dump.json" >/dev/null 2>&1
start 120 40 env KENSA_DB="$IMPORTED" "$KENSA"
expect imported_list "2 cases —"
keys / Invoice Enter
expect imported_found "search: Invoice"
keys Enter
expect imported_case "Invoice"
row_is imported_header 2 "^status closed  \(carol, $CAROL_AT\) │ verdict spam │ BEC type 0"
keys H
expect_row imported_history_lists_change "bob" "verdict: undecided → malicious"
keys q q q q
expect imported_quits_zero "kensa-exit=0"

summary
