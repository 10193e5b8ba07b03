"""Shared fixtures. The test run makes no network connection: sockets to anything but loopback
fail, and tests must ask for loopback with the `loopback` fixture (servers they start)."""

from __future__ import annotations

import copy
import json
import pathlib
import socket

import pytest

from vccore import Canonicalizer, DidResolver, FixedClock, KeyPair, Verifier, add_proof

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
EXAMPLE = ROOT / "docs" / "examples" / "microcredential.json"
ISSUER_SEED = bytes.fromhex("9b" * 32)
HOLDER_SEED = bytes.fromhex("a1" * 32)
NOW = "2026-09-01T12:00:00Z"


class NetworkAttempt(AssertionError):
    pass


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _host_of(address: object) -> str:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return str(address)


@pytest.fixture(autouse=True)
def no_network(request, monkeypatch):
    """Fail any connection attempt; loopback only for tests that use the `loopback` fixture."""
    allow_loopback = "loopback" in request.fixturenames

    def guard(address: object) -> None:
        host = _host_of(address)
        if isinstance(address, (str, bytes)):  # AF_UNIX sockets are local
            return
        if allow_loopback and host in _LOOPBACK:
            return
        raise NetworkAttempt(f"test tried to connect to {host}")

    def connect(sock, address):
        guard(address)
        return _real_connect(sock, address)

    def connect_ex(sock, address):
        guard(address)
        return _real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not (allow_loopback and str(host) in _LOOPBACK):
            raise NetworkAttempt(f"test tried to resolve {host}")
        return _real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def loopback():
    """Marker fixture: this test may connect to servers it started on loopback."""
    return "127.0.0.1"


@pytest.fixture(scope="session")
def canon() -> Canonicalizer:
    return Canonicalizer()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def issuer_key() -> KeyPair:
    return KeyPair.generate(ISSUER_SEED)


@pytest.fixture(scope="session")
def holder_key() -> KeyPair:
    return KeyPair.generate(HOLDER_SEED)


@pytest.fixture
def verifier(canon, clock) -> Verifier:
    return Verifier(canon=canon, resolver=DidResolver(), clock=clock)


def load_example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def unsigned_vc(issuer_key, holder_key) -> dict:
    vc = load_example()
    vc["issuer"]["id"] = issuer_key.controller
    vc["credentialSubject"]["id"] = holder_key.controller
    return vc


@pytest.fixture(scope="session")
def _signed_vc_cache() -> dict:
    return {}


@pytest.fixture
def signed_vc(unsigned_vc, issuer_key, canon, _signed_vc_cache) -> dict:
    if "vc" not in _signed_vc_cache:
        _signed_vc_cache["vc"] = add_proof(unsigned_vc, key=issuer_key, canon=canon,
                                           created="2026-06-30T09:00:00Z")
    return copy.deepcopy(_signed_vc_cache["vc"])
