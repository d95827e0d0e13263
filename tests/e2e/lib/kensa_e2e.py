"""Shared helpers for the end-to-end tests in tests/e2e/*.py.

It lives in a subdirectory so tests/run.sh (which runs every tests/e2e/*.py) does
not take it for a test.  What is here: finding the binary (KENSA, default
./kensa at the top of the tree), running it with a timeout, the "ok NAME" /
"FAIL NAME: WHY" output protocol that tests/run.sh tallies, and the report
look-ups the expect files use (path look-ups, attachment names anywhere in the
tree, rule ids anywhere a nested report carries findings)."""

import json
import os
import re
import sqlite3
import subprocess
import uuid

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# The shared real-world files, found as tests/unit/testlib.h finds them: the
# first of $KENSA_CORPORA, ../shared/corpora beside the tree, and
# /work/shared/corpora (a git worktree elsewhere) that is a directory.
CORPORA = next((d for d in (os.environ.get("KENSA_CORPORA"),
                            os.path.normpath(os.path.join(REPO, "..", "shared", "corpora")),
                            "/work/shared/corpora") if d and os.path.isdir(d)),
               os.path.normpath(os.path.join(REPO, "..", "shared", "corpora")))
SAMPLES = os.path.join(REPO, "samples")

# SPEC.md "The report": top-level keys, in this order where present
TOP_KEYS = ["schema", "source", "message", "headers", "auth", "hops", "body",
            "attachments", "findings", "iocs", "timeline", "assessment"]
SUB_KEYS = {
    "source": ["path", "sha256", "size", "format"],
    "message": ["subject", "date", "message_id", "in_reply_to", "references", "from", "sender",
                "reply_to", "to", "cc", "return_path"],
    "auth": ["spf", "dkim", "dmarc", "dkim_domains"],
    "body": ["text", "links"],
    "assessment": ["score", "bec_type", "label"],
}
ITEM_KEYS = {
    "hops": ["index", "from", "by", "ip", "with", "id", "date", "delay_seconds"],
    "attachments": ["path", "filename", "declared_type", "detected_type", "size", "sha256", "md5",
                    "encrypted", "children", "metadata"],
    "findings": ["id", "severity", "title", "evidence", "location"],
    "iocs": ["kind", "value"],
    "timeline": ["time", "event", "source"],
}
SEVERITIES = ["info", "low", "medium", "high"]
RULE_ID_RE = re.compile(r"^[a-z]+\.[a-z0-9_]+$")
LOCATION_RE = re.compile(r"^(header:.+|hop:\d+|body|part:\d+(/\d+)*)$")
# what must never reach a terminal raw (DESIGN.md "Safety"): C0 controls but
# \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates, and marks
UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f"
                       "\u202a-\u202e\u2066-\u2069]")


# The throwaway PostgreSQL cluster's socket directory when tests/run.sh's
# "pg" step runs the case tests again on the PostgreSQL store (issue 16);
# unset, the stores are SQLite files.
PG_SOCKET = os.environ.get("KENSA_TEST_PG")
PG = bool(PG_SOCKET)


def new_store(tmp, name):
    """A fresh, empty case store for a test: the file tmp/name, or under the
    pg step a new database on the test cluster (its postgresql:// URL)."""
    if not PG:
        return os.path.join(tmp, name)
    db = "k_" + uuid.uuid4().hex[:16]
    subprocess.run(["psql", "-qX", "-h", PG_SOCKET, "-U", "kensa", "-d", "postgres",
                    "-c", "CREATE DATABASE " + db], check=True, stdout=subprocess.DEVNULL)
    return "postgresql://kensa@/%s?host=%s" % (db, PG_SOCKET)


