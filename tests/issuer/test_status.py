"""Revocation and suspension with Bitstring Status List v1.0, served with caching headers."""

from __future__ import annotations

import json
import random

import pytest

from vccore import DidResolver, Verifier
from vccore.statuslist import MIN_ENTRIES, Bitstring

from issuer.errors import InvalidInput, StatusChangeRefused
from issuer.status import StatusLists

from .conftest import HOLDER, status_check


def _issue(service, definition_id, name="Sanne"):
    return service.issue_direct(definition_id, {"name": name, "result": "8", "award_date": "2026-06-30"}, HOLDER)


def _served_bit(client, entry) -> bool:
    response = client.get(entry["statusListCredential"].split("nl", 1)[1])
    assert response.status_code == 200
    listed = json.loads(response.data)
    assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    return Bitstring.decode(listed["credentialSubject"]["encodedList"]).get(int(entry["statusListIndex"]))


def _fresh_verifier(client, canon, clock) -> Verifier:
    return Verifier(canon=canon, resolver=DidResolver(), clock=clock, status=status_check(client, canon, clock))


def test_by_default_a_credential_gets_one_revocation_entry(service, definition_id):
    entry = _issue(service, definition_id).credential["credentialStatus"]
    assert isinstance(entry, dict) and entry["statusPurpose"] == "revocation"
    assert [r["purpose"] for r in service.registry.query("SELECT purpose FROM status_lists")] == ["revocation"]


@pytest.mark.suspension
def test_with_suspension_a_credential_gets_a_revocation_and_a_suspension_entry(service, definition_id):
    entries = _issue(service, definition_id).credential["credentialStatus"]
    assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
    assert entries[0]["statusListCredential"] != entries[1]["statusListCredential"]


def test_suspending_without_suspension_is_refused_and_changes_nothing(service, definition_id):
    record = _issue(service, definition_id)
    assert service.can_suspend(record.id) is False
    for change in (service.suspend, service.unsuspend):
        with pytest.raises(StatusChangeRefused) as caught:
            change(record.id, "onderzoek")
        assert caught.value.code == "STATUS_CHANGE_REFUSED"
    assert "suspension is not turned on" in caught.value.detail
    assert service.record(record.id).status == "active" and service.registry.events(record.id) == []
    service.revoke(record.id, "fraude")  # revocation works as ever
    assert service.record(record.id).status == "revoked"


def test_revoked_credential_is_set_in_the_served_list_and_reported_revoked(service, definition_id, client, canon,
                                                                            clock):
    record = _issue(service, definition_id)
    revocation = record.credential["credentialStatus"]
    verifier = _fresh_verifier(client, canon, clock)
    assert verifier.verify_credential(record.credential_json).verified
    assert _served_bit(client, revocation) is False
    service.revoke(record.id, "fraude bij de toets")
    assert _served_bit(client, revocation) is True
    report = _fresh_verifier(client, canon, clock).verify_credential(record.credential_json)
    assert report.codes() == {"STATUS_REVOKED"}
    assert service.record(record.id).status == "revoked"


@pytest.mark.suspension
def test_suspended_then_unsuspended(service, definition_id, client, canon, clock):
    record = _issue(service, definition_id)
    suspension = record.credential["credentialStatus"][1]
    service.suspend(record.id, "onderzoek examencommissie")
    assert _served_bit(client, suspension) is True
    assert _fresh_verifier(client, canon, clock).verify_credential(record.credential).codes() == {"STATUS_SUSPENDED"}
    assert service.record(record.id).status == "suspended"
    service.unsuspend(record.id, "onderzoek afgerond")
    assert _served_bit(client, suspension) is False
    assert _fresh_verifier(client, canon, clock).verify_credential(record.credential).verified
    assert service.record(record.id).status == "active"
    assert [e["action"] for e in service.registry.events(record.id)] == ["suspend", "unsuspend"]


@pytest.mark.suspension
def test_status_changes_that_make_no_sense_are_refused(service, definition_id):
    record = _issue(service, definition_id)
    with pytest.raises(StatusChangeRefused) as caught:
        service.unsuspend(record.id)
    assert caught.value.code == "STATUS_CHANGE_REFUSED"
    with pytest.raises(InvalidInput) as caught:
        service.revoke(record.id, "  ")
    assert caught.value.errors[0].field == "reason"
    service.revoke(record.id, "fraude")
    for change in (service.revoke, service.suspend):
        with pytest.raises(StatusChangeRefused):
            change(record.id, "nogmaals")


