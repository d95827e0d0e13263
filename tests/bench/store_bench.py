"""make bench, the case store (issue 16): SQLite against PostgreSQL over the
local socket of a throwaway cluster (tests/pg/cluster.sh), in the same run:

  case add    `kensa case add 1 FILES...` of 1,000 generated messages (one
              process; kensa analyses each and stores it: raw bytes, report,
              findings, attachments, IOCs)
  notes       10,000 notes written by two processes at once, 5,000 each, one
              transaction per note (build/bench/store_bench notes)
  search      a two-word search over the 10,000 notes and 1,000 messages
              (store_bench search, best of 5), and `kensa case search` as an
              analyst runs it (best of 5, a process each)
  workbench   time to the first screen with that store: a message (its
              analysis reads the store's knowledge and seen-before hashes) and
              the case list, through tmux (tui_bench.py's method, best of 5)

Targets: PostgreSQL within 3x of SQLite for case add, notes and search; the
workbench's first screen under 50 ms with PostgreSQL.  Prints a table and
one PASS/FAIL line per target; exit 0 when a target is missed, 1 when a
command fails, 2 when the cluster does not start (SKIP when PostgreSQL is
not installed).

  python3 tests/bench/store_bench.py --kensa ./kensa --tool build/bench/store_bench"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import tui_bench  # noqa: E402

MESSAGES = 1000
NOTES_EACH = 5000


def gen_messages(dirname, n):
    """n small reports: a Japanese payment-change request or an English
    invoice notice, each with its own Message-ID, sender and link."""
    os.makedirs(dirname)
    paths = []
    for i in range(n):
        ja = i % 2 == 0
        subj = "【至急】振込先口座変更のお願い %d" % i if ja else "Invoice %d overdue" % i
        body = ("いつもお世話になっております。経理部の田中です。\n振込先口座を変更しましたので、"
                "本日中に下記へお振込みください。\nhttps://pay-%d.example-kaisha.jp/change\n" % i
                if ja else
                "Please settle invoice %d today at https://billing-%d.example.net/pay\n" % (i, i))
        msg = ("From: =?UTF-8?B?55Sw5Lit?= <tanaka%d@example-kaisha.jp>\r\n"
               "To: keiri@example.co.jp\r\nSubject: %s\r\n"
               "Date: Mon, 02 Dec 2024 09:%02d:00 +0900\r\nMessage-ID: <bench-%d@example-kaisha.jp>\r\n"
               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: 8bit\r\n\r\n%s" % (i, subj, i % 60, i, body))
        p = os.path.join(dirname, "m%04d.eml" % i)
        with open(p, "wb") as f:
            f.write(msg.encode("utf-8"))
        paths.append(p)
    return paths


def timed(argv, env):
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv[:3]), p.returncode,
                                                  p.stderr.decode("utf-8", "replace").strip()))
    return t, p.stdout.decode("utf-8", "replace")


def measure(label, store, a, paths, tmp):
    env = dict(os.environ, KENSA_DB=store, XDG_CONFIG_HOME=os.path.join(tmp, "cfg"),
               LC_ALL="C.UTF-8", KENSA_USER="bench")
    r = {}
    timed([a.kensa, "case", "new", "bench"], env)
    r["add"], _ = timed([a.kensa, "case", "add", "1"] + paths, env)
    t0 = time.perf_counter()
    procs = [subprocess.Popen([a.tool, "notes", store, "1", str(NOTES_EACH), who], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for who in ("analyst-a", "analyst-b")]
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError("store_bench notes: %s" % err.decode().strip())
    r["notes"] = time.perf_counter() - t0
    _, out = timed([a.tool, "search", store, "5", "振込先", "変更"], env)
    r["search_hits"] = int(out.split()[1])
    r["search"] = float(out.split()[3])
    best = None
    for _ in range(5):
        t, out = timed([a.kensa, "case", "search", "振込先", "変更"], env)
        best = t if best is None or t < best else best
    r["search_cli"] = best
    # the workbench through tmux
    tenv = dict(env, LANG="C.UTF-8", XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    for k in ("KENSA_THEME", "NO_COLOR", "TMUX"):
        tenv.pop(k, None)
    problems = []
    tm = tui_bench.Tmux(120, 40, tenv)
    try:
        base = tui_bench.baseline(tm, 5)
        t = tui_bench.first_screen(tm, a.kensa, os.path.join(ROOT, "samples",
                                                             "ceo_fraud_ja.eml"), 5, problems,
                                   base)
        r["wb_message"] = None if t is None else max(0.0, t - base)
        best = None
        for _ in range(5):
            t0 = time.perf_counter()
            tm.respawn(tui_bench.launch_cmd([a.kensa]))
            t, s = tui_bench.wait(tm, lambda s: "1 case" in s.split("\n")[0] and "bench" in s,
                                  t0, 60)
            if t is not None and (best is None or t < best):
                best = t
            tui_bench.quit_and_check(tm, ["q"], "case list", problems)
        r["wb_cases"] = None if best is None else max(0.0, best - base)
    finally:
        tm.kill()
    r["problems"] = problems
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kensa", default=os.path.join(ROOT, "kensa"))
    ap.add_argument("--tool", default=os.path.join(ROOT, "build", "bench", "store_bench"))
    a = ap.parse_args()
    a.kensa = os.path.abspath(a.kensa)
    a.tool = os.path.abspath(a.tool)
    # fsync on: a commit waits for the disk, as SQLite's synchronous=FULL does
    cluster = subprocess.run(["sh", os.path.join(ROOT, "tests", "pg", "cluster.sh"), "start"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, KENSA_PG_FSYNC="on"))
    if cluster.returncode != 0:
        print("store: no PostgreSQL test cluster: %s" % cluster.stderr.decode().strip())
        print("SKIP case store on PostgreSQL against SQLite")
        return 0 if b"no initdb" in cluster.stderr else 2
    pgdir = cluster.stdout.decode().strip()
    os.environ["PGPORT"] = open(os.path.join(pgdir, "port")).read().strip()
    tmp = tempfile.mkdtemp(prefix="kensa-bench-store.")
    try:
        paths = gen_messages(os.path.join(tmp, "mail"), MESSAGES)
        db = "bench_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", "-qX", "-h", pgdir + "/sock", "-U", "kensa", "-d", "postgres",
                        "-c", "CREATE DATABASE " + db], check=True)
        url = "postgresql://kensa@/%s?host=%s/sock" % (db, pgdir)
        res = {}
        for label, store in (("SQLite", os.path.join(tmp, "bench.db")), ("PostgreSQL", url)):
            res[label] = measure(label, store, a, paths, tmp)
    except RuntimeError as e:
        print("store bench: %s" % e)
        return 1
    finally:
        subprocess.run(["sh", os.path.join(ROOT, "tests", "pg", "cluster.sh"), "stop", pgdir])
        shutil.rmtree(tmp, ignore_errors=True)

    lite, pg = res["SQLite"], res["PostgreSQL"]
    print("case store: SQLite (WAL, synchronous=FULL) against PostgreSQL %s over its Unix socket"
          % subprocess.run(["psql", "--version"], stdout=subprocess.PIPE).stdout.decode().split()[2])
    print("  (a throwaway cluster in /tmp with fsync on; both on the same disk)")
    print("  %-46s %12s %12s %7s" % ("", "SQLite", "PostgreSQL", "ratio"))

    def row(name, key, unit=1.0, fmt="%10.2f s"):
        lv, pv = lite[key], pg[key]
        ratio = pv / lv if lv and pv is not None else float("nan")
        print("  %-46s %12s %12s %6.2fx" % (name, fmt % (lv * unit), fmt % (pv * unit), ratio))
        return ratio
    r_add = row("case add, %d messages (one process)" % MESSAGES, "add")
    r_notes = row("notes, %d by two processes at once" % (2 * NOTES_EACH), "notes")
    r_search = row("search over them (%d hits), in the store" % pg["search_hits"], "search",
                   1000, "%9.1f ms")
    row("kensa case search, a process", "search_cli", 1000, "%9.1f ms")
    row("workbench first screen, a message", "wb_message", 1000, "%9.1f ms")
    row("workbench first screen, the case list", "wb_cases", 1000, "%9.1f ms")
    ok = True
    for name, ratio in (("case add", r_add), ("notes", r_notes), ("search", r_search)):
        good = ratio <= 3
        ok = ok and good
        print("%s PostgreSQL within 3x of SQLite: %s (%.2fx)" % ("PASS" if good else "FAIL", name,
                                                                 ratio))
    for key, name in (("wb_message", "a message"), ("wb_cases", "the case list")):
        v = pg[key]
        good = v is not None and v < 0.050
        print("%s workbench first screen with PostgreSQL under 50 ms: %s (%s)" %
              ("PASS" if good else "FAIL", name, "not drawn" if v is None else "%.1f ms" % (v * 1000)))
    for p in lite["problems"] + pg["problems"]:
        print("problem: %s" % p)
    return 1 if lite["problems"] or pg["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