def store_rows(store, query, params=()):
    """The rows of query on a store (a file or a postgresql:// URL), each a
    tuple; ? placeholders take params (ints and strings).  A bytea column comes
    back as bytes from either engine."""
    if not store.startswith("postgresql://"):
        con = sqlite3.connect(store)
        try:
            rows = [tuple(r) for r in con.execute(query, params)]
            con.commit()
            return rows
        finally:
            con.close()
    parts = query.split("?")
    q = parts[0]
    for p, rest in zip(params, parts[1:]):
        q += (str(p) if isinstance(p, int) else "'" + str(p).replace("'", "''") + "'") + rest
    out = subprocess.run(["psql", "-qXAt", "-F", "\x1f", "-R", "\x1e", "-d", store, "-c", q],
                         check=True, stdout=subprocess.PIPE).stdout.decode("utf-8")
    rows = []
    for line in out.rstrip("\n").split("\x1e"):
        if not line:
            continue
        row = []
        for v in line.split("\x1f"):
            if v.startswith("\\x") and re.fullmatch(r"\\x[0-9a-f]*", v):
                row.append(bytes.fromhex(v[2:]))
            elif re.fullmatch(r"-?\d+", v):
                row.append(int(v))
            else:
                row.append(v)
        rows.append(tuple(row))
    return rows


def kensa():
    """The binary under test: $KENSA, else ./kensa at the top of the tree."""
    path = os.environ.get("KENSA") or os.path.join(REPO, "kensa")
    return os.path.abspath(path)


class Reporter:
    """Prints one line per check and a closing "N passed, M failed"."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("ok %s" % name, flush=True)

    def fail(self, name, why):
        self.failed += 1
        why = " ".join(str(why).split())
        if len(why) > 600:
            why = why[:600] + "..."
        print("FAIL %s: %s" % (name, why), flush=True)

    def check(self, name, ok, why=""):
        if ok:
            self.ok(name)
        else:
            self.fail(name, why)
        return ok

    def note(self, text):
        print("note %s" % text, flush=True)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0


def binary_usable(rep):
    """FAIL once, clearly, when the binary is missing; the caller then stops."""
    path = kensa()
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        rep.fail("binary", "%s is missing or not executable (build it, or set KENSA)" % path)
        return False
    return True


class Result:
    def __init__(self, rc, out, err, timed_out=False):
        self.rc, self.out, self.err, self.timed_out = rc, out, err, timed_out

    @property
    def err_text(self):
        return self.err.decode("utf-8", "replace")

    def describe(self):
        if self.timed_out:
            return "timed out"
        if self.rc < 0:
            return "killed by signal %d" % -self.rc
        tail = self.err_text.strip().splitlines()
        return "exit %d%s" % (self.rc, (", stderr: " + tail[-1][:200]) if tail else "")


def run(args, timeout=60, cwd=None):
    """Runs kensa with args; never raises for the program's own failures."""
    try:
        p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=timeout, cwd=cwd or REPO)
        return Result(p.returncode, p.stdout, p.stderr)
    except subprocess.TimeoutExpired as e:
        return Result(None, e.stdout or b"", e.stderr or b"", timed_out=True)
    except OSError as e:
        return Result(127, b"", str(e).encode(), False)


def parse_report(out):
    """(report, None) or (None, why).  Keeps key order (dicts are ordered)."""
    if not out.strip():
        return None, "empty output"
    try:
        obj = json.loads(out.decode("utf-8"))
    except UnicodeDecodeError as e:
        return None, "output is not UTF-8: %s" % e
    except ValueError as e:
        return None, "output is not valid JSON: %s" % e
    if not isinstance(obj, dict):
        return None, "output is a JSON %s, not an object" % type(obj).__name__
    return obj, None


def parse_json_lines(out):
    """([objects], None) or (None, why): one JSON object per non-empty line."""
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, "output is not UTF-8: %s" % e
    objs = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line)
        except ValueError as e:
            return None, "line %d is not valid JSON: %s" % (n, e)
        if not isinstance(o, dict):
            return None, "line %d is not a JSON object" % n
        objs.append(o)
    return objs, None


def lookup(obj, path):
    """"message.from.0.name" -> obj["message"]["from"][0]["name"]; KeyError if absent."""
    cur = obj
    for part in path.split("."):
        if isinstance(cur, list):
            try:
                cur = cur[int(part)]
            except (ValueError, IndexError):
                raise KeyError("%s: no element %s" % (path, part))
        elif isinstance(cur, dict):
            if part not in cur:
                raise KeyError("%s: no key %r" % (path, part))
            cur = cur[part]
        else:
            raise KeyError("%s: %r is not a container" % (path, part))
    return cur


