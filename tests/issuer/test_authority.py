"""The framework authority: a signed trust list and OB 3.0 endorsements that verify."""

from __future__ import annotations

import datetime as dt

import pytest

from vccore import KeyPair, Verifier
from vccore.trustlist import TrustList, TrustListError

from issuer.authority import Authority, trust_entries

AUTHORITY_SEED = bytes.fromhex("c3" * 32)


@pytest.fixture
def authority(canon, clock):
    return Authority(key=KeyPair.generate(AUTHORITY_SEED), name="Stichting Kwaliteitskader", canon=canon, clock=clock)


def test_signed_trust_list_is_read_by_vccore(authority, issuer_key, canon, clock):
    entries = trust_entries([{"did": issuer_key.controller, "name": "Hogeschool Voorbeeld", "brin": "99XX",
                              "accreditedFrom": "2025-01-01T00:00:00Z", "accreditedUntil": "2030-12-31T23:59:59Z"}])
    signed = authority.sign_trust_list(entries, valid_until=dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc))
    trust = TrustList.from_credential(signed, verifier=Verifier(canon=canon, clock=clock),
                                      authority=authority.key.controller)
    entry = trust.lookup(issuer_key.controller, clock.now())
    assert entry is not None and entry.brin == "99XX" and entry.frameworks == ("Kwaliteitskader microcredentials",)


def test_trust_list_from_another_key_is_refused(authority, canon, clock):
    signed = authority.sign_trust_list([])
    with pytest.raises(TrustListError) as caught:
        TrustList.from_credential(signed, verifier=Verifier(canon=canon, clock=clock),
                                  authority=KeyPair.generate(bytes(32)).controller)
    assert caught.value.code == "TRUST_LIST_ERROR"


@pytest.mark.parametrize("items, path", [
    ({"did": "x"}, ""),
    ([{"name": "No DID"}], "/0"),
    ([{"did": "did:key:z6Mk", "name": "X", "accreditedFrom": "2025-01-01"}], "/0/accreditedFrom"),
])
def test_bad_trust_list_input(items, path):
    with pytest.raises(Exception) as caught:
        trust_entries(items)
    assert caught.value.code == "MALFORMED_VALUE_ERROR" and caught.value.path == path


def test_endorsement_credential_verifies(authority, canon, clock):
    endorsement = authority.endorse("urn:uuid:9c1e4f7a-3b2d-4e6f-8a1c-7d5b3e9f2a46",
                                    "Voldoet aan het kwaliteitskader microcredentials.")
    assert endorsement["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert endorsement["credentialSubject"]["type"] == ["EndorsementSubject"]
    assert Verifier(canon=canon, clock=clock).verify_credential(endorsement).verified


def test_endorsement_needs_a_subject_and_a_comment(authority):
    with pytest.raises(Exception) as caught:
        authority.endorse("not a url", "ok")
    assert caught.value.code == "MALFORMED_VALUE_ERROR"
    with pytest.raises(Exception) as caught:
        authority.endorse("urn:uuid:1", " ")
    assert caught.value.path == "/credentialSubject/endorsementComment"
