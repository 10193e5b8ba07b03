"""The staff UI in a real headless Chromium: log in, issue one credential, scan its offer QR code."""

from __future__ import annotations

import io
import json
import urllib.parse

import pytest
import zxingcpp
from PIL import Image

from ..browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .test_oid4vci import DEFINITION, ISSUER_URL, make_app
from issuer.model import MicrocredentialDefinition

pytestmark = pytest.mark.browser


def test_log_in_issue_one_and_scan_the_offer_qr(tmp_path, issuer_key, clock, canon, live_server, browser):  # noqa: F811
    app = make_app(tmp_path, issuer_key, clock, canon)
    service = app.extensions["issuer_service"]
    definition_id = service.save_definition(MicrocredentialDefinition.model_validate(DEFINITION))
    base = live_server(app)

    page = browser.new_page(locale="nl-NL")  # a Dutch staff member's browser
    page.goto(base + "/admin/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_label("Gebruikersnaam").fill("staff")
    page.get_by_label("Wachtwoord").fill("correct horse battery")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Eén uitgeven").first.click()

    page.get_by_label("Naam deelnemer").fill("Sanne de Vries")
    page.get_by_label("Resultaat").fill("8")
    page.get_by_label("Datum van uitreiking").fill("2026-06-30")
    page.get_by_role("button", name="Uitgeven").click()

    qr = page.locator("#offer-qr")
    qr.wait_for()
    assert qr.get_attribute("alt") == "QR-code met het aanbod voor Sanne de Vries"
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [r.format for r in results] == [zxingcpp.BarcodeFormat.QRCode]
    link = results[0].text
    assert link.startswith("openid-credential-offer://?credential_offer=")
    offer = json.loads(urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["credential_offer"][0])
    assert offer["credential_issuer"] == ISSUER_URL
    assert offer["credential_configuration_ids"] == ["MicroCredential", "MicroCredentialSdJwt"]
    assert page.locator("#offer-link").input_value() == link
    page.close()
