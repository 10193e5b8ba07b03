"""Status freshness (vccore.statuscheck): structured results, conditional revalidation on every
verification, the maximum age and the list's ttl, and the last copy when the issuer is unreachable.
The clock is injected; nothing sleeps."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from vccore import DidResolver, Verifier, add_proof
from vccore.errors import TransportError
from vccore.statuscheck import NOT_REFRESHED, REVOKED, SUSPENDED, StatusChecker, results_under, status_outcome
from vccore.statuslist import Bitstring
from vccore.transport import Response

from ..verifier import factory


class StatusServer:
    """An issuer's status list endpoint: signed lists with ETags, 304 for a matching If-None-Match."""

    def __init__(self, canon, *, ttl_ms: int | None = None) -> None:
        self.canon, self.ttl_ms = canon, ttl_ms
        self.flags = {factory.REVOCATION_URL: set(), factory.SUSPENSION_URL: set()}
        self.bodies: dict[str, bytes] = {}
        self.log: list[tuple[str, int]] = []  # (If-None-Match sent or "", status answered)
        self.offline = False
        for url in self.flags:
            self._sign(url)

    def _sign(self, url: str) -> None:
        purpose = "revocation" if url == factory.REVOCATION_URL else "suspension"
        bits = Bitstring()
        for i in self.flags[url]:
            bits.set(i, True)
        subject = {"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                   "encodedList": bits.encode()}
        if self.ttl_ms is not None:
            subject["ttl"] = self.ttl_ms
        doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
               "type": ["VerifiableCredential", "BitstringStatusListCredential"],
               "issuer": factory.issuer_key.controller, "validFrom": "2026-09-01T11:59:00Z",
               "credentialSubject": subject}
        self.bodies[url] = json.dumps(add_proof(doc, key=factory.issuer_key, canon=self.canon,
                                                created="2026-09-01T11:59:00Z")).encode()

    def set(self, url: str, index: int, value: bool) -> None:
        (self.flags[url].add if value else self.flags[url].discard)(index)
        self._sign(url)

    def request(self, method: str, url: str, *, data=None, headers=None) -> Response:
        if self.offline:
            raise TransportError(f"{url} could not be fetched: connection refused")
        tag = '"' + hashlib.sha256(self.bodies[url]).hexdigest()[:16] + '"'
        asked = (headers or {}).get("If-None-Match", "")
        status = 304 if asked == tag else 200
        self.log.append((asked, status))
        return Response(status, b"" if status == 304 else self.bodies[url], {"etag": tag})

    def get(self, url: str) -> Response:
        return self.request("GET", url)


@pytest.fixture
def server(canon):
    return StatusServer(canon)


def checker(canon, clock, transport, **kw) -> Verifier:
    lists = Verifier(canon=canon, resolver=DidResolver(), clock=clock)
    return Verifier(canon=canon, resolver=DidResolver(), clock=clock,
                    status=StatusChecker(list_verifier=lists, transport=transport, clock=clock, **kw))


@pytest.fixture(scope="module")
def vc(canon):
    return factory.sign(factory.microcredential(index=factory.CLEAN_INDEX), canon)


def test_results_are_structured_and_an_unchanged_list_costs_a_304(canon, clock, server, vc):
    verifier = checker(canon, clock, server)
    first = verifier.verify_credential(vc)
    assert first.verified and status_outcome(first) == "ok"
    revocation, suspension = first.statuses
    assert (revocation.purpose, revocation.state, revocation.source) == ("revocation", "unset", "fetched")
    assert revocation.list_url == factory.REVOCATION_URL and revocation.index == factory.CLEAN_INDEX
    assert revocation.fetched_at == clock.now() and revocation.etag.startswith('"')
    assert revocation.list_valid_from == dt.datetime(2026, 9, 1, 11, 59, tzinfo=dt.timezone.utc)
    assert revocation.path == "/credentialStatus/0" and suspension.path == "/credentialStatus/1"
    assert [s for _tag, s in server.log] == [200, 200]
    clock.advance(seconds=5)
    again = verifier.verify_credential(vc)
    assert [r.source for r in again.statuses] == ["revalidated", "revalidated"]
    assert again.statuses[0].fetched_at == clock.now()
    assert server.log[2:] == [(revocation.etag, 304), (suspension.etag, 304)]
    assert again.to_json()["status"][0] | {} == again.statuses[0].to_json()
    assert again.to_json()["status"][0]["fetchedAt"] == "2026-09-01T12:00:05Z"


def test_revoked_then_verified_at_once_is_revoked(canon, clock, server, vc):
    verifier = checker(canon, clock, server)
    assert verifier.verify_credential(vc).verified
    server.set(factory.REVOCATION_URL, factory.CLEAN_INDEX, True)
    report = verifier.verify_credential(vc)  # the same second: no cache window
    assert report.codes() == {REVOKED} and status_outcome(report) == "revoked"
    assert report.statuses[0].state == "set" and report.statuses[0].source == "fetched"


