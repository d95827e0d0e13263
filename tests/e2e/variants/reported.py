#!/usr/bin/env python3
"""Generates reported-mail wrapping / Japanese charset / malformed MIME cases for kensa.

usage: gen.py [OUTDIR]   (default cases/); writes OUTDIR/*.eml|*.msg and OUTDIR/expected.json
Standard library only.  Includes a minimal OLE2 (MS-CFB v3) writer for Outlook .msg files.
expected.json: {name: {"must": [...], "must_not": [...], "checks": [...], "note": "..."}}
checks use tests/e2e/lib/kensa_e2e.py run_check format; two extra ops used here:
  {"path": P, "excludes": S}  the string at P does not contain S
  {"text_starts": S}          the --format text report starts with S
"""
import base64
import json
import os
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "cases"
os.makedirs(OUT, exist_ok=True)
EXPECT = {}


def put(name, data, must=(), must_not=(), checks=(), note="", crlf=False):
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data.replace(b"\r\n", b"\n")
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    EXPECT[name] = {"must": list(must), "must_not": list(must_not), "checks": list(checks),
                    "note": note}


def b64(b):
    s = base64.b64encode(b).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def ew(text, cs="ISO-2022-JP"):
    return "=?%s?B?%s?=" % (cs, base64.b64encode(text.encode(cs.lower().replace("cp50220", "iso-2022-jp"))).decode())


def jis(text):
    return text.encode("iso-2022-jp")


# ---------------------------------------------------------------- the attack

ATTACK_SUBJECT = "【至急】振込先変更のお願い"
ATTACK_BODY = ("経理部 御中\n\n"
               "いつもお世話になっております。\n"
               "弊社の振込先口座が変更になりましたので、今月分のお支払いは新しい口座へお願いいたします。\n"
               "新しい口座: みずほ銀行 新宿支店 普通 1234567\n\n"
               "株式会社ABC商事 経理部 田中\n")
BENIGN_SUBJECT = "Fw: 不審なメールの報告"
BENIGN_BODY = "情報システム部 御中\n\n不審なメールを受信しましたので転送します。\n\n総務部 佐藤\n"


def attack_headers(subject_raw=None):
    return ("Return-Path: <bounce@mailer.abc-shoji-co-jp.com>\n"
            "Received: from mailer.abc-shoji-co-jp.com (unknown [203.0.113.50]) by mx.example-corp.co.jp"
            " with ESMTP id 4XyZ; Tue, 10 Dec 2024 09:12:03 +0900\n"
            "From: =?ISO-2022-JP?B?GyRCRURDZhsoQg==?= <tanaka@abc-shoji-co-jp.com>\n"
            "Reply-To: tanaka.keiri@freemail.example\n"
            "To: keiri@example-corp.co.jp\n"
            "Subject: %s\n"
            "Date: Tue, 10 Dec 2024 09:12:00 +0900\n"
            "Message-ID: <attack-1@abc-shoji-co-jp.com>\n"
            "MIME-Version: 1.0\n" % (subject_raw or ew(ATTACK_SUBJECT)))


def attack_eml(extra_part=None):
    """The reported attack: ISO-2022-JP, Reply-To elsewhere, payment change."""
    if not extra_part:
        return (attack_headers() +
                "Content-Type: text/plain; charset=ISO-2022-JP\n"
                "Content-Transfer-Encoding: 7bit\n\n").encode() + jis(ATTACK_BODY)
    return (attack_headers() +
            'Content-Type: multipart/mixed; boundary="in-b"\n\n'
            "--in-b\nContent-Type: text/plain; charset=ISO-2022-JP\n"
            "Content-Transfer-Encoding: 7bit\n\n").encode() + jis(ATTACK_BODY) + \
        ("\n--in-b\n" + extra_part + "\n--in-b--\n").encode()


ATTACK_RULES = ["identity.reply_to_differs", "content.payment_change"]


def outer(parts, subject=BENIGN_SUBJECT, boundary="out-b"):
    """A benign report from an employee, multipart/mixed with the given raw parts (bytes)."""
    h = ("From: =?UTF-8?B?%s?= <sato@example-corp.co.jp>\n"
         "To: security@example-corp.co.jp\n"
         "Subject: %s\n"
         "Date: Tue, 10 Dec 2024 10:00:00 +0900\n"
         "Message-ID: <report-1@example-corp.co.jp>\n"
         "MIME-Version: 1.0\n"
         'Content-Type: multipart/mixed; boundary="%s"\n\n'
         % (base64.b64encode("佐藤 花子".encode()).decode(), ew(subject, "UTF-8"), boundary)).encode()
    body = ("--%s\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n%s\n"
            % (boundary, b64(BENIGN_BODY.encode()))).encode()
    out = h + body
    for p in parts:
        out += ("--%s\n" % boundary).encode() + p + b"\n"
    return out + ("--%s--\n" % boundary).encode()


