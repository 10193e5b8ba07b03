"""VC Data Model 2.0 structural checks (vccore.vcdm): §4.8 credentialSubject, §4.11 credentialSchema,
§5.3 relatedResource, with the digest syntax of vccore.integrity. Each negative case names its code and
where; each positive one is the W3C VC 2.0 test suite's own valid shape."""

from __future__ import annotations

import base64
import hashlib

import pytest

from vccore.integrity import check_digest_multibase, check_digest_sri
from vccore.errors import MalformedValueError
from vccore.multibase import encode_multibase
from vccore.report import VerificationReport
from vccore.vcdm import check_credential

RESOURCE = "https://www.w3.org/ns/credentials/v2"
DIGEST = hashlib.sha384(b"a related resource").digest()
SRI = "sha384-" + base64.b64encode(DIGEST).decode()
MULTIBASE = encode_multibase(b"\x12\x20" + hashlib.sha256(b"x").digest(), "u")  # sha2-256 multihash
# the W3C VC 2.0 test suite's fixtures (tests/fixtures.js): a bare sha256 digest in base64url
SUITE_SRI = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"
SUITE_MULTIBASE = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"


def _vc(**members) -> dict:
    vc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
          "issuer": "did:example:issuer", "credentialSubject": {"id": "did:example:subject"}}
    vc.update(members)
    return vc


def _problems(vc: dict) -> set[tuple[str, str]]:
    report = VerificationReport()
    check_credential(vc, report)
    return {(p.code, p.path) for p in report.problems}


def test_the_base_credential_passes():
    assert _problems(_vc()) == set()


# §4.8 credentialSubject ---------------------------------------------------------------------------
@pytest.mark.parametrize("subjects, where", [
    ([{}], "/credentialSubject/0"),
    ([{"id": "did:example:a"}, {}], "/credentialSubject/1"),
    ({}, "/credentialSubject"),
    ([], "/credentialSubject"),
])
def test_an_empty_subject_is_refused_alone_or_in_an_array(subjects, where):
    assert _problems(_vc(credentialSubject=subjects)) == {("MALFORMED_VALUE_ERROR", where)}


def test_subjects_without_id_but_with_claims_pass():
    assert _problems(_vc(credentialSubject=[{"name": "Sanne"}, {"id": "did:example:b"}])) == set()


# §4.11 credentialSchema ---------------------------------------------------------------------------
SCHEMA = {"id": "https://example.org/schema.json", "type": "JsonSchema"}


@pytest.mark.parametrize("schema, where", [
    ({"type": "JsonSchema"}, "/credentialSchema/id"),
    ({"id": "https://example.org/schema.json"}, "/credentialSchema/type"),
    (dict(SCHEMA, id=12), "/credentialSchema/id"),
    (dict(SCHEMA, id="schema.json"), "/credentialSchema/id"),
    ([SCHEMA, {"type": "JsonSchema"}], "/credentialSchema/1/id"),
])
def test_a_schema_needs_a_url_id_and_a_type(schema, where):
    assert _problems(_vc(credentialSchema=schema)) == {("MALFORMED_VALUE_ERROR", where)}


def test_schemas_with_id_and_type_pass():
    assert _problems(_vc(credentialSchema=[SCHEMA, dict(SCHEMA, id="https://example.org/2.json")])) == set()


# §5.3 relatedResource -----------------------------------------------------------------------------
@pytest.mark.parametrize("resource", [
    {"id": RESOURCE, "digestSRI": SUITE_SRI},
    {"id": RESOURCE, "digestMultibase": SUITE_MULTIBASE},
    [{"id": RESOURCE, "mediaType": "application/ld+json", "digestSRI": SUITE_SRI}],
    {"id": RESOURCE, "digestSRI": SRI, "digestMultibase": MULTIBASE},
    {"id": RESOURCE, "digestSRI": f"{SRI} sha256-{base64.b64encode(hashlib.sha256(b'').digest()).decode()}"},
    [{"id": RESOURCE, "digestSRI": SRI}, {"id": "https://example.org/b", "digestMultibase": MULTIBASE}],
], ids=["suite SRI", "suite multibase", "with mediaType", "both digests", "two SRI expressions", "two"])
def test_related_resources_need_no_type(resource):
    assert _problems(_vc(relatedResource=resource)) == set()


@pytest.mark.parametrize("resource, where", [
    ([RESOURCE], "/relatedResource/0"),
    ([{"digestMultibase": SUITE_MULTIBASE}], "/relatedResource/0/id"),
    ([{"id": "not a url", "digestSRI": SRI}], "/relatedResource/0/id"),
    ([{"id": RESOURCE, "digestSRI": SRI}, {"id": RESOURCE, "digestMultibase": MULTIBASE}], "/relatedResource/1/id"),
    ([{"id": RESOURCE}], "/relatedResource/0"),
    ({"id": RESOURCE, "digestSRI": "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"},
     "/relatedResource/digestSRI"),
    ({"id": RESOURCE, "digestSRI": "md5-" + base64.b64encode(hashlib.md5(b"").digest()).decode()},
     "/relatedResource/digestSRI"),
    ({"id": RESOURCE, "digestSRI": "sha512-" + base64.b64encode(DIGEST).decode()}, "/relatedResource/digestSRI"),
    ({"id": RESOURCE, "digestSRI": 5}, "/relatedResource/digestSRI"),
    ({"id": RESOURCE, "digestMultibase": "xJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"},
     "/relatedResource/digestMultibase"),
    ({"id": RESOURCE, "digestMultibase": "uAAAA"}, "/relatedResource/digestMultibase"),
    ({"id": RESOURCE, "digestMultibase": ["u" + "A" * 43, "u+/"]}, "/relatedResource/digestMultibase/1"),
    ({"id": RESOURCE, "digestSRI": SRI, "mediaType": 3}, "/relatedResource/mediaType"),
], ids=["a string", "no id", "id not a URL", "duplicate id", "no digest", "SRI in base64url", "md5",
        "wrong length", "SRI not a string", "unknown multibase", "too short", "bad second value", "mediaType"])
def test_malformed_related_resources_are_refused(resource, where):
    assert _problems(_vc(relatedResource=resource)) == {("MALFORMED_VALUE_ERROR", where)}


def test_digest_syntax_errors_are_coded():
    with pytest.raises(MalformedValueError) as sri:
        check_digest_sri("sha256-", path="/x")
    with pytest.raises(MalformedValueError) as multibase:
        check_digest_multibase([], path="/y")
    assert (sri.value.code, sri.value.path) == ("MALFORMED_VALUE_ERROR", "/x")
    assert (multibase.value.code, multibase.value.path) == ("MALFORMED_VALUE_ERROR", "/y")
