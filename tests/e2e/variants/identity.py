#!/usr/bin/env python3
"""Variant mails for kensa's identity / BEC-text rules (red-team set).

Writes *.eml and expected.json into the directory given (default cases/);
tests/e2e/test_variants.py runs them.  Standard library only, fixed
content.  Cast differs from samples/build.py on purpose:
  victim  西風工業  nishikaze-kogyo.co.jp
  partner 朝日部品  asahi-buhin.co.jp     (and a short-label partner mhi.co.jp)
  US arm  westwind-ind.com
All attacker infrastructure under .example or fictional.
"""
import base64
import json
import os
import quopri
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases")

VICTIM = "nishikaze-kogyo.co.jp"
PARTNER = "asahi-buhin.co.jp"
MX = "mx1." + VICTIM
KEIRI = ("経理部 伊藤 美咲", "misaki.ito@" + VICTIM)
PAYROLL = ("Payroll", "payroll@westwind-ind.com")

CASES = {}


def ew(text, charset="ISO-2022-JP", per=10, enc="B"):
    codec = {"ISO-2022-JP": "iso2022_jp", "UTF-8": "utf-8", "Shift_JIS": "cp932"}[charset]
    words = []
    for i in range(0, len(text), per):
        chunk = text[i:i + per].encode(codec)
        if enc == "B":
            words.append("=?%s?B?%s?=" % (charset, base64.b64encode(chunk).decode()))
        else:
            q = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122) else "=%02X" % b
                        for b in chunk)
            words.append("=?%s?Q?%s?=" % (charset, q))
    return "\n ".join(words)


def addr(name, address, charset="ISO-2022-JP"):
    if name is None:
        return "<%s>" % address
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, address)
    return "%s <%s>" % (ew(name, charset), address)


def ar(spf, mailfrom, dkim, dkim_d, dmarc, hfrom):
    s = "%s;\n\tspf=%s smtp.mailfrom=%s;\n\t" % (MX, spf, mailfrom)
    s += ("dkim=%s header.d=%s;\n\t" % (dkim, dkim_d)) if dkim_d else "dkim=none (message not signed);\n\t"
    s += "dmarc=%s header.from=%s" % (dmarc, hfrom)
    return ("Authentication-Results", s)


def rcvd(helo, ip, date, rcpt):
    return ("Received", "from %s (%s [%s])\n\tby %s (Postfix) with ESMTPS id 4ZkQ2x1Yq7z9\n\tfor <%s>;\n\t%s"
            % (helo, helo, ip, MX, rcpt.split("<")[-1].rstrip(">"), date))


def body_part(text, charset="ISO-2022-JP", cte=None, subtype="plain"):
    """(headers, payload) for a text body in a given charset / transfer encoding."""
    if charset == "ISO-2022-JP":
        return ([("Content-Type", 'text/%s; charset="ISO-2022-JP"' % subtype),
                 ("Content-Transfer-Encoding", "7bit")], text.encode("iso2022_jp"))
    codec = {"UTF-8": "utf-8", "Shift_JIS": "shift_jis", "us-ascii": "ascii",
             "ISO-8859-1": "latin-1", "windows-1252": "cp1252"}[charset]
    raw = text.encode(codec)
    if cte is None:
        cte = "8bit" if any(b >= 0x80 for b in raw) else "7bit"
    if cte == "base64":
        payload = base64.encodebytes(raw)
    elif cte == "quoted-printable":
        payload = quopri.encodestring(raw)
    else:
        payload = raw
    return ([("Content-Type", 'text/%s; charset="%s"' % (subtype, charset)),
             ("Content-Transfer-Encoding", cte)], payload)


def alt(parts, boundary):
    out = b"This is a multi-part message in MIME format.\n"
    for hdrs, payload in parts:
        out += ("\n--%s\n" % boundary).encode()
        out += "".join("%s: %s\n" % h for h in hdrs).encode() + b"\n" + payload
        if not payload.endswith(b"\n"):
            out += b"\n"
    out += ("\n--%s--\n" % boundary).encode()
    return ([("Content-Type", 'multipart/alternative;\n\tboundary="%s"' % boundary)], out)


def write(name, headers, body, must, must_not=(), bec=None, note=""):
    """headers: list of (name, value) (str; raw UTF-8 allowed); body: (hdrs, bytes)."""
    bh, payload = body
    hdrs = list(headers) + [("MIME-Version", "1.0")] + bh
    data = "".join("%s: %s\n" % h for h in hdrs).encode("utf-8") + b"\n" + payload
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(data)
    CASES[name] = {"must": sorted(must), "must_not": sorted(must_not), "bec_type": bec, "note": note}


def std(frm, to, subject, date, msgid, rp=None, auth=None, extra=(), received=None):
    h = []
    if rp is not None:
        h.append(("Return-Path", "<%s>" % rp))
    if auth:
        h.append(auth)
    h.append(received or rcvd("mail.sender.example", "198.51.100.23", date, to))
    h += [("From", frm)]
    h += list(extra)
    h += [("To", to), ("Subject", subject), ("Date", date), ("Message-ID", msgid)]
    return h


ID = ["identity.reply_to_differs", "identity.envelope_from_differs", "identity.display_name_spoof",
      "identity.lookalike_domain"]
CT = ["content.payment_change", "content.confidential_request"]


def quoted_ja(frm_name, frm_addr, date, to_line, subject, text):
    """An Outlook (Japanese UI) quote: 差出人/送信日時/宛先/件名 then the text, unindented."""
    return ("\n\n-----Original Message-----\n"
            "差出人: %s <%s>\n送信日時: %s\n宛先: %s\n件名: %s\n\n%s"
            % (frm_name, frm_addr, date, to_line, subject, text))


# ============================================================= lookalike domains

