"""Hostile and broken input: each case names the problem code it expects, and nothing raises."""

from __future__ import annotations

import copy
import json

import pytest

from vccore import KeyPair, add_proof, create_presentation, sign_presentation
from vccore.suites import EDDSA_JCS_2022

from ..conftest import load_example


def leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, path + (i,))
    else:
        yield path, node


def changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    return value + "x" if isinstance(value, str) else "x"


SIGNED_LEAVES = [p for p, _ in leaves(load_example()) if p[0] != "proof"]


@pytest.mark.parametrize("path", SIGNED_LEAVES, ids=lambda p: "/".join(map(str, p)))
def test_every_signed_member_changed_is_detected(path, signed_vc, verifier):
    node = signed_vc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = changed(node[path[-1]])
    report = verifier.verify_credential(signed_vc)
    assert not report.verified
    expected = {"PROOF_VERIFICATION_ERROR"}
    if path[0] == "@context":
        expected = {"UNKNOWN_CONTEXT_ERROR", "MALFORMED_VALUE_ERROR"}
    elif "type" in path:  # a changed type changes which terms are defined below it
        expected = {"PROOF_VERIFICATION_ERROR", "MALFORMED_VALUE_ERROR", "UNDEFINED_TERM_ERROR"}
    assert report.codes() & expected, report.to_json()["problems"]


def test_signed_credential_verifies(signed_vc, verifier):
    report = verifier.verify_credential(signed_vc)
    assert report.verified, report.to_json()
    assert {c.name for c in report.checks} >= {"data-model", "validity", "proof"}


def test_jcs_signed_credential_verifies(unsigned_vc, issuer_key, canon, verifier):
    signed = add_proof(unsigned_vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z",
                       suite=EDDSA_JCS_2022)
    assert verifier.verify_credential(signed).verified
    signed["name"] = "Other"
    assert verifier.verify_credential(signed).codes() == {"PROOF_VERIFICATION_ERROR"}


def test_corrupted_proof_value(signed_vc, verifier):
    value = signed_vc["proof"]["proofValue"]
    signed_vc["proof"]["proofValue"] = value[:10] + ("A" if value[10] != "A" else "B") + value[11:]
    report = verifier.verify_credential(signed_vc)
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}
    assert report.errors[0].path == "/proof/proofValue"


def test_proof_value_not_multibase(signed_vc, verifier):
    signed_vc["proof"]["proofValue"] = "not base58 !!"
    assert verifier.verify_credential(signed_vc).codes() == {"MALFORMED_VALUE_ERROR"}


def test_signed_with_a_key_that_is_not_the_issuers(unsigned_vc, canon, verifier):
    other = KeyPair.generate(bytes(32))
    signed = add_proof(unsigned_vc, key=other, canon=canon, created="2026-06-30T09:00:00Z")
    report = verifier.verify_credential(signed)
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}
    assert report.errors[0].path == "/issuer"


def test_signature_by_another_key_under_the_issuers_method(unsigned_vc, issuer_key, canon, verifier):
    other = KeyPair.generate(bytes(32), controller=issuer_key.controller, key_id=issuer_key.id)
    signed = add_proof(unsigned_vc, key=other, canon=canon, created="2026-06-30T09:00:00Z")
    report = verifier.verify_credential(signed)
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}
    assert report.errors[0].title == "Invalid signature"


def test_wrong_proof_purpose(unsigned_vc, issuer_key, canon, verifier):
    signed = add_proof(unsigned_vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z",
                       purpose="authentication")
    report = verifier.verify_credential(signed)
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}
    assert report.errors[0].path == "/proof/proofPurpose"


def test_purpose_not_authorized_by_the_controller(unsigned_vc, issuer_key, canon, clock):
    from vccore import DidResolver, Verifier
    doc = {"id": "https://uni.example/issuer", "verificationMethod": [
        {"id": "https://uni.example/issuer#k", "type": "Multikey", "controller": "https://uni.example/issuer",
         "publicKeyMultibase": issuer_key.public_multibase}], "authentication": ["https://uni.example/issuer#k"]}
    key = KeyPair.generate(issuer_key.seed, controller=doc["id"], key_id=doc["id"] + "#k")
    unsigned_vc["issuer"]["id"] = doc["id"]
    signed = add_proof(unsigned_vc, key=key, canon=canon, created="2026-06-30T09:00:00Z")
    report = Verifier(canon=canon, resolver=DidResolver(documents={doc["id"]: doc}), clock=clock).verify_credential(signed)
    assert report.codes() == {"INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD"}


