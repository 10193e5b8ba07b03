"""OpenID4VCI 1.0 pre-authorized code flow state: offers' codes, access tokens, c_nonces.

A small SQLite store next to the issuer registry, so single use holds across threads, processes
and restarts: every "use" is one conditional UPDATE whose row count says who won.
Codes are kept as given (staff must be able to show an offer again); access tokens and nonces
are bearer secrets only the wallet needs, so only their SHA-256 is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from vccore.clock import Clock, SystemClock
from vccore.errors import VCError

__all__ = ["InvalidGrant", "InvalidNonce", "InvalidToken", "Oid4vciStore", "StoredOffer"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS offer (code TEXT PRIMARY KEY, pending_id TEXT NOT NULL,
    label TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL, redeemed REAL);
CREATE INDEX IF NOT EXISTS offer_pending ON offer (pending_id);
CREATE TABLE IF NOT EXISTS token (digest TEXT PRIMARY KEY, pending_id TEXT NOT NULL,
    expires REAL NOT NULL, used REAL);
CREATE TABLE IF NOT EXISTS nonce (digest TEXT PRIMARY KEY, expires REAL NOT NULL, used REAL);
"""


class InvalidGrant(VCError):
    """RFC 6749 §5.2 invalid_grant: unknown, expired or already redeemed pre-authorized code."""

    code = "INVALID_GRANT"
    title = "The pre-authorized code is not valid"


class InvalidToken(VCError):
    """RFC 6750 §3.1 invalid_token: unknown, expired or already used access token."""

    code = "INVALID_TOKEN"
    title = "The access token is not valid"


class InvalidNonce(VCError):
    """OpenID4VCI 1.0 §8.3.1.2 invalid_nonce: a c_nonce that expired or was used already."""

    code = "INVALID_NONCE"
    title = "The nonce is expired or used"


@dataclass(frozen=True)
class StoredOffer:
    code: str
    pending_id: str
    label: str  # who the offer is for (participant name), for staff pages only
    expires: dt.datetime
    redeemed: bool


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _ts(when: dt.datetime) -> float:
    return when.timestamp()


def _stored(row: tuple) -> StoredOffer:
    return StoredOffer(row[0], row[1], row[2], dt.datetime.fromtimestamp(row[3], dt.timezone.utc), row[4] is not None)


