"""VC API POST /credentials/issue over IssuerService: status entries for VC 2.0 (or the caller's own),
token protection."""

from __future__ import annotations

import pytest

from vccore import Verifier

from issuer.errors import StatusChangeRefused

from .conftest import make_app, status_check


def _credential(service) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": service.key.controller, "credentialSubject": {"id": "did:example:123", "name": "Sanne"}}


def test_vc2_credential_gets_one_revocation_entry(service, client, canon, clock):
    response = client.post("/credentials/issue", json={"credential": _credential(service)})
    assert response.status_code == 201
    vc = response.get_json()["verifiableCredential"]
    assert vc["credentialStatus"]["statusPurpose"] == "revocation"
    assert vc["credentialStatus"]["statusListCredential"].startswith("https://www.hogeschool-voorbeeld.nl/status/")
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    (record,) = service.records()
    assert record.credential == vc and record.participant_name == "Sanne"
    verifier = Verifier(canon=canon, clock=clock, status=status_check(client, canon, clock))
    assert verifier.verify_credential(vc).verified
    service.revoke(record.id, "test")
    assert verifier.verify_credential(vc).codes() == {"STATUS_REVOKED"}


@pytest.mark.suspension
def test_with_suspension_a_vc2_credential_gets_both_entries(service, client, canon, clock):
    vc = client.post("/credentials/issue", json={"credential": _credential(service)}).get_json()["verifiableCredential"]
    assert [e["statusPurpose"] for e in vc["credentialStatus"]] == ["revocation", "suspension"]
    verifier = Verifier(canon=canon, clock=clock, status=status_check(client, canon, clock))
    (record,) = service.records()
    service.suspend(record.id, "onderzoek")
    assert verifier.verify_credential(vc).codes() == {"STATUS_SUSPENDED"}


CALLER_STATUS = {
    "one entry": {"id": "https://status.example/lists/3#94567", "type": "BitstringStatusListEntry",
                  "statusPurpose": "revocation", "statusListIndex": "94567",
                  "statusListCredential": "https://status.example/lists/3"},
    "two entries": [{"id": "https://status.example/lists/3#1", "type": "BitstringStatusListEntry",
                     "statusPurpose": "revocation", "statusListIndex": "1",
                     "statusListCredential": "https://status.example/lists/3"},
                    {"type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": "2",
                     "statusListCredential": "https://status.example/lists/4"}],
}


@pytest.mark.parametrize("status", CALLER_STATUS.values(), ids=CALLER_STATUS.keys())
def test_a_well_formed_caller_status_is_signed_as_given(service, client, canon, clock, status):
    """VC API (and the W3C VC 2.0 suite's §4.10 issue tests): the caller's credentialStatus, nothing added."""
    credential = dict(_credential(service), credentialStatus=status)
    response = client.post("/credentials/issue", json={"credential": credential})
    assert response.status_code == 201, response.get_json()
    vc = response.get_json()["verifiableCredential"]
    assert vc["credentialStatus"] == status
    assert {k: v for k, v in vc.items() if k != "proof"} == credential
    assert Verifier(canon=canon, clock=clock).verify_credential(vc).verified
    assert service.registry.query("SELECT COUNT(*) FROM status_entries")[0][0] == 0
    (record,) = service.records()
    with pytest.raises(StatusChangeRefused):  # not ours to revoke: the caller runs that list
        service.revoke(record.id, "x")


ENTRY = CALLER_STATUS["one entry"]
MALFORMED_STATUS = {
    "no type": ({k: v for k, v in ENTRY.items() if k != "type"}, "/credential/credentialStatus/type"),
    "empty type": (dict(ENTRY, type=""), "/credential/credentialStatus/type"),
    "type not a string": (dict(ENTRY, type=7), "/credential/credentialStatus/type"),
    "empty type list": (dict(ENTRY, type=[]), "/credential/credentialStatus/type"),
    "id not a URL": (dict(ENTRY, id="not a url"), "/credential/credentialStatus/id"),
    "id a number": (dict(ENTRY, id=5), "/credential/credentialStatus/id"),
    "a string": ("https://status.example/lists/3#1", "/credential/credentialStatus"),
    "null": (None, "/credential/credentialStatus"),
    "empty array": ([], "/credential/credentialStatus"),
    "array with a string": ([ENTRY, "x"], "/credential/credentialStatus/1"),
    "array entry without type": ([ENTRY, {"id": "https://status.example/x"}], "/credential/credentialStatus/1/type"),
    "BSL entry without index": ({k: v for k, v in ENTRY.items() if k != "statusListIndex"},
                                "/credential/credentialStatus/statusListIndex"),
    "BSL entry with a relative list URL": (dict(ENTRY, statusListCredential="/lists/3"),
                                           "/credential/credentialStatus/statusListCredential"),
}