def lookalikes():
    inv_ja = ("西風工業株式会社\n経理部 伊藤様\n\n"
              "いつも大変お世話になっております。朝日部品の山本でございます。\n\n"
              "標記の件、弊社の取引銀行の都合により、今月のお支払い分より\n"
              "お振込先が変わりますので、ご連絡いたしました。\n"
              "新しいお振込先は以下のとおりでございます。\n\n"
              "  架空銀行 新宿支店 普通 7777777 アサヒブヒン（カ\n\n"
              "お手数をおかけいたしますが、何卒よろしくお願い申し上げます。\n\n"
              "--\n朝日部品株式会社 営業部\n山本 直樹\n")
    orig = ("西風工業株式会社\n経理部 伊藤様\n\n11月分の請求書をお送りいたします。\n"
            "ご確認のほどよろしくお願いいたします。\n\n--\n朝日部品株式会社 営業部\n山本 直樹\n"
            "TEL 03-0000-1111  E-mail: naoki.yamamoto@asahi-buhin.co.jp\n")
    q = quoted_ja("山本 直樹", "naoki.yamamoto@" + PARTNER, "2024年12月2日 10:15",
                  "伊藤 美咲 <%s>" % KEIRI[1], "11月分 請求書送付の件", orig)

    # L01 deletion in the partner domain; reference only in the quoted Outlook header
    fake = "naoki.yamamoto@asahi-buhn.co.jp"
    write("L01_deletion_partner_quoted",
          std(addr("朝日部品 山本 直樹", fake), addr(*KEIRI), "RE: " + ew("11月分 請求書送付の件"),
              "Tue, 03 Dec 2024 14:02:11 +0900", "<a1@asahi-buhn.co.jp>", rp=fake,
              auth=ar("pass", fake, "none", None, "none", "asahi-buhn.co.jp")),
          body_part(inv_ja + q),
          ["identity.lookalike_domain", "content.payment_change"],
          ["identity.reply_to_differs", "identity.envelope_from_differs"], bec=1,
          note="お振込先が変わります / 新しいお振込先: no 変更, no 口座")

    # L02 insertion, victim's own domain (CEO impersonation), reference = To
    fake = "president@nishikaze-kougyo.co.jp"
    txt = ("伊藤さん\n\nお疲れ様です。\n現在、ある企業との業務提携を水面下で進めています。\n"
           "この件は内密にお願いします。社内の誰にも話さないでください。\n"
           "本日中に送金が必要になりますので、このメールに返信ください。\n\n社長 中村\n")
    write("L02_insertion_own_domain_ceo",
          std(addr("中村 浩二", fake), addr(*KEIRI), ew("【内密】至急のお願い"),
              "Wed, 04 Dec 2024 09:40:00 +0900", "<l02@nishikaze-kougyo.co.jp>", rp=fake,
              auth=ar("pass", fake, "none", None, "none", "nishikaze-kougyo.co.jp")),
          body_part(txt),
          ["identity.lookalike_domain", "content.confidential_request"],
          ["identity.envelope_from_differs"], bec=2)

    # L03 substitution
    fake = "misaki.ito@nishikaze-kogya.co.jp"
    write("L03_substitution_cc",
          std(addr("朝日部品 山本 直樹", "naoki.yamamoto@asahi-buhin-jp.example"), addr(*KEIRI),
              "RE: " + ew("お支払いについて"), "Wed, 04 Dec 2024 11:00:00 +0900",
              "<l03@asahi-buhin-jp.example>",
              extra=[("Cc", addr("経理部 伊藤 美咲", fake))]),
          body_part("伊藤様\n\nお世話になっております。添付の通りご確認ください。\n\n山本\n"),
          ["identity.lookalike_domain"], bec=1,
          note="Cc is the victim's colleague on kogyo->kogya; From asahi-buhin-jp.example vs nothing")

    # L04 transposition
    fake = "naoki.yamamoto@asahi-buihn.co.jp"
    write("L04_transposition_cc_real_partner",
          std(addr("山本 直樹", fake), addr(*KEIRI), "RE: " + ew("請求書"),
              "Thu, 05 Dec 2024 10:00:00 +0900", "<l04@asahi-buihn.co.jp>", rp=fake,
              extra=[("Cc", addr("朝日部品 経理", "keiri@" + PARTNER))]),
          body_part("伊藤様\n\n振込先口座を変更いたしましたので、今後は下記口座へお願いします。\n\n山本\n"),
          ["identity.lookalike_domain", "content.payment_change"], bec=1,
          note="reference is the real partner in Cc (a recipient)")

    # L05 punycode Cyrillic homoglyph (а U+0430 in 'asahi')
    label = "\u0430sahi-buhin"
    puny = "xn--" + label.encode("punycode").decode()
    fake = "naoki.yamamoto@%s.co.jp" % puny
    write("L05_homoglyph_punycode",
          std(addr("Naoki Yamamoto", fake), addr("Misaki Ito", KEIRI[1]), "RE: Invoice INV-2024-1187",
              "Thu, 05 Dec 2024 02:00:00 +0000", "<l05@%s.co.jp>" % puny, rp=fake),
          body_part("Dear Ms. Ito,\n\nPlease note that we have changed our bank. Kindly send the payment "
                    "for INV-2024-1187 to our new account details below.\n\nBest regards,\nNaoki Yamamoto\n"
                    "Asahi Buhin Co., Ltd.\n\n> From: Naoki Yamamoto <naoki.yamamoto@asahi-buhin.co.jp>\n"
                    "> Please find the invoice attached.\n", "us-ascii"),
          ["identity.lookalike_domain", "content.payment_change"], bec=1)

    # L06 raw UTF-8 Cyrillic in Reply-To (SMTPUTF8), From is real partner spoof-free freemail
    fake = "n.yamamoto@asahi-buhin.co.jp".replace("asahi", "\u0430s\u0430hi")
    write("L06_homoglyph_raw_utf8_replyto",
          std(addr("山本 直樹", "asahibuhin.yamamoto@gmail.com", "UTF-8"), addr(*KEIRI),
              ew("【朝日部品】口座情報変更のお知らせ", "UTF-8"), "Thu, 05 Dec 2024 13:00:00 +0900",
              "<l06@mail.gmail.com>", rp="asahibuhin.yamamoto@gmail.com",
              extra=[("Reply-To", fake)]),
          body_part("伊藤様\n\n口座情報変更のお知らせをお送りします。\n\n朝日部品 山本\n"
                    "naoki.yamamoto@asahi-buhin.co.jp\n", "UTF-8", "base64"),
          ["identity.lookalike_domain", "identity.reply_to_differs", "content.payment_change"],
          bec=1, note="口座情報変更 (no の): phrase list has 口座変更 / 口座の変更 only")

    # L07 separator J-CSIP style: partner.co.jp -> partner-co-jp.com, ref in signature of quote
    fake = "naoki.yamamoto@asahi-buhin-co-jp.com"
    write("L07_separator_label_com",
          std(addr("朝日部品 山本 直樹", fake), addr(*KEIRI), "RE: " + ew("11月分 請求書送付の件"),
              "Tue, 03 Dec 2024 16:22:00 +0900", "<l07@asahi-buhin-co-jp.com>", rp=fake),
          body_part(inv_ja.replace("お振込先が変わります", "振込先口座の変更となります") + q, "Shift_JIS"),
          ["identity.lookalike_domain", "content.payment_change"], bec=1)

    # L08 short-label partner: mhi.co.jp -> mhi-co-jp.com
    fake = "sales@mhi-co-jp.com"
    write("L08_separator_short_label",
          std(addr("MHI Sales", fake), addr("Misaki Ito", KEIRI[1]), "RE: PO 4410",
              "Fri, 06 Dec 2024 01:00:00 +0000", "<l08@mhi-co-jp.com>", rp=fake),
          body_part("Hello,\n\nDue to an ongoing audit, please update our bank details in your system "
                    "before the payment run.\n\n> From: Sales <sales@mhi.co.jp>\n> PO 4410 confirmed.\n",
                    "us-ascii"),
          ["identity.lookalike_domain", "content.payment_change"], bec=1,
          note="3-letter label: KS_LOOKALIKE_MIN_LABEL guards the separator technique too")

    # L09 tld-swap + hyphen removed, own domain, Reply-To freemail
    fake = "k.nakamura@nishikazekogyo.com"
    write("L09_separator_tldswap_own",
          std(addr("Koji Nakamura", fake), addr("Misaki Ito", KEIRI[1]), "Quick task",
              "Fri, 06 Dec 2024 02:00:00 +0000", "<l09@nishikazekogyo.com>", rp=fake,
              extra=[("Reply-To", "koji.nakamura.office@outlook.com")]),
          body_part("Misaki,\n\nAre you at your desk? I need you to process an urgent wire today for a "
                    "confidential acquisition. Keep this between us until it is announced.\n\n"
                    "Koji Nakamura\nPresident & CEO\n", "us-ascii"),
          ["identity.lookalike_domain", "identity.reply_to_differs", "content.confidential_request"],
          bec=2)

    # L10 homoglyph + tld-swap combined: k0gyo on .com
    fake = "k.nakamura@nishikaze-k0gyo.com"
    write("L10_homoglyph_plus_tldswap",
          std(addr("中村 浩二", fake), addr(*KEIRI), ew("極秘案件"),
              "Fri, 06 Dec 2024 10:00:00 +0900", "<l10@nishikaze-k0gyo.com>", rp=fake),
          body_part("伊藤さん\n\n極秘で進めている買収の件で、至急お願いがあります。\n社長 中村\n"),
          ["identity.lookalike_domain", "content.confidential_request"], bec=2)

    # L11 rn -> m kerning trick on partner, reference in HTML-only body signature
    fake = "sales@asahi-buhim.co.jp".replace("buhim", "buhirn")
    html = ("<html><body><p>伊藤様</p><p>いつもお世話になっております。</p>"
            "<p>弊社指定の<b>振込先口座</b>に<span>変更</span>がございましたので、"
            "ご登録の変更をお願いいたします。</p>"
            "<hr><p>朝日部品株式会社<br>sales@asahi-buhim.co.jp</p></body></html>")
    write("L11_rn_for_m_html_only",
          std(addr("朝日部品 営業部", fake), addr(*KEIRI), ew("ご登録口座変更のお願い", "UTF-8"),
              "Mon, 09 Dec 2024 10:00:00 +0900", "<l11@asahi-buhirn.co.jp>", rp=fake),
          body_part(html, "UTF-8", "quoted-printable", "html"),
          ["identity.lookalike_domain", "content.payment_change"], bec=1,
          note="reference asahi-buhim.co.jp only in HTML text")

    # L12 tld-swap .co.jp -> .jp, envelope at a mailer
    fake = "naoki.yamamoto@asahi-buhin.jp"
    write("L12_tldswap_cojp_to_jp",
          std(addr("山本 直樹", fake), addr(*KEIRI), ew("お振込先変更のご案内"),
              "Mon, 09 Dec 2024 11:00:00 +0900", "<l12@asahi-buhin.jp>",
              rp="bounce-99@mailer.cheapsend.example",
              extra=[("Cc", addr("朝日部品 経理", "keiri@" + PARTNER))]),
          body_part("伊藤様\n\n大変恐縮ですが、今回から新しい振込先へのお支払いをお願いします。\n", "UTF-8",
                    "quoted-printable"),
          ["identity.lookalike_domain", "identity.envelope_from_differs", "content.payment_change"],
          bec=1)


