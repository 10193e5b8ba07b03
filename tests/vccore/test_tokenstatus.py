"""IETF Token Status List: the bit codec (the draft's §4.1 examples), the statuslist+jwt token,
and the checker's states and freshness (the same rules as Bitstring Status Lists)."""

from __future__ import annotations

import datetime as dt

import pytest

from vccore import FixedClock, KeyPair, Verifier
from vccore.jose import sign_compact
from vccore.josekeys import JoseKeys, okp_key
from vccore.tokenstatus import StatusBits, TokenStatusChecker
from vccore.transport import Response
from vccore.errors import TransportError

from .test_jose_verify import ISSUER, NOW, sd_jwt_vc

URI = "https://badges.example.nl/status/1"


def test_one_bit_example_of_the_draft():
    """§4.1 example: status[0]=1, [1]=0, [2]=0, [3]=1, [4]=1, [5]=1, [6]=0, [7]=1, [8]=1, ... -> 0xB9 0xA3."""
    bits = StatusBits.empty(1, 16)
    for i in (0, 3, 4, 5, 7, 8, 9, 13, 15):
        bits.set(i, 1)
    assert bytes(bits.data) == bytes([0xB9, 0xA3])


def test_two_bit_example_of_the_draft():
    """§4.1 example with bits 2: [1,2,0,3,0,1,0,1,1,2,3,3] -> 0xC9 0x44 0xF9."""
    bits = StatusBits.empty(2, 12)
    for i, v in enumerate([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]):
        bits.set(i, v)
    assert bytes(bits.data) == bytes([0xC9, 0x44, 0xF9])
    again = StatusBits.from_claim(bits.to_claim())
    assert [again.get(i) for i in range(12)] == [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]


def status_token(values: dict[int, int], *, iat=None, exp=None, ttl=None, key=ISSUER, sub=URI) -> bytes:
    bits = StatusBits.empty(2, 1024)
    for i, v in values.items():
        bits.set(i, v)
    claims = {"sub": sub, "iat": iat or int(NOW.timestamp()) - 10, "iss": key.controller,
              "status_list": bits.to_claim()}
    claims.update({k: v for k, v in (("exp", exp), ("ttl", ttl)) if v is not None})
    return sign_compact({"alg": "EdDSA", "typ": "statuslist+jwt", "kid": key.id}, claims,
                        okp_key(key.private_key)).encode()


class ListServer:
    """A transport with request(): ETag + If-None-Match, counts requests, can be taken offline."""

    def __init__(self, body: bytes) -> None:
        self.body, self.etag, self.online, self.requests = body, '"v1"', True, []

    def get(self, url):
        return self.request("GET", url)

    def request(self, method, url, *, data=None, headers=None):
        self.requests.append((url, dict(headers or {})))
        if not self.online:
            raise TransportError("offline")
        if url != URI:
            return Response(404, b"")
        if (headers or {}).get("If-None-Match") == self.etag:
            return Response(304, b"", {"ETag": self.etag})
        return Response(200, self.body, {"ETag": self.etag, "Content-Type": "application/statuslist+jwt"})


