"""W3C spec test vectors (tests/vectors/, sources in each SOURCE.md): signing the published input
with the published key and date reproduces the published proofValue byte for byte, every
intermediate value matches, and the published signed documents verify."""

from __future__ import annotations

import hashlib
import json

import pytest

from vccore import Canonicalizer, ContextLoader, DidResolver, KeyPair, Verifier, add_proof
from vccore.dataintegrity import verify_proofs
from vccore.multibase import decode_secret_multikey
from vccore.report import VerificationReport
from vccore.suites import SUITES, jcs

from ..conftest import VECTORS

EDDSA = VECTORS / "vc-di-eddsa"
CONTROLLER = "https://vc.example/issuers/5678"


def vector_key(pair: dict, controller: str) -> KeyPair:
    seed = decode_secret_multikey(pair["privateKeyMultibase"])
    return KeyPair.generate(seed, controller=controller, key_id=f"{controller}#{pair['publicKeyMultibase']}")


def controller_document(controller: str, *keys: KeyPair, relationship: str = "assertionMethod") -> dict:
    return {"id": controller,
            "verificationMethod": [{"id": k.id, "type": "Multikey", "controller": controller,
                                    "publicKeyMultibase": k.public_multibase} for k in keys],
            relationship: [k.id for k in keys]}


@pytest.fixture(scope="module")
def canon() -> Canonicalizer:
    """The spec vectors use the examples context, which only tests may load."""
    return Canonicalizer(ContextLoader(include_test_contexts=True))


@pytest.fixture(scope="module")
def key() -> KeyPair:
    return vector_key(json.loads((EDDSA / "keyPair.json").read_text()), CONTROLLER)


@pytest.fixture(scope="module")
def resolver(key) -> DidResolver:
    return DidResolver(documents={CONTROLLER: controller_document(CONTROLLER, key)})


CASES = [  # (folder, suite, suffix)
    ("eddsa-rdfc-2022", "eddsa-rdfc-2022", "DataInt"),
    ("eddsa-jcs-2022", "eddsa-jcs-2022", "JCS"),
]


@pytest.mark.parametrize("folder,suite,suffix", CASES)
def test_signing_reproduces_the_published_proof(folder, suite, suffix, key, canon):
    signed = json.loads((EDDSA / folder / f"signed{suffix}.json").read_text())
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    ours = add_proof(unsigned, key=key, canon=canon, created=signed["proof"]["created"], suite=SUITES[suite])
    assert ours["proof"] == signed["proof"]


def _intermediates(document: dict, config: dict, suite: str, canon) -> dict[str, str]:
    s = SUITES[suite]
    config = dict(config)
    if s.rdf:
        config["@context"] = document["@context"]
    canon_doc, canon_proof = s.canonicalize(document, canon), s.canonicalize(config, canon)
    proof_hash, doc_hash = hashlib.sha256(canon_proof).hexdigest(), hashlib.sha256(canon_doc).hexdigest()
    return {"canonDoc": canon_doc.decode(), "docHash": doc_hash, "proofCanon": canon_proof.decode(),
            "proofHash": proof_hash, "combinedHash": proof_hash + doc_hash}


def test_rdfc_intermediate_values_match(canon):
    # proofHashDataInt.txt and sigHexDataInt.txt come from another spec revision (SOURCE.md);
    # combinedHash holds the current proof hash.
    base = EDDSA / "eddsa-rdfc-2022"
    signed = json.loads((base / "signedDataInt.json").read_text())
    config = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    ours = _intermediates({k: v for k, v in signed.items() if k != "proof"}, config, "eddsa-rdfc-2022", canon)
    for name in ("canonDoc", "docHash", "proofCanon", "combinedHash"):
        assert ours[name].strip("\n") == (base / f"{name}DataInt.txt").read_text().strip("\n"), name


def test_jcs_intermediate_values_match(canon):
    # The JCS folder's proof-side files are from the revision whose key is a did:key.
    base = EDDSA / "eddsa-jcs-2022"
    signed = json.loads((base / "signedJCS.json").read_text())
    config = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    public = json.loads((EDDSA / "keyPair.json").read_text())["publicKeyMultibase"]
    config["verificationMethod"] = f"did:key:{public}#{public}"
    ours = _intermediates({k: v for k, v in signed.items() if k != "proof"}, config, "eddsa-jcs-2022", canon)
    for name in ("canonDoc", "docHash", "proofCanon", "proofHash", "combinedHash"):
        assert ours[name].strip("\n") == (base / f"{name}JCS.txt").read_text().strip("\n"), name


@pytest.mark.parametrize("folder,suite,suffix", CASES)
def test_published_signed_vector_verifies(folder, suite, suffix, canon, resolver):
    signed = json.loads((EDDSA / folder / f"signed{suffix}.json").read_text())
    report = VerificationReport()
    assert verify_proofs(signed, report, canon=canon, resolver=resolver, purpose="assertionMethod") == [CONTROLLER]
    assert report.problems == []


