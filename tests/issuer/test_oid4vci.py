"""OpenID4VCI 1.0 pre-authorized code flow of the issuer app (the profile shared with the wallet)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse

import jwt
import pytest
from werkzeug.security import generate_password_hash

from vccore import KeyPair
from issuer import oid4vci
from issuer.app import create_app
from issuer.model import InstitutionProfile, MicrocredentialDefinition, Participant

ISSUER_URL = "https://badges.hogeschool-voorbeeld.nl"
STAFF = {"staff": generate_password_hash("correct horse battery")}
OTHER_SEED = bytes.fromhex("c3" * 32)

DEFINITION = {
    "title": "Data-gedreven besluitvorming in de zorg", "course_code": "HV-DBZ-2026",
    "description": "Zorgdata verzamelen, analyseren en er beslissingen mee onderbouwen.",
    "criteria": "Praktijkopdracht en mondeling examen met goed gevolg afgelegd.",
    "nlqf_level": "6", "ects": 5,
    "learning_outcomes": [{"name": "Zorgdata verzamelen", "description": "Verzamelt relevante zorgdata."},
                          {"name": "Analyseren", "description": "Analyseert zorgdata statistisch."}],
    "assessment_type": "Praktijkopdracht", "participation_form": "Blended",
    "identity_check": "Toetsing onder toezicht", "info_url": "https://www.hogeschool-voorbeeld.nl/mc/dbz",
}
INSTITUTION = {"name": "Hogeschool Voorbeeld", "brin": "99XX", "url": "https://www.hogeschool-voorbeeld.nl"}


def make_app(tmp_path, issuer_key, clock, canon, **extra):
    config = {"DATA_DIR": tmp_path / "data", "KEY": issuer_key, "CLOCK": clock, "CANONICALIZER": canon,
              "TESTING": True, "USERS": STAFF, "SECRET_KEY": "test-secret",
              "PUBLIC_BASE_URL": ISSUER_URL,
              "INSTITUTION": InstitutionProfile.model_validate(INSTITUTION)}
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(request, tmp_path, issuer_key, clock, canon):
    """The issuer app; its institution uses suspension when the test is marked `suspension`."""
    suspension = request.node.get_closest_marker("suspension") is not None
    return make_app(tmp_path, issuer_key, clock, canon,
                    INSTITUTION=InstitutionProfile.model_validate({**INSTITUTION, "suspension": suspension}))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def definition_id(app):
    service = app.extensions["issuer_service"]
    return service.save_definition(MicrocredentialDefinition.model_validate(DEFINITION))


def new_offer(app, definition_id, clock, name="Sanne de Vries") -> oid4vci.Offer:
    """What the staff UI does: a pending credential from the service, then a pre-authorized code."""
    participant = Participant(name=name, result="8", award_date=dt.date(2026, 6, 30))
    pending = app.extensions["issuer_service"].offer(definition_id, participant)
    return oid4vci.create_offer(app.extensions["oid4vci_store"], pending, credential_issuer=ISSUER_URL,
                                now=clock.now(), ttl=app.config["OFFER_TTL"])


def offer_from_link(link: str) -> dict:
    assert link.startswith("openid-credential-offer://?credential_offer=")
    query = urllib.parse.urlsplit(link).query
    return json.loads(urllib.parse.parse_qs(query)["credential_offer"][0])


def proof_jwt(key: KeyPair, nonce: str, clock, *, kid: str | None = None, aud: str = ISSUER_URL,
              typ: str = "openid4vci-proof+jwt", **claims) -> str:
    body = {"aud": aud, "iat": int(clock.now().timestamp()), "nonce": nonce, **claims}
    return jwt.encode(body, key.private_key, algorithm="EdDSA", headers={"typ": typ, "kid": kid or key.id})


def get_token(client, code: str):
    return client.post("/oid4vci/token", data={"grant_type": oid4vci.GRANT_TYPE, "pre-authorized_code": code})


def get_nonce(client) -> str:
    return client.post("/oid4vci/nonce").get_json()["c_nonce"]


def credential_request(client, token: str, proof: object, configuration: str = "MicroCredential"):
    body = {"credential_configuration_id": configuration, "proofs": {"jwt": [proof]}}
    return client.post("/oid4vci/credential", json=body, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def offer(app, definition_id, clock):
    return new_offer(app, definition_id, clock)


@pytest.fixture
def token(client, offer):
    return get_token(client, offer.code).get_json()["access_token"]


# --- metadata and offers --------------------------------------------------------------------

def test_issuer_metadata_follows_the_profile(client):
    meta = client.get("/.well-known/openid-credential-issuer").get_json()
    assert meta["credential_issuer"] == ISSUER_URL
    assert meta["credential_endpoint"] == ISSUER_URL + "/oid4vci/credential"
    assert meta["nonce_endpoint"] == ISSUER_URL + "/oid4vci/nonce"
    assert {d["locale"] for d in meta["display"]} == {"nl", "en"}
    config = meta["credential_configurations_supported"]["MicroCredential"]
    assert config == {
        "format": "ldp_vc",
        "credential_definition": {"@context": ["https://www.w3.org/ns/credentials/v2",
                                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                                  "type": ["VerifiableCredential", "OpenBadgeCredential"]},
        "cryptographic_binding_methods_supported": ["did:key"],
        "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}}
    auth = client.get("/.well-known/oauth-authorization-server").get_json()
    assert auth["issuer"] == ISSUER_URL and auth["token_endpoint"] == ISSUER_URL + "/oid4vci/token"
    assert auth["pre-authorized_grant_anonymous_access_supported"] is True


def test_issuer_url_is_the_request_host_without_public_base_url(tmp_path, issuer_key, clock, canon):
    app = make_app(tmp_path, issuer_key, clock, canon, PUBLIC_BASE_URL=None)
    meta = app.test_client().get("/.well-known/openid-credential-issuer", base_url="http://issuer.test:8001")
    assert meta.get_json()["credential_issuer"] == "http://issuer.test:8001"


def test_offer_link_is_a_credential_offer_by_value(offer):
    assert offer_from_link(offer.link) == {
        "credential_issuer": ISSUER_URL, "credential_configuration_ids": ["MicroCredential", "MicroCredentialSdJwt"],
        "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": offer.code}}}


# --- the full flow ----------------------------------------------------------------------------

def test_pre_authorized_flow_binds_the_credential_to_the_holder_did(app, client, offer, holder_key, clock,
                                                                   verifier):
    code = offer_from_link(offer.link)["grants"][oid4vci.GRANT_TYPE]["pre-authorized_code"]
    token_reply = get_token(client, code)
    assert token_reply.status_code == 200 and token_reply.headers["Cache-Control"] == "no-store"
    body = token_reply.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    nonce = get_nonce(client)
    reply = credential_request(client, body["access_token"], proof_jwt(holder_key, nonce, clock))
    assert reply.status_code == 200, reply.get_data(as_text=True)
    vc = reply.get_json()["credentials"][0]["credential"]
    assert vc["credentialSubject"]["id"] == holder_key.controller
    assert vc["issuer"]["id"] == app.extensions["issuer_service"].key.controller
    report = verifier.verify_credential(vc)
    assert report.verified, report.to_json()
    record = app.extensions["issuer_service"].records()[0]
    assert record.holder_did == holder_key.controller
    assert record.credential_json in reply.get_data()  # the stored bytes, not a re-serialisation


# --- refusals (each names the error the profile gives it) -------------------------------------

def test_offer_redeemed_twice_is_refused(client, offer):
    assert get_token(client, offer.code).status_code == 200
    second = get_token(client, offer.code)
    assert second.status_code == 400 and second.get_json()["error"] == "invalid_grant"


def test_expired_offer_is_refused(client, offer, clock):
    clock.advance(days=7, seconds=1)
    reply = get_token(client, offer.code)
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_grant"


def test_unknown_code_and_wrong_grant_type_are_refused(client):
    assert get_token(client, "not-a-code").get_json()["error"] == "invalid_grant"
    reply = client.post("/oid4vci/token", data={"grant_type": "authorization_code", "code": "x"})
    assert reply.status_code == 400 and reply.get_json()["error"] == "unsupported_grant_type"
    reply = client.post("/oid4vci/token", data={"grant_type": oid4vci.GRANT_TYPE})
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_request"


def test_proof_by_another_key_is_refused(client, token, holder_key, clock):
    """A JWT whose kid names the holder's did:key but that another key signed."""
    other = KeyPair.generate(OTHER_SEED)
    reply = credential_request(client, token, proof_jwt(other, get_nonce(client), clock, kid=holder_key.id))
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_proof"
    # the refused proof did not use up the token: the real holder can still collect
    good = credential_request(client, token, proof_jwt(holder_key, get_nonce(client), clock))
    assert good.status_code == 200


