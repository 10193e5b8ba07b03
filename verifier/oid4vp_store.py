"""OpenID4VP transactions of the verifier (docs/oid4vp-profile.md), in SQLite so that the worker
processes of `serve --workers N` share them.

Two secrets per transaction, as OpenID4VP 1.0 §13.3 suggests: the `request_id` travels to the wallet
(in the request_uri, the response_uri and as `state`), the `transaction_id` stays with the page that
asked and is the only way to read the answer. The nonce is a challenge of the ChallengeStore (its
issuing limits apply). A transaction is answered at most once, before it expires: the answer is one
conditional UPDATE, so two concurrent answers cannot both be accepted.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Callable

from vccore.clock import Clock
from vccore.errors import VCError

__all__ = ["ANSWERED", "CREATED", "DECLINED", "RETRIEVED", "RequestExpiredError", "RequestUsedError",
           "Transaction", "TransactionStore", "UnknownRequestError"]

CREATED, RETRIEVED, ANSWERED, DECLINED = "created", "retrieved", "answered", "declined"
OPEN = (CREATED, RETRIEVED)
_SCHEMA = ("CREATE TABLE IF NOT EXISTS oid4vp (request_id TEXT PRIMARY KEY, transaction_id TEXT UNIQUE NOT NULL,"
           " nonce TEXT NOT NULL, client_id TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL,"
           " state TEXT NOT NULL, query TEXT NOT NULL, conditions TEXT NOT NULL, result TEXT, refusal TEXT)",
           "CREATE INDEX IF NOT EXISTS oid4vp_expires ON oid4vp (expires)")
KEEP_AFTER = 3600  # seconds a finished or expired transaction stays readable by its page


class UnknownRequestError(VCError):
    code = "OID4VP_UNKNOWN_REQUEST"
    title = "This verifier has no such request"


class RequestExpiredError(VCError):
    code = "OID4VP_REQUEST_EXPIRED"
    title = "The request has expired"


class RequestUsedError(VCError):
    code = "OID4VP_REQUEST_USED"
    title = "The request was already answered"


@dataclass(frozen=True)
class Transaction:
    request_id: str
    transaction_id: str
    nonce: str
    client_id: str
    created: float
    expires: float
    state: str
    query: dict[str, Any]
    conditions: dict[str, Any]
    result: str | None = None          # key of the outcome in the result store
    refusal: dict[str, str] | None = None  # the last answer refused: {code, title}

    @property
    def open(self) -> bool:
        return self.state in OPEN


class TransactionStore:
    def __init__(self, path: str = ":memory:", *, clock: Clock,
                 token: Callable[[], str] = lambda: secrets.token_urlsafe(16)) -> None:
        self.clock, self.token = clock, token
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        for statement in _SCHEMA:
            self._db.execute(statement)

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def create(self, *, nonce: str, client_id: str, expires: float, query: dict[str, Any],
               conditions: dict[str, Any]) -> Transaction:
        now = self._now()
        tx = Transaction(self.token(), self.token(), nonce, client_id, now, expires, CREATED, query, conditions)
        with self._lock:
            self._db.execute("DELETE FROM oid4vp WHERE expires < ?", (now - KEEP_AFTER,))
            self._db.execute("INSERT INTO oid4vp (request_id, transaction_id, nonce, client_id, created, expires, "
                             "state, query, conditions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (tx.request_id, tx.transaction_id, nonce, client_id, now, expires, CREATED,
                              json.dumps(query), json.dumps(conditions)))
        return tx

    def _row(self, column: str, value: str) -> Transaction | None:
        with self._lock:
            row = self._db.execute(f"SELECT request_id, transaction_id, nonce, client_id, created, expires, state, "  # noqa: S608
                                   f"query, conditions, result, refusal FROM oid4vp WHERE {column} = ?",
                                   (value,)).fetchone()
        if row is None:
            return None
        return Transaction(*row[:7], json.loads(row[7]), json.loads(row[8]), row[9],
                           json.loads(row[10]) if row[10] else None)

    def by_transaction(self, transaction_id: str) -> Transaction | None:
        return self._row("transaction_id", transaction_id)

    def open_request(self, request_id: str) -> Transaction:
        """The transaction a wallet fetches or answers; refused when unknown, answered or expired."""
        tx = self._row("request_id", request_id)
        if tx is None:
            raise UnknownRequestError("the state or request id is not one this verifier issued, or it was "
                                      "forgotten", path="/state")
        if not tx.open:
            raise RequestUsedError("the request was already answered: a replayed response", path="/state")
        if tx.expires < self._now():
            raise RequestExpiredError("the request has expired; the verifier shows a new one on request",
                                      path="/state")
        return tx

    def retrieved(self, request_id: str) -> None:
        with self._lock:
            self._db.execute("UPDATE oid4vp SET state = ? WHERE request_id = ? AND state = ?",
                             (RETRIEVED, request_id, CREATED))

    def finish(self, request_id: str, *, result: str | None, declined: bool = False) -> None:
        """Record the one answer; RequestUsedError if another answer (or expiry) came first."""
        with self._lock:
            done = self._db.execute("UPDATE oid4vp SET state = ?, result = ? WHERE request_id = ? AND state IN "
                                    "(?, ?) AND expires >= ?", (DECLINED if declined else ANSWERED, result,
                                                                request_id, *OPEN, self._now())).rowcount
        if not done:
            raise RequestUsedError("the request was answered at the same time by another response", path="/state")

    def refuse(self, request_id: str, error: VCError) -> None:
        """Remember the last refused answer, for the page that waits (the request stays open)."""
        with self._lock:
            self._db.execute("UPDATE oid4vp SET refusal = ? WHERE request_id = ?",
                             (json.dumps({"code": error.code, "title": error.title}), request_id))