@pytest.mark.parametrize("folder,suite,suffix", CASES)
def test_published_vector_tampered_fails(folder, suite, suffix, canon, resolver):
    signed = json.loads((EDDSA / folder / f"signed{suffix}.json").read_text())
    signed["credentialSubject"]["alumniOf"] = "Another School"
    report = VerificationReport()
    verify_proofs(signed, report, canon=canon, resolver=resolver, purpose="assertionMethod")
    assert report.codes() == {"PROOF_VERIFICATION_ERROR"}


def test_jcs_is_rfc8785():
    # RFC 8785 §3.2.2 ordering and number serialisation
    assert jcs({"b": 1, "a": [1.0, 1e21, "\u20ac"]}) == b'{"a":[1,1e+21,"\xe2\x82\xac"],"b":1}'


# -- proof sets and chains (vc-di-eddsa TestVectors/proof-set-chain) ---------------------------

CHAIN = EDDSA / "proof-set-chain"


@pytest.fixture(scope="module")
def chain_keys() -> dict[str, KeyPair]:
    pairs = json.loads((CHAIN / "multiKeyPairs.json").read_text())
    keys = {}
    for proof_file in ("signedProofSet1.json", "signedProofChain2.json"):
        proofs = json.loads((CHAIN / proof_file).read_text())["proof"]
        for proof in proofs if isinstance(proofs, list) else [proofs]:
            vm = proof["verificationMethod"]
            controller, fragment = vm.split("#")
            pair = next(p for p in pairs.values() if p["publicKeyMultibase"] == fragment)
            keys[vm] = vector_key(pair, controller)
    return keys


@pytest.fixture(scope="module")
def chain_resolver(chain_keys) -> DidResolver:
    resolver = DidResolver()
    for k in chain_keys.values():
        resolver.add_document(controller_document(k.controller, k))
    return resolver


@pytest.mark.parametrize("name", ["signedProofSet1.json", "signedProofChain1.json", "signedProofChain2.json"])
def test_proof_sets_and_chains_verify(name, canon, chain_resolver):
    document = json.loads((CHAIN / name).read_text())
    report = VerificationReport()
    signers = verify_proofs(document, report, canon=canon, resolver=chain_resolver, purpose="assertionMethod")
    assert report.problems == []
    assert len(signers) == (len(document["proof"]) if isinstance(document["proof"], list) else 1)


def test_proof_chain_is_reproduced_byte_for_byte(canon, chain_keys):
    published = json.loads((CHAIN / "signedProofChain2.json").read_text())
    document = {k: v for k, v in published.items() if k != "proof"}
    for proof in published["proof"]:
        key = chain_keys[proof["verificationMethod"]]
        document = add_proof(document, key=key, canon=canon, created=proof["created"],
                             proof_id=proof.get("id"), previous_proof=proof.get("previousProof"))
    assert document["proof"] == published["proof"]


def test_proof_chain_with_a_removed_previous_proof_fails(canon, chain_resolver):
    document = json.loads((CHAIN / "signedProofChain2.json").read_text())
    del document["proof"][0]
    report = VerificationReport()
    verify_proofs(document, report, canon=canon, resolver=chain_resolver, purpose="assertionMethod")
    assert "PROOF_VERIFICATION_ERROR" in report.codes()
    assert any(p.title == "Missing previous proof" for p in report.problems)


def test_vector_verifies_through_the_verifier(canon, resolver, clock):
    signed = json.loads((EDDSA / "eddsa-rdfc-2022" / "signedDataInt.json").read_text())
    report = Verifier(canon=canon, resolver=resolver, clock=clock).verify_credential(signed)
    assert report.verified, report.to_json()


def test_jcs_fast_path_equals_rfc8785():
    """The standard-library path of `jcs` against rfc8785 itself, on varied documents."""
    import random
    import rfc8785
    from vccore.suites import _plain
    rng = random.Random(3)
    alphabet = ["a", "Z", "é", "€", "中", "😀", '"', "\\", "\n", "\t", "\u0000", "\u001f", "\u007f", "\u2028",
                "\ue000", "\uffff", "/", "<", " "]

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))

    def value(depth=0):
        kind = rng.randint(0, 7 if depth < 3 else 4)
        if kind == 0:
            return rng.choice([True, False, None])
        if kind == 1:
            return rng.choice([0, -1, 1, 2 ** 31, -(2 ** 53), 2 ** 53, 10 ** 15])
        if kind in (2, 3, 4):
            return text()
        if kind == 5:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {text(): value(depth + 1) for _ in range(rng.randint(0, 5))}

    checked = 0
    for _ in range(1500):
        doc = {text(): value() for _ in range(rng.randint(1, 6))}
        if _plain(doc):
            assert jcs(doc) == rfc8785.dumps(doc)
            checked += 1
    assert checked > 250
    assert not _plain({"x": 1.5}) and not _plain({"\U0001f600": 1}) and not _plain({"x": 2 ** 60})
    assert jcs({"a": 1.5, "b": "\U0001f600"}) == rfc8785.dumps({"a": 1.5, "b": "\U0001f600"})
