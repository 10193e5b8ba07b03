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

from .registry_schema import migrate

__all__ = ["IssuedRecord", "PendingCredential", "Registry", "StoredDefinition"]



@dataclass(frozen=True)
class StoredDefinition:
    id: str
    definition: Any  # MicrocredentialDefinition
    achievement_id: str
    result_description_id: str
    created_at: str
    series_id: str = ""  # every version of one definition shares it (the first version's id)
    version: int = 1
    archived_at: str | None = None  # archived: kept and shown, not offered for issuing
    replaced_by: str | None = None  # the next version's id, once edited

    @property
    def current(self) -> bool:
        return self.replaced_by is None


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
    issued_by: str = ""  # the staff member (or "VC API"); "" in registries from before it was kept

    @property
    def credential(self) -> dict[str, Any]:
        """The signed document, parsed from the exact stored bytes."""
        return json.loads(self.credential_json)


def _record(row: sqlite3.Row) -> IssuedRecord:
    status = "revoked" if row["revoked"] else "suspended" if row["suspended"] else "active"
    return IssuedRecord(row["id"], row["credential_id"], row["participant_name"], row["definition_id"],
                        row["holder_did"], row["issued_at"], status, bytes(row["credential"]), row["reason"],
                        row["issued_by"])


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
        migrate(self._db)

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

    def query(self, sql: str, args: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
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

    _SEARCH = ("participant_name LIKE ? ESCAPE '\\' OR credential_id LIKE ? ESCAPE '\\' "
               "OR IFNULL(holder_did, '') LIKE ? ESCAPE '\\' OR IFNULL(definition_id, '') LIKE ? ESCAPE '\\'")

    @staticmethod
    def _like(query: str) -> tuple[str, ...]:
        return ("%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",) * 4

    def records(self, query: str = "", limit: int = 100, offset: int = 0) -> list[IssuedRecord]:
        rows = self.query(f"SELECT * FROM records WHERE {self._SEARCH} ORDER BY issued_at DESC, rowid DESC "
                          "LIMIT ? OFFSET ?", (*self._like(query), max(0, int(limit)), max(0, int(offset))))
        return [_record(r) for r in rows]

    def count_records(self, query: str = "") -> int:
        return self.query(f"SELECT COUNT(*) FROM records WHERE {self._SEARCH}", self._like(query))[0][0]

    def all_records(self) -> Iterator[IssuedRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM records ORDER BY issued_at, rowid").fetchall()
        return (_record(r) for r in rows)

    @staticmethod
    def insert_records(db: sqlite3.Connection, rows: list[tuple[Any, ...]], *, issued_by: str = "") -> None:
        """rows: (id, credential_id, definition_id, participant_name, holder_did, issued_at, credential bytes)."""
        db.executemany("INSERT INTO records (id, credential_id, definition_id, participant_name, holder_did, "
                       "issued_at, credential, issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(*row, issued_by) for row in rows])

    def status_entries(self, record_id: str) -> dict[str, tuple[str, int]]:
        """purpose -> (list id, index) of one record."""
        rows = self.query("SELECT * FROM status_entries WHERE record_id = ?", (record_id,))
        return {r["purpose"]: (r["list_id"], r["idx"]) for r in rows}

    @staticmethod
    def add_event(db: sqlite3.Connection, record_id: str, action: str, reason: str, at: str,
                  actor: str = "") -> None:
        db.execute("INSERT INTO events (record_id, action, reason, at, actor) VALUES (?, ?, ?, ?, ?)",
                   (record_id, action, reason, at, actor))

    def events(self, record_id: str) -> list[dict[str, str]]:
        """Status changes of one record, oldest first: action, reason, at (UTC), actor."""
        return [dict(r) for r in self.query("SELECT action, reason, at, actor FROM events WHERE record_id = ? "
                                            "ORDER BY rowid", (record_id,))]
