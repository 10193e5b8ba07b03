"""VC API POST /credentials/issue over IssuerService: status entries for VC 2.0, token protection."""

from __future__ import annotations

from vccore import Verifier

from .conftest import make_app, status_check


def _credential(service) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": service.key.controller, "credentialSubject": {"id": "did:example:123", "name": "Sanne"}}


def test_vc2_credential_gets_revocation_and_suspension_entries(service, client, canon, clock):
    response = client.post("/credentials/issue", json={"credential": _credential(service)})
    assert response.status_code == 201
    vc = response.get_json()["verifiableCredential"]
    assert [e["statusPurpose"] for e in vc["credentialStatus"]] == ["revocation", "suspension"]
    assert vc["credentialStatus"][0]["statusListCredential"].startswith("https://www.hogeschool-voorbeeld.nl/status/")
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    (record,) = service.records()
    assert record.credential == vc and record.participant_name == "Sanne"
    verifier = Verifier(canon=canon, clock=clock, status=status_check(client, canon, clock))
    assert verifier.verify_credential(vc).verified
    service.revoke(record.id, "test")
    assert verifier.verify_credential(vc).codes() == {"STATUS_REVOKED"}


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
