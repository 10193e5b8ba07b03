"""The cross-device OpenID4VP flow in real headless Chromium: the employer's page asks for a
microcredential and shows the request; the learner's wallet (another browser, talking to the verifier
over HTTP only) opens it, shows who asks and what for, and shares; the employer's page shows the
verdict by itself. Then the refusals a person sees: a replayed answer, an expired request, a request
no stored microcredential meets. Every wait is on page state."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from vccore.transport import HttpTransport

from .browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .oid4vp_support import store_ldp
from .verifier import factory

pytestmark = pytest.mark.browser
PASS = "a long passphrase for the test"


class Recording(HttpTransport):
    """The wallet's real HTTP client (loopback allowed), remembering what it posted."""

    def __init__(self) -> None:
        super().__init__(allow_private=True)
        self.posted: list[tuple[str, bytes]] = []

    def request(self, method, url, *, data=None, headers=None):
        if method == "POST":
            self.posted.append((url, data or b""))
        return super().request(method, url, data=data, headers=headers)


@pytest.fixture
def apps(live_server, tmp_path, canon, clock):  # noqa: F811
    from verifier.app import create_app as verifier_app
    from verifier.service import VerifierService
    from verifier.trust import TrustStore
    from wallet.web import create_app as wallet_app

    service = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    service.trust = TrustStore(authority=factory.authority_key.controller, verifier=service.plain, clock=clock)
    service.trust.import_bytes(factory.trust_list(canon))
    verifier = verifier_app({"VERIFIER_SERVICE": service, "VERIFIER_NAME": "Werkgever BV", "TESTING": True})
    http = Recording()
    wallet = wallet_app({"WALLET_HOME": tmp_path / "home", "CANONICALIZER": canon, "CLOCK": clock,
                         "TRANSPORT": factory.status_transport(canon), "KDF_N": 2 ** 12, "TESTING": True,
                         "HTTP_CLIENT": http, "ALLOW_HTTP": True})
    return live_server(verifier), live_server(wallet), wallet, http


def _employer_asks(browser, verifier_url, **conditions):  # noqa: F811
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(verifier_url + "/ask?lang=en")
    if "min_ects" in conditions:
        page.fill("#min_ects", conditions["min_ects"])
    with page.expect_navigation():
        page.click("#ask-submit")
    page.locator("img.qr").wait_for()
    assert page.locator("#oid4vp-status").get_attribute("data-state") == "waiting"
    return page, page.locator("#request-link").text_content().strip()


def _learner(browser, wallet_url, wallet_app, canon, *, store=True):  # noqa: F811
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(wallet_url + "/unlock?lang=en")
    page.fill("#passphrase", PASS)
    with page.expect_navigation():
        page.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
    if store:
        cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "wallet_session")
        store_ldp(wallet_app.extensions["wallet"].sessions.get(cookie).wallet, canon)
    return page


def _open_request(learner, wallet_url, link):
    learner.goto(wallet_url + "/present?lang=en")
    learner.fill("#link", link)
    with learner.expect_navigation():
        learner.click("#respond-submit")
    learner.locator("#verifier-name").wait_for()


def test_cross_device_flow_shows_the_verdict_on_the_employers_page(browser, apps, canon):  # noqa: F811
    verifier_url, wallet_url, wallet_app, http = apps
    employer, link = _employer_asks(browser, verifier_url)
    learner = _learner(browser, wallet_url, wallet_app, canon)
    _open_request(learner, wallet_url, link)
    assert learner.locator("#verifier-name").text_content().strip() == "Werkgever BV"
    employer.locator("#oid4vp-status[data-state=retrieved]").wait_for()  # the page saw the wallet open it
    assert learner.locator("input[name=ids]:checked").count() == 1
    with learner.expect_navigation():
        learner.click("#share")
    learner.locator("#responded").wait_for()
    employer.wait_for_url("**/result/**")
    verdict = employer.locator("#verdict-h")
    assert verdict.get_attribute("data-state") == "valid", employer.content()
    shown = employer.locator("main").text_content()
    assert "Sanne de Vries" in shown and "Data-gedreven besluitvorming in de zorg" in shown

    url, body = http.posted[-1]  # the same answer again: refused as a replay
    replay = urllib.request.Request(url, data=body, method="POST",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(replay, timeout=10)  # noqa: S310 - loopback
    assert refused.value.code == 400 and json.loads(refused.value.read())["code"] == "OID4VP_REQUEST_USED"


def test_an_expired_request_is_shown_as_expired(browser, apps, canon, clock):  # noqa: F811
    verifier_url, wallet_url, wallet_app, _http = apps
    employer, link = _employer_asks(browser, verifier_url)
    clock.advance(minutes=11)
    employer.locator("#oid4vp-status[data-state=expired]").wait_for()
    learner = _learner(browser, wallet_url, wallet_app, canon)
    learner.goto(wallet_url + "/present?lang=en")
    learner.fill("#link", link)
    with learner.expect_navigation():
        learner.click("#respond-submit")
    assert learner.locator("[data-code=OID4VP_REQUEST_ERROR]").count() == 1


def test_a_request_nothing_meets_is_declined(browser, apps, canon):  # noqa: F811
    verifier_url, wallet_url, wallet_app, _http = apps
    employer, link = _employer_asks(browser, verifier_url, min_ects="30")
    learner = _learner(browser, wallet_url, wallet_app, canon)
    _open_request(learner, wallet_url, link)
    learner.locator("#no-match").wait_for()
    assert learner.locator("#share").count() == 0
    with learner.expect_navigation():
        learner.click("#decline")
    employer.locator("#oid4vp-status[data-state=declined]").wait_for()
