"""Issue 11, "Must show", in real headless Chromium, in Dutch and English: an issuer serving its
status lists on loopback, the verifier and the wallet fetching them over HTTP (conditional requests),
one injected clock (no sleeps; every wait is on page state).

- revoke, then verify at once: "revoked" (no cache window); an unchanged list costs a 304
- suspend, then unsuspend: the verifier follows within its maximum age
- the wallet shows "revoked" after "check again"
- a garbage image: "could not read", no verdict, no print view
- an expired QR code: the expiry message alone
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from types import SimpleNamespace

import pytest
from PIL import Image

from vccore.transport import HttpTransport

from .browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .issuer.conftest import definition_data
from .verifier import factory

pytestmark = pytest.mark.browser
TEXTS = {
    "nl": {"valid": "Geldig", "revoked": "Ingetrokken", "suspended": "Geschorst: tijdelijk niet geldig",
           "unreadable": "Dit kon niet worden gelezen", "expired": "Deze QR-code is verlopen",
           "expired_advice": "Vraag de houder om een nieuwe uit de wallet.",
           "wallet_revoked": "Ingetrokken door de instelling"},
    "en": {"valid": "Valid", "revoked": "Revoked", "suspended": "Suspended: temporarily not valid",
           "unreadable": "Could not read this", "expired": "This QR code has expired",
           "expired_advice": "Ask the holder for a new one from their wallet.",
           "wallet_revoked": "Revoked by the institution"},
}


class Recorder:
    """WSGI middleware: the status code of every request to the issuer's status lists."""

    def __init__(self, app) -> None:
        self.app, self.statuses = app, []

    def __call__(self, environ, start_response):
        def record(status, headers, *rest):
            if environ.get("PATH_INFO", "").startswith("/status/"):
                self.statuses.append(int(status.split()[0]))
            return start_response(status, headers, *rest)
        return self.app(environ, record)


@pytest.fixture
def issuer(live_server, tmp_path, clock, canon):  # noqa: F811
    """An institution that uses suspension, its status lists served on loopback."""
    from issuer.model import InstitutionProfile
    from issuer.service import IssuerService

    from .issuer.conftest import make_app

    service = IssuerService.open(tmp_path / "issuer", key=factory.issuer_key, clock=clock, canon=canon,
                                 institution=InstitutionProfile(name="Hogeschool Voorbeeld", brin="99XX",
                                                                url="https://www.hogeschool-voorbeeld.nl",
                                                                suspension=True),
                                 rng=random.Random(7), workers=1)
    recorder = Recorder(make_app(service))
    yield SimpleNamespace(service=service, base=live_server(recorder), recorder=recorder,
                          definition=service.save_definition(definition_data()),
                          revoke=service.revoke, suspend=service.suspend, unsuspend=service.unsuspend)
    service.registry.close()


def _issue(issuer, holder: str):
    return issuer.service.issue_direct(issuer.definition, {"name": "Sanne de Vries", "result": "8",
                                                           "award_date": "2026-06-30"}, holder, base_url=issuer.base)


@pytest.fixture
def verifier_url(live_server, canon, clock):  # noqa: F811
    from verifier.app import create_app
    from verifier.service import VerifierService
    from verifier.trust import TrustStore

    service = VerifierService(canon=canon, clock=clock, transport=HttpTransport(allow_private=True))
    service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
    service.trust.import_bytes(factory.trust_list(canon))
    return live_server(create_app({"VERIFIER_SERVICE": service, "TESTING": True}))


