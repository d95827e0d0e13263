#!/usr/bin/env python3
"""Variant mailboxes for `kensa thread` (hijacked-thread BEC and benign look-alikes).

usage: gen.py [OUTDIR]   (default cases/)  -- standard library only.
Writes one .mbox per case (or a Maildir / directory of .eml), and expected.json:
{name: {"must": [rule ids], "must_not": [rule ids], "note": "..."}} judged over all
findings of all messages of the `kensa thread` output.
"""
import base64, datetime, json, os, shutil, sys

MX = "mx.sakura-kikai.co.jp"
VIC = "sakura-kikai.co.jp"            # 桜機械株式会社: the victim (mailbox owner)
PAR = "minato-shoji.co.jp"            # 港商事株式会社: the real supplier
KIMURA = ("経理課 木村 恵子", "keiko.kimura@" + VIC)
OGAWA = ("経理課 小川 誠", "makoto.ogawa@" + VIC)
MORI = ("購買部 森 大輔", "daisuke.mori@" + VIC)
ITO = ("港商事 営業部 伊藤 直樹", "naoki.ito@" + PAR)
PAR_KEIRI = ("港商事 経理部", "keiri@" + PAR)
JST = datetime.timezone(datetime.timedelta(hours=9))
UTC = datetime.timezone.utc
ALL_THREAD = ["thread.sender_domain_changed", "thread.reply_to_changed", "thread.auth_regressed",
              "thread.payment_details_changed", "thread.cc_lookalike", "thread.subject_hijacked",
              "thread.missing_quoted_message"]


def ew(text, per=8):
    if all(ord(c) < 128 for c in text):
        return text
    out = []
    for i in range(0, len(text), per):
        out.append("=?ISO-2022-JP?B?%s?=" % base64.b64encode(text[i:i + per].encode("iso2022_jp")).decode())
    return "\n ".join(out)


def addr(p):
    name, a = p
    if not name:
        return "<%s>" % a
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, a)
    return "%s <%s>" % (ew(name), a)


def dom(a):
    return a.split("@", 1)[1]


def rfc(dt):
    import email.utils
    return email.utils.format_datetime(dt)


def quote(text):
    return "".join("> " + ln + "\n" if ln else ">\n" for ln in text.splitlines())


def mail(frm, to, subj, dt, mid, body, cc=(), reply_to=None, irt=None, refs=None,
         auth=("pass", "pass", "pass"), mailfrom=None, extra=(), charset="ISO-2022-JP"):
    """A single-part text mail as received at the victim's MX (auth=None: no
    Authentication-Results at all, as in Sent Items or internal Exchange mail)."""
    h = []
    mf = mailfrom or frm[1]
    if auth is not None:
        spf, dk, dm = auth
        h.append(("Return-Path", "<%s>" % mf))
        h.append(("Authentication-Results", "%s;\n\tspf=%s smtp.mailfrom=%s;\n\tdkim=%s header.d=%s;\n\tdmarc=%s header.from=%s"
                  % (MX, spf, dom(mf), dk, dom(frm[1]), dm, dom(frm[1]))))
        h.append(("Received", "from smtp.%s (smtp.%s [192.0.2.%d])\n\tby %s (Postfix) with ESMTPS id 4Z%06dq;\n\t%s"
                  % (dom(mf), dom(mf), 10 + len(mid) % 200, MX, abs(hash(mid)) % 999999, rfc(dt + datetime.timedelta(seconds=4)))))
    h.append(("From", addr(frm)))
    if reply_to:
        h.append(("Reply-To", addr(reply_to)))
    h.append(("To", ",\n\t".join(addr(p) for p in to)))
    if cc:
        h.append(("Cc", ",\n\t".join(addr(p) for p in cc)))
    h.append(("Subject", ew(subj)))
    h.append(("Date", rfc(dt)))
    h.append(("Message-ID", mid))
    if irt:
        h.append(("In-Reply-To", irt))
    if refs:
        h.append(("References", "\n\t".join(refs)))
    h.extend(extra)
    h.append(("MIME-Version", "1.0"))
    if charset == "ISO-2022-JP":
        h.append(("Content-Type", 'text/plain; charset="ISO-2022-JP"'))
        h.append(("Content-Transfer-Encoding", "7bit"))
        b = body.encode("iso2022_jp").decode("ascii")
    else:
        h.append(("Content-Type", 'text/plain; charset="UTF-8"'))
        h.append(("Content-Transfer-Encoding", "base64"))
        b = base64.encodebytes(body.encode("utf-8")).decode()
    return "\n".join("%s: %s" % kv for kv in h) + "\n\n" + b + ("" if b.endswith("\n") else "\n")


def outlook_hdr(frm, dt, to, subj, ja=False):
    """Outlook's quoted header block (times in the quoting writer's zone, no offset)."""
    if ja:
        return ("差出人: %s <%s>\n送信日時: %d年%d月%d日 %d:%02d\n宛先: %s <%s>\n件名: %s\n\n"
                % (frm[0], frm[1], dt.year, dt.month, dt.day, dt.hour, dt.minute, to[0], to[1], subj))
    return ("-----Original Message-----\nFrom: %s <%s>\nSent: %s\nTo: %s <%s>\nSubject: %s\n\n"
            % (frm[0], frm[1], dt.strftime("%A, %B %d, %Y %I:%M %p").replace(" 0", " "), to[0], to[1], subj))