INNER_SUBJ = "attachments.0.message.message.subject"
LEAD = "=== Forwarded message"

# ---------------------------------------------------------------- OLE2 / .msg writer


def ole_write(tree):
    """tree: list of (name, bytes) streams and (name, [children]) storages under the root.
    Returns the bytes of an MS-CFB version 3 compound file (512-byte sectors,
    64-byte mini sectors, streams under 4096 bytes in the mini stream)."""
    ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    dirs = [{"name": "Root Entry", "type": 5, "data": None, "kids": tree}]
    i = 0
    while i < len(dirs):  # flatten breadth-first
        d = dirs[i]
        kids = d.pop("kids", None)
        d["child"] = NOSTREAM
        d.setdefault("left", NOSTREAM)
        d.setdefault("right", NOSTREAM)
        if kids is not None:
            kids = sorted(kids, key=lambda k: (len(k[0]), k[0].upper()))
            idx = []
            for name, val in kids:
                e = {"name": name}
                if isinstance(val, list):
                    e.update(type=1, data=None, kids=val)
                else:
                    e.update(type=2, data=val)
                idx.append(len(dirs))
                dirs.append(e)
            # a balanced-enough tree: middle element is the child, sides as chains
            if idx:
                mid = len(idx) // 2
                d["child"] = idx[mid]
                for a, b in zip(idx[:mid], idx[1:mid]):
                    pass
                left, right = idx[:mid], idx[mid + 1:]
                if left:
                    dirs[idx[mid]]["left"] = left[-1]
                    for j in range(len(left) - 1, 0, -1):
                        dirs[left[j]]["left"] = left[j - 1]
                if right:
                    dirs[idx[mid]]["right"] = right[0]
                    for j in range(len(right) - 1):
                        dirs[right[j]]["right"] = right[j + 1]
        i += 1
    for d in dirs:
        d.setdefault("left", NOSTREAM)
        d.setdefault("right", NOSTREAM)
        d.setdefault("child", NOSTREAM)
    # mini stream
    mini = bytearray()
    minifat = []
    big = []
    for d in dirs:
        if d["type"] != 2:
            continue
        data = d["data"]
        d["size"] = len(data)
        if len(data) == 0:
            d["start"] = ENDOFCHAIN
        elif len(data) < 4096:
            start = len(mini) // 64
            n = (len(data) + 63) // 64
            minifat.extend(range(start + 1, start + n))
            minifat.append(ENDOFCHAIN)
            mini += data + b"\0" * (n * 64 - len(data))
            d["start"] = start
        else:
            big.append(d)
    sectors = []  # list of 512-byte blocks
    fat = []

    def alloc(data):
        if not data:
            return ENDOFCHAIN
        start = len(sectors)
        n = (len(data) + 511) // 512
        for k in range(n):
            sectors.append(bytes(data[k * 512:(k + 1) * 512]).ljust(512, b"\0"))
            fat.append(start + k + 1 if k < n - 1 else ENDOFCHAIN)
        return start

    root = dirs[0]
    root["start"] = alloc(mini)
    root["size"] = len(mini)
    for d in big:
        d["start"] = alloc(d["data"])
    mf = b"".join(struct.pack("<I", x) for x in minifat)
    first_minifat = alloc(mf) if mf else ENDOFCHAIN
    n_minifat = (len(mf) + 511) // 512
    ents = bytearray()
    for d in dirs:
        name = d["name"].encode("utf-16-le") + b"\0\0"
        e = name.ljust(64, b"\0")
        e += struct.pack("<HBB", len(name), d["type"], 1)
        e += struct.pack("<III", d["left"], d["right"], d["child"])
        e += b"\0" * 16 + b"\0" * 4 + b"\0" * 16
        start = d.get("start", 0 if d["type"] == 1 else ENDOFCHAIN)
        if d["type"] == 1:
            start = 0
        e += struct.pack("<IQ", start, d.get("size", 0))
        ents += e
    first_dir = alloc(ents)
    # FAT sectors
    nfat = 1
    while (len(sectors) + nfat) > nfat * 128:
        nfat += 1
    assert nfat <= 109
    fat_start = len(sectors)
    fat.extend([FATSECT] * nfat)
    fat.extend([FREESECT] * (nfat * 128 - len(fat)))
    fb = b"".join(struct.pack("<I", x) for x in fat)
    for k in range(nfat):
        sectors.append(fb[k * 512:(k + 1) * 512])
    hdr = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 16
    hdr += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    hdr += struct.pack("<IIIIIIIII", 0, nfat, first_dir, 0, 4096, first_minifat, n_minifat,
                       ENDOFCHAIN, 0)
    difat = [fat_start + k for k in range(nfat)] + [FREESECT] * (109 - nfat)
    hdr += b"".join(struct.pack("<I", x) for x in difat)
    assert len(hdr) == 512
    return hdr + b"".join(sectors)


