"""Presentation requests are bounded: purged at expiry, rate-limited and capped per client, capped
in all; `GET /request` answers 429/503 with Retry-After as a page or JSON, in Dutch and English.
All on a fixed clock."""

from __future__ import annotations

import itertools

import pytest

from verifier.app import create_app
from verifier.challenges import ChallengeLimitError, ChallengeLimits, ChallengeStore, client_key
from verifier.policy import Policy
from verifier.service import VerifierService

from . import factory


def store(clock, path=":memory:", prefix="c", **limits) -> ChallengeStore:
    counter = itertools.count()
    return ChallengeStore(path, clock=clock, ttl=600, token=lambda: f"{prefix}-{next(counter)}",
                          limits=ChallengeLimits(**limits))


def test_expired_challenges_are_purged_at_once(clock):
    challenges = store(clock, per_client_burst=100)
    for i in range(5):
        challenges.issue(domain="d", client=f"10.0.0.{i}")
    assert challenges.stored() == 5
    clock.advance(seconds=601)
    challenges.issue(domain="d", client="10.0.0.9")
    assert challenges.stored() == 1  # not "after a day": the five expired rows are gone


def test_issuing_is_rate_limited_per_client_with_retry_after(clock):
    challenges = store(clock, per_client_burst=3, per_client_per_minute=6, max_open_per_client=100)
    for _ in range(3):
        challenges.issue(domain="d", client="192.0.2.1")
    with pytest.raises(ChallengeLimitError) as caught:
        challenges.issue(domain="d", client="192.0.2.1")
    assert caught.value.code == "RATE_LIMITED" and caught.value.status == 429
    assert caught.value.retry_after == 10  # one token per 10 s
    challenges.issue(domain="d", client="192.0.2.2")  # another client is not affected
    clock.advance(seconds=10)
    challenges.issue(domain="d", client="192.0.2.1")


def test_open_challenges_are_capped_per_client(clock):
    challenges = store(clock, per_client_burst=100, max_open_per_client=2)
    first = challenges.issue(domain="d", client="192.0.2.1")
    challenges.issue(domain="d", client="192.0.2.1")
    with pytest.raises(ChallengeLimitError) as caught:
        challenges.issue(domain="d", client="192.0.2.1")
    assert caught.value.status == 429 and caught.value.retry_after == 600
    challenges.consume(first.challenge)  # answered: no longer open
    challenges.issue(domain="d", client="192.0.2.1")


def test_stored_challenges_are_capped_in_all(clock):
    challenges = store(clock, max_stored=3)
    for i in range(3):
        challenges.issue(domain="d", client=f"198.51.100.{i}")
    clock.advance(seconds=100)
    with pytest.raises(ChallengeLimitError) as caught:
        challenges.issue(domain="d", client="198.51.100.200")
    assert caught.value.code == "VERIFIER_BUSY" and caught.value.status == 503
    assert caught.value.retry_after == 500  # when the oldest expires
    clock.advance(seconds=501)
    challenges.issue(domain="d", client="198.51.100.200")


def test_worker_processes_share_the_counts_through_the_file(clock, tmp_path):
    path = str(tmp_path / "challenges.sqlite3")
    one, two = store(clock, path, "one", per_client_burst=2), store(clock, path, "two", per_client_burst=2)
    one.issue(domain="d", client="192.0.2.1")
    two.issue(domain="d", client="192.0.2.1")
    with pytest.raises(ChallengeLimitError):
        one.issue(domain="d", client="192.0.2.1")
    assert two.stored() == 2


def test_a_store_from_before_the_limits_is_upgraded(clock, tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE challenge (challenge TEXT PRIMARY KEY, domain TEXT NOT NULL, expires REAL NOT NULL,"
                   " used INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL)")
    req = store(clock, str(path)).issue(domain="d", client="192.0.2.1")
    assert store(clock, str(path)).domain_of(req.challenge) == "d"


def test_client_keys():
    assert client_key("192.0.2.7") == "192.0.2.7"
    assert client_key("2001:db8:1:2:3:4:5:6") == client_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key(None) == client_key("not an address") == "unknown"


@pytest.fixture
def limited_client(canon, clock):
    policy = Policy(challenge_burst=2, challenge_per_minute=1)
    svc = VerifierService(canon=canon, clock=clock, policy=policy, transport=factory.status_transport(canon))
    return create_app({"VERIFIER_SERVICE": svc, "TESTING": True}).test_client()


def test_request_page_answers_429_with_retry_after_in_dutch_and_english(limited_client):
    assert limited_client.get("/request").status_code == 200
    assert limited_client.get("/request?lang=en").status_code == 200
    dutch = limited_client.get("/request?lang=nl")
    assert dutch.status_code == 429 and dutch.headers["Retry-After"] == "60"
    html = dutch.get_data(as_text=True)
    assert "Te veel verzoeken" in html and "over 60 seconden" in html and 'data-code="RATE_LIMITED"' in html
    english = limited_client.get("/request?lang=en")
    assert english.status_code == 429 and "Try again in 60 seconds" in english.get_data(as_text=True)


def test_request_limit_as_json_for_clients_that_ask_for_it(limited_client):
    for _ in range(2):
        limited_client.get("/request")
    reply = limited_client.get("/request", headers={"Accept": "application/json", "Accept-Language": "en"})
    assert reply.status_code == 429 and reply.mimetype == "application/problem+json"
    assert reply.json["code"] == "RATE_LIMITED" and reply.json["retryAfter"] == 60
    assert reply.json["title"] == "Too many requests" and reply.headers["Content-Language"] == "en"
    dutch = limited_client.get("/request", headers={"Accept": "application/json", "Accept-Language": "nl"})
    assert dutch.json["title"] == "Te veel verzoeken"


def test_request_limits_count_the_forwarded_client_behind_a_trusted_proxy(canon, clock, monkeypatch):
    monkeypatch.setenv("VC_TRUST_PROXY", "1")
    svc = VerifierService(canon=canon, clock=clock, policy=Policy(challenge_burst=1),
                          transport=factory.status_transport(canon))
    client = create_app({"VERIFIER_SERVICE": svc, "TESTING": True}).test_client()
    assert client.get("/request", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert client.get("/request", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 429
    assert client.get("/request", headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 200
