#!/usr/bin/env python3
"""`kensa case export` of a case an attacker shaped, in all five formats and at
both redaction levels.

The fixture (written here, at test time) is a BEC mail whose display names
are chosen to break a redactor that edits finished text ("meta", "h3>", a name
ending in a backslash, JSON punctuation, HTML tags and JSON keys), whose
Subject and body carry markup, and whose victims appear in every spelling the
old redactor missed: local parts with "_", "'" and non-ASCII letters,
upper-case domains, %40 inside a URL, a forwarded inner message's
recipients, a greeting, attachment names and PDF Author/Title, internal host
names and private IPs in the route, and the analyst's file path.

Checks:
  - HTML parsed with a real HTML parser (html.parser): only the elements the
    writer emits, no script/img/iframe/link, no on* attribute, no src/href,
    the CSP meta present, lang set;
  - Markdown: no raw "<" but the writer's <br>, no live URL or address;
  - JSON, STIX and MISP parse, and their keys are the writer's, not names;
  - no victim token in any format, in any spelling; at the partner level the
    attacker's lookalike, address and URL are whole (defanged in documents),
    at the public level the lookalike is masked.
Usage: KENSA=path/to/kensa python3 tests/e2e/test_export_hostile.py"""

import base64
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import Reporter, binary_usable, kensa  # noqa: E402

TMP = tempfile.mkdtemp(prefix="kensa-hostile-")
CASEDIR = os.path.join(TMP, "cases", "for_hanako_sato")
ENV = dict(os.environ, KENSA_DB=os.path.join(TMP, "kensa.db"),
           XDG_CONFIG_HOME=os.path.join(TMP, "config"), USER="analyst")

HOSTILE_NAMES = ["meta", "h3>", "evil\\", '" : "', "type", "id", "html", "script", "img",
                 "value", "<!--", "Person-1"]
SUBJECT = ("Invoice <img src=https://evil-host.com/x.png onerror=alert(1)> onfocus=alert(2) "
           "autofocus ' \" <script>alert(3)</script> [x](javascript:alert(4)) for Seán")
VICTIM_TOKENS = ["hanako_sato", "HANAKO_SATO", "sean.o'brien", "SEAN.O'BRIEN", "jürgen.müller",
                 "victim-corp.co.jp", "VICTIM-CORP", "victim-corp[.]co[.]jp",
                 "hanako_sato%40", "Seán", "O'Brien", "Müller", "Kazuko", "kazuko.inner",
                 "mailgw01", "corp.local", "exch01", "10.20.30.40", "192.168.1.5",
                 "Victim Corp", "佐藤", "花子", TMP, "for_hanako_sato"]
ATTACKER = ["victim-c0rp.co.jp", "ceo@victim-c0rp.co.jp", "evil-host.com/pay"]


