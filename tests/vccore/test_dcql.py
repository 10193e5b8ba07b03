"""DCQL (OpenID4VP 1.0 §6) and claims path pointers (§7), against the specification's own examples
(tests/vectors/openid4vp, tag 1.0-final) and our microcredential."""

from __future__ import annotations

import json

import pytest

from vccore import Canonicalizer
from vccore.dcql import DcqlError, Held, chosen_claims, meets, parse_query, satisfied_sets, select, select_pointers
from vccore.oid4vp_match import held

from ..conftest import VECTORS, load_example

SPEC = VECTORS / "openid4vp"
OBC = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
VC = "https://www.w3.org/2018/credentials#VerifiableCredential"

# §7.3 Claims Path Pointer Example
ARTHUR = {"name": "Arthur Dent", "address": {"street_address": "42 Market Street", "locality": "Milliways",
                                             "postal_code": "12345"},
          "degrees": [{"type": "Bachelor of Science", "university": "University of Betelgeuse"},
                      {"type": "Master of Science", "university": "University of Betelgeuse"}],
          "nationalities": ["British", "Betelgeusian"]}


def spec(name: str) -> dict:
    return json.loads((SPEC / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path, expected", [
    (["name"], ["Arthur Dent"]),
    (["address"], [ARTHUR["address"]]),
    (["address", "street_address"], ["42 Market Street"]),
    (["degrees", None, "type"], ["Bachelor of Science", "Master of Science"]),
    (["nationalities", 1], ["Betelgeusian"]),
])
def test_claims_path_pointer_example(path, expected):
    """§7.3: each pointer of the specification selects what it says."""
    assert select(ARTHUR, path) == expected


@pytest.mark.parametrize("path", [["name", "first"], ["address", 0], ["degrees", "type"], ["missing"],
                                  ["nationalities", 5], [None]])
def test_claims_path_pointer_errors(path):
    """§7.1.1: a component applied to the wrong kind of element, or an empty selection, is an error."""
    assert select(ARTHUR, path) is None


def test_pointers_name_where_the_claims_are():
    assert select_pointers(ARTHUR, ["degrees", None, "type"]) == [
        ("/degrees/0/type", "Bachelor of Science"), ("/degrees/1/type", "Master of Science")]


@pytest.mark.parametrize("name", ["query_lang-simple.json", "query_lang-multi_credentials.json",
                                  "query_lang-credentials_alternatives.json", "query_lang-claims_alternatives.json",
                                  "query_lang-value_matching_simple.json", "request-dcql_ldp_vc.json",
                                  "request-dcql_jwt_vc.json"])
def test_the_specifications_queries_parse(name):
    query = parse_query(spec(name))
    assert [c.id for c in query.credentials] == [c["id"] for c in spec(name)["credentials"]]


def test_credential_sets_of_the_specification():
    """Appendix D: pid, or other_pid, or both reduced credentials; nice_to_have is optional."""
    query = parse_query(spec("query_lang-credentials_alternatives.json"))
    assert satisfied_sets(query, ["pid"]) and satisfied_sets(query, ["other_pid", "nice_to_have"])
    assert satisfied_sets(query, ["pid_reduced_cred_1", "pid_reduced_cred_2"])
    assert not satisfied_sets(query, ["pid_reduced_cred_1"]) and not satisfied_sets(query, ["nice_to_have"])
    both = parse_query(spec("query_lang-multi_credentials.json"))
    assert satisfied_sets(both, ["pid", "mdl"]) and not satisfied_sets(both, ["pid"])


def test_claim_sets_of_the_specification():
    """Appendix D: the first claim set the credential satisfies is the one returned."""
    (query,) = parse_query(spec("query_lang-claims_alternatives.json")).credentials
    full = {"last_name": "Doe", "postal_code": "90210", "locality": "x", "region": "y", "date_of_birth": "1990"}
    assert [c.id for c in chosen_claims(query, full)] == ["a", "c", "d", "e"]
    no_region = {k: v for k, v in full.items() if k != "region"}
    assert [c.id for c in chosen_claims(query, no_region)] == ["a", "b", "e"]
    assert chosen_claims(query, {"last_name": "Doe"}) is None


