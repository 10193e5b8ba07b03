"""RDFC-1.0: the fast path (the RDF vccore.compacted writes, canonicalized by vccore.rdfc) against
pyld, the reference, byte for byte on many documents; and safe mode."""

from __future__ import annotations

import copy
import json
import random
import re

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vccore import Canonicalizer, ContextLoader, KeyPair, add_proof
from vccore.errors import UndefinedTermError, UnknownContextError

from ..conftest import ISSUER_SEED, VECTORS, load_example
from ..strategies import ob3_credentials, shuffled

ALPHABET = ["a", "Z", " ", "é", "ß", "€", "中", "😀", '"', "\\", "\n", "\r", "\t", "\u2028",
            "<", ">", "&", "'", "^^", "@", "_:b0", "#", "\u00a0", "\U0001d11e", "\ufffd"]
CONTROL = ["\u0000", "\u0007", "\b", "\f", "\u001f", "\u007f"]


def random_text(rng: random.Random) -> str:
    alphabet = ALPHABET + CONTROL if rng.random() < 0.1 else ALPHABET
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def mutate(doc: dict, rng: random.Random) -> dict:
    doc = copy.deepcopy(doc)
    subject = doc["credentialSubject"]
    achievement = subject["achievement"]
    doc["name"] = random_text(rng)
    achievement["description"] = random_text(rng)
    subject["identifier"][0]["identityHash"] = random_text(rng)
    subject["creditsEarned"] = rng.choice([0, 1, 3, 30, 2**31, -5])
    subject["identifier"][0]["hashed"] = rng.choice([True, False])
    rng.shuffle(achievement["alignment"])
    del achievement["alignment"][rng.randint(0, len(achievement["alignment"]) - 1):]
    for alignment in achievement["alignment"]:
        alignment["targetName"] = random_text(rng) or "x"
    if rng.random() < 0.5:
        del doc["credentialStatus"]
    if rng.random() < 0.3:
        doc["validUntil"] = "2030-01-01T00:00:00Z"
    return doc


@pytest.fixture(scope="module")
def test_canon() -> Canonicalizer:
    return Canonicalizer(ContextLoader(include_test_contexts=True))


def fast(c: Canonicalizer, doc: dict) -> str | None:
    return c._fast(doc)


@pytest.mark.parametrize("seed", range(80))
def test_fast_path_matches_pyld_on_varied_microcredentials(seed, test_canon):
    doc = mutate(load_example(), random.Random(seed))
    reference = test_canon.reference(doc)
    answer = fast(test_canon, doc)
    assert answer in (None, reference)
    if not any(c in json.dumps(doc) for c in ("\\u0000", "\\u0007", "\\b", "\\f", "\\u001f", "\\u007f")):
        assert answer == reference  # only control characters are left to pyld here
    assert test_canon.canonicalize(doc) == reference


@pytest.mark.parametrize("name", ["eddsa-rdfc-2022/signedDataInt.json", "proof-set-chain/signedProofSet1.json",
                                  "proof-set-chain/signedProofChain2.json", "eddsa-jcs-2022/signedJCS.json"])
def test_fast_path_matches_pyld_on_spec_vectors(name, test_canon):
    doc = json.loads((VECTORS / "vc-di-eddsa" / name).read_text())
    for variant in (doc, {k: v for k, v in doc.items() if k != "proof"}):
        assert fast(test_canon, variant) in (None, test_canon.reference(variant))
        assert test_canon.canonicalize(variant) == test_canon.reference(variant)


def test_the_first_document_takes_the_fast_path(test_canon, monkeypatch):
    """No shape to learn: a canonicalizer that has seen nothing answers without pyld."""
    c = Canonicalizer(test_canon.loader)
    monkeypatch.setattr(c, "reference", lambda doc: pytest.fail("pyld was asked"))
    doc = load_example()
    first = c.canonicalize(doc)
    doc["name"] = "Ander"
    assert c.canonicalize(doc) != first


def test_member_and_array_order_cannot_force_the_slow_path(test_canon):
    """A hostile client shuffling members and arrays gets the same bytes, from the fast path."""
    doc = load_example()
    reference = test_canon.reference(doc)
    rng = random.Random(11)
    for _ in range(30):
        assert fast(test_canon, shuffled(doc, rng, arrays=True)) == reference


DECIMALS = [7.5, 3.0, 0.5, 29.5, 0.1, 0.30000000000000004, 1 / 3, 1e21, 1e20, 2.5e-300, 1.7976931348623157e308,
            123456789.123, -0.0, -7.25, 12345678901234567890.0, 5e-324]


@pytest.mark.parametrize("number", DECIMALS)
def test_decimals_take_the_fast_path_with_pyld_s_bytes(number, test_canon):
    doc = load_example()
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = number   # xsd:float in OB 3.0
    doc["credentialSubject"]["creditsEarned"] = number                    # untyped: xsd:double/integer
    assert fast(test_canon, doc) == test_canon.reference(doc)


def test_unknown_context_is_refused_without_fetching(test_canon):
    doc = load_example()
    doc["@context"].append("https://example.org/unknown.jsonld")
    with pytest.raises(UnknownContextError):
        test_canon.canonicalize(doc)


def test_embedded_context_referring_to_unknown_url_is_refused(test_canon):
    doc = load_example()
    doc["@context"].append({"@import": "https://example.org/x.jsonld"})
    with pytest.raises(Exception) as caught:
        test_canon.canonicalize(doc)
    assert getattr(caught.value, "code", None) in ("UNKNOWN_CONTEXT_ERROR", "PROOF_TRANSFORMATION_ERROR")


