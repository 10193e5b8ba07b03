"""Accessibility of every web app, checked in real headless Chromium with axe-core (WCAG 2.1
A and AA rules: labels, contrast, landmarks, names, language), in Dutch and English, including
pages that show a (hostile-looking) result. axe-core comes from tests/interop/node_modules
(installed by `make test`); it is injected by the test, never served by the apps."""

from __future__ import annotations


import pytest

from vccore.transport import StaticTransport

from .browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .conftest import ROOT

pytestmark = pytest.mark.browser
AXE = ROOT / "tests" / "interop" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `sh scripts/ensure-interop-node.sh` (`make test` does)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (rules) => (await axe.run(document, {runOnly: {type: 'tag', values: rules}})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))""",
        RULES)


def audit(browser, url: str, *, actions=None) -> dict[str, list]:
    found = {}
    for locale in ("nl-NL", "en-GB"):
        context = browser.new_context(bypass_csp=True, locale=locale)  # lets the test inject axe
        page = context.new_page()
        page.goto(url)
        if actions:
            actions(page)
        result = violations(page)
        if result:
            found[f"{locale} {page.url}"] = result
        context.close()
    return found


def test_verifier_pages(live_server, browser, canon, clock):  # noqa: F811
    from verifier.app import create_app
    from verifier.service import VerifierService
    base = live_server(create_app({"VERIFIER_SERVICE": VerifierService(canon=canon, clock=clock)}))
    found = {}
    for path in ("/", "/request", "/trust"):
        found.update(audit(browser, base + path))

    def result_page(page):
        page.locator("#text").fill('{"@context": ["<script>alert(1)</script>"]}')
        page.locator("#text").evaluate("t => t.form.requestSubmit()")
        page.wait_for_url("**/result/**")
    found.update(audit(browser, base + "/", actions=result_page))
    assert found == {}


def test_wallet_pages(live_server, browser, tmp_path, canon, clock):  # noqa: F811
    from wallet.web import create_app
    app = create_app({"WALLET_HOME": tmp_path / "home", "CANONICALIZER": canon, "CLOCK": clock,
                      "TRANSPORT": StaticTransport({}), "KDF_N": 2 ** 12, "TESTING": True})
    base = live_server(app)
    found = audit(browser, base + "/")

    def unlocked(page):  # the local wallet stays unlocked once opened
        if page.locator("#passphrase").count():
            page.locator("#passphrase").fill("a long passphrase for the test")
            with page.expect_navigation():
                page.locator("#passphrase").evaluate("i => i.form.requestSubmit()")
        for path in ("/", "/import", "/present", "/backup"):
            page.goto(base + path)
            result = violations(page)
            if result:
                pages[page.url] = result
    pages: dict[str, list] = {}
    found.update(audit(browser, base + "/", actions=unlocked))
    assert found == {} and pages == {}


def test_issuer_pages(live_server, browser, tmp_path, issuer_key, clock, canon):  # noqa: F811
    from .issuer.test_oid4vci import make_app
    base = live_server(make_app(tmp_path, issuer_key, clock, canon))
    found = audit(browser, base + "/admin/login")

    def logged_in(path):
        def act(page):
            page.locator("input[name=username]").fill("staff")
            page.locator("input[name=password]").fill("correct horse battery")
            page.locator("form button[type=submit]").first.click()
            page.wait_for_load_state()
            page.goto(base + path)
        return act
    for path in ("/admin/", "/admin/definitions/new", "/admin/records"):
        found.update(audit(browser, base + "/admin/login", actions=logged_in(path)))
    assert found == {}


def test_the_audit_finds_violations(live_server, browser):  # noqa: F811
    """The harness itself: a page with an unlabelled field and an image without text fails."""
    from flask import Flask
    app = Flask("bad")

    @app.get("/")
    def bad():
        return '<html><body><input type="text"><img src="/x.png"></body></html>'
    found = audit(browser, live_server(app) + "/")
    ids = {v["id"] for page in found.values() for v in page}
    assert {"label", "image-alt", "html-has-lang"} <= ids
