"""The issuer's registry in SQLite: definitions, offers, issued credentials (exact bytes), status lists,
staff login throttling (issuer/throttle.py).

Writes are transactional (BEGIN IMMEDIATE); WAL mode lets readers (the web UI) run during a batch.
Signed credentials are stored as the bytes that were signed and handed out, never re-serialised.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = ["IssuedRecord", "PendingCredential", "Registry", "StoredDefinition"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS definitions (
  id TEXT PRIMARY KEY, achievement_id TEXT NOT NULL, result_description_id TEXT NOT NULL,
  body TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offers (
  id TEXT PRIMARY KEY, definition_id TEXT NOT NULL REFERENCES definitions(id), participant TEXT NOT NULL,
  participant_name TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
  delivered_at TEXT, record_id TEXT);
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY, credential_id TEXT NOT NULL, definition_id TEXT, participant_name TEXT NOT NULL,
  holder_did TEXT, issued_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
  suspended INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '', credential BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS records_name ON records(participant_name);
CREATE INDEX IF NOT EXISTS records_credential ON records(credential_id);
CREATE TABLE IF NOT EXISTS status_lists (
  id TEXT PRIMARY KEY, purpose TEXT NOT NULL, size INTEGER NOT NULL, allocated INTEGER NOT NULL DEFAULT 0,
  bits BLOB NOT NULL, version INTEGER NOT NULL DEFAULT 1, signed BLOB, signed_version INTEGER,
  signed_base TEXT);
CREATE TABLE IF NOT EXISTS status_entries (
  list_id TEXT NOT NULL, idx INTEGER NOT NULL, record_id TEXT NOT NULL, purpose TEXT NOT NULL,
  PRIMARY KEY (list_id, idx));
CREATE INDEX IF NOT EXISTS status_entries_record ON status_entries(record_id);
CREATE TABLE IF NOT EXISTS events (
  record_id TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_throttle (
  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, window_start REAL NOT NULL, locked_until REAL NOT NULL,
  expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_throttle_expiry ON login_throttle(expires_at);
"""


@dataclass(frozen=True)
class StoredDefinition:
    id: str
    definition: Any  # MicrocredentialDefinition
    achievement_id: str
    result_description_id: str
    created_at: str


@dataclass(frozen=True)
class PendingCredential:
    """An offer to a participant whose wallet DID is not known yet (delivered later, once)."""

    id: str
    definition_id: str
    participant_name: str
    created_at: str
    expires_at: str
    delivered: bool
    participant: Any = None  # Participant
    record_id: str | None = None


@dataclass(frozen=True)
class IssuedRecord:
    id: str
    credential_id: str
    participant_name: str
    definition_id: str | None
    holder_did: str | None
    issued_at: str
    status: str  # "active" | "revoked" | "suspended"
    credential_json: bytes = field(repr=False)
    reason: str = ""

    @property
    def credential(self) -> dict[str, Any]:
        """The signed document, parsed from the exact stored bytes."""
        return json.loads(self.credential_json)


def _record(row: sqlite3.Row) -> IssuedRecord:
    status = "revoked" if row["revoked"] else "suspended" if row["suspended"] else "active"
    return IssuedRecord(row["id"], row["credential_id"], row["participant_name"], row["definition_id"],
                        row["holder_did"], row["issued_at"], status, bytes(row["credential"]), row["reason"])


class Registry:
    """SQL access; the issuing rules live in IssuerService."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=120)
        self._db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- definitions ------------------------------------------------------------------------------
    def definition_row(self, definition_id: str) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM definitions WHERE id = ?", (definition_id,))
        return rows[0] if rows else None

    def definition_rows(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM definitions ORDER BY created_at, id")

    # -- offers -----------------------------------------------------------------------------------
    def offer_row(self, offer_id: str) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM offers WHERE id = ?", (offer_id,))
        return rows[0] if rows else None

    def offer_rows(self, limit: int = 100) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM offers ORDER BY created_at DESC, id LIMIT ?", (limit,))

    # -- records ----------------------------------------------------------------------------------
    def record(self, record_id: str) -> IssuedRecord | None:
        rows = self.query("SELECT * FROM records WHERE id = ? OR credential_id = ?", (record_id, record_id))
        return _record(rows[0]) if rows else None

    def records(self, query: str = "", limit: int = 100) -> list[IssuedRecord]:
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.query(
            "SELECT * FROM records WHERE participant_name LIKE ? ESCAPE '\\' OR credential_id LIKE ? ESCAPE '\\' "
            "OR IFNULL(holder_did, '') LIKE ? ESCAPE '\\' OR IFNULL(definition_id, '') LIKE ? ESCAPE '\\' "
            "ORDER BY issued_at DESC, rowid DESC LIMIT ?", (like, like, like, like, max(0, int(limit))))
        return [_record(r) for r in rows]

    def all_records(self) -> Iterator[IssuedRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM records ORDER BY issued_at, rowid").fetchall()
        return (_record(r) for r in rows)

    @staticmethod
    def insert_records(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        """rows: (id, credential_id, definition_id, participant_name, holder_did, issued_at, credential bytes)."""
        db.executemany("INSERT INTO records (id, credential_id, definition_id, participant_name, holder_did, "
                       "issued_at, credential) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def status_entries(self, record_id: str) -> dict[str, tuple[str, int]]:
        """purpose -> (list id, index) of one record."""
        rows = self.query("SELECT * FROM status_entries WHERE record_id = ?", (record_id,))
        return {r["purpose"]: (r["list_id"], r["idx"]) for r in rows}

    @staticmethod
    def add_event(db: sqlite3.Connection, record_id: str, action: str, reason: str, at: str) -> None:
        db.execute("INSERT INTO events (record_id, action, reason, at) VALUES (?, ?, ?, ?)",
                   (record_id, action, reason, at))

    def events(self, record_id: str) -> list[dict[str, str]]:
        return [dict(r) for r in self.query("SELECT action, reason, at FROM events WHERE record_id = ? "
                                            "ORDER BY rowid", (record_id,))]