@pytest.mark.parametrize("status, path", MALFORMED_STATUS.values(), ids=MALFORMED_STATUS.keys())
def test_a_malformed_caller_status_is_a_400_problem(service, client, status, path):
    response = client.post("/credentials/issue", json={"credential": dict(_credential(service), credentialStatus=status)})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert (response.get_json()["code"], response.get_json()["path"]) == ("MALFORMED_VALUE_ERROR", path)
    assert service.records() == []
    assert service.registry.query("SELECT COUNT(*) FROM status_entries")[0][0] == 0


def test_jcs_suite_and_vc11_without_status(service, client):
    vc11 = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
            "issuer": service.key.controller, "issuanceDate": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:123"}}
    response = client.post("/credentials/issue", json={"credential": vc11, "options": {"cryptosuite": "eddsa-jcs-2022"}})
    assert response.status_code == 201
    vc = response.get_json()["verifiableCredential"]
    assert "credentialStatus" not in vc and vc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    refused = client.post("/credentials/issue", json={"credential": vc11, "options": {"credentialStatus": {"type": "x"}}})
    assert refused.status_code == 400 and refused.get_json()["path"] == "/options/credentialStatus"


def test_bad_requests_are_coded_problems(service, client):
    cases = [
        (b"{", 400, "PARSING_ERROR"),
        (b"[]", 400, "MALFORMED_VALUE_ERROR"),
        (b'{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],'
         b' "issuer": "did:key:z6Mkother", "credentialSubject": {"id": "did:example:1"}}}', 400, "MALFORMED_VALUE_ERROR"),
        (b'{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],'
         b' "issuer": "x", "credentialSubject": {}, "credentialStatus": []}}', 400, "MALFORMED_VALUE_ERROR"),
    ]
    for body, status, code in cases:
        response = client.post("/credentials/issue", data=body, content_type="application/json")
        assert (response.status_code, response.get_json()["code"]) == (status, code)
        assert response.mimetype == "application/problem+json"
    undefined = dict(_credential(service), favouriteColour="red")
    response = client.post("/credentials/issue", json={"credential": undefined})
    assert (response.status_code, response.get_json()["code"]) == (422, "UNDEFINED_TERM_ERROR")
    assert service.records() == []
    assert service.registry.query("SELECT COUNT(*) FROM status_entries")[0][0] == 0


def test_token_protection_outside_test_mode(service):
    closed = make_app(service).test_client()
    response = closed.post("/credentials/issue", json={"credential": _credential(service)})
    assert (response.status_code, response.get_json()["code"]) == (403, "UNAUTHORIZED")
    guarded = make_app(service, VC_API_TOKEN="s3cret-token").test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"}):
        response = guarded.post("/credentials/issue", json={"credential": _credential(service)}, headers=headers)
        assert (response.status_code, response.get_json()["code"]) == (401, "UNAUTHORIZED")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    ok = guarded.post("/credentials/issue", json={"credential": _credential(service)},
                      headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 201


def test_bearer_scheme_is_case_insensitive_the_token_is_not(service):
    """RFC 7235 §2.1 and RFC 6750 §2.1: the auth-scheme is case-insensitive."""
    guarded = make_app(service, VC_API_TOKEN="s3cret-token").test_client()
    accepted = ["Bearer s3cret-token", "bearer s3cret-token", "BEARER s3cret-token", "bEaReR s3cret-token",
                "Bearer  s3cret-token", " Bearer s3cret-token "]
    refused = ["Bearer S3CRET-TOKEN", "Bearer s3cret-token2", "Bearer s3cret-toke", "Bearers3cret-token",
               "Bearer", "Bearer ", "s3cret-token", "Token s3cret-token", "Basic s3cret-token",
               "Bearer s3cret-token extra", "Bearer\ts3cret-token"]
    for header in accepted:
        response = guarded.post("/credentials/issue", json={"credential": _credential(service)},
                                headers={"Authorization": header})
        assert response.status_code == 201, header
    for header in refused:
        response = guarded.post("/credentials/issue", json={"credential": _credential(service)},
                                headers={"Authorization": header})
        assert (response.status_code, response.get_json()["code"]) == (401, "UNAUTHORIZED"), header
    assert len(service.records()) == len(accepted)
