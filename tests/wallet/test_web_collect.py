"""Collecting OpenID4VCI offers in the web app, through the Flask test client: a pre-authorized offer
with a transaction code (the page asks for it; missing, malformed and wrong codes are refused with
the reason), and an offer that needs a sign-in at the issuer (edubadges' authorization code flow with
PAR + PKCE: the browser goes to the issuer and comes back to /oid4vci/callback), end to end into the
store; and the callbacks the wallet refuses (unknown, used, expired state, `error=`, no code, another
session's state), each with its reason and nothing stored."""

from __future__ import annotations

import json
import logging
import re
import urllib.parse

import pytest

from wallet.oid4vci_auth import SignIn, SignInError, exchange_code

from ..browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .fake_draft13 import InProcessClient, create_draft13_issuer
from .fake_edubadges import AUTH, TwoHostClient, create_fake_edubadges, did_document, offer_link
from .web_support import csrf, make_app, session_of, unlock

CALLBACK = "http://localhost/oid4vci/callback"


class Recording:
    """The wallet's HttpClient, remembering every URL and body it sent."""

    def __init__(self, inner) -> None:
        self.inner, self.sent = inner, []

    def request(self, method, url, *, data=None, headers=None):
        self.sent.append((method, url, data or b""))
        return self.inner.request(method, url, data=data, headers=headers)


@pytest.fixture
def edubadges(clock, transport):
    transport.responses["https://agent.edubadges.example/.well-known/did.json"] = json.dumps(did_document()).encode()
    return create_fake_edubadges(clock)


@pytest.fixture
def signing(tmp_path, canon, clock, transport, edubadges):
    """(wallet app, fake issuer, the browser's way through the issuer's sign-in)."""
    http = TwoHostClient(edubadges)
    return make_app(tmp_path / "home", canon, clock, transport, HTTP_CLIENT=http), edubadges, http


@pytest.fixture
def coding(tmp_path, canon, clock, transport, issuer_key):
    """(wallet app, offer link with a 4-digit PIN "1234", the recording HTTP client)."""
    issuer, link = create_draft13_issuer(issuer_key, clock, tx_code=True)
    http = Recording(InProcessClient(issuer))
    return make_app(tmp_path / "home", canon, clock, transport, HTTP_CLIENT=http), link, http


def _offer(client, link: str):
    token = csrf(client.get("/import").get_data(as_text=True))
    return client.post("/import", data={"csrf": token, "offer": link})


def _signed_in(client, fake, http) -> str:
    """Post the offer; the browser goes to the issuer, signs in, and is sent back: that address."""
    reply = _offer(client, offer_link(fake))
    assert reply.status_code == 303 and reply.headers["Location"].startswith(AUTH + "/auth/authorize?")
    return http.authorize(reply.headers["Location"])


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + "?" + parts.query


def _records(app, client) -> list:
    return session_of(app, client).wallet.records()


# sign-in at the issuer (authorization code flow)

def test_sign_in_round_trip_stores_and_verifies_the_credential(signing):
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    back = _signed_in(client, fake, http)
    pushed = next(iter(fake.extensions["fake"]["codes"].values()))
    assert pushed["redirect_uri"] == CALLBACK and back.startswith(CALLBACK + "?")  # the wallet's own address
    assert pushed["code_challenge_method"] == "S256" and pushed["issuer_state"].startswith("offer-")
    reply = client.get(_path(back))
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and 'id="stored"' in html, html
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    [record] = _records(app, client)
    assert record.summary["format"] == "vc+sd-jwt" and record.status in ("ok", "none", "unknown")
    wallet = session_of(app, client).wallet
    assert wallet.body(record.id).count(b"~") >= 2 and wallet.verifier.verify(wallet.body(record.id)).verified
    assert fake.extensions["fake"]["issued"] == [wallet.profile().did]
    again = client.get(_path(back) + "&lang=en")  # reloading the page: the state is used up
    assert again.status_code == 400 and 'data-reason="used"' in again.get_data(as_text=True)
    assert len(_records(app, client)) == 1


