"""Registry: offers (single use, expiry), exact stored bytes, search, export for national registration."""

from __future__ import annotations

import csv
import io
import json

import pytest

from issuer.errors import DefinitionNotFound, OfferAlreadyDelivered, OfferExpired, OfferNotFound
from issuer.service import IssuerService

from .conftest import BASE, HOLDER


def _offer(service, definition_id, name="Sanne"):
    return service.offer(definition_id, {"name": name, "result": "8", "award_date": "2026-06-30"})


def test_offer_is_delivered_once(service, definition_id):
    offer = _offer(service, definition_id)
    assert not offer.delivered and offer.expires_at == "2026-09-08T12:00:00Z"
    record = service.deliver(offer.id, HOLDER)
    assert record.credential["credentialSubject"]["id"] == HOLDER
    assert service.pending(offer.id).delivered and service.pending(offer.id).record_id == record.id
    with pytest.raises(OfferAlreadyDelivered) as caught:
        service.deliver(offer.id, HOLDER)
    assert caught.value.code == "OFFER_ALREADY_DELIVERED"
    assert len(service.records()) == 1


def test_expired_offer_is_refused(service, definition_id, clock):
    offer = _offer(service, definition_id)
    clock.advance(days=8)
    with pytest.raises(OfferExpired) as caught:
        service.deliver(offer.id, HOLDER)
    assert caught.value.code == "OFFER_EXPIRED"
    assert service.records() == [] and service.registry.query("SELECT COUNT(*) FROM status_entries")[0][0] == 0


def test_unknown_offer_definition_and_bad_holder(service, definition_id):
    with pytest.raises(OfferNotFound):
        service.deliver("nope", HOLDER)
    with pytest.raises(DefinitionNotFound):
        service.offer("nope", {"name": "S", "result": "8", "award_date": "2026-06-30"})
    offer = _offer(service, definition_id)
    with pytest.raises(Exception) as caught:
        service.deliver(offer.id, "javascript:alert(1)")
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_stored_bytes_are_the_issued_bytes(service, definition_id):
    record = service.issue_direct(definition_id, {"name": "Sanne", "result": "8", "award_date": "2026-06-30"}, HOLDER)
    stored = service.record(record.id)
    assert stored.credential_json == record.credential_json
    assert service.record(record.credential_id).id == record.id


def test_search_by_name_did_and_wildcards_are_literal(service, definition_id):
    for name in ("Sanne de Vries", "Piet Jansen", "100%_Kees"):
        service.issue_direct(definition_id, {"name": name, "result": "8", "award_date": "2026-06-30"}, HOLDER)
    assert [r.participant_name for r in service.records("jansen")] == ["Piet Jansen"]
    assert [r.participant_name for r in service.records("%_")] == ["100%_Kees"]
    assert len(service.records(HOLDER)) == 3 and len(service.records(limit=2)) == 2


def test_export_csv_and_json(service, definition_id):
    first = service.issue_direct(definition_id, {"name": "=cmd|calc", "result": "8", "award_date": "2026-06-30"}, None)
    service.issue_direct(definition_id, {"name": "Piet", "result": "7", "award_date": "2026-06-30"}, HOLDER)
    service.revoke(first.id, "fout")
    rows = list(csv.DictReader(io.StringIO(service.export("csv")), delimiter=";"))
    assert [r["participant_name"] for r in rows] == ["'=cmd|calc", "Piet"]
    assert rows[0]["status"] == "revoked" and rows[0]["reason"] == "fout" and rows[0]["brin"] == "99XX"
    assert rows[1]["ects"] == "5" and rows[1]["nlqf_level"] == "6" and rows[1]["course_code"] == "HV-DBZ-2026"
    data = json.loads(service.export("json"))
    assert data[0]["participant_name"] == "=cmd|calc" and data[1]["holder_did"] == HOLDER
    with pytest.raises(Exception) as caught:
        service.export("xml")
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_registry_survives_reopening(tmp_path, institution, clock, canon):
    service = IssuerService.open(tmp_path / "d", institution=institution, clock=clock, canon=canon, public_base_url=BASE)
    from .conftest import definition_data

    definition_id = service.save_definition(definition_data())
    record = service.issue_direct(definition_id, {"name": "S", "result": "8", "award_date": "2026-06-30"}, HOLDER)
    service.registry.close()
    again = IssuerService.open(tmp_path / "d", clock=clock, canon=canon, public_base_url=BASE)
    assert again.institution.name == institution.name and again.key.controller == service.key.controller
    assert again.record(record.id).credential_json == record.credential_json
    assert again.definition(definition_id).definition.title == "Data-gedreven besluitvorming in de zorg"
