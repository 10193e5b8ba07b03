"""Every incoming credential is verified before it is stored: signature, issuer, status."""

from __future__ import annotations

import json

from vccore.transport import StaticTransport

from .conftest import make_verifier


def test_valid_credential_with_clean_status_lists_is_stored(wallet, issue):
    result = wallet.import_bytes(issue())
    assert result.stored and result.intake.verified and result.intake.status == "ok"
    assert wallet.record(result.stored_id).status == "ok"


def test_tampered_credential_is_refused_with_the_verifiers_code(wallet, issue):
    doc = json.loads(issue())
    doc["credentialSubject"]["creditsEarned"] = 30
    result = wallet.import_bytes(json.dumps(doc).encode())
    assert not result.stored
    assert result.intake.report.codes() == {"PROOF_VERIFICATION_ERROR"}
    assert wallet.records() == []


def test_failing_credential_can_be_kept_clearly_marked(wallet, issue):
    doc = json.loads(issue())
    doc["name"] = "Vervalst"
    result = wallet.import_bytes(json.dumps(doc).encode(), keep_failed=True)
    assert result.stored and wallet.record(result.stored_id).status == "invalid"
    assert wallet.record(result.stored_id).summary["verification"]["errors"] == ["PROOF_VERIFICATION_ERROR"]


def test_revoked_credential_is_reported(wallet, issue, canon, clock, _lists):
    wallet.verifier = make_verifier(canon, clock, StaticTransport(_lists["revoked"]))
    result = wallet.import_bytes(issue())
    assert not result.stored and result.intake.status == "revoked"
    assert result.intake.report.codes() == {"STATUS_REVOKED"}


def test_status_that_cannot_be_checked_is_a_warning(wallet, issue, canon, clock):
    wallet.verifier = make_verifier(canon, clock, StaticTransport({}))
    result = wallet.import_bytes(issue())
    assert result.stored and result.intake.status == "unknown"
    assert result.intake.report.warning_codes() == {"STATUS_RETRIEVAL_ERROR"}


def test_status_list_signed_by_someone_else_is_not_trusted(wallet, issue, canon, clock, holder_key):
    from .conftest import STATUS_URLS, status_list
    forged = {STATUS_URLS[p]: status_list(holder_key, canon, p) for p in STATUS_URLS}
    wallet.verifier = make_verifier(canon, clock, StaticTransport(forged))
    result = wallet.import_bytes(issue())
    assert result.intake.status == "unknown"
    assert result.intake.report.warning_codes() == {"STATUS_VERIFICATION_ERROR"}


def test_garbage_and_presentations_are_refused_with_codes(wallet):
    assert wallet.import_bytes(b"\xff{not json").intake.report.codes() == {"PARSING_ERROR"}
    assert wallet.import_bytes(b"[1, 2]").intake.report.codes() == {"PARSING_ERROR"}
    vp = json.dumps({"type": ["VerifiablePresentation"]}).encode()
    assert wallet.import_bytes(vp).intake.report.codes() == {"MALFORMED_VALUE_ERROR"}


def test_status_lists_are_fetched_only_when_turned_on(monkeypatch):
    from vccore.transport import HttpTransport, NoNetwork
    from wallet.defaults import default_transport
    monkeypatch.delenv("WALLET_ONLINE", raising=False)
    assert isinstance(default_transport(), NoNetwork)
    assert isinstance(default_transport(True), HttpTransport)
    monkeypatch.setenv("WALLET_ONLINE", "1")
    assert isinstance(default_transport(), HttpTransport)