def walk_reports(obj):
    """Every dict in the JSON that carries a findings list: the report itself and
    any inner report (a forwarded message), wherever the writer nests it."""
    if isinstance(obj, dict):
        if isinstance(obj.get("findings"), list):
            yield obj
        for v in obj.values():
            yield from walk_reports(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk_reports(v)


def all_findings(report):
    out = []
    for r in walk_reports(report):
        out.extend(f for f in r["findings"] if isinstance(f, dict))
    return out


def rule_ids(report):
    return {f.get("id") for f in all_findings(report)}


def attachment_filenames(report):
    """File names anywhere in the attachment tree (children, nested reports)."""
    names = []

    def visit(node):
        if isinstance(node, dict):
            for key in ("attachments", "children"):
                for a in node.get(key) or []:
                    if isinstance(a, dict) and isinstance(a.get("filename"), str):
                        names.append(a["filename"])
            for v in node.values():
                visit(v)
        elif isinstance(node, list):
            for v in node:
                visit(v)

    visit(report)
    return names


def show(v, n=80):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."


def run_check(report, chk):
    """(ok, why) for one expect-file check: path+equals|contains|count|below|
    at_least, finding+severity (its highest, when it fired more than once),
    rule_at_most+severity, attachment_filename, any_of."""
    if "any_of" in chk:
        whys = []
        for sub in chk["any_of"]:
            ok, why = run_check(report, sub)
            if ok:
                return True, ""
            whys.append(why)
        return False, "none of: " + "; ".join(whys)
    if "rule_at_most" in chk:
        # every finding of the rule is at most this severe ("info" for a
        # hidden preheader: noted, never weighed)
        limit = SEVERITIES.index(chk["severity"])
        over = [f for f in all_findings(report) if f.get("id") == chk["rule_at_most"]
                and f.get("severity") in SEVERITIES and SEVERITIES.index(f["severity"]) > limit]
        if not over:
            return True, ""
        return False, "; ".join("%s %s: %s" % (f["severity"], f.get("location"),
                                               str(f.get("evidence"))[:120]) for f in over)
    if "finding" in chk:
        # {"finding": RULE, "severity": S}: the rule fired at that severity
        # (its highest, when it fired more than once)
        sevs = [f.get("severity") for f in all_findings(report) if f.get("id") == chk["finding"]]
        top = max(sevs, key=SEVERITIES.index) if sevs else None
        if top == chk["severity"]:
            return True, ""
        return False, "%s is %s, want %s" % (chk["finding"], top or "not reported", chk["severity"])
    if "attachment_filename" in chk:
        want = chk["attachment_filename"]
        names = attachment_filenames(report)
        if want in names:
            return True, ""
        return False, "no attachment named %s (have %s)" % (show(want), show(names, 200))
    path = chk["path"]
    try:
        val = lookup(report, path)
    except KeyError as e:
        return False, e.args[0]
    if "equals" in chk:
        want = chk["equals"]
        if val == want and type(val) is type(want):
            return True, ""
        return False, "%s is %s, want %s" % (path, show(val), show(want))
    if "contains" in chk:
        if isinstance(val, str) and chk["contains"] in val:
            return True, ""
        return False, "%s is %s, which lacks %s" % (path, show(val), show(chk["contains"]))
    if "below" in chk or "at_least" in chk:
        if not isinstance(val, (int, float)):
            return False, "%s is %s, not a number" % (path, show(val))
        if "below" in chk and not val < chk["below"]:
            return False, "%s is %s, want below %s" % (path, val, chk["below"])
        if "at_least" in chk and not val >= chk["at_least"]:
            return False, "%s is %s, want at least %s" % (path, val, chk["at_least"])
        return True, ""
    if "count" in chk:
        if isinstance(val, list) and len(val) == chk["count"]:
            return True, ""
        n = len(val) if isinstance(val, list) else "not a list"
        return False, "%s has %s items, want %d" % (path, n, chk["count"])
    return False, "unknown check %s" % show(chk)


def check_name(chk):
    if "any_of" in chk:
        return "any_of(" + ", ".join(check_name(c) for c in chk["any_of"]) + ")"
    if "rule_at_most" in chk:
        return "%s at most %s" % (chk["rule_at_most"], chk["severity"])
    if "attachment_filename" in chk:
        return "attachment %s" % chk["attachment_filename"]
    if "finding" in chk:
        return "%s is %s" % (chk["finding"], chk["severity"])
    for op in ("equals", "contains", "count", "below", "at_least"):
        if op in chk:
            return "%s %s" % (chk["path"], op)
    return show(chk)


def check_rules(rep, prefix, report, must, must_not):
    """One line per must rule, one line for all must_not rules."""
    found = rule_ids(report)
    for rule in must:
        rep.check("%s must %s" % (prefix, rule), rule in found,
                  "not reported (findings: %s)" % (", ".join(sorted(map(str, found))) or "none"))
    if must_not:
        fired = []
        for f in all_findings(report):
            if f.get("id") in must_not:
                fired.append("%s [%s] %s" % (f.get("id"), f.get("location"),
                                             str(f.get("evidence"))[:120]))
        rep.check("%s must_not (%d rules)" % (prefix, len(must_not)), not fired,
                  "reported: " + "; ".join(fired))


def ordered_subsequence(keys, order):
    """None if the known keys among `keys` appear in `order`'s order, else why."""
    known = [k for k in keys if k in order]
    want = [k for k in order if k in known]
    if known != want:
        return "order %s, want %s" % (" ".join(known), " ".join(want))
    return None


def unsafe_strings(obj, where="", out=None):
    """Paths of JSON strings that still hold terminal controls or bidi characters."""
    if out is None:
        out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            unsafe_strings(v, "%s.%s" % (where, k) if where else k, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            unsafe_strings(v, "%s.%d" % (where, i), out)
    elif isinstance(obj, str):
        m = UNSAFE_RE.search(obj)
        if m:
            out.append("%s (U+%04X)" % (where, ord(m.group())))
    return out


def unsafe_bytes(data):
    """Why raw output bytes could drive a terminal, or None."""
    text = data.decode("utf-8", "replace")
    m = UNSAFE_RE.search(text)
    if m:
        i = m.start()
        return "raw U+%04X at offset %d near %r" % (ord(m.group()), i, text[max(0, i - 30):i + 10])
    return None


def analyze_many(paths, timeout=600):
    """[(path, report or None, why)] for many single-message files, from one
    `kensa analyze MBOX --format json` over an mbox of them (mboxrd quoting,
    so the split is exact): one process instead of one per mail, which is
    what keeps the corpus tests inside CI's time under ASan.  When the run
    fails or its line count differs, each file is analysed alone."""
    import tempfile
    paths = list(paths)
    if not paths:
        return []
    fd, box = tempfile.mkstemp(prefix="kensa-many-", suffix=".mbox")
    try:
        with os.fdopen(fd, "wb") as f:
            for p in paths:
                with open(p, "rb") as src:
                    lines = src.read().splitlines(keepends=True)
                if lines and lines[0].startswith(b"From "):
                    lines = lines[1:]  # the file's own mbox separator
                f.write(b"From kensa-e2e@example.invalid Thu Jan  1 00:00:00 2026\n")
                for ln in lines:
                    if re.match(rb">*From ", ln):
                        ln = b">" + ln
                    f.write(ln)
                if lines and not lines[-1].endswith(b"\n"):
                    f.write(b"\n")
                f.write(b"\n")
        r = run(["analyze", box, "--format", "json"], timeout=timeout)
        objs, _ = parse_json_lines(r.out) if r.rc in (0, 1) else (None, None)
    finally:
        os.unlink(box)
    if objs is not None and len(objs) == len(paths):
        return [(p, o, None) for p, o in zip(paths, objs)]
    out = []
    for p in paths:
        r = run(["analyze", p, "--format", "json"])
        if r.rc not in (0, 1):
            out.append((p, None, r.describe()))
            continue
        rep, why = parse_report(r.out)
        out.append((p, rep, why))
    return out