def tix(conv, n):
    """Thread-Index: 22 bytes (FILETIME 6 + GUID 16) of the conversation, 5 per reply."""
    raw = conv + bytes([n] * 5 * n)
    return base64.b64encode(raw).decode()


def d(day, h, m=0, tz=JST, month=1):
    return datetime.datetime(2025, month, day, h, m, tzinfo=tz)


CASES = {}


def case(name, must, must_not, note, kind="mbox"):
    def deco(fn):
        CASES[name] = (fn, must, must_not, note, kind)
        return fn
    return deco


# -------------------------------------------------------------------- hijacks

INV = "2月分 ご請求書送付の件"


def invoice_body(bankline):
    return ("桜機械株式会社\n経理課 木村様\n\nいつもお世話になっております。港商事の伊藤です。\n"
            "2月分のご請求書をお送りいたします。\nお振込みは下記口座へお願いいたします。\n\n"
            + bankline + "\n\n--\n港商事株式会社 営業部\n伊藤 直樹\n")


GOOD_BANK = "  さくら銀行 港支店 普通 3344556 ミナトシヨウジ（カ"


@case("outlook_threadindex_tldswap",
      ["thread.sender_domain_changed", "thread.payment_details_changed", "thread.auth_regressed"],
      ["thread.subject_hijacked", "thread.missing_quoted_message"],
      "Outlook replies with Thread-Index/Thread-Topic, no References/In-Reply-To; attacker from "
      "minato-shoji.com (tld-swap) in Japanese Outlook quoting the real mail")
def c_outlook():
    conv = bytes.fromhex("01db7a1b2c3d") + bytes(range(16))
    ids = ["<OS3P286MB1%03d@%s>" % (i, "apcprd01.prod.outlook.com") for i in range(4)]
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(6, 10), ids[0], b1,
              extra=[("Thread-Topic", ew(INV)), ("Thread-Index", tix(conv, 0))])
    b2 = ("伊藤様\n\n木村です。受領しました。2月末にお振込みします。\n\n"
          + outlook_hdr(ITO, d(6, 10), KIMURA, INV, ja=True) + b1)
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(6, 13), ids[1], b2,
              extra=[("Thread-Topic", ew(INV)), ("Thread-Index", tix(conv, 1))])
    fake = ("港商事 営業部 伊藤 直樹", "naoki.ito@minato-shoji.com")
    b3 = ("木村様\n\n伊藤です。申し訳ございません、今月より振込先が変更となりました。\n"
          "  ひかり銀行 本店 普通 9988776 ミナトシヨウジ（カ\nにてお願いいたします。\n\n"
          + outlook_hdr(KIMURA, d(6, 13), ITO, "RE: " + INV, ja=True) + b2)
    m3 = mail(fake, [KIMURA], "RE: " + INV, d(7, 9), ids[2], b3, auth=("pass", "none", "none"),
              extra=[("Thread-Topic", ew(INV)), ("Thread-Index", tix(conv, 2))])
    return [m1, m2, m3]


@case("outlook_subject_edited_threadindex",
      ["thread.sender_domain_changed"], ["thread.subject_hijacked"],
      "attacker's Outlook reply edits the subject (no prefix), no References/In-Reply-To, no quoted "
      "Subject line; only Thread-Index (same conversation GUID) and Thread-Topic tie it to the thread")
def c_outlook_edit():
    conv = bytes.fromhex("01db7b112233") + bytes(range(32, 48))
    ids = ["<TYCPR01MB%04d@jpnprd01.prod.outlook.com>" % i for i in range(3)]
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(10, 10), ids[0], b1,
              extra=[("Thread-Topic", ew(INV)), ("Thread-Index", tix(conv, 0))])
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(10, 14), ids[1], "伊藤様\n\n受領しました。木村\n",
              extra=[("Thread-Topic", ew(INV)), ("Thread-Index", tix(conv, 1))])
    fake = ("港商事 営業部 伊藤 直樹", "naoki.ito@minato-shouji.co.jp")
    m3 = mail(fake, [KIMURA], "【重要】振込先変更のお願い", d(11, 9), ids[2],
              "木村様\n\n伊藤です。振込先が変更になりました。\n  ひかり銀行 本店 普通 9988776\n",
              auth=("pass", "none", "none"),
              extra=[("Thread-Topic", ew(INV)), ("Thread-Index", tix(conv, 2))])
    return [m1, m2, m3]


@case("ja_prefixes_substitution",
      ["thread.sender_domain_changed", "thread.payment_details_changed"],
      ["thread.subject_hijacked"],
      "返信:/Re[2]:/ＲＥ：/【至急】ＲＥ： prefixes in ISO-2022-JP encoded-words, no References anywhere; "
      "attacker minato-shoj1.co.jp (substitution) joins by subject only")
def c_ja_prefix():
    ids = ["<%d.x@%s>" % (i, h) for i, h in enumerate([PAR, VIC, PAR, "minato-shoj1.co.jp"])]
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(3, 9, month=2), ids[0], b1)
    m2 = mail(KIMURA, [ITO], "返信: " + INV, d(3, 11, month=2), ids[1],
              "伊藤様\n承知しました。木村\n\n2025年2月3日(月) 9:00 伊藤 直樹 <%s>:\n" % ITO[1] + quote(b1))
    m3 = mail(ITO, [KIMURA], "Re[2]: " + INV, d(3, 15, month=2), ids[2], "木村様\nよろしくお願いします。伊藤\n")
    fake = ("港商事 営業部 伊藤 直樹", "naoki.ito@minato-shoj1.co.jp")
    m4 = mail(fake, [KIMURA], "【至急】ＲＥ：" + INV, d(4, 9, month=2), ids[3],
              "木村様\n\n振込先が変わりました。\n  ひかり銀行 本店 普通 9988776 ミナトシヨウジ（カ\n",
              auth=("pass", "none", "none"))
    return [m1, m2, m3, m4]


