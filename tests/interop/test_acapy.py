"""Interoperability with ACA-Py (acapy-agent 1.7.0): a credential and a presentation it signed with
eddsa-jcs-2022, stored in tests/vectors/acapy/ (SOURCE.md says how they were made).

ACA-Py's proofs carry no `@context`; eddsa-jcs-2022 then hashes the proof options without one,
where ours (and Digital Bazaar's) copy the document's `@context` into the proof when signing.
Both verify here, every signed value matters, and Digital Bazaar's JCS suite agrees.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Iterator

import pytest

from vccore import (EDDSA_JCS_2022, DidResolver, FixedClock, VerificationReport, Verifier, add_proof,
                    parse_datetime, verify_proofs)

from ..conftest import NOW, VECTORS
from .test_digitalbazaar import _why, batch

ACAPY = VECTORS / "acapy"
CHALLENGE = "acapy-challenge-1"
DOMAIN = "https://verifier.example.nl"


def _load(name: str) -> dict[str, Any]:
    return json.loads((ACAPY / name).read_text(encoding="utf-8"))


CREDENTIAL = _load("credential.json")
PRESENTATION = _load("presentation.json")
CASES = [pytest.param(CREDENTIAL, "assertionMethod", None, None, id="credential"),
         pytest.param(PRESENTATION, "authentication", CHALLENGE, DOMAIN, id="presentation")]


def _proof_report(document: dict[str, Any], purpose: str, challenge: str | None, domain: str | None,
                  canon) -> VerificationReport:
    report = VerificationReport()
    verify_proofs(document, report, canon=canon, resolver=DidResolver(), purpose=purpose,
                  challenge=challenge, domain=domain, now=parse_datetime(NOW))
    return report


def test_the_vectors_are_acapy_jcs_proofs_without_a_context():
    for document in (CREDENTIAL, PRESENTATION, PRESENTATION["verifiableCredential"][0]):
        [proof] = document["proof"]  # ACA-Py always writes a proof set
        assert proof["cryptosuite"] == "eddsa-jcs-2022" and "@context" not in proof


def test_the_credential_verifies(canon):
    report = Verifier(canon=canon, resolver=DidResolver(), clock=FixedClock(NOW)).verify(CREDENTIAL)
    assert report.verified, json.dumps(report.to_json(), indent=1)[:3000]
    assert [c.status for c in report.checks if c.name == "proof"] == ["passed"]


def test_the_presentation_verifies_with_its_challenge_and_domain(canon):
    verifier = Verifier(canon=canon, resolver=DidResolver(), clock=FixedClock(NOW))
    report = verifier.verify(PRESENTATION, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, json.dumps(report.to_json(), indent=1)[:3000]
    assert {c.path: c.status for c in report.checks if c.name == "proof"} == {
        "/proof/0": "passed", "/verifiableCredential/0/proof/0": "passed"}
    assert "INVALID_CHALLENGE_ERROR" in verifier.verify(PRESENTATION, challenge="other", domain=DOMAIN).codes()


def _mutations(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every value, every member name and every array order in the document, one at a time."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,), "rename"
            yield from _mutations(value, path + (key,))
    elif isinstance(node, list):
        if len(node) > 1 and node != node[::-1]:
            yield path, "reverse"
        for index, value in enumerate(node):
            yield from _mutations(value, path + (index,))
    else:
        yield path, "value"


def _mutated(document: dict[str, Any], path: tuple[Any, ...], how: str) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1] if path else None
    if how == "rename":
        parent[f"{last}x"] = parent.pop(last)
    elif how == "reverse":
        target = parent[last] if path else doc
        target.reverse()
    else:
        value = parent[last]
        parent[last] = (not value if isinstance(value, bool) else value + 1 if isinstance(value, int)
                        else value + "x" if isinstance(value, str) else "x")
    return doc


@pytest.mark.parametrize("document, purpose, challenge, domain", CASES)
def test_every_signed_value_name_and_order_matters(document, purpose, challenge, domain, canon):
    assert _proof_report(document, purpose, challenge, domain, canon).verified
    tried = 0
    for path, how in _mutations(document):
        if path[:2] == ("proof", 0) and path[2:] in (("proofValue",),):
            continue  # changing the signature itself is the next test
        report = _proof_report(_mutated(document, path, how), purpose, challenge, domain, canon)
        assert not report.verified, (path, how)
        if path[:1] != ("proof",):
            # the content is signed: the signature itself fails, not some other check
            assert ("PROOF_VERIFICATION_ERROR", "/proof/0/proofValue") in {(p.code, p.path) for p in report.errors}, (path, how)
        tried += 1
    assert tried > 150


@pytest.mark.parametrize("document, purpose, challenge, domain", CASES)
def test_a_changed_signature_or_an_added_proof_context_fails(document, purpose, challenge, domain, canon):
    for value in ("z" + "1" * 87, document["proof"][0]["proofValue"][:-1] + "2"):
        changed = copy.deepcopy(document)
        changed["proof"][0]["proofValue"] = value
        assert not _proof_report(changed, purpose, challenge, domain, canon).verified
    with_context = copy.deepcopy(document)
    with_context["proof"][0]["@context"] = document["@context"]  # what verifiers used to assume
    report = _proof_report(with_context, purpose, challenge, domain, canon)
    assert ("PROOF_VERIFICATION_ERROR", "/proof/0/proofValue") in {(p.code, p.path) for p in report.errors}


def test_our_jcs_proofs_still_carry_and_sign_the_document_context(unsigned_vc, issuer_key, canon):
    signed = add_proof(unsigned_vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z",
                       suite=EDDSA_JCS_2022)
    assert signed["proof"]["@context"] == unsigned_vc["@context"]
    assert _proof_report(signed, "assertionMethod", None, None, canon).verified
    stripped = copy.deepcopy(signed)
    del stripped["proof"]["@context"]
    assert not _proof_report(stripped, "assertionMethod", None, None, canon).verified


def test_a_context_added_after_the_proof_context_is_refused(unsigned_vc, issuer_key, canon):
    """eddsa-jcs-2022 Verify Proof step 4 would accept a document whose @context extends the proof's
    (Digital Bazaar's suite does). We refuse it: the added context is not signed, yet it changes what
    the document means."""
    signed = add_proof(unsigned_vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z",
                       suite=EDDSA_JCS_2022)
    extended = copy.deepcopy(signed)
    extended["@context"] = [*signed["@context"], "https://w3id.org/security/data-integrity/v2"]
    report = _proof_report(extended, "assertionMethod", None, None, canon)
    assert [(p.code, p.path, p.title) for p in report.errors] == [
        ("PROOF_VERIFICATION_ERROR", "/proof/@context", "Context not signed")]
    reordered = copy.deepcopy(signed)
    reordered["@context"] = signed["@context"][::-1]
    report = _proof_report(reordered, "assertionMethod", None, None, canon)
    assert ("PROOF_VERIFICATION_ERROR", "/proof/@context") in {(p.code, p.path) for p in report.errors}


def test_digitalbazaar_verifies_the_acapy_vectors_too():
    tampered = copy.deepcopy(CREDENTIAL)
    tampered["credentialSubject"]["achievement"]["name"] += " (met lof)"
    vc, vp, bad = batch(
        {"op": "verify-credential", "credential": CREDENTIAL, "now": NOW},
        {"op": "verify-presentation", "presentation": PRESENTATION, "challenge": CHALLENGE,
         "domain": DOMAIN, "now": NOW},
        {"op": "verify-credential", "credential": tampered, "now": NOW},
    )
    assert vc["verified"] is True, _why(vc)
    assert vp["verified"] is True and vp["credentialsVerified"] == [True], _why(vp)
    assert bad["verified"] is False and "Invalid signature" in json.dumps(bad["error"]), _why(bad)
