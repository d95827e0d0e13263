"""`kensa case export` checked against the formats' own rules.

STIX 2.1 (OASIS CS02): a bundle of objects, each with type; SDOs/SROs with
spec_version "2.1", id "type--UUIDv4" (section 2.9), created/modified as
RFC 3339 UTC timestamps ending in Z (3.2); the required properties of each
object type used here (identity, indicator, observed-data, note, report,
marking-definition, email-message, email-addr, file); indicator patterns in
STIX patterning syntax (9); every *_ref / *_refs resolving inside the
bundle; TLP as the predefined marking-definitions (7.2.1.4).
MISP (core format, draft-dulaunoy-misp-core-format): Event with info, date,
threat_level_id, analysis, distribution, uuid; Attribute types in MISP's
list with a category MISP allows for that type; Object email and file with
object_relation on their attributes; the tlp tag.
Markdown and HTML: defanged IOCs, and the HTML has no script and no remote
resource.  --redact: no victim's address, name or protected label left, the
attacker's indicators whole (masked too with --redact public), and the same
address always gets the same placeholder.  The hostile names and fixtures
are in test_export_hostile.py."""

import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import SAMPLES, Reporter, binary_usable, kensa, new_store  # noqa: E402

TMP = tempfile.mkdtemp(prefix="kensa-export-")
ENV = dict(os.environ, KENSA_DB=new_store(TMP, "kensa.db"),
           XDG_CONFIG_HOME=os.path.join(TMP, "config"), USER="hanako")

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
ID_RE = re.compile(r"^([a-z0-9-]+)--(" + UUID4 + ")$")
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# one comparison expression: [object-type:property.path = 'string'], with
# hashes.'SHA-256' style quoted path components (STIX 2.1 section 9.4-9.5)
PATTERN_RE = re.compile(r"^\[([a-z0-9-]+):([a-z0-9_]+(\.('[^']+'|[a-z0-9_]+))*) = "
                        r"'((?:[^'\\]|\\['\\])*)'\]$")
SCO_TYPES = {"email-message", "email-addr", "file", "domain-name", "url", "ipv4-addr",
             "ipv6-addr"}
REQUIRED = {
    "identity": ["name"],
    "indicator": ["pattern", "pattern_type", "valid_from"],
    "observed-data": ["first_observed", "last_observed", "number_observed", "object_refs"],
    "note": ["content", "object_refs"],
    "report": ["name", "published", "object_refs"],
    "marking-definition": ["definition_type", "definition", "created"],
    "email-message": ["is_multipart"],
    "email-addr": ["value"],
}
TLP_IDS = {
    "clear": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
# MISP describeTypes: the categories each type used here may have
MISP_TYPES = {
    "domain": {"Network activity", "External analysis"},
    "ip-dst": {"Network activity", "External analysis"},
    "ip-src": {"Network activity", "External analysis"},
    "url": {"Network activity", "External analysis", "Payload delivery"},
    "email-src": {"Payload delivery", "Network activity", "Social network"},
    "email-dst": {"Payload delivery", "Network activity", "Social network"},
    "email-reply-to": {"Payload delivery"},
    "email-subject": {"Payload delivery", "Network activity"},
    "email-src-display-name": {"Payload delivery"},
    "email-message-id": {"Payload delivery"},
    "filename": {"Payload delivery", "Artifacts dropped", "Payload installation",
                 "Persistence mechanism", "External analysis"},
    "sha256": {"Payload delivery", "Artifacts dropped", "Payload installation",
               "External analysis"},
    "filename|sha256": {"Payload delivery", "Artifacts dropped", "Payload installation",
                        "External analysis"},
    "size-in-bytes": {"Other"},
    "datetime": {"Other"},
    "comment": {"Other", "Antivirus detection", "Internal reference"},
    "text": {"Other", "Internal reference"},
}


def k(*args, stdin=None):
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=ENV, timeout=120, input=stdin)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def walk_refs(o, path=""):
    """(property path, referenced id) for every *_ref and *_refs."""
    if isinstance(o, dict):
        for key, v in o.items():
            if key.endswith("_ref") and isinstance(v, str):
                yield path + key, v
            elif key.endswith("_refs") and isinstance(v, list):
                for x in v:
                    yield path + key, x
            else:
                yield from walk_refs(v, path + key + ".")
    elif isinstance(o, list):
        for x in o:
            yield from walk_refs(x, path)


