#!/usr/bin/env python3
"""Legitimate mail that must stay quiet, and the attacks that borrow its clothes.

Writes *.eml and expected.json into the directory given (default cases/);
tests/e2e/test_variants.py runs them.  Standard library only, fixed content,
written apart from the corpora: made-up shops, clubs and services, the header
sets each kind of sender really writes (RFC 2369/2919 list headers, Mailman,
Google Groups and ARC, SRS forwarding, ESP bounce addresses and tracking links,
List-Unsubscribe), in English, Japanese, German and French.

  newsletters  HTML newsletters from ESPs (Mailchimp-, Salesforce-, SendGrid-,
               Amazon SES-style): tracking links, a sign-up box, a search box,
               an analytics script copied from the web site, image-heavy
               flyers; each must stay under 25 with no credential form
  lists        list posts and forwards: Reply-To the list, envelope the list's,
               ARC-sealed group mail, SRS-forwarded mail, real servers' clocks
               minutes and hours apart; explained, under 25
  borrowed     attacks wearing the same headers: a CEO fraud with a forged
               List-Id and a free-mail or list-shaped Reply-To, a login kit
               in a "newsletter", a forged hop days before the next; each must
               still count

Checks beyond must/must_not: {"path": "assessment.score", "below": N} or
{"at_least": N}, and {"finding": RULE, "severity": S} (every finding of RULE
has severity S)."""
import base64
import json
import os
import quopri
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases")
os.makedirs(OUT, exist_ok=True)

READER = ("Mika Sorensen", "mika.sorensen@vindbro-konsult.se")
MX = "mx2.vindbro-konsult.se"
CASES = {}

QUIET = ["html.credential_form", "identity.lookalike_domain", "identity.display_name_spoof",
         "html.obfuscated_script", "content.payment_change", "content.confidential_request"]


def ew(text):
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode()


def addr(name, a):
    if name is None:
        return "<%s>" % a
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, a)
    return "%s <%s>" % (ew(name), a)


def message(headers, body):
    return "\n".join("%s: %s" % hv for hv in headers) + "\n\n" + body + (
        "" if body.endswith("\n") else "\n")


def part(ctype, text, cte="quoted-printable"):
    raw = text.encode("utf-8")
    payload = quopri.encodestring(raw).decode() if cte == "quoted-printable" else \
        base64.encodebytes(raw).decode()
    return message([("Content-Type", '%s; charset="UTF-8"' % ctype),
                    ("Content-Transfer-Encoding", cte)], payload)


def alternative(plain, html, boundary):
    out = "This is a multi-part message in MIME format.\n"
    for p in (part("text/plain", plain), part("text/html", html)):
        out += "\n--%s\n%s" % (boundary, p)
    return out + "\n--%s--\n" % boundary


def received(frm, ip, by, ident, date):
    return ("Received", "from %s (%s [%s])\n\tby %s with ESMTPS id %s\n\tfor <%s>; %s"
            % (frm, frm, ip, by, ident, READER[1], date))


def auth(mailfrom, dkim_d, hfrom, spf="pass", dkim="pass", dmarc="pass"):
    return ("Authentication-Results",
            "%s;\n\tspf=%s smtp.mailfrom=%s;\n\tdkim=%s header.d=%s;\n\tdmarc=%s header.from=%s"
            % (MX, spf, mailfrom, dkim, dkim_d, dmarc, hfrom))


def write(name, headers, body, must=(), must_not=(), checks=(), html_body=None, plain=None,
          boundary="=_alt_1"):
    hdr = list(headers)
    hdr.append(("MIME-Version", "1.0"))
    if html_body is not None:
        hdr.append(("Content-Type", 'multipart/alternative; boundary="%s"' % boundary))
        text = alternative(plain or "", html_body, boundary)
    else:
        hdr += [("Content-Type", 'text/plain; charset="UTF-8"'),
                ("Content-Transfer-Encoding", "8bit")]
        text = body
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(message(hdr, text).encode("utf-8"))
    CASES[name] = {"must": list(must), "must_not": list(must_not), "checks": list(checks),
                   "bec_type": None}


def below(n):
    return {"path": "assessment.score", "below": n}