def test_callback_without_the_session_cookie_continues_same_site(signing):
    """Browsers withhold the SameSite=Strict cookie on the issuer's cross-site redirect: the wallet's
    page then takes one same-site step (meta refresh and a link) that carries it."""
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    back = _signed_in(client, fake, http)
    stranger = app.test_client().get(_path(back))  # what the redirect itself brings: no cookie
    html = stranger.get_data(as_text=True)
    target = re.search(r'href="([^"]+)" id="continue"', html).group(1).replace("&amp;", "&")
    assert stranger.status_code == 200 and 'http-equiv="refresh" content="0;url=/oid4vci/finish?' in html
    assert target.startswith("/oid4vci/finish?") and "Data-gedreven" not in html and "Stored" not in html
    reply = client.get(target)
    assert reply.status_code == 200 and 'id="stored"' in reply.get_data(as_text=True)
    assert len(_records(app, client)) == 1


def test_unlocked_session_is_needed_to_finish(signing):
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    back = _signed_in(client, fake, http)
    query = urllib.parse.urlsplit(back).query
    reply = app.test_client().get("/oid4vci/finish?" + query)
    assert reply.status_code == 302 and "/unlock" in reply.headers["Location"]


@pytest.mark.parametrize("change, reason", [
    (lambda q: {**q, "state": "no-such-state"}, "unknown"),
    (lambda q: {"state": q["state"]}, "no_code"),
    (lambda q: {"state": q["state"], "error": "access_denied", "error_description": "<b>cancelled</b>"}, "refused"),
    (lambda q: {**q, "iss": "https://evil.example"}, "issuer"),  # RFC 9207: another server's answer
    (lambda q: {"code": q["code"]}, "unknown"),
    (lambda q: {**q, "state": "s" * 100_000}, "unknown"),
    (lambda q: {"state": q["state"], "error": "<script>alert(1)</script>"}, "refused"),
], ids=["unknown-state", "no-code", "access-denied", "other-iss", "no-state", "huge-state", "hostile-error"])
def test_refused_callbacks_store_nothing(signing, change, reason):
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(_signed_in(client, fake, http)).query))
    reply = client.get("/oid4vci/callback?" + urllib.parse.urlencode(change(answer)) + "&lang=en")
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400 and f'data-reason="{reason}"' in html, html
    assert 'data-code="CREDENTIAL_OFFER_ERROR"' in html and "<b>" not in html and "<script>alert" not in html
    assert _records(app, client) == [] and fake.extensions["fake"]["issued"] == []
    if change(answer).get("error") == "access_denied":  # the issuer's code under technical details, nothing else
        assert "<code>access_denied</code>" in html and "cancelled</b>" not in html and "&lt;b&gt;" not in html
    elif reason == "refused":  # not an error code: not shown at all
        assert "alert(1)" not in html
    nl = client.get("/oid4vci/callback?state=x&code=y&lang=nl").get_data(as_text=True)
    assert "Het inloggen kon niet worden afgerond" in nl


def test_expired_sign_in_is_refused(signing, clock):
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    back = _signed_in(client, fake, http)
    clock.advance(minutes=10, seconds=1)
    reply = client.get(_path(back))
    assert reply.status_code == 400 and 'data-reason="expired"' in reply.get_data(as_text=True)
    assert _records(app, client) == [] and fake.extensions["fake"]["issued"] == []


def test_another_sessions_state_is_unknown(signing):
    app, fake, http = signing
    first, second = app.test_client(), app.test_client()
    unlock(first)
    unlock(second)
    back = _signed_in(first, fake, http)
    reply = second.get(_path(back))
    assert reply.status_code == 400 and 'data-reason="unknown"' in reply.get_data(as_text=True)
    assert first.get(_path(back)).status_code == 200  # the answer still finishes where it was started