def check_stix(rep, text, tlp, label):
    try:
        b = json.loads(text)
    except ValueError as e:
        rep.fail("%s: parses" % label, e)
        return
    problems = []
    if b.get("type") != "bundle" or not ID_RE.match(b.get("id", "")) \
            or not b["id"].startswith("bundle--"):
        problems.append("bundle type/id")
    objs = b.get("objects") or []
    ids = [o.get("id") for o in objs]
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    for o in objs:
        t = o.get("type")
        m = ID_RE.match(o.get("id", ""))
        if not m or m.group(1) != t:
            problems.append("id %r for type %r" % (o.get("id"), t))
        if o.get("spec_version") != "2.1":
            problems.append("%s: spec_version" % o.get("id"))
        if t not in SCO_TYPES:
            for ts in ("created", "modified"):
                if ts in o and not TS_RE.match(o[ts]):
                    problems.append("%s: %s %r" % (o["id"], ts, o[ts]))
            if "created" not in o:
                problems.append("%s: no created" % o["id"])
            if t != "marking-definition" and "modified" not in o:
                problems.append("%s: no modified" % o["id"])
        for p in REQUIRED.get(t, []):
            if p not in o or o[p] in ("", []):
                problems.append("%s lacks %s" % (o["id"], p))
        if t == "indicator":
            pm = PATTERN_RE.match(o.get("pattern", ""))
            if not pm or o.get("pattern_type") != "stix":
                problems.append("pattern %r" % o.get("pattern"))
            elif pm.group(1) not in SCO_TYPES:
                problems.append("pattern object %s" % pm.group(1))
            if not TS_RE.match(o.get("valid_from", "")):
                problems.append("valid_from")
        if t == "observed-data" and not (1 <= o.get("number_observed", 0) <= 999999999):
            problems.append("number_observed")
        if t == "file" and not (o.get("hashes") or o.get("name")):
            problems.append("file without hashes or name")
        if t in ("indicator", "report", "note", "observed-data") and \
                o.get("object_marking_refs") != [TLP_IDS[tlp]]:
            problems.append("%s: marking %r" % (o["id"], o.get("object_marking_refs")))
    known = set(ids)
    for path, ref in walk_refs(objs):
        if ref not in known:
            problems.append("%s -> %s does not resolve" % (path, ref))
    types = {o.get("type") for o in objs}
    for need in ("identity", "report", "indicator", "observed-data", "email-message", "note",
                 "marking-definition"):
        if need not in types:
            problems.append("no %s object" % need)
    md = [o for o in objs if o.get("type") == "marking-definition"]
    if [o["id"] for o in md] != [TLP_IDS[tlp]] or md[0].get("definition", {}).get("tlp") != \
            ("white" if tlp == "clear" else tlp):
        problems.append("TLP marking-definition %r" % md)
    pats = " ".join(o.get("pattern", "") for o in objs)
    # published (--redact public): the attacker's addresses name the victim,
    # so they are masked and no longer something to block
    kinds = ("domain-name:value", "file:hashes.'SHA-256'", "ipv4-addr") if "public" in label \
        else ("domain-name:value", "email-addr:value", "file:hashes.'SHA-256'", "ipv4-addr")
    if "●" in pats or "user-" in pats:
        problems.append("a masked value as an indicator pattern")
    for kind in kinds:
        if kind not in pats:
            problems.append("no %s indicator" % kind)
    rep.check("%s: STIX 2.1 rules" % label, not problems, problems[:6])


