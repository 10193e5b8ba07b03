"""Unlocking makes a session for one browser (cookie), not a process-wide open wallet; lock and
inactivity end it; wrong passphrases are throttled (429 + Retry-After) on an injected clock."""

from __future__ import annotations

import datetime as dt

import pytest

from wallet.errors import UnlockThrottledError, WrongPassphraseError
from wallet.web.session import Sessions
from wallet.web.throttle import Limit, Throttle
from wallet.web.views import COOKIE

from .conftest import PASS
from .web_support import csrf, make_app, session_of, unlock


@pytest.fixture
def app(tmp_path, canon, clock, transport):
    return make_app(tmp_path / "home", canon, clock, transport)


def _stored(app, client, issue) -> str:
    wallet = session_of(app, client).wallet
    return wallet.import_bytes(issue(holder=wallet.profile().did)).stored_id


def test_only_the_browser_that_unlocked_sees_the_wallet(app, issue):
    a, b = app.test_client(), app.test_client()
    assert unlock(a).status_code == 302
    cred = _stored(app, a, issue)
    assert a.get("/").status_code == 200 and a.get(f"/credentials/{cred}").status_code == 200
    b.get("/unlock")  # b has its own CSRF cookie, but no session
    for path in ("/", f"/credentials/{cred}", "/backup", "/present", "/import"):
        reply = b.get(path)
        assert reply.status_code == 302 and "/unlock" in reply.headers["Location"], path
    token = csrf(b.get("/unlock").get_data(as_text=True))
    reply = b.post("/backup", data={"csrf": token, "action": "backup", "backup_passphrase": "x"})
    assert reply.status_code == 302 and "/unlock" in reply.headers["Location"]
    guessed = a.get_cookie(COOKIE).value[:-2] + "AA"
    b.set_cookie(COOKIE, guessed)
    assert b.get("/").status_code == 302
    b.get("/unlock")
    assert "Sanne de Vries" not in b.get(f"/credentials/{cred}", follow_redirects=True).get_data(as_text=True)


