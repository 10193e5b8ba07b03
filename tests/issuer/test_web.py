"""Staff web UI: login, CSRF, languages, define, issue (offer/direct), batch, records, status."""

from __future__ import annotations

import html
import io
import re
import time

import pytest

from .test_oid4vci import (DEFINITION, ISSUER_URL, app, client, definition_id,  # noqa: F401 (fixtures)
                           make_app, offer_from_link)

PASSWORD = "correct horse battery"


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def log_in(client, username="staff", password=PASSWORD):
    token = csrf_of(client.get("/admin/login").data)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.fixture
def staff(client):
    """A logged-in client and a fresh CSRF token for its next form."""
    assert log_in(client).status_code == 302
    return client


def token_for(client, path: str) -> str:
    return csrf_of(client.get(path).data)


def definition_form(**changes) -> dict:
    form = {key: str(value) for key, value in DEFINITION.items() if key != "learning_outcomes"}
    form["learning_outcomes"] = "\n".join(f"{o['name']} | {o['description']}"
                                          for o in DEFINITION["learning_outcomes"])
    form.update(result_kind="grade", result_name="Eindcijfer", minimum="1", maximum="10", pass_mark="6",
                language="nl")
    form.update(changes)
    return form


# --- login and CSRF ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/", "/admin/records", "/admin/definitions/new"])
def test_login_required(client, path):
    reply = client.get(path)
    assert reply.status_code == 302 and reply.headers["Location"].startswith("/admin/login")


def test_wrong_password_is_refused(client):
    reply = log_in(client, password="wrong")
    assert reply.status_code == 401 and "verkeerd wachtwoord" in reply.get_data(as_text=True)
    assert log_in(client, username="nobody").status_code == 401
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_login_then_home(client):
    reply = log_in(client)
    assert reply.status_code == 302 and reply.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_login_does_not_redirect_off_site(client):
    token = csrf_of(client.get("/admin/login").data)
    reply = client.post("/admin/login", data={"username": "staff", "password": PASSWORD, "csrf_token": token,
                                              "next": "//evil.example/"})
    assert reply.headers["Location"] == "/admin/"


def test_csrf_enforced_on_login(client):
    reply = client.post("/admin/login", data={"username": "staff", "password": PASSWORD})
    assert reply.status_code == 400 and b"CSRF_ERROR" in reply.data


def test_csrf_enforced_on_forms(app, staff):
    reply = staff.post("/admin/definitions/new", data=definition_form())
    assert reply.status_code == 400 and b"CSRF_ERROR" in reply.data
    reply = staff.post("/admin/definitions/new", data=definition_form(csrf_token="forged"))
    assert reply.status_code == 400 and b"CSRF_ERROR" in reply.data
    assert app.extensions["issuer_service"].definitions() == []


# --- languages and accessibility ------------------------------------------------------------

def test_dutch_by_default_english_on_request(client):
    page = client.get("/admin/login").get_data(as_text=True)
    assert '<html lang="nl">' in page and "Wachtwoord" in page
    page = client.get("/admin/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Password" in page
    assert '<html lang="en">' in client.get("/admin/login").get_data(as_text=True)  # remembered
    other = make_client_with_accept_language(client.application, "en-GB,en;q=0.8")
    assert "Password" in other


def make_client_with_accept_language(app, header: str) -> str:
    return app.test_client().get("/admin/login", headers={"Accept-Language": header}).get_data(as_text=True)


def test_form_fields_have_labels(staff):
    page = staff.get("/admin/definitions/new").get_data(as_text=True)
    ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page))
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    assert ids and ids <= labelled


