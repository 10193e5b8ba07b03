"""Verifier fixtures: a service wired to fake status lists and a loaded trust list."""

from __future__ import annotations

import pytest

from verifier.service import VerifierService
from verifier.trust import TrustStore

from . import factory


@pytest.fixture
def service(canon, clock):
    svc = VerifierService(canon=canon, clock=clock, transport=factory.status_transport(canon))
    svc.trust = TrustStore(authority=factory.authority_key.controller, verifier=svc.plain, clock=clock)
    svc.trust.import_bytes(factory.trust_list(canon))
    return svc


@pytest.fixture(scope="session")
def clean_vc(canon):
    return factory.sign(factory.microcredential(), canon)


@pytest.fixture(scope="session")
def clean_vp(canon, clean_vc):
    return factory.presentation([clean_vc], canon)