def credential(idx: int) -> str:
    """An SD-JWT VC of ISSUER with status.status_list {idx, uri} (a never-disclosed claim)."""
    from vccore.sdjwt import conceal, issue
    from tests.vccore.test_jose_verify import body
    vc = body(ISSUER.controller)
    subject, disclosures = conceal(vc["credentialSubject"], ["result"])
    payload = {**vc, "credentialSubject": subject, "iss": ISSUER.controller, "vct": "MicroCredential",
               "iat": int(NOW.timestamp()) - 60, "status": {"status_list": {"idx": idx, "uri": URI}}}
    return issue({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": ISSUER.id}, payload, disclosures, okp_key(ISSUER.private_key))


def make(canon, server, clock=None, **kw):
    clock = clock or FixedClock(NOW)
    plain = Verifier(canon=canon, clock=clock)
    checker = TokenStatusChecker(keys=plain.jose, transport=server, clock=clock, **kw)
    return Verifier(canon=canon, clock=clock, token_status=checker), clock


@pytest.mark.parametrize("value,state,code", [(0, "unset", None), (1, "set", "STATUS_REVOKED"),
                                              (2, "set", "STATUS_SUSPENDED"), (3, "set", None)])
def test_status_values(canon, value, state, code):
    verifier, _ = make(canon, ListServer(status_token({5: value})))
    report = verifier.verify(credential(5))
    result = report.statuses[0]
    assert result.state == state and result.list_url == URI and result.index == 5 and result.source == "fetched"
    assert result.path == "/payload/status"
    assert report.codes() == ({code} if code else set())
    if value == 3:
        assert "STATUS_OTHER_VALUE" in report.warning_codes()


def test_every_verification_revalidates_and_a_304_keeps_the_copy(canon):
    server = ListServer(status_token({}))
    verifier, clock = make(canon, server)
    verifier.verify(credential(1))
    clock.advance(seconds=5)
    report = verifier.verify(credential(1))
    assert report.statuses[0].source == "revalidated"
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'
    assert server.requests[-1][1]["Accept"] == "application/statuslist+jwt"


def test_unreachable_issuer_means_the_last_copy_and_a_warning(canon):
    server = ListServer(status_token({}))
    verifier, clock = make(canon, server)
    verifier.verify(credential(1))
    server.online = False
    clock.advance(hours=2)
    report = verifier.verify(credential(1))
    assert report.statuses[0].source == "last-copy" and report.statuses[0].state == "unset"
    assert "STATUS_NOT_REFRESHED" in report.warning_codes()
    clock.advance(hours=30)
    late = verifier.verify(credential(1))
    assert late.statuses[0].state == "unchecked" and "STATUS_RETRIEVAL_ERROR" in late.warning_codes()


def test_a_young_copy_is_reused_only_when_it_flags(canon):
    server = ListServer(status_token({1: 1}))
    verifier, clock = make(canon, server)
    verifier.verify(credential(1))
    clock.advance(seconds=10)
    before = len(server.requests)
    assert verifier.verify(credential(1)).statuses[0].source == "cache"
    assert len(server.requests) == before
    verifier.verify(credential(2))  # unflagged entry: asked again
    assert len(server.requests) == before + 1


@pytest.mark.parametrize("token,code", [
    (lambda: status_token({}, key=KeyPair.generate(bytes.fromhex("07" * 32))), "STATUS_VERIFICATION_ERROR"),
    (lambda: status_token({}, sub="https://badges.example.nl/status/2"), "STATUS_VERIFICATION_ERROR"),
    (lambda: status_token({}, exp=int(NOW.timestamp()) - 100), "STATUS_VERIFICATION_ERROR"),
    (lambda: b"not a token", "STATUS_VERIFICATION_ERROR"),
])
def test_list_tokens_that_do_not_hold_leave_the_status_unchecked(canon, token, code):
    verifier, _ = make(canon, ListServer(token()))
    report = verifier.verify(credential(1))
    assert report.statuses[0].state == "unchecked" and code in report.warning_codes()


def test_required_status_makes_unchecked_an_error(canon):
    server = ListServer(b"")
    server.online = False
    verifier, _ = make(canon, server, required=True)
    assert "STATUS_RETRIEVAL_ERROR" in verifier.verify(credential(1)).codes()


def test_index_outside_the_list(canon):
    verifier, _ = make(canon, ListServer(status_token({})))
    report = verifier.verify(credential(5000))
    assert report.statuses[0].state == "unchecked" and "RANGE_ERROR" in report.warning_codes()


def test_credential_without_status_has_no_result(canon):
    verifier, _ = make(canon, ListServer(status_token({})))
    assert verifier.verify(sd_jwt_vc()).statuses == []