@case("replyto_then_from_insertion",
      ["thread.reply_to_changed", "thread.sender_domain_changed", "thread.auth_regressed"],
      ["thread.subject_hijacked"],
      "msg3 spoofs the real From (SPF/DMARC fail) with Reply-To on minato-shouji.co.jp (insertion); "
      "msg5 then writes From that lookalike")
def c_rt_then_from():
    ids = ["<%d.rt@%s>" % (i, h) for i, h in enumerate([PAR, VIC, PAR, VIC, "minato-shouji.co.jp"])]
    fake = ("港商事 営業部 伊藤 直樹", "naoki.ito@minato-shouji.co.jp")
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(12, 10), ids[0], b1)
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(12, 11), ids[1], "伊藤様\n受領しました。木村\n",
              irt=ids[0], refs=ids[:1], auth=None)
    m3 = mail(ITO, [KIMURA], "RE: " + INV, d(13, 9), ids[2],
              "木村様\n振込先変更のご案内を別途お送りします。ご返信ください。伊藤\n", reply_to=fake,
              irt=ids[1], refs=ids[:2], auth=("fail", "none", "fail"), mailfrom="bounce@mailer.example.net")
    m4 = mail(KIMURA, [fake], "RE: " + INV, d(13, 10), ids[3], "伊藤様\n承知しました。木村\n",
              irt=ids[2], refs=ids[:3], auth=None)
    m5 = mail(fake, [KIMURA], "RE: " + INV, d(13, 12), ids[4],
              "木村様\n新しい振込先: ひかり銀行 本店 普通 9988776\n伊藤\n",
              irt=ids[3], refs=ids[:4], auth=("pass", "none", "none"))
    return [m1, m2, m3, m4, m5]


@case("replyto_lookalike_partner_first_mail",
      ["thread.reply_to_changed"], [],
      "victim writes first; the partner's FIRST message in the thread (spoofed From, real domain) "
      "already carries Reply-To on minatoshoji.co.jp (separator): no earlier message of that sender")
def c_rt_first():
    ids = ["<%d.rf@%s>" % (i, h) for i, h in enumerate([VIC, "mailer.example.net"])]
    b1 = "伊藤様\n\n木村です。2月分のご請求書をお送りいただけますでしょうか。\n"
    m1 = mail(KIMURA, [ITO], INV, d(14, 9), ids[0], b1, auth=None)
    m2 = mail(ITO, [KIMURA], "RE: " + INV, d(14, 15), ids[1],
              "木村様\n承知しました。ご返信は下記担当までお願いします。伊藤\n",
              reply_to=("港商事 経理部", "keiri@minatoshoji.co.jp"), irt=ids[0], refs=ids[:1],
              auth=("softfail", "none", "fail"), mailfrom="x@mailer.example.net")
    return [m1, m2]


@case("cc_swap_separator_compromised",
      ["thread.cc_lookalike"], ["thread.sender_domain_changed", "thread.subject_hijacked"],
      "the real partner account (compromised, auth passes) answers with the victim's colleague Cc "
      "swapped to makoto.ogawa@sakurakikai.co.jp (separator) and the partner's keiri to minato-shoji-co-jp.com")
def c_cc():
    ids = ["<%d.cc@%s>" % (i, h) for i, h in enumerate([PAR, VIC, PAR])]
    m1 = mail(ITO, [KIMURA], INV, d(15, 9), ids[0], invoice_body(GOOD_BANK), cc=[OGAWA, PAR_KEIRI])
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(15, 10), ids[1], "伊藤様\n受領しました。\n",
              cc=[OGAWA, PAR_KEIRI], irt=ids[0], refs=ids[:1])
    m3 = mail(ITO, [KIMURA], "RE: " + INV, d(15, 16), ids[2], "木村様\n承知しました。伊藤\n",
              cc=[("経理課 小川 誠", "makoto.ogawa@sakurakikai.co.jp"),
                  ("港商事 経理部", "keiri@minato-shoji-co-jp.com")], irt=ids[1], refs=ids[:2])
    return [m1, m2, m3]


@case("bank_ja_multiline_compromised",
      ["thread.payment_details_changed"], ["thread.sender_domain_changed", "thread.missing_quoted_message"],
      "銀行名/支店名/口座番号 on separate lines with full-width digits, from the real (compromised) account; "
      "the quoted original (with the old account) follows in Outlook's 差出人/送信日時 block")
