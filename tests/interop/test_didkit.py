"""Interoperability with DIDKit (Spruce's Rust `ssi`, as WebAssembly in @learncard/didkit-plugin, pinned
in tests/interop/package.json and installed by scripts/ensure-interop-node.sh): the wallet's
presentations, one-way and bound to a verifier's request, verify there as they do in Digital Bazaar's
libraries, and so do the credentials in them; tampering and a wrong challenge are caught there.

Why the wallet's proofs carry no `expires` (docs/qr-format.md, "Freshness"): DIDKit refuses a Data
Integrity proof with one ("Unexpected triple ... security#expiration"), the last test shows it.

The node helper (didkit.mjs) runs offline: the WebAssembly module comes from the installed package,
`fetch` throws, and DIDKit gets exactly the contexts of contexts/.
"""

from __future__ import annotations

import copy
import json
import pathlib
import shutil
import subprocess
from typing import Any

import pytest

from vccore import FixedClock, create_presentation, sign_presentation
from vccore.qrcodec import PresentationRequest, decode_payload
from wallet.present import make_presentation

from ..conftest import NOW
from .test_digitalbazaar import batch as digitalbazaar

HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE / "didkit.mjs"
CHALLENGE, DOMAIN = "q3UeZ2H9Kk1mW0bXc8yTfA", "https://werkgever.example"


def run_didkit(*requests: dict[str, Any]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the DIDKit interoperability tests need Node.js >= 18")
    if not (HERE / "node_modules" / "@learncard" / "didkit-plugin").is_dir():
        pytest.fail("tests/interop/node_modules has no DIDKit: run `sh scripts/ensure-interop-node.sh`")
    proc = subprocess.run([node, str(SCRIPT)], input=json.dumps({"op": "batch", "requests": list(requests)}),
                          capture_output=True, text=True, timeout=120, cwd=HERE)
    assert proc.returncode == 0, f"didkit.mjs exited {proc.returncode}: {proc.stderr}"
    results = json.loads(proc.stdout)["results"]
    assert len(results) == len(requests)
    return results


def _passed(result: dict[str, Any]) -> bool:
    return result.get("errors") == [] and "proof" in result.get("checks", [])


@pytest.fixture
def wallet_vps(signed_vc, holder_key, canon):
    """What the wallet shows as QR codes, read back from the QR text as a verifier reads it."""
    clock = FixedClock(NOW)
    one_way = make_presentation([signed_vc], key=holder_key, canon=canon, clock=clock)
    request = PresentationRequest(CHALLENGE, DOMAIN, clock.now().replace(minute=5), ("OpenBadgeCredential",))
    bound = make_presentation([signed_vc], key=holder_key, canon=canon, clock=clock, request=request)
    return {"one-way": decode_payload(one_way.texts[0]), "request": decode_payload(bound.texts[0])}


def test_the_wallets_presentations_verify_in_didkit(wallet_vps, signed_vc):
    one_way, bound, credential = run_didkit(
        {"op": "verify-presentation", "presentation": wallet_vps["one-way"]},
        {"op": "verify-presentation", "presentation": wallet_vps["request"], "challenge": CHALLENGE,
         "domain": DOMAIN},
        {"op": "verify-credential", "credential": wallet_vps["one-way"]["verifiableCredential"][0]})
    assert _passed(one_way), one_way
    assert _passed(bound), bound
    assert _passed(credential), credential
    assert "expires" not in wallet_vps["one-way"]["proof"] and "expires" not in wallet_vps["request"]["proof"]


def test_the_request_bound_presentation_verifies_in_digitalbazaar_too(wallet_vps):
    (result,) = digitalbazaar({"op": "verify-presentation", "presentation": wallet_vps["request"],
                               "challenge": CHALLENGE, "domain": DOMAIN, "now": NOW})
    assert result["verified"] is True, result
    assert result["credentialsVerified"] == [True]


def test_didkit_catches_tampering_and_a_wrong_challenge(wallet_vps):
    tampered = copy.deepcopy(wallet_vps["one-way"])
    tampered["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "Something else"
    changed_vp, changed_vc, wrong_challenge = run_didkit(
        {"op": "verify-presentation", "presentation": tampered},
        {"op": "verify-credential", "credential": tampered["verifiableCredential"][0]},
        {"op": "verify-presentation", "presentation": wallet_vps["request"], "challenge": "another-challenge",
         "domain": DOMAIN})
    assert changed_vp["errors"], changed_vp
    assert changed_vc["errors"], changed_vc
    assert wrong_challenge["errors"], wrong_challenge


def test_didkit_refuses_a_proof_with_expires(signed_vc, holder_key, canon):
    """The reason for the decision: the same presentation with the proof option `expires` (Data
    Integrity 1.0 §2.1, https://w3id.org/security#expiration) is refused by DIDKit."""
    vp = create_presentation([signed_vc], holder=holder_key.controller)
    with_expires = sign_presentation(vp, key=holder_key, canon=canon, created="2026-09-01T11:59:00Z",
                                     expires="2026-09-01T12:09:00Z")
    (result,) = run_didkit({"op": "verify-presentation", "presentation": with_expires})
    assert any("security#expiration" in e for e in result["errors"]), result
