#!/usr/bin/env python3
"""End-to-end robustness: every file under ../shared/corpora, mail or not, goes
through `kensa analyze FILE --format json` and kensa must neither crash nor hang.

Per file: it finishes within the timeout (KENSA_E2E_TIMEOUT, default 20 s); the
exit status is 0, 1 or 3 (a signal, 134/139, or anything else is a failure);
with 0 or 1, stdout is a JSON report (or, for an mbox, one report per line);
with 3, stdout is empty and stderr is exactly one line "kensa: ..."; stderr never
shows a sanitizer report.  Files run two at a time (KENSA_E2E_JOBS).

To stay inside CI's time (the ASan pass runs this too), each folder first goes
through one `kensa scan FOLDER` (every file, the same analysis on the pool):
it must exit 0 or 1, print one JSON line per file, and show no sanitizer
report.  Then `analyze` runs per file on every file of folders of up to
KENSA_E2E_FULL files (120) and on every KENSA_E2E_STRIDE-th file (10) of
larger ones.  When a scan fails, every file of the folder runs alone, so the
failure names its file.

Most corpus files are not mail (shortcuts, PDFs, ISOs, zips, OLE files), so a
second pass sends each file again as the attachment of a small generated message
(application/octet-stream, its own file name): that reaches the attachment
parsers (zip, ISO, LNK, PDF, OLE, nested messages) with real and broken files.
There the exit status must be 0 or 1 with a JSON report.  The wrapped messages
of a folder go as one mbox to one `kensa analyze MBOX --format json`, which
must print one report per message; if it does not, each message runs alone.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_corpora_robust.py [FOLDER...]
Prints one "ok FOLDER: counts" or "FAIL FOLDER: failing files" per top-level
folder of the corpora and pass, and "N passed, M failed"."""

import base64
import concurrent.futures
import os
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import kensa_e2e as k  # noqa: E402

TIMEOUT = float(os.environ.get("KENSA_E2E_TIMEOUT", "20"))
JOBS = int(os.environ.get("KENSA_E2E_JOBS", "2"))
FULL = int(os.environ.get("KENSA_E2E_FULL", "120"))
STRIDE = max(1, int(os.environ.get("KENSA_E2E_STRIDE", "10")))
SANITIZER_MARKS = (b"AddressSanitizer", b"UndefinedBehaviorSanitizer", b"LeakSanitizer",
                   b"runtime error:")


def judge(path):
    """(status word, None) when fine, or (status word, why) on failure."""
    r = k.run(["analyze", path, "--format", "json"], timeout=TIMEOUT)
    if r.timed_out:
        return "hang", "no result after %g s" % TIMEOUT
    if any(mark in r.err for mark in SANITIZER_MARKS):
        line = next((ln for ln in r.err_text.splitlines()
                     if "Sanitizer" in ln or "runtime error" in ln), "")
        return "crash", "sanitizer: %s" % line.strip()[:200]
    if r.rc < 0:
        return "crash", "killed by signal %d" % -r.rc
    if r.rc not in (0, 1, 3):
        return "crash", r.describe()
    if r.rc == 3:
        lines = r.err_text.splitlines()
        if len(lines) != 1 or not lines[0].startswith("kensa: "):
            return "exit 3", "stderr is not one 'kensa: ' line: %s" % k.show(r.err_text, 160)
        if r.out:
            return "exit 3", "exit 3 but %d bytes on stdout" % len(r.out)
        return "exit 3", None
    report, why = k.parse_report(r.out)
    if report is None:
        objs, why2 = k.parse_json_lines(r.out)  # an mbox: one report per line
        if objs:
            return "exit %d" % r.rc, None
        return "exit %d" % r.rc, why
    if report.get("schema") != "kensa.report/1":
        return "exit %d" % r.rc, "schema is %s" % k.show(report.get("schema"))
    return "exit %d" % r.rc, None


def carrier(path, n):
    """The bytes of a small message carrying the file as an attachment."""
    name = os.path.basename(path)
    quoted = urllib.parse.quote(name, safe="")
    with open(path, "rb") as f:
        data = f.read()
    msg = ("From: Corpus <corpus@sender.example>\nTo: Analyst <analyst@receiver.example>\n"
           "Subject: corpus file %d\nDate: Thu, 12 Dec 2024 09:00:00 +0900\n"
           "Message-ID: <corpus.%d@sender.example>\nMIME-Version: 1.0\n"
           "Content-Type: multipart/mixed; boundary=\"corpus-boundary\"\n\n"
           "--corpus-boundary\nContent-Type: text/plain; charset=us-ascii\n\nattached\n"
           "--corpus-boundary\nContent-Type: application/octet-stream; name*=UTF-8''%s\n"
           "Content-Disposition: attachment; filename*=UTF-8''%s\n"
           "Content-Transfer-Encoding: base64\n\n" % (n, n, quoted, quoted))
    return msg.encode("ascii") + base64.encodebytes(data) + b"--corpus-boundary--\n"


