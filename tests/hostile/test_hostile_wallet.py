"""Hostile corpus, wallet: one case per attack class on the wallet. Each case runs in a fresh,
memory-limited interpreter (bounds.run_bounded), names the code or HTTP status it expects, and
asserts a time and a memory bound.

| attack | expected |
|---|---|
| a DNS-rebinding page / another Host reads credentials or makes a backup | 421 `HOST_NOT_ALLOWED` |
| another local program without the session cookie reads credentials | 302 to the unlock page |
| unlock brute force | 429 `UNLOCK_THROTTLED` + `Retry-After`, no key derived while locked out |
| backup asking scrypt for n=2^22 r=32 p=16 (16.8 GB) | `KDF_LIMIT_EXCEEDED` before deriving |
| restore SIGKILLed midway | the home opens: no wallet, or the whole restore |
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import pytest

from vccore import Canonicalizer, DidResolver, FixedClock, SystemClock, Verifier
from vccore.errors import VCError
from vccore.transport import StaticTransport
from wallet.backup import make_backup, restore_backup, restore_into_new
from wallet.holder import Wallet
from wallet.web import create_app

from ..wallet.killpoints import kill_at
from .bounds import run_bounded

PASS, BACKUP_PASS = "a long hostile-test passphrase", "backup secret"
HERE = "tests.hostile.test_hostile_wallet"


# The cases (run inside the bounded subprocess; the imports above are made before the clock starts).

def _app(home: str, kdf_n: int = 2 ** 12):
    return create_app({"WALLET_HOME": home, "TRANSPORT": StaticTransport({}), "KDF_N": kdf_n, "TESTING": True})


def _unlock(client, passphrase: str, **kwargs):
    html = client.get("/unlock", **kwargs).get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    return client.post("/unlock", data={"passphrase": passphrase, "csrf": token}, **kwargs)


def host_case(home: str) -> dict:
    app = _app(home)
    client = app.test_client()
    _unlock(client, PASS)
    cookie = client.get_cookie("wallet_session").value
    found = []
    for host in ("evil.example:80", "attacker.example", "127.0.0.1.evil.example", "localhost:8002"):
        for method, path in (("GET", "/"), ("GET", "/backup"), ("POST", "/backup")):
            reply = client.open(path, method=method, headers={"Host": host, "Cookie": f"wallet_session={cookie}"},
                                data={"action": "backup", "backup_passphrase": "x"} if method == "POST" else None)
            body = reply.get_data(as_text=True)
            found.append([reply.status_code, body.split("\n", 1)[0], "mc-wallet-backup" in body])
    return {"replies": found, "own_host": client.get("/").status_code}


def theft_case(home: str) -> dict:
    app = _app(home)
    owner, thief = app.test_client(), app.test_client()
    _unlock(owner, PASS)
    sessions = app.extensions["wallet"].sessions
    wallet = sessions.get(owner.get_cookie("wallet_session").value).wallet
    cred = wallet.store.add_credential(wallet.profile().id, b'{"secret": "Sanne de Vries"}', {"name": "x"})
    thief.get("/unlock")
    replies = [thief.get(path) for path in ("/", f"/credentials/{cred}", "/backup")]
    thief.set_cookie("wallet_session", "A" * 43)  # a guessed token
    replies.append(thief.get(f"/credentials/{cred}"))
    return {"statuses": [r.status_code for r in replies],
            "to_unlock": all("/unlock" in r.headers.get("Location", "") for r in replies),
            "leaked": any(b"Sanne" in r.get_data() for r in replies)}


def brute_force_case(home: str, attempts: int) -> dict:
    app = _app(home, kdf_n=2 ** 15)  # the wallet's real cost: without the throttle this takes ~attempts/10 s
    _unlock(app.test_client(), PASS)
    client = app.test_client()
    replies = [_unlock(client, f"guess {n}") for n in range(attempts)]
    statuses = [r.status_code for r in replies]
    last = replies[-1]
    return {"first": statuses[:6], "throttled": statuses.count(429), "retry_after": last.headers.get("Retry-After"),
            "code": "UNLOCK_THROTTLED" if "UNLOCK_THROTTLED" in last.get_data(as_text=True) else None,
            "right_one_during_lockout": _unlock(client, PASS).status_code}


def kdf_bomb_case(backup: str, home: str) -> dict:
    canon, clock = Canonicalizer(), SystemClock()
    args = dict(verifier=Verifier(canon=canon, resolver=DidResolver(), clock=clock), clock=clock, canon=canon)
    data = Path(backup).read_bytes()
    codes = []
    try:
        restore_into_new(home, data, BACKUP_PASS, wallet_passphrase=PASS, kdf_n=2 ** 12, **args)
    except VCError as exc:
        codes.append(exc.code)
    wallet = Wallet.create(home, PASS, kdf_n=2 ** 12, **args)
    try:
        restore_backup(wallet, data, BACKUP_PASS)
    except VCError as exc:
        codes.append(exc.code)
    return {"codes": codes, "records": len(wallet.records())}


def killed_restore_case(backup: str, out: str, points: list[int]) -> dict:
    os.environ.update(WALLET_PASSPHRASE=PASS, WALLET_BACKUP_PASSPHRASE=BACKUP_PASS)
    canon, clock = Canonicalizer(), SystemClock()
    args = dict(verifier=Verifier(canon=canon, resolver=DidResolver(), clock=clock), clock=clock, canon=canon)
    states = []
    for k in points:
        run = kill_at(k, Path(out) / str(k), ["restore", backup])
        home = Path(run["home"])
        if not Wallet.exists(home):
            states.append([run["killed"], "none", 0])
            continue
        wallet = Wallet.open(home, PASS, **args)
        states.append([run["killed"], "whole", len(wallet.records())])
        wallet.close()
    return {"states": states}


# The tests.

def test_another_host_gets_421_before_any_wallet_data(tmp_path):
    result = run_bounded(f"{HERE}:host_case", str(tmp_path / "home"), seconds=3, rss_mb=300)
    assert result.value["replies"] == [[421, "421 HOST_NOT_ALLOWED", False]] * 12
    assert result.value["own_host"] == 200
    assert result.seconds < 3 and result.rss_mb < 300


def test_a_client_without_the_session_cookie_reads_nothing(tmp_path):
    result = run_bounded(f"{HERE}:theft_case", str(tmp_path / "home"), seconds=3, rss_mb=300)
    assert result.value == {"statuses": [302] * 4, "to_unlock": True, "leaked": False}
    assert result.seconds < 3 and result.rss_mb < 300


def test_unlock_brute_force_is_throttled(tmp_path):
    result = run_bounded(f"{HERE}:brute_force_case", str(tmp_path / "home"), 200, seconds=8, rss_mb=300)
    retry_after = result.value.pop("retry_after")
    assert result.value == {"first": [401] * 5 + [429], "throttled": 195, "code": "UNLOCK_THROTTLED",
                            "right_one_during_lockout": 429}
    assert 0 < int(retry_after) <= 30  # the real clock ran on a little during the attempts
    assert result.seconds < 8 and result.rss_mb < 300  # 200 scrypt derivations would take ~20 s


@pytest.fixture
def backup(tmp_path) -> tuple[Path, int]:
    """A real backup of a wallet with one profile and five credentials (bytes need not verify:
    restoring does not check them)."""
    canon, clock = Canonicalizer(), FixedClock("2026-09-01T12:00:00Z")
    wallet = Wallet.create(tmp_path / "source", PASS, verifier=Verifier(canon=canon, resolver=DidResolver(),
                           clock=clock), clock=clock, canon=canon, kdf_n=2 ** 12)
    for n in range(5):
        wallet.store.add_credential(wallet.profile().id, json.dumps({"n": n}).encode(), {"name": f"c{n}"})
    path = tmp_path / "backup.json"
    path.write_bytes(make_backup(wallet, BACKUP_PASS))
    wallet.close()
    return path, 5


def test_a_kdf_bomb_backup_is_refused_before_deriving(backup, tmp_path):
    envelope = json.loads(backup[0].read_bytes())
    envelope["kdf"].update(n=2 ** 22, r=32, p=16)  # 128 * r * n = 16 GiB of scrypt memory
    bomb = tmp_path / "bomb.json"
    bomb.write_text(json.dumps(envelope))
    assert base64.b64decode(envelope["sealed"])  # the payload itself is an ordinary backup
    result = run_bounded(f"{HERE}:kdf_bomb_case", str(bomb), str(tmp_path / "new"), seconds=2, rss_mb=300)
    assert result.value == {"codes": ["KDF_LIMIT_EXCEEDED"] * 2, "records": 0}
    assert result.error is None and result.seconds < 2 and result.rss_mb < 300


def test_a_restore_killed_midway_leaves_no_half_made_wallet(backup, tmp_path):
    path, count = backup
    points = [1, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 1000]
    result = run_bounded(f"{HERE}:killed_restore_case", str(path), str(tmp_path / "runs"), points,
                         seconds=15, rss_mb=300)
    states = result.value["states"]
    assert all(state in (["none", 0], ["whole", count]) for _, *state in states), states
    assert states[0] == [True, "none", 0] and states[-1] == [False, "whole", count]
    assert result.seconds < 15 and result.rss_mb < 300
