#!/bin/sh
# README stays true: its rule table is exactly `kensa rules --markdown`,
# every command it documents answers --help, and every source file its map
# of the house names exists.
cd "$(dirname "$0")/../.." || exit 2
KENSA=${KENSA:-./kensa}
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

"$KENSA" rules --markdown >/tmp/kensa-rules.$$ 2>&1
if grep -qxF -f /tmp/kensa-rules.$$ README.md &&
	[ "$(grep -c '^| `' README.md)" -ge "$(grep -c '^| `' /tmp/kensa-rules.$$)" ]; then
	missing=$(while IFS= read -r l; do grep -qxF "$l" README.md || echo "$l"; done </tmp/kensa-rules.$$)
	[ -z "$missing" ] && ok "readme rule table matches kensa rules" || bad "readme lacks: $missing"
else
	bad "readme rule table differs from kensa rules --markdown"
fi
rm -f /tmp/kensa-rules.$$
for c in analyze scan rules; do
	if "$KENSA" $c --help | grep -q "usage: kensa $c"; then ok "$c --help"; else bad "$c --help"; fi
done
"$KENSA" --help | grep -q "kensa analyze" && ok "--help" || bad "--help"
# the synopses come from the commands' option tables: README shows the same
for c in analyze scan thread rules; do
	line=$("$KENSA" $c --help | head -1 | sed 's/^usage: //')
	grep -qxF "$line" README.md && "$KENSA" --help | grep -qF "  $line" &&
		ok "$c synopsis in README and --help" || bad "$c synopsis missing: $line"
done
for c in case domain protect allow contact db; do
	lines=$("$KENSA" $c --help | sed -n 's/^\(usage:\|      \) kensa /kensa /p')
	missing=$(printf '%s\n' "$lines" |
		while IFS= read -r line; do grep -qxF "$line" README.md || echo "$line"; done)
	[ -n "$lines" ] && [ -z "$missing" ] && ok "$c subcommand synopses in README" ||
		bad "README lacks: $missing"
done
"$KENSA" --version | grep -q '^kensa [0-9]' && ok "--version" || bad "--version"
"$KENSA" --bogus >/dev/null 2>/tmp/kensa-err.$$; st=$?
[ $st -eq 2 ] && grep -q '^kensa: ' /tmp/kensa-err.$$ && ok "unknown option exits 2" || bad "unknown option exit $st"
rm -f /tmp/kensa-err.$$
missing=$(grep -o '\b\(analyzers\|db\|tui\)/[a-z_/]*\.\(c\|h\|def\)\b' README.md | sort -u |
	while IFS= read -r f; do [ -e "$f" ] || echo "$f"; done)
[ -z "$missing" ] && ok "every file the README names exists" || bad "README names missing files: $missing"
# every folder of the three layers is in the Layout map ("  core/  ...")
unmapped=$(for d in analyzers/*/ db/*/ tui/*/; do
	[ -d "$d" ] || continue
	n=$(basename "$d")
	grep -q "^  $n/ " README.md || echo "$d"
done)
[ -z "$unmapped" ] && ok "every source folder is in the README map" || bad "README map lacks: $unmapped"
# the picture under "What it looks like" is the program's own screen
if command -v tmux >/dev/null 2>&1; then
	KENSA="$KENSA" sh tests/readme_screenshot.sh >/tmp/kensa-shot.$$ 2>&1
	awk '/sample is invoice fraud inside a hijacked thread/ { f = 1 } f && /^```$/ { n++; next }
	     f && n == 1 { print } n == 2 { exit }' README.md >/tmp/kensa-readme-shot.$$
	if cmp -s /tmp/kensa-shot.$$ /tmp/kensa-readme-shot.$$; then ok "README's screenshot is the program's screen"
	else bad "README's screenshot differs from sh tests/readme_screenshot.sh: $(diff /tmp/kensa-readme-shot.$$ /tmp/kensa-shot.$$ | head -4 | tr '\n' ' ')"; fi
	rm -f /tmp/kensa-shot.$$ /tmp/kensa-readme-shot.$$
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
