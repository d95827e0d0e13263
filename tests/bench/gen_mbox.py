#!/usr/bin/env python3
"""Deterministic benchmark corpus for `make bench`.

Writes, into tests/bench/out/ (or --out DIR):

  bench.mbox     10,000 messages, about 500 MB (mboxrd, LF line ends): plain
                 text, HTML (multipart/alternative), Japanese subjects
                 (ISO-2022-JP and UTF-8 encoded-words) and bodies, 3-8
                 Received headers each, 20% with a PDF or zip attachment
                 (base64)
  big_20mb.eml   one ~20 MB message carrying a 15 MB PDF (for `kensa analyze`)
  stamp          generator hash, sizes and sha256 of both; when it matches
                 what is on disk nothing is regenerated

Standard library only, fixed seed random.Random(1234), no wall-clock time:
the same script gives the same bytes on every run (the zip entries that are
deflated depend on zlib, which has been stable for years).

Sizes: the issue asks for ~500 MB over 10,000 messages (~50 KB average).
With 20% of messages carrying an attachment, that leaves room for
attachments of about 50-190 KB (binary; +33% once base64-encoded); the
other 80% are 3-45 KB text/HTML messages.
"""

import argparse
import base64
import binascii
import datetime
import hashlib
import io
import os
import re
import sys
import zipfile

import random

SEED = 1234
N_MESSAGES = 10_000
ATTACH_RATIO = 0.20
ATTACH_MIN, ATTACH_MAX = 50_000, 190_000      # binary attachment bytes
BIG_ATTACH = 15_000_000                       # the 15 MB attachment of big_20mb.eml

JST = datetime.timezone(datetime.timedelta(hours=9), "JST")
UTC = datetime.timezone.utc
BASE_TIME = datetime.datetime(2024, 1, 4, 9, 0, 0, tzinfo=JST)

WDAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
       "Nov", "Dec"]

# --------------------------------------------------------------------------
# vocabulary

ORGS = [
    ("abc-company.co.jp", "ABC商事"), ("abccompany-a.com", "ABC Company"),
    ("nihon-seiki.co.jp", "日本精機"), ("tokai-logi.co.jp", "東海ロジスティクス"),
    ("sakura-bank.example.jp", "さくら銀行"), ("example.co.jp", "Example株式会社"),
    ("globex.com", "Globex Corporation"), ("initech.com", "Initech"),
    ("umbrella-corp.com", "Umbrella"), ("hooli.com", "Hooli"),
    ("kensa-partner.jp", "検査パートナーズ"), ("osaka-denki.co.jp", "大阪電機"),
    ("contoso.com", "Contoso Ltd."), ("fabrikam.com", "Fabrikam, Inc."),
    ("northwind.example.com", "Northwind Traders"),
]
FREEMAIL = ["gmail.com", "yahoo.co.jp", "outlook.jp", "outlook.com", "icloud.com"]
JA_NAMES = [("山田", "太郎", "yamada.taro"), ("佐藤", "花子", "sato.hanako"),
            ("鈴木", "一郎", "suzuki.ichiro"), ("高橋", "美咲", "takahashi.misaki"),
            ("田中", "健", "tanaka.ken"), ("伊藤", "直子", "ito.naoko"),
            ("渡辺", "翔", "watanabe.sho"), ("中村", "由美", "nakamura.yumi"),
            ("小林", "誠", "kobayashi.makoto"), ("加藤", "愛", "kato.ai")]
EN_NAMES = [("John", "Smith"), ("Mary", "Johnson"), ("Robert", "Brown"),
            ("Patricia", "Garcia"), ("Michael", "Miller"), ("Linda", "Davis"),
            ("David", "Wilson"), ("Susan", "Moore"), ("James", "Taylor"),
            ("Karen", "Anderson"), ("Daniel", "Thomas"), ("Nancy", "Martin")]

