#!/usr/bin/env python3
"""IOC roles on real mail: what an export would tell a partner to block.

Over ../shared/corpora/phishing_pot/email (real phishing) and every fourth
mail of ../shared/corpora/sa_ham (real legitimate mail), `kensa analyze
--format json`; then a case of twenty phishing mails exported as a MISP event.
Never the attacker's (and so never to_ids):
  - the CDNs and script hosts legitimate pages load (code.jquery.com,
    ajax.googleapis.com, fonts.googleapis.com, cdnjs.cloudflare.com);
  - free-mail providers as domains (gmail.com, outlook.com, hotmail.com,
    yahoo.com, icloud.com);
  - the big providers' relay networks: Microsoft 2a01:111::/32 and
    2603:1000::/24, 40.107.0.0/16, 52.100.0.0/14; Google 209.85.128.0/17,
    2607:f8b0::/32;
  - private addresses;
  - a recipient's own mailbox.
The list is written here, apart from analyzers/data/benign_infrastructure.txt,
so a hole in the data file shows.
Usage: KENSA=path/to/kensa python3 tests/e2e/test_roles_corpus.py"""

import ipaddress
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from kensa_e2e import CORPORA, Reporter, analyze_many, binary_usable, kensa  # noqa: E402

SHARED_HOSTS = ["code.jquery.com", "ajax.googleapis.com", "fonts.googleapis.com",
                "cdnjs.cloudflare.com"]
FREEMAIL = ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com",
            "icloud.com"]
NETS = [ipaddress.ip_network(n) for n in ("2a01:111::/32", "2603:1000::/24", "40.107.0.0/16",
                                          "52.100.0.0/14", "209.85.128.0/17", "2607:f8b0::/32",
                                          "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                          "127.0.0.0/8", "fe80::/10", "fc00::/7")]


def host_of(url):
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].split("?", 1)[0].split("@")[-1].split(":")[0].lower()


def shared(kind, value):
    """Why value would be a wrong indicator, or None."""
    if kind == "domain" and (value in FREEMAIL or value in SHARED_HOSTS):
        return "shared domain"
    if kind == "url" and host_of(value) in SHARED_HOSTS:
        return "CDN URL"
    if kind == "ip":
        try:
            addr = ipaddress.ip_address(value)
        except ValueError:
            return None
        if any(addr in n for n in NETS if n.version == addr.version):
            return "provider relay or private address"
    return None


def main():
    rep = Reporter()
    if not binary_usable(rep):
        return rep.finish()
    phish_dir = os.path.join(CORPORA, "phishing_pot", "email")
    ham_dir = os.path.join(CORPORA, "sa_ham")
    if not os.path.isdir(phish_dir) or not os.path.isdir(ham_dir):
        rep.note("corpora missing: skipped")
        return rep.finish()
    phish = sorted(os.path.join(phish_dir, f) for f in os.listdir(phish_dir))
    ham = sorted(os.path.join(ham_dir, f) for f in os.listdir(ham_dir))[::4]
    results = [(p, r) for p, r, _ in analyze_many(phish + ham)]
    wrong, recipients, counted = [], [], 0
    for path, r in results:
        if not r:
            continue
        tos = {a["address"].lower() for a in r["message"]["to"] if a.get("address")}
        for i in r["iocs"]:
            counted += 1
            why = shared(i["kind"], i["value"])
            if why and i.get("role") == "attacker":
                wrong.append("%s %s %s (%s)" % (os.path.basename(path), i["kind"], i["value"], why))
            if i["kind"] == "email" and i["value"] in tos and i.get("role") != "victim":
                recipients.append("%s %s" % (os.path.basename(path), i["value"]))
    rep.check("roles on %d real mails: no shared infrastructure is the attacker's (%d IOCs)"
              % (len(results), counted), counted and not wrong, wrong[:8])
    rep.check("roles on real mails: a recipient's mailbox is the victim's", not recipients,
              recipients[:8])

    # a case of real phishing, exported for MISP: nothing shared is to_ids
    tmp = tempfile.mkdtemp(prefix="kensa-roles-")
    env = dict(os.environ, KENSA_DB=os.path.join(tmp, "kensa.db"),
               XDG_CONFIG_HOME=os.path.join(tmp, "config"))
    try:
        out = subprocess.run([kensa(), "case", "new", "real phishing"], env=env,
                             stdout=subprocess.PIPE, timeout=60).stdout.decode()
        cid = out.split()[0] if out else "1"
        subprocess.run([kensa(), "case", "add", cid] + phish[:20], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        misp = subprocess.run([kensa(), "case", "export", cid, "--format", "misp"], env=env,
                              stdout=subprocess.PIPE, timeout=120).stdout.decode()
        event = json.loads(misp)["Event"]
        attrs = list(event["Attribute"])
        for o in event.get("Object", []):
            attrs += o.get("Attribute", [])
        kinds = {"domain": "domain", "ip-dst": "ip", "ip-src": "ip", "url": "url"}
        bad = [a["value"] for a in attrs if a.get("to_ids") and a["type"] in kinds
               and shared(kinds[a["type"]], a["value"])]
        rep.check("MISP event of 20 real phishing mails: nothing shared is to_ids (%d attributes)"
                  % len(attrs), attrs and not bad, bad[:8])
    finally:
        subprocess.run(["rm", "-rf", tmp])
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
