# Shared helpers for the tmux-driven TUI tests (tests/tui/test_*.sh).
# POSIX sh, sourced (not run) after the test has cd'd to the repository
# root and set TMPD (removed on exit) and SOCK_BASE (the tmux socket name's
# prefix, e.g. kensa-test-$$):  . tests/tui/lib/tmux.sh
# It lives in a subdirectory so tests/run.sh does not run it as a test.
: "${TMPD:?set TMPD before sourcing lib/tmux.sh}"
: "${SOCK_BASE:?set SOCK_BASE before sourcing lib/tmux.sh}"
SOCK=$SOCK_BASE
RUN=0
T=${TUI_TIMEOUT:-15} # seconds to wait for a screen (ASan builds are slow)
PASS=0
FAIL=0

tm() { tmux -L "$SOCK" "$@"; }
# end_server: kills this test's tmux server, whose hang-up ends kensa.  An
# ASan build's LeakSanitizer, run at that exit, has been seen to spin for
# good now and then (3 of about 60 starts under load, inside its
# stop-the-world); the test is past its checks by then, so a kensa still
# there 20 s later is killed rather than left to burn
# CPU until the job ends.  (Only a process still named kensa is killed: the
# number may have gone to another by then.)
end_server() {
	pids=
	for p in $(tm list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		pids="$pids $(pgrep -P "$p" 2>/dev/null | tr '\n' ' ')"
	done
	tm kill-server 2>/dev/null
	[ -n "$(echo $pids)" ] || return 0
	(
		sleep 20
		for p in $pids; do
			case $(ps -o comm= -p "$p" 2>/dev/null) in
			kensa*) kill -KILL "$p" 2>/dev/null ;;
			esac
		done
	) </dev/null >/dev/null 2>&1 &
}
cleanup() { end_server; rm -rf "$TMPD"; }
trap cleanup EXIT INT TERM

ok() { echo "ok $1"; PASS=$((PASS + 1)); }
bad() { echo "FAIL $1: $2"; FAIL=$((FAIL + 1)); }
# the closing line; its status is the test's exit status
summary() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# start W H ARGS...: a fresh server showing kensa; the shell then prints
# its exit status so a test can see how it ended.
start() {
	w=$1 h=$2
	shift 2
	end_server
	RUN=$((RUN + 1))
	SOCK=$SOCK_BASE-$RUN # a fresh server each time: no race with the last one
	tm -f /dev/null new-session -d -x "$w" -y "$h" \
		"$* ; echo kensa-exit=\$? ; sleep 600"
	tm set-option -g status off >/dev/null 2>&1
}
screen() { tm capture-pane -p; }
# wait_for TEXT: polls the screen until TEXT shows (fixed string)
wait_for() {
	i=0
	while [ $i -lt $((T * 10)) ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# wait_gone TEXT: polls until TEXT is no longer on the screen
wait_gone() {
	i=0
	while [ $i -lt $((T * 10)) ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
keys() { tm send-keys "$@"; }
expect() { # NAME TEXT
	if wait_for "$2"; then ok "$1"; else bad "$1" "'$2' not on screen"; screen | sed 's/^/  | /'; fi
}
expect_gone() { # NAME TEXT
	if wait_gone "$2"; then ok "$1"; else bad "$1" "'$2' still on screen"; fi
}
# the first screen line holds TEXT, waited for (a view drawn again after a
# key shows the old one for a moment; an ASan build is slow): NAME TEXT
line1() {
	i=0
	while [ $i -lt $((T * 10)) ]; do
		if screen | sed -n 1p | grep -qF -- "$2"; then ok "$1"; return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	bad "$1" "first line: $(screen | sed -n 1p)"
}
# a screen row holding TEXT also matches RE (grep -E): NAME TEXT RE
expect_row() {
	i=0
	while [ $i -lt $((T * 10)) ]; do
		if screen | grep -F -- "$2" | grep -qE -- "$3"; then ok "$1"; return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	bad "$1" "no row with '$2' matching '$3'"
	screen | sed 's/^/  | /'
}
# CLI output holds TEXT: NAME TEXT CMD...
cli_has() {
	name=$1 text=$2
	shift 2
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -qF -- "$text"; then ok "$name"
	else bad "$name" "'$text' not in: $(printf '%s' "$out" | head -20)"; fi
}
# CLI output does not hold TEXT: NAME TEXT CMD...
cli_lacks() {
	name=$1 text=$2
	shift 2
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -qF -- "$text"; then bad "$name" "'$text' in: $(printf '%s' "$out" | head -20)"
	else ok "$name"; fi
}
# a row of the CLI output holding TEXT also matches RE: NAME TEXT RE CMD...
cli_row() {
	name=$1 text=$2 re=$3
	shift 3
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -F -- "$text" | grep -qE -- "$re"; then ok "$name"
	else bad "$name" "no row with '$text' matching '$re' in: $(printf '%s' "$out" | head -20)"; fi
}
# every line of the screen takes exactly W columns (wide characters aligned)
aligned() { # NAME W FIRST LAST (0-based rows)
	if screen | python3 -c '
import sys, unicodedata
w, first, last = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
lines = sys.stdin.read().split("\n")
def cols(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [(i, cols(l)) for i, l in enumerate(lines[first:last + 1], first) if cols(l) != w]
if bad:
    print("rows with the wrong width:", bad[:5]); sys.exit(1)
' "$2" "$3" "$4"; then ok "$1"; else bad "$1" "misaligned rows"; screen | sed 's/^/  | /'; fi
}
# no row wider than W columns (lists leave their ends blank)
fits() { # NAME W
	if screen | python3 -c '
import sys, unicodedata
w = int(sys.argv[1])
def cols(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [(i, cols(l)) for i, l in enumerate(sys.stdin.read().split("\n")) if cols(l) > w]
if bad:
    print("rows too wide:", bad[:5]); sys.exit(1)
' "$2"; then ok "$1"; else bad "$1" "rows too wide"; screen | sed 's/^/  | /'; fi
}