EN_SUBJECTS = [
    "Invoice {n} for December services", "RE: Updated bank details for payment",
    "Quarterly report Q{q} - draft for review", "Meeting notes {n}",
    "FW: Shipment schedule change", "Your password expires today",
    "Action required: confirm your mailbox", "Purchase order PO-{n}",
    "Re: Re: contract renewal terms", "Confidential: Project {w}",
    "Payroll direct deposit update", "New voicemail from +81 3-{n}",
    "Wire transfer request - urgent", "Agenda for next week's board meeting",
]
JA_SUBJECTS = [
    "請求書送付のご案内（{n}）", "【重要】振込先口座変更のお知らせ",
    "Re: 見積書の件について", "会議議事録 {n} の共有", "【至急】支払い処理のお願い",
    "出荷スケジュール変更のご連絡", "パスワードの有効期限が近づいています",
    "FW: 契約更新に関するご相談", "極秘：プロジェクト{w}について",
    "第{q}四半期 業績報告（ドラフト）", "発注書 PO-{n} 送付の件",
    "給与振込口座の変更手続きについて", "年末調整書類提出のお願い",
]
WORDS = ["Phoenix", "Aurora", "Orion", "Sakura", "Fuji", "Atlas", "Nova", "Zenith"]

EN_SENTENCES = [
    "Please find the attached invoice for the services rendered last month.",
    "Could you confirm receipt and let me know when the payment is scheduled?",
    "We have recently changed our bank, so please use the new account details below.",
    "The meeting has been moved to Thursday at 3 pm in the main conference room.",
    "Let me know if you have any questions about the quarterly figures.",
    "I am currently travelling and can only be reached by e-mail.",
    "This matter is confidential; please do not discuss it with other staff.",
    "Our legal counsel will contact you shortly regarding the acquisition.",
    "The shipment was delayed at customs and is expected to arrive next week.",
    "Please review the contract terms and send us your comments by Friday.",
    "Your mailbox has exceeded its storage limit and needs to be verified.",
    "Thank you for your prompt attention to this request.",
    "As discussed on the phone, I am sending over the updated price list.",
    "Kindly process the wire transfer today before the cut-off time.",
    "We appreciate your continued business and look forward to working with you.",
    "Attached is the purchase order together with the delivery schedule.",
]
JA_SENTENCES = [
    "いつも大変お世話になっております。",
    "先日ご依頼いただきました見積書を添付にてお送りいたします。",
    "お手数ですが、内容をご確認のうえご返信いただけますと幸いです。",
    "弊社の振込先口座が変更となりましたので、下記の口座へお振込みをお願いいたします。",
    "本件は社内でも極秘扱いとなっておりますので、他言無用でお願いします。",
    "会議の日程が変更となり、来週木曜日の午後三時からとなりました。",
    "出荷が税関で遅れており、到着は来週になる見込みです。",
    "ご不明な点がございましたら、お気軽にお問い合わせください。",
    "至急、本日中にお支払いの手続きをお願いできますでしょうか。",
    "第三四半期の業績資料を共有いたしますので、ご確認ください。",
    "引き続きどうぞよろしくお願い申し上げます。",
    "契約更新の条件について、法務部より改めてご連絡いたします。",
    "パスワードの有効期限が切れますので、以下のリンクから更新してください。",
    "取り急ぎ、ご連絡まで。",
    "請求書の金額に誤りがございましたので、修正版を再送いたします。",
]
LINKS = [
    "https://www.example.co.jp/support/", "https://portal.abc-company.co.jp/login",
    "https://login.microsoftonline-verify.example.com/common/oauth2",
    "https://docs.example.com/share/{n}", "http://203.0.113.{b}/invoice/{n}.html",
    "https://storage.example.net/d/{n}?download=1",
]
MAILERS = ["Microsoft Outlook 16.0", "Thunderbird 115.6.0", "Becky! ver. 2.81.04",
           "Apple Mail (2.3774.300.61.1.2)", "Sylpheed 3.7.0 (GTK+ 2.24.33; x86_64-pc-linux-gnu)",
           None, None]

# --------------------------------------------------------------------------
# helpers


def rfc2822(dt):
    """RFC 5322 date, C-locale names, the zone as the datetime's offset."""
    off = dt.utcoffset()
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    return "%s, %d %s %04d %02d:%02d:%02d %s%02d%02d" % (
        WDAY[dt.weekday()], dt.day, MON[dt.month - 1], dt.year, dt.hour, dt.minute,
        dt.second, sign, mins // 60, mins % 60)


def asctime(dt):
    dt = dt.astimezone(UTC)
    return "%s %s %2d %02d:%02d:%02d %04d" % (
        WDAY[dt.weekday()], MON[dt.month - 1], dt.day, dt.hour, dt.minute, dt.second, dt.year)


def chunks(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)]


