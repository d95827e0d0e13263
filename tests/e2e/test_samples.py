#!/usr/bin/env python3
"""End-to-end: the binary on samples/ (built by samples/build.py).

For each entry of samples/expected.json: `kensa analyze FILE --format json` exits 0
with a kensa.report/1 object in SPEC.md's key order, every rule in "must" fires
(in the report or in a nested one, e.g. a forwarded message), none in "must_not"
does, the "checks" hold, nothing is above "max_severity", and no string could
drive a terminal; text and Markdown output work and carry no raw escapes.  Then
the command line: --fail-on, exit statuses 2 and 3 with a "kensa: " line, an mbox
through analyze, and `kensa scan` as jsonl and csv.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_samples.py
Prints "ok NAME" or "FAIL NAME: WHY" per check and "N passed, M failed"."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import kensa_e2e as k  # noqa: E402


def rel(name):
    return os.path.join("samples", name)


def check_report_shape(rep, name, report):
    keys = list(report.keys())
    missing = [key for key in ("schema", "source", "message", "findings", "assessment")
               if key not in keys]
    why = k.ordered_subsequence(keys, k.TOP_KEYS)
    rep.check("%s key order" % name, not missing and why is None,
              ("missing %s" % " ".join(missing)) if missing else why)
    problems = []
    for key, order in k.SUB_KEYS.items():
        if isinstance(report.get(key), dict):
            w = k.ordered_subsequence(list(report[key].keys()), order)
            if w:
                problems.append("%s: %s" % (key, w))
    for key, order in k.ITEM_KEYS.items():
        for i, item in enumerate(report.get(key) or []):
            if isinstance(item, dict):
                w = k.ordered_subsequence(list(item.keys()), order)
                if w:
                    problems.append("%s.%d: %s" % (key, i, w))
                    break
    rep.check("%s sub-key order" % name, not problems, "; ".join(problems))
    bad = []
    for f in k.all_findings(report):
        if k.RULE_ID_RE.match(str(f.get("id"))) is None:
            bad.append("id %s" % k.show(f.get("id")))
        if f.get("severity") not in k.SEVERITIES:
            bad.append("%s severity %s" % (f.get("id"), k.show(f.get("severity"))))
        if not isinstance(f.get("location"), str) or not k.LOCATION_RE.match(f["location"]):
            bad.append("%s location %s" % (f.get("id"), k.show(f.get("location"))))
    rep.check("%s findings well-formed" % name, not bad, "; ".join(bad[:6]))
    unsafe = k.unsafe_strings(report)
    rep.check("%s strings sanitized" % name, not unsafe, "controls in " + ", ".join(unsafe[:6]))


def check_sample(rep, name, exp):
    path = rel(name)
    if not os.path.exists(os.path.join(k.REPO, path)):
        rep.fail("%s exists" % name, "missing; run python3 samples/build.py")
        return
    r = k.run(["analyze", path, "--format", "json"])
    report, why = (None, r.describe()) if r.rc != 0 else k.parse_report(r.out)
    if report is not None and report.get("schema") != "kensa.report/1":
        why, report = "schema is %s" % k.show(report.get("schema")), None
    if not rep.check("%s json" % name, report is not None, why):
        return
    check_report_shape(rep, name, report)
    k.check_rules(rep, name, report, exp.get("must", []), exp.get("must_not", []))
    for chk in exp.get("checks", []):
        ok, why = k.run_check(report, chk)
        rep.check("%s %s" % (name, k.check_name(chk)), ok, why)
    if "max_severity" in exp:
        limit = k.SEVERITIES.index(exp["max_severity"])
        above = ["%s (%s)" % (f.get("id"), f.get("severity")) for f in k.all_findings(report)
                 if f.get("severity") in k.SEVERITIES and k.SEVERITIES.index(f["severity"]) > limit]
        rep.check("%s nothing above %s" % (name, exp["max_severity"]), not above,
                  "reported " + ", ".join(above))
    found = k.rule_ids(report)
    for rule in exp.get("later", []):
        rep.note("%s: later rule %s %s" % (name, rule,
                                           "is reported now (move it to must)" if rule in found
                                           else "not reported yet"))
    for fmt in ("text", "markdown"):
        r = k.run(["analyze", path, "--format", fmt])
        why = None
        if r.rc != 0:
            why = r.describe()
        elif not r.out.strip():
            why = "empty output"
        else:
            why = k.unsafe_bytes(r.out)
        rep.check("%s %s" % (name, fmt), why is None, why)


def check_cli(rep, expected):
    # --fail-on: 1 when a finding reaches the level, and the report is still written
    r = k.run(["analyze", rel("ceo_fraud_ja.eml"), "--format", "json", "--fail-on", "high"])
    report, why = k.parse_report(r.out)
    rep.check("fail-on high on ceo_fraud_ja exits 1", r.rc == 1 and report is not None,
              r.describe() if r.rc != 1 else why)
    for level in ("high", "medium"):
        r = k.run(["analyze", rel("benign_control.eml"), "--fail-on", level])
        rep.check("fail-on %s on benign_control exits 0" % level, r.rc == 0, r.describe())

    # exit 3: unreadable or not a message; one "kensa: " line, nothing on stdout
    tmp = tempfile.mkdtemp(prefix="kensa-e2e-")
    try:
        empty = os.path.join(tmp, "empty.eml")
        open(empty, "wb").close()
        binary = os.path.join(tmp, "random.bin")
        with open(binary, "wb") as f:
            f.write(bytes(range(256)) * 16)
        for label, target in (("missing file", rel("does-not-exist.eml")),
                              ("directory", "samples/"), ("empty file", empty),
                              ("binary file", binary)):
            r = k.run(["analyze", target, "--format", "json"])
            lines = r.err_text.splitlines()
            if label == "missing file":
                ok = r.rc == 3
            elif label == "directory":  # "use kensa scan" (2) and "unreadable" (3) both fit SPEC
                ok = r.rc in (2, 3)
            else:  # may parse as an (empty, malformed) message, or be refused
                ok = r.rc in (0, 1, 3)
            if ok and r.rc in (2, 3):
                ok = len(lines) == 1 and lines[0].startswith("kensa: ") and not r.out
            elif ok:
                ok = k.parse_report(r.out)[0] is not None
            rep.check({"missing file": "missing file exits 3 with one kensa: line",
                       "directory": "directory refused with one kensa: line"}.get(label, "%s handled" % label), ok,
                      "%s; stderr %s; stdout %d bytes" % (r.describe(), k.show(r.err_text, 200), len(r.out)))

        # exit 2: usage errors
        for label, args in (("unknown option", ["analyze", "--bogus", rel("benign_control.eml")]),
                            ("bad format", ["analyze", rel("benign_control.eml"), "--format", "yaml"]),
                            ("bad fail-on", ["analyze", rel("benign_control.eml"), "--fail-on", "extreme"]),
                            ("analyze without file", ["analyze"]),
                            ("unknown command", ["frobnicate"]),
                            ("scan bad format", ["scan", rel("mailbox.mbox"), "--format", "xml"])):
            r = k.run(args)
            lines = r.err_text.splitlines()
            rep.check("%s exits 2" % label,
                      r.rc == 2 and lines and lines[0].startswith("kensa: ") and not r.out,
                      "%s; stderr %s; stdout %d bytes" % (r.describe(), k.show(r.err_text, 200), len(r.out)))

        # "-" is standard input: one message, or an mbox (issue #14)
        with open(rel("ceo_fraud_ja.eml"), "rb") as f:
            one = f.read()
        p = subprocess.run([k.kensa(), "analyze", "-", "--format", "json"], input=one,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        doc = k.parse_report(p.stdout)[0]
        rep.check("analyze - reads standard input",
                  p.returncode == 0 and doc and doc.get("source", {}).get("path") == "-" and
                  "identity.lookalike_domain" in [f["id"] for f in doc["findings"]],
                  k.show(p.stderr.decode('utf-8', 'replace')))
        with open(rel("mailbox.mbox"), "rb") as f:
            box = f.read()
        p = subprocess.run([k.kensa(), "scan", "-"], input=box, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        rep.check("scan - reads an mbox from standard input",
                  p.returncode == 0 and len(p.stdout.splitlines()) == box.count(b"\nFrom ") + 1,
                  k.show(p.stderr.decode('utf-8', 'replace')))

        # a mistyped command is named as one, with the nearest command (issue #14)
        r = k.run(["anlyze", rel("benign_control.eml")])
        rep.check("mistyped command suggests the nearest",
                  r.rc == 2 and "unknown command anlyze (did you mean analyze?)" in r.err_text,
                  r.describe())

        for args in (["--version"], ["--help"], ["analyze", "--help"], ["scan", "--help"]):
            r = k.run(args)
            rep.check("%s exits 0" % " ".join(args), r.rc == 0 and r.out.strip(), r.describe())

        # scan: one line per message of the mbox
        mbox = os.path.join(k.SAMPLES, "mailbox.mbox")
        with open(mbox, "rb") as f:
            n = sum(1 for line in f if line.startswith(b"From "))
        r = k.run(["scan", rel("mailbox.mbox"), "--format", "jsonl"], timeout=120)
        objs, why = (None, r.describe()) if r.rc != 0 else k.parse_json_lines(r.out)
        if objs is not None and len(objs) != n:
            why, objs = "%d lines for %d messages" % (len(objs), n), None
        rep.check("scan mailbox.mbox jsonl: %d lines" % n, objs is not None, why)
        if objs is not None:
            unsafe = k.unsafe_strings(objs)
            rep.check("scan jsonl strings sanitized", not unsafe, ", ".join(unsafe[:6]))

        r = k.run(["scan", rel("mailbox.mbox"), "--format", "csv"], timeout=120)
        why = None
        if r.rc != 0:
            why = r.describe()
        else:
            try:
                rows = list(csv.reader(io.StringIO(r.out.decode("utf-8"), newline="")))
                rows = [row for row in rows if row]
                if len(rows) != n + 1:
                    why = "%d rows, want a header and %d" % (len(rows), n)
                elif len({len(row) for row in rows}) != 1:
                    why = "rows have different column counts"
                else:
                    why = k.unsafe_bytes(r.out)
            except (UnicodeDecodeError, csv.Error) as e:
                why = "not UTF-8 CSV: %s" % e
        rep.check("scan mailbox.mbox csv: header + %d rows" % n, why is None, why)

        # scan DIR: a directory of .eml files
        d = os.path.join(tmp, "dir")
        os.mkdir(d)
        for name in ("benign_control.eml", "ceo_fraud_ja.eml", "rlo_filename.eml"):
            shutil.copy(os.path.join(k.SAMPLES, name), d)
        r = k.run(["scan", d, "--format", "jsonl"])
        objs, why = (None, r.describe()) if r.rc != 0 else k.parse_json_lines(r.out)
        if objs is not None and len(objs) != 3:
            why, objs = "%d lines for 3 messages" % len(objs), None
        rep.check("scan DIR jsonl: 3 lines", objs is not None, why)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # analyze on an mbox: one report per line (SPEC.md "Command line")
    r = k.run(["analyze", rel("mailbox.mbox"), "--format", "json"], timeout=120)
    objs, why = (None, r.describe()) if r.rc != 0 else k.parse_json_lines(r.out)
    if objs is not None:
        if len(objs) != n:
            why, objs = "%d reports for %d messages" % (len(objs), n), None
        elif any(o.get("schema") != "kensa.report/1" for o in objs):
            why, objs = "a line is not a kensa.report/1", None
    rep.check("analyze mailbox.mbox: one report per line", objs is not None, why)
    if objs is not None:
        # the mbox's reports agree with the single files' on which rules must fire
        order = sorted(expected)
        diffs = []
        for name, o in zip(order, objs):
            missing = [r for r in expected[name].get("must", []) if r not in k.rule_ids(o)]
            if missing:
                diffs.append("%s lacks %s" % (name, ",".join(missing)))
        rep.check("analyze mailbox.mbox: must rules as in the .eml", not diffs, "; ".join(diffs))


def check_build_reproducible(rep):
    """samples/build.py, run again, gives exactly the committed files."""
    tmp = tempfile.mkdtemp(prefix="kensa-samples-")
    try:
        p = subprocess.run([sys.executable, os.path.join(k.SAMPLES, "build.py"), "--out", tmp],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if p.returncode != 0:
            rep.fail("samples/build.py runs", p.stderr.decode("utf-8", "replace").strip()[-300:])
            return
        differ = []
        for name in sorted(os.listdir(tmp)):
            committed = os.path.join(k.SAMPLES, name)
            with open(os.path.join(tmp, name), "rb") as a:
                fresh = a.read()
            if not os.path.exists(committed):
                differ.append(name + " (not in samples/)")
                continue
            with open(committed, "rb") as b:
                if b.read() != fresh:
                    differ.append(name)
        rep.check("samples/ is what build.py writes", not differ,
                  "differ: %s (run python3 samples/build.py)" % ", ".join(differ))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    try:
        with open(os.path.join(k.SAMPLES, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)
    except (OSError, ValueError) as e:
        rep.fail("samples/expected.json", e)
        return rep.finish()
    check_build_reproducible(rep)
    emls = sorted(f for f in os.listdir(k.SAMPLES) if f.endswith(".eml"))
    rep.check("expected.json covers every sample", sorted(expected) == emls,
              "samples without an entry: %s; entries without a sample: %s"
              % (sorted(set(emls) - set(expected)), sorted(set(expected) - set(emls))))
    for name in sorted(expected):
        try:
            check_sample(rep, name, expected[name])
        except Exception as e:  # a surprise in the output is a failure, not a crash
            rep.fail("%s" % name, "%s: %s" % (type(e).__name__, e))
    try:
        check_cli(rep, expected)
    except Exception as e:
        rep.fail("cli", "%s: %s" % (type(e).__name__, e))
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
