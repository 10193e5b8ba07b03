"""QR payload codec (docs/qr-format.md): round trips, frames in any order, size caps, damage."""

from __future__ import annotations

import datetime as dt
import random
import zlib

import base45
import pytest

from vccore.errors import VCError
from vccore.qrcodec import (FrameAssembler, PresentationRequest, decode_payload, decode_request, encode_frames,
                            encode_payload, encode_request)

NOW = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.timezone.utc)


def codes(fn, *args, **kwargs) -> str:
    with pytest.raises(VCError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


@pytest.mark.parametrize("version", [None, 1])
def test_round_trip(signed_vc, version):
    text = encode_payload(signed_vc, dictionary_version=version)
    assert text.startswith("MC1D1:" if version else "MC1:")
    assert decode_payload(text) == signed_vc


def test_mc2_round_trip_is_the_smallest(signed_vc):
    text = encode_payload(signed_vc, codebook=1)
    assert text.startswith("MC2C1:") and decode_payload(text) == signed_vc
    assert len(text) < 0.8 * len(encode_payload(signed_vc))


def test_mc2_falls_back_to_the_dictionary_version_asked_for():
    document = {"name": "a NUL \x00 cannot travel in MC2's text stream"}
    assert encode_payload(document, codebook=1).startswith("MC1D1:")
    assert encode_payload(document, codebook=1, dictionary_version=None).startswith("MC1:")
    assert decode_payload(encode_payload(document, codebook=1)) == document


def test_frames_of_different_formats_do_not_mix(signed_vc):
    mc1, mc2 = encode_frames(signed_vc, max_chars=300), encode_frames(signed_vc, max_chars=300, codebook=1)
    assembler = FrameAssembler()
    assembler.add(mc2[0])
    assert codes(assembler.add, mc1[1]) == "PARSING_ERROR"


def test_dictionary_makes_it_smaller(signed_vc):
    assert len(encode_payload(signed_vc)) < len(encode_payload(signed_vc, dictionary_version=None))


def test_frames_assemble_in_any_order(signed_vc):
    frames = encode_frames(signed_vc, max_chars=300)
    assert len(frames) > 3 and all(len(f) <= 300 for f in frames)
    shuffled = frames[:] + frames[:2]  # repeats are harmless
    random.Random(7).shuffle(shuffled)
    assembler = FrameAssembler()
    for text in shuffled:
        assembler.add(text)
    assert assembler.complete and assembler.document() == signed_vc


def test_single_payload_when_it_fits(signed_vc):
    assert encode_frames(signed_vc, max_chars=5000) == [encode_payload(signed_vc)]


def test_incomplete_and_mixed_sequences_are_refused(signed_vc, unsigned_vc):
    a, b = encode_frames(signed_vc, max_chars=300), encode_frames(unsigned_vc, max_chars=300)
    assembler = FrameAssembler()
    assembler.add(a[0])
    assert codes(assembler.document) == "PARSING_ERROR"
    assert codes(assembler.add, b[1]) == "PARSING_ERROR"


def test_tampered_frame_fails_the_sequence_id(signed_vc):
    frames = encode_frames(signed_vc, max_chars=300)
    head, chunk = frames[1].split(":", 1)
    frames[1] = head + ":" + ("0" if chunk[0] != "0" else "1") + chunk[1:]
    assembler = FrameAssembler()
    for text in frames:
        assembler.add(text)
    assert codes(assembler.payload) == "PARSING_ERROR"


def test_decompression_bomb_is_refused():
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = comp.compress(b'{"a":"' + b"A" * (8 * 1024 * 1024) + b'"}') + comp.flush()
    assert codes(decode_payload, "MC1:" + base45.b45encode(bomb).decode()) == "PARSING_ERROR"


@pytest.mark.parametrize("text", [
    "", "hello", "MC1:", "MC1:lowercase", "MC1D9:AAAA", "MC1:%%%%", "MC1D1:" + "A" * 70000,
    "MC1/F1/2/ABCDEF01:AA", "MC2C1:", "MC2C01:AAAA", "MC2C1:" + "A" * 70000, "MC2C1/F1/2/ABCDEF01:AA",
])
def test_garbage_is_a_parsing_error(text):
    assert codes(decode_payload, text) == "PARSING_ERROR"


def test_truncated_payload_is_a_parsing_error(signed_vc):
    text = encode_payload(signed_vc)
    cut = text[: len(text) // 2]
    cut = cut[: len(cut) - (len(cut) - 6) % 3]  # keep it valid base45
    assert codes(decode_payload, cut) == "PARSING_ERROR"


def test_non_object_json_is_refused():
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = comp.compress(b"[1,2,3]") + comp.flush()
    assert codes(decode_payload, "MC1:" + base45.b45encode(data).decode()) == "PARSING_ERROR"


def test_request_round_trip_and_checks():
    request = PresentationRequest("q3UeZ2H9Kk1mW0bXc8yTfA", "https://werkgever.example.nl",
                                  NOW + dt.timedelta(minutes=10), ("OpenBadgeCredential",), "Werkgever BV")
    text = encode_request(request)
    assert text.startswith("MCREQ1:") and decode_request(text, now=NOW) == request
    assert codes(decode_request, text, now=NOW + dt.timedelta(minutes=11)) == "RANGE_ERROR"


@pytest.mark.parametrize("doc", [
    b'{"challenge":"short","domain":"d","expires":"2026-09-01T12:10:00Z"}',
    b'{"challenge":"q3UeZ2H9Kk1mW0bXc8yTfA","domain":"","expires":"2026-09-01T12:10:00Z"}',
    b'{"challenge":"q3UeZ2H9Kk1mW0bXc8yTfA","domain":"d","expires":"tomorrow"}',
    b'{"challenge":"q3UeZ2H9Kk1mW0bXc8yTfA","domain":"d","expires":"2026-09-01T12:10:00Z","types":"x"}',
])
def test_malformed_requests(doc):
    assert codes(decode_request, "MCREQ1:" + base45.b45encode(doc).decode()) == "MALFORMED_VALUE_ERROR"


@pytest.mark.parametrize("text", ["MCREQ1:%%", "MC1:AAA", "MCREQ1:" + base45.b45encode(b"[1]").decode()])
def test_unparseable_requests(text):
    assert codes(decode_request, text) == "PARSING_ERROR"