# ============================================================= display names

def display_names():
    # D01 display name holds the partner's address (ASCII)
    write("D01_name_holds_address",
          std(addr("naoki.yamamoto@asahi-buhin.co.jp", "asahi.accounts2024@gmail.com"), addr(*KEIRI),
              "RE: " + ew("請求書の件"), "Mon, 09 Dec 2024 12:00:00 +0900", "<d01@mail.gmail.com>",
              rp="asahi.accounts2024@gmail.com"),
          body_part("伊藤様\n\n請求書を再送いたします。ご確認ください。\n"),
          ["identity.display_name_spoof"], ["identity.lookalike_domain"], bec=None)

    # D02 full-width @ and letters in an encoded display name
    write("D02_name_fullwidth_address",
          std(addr("山本 直樹（ｎａｏｋｉ．ｙａｍａｍｏｔｏ＠ａｓａｈｉ－ｂｕｈｉｎ．ｃｏ．ｊｐ）",
                   "billing@invoice-center.example", "UTF-8"),
              addr(*KEIRI), ew("請求書の件"), "Mon, 09 Dec 2024 12:10:00 +0900", "<d02@invoice-center.example>",
              rp="billing@invoice-center.example"),
          body_part("伊藤様\n\n請求書を再送いたします。ご確認ください。\n"),
          ["identity.display_name_spoof"], bec=None, note="NFKC of the name shows an address")

    # D03 display name holds the CEO's address on victim domain (Shift_JIS encoded-word)
    write("D03_name_address_sjis_ceo",
          std(addr("社長 中村 <koji.nakamura@nishikaze-kogyo.co.jp>", "ceo.nakamura.k@yahoo.co.jp",
                   "Shift_JIS"), addr(*KEIRI), ew("至急", "Shift_JIS"), "Mon, 09 Dec 2024 12:20:00 +0900",
              "<d03@yahoo.co.jp>", rp="ceo.nakamura.k@yahoo.co.jp"),
          body_part("伊藤さん\n\n今、社外で会議中です。至急対応してほしい案件があります。\n"
                    "この件は他言無用でお願いします。\n\n中村\n", "Shift_JIS"),
          ["identity.display_name_spoof"], bec=2,
          note="no authority word but display name spoof -> exec")

    # D04 control: display name is the same address, different case
    write("D04_control_name_same_address",
          std(addr("Misaki.Ito@Nishikaze-Kogyo.co.jp", "misaki.ito@nishikaze-kogyo.co.jp"),
              addr("経理部", "keiri@" + VICTIM), "memo", "Mon, 09 Dec 2024 12:30:00 +0900",
              "<d04@nishikaze-kogyo.co.jp>", rp="misaki.ito@nishikaze-kogyo.co.jp",
              auth=ar("pass", "misaki.ito@" + VICTIM, "pass", VICTIM, "pass", VICTIM)),
          body_part("経理部各位\n\n明日の会議資料です。\n"),
          [], ID + CT, bec=0)