def c_bank_ja():
    ids = ["<%d.bj@%s>" % (i, h) for i, h in enumerate([PAR, VIC, PAR])]
    b1 = ("桜機械株式会社\n経理課 木村様\n\n2月分のご請求書をお送りします。\n\n【お振込先】\n"
          "銀行名：さくら銀行\n支店名：港支店（店番号１２３）\n口座種別：普通\n口座番号：３３４４５５６\n"
          "口座名義：ミナトシヨウジ（カ\n\n港商事 伊藤\n")
    m1 = mail(ITO, [KIMURA], INV, d(16, 9), ids[0], b1)
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(16, 10), ids[1], "伊藤様\n受領しました。木村\n",
              irt=ids[0], refs=ids[:1])
    b3 = ("木村様\n\n伊藤です。大変恐縮ですが、監査の関係で振込先を変更させてください。\n\n【新しいお振込先】\n"
          "銀行名：ひかり銀行\n支店名：本店営業部（店番号００１）\n口座種別：普通\n口座番号：９９８８７７６\n"
          "口座名義：ミナトシヨウジ（カ\n\n" + outlook_hdr(ITO, d(16, 9), KIMURA, INV, ja=True) + b1)
    m3 = mail(ITO, [KIMURA], "RE: " + INV, d(17, 11), ids[2], b3, irt=ids[1], refs=ids[:2])
    return [m1, m2, m3]


EN_SUBJ = "Invoice INV-2025-0042 - February shipment"
ANNA = ("Anna Keller", "anna.keller@nordwind-logistik.de")
KEN = ("Ken Mori", "ken.mori@" + VIC)


@case("bank_en_iban_tldswap",
      ["thread.payment_details_changed", "thread.sender_domain_changed"], ["thread.subject_hijacked"],
      "English invoice with IBAN/SWIFT; attacker nordwind-logistik.com (tld-swap) sends a new IBAN/BIC "
      "in an Outlook reply quoting the original")
def c_bank_en():
    ids = ["<%d.en@%s>" % (i, h) for i, h in enumerate(["nordwind-logistik.de", VIC, "nordwind-logistik.com"])]
    b1 = ("Dear Mr Mori,\n\nPlease find attached our invoice INV-2025-0042.\n"
          "Kindly remit to:\n  Bank: Commerzbank AG, Hamburg\n  IBAN: DE89 3704 0044 0532 0130 00\n"
          "  SWIFT/BIC: COBADEFFXXX\n\nBest regards,\nAnna Keller\nNordwind Logistik GmbH\n")
    m1 = mail(ANNA, [KEN], EN_SUBJ, d(20, 9, tz=UTC), ids[0], b1, charset="UTF-8")
    b2 = "Dear Ms Keller,\n\nThank you, payment is scheduled for 28 January.\n\nKen\n\n" + \
        outlook_hdr(ANNA, d(20, 18), KEN, EN_SUBJ) + b1
    m2 = mail(KEN, [ANNA], "RE: " + EN_SUBJ, d(20, 19), ids[1], b2, irt=ids[0], refs=ids[:1], charset="UTF-8")
    fake = ("Anna Keller", "anna.keller@nordwind-logistik.com")
    b3 = ("Dear Mr Mori,\n\nDue to our annual audit our bank details have changed. Please use:\n"
          "  Bank: Revolut Bank UAB\n  IBAN: LT12 1000 0111 0100 1000\n  SWIFT: REVOLT21XXX\n\nAnna\n\n"
          + outlook_hdr(KEN, d(20, 10, tz=UTC), ANNA, "RE: " + EN_SUBJ) + b2)
    m3 = mail(fake, [KEN], "RE: " + EN_SUBJ, d(21, 8, tz=UTC), ids[2], b3, irt=ids[1], refs=ids[:2],
              auth=("pass", "none", "none"), charset="UTF-8")
    return [m1, m2, m3]


@case("fabricated_quote_outlook_en",
      ["thread.missing_quoted_message", "thread.sender_domain_changed"], [],
      "attacker (homoglyph IDN nordwınd-logistik.de, dotless i) quotes an approval from Ken Mori that was never sent")
def c_fab_en():
    ids = ["<%d.fq@%s>" % (i, h) for i, h in enumerate(["nordwind-logistik.de", VIC, "xn--nordwnd-logistik-eqc.de"])]
    b1 = "Dear Mr Mori,\n\nOur invoice for February is attached.\n\nAnna Keller\n"
    m1 = mail(ANNA, [KEN], EN_SUBJ, d(22, 9, tz=UTC), ids[0], b1, charset="UTF-8")
    m2 = mail(KEN, [ANNA], "RE: " + EN_SUBJ, d(22, 19), ids[1], "Received, thanks.\nKen\n",
              irt=ids[0], refs=ids[:1], charset="UTF-8")
    fake = ("Anna Keller", "anna.keller@xn--nordwnd-logistik-eqc.de")
    b3 = ("Dear Mr Mori,\n\nAs agreed with you below, please proceed with the new account.\n\nAnna\n\n"
          + outlook_hdr(KEN, d(23, 11), ANNA, "RE: " + EN_SUBJ)
          + "Anna,\nApproved - we will pay to the new account.\nKen\n")
    m3 = mail(fake, [KEN], "RE: " + EN_SUBJ, d(23, 8, tz=UTC), ids[2], b3, irt=ids[1], refs=ids[:2],
              auth=("pass", "none", "none"), charset="UTF-8")
    return [m1, m2, m3]


@case("fabricated_quote_real_sender_wrong_time",
      ["thread.missing_quoted_message"], [],
      "compromised real account quotes a 差出人/送信日時 block from the victim's colleague 小川 at a time "
      "he never wrote (he did write 2 days earlier)")
