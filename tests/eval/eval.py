#!/usr/bin/env python3
"""Detection quality on real mail: what `make eval` prints.

kensa scans two folders of real mail (`kensa scan DIR --format jsonl`):
  bad   ../shared/corpora/phishing_pot/email  real phishing from a honeypot
  good  ../shared/corpora/sa_ham              real legitimate mail (SpamAssassin
                                              easy_ham_2: mailing lists, personal
                                              mail, a few HTML newsletters)
and this prints the share of each set at score >= 25 ("suspicious") and >= 60
("likely malicious"), the same for the legitimate mails that carry HTML, every
false alarm (a legitimate mail at >= 25) with the findings behind its score, and
every phishing mail still under 25 (path, score, rules, subject).

With --check FILE (tests/eval/floor.txt) it also compares the rates with the
ratchet in FILE and exits 1 when a phishing rate fell below its floor or a
legitimate rate rose above its ceiling; tests/e2e/test_detection_floor.py runs
that under `make test`.  Standard library only.

Usage: python3 tests/eval/eval.py [--kensa PATH] [--corpora DIR] [--check FILE]
                                  [--brief]"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
# as tests/e2e/lib/kensa_e2e.py and tests/unit/testlib.h find them: the first
# of $KENSA_CORPORA, ../shared/corpora beside the tree, /work/shared/corpora
CORPORA = next((d for d in (os.environ.get("KENSA_CORPORA"),
                            os.path.normpath(os.path.join(REPO, "..", "shared", "corpora")),
                            "/work/shared/corpora") if d and os.path.isdir(d)),
               os.path.normpath(os.path.join(REPO, "..", "shared", "corpora")))
SETS = [("phishing", "phishing_pot/email"), ("legitimate", "sa_ham")]
SUSPICIOUS, MALICIOUS = 25, 60  # analyzers/checks/summary.c's labels
# a text/html part anywhere in the mail (a Content-Type header line)
HTML_RE = re.compile(rb"^content-type:[ \t]*text/html", re.I | re.M)


# measured without anyone's case store: protected domains and contacts
# would change the findings
ENV = dict(os.environ, KENSA_DB=os.path.join(REPO, "build", "eval-no-case-store.db"))


def scan(kensa, folder):
    """One dict per mail of folder, from `kensa scan --format jsonl`."""
    p = subprocess.run([kensa, "scan", folder, "--format", "jsonl"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600, env=ENV)
    if p.returncode not in (0, 1):
        raise RuntimeError("kensa scan %s exited %d: %s" % (
            folder, p.returncode, p.stderr.decode("utf-8", "replace").strip()[-300:]))
    rows = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def has_html(path):
    try:
        with open(path, "rb") as f:
            return HTML_RE.search(f.read()) is not None
    except OSError:
        return False


def share(rows, at):
    return 100.0 * sum(1 for r in rows if r.get("score", 0) >= at) / len(rows) if rows else 0.0


def counted_findings(kensa, path):
    """The findings of one mail that carry points ("rule severity"), and its
    assessment reasons, from `kensa analyze --format json`."""
    p = subprocess.run([kensa, "analyze", path, "--format", "json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120, env=ENV)
    try:
        rep = json.loads(p.stdout.decode("utf-8"))
    except ValueError:
        return "(no report)"
    reasons = set(rep.get("assessment", {}).get("reasons", []))
    out = []
    for f in rep.get("findings", []):
        if f.get("id") in reasons:
            out.append("%s %s: %s" % (f["id"], f["severity"], f.get("evidence", "")[:110]))
    return out


def read_floor(path):
    """{key: float} from "key value  # why" lines."""
    floor = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            key, value = line.split()
            floor[key] = float(value)
    return floor


def rates(results):
    bad, good = results["phishing"], results["legitimate"]
    html = [r for r in good if r["_html"]]
    return {
        "phishing_ge25": share(bad, SUSPICIOUS), "phishing_ge60": share(bad, MALICIOUS),
        "legitimate_ge25": share(good, SUSPICIOUS), "legitimate_ge60": share(good, MALICIOUS),
        "legitimate_html_ge25": share(html, SUSPICIOUS),
        "legitimate_html_ge60": share(html, MALICIOUS),
    }, len(bad), len(good), len(html)


def check(rate, floor):
    """[(ok, line)]: floors are minimums (_min), ceilings maximums (_max).
    Rates are compared at the one decimal they are printed with."""
    out = []
    for key, want in sorted(floor.items()):
        name, kind = key.rsplit("_", 1)
        got = round(rate[name], 1)
        if kind == "min":
            out.append((got >= want, "%s %.1f%% (floor %.1f%%)" % (name, got, want)))
        elif kind == "max":
            out.append((got <= want, "%s %.1f%% (ceiling %.1f%%)" % (name, got, want)))
        else:
            out.append((False, "%s: unknown kind %r (want _min or _max)" % (key, kind)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kensa", default=os.environ.get("KENSA") or os.path.join(REPO, "kensa"))
    ap.add_argument("--corpora", default=CORPORA)
    ap.add_argument("--check", metavar="FILE", help="fail when a rate crosses FILE's ratchet")
    ap.add_argument("--brief", action="store_true", help="the table (and the check) only")
    a = ap.parse_args()
    kensa = os.path.abspath(a.kensa)

    results = {}
    for name, rel in SETS:
        folder = os.path.join(a.corpora, rel)
        if not os.path.isdir(folder):
            print("eval: %s is missing" % folder, file=sys.stderr)
            return 2
        rows = scan(kensa, folder)
        for r in rows:
            r["_html"] = has_html(r["path"])
        results[name] = rows
    rate, n_bad, n_good, n_html = rates(results)

    print("| set | mails | score >= 25 (suspicious) | score >= 60 (likely malicious) |")
    print("|---|---|---|---|")
    print("| real phishing (phishing_pot) | %d | %.1f%% | %.1f%% |"
          % (n_bad, rate["phishing_ge25"], rate["phishing_ge60"]))
    print("| real legitimate (sa_ham) | %d | %.1f%% | %.1f%% |"
          % (n_good, rate["legitimate_ge25"], rate["legitimate_ge60"]))
    print("| legitimate with HTML | %d | %.1f%% | %.1f%% |"
          % (n_html, rate["legitimate_html_ge25"], rate["legitimate_html_ge60"]))

    if not a.brief:
        alarms = sorted((r for r in results["legitimate"] if r["score"] >= SUSPICIOUS),
                        key=lambda r: (-r["score"], r["path"]))
        print("\nfalse alarms: %d legitimate mails at >= %d" % (len(alarms), SUSPICIOUS))
        for r in alarms:
            print("  %3d  %s  %s" % (r["score"], os.path.basename(r["path"]),
                                     (r.get("subject") or "")[:70]))
            for line in counted_findings(kensa, r["path"]):
                print("         " + line)
        missed = sorted((r for r in results["phishing"] if r["score"] < SUSPICIOUS),
                        key=lambda r: (-r["score"], r["path"]))
        print("\nphishing under %d: %d mails" % (SUSPICIOUS, len(missed)))
        for r in missed:
            print("  %3d  %s  [%s]  %s" % (r["score"], os.path.basename(r["path"]),
                                           " ".join(r.get("rules", [])),
                                           (r.get("subject") or "")[:70]))

    if a.check:
        print("\nratchet (%s)" % os.path.relpath(a.check))
        failed = 0
        for ok, line in check(rate, read_floor(a.check)):
            print("  %s %s" % ("ok  " if ok else "FAIL", line))
            failed += not ok
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
