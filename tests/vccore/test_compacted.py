"""Reading equals signing (vccore.compacted): the rules one by one, and the proof that a document
the check accepts is its own compacted form, so that its JSON members are its signed properties.
"""

from __future__ import annotations

import copy
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from vccore import Canonicalizer, KeyPair, add_proof, create_presentation, sign_presentation
from vccore.compacted import Budget, CompactedFormChecker, check_context_budget
from vccore.errors import VCError
from vccore.loader import ContextLoader

from ..conftest import ISSUER_SEED, load_example
from ..strategies import ob3_credentials, shuffled

VC = "https://www.w3.org/2018/credentials#"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB300 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.0.json"


@pytest.fixture(scope="module")
def checker() -> CompactedFormChecker:
    return CompactedFormChecker(ContextLoader())


def refusal(checker: CompactedFormChecker, doc: dict) -> tuple[str, str]:
    with pytest.raises(VCError) as caught:
        checker.check(doc)
    return caught.value.code, caught.value.path


def example() -> dict:
    doc = load_example()
    doc["validUntil"] = "2027-06-30T00:00:00Z"
    doc["credentialStatus"] = {"id": "https://badges.example.nl/status/1#7", "type": "BitstringStatusListEntry",
                               "statusPurpose": "revocation", "statusListIndex": "7",
                               "statusListCredential": "https://badges.example.nl/status/1"}
    return doc


# -- what is accepted --------------------------------------------------------------------------

def test_our_credential_and_presentation_are_accepted(checker, signed_vc, holder_key, canon):
    checker.check(example())
    checker.check(signed_vc)
    vp = sign_presentation(create_presentation([signed_vc], holder=holder_key.controller), key=holder_key,
                           canon=canon, created="2026-09-01T11:59:00Z", challenge="c1", domain="https://x.example")
    checker.check(vp)


def test_language_tagged_names_are_accepted(checker):
    doc = example()
    doc["name"] = [{"@value": "Data-gedreven besluitvorming", "@language": "nl"},
                   {"@value": "Data-driven decisions", "@language": "en"}]
    checker.check(doc)


# -- hidden members: names that are not the context's terms ------------------------------------

@pytest.mark.parametrize("member,iri,datatype", [
    ("validUntil", VC + "validUntil", XSD + "dateTime"),
    ("validFrom", VC + "validFrom", XSD + "dateTime"),
])
def test_a_member_under_its_absolute_iri_is_refused(checker, canon, member, iri, datatype):
    doc = example()
    value = doc.pop(member)
    doc[iri] = {"@value": value, "@type": datatype}
    assert canon.reference(doc) == canon.reference(example())  # the very same signed graph
    assert refusal(checker, doc) == ("UNDEFINED_TERM_ERROR", "/" + iri.replace("/", "~1"))


def test_a_status_entry_under_its_absolute_iri_is_refused(checker, canon):
    doc = example()
    doc[VC + "credentialStatus"] = doc.pop("credentialStatus")
    code, path = refusal(checker, doc)
    assert code == "UNDEFINED_TERM_ERROR" and path.startswith("/https:~1~1www.w3.org~12018~1credentials#")


def test_a_type_written_as_an_iri_is_refused(checker):
    doc = example()
    doc["type"] = [VC + "VerifiableCredential", "OpenBadgeCredential"]
    assert refusal(checker, doc) == ("UNDEFINED_TERM_ERROR", "/type/0")


def test_a_class_term_used_as_member_name_is_refused(checker):
    # OB 3.0.3 gives the class Criteria and the property criteria one IRI: the same triple twice spelt.
    doc = example()
    achievement = doc["credentialSubject"]["achievement"]
    achievement["Criteria"] = achievement.pop("criteria")
    assert refusal(checker, doc) == ("COMPACTED_FORM_ERROR", "/credentialSubject/achievement/Criteria")


