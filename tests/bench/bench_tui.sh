#!/bin/sh
# make bench, workbench: time to the first screen (a typical message and the
# 20 MB one), the 10,000-message list (load, then scrolling), and how much is
# redrawn per keystroke.  Driven through a private tmux server by
# tests/bench/tui_bench.py (see there for the method and its resolution).
#
#   sh tests/bench/bench_tui.sh     (bench.sh calls it; KENSA=PATH, default ./kensa)
#
# Environment: KENSA, BENCH_TUI_RUNS (default 5).  Needs the data of
# gen_mbox.py (bench.sh makes it).  Exit 0 when a target is missed; 1 when
# kensa does not exit cleanly; tmux missing is reported and skipped (exit 0).
set -u

KENSA=${KENSA:-./kensa}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 2
case $KENSA in /*) ;; *) KENSA=$(pwd)/$KENSA ;; esac
RUNS=${BENCH_TUI_RUNS:-5}
TYPICAL=samples/ceo_fraud_ja.eml
BIG=tests/bench/out/big_20mb.eml
MBOX=tests/bench/out/bench.mbox

[ -x "$KENSA" ] || { echo "bench_tui: $KENSA: not built" >&2; exit 2; }
if ! command -v tmux >/dev/null 2>&1; then
	echo "workbench: tmux not installed: skipped"
	echo "SKIP workbench first screen, list scrolling and redraw (no tmux)"
	exit 0
fi
for f in "$TYPICAL" "$BIG" "$MBOX"; do
	[ -f "$f" ] || { echo "bench_tui: $f missing (run bench.sh, which generates it)" >&2; exit 2; }
done

OUT=$(mktemp "${TMPDIR:-/tmp}/kensa-bench-tui.XXXXXX") || exit 2
trap 'rm -f "$OUT"' EXIT INT TERM
python3 tests/bench/tui_bench.py --kensa "$KENSA" --typical "$TYPICAL" --big "$BIG" \
	--mbox "$MBOX" --runs "$RUNS" >"$OUT"
rc=$?
grep -v '^RESULT ' "$OUT"
echo

awk -v runs="$RUNS" '
$1 == "RESULT" { r[$2] = $3 }
function have(k) { return k in r }
END {
	res = r["poll_ms"] + r["capture_ms"]
	if (have("first_typical_ms"))
		printf "%s first screen < 50 ms, typical message (%.0f ms, best of %d, resolution ~%.0f ms)\n",
			(r["first_typical_ms"] < 50 ? "PASS" : "FAIL"), r["first_typical_ms"], runs, res
	else
		print "FAIL first screen < 50 ms, typical message (not drawn)"
	if (have("first_big_ms"))
		printf "%s first screen < 200 ms, 20 MB message (%.0f ms, best of %d, resolution ~%.0f ms)\n",
			(r["first_big_ms"] < 200 ? "PASS" : "FAIL"), r["first_big_ms"], runs, res
	else
		print "FAIL first screen < 200 ms, 20 MB message (not drawn)"
	# without lag: each key handled and drawn within a 60 Hz frame, and the
	# list really moved (end reached, back at the top)
	if (have("ms_per_key")) {
		ok = r["ms_per_key"] < 16.7 && r["scrolled_to_end"] == 1 && r["back_to_top"] == 1
		printf "%s list of 10000 scrolls without lag: < 16.7 ms per key (%.2f ms per key over %d keys; one Down alone %.1f ms median, %.1f ms p95, raw; all loaded after %.1f s)\n",
			(ok ? "PASS" : "FAIL"), r["ms_per_key"], r["burst_keys"], r["down_median_ms"],
			r["down_p95_ms"], r["list_load_s"]
	} else
		print "FAIL list of 10000 scrolls without lag (the list did not load or keys were not processed)"
	# only what changed: a keystroke writes well under a full screen
	if (have("first_bytes") && r["first_bytes"] > 0) {
		f = r["first_bytes"]; t = r["tab_bytes"]; d = r["down_bytes"]
		ok = t < f / 4 && (have("down_bytes") ? d < f / 4 : 1)
		printf "%s keystrokes redraw only what changed: < 1/4 of a full screen (Tab %d bytes, Down in the list %d bytes; first screen %d bytes)\n",
			(ok ? "PASS" : "FAIL"), t, (have("down_bytes") ? d : -1), f
	} else
		print "FAIL keystrokes redraw only what changed (not measured)"
}' "$OUT"
[ "$rc" = 1 ] && { echo "bench_tui: kensa did not exit cleanly (see problem lines above)" >&2; exit 1; }
[ "$rc" != 0 ] && { echo "bench_tui: tui_bench.py failed (status $rc)" >&2; exit 1; }
exit 0
