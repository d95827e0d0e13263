#!/usr/bin/env python3
"""End-to-end: disk images and archives in mail (analyzers/payloads/archives.c).

An ISO made here with genisoimage (Joliet + Rock Ridge) holding a shortcut, a
program, a padded name and a document is mailed as a base64 attachment;
`kensa analyze --format json` must list its entries as children (the same
names `isoinfo -J -f` lists), fire iso.contains_shortcut and
iso.contains_executable naming the entries, and mark the padded name
deceptive.  Then every file of libarchive's test images
(../shared/corpora/libarchive_iso_zip/bin) goes through as an attachment
without a crash or a hang.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_archives.py
Prints "ok NAME" or "FAIL NAME: WHY" per check and "N passed, M failed"."""

import base64
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import kensa_e2e as k  # noqa: E402

# MS-SHLLINK 2.1: HeaderSize 0x4C and LinkCLSID 00021401-0000-0000-C000-000000000046
LNK = b"\x4c\0\0\0" + bytes.fromhex("0114020000000000C000000000000046") + b"\0" * 56
# an MZ header whose e_lfanew points at "PE\0\0", machine i386 (PE/COFF 3.2, 3.3)
PE = bytearray(512)
PE[0:2] = b"MZ"
PE[0x3C:0x40] = struct.pack("<I", 0x80)
PE[0x80:0x86] = b"PE\0\0\x4c\x01"
PE = bytes(PE)
PADDED = "invoice.pdf" + " " * 20 + ".exe"

FILES = [
    ("Invoice_2024-12.pdf.lnk", LNK),
    ("tools/setup.exe", PE),
    (PADDED, PE),
    ("readme.txt", b"Please read.\n"),
]


def mail_with(name, data):
    """An RFC 5322 message carrying data as a base64 attachment called name."""
    b64 = base64.encodebytes(data).decode("ascii")
    return ("From: Billing <billing@invoice-center.example>\r\n"
            "To: sato@example.co.jp\r\n"
            "Subject: invoice\r\n"
            "Date: Thu, 12 Dec 2024 06:21:30 +0000\r\n"
            "Message-ID: <archives-e2e@invoice-center.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
            "--b1\r\nContent-Type: application/octet-stream; name=\"%s\"\r\n"
            "Content-Disposition: attachment; filename=\"%s\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n%s"
            "--b1--\r\n" % (name, name, b64.replace("\n", "\r\n"))).encode("ascii")


def analyze(rep, name, path):
    r = k.run(["analyze", path, "--format", "json"], timeout=60)
    report, why = (None, r.describe()) if r.rc not in (0, 1) else k.parse_report(r.out)
    rep.check("%s analysed" % name, report is not None, why)
    return report


def check_iso(rep, tmp):
    if not shutil.which("genisoimage") or not shutil.which("isoinfo"):
        rep.note("genisoimage/isoinfo not installed; ISO round trip skipped")
        return
    root = os.path.join(tmp, "iso")
    for rel, data in FILES:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    iso = os.path.join(tmp, "x.iso")
    subprocess.run(["genisoimage", "-quiet", "-J", "-R", "-V", "KENSA_E2E", "-o", iso, root],
                   check=True)
    listed = subprocess.run(["isoinfo", "-J", "-f", "-i", iso], check=True,
                            stdout=subprocess.PIPE).stdout.decode("utf-8").split("\n")
    isoinfo_files = sorted(p.lstrip("/") for p in listed
                           if p and not os.path.isdir(os.path.join(root, p.lstrip("/"))))
    eml = os.path.join(tmp, "iso.eml")
    with open(eml, "wb") as f:
        with open(iso, "rb") as g:
            f.write(mail_with("invoice.iso", g.read()))
    report = analyze(rep, "iso mail", eml)
    if report is None:
        return
    atts = [a for a in report.get("attachments", []) if a.get("filename") == "invoice.iso"]
    if not rep.check("iso attachment present", len(atts) == 1, "attachments: %s" %
                     [a.get("filename") for a in report.get("attachments", [])]):
        return
    iso_att = atts[0]
    children = sorted(c.get("filename") or "" for c in iso_att.get("children", []))
    rep.check("iso children are isoinfo's list", children == isoinfo_files,
              "kensa %s, isoinfo %s" % (children, isoinfo_files))
    rep.check("iso volume label", iso_att.get("metadata", {}).get("volume_label") == "KENSA_E2E",
              "metadata %s" % iso_att.get("metadata"))
    rep.check("iso children hashed",
              all(len(c.get("sha256") or "") == 64 for c in iso_att.get("children", [])),
              "a child has no sha256")
    findings = report.get("findings", [])

    def evidence(rule):
        return " | ".join(f.get("evidence", "") for f in findings if f.get("id") == rule)

    ev = evidence("iso.contains_shortcut")
    rep.check("iso.contains_shortcut names the shortcut", "Invoice_2024-12.pdf.lnk" in ev,
              "evidence %r" % ev)
    ev = evidence("iso.contains_executable")
    rep.check("iso.contains_executable names the programs",
              "setup.exe" in ev and "invoice.pdf" in ev, "evidence %r" % ev)
    ev = evidence("attachment.deceptive_name")
    rep.check("padded entry name is deceptive", "padding" in ev, "evidence %r" % ev)
    rep.check("iso padded_names counted",
              iso_att.get("metadata", {}).get("padded_names") == "1",
              "metadata %s" % iso_att.get("metadata"))


def check_corpus(rep, tmp):
    src = os.path.join(k.CORPORA, "libarchive_iso_zip", "bin")
    if not os.path.isdir(src):
        rep.note("%s missing; corpus pass skipped" % src)
        return
    bad = []
    names = sorted(os.listdir(src))
    for n, name in enumerate(names):
        with open(os.path.join(src, name), "rb") as f:
            data = f.read()
        eml = os.path.join(tmp, "c%03d.eml" % n)
        with open(eml, "wb") as f:
            f.write(mail_with(name, data))
        r = k.run(["analyze", eml, "--format", "json"], timeout=60)
        report, why = (None, r.describe()) if r.rc not in (0, 1) else k.parse_report(r.out)
        if report is None:
            bad.append("%s: %s" % (name, why))
    rep.check("libarchive images as attachments (%d files)" % len(names), not bad,
              "; ".join(bad[:6]))


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    with tempfile.TemporaryDirectory(prefix="kensa-archives-") as tmp:
        check_iso(rep, tmp)
        check_corpus(rep, tmp)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
