#!/bin/sh
# The messages in other languages stay whole (issue 15): po/kensa.pot holds
# every message the sources mark (_(), N_(), rules.def), po/ja.po translates
# each one with the same format specifiers (msgfmt --check), and kensa
# speaks Japanese under a real ja_JP.UTF-8 locale or --lang ja, English
# under C.UTF-8 or --lang en, the English unchanged by either.
cd "$(dirname "$0")/../.." || exit 2
KENSA=${KENSA:-./kensa}
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the msgids of a .po or .pot, one per line, sorted (the header left out)
msgids() {
	msgcat --no-wrap --no-location --sort-output "$1" 2>/dev/null |
		awk '/^msgid "/ { sub(/^msgid /, ""); if ($0 != "\"\"") print }'
}

# ---- the catalogues
# extracted again into a temp file (make pot's command), never over the tree's
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=P_:1,2 --keyword=KS_RULE:4 \
	-o "$T/fresh.pot" $(ls analyzers/*/*.c db/*.c db/*/*.c tui/*.c tui/cli/*.c | sort) \
	analyzers/core/rules.def tui/wb.h 2>"$T/xgettext.err"
msgids "$T/fresh.pot" >"$T/fresh"
msgids po/kensa.pot >"$T/pot"
if [ -s "$T/fresh" ] && cmp -s "$T/fresh" "$T/pot"; then
	ok "po/kensa.pot holds exactly the messages the sources mark ($(wc -l <"$T/pot"))"
else
	bad "po/kensa.pot is stale (make pot; msgmerge -U po/ja.po po/kensa.pot): $(diff "$T/pot" "$T/fresh" | head -5 | tr '\n' ' ')"
fi
# a message cut at a format macro (xgettext stops at G_GINT64_FORMAT; PRId64 is
# what it knows) ends in a lone %: it would never be translated
cut=$(msgcat --no-wrap po/kensa.pot | grep '^msgid ".*[^%]%"$' | head -3)
[ -z "$cut" ] && ok "no message is cut at a format macro" || bad "messages cut at a macro: $cut"
for po in po/*.po; do
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
	case $stats in
	*untranslated* | *fuzzy* | *error*) bad "$po: $stats" ;;
	*) ok "$po: msgfmt --check: $stats" ;;
	esac
	if msgcmp "$po" po/kensa.pot >/dev/null 2>&1; then ok "$po has every msgid of the .pot"
	else bad "$po lacks msgids of the .pot: $(msgcmp "$po" po/kensa.pot 2>&1 | head -3 | tr '\n' ' ')"; fi
	# the same format specifiers, in order, as the English
	if msgfmt --check-format -o /dev/null "$po" 2>/dev/null; then ok "$po: format specifiers agree"
	else bad "$po: format specifiers differ"; fi
done
[ -f "$(dirname "$KENSA")/locale/ja/LC_MESSAGES/kensa.mo" ] ||
	[ -f "$(dirname "$KENSA")/build/locale/ja/LC_MESSAGES/kensa.mo" ] &&
	ok "make built the Japanese catalogue beside the binary" ||
	bad "no locale/ja/LC_MESSAGES/kensa.mo beside $KENSA"

# ---- the language follows the locale, and --lang
if locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'; then
	out=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" rules)
	echo "$out" | grep -qF 'identity.lookalike_domain              高      送信元側のドメインが、保護対象・宛先・スレッド・取引先のドメインに似ているが異なる（類似ドメイン）' &&
		ok "LANG=ja_JP.UTF-8: rules in Japanese, columns kept" || bad "ja rules: $(echo "$out" | sed -n 4p)"
	echo "$out" | grep -qF 'content.payment_change' && echo "$out" | grep -qF '振込先口座の変更' &&
		ok "rule ids stay English beside Japanese text" || bad "ids or payee text"
	en=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" rules --lang en)
	c=$(LC_ALL=C.UTF-8 "$KENSA" rules)
	[ "$en" = "$c" ] && ok "--lang en under a Japanese locale is the English list" || bad "--lang en differs"
	ja=$(LC_ALL=C.UTF-8 "$KENSA" rules --lang ja)
	[ "$ja" = "$out" ] && ok "--lang ja under C.UTF-8 is the Japanese list" || bad "--lang ja differs"
	md=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" rules --markdown)
	[ "$md" = "$(LC_ALL=C.UTF-8 "$KENSA" rules --markdown)" ] &&
		ok "rules --markdown (README's table) stays English" || bad "markdown table translated"
	# the report for people: text and Markdown in Japanese, JSON as ever
	out=$(LC_ALL=C.UTF-8 "$KENSA" analyze --lang ja samples/ceo_fraud_ja.eml)
	echo "$out" | grep -q '^件名      【至急・極秘】買収案件について$' &&
		echo "$out" | grep -q '^スコア    [0-9]*/100  悪性の可能性が高い  BEC のタイプ 2（経営者等へのなりすまし）$' &&
		echo "$out" | grep -q '^検知結果（[0-9]* 件）$' &&
		ok "analyze --lang ja: the text report in Japanese, labels aligned" ||
		bad "analyze --lang ja: $(echo "$out" | head -5 | tr '\n' '|')"
	echo "$out" | grep -q '^  高     identity.lookalike_domain' &&
		ok "severities in Japanese, rule ids as they are" || bad "severity column"
	md=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" analyze --format markdown samples/ceo_fraud_ja.eml)
	echo "$md" | grep -qx '## 検知結果' && echo "$md" | grep -q '^| 重大度 | ルール | 箇所 | 根拠 |$' &&
		ok "LANG=ja_JP.UTF-8: the Markdown report in Japanese" || bad "markdown: $(echo "$md" | grep '^## ' | tr '\n' '|')"
	# --help and the usage errors of a command
	h=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" analyze --help)
	echo "$h" | head -1 | grep -q '^usage: kensa analyze FILE ' &&
		echo "$h" | grep -q '分析し、結果を表示する' && echo "$h" | grep -q '^  --fail-on low|medium|high    この重大度以上の検知結果があれば終了コード 1$' &&
		ok "analyze --help in Japanese, the synopsis as it is" || bad "analyze --help: $(echo "$h" | head -3 | tr '\n' '|')"
	e=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" analyze 2>&1)
	[ "$e" = "kensa: analyze: FILE がない（kensa analyze --help を参照）" ] &&
		ok "a usage error in Japanese" || bad "usage error: $e"
	# the case commands' result lines
	export KENSA_DB="$T/cases.db"
	LC_ALL=C.UTF-8 "$KENSA" case new "請求書" >/dev/null
	a=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" case add 1 samples/ceo_fraud_ja.eml)
	echo "$a" | grep -q '事例 1 にメール 1 として追加した: 【至急・極秘】買収案件について（検知結果 [0-9]* 件、最大の重大度 高）$' &&
		ok "case add says what it did in Japanese" || bad "case add: $a"
	sh=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" case show 1)
	echo "$sh" | grep -q '^  状態 対応中、判定 未判定、BEC のタイプ 2（経営者等へのなりすまし）' &&
		ok "case show in Japanese" || bad "case show: $(echo "$sh" | head -3 | tr '\n' '|')"
	a=$(LC_ALL=C.UTF-8 "$KENSA" case add 1 samples/ceo_fraud_ja.eml)
	case $a in *"already in case 1 as message 1"*) ok "case add in English under C.UTF-8" ;;
	*) bad "case add English: $a" ;; esac
	unset KENSA_DB
	th=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" thread samples/thread_hijack.mbox)
	echo "$th" | grep -q '^  類似ドメインからの最初のメール: メール 3、' &&
		echo "$th" | grep -q '^  変化したもの: 送信元ドメイン、\{0,1\}' &&
		ok "thread's text in Japanese" || bad "thread: $(echo "$th" | sed -n 3,6p | tr '\n' '|')"
	[ "$(LC_ALL=C.UTF-8 "$KENSA" thread samples/thread_hijack.mbox | sed -n 3p)" = "Thread 1: 【小金部品】1月分 請求書送付のご案内" ] &&
		ok "thread's text in English under C.UTF-8" || bad "thread English changed"
	j1=$(LC_ALL= LANG=ja_JP.UTF-8 "$KENSA" analyze --format json samples/ceo_fraud_ja.eml | grep -v '"path"')
	j2=$(LC_ALL=C.UTF-8 "$KENSA" analyze --format json samples/ceo_fraud_ja.eml | grep -v '"path"')
	[ "$j1" = "$j2" ] && ok "the JSON report is the same in any language" || bad "JSON differs by locale"
else
	bad "no ja_JP.UTF-8 locale (make test makes it: make locale-ja)"
fi
first=$(LC_ALL=C.UTF-8 "$KENSA" analyze samples/ceo_fraud_ja.eml | head -1)
[ "$first" = "Subject   【至急・極秘】買収案件について" ] && ok "C.UTF-8: the English report as it was" ||
	bad "English report changed: $first"
# English as before: the first line, byte for byte
first=$(LC_ALL=C.UTF-8 "$KENSA" rules | head -1)
[ "$first" = "identity.reply_to_differs              medium  Reply-To's domain is not From's domain" ] &&
	ok "C.UTF-8: the English list as it was" || bad "English changed: $first"
if LC_ALL=C.UTF-8 "$KENSA" rules --lang fr >/dev/null 2>"$T/err"; then bad "--lang fr accepted"
else grep -q "lang" "$T/err" && ok "--lang fr refused with a message" || bad "--lang fr: $(cat "$T/err")"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