def u16(s):
    return s.encode("utf-16-le") + b"\0\0"


def props(header_len, fixed=()):
    """__properties_version1.0: header then 16-byte fixed entries (id, type, value)."""
    out = b"\0" * header_len
    for pid, ptype, val in fixed:
        out += struct.pack("<IIQ", (pid << 16) | ptype, 6, val)
    return out


def msg_storage(subject=None, sender=None, body=None, headers=None, attachments=(), header_len=32,
                string8_cp=None, fixed=()):
    """Children of a message storage.  string8_cp: write strings as PT_STRING8 in that codec."""
    kids = []

    def s(pid, text):
        if text is None:
            return
        if string8_cp:
            kids.append(("__substg1.0_%04X001E" % pid, text.encode(string8_cp) + b"\0"))
        else:
            kids.append(("__substg1.0_%04X001F" % pid, u16(text)))
    s(0x0037, subject)
    if sender:
        s(0x0C1A, sender[0])
        s(0x0C1F, sender[1])
    s(0x1000, body)
    s(0x007D, headers)
    fx = list(fixed)
    if string8_cp:
        fx.append((0x3FFD, 0x0003, 932))
    kids.append(("__properties_version1.0", props(header_len, fx)))
    for n, a in enumerate(attachments):
        ak = [("__properties_version1.0", props(8, a.get("fixed", ())))]
        if "name" in a:
            ak.append(("__substg1.0_3707001F", u16(a["name"])))
        if "data" in a:
            ak.append(("__substg1.0_37010102", a["data"]))
        if "mime" in a:
            ak.append(("__substg1.0_370E001F", u16(a["mime"])))
        if "storage" in a:
            ak.append(("__substg1.0_3701000D", a["storage"]))
        kids.append(("__attach_version1.0_#%08X" % n, ak))
    return kids


ATTACK_TRANSPORT = attack_headers(subject_raw=ew(ATTACK_SUBJECT)) + \
    "Content-Type: text/plain; charset=ISO-2022-JP\n"
ATTACK_TRANSPORT = ATTACK_TRANSPORT.replace("\n", "\r\n")

MSG_ATTACK = ole_write(msg_storage(subject=ATTACK_SUBJECT, body=ATTACK_BODY,
                                   headers=ATTACK_TRANSPORT))

# ================================================================ cases
# --- 00: baseline --------------------------------------------------------
put("00_attack_direct.eml", attack_eml(), ATTACK_RULES,
    checks=[{"path": "message.subject", "equals": ATTACK_SUBJECT},
            {"path": "message.from.0.name", "equals": "田中"}],
    note="the attack itself, not wrapped: baseline for the forwards")

# --- forwards ------------------------------------------------------------
rfc822 = (b'Content-Type: message/rfc822\nContent-Disposition: attachment; filename="attack.eml"\n\n'
          + attack_eml())
put("01_fwd_rfc822.eml", outer([rfc822]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD},
            {"path": "message.subject", "equals": BENIGN_SUBJECT}],
    note="Outlook/Thunderbird forward as attachment")

mid = (b"From: sato@example-corp.co.jp\nTo: kacho@example-corp.co.jp\nSubject: Fw: check this\n"
       b"Date: Tue, 10 Dec 2024 09:40:00 +0900\nMIME-Version: 1.0\n"
       b'Content-Type: multipart/mixed; boundary="mid-b"\n\n'
       b"--mid-b\nContent-Type: text/plain\n\nplease look\n--mid-b\n" + rfc822 + b"\n--mid-b--\n")
rfc822_mid = b"Content-Type: message/rfc822\n\n" + mid
put("02_fwd_rfc822_two_levels.eml", outer([rfc822_mid]), ATTACK_RULES,
    checks=[{"path": "attachments.0.message.attachments.0.message.message.subject",
             "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}],
    note="forwarded forward: two levels of message/rfc822")

octet = (b'Content-Type: application/octet-stream; name="attack.eml"\n'
         b'Content-Disposition: attachment; filename="attack.eml"\n'
         b"Content-Transfer-Encoding: base64\n\n" + b64(attack_eml()).encode())
put("03_fwd_octet_eml.eml", outer([octet]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}],
    note=".eml attached as application/octet-stream (base64)")

textplain = (b'Content-Type: text/plain; name="attack.eml"\n'
             b'Content-Disposition: attachment; filename="attack.eml"\n'
             b"Content-Transfer-Encoding: base64\n\n" + b64(attack_eml()).encode())
put("04_fwd_textplain_eml.eml", outer([textplain]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}],
    note=".eml attached as text/plain (some webmails)")

