"""The trust list: built, signed by the authority, read back; someone else's list is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from vccore import KeyPair, add_proof
from vccore.trustlist import TrustEntry, TrustList, TrustListError, build_trust_list

AUTHORITY = KeyPair.generate(bytes.fromhex("42" * 32))
UTC = dt.timezone.utc


def signed_list(key: KeyPair, canon, entries) -> dict:
    doc = build_trust_list(authority=key.controller, authority_name="Kwaliteitskader microcredentials",
                           entries=entries, valid_from=dt.datetime(2026, 1, 1, tzinfo=UTC))
    return add_proof(doc, key=key, canon=canon, created="2026-01-01T00:00:00Z")


@pytest.fixture
def entries(issuer_key):
    return [TrustEntry(issuer_key.controller, "Hogeschool Voorbeeld", "99XX",
                       dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2027, 12, 31, tzinfo=UTC), ("NLQF",))]


def test_signed_trust_list_is_read_back(canon, verifier, entries, issuer_key):
    trust = TrustList.from_credential(signed_list(AUTHORITY, canon, entries), verifier=verifier,
                                      authority=AUTHORITY.controller)
    entry = trust.lookup(issuer_key.controller, dt.datetime(2026, 9, 1, tzinfo=UTC))
    assert entry is not None and entry.brin == "99XX" and entry.frameworks == ("NLQF",)
    assert trust.lookup(issuer_key.controller, dt.datetime(2028, 1, 1, tzinfo=UTC)) is None
    assert trust.lookup("did:key:z6MkunknownXXXX", dt.datetime(2026, 9, 1, tzinfo=UTC)) is None


def test_trust_list_signed_by_someone_else_is_refused(canon, verifier, entries):
    impostor = KeyPair.generate(bytes.fromhex("43" * 32))
    with pytest.raises(TrustListError) as caught:
        TrustList.from_credential(signed_list(impostor, canon, entries), verifier=verifier,
                                  authority=AUTHORITY.controller)
    assert caught.value.code == "TRUST_LIST_ERROR" and caught.value.path == "/issuer"


def test_tampered_trust_list_is_refused(canon, verifier, entries):
    doc = signed_list(AUTHORITY, canon, entries)
    doc["credentialSubject"]["institution"][0]["brin"] = "00AA"
    with pytest.raises(TrustListError) as caught:
        TrustList.from_credential(doc, verifier=verifier, authority=AUTHORITY.controller)
    assert "PROOF_VERIFICATION_ERROR" in caught.value.detail
