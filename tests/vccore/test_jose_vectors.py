"""JOSE test vectors from the agents' public repositories and the IETF SD-JWT VC draft
(tests/vectors/*/SOURCE.md): each verifies, and changing any signed byte makes it fail."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from vccore.jose import b64url_decode, b64url_encode, parse_compact
from vccore.josekeys import JoseKeys, import_public_jwk
from vccore.jwtvc import verify_jwt_vc
from vccore.report import VerificationReport
from vccore.sdjwt import parse_sd_jwt, process
from vccore.sdjwtvc import verify_sd_jwt_vc

from ..conftest import VECTORS

SDJWT = VECTORS / "sd-jwt-vc"
KEYS = json.loads((SDJWT / "keys.json").read_text())
KB_IAT = 1787325881  # the KB-JWTs' iat in the draft
NOW = dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc)

JWT_VECTORS = [  # (file, format, expected issuer)
    ("ssi-agent-jwt-vc/openbadge-credential.jwt", "jwt_vc_json",
     "did:key:z6MkgE84NCMpMeAx9jK9cf5W4G8gcZ9xuwJvG1e7wNk8KCgt"),
    ("ssi-agent-jwt-vc/w3c-vc.jwt", "jwt_vc_json", "did:key:z6MkgE84NCMpMeAx9jK9cf5W4G8gcZ9xuwJvG1e7wNk8KCgt"),
    ("veramo-agent-jose/jose-test-es256-did-jwk.jwt", "vc+jwt", None),
    ("veramo-peer/issued.jwt", "jwt_vc_json", "did:key:z6MknR4CdrFN1nKzUUfxMPhgY9EeeRw61shypC7yJVfKe4DH"),
    ("veramo-peer/issued-with-tx-code.jwt", "jwt_vc_json", "did:key:z6MknR4CdrFN1nKzUUfxMPhgY9EeeRw61shypC7yJVfKe4DH"),
]
SD_VECTORS = [  # (file, issuer, expected processed payload, key bound)
    ("figure-07-issued-sd-jwt-vc.txt", "https://example.com/issuer", None, False),
    ("figure-08-presented-sd-jwt-kb.txt", "https://example.com/issuer", "figure-09-verified-payload.json", True),
    ("figure-10-presented-sd-jwt.txt", "https://example.com/issuer", "figure-11-processed-payload.json", False),
    ("figure-24-pid-issued.txt", "https://pid-issuer.aendgard.example", None, False),
    ("figure-26-pid-presented-kb.txt", "https://pid-issuer.aendgard.example",
     "figure-28-pid-processed-payload.json", True),
]


def draft_keys() -> JoseKeys:
    """The draft's issuer key, as JWT VC Issuer Metadata of both example issuers would publish it."""
    jwk = dict(KEYS["issuer_key"], kid="doc-signer-05-25-2022")
    return JoseKeys(issuers={iss: {"issuer": iss, "jwks": {"keys": [jwk]}}
                             for iss in ("https://example.com/issuer", "https://pid-issuer.aendgard.example")})


def verify_jwt(token: str) -> tuple[VerificationReport, object]:
    report = VerificationReport()
    try:
        parsed = parse_compact(token)
    except Exception as exc:  # noqa: BLE001 - a coded parse error is a failure too
        report.fail(exc)
        return report, None
    return report, verify_jwt_vc(parsed, keys=JoseKeys(), now=NOW, report=report)


def verify_sd(text: str, *, at: int = KB_IAT) -> tuple[VerificationReport, object]:
    report = VerificationReport()
    try:
        sd = parse_sd_jwt(text)
    except Exception as exc:  # noqa: BLE001
        report.fail(exc)
        return report, None
    now = dt.datetime.fromtimestamp(at, dt.timezone.utc)
    bound = not text.endswith("~")  # a presentation with a KB-JWT: the verifier's nonce and audience
    return report, verify_sd_jwt_vc(sd, keys=draft_keys(), now=now, report=report,
                                    nonce=KEYS["key_binding_nonce"] if bound else None,
                                    audience=KEYS["verifier"] if bound else None)


def signed_variants(token: str):
    """Every byte of the JWS signing input (decoded header and payload) xor 1, re-encoded."""
    header, payload, signature = token.split(".")
    for part in (0, 1):
        raw = bytearray(b64url_decode((header, payload)[part]))
        for i in range(len(raw)):
            changed = bytearray(raw)
            changed[i] ^= 0x01
            parts = [header, payload, signature]
            parts[part] = b64url_encode(bytes(changed))
            yield ".".join(parts)


@pytest.mark.parametrize("name,fmt,issuer", JWT_VECTORS)
def test_jwt_vectors_verify(name, fmt, issuer):
    report, credential = verify_jwt((VECTORS / name).read_text().strip())
    assert report.verified, report.to_json()
    assert credential.format == fmt
    assert issuer is None or credential.signer == issuer
    assert {c.name for c in report.checks} >= {"proof", "validity", "data-model"}


@pytest.mark.parametrize("name,fmt,issuer", JWT_VECTORS)
def test_jwt_vectors_fail_for_every_changed_signed_byte(name, fmt, issuer):
    token = (VECTORS / name).read_text().strip()
    count = 0
    for variant in signed_variants(token):
        report, _ = verify_jwt(variant)
        assert not report.verified, variant
        count += 1
    assert count > 300


