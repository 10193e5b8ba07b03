"""Presentation requests (docs/qr-format.md §3, `MCREQ1:`) and their single-use challenges.

The verifier issues a fresh challenge for its domain, remembers it in SQLite, and accepts it
exactly once before it expires. Consuming is one conditional UPDATE, so two concurrent
presentations with the same challenge cannot both succeed.

Issuing costs storage, so it is bounded (an unauthenticated `GET /request` at 600/s once stored
~17 GB a day): rows are purged as soon as they expire, each client (address) may issue at a
limited rate (token bucket) and hold a limited number of open challenges, and all clients
together a limited number of stored ones. Every check and update is one SQLite transaction, so
the worker processes of `serve --workers N` share the counts through the data directory.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import math
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from typing import Callable

import base45

from vccore.clock import Clock, SystemClock, format_datetime
from vccore.errors import InvalidChallengeError, VCError

__all__ = ["BUSY", "ChallengeLimitError", "ChallengeLimits", "ChallengeStore", "PresentationRequest",
           "RATE_LIMITED", "REQUEST_PREFIX", "client_key"]

REQUEST_PREFIX = "MCREQ1:"
RATE_LIMITED = "RATE_LIMITED"
BUSY = "VERIFIER_BUSY"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS challenge (challenge TEXT PRIMARY KEY, domain TEXT NOT NULL,"
    " expires REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL, client TEXT)",
    "CREATE INDEX IF NOT EXISTS challenge_expires ON challenge (expires)",
    "CREATE INDEX IF NOT EXISTS challenge_client ON challenge (client, used)",
    "CREATE TABLE IF NOT EXISTS issuance (client TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)",
)


def client_key(address: str | None) -> str:
    """Whom a limit counts: the client's address, IPv6 by its /64 (one host usually holds a whole /64)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class ChallengeLimits:
    """Per client: a burst of `per_client_burst` requests, refilled at `per_client_per_minute`,
    and at most `max_open_per_client` open challenges; in all, at most `max_stored` rows."""

    per_client_burst: int = 10
    per_client_per_minute: float = 10.0
    max_open_per_client: int = 10
    max_stored: int = 10_000


class ChallengeLimitError(VCError):
    """A presentation request refused by a limit: 429 (this client) or 503 (all clients)."""

    code = RATE_LIMITED
    title = "Too many presentation requests"

    def __init__(self, detail: str, *, retry_after: int, busy: bool = False) -> None:
        super().__init__(detail, title="The verifier is busy" if busy else None)
        self.retry_after, self.busy = max(1, retry_after), busy
        self.status = 503 if busy else 429
        if busy:
            self.code = BUSY


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
                 token: Callable[[], str] = lambda: secrets.token_urlsafe(16),
                 limits: ChallengeLimits | None = None) -> None:
        self.clock = clock or SystemClock()
        self.ttl, self.token = ttl, token
        self.limits = limits or ChallengeLimits()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(challenge)")}
        if columns and "client" not in columns:  # a data directory from before the limits
            self._db.execute("ALTER TABLE challenge ADD COLUMN client TEXT")
        for statement in _SCHEMA:
            self._db.execute(statement)

    def issue(self, *, domain: str, types: tuple[str, ...] = (), name: str | None = None,
              client: str = "local") -> PresentationRequest:
        """A new request for `client` (an address key); raises ChallengeLimitError when over a limit."""
        now = self.clock.now()
        expires = now + dt.timedelta(seconds=self.ttl)
        req = PresentationRequest(self.token(), domain, format_datetime(expires), tuple(types), name)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._purge(now.timestamp())
                self._check_limits(client, now.timestamp())
                self._db.execute("INSERT INTO challenge (challenge, domain, expires, request, client) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 (req.challenge, domain, expires.timestamp(), req.qr_text(), client))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return req

    def _purge(self, now: float) -> None:
        """Expired challenges and idle (full) token buckets go at once, not after a day."""
        self._db.execute("DELETE FROM challenge WHERE expires < ?", (now,))
        refill = self.limits.per_client_burst / self._rate()
        self._db.execute("DELETE FROM issuance WHERE at < ?", (now - refill,))

    def _rate(self) -> float:
        return self.limits.per_client_per_minute / 60.0

    def _check_limits(self, client: str, now: float) -> None:
        limits, db = self.limits, self._db
        stored, oldest = db.execute("SELECT COUNT(*), MIN(expires) FROM challenge").fetchone()
        if stored >= limits.max_stored:
            raise ChallengeLimitError(f"{stored} presentation requests are open; try again when some have "
                                      "expired", retry_after=math.ceil(oldest - now), busy=True)
        mine, first = db.execute("SELECT COUNT(*), MIN(expires) FROM challenge WHERE client = ? AND used = 0",
                                 (client,)).fetchone()
        if mine >= limits.max_open_per_client:
            raise ChallengeLimitError(f"this address already has {mine} open presentation requests",
                                      retry_after=math.ceil(first - now))
        row = db.execute("SELECT tokens, at FROM issuance WHERE client = ?", (client,)).fetchone()
        tokens = float(limits.per_client_burst) if row is None else \
            min(float(limits.per_client_burst), row[0] + (now - row[1]) * self._rate())
        if tokens < 1.0:
            raise ChallengeLimitError("this address asked for presentation requests too quickly",
                                      retry_after=math.ceil((1.0 - tokens) / self._rate()))
        db.execute("INSERT OR REPLACE INTO issuance (client, tokens, at) VALUES (?, ?, ?)", (client, tokens - 1, now))

    def stored(self) -> int:
        """How many challenges are stored (open or used, not yet expired and purged)."""
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM challenge").fetchone()[0]

    def request_text(self, challenge: str) -> str | None:
        """The `MCREQ1:` text of an issued, still open request."""
        with self._lock:
            row = self._db.execute("SELECT request FROM challenge WHERE challenge = ? AND used = 0 AND expires >= ?",
                                   (challenge, self.clock.now().timestamp())).fetchone()
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
            raise InvalidChallengeError("this verifier did not issue the challenge, or it expired and was "
                                        "forgotten", path="/proof/challenge", title="Unknown challenge")
        if row[0]:
            raise InvalidChallengeError("the challenge was already used: a replayed presentation",
                                        path="/proof/challenge", title="Challenge already used")
        raise InvalidChallengeError("the challenge has expired; show a new request", path="/proof/challenge",
                                    title="Challenge expired")