# ============================================================= executive / lawyer

def executives():
    # E01 CEO from a company-looking free-mail account, Japanese, Shift_JIS, type 2
    frm = "nishikaze.ceo.nakamura@gmail.com"
    write("E01_ceo_freemail_sjis",
          std(addr("代表取締役 中村 浩二", frm, "Shift_JIS"), addr(*KEIRI),
              ew("【重要】内密のお願い", "Shift_JIS"), "Tue, 10 Dec 2024 09:05:00 +0900",
              "<e01@mail.gmail.com>", rp=frm, extra=[("Reply-To", "nakamura.koji.nk@outlook.jp")]),
          body_part("伊藤さん\n\nお疲れ様です。中村です。\n"
                    "現在、海外企業とのM&Aを進めており、本件は内密に進める必要があります。\n"
                    "至急、手付金の送金をお願いしたいので、対応可能か返信ください。\n"
                    "本件については顧問弁護士の田村先生から後ほど連絡が入ります。\n\n中村\n", "Shift_JIS"),
          ["identity.reply_to_differs", "content.confidential_request"], bec=2,
          note="CEO sender mentioning the lawyer: IPA type 2, not 4")

    # E02 English CEO gift/wire, short, freemail
    frm = "k.nakamura.ceo@outlook.com"
    write("E02_ceo_en_wire_short",
          std(addr("Koji Nakamura", frm), addr("Misaki Ito", KEIRI[1]), "Request",
              "Tue, 10 Dec 2024 01:05:00 +0000", "<e02@outlook.com>", rp=frm),
          body_part("Misaki,\n\nAre you available? I need you to handle a wire transfer for me "
                    "right away. It's a sensitive deal, so keep it to yourself for now; I will "
                    "explain once it is closed.\n\nSent from my iPhone\nKoji Nakamura | CEO\n",
                    "us-ascii"),
          ["content.confidential_request"], bec=2,
          note="secrecy as 'sensitive deal', 'keep it to yourself'")

    # E03 Fake lawyer is the sender; executive's lookalike on Cc: type 4
    law = "m.tamura@tamura-law-partners.example"
    write("E03_fake_lawyer_sender_cc_ceo_lookalike",
          std(addr("田村法律事務所 弁護士 田村 誠", law), addr(*KEIRI), ew("【極秘】買収案件に関するご連絡"),
              "Tue, 10 Dec 2024 10:30:00 +0900", "<e03@tamura-law-partners.example>", rp=law,
              extra=[("Cc", addr("中村 浩二", "koji.nakamura@nishikaze-kogy0.co.jp"))]),
          body_part("西風工業株式会社\n経理部 伊藤様\n\n"
                    "中村社長よりご紹介いただきました、弁護士の田村でございます。\n"
                    "現在進めております買収案件につきまして、守秘義務契約の対象となりますので、"
                    "社内外を問わず口外されませんようお願い申し上げます。\n"
                    "本日中に下記口座へ手付金のお振込みをお願いいたします。\n\n田村 誠\n"),
          ["identity.lookalike_domain", "content.confidential_request"], bec=4,
          note="lawyer impersonation with the CEO lookalike on Cc")

    # E04 English fake lawyer on Cc of CEO mail, CEO on free mail
    frm = "office.nakamura@gmail.com"
    write("E04_ceo_en_lawyer_cc",
          std(addr("Koji Nakamura (CEO)", frm), addr("Misaki Ito", KEIRI[1]),
              "Confidential - Project Hakuba", "Tue, 10 Dec 2024 02:30:00 +0000", "<e04@gmail.com>",
              rp=frm, extra=[("Cc", addr("Daniel Hartley, Esq.", "dhartley@hartley-legal-group.example"))]),
          body_part("Misaki,\n\nWe are finalizing Project Hakuba, a confidential acquisition. Mr. Hartley, "
                    "our outside counsel (copied), will contact you with the payment instructions. "
                    "The transfer must be done today. Please do not discuss this with anyone.\n\nKoji\n",
                    "us-ascii"),
          ["content.confidential_request"], bec=2, note="CEO sender; lawyer only on Cc")

    # E05 Spanish CEO fraud, phrasing outside the list
    frm = "direccion.general.nk@gmail.com"
    write("E05_ceo_es_fraude",
          std(addr("Koji Nakamura", frm), addr("Lucía Fernández", "lucia.fernandez@westwind-ind.com", "UTF-8"),
              ew("Operación reservada", "UTF-8", 30, "Q"), "Tue, 10 Dec 2024 09:00:00 +0100", "<e05@gmail.com>", rp=frm),
          body_part("Hola Lucía:\n\nEstamos cerrando la compra de una empresa en Portugal y necesito tu "
                    "ayuda con una transferencia. Es un asunto reservado: no lo comentes con nadie de la "
                    "oficina hasta que se haga público. Necesito que la gestiones esta misma mañana. "
                    "Te contactará nuestro abogado.\n\nUn saludo,\nKoji Nakamura\nConsejero Delegado\n",
                    "ISO-8859-1", "quoted-printable"),
          ["content.confidential_request"], bec=2,
          note="secrecy 'reservado' / 'no lo comentes'; urgency 'esta misma mañana'")

    # E06 Japanese CEO, ISO-2022-JP, wording 「他の社員には伝えないで」「今すぐ」
    frm = "president.nakamura@docomo.ne.jp"
    write("E06_ceo_ja_unlisted_words",
          std(addr("中村浩二", frm), addr(*KEIRI), ew("お願い"),
              "Tue, 10 Dec 2024 15:00:00 +0900", "<e06@docomo.ne.jp>", rp=frm),
          body_part("伊藤さん\n\n中村です。今、取引先と打ち合わせ中です。\n"
                    "急ぎで振込をお願いしたい案件があります。他の社員には秘密にしてください。\n"
                    "対応できるか、すぐに返信ください。\n\n代表取締役社長 中村\n"),
          ["content.confidential_request"], bec=2, note="秘密 not in secrecy list")

    # E07 type 5: info theft (W-2 / employee list) from CEO lookalike, no payment
    fake = "koji.nakamura@nishikaze-kogy0.co.jp"
    write("E07_info_theft_employee_list",
          std(addr("中村 浩二", fake), addr("人事部 小林", "hr@" + VICTIM),
              ew("至急：資料送付のお願い"), "Wed, 11 Dec 2024 09:00:00 +0900", "<e07@x.example>",
              rp=fake, extra=[("Reply-To", "koji.nakamura.ceo@gmail.com")]),
          body_part("小林さん\n\n中村です。至急、全従業員の氏名・住所・給与額の一覧と、"
                    "主要取引先の担当者連絡先リストをこのメールに返信で送ってください。\n社長 中村\n"),
          ["identity.lookalike_domain", "identity.reply_to_differs", "content.information_request"], bec=5,
          note="IPA type 5 (information theft)")

    # E08 localized-style but ASCII only, M&A english short
    write("E08_en_acquisition_project_confidential_no_lookalike",
          std(addr("Koji Nakamura", "knakamura@westwind-ind-hq.example"),
              addr("Lucia Fernandez", "lucia.fernandez@westwind-ind.com"),
              "Project Falcon", "Wed, 11 Dec 2024 08:00:00 +0000", "<e08@x.example>",
              rp="knakamura@westwind-ind-hq.example"),
          body_part("Lucia,\n\nI am working on a confidential acquisition (Project Falcon). I need an "
                    "urgent transfer processed today. Our attorney will send details.\n\nKoji Nakamura\nCEO\n",
                    "us-ascii"),
          ["content.confidential_request", "identity.lookalike_domain"], bec=2,
          note="westwind-ind-hq.example vs recipient westwind-ind.com: the word 'hq' joined to the "
               "name, under another suffix")