@pytest.mark.parametrize("change", [
    {"aud": "https://other-issuer.example"},
    {"typ": "JWT"},
    {"iat_offset": -301},
    {"iat_offset": 400},
    {"iss": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
    {"kid": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},  # no fragment
    {"kid": "did:web:example.com#key-1"},
])
def test_bad_proofs_are_refused(client, token, holder_key, clock, change):
    change = dict(change)
    offset = change.pop("iat_offset", 0)
    nonce = get_nonce(client)
    claims = {"iat": int(clock.now().timestamp()) + offset}
    proof = proof_jwt(holder_key, nonce, clock, **{**claims, **change})
    reply = credential_request(client, token, proof)
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_proof"


def test_nonce_not_issued_here_is_a_bad_proof(client, token, holder_key, clock):
    reply = credential_request(client, token, proof_jwt(holder_key, "made-up-nonce", clock))
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_proof"


def test_used_nonce_is_refused(app, client, definition_id, holder_key, clock):
    nonce = get_nonce(client)
    first = get_token(client, new_offer(app, definition_id, clock).code).get_json()["access_token"]
    assert credential_request(client, first, proof_jwt(holder_key, nonce, clock)).status_code == 200
    second = get_token(client, new_offer(app, definition_id, clock, "Jan").code).get_json()["access_token"]
    reply = credential_request(client, second, proof_jwt(holder_key, nonce, clock))
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_nonce"


def test_expired_nonce_is_refused(app, client, definition_id, holder_key, clock):
    nonce = get_nonce(client)
    clock.advance(minutes=6)
    token = get_token(client, new_offer(app, definition_id, clock).code).get_json()["access_token"]
    reply = credential_request(client, token, proof_jwt(holder_key, nonce, clock))
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_nonce"


def test_missing_unknown_and_reused_tokens_are_refused(client, token, holder_key, clock):
    reply = client.post("/oid4vci/credential", json={"credential_configuration_id": "MicroCredential"})
    assert reply.status_code == 401 and reply.get_json()["error"] == "invalid_token"
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    reply = credential_request(client, "forged-token", proof_jwt(holder_key, get_nonce(client), clock))
    assert reply.status_code == 401 and reply.get_json()["error"] == "invalid_token"
    assert credential_request(client, token, proof_jwt(holder_key, get_nonce(client), clock)).status_code == 200
    again = credential_request(client, token, proof_jwt(holder_key, get_nonce(client), clock))
    assert again.status_code == 401 and again.get_json()["error"] == "invalid_token"


def test_expired_token_is_refused(client, token, holder_key, clock):
    clock.advance(seconds=301)
    reply = credential_request(client, token, proof_jwt(holder_key, get_nonce(client), clock))
    assert reply.status_code == 401 and reply.get_json()["error"] == "invalid_token"


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"credential_configuration_id": "MicroCredential"}',
    b'{"credential_configuration_id": "MicroCredential", "proofs": {"jwt": []}}',
    b'{"credential_configuration_id": "MicroCredential", "proofs": {"jwt": ["a", "b"]}}',
    b'{"credential_configuration_id": "MicroCredential", "proofs": {"jwt": [42]}}',
    b'{"credential_configuration_id": "MicroCredential", "proofs": {"jwt": "x", "ldp_vp": []}}',
    b'{"credential_configuration_id": "MicroCredential", "proof": {"proof_type": "jwt", "jwt": "x"}}',
    b"[" * 5000 + b"]" * 5000,
])
def test_malformed_credential_requests_are_refused(client, token, body):
    reply = client.post("/oid4vci/credential", data=body, content_type="application/json",
                        headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_credential_request"


def test_unknown_credential_configuration_is_refused(client, token, holder_key, clock):
    reply = credential_request(client, token, proof_jwt(holder_key, get_nonce(client), clock), "Diploma")
    assert reply.status_code == 400 and reply.get_json()["error"] == "unknown_credential_configuration"


@pytest.mark.parametrize("proof", ["", "a.b.c", "x" * 9000, "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_proofs_are_refused_without_a_crash(client, token, proof):
    reply = credential_request(client, token, proof)
    assert reply.status_code == 400 and reply.get_json()["error"] == "invalid_proof"


# --- the VC API issue endpoint ----------------------------------------------------------------

def test_vc_api_issue_needs_a_token_outside_test_mode(tmp_path, issuer_key, clock, canon, unsigned_vc):
    app = make_app(tmp_path, issuer_key, clock, canon, TESTING=False, VC_API_TOKEN="s3cret-token")
    client = app.test_client()
    body = {"credential": {k: v for k, v in unsigned_vc.items() if k != "credentialStatus"}, "options": {}}
    refused = client.post("/credentials/issue", json=body)
    assert refused.status_code == 401 and refused.get_json()["code"] == "UNAUTHORIZED"
    wrong = client.post("/credentials/issue", json=body, headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.get_json()["code"] == "UNAUTHORIZED"
    accepted = client.post("/credentials/issue", json=body, headers={"Authorization": "Bearer s3cret-token"})
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    assert accepted.get_json()["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_vc_api_issue_is_closed_without_a_token_outside_test_mode(tmp_path, issuer_key, clock, canon,
                                                                   unsigned_vc, monkeypatch):
    monkeypatch.delenv("VC_API_TOKEN", raising=False)
    app = make_app(tmp_path, issuer_key, clock, canon, TESTING=False)
    reply = app.test_client().post("/credentials/issue", json={"credential": unsigned_vc})
    assert reply.status_code == 403 and reply.get_json()["code"] == "UNAUTHORIZED"


def test_vc_api_issue_is_open_in_test_mode(client, unsigned_vc):
    credential = {k: v for k, v in unsigned_vc.items() if k != "credentialStatus"}
    reply = client.post("/credentials/issue", json={"credential": credential})
    assert reply.status_code == 201, reply.get_data(as_text=True)


def test_forwarded_headers_count_only_behind_a_trusted_proxy(tmp_path, issuer_key, clock, canon, monkeypatch):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "badges.example.nl"}
    plain = make_app(tmp_path / "a", issuer_key, clock, canon, PUBLIC_BASE_URL=None).test_client()
    meta = plain.get("/.well-known/openid-credential-issuer", headers=headers).get_json()
    assert meta["credential_issuer"] == "http://localhost"
    monkeypatch.setenv("VC_TRUST_PROXY", "1")
    proxied = make_app(tmp_path / "b", issuer_key, clock, canon, PUBLIC_BASE_URL=None).test_client()
    meta = proxied.get("/.well-known/openid-credential-issuer", headers=headers).get_json()
    assert meta["credential_issuer"] == "https://badges.example.nl"
    assert meta["credential_endpoint"] == "https://badges.example.nl/oid4vci/credential"


def test_concurrent_redemptions_of_one_code_give_one_token(app, offer):
    import threading

    from issuer.oid4vci_state import InvalidGrant

    store, results = app.extensions["oid4vci_store"], []

    def redeem():
        try:
            results.append(store.redeem_code(offer.code))
        except InvalidGrant as exc:
            results.append(exc.code)
    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r == "INVALID_GRANT" for r in results) == [False] + [True] * 7
