"""Documents signed by other implementations verify here (sources in tests/vectors/*/SOURCE.md)."""

from __future__ import annotations

import json

import pytest

from vccore import Canonicalizer, ContextLoader, DidResolver, FixedClock, KeyPair, Verifier
from vccore.dataintegrity import verify_proofs
from vccore.did import did_key_document
from vccore.report import VerificationReport
from vccore.errors import MalformedValueError, StatusListLengthError
from vccore.statuslist import Bitstring, parse_status_entry

from ..conftest import VECTORS


@pytest.fixture(scope="module")
def test_verifier() -> Verifier:
    return Verifier(canon=Canonicalizer(ContextLoader(include_test_contexts=True)), resolver=DidResolver(),
                    clock=FixedClock("2026-09-01T00:00:00Z"))


def proof_only(verifier: Verifier, doc: dict) -> tuple[list[str], VerificationReport]:
    report = VerificationReport()
    signers = verify_proofs(doc, report, canon=verifier.canon, resolver=verifier.resolver,
                            purpose="assertionMethod")
    return signers, report


def test_1edtech_validator_open_badge_with_did_key(test_verifier):
    # 1EdTech digital-credentials-public-validator sample: OB 3.0, eddsa-rdfc-2022, bare did:key.
    # The proof verifies. The credential itself is refused: its issuer and its subject are the same
    # urn:uuid, so in the signed graph they are one node described in two JSON objects, and a
    # reader of /issuer would not see what /credentialSubject says of it (reading equals signing).
    doc = json.loads((VECTORS / "openbadges/dcpv/simple-did-key-method.json").read_text())
    signers, report = proof_only(test_verifier, doc)
    assert signers == ["did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"] and not report.problems
    full = test_verifier.verify_credential(doc)
    assert full.codes() == {"COMPACTED_FORM_ERROR"} and full.errors[0].path == "/credentialSubject/id"
    # With the subject given its own identifier, what remains is who signed: the issuer is a
    # urn:uuid, not the key's controller (as Digital Bazaar's CredentialIssuancePurpose says).
    other = json.loads(json.dumps(doc))
    other["credentialSubject"]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    assert "COMPACTED_FORM_ERROR" not in test_verifier.verify_credential(other).codes()
    doc["credentialSubject"]["achievement"]["name"] += "!"
    assert proof_only(test_verifier, doc)[1].codes() == {"PROOF_VERIFICATION_ERROR"}


def test_digitalbazaar_ed25519_signature_2020_fixture(test_verifier):
    doc = json.loads((VECTORS / "ed25519-signature-2020/signedFixture.json").read_text())
    signers, report = proof_only(test_verifier, doc)
    assert signers == ["did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"] and not report.problems
    doc["credentialSubject"]["alumniOf"] = "Elsewhere"
    assert proof_only(test_verifier, doc)[1].codes() == {"PROOF_VERIFICATION_ERROR"}


def test_legacy_eddsa_2022_suite_is_reported_not_crashed(test_verifier):
    doc = json.loads((VECTORS / "openbadges/dcpv/simple-eddsa-2022.json").read_text())
    report = test_verifier.verify_credential(doc)
    assert not report.verified
    assert any(p.title == "Unknown cryptosuite" for p in report.errors)


def test_did_key_method_vectors():
    vectors = json.loads((VECTORS / "did-key/ed25519-x25519.json").read_text())
    for did, vector in vectors.items():
        key = KeyPair.generate(bytes.fromhex(vector["seed"]))
        assert key.controller == did
        document = did_key_document(did)
        assert document["verificationMethod"][0]["publicKeyMultibase"] == did[len("did:key:"):]
        assert document["assertionMethod"] == [f"{did}#{did[len('did:key:'):]}"]


def test_spec_status_list_example_decodes():
    doc = json.loads((VECTORS / "bitstring-status-list/example-3-bitstring-status-list-credential.json").read_text())
    bits = Bitstring.decode(doc["credentialSubject"]["encodedList"])
    assert bits.size == 131_072 and not any(bits.bits)


def test_1edtech_status_list_has_bit_23_set():
    doc = json.loads((VECTORS / "bitstring-status-list/dcpv/testlist.json").read_text())
    bits = Bitstring.decode(doc["credentialSubject"]["encodedList"])
    assert [i for i in range(bits.size) if bits.get(i)] == [23]


def test_bitstring_round_trip_and_leftmost_bit_order():
    bits = Bitstring()
    bits.set(0, True)
    bits.set(131_071, True)
    assert bits.bits[0] == 0x80 and bits.bits[-1] == 0x01
    again = Bitstring.decode(bits.encode())
    assert again.get(0) and again.get(131_071) and not again.get(1)


def test_status_list_decompression_bomb_is_refused():
    import gzip
    from vccore.multibase import encode_multibase
    bomb = encode_multibase(gzip.compress(bytes(64 * 1024 * 1024)), "u")
    with pytest.raises(MalformedValueError) as caught:
        Bitstring.decode(bomb)
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


def test_short_status_list_is_refused():
    import gzip
    from vccore.multibase import encode_multibase
    with pytest.raises(StatusListLengthError):
        Bitstring.decode(encode_multibase(gzip.compress(bytes(1024)), "u"))


def test_status_entry_parsing():
    doc = json.loads((VECTORS / "bitstring-status-list/example-4-revocable-verifiable-credential.json").read_text())
    url, index, purpose = parse_status_entry(doc["credentialStatus"], path="/credentialStatus")
    assert (index, purpose) == (94567, "revocation") and url.startswith("https://")
    with pytest.raises(MalformedValueError):
        parse_status_entry({**doc["credentialStatus"], "statusListIndex": "-1"}, path="/credentialStatus")