def test_pending_sign_ins_are_bounded(signing):
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    backs = [_signed_in(client, fake, http) for _ in range(17)]
    assert len(session_of(app, client).signing_in) == 16
    oldest = client.get(_path(backs[0]))
    assert 'data-reason="unknown"' in oldest.get_data(as_text=True)
    assert 'id="stored"' in client.get(_path(backs[-1])).get_data(as_text=True)


def test_pending_sign_in_keeps_its_secrets_out_of_repr(signing):
    app, fake, http = signing
    client = app.test_client()
    unlock(client)
    _signed_in(client, fake, http)
    (_started, pending), = session_of(app, client).signing_in.values()
    assert isinstance(pending, SignIn) and pending.redirect_uri == CALLBACK
    assert pending.verifier not in repr(pending) and pending.state not in repr(pending)
    with pytest.raises(SignInError) as exc:  # the library refuses another request's answer as well
        exchange_code(pending, {"state": pending.state + "x", "code": "c"}, client=http)
    assert exc.value.reason == "unknown"


# transaction code (pre-authorized code)

def test_tx_code_page_asks_and_then_stores(coding, caplog):
    caplog.set_level(logging.DEBUG)
    app, link, http = coding
    client = app.test_client()
    unlock(client)
    reply = _offer(client, link)
    assert reply.status_code == 303 and re.fullmatch(r"/import/code/[\w-]+\?lang=nl", reply.headers["Location"])
    page = client.get(reply.headers["Location"].replace("lang=nl", "lang=en")).get_data(as_text=True)
    assert 'id="tx-description"' in page and "PIN" in page and "The code has 4 digits." in page
    assert re.search(r'<label for="tx_code">[^<]+</label>\s*<input id="tx_code" name="tx_code"', page)
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert "De code heeft 4 cijfers." in client.get(reply.headers["Location"]).get_data(as_text=True)
    done = client.post(reply.headers["Location"], data={"csrf": csrf(page), "tx_code": "1234"})
    assert done.status_code == 200 and 'id="stored"' in done.get_data(as_text=True)
    [record] = _records(app, client)
    assert record.summary["format"] == "jwt_vc_json" and record.status in ("ok", "none", "unknown")
    assert client.get(reply.headers["Location"]).status_code == 404  # used once
    [token_request] = [body for _method, url, body in http.sent if url.endswith("/token")]
    assert urllib.parse.parse_qs(token_request.decode())["tx_code"] == ["1234"]
    assert all("1234" not in url for _m, url, _b in http.sent)  # the code only ever in a POST body
    assert all("1234" not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("typed, status, shown", [
    ("", 400, "Type the code."),
    ("12ab", 400, "This code has the wrong form."),
    ("9999", 422, "The institution did not accept the code."),
])
def test_tx_code_missing_malformed_or_wrong(coding, typed, status, shown):
    app, link, http = coding
    client = app.test_client()
    unlock(client)
    where = _offer(client, link).headers["Location"]
    page = client.get(where).get_data(as_text=True)
    asked = len(http.sent)
    reply = client.post(where.replace("lang=nl", "lang=en"), data={"csrf": csrf(page), "tx_code": typed})
    html = reply.get_data(as_text=True)
    assert reply.status_code == status and 'id="tx-problem"' in html and shown in html, html
    assert 'aria-invalid="true"' in html and _records(app, client) == []
    if typed == "9999":  # the issuer's answer, explained
        assert 'data-oauth-error="invalid_grant"' in html and "This offer has already been collected" in html
    else:  # refused before the issuer is asked
        assert len(http.sent) == asked
    retry = client.post(where, data={"csrf": csrf(page), "tx_code": "1234"})  # the offer is still there
    assert 'id="stored"' in retry.get_data(as_text=True) and len(_records(app, client)) == 1


def test_tx_code_post_needs_the_csrf_token_and_a_known_offer(coding):
    app, link, _http = coding
    client = app.test_client()
    unlock(client)
    where = _offer(client, link).headers["Location"]
    assert client.post(where, data={"tx_code": "1234"}).status_code == 400
    token = csrf(client.get(where).get_data(as_text=True))
    assert client.post("/import/code/nothing", data={"csrf": token, "tx_code": "1234"}).status_code == 404
    assert _records(app, client) == []


def test_offer_the_issuer_refuses_shows_the_error_page(signing):
    """An offer by reference that the issuer does not know: its error, explained, nothing pending."""
    app, fake, _http = signing
    client = app.test_client()
    unlock(client)
    link = offer_link(fake).replace("offer-", "gone-")
    reply = _offer(client, link)
    assert reply.status_code == 400 and 'data-code="CREDENTIAL_OFFER_ERROR"' in reply.get_data(as_text=True)
    assert session_of(app, client).signing_in == {} and _records(app, client) == []


# the sign-in round trip in real headless Chromium

@pytest.mark.browser
def test_browser_sign_in_round_trip(signing, live_server, browser):  # noqa: F811
    """The issuer's sign-in page lives on another site (https://auth.edubadges.example, answered by the
    fake through Playwright's routing, no network). The learner signs in there with a click, so the
    redirect back is a navigation that site started: Chromium withholds the SameSite=Strict session
    cookie, the wallet's return page takes the same-site step, and the credential is stored."""
    app, fake, http = signing
    url = live_server(app)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(10_000)

    def issuer(route):  # the fake's authorization endpoint, behind a sign-in button (SURFconext in reality)
        reply = http.request(route.request.method, route.request.url)
        assert reply.status == 302, reply.body
        back = reply.headers["Location"].replace("&", "&amp;")
        route.fulfill(status=200, content_type="text/html",
                      body=f'<!doctype html><title>Sign in</title><a id="sign-in" href="{back}">Sign in</a>')

    page.route(AUTH + "/**", issuer)
    seen = []
    page.on("response", lambda r: seen.append((urllib.parse.urlsplit(r.url).path, r.status)))
    page.goto(url + "/unlock?lang=en")
    page.get_by_label("Passphrase").fill("a long passphrase for the test")
    page.get_by_role("button").click()
    page.goto(url + "/import?lang=en")
    page.fill("#offer", offer_link(fake))
    page.locator("#import-submit").click()
    page.locator("#sign-in").click()
    page.locator("#stored").wait_for()
    assert page.url.startswith(url + "/oid4vci/finish?")
    assert ("/auth/authorize", 200) in seen and ("/oid4vci/callback", 200) in seen  # the return page, no cookie
    page.locator("#open-credential").click()
    assert page.url.startswith(url + "/credentials/")
    assert len(fake.extensions["fake"]["issued"]) == 1


@pytest.mark.browser
def test_browser_code_and_refusal_pages_pass_axe(coding, live_server, browser):  # noqa: F811
    """WCAG 2.1 AA (axe-core, as tests/test_accessibility.py runs it) on the transaction code page,
    asking and after a wrong code, and on a refused sign-in, in Dutch and English."""
    from ..test_accessibility import audit, violations

    app, link, _http = coding
    base = live_server(app)
    pages: dict[str, list] = {}

    def walk(page):
        page.fill("#passphrase", "a long passphrase for the test")
        with page.expect_navigation():
            page.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
        page.goto(base + "/import")
        page.fill("#offer", link)
        with page.expect_navigation():
            page.click("#import-submit")
        check(page)
        page.fill("#tx_code", "9999")
        with page.expect_navigation():
            page.click("#tx-submit")
        page.locator("#tx-problem").wait_for()
        check(page)
        page.goto(base + "/oid4vci/callback?state=unknown&code=x")
        page.locator("#sign-in-refused").wait_for()

    def check(page):
        if result := violations(page):
            pages[page.url] = result
    assert audit(browser, base + "/unlock", actions=walk) == {} and pages == {}
