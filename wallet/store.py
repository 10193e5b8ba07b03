"""The encrypted credential store: SQLite, every profile key and credential sealed (AES-256-GCM).

In the clear are only row ids, profile numbers and keyed digests (HMAC-SHA256 under a key derived
from the data key, for duplicate detection). Credentials are sealed as the exact bytes received.
Every write is one SQLite transaction, so a killed process leaves the file as before or after;
a new database is built in a draft and published whole (files.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from vccore import KeyPair

from .crypto import KdfParams, Random, Sealer, unwrap_data_key, wrap_data_key
from .errors import CorruptWalletError, NotFoundError, WalletExistsError, WalletNotFoundError
from .files import PRIVATE_DIR, PRIVATE_FILE, Draft, clean_drafts, folder_lock, private_dir, tighten

__all__ = ["FORMAT", "Profile", "StoredCredential", "WalletStore"]

FORMAT = "mc-wallet-1"
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE profiles (id INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE credentials (
    id TEXT PRIMARY KEY, profile INTEGER NOT NULL REFERENCES profiles(id),
    digest BLOB NOT NULL, body BLOB NOT NULL, summary BLOB NOT NULL, UNIQUE (profile, digest));
"""


@dataclass(frozen=True)
class Profile:
    """A holder identity: its own did:key, a label, and when it was made."""

    id: int
    label: str
    key: KeyPair
    created: str

    @property
    def did(self) -> str:
        return self.key.controller


@dataclass(frozen=True)
class StoredCredential:
    """A stored credential: id, profile, and the sealed-at-rest summary (decrypted in memory)."""

    id: str
    profile: int
    summary: dict[str, Any]