def c_fab_ja():
    ids = ["<%d.fj@%s>" % (i, h) for i, h in enumerate([PAR, VIC, PAR])]
    m1 = mail(ITO, [KIMURA], INV, d(24, 9), ids[0], invoice_body(GOOD_BANK), cc=[OGAWA])
    m2 = mail(OGAWA, [ITO], "RE: " + INV, d(24, 10), ids[1], "伊藤様\n小川です。受領しました。\n",
              irt=ids[0], refs=ids[:1])
    b3 = ("木村様\n\n小川様より振込先変更のご了承をいただいております（下記）。\n\n"
          + outlook_hdr(OGAWA, d(26, 16, 40), ITO, "RE: " + INV, ja=True)
          + "伊藤様\n振込先変更の件、了承しました。小川\n")
    m3 = mail(ITO, [KIMURA], "RE: " + INV, d(27, 9), ids[2], b3, irt=ids[1], refs=ids[:2])
    return [m1, m2, m3]


def hijack_core(tag):
    ids = ["<%d.%s@%s>" % (i, tag, h) for i, h in enumerate([PAR, VIC, "minato-shoji-co-jp.com", VIC])]
    fake = ("港商事 営業部 伊藤 直樹", "naoki.ito@minato-shoji-co-jp.com")
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(6, 10, month=3), ids[0], b1, cc=[OGAWA])
    b2 = "伊藤様\n受領しました。木村\n\n" + outlook_hdr(ITO, d(6, 10, month=3), KIMURA, INV, ja=True) + b1
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(6, 11, month=3), ids[1], b2, cc=[OGAWA], irt=ids[0], refs=ids[:1])
    b3 = ("木村様\n振込先変更のお願いです。\n  ひかり銀行 本店 普通 9988776\n伊藤\n\n"
          + outlook_hdr(KIMURA, d(6, 11, month=3), ITO, "RE: " + INV, ja=True) + b2)
    m3 = mail(fake, [KIMURA], "RE: RE: " + INV, d(7, 9, month=3), ids[2], b3,
              cc=[("経理課 小川 誠", "makoto.ogawa@sakura-klkai.co.jp")], irt=ids[1], refs=ids[:2],
              auth=("pass", "none", "none"))
    m4 = mail(KIMURA, [fake], "RE: RE: " + INV, d(7, 10, month=3), ids[3], "伊藤様\n承知しました。\n",
              irt=ids[2], refs=ids[:3])
    return [m1, m2, m3, m4]


HIJACK_MUST = ["thread.sender_domain_changed", "thread.payment_details_changed", "thread.cc_lookalike",
               "thread.auth_regressed"]


@case("out_of_order_mbox", HIJACK_MUST, ["thread.subject_hijacked", "thread.missing_quoted_message"],
      "the hijack (minato-shoji-co-jp.com separator, Cc sakura-klkai.co.jp) stored newest first")
def c_ooo():
    return list(reversed(hijack_core("oo")))


@case("maildir_input", HIJACK_MUST, ["thread.subject_hijacked", "thread.missing_quoted_message"],
      "the same hijack as a Maildir (cur/new/tmp), files named in no date order", kind="maildir")
def c_maildir():
    return hijack_core("md")


@case("eml_directory_input", HIJACK_MUST, ["thread.subject_hijacked", "thread.missing_quoted_message"],
      "the same hijack as a directory of .eml files", kind="dir")
def c_dir():
    return hijack_core("dr")


@case("subject_hijack_freemail",
      ["thread.subject_hijacked"], ["thread.sender_domain_changed"],
      "a gmail address never in the thread writes 'RE: <subject>' with no references or quotes")
def c_subj():
    ids = ["<%d.sh@%s>" % (i, h) for i, h in enumerate([PAR, VIC, "mail.gmail.com"])]
    m1 = mail(ITO, [KIMURA], INV, d(8, 9, month=3), ids[0], invoice_body(GOOD_BANK))
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(8, 10, month=3), ids[1], "受領しました。\n", irt=ids[0], refs=ids[:1])
    m3 = mail(("港商事 伊藤", "minato.shoji.keiri@gmail.com"), [KIMURA], "RE: " + INV, d(9, 9, month=3), ids[2],
              "木村様\n振込先が変わりました。ひかり銀行 普通 9988776\n")
    return [m1, m2, m3]


@case("combosquat_jp_suffix",
      ["thread.sender_domain_changed"], [],
      "attacker from minato-shoji-jp.com (combosquat: the real label plus '-jp'), a common BEC "
      "registration")
def c_combo():
    ids = ["<%d.cs@%s>" % (i, h) for i, h in enumerate([PAR, VIC, "minato-shoji-jp.com"])]
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(10, 9, month=3), ids[0], b1)
    m2 = mail(KIMURA, [ITO], "RE: " + INV, d(10, 10, month=3), ids[1], "受領しました。\n", irt=ids[0], refs=ids[:1])
    m3 = mail(("港商事 営業部 伊藤 直樹", "naoki.ito@minato-shoji-jp.com"), [KIMURA], "RE: " + INV,
              d(11, 9, month=3), ids[2], "木村様\n振込先: ひかり銀行 普通 9988776\n", irt=ids[1], refs=ids[:2],
              auth=("pass", "none", "none"))
    return [m1, m2, m3]


# -------------------------------------------------------------------- benign

NOUKI = "部品Bの納期調整について"
SATO_G = ("ひかり精工 営業 佐藤 美咲", "misaki.sato@hikari-seiko.co.jp")
SATO_G2 = ("ひかり精工グループ 営業 佐藤 美咲", "misaki.sato@hikari-seiko-group.co.jp")
VENDOR_GM = ("田村工房 田村 修", "tamura.kobo@gmail.com")
VENDOR_CO = ("田村工房 田村 修", "osamu.tamura@tamura-kobo.co.jp")