def check_misp(rep, text, tlp, label):
    try:
        e = json.loads(text)["Event"]
    except (ValueError, KeyError) as x:
        rep.fail("%s: parses as {Event: ...}" % label, x)
        return
    problems = []
    if not e.get("info"):
        problems.append("info")
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", e.get("date", "")):
        problems.append("date %r" % e.get("date"))
    if e.get("threat_level_id") not in ("1", "2", "3", "4"):
        problems.append("threat_level_id")
    if e.get("analysis") not in ("0", "1", "2"):
        problems.append("analysis")
    if e.get("distribution") not in ("0", "1", "2", "3", "4"):
        problems.append("distribution")
    if not re.match("^" + UUID4 + "$", e.get("uuid", "")):
        problems.append("uuid")
    if not re.match(r"^\d+$", str(e.get("timestamp", ""))):
        problems.append("timestamp")
    tags = [t.get("name") for t in e.get("Tag", [])]
    if "tlp:%s" % tlp not in tags:
        problems.append("tags %r" % tags)
    uuids = []

    def attr_ok(a, in_object):
        uuids.append(a.get("uuid"))
        t, c = a.get("type"), a.get("category")
        if t not in MISP_TYPES:
            problems.append("type %r" % t)
        elif c not in MISP_TYPES[t]:
            problems.append("category %r for %s" % (c, t))
        if not str(a.get("value", "")).strip():
            problems.append("empty value for %s" % t)
        if t == "filename|sha256" and not re.match(r"^.+\|[0-9a-f]{64}$", a["value"]):
            problems.append("filename|sha256 %r" % a["value"])
        if t == "sha256" and not re.match(r"^[0-9a-f]{64}$", a["value"]):
            problems.append("sha256 %r" % a["value"])
        if in_object and not a.get("object_relation"):
            problems.append("object attribute without object_relation")
        if not isinstance(a.get("to_ids"), bool):
            problems.append("to_ids")

    for a in e.get("Attribute", []):
        attr_ok(a, False)
    names = []
    for o in e.get("Object", []):
        names.append(o.get("name"))
        uuids.append(o.get("uuid"))
        if not re.match("^" + UUID4 + "$", o.get("template_uuid", "")):
            problems.append("template_uuid")
        for a in o.get("Attribute", []):
            attr_ok(a, True)
    if any(not re.match("^" + UUID4 + "$", u or "") for u in uuids):
        problems.append("attribute/object uuid")
    if len(uuids) != len(set(uuids)):
        problems.append("duplicate uuids")
    types = {a.get("type") for a in e.get("Attribute", [])}
    for need in ("domain", "email-src", "email-subject", "filename|sha256", "ip-dst"):
        if need not in types:
            problems.append("no %s attribute" % need)
    if "email" not in names or "file" not in names:
        problems.append("objects %r" % names)
    rep.check("%s: MISP event format" % label, not problems, problems[:6])


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    rc, out, _ = k("case", "new", "請求書詐欺 invoice fraud")
    cid = out.split()[0]
    k("protect", "add", "hoshizora-denko.co.jp", "--label", "星空電工")
    k("contact", "add", "山田 太郎", "taro.yamada@hoshizora-denko.co.jp")
    for s in ("invoice_lookalike_thread.eml", "ceo_fraud_ja.eml", "phishing_html_login.eml"):
        k("case", "add", cid, os.path.join(SAMPLES, s))
    k("case", "note", cid, "山田 太郎 (taro.yamada@hoshizora-denko.co.jp) confirmed by phone: "
      "he did not send it. Reported by hanako.sato@hoshizora-denko.co.jp")
    k("case", "verdict", cid, "bec")

    outputs = {}
    for fmt in ("markdown", "html", "json", "stix", "misp"):
        rc, out, err = k("case", "export", cid, "--format", fmt)
        outputs[fmt] = out
        rep.check("export %s exits 0" % fmt, rc == 0 and out, err)
    rc, out, err = k("case", "export", cid, "--format", "pdf")
    rep.check("unknown format exits 2", rc == 2 and err.startswith("kensa: "), err)
    rc, out, err = k("case", "export", cid, "--tlp", "white")
    rep.check("unknown TLP exits 2", rc == 2, err)

    check_stix(rep, outputs["stix"], "amber", "stix")
    for tlp in ("clear", "green", "red"):
        rc, out, err = k("case", "export", cid, "--format", "stix", "--tlp", tlp)
        check_stix(rep, out, tlp, "stix --tlp %s" % tlp)
    check_misp(rep, outputs["misp"], "amber", "misp")
    rc, out, err = k("case", "export", cid, "--format", "misp", "--tlp", "green")
    check_misp(rep, out, "green", "misp --tlp green")

    j = json.loads(outputs["json"])
    rep.check("json: case, reports and notes",
              j.get("schema") == "kensa.case/1" and len(j["messages"]) == 3
              and all(m["report"]["schema"] == "kensa.report/1" for m in j["messages"])
              and j["notes"] and j["case"]["verdict"] == "bec", list(j))

    md, html = outputs["markdown"], outputs["html"]
    for name, text in (("markdown", md), ("html", html)):
        ioc = text[text.rfind("IOCs (defanged)"):]
        rep.check("%s: IOCs defanged" % name,
                  "koganne-parts[.]co[.]jp" in ioc and "hxxp" in ioc
                  and "koganne-parts.co.jp" not in ioc, ioc[:300])
        for want in ("TLP:AMBER", "Timeline", "Findings", "identity.lookalike", "confirmed by phone",
                     "Route", "Attachments", "bec"):
            if want not in text:
                rep.fail("%s: has %s" % (name, want), "missing")
                break
        else:
            rep.ok("%s: verdict, timeline, messages, findings, notes" % name)
    low = html.lower()
    rep.check("html: no script, no remote resource",
              "<script" not in low and not re.search(r"(src|href)\s*=", low)
              and "url(" not in low and "@import" not in low and "<iframe" not in low,
              "found active content")
    rep.check("html: self-contained document", low.startswith("<!doctype html>")
              and "</html>" in low and "content-security-policy" in low, html[:200])

    # redaction on data: every format, the victims gone, the attackers whole
    # (--redact) or masked too (--redact public), stable placeholders
    victims = ["taro.yamada@", "hanako.sato", "山田 太郎", "hoshizora-denko.co.jp", "星空電工",
               "hoshizora-denko[.]co[.]jp"]
    public_too = ["taro.yamada", "ichiro.tanaka", "koganne-parts", "hoshizora-denk0",
                  "hoshizora-denkou"]
    for level, secrets in (([], victims), (["public"], victims + public_too)):
        name = " ".join(["--redact"] + level)
        for fmt in ("markdown", "html", "json", "stix", "misp"):
            rc, out, err = k("case", "export", cid, "--format", fmt, "--redact", *level)
            left = [s for s in secrets if s in out]
            rep.check("%s %s leaves no victim" % (name, fmt), rc == 0 and not left, left)
            if fmt in ("json", "stix", "misp"):
                try:
                    json.loads(out)
                    rep.ok("%s %s is still valid JSON" % (name, fmt))
                except ValueError as e:
                    rep.fail("%s %s is still valid JSON" % (name, fmt), e)
            if fmt == "stix":
                check_stix(rep, out, "amber", "stix " + name)
            if fmt == "misp":
                check_misp(rep, out, "amber", "misp " + name)
            if fmt == "markdown" and not level:
                rmd = out
            if fmt == "misp" and not level:
                misp = json.loads(out)
    rep.check("--redact masks protected labels like the advisories", "hos●●ko[.]co[.]jp" in rmd,
              rmd[:400])
    ioc = rmd[rmd.rfind("IOCs (defanged)"):]
    rep.check("--redact keeps the attacker whole: lookalikes and their addresses",
              "`koganne-parts[.]co[.]jp`" in ioc and "ichiro.tanaka[@]koganne-parts[.]co[.]jp" in ioc
              and "`hoshizora-denk0[.]co[.]jp`" in ioc, ioc[:600])
    masked_ids = [a for a in misp["Event"]["Attribute"]
                  if a["to_ids"] and ("user-" in a["value"] or "●" in a["value"])]
    rep.check("--redact: no masked victim value is to_ids in MISP", not masked_ids, masked_ids)
    # the note names Taro by address; his From/To in the messages use the same address
    rj = json.loads(k("case", "export", cid, "--format", "json", "--redact")[1])
    note = rj["notes"][0]["text"]
    m = re.search(r"\((user-\d+)@", note)
    tos = [a["address"] for msg in rj["messages"] for a in msg["report"]["message"]["to"]]
    rep.check("--redact: the same person, the same placeholder",
              m and "Person-" in note and all(t.startswith("user-") for t in tos), note)
    # one placeholder per original address, and back: nothing merged
    plain = json.loads(outputs["json"])
    pairs = set()
    for a, b in zip(plain["messages"], rj["messages"]):
        for key in ("from", "to", "cc", "reply_to"):
            for x, y in zip(a["report"]["message"][key], b["report"]["message"][key]):
                if y["address"].startswith("user-"):
                    pairs.add((x["address"].lower(), y["address"].split("@")[0]))
    left = {p[0] for p in pairs}
    right = {p[1] for p in pairs}
    rep.check("--redact: different people, different placeholders",
              pairs and len(left) == len(right) == len(pairs), sorted(pairs))
    timeline_case(rep)
    return rep.finish()


