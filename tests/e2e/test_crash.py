"""Crash safety of the case store (DESIGN.md "Safety", the case-store issue):
kensa processes adding messages and notes to one case, several at a time,
are killed with SIGKILL at random moments (seeded, so a failure can be
replayed with KENSA_CRASH_SEED), many times over.  Afterwards the database
must pass PRAGMA integrity_check, foreign_key_check and FTS5's own
integrity-check, every note whose command exited 0 must be there exactly
once, every message must be whole (raw bytes equal to the file it came from,
its report parseable), and kensa must go on working on the same file."""

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import SAMPLES, Reporter, binary_usable, kensa  # noqa: E402

SEED = int(os.environ.get("KENSA_CRASH_SEED", "20241212"))
ROUNDS = int(os.environ.get("KENSA_CRASH_ROUNDS", "60"))
PARALLEL = 4

TMP = tempfile.mkdtemp(prefix="kensa-crash-")
DB = os.path.join(TMP, "kensa.db")
ENV = dict(os.environ, KENSA_DB=DB, XDG_CONFIG_HOME=os.path.join(TMP, "config"),
           USER="crash-test")


def spawn(args):
    return subprocess.Popen([kensa()] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=ENV)


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    rng = random.Random(SEED)
    rep.note("seed %d, %d rounds of %d processes" % (SEED, ROUNDS, PARALLEL))
    p = subprocess.run([kensa(), "case", "new", "crash test"], stdout=subprocess.PIPE, env=ENV)
    cid = p.stdout.decode().split()[0] if p.returncode == 0 and p.stdout else None
    if not rep.check("case new", cid == "1", p.stdout):
        return rep.finish()

    samples = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES) if f.endswith(".eml"))
    # how long one write takes on this machine: the kills land inside that
    # window, so a fast machine gets as many mid-write kills as a slow one
    span = []
    for i in range(3):
        t0 = time.monotonic()
        subprocess.run([kensa(), "case", "note", cid, "timing %d" % i], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=ENV)
        span.append(time.monotonic() - t0)
    window = max(0.01, sorted(span)[1])
    saved_notes, killed, finished, failed = [], 0, 0, []
    added = set()
    serial = 0
    for rnd in range(ROUNDS):
        procs = []
        for _ in range(PARALLEL):
            serial += 1
            if rng.random() < 0.5:
                text = "crash note %d 振込先 %d" % (serial, rng.randrange(10 ** 6))
                procs.append(("note", text, spawn(["case", "note", cid, text])))
            else:
                path = rng.choice(samples)
                procs.append(("add", path, spawn(["case", "add", cid, path])))
        # kill some of them at a random moment, let the others finish
        deadline = time.monotonic() + rng.uniform(0.0, window)
        victims = [pr for pr in procs if rng.random() < 0.7]
        while time.monotonic() < deadline:
            time.sleep(0.002)
        for _, _, pr in victims:
            if pr.poll() is None:
                pr.send_signal(signal.SIGKILL)
        for kind, what, pr in procs:
            out, err = pr.communicate(timeout=120)
            if pr.returncode == -signal.SIGKILL:
                killed += 1
                continue
            finished += 1
            if pr.returncode != 0:
                failed.append("%s %s: exit %d %s" % (kind, what, pr.returncode, err[-300:]))
            elif kind == "note" and b"saved" in out:
                saved_notes.append(what)
            elif kind == "add":
                added.add(what)
    rep.note("%d killed, %d finished, %d notes reported saved" % (killed, finished,
                                                                  len(saved_notes)))
    rep.check("processes that were not killed succeeded", not failed, failed[:3])
    rep.check("some processes were killed mid-way", killed > ROUNDS // 2,
              "only %d killed" % killed)

    con = sqlite3.connect(DB)
    ic = con.execute("PRAGMA integrity_check").fetchall()
    rep.check("PRAGMA integrity_check", ic == [("ok",)], ic)
    fk = con.execute("PRAGMA foreign_key_check").fetchall()
    rep.check("PRAGMA foreign_key_check", fk == [], fk)
    try:
        con.execute("INSERT INTO search (search) VALUES ('integrity-check')")
        rep.ok("FTS5 index integrity-check")
    except sqlite3.DatabaseError as e:
        rep.fail("FTS5 index integrity-check", e)

    notes = [r[0] for r in con.execute("SELECT text FROM notes")]
    missing = [t for t in saved_notes if t not in notes]
    rep.check("every note reported saved is there", not missing,
              "%d missing, e.g. %s" % (len(missing), missing[:2]))
    dups = [t for t in set(notes) if notes.count(t) > 1]
    rep.check("no note stored twice", not dups, dups[:2])
    indexed = con.execute("SELECT count(*) FROM search WHERE kind = 'note'").fetchone()[0]
    rep.check("every note is in the search index", indexed == len(notes),
              "%d indexed, %d notes" % (indexed, len(notes)))

    by_sha = {}
    for path in samples:
        with open(path, "rb") as f:
            data = f.read()
        by_sha[hashlib.sha256(data).hexdigest()] = (path, data)
    rows = con.execute("SELECT sha256, raw, report FROM messages WHERE case_id = ?",
                       (int(cid),)).fetchall()
    bad = []
    for sha, raw, report in rows:
        if sha not in by_sha or by_sha[sha][1] != raw:
            bad.append("raw of %s" % sha)
            continue
        try:
            if json.loads(report)["source"]["sha256"] != sha:
                bad.append("report of %s" % sha)
        except (ValueError, KeyError):
            bad.append("report of %s unparseable" % sha)
    rep.check("every stored message is whole", not bad, bad[:3])
    shas = [r[0] for r in rows]
    rep.check("no message stored twice in the case", len(shas) == len(set(shas)), shas)
    stored_paths = {by_sha[s][0] for s in shas if s in by_sha}
    lost = [p for p in added if p not in stored_paths]
    rep.check("every message reported added is there", not lost, lost[:3])
    orphans = con.execute("SELECT count(*) FROM findings f LEFT JOIN messages m"
                          " ON m.id = f.message_id WHERE m.id IS NULL").fetchone()[0]
    rep.check("no finding without its message", orphans == 0, orphans)
    con.close()

    p = subprocess.run([kensa(), "case", "show", cid], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=ENV)
    rep.check("kensa goes on working on the same file", p.returncode == 0, p.stderr[-300:])
    p = subprocess.run([kensa(), "case", "note", cid, "after the crashes"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    rep.check("and writes to it", p.returncode == 0, p.stderr[-300:])
    return rep.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP])
