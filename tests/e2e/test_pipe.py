#!/usr/bin/env python3
"""End-to-end: standard output that goes away (issue #14, "errors a person
understands").  When the reader of a pipe has read what it wanted (`kensa
scan DIR | head -1`), kensa ends quietly with status 0 and stops reading
mail; a standard output that cannot be written for another reason
(/dev/full) still says so, with status 3.

  - scan, analyze of an mbox and thread, each with stdout a pipe whose
    reader closes it after the first line: status 0, nothing on stderr;
  - scan and analyze into /dev/full: status 3 and one "cannot write" line.

Usage: KENSA=path/to/kensa python3 tests/e2e/test_pipe.py"""

import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import kensa_e2e as k  # noqa: E402

PASSED = FAILED = 0


def ok(name):
    global PASSED
    PASSED += 1
    print("ok %s" % name)


def bad(name, why):
    global FAILED
    FAILED += 1
    print("FAIL %s: %s" % (name, why))


def mbox(path, n):
    with open(path, "wb") as f:
        for i in range(n):
            f.write(b"From sender@example.com Thu Dec 12 09:00:00 2024\n"
                    b"From: Sender <sender@example.com>\nTo: you@example.org\n"
                    b"Subject: note %d\nMessage-ID: <%d@example.com>\n"
                    b"Date: Thu, 12 Dec 2024 09:00:00 +0900\n\nline %d\n\n" % (i, i, i))


def first_line_then_close(args, name):
    """Runs kensa with stdout a pipe closed after one line; (rc, stderr)."""
    env = dict(os.environ, KENSA_DB=os.path.join(TMP, "none.db"))
    p = subprocess.Popen([k.kensa()] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    first = p.stdout.readline()
    p.stdout.close()
    try:
        err = p.stderr.read()
        rc = p.wait(timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()
        bad(name, "no end after the reader closed")
        return None, b""
    if not first:
        bad(name, "no first line")
    return rc, err


def quiet(args, name):
    rc, err = first_line_then_close(args, name)
    if rc is None:
        return
    if rc == 0 and not err:
        ok(name)
    else:
        bad(name, "exit %s, stderr %r" % (rc, err[:200]))


def full(args, name):
    env = dict(os.environ, KENSA_DB=os.path.join(TMP, "none.db"))
    with open("/dev/full", "wb") as out:
        r = subprocess.run([k.kensa()] + args, stdout=out, stderr=subprocess.PIPE, env=env,
                           timeout=300)
    lines = r.stderr.decode("utf-8", "replace").splitlines()
    if r.returncode == 3 and len(lines) == 1 and "cannot write" in lines[0]:
        ok(name)
    else:
        bad(name, "exit %d, stderr %r" % (r.returncode, r.stderr[:200]))


SAMPLE = os.path.join(k.REPO, "samples", "ceo_fraud_ja.eml")

with tempfile.TemporaryDirectory() as TMP:
    big = os.path.join(TMP, "big.mbox")
    mbox(big, 3000)
    quiet(["scan", big], "scan | head -1 ends quietly with 0")
    quiet(["analyze", big, "--format", "json"], "analyze MBOX | head -1 ends quietly with 0")
    quiet(["thread", big], "thread | head -1 ends quietly with 0")
    full(["scan", SAMPLE], "scan into /dev/full says so, exit 3")
    full(["analyze", SAMPLE], "analyze into /dev/full says so, exit 3")

print("%d passed, %d failed" % (PASSED, FAILED))
sys.exit(1 if FAILED else 0)