class WalletStore:
    """Open with the passphrase; holds the data key in memory only while open."""

    def __init__(self, conn: sqlite3.Connection, data_key: bytes, *, random: Random = os.urandom) -> None:
        self.path = Path(conn.execute("PRAGMA database_list").fetchone()[2])
        self._conn = conn
        self._sealer = Sealer(data_key, random=random)
        self._mac_key = hmac.new(data_key, b"wallet-digest-key", hashlib.sha256).digest()
        self._random = random

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    @classmethod
    def create(cls, path: str | os.PathLike[str], passphrase: str, *, random: Random = os.urandom,
               kdf_n: int = 2 ** 15, fill: Callable[["WalletStore"], None] | None = None) -> "WalletStore":
        """A new wallet database, made whole in a private draft next to `path` (schema, wrapped key,
        and what `fill` adds: the first profile, a restored backup) and published under its name
        only when complete, so a process killed midway leaves no wallet rather than half of one."""
        path = Path(path)
        if path.exists():
            raise WalletExistsError(f"{path} already holds a wallet")
        private_dir(path.parent)
        params = KdfParams.new(random, n=kdf_n)
        data_key = random(32)
        wrapped = wrap_data_key(data_key, passphrase, params, random=random)
        with folder_lock(path.parent):
            if path.exists():
                raise WalletExistsError(f"{path} already holds a wallet")
            clean_drafts(path)
            draft = Draft(path, random(8).hex())
            try:
                cls._build(draft.path, data_key, params, wrapped, random, fill)
                draft.publish()
            except FileExistsError as exc:
                draft.discard()
                raise WalletExistsError(f"{path} already holds a wallet") from exc
            except BaseException:
                draft.discard()
                raise
        return cls(cls._connect(path), data_key, random=random)

    @classmethod
    def _build(cls, draft: Path, data_key: bytes, params: KdfParams, wrapped: bytes, random: Random,
               fill: Callable[["WalletStore"], None] | None) -> None:
        # A rollback journal, not WAL: the draft must be one self-contained file when published.
        conn = sqlite3.connect(draft, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            with _transaction(conn):
                for statement in filter(None, (s.strip() for s in SCHEMA.split(";"))):
                    conn.execute(statement)
                conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", FORMAT.encode()), ("kdf", json.dumps(params.to_json()).encode()),
                    ("data_key", wrapped)])
            if fill is not None:
                fill(cls(conn, data_key, random=random))
        finally:
            conn.close()

    @classmethod
    def open(cls, path: str | os.PathLike[str], passphrase: str, *, random: Random = os.urandom) -> "WalletStore":
        path = Path(path)
        if not path.is_file():
            raise WalletNotFoundError(f"no wallet at {path}: run `init` first")
        _tidy(path)
        conn = cls._connect(path)
        try:
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CorruptWalletError(f"{path} is not a wallet database") from exc
        if meta.get("format") != FORMAT.encode() or "kdf" not in meta or "data_key" not in meta:
            conn.close()
            raise CorruptWalletError(f"{path} is not a wallet of format {FORMAT}")
        try:
            params = KdfParams.from_json(_json_object(meta["kdf"]))
            data_key = unwrap_data_key(meta["data_key"], passphrase, params)
        except Exception:
            conn.close()
            raise
        return cls(conn, data_key, random=random)

    def batch(self) -> "_transaction":
        """One transaction around several writes (a restore): all of them land, or none."""
        return _transaction(self._conn)

    def close(self) -> None:
        self._conn.close()

    # profiles

    def add_profile(self, label: str, key: KeyPair, created: str) -> Profile:
        doc = json.dumps({"label": label, "key": key.to_multikey(), "created": created}).encode()
        with _transaction(self._conn):
            row = self._conn.execute("INSERT INTO profiles (sealed) VALUES (x'')").lastrowid
            self._conn.execute("UPDATE profiles SET sealed = ? WHERE id = ?",
                               (self._sealer.seal(doc, f"profile:{row}"), row))
        return Profile(row, label, key, created)

    def profiles(self) -> list[Profile]:
        found = []
        for row, sealed in self._conn.execute("SELECT id, sealed FROM profiles ORDER BY id"):
            doc = json.loads(self._sealer.open(sealed, f"profile:{row}"))
            found.append(Profile(row, doc["label"], KeyPair.from_multikey(doc["key"]), doc["created"]))
        return found

    # credentials

    def digest(self, body: bytes) -> bytes:
        return hmac.new(self._mac_key, body, hashlib.sha256).digest()

    def find_duplicate(self, profile: int, body: bytes) -> str | None:
        row = self._conn.execute("SELECT id FROM credentials WHERE profile = ? AND digest = ?",
                                 (profile, self.digest(body))).fetchone()
        return row[0] if row else None

    def add_credential(self, profile: int, body: bytes, summary: dict[str, Any]) -> str:
        """Store the exact bytes and their summary in one transaction; returns the new id."""
        cred_id = self._random(8).hex()
        with _transaction(self._conn):
            self._conn.execute(
                "INSERT INTO credentials VALUES (?, ?, ?, ?, ?)",
                (cred_id, profile, self.digest(body), self._sealer.seal(body, f"credential:{cred_id}:body"),
                 self._sealer.seal(json.dumps(summary).encode(), f"credential:{cred_id}:summary")))
        return cred_id

    def update_summary(self, cred_id: str, summary: dict[str, Any]) -> None:
        with _transaction(self._conn):
            self._conn.execute("UPDATE credentials SET summary = ? WHERE id = ?", (
                self._sealer.seal(json.dumps(summary).encode(), f"credential:{cred_id}:summary"), cred_id))

    def delete_credential(self, cred_id: str) -> None:
        with _transaction(self._conn):
            if not self._conn.execute("DELETE FROM credentials WHERE id = ?", (cred_id,)).rowcount:
                raise NotFoundError(f"no credential {cred_id}")

    def credentials(self, profile: int | None = None) -> Iterator[StoredCredential]:
        query, args = "SELECT id, profile, summary FROM credentials", ()
        if profile is not None:
            query, args = query + " WHERE profile = ?", (profile,)
        for cred_id, prof, sealed in self._conn.execute(query + " ORDER BY rowid", args):
            yield StoredCredential(cred_id, prof, json.loads(self._sealer.open(sealed, f"credential:{cred_id}:summary")))

    def body(self, cred_id: str) -> bytes:
        """The exact bytes received."""
        row = self._conn.execute("SELECT body FROM credentials WHERE id = ?", (cred_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no credential {cred_id}")
        return self._sealer.open(row[0], f"credential:{cred_id}:body")


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise CorruptWalletError("the key derivation parameters are not JSON") from exc
    return doc if isinstance(doc, dict) else {}


def _tidy(path: Path) -> None:
    """Private modes for an older wallet's files, and drafts of killed creators removed (only when
    no other process is creating here right now)."""
    tighten(path.parent, PRIVATE_DIR)
    for suffix in ("", "-wal", "-shm"):
        tighten(Path(str(path) + suffix), PRIVATE_FILE)
    try:
        with folder_lock(path.parent, wait=False) as mine:
            if mine:
                clean_drafts(path)
    except OSError:  # tidying is hygiene; the wallet opens without it
        pass


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (autocommit connection). Inside a
    transaction already begun (`WalletStore.batch`) it joins that one instead."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, tb) -> None:  # noqa: ANN001
        if self.outer:
            self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
