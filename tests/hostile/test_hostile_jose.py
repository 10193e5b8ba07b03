"""Hostile corpus, JOSE credentials (docs/jose-formats.md): each case runs in a fresh,
memory-limited interpreter (bounds.run_bounded), goes through vccore's Verifier as the verifier's
intake hands it over, expects its problem code, and asserts a time and a memory bound.

| attack | expected |
|---|---|
| 600 disclosures (over the cap of 512) | `PARSING_ERROR` |
| a disclosure nested 10,000 levels deep | `SD_JWT_DISCLOSURE_ERROR` (depth limit before any digest is trusted) |
| 500 disclosures all with the same digest (duplicates) | `SD_JWT_DISCLOSURE_ERROR` |
| a header of 100 KB (a did:jwk kid bomb) | `PARSING_ERROR` |
| a payload of 3 MB | `PARSING_ERROR` (larger than the 1 MiB document limit) |
| alg none / HS256 with the issuer's public key as secret | `JOSE_HEADER_ERROR` |
| a Token Status List whose `lst` inflates to 64 MiB | status unchecked, `STATUS_VERIFICATION_ERROR` ("expands beyond") |
| a did:jwk of 1 MB in kid | `PARSING_ERROR` / `INVALID_VERIFICATION_METHOD` |
"""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from .bounds import run_bounded

HERE = "tests.hostile.test_hostile_jose"
SEED = "9b" * 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


# The cases (run inside the bounded subprocess).

def verify_case(text: str) -> dict:
    from vccore import FixedClock, Verifier
    report = Verifier(clock=FixedClock("2026-09-01T12:00:00Z")).verify(text)
    return {"verified": report.verified, "codes": sorted({p.code for p in report.problems})}


def token_status_case(lst: str) -> dict:
    from vccore import FixedClock, KeyPair, Verifier
    from vccore.jose import sign_compact
    from vccore.josekeys import okp_key
    from vccore.sdjwt import issue
    from vccore.tokenstatus import TokenStatusChecker
    from vccore.transport import StaticTransport
    key = KeyPair.generate(bytes.fromhex(SEED))
    uri = "https://status.example.nl/1"
    listed = sign_compact({"alg": "EdDSA", "typ": "statuslist+jwt", "kid": key.id},
                          {"sub": uri, "iat": 1788000000, "iss": key.controller, "status_list": {"bits": 2, "lst": lst}},
                          okp_key(key.private_key))
    credential = issue({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": key.id},
                       {"iss": key.controller, "vct": "x", "status": {"status_list": {"idx": 1, "uri": uri}}}, [],
                       okp_key(key.private_key))
    clock = FixedClock("2026-09-01T12:00:00Z")
    plain = Verifier(clock=clock)
    checker = TokenStatusChecker(keys=plain.jose, transport=StaticTransport({uri: listed.encode()}), clock=clock)
    report = Verifier(clock=clock, token_status=checker).verify(credential)
    return {"states": [r.state for r in report.statuses], "codes": sorted({p.code for p in report.problems}),
            "details": [p.detail for p in report.problems]}


# Building the hostile inputs (in the test process; nothing here needs the issuer's key to be right).

def _signed(header: dict, payload: dict) -> str:
    from vccore import KeyPair
    from vccore.jose import sign_compact
    from vccore.josekeys import okp_key
    key = KeyPair.generate(bytes.fromhex(SEED))
    return sign_compact({**header, "kid": key.id}, {**payload, "iss": key.controller}, okp_key(key.private_key))


def _sd(disclosures: list[str], digests: list[str] | None = None) -> str:
    token = _signed({"alg": "EdDSA", "typ": "dc+sd-jwt"}, {"vct": "x", "_sd": digests or []})
    return "~".join([token, *disclosures]) + "~"


def _disclosure(value) -> str:
    return _b64(json.dumps(["salt", "name", value]).encode())


CASES = [
    ("too many disclosures", lambda: _sd([_disclosure(i) for i in range(600)]), "PARSING_ERROR"),
    ("deep disclosure", lambda: _sd([_b64(("[" * 10000 + "]" * 10000).encode())]), "SD_JWT_DISCLOSURE_ERROR"),
    ("duplicated disclosures", lambda: _sd([_disclosure(1)] * 500), "SD_JWT_DISCLOSURE_ERROR"),
    ("header bomb", lambda: _b64(json.dumps({"alg": "EdDSA", "x": "A" * 100_000}).encode()) + "." + _b64(b"{}") + ".AAAA",
     "PARSING_ERROR"),
    ("payload bomb", lambda: _b64(b'{"alg":"EdDSA"}') + "." + _b64(json.dumps({"vc": "A" * 3_000_000}).encode()) + ".AAAA",
     "PARSING_ERROR"),
    ("alg none", lambda: _b64(b'{"alg":"none"}') + "." + _b64(b'{"vc":{}}') + ".", "JOSE_HEADER_ERROR"),
    ("alg HS256", lambda: _b64(b'{"alg":"HS256"}') + "." + _b64(b'{"vc":{}}') + ".AAAA", "JOSE_HEADER_ERROR"),
    ("did:jwk kid of 1 MB", lambda: _b64(json.dumps({"alg": "EdDSA", "kid": "did:jwk:" + "A" * 1_000_000}).encode())
     + "." + _b64(b'{"vc":{}}') + ".AAAA", "PARSING_ERROR"),
]


@pytest.mark.parametrize("name,build,code", CASES, ids=[c[0] for c in CASES])
def test_hostile_jose_credentials(name, build, code):
    result = run_bounded(f"{HERE}:verify_case", build(), seconds=10, rss_mb=400)
    assert result.error is None, result
    assert result.value["verified"] is False and code in result.value["codes"], result.value
    assert result.seconds < 3 and result.extra_rss_mb < 150


def test_token_status_list_bomb():
    lst = _b64(zlib.compress(bytes(64 * 1024 * 1024), 9))
    result = run_bounded(f"{HERE}:token_status_case", lst, seconds=10, rss_mb=400)
    assert result.error is None, result
    assert result.value["states"] == ["unchecked"] and "STATUS_VERIFICATION_ERROR" in result.value["codes"]
    assert any("expands beyond" in d for d in result.value["details"])
    assert result.seconds < 3 and result.extra_rss_mb < 100
