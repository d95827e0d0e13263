#!/usr/bin/env python3
"""End-to-end: the HTML scanner (analyzers/payloads/html_scan.c) on real phishing.

../shared/corpora/phishing_pot holds one HTML attachment (sample-1261: an
"Excel SpreadSheet Reader" login page posting to 000webhostapp.com with the
victim's address prefilled) and a few HTML bodies that load remote script
(cloned sites: 5798 builds a Matomo loader at run time, 5813 and 5826 use
<script src>).  Those must be found; every message must still analyse, every
html.* finding must sit at a valid location, and the samples/ and ja_charsets
mails, which carry no script or form, must raise none of the script rules.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_html_corpus.py
Prints "ok NAME" or "FAIL NAME: WHY" per check and "N passed, M failed"."""

import collections
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import kensa_e2e as k  # noqa: E402

POT = os.path.join(k.CORPORA, "phishing_pot", "email")
SCRIPT_RULES = ("html.remote_script", "html.credential_form", "html.obfuscated_script")


def analyze(path):
    r = k.run(["analyze", path, "--format", "json"])
    if r.rc != 0:
        return None, r.describe()
    return k.parse_report(r.out)


def findings(report, rule):
    return [f for f in k.all_findings(report) if f.get("id") == rule]


def attachment_meta(report):
    """Every attachment node's metadata, depth first."""
    out = []

    def visit(node):
        out.append(node.get("metadata") or {})
        for c in node.get("children") or []:
            visit(c)
    for a in report.get("attachments") or []:
        visit(a)
    return out


def iocs(report):
    return {(i.get("kind"), i.get("value")) for i in report.get("iocs") or []}


def check_login_attachment(rep):
    name = "sample-1261 html attachment"
    report, why = analyze(os.path.join(POT, "sample-1261.eml"))
    if not rep.check("%s analyses" % name, report is not None, why):
        return
    cf = findings(report, "html.credential_form")
    rep.check("%s credential_form" % name,
              cf and cf[0]["location"].startswith("part:") and cf[0]["severity"] == "high"
              and "000webhostapp.com" in cf[0]["evidence"],
              "got %s" % k.show(cf, 300))
    metas = [m for m in attachment_meta(report) if "html_title" in m]
    meta = metas[0] if metas else {}
    rep.check("%s title" % name, meta.get("html_title") == "Excel SpreadSheet Reader",
              "metadata %s" % k.show(meta, 300))
    rep.check("%s password field" % name, meta.get("html_password_fields") == "1",
              "metadata %s" % k.show(meta, 300))
    rep.check("%s recipient embedded" % name,
              "(plain)" in (meta.get("html_recipient_embedded") or ""),
              "metadata %s" % k.show(meta, 300))
    rep.check("%s action is an ioc" % name,
              ("url", "https://glottogonic-depende.000webhostapp.com/Excel.php") in iocs(report)
              and ("domain", "glottogonic-depende.000webhostapp.com") in iocs(report),
              "iocs %s" % k.show(sorted(iocs(report)), 300))
    rep.check("%s no remote script" % name, not findings(report, "html.remote_script"),
              "the page loads no script")


def check_remote_script_bodies(rep):
    cases = {
        "sample-5798.eml": "webanalytics-matomo.ccomptes.fr",
        "sample-5813.eml": "static.addtoany.com",
        "sample-5826.eml": "assets.adobedtm.com",
    }
    for sample, host in cases.items():
        report, why = analyze(os.path.join(POT, sample))
        if not rep.check("%s analyses" % sample, report is not None, why):
            continue
        rs = findings(report, "html.remote_script")
        rep.check("%s remote_script from %s" % (sample, host),
                  rs and rs[0]["location"] == "body" and host in rs[0]["evidence"],
                  "got %s" % k.show(rs, 300))
        rep.check("%s script host is an ioc" % sample, ("domain", host) in iocs(report),
                  "iocs %s" % k.show(sorted(iocs(report)), 300))


def check_whole_pot(rep):
    counts = collections.Counter()
    bad = []
    files = sorted(f for f in os.listdir(POT) if f.endswith(".eml"))
    for path, report, why in k.analyze_many(os.path.join(POT, f) for f in files):
        f = os.path.basename(path)
        if report is None:
            bad.append("%s: %s" % (f, why))
            continue
        for x in k.all_findings(report):
            if x.get("id", "").startswith("html."):
                counts[x["id"]] += 1
                if not k.LOCATION_RE.match(x.get("location", "")):
                    bad.append("%s: %s at %s" % (f, x["id"], x.get("location")))
    rep.check("phishing_pot all %d analyse with valid html locations" % len(files), not bad,
              "; ".join(bad[:5]))
    rep.note("phishing_pot html findings: %s" %
             ", ".join("%s %d" % kv for kv in sorted(counts.items())))


def check_quiet_mail(rep):
    paths = [os.path.join(k.REPO, "samples", f) for f in sorted(os.listdir(
        os.path.join(k.REPO, "samples"))) if f.endswith(".eml") and f != "phishing_html_login.eml"]
    ja = os.path.join(k.CORPORA, "ja_charsets")
    if os.path.isdir(ja):
        paths += [os.path.join(ja, c, "message.eml") for c in sorted(os.listdir(ja))
                  if os.path.isfile(os.path.join(ja, c, "message.eml"))]
    noisy = []
    for p, report, why in k.analyze_many(paths):
        if report is None:
            noisy.append("%s: %s" % (os.path.basename(p), why))
            continue
        for rule in SCRIPT_RULES:
            if findings(report, rule):
                noisy.append("%s: %s" % (os.path.relpath(p, k.REPO), rule))
    rep.check("no script rules on %d script-free mails" % len(paths), not noisy,
              "; ".join(noisy[:5]))


def main():
    rep = k.Reporter()
    if not os.path.isdir(POT):
        rep.fail("phishing_pot", "%s not found (the corpora sit beside the repository)" % POT)
        return rep.finish()
    if not k.binary_usable(rep):
        return rep.finish()
    for step in (check_login_attachment, check_remote_script_bodies, check_whole_pot,
                 check_quiet_mail):
        try:
            step(rep)
        except Exception as e:  # a surprise in the output is a failure, not a crash
            rep.fail(step.__name__, "%s: %s" % (type(e).__name__, e))
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
