#!/bin/sh
# make bench, payload analyzers: files per second per attachment type over the
# corpora, against the standard tools analysts run today, in the same run:
#
#   PDF  pdfinfo FILE; pdfimages -list FILE     (poppler-utils)
#   LNK  lnkinfo FILE                            (liblnk-utils)
#   ISO  isoinfo -l -i FILE                      (genisoimage)
#
# Each corpus file is wrapped as a base64 attachment of its own message
# (tests/bench/gen_payloads.py): one mbox per type and one .eml per file, under
# tests/bench/out/payloads/.  Three ways are timed, wall clock, best of
# BENCH_PAYLOAD_RUNS (default 3):
#
#   kensa scan TYPE.mbox           one process for all files (what an analyst
#                                  runs on a mailbox)
#   kensa analyze N.eml, per file  one process per message, like the tools
#   the tools, per file            a shell loop spawning them on the bare file
#
# kensa does more than the tools: it parses the mail, decodes base64, hashes,
# sniffs the type and runs every analyzer on every part.  The verdict compares
# `kensa scan` with the tools per file (the issue's claim); the per-file kensa
# rate is printed next to it.
#
#   sh tests/bench/bench_payloads.sh   (bench.sh calls it; KENSA=PATH, default ./kensa)
#
# Environment: KENSA, CORPORA (default ../shared/corpora from the repository
# root), BENCH_PAYLOAD_RUNS.  Exit 0 when a target is missed; 1 when kensa or a
# tool is killed by a signal or kensa fails; 2 when the data cannot be made.
set -u

