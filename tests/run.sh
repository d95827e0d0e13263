#!/bin/sh
# The whole test suite, as `make test` runs it:
#   unit (cmocka), e2e (the binary on samples and ../shared/corpora), tui (tmux),
#   then unit + e2e + tui again under ASan+UBSan, then the case store on
#   PostgreSQL (pg: a throwaway cluster), then each fuzz target briefly.
# Each suite prints "ok"/"FAIL" lines; this script tallies them and ends with
# one closing line "tests: N passed, M failed".  Usage: tests/run.sh [unit|e2e|tui|asan|fuzz]...
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STEPS=${*:-"unit e2e tui asan pg fuzz"}
PASS=0
FAIL=0
FAILED=""
LOG=build/test-logs
mkdir -p "$LOG"
# hermetic: no user config, no user case store (a test that wants one makes its own)
export XDG_CONFIG_HOME="$ROOT/$LOG/xdg-config" XDG_DATA_HOME="$ROOT/$LOG/xdg-data"
export KENSA_DB="$ROOT/$LOG/no-such-case-store.db"
rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$KENSA_DB"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
# English messages, whatever the analyst's desktop speaks: the tests of the
# Japanese interface set their own locale (test_i18n.sh, test_export_ja.py,
# tui/test_japanese.sh)
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=C.UTF-8
MAKE=${MAKE:-make}
JOBS=$(nproc 2>/dev/null || echo 2)
START=$(date +%s)

# tally NAME LOGFILE STATUS: counts "ok"/"FAIL" lines, or cmocka's summary
tally() {
	name=$1 file=$2 status=$3
	p=$(grep -c '^ok ' "$file" || true)
	f=$(grep -c '^FAIL ' "$file" || true)
	cp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$file" | tail -1)
	cf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$file" | tail -1)
	p=$((p + ${cp:-0}))
	f=$((f + ${cf:-0}))
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $name exited $status" >>"$file"
	fi
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	if [ "$f" -ne 0 ]; then
		FAILED="$FAILED $name"
		grep -E '^(FAIL|\[  FAILED  \]|\[  ERROR   \])' "$file" | head -20 | sed "s|^|  $name: |"
		tail -5 "$file" | sed "s|^|  $name> |"
	fi
	printf '  %-34s %4d passed %4d failed %5ss\n' "$name" "$p" "$f" "$(($(date +%s) - ${T0:-$(date +%s)}))"
}

run_unit() { # BUILD_DIR
	bdir=$1
	for t in "$bdir"/tests/test_*; do
		[ -x "$t" ] || continue
		n="unit:$(basename "$t")$( [ "$bdir" = build ] || echo "[asan]")"
		l="$LOG/$(echo "$n" | tr ':/[]' '____').log"
		T0=$(date +%s)
		CMOCKA_MESSAGE_OUTPUT=stdout timeout 300 "$t" >"$l" 2>&1
		tally "$n" "$l" $?
	done
}

# one test script with KENSA=BIN; writes its log and, beside it, its status and seconds
run_one() { # SCRIPT BIN LOG
	T1=$(date +%s)
	case $1 in
	*.py) KENSA="$ROOT/$2" timeout 600 python3 "$1" >"$3" 2>&1 ;;
	*) KENSA="$ROOT/$2" timeout 600 sh "$1" >"$3" 2>&1 ;;
	esac
	echo "$? $(($(date +%s) - T1))" >"$3.status"
}