# ============================================================= payment change text

def payments():
    # P01 J-CSIP 監査中 wording
    fake = "keiri@asahi-buhin.co"
    write("P01_ja_audit_new_payee",
          std(addr("朝日部品 経理部", "keiri@asahi-buhin-co.example"), addr(*KEIRI),
              ew("お支払い口座についてのご連絡"), "Thu, 12 Dec 2024 10:00:00 +0900", "<p01@x.example>",
              rp="keiri@asahi-buhin-co.example"),
          body_part("西風工業株式会社 御中\n\n現在、弊社の取引口座は監査中のため、一時的にご利用いただけません。\n"
                    "つきましては、今回のお支払いは下記の別口座へお振込みいただけますようお願いいたします。\n",
                    "UTF-8", "base64"),
          ["content.payment_change"], bec=1, note="別口座 / 口座は監査中: no 変更")

    # P02 payroll in Japanese: 給与の受取口座が変わりました
    write("P02_ja_payroll_kawari",
          std(addr("製造部 佐々木 亮", "ryo.sasaki.nishikaze@gmail.com"), addr("人事部 給与担当", "kyuyo@" + VICTIM),
              ew("給与振込について"), "Thu, 12 Dec 2024 11:00:00 +0900", "<p02@mail.gmail.com>",
              rp="ryo.sasaki.nishikaze@gmail.com"),
          body_part("給与担当者様\n\n製造部の佐々木です。\n銀行を変えたので、今月分の給与から"
                    "新しい銀行口座に振り込んでいただけますか。\n必要な手続きを教えてください。\n"),
          ["content.payment_change"], bec=1,
          note="変えた / 新しい銀行口座; freemail employee")

    # P03 payroll English, phrasing outside list
    write("P03_en_payroll_switch",
          std(addr("Kevin Walsh", "kevin.walsh.ww@gmail.com"), addr(*PAYROLL),
              "Paycheck", "Thu, 12 Dec 2024 15:00:00 +0000", "<p03@mail.gmail.com>",
              rp="kevin.walsh.ww@gmail.com"),
          body_part("Hi,\n\nI recently opened an account with a new bank. I'd like my salary to go "
                    "to the new account starting with the next pay period. What details do you need "
                    "from me?\n\nThanks,\nKevin\n", "us-ascii"),
          ["content.payment_change"], bec=1)

    # P04 Spanish vendor: hemos cambiado de entidad bancaria
    write("P04_es_cambio_entidad",
          std(addr("Suministros Ibéricos - Administración", "administracion@suministros-ibericos.example", "UTF-8"),
              addr("Lucía Fernández", "lucia.fernandez@westwind-ind.com", "UTF-8"),
              ew("Actualización de datos de pago", "UTF-8", 40, "Q"), "Fri, 13 Dec 2024 10:00:00 +0100", "<p04@x.example>",
              rp="administracion@suministros-ibericos.example"),
          body_part("Estimada Lucía:\n\nLe informamos de que hemos cambiado de entidad bancaria. "
                    "A partir de ahora le rogamos que realice los pagos pendientes a nuestra nueva cuenta "
                    "en el banco indicado en el documento adjunto.\n\nAtentamente,\nAdministración\n",
                    "UTF-8", "quoted-printable"),
          ["content.payment_change"], bec=1)

    # P05 English vendor: account under audit, alternate account
    write("P05_en_audit_alternate_account",
          std(addr("Accounts Receivable", "ar@nordfield-supply.example"),
              addr("Misaki Ito", KEIRI[1]), "Outstanding invoices", "Fri, 13 Dec 2024 01:00:00 +0000",
              "<p05@x.example>", rp="ar@nordfield-supply.example"),
          body_part("Dear Customer,\n\nKindly note that our bank account is currently under audit, "
                    "so we cannot receive payments into it. Please remit the outstanding balance to our "
                    "alternate account; banking instructions attached.\n\nRegards,\nAR team\n", "us-ascii"),
          ["content.payment_change"], bec=1)

    # P06 stolen account: real partner, DMARC pass, change of payee (type 3)
    real = "naoki.yamamoto@" + PARTNER
    write("P06_hijacked_partner_dmarc_pass",
          std(addr("朝日部品 山本 直樹", real), addr(*KEIRI), "RE: " + ew("12月分 請求書"),
              "Fri, 13 Dec 2024 10:00:00 +0900", "<p06@asahi-buhin.co.jp>", rp=real,
              auth=ar("pass", real, "pass", PARTNER, "pass", PARTNER)),
          body_part("伊藤様\n\nお世話になっております。\n振込先口座の変更がございましたので、"
                    "添付の新しい口座へお振込みください。\n"),
          ["content.payment_change"], ID, bec=3)

    # P07 English payroll in HTML only, encoded subject
    write("P07_en_payroll_html_only",
          std(addr("Kenji Ota", "kenji.ota@westwind-ind.com"), addr(*PAYROLL),
              "=?UTF-8?Q?Direct_deposit_=E2=80=93_update?=", "Fri, 13 Dec 2024 16:00:00 +0000",
              "<p07@x.example>", rp="k.ota@payroll-update.example"),
          body_part("<html><body><div>Hi,</div><div>Please <b>update</b> my <i>direct</i> "
                    "<i>deposit</i> to the account below before Friday.</div></body></html>",
                    "UTF-8", "base64", "html"),
          ["content.payment_change", "identity.envelope_from_differs"], bec=2)


