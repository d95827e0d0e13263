"""`kensa db export FILE` and `kensa db import FILE` (issue 16, item 3): the
whole store as one portable file and back.  A store with two cases (their
messages, a note about a message, a verdict, an indicator the analyst
judged) and knowledge (a protected domain, a registration, a contact, an
allowed domain) is exported (mode 0600) and imported into an empty store:
the same cases, counts, notes, judgement and knowledge.  Importing it again
adds nothing.  A file that is not a dump is refused with one line, exit 3;
an unusable entry is left out and said, the rest imported."""

import base64
import json
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import (SAMPLES, Reporter, binary_usable, kensa, new_store,  # noqa: E402
                       store_rows)

TMP = tempfile.mkdtemp(prefix="kensa-dump-")


STORES = {}


def store(db):
    """The store named db ("a.db"): a file in TMP, or a database of its own
    on the test cluster under tests/run.sh's pg step."""
    if db not in STORES:
        STORES[db] = new_store(TMP, db)
    return STORES[db]


def env(db):
    e = dict(os.environ, KENSA_DB=store(db), XDG_CONFIG_HOME=os.path.join(TMP, "cfg"),
             USER="hanako", LC_ALL="C.UTF-8")
    return e


def k(db, *args, user=None):
    e = env(db)
    if user:
        e["KENSA_USER"] = user
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=e, stdin=subprocess.DEVNULL, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sample(name):
    return os.path.join(SAMPLES, name)


def case_rows(db):
    rc, out, _ = k(db, "case", "list")
    rows = []
    for line in out.splitlines()[1:]:
        f = line.split(None, 7)
        rows.append((f[2], f[3], f[4], f[5], f[7]))  # verdict, bec, msgs, notes, title
    return sorted(rows)


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    a = "a.db"
    k(a, "case", "new", "請求書の振込先変更")
    k(a, "case", "add", "1", sample("invoice_thread_original.eml"),
      sample("invoice_lookalike_thread.eml"))
    k(a, "case", "note", "1", "--about", "message:2", "経理部に電話で確認済み。振込は保留。")
    k(a, "case", "new", "社長なりすまし")
    k(a, "case", "add", "2", sample("ceo_fraud_ja.eml"))
    k(a, "case", "verdict", "2", "bec")
    k(a, "case", "rename", "2", "社長なりすまし（確定）")
    k(a, "protect", "add", "hoshizora-denko.co.jp", "--label", "星空電工")
    k(a, "domain", "add", "koganne-parts.co.jp", "--registered", "2024-12-10T08:00:00+09:00")
    k(a, "contact", "add", "田中 一郎", "ichiro.tanaka@kogane-parts.co.jp")
    k(a, "allow", "add", "sendgrid.net", "--note", "配信サービス")
    # the analyst's judgement of an indicator, as the workbench's IOC pane stores it
    store_rows(store(a), "UPDATE iocs SET role = 'benign', judged_by = 'hanako' WHERE case_id = 1"
               " AND kind = 'domain' AND value = 'kogane-parts.co.jp' RETURNING id")
    dump = os.path.join(TMP, "dump.json")
    rc, out, err = k(a, "db", "export", dump)
    rep.check("db export writes the file", rc == 0 and "2 cases written to" in out, out + err)
    mode = stat.S_IMODE(os.stat(dump).st_mode) if os.path.exists(dump) else None
    rep.check("the dump is private (0600)", mode == 0o600, "mode %r" % mode)
    d = json.load(open(dump, encoding="utf-8"))
    rep.check("schema kensa.dump/1 with cases and knowledge",
              d.get("schema") == "kensa.dump/1" and len(d["cases"]) == 2 and "knowledge" in d, list(d))
    raw = base64.b64decode(d["cases"][0]["messages"][0]["raw"])
    rep.check("a message travels as its raw bytes",
              raw == open(sample("invoice_thread_original.eml"), "rb").read(), raw[:60])

    b = "b.db"
    rc, out, err = k(b, "db", "import", dump, user="importer")
    rep.check("db import into an empty store",
              rc == 0 and out.strip() == "2 cases (2 new), 3 messages (3 new), 1 notes (1 new)",
              out + err)
    rep.check("the same cases: verdicts, message and note counts, titles",
              [r[0:1] + r[2:] for r in case_rows(a)] == [r[0:1] + r[2:] for r in case_rows(b)],
              (case_rows(a), case_rows(b)))
    rc, show, _ = k(b, "case", "show", "1")
    rep.check("the note comes back as written, with its place",
              "about message:2" in show and "経理部に電話で確認済み。振込は保留。" in show, show[-600:])
    rep.check("the judged indicator keeps the analyst's role and name",
              "benign    kogane-parts[.]co[.]jp  (judged by hanako)" in show, show[-800:])
    rc, show2, _ = k(b, "case", "show", "2")
    rep.check("the case's history comes along",
              "verdict: undecided → bec" in show2 and "title: 社長なりすまし → 社長なりすまし（確定）" in show2,
              show2[:600])
    rc, prot, _ = k(b, "protect", "list")
    rep.check("a knowledge row keeps who added it, not who imported it",
              "(by hanako)" in prot and "importer" not in prot, prot)
    for what in (("protect", "list"), ("domain", "list"), ("contact", "list"), ("allow", "list")):
        ra = k(a, *what)[1]
        rb = k(b, *what)[1]
        keep = lambda s: sorted(l.split()[0] for l in s.splitlines() if l.strip())  # noqa: E731
        rep.check("knowledge: %s the same" % " ".join(what), keep(ra) == keep(rb), (ra, rb))

    rc, out, err = k(b, "db", "import", dump)
    rep.check("importing again adds nothing",
              rc == 0 and out.strip() == "2 cases (0 new), 3 messages (0 new), 1 notes (0 new)",
              out + err)
    rep.check("still two cases", len(case_rows(b)) == 2, case_rows(b))
    rc, show3, _ = k(b, "case", "show", "2")
    rep.check("the history is not doubled", show3.count("verdict: undecided → bec") == 1, show3)

    # refused: not JSON, not a dump
    bad = os.path.join(TMP, "bad.json")
    open(bad, "w").write("{not json")
    rc, out, err = k(b, "db", "import", bad)
    rep.check("not JSON: exit 3, one line", rc == 3 and len(err.strip().splitlines()) == 1, err)
    open(bad, "w").write('{"schema": "kensa.case/1", "cases": []}')
    rc, out, err = k(b, "db", "import", bad)
    rep.check("another schema: exit 3, said", rc == 3 and "not a kensa dump" in err, err)
    # one unusable message among good ones
    d["cases"][1]["messages"].append({"sha256": "x", "raw": None})
    d["cases"].append({"title": "no created time"})
    part = os.path.join(TMP, "partial.json")
    json.dump(d, open(part, "w", encoding="utf-8"))
    rc, out, err = k("c.db", "db", "import", part)
    rep.check("unusable entries are left out and counted, the rest imported",
              rc == 0 and "2 cases (2 new)" in out and "2 entries of the dump were not usable" in err,
              out + err)
    subprocess.run(["rm", "-rf", TMP])
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
