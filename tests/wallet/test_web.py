"""The local web UI: Flask client tests and a real headless Chromium (import, show, QR)."""

from __future__ import annotations

import re

import pytest

from ..browser_support import browser, live_server  # noqa: F401
from .conftest import PASS
from .web_support import csrf as _csrf
from .web_support import make_app, session_of
from .web_support import unlock as _unlock


@pytest.fixture
def app(tmp_path, canon, clock, transport):
    return make_app(tmp_path / "home", canon, clock, transport)


def test_unlock_import_list_and_escaping(app, issue):
    client = app.test_client()
    assert client.get("/").status_code == 302
    _unlock(client)
    client.post("/lock", data={"csrf": _csrf(client.get("/").get_data(as_text=True))})
    assert client.get("/").status_code == 302
    assert _unlock(client, "wrong").status_code == 401
    _unlock(client)
    html = client.get("/import").get_data(as_text=True)
    body = issue(holder=session_of(app, client).wallet.profile().did)
    reply = client.post("/import", data={"csrf": _csrf(html), "json": body.decode()})
    assert reply.status_code == 200 and 'id="stored"' in reply.get_data(as_text=True)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Data-gedreven" in page and 'Total: <span id="total-ects">5 ECTS' in page
    nl = client.get("/", headers={"Cookie": "", "Accept-Language": "nl"}).get_data(as_text=True)
    assert 'Totaal: <span id="total-ects">5 EC<' in client.get("/?lang=nl").get_data(as_text=True) and nl


def test_tampered_import_is_shown_with_its_code_and_can_be_kept(app, issue):
    client = app.test_client()
    _unlock(client)
    token = _csrf(client.get("/import").get_data(as_text=True))
    bad = issue().replace(b"Sanne de Vries", b"<script>alert(1)</script>")
    reply = client.post("/import", data={"csrf": token, "json": bad.decode()})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422 and "PROOF_VERIFICATION_ERROR" in html and "<script>alert" not in html
    keep = re.search(r'name="keep" value="([^"]+)"', html).group(1)
    client.post("/import", data={"csrf": token, "keep": keep})
    listing = client.get("/?lang=en").get_data(as_text=True)
    assert "NOT VALID" in listing and "<script>alert" not in listing


def test_post_without_csrf_token_is_refused(app):
    assert app.test_client().post("/unlock", data={"passphrase": PASS}).status_code == 400


@pytest.mark.browser
def test_browser_import_show_and_present(app, issue, live_server, browser, tmp_path):  # noqa: F811
    url = live_server(app)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # phone-sized
    page.set_default_timeout(10_000)
    page.goto(url + "/unlock?lang=nl")
    page.get_by_label("Wachtwoordzin").fill(PASS)
    page.get_by_role("button").click()
    holder = app.extensions["wallet"].sessions.get(
        next(c["value"] for c in page.context.cookies() if c["name"] == "wallet_session")).wallet.profile().did
    (tmp_path / "vc.json").write_bytes(issue(holder=holder))
    page.goto(url + "/import")
    page.get_by_label("Of een bestand (.json)").set_input_files(str(tmp_path / "vc.json"))
    page.locator("#import-submit").click()
    page.locator("#stored").wait_for()
    page.locator("#open-credential").click()
    assert page.locator("#participant").inner_text() == "Sanne de Vries"
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator("#present-one").click()
    image = page.locator("#qr img").first
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 100", image.element_handle())
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.browser
def test_browser_two_browsers_one_unlocked_and_the_lock_button(app, live_server, browser):  # noqa: F811
    url = live_server(app)
    first, second = browser.new_context(), browser.new_context()
    page = first.new_page()
    page.goto(url + "/unlock?lang=en")
    page.get_by_label("Passphrase").fill(PASS)
    page.get_by_role("button", name="Create wallet").click()
    page.locator("#total-ects").wait_for()
    other = second.new_page()
    other.goto(url + "/")  # the same machine, another browser: still the unlock page
    assert other.locator("#passphrase").count() == 1 and other.locator("#total-ects").count() == 0
    cookie = next(c for c in first.cookies() if c["name"] == "wallet_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("wallet_session") < 0  # not readable by scripts
    page.locator("#lock").click()
    page.locator("#locked").wait_for()
    page.goto(url + "/")
    assert page.locator("#passphrase").count() == 1


def test_every_post_route_of_every_blueprint_refuses_a_post_without_csrf_token(app):
    """Forms of all blueprints (wallet, sharing, respond, collect) carry the session's CSRF token; a
    blueprint that forgot the check would act on a cross-site POST with only SameSite to stop it."""
    client = app.test_client()
    _unlock(client)
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods and rule.endpoint != "static"]
    assert {rule.endpoint.split(".")[0] for rule in posts} >= {"wallet", "respond", "collect"}
    answered = {}
    for rule in posts:
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", "x").replace(f"<path:{argument}>", "x")
        path = re.sub(r"<[^>]+>", "x", path)
        answered[rule.endpoint] = client.post(path, data={"request": "openid4vp://?x=1", "offer": "x"}).status_code
    assert {endpoint: code for endpoint, code in answered.items() if code != 400} == {}
