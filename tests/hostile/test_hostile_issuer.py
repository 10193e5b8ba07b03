"""Hostile corpus, issuer: one case per attack class on the issuer's staff login and VC API. Each
case runs in a fresh, memory-limited interpreter (bounds.run_bounded), names the HTTP status and
code it expects, and asserts a time and a memory bound. The clock is a FixedClock: no sleeps.

| attack | expected |
|---|---|
| password guessing against one account (200 tries) | 401 ×4, then 429 `LOGIN_THROTTLED` + `Retry-After: 900`; no password hash computed while locked; the right password is refused too |
| one client spraying 200 usernames | 401 ×19, then 429 for every account, also a real one |
| open redirect payloads in `next` after login | 302 to `/admin/` only; a browser resolving the `Location` stays on the issuer's host |
| bearer token variants and oversized/garbage `Authorization` headers | 201 for the case-insensitive scheme with the exact token, 401 `UNAUTHORIZED` for everything else |
| a status list request with a huge `Accept` header | 200 `application/vc`, fast |
"""

from __future__ import annotations

import urllib.parse

from .bounds import run_bounded

HERE = "tests.hostile.test_hostile_issuer"
PASSWORD = "correct horse battery staple"
TOKEN = "vc-api-token-Zk3q"
NOW = "2026-09-01T12:00:00Z"

# Known open-redirect tricks (also run in-process by tests/issuer/test_login.py). Browsers drop tabs
# and newlines, strip leading controls and spaces and read "\\" as "/" (WHATWG URL Standard).
OPEN_REDIRECTS = [
    "//evil.example", "//evil.example/admin/", "///evil.example", "////evil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", " //evil.example",
    "/ /evil.example", "/\x00/evil.example", "/\x0b/evil.example", "/\x7f/evil.example", "/\x85/evil.example",
    "/\u3000/evil.example", "/\u2028/evil.example",
    "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\\/evil.example",
    "https://evil.example", "https://evil.example/admin/", "http:evil.example", "https:/evil.example",
    "HTTPS://evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>",
    "evil.example", "admin/", "%2F%2Fevil.example", "/%2F/evil.example", "/admin/..//evil.example",
    "//evil.example@localhost/admin/", "/admin/\r\nSet-Cookie: session=x", "/.//evil.example",
    "/admin/logout", "/admin/login", "/admin/login?next=//evil.example", "/nowhere", "/admin", "",
    "/" + "a" * 5000,
]


# The cases (run inside the bounded subprocess).

def _app(data_dir: str, *, password_hash: str | None = None, **config):
    from werkzeug.security import generate_password_hash

    from issuer.app import create_app
    from vccore import FixedClock, KeyPair

    users = {"admin": password_hash or generate_password_hash(PASSWORD)}  # werkzeug's default: scrypt
    return create_app({"DATA_DIR": data_dir, "KEY": KeyPair.generate(bytes(32)), "CLOCK": FixedClock(NOW),
                       "USERS": users, "SECRET_KEY": "hostile", "PUBLIC_BASE_URL": "https://badges.example",
                       "INSTITUTION": {"name": "Hogeschool Voorbeeld", "brin": "99XX",
                                       "url": "https://www.hogeschool-voorbeeld.nl"}, **config})


def _login(client, username: str, password: str, next_page: str = ""):
    import re

    page = client.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token,
                                             "next": next_page})


def brute_force_case(data_dir: str, attempts: int) -> dict:
    import issuer.web.auth as auth

    app = _app(data_dir)
    client = app.test_client()
    hashed = []
    real_check = auth.check_password_hash

    def counted(*args):  # count the expensive password checks
        hashed.append(1)
        return real_check(*args)
    auth.check_password_hash = counted
    replies = [_login(client, "admin", f"guess {n}") for n in range(attempts)]
    statuses = [r.status_code for r in replies]
    last = replies[-1]
    return {"first": statuses[:6], "throttled": statuses.count(429), "retry_after": last.headers.get("Retry-After"),
            "code": "LOGIN_THROTTLED" if "LOGIN_THROTTLED" in last.get_data(as_text=True) else None,
            "hashes": len(hashed), "right_one_during_lockout": _login(client, "admin", PASSWORD).status_code}


def spray_case(data_dir: str, attempts: int) -> dict:
    client = _app(data_dir).test_client()
    statuses = [_login(client, f"user{n}", "Welkom01!").status_code for n in range(attempts)]
    return {"unauthorized": statuses.count(401), "throttled": statuses.count(429), "first_429": statuses.index(429),
            "real_account": _login(client, "admin", PASSWORD).status_code}


def open_redirect_case(data_dir: str, payloads: list[str]) -> dict:
    # a cheap hash: this case is about redirects, not password cost
    client = _app(data_dir, password_hash=_cheap_hash()).test_client()
    locations = []
    for payload in payloads:
        reply = _login(client, "admin", PASSWORD, payload)
        locations.append([reply.status_code, reply.headers.get("Location")])
        client.post("/admin/logout", data={"csrf_token": _token(client)})
    return {"locations": locations}


