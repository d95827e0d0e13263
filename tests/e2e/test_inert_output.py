#!/usr/bin/env python3
"""What leaves kensa is inert wherever it lands.

  - `scan --format csv`: a cell that would start a spreadsheet formula
    (=, +, -, @) starts with ' instead; control characters (ESC in a file
    name, CR/LF in a subject) are visible escapes; the file still parses as
    CSV with one row per message.
  - `case export` (every format) and `case show`: a title and notes typed
    with ESC, CR and bidi controls come out escaped, never raw.
  - `analyze --format markdown`: URLs, addresses and domains in the subject
    and in evidence are defanged, so no renderer makes a link of them.
Usage: KENSA=path/to/kensa python3 tests/e2e/test_inert_output.py"""

import csv
import io
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import UNSAFE_RE, Reporter, binary_usable, kensa  # noqa: E402

TMP = tempfile.mkdtemp(prefix="kensa-inert-")
ENV = dict(os.environ, KENSA_DB=os.path.join(TMP, "kensa.db"),
           XDG_CONFIG_HOME=os.path.join(TMP, "config"), USER="analyst")


def k(*args):
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=ENV, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def mail(path, sender, subject, body="hello\n"):
    with open(path, "w", encoding="utf-8") as f:
        f.write("From: %s\nTo: a@b.example\nSubject: %s\nDate: Mon, 2 Dec 2024 10:00:00 +0000\n"
                "Message-ID: <%s@x.example>\n\n%s" % (sender, subject, os.path.basename(path),
                                                      body))


FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(A1:A2)"]


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    box = os.path.join(TMP, "box")
    os.makedirs(box)
    for i, f in enumerate(FORMULAS):
        mail(os.path.join(box, "%d.eml" % i), '"%s" <x%d@evil.example>' % (f, i), f)
    mail(os.path.join(box, "esc\x1b[31m.eml"), "a@evil.example", "line\rbreak")
    rc, out, err = k("scan", box, "--format", "csv")
    rep.check("scan csv exits 0", rc == 0, err)
    rep.check("scan csv: no raw control character", not UNSAFE_RE.search(out.replace("\n", "")),
              repr(out[:200]))
    rows = list(csv.reader(io.StringIO(out)))
    rep.check("scan csv: a header and one row per message",
              rows[0][0] == "path" and len(rows) == len(FORMULAS) + 2, len(rows))
    cells = [c for row in rows for c in row]
    live = [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    rep.check("scan csv: no cell starts a formula", not live, live[:4])
    rep.check("scan csv: the formula text is kept, quoted",
              any(c.startswith("'=HYPERLINK") for c in cells)
              and any(c.startswith("'@SUM") for c in cells), cells[:12])

    hostile_title = "Case \x1b[2J\x1b]0;pwned\x07 title\r\u202eevil"
    rc, out, _ = k("case", "new", hostile_title)
    cid = out.split()[0] if rc == 0 and out else "1"
    k("case", "add", cid, os.path.join(box, "0.eml"))
    k("case", "note", cid, "note \x1b[31mred\x1b[0m\rover\u202ewritten\nsecond line")
    for fmt in ("markdown", "html", "json", "stix", "misp"):
        rc, out, err = k("case", "export", cid, "--format", fmt)
        bad = UNSAFE_RE.search(out.replace("\n", "").replace("\t", ""))
        rep.check("case export %s: title and notes escaped" % fmt, rc == 0 and not bad,
                  repr(bad.group(0)) if bad else err)
    rc, out, err = k("case", "show", cid)
    bad = UNSAFE_RE.search(out.replace("\n", ""))
    rep.check("case show: title and notes escaped", rc == 0 and not bad,
              repr(bad.group(0)) if bad else err)

    linky = os.path.join(TMP, "linky.eml")
    mail(linky, "Support <help@paypa1-secure.com>",
         "Verify at https://paypa1-secure.com/login or mail help@paypa1-secure.com",
         "Reply-To: x\n")
    rc, out, err = k("analyze", linky, "--format", "markdown")
    # code spans are never links (CommonMark 6.1); everything else must be inert
    prose = re.sub(r"(`+).*?\1", "", out)
    live = re.findall(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+", prose)
    rep.check("analyze markdown: no live URL or address", rc in (0, 1) and not live, live[:4])
    rep.check("analyze markdown: the subject's URL is there, defanged",
              "hxxps://paypa1-secure[.]com/login" in out, out[:300])
    return rep.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP])
