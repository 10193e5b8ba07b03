"""VC API POST /credentials/issue refuses what VC Data Model 2.0 refuses (§4.8 empty subject in an
array, §4.11 credentialSchema without an id, §5.3 relatedResource), with the problem's code and
where; it signs the valid shapes of the W3C VC 2.0 test suite."""

from __future__ import annotations

import pytest

from vccore import Verifier

SUITE_RESOURCE = {"id": "https://www.w3.org/ns/credentials/v2",
                  "digestSRI": "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"}


def _credential(service, **members) -> dict:
    vc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
          "issuer": service.key.controller, "credentialSubject": {"id": "did:example:123"}}
    vc.update(members)
    return vc


REFUSED = {
    "empty subject in an array": ({"credentialSubject": [{"id": "did:example:1"}, {}]}, "/credentialSubject/1"),
    "schema without id": ({"credentialSchema": {"type": "JsonSchema"}}, "/credentialSchema/id"),
    "schema id not a URL": ({"credentialSchema": {"type": "JsonSchema", "id": 7}}, "/credentialSchema/id"),
    "related resource without id": ({"relatedResource": [{"digestSRI": SUITE_RESOURCE["digestSRI"]}]},
                                    "/relatedResource/0/id"),
    "related resource without digest": ({"relatedResource": [{"id": SUITE_RESOURCE["id"]}]}, "/relatedResource/0"),
    "related resource as a string": ({"relatedResource": [SUITE_RESOURCE["id"]]}, "/relatedResource/0"),
}


@pytest.mark.parametrize("members, where", REFUSED.values(), ids=REFUSED.keys())
def test_malformed_members_are_400_with_code_and_path(service, client, members, where):
    response = client.post("/credentials/issue", json={"credential": _credential(service, **members)})
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "MALFORMED_VALUE_ERROR", body
    assert where in str(body), body
    assert service.records() == []


@pytest.mark.parametrize("members", [
    {"relatedResource": SUITE_RESOURCE},
    {"relatedResource": [dict(SUITE_RESOURCE, mediaType="application/ld+json")]},
    {"credentialSchema": {"id": "https://example.org/schema.json", "type": "JsonSchema"}},
    {"credentialSubject": [{"id": "did:example:1"}, {"id": "did:example:2"}]},
], ids=["relatedResource", "with mediaType", "credentialSchema", "two subjects"])
def test_valid_shapes_are_signed(service, client, canon, clock, members):
    response = client.post("/credentials/issue", json={"credential": _credential(service, **members)})
    assert response.status_code == 201, response.get_json()
    vc = response.get_json()["verifiableCredential"]
    assert Verifier(canon=canon, clock=clock).verify_credential(vc).verified
