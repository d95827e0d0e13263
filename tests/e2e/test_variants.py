#!/usr/bin/env python3
"""Attack variants written apart from samples/ (other people, other wording,
other encodings and container tricks), so that a rule tuned to our own
samples shows here.  Three generators under tests/e2e/variants/ write the
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

Each case runs through `kensa analyze --format json`; one line per must rule,
one for the must_not set, one for bec_type when given.  Cases needing the
corpora (real macro files) or zip(1) are left out when those are missing.
Usage: KENSA=path/to/kensa python3 tests/e2e/test_variants.py"""

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

GENERATORS = ["identity.py", "payloads.py", "documents.py"]


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    tmp = tempfile.mkdtemp(prefix="kensa-variants-")
    # hermetic: no case store, so protected domains and contacts are empty
    os.environ["KENSA_DB"] = os.path.join(tmp, "none.db")
    try:
        for gen in GENERATORS:
            out = os.path.join(tmp, gen[:-3])
            p = subprocess.run([sys.executable, os.path.join(HERE, "variants", gen), out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(
                                   os.environ, CORPORA=k.CORPORA, PYTHONDONTWRITEBYTECODE="1"))
            if not rep.check("%s generates its cases" % gen, p.returncode == 0,
                             p.stderr.decode("utf-8", "replace")[-400:]):
                continue
            with open(os.path.join(out, "expected.json"), encoding="utf-8") as f:
                expected = json.load(f)
            for name in sorted(expected):
                exp = expected[name]
                path = os.path.join(out, name if "." in name else name + ".eml")
                prefix = "%s %s" % (gen[:-3], name)
                r = k.run(["analyze", path, "--format", "json"], timeout=60)
                if r.timed_out or r.rc not in (0, 1):
                    rep.fail(prefix, r.describe())
                    continue
                if path.endswith(".mbox"):
                    reports, why = k.parse_json_lines(r.out)
                else:
                    report, why = k.parse_report(r.out)
                    reports = [report] if report else None
                if reports is None:
                    rep.fail(prefix, why)
                    continue
                # an mbox case is judged on all its messages together
                merged = {"findings": [f for rp in reports for f in k.all_findings(rp)]}
                k.check_rules(rep, prefix, merged, exp.get("must", []), exp.get("must_not", []))
                if exp.get("bec_type") is not None:
                    got = reports[-1].get("assessment", {}).get("bec_type")
                    rep.check("%s bec_type %s" % (prefix, exp["bec_type"]),
                              got == exp["bec_type"], "bec_type is %s" % got)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