def test_undefined_type_is_refused(test_canon):
    doc = load_example()
    doc["credentialSubject"]["achievement"]["alignment"][0]["type"] = ["Alignment", "Bogus"]
    with pytest.raises(UndefinedTermError) as caught:
        test_canon.canonicalize(doc)
    assert caught.value.path == "/credentialSubject/achievement/alignment/0/type/1"


def test_test_only_contexts_are_not_loaded_in_production():
    assert not ContextLoader().knows("https://www.w3.org/ns/credentials/examples/v2")
    assert ContextLoader(include_test_contexts=True).knows("https://www.w3.org/ns/credentials/examples/v2")


MALFORMED_IRIS = ["urn:uuid:a b", "urn:uuid:a<b", "https://[::1", "urn:x:\u0001", "https://x.example/{a}",
                  "https://x.example/%zz", "https://x.example:abc/", "https://x.example/\ufffe"]
WELL_FORMED_IRIS = ["https://x.example/é", "https://x.example:99999/", "mailto:a@b", "did:key:z6Mk",
                    "https://user:pw@x.example/", "urn:x:a#b?c"]


@pytest.mark.parametrize("iri", MALFORMED_IRIS + WELL_FORMED_IRIS)
def test_ids_good_and_bad_give_pyld_s_answer(iri, test_canon):
    # IRIs that N-Quads cannot hold are left to pyld, the reference; the others give its bytes
    doc = load_example()
    doc["credentialSubject"]["achievement"]["id"] = iri
    c = Canonicalizer(test_canon.loader)
    answer = fast(c, doc)
    assert answer in (None, c.reference(doc))
    assert (answer is None) == bool(re.search(r'[\x00-\x20<>"{}|^`\\]', iri))
    assert c.canonicalize(doc) == c.reference(doc)


@pytest.mark.parametrize("number", [0, -5, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 10 ** 20, 10 ** 21 - 1, 10 ** 30])
def test_integers_small_and_huge_give_pyld_s_answer(number, test_canon):
    doc = load_example()
    doc["credentialSubject"]["creditsEarned"] = number
    assert fast(test_canon, doc) == test_canon.reference(doc)


@pytest.mark.parametrize("language", ["nl", "en-GB", "EN"])
def test_language_tags_give_pyld_s_answer(language, test_canon):
    doc = load_example()
    doc["name"] = {"@value": "Zorgdata", "@language": language}
    answer = fast(test_canon, doc)
    assert answer in (None, test_canon.reference(doc)) and (answer is None) == (language != language.lower())


ISSUER = KeyPair.generate(ISSUER_SEED)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(credential=ob3_credentials(issuer_did=ISSUER.controller), seed=st.integers(0, 2 ** 32),
       signed=st.booleans())
def test_fast_path_equals_pyld_on_generated_microcredentials(credential, seed, signed):
    """Differential: realistic credentials (1-12 outcomes, optional members, decimal ECTS, Unicode,
    any member order), with and without their proof, byte for byte against pyld."""
    c = Canonicalizer(ContextLoader())
    doc = add_proof(credential, key=ISSUER, canon=c, created="2026-06-30T09:00:00Z") if signed else credential
    doc = shuffled(doc, random.Random(seed), arrays=True)
    answer = fast(c, doc)
    assert answer == c.reference(doc)
    if signed:  # the proof configuration too (what eddsa-rdfc-2022 hashes besides the document)
        config = {**{k: v for k, v in doc["proof"].items() if k != "proofValue"}, "@context": doc["@context"]}
        assert fast(c, config) == c.reference(config)
        # the verifier hashes the unsecured document from the RDF its compacted-form check wrote
        unsecured = {k: v for k, v in doc.items() if k != "proof"}
        assert c.canonicalize_quads(c.compacted.quads(doc, without_proof=True), unsecured) == c.reference(unsecured)


FUZZ_VALUES = [True, False, None, 0, 1, -1, 3.5, "", "x", "urn:x:1", "https://a.example/b", "did:key:z6MkX",
               "2026-01-01T00:00:00Z", "2026-01-01", [1, 2], ["a", "b"], {"x": 1}, {"id": "urn:y"},
               {"type": "Alignment", "targetName": "t", "targetUrl": "https://t.example"}, "Note: hi", "é", "\n",
               "ext:LearningOutcome", "MicroCredential", "Alignment", "VerifiableCredential",
               {"@value": "x", "@language": "nl"}, {"@value": 5}, [], {}]


def _leaf_paths(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "@context":
                yield from _leaf_paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaf_paths(v, path + (i,))
    else:
        yield path


def test_fast_path_agrees_with_pyld_under_random_mutation(test_canon):
    """Random values of every JSON kind (and JSON-LD value objects) at random places: whenever
    pyld accepts the document and the fast path is allowed to answer, both answers are equal."""
    from vccore.errors import VCError
    base = load_example()
    paths = list(_leaf_paths(base))
    rng = random.Random(7)
    compared = 0
    for _ in range(250):
        doc = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice(paths)
            node = doc
            try:
                for step in parents:
                    node = node[step]
                node[last] = copy.deepcopy(rng.choice(FUZZ_VALUES))
            except (KeyError, IndexError, TypeError):
                continue
        try:
            reference = test_canon.reference(doc)
        except VCError:
            continue
        assert fast(test_canon, doc) in (None, reference)
        compared += 1
    assert compared > 80
