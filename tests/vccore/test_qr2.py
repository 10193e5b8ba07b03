"""MC2 QR payloads (docs/qr-format.md section 1.2): lossless on real signatures (ours and ACA-Py's),
independent of key order, each special form only where it re-encodes exactly, and every malformed
body a PARSING_ERROR that says what is wrong."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import zlib

import base45
import cbor2
import pytest

from vccore import create_presentation, sign_presentation
from vccore.codebook import Codebook, codebook
from vccore.errors import VCError
from vccore.qr2 import NotEncodable, decode_body, encode_body
from vccore.qr2forms import classify
from vccore.qrcodec import FrameAssembler, decode_payload, encode_frames, encode_payload

from ..conftest import ROOT, VECTORS
from ..strategies import shuffled

BOOK = codebook(1)
C1_SHA256 = "c9050d61a01be33a7c0ec3e91502f9fbefaa9fa268ab60f2694e24f762968794"
ACAPY_VP = json.loads((VECTORS / "acapy" / "presentation.json").read_text(encoding="utf-8"))
CHALLENGE, DOMAIN = "q3UeZ2H9Kk1mW0bXc8yTfA", "https://werkgever.example.nl"


def strict(document) -> str:
    """Equality that tells 1, 1.0 and true apart (Python's == does not) and ignores key order."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def code_of(fn, *args) -> tuple[str, str]:
    with pytest.raises(VCError) as exc:
        fn(*args)
    return exc.value.code, exc.value.detail


def raw_body(structure, texts=(), binary=b"", *, book: Codebook = BOOK) -> bytes:
    """An MC2 body written by hand: CBOR bytes (or an item) for Z1, texts for Z2, raw BIN."""
    cbor = structure if isinstance(structure, bytes) else cbor2.dumps(structure)
    z1 = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, book.structure_dictionary)
    z2 = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, book.text_dictionary)
    text = b"".join(t.encode() + b"\x00" for t in texts)
    return z1.compress(cbor) + z1.flush() + z2.compress(text) + z2.flush() + binary


def mc2(body: bytes) -> str:
    return "MC2C1:" + base45.b45encode(body).decode("ascii")


@pytest.fixture
def presentation(signed_vc, holder_key, canon) -> dict:
    vp = create_presentation([signed_vc], holder=holder_key.controller)
    return sign_presentation(vp, key=holder_key, canon=canon, created="2026-09-01T11:59:00Z",
                             challenge=CHALLENGE, domain=DOMAIN, expires="2026-09-01T12:10:00Z")


