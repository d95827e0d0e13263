"""The team's case store on PostgreSQL (issue 16), against the throwaway
cluster of tests/pg/cluster.sh (KENSA_TEST_PG is its socket directory; run
by tests/run.sh's pg step, which also runs the case, history, dump and export
e2e tests on it).  What is checked here is what only a server has:

- the config's [db] url selects the server, $KENSA_DB wins over it;
- a server that is down, that refuses the password, whose certificate
  cannot be verified as the URL asks, or that goes away while kensa waits to
  write: exit 4, one line, no password in it, and the note is not there;
- sslmode=require gives a TLS session;
- libpq's password file is where the password comes from;
- a store newer than this build is refused; an older one is migrated;
- two processes writing notes to one case while a third kills one of them
  with SIGKILL: every note reported saved is there (on SQLite too);
- a laptop's cases go to the server and back, whole;
- the trigram indexes are there, and Japanese notes are found."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e", "lib"))
from kensa_e2e import PG_SOCKET, Reporter, binary_usable, kensa, new_store, store_rows  # noqa

TMP = tempfile.mkdtemp(prefix="kensa-pg-test-")
SECRET = "Secret-pw-0123"


def run(store, *args, env=None, timeout=120):
    e = dict(os.environ, KENSA_DB=store, XDG_CONFIG_HOME=os.path.join(TMP, "cfg"),
             LC_ALL="C.UTF-8")
    e.pop("KENSA_USER", None)
    e.update(env or {})
    if store is None:
        e.pop("KENSA_DB")
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=e, stdin=subprocess.DEVNULL, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def one_line(err):
    return len(err.strip().splitlines()) == 1 and err.startswith("kensa: ")


def psql(sql, db="postgres"):
    return subprocess.run(["psql", "-qXAt", "-h", PG_SOCKET, "-U", "kensa", "-d", db, "-c", sql],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True
                          ).stdout.decode().strip()


def failures(rep):
    # down: a socket directory with no server behind it
    down = "postgresql://alice:%s@/kensa?host=%s" % (SECRET, os.path.join(TMP, "nosuchdir"))
    rc, out, err = run(down, "case", "list")
    rep.check("a server that is down: exit 4, one line", rc == 4 and one_line(err), err)
    rep.check("the URL's password is never printed", SECRET not in err and SECRET not in out, err)
    rc, out, err = run(down, "analyze", os.path.join(os.path.dirname(__file__), "..", "..",
                                                     "samples", "ceo_fraud_ja.eml"))
    rep.check("analyze with the server down warns and goes on",
              rc == 0 and "kensa: database" in err and SECRET not in err, err)

    # authentication: alice logs in with a password only, from libpq's file
    alice_db = "alice_" + uuid.uuid4().hex[:12]
    psql("CREATE DATABASE %s OWNER alice" % alice_db)
    pw = open(os.path.join(os.path.dirname(PG_SOCKET), "alice.pw")).read().strip()
    url = "postgresql://alice@/%s?host=%s" % (alice_db, PG_SOCKET)
    wrong = os.path.join(TMP, "wrong.pgpass")
    right = os.path.join(TMP, "right.pgpass")
    for path, word in ((wrong, "not-" + pw), (right, pw)):
        with open(path, "w") as f:
            f.write("*:*:*:alice:%s\n" % word)
        os.chmod(path, 0o600)
    rc, out, err = run(url, "case", "new", "x", env={"PGPASSFILE": wrong})
    rep.check("a refused password: exit 4, one line, no password shown",
              rc == 4 and one_line(err) and "password authentication failed" in err and
              pw not in err, err)
    rc, out, err = run(url, "case", "new", "アリスの案件", env={"PGPASSFILE": right})
    rep.check("the password comes from PGPASSFILE", rc == 0 and out.strip() == "1", out + err)
    rep.check("the case is in alice's database",
              psql("SELECT title FROM cases", alice_db) == "アリスの案件",
              psql("SELECT count(*) FROM cases", alice_db))

    # TLS, over the loopback port, as the URL's sslmode asks
    cluster = os.path.dirname(PG_SOCKET)
    port = open(os.path.join(cluster, "port")).read().strip()
    log = os.path.join(PG_SOCKET, "server.log")
    before = open(log, encoding="utf-8", errors="replace").read().count("SSL enabled")
    rc, out, err = run("postgresql://kensa@127.0.0.1:%s/%s?sslmode=require" % (port, alice_db),
                       "case", "list")
    after = open(log, encoding="utf-8", errors="replace").read().count("SSL enabled")
    rep.check("sslmode=require: the session is TLS", rc == 0 and after > before,
              "rc %d, %d TLS sessions logged before, %d after: %s" % (rc, before, after, err))
    rc, out, err = run("postgresql://kensa@127.0.0.1:%s/%s?sslmode=verify-full&sslrootcert=%s"
                       % (port, alice_db, os.path.join(TMP, "no-such-ca.crt")), "case", "list")
    rep.check("sslmode=verify-full without the CA's certificate: exit 4, one line",
              rc == 4 and one_line(err) and "root certificate" in err, err)


def gone_mid_write(rep):
    """The server ends kensa's session while its note waits for the write
    lock (another session holds it): not saved, said, exit 4."""
    store = new_store(TMP, "x")
    db = store.split("/")[3].split("?")[0]
    run(store, "case", "new", "lock")
    holder = subprocess.Popen(["psql", "-qX", "-h", PG_SOCKET, "-U", "kensa", "-d", db, "-c",
                               "BEGIN; SELECT pg_advisory_xact_lock(461229253473);"
                               " SELECT pg_sleep(30); COMMIT;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    result = {}

    def note():
        result["r"] = run(store, "case", "note", "1", "never saved")
    t = threading.Thread(target=note)
    t.start()
    waited = 0
    while waited < 100 and psql("SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                                " 'kensa' AND wait_event_type = 'Lock'") != "1":
        time.sleep(0.1)
        waited += 1
    psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name ="
         " 'kensa'")
    t.join(60)
    holder.kill()
    holder.wait()
    rc, out, err = result.get("r", (None, "", ""))
    rep.check("the server gone while writing: exit 4, one line", rc == 4 and one_line(err),
              "%r %s" % (rc, err))
    rep.check("and the note is not there",
              store_rows(store, "SELECT count(*) FROM notes") == [(0,)],
              store_rows(store, "SELECT text FROM notes"))


def versions(rep):
    store = new_store(TMP, "v")
    run(store, "case", "new", "versions")
    v = store_rows(store, "SELECT version FROM kensa_schema")[0][0]
    # as a build of schema 5 left it: no history table, no knowledge authors
    store_rows(store, "DROP TABLE history")
    for table in ("domains", "protected_domains", "contacts", "allowed"):
        store_rows(store, "ALTER TABLE %s DROP COLUMN added_by" % table)
    store_rows(store, "UPDATE kensa_schema SET version = 5 RETURNING version")
    rc, out, err = run(store, "case", "verdict", "1", "malicious")
    rep.check("an older schema is migrated on open",
              rc == 0 and store_rows(store, "SELECT version FROM kensa_schema") == [(v,)] and
              store_rows(store, "SELECT field, new FROM history") == [("verdict", "malicious")],
              out + err)
    store_rows(store, "UPDATE kensa_schema SET version = 999 RETURNING version")
    rc, out, err = run(store, "case", "list")
    rep.check("a newer schema is refused: exit 4", rc == 4 and "newer than this kensa" in err, err)


def concurrent_notes(rep, store, label, rounds=60):
    """Two writers add notes to case 1 in a loop; the first's kensa is
    killed with SIGKILL now and then.  Every note a writer saw saved must be
    in the store; a killed one may or may not be."""
    run(store, "case", "new", "together")
    saved = {"a": [], "b": []}
    procs = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(name):
        e = dict(os.environ, KENSA_DB=store, XDG_CONFIG_HOME=os.path.join(TMP, "cfg"),
                 KENSA_USER=name, LC_ALL="C.UTF-8")
        for i in range(rounds):
            text = "%s-%d 同時に書いたメモ" % (name, i)
            p = subprocess.Popen([kensa(), "case", "note", "1", text], env=e,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 stdin=subprocess.DEVNULL)
            with lock:
                procs[name] = p
            out, _ = p.communicate(timeout=120)
            if p.returncode == 0 and b"saved to case 1" in out:
                saved[name].append(text)

    def killer():
        n = 0
        while not stop.is_set():
            time.sleep(0.05 + (n % 5) * 0.01)
            n += 1
            with lock:
                p = procs.get("a")
            if p and p.poll() is None and n % 3 == 0:
                try:
                    p.send_signal(signal.SIGKILL)
                except ProcessLookupError:
                    pass

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    k = threading.Thread(target=killer)
    for t in threads + [k]:
        t.start()
    for t in threads:
        t.join(600)
    stop.set()
    k.join()
    stored = [r[0] for r in store_rows(store, "SELECT text FROM notes WHERE case_id = 1")]
    lost = [t for t in saved["a"] + saved["b"] if t not in stored]
    rep.check("%s: two writers and a SIGKILL: every note reported saved is there "
              "(%d + %d saved, %d killed or failed)" %
              (label, len(saved["a"]), len(saved["b"]), 2 * rounds - len(saved["a"]) -
               len(saved["b"])),
              not lost and len(saved["b"]) == rounds and len(set(stored)) == len(stored),
              "lost %r; b saved %d of %d" % (lost[:5], len(saved["b"]), rounds))
    rc, out, err = run(store, "case", "search", "同時に書いた")
    rep.check("%s: the Japanese notes are found" % label,
              rc == 0 and out.count("同時に書いたメモ") == len(stored), out[-300:] + err)


def config_url(rep):
    store = new_store(TMP, "cfg")
    cfg = os.path.join(TMP, "cfg", "kensa")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "config"), "w") as f:
        f.write("author = 設定の人\n\n[db]\nurl = %s  # the team's server\n" % store)
    rc, out, err = run(None, "case", "new", "設定から")
    rep.check("the config's [db] url selects the server",
              rc == 0 and store_rows(store, "SELECT title FROM cases") == [("設定から",)],
              out + err)
    local = os.path.join(TMP, "local.db")
    rc, out, err = run(local, "case", "new", "手元")
    rep.check("$KENSA_DB wins over the config",
              rc == 0 and os.path.exists(local) and
              store_rows(store, "SELECT count(*) FROM cases") == [(1,)], out + err)
    os.remove(os.path.join(cfg, "config"))


def laptop_and_back(rep):
    """A laptop's SQLite cases into the team's server, and back to a new
    laptop: the same cases, notes, history and knowledge at each step."""
    samples = os.path.join(os.path.dirname(__file__), "..", "..", "samples")
    laptop = os.path.join(TMP, "laptop.db")
    team = new_store(TMP, "team")
    back = os.path.join(TMP, "back.db")
    env = {"KENSA_USER": "hanako"}
    run(laptop, "case", "new", "請求書の振込先変更", env=env)
    run(laptop, "case", "add", "1", os.path.join(samples, "invoice_lookalike_thread.eml"), env=env)
    run(laptop, "case", "note", "1", "経理部に電話で確認済み", env=env)
    run(laptop, "case", "verdict", "1", "bec", env=env)
    run(laptop, "protect", "add", "hoshizora-denko.co.jp", "--label", "星空電工", env=env)

    def show(store):
        """The case's fields, notes and history as case show gives them (its
        messages are analysed again by the importing store, with what that
        store knows, and added at that time)."""
        out = run(store, "case", "show", "1")[1].split("\n\n")
        keep = [p for p in out if p.startswith(("case 1:", "notes (", "history ("))]
        return "\n\n".join(keep).splitlines()

    d1, d2 = os.path.join(TMP, "laptop.json"), os.path.join(TMP, "team.json")
    r1 = run(laptop, "db", "export", d1)
    r2 = run(team, "db", "import", d1, env={"KENSA_USER": "importer"})
    r3 = run(team, "db", "export", d2)
    r4 = run(back, "db", "import", d2, env={"KENSA_USER": "importer"})
    rep.check("SQLite to PostgreSQL and back: every step exits 0",
              [r[0] for r in (r1, r2, r3, r4)] == [0, 0, 0, 0],
              [r[2] for r in (r1, r2, r3, r4)])
    rep.check("the case, its note, verdict and history the same on each",
              show(laptop) == show(team) == show(back) and "経理部に電話で確認済み" in
              "\n".join(show(back)), (show(laptop), show(team), show(back)))
    rep.check("the knowledge with its author",
              run(back, "protect", "list")[1] == run(laptop, "protect", "list")[1] and
              "(by hanako)" in run(team, "protect", "list")[1], run(back, "protect", "list")[1])


def indexes(rep, store):
    names = {r[0] for r in store_rows(store, "SELECT indexname FROM pg_indexes")}
    want = {"cases_search", "messages_search", "notes_search"}
    rep.check("pg_trgm's trigram indexes serve the search", want <= names, sorted(names))


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    if not PG_SOCKET:
        rep.check("KENSA_TEST_PG names the test cluster (tests/run.sh's pg step sets it)", False,
                  "unset")
        return rep.finish()
    failures(rep)
    gone_mid_write(rep)
    versions(rep)
    config_url(rep)
    laptop_and_back(rep)
    store = new_store(TMP, "n")
    concurrent_notes(rep, store, "PostgreSQL")
    indexes(rep, store)
    concurrent_notes(rep, os.path.join(TMP, "notes.db"), "SQLite")
    return rep.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        subprocess.run(["rm", "-rf", TMP])
