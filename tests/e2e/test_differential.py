#!/usr/bin/env python3
"""Differential test: kensa's MIME reading against Python's `email` package.

For every message in ../shared/corpora/phishing_pot and the MIME edge-case
corpora, the decoded Subject and the named attachments (count, file names,
sha256 of the decoded bytes) must agree with email.message_from_bytes(...,
policy=policy.default).  Where the two legitimately differ, the difference is
listed in JUSTIFIED below with its reason; anything else is a failure.

Scope of "attachment" here: every non-multipart leaf that has a file name,
not descending into message/rfc822 or message/global (kensa nests those as
children; their re-serialised bytes differ by design).  Parts without a name are the body
or inline fragments, where kensa's choice of body is its own.

Prints "ok <file>" / "FAIL <file>: why" and "N passed, M failed".
"""
import email
import email.policy
import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(REPO, "..", "shared", "corpora")
KENSA = os.environ.get("KENSA", os.path.join(REPO, "kensa"))

FOLDERS = [
    "phishing_pot/email",
    "cpython_test_email",
    "flanker/messages",
    "spamscope_mailparser/mails",
    "mime4j_testmsgs/testmsgs",
    "mime4j_testmsgs/mimetools-testmsgs",
]

# Differences that are right on kensa's side, per file (relative to corpora/),
# each with the reason.  Keys are checked: a listed file that now agrees is
# reported, so the list cannot rot silently.
JUSTIFIED = {}

# Forwarded messages: named, but their bytes are not compared (see above).
FORWARDED = ("message/rfc822", "message/global")


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", str(s))
    # kensa unfolds and makes controls visible; Python keeps them
    out = []
    for ch in s:
        o = ord(ch)
        if ch in "\r\n\t":
            out.append(" ")
        elif o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F:
            out.append("?")
        elif o in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                   0x200E, 0x200F, 0x061C, 0x200B, 0x2060, 0xFEFF):
            out.append("?")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def norm_kensa(s):
    """Undo kensa's visible escapes so both sides compare as text."""
    if s is None:
        return ""
    import re
    s = re.sub(r"\\x[0-9A-F]{2}|\\u00[89][0-9A-F]|<U\+[0-9A-F]{4,5}>", "?", s)
    return norm(s)


def python_view(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    try:
        subject = msg["subject"]
        subject = str(subject) if subject is not None else None
    except Exception as e:  # a defect Python cannot even decode
        subject = "<python error: %s>" % type(e).__name__
    atts = []

    def walk(part, depth=0):
        if depth > 60:
            return
        # message/rfc822 first: with policy.default its is_multipart() is True
        # (the payload is a list holding the inner message), so testing
        # is_multipart() first walked into forwarded messages, which kensa
        # nests as children (flanker enclosed*.eml, torture.eml).
        # message/global (RFC 6532, the UTF-8 form) is a forwarded message too
        # (flanker enclosed-global.eml); both sides treat it as message/rfc822.
        ctype = part.get_content_type()
        if ctype in FORWARDED and depth > 0:
            name = part.get_filename()
            if name:
                atts.append((norm(name), None))
            return
        if part.is_multipart():
            for p in part.iter_parts():
                walk(p, depth + 1)
            return
        if depth == 0 and not part.get_filename():
            return
        try:
            name = part.get_filename()
        except Exception:
            name = None
        if not name:
            return
        payload = part.get_payload(decode=True)
        if isinstance(payload, list) or payload is None:
            digest = None
        else:
            digest = hashlib.sha256(payload).hexdigest()
        atts.append((norm(name), digest))

    walk(msg)
    return norm(subject) if subject is not None else None, sorted(atts, key=lambda a: (a[0], a[1] or ""))


def kensa_view(path):
    p = subprocess.run([KENSA, "analyze", path, "--format", "json"], capture_output=True, timeout=60)
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace").strip()[:200])
    line = p.stdout.decode("utf-8").splitlines()[0]
    r = json.loads(line)
    subject = r["message"]["subject"]
    atts = []
    for a in r["attachments"]:
        if a.get("filename"):
            digest = None if a["declared_type"] in FORWARDED else a["sha256"]
            atts.append((norm_kensa(a["filename"]), digest))
    return (norm_kensa(subject) if subject is not None else None,
            sorted(atts, key=lambda a: (a[0], a[1] or ""))), None


def check(rel):
    path = os.path.join(CORPORA, rel)
    with open(path, "rb") as f:
        data = f.read()
    # an mbox's first message is what both sides read
    if data.startswith(b"From "):
        nl = data.find(b"\n")
        data = data[nl + 1:]
    try:
        py = python_view(data)
    except Exception as e:
        return rel, None, "python email failed: %r" % e
    ks, err = kensa_view(path)
    if err:
        return rel, None, err
    problems = []
    if py[0] != ks[0]:
        problems.append("subject: python %r, kensa %r" % (py[0], ks[0]))
    if py[1] != ks[1]:
        problems.append("attachments: python %r, kensa %r" % (py[1], ks[1]))
    return rel, problems, None


def main():
    if not os.access(KENSA, os.X_OK):
        print("FAIL differential: no kensa binary at %s" % KENSA)
        print("0 passed, 1 failed")
        return 1
    files = []
    for folder in FOLDERS:
        d = os.path.join(CORPORA, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            full = os.path.join(d, name)
            if not os.path.isfile(full):
                continue
            if name.endswith((".xml", ".out", ".json", ".md")) or name.startswith("LICENSE") or "_decoded_" in name:
                continue
            files.append(os.path.relpath(full, CORPORA))
    passed = failed = 0
    with ThreadPoolExecutor(max_workers=2) as ex:
        for rel, problems, err in ex.map(check, files):
            reason = JUSTIFIED.get(rel)
            if err:
                print("FAIL %s: %s" % (rel, err))
                failed += 1
            elif problems and reason:
                print("ok %s (differs, justified: %s)" % (rel, reason))
                passed += 1
            elif problems:
                print("FAIL %s: %s" % (rel, "; ".join(problems)[:600]))
                failed += 1
            elif reason:
                print("FAIL %s: listed as justified (%s) but now agrees: remove it" % (rel, reason))
                failed += 1
            else:
                print("ok %s" % rel)
                passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