textplain_inline = (b'Content-Type: text/plain; charset=us-ascii; name="attack.eml"\n'
                    b"Content-Transfer-Encoding: 7bit\n\n" + attack_eml())
put("05_fwd_textplain_eml_noDisposition.eml", outer([textplain_inline]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}],
    note=".eml as text/plain with name= only, no Content-Disposition")

rfc822_b64 = (b'Content-Type: message/rfc822; name="attack.eml"\nContent-Transfer-Encoding: base64\n'
              b'Content-Disposition: attachment; filename="attack.eml"\n\n' + b64(attack_eml()).encode())
put("06_fwd_rfc822_base64.eml", outer([rfc822_b64]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}],
    note="message/rfc822 with CTE base64 (against RFC 2046 but Gmail/Exchange send it)")

msg_part = (b'Content-Type: application/vnd.ms-outlook; name="attack.msg"\n'
            b'Content-Disposition: attachment; filename="attack.msg"\n'
            b"Content-Transfer-Encoding: base64\n\n" + b64(MSG_ATTACK).encode())
put("07_fwd_msg_attached.eml", outer([msg_part]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}],
    note="Outlook .msg attached to the report")

exe_part = ('Content-Type: application/octet-stream; name="%s"\n'
            'Content-Disposition: attachment; filename="%s"\n'
            "Content-Transfer-Encoding: base64\n\n%s" %
            (ew("請求書.exe", "ISO-2022-JP"), ew("請求書.exe", "ISO-2022-JP"),
             b64(b"MZ\x90\0" + b"\0" * 60 + b"PE\0\0" + b"\0" * 200)))
rfc822_exe = b"Content-Type: message/rfc822\n\n" + attack_eml(exe_part)
put("08_fwd_rfc822_inner_exe.eml", outer([rfc822_exe]), ATTACK_RULES + ["attachment.dangerous_type"],
    checks=[{"attachment_filename": "請求書.exe"}],
    note="forwarded attack carrying an .exe with an ISO-2022-JP encoded-word name")

inline_fwd = (BENIGN_BODY + "\n-----Original Message-----\n"
              "From: 田中 <tanaka@abc-shoji-co-jp.com>\nSent: Tuesday, December 10, 2024 9:12 AM\n"
              "To: keiri@example-corp.co.jp\nSubject: " + ATTACK_SUBJECT + "\n\n" + ATTACK_BODY)
put("09_inline_fwd_original_message.eml",
    ("From: sato@example-corp.co.jp\nTo: security@example-corp.co.jp\nSubject: FW: " + ew(ATTACK_SUBJECT) +
     "\nDate: Tue, 10 Dec 2024 10:00:00 +0900\nMIME-Version: 1.0\n"
     "Content-Type: text/plain; charset=ISO-2022-JP\n\n").encode() + jis(inline_fwd),
    ["content.payment_change"],
    checks=[{"path": "body.text", "contains": "新しい口座"}],
    note="inline forward (Outlook): only the body content rules can see the attack")

inline_fwd_ja = (BENIGN_BODY + "\n---------- 転送メッセージ ----------\n"
                 "差出人: 田中 <tanaka@abc-shoji-co-jp.com>\n送信日時: 2024年12月10日 9:12\n"
                 "宛先: keiri@example-corp.co.jp\n件名: " + ATTACK_SUBJECT + "\n\n" + ATTACK_BODY)