def test_the_session_cookie_is_unguessable_httponly_strict_and_secure_over_https(app):
    reply = unlock(app.test_client())
    cookie = next(h for h in reply.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    value = cookie.split(";")[0].split("=", 1)[1]
    assert len(value) >= 43  # 256 random bits, url-safe base64
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie and "Secure" not in cookie
    secure = unlock(app.test_client(), base_url="https://localhost")
    cookies = secure.headers.getlist("Set-Cookie")
    assert all("Secure" in c and "HttpOnly" in c and "SameSite=Strict" in c for c in cookies) and len(cookies) == 2


def test_lock_ends_only_that_session_and_its_cookie_is_dead(app):
    a, b = app.test_client(), app.test_client()
    unlock(a)
    unlock(b)
    stolen, held = a.get_cookie(COOKIE).value, session_of(app, a)
    html = a.get("/").get_data(as_text=True)
    assert 'id="lock"' in html and 'id="lock"' not in a.get("/unlock").get_data(as_text=True)
    reply = a.post("/lock", data={"csrf": csrf(html)})
    assert reply.status_code == 302 and "locked=1" in reply.headers["Location"]
    assert held.closed and a.get_cookie(COOKIE) is None
    assert "Vergrendeld" in a.get(reply.headers["Location"]).get_data(as_text=True)
    replay = app.test_client()
    replay.set_cookie(COOKIE, stolen)
    assert replay.get("/").status_code == 302
    assert b.get("/").status_code == 200  # the other browser's session is untouched


def test_a_session_expires_after_the_idle_time(app, clock):
    client = app.test_client()
    unlock(client)
    held = session_of(app, client)
    clock.advance(minutes=14)
    assert client.get("/").status_code == 200  # activity restarts the idle time
    clock.advance(minutes=14)
    assert client.get("/").status_code == 200
    clock.advance(minutes=15, seconds=1)
    reply = client.get("/")
    assert reply.status_code == 302 and "ended=1" in reply.headers["Location"] and held.closed
    page = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Je sessie is beëindigd" in page and 'id="passphrase"' in page
    assert len(app.extensions["wallet"].sessions) == 0


def test_the_idle_time_is_configurable(tmp_path, canon, clock, transport):
    app = make_app(tmp_path / "home", canon, clock, transport, SESSION_IDLE_SECONDS=60)
    client = app.test_client()
    unlock(client)
    clock.advance(seconds=61)
    assert client.get("/").status_code == 302


def test_unlocking_again_replaces_the_old_session(app):
    client = app.test_client()
    unlock(client)
    first = session_of(app, client)
    unlock(client)
    assert first.closed and session_of(app, client) is not first and len(app.extensions["wallet"].sessions) == 1


def test_at_most_eight_sessions_stay_open_the_least_recently_used_is_closed(app, clock):
    clients = [app.test_client() for _ in range(9)]
    held = []
    for client in clients:
        clock.advance(seconds=1)
        unlock(client)
        held.append(session_of(app, client))
    assert held[0].closed and not any(s.closed for s in held[1:])
    assert clients[0].get("/").status_code == 302 and clients[1].get("/").status_code == 200
    assert len(app.extensions["wallet"].sessions) == 8


def test_wrong_passphrases_lock_out_with_retry_after_then_the_right_one_works(app, clock):
    client = app.test_client()
    unlock(client)  # creates the wallet
    client = app.test_client()
    assert [unlock(client, "wrong").status_code for _ in range(5)] == [401] * 5
    refused = unlock(client, PASS)  # even the right passphrase is not tried during the lockout
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
    assert "UNLOCK_THROTTLED" in refused.get_data(as_text=True)
    assert "Probeer het over 30 seconden opnieuw" in refused.get_data(as_text=True)
    clock.advance(seconds=10)
    assert unlock(client, PASS).headers["Retry-After"] == "20"
    clock.advance(seconds=20)
    assert unlock(client, "wrong").status_code == 401  # the sixth failure doubles the lockout
    assert unlock(client, PASS).headers["Retry-After"] == "60"
    clock.advance(seconds=60)
    assert unlock(client, PASS).status_code == 302 and client.get("/").status_code == 200
    assert unlock(client, "wrong").status_code == 401  # success forgave the earlier failures


def test_one_client_locked_out_does_not_lock_another_until_the_home_limit(app, clock):
    def at(addr):
        return {"environ_base": {"REMOTE_ADDR": addr}}
    first = app.test_client()
    unlock(first, **at("127.0.0.1"))
    for _ in range(5):
        unlock(first, "wrong", **at("127.0.0.1"))
    assert unlock(first, PASS, **at("127.0.0.1")).status_code == 429
    assert unlock(app.test_client(), PASS, **at("127.0.0.2")).status_code == 302
    for n in range(20):  # many clients, one failure each: the wallet home's own limit
        unlock(app.test_client(), "wrong", **at(f"127.0.1.{n}"))
    assert unlock(app.test_client(), PASS, **at("127.0.2.1")).status_code == 429


class _Opener:
    def __init__(self):
        self.calls = 0

    def __call__(self, passphrase):
        self.calls += 1
        raise WrongPassphraseError("no")


def test_a_throttled_attempt_never_derives_a_key(tmp_path, clock):
    opener = _Opener()
    sessions = Sessions(home=tmp_path, opener=opener, clock=clock,
                        throttle=Throttle(clock=clock, client=Limit(3), home=Limit(100)))
    for _ in range(3):
        with pytest.raises(WrongPassphraseError):
            sessions.unlock("guess", client="c")
    for _ in range(50):
        with pytest.raises(UnlockThrottledError) as exc:
            sessions.unlock("guess", client="c")
    assert opener.calls == 3 and exc.value.retry_after == 30 and exc.value.code == "UNLOCK_THROTTLED"


def test_lockouts_double_up_to_the_cap(clock):
    limit = Limit(5, base=dt.timedelta(seconds=30), cap=dt.timedelta(minutes=15))
    assert [limit.lockout(n).total_seconds() for n in (4, 5, 6, 7, 9, 10, 50)] == [0, 30, 60, 120, 480, 900, 900]
