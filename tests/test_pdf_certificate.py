"""The PDF certificate (docs/pdf-certificate.md), end to end: made by the wallet (library, web app and
CLI), its attachments extracted by an independent tool (poppler's pdfdetach) and verified by our
verifier; the PDF itself verified from the page's upload and the CLI (valid: the holder's presentation
is attached); the QR code printed on it rendered to an image (poppler's pdftoppm), decoded and
verified; without attachments the printed QR code is verified; a PDF whose printed text says
something else still shows only what is signed; the printed text is read only as signed."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import subprocess

import pikepdf
import pytest

from vccore.errors import UndefinedTermError
from vccore.l10n import localizer
from vccore.pdfcert import credential_file, fields_of, find_fonts, render_certificate, signed_fields
from verifier import cli as verifier_cli
from verifier.app import create_app
from verifier.intake import decode_image
from verifier.service import VerifierService
from verifier.trust import TrustStore
from wallet.certificate import certificate_pdf
from wallet.web.i18n import TRANSLATIONS

from .oid4vp_support import store_ldp, store_sd_jwt, wallet_in
from .verifier import factory

NL = localizer("nl", translations=[TRANSLATIONS])
EN = localizer("en", translations=[TRANSLATIONS])


@pytest.fixture
def wallet(tmp_path, canon, clock):
    w = wallet_in(tmp_path / "home", canon, clock)
    yield w
    w.close()


@pytest.fixture
def service(canon, clock):
    svc = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    svc.trust.import_bytes(factory.trust_list(canon))
    return svc


@pytest.fixture
def client(service):
    return create_app({"VERIFIER_SERVICE": service, "TESTING": True}).test_client()


def upload(client, pdf: bytes) -> str:
    reply = client.post("/verify?lang=en", data={"file": (io.BytesIO(pdf), "certificate.pdf")},
                        content_type="multipart/form-data")
    assert reply.status_code == 303
    return client.get(reply.headers["Location"]).get_data(as_text=True)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} (poppler-utils) is missing: run `sh scripts/ensure-pdf-tools.sh` (`make test` does)")
    return found


def detach(path, out) -> dict[str, bytes]:
    """Every attached file, as poppler's pdfdetach extracts them."""
    out.mkdir()
    subprocess.run([tool("pdfdetach"), "-saveall", "-o", str(out), str(path)], check=True, capture_output=True)
    return {p.name: p.read_bytes() for p in out.iterdir()}


def printed_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def codes(report: dict) -> set[str]:
    return {p["code"] for p in report["problems"]}


def verify_cli(path, capsys, trust) -> tuple[int, dict]:
    code = verifier_cli.main(["verify", "--now", "2026-09-01T12:00:00Z", "--trust-list", str(trust), "--authority",
                              factory.authority_key.controller, "--offline", str(path)])
    return code, json.loads(capsys.readouterr().out)