def test_unknown_cryptosuite(signed_vc, verifier):
    signed_vc["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    report = verifier.verify_credential(signed_vc)
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}
    assert report.errors[0].title == "Unknown cryptosuite"


def test_no_proof(signed_vc, verifier):
    del signed_vc["proof"]
    assert verifier.verify_credential(signed_vc).codes() == {"PROOF_VERIFICATION_ERROR"}


@pytest.mark.parametrize("where", [(), ("credentialSubject",), ("credentialSubject", "achievement"),
                                   ("issuer",), ("credentialStatus", 0)])
def test_undefined_term_added(where, signed_vc, verifier):
    # The published VC 2.0 context has no catch-all vocabulary: an undefined term would be
    # silently dropped by JSON-LD, i.e. unsigned. Safe mode refuses it, with its location.
    node = signed_vc
    for step in where:
        node = node[step]
    node["bonusPoints"] = 3
    report = verifier.verify_credential(signed_vc)
    assert report.codes() == {"UNDEFINED_TERM_ERROR"}
    assert report.errors[0].path == "".join(f"/{s}" for s in where) + "/bonusPoints"


def test_undefined_term_in_a_vc11_credential_is_refused(issuer_key, canon, verifier):
    vc = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
          "issuer": issuer_key.controller, "issuanceDate": "2026-01-01T00:00:00Z",
          "credentialSubject": {"id": "did:example:1", "undefinedTerm": "x"}}
    from vccore.errors import UndefinedTermError
    with pytest.raises(UndefinedTermError) as caught:
        add_proof(vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z")
    assert caught.value.path == "/credentialSubject/undefinedTerm"
    del vc["credentialSubject"]["undefinedTerm"]
    signed = add_proof(vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z")
    assert signed["@context"][-1] == "https://w3id.org/security/data-integrity/v2"  # added for the proof's terms
    assert verifier.verify_credential(signed).verified
    signed["credentialSubject"]["undefinedTerm"] = "x"
    report = verifier.verify_credential(signed)
    assert report.codes() == {"UNDEFINED_TERM_ERROR"}


def test_relative_iri_is_refused(unsigned_vc, issuer_key, canon):
    from vccore.errors import UndefinedTermError
    unsigned_vc["credentialSubject"]["id"] = "learner-17"
    with pytest.raises(Exception) as caught:
        add_proof(unsigned_vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z")
    assert isinstance(caught.value, UndefinedTermError)


def test_unknown_context(signed_vc, verifier):
    signed_vc["@context"].append("https://evil.example/context.jsonld")
    report = verifier.verify_credential(signed_vc)
    assert report.codes() == {"UNKNOWN_CONTEXT_ERROR"}
    assert report.errors[0].path == "/@context/2"


def test_reordered_contexts(signed_vc, verifier):
    signed_vc["@context"].reverse()
    report = verifier.verify_credential(signed_vc)
    assert "MALFORMED_VALUE_ERROR" in report.codes()
    assert any(p.path == "/@context/0" for p in report.errors)


def test_expired(unsigned_vc, issuer_key, canon, verifier, clock):
    unsigned_vc["validUntil"] = "2026-08-01T00:00:00Z"
    signed = add_proof(unsigned_vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z")
    assert verifier.verify_credential(signed).codes() == {"EXPIRED_ERROR"}
    clock.advance(days=-60)
    assert verifier.verify_credential(signed).verified


def test_not_yet_valid(signed_vc, verifier, clock):
    clock.advance(days=-100)
    report = verifier.verify_credential(signed_vc)
    assert report.codes() == {"NOT_YET_VALID_ERROR"}
    assert report.errors[0].path == "/validFrom"


def test_valid_until_before_valid_from(unsigned_vc, verifier):
    unsigned_vc["validUntil"] = "2026-01-01T00:00:00Z"
    assert "RANGE_ERROR" in verifier.verify_credential(unsigned_vc).codes()


def test_bad_date(signed_vc, verifier):
    signed_vc["validFrom"] = "30-06-2026"
    report = verifier.verify_credential(signed_vc)
    assert "MALFORMED_VALUE_ERROR" in report.codes()
    assert any(p.path == "/validFrom" for p in report.errors)


@pytest.fixture
def presentation(signed_vc, holder_key, canon):
    vp = create_presentation([signed_vc], holder=holder_key.controller)
    return sign_presentation(vp, key=holder_key, canon=canon, created="2026-09-01T11:59:00Z",
                             challenge="c-123", domain="werkgever.example")


def test_presentation_verifies(presentation, verifier):
    report = verifier.verify_presentation(presentation, challenge="c-123", domain="werkgever.example")
    assert report.verified, report.to_json()
    assert any(c.name == "holder-binding" and c.status == "passed" for c in report.checks)


def test_wrong_challenge(presentation, verifier):
    report = verifier.verify_presentation(presentation, challenge="c-999", domain="werkgever.example")
    assert report.codes() == {"INVALID_CHALLENGE_ERROR"}


def test_wrong_domain(presentation, verifier):
    report = verifier.verify_presentation(presentation, challenge="c-123", domain="elders.example")
    assert report.codes() == {"INVALID_DOMAIN_ERROR"}


def test_presentation_signed_by_someone_other_than_the_subject(signed_vc, canon, verifier):
    thief = KeyPair.generate(bytes(range(32)))
    vp = sign_presentation(create_presentation([signed_vc], holder=thief.controller), key=thief,
                           canon=canon, created="2026-09-01T11:59:00Z", challenge="c")
    report = verifier.verify_presentation(vp, challenge="c")
    assert report.codes() == {"HOLDER_BINDING_ERROR"}
    assert report.errors[0].path == "/verifiableCredential/0/credentialSubject/id"


def test_presentation_with_tampered_credential(presentation, verifier):
    presentation["verifiableCredential"][0]["credentialSubject"]["creditsEarned"] = 30
    report = verifier.verify_presentation(presentation, challenge="c-123", domain="werkgever.example")
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}


@pytest.mark.parametrize("text", [b"", b"{", b'{"@context": [', b"\xff\xfe", b"null", b"[]", b"42",
                                  b'"just a string"', b"NaN", b'{"a": Infinity}'])
def test_garbage_and_truncated_json(text, verifier):
    report = verifier.verify(text)
    assert not report.verified
    assert report.codes() <= {"PARSING_ERROR", "MALFORMED_VALUE_ERROR"} and report.codes()


def test_truncated_signed_credential(signed_vc, verifier):
    text = json.dumps(signed_vc).encode()
    assert verifier.verify(text[: len(text) // 2]).codes() == {"PARSING_ERROR"}


def test_ten_megabyte_document(signed_vc, verifier):
    signed_vc["description"] = "x" * (10 * 1024 * 1024)
    report = verifier.verify(json.dumps(signed_vc).encode())
    assert report.codes() == {"PARSING_ERROR"}
    assert report.errors[0].title == "Document too large"


def test_ten_thousand_deep_nesting(verifier):
    text = ("[" * 10_000 + "]" * 10_000).encode()
    assert verifier.verify(text).codes() == {"PARSING_ERROR"}
    deep: dict = {}
    node = deep
    for _ in range(10_000):
        node["a"] = {}
        node = node["a"]
    assert verifier.verify_credential(deep).codes() == {"PARSING_ERROR"}


def test_hostile_values_in_every_position_never_raise(signed_vc, verifier):
    hostile = [None, 0, -1, 1e308, True, [], {}, [[[]]], "", "\u0000", "x" * 5000, {"@id": 5},
               {"@context": "https://evil.example/"}, {"@type": "@json"}]
    for path, _ in list(leaves(copy.deepcopy(signed_vc)))[:40]:
        for value in hostile:
            doc = copy.deepcopy(signed_vc)
            node = doc
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
            report = verifier.verify_credential(doc)  # must not raise
            assert not report.verified and report.errors[0].code


def test_poison_graph_is_refused_quickly(issuer_key, canon, verifier):
    import time
    # many identical blank nodes: RDFC-1.0's N-degree step would explode without a budget
    vc = load_example()
    vc["issuer"]["id"] = issuer_key.controller
    del vc["credentialSubject"]["achievement"]["id"]  # a blank node linked to all of them
    vc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "x", "targetUrl": "https://x.example/"} for _ in range(40)]
    start = time.monotonic()
    report = verifier.verify_credential(vc)
    assert time.monotonic() - start < 20
    assert not report.verified


def test_one_verifier_shared_by_threads(presentation, canon, clock):
    """pyld's caches are not thread-safe; vccore serialises its pyld calls, so a verifier (and
    its canonicalizer) can be shared by a threaded server's threads."""
    import threading
    from vccore import Canonicalizer, DidResolver, Verifier
    shared = Verifier(canon=Canonicalizer(canon.loader, fast=False), resolver=DidResolver(), clock=clock)  # all pyld
    failures: list[set[str]] = []

    def work() -> None:
        for _ in range(40):
            report = shared.verify_presentation(presentation, challenge="c-123", domain="werkgever.example")
            if not report.verified:
                failures.append(report.codes())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
