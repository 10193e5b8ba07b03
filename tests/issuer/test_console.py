"""Staff console (Flask test client): confirmation before revoke/suspend, a record's history, offers by
state with filters and pages, the offers CSV's learner links, definition versions and the archive,
the result scale's fields, the duplicate warning, batch results page by page and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import time

import pytest

from issuer.model import MicrocredentialDefinition, Participant

from .test_oid4vci import (DEFINITION, ISSUER_URL, app, client, definition_id,  # noqa: F401 (fixtures)
                           offer_from_link)
from .test_web import definition_form, issue, staff, token_for, upload  # noqa: F401 (fixtures)

HOLDER = "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"


def page_text(reply) -> str:
    return reply.get_data(as_text=True)


def visible(page: str) -> str:
    """The text a person sees (tags and their attributes, such as <time datetime>, removed)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def wait_for_job(staff, job_page: str) -> dict:
    """Polls the job's state (what the page's script does) until it is no longer running."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = staff.get(job_page + "/progress").get_json()
        if state["state"] != "running":
            return state
        time.sleep(0.02)
    raise AssertionError("the batch job did not finish")


def csv_rows(reply) -> list[dict]:
    text = page_text(reply)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


# --- revoke and suspend: confirmation and history -------------------------------------------------

@pytest.fixture
def record(app, staff, definition_id):  # noqa: F811
    reply = issue(staff, definition_id, holder_did=HOLDER)
    assert reply.status_code == 302
    return app.extensions["issuer_service"].records()[0]


def post_status(staff, record, action, reason="fraude bij de toets", **extra):
    path = f"/admin/records/{record.id}"
    return staff.post(path + "/status", data={"action": action, "reason": reason,
                                              "csrf_token": token_for(staff, path), **extra})


@pytest.mark.parametrize("lang,heading,consequence,yes", [
    ("nl", "Microcredential intrekken?", "Intrekken is definitief", "Ja, definitief intrekken"),
    ("en", "Revoke this microcredential?", "Revoking is final", "Yes, revoke for good")])
def test_revoke_asks_for_confirmation_first(app, staff, record, lang, heading, consequence, yes):
    staff.get(f"/admin/?lang={lang}")
    service = app.extensions["issuer_service"]
    reply = post_status(staff, record, "revoke")
    page = page_text(reply)
    assert reply.status_code == 200 and heading in page and consequence in page and yes in page
    assert service.record(record.id).status == "active" and service.registry.events(record.id) == []
    assert 'name="confirm" value="yes"' in page and "fraude bij de toets" in page  # the reason is carried on
    reply = post_status(staff, record, "revoke", confirm="yes")
    assert reply.status_code == 302
    assert service.record(record.id).status == "revoked"


@pytest.mark.suspension
def test_suspend_asks_for_confirmation_and_unsuspend_does_not(app, staff, record):
    service = app.extensions["issuer_service"]
    page = page_text(post_status(staff, record, "suspend", reason="onderzoek examencommissie"))
    assert "Microcredential schorsen?" in page and service.record(record.id).status == "active"
    post_status(staff, record, "suspend", reason="onderzoek examencommissie", confirm="yes")
    assert service.record(record.id).status == "suspended"
    reply = post_status(staff, record, "unsuspend", reason="")  # lifting needs no reason and no second step
    assert reply.status_code == 302 and service.record(record.id).status == "active"


def test_a_reason_is_required_before_the_confirmation(app, staff, record):
    reply = post_status(staff, record, "revoke", reason="  ")
    page = page_text(reply)
    assert reply.status_code == 422 and 'id="reason-error"' in page and "Geef een reden op." in page
    assert "intrekken?" not in page and app.extensions["issuer_service"].record(record.id).status == "active"


def test_a_refused_change_is_explained_before_any_confirmation(app, staff, record):
    """Without suspension turned on, 'suspend' is refused at once (no confirmation page), in the page's language."""
    reply = post_status(staff, record, "suspend")
    assert reply.status_code == 302
    page = page_text(staff.get(reply.headers["Location"] + "?lang=en"))
    assert "Suspension is not turned on for this institution" in page and "STATUS_CHANGE_REFUSED" in page


