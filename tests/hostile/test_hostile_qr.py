"""Hostile corpus, QR payloads (MC2C1, docs/qr-format.md section 1.2): one case per attack class on
the payload decoder. Each case runs in a fresh, memory-limited interpreter (bounds.run_bounded),
decodes every payload of its class the way the verifier does (`decode_payload`), expects a
`PARSING_ERROR` saying what is wrong, and asserts a time and a memory bound.

| attack | expected |
|---|---|
| bombs: Z1 or Z2 inflating to 1-8 MiB, 250,000 back-references to one DID (14 MB of JSON), shared CBOR values doubling 40 times (2^40 items) | `PARSING_ERROR` "expands beyond" the 512 KiB limit |
| a real presentation's payload cut short at 8 places (Z1, Z2, BIN) | `PARSING_ERROR` (truncated / ends before the structure does) |
| back-references forward: to the first reference before any, to reference 1 when there is one | `PARSING_ERROR` "points forward" |
| an unknown codebook (2, 999), a malformed codebook number | `PARSING_ERROR` "unknown QR codebook" / unrecognised |
| trailing bytes after BIN, a second CBOR item in Z1 | `PARSING_ERROR` "trailing bytes" / "after its CBOR item" |
| a QR image for the wallet (`read_codes`) declaring 64 megapixels | `PARSING_ERROR` "Image too large" from the header; Pillow's process-wide limit untouched |
"""

from __future__ import annotations

import zlib

import base45
import pytest

from vccore import create_presentation, sign_presentation
from vccore.codebook import codebook
from vccore.qrcodec import encode_payload

from .bounds import run_bounded

HERE = "tests.hostile.test_hostile_qr"
BOOK = codebook(1)
KEY = bytes.fromhex("2e6fcce36701dc791488e0d0b1745cc1e33a4c1c9fcc41c63bd343dbbe0970e6")  # a did:key


# The case (runs inside the bounded subprocess).

def decode_case(texts: list[str]) -> dict:
    from vccore.errors import VCError
    from vccore.qrcodec import decode_payload

    outcomes = []
    for text in texts:
        try:
            decode_payload(text)
            outcomes.append(["decoded", ""])
        except VCError as exc:
            outcomes.append([exc.code, exc.detail])
    return {"outcomes": outcomes}


def image_case(data_b64: str) -> dict:
    import base64

    from PIL import Image

    from vccore.errors import VCError
    from wallet.qrimage import read_codes

    before = Image.MAX_IMAGE_PIXELS
    try:
        read_codes(base64.b64decode(data_b64))
        outcome = ["decoded", ""]
    except VCError as exc:
        outcome = [exc.code, exc.title]
    return {"outcome": outcome, "pillow_limit_unchanged": Image.MAX_IMAGE_PIXELS == before}


# Building hostile payloads (in the test process).

def _deflate(data: bytes, zdict: bytes) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict)
    return comp.compress(data) + comp.flush()


def payload(cbor: bytes, texts: bytes = b"", binary: bytes = b"", *, header: str = "MC2C1") -> str:
    body = _deflate(cbor, BOOK.structure_dictionary) + _deflate(texts, BOOK.text_dictionary) + binary
    return f"{header}:" + base45.b45encode(body).decode("ascii")


def _uint(major: int, n: int) -> bytes:
    """A CBOR head (RFC 8949 §3): major type and argument, shortest form."""
    for limit, extra, size in ((24, 0, 0), (1 << 8, 24, 1), (1 << 16, 25, 2), (1 << 32, 26, 4)):
        if n < limit:
            return bytes([major << 5 | (n if not size else extra)]) + (n.to_bytes(size, "big") if size else b"")
    return bytes([major << 5 | 27]) + n.to_bytes(8, "big")


def shared_doubling(levels: int) -> bytes:
    """{type: [L0, L1, ...]} where L0 = [code], L(k) = [L(k-1), L(k-1)] via CBOR value sharing (tags 28/29)."""
    shareable, ref = b"\xd8\x1c", b"\xd8\x1d"
    items = [shareable + b"\x81\x08"]
    items += [shareable + b"\x82" + 2 * (ref + _uint(0, k)) for k in range(levels)]
    return b"\xa1\x01" + _uint(4, len(items)) + b"".join(items)


