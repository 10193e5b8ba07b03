"""Hostile corpus, PDF certificates handed to the verifier (verifier.pdfintake, verifier.pdfworker): one
case per attack class. Each runs in a fresh, memory-limited interpreter (bounds.run_bounded) that
verifies every PDF of its class as the page's upload and the CLI do (`VerifierService.verify_input`),
names the code it expects, and asserts a time bound, a memory bound for the verifier's process and one
for the PDF reader's own process (the peak of its children).

| attack | expected |
|---|---|
| not a PDF after the `%PDF-` header (random bytes, JSON, an image) | `PDF_ERROR` "damaged" |
| a real certificate cut short (half, last 40 bytes) | `PDF_ERROR` |
| encrypted with a password | `PDF_ERROR` "protected with a password" |
| a 20 MB attached file, stored or compressed | `PDF_ERROR` "too much data", refused by its length, unread |
| a deflate bomb as the attached credential (128 MiB of zeros in 128 KB) | `PDF_ERROR` "inflates to more than" 1 MiB, inflated no further |
| 40,000 attached files; 300,000 (14 MB of name tree) | `PDF_NO_CREDENTIAL` after 64 looked at; `PDF_ERROR` (qpdf's container limit) |
| a name tree 10,000 levels deep; one whose node is its own kid; a page tree that loops; arrays nested 100,000 deep | `PDF_ERROR` (levels, loop, damaged) / `PDF_NO_CREDENTIAL`, never a hang |
| a cross-reference stream inflating to 1 GiB (qpdf inflates it unbounded) | `PDF_ERROR`, stopped at the reader process's memory limit |
| a real certificate whose attached credential, or presentation, was altered | `PROOF_VERIFICATION_ERROR`: not genuine |
| a PDF with only the QR code (attachments removed; a JPEG scan of the code) | verified: valid |
| a PDF with neither; an image declaring 100,000 x 100,000 pixels; an image stream that is a bomb | `PDF_NO_CREDENTIAL` (images skipped, said so) |
| the web page's upload of a bomb and of garbage; the VC API given a PDF | 303 to a result page saying "could not read" (no 500); 400 problem+json |
"""

from __future__ import annotations

import io
import json
import os
import zlib

import pikepdf
import pytest
from PIL import Image

from .bounds import run_bounded
from .pdfs import PAGES, bomb, build, certificate_pages, embedded, jpeg_page, stream, with_files

HERE = "tests.hostile.test_hostile_pdf"
NOW = "2026-09-01T12:00:00Z"


# The case (runs inside the bounded subprocess).