# ============================================================= benign controls

def controls():
    # B01 Japanese invoice with bank account in signature, 取り急ぎ, disclaimer with 機密, 代表取締役
    sig = ("--\n株式会社朝日部品\n代表取締役 山本 一郎\nお振込先：架空銀行 本店営業部 普通 1234567\n"
           "口座名義：カ）アサヒブヒン\n"
           "本メールには機密情報が含まれている場合があります。\n"
           "宛先に誤りがある場合は、お手数ですが削除をお願いいたします。\n")
    real = "ichiro.yamamoto@" + PARTNER
    write("B01_control_ja_invoice_signature",
          std(addr("朝日部品 山本 一郎", real), addr(*KEIRI), ew("12月分ご請求書送付のご案内"),
              "Mon, 16 Dec 2024 10:00:00 +0900", "<b01@asahi-buhin.co.jp>", rp=real,
              auth=ar("pass", real, "pass", PARTNER, "pass", PARTNER)),
          body_part("西風工業株式会社\n経理部 伊藤様\n\nいつもお世話になっております。\n"
                    "12月分のご請求書をお送りいたします。\nお支払い期日は1月31日となります。\n"
                    "至急ではございませんが、ご確認のほどお願いいたします。\n取り急ぎご連絡まで。\n\n" + sig),
          [], ID + CT, bec=0)

    # B02 newsletter via SendGrid (bulk) with account words
    bounce = "bounces+1234567-abcd-misaki.ito=nishikaze-kogyo.co.jp@em1234.news.asahi-buhin.co.jp"
    write("B02_control_newsletter_bulk",
          [("Return-Path", "<%s>" % bounce),
           ar("pass", "em1234.news.asahi-buhin.co.jp", "pass", "asahi-buhin.co.jp", "pass", PARTNER),
           ("Received", "from o1.ptr1234.sendgrid.net (o1.ptr1234.sendgrid.net [198.51.100.9])\n\tby %s "
            "(Postfix) with ESMTPS id 4ZzzAA;\n\tMon, 16 Dec 2024 10:00:02 +0900" % MX),
           ("From", addr("朝日部品 ニュース", "news@" + PARTNER)),
           ("To", KEIRI[1]), ("Subject", ew("朝日部品ニュース 2024年冬号")),
           ("Date", "Mon, 16 Dec 2024 10:00:00 +0900"), ("Message-ID", "<b02@sendgrid.example>"),
           ("X-SG-EID", "abcdefghijklmnop")],
          alt([body_part("朝日部品ニュース 冬号\n\n・新製品のご案内\n・年末年始の営業について\n"
                         "・オンライン会員の新しいアカウント機能が追加されました\n配信停止はこちら\n", "UTF-8",
                         "quoted-printable"),
               body_part("<html><body><h1>朝日部品ニュース</h1><p>新製品のご案内</p>"
                         "<p>オンライン会員の新しいアカウント機能</p></body></html>", "UTF-8", "base64", "html")],
              "b02alt"),
          ["routing.bulk_service"], ["identity.lookalike_domain", "identity.reply_to_differs"] + CT,
          bec=0)

    # B03 Reply-To to a subdomain of the same org, English secrecy footer + CEO signature + today
    write("B03_control_en_footer_ceo_today",
          std(addr("Koji Nakamura", "koji.nakamura@" + VICTIM), addr("All staff", "all@" + VICTIM),
              "Year-end party today", "Mon, 16 Dec 2024 03:00:00 +0000", "<b03@nishikaze-kogyo.co.jp>",
              rp="koji.nakamura@" + VICTIM,
              auth=ar("pass", "koji.nakamura@" + VICTIM, "pass", VICTIM, "pass", VICTIM),
              extra=[("Reply-To", "events@hq." + VICTIM)]),
          body_part("Dear all,\n\nA reminder that the year-end party is today at 18:00.\n\n"
                    "Koji Nakamura\nPresident & CEO\n\n"
                    "CONFIDENTIALITY NOTICE: This e-mail is confidential. If you are not the intended "
                    "recipient, please delete it.\n", "us-ascii"),
          [], ID + CT, bec=0)

    # B04 Spanish benign: invoice with IBAN in footer, "hoy"
    write("B04_control_es_invoice_iban_footer",
          std(addr("Suministros Ibéricos", "facturacion@suministros-ibericos.example", "UTF-8"),
              addr("Lucía Fernández", "lucia.fernandez@westwind-ind.com", "UTF-8"),
              "Factura 2024-118", "Mon, 16 Dec 2024 10:00:00 +0100", "<b04@x.example>",
              rp="facturacion@suministros-ibericos.example"),
          body_part("Estimada Lucía:\n\nLe adjuntamos hoy la factura 2024-118. El pago se realizará como "
                    "siempre a la cuenta habitual.\n\nAtentamente,\nDirector general\n"
                    "IBAN ES00 0000 0000 0000 0000 0000\n"
                    "Este mensaje es confidencial y va dirigido exclusivamente a su destinatario.\n",
                    "UTF-8", "quoted-printable"),
          [], ID + CT, bec=0)


