"""Wallet fixtures: credentials issued to the wallet's holder, status lists served by a
StaticTransport, wallets in temporary homes (cheap scrypt cost for speed)."""

from __future__ import annotations

import copy
import json

import pytest

from vccore import DidResolver, KeyPair, Verifier, add_proof
from vccore.statuslist import Bitstring
from vccore.transport import StaticTransport
from wallet.holder import Wallet
from vccore.statuscheck import StatusChecker

from ..conftest import load_example

PASS = "correct horse battery staple"
STATUS_URLS = {"revocation": "https://www.hogeschool-voorbeeld.nl/status/1",
               "suspension": "https://www.hogeschool-voorbeeld.nl/status/2"}
TEST_KDF_N = 2 ** 12


def status_list(issuer_key: KeyPair, canon, purpose: str, set_bits=()) -> bytes:
    bits = Bitstring()
    for i in set_bits:
        bits.set(i, True)
    url = STATUS_URLS[purpose]
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
           "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer_key.controller,
           "validFrom": "2026-01-01T00:00:00Z",
           "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                                 "encodedList": bits.encode()}}
    return json.dumps(add_proof(doc, key=issuer_key, canon=canon, created="2026-08-01T00:00:00Z")).encode()


@pytest.fixture(scope="session")
def _lists(issuer_key, canon) -> dict:
    return {"clean": {STATUS_URLS[p]: status_list(issuer_key, canon, p) for p in STATUS_URLS},
            "revoked": {STATUS_URLS["revocation"]: status_list(issuer_key, canon, "revocation", [48213]),
                        STATUS_URLS["suspension"]: status_list(issuer_key, canon, "suspension")}}


@pytest.fixture
def transport(_lists) -> StaticTransport:
    return StaticTransport(_lists["clean"])


def make_verifier(canon, clock, transport) -> Verifier:
    resolver = DidResolver(transport=transport)
    lists = Verifier(canon=canon, resolver=resolver, clock=clock)
    return Verifier(canon=canon, resolver=resolver, clock=clock,
                    status=StatusChecker(transport=transport, list_verifier=lists, clock=lists.clock))


@pytest.fixture
def wallet_verifier(canon, clock, transport) -> Verifier:
    return make_verifier(canon, clock, transport)


@pytest.fixture
def wallet(tmp_path, wallet_verifier, clock, canon, holder_key) -> Wallet:
    w = Wallet.create(tmp_path / "home", PASS, verifier=wallet_verifier, clock=clock, canon=canon,
                      kdf_n=TEST_KDF_N, first_profile=False)
    w.store.add_profile("default", holder_key, "2026-09-01T12:00:00Z")
    yield w
    w.close()


@pytest.fixture(scope="session")
def issue(issuer_key, holder_key, canon):
    """issue(**changes) -> signed credential bytes for the holder (cached per variant)."""
    cache: dict = {}

    def make(name: str = "Data-gedreven besluitvorming in de zorg", institution: str = "Hogeschool Voorbeeld",
             ects: int = 5, nlqf: str = "6", valid_from: str = "2026-06-30T00:00:00Z",
             holder: str | None = None) -> bytes:
        key = (name, institution, ects, nlqf, valid_from, holder)
        if key not in cache:
            vc = copy.deepcopy(load_example())
            vc["issuer"]["id"], vc["issuer"]["name"] = issuer_key.controller, institution
            vc["credentialSubject"]["id"] = holder or holder_key.controller
            vc["name"] = vc["credentialSubject"]["achievement"]["name"] = name
            vc["credentialSubject"]["creditsEarned"] = ects
            vc["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] = nlqf
            vc["validFrom"] = valid_from
            signed = add_proof(vc, key=issuer_key, canon=canon, created="2026-06-30T09:00:00Z")
            cache[key] = json.dumps(signed, indent=2, ensure_ascii=False).encode("utf-8")
        return cache[key]
    return make