@pytest.mark.suspension
def test_history_shows_who_when_and_why(app, staff, record):
    post_status(staff, record, "suspend", reason="onderzoek examencommissie", confirm="yes")
    post_status(staff, record, "unsuspend", reason="onderzoek afgerond")
    post_status(staff, record, "revoke", reason="fraude vastgesteld", confirm="yes")
    events = app.extensions["issuer_service"].history(record.id)
    assert [(e["action"], e["actor"], e["reason"]) for e in events] == [
        ("issue", "staff", ""), ("suspend", "staff", "onderzoek examencommissie"),
        ("unsuspend", "staff", "onderzoek afgerond"), ("revoke", "staff", "fraude vastgesteld")]
    page = page_text(staff.get(f"/admin/records/{record.id}?lang=nl"))
    history = page[page.index("Geschiedenis"):]
    for text in ("Uitgegeven", "Geschorst", "Schorsing opgeheven", "Ingetrokken", "onderzoek examencommissie",
                 "onderzoek afgerond", "fraude vastgesteld", ">staff<"):
        assert text in history
    shown = visible(page)
    assert "14:00" in visible(history) and "12:00" not in shown and "UTC" not in shown  # Amsterdam time, not UTC
    english = page_text(staff.get(f"/admin/records/{record.id}?lang=en"))
    assert "History" in english and "Suspension lifted" in english and "Revoked" in english
    assert 'value="revoke"' not in page  # revoked is final: no more buttons


# --- offers: states, filters, pages, CSV with the learner's links ---------------------------------

def _cohort(n: int, prefix: str) -> bytes:
    return ("naam;resultaat;datum\n" + "".join(f"{prefix} {i:04d};7;2026-06-30\n" for i in range(n))).encode()


@pytest.fixture
def three_thousand_offers(app, definition_id, clock):  # noqa: F811
    """1,000 offers made 8 days ago (expired), 2,000 made now, of which 2 were redeemed: 3,000 uncollected."""
    service = app.extensions["issuer_service"]
    service.offer_batch(definition_id, _cohort(1000, "Oud"), actor="staff")
    clock.advance(days=8)
    fresh = service.offer_batch(definition_id, _cohort(2000, "Nieuw"), actor="staff")
    for pending in fresh[:2]:
        service.deliver(pending.id, HOLDER, base_url=ISSUER_URL)
    return fresh


def test_offers_are_listed_by_state_with_filters_and_pages(staff, three_thousand_offers):
    started = time.perf_counter()
    page = page_text(staff.get("/admin/offers"))
    first = time.perf_counter() - started
    assert "3.000 aanbiedingen" in page and "Pagina 1 van 60" in page
    assert page.count('data-label="Naam deelnemer"') == 50
    for state in ("Nog niet opgehaald", "Opgehaald", "Verlopen"):
        assert state in page
    expired = page_text(staff.get("/admin/offers?state=expired"))
    assert "1.000 aanbiedingen" in expired and "Pagina 1 van 20" in expired and "Nieuw 0" not in expired
    assert "2 aanbiedingen" in page_text(staff.get("/admin/offers?state=redeemed"))
    started = time.perf_counter()
    last = page_text(staff.get("/admin/offers?state=pending&page=40"))
    later = time.perf_counter() - started
    assert "1.998 aanbiedingen" in last
    assert "Pagina 40 van 40" in last and 'rel="next"' not in last and 'rel="prev"' in last
    assert "Pagina 40 van 40" in page_text(staff.get("/admin/offers?state=pending&page=999"))  # clamped
    named = page_text(staff.get("/admin/offers?q=Oud+0999"))
    assert "1 aanbiedingen" in named and "Oud 0999" in named
    assert first < 2.0 and later < 2.0, (first, later)  # measured: ~0.02 s each


def test_the_offers_filter_by_definition_includes_its_versions(app, staff, definition_id):  # noqa: F811
    service = app.extensions["issuer_service"]
    service.offer(definition_id, Participant(name="Eerste Versie", result="7", award_date=dt.date(2026, 6, 30)))
    newer = service.revise_definition(definition_id, {**DEFINITION, "ects": 6})
    service.offer(newer, Participant(name="Tweede Versie", result="7", award_date=dt.date(2026, 6, 30)))
    other = service.save_definition(MicrocredentialDefinition.model_validate({**DEFINITION, "title": "Ander"}))
    service.offer(other, Participant(name="Andere Eenheid", result="7", award_date=dt.date(2026, 6, 30)))
    series = service.definition(newer).series_id
    page = page_text(staff.get(f"/admin/offers?definition={series}"))
    assert "Eerste Versie" in page and "Tweede Versie" in page and "Andere Eenheid" not in page