def test_veramo_peer_credential_is_read_from_its_vc_claim_completed_by_the_jwt_claims():
    """VC 1.1 §6.3.1: the agent's vc has no issuer or issuanceDate; iss and nbf give them."""
    report, credential = verify_jwt((VECTORS / "veramo-peer/issued.jwt").read_text().strip())
    assert credential.body["issuer"] == credential.signer
    assert credential.body["issuanceDate"] == "2025-01-01T00:00:00Z"
    assert credential.body["credentialSubject"]["id"] == credential.claims["sub"]


def test_jwt_vc_json_body_is_the_signed_vc_claim():
    report, credential = verify_jwt((VECTORS / "ssi-agent-jwt-vc/openbadge-credential.jwt").read_text().strip())
    assert credential.body["credentialSubject"]["achievement"]["name"] == "Teamwork"
    assert credential.body["issuer"] == credential.signer


@pytest.mark.parametrize("name,issuer,expected,bound", SD_VECTORS)
def test_sd_jwt_vc_vectors_verify(name, issuer, expected, bound):
    report, credential = verify_sd((SDJWT / name).read_text().strip())
    assert report.verified, report.to_json()
    assert credential.signer == issuer and credential.key_bound is bound
    if expected:
        assert credential.body == json.loads((SDJWT / expected).read_text())


@pytest.mark.parametrize("name,issuer,expected,bound", SD_VECTORS)
def test_sd_jwt_vc_vectors_fail_for_every_changed_byte(name, issuer, expected, bound):
    """Issuer-signed JWT, every disclosure and the KB-JWT: each changed byte refuses it."""
    text = (SDJWT / name).read_text().strip()
    parts = text.split("~")
    variants = ["~".join([v, *parts[1:]]) for v in signed_variants(parts[0])]
    for i in range(1, len(parts) - 1):  # disclosures: change the disclosed JSON
        raw = bytearray(b64url_decode(parts[i]))
        for j in range(0, len(raw), 3):
            changed = bytearray(raw)
            changed[j] ^= 0x01
            variants.append("~".join([*parts[:i], b64url_encode(bytes(changed)), *parts[i + 1:]]))
    if parts[-1]:
        variants += ["~".join([*parts[:-1], v]) for v in signed_variants(parts[-1])]
    for variant in variants:
        report, _ = verify_sd(variant)
        assert not report.verified
    assert len(variants) > 500


def test_sd_jwt_disclosure_not_in_the_payload_is_refused():
    text = (SDJWT / "figure-10-presented-sd-jwt.txt").read_text().strip()
    foreign = (SDJWT / "figure-26-pid-presented-kb.txt").read_text().split("~")[1]
    report, _ = verify_sd(text.rstrip("~") + "~" + foreign + "~")
    assert report.codes() == {"SD_JWT_DISCLOSURE_ERROR"}
    assert report.errors[0].path.startswith("/disclosures/")


def test_sd_jwt_dropping_a_disclosure_hides_only_that_claim():
    text = (SDJWT / "figure-10-presented-sd-jwt.txt").read_text().strip()
    parts = text.split("~")
    sd = parse_sd_jwt("~".join([parts[0], parts[1], ""]))
    assert "address" not in process(sd.jws.claims(), sd.disclosures).payload


def test_key_binding_checks_nonce_audience_and_freshness():
    text = (SDJWT / "figure-08-presented-sd-jwt-kb.txt").read_text().strip()
    sd = parse_sd_jwt(text)
    at = dt.datetime.fromtimestamp(KB_IAT, dt.timezone.utc)
    for nonce, audience, now, path in (("other", KEYS["verifier"], at, "/kb/payload/nonce"),
                                       (KEYS["key_binding_nonce"], "https://other.example", at, "/kb/payload/aud"),
                                       (KEYS["key_binding_nonce"], KEYS["verifier"], at + dt.timedelta(hours=1),
                                        "/kb/payload/iat")):
        report = VerificationReport()
        verify_sd_jwt_vc(sd, keys=draft_keys(), now=now, report=report, nonce=nonce, audience=audience)
        assert report.codes() == {"KEY_BINDING_ERROR"} and report.errors[0].path == path


def test_presentation_without_key_binding_is_refused_when_a_nonce_is_expected():
    sd = parse_sd_jwt("~".join((SDJWT / "figure-08-presented-sd-jwt-kb.txt").read_text().strip().split("~")[:-1]) + "~")
    report = VerificationReport()
    verify_sd_jwt_vc(sd, keys=draft_keys(), now=NOW, report=report, nonce="n-1", audience=KEYS["verifier"])
    assert report.codes() == {"KEY_BINDING_ERROR"}


def test_issuer_key_from_metadata_must_match_the_kid():
    jwk = dict(KEYS["holder_key"], kid="doc-signer-05-25-2022")  # the wrong key under the right kid
    keys = JoseKeys(issuers={"https://example.com/issuer": {"issuer": "https://example.com/issuer",
                                                            "jwks": {"keys": [jwk]}}})
    report = VerificationReport()
    verify_sd_jwt_vc(parse_sd_jwt((SDJWT / "figure-07-issued-sd-jwt-vc.txt").read_text().strip()), keys=keys,
                     now=NOW, report=report)
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}


def test_holder_key_in_draft_examples_is_the_settings_holder_key():
    sd = parse_sd_jwt((SDJWT / "figure-07-issued-sd-jwt-vc.txt").read_text().strip())
    cnf = sd.jws.claims()["cnf"]["jwk"]
    assert import_public_jwk(cnf).as_dict() == import_public_jwk(KEYS["holder_key"]).as_dict()