def ew_b(text, charset):
    """RFC 2047 B encoded-words, folded; each word <= 75 chars and (for
    ISO-2022-JP) ending in ASCII state."""
    per = 10 if charset == "ISO-2022-JP" else 12
    codec = "iso2022_jp" if charset == "ISO-2022-JP" else "utf-8"
    words = ["=?%s?B?%s?=" % (charset, base64.b64encode(c.encode(codec)).decode())
             for c in chunks(text, per)]
    return "\n ".join(words)


def ew_q(text):
    out = []
    for c in chunks(text, 8):
        enc = []
        for b in c.encode("utf-8"):
            ch = chr(b)
            if b < 128 and (ch.isalnum() or ch in "!*+-/"):
                enc.append(ch)
            elif ch == " ":
                enc.append("_")
            else:
                enc.append("=%02X" % b)
        out.append("=?UTF-8?Q?%s?=" % "".join(enc))
    return "\n ".join(out)


def b64_lines(data):
    return base64.encodebytes(data)  # 76-column lines, each ending "\n"


FROM_RE = re.compile(rb"^(>*From )", re.M)


def mboxrd_escape(body):
    return FROM_RE.sub(rb">\1", body)


def has_non_ascii(s):
    return any(ord(c) > 127 for c in s)


# --------------------------------------------------------------------------
# attachments


class Attachments:
    """A pool of random bytes (made once) that PDFs and zips slice from, so
    each attachment is distinct without generating 400 MB of randomness."""

    def __init__(self, rng):
        self.rng = rng
        self.pool = rng.randbytes(4 * 1024 * 1024)

    def blob(self, n):
        off = self.rng.randrange(0, len(self.pool) - n) if n < len(self.pool) else 0
        if n <= len(self.pool):
            return self.pool[off:off + n]
        return self.rng.randbytes(n)

    def pdf(self, size, serial, when, title):
        """A small, well-formed one-page PDF whose image XObject (a JPEG
        stream) pads it to about size bytes."""
        created = when.strftime("D:%Y%m%d%H%M%S+09'00'")
        content = ("BT /F1 14 Tf 72 770 Td (Invoice %s) Tj ET\n"
                   "BT /F1 10 Tf 72 750 Td (Amount due: JPY %d,000) Tj ET\n"
                   "q 300 0 0 150 72 560 cm /Im1 Do Q\n" % (serial, 100 + serial % 900)).encode()
        jpeg_body = self.blob(max(1024, size - 1400))
        jpeg = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
                + jpeg_body + b"\xff\xd9")
        objs = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 1200 /Height 600 "
            b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
            b"/Length %d >>\nstream\n" % len(jpeg) + jpeg + b"\nendstream",
            ("<< /Title (%s) /Author (Accounting) /Creator (Microsoft Word) "
             "/Producer (Microsoft: Print To PDF) /CreationDate (%s) /ModDate (%s) >>"
             % (title, created, created)).encode(),
        ]
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, o in enumerate(objs, 1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
        for off in offsets:
            out.write(b"%010d 00000 n \n" % off)
        out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                  % (len(objs) + 1, xref))
        return out.getvalue()

    def zip(self, size, serial, when):
        """A zip with fixed timestamps: a deflated text note, a stored PDF and
        a stored binary blob making up the size."""
        dt = (when.year, when.month, when.day, when.hour, when.minute, when.second & ~1)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            note = ("請求書 %d の明細です。\r\n" % serial * 40).encode("utf-8")
            zi = zipfile.ZipInfo("readme_%d.txt" % serial, date_time=dt)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, note)
            pdf = self.pdf(min(size // 3, 60_000), serial, when, "Invoice %d" % serial)
            zi = zipfile.ZipInfo("請求書_%d.pdf" % serial, date_time=dt)
            zi.compress_type = zipfile.ZIP_STORED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, pdf)
            rest = max(1024, size - len(pdf) - 600)
            zi = zipfile.ZipInfo("data/records_%d.bin" % serial, date_time=dt)
            zi.compress_type = zipfile.ZIP_STORED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, self.blob(rest))
        return buf.getvalue()


# --------------------------------------------------------------------------
# headers


def ip4(rng, prefix=None):
    if prefix:
        return prefix + ".%d.%d" % (rng.randrange(0, 256), rng.randrange(1, 255))
    a = rng.choice(["203.0.113", "198.51.100", "192.0.2", "210.130.%d" % rng.randrange(256),
                    "153.127.%d" % rng.randrange(256), "60.43.%d" % rng.randrange(256)])
    return "%s.%d" % (a, rng.randrange(1, 255))


