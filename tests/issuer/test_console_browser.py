"""The staff console in headless Chromium, in Dutch and English: revoke after the confirmation step
(keyboard only), the result scale's fields with and without JavaScript, the duplicate warning, batch
results page by page, and no horizontal scrolling at 390 px on any staff page."""

from __future__ import annotations

import datetime as dt

import pytest

from issuer import oid4vci
from issuer.model import InstitutionProfile, MicrocredentialDefinition, Participant

from ..browser_support import browser, live_server  # noqa: F401  (pytest fixtures)
from .test_oid4vci import DEFINITION, INSTITUTION, ISSUER_URL, make_app

pytestmark = pytest.mark.browser
HOLDER = "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"
TEXTS = {
    "nl": {"user": "Gebruikersnaam", "password": "Wachtwoord", "login": "Inloggen", "reason": "Reden",
           "revoke": "Intrekken…", "confirm": "Microcredential intrekken?", "yes": "Ja, definitief intrekken",
           "revoked": "Ingetrokken", "passfail": "Voldaan / niet voldaan", "pass_value": "Waarde bij voldaan",
           "minimum": "Laagste cijfer", "show": "Velden voor deze soort tonen", "name": "Naam deelnemer",
           "result": "Resultaat", "issue": "Uitgeven", "anyway": "Toch uitgeven",
           "warning": "Deze persoon heeft deze microcredential al", "course": "Cursuscode"},
    "en": {"user": "Username", "password": "Password", "login": "Log in", "reason": "Reason",
           "revoke": "Revoke…", "confirm": "Revoke this microcredential?", "yes": "Yes, revoke for good",
           "revoked": "Revoked", "passfail": "Pass / fail", "pass_value": "Value when passed",
           "minimum": "Lowest grade", "show": "Show the fields for this kind", "name": "Participant name",
           "result": "Result", "issue": "Issue", "anyway": "Issue anyway",
           "warning": "This person already has this microcredential", "course": "Course code"},
}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}


@pytest.fixture
def console(tmp_path, issuer_key, clock, canon, live_server):  # noqa: F811
    """A running issuer (with suspension) holding one definition, one credential, one open offer."""
    app = make_app(tmp_path, issuer_key, clock, canon,
                   INSTITUTION=InstitutionProfile.model_validate({**INSTITUTION, "suspension": True}))
    service = app.extensions["issuer_service"]
    definition_id = service.save_definition(MicrocredentialDefinition.model_validate(DEFINITION))
    record = service.issue_direct(definition_id, Participant(name="Sanne de Vries", result="8",
                                                             award_date=dt.date(2026, 6, 30)), HOLDER, actor="staff")
    pending = service.offer(definition_id, Participant(name="Piet Jansen", result="7", award_date=dt.date(2026, 6, 30)))
    offer = oid4vci.create_offer(app.extensions["oid4vci_store"], pending, credential_issuer=ISSUER_URL,
                                 now=clock.now(), ttl=3600)
    return {"base": live_server(app), "app": app, "definition_id": definition_id, "record": record,
            "pending": pending, "offer": offer}


