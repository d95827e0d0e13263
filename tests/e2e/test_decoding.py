"""Decoding that guesses right, end to end: raw 8-bit headers and charset-less
bodies in Latin-1, windows-1252, ISO-8859-2 (declared elsewhere in the
message), CP932, EUC-JP and UTF-8 each read right and never into the Private
Use Area; UTF-16 and UTF-32 encoded-words decoded whole; NUL and control
characters in file names shown escaped, reported, and the real extension
judged.  The messages are written here, in this file's own wording."""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import Reporter, binary_usable, kensa  # noqa: E402

TMP = tempfile.mkdtemp(prefix="kensa-decoding-")
HEAD = b"From: sender@shop.example\nTo: buyer@home.example\nDate: Fri, 13 Dec 2024 10:00:00 +0100\n"


def analyze(name, data):
    path = os.path.join(TMP, name + ".eml")
    with open(path, "wb") as f:
        f.write(data)
    p = subprocess.run([kensa(), "analyze", path, "--format", "json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace"))
    return json.loads(p.stdout), None


def private_use(text):
    return [c for c in text if 0xE000 <= ord(c) <= 0xF8FF]


# (name, Subject bytes, extra headers, body bytes, the Subject and body text wanted)
RAW = [
    ("latin1", "Angebot für Gärtnerei Müller: Größe".encode("latin-1"), b"",
     "Schöne Grüße aus Köln\n".encode("latin-1"),
     "Angebot für Gärtnerei Müller: Größe", "Schöne Grüße aus Köln"),
    ("latin1-portuguese", "Confirmação da inscrição".encode("latin-1"), b"",
     "Obrigado pela atenção\n".encode("latin-1"), "Confirmação da inscrição",
     "Obrigado pela atenção"),
    ("windows-1252", "\u201cFactura\u201d pendiente \u2013 120 \u20ac".encode("cp1252"), b"",
     "Le reçu de l\u2019hôtel\n".encode("cp1252"), "\u201cFactura\u201d pendiente \u2013 120 \u20ac",
     "Le reçu de l\u2019hôtel"),
    ("iso-8859-2-declared", "Račun za uslugu, Domažlice".encode("iso-8859-2"),
     b"MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-2\n",
     "Pozdrav iz Zagreba, Đurđa\n".encode("iso-8859-2"), "Račun za uslugu, Domažlice",
     "Pozdrav iz Zagreba, Đurđa"),
    ("cp932", "【至急】お振込先変更のお知らせ".encode("cp932"), b"",
     "経理部 御中\n新しい口座をご確認ください。\n".encode("cp932"),
     "【至急】お振込先変更のお知らせ", "新しい口座をご確認ください。"),
    ("euc-jp", "請求書送付のご案内".encode("euc_jp"), b"",
     "いつもお世話になっております。\n".encode("euc_jp"), "請求書送付のご案内",
     "いつもお世話になっております。"),
    ("utf-8", "Überweisung – 請求書 – café".encode("utf-8"), b"",
     "Grüße, 田中\n".encode("utf-8"), "Überweisung – 請求書 – café", "Grüße, 田中"),
]

WIDE = [
    ("utf-16", "utf-16"), ("UTF-16LE", "utf-16-le"), ("UTF-16BE", "utf-16-be"),
    ("UTF-16", "utf-16-le"),  # no byte order mark, little-endian as Windows writes it
    ("UTF-32", "utf-32"), ("UTF-32LE", "utf-32-le"),
]


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()

    for name, subject, extra, body, want_subject, want_body in RAW:
        r, why = analyze(name, HEAD + b"Subject: " + subject + b"\n" + extra + b"\n" + body)
        if not rep.check("%s: analysed" % name, r is not None, why):
            continue
        got = r["message"]["subject"]
        rep.check("%s: subject read right" % name, got == want_subject,
                  "%r, wanted %r" % (got, want_subject))
        rep.check("%s: body read right" % name, want_body in r["body"]["text"],
                  "%r" % r["body"]["text"][:200])
        texts = [got, r["body"]["text"]] + [h["value"] for h in r["headers"]]
        rep.check("%s: nothing in the Private Use Area" % name,
                  not any(private_use(t) for t in texts), [private_use(t) for t in texts])

    text = "Design and manufacturing of 請求書"
    for label, codec in WIDE:
        word = "=?%s?B?%s?=" % (label, base64.b64encode(text.encode(codec)).decode())
        r, why = analyze("wide-" + codec, HEAD + b"Subject: " + word.encode() + b"\n\nb\n")
        got = r["message"]["subject"] if r else why
        rep.check("%s (%s) encoded-word decodes whole" % (label, codec), got == text,
                  "%r" % got)

    mime = (HEAD + b"Subject: files\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/mixed; boundary=sep\n\n--sep\n"
            b"Content-Type: text/plain; charset=us-ascii\n\nSee attached.\n--sep\n"
            b"Content-Type: application/octet-stream\n"
            b"Content-Disposition: attachment; filename*=UTF-8''../../report%00x%0A.exe\n"
            b"Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=\n"
            b"--sep--\n")
    r, why = analyze("nul-name", mime)
    if rep.check("NUL name: analysed", r is not None, why):
        names = [a["filename"] for a in r["attachments"]]
        rep.check("NUL name: shown escaped, whole", names == ["../../report\\0x\\n.exe"], names)
        found = {f["id"]: f["evidence"] for f in r["findings"]}
        rep.check("NUL name: input.malformed says what was in it",
                  "(NUL, LF)" in found.get("input.malformed", ""), found)
        rep.check("NUL name: the .exe after the NUL is judged",
                  "(.exe)" in found.get("attachment.dangerous_type", ""), found)
        iocs = [i["value"] for i in r["iocs"] if i["kind"] == "filename"]
        rep.check("NUL name: the file-name IOC is the whole base name", "report\\0x\\n.exe" in iocs,
                  iocs)
    shutil.rmtree(TMP, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