put("10_inline_fwd_tensou_sjis.eml",
    ("From: sato@example-corp.co.jp\nTo: security@example-corp.co.jp\nSubject: " + ew("転送: " + ATTACK_SUBJECT) +
     "\nDate: Tue, 10 Dec 2024 10:00:00 +0900\nMIME-Version: 1.0\n"
     "Content-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + inline_fwd_ja.encode("cp932"),
    ["content.payment_change"],
    checks=[{"path": "body.text", "contains": "差出人: 田中"}],
    note="inline forward, Japanese Outlook labels, Shift_JIS 8bit")

# --- .msg direct -----------------------------------------------------------
put("11_msg_transport_headers.msg", MSG_ATTACK, ATTACK_RULES,
    checks=[{"path": "message.subject", "equals": ATTACK_SUBJECT},
            {"path": "source.format", "equals": "msg"},
            {"path": "body.text", "contains": "新しい口座"}],
    note=".msg with PR_TRANSPORT_MESSAGE_HEADERS (Unicode)")

put("12_msg_no_transport_headers.msg",
    ole_write(msg_storage(subject=ATTACK_SUBJECT, sender=("田中", "tanaka@abc-shoji-co-jp.com"),
                          body=ATTACK_BODY)),
    ["content.payment_change"],
    checks=[{"path": "message.subject", "equals": ATTACK_SUBJECT},
            {"path": "message.from.0.address", "equals": "tanaka@abc-shoji-co-jp.com"}],
    note=".msg draft without transport headers: headers synthesized")

put("13_msg_string8_cp932.msg",
    ole_write(msg_storage(subject=ATTACK_SUBJECT, sender=("田中", "tanaka@abc-shoji-co-jp.com"),
                          body=ATTACK_BODY, string8_cp="cp932")),
    ["content.payment_change"],
    checks=[{"path": "message.subject", "equals": ATTACK_SUBJECT},
            {"path": "body.text", "contains": "新しい口座"}],
    note="ANSI .msg: PT_STRING8 in CP932 with PR_MESSAGE_CODEPAGE 932")

put("14_msg_attachment_exe.msg",
    ole_write(msg_storage(subject="請求書", body="添付をご確認ください", headers=ATTACK_TRANSPORT,
                          attachments=[{"name": "請求書.pdf.exe",
                                        "data": b"MZ\x90\0" + b"\0" * 5000}])),
    ["attachment.dangerous_type", "attachment.deceptive_name"],
    checks=[{"attachment_filename": "請求書.pdf.exe"}, {"path": "attachments.0.size", "equals": 5004}],
    note=".msg with a by-value attachment (big stream, >4096 bytes)")

inner_storage = msg_storage(subject=ATTACK_SUBJECT, body=ATTACK_BODY, headers=ATTACK_TRANSPORT,
                            header_len=24)
put("15_msg_embedded_msg.msg",
    ole_write(msg_storage(subject="FW: " + ATTACK_SUBJECT, body="転送します",
                          sender=("佐藤", "sato@example-corp.co.jp"),
                          attachments=[{"name": ATTACK_SUBJECT, "storage": inner_storage,
                                        "fixed": [(0x3705, 0x0003, 5)]}])),
    ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}],
    note="Outlook 'forward as attachment' saved as .msg: ATTACH_EMBEDDED_MSG storage")

put("16_msg_with_eml_attached.msg",
    ole_write(msg_storage(subject="FW: 報告", body="転送します", sender=("佐藤", "sato@example-corp.co.jp"),
                          attachments=[{"name": "attack.eml", "data": attack_eml(),
                                        "mime": "message/rfc822"}])),
    ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}],
    note=".msg carrying a .eml file attachment (by value)")

# --- Japanese charsets -------------------------------------------------------
NEC = "①②㈱№髙﨑"
JA = "お支払い口座の変更 " + NEC + " 以上"


def simple(name, ctype_line, body_bytes, checks, note, must=(), cte="8bit", subject_raw=None):
    put(name, ("From: =?UTF-8?B?5bGx55Sw?= <yamada@example.co.jp>\nTo: keiri@example-corp.co.jp\n"
               "Subject: %s\nDate: Tue, 10 Dec 2024 09:12:00 +0900\nMIME-Version: 1.0\n"
               "%s\nContent-Transfer-Encoding: %s\n\n" % (subject_raw or "test", ctype_line, cte)).encode()
        + body_bytes, must, checks=checks, note=note)


hw = "ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ"
cp50220 = "半角カナ ".encode("iso-2022-jp") + b"\x1b(I" + hw.encode("cp932").translate(
    bytes(range(128)) + bytes(b - 0x80 if 0xA1 <= b <= 0xDF else b for b in range(128, 256))) + b"\x1b(B"
simple("17_iso2022jp_cp50220_kana.eml", "Content-Type: text/plain; charset=ISO-2022-JP",
       cp50220 + b"\n" + "丸数字".encode("iso-2022-jp") + b"\x1b$B-!\x1b(B\n",
       [{"path": "body.text", "contains": "ｶﾌﾞｼｷｶﾞｲｼｬ ﾃｽﾄ"}, {"path": "body.text", "contains": "丸数字①"},
        {"path": "message.subject", "equals": "ｱｲｳ 半角"}],
       "CP50220: half-width katakana via ESC ( I; NEC row 13 ① (0x2D21)", cte="7bit",
       subject_raw="=?ISO-2022-JP?B?%s?=" % base64.b64encode(
           b"\x1b(I123\x1b(B \x1b$BH>3Q\x1b(B").decode())
for i, label in enumerate(["Shift_JIS", "x-sjis", "MS932", "windows-31j", "cp932"]):
    simple("%02d_sjis_label_%s.eml" % (18 + i, label.replace("-", "_")),
           "Content-Type: text/plain; charset=%s" % label, JA.encode("cp932"),
           [{"path": "body.text", "contains": JA}], "CP932 body labelled %s" % label,
           must=["content.payment_change"])
