"""The staff console's PDF certificate of an issued microcredential (docs/pdf-certificate.md): a link on
the record's page, an A4 page in the page's language saying it is the institution's copy, the
credential attached exactly as stored and in the QR code (rendered with poppler's pdftoppm, decoded
with the verifier's QR decoder), verified by our verifier from the PDF; staff only."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pikepdf
import pytest

from vccore import Verifier
from vccore.qrcodec import decode_payload
from vccore.transport import NoNetwork

from .test_console import HOLDER, page_text, record  # noqa: F401 (fixtures)
from .test_oid4vci import app, client, definition_id  # noqa: F401 (fixtures)
from .test_web import issue, staff  # noqa: F401 (fixtures)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} (poppler-utils) is missing: run `sh scripts/ensure-pdf-tools.sh` (`make test` does)")
    return found


def text_of(pdf: bytes, tmp_path) -> str:
    (tmp_path / "copy.pdf").write_bytes(pdf)
    return subprocess.run([tool("pdftotext"), str(tmp_path / "copy.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\n", " ")


@pytest.mark.parametrize("lang,language,copy", [
    ("nl", "nl-NL", "Kopie gemaakt door de instelling"), ("en", "en-GB", "Copy made by the institution")])
def test_the_record_page_offers_the_pdf_in_its_language(staff, record, tmp_path, lang, language, copy):  # noqa: F811
    page = page_text(staff.get(f"/admin/records/{record.id}?lang={lang}"))
    assert 'id="download-pdf"' in page and f"/admin/records/{record.id}/certificate.pdf?lang={lang}" in page
    reply = staff.get(f"/admin/records/{record.id}/certificate.pdf?lang={lang}")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert reply.headers["Content-Disposition"] == f'attachment; filename="Sanne-de-Vries-{record.id}.pdf"'
    with pikepdf.open(io.BytesIO(reply.data)) as opened:
        assert str(opened.Root.Lang) == language and len(opened.pages) == 1
        assert [round(float(v)) for v in opened.pages[0].mediabox] == [0, 0, 595, 842]  # A4 in points
        (name,) = opened.attachments
        attached = opened.attachments[name].get_file()
        assert name == "microcredential.json" and attached.mime_type == "application/vc+ld+json"
        assert attached.read_bytes() == record.credential_json  # exactly the registry's bytes
    printed = text_of(reply.data, tmp_path)
    for shown in ("Sanne de Vries", "Hogeschool Voorbeeld", "Data-gedreven besluitvorming in de zorg", "NLQF 6",
                  "EQF 6", "Zorgdata verzamelen", copy):
        assert shown in printed, shown


def test_the_qr_code_holds_the_credential_and_the_verifier_accepts_the_pdf(app, staff, record, tmp_path,  # noqa: F811
                                                                          canon, clock):
    from verifier.intake import decode_image
    from verifier.service import VerifierService

    pdf = staff.get(f"/admin/records/{record.id}/certificate.pdf?lang=en").data
    (tmp_path / "copy.pdf").write_bytes(pdf)
    subprocess.run([tool("pdftoppm"), "-r", "200", "-png", "-singlefile", str(tmp_path / "copy.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True)
    (text,) = decode_image((tmp_path / "page.png").read_bytes())
    assert decode_payload(text) == json.loads(record.credential_json)  # the credential itself, not a presentation
    report = Verifier(canon=canon, clock=clock).verify_credential(decode_payload(text))
    assert report.verified, report.codes()
    outcome = VerifierService(canon=canon, clock=clock, transport=NoNetwork()).verify_input(pdf)
    assert outcome.source == "pdf" and outcome.pdf_part == "attachment" and outcome.kind == "credential"
    assert "PROOF_VERIFICATION_ERROR" not in outcome.report.codes()
    assert next(c for c in outcome.report.checks if c.name == "proof").status == "passed"


def test_only_staff_get_the_pdf_and_an_unknown_record_is_404(client, staff, record):  # noqa: F811
    anonymous = client.application.test_client()
    reply = anonymous.get(f"/admin/records/{record.id}/certificate.pdf")
    assert reply.status_code == 302 and reply.headers["Location"].startswith("/admin/login")
    assert staff.get("/admin/records/no-such-record/certificate.pdf").status_code == 404


def test_without_the_font_the_page_says_so_in_the_staff_language(staff, record, monkeypatch):  # noqa: F811
    import vccore.pdfcert
    monkeypatch.delenv("VC_PDF_FONT_DIR", raising=False)
    monkeypatch.setattr(vccore.pdfcert, "_FONT_DIRS", ())
    monkeypatch.setattr(vccore.pdfcert.shutil, "which", lambda name: None)  # no fontconfig either
    reply = staff.get(f"/admin/records/{record.id}/certificate.pdf?lang=nl")
    page = page_text(reply)
    assert reply.status_code == 503 and "Geen lettertype voor het pdf-certificaat" in page and "PDF_FONT_MISSING" in page
