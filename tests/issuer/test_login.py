"""Staff login security: throttling and lockout (429 + Retry-After), local-only redirects after login."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import urllib.parse

import pytest

from issuer.throttle import LoginThrottle, ThrottlePolicy, account_key, client_key

from ..conftest import ROOT
from ..hostile.test_hostile_issuer import OPEN_REDIRECTS
from .test_oid4vci import app, make_app  # noqa: F401 (fixture)
from .test_web import PASSWORD, csrf_of

SMALL = ThrottlePolicy(account_failures=3, client_failures=5, window=dt.timedelta(minutes=10),
                       lockout=dt.timedelta(minutes=2))


def attempt(client, username="staff", password="wrong", **kwargs):
    token = csrf_of(client.get("/admin/login", base_url=kwargs.get("base_url")).data)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token,
                                             **kwargs.pop("data", {})}, **kwargs)


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture
def small_app(tmp_path, issuer_key, clock, canon):
    return make_app(tmp_path, issuer_key, clock, canon, LOGIN_POLICY=SMALL)


# --- throttling by account ---------------------------------------------------------------------

def test_default_policy_locks_the_account_on_the_fifth_failure(app, clock):
    client = app.test_client()
    for _ in range(4):
        assert attempt(client).status_code == 401
    locked = attempt(client)
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "900"
    assert "Te veel mislukte inlogpogingen" in locked.get_data(as_text=True) and b"LOGIN_THROTTLED" in locked.data
    refused = attempt(client, password=PASSWORD)  # the right password does not help while locked
    assert refused.status_code == 429
    clock.advance(minutes=5)
    assert attempt(client, password=PASSWORD).headers["Retry-After"] == "600"
    clock.advance(minutes=10, seconds=1)
    assert attempt(client, password=PASSWORD).status_code == 302


def test_lockout_message_in_english(small_app):
    client = small_app.test_client()
    client.get("/admin/login?lang=en")
    for _ in range(3):
        reply = attempt(client)
    assert reply.status_code == 429
    assert "Too many failed login attempts. Please try again in 2 minutes." in reply.get_data(as_text=True)


def test_failures_outside_the_window_are_forgotten(small_app, clock):
    client = small_app.test_client()
    for _ in range(2):
        assert attempt(client).status_code == 401
    clock.advance(minutes=11)
    for _ in range(2):
        assert attempt(client).status_code == 401
    assert attempt(client).status_code == 429


def test_a_successful_login_clears_the_account_count(small_app):
    client = small_app.test_client()
    for _ in range(2):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 302
    other = client_at(small_app, "192.0.2.9")
    for _ in range(2):
        assert attempt(other).status_code == 401  # would be 429 had the count survived


def test_unknown_accounts_are_throttled_like_known_ones(small_app):
    client = small_app.test_client()
    known = [attempt(client).status_code for _ in range(3)]
    other = client_at(small_app, "192.0.2.10")
    unknown = [attempt(other, username="nobody").status_code for _ in range(3)]
    assert known == unknown == [401, 401, 429]


def test_a_locked_account_is_locked_for_every_client(small_app):
    for i in range(3):
        attempt(client_at(small_app, f"192.0.2.{i + 20}"))
    fresh = client_at(small_app, "198.51.100.1")
    assert attempt(fresh, password=PASSWORD).status_code == 429


# --- throttling by client -----------------------------------------------------------------------

def test_one_client_guessing_many_accounts_is_locked(small_app):
    client = small_app.test_client()
    codes = [attempt(client, username=f"user{i}").status_code for i in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    assert attempt(client, username="staff", password=PASSWORD).status_code == 429
    other = client_at(small_app, "192.0.2.77")
    assert attempt(other, password=PASSWORD).status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(small_app, monkeypatch):
    monkeypatch.delenv("VC_TRUST_PROXY", raising=False)
    client = small_app.test_client()
    codes = [attempt(client, username=f"u{i}", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
             for i in range(5)]
    assert codes[-1] == 429, "a client must not escape its budget by inventing X-Forwarded-For"


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(tmp_path, issuer_key, clock, canon, monkeypatch):
    monkeypatch.setenv("VC_TRUST_PROXY", "1")
    app = make_app(tmp_path, issuer_key, clock, canon, LOGIN_POLICY=SMALL)
    proxy = app.test_client()
    codes = [attempt(proxy, username=f"u{i}", headers={"X-Forwarded-For": "203.0.113.5"}).status_code
             for i in range(5)]
    assert codes[-1] == 429
    other = attempt(proxy, password=PASSWORD, headers={"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 302


@pytest.mark.parametrize("address, key", [
    ("192.0.2.1", "client:192.0.2.1"),
    ("::ffff:192.0.2.1", "client:192.0.2.1"),
    ("2001:db8:1:2:3:4:5:6", "client:2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::9", "client:2001:db8:1:2::/64"),
    ("fe80::1%eth0", "client:fe80::/64"),
    (None, "client:unknown"),
    ("not an address", "client:unknown"),
])
def test_client_keys(address, key):
    assert client_key(address) == key


def test_counts_are_shared_between_processes(tmp_path, small_app, clock):
    """Two workers of one data directory: failures counted in another process lock here too."""
    registry = small_app.extensions["issuer_service"].registry
    keys = [account_key("staff"), client_key("192.0.2.99")]
    script = (
        "import datetime as dt, json, sys\n"
        "from vccore import FixedClock\n"
        "from issuer.registry import Registry\n"
        "from issuer.throttle import LoginThrottle, ThrottlePolicy\n"
        "policy = ThrottlePolicy(account_failures=3, client_failures=5, window=dt.timedelta(minutes=10),\n"
        "                        lockout=dt.timedelta(minutes=2))\n"
        "t = LoginThrottle(Registry(sys.argv[1]), clock=FixedClock(sys.argv[2]), policy=policy)\n"
        "print(json.dumps([t.failed(json.loads(sys.argv[3])) for _ in range(3)]))\n")
    done = subprocess.run([sys.executable, "-c", script, registry.path, clock.now().isoformat(), json.dumps(keys)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [0, 0, 120]
    assert LoginThrottle(registry, clock=clock, policy=SMALL).retry_after(keys) == 120
    assert attempt(small_app.test_client(), password=PASSWORD).status_code == 429


def test_expired_rows_are_purged(small_app, clock):
    client = small_app.test_client()
    for i in range(4):
        attempt(client, username=f"spray{i}")
    registry = small_app.extensions["issuer_service"].registry
    assert registry.query("SELECT COUNT(*) FROM login_throttle")[0][0] == 5
    clock.advance(minutes=11)
    attempt(client, username="later")
    assert registry.query("SELECT COUNT(*) FROM login_throttle")[0][0] == 2  # only the new account and client


# --- redirects after login ----------------------------------------------------------------------



@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_never_redirects_off_site(app, target):
    reply = attempt(app.test_client(), password=PASSWORD, data={"next": target})
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/admin/"


@pytest.mark.parametrize("target, location", [
    ("/admin/", "/admin/"),
    ("/admin/records", "/admin/records"),
    ("/admin/records?q=de%20Vries", "/admin/records?q=de%20Vries"),
    ("/admin/records/abc-123", "/admin/records/abc-123"),
    ("/admin/records/%C3%A9t%C3%A9", "/admin/records/%C3%A9t%C3%A9"),
    ("/admin/records/été", "/admin/records/%C3%A9t%C3%A9"),
    ("/admin/definitions/new#top", "/admin/definitions/new"),
])
def test_login_returns_to_the_page_asked_for(app, target, location):
    reply = attempt(app.test_client(), password=PASSWORD, data={"next": target})
    assert reply.headers["Location"] == location
    # and a browser, resolving it against the login page, stays on this host
    assert urllib.parse.urlsplit(urllib.parse.urljoin("https://badges.example/admin/login", location)).netloc \
        == "badges.example"


def test_login_required_round_trip_keeps_the_mount_prefix(app):
    client, base = app.test_client(), "http://localhost/issuer"
    first = client.get("/admin/records?q=Jan", base_url=base)
    assert first.status_code == 302
    login_page = urllib.parse.urlsplit(first.headers["Location"])
    assert login_page.path == "/issuer/admin/login"
    target = urllib.parse.parse_qs(login_page.query)["next"][0]
    reply = attempt(client, password=PASSWORD, data={"next": target}, base_url=base)
    assert reply.headers["Location"] == "/issuer/admin/records?q=Jan"