simple("23_eucjp.eml", "Content-Type: text/plain; charset=EUC-JP", "振込先口座の変更をお願いします。".encode("euc_jp"),
       [{"path": "body.text", "contains": "振込先口座の変更をお願いします。"}], "EUC-JP body",
       must=["content.payment_change"])
simple("24_utf8_bom.eml", "Content-Type: text/plain; charset=UTF-8",
       b64(b"\xef\xbb\xbf" + "振込先口座の変更をお願いします。".encode()).encode(),
       [{"path": "body.text", "contains": "振込先口座の変更"},
        {"path": "body.text", "excludes": "\ufeff"}], "UTF-8 with BOM (base64)",
       must=["content.payment_change"], cte="base64")
EXPECT["24_utf8_bom.eml"]["must_not"] = ["display.control_characters"]
simple("25_nocharset_jis_escapes.eml", "Content-Type: text/plain",
       "振込先口座の変更をお願いします。".encode("iso-2022-jp"),
       [{"path": "body.text", "contains": "振込先口座の変更をお願いします。"}],
       "no charset parameter, ISO-2022-JP escapes", must=["content.payment_change"], cte="7bit")
simple("26_no_content_type_jis.eml", "X-Dummy: 1",
       "振込先口座の変更をお願いします。".encode("iso-2022-jp"),
       [{"path": "body.text", "contains": "振込先口座の変更をお願いします。"}],
       "no Content-Type at all, ISO-2022-JP body (old Japanese mailers)", must=["content.payment_change"],
       cte="7bit")
simple("27_utf8_labelled_latin1.eml", "Content-Type: text/plain; charset=iso-8859-1",
       "振込先口座の変更をお願いします。".encode(),
       [{"path": "body.text", "contains": "振込先口座の変更をお願いします。"}],
       "UTF-8 body with a wrong iso-8859-1 label", must=["content.payment_change"])
simple("28_raw_8bit_sjis_subject.eml", "Content-Type: text/plain; charset=Shift_JIS",
       "本文".encode("cp932"), [{"path": "message.subject", "equals": "【重要】口座変更のお知らせ"}],
       "raw 8-bit Shift_JIS Subject header (no encoded-word)")
# patch subject bytes in 28 (raw Shift_JIS)
p28 = os.path.join(OUT, "28_raw_8bit_sjis_subject.eml")
with open(p28, "rb") as f:
    d = f.read().replace(b"Subject: test", b"Subject: " + "【重要】口座変更のお知らせ".encode("cp932"))
with open(p28, "wb") as f:
    f.write(d)


def attach_case(name, cd_line, want, note, ct_line='Content-Type: application/pdf'):
    part = ("%s\n%s\nContent-Transfer-Encoding: base64\n\n%s" % (ct_line, cd_line, b64(b"%PDF-1.4\n%%EOF\n"))).encode()
    put(name, outer([part], subject="請求書送付"), checks=[{"attachment_filename": want}], note=note)


fn = "請求書_2024年12月.pdf"
pct = "".join("%%%02X" % b for b in fn.encode("iso-2022-jp"))
attach_case("29_rfc2231_iso2022jp.eml",
            "Content-Disposition: attachment;\n filename*=ISO-2022-JP''%s" % pct, fn,
            "RFC 2231 filename in ISO-2022-JP")
u = "".join("%%%02X" % b for b in fn.encode())
attach_case("30_rfc2231_continuations.eml",
            "Content-Disposition: attachment;\n filename*0*=UTF-8''%s;\n filename*1*=%s;\n filename*2=\".pdf\"" %
            (u[:30], u[30:-12]), fn, "RFC 2231 continuations, mixed encoded and plain segments")
attach_case("31_ew_in_quoted_filename_split.eml",
            'Content-Disposition: attachment;\n filename="%s\n %s"' %
            (ew("請求書_2024", "ISO-2022-JP"), ew("年12月.pdf", "ISO-2022-JP")), fn,
            "two encoded-words inside a quoted, folded filename (Outlook)")
attach_case("32_rfc2231_sjis_name_param.eml",
            "Content-Disposition: attachment",
            fn, "RFC 2231 name*= on Content-Type only, Shift_JIS",
            ct_line="Content-Type: application/pdf;\n name*=shift_jis''%s" %
            "".join("%%%02X" % b for b in fn.encode("cp932")))

mixed = ("--mx\nContent-Type: text/plain; charset=ISO-2022-JP\n\n").encode() + "第一部 JIS".encode("iso-2022-jp") + \
    ("\n--mx\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n").encode() + \
    "第二部 ＳＪＩＳ ㈱".encode("cp932") + \
    ("\n--mx\nContent-Type: text/plain; charset=EUC-JP\nContent-Transfer-Encoding: 8bit\n\n").encode() + \
    "第三部 EUC".encode("euc_jp") + \
    ("\n--mx\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n").encode() + \
    "".join("=%02X" % b for b in "第四部 UTF8".encode()).encode() + b"\n--mx--\n"
