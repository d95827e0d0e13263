#!/usr/bin/env python3
"""Times the workbench as a person sees it, through a private tmux server.

    python3 tests/bench/tui_bench.py --kensa K --typical EML --big EML --mbox MBOX

The binary has no timing of its own, so time is measured from outside: the
pane is respawned with the command and the screen is polled with
`tmux capture-pane` every POLL ms until the expected text is on it.  The same
is done for `printf READY` (the cost of tmux starting a command and of
polling); that baseline is subtracted.  Resolution: the poll interval plus one
capture (printed).

  first screen   summary bar (row 1, "BEC:"), the panes ("5 Body (") and the
                 key hints on the last row all drawn; best of --runs
  list           kensa MBOX: time to the first screen and until the title says
                 all N messages are loaded (no "(loading)"); then 200 Down,
                 50 PgDn and G in one burst, then g; each burst ends with ?,
                 and the time until the help overlay shows is the time for the
                 whole burst (keys are read in order); the position is checked
                 after each burst.  Also the latency of single Down keys.
  redraw         bytes kensa writes to the terminal (tmux pipe-pane) for one
                 Down in the list and one Tab in the message view, against the
                 bytes of its first screen.

Prints a report, then lines "RESULT key value" for bench_tui.sh.  Exit 0;
1 when kensa does not exit cleanly (a crash), 2 when tmux cannot be driven.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

POLL = 0.005


class Tmux:
    def __init__(self, w, h, env):
        self.sock = "kensa-bench-%d" % os.getpid()
        self.env = env
        self.run("-f", "/dev/null", "new-session", "-d", "-x", str(w), "-y", str(h),
                 "-s", "bench", "sleep 100000")
        self.run("set-option", "-g", "status", "off")
        self.run("set-option", "-g", "remain-on-exit", "on")
        self.target = "bench:0.0"

    def run(self, *args, check=True):
        r = subprocess.run(["tmux", "-L", self.sock] + list(args), env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (" ".join(args[:2]), r.stderr.decode(errors="replace")))
        return r.stdout.decode("utf-8", errors="replace")

    def screen(self, escapes=False):
        a = ["capture-pane", "-p", "-t", self.target]
        if escapes:
            a.insert(2, "-e")
        return self.run(*a)

    def respawn(self, cmd):
        self.run("respawn-pane", "-k", "-t", self.target, cmd)

    def keys(self, *keys):
        self.run("send-keys", "-t", self.target, *keys)

    def kill(self):
        # the socket file stays behind after kill-server: remove it too
        path = self.run("display-message", "-p", "#{socket_path}", check=False).strip()
        self.run("kill-server", check=False)
        if path.endswith("/" + self.sock):
            try:
                os.unlink(path)
            except OSError:
                pass


def wait(tm, pred, t0, timeout, escapes=False):
    """Polls until pred(screen) holds; returns (seconds since t0, screen)."""
    end = time.perf_counter() + timeout
    while True:
        s = tm.screen(escapes)
        now = time.perf_counter()
        if pred(s):
            return now - t0, s
        if now > end:
            return None, s
        time.sleep(POLL)


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def launch_cmd(argv):
    # the exit status shows on the screen once kensa ends (a crash is a signal)
    return " ".join(sh_quote(a) for a in argv) + "; echo; echo kensa-exit=$?; sleep 100000"


def first_screen_ok(s):
    lines = s.rstrip("\n").split("\n")
    return (len(lines) > 2 and "BEC:" in lines[0] and "5 Body (" in s
            and "? help" in lines[-1])


def quit_and_check(tm, quit_keys, name, problems):
    for k in quit_keys:
        tm.keys(k)
        time.sleep(0.05)
    t, s = wait(tm, lambda s: "kensa-exit=" in s, time.perf_counter(), 10)
    m = re.search(r"kensa-exit=(\d+)", s)
    if not m:
        problems.append("%s: kensa did not exit on q" % name)
    elif m.group(1) != "0":
        problems.append("%s: kensa exited with status %s" % (name, m.group(1)))


def baseline(tm, runs):
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        tm.respawn("printf READY; sleep 100000")
        t, _ = wait(tm, lambda s: "READY" in s, t0, 10)
        if t is not None and (best is None or t < best):
            best = t
    return best


def first_screen(tm, kensa, path, runs, problems, base):
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        tm.respawn(launch_cmd([kensa, path]))
        t, s = wait(tm, first_screen_ok, t0, 60)
        if t is None:
            problems.append("%s: first screen not drawn in 60 s" % path)
            print("    last screen:\n" + "\n".join("    | " + l for l in s.split("\n")[:8]))
            quit_and_check(tm, ["q", "q"], path, problems)
            return None
        if best is None or t < best:
            best = t
        quit_and_check(tm, ["q"], path, problems)
    return best


def pipe_bytes(tm, path, action, settle):
    """Bytes the pane's program writes while action() runs."""
    try:
        os.unlink(path)
    except OSError:
        pass
    tm.run("pipe-pane", "-o", "-t", tm.target, "cat >> " + sh_quote(path))
    time.sleep(0.1)
    action()
    time.sleep(settle)
    tm.run("pipe-pane", "-t", tm.target)  # closes the pipe
    time.sleep(0.1)
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def rows(s):
    return s.rstrip("\n").split("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kensa", required=True)
    ap.add_argument("--typical", required=True)
    ap.add_argument("--big", required=True)
    ap.add_argument("--mbox", required=True)
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--load-timeout", type=float, default=600)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="kensa-bench-tui.")
    env = dict(os.environ)
    for k in ("KENSA_THEME", "NO_COLOR", "TMUX"):
        env.pop(k, None)
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", XDG_CONFIG_HOME=tmp + "/config",
               XDG_CACHE_HOME=tmp + "/cache", XDG_DATA_HOME=tmp + "/data",
               KENSA_DB=tmp + "/data/kensa.db")
    W, H = 120, 40
    problems = []
    res = {}
    try:
        tm = Tmux(W, H, env)
    except (RuntimeError, OSError) as e:
        print("tui bench: cannot start tmux: %s" % e, file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        return 2
    try:
        # resolution: the cost of one capture plus the poll interval
        c = []
        for _ in range(20):
            t0 = time.perf_counter()
            tm.screen()
            c.append(time.perf_counter() - t0)
        cap = statistics.median(c)
        base = baseline(tm, a.runs)
        res["poll_ms"] = POLL * 1000
        res["capture_ms"] = cap * 1000
        res["baseline_ms"] = base * 1000
        print("workbench: %dx%d in a private tmux server; wall time from respawn-pane to the" % (W, H))
        print("  screen, polled every %.0f ms (one capture-pane takes %.1f ms: resolution ~%.0f ms);"
              % (POLL * 1000, cap * 1000, POLL * 1000 + cap * 1000))
        print("  minus the same for `printf READY` (%.1f ms, tmux starting a command); best of %d"
              % (base * 1000, a.runs))

        # 1. first screen
        for key, path in (("typical", a.typical), ("big", a.big)):
            t = first_screen(tm, a.kensa, path, a.runs, problems, base)
            if t is not None:
                res["first_%s_ms" % key] = max(0.0, (t - base) * 1000)
                res["first_%s_raw_ms" % key] = t * 1000
                print("  first screen %-40s %7.1f ms  (raw %.1f ms, %.1f MB)"
                      % (os.path.basename(path), res["first_%s_ms" % key], t * 1000,
                         os.path.getsize(path) / 1e6))

        # 2. redraw: bytes for one Tab in the message view vs the first screen
        def open_typical():
            tm.respawn(launch_cmd([a.kensa, a.typical]))
            wait(tm, first_screen_ok, time.perf_counter(), 60)
        first_bytes = pipe_bytes(tm, tmp + "/first.out", open_typical, 0.3)
        tab = []
        for _ in range(6):
            tab.append(pipe_bytes(tm, tmp + "/tab.out", lambda: tm.keys("Tab"), 0.2))
        quit_and_check(tm, ["q"], "redraw", problems)
        res["first_bytes"] = first_bytes
        res["tab_bytes"] = statistics.median(tab) if tab else 0

        # 3. the message list
        n = a.messages
        done_re = re.compile(r"— %d messages, sorted by" % n)
        t0 = time.perf_counter()
        tm.respawn(launch_cmd([a.kensa, a.mbox]))
        t_first, s = wait(tm, lambda s: " messages" in rows(s)[0] and "SUBJECT" in s, t0, 60)
        t_loaded, s = wait(tm, lambda s: done_re.search(rows(s)[0]) is not None, t0, a.load_timeout)
        if t_first is not None:
            res["list_first_ms"] = max(0.0, (t_first - base) * 1000)
        if t_loaded is None:
            problems.append("list: %d messages not loaded in %.0f s (title: %s)"
                            % (n, a.load_timeout, rows(s)[0].strip()))
        else:
            res["list_load_s"] = t_loaded
            first_page = rows(tm.screen())[2:H - 2]
            # single Down keys: latency until the screen (with attributes) changes
            lat = []
            for i in range(40):
                before = tm.screen(True)
                t0 = time.perf_counter()
                tm.keys("Down")
                t, _ = wait(tm, lambda s: s != before, t0, 5, escapes=True)
                if t is not None:
                    lat.append(t)
            tm.keys("g")
            time.sleep(0.3)
            # bytes for one Down
            down = []
            for _ in range(6):
                down.append(pipe_bytes(tm, tmp + "/down.out", lambda: tm.keys("Down"), 0.2))
            tm.keys("g")
            time.sleep(0.3)
            # bursts
            burst = ["Down"] * 200 + ["NPage"] * 50 + ["G"]
            t0 = time.perf_counter()
            tm.keys(*burst)
            tm.keys("?")
            t1, _ = wait(tm, lambda s: "kensa workbench keys" in s, t0, 60)
            tm.keys("q")
            _, s1 = wait(tm, lambda s: "kensa workbench keys" not in s, time.perf_counter(), 10)
            last_page = rows(s1)[2:H - 2]
            t0 = time.perf_counter()
            tm.keys("g", "?")
            t2, _ = wait(tm, lambda s: "kensa workbench keys" in s, t0, 60)
            tm.keys("q")
            _, s2 = wait(tm, lambda s: "kensa workbench keys" not in s, time.perf_counter(), 10)
            top_again = rows(s2)[2:H - 2]
            nkeys = len(burst) + 1 + 2  # the burst and ?, then g and ?
            if t1 is None or t2 is None:
                problems.append("list: a key burst was not processed in 60 s")
            else:
                res["burst_ms"] = (t1 + t2) * 1000
                res["burst_keys"] = nkeys
                res["ms_per_key"] = (t1 + t2 - 2 * base) * 1000 / nkeys if t1 + t2 > 2 * base \
                    else (t1 + t2) * 1000 / nkeys
            res["scrolled_to_end"] = int(last_page != first_page)
            res["back_to_top"] = int(top_again == first_page)
            if lat:
                lat.sort()
                res["down_median_ms"] = statistics.median(lat) * 1000
                res["down_p95_ms"] = lat[min(len(lat) - 1, int(len(lat) * 0.95))] * 1000
            res["down_bytes"] = statistics.median(down) if down else 0
            print("  message list %-40s first screen %.0f ms; all %d loaded after %.1f s"
                  % (os.path.basename(a.mbox), res.get("list_first_ms", -1), n, t_loaded))
            if "ms_per_key" in res:
                print("    %d keys (200 Down, 50 PgDn, G, ?, g, ?) in %.0f ms: %.2f ms per key;"
                      " end reached: %s, back to the top: %s"
                      % (nkeys, res["burst_ms"], res["ms_per_key"],
                         "yes" if res["scrolled_to_end"] else "NO",
                         "yes" if res["back_to_top"] else "NO"))
            if lat:
                print("    one Down at a time: median %.1f ms, p95 %.1f ms to the changed screen"
                      " (raw, includes tmux ~%.0f ms)" % (res["down_median_ms"], res["down_p95_ms"],
                                                          base * 1000))
        quit_and_check(tm, ["q"], "list", problems)
        print("  redraw: first screen of %s %d bytes; Tab (pane focus) %d bytes; Down in the list"
              " %d bytes" % (os.path.basename(a.typical), res["first_bytes"], res["tab_bytes"],
                             res.get("down_bytes", -1)))
    finally:
        tm.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    for p in problems:
        print("  problem: " + p)
    for k, v in sorted(res.items()):
        print("RESULT %s %s" % (k, v))
    crashed = any("exited with status" in p or "did not exit" in p for p in problems)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