# ============================================================= encodings and structure

def encodings():
    # X01 payment change in the Subject only (Shift_JIS encoded-word), CP932 body with ㈱ ①
    fake = "keiri@asahi-buhin.co.jp.invoice-box.example"
    write("X01_subject_only_sjis_cp932",
          std(addr("㈱朝日部品 経理部", fake, "Shift_JIS"), addr(*KEIRI),
              ew("【重要】お振込口座の変更について", "Shift_JIS"), "Tue, 17 Dec 2024 10:00:00 +0900",
              "<x01@invoice-box.example>", rp=fake),
          ([("Content-Type", 'text/plain; charset="Shift_JIS"'), ("Content-Transfer-Encoding", "8bit")],
           "伊藤様\n\n①添付の案内をご確認ください。\n②ご不明点はご連絡ください。\n".encode("cp932")),
          ["content.payment_change"], bec=1,
          note="Subject 振込口座の変更 via Shift_JIS; subdomain trick asahi-buhin.co.jp.<attacker> is not a SPEC technique")

    # X02 multipart/alternative: plain part is a stub, HTML carries the lure
    write("X02_alt_stub_plain_html_lure",
          std(addr("Asahi Buhin Accounts", "accounts@asahi-buhin-group.example"), addr("Misaki Ito", KEIRI[1]),
              "Payment instructions", "Tue, 17 Dec 2024 02:00:00 +0000", "<x02@x.example>",
              rp="accounts@asahi-buhin-group.example"),
          alt([body_part("This message requires an HTML-capable mail reader.\n", "us-ascii"),
               body_part("<html><body><p>Dear Ms. Ito,</p><p>Please note our <b>new bank account</b> details "
                         "for all future payments; the old account will be closed.</p></body></html>",
                         "UTF-8", "quoted-printable", "html")], "x02alt"),
          ["content.payment_change"], bec=1, note="text/plain stub chosen over the HTML")

    # X03 lookalike only in the envelope sender; From spoofs the real partner (auth fails)
    real = "naoki.yamamoto@" + PARTNER
    write("X03_lookalike_return_path_only",
          std(addr("朝日部品 山本 直樹", real), addr(*KEIRI), ew("お振込先変更のお願い"),
              "Tue, 17 Dec 2024 11:00:00 +0900", "<x03@asahi-buhln.co.jp>", rp="bounce@asahi-buhln.co.jp",
              auth=ar("fail", "bounce@asahi-buhln.co.jp", "none", None, "fail", PARTNER)),
          body_part("伊藤様\n\nお振込先変更のお願いです。詳細は添付をご覧ください。\n"),
          ["identity.envelope_from_differs", "identity.lookalike_domain", "content.payment_change",
           "auth.spf_fail", "auth.dmarc_fail"], bec=1)

    # X04 ideographic spaces and a wrap inside the phrase, EUC-JP body
    write("X04_eucjp_wrapped_phrase",
          std(addr("朝日部品 山本", "yamamoto@asahi-buhin.example"), addr(*KEIRI), ew("ご連絡"),
              "Tue, 17 Dec 2024 12:00:00 +0900", "<x04@x.example>", rp="yamamoto@asahi-buhin.example"),
          ([("Content-Type", 'text/plain; charset="EUC-JP"'), ("Content-Transfer-Encoding", "8bit")],
           "伊藤様\n\n今月より振込先\n口座の　変更をお願いいたします。\n".encode("euc_jp")),
          ["content.payment_change"], bec=1)

    # X05 HTML-only body in ISO-2022-JP, CEO, secrecy split across tags
    write("X05_html_only_iso2022jp_ceo",
          std(addr("代表取締役社長 中村 浩二", "nakamura@nishikaze-kogyo-hd.example"), addr(*KEIRI),
              ew("ご相談"), "Tue, 17 Dec 2024 13:00:00 +0900", "<x05@x.example>",
              rp="nakamura@nishikaze-kogyo-hd.example"),
          body_part("<html><body><div>伊藤さん</div><div>現在<b>極秘</b>で進めている<span>買収</span>案件で、"
                    "<font color=red>至急</font>お願いがあります。</div></body></html>", "ISO-2022-JP",
                    subtype="html"),
          ["content.confidential_request"], bec=2)

    # X06 display name is a colleague with an address in angle brackets inside quotes, Q-encoded UTF-8
    write("X06_name_address_q_encoded",
          std("=?UTF-8?Q?=E4=BC=8A=E8=97=A4_=3Cmisaki=2Eito=40nishikaze-kogyo=2Eco=2Ejp=3E?= "
              "<misaki.ito.nk@proton.me>", addr("経理部", "keiri@" + VICTIM), ew("確認"),
              "Tue, 17 Dec 2024 14:00:00 +0900", "<x06@proton.me>", rp="misaki.ito.nk@proton.me"),
          body_part("確認お願いします。\n"),
          ["identity.display_name_spoof"], bec=2)


# ============================================================= German and French

