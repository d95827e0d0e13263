#!/bin/sh
# The architecture as a check (STYLE.md "layers you can check"): analyzers/
# includes nothing from tui/ or db/, and neither curses nor sqlite; only tui/
# includes curses; only db/ includes sqlite.  Prints ok/FAIL lines.
cd "$(dirname "$0")/.." || exit 2
fail=0
check() { # NAME GREP-PATTERN FILES...
	name=$1 pat=$2
	shift 2
	hits=$(grep -nE "$pat" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "FAIL layering: $name"
		echo "$hits" | sed 's/^/  /'
		fail=1
	else
		echo "ok layering: $name"
	fi
}
check "analyzers/ includes no tui/ db/ curses sqlite" \
	'#include *[<"](.*/)?(tui|db)/|#include *[<"](n?curses|ncursesw/|sqlite3)' analyzers/*.c analyzers/*.h
check "db/ includes no tui/ or curses" '#include *[<"](.*/)?tui/|#include *[<"]n?curses' \
	$(ls db/*.c db/*.h 2>/dev/null || echo /dev/null)
check "only db/ includes sqlite3.h" '#include *<sqlite3\.h>' \
	$(ls tui/*.c tui/*.h 2>/dev/null || echo /dev/null)
exit $fail