@case("benign_long_domain_moves", [], ALL_THREAD,
      "8 mails: a colleague moves hikari-seiko.co.jp -> hikari-seiko-group.co.jp (announced), a vendor moves "
      "gmail.com -> tamura-kobo.co.jp (announced); Japanese clients omit References, replies quote earlier mails")
def c_benign_long():
    ids = ["<%d.bl@x.example>" % i for i in range(8)]
    b1 = "佐藤様、田村様\n\n森です。部品Bの納期を3月20日に調整できますでしょうか。\n\n桜機械 購買部 森\n"
    m1 = mail(MORI, [SATO_G, VENDOR_GM], NOUKI, d(3, 9, month=3), ids[0], b1, auth=None)
    b2 = ("森様\n\nひかり精工の佐藤です。3月20日で承知しました。\n"
          "なお、4月1日のグループ統合に伴い、今後は新しいアドレス misaki.sato@hikari-seiko-group.co.jp\n"
          "からご連絡いたします。\n\n2025年3月3日(月) 9:00 購買部 森 大輔 <%s>:\n" % MORI[1]) + quote(b1)
    m2 = mail(SATO_G, [MORI], "Re: " + NOUKI, d(3, 11, month=3), ids[1], b2, cc=[VENDOR_GM])
    b3 = ("森様\n\n田村工房の田村です。承知しました。\n個人のgmailから会社のアドレス osamu.tamura@tamura-kobo.co.jp に\n"
          "切り替えますので、以後はこちらへお願いします。\n\n2025年3月3日(月) 11:00 ひかり精工 営業 佐藤 美咲 <%s>:\n"
          % SATO_G[1]) + quote(b2)
    m3 = mail(VENDOR_GM, [MORI], "Re: " + NOUKI, d(3, 14, month=3), ids[2], b3, cc=[SATO_G])
    b4 = ("森様\n\n田村です。新しいアドレスからお送りします。部品Bは3月18日に出荷します。\n\n"
          "2025年3月3日(月) 14:00 田村工房 田村 修 <%s>:\n" % VENDOR_GM[1]) + quote(b3)
    m4 = mail(VENDOR_CO, [MORI], "Re: Re: " + NOUKI, d(4, 9, month=3), ids[3], b4, cc=[SATO_G])
    b5 = ("森様\n\n佐藤です。新アドレスから失礼します。ひかり精工側も3月18日出荷で確定です。\n\n"
          "差出人: 田村工房 田村 修 <%s>\n送信日時: 2025年3月4日 9:00\n宛先: 購買部 森 大輔 <%s>\n件名: Re: Re: %s\n\n"
          % (VENDOR_CO[1], MORI[1], NOUKI)) + b4
    m5 = mail(SATO_G2, [MORI], "RE: Re: Re: " + NOUKI, d(4, 13, month=3), ids[4], b5, cc=[VENDOR_CO])
    b6 = ("佐藤様、田村様\n\n森です。ありがとうございます。\n\n差出人: ひかり精工グループ 営業 佐藤 美咲 <%s>\n"
          "送信日時: 2025年3月4日 13:00\n件名: RE: Re: Re: %s\n\n" % (SATO_G2[1], NOUKI)) + quote(b5)
    m6 = mail(MORI, [SATO_G2, VENDOR_CO], "RE: " + NOUKI, d(4, 15, month=3), ids[5], b6, auth=None)
    m7 = mail(VENDOR_CO, [MORI], "Re: " + NOUKI, d(5, 9, month=3), ids[6],
              "森様\n田村です。出荷準備が整いました。\n", cc=[SATO_G2], irt=ids[5], refs=[ids[5]])
    m8 = mail(SATO_G2, [MORI], "ＲＥ：" + NOUKI, d(5, 10, month=3), ids[7], "森様\n佐藤です。了解です。\n",
              cc=[VENDOR_CO], irt=ids[6], refs=[ids[5], ids[6]])
    return [m1, m2, m3, m4, m5, m6, m7, m8]


@case("benign_forwarded_thread", [], ALL_THREAD,
      "the partner's invoice forwarded inside the victim company (FW:, 転送:), a colleague answers the forward; "
      "the bank account is repeated in the forward text")
def c_benign_fw():
    ids = ["<%d.bf@%s>" % (i, h) for i, h in enumerate([PAR, VIC, VIC, VIC])]
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(12, 9, month=3), ids[0], b1)
    b2 = ("小川さん\n\n木村です。港商事の請求書を転送します。振込先は従来どおり さくら銀行 普通 3344556 です。\n\n"
          "---------- Forwarded message ---------\nFrom: %s <%s>\nDate: 2025年3月12日(水) 9:00\nSubject: %s\n"
          "To: %s <%s>\n\n" % (ITO[0], ITO[1], INV, KIMURA[0], KIMURA[1])) + b1
    m2 = mail(KIMURA, [OGAWA], "Fwd: " + INV, d(12, 10, month=3), ids[1], b2, auth=None)
    b3 = ("木村さん\n\n小川です。確認しました。支払い処理に回します。\n\n" +
          outlook_hdr(KIMURA, d(12, 10, month=3), OGAWA, "Fwd: " + INV, ja=True)) + b2
    m3 = mail(OGAWA, [KIMURA], "RE: Fwd: " + INV, d(12, 11, month=3), ids[2], b3, irt=ids[1], refs=ids[1:2])
    b4 = ("森さん\n\n参考までに転送します。木村\n\n" + outlook_hdr(OGAWA, d(12, 11, month=3), KIMURA,
                                                    "RE: Fwd: " + INV, ja=True)) + b3
    m4 = mail(KIMURA, [MORI], "転送: RE: Fwd: " + INV, d(12, 14, month=3), ids[3], b4, auth=None)
    return [m1, m2, m3, m4]


