"""The W3C VC API endpoints as the W3C test suites drive them (docs/architecture.md, HTTP contract):
the issuer's POST /credentials/issue and the verifier's POST /credentials/verify and
POST /presentations/verify, through the real app factories."""

from __future__ import annotations

import copy

import pytest

from vccore import KeyPair, add_proof, create_presentation, sign_presentation

V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture
def issuer_client(tmp_path, issuer_key, clock):
    from issuer.app import create_app
    app = create_app({"KEY": issuer_key, "DATA_DIR": str(tmp_path / "issuer"), "TESTING": True, "CLOCK": clock,
                      "PUBLIC_BASE_URL": "https://issuer.example"})
    return app.test_client()


@pytest.fixture
def verifier_client(clock, canon):
    from verifier.app import create_app
    from verifier.service import VerifierService
    return create_app({"VERIFIER_SERVICE": VerifierService(canon=canon, clock=clock)}).test_client()


def credential(issuer: str) -> dict:
    return {"@context": [V2], "type": ["VerifiableCredential"], "issuer": issuer,
            "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:learner"}}


@pytest.mark.parametrize("body_options", [None, {}, {"unknownOption": True, "credentialId": "urn:x"}])
def test_issue_accepts_absent_empty_and_unknown_options(issuer_client, issuer_key, body_options):
    body = {"credential": credential(issuer_key.controller)}
    if body_options is not None:
        body["options"] = body_options
    response = issuer_client.post("/credentials/issue", json=body)
    assert response.status_code == 201, response.get_json()
    vc = response.get_json()["verifiableCredential"]
    assert vc["proof"]["type"] == "DataIntegrityProof" and vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert vc["proof"]["verificationMethod"] == issuer_key.id


def test_issue_with_jcs_on_request(issuer_client, issuer_key):
    response = issuer_client.post("/credentials/issue", json={"credential": credential(issuer_key.controller),
                                                               "options": {"cryptosuite": "eddsa-jcs-2022"}})
    assert response.status_code == 201
    assert response.get_json()["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-jcs-2022"


def _broken(issuer: str, change) -> dict:
    doc = credential(issuer)
    change(doc)
    return doc


MALFORMED = {
    "undefined term": (lambda d: d["credentialSubject"].update(favouriteColour="red"), "UNDEFINED_TERM_ERROR"),
    "unknown context": (lambda d: d["@context"].append("https://example.org/ctx.jsonld"), "UNKNOWN_CONTEXT_ERROR"),
    "wrong first context": (lambda d: d.update({"@context": ["https://example.org/ctx.jsonld", V2]}),
                            "MALFORMED_VALUE_ERROR"),
    "non-URL id": (lambda d: d.update(id="not a url"), "MALFORMED_VALUE_ERROR"),
    "non-URL issuer": (lambda d: d.update(issuer="issuer 1"), "MALFORMED_VALUE_ERROR"),
    "bad date": (lambda d: d.update(validFrom="2026-13-45"), "MALFORMED_VALUE_ERROR"),
    "date without time zone": (lambda d: d.update(validFrom="2026-01-01T00:00:00"), "MALFORMED_VALUE_ERROR"),
    "validUntil before validFrom": (lambda d: d.update(validUntil="2025-01-01T00:00:00Z"), "RANGE_ERROR"),
    "typed member without type": (lambda d: d.update(evidence=[{"id": "https://x.example/e"}]), "MALFORMED_VALUE_ERROR"),
    "no subject": (lambda d: d.pop("credentialSubject"), "MALFORMED_VALUE_ERROR"),
    "no VerifiableCredential type": (lambda d: d.update(type=["Other"]), "MALFORMED_VALUE_ERROR"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_issue_rejects_malformed_credentials(issuer_client, issuer_key, case):
    change, code = MALFORMED[case]
    response = issuer_client.post("/credentials/issue", json={"credential": _broken(issuer_key.controller, change)})
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'{"credential": "x"}', b"[" * 5000 + b"]" * 5000])
def test_issue_rejects_unusable_requests(issuer_client, raw):
    response = issuer_client.post("/credentials/issue", data=raw, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["code"] in ("PARSING_ERROR", "MALFORMED_VALUE_ERROR")


def test_verify_credential_200_and_400(verifier_client, signed_vc):
    ok = verifier_client.post("/credentials/verify", json={"verifiableCredential": signed_vc})
    body = ok.get_json()
    assert ok.status_code == 200 and body["verified"] is True and "proof" in body["checks"]
    assert set(body) >= {"verified", "checks", "warnings", "errors"}
    tampered = copy.deepcopy(signed_vc)
    tampered["credentialSubject"]["creditsEarned"] = 30
    bad = verifier_client.post("/credentials/verify", json={"verifiableCredential": tampered, "options": {}})
    assert bad.status_code == 400 and bad.get_json()["verified"] is False
    assert [e["code"] for e in bad.get_json()["errors"]] == ["PROOF_VERIFICATION_ERROR"]


def test_verify_accepts_proofs_by_any_ed25519_did_key(verifier_client, canon):
    stranger = KeyPair.generate()
    vc = add_proof(credential(stranger.controller), key=stranger, canon=canon, created="2026-06-01T00:00:00Z")
    response = verifier_client.post("/credentials/verify", json={"verifiableCredential": vc,
                                                                 "options": {"unknown": 1}})
    assert response.status_code == 200, response.get_json()


def test_verify_presentation_with_challenge_and_domain(verifier_client, signed_vc, holder_key, canon):
    vp = sign_presentation(create_presentation([signed_vc], holder=holder_key.controller), key=holder_key,
                           canon=canon, created="2026-09-01T11:59:00Z", challenge="c-1", domain="hr.example")
    ok = verifier_client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                             "options": {"challenge": "c-1", "domain": "hr.example"}})
    assert ok.status_code == 200, ok.get_json()
    wrong = verifier_client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                                "options": {"challenge": "c-2", "domain": "hr.example"}})
    assert wrong.status_code == 400
    assert "INVALID_CHALLENGE_ERROR" in [e["code"] for e in wrong.get_json()["errors"]]


@pytest.mark.parametrize("raw", [b"", b"{", b'{"verifiableCredential": 5}', b"[" * 5000 + b"]" * 5000])
def test_verify_rejects_unusable_requests(verifier_client, raw):
    response = verifier_client.post("/credentials/verify", data=raw, content_type="application/json")
    assert response.status_code == 400