def test_security_headers(client):
    headers = client.get("/admin/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


# --- define and issue ----------------------------------------------------------------------------

def test_define_a_microcredential(app, staff):
    reply = staff.post("/admin/definitions/new",
                       data=definition_form(csrf_token=token_for(staff, "/admin/definitions/new")))
    assert reply.status_code == 302
    [stored] = app.extensions["issuer_service"].definitions()
    assert stored.definition.title == DEFINITION["title"] and len(stored.definition.learning_outcomes) == 2
    assert DEFINITION["title"] in staff.get("/admin/").get_data(as_text=True)


def test_invalid_definition_explains_each_field(app, staff):
    form = definition_form(ects="40", info_url="not a url", csrf_token=token_for(staff, "/admin/definitions/new"))
    reply = staff.post("/admin/definitions/new", data=form)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 422 and 'aria-invalid="true"' in page
    assert "webadres" in page  # the Dutch message for info_url
    assert app.extensions["issuer_service"].definitions() == []


def issue(staff, definition_id, **fields):  # noqa: F811
    path = f"/admin/definitions/{definition_id}/issue"
    data = {"name": "Sanne de Vries", "result": "8", "award_date": "2026-06-30", "csrf_token": token_for(staff, path)}
    data.update(fields)
    return staff.post(path, data=data)


def test_issue_one_shows_offer_link_and_qr(app, staff, definition_id):  # noqa: F811
    reply = issue(staff, definition_id)
    assert reply.status_code == 302 and "/admin/offers/" in reply.headers["Location"]
    page = staff.get(reply.headers["Location"]).get_data(as_text=True)
    assert 'id="offer-qr" src="data:image/png;base64,' in page
    link = html.unescape(re.search(r'<textarea id="offer-link"[^>]*>([^<]+)</textarea>', page).group(1))
    offer = offer_from_link(link)
    assert offer["credential_issuer"] == ISSUER_URL
    assert app.extensions["oid4vci_store"].redeem_code(
        offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"])


def test_issue_refuses_a_failing_result(app, staff, definition_id):  # noqa: F811
    reply = issue(staff, definition_id, result="4")
    assert reply.status_code == 422 and "cesuur" in reply.get_data(as_text=True)


def test_credential_text_is_escaped(staff, definition_id):  # noqa: F811
    reply = issue(staff, definition_id, name="<script>alert(1)</script>")
    page = staff.get(reply.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_issue_directly_to_a_did_and_download(app, staff, definition_id, holder_key):  # noqa: F811
    reply = issue(staff, definition_id, holder_did=holder_key.controller)
    assert reply.status_code == 302 and "/admin/records/" in reply.headers["Location"]
    record_page = staff.get(reply.headers["Location"]).get_data(as_text=True)
    assert holder_key.controller in record_page
    [record] = app.extensions["issuer_service"].records()
    download = staff.get(f"/admin/records/{record.id}/download")
    assert download.data == record.credential_json
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Disposition"].endswith('.json"')


# --- records and status --------------------------------------------------------------------------

@pytest.mark.suspension
def test_search_revoke_suspend_unsuspend(app, staff, definition_id, holder_key, issuer_key):  # noqa: F811
    issue(staff, definition_id, holder_did=holder_key.controller)
    issue(staff, definition_id, name="Jan Jansen", holder_did=issuer_key.controller)
    page = staff.get("/admin/records?q=Jansen").get_data(as_text=True)
    assert "Jan Jansen" in page and "Sanne de Vries" not in page
    service = app.extensions["issuer_service"]
    record = service.records("Sanne")[0]
    path = f"/admin/records/{record.id}"

    def act(action, reason="fraude vastgesteld"):
        return staff.post(path + "/status", data={"action": action, "reason": reason, "confirm": "yes",
                                                  "csrf_token": token_for(staff, path)})
    assert act("suspend", reason="").status_code == 422
    assert service.record(record.id).status == "active"  # a reason is required
    act("suspend")
    assert service.record(record.id).status == "suspended"
    act("unsuspend")
    assert service.record(record.id).status == "active"
    act("revoke")
    assert service.record(record.id).status == "revoked"
    assert "Ingetrokken" in staff.get(path).get_data(as_text=True)
    assert act("delete").status_code == 400


def test_without_suspension_the_button_is_hidden_and_a_forged_post_refused(app, staff, definition_id,  # noqa: F811
                                                                           holder_key):
    issue(staff, definition_id, holder_did=holder_key.controller)
    service = app.extensions["issuer_service"]
    [record] = service.records()
    path = f"/admin/records/{record.id}"
    page = staff.get(path).get_data(as_text=True)
    assert 'value="suspend"' not in page and 'value="revoke"' in page
    assert "Schorsen staat voor deze instelling niet aan" in page
    assert "Suspension is not turned on" in staff.get(path + "?lang=en").get_data(as_text=True)
    reply = staff.post(path + "/status", data={"action": "suspend", "reason": "onderzoek",
                                               "csrf_token": token_for(staff, path)})
    assert reply.status_code == 302
    shown = staff.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Suspension is not turned on" in shown and "STATUS_CHANGE_REFUSED" in shown
    assert service.record(record.id).status == "active" and service.registry.events(record.id) == []


@pytest.mark.suspension
def test_with_suspension_the_suspend_button_is_shown(app, staff, definition_id, holder_key):  # noqa: F811
    issue(staff, definition_id, holder_did=holder_key.controller)
    [record] = app.extensions["issuer_service"].records()
    page = staff.get(f"/admin/records/{record.id}").get_data(as_text=True)
    assert 'value="suspend"' in page and 'id="suspension-off"' not in page


def test_unknown_records_and_definitions_are_404(staff):
    assert staff.get("/admin/records/nope").status_code == 404
    assert staff.get("/admin/definitions/nope/issue").status_code == 404
    assert staff.get("/admin/offers/nope").status_code == 404
    assert staff.get("/admin/batches/nope").status_code == 404


# --- batch -----------------------------------------------------------------------------------

def upload(staff, definition_id, csv_text: str):  # noqa: F811
    path = f"/admin/definitions/{definition_id}/batch"
    return staff.post(path, data={"csrf_token": token_for(staff, path),
                                  "csv": (io.BytesIO(csv_text.encode("utf-8")), "cohort.csv")},
                      content_type="multipart/form-data")


def test_batch_with_a_bad_row_issues_nothing(app, staff, definition_id):  # noqa: F811
    reply = upload(staff, definition_id, "naam;resultaat;datum\nSanne;8;2026-06-30\nJan;4;2026-06-30\n")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 422 and '<td data-label="Regel">3</td>' in page and "Niets uitgegeven" in page
    service = app.extensions["issuer_service"]
    assert service.records() == [] and service.offers() == []


def test_batch_makes_offers_with_progress(app, staff, definition_id):  # noqa: F811
    rows = "\n".join(f"Deelnemer {i};{6 + i % 4};2026-06-30" for i in range(25))
    reply = upload(staff, definition_id, "naam;resultaat;datum\n" + rows + "\n")
    assert reply.status_code == 302
    job_page = reply.headers["Location"]
    progress_url = job_page + "/progress"
    for _ in range(200):
        state = staff.get(progress_url).get_json()
        if state["state"] != "running":
            break
        time.sleep(0.05)
    assert state == {"id": job_page.rsplit("/", 1)[1], "done": 25, "total": 25, "state": "done", "error": ""}
    page = staff.get(job_page).get_data(as_text=True)
    assert "<progress" in page and "Deelnemer 24" in page
    offers = staff.get(job_page + "/results.csv").get_data(as_text=True).splitlines()
    assert offers[0] == "\ufeffname;offer_link;offer_page;valid_until" and len(offers) == 26
    assert offers[1].split(";")[1].startswith("openid-credential-offer://?credential_offer=")
    assert offers[1].split(";")[2].startswith(ISSUER_URL + "/offer/")


def test_batch_signed_directly_for_the_csv_dids(app, staff, definition_id, holder_key, verifier):  # noqa: F811
    rows = "\n".join(f"Deelnemer {i};7;2026-06-30;{holder_key.controller}" for i in range(12))
    path = f"/admin/definitions/{definition_id}/batch"
    reply = staff.post(path, data={"csrf_token": token_for(staff, path), "mode": "direct",
                                   "csv": (io.BytesIO(f"naam;resultaat;datum;did\n{rows}\n".encode()), "c.csv")},
                       content_type="multipart/form-data")
    assert reply.status_code == 302
    for _ in range(400):
        state = staff.get(reply.headers["Location"] + "/progress").get_json()
        if state["state"] != "running":
            break
        time.sleep(0.05)
    assert (state["state"], state["done"], state["total"]) == ("done", 12, 12)
    records = app.extensions["issuer_service"].records()
    assert len(records) == 12 and {r.holder_did for r in records} == {holder_key.controller}
    assert verifier.verify_credential(records[0].credential_json).verified
    assert "Deelnemer 11" in staff.get(reply.headers["Location"]).get_data(as_text=True)
