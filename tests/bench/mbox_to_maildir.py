#!/usr/bin/env python3
"""The bench mailbox as a Maildir, for `mu index` (make bench).

Usage: mbox_to_maildir.py MBOX DIR

Splits the mboxrd file at its "From " lines, undoes the ">From " quoting
(one '>' off every line that is '>'* then "From "), and writes message N to
DIR/cur/N:2,S (Maildir's "seen" flag), with DIR/new and DIR/tmp empty.  The
bytes of each message are the ones `kensa scan MBOX` reads.  A DIR/.stamp
holding the mailbox's size and mtime says it is up to date: then nothing
is written."""

import os
import re
import shutil
import sys

QUOTED = re.compile(rb"^>+From ")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mbox_to_maildir.py MBOX DIR")
    mbox, out = sys.argv[1], sys.argv[2]
    st = os.stat(mbox)
    stamp = "%d %d\n" % (st.st_size, st.st_mtime_ns)
    try:
        with open(os.path.join(out, ".stamp")) as f:
            if f.read() == stamp:
                return
    except OSError:
        pass
    shutil.rmtree(out, ignore_errors=True)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(out, sub))
    n = 0
    msg = None

    def flush():
        if msg is not None:
            with open(os.path.join(out, "cur", "%05d:2,S" % n), "wb") as f:
                f.writelines(msg)

    with open(mbox, "rb") as f:
        for line in f:
            if line.startswith(b"From "):
                flush()
                n += 1
                msg = []
                continue
            if msg is None:
                continue
            msg.append(line[1:] if QUOTED.match(line) else line)
    flush()
    with open(os.path.join(out, ".stamp"), "w") as f:
        f.write(stamp)


if __name__ == "__main__":
    main()
