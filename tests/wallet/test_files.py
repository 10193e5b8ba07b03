"""The wallet's files: folder 0700, database (and its WAL) and CLI backups 0600 whatever the umask;
key-derivation parameters capped at what the wallet writes; a database is created whole or not
at all, and drafts left by a killed process are ignored and cleaned."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import subprocess
import sys

import pytest

from wallet.backup import make_backup, restore_backup, restore_into_new
from wallet.crypto import MAX_N, KdfParams
from wallet.errors import CorruptWalletError, KdfLimitError, WalletExistsError
from wallet.holder import DB_NAME, Wallet

from ..conftest import ROOT
from .conftest import PASS, TEST_KDF_N
from .web_support import csrf, make_app, unlock


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """Creation must not rely on the user's umask: run with none at all."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def make(wallet_verifier, clock, canon):
    def create(home, **kwargs):
        return Wallet.create(home, PASS, verifier=wallet_verifier, clock=clock, canon=canon,
                             **{"kdf_n": TEST_KDF_N, **kwargs})
    return create


def test_a_new_wallet_is_0600_in_a_0700_folder(tmp_path, make, issue, open_umask):
    wallet = make(tmp_path / "a" / "home")
    wallet.import_bytes(issue(holder=wallet.profile().did))
    home = tmp_path / "a" / "home"
    assert mode(home) == 0o700
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
        assert mode(home / name) == 0o600, name
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME, DB_NAME + "-shm", DB_NAME + "-wal"]
    wallet.close()


def test_an_existing_folder_and_an_older_wallet_are_tightened(tmp_path, make, wallet_verifier, clock, canon):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    make(home).close()
    assert mode(home) == 0o700
    os.chmod(home, 0o755)
    os.chmod(home / DB_NAME, 0o644)
    Wallet.open(home, PASS, verifier=wallet_verifier, clock=clock, canon=canon).close()
    assert mode(home) == 0o700 and mode(home / DB_NAME) == 0o600


def test_backup_files_the_cli_writes_are_0600(tmp_path):
    env = {**os.environ, "WALLET_PASSPHRASE": "cli passphrase"}
    home, out = str(tmp_path / "w"), tmp_path / "backup.json"
    out.write_text("old")
    os.chmod(out, 0o644)

    def run(*args):
        return subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0); from wallet.cli_parser import "
                               "main; sys.exit(main(sys.argv[1:]))", "--home", home, *args],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    run("init")
    run("backup", str(out))
    assert mode(out) == 0o600 and json.loads(out.read_bytes())["format"] == "mc-wallet-backup-1"
    assert mode(home) == 0o700 and mode(os.path.join(home, DB_NAME)) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


@pytest.mark.parametrize("n, r, p", [(2 ** 22, 32, 16), (2 ** 18, 8, 1), (2 ** 17, 9, 1), (2 ** 17, 8, 2),
                                     (2 ** 40, 8, 1)])
def test_costlier_kdf_parameters_than_the_wallet_writes_are_refused(n, r, p):
    with pytest.raises(KdfLimitError) as exc:
        KdfParams.from_json({"kdf": "scrypt", "salt": "00" * 16, "n": n, "r": r, "p": p})
    assert exc.value.code == "KDF_LIMIT_EXCEEDED" and isinstance(exc.value, CorruptWalletError)


@pytest.mark.parametrize("doc", [
    {"kdf": "scrypt", "salt": "00" * 16, "n": 3000, "r": 8, "p": 1},          # not a power of two
    {"kdf": "scrypt", "salt": "00" * 16, "n": "32768", "r": 8, "p": 1},       # a string
    {"kdf": "scrypt", "salt": "00" * 16, "n": 2 ** 15, "r": True, "p": 1},    # a boolean
    {"kdf": "scrypt", "salt": "00" * 16, "n": 2 ** 15, "r": 0, "p": 1},
    {"kdf": "scrypt", "salt": "00" * 4, "n": 2 ** 15, "r": 8, "p": 1},        # salt too short
    {"kdf": "scrypt", "salt": "zz" * 16, "n": 2 ** 15, "r": 8, "p": 1},
    {"kdf": "argon2", "salt": "00" * 16, "n": 2 ** 15, "r": 8, "p": 1}, {}])
def test_malformed_kdf_parameters_are_refused(doc):
    with pytest.raises(CorruptWalletError) as exc:
        KdfParams.from_json(doc)
    assert exc.value.code == "WALLET_CORRUPT"


def test_the_wallet_never_writes_more_than_its_own_maximum(tmp_path, make):
    with pytest.raises(KdfLimitError):
        make(tmp_path / "new", kdf_n=MAX_N * 2)
    assert not (tmp_path / "new" / DB_NAME).exists()
    assert KdfParams.from_json(KdfParams.new(n=MAX_N).to_json()).n == MAX_N