def test_value_matching_of_the_specification():
    """Appendix D: last_name must be Doe, postal_code 90210 or 90211; type and value both (§6.3)."""
    (query,) = parse_query(spec("query_lang-value_matching_simple.json")).credentials
    doc = {"vct": "https://credentials.example.com/identity_credential", "last_name": "Doe", "first_name": "J",
           "address": {"street_address": "1 Main"}, "postal_code": "90211"}
    sd = lambda d: Held("dc+sd-jwt", d, vct=d["vct"])  # noqa: E731
    assert meets(query, sd(doc))
    assert not meets(query, sd({**doc, "last_name": "Roe"}))
    assert not meets(query, sd({**doc, "postal_code": 90211}))  # an integer is not the string
    assert not meets(query, sd({**doc, "vct": "https://other.example/vct"}))


def test_type_values_are_compared_expanded():
    """§B.1.1: type_values hold fully expanded IRIs; the ldp_vc example of the specification asks for
    an undefined type (IDCredential), which stays as written."""
    canon = Canonicalizer()
    ours = held("ldp_vc", load_example(), canon.loader)
    assert {VC, OBC, "OpenBadgeCredential"} <= ours.types
    query = parse_query({"credentials": [{"id": "mc", "format": "ldp_vc", "meta": {"type_values": [[VC, OBC]]},
                                          "claims": [{"path": ["credentialSubject", "achievement", "name"]}]}]})
    assert meets(query.credentials[0], ours)
    assert not meets(query.credentials[0], Held("jwt_vc_json", ours.document, ours.types))  # another format
    (spec_query,) = parse_query(spec("request-dcql_ldp_vc.json")).credentials
    assert not meets(spec_query, ours)


@pytest.mark.parametrize("broken, where", [
    ({}, "/credentials"),
    ({"credentials": []}, "/credentials"),
    ({"credentials": [{"id": "a b", "format": "ldp_vc", "meta": {"type_values": [["X"]]}}]}, "/credentials/0/id"),
    ({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {}}]}, "/credentials/0/meta/type_values"),
    ({"credentials": [{"id": "a", "format": "dc+sd-jwt", "meta": {"vct_values": []}}]}, "/credentials/0/meta/vct_values"),
    ({"credentials": [{"id": "a", "format": "ldp_vc"}]}, "/credentials/0/meta"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}}, {"id": "a", "format": "x", "meta": {}}]}, "/credentials"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}, "claims": [{"path": []}]}]}, "/credentials/0/claims/0/path"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}, "claims": [{"path": ["a", -1]}]}]},
     "/credentials/0/claims/0/path"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}, "claims": [{"path": ["a"], "values": [1.5]}]}]},
     "/credentials/0/claims/0/values"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}, "claim_sets": [["c"]]}]}, "/credentials/0/claim_sets"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}, "claims": [{"id": "c", "path": ["a"]}],
                       "claim_sets": [["d"]]}]}, "/credentials/0/claim_sets/0"),
    ({"credentials": [{"id": "a", "format": "x", "meta": {}}], "credential_sets": [{"options": [["b"]]}]},
     "/credential_sets/0/options"),
])
def test_malformed_queries_are_refused_where_they_break(broken, where):
    with pytest.raises(DcqlError) as caught:
        parse_query(broken)
    assert caught.value.code == "DCQL_QUERY_ERROR" and caught.value.path == where


def test_unknown_members_are_ignored():
    """§6: implementations MUST ignore unknown properties."""
    query = parse_query({"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["X"]]},
                                          "future": 1}], "future": {}})
    assert query.credentials[0].id == "a"