def verify(page, base: str, lang: str, text: str) -> str:
    """Paste a presentation into the verifier page; the state it shows."""
    page.goto(f"{base}/?lang={lang}")
    page.fill("#text", text)
    with page.expect_navigation():
        page.click("#text ~ button[type=submit]")
    return page.get_attribute("#verdict-h", "data-state")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_revoked_shows_at_once_and_an_unchanged_list_costs_a_304(issuer, verifier_url, browser, canon, lang):  # noqa: F811
    record = _issue(issuer, factory.holder_key.controller)
    vp = json.dumps(factory.presentation([record.credential], canon))
    page = browser.new_page()
    assert verify(page, verifier_url, lang, vp) == "valid"
    assert page.inner_text("#verdict-h").endswith(TEXTS[lang]["valid"])
    assert verify(page, verifier_url, lang, vp) == "valid"
    assert 304 in issuer.recorder.statuses[2:]  # the second verification revalidated, unchanged
    issuer.revoke(record.id, "fraude")
    assert verify(page, verifier_url, lang, vp) == "revoked"  # the same second: no cache window
    assert page.inner_text("#verdict-h").endswith(TEXTS[lang]["revoked"])
    assert page.get_attribute(".certificate .status", "data-status") == "revoked"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_lifted_suspension_shows_within_the_maximum_age(issuer, verifier_url, browser, canon, clock, lang):  # noqa: F811
    record = _issue(issuer, factory.holder_key.controller)
    vp = json.dumps(factory.presentation([record.credential], canon))
    page = browser.new_page()
    issuer.suspend(record.id, "onderzoek")
    assert verify(page, verifier_url, lang, vp) == "suspended"
    assert page.inner_text("#verdict-h").endswith(TEXTS[lang]["suspended"])
    issuer.unsuspend(record.id, "afgerond")
    clock.advance(seconds=31)  # past the maximum age (30 s) of a copy that flags the credential
    assert verify(page, verifier_url, lang, vp) == "valid"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_wallet_shows_revoked_after_check_again(issuer, live_server, browser, tmp_path, canon, clock, lang):  # noqa: F811
    from .wallet.web_support import make_app

    app = make_app(tmp_path / "wallet", canon, clock, HttpTransport(allow_private=True))
    base = live_server(app)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base}/unlock?lang={lang}")
    page.fill("#passphrase", "a long passphrase for the test")
    with page.expect_navigation():
        page.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "wallet_session")
    holder = app.extensions["wallet"].sessions.get(cookie).wallet.profile().did
    record = _issue(issuer, holder)
    page.goto(f"{base}/import?lang={lang}")
    page.fill("#json", record.credential_json.decode())
    with page.expect_navigation():
        page.click("#import-submit")
    page.locator("#stored").wait_for()
    page.goto(f"{base}/?lang={lang}")
    assert page.get_attribute(".cards .card", "data-status") == "ok"
    issuer.revoke(record.id, "fraude")
    with page.expect_navigation():
        page.click("#check-again")
    page.locator("#rechecked").wait_for()
    assert page.get_attribute(".cards .card", "data-status") == "revoked"
    assert TEXTS[lang]["wallet_revoked"] in page.inner_text(".cards .card")
    assert page.inner_text("#total-ects").startswith("0 ")


def _noise_png() -> bytes:
    rng = random.Random(11)
    image = Image.frombytes("L", (320, 240), bytes(rng.randrange(256) for _ in range(320 * 240)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_garbage_image_could_not_be_read_and_gets_no_verdict(verifier_url, browser, tmp_path, lang):  # noqa: F811
    (tmp_path / "noise.png").write_bytes(_noise_png())
    page = browser.new_page()
    page.goto(f"{verifier_url}/?lang={lang}")
    page.set_input_files("#file", str(tmp_path / "noise.png"))
    with page.expect_navigation():
        page.click("#file ~ button[type=submit]")
    assert page.get_attribute("#verdict-h", "data-state") == "unreadable"
    assert page.inner_text("#verdict-h") == TEXTS[lang]["unreadable"]
    assert page.locator("[data-verdict]").count() == 0 and page.locator(".verdict").count() == 0
    assert page.locator("a[href*='print=1']").count() == 0 and page.locator(".certificate").count() == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_expired_qr_code_gives_the_expiry_message_alone(issuer, verifier_url, browser, canon, clock, lang):  # noqa: F811
    from vccore.qrcodec import encode_payload

    made = clock.now() - dt.timedelta(minutes=20)  # the verifier accepts one-way codes for 10 minutes
    vp = factory.presentation([_issue(issuer, factory.holder_key.controller).credential], canon,
                              created=made.strftime("%Y-%m-%dT%H:%M:%SZ"))
    page = browser.new_page()
    assert verify(page, verifier_url, lang, encode_payload(vp)) == "qr_expired"
    assert page.inner_text("#verdict-h").endswith(TEXTS[lang]["expired"])
    assert page.inner_text("#advice") == TEXTS[lang]["expired_advice"]
    shown = page.inner_text("main")
    visible_messages = page.locator(".verdict .cause, .remarks, .certificate, .badge, .notice").count()
    assert visible_messages == 0 and shown.count(TEXTS[lang]["expired"]) == 1
    assert page.locator("details.technical").get_attribute("open") is None  # the rest stays folded