def wrap(path, out_dir, n):
    """Writes a message carrying the file as an attachment; returns its path."""
    out = os.path.join(out_dir, "wrapped-%04d.eml" % n)
    with open(out, "wb") as f:
        f.write(carrier(path, n))
    return out


def batch_why(r, want_lines, what):
    """None when one run over many inputs went well, else why."""
    if r.timed_out:
        return "no result after %g s" % BATCH_TIMEOUT
    if any(mark in r.err for mark in SANITIZER_MARKS):
        line = next((ln for ln in r.err_text.splitlines()
                     if "Sanitizer" in ln or "runtime error" in ln), "")
        return "sanitizer: %s" % line.strip()[:200]
    if r.rc not in (0, 1):
        return r.describe()
    objs, why = k.parse_json_lines(r.out)
    if objs is None:
        return why
    if len(objs) != want_lines:
        return "%d JSON lines for %d %s" % (len(objs), want_lines, what)
    return None


BATCH_TIMEOUT = float(os.environ.get("KENSA_E2E_BATCH_TIMEOUT", "300"))


def scan_folder(folder):
    """None when `kensa scan FOLDER` went well over every file, else why."""
    r = k.run(["scan", folder, "--format", "jsonl"], timeout=BATCH_TIMEOUT)
    n = sum(len(fs) for _, _, fs in os.walk(folder))
    return batch_why(r, n, "files")


def analyze_mbox(files, out_dir, first):
    """None when one `analyze MBOX` over the folder's carriers went well, else why."""
    box = os.path.join(out_dir, "carriers-%04d.mbox" % first)
    with open(box, "wb") as f:
        for i, path in enumerate(files):
            f.write(b"From corpus@sender.example Thu Dec 12 09:00:00 2024\n")
            f.write(carrier(path, first + i))
            f.write(b"\n")
    r = k.run(["analyze", box, "--format", "json"], timeout=BATCH_TIMEOUT)
    why = batch_why(r, len(files), "messages")
    os.unlink(box)
    return why


def judge_attached(args):
    path, out_dir, n = args
    word, why = judge(wrap(path, out_dir, n))
    if why is None and word == "exit 3":
        why = "the carrier message was refused"
    return word, why


def report_folder(rep, name, files, results):
    counts = {}
    failures = []
    for path, (word, why) in zip(files, results):
        counts[word] = counts.get(word, 0) + 1
        if why:
            failures.append("%s (%s: %s)" % (os.path.relpath(path, k.CORPORA), word, why))
    summary = ", ".join("%d %s" % (n, w) for w, n in sorted(counts.items()))
    name = "%s: %d files" % (name, len(files))
    if failures:
        rep.fail(name, "%d failed [%s]: %s%s" % (len(failures), summary,
                                                 "; ".join(f[:160] for f in failures[:3]),
                                                 " ..." if len(failures) > 3 else ""))
        for f in failures:
            print("    %s" % f)
    else:
        rep.ok("%s [%s]" % (name, summary))


def main():
    rep = k.Reporter()
    if not os.path.isdir(k.CORPORA):
        rep.fail("corpora", "%s not found (the corpora sit beside the repository)" % k.CORPORA)
        return rep.finish()
    if not k.binary_usable(rep):
        return rep.finish()
    wanted = set(sys.argv[1:])
    folders = {}
    for top in sorted(os.listdir(k.CORPORA)):
        full = os.path.join(k.CORPORA, top)
        if wanted and top not in wanted:
            continue
        if os.path.isfile(full):
            folders.setdefault("(top)", []).append(full)
            continue
        for dirpath, dirnames, filenames in os.walk(full):
            dirnames.sort()
            for fn in sorted(filenames):
                folders.setdefault(top, []).append(os.path.join(dirpath, fn))

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool, \
            tempfile.TemporaryDirectory(prefix="kensa-corpora-") as tmp:
        for folder, files in folders.items():
            name = "corpora/%s" % folder
            whole = folder != "(top)"
            why = scan_folder(os.path.join(k.CORPORA, folder)) if whole else None
            if why:
                rep.fail("%s: scan" % name, why)
            elif whole:
                rep.ok("%s: scan of %d files" % (name, len(files)))
            picked = files
            if whole and not why and len(files) > FULL:
                picked = files[::STRIDE]
                name = "%s (every %d. file)" % (name, STRIDE)
            report_folder(rep, name, picked, pool.map(judge, picked))
        n = 0
        for folder, files in folders.items():
            name = "corpora/%s as attachments" % folder
            why = analyze_mbox(files, tmp, n + 1)
            if why:
                rep.fail("%s: one mbox" % name, why)
                jobs = [(path, tmp, n + 1 + i) for i, path in enumerate(files)]
                report_folder(rep, name, files, pool.map(judge_attached, jobs))
            else:
                rep.ok("%s: one mbox of %d messages" % (name, len(files)))
            n += len(files)
    print("time: %.0f s" % (time.monotonic() - start))
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
