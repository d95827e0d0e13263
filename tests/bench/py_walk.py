#!/usr/bin/env python3
"""The Python baseline for `make bench`: what a short script with the
standard `email` package does to each message of an mbox.

    python3 py_walk.py MBOX [MAX_MESSAGES]

For each message (the mbox is split as a stream, mboxrd ">From " undone):
parse with email.message_from_bytes(policy=policy.default), decode every
header of the message and of every part (str(value)), walk every part,
decode its content (get_content() for text, get_payload(decode=True)
otherwise) and sha256 (hashlib) every non-text leaf part.

Prints "messages N bytes B" (B: raw message bytes walked).  MAX_MESSAGES
(default: all; also BENCH_PY_MESSAGES) stops after the first N messages.
"""

import email
import hashlib
import os
import re
import sys
from email import policy

UNQUOTE = re.compile(rb"^>(>*From )", re.M)


def messages(path):
    """Raw messages of an mbox, read line by line: From_ lines that start
    the file or follow an empty line separate them."""
    with open(path, "rb") as f:
        buf = []
        prev_blank = True
        for line in f:
            if prev_blank and line.startswith(b"From "):
                if buf:
                    yield finish(buf)
                buf = []
                prev_blank = False
                continue
            buf.append(line)
            prev_blank = line in (b"\n", b"\r\n")
        if buf:
            yield finish(buf)


def finish(lines):
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the separator's blank line
    raw = b"".join(lines)
    return UNQUOTE.sub(rb"\1", raw) if b">From " in raw else raw


def walk(raw):
    msg = email.message_from_bytes(raw, policy=policy.default)
    digests = []
    for part in msg.walk():
        for name, value in part.items():
            str(value)
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text":
            try:
                part.get_content()
            except (LookupError, UnicodeError):
                part.get_payload(decode=True)
        else:
            data = part.get_payload(decode=True) or b""
            digests.append(hashlib.sha256(data).hexdigest())
    return digests


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: py_walk.py MBOX [MAX_MESSAGES]\n")
        return 2
    limit = int(argv[2]) if len(argv) > 2 else int(os.environ.get("BENCH_PY_MESSAGES", "0") or 0)
    count = 0
    size = 0
    hashed = 0
    for raw in messages(argv[1]):
        if limit and count >= limit:
            break
        hashed += len(walk(raw))
        count += 1
        size += len(raw)
    print("messages %d bytes %d attachments %d" % (count, size, hashed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