def qid(rng, n=10, alpha="0123456789ABCDEF"):
    return "".join(rng.choice(alpha) for _ in range(n))


def received_chain(rng, sender_dom, rcpt, rcpt_dom, t0, hops):
    """hops Received headers, origin first (the caller writes them reversed)
    with times increasing along the route."""
    out = []
    t = t0
    style = rng.randrange(4)  # 0 postfix, 1 google, 2 exchange online, 3 exim/sendmail
    for i in range(hops):
        t = t + datetime.timedelta(seconds=rng.randrange(0, 95))
        tz = rng.choice([JST, UTC, JST])
        d = rfc2822(t.astimezone(tz)) + (" (JST)" if tz is JST and rng.random() < 0.5 else "")
        last = i == hops - 1
        if i == 0 and rng.random() < 0.3:
            out.append("(qmail %d invoked by uid %d); %s" % (rng.randrange(1000, 99999),
                                                            rng.choice([89, 1001, 48]), d))
            continue
        if i == 0:
            out.append("from [192.168.%d.%d] (unknown [%s])\n\tby smtp.%s (Postfix) "
                       "with ESMTPSA id %s\n\tfor <%s>; %s"
                       % (rng.randrange(256), rng.randrange(1, 255), ip4(rng), sender_dom,
                          qid(rng), rcpt, d))
            continue
        if last:
            ip = ip4(rng)
            out.append("from mail%d.%s (mail%d.%s [%s])\n\t(using TLSv1.3 with cipher "
                       "TLS_AES_256_GCM_SHA384 (256/256 bits)\n\t key-exchange X25519 "
                       "server-signature RSA-PSS (2048 bits) server-digest SHA256)\n\t"
                       "(No client certificate requested)\n\tby mx.%s (Postfix) with ESMTPS id %s"
                       "\n\tfor <%s>; %s"
                       % (i, sender_dom, i, sender_dom, ip, rcpt_dom, qid(rng, 11), rcpt, d))
            continue
        if style == 1:
            if rng.random() < 0.5:
                out.append("by 2002:a05:%x:%x:b0:%x:%x:%x with SMTP id %s;\n        %s"
                           % (rng.randrange(0x6000, 0x7fff), rng.randrange(0x100, 0xfff),
                              rng.randrange(0x100, 0xfff), rng.randrange(0x100, 0xfff),
                              rng.randrange(0x100, 0xfff),
                              qid(rng, 16, "abcdefghijklmnopqrstuvwxyz0123456789"), d))
            else:
                ip = ip4(rng, "209.85")
                h = "mail-%s%d-f%d.google.com" % (rng.choice(["yw", "pf", "ej", "lf"]),
                                                  rng.randrange(1, 9), rng.randrange(40, 200))
                out.append("from %s (%s. [%s])\n        by mx.google.com with SMTPS id %s\n"
                           "        for <%s>\n        (Google Transport Security);\n        %s"
                           % (h, h, ip, qid(rng, 20, "abcdefghijklmnopqrstuvwxyz0123456789"),
                              rcpt, d))
        elif style == 2:
            a = "TYCPR01MB%d.jpnprd01.prod.outlook.com" % rng.randrange(1000, 9999)
            b = "OS%dPR01MB%d.jpnprd01.prod.outlook.com" % (rng.randrange(1, 9),
                                                            rng.randrange(1000, 9999))
            out.append("from %s (2603:1096:%x:%x::%x) by %s\n (2603:1096:%x:%x::%x) with "
                       "Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_"
                       "AES_256_GCM_SHA384) id 15.20.%d.%d; %s"
                       % (a, rng.randrange(0x100, 0xfff), rng.randrange(0x10, 0xfff),
                          rng.randrange(1, 0xff), b, rng.randrange(0x100, 0xfff),
                          rng.randrange(0x10, 0xfff), rng.randrange(1, 0xff),
                          rng.randrange(7000, 7999), rng.randrange(1, 60),
                          rfc2822(t.astimezone(UTC))))
        elif style == 3 and rng.random() < 0.5:
            ip = ip4(rng)
            out.append("from [%s] (helo=mail.%s)\n\tby relay%d.%s with esmtpsa  (TLS1.3) tls "
                       "TLS_AES_256_GCM_SHA384\n\t(Exim 4.96)\n\t(envelope-from <bounce@%s>)\n\t"
                       "id 1r%s-%s-%s\n\tfor %s; %s"
                       % (ip, sender_dom, i, sender_dom, sender_dom,
                          qid(rng, 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
                          qid(rng, 6, "0123456789"), qid(rng, 2, "0123456789ab"), rcpt, d))
        elif style == 3:
            ip = ip4(rng)
            out.append("from gw%d.%s (gw%d.%s [%s])\n\tby relay.%s (8.15.2/8.15.2) with "
                       "ESMTP id %s\n\tfor <%s>; %s"
                       % (i, sender_dom, i, sender_dom, ip, sender_dom,
                          qid(rng, 14, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
                          rcpt, d))
        else:
            ip = ip4(rng)
            out.append("from localhost (localhost [127.0.0.1])\n\tby filter%d.%s (Postfix) "
                       "with ESMTP id %s;\n\t%s" % (i, sender_dom, qid(rng), d)
                       if rng.random() < 0.3 else
                       "from out%d.%s (out%d.%s [%s])\n\tby relay%d.%s (Postfix) with ESMTPS "
                       "id %s\n\tfor <%s>; %s"
                       % (i, sender_dom, i, sender_dom, ip, i, sender_dom, qid(rng), rcpt, d))
    return out, t


def address(rng, ja):
    if ja:
        last, first, local = rng.choice(JA_NAMES)
        name = "%s %s" % (last, first)
    else:
        first, last = rng.choice(EN_NAMES)
        name = "%s %s" % (first, last)
        local = "%s.%s" % (first.lower(), last.lower())
    if rng.random() < 0.1:
        dom = rng.choice(FREEMAIL)
    else:
        dom = rng.choice(ORGS)[0]
    return name, local, dom


def fmt_addr(rng, name, local, dom):
    addr = "%s@%s" % (local, dom)
    if has_non_ascii(name):
        enc = ew_b(name, "ISO-2022-JP") if rng.random() < 0.5 else ew_b(name, "UTF-8")
        return "%s <%s>" % (enc, addr)
    if rng.random() < 0.1:
        return addr
    return '"%s" <%s>' % (name, addr) if rng.random() < 0.3 else "%s <%s>" % (name, addr)


# --------------------------------------------------------------------------
# bodies


def text_body(rng, ja, target):
    sents = JA_SENTENCES if ja else EN_SENTENCES
    lines = []
    size = 0
    while size < target:
        para = []
        for _ in range(rng.randrange(2, 6)):
            s = rng.choice(sents)
            if rng.random() < 0.08:
                s += " " + rng.choice(LINKS).format(n=rng.randrange(10000, 99999),
                                                    b=rng.randrange(1, 255))
            para.append(s)
        # wrap: Japanese ~35 chars a line, English ~72
        text = ("" if ja else " ").join(para)
        width = 35 if ja else 72
        if ja:
            for c in chunks(text, width):
                lines.append(c)
        else:
            cur = ""
            for w in text.split(" "):
                if len(cur) + len(w) + 1 > width:
                    lines.append(cur)
                    cur = w
                else:
                    cur = (cur + " " + w) if cur else w
            lines.append(cur)
        lines.append("")
        size += len(text.encode("utf-8"))
    lines.append("--")
    lines.append("経理部 山田" if ja else "Accounts Payable")
    return "\n".join(lines) + "\n"


def html_of(rng, text):
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><style>",
           "body{font-family:'Meiryo',sans-serif;font-size:10.5pt} p{margin:0 0 1em}",
           "</style></head><body>"]
    for para in text.split("\n\n"):
        if not para.strip():
            continue
        p = para.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>\n")
        if rng.random() < 0.15:
            href = rng.choice(LINKS).format(n=rng.randrange(10000, 99999), b=rng.randrange(1, 255))
            p += '<br>\n<a href="%s">%s</a>' % (href, "こちら" if rng.random() < 0.5 else "Click here")
        out.append('<div class="MsoNormal"><p>%s</p></div>' % p)
    out.append('<table border="0" cellpadding="4"><tr><td><img src="cid:logo@%d" '
               'width="120" height="40" alt="logo"></td></tr></table>' % rng.randrange(1, 1000))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def encode_text_part(rng, text, subtype, ja):
    """(headers, body bytes) for a text part in one of the encodings Japanese
    and Western MUAs use."""
    if ja and subtype == "plain" and rng.random() < 0.5:
        return ("Content-Type: text/plain; charset=\"ISO-2022-JP\"\n"
                "Content-Transfer-Encoding: 7bit\n", text.encode("iso2022_jp"))
    raw = text.encode("utf-8")
    if not ja and subtype == "plain" and rng.random() < 0.5:
        return ("Content-Type: text/plain; charset=us-ascii\n"
                "Content-Transfer-Encoding: 7bit\n", raw)
    if rng.random() < 0.5:
        return ("Content-Type: text/%s; charset=\"UTF-8\"\n"
                "Content-Transfer-Encoding: base64\n" % subtype, b64_lines(raw))
    return ("Content-Type: text/%s; charset=\"UTF-8\"\n"
            "Content-Transfer-Encoding: quoted-printable\n" % subtype,
            binascii.b2a_qp(raw, header=False).replace(b"\r\n", b"\n"))


def boundary(rng):
    return "----=_Part_%d_%d.%d" % (rng.randrange(10**6), rng.randrange(10**9),
                                    rng.randrange(10**12))


# --------------------------------------------------------------------------
# messages


def make_message(rng, att, i, when, attach_kind, attach_size, body_target):
    """The message's bytes (without the mbox From_ line) and the envelope
    sender."""
    ja = rng.random() < 0.55
    html = rng.random() < 0.5
    fname, flocal, fdom = address(rng, ja)
    tname, tlocal, tdom = address(rng, ja)
    rcpt = "%s@%s" % (tlocal, tdom)
    n = rng.randrange(1000, 99999)
    if ja:
        subj = rng.choice(JA_SUBJECTS).format(n=n, q=rng.randrange(1, 5), w=rng.choice(WORDS))
        r = rng.random()
        subj_h = ew_b(subj, "ISO-2022-JP") if r < 0.5 else (
            ew_b(subj, "UTF-8") if r < 0.85 else ew_q(subj))
    else:
        subj_h = rng.choice(EN_SUBJECTS).format(n=n, q=rng.randrange(1, 5), w=rng.choice(WORDS))

    hops = rng.randrange(3, 9)
    t0 = when - datetime.timedelta(seconds=rng.randrange(0, 30))
    chain, t_end = received_chain(rng, fdom, rcpt, tdom, t0, hops)

    h = []
    h.append("Return-Path: <%s@%s>" % (flocal if rng.random() < 0.9 else "bounce-%d" % n,
                                       fdom if rng.random() < 0.9 else "mailer.example.net"))
    h.append("Delivered-To: %s" % rcpt)
    for r in reversed(chain):
        h.append("Received: " + r)
    spf = rng.choice(["pass"] * 6 + ["fail", "softfail", "none", "neutral"])
    dkim = rng.choice(["pass"] * 6 + ["fail", "none"])
    dmarc = rng.choice(["pass"] * 5 + ["fail", "none"])
    h.append("Authentication-Results: mx.%s;\n\tspf=%s (%s: domain of %s@%s designates %s as "
             "permitted sender) smtp.mailfrom=%s@%s;\n\tdkim=%s header.d=%s header.s=s%d "
             "header.b=%s;\n\tdmarc=%s (p=NONE sp=NONE dis=NONE) header.from=%s"
             % (tdom, spf, tdom, flocal, fdom, ip4(rng), flocal, fdom, dkim, fdom,
                rng.randrange(1, 3), qid(rng, 8, "ABCDEFGHabcdefgh0123"), dmarc, fdom))
    if rng.random() < 0.7:
        sig = base64.b64encode(rng.randbytes(256)).decode()
        h.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s%d;\n\t"
                 "h=from:to:subject:date:message-id:mime-version:content-type;\n\t"
                 "bh=%s;\n\tb=%s" % (fdom, rng.randrange(1, 3),
                                     base64.b64encode(rng.randbytes(32)).decode(),
                                     "\n\t ".join(chunks(sig, 70))))
    h.append("From: " + fmt_addr(rng, fname, flocal, fdom))
    h.append("To: " + fmt_addr(rng, tname, tlocal, tdom))
    if rng.random() < 0.3:
        cn, cl, cd = address(rng, ja)
        h.append("Cc: " + fmt_addr(rng, cn, cl, cd))
    if rng.random() < 0.08:
        rn, rl, rd = address(rng, ja)
        h.append("Reply-To: " + fmt_addr(rng, rn, rl, rd))
    h.append("Subject: " + subj_h)
    h.append("Date: " + rfc2822(when))
    h.append("Message-ID: <%s.%d@%s>" % (qid(rng, 16, "0123456789abcdef"), i, fdom))
    if rng.random() < 0.3:
        ref = "<%s@%s>" % (qid(rng, 12, "0123456789abcdef"), tdom)
        h.append("In-Reply-To: " + ref)
        h.append("References: " + ref)
    mailer = rng.choice(MAILERS)
    if mailer:
        h.append("X-Mailer: " + mailer)
    h.append("MIME-Version: 1.0")

    text = text_body(rng, ja, body_target)

    def body_parts():
        """list of (part headers, body bytes) for the readable body, or a
        multipart/alternative wrapper."""
        th, tb = encode_text_part(rng, text, "plain", ja)
        if not html:
            return th, tb
        hh, hb = encode_text_part(rng, html_of(rng, text), "html", ja)
        b = boundary(rng)
        inner = (b"--" + b.encode() + b"\n" + th.encode() + b"\n" + tb + b"\n--" + b.encode()
                 + b"\n" + hh.encode() + b"\n" + hb + b"\n--" + b.encode() + b"--\n")
        return 'Content-Type: multipart/alternative;\n\tboundary="%s"\n' % b, inner

    if not attach_kind:
        ph, pb = body_parts()
        head = "\n".join(h) + "\n" + ph
        return head.encode("ascii") + b"\n" + mboxrd_escape(pb), "%s@%s" % (flocal, fdom)

    if attach_kind == "pdf":
        title = "Invoice %d" % n
        data = att.pdf(attach_size, n, when, title)
        fn = rng.choice(["請求書_%d.pdf" % n, "invoice_%d.pdf" % n, "見積書(%d).pdf" % n,
                         "Remittance_Advice_%d.pdf" % n])
        ctype = "application/pdf"
    else:
        data = att.zip(attach_size, n, when)
        fn = rng.choice(["請求書_%d.zip" % n, "documents_%d.zip" % n, "発注書一式_%d.zip" % n])
        ctype = rng.choice(["application/zip", "application/x-zip-compressed"])
    if has_non_ascii(fn):
        # what Japanese MUAs write: RFC 2047 in name=, RFC 2231 in filename*=
        name_p = '\tname="%s"' % ew_b(fn, "UTF-8").replace("\n ", " ")
        disp = "\tfilename*=UTF-8''%s" % "".join(
            c if c.isascii() and (c.isalnum() or c in "._-") else
            "".join("%%%02X" % b for b in c.encode("utf-8")) for c in fn)
    else:
        name_p = '\tname="%s"' % fn
        disp = '\tfilename="%s"' % fn
    ph, pb = body_parts()
    b = boundary(rng)
    body = (b"This is a multi-part message in MIME format.\n\n--" + b.encode() + b"\n"
            + ph.encode() + b"\n" + mboxrd_escape(pb) + b"\n--" + b.encode() + b"\n"
            + ("Content-Type: %s;\n%s\nContent-Transfer-Encoding: base64\n"
               "Content-Disposition: attachment;\n%s\n\n" % (ctype, name_p, disp)).encode()
            + b64_lines(data) + b"\n--" + b.encode() + b"--\n")
    head = "\n".join(h) + "\n" + 'Content-Type: multipart/mixed;\n\tboundary="%s"\n' % b
    return head.encode("ascii") + b"\n" + body, "%s@%s" % (flocal, fdom)