def test_a_property_term_used_as_type_is_refused(checker):
    # Types resolve in the context around the node, where OB 3.0's property terms are not defined.
    doc = example()
    doc["credentialSubject"]["achievement"]["criteria"]["type"] = "criteria"
    assert refusal(checker, doc) == ("UNDEFINED_TERM_ERROR", "/credentialSubject/achievement/criteria/type")


@pytest.mark.parametrize("keyword", ["@included", "@index", "@reverse", "@graph", "@nest", "@id", "@type"])
def test_keyword_members_are_refused(checker, keyword):
    doc = example()
    doc["credentialSubject"][keyword] = "urn:uuid:1" if keyword != "@included" else [{"id": "urn:uuid:1"}]
    assert refusal(checker, doc) == ("COMPACTED_FORM_ERROR", f"/credentialSubject/{keyword}")


def test_two_names_for_one_property_are_refused(checker):
    doc = example()
    doc["type"] = ["VerifiableCredential", "OpenBadgeCredential"]
    doc["credentialSubject"]["type"] = ["AchievementSubject"]
    doc["credentialSubject"]["achievement"]["Criteria"] = {"narrative": "other"}
    assert refusal(checker, doc)[0] == "COMPACTED_FORM_ERROR"


def test_a_node_described_twice_is_refused(checker, canon):
    # A node referenced from two places: move the issuer's name into the other reference. The same
    # graph, but a reader of /issuer no longer sees the institution's name.
    original = example()
    original["relatedResource"] = [{"id": original["issuer"]["id"]}]
    doc = copy.deepcopy(original)
    doc["relatedResource"][0]["name"] = doc["issuer"].pop("name")
    assert canon.reference(doc) == canon.reference(original)
    checker.check(original)
    code, path = refusal(checker, doc)
    assert code == "COMPACTED_FORM_ERROR" and path == "/relatedResource/0/id"


def test_a_null_value_is_refused(checker):
    doc = example()
    doc["credentialSubject"]["achievement"]["humanCode"] = None
    assert refusal(checker, doc) == ("COMPACTED_FORM_ERROR", "/credentialSubject/achievement/humanCode")


def test_typed_value_objects_are_refused(checker):
    doc = example()
    doc["validUntil"] = {"@value": "2020-01-01T00:00:00Z", "@type": XSD + "dateTime"}
    assert refusal(checker, doc) == ("COMPACTED_FORM_ERROR", "/validUntil")


@pytest.mark.parametrize("value", ["_:b0", "issuer-relative", "xsd:integer"])
def test_ids_must_be_absolute_iris_equal_to_their_expansion(checker, value):
    doc = example()
    doc["issuer"]["id"] = value
    if value == "xsd:integer":  # a compact IRI only where the contexts define the prefix
        doc = {**vc11_ob300(), "issuer": {**doc["issuer"], "id": "did:example:1"}}
        checker.check(doc)
        doc["issuer"]["id"] = value
    assert refusal(checker, doc)[1] == "/issuer/id"


# -- contexts ----------------------------------------------------------------------------------

def test_inline_contexts_are_refused(checker):
    doc = example()
    doc["@context"] = doc["@context"] + [{"hidden": "@included", "note": "@index"}]
    assert refusal(checker, doc) == ("UNKNOWN_CONTEXT_ERROR", "/@context/2")


def test_the_trust_list_context_is_pinned_byte_for_byte(checker):
    from vccore.trustlist import TRUST_LIST_CONTEXT
    doc = {"@context": [VC2, TRUST_LIST_CONTEXT], "type": ["VerifiableCredential", "MicrocredentialTrustList"],
           "issuer": "did:example:authority", "credentialSubject": {"brin": "99XX"}}
    checker.check(doc)
    doc["@context"][1] = {**TRUST_LIST_CONTEXT, "brin": "@index"}
    assert refusal(checker, doc) == ("UNKNOWN_CONTEXT_ERROR", "/@context/1")


