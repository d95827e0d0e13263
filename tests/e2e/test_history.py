"""A case's history (issue 16, item 2): who changed its verdict, status,
title and BEC type, and when.  The analyst is $KENSA_USER, else the
config's author, else $USER; two analysts changing the verdict in turn both
stay in the history and the last write stands; setting a field to the value
it has records nothing; `case show` lists the history oldest first.  Each
row of what the analysts know (protected domains, allowed infrastructure,
contacts, registrations) names who added it or changed it last."""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import Reporter, binary_usable, kensa, new_store  # noqa: E402

TMP = tempfile.mkdtemp(prefix="kensa-history-")
DB = new_store(TMP, "k.db")


def k(user, *args, author=None):
    env = dict(os.environ, KENSA_DB=DB, LC_ALL="C.UTF-8", USER="osuser",
               XDG_CONFIG_HOME=os.path.join(TMP, "cfg"))
    env.pop("KENSA_USER", None)
    if user:
        env["KENSA_USER"] = user
    p = subprocess.run([kensa()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def history(out):
    part = out.split("\nhistory (")[1].split("\n\n")[0] if "\nhistory (" in out else ""
    return [re.sub(r"^\s*\S+\s+", "", l) for l in part.splitlines()[1:]]


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    k(None, "case", "new", "請求書の振込先変更")
    rc, out, _ = k(None, "case", "show", "1")
    rep.check("a new case has no history yet", "\nhistory (" not in out, out)
    k("alice", "case", "verdict", "1", "suspicious")
    k("bob", "case", "verdict", "1", "bec")
    k("bob", "case", "verdict", "1", "bec")  # the same value: nothing to record
    k(None, "case", "rename", "1", "BEC: 小金部品")
    k("carol", "case", "close", "1")
    rc, out, _ = k(None, "case", "show", "1")
    h = history(out)
    rep.check("the history, oldest first, with who and what",
              h == ["alice  verdict: undecided → suspicious", "bob  verdict: suspicious → bec",
                    "osuser  title: 請求書の振込先変更 → BEC: 小金部品",
                    "carol  status: open → closed"], h)
    rep.check("the last write stands", "verdict bec" in out and "status closed" in out, out[:200])
    os.makedirs(os.path.join(TMP, "cfg", "kensa"), exist_ok=True)
    with open(os.path.join(TMP, "cfg", "kensa", "config"), "w") as f:
        f.write("author = 佐藤 花子\n")
    k(None, "case", "reopen", "1")
    rc, out, _ = k(None, "case", "show", "1")
    rep.check("the config's author when KENSA_USER is unset",
              history(out)[-1] == "佐藤 花子  status: closed → open", history(out))

    # what the analysts know: each row says who added it, or changed it last
    k("alice", "protect", "add", "hoshizora-denko.co.jp", "--label", "星空電工")
    k("alice", "allow", "add", "sendgrid.net")
    k("dave", "contact", "add", "山田 太郎", "taro.yamada@hoshizora-denko.co.jp")
    k("erin", "domain", "add", "hoshizora-denk0.co.jp", "--registered", "2024-12-05T10:00:00+09:00")
    rc, before, _ = k(None, "protect", "list")
    k("bob", "protect", "add", "hoshizora-denko.co.jp", "--label", "星空電工（本社）")
    rc, after, _ = k(None, "protect", "list")
    rep.check("a knowledge row names who added it, then who changed it last",
              "星空電工  (by alice)" in before and "星空電工（本社）  (by bob)" in after,
              before + after)
    lists = "".join(k(None, what, "list")[1] for what in ("allow", "contact", "domain"))
    rep.check("allow, contact and domain rows name theirs",
              "sendgrid.net" in lists and "(by alice)" in lists and
              "<taro.yamada@hoshizora-denko.co.jp>  (by dave)" in lists and "(by erin)" in lists,
              lists)
    subprocess.run(["rm", "-rf", TMP])
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