KENSA=${KENSA:-./kensa}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 2
case $KENSA in /*) ;; *) KENSA=$(pwd)/$KENSA ;; esac
CORPORA=${CORPORA:-../shared/corpora}
RUNS=${BENCH_PAYLOAD_RUNS:-3}
OUT=tests/bench/out/payloads
crashed=0

die() { echo "bench_payloads: $*" >&2; exit 2; }
[ -x "$KENSA" ] || die "$KENSA: not built"
[ -d "$CORPORA" ] || die "$CORPORA: no corpora (set CORPORA)"
python3 tests/bench/gen_payloads.py --corpora "$CORPORA" --out "$OUT" >/dev/null ||
	die "gen_payloads.py failed"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kensa-bench-payloads.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT INT TERM
# hermetic: no case database, config or cache of the person running the bench
export XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache" XDG_DATA_HOME="$TMP/data"
export KENSA_DB="$TMP/data/kensa.db"

now() { date +%s%N; }

# the tools, one file: status > 128 is a crash (a signal); other non-zero
# statuses (a file the tool rejects) are counted, not fatal
tool() { # LOG CMD...
	log=$1
	shift
	"$@" >/dev/null 2>&1
	r=$?
	if [ $r -gt 128 ]; then
		echo "crash $r $*" >>"$log"
	elif [ $r != 0 ]; then
		echo "reject $r $*" >>"$log"
	fi
}

tools_pdf() { # LIST LOG
	while IFS= read -r f; do
		tool "$2" pdfinfo "$f"
		tool "$2" pdfimages -list "$f"
	done <"$1"
}
tools_lnk() {
	while IFS= read -r f; do
		tool "$2" lnkinfo "$f"
	done <"$1"
}
tools_iso() {
	while IFS= read -r f; do
		tool "$2" isoinfo -l -i "$f"
	done <"$1"
}

kensa_per_file() { # DIR LOG
	for f in "$1"/*.eml; do
		"$KENSA" analyze "$f" --format json >/dev/null 2>"$TMP/analyze.err"
		r=$?
		if [ $r != 0 ] && [ $r != 1 ]; then
			echo "kensa analyze $f: status $r: $(head -c 200 "$TMP/analyze.err")" >>"$2"
		fi
	done
}

# best KIND-TAG CMD...: runs CMD RUNS times; B_SEC = the best wall seconds
best() {
	B_SEC=
	k=0
	while [ $k -lt "$RUNS" ]; do
		t0=$(now)
		"$@"
		t1=$(now)
		B_SEC=$(awk -v a="${B_SEC:-}" -v t0="$t0" -v t1="$t1" \
			'BEGIN { s = (t1 - t0) / 1e9; print (a == "" || s < a) ? s : a }')
		k=$((k + 1))
	done
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }'; }

echo "payload analyzers: files/s over the corpora, wall clock, best of $RUNS"
echo "  corpora: $CORPORA; each file wrapped as a base64 attachment ($OUT)"
printf "  %-4s %5s %7s %14s %16s %14s  %s\n" type files MB "kensa scan" "kensa analyze" \
	"tools" "standard tools (per file)"
printf "  %-4s %5s %7s %14s %16s %14s\n" "" "" "" "(1 process)" "(per file)" "(per file)"

VERDICTS=$TMP/verdicts
NOTES=$TMP/notes
: >"$VERDICTS"
: >"$NOTES"
for kind in pdf lnk iso; do
	case $kind in
	pdf) label=PDF tools="pdfinfo pdfimages" tname="pdfinfo+pdfimages" tdesc="pdfinfo + pdfimages -list" ;;
	lnk) label=LNK tools="lnkinfo" tname="lnkinfo" tdesc="lnkinfo" ;;
	iso) label=ISO tools="isoinfo" tname="isoinfo" tdesc="isoinfo -l" ;;
	esac
	list=$OUT/$kind.list mbox=$OUT/$kind.mbox
	n=$(wc -l <"$list" | tr -d ' ')
	if [ "$n" = 0 ]; then
		echo "SKIP kensa $label faster than $tname per file (no $label files under $CORPORA)" >>"$VERDICTS"
		continue
	fi
	mb=$(tr '\n' '\0' <"$list" | xargs -0 cat | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
	# warm the page cache for all three
	tr '\n' '\0' <"$list" | xargs -0 cat >/dev/null
	cat "$mbox" "$OUT/$kind"/*.eml >/dev/null

	# kensa scan, one process
	scan_run() {
		"$KENSA" scan "$mbox" --format jsonl >"$TMP/scan.jsonl" 2>"$TMP/scan.err"
		echo $? >"$TMP/scan.rc"
	}
	best scan_run
	s_sec=$B_SEC
	s_rc=$(cat "$TMP/scan.rc")
	s_n=$(wc -l <"$TMP/scan.jsonl" | tr -d ' ')
	s_err=$(grep -c '"error":' "$TMP/scan.jsonl")
	if [ "$s_rc" != 0 ] || [ "$s_n" != "$n" ]; then
		echo "bench_payloads: kensa scan $mbox: status $s_rc, $s_n lines for $n messages:" >&2
		tail -n 5 "$TMP/scan.err" >&2
		crashed=1
	fi
	[ "$s_err" != 0 ] && echo "  note: kensa scan reported $s_err $label messages as errors" >>"$NOTES"

	# kensa analyze, one process per message
	: >"$TMP/analyze.log"
	best kensa_per_file "$OUT/$kind" "$TMP/analyze.log"
	a_sec=$B_SEC
	if [ -s "$TMP/analyze.log" ]; then
		echo "bench_payloads: kensa analyze failed ($RUNS runs):" >&2
		sort -u "$TMP/analyze.log" | head -n 5 >&2
		crashed=1
	fi

	# the standard tools, per file
	missing=
	for t in $tools; do command -v "$t" >/dev/null 2>&1 || missing="$missing $t"; done
	if [ -n "$missing" ]; then
		t_sec='' t_rate="-"
		echo "  note:$missing not installed: no $label baseline" >>"$NOTES"
	else
		: >"$TMP/tools.log"
		best "tools_$kind" "$list" "$TMP/tools.log"
		t_sec=$B_SEC
		t_rate=$(rate "$n" "$t_sec")
		if grep -q '^crash' "$TMP/tools.log"; then
			# third-party tools on fuzz corpora: reported, and a crash fails the bench
			echo "bench_payloads: $tname killed by a signal:" >&2
			grep '^crash' "$TMP/tools.log" | sort -u | head -n 5 >&2
			crashed=1
		fi
		rej=$(grep '^reject' "$TMP/tools.log" | sed 's/.* //' | sort -u | wc -l | tr -d ' ')
		[ "$rej" != 0 ] &&
			echo "  note: $tdesc exited non-zero on $rej of the $n $label files (input it rejects; timed all the same)" >>"$NOTES"
	fi
	s_rate=$(rate "$n" "$s_sec") a_rate=$(rate "$n" "$a_sec")
	printf "  %-4s %5d %7s %14s %16s %14s  %s\n" "$label" "$n" "$mb" "$s_rate" "$a_rate" "$t_rate" "$tdesc"

	if [ -z "$t_sec" ]; then
		echo "SKIP kensa $label faster than $tname per file ($n files: kensa scan $s_rate files/s, kensa analyze-per-file $a_rate files/s, tools not installed)" >>"$VERDICTS"
	else
		awk -v l="$label" -v t="$tname" -v n="$n" -v s="$s_rate" -v a="$a_rate" -v tr="$t_rate" \
		    -v ok="$( [ "$s_rc" = 0 ] && [ "$s_n" = "$n" ] && echo 1 || echo 0)" 'BEGIN {
			pass = ok && s + 0 > tr + 0
			printf "%s kensa %s faster than %s per file (%d files: kensa scan %s files/s, kensa analyze-per-file %s files/s, tools %s files/s; per file kensa is %.2fx the tools)\n",
				pass ? "PASS" : "FAIL", l, t, n, s, a, tr, (tr > 0 ? a / tr : 0)
		}' >>"$VERDICTS"
	fi
done
# the floor of one process per file: kensa starting and exiting
startup() { k=0; while [ $k -lt 10 ]; do "$KENSA" --version >/dev/null; k=$((k + 1)); done; }
best startup
echo "  kensa process start-up (kensa --version): $(awk -v s="$B_SEC" 'BEGIN { printf "%.1f", s * 100 }') ms (best of $RUNS x 10), the floor of one process per file"
echo "  kensa does more per file than the tools: it parses the message, decodes the"
echo "  base64, hashes, sniffs the type and runs every analyzer; the verdict compares"
echo "  kensa scan (one process) with the tools spawned per file, as analysts run them"
cat "$NOTES"
echo
cat "$VERDICTS"
[ "$crashed" != 0 ] && exit 1
exit 0