def _cheap_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def _token(client) -> str:
    import re

    page = client.get("/admin/").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def bearer_case(data_dir: str, headers: list[str]) -> dict:
    app = _app(data_dir, VC_API_TOKEN=TOKEN)
    service = app.extensions["issuer_service"]
    client = app.test_client()
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "issuer": service.key.controller, "credentialSubject": {"id": "did:example:123"}}
    out = []
    for header in headers:
        reply = client.post("/credentials/issue", json={"credential": credential}, headers={"Authorization": header})
        body = reply.get_json() or {}
        out.append([reply.status_code, body.get("code"), reply.headers.get("WWW-Authenticate", "")[:6]])
    return {"replies": out, "records": len(service.records())}


def accept_case(data_dir: str, entries: int) -> dict:
    app = _app(data_dir, TESTING=True)  # test mode: the VC API needs no token (to make a status list)
    service = app.extensions["issuer_service"]
    client = app.test_client()
    client.post("/credentials/issue", json={"credential": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": service.key.controller, "credentialSubject": {"id": "did:example:1"}}})
    accept = ", ".join(f"application/x-{n};q=0.{n % 9 + 1}" for n in range(entries))
    reply = client.get("/status/1", headers={"Accept": accept})
    return {"status": reply.status_code, "type": reply.headers.get("Content-Type"), "bytes": len(accept)}


# The tests.

def test_password_guessing_is_locked_out_cheaply(tmp_path):
    result = run_bounded(f"{HERE}:brute_force_case", str(tmp_path / "d"), 200, seconds=8, rss_mb=400)
    assert result.value == {"first": [401] * 4 + [429] * 2, "throttled": 196, "retry_after": "900",
                            "code": "LOGIN_THROTTLED", "hashes": 5, "right_one_during_lockout": 429}
    # 5 scrypt checks (~0.2 s each here) instead of 200 (~40 s without the throttle)
    assert result.error is None and result.seconds < 8 and result.rss_mb < 400


def test_one_client_spraying_usernames_is_locked_out(tmp_path):
    result = run_bounded(f"{HERE}:spray_case", str(tmp_path / "d"), 200, seconds=20, rss_mb=400)
    assert result.value == {"unauthorized": 19, "throttled": 181, "first_429": 19, "real_account": 429}
    # 19 scrypt checks (~0.2 s each here; unknown names cost a check too) instead of 200 (~40 s)
    assert result.error is None and result.seconds < 20 and result.rss_mb < 400


def test_open_redirect_payloads_only_ever_go_to_a_local_page(tmp_path):
    result = run_bounded(f"{HERE}:open_redirect_case", str(tmp_path / "d"), OPEN_REDIRECTS, seconds=10, rss_mb=400)
    assert result.value["locations"] == [[302, "/admin/"]] * len(OPEN_REDIRECTS)
    for _, location in result.value["locations"]:  # what a browser makes of it (WHATWG: tabs/newlines dropped)
        cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
        assert urllib.parse.urlsplit(urllib.parse.urljoin("https://badges.example/admin/login", cleaned)).netloc \
            == "badges.example"
    assert result.error is None and result.seconds < 10 and result.rss_mb < 400


BEARER_ACCEPTED = [f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER {TOKEN}", f"BeArEr {TOKEN}"]
BEARER_REFUSED = ["", "Bearer", "Bearer ", TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN.upper()}", f"Bearer {TOKEN}x",
                  f"Bearer {TOKEN[:-1]}", f"Bearer\t{TOKEN}", f"Bearer {TOKEN} {TOKEN}", f"Bearer{TOKEN}",
                  "Bearer " + "A" * 16000, "Bearer " + "\u00ff" * 100, f"Bearer {TOKEN}\u00a0", "Bearer =" * 2000]


def test_bearer_variants(tmp_path):
    headers = BEARER_ACCEPTED + BEARER_REFUSED
    result = run_bounded(f"{HERE}:bearer_case", str(tmp_path / "d"), headers, seconds=5, rss_mb=400)
    replies = result.value["replies"]
    assert [r[0] for r in replies[:len(BEARER_ACCEPTED)]] == [201] * len(BEARER_ACCEPTED)
    assert replies[len(BEARER_ACCEPTED):] == [[401, "UNAUTHORIZED", "Bearer"]] * len(BEARER_REFUSED)
    assert result.value["records"] == len(BEARER_ACCEPTED)
    assert result.error is None and result.seconds < 5 and result.rss_mb < 400


def test_a_huge_accept_header_gets_the_default_quickly(tmp_path):
    result = run_bounded(f"{HERE}:accept_case", str(tmp_path / "d"), 20000, seconds=5, rss_mb=400)
    assert result.value["status"] == 200 and result.value["type"] == "application/vc"
    assert result.value["bytes"] > 400_000
    assert result.error is None and result.seconds < 5 and result.rss_mb < 400

