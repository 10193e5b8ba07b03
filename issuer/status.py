"""W3C Bitstring Status List v1.0 on the issuer side: index allocation, bits, list credentials.

§5.1 (privacy): indexes are drawn at random from the unused ones, so a list position says
nothing about issue order; lists have 131,072 entries (the §6.1 minimum, 16 KB); an index once
allocated is never handed out again, also not after its credential is revoked. A list is closed
for new allocations at 75% so random drawing stays cheap; the next one is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
from typing import Any, Callable

from vccore.clock import format_datetime
from vccore.errors import MalformedValueError
from vccore.statuslist import MIN_ENTRIES, Bitstring, parse_status_entry
from vccore.vcdm import VC2_CONTEXT, is_url

from .errors import StatusListNotFound

__all__ = ["PURPOSES", "StatusLists", "check_given_status", "etag"]

PURPOSES = ("revocation", "suspension")  # the second only for institutions that opt in to suspension
FILL_LIMIT = 0.75


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def check_given_status(value: Any, *, path: str) -> None:
    """VC DM 2.0 §4.10 for a credentialStatus a VC API caller brings: one object or a non-empty array
    of objects, each with a `type` and, when it has an `id`, a URL; a BitstringStatusListEntry must
    also be one (§3.1). Raises MalformedValueError naming the member."""
    many = isinstance(value, list)
    if many and not value:
        raise MalformedValueError("credentialStatus is an empty array", path=path, title="Malformed credentialStatus")
    for i, entry in enumerate(value if many else [value]):
        where = f"{path}/{i}" if many else path
        if not isinstance(entry, dict):
            raise MalformedValueError("a credentialStatus must be an object", path=where,
                                      title="Malformed credentialStatus")
        types = entry.get("type")
        names = types if isinstance(types, list) else [types]
        if not names or not all(isinstance(t, str) and t for t in names):
            raise MalformedValueError("a credentialStatus needs a type (a term or a list of terms)",
                                      path=where + "/type", title="Malformed credentialStatus")
        if "id" in entry and not is_url(entry["id"]):
            raise MalformedValueError("the id of a credentialStatus must be a URL", path=where + "/id",
                                      title="Malformed credentialStatus")
        if types == "BitstringStatusListEntry":
            parse_status_entry(entry, path=where)


class StatusLists:
    """Status list rows in the registry database, and the signed list credentials made from them."""

    def __init__(self, *, size: int = MIN_ENTRIES, rng: random.Random | None = None) -> None:
        self.size = size
        self.rng = rng or random.SystemRandom()

    def _open_list(self, db: sqlite3.Connection, purpose: str, needed: int) -> tuple[str, int]:
        """(list id, entries allocated) of a list of `purpose` with room for `needed` more."""
        row = db.execute("SELECT id, allocated FROM status_lists WHERE purpose = ? AND allocated + ? <= ? "
                         "ORDER BY CAST(id AS INTEGER) DESC LIMIT 1",
                         (purpose, needed, int(self.size * FILL_LIMIT))).fetchone()
        if row is not None:
            return row["id"], row["allocated"]
        count = db.execute("SELECT COUNT(*) FROM status_lists").fetchone()[0]
        list_id = str(count + 1)
        db.execute("INSERT INTO status_lists (id, purpose, size, bits) VALUES (?, ?, ?, ?)",
                   (list_id, purpose, self.size, bytes(self.size // 8)))
        return list_id, 0

    def allocate(self, db: sqlite3.Connection, purpose: str, record_ids: list[str]) -> list[tuple[str, int]]:
        """A fresh random (list id, index) for each record, stored inside the caller's transaction."""
        out: list[tuple[str, int]] = []
        limit = int(self.size * FILL_LIMIT)
        remaining = list(record_ids)
        while remaining:
            list_id, allocated = self._open_list(db, purpose, 1)
            take = remaining[:limit - allocated]
            remaining = remaining[len(take):]
            chosen = []
            used: set[int] = set()
            if len(take) > 64:  # many: one read of the used indexes; few: primary-key lookups
                used = {r[0] for r in db.execute("SELECT idx FROM status_entries WHERE list_id = ?", (list_id,))}
            for record_id in take:
                while True:
                    index = self.rng.randrange(self.size)
                    if index not in used and (len(take) > 64 or db.execute(
                            "SELECT 1 FROM status_entries WHERE list_id = ? AND idx = ?",
                            (list_id, index)).fetchone() is None):
                        break
                used.add(index)
                chosen.append((list_id, index, record_id, purpose))
            db.executemany("INSERT INTO status_entries (list_id, idx, record_id, purpose) VALUES (?, ?, ?, ?)",
                           chosen)
            db.execute("UPDATE status_lists SET allocated = allocated + ? WHERE id = ?", (len(chosen), list_id))
            out += [(c[0], c[1]) for c in chosen]
        return out

    @staticmethod
    def set_bit(db: sqlite3.Connection, list_id: str, index: int, value: bool) -> None:
        row = db.execute("SELECT size, bits FROM status_lists WHERE id = ?", (list_id,)).fetchone()
        if row is None:
            raise StatusListNotFound(f"no status list {list_id!r}")
        bits = Bitstring(row["size"], bytes(row["bits"]))
        bits.set(index, value)
        db.execute("UPDATE status_lists SET bits = ?, version = version + 1 WHERE id = ?",
                   (bytes(bits.bits), list_id))

    @staticmethod
    def get_bit(db: sqlite3.Connection, list_id: str, index: int) -> bool:
        row = db.execute("SELECT size, bits FROM status_lists WHERE id = ?", (list_id,)).fetchone()
        if row is None:
            raise StatusListNotFound(f"no status list {list_id!r}")
        return Bitstring(row["size"], bytes(row["bits"])).get(index)

    @staticmethod
    def unsigned_credential(list_id: str, purpose: str, bits: Bitstring, *, base_url: str, issuer: str,
                            now: dt.datetime) -> dict[str, Any]:
        """§3.2 BitstringStatusListCredential (unsigned)."""
        url = f"{base_url}/status/{list_id}"
        return {
            "@context": [VC2_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer,
            "validFrom": format_datetime(now),
            "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                  "statusPurpose": purpose, "encodedList": bits.encode()},
        }

    def signed_credential(self, db: sqlite3.Connection, list_id: str, *, base_url: str, issuer: str,
                          now: dt.datetime, sign: Callable[[dict[str, Any]], dict[str, Any]]) -> bytes:
        """The signed list credential's bytes; re-signed only when the bits or the base URL changed."""
        row = db.execute("SELECT * FROM status_lists WHERE id = ?", (list_id,)).fetchone()
        if row is None:
            raise StatusListNotFound(f"no status list {list_id!r}")
        if row["signed"] is not None and row["signed_version"] == row["version"] and row["signed_base"] == base_url:
            cached = bytes(row["signed"])
            if json.loads(cached).get("issuer") == issuer:  # a key rotation re-signs too
                return cached
        doc = self.unsigned_credential(list_id, row["purpose"], Bitstring(row["size"], bytes(row["bits"])),
                                       base_url=base_url, issuer=issuer, now=now)
        body = json.dumps(sign(doc), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        db.execute("UPDATE status_lists SET signed = ?, signed_version = ?, signed_base = ? WHERE id = ?",
                   (body, row["version"], base_url, list_id))
        return body
