#!/usr/bin/env python3
"""Wraps the corpus files of one attachment type into mail for the payload bench.

    python3 tests/bench/gen_payloads.py --corpora ../shared/corpora --out tests/bench/out/payloads

For each type (pdf, lnk, iso) it writes, under OUT:

  TYPE.list      the corpus files, one absolute path a line, sorted
  TYPE.mbox      one multipart message per file, the file as a base64 attachment
  TYPE/NNNN.eml  the same messages, one file each (for one `kensa analyze` per file)

Deterministic: the same corpus gives byte-identical output (fixed dates, ids and
boundaries derived from the file's index and name).  Files are read-only inputs;
nothing under the corpora is written.
"""
import argparse
import base64
import email.utils
import hashlib
import os
import shutil
import sys
import time

TYPES = {
    # type: (content type, how to find the files under the corpora root)
    "pdf": ("application/pdf", lambda rel, name: name.lower().endswith(".pdf")),
    "lnk": ("application/x-ms-shortcut",
            lambda rel, name: name.lower().endswith(".lnk")
            and (rel.startswith("lnkparse3" + os.sep) or rel.startswith("misc_lnk" + os.sep))),
    "iso": ("application/x-iso9660-image",
            lambda rel, name: name.lower().endswith(".iso")
            and rel.startswith("libarchive_iso_zip" + os.sep)),
}

BASE_TS = 1704326400  # 2024-01-04 00:00:00 UTC


def find(root, keep):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for n in sorted(files):
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            if keep(rel, n) and os.path.isfile(p):
                out.append(os.path.abspath(p))
    return sorted(out)


def b64_lines(data):
    s = base64.b64encode(data)
    return b"\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + b"\n"


def message(kind, ctype, i, path):
    with open(path, "rb") as f:
        data = f.read()
    name = os.path.basename(path)
    # an ASCII filename so the header stays simple; the original in a comment line
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name) or "file." + kind
    tag = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    b = "=_bench_%s_%04d_%s" % (kind, i, tag)
    date = email.utils.formatdate(BASE_TS + 60 * i, usegmt=True)
    head = "\n".join([
        "From: Bench Sender <sender%d@bench.example>" % i,
        "To: Analyst <analyst@example.co.jp>",
        "Subject: payload bench %s %04d: %s" % (kind, i, safe),
        "Date: " + date,
        "Message-ID: <bench-%s-%04d-%s@bench.example>" % (kind, i, tag),
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="%s"' % b,
    ]) + "\n\n"
    body = ("--%s\nContent-Type: text/plain; charset=us-ascii\n\n"
            "Please see the attached file.\n\n"
            "--%s\nContent-Type: %s; name=\"%s\"\nContent-Transfer-Encoding: base64\n"
            "Content-Disposition: attachment; filename=\"%s\"\n\n" % (b, b, ctype, safe, safe))
    msg = head.encode("ascii") + body.encode("ascii") + b64_lines(data) + \
        ("\n--%s--\n" % b).encode("ascii")
    env = "From sender%d@bench.example %s\n" % (i, time.asctime(time.gmtime(BASE_TS + 60 * i)))
    return msg, env, len(data)


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not os.path.isdir(a.corpora):
        print("gen_payloads: %s: no such directory" % a.corpora, file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    for kind, (ctype, keep) in TYPES.items():
        files = find(a.corpora, keep)
        d = os.path.join(a.out, kind)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        mbox = []
        total = 0
        for i, p in enumerate(files, 1):
            msg, env, n = message(kind, ctype, i, p)
            total += n
            with open(os.path.join(d, "%04d.eml" % i), "wb") as f:
                f.write(msg)
            # mboxrd: no line of a base64 or our ASCII text starts with "From "
            mbox.append(env.encode("ascii") + msg + b"\n")
        write_if_changed(os.path.join(a.out, kind + ".mbox"), b"".join(mbox))
        write_if_changed(os.path.join(a.out, kind + ".list"),
                         "".join(p + "\n" for p in files).encode("utf-8", "surrogateescape"))
        print("gen_payloads: %s: %d files, %.1f MB" % (kind, len(files), total / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