def test_offers_csv_carries_the_learner_facing_links(app, staff, definition_id):  # noqa: F811
    reply = upload(staff, definition_id, "naam;resultaat;datum\nSanne de Vries;8;2026-06-30\nPiet Jansen;7;2026-06-30\n")
    wait_for_job(staff, reply.headers["Location"])
    rows = csv_rows(staff.get("/admin/offers.csv?state=pending"))
    assert [r["name"] for r in sorted(rows, key=lambda r: r["name"])] == ["Piet Jansen", "Sanne de Vries"]
    for row in rows:
        assert "/admin/" not in ";".join(row.values())  # no staff-only page
        offer = offer_from_link(row["offer_link"])
        code = offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"]
        assert row["offer_page"] == f"{ISSUER_URL}/offer/{code}"
        assert row["state"] == "pending" and "2026" in row["valid_until"] and "T" not in row["valid_until"]
        learner = app.test_client().get(f"/offer/{code}?lang=en")  # a learner: no login
        assert learner.status_code == 200 and "Open in my wallet" in page_text(learner)
        assert row["name"] not in page_text(learner)  # the page does not show who the offer is for
        assert html.escape(row["offer_link"]) in page_text(learner)
        assert learner.headers["Referrer-Policy"] == "no-referrer"


def test_the_learner_page_of_an_unknown_or_collected_offer(app, definition_id):  # noqa: F811
    learner = app.test_client()
    reply = learner.get("/offer/not-a-code")
    assert reply.status_code == 404 and "Aanbod niet gevonden" in page_text(reply)


# --- definitions: a new version on edit; the archive ----------------------------------------------

def test_editing_makes_a_new_version_and_leaves_issued_credentials_unchanged(app, staff, definition_id):  # noqa: F811
    service = app.extensions["issuer_service"]
    issue(staff, definition_id, holder_did=HOLDER)
    [before] = service.records()
    path = f"/admin/definitions/{definition_id}/edit"
    form_page = page_text(staff.get(path))
    assert DEFINITION["title"] in form_page and "Zorgdata verzamelen | Verzamelt relevante zorgdata." in form_page
    assert "versie 2" in form_page
    reply = staff.post(path, data=definition_form(title="Data-gedreven besluitvorming (herzien)", ects="7.5",
                                                  csrf_token=token_for(staff, path)))
    assert reply.status_code == 302
    newer = reply.headers["Location"].rsplit("/", 1)[1]
    assert newer != definition_id
    old, new = service.definition(definition_id), service.definition(newer)
    assert (old.version, new.version, old.replaced_by, new.series_id) == (1, 2, newer, old.series_id)
    assert old.definition.title == DEFINITION["title"] and new.definition.ects == 7.5
    assert new.achievement_id != old.achievement_id  # one id, one content
    after = service.record(before.id)
    assert after.credential_json == before.credential_json and after.definition_id == definition_id
    page = page_text(staff.get(f"/admin/definitions/{newer}"))
    assert "versie 2" in page and "versie 1" in page and "7,5 EC" in page
    assert "(herzien)" in page_text(staff.get("/admin/")) and DEFINITION["title"] + "</a>" not in page_text(staff.get("/admin/"))
    # the old version is not issued from any more, and cannot be edited again
    assert staff.get(f"/admin/definitions/{definition_id}/issue").status_code == 409
    assert staff.get(f"/admin/definitions/{definition_id}/edit").status_code == 302


def test_saving_an_unchanged_definition_makes_no_version(app, staff, definition_id):  # noqa: F811
    path = f"/admin/definitions/{definition_id}/edit"
    reply = staff.post(path, data=definition_form(csrf_token=token_for(staff, path)))
    assert reply.headers["Location"].endswith(f"/admin/definitions/{definition_id}")
    assert len(app.extensions["issuer_service"].definition_versions(definition_id)) == 1


def test_archived_definitions_are_shown_but_not_offered_for_issuing(app, staff, definition_id):  # noqa: F811
    service = app.extensions["issuer_service"]
    path = f"/admin/definitions/{definition_id}"
    reply = staff.post(path + "/archive", data={"action": "archive", "csrf_token": token_for(staff, path)})
    assert reply.status_code == 302 and service.definition(definition_id).archived_at is not None
    home = page_text(staff.get("/admin/"))
    archive = home[home.index('id="archived"'):]
    assert DEFINITION["title"] in archive and f"/admin/definitions/{definition_id}/issue" not in home
    refused = staff.get(path + "/issue")
    assert refused.status_code == 409 and "DEFINITION_ARCHIVED" in page_text(refused)
    assert staff.get(path + "/batch").status_code == 409
    forged = issue(staff, definition_id)  # a form posted anyway
    assert forged.status_code == 409 and service.offers() == []
    staff.post(path + "/archive", data={"action": "restore", "csrf_token": token_for(staff, path)})
    assert service.definition(definition_id).archived_at is None
    assert staff.get(path + "/issue").status_code == 200


# --- the result scale's fields ----------------------------------------------------------------------

