"""Presenting: one-way (created + the verifier's 10-minute maximum age), bound to a request, animated frames."""

from __future__ import annotations

import datetime as dt

import pytest

from vccore import parse_datetime
from vccore.errors import VCError
from vccore.qrcodec import FrameAssembler, PresentationRequest, decode_payload, encode_request
from wallet.qrimage import qr_version, read_codes




def _freshness(vp, clock) -> set[str]:
    from vccore.report import VerificationReport
    from verifier.policy import Policy, check_freshness

    report = VerificationReport()
    check_freshness(vp, report, policy=Policy(), now=clock.now())
    return report.codes()


def test_one_way_presentation_is_fresh_for_the_verifiers_maximum_age(wallet, issue, verifier, clock):
    """No `expires` in the proof (DIDKit refuses one, docs/qr-format.md "Freshness"): `created` and the
    verifier's maximum age (10 minutes by default) decide; the wallet says so to its user."""
    wallet.import_bytes(issue())
    shown = wallet.present()
    proof = shown.document["proof"]
    assert "expires" not in proof
    assert parse_datetime(shown.expires) - parse_datetime(proof["created"]) == dt.timedelta(minutes=10)
    assert len(shown.texts) == 1 and qr_version(shown.texts[0]) <= 27
    vp = decode_payload(shown.texts[0])
    assert verifier.verify(vp).verified and _freshness(vp, clock) == set()
    clock.advance(minutes=11)
    assert _freshness(vp, clock) == {"FRESHNESS_ERROR"}


def test_request_binds_challenge_and_domain(wallet, issue, verifier, clock):
    wallet.import_bytes(issue())
    request = PresentationRequest("q3UeZ2H9Kk1mW0bXc8yTfA", "https://werkgever.example.nl",
                                  clock.now() + dt.timedelta(minutes=3), ("OpenBadgeCredential",))
    shown = wallet.present(request=request)
    proof = shown.document["proof"]
    assert (proof["challenge"], proof["domain"]) == (request.challenge, request.domain)
    assert "expires" not in proof
    assert shown.expires == "2026-09-01T12:03:00Z"  # never beyond the request's expiry
    vp = decode_payload(shown.texts[0])
    assert verifier.verify(vp, challenge=request.challenge, domain=request.domain).verified
    assert verifier.verify(vp, challenge="another-challenge-000", domain=request.domain).codes() == \
        {"INVALID_CHALLENGE_ERROR"}


def test_request_types_select_the_credentials(wallet, issue, clock):
    wallet.import_bytes(issue())
    wanted = PresentationRequest("q3UeZ2H9Kk1mW0bXc8yTfA", "werkgever.example.nl",
                                 clock.now() + dt.timedelta(minutes=3), ("OpenBadgeCredential",))
    assert len(wallet.present(request=wanted).document["verifiableCredential"]) == 1
    other = PresentationRequest("q3UeZ2H9Kk1mW0bXc8yTfA", "werkgever.example.nl",
                                clock.now() + dt.timedelta(minutes=3), ("DriversLicense",))
    with pytest.raises(VCError) as caught:
        wallet.present(request=other)
    assert caught.value.code == "NOT_FOUND"


def test_request_qr_image_is_read(wallet, clock):
    from wallet.qrimage import render_png
    request = PresentationRequest("q3UeZ2H9Kk1mW0bXc8yTfA", "werkgever.example.nl",
                                  clock.now() + dt.timedelta(minutes=3))
    assert read_codes(render_png(encode_request(request))) == [encode_request(request)]


def test_large_presentation_becomes_an_animated_sequence(wallet, issue, verifier, tmp_path):
    # five: MC2C1 carries up to four of these near-identical credentials in one code
    ids = [wallet.import_bytes(issue(name=f"Eenheid nummer {n}", ects=3 + n)).stored_id for n in range(5)]
    shown = wallet.present(ids)
    assert shown.animated and all(qr_version(t) <= 20 for t in shown.texts)
    written = shown.write(tmp_path / "vp.png", tmp_path / "vp.txt")
    frames = [p for p in written if p.name.startswith("vp-")]
    assert len(frames) == len(shown.texts)
    assert (tmp_path / "vp.txt").read_text().splitlines() == shown.texts
    assembler = FrameAssembler()
    for text in reversed(read_codes((tmp_path / "vp.png").read_bytes())):  # every frame of the APNG
        assembler.add(text)
    report = verifier.verify(assembler.document())
    assert report.verified and len(report.credentials) == 5


def test_present_needs_a_credential(wallet):
    with pytest.raises(VCError) as exc:
        wallet.present()
    assert exc.value.code == "MALFORMED_VALUE_ERROR"
