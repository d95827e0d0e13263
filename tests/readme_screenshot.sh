#!/bin/sh
# Prints README's "What it looks like" screen: the workbench on the sample
# make run opens, as tmux shows it at 100x52 (C.UTF-8, UTC).  README's block
# is this output; tests/e2e/test_readme.sh checks they agree, so the picture
# is always the real program's.  Usage: [KENSA=path] sh tests/readme_screenshot.sh
cd "$(dirname "$0")/.." || exit 2
KENSA=${KENSA:-$PWD/kensa}
SOCK=kensa-readme-$$
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-readme.XXXXXX")
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMPD"' EXIT
tmux -L "$SOCK" -f /dev/null new-session -d -x 100 -y 52 \
	"env LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=$TMPD KENSA_DB=$TMPD/k.db \
	 $KENSA samples/invoice_lookalike_thread.eml; sleep 60"
# the screen is done when the hint line shows and two captures agree
last= i=0
while [ $i -lt 300 ]; do
	now=$(tmux -L "$SOCK" capture-pane -p)
	case $now in
	*"? help  q quit"*) [ "$now" = "$last" ] && break ;;
	esac
	last=$now
	sleep 0.2
	i=$((i + 1))
done
printf '%s\n' "$now"