def at_least(n):
    return {"path": "assessment.score", "at_least": n}


def severity(rule, sev):
    return {"finding": rule, "severity": sev}


# ------------------------------------------------------------------ newsletters

def newsletters():
    # N01 a Mailchimp-style outdoor shop newsletter: the ESP's bounce domain,
    # tracking links whose text names the shop's own site, a footer address
    shop = "kumo-outdoor.com"
    track = "https://kumooutdoor.us7.list-manage.com/track/click?u=5f1e2a&id=%s&e=91ab"
    html = ("<!doctype html><html><head><title>Kumo Outdoor: first frost</title></head><body>"
            "<table width=\"100%%\"><tr><td><a href=\"https://mailchi.mp/kumo-outdoor/first-frost\">"
            "View this email in your browser</a></td></tr>"
            "<tr><td><a href=\"%s\"><img src=\"https://mcusercontent.com/5f1e2a/images/header.jpg\" "
            "alt=\"Kumo Outdoor\"></a></td></tr>"
            "<tr><td><h1>First frost, warm layers</h1><p>Our merino range is back in stock, and the "
            "down jackets from last winter are 30%% off until Sunday.</p>"
            "<p><a href=\"%s\">Shop the merino range</a></p>"
            "<p>Visit us at <a href=\"%s\">www.kumo-outdoor.com</a> or in the Bergen store.</p>"
            "</td></tr><tr><td><p>Copyright 2024 Kumo Outdoor AS, Strandkaien 4, Bergen</p>"
            "<p>You are receiving this because you signed up at our store. "
            "<a href=\"https://kumooutdoor.us7.list-manage.com/profile?u=5f1e2a\">Update your "
            "preferences</a> or <a href=\"https://kumooutdoor.us7.list-manage.com/unsubscribe?"
            "u=5f1e2a\">unsubscribe</a>.</p></td></tr></table></body></html>"
            % (track % "a1", track % "a2", track % "a3"))
    write("N01_mailchimp_shop_newsletter", [
        ("Return-Path", "<bounce-mc.us7_5f1e2a.1180-mika.sorensen=vindbro-konsult.se@"
                        "mail44.suw121.mcdlv.net>"),
        auth("bounce-mc.us7_5f1e2a.1180@mail44.suw121.mcdlv.net", shop, shop),
        received("mail44.suw121.mcdlv.net", "198.2.140.44", MX, "4Zq1", "Tue, 05 Nov 2024 08:00:03 +0000"),
        ("From", addr("Kumo Outdoor", "hello@" + shop)),
        ("Reply-To", addr("Kumo Outdoor", "hello@" + shop)),
        ("To", addr(*READER)), ("Subject", "First frost, warm layers"),
        ("Date", "Tue, 05 Nov 2024 08:00:00 +0000"), ("Message-ID", "<n01.1180@mcdlv.net>"),
        ("List-ID", "5f1e2a0b3c mailchimp list <5f1e2a0b3c.1180.list-id.mcsv.net>"),
        ("List-Unsubscribe", "<https://kumooutdoor.us7.list-manage.com/unsubscribe?u=5f1e2a>"),
        ("X-MC-User", "5f1e2a0b3c"), ("Precedence", "bulk"),
    ], None, must=["identity.envelope_from_differs"], must_not=QUIET,
        checks=[below(25), severity("identity.envelope_from_differs", "info")],
        html_body=html, plain="First frost, warm layers\n\nOur merino range is back in stock.\n")

    # N02 a Japanese travel newsletter from a marketing cloud: bounce and click
    # hosts under the sender's own domain, the site's address as link text
    brand = "hoshino-tabi.jp"
    click = "https://click.mail.%s/?qs=7c1e%s" % (brand, "%s")
    html = ("<html><body><p>%s</p><h2>%s</h2><p>%s</p>"
            "<p><a href=\"%s\">https://www.%s/</a></p><p><a href=\"%s\">%s</a></p>"
            "<p><a href=\"https://view.mail.%s/?qs=7c1e\">%s</a></p></body></html>"
            % ("ほしの旅 会員の皆さまへ", "紅葉の宿 早割キャンペーン",
               "11月30日までのご予約で、対象の宿が最大20%オフになります。",
               click % "01", brand, click % "02", "配信停止・登録内容の変更", brand, "ブラウザで見る"))
    write("N02_marketing_cloud_ja_newsletter", [
        ("Return-Path", "<bounce-1234_HTML-5678-91011-7001234-0@bounce.mail.%s>" % brand),
        auth("bounce.mail." + brand, "mail." + brand, brand),
        received("mta7.mail." + brand, "13.111.7.7", MX, "4Zq2", "Tue, 05 Nov 2024 09:00:02 +0900"),
        ("From", addr("ほしの旅", "info@mail." + brand)),
        ("Reply-To", addr("ほしの旅 カスタマーサポート", "reply@mail." + brand)),
        ("To", READER[1]), ("Subject", ew("【ほしの旅】紅葉の宿 早割キャンペーンのお知らせ")),
        ("Date", "Tue, 05 Nov 2024 09:00:00 +0900"), ("Message-ID", "<n02.7c1e@mail.%s>" % brand),
        ("List-Unsubscribe", "<https://click.mail.%s/unsub?qs=7c1e>" % brand),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    ], None, must_not=QUIET + ["identity.envelope_from_differs", "identity.reply_to_differs"],
        checks=[below(25)], html_body=html,
        plain="ほしの旅 会員の皆さまへ\n紅葉の宿 早割キャンペーン\n")

    # N03 a SaaS product update through SendGrid: the envelope on the sender's
    # own bounce subdomain, support answered at a help-desk domain, tracking
    # links whose text is the product's address, a search box and the web
    # site's analytics script left in the template
    saas = "tallyboard.io"
    ct = "https://u4821.ct.sendgrid.net/ls/click?upn=u001.Kd9%s"
    html = ("<html><head><script async src=\"https://www.googletagmanager.com/gtag/js?id=G-T4LLY\">"
            "</script></head><body><h1>What's new in Tallyboard</h1>"
            "<p>Shared dashboards can now be exported to PDF, and the CSV import handles "
            "semicolons.</p><p>Read the details on <a href=\"%s\">tallyboard.io/changelog</a>.</p>"
            "<form method=get action=\"https://help.tallyboard.io/search\">"
            "<input type=search name=q placeholder=\"Search the help centre\">"
            "<button>Search</button></form>"
            "<p>Questions? Just reply to this mail.</p>"
            "<p><a href=\"%s\">Unsubscribe</a></p></body></html>" % (ct % "a", ct % "b"))
    write("N03_sendgrid_saas_update", [
        ("Return-Path", "<bounces+4821-9f2a-mika.sorensen=vindbro-konsult.se@em4821.%s>" % saas),
        auth("em4821." + saas, saas, saas),
        received("o3.ptr4821.sendgrid.net", "149.72.4.21", MX, "4Zq3", "Wed, 06 Nov 2024 15:30:04 +0000"),
        ("From", addr("Tallyboard", "updates@" + saas)),
        ("Reply-To", addr("Tallyboard Support", "support@tallyboard.zendesk.com")),
        ("To", READER[1]), ("Subject", "What's new in Tallyboard: PDF export"),
        ("Date", "Wed, 06 Nov 2024 15:30:00 +0000"), ("Message-ID", "<n03@em4821.tallyboard.io>"),
        ("List-Unsubscribe", "<mailto:unsubscribe@em4821.%s>" % saas),
        ("X-SG-EID", "u001.Kd9x7"),
    ], None, must=["routing.bulk_service", "html.remote_script"], must_not=QUIET,
        checks=[below(25), severity("html.remote_script", "low")], html_body=html,
        plain="What's new in Tallyboard\n\nShared dashboards can now be exported to PDF.\n")

    # N04 a German department store through Amazon SES, with a newsletter
    # sign-up box for friends and a voucher code
    store = "kaufhaus-lindner.de"
    html = ("<html><body><p><a href=\"https://www.%s/angebote?utm_source=nl\">"
            "<img src=\"https://img.%s/nl/winter.jpg\" alt=\"Winterschlussverkauf\"></a></p>"
            "<p>Liebe Kundin, lieber Kunde,</p><p>bis Samstag gibt es 20 %% auf Mäntel und Stiefel. "
            "Ihr Gutscheincode: WINTER20.</p>"
            "<table><tr><td><form action=\"https://news.%s/anmeldung\" method=post>"
            "Kennen Sie jemanden, der den Newsletter abonnieren möchte? "
            "<input type=email name=email placeholder=\"E-Mail-Adresse\">"
            "<input type=submit value=Anmelden></form></td></tr></table>"
            "<p>Kaufhaus Lindner GmbH, Marktplatz 3, 93047 Regensburg. "
            "<a href=\"https://news.%s/abmelden?id=88\">Newsletter abbestellen</a></p>"
            "</body></html>" % (store, store, store, store))
    write("N04_ses_store_newsletter_de_signup_box", [
        ("Return-Path", "<0102019301a1b2c3-7d1e-4f00-9a1b-000000@eu-west-1.amazonses.com>"),
        auth("eu-west-1.amazonses.com", store, store),
        received("a7-12.smtp-out.eu-west-1.amazonses.com", "54.240.7.12", MX, "4Zq4",
                 "Thu, 07 Nov 2024 07:00:05 +0100"),
        ("From", addr("Kaufhaus Lindner", "newsletter@" + store)),
        ("To", READER[1]), ("Subject", ew("Winterschlussverkauf: 20 % auf Mäntel")),
        ("Date", "Thu, 07 Nov 2024 07:00:00 +0100"), ("Message-ID", "<n04@%s>" % store),
        ("List-Unsubscribe", "<https://news.%s/abmelden?id=88>" % store),
        ("Feedback-ID", "1.eu-west-1.abc:AmazonSES"), ("X-SES-Outgoing", "2024.11.07-54.240.7.12"),
    ], None, must=["routing.bulk_service"], must_not=QUIET,
        checks=[below(25), severity("identity.envelope_from_differs", "info")], html_body=html,
        plain="Winterschlussverkauf: 20 % auf Mäntel und Stiefel.\n")

    # N05 a French bakery chain's flyer: one big linked picture and a short
    # footer, through a Brevo-style sender with its own bounce domain
    html = ("<html><body><a href=\"https://www.fournil-martin.fr/promo\">"
            "<img src=\"https://img.fournil-martin.fr/flyer-novembre.jpg\" "
            "alt=\"Galettes et viennoiseries\"></a>"
            "<p><a href=\"https://r.fournil-martin.fr/unsub?e=42\">Se désinscrire</a></p>"
            "</body></html>")
    write("N05_image_flyer_fr", [
        ("Return-Path", "<bounces-42@sender-sib.com>"),
        received("smtp-relay.sendinblue.com", "185.41.28.109", MX, "4Zq5", "Fri, 08 Nov 2024 10:00:01 +0100"),
        ("From", addr("Le Fournil Martin", "contact@fournil-martin.fr")),
        ("To", READER[1]), ("Subject", "Novembre au Fournil"),
        ("Date", "Fri, 08 Nov 2024 10:00:00 +0100"), ("Message-ID", "<n05@fournil-martin.fr>"),
        ("List-Unsubscribe", "<https://r.fournil-martin.fr/unsub?e=42>"),
        ("X-Mailin-EID", "NDI%3D"),
    ], None, must=["routing.bulk_service"], must_not=QUIET, checks=[below(25)], html_body=html,
        plain="")

    # N06 a weekly digest as HTML newsletters were sent around 2002: no List-*
    # header, a list server's envelope, an ad server's script tag in the body,
    # and the unsubscribe link in the footer
    html = ("<html><body bgcolor=#ffffff><table width=600><tr><td>"
            "<script language=JavaScript src=\"http://ad.adserve-net.com/adj/weekly;sz=468x60\">"
            "</script><h2>Open Source Weekly</h2><p>Kernel 2.4.19 is out; Mozilla 1.1 beta "
            "ships with tabbed browsing.</p><p><a href=\"http://www.oss-weekly.org/2002/08/\">"
            "Read the full issue</a></p><p><font size=1>You subscribed as %s. To stop receiving "
            "this newsletter, <a href=\"http://www.oss-weekly.org/remove?id=77\">unsubscribe "
            "here</a>.</font></p></td></tr></table></body></html>" % READER[1])
    write("N06_digest_2002_ad_script_unsubscribe_link", [
        ("Return-Path", "<bounce-weekly-77@lists.listhost-service.net>"),
        received("lists.listhost-service.net", "192.0.2.150", MX, "4Zq6", "Wed, 21 Aug 2002 06:00:09 -0400"),
        ("From", addr("Open Source Weekly", "editor@oss-weekly.org")),
        ("To", READER[1]), ("Subject", "Open Source Weekly: 2.4.19, Mozilla 1.1"),
        ("Date", "Wed, 21 Aug 2002 06:00:00 -0400"), ("Message-ID", "<n06.77@oss-weekly.org>"),
    ], None, must=["html.remote_script"], must_not=QUIET,
        checks=[below(25), severity("html.remote_script", "low")], html_body=html,
        plain="")