def test_a_lifted_suspension_shows_within_the_maximum_age(canon, clock, server, vc):
    verifier = checker(canon, clock, server, max_age=dt.timedelta(seconds=30))
    server.set(factory.SUSPENSION_URL, factory.CLEAN_INDEX, True)
    assert verifier.verify_credential(vc).codes() == {SUSPENDED}
    server.set(factory.SUSPENSION_URL, factory.CLEAN_INDEX, False)
    clock.advance(seconds=10)
    held = verifier.verify_credential(vc)  # a young copy that flags the entry is reused: errs on the safe side
    assert held.codes() == {SUSPENDED} and held.statuses[1].source == "cache"
    clock.advance(seconds=21)
    assert verifier.verify_credential(vc).verified


def test_the_lists_ttl_shortens_the_maximum_age(canon, clock, vc):
    server = StatusServer(canon, ttl_ms=5_000)
    verifier = checker(canon, clock, server, max_age=dt.timedelta(seconds=60))
    server.set(factory.SUSPENSION_URL, factory.CLEAN_INDEX, True)
    first = verifier.verify_credential(vc)
    assert first.statuses[1].ttl == dt.timedelta(seconds=5)
    server.set(factory.SUSPENSION_URL, factory.CLEAN_INDEX, False)
    clock.advance(seconds=6)
    assert verifier.verify_credential(vc).verified


def test_unreachable_issuer_uses_the_last_copy_and_says_so(canon, clock, server, vc):
    verifier = checker(canon, clock, server)
    verifier.verify_credential(vc)
    fetched = clock.now()
    server.offline = True
    clock.advance(minutes=3)
    report = verifier.verify_credential(vc)
    assert report.verified and report.warning_codes() == {NOT_REFRESHED}
    assert [(r.state, r.source, r.fetched_at, r.refreshed) for r in report.statuses] == \
        [("unset", "last-copy", fetched, False)] * 2
    clock.advance(hours=25)  # older than max_stale: not used any more
    late = verifier.verify_credential(vc)
    assert [r.state for r in late.statuses] == ["unchecked", "unchecked"]
    assert status_outcome(late) == "unknown" and "STATUS_RETRIEVAL_ERROR" in late.warning_codes()


def test_no_copy_and_no_network_is_unchecked_never_passed(canon, clock, vc):
    from vccore.transport import NoNetwork
    report = checker(canon, clock, NoNetwork()).verify_credential(vc)
    assert [(r.state, r.source, r.problem) for r in report.statuses] == [("unchecked", "none", "STATUS_RETRIEVAL_ERROR")] * 2
    assert {c.status for c in report.checks if c.name == "status"} == {"unchecked"}


def test_one_request_per_list_and_verification(canon, clock, server, vc):
    other = factory.sign(factory.microcredential(index=factory.CLEAN_INDEX + 1), canon)
    vp = factory.presentation([vc, other], canon)
    verifier = checker(canon, clock, server)
    report = verifier.verify_presentation(vp)
    assert report.verified and len(server.log) == 2  # two lists, four entries
    assert [r.source for r in results_under(report, "/verifiableCredential/1")] == ["cache", "cache"]
    assert len(results_under(report, "/verifiableCredential/0")) == 2


def test_a_transport_without_conditional_requests_still_works(canon, clock, vc):
    transport = factory.status_transport(canon)  # StaticTransport: get() only
    report = checker(canon, clock, transport).verify_credential(vc)
    assert report.verified and [r.etag for r in report.statuses] == [None, None]


def test_status_sentences_in_local_time_and_both_languages(canon, clock, server, vc):
    from vccore.l10n import localizer
    from vccore.statustext import status_sentence, status_state

    verifier = checker(canon, clock, server)
    fresh = verifier.verify_credential(vc).statuses
    nl, en = localizer("nl"), localizer("en")
    assert status_state(fresh) == "ok"
    assert status_sentence(fresh, en, now=clock.now()) == \
        "Not revoked or suspended — status as published at 13:59, checked at 14:00"
    server.offline = True
    clock.advance(minutes=1)
    stale = verifier.verify_credential(vc).statuses
    assert status_sentence(stale, nl, now=clock.now()) == ("Niet ingetrokken of geschorst — status zoals gepubliceerd "
                                                           "om 13:59 (lijst opgehaald om 14:00); kon niet worden vernieuwd")
    clock.advance(hours=12)  # the next day in Amsterdam: dates are shown too
    assert "1 september 2026 om 14:00" in status_sentence(stale, nl, now=clock.now())
    server.offline = False
    server.set(factory.REVOCATION_URL, factory.CLEAN_INDEX, True)
    revoked = verifier.verify_credential(vc).statuses
    assert status_state(revoked) == "revoked"
    assert status_sentence(revoked, nl, now=clock.now()).startswith("Ingetrokken door de instelling — status zoals")
    assert status_sentence([], en, now=clock.now()) == "The certificate carries no status information"