def _visible_fields(page: str) -> set[str]:
    """Inputs outside a hidden scale group."""
    shown = re.sub(r'<div class="scale-fields" data-scale="\w+" hidden>.*?(?=<div class="scale-fields"|</fieldset>)',
                   "", page, flags=re.S)
    return set(re.findall(r'<input id="f-(\w+)"', shown))


def test_the_define_form_shows_only_the_chosen_scale_without_javascript(staff):
    grade = page_text(staff.get("/admin/definitions/new"))
    assert {"minimum", "maximum", "pass_mark"} <= _visible_fields(grade) and "pass_value" not in _visible_fields(grade)
    path = "/admin/definitions/new"
    reply = staff.post(path, data={"csrf_token": token_for(staff, path), "result_kind": "passfail",
                                   "result_name": "Eindcijfer", "title": "Half ingevuld", "show_scale": "1"})
    page = page_text(reply)
    assert reply.status_code == 200 and "pass_value" in _visible_fields(page)
    assert not {"minimum", "maximum", "pass_mark"} & _visible_fields(page)
    assert 'value="Half ingevuld"' in page and 'value="Beoordeling"' in page  # kept; the default name follows
    assert app_definitions(staff) == []  # nothing saved


def app_definitions(staff):
    return staff.application.extensions["issuer_service"].definitions()


def test_a_pass_fail_definition_ignores_grade_fields(staff):
    path = "/admin/definitions/new"
    reply = staff.post(path, data=definition_form(result_kind="passfail", result_name="Beoordeling",
                                                  pass_value="Voldaan", minimum="x", pass_mark="99",
                                                  csrf_token=token_for(staff, path)))
    assert reply.status_code == 302
    [stored] = app_definitions(staff)
    assert stored.definition.result_scale.kind == "passfail" and stored.definition.result_scale.pass_value == "Voldaan"
    issue_page = page_text(staff.get(reply.headers["Location"]))
    assert "Vul in: Voldaan" in issue_page and "Een cijfer" not in issue_page


# --- issuing twice ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,warning,anyway", [
    ("nl", "Deze persoon heeft deze microcredential al", "Toch uitgeven"),
    ("en", "This person already has this microcredential", "Issue anyway")])
def test_issuing_the_same_unit_twice_warns_and_staff_may_proceed(app, staff, definition_id, lang, warning,  # noqa: F811
                                                                 anyway):
    service = app.extensions["issuer_service"]
    staff.get(f"/admin/?lang={lang}")
    assert issue(staff, definition_id).status_code == 302  # an offer for Sanne de Vries
    again = issue(staff, definition_id, name="  sanne DE vries ")
    page = page_text(again)
    assert again.status_code == 409 and warning in page and anyway in page and len(service.offers()) == 1
    key = re.search(r'name="confirm_duplicate" value="([^"]+)"', page).group(1)
    changed = issue(staff, definition_id, name="Piet Jansen", confirm_duplicate=key)  # confirmed for another name
    assert changed.status_code == 302 and len(service.offers()) == 2  # Piet is new: no warning needed
    assert issue(staff, definition_id, name="  sanne DE vries ", confirm_duplicate=key).status_code == 302
    assert len(service.offers()) == 3


def test_the_same_wallet_counts_as_the_same_person(app, staff, definition_id):  # noqa: F811
    issue(staff, definition_id, holder_did=HOLDER)
    reply = issue(staff, definition_id, name="S. de Vries", holder_did=HOLDER)
    assert reply.status_code == 409 and "uitgegeven op" in page_text(reply)


def test_a_batch_with_people_who_have_the_unit_warns_first(app, staff, definition_id):  # noqa: F811
    service = app.extensions["issuer_service"]
    issue(staff, definition_id)  # Sanne de Vries, an open offer
    reply = upload(staff, definition_id, "naam;resultaat;datum\nSanne de Vries;8;2026-06-30\n"
                                         "Piet Jansen;7;2026-06-30\nPiet Jansen;7;2026-06-30\n")
    page = page_text(reply)
    assert reply.status_code == 409 and "2 deelnemers hebben deze microcredential al" in page
    assert "staat al eerder in dit bestand" in page and len(service.offers()) == 1
    staged = re.search(r'name="staged" value="([^"]+)"', page).group(1)
    path = f"/admin/definitions/{definition_id}/batch"
    go = staff.post(path, data={"staged": staged, "mode": "offers", "csrf_token": token_for(staff, path)})
    assert go.status_code == 302 and wait_for_job(staff, go.headers["Location"])["done"] == 3
    assert len(service.offers()) == 4
    again = staff.post(path, data={"staged": staged, "mode": "offers", "csrf_token": token_for(staff, path)})
    assert again.status_code == 410  # a staged file is used once