def test_our_presentation_round_trips_and_still_verifies(presentation, verifier):
    text = encode_payload(presentation, codebook=1)
    assert text.startswith("MC2C1:") and len(text) < len(encode_payload(presentation))
    decoded = decode_payload(text)
    assert strict(decoded) == strict(presentation)
    report = verifier.verify(decoded, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, json.dumps(report.to_json(), indent=1)[:2000]


def test_acapy_presentation_round_trips_and_still_verifies(verifier):
    text = encode_payload(ACAPY_VP, codebook=1)
    decoded = decode_payload(text)
    assert text.startswith("MC2C1:") and strict(decoded) == strict(ACAPY_VP)
    report = verifier.verify(decoded, challenge="acapy-challenge-1", domain="https://verifier.example.nl")
    assert report.verified, json.dumps(report.to_json(), indent=1)[:2000]


def test_key_order_does_not_change_the_payload(presentation):
    texts = {encode_payload(shuffled(presentation, random.Random(seed)), codebook=1) for seed in range(20)}
    assert len(texts) == 1
    texts = {encode_payload(shuffled(ACAPY_VP, random.Random(seed)), codebook=1) for seed in range(20)}
    assert len(texts) == 1


def test_the_decoded_document_has_canonical_key_order(presentation):
    decoded = decode_payload(encode_payload(presentation, codebook=1))
    assert list(decoded) == sorted(presentation, key=BOOK.keys.index)


@pytest.mark.parametrize("value", [
    "2026-09-01T12:00:00Z", "1970-01-01T00:00:00Z", "2106-02-07T06:28:15Z",
    "urn:uuid:5f3c9a2e-7b1d-4c8e-9f6a-2d4b8e1c7a90",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "z3RK9Vv6EQ9DCeJHnVAFcsSaM5EiZqXUjxyvo2kcezn44tc1eHAWnFRYSiXweGD32KqeL44nM6isr1XwhXtLgmDG7",
])
def test_special_forms_travel_as_bytes(value):
    body = encode_body({"id": value}, BOOK)
    structure = cbor2.loads(zlib.decompressobj(-15, zdict=BOOK.structure_dictionary).decompress(body))
    form, raw = classify(value)
    assert structure[BOOK.key_codes["id"]] == form and body.endswith(raw)  # BIN, not deflated
    assert strict(decode_body(body, BOOK)) == strict({"id": value})


@pytest.mark.parametrize("value", [
    "2026-09-01T12:00:00+00:00", "2026-09-01T12:00:00.000Z", "2026-02-30T12:00:00Z", "1969-12-31T23:59:59Z",
    "2106-02-07T06:28:16Z", "urn:uuid:5F3C9A2E-7B1D-4C8E-9F6A-2D4B8E1C7A90", "urn:uuid:5f3c9a2e7b1d4c8e9f6a2d4b8e1c7a90",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#key-1",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do", "z1" + "1" * 87, "zorgdata",
    "", "\u00e9\u00e8 \U0001f600", "NLQF niveau 9",
])
def test_other_strings_stay_exact_text(value):
    document = {"id": value, "name": [value, {"x-unknown key": value}]}
    assert strict(decode_payload(encode_payload(document, codebook=1))) == strict(document)
    assert encode_payload(document, codebook=1).startswith("MC2C1:")


@pytest.mark.parametrize("value", [0, 5, -3, 5.0, 2.5, 1e-07, 1e+300, 10 ** 30, True, False, None, [], {}, [[]]])
def test_numbers_and_literals_keep_their_type(value):
    document = {"creditsEarned": value, "achievement": {"creditsAvailable": [value, value]}}
    text = encode_payload(document, codebook=1)
    assert text.startswith("MC2C1:") and strict(decode_payload(text)) == strict(document)


@pytest.mark.parametrize("document", [
    {"name": "nul \x00 inside"}, {"n": 10 ** 60}, {"n": float("inf")}, {"n": float("nan")},
])
def test_what_mc2_cannot_carry_exactly_falls_back_to_mc1d1(document):
    text = encode_payload(document, codebook=1)
    assert text.startswith("MC1D1:")


@pytest.mark.parametrize("document", [{"name": "\ud800"}, {"\udfff": 1}, [1], "text"])
def test_what_is_not_a_json_object_of_unicode_is_not_encodable(document):
    with pytest.raises(NotEncodable):
        encode_body(document, BOOK)


def test_back_references_repeat_dids_and_uuids(presentation):
    holder = presentation["holder"]
    document = {"holder": holder, "id": "urn:uuid:5f3c9a2e-7b1d-4c8e-9f6a-2d4b8e1c7a90",
                "verifiableCredential": [holder, f"{holder}#{holder[8:]}", "urn:uuid:5f3c9a2e-7b1d-4c8e-9f6a-2d4b8e1c7a90"]}
    body = encode_body(document, BOOK)
    assert len(body) < 32 + 16 + 40  # each key and uuid once in BIN
    assert strict(decode_body(body, BOOK)) == strict(document)


def test_frames_of_an_mc2_payload_assemble(presentation):
    frames = encode_frames(presentation, max_chars=300, codebook=1)
    assert len(frames) > 3 and all(f.startswith("MC2C1/F") and len(f) <= 300 for f in frames)
    assembler = FrameAssembler()
    for text in reversed(frames):
        assembler.add(text)
    assert strict(assembler.document()) == strict(presentation)


def test_codebook_1_is_published_and_never_changes():
    assert BOOK.fingerprint() == C1_SHA256
    assert (BOOK.keys[:3], BOOK.values[:2]) == (("@context", "type", "holder"), (
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"))
    built = subprocess.run([sys.executable, "scripts/build_qr_codebook.py"], cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr  # the script documents how the file was made


DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
KEY = bytes.fromhex("2e6fcce36701dc791488e0d0b1745cc1e33a4c1c9fcc41c63bd343dbbe0970e6")


def test_the_test_key_matches_its_did():
    assert decode_body(raw_body({1: 1}, binary=KEY), BOOK) == {"type": DID}


@pytest.mark.parametrize("case,body,needle", [
    ("trailing byte", lambda: raw_body({1: 1}, binary=KEY + b"\x00"), "trailing bytes"),
    ("binary truncated", lambda: raw_body({1: 1}, binary=KEY[:31]), "binary part ends"),
    ("forward reference", lambda: raw_body({1: -1}), "points forward"),
    ("uuid as method", lambda: raw_body({1: [4, -2]}, binary=bytes(16)), "no verification-method form"),
    ("reserved placeholder", lambda: raw_body({1: 7}), "reserved"),
    ("unknown value code", lambda: raw_body({1: 8 + len(BOOK.values)}), "unknown value code"),
    ("unknown key code", lambda: raw_body({len(BOOK.keys): 0}, ["x"]), "unknown key code"),
    ("texts left over", lambda: raw_body({1: 0}, ["a", "b"]), "unused texts"),
    ("texts missing", lambda: raw_body({1: [0, 0]}, ["a"]), "text stream ends"),
    ("not a number", lambda: raw_body({1: 6}, ["0x10"]), "not a JSON number"),
    ("float in the structure", lambda: raw_body({1: 1.5}), "unexpected CBOR item"),
    ("inline text value", lambda: raw_body({1: "text"}), "unexpected CBOR item"),
    ("byte string", lambda: raw_body({1: b"xx"}), "unexpected CBOR item"),
    ("tag", lambda: raw_body({1: cbor2.CBORTag(6, 1)}), "unexpected CBOR item"),
    ("not an object", lambda: raw_body([1, 2]), "not a JSON object"),
    ("key twice", lambda: raw_body(b"\xa2\x01\x08\x01\x09"), "each key once"),
    ("same key as code and text", lambda: raw_body(b"\xa2\x01\x08\x64type\x09"), "same member twice"),
    ("non-shortest integer", lambda: raw_body(b"\xa1\x01\x18\x08"), "preferred CBOR serialization"),
    ("indefinite map", lambda: raw_body(b"\xbf\x01\x08\xff"), "preferred CBOR serialization"),
    ("CBOR after the item", lambda: raw_body(b"\xa1\x01\x08\x00"), "after its CBOR item"),
    ("not CBOR", lambda: raw_body(b"\xa1\x01"), "not CBOR"),
    ("text without NUL", lambda: _with_text_stream(b"a"), "NUL"),
    ("text not UTF-8", lambda: _with_text_stream(b"caf\xe9\x00"), "not UTF-8"),
    ("too deep", lambda: raw_body(b"\xa1\x01" + b"\x81" * 70 + b"\x08"), "nesting deeper"),
    ("Z1 truncated", lambda: raw_body({1: 8})[:3], "truncated"),
    ("not DEFLATE", lambda: b"\xff\xff\xff", "invalid DEFLATE"),
])
def test_malformed_bodies_are_parsing_errors(case, body, needle):
    code, detail = code_of(decode_payload, mc2(body()))
    assert code == "PARSING_ERROR" and needle in detail, detail


def _with_text_stream(texts: bytes) -> bytes:
    """{type: <text>} with stream Z2 holding exactly `texts` (raw_body adds the NULs itself)."""
    structure = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, BOOK.structure_dictionary)
    text = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, BOOK.text_dictionary)
    return structure.compress(cbor2.dumps({1: 0})) + structure.flush() + text.compress(texts) + text.flush()


@pytest.mark.parametrize("text", ["MC2C9:AAAA", "MC2C0:AAAA", "MC2C1000:AA", "MC2:AAAA", "MC2C1:%%%%", "mc2c1:AAAA"])
def test_unknown_codebooks_and_bad_headers(text):
    code, detail = code_of(decode_payload, text)
    assert code == "PARSING_ERROR"