# Every tests/KIND/*.sh|*.py except those named in SKIP.  e2e scripts are
# independent (each makes its own temp dirs), so they run two at a time on
# the two cores CI has; TUI scripts run alone (they time what a person sees).
run_dir() { # KIND BIN SUFFIX [SKIP...]
	kind=$1 bin=$2 sfx=$3
	shift 3
	skip=" $* "
	list=""
	for t in tests/$kind/*.sh tests/$kind/*.py; do
		[ -f "$t" ] || continue
		case $skip in *" $(basename "$t") "*) continue ;; esac
		list="$list $t"
	done
	jobs=1
	[ "$kind" = e2e ] && jobs=${TEST_JOBS:-2}
	i=0
	for t in $list; do
		n="$kind:$(basename "$t")$sfx"
		l="$LOG/$(echo "$n" | tr ':/[]' '____').log"
		run_one "$t" "$bin" "$l" &
		i=$((i + 1))
		[ $((i % jobs)) -eq 0 ] && wait
	done
	wait
	for t in $list; do
		n="$kind:$(basename "$t")$sfx"
		l="$LOG/$(echo "$n" | tr ':/[]' '____').log"
		read -r st secs <"$l.status"
		T0=$(($(date +%s) - secs))
		tally "$n" "$l" "$st"
	done
}

# The case store on PostgreSQL (issue 16): a throwaway cluster
# (tests/pg/cluster.sh), the server-only tests (tests/pg/test_pg.py, the
# workbench in tmux: tests/pg/test_pg_workbench.sh) and the
# case, history, dump and export tests again with their stores on it
# (KENSA_TEST_PG), and the store's unit tests (test_store) each with a new
# database, with the normal build and again under ASan when the asan step
# built it.  The cluster is stopped and
# removed at the end, also when a test fails or the run is interrupted.
PG_TESTS="tests/pg/test_pg.py tests/pg/test_pg_workbench.sh tests/e2e/test_cases.py tests/e2e/test_history.py
	tests/e2e/test_db_dump.py tests/e2e/test_exports.py"
run_pg() {
	l="$LOG/pg_cluster.log"
	T0=$(date +%s)
	if ! PGDIR=$(sh tests/pg/cluster.sh start 2>"$l"); then
		echo "FAIL pg: no test cluster: $(cat "$l")" >>"$l"
		tally "pg:cluster" "$l" 1
		return
	fi
	trap 'sh tests/pg/cluster.sh stop "$PGDIR"' EXIT
	trap 'sh tests/pg/cluster.sh stop "$PGDIR"; exit 130' INT TERM
	export KENSA_TEST_PG="$PGDIR/sock" PGPORT
	PGPORT=$(cat "$PGDIR/port")
	for bin in kensa build/asan/kensa; do
		sfx=""
		if [ "$bin" != kensa ]; then
			[ -x "$bin" ] || continue
			sfx="[asan]"
			export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
			export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
			export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
			export G_SLICE=always-malloc G_DEBUG=gc-friendly # GLib's containers seen: see the asan step
		fi
		# the store's unit tests, each store a new database
		n="pg:unit:test_store$sfx"
		l="$LOG/$(echo "$n" | tr ':/[]' '____').log"
		T0=$(date +%s)
		CMOCKA_MESSAGE_OUTPUT=stdout timeout 300 "$(dirname "$bin" | sed 's|^\.$|build|')/tests/test_store" \
			>"$l" 2>&1
		tally "$n" "$l" $?
		for t in $PG_TESTS; do
			n="pg:$(basename "$t")$sfx"
			l="$LOG/$(echo "$n" | tr ':/[]' '____').log"
			run_one "$t" "$bin" "$l"
			read -r st secs <"$l.status"
			T0=$(($(date +%s) - secs))
			tally "$n" "$l" "$st"
		done
	done
	unset KENSA_TEST_PG PGPORT ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS G_SLICE G_DEBUG
	sh tests/pg/cluster.sh stop "$PGDIR"
	trap - EXIT INT TERM
}

build() { # make args...
	if ! $MAKE -s -j"$JOBS" "$@" >"$LOG/build.log" 2>&1; then
		cat "$LOG/build.log"
		echo "FAIL build $*"
		FAIL=$((FAIL + 1))
		FAILED="$FAILED build"
		return 1
	fi
	return 0
}

for step in $STEPS; do
	case $step in
	unit)
		echo "unit tests"
		# after the build: the layering check also reads the program's links
		build all unit-bins
		built=$?
		$MAKE -s check-layering >"$LOG/layering.log" 2>&1
		tally "layering" "$LOG/layering.log" $?
		[ "$built" -eq 0 ] && run_unit build ;;
	e2e) echo "end-to-end tests"; build all && run_dir e2e kensa "" ;;
	tui) echo "TUI tests (tmux)"; build all && run_dir tui kensa "" ;;
	asan)
		echo "under ASan+UBSan"
		# leaks count: a leak aborts the run like any other ASan report;
		# tests/lsan.supp names the libraries' own per-thread state only
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
		export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		# GLib 2.74 hands its containers (GPtrArray, GHashTable, GByteArray,
		# GList nodes...) out of GSlice's magazines, which stay reachable
		# from GLib's globals: a container we lose is no leak to
		# LeakSanitizer.  always-malloc gives each its own malloc, so a lost
		# one is reported.  gc-friendly has GLib zero what it frees and the
		# slots it empties, so a stale pointer left in a table's or an
		# array's spare room keeps nothing lost looking reachable
		export G_SLICE=always-malloc G_DEBUG=gc-friendly
		if build BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
			SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
			build/asan/kensa unit-bins; then
			run_unit build/asan
			# the differential test compares parsing with Python (no memory
			# question the corpora run does not already ask), the crash test is
			# about SIGKILL and SQLite, the quiet test about stderr, where ASan
			# writes, and the bounds test measures time and memory, which ASan
			# changes by design: those four run once, above
			# the corpora test scans every file under ASan in any case; the
			# exit-status questions its per-file runs ask are the same as
			# above, so here they run on folders of up to 40 files and on
			# every tenth file of the others
			export KENSA_E2E_FULL=40
			run_dir e2e build/asan/kensa "[asan]" test_differential.py test_crash.py \
				test_quiet.py test_bounds.py
			unset KENSA_E2E_FULL
			run_dir tui build/asan/kensa "[asan]"
		fi
		unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS G_SLICE G_DEBUG ;;
	pg) echo "the case store on PostgreSQL (a throwaway cluster)"; build all unit-bins && run_pg ;;
	fuzz)
		echo "fuzz targets (briefly)"
		if build fuzz; then
			for f in build/fuzz/fuzz_*; do
				[ -x "$f" ] || continue
				n="fuzz:$(basename "$f")"
				l="$LOG/$(echo "$n" | tr ':/' '__').log"
				corpus=tests/fuzz/corpus/$(basename "$f" | sed 's/^fuzz_//')
				work=build/fuzz/work/$(basename "$f")
				T0=$(date +%s)
				mkdir -p "$work"
				# a fixed seed: the same inputs in CI as here, so a finding is not luck
				# GLib containers seen by libFuzzer's leak check too (see the asan step)
				if G_SLICE=always-malloc G_DEBUG=gc-friendly timeout 120 "$f" -seed="${FUZZ_SEED:-1}" -max_total_time="${FUZZ_SECONDS:-3}" -rss_limit_mb=2048 \
					-timeout=10 "$work" $( [ -d "$corpus" ] && echo "$corpus" ) >"$l" 2>&1; then
					echo "ok $n" >>"$l"
				else
					echo "FAIL $n" >>"$l"
				fi
				tally "$n" "$l" 0
			done
		fi ;;
	*) echo "tests/run.sh: unknown step $step" >&2; exit 2 ;;
	esac
done

[ -n "$FAILED" ] && echo "failed:$FAILED"
echo "took $(($(date +%s) - START))s"
echo "tests: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
