"""Institution keys: 0600 files outside the database, did:key or did:web, rotation keeps old credentials valid."""

from __future__ import annotations

import stat

import pytest

from vccore import DidResolver, Verifier

from issuer.service import IssuerService

from .conftest import BASE, HOLDER, definition_data, make_app


def _issue(service, definition_id):
    return service.issue_direct(definition_id, {"name": "S", "result": "8", "award_date": "2026-06-30"}, HOLDER)


def test_key_file_is_private_and_outside_the_database(service):
    key_file = service.identity.directory / "key-1.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    database = (service.identity.directory.parent / "registry.sqlite3").read_bytes()
    from vccore.multibase import encode_secret_multikey

    assert encode_secret_multikey(service.key.seed).encode() not in database
    assert service.key.controller.startswith("did:key:z6Mk")


def test_a_key_file_readable_by_others_is_refused(service, tmp_path, clock, canon):
    key_file = service.identity.directory / "key-1.json"
    key_file.chmod(0o644)
    with pytest.raises(Exception) as caught:
        IssuerService.open(service.identity.directory.parent, clock=clock, canon=canon)
    assert caught.value.code == "MALFORMED_VALUE_ERROR" and "0600" in caught.value.detail


def test_did_key_rotation_keeps_old_credentials_verifiable(service, definition_id, canon, clock):
    old = _issue(service, definition_id)
    service.rotate_key()
    new = _issue(service, definition_id)
    assert old.credential["issuer"]["id"] != new.credential["issuer"]["id"]
    verifier = Verifier(canon=canon, clock=clock)
    assert verifier.verify_credential(old.credential_json).verified
    assert verifier.verify_credential(new.credential_json).verified


def test_did_web_document_is_served_and_keeps_retired_keys(tmp_path, institution, clock, canon):
    service = IssuerService.open(tmp_path / "w", institution=institution, clock=clock, canon=canon,
                                 public_base_url=BASE, did_web="did:web:www.hogeschool-voorbeeld.nl")
    definition_id = service.save_definition(definition_data())
    old = _issue(service, definition_id)
    service.rotate_key()
    new = _issue(service, definition_id)
    assert old.credential["issuer"]["id"] == new.credential["issuer"]["id"] == "did:web:www.hogeschool-voorbeeld.nl"
    client = make_app(service, TESTING=True).test_client()
    document = client.get("/.well-known/did.json").get_json()
    assert len(document["assertionMethod"]) == 2
    verifier = Verifier(canon=canon, clock=clock, resolver=DidResolver(documents={document["id"]: document}))
    assert verifier.verify_credential(old.credential_json).verified
    assert verifier.verify_credential(new.credential_json).verified
    reopened = IssuerService.open(tmp_path / "w", clock=clock, canon=canon, public_base_url=BASE)
    assert reopened.key.id == service.key.id and reopened.did_document() == document


def test_did_key_issuer_has_no_did_document(client):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 404 and response.get_json()["code"] == "VC_ERROR"
