"""Presentation requests (docs/qr-format.md §3, `MCREQ1:`) and their single-use challenges.

The verifier issues a fresh challenge for its domain, remembers it in SQLite, and accepts it
exactly once before it expires. Consuming is one conditional UPDATE, so two concurrent
presentations with the same challenge cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from typing import Callable

import base45

from vccore.clock import Clock, SystemClock, format_datetime
from vccore.errors import InvalidChallengeError

__all__ = ["ChallengeStore", "PresentationRequest", "REQUEST_PREFIX"]

REQUEST_PREFIX = "MCREQ1:"


@dataclass(frozen=True)
class PresentationRequest:
    challenge: str
    domain: str
    expires: str
    types: tuple[str, ...] = ()
    name: str | None = None

    def to_json(self) -> dict:
        out = {"challenge": self.challenge, "domain": self.domain, "expires": self.expires}
        if self.types:
            out["types"] = list(self.types)
        if self.name:
            out["name"] = self.name
        return out

    def qr_text(self) -> str:
        """`MCREQ1:` + base45(minified JSON): the request QR code's text (alphanumeric mode)."""
        raw = json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return REQUEST_PREFIX + base45.b45encode(raw).decode("ascii")


class ChallengeStore:
    """Issued challenges in SQLite (`:memory:` by default; a file path for a real deployment)."""

    def __init__(self, path: str = ":memory:", *, clock: Clock | None = None, ttl: int = 600,
                 token: Callable[[], str] = lambda: secrets.token_urlsafe(16)) -> None:
        self.clock = clock or SystemClock()
        self.ttl, self.token = ttl, token
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("CREATE TABLE IF NOT EXISTS challenge (challenge TEXT PRIMARY KEY, domain TEXT NOT NULL,"
                         " expires REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL)")

    def issue(self, *, domain: str, types: tuple[str, ...] = (), name: str | None = None) -> PresentationRequest:
        now = self.clock.now()
        expires = now + dt.timedelta(seconds=self.ttl)
        req = PresentationRequest(self.token(), domain, format_datetime(expires), tuple(types), name)
        with self._lock:
            self._db.execute("DELETE FROM challenge WHERE expires < ?", (now.timestamp() - 86400,))
            self._db.execute("INSERT INTO challenge (challenge, domain, expires, request) VALUES (?, ?, ?, ?)",
                             (req.challenge, domain, expires.timestamp(), req.qr_text()))
        return req

    def request_text(self, challenge: str) -> str | None:
        """The `MCREQ1:` text of an issued, still open request."""
        with self._lock:
            row = self._db.execute("SELECT request FROM challenge WHERE challenge = ? AND used = 0",
                                   (challenge,)).fetchone()
        return row[0] if row else None

    def domain_of(self, challenge: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT domain FROM challenge WHERE challenge = ?", (challenge,)).fetchone()
        return row[0] if row else None

    def consume(self, challenge: str) -> None:
        """Mark the challenge used; raises INVALID_CHALLENGE_ERROR if unknown, expired or used."""
        now = self.clock.now().timestamp()
        with self._lock:
            done = self._db.execute("UPDATE challenge SET used = 1 WHERE challenge = ? AND used = 0 AND expires >= ?",
                                    (challenge, now)).rowcount
            row = None if done else self._db.execute(
                "SELECT used, expires FROM challenge WHERE challenge = ?", (challenge,)).fetchone()
        if done:
            return
        if row is None:
            raise InvalidChallengeError("this verifier did not issue the challenge", path="/proof/challenge",
                                        title="Unknown challenge")
        if row[0]:
            raise InvalidChallengeError("the challenge was already used: a replayed presentation",
                                        path="/proof/challenge", title="Challenge already used")
        raise InvalidChallengeError("the challenge has expired; show a new request", path="/proof/challenge",
                                    title="Challenge expired")

