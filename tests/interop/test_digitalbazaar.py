"""Interoperability with an independent implementation: Digital Bazaar's JavaScript libraries
(@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022 and eddsa-jcs-2022 cryptosuites), pinned in
tests/interop/package.json and installed by scripts/ensure-interop-node.sh.

Both directions: what vccore signs verifies there (and tampering is caught there), what the
JavaScript libraries sign verifies here, and because EdDSA is deterministic both sides produce the
very same proof for the same key, time and document.

The node helper (interop.mjs) runs offline: it loads only contexts/ and did:key. It is a separate
process, so this repo's no-network guard does not apply to it; its document loader is the guard.
"""

from __future__ import annotations

import copy
import json
import pathlib
import shutil
import subprocess
from typing import Any

import pytest

from vccore import (EDDSA_JCS_2022, EDDSA_RDFC_2022, DidResolver, FixedClock, Verifier, add_proof,
                    create_presentation, sign_presentation)

from ..conftest import HOLDER_SEED, ISSUER_SEED, NOW

HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE / "interop.mjs"
CREATED = "2026-06-30T09:00:00Z"
VP_CREATED = "2026-09-01T11:59:00Z"
CHALLENGE = "c-7f3e9a1b"
DOMAIN = "https://werkgever.example"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the Digital Bazaar interoperability tests need Node.js >= 18")
    if not (HERE / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail("tests/interop/node_modules is missing: run `sh scripts/ensure-interop-node.sh` "
                    "(npm ci of the pinned Digital Bazaar libraries) before these tests")
    return node


def run_node(request: dict[str, Any]) -> dict[str, Any]:
    """One request to interop.mjs (an op, or {"op": "batch", "requests": [...]})."""
    proc = subprocess.run([_node(), str(SCRIPT)], input=json.dumps(request), capture_output=True,
                          text=True, timeout=60, cwd=HERE)
    assert proc.returncode == 0, f"interop.mjs exited {proc.returncode}: {proc.stderr}"
    return json.loads(proc.stdout)


def batch(*requests: dict[str, Any]) -> list[dict[str, Any]]:
    results = run_node({"op": "batch", "requests": list(requests)})["results"]
    assert len(results) == len(requests)
    return results


def _why(result: dict[str, Any]) -> str:
    return json.dumps(result.get("error"), indent=1)[:3000]


def _vccore_verifier(canon) -> Verifier:
    return Verifier(canon=canon, resolver=DidResolver(), clock=FixedClock(NOW))


def _report_text(report) -> str:
    return json.dumps(report.to_json(), indent=1)[:3000]


SUITES = [pytest.param(EDDSA_RDFC_2022, id="eddsa-rdfc-2022"),
          pytest.param(EDDSA_JCS_2022, id="eddsa-jcs-2022")]


@pytest.mark.parametrize("suite", SUITES)
def test_vccore_credential_verifies_in_digitalbazaar_and_tampering_is_caught(unsigned_vc, issuer_key,
                                                                              canon, suite):
    signed = add_proof(unsigned_vc, key=issuer_key, canon=canon, created=CREATED, suite=suite)
    tampered_claim = copy.deepcopy(signed)
    tampered_claim["credentialSubject"]["achievement"]["name"] += " (met lof)"
    tampered_proof = copy.deepcopy(signed)
    tampered_proof["proof"]["created"] = "2026-06-30T09:00:01Z"

    good, bad_claim, bad_proof = batch(
        {"op": "verify-credential", "credential": signed, "now": NOW},
        {"op": "verify-credential", "credential": tampered_claim, "now": NOW},
        {"op": "verify-credential", "credential": tampered_proof, "now": NOW},
    )

    assert good["verified"] is True, _why(good)
    assert good["proofs"] == [{"verified": True, "cryptosuite": suite.name, "purpose": "assertionMethod"}]
    for bad in (bad_claim, bad_proof):
        assert bad["verified"] is False
        # rejected for the signature, not for some unrelated reason (context, loader, data model)
        assert "Invalid signature" in json.dumps(bad["error"]), _why(bad)


@pytest.mark.parametrize("suite", SUITES)
def test_vccore_presentation_verifies_in_digitalbazaar(signed_vc, holder_key, canon, suite):
    vp = create_presentation([signed_vc], holder=holder_key.controller)
    signed = sign_presentation(vp, key=holder_key, canon=canon, created=VP_CREATED,
                               challenge=CHALLENGE, domain=DOMAIN, suite=suite)

    good, wrong_challenge, wrong_domain = batch(
        {"op": "verify-presentation", "presentation": signed, "challenge": CHALLENGE,
         "domain": DOMAIN, "now": NOW},
        {"op": "verify-presentation", "presentation": signed, "challenge": "other",
         "domain": DOMAIN, "now": NOW},
        {"op": "verify-presentation", "presentation": signed, "challenge": CHALLENGE,
         "domain": "https://elders.example", "now": NOW},
    )

    assert good["verified"] is True, _why(good)
    assert good["presentationVerified"] is True
    assert good["credentialsVerified"] == [True]
    assert wrong_challenge["verified"] is False and wrong_challenge["presentationVerified"] is False
    assert "challenge" in json.dumps(wrong_challenge["error"]), _why(wrong_challenge)
    assert wrong_domain["verified"] is False and wrong_domain["presentationVerified"] is False
    assert "domain" in json.dumps(wrong_domain["error"]), _why(wrong_domain)


@pytest.mark.parametrize("suite", SUITES)
def test_digitalbazaar_signatures_verify_in_vccore_and_equal_ours(unsigned_vc, issuer_key, holder_key,
                                                                  canon, suite):
    ours_vc = add_proof(unsigned_vc, key=issuer_key, canon=canon, created=CREATED, suite=suite)
    vp = create_presentation([ours_vc], holder=holder_key.controller)
    ours_vp = sign_presentation(vp, key=holder_key, canon=canon, created=VP_CREATED,
                                challenge=CHALLENGE, domain=DOMAIN, suite=suite)

    js_vc, js_vp = batch(
        {"op": "sign-credential", "credential": unsigned_vc, "seed_hex": ISSUER_SEED.hex(),
         "created": CREATED, "cryptosuite": suite.name, "now": NOW},
        {"op": "sign-presentation", "presentation": vp, "seed_hex": HOLDER_SEED.hex(),
         "created": VP_CREATED, "challenge": CHALLENGE, "domain": DOMAIN, "cryptosuite": suite.name},
    )
    assert "error" not in js_vc, _why(js_vc)
    assert "error" not in js_vp, _why(js_vp)
    assert js_vc["verificationMethod"] == issuer_key.id
    assert js_vp["verificationMethod"] == holder_key.id
    theirs_vc, theirs_vp = js_vc["credential"], js_vp["presentation"]

    verifier = _vccore_verifier(canon)
    report = verifier.verify(theirs_vc)
    assert report.verified, _report_text(report)
    report = verifier.verify(theirs_vp, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, _report_text(report)

    # EdDSA (RFC 8032) is deterministic: same key, same proof options, same document -> same bytes.
    assert theirs_vc["proof"]["proofValue"] == ours_vc["proof"]["proofValue"]
    assert theirs_vp["proof"]["proofValue"] == ours_vp["proof"]["proofValue"]
    assert theirs_vc == ours_vc
    assert theirs_vp == ours_vp


def test_the_node_helper_is_offline(signed_vc):
    """Its document loader serves contexts/ and did:key only: a context from elsewhere fails."""
    foreign = copy.deepcopy(signed_vc)
    foreign["@context"].append("https://example.org/unlisted-context")
    (result,) = batch({"op": "verify-credential", "credential": foreign, "now": NOW})
    assert result["verified"] is False
    assert "offline document loader: refusing to load" in json.dumps(result["error"]), _why(result)