def test_pdfdetach_extracts_the_credential_and_the_presentation_and_both_verify(wallet, canon, tmp_path, capsys):
    cred = store_ldp(wallet, canon)
    path = tmp_path / "certificaat.pdf"
    path.write_bytes(certificate_pdf(wallet, cred, l10n=NL))
    listing = subprocess.run([tool("pdfdetach"), "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert "microcredential.json" in listing and "presentation.json" in listing
    files = detach(path, tmp_path / "out")
    assert files["microcredential.json"] == wallet.body(cred)  # exactly the stored bytes
    trust = tmp_path / "trust.json"
    trust.write_bytes(factory.trust_list(canon))
    offline = {"STATUS_RETRIEVAL_ERROR"}  # the CLI is offline here: status "could not be checked"
    code, report = verify_cli(tmp_path / "out" / "microcredential.json", capsys, trust)
    assert code == 0 and report["kind"] == "credential"
    assert codes(report) == offline | {"HOLDER_BINDING_ERROR"}  # a bare credential: not handed over by its holder
    code, report = verify_cli(tmp_path / "out" / "presentation.json", capsys, trust)
    assert code == 0 and report["kind"] == "presentation" and codes(report) == offline
    assert report["acceptableUntil"].startswith("2027-09-01")
    code, report = verify_cli(path, capsys, trust)  # the PDF itself: the holder's presentation first
    assert code == 0 and report["kind"] == "presentation" and codes(report) == offline
    assert report["source"] == "pdf" and report["pdfPart"] == "attachment"


def test_the_uploaded_pdf_is_valid_and_the_page_disowns_the_printed_text(wallet, canon, client):
    cred = store_ldp(wallet, canon)
    page = upload(client, certificate_pdf(wallet, cred, l10n=EN))
    assert 'data-state="valid"' in page and "Sanne de Vries" in page
    assert re.search(r'id="pdf-notice" data-part="attachment">Read from a PDF: its attached credential', page)


def test_a_pdf_with_edited_text_still_shows_only_what_is_signed(wallet, canon, client, tmp_path):
    cred = store_ldp(wallet, canon)
    signed = wallet.body(cred)
    forged = dataclasses.replace(fields_of(json.loads(signed)), participant="Mallory Vervalser", result="10")
    pdf = render_certificate(forged, l10n=EN, attachments=[credential_file(signed, "ldp_vc", EN)], qr_png=None,
                             fonts=find_fonts())
    assert "Mallory Vervalser" in printed_text(pdf, tmp_path)  # what a reader of the paper sees
    page = upload(client, pdf)
    assert 'id="pdf-notice"' in page and "Sanne de Vries" in page and "Mallory" not in page


def test_the_printed_qr_code_decodes_from_the_rendered_page_and_verifies(wallet, canon, service, tmp_path):
    cred = store_ldp(wallet, canon)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(wallet, cred, l10n=EN, valid_for="month"))
    subprocess.run([tool("pdftoppm"), "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True)
    image = (tmp_path / "page.png").read_bytes()
    (text,) = decode_image(image)  # the project's QR image decoder, on the printed page
    assert text.startswith("MC2C1:")
    outcome = service.verify_input(image)  # a photo of the printed page
    assert outcome.judged.state == "valid" and outcome.kind == "presentation", outcome.report.codes()
    assert outcome.acceptable_until.isoformat().startswith("2026-10-01")


def test_without_its_attachments_the_printed_qr_code_is_verified(wallet, canon, client):
    cred = store_ldp(wallet, canon)
    pdf = pikepdf.open(io.BytesIO(certificate_pdf(wallet, cred, l10n=EN, valid_for="month")))
    for name in list(pdf.attachments):
        del pdf.attachments[name]
    out = io.BytesIO()
    pdf.save(out)
    page = upload(client, out.getvalue())
    assert 'data-state="valid"' in page and 'data-part="qr"' in page  # the holder's presentation file
    assert 'id="acceptable-until"' in page and "1 October 2026" in page


def test_an_sd_jwt_vc_certificate_attaches_the_token_and_can_leave_out_the_grade(wallet, canon, clock, client,
                                                                                tmp_path):
    cred = store_sd_jwt(wallet, canon, clock)
    pdf = certificate_pdf(wallet, cred, l10n=EN)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert set(opened.attachments) == {"microcredential.jwt", "presentation.json"}
        assert opened.attachments["microcredential.jwt"].get_file().mime_type == "application/dc+sd-jwt"
    page = upload(client, pdf)
    assert 'data-state="valid"' in page and 'id="pdf-notice"' in page
    hidden = certificate_pdf(wallet, cred, l10n=EN, hide=("result",))
    text = printed_text(hidden, tmp_path)
    assert "Sanne de Vries" in text and not re.search(r"Result\s+\S*8", text)
    with pikepdf.open(io.BytesIO(hidden)) as opened:
        token = opened.attachments["microcredential.jwt"].get_file().read_bytes()
    assert token.count(b"~") < wallet.body(cred).count(b"~")  # the grade's disclosure is not attached
    page = upload(client, hidden)  # genuine, and says what it leaves out
    assert 'data-state="remarks"' in page and "MICROCREDENTIAL_INCOMPLETE" in page


def test_the_printed_fields_are_read_only_as_signed(canon):
    vc = factory.sign(factory.microcredential(), canon)
    assert signed_fields(vc, fmt="ldp_vc", canon=canon).participant == "Sanne de Vries"
    renamed = json.loads(json.dumps(vc))
    subject = renamed["credentialSubject"]
    subject["https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement"] = subject.pop("achievement")
    with pytest.raises(UndefinedTermError):  # an expanded name: a JSON reader would miss what is signed
        signed_fields(renamed, fmt="ldp_vc", canon=canon)


def test_the_web_wallet_makes_the_pdf_in_the_page_language_on_a_post_with_its_token(tmp_path, canon, clock):
    from .wallet.web_support import csrf, make_app, session_of, unlock
    app = make_app(tmp_path / "web", canon, clock, factory.status_transport(canon))
    client = app.test_client()
    unlock(client)
    cred = store_ldp(session_of(app, client).wallet, canon)
    page = client.get(f"/credentials/{cred}?lang=en").get_data(as_text=True)
    assert 'id="download-pdf"' in page and 'id="pdf-hide-grade"' not in page  # nothing to leave out of this one
    path = f"/credentials/{cred}/certificate.pdf?lang=en"
    assert client.get(path).status_code == 405  # it signs a presentation: never on a GET
    assert client.post(path, data={"valid": "day"}).status_code == 400  # no CSRF token
    reply = client.post(path, data={"valid": "day", "csrf": csrf(page)})
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert reply.headers["Content-Disposition"].endswith('.pdf"')
    with pikepdf.open(io.BytesIO(reply.data)) as opened:
        assert str(opened.Root.Lang) == "en-GB" and "microcredential.json" in opened.attachments
    assert client.post("/credentials/nothing-here/certificate.pdf", data={"csrf": csrf(page)}).status_code == 404


def test_the_cli_writes_the_pdf_and_the_verifier_accepts_it(wallet, canon, tmp_path, capsys, monkeypatch):
    from wallet import cli_parser
    cred = store_ldp(wallet, canon)
    monkeypatch.setenv("WALLET_PASSPHRASE", "a passphrase for the test")
    out = tmp_path / "certificate.pdf"
    assert cli_parser.main(["--home", str(tmp_path / "home"), "pdf", cred, str(out), "--lang", "en",
                            "--valid", "day"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["bytes"] == out.stat().st_size and out.stat().st_mode & 0o077 == 0  # private, like a key
    files = detach(out, tmp_path / "out")
    assert files["microcredential.json"] == wallet.body(cred)
    code = verifier_cli.main(["verify", "--trust-list", str(_trust(tmp_path, canon)), "--authority",
                              factory.authority_key.controller, "--offline", str(out)])
    report = json.loads(capsys.readouterr().out)  # on today's clock: the CLI signed with the real one
    assert code == 0 and report["source"] == "pdf" and report["kind"] == "presentation"
    assert codes(report) == {"STATUS_RETRIEVAL_ERROR"}
    assert cli_parser.main(["--home", str(tmp_path / "home"), "pdf", "nothing-here", str(tmp_path / "x.pdf")]) == 2
    assert json.loads(capsys.readouterr().err)["error"]["code"]


def _trust(tmp_path, canon):
    path = tmp_path / "trust.json"
    path.write_bytes(factory.trust_list(canon))
    return path


def test_without_the_font_the_wallet_says_so(tmp_path, canon, clock, monkeypatch, capsys):
    import vccore.pdfcert
    from wallet import cli_parser

    from .wallet.conftest import PASS
    from .wallet.web_support import csrf, make_app, session_of, unlock
    monkeypatch.delenv("VC_PDF_FONT_DIR", raising=False)
    monkeypatch.setattr(vccore.pdfcert, "_FONT_DIRS", ())
    monkeypatch.setattr(vccore.pdfcert.shutil, "which", lambda name: None)  # no fontconfig either
    app = make_app(tmp_path / "web", canon, clock, factory.status_transport(canon))
    client = app.test_client()
    unlock(client)
    cred = store_ldp(session_of(app, client).wallet, canon)
    token = csrf(client.get(f"/credentials/{cred}").get_data(as_text=True))
    reply = client.post(f"/credentials/{cred}/certificate.pdf?lang=en", data={"csrf": token})
    assert reply.status_code == 400 and "No font for the PDF certificate" in reply.get_data(as_text=True)
    monkeypatch.setenv("WALLET_PASSPHRASE", PASS)
    assert cli_parser.main(["--home", str(tmp_path / "web"), "pdf", cred, str(tmp_path / "x.pdf")]) == 2
    assert json.loads(capsys.readouterr().err)["error"]["code"] == "PDF_FONT_MISSING"
    assert not (tmp_path / "x.pdf").exists()


def test_any_text_is_printed_without_a_crash_and_none_of_it_is_logged(caplog, tmp_path):
    from vccore.pdfcert import Attachment, PdfCertificate
    odd = "日本語 😀 עברית \x00\x07 " + "X" * 600
    cert = PdfCertificate(participant=odd, institution=odd, unit=odd, code=odd, nlqf=odd, eqf=odd, ects="5",
                          outcomes=tuple((odd, odd) for _ in range(12)), result=odd, quality_mark=odd, awarded="never")
    with caplog.at_level("DEBUG"):
        pdf = render_certificate(cert, l10n=EN, attachments=[Attachment("microcredential.json", b"{}",
                                 "application/vc+ld+json", "-")], qr_png=None, fonts=find_fonts())
    assert "XXXXXXXXXX" in printed_text(pdf, tmp_path).replace("\n", "")  # a 600-letter word, broken over lines
    leaked = [r.getMessage() for r in caplog.records if any(t in r.getMessage() for t in ("日", "😀", "\\u65e5", "XXXX"))]
    assert leaked == []


def test_after_its_chosen_validity_the_pdf_is_refused_as_expired(wallet, canon, service, clock):
    pdf = certificate_pdf(wallet, store_ldp(wallet, canon), l10n=EN, valid_for="day")
    clock.advance(days=2)
    outcome = service.verify_input(pdf)
    assert outcome.judged.state == "presentation_expired" and outcome.report.codes() == {"PRESENTATION_EXPIRED"}
    assert outcome.pdf_part == "attachment"
