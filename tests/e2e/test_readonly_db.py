"""A case store kensa may read but not write: every read command works, every
write command says "kensa: WHAT: PATH: read-only database" and exits 4, and
nothing is written into or beside the file.

Root ignores file modes, so as root the commands run as nobody (setpriv, uid
and gid 65534) on a store owned by root; as any other user the file (and, in
one layout, its directory) is made read-only.  Three layouts:
  dir   the file and its directory are read-only
  file  the directory is the reader's, the file is read-only
  wal   a writer holds the file open with commits still in its -wal file,
        which the reader must see
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import SAMPLES, Reporter, binary_usable, kensa  # noqa: E402

ROOT = os.geteuid() == 0
NOBODY = 65534
TMP = tempfile.mkdtemp(prefix="kensa-readonly-")
os.chmod(TMP, 0o755)


def env_for(db, home):
    return dict(os.environ, KENSA_DB=db, HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"),
                XDG_DATA_HOME=os.path.join(home, "data"), XDG_CACHE_HOME=os.path.join(home, "cache"),
                USER="reader")


def k(args, db, home, reader=False):
    cmd = [kensa()] + list(args)
    if reader and ROOT:
        cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"] + cmd
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env_for(db, home), timeout=120, cwd=TMP)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def populate(db, home):
    """A store with a case, a message, a note and what the analyst knows."""
    for args in (["case", "new", "Read-only case"],
                 ["case", "add", "1", os.path.join(SAMPLES, "ceo_fraud_ja.eml")],
                 ["case", "note", "1", "checked by phone"],
                 ["protect", "add", "hoshizora-denko.co.jp"],
                 ["contact", "add", "Yamada Taro", "taro.yamada@hoshizora-denko.co.jp"],
                 ["domain", "add", "hoshizora-denk0.co.jp", "--registered", "2024-12-01"]):
        rc, out, err = k(args, db, home)
        if rc != 0:
            return "%s: exit %d: %s" % (" ".join(args), rc, err.strip())
    return None


READS = [
    (["case", "list"], "Read-only case"),
    (["case", "show", "1"], "checked by phone"),
    (["case", "search", "買収案件"], "【至急・極秘】買収案件について"),
    (["case", "export", "1", "--format", "json"], "Read-only case"),
    (["domain", "list"], "hoshizora-denk0.co.jp"),
    (["protect", "list"], "hoshizora-denko.co.jp"),
    (["contact", "list"], "taro.yamada@hoshizora-denko.co.jp"),
    # analysing reads the store's knowledge (the protected domain here)
    (["analyze", os.path.join(SAMPLES, "ceo_fraud_ja.eml")], "identity.lookalike_domain"),
]

WRITES = [
    ["case", "new", "Another"],
    ["case", "add", "1", os.path.join(SAMPLES, "benign_control.eml")],
    ["case", "note", "1", "more"],
    ["case", "verdict", "1", "bec"],
    ["domain", "add", "new.example", "--registered", "2024-01-01"],
    ["protect", "add", "partner.example"],
    ["protect", "remove", "hoshizora-denko.co.jp"],
    ["contact", "add", "Someone", "someone@partner.example"],
]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_read_only(layout, d, db):
    """Sets the modes (and, as root, owners) of the layout."""
    if ROOT:
        os.chmod(db, 0o644)
        if layout == "file":
            os.chown(d, NOBODY, NOBODY)
            os.chown(db, NOBODY, NOBODY)
            os.chmod(db, 0o444)
    else:
        os.chmod(db, 0o444)
        if layout == "dir":
            os.chmod(d, 0o555)


def check_layout(rep, layout):
    d = os.path.join(TMP, layout)
    home = os.path.join(TMP, layout + "-home")
    os.makedirs(d)
    os.makedirs(home)
    os.chmod(d, 0o755)
    if ROOT:
        os.chown(home, NOBODY, NOBODY)
    db = os.path.join(d, "kensa.db")
    why = populate(db, home)
    if not rep.check("%s: store made" % layout, why is None, why):
        return
    writer = None
    if layout == "wal":
        # a commit the reader must see, still in the -wal (no checkpoint yet)
        writer = sqlite3.connect(db)
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO contacts (name, address, added) VALUES "
                       "('Writer', 'writer@wal.example', '2024-01-01T00:00:00Z')")
        writer.commit()
        for f in ("-wal", "-shm"):
            os.chmod(db + f, 0o644)
    make_read_only(layout, d, db)
    before = digest(db)
    files = sorted(os.listdir(d))
    try:
        for args, want in READS:
            rc, out, err = k(args, db, home, reader=True)
            rep.check("%s: %s reads" % (layout, " ".join(args[:2])),
                      rc in (0, 1) and want in out and not err.strip(),
                      "exit %d, stderr %r, %r not in output" % (rc, err.strip()[:200], want))
        if layout == "wal":
            rc, out, err = k(["contact", "list"], db, home, reader=True)
            rep.check("wal: a commit still in the -wal is seen", "writer@wal.example" in out,
                      "exit %d: %s %s" % (rc, out[:200], err.strip()[:200]))
        for args in WRITES:
            rc, out, err = k(args, db, home, reader=True)
            lines = err.strip().splitlines()
            rep.check("%s: %s refused" % (layout, " ".join(args[:2])),
                      rc == 4 and len(lines) == 1 and lines[0].startswith("kensa: ")
                      and lines[0].endswith(": read-only database"),
                      "exit %d, stderr %r" % (rc, err.strip()[:300]))
        if layout != "wal":
            rep.check("%s: the file is unchanged" % layout, digest(db) == before)
            rep.check("%s: nothing made beside it" % layout, sorted(os.listdir(d)) == files,
                      "%s, was %s" % (sorted(os.listdir(d)), files))
    finally:
        if writer:
            writer.close()
        os.chmod(d, 0o755)


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    if ROOT and not shutil.which("setpriv"):
        rep.fail("setpriv", "running as root needs setpriv (util-linux) to drop privileges")
        return rep.finish()
    rep.note("reading as %s" % ("nobody (setpriv from root)" if ROOT else "this user, modes read-only"))
    try:
        for layout in ("dir", "file", "wal"):
            check_layout(rep, layout)
    finally:
        for dirpath, dirnames, _ in os.walk(TMP):
            for n in dirnames:
                os.chmod(os.path.join(dirpath, n), 0o755)
        shutil.rmtree(TMP, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