def european():
    munich = "buchhaltung@westwind-ind.com"
    # G01 German vendor: new bank connection
    write("G01_de_neue_bankverbindung",
          std(addr("Alpen Metall GmbH - Buchhaltung", "buchhaltung@alpen-metall.example", "UTF-8"),
              addr("Buchhaltung", munich), ew("Änderung unserer Bankverbindung", "UTF-8", 40, "Q"),
              "Mon, 16 Dec 2024 09:00:00 +0100", "<g01@x.example>", rp="buchhaltung@alpen-metall.example"),
          body_part("Sehr geehrte Damen und Herren,\n\nbitte beachten Sie, dass wir die Bank gewechselt "
                    "haben. Überweisen Sie offene Rechnungen ab sofort auf unsere neue Bankverbindung "
                    "(siehe Anlage).\n\nMit freundlichen Grüßen\nBuchhaltung\n", "UTF-8", "quoted-printable"),
          ["content.payment_change"], bec=1)
    # G02 German CEO fraud: confidential acquisition, today, counsel
    write("G02_de_vertrauliche_uebernahme",
          std(addr("Koji Nakamura", "k.nakamura.ceo@outlook.example"), addr("Buchhaltung", munich),
              "Vertraulich: Projekt", "Mon, 16 Dec 2024 10:00:00 +0100", "<g02@x.example>",
              rp="k.nakamura.ceo@outlook.example"),
          body_part("Guten Tag,\n\nwir stehen kurz vor einer Übernahme. Die Angelegenheit ist streng "
                    "vertraulich, sprechen Sie mit niemandem darüber. Unser Rechtsanwalt meldet sich heute "
                    "noch bei Ihnen; die Überweisung muss dringend erfolgen.\n\nKoji Nakamura\n"
                    "Geschäftsführer\n", "UTF-8", "quoted-printable"),
          ["content.confidential_request"], bec=2)
    # F01 French vendor: changement de RIB
    write("F01_fr_changement_rib",
          std(addr("Atelier Lumière - Comptabilité", "compta@atelier-lumiere.example", "UTF-8"),
              addr("Comptabilité", "compta@westwind-ind.com", "UTF-8"),
              ew("Changement de RIB", "UTF-8", 40, "Q"), "Tue, 17 Dec 2024 09:00:00 +0100", "<f01@x.example>",
              rp="compta@atelier-lumiere.example"),
          body_part("Bonjour,\n\nSuite à un changement de banque, merci de noter nos nouvelles coordonnées "
                    "bancaires pour le règlement des factures en cours (nouveau RIB en pièce jointe).\n\n"
                    "Cordialement,\nService comptabilité\n", "UTF-8", "quoted-printable"),
          ["content.payment_change"], bec=1)
    # F02 French CEO fraud
    write("F02_fr_acquisition_confidentielle",
          std(addr("Koji Nakamura", "k.nakamura.pdg@outlook.example"), addr("Comptabilité", "compta@westwind-ind.com", "UTF-8"),
              "Dossier confidentiel", "Tue, 17 Dec 2024 10:00:00 +0100", "<f02@x.example>",
              rp="k.nakamura.pdg@outlook.example"),
          body_part("Bonjour,\n\nNous finalisons une acquisition strictement confidentielle : n'en parlez à "
                    "personne. Notre avocat vous contactera aujourd'hui, le virement doit partir au plus "
                    "vite.\n\nKoji Nakamura\nPDG\n", "UTF-8", "quoted-printable"),
          ["content.confidential_request"], bec=2)
    # controls: an invoice with its IBAN and a new invoice number; a web account
    write("B05_control_de_rechnung_iban",
          std(addr("Alpen Metall GmbH", "rechnung@alpen-metall.example", "UTF-8"), addr("Buchhaltung", munich),
              "Rechnung 2024-7781", "Wed, 18 Dec 2024 09:00:00 +0100", "<b05@x.example>",
              rp="rechnung@alpen-metall.example"),
          body_part("Sehr geehrte Damen und Herren,\n\nanbei die neue Rechnung 2024-7781, zahlbar wie immer "
                    "auf unser Konto IBAN DE00 0000 0000 0000 0000 00.\n\nMit freundlichen Grüßen\n"
                    "Alpen Metall GmbH, Geschäftsführer: H. Berg\nDiese E-Mail ist vertraulich. Wenn Sie "
                    "nicht der richtige Adressat sind, löschen Sie sie bitte.\n", "UTF-8", "quoted-printable"),
          [], ID + CT, bec=0)
    write("B06_control_fr_nouveau_compte_client",
          std(addr("Boutique", "contact@boutique.example"), addr("Client", "client@westwind-ind.com"),
              "Bienvenue", "Wed, 18 Dec 2024 10:00:00 +0100", "<b06@x.example>", rp="contact@boutique.example"),
          body_part("Bonjour,\n\nVotre nouveau compte client est créé. Vous pouvez modifier votre mot de "
                    "passe à tout moment.\n\nL'équipe Boutique\n", "UTF-8", "quoted-printable"),
          [], ID + CT, bec=0)


def information():
    # I01 W-2 request in the CEO's name, English, today and between us
    write("I01_en_w2_request",
          std(addr("Robert Hale", "robert.hale.ceo@outlook.example"), addr("Payroll", "payroll@westwind-ind.com"),
              "Quick request", "Thu, 19 Dec 2024 08:00:00 -0500", "<i01@x.example>",
              rp="robert.hale.ceo@outlook.example"),
          body_part("Hi,\n\nI need the W-2 forms for all staff for a review with our accountants. Please send "
                    "them to me today as PDF. Keep this between us for now.\n\nRobert Hale\nCEO\n", "us-ascii"),
          ["content.information_request"], bec=5)
    # I02 Spanish: pending invoices list, urgent (prepares invoice fraud)
    write("I02_es_facturas_pendientes",
          std(addr("Dirección General", "direccion@westwind-ind-hq.example", "UTF-8"),
              addr("Contabilidad", "contabilidad@westwind-ind.com"), "Urgente", "Thu, 19 Dec 2024 10:00:00 +0100",
              "<i02@x.example>", rp="direccion@westwind-ind-hq.example"),
          body_part("Hola,\n\nEnvíame hoy mismo el listado de facturas pendientes de pago con el contacto de "
                    "cada proveedor.\n\nGracias\n", "UTF-8", "quoted-printable"),
          ["content.information_request"], bec=5)
    # controls: HR naming the employee list with no pressure; an urgent mail with no list
    write("B07_control_hr_employee_list",
          std(addr("HR", "hr@westwind-ind.com"), addr("All staff", "staff@westwind-ind.com"),
              "Directory update", "Thu, 19 Dec 2024 09:00:00 -0500", "<b07@westwind-ind.com>",
              rp="hr@westwind-ind.com"),
          body_part("Hello all,\n\nThe employee list on the intranet has been updated with the new phone "
                    "extensions. Let us know of any mistakes.\n\nHR\n", "us-ascii"),
          [], ID + CT + ["content.information_request"], bec=0)
    write("B08_control_ja_customer_list_no_pressure",
          std(addr("営業部 山田", "yamada@" + VICTIM), addr(*KEIRI), ew("顧客リストの件"),
              "Thu, 19 Dec 2024 11:00:00 +0900", "<b08@" + VICTIM + ">", rp="yamada@" + VICTIM),
          body_part("伊藤さん\n\n来期の顧客リストを共有フォルダに置きました。お手すきの際にご確認ください。\n山田\n"),
          [], ID + CT + ["content.information_request"], bec=0)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    lookalikes()
    display_names()
    executives()
    payments()
    controls()
    encodings()
    european()
    information()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(CASES, f, ensure_ascii=False, indent=1)
    print(len(CASES), "cases")
