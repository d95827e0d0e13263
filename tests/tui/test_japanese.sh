#!/bin/sh
# The workbench in Japanese (issue 15), under a real ja_JP.UTF-8 locale: the
# message panes' titles and summary bar, the routing table's columns, the
# help overlay, the hint line, a finding's detail, the case picker and its
# prompt, the case list, at 80x24 and 200x60, every row exactly the
# terminal's width (no wide character cut in half, the borders in line).
# The English workbench under C.UTF-8 is test_workbench.sh's.
# Needs KENSA (the binary's absolute path); run from anywhere.
set -u
: "${KENSA:?set KENSA to the kensa binary}"
cd "$(dirname "$0")/../.."
unset LC_ALL LC_MESSAGES LANGUAGE KENSA_THEME NO_COLOR EDITOR VISUAL
export LANG=ja_JP.UTF-8 TZ=Asia/Tokyo USER=analyst
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kensa-ja.XXXXXX")
export XDG_CONFIG_HOME="$TMPD/config" XDG_CACHE_HOME="$TMPD/cache" KENSA_DB="$TMPD/kensa.db"
SOCK_BASE=kensa-ja-$$
. tests/tui/lib/tmux.sh

if ! locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'; then
	bad locale "no ja_JP.UTF-8 locale (make test makes it: make locale-ja)"
	summary
	exit 1
fi

# ---- the message panes at 80x24
start 80 24 "$KENSA" samples/invoice_lookalike_thread.eml
expect ja_summary_score "スコア 100 悪性の可能性が高い"
expect ja_summary_from "送信元: 小金部品 営業部 田中 一郎"
expect ja_pane_headers "─ 1 ヘッダ (12) ─"
expect ja_pane_routing "─ 2 経由サーバ (1) ─"
expect ja_pane_attachments "─ 3 添付ファイル (3) ─"
expect ja_pane_findings "[4 検知結果 (6)]"
expect ja_pane_body "─ 5 本文 (リンク 0 件) ─"
expect ja_hints "? ヘルプ  q 終了"
expect ja_routing_columns " #  遅延 送信元 (HELO)"
aligned ja_80x24_aligned 80 2 22
# a finding's detail: its severity, rule id, Japanese title and evidence
keys Enter
expect ja_finding_detail_title "─ 検知結果 "
expect ja_finding_detail_rule "高  pdf.created_after_message"
expect ja_finding_detail_text "PDF の作成日時が、引用または返信している過去のメールより後である"
expect ja_finding_detail_evidence "根拠:"
aligned ja_detail_aligned 80 1 22
keys q
# help: the keys of the message view, explained in Japanese
keys '?'
expect ja_help_title "kensa ワークベンチのキー（q または ? で閉じる）"
expect ja_help_first "1 行上へ"
keys G
expect ja_help_line "このヘルプ"
aligned ja_help_aligned 80 1 22
keys q
# the case picker: "new case…" first and selected, then its prompt
keys a
expect ja_picker_title "どの事例に追加しますか？"
expect ja_picker_new_case "新しい事例…"
keys Enter
expect ja_prompt "新しい事例の名前: "
keys Escape
expect ja_prompt_cancelled "名前がないため、事例は作らなかった"
keys q

# ---- 200x60: wider panes, the routing table with every column
start 200 60 "$KENSA" samples/benign_control.eml
expect ja_200_headers "─ 1 ヘッダ ("
expect ja_200_routing_columns "送信元 (HELO)"
expect ja_200_routing_by "受信"
expect ja_200_routing_time "時刻"
aligned ja_200x60_aligned 200 2 58
keys q

# ---- the case list and a case, made with the CLI
"$KENSA" case new "請求書の振込先変更" >/dev/null
"$KENSA" case add 1 samples/invoice_lookalike_thread.eml >/dev/null
start 80 24 "$KENSA"
expect ja_case_list_title "kensa — 事例 1 件 —"
expect ja_case_list_heads "状態   判定"
expect ja_case_list_row "対応中 未判定"
expect ja_case_list_hints "Enter 開く  / 検索  m メモ  v 判定  c 対応完了"
fits ja_case_list_fits 80
keys Enter
expect ja_case_view_title "事例 1: 請求書の振込先変更"
expect ja_case_view_status "状態 対応中 │ 判定 未判定"
expect ja_case_view_messages "[メール（1 通）]"
aligned ja_case_view_aligned 80 2 22
keys q q

# ---- the same binary in English under C.UTF-8
export LANG=C.UTF-8
start 80 24 "$KENSA" samples/invoice_lookalike_thread.eml
expect en_pane_headers "─ 1 Headers (12) ─"
expect en_hints "? help  q quit"
keys q

summary