simple("33_mixed_charset_multipart.eml", 'Content-Type: multipart/mixed; boundary="mx"', mixed,
       [{"path": "body.text", "contains": t} for t in ["第一部 JIS", "第二部 ＳＪＩＳ ㈱", "第三部 EUC", "第四部 UTF8"]],
       "four text/plain parts in four charsets", cte="7bit")

# --- malformed MIME ------------------------------------------------------------
exe = ('Content-Type: application/octet-stream; name="a.exe"\nContent-Disposition: attachment; filename="a.exe"\n'
       "Content-Transfer-Encoding: base64\n\n" + b64(b"MZ\x90\0" + b"\0" * 300)).encode()
o = outer([exe])
o = o[:o.rindex(b"--out-b--")]
put("34_missing_closing_boundary.eml", o, ["input.malformed", "attachment.dangerous_type"],
    checks=[{"attachment_filename": "a.exe"}], note="no closing boundary: truncated multipart")

payload = b"AAAA" * 300 + b"\x00\x10\x83" * 100
bpart = ('Content-Type: application/zip; name="x.bin"\nContent-Disposition: attachment; filename="x.bin"\n'
         "Content-Transfer-Encoding: base64\n\n" + b64(payload)).encode()
put("35_boundary_inside_base64.eml", outer([bpart], boundary="QUFB"), [],
    checks=[{"attachment_filename": "x.bin"}, {"path": "attachments.0.size", "equals": len(payload)}],
    note="boundary string QUFB occurs inside the base64 lines (not at line start after --)")

dup = (b"From: a@example.com\nTo: b@example.com\nSubject: dup\nMIME-Version: 1.0\n"
       b"Content-Type: text/plain\nContent-Type: multipart/mixed; boundary=\"d\"\n\n"
       b"--d\nContent-Type: text/plain\n\nhello\n--d\n" + exe + b"\n--d--\n")
put("36_duplicate_content_type.eml", dup, ["input.malformed"], checks=[{"path": "message.subject", "equals": "dup"}],
    note="two Content-Type headers; which one wins is undefined: flag it")

fold = (b"From: a@example.com\nTo: b@example.com\nSubject: first\n \n  second\nX-After: yes\n"
        b"Reply-To: evil@attacker.example\nDate: Tue, 10 Dec 2024 09:12:00 +0900\n\nbody text\n")
put("37_fold_whitespace_only_line.eml", fold, ["identity.reply_to_differs"],
    checks=[{"path": "message.subject", "contains": "first"},
            {"path": "message.reply_to.0.address", "equals": "evil@attacker.example"}],
    note="header folded with a whitespace-only line: the rest of the header block must still be read")

nul = (b"From: a@example.com\nTo: b@example.com\nSubject: nul\x00byte\nReply-To: evil@attacker.example\n"
       b"Date: Tue, 10 Dec 2024 09:12:00 +0900\nContent-Type: text/plain; charset=UTF-8\n\n"
       b"hello\x00world \xe6\x8c\xaf\xe8\xbe\xbc\xe5\x85\x88\xe5\x8f\xa3\xe5\xba\xa7\xe3\x81\xae\xe5\xa4\x89\xe6\x9b\xb4\n")
put("38_nul_bytes.eml", nul, ["identity.reply_to_differs", "content.payment_change"],
    checks=[{"path": "body.text", "contains": "world"}], note="NUL in a header and in the body")

eight = ("From: 代表取締役 山田 <yamada@example.co.jp>\nTo: b@example.com\nSubject: 至急 口座変更\n"
         "Date: Tue, 10 Dec 2024 09:12:00 +0900\n\n本文\n").encode()
put("39_8bit_utf8_headers.eml", eight, checks=[{"path": "message.from.0.name", "equals": "代表取締役 山田"},
                                                {"path": "message.subject", "equals": "至急 口座変更"}],
    note="raw UTF-8 in From and Subject (EAI-style / broken mailer)")

longl = (b"From: a@example.com\nTo: b@example.com\nSubject: long\nX-Long: " + b"x" * (1 << 20) +
         b"\nReply-To: evil@attacker.example\nContent-Type: text/plain\n\n" + b"y" * (1 << 20) +
         "\n振込先口座の変更\n".encode())
put("40_long_lines_1mb.eml", longl, ["identity.reply_to_differs"],
    checks=[{"path": "message.subject", "equals": "long"}], note="1 MB header line and 1 MB body line")