def pdf(author, title):
    """A one-page PDF whose Info dictionary has author and title."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            ("<< /Author (%s) /Title (%s) /CreationDate (D:20241210162012+09'00') >>"
             % (author, title)).encode("latin-1")]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def fixture():
    cc = ", ".join('"%s" <cc%d@victim-corp.co.jp>' % (n.replace("\\", "\\\\").replace('"', '\\"'), i)
                   for i, n in enumerate(HOSTILE_NAMES))
    inner = ("From: Partner <billing@partner-firm.com>\n"
             "To: Kazuko Inner <kazuko.inner@victim-corp.co.jp>\n"
             "Subject: original invoice\nDate: Mon, 09 Dec 2024 10:00:00 +0900\n"
             "Message-ID: <inner-1@partner-firm.com>\n\nDear Kazuko,\nthe invoice.\n")
    body = ("Dear Seán,\n\n佐藤様\n\nPlease pay today: https://evil-host.com/pay?u=hanako_sato%40"
            "victim-corp.co.jp&r=1\nAsk HANAKO_SATO@VICTIM-CORP.CO.JP or sean.o'brien@victim-corp."
            "co.jp. <b onmouseover=alert(5)>bold</b> ![x](https://evil-host.com/t.png)\n")
    mail = (
        "Return-Path: <ceo@victim-c0rp.co.jp>\n"
        "Received: from mailgw01.corp.local (mailgw01.corp.local [10.20.30.40])\n"
        "\tby exch01 ([192.168.1.5]) with ESMTP id 1 for <hanako_sato@victim-corp.co.jp>;\n"
        "\tWed, 11 Dec 2024 09:12:50 +0900\n"
        "Received: from victim-c0rp.co.jp (vps.evil-host.com [198.51.100.77])\n"
        "\tby mailgw01.corp.local with ESMTP id 2; Wed, 11 Dec 2024 09:12:48 +0900\n"
        "Delivered-To: hanako_sato@victim-corp.co.jp\n"
        "From: \"Taro Yamada (CEO)\" <ceo@victim-c0rp.co.jp>\n"
        "Reply-To: <pay-desk@evil-host.com>\n"
        "To: \"佐藤 花子\" <hanako_sato@victim-corp.co.jp>, \"O'Brien, Seán\" "
        "<sean.o'brien@VICTIM-CORP.CO.JP>, \"Jürgen Müller\" <jürgen.müller@victim-corp.co.jp>\n"
        "Cc: " + cc + "\n"
        "Subject: " + SUBJECT + "\n"
        "Date: Wed, 11 Dec 2024 09:12:40 +0900\n"
        "Message-ID: <hostile-1@victim-c0rp.co.jp>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + body +
        "--B\nContent-Type: application/pdf; name=\"Payslip_for_Hanako_Sato.pdf\"\n"
        "Content-Disposition: attachment; filename=\"Payslip_for_Hanako_Sato.pdf\"\n"
        "Content-Transfer-Encoding: base64\n\n"
        + b64(pdf("Sean O'Brien", "Payslip for hanako_sato@victim-corp.co.jp")) + "\n"
        "--B\nContent-Type: message/rfc822\n\n" + inner + "\n--B--\n")
    os.makedirs(CASEDIR)
    path = os.path.join(CASEDIR, "hostile.eml")
    with open(path, "wb") as f:
        f.write(mail.encode("utf-8"))
    return path


def k(*args):
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=ENV, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.problems = []
        self.csp = False
        self.lang = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "href", "srcset", "action", "formaction",
                                                  "style", "background", "xlink:href"):
                self.problems.append("%s %s=%r" % (tag, name, value))
        if tag == "meta":
            d = dict(attrs)
            if d.get("http-equiv", "").lower() == "content-security-policy":
                self.csp = "default-src 'none'" in d.get("content", "")
            elif set(d) != {"charset"}:
                self.problems.append("meta %r" % attrs)
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    handle_startendtag = handle_starttag


ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "h5", "h6",
           "p", "ul",
           "li", "b", "i", "code", "svg", "g", "line", "circle", "rect", "text", "title", "path",
           "table", "thead", "tbody", "tr", "th", "td"}
REPORT_KEYS = {"schema", "source", "message", "headers", "auth", "hops", "routing", "body",
               "attachments", "findings", "iocs", "timeline", "assessment"}


def check_html(rep, label, text):
    t = Tags()
    t.feed(text)
    odd = sorted(set(t.tags) - ALLOWED)
    rep.check("%s: only the writer's elements" % label, not odd, odd)
    rep.check("%s: no active attribute" % label, not t.problems, t.problems[:5])
    rep.check("%s: CSP and lang" % label, t.csp and t.lang, (t.csp, t.lang))


def check_markdown(rep, label, text):
    raw_lt = [m.start() for m in re.finditer(r"(?<!\\)<", text) if not text.startswith("<br>", m.start())]
    rep.check("%s: no raw markup" % label, not raw_lt,
              [text[max(0, i - 30):i + 30] for i in raw_lt[:3]])
    live = re.findall(r"https?://\S+|www\.\S+|[\w.'+-]+@[\w-]+\.[\w.-]+", text)
    rep.check("%s: no live URL or address" % label, not live, live[:5])
    links = re.findall(r"(?<!\\)\]\(", text)
    rep.check("%s: no link or image syntax" % label, not links, links[:3])


def check_json(rep, label, fmt, text):
    try:
        j = json.loads(text)
    except ValueError as e:
        rep.fail("%s: valid JSON" % label, e)
        return
    rep.ok("%s: valid JSON" % label)
    if fmt == "json":
        keys = set(j) == {"schema", "case", "messages", "notes", "iocs", "timeline", "threads"} and all(
            set(m["report"]) <= REPORT_KEYS for m in j["messages"])
        rep.check("%s: keys are the writer's" % label, keys, list(j))
    elif fmt == "stix":
        rep.check("%s: a bundle" % label, j.get("type") == "bundle" and set(j) == {"type", "id", "objects"},
                  list(j))
    else:
        rep.check("%s: an event" % label, list(j) == ["Event"], list(j))


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    path = fixture()
    rc, out, err = k("case", "new", "Hostile BEC for hanako_sato@victim-corp.co.jp")
    cid = out.split()[0] if rc == 0 and out else "1"
    k("protect", "add", "victim-corp.co.jp", "--label", "Victim Corp")
    rc, out, err = k("case", "add", cid, path)
    rep.check("the hostile mail is stored", rc == 0, err)
    k("case", "note", cid, "Seán O'Brien (sean.o'brien@victim-corp.co.jp) says " + SUBJECT)
    for level in ([], ["public"]):
        name = " ".join(["--redact"] + level)
        for fmt in ("markdown", "html", "json", "stix", "misp"):
            label = "%s %s" % (fmt, name)
            rc, out, err = k("case", "export", cid, "--format", fmt, "--redact", *level)
            if not rep.check("%s exits 0" % label, rc == 0 and out, err):
                continue
            low = out.lower()
            left = [s for s in VICTIM_TOKENS if s.lower() in low]
            rep.check("%s: no victim token" % label, not left, left)
            if fmt == "html":
                check_html(rep, label, out)
            elif fmt == "markdown":
                check_markdown(rep, label, out)
            else:
                check_json(rep, label, fmt, out)
            seen = out if fmt in ("json", "stix", "misp") else \
                out.replace("[.]", ".").replace("[@]", "@").replace("hxxp", "http")
            if level:
                rep.check("%s: the lookalike is masked" % label, "victim-c0rp" not in seen,
                          "victim-c0rp still there")
            else:
                whole = [a for a in ATTACKER if a not in seen]
                rep.check("%s: the attacker is whole" % label, not whole, whole)
    # without --redact the same hostile case still gives inert documents
    for fmt in ("markdown", "html"):
        rc, out, err = k("case", "export", cid, "--format", fmt)
        if fmt == "html":
            check_html(rep, "html", out)
        else:
            check_markdown(rep, "markdown", out)
    return rep.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP]) if not os.environ.get("KEEP") else None