def timeline_case(rep):
    """A hijacked thread (samples/thread_hijack.mbox) with the lookalike's
    registration known: the summary draws the timeline (SVG in HTML, a table
    in Markdown) with the registration, the forged PDF and the lookalike's
    entry marked, lists the thread's drift, and orders the messages by date."""
    rc, out, _ = k("case", "new", "hijacked thread")
    cid = out.split()[0]
    k("domain", "add", "koganne-parts.co.jp", "--registered", "2025-01-14T17:55:00+09:00")
    k("case", "add", cid, os.path.join(SAMPLES, "thread_hijack.mbox"))
    # added last, written first (December 2024): it must come first
    k("case", "add", cid, os.path.join(SAMPLES, "invoice_lookalike_thread.eml"))
    html = k("case", "export", cid, "--format", "html")[1]
    md = k("case", "export", cid, "--format", "markdown")[1]
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    svg = svg.group(0) if svg else ""
    rep.check("html: the timeline is a picture with lanes and tooltips",
              svg.count("<circle") >= 10 and "Domains registered" in svg and "Documents" in svg
              and "<title>" in svg and "<script" not in svg.lower(), svg[:300])
    rep.check("html: the registration, the forged PDF and the lookalike's entry are marked",
              svg.count("circle class=\"lane0 alert\"") == 1
              and svg.count("circle class=\"lane3 alert\"") >= 1
              and svg.count("circle class=\"lane1 alert\"") == 1, svg[:600])
    table = md[md.find("## Timeline"):md.find("## Threads")]
    rows = [l for l in table.splitlines() if l.startswith("| 20")]
    times = [r.split(" | ")[0][2:] for r in rows]
    rep.check("markdown: the timeline table, in time order",
              len(rows) >= 10 and times == sorted(times, key=lambda t: t), rows[:3])
    marked = [r for r in rows if " | ⚠ | " in r]
    rep.check("markdown: what matters is marked (registration, PDF, lookalike)",
              any("registered" in r for r in marked) and any("a lookalike enters" in r for r in marked)
              and any("PDF" in r for r in marked), marked)
    threads = md[md.find("## Threads"):md.find("## Messages")]
    rep.check("markdown: the thread's drift findings",
              "thread.sender\\_domain\\_changed in message" in threads
              and "thread.payment\\_details\\_changed" in threads, threads[:400])
    heads = re.findall(r"^### Message (\d+): .*$", md, re.M)
    dates = re.findall(r"^### Message \d+: .*\n\n- \*\*Date:\*\* (\S+)", md, re.M)
    rep.check("markdown: messages in the order they were written, not added",
              heads and heads[0] == max(heads, key=int) and len(dates) == 6 and dates == sorted(dates),
              list(zip(heads, dates)))
    iocs = md[md.rfind("IOCs (defanged)"):]
    rep.check("markdown: the new bank account of the payee change is the attacker's",
              "bank\\_account: `7654321`" in iocs.split("victim")[0], iocs[:500])


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP])