def test_a_backup_at_the_documented_maximum_restores(wallet, issue, tmp_path, make):
    wallet.import_bytes(issue())
    data = make_backup(wallet, "backup secret", kdf_n=MAX_N)
    assert json.loads(data)["kdf"]["n"] == MAX_N
    fresh = make(tmp_path / "other", first_profile=False)
    assert restore_backup(fresh, data, "backup secret").credentials_added == 1


def _crafted(data: bytes, **kdf) -> bytes:
    doc = json.loads(data)
    doc["kdf"].update(kdf)
    return json.dumps(doc).encode()


def test_the_web_restore_refuses_a_kdf_bomb_with_its_code_in_both_languages(wallet, tmp_path, canon, clock, transport):
    bomb = _crafted(make_backup(wallet, "x"), n=2 ** 22, r=32, p=16)
    app = make_app(tmp_path / "web", canon, clock, transport)
    client = app.test_client()
    unlock(client)
    for lang, text in (("nl", "meer rekenwerk dan de wallet toestaat"), ("en", "more computing effort than the wallet allows")):
        token = csrf(client.get(f"/backup?lang={lang}").get_data(as_text=True))
        reply = client.post(f"/backup?lang={lang}", content_type="multipart/form-data", data={
            "csrf": token, "action": "restore", "backup_passphrase": "x", "file": (io.BytesIO(bomb), "b.json")})
        assert reply.status_code == 400 and "KDF_LIMIT_EXCEEDED" in reply.get_data(as_text=True)
        assert text in reply.get_data(as_text=True)


def test_restore_into_a_wallet_is_one_transaction(wallet, issue, tmp_path, make):
    for n in range(3):
        wallet.import_bytes(issue(name=f"Eenheid {n}"))
    fresh = make(tmp_path / "other", first_profile=False)
    content = {"profiles": [{"label": p.label, "key": p.key.to_multikey(), "created": p.created}
                            for p in wallet.profiles()],
               "credentials": [{"profile": wallet.profile().did, "summary": r.summary,
                                "body": base64.b64encode(wallet.body(r.id)).decode()} for r in wallet.records()]}
    content["credentials"][2]["body"] = "not base64 !"
    from wallet.crypto import Sealer, derive_key
    params = KdfParams.new(n=TEST_KDF_N)
    sealed = Sealer(derive_key("s", params)).seal(json.dumps(content).encode(), "mc-wallet-backup-1")
    data = json.dumps({"format": "mc-wallet-backup-1", "kdf": params.to_json(),
                       "sealed": base64.b64encode(sealed).decode()}).encode()
    with pytest.raises(CorruptWalletError):
        restore_backup(fresh, data, "s")
    assert fresh.records() == [] and fresh.profiles() == []  # nothing of the first two landed


def test_a_failed_creation_leaves_no_wallet_and_no_draft(tmp_path, make, wallet, issue, wallet_verifier, clock,
                                                         canon):
    def fail(draft):
        draft.add_profile("half")
        raise RuntimeError("killed")
    with pytest.raises(RuntimeError):
        make(tmp_path / "new", prepare=fail)
    assert list((tmp_path / "new").iterdir()) == []
    bad = _crafted(make_backup(wallet, "s"), n=2 ** 20)
    with pytest.raises(KdfLimitError):
        restore_into_new(tmp_path / "new", bad, "s", wallet_passphrase=PASS, verifier=wallet_verifier,
                         clock=clock, canon=canon, kdf_n=TEST_KDF_N)
    assert list((tmp_path / "new").iterdir()) == [] and not Wallet.exists(tmp_path / "new")


def test_drafts_of_a_killed_process_are_ignored_and_cleaned(tmp_path, make, wallet_verifier, clock, canon):
    home = tmp_path / "home"
    home.mkdir()
    for name in (DB_NAME + ".draft-0011", DB_NAME + ".draft-0011-journal", DB_NAME + "-wal", DB_NAME + "-shm"):
        (home / name).write_bytes(b"left by a killed process")
    assert not Wallet.exists(home)
    make(home).close()
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]  # drafts and a stale WAL are gone
    (home / (DB_NAME + ".draft-0022")).write_bytes(b"left again")
    Wallet.open(home, PASS, verifier=wallet_verifier, clock=clock, canon=canon).close()
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]


def test_creation_never_replaces_a_wallet_that_appeared_meanwhile(tmp_path, make):
    home = tmp_path / "home"

    def race(draft):
        (home / DB_NAME).write_bytes(b"another process's wallet")
    with pytest.raises(WalletExistsError):
        make(home, prepare=race)
    assert (home / DB_NAME).read_bytes() == b"another process's wallet"
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]
