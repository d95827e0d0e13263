#!/usr/bin/env python3
"""End-to-end: the detection ratchet.  tests/eval/eval.py measures, on the real
mail of ../shared/corpora (phishing_pot/email and sa_ham), the share of each set
at score >= 25 and >= 60; tests/eval/floor.txt holds the floors (phishing) and
ceilings (legitimate mail, its HTML share too) that may only move the right
way.  One line per rate; the whole measurement is `make eval`.  Without the
corpora there is nothing to measure: a note, no failure.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_detection_floor.py"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "eval"))
import kensa_e2e as k  # noqa: E402
import eval as ev  # noqa: E402

FLOOR = os.path.join(HERE, "..", "eval", "floor.txt")


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    results = {}
    for name, rel in ev.SETS:
        folder = os.path.join(k.CORPORA, rel)
        if not os.path.isdir(folder):
            rep.note("%s is missing: nothing to measure" % folder)
            return rep.finish()
        try:
            rows = ev.scan(k.kensa(), folder)
        except (RuntimeError, ValueError) as e:
            rep.fail("scan %s" % rel, e)
            return rep.finish()
        rep.check("scan %s reads every mail" % rel, len(rows) > 0, "no rows")
        for r in rows:
            r["_html"] = ev.has_html(r["path"])
        results[name] = rows
    rate = ev.rates(results)[0]
    for ok, line in ev.check(rate, ev.read_floor(FLOOR)):
        rep.check("ratchet " + line, ok, "crossed: see make eval")
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
