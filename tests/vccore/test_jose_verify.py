"""vccore's Verifier on JOSE-secured credentials: keys (did:key Ed25519/P-256, did:jwk, did:web,
kid bare or with a fragment), the clock, enveloped credentials in presentations, SD-JWT VC with
key binding, and the reading rule (only what the signature covers is in report.bodies)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from vccore import Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier, create_presentation, sign_presentation
from vccore.jose import b64url_encode, sign_compact
from vccore.josekeys import did_jwk, did_key_p256, ec_key_from_seed, okp_key, public_jwk
from vccore.joseverify import envelope
from vccore.sdjwt import add_key_binding, conceal, issue, select
from vccore.transport import StaticTransport

from ..conftest import load_example

NOW = dt.datetime(2026, 9, 1, 12, tzinfo=dt.timezone.utc)
ISSUER = KeyPair.generate(bytes.fromhex("9b" * 32))
HOLDER = KeyPair.generate(bytes.fromhex("a1" * 32))
P256 = ec_key_from_seed(bytes.fromhex("c3" * 32))


@pytest.fixture
def verifier(canon) -> Verifier:
    return Verifier(canon=canon, clock=FixedClock(NOW))


def body(issuer: str, holder: str = HOLDER.controller) -> dict:
    vc = load_example()
    vc["issuer"]["id"], vc["credentialSubject"]["id"] = issuer, holder
    vc.pop("credentialStatus", None)
    return vc


def jwt_vc_json(claims_extra=None, header_extra=None, issuer=ISSUER) -> str:
    vc = body(issuer.controller)
    claims = {"iss": issuer.controller, "sub": HOLDER.controller, "nbf": int(NOW.timestamp()) - 60, "vc": vc,
              **(claims_extra or {})}
    header = {"alg": "EdDSA", "typ": "JWT", "kid": issuer.id, **(header_extra or {})}
    return sign_compact(header, claims, okp_key(issuer.private_key))


def test_jwt_vc_json_with_a_vc2_body_verifies_and_its_body_is_the_signed_claim(verifier):
    report = verifier.verify(jwt_vc_json())
    assert report.verified, report.to_json()
    assert report.credentials[0]["format"] == "jwt_vc_json"
    assert report.bodies[""]["credentialSubject"]["achievement"]["name"]


@pytest.mark.parametrize("kid", [ISSUER.controller, "#" + ISSUER.public_multibase, None])
def test_kid_bare_fragment_or_absent(verifier, kid):
    token = jwt_vc_json(header_extra={"kid": kid} if kid else None)
    if kid is None:
        token = sign_compact({"alg": "EdDSA", "typ": "JWT"}, json.loads(_payload(token)), okp_key(ISSUER.private_key))
    assert verifier.verify(token).verified


def _payload(token: str) -> bytes:
    from vccore.jose import b64url_decode
    return b64url_decode(token.split(".")[1])


def test_key_of_another_did_is_refused(verifier):
    token = jwt_vc_json(header_extra={"kid": HOLDER.id})
    assert verifier.verify(token).codes() == {"INVALID_VERIFICATION_METHOD"}


def test_signed_by_another_key_than_kid_says(verifier):
    vc = body(ISSUER.controller)
    token = sign_compact({"alg": "EdDSA", "kid": ISSUER.id}, {"iss": ISSUER.controller, "vc": vc},
                         okp_key(HOLDER.private_key))
    assert verifier.verify(token).codes() == {"PROOF_VERIFICATION_ERROR"}


@pytest.mark.parametrize("claims,code,path", [
    ({"exp": int(NOW.timestamp()) - 3600}, "EXPIRED_ERROR", "/payload/exp"),
    ({"nbf": int(NOW.timestamp()) + 3600}, "NOT_YET_VALID_ERROR", "/payload/nbf"),
    ({"iat": int(NOW.timestamp()) + 3600}, "NOT_YET_VALID_ERROR", "/payload/iat"),
    ({"exp": "tomorrow"}, "MALFORMED_VALUE_ERROR", "/payload/exp"),
    ({"sub": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}, "MALFORMED_VALUE_ERROR", "/payload/sub"),
    ({"iss": HOLDER.controller}, "INVALID_VERIFICATION_METHOD", "/header/kid"),
])
def test_claims_against_the_clock_and_the_body(verifier, claims, code, path):
    report = verifier.verify(jwt_vc_json(claims))
    assert code in report.codes() and any(p.path == path for p in report.errors), report.to_json()


@pytest.mark.parametrize("alg", ["none", "HS256", "RS256", "ES512"])
def test_algorithms_outside_the_list_are_refused(verifier, alg):
    header = b64url_encode(json.dumps({"alg": alg}).encode())
    token = f"{header}.{jwt_vc_json().split('.')[1]}.AAAA"
    report = verifier.verify(token)
    assert report.codes() == {"JOSE_HEADER_ERROR"} and report.errors[0].path == "/header/alg"


def test_vc_jwt_es256_with_did_jwk_and_p256_did_key(verifier):
    for did in (did_jwk(P256), did_key_p256(P256)):
        token = sign_compact({"alg": "ES256", "typ": "vc+jwt", "cty": "vc", "kid": did + ("#0" if "jwk" in did else "")},
                             body(did), P256)
        report = verifier.verify(token)
        assert report.verified, report.to_json()
        assert report.credentials[0]["format"] == "vc+jwt"


def test_es256_header_with_an_ed25519_key_is_refused(verifier):
    token = jwt_vc_json()
    header = b64url_encode(json.dumps({"alg": "ES256", "kid": ISSUER.id}).encode())
    report = verifier.verify(header + "." + token.split(".", 1)[1])
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"} and report.errors[0].path == "/header/alg"


def test_did_web_issuer_through_the_injected_transport(canon):
    did = "did:web:badges.example.nl"
    doc = {"id": did, "verificationMethod": [{"id": did + "#key-1", "type": "JsonWebKey2020", "controller": did,
                                              "publicKeyJwk": public_jwk(P256)}], "assertionMethod": ["#key-1"]}
    transport = StaticTransport({"https://badges.example.nl/.well-known/did.json": json.dumps(doc).encode()})
    verifier = Verifier(canon=canon, clock=FixedClock(NOW), resolver=DidResolver(transport=transport))
    token = sign_compact({"alg": "ES256", "typ": "vc+jwt", "kid": did + "#key-1"}, body(did), P256)
    assert verifier.verify(token).verified
    assert Verifier(canon=canon, clock=FixedClock(NOW)).verify(token).codes() == {"INVALID_VERIFICATION_METHOD"}


def sd_jwt_vc(*, holder_jwk=None, hide=()) -> str:
    vc = body(ISSUER.controller)
    subject, disclosures = conceal(vc["credentialSubject"], [k for k in vc["credentialSubject"] if k not in ("id", "type")])
    payload = {**vc, "credentialSubject": subject, "iss": ISSUER.controller, "vct": "MicroCredential",
               "iat": int(NOW.timestamp()) - 60, "cnf": {"jwk": holder_jwk or public_jwk(okp_key(HOLDER.private_key))}}
    text = issue({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": ISSUER.id}, payload, disclosures,
                 okp_key(ISSUER.private_key))
    return select(text, lambda d: d.name not in hide)


def test_sd_jwt_vc_hides_what_the_holder_leaves_out(verifier):
    report = verifier.verify(sd_jwt_vc(hide=("result",)))
    assert report.verified, report.to_json()
    subject = report.bodies[""]["credentialSubject"]
    assert "result" not in subject and subject["achievement"]["name"]
    assert "_sd" not in subject and "_sd_alg" not in report.bodies[""]


def presented(canon, token: str, fmt: str, *, challenge="c" * 24, domain="https://verifier.example.nl"):
    vp = create_presentation([envelope(token, fmt)], holder=HOLDER.controller)
    return sign_presentation(vp, key=HOLDER, canon=canon, created="2026-09-01T11:59:00Z", challenge=challenge,
                             domain=domain)


def test_enveloped_jwt_in_a_holder_signed_presentation(verifier, canon):
    report = verifier.verify(presented(canon, jwt_vc_json(), "jwt_vc_json"), challenge="c" * 24,
                             domain="https://verifier.example.nl")
    assert report.verified, report.to_json()
    assert ("holder-binding", "passed") in {(c.name, c.status) for c in report.checks}
    assert "/verifiableCredential/0" in report.bodies


def test_enveloped_credential_bound_to_the_holders_key_as_did_jwk(verifier, canon):
    holder_jwk_did = did_jwk(okp_key(HOLDER.private_key))
    vc = body(ISSUER.controller, holder=holder_jwk_did)
    token = sign_compact({"alg": "EdDSA", "kid": ISSUER.id}, {"iss": ISSUER.controller, "vc": vc},
                         okp_key(ISSUER.private_key))
    report = verifier.verify(presented(canon, token, "jwt_vc_json"), challenge="c" * 24,
                             domain="https://verifier.example.nl")
    assert report.verified, report.to_json()


def test_enveloped_credential_of_someone_else_fails_holder_binding(verifier, canon):
    other = KeyPair.generate(bytes.fromhex("07" * 32))
    vc = body(ISSUER.controller, holder=other.controller)
    token = sign_compact({"alg": "EdDSA", "kid": ISSUER.id}, {"iss": ISSUER.controller, "vc": vc},
                         okp_key(ISSUER.private_key))
    report = verifier.verify(presented(canon, token, "jwt_vc_json"), challenge="c" * 24,
                             domain="https://verifier.example.nl")
    assert report.codes() == {"HOLDER_BINDING_ERROR"}


def test_sd_jwt_in_a_presentation_needs_a_key_binding_for_its_challenge(verifier, canon):
    holder_p256 = ec_key_from_seed(bytes.fromhex("d4" * 32))
    plain = sd_jwt_vc(holder_jwk=public_jwk(holder_p256))
    with_kb = add_key_binding(plain, holder_p256, alg="ES256", nonce="c" * 24, audience="https://verifier.example.nl",
                              iat=int(NOW.timestamp()))
    ok = verifier.verify(presented(canon, with_kb, "dc+sd-jwt"), challenge="c" * 24, domain="https://verifier.example.nl")
    assert ok.verified, ok.to_json()
    replayed = verifier.verify(presented(canon, with_kb, "dc+sd-jwt", challenge="d" * 24), challenge="d" * 24,
                               domain="https://verifier.example.nl")
    assert replayed.codes() == {"KEY_BINDING_ERROR"}
    missing = verifier.verify(presented(canon, plain, "dc+sd-jwt"), challenge="c" * 24,
                              domain="https://verifier.example.nl")
    assert "KEY_BINDING_ERROR" in missing.codes()


def test_malformed_envelope_is_a_coded_problem(verifier, canon):
    vp = create_presentation([{"@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiableCredential",
                               "id": "data:text/html,<b>"}], holder=HOLDER.controller)
    signed = sign_presentation(vp, key=HOLDER, canon=canon, created="2026-09-01T11:59:00Z")
    report = verifier.verify(signed)
    assert report.codes() == {"MALFORMED_VALUE_ERROR"} and report.errors[0].path == "/verifiableCredential/0/id"


@pytest.mark.parametrize("text,code", [
    ("eyJhbGciOiJFZERTQSJ9.e30", "PARSING_ERROR"),
    ("eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.@@@", "PARSING_ERROR"),
    ("eyJhbGciOiJFZERTQSJ9.WzFd.AAAA", "PARSING_ERROR"),
    ("eyJhbGciOiJFZERTQSIsImNyaXQiOlsieCJdLCJ4IjoxfQ.e30.AAAA", "JOSE_HEADER_ERROR"),
    ("eyJhbGciOiJFZERTQSIsInR5cCI6ImRjK3NkLWp3dCJ9.e30.AAAA~", "INVALID_VERIFICATION_METHOD"),
])
def test_malformed_tokens_get_coded_problems(verifier, text, code):
    report = verifier.verify(text)
    assert not report.verified and code in {p.code for p in report.problems}