def logged_in(browser, base: str, lang: str, **context):  # noqa: F811
    page = browser.new_context(locale=LOCALES[lang], **context).new_page()
    page.goto(base + "/admin/login")
    words = TEXTS[lang]
    page.get_by_label(words["user"]).fill("staff")
    page.get_by_label(words["password"]).fill("correct horse battery")
    page.get_by_role("button", name=words["login"]).click()
    page.wait_for_url("**/admin/")
    return page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_revoke_by_keyboard_after_the_confirmation_page(console, browser, lang):  # noqa: F811
    words = TEXTS[lang]
    page = logged_in(browser, console["base"], lang)
    record = console["record"]
    page.goto(f"{console['base']}/admin/records/{record.id}")
    page.get_by_label(words["reason"], exact=True).fill("fraude bij de toets")
    page.keyboard.press("Tab")  # to the revoke button, the first after the reason
    assert page.evaluate("document.activeElement.value") == "revoke"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=words["confirm"]).wait_for()
    assert console["app"].extensions["issuer_service"].record(record.id).status == "active"
    yes = page.get_by_role("button", name=words["yes"])
    yes.focus()
    page.keyboard.press("Enter")
    page.locator(".status.revoked").first.wait_for()
    assert page.locator(".status.revoked").first.inner_text() == words["revoked"]
    assert "fraude bij de toets" in page.locator("table.stack").inner_text()
    assert console["app"].extensions["issuer_service"].record(record.id).status == "revoked"
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_result_scale_fields_switch_with_javascript(console, browser, lang):  # noqa: F811
    words = TEXTS[lang]
    page = logged_in(browser, console["base"], lang)
    page.goto(console["base"] + "/admin/definitions/new")
    page.locator("#definition-form[data-enhanced=true]").wait_for(state="attached")
    assert page.get_by_label(words["minimum"]).is_visible() and not page.get_by_label(words["pass_value"]).is_visible()
    assert not page.get_by_role("button", name=words["show"]).is_visible()  # not needed with the script
    page.get_by_label(words["passfail"]).check()
    page.get_by_label(words["pass_value"]).wait_for(state="visible")
    assert not page.get_by_label(words["minimum"]).is_visible()
    assert page.locator("#f-result_name").input_value() == "Beoordeling"
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_result_scale_fields_switch_without_javascript(console, browser, lang):  # noqa: F811
    words = TEXTS[lang]
    page = logged_in(browser, console["base"], lang, java_script_enabled=False)
    page.goto(console["base"] + "/admin/definitions/new")
    page.get_by_label(words["course"]).fill("HV-X")
    page.get_by_label(words["passfail"]).check()
    assert not page.get_by_label(words["pass_value"]).is_visible()  # the server shows it, after the button
    page.get_by_role("button", name=words["show"]).click()
    page.get_by_label(words["pass_value"]).wait_for(state="visible")
    assert not page.get_by_label(words["minimum"]).is_visible()
    assert page.locator("#f-course_code").input_value() == "HV-X"  # what was typed is kept
    assert console["app"].extensions["issuer_service"].definitions()[-1].definition.title == DEFINITION["title"]
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_issuing_twice_warns_then_staff_issue_anyway(console, browser, lang):  # noqa: F811
    words = TEXTS[lang]
    page = logged_in(browser, console["base"], lang)
    page.goto(f"{console['base']}/admin/definitions/{console['definition_id']}/issue")
    page.get_by_label(words["name"]).fill("Sanne de Vries")
    page.get_by_label(words["result"], exact=True).fill("8")
    page.get_by_role("button", name=words["issue"], exact=True).click()
    page.locator("#duplicate-warning").wait_for()
    assert words["warning"] in page.locator("#duplicate-warning").inner_text()
    service = console["app"].extensions["issuer_service"]
    assert len(service.offers()) == 1
    page.get_by_role("button", name=words["anyway"]).click()
    page.locator("#offer-qr").wait_for()
    assert len(service.offers()) == 2
    page.context.close()


def test_batch_results_are_paged_in_the_browser(console, browser, tmp_path):  # noqa: F811
    page = logged_in(browser, console["base"], "en")
    page.goto(f"{console['base']}/admin/definitions/{console['definition_id']}/batch")
    cohort = "naam;resultaat;datum\n" + "".join(f"Deelnemer {i:03d};7;2026-06-30\n" for i in range(75))
    path = tmp_path / "cohort.csv"
    path.write_text(cohort, encoding="utf-8")
    page.locator("#f-csv").set_input_files(str(path))
    page.get_by_role("button", name="Check and issue").click()
    page.locator("#batch[data-state=done]").wait_for()  # the script reloads when the job ends
    page.wait_for_load_state("domcontentloaded")  # the reloaded page is parsed to its end
    assert page.locator("#batch-results tbody tr").count() == 50
    with page.expect_download() as download:
        page.locator("#batch-csv").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 76 and lines[0] == "name;offer_link;offer_page;valid_until"
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**page=2")
    assert page.locator("#batch-results tbody tr").count() == 25
    page.context.close()


def _staff_pages(console) -> list[str]:
    d, r, p = console["definition_id"], console["record"].id, console["pending"].id
    return ["/admin/", "/admin/definitions/new", f"/admin/definitions/{d}", f"/admin/definitions/{d}/edit",
            f"/admin/definitions/{d}/issue", f"/admin/definitions/{d}/batch", "/admin/offers",
            "/admin/offers?state=pending", f"/admin/offers/{p}", "/admin/records", f"/admin/records/{r}",
            f"/offer/{console['offer'].code}", "/offer/unknown", "/admin/login"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_staff_page_scrolls_sideways_at_390px(console, browser, lang):  # noqa: F811
    page = logged_in(browser, console["base"], lang, viewport={"width": 390, "height": 844})
    widths = {}
    for path in _staff_pages(console):
        page.goto(console["base"] + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    # pages reached by a form: the confirmation page, the duplicate warning, a batch with its results
    page.goto(f"{console['base']}/admin/records/{console['record'].id}")
    page.locator("#f-reason").fill("onderzoek naar fraude bij de toets van juni")
    page.locator("button[value=suspend]").click()
    page.locator("input[name=confirm]").wait_for(state="attached")
    widths["confirm"] = page.evaluate("document.documentElement.scrollWidth")
    page.goto(f"{console['base']}/admin/definitions/{console['definition_id']}/issue")
    page.locator("#f-name").fill("Piet Jansen")
    page.locator("#f-result").fill("7")
    page.locator("#f-holder_did").fill(HOLDER)
    page.locator("form button[type=submit]").last.click()
    page.locator("#duplicate-warning").wait_for()
    widths["duplicate"] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {key: 390 for key in widths}, widths
    page.context.close()