nest = b"From: a@example.com\nTo: b@example.com\nSubject: nest\nMIME-Version: 1.0\n"
inner = b"Content-Type: text/plain\n\ndeep\n"
for k in range(200, 0, -1):
    inner = (b'Content-Type: multipart/mixed; boundary="n%d"\n\n--n%d\n' % (k, k)) + inner + (b"\n--n%d--\n" % k)
put("41_nested_200_multiparts.eml", nest + inner, ["input.malformed"],
    checks=[{"path": "message.subject", "equals": "nest"}], note="200 nested multiparts")

rfc822_trunc = b"Content-Type: message/rfc822\n\n" + attack_eml(exe.decode())[:-12]
put("42_fwd_inner_truncated.eml", outer([rfc822_trunc]), ATTACK_RULES + ["input.malformed"],
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}],
    note="forwarded inner message whose multipart lacks a closing boundary")

html_fwd = ("<html><body><p>転送します。</p><div style='border-top:solid #E1E1E1 1.0pt'>"
            "<p><b>差出人:</b> 田中 &lt;tanaka@abc-shoji-co-jp.com&gt;<br><b>送信日時:</b> 2024年12月10日 9:12<br>"
            "<b>件名:</b> " + ATTACK_SUBJECT + "</p></div><p>" + ATTACK_BODY.replace("\n", "<br>") + "</p></body></html>")
put("43_inline_fwd_html_only_sjis.eml",
    ("From: sato@example-corp.co.jp\nTo: security@example-corp.co.jp\nSubject: FW: test\n"
     "Date: Tue, 10 Dec 2024 10:00:00 +0900\nMIME-Version: 1.0\n"
     "Content-Type: text/html; charset=\"shift_jis\"\nContent-Transfer-Encoding: quoted-printable\n\n").encode()
    + "".join("=%02X" % b for b in html_fwd.encode("cp932")).encode(),
    ["content.payment_change"], checks=[{"path": "body.text", "contains": "新しい口座"}],
    note="Outlook HTML-only inline forward, Shift_JIS quoted-printable")
put("44_fwd_rfc822_crlf.eml", outer([rfc822_b64]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"text_starts": LEAD}], crlf=True,
    note="whole report in CRLF line endings (as saved from Outlook/Exchange), inner base64 rfc822")
jname = "転送：至急のご確認.eml"
octet_j = ('Content-Type: application/octet-stream;\n name*=ISO-2022-JP\'\'%s\n'
           'Content-Disposition: attachment;\n filename*=ISO-2022-JP\'\'%s\n'
           "Content-Transfer-Encoding: base64\n\n" % (("".join("%%%02X" % b for b in jname.encode("iso-2022-jp")),) * 2)
           ).encode() + b64(attack_eml()).encode()
put("45_fwd_octet_eml_japanese_name.eml", outer([octet_j]), ATTACK_RULES,
    checks=[{"path": INNER_SUBJ, "equals": ATTACK_SUBJECT}, {"attachment_filename": jname}],
    note=".eml as octet-stream with an RFC 2231 ISO-2022-JP file name")
nul_fwd = b"Content-Type: message/rfc822\n\n" + attack_eml().replace("いつも".encode("iso-2022-jp")[3:7], b"\x00" + "いつも".encode("iso-2022-jp")[3:7])
put("46_fwd_inner_with_nul.eml", outer([nul_fwd]), ATTACK_RULES,
    checks=[{"path": "attachments.0.message.body.text", "contains": "新しい口座"}],
    note="forwarded inner whose ISO-2022-JP body holds a NUL byte")

T = "振込先口座の変更をお願いします。"
for n, (label, body, note) in enumerate([
        ("ISO-2022-JP", T.encode("cp932"), "Shift_JIS 8bit body labelled ISO-2022-JP (Japanese mobile/webform mailers)"),
        ("ISO-2022-JP", T.encode(), "UTF-8 body labelled ISO-2022-JP"),
        ("Shift_JIS", T.encode(), "UTF-8 body labelled Shift_JIS"),
        ("UTF-8", T.encode("euc_jp"), "EUC-JP body labelled UTF-8"),
        ("Shift_JIS", T.encode("euc_jp"), "EUC-JP body labelled Shift_JIS"),
        ("iso-8859-1", T.encode("cp932"), "Shift_JIS body labelled iso-8859-1 (webform default)")]):
    simple("%d_mislabel_%s_%d.eml" % (47 + n, label.replace("-", "_"), n),
           "Content-Type: text/plain; charset=%s" % label, body,
           [{"path": "body.text", "contains": T}], note, must=["content.payment_change"])

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(EXPECT, f, ensure_ascii=False, indent=1)
print("%d cases in %s" % (len(EXPECT), OUT))
