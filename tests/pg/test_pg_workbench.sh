#!/bin/sh
# The workbench on a team's PostgreSQL store (issue 16), in a private tmux
# server, against the throwaway cluster of tests/pg/cluster.sh (tests/run.sh's
# pg step sets KENSA_TEST_PG and PGPORT): the case list and a message's panes
# open on the server; the title names the server without the URL's password;
# a verdict another analyst sets from a shell shows in the open case list on
# its next refresh (every 3 s), without a key, also after the server ended
# the workbench's session; Enter opens the case; a
# message opened from its file is analysed with the server's store.
# Needs KENSA (the binary's absolute path); run from anywhere.
set -u
: "${KENSA:?set KENSA to the kensa binary}"
: "${KENSA_TEST_PG:?set KENSA_TEST_PG to the test cluster's socket directory}"
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC USER=analyst
unset KENSA_THEME NO_COLOR EDITOR VISUAL KENSA_USER
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-pg-wb.XXXXXX")
export XDG_CONFIG_HOME="$TMPD/config" XDG_CACHE_HOME="$TMPD/cache" XDG_DATA_HOME="$TMPD/data"
SOCK_BASE=kensa-pg-wb-$$
. tests/tui/lib/tmux.sh

DB=wb_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
psql -qX -h "$KENSA_TEST_PG" -U kensa -d postgres -c "CREATE DATABASE $DB" >/dev/null
# the test cluster trusts kensa on its socket: the password is there only to
# be kept out of sight
export KENSA_DB="postgresql://kensa:Hunter2-secret@/$DB?host=$KENSA_TEST_PG"
ID=$("$KENSA" case new "共有の案件 shared queue" | head -1)
"$KENSA" case add "$ID" samples/ceo_fraud_ja.eml >/dev/null 2>&1
if [ "$ID" = 1 ] && "$KENSA" case show 1 | grep -qF '買収案件'; then ok pg_case_made
else bad pg_case_made "case new/add on the server failed (id '$ID')"; fi

start 120 40 "$KENSA"
expect pg_caselist_shows_the_case "共有の案件 shared queue"
line1 pg_title_names_the_server "postgresql://kensa@/$DB"
if screen | grep -qF "Hunter2"; then bad pg_title_hides_the_password "the password is on screen"
else ok pg_title_hides_the_password; fi
expect_row pg_verdict_undecided "共有の案件" "undecided"
KENSA_USER=bob "$KENSA" case verdict 1 phishing >/dev/null
# no key: the list reloads on its own
T=10 expect_row pg_other_analysts_verdict_shows "共有の案件" "phishing"
# the server ends the workbench's session (a restart, an idle timeout, an
# admin): it connects again on its next refresh and goes on
psql -qX -h "$KENSA_TEST_PG" -U kensa -d postgres -c "SELECT pg_terminate_backend(pid)
	FROM pg_stat_activity WHERE datname = '$DB' AND application_name = 'kensa'" >/dev/null
KENSA_USER=carol "$KENSA" case verdict 1 malicious >/dev/null
T=10 expect_row pg_workbench_reconnects "共有の案件" "malicious"
keys Enter
expect pg_case_view_opens "買収案件について"
keys q q
end_server

# a message opened from its file, its analysis reading the server's store
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
expect pg_message_panes "BEC:"
keys q
summary
