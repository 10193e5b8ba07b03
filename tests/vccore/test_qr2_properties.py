"""Property tests of MC2 (docs/qr-format.md section 1.2): generated microcredentials, signed, survive
the QR payload exactly and still verify; any JSON survives it exactly (through MC2, or through the
MC1D1 fallback); member order never changes the payload."""

from __future__ import annotations

import json
import random

import base45

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vccore import (EDDSA_JCS_2022, EDDSA_RDFC_2022, Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier,
                    add_proof)
from vccore.codebook import codebook
from vccore.errors import VCError
from vccore.qr2 import NotEncodable, decode_body, encode_body
from vccore.qrcodec import decode_payload, encode_payload

from ..conftest import ISSUER_SEED, NOW, VECTORS
from ..strategies import ob3_credentials, shuffled

ISSUER = KeyPair.generate(ISSUER_SEED)
CANON = Canonicalizer()
BOOK = codebook(1)
VERIFIER = Verifier(canon=CANON, resolver=DidResolver(), clock=FixedClock(NOW))


def strict(document) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(credential=ob3_credentials(issuer_did=ISSUER.controller), jcs=st.booleans(), seed=st.integers(0, 2 ** 32))
def test_generated_microcredentials_survive_exactly_and_verify(credential, jcs, seed):
    signed = add_proof(credential, key=ISSUER, canon=CANON, created="2026-06-30T09:00:00Z",
                       suite=EDDSA_JCS_2022 if jcs else EDDSA_RDFC_2022)
    text = encode_payload(signed, codebook=1)
    assert text.startswith("MC2C1:")
    decoded = decode_payload(text)
    assert strict(decoded) == strict(signed)
    assert encode_payload(shuffled(signed, random.Random(seed)), codebook=1) == text
    report = VERIFIER.verify(decoded)
    assert [c.status for c in report.checks if c.name == "proof"] == ["passed"], report.to_json()


_SPECIAL = st.sampled_from([
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    "#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do",
    "urn:uuid:5f3c9a2e-7b1d-4c8e-9f6a-2d4b8e1c7a90", "urn:uuid:5F3C9A2E-7B1D-4C8E-9F6A-2D4B8E1C7A90",
    "2026-06-30T09:00:00Z", "2026-06-30T09:00:00+00:00", "1969-12-31T23:59:59Z", "z" + "2" * 87, "z1" + "2" * 86,
    "https://www.w3.org/ns/credentials/v2", "OpenBadgeCredential", "NLQF niveau 6", "6", "06", "",
])
_KEYS = st.one_of(st.sampled_from(["id", "type", "name", "proof", "@context", "targetUrl", "value", "x-y"]),
                  st.text(max_size=8))
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.floats(allow_nan=False, allow_infinity=False),
                    _SPECIAL, st.text(max_size=30))
_JSON = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                      st.dictionaries(_KEYS, inner, max_size=6)), max_leaves=40)


@settings(max_examples=150, deadline=None)
@given(document=st.dictionaries(_KEYS, _JSON, max_size=8), seed=st.integers(0, 2 ** 32))
def test_any_json_object_survives_exactly(document, seed):
    text = encode_payload(document, codebook=1)
    assert strict(decode_payload(text)) == strict(document)
    try:
        body = encode_body(document, BOOK)
    except NotEncodable:  # MC1D1 (key order matters there: it deflates the JSON text)
        assert text.startswith("MC1D1:")
    else:
        assert text.startswith("MC2C1:") and strict(decode_body(body, BOOK)) == strict(document)
        assert encode_payload(shuffled(document, random.Random(seed)), codebook=1) == text


_BODY = encode_body(json.loads((VECTORS / "acapy" / "presentation.json").read_text(encoding="utf-8")), BOOK)


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), st.lists(st.tuples(st.integers(0, len(_BODY) - 1),
                                                                    st.integers(0, 255)), min_size=1, max_size=4)))
def test_damaged_or_random_bodies_decode_or_are_parsing_errors(data):
    """Random bytes, and a real body with 1-4 bytes changed: a document or a PARSING_ERROR, nothing else."""
    if isinstance(data, list):
        body = bytearray(_BODY)
        for index, byte in data:
            body[index] = byte
        data = bytes(body)
    try:
        document = decode_payload("MC2C1:" + base45.b45encode(data).decode("ascii"))
    except VCError as exc:
        assert exc.code == "PARSING_ERROR"
    else:
        assert isinstance(document, dict)
