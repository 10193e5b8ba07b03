"""No horizontal scrolling at 390 px (a phone) on any page of the three apps, in Dutch and English:
real headless Chromium measures document.documentElement.scrollWidth against the viewport.
Result pages are included in each state (valid, revoked, not genuine, could not read, QR expired,
the printable view), filled with long unbreakable credential text; so are the wallet's pages with a
stored credential, its transaction code page and a refused sign-in, and the issuer's staff console. Every page also has a favicon."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from .browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .verifier import factory

pytestmark = pytest.mark.browser
WIDTH = 390
LONG = "Gegevensgedrevenbesluitvormingindezorgenverderopdeafdelingintensivecare" * 2


def overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def measure(browser, urls: list[str], *, before=None) -> dict[str, int]:
    """Overflow in pixels per page and language, and pages without a favicon; `before(page)` runs
    once per language (e.g. to log in)."""
    found = {}
    for locale in ("nl-NL", "en-GB"):
        context = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale=locale)
        page = context.new_page()
        if before:
            before(page)
        for url in urls:
            page.goto(url + ("&" if "?" in url else "?") + "lang=" + locale[:2])
            if (extra := overflow(page)) > 0:
                found[f"{locale} {url}"] = extra
            if page.locator("link[rel=icon]").count() != 1:
                found[f"{locale} {url}: no favicon"] = 0
        context.close()
    return found


def _long_credential(canon, **changes):
    vc = factory.microcredential(**changes)
    vc["credentialSubject"]["achievement"]["name"] = LONG
    vc["credentialSubject"]["achievement"]["alignment"][2]["targetDescription"] = LONG
    return factory.sign(vc, canon)


def _pdf_certificate(vc: dict) -> bytes:
    """A PDF certificate with `vc` attached (docs/pdf-certificate.md)."""
    from vccore.l10n import localizer
    from vccore.pdfcert import credential_file, fields_of, find_fonts, render_certificate
    l10n = localizer("en")
    return render_certificate(fields_of(vc), l10n=l10n, attachments=[credential_file(json.dumps(vc).encode(), "ldp_vc",
                              l10n)], qr_png=None, fonts=find_fonts())


def _result(client, text: str = "", upload: bytes | None = None) -> str:
    data = {"file": (io.BytesIO(upload), "photo.png")} if upload else {"text": text}
    reply = client.post("/verify", data=data, content_type="multipart/form-data")
    return reply.headers["Location"].split("?")[0]


def test_verifier_pages_fit_a_phone(live_server, browser, canon, clock):  # noqa: F811
    from vccore.qrcodec import encode_payload
    from verifier.app import create_app
    from verifier.service import VerifierService
    from verifier.trust import TrustStore

    service = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
    service.trust.import_bytes(factory.trust_list(canon))
    app = create_app({"VERIFIER_SERVICE": service, "TESTING": True})
    base = live_server(app)
    client = app.test_client()
    noise = io.BytesIO()
    Image.effect_noise((300, 200), 90).save(noise, "PNG")
    results = {
        "valid": _result(client, json.dumps(factory.presentation([_long_credential(canon)], canon))),
        "revoked": _result(client, encode_payload(factory.presentation(
            [_long_credential(canon, index=factory.REVOKED_INDEX)], canon))),
        "not_genuine": _result(client, json.dumps({"@context": ["https://example.org/" + LONG], "type": LONG})),
        "unreadable": _result(client, upload=noise.getvalue()),
        "qr_expired": _result(client, json.dumps(factory.presentation([_long_credential(canon)], canon,
                                                                      created="2026-09-01T10:00:00Z"))),
    }
    for state, path in results.items():
        assert f'data-state="{state}"' in client.get(path).get_data(as_text=True), state
    pdf = _result(client, upload=_pdf_certificate(_long_credential(canon)))  # with the PDF notice
    assert 'id="pdf-notice"' in client.get(pdf).get_data(as_text=True)
    results["pdf"] = pdf
    urls = [base + p for p in ("/", "/request", "/trust", "/result/unknown")]
    urls += [base + p for p in results.values()] + [base + results["valid"] + "?print=1"]
    assert measure(browser, urls) == {}


def test_wallet_pages_fit_a_phone(live_server, browser, tmp_path, canon, clock, issuer_key):  # noqa: F811
    from vccore import add_proof
    from vccore.transport import StaticTransport

    from .conftest import load_example
    from .wallet.fake_draft13 import PRE_AUTHORIZED, InProcessClient, create_draft13_issuer
    from .wallet.web_support import make_app

    issuer, offer = create_draft13_issuer(issuer_key, clock, tx_code=True)  # an offer that asks for a code
    issuer.extensions["fake"]["offer"]["grants"][PRE_AUTHORIZED]["tx_code"]["description"] = LONG
    app = make_app(tmp_path / "home", canon, clock, StaticTransport({}), HTTP_CLIENT=InProcessClient(issuer))
    base = live_server(app)

    def unlock_and_fill(page):
        page.goto(base + "/unlock")
        page.fill("#passphrase", "a long passphrase for the test")
        with page.expect_navigation():
            page.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
        if not page.locator(".cards .card").count():
            store_one(page)
        page.goto(base + "/present")  # this session's presentation (its QR page)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if overflow(page) > 0 or page.locator("link[rel=icon]").count() != 1:
            found[page.url] = overflow(page)
        page.goto(base + "/import")  # the transaction code page, asking and after a wrong code
        page.fill("#offer", offer)
        with page.expect_navigation():
            page.click("#import-submit")
        for typed in (None, "9999"):
            if typed:
                page.fill("#tx_code", typed)
                with page.expect_navigation():
                    page.click("#tx-submit")
                assert page.locator("#tx-problem").count() == 1
            if overflow(page) > 0 or page.locator("link[rel=icon]").count() != 1:
                found[f"{page.url} {typed}"] = overflow(page)

    def store_one(page):
        cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "wallet_session")
        wallet = app.extensions["wallet"].sessions.get(cookie).wallet
        vc = load_example()
        vc["issuer"]["id"] = issuer_key.controller
        vc["credentialSubject"]["id"] = wallet.profile().did
        vc["credentialSubject"]["achievement"]["name"] = LONG
        result = wallet.import_bytes(json.dumps(add_proof(vc, key=issuer_key, canon=canon,
                                                          created="2026-06-30T09:00:00Z")).encode())
        assert result.stored, result.intake.report.problems

    urls = [base + p for p in ("/", "/import", "/present", "/backup", "/credentials/nothing-here", "/no-such-page",
                               "/oid4vci/callback?state=" + LONG + "&code=x")]  # a refused sign-in
    found: dict[str, int] = {}
    found.update(measure(browser, [base + "/unlock"]))
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    unlock_and_fill(page)
    detail = page.goto(base + "/")
    assert detail.ok
    cred = re.search(r'/credentials/([^"?]+)', page.content()).group(1)
    urls.append(f"{base}/credentials/{cred}")
    context.close()
    found.update(measure(browser, urls, before=unlock_and_fill))
    assert found == {}


def test_issuer_pages_fit_a_phone(live_server, browser, tmp_path, issuer_key, clock, canon):  # noqa: F811
    from issuer.model import MicrocredentialDefinition

    from .issuer.test_oid4vci import DEFINITION, make_app

    app = make_app(tmp_path, issuer_key, clock, canon)
    definition = app.extensions["issuer_service"].save_definition(MicrocredentialDefinition.model_validate(DEFINITION))
    base = live_server(app)

    def login(page):
        page.goto(base + "/admin/login")
        page.locator("input[name=username]").fill("staff")
        page.locator("input[name=password]").fill("correct horse battery")
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()

    from issuer.model import Participant
    service = app.extensions["issuer_service"]
    service.issue_direct(definition, Participant(name=LONG, result="8", award_date="2026-06-30"), None)
    record = service.records()[0]  # its page: downloads as .json and as a PDF certificate
    found = measure(browser, [base + "/admin/login"])
    pages = ["/admin/", "/admin/definitions/new", "/admin/records", "/admin/offers", f"/admin/definitions/{definition}",
             f"/admin/definitions/{definition}/issue", f"/admin/definitions/{definition}/batch",
             f"/admin/records/{record.id}"]
    found.update(measure(browser, [base + p for p in pages], before=login))
    assert found == {}