class Oid4vciStore:
    """Pre-authorized codes -> single-use access tokens -> one credential; c_nonces for proofs."""

    def __init__(self, path: Path | str, *, clock: Clock | None = None, token_ttl: int = 300,
                 nonce_ttl: int = 300, random_token: Callable[[], str] | None = None) -> None:
        self.clock = clock or SystemClock()
        self.token_ttl = token_ttl
        self.nonce_ttl = nonce_ttl
        self._random = random_token or (lambda: secrets.token_urlsafe(32))
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def _now(self) -> float:
        return _ts(self.clock.now())

    def _exec(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    # --- offers and the token endpoint (RFC 6749 §4.1.3 as profiled by OpenID4VCI §6) ---

    def create_offer(self, pending_id: str, expires: dt.datetime, *, label: str = "") -> str:
        """A new pre-authorized code for a pending credential, good until `expires`."""
        code = self._random()
        self._exec("INSERT INTO offer VALUES (?, ?, ?, ?, ?, NULL)",
                   (code, pending_id, label, self._now(), _ts(expires)))
        return code

    def create_offers(self, offers: list[tuple[str, dt.datetime, str]]) -> list[str]:
        """Codes for many (pending id, expires, label) at once, in one transaction (batches)."""
        codes = [self._random() for _ in offers]
        now = self._now()
        rows = [(code, pid, label, now, _ts(expires)) for code, (pid, expires, label) in zip(codes, offers)]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT INTO offer VALUES (?, ?, ?, ?, ?, NULL)", rows)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return codes

    def offer_for(self, pending_id: str) -> StoredOffer | None:
        """The latest offer made for a pending credential (to show its link again)."""
        row = self._exec("SELECT code, pending_id, label, expires, redeemed FROM offer "
                         "WHERE pending_id = ? ORDER BY created DESC LIMIT 1", (pending_id,)).fetchone()
        return None if row is None else _stored(row)

    def offers_for(self, pending_ids: list[str]) -> dict[str, StoredOffer]:
        """The latest offer of each pending credential that has one (for lists and CSV files)."""
        found: dict[str, StoredOffer] = {}
        for start in range(0, len(pending_ids), 500):  # SQLite's limit on bound parameters
            chunk = pending_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._exec(f"SELECT code, pending_id, label, expires, redeemed FROM offer WHERE pending_id IN "
                              f"({marks}) ORDER BY created", tuple(chunk)).fetchall()
            for row in rows:  # oldest first, so the latest offer of a pending credential wins
                found[row[1]] = _stored(row)
        return found

    def offer_by_code(self, code: str) -> StoredOffer | None:
        """The offer a pre-authorized code belongs to (the learner's offer page)."""
        row = self._exec("SELECT code, pending_id, label, expires, redeemed FROM offer WHERE code = ?",
                         (code,)).fetchone()
        return None if row is None else _stored(row)

    def redeem_code(self, code: str) -> str:
        """Exchange a pre-authorized code for an access token, once. Raises InvalidGrant."""
        now = self._now()
        row = self._exec("SELECT pending_id, expires, redeemed FROM offer WHERE code = ?",
                         (code,)).fetchone()
        if row is None:
            raise InvalidGrant("the pre-authorized code is unknown")
        if row[2] is not None:
            raise InvalidGrant("the pre-authorized code was redeemed already")
        if now >= row[1]:
            raise InvalidGrant("the credential offer has expired")
        claimed = self._exec("UPDATE offer SET redeemed = ? WHERE code = ? AND redeemed IS NULL",
                             (now, code)).rowcount
        if claimed != 1:  # another request redeemed it between our read and write
            raise InvalidGrant("the pre-authorized code was redeemed already")
        token = self._random()
        self._exec("INSERT INTO token VALUES (?, ?, ?, NULL)",
                   (_digest(token), row[0], now + self.token_ttl))
        return token

    # --- the credential endpoint (OpenID4VCI §8) ---

    def check_token(self, token: str) -> str:
        """The pending credential an unused, unexpired access token is for. Raises InvalidToken."""
        row = self._exec("SELECT pending_id, expires, used FROM token WHERE digest = ?",
                         (_digest(token),)).fetchone()
        if row is None:
            raise InvalidToken("the access token is unknown")
        if row[2] is not None:
            raise InvalidToken("the access token was used for its credential already")
        if self._now() >= row[1]:
            raise InvalidToken("the access token has expired")
        return row[0]

    def use_token(self, token: str) -> str:
        """Claim the token for its one credential (atomically). Raises InvalidToken."""
        pending_id = self.check_token(token)
        claimed = self._exec("UPDATE token SET used = ? WHERE digest = ? AND used IS NULL",
                             (self._now(), _digest(token))).rowcount
        if claimed != 1:
            raise InvalidToken("the access token was used for its credential already")
        return pending_id

    # --- the nonce endpoint (OpenID4VCI §7) ---

    def new_nonce(self) -> str:
        nonce = self._random()
        now = self._now()
        self._exec("DELETE FROM nonce WHERE expires < ?", (now - 86400,))  # keep the table small
        self._exec("INSERT INTO nonce VALUES (?, ?, NULL)", (_digest(nonce), now + self.nonce_ttl))
        return nonce

    def known_nonce(self, nonce: str) -> bool:
        """Whether this issuer ever handed out the nonce (unknown nonces make a bad proof)."""
        return self._exec("SELECT 1 FROM nonce WHERE digest = ?", (_digest(nonce),)).fetchone() is not None

    def use_nonce(self, nonce: str) -> None:
        """Consume a c_nonce once. Raises InvalidNonce when expired or used."""
        now = self._now()
        row = self._exec("SELECT expires, used FROM nonce WHERE digest = ?", (_digest(nonce),)).fetchone()
        if row is None:
            raise InvalidNonce("the nonce was not issued here")
        if row[1] is not None:
            raise InvalidNonce("the nonce was used already")
        if now >= row[0]:
            raise InvalidNonce("the nonce has expired")
        claimed = self._exec("UPDATE nonce SET used = ? WHERE digest = ? AND used IS NULL",
                             (now, _digest(nonce))).rowcount
        if claimed != 1:
            raise InvalidNonce("the nonce was used already")

    def close(self) -> None:
        with self._lock:
            self._db.close()
