#!/usr/bin/env python3
"""End-to-end: analysis prints nothing on stderr.  The libraries under the
analyzers (poppler, libjpeg through poppler, libgsf, libarchive, libxml2, GLib)
write warnings to stderr unless told not to, and in the workbench those lines
land on the ncurses screen.  `kensa analyze FILE --format json` runs on

  - every file in samples/;
  - PDFs made here whose JPEG image is damaged (random bytes after a JFIF
    header, as tests/bench/gen_mbox.py makes them: libjpeg warned "Corrupt
    JPEG data" once per image decoded), with one image and with two images of
    different sizes drawn stretched (the case where a pixel size is not told
    by the image dictionaries);
  - about 200 corpus files sent as attachments (the wrapper of
    test_corpora_robust.py): every PDF and OLE/Office file and every fifth
    file of the archive corpus.

With exit status 0 or 1, stderr must be empty; 3 (not a message) must print
exactly one "kensa: " line; anything else is a failure.  Prints one "ok NAME"
or "FAIL NAME: files" per group and "N passed, M failed".

Usage: KENSA=path/to/kensa python3 tests/e2e/test_quiet.py"""

import concurrent.futures
import os
import random
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, HERE)
import kensa_e2e as k  # noqa: E402
from test_corpora_robust import wrap  # noqa: E402

TIMEOUT = float(os.environ.get("KENSA_E2E_TIMEOUT", "20"))
JOBS = int(os.environ.get("KENSA_E2E_JOBS", "2"))
# corpus folders whose files go through the noisy libraries, all of them
ALL_OF = ("pdf20examples", "pypdf_sample_files", "oletools_testdata")
# and one file in STRIDE of these
SOME_OF = ("libarchive_iso_zip",)
STRIDE = 5


def judge(path):
    """None when quiet, else why."""
    r = k.run(["analyze", path, "--format", "json"], timeout=TIMEOUT)
    if r.timed_out or r.rc is None:
        return "timed out"
    if r.rc in (0, 1):
        if r.err:
            lines = r.err_text.splitlines()
            return "%d stderr line(s), first: %s" % (len(lines), k.show(lines[0] if lines else "", 120))
        return None
    if r.rc == 3:
        lines = r.err_text.splitlines()
        if len(lines) == 1 and lines[0].startswith("kensa: "):
            return None
        return "exit 3 with stderr %s" % k.show(r.err_text, 120)
    return r.describe()


def pdf_with_jpegs(rng, images):
    """A one-page PDF drawing each (width px, height px, drawn w pt, drawn h pt)
    as a DCTDecode XObject whose data is a JFIF header and random bytes."""
    content = b""
    xobjects = b""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            None, None]
    for i, (_, _, dw, dh) in enumerate(images):
        content += b"q %d 0 0 %d 72 %d cm /Im%d Do Q\n" % (dw, dh, 100 + 200 * i, i)
        xobjects += b"/Im%d %d 0 R " % (i, 5 + i)
    objs[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
               b"/XObject << " + xobjects + b">> >> /Contents 4 0 R >>")
    objs[3] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    for w, h, _, _ in images:
        jpeg = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
                + rng.randbytes(8000) + b"\xff\xd9")
        objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                    b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
                    b"/Length %d >>\nstream\n" % (w, h, len(jpeg)) + jpeg + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def made_pdfs(tmp):
    rng = random.Random(20241212)
    cases = {
        "damaged_jpeg_one_image.pdf": [(1200, 600, 300, 150)],
        "damaged_jpeg_two_stretched.pdf": [(1200, 600, 300, 300), (60, 20, 216, 36)],
    }
    paths = []
    for name, images in cases.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(pdf_with_jpegs(rng, images))
        paths.append(path)
    return paths


def corpus_files():
    picked = []
    for top in ALL_OF + SOME_OF:
        files = []
        for dirpath, dirnames, filenames in os.walk(os.path.join(k.CORPORA, top)):
            dirnames.sort()
            files.extend(os.path.join(dirpath, fn) for fn in sorted(filenames))
        picked.extend(files if top in ALL_OF else files[::STRIDE])
    return picked


def check_group(rep, pool, name, originals, paths):
    failures = [(o, why) for o, why in zip(originals, pool.map(judge, paths)) if why]
    label = "%s: %d file%s quiet" % (name, len(paths), "" if len(paths) == 1 else "s")
    if failures:
        rep.fail(label, "%d printed on stderr: %s" % (
            len(failures), "; ".join("%s (%s)" % (os.path.basename(o), w) for o, w in failures[:3])))
        for o, why in failures:
            print("    %s: %s" % (o, why))
    else:
        rep.ok(label)


def main():
    rep = k.Reporter()
    if not k.binary_usable(rep):
        return rep.finish()
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool, \
            tempfile.TemporaryDirectory(prefix="kensa-quiet-") as tmp:
        samples = sorted(os.path.join(k.SAMPLES, f) for f in os.listdir(k.SAMPLES)
                         if os.path.isfile(os.path.join(k.SAMPLES, f)))
        check_group(rep, pool, "samples", samples, samples)

        made = made_pdfs(tmp)
        for n, path in enumerate(made):
            check_group(rep, pool, "damaged JPEG %s as attachment" % os.path.basename(path),
                        [path], [wrap(path, tmp, n)])

        if not os.path.isdir(k.CORPORA):
            rep.fail("corpora", "%s not found (the corpora sit beside the repository)" % k.CORPORA)
            return rep.finish()
        files = corpus_files()
        wrapped = [wrap(p, tmp, 100 + n) for n, p in enumerate(files)]
        check_group(rep, pool, "corpora as attachments", files, wrapped)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
