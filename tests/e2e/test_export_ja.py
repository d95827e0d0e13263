"""`kensa case export --lang ja`: the case summary in Japanese, in the shape
of a J-CSIP case write-up (issue 15): its sections in IPA's order, dates as
a person reads them in Japan (2024年12月11日 09:12 (JST)), the findings under
the techniques they belong to, the measures for those techniques, IOCs by
role, and --redact public masking names the way IPA's reports do
(hos●●ko).  The same under LANG=ja_JP.UTF-8 with no --lang; English under
C.UTF-8 or --lang en; JSON, STIX and MISP English whatever the language."""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import SAMPLES, Reporter, binary_usable, kensa  # noqa: E402

TMP = tempfile.mkdtemp(prefix="kensa-export-ja-")
BASE = dict(os.environ, KENSA_DB=os.path.join(TMP, "kensa.db"),
            XDG_CONFIG_HOME=os.path.join(TMP, "config"), USER="hanako")
BASE.pop("LANGUAGE", None)
C = dict(BASE, LC_ALL="C.UTF-8", LANG="C.UTF-8")
JA = dict(BASE, LANG="ja_JP.UTF-8")
JA.pop("LC_ALL", None)
JA.pop("LC_MESSAGES", None)

SECTIONS = ["概要", "攻撃の流れ", "手口の特徴", "検知・判断のポイント", "推奨される対策",
            "指標情報（IOC、無害化表記）", "メモ", "付録: メールの詳細"]
JA_DATE = re.compile(r"\d{4}年\d{2}月\d{2}日 \d{2}:\d{2} \(JST\)")


def k(env, *args):
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sample(name):
    return os.path.join(SAMPLES, name)