# --- batch results: pages and CSV -----------------------------------------------------------------------

def test_batch_results_are_paged_and_downloadable(staff, definition_id):  # noqa: F811
    reply = upload(staff, definition_id, _cohort(120, "Deelnemer").decode())
    job_page = reply.headers["Location"]
    assert wait_for_job(staff, job_page)["done"] == 120
    first = page_text(staff.get(job_page))
    assert first.count("Aanbod voor de wallet<span") == 50 and "Pagina 1 van 3" in first and "120 / 120" in first
    last = page_text(staff.get(job_page + "?page=3"))
    assert last.count("Aanbod voor de wallet<span") == 20 and "Pagina 3 van 3" in last
    rows = csv_rows(staff.get(job_page + "/results.csv"))
    assert len(rows) == 120 and all(r["offer_page"].startswith(ISSUER_URL + "/offer/") for r in rows)
    assert {r["name"] for r in rows} == {f"Deelnemer {i:04d}" for i in range(120)}


def test_sizes_and_times_are_shown_as_people_read_them(app, staff, definition_id):  # noqa: F811
    half = app.extensions["issuer_service"].save_definition({**DEFINITION, "title": "Half", "ects": 7.5})
    home = visible(page_text(staff.get("/admin/?lang=nl")))
    assert "5 EC" in home and "7,5 EC" in home and "5.0" not in home
    english = visible(page_text(staff.get("/admin/?lang=en")))
    assert "5 ECTS" in english and "7.5 ECTS" in english
    issue(staff, half, holder_did=HOLDER)
    records = visible(page_text(staff.get("/admin/records?lang=nl")))
    assert "1 september 2026 om 14:00" in records  # Amsterdam summer time (UTC+2), not 12:00 UTC
    assert "2026-09-01" not in records and "12:00" not in records
    assert "1 September 2026 at 14:00" in visible(page_text(staff.get("/admin/records?lang=en")))


def test_times_follow_the_configured_time_zone(tmp_path, issuer_key, clock, canon):
    from .test_oid4vci import make_app
    from .test_web import log_in
    app = make_app(tmp_path, issuer_key, clock, canon, TIMEZONE="America/Curacao")  # Caribbean Netherlands: UTC-4
    service = app.extensions["issuer_service"]
    definition = service.save_definition(DEFINITION)
    service.issue_direct(definition, {"name": "Sanne", "result": "8", "award_date": "2026-06-30"}, HOLDER)
    client = app.test_client()
    log_in(client)
    assert "1 september 2026 om 08:00" in visible(page_text(client.get("/admin/records")))


@pytest.mark.parametrize("query", ["page=-5", "page=99999999999999999999", "page=abc", "page=" + "9" * 5000,
                                   "state=<script>", "definition=' OR 1=1 --", "q=%25%25_", "q=" + "x" * 5000])
def test_odd_list_parameters_get_a_page_not_an_error(staff, query):
    for path in ("/admin/offers", "/admin/records", "/admin/offers.csv"):
        reply = staff.get(f"{path}?{query}")
        assert reply.status_code == 200, (path, query)
        assert "<script>" not in page_text(reply)


def test_a_forged_staged_upload_and_an_overlong_offer_code_are_refused(staff, definition_id):  # noqa: F811
    path = f"/admin/definitions/{definition_id}/batch"
    reply = staff.post(path, data={"staged": "forged", "csrf_token": token_for(staff, path)})
    assert reply.status_code == 410 and "Upload het opnieuw" in page_text(reply)
    assert staff.application.test_client().get("/offer/" + "A" * 10000).status_code == 404


def test_an_offer_made_without_a_link_gets_one_on_its_page(app, staff, definition_id):  # noqa: F811
    """Offers made by the command line without --issuer-url have no pre-authorized code yet."""
    pending = app.extensions["issuer_service"].offer(definition_id, {"name": "Piet", "result": "7",
                                                                     "award_date": "2026-06-30"})
    path = f"/admin/offers/{pending.id}"
    page = page_text(staff.get(path + "?lang=en"))
    assert "No link has been made for this offer yet." in page and 'id="offer-qr"' not in page
    reply = staff.post(path + "/link", data={"csrf_token": token_for(staff, path)})
    assert reply.status_code == 302 and 'id="offer-qr"' in page_text(staff.get(path))
    [row] = csv_rows(staff.get("/admin/offers.csv"))
    assert row["offer_link"].startswith("openid-credential-offer://") and "/offer/" in row["offer_page"]