def run(texts: list[str], *, seconds: float = 3, rss_mb: int = 200):
    result = run_bounded(f"{HERE}:decode_case", texts, seconds=seconds, rss_mb=rss_mb)
    assert result.error is None, result.error
    assert result.seconds < seconds and result.extra_rss_mb < 64, (result.seconds, result.extra_rss_mb)
    assert result.rss_mb < rss_mb
    return result.value["outcomes"]


@pytest.fixture
def real_payload(signed_vc, holder_key, canon) -> str:
    vp = create_presentation([signed_vc], holder=holder_key.controller)
    signed = sign_presentation(vp, key=holder_key, canon=canon, created="2026-09-01T11:59:00Z",
                               challenge="q3UeZ2H9Kk1mW0bXc8yTfA", domain="https://werkgever.example.nl")
    text = encode_payload(signed, codebook=1)
    assert text.startswith("MC2C1:")
    return text


def test_bombs_are_refused_within_bounds():
    texts = [
        payload(b"\xa1\x01" + _uint(4, 1 << 20) + b"\x08" * (1 << 20)),           # Z1: 1 MiB of codes
        payload(b"\xa1\x01\x00", b"A" * (8 << 20) + b"\x00"),                     # Z2: one 8 MiB text
        payload(b"\xa1\x01" + _uint(4, 250_001) + b"\x01" + b"\x20" * 250_000, binary=KEY),  # back-references
        payload(shared_doubling(40)),                                              # 2^40 shared items
    ]
    assert all(len(t) < 64 * 1024 for t in texts)  # each fits the text limit: the decoder must look inside
    outcomes = run(texts)
    assert [code for code, _ in outcomes] == ["PARSING_ERROR"] * 4
    assert all("expands beyond" in detail for _, detail in outcomes), outcomes


def test_truncated_payloads_are_refused_within_bounds(real_payload):
    body = base45.b45decode(real_payload[6:])
    cuts = [3, 10, len(body) // 4, len(body) // 2, len(body) - 300, len(body) - 64, len(body) - 20, len(body) - 1]
    texts = ["MC2C1:" + base45.b45encode(body[:cut]).decode("ascii") for cut in cuts]
    outcomes = run(texts)
    assert [code for code, _ in outcomes] == ["PARSING_ERROR"] * len(cuts)
    assert all(any(w in detail for w in ("truncated", "ends before", "invalid DEFLATE")) for _, detail in outcomes), \
        outcomes


def test_forward_back_references_are_refused_within_bounds():
    texts = [payload(b"\xa1\x01\x20"),                           # reference 0 before any reference
             payload(b"\xa1\x01\x82\x01\x22", binary=KEY)]       # reference 1 when only 0 exists
    outcomes = run(texts)
    assert [code for code, _ in outcomes] == ["PARSING_ERROR"] * 2
    assert all("points forward" in detail for _, detail in outcomes), outcomes


def test_unknown_codebooks_are_refused_within_bounds(real_payload):
    body = real_payload.split(":", 1)[1]
    outcomes = run([f"MC2C2:{body}", f"MC2C999:{body}", f"MC2C1000:{body}", f"MC2:{body}"])
    assert [code for code, _ in outcomes] == ["PARSING_ERROR"] * 4
    assert "unknown QR codebook 2" in outcomes[0][1] and "unknown QR codebook 999" in outcomes[1][1]
    assert all("not a microcredential QR payload" in detail for _, detail in outcomes[2:]), outcomes


def test_trailing_bytes_are_refused_within_bounds(real_payload):
    body = base45.b45decode(real_payload[6:])
    texts = ["MC2C1:" + base45.b45encode(body + b"\x00").decode("ascii"),
             "MC2C1:" + base45.b45encode(body + KEY).decode("ascii"),
             payload(b"\xa1\x01\x08\xa0")]                           # a second CBOR item in Z1
    outcomes = run(texts)
    assert [code for code, _ in outcomes] == ["PARSING_ERROR"] * 3
    assert "trailing bytes" in outcomes[0][1] and "trailing bytes" in outcomes[1][1]
    assert "after its CBOR item" in outcomes[2][1]


def test_a_huge_qr_image_is_refused_from_its_header():
    import base64
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8000, 8000), 1).save(out, format="PNG")  # 64 MP, a few kB as a file
    result = run_bounded(f"{HERE}:image_case", base64.b64encode(out.getvalue()).decode(), seconds=2, rss_mb=200)
    assert result.value == {"outcome": ["PARSING_ERROR", "Image too large"], "pillow_limit_unchanged": True}
    assert result.seconds < 2 and result.extra_rss_mb < 40, (result.seconds, result.extra_rss_mb)
