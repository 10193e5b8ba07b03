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
    """Every staff page with content in it (a definition, a suspended credential, offers in each state),
    the pages reached by a form (the confirmation step, the duplicate warning, a batch and its result)
    and the learner's offer page."""
    import datetime as dt

    from issuer import oid4vci
    from issuer.model import InstitutionProfile, MicrocredentialDefinition, Participant

    from .issuer.test_oid4vci import DEFINITION, INSTITUTION, ISSUER_URL, make_app
    app = make_app(tmp_path, issuer_key, clock, canon,
                   INSTITUTION=InstitutionProfile.model_validate({**INSTITUTION, "suspension": True}))
    service = app.extensions["issuer_service"]
    definition_id = service.save_definition(MicrocredentialDefinition.model_validate(DEFINITION))
    older = service.save_definition(MicrocredentialDefinition.model_validate({**DEFINITION, "title": "Oud"}))
    service.archive_definition(older)
    person = Participant(name="Sanne de Vries", result="8", award_date=dt.date(2026, 6, 30))
    record = service.issue_direct(definition_id, person, "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
                                  actor="staff")
    service.suspend(record.id, "onderzoek", actor="staff")
    pending = service.offer(definition_id, person.model_copy(update={"name": "Piet Jansen"}), actor="staff")
    offer = oid4vci.create_offer(app.extensions["oid4vci_store"], pending, credential_issuer=ISSUER_URL,
                                 now=clock.now(), ttl=3600)
    base = live_server(app)
    found = audit(browser, base + "/admin/login")
    found.update(audit(browser, f"{base}/offer/{offer.code}"))
    found.update(audit(browser, f"{base}/offer/unknown"))
    d = f"/admin/definitions/{definition_id}"
    paths = ("/admin/", "/admin/definitions/new", d, d + "/edit", d + "/issue", d + "/batch", f"/admin/definitions/{older}",
             f"/admin/definitions/{older}/issue", "/admin/offers", "/admin/offers?state=pending",
             f"/admin/offers/{pending.id}", "/admin/records", f"/admin/records/{record.id}")
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("naam;resultaat;datum\nSanne de Vries;8;2026-06-30\nAnna Bakker;7;2026-06-30\n", encoding="utf-8")

    def by_form(page, check):
        page.goto(f"{base}/admin/records/{record.id}")  # the confirmation step (here: of a revocation)
        page.locator("#f-reason").fill("fraude")
        page.locator("button[value=revoke]").click()
        page.locator("input[name=confirm]").wait_for(state="attached")
        check(page)
        page.goto(f"{base}{d}/issue")  # the duplicate warning
        page.locator("#f-name").fill("Piet Jansen")
        page.locator("#f-result").fill("7")
        page.locator("form button[type=submit]").last.click()
        page.locator("#duplicate-warning").wait_for()
        check(page)
        page.goto(f"{base}{d}/batch")  # a batch with a warning, then its result
        page.locator("#f-csv").set_input_files(str(cohort))
        page.locator("form button[type=submit]").last.click()
        page.locator("#duplicate-warning").wait_for()
        check(page)
        page.locator("input[name=staged] ~ button").click()
        page.locator("#batch[data-state=done]").wait_for()
        page.wait_for_load_state("domcontentloaded")
        check(page)

    for locale in ("nl-NL", "en-GB"):
        context = browser.new_context(bypass_csp=True, locale=locale)  # lets the test inject axe
        page = context.new_page()
        page.goto(base + "/admin/login")
        page.locator("input[name=username]").fill("staff")
        page.locator("input[name=password]").fill("correct horse battery")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/admin/")

        def check(page):
            result = violations(page)
            if result:
                found[f"{locale} {page.url}"] = result
        for path in paths:
            page.goto(base + path)
            check(page)
        by_form(page, check)
        context.close()
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