def test_unknown_record_and_list(service, client):
    from issuer.errors import RecordNotFound

    with pytest.raises(RecordNotFound) as caught:
        service.revoke("nope", "x")
    assert caught.value.code == "RECORD_NOT_FOUND"
    for path in ("/status/99", "/status/1;drop", "/status/" + "9" * 20):
        response = client.get(path)
        assert response.status_code == 404
        assert response.get_json()["code"] == "STATUS_LIST_NOT_FOUND"
    assert client.get("/status/..%2f1").status_code == 404


def test_served_list_has_etag_and_cache_control_and_answers_304(service, definition_id, client):
    _issue(service, definition_id)
    first = client.get("/status/1")
    assert first.headers["Cache-Control"] == "public, no-cache"  # revalidated before every use
    tag = first.headers["ETag"]
    again = client.get("/status/1", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    same = client.get("/status/1")
    assert same.data == first.data, "re-signed although nothing changed"
    service.revoke(service.records()[0].id, "fraude")
    changed = client.get("/status/1", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


def test_status_list_credential_is_a_signed_bitstring_status_list_credential(service, definition_id, canon, clock):
    _issue(service, definition_id)
    listed = service.status_list_credential("1")
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["id"] == "https://www.hogeschool-voorbeeld.nl/status/1"
    assert Bitstring.decode(listed["credentialSubject"]["encodedList"]).size == MIN_ENTRIES
    assert Verifier(canon=canon, clock=clock).verify_credential(listed).verified


def test_indexes_are_random_unique_and_never_reused(tmp_path):
    from issuer.registry import Registry

    registry = Registry(tmp_path / "r.sqlite3")
    lists = StatusLists(size=64, rng=random.Random(1))  # tiny lists: 48 usable entries each (75%)
    with registry.transaction() as db:
        first = lists.allocate(db, "revocation", [f"r{i}" for i in range(40)])
        second = lists.allocate(db, "revocation", [f"s{i}" for i in range(40)])
    assert len(set(first + second)) == 80
    assert {list_id for list_id, _ in first + second} == {"1", "2"}
    assert [i for _, i in first[:5]] != sorted(i for _, i in first[:5]), "indexes should not be sequential"
    with registry.transaction() as db:
        more = lists.allocate(db, "revocation", ["t1"])
    assert more[0] not in first + second


@pytest.mark.parametrize("accept, media_type", [
    (None, "application/vc"),
    ("*/*", "application/vc"),
    ("application/*", "application/vc"),
    ("text/html", "application/vc"),  # nothing acceptable: the default, never a 406 for a public list
    ("application/vc", "application/vc"),
    ("application/json", "application/json"),
    ("application/json, text/plain, */*", "application/json"),
    ("application/ld+json", "application/ld+json"),
    ("application/vc+ld+json", "application/vc+ld+json"),
    ("application/ld+json, application/json;q=0.9", "application/ld+json"),
    ("application/vc;q=0.4, application/json;q=0.5", "application/json"),
])
def test_status_list_media_type_follows_accept(service, definition_id, client, accept, media_type):
    _issue(service, definition_id)
    default = client.get("/status/1")
    reply = client.get("/status/1", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200 and reply.headers["Content-Type"] == media_type
    assert reply.data == default.data and json.loads(reply.data)["type"][1] == "BitstringStatusListCredential"
    assert reply.headers["Vary"] == "Accept"
    assert reply.headers["Cache-Control"] == default.headers["Cache-Control"]
    assert (reply.headers["ETag"] == default.headers["ETag"]) == (media_type == "application/vc")


def test_each_representation_revalidates_with_its_own_etag(service, definition_id, client):
    _issue(service, definition_id)
    as_json = {"Accept": "application/json"}
    json_tag = client.get("/status/1", headers=as_json).headers["ETag"]
    vc_tag = client.get("/status/1").headers["ETag"]
    not_modified = client.get("/status/1", headers={**as_json, "If-None-Match": json_tag})
    assert not_modified.status_code == 304 and not_modified.headers["Vary"] == "Accept"
    other = client.get("/status/1", headers={**as_json, "If-None-Match": vc_tag})
    assert other.status_code == 200 and other.headers["Content-Type"] == "application/json"
    assert client.get("/status/1", headers={"If-None-Match": json_tag}).status_code == 200
