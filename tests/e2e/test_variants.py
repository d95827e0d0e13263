#!/usr/bin/env python3
"""Attack variants written apart from samples/ (other people, other wording,
other encodings and container tricks), so that a rule tuned to our own
samples shows here.  The generators under tests/e2e/variants/ write the
mails and an expected.json ({name: {"must": [...], "must_not": [...],
"bec_type": N or null}}) into a temporary directory:

  identity.py   sender identity and BEC text: lookalikes by every technique
                (IDN/punycode, separators, short labels, combined ones),
                display names holding addresses (full-width too), payment
                and secrecy lures in Japanese, English and Spanish as fraud
                mail words them, benign controls (footers, 取り急ぎ)
  payloads.py   ISO/IMG -> LNK chains (cmd carets, quoted chains, %COMSPEC%,
                conhost), zips (encrypted, renamed, fake OOXML packages),
                OneNote, Office macros and remote templates, benign controls
  documents.py  forged PDFs (quoted-mail formats, XMP-only dates, actions in
                object streams, the In-Reply-To parent in an mbox), HTML
                (strings assembled by script, gateway-wrapped links), the
                two CEO-fraud campaigns and bulk services, benign controls
  reported.py   how reported mail arrives: forwarded as message/rfc822, as an
                attached .eml or .msg, inline; Outlook .msg files (its own
                small OLE2 writer); Japanese charsets as mailers label them,
                and mislabel them; malformed MIME (NUL bytes, 200 nested
                multiparts, 1 MB lines, missing boundaries)
  brands.py     brand impersonation in English, Japanese, Portuguese, German
                and Spanish (display names, disguised subjects, logos, typosquats,
                attached pages), free-mail and throwaway senders, each kind of
                obfuscated text and hidden HTML, and the near misses: a brand's own
                newsletter, a list discussing a brand, a person at gmail.com,
                Japanese kana/Latin text, preheaders and layout tricks
  lures.py      credential-phishing and scam lures (content.phishing_lure) in
                the eight lure languages and their mail charsets, and near
                misses: a requested password reset, a list discussing a
                phishing mail, an IT quota newsletter, a shipping notice, a
                carrier's own 不在連絡, a bank's scam warning, a bounce
  links.py      where links go and what attachments hand over: links in PDFs
                (and in a locked PDF whose password the body gives), open
                redirects to IPFS, numeric IPs, homograph hosts, form
                services, data: links, shorteners, encrypted zips with the
                password in the body; near misses (a newsletter's shortened
                links, a university list's survey, a Japanese IDN, Safe
                Links, an intranet address, a password given by phone)
  legitimate.py newsletters (ESP bounces, tracking links, sign-up and search
                boxes, analytics scripts), list posts and forwards (Reply-To
                the list, ARC, SRS, drifting clocks) that must stay under 25,
                and attacks wearing their headers that must still count
  threads.py    hijacked-thread BEC for `kensa thread`: Thread-Index only,
                Japanese reply prefixes, lookalikes joining by Reply-To then
                From, Cc swaps, bank details changing, fabricated quotes,
                Maildir and directory input, and benign threads (domain
                moves, Sent Items copies, forwards, other time zones)

Each analyze case runs through `kensa analyze --format json` (and --format
text when a check reads it); one line per must rule, one for the must_not
set, one per check and one for bec_type when given.  Each thread case runs
through `kensa thread --format json` and `--format text`, judged on the
thread.* findings of all its messages.  Cases needing the corpora (real
macro files) or zip(1) are left out when those are missing.
Usage: KENSA=path/to/kensa python3 tests/e2e/test_variants.py"""

import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import kensa_e2e as k  # noqa: E402

GENERATORS = [("identity.py", "analyze"), ("payloads.py", "analyze"), ("documents.py", "analyze"),
              ("reported.py", "analyze"), ("lures.py", "analyze"), ("links.py", "analyze"),
              ("threads.py", "thread"), ("legitimate.py", "analyze"), ("brands.py", "analyze")]