def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the PDF reader runs in one)."""
    import resource
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def verify_files(paths: list[str]) -> dict:
    import resource
    import time

    from vccore import Canonicalizer, FixedClock
    from tests.hostile.test_hostile_verifier import _service

    service = _service(Canonicalizer(), FixedClock(NOW))
    results = []
    for path in paths:
        with open(path, "rb") as fh:
            data = fh.read()
        start, wall = _cpu(), time.perf_counter()
        outcome = service.verify_input(data)
        results.append({"codes": sorted(outcome.report.codes()), "state": outcome.judged.state,
                        "part": outcome.pdf_part, "titles": [p.title for p in outcome.report.problems],
                        "details": " | ".join(p.detail for p in outcome.report.problems),
                        "seconds": _cpu() - start, "wall_seconds": time.perf_counter() - wall})
    return {"results": results, "reader_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def run(tmp_path, pdfs: list[bytes], *, seconds: float = 4, reader_mb: int = 200) -> list[dict]:
    """Each PDF verified in one bounded process: `seconds` of CPU per PDF, the reader's process included
    (tests/hostile/bounds.py: CPU time is what an attack costs); the verifier under 64 MB above its
    imports plus three times the largest file (read, and piped to the reader); the PDF reader's
    process under `reader_mb` (the peak of the children, which counts the fork before the reader starts)."""
    paths = []
    for i, pdf in enumerate(pdfs):
        paths.append(str(tmp_path / f"case-{i}.pdf"))
        (tmp_path / f"case-{i}.pdf").write_bytes(pdf)
    extra = 64 + 3 * max(len(p) for p in pdfs) / 2 ** 20
    result = run_bounded(f"{HERE}:verify_files", paths, seconds=seconds * len(pdfs), rss_mb=400)
    assert result.error is None, result.error
    assert result.rss_mb < 400 and result.extra_rss_mb < extra, (result.rss_mb, result.extra_rss_mb)
    assert result.value["reader_rss_mb"] < reader_mb, result.value["reader_rss_mb"]
    for found in result.value["results"]:
        assert found["seconds"] < seconds, found
    return result.value["results"]


def refused(found: dict, code: str, words: str = "") -> bool:
    return found["codes"] == [code] and found["state"] == "unreadable" and words in (found["details"] + " ".join(found["titles"]))


# Real certificates (made in the test process, by the wallet).

@pytest.fixture(scope="module")
def made(tmp_path_factory):
    from vccore import Canonicalizer, FixedClock
    from vccore.l10n import localizer
    from wallet.certificate import certificate_pdf

    from ..oid4vp_support import store_ldp, wallet_in
    canon, clock = Canonicalizer(), FixedClock(NOW)
    wallet = wallet_in(tmp_path_factory.mktemp("wallet") / "home", canon, clock)
    cred = store_ldp(wallet, canon)
    shown = wallet.present([cred], valid_for="year")
    yield {"pdf": certificate_pdf(wallet, cred, l10n=localizer("en")), "body": wallet.body(cred),
           "presentation": shown.document, "texts": shown.texts}
    wallet.close()


def edited(pdf: bytes, change) -> bytes:
    """`pdf` after `change(opened)` (pikepdf), saved again."""
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        change(opened)
        out = io.BytesIO()
        opened.save(out)
    return out.getvalue()


def test_garbage_truncated_and_encrypted_pdfs_are_refused(tmp_path, made):
    with pikepdf.open(io.BytesIO(made["pdf"])) as opened:
        out = io.BytesIO()
        opened.save(out, encryption=pikepdf.Encryption(user="geheim", owner="geheim-eigenaar"))
        encrypted = out.getvalue()
    png = io.BytesIO()
    Image.new("L", (10, 10)).save(png, "PNG")
    pdfs = [b"%PDF-1.7\n" + os.urandom(200_000), b"%PDF-1.7\n" + json.dumps({"type": "x"}).encode(),
            b"%PDF-1.4\n" + png.getvalue(), made["pdf"][: len(made["pdf"]) // 2], made["pdf"][:-40], encrypted]
    found = run(tmp_path, pdfs)
    assert all(refused(f, "PDF_ERROR") for f in found), found
    assert refused(found[-1], "PDF_ERROR", "protected with a password")


def test_a_huge_attached_file_is_refused_by_its_length_unread(tmp_path):
    big = os.urandom(20 * 1024 * 1024)
    stored = with_files(b"<< /Names [(microcredential.json) 5 0 R] >>",
                        {5: b"<< /Type /Filespec /F (microcredential.json) /EF << /F 6 0 R >> >>", 6: embedded(big)})
    packed = with_files(b"<< /Names [(microcredential.json) 5 0 R] >>",
                        {5: b"<< /Type /Filespec /F (microcredential.json) /EF << /F 6 0 R >> >>",
                         6: embedded(big, flate=True)})
    found = run(tmp_path, [stored, packed], reader_mb=250)
    assert all(refused(f, "PDF_ERROR", "more than 1048576") for f in found), found


def test_a_deflate_bomb_as_the_attached_credential_stops_at_the_limit(tmp_path):
    data = bomb(128 << 20)
    assert len(data) < 200_000
    pdf = with_files(b"<< /Names [(microcredential.json) 5 0 R] >>",
                     {5: b"<< /Type /Filespec /F (microcredential.json) /EF << /F 6 0 R >> >>",
                      6: embedded(data, flate=True)})
    (found,) = run(tmp_path, [pdf])
    assert refused(found, "PDF_ERROR", "inflates to more than 1048576 bytes"), found


def test_many_attached_files_are_looked_at_up_to_a_limit(tmp_path):
    def files(n: int) -> bytes:
        names = b"".join(b"(f%d) << /Type /Filespec /F (f%d.bin) >> " % (i, i) for i in range(n))
        return with_files(b"<< /Names [" + names + b"] >>")
    found = run(tmp_path, [files(40_000), files(300_000)], seconds=6)
    assert refused(found[0], "PDF_NO_CREDENTIAL"), found[0]
    assert refused(found[1], "PDF_ERROR", "limits"), found[1]


def test_deep_and_recursive_structures_end_in_a_refusal(tmp_path):
    depth = 10_000
    chain = {4 + i: b"<< /Kids [%d 0 R] >>" % (5 + i) for i in range(depth)}
    chain[4 + depth] = b"<< /Names [(a.json) << /F (a.json) >>] >>"
    deep = with_files(chain.pop(4), chain)
    loop = with_files(b"<< /Kids [4 0 R] >>")
    pages = build({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"})
    nested = with_files(b"<< /Names " + b"[" * 100_000 + b"]" * 100_000 + b" >>")
    found = run(tmp_path, [deep, loop, pages, nested])
    assert refused(found[0], "PDF_ERROR", "16 levels"), found[0]
    assert refused(found[1], "PDF_ERROR", "loop"), found[1]
    assert refused(found[2], "PDF_ERROR"), found[2]
    assert found[3]["codes"] in (["PDF_ERROR"], ["PDF_NO_CREDENTIAL"]) and found[3]["state"] == "unreadable", found[3]


def test_a_cross_reference_stream_bomb_is_stopped_by_the_readers_memory_limit(tmp_path):
    data = bomb(1 << 30)
    head = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref = (b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(data) + data + b"\nendstream\nendobj\n")
    pdf = head + xref + b"startxref\n%d\n%%%%EOF\n" % len(head)
    (found,) = run(tmp_path, [pdf], seconds=16, reader_mb=700)
    assert refused(found, "PDF_ERROR"), found


def test_an_altered_attachment_is_not_genuine(tmp_path, made):
    forged = json.loads(made["body"])
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory Vervalser"

    def credential_only(opened):
        del opened.attachments["presentation.json"]
        opened.attachments["microcredential.json"] = pikepdf.AttachedFileSpec(
            opened, json.dumps(forged).encode(), mime_type="application/vc+ld+json")

    def presentation_too(opened):
        presented = json.loads(json.dumps(made["presentation"]))
        presented["verifiableCredential"][0] = forged
        opened.attachments["presentation.json"] = pikepdf.AttachedFileSpec(
            opened, json.dumps(presented).encode(), mime_type="application/vp+ld+json")
    found = run(tmp_path, [edited(made["pdf"], credential_only), edited(made["pdf"], presentation_too)])
    for f in found:
        assert "PROOF_VERIFICATION_ERROR" in f["codes"] and f["state"] == "not_genuine" and f["part"] == "attachment", f


def test_only_a_qr_code_is_verified_and_neither_is_no_credential(tmp_path, made):
    from wallet.qrimage import render_png

    def stripped(opened):
        for name in list(opened.attachments):
            del opened.attachments[name]
    scan = io.BytesIO()
    qr = Image.open(io.BytesIO(render_png(made["texts"][0])))
    qr.convert("L").resize((qr.width * 2, qr.height * 2)).save(scan, "JPEG", quality=90)
    text_only = build({1: b"<< /Type /Catalog /Pages 2 0 R >>", **PAGES})
    huge = certificate_pages(stream(b"\x00" * 64, b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                                                  b"/ColorSpace /DeviceGray /BitsPerComponent 8"))
    image_bomb = certificate_pages(stream(bomb(64 << 20), b"/Type /XObject /Subtype /Image /Width 1000 /Height 1000 "
                                                          b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"))
    found = run(tmp_path, [edited(made["pdf"], stripped), jpeg_page(scan.getvalue(), qr.width * 2, qr.height * 2),
                           text_only, huge, image_bomb])
    assert [f["state"] for f in found[:2]] == ["valid", "valid"] and {f["part"] for f in found[:2]} == {"qr"}, found[:2]
    assert refused(found[2], "PDF_NO_CREDENTIAL"), found[2]
    assert all(refused(f, "PDF_NO_CREDENTIAL", "1 image(s) not scanned") for f in found[3:]), found[3:]


def test_the_web_upload_and_the_vc_api_answer_hostile_pdfs_without_a_500(canon, clock):
    from verifier.app import create_app

    from .test_hostile_verifier import _service
    app = create_app({"VERIFIER_SERVICE": _service(canon, clock), "TESTING": True})
    client = app.test_client()
    pdf_bomb = with_files(b"<< /Names [(microcredential.json) 5 0 R] >>",
                          {5: b"<< /Type /Filespec /F (microcredential.json) /EF << /F 6 0 R >> >>",
                           6: embedded(bomb(16 << 20), flate=True)})
    for pdf in (pdf_bomb, b"%PDF-1.7\n" + zlib.compress(os.urandom(5000))):
        reply = client.post("/verify?lang=en", data={"file": (io.BytesIO(pdf), "certificate.pdf")},
                            content_type="multipart/form-data")
        assert reply.status_code == 303
        page = client.get(reply.headers["Location"]).get_data(as_text=True)
        assert 'data-state="unreadable"' in page and "PDF_ERROR" in page and 'id="pdf-notice"' not in page
    reply = client.post("/credentials/verify", data=pdf_bomb, content_type="application/pdf")
    assert reply.status_code == 400 and reply.mimetype == "application/problem+json"
    assert json.loads(reply.data)["code"] == "PARSING_ERROR"  # the VC API takes JSON only
