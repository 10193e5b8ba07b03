"""RDFC-1.0: the fast path (pyoxigraph over pruned, inlined contexts) against pyld, the reference,
on many documents; and safe mode."""

from __future__ import annotations

import copy
import json
import random

import pytest

from vccore import Canonicalizer, ContextLoader
from vccore.fastrdf import Plan
from vccore.errors import UndefinedTermError, UnknownContextError

from ..conftest import VECTORS, load_example

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
    return c._fast(doc, doc["@context"])


@pytest.mark.parametrize("seed", range(80))
def test_fast_path_matches_pyld_on_varied_microcredentials(seed, test_canon):
    doc = mutate(load_example(), random.Random(seed))
    reference = test_canon.reference(doc)
    if not Plan.of(doc).needs_reference:  # documents the fast path takes must give pyld's bytes
        assert fast(test_canon, doc) in (None, reference)
    assert test_canon.canonicalize(doc) == reference


@pytest.mark.parametrize("name", ["eddsa-rdfc-2022/signedDataInt.json", "proof-set-chain/signedProofSet1.json",
                                  "proof-set-chain/signedProofChain2.json", "eddsa-jcs-2022/signedJCS.json"])
def test_fast_path_matches_pyld_on_spec_vectors(name, test_canon):
    doc = json.loads((VECTORS / "vc-di-eddsa" / name).read_text())
    for variant in (doc, {k: v for k, v in doc.items() if k != "proof"}):
        if Plan.of(variant).contexts is not None:  # inline (object) contexts always go to pyld
            assert fast(test_canon, variant) in (None, test_canon.reference(variant))
        assert test_canon.canonicalize(variant) == test_canon.reference(variant)


def test_shape_cache_uses_fast_path_after_agreement(test_canon):
    c = Canonicalizer(test_canon.loader)
    doc = load_example()
    first = c.canonicalize(doc)
    assert list(c._shapes.values()) == [True]
    doc["name"] = "Ander"
    assert c.canonicalize(doc) == c.reference(doc) != first


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
    # pyld and pyoxigraph serialise malformed IRIs differently: those go to pyld, the reference
    doc = load_example()
    doc["credentialSubject"]["achievement"]["id"] = iri
    c = Canonicalizer(test_canon.loader)
    assert Plan.of(doc).needs_reference == (iri in MALFORMED_IRIS)
    for _ in range(2):  # first of its shape, then remembered
        assert c.canonicalize(doc) == c.reference(doc)


@pytest.mark.parametrize("number", [0, -5, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 10 ** 20, 10 ** 21 - 1, 10 ** 30])
def test_integers_small_and_huge_give_pyld_s_answer(number, test_canon):
    doc = load_example()
    doc["credentialSubject"]["creditsEarned"] = number
    c = Canonicalizer(test_canon.loader)
    assert Plan.of(doc).needs_reference == (abs(number) >= 2 ** 53)
    for _ in range(2):
        assert c.canonicalize(doc) == c.reference(doc)


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
        plan = Plan.of(doc)
        if plan.contexts is None or plan.needs_reference:
            continue
        assert fast(test_canon, doc) in (None, reference)
        compared += 1
    assert compared > 80
