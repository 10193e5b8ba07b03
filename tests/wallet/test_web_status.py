"""The wallet notices a changed status: re-checked when the learner opens the wallet and on
"check again"; revoked credentials are shown as such, leave the ECTS totals, and are offered for
presentation only with a warning. A re-check that cannot reach the issuer keeps the last known status."""

from __future__ import annotations

import re

import pytest

from .conftest import STATUS_URLS
from .web_support import csrf, make_app, session_of, unlock


@pytest.fixture
def app(tmp_path, canon, clock, transport):
    return make_app(tmp_path / "home", canon, clock, transport)


def _import(app, client, issue) -> str:
    token = csrf(client.get("/import").get_data(as_text=True))
    body = issue(holder=session_of(app, client).wallet.profile().did)
    reply = client.post("/import", data={"csrf": token, "json": body.decode()})
    return re.search(r'href="/credentials/([^"?]+)', reply.get_data(as_text=True)).group(1)


def _check_again(client) -> str:
    token = csrf(client.get("/").get_data(as_text=True))
    reply = client.post("/recheck?lang=en", data={"csrf": token})
    assert reply.status_code == 302
    return client.get(reply.headers["Location"]).get_data(as_text=True)


def test_check_again_shows_a_revocation_and_drops_it_from_the_totals(app, issue, transport, _lists):
    client = app.test_client()
    unlock(client)
    cred = _import(app, client, issue)
    detail = client.get(f"/credentials/{cred}?lang=en").get_data(as_text=True)
    assert "Not revoked or suspended — status as published at 1 January 2026 at 01:00, checked at 14:00" in detail
    assert 'id="total-ects">5 ECTS' in client.get("/?lang=en").get_data(as_text=True)
    transport.responses[STATUS_URLS["revocation"]] = _lists["revoked"][STATUS_URLS["revocation"]]
    page = _check_again(client)
    assert 'data-status="revoked"' in page and "Revoked by the institution" in page
    assert 'id="total-ects">0 ECTS' in page and 'id="rechecked"' in page
    nl = client.get(f"/credentials/{cred}?lang=nl").get_data(as_text=True)
    assert "Ingetrokken door de instelling — status zoals gepubliceerd om 1 januari 2026 om 01:00" in nl
    assert 'id="present-warning"' in nl


def test_an_unreachable_issuer_never_makes_a_revoked_credential_count_again(app, issue, transport, _lists, clock):
    client = app.test_client()
    unlock(client)
    cred = _import(app, client, issue)
    transport.responses[STATUS_URLS["revocation"]] = _lists["revoked"][STATUS_URLS["revocation"]]
    _check_again(client)
    transport.responses.clear()
    clock.advance(hours=30)  # the wallet's own copy of the list is too old to use, the issuer unreachable
    unlock(client)  # (the idle session ended meanwhile); opening re-checks too
    page = _check_again(client)
    assert 'data-status="revoked"' in page and 'id="total-ects">0 ECTS' in page
    assert "the institution could not be reached" in page
    detail = client.get(f"/credentials/{cred}?lang=en").get_data(as_text=True)
    assert "could not be refreshed" in detail


def test_opening_the_wallet_rechecks(app, issue, transport, _lists):
    client = app.test_client()
    unlock(client)
    _import(app, client, issue)
    client.post("/lock", data={"csrf": csrf(client.get("/").get_data(as_text=True))})
    transport.responses[STATUS_URLS["revocation"]] = _lists["revoked"][STATUS_URLS["revocation"]]
    reply = unlock(client)
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert 'data-status="revoked"' in page and 'id="rechecked"' in page


def test_revoked_credentials_are_offered_only_with_a_warning(app, issue, transport, _lists):
    client = app.test_client()
    unlock(client)
    cred = _import(app, client, issue)
    other = _import(app, client, lambda holder: issue(name="Tweede eenheid", holder=holder))
    transport.responses[STATUS_URLS["revocation"]] = _lists["revoked"][STATUS_URLS["revocation"]]
    client.post(f"/credentials/{cred}/recheck", data={"csrf": csrf(client.get("/").get_data(as_text=True))})
    assert session_of(app, client).wallet.record(other).status == "ok"  # the other was not checked again
    html = client.get("/present?lang=en").get_data(as_text=True)
    usable, held = html.split('class="not-valid"')
    assert f'value="{other}"' in usable and f'value="{cred}"' in held and 'id="present-warning"' in held
    token = csrf(html)
    reply = client.post("/present", data={"csrf": token})  # nothing chosen: only what is valid
    shown = session_of(app, client).shown[reply.headers["Location"].split("/present/")[1].split("?")[0]]
    assert len(shown.document["verifiableCredential"]) == 1 and "warned" not in reply.headers["Location"]
    reply = client.post("/present", data={"csrf": token, "ids": cred})
    assert "warned=1" in reply.headers["Location"]
    assert 'id="present-warning"' in client.get(reply.headers["Location"]).get_data(as_text=True)


def test_after_unlocking_the_learner_lands_on_the_page_asked_for(app):
    client = app.test_client()
    first = client.get("/backup?lang=en")
    assert first.status_code == 302 and "next=/backup" in first.headers["Location"].replace("%2F", "/")
    html = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/backup?lang=en"' in html
    reply = client.post("/unlock", data={"csrf": csrf(html), "passphrase": "a long passphrase for this test",
                                         "next": "/backup?lang=en"})
    assert reply.headers["Location"] == "/backup?lang=en"
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        client.post("/lock", data={"csrf": csrf(client.get("/").get_data(as_text=True))})
        page = client.get("/unlock").get_data(as_text=True)
        reply = client.post("/unlock", data={"csrf": csrf(page), "passphrase": "a long passphrase for this test",
                                             "next": hostile})
        assert reply.headers["Location"].startswith("/?"), hostile