@case("benign_sent_items_no_auth", [], ALL_THREAD,
      "an export of the victim's mailbox: inbound mail (colleague's, via the gateway) has passing "
      "Authentication-Results, the owner's own Sent Items have none")
def c_sent():
    ids = ["<%d.si@%s>" % (i, h) for i, h in enumerate([PAR, VIC, VIC, PAR, VIC])]
    b1 = invoice_body(GOOD_BANK)
    m1 = mail(ITO, [KIMURA], INV, d(13, 9, month=3), ids[0], b1, cc=[OGAWA])
    m2 = mail(OGAWA, [ITO], "RE: " + INV, d(13, 10, month=3), ids[1], "伊藤様\n小川です。受領しました。\n",
              cc=[KIMURA], irt=ids[0], refs=ids[:1])
    m3 = mail(KIMURA, [ITO], "RE: " + INV, d(13, 11, month=3), ids[2], "伊藤様\n木村です。支払日は3月末です。\n",
              cc=[OGAWA], irt=ids[1], refs=ids[:2], auth=None)
    m4 = mail(ITO, [KIMURA], "RE: " + INV, d(13, 15, month=3), ids[3], "木村様\n承知しました。伊藤\n",
              cc=[OGAWA], irt=ids[2], refs=ids[:3])
    m5 = mail(KIMURA, [ITO], "RE: " + INV, d(14, 9, month=3), ids[4], "伊藤様\nよろしくお願いします。\n",
              cc=[OGAWA], irt=ids[3], refs=ids[:4], auth=None)
    return [m1, m2, m3, m4, m5]


TOM = ("Tom Baker", "tom.baker@brightline-freight.co.uk")
EN2 = "Shipment schedule for April"


@case("benign_timezones_nested_quotes", [], ALL_THREAD,
      "UK partner (GMT) and Japanese victim (JST); replies quote the whole history, so each nested "
      "'On ..., X wrote:' carries the time in the zone of whoever wrote that level")
def c_tz():
    ids = ["<%d.tz@%s>" % (i, h) for i, h in enumerate([VIC, "brightline-freight.co.uk", VIC, "brightline-freight.co.uk"])]
    b1 = "Dear Tom,\n\nCould you confirm the April schedule?\n\nKen\n"
    m1 = mail(KEN, [TOM], EN2, d(3, 10, month=4), ids[0], b1, charset="UTF-8", auth=None)
    # Tom in London (BST? no: early April 2025 is BST, +01:00): 10:00 JST = 02:00 BST
    BST = datetime.timezone(datetime.timedelta(hours=1))
    b2 = ("Hi Ken,\n\nConfirmed: vessel leaves on 12 April.\n\nTom\n\n"
          "On Thu, 3 Apr 2025 at 02:00, Ken Mori <%s> wrote:\n" % KEN[1]) + quote(b1)
    m2 = mail(TOM, [KEN], "Re: " + EN2, d(3, 9, tz=BST, month=4), ids[1], b2, irt=ids[0], refs=ids[:1], charset="UTF-8")
    b3 = ("Tom,\n\nThanks. Will the documents follow?\n\nKen\n\n"
          "On Thu, Apr 3, 2025 at 5:00 PM Tom Baker <%s> wrote:\n" % TOM[1]) + quote(b2)
    m3 = mail(KEN, [TOM], "Re: " + EN2, d(3, 18, month=4), ids[2], b3, charset="UTF-8", auth=None)
    b4 = ("Ken,\n\nYes, next week.\n\nTom\n\n"
          "On Thu, 3 Apr 2025 at 10:00, Ken Mori <%s> wrote:\n" % KEN[1]) + quote(b3)
    m4 = mail(TOM, [KEN], "Re: " + EN2, d(3, 11, tz=BST, month=4), ids[3], b4, charset="UTF-8")
    return [m1, m2, m3, m4]


@case("benign_account_manager_signature", [], ALL_THREAD,
      "the partner's Key Account Manager signs with a phone number; the invoice gives the real account "
      "and the reminder asks to remit to 'our account by 2025-03-31'")
def c_sig():
    ids = ["<%d.am@%s>" % (i, h) for i, h in enumerate(["nordwind-logistik.de", VIC, "nordwind-logistik.de"])]
    b1 = ("Dear Mr Mori,\n\nPlease find our invoice INV-2025-0077.\n"
          "Account number: 0532013000, Commerzbank Hamburg\n\nBest regards\nAnna Keller\n")
    m1 = mail(ANNA, [KEN], "Invoice INV-2025-0077", d(3, 9, tz=UTC, month=3), ids[0], b1, charset="UTF-8")
    m2 = mail(KEN, [ANNA], "RE: Invoice INV-2025-0077", d(3, 19, month=3), ids[1], "Received, thank you.\nKen\n",
              irt=ids[0], refs=ids[:1], charset="UTF-8")
    b3 = ("Dear Mr Mori,\n\nA friendly reminder: please transfer the amount to our account by 2025-03-31.\n\n"
          "Best regards\nJonas Brandt\nKey Account Manager Japan  +49 40 5550 1234\nNordwind Logistik GmbH\n")
    m3 = mail(("Jonas Brandt", "jonas.brandt@nordwind-logistik.de"), [KEN], "RE: Invoice INV-2025-0077",
              d(20, 9, tz=UTC, month=3), ids[2], b3, irt=ids[1], refs=ids[:2], charset="UTF-8")
    return [m1, m2, m3]


