"""MC2 is lossless on other implementations' signatures: presentations signed by Digital Bazaar's
JavaScript libraries (tests/interop/interop.mjs) and by ACA-Py (tests/vectors/acapy), and ours,
travel through an MC2 QR payload in any member order and verify afterwards, here (vccore) and in
the JavaScript peer; a tampered text in the payload fails there on the signature."""

from __future__ import annotations

import copy
import json
import random

import pytest

from vccore import EDDSA_JCS_2022, EDDSA_RDFC_2022, create_presentation, sign_presentation
from vccore.qrcodec import decode_payload, encode_payload

from ..conftest import HOLDER_SEED, ISSUER_SEED, NOW, VECTORS
from ..interop.test_digitalbazaar import _why, batch
from ..strategies import shuffled

CHALLENGE, DOMAIN = "q3UeZ2H9Kk1mW0bXc8yTfA", "https://werkgever.example.nl"
ACAPY_VP = json.loads((VECTORS / "acapy" / "presentation.json").read_text(encoding="utf-8"))


def through_qr(document: dict, seed: int) -> dict:
    text = encode_payload(shuffled(document, random.Random(seed)), codebook=1)
    assert text.startswith("MC2C1:")
    return decode_payload(text)


def verify_request(presentation: dict, challenge: str, domain: str) -> dict:
    return {"op": "verify-presentation", "presentation": presentation, "challenge": challenge,
            "domain": domain, "now": NOW}


@pytest.mark.parametrize("suite", [EDDSA_RDFC_2022, EDDSA_JCS_2022], ids=lambda s: s.name)
def test_presentations_signed_by_the_js_peer_survive_mc2(unsigned_vc, holder_key, verifier, suite):
    (signed_vc,) = batch({"op": "sign-credential", "credential": unsigned_vc, "seed_hex": ISSUER_SEED.hex(),
                          "created": "2026-06-30T09:00:00Z", "cryptosuite": suite.name, "now": NOW})
    assert "error" not in signed_vc, _why(signed_vc)
    vp = create_presentation([signed_vc["credential"]], holder=holder_key.controller)
    (signed_vp,) = batch({"op": "sign-presentation", "presentation": vp, "seed_hex": HOLDER_SEED.hex(),
                          "created": "2026-09-01T11:59:00Z", "challenge": CHALLENGE, "domain": DOMAIN,
                          "cryptosuite": suite.name})
    assert "error" not in signed_vp, _why(signed_vp)
    decoded = through_qr(signed_vp["presentation"], seed=3)
    tampered = copy.deepcopy(decoded)
    tampered["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] += "!"

    theirs, bad = batch(verify_request(decoded, CHALLENGE, DOMAIN), verify_request(tampered, CHALLENGE, DOMAIN))
    assert theirs["verified"] is True and theirs["credentialsVerified"] == [True], _why(theirs)
    assert bad["verified"] is False and "Invalid signature" in json.dumps(bad["error"]), _why(bad)
    report = verifier.verify(decoded, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, json.dumps(report.to_json(), indent=1)[:2000]


def test_our_and_acapy_presentations_survive_mc2_in_the_js_peer(signed_vc, holder_key, canon):
    vp = create_presentation([signed_vc], holder=holder_key.controller)
    ours = sign_presentation(vp, key=holder_key, canon=canon, created="2026-09-01T11:59:00Z",
                             challenge=CHALLENGE, domain=DOMAIN)
    results = batch(verify_request(through_qr(ours, seed=1), CHALLENGE, DOMAIN),
                    verify_request(through_qr(ACAPY_VP, seed=2), "acapy-challenge-1", "https://verifier.example.nl"))
    for result in results:
        assert result["verified"] is True and result["credentialsVerified"] == [True], _why(result)