# ------------------------------------------------------------------ lists

def lists():
    # L01 a Mailman post: Reply-To the list, envelope the list's, the
    # poster's desktop clock 35 minutes ahead of the list server
    lst = "birders@lists.wingspan-club.org"
    write("L01_mailman_reply_to_list_clock_drift", [
        ("Return-Path", "<birders-bounces@lists.wingspan-club.org>"),
        received("lists.wingspan-club.org", "203.0.113.40", MX, "4Zr1", "Sat, 09 Nov 2024 09:20:07 +0000"),
        ("Received", "from [192.168.1.20] (cpe-77.example-isp.net [198.51.100.77])\n\t"
                     "by lists.wingspan-club.org (Postfix) with ESMTPSA id 77AB;\n\t"
                     "Sat, 09 Nov 2024 09:20:01 +0000"),
        ("Received", "from aoife-laptop (localhost [127.0.0.1])\n\tby aoife-laptop (Postfix) "
                     "with ESMTP id 11;\n\tSat, 09 Nov 2024 09:55:00 +0000"),
        ("From", addr("Aoife Byrne", "aoife@byrne-family.ie")),
        ("Sender", "birders-bounces@lists.wingspan-club.org"),
        ("Reply-To", lst), ("To", lst),
        ("Subject", "[Birders] Waxwings by the harbour"),
        ("Date", "Sat, 09 Nov 2024 09:54:58 +0000"), ("Message-ID", "<l01@byrne-family.ie>"),
        ("List-Id", "Wingspan bird watchers <birders.lists.wingspan-club.org>"),
        ("List-Post", "<mailto:%s>" % lst),
        ("List-Unsubscribe", "<https://lists.wingspan-club.org/options/birders>"),
        ("X-BeenThere", lst), ("Precedence", "list"),
    ], "A flock of about thirty by the harbour wall this morning.\n\nAoife\n",
        must=["identity.reply_to_differs", "identity.envelope_from_differs", "routing.date_reversed"],
        must_not=QUIET,
        checks=[below(10), severity("identity.reply_to_differs", "info"),
                severity("identity.envelope_from_differs", "info"),
                severity("routing.date_reversed", "info")])

    # L02 a Google-Groups-style team list: ARC-sealed, the group's envelope,
    # an HTML alternative, List-Post naming the group
    grp = "quiz-night@googlegroups.com"
    write("L02_group_arc_sealed", [
        ("Return-Path", "<quiz-night+bncBDL5KQ3ZVQJRB7A@googlegroups.com>"),
        ("ARC-Seal", "i=1; a=rsa-sha256; t=1731200000; cv=none; d=googlegroups.com; s=arc-20240605; "
                     "b=Qm9ndXM="),
        ("ARC-Authentication-Results", "i=1; mx.googlegroups.example; spf=pass "
                                       "smtp.mailfrom=tomas@hedlund.example.se"),
        received("mail-sor-f69.google.com", "209.85.220.69", MX, "4Zr2", "Sun, 10 Nov 2024 18:02:11 +0100"),
        ("From", addr("Tomas Hedlund", "tomas@hedlund-bygg.se")),
        ("To", grp), ("Subject", "Quiz on Thursday: teams"),
        ("Date", "Sun, 10 Nov 2024 18:02:05 +0100"), ("Message-ID", "<l02@hedlund-bygg.se>"),
        ("List-ID", "<quiz-night.googlegroups.com>"),
        ("List-Post", "<https://groups.google.com/group/quiz-night/post>, <mailto:%s>" % grp),
        ("List-Unsubscribe", "<mailto:quiz-night+unsubscribe@googlegroups.com>"),
        ("Precedence", "list"), ("Mailing-list", "list %s; contact quiz-night+owners@googlegroups.com" % grp),
    ], None, must=["identity.envelope_from_differs"], must_not=QUIET + ["identity.reply_to_differs"],
        checks=[below(10), severity("identity.envelope_from_differs", "info")],
        html_body="<html><body><p>Teams for Thursday are up.</p><p>Tomas</p></body></html>",
        plain="Teams for Thursday are up.\n\nTomas\n")

    # L03 mail forwarded from an old address with SRS, through a relay whose
    # clock writes local time under +0000 (eight hours off)
    write("L03_srs_forward_zone_mistake", [
        ("Return-Path", "<SRS0=Zq1b=SE=kita-denki.co.jp=sato@oldmail.example.net>"),
        received("fwd.oldmail.example.net", "198.51.100.90", MX, "4Zr3", "Mon, 11 Nov 2024 01:00:09 +0000"),
        ("Received", "from mail.kita-denki.co.jp (mail.kita-denki.co.jp [203.0.113.5])\n\t"
                     "by fwd.oldmail.example.net (Postfix) with ESMTPS id 9Q;\n\t"
                     "Mon, 11 Nov 2024 10:00:04 +0000"),
        ("From", addr("Sato Kenji", "sato@kita-denki.co.jp")),
        ("To", "mika@oldmail.example.net"), ("Subject", "Re: visit in December"),
        ("Date", "Mon, 11 Nov 2024 10:00:00 +0900"), ("Message-ID", "<l03@kita-denki.co.jp>"),
    ], "Mika-san,\n\nThe 12th works for us.\n\nSato\n",
        must=["identity.envelope_from_differs", "routing.date_reversed"], must_not=QUIET,
        checks=[below(25), severity("identity.envelope_from_differs", "info"),
                severity("routing.date_reversed", "low")])


