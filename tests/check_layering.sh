#!/bin/sh
# The layers, as the compiler holds them (STYLE.md "layers you can check";
# run by `make check-layering`, which passes each layer's flags): a probe
# that includes what its layer must not see must FAIL to compile, and the
# same probe without the breach must compile, so a pass means the flags do
# the work and not a typo in a probe.  Prints ok/FAIL lines.
#   analyzers/: no db/ or tui/ header, no SQLite, no curses
#   db/:        no tui/ header, no curses
#   tui/cli/:   commands, no curses (so no view header either)
cd "$(dirname "$0")/.." || exit 2
: "${CC:=cc}" "${BUILD:=build}"
dir="$BUILD/layering"
mkdir -p "$dir"
pass=0 fail=0

# probe NAME FLAGS INCLUDE: the breach must not compile
probe() {
	name=$1 flags=$2 inc=$3
	printf '#include "core/report.h"\n%s\nint probe_unused(void);\n' "$inc" >"$dir/probe.c"
	# shellcheck disable=SC2086
	if $CC $flags -fsyntax-only "$dir/probe.c" 2>"$dir/probe.err"; then
		echo "FAIL layering: $name compiles"
		fail=$((fail + 1))
	else
		echo "ok layering: $name is a compile error ($(grep -m1 -o 'error: .*' "$dir/probe.err" | cut -c1-70))"
		pass=$((pass + 1))
	fi
}

# the probe's own part compiles for each layer
for layer in AN DB CLI; do
	eval flags=\$CF_$layer
	printf '#include "core/report.h"\nint probe_unused(void);\n' >"$dir/clean.c"
	# shellcheck disable=SC2086
	if $CC $flags -fsyntax-only "$dir/clean.c" 2>"$dir/clean.err"; then
		echo "ok layering: a clean $layer probe compiles"
		pass=$((pass + 1))
	else
		echo "FAIL layering: a clean $layer probe does not compile: $(head -1 "$dir/clean.err")"
		fail=$((fail + 1))
	fi
done

probe "analyzers/ including a db/ header" "$CF_AN" '#include "cases.h"'
probe "analyzers/ including a db/ export header" "$CF_AN" '#include "export/export.h"'
probe "analyzers/ including a tui/ header" "$CF_AN" '#include "wb.h"'
probe "analyzers/ including a tui/cli/ header" "$CF_AN" '#include "cli/cli.h"'
probe "analyzers/ including <sqlite3.h>" "$CF_AN" '#include <sqlite3.h>'
probe "analyzers/ including <curses.h>" "$CF_AN" '#include <curses.h>'
probe "analyzers/ including <ncursesw/curses.h>" "$CF_AN" '#include <ncursesw/curses.h>'
probe "db/ including a tui/ header" "$CF_DB" '#include "wb.h"'
probe "db/ including <curses.h>" "$CF_DB" '#include <curses.h>'
probe "db/ including <ncurses.h>" "$CF_DB" '#include <ncurses.h>'
probe "db/ including a tui/cli/ header" "$CF_DB" '#include "cli/cli.h"'
probe "tui/cli/ including a view header" "$CF_CLI" '#include "wb.h"'
probe "tui/cli/ including <curses.h>" "$CF_CLI" '#include <curses.h>'
probe "tui/cli/ including <ncursesw/curses.h>" "$CF_CLI" '#include <ncursesw/curses.h>'
# libraries opened when a file needs them (deps.mk's OPENED and DB_OPENED,
# as OPENED_LIBS from make) stay out of the program's link: each would cost
# every kensa process its start-up
if [ -z "${OPENED_LIBS:-}" ]; then
	echo "FAIL layering: no OPENED_LIBS (run through make check-layering)"
	fail=$((fail + 1))
fi
for lib in ${OPENED_LIBS:-}; do
	if [ ! -x "$BUILD/kensa" ]; then
		echo "FAIL layering: no $BUILD/kensa to look at (build it first)"
		fail=$((fail + 1))
	elif ldd "$BUILD/kensa" | grep -q "$lib"; then
		echo "FAIL layering: $BUILD/kensa links $lib, which its reader opens when needed"
		fail=$((fail + 1))
	else
		echo "ok layering: $BUILD/kensa does not link $lib"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
