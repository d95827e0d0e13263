#!/usr/bin/env python3
"""End-to-end: Japanese mail as it really arrives (../shared/corpora/ja_charsets).

Each case folder holds message.eml and expect.json (see that folder's README.md):
`kensa analyze message.eml --format json` must exit 0 with a report whose
"checks" hold (path equals/contains/count, attachment_filename anywhere in the
attachment tree, any_of) and whose findings include every "must" rule and none
of the "must_not" ones.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_ja_charsets.py
Prints "ok NAME" or "FAIL NAME: WHY" per check and "N passed, M failed"."""

import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import kensa_e2e as k  # noqa: E402

CASES = os.path.join(k.CORPORA, "ja_charsets")


def check_case(rep, case):
    d = os.path.join(CASES, case)
    try:
        with open(os.path.join(d, "expect.json"), encoding="utf-8") as f:
            exp = json.load(f)
    except (OSError, ValueError) as e:
        rep.fail("%s expect.json" % case, e)
        return
    r = k.run(["analyze", os.path.join(d, "message.eml"), "--format", "json"])
    report, why = (None, r.describe()) if r.rc != 0 else k.parse_report(r.out)
    if report is not None and report.get("schema") != "kensa.report/1":
        why, report = "schema is %s" % k.show(report.get("schema")), None
    if not rep.check("%s json" % case, report is not None, why):
        return
    for chk in exp.get("checks", []):
        ok, why = k.run_check(report, chk)
        rep.check("%s %s" % (case, k.check_name(chk)), ok, why)
    k.check_rules(rep, case, report, exp.get("must", []), exp.get("must_not", []))


def main():
    rep = k.Reporter()
    if not os.path.isdir(CASES):
        rep.fail("ja_charsets", "%s not found (the corpora sit beside the repository)" % CASES)
        return rep.finish()
    if not k.binary_usable(rep):
        return rep.finish()
    cases = sorted(c for c in os.listdir(CASES)
                   if os.path.isfile(os.path.join(CASES, c, "message.eml")))
    rep.check("ja_charsets has cases", cases, "no case folders in %s" % CASES)
    for case in cases:
        try:
            check_case(rep, case)
        except Exception as e:  # a surprise in the output is a failure, not a crash
            rep.fail(case, "%s: %s" % (type(e).__name__, e))
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
