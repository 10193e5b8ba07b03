"""The whole journey of `make demo-script`, end to end through each part's command line: authority and
trust list, issuer (`serve`) with an OpenID4VCI offer, the wallet redeeming it and presenting a
QR code, the verifier reading the QR image with live status and the trust list, revocation, and
a tampered copy refused."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_demo_journey(loopback):
    out = subprocess.run([sys.executable, "scripts/demo_script.py"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout
    assert "received and verified before storing: verified=True, status=ok" in text
    assert "verdict: VALID (exit 0), 0 error(s), 0 warning(s)" in text
    assert "status  passed: revocation: not set" in text
    assert "STATUS_REVOKED: The credential has been revoked" in text
    assert "PROOF_VERIFICATION_ERROR: Invalid signature" in text
    assert "Demo completed" in text