# ------------------------------------------------------------------ borrowed clothes

def borrowed():
    victim = "vindbro-konsult.se"
    ceo = ("Anders Vindbro", "anders@" + victim)

    # B01 CEO fraud with a forged List-Id and Precedence: bulk, answers to
    # free mail: the list explains nothing
    write("B01_ceo_fraud_forged_list_freemail_reply_to", [
        ("Return-Path", "<anders@%s>" % victim),
        received("vps-19.cheap-host.example", "192.0.2.19", MX, "4Zs1", "Tue, 12 Nov 2024 08:12:00 +0100"),
        ("From", addr(*ceo)), ("Reply-To", "anders.vindbro.ceo@gmail.com"),
        ("To", addr(*READER)), ("Subject", "Urgent and confidential"),
        ("Date", "Tue, 12 Nov 2024 08:11:58 +0100"), ("Message-ID", "<b01@%s>" % victim),
        ("List-Id", "Board <board.%s>" % victim), ("Precedence", "bulk"),
        ("List-Unsubscribe", "<mailto:leave@%s>" % victim),
    ], "Mika,\n\nI need you to handle a confidential wire transfer today. Reply to this "
       "address only, I am in meetings.\n\nAnders\n",
        must=["identity.reply_to_differs"],
        checks=[at_least(25), severity("identity.reply_to_differs", "high")])

    # B02 the Reply-To is the forged list's "post" address on the attacker's
    # domain, but the mail goes to the victim, not to that list
    atk = "vindbro-board.example.net"
    write("B02_forged_list_post_reply_to_not_a_recipient", [
        ("Return-Path", "<anders@%s>" % victim),
        received("vps-19.cheap-host.example", "192.0.2.19", MX, "4Zs2", "Tue, 12 Nov 2024 08:20:00 +0100"),
        ("From", addr(*ceo)), ("Reply-To", "anders@" + atk),
        ("To", addr(*READER)), ("Subject", "New bank details for Nordhamn invoice"),
        ("Date", "Tue, 12 Nov 2024 08:19:58 +0100"), ("Message-ID", "<b02@%s>" % victim),
        ("List-Id", "<anders.%s>" % atk), ("List-Post", "<mailto:anders@%s>" % atk),
    ], "Mika,\n\nNordhamn has changed banks. Please update their bank account before paying "
       "the invoice today; the new account details are below.\n\nIBAN SE00 0000 0000 0000 0000 0000\n"
       "\nAnders\n",
        must=["identity.reply_to_differs"],
        checks=[at_least(25), severity("identity.reply_to_differs", "medium")])

    # B03 a login kit dressed as a newsletter: List-Unsubscribe and a
    # "newsletter" box, but a password field
    html = ("<html><body><h2>Mailbox quota reached</h2><p>Sign in to keep receiving mail.</p>"
            "<form action=\"https://quota-check.example.org/owa/auth.php\" method=post>"
            "<p>Stay subscribed to our newsletter</p>"
            "<input type=email name=email value=\"%s\"><input type=password name=pass>"
            "<input type=submit value=\"Sign in\"></form></body></html>" % READER[1])
    write("B03_login_kit_in_newsletter_clothes", [
        ("Return-Path", "<bounce@quota-check.example.org>"),
        received("quota-check.example.org", "192.0.2.77", MX, "4Zs3", "Wed, 13 Nov 2024 11:00:00 +0000"),
        ("From", addr("Mail Administrator", "admin@quota-check.example.org")),
        ("To", READER[1]), ("Subject", "Mailbox quota reached"),
        ("Date", "Wed, 13 Nov 2024 10:59:58 +0000"), ("Message-ID", "<b03@quota-check.example.org>"),
        ("List-Unsubscribe", "<mailto:leave@quota-check.example.org>"), ("Precedence", "bulk"),
    ], None, must=["html.credential_form"],
        checks=[at_least(25), severity("html.credential_form", "high")], html_body=html,
        plain="Mailbox quota reached. Sign in to keep receiving mail.\n")

    # B04 a remote script in the body of a one-to-one mail (no list, no bulk
    # headers) stays high
    html = ("<html><head><script src=\"https://cdn-stat.example.org/l.js\"></script></head>"
            "<body><p>Your parcel is waiting. Confirm the delivery below.</p></body></html>")
    write("B04_remote_script_in_plain_mail_body", [
        ("Return-Path", "<track@parcel-notice.example.org>"),
        received("parcel-notice.example.org", "192.0.2.80", MX, "4Zs4", "Wed, 13 Nov 2024 12:00:00 +0000"),
        ("From", addr("Parcel service", "track@parcel-notice.example.org")),
        ("To", READER[1]), ("Subject", "Your parcel is waiting"),
        ("Date", "Wed, 13 Nov 2024 11:59:58 +0000"), ("Message-ID", "<b04@parcel-notice.example.org>"),
    ], None, must=["html.remote_script"], checks=[at_least(25), severity("html.remote_script", "high")],
        html_body=html, plain="Your parcel is waiting.\n")

    # B05 a Received header pasted from a mail three days older: no clock
    # or time-zone mistake explains it
    write("B05_forged_hop_days_earlier", [
        ("Return-Path", "<billing@%s>" % victim),
        received("smtp.relay-44.example", "192.0.2.44", MX, "4Zs5", "Thu, 14 Nov 2024 09:00:05 +0000"),
        ("Received", "from mail.%s (mail.%s [203.0.113.9])\n\tby smtp.relay-44.example with ESMTP "
                     "id 8C;\n\tMon, 11 Nov 2024 09:00:01 +0000" % (victim, victim)),
        ("Received", "from billing-pc ([10.0.0.5])\n\tby mail.%s with ESMTPSA id 2B;\n\t"
                     "Thu, 14 Nov 2024 08:59:59 +0000" % victim),
        ("From", addr("Billing", "billing@" + victim)), ("To", READER[1]),
        ("Subject", "Invoice 2024-311"), ("Date", "Thu, 14 Nov 2024 08:59:50 +0000"),
        ("Message-ID", "<b05@%s>" % victim),
    ], "The invoice is attached.\n", must=["routing.date_reversed"],
        checks=[severity("routing.date_reversed", "medium")])


def main():
    newsletters()
    lists()
    borrowed()
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(CASES, f, ensure_ascii=False, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