def test_a_context_listed_twice_or_too_many_are_over_budget(checker):
    doc = example()
    doc["@context"] = [VC2, OB303, OB303]
    assert refusal(checker, doc) == ("JSONLD_BUDGET_ERROR", "/@context/2")
    doc["@context"] = [VC2] * 20_000
    assert refusal(checker, doc) == ("JSONLD_BUDGET_ERROR", "/@context")
    with pytest.raises(VCError) as caught:
        check_context_budget(doc, Budget())
    assert caught.value.code == "JSONLD_BUDGET_ERROR"


def test_context_combinations_that_pyld_refuses_are_refused(checker):
    doc = example()
    doc["@context"] = [VC2, OB303, "https://www.w3.org/2018/credentials/v1"]  # redefines protected terms
    assert refusal(checker, doc)[0] == "COMPACTED_FORM_ERROR"


# -- the proof: accepted documents are their own compacted form ---------------------------------

def _sets(value):
    """Arrays as sorted lists and single values as one-element lists (JSON-LD sets), so pyld's
    compaction output (compactArrays) and the document compare as graphs compare."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "@context":
                continue
            item = item if isinstance(item, list) else [item]
            out[key] = sorted((_sets(i) for i in item), key=lambda v: json.dumps(v, sort_keys=True))
        return out
    return value


def _round_trip(doc: dict, loader: ContextLoader) -> dict:
    options = {"documentLoader": loader, "base": "https://relative-iri.invalid/", "compactToRelative": False}
    expanded = jsonld.expand(doc, options)
    return jsonld.compact(expanded, {"@context": doc["@context"]}, options)


ISSUER = KeyPair.generate(ISSUER_SEED)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credential=ob3_credentials(issuer_did=ISSUER.controller), sign=st.booleans())
def test_accepted_documents_equal_their_own_compaction(credential, sign):
    loader = ContextLoader()
    checker = CompactedFormChecker(loader)
    doc = add_proof(credential, key=ISSUER, canon=Canonicalizer(loader), created="2026-06-30T09:00:00Z") \
        if sign else credential
    checker.check(doc)
    assert _sets(_round_trip(doc, loader)) == _sets(doc)


def test_the_round_trip_detects_what_the_check_refuses():
    # The oracle itself: a member under its IRI does not survive compaction unchanged.
    loader = ContextLoader()
    doc = example()
    doc[VC + "validUntil"] = {"@value": doc.pop("validUntil"), "@type": XSD + "dateTime"}
    assert _sets(_round_trip(doc, loader)) != _sets(doc)


def test_members_reports_what_each_name_means(checker):
    meanings = {path: iri for path, _key, iri, _d in checker.members(example())}
    assert meanings["/validUntil"] == VC + "validUntil"
    assert meanings["/credentialSubject/achievement/creditsAvailable"] == OB + "creditsAvailable"
    assert meanings["/issuer/id"] == "@id"


def vc11_ob300() -> dict:
    doc = example()
    doc["@context"] = ["https://www.w3.org/2018/credentials/v1", OB300]
    doc["issuanceDate"] = doc.pop("validFrom")
    del doc["validUntil"], doc["credentialStatus"]
    del doc["credentialSubject"]["achievement"]["inLanguage"]  # not an OB 3.0.0 term
    return doc


def test_ob_300_documents_are_read_with_their_property_terms(checker):
    doc = vc11_ob300()
    checker.check(doc)  # 3.0.0 gives Achievement/achievement one IRI: the property term is read
    doc["credentialSubject"]["Achievement"] = doc["credentialSubject"].pop("achievement")
    assert refusal(checker, doc) == ("COMPACTED_FORM_ERROR", "/credentialSubject/Achievement")


def test_member_order_and_array_order_do_not_matter(checker):
    rng = random.Random(7)
    for _ in range(20):
        checker.check(shuffled(example(), rng, arrays=True))