def analyze_case(rep, prefix, path, exp, r):
    """r: the `analyze --format json` run of path."""
    if r.timed_out or r.rc not in (0, 1):
        rep.fail(prefix, r.describe())
        return
    if path.endswith(".mbox"):
        reports, why = k.parse_json_lines(r.out)
    else:
        report, why = k.parse_report(r.out)
        reports = [report] if report else None
    if reports is None:
        rep.fail(prefix, why)
        return
    # an mbox case is judged on all its messages together
    merged = {"findings": [f for rp in reports for f in k.all_findings(rp)]}
    k.check_rules(rep, prefix, merged, exp.get("must", []), exp.get("must_not", []))
    if exp.get("bec_type") is not None:
        got = reports[-1].get("assessment", {}).get("bec_type")
        rep.check("%s bec_type %s" % (prefix, exp["bec_type"]), got == exp["bec_type"],
                  "bec_type is %s" % got)
    for chk in exp.get("checks", []):
        if "text_starts" in chk:
            t = k.run(["analyze", path, "--format", "text"], timeout=60)
            text = t.out.decode("utf-8", "replace")
            rep.check("%s text starts %r" % (prefix, chk["text_starts"]),
                      t.rc in (0, 1) and text.startswith(chk["text_starts"]),
                      "starts %r" % text[:60])
        elif "excludes" in chk:
            try:
                v = k.lookup(reports[0], chk["path"])
            except (KeyError, IndexError, TypeError) as e:
                rep.fail("%s %s excludes" % (prefix, chk["path"]), e)
                continue
            rep.check("%s %s excludes %r" % (prefix, chk["path"], chk["excludes"]),
                      chk["excludes"] not in str(v), "it does: %s" % k.show(v))
        else:
            ok, why = k.run_check(reports[0], chk)
            rep.check("%s %s" % (prefix, k.check_name(chk)), ok, why)
    unsafe = k.unsafe_strings(reports[0])
    rep.check("%s nothing raw for a terminal" % prefix, not unsafe, "unsafe: %s" % unsafe[:3])


def thread_case(rep, prefix, path, exp, runs):
    """runs: the `thread --format json` and `--format text` runs of path."""
    r, t = runs
    if r.timed_out or r.rc not in (0, 1) or t.timed_out or t.rc not in (0, 1):
        rep.fail(prefix, "json: %s; text: %s" % (r.describe(), t.describe()))
        return
    try:
        doc = json.loads(r.out.decode("utf-8"))
        findings = [f for th in doc["threads"] for m in th["messages"] for f in m["findings"]]
    except (ValueError, KeyError, TypeError) as e:
        rep.fail(prefix, "thread JSON unreadable: %s" % e)
        return
    k.check_rules(rep, prefix, {"findings": findings}, exp.get("must", []), exp.get("must_not", []))


def run_analyze(path):
    return k.run(["analyze", path, "--format", "json"], timeout=60)


def run_thread(path):
    return (k.run(["thread", path, "--format", "json"], timeout=60),
            k.run(["thread", path, "--format", "text"], timeout=60))


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    tmp = tempfile.mkdtemp(prefix="kensa-variants-")
    # hermetic: no case store, so protected domains and contacts are empty
    os.environ["KENSA_DB"] = os.path.join(tmp, "none.db")
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    try:
        for gen, kind in GENERATORS:
            out = os.path.join(tmp, gen[:-3])
            p = subprocess.run([sys.executable, os.path.join(HERE, "variants", gen), out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(
                                   os.environ, CORPORA=k.CORPORA, PYTHONDONTWRITEBYTECODE="1"))
            if not rep.check("%s generates its cases" % gen, p.returncode == 0,
                             p.stderr.decode("utf-8", "replace")[-400:]):
                continue
            with open(os.path.join(out, "expected.json"), encoding="utf-8") as f:
                expected = json.load(f)
            names = sorted(expected)
            paths = [os.path.join(out, expected[n].get("path") or (n if "." in n else n + ".eml"))
                     for n in names]
            # kensa runs two at a time (CI has two cores); the checks and
            # their lines stay in name order
            runs = pool.map(run_thread if kind == "thread" else run_analyze, paths)
            for name, path, r in zip(names, paths, runs):
                prefix = "%s %s" % (gen[:-3], name)
                if kind == "thread":
                    thread_case(rep, prefix, path, expected[name], r)
                else:
                    analyze_case(rep, prefix, path, expected[name], r)
    finally:
        pool.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