@case("benign_freemail_country_variants", [], ALL_THREAD,
      "a sole trader writes from outlook.jp, later from outlook.com (both Microsoft free mail); "
      "not a registration that imitates anything")
def c_freemail():
    ids = ["<%d.fm@%s>" % (i, h) for i, h in enumerate(["outlook.jp", VIC, "outlook.com"])]
    A = ("中村デザイン 中村 彩", "aya.nakamura.design@outlook.jp")
    B = ("中村デザイン 中村 彩", "aya.nakamura.design@outlook.com")
    S = "カタログ表紙デザインの件"
    m1 = mail(A, [MORI], S, d(17, 9, month=3), ids[0], "森様\n中村です。初稿をお送りします。\n")
    m2 = mail(MORI, [A], "RE: " + S, d(17, 10, month=3), ids[1], "中村様\n拝見しました。\n", irt=ids[0], refs=ids[:1],
              auth=None)
    m3 = mail(B, [MORI], "RE: " + S, d(18, 9, month=3), ids[2],
              "森様\n中村です。PC入れ替えのため outlook.com のアドレスからお送りします。第二稿です。\n",
              irt=ids[1], refs=ids[:2])
    return [m1, m2, m3]


@case("benign_outlook_name_only_quotes", [], ALL_THREAD,
      "internal Exchange replies quote 'From: 小川 誠' (display name only, as Outlook does for "
      "directory users) while the From header says '経理課 小川 誠'")
def c_nameonly():
    ids = ["<%d.no@%s>" % (i, h) for i, h in enumerate([VIC, VIC, VIC])]
    S = "3月度 支払予定表の確認"
    b1 = "木村さん\n小川です。3月度の支払予定表を確認してください。\n"
    m1 = mail(OGAWA, [KIMURA], S, d(19, 9, month=3), ids[0], b1)
    b2 = ("小川さん\n確認しました。木村\n\n差出人: 小川 誠\n送信日時: 2025年3月19日 9:00\n宛先: 木村 恵子\n件名: %s\n\n"
          % S) + b1
    m2 = mail(KIMURA, [OGAWA], "RE: " + S, d(19, 10, month=3), ids[1], b2, irt=ids[0], refs=ids[:1])
    b3 = ("木村さん\nありがとうございます。\n\n差出人: 木村 恵子\n送信日時: 2025年3月19日 10:00\n宛先: 小川 誠\n件名: RE: %s\n\n"
          % S) + b2
    m3 = mail(OGAWA, [KIMURA], "RE: " + S, d(19, 11, month=3), ids[2], b3, irt=ids[1], refs=ids[:2])
    return [m1, m2, m3]


# -------------------------------------------------------------------- writing

def mbox_entry(raw):
    import email, email.utils
    msg = email.message_from_string(raw)
    sender = email.utils.parseaddr(msg["Return-Path"] or msg["From"])[1] or "MAILER-DAEMON"
    when = email.utils.parsedate_to_datetime(msg["Date"]).astimezone(UTC)
    out = ["From %s %s" % (sender, when.strftime("%a %b %d %H:%M:%S %Y"))]
    for line in raw.split("\n")[:-1]:
        out.append(">" + line if line.lstrip(">").startswith("From ") else line)
    return "\n".join(out) + "\n\n"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "cases"
    os.makedirs(out, exist_ok=True)
    expected = {}
    for name, (fn, must, must_not, note, kind) in CASES.items():
        mails = fn()
        for i, m in enumerate(mails):
            m.encode("ascii")  # 7-bit, as sent
        if kind == "mbox":
            with open(os.path.join(out, name + ".mbox"), "w", newline="\n") as f:
                f.write("".join(mbox_entry(m) for m in mails))
            path = name + ".mbox"
        else:
            root = os.path.join(out, name)
            shutil.rmtree(root, ignore_errors=True)
            if kind == "maildir":
                for sub in ("cur", "new", "tmp"):
                    os.makedirs(os.path.join(root, sub))
                names = ["1741%06d.M%dP99.host:2,S" % ((7 - i) * 1000, i) for i in range(len(mails))]
                for i, m in enumerate(mails):
                    sub = "new" if i == len(mails) - 1 else "cur"
                    fn_ = names[i] if sub == "cur" else names[i].split(":")[0]
                    with open(os.path.join(root, sub, fn_), "w", newline="\n") as f:
                        f.write(m)
            else:
                os.makedirs(root)
                for i, m in enumerate(mails):
                    with open(os.path.join(root, "%s.eml" % "zyxwvu"[i]), "w", newline="\n") as f:
                        f.write(m)
            path = name
        expected[name] = {"must": must, "must_not": must_not, "note": note, "path": path}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    print("wrote %d cases to %s" % (len(CASES), out))


if __name__ == "__main__":
    main()
