"""Encrypted store: nothing in the clear, wrong passphrase, exact bytes, backup and restore."""

from __future__ import annotations

import sqlite3

import pytest

from wallet.backup import make_backup, restore_backup
from wallet.errors import WrongPassphraseError
from wallet.holder import DB_NAME, Wallet

from .conftest import PASS, TEST_KDF_N


def test_database_file_holds_no_name_text_or_key_in_the_clear(wallet, issue, holder_key):
    body = issue()
    assert wallet.import_bytes(body).stored
    wallet.close()
    raw = b"".join(p.read_bytes() for p in wallet.store_path.parent.glob(DB_NAME + "*"))
    for secret in (b"Sanne de Vries", b"Vries", b"Data-gedreven", b"Hogeschool Voorbeeld", b"zorgdata",
                   b"learning", holder_key.public_multibase.encode(), holder_key.seed,
                   holder_key.to_multikey()["secretKeyMultibase"].encode(), b"proofValue", body[:40]):
        assert secret not in raw


def test_wrong_passphrase_is_refused(wallet, wallet_verifier, clock, canon):
    home = wallet.store_path.parent
    wallet.close()
    with pytest.raises(WrongPassphraseError) as exc:
        Wallet.open(home, "wrong", verifier=wallet_verifier, clock=clock, canon=canon)
    assert exc.value.code == "WRONG_PASSPHRASE"
    Wallet.open(home, PASS, verifier=wallet_verifier, clock=clock, canon=canon).close()


def test_credentials_are_stored_as_the_exact_bytes_received(wallet, issue):
    body = issue() + b"\n\n"  # odd formatting must survive
    stored = wallet.import_bytes(body)
    assert wallet.body(stored.stored_id) == body
    assert wallet.import_bytes(body).duplicate


def test_rows_cannot_be_swapped_between_credentials(wallet, issue):
    a = wallet.import_bytes(issue()).stored_id
    b = wallet.import_bytes(issue(name="Tweede eenheid")).stored_id
    conn = sqlite3.connect(wallet.store_path)
    body_b = conn.execute("SELECT body FROM credentials WHERE id = ?", (b,)).fetchone()[0]
    conn.execute("UPDATE credentials SET body = ? WHERE id = ?", (body_b, a))
    conn.commit()
    conn.close()
    with pytest.raises(Exception) as exc:
        wallet.body(a)
    assert exc.value.code == "WALLET_CORRUPT"


def test_backup_restore_gives_the_same_credentials_without_duplicates(wallet, issue, tmp_path, wallet_verifier,
                                                                      clock, canon):
    for n in range(3):
        wallet.import_bytes(issue(name=f"Eenheid {n}"))
    data = make_backup(wallet, "backup secret")
    assert b"Eenheid" not in data
    fresh = Wallet.create(tmp_path / "other", "new pass", verifier=wallet_verifier, clock=clock, canon=canon,
                          kdf_n=TEST_KDF_N, first_profile=False)
    first = restore_backup(fresh, data, "backup secret")
    second = restore_backup(fresh, data, "backup secret")
    assert (first.profiles_added, first.credentials_added) == (1, 3)
    assert (second.profiles_added, second.credentials_added, second.credentials_skipped) == (0, 0, 3)
    assert sorted(fresh.body(r.id) for r in fresh.records()) == sorted(wallet.body(r.id) for r in wallet.records())
    assert [p.did for p in fresh.profiles()] == [p.did for p in wallet.profiles()]
    with pytest.raises(WrongPassphraseError):
        restore_backup(fresh, data, "not it")
