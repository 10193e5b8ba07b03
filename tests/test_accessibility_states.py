"""axe-core at 0 violations (WCAG 2.1 A/AA) on the pages issue 11 added or changed, in Dutch and
English: every verdict state of the verifier's result page and its printable view, a result read from
a PDF certificate, the wallet's credential page (with its PDF form), its QR page with a warning, its
status re-check, error pages of both apps."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from vccore.transport import StaticTransport

from .browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .test_accessibility import audit, violations
from .verifier import factory

pytestmark = pytest.mark.browser


def test_every_verdict_state_and_the_printable_view(live_server, browser, canon, clock):  # noqa: F811
    from vccore.qrcodec import encode_payload
    from verifier.app import create_app
    from verifier.service import VerifierService
    from verifier.trust import TrustStore

    service = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
    service.trust.import_bytes(factory.trust_list(canon))
    app = create_app({"VERIFIER_SERVICE": service, "TESTING": True})
    client, base = app.test_client(), live_server(app)
    noise = io.BytesIO()
    Image.effect_noise((200, 200), 90).save(noise, "PNG")
    vc = factory.sign(factory.microcredential(), canon)
    inputs = {
        "valid": {"text": json.dumps(factory.presentation([vc], canon))},
        "remarks": {"text": json.dumps(factory.presentation([factory.sign(factory.forged_name(), canon)], canon))},
        "revoked": {"text": encode_payload(factory.presentation(
            [factory.sign(factory.microcredential(index=factory.REVOKED_INDEX), canon)], canon))},
        "suspended": {"text": encode_payload(factory.presentation(
            [factory.sign(factory.microcredential(index=factory.SUSPENDED_INDEX), canon)], canon))},
        "qr_expired": {"text": json.dumps(factory.presentation([vc], canon, created="2026-09-01T10:00:00Z"))},
        "not_genuine": {"text": json.dumps(factory.presentation([vc], canon, key=factory.stranger_key))},
        "not_accepted": {"text": json.dumps(factory.presentation(
            [factory.sign(factory.microcredential(validUntil="2026-08-01T00:00:00Z"), canon)], canon))},
        "unreadable": {"file": (io.BytesIO(noise.getvalue()), "noise.png")},
    }
    found = {}
    for state, form in inputs.items():
        reply = client.post("/verify", data=form, content_type="multipart/form-data")
        path = reply.headers["Location"].split("?")[0]
        assert f'data-state="{state}"' in client.get(path).get_data(as_text=True), state
        found.update({f"{state}: {k}": v for k, v in audit(browser, base + path).items()})

        def opened(page):  # the folded technical details, open
            if page.locator("details.technical").count():
                page.locator("details.technical summary").click()
        found.update({f"{state}, details open: {k}": v for k, v in audit(browser, base + path, actions=opened).items()})
        if state == "valid":
            found.update(audit(browser, base + path + "?print=1"))
    from .test_layout import _pdf_certificate
    reply = client.post("/verify", data={"file": (io.BytesIO(_pdf_certificate(vc)), "certificate.pdf")},
                        content_type="multipart/form-data")
    path = reply.headers["Location"].split("?")[0]
    assert 'id="pdf-notice"' in client.get(path).get_data(as_text=True)
    found.update({f"pdf: {k}": v for k, v in audit(browser, base + path).items()})
    found.update(audit(browser, base + "/no-such-page"))
    assert found == {}


def test_wallet_credential_qr_and_recheck_pages(live_server, browser, tmp_path, canon, clock, issuer_key):  # noqa: F811
    from vccore import add_proof

    from .conftest import load_example
    from .wallet.web_support import make_app

    app = make_app(tmp_path / "home", canon, clock, StaticTransport({}))
    base = live_server(app)
    pages: dict[str, list] = {}

    def walk(page):
        page.fill("#passphrase", "a long passphrase for the test")
        with page.expect_navigation():
            page.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
        cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "wallet_session")
        wallet = app.extensions["wallet"].sessions.get(cookie).wallet
        if not wallet.records():
            vc = load_example()
            vc["issuer"]["id"], vc["credentialSubject"]["id"] = issuer_key.controller, wallet.profile().did
            wallet.import_bytes(json.dumps(add_proof(vc, key=issuer_key, canon=canon,
                                                     created="2026-06-30T09:00:00Z")).encode())
        page.goto(base + "/")
        with page.expect_navigation():
            page.click("#check-again")
        check(page)
        page.click(".cards .card h3 a")
        page.wait_for_selector("#status-line")
        check(page)
        with page.expect_navigation():
            page.click("#present-one")
        page.locator("#qr img").first.wait_for()
        check(page)
        page.goto(base + "/no-such-page")
        check(page)

    def check(page):
        if result := violations(page):
            pages[page.url] = result
    found = audit(browser, base + "/unlock", actions=walk)
    assert found == {} and pages == {}