def generate(out_dir):
    rng = random.Random(SEED)
    att = Attachments(rng)
    mbox_path = os.path.join(out_dir, "bench.mbox")
    tmp = mbox_path + ".tmp"
    when = BASE_TIME
    with open(tmp, "wb", buffering=4 * 1024 * 1024) as f:
        for i in range(N_MESSAGES):
            when = when + datetime.timedelta(seconds=rng.randrange(60, 3600))
            kind = None
            size = 0
            if rng.random() < ATTACH_RATIO:
                kind = "pdf" if rng.random() < 0.6 else "zip"
                size = rng.randrange(ATTACH_MIN, ATTACH_MAX)
            body_target = int(rng.triangular(1000, 16000, 2500))
            msg, env = make_message(rng, att, i, when, kind, size, body_target)
            f.write(("From %s %s\n" % (env, asctime(when))).encode("ascii"))
            f.write(msg)
            if not msg.endswith(b"\n"):
                f.write(b"\n")
            f.write(b"\n")
    os.replace(tmp, mbox_path)

    # the big message: 15 MB PDF, Japanese text and HTML alternative
    big_rng = random.Random(SEED + 1)
    big_att = Attachments(big_rng)
    data = big_att.pdf(BIG_ATTACH, 20240104, BASE_TIME, "Annual report 2023")
    text = text_body(big_rng, True, 20000)
    th, tb = encode_text_part(big_rng, text, "plain", True)
    hh, hb = encode_text_part(big_rng, html_of(big_rng, text), "html", True)
    b1, b2 = "=_alt_20240104", "=_mixed_20240104"
    chain, _ = received_chain(big_rng, "abc-company.co.jp", "sato.hanako@example.co.jp",
                              "example.co.jp", BASE_TIME, 6)
    h = ["Return-Path: <yamada.taro@abc-company.co.jp>"]
    h += ["Received: " + r for r in reversed(chain)]
    h += ["Authentication-Results: mx.example.co.jp; spf=pass smtp.mailfrom=abc-company.co.jp;"
          "\n\tdkim=pass header.d=abc-company.co.jp; dmarc=pass header.from=abc-company.co.jp",
          "From: " + ew_b("山田 太郎", "ISO-2022-JP") + " <yamada.taro@abc-company.co.jp>",
          "To: " + ew_b("佐藤 花子", "ISO-2022-JP") + " <sato.hanako@example.co.jp>",
          "Subject: " + ew_b("【資料送付】2023年度 年次報告書（最終版）", "ISO-2022-JP"),
          "Date: " + rfc2822(BASE_TIME),
          "Message-ID: <annual-report-2023.20240104@abc-company.co.jp>",
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="%s"' % b2]
    body = ("--%s\nContent-Type: multipart/alternative; boundary=\"%s\"\n\n--%s\n%s\n"
            % (b2, b1, b1, th)).encode() + tb + ("\n--%s\n%s\n" % (b1, hh)).encode() + hb + \
        ("\n--%s--\n\n--%s\nContent-Type: application/pdf; name=\"annual_report_2023.pdf\"\n"
         "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; "
         "filename=\"annual_report_2023.pdf\"\n\n" % (b1, b2)).encode() + b64_lines(data) + \
        ("\n--%s--\n" % b2).encode()
    big_path = os.path.join(out_dir, "big_20mb.eml")
    with open(big_path + ".tmp", "wb") as f:
        f.write(("\n".join(h) + "\n\n").encode("ascii"))
        f.write(body)
    os.replace(big_path + ".tmp", big_path)


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(8 * 1024 * 1024)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def generator_id():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


FILES = ["bench.mbox", "big_20mb.eml"]


def stamp_lines(out_dir):
    lines = ["generator %s" % generator_id()]
    for name in FILES:
        p = os.path.join(out_dir, name)
        lines.append("%s %d %s" % (name, os.path.getsize(p), file_sha256(p)))
    return lines


def up_to_date(out_dir):
    stamp = os.path.join(out_dir, "stamp")
    try:
        with open(stamp) as f:
            want = f.read().split("\n")
    except OSError:
        return False
    want = [w for w in want if w]
    if len(want) != 1 + len(FILES) or want[0] != "generator %s" % generator_id():
        return False
    for name, line in zip(FILES, want[1:]):
        p = os.path.join(out_dir, name)
        parts = line.split()
        if len(parts) != 3 or parts[0] != name:
            return False
        if not os.path.exists(p) or os.path.getsize(p) != int(parts[1]):
            return False
    # sizes match: check content too (about a second for 500 MB)
    return stamp_lines(out_dir)[1:] == want[1:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    ap.add_argument("--force", action="store_true", help="regenerate even if the stamp matches")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if not a.force and up_to_date(a.out):
        print("gen_mbox: %s up to date" % os.path.join(a.out, "bench.mbox"))
        return 0
    stamp = os.path.join(a.out, "stamp")
    if os.path.exists(stamp):
        os.remove(stamp)
    generate(a.out)
    lines = stamp_lines(a.out)
    with open(stamp, "w") as f:
        f.write("\n".join(lines) + "\n")
    for line in lines[1:]:
        name, size, sha = line.split()
        print("gen_mbox: wrote %s (%.1f MB, sha256 %s)" % (name, int(size) / 1e6, sha[:16]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
