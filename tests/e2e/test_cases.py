"""The case store end to end: every `case`, `domain`, `protect` and `contact`
subcommand, exit statuses and error lines, and the README's walk-through
(open a case, add a sample, note it, watch lookalike, display-name and
young-domain findings light up after protect/contact/domain add, export).
Everything runs against a KENSA_DB in a temporary directory."""

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import (PG, SAMPLES, Reporter, binary_usable, kensa, new_store,  # noqa: E402
                       store_rows)

TMP = tempfile.mkdtemp(prefix="kensa-cases-")
os.makedirs(os.path.join(TMP, "data"))
# a file in directories not made yet (kensa makes them), or a new database
# on the test cluster when tests/run.sh's pg step runs this again
DB = new_store(os.path.join(TMP, "data"), os.path.join("kensa", "kensa.db"))
ENV = dict(os.environ, KENSA_DB=DB, XDG_CONFIG_HOME=os.path.join(TMP, "config"),
           XDG_DATA_HOME=os.path.join(TMP, "xdg-data"), USER="analyst1")
ENV.pop("NO_COLOR", None)


def k(*args, stdin=None, env=None):
    p = subprocess.run([kensa()] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env or ENV, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sample(name):
    return os.path.join(SAMPLES, name)


def rules(path, env=None):
    rc, out, err = k("analyze", path, "--format", "json", env=env)
    if rc not in (0, 1):
        return None
    r = json.loads(out)
    return r


def finding_ids(r):
    return [f["id"] for f in r["findings"]]


def one_error_line(err):
    lines = err.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("kensa: ")


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()

    # analyze with no DB never creates one
    rc, out, err = k("analyze", sample("ceo_fraud_ja.eml"))
    created = store_rows(DB, "SELECT count(*) FROM pg_tables WHERE tablename = 'cases'") != [(0,)] \
        if PG else os.path.exists(DB)
    rep.check("analyze without a DB does not create it", rc == 0 and not created,
              "rc %d, exists %s" % (rc, created))

    # case new / list
    rc, out, err = k("case", "new", "社長なりすまし CEO fraud")
    first = out.splitlines()[0] if out else ""
    rep.check("case new prints the id alone", rc == 0 and first == "1", repr(out))
    cid = first
    if PG:
        uv = store_rows(DB, "SELECT version FROM kensa_schema")
        rep.check("db is versioned", uv and uv[0][0] >= 1, "%s" % uv)
    else:
        mode = stat.S_IMODE(os.stat(DB).st_mode) if os.path.exists(DB) else None
        rep.check("db created 0600 with its directories", mode == 0o600, "mode %r" % mode)
        con = sqlite3.connect(DB)
        jm = con.execute("PRAGMA journal_mode").fetchone()[0]
        uv = con.execute("PRAGMA user_version").fetchone()[0]
        con.close()
        rep.check("db is WAL and versioned", jm == "wal" and uv >= 1, "%s %s" % (jm, uv))
    rc, out, err = k("case", "list")
    rep.check("case list shows the case", rc == 0 and "社長なりすまし" in out, out)

    # case add, twice
    rc, out, err = k("case", "add", cid, sample("ceo_fraud_ja.eml"))
    rep.check("case add stores the message", rc == 0 and "added to case 1" in out, out + err)
    rc, out, err = k("case", "add", cid, sample("ceo_fraud_ja.eml"))
    rep.check("case add twice is a no-op that says so",
              rc == 0 and "already in case 1" in out and "nothing added" in out, out + err)
    n = store_rows(DB, "SELECT count(*) FROM messages")[0][0]
    raw = store_rows(DB, "SELECT raw FROM messages")[0][0]
    with open(sample("ceo_fraud_ja.eml"), "rb") as f:
        original = f.read()
    rep.check("one message stored, raw bytes kept", n == 1 and raw == original, "n=%d" % n)

    # a copy of the sample, deleted after adding: the case survives
    copy = os.path.join(TMP, "copy.eml")
    with open(copy, "wb") as f:
        f.write(open(sample("invoice_lookalike_thread.eml"), "rb").read())
    rc, out, err = k("case", "add", cid, copy)
    os.unlink(copy)
    rc2, show, err2 = k("case", "show", cid)
    rep.check("case survives the original file being deleted",
              rc == 0 and rc2 == 0 and "koganne-parts.co.jp" in show, out + err + err2)

    # notes
    rc, out, err = k("case", "note", cid, "Reply-To はフリーメール、社長本人に電話で確認済み",
                     "--about", "header:Reply-To")
    rep.check("case note saves", rc == 0 and "saved" in out, out + err)
    rc, out, err = k("case", "note", cid, "-", stdin="phoned the CEO: not sent by him\n極秘\n".encode())
    rep.check("case note - reads stdin", rc == 0 and "saved" in out, out + err)
    rc, out, err = k("case", "note", cid, "x", "--about", "elsewhere")
    rep.check("case note --about checks its value", rc == 2 and one_error_line(err), err)
    # the place must exist in a message of the case (issue #14)
    for about in ("hop:99", "header:X-Not-There", "finding:pdf.javascript", "message:999"):
        rc, out, err = k("case", "note", cid, "x", "--about", about)
        rep.check("case note --about %s refused: no such place" % about,
                  rc == 2 and one_error_line(err) and "no message of case" in err, err)
    rc, out, err = k("case", "note", cid, "seen in the first hop", "--about", "hop:0")
    rep.check("case note --about hop:0 (it exists) saves", rc == 0 and "saved" in out, out + err)

    # verdict
    rc, out, err = k("case", "verdict", cid, "bec")
    rep.check("case verdict", rc == 0, out + err)
    rc, out, err = k("case", "verdict", cid, "awful")
    rep.check("case verdict rejects unknown verdicts", rc == 2 and one_error_line(err), err)

    # show
    rc, out, err = k("case", "show", cid)
    checks = ["verdict bec", "【至急・極秘】", "identity.lookalike_domain",
              "フリーメール", "about header:Reply-To", "phoned the CEO", "analyst1",
              "hoshizora-denk0[.]co[.]jp"]
    missing = [c for c in checks if c not in out]
    rep.check("case show: messages, findings, notes, defanged IOCs", rc == 0 and not missing,
              "missing %s" % missing)

    # search
    for q, want in [("フリーメール", "note"), ("極秘", "message"), ("KOGANNE", "message"),
                    ("phoned CEO", "note"), ("社長なりすまし", "title")]:
        rc, out, err = k("case", "search", q)
        rep.check("case search %s" % q, rc == 0 and want in out, out + err)
    rc, out, err = k("case", "search", "zzzznotthere")
    rep.check("case search without a match", rc == 0 and "no match" in out, out)

    # errors: no such case, bad id, bad db
    rc, out, err = k("case", "show", "99")
    rep.check("no such case exits 2 with one line", rc == 2 and one_error_line(err), err)
    rc, out, err = k("case", "add", "abc", sample("ceo_fraud_ja.eml"))
    rep.check("bad case id exits 2", rc == 2 and one_error_line(err), err)
    rc, out, err = k("case", "add", cid, os.path.join(TMP, "missing.eml"))
    rep.check("unreadable file exits 3", rc == 3 and one_error_line(err), err)
    bad = os.path.join(TMP, "bad.db")
    with open(bad, "w") as f:
        f.write("this is not a database, just text " * 100)
    rc, out, err = k("case", "list", env=dict(ENV, KENSA_DB=bad))
    rep.check("a corrupt DB exits 4 with one line", rc == 4 and one_error_line(err), err)
    rc, out, err = k("case", "new", "x", env=dict(ENV, KENSA_DB="/proc/kensa/nope.db"))
    rep.check("an uncreatable DB exits 4", rc == 4 and one_error_line(err), err)
    rc, out, err = k("analyze", sample("ceo_fraud_ja.eml"), env=dict(ENV, KENSA_DB=bad))
    rep.check("analyze with a corrupt DB warns and goes on", rc == 0 and "kensa: database" in err,
              err)
    rc, out, err = k("case", "frobnicate")
    rep.check("unknown case subcommand exits 2", rc == 2 and one_error_line(err), err)
    for c in ("case", "domain", "protect", "contact"):
        rc, out, err = k(c, "--help")
        rep.check("%s --help" % c, rc == 0 and ("usage: kensa %s" % c) in out, out)

    # knowledge lights findings up
    before = rules(sample("ceo_fraud_ja.eml"))
    rc1, out1, _ = k("protect", "add", "hoshizora-denko.co.jp", "--label", "星空電工")
    rc2, out2, _ = k("contact", "add", "山田 太郎", "taro.yamada@hoshizora-denko.co.jp")
    rc3, out3, _ = k("domain", "add", "hoshizora-denk0.co.jp", "--registered",
                     "2024-12-05T10:00:00+09:00", "--source", "whois (saved)")
    rep.check("protect/contact/domain add", rc1 == rc2 == rc3 == 0, out1 + out2 + out3)
    after = rules(sample("ceo_fraud_ja.eml"))
    ev = [f["evidence"] for f in after["findings"] if f["id"] == "identity.lookalike_domain"]
    rep.check("lookalike against the protected domain",
              any("protected domain" in e for e in ev), ev)
    rep.check("display-name spoof after contact add",
              "identity.display_name_spoof" not in finding_ids(before)
              and "identity.display_name_spoof" in finding_ids(after), finding_ids(after))
    rep.check("young domain after domain add",
              "identity.young_domain" not in finding_ids(before)
              and "identity.young_domain" in finding_ids(after), finding_ids(after))
    rep.check("registration on the timeline",
              any("registered" in e["event"] for e in after["timeline"]), after["timeline"])
    rc, out, err = k("scan", sample("mailbox.mbox"))
    rep.check("scan uses the knowledge too", rc == 0 and "identity.young_domain" in out, err)

    rc, out, err = k("protect", "list")
    rep.check("protect list", rc == 0 and "hoshizora-denko.co.jp" in out and "星空電工" in out, out)
    rc, out, err = k("protect", "add", "kogane-parts.co.jp")
    rc, out, err = k("protect", "remove", "kogane-parts.co.jp")
    rep.check("protect remove", rc == 0 and "no longer" in out, out)
    rc, out, err = k("protect", "remove", "kogane-parts.co.jp")
    rep.check("protect remove of a missing one says so", rc == 0 and "not protected" in out, out)
    rc, out, err = k("protect", "add", "not a domain")
    rep.check("protect add rejects a non-domain", rc == 2 and one_error_line(err), err)
    rc, out, err = k("contact", "list")
    rep.check("contact list", rc == 0 and "taro.yamada@hoshizora-denko.co.jp" in out, out)
    rc, out, err = k("contact", "add", "山田 太郎", "taro.yamada@hoshizora-denko.co.jp")
    rep.check("contact add twice says so", rc == 0 and "already" in out, out)
    rc, out, err = k("contact", "add", "x", "no-at-sign")
    rep.check("contact add rejects a non-address", rc == 2 and one_error_line(err), err)
    rc, out, err = k("domain", "add", "a.example", "--registered", "yesterday")
    rep.check("domain add rejects an unreadable time", rc == 2 and one_error_line(err), err)
    rc, out, err = k("domain", "add", "a.example", "--registered", "2024-12-01")
    rep.check("domain add: a date alone is 00:00 UTC",
              rc == 0 and "2024-12-01T00:00:00+00:00" in out, out + err)

    # domain import: WHOIS (.com, .co.jp) and RDAP
    whois = os.path.join(TMP, "koganne.whois")
    with open(whois, "w", encoding="utf-8") as f:
        f.write("   Domain Name: KOGANNE-PARTS.COM\n   Creation Date: 2024-12-09T07:12:33Z\n"
                "\nDomain Information: [ドメイン情報]\na. [ドメイン名]   KOGANNE-PARTS.CO.JP\n"
                "[登録年月日]   2024/12/10\n[最終更新]   2024/12/10 11:02:55 (JST)\n"
                "\nDomain Name: broken.example\nCreation Date: soon\n")
    rc, out, err = k("domain", "import", whois)
    rep.check("domain import reads WHOIS", rc == 0 and "koganne-parts.com registered 2024-12-09T07:12:33+00:00" in out
              and "koganne-parts.co.jp registered 2024-12-10T00:00:00+09:00" in out, out + err)
    rep.check("domain import says what it could not read",
              "could not read" in err and "broken.example" in err, err)
    rdap = os.path.join(TMP, "rdap.json")
    with open(rdap, "w") as f:
        json.dump({"objectClassName": "domain", "ldhName": "evil-rdap.example",
                   "events": [{"eventAction": "registration",
                               "eventDate": "2024-11-30T12:00:00Z"}]}, f)
    rc, out, err = k("domain", "import", rdap)
    rep.check("domain import reads RDAP", rc == 0 and "evil-rdap.example" in out and "rdap" in out,
              out + err)
    empty = os.path.join(TMP, "empty.txt")
    with open(empty, "w") as f:
        f.write("No match for domain.\n")
    rc, out, err = k("domain", "import", empty)
    rep.check("domain import of nothing exits 3", rc == 3 and "kensa: " in err, err)
    rc, out, err = k("domain", "list")
    rep.check("domain list", rc == 0 and "koganne-parts.co.jp" in out and "evil-rdap.example" in out,
              out)

    # the invoice thread now shows the young domain (koganne-parts.co.jp)
    r = rules(sample("invoice_lookalike_thread.eml"))
    rep.check("young domain from an imported JPRS record",
              "identity.young_domain" in finding_ids(r), finding_ids(r))

    # seen before: the forwarded copy's attachment, in a second case
    rc, out, err = k("case", "new", "forwarded")
    cid2 = out.split()[0] if out else "0"
    k("case", "add", cid2, sample("forwarded_rfc822.eml"))
    r = rules(sample("forwarded_octet.eml"))
    rep.check("attachment.seen_before on the same sha256",
              r and "attachment.seen_before" in finding_ids(r), r and finding_ids(r))
    rep.check("a reported mail forwarded again is seen before (the stored message's sha256)",
              r and any("suspicious.eml" in f["evidence"] for f in r["findings"]
                        if f["id"] == "attachment.seen_before"), r and r["findings"])
    # the same message added to another case: its own attachments do not
    # make it "seen before" (the message itself is left out by its sha256)
    rc, out, err = k("case", "add", cid2, sample("invoice_lookalike_thread.eml"))
    rc, show, err = k("case", "show", cid2)
    seen = [l for l in show.splitlines() if "attachment.seen_before" in l and "請求書" in l]
    rep.check("the message itself does not count as seen before", rc == 0 and not seen, seen)

    # the same mail in a second case: case add says which other case holds it
    rc, out, err = k("case", "new", "the same report again")
    cid3 = out.splitlines()[0].strip() if rc == 0 and out else "0"
    rc, out, err = k("case", "add", cid3, sample("ceo_fraud_ja.eml"))
    rep.check("case add names the other case holding the message",
              rc == 0 and ("also in case %s" % cid) in out, out + err)

    # a case's life (issue #14): close, reopen, rename, remove a message, delete
    rc, out, err = k("case", "new", "lifecycle")
    lc = out.splitlines()[0].strip() if rc == 0 and out else "0"
    k("case", "add", lc, sample("payroll_diversion.eml"), sample("benign_control.eml"))
    rc, out, err = k("case", "close", lc)
    rc2, lst, _ = k("case", "list")
    row = [l for l in lst.splitlines() if "lifecycle" in l]
    rep.check("case close marks it closed", rc == 0 and row and "closed" in row[0], lst)
    rc, out, err = k("case", "reopen", lc)
    rep.check("case reopen", rc == 0 and "open" in out, out + err)
    rc, out, err = k("case", "rename", lc, "給与振込先の変更", "(renamed)")
    rc2, found, _ = k("case", "search", "給与振込先")
    rep.check("case rename: the new title is searchable", rc == 0 and "lifecycle" not in found and
              found.strip() and "no match" not in found, out + err + found)
    mids = [r[0] for r in store_rows(DB, "SELECT id FROM messages WHERE case_id = ? ORDER BY id",
                                     (int(lc),))]
    rc, out, err = k("case", "remove", lc, str(mids[-1]) if mids else "0")
    rc2, out2, err2 = k("case", "remove", lc, "99999")
    rep.check("case remove takes one message out, refuses one it does not hold",
              rc == 0 and "removed" in out and rc2 == 2 and one_error_line(err2), out + err + err2)
    rc, out, err = k("case", "delete", lc)
    rep.check("case delete without --yes refuses, saying what would go",
              rc == 2 and "--yes" in err and "(1 message, 0 notes)" in err, err)
    rc, out, err = k("case", "rename", lc, "  ")
    rep.check("case rename to a blank title refuses", rc == 2 and one_error_line(err), err)
    rc, out, err = k("case", "delete", lc, "--yes")
    rc2, lst, _ = k("case", "list")
    rep.check("case delete --yes removes it all", rc == 0 and "lifecycle" not in lst and
              "給与振込先" not in lst, out + err)

    # integrity at the end
    if not PG:
        con = sqlite3.connect(DB)
        ic = con.execute("PRAGMA integrity_check").fetchone()[0]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        con.close()
        rep.check("integrity_check ok", ic == "ok" and not fk, "%s %s" % (ic, fk))
    return rep.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP])