def headings(md, level):
    return [l[level + 1:] for l in md.splitlines() if l.startswith("#" * level + " ")]


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    if "ja_jp.utf8" not in subprocess.run(["locale", "-a"], stdout=subprocess.PIPE,
                                          text=True).stdout.lower().split():
        rep.fail("locale", "no ja_JP.UTF-8 locale (make test makes it: make locale-ja)")
        return rep.finish()

    k(C, "case", "new", "請求書の振込先変更")
    for f in ("invoice_thread_original.eml", "invoice_lookalike_thread.eml"):
        rc, out, err = k(C, "case", "add", "1", sample(f))
        rep.check("case add " + f, rc == 0, err)
    k(C, "protect", "add", "hoshizora-denko.co.jp", "星空電工")
    k(C, "case", "note", "1", "経理部に電話で確認済み。振込は保留。")
    k(C, "case", "verdict", "1", "bec")

    rc, md, err = k(C, "case", "export", "1", "--lang", "ja")
    rep.check("--lang ja exports", rc == 0, err)
    h2 = headings(md, 2)
    rep.check("the J-CSIP sections, in order", h2 == SECTIONS, h2)
    rep.check("title 事例 N", "# 事例 1: 請求書の振込先変更" in md, md[:200])
    rep.check("verdict and BEC type in Japanese",
              "- **判定:** ビジネスメール詐欺 (BEC)" in md and "- **BEC のタイプ:** 1 (取引先との請求書の偽装)" in md,
              md[:600])
    overview = md.split("## 概要")[1].split("\n## ")[0]
    items = [l for l in overview.splitlines() if l.startswith("- ")]
    rep.check("概要 is three lines", len(items) == 3, items)
    rep.check("概要 names the first mail with its Japanese date",
              "2024年12月10日 11:05 (JST)、「【小金部品】12月分 請求書送付のご案内」という件名のメール" in overview,
              overview)
    rep.check("概要 names the techniques",
              "手口: " in overview and "類似ドメイン" in overview and "振込先口座の変更" in overview, overview)
    flow = md.split("## 攻撃の流れ")[1].split("\n## ")[0]
    rows = [l for l in flow.splitlines() if l.startswith("| ") and "---" not in l][1:]
    rep.check("攻撃の流れ: every time in Japanese form",
              rows and all(JA_DATE.match(r.split("|")[1].strip()) for r in rows), rows[:3])
    rep.check("攻撃の流れ: the lookalike's entry in Japanese",
              "類似ドメインが登場: koganne-parts[.]co[.]jp は kogane-parts[.]co[.]jp をまねている" in flow,
              flow)
    tech = md.split("## 手口の特徴")[1].split("\n## ")[0]
    h3 = headings(tech, 3)
    rep.check("手口の特徴 groups by technique",
              {"類似ドメイン", "振込先口座の変更", "偽造された文書（請求書 PDF など）"} <= set(h3), h3)
    lookalike = tech.split("### 類似ドメイン")[1].split("\n### ")[0]
    rep.check("a finding under its technique, with its Japanese title and rule id",
              "identity.lookalike\\_domain" in lookalike and "似ているが異なる" in lookalike, lookalike)
    forged = tech.split("### 偽造された文書（請求書 PDF など）")[1].split("\n### ")[0]
    rep.check("the forged PDF under forged documents", "pdf.created\\_after\\_message" in forged, forged)
    points = md.split("## 検知・判断のポイント")[1].split("\n## ")[0]
    rep.check("検知・判断のポイント: the rules that gave it away",
              "PDF の作成日時が、引用または返信している過去のメールより後である" in points, points)
    measures = md.split("## 推奨される対策")[1].split("\n## ")[0]
    rep.check("推奨される対策 for the techniques found",
              "振込先口座の変更: 振込先口座の変更は、このメール以前から知っている連絡先で" in measures
              and "類似ドメイン: " in measures, measures)
    rep.check("推奨される対策: nothing for a technique not found",
              "フィッシング: " not in measures and "不審なリンク: " not in measures, measures)
    iocs = md.split("## 指標情報（IOC、無害化表記）")[1].split("\n## ")[0]
    rep.check("指標情報 by role, defanged",
              "### 攻撃者のもの（遮断の対象）" in iocs and "koganne-parts[.]co[.]jp" in iocs, iocs)
    notes = md.split("## メモ")[1].split("\n## ")[0]
    rep.check("メモ with its Japanese date", JA_DATE.search(notes) and "振込は保留" in notes, notes)
    rep.check("付録: each message", "### メール 2: RE: 【小金部品】12月分 請求書送付のご案内" in md
              and "- **送信元 (From):**" in md, md[-1500:])

    # the same with the locale and no --lang
    rc, md_locale, err = k(JA, "case", "export", "1")
    rep.check("LANG=ja_JP.UTF-8 gives the Japanese summary", rc == 0 and headings(md_locale, 2) == SECTIONS,
              headings(md_locale, 2))
    # English as before, whatever the locale
    rc, en_c, _ = k(C, "case", "export", "1")
    rc2, en_ja, _ = k(JA, "case", "export", "1", "--lang", "en")
    rep.check("--lang en under a Japanese locale is the English summary", en_c == en_ja and
              "## Timeline" in en_c and "## 概要" not in en_c, en_ja[:300])
    for fmt in ("json", "stix", "misp"):
        rc, out, err = k(JA, "case", "export", "1", "--format", fmt, "--lang", "ja")
        rep.check("%s stays English under Japanese" % fmt, rc == 0 and "received by" in out
                  if fmt == "json" else rc == 0 and "受信" not in out, err or out[:200])

    # HTML: one self-contained page, lang ja, the same sections
    rc, html, err = k(C, "case", "export", "1", "--lang", "ja", "--format", "html")
    rep.check("HTML in Japanese: lang, sections, nothing to run",
              rc == 0 and '<html lang="ja">' in html and all("<h2>%s</h2>" % s in html for s in SECTIONS)
              and "<script" not in html.lower() and "default-src 'none'" in html, html[:300])
    rep.check("HTML timeline picture with Japanese lane names",
              "<svg" in html and ">文書</text>" in html and ">経由サーバ</text>" in html, "")

    # --redact public: IPA's masking of the victim and of the names inside lookalikes
    rc, pub, err = k(C, "case", "export", "1", "--lang", "ja", "--redact", "public")
    rep.check("--redact public in Japanese", rc == 0 and "- **伏せ字:** 公開用" in pub, err or pub[:400])
    rep.check("the victim masked IPA-style, never named",
              "hos●●ko" in pub and "hoshizora-denko" not in pub and "星空電工" not in pub,
              [l for l in pub.splitlines() if "hoshizora" in l][:3])
    subprocess.run(["rm", "-rf", TMP])
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
